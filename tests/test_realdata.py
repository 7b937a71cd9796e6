"""Acceptance on the real published spreadsheets copied into tests/realdata (PAPI, PCI)."""
import csv
import hashlib
import io

import pandas as pd
import pytest

from reform.analysis import ranking
from reform.core.model import TOTAL
from reform.ingest.pipeline import parse_file
from reform.ingest.units import UnitRegistry
from reform.store.store import Store
from tests.command import run


def parse(store, path, **options):
    return parse_file(path.read_bytes(), path.name, UnitRegistry(store.units()), **options)


def test_real_files_are_the_published_bytes(realdata):
    """The copies are the files as published: a changed copy would make every figure below moot."""
    for line in (realdata / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split()
        assert hashlib.sha256((realdata / name).read_bytes()).hexdigest() == digest, name


def test_papi_2011_2016(store, realdata):
    parsed = parse(store, realdata / "PAPI_2011-2016.xlsx")
    assert parsed.ok, [i for i in parsed.issues if i.severity == "error"][:3]
    assert (parsed.index, parsed.periods) == ("PAPI", ["2011", "2012", "2013", "2014", "2015", "2016"])
    scores = parsed.scores
    per_year = scores[scores["component"] == TOTAL].groupby("period")["unit_id"].nunique()
    assert per_year.tolist() == [63] * 6
    assert not any("cao nhat" in u or "highest" in u for u in scores["unit_id"])  # the 999 row is no unit
    components = parsed.components[parsed.components["period"] == "2011"]
    dimensions = components[components["parent"] == ""]
    assert len(dimensions) == 6
    assert set(components[components["parent"] == "1"]["name"]) == {
        "Tri thức công dân", "Cơ hội tham gia", "Chất lượng bầu cử", "Đóng góp tự nguyện"}
    wide = scores.pivot_table(index=["period", "unit_id"], columns="component", values="value")
    dimension_sum = wide[list(dimensions["component"])].sum(axis=1)
    assert (dimension_sum - wide[TOTAL]).abs().max() < 1e-3
    assert wide.loc[("2011", "province:ha-noi"), TOTAL] == pytest.approx(36.40502)


def test_pci_2009_ranks_from_total_equal_published(store, realdata):
    parsed = parse(store, realdata / "PCI_2009.xls", sheet="Tong Hop")
    assert parsed.ok
    assert (parsed.index, parsed.periods, parsed.unit_count, parsed.component_count) == ("PCI", ["2009"], 63, 9)
    store.save(parsed.dataset())
    table = ranking.rank_units(store.scores(), store.units(), index="PCI", period="2009",
                                 level="province", published=store.published())
    assert len(table) == 63
    assert (table["rank"].astype(int) == table["published_rank"].astype(int)).all()


def test_pci_2016_pairs_resolved_by_name(store, realdata):
    parsed = parse(store, realdata / "PCI_2016.xlsx", sheet="Summary_VN")
    assert parsed.ok
    wide = parsed.scores.pivot(index="unit_id", columns="component", values="value")
    assert wide.shape == (63, 11)  # 10 sub-indices and the total, for every province
    assert not wide.isna().any(axis=None)
    published = parsed.published.set_index("unit_id")
    assert published.loc["province:da-nang", "rank"] == 1
    assert set(published["group"]) == {"Rất tốt", "Tốt", "Khá", "Trung bình", "Tương đối thấp", "Thấp"}
    order = wide[TOTAL].rank(ascending=False, method="min")
    assert (order == published["rank"].reindex(order.index)).all()


def test_spellings_across_sheets_and_years_resolve_to_one_unit(store, realdata):
    for path, sheet in ((realdata / "PCI_2013.xlsx", "Summary_VN"), (realdata / "PCI_2016.xlsx", "Summary_VN"),
                        (realdata / "PCI_2009.xls", "Tong Hop")):
        parsed = parse(store, path, sheet=sheet)
        assert parsed.ok
        store.save(parsed.dataset())
    scores = store.scores()
    per_unit = scores[scores["component"] == TOTAL].groupby("unit_id")["period"].nunique()
    assert len(per_unit) == 63 and (per_unit == 3).all()
    aliases = store.units().set_index("unit_id")["aliases"]
    assert "TT- Huế" in aliases["province:thua-thien-hue"]  # 2013 and 2016 spelling, kept as an alias


def test_papi_rank_changes_2015_2016_match_an_independent_computation(store, realdata):
    store.save(parse(store, realdata / "PAPI_2011-2016.xlsx").dataset())
    table = ranking.rank_units(store.scores(), store.units(), index="PAPI", period="2016", level="province")
    totals = store.scores().query("component == 'TOTAL' and period in ['2015', '2016']")
    ranks = totals.pivot(index="unit_id", columns="period", values="value").rank(ascending=False, method="min")
    expected = (ranks["2015"] - ranks["2016"]).astype(int)
    got = table.set_index("unit_id")["change"].astype(int)
    pd.testing.assert_series_equal(got.sort_index(), expected.sort_index(), check_names=False)


def test_cli_imports_every_real_file_without_errors(realdata, sqlite_url):
    for name, extra in (("PAPI_2011-2016.xlsx", []), ("PCI_2009.xls", ["--sheet", "Tong Hop"]),
                        ("PCI_2013.xlsx", ["--sheet", "Summary_VN"]), ("PCI_2016.xlsx", ["--sheet", "Summary_VN"])):
        done = run("import", str(realdata / name), *extra, "--json", db=sqlite_url)
        assert done.returncode == 0, done.stdout[-500:] + done.stderr
    done = run("rank", "--index", "PCI", "--period", "2009", "--format", "csv", db=sqlite_url)
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert len(rows) == 63 and all(r["rank"] == r["published_rank"] for r in rows)
    assert Store(sqlite_url).datasets()[0]["status"] == "active"
