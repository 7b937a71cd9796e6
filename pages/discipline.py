"""Kỷ cương / Discipline: inspections month by month, by unit and category, regular against
unannounced visits, repeat violators, the discipline score ranking, and one unit's records.
Uses the DISCIPLINE data whatever index the sidebar chose (the year comes from its period); the
sidebar then shows that index instead of offering the others."""
import streamlit as st

from reform.app import ui
from reform.core import config
from reform.core.errors import ReformError
from reform.present import charts, exports
from reform.present.pages import discipline


def _columns() -> dict:
    """Column labels shared by this page's tables (ids and codes hidden)."""
    number = ui.number_column
    return {
        "unit_id": None, "kind": None, "category": None, "source": None, "version": None,
        "unit": st.column_config.TextColumn(ui.tr("discipline.col.unit_name")),
        "kind_name": st.column_config.TextColumn(ui.tr("discipline.col.kind")),
        "name": st.column_config.TextColumn(ui.tr("discipline.col.category")),
        "category_name": st.column_config.TextColumn(ui.tr("discipline.col.category")),
        "inspections": number(ui.tr("discipline.col.inspections")),
        "violations": number(ui.tr("discipline.col.violations")),
        "officials_checked": number(ui.tr("discipline.col.officials")),
        "rate_per_100": number(ui.tr("discipline.col.rate")),
        "months_with_violations": number(ui.tr("discipline.col.months")),
        "categories": st.column_config.TextColumn(ui.tr("discipline.col.categories")),
        "date": st.column_config.DateColumn(ui.tr("discipline.col.date"), format="DD/MM/YYYY"),
        "team": st.column_config.TextColumn(ui.tr("discipline.col.team")),
        "note": st.column_config.TextColumn(ui.tr("discipline.col.note")),
    }


# Violations per 100 officials checked: a rate, one decimal. (A comment, not a docstring:
# Streamlit's "magic" would print a bare string on the page.)
RATES = {"rate_per_100": config.RATE_DECIMALS}

# ---- inputs ----------------------------------------------------------------------------------
data = ui.require_data()
scope = ui.scope()
lang = ui.lang()
ui.fixed_index("DISCIPLINE")  # the sidebar's index does not apply here: offer only this one
st.title(ui.tr("discipline.title"))
ui.sample_banner()

# ---- compute: one call into reform ----------------------------------------------------------------
try:
    view = ui.computed(discipline.build_discipline, period=scope.period, level=scope.level, lang=lang)
except ReformError as error:
    ui.no_data(error)

# ---- show --------------------------------------------------------------------------------------
st.caption(ui.tr("discipline.scope", year=view.year,
                 level=ui.level_label(view.level) if view.level else ui.level_label("unit")))
if scope.period and scope.period[:4] != view.year:
    st.info(ui.tr("discipline.other_year", wanted=scope.period[:4], year=view.year))
st.subheader(ui.tr("discipline.monthly"))
ui.chart(charts.monthly_trend(view.monthly, lang=lang), key="monthly_chart")

st.subheader(ui.tr("discipline.calendar"))
ui.chart(charts.discipline_calendar(view.calendar, lang=lang), key="calendar_chart")

left, right = st.columns(2)
with left:
    st.subheader(ui.tr("discipline.categories"))
    ui.chart(charts.category_bars(view.categories, lang=lang), key="category_chart")
with right:
    st.subheader(ui.tr("discipline.kinds"))
    ui.show_table(view.kinds, column_config=_columns(), key="kinds_table", decimals=RATES)
    st.subheader(ui.tr("discipline.repeat"))
    if view.repeat.empty:
        st.caption(ui.tr("discipline.no_repeat"))
    else:
        ui.show_table(view.repeat, column_config=_columns(), key="repeat_table", decimals=RATES)

st.subheader(ui.tr("discipline.ranking"))
st.caption(ui.tr("discipline.rule"))
title = ui.tr("discipline.file_title", year=view.year)
ui.ranking_block(view.ranking, title=title, parts=("DISCIPLINE", view.year, view.level),
                 csv_label=ui.tr("discipline.csv"), excel_label=ui.tr("discipline.excel"))

st.subheader(ui.tr("discipline.records"))
unit_id = ui.unit_picker(data, ui.Scope("DISCIPLINE", view.year, view.level), key="unit")
if unit_id:
    try:
        records = ui.computed(discipline.unit_inspections, unit_id=unit_id, year=view.year,
                              lang=lang)
    except ReformError as error:
        ui.no_data(error)
    ui.show_table(records, column_config=_columns(), key="records_table", decimals=RATES)
    st.download_button(ui.tr("discipline.records_csv"), lambda: exports.dataframe_to_csv(records),
                       file_name=ui.download_name("DISCIPLINE", view.year, unit_id.split(":")[-1], ext="csv"),
                       mime="text/csv", key="download_records", on_click="ignore",
                       icon=":material/download:")
