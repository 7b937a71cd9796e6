"""Ranking: the one competition rank, percent of maximum, and the ranking of a block.

- A *block* is the set of units ranked together: one index, period and component, optionally
  one level (``units.level``) and one parent (``units.parent_id``).
- Ranks are competition ranks (1, 2, 2, 4) in pandas' ``Int64`` dtype; a unit without a value
  gets ``<NA>`` and is listed last. Values are rounded to ``RANK_DECIMALS`` decimals before
  ranking, so 40/50 and 80/100 tie instead of differing in the last bit.
- ``basis="percent"`` ranks on % of maximum (``value / max_value * 100``). When some unit of a
  block has a value but no known maximum, the whole block falls back to points, because
  comparing one unit's percent with another's points would be meaningless.

Every function takes frames plus keyword options and returns a new frame (or a small dict);
none changes its input.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa

from reform.analysis import groups, scope
from reform.analysis.competition import (  # noqa: F401  (the rule, re-exported)
    RANK_DECIMALS,
    Number,
    competition_rank,
    floats,
    percent_into,
    percent_of_max,
    rank_in_groups,
)
from reform.core.errors import UsageError
from reform.core.i18n import LANGS, t
from reform.core.model import TOTAL

BASES = ("percent", "points")
"""What a ranking can be computed on."""

RANKING_COLUMNS = [
    "unit_id", "unit", "level", "parent_id", "period", "component", "value", "max_value",
    "percent", "rank", "previous_rank", "change", "is_new", "percentile", "gap_to_leader",
    "gap_to_average", "group", "published_rank", "published_group", "group_mismatch",
]
RANK_ALL_COLUMNS = ["index", "period", "component", "level", "unit_id", "value", "percent", "rank"]

def check_basis(basis: str) -> None:
    """Raise UsageError unless ``basis`` is one of ``BASES``."""
    if basis not in BASES:
        raise UsageError.of("analysis.unknown_basis", basis=basis, choices=", ".join(BASES))


def ranking_score(gid: np.ndarray, n_groups: int, value: np.ndarray, percent: np.ndarray,
                  basis: str) -> np.ndarray:
    """The number each row is ranked on: percent, or points for blocks lacking a maximum."""
    if basis == "points":
        return value
    lacking = np.isnan(percent)
    # Usually every percent is known: one pass tells, sparing the rest.
    if not lacking.any():
        return percent
    lacking &= ~np.isnan(value)
    if not lacking.any():
        return percent
    block_lacks = np.bincount(gid, weights=lacking, minlength=n_groups) > 0
    return np.where(block_lacks[gid], value, percent)


def rank_scores(value: np.ndarray, max_value: np.ndarray, *, basis: str = "percent"
                ) -> tuple[np.ndarray, np.ndarray, pd.arrays.IntegerArray]:
    """Percent, ranked score (rounded) and rank of one block's values and maxima."""
    percent = percent_of_max(value, max_value)
    gid = np.zeros(len(value), dtype=np.int64)
    score = np.round(ranking_score(gid, 1, value, percent, basis), RANK_DECIMALS)
    return percent, score, rank_in_groups(gid, score, 1)


# ---------------------------------------------------------------------------------------------
# Every block at once
# ---------------------------------------------------------------------------------------------

