"""The versioned store: SQLite by default, PostgreSQL for a shared deployment (SQLAlchemy Core).

- An import is one transaction: all of it or nothing; versions are immutable.
- For each index and period the data shown comes from the newest non-deleted version that
  covers it; older ones are "superseded", kept, and can be restored (restoring makes a
  version the newest again). Delete is a soft delete with restore.
- The original bytes of every file and their SHA-256 are kept; the same file twice is
  recognised and stored once. Every change is written to the audit log.
"""
from __future__ import annotations

import functools
import json
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from reform.analysis import scope
from reform.core import config
from reform.core.access import Action, Role, require
from reform.core.errors import FileRefused, StoreError
from reform.core.gazetteer import seed_units
from reform.core.kinds import inspection_kind
from reform.core.model import (
    COMPONENT_COLUMNS,
    INSPECTION_COLUMNS,
    LINK_COLUMNS,
    PUBLISHED_CHANGE_COLUMNS,
    PUBLISHED_COLUMNS,
    SCORE_COLUMNS,
    TOTAL,
    UNIT_COLUMNS,
    Dataset,
    Level,
    LineageSet,
)
from reform.core.text import unit_key
from reform.store import sqlite_bulk
from reform.store.lean import LEAN_KEYS, LEAN_SCORE_COLUMNS, concat_categorical
from reform.store.schema import (
    aliases_table,
    audit_table,
    components_table,
    files,
    inspections_table,
    lineage_table,
    meta_table,
    metadata,
    published_changes_table,
    published_table,
    scores_table,
    units_table,
    version_frames_table,
    versions,
)
from reform.store.state import STATE_TOKEN_SQL, normalise_url, url_without_password


@dataclass(frozen=True)
class SaveResult:
    """What ``Store.save`` did: the version, and whether the file was already stored."""

    version: int
    duplicate: bool
    superseded: tuple[int, ...] = ()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _retry_busy(method):
    """Run a write again, with backoff, when it met another writer's lock (SQLite) or a
    serialization conflict (PostgreSQL); after ``config.STORE_WRITE_ATTEMPTS`` tries the user
    reads "the store is busy", never the driver's "database is locked"."""
    @functools.wraps(method)
    def retried(self, *args, **kwargs):
        for attempt in range(config.STORE_WRITE_ATTEMPTS):
            try:
                return method(self, *args, **kwargs)
            except sa.exc.OperationalError as exc:
                if not _transient(exc):
                    raise
                if attempt + 1 == config.STORE_WRITE_ATTEMPTS:
                    raise StoreError.of("store.busy", attempts=config.STORE_WRITE_ATTEMPTS) from exc
                time.sleep(0.2 * 2 ** attempt)
        raise AssertionError("unreachable")
    return retried


def _transient(exc: sa.exc.OperationalError) -> bool:
    """A lock or conflict that a retry can get past (not a lost server or a full disk)."""
    if getattr(exc.orig, "sqlstate", None) in {"40001", "40P01", "55P03"}:
        return True
    text = str(exc.orig).lower()
    return "database is locked" in text or "database is busy" in text


WRITE_LOCK_KEY = 7_240_301
"""PostgreSQL advisory lock every writer takes: writers run one at a time in all processes, so
precedences are unique and the duplicate-file check cannot race (SQLite gets the same from
``BEGIN IMMEDIATE``)."""


