"""Large inserts into SQLite at the speed of SQLite rather than of Python's per-value binding.

``sqlite3``'s ``executemany`` turns every value of every row into a Python object and binds it
on its own: for a national file (4.1 M scores × 8 columns) that was about 85 % of storing it,
SQLite's own work the rest (an ``INSERT … SELECT`` of the same rows took a seventh of the time).
Here the rows go as Arrow columns into a scratch database file through ADBC's SQLite driver,
which binds them in C; the store's connection then attaches that file and copies the rows with
one ``INSERT … SELECT`` inside the caller's transaction. The import stays all or nothing: the
scratch file is never part of the store, and a process killed half-way leaves the store as it
was (and at worst a scratch folder in the temporary directory).

An attached file cannot be detached inside the transaction that read it, so :func:`release`
runs after the transaction ends (``Store.writing`` calls it) and removes the folder.
"""
from __future__ import annotations

import shutil
import tempfile
import uuid
from pathlib import Path

import pandas as pd

MIN_ROWS = 20_000
"""Fewer rows than this go through ``executemany``: the scratch file's set-up (a few
milliseconds) is then more than what it saves."""
MAX_ATTACHED = 8
"""Scratch files one transaction attaches at most (SQLite's limit is ten); past it, rows go
through ``executemany``."""
_FOLDER, _SCHEMAS = "reform_bulk_folder", "reform_bulk_schemas"


def arrow_rows(frame: pd.DataFrame):
    """``frame`` as an Arrow table when every column is of a plain type (numbers, text, all
    missing), else None. Missing numbers (NaN) become NULL, as ``executemany`` stores them."""
    import pyarrow as pa

    table = pa.Table.from_pandas(frame, preserve_index=False)
    # Types bound here exactly as sqlite3 binds their Python values; anything else (dates,
    # booleans, categoricals) keeps executemany.
    plain = (pa.types.is_integer, pa.types.is_floating, pa.types.is_string, pa.types.is_large_string,
             pa.types.is_null)
    if not all(any(kind(field.type) for kind in plain) for field in table.schema):
        return None
    for i, field in enumerate(table.schema):
        if pa.types.is_null(field.type):  # a column of NULLs only: any type stores them
            table = table.set_column(i, field.name, table.column(i).cast(pa.string()))
    return table


def load(conn, table: str, names: str, rows, chunk: int) -> bool:
    """Insert the Arrow table ``rows`` (columns in the order of ``names``, quoted and joined)
    into ``table`` through a scratch file, within ``conn``'s transaction. False (nothing done)
    when the transaction already holds ``MAX_ATTACHED`` scratch files: SQLite attaches ten
    databases at most, and a transaction storing many datasets keeps each until it ends."""
    import adbc_driver_sqlite.dbapi as adbc

    info = conn.connection.info
    schemas = info.setdefault(_SCHEMAS, [])
    if len(schemas) >= MAX_ATTACHED:
        return False
    folder = info.get(_FOLDER) or info.setdefault(_FOLDER, tempfile.mkdtemp(prefix="reform-bulk-"))
    schema = f"reform_bulk_{uuid.uuid4().hex[:12]}"  # never one a failed detach left behind
    path = Path(folder) / f"{schema}.sqlite"
    with adbc.connect(str(path), autocommit=True) as scratch, scratch.cursor() as cursor:
        # The scratch file need survive nothing: no journal, no waiting for the disk.
        cursor.execute("PRAGMA journal_mode=OFF")
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.adbc_ingest("rows", rows.to_reader(max_chunksize=chunk), mode="create")
    dbapi = conn.connection.dbapi_connection
    dbapi.execute(f"ATTACH DATABASE ? AS {schema}", (str(path),))
    schemas.append(schema)
    dbapi.execute(f"INSERT INTO main.{table} ({names}) SELECT {names} FROM {schema}.rows")
    return True


def release(conn) -> None:
    """Detach the scratch files ``load`` attached to ``conn`` and remove them; after its
    transaction has ended (committed or rolled back)."""
    info = conn.connection.info
    schemas, folder = info.pop(_SCHEMAS, []), info.pop(_FOLDER, None)
    try:
        for schema in schemas:
            conn.connection.dbapi_connection.execute(f"DETACH DATABASE {schema}")
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