def _codes(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize`` of a key column (NaN a value of its own), faster on long runs.

    Imports append rows block by block, so index and period (and often unit) come in long
    runs: hashing one value per run instead of per row saves most of the time.
    """
    values = column.array
    n = len(values)
    head = values[:1024]
    # A sample tells whether runs are long enough to pay for comparing every row first.
    if n > 1 and np.asarray(head[1:] != head[:-1], dtype=bool).mean() < 0.25:
        changed = np.asarray(values[1:] != values[:-1], dtype=bool)
        starts = np.concatenate(([0], np.flatnonzero(changed) + 1))
        if len(starts) * 4 < n:
            head_codes, uniques = pd.factorize(values[starts], use_na_sentinel=False)
            return np.repeat(head_codes, np.diff(np.append(starts, n))), np.asarray(uniques)
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return codes, np.asarray(uniques)


def _key_codes(column: pd.Series) -> tuple[np.ndarray, np.ndarray | pd.Index]:
    """Codes of a key column and the values they stand for, NaN a value of its own.

    The snapshot keeps keys as categoricals, whose codes are already there: reading them
    costs nothing, where hashing 4 M strings costs tens of milliseconds per column.
    """
    if not isinstance(column.dtype, pd.CategoricalDtype):
        return _codes(column)
    codes = column.array.codes
    uniques = column.cat.categories
    if len(codes) and codes.min() < 0:
        codes = np.where(codes < 0, len(uniques), codes.astype(np.int64))
        uniques = pd.Index(np.append(np.asarray(uniques, dtype=object), np.nan), dtype=object)
    return codes, uniques


def _level_codes(units: pd.DataFrame, unit_codes: np.ndarray,
                 unit_values: np.ndarray, period_codes: np.ndarray,
                 period_values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The level of each score row (given by its unit and period codes) as (codes, levels)."""
    def column(name: str) -> pd.Series:
        found = units[name] if name in units.columns else pd.Series("", index=units.index)
        return found.fillna("").astype(str)

    ids = pd.Index(column("unit_id"))
    if ids.is_unique:
        # One registry row per unit (the usual case): resolve levels once per unit. The ""
        # appended is what position -1 (a unit not in the registry) reads.
        level = np.append(column("level").to_numpy(dtype=object), "")
        level_of = level[ids.get_indexer(unit_values)]
        level_of[level_of == ""] = "unit"
        codes, values = pd.factorize(level_of, use_na_sentinel=False)
        return codes.astype(_small_int(len(values)))[unit_codes], values
    pair = unit_codes.astype(np.int64) * len(period_values) + period_codes
    pair_codes, pair_values = pd.factorize(pair)
    keys = pd.DataFrame({
        "unit_id": unit_values[pair_values // len(period_values)],
        "period": period_values[pair_values % len(period_values)],
    })
    codes, values = pd.factorize(scope.attach_units(keys, units)["level"],
                                 use_na_sentinel=False)
    return codes[pair_codes], values


_MIN_BATCH_ROWS = 256
"""Rows a batch of ``rank_all`` must average: with fewer, numpy's cost per call outweighs what
a batch saves."""


def _small_int(count: int) -> type:
    """The smallest integer type holding codes 0..count (4 M-row code arrays are read often)."""
    return np.int8 if count < 2**7 else np.int16 if count < 2**15 else np.int32


def _batches(keys: list[tuple[np.ndarray, int]]) -> tuple[np.ndarray | None, np.ndarray]:
    """Rows in batches of whole blocks, as consecutive slices: (order, bounds).

    ``keys`` are the (codes, number of values) of index, period and component. A batch is a
    run of rows of one (index, period) when each pair's rows are contiguous (an import period
    by period), else a run of one (index, period, component) when each of those is (an import
    column by column); ``local`` in ``_rank_pairs`` numbers blocks within one such run only.
    Otherwise ``order`` is the stable order that makes each pair's rows
    contiguous; slice i is ``order[bounds[i]:bounds[i + 1]]`` (``order`` None: the rows).
    """
    n = len(keys[0][0])
    if n == 0:
        return None, np.zeros(1, dtype=np.int64)
    changed = np.zeros(n - 1, dtype=bool)
    for depth, (codes, _) in enumerate(keys):
        changed |= codes[1:] != codes[:-1]
        starts = np.concatenate(([0], np.flatnonzero(changed) + 1))
        if depth == 0 or (depth == 2 and len(starts) * _MIN_BATCH_ROWS > n):
            continue
        first = np.ravel_multi_index([c[starts] for c, _ in keys[:depth + 1]],
                                     [count for _, count in keys[:depth + 1]])
        if len(np.unique(first)) == len(starts):
            return None, np.append(starts, n)
    (index_codes, _), (period_codes, n_periods) = keys[:2]
    pair = index_codes.astype(np.int32) * n_periods + period_codes
    # Codes this small are sorted by radix: one pass, not a comparison sort.
    pair = pair.astype(_small_int(int(pair.max()) + 1))
    counts = np.bincount(pair)
    return np.argsort(pair, kind="stable"), np.concatenate(([0], np.cumsum(counts[counts > 0])))


def _rank_steps(score: np.ndarray) -> tuple[np.ndarray, int, int] | None:
    """Each score × 10^RANK_DECIMALS as an exact int64 with the lowest and highest, or None
    when too big to be exact (or nothing is scored). Missing scores get meaningless steps.

    The steps ``competition.rank_in_groups`` ranks on, so ties stay exactly the same.
    """
    scale = 10.0**RANK_DECIMALS
    # fmax/fmin skip NaN: no filled copy is needed to find the range.
    top, bottom = float(np.fmax.reduce(score)), float(np.fmin.reduce(score))
    if not max(top, -bottom) * scale < 1e15:
        return None
    steps = score * scale
    np.rint(steps, out=steps)
    with np.errstate(invalid="ignore"):
        steps = steps.astype(np.int64)
    # Rounding is monotonic, so the extremes' steps are the steps' extremes.
    return steps, int(np.rint(bottom * scale)), int(np.rint(top * scale))


def _split_ranks(gid: np.ndarray, score: np.ndarray, n_groups: int, out: np.ndarray) -> None:
    """``_packed_ranks`` of the lower and the upper half of the groups apart."""
    half = n_groups // 2
    lower = gid < half
    for side, base, count in ((lower, 0, half), (~lower, half, n_groups - half)):
        rows = np.flatnonzero(side)
        part = np.empty(len(rows), dtype=np.int64)
        _packed_ranks(gid[rows] - base, score[rows], count, part)
        out[rows] = part


def _packed_ranks(gid: np.ndarray, score: np.ndarray, n_groups: int, out: np.ndarray) -> None:
    """Competition rank of ``score`` descending within each group ``gid`` into ``out`` (int64,
    0 where the score is missing).

    Same result as ``rank_in_groups``, faster: group, reversed step and row number packed in
    one uint64 are sorted by value (numpy's vectorised sort), several times faster than the
    argsort ``rank_in_groups`` needs. Blocks too wide to pack are split or left to it.
    """
    n = len(score)
    found = _rank_steps(score) if n else None
    if found is None:
        out[:] = rank_in_groups(gid, score, n_groups).to_numpy(dtype=np.int64, na_value=0)
        return
    steps, low, high = found
    span = high - low + 2  # one more slot below the lowest for missing scores
    row_bits, step_bits = (n - 1).bit_length(), (span - 1).bit_length()
    if (n_groups - 1).bit_length() + step_bits + row_bits > 64:
        if n_groups > 1:
            _split_ranks(gid, score, n_groups, out)
        else:
            out[:] = rank_in_groups(gid, score, n_groups).to_numpy(dtype=np.int64, na_value=0)
        return
    missing = np.isnan(score)
    any_missing = bool(missing.any())
    np.subtract(high, steps, out=steps)
    if any_missing:
        steps[missing] = span - 1
    key = steps.view(np.uint64)  # every step is now >= 0
    key <<= row_bits
    # gid is >= 0 too, so its cast to uint64 is exact.
    key |= np.left_shift(gid, step_bits + row_bits, dtype=np.uint64, casting="unsafe")
    key |= np.arange(n, dtype=np.uint64)
    key.sort()
    _sorted_ranks(key, row_bits, step_bits, out)
    if any_missing:
        out[missing] = 0


def _sorted_ranks(key: np.ndarray, row_bits: int, step_bits: int, out: np.ndarray) -> None:
    """Ranks in row order into ``out`` from the sorted keys of ``_packed_ranks`` (changes
    ``key``)."""
    n = len(key)
    rows = (key & ((1 << row_bits) - 1)).view(np.int64)
    key >>= row_bits
    # A run of equal (group, step) shares the position of its first row ...
    run = np.arange(n, dtype=np.int64)
    np.putmask(run[1:], key[1:] == key[:-1], 0)
    np.maximum.accumulate(run, out=run)
    # ... and ranks count from the first position of the group (groups come one after the
    # other once sorted).
    key >>= step_bits
    starts = np.concatenate(([0], np.flatnonzero(key[1:] != key[:-1]) + 1))
    run -= np.repeat(starts - 1, np.diff(np.append(starts, n)))
    out[rows] = run


def _rank_pairs(order: np.ndarray | None, bounds: np.ndarray, local: np.ndarray,
                n_local: int, value: np.ndarray, max_value: np.ndarray,
                basis: str) -> tuple[np.ndarray, pd.arrays.IntegerArray]:
    """Percent and rank of every row, one batch of ``_batches`` at a time; ``local`` numbers
    the blocks within a batch.

    A batch's few hundred thousand rows stay in the CPU cache while they are worked on; when
    they are contiguous, results are written straight into the output. Batches write disjoint
    rows, and their work is numpy's (sorts and array arithmetic, which release the GIL), so
    they run on every core: on two cores the national ranking takes about half the time.
    """
    percent = np.empty(len(value), dtype=np.float64)
    ranks = np.empty(len(value), dtype=np.int64)

    def rank_batch(start: int, stop: int) -> None:
        if order is None:
            rows = slice(start, stop)
            share, rank = percent[rows], ranks[rows]
        else:
            rows = order[start:stop]
            share, rank = np.empty(len(rows)), np.empty(len(rows), dtype=np.int64)
        gid, points = local[rows], value[rows]
        percent_into(points, max_value[rows], share)
        _packed_ranks(gid, ranking_score(gid, n_local, points, share, basis), n_local, rank)
        if order is not None:
            percent[rows], ranks[rows] = share, rank

    batches = list(zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True))
    workers = min(len(batches), os.cpu_count() or 1)
    if workers > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(lambda batch: rank_batch(*batch), batches))  # list(): raise errors
    else:
        for batch in batches:
            rank_batch(*batch)
    return percent, pd.arrays.IntegerArray(ranks, ranks == 0)


