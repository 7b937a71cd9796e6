"""Phương pháp / Methodology: for each index, its fields and their maximum points per period,
the group thresholds, and what to keep in mind when comparing years."""
import streamlit as st

from reform.app import ui
from reform.present.pages import methodology

# Inputs
data = ui.require_data()
lang = ui.lang()

st.title(ui.tr("methodology.title"))
st.caption(ui.tr("methodology.intro"))
ui.sample_banner()

# Compute
indices = ui.computed(methodology.build_methodology, lang=lang)

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

# The rule of results across the 2025 reorganisation holds for every index: stated once.
heading, rules = methodology.lineage_rules(lang=lang)
st.subheader(heading)
st.markdown("\n".join(f"- {line}" for line in rules))
