"""Liên chỉ số / Across indices: PAR, SIPAS and discipline per unit on one table, a scatter
of any two indices with their correlation, and the units that stand out from the trend."""
import streamlit as st

from reform.app import ui
from reform.core.errors import ReformError
from reform.present import charts, exports
from reform.present.pages import cross_index

# ---- inputs ----------------------------------------------------------------------------------
data = ui.require_data()
scope = ui.scope()
lang = ui.lang()
st.title(ui.tr("cross.title"))
ui.sample_banner()

# ---- compute: one call into reform ----------------------------------------------------------------
try:
    view = ui.computed(cross_index.build_cross_index, period=scope.period, level=scope.level)
except ReformError as error:
    ui.no_data(error)

st.caption(ui.tr("cross.scope", period=view.period,
                 level=ui.level_label(view.level) if view.level else ui.tr("cross.all_levels")))
if scope.period and scope.period != view.period:
    st.info(ui.tr("cross.other_period", wanted=scope.period, period=view.period))
if len(view.indices) < 2:
    st.info(ui.tr("cross.one_index"))
    st.stop()

left, right = st.columns(2)
x = left.selectbox(ui.tr("cross.x"), view.indices, index=0, key="x", format_func=ui.index_label,
                   bind="query-params")
y = right.selectbox(ui.tr("cross.y"), view.indices, index=1, key="y", format_func=ui.index_label,
                    bind="query-params")
if x == y:
    st.info(ui.tr("cross.same"))
    st.stop()
pair = ui.computed(cross_index.build_pair, period=scope.period, level=scope.level, x=x, y=y,
                   lang=lang)  # once per pair, not on every rerun

# ---- show --------------------------------------------------------------------------------------
number = ui.number_column
index_columns = {code: number(ui.index_label(code)) for code in view.indices}
columns = {"unit_id": None, "unit": st.column_config.TextColumn(ui.tr("cross.col.unit_name"))} | index_columns

ui.chart(charts.scatter_indices(view.table, x, y, lang=lang), key="scatter_chart")
st.markdown(ui.tr("cross.correlation", text=cross_index.correlation_text(pair.correlation, lang)))

st.subheader(ui.tr("cross.standouts"))
if pair.standouts.empty:
    st.caption(ui.tr("cross.no_standouts"))
else:
    ui.show_table(pair.standouts, key="standouts_table", signed=("residual",), column_config=columns | {
        "residual": number(ui.tr("cross.col.residual")),
        "pattern": st.column_config.TextColumn(ui.tr("cross.col.pattern"))})

st.subheader(ui.tr("cross.table"))
ui.show_table(view.table, column_config=columns, key="cross_table")
st.download_button(ui.tr("cross.csv"), lambda: exports.dataframe_to_csv(view.table),
                   file_name=ui.download_name("cross", view.period, view.level, ext="csv"),
                   mime="text/csv", key="download_csv", on_click="ignore",
                   icon=":material/download:")
