"""Discipline charts from inspection records: the monthly rate, units × months, categories."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from reform.core import config
from reform.core.i18n import format_number, t
from reform.core.text import sort_vietnamese
from reform.present.charts.base import (
    MAX_CELL_TEXT_ROWS,
    SMALL_FONT_SIZE,
    check_input,
    finish,
    limit_rows,
    no_data,
)
from reform.present.frames import as_float
from reform.present.labels import period_label

MONTHLY_COLUMNS = ["period", "unit_id", "unit", "violations", "officials_checked", "rate_per_100"]


def monthly_trend(monthly: pd.DataFrame, *, lang: str = "vi") -> go.Figure:
    """Violations per 100 officials checked, all units together, month by month.

    The rate is total violations / total officials checked × 100 per month (not the mean of
    units' rates, which would weigh a unit checked once like one checked a hundred times);
    a month with nobody checked has no point.
    Returns the figure (one line trace); an ``empty_figure`` without rows.
    Raises ``UsageError`` for a missing column.
    """
    check_input(monthly, ["period", "violations", "officials_checked"], "monthly", lang)
    if monthly.empty:
        return no_data(lang)
    totals = (monthly.assign(period=monthly["period"].astype(str),
                             violations=as_float(monthly["violations"]),
                             officials_checked=as_float(monthly["officials_checked"]))
              .groupby("period")[["violations", "officials_checked"]].sum().sort_index())
    checked = totals["officials_checked"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(checked > 0, totals["violations"].to_numpy() / checked * 100, np.nan)
    labels = [period_label(p, lang) for p in totals.index]
    fig = go.Figure(go.Scatter(
        x=labels, y=rate, mode="lines+markers+text" if len(labels) <= 24 else "lines+markers",
        text=[format_number(r, lang, 1) for r in rate], textposition="top center",
        textfont={"size": SMALL_FONT_SIZE}, name=t("chart.monthly.axis", lang),
        line={"color": "#D55E00", "width": 4}, marker={"size": 10},
        hovertext=[
            f"<b>{lab}</b><br>{t('chart.monthly.violations', lang)}: {format_number(v, lang, 0)}"
            f"<br>{t('chart.monthly.checked', lang)}: {format_number(c, lang, 0)}"
            f"<br>{t('chart.monthly.axis', lang)}: {format_number(r, lang)}"
            for lab, v, c, r in zip(labels, totals["violations"], checked, rate, strict=True)
        ],
        hovertemplate="%{hovertext}<extra></extra>", cliponaxis=False,
    ))
    fig.update_xaxes(categoryorder="array", categoryarray=labels, showgrid=False)
    fig.update_yaxes(title_text=t("chart.monthly.axis", lang), rangemode="tozero", showgrid=True)
    return finish(fig, lang=lang, title=t("chart.monthly.title", lang), height=520,
                   showlegend=False)


def discipline_calendar(monthly: pd.DataFrame, *, lang: str = "vi") -> go.Figure:
    """Units (rows, Vietnamese alphabetical order) × months heatmap of ``rate_per_100``,
    darker = more violations; values in the cells while there are at most 40 units. Beyond
    ``config.HEATMAP_MAX_ROWS`` units, those with the highest mean rate, worst first, and a
    note under the chart saying so.

    Returns the figure (one heatmap trace); an ``empty_figure`` without rows.
    Raises ``UsageError`` for a missing column.
    """
    check_input(monthly, ["period", "unit", "rate_per_100"], "monthly", lang)
    if monthly.empty:
        return no_data(lang)
    frame = monthly.assign(period=monthly["period"].astype(str), unit=monthly["unit"].astype(str),
                           _rate=as_float(monthly["rate_per_100"]))
    wide = frame.pivot_table(index="unit", columns="period", values="_rate", aggfunc="mean",
                             dropna=False)
    periods = sorted(wide.columns)
    total = len(wide)
    if total > config.HEATMAP_MAX_ROWS:  # the units most in need of attention, worst first
        wide = limit_rows(wide.reindex(columns=periods), config.HEATMAP_MAX_ROWS, extremes=False)
        units = [str(u) for u in wide.index]
    else:
        units = sort_vietnamese(wide.index)
        wide = wide.reindex(index=units, columns=periods)
    note = "" if len(units) == total else t("chart.calendar.top", lang, shown=len(units),
                                            total=total)
    labels = [period_label(p, lang) for p in periods]
    small = len(units) <= MAX_CELL_TEXT_ROWS
    z = wide.to_numpy(dtype="float32")
    # Plotly ignores zmin unless zmax is set too; 0 must stay the lightest colour.
    top = float(np.nanmax(z)) if np.isfinite(z).any() else 0.0
    fig = go.Figure(go.Heatmap(
        z=z, x=labels, y=units, colorscale="OrRd", zmin=0, zmax=max(top, 1.0),
        colorbar={"title": {"text": "/100"}, "thickness": 18},
        texttemplate="%{z:.1f}" if small else None, textfont={"size": SMALL_FONT_SIZE},
        hovertemplate=f"<b>%{{y}}</b><br>%{{x}}: %{{z:.2f}} {t('chart.monthly.axis', lang)}"
                      "<extra></extra>",
        xgap=1 if small else 0, ygap=1 if small else 0,
    ))
    fig.update_xaxes(categoryorder="array", categoryarray=labels, side="top", showgrid=False)
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig = finish(fig, lang=lang, title=t("chart.calendar.title", lang), showlegend=False,
                 height=max(420, min(2400, 240 + (34 if small else 6) * len(units))), note=note)
    fig.update_layout(margin={"t": 160})
    return fig


def category_bars(categories: pd.DataFrame, *, lang: str = "vi") -> go.Figure:
    """Violations per inspection category, most frequent on top, the count beside each bar.

    Returns the figure (one bar trace); an ``empty_figure`` without rows.
    Raises ``UsageError`` for a missing column.
    """
    check_input(categories, ["category", "name", "violations"], "categories", lang)
    if categories.empty:
        return no_data(lang)
    frame = categories.assign(_n=as_float(categories["violations"])).sort_values(
        "_n", ascending=False, kind="stable")
    names = [str(n) if str(n) else str(c)
             for n, c in zip(frame["name"], frame["category"], strict=True)]
    fig = go.Figure(go.Bar(
        x=frame["_n"].to_numpy(), y=names, orientation="h", marker={"color": "#D55E00"},
        text=[format_number(v, lang, 0) for v in frame["_n"]], textposition="outside",
        cliponaxis=False, textfont={"size": SMALL_FONT_SIZE},
        hovertemplate="<b>%{y}</b>: %{x}<extra></extra>",
    ))
    fig.update_yaxes(categoryorder="array", categoryarray=names, autorange="reversed",
                     showgrid=False)
    upper = float(np.nanmax(frame["_n"])) if frame["_n"].notna().any() else 1.0
    fig.update_xaxes(range=[0, max(upper, 1.0) * 1.15], title_text=t("chart.category.axis", lang),
                     showgrid=True)
    return finish(fig, lang=lang, title=t("chart.category.title", lang),
                   height=max(400, 180 + 48 * len(names)), showlegend=False)
