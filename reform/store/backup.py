"""Backup and restore of the whole store as one zip file.

The zip holds one JSON-lines member per table of ``schema.metadata`` (``tables/NAME.jsonl``,
one JSON object a row; bytes as base64, dates and times in ISO form) and ``manifest.json``
with the format version, each table's row count and the SHA-256 of each member.

``restore_backup`` checks the whole file before touching the store, then loads it into an
empty store in one transaction: version numbers are kept, PostgreSQL sequences moved on.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import sqlalchemy as sa

from reform.core.errors import FileRefused, StoreError
from reform.store.schema import (
    meta_table,
    metadata,
    published_changes_table,
    users_table,
    version_frames_table,
    versions,
)
from reform.store.store import Store

FORMAT = "reform-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 5000
"""Rows inserted per executemany on restore."""
KEEP_META = ("instance",)
"""``store_meta`` keys that belong to the store itself, not to its data: never restored."""
LATER_TABLES = (users_table.name, version_frames_table.name, published_changes_table.name)
"""Tables added after format 1 was first written: a backup without them is still whole, and
restoring it leaves the store's own rows of those tables (its accounts) as they are. A backup
without ``published_changes`` restores versions that print no change, as they were read."""


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds: its file, the number of versions and the rows of every table."""

    path: Path
    versions: int
    rows: dict[str, int]

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def _member(table: sa.Table) -> str:
    return f"tables/{table.name}.jsonl"


def _encode(value: object) -> object:
    """A column value as JSON: bytes as base64, dates and times as ISO strings."""
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _decoder(column: sa.Column):
    """The function turning a JSON value back into ``column``'s Python type."""
    if isinstance(column.type, sa.LargeBinary):
        return lambda v: None if v is None else base64.b64decode(v, validate=True)
    if isinstance(column.type, sa.DateTime):
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(column.type, sa.Date):
        return lambda v: None if v is None else date.fromisoformat(v)
    return lambda v: v


def _table_lines(conn, table: sa.Table) -> tuple[bytes, int]:
    """The rows of ``table`` as JSON lines; (bytes, count). Tables with a primary key in its
    order, the others as stored (their insertion order, which reads without ORDER BY keep)."""
    lines = []
    for row in conn.execute(sa.select(table).order_by(*table.primary_key.columns)):
        record = {key: _encode(value) for key, value in row._mapping.items()}
        lines.append(json.dumps(record, ensure_ascii=False, sort_keys=True))
    return ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8"), len(lines)


