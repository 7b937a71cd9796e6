"""Xếp hạng / Rankings: the block's ranking with rank changes, group badges, score bars and
one column per field; search, group filter, rank by any component; CSV, Excel and PowerPoint
downloads."""
import streamlit as st

from reform.app import ui
from reform.core.errors import ReformError
from reform.present import charts, deck, exports
from reform.present.pages import base, rankings

# Inputs
data = ui.require_data()
scope = ui.scope()
lang = ui.lang()

st.title(ui.tr("rankings.title"))
ui.sample_banner()
left, middle, right = st.columns([2, 2, 2])
with left:
    component = ui.component_picker(data, scope, key="by")
as_of = ui.as_of_switch(data)
with middle:
    search = st.text_input(ui.tr("rankings.search"), key="search", bind="query-params",
                           placeholder=ui.tr("rankings.search_hint"))

# Compute
try:
    view = ui.computed(rankings.build_rankings, index=scope.index, period=scope.period,
                       level=scope.level, component=component, lang=lang, as_of=as_of)
except ReformError as error:
    ui.no_data(error)

with right:
    groups = st.multiselect(ui.tr("rankings.groups"), view.groups, key="groups",
                            bind="query-params", placeholder=ui.tr("rankings.all_groups"),
                            format_func=ui.group_label)
shown = rankings.filter_ranking(view.wide, search=search, groups=groups)

# Show
st.caption(ui.tr("rankings.shown", shown=len(shown), total=len(view.wide)))
title = ui.tr("rankings.file_title", index=ui.index_label(scope.index), period=scope.period)
ui.chart(charts.ranking_bars(view.table, lang=lang, title=title), key="ranking_chart",
         parts=(scope.index, scope.period, scope.level, component))
columns = ui.score_table_columns(view.groups, view.fields)
ui.show_table(base.group_badges(shown, lang=lang), column_config=columns, key="ranking_table",
              column_order=rankings.table_columns(shown),
              height="content" if len(shown) <= 50 else 800)

subtitle = ui.tr("ui.sample") if ui.is_sample() else ""
parts = (scope.index, scope.period, scope.level, component)


def _excel() -> bytes:
    return exports.ranking_to_excel(view.table, lang=lang, title=title, subtitle=subtitle)


def _deck() -> bytes:
    # Made only when the button is pressed: kaleido starts Chromium to draw the charts.
    meeting = deck.build_deck(data, index=scope.index, period=scope.period, level=scope.level,
                              datasets=ui.store().datasets(), as_of=as_of, lang=lang)
    return exports.deck_to_pptx(meeting)


csv, excel, pptx = st.columns(3)
csv.download_button(ui.tr("rankings.csv"),
                    lambda: exports.dataframe_to_csv(rankings.for_download(shown, lang=lang)),
                    file_name=ui.download_name(*parts, ext="csv"), mime="text/csv",
                    key="download_csv", on_click="ignore", icon=":material/download:")
excel.download_button(
    ui.tr("rankings.excel"), _excel, file_name=ui.download_name(*parts, ext="xlsx"),
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="download_xlsx", on_click="ignore", icon=":material/table_view:")
pptx.download_button(
    ui.tr("rankings.pptx"), _deck, file_name=ui.download_name(*parts, ext="pptx"),
    mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
    key="download_pptx", on_click="ignore", help=ui.tr("rankings.pptx_help"),
    icon=":material/slideshow:")
