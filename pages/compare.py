"""So sánh / Compare: two to five units side by side on each field."""
import streamlit as st

from reform.app import ui
from reform.core.errors import ReformError
from reform.present import charts
from reform.present.pages import base, compare, rankings

# Inputs
data = ui.require_data()
scope = ui.scope()
lang = ui.lang()

st.title(ui.tr("compare.title"))
ui.sample_banner()
if "compare" not in st.query_params and "compare" not in st.session_state:
    # A link that names no unit opens on the block's top three rather than an empty page.
    # ui.units_picker leaves the default to pages; the bound widget takes it from the state.
    try:
        leaders = ui.computed(rankings.build_rankings, index=scope.index, period=scope.period,
                              level=scope.level, lang=lang)
    except ReformError as error:
        ui.no_data(error)
    st.session_state["compare"] = compare.top_units(leaders.table, n=3)
chosen = ui.units_picker(data, scope, key="compare", max_selections=5)
if len(chosen) < 2:
    st.info(ui.tr("compare.pick"))
    st.stop()

# Compute
try:
    view = ui.computed(compare.build_comparison, index=scope.index, period=scope.period,
                       level=scope.level, unit_ids=list(chosen), lang=lang)
except ReformError as error:
    ui.no_data(error)

# Show
ui.chart(charts.compare_units(view.matrix, lang=lang), key="compare_chart")
columns = ui.score_table_columns(view.groups, view.fields)
ui.show_table(base.group_badges(view.table, lang=lang), column_config=columns, key="compare_table")
