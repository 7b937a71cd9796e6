"""Hài lòng / Satisfaction: SIPAS per unit — the ranking, the five elements' satisfaction
against expectation, the units under the 80 % target, and one unit's element table."""
import streamlit as st

from reform.app import ui
from reform.core.errors import ReformError
from reform.core.i18n import format_percent
from reform.present import charts
from reform.present.pages import satisfaction


def _columns() -> dict:
    number = ui.number_column
    return {
        "unit_id": None, "element": None,
        "unit": st.column_config.TextColumn(ui.tr("satisfaction.col.unit_name")),
        "element_name": st.column_config.TextColumn(ui.tr("satisfaction.col.element")),
        "assessment": number(ui.tr("satisfaction.col.assessment")),
        "satisfaction": number(ui.tr("satisfaction.col.satisfaction")),
        "expectation": number(ui.tr("satisfaction.col.expectation")),
        "gap": number(ui.tr("satisfaction.col.gap")),
        "value": number(ui.tr("satisfaction.col.sipas")),
        "target": number(ui.tr("satisfaction.col.target")),
        "shortfall": number(ui.tr("satisfaction.col.shortfall")),
    }


# ---- inputs ----------------------------------------------------------------------------------
data = ui.require_data()
scope = ui.scope()
lang = ui.lang()
ui.fixed_index("SIPAS")  # the sidebar's index does not apply here
st.title(ui.tr("satisfaction.title"))
ui.sample_banner()

# ---- compute: one call into reform ----------------------------------------------------------------
try:
    view = ui.computed(satisfaction.build_satisfaction, period=scope.period, level=scope.level,
                       lang=lang)
except ReformError as error:
    ui.no_data(error)

# ---- show --------------------------------------------------------------------------------------
st.caption(ui.tr("satisfaction.scope", period=view.period,
                 level=ui.level_label(view.level) if view.level else ui.level_label("unit")))
if scope.period and scope.period != view.period:
    st.info(ui.tr("satisfaction.other_period", wanted=scope.period, period=view.period))
target = format_percent(view.target, lang, 0)

st.subheader(ui.tr("satisfaction.ranking"))
title = ui.tr("satisfaction.file_title", period=view.period)
ui.ranking_block(view.ranking, title=title, parts=("SIPAS", view.period, view.level),
                 csv_label=ui.tr("satisfaction.csv"), excel_label=ui.tr("satisfaction.excel"))

st.subheader(ui.tr("satisfaction.elements"))
st.caption(ui.tr("satisfaction.elements_note"))
ui.chart(charts.element_gap_bars(view.gaps, period=view.period, lang=lang, target=view.target),
         key="elements_chart")
ui.show_table(view.gaps, column_config=_columns(), key="gaps_table", signed=("gap",))

st.subheader(ui.tr("satisfaction.below", target=target))
if view.below.empty:
    st.success(ui.tr("satisfaction.none_below", target=target))
else:
    ui.show_table(view.below, column_config=_columns(), key="below_table", signed=("gap",))

st.subheader(ui.tr("satisfaction.unit"))
unit_id = ui.unit_picker(data, ui.Scope("SIPAS", view.period, view.level), key="unit")
if unit_id:
    try:
        elements = ui.computed(satisfaction.unit_elements, period=view.period, unit_id=unit_id)
    except ReformError as error:
        ui.no_data(error)
    ui.show_table(elements, column_config=_columns(), key="unit_elements", signed=("gap",))