def _float_column(column: pd.Series) -> pd.Series:
    """``column`` as float64 (itself when it is already: no copy of 4 M numbers)."""
    if column.dtype == np.float64:
        return column
    return pd.Series(floats(column), index=column.index)


def _level_column(codes: np.ndarray, levels: np.ndarray, *, categorical: bool) -> pd.Series:
    """The level of each row: categorical like the unit column when it is (no string per
    row), else ``str``."""
    if categorical and not pd.isna(levels).any():
        return pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(levels, dtype="str")))
    # Arrow's take builds the 4 M-row string column in a fraction of numpy's object take.
    level = pa.array(np.asarray(levels, dtype=object), type=pa.large_string())
    return pd.Series(pd.array(level.take(pa.array(codes)), dtype="str"))


def rank_all(scores: pd.DataFrame, units: pd.DataFrame, *, basis: str = "percent") -> pd.DataFrame:
    """Rank every unit in every (index, period, component, level) block at once.

    Returns a new frame with one row per score row, in the input's row order, and columns
    ``index, period, component, level, unit_id, value, percent, rank`` (rank ``Int64``,
    competition ranking within the block, ``<NA>`` when the value is missing). Key columns
    keep their dtype; ``level`` is categorical when ``unit_id`` is, else ``str``. Rows are
    expected to be unique per (index, period, unit_id, component), as the store keeps them.

    Raises UsageError for an unknown ``basis``.
    """
    check_basis(basis)
    frame = scores.reset_index(drop=True)
    index_codes, index_values = _key_codes(frame["index"])
    period_codes, period_values = _key_codes(frame["period"])
    component_codes, component_values = _key_codes(frame["component"])
    unit_codes, unit_values = _key_codes(frame["unit_id"])
    level_codes, level_values = _level_codes(units, unit_codes, unit_values,
                                             period_codes, period_values)
    local = component_codes.astype(np.int32) * len(level_values)
    local += level_codes
    order, bounds = _batches([(index_codes, len(index_values)),
                              (period_codes, len(period_values)),
                              (component_codes, len(component_values))])
    value = _float_column(frame["value"])
    percent, rank = _rank_pairs(order, bounds, local, len(component_values) * len(level_values),
                                value.to_numpy(), _float_column(frame["max_value"]).to_numpy(),
                                basis)
    level = _level_column(level_codes, level_values,
                          categorical=isinstance(frame["unit_id"].dtype, pd.CategoricalDtype))
    return pd.DataFrame({
        "index": frame["index"], "period": frame["period"], "component": frame["component"],
        "level": level, "unit_id": frame["unit_id"],
        "value": value, "percent": percent, "rank": rank,
    }, copy=False)


