"""reform.analysis.trends: unit series, methodology changes, movers, field changes."""
from __future__ import annotations

import pandas as pd
import pytest

from reform.analysis import trends
from reform.core.errors import UsageError
from tests.analysis_frames import (
    CD,
    COMPONENTS,
    DX,
    HB,
    HG,
    NAN,
    OFFICE,
    PT,
    field_scores,
    ints,
    make_scores,
    make_units,
    totals,
)

# ---------------------------------------------------------------------------------------------
# Series, methodology, movers
# ---------------------------------------------------------------------------------------------

def test_unit_series_percent_of_max_differs_by_year():
    scores = make_scores([("2018", HG, "TOTAL", 80, 100), ("2019", HG, "TOTAL", 72, 80),
                          ("2018", CD, "TOTAL", 90, 100), ("2019", CD, "TOTAL", 60, 80),
                          ("2019", OFFICE, "TOTAL", 10, 80)])
    series = trends.unit_series(scores, make_units(), index="PAR", level="ward")
    expected = pd.DataFrame({
        "unit_id": [CD, CD, HG, HG],
        "unit": ["Phường Cửa Đông", "Phường Cửa Đông", "Phường Hàng Gai", "Phường Hàng Gai"],
        "period": ["2018", "2019", "2018", "2019"],
        "value": [90.0, 60, 80, 72],
        "max_value": [100.0, 80, 100, 80],
        "percent": [90.0, 75, 80, 90],
        "rank": ints([1, 2, 2, 1]),
    })
    pd.testing.assert_frame_equal(series, expected)


def test_methodology_changes():
    changes = trends.methodology_changes(COMPONENTS, index="PAR", period_from="2018",
                                            period_to="2019")
    expected = pd.DataFrame({
        "component": ["1", "2", "3.1", "10"],
        "name": ["Công tác chỉ đạo, điều hành", "Cải cách thể chế", "Công khai thủ tục",
                 "Chuyển đổi số"],
        "change": ["max_changed", "removed", "max_changed", "added"],
        "max_from": [10.0, 10, 4, NAN],
        "max_to": [12.0, NAN, NAN, 5],
    })
    pd.testing.assert_frame_equal(changes, expected)


def test_methodology_unchanged_is_empty_and_missing_period_is_an_error():
    same = trends.methodology_changes(COMPONENTS, index="PAR", period_from="2018",
                                         period_to="2018")
    assert same.empty
    assert same.columns.tolist() == trends.METHODOLOGY_COLUMNS
    with pytest.raises(UsageError, match="kỳ 2017"):
        trends.methodology_changes(COMPONENTS, index="PAR", period_from="2017",
                                      period_to="2018")


def movers_scores() -> pd.DataFrame:
    return make_scores(
        totals("2018", {HB: 90, HG: 80, CD: 70, DX: 60, PT: 50})
        + totals("2019", {HB: 70, HG: 95, CD: 75, DX: 80, OFFICE: 100}, max_value=100)
    )


def test_biggest_movers_sorted_gainers_first():
    movers = trends.biggest_movers(movers_scores(), make_units(), index="PAR",
                                      period_from="2018", period_to="2019", level="ward", n=None)
    expected = pd.DataFrame({
        "unit_id": [DX, HG, CD, HB],
        "unit": ["Phường Đồng Xuân", "Phường Hàng Gai", "Phường Cửa Đông", "Phường Hàng Bạc"],
        "percent_from": [60.0, 80, 70, 90],
        "percent_to": [80.0, 95, 75, 70],
        "delta_percent": [20.0, 15, 5, -20],
        "rank_from": ints([4, 2, 3, 1]),
        "rank_to": ints([2, 1, 3, 4]),
        "rank_change": ints([2, 1, 0, -3]),
        "methodology_changed": False,
    })
    pd.testing.assert_frame_equal(movers, expected)


def test_biggest_movers_keeps_head_and_tail_and_flags_methodology():
    movers = trends.biggest_movers(movers_scores(), make_units(), COMPONENTS, index="PAR",
                                      period_from="2018", period_to="2019", level="ward", n=1)
    assert movers["unit_id"].tolist() == [DX, HB]
    assert movers["methodology_changed"].tolist() == [True, True]
    everyone = trends.biggest_movers(movers_scores(), make_units(), index="PAR",
                                        period_from="2018", period_to="2019", level="ward", n=2)
    assert len(everyone) == 4


def test_biggest_movers_unknown_period():
    with pytest.raises(UsageError, match="kỳ 2020"):
        trends.biggest_movers(movers_scores(), make_units(), index="PAR",
                                 period_from="2018", period_to="2020")


def test_field_changes():
    scores = pd.concat([field_scores(), make_scores([("2019", HB, "1", 11, 12),
                                                     ("2019", HB, "3", 12, 14.5),
                                                     ("2019", HB, "10", 4, 5),
                                                     ("2019", HB, "3.1", 3, 4)])])
    changes = trends.field_changes(scores, COMPONENTS, index="PAR", unit_id=HB,
                                      period_from="2018", period_to="2019")
    expected = pd.DataFrame({
        "component": ["1", "2", "3", "10"],
        "name": ["Công tác chỉ đạo, điều hành", "Cải cách thể chế",
                 "Cải cách thủ tục hành chính", "Chuyển đổi số"],
        "value_from": [9.0, 5, 14, NAN],
        "value_to": [11.0, NAN, 12, 4],
        "delta": [2.0, NAN, -2, NAN],
    })
    pd.testing.assert_frame_equal(changes, expected)
