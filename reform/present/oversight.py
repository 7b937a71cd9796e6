"""What the discipline, satisfaction and cross-index pages show, built from the snapshot.

One ``build_*`` function per page makes every frame the page needs (pages call it through
``ui.computed``, so it runs once per store state and options); small helpers pick the year
and block those pages fall back to when the sidebar's index has other periods or blocks.
Pure: no streamlit; frames in, new frames out.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from reform.analysis import analytics, discipline, satisfaction
from reform.core import config
from reform.core.errors import UsageError
from reform.core.i18n import format_number, has, t
from reform.core.model import TOTAL
from reform.present import charts
from reform.store.snapshot import Snapshot


def pick_period(available: Sequence[str], wanted: str | None) -> str | None:
    """The period to show: ``wanted`` when available, else the latest available period of
    the same year (a month of the sidebar's year for monthly data), else the latest of all;
    None when nothing is available."""
    options = sorted(set(available))
    if not options:
        return None
    if wanted in options:
        return wanted
    same_year = [p for p in options if wanted and p[:4] == str(wanted)[:4]]
    return (same_year or options)[-1]


def pick_level(available: Sequence[str], wanted: str | None) -> str | None:
    """``wanted`` when it is one of ``available`` blocks, else the first of them (the
    caller lists the main block first); None when there are none."""
    if wanted in available:
        return wanted
    return available[0] if available else None


def _records_of_level(data: Snapshot, level: str | None) -> pd.DataFrame:
    if level is None:
        return data.inspections
    ids = set(data.units.loc[data.units["level"] == level, "unit_id"])
    return data.inspections[data.inspections["unit_id"].isin(ids)]


# ---- discipline --------------------------------------------------------------------------


@dataclass(frozen=True)
class Discipline:
    """Everything the discipline page shows for one year and block."""

    year: str
    years: list[str]
    level: str | None
    monthly: pd.DataFrame
    calendar: pd.DataFrame
    matrix: pd.DataFrame
    categories: pd.DataFrame
    kinds: pd.DataFrame
    repeat: pd.DataFrame
    ranking: pd.DataFrame


def build_discipline(data: Snapshot, *, period: str | None, level: str | None,
                     lang: str = "vi", min_months: int = 3) -> Discipline:
    """The discipline page for the year of ``period`` (the latest inspected year when that
    year has no records) and the block ``level`` (the main inspected block when ``level``
    has no inspected unit).

    - monthly: ``discipline.monthly_overview`` (12 months of the year);
    - calendar: rates per unit and month, long (unit_id, unit, period, …, rate_per_100),
      for ``charts.discipline_calendar``; matrix: the same as ``unit_month_matrix``;
    - categories: category, name, violations, inspections, officials_checked, rate_per_100;
    - kinds: ``kind_comparison`` plus kind_name in ``lang``;
    - repeat: ``repeat_violators`` within the year;
    - ranking: ``analytics.rank_units`` of index DISCIPLINE, plus change_label ("▲ 3").

    Raises :class:`UsageError` (with a message saying how to import records) when there is
    no inspection record at all.
    """
    years = analytics.periods(data.scores, discipline.INDEX)
    if data.inspections.empty or not years:
        raise UsageError(t("oversight.no_inspections", "vi"), t("oversight.no_inspections", "en"))
    year = pick_period(years, period[:4] if period else None)
    chosen = pick_level(analytics.levels(data.scores, data.units, discipline.INDEX, year), level)
    records = _records_of_level(data, chosen)
    categories = discipline.violation_rates(records, data.units, by=("category",), within=year,
                                            lang=lang)
    categories = categories.rename(columns={"category_name": "name"})[
        ["category", "name", "violations", "inspections", "officials_checked", "rate_per_100"]]
    kinds = discipline.kind_comparison(records, period=year)
    kinds.insert(1, "kind_name", kinds["kind"].map(lambda k: discipline.kind_name(k, lang)).astype("str"))
    return Discipline(
        year=year, years=years, level=chosen,
        monthly=discipline.monthly_overview(records, data.units, year=year),
        calendar=discipline.violation_rates(records, data.units, by=("unit", "month"), within=year),
        matrix=discipline.unit_month_matrix(records, data.units, year=year),
        categories=categories, kinds=kinds,
        repeat=discipline.repeat_violators(records, data.units, min_months=min_months,
                                           period=year, lang=lang),
        ranking=_ranking(data, index=discipline.INDEX, period=year, level=chosen, lang=lang),
    )


def _ranking(data: Snapshot, *, index: str, period: str, level: str | None, lang: str) -> pd.DataFrame:
    table = analytics.rank_units(data.scores, data.units, index=index, period=period, level=level,
                                 published=data.published)
    labels = [charts.change_label(change, is_new, lang)
              for change, is_new in zip(table["change"], table["is_new"], strict=True)]
    return table.assign(change_label=pd.Series(labels, index=table.index, dtype="str"))


def unit_inspections(data: Snapshot, *, unit_id: str, year: str, lang: str = "vi") -> pd.DataFrame:
    """The drill-down: ``discipline.unit_records`` of one unit in ``year``, newest first.
    Raises :class:`UsageError` as that function does (unknown unit or year)."""
    return discipline.unit_records(data.inspections, data.units, unit_id=unit_id, period=year,
                                   lang=lang)


# ---- satisfaction ------------------------------------------------------------------------


@dataclass(frozen=True)
class Satisfaction:
    """Everything the satisfaction page shows for one period and block."""

    period: str
    periods: list[str]
    level: str | None
    ranking: pd.DataFrame
    gaps: pd.DataFrame
    below: pd.DataFrame
    target: float


def build_satisfaction(data: Snapshot, *, period: str | None, level: str | None,
                       target: float | None = None, lang: str = "vi") -> Satisfaction:
    """The satisfaction page: the SIPAS ranking (``rank_units`` plus change_label), the
    elements' average
    satisfaction, expectation and gap (``element_gaps``, over every surveyed unit of the
    period) and the units under the target (``below_target``), for ``period`` (the latest
    SIPAS period of the same year, else the latest, when it has none) and ``level``.

    Raises :class:`UsageError` when there is no SIPAS data at all, or when the period's
    components name no satisfaction measure.
    """
    periods = analytics.periods(data.scores, satisfaction.INDEX)
    if not periods:
        raise UsageError(t("oversight.no_sipas", "vi"), t("oversight.no_sipas", "en"))
    chosen = pick_period(periods, period)
    block = pick_level(analytics.levels(data.scores, data.units, satisfaction.INDEX, chosen), level)
    goal = config.SIPAS_TARGET_PERCENT if target is None else float(target)
    return Satisfaction(
        period=chosen, periods=periods, level=block,
        ranking=_ranking(data, index=satisfaction.INDEX, period=chosen, level=block, lang=lang),
        gaps=satisfaction.element_gaps(data.scores, data.components, period=chosen),
        below=satisfaction.below_target(data.scores, data.units, period=chosen, target=goal,
                                        level=block),
        target=goal,
    )


def unit_elements(data: Snapshot, *, period: str, unit_id: str) -> pd.DataFrame:
    """One unit's SIPAS element table (``satisfaction.element_table``) in ``period``.
    Raises :class:`UsageError` when the unit has no element scores then."""
    return satisfaction.element_table(data.scores, data.components, data.units, period=period,
                                      unit_id=unit_id)


# ---- across indices ----------------------------------------------------------------------


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
        raise UsageError(t("oversight.no_pairs", "vi"), t("oversight.no_pairs", "en"))
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
    """Pearson/Spearman correlation of ``x`` and ``y`` (``analytics.index_correlation``) and
    the ``n`` units farthest from the trend line (``satisfaction.standouts``), each with a
    ``pattern`` such as "PAR cao, hài lòng thấp" / "high PAR, low satisfaction" (high or low
    against the mean of the units having both). Standouts are empty (same columns) when
    fewer than three units have both values. Raises :class:`UsageError` for a missing column
    or ``x`` equal to ``y``.
    """
    if x == y:
        raise UsageError("Hãy chọn hai chỉ số khác nhau.", "Choose two different indices.")
    correlation = analytics.index_correlation(table, x, y)
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


def _pattern(code: str, high: bool, lang: str) -> str:
    key = f"oversight.short.{code}"
    name = t(key, lang) if has(key) else code
    return t("oversight.high" if high else "oversight.low", lang, name=name)


def correlation_text(correlation: dict, lang: str = "vi") -> str:
    """"r = 0,42 (Spearman 0,40; 18 đơn vị)"; "–" for a coefficient that is not computable."""
    def fmt(value: float) -> str:
        return "–" if value is None or math.isnan(value) else format_number(value, lang)

    units = "đơn vị" if lang == "vi" else "units"
    return (f"r = {fmt(correlation['pearson'])} (Spearman {fmt(correlation['spearman'])}; "
            f"{correlation['n']} {units})")