# ---------------------------------------------------------------------------------------------
# One block
# ---------------------------------------------------------------------------------------------

def no_data(index: str, period: str, component: str, available: list[str]) -> UsageError:
    """The error for an index with no data in ``period``, naming the periods there are."""
    listed = ", ".join(available) if available else "—"
    return UsageError.of("analysis.no_data", index=index, period=period, component=component,
                         periods=listed)


def select_rows(scores: pd.DataFrame, *, index: str, component: str
                ) -> tuple[list[str], pd.DataFrame]:
    """Periods of ``index`` with any data, and its rows for ``component`` (one pass each)."""
    in_index = scores["index"] == index
    # unique() before str(): on a categorical column astype(str) would build a string per row.
    available = sorted({str(p) for p in scores.loc[in_index, "period"].dropna().unique()})
    rows = scores.loc[in_index & (scores["component"] == component),
                      ["unit_id", "period", "component", "value", "max_value"]]
    return available, rows


def check_period(available: list[str], rows: pd.DataFrame, *, index: str, period: str,
                 component: str) -> None:
    """Raise UsageError (``no_data``) unless ``rows`` hold ``period``."""
    if period not in available or not (rows["period"] == period).any():
        raise no_data(index, period, component, available)


def rank_block(rows: pd.DataFrame, units: pd.DataFrame, *, period: str, level: str | None,
               parent_id: str | None, basis: str) -> pd.DataFrame:
    """Units of one block with value, max_value, percent, score (ranked on) and rank.

    ``rows`` are the scores of one index and component (see ``select_rows``). Returns a new
    frame, possibly empty. Raises nothing.
    """
    rows = rows[rows["period"] == period]
    # A unit scored twice for one component keeps its later row (a corrected re-upload).
    rows = rows.drop_duplicates("unit_id", keep="last").reset_index(drop=True)
    rows = rows.assign(
        value=floats(rows["value"]), max_value=floats(rows["max_value"]),
        period=rows["period"].astype("str"), component=rows["component"].astype("str"),
        unit_id=rows["unit_id"].astype("str"),
    )
    rows = scope.attach_units(rows, units)
    if level is not None:
        rows = rows[rows["level"] == level]
    if parent_id is not None:
        rows = rows[rows["parent_id"] == parent_id]
    rows = rows.reset_index(drop=True)
    percent, score, rank = rank_scores(rows["value"].to_numpy(), rows["max_value"].to_numpy(),
                                       basis=basis)
    return rows.assign(percent=percent, score=score, rank=rank)


