"""Readers: every format offices send, sniffed from the bytes, cells at their real positions."""
import unicodedata

import pytest

from reform.core.errors import FileRefused
from reform.ingest.readers import read_path, read_workbook, sniff_kind
from tests.helpers import write_xlsx

CSV_ROWS = "STT;Tên đơn vị;Tổng điểm\n1;Phường Hàng Bạc;91,43\n2;Phường Hàng Đào;88,5\n"
TONES = "\u0300\u0301\u0303\u0309\u0323"


def encode(text: str, encoding: str) -> bytes:
    """Encode like Windows does for Vietnamese: cp1258 keeps letters like ơ, ư, ê whole and
    writes tone marks as combining characters after them."""
    if encoding != "cp1258":
        return text.encode(encoding)
    out = b""
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(m for m in parts if m in TONES)
        letter = unicodedata.normalize("NFC", "".join(m for m in parts if m not in TONES))
        out += letter.encode("cp1258") + tones.encode("cp1258")
    return out


def test_xlsx_keeps_absolute_positions_and_merges(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", {"Năm 2018": [[], [None, "STT", "Tên"], [None, 1, "Hàng Bạc"]]},
                      {"Năm 2018": ["B1:C1"]})
    workbook = read_workbook(path.read_bytes(), path.name)
    sheet = workbook.sheet("Năm 2018")
    assert workbook.kind == "xlsx"
    assert sheet.cell(1, 1) == "STT"  # B2 stays B2 though row 1 and column A are empty
    assert sheet.cell(2, 2) == "Hàng Bạc"
    assert (0, 1, 0, 2) in sheet.merges


def test_old_xls_is_read(realdata):
    data, workbook = read_path(realdata / "PCI_2009.xls")
    assert workbook.kind == "xls"
    sheet = workbook.sheet("Tong Hop")
    assert sheet.cell(1, 2) == "Tỉnh"  # C2: the first row of the sheet is blank
    assert sheet.cell(3, 2) == "Hà Nội"
    assert len(workbook.sheets) == 11


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16", b""), ("cp1258", b"")],
)
@pytest.mark.parametrize("separator", [";", ",", "\t"])
def test_csv_in_the_encodings_and_separators_excel_saves(encoding, bom, separator):
    text = CSV_ROWS.replace(";", separator)
    if separator == ",":
        text = text.replace("91,43", '"91,43"').replace("88,5", '"88,5"')
    data = bom + encode(text, encoding)
    workbook = read_workbook(data, "ket_qua.csv")
    rows = workbook.sheets[0].rows
    assert workbook.kind == "csv"
    assert rows[1] == ["1", "Phường Hàng Bạc", "91,43"]
    assert rows[0][1] == "Tên đơn vị"


def test_html_table_saved_as_xls_spans_become_merges():
    html = (
        "<html><body><table><tr><th rowspan=2>STT</th><th rowspan=2>Đơn vị</th>"
        "<th colspan=2>Lĩnh vực 1</th></tr><tr><td>1.1</td><td>1.2</td></tr>"
        "<tr><td>1</td><td>Hàng Bạc</td><td>5,5</td><td>3</td></tr></table></body></html>"
    ).encode()
    workbook = read_workbook(html, "export.xls")
    sheet = workbook.sheets[0]
    assert workbook.kind == "html"
    assert sheet.rows[1] == ["", "", "1.1", "1.2"]
    assert sheet.rows[2] == ["1", "Hàng Bạc", "5,5", "3"]
    assert (0, 2, 0, 3) in sheet.merges and (0, 0, 1, 0) in sheet.merges


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "rong.xlsx", "rỗng"),
        (b"PK\x03\x04 not really a zip", "hong.xlsx", "Không đọc được tệp 'hong.xlsx'"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "hong.xls", "Không đọc được tệp 'hong.xls'"),
    ],
)
def test_unreadable_files_are_refused_with_the_file_name(data, name, message):
    with pytest.raises(FileRefused, match=message) as caught:
        read_workbook(data, name)
    assert ".xlsx, .xlsm, .xls, .csv" in caught.value.message_vi
    assert name in caught.value.message_en


def test_unknown_sheet_names_the_sheets_there(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", {"Tổng hợp": [["x"]]})
    with pytest.raises(FileRefused, match="'Tổng hợp'"):
        read_workbook(path.read_bytes(), path.name).sheet("Summary")


@pytest.mark.parametrize(
    ("head", "kind"),
    [(b"PK\x03\x04", "xlsx"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "xls"),
     (b"<html><table><tr><td>1</td></tr></table>", "html"), (b"a;b\n1;2\n", "csv")],
)
def test_sniff_kind_trusts_bytes_not_names(head, kind):
    assert sniff_kind(head, "whatever.xls") == kind
