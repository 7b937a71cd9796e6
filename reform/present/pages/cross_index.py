"""Across indices page: units' totals in several indices for one period, and two indices
compared: their correlation and the units that stand out from the trend."""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from reform.analysis import components, satisfaction
from reform.core.errors import UsageError
from reform.core.i18n import format_number, has, t
from reform.core.model import TOTAL
from reform.present.pages.base import Snapshot, pick_period


@dataclass(frozen=True)
class CrossIndex:
    """Units' totals in several indices for one period, and which indices have values."""

    period: str
    periods: list[str]
    level: str | None
    table: pd.DataFrame
    indices: list[str]


def shared_periods(scores: pd.DataFrame) -> list[str]:
    """Periods in which at least two indices have totals, sorted."""
    totals = scores.loc[scores["component"] == TOTAL, ["index", "period"]].drop_duplicates()
    counts = totals.groupby("period")["index"].nunique()
    return sorted(str(p) for p in counts[counts >= 2].index)


def build_cross_index(data: Snapshot, *, period: str | None, level: str | None) -> CrossIndex:
    """The cross-index page: ``satisfaction.cross_index`` over every index with totals in
    the period (``period`` when two indices share it, else the latest such period of the
    same year, else the latest), for ``level`` when units of that block are there (all
    units otherwise). ``indices`` lists the index columns holding at least one value, in
    the snapshot's index order. Raises :class:`UsageError` when no period has two indices.
    """
    periods = shared_periods(data.scores)
    if not periods:
        raise UsageError.of("oversight.no_pairs")
    chosen = pick_period(periods, period)
    here = data.scores[(data.scores["period"] == chosen) & (data.scores["component"] == TOTAL)]
    codes = [code for code in data.indices() if code in set(here["index"])]
    present = set(data.units.loc[data.units["unit_id"].isin(set(here["unit_id"])), "level"])
    block = level if level in present else None
    table = satisfaction.cross_index(data.scores, data.units, period=chosen, level=block,
                                     indices=tuple(codes))
    filled = [code for code in codes if table[code].notna().any()]
    table = table[["unit_id", "unit", *filled]]
    return CrossIndex(period=chosen, periods=periods, level=block, table=table, indices=filled)


@dataclass(frozen=True)
class Pair:
    """Two indices compared: the correlation and the units that stand out."""

    x: str
    y: str
    correlation: dict
    standouts: pd.DataFrame


def compare_pair(table: pd.DataFrame, *, x: str, y: str, n: int = 5, lang: str = "vi") -> Pair:
    """Pearson/Spearman correlation of ``x`` and ``y`` (``components.index_correlation``) and
    the ``n`` units farthest from the trend line (``satisfaction.standouts``), each with a
    ``pattern`` such as "PAR cao, hài lòng thấp" / "high PAR, low satisfaction" (high or low
    against the mean of the units having both). Standouts are empty (same columns) when
    fewer than three units have both values. Raises :class:`UsageError` for a missing column
    or ``x`` equal to ``y``.
    """
    if x == y:
        raise UsageError.of("oversight.same_indices")
    correlation = components.index_correlation(table, x, y)
    columns = ["unit_id", "unit", x, y, "residual", "pattern"]
    both = table[[x, y]].dropna()
    if len(both) < 3 or both[x].nunique() < 2:
        empty = {c: pd.Series(dtype="float64" if c in (x, y, "residual") else "str") for c in columns}
        return Pair(x, y, correlation, pd.DataFrame(empty))
    found = satisfaction.standouts(table, x, y, n=n)
    mean_x, mean_y = float(both[x].mean()), float(both[y].mean())
    found["pattern"] = [
        _pattern(x, vx >= mean_x, lang) + ", " + _pattern(y, vy >= mean_y, lang)
        for vx, vy in zip(found[x], found[y], strict=True)]
    found["pattern"] = found["pattern"].astype("str")
    return Pair(x, y, correlation, found[columns])


def build_pair(data: Snapshot, *, period: str | None, level: str | None, x: str, y: str,
               n: int = 5, lang: str = "vi") -> Pair:
    """``compare_pair`` on the page's table (``build_cross_index``), for the app to compute
    once per pair of indices rather than on every rerun. Raises as both do."""
    table = build_cross_index(data, period=period, level=level).table
    return compare_pair(table, x=x, y=y, n=n, lang=lang)


def _pattern(code: str, high: bool, lang: str) -> str:
    key = f"oversight.short.{code}"
    name = t(key, lang) if has(key) else code
    return t("oversight.high" if high else "oversight.low", lang, name=name)


def correlation_text(correlation: dict, lang: str = "vi") -> str:
    """"r = 0,42 (Spearman 0,40; 18 đơn vị)"; "–" for a coefficient that is not computable."""
    def fmt(value: float) -> str:
        return "–" if value is None or math.isnan(value) else format_number(value, lang)

    return t("oversight.correlation", lang, r=fmt(correlation["pearson"]),
             rho=fmt(correlation["spearman"]), n=correlation["n"])
