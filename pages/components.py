"""Thành phần / Components: every unit's % of maximum in each field as a heatmap, the ranking
by one component, and how the fields correlate."""
import streamlit as st

from reform.app import ui
from reform.core.errors import ReformError
from reform.core.i18n import CATALOG
from reform.present import charts, views

CATALOG.update({
    "components.title": {"vi": "Thành phần", "en": "Components"},
    "components.ranking": {"vi": "Xếp hạng theo một thành phần", "en": "Ranking by one component"},
    "components.correlations": {"vi": "Tương quan giữa các lĩnh vực", "en": "Correlation between fields"},
    "components.correlation_note": {
        "vi": "Hệ số Pearson giữa các đơn vị của khối: gần 1 là hai lĩnh vực thường cao/thấp "
              "cùng nhau; đây là quan hệ thống kê, không phải nhân quả.",
        "en": "Pearson coefficient across the block's units: near 1 means two fields tend to "
              "be high or low together; it is an association, not a cause.",
    },
    "components.too_few": {"vi": "Cần ít nhất hai lĩnh vực để tính tương quan.",
                           "en": "At least two fields are needed for correlations."},
})

# Inputs
data = ui.require_data()
scope = ui.scope()
lang = ui.lang()

st.title(ui.tr("components.title"))
ui.sample_banner()
component = ui.component_picker(data, scope, key="component")

# Compute
try:
    view = ui.computed(views.build_components, index=scope.index, period=scope.period,
                       level=scope.level, component=component)
except ReformError as error:
    ui.no_data(error)

# Show (the heatmap's own title names it: no subheader above it)
st.plotly_chart(charts.component_heatmap(view.matrix, lang=lang), key="heatmap_chart",
                config=ui.plotly_config())

st.subheader(ui.tr("components.ranking"))
st.plotly_chart(charts.ranking_bars(view.ranking, lang=lang), key="component_ranking_chart",
                config=ui.plotly_config())

st.subheader(ui.tr("components.correlations"))
if view.correlations.empty:
    st.info(ui.tr("components.too_few"))
else:
    st.caption(ui.tr("components.correlation_note"))
    st.plotly_chart(charts.correlation_heatmap(view.correlations, lang=lang),
                    key="correlation_chart", config=ui.plotly_config())
