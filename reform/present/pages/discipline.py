"""Discipline page: inspections month by month, by unit and category, regular against
unannounced visits, repeat violators, the discipline ranking and one unit's records."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from reform.analysis import discipline, scope
from reform.core.errors import UsageError
from reform.present.pages.base import Snapshot, pick_level, pick_period, ranking_with_labels


def _records_of_level(data: Snapshot, level: str | None) -> pd.DataFrame:
    if level is None:
        return data.inspections
    ids = set(data.units.loc[data.units["level"] == level, "unit_id"])
    return data.inspections[data.inspections["unit_id"].isin(ids)]


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
    - ranking: ``ranking.rank_units`` of index DISCIPLINE, plus change_label ("▲ 3").

    Raises :class:`UsageError` (with a message saying how to import records) when there is
    no inspection record at all.
    """
    years = scope.periods(data.scores, discipline.INDEX)
    if data.inspections.empty or not years:
        raise UsageError.of("oversight.no_inspections")
    year = pick_period(years, period[:4] if period else None)
    chosen = pick_level(data, discipline.INDEX, year, level)
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
        ranking=ranking_with_labels(data, index=discipline.INDEX, period=year, level=chosen, lang=lang),
    )


def unit_inspections(data: Snapshot, *, unit_id: str, year: str, lang: str = "vi") -> pd.DataFrame:
    """The drill-down: ``discipline.unit_records`` of one unit in ``year``, newest first.
    Raises :class:`UsageError` as that function does (unknown unit or year)."""
    return discipline.unit_records(data.inspections, data.units, unit_id=unit_id, period=year,
                                   lang=lang)
