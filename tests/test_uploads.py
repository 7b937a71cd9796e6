"""Upload preview tables and the corrections that feed back into parse_file."""
from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from reform.core.errors import UsageError
from reform.core.gazetteer import seed_units
from reform.core.model import Issue, UnitMatch
from reform.ingest.layout import SheetLayout
from reform.ingest.pipeline import parse_file
from reform.ingest.readers import RawSheet
from reform.ingest.roles import Column
from reform.ingest.templates import template_workbook
from reform.ingest.units import UnitRegistry
from reform.present.pages.data import (
    attention_count,
    audit_table,
    changed_roles,
    changed_units,
    check_period,
    choice_label,
    columns_table,
    datasets_table,
    distinct_uploads,
    first_rows,
    issue_counts,
    issues_table,
    matches_table,
    periods_label,
    save_message,
    save_options,
    status_text,
    unit_choices,
)
from tests.test_templates import fill_template, par_rows


def _sheet() -> tuple[SheetLayout, RawSheet]:
    raw = RawSheet("2024", [
        ["KẾT QUẢ 2024", None, None],
        ["STT", "Tên đơn vị", "Tổng điểm"],
        [1, "Hàng Bạc", 91.5],
        [2, None, 88],
        [3, "Hàng Gai", "8,5"],
        [4, "Hàng Bài", datetime(2024, 3, 5)],
    ])
    columns = [Column(0, "STT", ["STT"], "stt"), Column(1, "Tên đơn vị", ["Tên đơn vị"], "name"),
               Column(2, "Tổng điểm", ["Tổng điểm"], "total")]
    return SheetLayout("2024", "scores", [1], None, 2, columns), raw


def test_columns_table_lists_letters_roles_and_first_values() -> None:
    layout, raw = _sheet()
    expected = pd.DataFrame({
        "letter": ["A", "B", "C"], "header": ["STT", "Tên đơn vị", "Tổng điểm"],
        "role": ["stt", "name", "total"],
        "examples": ["1 | 2 | 3", "Hàng Bạc | Hàng Gai | Hàng Bài", "91.5 | 88 | 8,5"]})
    pd.testing.assert_frame_equal(columns_table(layout, raw), expected)


def test_first_rows_use_spreadsheet_row_numbers_and_letters() -> None:
    layout, raw = _sheet()
    got = first_rows(layout, raw, rows=2)
    expected = pd.DataFrame({"A": ["1", "2"], "B": ["Hàng Bạc", ""], "C": ["91.5", "88"]},
                            index=pd.Index([3, 4], name="row"))
    pd.testing.assert_frame_equal(got, expected)
    assert first_rows(layout, raw, rows=10).loc[6, "C"] == "2024-03-05"


@pytest.mark.parametrize(("edits", "expected"), [
    ({}, {}),
    ({2: "component"}, {"C": "component"}),
    ({0: "ignore", 2: "percent"}, {"A": "ignore", "C": "percent"}),
])
def test_changed_roles_returns_only_edited_columns(edits: dict, expected: dict) -> None:
    layout, raw = _sheet()
    before = columns_table(layout, raw)
    after = before.copy()
    for row, role in edits.items():
        after.loc[row, "role"] = role
    assert changed_roles(before, after) == expected
    assert list(before["role"]) == ["stt", "name", "total"]  # input untouched


def test_role_correction_feeds_back_into_parse_file() -> None:
    data = fill_template(template_workbook("PAR", period="2024"), 7, par_rows())
    parsed = parse_file(data, "mau.xlsx", UnitRegistry(seed_units()), sheet="2024")
    layout = parsed.sheets[0].layout
    assert layout.columns[2].role == "component"
    again = parse_file(data, "mau.xlsx", UnitRegistry(seed_units()), sheet="2024",
                       roles={"2024": {"C": "ignore"}})
    assert again.sheets[0].layout.columns[2].role == "ignore"
    assert "1.1" not in set(again.scores["component"])


MATCHES = [
    UnitMatch("Hàng Bạc", "ward:hang-bac", "Hàng Bạc", "exact"),
    UnitMatch("Hang Gai", "ward:hang-gai", "Hàng Gai", "fuzzy", 91.0, ("Hàng Gai",)),
    UnitMatch("Phường Mới", "ward:moi", "Phường Mới", "new", 0.0, ("Hàng Mã", "Hàng Bồ")),
    UnitMatch("Hàng Bạc", "ward:hang-bac", "Hàng Bạc", "exact"),
    UnitMatch("Đồng Xuân", "ward:dong-xuan", "Đồng Xuân", "exact"),
]


@pytest.mark.parametrize(("lang", "how"), [
    ("vi", ["mới", "gần giống", "khớp đúng", "khớp đúng"]),
    ("en", ["new", "fuzzy", "exact", "exact"]),
])
def test_matches_table_puts_new_and_fuzzy_first_once_each(lang: str, how: list[str]) -> None:
    expected = pd.DataFrame({
        "raw_name": ["Phường Mới", "Hang Gai", "Đồng Xuân", "Hàng Bạc"],
        "unit": ["Phường Mới (ward:moi)", "Hàng Gai (ward:hang-gai)", "Đồng Xuân (ward:dong-xuan)",
                 "Hàng Bạc (ward:hang-bac)"],
        "how": how, "score": [0.0, 91.0, 100.0, 100.0],
        "suggestions": ["Hàng Mã, Hàng Bồ", "Hàng Gai", "", ""]})
    pd.testing.assert_frame_equal(matches_table(MATCHES, lang=lang), expected)


