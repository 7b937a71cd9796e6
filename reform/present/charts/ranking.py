"""The ranking chart: one block's units as horizontal bars, best at the top, by group."""
from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from reform.core.i18n import format_number, t
from reform.present.charts.base import (
    BASE_FONT_SIZE,
    DEFAULT_TOP_N,
    MAX_FULL_UNITS,
    SMALL_FONT_SIZE,
    TEXT_COLOR,
    check_input,
    finish,
    group_color,
    group_order,
    match_units,
    no_data,
    score_axis_title,
    text_color_on,
    unique_names,
)
from reform.present.frames import as_float, column_or, display_scores, is_missing
from reform.present.labels import change_label, group_label, period_label, score_text

RANKING_COLUMNS = ["unit_id", "unit", "rank", "value", "percent"]
"""Columns ``ranking_bars`` needs; the others of the ranking table are optional."""


def ranking_bars(
    table: pd.DataFrame,
    *,
    lang: str = "vi",
    title: str | None = None,
    top_n: int | None = None,
    highlight: str | Iterable[str] | None = None,
) -> go.Figure:
    """Horizontal bars of a ranking table, best at the top, coloured by group.

    The bar is ``percent`` (``value`` where percent is unknown); the text inside it at its
    base (beside it when the bar is too short) gives the score and the rank change ("▲ 3"),
    clear of the dashed vertical line that marks the block average of all units. With more
    than ``MAX_FULL_UNITS`` units and no ``top_n``, the top ``DEFAULT_TOP_N`` are shown and
    the title says so; ``highlight`` (unit ids or names) are outlined, and kept even when
    outside the top.

    Returns the figure; an ``empty_figure`` when the table has no rows.
    Raises ``UsageError`` when a required column is missing or ``lang`` is unknown.
    """
    check_input(table, RANKING_COLUMNS, "ranking", lang)
    if table.empty:
        return no_data(lang)
    scores, is_percent = display_scores(table)
    frame = table.assign(_score=scores, _rank=as_float(table["rank"])).sort_values(
        ["_rank", "_score"], ascending=[True, False], na_position="last")
    # The block average is over every unit, not only the bars shown.
    average = float(np.nanmean(frame["_score"])) if frame["_score"].notna().any() else math.nan
    marked = set(match_units(frame, highlight))
    shown, note = _top_of(frame, top_n=top_n, marked=marked, lang=lang)
    shown = _labelled(shown, lang)
    fig = go.Figure()
    for group in _legend_order(shown, lang):
        fig.add_trace(_group_bars(shown[shown["_group"] == group], group, is_percent=is_percent,
                                  marked=marked, lang=lang))
    _mark_average(fig, average, lang)
    _ranking_axes(fig, shown, marked=marked, is_percent=is_percent, lang=lang)
    return finish(fig, lang=lang, title=_ranking_title(table, title, note, lang),
                  height=max(450, 170 + 30 * len(shown)))


def _top_of(frame: pd.DataFrame, *, top_n: int | None, marked: set[str],
            lang: str) -> tuple[pd.DataFrame, str]:
    """The rows to draw (the top, plus highlighted units) and the note saying so ("" when all)."""
    total = len(frame)
    limit = top_n if top_n is not None else (DEFAULT_TOP_N if total > MAX_FULL_UNITS else None)
    if limit is None or limit >= total:
        return frame, ""
    keep = (np.arange(total) < limit) | frame["unit_id"].astype(str).isin(marked).to_numpy()
    return frame[keep], t("chart.ranking.top", lang, shown=min(limit, total), total=total)


