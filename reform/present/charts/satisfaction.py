"""The SIPAS element chart: satisfaction beside expectation for each of the five elements."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from reform.core import config
from reform.core.i18n import format_number, format_signed, t
from reform.present.charts.base import SMALL_FONT_SIZE, check_input, empty_figure, finish

SATISFACTION_COLOR = "#0072B2"
"""Blue for what citizens got (Okabe–Ito, readable by colour-blind viewers)."""

EXPECTATION_COLOR = "#E69F00"
"""Orange for what they expected, the other Okabe–Ito pole."""

GAP_COLUMNS = ["element", "element_name", "satisfaction", "expectation", "gap"]


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
    check_input(gaps, GAP_COLUMNS, "elements", lang)
    if gaps.empty:
        return empty_figure(t("chart.sipas.no_data", lang))
    names = [str(n) if str(n) else str(e)
             for n, e in zip(gaps["element_name"], gaps["element"], strict=True)]
    fig = go.Figure([_satisfaction_bars(gaps, names, lang), _expectation_bars(gaps, names, lang)])
    fig.add_vline(x=target, line={"color": "#555", "dash": "dash", "width": 2},
                  annotation_text=t("chart.sipas.target", lang,
                                    target=format_number(target, lang, 0)),
                  annotation_position="top")
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05)
    fig.update_yaxes(categoryorder="array", categoryarray=names, autorange="reversed",
                     showgrid=False)
    fig.update_xaxes(range=[0, 125], title_text=t("chart.sipas.axis", lang), showgrid=True)
    title = (t("chart.sipas.title_period", lang, period=period) if period
             else t("chart.sipas.title", lang))
    fig = finish(fig, lang=lang, title=title, height=max(460, 200 + 90 * len(names)))
    fig.update_layout(legend={"orientation": "h", "y": -0.15, "x": 0})
    return fig


def _satisfaction_bars(gaps: pd.DataFrame, names: list[str], lang: str) -> go.Bar:
    """Satisfaction per element, the value inside the bar."""
    label = t("chart.sipas.satisfaction", lang)
    values = gaps["satisfaction"].astype("float64").to_numpy()
    return go.Bar(
        y=names, x=values, orientation="h", name=label, marker={"color": SATISFACTION_COLOR},
        text=[format_number(v, lang, 1) for v in values], textposition="inside",
        insidetextanchor="end", textfont={"color": "white", "size": SMALL_FONT_SIZE},
        hovertemplate="<b>%{y}</b><br>" + label + ": %{x:.2f}<extra></extra>")


def _expectation_bars(gaps: pd.DataFrame, names: list[str], lang: str) -> go.Bar:
    """Expectation per element, with the gap printed beside the bar."""
    label = t("chart.sipas.expectation", lang)
    values = gaps["expectation"].astype("float64").to_numpy()
    gap_word = t("chart.sipas.gap", lang).lower()
    gap_text = [format_signed(g, lang) for g in gaps["gap"].astype("float64")]
    return go.Bar(
        y=names, x=values, orientation="h", name=label, marker={"color": EXPECTATION_COLOR},
        text=[f"{format_number(v, lang, 1)} ({gap_word} {g})"
              for v, g in zip(values, gap_text, strict=True)],
        textposition="outside", cliponaxis=False, textfont={"size": SMALL_FONT_SIZE},
        hovertemplate="<b>%{y}</b><br>" + label + ": %{x:.2f}<extra></extra>")
