"""Rankings, groups, changes and component analysis of the canonical score frames.

Leaders ask of each year's results: who leads, who fell and by how much, in which field each
unit lost its points, who improved most, and whether the ranking would hold under other
weights. Each question is one function here. Every function takes frames plus keyword options
and returns a new frame (or a small dict); none changes its input and none imports streamlit,
so pages, the command line and exports share them.

Inputs are the canonical frames of ``reform.model``: ``scores`` (SCORE_COLUMNS), ``units``
(UNIT_COLUMNS), ``components`` (COMPONENT_COLUMNS) and ``published`` (PUBLISHED_COLUMNS). Any
of them may hold several indices and periods; functions filter inside.

Conventions shared by every function:

- A *block* is the set of units ranked together: one index, period and component, optionally
  one level (``units.level``) and one parent (``units.parent_id``).
- ``basis="percent"`` ranks on % of maximum (``value / max_value * 100``). When some unit of a
  block has a value but no known maximum, the whole block falls back to points, because
  comparing one unit's percent with another's points would be meaningless.
- Ranks are competition ranks (1, 2, 2, 4) in pandas' ``Int64`` dtype; a unit without a value
  gets ``<NA>`` and is listed last. Scores are rounded to 1e-9 before ranking so that 40/50
  and 80/100 tie instead of differing in the last bit.
- A unit's name and level come from the row of ``units`` valid in the period (``valid_from``
  / ``valid_to``, compared on as many characters as the bound has); a unit missing from the
  registry shows its id as name and level ``"unit"``.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
from scipy import stats

from reform.core import config
from reform.core.errors import UsageError
from reform.core.model import LEVELS, TOTAL
from reform.core.text import collation_key, fold

BASES = ("percent", "points")
"""What a ranking can be computed on."""

RANKING_COLUMNS = [
    "unit_id", "unit", "level", "parent_id", "period", "component", "value", "max_value",
    "percent", "rank", "previous_rank", "change", "is_new", "percentile", "gap_to_leader",
    "gap_to_average", "group", "published_rank", "published_group", "group_mismatch",
]
RANK_ALL_COLUMNS = ["index", "period", "component", "level", "unit_id", "value", "percent", "rank"]
SERIES_COLUMNS = ["unit_id", "unit", "period", "value", "max_value", "percent", "rank"]
METHODOLOGY_COLUMNS = ["component", "name", "change", "max_from", "max_to"]
MOVER_COLUMNS = [
    "unit_id", "unit", "percent_from", "percent_to", "delta_percent", "rank_from", "rank_to",
    "rank_change", "methodology_changed",
]
COMPONENT_PERCENT_COLUMNS = ["unit_id", "component", "name", "parent", "value", "max_value",
                             "percent"]
STRENGTH_COLUMNS = [
    "component", "name", "value", "max_value", "percent", "points_lost", "block_average",
    "block_best", "gap_to_average",
]
WHAT_IF_COLUMNS = [
    "unit_id", "unit", "base_rank", "new_rank", "rank_change", "base_group", "new_group", "score",
]
FIELD_CHANGE_COLUMNS = ["component", "name", "value_from", "value_to", "delta"]

_ROUND = 9  # decimals kept before ranking: far below any printed precision, above float noise
_EPSILON = 1e-9  # a percent within this of a group bound counts as on the bound
_PERIOD_KINDS = (
    (re.compile(r"^\d{4}$"), "year"),
    (re.compile(r"^\d{4}-\d{2}$"), "month"),
    (re.compile(r"^\d{4}-Q[1-4]$"), "quarter"),
)
_GROUP_PREFIX = re.compile(r"^(xep loai|nhom|loai|group|tier)\s+")
_UNIT_ATTRS = ["unit_id", "name", "level", "parent_id", "valid_from", "valid_to"]

Schemes = Mapping[str, Mapping[str | None, Sequence[tuple[str, float]]]]


# ---------------------------------------------------------------------------------------------
# Periods, levels, components
# ---------------------------------------------------------------------------------------------

def periods(scores: pd.DataFrame, index: str) -> list[str]:
    """The periods of ``index`` present in ``scores``, sorted as strings (empty if none).

    >>> periods(pd.DataFrame({"index": ["PAR", "PAR"], "period": ["2019", "2018"]}), "PAR")
    ['2018', '2019']
    """
    values = scores.loc[scores["index"] == index, "period"].dropna().astype(str).unique()
    return sorted(values)


def _period_kind(period: str) -> str:
    for pattern, kind in _PERIOD_KINDS:
        if pattern.match(period):
            return kind
    return "other"


def previous_period(scores: pd.DataFrame, index: str, period: str) -> str | None:
    """The latest period of ``index`` before ``period`` with the same granularity, or None.

    Granularities are year ("2018"), month ("2019-03") and quarter ("2019-Q2"); a year's
    previous period is never a month.
    """
    return _previous_of(periods(scores, index), period)


def _previous_of(available: Sequence[str], period: str) -> str | None:
    kind = _period_kind(period)
    earlier = [p for p in available if _period_kind(p) == kind and p < period]
    return max(earlier) if earlier else None


def levels(scores: pd.DataFrame, units: pd.DataFrame, index: str,
           period: str | None = None) -> list[str]:
    """Levels of the units scored in ``index`` (and ``period``), in ``model.LEVELS`` order.

    Levels not in ``model.LEVELS`` follow, alphabetically; an empty list when nothing is scored.
    """
    mask = scores["index"] == index
    if period is not None:
        mask &= scores["period"] == period
    pairs = scores.loc[mask, ["unit_id", "period"]].drop_duplicates()
    found = set(_attach_units(pairs, units)["level"])
    known = [level for level in LEVELS if level in found]
    return known + sorted(found - set(LEVELS))


def component_depth(code: str) -> int:
    """0 for the total, 1 for a field ("3"), 2 for a criterion ("3.1"), 3 for "3.1.2"."""
    return 0 if code == TOTAL else code.count(".") + 1


def component_sort_key(code: str) -> tuple:
    """Natural order of component codes: TOTAL, 1, 1.1, 1.2, 2, …, 10 (not 1, 10, 2)."""
    if code == TOTAL:
        return ((-1, ""),)
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in code.split("."))


def _parent_code(code: str) -> str:
    if code == TOTAL or "." not in code:
        return ""
    return code.rsplit(".", 1)[0]


# ---------------------------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------------------------

def _registry(units: pd.DataFrame) -> pd.DataFrame:
    reg = units.reindex(columns=_UNIT_ATTRS).reset_index(drop=True)
    return reg.assign(**{col: reg[col].fillna("").astype(str) for col in _UNIT_ATTRS})


def _covers(period: str, start: str, end: str) -> bool:
    # Bounds may be years ("2019") while periods are months ("2019-03"): compare the period
    # cut to the bound's length, so "2019-03" is within a unit valid to "2019".
    if start and period[: len(start)] < start:
        return False
    return not (end and period[: len(end)] > end)


def _attach_units(frame: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (with unit_id and period) plus the unit's name, level and parent in that period.

    Returns a new frame with columns ``unit``, ``level`` and ``parent_id`` added; units missing
    from the registry get their id as name, level "unit" and no parent.
    """
    reg = _registry(units)
    keys = frame[["unit_id", "period"]].drop_duplicates()
    if reg["unit_id"].is_unique:
        found = keys.merge(reg, on="unit_id", how="left")
    else:
        # Several rows per unit: a renamed or moved unit. Prefer the row valid in the period,
        # then the later row of the registry.
        candidates = keys.merge(reg.assign(_row=np.arange(len(reg))), on="unit_id", how="left")
        candidates["_valid"] = [
            isinstance(start, str) and _covers(period, start, end)
            for period, start, end in zip(
                candidates["period"], candidates["valid_from"], candidates["valid_to"],
                strict=True)
        ]
        found = (candidates.sort_values(["_valid", "_row"], kind="stable")
                 .drop_duplicates(["unit_id", "period"], keep="last")
                 .drop(columns=["_valid", "_row"]))
    name = found["name"].fillna("")
    level = found["level"].fillna("")
    found = found.assign(
        unit=name.where(name != "", found["unit_id"]).astype("str"),
        level=level.where(level != "", "unit").astype("str"),
        parent_id=found["parent_id"].fillna("").astype("str"),
    )[["unit_id", "period", "unit", "level", "parent_id"]]
    base = frame.drop(columns=[c for c in ("unit", "level", "parent_id") if c in frame.columns])
    return base.merge(found, on=["unit_id", "period"], how="left")


