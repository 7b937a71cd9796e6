"""Thành phần / Components: every unit's % of maximum in each field as a heatmap, the ranking
by one component, and how the fields correlate."""
import streamlit as st

from reform.app import ui
from reform.core.errors import ReformError
from reform.present import charts
from reform.present.pages import components

# Inputs
data = ui.require_data()
scope = ui.scope()
lang = ui.lang()

st.title(ui.tr("components.title"))
ui.sample_banner()
component = ui.component_picker(data, scope, key="component")

# Compute
try:
    view = ui.computed(components.build_components, index=scope.index, period=scope.period,
                       level=scope.level, component=component)
except ReformError as error:
    ui.no_data(error)

# Show (the heatmap's own title names it: no subheader above it; its rows in the order of the
# ranking below, best first, as leaders read it, not the alphabet)
ui.chart(charts.component_heatmap(view.heatmap, lang=lang), key="heatmap_chart",
         parts=(scope.index, scope.period, scope.level, "heatmap"))

st.subheader(ui.tr("components.ranking"))
ui.chart(charts.ranking_bars(view.ranking, lang=lang), key="component_ranking_chart")

st.subheader(ui.tr("components.correlations"))
if view.correlations.empty:
    st.info(ui.tr("components.too_few"))
else:
    st.caption(ui.tr("components.correlation_note"))
    ui.chart(charts.correlation_heatmap(view.correlations, lang=lang), key="correlation_chart")