def _labelled(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` plus the category name, the group as stored ("" for none; charts name it in
    the language, colour it by the stored value) and the rank-change arrow."""
    groups = column_or(frame, "group", None)
    change = column_or(frame, "change", pd.NA)
    is_new = column_or(frame, "is_new", False)
    return frame.assign(
        _name=unique_names(frame),
        _group=["" if is_missing(g) else str(g).strip() for g in groups],
        _arrow=[change_label(c, n, lang) for c, n in zip(change, is_new, strict=True)],
    )


def _legend_order(frame: pd.DataFrame, lang: str) -> list[str]:
    """Stored groups best first, units without a group ("") last."""
    order = group_order(g for g in frame["_group"] if g)
    return order + ([""] if (frame["_group"] == "").any() else [])


def _group_bars(part: pd.DataFrame, group: str, *, is_percent: bool, marked: set[str],
                lang: str) -> go.Bar:
    """One group's bars (``group`` as stored, "" for none), named in ``lang``: score and
    arrow in the bar, the full story on hover, outlines."""
    legend = group_label(group, lang)
    percent = as_float(part["percent"])
    bar_text = [f"{score_text(s, is_percent and not math.isnan(p), lang)}  {a}".rstrip()
                for s, p, a in zip(part["_score"], percent, part["_arrow"], strict=True)]
    hover = [
        f"<b>{name}</b><br>{t('chart.hover.rank', lang)}: "
        f"{'' if math.isnan(r) else int(r)} {a}<br>"
        f"{t('chart.hover.score', lang)}: {score_text(s, not math.isnan(p), lang)}<br>"
        f"{t('chart.hover.group', lang)}: {legend}"
        for name, r, s, p, a in zip(part["unit"], part["_rank"], part["_score"], percent,
                                    part["_arrow"], strict=True)
    ]
    outlined = part["unit_id"].astype(str).isin(marked).to_numpy()
    colour = group_color(group or None)
    return go.Bar(
        x=part["_score"].to_numpy(), y=part["_name"].tolist(), orientation="h", name=legend,
        marker={"color": colour,
                "line": {"color": "#000000", "width": [3 if o else 0 for o in outlined]}},
        text=bar_text,
        # Inside the bar at its base when it fits, far left of the average line, which
        # would otherwise run through the labels of bars ending near it; a bar too short
        # for its label keeps it outside.
        textposition="auto", insidetextanchor="start", textfont={"size": SMALL_FONT_SIZE},
        insidetextfont={"size": SMALL_FONT_SIZE, "color": text_color_on(colour)},
        outsidetextfont={"size": SMALL_FONT_SIZE, "color": TEXT_COLOR},
        constraintext="none", cliponaxis=False,
        hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
    )


def _mark_average(fig: go.Figure, average: float, lang: str) -> None:
    """The dashed vertical line at the block average (none when nothing is scored)."""
    if math.isnan(average):
        return
    fig.add_vline(
        x=average, line_dash="dash", line_color="#000000", line_width=3, layer="above",
        annotation_text=t("chart.average", lang, value=format_number(average, lang)),
        annotation_position="top", annotation_font={"size": SMALL_FONT_SIZE},
    )


def _ranking_axes(fig: go.Figure, frame: pd.DataFrame, *, marked: set[str], is_percent: bool,
                  lang: str) -> None:
    """Units top-down in rank order (highlighted ones in bold); scores with room for text."""
    names = frame["_name"].tolist()
    ticktext = [f"<b>{n}</b>" if u in marked else n
                for n, u in zip(names, frame["unit_id"].astype(str), strict=True)]
    upper = float(np.nanmax(frame["_score"])) if frame["_score"].notna().any() else 1.0
    fig.update_yaxes(categoryorder="array", categoryarray=names, autorange="reversed",
                     tickmode="array", tickvals=names, ticktext=ticktext, showgrid=False)
    fig.update_xaxes(title_text=score_axis_title(is_percent, lang),
                     range=[0, max(upper, 0.0) * 1.18 or 1.0], showgrid=True)
    fig.update_layout(barmode="relative", legend={
        "traceorder": "normal", "title": {"text": t("chart.hover.group", lang)}})


def _ranking_title(table: pd.DataFrame, title: str | None, note: str, lang: str) -> str:
    """``title``, or "Kết quả xếp hạng kỳ 2024 — thành phần 1"; the top-of note under it."""
    if title is None:
        period = str(table["period"].iloc[0]) if "period" in table else ""
        title = t("chart.ranking.title", lang, period=period_label(period, lang))
        if "component" in table and str(table["component"].iloc[0]) not in ("TOTAL", "", "nan"):
            title += t("chart.ranking.component", lang, component=table["component"].iloc[0])
    if note:
        title = f"{title}<br><span style='font-size:{BASE_FONT_SIZE}px'>({note})</span>"
    return title
