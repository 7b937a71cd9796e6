"""Published changes (issue 9, item 2): "Tăng/giảm 2016 so với 2015", "Thay đổi" and "+/-"
columns are read per unit with their cells, stored with their version (SQLite and a real
PostgreSQL), kept by backup and restore, and shown beside the change the app computes."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from view_frames import small_snapshot

from reform.core.gazetteer import seed_units
from reform.core.model import PUBLISHED_CHANGE_COLUMNS, TOTAL
from reform.ingest.pipeline import ParsedFile, parse_file
from reform.ingest.roles import change_periods, is_rank_change
from reform.ingest.units import UnitRegistry
from reform.present.pages import data_report, profile
from reform.store.backup import MANIFEST, restore_backup, write_backup
from reform.store.schema import version_frames_table
from reform.store.snapshot import load_snapshot
from reform.store.store import Store
from tests import shape_fixtures as sf
from tests.command import run
from tests.helpers import write_xlsx

PROVINCE_IDS = ("province:ha-noi", "province:hai-phong", "province:da-nang", "province:ha-nam",
                "province:ninh-binh", "province:ba-ria-vung-tau")
CHANGE_FRAME = [c for c in PUBLISHED_CHANGE_COLUMNS if c != "version"]


def parse(path: Path, **options) -> ParsedFile:
    return parse_file(path.read_bytes(), path.name, UnitRegistry(seed_units()), **options)


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[CHANGE_FRAME].astype({"change": "float64"})
    out = out.astype({c: "object" for c in CHANGE_FRAME if c != "change"})
    return out.sort_values(["period", "source"]).reset_index(drop=True)


def expected(rows: list[tuple]) -> pd.DataFrame:
    return canonical(pd.DataFrame(rows, columns=CHANGE_FRAME))


# ---------------------------------------------------------------------------------------------
# Files, written by code
# ---------------------------------------------------------------------------------------------

ANNEX_SCORES = (85.5, 80.25, 91.0, 78.4)
ANNEX_UNITS = ("Hà Nội", "Hải Phòng", "Đà Nẵng", "Hà Nam")
CHANGED = ("+1,5", "−0,3", "x", 2)  # decimal comma with a plus, a true minus sign, none, a number
PLUS_MINUS = ("-0.3", "-", "+2,25", "tăng")  # the last is no number: a warning, not a refusal


def annex_with_changes(folder: Path, *, name: str = "chi_so_cchc_2016.xlsx") -> Path:
    """An official annex of 2016 with a "Thay đổi" column and a "+/- so với 2014" column."""
    rows: list[list[object]] = [
        ["KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH (CHỈ SỐ CCHC) NĂM 2016"],
        [],
        ["STT", "Tên đơn vị", "Tổng điểm", "Thay đổi", "+/- so với 2014"],
    ]
    for i, unit in enumerate(ANNEX_UNITS):
        rows.append([i + 1, unit, ANNEX_SCORES[i], CHANGED[i], PLUS_MINUS[i]])
    return write_xlsx(folder / name, {"Phụ lục": rows})


def long_with_changes(folder: Path) -> Path:
    """A long table (province, year, score, change): each row's change is against the year
    before in the file, none for the first year."""
    rows: list[list[object]] = [["Địa phương", "Năm", "Điểm số PCI", "Tăng/giảm"]]
    for i, province in enumerate(sf.PROVINCES[:3]):
        for y, year in enumerate(("2016", "2017")):
            change = "" if y == 0 else round(sf.LONG_SCORES["2017"][i] - sf.LONG_SCORES["2016"][i], 2)
            rows.append([province, int(year), sf.LONG_SCORES[year][i], change])
    return sf.write_csv(folder / "pci_dai.csv", rows)


def wide_change(i: int) -> float:
    return round(sf.WIDE_SCORES[i][-1] - sf.WIDE_SCORES[i][-2], 2)


# ---------------------------------------------------------------------------------------------
# Ingest: the exact changes and their cells
# ---------------------------------------------------------------------------------------------

def test_years_wide_change_belongs_to_2016_compared_with_2015(tmp_path):
    parsed = parse(sf.years_wide(tmp_path))
    rows = [("PCI", "2016", unit, wide_change(i), "2015", f"Ket qua!I{5 + i}")
            for i, unit in enumerate(PROVINCE_IDS)]
    pd.testing.assert_frame_equal(canonical(parsed.published_changes), expected(rows))
    assert parsed.ok
    # The change column is not a period of its own, and its numbers are no score.
    assert parsed.periods == list(sf.WIDE_YEARS)
    assert not parsed.scores["source"].str.contains("!I").any()


def test_annex_thay_doi_and_plus_minus_columns(tmp_path):
    parsed = parse(annex_with_changes(tmp_path))
    ids = ("province:ha-noi", "province:hai-phong", "province:da-nang", "province:ha-nam")
    rows = [("PAR", "2016", ids[0], 1.5, "", "Phụ lục!D4"),
            ("PAR", "2016", ids[1], -0.3, "", "Phụ lục!D5"),
            ("PAR", "2016", ids[3], 2.0, "", "Phụ lục!D7"),
            ("PAR", "2016", ids[0], -0.3, "2014", "Phụ lục!E4"),
            ("PAR", "2016", ids[2], 2.25, "2014", "Phụ lục!E6")]
    pd.testing.assert_frame_equal(canonical(parsed.published_changes), expected(rows))
    warnings = [(i.severity, i.cell, i.code) for i in parsed.issues if i.code == "change_not_number"]
    assert warnings == [("warning", "E7", "change_not_number")]
    assert parsed.ok  # a change that is no number never refuses the file
    totals = parsed.scores[parsed.scores["component"] == TOTAL]
    assert sorted(totals["value"]) == sorted(ANNEX_SCORES)


def test_long_table_change_is_against_the_previous_period_of_the_file(tmp_path):
    parsed = parse(long_with_changes(tmp_path))
    rows = [("PCI", "2017", PROVINCE_IDS[i],
             round(sf.LONG_SCORES["2017"][i] - sf.LONG_SCORES["2016"][i], 2), "2016", f"pci_dai!D{3 + 2 * i}")
            for i in range(3)]
    pd.testing.assert_frame_equal(canonical(parsed.published_changes), expected(rows))


@pytest.mark.parametrize(("header", "periods", "rank"), [
    ("Tăng/giảm 2016 so với 2015", ("2016", "2015"), False),
    ("Tăng/giảm so với 2022", (None, "2022"), False),
    ("Chênh lệch 2015 - 2016", ("2016", "2015"), False),
    ("Thay đổi", (None, None), False),
    ("+/- so với Q1/2024", (None, "2024-Q1"), False),
    ("Tăng/giảm thứ hạng", (None, None), True),
    ("+/- bậc", (None, None), True),
])
def test_change_headers(header, periods, rank):
    assert (change_periods([header]), is_rank_change([header])) == (periods, rank)


def test_a_rank_change_is_not_read_as_a_change_of_points(tmp_path):
    rows = [["KẾT QUẢ CHỈ SỐ CCHC NĂM 2016"], [],
            ["STT", "Tên đơn vị", "Tổng điểm", "Tăng/giảm thứ hạng"],
            [1, "Hà Nội", 85.5, 2], [2, "Hải Phòng", 80.0, -1]]
    parsed = parse(write_xlsx(tmp_path / "hang_2016.xlsx", {"Sheet1": rows}))
    assert parsed.ok and parsed.published_changes.empty


# ---------------------------------------------------------------------------------------------
# Store: written with the version, read back on SQLite and PostgreSQL
# ---------------------------------------------------------------------------------------------

def _stored(store: Store) -> pd.DataFrame:
    return canonical(store.published_changes())


def test_changes_stored_and_read_back(any_store, tmp_path):
    parsed = parse(sf.years_wide(tmp_path))
    version = any_store.save(parsed.dataset()).version
    read = any_store.published_changes()
    assert list(read.columns) == PUBLISHED_CHANGE_COLUMNS
    assert set(read["version"]) == {version}
    pd.testing.assert_frame_equal(canonical(read), canonical(parsed.published_changes))
    # A later upload of 2016 without changes supersedes them; deleting it brings them back.
    later = any_store.save(parse(annex_with_changes(tmp_path, name="pci_2016.xlsx"),
                                 index="PCI").dataset({"index": "PCI"})).version
    shown = any_store.published_changes()
    assert set(shown["version"]) == {later} and set(shown["compared_with"]) == {"", "2014"}
    any_store.delete(later)
    pd.testing.assert_frame_equal(_stored(any_store), canonical(parsed.published_changes))


def test_versions_without_a_columnar_copy_are_read_from_their_rows(store, tmp_path):
    parsed = parse(sf.years_wide(tmp_path))
    store.save(parsed.dataset())
    with store.writing() as conn:
        conn.execute(version_frames_table.delete().where(version_frames_table.c.part == "published_changes"))
    pd.testing.assert_frame_equal(_stored(store), canonical(parsed.published_changes))


def test_a_store_made_before_the_table_gets_it(sqlite_url, tmp_path):
    store = Store(sqlite_url)
    with store.writing() as conn:
        conn.execute(sa.text("DROP TABLE published_changes"))
    store.engine.dispose()
    again = Store(sqlite_url)
    assert again.published_changes().empty
    again.save(parse(sf.years_wide(tmp_path)).dataset())
    assert len(again.published_changes()) == len(PROVINCE_IDS)


# ---------------------------------------------------------------------------------------------
# Backup and restore
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def backed_up(tmp_path_factory) -> tuple[Store, Path]:
    """A store holding the years-wide file, and its backup (made once for this module)."""
    folder = tmp_path_factory.mktemp("backed_up")
    source = Store(f"sqlite:///{folder / 'a.sqlite'}")
    source.save(parse(sf.years_wide(folder)).dataset())
    write_backup(source, folder / "new.zip")
    return source, folder / "new.zip"


def test_backup_round_trip_keeps_changes(tmp_path, backed_up):
    source, backup = backed_up
    with zipfile.ZipFile(backup) as archive:
        assert json.loads(archive.read(MANIFEST))["tables"]["published_changes"]["rows"] == len(PROVINCE_IDS)
    target = Store(f"sqlite:///{tmp_path / 'b.sqlite'}")
    restore_backup(target, backup)
    pd.testing.assert_frame_equal(_stored(target), _stored(source))


def test_an_old_backup_without_the_table_restores(tmp_path, backed_up):
    source, backup = backed_up
    old = tmp_path / "old.zip"
    with zipfile.ZipFile(backup) as new, zipfile.ZipFile(old, "w") as out:
        manifest = json.loads(new.read(MANIFEST))
        del manifest["tables"]["published_changes"]
        # As a store before the table: no rows and no columnar copy of published changes.
        frames = [json.loads(line) for line in new.read("tables/version_frames.jsonl").splitlines()]
        kept = [f for f in frames if f["part"] != "published_changes"]
        assert len(kept) < len(frames)
        payload = "".join(json.dumps(f, sort_keys=True) + "\n" for f in kept).encode()
        manifest["tables"]["version_frames"].update(rows=len(kept), sha256=_sha(payload))
        for name in new.namelist():
            if name not in (MANIFEST, "tables/published_changes.jsonl", "tables/version_frames.jsonl"):
                out.writestr(name, new.read(name))
        out.writestr("tables/version_frames.jsonl", payload)
        out.writestr(MANIFEST, json.dumps(manifest))
    target = Store(f"sqlite:///{tmp_path / 'b.sqlite'}")
    restore_backup(target, old)
    assert target.published_changes().empty
    pd.testing.assert_frame_equal(target.scores(), source.scores())


def _sha(payload: bytes) -> str:
    import hashlib

    return hashlib.sha256(payload).hexdigest()


# ---------------------------------------------------------------------------------------------
# Shown: beside the computed change, flagged beyond rounding
# ---------------------------------------------------------------------------------------------

def _changes(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=CHANGE_FRAME)


def test_check_sets_published_beside_computed_and_flags_beyond_rounding():
    data = small_snapshot()  # ward:hang-bac totals 15 (2023) and 18 (2024)
    changes = _changes([("PAR", "2024", "ward:hang-bac", 3.1, "2023", "S!E5"),
                        ("PAR", "2023", "ward:hang-bac", 1.0, "", "S!E4"),
                        ("PAR", "2024", "ward:hang-bai", -3.0, "", "S!E6")])
    checked = profile.check_published_changes(data.scores, changes, index="PAR", unit_id="ward:hang-bac")
    want = pd.DataFrame({"period": ["2023", "2024"], "compared_with": ["", "2023"],
                         "published": [1.0, 3.1], "computed": [np.nan, 3.0],
                         "difference": [np.nan, 3.1 - 3.0], "differs": [False, False],
                         "source": ["S!E4", "S!E5"]})
    pd.testing.assert_frame_equal(checked, want, check_exact=False)
    # 3.1 against 3.0 is rounding at one decimal; 3.5 is not.
    wrong = profile.check_published_changes(data.scores, changes.assign(change=[3.5, 1.0, -3.0]),
                                            index="PAR", unit_id="ward:hang-bac")
    assert wrong["differs"].tolist() == [False, True]
    sentences = profile.published_change_sentences(wrong, lang="en")
    assert sentences[0] == ("The published change of 2023 compared with the previous period is +1.00 points "
                            "(S!E4); there is no stored score for the previous period to check it against.")
    assert sentences[1].startswith("⚠ The published change of 2024 compared with 2023 is +3.50 points (S!E5), "
                                   "but the app computes +3.00 points")


@pytest.mark.parametrize(("published", "tolerance"), [(1.8, 0.15), (0.35, 0.015), (2.0, 1.5), (-0.125, 0.0015)])
def test_rounding_tolerance_follows_the_printed_decimals(published, tolerance):
    assert profile.rounding_tolerance(published) == pytest.approx(tolerance)


def test_profile_shows_the_stored_change_and_flags_a_wrong_one(store, tmp_path):
    path = sf.years_wide(tmp_path)
    store.save(parse(path).dataset())
    load_snapshot(store, cache_dir=tmp_path / "cache")  # writes the Arrow copy …
    data = load_snapshot(store, cache_dir=tmp_path / "cache")  # … which the app reads back
    # The snapshot carries the stored changes: the page passes nothing more.
    view = profile.build_profile(data, index="PCI", period="2016", level=None,
                                 unit_id="province:ha-noi", lang="vi")
    assert view.published_changes[["period", "compared_with", "published", "differs", "source"]].values.tolist() \
        == [["2016", "2015", wide_change(0), False, "Ket qua!I5"]]
    assert view.published_changes["computed"].iloc[0] == pytest.approx(wide_change(0))
    assert view.sentences[-1] == (
        "Mức tăng/giảm công bố của kỳ 2016 so với 2015 là +1,80 điểm (Ket qua!I5), khớp với mức "
        "ứng dụng tính được (+1,80 điểm).")
    wrong = store.published_changes().assign(change=lambda f: f["change"] + 0.5)
    flagged = profile.build_profile(data, index="PCI", period="2016", level=None, unit_id="province:ha-noi",
                                    lang="en", changes=wrong)
    assert flagged.published_changes["differs"].tolist() == [True]
    assert flagged.sentences[-1].startswith("⚠") and "0.50 points apart" in flagged.sentences[-1]


# ---------------------------------------------------------------------------------------------
# Said: the command line's JSON and the data report
# ---------------------------------------------------------------------------------------------

def test_cli_json_counts_published_changes(tmp_path, sqlite_url):
    done = run("import", str(sf.years_wide(tmp_path)), "--json", db=sqlite_url)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["published_changes"] == len(PROVINCE_IDS)
    plain = run("import", str(sf.one_score(tmp_path)), "--index", "PAR", "--json", "--dry-run", db=sqlite_url)
    assert json.loads(plain.stdout)["published_changes"] == 0


def test_data_report_says_how_many_changes_were_read(tmp_path):
    assert data_report.published_changes_line(parse(annex_with_changes(tmp_path)), lang="en") == (
        "Read 5 published changes: 3 of 2016 compared with the previous period; 2 of 2016 compared with 2014.")
    assert data_report.published_changes_line(parse(sf.years_wide(tmp_path)), lang="vi") == (
        "Đã đọc 6 mức tăng/giảm do tệp công bố: 6 của kỳ 2016 so với 2015.")
    assert data_report.published_changes_line(parse(sf.one_score(tmp_path), index="PAR")) is None
