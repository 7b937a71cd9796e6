"""Every page under AppTest through the real entry point (sidebar and navigation included), on
the illustrative sample and on an empty store; then the leaders' and presenters' pages driven
by widget keys and by URL queries, checking the tables and the charts' data."""
from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from apptest_helpers import landed, on_page
from streamlit.testing.v1 import AppTest

from reform.analysis import components, trends
from reform.analysis.ranking import rank_units
from reform.core import config
from reform.core.i18n import t
from reform.present.labels import change_labels
from reform.present.pages import base, profile
from reform.store.snapshot import Snapshot, load_snapshot
from reform.store.store import Store

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "pages").glob("*.py"))
PRESENTER_PAGES = ["pages/overview.py", "pages/rankings.py", "pages/trends.py",
                   "pages/unit_profile.py", "pages/components.py", "pages/compare.py",
                   "pages/methodology.py"]
PROJECTOR_PNG = {"format": "png", "width": 1920, "height": 1080, "scale": 2}
TIMEOUT = 30  # a cold run imports plotly, pandas and reads the store


def start(url: str, monkeypatch: pytest.MonkeyPatch, page: str | None = None,
          query: dict[str, str] | None = None) -> AppTest:
    """The app on ``url``, its first run drawing ``page`` (the default page when None) with
    ``query`` in the URL, as a shared link opens it."""
    monkeypatch.setenv(config.DATABASE_URL_ENV, url)
    return landed(on_page(page, timeout=TIMEOUT, query=query).run(), page)


def open_link(url: str, monkeypatch: pytest.MonkeyPatch, page: str,
              query: dict[str, str]) -> AppTest:
    """A fresh session opening a shared link straight on ``page`` (``/xep-hang?by=…``)."""
    return start(url, monkeypatch, page, query)


def walk(node) -> list:
    """Every element under ``node`` (an AppTest block), in the order drawn, blocks included."""
    out = []
    for child in getattr(node, "children", {}).values():
        out.append(child)
        out += walk(child)
    return out


def figures(at: AppTest) -> list[dict]:
    """The plotly specs drawn on the page, in order."""
    return [json.loads(element.proto.spec) for element in at.get("plotly_chart")]


def values(array: object) -> list:
    """A trace's x/y as a list (plotly stores numpy arrays base64-encoded in the spec)."""
    if isinstance(array, dict) and "bdata" in array:
        raw = np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"]))
        return raw.tolist()
    return list(array)


def column_config(element) -> dict:
    """The column settings a dataframe element was drawn with, by column name."""
    return json.loads(element.proto.columns)


def bar_scores(spec: dict) -> dict[str, float]:
    """unit name -> bar length of a ranking chart."""
    out = {}
    for trace in spec["data"]:
        if trace.get("type") == "bar":
            out.update(zip(values(trace["y"]), values(trace["x"]), strict=True))
    return out


@pytest.fixture(scope="module")
def sample(sample_db_url: str) -> Snapshot:
    return load_snapshot(Store(sample_db_url))


def ranking(sample: Snapshot, **options) -> pd.DataFrame:
    return rank_units(sample.scores, sample.units, published=sample.published,
                                **options)


# ---- every page ------------------------------------------------------------------------------

def test_the_glob_finds_the_presenter_pages():
    assert set(PRESENTER_PAGES) <= set(PAGES)


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_the_sample(page, sample_db_url, monkeypatch):
    at = start(sample_db_url, monkeypatch, page)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    if page in PRESENTER_PAGES:
        assert at.title
    for chart in at.get("plotly_chart"):  # the toolbar's PNG is projector-size on every chart
        assert json.loads(chart.proto.config)["toImageButtonOptions"] == PROJECTOR_PNG


def test_the_rankings_chart_saves_a_projector_png(sample_db_url, monkeypatch):
    at = start(sample_db_url, monkeypatch, "pages/rankings.py")
    config_ = json.loads(at.get("plotly_chart")[0].proto.config)
    assert config_["toImageButtonOptions"] == {"format": "png", "width": 1920, "height": 1080,
                                               "scale": 2}
    assert config_["displaylogo"] is False


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_an_empty_store(page, sqlite_url, monkeypatch):
    at = start(sqlite_url, monkeypatch, page)
    assert not at.exception, [e.value for e in at.exception]
    if page in PRESENTER_PAGES:
        assert [i.value for i in at.info] == [t("ui.empty", "vi")]