class Store:
    """The store behind the app and the command line. Create with a URL or none (embedded).

    A ``guarded`` store (the app's) refuses every change whose caller gives no role allowed
    to make it; an unguarded one (the command line, run by whoever holds the database) checks
    a role only when one is given.
    """

    def __init__(self, url: str | None = None, *, guarded: bool = False) -> None:
        self.url = normalise_url(config.database_url(url))
        self.guarded = guarded
        if self.url.startswith("sqlite:///"):
            Path(self.url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.engine: Engine = _engine(self.url)
            with self.writing() as conn:
                metadata.create_all(conn)
                if conn.execute(sa.select(sa.func.count()).select_from(units_table)).scalar() == 0:
                    self._insert_units(conn, seed_units())
                # An id per store: a store deleted and made again at the same address starts
                # its state tokens from 0 again, and caches must not mistake it for the old one.
                self.instance_id = conn.execute(
                    sa.select(meta_table.c.value).where(meta_table.c.key == "instance")).scalar()
                if self.instance_id is None:
                    self.instance_id = uuid.uuid4().hex
                    conn.execute(meta_table.insert().values(key="instance", value=self.instance_id))
        except sa.exc.OperationalError as exc:
            raise StoreError.of("store.unreachable", url=self.safe_url, reason=exc.orig) from exc

    @contextmanager
    def writing(self, *, keyed: bool = False) -> Iterator[sa.Connection]:
        """A write transaction that waits its turn: ``BEGIN IMMEDIATE`` on SQLite (the write
        lock is taken at once, waiting up to ``config.STORE_BUSY_SECONDS``, so two writers
        never deadlock half-way) and the advisory write lock on PostgreSQL. Commits on exit.

        ``keyed``: the caller sets every foreign key itself, to rows it inserted in this same
        transaction (a version and its rows), so SQLite need not look up a parent row for each
        of millions of scores (a fifth of copying them). PostgreSQL's COPY has its own way
        (``_skip_key_triggers``); every other write checks keys as always.
        """
        with self.engine.connect() as conn:
            conn.execution_options(reform_write=True)
            sqlite = conn.dialect.name == "sqlite"
            if sqlite and keyed:  # a no-op inside a transaction: set before it begins
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
            try:
                with conn.begin():
                    if not sqlite:
                        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
                    yield conn
            finally:  # scratch files of a bulk insert detach only once the transaction is over
                if sqlite and not conn.invalidated:
                    try:  # the pooled connection goes back checking keys, as it came
                        if keyed:
                            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")
                    finally:
                        sqlite_bulk.release(conn)

    def _allow(self, role: str | Role | None, action: Action, user: str) -> None:
        """Raise ``Forbidden`` unless ``role`` may do ``action`` (checked when the store is
        guarded or a role is given)."""
        if self.guarded or role is not None:
            require(role, action, user=user)

    @property
    def safe_url(self) -> str:
        """The URL without its password, fit for messages."""
        return url_without_password(self.url)

    # ---- reading -------------------------------------------------------------------------

    def state_token(self) -> int:
        """Changes whenever anything stored changes; the app's cache is keyed by it."""
        with self.engine.connect() as conn:
            return int(conn.exec_driver_sql(STATE_TOKEN_SQL).scalar())

    def units(self) -> pd.DataFrame:
        """Every known unit (``UNIT_COLUMNS``), aliases as tuples.

        A unit that an active crosswalk links into another ends the day before the link takes
        effect (``valid_to``): deleting the crosswalk version gives it back its open end.
        """
        units = self._raw_units()
        with self.engine.connect() as conn:
            has_lineage = conn.execute(sa.select(lineage_table.c.version).limit(1)).first() is not None
        if not has_lineage:
            return units
        links = self.lineage()
        moved = links[links["old_unit_id"] != links["new_unit_id"]]
        ends = moved.groupby("old_unit_id")["effective"].min()
        ends = (pd.to_datetime(ends) - pd.Timedelta(days=1)).dt.strftime("%Y-%m-%d")
        ended = units["unit_id"].map(ends)
        units["valid_to"] = ended.where(ended.notna() & (units["valid_to"] == ""), units["valid_to"])
        return units

    def _raw_units(self) -> pd.DataFrame:
        """The units table as written, aliases as tuples."""
        with self.engine.connect() as conn:
            units = pd.read_sql(sa.select(units_table), conn)
            aliases = pd.read_sql(sa.select(aliases_table), conn)
        # A plain loop: a national registry has tens of thousands of units, and a pandas
        # groupby with a Python aggregate spent seconds on them.
        grouped: dict[str, set[str]] = {}
        for unit_id, alias in zip(aliases["unit_id"], aliases["alias"], strict=True):
            grouped.setdefault(unit_id, set()).add(alias)
        units["aliases"] = [tuple(sorted(grouped.get(u, ()))) for u in units["unit_id"]]
        return units[UNIT_COLUMNS].reset_index(drop=True)

    def _versions_frame(self, conn) -> pd.DataFrame:
        frame = pd.read_sql(sa.select(versions).order_by(versions.c.version), conn)
        frame["periods"] = frame["periods"].apply(json.loads)
        return frame

    @staticmethod
    def _winners(frame: pd.DataFrame) -> dict[tuple[str, str], int]:
        """For each (index, period), the version whose data is shown."""
        winners: dict[tuple[str, str], tuple[int, int]] = {}
        for row in frame[~frame["deleted"].astype(bool)].itertuples(index=False):
            for period in row.periods:
                key = (row.index, period)
                if key not in winners or row.precedence > winners[key][0]:
                    winners[key] = (row.precedence, row.version)
        return {key: version for key, (_, version) in winners.items()}

    def _active(self, conn, table: sa.Table, columns: list[str], *,
                skip: tuple[str, ...] = (), keys: tuple[str, ...] = ()) -> pd.DataFrame:
        frame = self._versions_frame(conn)
        winners = self._winners(frame)
        if not winners:
            return pd.DataFrame(columns=columns)
        kept, missing = _read_frames(conn, table, sorted(set(winners.values())), winners,
                                     skip=skip, keys=keys)
        if not missing:
            return kept
        # Versions stored before columnar copies existed: read their rows.
        older = {key: v for key, v in winners.items() if v in missing}
        selected = sa.select(*(c for c in table.columns if c.name not in skip))
        rows = _read_frame(conn, selected.where(_shown_rows(table, frame, older)))
        if keys:
            return concat_categorical([kept, rows.astype(dict.fromkeys(keys, "category"))], keys)
        return pd.concat([kept, rows], ignore_index=True) if len(kept) else rows

    def scores(self, *, lean: bool = False) -> pd.DataFrame:
        """The scores shown now (``SCORE_COLUMNS``), from the winning version of each period.

        ``lean`` (for the app's snapshot): without ``source`` (a cell reference per score) and
        with ``LEAN_KEYS`` as categoricals, converted one version at a time, so a national
        store's millions of rows are never held as strings all at once.
        """
        columns = LEAN_SCORE_COLUMNS if lean else SCORE_COLUMNS
        with self.engine.connect() as conn:
            data = self._active(conn, scores_table, columns, skip=("source",) if lean else (),
                                keys=LEAN_KEYS if lean else ())
        return data.reindex(columns=columns).reset_index(drop=True)

    def components(self) -> pd.DataFrame:
        with self.engine.connect() as conn:
            data = self._active(conn, components_table, COMPONENT_COLUMNS)
        return data.reindex(columns=COMPONENT_COLUMNS).sort_values(
            ["index", "period", "order"]).reset_index(drop=True)

    def published(self) -> pd.DataFrame:
        with self.engine.connect() as conn:
            data = self._active(conn, published_table, PUBLISHED_COLUMNS)
        data = data.rename(columns={"group_label": "group"})
        return data.reindex(columns=PUBLISHED_COLUMNS).reset_index(drop=True)

    def published_changes(self) -> pd.DataFrame:
        """The changes files print (``PUBLISHED_CHANGE_COLUMNS``), from the winning version of
        each period, as ``published`` gives the printed ranks."""
        with self.engine.connect() as conn:
            data = self._active(conn, published_changes_table, PUBLISHED_CHANGE_COLUMNS)
        return data.reindex(columns=PUBLISHED_CHANGE_COLUMNS).reset_index(drop=True)

    def inspections(self) -> pd.DataFrame:
        """Inspection records of the versions shown now (DISCIPLINE, per year covered)."""
        with self.engine.connect() as conn:
            frame = self._versions_frame(conn)
            winners = self._winners(frame)
            code = inspection_kind().code
            wanted = sorted({v for (index, _), v in winners.items() if index == code})
            data = pd.read_sql(sa.select(inspections_table).where(inspections_table.c.version.in_(wanted)), conn)
        data["date"] = pd.to_datetime(data["date"])
        if not data.empty:
            year = data["date"].dt.strftime("%Y")
            keys = pd.Series([(code, y) for y in year], index=data.index)
            data = data[keys.map(winners) == data["version"]]
        return data.reindex(columns=INSPECTION_COLUMNS).reset_index(drop=True)

    def datasets(self) -> list[dict]:
        """Every version with its status (active, superseded, deleted), newest first.

        ``periods_in_use`` lists the version's periods whose data it is the one shown of
        (``_winners``): all of ``periods`` for a version nothing replaced, some when a later
        upload replaced only part of it, none when superseded or deleted.
        """
        with self.engine.connect() as conn:
            frame = self._versions_frame(conn)
            sha = pd.read_sql(sa.select(files.c.sha256, files.c.size), conn)
        shown = self._winners(frame)
        winners = set(shown.values())
        sizes = dict(zip(sha["sha256"], sha["size"], strict=True))
        out = []
        for row in frame.sort_values("version", ascending=False).itertuples(index=False):
            status = "deleted" if row.deleted else ("active" if row.version in winners else "superseded")
            out.append({
                "version": int(row.version), "index": row.index, "kind": row.kind,
                "periods": list(row.periods), "file": row.file_name, "sha256": row.file_sha256,
                "periods_in_use": [p for p in row.periods
                                   if shown.get((row.index, p)) == row.version],
                "size": int(sizes.get(row.file_sha256, 0)), "sheets": json.loads(row.sheets),
                "units": int(row.units), "status": status,
                "uploaded_at": pd.Timestamp(row.uploaded_at).isoformat(timespec="seconds"),
                "uploaded_by": row.uploaded_by,
            })
        return out

    def original_file(self, version: int) -> tuple[str, bytes]:
        """The file a version was read from, byte for byte: (name, bytes)."""
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(versions.c.file_name, files.c.content)
                .join(files, files.c.sha256 == versions.c.file_sha256)
                .where(versions.c.version == version)).first()
        if row is None:
            raise self._unknown(version)
        return row.file_name, bytes(row.content)

    def audit_log(self) -> pd.DataFrame:
        with self.engine.connect() as conn:
            return pd.read_sql(sa.select(audit_table).order_by(audit_table.c.id.desc()), conn)

    def previous_units(self, index: str, periods: list[str]) -> dict[tuple[str, str], set[str]]:
        """Units of the period before each of ``periods``, for the "missing unit" warning."""
        scores = self.scores()
        scores = scores[(scores["index"] == index) & (scores["component"] == TOTAL)]
        known = sorted(set(scores["period"]))
        out = {}
        for period in periods:
            before = scope.previous_period(known, period)
            if before:
                out[(index, period)] = set(scores.loc[scores["period"] == before, "unit_id"])
        return out

    # ---- writing -------------------------------------------------------------------------

    def save(self, dataset: Dataset, *, user: str = config.DEFAULT_USER,
             role: str | Role | None = None) -> SaveResult:
        """Store ``dataset`` as a new version in one transaction.

        Raises :class:`Forbidden` when ``role`` may not upload (see ``guarded``),
        :class:`FileRefused` (nothing stored) when the dataset carries errors.
        The same bytes read with the same options as a stored, non-deleted version return that
        version with ``duplicate=True`` and store nothing.
        """
        return self.save_many([dataset], user=user, role=role)[0]

    @_retry_busy
    def save_many(self, datasets: list[Dataset], *, user: str = config.DEFAULT_USER,
                  role: str | Role | None = None) -> list[SaveResult]:
        """Store each of ``datasets`` as a version, all in one transaction: all or none (a
        file whose index column names several indices gives one dataset per index).

        Returns one :class:`SaveResult` per dataset, in order; raises as :meth:`save` does,
        before anything is stored, when any dataset carries errors.
        """
        self._allow(role, Action.UPLOAD, user)
        for dataset in datasets:
            _refuse_errors(dataset)
        now = _now()
        with self.writing(keyed=True) as conn:
            return [self._save_in(conn, dataset, user, now) for dataset in datasets]

    def _save_in(self, conn, dataset: Dataset, user: str, now: datetime) -> SaveResult:
        """One dataset stored inside the caller's write transaction (see :meth:`save`)."""
        # Options left unset do not count: the same file with the same choices is one upload,
        # whether it came from the page or the command line.
        options = {k: v for k, v in dataset.options.items() if v not in (None, "", {}, [])}
        options_json = json.dumps(options, sort_keys=True, ensure_ascii=False)
        existing = conn.execute(
            sa.select(versions.c.version).where(
                versions.c.file_sha256 == dataset.sha256, versions.c.index == dataset.index,
                versions.c.options == options_json, versions.c.deleted.is_(False))).first()
        if existing is not None:
            return SaveResult(int(existing.version), duplicate=True)
        before = self._winners(self._versions_frame(conn))
        version = self._insert_version(conn, dataset, options_json, user, now)
        self._insert_new_units(conn, dataset.units)
        self._insert_rows(conn, version, dataset)
        superseded = tuple(sorted({v for key, v in before.items()
                                   if key[0] == dataset.index and key[1] in dataset.periods}))
        _audit(conn, now, user, "import", version, {
            "file": dataset.file_name, "sha256": dataset.sha256, "index": dataset.index,
            "periods": list(dataset.periods), "superseded": list(superseded)})
        return SaveResult(int(version), duplicate=False, superseded=superseded)

    @staticmethod
    def _insert_version(conn, dataset: Dataset, options_json: str, user: str, now: datetime) -> int:
        """The file's bytes (once per SHA-256) and a new version row, the newest; its number."""
        precedence = _keep_file(conn, dataset.sha256, dataset.file_name, dataset.data, user, now)
        return conn.execute(versions.insert().values(
            index=dataset.index, kind=dataset.kind, periods=json.dumps(list(dataset.periods)),
            file_sha256=dataset.sha256, file_name=dataset.file_name,
            sheets=json.dumps(list(dataset.sheets), ensure_ascii=False),
            options=options_json, units=dataset.unit_count, precedence=precedence,
            deleted=False, uploaded_at=now, uploaded_by=user,
        )).inserted_primary_key[0]

    @_retry_busy
    def delete(self, version: int, *, user: str = config.DEFAULT_USER,
               role: str | Role | None = None) -> None:
        """Soft-delete ``version``: its data is no longer shown; ``restore`` brings it back.
        Raises :class:`Forbidden` when ``role`` may not delete."""
        self._allow(role, Action.DELETE, user)
        self._set(version, user, "delete", deleted=True)

    @_retry_busy
    def restore(self, version: int, *, user: str = config.DEFAULT_USER,
                role: str | Role | None = None) -> None:
        """Make ``version`` the one shown for its periods again (undeleting it if needed).
        Raises :class:`Forbidden` when ``role`` may not restore."""
        self._allow(role, Action.RESTORE, user)
        self._set(version, user, "restore", deleted=False, newest=True)

    def _set(self, version: int, user: str, action: str, *, newest: bool = False, **values) -> None:
        with self.writing() as conn:
            if newest:  # read under the write lock, so two restores never tie
                top = conn.execute(sa.select(sa.func.max(versions.c.precedence))).scalar() or 0
                values["precedence"] = top + 1
            found = conn.execute(versions.update().where(versions.c.version == version).values(**values))
            if found.rowcount == 0:
                raise self._unknown(version)
            conn.execute(audit_table.insert().values(
                at=_now(), who=user, action=action, version=version, detail="{}"))

    @staticmethod
    def _unknown(version: int) -> StoreError:
        return StoreError.of("store.unknown_version", version=version)

    def _insert_units(self, conn, units: pd.DataFrame) -> None:
        # Through the driver (``_bulk_insert``), as ``_insert_new_units``: a new store seeds the
        # gazetteer's 3,449 units, and SQLAlchemy's per-row parameters took a fifth of a second.
        _bulk_insert(conn, units_table,
                     units[["unit_id", "name", "level", "parent_id", "valid_from", "valid_to"]].fillna(""))
        alias_rows = {}
        for row in units.itertuples(index=False):
            for alias in (row.name, *(row.aliases or ())):
                alias_rows[(row.unit_id, alias)] = unit_key(alias)
        _bulk_insert(conn, aliases_table, pd.DataFrame(
            [(u, a, k) for (u, a), k in alias_rows.items() if k], columns=["unit_id", "alias", "alias_key"]))

    def _insert_new_units(self, conn, units: pd.DataFrame) -> None:
        known = {r.unit_id for r in conn.execute(sa.select(units_table.c.unit_id))}
        known_aliases = {(r.unit_id, r.alias) for r in conn.execute(sa.select(aliases_table.c.unit_id, aliases_table.c.alias))}
        new_units = units[~units["unit_id"].isin(known)]
        # Through the driver (``_bulk_insert``): a national file brings ten thousand units and
        # as many spellings, and SQLAlchemy's per-row parameters took most of a second.
        _bulk_insert(conn, units_table, pd.DataFrame({
            "unit_id": new_units["unit_id"], "name": new_units["name"],
            "level": new_units["level"].fillna("").replace("", Level.UNIT.value),
            "parent_id": "", "valid_from": "", "valid_to": ""}))
        aliases = []
        for unit_id, name, spellings in zip(units["unit_id"], units["name"], units["spellings"],
                                            strict=True):
            for spelling in (name, *spellings):
                key = unit_key(spelling)
                if key and (unit_id, spelling) not in known_aliases:
                    known_aliases.add((unit_id, spelling))
                    aliases.append((unit_id, spelling, key))
        _bulk_insert(conn, aliases_table, pd.DataFrame(aliases, columns=["unit_id", "alias", "alias_key"]))

    def _insert_rows(self, conn, version: int, dataset: Dataset) -> None:
        published = dataset.published.rename(columns={"group": "group_label"})
        if not published.empty:
            published["group_label"] = published["group_label"].fillna("")
        parts = ((scores_table, dataset.scores), (components_table, dataset.components),
                 (published_table, published), (published_changes_table, dataset.published_changes))
        # The columnar copies are encoded in a thread while SQLite copies the rows: both run
        # in C without the GIL, and a national file's Parquet takes seconds of its own.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="reform-parquet") as pool:
            copies = [pool.submit(_parquet, table, frame) for table, frame in parts]
            try:
                for table, frame in parts:
                    _bulk_insert(conn, table, frame, version)
            except BaseException:  # the transaction rolls back: no copy is wanted any more
                for copy in copies:
                    copy.cancel()
                raise
            conn.execute(version_frames_table.insert(), [
                {"version": version, "part": table.name, "content": copy.result()}
                for (table, _), copy in zip(parts, copies, strict=True)])
        if not dataset.inspections.empty:
            frame = dataset.inspections.copy()
            frame["date"] = pd.to_datetime(frame["date"]).dt.date
            _bulk_insert(conn, inspections_table, frame, version)


    # ---- lineage (units across reorganisations) ------------------------------------------

    LINEAGE = "LINEAGE"
    """The ``index`` of crosswalk versions: a newer crosswalk for the same date supersedes."""

    @_retry_busy
    def save_lineage(self, lineage: LineageSet, *, user: str = config.DEFAULT_USER,
                     role: str | Role | None = None) -> SaveResult:
        """Store a crosswalk as a new version, its new units and its links, in one transaction.

        Raises :class:`Forbidden` when ``role`` may not upload, :class:`FileRefused` (nothing
        stored) when it carries errors. The same bytes again return the stored version with
        ``duplicate=True``.
        """
        self._allow(role, Action.UPLOAD, user)
        if lineage.errors:
            first = lineage.errors[0]
            raise FileRefused.of("store.refused", issues=list(lineage.errors), file=lineage.file_name,
                                 count=len(lineage.errors), sheet=first.sheet, cell=first.cell,
                                 message_vi=first.message_vi, message_en=first.message_en)
        now = _now()
        with self.writing() as conn:
            existing = conn.execute(sa.select(versions.c.version).where(
                versions.c.file_sha256 == lineage.sha256, versions.c.index == self.LINEAGE,
                versions.c.deleted.is_(False))).first()
            if existing is not None:
                return SaveResult(int(existing.version), duplicate=True)
            before = self._winners(self._versions_frame(conn))
            version = self._insert_lineage_version(conn, lineage, user, now)
            self._insert_lineage_units(conn, lineage.units)
            _bulk_insert(conn, lineage_table, lineage.links.reindex(columns=[
                "old_unit_id", "new_unit_id", "kind", "weight", "effective", "note", "source"]), version)
            superseded = tuple(sorted({v for key, v in before.items()
                                       if key == (self.LINEAGE, lineage.effective)}))
            _audit(conn, now, user, "lineage", version, {
                "file": lineage.file_name, "sha256": lineage.sha256, "effective": lineage.effective,
                "links": len(lineage.links), "superseded": list(superseded)})
        return SaveResult(int(version), duplicate=False, superseded=superseded)

    def _insert_lineage_version(self, conn, lineage: LineageSet, user: str, now: datetime) -> int:
        precedence = _keep_file(conn, lineage.sha256, lineage.file_name, lineage.data, user, now)
        return conn.execute(versions.insert().values(
            index=self.LINEAGE, kind="lineage", periods=json.dumps([lineage.effective]),
            file_sha256=lineage.sha256, file_name=lineage.file_name,
            sheets=json.dumps(list(lineage.sheets), ensure_ascii=False), options="{}",
            units=int(lineage.units["unit_id"].nunique()), precedence=precedence,
            deleted=False, uploaded_at=now, uploaded_by=user,
        )).inserted_primary_key[0]

    def _insert_lineage_units(self, conn, units: pd.DataFrame) -> None:
        """The crosswalk's units nobody knew yet, with their level, parent and dates."""
        known = {r.unit_id for r in conn.execute(sa.select(units_table.c.unit_id))}
        fresh = units[~units["unit_id"].isin(known)].drop_duplicates("unit_id")
        if not fresh.empty:
            self._insert_units(conn, fresh.assign(level=fresh["level"].astype(str)))

    def lineage(self) -> pd.DataFrame:
        """The links of the crosswalk versions shown now, with the units' names and levels."""
        with self.engine.connect() as conn:
            frame = self._versions_frame(conn)
            wanted = sorted({v for (index, _), v in self._winners(frame).items() if index == self.LINEAGE})
            links = _read_frame(conn, sa.select(lineage_table).where(lineage_table.c.version.in_(wanted)))
        with self.engine.connect() as conn:
            units = pd.read_sql(sa.select(units_table.c.unit_id, units_table.c.name,
                                          units_table.c.level), conn).set_index("unit_id")
        for side in ("old", "new"):
            ids = links.get(f"{side}_unit_id", pd.Series(dtype=str))
            links[f"{side}_name"] = ids.map(units["name"]).fillna(ids)
            links[f"{side}_level"] = ids.map(units["level"]).fillna("")
        return links.reindex(columns=[*LINK_COLUMNS, "version"]).reset_index(drop=True)


