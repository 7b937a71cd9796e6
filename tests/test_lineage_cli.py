"""Units across the 2025 reorganisation through the command line and the store: the real
crosswalk stored as a version, names resolved to the units valid in the period read, rankings
re-aggregated onto the new units with coverage, and changes measured against composites."""
from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from reform.core.model import LinkKind
from reform.ingest.crosswalk import read_lineage
from reform.store.store import Store
from tests.command import run
from tests.helpers import write_xlsx

CROSSWALK = "BangChuyendoiDVHCmoi_cu_final.xlsx"
OLD_WARDS = [  # Hoàn Kiếm's 18 wards, as a 2024 annex lists them
    "Phúc Tân", "Đồng Xuân", "Hàng Mã", "Hàng Buồm", "Hàng Đào", "Hàng Bồ", "Cửa Đông",
    "Lý Thái Tổ", "Hàng Bạc", "Hàng Gai", "Chương Dương", "Hàng Trống", "Cửa Nam", "Hàng Bông",
    "Tràng Tiền", "Trần Hưng Đạo", "Phan Chu Trinh", "Hàng Bài",
]
NEW_WARDS = ["Hoàn Kiếm", "Cửa Nam", "Hồng Hà", "Ba Đình", "Văn Miếu - Quốc Tử Giám"]
# Today's units come from the vietnam-provinces package (GSO data of 2025-10-18), whose codes
# differ from the July crosswalk for some wards: new Cửa Nam is 00073 there (old Cửa Nam's
# code), 00082 in the crosswalk (Trần Hưng Đạo's). The registry's id wins.
NEW_CUA_NAM = "ward:cua-nam-00073@2025"
NEW_HOAN_KIEM = "ward:hoan-kiem-00070@2025"  # 00070 was Hàng Trống's code
NEW_VAN_MIEU = "ward:van-mieu-quoc-tu-giam-00196@2025"
IN_NEW_HOAN_KIEM = ["Đồng Xuân", "Hàng Mã", "Hàng Buồm", "Hàng Đào", "Hàng Bồ", "Cửa Đông",
                    "Lý Thái Tổ", "Hàng Bạc", "Hàng Gai", "Hàng Trống", "Cửa Nam", "Hàng Bông",
                    "Tràng Tiền"]  # 13 of the 18; Điện Biên (Ba Đình) has no 2024 value here
IN_NEW_CUA_NAM = ["Hàng Trống", "Cửa Nam", "Hàng Bông", "Tràng Tiền", "Trần Hưng Đạo",
                  "Phan Chu Trinh", "Hàng Bài"]  # 7 of 9; Nguyễn Du, Phạm Đình Hổ missing


def score_of(position: int) -> float:
    """A distinct total per ward: 60.5, 62.5, … (all different, no ties)."""
    return 60.5 + 2 * position


def annex(path, year: int, wards: list[str], title: str, scores: list[float]):
    rows = [[title], [f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year}"], [],
            ["STT", "Tên đơn vị", "Tổng điểm"]]
    rows += [[i + 1, f"Phường {w}", s] for i, (w, s) in enumerate(zip(wards, scores, strict=True))]
    return write_xlsx(path, {str(year): rows}, {})


@pytest.fixture(scope="module")
def lineage_db(tmp_path_factory, realdata):
    """A SQLite store holding the real crosswalk, stored once through the command line (called
    in this process: tests/command.py)."""
    folder = tmp_path_factory.mktemp("lineage")
    url = f"sqlite:///{folder / 'reform.sqlite'}"
    done = run("lineage", "import", str(realdata / CROSSWALK), "--json", db=url)
    assert done.returncode == 0, done.stderr
    return folder / "reform.sqlite", json.loads(done.stdout)


@pytest.fixture
def db(lineage_db, tmp_path):
    """A copy of that store, for a test to change."""
    path = tmp_path / "reform.sqlite"
    shutil.copy(lineage_db[0], path)
    return f"sqlite:///{path}"


def test_lineage_import_reports_links_and_units(lineage_db):
    report = lineage_db[1]
    assert report["ok"] and report["version"] == 1
    assert report["effective"] == "2025-07-01"
    # 10,566 commune links + the province level derived from them: on the first (merged) sheet
    # each of the 63 old provinces goes whole into one of the 34.
    assert report["links"] == 10_566 + 63
    assert (report["old_units"], report["new_units"]) == (10_037 + 63, 3_316 + 34)
    assert report["issues"] == []