@pytest.mark.parametrize("index", ["PAR", "SIPAS", "DISCIPLINE"])
@pytest.mark.parametrize("page", PRESENTER_PAGES)
def test_presenter_pages_on_every_sample_index(page, index, sample_db_url, monkeypatch):
    at = start(sample_db_url, monkeypatch, page, query={"index": t(f"index.{index}", "vi")})
    assert at.selectbox(key="index").value == index
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


# ---- overview --------------------------------------------------------------------------------

def test_overview_figures_chart_and_sentences(sample, sample_db_url, monkeypatch):
    at = start(sample_db_url, monkeypatch, "pages/overview.py")
    table = ranking(sample, index="PAR", period="2024", level="ward")
    assert [m.label for m in at.metric][:2] == ["Số đơn vị", "Trung bình"]
    assert at.metric[0].value == str(len(table))
    (chart,) = figures(at)
    assert bar_scores(chart) == pytest.approx(dict(zip(table["unit"], table["percent"], strict=True)))
    assert "dữ liệu minh họa" in at.warning[0].value
    assert at.markdown[0].value.startswith("- ")


def test_overview_follows_the_period(sample, sample_db_url, monkeypatch):
    at = start(sample_db_url, monkeypatch, "pages/overview.py")
    before = bar_scores(figures(at)[0])
    at.selectbox(key="period").select("2019").run()
    after = bar_scores(figures(at)[0])
    expected = ranking(sample, index="PAR", period="2019", level="ward")
    assert after == pytest.approx(dict(zip(expected["unit"], expected["percent"], strict=True)))
    assert after != before


def test_language_switch(sample_db_url, monkeypatch):
    at = start(sample_db_url, monkeypatch, "pages/overview.py")
    assert at.title[0].value == "Tổng quan"
    at.radio(key="lang").set_value("en").run()
    assert at.title[0].value == "Overview"
    assert [m.label for m in at.metric] == ["Units", "Average", "Best", "Lowest", "Most improved"]
    assert "." in at.metric[1].value and "," not in at.metric[1].value  # 85.32%, not 85,32 %


# ---- rankings --------------------------------------------------------------------------------

def shown_units(at: AppTest) -> list[str]:
    return at.dataframe[0].value["unit"].tolist()


def test_rankings_table_follows_period_and_level(sample, sample_db_url, monkeypatch):
    at = start(sample_db_url, monkeypatch, "pages/rankings.py")
    expected = ranking(sample, index="PAR", period="2024", level="ward")
    table = at.dataframe[0].value
    assert table["unit"].tolist() == expected["unit"].tolist()
    assert table["percent"].tolist() == pytest.approx(expected["percent"].tolist())
    assert table["rank"].tolist() == expected["rank"].tolist()
    fields = base.field_labels(sample.components, index="PAR", period="2024")
    assert list(table.columns[-len(fields):]) == list(fields.values())

    at.selectbox(key="period").select("2023").run()
    expected = ranking(sample, index="PAR", period="2023", level="ward")
    assert at.dataframe[0].value["percent"].tolist() == pytest.approx(expected["percent"].tolist())
    assert shown_units(at) == expected["unit"].tolist()

    at.selectbox(key="level").select("office").run()
    expected = ranking(sample, index="PAR", period="2023", level="office")
    assert len(expected) == 12
    assert shown_units(at) == expected["unit"].tolist()


def test_rankings_numbers_follow_the_language_not_the_browser(sample, sample_db_url, monkeypatch):
    """No number column carries a format of its own (it would follow the browser's locale):
    the table's Styler writes them by the language's rule, and the chart sits above."""
    at = start(sample_db_url, monkeypatch, "pages/rankings.py")
    columns = column_config(at.dataframe[0])
    fields = base.field_labels(sample.components, index="PAR", period="2024").values()
    numbers = [columns[name]["type_config"] for name in ["percent", *fields]]
    assert {c["type"] for c in numbers} == {"number"}
    assert not any("format" in c for c in numbers)
    assert columns["percent"]["label"] == "% tối đa"
    assert len(at.get("plotly_chart")) == 1


