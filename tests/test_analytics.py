"""Tests of reform.analytics: rankings, groups, changes, components and what-if weights."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reform.analysis import analytics
from reform.core.errors import UsageError
from reform.core.model import COMPONENT_COLUMNS, PUBLISHED_COLUMNS, SCORE_COLUMNS, UNIT_COLUMNS

HK = "district:hoan-kiem"
WARDS = {
    "ward:hang-bac": "Phường Hàng Bạc",
    "ward:hang-gai": "Phường Hàng Gai",
    "ward:cua-dong": "Phường Cửa Đông",
    "ward:dong-xuan": "Phường Đồng Xuân",
    "ward:phuc-tan": "Phường Phúc Tân",
}
HB, HG, CD, DX, PT = WARDS
OFFICE = "office:noi-vu"


def make_units(extra: list[dict] | None = None) -> pd.DataFrame:
    rows = [
        {"unit_id": uid, "name": name, "level": "ward", "parent_id": HK, "aliases": (),
         "valid_from": "", "valid_to": ""}
        for uid, name in WARDS.items()
    ]
    rows.append({"unit_id": OFFICE, "name": "Phòng Nội vụ", "level": "office", "parent_id": HK,
                 "aliases": (), "valid_from": "", "valid_to": ""})
    rows += extra or []
    return pd.DataFrame(rows, columns=UNIT_COLUMNS)


def make_scores(rows: list[tuple], *, index: str = "PAR") -> pd.DataFrame:
    """rows: (period, unit_id, component, value, max_value)."""
    frame = pd.DataFrame(rows, columns=["period", "unit_id", "component", "value", "max_value"])
    frame = frame.assign(index=index, source="test!A1", version=1,
                         value=frame["value"].astype("float64"),
                         max_value=frame["max_value"].astype("float64"))
    return frame[SCORE_COLUMNS]


def totals(period: str, values: dict[str, float], max_value: float = 100.0,
           component: str = "TOTAL") -> list[tuple]:
    return [(period, uid, component, value, max_value) for uid, value in values.items()]


def ints(values: list) -> pd.Series:
    return pd.Series(values, dtype="Int64")


NAN = float("nan")


# ---------------------------------------------------------------------------------------------
# rank_units
# ---------------------------------------------------------------------------------------------

def two_years() -> tuple[pd.DataFrame, pd.DataFrame]:
    scores = make_scores(
        totals("2018", {HB: 80, HG: 85, CD: 70, DX: 85})
        + totals("2019", {HB: 92.15, HG: 85, CD: 85, DX: NAN, PT: 75, OFFICE: 99})
    )
    published = pd.DataFrame({
        "index": "PAR", "period": "2019", "unit_id": [HB, HG, PT], "rank": [1, 2, 5],
        "group": ["Nhóm A", "B", "D"], "source": "", "version": 1,
    })[PUBLISHED_COLUMNS]
    return scores, published


def test_rank_units_full_table_with_previous_period_new_unit_missing_value_and_published():
    scores, published = two_years()
    table = analytics.rank_units(scores, make_units(), index="PAR", period="2019", level="ward",
                                 published=published)
    mean = (92.15 + 85 + 85 + 75) / 4
    expected = pd.DataFrame({
        "unit_id": [HB, CD, HG, PT, DX],
        "unit": ["Phường Hàng Bạc", "Phường Cửa Đông", "Phường Hàng Gai", "Phường Phúc Tân",
                 "Phường Đồng Xuân"],
        "level": "ward", "parent_id": HK, "period": "2019", "component": "TOTAL",
        "value": [92.15, 85, 85, 75, NAN],
        "max_value": 100.0,
        "percent": [92.15, 85, 85, 75, NAN],
        "rank": ints([1, 2, 2, 4, None]),
        "previous_rank": ints([3, 4, 1, None, 1]),
        "change": ints([2, 2, -1, None, None]),
        "is_new": [False, False, False, True, False],
        "percentile": [100.0, 75.0, 75.0, 25.0, NAN],
        "gap_to_leader": [0.0, -7.15, -7.15, -17.15, NAN],
        "gap_to_average": [92.15 - mean, 85 - mean, 85 - mean, 75 - mean, NAN],
        "group": ["A", "A", "A", "B", ""],
        "published_rank": ints([1, None, 2, 5, None]),
        "published_group": ["Nhóm A", "", "B", "D", ""],
        "group_mismatch": [False, False, True, True, False],
    })
    pd.testing.assert_frame_equal(table, expected)


def test_rank_units_without_level_ranks_every_unit_and_without_published_leaves_blanks():
    scores, _ = two_years()
    table = analytics.rank_units(scores, make_units(), index="PAR", period="2019")
    assert table["unit_id"].tolist() == [OFFICE, HB, CD, HG, PT, DX]
    assert table["rank"].tolist() == [1, 2, 3, 3, 5, pd.NA]
    assert table["published_rank"].isna().all()
    assert (table["published_group"] == "").all()
    assert not table["group_mismatch"].any()
    # The office has no 2018 score while 2018 exists: it is new.
    assert table.loc[0, "is_new"]


def test_rank_units_parent_filter_keeps_one_district():
    scores = make_scores(totals("2019", {HB: 90, HG: 80}))
    units = make_units().assign(
        parent_id=lambda f: f["unit_id"].map({HG: "district:ba-dinh"}).fillna(HK))
    table = analytics.rank_units(scores, units, index="PAR", period="2019", parent_id=HK)
    assert table["unit_id"].tolist() == [HB]


@pytest.mark.parametrize(
    ("values", "order", "ranks"),
    [
        # Ties share a rank and are listed in Vietnamese order (C < Đ < H).
        ({HB: 90, HG: 80, CD: 80, DX: 70}, [HB, CD, HG, DX], [1, 2, 2, 4]),
        ({HB: 80, HG: 80, CD: 80, DX: 80}, [CD, DX, HB, HG], [1, 1, 1, 1]),
        ({HB: 70, HG: 90, CD: 90, DX: 90}, [CD, DX, HG, HB], [1, 1, 1, 4]),
        # Missing values get <NA> and go last, in Vietnamese order among themselves.
        ({HB: NAN, HG: 60, CD: NAN, DX: 95}, [DX, HG, CD, HB], [1, 2, None, None]),
        ({HB: 50.5, HG: 50.25}, [HB, HG], [1, 2]),
    ],
)
def test_rank_units_ties_and_missing_values(values, order, ranks):
    table = analytics.rank_units(make_scores(totals("2019", values)), make_units(),
                                 index="PAR", period="2019")
    pd.testing.assert_frame_equal(
        table[["unit_id", "rank"]],
        pd.DataFrame({"unit_id": order, "rank": ints(ranks)}),
    )


def test_percent_ties_despite_float_noise():
    # 40/50 and 80/100 are both 80 %: they must tie (and be group A) whatever the last bit.
    scores = make_scores([("2019", HB, "TOTAL", 40, 50), ("2019", HG, "TOTAL", 80, 100),
                          ("2019", CD, "TOTAL", 72, 90)])
    table = analytics.rank_units(scores, make_units(), index="PAR", period="2019")
    assert table["rank"].tolist() == [1, 1, 1]
    assert table["group"].tolist() == ["A", "A", "A"]


def test_renamed_unit_keeps_its_change():
    units = make_units([
        {"unit_id": "ward:moi", "name": "Phường Cũ", "level": "ward", "parent_id": HK,
         "aliases": (), "valid_from": "", "valid_to": "2018"},
        {"unit_id": "ward:moi", "name": "Phường Mới", "level": "ward", "parent_id": HK,
         "aliases": (), "valid_from": "2019", "valid_to": ""},
    ])
    scores = make_scores(totals("2018", {"ward:moi": 70, HB: 90})
                         + totals("2019", {"ward:moi": 95, HB: 90}))
    table = analytics.rank_units(scores, units, index="PAR", period="2019", level="ward")
    pd.testing.assert_frame_equal(
        table[["unit_id", "unit", "rank", "previous_rank", "change", "is_new"]],
        pd.DataFrame({"unit_id": ["ward:moi", HB], "unit": ["Phường Mới", "Phường Hàng Bạc"],
                      "rank": ints([1, 2]), "previous_rank": ints([2, 1]),
                      "change": ints([1, -1]), "is_new": [False, False]}),
    )
    old = analytics.rank_units(scores, units, index="PAR", period="2018")
    assert old.loc[old["unit_id"] == "ward:moi", "unit"].item() == "Phường Cũ"


def test_percent_basis_compares_years_with_different_maximums_and_points_basis_does_not():
    # 2018 out of 100, 2019 out of 80: 72/80 = 90 % beats 85/100 = 85 % but not on points.
    scores = make_scores([("2019", HB, "TOTAL", 72, 80), ("2019", HG, "TOTAL", 70, 80),
                          ("2018", HB, "TOTAL", 85, 100), ("2018", HG, "TOTAL", 90, 100)])
    by_percent = analytics.rank_units(scores, make_units(), index="PAR", period="2019")
    pd.testing.assert_frame_equal(
        by_percent[["unit_id", "percent", "rank", "change", "gap_to_leader"]],
        pd.DataFrame({"unit_id": [HB, HG], "percent": [90.0, 87.5], "rank": ints([1, 2]),
                      "change": ints([1, -1]), "gap_to_leader": [0.0, -2.5]}),
    )
    by_points = analytics.rank_units(scores, make_units(), index="PAR", period="2019",
                                     basis="points")
    assert by_points["gap_to_leader"].tolist() == [0.0, -2.0]


def test_block_without_maximum_falls_back_to_points():
    scores = make_scores([("2019", HB, "TOTAL", 70, 100), ("2019", HG, "TOTAL", 80, NAN)])
    table = analytics.rank_units(scores, make_units(), index="PAR", period="2019")
    pd.testing.assert_frame_equal(
        table[["unit_id", "percent", "rank", "gap_to_leader", "group"]],
        pd.DataFrame({"unit_id": [HG, HB], "percent": [NAN, 70.0], "rank": ints([1, 2]),
                      "gap_to_leader": [0.0, -10.0], "group": ["", "C"]}),
    )


def test_previous_rank_uses_same_component():
    scores = make_scores(totals("2018", {HB: 5, HG: 9}, 10, "3") + totals("2019", {HB: 8, HG: 7}, 10, "3")
                         + totals("2018", {HB: 90, HG: 80}) + totals("2019", {HB: 90, HG: 80}))
    table = analytics.rank_units(scores, make_units(), index="PAR", period="2019", component="3")
    assert table["change"].tolist() == [1, -1]


@pytest.mark.parametrize(
    ("kwargs", "vi", "en"),
    [
        ({"period": "2017"}, r"kỳ 2017.*Các kỳ có dữ liệu: 2018, 2019",
         r"period 2017.*Periods with data: 2018, 2019"),
        ({"period": "2019", "component": "9"}, "thành phần 9", "component 9"),
        ({"period": "2019", "index": "SIPAS"}, "chỉ số SIPAS", "index SIPAS"),
        ({"period": "2019", "level": "commune"}, "cấp commune", "level commune"),
        ({"period": "2019", "basis": "rank"}, "Cơ sở xếp hạng 'rank'", "basis 'rank'"),
    ],
)
def test_rank_units_usage_errors_name_what_was_asked(kwargs, vi, en):
    scores, _ = two_years()
    options = {"index": "PAR", **kwargs}
    with pytest.raises(UsageError, match=vi) as caught:
        analytics.rank_units(scores, make_units(), **options)
    assert caught.value.message("en") == caught.value.message_en
    assert pd.Series([caught.value.message_en]).str.contains(en).item()


def test_functions_do_not_change_their_input():
    scores, published = two_years()
    units = make_units()
    before = (scores.copy(), units.copy(), published.copy())
    analytics.rank_units(scores, units, index="PAR", period="2019", published=published)
    analytics.rank_all(scores, units)
    analytics.unit_series(scores, units, index="PAR")
    pd.testing.assert_frame_equal(scores, before[0])
    pd.testing.assert_frame_equal(units, before[1])
    pd.testing.assert_frame_equal(published, before[2])


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
    groups = analytics.assign_groups(pd.Series([percent], index=[7]), index=index, period=period)
    pd.testing.assert_series_equal(groups, pd.Series([expected], index=[7], dtype="str"))


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
    groups = analytics.assign_groups(pd.Series(values, dtype="float64"), index="PAPI",
                                     period="2018")
    pd.testing.assert_series_equal(groups, pd.Series(expected, dtype="str"))


def test_schemes_override_config():
    schemes = {"PAR": {None: [("Tốt", 50.0), ("Yếu", float("-inf"))]}}
    groups = analytics.assign_groups(pd.Series([50.0, 49.0]), index="PAR", period="2023",
                                     schemes=schemes)
    assert groups.tolist() == ["Tốt", "Yếu"]
    scores = make_scores(totals("2023", {HB: 50, HG: 49}))
    table = analytics.rank_units(scores, make_units(), index="PAR", period="2023",
                                 schemes=schemes)
    assert table["group"].tolist() == ["Tốt", "Yếu"]


def test_rank_units_quartiles_on_points_when_no_maximum():
    scores = make_scores(totals("2018", {HB: 40, HG: 30, CD: 20, DX: 10}, NAN), index="PAPI")
    table = analytics.rank_units(scores, make_units(), index="PAPI", period="2018")
    assert table["group"].tolist() == ["Q1", "Q2", "Q3", "Q4"]


# ---------------------------------------------------------------------------------------------
# rank_all, periods, levels
# ---------------------------------------------------------------------------------------------

def test_rank_all_ranks_every_block_in_input_order():
    scores = make_scores(
        [("2019", HB, "TOTAL", 80, 100), ("2019", OFFICE, "TOTAL", 50, 100),
         ("2019", HG, "TOTAL", 90, 100), ("2019", HB, "1", 8, 10), ("2019", HG, "1", 8, 10),
         ("2018", HB, "TOTAL", NAN, 100), ("2018", HG, "TOTAL", 60, 100),
         ("2019", "ward:unknown", "TOTAL", 99, 100)]
    )
    ranked = analytics.rank_all(scores, make_units())
    expected = pd.DataFrame({
        "index": "PAR",
        "period": ["2019", "2019", "2019", "2019", "2019", "2018", "2018", "2019"],
        "component": ["TOTAL", "TOTAL", "TOTAL", "1", "1", "TOTAL", "TOTAL", "TOTAL"],
        "level": ["ward", "office", "ward", "ward", "ward", "ward", "ward", "unit"],
        "unit_id": [HB, OFFICE, HG, HB, HG, HB, HG, "ward:unknown"],
        "value": [80.0, 50, 90, 8, 8, NAN, 60, 99],
        "percent": [80.0, 50, 90, 80, 80, NAN, 60, 99],
        "rank": ints([2, 1, 1, 1, 1, None, 1, 1]),
    })
    pd.testing.assert_frame_equal(ranked, expected)


def test_rank_all_agrees_with_rank_units_and_points_basis():
    rng = np.random.default_rng(3)
    rows = [(period, uid, comp, float(rng.integers(0, 20)), 20.0)
            for period in ("2018", "2019") for uid in WARDS for comp in ("TOTAL", "1", "2")]
    scores = make_scores(rows)
    for basis in ("percent", "points"):
        ranked = analytics.rank_all(scores, make_units(), basis=basis)
        for (period, comp), block in ranked.groupby(["period", "component"]):
            table = analytics.rank_units(scores, make_units(), index="PAR", period=period,
                                         component=comp, basis=basis)
            mine = block.set_index("unit_id")["rank"].reindex(table["unit_id"])
            assert mine.tolist() == table["rank"].tolist()


def test_rank_all_unknown_basis():
    with pytest.raises(UsageError, match="Cơ sở xếp hạng"):
        analytics.rank_all(make_scores([]), make_units(), basis="median")


def test_rank_all_with_a_registry_that_renames_units():
    units = make_units([
        {"unit_id": "ward:x", "name": "Xã X", "level": "commune", "parent_id": "",
         "aliases": (), "valid_from": "", "valid_to": "2018"},
        {"unit_id": "ward:x", "name": "Phường X", "level": "ward", "parent_id": HK,
         "aliases": (), "valid_from": "2019", "valid_to": ""},
    ])
    scores = make_scores(totals("2018", {"ward:x": 50, HB: 60}) + totals("2019", {"ward:x": 70, HB: 60}))
    ranked = analytics.rank_all(scores, units)
    assert ranked["level"].tolist() == ["commune", "ward", "ward", "ward"]
    assert ranked["rank"].tolist() == [1, 1, 1, 2]


def test_periods_and_previous_period_by_granularity():
    scores = make_scores(totals("2018", {HB: 1}) + totals("2019-03", {HB: 1})
                         + totals("2019-Q1", {HB: 1}) + totals("2019", {HB: 1})
                         + totals("2019-05", {HB: 1}) + totals("2019-Q2", {HB: 1}))
    assert analytics.periods(scores, "PAR") == ["2018", "2019", "2019-03", "2019-05",
                                                "2019-Q1", "2019-Q2"]
    assert analytics.periods(scores, "PCI") == []


@pytest.mark.parametrize(
    ("period", "expected"),
    [("2019", "2018"), ("2018", None), ("2019-05", "2019-03"), ("2019-03", None),
     ("2019-Q2", "2019-Q1"), ("2020", "2019"), ("2019-04", "2019-03")],
)
def test_previous_period(period, expected):
    scores = make_scores(totals("2018", {HB: 1}) + totals("2019-03", {HB: 1})
                         + totals("2019-Q1", {HB: 1}) + totals("2019", {HB: 1})
                         + totals("2019-05", {HB: 1}) + totals("2019-Q2", {HB: 1}))
    assert analytics.previous_period(scores, "PAR", period) == expected


def test_levels_in_model_order():
    scores, _ = two_years()
    scores = pd.concat([scores, make_scores(totals("2018", {"x:1": 1}))], ignore_index=True)
    assert analytics.levels(scores, make_units(), "PAR") == ["ward", "office", "unit"]
    assert analytics.levels(scores, make_units(), "PAR", "2018") == ["ward", "unit"]


# ---------------------------------------------------------------------------------------------
# Series, methodology, movers
# ---------------------------------------------------------------------------------------------

def test_unit_series_percent_of_max_differs_by_year():
    scores = make_scores([("2018", HG, "TOTAL", 80, 100), ("2019", HG, "TOTAL", 72, 80),
                          ("2018", CD, "TOTAL", 90, 100), ("2019", CD, "TOTAL", 60, 80),
                          ("2019", OFFICE, "TOTAL", 10, 80)])
    series = analytics.unit_series(scores, make_units(), index="PAR", level="ward")
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


def make_components(rows: list[tuple], *, index: str = "PAR") -> pd.DataFrame:
    """rows: (period, component, name, parent, max_value)."""
    frame = pd.DataFrame(rows, columns=["period", "component", "name", "parent", "max_value"])
    frame = frame.assign(index=index, order=range(len(frame)), version=1,
                         max_value=frame["max_value"].astype("float64"))
    return frame[COMPONENT_COLUMNS]


COMPONENTS = make_components([
    ("2018", "1", "Công tác chỉ đạo, điều hành", "", 10),
    ("2018", "2", "Cải cách thể chế", "", 10),
    ("2018", "3", "Cải cách thủ tục hành chính", "", 14.5),
    ("2018", "3.1", "Công khai thủ tục", "3", 4),
    ("2019", "1", "Công tác chỉ đạo, điều hành", "", 12),
    ("2019", "3", "Cải cách thủ tục hành chính", "", 14.5),
    ("2019", "3.1", "Công khai thủ tục", "3", NAN),
    ("2019", "10", "Chuyển đổi số", "", 5),
])


def test_methodology_changes():
    changes = analytics.methodology_changes(COMPONENTS, index="PAR", period_from="2018",
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
    same = analytics.methodology_changes(COMPONENTS, index="PAR", period_from="2018",
                                         period_to="2018")
    assert same.empty
    assert same.columns.tolist() == analytics.METHODOLOGY_COLUMNS
    with pytest.raises(UsageError, match="kỳ 2017"):
        analytics.methodology_changes(COMPONENTS, index="PAR", period_from="2017",
                                      period_to="2018")


def movers_scores() -> pd.DataFrame:
    return make_scores(
        totals("2018", {HB: 90, HG: 80, CD: 70, DX: 60, PT: 50})
        + totals("2019", {HB: 70, HG: 95, CD: 75, DX: 80, OFFICE: 100}, max_value=100)
    )


def test_biggest_movers_sorted_gainers_first():
    movers = analytics.biggest_movers(movers_scores(), make_units(), index="PAR",
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
    movers = analytics.biggest_movers(movers_scores(), make_units(), COMPONENTS, index="PAR",
                                      period_from="2018", period_to="2019", level="ward", n=1)
    assert movers["unit_id"].tolist() == [DX, HB]
    assert movers["methodology_changed"].tolist() == [True, True]
    everyone = analytics.biggest_movers(movers_scores(), make_units(), index="PAR",
                                        period_from="2018", period_to="2019", level="ward", n=2)
    assert len(everyone) == 4


def test_biggest_movers_unknown_period():
    with pytest.raises(UsageError, match="kỳ 2020"):
        analytics.biggest_movers(movers_scores(), make_units(), index="PAR",
                                 period_from="2018", period_to="2020")


# ---------------------------------------------------------------------------------------------
# Components
# ---------------------------------------------------------------------------------------------

def field_scores() -> pd.DataFrame:
    rows = []
    fields = {HB: (9, 5, 14), HG: (6, 9, 10), CD: (7, 7, 12)}
    for uid, (f1, f2, f3) in fields.items():
        rows += [("2018", uid, "1", f1, 10), ("2018", uid, "2", f2, 10),
                 ("2018", uid, "3", f3, 14.5), ("2018", uid, "3.1", f3 / 4, NAN),
                 ("2018", uid, "TOTAL", f1 + f2 + f3, 34.5)]
    rows += [("2018", OFFICE, "1", 10, 10), ("2018", OFFICE, "2", 10, 10),
             ("2018", OFFICE, "3", 14.5, 14.5), ("2018", OFFICE, "TOTAL", 34.5, 34.5)]
    return make_scores(rows)


def test_component_percent():
    parts = analytics.component_percent(field_scores(), COMPONENTS, index="PAR", period="2018")
    hb = parts[parts["unit_id"] == HB].reset_index(drop=True)
    expected = pd.DataFrame({
        "unit_id": HB,
        "component": ["TOTAL", "1", "2", "3", "3.1"],
        "name": ["TOTAL", "Công tác chỉ đạo, điều hành", "Cải cách thể chế",
                 "Cải cách thủ tục hành chính", "Công khai thủ tục"],
        "parent": ["", "", "", "", "3"],
        "value": [28.0, 9, 5, 14, 3.5],
        "max_value": [34.5, 10, 10, 14.5, 4],  # 3.1's maximum comes from the component list
        "percent": [28 / 34.5 * 100, 90, 50, 14 / 14.5 * 100, 87.5],
    })
    pd.testing.assert_frame_equal(hb, expected)
    assert parts["unit_id"].drop_duplicates().tolist() == [OFFICE, CD, HB, HG]


def test_component_matrix_wide_in_vietnamese_order():
    matrix = analytics.component_matrix(field_scores(), make_units(), COMPONENTS, index="PAR",
                                        period="2018", level="ward")
    expected = pd.DataFrame(
        [[70.0, 70, 12 / 14.5 * 100], [90.0, 50, 14 / 14.5 * 100], [60.0, 90, 10 / 14.5 * 100]],
        index=pd.Index(["Phường Cửa Đông", "Phường Hàng Bạc", "Phường Hàng Gai"], name="unit",
                       dtype="str"),
        columns=pd.Index(["Công tác chỉ đạo, điều hành", "Cải cách thể chế",
                          "Cải cách thủ tục hành chính"], name="component", dtype="str"),
        dtype="float64",
    )
    pd.testing.assert_frame_equal(matrix, expected)
    depth2 = analytics.component_matrix(field_scores(), make_units(), COMPONENTS, index="PAR",
                                        period="2018", level="ward", depth=2)
    assert depth2.columns.tolist() == ["Công khai thủ tục"]
    with pytest.raises(UsageError, match="cấp 3"):
        analytics.component_matrix(field_scores(), make_units(), COMPONENTS, index="PAR",
                                   period="2018", depth=3)


def test_strengths_weaknesses_weakest_first_within_own_level():
    table = analytics.strengths_weaknesses(field_scores(), make_units(), COMPONENTS, index="PAR",
                                           period="2018", unit_id=HB)
    avg3 = (14 + 10 + 12) / 3 / 14.5 * 100
    expected = pd.DataFrame({
        "component": ["2", "3", "1"],
        "name": ["Cải cách thể chế", "Cải cách thủ tục hành chính",
                 "Công tác chỉ đạo, điều hành"],
        "value": [5.0, 14, 9],
        "max_value": [10.0, 14.5, 10],
        "percent": [50.0, 14 / 14.5 * 100, 90],
        "points_lost": [5.0, 0.5, 1],
        # The office (level "office") is not in the wards' block.
        "block_average": [70.0, avg3, (90 + 60 + 70) / 3],
        "block_best": [90.0, 14 / 14.5 * 100, 90],
        "gap_to_average": [-20.0, 14 / 14.5 * 100 - avg3, 90 - (90 + 60 + 70) / 3],
    })
    pd.testing.assert_frame_equal(table, expected)
    with pytest.raises(UsageError, match=PT):
        analytics.strengths_weaknesses(field_scores(), make_units(), COMPONENTS, index="PAR",
                                       period="2018", unit_id=PT)


def test_field_changes():
    scores = pd.concat([field_scores(), make_scores([("2019", HB, "1", 11, 12),
                                                     ("2019", HB, "3", 12, 14.5),
                                                     ("2019", HB, "10", 4, 5),
                                                     ("2019", HB, "3.1", 3, 4)])])
    changes = analytics.field_changes(scores, COMPONENTS, index="PAR", unit_id=HB,
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


def test_correlations():
    matrix = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [2.0, 4, 6, 8], "c": [4.0, 3, 2, 1]})
    corr = analytics.correlations(matrix)
    expected = pd.DataFrame([[1.0, 1, -1], [1, 1, -1], [-1, -1, 1]], index=list("abc"),
                            columns=list("abc"), dtype="float64")
    pd.testing.assert_frame_equal(corr, expected)
    assert analytics.correlations(matrix, method="spearman").loc["a", "c"] == pytest.approx(-1)
    with pytest.raises(UsageError, match="'median'"):
        analytics.correlations(matrix, method="median")


@pytest.mark.parametrize(
    ("x", "y", "pearson", "spearman", "n"),
    [
        ([1, 2, 3, 4], [1, 4, 9, 16], 0.9843740386976972, 1.0, 4),
        ([1, 2, NAN, 4, 5], [2, 4, 6, NAN, 10], 1.0, 1.0, 3),
        ([1, 2], [3, 4], NAN, NAN, 2),
        ([1, 1, 1], [1, 2, 3], NAN, NAN, 3),
    ],
)
def test_index_correlation(x, y, pearson, spearman, n):
    result = analytics.index_correlation(pd.DataFrame({"PAR": x, "SIPAS": y}), "PAR", "SIPAS")
    assert result["n"] == n
    for key, want in (("pearson", pearson), ("spearman", spearman)):
        if math.isnan(want):
            assert math.isnan(result[key])
        else:
            assert result[key] == pytest.approx(want)


def test_index_correlation_missing_column():
    with pytest.raises(UsageError, match="Không có cột PCI"):
        analytics.index_correlation(pd.DataFrame({"PAR": [1.0]}), "PAR", "PCI")


# ---------------------------------------------------------------------------------------------
# What if
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("weights", [{}, {"1": 1.0, "2": 1.0, "3": 1.0}, {"1": 2, "2": 2, "3": 2}])
def test_what_if_equal_weights_reproduce_base(weights):
    table, summary = analytics.what_if(field_scores(), make_units(), index="PAR", period="2018",
                                       weights=weights, level="ward")
    assert table["base_rank"].tolist() == table["new_rank"].tolist()
    assert summary["rank_changed"] == 0
    assert summary["group_changed"] == 0
    assert summary["spearman"] == pytest.approx(1.0)
    assert summary["kendall"] == pytest.approx(1.0)
    assert summary["largest_up"] == [] and summary["largest_down"] == []


def test_what_if_weight_on_a_field_moves_the_unit_strong_in_it_up():
    # Hàng Gai is strongest in field 2 (9/10) but last on the total.
    table, summary = analytics.what_if(field_scores(), make_units(), index="PAR", period="2018",
                                       weights={"2": 5.0}, level="ward")
    score_hg = (25 + 4 * 9) / (34.5 + 40) * 100
    score_hb = (28 + 4 * 5) / (34.5 + 40) * 100
    score_cd = (26 + 4 * 7) / (34.5 + 40) * 100
    expected = pd.DataFrame({
        "unit_id": [HG, CD, HB],
        "unit": ["Phường Hàng Gai", "Phường Cửa Đông", "Phường Hàng Bạc"],
        "base_rank": ints([3, 2, 1]),
        "new_rank": ints([1, 2, 3]),
        "rank_change": ints([2, 0, -2]),
        "base_group": ["C", "B", "A"],  # 72.46 %, 75.36 %, 81.16 %
        "new_group": ["A", "C", "D"],  # 81.88 %, 72.48 %, 64.43 %
        "score": [score_hg, score_cd, score_hb],
    })
    pd.testing.assert_frame_equal(table, expected)
    assert summary == {
        "units": 3, "rank_changed": 2, "group_changed": 3,
        "largest_up": [("Phường Hàng Gai", 2)], "largest_down": [("Phường Hàng Bạc", -2)],
        "spearman": pytest.approx(-1.0), "kendall": pytest.approx(-1.0),
    }


@pytest.mark.parametrize(
    ("weights", "message"),
    [({"9": 2.0}, "Không có lĩnh vực 9.*các lĩnh vực có: 1, 2, 3"),
     ({"1": -1.0}, "Trọng số của lĩnh vực 1 phải không âm")],
)
def test_what_if_bad_weights(weights, message):
    with pytest.raises(UsageError, match=message):
        analytics.what_if(field_scores(), make_units(), index="PAR", period="2018",
                          weights=weights)


# ---------------------------------------------------------------------------------------------
# block_summary
# ---------------------------------------------------------------------------------------------

def test_block_summary():
    scores, _ = two_years()
    table = analytics.rank_units(scores, make_units(), index="PAR", period="2019", level="ward")
    assert analytics.block_summary(table) == {
        "units": 5, "average": pytest.approx((92.15 + 85 + 85 + 75) / 4),
        "best_unit": "Phường Hàng Bạc", "best_value": pytest.approx(92.15),
        "worst_unit": "Phường Phúc Tân", "worst_value": 75.0,
        "most_improved_unit": "Phường Hàng Bạc", "most_improved_change": 2, "basis": "percent",
    }


def test_block_summary_without_improvement_or_rows():
    table = analytics.rank_units(make_scores(totals("2019", {HB: 80, HG: NAN}, NAN)),
                                 make_units(), index="PAR", period="2019")
    summary = analytics.block_summary(table)
    assert summary["basis"] == "points"
    assert summary["most_improved_unit"] is None
    assert summary["best_value"] == 80.0
    empty = analytics.block_summary(table.iloc[0:0])
    assert empty["units"] == 0 and empty["best_unit"] is None and empty["average"] is None


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

UNIT_IDS = [f"ward:u{i}" for i in range(8)]
NAMES = ["Phường Ánh", "Phường Ân", "Phường Bắc", "Phường Đông", "Phường Dịch", "Phường Ánh",
         "Phường Ơn", "Phường Yên"]
PROPERTY_UNITS = pd.DataFrame({
    "unit_id": UNIT_IDS, "name": NAMES, "level": "ward", "parent_id": HK, "aliases": [()] * 8,
    "valid_from": "", "valid_to": "",
})[UNIT_COLUMNS]

# Points with two decimals, as printed in annexes; few distinct values so ties are common.
points = st.integers(min_value=0, max_value=40).map(lambda k: k / 4)
blocks = st.lists(st.one_of(points, st.just(NAN)), min_size=1, max_size=8)


def block_scores(values: list[float]) -> pd.DataFrame:
    return make_scores([("2019", UNIT_IDS[i], "TOTAL", v, 10.0) for i, v in enumerate(values)])


@settings(max_examples=60, deadline=None)
@given(values=blocks, seed=st.integers(min_value=0, max_value=10_000))
def test_property_ranks_do_not_depend_on_row_order(values, seed):
    scores = block_scores(values)
    shuffled = scores.sample(frac=1.0, random_state=seed)
    first = analytics.rank_units(scores, PROPERTY_UNITS, index="PAR", period="2019")
    second = analytics.rank_units(shuffled, PROPERTY_UNITS, index="PAR", period="2019")
    pd.testing.assert_frame_equal(first, second)
    ranked = analytics.rank_all(shuffled, PROPERTY_UNITS).set_index("unit_id")["rank"]
    assert ranked.reindex(first["unit_id"]).tolist() == first["rank"].tolist()


@settings(max_examples=60, deadline=None)
@given(values=blocks, shift=st.integers(min_value=-4000, max_value=4000).map(lambda k: k / 100))
def test_property_adding_a_constant_changes_no_rank_on_points(values, shift):
    base = analytics.rank_units(block_scores(values), PROPERTY_UNITS, index="PAR",
                                period="2019", basis="points")
    moved = analytics.rank_units(block_scores([v + shift for v in values]), PROPERTY_UNITS,
                                 index="PAR", period="2019", basis="points")
    pd.testing.assert_frame_equal(base[["unit_id", "rank"]], moved[["unit_id", "rank"]])


@settings(max_examples=60, deadline=None)
@given(values=blocks)
def test_property_competition_ranks(values):
    table = analytics.rank_units(block_scores(values), PROPERTY_UNITS, index="PAR",
                                 period="2019")
    scored = table[table["value"].notna()]
    for value, rank in zip(scored["value"], scored["rank"], strict=True):
        assert rank == 1 + int((scored["value"] > value).sum())
    assert table["rank"].isna().sum() == sum(math.isnan(v) for v in values)
    # Unranked units come last.
    assert table["rank"].isna().tolist() == sorted(table["rank"].isna().tolist())
