"""Columns that hold one value in every row (a dataset's version, index, its period) are bound
once in the bulk copy's SELECT instead of written to the scratch file for every row
(``sqlite_bulk._constants``): only truly constant integer and text columns, and the store
holds exactly what ``executemany`` stores."""
import numpy as np
import pyarrow as pa
import pytest
import sqlalchemy as sa

from reform.store import sqlite_bulk
from reform.store.store import Store
from tests.test_bulk_store import national

RAW = ('SELECT version, "index", period, unit_id, component, value, max_value, source, '
       'typeof(version), typeof("index"), typeof(period) FROM scores ORDER BY rowid')


def test_only_columns_with_one_value_and_no_null_are_constants():
    n = 50_000
    odd = np.full(n, "2024", dtype=object)
    odd[12_345] = "2025"  # one row away from the rows sampled first
    rows = pa.table({
        "version": pa.array(np.full(n, 3, dtype=np.int64)),
        "index": pa.array(["PAR"] * n, type=pa.large_string()),
        "period": pa.array(odd, type=pa.string()),
        "unit": pa.array(["u"] * (n - 1) + [None], type=pa.string()),
        "maximum": pa.array(np.full(n, 10.0)),  # floats never: 0.0 and -0.0 compare equal
    })
    assert sqlite_bulk._constants(rows) == {"version": 3, "index": "PAR"}
    chunked = pa.table({"version": pa.chunked_array([np.full(1000, 2), np.full(1000, 2)]),
                        "index": pa.chunked_array([["PAR"] * 1000, ["PAR"] * 500 + ["SIPAS"] + ["PAR"] * 499])})
    assert sqlite_bulk._constants(chunked) == {"version": 2}  # a chunk differs off its sampled rows
    only = pa.table({"version": pa.array(np.ones(n, dtype=np.int64)), "index": pa.array(["PAR"] * n)})
    assert sqlite_bulk._constants(only) == {"index": "PAR"}  # the scratch table keeps a column


@pytest.mark.parametrize("period_of_one_row", [None, "2031"])
def test_bound_constants_store_what_executemany_stores(tmp_path, monkeypatch, period_of_one_row):
    """One period (bound once) or a period that differs in a single row (written per row)."""
    dataset = national()
    dataset.scores["period"] = dataset.scores["period"].iloc[0]
    if period_of_one_row:
        dataset.scores.loc[len(dataset.scores) // 3, "period"] = period_of_one_row
    bulk = Store(f"sqlite:///{tmp_path / 'bulk.sqlite'}")
    bulk.save(dataset)
    monkeypatch.setattr(sqlite_bulk, "MIN_ROWS", 10**9)  # every row through executemany
    plain = Store(f"sqlite:///{tmp_path / 'plain.sqlite'}")
    plain.save(dataset)
    with bulk.engine.connect() as a, plain.engine.connect() as b:
        got, want = a.exec_driver_sql(RAW).all(), b.exec_driver_sql(RAW).all()
    assert got == want
    assert {row[8:] for row in got} == {("integer", "text", "text")}
    assert len({row[2] for row in got}) == (2 if period_of_one_row else 1)


def test_a_failing_copy_with_constants_leaves_nothing(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    failing = national()
    failing.scores.loc[5, "value"] = float("nan")  # NOT NULL: the INSERT … SELECT fails
    with pytest.raises(sa.exc.IntegrityError):
        store.save(failing)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM scores").scalar() == 0
