"""reform.analysis.ranking.rank_all against a plain pandas ranking, on random frames.

rank_all packs group, score and row into one integer and sorts (index, period) at a time; the
reference below ranks block by block with ``groupby().rank(method="min")``, the way anyone
would write it. The two must agree on every row, in both row orders and both column kinds.
"""
from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from reform.analysis import ranking
from reform.analysis.competition import RANK_DECIMALS, percent_of_max, rank_in_groups
from reform.core.model import UNIT_COLUMNS

KEYS = ["index", "period", "component", "level"]
UNIT_LEVELS = {"ward:a": "ward", "ward:b": "ward", "ward:c": "ward", "commune:d": "commune",
               "commune:e": "commune", "office:f": "office"}
UNITS = pd.DataFrame([
    {"unit_id": uid, "name": uid, "level": level, "parent_id": "", "aliases": (),
     "valid_from": "", "valid_to": ""} for uid, level in UNIT_LEVELS.items()
], columns=UNIT_COLUMNS)
# "ward:z" is not in the registry: its level is "unit". A missing key is a key of its own.
GRID = list(itertools.product(["PAR", "SIPAS"], ["2019", "2020", np.nan],
                              [*UNIT_LEVELS, "ward:z", np.nan], ["TOTAL", "1"]))

# Few distinct values so that ties are common; 40/50 and 80/100 tie only after rounding.
values = st.sampled_from([0.0, 8.0, 40.0, 80.0, 0.1 + 0.2, 0.3, 0.3 + 1e-9, 99.5, 1e5, np.nan])
maxima = st.sampled_from([100.0, 50.0, 10.0, 0.0, np.nan])


@st.composite
def score_frames(draw) -> pd.DataFrame:
    """Unique (index, period, unit, component) rows with random values and maxima."""
    keys = draw(st.lists(st.sampled_from(GRID), min_size=1, max_size=60, unique=True))
    rows = [(*key, draw(values), draw(maxima)) for key in keys]
    frame = pd.DataFrame(rows, columns=["index", "period", "unit_id", "component", "value",
                                        "max_value"])
    return frame.assign(source="test!A1", version=1)


def reference(scores: pd.DataFrame, basis: str) -> pd.Series:
    """Competition rank per block, straight from the rule in the module docstring."""
    frame = scores.reset_index(drop=True).astype({c: "str" for c in
                                                 ["index", "period", "component", "unit_id"]})
    frame["level"] = frame["unit_id"].map(UNIT_LEVELS).fillna("unit")
    value, maximum = frame["value"], frame["max_value"]
    percent = (value / maximum * 100).where(maximum > 0)
    score = percent
    if basis == "points":
        score = value
    else:
        lacking = (value.notna() & percent.isna()).groupby([frame[k] for k in KEYS],
                                                           dropna=False)
        score = percent.where(~lacking.transform("any"), value)
    ranks = score.round(RANK_DECIMALS).groupby([frame[k] for k in KEYS], dropna=False).rank(
        method="min", ascending=False)
    return ranks.astype("Int64")


def as_categories(scores: pd.DataFrame) -> pd.DataFrame:
    """The frame as the snapshot keeps it: key columns categorical."""
    return scores.astype({c: "category" for c in ["index", "period", "unit_id", "component"]})


@settings(max_examples=40, deadline=None)
@given(scores=score_frames(), seed=st.integers(0, 10_000),
       basis=st.sampled_from(ranking.BASES), categorical=st.booleans(),
       grouped=st.booleans())
def test_property_rank_all_agrees_with_a_pandas_ranking(scores, seed, basis, categorical,
                                                        grouped):
    if grouped:
        # The store's order: each (index, period) in one run of rows.
        scores = scores.sort_values(["index", "period"], kind="stable")
    else:
        scores = scores.sample(frac=1.0, random_state=seed)
    if categorical:
        scores = as_categories(scores)
    ranked = ranking.rank_all(scores, UNITS, basis=basis)
    expected = reference(scores, basis)
    pd.testing.assert_series_equal(ranked["rank"], expected, check_names=False)
    # Bit for bit the rule's percent (rank_all computes it in place, block by block).
    np.testing.assert_array_equal(ranked["percent"].to_numpy(), percent_of_max(
        scores["value"].to_numpy(), scores["max_value"].to_numpy()))
    assert ranked["level"].astype("str").tolist() == (
        scores["unit_id"].astype("str").map(UNIT_LEVELS).fillna("unit").tolist())
    assert isinstance(ranked["level"].dtype, pd.CategoricalDtype) == categorical


