"""Large inserts into SQLite at the speed of SQLite rather than of Python's per-value binding.

``sqlite3``'s ``executemany`` turns every value of every row into a Python object and binds it
on its own: for a national file (4.1 M scores × 8 columns) that was about 85 % of storing it,
SQLite's own work the rest (an ``INSERT … SELECT`` of the same rows took a seventh of the time).
Here the rows go as Arrow columns into a scratch database file through ADBC's SQLite driver,
which binds them in C; the store's connection then attaches that file and copies the rows with
one ``INSERT … SELECT`` inside the caller's transaction. The import stays all or nothing: the
scratch file is never part of the store, and a process killed half-way leaves the store as it
was (and at worst a scratch folder in the temporary directory).

Columns with one value in every row (the version, the index, a single period) are not
written to the scratch file: the copy's ``SELECT`` binds them once (``_constants``).

A national file's rows go in two parts, so that a worker thread fills the second scratch
file while the store copies the first: each step costs about as much as the other (some
5 s of CPU for 4.1 M scores), and both run in C without the GIL.

An attached file cannot be detached inside the transaction that read it, so :func:`release`
runs after the transaction ends (``Store.writing`` calls it) and removes the folder.
"""
from __future__ import annotations

import shutil
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

MIN_ROWS = 20_000
"""Fewer rows than this go through ``executemany``: the scratch file's set-up (a few
milliseconds) is then more than what it saves."""
MAX_ATTACHED = 8
"""Scratch files one transaction attaches at most (SQLite's limit is ten); past it, rows go
through ``executemany``."""
SPLIT_ROWS = 1_000_000
"""Rows from which a bulk insert goes in ``PARTS`` parts, filled and copied at the same time
(a national file's scores: 4.1 M)."""
PARTS = 2
"""Parts of a large bulk insert: two keep both cores busy; each more costs a scratch file
(``MAX_ATTACHED``) and adds little, since the copy takes about as long as the fill."""
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


def load(conn, table: str, names: list[str], rows, chunk: int) -> bool:
    """Insert the Arrow table ``rows`` (columns in the order of ``names``, quoted) into
    ``table`` through scratch files, within ``conn``'s transaction. False (nothing done)
    when the transaction already holds ``MAX_ATTACHED`` scratch files: SQLite attaches ten
    databases at most, and a transaction storing many datasets keeps each until it ends.

    Past ``SPLIT_ROWS`` the rows go in parts: a worker thread fills the next part's scratch
    file while this one copies the last into the store (both run in C without the GIL, so
    on two cores the fill and the copy overlap instead of following each other).
    """
    schemas = conn.connection.info.setdefault(_SCHEMAS, [])
    free = MAX_ATTACHED - len(schemas)
    if free <= 0:
        return False
    constants = _constants(rows)
    select = ", ".join("?" if column in constants else name
                       for column, name in zip(rows.column_names, names, strict=True))
    rows = rows.drop_columns(list(constants))
    parts = _parts(rows, min(free, PARTS if rows.num_rows >= SPLIT_ROWS else 1))
    folder = _folder(conn)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="reform-bulk") as pool:
        pending = pool.submit(_fill, folder, parts[0], chunk)
        try:
            for following in [*parts[1:], None]:
                schema, path = pending.result()
                if following is not None:
                    pending = pool.submit(_fill, folder, following, chunk)
                _copy(conn, f"INSERT INTO main.{table} ({', '.join(names)}) SELECT {select} FROM {schema}.rows",
                      tuple(constants.values()), schema, path)
        finally:  # a failed copy leaves no worker writing: its file goes with the folder
            pending.cancel()
    return True


def _constants(rows) -> dict[str, object]:
    """The (signed) integer and text columns of ``rows`` that hold one value in every row, no NULL
    (a dataset's version and index, its period when it has one), with that value: bound once
    in the copy's ``SELECT`` instead of written to the scratch file for every row (a seventh
    of the fill for a national file). Never all the columns: the scratch table needs one.
    Floats are left out: 0.0 and -0.0 compare equal."""
    import pyarrow as pa
    import pyarrow.compute as pc

    found: dict[str, object] = {}
    if rows.num_rows == 0:
        return found
    for name, column in zip(rows.column_names, rows.columns, strict=True):
        kind = column.type
        if column.null_count or not (pa.types.is_signed_integer(kind) or pa.types.is_string(kind)
                                     or pa.types.is_large_string(kind)):
            continue
        first = column[0]
        # A few rows of each chunk first, where most columns differ at once (chunk by chunk:
        # a take over the whole column would join its chunks, a hundred megabytes of texts).
        if all(pc.all(pc.equal(chunk.take(np.linspace(0, len(chunk) - 1, 16).astype(np.int64)), first)).as_py()
               for chunk in column.chunks if len(chunk)) and pc.all(pc.equal(column, first)).as_py():
            found[name] = first.as_py()
    if len(found) == rows.num_columns:
        found.pop(rows.column_names[0])
    return found


def _parts(rows, count: int) -> list:
    """``rows`` cut into ``count`` slices of about the same length (zero-copy)."""
    size = -(-rows.num_rows // count)
    return [rows.slice(start, size) for start in range(0, rows.num_rows, size)] or [rows]


def _folder(conn) -> str:
    """The transaction's scratch folder, made at its first bulk insert."""
    info = conn.connection.info
    return info.get(_FOLDER) or info.setdefault(_FOLDER, tempfile.mkdtemp(prefix="reform-bulk-"))


def _fill(folder: str, rows, chunk: int) -> tuple[str, Path]:
    """A new scratch file in ``folder`` holding ``rows`` as table ``rows``: (schema, path)."""
    import adbc_driver_sqlite.dbapi as adbc

    schema = f"reform_bulk_{uuid.uuid4().hex[:12]}"  # never one a failed detach left behind
    path = Path(folder) / f"{schema}.sqlite"
    with adbc.connect(str(path), autocommit=True) as scratch, scratch.cursor() as cursor:
        # The scratch file need survive nothing: no journal, no waiting for the disk.
        cursor.execute("PRAGMA journal_mode=OFF")
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.adbc_ingest("rows", rows.to_reader(max_chunksize=chunk), mode="create")
    return schema, path


def _copy(conn, sql: str, constants: tuple, schema: str, path: Path) -> None:
    """Attach the scratch file at ``path`` as ``schema`` and copy its rows by ``sql`` (an
    ``INSERT … SELECT`` from ``schema.rows``, the ``constants`` bound in its ``SELECT``)."""
    dbapi = conn.connection.dbapi_connection
    dbapi.execute(f"ATTACH DATABASE ? AS {schema}", (str(path),))
    conn.connection.info[_SCHEMAS].append(schema)
    dbapi.execute(sql, constants)


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
