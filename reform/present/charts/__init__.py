"""Plotly figures for the dashboard, the exports and the meeting deck; never drawn here.

One module per family: ``base`` (the shared look), ``ranking``, ``trends``, ``components``,
``indices``, ``discipline`` and ``satisfaction``. Every function takes frames from
``reform.analysis`` (or built the same way) and returns a ``plotly.graph_objects.Figure``
that pages pass to ``st.plotly_chart``. The public names are re-exported here, so pages
write ``charts.ranking_bars(...)``; re-exported, each remembers its recent figures
(``memo.memoized``): a rerun that draws the same frames again builds nothing. Figures are
therefore shared: never change one in place.
"""
from reform.present.charts import components as _components
from reform.present.charts import discipline as _discipline
from reform.present.charts import indices as _indices
from reform.present.charts import ranking as _ranking
from reform.present.charts import satisfaction as _satisfaction
from reform.present.charts import trends as _trends
from reform.present.charts.base import (
    GROUP_COLORS,
    SCORE_BAR_COLOR,
    SMALL_FONT_SIZE,
    UNIT_PALETTE,
    empty_figure,
    group_color,
    text_color_on,
)
from reform.present.charts.components import heatmap_range
from reform.present.charts.memo import memoized

compare_units = memoized(_components.compare_units)
component_heatmap = memoized(_components.component_heatmap)
profile_bars = memoized(_components.profile_bars)
category_bars = memoized(_discipline.category_bars)
discipline_calendar = memoized(_discipline.discipline_calendar)
monthly_trend = memoized(_discipline.monthly_trend)
correlation_heatmap = memoized(_indices.correlation_heatmap)
scatter_indices = memoized(_indices.scatter_indices)
ranking_bars = memoized(_ranking.ranking_bars)
element_gap_bars = memoized(_satisfaction.element_gap_bars)
distribution = memoized(_trends.distribution)
movers_bars = memoized(_trends.movers_bars)
rank_bump = memoized(_trends.rank_bump)
trend_lines = memoized(_trends.trend_lines)

__all__ = [
    "GROUP_COLORS", "SCORE_BAR_COLOR", "SMALL_FONT_SIZE", "UNIT_PALETTE",
    "category_bars", "compare_units", "component_heatmap", "correlation_heatmap",
    "discipline_calendar", "distribution", "element_gap_bars", "empty_figure", "group_color",
    "heatmap_range", "monthly_trend", "movers_bars", "profile_bars", "rank_bump",
    "ranking_bars", "scatter_indices", "text_color_on", "trend_lines",
]