def test_rankings_change_labels_and_badges(sample, sample_db_url, monkeypatch):
    at = start(sample_db_url, monkeypatch, "pages/rankings.py")
    expected = ranking(sample, index="PAR", period="2024", level="ward")
    table = at.dataframe[0].value
    assert table["change_label"].tolist() == change_labels(expected).tolist()
    assert table["group"].tolist() == [[g] for g in expected["group"]]


def test_rankings_follow_the_index(sample, sample_db_url, monkeypatch):
    at = start(sample_db_url, monkeypatch, "pages/rankings.py")
    at.selectbox(key="index").select("SIPAS").run()
    expected = ranking(sample, index="SIPAS", period="2024", level="ward")
    table = at.dataframe[0].value
    assert len(table) == 18
    assert table["unit"].tolist() == expected["unit"].tolist()
    assert "1. Tiếp cận dịch vụ" in table.columns


def test_rankings_search_and_group_filter(sample, sample_db_url, monkeypatch):
    at = start(sample_db_url, monkeypatch, "pages/rankings.py")
    at.text_input(key="search").input("hang bac").run()
    assert shown_units(at) == ["Phường Hàng Bạc"]
    at.text_input(key="search").input("").run()
    at.multiselect(key="groups").select("A").run()
    expected = ranking(sample, index="PAR", period="2024", level="ward")
    assert shown_units(at) == expected.loc[expected["group"] == "A", "unit"].tolist()
    assert at.caption[0].value == f"{(expected['group'] == 'A').sum()}/18 đơn vị"


ENGLISH_GROUPS = {"Tốt": "Good", "Khá": "Fair", "Trung bình": "Average", "Yếu": "Weak"}


def test_english_rankings_name_sipas_groups_in_english(sample, sample_db_url, monkeypatch):
    at = start(sample_db_url, monkeypatch, "pages/rankings.py")
    at.selectbox(key="index").select("SIPAS").run()
    expected = ranking(sample, index="SIPAS", period="2024", level="ward")
    assert at.dataframe[0].value["group"].tolist() == [[g] for g in expected["group"]]  # vi
    # A shared link (one run: AppTest cannot rerun a selectbox whose labels changed language)
    at = open_link(sample_db_url, monkeypatch, "pages/rankings.py",
                   {"lang": "English", "index": "SIPAS"})
    assert at.dataframe[0].value["group"].tolist() == [
        [ENGLISH_GROUPS[g]] for g in expected["group"]]
    badges = column_config(at.dataframe[0])["group"]["type_config"]["options"]
    assert {b["value"] for b in badges} == {ENGLISH_GROUPS[g] for g in set(expected["group"])}, badges
    legend = [trace["name"] for trace in figures(at)[0]["data"] if trace.get("type") == "bar"]
    assert set(legend) == {ENGLISH_GROUPS[g] for g in set(expected["group"])}
    filtered = open_link(sample_db_url, monkeypatch, "pages/rankings.py",
                         {"lang": "English", "index": "SIPAS", "groups": "Fair"})
    assert shown_units(filtered) == expected.loc[expected["group"] == "Khá", "unit"].tolist()


def test_english_discipline_ranking_table_names_groups_in_english(sample_db_url, monkeypatch):
    at = start(sample_db_url, monkeypatch, "pages/discipline.py")
    vi = set(at.dataframe[0].value["group"]) if "group" in at.dataframe[0].value else set()
    at.radio(key="lang").set_value("en").run()
    tables = [d.value for d in at.dataframe if "group" in d.value.columns]
    groups = {g for table in tables for g in table["group"] if isinstance(g, str) and g}
    assert groups and groups <= set(ENGLISH_GROUPS.values())
    assert not vi or vi <= set(ENGLISH_GROUPS)


