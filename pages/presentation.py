"""Trình chiếu / Presentation: the meeting deck of the chosen scope, full screen, one slide at a
time; previous/next buttons and the arrow keys; the slide number in the URL (?slide=3); the
speaker notes on demand; the deck as .pptx, the ranking as .xlsx, the chart as PNG/SVG."""
from pathlib import Path

import streamlit as st

from reform.app import ui
from reform.core.errors import ReformError
from reform.present import deck as meeting
from reform.present import exports
from reform.present.pages import presentation

# Inputs
data = ui.require_data()
scope = ui.scope()
lang = ui.lang()
st.html(presentation.PRESENTER_CSS)
slot = st.container()
controls = st.container()
with st.expander(ui.tr("deck.page.options")):
    units = tuple(ui.units_picker(data, scope, key="units"))
    as_of = ui.as_of_switch(data)  # the deck on the units valid that day, as on the rankings page
    options = st.container()

# Compute
try:
    deck = ui.computed(meeting.build_deck, index=scope.index, period=scope.period,
                       level=scope.level, units=units, datasets=tuple(ui.datasets()),
                       as_of=as_of, lang=lang)
except ReformError as error:
    ui.no_data(error)
total = len(deck.slides)
number = presentation.slide_number(st.query_params.get("slide", "1"), total)
slide = deck.slides[number - 1]


def _go(step: int) -> None:
    st.query_params["slide"] = str(presentation.slide_number(number + step, total))


cache = st.session_state.setdefault("_slide_images", {})
image_key = (scope.index, scope.period, scope.level, units, as_of, lang, number, data.token)
if slide.figure is not None and image_key not in cache:
    try:
        cache[image_key] = presentation.chart_svg(slide)
    except ReformError as error:
        cache[image_key] = None
        st.warning(error.message(lang))

# Show
with slot:
    st.html(presentation.slide_html(slide, number=number, total=total,
                                    illustrative=deck.illustrative, lang=lang,
                                    image=cache.get(image_key)))
with controls:
    back, forward, notes_toggle, leave = st.columns([1, 1, 2, 2], vertical_alignment="center")
    back.button(ui.tr("deck.page.previous"), key="prev_slide", on_click=_go, args=(-1,),
                disabled=number <= 1, icon=":material/arrow_back:", width="stretch")
    forward.button(ui.tr("deck.page.next"), key="next_slide", on_click=_go, args=(1,),
                   disabled=number >= total, icon=":material/arrow_forward:", width="stretch")
    show_notes = notes_toggle.toggle(ui.tr("deck.page.notes"), key="notes")
    leave.page_link(Path(__file__).with_name("overview").with_suffix(".py"), label=ui.tr("deck.page.exit"), icon=":material/close:")
    if show_notes:
        st.markdown("\n".join(f"- {n}" for n in slide.notes) or ui.tr("deck.page.no_notes"))
st.iframe(presentation.KEYS_SCRIPT, height=1)  # same origin: it may listen on the app

with options:
    st.caption(ui.tr("deck.page.keys"))
    if st.button(ui.tr("deck.page.build"), key="build_pptx", icon=":material/slideshow:"):
        bar = st.progress(0.0)
        st.session_state["_deck_pptx"] = exports.deck_to_pptx(
            deck, progress=lambda done, n: bar.progress(done / n, ui.tr(
                "deck.page.progress", done=done, total=n)))
    if "_deck_pptx" in st.session_state:
        st.download_button(
            ui.tr("deck.page.pptx"), st.session_state["_deck_pptx"],
            file_name=ui.download_name(scope.index, scope.period, scope.level, ext="pptx"),
            mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
            key="download_deck", on_click="ignore", icon=":material/download:")
    if slide.figure is not None:
        png, svg = st.columns(2)
        png.download_button(ui.tr("deck.page.png"), lambda: exports.chart_image(
            slide.figure, "png", illustrative=deck.illustrative, lang=lang),
            file_name=ui.download_name(scope.index, scope.period, number, ext="png"),
            mime="image/png", key="download_png", on_click="ignore")
        svg.download_button(ui.tr("deck.page.svg"), lambda: exports.chart_image(
            slide.figure, "svg", illustrative=deck.illustrative, lang=lang),
            file_name=ui.download_name(scope.index, scope.period, number, ext="svg"),
            mime="image/svg+xml", key="download_svg", on_click="ignore")