@lru_cache(maxsize=100_000)
def _collation(name: str) -> tuple:
    # Pages rank the same few thousand names again and again; collating is the slow part.
    return collation_key(name)


def _name_order(names: pd.Series) -> pd.Series:
    """Position of each name in Vietnamese dictionary order (ties share a position)."""
    ordered = sorted(names.dropna().unique(), key=_collation)
    position = {name: i for i, name in enumerate(ordered)}
    return names.map(position).fillna(len(position)).astype("int64")


def _sort_rows(frame: pd.DataFrame, by: str, *, name: str = "unit",
               ascending: bool = True) -> pd.DataFrame:
    """``frame`` ordered by column ``by`` (missing last), then name in Vietnamese order, then id."""
    # Names only decide between equal keys: collating the others would be wasted work.
    tied = frame[by].isna() | frame[by].duplicated(keep=False)
    name_order = pd.Series(0, index=frame.index, dtype="int64")
    name_order[tied] = _name_order(frame.loc[tied, name])
    keyed = frame.assign(
        _missing=frame[by].isna(),
        _key=frame[by].astype("float64"),
        _name=name_order,
    )
    keyed = keyed.sort_values(["_missing", "_key", "_name", "unit_id"],
                              ascending=[True, ascending, True, True], kind="stable")
    return keyed.drop(columns=["_missing", "_key", "_name"]).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Ranking core (vectorised: one sort for every block at once)
# ---------------------------------------------------------------------------------------------

def _check_basis(basis: str) -> None:
    if basis not in BASES:
        raise UsageError(
            f"Cơ sở xếp hạng '{basis}' không hợp lệ; chọn một trong: {', '.join(BASES)}.",
            f"Unknown ranking basis '{basis}'; use one of: {', '.join(BASES)}.",
        )


