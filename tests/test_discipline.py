"""Tests of reform.discipline: category matching, rates, repeat violators, scores."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from reform.analysis import discipline
from reform.core.errors import UsageError
from reform.core.model import INSPECTION_COLUMNS, SCORE_COLUMNS

UNITS = pd.DataFrame({
    "unit_id": ["ward:hang-bac", "ward:dong-xuan", "ward:cua-dong"],
    "name": ["Hàng Bạc", "Đồng Xuân", "Cửa Đông"],
    "level": ["ward", "ward", "ward"],
    "parent_id": ["district:hoan-kiem"] * 3,
    "aliases": [(), (), ()],
    "valid_from": [None] * 3,
    "valid_to": [None] * 3,
})

HB, DX, CD = "ward:hang-bac", "ward:dong-xuan", "ward:cua-dong"


def make_records(rows: list[tuple]) -> pd.DataFrame:
    """Inspection records from (date, unit_id, team, kind, category, violations, officials
    [, version]) tuples."""
    full = [(*row, "v1") if len(row) == 7 else row for row in rows]
    frame = pd.DataFrame(full, columns=["date", "unit_id", "team", "kind", "category",
                                        "violations", "officials_checked", "version"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["note"] = ""
    frame["source"] = [f"Sheet1!B{i + 2}" for i in range(len(frame))]
    return frame[INSPECTION_COLUMNS]


# Hàng Bạc: three visits. The 5 Jan visit is two category rows of one team (10 officials,
# counted once); the 4 Mar visit is two rows that disagree on officials (10 and 9: max 10).
RECORDS = make_records([
    ("2024-01-05", HB, "Đoàn 1", "regular", "hours", 2, 10),
    ("2024-01-05", HB, "Đoàn 1", "regular", "dress", 1, 10),
    ("2024-01-20", DX, "Đoàn 1", "unannounced", "none", 0, 8),
    ("2024-02-03", HB, "Đoàn 2", "unannounced", "attitude", 1, 12, "v2"),
    ("2024-03-04", CD, "Đoàn 1", "regular", "none", 0, 5),
    ("2024-03-04", HB, "Đoàn 1", "regular", "hours", 3, 10),
    ("2024-03-04", HB, "Đoàn 1", "regular", "absence", 1, 9),
])


def frame(columns: dict) -> pd.DataFrame:
    return pd.DataFrame(columns).astype({
        name: dtype for name, dtype in {
            "inspections": "int64", "violations": "int64", "officials_checked": "int64",
            "rate_per_100": "float64", "months_with_violations": "int64",
            "value": "float64", "max_value": "float64",
        }.items() if name in columns
    })


# --- matching -------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "code"), [
    ("Đi muộn về sớm", "hours"),
    ("ĐI MUỘN", "hours"),
    ("đi muộn", "hours"),
    ("Đi muộnn", "hours"),  # typo: rapidfuzz
    ("Giờ giấc làm việc", "hours"),
    ("Trang phuc", "dress"),
    ("Trang phụcc", "dress"),  # typo: rapidfuzz
    ("không đeo thẻ", "dress"),  # starts with "không" yet is a violation
    ("thái độ với công dân", "attitude"),
    ("Quy tắc ứng xử", "attitude"),
    ("Bỏ vị trí", "absence"),
    ("Vệ sinh nơi làm việc", "tidiness"),
    ("làm việc riêng trong giờ làm việc", "private"),  # longest phrase wins over "giờ làm việc"
    ("Chơi game", "private"),
    ("khác", "other"),
    ("Working hours", "hours"),
    ("hours", "hours"),
    ("Không vi phạm", "none"),
    ("KHÔNG CÓ VI PHẠM", "none"),
    ("", "none"),
    ("-", "none"),
    (None, "none"),
    ("họp giao ban", None),
    ("lam", None),  # in both "giờ làm việc" and "làm việc riêng": ambiguous
])
def test_match_category(text: object, code: str | None) -> None:
    assert discipline.match_category(text) == code


@pytest.mark.parametrize(("text", "kind"), [
    ("Thường xuyên", "regular"),
    ("Kiểm tra định kỳ", "regular"),
    ("theo kế hoạch", "regular"),
    ("ĐỘT XUẤT", "unannounced"),
    ("bất ngờ", "unannounced"),
    ("Không theo kế hoạch", "unannounced"),
    ("unannounced", "unannounced"),
    ("", None),
    ("Đoàn 1", None),
])
def test_match_kind(text: str, kind: str | None) -> None:
    assert discipline.match_kind(text) == kind


@pytest.mark.parametrize(("code", "lang", "name"), [
    ("hours", "vi", "Giờ giấc làm việc"),
    ("hours", "en", "Working hours"),
    ("none", "vi", "Không vi phạm"),
    ("none", "en", "No violation"),
    ("retired-code", "vi", "retired-code"),
])
def test_category_name(code: str, lang: str, name: str) -> None:
    assert discipline.category_name(code, lang) == name


# --- rates ----------------------------------------------------------------------------------


RATES_BY_UNIT = frame({
    "unit_id": [CD, DX, HB], "unit": ["Cửa Đông", "Đồng Xuân", "Hàng Bạc"],
    "inspections": [1, 1, 3], "violations": [0, 0, 8], "officials_checked": [5, 8, 32],
    "rate_per_100": [0.0, 0.0, 25.0],
})

RATES_BY_CATEGORY = frame({
    "category": ["hours", "absence", "dress", "attitude"],
    "category_name": ["Giờ giấc làm việc", "Bỏ vị trí công tác", "Trang phục, thẻ công chức",
                      "Thái độ với người dân"],
    "inspections": [5, 5, 5, 5], "violations": [5, 1, 1, 1],
    "officials_checked": [45, 45, 45, 45],
    "rate_per_100": [5 / 45 * 100, 1 / 45 * 100, 1 / 45 * 100, 1 / 45 * 100],
})

RATES_BY_UNIT_CATEGORY = frame({
    "unit_id": [HB] * 4, "unit": ["Hàng Bạc"] * 4,
    "category": ["hours", "absence", "dress", "attitude"],
    "category_name": ["Working hours", "Leaving the post", "Dress and badge",
                      "Attitude toward citizens"],
    "inspections": [3] * 4, "violations": [5, 1, 1, 1], "officials_checked": [32] * 4,
    "rate_per_100": [15.625, 3.125, 3.125, 3.125],
})

RATES_BY_MONTH = frame({
    "period": ["2024-01", "2024-02", "2024-03"], "inspections": [2, 1, 2],
    "violations": [3, 1, 4], "officials_checked": [18, 12, 15],
    "rate_per_100": [3 / 18 * 100, 1 / 12 * 100, 4 / 15 * 100],
})

RATES_BY_KIND = frame({
    "kind": ["regular", "unannounced"], "inspections": [3, 2], "violations": [7, 1],
    "officials_checked": [25, 20], "rate_per_100": [28.0, 5.0],
})

RATES_BY_YEAR_KIND_UNIT = frame({
    "unit_id": [CD, DX, HB, HB], "unit": ["Cửa Đông", "Đồng Xuân", "Hàng Bạc", "Hàng Bạc"],
    "period": ["2024"] * 4, "kind": ["regular", "unannounced", "regular", "unannounced"],
    "inspections": [1, 1, 2, 1], "violations": [0, 0, 7, 1], "officials_checked": [5, 8, 20, 12],
    "rate_per_100": [0.0, 0.0, 35.0, 1 / 12 * 100],
})

RATES_ALL = frame({"inspections": [5], "violations": [8], "officials_checked": [45],
                   "rate_per_100": [8 / 45 * 100]})


@pytest.mark.parametrize(("options", "expected"), [
    ({"by": ("unit",)}, RATES_BY_UNIT),
    ({"by": "unit"}, RATES_BY_UNIT),
    ({"by": ("category",)}, RATES_BY_CATEGORY),
    ({"by": ("category", "unit"), "lang": "en"}, RATES_BY_UNIT_CATEGORY),
    ({"by": ("month",)}, RATES_BY_MONTH),
    ({"by": ("period",), "period": "month"}, RATES_BY_MONTH),
    ({"by": ("kind",)}, RATES_BY_KIND),
    ({"by": ("kind", "year", "unit")}, RATES_BY_YEAR_KIND_UNIT),
    ({"by": ()}, RATES_ALL),
    ({"by": ("unit",), "within": "2024-03"}, frame({
        "unit_id": [CD, HB], "unit": ["Cửa Đông", "Hàng Bạc"], "inspections": [1, 1],
        "violations": [0, 4], "officials_checked": [5, 10], "rate_per_100": [0.0, 40.0]})),
])
def test_violation_rates(options: dict, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(discipline.violation_rates(RECORDS, UNITS, **options), expected)


def test_violation_rates_counts_officials_once_per_visit() -> None:
    # One visit written as three category rows, each repeating the 12 officials; a second
    # team the same day is a second visit with its own officials.
    records = make_records([
        ("2024-05-02", HB, "Đoàn 1", "regular", "hours", 1, 12),
        ("2024-05-02", HB, "Đoàn 1", "regular", "dress", 2, 12),
        ("2024-05-02", HB, "Đoàn 1", "regular", "private", 1, 12),
        ("2024-05-02", HB, "Đoàn 2", "unannounced", "hours", 1, 8),
    ])
    expected = frame({"unit_id": [HB], "unit": ["Hàng Bạc"], "inspections": [2],
                      "violations": [5], "officials_checked": [20], "rate_per_100": [25.0]})
    pd.testing.assert_frame_equal(discipline.violation_rates(records, UNITS), expected)


def test_violation_rates_nan_when_nobody_checked_and_unknown_unit_keeps_id() -> None:
    records = make_records([("2024-05-02", "ward:new", "Đoàn 1", "regular", "hours", 1, 0)])
    expected = frame({"unit_id": ["ward:new"], "unit": ["ward:new"], "inspections": [1],
                      "violations": [1], "officials_checked": [0], "rate_per_100": [np.nan]})
    pd.testing.assert_frame_equal(discipline.violation_rates(records, UNITS), expected)


def test_violation_rates_level_filter() -> None:
    units = UNITS.assign(level=["ward", "office", "ward"])
    result = discipline.violation_rates(RECORDS, units, level="office")
    pd.testing.assert_frame_equal(result, RATES_BY_UNIT.iloc[[1]].reset_index(drop=True))


def test_violation_rates_leaves_input_unchanged() -> None:
    before = RECORDS.copy()
    discipline.violation_rates(RECORDS, UNITS, by=("unit", "category", "month"))
    pd.testing.assert_frame_equal(RECORDS, before)


@pytest.mark.parametrize(("options", "message"), [
    ({"by": ("team",)}, "Không nhóm được theo"),
    ({"by": ("month", "year")}, "một loại kỳ"),
    ({"by": ("period",), "period": "week"}, "Kỳ tổng hợp 'week'"),
    ({"within": "2023"}, "Không có biên bản kiểm tra nào trong kỳ 2023"),
    ({"within": "March"}, "Kỳ 'March' không hợp lệ"),
    ({"level": "province"}, "cấp 'province'"),
])
def test_violation_rates_refuses_bad_options(options: dict, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        discipline.violation_rates(RECORDS, UNITS, **options)


def test_missing_column_is_named() -> None:
    with pytest.raises(UsageError, match="thiếu cột: officials_checked") as caught:
        discipline.kind_comparison(RECORDS.drop(columns="officials_checked"))
    assert caught.value.message("en") == "The inspection table lacks the columns: officials_checked."


# --- kind comparison, monthly overview, matrix -------------------------------------------


@pytest.mark.parametrize(("period", "expected"), [
    (None, RATES_BY_KIND),
    ("2024-02", frame({"kind": ["regular", "unannounced"], "inspections": [0, 1],
                       "violations": [0, 1], "officials_checked": [0, 12],
                       "rate_per_100": [np.nan, 1 / 12 * 100]})),
])
def test_kind_comparison(period: str | None, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(discipline.kind_comparison(RECORDS, period=period), expected)


def test_monthly_overview_lists_every_month_of_the_year() -> None:
    result = discipline.monthly_overview(RECORDS, UNITS, year=2024)
    empty_months = 9
    expected = frame({
        "period": [f"2024-{m:02d}" for m in range(1, 13)],
        "inspections": [2, 1, 2] + [0] * empty_months,
        "violations": [3, 1, 4] + [0] * empty_months,
        "officials_checked": [18, 12, 15] + [0] * empty_months,
        "rate_per_100": [3 / 18 * 100, 1 / 12 * 100, 4 / 15 * 100] + [np.nan] * empty_months,
    })
    pd.testing.assert_frame_equal(result, expected)


def test_monthly_overview_without_year_lists_months_with_records() -> None:
    pd.testing.assert_frame_equal(discipline.monthly_overview(RECORDS, UNITS), RATES_BY_MONTH)


def test_unit_month_matrix() -> None:
    result = discipline.unit_month_matrix(RECORDS, UNITS, year="2024")
    months = [f"2024-{m:02d}" for m in range(1, 13)]
    values = np.full((3, 12), np.nan)
    values[0, 2] = 0.0  # Cửa Đông, March
    values[1, 0] = 0.0  # Đồng Xuân, January
    values[2, :3] = [30.0, 1 / 12 * 100, 40.0]  # Hàng Bạc
    expected = pd.DataFrame(
        values,
        index=pd.Index(["Cửa Đông", "Đồng Xuân", "Hàng Bạc"], dtype="str", name="unit"),
        columns=pd.Index(months, dtype="str", name="period"),
    )
    pd.testing.assert_frame_equal(result, expected)


def test_unit_month_matrix_refuses_a_month() -> None:
    with pytest.raises(UsageError, match="không phải một năm"):
        discipline.unit_month_matrix(RECORDS, UNITS, year="2024-03")


# --- repeat violators ---------------------------------------------------------------------

REPEAT_RECORDS = make_records([
    ("2023-12-10", DX, "Đoàn 1", "regular", "hours", 1, 10),
    ("2024-01-10", DX, "Đoàn 1", "regular", "dress", 2, 10),
    ("2024-05-10", DX, "Đoàn 1", "regular", "dress", 1, 10),
    ("2024-01-11", HB, "Đoàn 1", "regular", "hours", 1, 10),
    ("2024-02-11", HB, "Đoàn 1", "regular", "hours", 1, 10),
    ("2024-03-11", HB, "Đoàn 1", "regular", "tidiness", 1, 10),
    ("2024-04-11", HB, "Đoàn 1", "regular", "hours", 1, 10),
    ("2024-06-12", CD, "Đoàn 1", "regular", "attitude", 5, 10),
    ("2024-07-12", CD, "Đoàn 1", "regular", "none", 0, 10),
    ("2024-08-12", CD, "Đoàn 1", "regular", "hours", 0, 10),  # a row with 0 violations
])


@pytest.mark.parametrize(("options", "expected"), [
    ({"min_months": 3}, frame({
        "unit_id": [HB, DX], "unit": ["Hàng Bạc", "Đồng Xuân"],
        "months_with_violations": [4, 3], "violations": [4, 4],
        "categories": ["Giờ giấc làm việc, Vệ sinh, sắp xếp nơi làm việc",
                       "Giờ giấc làm việc, Trang phục, thẻ công chức"]})),
    ({"min_months": 2, "period": "2024"}, frame({
        "unit_id": [HB, DX], "unit": ["Hàng Bạc", "Đồng Xuân"],
        "months_with_violations": [4, 2], "violations": [4, 3],
        "categories": ["Giờ giấc làm việc, Vệ sinh, sắp xếp nơi làm việc",
                       "Trang phục, thẻ công chức"]})),
    ({"min_months": 1, "period": "2024", "lang": "en"}, frame({
        "unit_id": [HB, DX, CD], "unit": ["Hàng Bạc", "Đồng Xuân", "Cửa Đông"],
        "months_with_violations": [4, 2, 1], "violations": [4, 3, 5],
        "categories": ["Tidiness, Working hours", "Dress and badge",
                       "Attitude toward citizens"]})),
    ({"min_months": 5}, frame({
        "unit_id": pd.Series([], dtype="str"), "unit": pd.Series([], dtype="str"),
        "months_with_violations": [], "violations": [],
        "categories": pd.Series([], dtype="str")})),
])
def test_repeat_violators(options: dict, expected: pd.DataFrame) -> None:
    result = discipline.repeat_violators(REPEAT_RECORDS, UNITS, **options)
    pd.testing.assert_frame_equal(result, expected)


@pytest.mark.parametrize(("options", "message"), [
    ({"min_months": 0}, "Số tháng tối thiểu phải ≥ 1"),
    ({"period": "2024-03"}, "phải là một năm"),
    ({"period": "2020"}, "trong kỳ 2020"),
])
def test_repeat_violators_refuses_bad_options(options: dict, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        discipline.repeat_violators(REPEAT_RECORDS, UNITS, **options)


# --- scores -------------------------------------------------------------------------------


def scores(rows: list[tuple]) -> pd.DataFrame:
    """SCORE_COLUMNS rows of DISCIPLINE TOTAL from (period, unit_id, value, version)."""
    return pd.DataFrame({
        "index": ["DISCIPLINE"] * len(rows),
        "period": [row[0] for row in rows],
        "unit_id": [row[1] for row in rows],
        "component": ["TOTAL"] * len(rows),
        "value": [float(row[2]) for row in rows],
        "max_value": [100.0] * len(rows),
        "source": [f"inspections:{row[3]}" for row in rows],
        "version": [row[3] for row in rows],
    })[SCORE_COLUMNS]


@pytest.mark.parametrize(("options", "expected"), [
    # Hàng Bạc: 5 hours × 1 + 1 absence × 1.5 + 1 dress × 0.5 + 1 attitude × 2 = 9 → 100 − 18.
    ({}, scores([("2024", CD, 100, "v1"), ("2024", DX, 100, "v1"), ("2024", HB, 82, "v2")])),
    ({"weights": {"hours": 0.0}},
     scores([("2024", CD, 100, "v1"), ("2024", DX, 100, "v1"), ("2024", HB, 92, "v2")])),
    ({"points_per_violation": 20.0},
     scores([("2024", CD, 100, "v1"), ("2024", DX, 100, "v1"), ("2024", HB, 0, "v2")])),
    ({"base": 10.0, "points_per_violation": 1.0},
     scores([("2024", CD, 10, "v1"), ("2024", DX, 10, "v1"), ("2024", HB, 1, "v2")])
     .assign(max_value=10.0)),
    ({"period": "month"}, scores([
        ("2024-01", DX, 100, "v1"), ("2024-01", HB, 95, "v1"), ("2024-02", HB, 96, "v2"),
        ("2024-03", CD, 100, "v1"), ("2024-03", HB, 91, "v1")])),
    ({"period": "quarter"},
     scores([("2024-Q1", CD, 100, "v1"), ("2024-Q1", DX, 100, "v1"), ("2024-Q1", HB, 82, "v2")])),
])
def test_discipline_scores(options: dict, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(discipline.discipline_scores(RECORDS, **options), expected)


def test_discipline_scores_floor_at_zero_and_unknown_category_weighs_as_other() -> None:
    records = make_records([
        ("2024-05-02", HB, "Đoàn 1", "regular", "hours", 60, 12),
        ("2024-05-02", DX, "Đoàn 1", "regular", "retired-code", 3, 12),
    ])
    expected = scores([("2024", DX, 94, "v1"), ("2024", HB, 0, "v1")])
    pd.testing.assert_frame_equal(discipline.discipline_scores(records), expected)


@pytest.mark.parametrize(("options", "message"), [
    ({"period": "week"}, "Kỳ tổng hợp 'week'"),
    ({"weights": {"dress": -1.0}}, "không được âm"),
    ({"base": 0.0}, "Điểm chuẩn phải > 0"),
    ({"points_per_violation": -2.0}, "Điểm chuẩn phải > 0"),
])
def test_discipline_scores_refuses_bad_options(options: dict, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        discipline.discipline_scores(RECORDS, **options)


# --- drill-down -------------------------------------------------------------------------------


def test_unit_records_newest_first_with_names() -> None:
    result = discipline.unit_records(RECORDS, UNITS, unit_id=HB, period="2024-03", lang="en")
    expected = pd.DataFrame({
        "date": pd.to_datetime(["2024-03-04", "2024-03-04"]),
        "unit_id": [HB, HB], "unit": ["Hàng Bạc"] * 2, "team": ["Đoàn 1"] * 2,
        "kind": ["regular"] * 2, "kind_name": ["Regular"] * 2,
        "category": ["hours", "absence"], "category_name": ["Working hours", "Leaving the post"],
        "violations": [3, 1], "officials_checked": [10, 9], "note": ["", ""],
        "source": ["Sheet1!B7", "Sheet1!B8"], "version": ["v1", "v1"],
    })
    pd.testing.assert_frame_equal(result, expected)


def test_unit_records_all_periods_in_date_order() -> None:
    result = discipline.unit_records(RECORDS, UNITS, unit_id=HB)
    assert list(result["date"].dt.strftime("%Y-%m-%d")) == [
        "2024-03-04", "2024-03-04", "2024-02-03", "2024-01-05", "2024-01-05"]
    assert list(result["category_name"]) == [
        "Giờ giấc làm việc", "Bỏ vị trí công tác", "Thái độ với người dân",
        "Giờ giấc làm việc", "Trang phục, thẻ công chức"]


def test_unit_records_unknown_unit() -> None:
    with pytest.raises(UsageError, match="Không tìm thấy đơn vị 'ward:nowhere'"):
        discipline.unit_records(RECORDS, UNITS, unit_id="ward:nowhere")


def test_no_records_give_empty_frames_with_their_columns() -> None:
    empty = RECORDS.iloc[0:0]
    expected = frame({"unit_id": pd.Series([], dtype="str"), "unit": pd.Series([], dtype="str"),
                      "inspections": [], "violations": [], "officials_checked": [],
                      "rate_per_100": []})
    pd.testing.assert_frame_equal(discipline.violation_rates(empty, UNITS), expected)
    assert list(discipline.discipline_scores(empty).columns) == SCORE_COLUMNS
    assert discipline.discipline_scores(empty).empty
