"""The browserless session's reading of what a run draws (``bench/streamlit_session.py``):
which elements are errors, which are widgets and under which key. The whole driver runs
against a real server in tests/test_load.py."""
from __future__ import annotations

import pytest
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.Element_pb2 import Element

from bench.load import LoadResult, _slope
from bench.streamlit_session import Run, _note_element, select, trigger, user_key


def _drawn(*elements: Element) -> Run:
    run = Run()
    for element in elements:
        _note_element(run, element)
    return run


def test_an_exception_box_and_an_error_alert_are_problems_a_success_is_not():
    boom, error, ok = Element(), Element(), Element()
    boom.exception.type, boom.exception.message = "KeyError", "'index'"
    error.alert.body, error.alert.format = "Không có dữ liệu", Alert.ERROR
    ok.alert.body, ok.alert.format = "Đã lưu", Alert.SUCCESS
    run = _drawn(boom, error, ok)
    assert run.problems == ["exception: KeyError: 'index'", "error: Không có dữ liệu"]
    assert run.successes == ["Đã lưu"]


def test_widgets_are_found_by_their_key_and_states_name_their_id():
    box, button = Element(), Element()
    box.selectbox.id, box.selectbox.options[:] = "$$ID-0a1b-period", ["2024", "2025"]
    button.button.id = "$$ID-ffee-store_0123456789ab"
    run = _drawn(box, button)
    assert sorted(run.widgets) == ["period", "store_0123456789ab"]
    assert select(run.widget("period"), "2024").string_value == "2024"
    assert trigger(run.widget("store_0123456789ab")).id == "$$ID-ffee-store_0123456789ab"
    with pytest.raises(ValueError, match="2019"):
        select(run.widget("period"), "2019")
    with pytest.raises(KeyError, match="period"):
        run.widget("unit")


@pytest.mark.parametrize(("element_id", "key"), [
    ("$$ID-0a1b-period", "period"),
    ("$$ID-0a1b-store-v2", "store-v2"),  # a key may hold dashes
    ("$$ID-0a1b-None", "$$ID-0a1b-None"),  # no key: the id itself
])
def test_user_key(element_id, key):
    assert user_key(element_id) == key


def test_exceptions_fail_a_load_run_but_the_app_s_own_error_messages_are_only_counted():
    result, run = LoadResult(1, 0, 1.0), Run(seconds=0.5)
    run.problems = ["exception: KeyError: 'index'", "error: Không có dữ liệu"]
    result.note_run("session 0", "/ho-so-don-vi", run)
    assert result.errors == ["session 0 /ho-so-don-vi: exception: KeyError: 'index'"]
    assert result.alerts == {"/ho-so-don-vi: error: Không có dữ liệu": 1}
    assert result.views_by_session == {"session 0": 1}
    assert (result.page_views, result.view_seconds) == (1, [0.5])
    result.note_run("uploader 0", "store", Run(seconds=9.0))  # timed as an upload, not a view
    assert (result.page_views, result.views_by_session["uploader 0"]) == (1, 1)


def test_rss_slope_is_per_minute_and_flat_memory_has_none():
    assert _slope([300.0] * 30) == 0
    assert _slope([300.0 + second for second in range(30)]) == 60  # 1 MB a second
    assert _slope([300.0]) is None
