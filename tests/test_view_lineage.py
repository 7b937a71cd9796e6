"""The 2025 reorganisation on the trends, unit-profile and methodology pages: view-models and
pages on the sample with its real lineage (Hoàn Kiếm's 18 wards → 5 new wards) and its 2025
results of the new wards; the expected values are computed here from the stored scores."""
from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from data.load_sample import LATER_FILES, import_lineage, import_results
from reform.analysis import lineage
from reform.core import config
from reform.core.model import TOTAL
from reform.present import charts
from reform.present.pages import methodology, profile, trends
from reform.store.snapshot import Snapshot, load_snapshot
from reform.store.store import Store

ROOT = Path(__file__).resolve().parents[1]
NEW_HOAN_KIEM = "ward:hoan-kiem-00070@2025"
# DOMAIN.md: the new Hoàn Kiếm ward = 13 of Hoàn Kiếm's 18 wards (7 whole, 6 in part) plus
# part of Điện Biên (Ba Đình district), which the sample has no score for.
HOAN_KIEM_SAMPLE_PREDECESSORS = [f"ward:{w}" for w in (
    "hang-ma", "hang-buom", "hang-dao", "hang-bo", "ly-thai-to", "hang-bac", "hang-gai",
    "dong-xuan", "cua-dong", "hang-trong", "cua-nam", "hang-bong", "trang-tien")]
NEW_WARDS = {"Phường Hoàn Kiếm", "Phường Cửa Nam", "Phường Hồng Hà", "Phường Ba Đình",
             "Phường Văn Miếu - Quốc Tử Giám"}
AFTER = date(2026, 1, 1)