def test_lineage_is_a_version_with_audit_and_the_same_file_is_stored_once(db, realdata):
    store = Store(db)
    [version] = store.datasets()
    assert (version["index"], version["kind"], version["periods"]) == ("LINEAGE", "lineage", ["2025-07-01"])
    assert store.audit_log()["action"].tolist() == ["lineage"]
    again = run("lineage", "import", str(realdata / CROSSWALK), "--json", db=db)
    assert json.loads(again.stdout)["duplicate"] is True


def test_a_refused_crosswalk_changes_nothing(db, tmp_path):
    bad = tmp_path / "links.csv"
    bad.write_text("Tên,Điểm\nA,1\n", encoding="utf-8")
    before = Store(db).datasets()
    done = run("lineage", "import", str(bad), "--json", db=db)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "Tên Xã cũ" in json.loads(done.stdout)["error"]
    assert Store(db).datasets() == before


def test_show_names_predecessors_and_successors_with_dates_and_kinds(db):
    done = run("lineage", "show", "Cửa Nam", "--json", db=db)
    units = {u["unit_id"]: u for u in json.loads(done.stdout)}
    assert set(units) == {"ward:cua-nam", NEW_CUA_NAM, "ward:cua-nam-13690", "ward:cua-nam-16678"}
    old = units["ward:cua-nam"]
    assert old["valid_to"] == "2025-06-30"
    assert sorted(s["name"] for s in old["successors"]) == [
        "Phường Ba Đình", "Phường Cửa Nam", "Phường Hoàn Kiếm", "Phường Văn Miếu - Quốc Tử Giám"]
    new = units[NEW_CUA_NAM]
    assert new["valid_from"] == "2025-07-01"
    assert {p["name"]: p["kind"] for p in new["predecessors"]}["Phường Trần Hưng Đạo"] == LinkKind.WHOLE
    text = run("lineage", "show", "Cửa Nam", db=db).stdout
    assert "← từ Phường Trần Hưng Đạo (nhập toàn bộ, 2025-07-01)" in text


def _import(path, db, *extra):
    done = run("import", str(path), "--index", "PAR", "--json", *extra, db=db)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout)


def _rank(db, period, *extra):
    done = run("rank", "--index", "PAR", "--period", period, "--format", "csv", *extra, db=db)
    assert done.returncode == 0, done.stderr
    return {row["unit"]: row for row in csv.DictReader(io.StringIO(done.stdout))}


@pytest.fixture(scope="module")
def two_years(lineage_db, tmp_path_factory):
    """2024 on the 18 old wards (title names the district), 2025 on the five new wards, imported
    once into a copy of the lineage store; the tests that use it only read."""
    folder = tmp_path_factory.mktemp("two_years")
    shutil.copy(lineage_db[0], folder / "reform.sqlite")
    db = f"sqlite:///{folder / 'reform.sqlite'}"
    old_scores = [score_of(i) for i in range(len(OLD_WARDS))]
    annex(folder / "CCHC_2024.xlsx", 2024, OLD_WARDS, "ỦY BAN NHÂN DÂN QUẬN HOÀN KIẾM", old_scores)
    annex(folder / "CCHC_2025.xlsx", 2025, NEW_WARDS, "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI",
          [91.0, 85.0, 80.0, 75.0, 70.0])
    first = _import(folder / "CCHC_2024.xlsx", db)
    second = _import(folder / "CCHC_2025.xlsx", db)
    return db, dict(zip(OLD_WARDS, old_scores, strict=True)), first, second


def test_names_resolve_to_the_units_valid_in_the_period_read(two_years):
    db, _, first, second = two_years
    assert [i for i in first["issues"] if i["severity"] == "warning" and "Cửa Nam" in i["message"]] == []
    store = Store(db)
    by_period = store.scores().groupby("period")["unit_id"].apply(set)
    assert "ward:cua-nam" in by_period["2024"]  # the old ward of Hoàn Kiếm …
    assert NEW_CUA_NAM in by_period["2025"]  # … and in 2025 the new one
    assert NEW_VAN_MIEU in by_period["2025"]
    assert NEW_HOAN_KIEM in by_period["2025"]  # not the abolished district of that name
    assert "ward:hang-trong" not in by_period["2025"]
    assert not any("unknown" in i.get("message", "") for i in second["issues"])


def test_a_name_in_several_provinces_without_a_parent_is_a_warning_listing_them(db, tmp_path):
    path = annex(tmp_path / "CCHC_2024.xlsx", 2024, ["Cửa Nam", "Hàng Bạc"], "BẢNG TỔNG HỢP", [80.0, 70.0])
    report = _import(path, db, "--dry-run")
    [warning] = [i for i in report["issues"] if "Cửa Nam" in i["message"]]
    assert warning["severity"] == "warning"
    assert "Nam Định" in warning["message"] and "Vinh" in warning["message"]
    with_parent = _import(path, db, "--dry-run", "--parent", "Quận Hoàn Kiếm")
    assert [i for i in with_parent["issues"] if "Cửa Nam" in i["message"]] == []