def _refuse_errors(dataset: Dataset) -> None:
    """Raise :class:`FileRefused` naming the first error when ``dataset`` carries any."""
    if dataset.errors:
        first = dataset.errors[0]
        raise FileRefused.of("store.refused", issues=list(dataset.errors), file=dataset.file_name,
                             count=len(dataset.errors), sheet=first.sheet, cell=first.cell,
                             message_vi=first.message_vi, message_en=first.message_en)


def _keep_file(conn, sha256: str, file_name: str, data: bytes, user: str, now: datetime) -> int:
    """The file's bytes, once per SHA-256; returns the precedence a new version takes (the
    highest so far + 1: the newest upload is the one shown)."""
    if conn.execute(sa.select(files.c.sha256).where(files.c.sha256 == sha256)).first() is None:
        conn.execute(files.insert().values(sha256=sha256, file_name=file_name, size=len(data),
                                           content=data, uploaded_at=now, uploaded_by=user))
    return (conn.execute(sa.select(sa.func.max(versions.c.precedence))).scalar() or 0) + 1


def _audit(conn, now: datetime, user: str, action: str, version: int, detail: dict) -> None:
    """One line of the audit log: who did what to which version, with the details as JSON."""
    conn.execute(audit_table.insert().values(at=now, who=user, action=action, version=version,
                                             detail=json.dumps(detail, ensure_ascii=False)))