@settings(max_examples=60, deadline=None)
@given(gid=st.lists(st.integers(0, 5), min_size=1, max_size=40), data=st.data(),
       n_groups=st.sampled_from([6, 2**12, 2**20]))
def test_property_packed_ranks_agree_with_rank_in_groups(gid, data, n_groups):
    # Wide groups and scores up to 1e7 do not fit one int64 key: they take the split and
    # the fallback paths, which must give the same ranks as the plain ones.
    score = np.array(data.draw(st.lists(
        st.one_of(st.sampled_from([np.nan, 1e7, -1e7, 5e5]),
                  st.integers(-40, 40).map(lambda k: k / 4)),
        min_size=len(gid), max_size=len(gid))))
    gid = np.array(gid) * (n_groups // 6)
    expected = rank_in_groups(gid, score, n_groups).to_numpy(dtype=np.int64, na_value=0)
    ranks = np.zeros(len(score), dtype=np.int64)
    ranking._packed_ranks(gid, score, n_groups, ranks)
    np.testing.assert_array_equal(ranks, expected)


def test_rank_all_keeps_categoricals_and_leaves_its_input_alone():
    scores = as_categories(pd.DataFrame({
        "index": "PAR", "period": ["2019", "2019", "2020"], "unit_id": ["ward:a", "ward:b", "ward:a"],
        "component": "TOTAL", "value": [40.0, 80.0, np.nan], "max_value": [50.0, 100.0, 100.0],
        "source": "test!A1", "version": 1,
    }))
    before = scores.copy()
    ranked = ranking.rank_all(scores, UNITS)
    assert ranked["rank"].tolist() == [1, 1, pd.NA]
    assert ranked["level"].tolist() == ["ward", "ward", "ward"]
    assert all(isinstance(ranked[c].dtype, pd.CategoricalDtype)
               for c in ["index", "period", "component", "level", "unit_id"])
    # The value column may share the input's memory: writing to it must not reach the input.
    ranked.loc[0, "value"] = -1.0
    pd.testing.assert_frame_equal(scores, before)


def test_rank_all_of_no_rows():
    scores = pd.DataFrame(columns=["index", "period", "unit_id", "component", "value",
                                   "max_value", "source", "version"])
    ranked = ranking.rank_all(scores.astype({"value": "float64", "max_value": "float64"}), UNITS)
    assert ranked.empty and list(ranked.columns) == ranking.RANK_ALL_COLUMNS


def test_rank_all_tells_apart_scores_one_rounding_step_apart():
    # 0.1 + 0.2 ties with 0.3 once rounded to 9 decimals; one more 1e-9 does not. The units are
    # not in the registry: one block, level "unit".
    points = [0.3, 0.3 + 2e-9, 0.1 + 0.2, 0.3 - 1e-9, 0.3 + 1e-9]
    scores = pd.DataFrame({
        "index": "PAR", "period": "2019", "unit_id": ["ward:v", "ward:w", "ward:x", "ward:y", "ward:z"],
        "component": "TOTAL", "value": points, "max_value": np.nan, "source": "test!A1",
        "version": 1,
    })
    for frame in (scores, as_categories(scores)):
        ranked = ranking.rank_all(frame, UNITS, basis="points")
        assert ranked["rank"].tolist() == [3, 1, 3, 5, 2]


def test_rank_all_on_rows_stored_component_by_component():
    # An import reads a wide sheet column by column: each (index, period, component) is one
    # long run of rows and periods repeat. Those runs are ranked as they are, unsorted.
    rng = np.random.default_rng(7)
    ids = [f"ward:u{i}" for i in range(300)]
    keys = list(itertools.product(["1", "TOTAL"], ["2019", "2020"], ids))
    scores = pd.DataFrame({
        "index": "PAR", "period": [p for _, p, _ in keys], "unit_id": [u for _, _, u in keys],
        "component": [c for c, _, _ in keys], "value": rng.integers(0, 40, len(keys)) / 4,
        "max_value": 10.0, "source": "test!A1", "version": 1,
    })
    codes = [pd.factorize(scores[c]) for c in ["index", "period", "component"]]
    order, bounds = ranking._batches([(c, len(u)) for c, u in codes])
    assert order is None and np.diff(bounds).tolist() == [300] * 4
    for frame in (scores, as_categories(scores)):
        ranked = ranking.rank_all(frame, UNITS)
        pd.testing.assert_series_equal(ranked["rank"], reference(frame, "percent"),
                                       check_names=False)