def test_rank_as_of_shows_a_period_on_the_units_valid_that_day(two_years):
    db, old, _, _ = two_years
    ranked = _rank(db, "2024", "--as-of", "2025-07-01")
    hoan_kiem, cua_nam = ranked["Phường Hoàn Kiếm"], ranked["Phường Cửa Nam"]
    assert hoan_kiem["coverage"] == "13/14" and cua_nam["coverage"] == "7/9"
    assert float(hoan_kiem["value"]) == pytest.approx(sum(old[w] for w in IN_NEW_HOAN_KIEM) / 13, abs=1e-4)
    assert float(cua_nam["value"]) == pytest.approx(sum(old[w] for w in IN_NEW_CUA_NAM) / 7, abs=1e-4)
    # Hồng Hà has 2 of its 12 predecessors here: below half, no value, and listed last.
    assert ranked["Phường Hồng Hà"]["value"] == "" and ranked["Phường Hồng Hà"]["coverage"] == "2/12"
    assert [r["rank"] for r in ranked.values()][:2] == ["1", "2"]


def test_rank_without_as_of_is_as_before(two_years):
    db, old, _, _ = two_years
    ranked = _rank(db, "2024")
    assert len(ranked) == 18 and "coverage" not in next(iter(ranked.values()))
    best = max(old, key=old.get)
    assert ranked[f"Phường {best}"]["rank"] == "1"


def test_the_first_period_on_new_units_changes_against_the_composites(two_years):
    db, old, _, _ = two_years
    ranked = _rank(db, "2025")
    # 2024 re-aggregated: only Hoàn Kiếm and Cửa Nam reach half their predecessors.
    composite = {"Phường Hoàn Kiếm": sum(old[w] for w in IN_NEW_HOAN_KIEM) / 13,
                 "Phường Cửa Nam": sum(old[w] for w in IN_NEW_CUA_NAM) / 7}
    before = sorted(composite, key=composite.get, reverse=True)
    for unit in composite:
        expected = before.index(unit) + 1 - int(ranked[unit]["rank"])
        assert int(ranked[unit]["change"]) == expected
    assert ranked["Phường Hồng Hà"]["change"] == ""  # no composite value to compare with


def test_pci_2016_on_the_34_provinces_with_coverage(db, realdata):
    done = run("import", str(realdata / "PCI_2016.xlsx"), "--sheet", "Summary_VN", "--json", db=db)
    assert done.returncode == 0, done.stderr
    plain = _rank_pci(db)
    assert len(plain) == 63
    ranked = _rank_pci(db, "--as-of", "2025-07-01")
    assert len(ranked) == 34
    assert ranked["province:ha-noi@2025"]["coverage"] == "1/1"
    assert ranked["province:ninh-binh@2025"]["coverage"] == "3/3"
    ninh_binh = [float(plain[f"province:{p}"]["value"]) for p in ("ninh-binh", "nam-dinh", "ha-nam")]
    assert float(ranked["province:ninh-binh@2025"]["value"]) == pytest.approx(sum(ninh_binh) / 3, abs=1e-4)


def _rank_pci(db, *extra):
    done = run("rank", "--index", "PCI", "--period", "2016", "--format", "csv", *extra, db=db)
    assert done.returncode == 0, done.stderr
    return {row["unit_id"]: row for row in csv.DictReader(io.StringIO(done.stdout))}


def test_read_lineage_gives_the_store_its_units_with_parents_and_dates(realdata):
    store_units = Store("sqlite://").units()
    data = (realdata / CROSSWALK).read_bytes()
    lineage, _ = read_lineage(data, CROSSWALK, store_units, sheet="Tổng hợp_không merge ")
    units = lineage.units.set_index("unit_id")
    # Units the registry knows keep its ids and are not added again.
    assert not {"ward:cua-nam", NEW_CUA_NAM, "province:ha-noi@2025"} & set(units.index)
    assert NEW_CUA_NAM in set(lineage.links["new_unit_id"])
    # Units it lacks come with their parents and dates: old Cửa Nam of Nam Định, its city.
    city = units.loc["ward:cua-nam-13690", "parent_id"]
    assert units.loc[city, ["name", "level", "valid_to"]].tolist() == [
        "Thành phố Nam Định", "district", "2025-06-30"]
