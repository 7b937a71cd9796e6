"""Imports, restores and reads at once, in threads and in processes, on SQLite and on
PostgreSQL: no version lost, no half-written version seen, never "database is locked"."""
from __future__ import annotations

import multiprocessing
import random
import sqlite3
import sys
import threading
import time
import types
from pathlib import Path

import pytest
from store_datasets import make_dataset, save_many, second_app, torn_versions

from reform.core import config
from reform.core.errors import StoreError
from reform.store.store import Store

PERIODS = ["2021", "2022", "2023"]


def _check_consistent(store: Store) -> None:
    """What a reader sees: every version shown whole, one version per index and period."""
    scores = store.scores()
    assert torn_versions(scores) == {}
    per_period = scores.groupby(["index", "period"])["version"].nunique()
    assert (per_period == 1).all(), per_period


def _reader(store: Store, stop: threading.Event, errors: list, reads: list) -> None:
    while not stop.is_set():
        try:
            _check_consistent(store)
            reads.append(1)
        except Exception as exc:  # collected; the test fails on it  # noqa: BLE001
            errors.append(f"reader: {type(exc).__name__}: {exc}")
            return


def _writer(store: Store, tags: list[str], errors: list, saved: list) -> None:
    try:
        for number, tag in enumerate(tags):
            result = store.save(make_dataset(tag, period=PERIODS[number % 3], units=5 + 9 * number),
                                user=tag)
            saved.append(result.version)
    except Exception as exc:  # noqa: BLE001
        errors.append(f"writer: {type(exc).__name__}: {exc}")


def _shuffler(store: Store, saved: list, stop: threading.Event, errors: list) -> None:
    """Deletes and restores versions already saved, as an analyst clicking around would."""
    chooser = random.Random(7)
    while not stop.is_set():
        if not saved:
            continue
        version = chooser.choice(list(saved))
        try:
            (store.delete if chooser.random() < 0.4 else store.restore)(version, user="shuffler")
        except Exception as exc:  # noqa: BLE001
            errors.append(f"shuffler: {type(exc).__name__}: {exc}")
            return


def test_imports_restores_and_reads_in_threads(any_store: Store):
    errors: list[str] = []
    saved: list[int] = []
    reads: list[int] = []
    stop = threading.Event()
    writers = [threading.Thread(target=_writer, args=(Store(any_store.url), [f"w{w}-{i}" for i in range(4)],
                                                      errors, saved)) for w in range(3)]
    others = [threading.Thread(target=_reader, args=(Store(any_store.url), stop, errors, reads))
              for _ in range(2)]
    others.append(threading.Thread(target=_shuffler, args=(Store(any_store.url), saved, stop, errors)))
    for thread in writers + others:
        thread.start()
    for thread in writers:
        thread.join(240)
    stop.set()
    for thread in others:
        thread.join(60)
    assert errors == []
    assert reads, "the readers read while the writers wrote"
    stored = any_store.datasets()
    assert sorted(d["version"] for d in stored) == sorted(saved) and len(saved) == 12
    assert sorted(d["file"] for d in stored) == sorted(f"w{w}-{i}.xlsx" for w in range(3) for i in range(4))
    _check_consistent(any_store)
    audit = any_store.audit_log()
    assert (audit["action"] == "import").sum() == 12


def _precedences_unique(store: Store) -> bool:
    import sqlalchemy as sa

    from reform.store.schema import versions
    with store.engine.connect() as conn:
        values = [r.precedence for r in conn.execute(sa.select(versions.c.precedence))]
    return len(values) == len(set(values))


@pytest.fixture
def bare_main(monkeypatch):
    """A spawned child re-runs its parent's ``__main__`` by path before its target. Streamlit
    runs a page as ``__main__`` and leaves it there, so after an AppTest in the same worker the
    children would run ``dashboard.py`` first (slow, and fatal if it fails): a bare module
    stands in while they start."""
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))


def _wait_for(event, process, seconds: float) -> bool:
    """Whether ``event`` is set within ``seconds``; False at once if ``process`` has died."""
    deadline = time.monotonic() + seconds
    while not event.wait(0.2):
        if not process.is_alive() or time.monotonic() > deadline:
            return event.is_set()
    return True


def test_imports_in_processes_while_reading(any_store: Store, bare_main):
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no engine inherited
    errors = context.Queue()
    workers = [context.Process(target=save_many, args=(any_store.url, [f"p{p}-{i}" for i in range(4)],
                                                       PERIODS, errors)) for p in range(2)]
    for worker in workers:
        worker.start()
    reads = 0
    while any(w.is_alive() for w in workers):
        _check_consistent(any_store)
        reads += 1
        workers[reads % 2].join(0.1)  # leave the 2 cores to the writers between reads
    for worker in workers:
        worker.join(240)
    found = []
    while not errors.empty():
        found.append(errors.get())
    assert found == [] and [w.exitcode for w in workers] == [0, 0]
    assert sorted(d["file"] for d in any_store.datasets()) == sorted(
        f"p{p}-{i}.xlsx" for p in range(2) for i in range(4))
    assert _precedences_unique(any_store)
    _check_consistent(any_store)
    assert reads > 0


def test_two_app_processes_sharing_postgresql_see_each_others_uploads(postgres_url: str, bare_main):
    here = Store(postgres_url)
    context = multiprocessing.get_context("spawn")
    parent_saved, child_saved, results = context.Event(), context.Event(), context.Queue()
    other = context.Process(target=second_app, args=(postgres_url, parent_saved, child_saved, results))
    other.start()
    token = here.state_token()
    assert _wait_for(child_saved, other, 120), f"the second app process ended with {other.exitcode}"
    assert here.state_token() != token
    assert [d["file"] for d in here.datasets()] == ["from-child.xlsx"]
    here.save(make_dataset("from-parent", period="2024"), user="parent")
    parent_saved.set()
    seen = results.get(timeout=120)
    other.join(60)
    assert seen == {"files": ["from-child.xlsx", "from-parent.xlsx"], "token_moved": True,
                    "periods": ["2023", "2024"]}


def test_a_writer_held_up_too_long_is_told_the_store_is_busy(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(config, "STORE_BUSY_SECONDS", 0.05)
    monkeypatch.setattr(config, "STORE_WRITE_ATTEMPTS", 2)
    path = tmp_path / "busy.sqlite"
    store = Store(f"sqlite:///{path}")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process in the middle of a long import
    try:
        with pytest.raises(StoreError) as busy:
            store.save(make_dataset("waiting"))
        assert busy.value.message("en").startswith("The store is busy with another change; tried 2 times.")
        assert "Kho dữ liệu đang bận" in busy.value.message("vi")
        assert "locked" not in busy.value.message("en") + busy.value.message("vi")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert store.save(make_dataset("waiting")).version == 1
