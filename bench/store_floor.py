"""What SQLite itself costs to hold a national file's scores: the floor under ``Store.save``.

Builds rows shaped like the national file's (4.1 M scores: index, period, unit id, component,
value, maximum, source cell) as Arrow columns, then times, in fresh files:

- ``adbc``: ADBC's bulk ingest into a new table with no index, no journal and no waiting for
  the disk: the fastest way this machine's SQLite takes these rows in, and no store can do less;
- ``adbc_wal``: the same into a store-like file (WAL journal, the ``version`` index), committed;
- ``parquet``: the same rows encoded as the Parquet copy the snapshot reloads, for scale.

Prints wall and CPU seconds per measure (median of ``--runs``). The import's target (at most
2× a bare fastexcel read of the file, about 4.3 s here) is to be read against these figures.

    PYTHONPATH=. python bench/store_floor.py [--rows 4100000] [--runs 3]
"""
from __future__ import annotations

import argparse
import io
import json
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq


def national_rows(count: int) -> pa.Table:
    """``count`` score rows shaped like the national file's: 10,000 units × 10 years × 41."""
    components = [f"C{n}" for n in range(41)]
    per_year = 10_000 * len(components)
    row = np.arange(count)
    unit = (row // len(components)) % 10_000
    column = row % len(components)
    sheet_row = (row // len(components)) + 2
    letters = np.array([chr(67 + c) if c < 24 else "A" + chr(65 + c - 24) for c in range(len(components))])
    return pa.table({
        "version": pa.array(np.ones(count, dtype=np.int64)),
        "index": pa.array(["PAR"] * count),
        "period": pa.array((2016 + row // per_year).astype(str)),
        "unit_id": pa.array(np.char.add("xa-", unit.astype(str))),
        "component": pa.array(np.array(components)[column]),
        "value": pa.array(np.round(np.random.default_rng(1).uniform(0, 10, count), 2)),
        "max_value": pa.array(np.full(count, 10.0)),
        "source": pa.array(np.char.add(np.char.add("Data!", letters[column]), sheet_row.astype(str))),
    })


_SCHEMA = ('CREATE TABLE scores (version INTEGER NOT NULL, "index" VARCHAR(40) NOT NULL, '
           'period VARCHAR(20) NOT NULL, unit_id VARCHAR(200) NOT NULL, component VARCHAR(40) NOT NULL, '
           'value FLOAT NOT NULL, max_value FLOAT, source TEXT NOT NULL)')


def adbc(rows: pa.Table, path: Path, *, store_like: bool) -> None:
    import adbc_driver_sqlite.dbapi as driver

    if store_like:  # the store's file is made first; its journal mode is set outside a transaction
        with sqlite3.connect(path) as made:
            made.execute("PRAGMA journal_mode=WAL")
            made.execute(_SCHEMA)
            made.execute("CREATE INDEX ix_scores_version ON scores (version)")
    with driver.connect(str(path), autocommit=not store_like) as conn, conn.cursor() as cursor:
        if store_like:
            cursor.adbc_ingest("scores", rows.to_reader(max_chunksize=65_536), mode="append")
            conn.commit()
        else:
            cursor.execute("PRAGMA journal_mode=OFF")
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.adbc_ingest("scores", rows.to_reader(max_chunksize=65_536), mode="create")


def parquet(rows: pa.Table, _path: Path) -> None:
    pq.write_table(rows, io.BytesIO(), compression="zstd")


def timed(action, runs: int) -> dict:
    walls, cpus = [], []
    for run in range(runs):
        with tempfile.TemporaryDirectory(prefix="store-floor-") as folder:
            wall, cpu = time.perf_counter(), time.process_time()
            action(Path(folder) / f"floor-{run}.sqlite")
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
    return {"wall_s": round(statistics.median(walls), 2), "cpu_s": round(statistics.median(cpus), 2),
            "wall_min_s": round(min(walls), 2), "wall_max_s": round(max(walls), 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=4_100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    rows = national_rows(args.rows)
    results = {
        "rows": args.rows,
        "adbc": timed(lambda path: adbc(rows, path, store_like=False), args.runs),
        "adbc_wal": timed(lambda path: adbc(rows, path, store_like=True), args.runs),
        "parquet": timed(lambda path: parquet(rows, path), args.runs),
    }
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