BULK_CHUNK = 50_000
"""Rows per batch of a bulk insert: memory stays bounded (a chunk of Python tuples or CSV text
at a time, never millions of rows) while each batch is large enough to amortise its overhead."""


def _bulk_insert(conn, table: sa.Table, frame: pd.DataFrame, version: int | None = None) -> None:
    """Insert ``frame``'s rows into ``table`` inside the caller's transaction, in chunks;
    ``version`` (when given) fills the ``version`` column.

    PostgreSQL gets ``COPY … FROM STDIN`` (CSV text made by Arrow; rows of a version without
    a key trigger per row when the role may, see ``_skip_key_triggers``); SQLite a driver-level
    ``executemany`` per chunk, or for many rows an ``INSERT … SELECT`` from a scratch file
    filled from Arrow (``sqlite_bulk``). A national file holds millions of scores: SQLAlchemy's per-row
    parameter processing took minutes for them, and one list of all rows as Python tuples
    held gigabytes.
    """
    if frame.empty:
        return
    columns = [c.name for c in table.columns]
    out = (frame if version is None else frame.assign(version=version)).reindex(columns=columns)
    quoted = [conn.dialect.identifier_preparer.quote(c) for c in columns]
    names = ", ".join(quoted)
    if conn.dialect.name == "postgresql":
        sql = f"COPY {table.name} ({names}) FROM STDIN WITH (FORMAT csv)"
    else:
        marks = ", ".join(["?" if conn.dialect.paramstyle == "qmark" else "%s"] * len(columns))
        sql = f"INSERT INTO {table.name} ({names}) VALUES ({marks})"
    try:
        if conn.dialect.name == "postgresql":
            _copy_rows(conn, sql, out)
        else:
            _execute_chunks(conn, sql, out, table.name, quoted)
    except conn.dialect.dbapi.Error as exc:
        # The driver's own error, wrapped as SQLAlchemy would have: callers (and the retry on
        # a busy store) see sa.exc.IntegrityError, OperationalError, … as for any statement.
        raise sa.exc.DBAPIError.instance(sql, None, exc, conn.dialect.dbapi.Error) from exc


