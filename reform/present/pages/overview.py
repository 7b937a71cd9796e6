"""Overview page: the key figures of a block and period, its ranking and the sentences
a presenter reads aloud."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from reform.analysis import ranking
from reform.core.i18n import format_number, format_percent, t
from reform.present import narrative
from reform.present.labels import unit_name
from reform.present.pages.base import Snapshot, rank_on_units


@dataclass(frozen=True)
class Metric:
    """One key figure for ``st.metric``: label, value and an optional delta line; a
    ``neutral`` delta is a plain note (a unit's name), drawn grey without an arrow; ``help``
    the full text for the metric's tooltip (a long unit name the card would cut)."""

    label: str
    value: str
    delta: str | None = None
    neutral: bool = False
    help: str | None = None


def key_figures(summary: dict, *, lang: str = "vi", percent: bool = True) -> list[Metric]:
    """The Overview's key figures from ``ranking.block_summary``: units, average, best,
    worst, most improved. Values formatted for ``lang`` ("85,32 %"); ``percent`` False shows
    points. The most improved figure is "–" when no unit moved up; its unit is named in its
    ``help`` and in :func:`improved_note`, not in a delta chip that a card cuts at about
    twelve letters ("Phường Chươ…")."""
    def number(value: float | None) -> str:
        if value is None:
            return "–"
        return format_percent(value, lang) if percent else format_number(value, lang)

    def name(key: str) -> str | None:  # "Ba Đình ward" in English, as the sentences say
        return None if summary.get(key) is None else unit_name(summary[key], lang)

    improved_unit = name("most_improved_unit")
    improved_change = summary.get("most_improved_change")
    moved = improved_unit is not None and improved_change is not None \
        and not pd.isna(improved_change) and improved_change > 0
    return [
        Metric(t("views.metric.units", lang), str(int(summary.get("units") or 0))),
        Metric(t("views.metric.average", lang), number(summary.get("average"))),
        Metric(t("views.metric.best", lang), number(summary.get("best_value")),
               name("best_unit"), neutral=True, help=name("best_unit")),
        Metric(t("views.metric.worst", lang), number(summary.get("worst_value")),
               name("worst_unit"), neutral=True, help=name("worst_unit")),
        Metric(t("views.metric.improved", lang),
               t("views.places_up", lang, n=int(improved_change)) if moved else "–",
               help=improved_unit if moved else None),
    ]


def improved_note(summary: dict, *, lang: str = "vi") -> str:
    """The most improved unit as a line to print under the key figures ("Tiến bộ nhất:
    **Phường Chương Dương**, tăng 4 bậc so với kỳ trước."); "" when no unit moved up."""
    unit, change = summary.get("most_improved_unit"), summary.get("most_improved_change")
    if unit is None or change is None or pd.isna(change) or change <= 0:
        return ""
    return t("views.improved_note", lang, unit=unit_name(unit, lang), n=int(change))


@dataclass(frozen=True)
class Overview:
    table: pd.DataFrame
    figures: list[Metric]
    sentences: list[str]
    note: str = ""  # the most improved unit, printed under the key figures


def build_overview(data: Snapshot, *, index: str, period: str, level: str | None,
                   lang: str = "vi") -> Overview:
    """The Overview page: the ranking, its key figures and the sentences to read aloud.
    Raises UsageError when the index has no data for that period."""
    table, scores = rank_on_units(data, index=index, period=period, level=level)
    summary = ranking.block_summary(table)
    percent = summary["basis"] == "percent"
    sentences = narrative.ranking_sentences(table, index=index, lang=lang,
                                            components=data.components, scores=scores)
    return Overview(table, key_figures(summary, lang=lang, percent=percent), list(sentences),
                    improved_note(summary, lang=lang))
