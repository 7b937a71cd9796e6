"""reform.analysis.scope: periods, previous period, levels, default block, units, orders."""
from __future__ import annotations

import pandas as pd
import pytest

from reform.analysis import scope
from reform.core.errors import UsageError
from reform.core.model import UNIT_COLUMNS
from tests.analysis_frames import HB, HG, HK, make_scores, make_units, totals, two_years


def test_periods_and_previous_period_by_granularity():
    scores = make_scores(totals("2018", {HB: 1}) + totals("2019-03", {HB: 1})
                         + totals("2019-Q1", {HB: 1}) + totals("2019", {HB: 1})
                         + totals("2019-05", {HB: 1}) + totals("2019-Q2", {HB: 1}))
    assert scope.periods(scores, "PAR") == ["2018", "2019", "2019-03", "2019-05",
                                            "2019-Q1", "2019-Q2"]
    assert scope.periods(scores, "PCI") == []


@pytest.mark.parametrize(
    ("period", "expected"),
    [("2019", "2018"), ("2018", None), ("2019-05", "2019-03"), ("2019-03", None),
     ("2019-Q2", "2019-Q1"), ("2020", "2019"), ("2019-04", "2019-03")],
)
def test_previous_period(period, expected):
    scores = make_scores(totals("2018", {HB: 1}) + totals("2019-03", {HB: 1})
                         + totals("2019-Q1", {HB: 1}) + totals("2019", {HB: 1})
                         + totals("2019-05", {HB: 1}) + totals("2019-Q2", {HB: 1}))
    assert scope.previous_period(scope.periods(scores, "PAR"), period) == expected


MIXED = ["2015", "2017", "2018-01", "2018-04", "2018-12", "2019-02",
         "2018-Q1", "2018-Q3", "2019-Q1", "2019"]


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        # Years: the previous year present, gaps skipped, never a month or a quarter.
        ("2017", "2015"), ("2019", "2017"), ("2016", "2015"), ("2015", None), ("2030", "2019"),
        # Months: the previous month present, across a year and over gaps.
        ("2018-04", "2018-01"), ("2018-12", "2018-04"), ("2019-02", "2018-12"),
        ("2019-01", "2018-12"), ("2018-01", None),
        # Quarters.
        ("2018-Q3", "2018-Q1"), ("2019-Q1", "2018-Q3"), ("2019-Q3", "2019-Q1"),
        ("2018-Q1", None),
    ],
)
def test_previous_period_by_kind_with_gaps(period, expected):
    assert scope.previous_period(MIXED, period) == expected
    assert scope.previous_period(list(reversed(MIXED)), period) == expected


@pytest.mark.parametrize(
    ("period", "kind"),
    [("2019", "year"), ("2019-03", "month"), ("2019-Q2", "quarter"), ("2019-13", "other"),
     ("2019-Q5", "other"), ("19", "other"), ("", "other")],
)
def test_period_kind(period, kind):
    assert scope.period_kind(period) == kind


def test_levels_in_model_order():
    scores, _ = two_years()
    scores = pd.concat([scores, make_scores(totals("2018", {"x:1": 1}))], ignore_index=True)
    assert scope.levels(scores, "PAR", units=make_units()) == ["ward", "office", "unit"]
    assert scope.levels(scores, "PAR", "2018", units=make_units()) == ["ward", "unit"]


def registry(levels: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame([
        {"unit_id": uid, "name": uid, "level": level, "parent_id": "", "aliases": (),
         "valid_from": "", "valid_to": ""} for uid, level in levels.items()
    ], columns=UNIT_COLUMNS)


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        # The largest block wins, whatever its place in LEVELS.
        ({"a": "ward", "b": "ward", "c": "district"}, "ward"),
        ({"a": "office", "b": "office", "c": "ward", "d": "department"}, "office"),
        ({"a": "commune", "b": "commune", "c": "ward"}, "commune"),
        # A tie goes to the level first in LEVELS (department < district < ward < commune).
        ({"a": "ward", "b": "district"}, "district"),
        ({"a": "commune", "b": "ward", "c": "commune", "d": "ward"}, "ward"),
        ({"a": "office", "b": "department"}, "department"),
        # Levels outside LEVELS come after every known level, alphabetically.
        ({"a": "zone", "b": "area"}, "area"),
        ({"a": "zone", "b": "unit"}, "unit"),
    ],
)
def test_default_level_is_the_largest_block_ties_in_levels_order(levels, expected):
    scores = make_scores(totals("2019", dict.fromkeys(levels, 50.0)))
    assert scope.default_level(scores, "PAR", "2019", units=registry(levels)) == expected


