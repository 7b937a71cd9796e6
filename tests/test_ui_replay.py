"""Elements replayed on a rerun (``ui.replayed``): a national table or chart is serialised once
per content, and drawn again when its frame changes, even in place."""
from streamlit.testing.v1 import AppTest


def _script():
    import pandas as pd
    import plotly.graph_objects as go
    import streamlit as st

    from reform.app import ui

    state = st.session_state
    if "table" not in state:
        state.table = pd.DataFrame({"unit": ["Phường A", "Xã B"], "value": [1.5, 2.25]})
        state.figure = go.Figure(go.Bar(x=[1, 2], y=[3, 4]))
        state.draws = []
    if state.get("change"):
        state.table.loc[0, "value"] = 9.0  # in place: the same object, another content
        state.change = False

    def draw_table():
        state.draws.append("table")
        st.dataframe(state.table, key="table")

    def draw_chart():
        state.draws.append("chart")
        st.plotly_chart(state.figure, key="chart")

    ui.replayed("dataframe", "table", (state.table, ui.lang()), draw_table)
    with st.container():  # replayed inside a container as well
        ui.replayed("plotly_chart", "chart", (state.figure,), draw_chart)
    ui.replayed("dataframe", "unkeyable", (object(),), lambda: st.dataframe(state.table))


def test_a_rerun_replays_the_same_elements_without_drawing_them_again():
    at = AppTest.from_function(_script, default_timeout=60).run()
    spec = at.get("plotly_chart")[0].proto.spec
    assert at.session_state.draws == ["table", "chart"]
    at.run()
    at.run()
    assert not at.exception
    assert at.session_state.draws == ["table", "chart"]  # nothing serialised again
    assert at.get("plotly_chart")[0].proto.spec == spec
    assert at.dataframe[0].value["value"].tolist() == [1.5, 2.25]
    assert len(at.dataframe) == 2  # the unkeyable one is simply drawn each time


def test_a_frame_changed_in_place_is_drawn_again():
    at = AppTest.from_function(_script, default_timeout=60).run()
    at.session_state.change = True
    at.run()
    assert at.session_state.draws == ["table", "chart", "table"]
    assert at.dataframe[0].value["value"].tolist() == [9.0, 2.25]
