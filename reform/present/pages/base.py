"""Pieces the page view-models share, the way datasette's views start from ``views/base.py``.

The wide ranking (a column per field) that the Rankings and Compare pages show, the group
badges of their tables, and the fallbacks of the oversight pages (the period and block to
show when the sidebar's have no data). Pure: frames in, new frames out; no streamlit.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from reform.analysis import lineage, ranking, scope
from reform.analysis.components import component_percent
from reform.core.model import TOTAL
from reform.present.charts.memo import memoized
from reform.present.labels import change_labels, group_label, with_change_labels
from reform.store.snapshot import Snapshot

__all__ = ["Rankings", "Snapshot", "build_wide_ranking", "field_labels", "group_badges",
           "group_order", "pick_level", "pick_period", "ranking_with_components",
           "ranking_with_labels"]


def field_labels(components: pd.DataFrame, *, index: str, period: str) -> dict[str, str]:
    """Depth-1 components (fields) of one index and period, in file order: code -> "1. Name"."""
    here = components[(components["index"] == index) & (components["period"] == period)]
    here = here[here["component"].map(scope.component_depth) == 1].sort_values("order")
    return {code: f"{code}. {name}" for code, name in zip(here["component"], here["name"], strict=True)}


def ranking_with_components(table: pd.DataFrame, scores: pd.DataFrame, components: pd.DataFrame,
                            *, index: str, period: str, lang: str = "vi") -> pd.DataFrame:
    """The ranking table wide: one row per unit (the table's order), one column per field.

    Returns columns ``unit_id, rank, change_label, unit, group, value, percent`` followed by one
    column per field of that index and period labelled "1. Name" (see :func:`field_labels`),
    holding the unit's % of the field maximum, or its points when the maximum is unknown.
    A unit without a score in a field gets NaN there. Never changes its inputs.
    """
    base = table.assign(change_label=change_labels(table, lang=lang))[
        ["unit_id", "rank", "change_label", "unit", "group", "value", "percent"]
    ].reset_index(drop=True)
    labels = field_labels(components, index=index, period=period)
    if not labels:
        return base
    rows = component_percent(scores, components, index=index, period=period)
    rows = rows[rows["component"].isin(list(labels))]
    share = rows["percent"].where(rows["percent"].notna(), rows["value"])
    wide = (rows.assign(share=share)
            .pivot_table(index="unit_id", columns="component", values="share", aggfunc="first")
            .reindex(columns=list(labels)).rename(columns=labels))
    wide.columns.name = None
    out = base.merge(wide, how="left", left_on="unit_id", right_index=True)
    return out.reset_index(drop=True)


@memoized
def group_badges(table: pd.DataFrame, *, lang: str = "vi") -> pd.DataFrame:
    """``table`` with ``group`` as a one-label list ([] when none), the label in ``lang``
    (``labels.group_label``: "Khá" -> ["Fair"] in English), the shape
    ``st.column_config.MultiselectColumn`` draws as a coloured badge. Returns a new frame,
    the same one for the same table (``charts.memo``: a rerun then replays the page's table
    instead of serialising it again), so never change it."""
    return table.assign(group=[[group_label(g, lang)] if isinstance(g, str) and g else []
                               for g in table["group"]])


def group_order(table: pd.DataFrame) -> list[str]:
    """The group labels present in a ranking, best first (order of their best-ranked unit)."""
    groups = table.dropna(subset=["group"])
    groups = groups[groups["group"] != ""]
    return list(dict.fromkeys(groups.sort_values("rank", na_position="last")["group"]))


@dataclass(frozen=True)
class Rankings:
    """A block's ranking, its wide table, the field column labels and the groups present."""

    table: pd.DataFrame
    wide: pd.DataFrame
    fields: list[str]
    groups: list[str]


def rank_on_units(data: Snapshot, *, index: str, period: str, level: str | None,
                  component: str = TOTAL, as_of: date | None = None
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``rank_units`` as every page shows it: with the store's lineage, the period on the units
    valid ``as_of`` (or its previous period re-aggregated onto this period's units, so the
    first change after the reorganisation is against the composites), with ``coverage``.

    Returns (ranking table, the scores it was ranked from). Raises UsageError without data.
    """
    scores = lineage.on_units(data.scores, data.links, index=index, period=period, as_of=as_of)
    table = ranking.rank_units(scores, data.units, index=index, period=period, level=level,
                               component=component, published=data.published,
                               name_places=data.name_places)
    table = lineage.with_coverage(table, scores, index=index, period=period, component=component)
    return table, scores


def build_wide_ranking(data: Snapshot, *, index: str, period: str, level: str | None,
                       component: str = TOTAL, lang: str = "vi",
                       as_of: date | None = None) -> Rankings:
    """``rank_on_units`` by ``component`` and the wide table with one column per field
    (``fields`` lists their labels), with a ``coverage`` column where units are composites.
    Raises UsageError when there is no data."""
    table, scores = rank_on_units(data, index=index, period=period, level=level,
                                  component=component, as_of=as_of)
    wide = ranking_with_components(table, scores, data.components, index=index,
                                   period=period, lang=lang)
    if not wide.empty and table["coverage"].astype(bool).any():
        wide = wide.assign(coverage=wide["unit_id"].map(dict(zip(table["unit_id"], table["coverage"],
                                                                  strict=True))).fillna(""))
    fields = list(field_labels(data.components, index=index, period=period).values())
    return Rankings(table, wide, fields, group_order(table))


def ranking_with_labels(data: Snapshot, *, index: str, period: str, level: str | None,
                        lang: str) -> pd.DataFrame:
    """``rank_on_units`` of one index, period and block, plus its ``change_label`` ("▲ 3")."""
    table, _ = rank_on_units(data, index=index, period=period, level=level)
    return with_change_labels(table, lang=lang)


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


def pick_level(data: Snapshot, index: str, period: str | None, wanted: str | None) -> str | None:
    """``wanted`` when ``index`` has units of that block in ``period``, else the block the
    sidebar and the rankings open on (``scope.default_level``: the largest); None when the
    period has no scored unit."""
    available = scope.levels(data.scores, index, period, units=data.units)
    if wanted in available:
        return wanted
    return scope.default_level(data.scores, index, period, units=data.units) if available else None