def _execute_chunks(conn, sql: str, out: pd.DataFrame, table: str = "", names: list[str] | None = None) -> None:
    rows = sqlite_bulk.arrow_rows(out) if table and len(out) >= sqlite_bulk.MIN_ROWS else None
    if rows is not None and sqlite_bulk.load(conn, table, names, rows, BULK_CHUNK):
        return  # a national file's millions of rows, bound in C (see sqlite_bulk)
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        for start in range(0, len(out), BULK_CHUNK):
            cursor.executemany(sql, _chunk_rows(out.iloc[start:start + BULK_CHUNK]))
    finally:
        cursor.close()


def _chunk_rows(part: pd.DataFrame):
    """The chunk's rows as tuples of plain Python values, NULL (None) for every missing value."""
    return zip(*(part[c].to_numpy(dtype=object, na_value=None).tolist() for c in part.columns),
               strict=True)


def _copy_rows(conn, sql: str, out: pd.DataFrame) -> None:
    """Stream ``out`` into ``COPY … FROM STDIN`` as CSV, one chunk at a time.

    Arrow writes every string quoted and a NULL as an empty unquoted field, which is exactly
    how PostgreSQL's CSV format tells NULL from an empty text; floats in their shortest form
    that reads back to the same double.
    """
    import io

    import pyarrow as pa
    import pyarrow.csv as pa_csv

    options = pa_csv.WriteOptions(include_header=False)
    with conn.connection.dbapi_connection.cursor() as cursor:
        unchecked = "version" in out.columns and _skip_key_triggers(cursor)
        with cursor.copy(sql) as copy:
            for start in range(0, len(out), BULK_CHUNK):
                part = out.iloc[start:start + BULK_CHUNK]
                text = io.BytesIO()
                pa_csv.write_csv(pa.Table.from_pandas(part, preserve_index=False), text, options)
                copy.write(text.getvalue())
        if unchecked:
            cursor.execute("SET LOCAL session_replication_role TO DEFAULT")


