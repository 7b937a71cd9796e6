"""Phương pháp / Methodology: for each index, its fields and their maximum points per period,
the group thresholds, and what to keep in mind when comparing years."""
import streamlit as st

from reform.app import ui
from reform.core.i18n import CATALOG
from reform.present import views

CATALOG.update({
    "methodology.title": {"vi": "Phương pháp", "en": "Methodology"},
    "methodology.intro": {
        "vi": "Điểm tối đa của từng lĩnh vực được đọc từ các tệp đã tải lên (hàng “Điểm tối "
              "đa” hoặc tiêu đề “(N điểm)”), không phải hằng số trong chương trình.",
        "en": "Each field's maximum points are read from the uploaded files (the “Điểm tối "
              "đa” row or “(N điểm)” headers), not built into the program.",
    },
    "methodology.maxima": {"vi": "Điểm tối đa từng lĩnh vực theo kỳ", "en": "Maximum points per field and period"},
    "methodology.no_maxima": {"vi": "Chưa có cấu trúc lĩnh vực cho chỉ số này.",
                              "en": "No field structure for this index yet."},
    "methodology.groups": {"vi": "Ngưỡng xếp nhóm", "en": "Group thresholds"},
    "methodology.groups_note": {
        "vi": "Giá trị bằng ngưỡng thuộc nhóm trên (80,00 % là nhóm A khi A ≥ 80 %).",
        "en": "A value equal to a bound belongs to the upper group (80.00% is A when A ≥ 80%).",
    },
    "methodology.caveats": {"vi": "Lưu ý khi so sánh giữa các năm", "en": "Comparing years: caveats"},
})

# Inputs
data = ui.require_data()
lang = ui.lang()

st.title(ui.tr("methodology.title"))
st.caption(ui.tr("methodology.intro"))
ui.sample_banner()

# Compute
indices = ui.computed(views.build_methodology, lang=lang)

# Show
tabs = st.tabs([ui.index_label(item.index) for item in indices])
for tab, item in zip(tabs, indices, strict=True):
    with tab:
        st.subheader(ui.tr("methodology.maxima"))
        if item.maxima_text is None:
            st.info(ui.tr("methodology.no_maxima"))
        else:
            # Numbers written per language ("14,5" in Vietnamese), right-aligned as numbers.
            period_column, *number_columns = item.maxima_text.columns
            st.dataframe(item.maxima_text, hide_index=True, key=f"maxima_{item.index}",
                         height="content", column_config={
                             column: st.column_config.TextColumn(column, alignment="right")
                             for column in number_columns})
        st.subheader(ui.tr("methodology.groups"))
        st.dataframe(item.thresholds, hide_index=True, key=f"groups_{item.index}",
                     height="content")
        st.caption(ui.tr("methodology.groups_note"))
        st.subheader(ui.tr("methodology.caveats"))
        st.markdown("\n".join(f"- {line}" for line in item.caveats))