def test_attention_count_counts_new_and_fuzzy_names_once() -> None:
    assert attention_count(MATCHES) == 2
    assert attention_count(MATCHES + [UnitMatch("Phường Mới", "ward:moi", "Phường Mới", "new")]) == 2
    assert attention_count([]) == 0


def test_unit_choices_known_units_and_proposed_ones_in_vietnamese_order() -> None:
    units = pd.DataFrame({"unit_id": ["ward:dong-xuan", "ward:hang-bac", "ward:cua-nam"],
                          "name": ["Đồng Xuân", "Hàng Bạc", "Cửa Nam"]})
    choices = unit_choices(units, MATCHES)
    assert list(choices.values()) == ["ward:cua-nam", "ward:dong-xuan", "ward:hang-bac",
                                      "ward:hang-gai", "ward:moi"]
    assert choices["Đồng Xuân (ward:dong-xuan)"] == "ward:dong-xuan"
    assert choice_label("ward:moi", "Phường Mới") in choices


def test_changed_units_maps_names_as_written_to_chosen_ids() -> None:
    choices = {choice_label(m.unit_id, m.name): m.unit_id for m in MATCHES}
    before = matches_table(MATCHES)
    after = before.copy()
    after.loc[0, "unit"] = "Hàng Bạc (ward:hang-bac)"
    assert changed_units(before, before, choices) == {}
    assert changed_units(before, after, choices) == {"Phường Mới": "ward:hang-bac"}
    after.loc[1, "unit"] = "Nowhere (x)"
    with pytest.raises(UsageError, match="Không có đơn vị 'Nowhere \\(x\\)'"):
        changed_units(before, after, choices)


def test_unit_override_feeds_back_into_parse_file() -> None:
    data = fill_template(template_workbook("PAR", period="2024"), 7, par_rows())
    parsed = parse_file(data, "mau.xlsx", UnitRegistry(seed_units()),
                        unit_overrides={"P. Hàng Gai": "ward:hang-bai"})
    chosen = {m.raw_name: (m.unit_id, m.how) for m in parsed.matches()}
    assert chosen["P. Hàng Gai"] == ("ward:hang-bai", "chosen")
    assert set(parsed.scores["unit_id"]) == {"ward:hang-bac", "ward:hang-bai"}


ISSUES = [
    Issue("warning", "2024", "", "Tên gần giống", "Fuzzy name", "fuzzy_unit"),
    Issue("error", "2024", "F12", "Ô F12 không phải số", "F12 not a number", "not_number"),
    Issue("warning", "2023", "H9", "Tổng lệch", "Total off", "sum_mismatch"),
    Issue("error", "2023", "C7", "Vượt tối đa", "Above max", "above_max"),
]


@pytest.mark.parametrize(("lang", "expected"), [
    ("vi", {"severity": ["Lỗi", "Lỗi", "Cảnh báo", "Cảnh báo"],
            "message": ["Ô F12 không phải số", "Vượt tối đa", "Tên gần giống", "Tổng lệch"]}),
    ("en", {"severity": ["Error", "Error", "Warning", "Warning"],
            "message": ["F12 not a number", "Above max", "Fuzzy name", "Total off"]}),
])
def test_issues_table_errors_first_in_found_order(lang: str, expected: dict) -> None:
    frame = pd.DataFrame({"severity": expected["severity"], "sheet": ["2024", "2023", "2024", "2023"],
                          "cell": ["F12", "C7", "", "H9"], "message": expected["message"]})
    pd.testing.assert_frame_equal(issues_table(ISSUES, lang=lang), frame)
    assert issue_counts(ISSUES) == {"error": 2, "warning": 2}


def test_issues_table_empty_keeps_columns() -> None:
    assert list(issues_table([]).columns) == ["severity", "sheet", "cell", "message"]
    assert issue_counts([]) == {"error": 0, "warning": 0}


@pytest.mark.parametrize(("text", "expected"), [
    ("", None), ("  ", None), ("2024", "2024"), (" 2024-03 ", "2024-03"), ("2024-q2", "2024-Q2"),
])
def test_check_period_accepts_years_months_quarters(text: str, expected: str | None) -> None:
    assert check_period(text) == expected


@pytest.mark.parametrize("text", ["24", "2024-13", "2024-Q5", "năm 2024", "2024/03"])
def test_check_period_refuses_other_text(text: str) -> None:
    with pytest.raises(UsageError, match=f"Kỳ '{text}' không hợp lệ"):
        check_period(text)