def _skip_key_triggers(cursor) -> bool:
    """Turn PostgreSQL's foreign-key triggers off until the next ``SET LOCAL`` (as ``pg_restore
    --disable-triggers`` does) when the role may: a superuser, or one granted ``SET ON PARAMETER
    session_replication_role``. True if they are off.

    Every row copied carries the version this transaction just inserted, and the trigger
    would look that one parent up again for each of millions of rows: three quarters of the
    server's work for a national file. A role that may not keeps its checks; the refusal
    is undone by a savepoint, so the transaction goes on.
    """
    import psycopg

    try:
        with cursor.connection.transaction():
            cursor.execute("SET LOCAL session_replication_role TO replica")
    except psycopg.errors.InsufficientPrivilege:
        return False
    return True


def _parquet(table: sa.Table, frame: pd.DataFrame) -> bytes:
    """``frame`` (the rows of ``table`` a version stores) as the Parquet blob of its columnar
    copy in ``version_frames``."""
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = [c.name for c in table.columns if c.name != "version"]
    out = frame.reindex(columns=columns)
    for column in table.columns:
        if isinstance(column.type, sa.Float) and column.name in out.columns:
            out[column.name] = pd.to_numeric(out[column.name]).astype("float64")
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(out, preserve_index=False), buffer, compression="zstd")
    return buffer.getvalue()