def _no_unit(index: str, period: str, level: str | None, parent_id: str | None) -> UsageError:
    """The error for level or parent filters that leave no unit, in both languages."""
    def where(lang: str) -> str:
        parts = [level and t("analysis.where_level", lang, level=level),
                 parent_id and t("analysis.where_parent", lang, parent=parent_id)]
        return ", ".join(filter(None, parts))

    texts = [t("analysis.no_unit_in_block", lang, where=where(lang), index=index, period=period)
             for lang in LANGS]
    return UsageError(*texts)


def _previous_ranks(current: pd.DataFrame, rows: pd.DataFrame, units: pd.DataFrame, *,
                    before: str | None, level: str | None, parent_id: str | None,
                    basis: str) -> tuple[pd.Series, pd.Series]:
    """Each unit's rank in the block of period ``before`` (``<NA>`` if absent) and is_new."""
    if before is None:
        return (pd.Series(pd.NA, index=current.index, dtype="Int64"),
                pd.Series(False, index=current.index))
    old = rank_block(rows, units, period=before, level=level, parent_id=parent_id, basis=basis)
    matched = current[["unit_id"]].merge(old[["unit_id", "rank"]], on="unit_id", how="left")
    return matched["rank"].astype("Int64"), ~current["unit_id"].isin(old["unit_id"])


