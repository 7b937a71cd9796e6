"""Scope: which periods, levels, units and components a question is about.

The rules every other module of ``analysis`` (and the store, the command line and the pages)
asks instead of writing their own:

- A period is a year ("2018"), a month ("2019-03") or a quarter ("2019-Q2");
  ``previous_period`` is the latest earlier period *of the same kind* present in the data.
- A unit's name and level come from the row of ``units`` valid in the period (``valid_from``
  / ``valid_to``, compared on as many characters as the bound has); a unit missing from the
  registry shows its id as name and level ``"unit"``.
- The default block (``default_level``) is the level with the most units scored, ties broken
  by the order of ``model.LEVELS``.
- Component codes sort naturally: TOTAL, 1, 1.1, 1.2, 2, …, 10.

Every function returns a new object; none changes its input.
"""
from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from functools import lru_cache

import numpy as np
import pandas as pd

from reform.core import config
from reform.core.errors import UsageError
from reform.core.model import LEVELS, TOTAL, Level
from reform.core.text import collation_key

PERIOD_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("year", re.compile(r"\d{4}")),
    ("month", re.compile(r"\d{4}-(0[1-9]|1[0-2])")),
    ("quarter", re.compile(r"\d{4}-Q[1-4]")),
)
"""The kinds of period label, each with the whole-label pattern it must match."""

OTHER_PERIOD = "other"
"""``period_kind`` of a label that is neither a year, a month nor a quarter."""

_UNIT_ATTRS = ["unit_id", "name", "level", "parent_id", "valid_from", "valid_to"]


# ---------------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------------

def period_kind(period: str) -> str:
    """"year", "month" or "quarter" for a period label; ``OTHER_PERIOD`` for anything else.

    >>> period_kind("2019"), period_kind("2019-03"), period_kind("2019-Q2"), period_kind("x")
    ('year', 'month', 'quarter', 'other')
    """
    for kind, pattern in PERIOD_KINDS:
        if pattern.fullmatch(str(period)):
            return kind
    return OTHER_PERIOD


def period_bounds(period: str) -> tuple[date, date] | None:
    """The first and last day of a period: '2025' → 1 Jan–31 Dec 2025, '2025-Q2' → 1 Apr–30 Jun,
    '2025-03' → 1–31 Mar; None for a label of no known kind."""
    kind, text = period_kind(period), str(period)
    if kind == "year":
        year = int(text)
        return date(year, 1, 1), date(year, 12, 31)
    if kind == "month":
        year, month = int(text[:4]), int(text[5:7])
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    if kind == "quarter":
        year, quarter = int(text[:4]), int(text[-1])
        last = quarter * 3
        return date(year, last - 2, 1), date(year, last, calendar.monthrange(year, last)[1])
    return None


def period_date(period: str) -> date | None:
    """The day whose units a period's results belong to (``config.PERIOD_VALID_AT``: its end,
    so 2025 belongs to the units of 31 December 2025)."""
    bounds = period_bounds(period)
    if bounds is None:
        return None
    return bounds[1] if config.PERIOD_VALID_AT == "end" else bounds[0]


def periods(scores: pd.DataFrame, index: str) -> list[str]:
    """The periods of ``index`` present in ``scores``, sorted as strings (empty if none).

    >>> periods(pd.DataFrame({"index": ["PAR", "PAR"], "period": ["2019", "2018"]}), "PAR")
    ['2018', '2019']
    """
    # unique() before str(): on a categorical column astype(str) would build a string per row.
    values = scores.loc[scores["index"] == index, "period"].dropna().unique()
    return sorted({str(value) for value in values})


def in_period(column: pd.Series, period: object) -> pd.Series:
    """``column == period`` compared as text (a period may be stored as 2018 or "2018").

    On a categorical column (the snapshot's) only the categories are turned into text: a
    string per row of millions of scores costs seconds.

    >>> in_period(pd.Series(["2018", "2019"], dtype="category"), 2019).tolist()
    [False, True]
    """
    wanted = str(period)
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.isin([c for c in column.cat.categories if str(c) == wanted])
    return column.astype("str") == wanted


def previous_period(periods: Sequence[str], period: str) -> str | None:
    """The latest of ``periods`` before ``period`` and of the same kind, or None.

    A year's previous period is the previous year present (never a month), a month's the
    previous month present, a quarter's the previous quarter present; gaps are skipped.

    >>> previous_period(["2017", "2019-03", "2019-05"], "2019")
    '2017'
    >>> previous_period(["2017", "2019-03", "2019-05"], "2019-07")
    '2019-05'
    """
    kind = period_kind(period)
    earlier = [p for p in map(str, periods) if period_kind(p) == kind and p < period]
    return max(earlier) if earlier else None


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


