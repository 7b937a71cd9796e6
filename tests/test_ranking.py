"""reform.analysis.ranking: the competition rank, rank_units, rank_all, block_summary."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reform.analysis import ranking, trends
from reform.core.errors import UsageError
from reform.core.model import UNIT_COLUMNS
from tests.analysis_frames import (
    CD,
    DX,
    HB,
    HG,
    HK,
    NAN,
    OFFICE,
    PT,
    WARDS,
    ints,
    make_scores,
    make_units,
    totals,
    two_years,
)

# ---------------------------------------------------------------------------------------------
# rank_units
# ---------------------------------------------------------------------------------------------

def test_rank_units_full_table_with_previous_period_new_unit_missing_value_and_published():
    scores, published = two_years()
    table = ranking.rank_units(scores, make_units(), index="PAR", period="2019", level="ward",
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
        # The publisher's groups are shown; Cửa Đông, left unlabelled, keeps its computed "A".
        "group": ["Nhóm A", "A", "B", "D", ""],
        "published_rank": ints([1, None, 2, 5, None]),
        "published_group": ["Nhóm A", "", "B", "D", ""],
        "group_mismatch": [False, False, True, True, False],
    })
    pd.testing.assert_frame_equal(table, expected)


def test_rank_units_without_level_ranks_every_unit_and_without_published_leaves_blanks():
    scores, _ = two_years()
    table = ranking.rank_units(scores, make_units(), index="PAR", period="2019")
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
    table = ranking.rank_units(scores, units, index="PAR", period="2019", parent_id=HK)
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
    table = ranking.rank_units(make_scores(totals("2019", values)), make_units(),
                                 index="PAR", period="2019")
    pd.testing.assert_frame_equal(
        table[["unit_id", "rank"]],
        pd.DataFrame({"unit_id": order, "rank": ints(ranks)}),
    )


def test_percent_ties_despite_float_noise():
    # 40/50 and 80/100 are both 80 %: they must tie (and be group A) whatever the last bit.
    scores = make_scores([("2019", HB, "TOTAL", 40, 50), ("2019", HG, "TOTAL", 80, 100),
                          ("2019", CD, "TOTAL", 72, 90)])
    table = ranking.rank_units(scores, make_units(), index="PAR", period="2019")
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
    table = ranking.rank_units(scores, units, index="PAR", period="2019", level="ward")
    pd.testing.assert_frame_equal(
        table[["unit_id", "unit", "rank", "previous_rank", "change", "is_new"]],
        pd.DataFrame({"unit_id": ["ward:moi", HB], "unit": ["Phường Mới", "Phường Hàng Bạc"],
                      "rank": ints([1, 2]), "previous_rank": ints([2, 1]),
                      "change": ints([1, -1]), "is_new": [False, False]}),
    )
    old = ranking.rank_units(scores, units, index="PAR", period="2018")
    assert old.loc[old["unit_id"] == "ward:moi", "unit"].item() == "Phường Cũ"


def test_percent_basis_compares_years_with_different_maximums_and_points_basis_does_not():
    # 2018 out of 100, 2019 out of 80: 72/80 = 90 % beats 85/100 = 85 % but not on points.
    scores = make_scores([("2019", HB, "TOTAL", 72, 80), ("2019", HG, "TOTAL", 70, 80),
                          ("2018", HB, "TOTAL", 85, 100), ("2018", HG, "TOTAL", 90, 100)])
    by_percent = ranking.rank_units(scores, make_units(), index="PAR", period="2019")
    pd.testing.assert_frame_equal(
        by_percent[["unit_id", "percent", "rank", "change", "gap_to_leader"]],
        pd.DataFrame({"unit_id": [HB, HG], "percent": [90.0, 87.5], "rank": ints([1, 2]),
                      "change": ints([1, -1]), "gap_to_leader": [0.0, -2.5]}),
    )
    by_points = ranking.rank_units(scores, make_units(), index="PAR", period="2019",
                                     basis="points")
    assert by_points["gap_to_leader"].tolist() == [0.0, -2.0]


def test_block_without_maximum_falls_back_to_points():
    scores = make_scores([("2019", HB, "TOTAL", 70, 100), ("2019", HG, "TOTAL", 80, NAN)])
    table = ranking.rank_units(scores, make_units(), index="PAR", period="2019")
    pd.testing.assert_frame_equal(
        table[["unit_id", "percent", "rank", "gap_to_leader", "group"]],
        pd.DataFrame({"unit_id": [HG, HB], "percent": [NAN, 70.0], "rank": ints([1, 2]),
                      "gap_to_leader": [0.0, -10.0], "group": ["", "C"]}),
    )


def test_previous_rank_uses_same_component():
    scores = make_scores(totals("2018", {HB: 5, HG: 9}, 10, "3") + totals("2019", {HB: 8, HG: 7}, 10, "3")
                         + totals("2018", {HB: 90, HG: 80}) + totals("2019", {HB: 90, HG: 80}))
    table = ranking.rank_units(scores, make_units(), index="PAR", period="2019", component="3")
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
        ranking.rank_units(scores, make_units(), **options)
    assert caught.value.message("en") == caught.value.message_en
    assert pd.Series([caught.value.message_en]).str.contains(en).item()


def test_functions_do_not_change_their_input():
    scores, published = two_years()
    units = make_units()
    before = (scores.copy(), units.copy(), published.copy())
    ranking.rank_units(scores, units, index="PAR", period="2019", published=published)
    ranking.rank_all(scores, units)
    trends.unit_series(scores, units, index="PAR")
    pd.testing.assert_frame_equal(scores, before[0])
    pd.testing.assert_frame_equal(units, before[1])
    pd.testing.assert_frame_equal(published, before[2])


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
    ranked = ranking.rank_all(scores, make_units())
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
        ranked = ranking.rank_all(scores, make_units(), basis=basis)
        for (period, comp), block in ranked.groupby(["period", "component"]):
            table = ranking.rank_units(scores, make_units(), index="PAR", period=period,
                                         component=comp, basis=basis)
            mine = block.set_index("unit_id")["rank"].reindex(table["unit_id"])
            assert mine.tolist() == table["rank"].tolist()


def test_rank_all_unknown_basis():
    with pytest.raises(UsageError, match="Cơ sở xếp hạng"):
        ranking.rank_all(make_scores([]), make_units(), basis="median")


def test_rank_all_with_a_registry_that_renames_units():
    units = make_units([
        {"unit_id": "ward:x", "name": "Xã X", "level": "commune", "parent_id": "",
         "aliases": (), "valid_from": "", "valid_to": "2018"},
        {"unit_id": "ward:x", "name": "Phường X", "level": "ward", "parent_id": HK,
         "aliases": (), "valid_from": "2019", "valid_to": ""},
    ])
    scores = make_scores(totals("2018", {"ward:x": 50, HB: 60}) + totals("2019", {"ward:x": 70, HB: 60}))
    ranked = ranking.rank_all(scores, units)
    assert ranked["level"].tolist() == ["commune", "ward", "ward", "ward"]
    assert ranked["rank"].tolist() == [1, 1, 1, 2]


# ---------------------------------------------------------------------------------------------
# block_summary
# ---------------------------------------------------------------------------------------------

def test_block_summary():
    scores, _ = two_years()
    table = ranking.rank_units(scores, make_units(), index="PAR", period="2019", level="ward")
    assert ranking.block_summary(table) == {
        "units": 5, "average": pytest.approx((92.15 + 85 + 85 + 75) / 4),
        "best_unit": "Phường Hàng Bạc", "best_value": pytest.approx(92.15),
        "worst_unit": "Phường Phúc Tân", "worst_value": 75.0,
        "most_improved_unit": "Phường Hàng Bạc", "most_improved_change": 2, "basis": "percent",
    }


def test_block_summary_without_improvement_or_rows():
    table = ranking.rank_units(make_scores(totals("2019", {HB: 80, HG: NAN}, NAN)),
                                 make_units(), index="PAR", period="2019")
    summary = ranking.block_summary(table)
    assert summary["basis"] == "points"
    assert summary["most_improved_unit"] is None
    assert summary["best_value"] == 80.0
    empty = ranking.block_summary(table.iloc[0:0])
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


@settings(max_examples=30, deadline=None)
@given(values=blocks, seed=st.integers(min_value=0, max_value=10_000))
def test_property_ranks_do_not_depend_on_row_order(values, seed):
    scores = block_scores(values)
    shuffled = scores.sample(frac=1.0, random_state=seed)
    first = ranking.rank_units(scores, PROPERTY_UNITS, index="PAR", period="2019")
    second = ranking.rank_units(shuffled, PROPERTY_UNITS, index="PAR", period="2019")
    pd.testing.assert_frame_equal(first, second)
    ranked = ranking.rank_all(shuffled, PROPERTY_UNITS).set_index("unit_id")["rank"]
    assert ranked.reindex(first["unit_id"]).tolist() == first["rank"].tolist()


@settings(max_examples=30, deadline=None)
@given(values=blocks, shift=st.integers(min_value=-4000, max_value=4000).map(lambda k: k / 100))
def test_property_adding_a_constant_changes_no_rank_on_points(values, shift):
    base = ranking.rank_units(block_scores(values), PROPERTY_UNITS, index="PAR",
                                period="2019", basis="points")
    moved = ranking.rank_units(block_scores([v + shift for v in values]), PROPERTY_UNITS,
                                 index="PAR", period="2019", basis="points")
    pd.testing.assert_frame_equal(base[["unit_id", "rank"]], moved[["unit_id", "rank"]])


@settings(max_examples=30, deadline=None)
@given(values=blocks)
def test_property_competition_ranks(values):
    table = ranking.rank_units(block_scores(values), PROPERTY_UNITS, index="PAR",
                                 period="2019")
    scored = table[table["value"].notna()]
    for value, rank in zip(scored["value"], scored["rank"], strict=True):
        assert rank == 1 + int((scored["value"] > value).sum())
    assert table["rank"].isna().sum() == sum(math.isnan(v) for v in values)
    # Unranked units come last.
    assert table["rank"].isna().tolist() == sorted(table["rank"].isna().tolist())


# ---------------------------------------------------------------------------------------------
# The one competition rank
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("values", "decimals", "ascending", "ranks"),
    [
        ([90.0, 80.0, 80.0, 70.0], 2, False, [1, 2, 2, 4]),
        ([70.0, 80.0, 80.0, 90.0], 2, True, [1, 2, 2, 4]),
        # Equal once rounded: 80.004 and 80.001 both print as 80.00 and share the rank.
        ([80.004, 80.001, 90.0], 2, False, [2, 2, 1]),
        ([80.004, 80.001, 90.0], 3, False, [2, 3, 1]),
        ([80.006, 80.001], 2, False, [1, 2]),
        # Missing values stay <NA> and take no place.
        ([NAN, 5.0, NAN, 7.0], 2, False, [None, 2, None, 1]),
        ([NAN, NAN], 2, False, [None, None]),
        ([], 2, False, []),
        ([1e12, 1e12 + 1, -1e12], 2, False, [2, 1, 3]),
    ],
)
def test_competition_rank(values, decimals, ascending, ranks):
    series = pd.Series(values, dtype="float64", index=range(10, 10 + len(values)))
    result = ranking.competition_rank(series, decimals=decimals, ascending=ascending)
    pd.testing.assert_series_equal(result, pd.Series(ranks, dtype="Int64", index=series.index))


def test_competition_rank_default_rounding_ties_float_noise_only():
    # 40/50 and 80/100 differ in the last bit; the default rounding makes them tie.
    values = pd.Series([40 / 50 * 100, 80 / 100 * 100, 72 / 90 * 100, 79.99])
    assert ranking.competition_rank(values).tolist() == [1, 1, 1, 4]
    assert ranking.RANK_DECIMALS == 9


@pytest.mark.parametrize(
    ("value", "max_value", "expected"),
    [(40.0, 50.0, 80.0), (3.0, 0.0, NAN), (3.0, NAN, NAN), (NAN, 10.0, NAN), (0.0, 10.0, 0.0)],
)
def test_percent_of_max(value, max_value, expected):
    result = ranking.percent_of_max(value, max_value)
    assert result == pytest.approx(expected, nan_ok=True)
    series = ranking.percent_of_max(pd.Series([value], index=[4]), pd.Series([max_value]))
    pd.testing.assert_series_equal(series, pd.Series([expected], index=[4], dtype="float64"))
