"""Tests of reform.satisfaction: SIPAS elements and gaps, targets, cross-index comparison."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from reform.analysis import discipline, satisfaction
from reform.core.errors import UsageError
from reform.core.model import COMPONENT_COLUMNS, INSPECTION_COLUMNS, SCORE_COLUMNS

HB, DX, CD, TT = "ward:hang-bac", "ward:dong-xuan", "ward:cua-dong", "ward:trang-tien"

UNITS = pd.DataFrame({
    "unit_id": [HB, DX, CD, TT, "district:hoan-kiem"],
    "name": ["Hàng Bạc", "Đồng Xuân", "Cửa Đông", "Tràng Tiền", "Hoàn Kiếm"],
    "level": ["ward", "ward", "ward", "ward", "district"],
    "parent_id": ["district:hoan-kiem"] * 4 + [""],
})


def components(period: str = "2024") -> pd.DataFrame:
    """SIPAS tree of two elements; element 2 lists its measures in another order, and
    element 1's expectation is spelt "Mức độ kỳ vọng"."""
    rows = [
        ("TOTAL", "Chỉ số SIPAS", "", 100.0),
        ("1", "Tiếp cận dịch vụ", "", np.nan),
        ("1.1", "Đánh giá", "1", 100.0),
        ("1.2", "Hài lòng", "1", 100.0),
        ("1.3", "Mức độ kỳ vọng", "1", 100.0),
        ("2", "Thủ tục hành chính", "", np.nan),
        ("2.1", "KỲ VỌNG", "2", 100.0),
        ("2.2", "Đánh giá", "2", 100.0),
        ("2.3", "Sự hài lòng", "2", 100.0),
        ("2.4", "Ghi chú khác", "2", np.nan),  # not a measure: ignored
    ]
    return pd.DataFrame({
        "index": "SIPAS", "period": period,
        "component": [row[0] for row in rows], "name": [row[1] for row in rows],
        "parent": [row[2] for row in rows], "max_value": [row[3] for row in rows],
        "order": range(len(rows)), "version": "v1",
    })[COMPONENT_COLUMNS]


def score_rows(index: str, period: str, rows: list[tuple]) -> pd.DataFrame:
    """SCORE_COLUMNS from (unit_id, component, value, max_value) tuples."""
    return pd.DataFrame({
        "index": index, "period": period,
        "unit_id": [row[0] for row in rows], "component": [row[1] for row in rows],
        "value": [float(row[2]) for row in rows], "max_value": [row[3] for row in rows],
        "source": "test", "version": "v1",
    })[SCORE_COLUMNS]


# Element 1 in % of 100; element 2 of Đồng Xuân comes in points out of 50 (→ %).
SIPAS = score_rows("SIPAS", "2024", [
    (HB, "TOTAL", 78.0, 100.0), (HB, "1.1", 70, 100.0), (HB, "1.2", 80, 100.0),
    (HB, "1.3", 90, 100.0), (HB, "2.1", 85, 100.0), (HB, "2.2", 75, 100.0),
    (HB, "2.3", 72, 100.0),
    (DX, "TOTAL", 85.0, 100.0), (DX, "1.1", 65, 100.0), (DX, "1.2", 60, 100.0),
    (DX, "1.3", 95, 100.0), (DX, "2.1", 42, 50.0), (DX, "2.2", 41, 50.0),
    (DX, "2.3", 40, 50.0),
    (CD, "TOTAL", 70.0, np.nan),
])

PAR = score_rows("PAR", "2024", [
    (HB, "TOTAL", 45.0, 50.0), (DX, "TOTAL", 80.0, np.nan), (CD, "TOTAL", 70.0, 100.0),
    (TT, "TOTAL", 95.0, 100.0),
])


def element_frame(columns: dict) -> pd.DataFrame:
    return pd.DataFrame(columns).astype({name: "float64" for name in (
        "assessment", "satisfaction", "expectation", "gap") if name in columns})


ALL_ELEMENTS = element_frame({
    "unit_id": [DX, DX, HB, HB],
    "unit": ["Đồng Xuân", "Đồng Xuân", "Hàng Bạc", "Hàng Bạc"],
    "element": ["1", "2", "1", "2"],
    "element_name": ["Tiếp cận dịch vụ", "Thủ tục hành chính"] * 2,
    "assessment": [65.0, 82.0, 70.0, 75.0],
    "satisfaction": [60.0, 80.0, 80.0, 72.0],
    "expectation": [95.0, 84.0, 90.0, 85.0],
    "gap": [35.0, 4.0, 10.0, 13.0],
})


@pytest.mark.parametrize(("text", "role"), [
    ("Đánh giá", "assessment"),
    ("HÀI LÒNG", "satisfaction"),
    ("Mức độ hài lòng", "satisfaction"),
    ("Đánh giá mức độ hài lòng", "satisfaction"),
    ("Kỳ vọng", "expectation"),
    ("Mong đợi của người dân", "expectation"),
    ("Ghi chú", None),
])
def test_measure_role(text: str, role: str | None) -> None:
    assert satisfaction.measure_role(text) == role