@pytest.mark.parametrize(("periods", "label"), [
    ([], ""), (["2024"], "2024"), (["2019", "2017", "2018"], "2017–2019"),
    (["2019", "2021"], "2019, 2021"), (["2024", "2017", "2019", "2020"], "2017, 2019–2020, 2024"),
    (["2023-01", "2024-12", "2023-05"], "2023-01 … 2024-12"),
])
def test_periods_label(periods: list[str], label: str) -> None:
    assert periods_label(periods) == label


def test_save_options_keep_only_what_was_given() -> None:
    assert save_options() == {}
    assert save_options(index="PAR", period=None, sheet="", roles={"2024": {}}) == {"index": "PAR"}
    assert save_options(period="2024", roles={"2024": {"C": "ignore"}},
                        unit_overrides={"P. Hàng Gai": "ward:hang-bai"}) == {
        "period": "2024", "roles": {"2024": {"C": "ignore"}},
        "unit_overrides": {"P. Hàng Gai": "ward:hang-bai"}}


@pytest.mark.parametrize(("kwargs", "lang", "text"), [
    ({"version": 3, "duplicate": False}, "vi", "Đã lưu tệp 'a.xlsx' thành phiên bản 3."),
    ({"version": 3, "duplicate": False}, "en", "Stored 'a.xlsx' as version 3."),
    ({"version": 4, "duplicate": False, "superseded": (1, 2)}, "en",
     "Stored 'a.xlsx' as version 4 (superseding version 1, 2)."),
    ({"version": 2, "duplicate": True}, "vi",
     "Tệp 'a.xlsx' đã được lưu trước đó: phiên bản 2. Không lưu thêm."),
    ({"version": 2, "duplicate": True}, "en",
     "'a.xlsx' was already stored as version 2. Nothing new stored."),
])
def test_save_message(kwargs: dict, lang: str, text: str) -> None:
    assert save_message(file_name="a.xlsx", lang=lang, **kwargs) == text


def test_datasets_table() -> None:
    datasets = [
        {"version": 2, "index": "PAR", "periods": ["2018", "2017"], "file": "b.xlsx", "units": 30,
         "status": "active", "uploaded_at": "2024-05-01T10:00:00", "uploaded_by": "an"},
        {"version": 1, "index": "PAR", "periods": ["2017"], "file": "a.xlsx", "units": 29,
         "status": "superseded", "uploaded_at": "2024-04-01T09:00:00", "uploaded_by": "binh"},
    ]
    expected = pd.DataFrame({
        "version": [2, 1], "status": ["active", "superseded"], "index": ["PAR Index", "PAR Index"],
        "periods": ["2017–2018", "2017"], "file": ["b.xlsx", "a.xlsx"], "units": [30, 29],
        "uploaded_at": ["2024-05-01 10:00:00", "2024-04-01 09:00:00"], "uploaded_by": ["an", "binh"]})
    pd.testing.assert_frame_equal(datasets_table(datasets, lang="en"), expected)
    assert list(datasets_table(datasets, lang="vi")["status"]) == ["đang dùng", "đã thay thế"]
    sample = [{**datasets[0], "index": "DISCIPLINE", "uploaded_by": "sample"}]
    assert datasets_table(sample, lang="vi")[["index", "uploaded_by"]].values.tolist() == [
        ["Kỷ cương hành chính", "dữ liệu mẫu"]]


def test_status_names_the_periods_still_in_use() -> None:
    entry = {"status": "active", "periods": ["2017", "2018", "2019"],
             "periods_in_use": ["2018"]}
    assert status_text(entry, lang="en") == "in use: 2018 of 2017–2019"
    assert status_text(entry, lang="vi") == "đang dùng: 2018 trong 2017–2019"
    assert status_text({**entry, "periods_in_use": ["2019", "2017", "2018"]}, lang="en") == "active"
    assert status_text({**entry, "status": "superseded", "periods_in_use": []},
                       lang="en") == "superseded"


def test_audit_table_latest_first_limited() -> None:
    audit = pd.DataFrame({"id": [1, 2, 3], "at": ["t1", "t2", "t3"], "who": ["a", "b", "c"],
                          "action": ["import", "delete", "restore"], "version": [1.0, 1.0, None],
                          "detail": ["{}", "{}", "{}"]})
    expected = pd.DataFrame({"at": ["t3", "t2"], "who": ["c", "b"], "action": ["restore", "delete"],
                             "version": pd.array([pd.NA, 1], dtype="Int64"), "detail": ["{}", "{}"]})
    pd.testing.assert_frame_equal(audit_table(audit, limit=2), expected)
    assert audit["id"].tolist() == [1, 2, 3]


class _Upload:
    def __init__(self, name: str, data: bytes) -> None:
        self.name, self._data = name, data

    def getvalue(self) -> bytes:
        return self._data


def test_distinct_uploads_keeps_the_first_of_equal_contents() -> None:
    files = [_Upload("a.xlsx", b"1"), _Upload("b.xlsx", b"2"), _Upload("a (1).xlsx", b"1")]
    assert [f.name for f in distinct_uploads(files)] == ["a.xlsx", "b.xlsx"]
    assert distinct_uploads(None) == []
