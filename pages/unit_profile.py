"""Hồ sơ đơn vị / Unit profile: one unit's score and rank over time, its fields against the
block average and the best, where it lost points, and its sentences."""
import streamlit as st

from reform.app import ui
from reform.core.errors import ReformError
from reform.core.i18n import format_percent
from reform.present import charts
from reform.present.pages import profile

# Inputs
data = ui.require_data()
scope = ui.scope()
lang = ui.lang()

st.title(ui.tr("profile.title"))
ui.sample_banner()
as_of = ui.as_of_switch(data)
choices = profile.unit_choices(data, index=scope.index, period=scope.period, level=scope.level,
                               as_of=as_of)
unit_id = ui.unit_picker(data, scope, key="unit", options=choices)
if unit_id is None:
    st.info(ui.tr("profile.no_unit", period=scope.period))
    st.stop()

# Compute
try:
    view = ui.computed(profile.build_profile, index=scope.index, period=scope.period,
                       level=scope.level, unit_id=unit_id, lang=lang, as_of=as_of)
except ReformError as error:
    ui.no_data(error)
name = ui.unit_name(data, unit_id)

# Show
st.header(name)
rank, score, group, change = st.columns(4)
rank.metric(ui.tr("profile.rank"), "–" if view.rank_text is None else view.rank_text, border=True)
score.metric(ui.tr("profile.score"), format_percent(view.row["percent"], lang), border=True)
group.metric(ui.tr("profile.group"), ui.group_label(view.row["group"]) if view.row["group"] else "–", border=True)
change.metric(ui.tr("profile.change"), view.change_text or "–", border=True)
if view.coverage:
    st.caption(ui.tr("profile.coverage", coverage=view.coverage))
if view.ending:
    st.info(f"{name}: {view.ending}", icon=":material/call_merge:")

st.subheader(ui.tr("profile.sentences"))
st.markdown("\n".join(f"- {sentence}" for sentence in view.sentences))

st.subheader(ui.tr("profile.history"))
shown = []
if view.predecessors:
    shown = st.multiselect(ui.tr("profile.predecessors"), view.predecessors, default=None,
                           key="predecessors", max_selections=9,
                           format_func=lambda u: ui.unit_name(data, u),
                           help=ui.tr("profile.predecessors_help"))
# One under the other at full width: side by side, their legends and line labels left each
# plot about 100 px wide on a laptop.
ui.chart(charts.trend_lines(view.series, lang=lang, highlight=[unit_id, *shown],
                                   composite=view.composite,
                                   composite_name=view.composite_name,
                                   endings={unit_id: view.ending} if view.ending else None), key="profile_trend_chart")
if view.composite_note:
    st.caption(view.composite_note)
ui.chart(charts.rank_bump(view.series, lang=lang, highlight=[unit_id]), key="profile_rank_chart")

st.subheader(ui.tr("profile.fields"))
if view.strengths.empty:
    st.info(ui.tr("profile.no_fields"))
else:
    ui.chart(charts.profile_bars(view.strengths, lang=lang, unit_name=name), key="profile_fields_chart")
    st.subheader(ui.tr("profile.lost"))
    number = ui.number_column
    ui.show_table(view.lost, key="lost_table", column_config={
        label: number(label) for label in (
            ui.tr("views.points"), ui.tr("views.maximum"), ui.tr("views.points_lost"),
            ui.tr("views.block_average"), ui.tr("views.block_best"), ui.tr("views.percent"))
    })

with st.expander(ui.tr("profile.history")):
    ui.show_table(view.history, key="history_table", column_config={
        "unit_id": None,
        "unit": None,
        "period": st.column_config.TextColumn(ui.tr("ui.period")),
        "value": ui.number_column(ui.tr("views.points")),
        "max_value": ui.number_column(ui.tr("views.maximum")),
        "percent": ui.number_column(ui.tr("views.percent")),
        "rank": ui.number_column(ui.tr("views.rank")),
        "coverage": (st.column_config.TextColumn(ui.tr("ui.coverage"), help=ui.tr("ui.coverage_help"))
                     if view.history["coverage"].astype(bool).any() else None),
    }, decimals={"rank": 0})