def _read_frames(conn, table: sa.Table, wanted: list[int], winners: dict[tuple[str, str], int],
                 *, skip: tuple[str, ...] = (), keys: tuple[str, ...] = ()
                 ) -> tuple[pd.DataFrame, set[int]]:
    """The shown rows of ``table`` from the columnar copies of the ``wanted`` versions, and the
    versions that have no copy. Rows of periods a later version replaced are dropped, columns
    in ``skip`` are not read, columns in ``keys`` come as categoricals."""
    import io

    import pyarrow.parquet as pq

    blobs = conn.execute(sa.select(version_frames_table.c.version, version_frames_table.c.content)
                         .where(version_frames_table.c.part == table.name,
                                version_frames_table.c.version.in_(wanted))).all()
    frames = []
    columns = [c.name for c in table.columns if c.name not in skip]
    for version, content in blobs:
        # Keys read as dictionaries come out categorical: factorising millions of strings
        # afterwards was the largest part of a national reload.
        part = pq.read_table(io.BytesIO(content), columns=[c for c in columns if c != "version"],
                             read_dictionary=[k for k in keys if k in columns]).to_pandas()
        if "period" in part.columns:
            won = [period for (index, period), v in winners.items() if v == version]
            indices = {index for (index, _), v in winners.items() if v == version}
            part = part[part["period"].isin(won) & part["index"].isin(indices)]
            part = part[[winners.get(key) == version for key in zip(
                part["index"], part["period"], strict=True)]] if len(indices) > 1 else part
        frames.append(part.assign(version=version).astype(dict.fromkeys(keys, "category")))
    if keys and frames:
        return concat_categorical(frames, keys), set(wanted) - {version for version, _ in blobs}
    kept = (pd.concat(frames, ignore_index=True) if frames
            else pd.DataFrame(columns=columns)).reindex(columns=columns)
    return kept, set(wanted) - {version for version, _ in blobs}


