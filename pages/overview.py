"""Tổng quan / Overview: the key figures of the chosen block and period, the ranking chart
coloured by group, and the sentences a presenter reads aloud."""
import streamlit as st

from reform.app import ui
from reform.core.errors import ReformError
from reform.present import charts
from reform.present.pages import overview

# Inputs
data = ui.require_data()
scope = ui.scope()
lang = ui.lang()

st.title(ui.tr("overview.title"))
st.caption(ui.tr("overview.caption", index=ui.index_label(scope.index), period=scope.period,
                 level=ui.level_label(scope.level or "unit")))
ui.sample_banner()

# Compute
try:
    view = ui.computed(overview.build_overview, index=scope.index, period=scope.period,
                       level=scope.level, lang=lang)
except ReformError as error:
    ui.no_data(error)

# Show
for column, metric in zip(st.columns(len(view.figures)), view.figures, strict=True):
    column.metric(metric.label, metric.value, metric.delta, border=True, help=metric.help,
                  delta_color="off" if metric.neutral else "normal",
                  delta_arrow="off" if metric.neutral else "auto")
if view.note:
    st.caption(view.note)  # the most improved unit's full name, which its card would cut

title = ui.tr("overview.chart_title", index=ui.index_label(scope.index), period=scope.period)
ui.chart(charts.ranking_bars(view.table, lang=lang, title=title), key="overview_chart",
         parts=(scope.index, scope.period, scope.level))

st.subheader(ui.tr("overview.sentences"))
st.markdown("\n".join(f"- {sentence}" for sentence in view.sentences))