def _published(current: pd.DataFrame, published: pd.DataFrame | None, *, index: str,
               period: str) -> tuple[pd.Series, pd.Series]:
    """The printed rank (``Int64``) and group ("" when none) of each unit of ``current``."""
    if published is None or published.empty:
        return (pd.Series(pd.NA, index=current.index, dtype="Int64"),
                pd.Series("", index=current.index, dtype="str"))
    printed = published.loc[(published["index"] == index) & (published["period"] == period),
                            ["unit_id", "rank", "group"]]
    printed = printed.drop_duplicates("unit_id", keep="last")
    matched = current[["unit_id"]].merge(printed, on="unit_id", how="left")
    rank = pd.to_numeric(matched["rank"], errors="coerce").round().astype("Int64")
    return rank, matched["group"].fillna("").astype("str").str.strip()


def _with_figures(current: pd.DataFrame, previous: pd.Series, is_new: pd.Series,
                  group: pd.Series, printed: tuple[pd.Series, pd.Series],
                  mismatch: pd.Series) -> pd.DataFrame:
    """``current`` plus change, percentile, gaps, groups and the published comparison."""
    score, rank = current["score"], current["rank"]
    ranked = int(rank.notna().sum())
    percentile = (ranked - rank.astype("float64") + 1) / ranked * 100 if ranked else np.nan
    published_rank, published_group = printed
    return current.assign(
        previous_rank=previous,
        change=previous - rank,
        is_new=is_new.astype(bool),
        percentile=percentile,
        gap_to_leader=score - score.max(),
        gap_to_average=score - score.mean(),
        group=group,
        published_rank=published_rank,
        published_group=published_group,
        group_mismatch=mismatch.astype(bool),
    )


