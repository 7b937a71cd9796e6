"""Plotly figures for the dashboard, the exports and the meeting deck; never drawn here.

One module per family: ``base`` (the shared look), ``ranking``, ``trends``, ``components``,
``indices``, ``discipline`` and ``satisfaction``. Every function takes frames from
``reform.analysis`` (or built the same way) and returns a ``plotly.graph_objects.Figure``
that pages pass to ``st.plotly_chart``. The public names are re-exported here, so pages
write ``charts.ranking_bars(...)``.
"""
from reform.present.charts.base import (
    GROUP_COLORS,
    SCORE_BAR_COLOR,
    SMALL_FONT_SIZE,
    UNIT_PALETTE,
    empty_figure,
    group_color,
    text_color_on,
)
from reform.present.charts.components import (
    compare_units,
    component_heatmap,
    heatmap_range,
    profile_bars,
)
from reform.present.charts.discipline import category_bars, discipline_calendar, monthly_trend
from reform.present.charts.indices import correlation_heatmap, scatter_indices
from reform.present.charts.ranking import ranking_bars
from reform.present.charts.satisfaction import element_gap_bars
from reform.present.charts.trends import distribution, movers_bars, rank_bump, trend_lines

__all__ = [
    "GROUP_COLORS", "SCORE_BAR_COLOR", "SMALL_FONT_SIZE", "UNIT_PALETTE",
    "category_bars", "compare_units", "component_heatmap", "correlation_heatmap",
    "discipline_calendar", "distribution", "element_gap_bars", "empty_figure", "group_color",
    "heatmap_range", "monthly_trend", "movers_bars", "profile_bars", "rank_bump",
    "ranking_bars", "scatter_indices", "text_color_on", "trend_lines",
]
