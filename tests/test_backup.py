"""Backup and restore of the whole store (one zip), on SQLite and on a real PostgreSQL."""
from __future__ import annotations

import hashlib
import json
import shutil
import uuid
import zipfile
from pathlib import Path

import pandas as pd
import psycopg
import pytest

from reform.core.errors import FileRefused
from reform.store.backup import MANIFEST, restore_backup, write_backup
from reform.store.store import Store
from tests.command import run  # the command line, called in this process
from tests.conftest import import_file
from tests.helpers import par_annex, write_xlsx


def _annex(tmp_path: Path, year: int, note: str = "") -> Path:
    rows, merges = par_annex(year)
    if note:
        rows[16] = [f"Ghi chú: {note}"]
    return write_xlsx(tmp_path / f"CCHC_{year}{note}.xlsx", {"Sheet1": rows}, {"Sheet1": merges})


def _fill(store: Store, tmp_path: Path) -> None:
    """Three versions, one superseded, one deleted then restored, one deleted."""
    first = import_file(store, _annex(tmp_path, 2018))
    import_file(store, _annex(tmp_path, 2018, "sửa"))
    third = import_file(store, _annex(tmp_path, 2019))
    store.delete(first)
    store.restore(first)
    store.delete(third)


def _state(store: Store) -> dict:
    datasets = store.datasets()
    return {"datasets": datasets, "scores": store.scores(), "units": store.units(),
            "audit": store.audit_log(),
            "files": {d["version"]: store.original_file(d["version"]) for d in datasets}}


def _assert_same(a: dict, b: dict) -> None:
    assert a["datasets"] == b["datasets"] and a["files"] == b["files"]
    for key in ("scores", "units", "audit"):
        left, right = (_sorted(x[key]) for x in (a, b))
        pd.testing.assert_frame_equal(left, right, check_dtype=False)


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in one order whatever order the database returned them in."""
    keys = [c for c in frame.columns if c != "aliases"]
    return frame.sort_values(keys).reset_index(drop=True)


@pytest.fixture(params=["sqlite", "postgres"])
def two_urls(request, tmp_path) -> tuple[str, str]:
    """A source and an empty target store URL of the same kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'a.sqlite'}", f"sqlite:///{tmp_path / 'b.sqlite'}"
    first = request.getfixturevalue("postgres_url")  # a fixture gives one database per test
    second = f"t_{uuid.uuid4().hex[:12]}"
    server = request.getfixturevalue("postgres_server")
    dsn = server.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {second}")
    return first, f"{server}/{second}"


def test_restore_gives_back_the_same_store(two_urls, tmp_path):
    source = Store(two_urls[0])
    _fill(source, tmp_path)
    before = _state(source)
    assert {d["status"] for d in before["datasets"]} == {"active", "superseded", "deleted"}
    summary = write_backup(source, tmp_path / "store.zip")
    assert summary.versions == 3
    target = Store(two_urls[1])
    restored = restore_backup(target, tmp_path / "store.zip")
    assert restored.rows == summary.rows
    _assert_same(before, _state(target))
    # Numbering goes on after the restored versions (PostgreSQL sequences were moved on).
    assert import_file(target, _annex(tmp_path, 2020)) == 4
    assert target.audit_log()["id"].max() == before["audit"]["id"].max() + 1


@pytest.fixture(scope="module")
def filled_sqlite(tmp_path_factory) -> Path:
    """A SQLite store filled by ``_fill`` once; tests take copies of it."""
    folder = tmp_path_factory.mktemp("filled")
    store = Store(f"sqlite:///{folder / 'source.sqlite'}")
    _fill(store, folder)
    store.engine.dispose()  # closing the last connection folds the WAL into the file
    return folder / "source.sqlite"


@pytest.fixture
def filled_url(filled_sqlite: Path, tmp_path: Path) -> str:
    """A private copy of the filled store."""
    shutil.copy(filled_sqlite, tmp_path / "filled.sqlite")
    return f"sqlite:///{tmp_path / 'filled.sqlite'}"


def test_cli_backup_and_restore(tmp_path, filled_url):
    out = tmp_path / "cli.zip"
    done = run("backup", "--out", str(out), db=filled_url)
    assert done.returncode == 0, done.stderr
    target_url = f"sqlite:///{tmp_path / 'target.sqlite'}"
    done = run("restore", str(out), db=target_url)
    assert done.returncode == 0, done.stderr
    _assert_same(_state(Store(filled_url)), _state(Store(target_url)))