def write_backup(store: Store, path: str | Path) -> BackupSummary:
    """Write every table of ``store`` to the zip file ``path`` (replaced atomically).

    Returns a :class:`BackupSummary`. Raises :class:`FileRefused` when the file cannot be
    written. The tables are read in one transaction, so the backup is one consistent state.
    """
    path = Path(path)
    manifest: dict = {"format": FORMAT, "format_version": FORMAT_VERSION, "tables": {}}
    partial = path.with_name(path.name + ".partial")
    try:
        with store.engine.connect() as conn, conn.begin(), \
                zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for table in metadata.sorted_tables:
                payload, count = _table_lines(conn, table)
                archive.writestr(_member(table), payload)
                manifest["tables"][table.name] = {
                    "member": _member(table), "rows": count,
                    "sha256": hashlib.sha256(payload).hexdigest()}
            archive.writestr(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise FileRefused.of("backup.cannot_write", file=path, reason=exc.strerror or exc) from exc
    rows = {name: entry["rows"] for name, entry in manifest["tables"].items()}
    return BackupSummary(path, rows[versions.name], rows)


def _open_archive(path: Path) -> zipfile.ZipFile:
    """The zip file at ``path``; raises :class:`FileRefused` when it is missing or no zip."""
    try:
        return zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise FileRefused.of("backup.not_zip", file=path) from exc
    except OSError as exc:
        raise FileRefused.of("backup.cannot_read", file=path, reason=exc.strerror or exc) from exc


def _read_member(archive: zipfile.ZipFile, path: Path, member: str) -> bytes:
    """The bytes of ``member``; raises :class:`FileRefused` when it is missing or damaged."""
    try:
        return archive.read(member)
    except KeyError as exc:
        raise FileRefused.of("backup.missing_member", file=path, member=member) from exc
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:  # CRC error, truncation
        raise FileRefused.of("backup.bad_member", file=path, member=member, reason=exc) from exc


def _read_manifest(archive: zipfile.ZipFile, path: Path) -> dict:
    """The manifest, its format checked; raises :class:`FileRefused` when unusable."""
    raw = _read_member(archive, path, MANIFEST)
    try:
        manifest = json.loads(raw)
        found = manifest.get("format_version") if isinstance(manifest, dict) else None
        tables = manifest.get("tables") if isinstance(manifest, dict) else None
    except (ValueError, UnicodeDecodeError) as exc:
        raise FileRefused.of("backup.bad_member", file=path, member=MANIFEST, reason=exc) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or found != FORMAT_VERSION:
        raise FileRefused.of("backup.format", file=path, found=found, expected=FORMAT_VERSION)
    if not isinstance(tables, dict):
        raise FileRefused.of("backup.bad_member", file=path, member=MANIFEST, reason="tables")
    return manifest


def _parse_rows(payload: bytes, table: sa.Table, path: Path, member: str) -> list[dict]:
    """The rows of one member, each value in its column's type; raises :class:`FileRefused`."""
    decoders = {c.name: _decoder(c) for c in table.columns}
    try:
        rows = []
        for line in payload.decode("utf-8").splitlines():
            record = json.loads(line)
            rows.append({name: decoders[name](record.get(name)) for name in decoders})
        return rows
    except (ValueError, TypeError, AttributeError, UnicodeDecodeError) as exc:
        raise FileRefused.of("backup.bad_member", file=path, member=member, reason=exc) from exc


def read_backup(path: str | Path) -> dict[str, list[dict]]:
    """Every table's rows from the backup at ``path``, checked against its manifest.

    Returns {table name: rows}; a table of ``LATER_TABLES`` the backup predates is absent.
    Raises :class:`FileRefused` naming the file and what is wrong: not a zip, a member
    missing, a checksum or row count that differs, an unknown format.
    """
    path = Path(path)
    with _open_archive(path) as archive:
        manifest = _read_manifest(archive, path)
        out: dict[str, list[dict]] = {}
        for table in metadata.sorted_tables:
            entry = manifest["tables"].get(table.name)
            if entry is None and table.name in LATER_TABLES:
                continue
            member = entry.get("member") if isinstance(entry, dict) else _member(table)
            if not isinstance(entry, dict):
                raise FileRefused.of("backup.missing_member", file=path, member=member)
            payload = _read_member(archive, path, member)
            if hashlib.sha256(payload).hexdigest() != entry.get("sha256"):
                raise FileRefused.of("backup.checksum", file=path, member=member)
            rows = _parse_rows(payload, table, path, member)
            if len(rows) != entry.get("rows"):
                raise FileRefused.of("backup.bad_member", file=path, member=member,
                                     reason=f"{len(rows)} != {entry.get('rows')}")
            out[table.name] = rows
    return out


def restore_backup(store: Store, path: str | Path) -> BackupSummary:
    """Load the backup at ``path`` into ``store``, which must hold no version yet.

    Everything happens in one transaction; the seeded units are replaced by the backup's.
    Returns a :class:`BackupSummary`. Raises :class:`FileRefused` for a damaged backup or a
    store that is not empty, :class:`StoreError` when the database refuses the rows; in every
    case nothing is changed.
    """
    path = Path(path)
    tables = read_backup(path)
    try:
        with store.writing() as conn:
            count = conn.execute(sa.select(sa.func.count()).select_from(versions)).scalar()
            if count:
                raise FileRefused.of("backup.not_empty", file=path, url=store.safe_url, count=count)
            for table in [t for t in reversed(metadata.sorted_tables) if t.name in tables]:
                where = meta_table.c.key.not_in(KEEP_META) if table is meta_table else sa.true()
                conn.execute(table.delete().where(where))
            for table in [t for t in metadata.sorted_tables if t.name in tables]:
                rows = tables[table.name]
                if table is meta_table:
                    rows = [r for r in rows if r["key"] not in KEEP_META]
                for start in range(0, len(rows), CHUNK):
                    conn.execute(table.insert(), rows[start:start + CHUNK])
            _reset_sequences(conn)
    except sa.exc.SQLAlchemyError as exc:
        raise StoreError.of("backup.failed", file=path, reason=getattr(exc, "orig", exc)) from exc
    rows = {name: len(rows) for name, rows in tables.items()}
    return BackupSummary(path, rows[versions.name], rows)


def _reset_sequences(conn) -> None:
    """On PostgreSQL, move every serial column's sequence past the restored numbers."""
    if conn.dialect.name != "postgresql":
        return
    for table in metadata.sorted_tables:
        for column in table.primary_key.columns:
            if column.autoincrement is True or (
                    column.autoincrement == "auto" and isinstance(column.type, sa.Integer)
                    and len(table.primary_key.columns) == 1):
                name, col = table.name, column.name
                conn.execute(sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', '{col}'), "
                    f"COALESCE((SELECT MAX(\"{col}\") FROM \"{name}\"), 0) + 1, false)"))