def _percent(value: np.ndarray, max_value: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(max_value > 0, value / max_value * 100.0, np.nan)


def _ranking_score(gid: np.ndarray, n_groups: int, value: np.ndarray, percent: np.ndarray,
                   basis: str) -> np.ndarray:
    """The number each row is ranked on: percent, or points for blocks lacking a maximum."""
    if basis == "points":
        return value
    lacking = ~np.isnan(value) & np.isnan(percent)
    if not lacking.any():
        return percent
    block_lacks = np.bincount(gid, weights=lacking, minlength=n_groups) > 0
    return np.where(block_lacks[gid], value, percent)


def _competition_rank(gid: np.ndarray, score: np.ndarray, n_groups: int) -> pd.arrays.IntegerArray:
    """Competition rank (1, 2, 2, 4) of ``score`` descending within each group ``gid``.

    Scores equal once rounded to ``_ROUND`` decimals tie. Returns an ``Int64`` array aligned
    with the input, ``<NA>`` where the score is NaN.
    """
    n = len(score)
    if n == 0:
        return pd.array([], dtype="Int64")
    # At national scale (4 M rows) fresh arrays cost as much as the arithmetic, so the steps
    # below work in place wherever they can.
    missing = np.isnan(score)
    filled = np.where(missing, 0.0, score)
    top = max(float(filled.max()), -float(filled.min()))
    steps = None
    if top < 1e6:
        # Below 1e6, score × 1e9 rounds to an exact integer (as np.round(score, 9) does), so
        # one int64 key (group, then score descending) replaces two slower float sorts.
        np.multiply(filled, 10.0**_ROUND, out=filled)
        np.rint(filled, out=filled)
        steps = filled.astype(np.int64)
        low, high = int(steps.min()), int(steps.max())
    if steps is None or n_groups * (high - low + 2) >= 2**62:
        # Huge scores: rank the distinct rounded values instead (slower, exact).
        steps = np.unique(np.round(filled, _ROUND), return_inverse=True)[1].astype(np.int64)
        low, high = 0, int(steps.max())
    del filled
    span = high - low + 2  # one more slot below the lowest value for missing scores
    np.subtract(high, steps, out=steps)
    steps[missing] = span - 1
    key = gid.astype(np.int64)
    key *= span
    key += steps
    del steps
    order = np.argsort(key)
    key = key[order]
    # Position of the first row of each run of equal keys (a run never spans two groups).
    is_start = np.ones(n, dtype=bool)
    np.not_equal(key[1:], key[:-1], out=is_start[1:])
    run_start = np.arange(n, dtype=np.int64)
    np.multiply(run_start, is_start, out=run_start)
    np.maximum.accumulate(run_start, out=run_start)
    # A group's rows are contiguous once sorted: its first position is the number of rows in
    # the groups before it.
    first_of_group = np.zeros(n_groups, dtype=np.int64)
    np.cumsum(np.bincount(gid, minlength=n_groups)[:-1], out=first_of_group[1:])
    np.floor_divide(key, span, out=key)
    run_start -= first_of_group[key]
    run_start += 1
    ranks = np.empty(n, dtype=np.int64)
    ranks[order] = run_start
    ranks[missing] = 0
    return pd.arrays.IntegerArray(ranks, missing)


def _floats(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


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


def rank_all(scores: pd.DataFrame, units: pd.DataFrame, *, basis: str = "percent") -> pd.DataFrame:
    """Rank every unit in every (index, period, component, level) block at once.

    Returns a new frame with one row per score row, in the input's row order, and columns
    ``index, period, component, level, unit_id, value, percent, rank`` (rank ``Int64``,
    competition ranking within the block, ``<NA>`` when the value is missing). Rows are
    expected to be unique per (index, period, unit_id, component), as the store keeps them.

    Raises UsageError for an unknown ``basis``.
    """
    _check_basis(basis)
    frame = scores.reset_index(drop=True)
    index_codes, _ = _codes(frame["index"])
    period_codes, period_values = _codes(frame["period"])
    component_codes, _ = _codes(frame["component"])
    unit_codes, unit_values = _codes(frame["unit_id"])

    reg = _registry(units)
    if reg["unit_id"].is_unique:
        # One registry row per unit (the usual case): resolve levels once per unit.
        level_of = reg.set_index("unit_id")["level"].reindex(unit_values).fillna("")
        level_of = level_of.where(level_of != "", "unit")
        level_codes_u, level_values = pd.factorize(level_of, use_na_sentinel=False)
        level_codes = level_codes_u[unit_codes]
    else:
        pair = unit_codes.astype(np.int64) * len(period_values) + period_codes
        pair_codes, pair_values = pd.factorize(pair)
        keys = pd.DataFrame({
            "unit_id": unit_values[pair_values // len(period_values)],
            "period": period_values[pair_values % len(period_values)],
        })
        resolved = _attach_units(keys, units)["level"]
        level_codes_p, level_values = pd.factorize(resolved, use_na_sentinel=False)
        level_codes = level_codes_p[pair_codes]

    combined = ((index_codes.astype(np.int64) * (period_codes.max(initial=0) + 1) + period_codes)
                * (component_codes.max(initial=0) + 1) + component_codes)
    combined = combined * (level_codes.max(initial=0) + 1) + level_codes
    gid, group_values = pd.factorize(combined)

    value = _floats(frame["value"])
    percent = _percent(value, _floats(frame["max_value"]))
    score = _ranking_score(gid, len(group_values), value, percent, basis)
    rank = _competition_rank(gid, score, len(group_values))
    # Arrow's take builds the 4 M-row string column in a fraction of numpy's object take.
    level = pa.array(np.asarray(level_values, dtype=object), type=pa.large_string())
    level = pd.Series(pd.array(level.take(pa.array(level_codes)), dtype="str"))
    return pd.DataFrame({
        "index": frame["index"], "period": frame["period"], "component": frame["component"],
        "level": level, "unit_id": frame["unit_id"],
        "value": value, "percent": percent, "rank": rank,
    }, copy=False)


# ---------------------------------------------------------------------------------------------
# Groups
# ---------------------------------------------------------------------------------------------

def group_scheme(index: str, period: str, schemes: Schemes | None = None
                 ) -> list[tuple[str, float]] | None:
    """The (label, lower bound %) list for ``index`` in ``period``, best first; None = quartiles.

    Looks for an override of the period, then of its year (so "2023-05" uses the "2023"
    thresholds), then the index default.
    """
    by_period = (config.GROUP_SCHEMES if schemes is None else schemes).get(index)
    if not by_period:
        return None
    for key in (period, period[:4], None):
        if key in by_period:
            return list(by_period[key])
    return None


def _quartiles(values: pd.Series) -> pd.Series:
    score = np.round(values.to_numpy(dtype="float64", na_value=np.nan), _ROUND)
    rank = _competition_rank(np.zeros(len(score), dtype=np.int64), score, 1)
    ranked = int((~np.isnan(score)).sum())
    labels = np.full(len(score), "", dtype=object)
    if ranked:
        quarter = (rank.to_numpy(dtype="float64", na_value=np.nan) - 1) * 4 // ranked
        present = ~np.isnan(quarter)
        labels[present] = np.asarray(config.QUARTILE_LABELS, dtype=object)[
            quarter[present].astype(int)]
    return pd.Series(labels, index=values.index, dtype="str")


def assign_groups(percent: pd.Series, *, index: str, period: str,
                  schemes: Schemes | None = None) -> pd.Series:
    """Group label of each percent: the index's thresholds for the period, else quartiles.

    Returns a new ``str`` Series aligned with ``percent``; "" where the percent is missing. A
    value equal to a lower bound belongs to that group (80.0 is "A" when A is "≥ 80"). Without
    a configured scheme the labels are ``config.QUARTILE_LABELS`` by competition rank within
    the series (Q1 best). ``schemes`` replaces ``config.GROUP_SCHEMES``.

    >>> assign_groups(pd.Series([80.0, 79.99]), index="PAR", period="2018").tolist()
    ['A', 'B']
    """
    scheme = group_scheme(index, period, schemes)
    if scheme is None:
        return _quartiles(percent)
    values = pd.to_numeric(percent, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    conditions = [values >= bound - _EPSILON for _, bound in scheme]
    labels = np.select(conditions, [label for label, _ in scheme], default="")
    return pd.Series(labels, index=percent.index, dtype="str")


def _computed_groups(percent: pd.Series, score: pd.Series, *, index: str, period: str,
                     schemes: Schemes | None) -> pd.Series:
    # Thresholds are in % of maximum and mean nothing on points; quartiles work on either,
    # so a block without maximums still gets quartile groups.
    if group_scheme(index, period, schemes) is None:
        return assign_groups(score, index=index, period=period, schemes=schemes)
    return assign_groups(percent, index=index, period=period, schemes=schemes)


def _group_keys(labels: pd.Series) -> pd.Series:
    """Labels compared without case, accents or a "Nhóm"/"Loại" prefix ("Nhóm A" is "A")."""
    keys = {label: _GROUP_PREFIX.sub("", fold(label)) for label in labels.unique()}
    return labels.map(keys)


# ---------------------------------------------------------------------------------------------
# One block
# ---------------------------------------------------------------------------------------------

def _no_data(index: str, period: str, component: str, available: list[str]) -> UsageError:
    listed = ", ".join(available) if available else "—"
    return UsageError(
        f"Không có dữ liệu chỉ số {index} kỳ {period}, thành phần {component}. "
        f"Các kỳ có dữ liệu: {listed}.",
        f"No data for index {index}, period {period}, component {component}. "
        f"Periods with data: {listed}.",
    )


def _select(scores: pd.DataFrame, *, index: str, component: str
            ) -> tuple[list[str], pd.DataFrame]:
    """Periods of ``index`` with any data, and its rows for ``component`` (one pass each)."""
    in_index = scores["index"] == index
    available = sorted(scores.loc[in_index, "period"].dropna().astype(str).unique())
    rows = scores.loc[in_index & (scores["component"] == component),
                      ["unit_id", "period", "component", "value", "max_value"]]
    return available, rows


def _check_period(available: list[str], rows: pd.DataFrame, *, index: str, period: str,
                  component: str) -> None:
    if period not in available or not (rows["period"] == period).any():
        raise _no_data(index, period, component, available)


def _block(rows: pd.DataFrame, units: pd.DataFrame, *, period: str, level: str | None,
           parent_id: str | None, basis: str) -> pd.DataFrame:
    """Units of one block with value, max_value, percent, score (ranked on) and rank.

    ``rows`` are the scores of one index and component (see ``_select``).
    """
    rows = rows[rows["period"] == period]
    # A unit scored twice for one component keeps its later row (a corrected re-upload).
    rows = rows.drop_duplicates("unit_id", keep="last").reset_index(drop=True)
    rows = rows.assign(
        value=_floats(rows["value"]), max_value=_floats(rows["max_value"]),
        period=rows["period"].astype("str"), component=rows["component"].astype("str"),
        unit_id=rows["unit_id"].astype("str"),
    )
    rows = _attach_units(rows, units)
    if level is not None:
        rows = rows[rows["level"] == level]
    if parent_id is not None:
        rows = rows[rows["parent_id"] == parent_id]
    rows = rows.reset_index(drop=True)
    value = rows["value"].to_numpy()
    percent = _percent(value, rows["max_value"].to_numpy())
    gid = np.zeros(len(rows), dtype=np.int64)
    score = np.round(_ranking_score(gid, 1, value, percent, basis), _ROUND)
    return rows.assign(percent=percent, score=score, rank=_competition_rank(gid, score, 1))


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
    schemes: Schemes | None = None,
) -> pd.DataFrame:
    """The ranking of one block, best first, with rank changes, gaps and groups.

    Returns a new frame with one row per unit scored on ``component`` (restricted to
    ``level`` and ``parent_id`` when given) and the columns of ``RANKING_COLUMNS``:

    - ``rank``: competition rank (1, 2, 2, 4), ``Int64``; ``<NA>`` for a missing value, last.
      Ties are listed in Vietnamese order of the name.
    - ``previous_rank`` / ``change``: rank in the previous period of the same granularity
      (same block, component and basis); ``change = previous_rank - rank`` (positive = moved
      up); ``<NA>`` without a previous period or for a new unit. ``is_new`` is True when a
      previous period exists but the unit was not in its block.
    - ``percentile``: share of the ranked units ranked at or below the unit (best = 100).
    - ``gap_to_leader`` (≤ 0) and ``gap_to_average``: in percent points, or points when the
      block is ranked on points.
    - ``group``: ``assign_groups`` on percent ("" without one); ``published_rank`` /
      ``published_group`` from ``published`` (``<NA>`` / "" otherwise); ``group_mismatch``
      where a published group exists and differs ("Nhóm A" equals "A").

    Raises UsageError (both languages) when the index has no data in ``period`` for
    ``component``, when the level or parent filters leave no unit, or for an unknown basis.
    """
    _check_basis(basis)
    available, rows = _select(scores, index=index, component=component)
    _check_period(available, rows, index=index, period=period, component=component)
    current = _block(rows, units, period=period, level=level, parent_id=parent_id, basis=basis)
    if current.empty:
        where_vi = ", ".join(filter(None, [level and f"cấp {level}", parent_id
                                           and f"thuộc {parent_id}"]))
        where_en = ", ".join(filter(None, [level and f"level {level}", parent_id
                                           and f"under {parent_id}"]))
        raise UsageError(
            f"Không có đơn vị nào ({where_vi}) có dữ liệu chỉ số {index} kỳ {period}.",
            f"No unit ({where_en}) has data for index {index}, period {period}.",
        )

    before = _previous_of(available, period)
    if before is None:
        previous = pd.Series(pd.NA, index=current.index, dtype="Int64")
        is_new = pd.Series(False, index=current.index)
    else:
        old = _block(rows, units, period=before, level=level, parent_id=parent_id, basis=basis)
        matched = current[["unit_id"]].merge(old[["unit_id", "rank"]], on="unit_id", how="left")
        previous = matched["rank"].astype("Int64")
        is_new = ~current["unit_id"].isin(old["unit_id"])

    score = current["score"]
    rank = current["rank"]
    ranked = int(rank.notna().sum())
    percentile = (ranked - rank.astype("float64") + 1) / ranked * 100 if ranked else np.nan
    group = _computed_groups(current["percent"], score, index=index, period=period,
                             schemes=schemes)

    published_rank = pd.Series(pd.NA, index=current.index, dtype="Int64")
    published_group = pd.Series("", index=current.index, dtype="str")
    if published is not None and not published.empty:
        printed = published.loc[(published["index"] == index) & (published["period"] == period),
                                ["unit_id", "rank", "group"]]
        printed = printed.drop_duplicates("unit_id", keep="last")
        matched = current[["unit_id"]].merge(printed, on="unit_id", how="left")
        published_rank = pd.to_numeric(matched["rank"], errors="coerce").round().astype("Int64")
        published_group = matched["group"].fillna("").astype("str").str.strip()
    mismatch = (published_group != "") & (_group_keys(published_group) != _group_keys(group))

    table = current.assign(
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
    return _sort_rows(table, "rank")[RANKING_COLUMNS]


def block_summary(table: pd.DataFrame) -> dict:
    """Key figures of a ``rank_units`` table for the Overview page.

    Returns a dict with ``units`` (rows), ``average`` (mean of the ranked units), ``best_unit``
    / ``best_value`` (rank 1; the first listed when tied), ``worst_unit`` / ``worst_value``
    (last ranked), ``most_improved_unit`` / ``most_improved_change`` (largest positive change;
    None when no unit moved up) and ``basis`` ("percent" when every ranked unit has a percent,
    else "points"; values are in that unit). Figures are None for an empty table.
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


# ---------------------------------------------------------------------------------------------
# Over time
# ---------------------------------------------------------------------------------------------

def unit_series(scores: pd.DataFrame, units: pd.DataFrame, *, index: str,
                level: str | None = None, component: str = TOTAL,
                basis: str = "percent") -> pd.DataFrame:
    """Every unit's value, percent and rank in each period of ``index`` (for trend charts).

    Returns a new frame with columns ``unit_id, unit, period, value, max_value, percent, rank``
    (rank within the block of that period), sorted by unit name in Vietnamese order, then
    period. ``unit`` is the unit's name in its latest period, so a renamed unit keeps one line.
    Raises UsageError when ``index`` has no data for ``component`` (or for an unknown basis).
    """
    _check_basis(basis)
    mask = (scores["index"] == index) & (scores["component"] == component)
    rows = scores.loc[mask, ["unit_id", "period", "value", "max_value"]]
    if rows.empty:
        raise _no_data(index, "*", component, periods(scores, index))
    rows = rows.drop_duplicates(["unit_id", "period"], keep="last").reset_index(drop=True)
    rows = rows.assign(unit_id=rows["unit_id"].astype("str"), period=rows["period"].astype("str"),
                       value=_floats(rows["value"]), max_value=_floats(rows["max_value"]))
    rows = _attach_units(rows, units)
    if level is not None:
        rows = rows[rows["level"] == level].reset_index(drop=True)
    latest = rows.sort_values("period", kind="stable").drop_duplicates("unit_id", keep="last")
    rows = rows.assign(unit=rows["unit_id"].map(latest.set_index("unit_id")["unit"]))
    gid, groups = pd.factorize(rows["period"])
    value = rows["value"].to_numpy()
    percent = _percent(value, rows["max_value"].to_numpy())
    score = _ranking_score(gid, len(groups), value, percent, basis)
    rows = rows.assign(percent=percent, rank=_competition_rank(gid, score, len(groups)))
    rows = rows.assign(_name=_name_order(rows["unit"]))
    rows = rows.sort_values(["_name", "unit_id", "period"], kind="stable")
    return rows[SERIES_COLUMNS].reset_index(drop=True)


def _components_of(components: pd.DataFrame, index: str, period: str) -> pd.DataFrame:
    rows = components.loc[(components["index"] == index) & (components["period"] == period),
                          ["component", "name", "parent", "max_value"]]
    rows = rows.drop_duplicates("component", keep="last").reset_index(drop=True)
    return rows.assign(component=rows["component"].astype("str"),
                       name=rows["name"].fillna("").astype("str"),
                       parent=rows["parent"].fillna("").astype("str"),
                       max_value=_floats(rows["max_value"]))


def _sort_components(frame: pd.DataFrame, *, first: str | None = None) -> pd.DataFrame:
    keyed = frame.assign(_code=frame["component"].map(component_sort_key))
    by = ([first] if first else []) + ["_code"]
    return keyed.sort_values(by, kind="stable").drop(columns="_code").reset_index(drop=True)


def methodology_changes(components: pd.DataFrame, *, index: str, period_from: str,
                        period_to: str) -> pd.DataFrame:
    """What changed in the component tree of ``index`` between two periods.

    Returns a new frame with columns ``component, name, change, max_from, max_to``, one row per
    component whose maximum changed ("max_changed"), that appeared ("added") or that
    disappeared ("removed"), in component order; empty (same columns) when nothing changed.
    Components are matched by code. Raises UsageError when a period has no components.
    """
    old = _components_of(components, index, period_from)
    new = _components_of(components, index, period_to)
    for period, frame in ((period_from, old), (period_to, new)):
        if frame.empty:
            raise UsageError(
                f"Không có danh mục tiêu chí của chỉ số {index} kỳ {period}.",
                f"No component list for index {index}, period {period}.",
            )
    both = old.merge(new, on="component", how="outer", suffixes=("_from", "_to"),
                     indicator=True)
    max_from, max_to = both["max_value_from"], both["max_value_to"]
    differs = ~np.isclose(max_from, max_to, rtol=0.0, atol=1e-9, equal_nan=True)
    change = np.select(
        [both["_merge"] == "right_only", both["_merge"] == "left_only", differs],
        ["added", "removed", "max_changed"], default="",
    )
    result = pd.DataFrame({
        "component": both["component"].astype("str"),
        "name": both["name_to"].fillna(both["name_from"]).fillna("").astype("str"),
        "change": pd.Series(change, dtype="str"),
        "max_from": max_from.astype("float64"),
        "max_to": max_to.astype("float64"),
    })
    result = result[result["change"] != ""]
    return _sort_components(result)[METHODOLOGY_COLUMNS]


def biggest_movers(
    scores: pd.DataFrame,
    units: pd.DataFrame,
    components: pd.DataFrame | None = None,
    *,
    index: str,
    period_from: str,
    period_to: str,
    level: str | None = None,
    component: str = TOTAL,
    n: int | None = 5,
) -> pd.DataFrame:
    """Units ranked in both periods, from the biggest gainer to the biggest loser.

    Returns a new frame with columns ``unit_id, unit, percent_from, percent_to, delta_percent,
    rank_from, rank_to, rank_change, methodology_changed``, sorted by ``rank_change`` (rank_from
    - rank_to, positive = moved up) descending, then ``delta_percent`` descending. Gainers are
    the head, losers the tail: with ``n`` the frame keeps the first ``n`` and the last ``n``
    rows (every unit when the block has at most ``2n``), ``n=None`` keeps every unit. A unit
    ranked in one period only is left out. ``methodology_changed`` is True on every row when
    ``components`` is given, lists both periods, and ``methodology_changes`` finds a change.

    Raises UsageError when either period has no data (see ``rank_units``).
    """
    frames = []
    available, rows = _select(scores, index=index, component=component)
    for period in (period_from, period_to):
        _check_period(available, rows, index=index, period=period, component=component)
        block = _block(rows, units, period=period, level=level, parent_id=None, basis="percent")
        frames.append(block[block["rank"].notna()])
    old, new = frames
    both = new[["unit_id", "unit", "percent", "rank"]].merge(
        old[["unit_id", "percent", "rank"]], on="unit_id", suffixes=("_to", "_from"))
    changed = False
    if components is not None:
        listed = set(components.loc[components["index"] == index, "period"])
        if {period_from, period_to} <= listed:
            changed = not methodology_changes(components, index=index, period_from=period_from,
                                              period_to=period_to).empty
    movers = both.assign(
        delta_percent=both["percent_to"] - both["percent_from"],
        rank_change=both["rank_from"] - both["rank_to"],
        methodology_changed=changed,
    )
    movers = movers.assign(_name=_name_order(movers["unit"]))
    movers = movers.sort_values(["rank_change", "delta_percent", "_name", "unit_id"],
                                ascending=[False, False, True, True], kind="stable",
                                na_position="last").reset_index(drop=True)
    if n is not None and len(movers) > 2 * n:
        movers = pd.concat([movers.head(n), movers.tail(n)], ignore_index=True)
    return movers[MOVER_COLUMNS]


def field_changes(scores: pd.DataFrame, components: pd.DataFrame, *, index: str, unit_id: str,
                  period_from: str, period_to: str) -> pd.DataFrame:
    """Points of one unit in each field (depth-1 component) in two periods, and the change.

    Returns a new frame with columns ``component, name, value_from, value_to, delta`` (points;
    ``delta = value_to - value_from``, NaN when the field is missing in a period), in
    component order; name from ``period_to``'s component list, else ``period_from``'s, else
    the code. Fields are matched by code: when the methodology renumbered them, check
    ``methodology_changes`` first.
    """
    def points(period: str) -> pd.DataFrame:
        mask = ((scores["index"] == index) & (scores["period"] == period)
                & (scores["unit_id"] == unit_id))
        rows = scores.loc[mask, ["component", "value"]].drop_duplicates("component", keep="last")
        rows = rows.assign(component=rows["component"].astype("str"), value=_floats(rows["value"]))
        return rows[rows["component"].map(component_depth) == 1]

    both = points(period_from).merge(points(period_to), on="component", how="outer",
                                     suffixes=("_from", "_to"))
    names = pd.concat([_components_of(components, index, period_from),
                       _components_of(components, index, period_to)])
    names = names[names["name"] != ""].drop_duplicates("component", keep="last")
    name = both["component"].map(names.set_index("component")["name"])
    result = both.assign(
        name=name.fillna(both["component"]).astype("str"),
        delta=both["value_to"] - both["value_from"],
    )
    return _sort_components(result)[FIELD_CHANGE_COLUMNS]


# ---------------------------------------------------------------------------------------------
# Components
# ---------------------------------------------------------------------------------------------

def component_percent(scores: pd.DataFrame, components: pd.DataFrame, *, index: str,
                      period: str) -> pd.DataFrame:
    """Every score of ``index`` in ``period`` with its component's name, parent and percent.

    Returns a new frame with columns ``unit_id, component, name, parent, value, max_value,
    percent``, sorted by unit id then component order. ``max_value`` is the score's own when
    known, else the component list's; ``name`` falls back to the code and ``parent`` to the
    code's parent ("1.2" → "1"). Raises UsageError when there is no score for that period.
    """
    mask = (scores["index"] == index) & (scores["period"] == period)
    rows = scores.loc[mask, ["unit_id", "component", "value", "max_value"]]
    if rows.empty:
        raise _no_data(index, period, "*", periods(scores, index))
    rows = rows.drop_duplicates(["unit_id", "component"], keep="last").reset_index(drop=True)
    rows = rows.assign(unit_id=rows["unit_id"].astype("str"),
                       component=rows["component"].astype("str"),
                       value=_floats(rows["value"]), max_value=_floats(rows["max_value"]))
    listed = _components_of(components, index, period)
    rows = rows.merge(listed, on="component", how="left", suffixes=("", "_listed"))
    max_value = rows["max_value"].fillna(rows["max_value_listed"])
    name = rows["name"].fillna("")
    parent = rows["parent"].where(rows["parent"].notna(), rows["component"].map(_parent_code))
    rows = rows.assign(
        name=name.where(name != "", rows["component"]).astype("str"),
        parent=parent.astype("str"),
        max_value=max_value,
        percent=_percent(rows["value"].to_numpy(), max_value.to_numpy()),
    )
    return _sort_components(rows, first="unit_id")[COMPONENT_PERCENT_COLUMNS]


def _block_components(scores: pd.DataFrame, units: pd.DataFrame, components: pd.DataFrame, *,
                      index: str, period: str, level: str | None, depth: int) -> pd.DataFrame:
    rows = component_percent(scores, components, index=index, period=period)
    rows = rows[rows["component"].map(component_depth) == depth]
    rows = _attach_units(rows.assign(period=period), units)
    if level is not None:
        rows = rows[rows["level"] == level]
    return rows.reset_index(drop=True)


def component_matrix(scores: pd.DataFrame, units: pd.DataFrame, components: pd.DataFrame, *,
                     index: str, period: str, level: str | None = None,
                     depth: int = 1) -> pd.DataFrame:
    """Units × components of one depth, in % of maximum, for heatmaps.

    Returns a new wide frame: index = unit names in Vietnamese order (index name "unit"),
    columns = component names of that depth in component order (columns name "component"),
    values percent (NaN when unknown). Raises UsageError when there is no score for the
    period or no component of that depth.
    """
    rows = _block_components(scores, units, components, index=index, period=period,
                             level=level, depth=depth)
    if rows.empty:
        raise UsageError(
            f"Không có điểm thành phần cấp {depth} của chỉ số {index} kỳ {period}.",
            f"No depth-{depth} component scores for index {index}, period {period}.",
        )
    wide = rows.pivot(index="unit_id", columns="component", values="percent")
    codes = sorted(wide.columns, key=component_sort_key)
    names = rows.drop_duplicates("component").set_index("component")["name"]
    unit_names = rows.drop_duplicates("unit_id").set_index("unit_id")["unit"]
    order = pd.DataFrame({"unit_id": wide.index, "unit": unit_names.reindex(wide.index).values})
    order = order.assign(_name=_name_order(order["unit"])).sort_values(
        ["_name", "unit_id"], kind="stable")
    matrix = wide.loc[order["unit_id"], codes]
    matrix.index = pd.Index(order["unit"].to_numpy(), name="unit", dtype="str")
    matrix.columns = pd.Index([names[c] for c in codes], name="component", dtype="str")
    return matrix


def strengths_weaknesses(scores: pd.DataFrame, units: pd.DataFrame, components: pd.DataFrame, *,
                         index: str, period: str, unit_id: str,
                         level: str | None = None) -> pd.DataFrame:
    """One unit's fields (depth-1 components) against its block, weakest first.

    Returns a new frame with columns ``component, name, value, max_value, percent,
    points_lost, block_average, block_best, gap_to_average`` where ``points_lost = max_value -
    value`` and the block figures are the mean and best percent of the units of ``level``
    (the unit's own level when None); sorted by ``gap_to_average`` ascending, then component.
    Raises UsageError when the unit has no field score in that period.
    """
    rows = _block_components(scores, units, components, index=index, period=period,
                             level=None, depth=1)
    mine = rows[rows["unit_id"] == unit_id]
    if mine.empty:
        raise UsageError(
            f"Đơn vị {unit_id} không có điểm lĩnh vực của chỉ số {index} kỳ {period}.",
            f"Unit {unit_id} has no field scores for index {index}, period {period}.",
        )
    block_level = mine["level"].iloc[0] if level is None else level
    block = rows[rows["level"] == block_level].groupby("component")["percent"]
    result = mine.assign(
        points_lost=mine["max_value"] - mine["value"],
        block_average=mine["component"].map(block.mean()),
        block_best=mine["component"].map(block.max()),
    )
    result = result.assign(gap_to_average=result["percent"] - result["block_average"])
    result = _sort_components(result)
    result = result.sort_values("gap_to_average", kind="stable", na_position="last")
    return result[STRENGTH_COLUMNS].reset_index(drop=True)


def correlations(matrix: pd.DataFrame, method: str = "pearson") -> pd.DataFrame:
    """Component × component correlation of a ``component_matrix`` (pairwise, NaN skipped).

    Returns a new square frame. Raises UsageError for a method other than pearson, spearman
    or kendall.
    """
    if method not in ("pearson", "spearman", "kendall"):
        raise UsageError(
            f"Phương pháp tương quan '{method}' không hợp lệ; chọn pearson, spearman hoặc kendall.",
            f"Unknown correlation method '{method}'; use pearson, spearman or kendall.",
        )
    return matrix.astype("float64").corr(method=method)


def index_correlation(frame: pd.DataFrame, x: str, y: str) -> dict:
    """Pearson and Spearman correlation of two columns over rows where both are present.

    Returns ``{"pearson": float, "spearman": float, "n": int}``; the coefficients are NaN
    with fewer than 3 pairs or when a column is constant. Raises UsageError for a missing
    column.
    """
    missing = [c for c in (x, y) if c not in frame.columns]
    if missing:
        raise UsageError(
            f"Không có cột {', '.join(missing)}; các cột có: {', '.join(map(str, frame.columns))}.",
            f"No column {', '.join(missing)}; columns are: {', '.join(map(str, frame.columns))}.",
        )
    pairs = pd.DataFrame({"x": _floats(frame[x]), "y": _floats(frame[y])}).dropna()
    n = len(pairs)
    result = {"pearson": math.nan, "spearman": math.nan, "n": n}
    if n >= 3 and pairs["x"].nunique() > 1 and pairs["y"].nunique() > 1:
        result["pearson"] = float(stats.pearsonr(pairs["x"], pairs["y"]).statistic)
        result["spearman"] = float(stats.spearmanr(pairs["x"], pairs["y"]).statistic)
    return result


# ---------------------------------------------------------------------------------------------
# What if the weights were different?
# ---------------------------------------------------------------------------------------------

def what_if(scores: pd.DataFrame, units: pd.DataFrame, *, index: str, period: str,
            weights: Mapping[str, float], level: str | None = None,
            published: pd.DataFrame | None = None) -> tuple[pd.DataFrame, dict]:
    """Re-rank one block with each field (depth-1 component) weighted by ``weights``.

    Weights are keyed by field code (missing = 1.0) and multiply the field's points and
    maximum: the new score is ``100 × (total + Σ (w − 1) × points) / (max + Σ (w − 1) × field
    max)``. With every weight 1 this is the official total percent, bonus and penalty points
    included, so equal weights reproduce the base ranking exactly; a weight of 0 drops a
    field. (A plain Σ w × percent would not: fields have different maximums.) Without known
    maximums the score is the re-weighted points.

    Returns ``(table, summary)``. ``table`` has columns ``unit_id, unit, base_rank, new_rank,
    rank_change, base_group, new_group, score`` (rank_change = base_rank - new_rank), sorted by
    new rank. ``summary`` has ``units``, ``rank_changed`` and ``group_changed`` (counts),
    ``largest_up`` / ``largest_down`` (up to 3 ``(unit, rank_change)`` pairs, rank_change
    negative for falls), and ``spearman`` / ``kendall`` of the new ranks against the base
    (NaN when undefined).

    Raises UsageError for a weight on an unknown field, a negative weight, or no data.
    """
    base = rank_units(scores, units, index=index, period=period, level=level,
                      published=published)
    mask = (scores["index"] == index) & (scores["period"] == period)
    fields = scores.loc[mask & (scores["component"].map(component_depth) == 1),
                        ["unit_id", "component", "value", "max_value"]]
    fields = fields.drop_duplicates(["unit_id", "component"], keep="last")
    known = set(fields["component"].astype(str))
    unknown = sorted(set(weights) - known, key=component_sort_key)
    if unknown:
        listed = ", ".join(sorted(known, key=component_sort_key)) or "—"
        raise UsageError(
            f"Không có lĩnh vực {', '.join(unknown)} trong chỉ số {index} kỳ {period}; "
            f"các lĩnh vực có: {listed}.",
            f"No field {', '.join(unknown)} in index {index}, period {period}; "
            f"fields are: {listed}.",
        )
    negative = sorted(code for code, w in weights.items() if not w >= 0)
    if negative:
        raise UsageError(
            f"Trọng số của lĩnh vực {', '.join(negative)} phải không âm.",
            f"The weight of field {', '.join(negative)} must not be negative.",
        )
    weight = fields["component"].map(lambda code: float(weights.get(code, 1.0))).to_numpy()
    value, max_value = _floats(fields["value"]), _floats(fields["max_value"])
    # Only fields whose weight differs from 1 change anything; a missing field value is
    # "not applicable" and adds neither points nor maximum.
    counted = (weight != 1.0) & ~np.isnan(value)
    extra = pd.DataFrame({
        "unit_id": fields["unit_id"].astype("str").to_numpy(),
        "_points": np.where(counted, (weight - 1.0) * value, 0.0),
        "_max": np.where(counted, (weight - 1.0) * np.nan_to_num(max_value), 0.0),
        "_lacks": counted & np.isnan(max_value),
    })
    added = extra.groupby("unit_id")[["_points", "_max", "_lacks"]].sum()
    added = added.reindex(base["unit_id"], fill_value=0)
    points = base["value"].to_numpy() + added["_points"].to_numpy()
    maximum = base["max_value"].to_numpy() + added["_max"].to_numpy()
    maximum[added["_lacks"].to_numpy() > 0] = np.nan
    percent = _percent(points, maximum)
    gid = np.zeros(len(base), dtype=np.int64)
    score = np.round(_ranking_score(gid, 1, points, percent, "percent"), _ROUND)
    new_rank = pd.Series(_competition_rank(gid, score, 1), index=base.index)
    score_series = pd.Series(score, index=base.index)
    new_group = _computed_groups(pd.Series(percent, index=base.index), score_series,
                                 index=index, period=period, schemes=None)
    table = pd.DataFrame({
        "unit_id": base["unit_id"], "unit": base["unit"], "base_rank": base["rank"],
        "new_rank": new_rank, "rank_change": base["rank"] - new_rank,
        "base_group": base["group"], "new_group": new_group, "score": score_series,
    })
    table = _sort_rows(table, "new_rank")[WHAT_IF_COLUMNS]

    moved = table.dropna(subset=["rank_change"])
    up = moved[moved["rank_change"] > 0].sort_values("rank_change", ascending=False,
                                                     kind="stable").head(3)
    down = moved[moved["rank_change"] < 0].sort_values("rank_change", kind="stable").head(3)
    both = table.dropna(subset=["base_rank", "new_rank"])
    spearman = kendall = math.nan
    if len(both) >= 2 and both["base_rank"].nunique() > 1 and both["new_rank"].nunique() > 1:
        a, b = both["base_rank"].astype("float64"), both["new_rank"].astype("float64")
        spearman = float(stats.spearmanr(a, b).statistic)
        kendall = float(stats.kendalltau(a, b).statistic)
    summary = {
        "units": len(table),
        "rank_changed": int((table["rank_change"].fillna(0) != 0).sum()),
        "group_changed": int((table["base_group"] != table["new_group"]).sum()),
        "largest_up": [(str(u), int(c)) for u, c in zip(up["unit"], up["rank_change"],
                                                        strict=True)],
        "largest_down": [(str(u), int(c)) for u, c in zip(down["unit"], down["rank_change"],
                                                          strict=True)],
        "spearman": spearman,
        "kendall": kendall,
    }
    return table, summary


__all__ = [
    "BASES", "RANKING_COLUMNS", "assign_groups", "biggest_movers", "block_summary",
    "component_depth", "component_matrix", "component_percent", "component_sort_key",
    "correlations", "field_changes", "group_scheme", "index_correlation", "levels",
    "methodology_changes", "periods", "previous_period", "rank_all", "rank_units",
    "strengths_weaknesses", "unit_series", "what_if",
]