def test_rankings_by_a_component(sample, sample_db_url, monkeypatch):
    at = start(sample_db_url, monkeypatch, "pages/rankings.py")
    at.selectbox(key="by").select("3").run()
    expected = ranking(sample, index="PAR", period="2024", level="ward", component="3")
    assert shown_units(at) == expected["unit"].tolist()
    assert at.dataframe[0].value["percent"].tolist() == pytest.approx(expected["percent"].tolist())


def test_url_period_reproduces_the_view(sample_db_url, monkeypatch):
    linked = start(sample_db_url, monkeypatch, "pages/rankings.py", query={"period": "2022"})
    assert linked.selectbox(key="period").value == "2022"
    clicked = start(sample_db_url, monkeypatch, "pages/rankings.py")
    default = clicked.dataframe[0].value
    clicked.selectbox(key="period").select("2022").run()
    pd.testing.assert_frame_equal(linked.dataframe[0].value, clicked.dataframe[0].value)
    assert not linked.dataframe[0].value.equals(default)


def test_url_reproduces_a_ranking_by_component_and_level(sample, sample_db_url, monkeypatch):
    names = base.field_labels(sample.components, index="PAR", period="2021")
    # A bound selectbox keeps its option's label in the URL: "3. Cải cách thủ tục hành chính".
    at = open_link(sample_db_url, monkeypatch, "pages/rankings.py",
                   {"period": "2021", "level": t("level.office", "vi"), "by": names["3"]})
    assert at.title[0].value == "Xếp hạng"
    assert at.selectbox(key="by").value == "3"
    expected = ranking(sample, index="PAR", period="2021", level="office", component="3")
    assert shown_units(at) == expected["unit"].tolist()


# ---- trends ----------------------------------------------------------------------------------

def test_trends_charts_warnings_and_movers(sample, sample_db_url, monkeypatch):
    at = start(sample_db_url, monkeypatch, "pages/trends.py")
    lines, bump, spread, movers = figures(at)
    series = trends.unit_series(sample.scores, sample.units, index="PAR", level="ward")
    grey = lines["data"][0]
    assert grey["type"] == "scattergl"
    top3 = ranking(sample, index="PAR", period="2024", level="ward")["unit"].head(3).tolist()
    assert [tr.get("name") for tr in lines["data"][2:5]] == top3
    low, high = bump["layout"]["yaxis"]["range"]
    assert low > high  # rank 1 on top
    assert sum(tr["type"] == "box" for tr in spread["data"]) >= 1
    expected = trends.biggest_movers(sample.scores, sample.units, sample.components,
                                        index="PAR", period_from="2023", period_to="2024",
                                        level="ward")
    gained = expected.loc[expected["rank_change"] > 0, "unit"].tolist()
    assert set(values(movers["data"][0]["y"])) <= set(series["unit"])
    assert set(values(movers["data"][0]["y"])) <= set(gained)
    # The sample changes the field maxima in 2021 (thủ tục hành chính 14,5 -> 16): said in
    # a caption under the charts, not in a box above them.
    assert len(at.warning) == 1 and "dữ liệu minh họa" in at.warning[0].value  # the banner
    notes = "\n".join(c.value for c in at.caption)
    assert "Cải cách thủ tục hành chính thay đổi từ 14,5 lên 16 (2020 → 2021)" in notes
    assert t("trends.changes", "vi") in notes
    flags = [a.get("text", "") for a in lines["layout"].get("annotations", [])]
    assert any("Đổi phương pháp" in text for text in flags)


def test_trends_page_order_charts_first_periods_above_the_movers(sample_db_url, monkeypatch):
    at = start(sample_db_url, monkeypatch, "pages/trends.py")
    order = [(node.type, getattr(node, "key", None)) for node in walk(at.main)]
    where = {item: i for i, item in enumerate(order)}

    def first(kind: str, key: str | None = None) -> int:
        return min(i for i, (k, name) in enumerate(order) if k == kind and (key is None or name == key))

    picker, trend = where[("multiselect", "units")], first("plotly_chart")
    period_from, period_to = where[("selectbox", "period_from")], where[("selectbox", "period_to")]
    movers = max(i for i, (k, _) in enumerate(order) if k == "plotly_chart")
    details = first("expander")
    assert picker < trend < details < period_from < period_to < movers
    # Only the hint lies between the unit picker and the tabs of charts (containers aside).
    between = order[picker + 1:first("tab_container")]
    assert [k for k, _ in between if k != "flex_container"] == ["caption"]


