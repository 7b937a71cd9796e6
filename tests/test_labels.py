"""reform.present.labels: the one place for what a code or a number reads as."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from view_frames import ranking

from reform.present.frames import number_styler
from reform.present.labels import (
    access_role_label,
    change_label,
    change_labels,
    group_label,
    group_labels,
    period_label,
    readable_examples,
    role_label,
)


@pytest.mark.parametrize(
    ("change", "is_new", "lang", "expected"),
    [
        (3, False, "vi", "▲ 3"), (-2, False, "vi", "▼ 2"), (0, False, "vi", "="),
        (pd.NA, True, "vi", "mới"), (pd.NA, True, "en", "new"), (pd.NA, False, "vi", ""),
        (None, pd.NA, "vi", ""), (float("nan"), False, "en", ""), (np.int64(5), False, "en", "▲ 5"),
    ],
)
def test_change_label(change, is_new, lang, expected):
    assert change_label(change, is_new, lang) == expected


@pytest.mark.parametrize(
    ("period", "lang", "expected"),
    [
        ("2024", "vi", "2024"), ("2024-03", "vi", "03/2024"), ("2024-03", "en", "Mar 2024"),
        ("2019-Q2", "vi", "Q2/2019"), ("2019-Q2", "en", "Q2 2019"), ("2024-13", "en", "13/2024"),
    ],
)
def test_period_label(period, lang, expected):
    assert period_label(period, lang) == expected


@pytest.mark.parametrize(("change", "is_new", "lang", "expected"), [
    (3, False, "vi", "▲ 3"),
    (-2, False, "vi", "▼ 2"),
    (0, False, "vi", "="),
    (pd.NA, True, "vi", "mới"),
    (pd.NA, True, "en", "new"),
    (pd.NA, False, "vi", ""),
    (12, False, "en", "▲ 12"),
])
def test_change_labels(change, is_new, lang, expected):
    table = ranking([("ward:a", "A", 1, change, is_new, "A", 90.0, 90.0)])
    labels = change_labels(table, lang=lang)
    assert labels.name == "change_label"
    assert labels.tolist() == [expected]


def test_change_labels_keep_the_table_index():
    table = ranking([("ward:a", "A", 1, 1, False, "A", 90.0, 90.0),
                     ("ward:b", "B", 2, -1, False, "B", 80.0, 80.0)]).set_axis([7, 9])
    pd.testing.assert_series_equal(
        change_labels(table),
        pd.Series(["▲ 1", "▼ 1"], index=[7, 9], dtype="str", name="change_label"))


@pytest.mark.parametrize(("role", "lang", "expected"), [
    ("code", "vi", "Mã đơn vị"),
    ("rank", "en", "Rank"),
    ("name_alt", "vi", "Tên đơn vị (cột phụ)"),
    ("officials", "en", "Officials checked"),
    ("something_new", "vi", "something_new"),
])
def test_role_label(role, lang, expected):
    assert role_label(role, lang) == expected


def test_every_importer_role_has_a_label_in_both_languages():
    from reform.ingest.roles import ROLES

    for lang in ("vi", "en"):
        labels = [role_label(role, lang) for role in ROLES]
        assert not set(labels) & set(ROLES), lang
        assert len(set(labels)) == len(ROLES), lang  # a dropdown must tell them apart


@pytest.mark.parametrize(("examples", "lang", "expected"), [
    ("8.351827 | 8.180521 | 9.524257", "vi", "8,35 | 8,18 | 9,52"),
    ("8.351827 | 8.180521", "en", "8.35 | 8.18"),
    ("5.20001 | -0.125049", "vi", "5,2 | -0,13"),
    ("1 | 2 | 3", "vi", "1 | 2 | 3"),
    ("1.000 | 14.5 | 91,43", "vi", "1.000 | 14.5 | 91,43"),   # as the file wrote them
    ("2019-03 | Hà Nội", "vi", "2019-03 | Hà Nội"),
    ("", "vi", ""),
])
def test_readable_examples_rounds_long_decimals_only(examples, lang, expected):
    columns = pd.DataFrame({"letter": ["D"], "role": ["component"], "examples": [examples]})
    shown = readable_examples(columns, lang=lang)
    pd.testing.assert_frame_equal(shown, columns.assign(examples=[expected]))
    assert columns["examples"].tolist() == [examples]  # the input is left as it was


@pytest.mark.parametrize(("lang", "expected"), [
    ("vi", [["1", "1.234,57", "92,4", "+2,10", "–"], ["12", "85,00", "7,0", "−0,50", "–"]]),
    ("en", [["1", "1,234.57", "92.4", "+2.10", "–"], ["12", "85.00", "7.0", "−0.50", "–"]]),
])
def test_tables_write_numbers_by_the_language_not_the_browser(lang, expected):
    frame = pd.DataFrame({"rank": [1, 12], "value": [1234.567, 85.0], "rate": [92.44, 7.0],
                          "gap": [2.1, -0.5], "percent": [float("nan"), None],
                          "unit": ["Hàng Bạc", "Hàng Bài"]})
    styled = number_styler(frame, lang, decimals={"rate": 1}, signed=("gap",))
    lines = styled.hide(axis="index").to_string(delimiter="|").splitlines()
    assert [line.split("|")[:5] for line in lines[1:]] == expected
    assert frame["value"].tolist() == [1234.567, 85.0]  # the numbers themselves stay for sorting


@pytest.mark.parametrize(("group", "en"), [
    ("Tốt", "Good"), ("Khá", "Fair"), ("Trung bình", "Average"), ("Yếu", "Weak"),
    ("Rất tốt", "Very good"), ("Tương đối thấp", "Rather low"), ("Thấp", "Low"),
    (" Khá ", "Fair"), ("A", "A"), ("Nhóm II", "Nhóm II"),
])
def test_group_label_in_english_keeps_vietnamese_unchanged(group, en):
    assert group_label(group, "en") == en
    assert group_label(group, "vi") == group.strip()  # Vietnamese pages show the stored value


@pytest.mark.parametrize("missing", [None, "", "  ", float("nan"), pd.NA])
def test_group_label_of_no_group(missing):
    assert (group_label(missing, "vi"), group_label(missing, "en")) == ("Chưa xếp nhóm", "No group")


def test_group_labels_changes_only_the_shown_copy():
    table = pd.DataFrame({"unit": ["a", "b", "c", "d"], "group": ["Khá", "", None, "Yếu"]})
    shown = group_labels(table, lang="en")
    assert shown["group"].tolist()[:2] + shown["group"].tolist()[3:] == ["Fair", "", "Weak"]
    assert pd.isna(shown["group"].iloc[2])
    assert table["group"].tolist()[:2] + table["group"].tolist()[3:] == ["Khá", "", "Yếu"]
    vi = group_labels(table, lang="vi")["group"].tolist()
    assert vi[:2] + vi[3:] == ["Khá", "", "Yếu"]


@pytest.mark.parametrize(("role", "lang", "expected"), [
    ("analyst", "vi", "Chuyên viên"), ("admin", "en", "Administrator"), (None, "vi", "chưa đăng nhập"),
])
def test_access_role_label(role, lang, expected):
    assert access_role_label(role, lang) == expected
