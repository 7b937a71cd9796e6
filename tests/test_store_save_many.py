"""``Store.save_many``: the datasets of one upload (a file whose index column names several
indices gives one per index) are stored in one transaction, all of them or none."""
from __future__ import annotations

from dataclasses import replace

import pytest
import sqlalchemy as sa
from store_datasets import make_dataset

from reform.core.errors import FileRefused
from reform.core.model import Issue, Severity
from reform.store.schema import files


def _one_file_two_indices():
    """Two datasets read from the same bytes (one SHA-256), one per index."""
    return [make_dataset("panel", index="PAPI", units=3), make_dataset("panel", index="PCI", units=4)]


def _stored_files(store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(files)).scalar())


def test_each_dataset_becomes_a_version_naming_its_index(any_store):
    results = any_store.save_many(_one_file_two_indices(), user="lan")
    assert [(r.version, r.duplicate, r.superseded) for r in results] == [(1, False, ()), (2, False, ())]
    stored = [(d["version"], d["index"], d["file"], d["units"]) for d in any_store.datasets()]
    assert sorted(stored) == [(1, "PAPI", "panel.xlsx", 3), (2, "PCI", "panel.xlsx", 4)]
    assert _stored_files(any_store) == 1  # the file's bytes once, for both versions
    scores = any_store.scores()
    assert sorted(scores.groupby("index")["version"].unique().map(list).items()) == [("PAPI", [1]), ("PCI", [2])]
    audit = any_store.audit_log()
    assert sorted(audit[["action", "version", "who"]].values.tolist()) == [
        ["import", 1, "lan"], ["import", 2, "lan"]]

    again = any_store.save_many(_one_file_two_indices(), user="lan")
    assert [(r.version, r.duplicate) for r in again] == [(1, True), (2, True)]
    assert len(any_store.datasets()) == 2


def test_a_failure_half_way_stores_nothing(any_store):
    before = any_store.state_token()
    first, second = _one_file_two_indices()
    # A version row the database itself refuses (its index may not be empty): the first
    # dataset is already written in the transaction when the second fails.
    broken = replace(second, index=None)
    with pytest.raises(sa.exc.IntegrityError):
        any_store.save_many([first, broken], user="lan")
    assert any_store.datasets() == []
    assert any_store.scores().empty
    assert _stored_files(any_store) == 0
    assert any_store.state_token() == before


def test_a_dataset_with_errors_refuses_them_all_before_writing(sqlite_url):
    from reform.store.store import Store

    store = Store(sqlite_url)
    error = Issue(Severity.ERROR, "Sheet1", "C5", "Ô C5 không phải số", "C5 is not a number")
    first, second = _one_file_two_indices()
    with pytest.raises(FileRefused, match="C5"):
        store.save_many([first, replace(second, errors=(error,))], user="lan")
    assert store.datasets() == []


def test_save_is_save_many_of_one(sqlite_url):
    from reform.store.store import Store

    store = Store(sqlite_url)
    first, second = _one_file_two_indices()
    assert store.save(first).version == 1
    [result] = store.save_many([second])
    assert (result.version, result.duplicate) == (2, False)
    assert store.save(first).duplicate
