"""The SIPAS element chart: satisfaction beside expectation for each of the five elements.

``reform.charts`` has no grouped chart of two measures per element, so it lives here, with
the same projector-friendly look (``charts._finish``: fonts, separators per language).
Returns Plotly figures; pages draw them.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from reform.core import config
from reform.core.errors import UsageError
from reform.core.i18n import LANGS, format_number, format_signed, t
from reform.present import charts

SATISFACTION_COLOR = "#0072B2"
"""Blue for what citizens got (Okabe–Ito, readable by colour-blind viewers)."""

EXPECTATION_COLOR = "#E69F00"
"""Orange for what they expected, the other Okabe–Ito pole."""



def element_gap_bars(gaps: pd.DataFrame, *, period: str = "", lang: str = "vi",
                     target: float = config.SIPAS_TARGET_PERCENT) -> go.Figure:
    """Grouped horizontal bars per SIPAS element: satisfaction (blue) and expectation
    (orange), the gap ("+6,20") printed beside the expectation bar, a dashed line at the
    satisfaction ``target``; elements in the frame's order from the top (``element_gaps``
    sorts the largest gap first).

    ``gaps`` has the columns of ``satisfaction.element_gaps``: element, element_name,
    satisfaction, expectation, gap. Returns the figure (two bar traces); an
    ``empty_figure`` without rows. Raises :class:`UsageError` for a missing column or an
    unknown ``lang``.
    """
    if lang not in LANGS:
        raise UsageError(f"Ngôn ngữ '{lang}' không được hỗ trợ.", f"Language '{lang}' is not supported.")
    missing = [c for c in ("element", "element_name", "satisfaction", "expectation", "gap")
               if c not in gaps.columns]
    if missing:
        raise UsageError(f"Bảng yếu tố thiếu cột: {', '.join(missing)}.",
                         f"The element frame lacks the columns: {', '.join(missing)}.")
    if gaps.empty:
        return charts.empty_figure(t("chart.sipas.no_data", lang))
    names = [str(n) if str(n) else str(e)
             for n, e in zip(gaps["element_name"], gaps["element"], strict=True)]
    satisfaction = gaps["satisfaction"].astype("float64").to_numpy()
    expectation = gaps["expectation"].astype("float64").to_numpy()
    gap_text = [format_signed(g, lang) for g in gaps["gap"].astype("float64")]
    fig = go.Figure([
        go.Bar(y=names, x=satisfaction, orientation="h", name=t("chart.sipas.satisfaction", lang),
               marker={"color": SATISFACTION_COLOR},
               text=[format_number(v, lang, 1) for v in satisfaction], textposition="inside",
               insidetextanchor="end", textfont={"color": "white", "size": charts.SMALL_FONT_SIZE},
               hovertemplate="<b>%{y}</b><br>" + t("chart.sipas.satisfaction", lang) + ": %{x:.2f}<extra></extra>"),
        go.Bar(y=names, x=expectation, orientation="h", name=t("chart.sipas.expectation", lang),
               marker={"color": EXPECTATION_COLOR},
               text=[f"{format_number(v, lang, 1)} ({t('chart.sipas.gap', lang).lower()} {g})"
                     for v, g in zip(expectation, gap_text, strict=True)],
               textposition="outside", cliponaxis=False,
               textfont={"size": charts.SMALL_FONT_SIZE},
               hovertemplate="<b>%{y}</b><br>" + t("chart.sipas.expectation", lang) + ": %{x:.2f}<extra></extra>"),
    ])
    fig.add_vline(x=target, line={"color": "#555", "dash": "dash", "width": 2},
                  annotation_text=t("chart.sipas.target", lang, target=format_number(target, lang, 0)),
                  annotation_position="top")
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05)
    fig.update_yaxes(categoryorder="array", categoryarray=names, autorange="reversed", showgrid=False)
    fig.update_xaxes(range=[0, 125], title_text=t("chart.sipas.axis", lang), showgrid=True)
    title = t("chart.sipas.title_period", lang, period=period) if period else t("chart.sipas.title", lang)
    fig = charts._finish(fig, lang=lang, title=title, height=max(460, 200 + 90 * len(names)))
    fig.update_layout(legend={"orientation": "h", "y": -0.15, "x": 0})
    return fig
