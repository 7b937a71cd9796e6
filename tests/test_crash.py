"""Crash safety: an import killed (SIGKILL) at any moment leaves no version or one complete
version, never a partial one; the store still works afterwards. SQLite and PostgreSQL."""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa

from reform.store.schema import scores_table, versions
from reform.store.store import Store
from tests.conftest import import_file

ROOT = Path(__file__).resolve().parents[1]
UNITS, CRITERIA = 800, 19
COMPONENTS = CRITERIA + 1  # the criteria and the total
KILL_AFTER = (0.5, 1.0, 2.0)


@pytest.fixture(scope="module")
def big_file(tmp_path_factory) -> Path:
    """A one-sheet annex: UNITS units × CRITERIA criteria and a total, all new units."""
    path = tmp_path_factory.mktemp("crash") / "CCHC_2018_big.xlsx"
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Sheet1")
    sheet.append(["KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2018"])
    sheet.append([])
    sheet.append(["STT", "Tên đơn vị", *[f"{i + 1}. Tiêu chí số {i + 1}" for i in range(CRITERIA)],
                  "Tổng điểm"])
    sheet.append([None, "Điểm tối đa", *[5] * CRITERIA, 5 * CRITERIA])
    for n in range(UNITS):
        values = [(n + i) % 6 * 0.5 + 2 for i in range(CRITERIA)]
        sheet.append([n + 1, f"Phường Số {n + 1}", *values, sum(values)])
    workbook.save(path)
    return path


def _start(path: Path, url: str) -> subprocess.Popen:
    env = {**os.environ, "REFORM_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "reform", "import", str(path), "--json"],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _kill(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def _inserting(url: str, probe: sa.Engine | None) -> bool:
    """Whether the import's insert transaction is under way (rows written, not committed)."""
    if probe is None:  # SQLite in WAL mode: the uncommitted pages grow the -wal file
        wal = Path(url.removeprefix("sqlite:///") + "-wal")
        return wal.exists() and wal.stat().st_size > 200_000
    with probe.connect() as conn:
        return bool(conn.execute(sa.text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND state = 'active' AND query ILIKE 'INSERT INTO scores%'"
        )).scalar())


def _kill_while_inserting(path: Path, url: str, deadline: float = 40.0) -> bool:
    """Start an import and kill it as soon as its big insert is seen (or when it ends);
    returns whether the insert was seen under way."""
    probe = None if url.startswith("sqlite") else sa.create_engine(url)
    process = _start(path, url)
    seen = False
    try:
        start = time.monotonic()
        while not seen and process.poll() is None and time.monotonic() - start < deadline:
            seen = _inserting(url, probe)
            time.sleep(0 if seen else 0.01)
    finally:
        _kill(process)
        if probe is not None:
            probe.dispose()
    return seen


def _assert_whole(url: str) -> int:
    """No version, or exactly one whose scores are all there; returns the number of versions."""
    store = Store(url)
    try:
        with store.engine.connect() as conn:
            found = conn.execute(sa.select(versions.c.version, versions.c.units)).all()
            scores = conn.execute(sa.select(sa.func.count()).select_from(scores_table)).scalar()
        assert len(found) <= 1, found
        if found:
            assert found[0].units == UNITS and scores == UNITS * COMPONENTS
        else:
            assert scores == 0
        return len(found)
    finally:
        store.engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def url(request) -> str:
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("postgres_url")


def test_killed_import_leaves_no_partial_version(big_file, url):
    Store(url).engine.dispose()  # the tables exist before the first kill
    for delay in KILL_AFTER:
        process = _start(big_file, url)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=delay)
        _kill(process)
        if _assert_whole(url):
            return
    _kill_while_inserting(big_file, url)
    if _assert_whole(url):
        return
    # Nothing was stored: the store still works, and an import run to its end (in this
    # process, to spare a start-up) is whole.
    store = Store(url)
    import_file(store, big_file)
    store.engine.dispose()
    assert _assert_whole(url) == 1