@pytest.mark.parametrize(("unit_id", "rows"), [
    (None, [0, 1, 2, 3]),
    (HB, [2, 3]),
])
def test_element_table(unit_id: str | None, rows: list[int]) -> None:
    result = satisfaction.element_table(SIPAS, components(), UNITS, period="2024",
                                        unit_id=unit_id)
    expected = ALL_ELEMENTS.iloc[rows].reset_index(drop=True)
    pd.testing.assert_frame_equal(result, expected)


def test_element_table_missing_measure_is_nan() -> None:
    scores = SIPAS[~((SIPAS["unit_id"] == HB) & (SIPAS["component"] == "1.3"))]
    result = satisfaction.element_table(scores, components(), UNITS, period="2024", unit_id=HB)
    expected = ALL_ELEMENTS.iloc[[2, 3]].reset_index(drop=True)
    expected.loc[0, ["expectation", "gap"]] = np.nan
    pd.testing.assert_frame_equal(result, expected)


def test_element_table_leaves_input_unchanged() -> None:
    scores, tree = SIPAS.copy(), components()
    satisfaction.element_table(scores, tree, UNITS, period="2024")
    pd.testing.assert_frame_equal(scores, SIPAS)
    pd.testing.assert_frame_equal(tree, components())


@pytest.mark.parametrize(("call", "message"), [
    (lambda: satisfaction.element_table(SIPAS, components(), UNITS, period="2023"),
     "Không có điểm SIPAS cho kỳ 2023. Các kỳ có dữ liệu: 2024"),
    (lambda: satisfaction.element_table(SIPAS, components(), UNITS, period="2024",
                                        unit_id=CD), "không có điểm thành phần SIPAS"),
    (lambda: satisfaction.element_table(SIPAS, components("2023"), UNITS, period="2024"),
     "không có thành phần Đánh giá / Hài lòng / Kỳ vọng"),
    (lambda: satisfaction.element_gaps(SIPAS, components(), period="2025"),
     "Không có điểm SIPAS cho kỳ 2025"),
])
def test_element_errors(call, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        call()


def test_element_gaps_sorted_by_gap() -> None:
    result = satisfaction.element_gaps(SIPAS, components(), period="2024")
    expected = pd.DataFrame({
        "element": ["1", "2"], "element_name": ["Tiếp cận dịch vụ", "Thủ tục hành chính"],
        "satisfaction": [70.0, 76.0], "expectation": [92.5, 84.5], "gap": [22.5, 8.5],
    })
    pd.testing.assert_frame_equal(result, expected)


def test_element_gaps_largest_gap_first_whatever_the_element_order() -> None:
    scores = SIPAS.copy()
    scores.loc[scores["component"] == "2.1", "value"] = [100.0, 50.0]  # expectation 100 %
    result = satisfaction.element_gaps(scores, components(), period="2024")
    assert list(result["element"]) == ["2", "1"]
    assert list(result["gap"]) == [24.0, 22.5]


@pytest.mark.parametrize(("options", "expected"), [
    ({}, pd.DataFrame({"unit_id": [CD, HB], "unit": ["Cửa Đông", "Hàng Bạc"],
                       "value": [70.0, 78.0], "target": [80.0, 80.0],
                       "shortfall": [10.0, 2.0]})),
    ({"target": 75.0}, pd.DataFrame({"unit_id": [CD], "unit": ["Cửa Đông"], "value": [70.0],
                                     "target": [75.0], "shortfall": [5.0]})),
    ({"target": 60.0}, pd.DataFrame({
        "unit_id": pd.Series([], dtype="str"), "unit": pd.Series([], dtype="str"),
        "value": pd.Series([], dtype="float64"), "target": pd.Series([], dtype="float64"),
        "shortfall": pd.Series([], dtype="float64")})),
])
def test_below_target(options: dict, expected: pd.DataFrame) -> None:
    result = satisfaction.below_target(SIPAS, UNITS, period="2024", **options)
    pd.testing.assert_frame_equal(result, expected)


# --- cross-index ---------------------------------------------------------------------------


def inspection_scores() -> pd.DataFrame:
    """Discipline scores made the real way: Hàng Bạc loses 2 × 2 = 4 points, Tràng Tiền none."""
    records = pd.DataFrame({
        "date": pd.to_datetime(["2024-03-04", "2024-04-01"]), "unit_id": [HB, TT],
        "team": ["Đoàn 1", "Đoàn 1"], "kind": ["regular", "unannounced"],
        "category": ["hours", "none"], "violations": [2, 0], "officials_checked": [10, 6],
        "note": "", "source": "Sheet1", "version": "v3",
    })[INSPECTION_COLUMNS]
    return discipline.discipline_scores(records)


def test_cross_index() -> None:
    scores = pd.concat([SIPAS, PAR, inspection_scores()], ignore_index=True)
    result = satisfaction.cross_index(scores, UNITS, period="2024")
    # PAR Hàng Bạc 45 of 50 = 90 %; Đồng Xuân's PAR maximum unknown: points as they are;
    # Tràng Tiền has PAR and DISCIPLINE, so two indices: kept.
    expected = pd.DataFrame({
        "unit_id": [CD, DX, HB, TT],
        "unit": ["Cửa Đông", "Đồng Xuân", "Hàng Bạc", "Tràng Tiền"],
        "PAR": [70.0, 80.0, 90.0, 95.0],
        "SIPAS": [70.0, 85.0, 78.0, np.nan],
        "DISCIPLINE": [np.nan, np.nan, 96.0, 100.0],
    })
    pd.testing.assert_frame_equal(result, expected)


def test_cross_index_keeps_units_in_two_indices_only() -> None:
    scores = pd.concat([SIPAS, PAR], ignore_index=True)
    result = satisfaction.cross_index(scores, UNITS, period="2024", indices=("SIPAS", "PAPI"))
    expected = pd.DataFrame({
        "unit_id": pd.Series([], dtype="str"), "unit": pd.Series([], dtype="str"),
        "SIPAS": pd.Series([], dtype="float64"), "PAPI": pd.Series([], dtype="float64"),
    })
    pd.testing.assert_frame_equal(result, expected)


def test_cross_index_level_filter() -> None:
    units = UNITS.assign(level=["ward", "office", "ward", "office", "district"])
    scores = pd.concat([SIPAS, PAR], ignore_index=True)
    result = satisfaction.cross_index(scores, units, period="2024", level="office",
                                      indices=("PAR", "SIPAS"))
    expected = pd.DataFrame({"unit_id": [DX], "unit": ["Đồng Xuân"], "PAR": [80.0],
                             "SIPAS": [85.0]})
    pd.testing.assert_frame_equal(result, expected)


@pytest.mark.parametrize(("options", "message"), [
    ({"indices": ("PAR",)}, "ít nhất hai chỉ số"),
    ({"indices": ("PAR", "PAR")}, "ít nhất hai chỉ số"),
    ({"period": "2019"}, "Không có điểm nào của PAR, SIPAS, DISCIPLINE cho kỳ 2019"),
    ({"level": "province"}, "cấp 'province'"),
])
def test_cross_index_refuses_bad_options(options: dict, message: str) -> None:
    arguments = {"period": "2024"} | options
    with pytest.raises(UsageError, match=message):
        satisfaction.cross_index(pd.concat([SIPAS, PAR]), UNITS, **arguments)


# --- standouts -------------------------------------------------------------------------------

# y = x except Hàng Bạc (10 below the line before refitting). Fitted on these five points:
# slope 1, intercept −2, so residuals are 2, 2, −8, 2, 2.
CROSS = pd.DataFrame({
    "unit_id": [CD, DX, HB, TT, "ward:hang-bai"],
    "unit": ["Cửa Đông", "Đồng Xuân", "Hàng Bạc", "Tràng Tiền", "Hàng Bài"],
    "PAR": [60.0, 70.0, 80.0, 90.0, 100.0],
    "SIPAS": [60.0, 70.0, 70.0, 90.0, 100.0],
})


@pytest.mark.parametrize(("n", "expected"), [
    (2, pd.DataFrame({"unit_id": [HB, CD], "unit": ["Hàng Bạc", "Cửa Đông"],
                      "PAR": [80.0, 60.0], "SIPAS": [70.0, 60.0], "residual": [-8.0, 2.0]})),
    (5, pd.DataFrame({
        "unit_id": [HB, CD, DX, "ward:hang-bai", TT],
        "unit": ["Hàng Bạc", "Cửa Đông", "Đồng Xuân", "Hàng Bài", "Tràng Tiền"],
        "PAR": [80.0, 60.0, 70.0, 100.0, 90.0], "SIPAS": [70.0, 60.0, 70.0, 100.0, 90.0],
        "residual": [-8.0, 2.0, 2.0, 2.0, 2.0]})),
])
def test_standouts(n: int, expected: pd.DataFrame) -> None:
    result = satisfaction.standouts(CROSS, "PAR", "SIPAS", n=n)
    pd.testing.assert_frame_equal(result, expected, atol=1e-9, rtol=0)


def test_standouts_skips_rows_without_both_values() -> None:
    cross = pd.concat([CROSS, pd.DataFrame({"unit_id": [TT + "2"], "unit": ["Lý Thái Tổ"],
                                            "PAR": [np.nan], "SIPAS": [10.0]})],
                      ignore_index=True)
    result = satisfaction.standouts(cross, "PAR", "SIPAS", n=1)
    assert list(result["unit"]) == ["Hàng Bạc"]


@pytest.mark.parametrize(("frame", "options", "message"), [
    (CROSS, {"x": "PAPI", "y": "SIPAS"}, "không có cột"),
    (CROSS, {"x": "PAR", "y": "SIPAS", "n": 0}, "Số đơn vị phải ≥ 1"),
    (CROSS.head(2), {"x": "PAR", "y": "SIPAS"}, "Cần ít nhất ba đơn vị"),
    (CROSS.assign(PAR=50.0), {"x": "PAR", "y": "SIPAS"}, "Cần ít nhất ba đơn vị"),
])
def test_standouts_refuses(frame: pd.DataFrame, options: dict, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        satisfaction.standouts(frame, **options)
