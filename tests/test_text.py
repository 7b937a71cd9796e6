"""Vietnamese text: normalisation, keys for matching, collation, number parsing."""
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reform.core.text import (
    cell_ref,
    clean_text,
    collation_key,
    find_years,
    fold,
    parse_number,
    sort_vietnamese,
    unit_key,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Phường Hàng Bạc", "hang bac"),
        ("P. Hàng Bạc", "hang bac"),
        ("HÀNG BẠC", "hang bac"),
        ("Hàng\u00a0Bạc", "hang bac"),
        ("Hàng\nBạc ", "hang bac"),
        (unicodedata.normalize("NFD", "Hàng Bạc"), "hang bac"),
        ("UBND phường Hàng Bạc", "hang bac"),
        ("Q. Hoàn Kiếm", "hoan kiem"),
        ("TP.HCM", "hcm"),
        ("Sở Tư pháp", "tu phap"),
        ("Đồng Xuân", "dong xuan"),
    ],
)
def test_unit_key_ignores_prefix_case_accents_and_spacing(raw, expected):
    assert unit_key(raw) == expected


def test_old_and_new_accent_placement_fold_alike():
    assert fold("Hoà Bình") == fold("Hòa Bình") == "hoa binh"


def test_clean_text_is_nfc_with_single_spaces():
    assert clean_text(unicodedata.normalize("NFD", " Hàng \u00a0 Đào\r\n")) == "Hàng Đào"
    assert unicodedata.is_normalized("NFC", clean_text(unicodedata.normalize("NFD", "Hàng Đào")))


def test_vietnamese_collation_orders_d_bar_after_d_and_tones_after_base():
    names = ["Ý Yên", "Đồng Xuân", "Dịch Vọng", "An Giang", "Ea Súp", "Hàng Bồ", "Hàng Bông"]
    assert sort_vietnamese(names) == ["An Giang", "Dịch Vọng", "Đồng Xuân", "Ea Súp", "Hàng Bồ", "Hàng Bông", "Ý Yên"]
    assert sorted(names) != sort_vietnamese(names)  # code-point order is wrong for Vietnamese


def test_collation_ignores_composition():
    assert collation_key("Hàng Đào") == collation_key(unicodedata.normalize("NFD", "Hàng Đào"))


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (91.43, (91.43, "")),
        (7, (7.0, "")),
        ("91,43", (91.43, "")),
        ("91.43", (91.43, "")),
        ("85 %", (85.0, "")),
        ("85,5%", (85.5, "")),
        ("1.234,5", (1234.5, "")),
        ("1,234.5", (1234.5, "")),
        ("1.234.567", (1234567.0, "")),
        (" 8,50 ", (8.5, "")),
        ("-", (None, "")),
        ("x", (None, "")),
        ("", (None, "")),
        (None, (None, "")),
        ("#REF!", (None, "error")),
        ("#DIV/0!", (None, "error")),
        ("9l,5", (None, "text")),
        ("Tốt", (None, "text")),
        ("(2,5)", (-2.5, "")),
    ],
)
def test_parse_number(cell, expected):
    assert parse_number(cell) == expected


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda x: round(x, 2)))
def test_parse_number_reads_back_vietnamese_decimal_comma(value):
    text = f"{value:.2f}".replace(".", ",")
    number, problem = parse_number(text)
    assert problem == ""
    assert number == pytest.approx(value)


@given(st.text(max_size=20))
def test_parse_number_never_raises(text):
    number, problem = parse_number(text)
    assert (number is None) or isinstance(number, float)
    assert problem in ("", "text", "error")


@pytest.mark.parametrize(
    ("text", "years"),
    [("KẾT QUẢ CHỈ SỐ CCHC NĂM 2018", ["2018"]), ("2011_PAPI", ["2011"]), ("PCI_2009.xls", ["2009"]),
     ("giai đoạn 2011-2016", ["2011", "2016"]), ("Mã 12018", [])],
)
def test_find_years(text, years):
    assert find_years(text) == years


@pytest.mark.parametrize(("row", "col", "ref"), [(0, 0, "A1"), (11, 5, "F12"), (2, 26, "AA3"), (0, 701, "ZZ1")])
def test_cell_ref(row, col, ref):
    assert cell_ref(row, col) == ref
