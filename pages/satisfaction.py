"""Hài lòng / Satisfaction: SIPAS per unit — the ranking, the five elements' satisfaction
against expectation, the units under the 80 % target, and one unit's element table."""
import streamlit as st

from reform.app import ui
from reform.core.errors import ReformError
from reform.core.i18n import CATALOG, format_percent
from reform.present import oversight, satisfaction_charts

CATALOG.update({
    "satisfaction.title": {"vi": "Sự hài lòng của người dân (SIPAS)",
                           "en": "Citizen satisfaction (SIPAS)"},
    "satisfaction.scope": {"vi": "Năm {period} · {level}", "en": "{period} · {level}"},
    "satisfaction.other_period": {
        "vi": "Chưa có dữ liệu SIPAS kỳ {wanted}: đang hiển thị kỳ {period}.",
        "en": "No SIPAS data for {wanted}: showing {period}.",
    },
    "satisfaction.ranking": {"vi": "Xếp hạng chỉ số hài lòng", "en": "Satisfaction ranking"},
    "satisfaction.elements": {"vi": "Năm yếu tố: hài lòng và kỳ vọng",
                              "en": "The five elements: satisfaction and expectation"},
    "satisfaction.elements_note": {
        "vi": "Khoảng cách = kỳ vọng − hài lòng (trung bình các đơn vị): càng lớn, người dân "
              "càng chờ đợi nhiều hơn điều họ nhận được.",
        "en": "Gap = expectation − satisfaction (mean over units): the larger, the more "
              "citizens expected than they got.",
    },
    "satisfaction.below": {"vi": "Đơn vị dưới mục tiêu {target}", "en": "Units under the {target} target"},
    "satisfaction.none_below": {"vi": "Mọi đơn vị đạt mục tiêu {target}.",
                                "en": "Every unit meets the {target} target."},
    "satisfaction.unit": {"vi": "Các yếu tố của một đơn vị", "en": "One unit's elements"},
    "satisfaction.csv": {"vi": "Tải CSV", "en": "Download CSV"},
    "satisfaction.excel": {"vi": "Tải Excel", "en": "Download Excel"},
    "satisfaction.file_title": {"vi": "Chỉ số hài lòng (SIPAS) năm {period}",
                                "en": "Satisfaction index (SIPAS), {period}"},
    "satisfaction.col.element": {"vi": "Yếu tố", "en": "Element"},
    "satisfaction.col.assessment": {"vi": "Đánh giá (%)", "en": "Assessment (%)"},
    "satisfaction.col.satisfaction": {"vi": "Hài lòng (%)", "en": "Satisfaction (%)"},
    "satisfaction.col.expectation": {"vi": "Kỳ vọng (%)", "en": "Expectation (%)"},
    "satisfaction.col.gap": {"vi": "Khoảng cách", "en": "Gap"},
    "satisfaction.col.sipas": {"vi": "SIPAS (%)", "en": "SIPAS (%)"},
    "satisfaction.col.target": {"vi": "Mục tiêu (%)", "en": "Target (%)"},
    "satisfaction.col.shortfall": {"vi": "Còn thiếu", "en": "Shortfall"},
    "satisfaction.col.unit_name": {"vi": "Đơn vị", "en": "Unit"},
})


def _columns() -> dict:
    number = st.column_config.NumberColumn
    return {
        "unit_id": None, "element": None,
        "unit": st.column_config.TextColumn(ui.tr("satisfaction.col.unit_name")),
        "element_name": st.column_config.TextColumn(ui.tr("satisfaction.col.element")),
        "assessment": number(ui.tr("satisfaction.col.assessment"), format="%.2f"),
        "satisfaction": number(ui.tr("satisfaction.col.satisfaction"), format="%.2f"),
        "expectation": number(ui.tr("satisfaction.col.expectation"), format="%.2f"),
        "gap": number(ui.tr("satisfaction.col.gap"), format="%+.2f"),
        "value": number(ui.tr("satisfaction.col.sipas"), format="%.2f"),
        "target": number(ui.tr("satisfaction.col.target"), format="%.0f"),
        "shortfall": number(ui.tr("satisfaction.col.shortfall"), format="%.2f"),
    }


# ---- inputs ----------------------------------------------------------------------------------
data = ui.require_data()
scope = ui.scope()
lang = ui.lang()
st.title(ui.tr("satisfaction.title"))
ui.sample_banner()

# ---- compute: one call into reform ----------------------------------------------------------------
try:
    view = ui.computed(oversight.build_satisfaction, period=scope.period, level=scope.level,
                       lang=lang)
except ReformError as error:
    ui.no_data(error)

# ---- show --------------------------------------------------------------------------------------
st.caption(ui.tr("satisfaction.scope", period=view.period,
                 level=ui.level_label(view.level) if view.level else ui.level_label("unit")))
if scope.period and scope.period != view.period:
    st.info(ui.tr("satisfaction.other_period", wanted=scope.period, period=view.period))
config = ui.plotly_config()
target = format_percent(view.target, lang, 0)

st.subheader(ui.tr("satisfaction.ranking"))
title = ui.tr("satisfaction.file_title", period=view.period)
ui.ranking_block(view.ranking, title=title, parts=("SIPAS", view.period, view.level),
                 csv_label=ui.tr("satisfaction.csv"), excel_label=ui.tr("satisfaction.excel"))

st.subheader(ui.tr("satisfaction.elements"))
st.caption(ui.tr("satisfaction.elements_note"))
st.plotly_chart(satisfaction_charts.element_gap_bars(view.gaps, period=view.period, lang=lang,
                                                     target=view.target),
                key="elements_chart", config=config)
st.dataframe(view.gaps, hide_index=True, column_config=_columns(), key="gaps_table")

st.subheader(ui.tr("satisfaction.below", target=target))
if view.below.empty:
    st.success(ui.tr("satisfaction.none_below", target=target))
else:
    st.dataframe(view.below, hide_index=True, column_config=_columns(), key="below_table")

st.subheader(ui.tr("satisfaction.unit"))
unit_id = ui.unit_picker(data, ui.Scope("SIPAS", view.period, view.level), key="unit")
if unit_id:
    try:
        elements = oversight.unit_elements(data, period=view.period, unit_id=unit_id)
    except ReformError as error:
        ui.no_data(error)
    st.dataframe(elements, hide_index=True, column_config=_columns(), key="unit_elements")
