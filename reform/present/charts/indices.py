"""Charts across indices: the correlation matrix and two indices unit by unit."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from reform.core.errors import require_lang
from reform.core.i18n import format_number, t
from reform.present.charts.base import (
    BASE_FONT_SIZE,
    SMALL_FONT_SIZE,
    check_input,
    finish,
    no_data,
    wrap,
)
from reform.present.frames import as_float
from reform.present.labels import index_label


def correlation_heatmap(corr: pd.DataFrame, *, lang: str = "vi") -> go.Figure:
    """A correlation matrix on a diverging red–blue scale fixed at −1…1, values in the cells.

    Index codes (PAR, SIPAS …) are shown with their display names.
    Returns the figure (one heatmap trace); an ``empty_figure`` for an empty matrix.
    """
    require_lang(lang)
    if corr.empty:
        return no_data(lang)
    xs = [index_label(str(c), lang) for c in corr.columns]
    ys = [index_label(str(c), lang) for c in corr.index]
    fig = go.Figure(go.Heatmap(
        z=corr.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float),
        x=xs, y=ys, zmin=-1, zmax=1, zmid=0, colorscale="RdBu",
        texttemplate="%{z:.2f}", textfont={"size": BASE_FONT_SIZE},
        colorbar={"title": {"text": "r"}, "thickness": 18}, xgap=2, ygap=2,
        hovertemplate="%{y} × %{x}: r = %{z:.2f}<extra></extra>",
    ))
    fig.update_xaxes(tickmode="array", tickvals=xs, ticktext=[wrap(x) for x in xs],
                     showgrid=False)
    fig.update_yaxes(autorange="reversed", showgrid=False)
    return finish(fig, lang=lang, title=t("chart.corr.title", lang),
                   height=max(480, 220 + 90 * len(ys)), showlegend=False)




SCATTERGL_FROM = 1000
"""Above this many points the scatter switches to WebGL so the browser stays responsive."""

SCATTER_TITLE_WIDTH = 40
"""Beyond this many characters a scatter title breaks before "và"/"and": two index names
at title size overflow a laptop's chart width (about 800 px) on one line."""


def scatter_indices(
    frame: pd.DataFrame, x: str, y: str, *, lang: str = "vi", label_outliers: int = 5
) -> go.Figure:
    """Units placed by two indices (columns ``x`` and ``y`` of the cross-index frame), one
    point trace with unit names on hover, the least-squares line, Pearson's r in the
    subtitle (the title names both indices, on two lines when long),
    and the ``label_outliers`` units furthest from the line named on the chart.

    Units missing either index are left out. Without at least three units and some spread
    in ``x`` there is no line and no r.
    Returns the figure; an ``empty_figure`` when no unit has both indices.
    Raises ``UsageError`` when ``x`` or ``y`` is not a column.
    """
    check_input(frame, ["unit", x, y], "cross-index", lang)
    data = frame.assign(_x=as_float(frame[x]), _y=as_float(frame[y])).dropna(
        subset=["_x", "_y"])
    if data.empty:
        return no_data(lang)
    xs, ys = data["_x"].to_numpy(), data["_y"].to_numpy()
    names = data["unit"].astype(str).tolist()
    x_label, y_label = index_label(x, lang), index_label(y, lang)
    fig = go.Figure(_points(xs, ys, names, x_label, y_label, lang))
    subtitle = ""
    if len(data) >= 3 and float(np.ptp(xs)) > 0:
        subtitle = _add_fit(fig, xs, ys, names, label_outliers=label_outliers, lang=lang)
    fig.update_xaxes(title_text=x_label, showgrid=True)
    fig.update_yaxes(title_text=y_label, showgrid=True)
    fig = finish(fig, lang=lang, title=_scatter_title(x_label, y_label, lang), height=620)
    # r on its own smaller line: two long index names and r do not fit one line of a laptop.
    fig.update_layout(title={"subtitle": {"text": subtitle,
                                          "font": {"size": BASE_FONT_SIZE, "color": "#444444"}},
                             # Anchored on the plot and pushing the margin: a title of
                             # two lines and a subtitle never leave the figure at the top.
                             "yref": "paper", "y": 1, "yanchor": "bottom", "automargin": True,
                             "pad": {"b": 40}},
                      margin={"t": 40})
    return fig


def _points(xs: np.ndarray, ys: np.ndarray, names: list[str], x_label: str, y_label: str,
            lang: str) -> go.Scatter | go.Scattergl:
    """The units as one marker trace (WebGL beyond ``SCATTERGL_FROM``), names on hover."""
    trace_type = go.Scattergl if len(xs) > SCATTERGL_FROM else go.Scatter
    few = len(xs) <= 200
    return trace_type(
        x=xs, y=ys, mode="markers", name=t("chart.scatter.units", lang),
        marker={"color": "#0072B2", "size": 11 if few else 6, "opacity": 0.85 if few else 0.5,
                "line": {"color": "white", "width": 1}},
        hovertext=names,
        hovertemplate=f"<b>%{{hovertext}}</b><br>{x_label}: %{{x:.2f}}<br>"
                      f"{y_label}: %{{y:.2f}}<extra></extra>",
    )


def _scatter_title(x_label: str, y_label: str, lang: str) -> str:
    """"Y và X", broken before "và"/"and" when too long for one line."""
    title = t("chart.scatter.title_no_r", lang, x=x_label, y=y_label)
    if len(title) > SCATTER_TITLE_WIDTH:
        title = t("chart.scatter.title_two_lines", lang, x=x_label, y=y_label)
    return title


def _add_fit(fig: go.Figure, xs: np.ndarray, ys: np.ndarray, names: list[str], *,
             label_outliers: int, lang: str) -> str:
    """Draw the least-squares line and name the units furthest from it.

    Returns the subtitle with Pearson's r; "" when ``ys`` has no spread.
    """
    slope, intercept = np.polyfit(xs, ys, 1)
    ends = np.array([xs.min(), xs.max()])
    fig.add_trace(go.Scatter(
        x=ends, y=slope * ends + intercept, mode="lines", name=t("chart.scatter.trend", lang),
        line={"color": "#D55E00", "width": 3}, hoverinfo="skip",
    ))
    residual = np.abs(ys - (slope * xs + intercept))
    for i in np.argsort(-residual, kind="stable")[:max(label_outliers, 0)]:
        fig.add_annotation(
            x=float(xs[i]), y=float(ys[i]), text=names[i], showarrow=True, arrowhead=0,
            ax=0, ay=-30, font={"size": SMALL_FONT_SIZE}, bgcolor="rgba(255,255,255,0.8)",
        )
    if float(np.ptp(ys)) <= 0:
        return ""
    r = float(np.corrcoef(xs, ys)[0, 1])
    return t("chart.scatter.r", lang, r=format_number(r, lang))