def _shown_rows(table: sa.Table, versions_frame: pd.DataFrame,
                winners: dict[tuple[str, str], int]) -> sa.ColumnElement[bool]:
    """The WHERE clause of the rows shown: each winning version, limited to the periods it
    wins when a later upload replaced only some of them.

    Filtering in SQL, not with a merge afterwards: a merge on three text columns of millions
    of rows cost seconds, and rows of superseded periods were read for nothing.
    """
    won: dict[int, set[tuple[str, str]]] = {}
    for key, version in winners.items():
        won.setdefault(version, set()).add(key)
    periods = dict(zip(versions_frame["version"], versions_frame["periods"], strict=True))
    clauses = []
    for version, keys in sorted(won.items()):
        if "period" not in table.c or len(keys) == len(set(periods[version])):
            clauses.append(table.c.version == version)
            continue
        clauses.append(sa.and_(table.c.version == version, sa.or_(*(
            sa.and_(table.c.index == index, table.c.period == period)
            for index, period in sorted(keys)))))
    return sa.or_(*clauses)


def _read_frame(conn, statement) -> pd.DataFrame:
    """Rows of ``statement`` as a frame: on PostgreSQL as CSV columns parsed by Arrow, on
    SQLite through the driver's cursor.

    A national store holds millions of scores, and a Python tuple and objects per row cost
    seconds. ADBC's SQLite driver would read columns, but it brings a second copy of the
    SQLite library into the process, whose file locks and WAL index the first one does not
    see (it read stale data here, and SQLite's "how to corrupt" page warns against it). The
    statement binds only version numbers, index codes and periods, rendered literally (and
    quoted) by SQLAlchemy.
    """
    sql = str(statement.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    columns = list(statement.selected_columns)
    if conn.dialect.name == "postgresql" and _arrow_types(columns) is not None:
        frame = _read_postgres(conn, sql, columns)
    else:
        frame = _read_cursor(conn, sql)
    # NULLs came back as None, which leaves a float column as objects: make it float (NaN).
    for column in columns:
        if isinstance(column.type, sa.Float) and column.name in frame.columns:
            frame[column.name] = pd.to_numeric(frame[column.name]).astype(float)
    return frame


def _read_cursor(conn, sql: str) -> pd.DataFrame:
    # Straight through the driver's cursor: SQLAlchemy's Row objects (and pandas probing
    # them) cost more than the query itself.
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.execute(sql)
        names = [d[0] for d in cursor.description]
        return pd.DataFrame.from_records(cursor.fetchall(), columns=names)
    finally:
        cursor.close()


def _arrow_types(columns) -> dict | None:
    """Arrow types for reading ``columns`` from CSV, or None when one has no plain mapping."""
    import pyarrow as pa

    types = {}
    for column in columns:
        if isinstance(column.type, sa.Float):
            types[column.name] = pa.float64()
        elif isinstance(column.type, sa.Integer):
            types[column.name] = pa.int64()
        elif isinstance(column.type, sa.String):  # Text is a String too
            types[column.name] = pa.large_string()
        else:
            return None
    return types


def _read_postgres(conn, sql: str, columns) -> pd.DataFrame:
    """The rows through ``COPY (…) TO STDOUT`` as CSV, parsed by Arrow into columns.

    PostgreSQL writes NULL as an empty unquoted field and an empty text as ``""``, so only
    the former becomes NULL (and no text such as "NA" is mistaken for one).
    """
    import io

    import pyarrow.csv as pa_csv

    text = io.BytesIO()
    with conn.connection.dbapi_connection.cursor() as cursor, \
            cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy:
        for block in copy:
            text.write(block)
    names = [c.name for c in columns]
    if text.tell() == 0:
        return pd.DataFrame(columns=names)
    text.seek(0)
    table = pa_csv.read_csv(text, read_options=pa_csv.ReadOptions(column_names=names),
                            convert_options=pa_csv.ConvertOptions(
                                column_types=_arrow_types(columns), null_values=[""],
                                strings_can_be_null=True, quoted_strings_can_be_null=False))
    return table.to_pandas()


def _engine(url: str) -> Engine:
    """The engine for ``url``; on SQLite with a busy timeout and transactions begun by us."""
    if not url.startswith("sqlite"):
        return sa.create_engine(url, future=True)
    engine = sa.create_engine(url, future=True, connect_args={"timeout": config.STORE_BUSY_SECONDS})
    sa.event.listen(engine, "connect", _sqlite_pragmas)
    sa.event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_begin(conn) -> None:
    # sqlite3 would begin a transaction only at the first write, as DEFERRED: a reader's
    # statements then each saw a different state, and two writers upgrading their locks at
    # once made one fail at once with "database is locked". Readers get one snapshot for the
    # whole connection; writers take the write lock when they start.
    immediate = conn.get_execution_options().get("reform_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # no implicit BEGIN: ``_sqlite_begin`` emits it
    cursor = dbapi_connection.cursor()
    # WAL lets the app read while the command line writes; foreign keys keep rows tied to versions.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