def _registry_rows(keys: pd.DataFrame, reg: pd.DataFrame) -> pd.DataFrame:
    """One registry row per (unit_id, period) of ``keys``: the row valid in the period."""
    if reg["unit_id"].is_unique:
        return keys.merge(reg, on="unit_id", how="left")
    # Several rows per unit: a renamed or moved unit. Prefer the row valid in the period,
    # then the later row of the registry.
    candidates = keys.merge(reg.assign(_row=np.arange(len(reg))), on="unit_id", how="left")
    valid = [
        isinstance(start, str) and _covers(period, start, end)
        for period, start, end in zip(
            candidates["period"], candidates["valid_from"], candidates["valid_to"], strict=True)
    ]
    return (candidates.assign(_valid=valid).sort_values(["_valid", "_row"], kind="stable")
            .drop_duplicates(["unit_id", "period"], keep="last")
            .drop(columns=["_valid", "_row"]))


def attach_units(frame: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (with unit_id and period) plus the unit's name, level and parent in that period.

    Returns a new frame with columns ``unit``, ``level`` and ``parent_id`` added (replaced
    when present); units missing from the registry get their id as name, level "unit" and no
    parent. Raises nothing.
    """
    keys = frame[["unit_id", "period"]].drop_duplicates()
    found = _registry_rows(keys, _registry(units))
    name = found["name"].fillna("")
    level = found["level"].fillna("")
    found = found.assign(
        unit=name.where(name != "", found["unit_id"]).astype("str"),
        level=level.where(level != "", Level.UNIT.value).astype("str"),
        parent_id=found["parent_id"].fillna("").astype("str"),
    )[["unit_id", "period", "unit", "level", "parent_id"]]
    base = frame.drop(columns=[c for c in ("unit", "level", "parent_id") if c in frame.columns])
    return base.merge(found, on=["unit_id", "period"], how="left")


def unit_names(units: pd.DataFrame | None) -> dict[str, str]:
    """unit_id → display name, the last row winning when a unit was renamed; {} without units."""
    if units is None or units.empty:
        return {}
    last = units.drop_duplicates("unit_id", keep="last")
    return dict(zip(last["unit_id"].astype("str"), last["name"].astype("str"), strict=True))


def units_of_level(frame: pd.DataFrame, units: pd.DataFrame, level: str | None) -> pd.DataFrame:
    """The rows of ``frame`` whose unit has ``level`` in ``units`` (every row when None).

    Returns a new frame with a fresh index. Raises UsageError when no unit has that level.
    """
    if level is None:
        return frame.reset_index(drop=True)
    ids = set(units.loc[units["level"] == level, "unit_id"].astype("str"))
    if not ids:
        raise UsageError.of("analysis.no_unit_of_level", level=level)
    return frame[frame["unit_id"].astype("str").isin(ids)].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Levels
# ---------------------------------------------------------------------------------------------

def _scored_levels(frame: pd.DataFrame, index: str, period: str | None,
                   units: pd.DataFrame | None) -> pd.DataFrame:
    """One row per (unit_id, period) scored in ``index`` (and ``period``), with its level."""
    mask = frame["index"] == index
    if period is not None:
        mask &= frame["period"] == period
    if units is None and "level" in frame.columns:
        rows = frame.loc[mask, ["unit_id", "period", "level"]]
        return rows.assign(level=rows["level"].fillna(Level.UNIT.value).astype("str"))
    pairs = frame.loc[mask, ["unit_id", "period"]].drop_duplicates()
    registry = units if units is not None else pd.DataFrame(columns=_UNIT_ATTRS)
    return attach_units(pairs, registry)


def _level_order(level: str) -> tuple[int, str]:
    """Position in ``model.LEVELS``; unknown levels after, alphabetically."""
    return (LEVELS.index(level), "") if level in LEVELS else (len(LEVELS), level)


def levels(frame: pd.DataFrame, index: str, period: str | None = None, *,
           units: pd.DataFrame | None = None) -> list[str]:
    """Levels of the units scored in ``index`` (and ``period``), in ``model.LEVELS`` order.

    ``frame`` is a score frame; a unit's level comes from ``units`` when given, else from a
    ``level`` column of ``frame`` (as ``ranking.rank_all`` returns), else every unit is
    "unit". Levels not in ``model.LEVELS`` follow, alphabetically. Returns an empty list when
    nothing is scored; raises nothing.
    """
    found = set(_scored_levels(frame, index, period, units)["level"])
    return sorted(found, key=_level_order)


def default_level(frame: pd.DataFrame, index: str, period: str | None = None, *,
                  units: pd.DataFrame | None = None) -> str:
    """The block shown when none is asked: the level with the most units in ``index``/``period``.

    Units are counted once each; a tie goes to the level first in ``model.LEVELS`` (unknown
    levels after, alphabetically). ``frame`` and ``units`` are read as by ``levels``.
    Raises UsageError when ``index`` has no unit scored in ``period``.
    """
    rows = _scored_levels(frame, index, period, units).drop_duplicates("unit_id", keep="last")
    if rows.empty:
        raise UsageError.of("analysis.no_scored_unit", index=index, period=period or "*")
    counts = rows["level"].value_counts()
    return min(counts.index, key=lambda level: (-int(counts[level]), _level_order(level)))


# ---------------------------------------------------------------------------------------------
# Components
# ---------------------------------------------------------------------------------------------

def component_depth(code: str) -> int:
    """0 for the total, 1 for a field ("3"), 2 for a criterion ("3.1"), 3 for "3.1.2"."""
    return 0 if code == TOTAL else code.count(".") + 1


def component_sort_key(code: str) -> tuple:
    """Natural order of component codes: TOTAL, 1, 1.1, 1.2, 2, …, 10 (not 1, 10, 2)."""
    if code == TOTAL:
        return ((-1, ""),)
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in str(code).split("."))


def map_distinct(values: pd.Series, function: Callable[[object], object]) -> pd.Series:
    """``values.map(function)`` with ``function`` called once per distinct value: component
    codes and unit ids repeat over hundreds of thousands of rows at national scale."""
    distinct = values.dropna().unique()
    return values.map(dict(zip(distinct, map(function, distinct), strict=True)))


def parent_code(code: str) -> str:
    """The code one level up ("1.2" → "1"); "" for a field or the total."""
    if code == TOTAL or "." not in code:
        return ""
    return code.rsplit(".", 1)[0]


def sort_components(frame: pd.DataFrame, *, first: str | None = None) -> pd.DataFrame:
    """``frame`` sorted by column ``first`` (when given) then natural component order.

    Returns a new frame with a fresh index.
    """
    # Positions of the distinct codes (forty) rather than a key per row (400,000 at scale).
    keyed = frame.assign(_code=order_of(frame["component"], component_sort_key))
    by = ([first] if first else []) + ["_code"]
    return keyed.sort_values(by, kind="stable").drop(columns="_code").reset_index(drop=True)


def component_list(components: pd.DataFrame, index: str, period: str) -> pd.DataFrame:
    """The component list of ``index`` in ``period``: component, name, parent, max_value.

    Returns a new frame, one row per code (the later row wins), empty when none is listed.
    """
    rows = components.loc[(components["index"] == index) & (components["period"] == period),
                          ["component", "name", "parent", "max_value"]]
    rows = rows.drop_duplicates("component", keep="last").reset_index(drop=True)
    return rows.assign(component=rows["component"].astype("str"),
                       name=rows["name"].fillna("").astype("str"),
                       parent=rows["parent"].fillna("").astype("str"),
                       max_value=pd.to_numeric(rows["max_value"], errors="coerce")
                       .astype("float64"))


# ---------------------------------------------------------------------------------------------
# Orders
# ---------------------------------------------------------------------------------------------

@lru_cache(maxsize=100_000)
def _collation(name: str) -> tuple:
    # Pages rank the same few thousand names again and again; collating is the slow part.
    return collation_key(name)


def order_of(values: pd.Series, key: Callable[[object], object] = _collation) -> pd.Series:
    """Integer position of each value when the distinct values are sorted by ``key``.

    Equal values share a position; a missing value comes after every other. Returns a new
    ``int64`` Series aligned with ``values`` (pandas cannot sort by a tuple-valued key).
    The default key is Vietnamese dictionary order.
    """
    ordered = sorted(values.dropna().unique(), key=key)
    position = {value: i for i, value in enumerate(ordered)}
    return values.map(position).fillna(len(position)).astype("int64")


def sort_rows(frame: pd.DataFrame, by: str, *, name: str = "unit",
              ascending: bool = True, name_places: Mapping[str, int] | None = None
              ) -> pd.DataFrame:
    """``frame`` ordered by column ``by`` (missing last), then name in Vietnamese order, then id.

    ``name_places`` (name -> place in Vietnamese order, as the snapshot keeps it) spares
    collating the names again when it knows every tied one. Returns a new frame with a fresh
    index.
    """
    # Names only decide between equal keys: collating the others would be wasted work.
    tied = frame[by].isna() | frame[by].duplicated(keep=False)
    name_order = pd.Series(0, index=frame.index, dtype="int64")
    names = frame.loc[tied, name]
    known = names.map(name_places) if name_places is not None else None
    # A fresh process collates 10,000 names in about 0.4 s; the snapshot's places cost a lookup.
    name_order[tied] = (known.astype("int64") if known is not None and known.notna().all()
                        else order_of(names))
    keyed = frame.assign(
        _missing=frame[by].isna(),
        _key=frame[by].astype("float64"),
        _name=name_order,
    )
    keyed = keyed.sort_values(["_missing", "_key", "_name", "unit_id"],
                              ascending=[True, ascending, True, True], kind="stable")
    return keyed.drop(columns=["_missing", "_key", "_name"]).reset_index(drop=True)


__all__ = [
    "OTHER_PERIOD", "PERIOD_KINDS", "attach_units", "component_depth", "component_list",
    "component_sort_key", "default_level", "levels", "order_of", "parent_code", "period_kind",
    "periods", "previous_period", "sort_components", "sort_rows", "unit_names",
    "units_of_level",
]
