"""Tried as a new user would (issue 9): each of the five refused files, made again, imports
through ``python -m reform import`` and the Data page with no option when the file names its
index and ``--index`` alone otherwise; ``rank`` then gives the published ranks of every period
(where a published rank breaks a two-decimal tie, either rank is right)."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from accounts_helpers import sign_in_apptest
from streamlit.testing.v1 import AppTest

from reform.core.gazetteer import seed_units
from reform.ingest.units import UnitRegistry
from reform.store.store import Store
from tests import shape_fixtures as sf
from tests.command import run

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = UnitRegistry(seed_units())

# builder, the options a new user needs, the periods the file holds
REFUSED = {
    "long_table": (sf.long_table, [], ["2016", "2017", "2018"]),
    "years_wide": (sf.years_wide, [], list(sf.WIDE_YEARS)),
    "one_score": (sf.one_score, ["--index", "PAR"], ["2023"]),
    "data_frame_index": (sf.data_frame_index, [], ["2016"]),
    "annex_document_line": (sf.annex_with_document_line, [], ["2016"]),
}


def _published(name: str, period: str) -> dict[str, int]:
    """The rank each unit (as written) is published with, or, for a file that prints none,
    the rank its scores give at two decimals."""
    if name == "long_table":
        scores = list(sf.LONG_SCORES[period])
        return dict(zip(sf.PROVINCES, sf.competition_ranks(scores), strict=True))
    if name == "years_wide":
        scores = [row[sf.WIDE_YEARS.index(period)] for row in sf.WIDE_SCORES]
        return dict(zip(sf.PROVINCES, sf.competition_ranks(scores), strict=True))
    if name == "one_score":
        return dict(zip(sf.ONE_SCORE_UNITS, sf.competition_ranks(list(sf.ONE_SCORES)), strict=True))
    if name == "data_frame_index":
        return dict(zip(sf.INDEXED_UNITS, sf.competition_ranks([sum(s) for s in sf.INDEXED_SCORES]), strict=True))
    return dict(zip(sf.ANNEX_UNITS, sf.competition_ranks([s[2] for s in sf.ANNEX_SCORES]), strict=True))


def _agrees(rank: int, published: int, value: float, values: list[float]) -> bool:
    """``rank`` is the published one, or lies in the two-decimal tie the published one breaks."""
    tied = [v for v in values if round(v, 2) == round(value, 2)]
    return rank == published or (len(tied) > 1 and published <= rank < published + len(tied))


@pytest.mark.parametrize("name", list(REFUSED))
def test_refused_file_imports_and_ranks_as_published(tmp_path, sqlite_url, name):
    build, options, periods = REFUSED[name]
    path = build(tmp_path)
    done = run("import", str(path), *options, "--json", db=sqlite_url)
    assert done.returncode == 0, done.stdout[-800:] + done.stderr
    report = json.loads(done.stdout)
    assert (report["ok"], report["periods"]) == (True, periods)
    index = report["index"]
    for period in periods:
        ranked = run("rank", "--index", index, "--period", period, "--format", "csv", db=sqlite_url)
        assert ranked.returncode == 0, ranked.stderr
        rows = list(csv.DictReader(io.StringIO(ranked.stdout)))
        published = _published(name, period)
        assert len(rows) == len(published), (period, [r["unit"] for r in rows])
        values = [float(r["value"]) for r in rows]
        by_id = {r["unit_id"]: r for r in rows}
        for unit, rank in published.items():
            row = by_id[REGISTRY.match(unit).unit_id]
            assert _agrees(int(row["rank"]), rank, float(row["value"]), values), (period, unit, row)


def test_text_output_names_the_shape(tmp_path, sqlite_url):
    done = run("import", str(sf.long_table(tmp_path)), "--dry-run", db=sqlite_url)
    assert done.returncode == 0, done.stderr
    assert "Bảng dọc: 3 kỳ từ cột E." in done.stdout


def test_many_warnings_print_a_summary_and_json_keeps_them_all(tmp_path, sqlite_url):
    rows = [["Tên đơn vị", "Tổng điểm"], *([f"Đơn vị số {i}", 50 + i % 7] for i in range(120))]
    path = sf.write_csv(tmp_path / "nhieu_don_vi_2023.csv", rows)
    text = run("import", str(path), "--index", "PAR", "--dry-run", db=sqlite_url)
    assert text.returncode == 0, text.stderr
    assert "unknown_unit: 120" in text.stdout and "… (+115)" in text.stdout
    assert text.stdout.count("Đơn vị số") == 5
    report = json.loads(run("import", str(path), "--index", "PAR", "--dry-run", "--json", db=sqlite_url).stdout)
    assert len([i for i in report["issues"] if i["code"] == "unknown_unit"]) == 120


# ---------------------------------------------------------------------------------------------
# The Data page
# ---------------------------------------------------------------------------------------------

def _open(monkeypatch: pytest.MonkeyPatch, url: str) -> AppTest:
    monkeypatch.setenv("REFORM_DATABASE_URL", url)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    sign_in_apptest(at, url)  # only analysts may upload
    at.run()
    at.switch_page("pages/data.py")
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("name", list(REFUSED))
def test_refused_file_imports_through_the_data_page(monkeypatch, tmp_path, sqlite_url, name):
    build, options, periods = REFUSED[name]
    path = build(tmp_path)
    at = _open(monkeypatch, sqlite_url)
    if options:
        at.selectbox(key="upload_index").set_value(options[1])
    at.file_uploader(key="upload").set_value((path.name, path.read_bytes(), "application/octet-stream"))
    at.run()
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    store = next(b for b in at.button if b.key and b.key.startswith("store_"))
    assert not store.disabled
    store.click()
    at.run()
    [dataset] = Store(sqlite_url).datasets()
    assert (dataset["file"], dataset["periods"]) == (path.name, periods)


def test_data_page_says_the_shape_it_found(monkeypatch, tmp_path, sqlite_url):
    path = sf.long_table(tmp_path)
    at = _open(monkeypatch, sqlite_url)
    at.file_uploader(key="upload").set_value((path.name, path.read_bytes(), "text/csv"))
    at.run()
    assert "'pci_2016_2018': Bảng dọc: 3 kỳ từ cột E." in [c.value for c in at.caption]
    # One tab of column roles for the sheet, however many periods it held; the period column
    # is offered by its role.
    editors = [d for d in at.dataframe if "role" in d.value.columns]
    assert len(editors) == 1
    assert editors[0].value.set_index("letter").loc["E", "role"] == "period"
