"""The discipline, satisfaction and cross-index pages under AppTest on the sample data."""
from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from reform.ingest.pipeline import parse_file
from reform.ingest.units import UnitRegistry
from reform.store.store import Store

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("pages/discipline.py", "pages/satisfaction.py", "pages/cross_index.py")


def _open(monkeypatch: pytest.MonkeyPatch, url: str, page: str, **sidebar: str) -> AppTest:
    """The app on ``page`` reading the store at ``url``, with sidebar choices by widget key."""
    monkeypatch.setenv("REFORM_DATABASE_URL", url)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()  # AppTest must run once before it can switch to a st.navigation page
    at.switch_page(page)
    at.run()
    for key, value in sidebar.items():
        at.selectbox(key=key).select(value)
        at.run()
    assert not at.exception, at.exception
    return at


def _frame_with(at: AppTest, *columns: str) -> pd.DataFrame:
    frames = [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)]
    assert frames, [list(d.value.columns) for d in at.dataframe]
    return frames[0]


def _cross_table(at: AppTest) -> pd.DataFrame:
    """The cross-index table: the frame of index columns without the standouts' residual."""
    frames = [d.value for d in at.dataframe
              if {"unit_id", "PAR"} <= set(d.value.columns) and "residual" not in d.value.columns]
    assert len(frames) == 1
    return frames[0]