def rank_units(
    scores: pd.DataFrame,
    units: pd.DataFrame,
    *,
    index: str,
    period: str,
    level: str | None = None,
    parent_id: str | None = None,
    component: str = TOTAL,
    basis: str = "percent",
    published: pd.DataFrame | None = None,
    schemes: groups.Schemes | None = None,
    name_places: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """The ranking of one block, best first, with rank changes, gaps and groups.

    Returns a new frame with one row per unit scored on ``component`` (restricted to
    ``level`` and ``parent_id`` when given) and the columns of ``RANKING_COLUMNS``:

    - ``rank``: competition rank (1, 2, 2, 4), ``Int64``; ``<NA>`` for a missing value, last.
      Ties are listed in Vietnamese order of the name.
    - ``previous_rank`` / ``change``: rank in ``scope.previous_period`` (same block,
      component and basis); ``change = previous_rank - rank`` (positive = moved up);
      ``<NA>`` without a previous period or for a new unit. ``is_new`` is True when a
      previous period exists but the unit was not in its block.
    - ``percentile``: share of the ranked units ranked at or below the unit (best = 100).
    - ``gap_to_leader`` (≤ 0) and ``gap_to_average``: in percent points, or points when the
      block is ranked on points.
    - ``group``: the published group where the file gives one (``groups.shown_groups``), else
      ``groups.assign_groups`` on percent ("" without one); ``published_rank`` /
      ``published_group`` from ``published`` (``<NA>`` / "" otherwise); ``group_mismatch``
      where a published group differs from the index's thresholds ("Nhóm A" equals "A").

    ``name_places`` is passed to ``scope.sort_rows`` (each name's place in Vietnamese order).

    Raises UsageError (both languages) when the index has no data in ``period`` for
    ``component``, when the level or parent filters leave no unit, or for an unknown basis.
    """
    check_basis(basis)
    available, rows = select_rows(scores, index=index, component=component)
    check_period(available, rows, index=index, period=period, component=component)
    current = rank_block(rows, units, period=period, level=level, parent_id=parent_id,
                         basis=basis)
    if current.empty:
        raise _no_unit(index, period, level, parent_id)
    previous, is_new = _previous_ranks(
        current, rows, units, before=scope.previous_period(available, period), level=level,
        parent_id=parent_id, basis=basis)
    group = groups.block_groups(current["percent"], current["score"], index=index,
                                period=period, schemes=schemes)
    printed = _published(current, published, index=index, period=period)
    mismatch = groups.group_mismatch(group, printed[1], index=index, period=period,
                                     schemes=schemes)
    group = groups.shown_groups(group, printed[1], index=index, period=period, schemes=schemes)
    table = _with_figures(current, previous, is_new, group, printed, mismatch)
    return scope.sort_rows(table, "rank", name_places=name_places)[RANKING_COLUMNS]


def block_summary(table: pd.DataFrame) -> dict:
    """Key figures of a ``rank_units`` table for the Overview page.

    Returns a dict with ``units`` (rows), ``average`` (mean of the ranked units), ``best_unit``
    / ``best_value`` (rank 1; the first listed when tied), ``worst_unit`` / ``worst_value``
    (last ranked), ``most_improved_unit`` / ``most_improved_change`` (largest positive change;
    None when no unit moved up) and ``basis`` ("percent" when every ranked unit has a percent,
    else "points"; values are in that unit). Figures are None for an empty table. Raises
    nothing.
    """
    summary: dict = {
        "units": len(table), "average": None, "best_unit": None, "best_value": None,
        "worst_unit": None, "worst_value": None, "most_improved_unit": None,
        "most_improved_change": None, "basis": "percent",
    }
    ranked = table[table["rank"].notna()]
    ranked = ranked.sort_values("rank", kind="stable")
    if ranked.empty:
        return summary
    column = "percent" if ranked["percent"].notna().all() else "value"
    summary["basis"] = "percent" if column == "percent" else "points"
    summary["average"] = float(ranked[column].mean())
    best, worst = ranked.iloc[0], ranked.iloc[-1]
    summary.update(best_unit=str(best["unit"]), best_value=float(best[column]),
                   worst_unit=str(worst["unit"]), worst_value=float(worst[column]))
    change = table["change"]
    if (change > 0).any():
        top = table.loc[change.fillna(0).astype("int64").idxmax()]
        summary.update(most_improved_unit=str(top["unit"]),
                       most_improved_change=int(top["change"]))
    return summary


__all__ = [
    "BASES", "RANKING_COLUMNS", "RANK_ALL_COLUMNS", "RANK_DECIMALS", "block_summary",
    "check_basis", "check_period", "competition_rank", "no_data", "percent_of_max", "rank_all",
    "rank_block", "rank_in_groups", "rank_scores", "rank_units", "ranking_score", "select_rows",
]
