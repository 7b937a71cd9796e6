"""The versioned store, on SQLite and on a real PostgreSQL: one transaction per import,
supersede and restore, soft delete, original bytes, audit log, unchanged after a refusal."""
import hashlib

import pytest

from reform.core.errors import FileRefused, StoreError
from reform.core.gazetteer import seed_units
from reform.ingest.pipeline import parse_file
from reform.ingest.units import UnitRegistry
from reform.store.store import Store
from tests.helpers import par_annex, write_xlsx


def annex(tmp_path, year=2018, name=None, bad_cell=None, tweak=0.0):
    rows, merges = par_annex(year, bad_cell=bad_cell)
    rows[11][2] = 6 - tweak  # Hàng Bạc 1.1, so two uploads of one year differ
    rows[11][6] = 19 - tweak
    path = write_xlsx(tmp_path / (name or f"CCHC_{year}.xlsx"), {"Sheet1": rows}, {"Sheet1": merges})
    return path


def save(store, path, **options):
    parsed = parse_file(path.read_bytes(), path.name, UnitRegistry(store.units()), **options)
    return store.save(parsed.dataset(options), user="tester")


def test_first_use_creates_the_store_with_the_known_units(any_store):
    units = any_store.units()
    assert len(units) == len(seed_units())
    assert any_store.datasets() == []
    assert any_store.scores().empty


def test_import_stores_scores_with_their_cells_and_the_original_bytes(any_store, tmp_path):
    path = annex(tmp_path)
    result = save(any_store, path)
    scores = any_store.scores()
    assert result.version == 1 and not result.duplicate
    assert len(scores[scores["component"] == "TOTAL"]) == 5
    row = scores[(scores["unit_id"] == "ward:hang-bac") & (scores["component"] == "TOTAL")].iloc[0]
    assert (row["value"], row["source"], row["version"]) == (19.0, "Sheet1!G12", 1)
    name, data = any_store.original_file(1)
    assert name == path.name and data == path.read_bytes()
    [dataset] = any_store.datasets()
    assert dataset["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (dataset["status"], dataset["index"], dataset["periods"], dataset["uploaded_by"]) == ("active", "PAR", ["2018"], "tester")


def test_the_same_file_twice_is_stored_once(any_store, tmp_path):
    path = annex(tmp_path)
    first, second = save(any_store, path), save(any_store, path)
    assert (second.version, second.duplicate) == (first.version, True)
    assert len(any_store.datasets()) == 1
    assert len(any_store.scores()) == len(parse_file(path.read_bytes(), path.name, UnitRegistry(any_store.units())).scores)


def test_a_newer_upload_supersedes_and_the_older_can_be_restored(any_store, tmp_path):
    save(any_store, annex(tmp_path, name="v1_CCHC_2018.xlsx"))
    result = save(any_store, annex(tmp_path, name="v2_CCHC_2018.xlsx", tweak=1.0))
    assert result.superseded == (1,)
    statuses = {d["version"]: d["status"] for d in any_store.datasets()}
    assert statuses == {1: "superseded", 2: "active"}

    def hang_bac():
        s = any_store.scores()
        return s[(s["unit_id"] == "ward:hang-bac") & (s["component"] == "TOTAL")]["value"].tolist()

    assert hang_bac() == [18.0]
    any_store.restore(1, user="tester")
    assert {d["version"]: d["status"] for d in any_store.datasets()} == {1: "active", 2: "superseded"}
    assert hang_bac() == [19.0]


def test_other_periods_stay_when_one_is_replaced(any_store, tmp_path):
    save(any_store, annex(tmp_path, 2018))
    save(any_store, annex(tmp_path, 2019))
    save(any_store, annex(tmp_path, 2019, name="again_CCHC_2019.xlsx", tweak=0.5))
    periods = any_store.scores().groupby("period")["version"].unique().map(list).to_dict()
    assert periods == {"2018": [1], "2019": [3]}


def test_soft_delete_and_restore(any_store, tmp_path):
    save(any_store, annex(tmp_path))
    any_store.delete(1, user="tester")
    assert any_store.scores().empty
    assert any_store.datasets()[0]["status"] == "deleted"
    any_store.restore(1, user="tester")
    assert not any_store.scores().empty
    actions = any_store.audit_log()[["action", "version", "who"]].values.tolist()
    assert actions == [["restore", 1, "tester"], ["delete", 1, "tester"], ["import", 1, "tester"]]


def test_a_refused_file_changes_nothing(any_store, tmp_path):
    save(any_store, annex(tmp_path))
    before = (any_store.datasets(), any_store.scores(), any_store.state_token())
    bad = annex(tmp_path, 2019, bad_cell=(12, 3, "9l,5"))
    parsed = parse_file(bad.read_bytes(), bad.name, UnitRegistry(any_store.units()))
    with pytest.raises(FileRefused, match="Sheet1!D13"):
        any_store.save(parsed.dataset(), user="tester")
    assert any_store.datasets() == before[0]
    assert any_store.scores().equals(before[1])
    assert any_store.state_token() == before[2]


def test_new_units_and_spellings_are_remembered(any_store, tmp_path):
    rows = [["STT", "Tên đơn vị", "Lĩnh vực A", "Tổng điểm"], [1, "Phường Mới Lập", 3, 3], [2, "P. Hàng Bạc", 4, 4]]
    path = write_xlsx(tmp_path / "CCHC_2020.xlsx", {"Sheet1": rows})
    save(any_store, path, level="ward")
    units = any_store.units().set_index("unit_id")
    assert units.loc["ward:moi-lap", "name"] == "Phường Mới Lập"
    assert "P. Hàng Bạc" in units.loc["ward:hang-bac", "aliases"]
    assert UnitRegistry(any_store.units()).match("Mới Lập").unit_id == "ward:moi-lap"


def test_state_token_moves_with_every_change(any_store, tmp_path):
    tokens = [any_store.state_token()]
    save(any_store, annex(tmp_path))
    tokens.append(any_store.state_token())
    any_store.delete(1)
    tokens.append(any_store.state_token())
    assert tokens[0] < tokens[1] < tokens[2]


def test_unknown_version_is_a_clear_error(any_store):
    with pytest.raises(StoreError, match="số 42"):
        any_store.delete(42)


def test_unreachable_database_is_a_clear_error():
    with pytest.raises(StoreError, match="Không kết nối được"):
        Store("postgresql://nobody@127.0.0.1:1/none")


def test_embedded_store_is_created_in_a_folder_on_first_use(tmp_path):
    url = f"sqlite:///{tmp_path / 'nested' / 'dir' / 'reform.sqlite'}"
    Store(url)
    assert (tmp_path / "nested" / "dir" / "reform.sqlite").exists()
