"""The store's state token and identity, read with the standard library's sqlite3.

A restarted app draws its first page from the snapshot's Arrow copy and the views kept next to
it: all it needs from the store is which state it is in. Opening the store for that (an
engine, its dialect, every table checked) is left to the first page that reads or writes the
store itself (``StoreState.open``). SQLite only: the state of a PostgreSQL store is read
through ``Store`` as before. This module imports no SQLAlchemy, so ``store.py`` takes its URL
helpers from here.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from reform.core import config

SQLITE_PREFIX = "sqlite:///"
STATE_TOKEN_SQL = "SELECT coalesce(max(id), 0) FROM audit"
"""The store's state token: the last audit entry's id (0 when none). Every change is audited,
so it moves with anything stored. Read here and by ``Store.state_token``."""


def normalise_url(url: str) -> str:
    """SQLAlchemy URL with the installed PostgreSQL driver (psycopg 3) for plain postgres URLs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def url_without_password(url: str) -> str:
    """``url`` with any password replaced by ``***``, as messages and cache names show it."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


class StoreState:
    """What a snapshot needs of a SQLite store: its URL, its id (``instance_id``) and its state
    token, read with the standard library's sqlite3; ``open()`` gives the full ``Store``."""

    def __init__(self, url: str, path: Path, instance_id: str, opener: Callable[[], object]):
        self.url = url
        self.safe_url = url_without_password(url)
        self.instance_id = instance_id
        self._path = path
        self._opener = opener

    def state_token(self) -> int:
        """``Store.state_token``, read with sqlite3 (``STATE_TOKEN_SQL``)."""
        with _connect(self._path) as conn:
            return int(conn.execute(STATE_TOKEN_SQL).fetchone()[0])

    def open(self):
        """The full ``Store`` (SQLAlchemy), made once by the opener given."""
        return self._opener()


def light_state(url: str, opener: Callable[[], object]) -> StoreState | None:
    """A ``StoreState`` of the SQLite store at ``url``; None for another database, a file not
    made yet or a store never opened by ``Store`` (no id yet): those go through ``Store``."""
    url = normalise_url(url)
    if not url.startswith(SQLITE_PREFIX):
        return None
    path = Path(url.removeprefix(SQLITE_PREFIX))
    if not path.is_file():
        return None
    try:
        with _connect(path) as conn:
            row = conn.execute("SELECT value FROM store_meta WHERE key = 'instance'").fetchone()
    except sqlite3.Error:
        return None
    return None if row is None else StoreState(url, path, row[0], opener)


class _connect:
    """A connection that only reads, closed on exit (sqlite3's own context manager only
    commits). Not opened read-only: a WAL database whose -shm file is gone cannot be."""

    def __init__(self, path: Path):
        self._conn = sqlite3.connect(path, timeout=config.STORE_BUSY_SECONDS)

    def __enter__(self) -> sqlite3.Connection:
        return self._conn

    def __exit__(self, *exc) -> None:
        self._conn.close()
