"""The SQLite bulk path (``reform.store.sqlite_bulk``): rows bound in C into a scratch file and
copied by one INSERT … SELECT store exactly what ``executemany`` stores, leave nothing attached
or on disk, and an import killed half-way leaves the store as it was."""
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from reform.store import sqlite_bulk
from reform.store.store import Store
from tests.test_bulk_store import national

ROOT = Path(__file__).resolve().parents[1]
RAW = ('SELECT version, "index", period, unit_id, component, value, max_value, source, '
       "typeof(value), typeof(max_value), typeof(source) FROM scores ORDER BY rowid")


@pytest.fixture
def scratch_dir(tmp_path, monkeypatch) -> Path:
    """The temporary directory the scratch files go to, watched by the test."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _raw(store: Store) -> list[tuple]:
    with store.engine.connect() as conn:
        return conn.exec_driver_sql(RAW).all()


def test_scratch_path_stores_what_executemany_stores(tmp_path, scratch_dir, monkeypatch):
    dataset = national()
    assert len(dataset.scores) >= sqlite_bulk.MIN_ROWS
    bulk = Store(f"sqlite:///{tmp_path / 'bulk.sqlite'}")
    bulk.save(dataset)
    monkeypatch.setattr(sqlite_bulk, "MIN_ROWS", 10**9)  # every row through executemany
    plain = Store(f"sqlite:///{tmp_path / 'plain.sqlite'}")
    plain.save(dataset)
    got, want = _raw(bulk), _raw(plain)
    assert len(got) == 20_000
    assert got == want  # values, NULLs and storage classes (REAL, TEXT, NULL) alike
    assert {row[9] for row in got} == {"real", "null"}


def test_past_the_attach_limit_rows_go_through_executemany(sqlite_url, scratch_dir, monkeypatch):
    """Six datasets in one transaction, each with two tables over MIN_ROWS: twelve scratch
    files would pass SQLite's ten attached databases; past MAX_ATTACHED, executemany."""
    monkeypatch.setattr(sqlite_bulk, "MIN_ROWS", 10)
    store = Store(sqlite_url)
    datasets = [national(rows_seed=seed) for seed in range(6)]
    store.save_many(datasets)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM scores").scalar() == 6 * 20_000
        assert conn.exec_driver_sql("SELECT count(*) FROM components").scalar() == 6 * 40
    assert list(scratch_dir.iterdir()) == []


def test_scratch_files_are_detached_and_removed(sqlite_url, scratch_dir):
    store = Store(sqlite_url)
    store.save(national())
    failing = national(rows_seed=8)
    failing.scores.loc[0, "value"] = float("nan")  # NOT NULL: the INSERT … SELECT fails
    with pytest.raises(sa.exc.IntegrityError):
        store.save(failing)
    assert list(scratch_dir.iterdir()) == []
    with store.engine.connect() as conn:  # the pooled connection both saves used
        attached = {row[1] for row in conn.exec_driver_sql("PRAGMA database_list")}
    assert attached <= {"main", "temp"}
    assert len(store.datasets()) == 1


_SAVE = """
import sys
from reform.store.store import Store
from tests.test_bulk_store import national
Store(sys.argv[1]).save(national())
"""


def _kill_when(url: str, scratch: Path, moment: str) -> bool:
    """Start a save of 20,000 scores and SIGKILL it at ``moment``: "scratch" (its scratch file
    is being filled) or "copy" (the rows are being copied into the store: its -wal grows).
    Returns whether that moment was seen before the save ended."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(scratch)}
    process = subprocess.Popen([sys.executable, "-c", _SAVE, url], env=env, cwd=ROOT)
    wal = Path(url.removeprefix("sqlite:///") + "-wal")
    seen, start = False, time.monotonic()
    while not seen and process.poll() is None and time.monotonic() - start < 60:
        if moment == "scratch":
            seen = any(scratch.glob("reform-bulk-*/*.sqlite"))
        else:
            seen = wal.exists() and wal.stat().st_size > 200_000
        time.sleep(0.002)
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    return seen


@pytest.mark.parametrize("moment", ["scratch", "copy"])
def test_killed_save_leaves_the_store_as_it_was(sqlite_url, tmp_path, moment):
    """Killed while the scratch file fills, or while its rows are copied in: no version, or
    one with all its rows."""
    Store(sqlite_url).engine.dispose()  # the store exists before the save starts
    assert _kill_when(sqlite_url, tmp_path, moment)
    store = Store(sqlite_url)
    with store.engine.connect() as conn:
        versions = conn.exec_driver_sql("SELECT count(*) FROM versions").scalar()
        scores = conn.exec_driver_sql("SELECT count(*) FROM scores").scalar()
    assert (versions, scores) in ((0, 0), (1, 20_000))


def test_rows_in_parts_store_what_executemany_stores(tmp_path, scratch_dir, monkeypatch):
    """Past SPLIT_ROWS the rows go in PARTS scratch files, filled by a worker while the last
    is copied: the same rows in the same order, nothing left attached or on disk."""
    monkeypatch.setattr(sqlite_bulk, "SPLIT_ROWS", 5_000)
    monkeypatch.setattr(sqlite_bulk, "PARTS", 3)
    split = Store(f"sqlite:///{tmp_path / 'split.sqlite'}")
    split.save(national())
    with split.engine.connect() as conn:
        attached = {row[1] for row in conn.exec_driver_sql("PRAGMA database_list")}
    monkeypatch.setattr(sqlite_bulk, "MIN_ROWS", 10**9)
    plain = Store(f"sqlite:///{tmp_path / 'plain.sqlite'}")
    plain.save(national())
    assert _raw(split) == _raw(plain)
    assert attached <= {"main", "temp"}
    assert list(scratch_dir.iterdir()) == []


def test_a_failed_part_rolls_back_every_part(sqlite_url, scratch_dir, monkeypatch):
    """A NULL value in the last part fails its copy after the first part was copied: no
    version, no score, no scratch file."""
    monkeypatch.setattr(sqlite_bulk, "SPLIT_ROWS", 5_000)
    store = Store(sqlite_url)
    failing = national()
    failing.scores.loc[len(failing.scores) - 1, "value"] = float("nan")
    with pytest.raises(sa.exc.IntegrityError):
        store.save(failing)
    with store.engine.connect() as conn:
        counts = [conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar()
                  for table in ("versions", "scores", "version_frames")]
    assert counts == [0, 0, 0]
    assert list(scratch_dir.iterdir()) == []


def test_foreign_keys_are_checked_again_after_a_save(sqlite_url):
    """A save skips SQLite's per-row parent lookups (it sets every key itself); the pooled
    connection it used goes back checking them."""
    store = Store(sqlite_url)
    store.save(national())
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    with pytest.raises(sa.exc.IntegrityError, match="FOREIGN KEY"), store.writing() as conn:
        conn.exec_driver_sql(
            "INSERT INTO scores VALUES (99, 'PAR', '2024', 'u', 'TOTAL', 1.0, NULL, 'A1')")