@pytest.fixture(scope="module")
def reorganised_url(sample_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The sample store plus its lineage and its 2025 results, as ``load_sample`` loads them."""
    target = tmp_path_factory.mktemp("reorganised") / "reform.sqlite"
    shutil.copy(sample_db_url.removeprefix("sqlite:///"), target)
    url = f"sqlite:///{target}"
    store = Store(url)
    import_lineage(store, ROOT / "data")
    import_results(store, ROOT / "data", LATER_FILES)
    store.engine.dispose()
    return url


@pytest.fixture(scope="module")
def data(reorganised_url: str) -> Snapshot:
    return load_snapshot(Store(reorganised_url), cache_dir=None)


def totals(data: Snapshot, unit_ids: list[str]) -> pd.DataFrame:
    """The stored totals of ``unit_ids`` per period, in % of the maximum."""
    scores = data.scores
    here = scores[(scores["index"] == "PAR") & (scores["component"] == TOTAL)
                  & scores["unit_id"].isin(unit_ids)]
    return here.assign(percent=here["value"] / here["max_value"] * 100,
                       period=here["period"].astype(str))


def test_the_2025_names_resolve_to_the_new_wards(data: Snapshot):
    units_2025 = set(data.scores.loc[data.scores["period"] == "2025", "unit_id"])
    assert {data.unit_names[u] for u in units_2025} == NEW_WARDS
    assert all(u.endswith("@2025") for u in units_2025)
    assert "ward:cua-nam" not in units_2025  # the old ward that only shares the name


def test_dashed_line_is_the_mean_of_the_predecessors(data: Snapshot):
    view = profile.build_profile(data, index="PAR", period="2025", level="ward",
                                 unit_id=NEW_HOAN_KIEM)
    expected = totals(data, HOAN_KIEM_SAMPLE_PREDECESSORS).groupby("period")["percent"].mean()
    got = view.composite.set_index("period")["percent"]
    assert list(got.index) == [str(y) for y in range(2017, 2025)]
    pd.testing.assert_series_equal(got, expected.loc[got.index], check_names=False)
    assert set(view.composite["coverage"]) == {"13/14"}
    assert sorted(view.predecessors) == sorted(HOAN_KIEM_SAMPLE_PREDECESSORS)
    assert "14" in view.composite_note and "Phường Điện Biên" in view.composite_note
    figure = charts.trend_lines(view.series, highlight=[NEW_HOAN_KIEM], composite=view.composite,
                                composite_name=view.composite_name)
    dashed = [trace for trace in figure.data if trace.name == view.composite_name]
    assert len(dashed) == 1 and dashed[0].line.dash == "dash"
    assert list(dashed[0].y) == pytest.approx(list(expected.loc[got.index]))


def test_an_old_unit_has_no_composite_and_a_new_one_no_ending(data: Snapshot):
    old = profile.build_profile(data, index="PAR", period="2024", level="ward",
                                unit_id="ward:hang-bac")
    assert old.composite.empty and old.predecessors == []
    assert old.ending == "Sáp nhập vào Phường Hoàn Kiếm từ 1/7/2025"
    new = profile.build_profile(data, index="PAR", period="2025", level="ward",
                                unit_id=NEW_HOAN_KIEM, lang="en")
    assert new.ending is None


@pytest.mark.parametrize(("lang", "whole", "split_start", "split_end"), [
    ("vi", "Sáp nhập vào Phường Hoàn Kiếm từ 1/7/2025", "Sáp nhập vào ", " từ 1/7/2025"),
    ("en", "merged into Phường Hoàn Kiếm on 1/7/2025", "merged into ", " on 1/7/2025"),
])
def test_merged_into_note_names_the_successors_and_the_date(data: Snapshot, lang, whole,
                                                            split_start, split_end):
    view = trends.build_trends(data, index="PAR", level="ward", period_from="2024",
                               period_to="2025", lang=lang)
    assert view.endings["ward:hang-bac"] == whole
    split = view.endings["ward:cua-nam"]  # old Cửa Nam went into four new wards
    assert split.startswith(split_start) and split.endswith(split_end)
    named = split.removeprefix(split_start).removesuffix(split_end).split(", ")
    assert set(named) == {"Phường Hoàn Kiếm", "Phường Cửa Nam", "Phường Ba Đình",
                          "Phường Văn Miếu - Quốc Tử Giám"}
    assert NEW_HOAN_KIEM not in view.endings and len(view.endings) == 18
    figure = charts.trend_lines(view.series, highlight=["ward:hang-bac"], endings=view.endings)
    assert [a.text for a in figure.layout.annotations] == [whole]


def test_as_of_changes_the_units_shown(data: Snapshot):
    def units_2024(view: trends.Trends) -> set[str]:
        return set(view.series.loc[view.series["period"] == "2024", "unit_id"])

    stood = trends.build_trends(data, index="PAR", level="ward", period_from="2023",
                                period_to="2024")
    assert units_2024(stood) == {f"ward:{w}" for w in (
        "phuc-tan", "dong-xuan", "hang-ma", "hang-buom", "hang-dao", "hang-bo", "cua-dong",
        "ly-thai-to", "hang-bac", "hang-gai", "chuong-duong", "hang-trong", "cua-nam",
        "hang-bong", "trang-tien", "tran-hung-dao", "phan-chu-trinh", "hang-bai")}
    assert stood.as_of_caption == ""
    today = trends.build_trends(data, index="PAR", level="ward", period_from="2023",
                                period_to="2024", as_of=AFTER, lang="en")
    assert {data.unit_names[u] for u in units_2024(today)} == NEW_WARDS
    row = today.series[(today.series["period"] == "2024")].set_index("unit_id")
    expected = totals(data, HOAN_KIEM_SAMPLE_PREDECESSORS)
    assert row.loc[NEW_HOAN_KIEM, "percent"] == pytest.approx(
        expected.loc[expected["period"] == "2024", "percent"].mean())
    assert row.loc[NEW_HOAN_KIEM, "coverage"] == "13/14"
    # Hồng Hà has 2 of its 12 predecessors in the sample: below half, so no value.
    hong_ha = row[row["unit"] == "Phường Hồng Hà"].iloc[0]
    assert pd.isna(hong_ha["value"]) and hong_ha["coverage"] == "2/12"
    assert "Phường Hoàn Kiếm 13/14" in today.as_of_caption and "1/1/2026" in today.as_of_caption
    # A day before the reorganisation keeps the periods on their own units.
    before = trends.build_trends(data, index="PAR", level="ward", period_from="2023",
                                 period_to="2024", as_of=date(2025, 1, 1))
    assert units_2024(before) == units_2024(stood)


def test_as_of_profile_offers_the_new_units_with_a_value(data: Snapshot):
    choices = profile.unit_choices(data, index="PAR", period="2024", level="ward", as_of=AFTER)
    assert [data.unit_names[u] for u in choices] == ["Phường Cửa Nam", "Phường Hoàn Kiếm"]
    assert profile.unit_choices(data, index="PAR", period="2024", level="ward",
                                as_of=None) is None
    view = profile.build_profile(data, index="PAR", period="2024", level="ward",
                                 unit_id=NEW_HOAN_KIEM, as_of=AFTER)
    assert (view.rank_text, view.coverage) == ("1/2", "13/14")


def test_composite_history_and_merged_into_on_a_small_frame():
    scores = pd.DataFrame({"index": "PAR", "period": ["2024", "2024", "2025"],
                           "unit_id": ["a", "b", "n"], "component": TOTAL,
                           "value": [80.0, 90.0, 70.0], "max_value": 100.0})
    links = pd.DataFrame({"old_unit_id": ["a", "b"], "new_unit_id": ["n", "n"],
                          "weight": float("nan"), "effective": "2025-07-01"})
    moved = lineage.composite_history(scores, links, unit_id="n", index="PAR")
    assert moved.sort_values("period")[["period", "unit_id", "value", "coverage"]].to_dict(
        "records") == [{"period": "2024", "unit_id": "n", "value": 85.0, "coverage": "2/2"},
                       {"period": "2025", "unit_id": "n", "value": 70.0, "coverage": ""}]
    assert lineage.merged_into(links, "a") == (["n"], date(2025, 7, 1))
    assert lineage.merged_into(links, "n") == ([], None)


@pytest.mark.parametrize("share", [0.5, 0.6])
def test_methodology_states_the_rule_with_the_configured_threshold(share):
    heading, rules = methodology.lineage_rules(lang="en", min_coverage=share)
    assert heading == "Units across the reorganisation of 1/7/2025"
    coverage = next(line for line in rules if "at least" in line)
    assert f"{share * 100:.0f}%" in coverage
    assert f"e.g. {lineage.needed(14, share)} of 14" in coverage
    vi_heading, vi_rules = methodology.lineage_rules(lang="vi")
    assert vi_heading.startswith("Đơn vị qua đợt sắp xếp") and len(vi_rules) == len(rules)
    assert config.LINEAGE_MIN_COVERAGE == 0.5  # the page's default threshold


# ---- pages under AppTest, both languages -------------------------------------------------

def run_page(url: str, monkeypatch: pytest.MonkeyPatch, page: str,
             query: dict[str, str]) -> AppTest:
    """A fresh session opening a link straight on ``page`` (see ``test_pages.open_link``: a
    selectbox whose labels changed language cannot be rerun, so English is one run)."""
    monkeypatch.setenv(config.DATABASE_URL_ENV, url)
    first = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    first.run()
    first.switch_page(page)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params.update(query)
    at._page_hash = first._page_hash
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    return "\n".join(e.value for kind in ("caption", "info", "markdown", "subheader")
                     for e in at.get(kind))


def dashed_names(at: AppTest) -> list[str]:
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return [trace.get("name", "") for trace in spec["data"]
            if trace.get("line", {}).get("dash") == "dash"]


SCOPE_2024 = {"index": "PAR", "period": "2024", "level": "ward", "units": "Phường Hàng Bạc"}


@pytest.mark.parametrize(("lang", "note", "as_of"), [
    ("vi", "Phường Hàng Bạc: Sáp nhập vào Phường Hoàn Kiếm từ 1/7/2025",
     "Mọi kỳ được tính lại trên các đơn vị có hiệu lực ngày 1/1/2026"),
    ("English", "Phường Hàng Bạc: merged into Phường Hoàn Kiếm on 1/7/2025",
     "Every period re-aggregated onto the units valid on 1/1/2026"),
])
def test_trends_page_ends_an_old_ward_with_its_note(reorganised_url, monkeypatch, lang, note,
                                                    as_of):
    at = run_page(reorganised_url, monkeypatch, "pages/trends.py", {"lang": lang, **SCOPE_2024})
    assert note in texts(at)
    assert as_of not in texts(at)
    today = run_page(reorganised_url, monkeypatch, "pages/trends.py",
                     {"lang": lang, **SCOPE_2024, "as_of": AFTER.isoformat()})
    assert today.toggle(key="as_of").value is True
    assert as_of in texts(today) and "Phường Hoàn Kiếm 13/14" in texts(today)
    assert note not in texts(today)  # old Hàng Bạc has no line of its own on today's units


@pytest.mark.parametrize(("lang", "note", "name"), [
    ("vi", "Trước 1/7/2025 đơn vị này chưa có", "Phường Hoàn Kiếm: trước 1/7/2025"),
    ("English", "Before 1/7/2025 this unit did not exist", "Phường Hoàn Kiếm: before 1/7/2025"),
])
def test_profile_page_draws_the_composite_dashed(reorganised_url, monkeypatch, lang, note, name):
    at = run_page(reorganised_url, monkeypatch, "pages/unit_profile.py",
                  {"lang": lang, "index": "PAR", "period": "2025", "level": "ward",
                   "unit": "Phường Hoàn Kiếm"})
    assert note in texts(at)
    assert [n for n in dashed_names(at) if n.startswith("Phường")] == [
        f"{name}, {'trung bình các đơn vị tiền thân' if lang == 'vi' else 'mean of its predecessors'}"]


def test_profile_page_shows_predecessors_on_demand(reorganised_url, monkeypatch):
    at = run_page(reorganised_url, monkeypatch, "pages/unit_profile.py",
                  {"index": "PAR", "period": "2025", "level": "ward", "unit": "Phường Hoàn Kiếm"})
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert "Phường Hàng Bạc" not in {trace.get("name") for trace in spec["data"]}
    at.multiselect(key="predecessors").set_value(["ward:hang-bac", "ward:cua-nam"]).run()
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert {"Phường Hàng Bạc", "Phường Cửa Nam"} <= {trace.get("name") for trace in spec["data"]}


def test_profile_page_of_an_old_ward_says_where_it_went(reorganised_url, monkeypatch):
    at = run_page(reorganised_url, monkeypatch, "pages/unit_profile.py",
                  {"index": "PAR", "period": "2024", "level": "ward", "unit": "Phường Hàng Bạc"})
    assert "Phường Hàng Bạc: Sáp nhập vào Phường Hoàn Kiếm từ 1/7/2025" in [e.value for e in at.info]


@pytest.mark.parametrize(("lang", "heading"), [
    ("vi", "Đơn vị qua đợt sắp xếp ngày 1/7/2025"),
    ("English", "Units across the reorganisation of 1/7/2025"),
])
def test_methodology_page_states_the_rule(reorganised_url, monkeypatch, lang, heading):
    at = run_page(reorganised_url, monkeypatch, "pages/methodology.py", {"lang": lang})
    assert heading in [e.value for e in at.subheader]


def test_every_page_changes_the_first_new_period_against_the_composites(data: Snapshot):
    # The overview, the rankings page and the pages using ``ranking_with_labels`` rank 2025 the
    # same way: Hoàn Kiếm's change is against its composite of 2024 (rank 1), not "new". Its
    # 2025 value is its own, so it has no coverage.
    from reform.present.pages import base, overview, rankings

    def hoan_kiem(table: pd.DataFrame) -> tuple:
        row = table.loc[table["unit_id"] == NEW_HOAN_KIEM].iloc[0]
        return int(row["previous_rank"]), bool(row["is_new"]), row["coverage"]

    seen = {
        "overview": hoan_kiem(overview.build_overview(data, index="PAR", period="2025",
                                                      level="ward").table),
        "rankings": hoan_kiem(rankings.build_rankings(data, index="PAR", period="2025",
                                                      level="ward").table),
        "labels": hoan_kiem(base.ranking_with_labels(data, index="PAR", period="2025",
                                                     level="ward", lang="vi")),
    }
    assert set(seen.values()) == {(1, False, "")}, seen
