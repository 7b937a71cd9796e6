"""Xu hướng / Trends: every unit over the periods with the chosen ones highlighted, ranks over
time, the spread per period, the biggest movers between two periods, and the methodology
changes that make years hard to compare."""
import streamlit as st

from reform.app import ui
from reform.core.errors import ReformError
from reform.present import charts
from reform.present.pages import trends

# Inputs
data = ui.require_data()
scope = ui.scope()
lang = ui.lang()

st.title(ui.tr("trends.title"))
ui.sample_banner()
choice = ui.computed(trends.period_choice, index=scope.index, period=scope.period)  # once a scope
periods = choice.periods
as_of = ui.as_of_switch(data)
chosen = ui.units_picker(data, scope, key="units", max_selections=10)
st.caption(ui.tr("trends.highlight_hint"))
# The charts come right under the unit picker, so a laptop shows one without scrolling; the
# two periods only drive the movers chart, so they sit just above it. Places are kept here
# and filled once the page has computed.
charts_area = st.container()
method_area = st.container()
start, end, _ = st.columns([1, 1, 2])
period_from = start.selectbox(ui.tr("trends.from"), periods, key="period_from",
                              bind="query-params",
                              index=choice.from_position)
period_to = end.selectbox(ui.tr("trends.to"), periods, key="period_to", bind="query-params",
                          index=choice.to_position)

# Compute
try:
    view = ui.computed(trends.build_trends, index=scope.index, level=scope.level,
                       period_from=period_from, period_to=period_to, lang=lang, as_of=as_of)
except ReformError as error:
    ui.no_data(error)
highlight = [u for u in chosen if u in view.units] or view.top

# Show
with charts_area:
    lines, bump, spread = st.tabs([ui.tr("trends.lines"), ui.tr("trends.bump"),
                                   ui.tr("trends.spread")])
    with lines:
        ui.chart(charts.trend_lines(view.series, lang=lang, highlight=highlight,
                                           flags=view.flags, endings=view.endings), key="trend_chart")
        # The note under the chart too: a reader of a printed page sees no annotation cut off.
        endings = [f"{ui.unit_name(data, u)}: {view.endings[u]}" for u in highlight
                   if u in view.endings]
        if endings:
            st.caption("\n\n".join(endings))
        if view.as_of_caption:
            st.caption(view.as_of_caption)
    with bump:
        ui.chart(charts.rank_bump(view.series, lang=lang, highlight=highlight), key="bump_chart")
    with spread:
        ui.chart(charts.distribution(view.series, lang=lang), key="distribution_chart")

with method_area:
    # Under the chart and small, but every word kept: a presenter must still say it.
    notes = [ui.tr("ui.methodology_note")]
    if view.warnings:
        notes.append("\n".join([f"⚠️ {ui.tr('trends.changes')}"]
                                + [f"- {line}" for line in view.warnings]))
    st.caption("\n\n".join(notes))
    if view.details:
        with st.expander(ui.tr("trends.details", n=len(view.details))):
            st.markdown("\n".join(f"- {line}" for line in view.details))

if len(view.periods) < 2:
    st.info(ui.tr("trends.one_period"))
elif view.movers is None:
    st.info(ui.tr("trends.same_period"))
else:
    ui.chart(charts.movers_bars(view.movers, lang=lang), key="movers_chart")
    st.caption(ui.tr("trends.between", start=min(period_from, period_to),
                     end=max(period_from, period_to)))