def test_default_level_counts_units_once_and_reads_a_level_column():
    # Three rows for "a" (three components) must not outweigh two wards.
    scores = make_scores(totals("2019", {"a": 1.0}) + totals("2019", {"a": 1.0}, component="1")
                         + totals("2019", {"a": 1.0}, component="2")
                         + totals("2019", {"b": 1.0, "c": 1.0}))
    units = registry({"a": "district", "b": "ward", "c": "ward"})
    assert scope.default_level(scores, "PAR", "2019", units=units) == "ward"
    leveled = scores.assign(level=scores["unit_id"].map({"a": "district", "b": "ward",
                                                         "c": "ward"}))
    assert scope.default_level(leveled, "PAR", "2019") == "ward"


def test_default_level_without_scores_is_a_usage_error():
    scores = make_scores(totals("2019", {HB: 1.0}))
    with pytest.raises(UsageError, match="PCI"):
        scope.default_level(scores, "PCI", "2019", units=make_units())


def test_units_of_level_and_unit_names():
    frame = pd.DataFrame({"unit_id": [HB, "office:noi-vu", HG], "value": [1, 2, 3]})
    kept = scope.units_of_level(frame, make_units(), "ward")
    pd.testing.assert_frame_equal(kept, pd.DataFrame({"unit_id": [HB, HG], "value": [1, 3]}))
    with pytest.raises(UsageError, match="cấp 'commune'"):
        scope.units_of_level(frame, make_units(), "commune")
    renamed = pd.concat([make_units(), make_units().head(1).assign(name="Tên mới")])
    assert scope.unit_names(renamed)[HB] == "Tên mới"
    assert scope.unit_names(None) == {}


def test_attach_units_falls_back_to_the_id():
    frame = pd.DataFrame({"unit_id": [HB, "x:1"], "period": ["2019", "2019"]})
    attached = scope.attach_units(frame, make_units())
    assert attached["unit"].tolist() == ["Phường Hàng Bạc", "x:1"]
    assert attached["level"].tolist() == ["ward", "unit"]
    assert attached["parent_id"].tolist() == [HK, ""]


@pytest.mark.parametrize(
    ("codes", "expected"),
    [(["10", "2", "1.10", "1.2", "TOTAL", "1"], ["TOTAL", "1", "1.2", "1.10", "2", "10"])],
)
def test_component_sort_key(codes, expected):
    assert sorted(codes, key=scope.component_sort_key) == expected
    assert [scope.component_depth(c) for c in expected] == [0, 1, 2, 2, 1, 1]
    assert [scope.parent_code(c) for c in expected] == ["", "", "1", "1", "", ""]


def test_order_of_is_vietnamese_order_with_ties_and_missing_last():
    names = pd.Series(["Đông", "Bắc", None, "Ánh", "Bắc"])
    assert scope.order_of(names).tolist() == [2, 1, 3, 0, 1]


def test_sort_rows_with_known_name_places_orders_ties_as_collating_does():
    """The snapshot's name places (Vietnamese order computed once per store) must order tied
    rows exactly as collating the names does; a name they do not know falls back to collating."""
    frame = pd.DataFrame({
        "unit_id": ["u1", "u2", "u3", "u4", "u5"],
        "unit": ["Ước Lễ", "Ấp Bắc", "An Phú", "Đông Hà", "Bình An"],
        "rank": [2, 1, 2, 2, None],
    })
    places = dict(zip(frame["unit"], scope.order_of(frame["unit"]) * 10, strict=True))
    collated = scope.sort_rows(frame, "rank")
    looked_up = scope.sort_rows(frame, "rank", name_places=places)
    assert collated["unit_id"].tolist() == ["u2", "u3", "u4", "u1", "u5"]
    pd.testing.assert_frame_equal(looked_up, collated)
    # Reversed places prove they are used: ties then come in the opposite order.
    reversed_places = {name: -place for name, place in places.items()}
    used = scope.sort_rows(frame, "rank", name_places=reversed_places)
    assert used["unit_id"].tolist()[1:4] == collated["unit_id"].tolist()[1:4][::-1]
    partial = {"An Phú": 0}  # not every tied name: collate them all
    pd.testing.assert_frame_equal(scope.sort_rows(frame, "rank", name_places=partial), collated)