def _figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def _values(array: object) -> np.ndarray:
    """A Plotly JSON array, plain or typed ({"dtype": "f8", "bdata": base64})."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"]))
    return np.asarray(array)


def _totals(url: str, index: str, period: str) -> pd.DataFrame:
    scores = Store(url).scores()
    return scores[(scores["index"] == index) & (scores["period"] == period)
                  & (scores["component"] == "TOTAL")]


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_sample(monkeypatch: pytest.MonkeyPatch, sample_db_url: str, page: str) -> None:
    at = _open(monkeypatch, sample_db_url, page)
    assert not at.error
    assert len(at.get("plotly_chart")) >= 1


@pytest.mark.parametrize("page", PAGES)
def test_page_on_empty_store_says_how_to_load(monkeypatch: pytest.MonkeyPatch, sqlite_url: str,
                                              page: str) -> None:
    at = _open(monkeypatch, sqlite_url, page)
    assert [i.value for i in at.info][0].startswith("Chưa có dữ liệu.")
    assert not at.get("plotly_chart")


@pytest.mark.parametrize(("level", "count", "prefix"), [("ward", 18, "ward:"), ("office", 12, "office:")])
def test_discipline_ranking_of_the_block(monkeypatch: pytest.MonkeyPatch, sample_db_url: str,
                                         level: str, count: int, prefix: str) -> None:
    at = _open(monkeypatch, sample_db_url, "pages/discipline.py", period="2024", level=level)
    ranking = _frame_with(at, "rank", "unit_id")
    assert len(ranking) == count
    assert ranking["unit_id"].str.startswith(prefix).all()
    assert set(ranking["period"]) == {"2024"}
    assert list(ranking["rank"]) == sorted(ranking["rank"])
    bars = [f for f in _figures(at) if "2024" in f["layout"]["title"]["text"]
            and "kỷ cương" in f["layout"]["title"]["text"]]
    assert len(bars) == 1


def test_discipline_year_follows_the_sidebar(monkeypatch: pytest.MonkeyPatch, sample_db_url: str) -> None:
    at = _open(monkeypatch, sample_db_url, "pages/discipline.py", period="2023", level="ward")
    assert set(_frame_with(at, "rank", "unit_id")["period"]) == {"2023"}
    assert not at.info
    # PAR 2019 has no inspections: the latest inspected year is shown, and said so.
    at.selectbox(key="period").select("2019")
    at.run()
    assert set(_frame_with(at, "rank", "unit_id")["period"]) == {"2024"}
    assert [i.value for i in at.info] == [
        "Chưa có biên bản kiểm tra năm 2019: đang hiển thị năm 2024."]


def test_discipline_drill_down_shows_the_units_records(monkeypatch: pytest.MonkeyPatch,
                                                       sample_db_url: str) -> None:
    at = _open(monkeypatch, sample_db_url, "pages/discipline.py", period="2024", level="ward")
    at.selectbox(key="unit").select("ward:hang-bac")
    at.run()
    records = _frame_with(at, "date", "team")
    inspections = Store(sample_db_url).inspections()
    expected = inspections[(inspections["unit_id"] == "ward:hang-bac")
                           & (inspections["date"].dt.year == 2024)]
    assert len(records) == len(expected) > 0
    assert set(records["unit_id"]) == {"ward:hang-bac"}
    assert set(records["unit"]) == {"Phường Hàng Bạc"}
    assert list(records["date"]) == sorted(records["date"], reverse=True)


def test_discipline_without_inspections_says_how_to_import(
        monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> None:
    store = Store(sqlite_url)
    path = ROOT / "data" / "sample_sipas.xlsx"
    store.save(parse_file(path.read_bytes(), path.name, UnitRegistry(store.units())).dataset())
    at = _open(monkeypatch, sqlite_url, "pages/discipline.py")
    assert len(at.info) == 1
    assert "Chưa có biên bản kiểm tra công vụ" in at.info[0].value
    assert not at.get("plotly_chart")


def test_satisfaction_page_tables(monkeypatch: pytest.MonkeyPatch, sample_db_url: str) -> None:
    # the page shows SIPAS whatever index the other pages use: it offers no index picker
    at = _open(monkeypatch, sample_db_url, "pages/satisfaction.py", period="2024")
    ranking = _frame_with(at, "rank", "unit_id")
    assert len(ranking) == 18
    below = _frame_with(at, "shortfall")
    totals = _totals(sample_db_url, "SIPAS", "2024")
    assert sorted(below["unit_id"]) == sorted(totals.loc[totals["value"] < 80, "unit_id"])
    gaps = _frame_with(at, "element_name", "gap")
    assert len(gaps) == 5
    chart = next(f for f in _figures(at) if len(f["data"]) == 2 and f["layout"].get("barmode") == "group")
    assert list(chart["data"][0]["y"]) == list(gaps["element_name"])

    at.selectbox(key="unit").select("ward:hang-gai")
    at.run()
    elements = _frame_with(at, "assessment", "expectation")
    assert set(elements["unit_id"]) == {"ward:hang-gai"}
    assert list(elements["element"]) == ["1", "2", "3", "4", "5"]


def test_satisfaction_in_english(monkeypatch: pytest.MonkeyPatch, sample_db_url: str) -> None:
    at = _open(monkeypatch, sample_db_url, "pages/satisfaction.py")
    at.radio(key="lang").set_value("en")
    at.run()
    assert at.title[0].value == "Citizen satisfaction (SIPAS)"
    assert "Satisfaction and expectation by element" in " ".join(
        f["layout"]["title"]["text"] for f in _figures(at))


@pytest.mark.parametrize(("level", "y", "expected"), [
    ("ward", "SIPAS", 18), ("office", "DISCIPLINE", 12), ("ward", "DISCIPLINE", 18),
])
def test_cross_index_scatter_has_one_point_per_shared_unit(
        monkeypatch: pytest.MonkeyPatch, sample_db_url: str, level: str, y: str, expected: int) -> None:
    at = _open(monkeypatch, sample_db_url, "pages/cross_index.py", period="2024", level=level)
    at.selectbox(key="y").select(y)
    at.run()
    assert not at.exception
    par = set(_totals(sample_db_url, "PAR", "2024")["unit_id"])
    other = set(_totals(sample_db_url, y, "2024")["unit_id"]) if y != "DISCIPLINE" else set(
        _cross_table(at).dropna(subset=["DISCIPLINE"])["unit_id"])
    shared = {u for u in par & other if u.startswith(f"{level}:")}
    assert len(shared) == expected
    scatter = next(f for f in _figures(at) if f["data"][0].get("mode") == "markers")
    assert len(_values(scatter["data"][0]["x"])) == expected
    assert sorted(scatter["data"][0]["hovertext"]) == sorted(
        _cross_table(at).set_index("unit_id").loc[sorted(shared), "unit"])
    assert any(m.value.startswith("Tương quan: r = ") and f"; {expected} đơn vị)" in m.value
               for m in at.markdown)
    standouts = _frame_with(at, "residual", "pattern")
    assert len(standouts) == 5
    assert standouts["residual"].abs().is_monotonic_decreasing


def test_cross_index_same_axis_asks_for_two_indices(monkeypatch: pytest.MonkeyPatch,
                                                    sample_db_url: str) -> None:
    at = _open(monkeypatch, sample_db_url, "pages/cross_index.py")
    at.selectbox(key="y").select("PAR")
    at.run()
    assert [i.value for i in at.info] == ["Hãy chọn hai chỉ số khác nhau."]
    assert not at.get("plotly_chart")


@pytest.mark.parametrize(("page", "keys"), [
    ("pages/cross_index.py", ("x", "y")), ("pages/discipline.py", ("unit",)),
    ("pages/satisfaction.py", ("unit",)),
])
def test_view_selections_are_bound_to_the_url(monkeypatch: pytest.MonkeyPatch, sample_db_url: str,
                                              page: str, keys: tuple[str, ...]) -> None:
    # AppTest clears page-specific query parameters when it switches pages, so a URL cannot
    # be replayed here; the binding itself (which the browser acts on) is checked instead.
    at = _open(monkeypatch, sample_db_url, page)
    assert {key: at.selectbox(key=key).proto.query_param_key for key in keys} == {k: k for k in keys}


@pytest.mark.parametrize(("page", "index", "name"), [
    ("pages/discipline.py", "DISCIPLINE", "Kỷ cương hành chính"),
    ("pages/satisfaction.py", "SIPAS", "Chỉ số hài lòng (SIPAS)"),
])
def test_sidebar_offers_only_the_index_that_applies(monkeypatch: pytest.MonkeyPatch,
                                                    sample_db_url: str, page: str, index: str,
                                                    name: str) -> None:
    at = _open(monkeypatch, sample_db_url, page)
    keys = [s.key for s in at.sidebar.selectbox]
    assert "index" not in keys  # the picker gave way to the one index shown
    fixed = at.sidebar.selectbox(key="index_fixed")
    assert fixed.disabled and fixed.options == [name] and fixed.value == index
    # the choice made for the other pages is kept (in the session and the link)
    assert at.session_state["index"] == "PAR" and at.query_params["index"] == "PAR"
