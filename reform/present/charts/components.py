"""Charts of one index's components: the unit × field heatmap, a unit's profile against its
block, and up to five units compared field by field."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from reform.core import config
from reform.core.errors import UsageError, require_lang
from reform.core.i18n import format_number, t
from reform.present.charts.base import (
    DARK_GREEN,
    MAX_CELL_TEXT_ROWS,
    MAX_COMPARE_UNITS,
    SMALL_FONT_SIZE,
    UNIT_PALETTE,
    check_input,
    finish,
    limit_rows,
    no_data,
    wrap,
)
from reform.present.frames import as_float, display_scores


def component_heatmap(matrix: pd.DataFrame, *, lang: str = "vi") -> go.Figure:
    """Units (rows, in the matrix's order, first on top) × components (columns), coloured by
    % of maximum on a sequential scale from the lowest value (rounded down) to 100, so that
    the differences between units show even when every score is high; values printed in the
    cells while there are at most 40 units. The title sits above the column labels. Beyond
    ``config.HEATMAP_MAX_ROWS`` units, the highest and lowest by their mean are drawn and a
    note under the chart says so (``base.limit_rows``).

    Returns the figure (one heatmap trace); an ``empty_figure`` for an empty matrix.
    """
    require_lang(lang)
    if matrix.empty:
        return no_data(lang)
    total = len(matrix)
    matrix = limit_rows(matrix, config.HEATMAP_MAX_ROWS, extremes=True)
    note = "" if len(matrix) == total else t(
        "chart.heatmap.extremes", lang, half=config.HEATMAP_MAX_ROWS // 2, total=total)
    units = [str(u) for u in matrix.index]
    components = [str(c) for c in matrix.columns]
    small = len(units) <= MAX_CELL_TEXT_ROWS
    z = matrix.apply(pd.to_numeric, errors="coerce").to_numpy(dtype="float32")
    zmin, zmax = heatmap_range(z)
    fig = go.Figure(go.Heatmap(
        z=z, x=components, y=units, zmin=zmin, zmax=zmax, colorscale="YlGnBu",
        colorbar={"title": {"text": "%"}, "ticksuffix": " %", "thickness": 18},
        texttemplate="%{z:.1f}" if small else None,
        textfont={"size": SMALL_FONT_SIZE},
        hovertemplate="<b>%{y}</b><br>%{x}: %{z:.2f} %<extra></extra>",
        xgap=1 if small else 0, ygap=1 if small else 0,
    ))
    fig.update_xaxes(tickmode="array", tickvals=components,
                     ticktext=[wrap(c) for c in components], side="top", showgrid=False)
    fig.update_yaxes(autorange="reversed", showgrid=False)
    height = min(2400, 260 + (34 if small else 6) * len(units))
    fig = finish(fig, lang=lang, title=t("chart.heatmap.title", lang), height=max(420, height),
                 showlegend=False, note=note)
    # Column labels on top grow upwards (rotated on a narrow screen): a title at a fixed
    # place in the margin would sit on them, so the title pushes the margin clear of them.
    fig.update_layout(title={"yref": "container", "automargin": True, "pad": {"b": 12}},
                      margin={"t": 40})
    return fig


def heatmap_range(z: np.ndarray, *, top: float = 100.0) -> tuple[float, float]:
    """The colour range of a % heatmap: the lowest value rounded down to a whole number, to
    ``top`` (or the highest value rounded up, when above it); (0, ``top``) without values.

    >>> heatmap_range(np.array([[64.2, 91.0], [np.nan, 100.0]]))
    (64.0, 100.0)
    """
    finite = np.asarray(z, dtype=float)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return 0.0, top
    high = max(top, float(math.ceil(finite.max())))
    low = float(math.floor(finite.min()))
    return min(low, high - 1.0), high


def profile_bars(strengths: pd.DataFrame, *, lang: str = "vi", unit_name: str = "") -> go.Figure:
    """Per field, the unit's % of maximum beside the block average and the block's best
    (grouped horizontal bars, the unit's best field at the top, its weakest at the bottom).

    ``block_average`` and ``block_best`` are read as % of maximum, like ``percent``.
    Returns the figure (three bar traces); an ``empty_figure`` without rows.
    Raises ``UsageError`` for a missing column.
    """
    check_input(strengths, ["component", "name", "percent", "block_average", "block_best"],
                "strengths", lang)
    if strengths.empty:
        return no_data(lang)
    # By the unit's own score, so the eye reads strengths to weaknesses down the chart.
    strengths = strengths.sort_values("percent", ascending=False, kind="stable",
                                      na_position="last")
    names = [str(n) if str(n) else str(c)
             for n, c in zip(strengths["name"], strengths["component"], strict=True)]
    unit = unit_name or t("chart.profile.unit", lang)
    fig = go.Figure()
    for column, label, colour in (
        ("percent", unit, "#0072B2"),
        ("block_average", t("chart.profile.average", lang), "#9a9a9a"),
        ("block_best", t("chart.profile.best", lang), DARK_GREEN),
    ):
        values = as_float(strengths[column])
        fig.add_trace(go.Bar(
            x=values, y=names, orientation="h", name=label, marker={"color": colour},
            text=[format_number(v, lang, 1) for v in values] if column == "percent" else None,
            textposition="outside", cliponaxis=False, textfont={"size": SMALL_FONT_SIZE},
            hovertemplate=f"{label}<br>%{{y}}: %{{x:.2f}} %<extra></extra>",
        ))
    fig.update_yaxes(categoryorder="array", categoryarray=names, autorange="reversed",
                     tickmode="array", tickvals=names, ticktext=[wrap(n, 28) for n in names],
                     showgrid=False)
    fig.update_xaxes(range=[0, 110], title_text=t("chart.axis.percent", lang), showgrid=True)
    fig.update_layout(barmode="group", bargap=0.25, legend={"orientation": "h", "y": -0.12})
    title = t("chart.profile.title", lang) + (f": {unit_name}" if unit_name else "")
    return finish(fig, lang=lang, title=title, height=max(460, 200 + 90 * len(names)))


def _long_to_matrix(frame: pd.DataFrame) -> pd.DataFrame:
    """A long ranking table (unit, component, percent) as a units × components matrix."""
    units = list(dict.fromkeys(frame["unit"].astype(str)))
    components = list(dict.fromkeys(frame["component"].astype(str)))
    scores, _ = display_scores(frame)
    wide = (frame.assign(_score=scores, unit=frame["unit"].astype(str),
                         component=frame["component"].astype(str))
            .pivot_table(index="unit", columns="component", values="_score", aggfunc="mean",
                         dropna=False))
    return wide.reindex(index=units, columns=components)


def compare_units(table_or_matrix: pd.DataFrame, *, lang: str = "vi") -> go.Figure:
    """Up to five units side by side on each component: grouped bars, one colour per unit.

    Takes a matrix (rows = units, columns = components, values %) or a long table with
    ``unit``, ``component`` and ``percent`` columns, which is pivoted first.
    Returns the figure (one bar trace per unit); an ``empty_figure`` without units.
    Raises ``UsageError`` when more than five units are given.
    """
    require_lang(lang)
    matrix = table_or_matrix
    if {"unit", "component", "percent"} <= set(table_or_matrix.columns):
        matrix = _long_to_matrix(table_or_matrix)
    if matrix.empty:
        return no_data(lang)
    if len(matrix) > MAX_COMPARE_UNITS:
        raise UsageError.of("chart.too_many_compared", most=MAX_COMPARE_UNITS, n=len(matrix))
    components = [str(c) for c in matrix.columns]
    fig = go.Figure()
    for i, (unit, row) in enumerate(matrix.iterrows()):
        values = pd.to_numeric(row, errors="coerce").to_numpy(dtype=float)
        fig.add_trace(go.Bar(
            x=components, y=values, name=str(unit), marker={"color": UNIT_PALETTE[i]},
            hovertemplate=f"<b>{unit}</b><br>%{{x}}: %{{y:.2f}} %<extra></extra>",
        ))
    fig.update_xaxes(tickmode="array", tickvals=components,
                     ticktext=[wrap(c, 16) for c in components], showgrid=False)
    fig.update_yaxes(range=[0, 105], title_text=t("chart.axis.percent", lang), showgrid=True)
    fig.update_layout(barmode="group", bargap=0.2, legend={"orientation": "h", "y": 1.08})
    return finish(fig, lang=lang, title=t("chart.compare.title", lang), height=600)
