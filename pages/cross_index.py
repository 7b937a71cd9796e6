"""Liên chỉ số / Across indices: PAR, SIPAS and discipline per unit on one table, a scatter
of any two indices with their correlation, and the units that stand out from the trend."""
import streamlit as st

from reform.app import ui
from reform.core.errors import ReformError
from reform.core.i18n import CATALOG
from reform.present import charts, exports, oversight

CATALOG.update({
    "cross.title": {"vi": "Liên chỉ số", "en": "Across indices"},
    "cross.scope": {"vi": "Kỳ {period} · {level} · % điểm tối đa của mỗi chỉ số",
                    "en": "{period} · {level} · % of each index's maximum"},
    "cross.other_period": {
        "vi": "Kỳ {wanted} không có đủ hai chỉ số: đang hiển thị kỳ {period}.",
        "en": "{wanted} does not hold two indices: showing {period}.",
    },
    "cross.all_levels": {"vi": "mọi khối", "en": "all blocks"},
    "cross.table": {"vi": "Các chỉ số của từng đơn vị", "en": "Each unit's indices"},
    "cross.x": {"vi": "Trục ngang", "en": "Horizontal axis"},
    "cross.y": {"vi": "Trục dọc", "en": "Vertical axis"},
    "cross.same": {"vi": "Hãy chọn hai chỉ số khác nhau.", "en": "Choose two different indices."},
    "cross.correlation": {"vi": "Tương quan: {text}", "en": "Correlation: {text}"},
    "cross.standouts": {"vi": "Đơn vị nổi bật (xa đường xu hướng nhất)",
                        "en": "Units that stand out (furthest from the trend line)"},
    "cross.no_standouts": {"vi": "Cần ít nhất ba đơn vị có cả hai chỉ số.",
                           "en": "At least three units with both indices are needed."},
    "cross.one_index": {"vi": "Kỳ này chỉ có một chỉ số có số liệu cho các đơn vị chung.",
                        "en": "Only one index has values for shared units in this period."},
    "cross.csv": {"vi": "Tải CSV", "en": "Download CSV"},
    "cross.col.residual": {"vi": "Chênh so với xu hướng", "en": "Off the trend by"},
    "cross.col.pattern": {"vi": "Đặc điểm", "en": "Pattern"},
    "cross.col.unit_name": {"vi": "Đơn vị", "en": "Unit"},
})

# ---- inputs ----------------------------------------------------------------------------------
data = ui.require_data()
scope = ui.scope()
lang = ui.lang()
st.title(ui.tr("cross.title"))
ui.sample_banner()

# ---- compute: one call into reform ----------------------------------------------------------------
try:
    view = ui.computed(oversight.build_cross_index, period=scope.period, level=scope.level)
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
pair = oversight.compare_pair(view.table, x=x, y=y, lang=lang)

# ---- show --------------------------------------------------------------------------------------
number = st.column_config.NumberColumn
index_columns = {code: number(ui.index_label(code), format="%.2f") for code in view.indices}
columns = {"unit_id": None, "unit": st.column_config.TextColumn(ui.tr("cross.col.unit_name"))} | index_columns

st.plotly_chart(charts.scatter_indices(view.table, x, y, lang=lang), key="scatter_chart",
                config=ui.plotly_config())
st.markdown(ui.tr("cross.correlation", text=oversight.correlation_text(pair.correlation, lang)))

st.subheader(ui.tr("cross.standouts"))
if pair.standouts.empty:
    st.caption(ui.tr("cross.no_standouts"))
else:
    st.dataframe(pair.standouts, hide_index=True, key="standouts_table", column_config=columns | {
        "residual": number(ui.tr("cross.col.residual"), format="%+.2f"),
        "pattern": st.column_config.TextColumn(ui.tr("cross.col.pattern"))})

st.subheader(ui.tr("cross.table"))
st.dataframe(view.table, hide_index=True, column_config=columns, key="cross_table")
st.download_button(ui.tr("cross.csv"), exports.dataframe_to_csv(view.table),
                   file_name=ui.download_name("cross", view.period, view.level, ext="csv"),
                   mime="text/csv", key="download_csv", on_click="ignore",
                   icon=":material/download:")