def _rewrite(path: Path, target: Path, change) -> Path:
    """A copy of the backup ``path`` with ``change(name, data) -> data | None`` applied."""
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(target, "w") as new:
        for name in old.namelist():
            data = change(name, old.read(name))
            if data is not None:
                new.writestr(name, data)
    return target


def _truncated(good: Path, tmp: Path) -> Path:
    target = tmp / "truncated.zip"
    target.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    return target


def _flipped(good: Path, tmp: Path) -> Path:
    """One byte flipped inside the stored data of the scores member."""
    with zipfile.ZipFile(good) as archive:
        info = archive.getinfo("tables/scores.jsonl")
    data = bytearray(good.read_bytes())
    name_len = int.from_bytes(data[info.header_offset + 26:info.header_offset + 28], "little")
    extra_len = int.from_bytes(data[info.header_offset + 28:info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_len + extra_len
    data[start + info.compress_size // 2] ^= 0x01
    target = tmp / "flipped.zip"
    target.write_bytes(bytes(data))
    return target


def _bad_checksum(good: Path, tmp: Path) -> Path:
    def change(name, data):
        if name != MANIFEST:
            return data
        manifest = json.loads(data)
        manifest["tables"]["audit"]["sha256"] = hashlib.sha256(b"other").hexdigest()
        return json.dumps(manifest)
    return _rewrite(good, tmp / "checksum.zip", change)


def _edited_member(good: Path, tmp: Path) -> Path:
    return _rewrite(good, tmp / "edited.zip", lambda name, data: (
        data.replace(b"17.5", b"18.5") if name == "tables/scores.jsonl" else data))


def _missing_member(good: Path, tmp: Path) -> Path:
    return _rewrite(good, tmp / "missing.zip",
                    lambda name, data: None if name == "tables/files.jsonl" else data)


def _unknown_format(good: Path, tmp: Path) -> Path:
    def change(name, data):
        return data.replace(b'"format_version": 1', b'"format_version": 99') if name == MANIFEST else data
    return _rewrite(good, tmp / "format.zip", change)


def _not_zip(good: Path, tmp: Path) -> Path:
    target = tmp / "notes.zip"
    target.write_text("not a backup")
    return target


@pytest.fixture(scope="module")
def good_backup(tmp_path_factory, filled_sqlite) -> Path:
    """A backup of a filled SQLite store, made once for the damage tests."""
    folder = tmp_path_factory.mktemp("good")
    shutil.copy(filled_sqlite, folder / "source.sqlite")
    store = Store(f"sqlite:///{folder / 'source.sqlite'}")
    return write_backup(store, folder / "good.zip").path


@pytest.mark.parametrize("damage, words", [
    (_truncated, "zip"), (_flipped, "scores"), (_bad_checksum, "audit"),
    (_edited_member, "scores"), (_missing_member, "files"), (_unknown_format, "99"),
    (_not_zip, "zip")])
def test_damaged_backup_is_refused_and_store_unchanged(tmp_path, good_backup, damage, words):
    bad = damage(good_backup, tmp_path)
    target_url = f"sqlite:///{tmp_path / 'target.sqlite'}"
    before = _state(Store(target_url))
    done = run("restore", str(bad), db=target_url, env={"REFORM_LANG": "en"})
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and bad.name in done.stderr and words in done.stderr
    _assert_same(before, _state(Store(target_url)))


def test_restore_into_a_store_with_data_is_refused(any_store, tmp_path):
    _fill(any_store, tmp_path)
    good = write_backup(any_store, tmp_path / "good.zip").path
    before = _state(any_store)
    with pytest.raises(FileRefused) as caught:
        restore_backup(any_store, good)
    assert "good.zip" in caught.value.message("en") and "3" in caught.value.message("en")
    _assert_same(before, _state(any_store))


def test_cli_restore_into_a_store_with_data_exits_1(tmp_path, filled_url):
    assert run("backup", "--out", str(tmp_path / "b.zip"), db=filled_url).returncode == 0
    before = _state(Store(filled_url))
    done = run("restore", str(tmp_path / "b.zip"), db=filled_url)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    _assert_same(before, _state(Store(filled_url)))


def test_backup_to_an_unwritable_place_exits_1(tmp_path, sqlite_url):
    done = run("backup", "--out", str(tmp_path / "no" / "such" / "b.zip"), db=sqlite_url)
    assert done.returncode == 1 and "Traceback" not in done.stderr and "b.zip" in done.stderr