def test_trends_highlight_and_movers_periods(sample, sample_db_url, monkeypatch):
    at = start(sample_db_url, monkeypatch, "pages/trends.py")
    at.multiselect(key="units").select("ward:hang-bac").select("ward:cua-nam").run()
    names = [tr.get("name") for tr in figures(at)[0]["data"]]
    assert "Phường Hàng Bạc" in names and "Phường Cửa Nam" in names
    assert "Phường Phúc Tân" not in names  # the default leaders give way to the choice
    at.selectbox(key="period_from").select("2017").run()
    at.selectbox(key="period_to").select("2018").run()
    expected = trends.biggest_movers(sample.scores, sample.units, sample.components,
                                        index="PAR", period_from="2017", period_to="2018",
                                        level="ward")
    movers = figures(at)[3]
    best = expected.iloc[0]
    assert best["unit"] in values(movers["data"][0]["y"])
    at.selectbox(key="period_to").select("2017").run()
    assert [i.value for i in at.info] == [t("trends.same_period", "vi")]


# ---- unit profile ----------------------------------------------------------------------------

def test_unit_profile_follows_the_unit(sample, sample_db_url, monkeypatch):
    at = start(sample_db_url, monkeypatch, "pages/unit_profile.py")
    at.selectbox(key="unit").select("ward:hang-bac").run()
    assert at.header[0].value == "Phường Hàng Bạc"
    table = ranking(sample, index="PAR", period="2024", level="ward")
    row = table[table["unit_id"] == "ward:hang-bac"].iloc[0]
    assert at.metric[0].value == f"{row['rank']}/18"
    trend, rank, fields = figures(at)
    assert "Phường Hàng Bạc" in [tr.get("name") for tr in trend["data"]]
    # The score and rank histories one under the other at full width: the only columns on
    # the page are the four key figures'.
    assert len(at.columns) == 4
    lost_columns = column_config(at.dataframe[0])
    assert lost_columns["% tối đa"]["type_config"]["type"] == "number"
    assert "format" not in lost_columns["TB khối (%)"]["type_config"]
    strengths = components.strengths_weaknesses(sample.scores, sample.units, sample.components,
                                               index="PAR", period="2024",
                                               unit_id="ward:hang-bac")
    lost = at.dataframe[0].value
    pd.testing.assert_frame_equal(lost, profile.lost_points(strengths), check_dtype=False)
    history = at.dataframe[1].value
    assert history["period"].tolist() == [str(y) for y in range(2017, 2025)]


def test_unit_profile_of_an_index_without_fields(sample, sample_db_url, monkeypatch):
    at = start(sample_db_url, monkeypatch, "pages/unit_profile.py",
               query={"index": t("index.DISCIPLINE", "vi")})
    table = ranking(sample, index="DISCIPLINE", period="2024", level="ward")
    first = at.selectbox(key="unit").value
    row = table[table["unit_id"] == first].iloc[0]
    assert at.metric[0].value == f"{row['rank']}/{table['rank'].notna().sum()}"
    assert [i.value for i in at.info] == [t("profile.no_fields", "vi")]
    assert len(figures(at)) == 2  # score and rank history, no field chart


def test_url_opens_a_unit_profile(sample_db_url, monkeypatch):
    at = open_link(sample_db_url, monkeypatch, "pages/unit_profile.py",
                   {"unit": "Phường Tràng Tiền", "lang": "English"})
    assert at.title[0].value == "Unit profile"
    assert at.selectbox(key="unit").value == "ward:trang-tien"
    assert at.header[0].value == "Phường Tràng Tiền"


# ---- components, compare, methodology --------------------------------------------------------

