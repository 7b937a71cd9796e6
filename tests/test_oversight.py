"""Views of the discipline, satisfaction and cross-index pages, on small hand-built frames."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from reform.analysis import discipline
from reform.core.errors import UsageError
from reform.core.model import COMPONENT_COLUMNS, INSPECTION_COLUMNS, SCORE_COLUMNS, UNIT_COLUMNS
from reform.present.oversight import (
    build_cross_index,
    build_discipline,
    build_satisfaction,
    compare_pair,
    correlation_text,
    pick_level,
    pick_period,
    shared_periods,
    unit_elements,
    unit_inspections,
)
from reform.store.snapshot import Snapshot

UNITS = pd.DataFrame([
    ("ward:a", "Phường An", "ward"), ("ward:b", "Phường Bình", "ward"),
    ("ward:c", "Phường Cửa", "ward"), ("ward:d", "Phường Đông", "ward"),
    ("office:x", "Phòng Xây dựng", "office"),
], columns=["unit_id", "name", "level"]).assign(
    parent_id="district:hoan-kiem", aliases=[()] * 5, valid_from="", valid_to="")[UNIT_COLUMNS]


def _score(index: str, period: str, unit_id: str, value: float, component: str = "TOTAL",
           max_value: float = 100.0) -> dict:
    return {"index": index, "period": period, "unit_id": unit_id, "component": component,
            "value": value, "max_value": max_value, "source": "t", "version": 1}


def _snapshot(scores: list[dict], inspections: pd.DataFrame | None = None,
              components: pd.DataFrame | None = None) -> Snapshot:
    frame = pd.DataFrame(scores, columns=SCORE_COLUMNS)
    records = inspections if inspections is not None else pd.DataFrame(columns=INSPECTION_COLUMNS)
    if not records.empty:
        frame = pd.concat([frame, discipline.discipline_scores(records)], ignore_index=True)
    return Snapshot(scores=frame, units=UNITS, published=pd.DataFrame(columns=["index", "period", "unit_id", "rank", "group", "source", "version"]),
                    components=components if components is not None else pd.DataFrame(columns=COMPONENT_COLUMNS),
                    inspections=records, token=1)


@pytest.mark.parametrize(("available", "wanted", "expected"), [
    (["2023", "2024"], "2023", "2023"),
    (["2023", "2024"], "2019", "2024"),
    (["2024", "2023"], None, "2024"),
    ([], "2024", None),
    (["2024-01", "2024-03", "2025-02"], "2024", "2024-03"),
    (["2024-01", "2024-03", "2025-02"], "2024-01", "2024-01"),
    (["2024-01", "2025-02"], "2023", "2025-02"),
])
def test_pick_period(available: list[str], wanted: str | None, expected: str | None) -> None:
    assert pick_period(available, wanted) == expected


@pytest.mark.parametrize(("available", "wanted", "expected"), [
    (["ward", "office"], "office", "office"),
    (["ward", "office"], "province", "ward"),
    (["ward"], None, "ward"),
    ([], "ward", None),
])
def test_pick_level(available: list[str], wanted: str | None, expected: str | None) -> None:
    assert pick_level(available, wanted) == expected


# ---- discipline ------------------------------------------------------------------------------

def _records() -> pd.DataFrame:
    rows = [
        ("2023-05-02", "ward:a", "T1", "regular", "hours", 2, 10),
        ("2024-03-04", "ward:a", "T1", "regular", "hours", 1, 10),
        ("2024-03-04", "ward:a", "T1", "regular", "dress", 2, 10),   # same visit: 10 officials
        ("2024-04-08", "ward:b", "T2", "unannounced", "attitude", 1, 5),
        ("2024-04-09", "office:x", "T2", "unannounced", "none", 0, 8),
    ]
    frame = pd.DataFrame(rows, columns=["date", "unit_id", "team", "kind", "category",
                                        "violations", "officials_checked"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame.assign(note="", source="s", version=1)[INSPECTION_COLUMNS]


@pytest.mark.parametrize(("period", "level", "year", "block", "units"), [
    ("2024", "ward", "2024", "ward", ["ward:a", "ward:b"]),
    ("2024", "office", "2024", "office", ["office:x"]),
    ("2023", "ward", "2023", "ward", ["ward:a"]),
    ("2019", "province", "2024", "ward", ["ward:a", "ward:b"]),   # falls back to what exists
    ("2024-03", None, "2024", "ward", ["ward:a", "ward:b"]),
])
def test_build_discipline_year_block_and_ranking(period: str, level: str | None, year: str,
                                                 block: str, units: list[str]) -> None:
    view = build_discipline(_snapshot([], _records()), period=period, level=level)
    assert (view.year, view.level, view.years) == (year, block, ["2023", "2024"])
    assert sorted(view.ranking["unit_id"]) == units
    assert set(view.ranking["period"]) == {year}
    assert list(view.monthly["period"]) == [f"{year}-{m:02d}" for m in range(1, 13)]


def test_build_discipline_tables_for_wards_2024() -> None:
    view = build_discipline(_snapshot([], _records()), period="2024", level="ward", lang="en")
    expected_categories = pd.DataFrame({
        "category": ["hours", "dress", "attitude"],
        "name": ["Working hours", "Dress and badge", "Attitude toward citizens"],
        "violations": [1, 2, 1], "inspections": [2, 2, 2], "officials_checked": [15, 15, 15],
        "rate_per_100": [100 / 15, 200 / 15, 100 / 15]}).astype({"category": "str", "name": "str"})
    pd.testing.assert_frame_equal(view.categories, expected_categories)
    expected_kinds = pd.DataFrame({
        "kind": ["regular", "unannounced"], "kind_name": ["Regular", "Unannounced"],
        "inspections": [1, 1], "violations": [3, 1], "officials_checked": [10, 5],
        "rate_per_100": [30.0, 20.0]}).astype({"kind": "str", "kind_name": "str"})
    pd.testing.assert_frame_equal(view.kinds, expected_kinds)
    ranking = view.ranking.set_index("unit_id")
    # 100 − 2 × (1 × 1.0 + 2 × 0.5) = 96; 100 − 2 × 1 × 2.0 = 96: a tie shares rank 1.
    assert ranking.loc["ward:a", "value"] == 96.0
    assert list(view.ranking["rank"]) == [1, 1]
    # ward:a kept rank 1 from 2023; ward:b was not inspected in 2023.
    assert list(view.ranking["change_label"]) == ["=", "new"]
    assert list(view.matrix.index) == ["Phường An", "Phường Bình"]
    assert view.matrix.loc["Phường An", "2024-03"] == 30.0
    assert set(view.calendar["unit_id"]) == {"ward:a", "ward:b"}
    assert view.repeat.empty


def test_build_discipline_without_records_says_how_to_import() -> None:
    with pytest.raises(UsageError, match="Chưa có biên bản kiểm tra công vụ") as caught:
        build_discipline(_snapshot([_score("PAR", "2024", "ward:a", 80.0)]), period="2024", level=None)
    assert "sample_inspections.xlsx" in caught.value.message("en")


def test_unit_inspections_of_one_year() -> None:
    records = unit_inspections(_snapshot([], _records()), unit_id="ward:a", year="2024", lang="vi")
    assert list(records["category_name"]) == ["Giờ giấc làm việc", "Trang phục, thẻ công chức"]
    assert set(records["date"].dt.year) == {2024}
    with pytest.raises(UsageError, match="ward:zz"):
        unit_inspections(_snapshot([], _records()), unit_id="ward:zz", year="2024")


# ---- satisfaction ----------------------------------------------------------------------------

def _sipas() -> Snapshot:
    components = pd.DataFrame([
        ("SIPAS", "2024", "1", "Tiếp cận dịch vụ", "", np.nan, 0, 1),
        ("SIPAS", "2024", "1.1", "Đánh giá (%)", "1", np.nan, 1, 1),
        ("SIPAS", "2024", "1.2", "Hài lòng (%)", "1", np.nan, 2, 1),
        ("SIPAS", "2024", "1.3", "Kỳ vọng (%)", "1", np.nan, 3, 1),
    ], columns=COMPONENT_COLUMNS)
    scores = []
    for unit_id, total, sat, exp in [("ward:a", 85.0, 84.0, 90.0), ("ward:b", 78.0, 77.0, 85.0),
                                     ("ward:c", 79.5, 79.0, 80.0)]:
        scores += [_score("SIPAS", "2024", unit_id, total),
                   _score("SIPAS", "2024", unit_id, 70.0, "1.1", np.nan),
                   _score("SIPAS", "2024", unit_id, sat, "1.2", np.nan),
                   _score("SIPAS", "2024", unit_id, exp, "1.3", np.nan)]
    scores.append(_score("SIPAS", "2023", "ward:a", 80.0))
    return _snapshot(scores, components=components)


def test_build_satisfaction() -> None:
    view = build_satisfaction(_sipas(), period="2024", level="ward")
    assert (view.period, view.periods, view.level, view.target) == ("2024", ["2023", "2024"], "ward", 80.0)
    assert list(view.ranking["unit_id"]) == ["ward:a", "ward:c", "ward:b"]
    expected_below = pd.DataFrame({"unit_id": ["ward:b", "ward:c"], "unit": ["Phường Bình", "Phường Cửa"],
                                   "value": [78.0, 79.5], "target": [80.0, 80.0],
                                   "shortfall": [2.0, 0.5]}).astype({"unit_id": "str", "unit": "str"})
    pd.testing.assert_frame_equal(view.below, expected_below)
    expected_gaps = pd.DataFrame({"element": ["1"], "element_name": ["Tiếp cận dịch vụ"],
                                  "satisfaction": [80.0], "expectation": [85.0], "gap": [5.0]})
    pd.testing.assert_frame_equal(view.gaps, expected_gaps, check_dtype=False)


def test_build_satisfaction_other_period_and_target() -> None:
    view = build_satisfaction(_sipas(), period="2019", level="office", target=79.0)
    assert (view.period, view.level) == ("2024", "ward")
    assert list(view.below["unit_id"]) == ["ward:b"]


def test_build_satisfaction_without_sipas() -> None:
    with pytest.raises(UsageError, match="Chưa có dữ liệu SIPAS"):
        build_satisfaction(_snapshot([_score("PAR", "2024", "ward:a", 80.0)]), period=None, level=None)


def test_unit_elements() -> None:
    table = unit_elements(_sipas(), period="2024", unit_id="ward:c")
    assert table[["unit", "assessment", "satisfaction", "expectation", "gap"]].to_dict("records") == [
        {"unit": "Phường Cửa", "assessment": 70.0, "satisfaction": 79.0, "expectation": 80.0, "gap": 1.0}]


# ---- across indices --------------------------------------------------------------------------

def _cross() -> Snapshot:
    scores = [
        _score("PAR", "2024", "ward:a", 90.0), _score("PAR", "2024", "ward:b", 80.0),
        _score("PAR", "2024", "ward:c", 70.0), _score("PAR", "2024", "ward:d", 60.0),
        _score("PAR", "2024", "office:x", 75.0),
        _score("SIPAS", "2024", "ward:a", 88.0), _score("SIPAS", "2024", "ward:b", 70.0),
        _score("SIPAS", "2024", "ward:c", 72.0), _score("SIPAS", "2024", "ward:d", 62.0),
        _score("PAR", "2023", "ward:a", 85.0),
        _score("PAPI", "2024", "province:x", 40.0, max_value=80.0),
    ]
    return _snapshot(scores)


def test_shared_periods() -> None:
    assert shared_periods(_cross().scores) == ["2024"]


@pytest.mark.parametrize(("period", "level", "chosen", "block", "rows"), [
    ("2024", "ward", "2024", "ward", 4),
    ("2023", "ward", "2024", "ward", 4),
    ("2024", "province", "2024", None, 4),
    ("2024", "office", "2024", "office", 0),
])
def test_build_cross_index(period: str, level: str, chosen: str, block: str | None, rows: int) -> None:
    view = build_cross_index(_cross(), period=period, level=level)
    assert (view.period, view.level, view.periods) == (chosen, block, ["2024"])
    assert len(view.table) == rows
    if rows:
        assert view.indices == ["PAR", "SIPAS"]  # PAPI has no shared unit: its column is dropped
        assert list(view.table.columns) == ["unit_id", "unit", "PAR", "SIPAS"]


def test_build_cross_index_without_two_indices() -> None:
    with pytest.raises(UsageError, match="hai chỉ số"):
        build_cross_index(_snapshot([_score("PAR", "2024", "ward:a", 80.0)]), period="2024", level=None)


def test_compare_pair_standouts_with_patterns() -> None:
    table = build_cross_index(_cross(), period="2024", level="ward").table
    pair = compare_pair(table, x="PAR", y="SIPAS", n=2, lang="vi")
    # Least squares of SIPAS on PAR over (90, 88), (80, 70), (70, 72), (60, 62): slope
    # 380 / 500 = 0.76, intercept 73 − 0.76 × 75 = 16; residuals 3.6, −6.8, 2.8, 0.4.
    expected = pd.DataFrame({"unit_id": ["ward:b", "ward:a"], "unit": ["Phường Bình", "Phường An"],
                             "PAR": [80.0, 90.0], "SIPAS": [70.0, 88.0], "residual": [-6.8, 3.6],
                             "pattern": ["PAR cao, hài lòng thấp", "PAR cao, hài lòng cao"]})
    pd.testing.assert_frame_equal(pair.standouts, expected, check_dtype=False, atol=1e-9)
    assert pair.correlation["n"] == 4
    assert pair.correlation["pearson"] == pytest.approx(np.corrcoef([90, 80, 70, 60], [88, 70, 72, 62])[0, 1])
    english = compare_pair(table, x="PAR", y="SIPAS", n=1, lang="en")
    assert list(english.standouts["pattern"]) == ["high PAR, low satisfaction"]


def test_compare_pair_too_few_units_and_same_axes() -> None:
    table = pd.DataFrame({"unit_id": ["a", "b"], "unit": ["A", "B"], "PAR": [1.0, 2.0],
                          "SIPAS": [3.0, np.nan]})
    pair = compare_pair(table, x="PAR", y="SIPAS")
    assert pair.standouts.empty
    assert list(pair.standouts.columns) == ["unit_id", "unit", "PAR", "SIPAS", "residual", "pattern"]
    assert pair.correlation["n"] == 1
    with pytest.raises(UsageError, match="hai chỉ số khác nhau"):
        compare_pair(table, x="PAR", y="PAR")


@pytest.mark.parametrize(("correlation", "lang", "text"), [
    ({"pearson": 0.4213, "spearman": 0.4, "n": 18}, "vi", "r = 0,42 (Spearman 0,40; 18 đơn vị)"),
    ({"pearson": 0.4213, "spearman": 0.4, "n": 18}, "en", "r = 0.42 (Spearman 0.40; 18 units)"),
    ({"pearson": math.nan, "spearman": math.nan, "n": 2}, "vi", "r = – (Spearman –; 2 đơn vị)"),
])
def test_correlation_text(correlation: dict, lang: str, text: str) -> None:
    assert correlation_text(correlation, lang) == text
