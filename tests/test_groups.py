"""reform.analysis.groups: thresholds from the index kinds, quartiles, overrides."""
from __future__ import annotations

import pandas as pd
import pytest

from reform.analysis import groups, ranking
from tests.analysis_frames import (
    CD,
    DX,
    HB,
    HG,
    NAN,
    make_scores,
    make_units,
    totals,
)

# ---------------------------------------------------------------------------------------------
# Groups
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("percent", "index", "period", "expected"),
    [
        (80.0, "PAR", "2018", "A"),  # on the bound: upper group
        (79.99, "PAR", "2018", "B"),
        (75.0, "PAR", "2018", "B"),
        (70.0, "PAR", "2018", "C"),
        (0.0, "PAR", "2018", "D"),
        (90.0, "PAR", "2023", "A"),  # the 2023 override raised the bar
        (89.99, "PAR", "2023", "B"),
        (80.0, "PAR", "2023", "B"),
        (85.0, "PAR", "2023-05", "B"),  # a month uses its year's override
        (NAN, "PAR", "2018", ""),
        (65.0, "SIPAS", "2020", "Trung bình"),
    ],
)
def test_assign_groups_thresholds(percent, index, period, expected):
    labels = groups.assign_groups(pd.Series([percent], index=[7]), index=index, period=period)
    pd.testing.assert_series_equal(labels, pd.Series([expected], index=[7], dtype="str"))


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([90, 80, 70, 60, 50, 40, 30, 20], ["Q1", "Q1", "Q2", "Q2", "Q3", "Q3", "Q4", "Q4"]),
        ([90, 80, 80, 60], ["Q1", "Q2", "Q2", "Q4"]),
        ([50, 50, 50], ["Q1", "Q1", "Q1"]),
        ([70, NAN, 60], ["Q1", "", "Q3"]),
    ],
)
def test_assign_groups_quartiles_when_no_scheme(values, expected):
    labels = groups.assign_groups(pd.Series(values, dtype="float64"), index="PAPI",
                                     period="2018")
    pd.testing.assert_series_equal(labels, pd.Series(expected, dtype="str"))


def test_schemes_override_config():
    schemes = {"PAR": {None: [("Tốt", 50.0), ("Yếu", float("-inf"))]}}
    labels = groups.assign_groups(pd.Series([50.0, 49.0]), index="PAR", period="2023",
                                     schemes=schemes)
    assert labels.tolist() == ["Tốt", "Yếu"]
    scores = make_scores(totals("2023", {HB: 50, HG: 49}))
    table = ranking.rank_units(scores, make_units(), index="PAR", period="2023",
                                 schemes=schemes)
    assert table["group"].tolist() == ["Tốt", "Yếu"]


def test_rank_units_quartiles_on_points_when_no_maximum():
    scores = make_scores(totals("2018", {HB: 40, HG: 30, CD: 20, DX: 10}, NAN), index="PAPI")
    table = ranking.rank_units(scores, make_units(), index="PAPI", period="2018")
    assert table["group"].tolist() == ["Q1", "Q2", "Q3", "Q4"]