def test_components_heatmap_ranking_and_correlations(sample, sample_db_url, monkeypatch):
    at = start(sample_db_url, monkeypatch, "pages/components.py")
    heatmap, bars, corr = figures(at)
    matrix = components.component_matrix(sample.scores, sample.units, sample.components,
                                        index="PAR", period="2024", level="ward")
    # Rows follow the ranking (best first), not the alphabet.
    by_rank = [u for u in ranking(sample, index="PAR", period="2024", level="ward")["unit"]
               if u in set(matrix.index)]
    assert values(heatmap["data"][0]["y"]) == by_rank != sorted(by_rank)
    assert len(by_rank) == len(matrix)
    # Colours from the block's lowest score, not from 0; no subheader repeats the title.
    low = float(np.floor(np.nanmin(matrix.to_numpy(dtype=float))))
    assert (heatmap["data"][0]["zmin"], heatmap["data"][0]["zmax"]) == (low, 100.0)
    assert low > 0
    assert [h.value for h in at.subheader][0] == "Xếp hạng theo một thành phần"
    assert len(values(heatmap["data"][0]["x"])) == matrix.shape[1] == 8
    assert corr["data"][0]["type"] == "heatmap"
    at.selectbox(key="component").select("7").run()
    expected = ranking(sample, index="PAR", period="2024", level="ward", component="7")
    assert bar_scores(figures(at)[1]) == pytest.approx(
        dict(zip(expected["unit"], expected["percent"], strict=True)))
    assert bar_scores(figures(at)[1]) != bar_scores(bars)
    assert values(figures(at)[0]["data"][0]["y"]) == list(expected["unit"])  # the rows follow


def test_compare_opens_on_the_top_three_then_follows_the_choice(sample, sample_db_url,
                                                                 monkeypatch):
    at = start(sample_db_url, monkeypatch, "pages/compare.py")
    top = ranking(sample, index="PAR", period="2024", level="ward").head(3)
    assert at.multiselect(key="compare").value == top["unit_id"].tolist()
    (chart,) = figures(at)
    assert [tr["name"] for tr in chart["data"]] == top["unit"].tolist()
    assert not at.info
    percent = column_config(at.dataframe[0])["percent"]["type_config"]
    assert (percent["type"], "format" in percent) == ("number", False)

    at.multiselect(key="compare").set_value(["ward:hang-bac"]).run()
    assert [i.value for i in at.info] == [t("compare.pick", "vi")]  # cleared: not re-filled
    at.multiselect(key="compare").select("ward:hang-dao").run()
    (chart,) = figures(at)
    assert [tr["name"] for tr in chart["data"]] == ["Phường Hàng Bạc", "Phường Hàng Đào"]
    table = at.dataframe[0].value
    assert table["unit"].tolist() == ["Phường Hàng Bạc", "Phường Hàng Đào"]
    assert all(len(badge) == 1 for badge in table["group"])


def test_compare_link_naming_units_is_not_overridden(sample_db_url, monkeypatch):
    at = open_link(sample_db_url, monkeypatch, "pages/compare.py",
                   {"compare": ["Phường Hàng Bạc", "Phường Cửa Nam"]})
    assert at.multiselect(key="compare").value == ["ward:hang-bac", "ward:cua-nam"]


def test_methodology_maxima_and_thresholds(sample_db_url, monkeypatch):
    at = start(sample_db_url, monkeypatch, "pages/methodology.py")
    maxima = at.dataframe[0].value.set_index("Kỳ")
    field = next(c for c in maxima.columns if c.startswith("3. "))
    assert maxima.loc["2020", field] == "14,5"  # as Vietnamese writes it, not 14.5
    assert maxima.loc["2021", field] == "16"
    assert maxima["Tổng các lĩnh vực"].tolist() == ["100"] * 8
    settings = column_config(at.dataframe[0])
    assert settings[field]["alignment"] == "right"
    thresholds = at.dataframe[1].value
    assert thresholds.iloc[0].tolist() == ["Mặc định", "A", "≥ 80 %"]
    assert "Năm 2023" in set(thresholds["Áp dụng"])
    assert any("% điểm tối đa" in m.value for m in at.markdown)
