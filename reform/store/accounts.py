"""Accounts of the built-in sign-in: names, roles and argon2 hashes in the store's ``users``
table, optionally more from the app's secrets (``[users.NAME] role = …, password_hash = …``).

Passwords are never stored, logged or echoed: only their argon2id hash is kept. A name that
gets the password wrong ``config.LOGIN_MAX_FAILURES`` times in a row is locked for
``config.LOGIN_LOCK_MINUTES``. Unknown names cost the same argon2 work as known ones, so the
time of an answer does not tell whether an account exists.
"""
from __future__ import annotations

import functools
import json
import threading
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from reform.core import config
from reform.core.access import Action, Role, parse_role, require
from reform.core.errors import ReformError, UsageError
from reform.store.schema import audit_table, users_table
from reform.store.store import Store, _now

_HASHER = PasswordHasher()
"""argon2id with the library's defaults (RFC 9106's second recommended setting: 64 MiB, 3
passes), ~50 ms per check: slow for a guesser, unnoticed by a person signing in."""

@functools.cache
def _dummy_hash() -> str:
    """Checked against for unknown names, so they take as long as known ones. Made on first
    use, not at import: a hash costs ~50 ms of every app start otherwise (more under load)."""
    return _HASHER.hash("not a password of anyone")

NAME_MAX_CHARS = 100
"""An account name: a login or an e-mail address, never longer."""


class LoginRefused(ReformError):
    """The name and password did not sign anyone in (wrong, or the account is locked)."""


@dataclass(frozen=True)
class Account:
    """One account as shown to admins: never its hash."""

    name: str
    role: Role
    source: str  # "store" or "secrets"
    failed_attempts: int = 0
    locked_until: datetime | None = None
    created_at: datetime | None = None
    created_by: str = ""

    def as_dict(self) -> dict:
        return {"name": self.name, "role": str(self.role), "source": self.source,
                "failed_attempts": self.failed_attempts,
                "locked_until": self.locked_until.isoformat() if self.locked_until else None,
                "created_at": self.created_at.isoformat() if self.created_at else None,
                "created_by": self.created_by}


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (for secrets.toml or the users table)."""
    return _HASHER.hash(password)


def clean_name(name: str) -> str:
    """An account name as kept: NFC, trimmed, lower case. Raises :class:`UsageError` for an
    empty or over-long name, or one holding spaces or control characters."""
    cleaned = unicodedata.normalize("NFC", str(name)).strip().lower()
    if not cleaned or len(cleaned) > NAME_MAX_CHARS or any(
            ch.isspace() or unicodedata.category(ch).startswith("C") for ch in cleaned):
        raise UsageError.of("accounts.bad_name", name=name, limit=NAME_MAX_CHARS)
    return cleaned


def check_password(password: str) -> None:
    """Raise :class:`UsageError` when ``password`` is shorter than the configured minimum."""
    if len(password) < config.MIN_PASSWORD_CHARS:
        raise UsageError.of("accounts.short_password", limit=config.MIN_PASSWORD_CHARS)


class Accounts:
    """Accounts of ``store``, plus ``secrets`` ones ({name: {role, password_hash}}).

    Changes go through the store's write path (locked, retried, audited) and, when the store
    is guarded, need an admin's role. ``clock`` returns naive UTC times (tests move it).
    """

    _secret_failures: dict[str, tuple[int, datetime | None]] = {}
    _secret_lock = threading.Lock()
    """Failures of secrets accounts, which live in no table: counted per process."""

    def __init__(self, store: Store, *, secrets: Mapping[str, Mapping] | None = None,
                 clock: Callable[[], datetime] = _now) -> None:
        self.store = store
        self.secrets = {clean_name(k): dict(v) for k, v in (secrets or {}).items()}
        self.clock = clock

    # ---- reading -------------------------------------------------------------------------

    def list(self) -> list[Account]:
        """Every account, store ones first, by name."""
        with self.store.engine.connect() as conn:
            rows = conn.execute(sa.select(users_table).order_by(users_table.c.name)).all()
        found = [Account(r.name, Role(r.role), "store", r.failed_attempts, r.locked_until,
                         r.created_at, r.created_by) for r in rows]
        known = {a.name for a in found}
        found += [Account(name, parse_role(entry.get("role", Role.VIEWER)), "secrets")
                  for name, entry in sorted(self.secrets.items()) if name not in known]
        return found

    def get(self, name: str) -> Account | None:
        """The account called ``name``, or None."""
        wanted = clean_name(name)
        return next((a for a in self.list() if a.name == wanted), None)

    # ---- changes (admins) ----------------------------------------------------------------

    def add(self, name: str, password: str, role: str | Role, *, by: str,
            by_role: str | Role | None = None) -> Account:
        """Create the account ``name``; raises :class:`UsageError` when it exists or the
        password is too short."""
        name, role = clean_name(name), parse_role(role)
        self._allow(by, by_role)
        check_password(password)
        digest = hash_password(password)  # outside the write lock: argon2 takes ~50 ms
        now = self.clock()
        with self.store.writing() as conn:
            if conn.execute(sa.select(users_table.c.name).where(users_table.c.name == name)).first():
                raise UsageError.of("accounts.exists", name=name)
            conn.execute(users_table.insert().values(
                name=name, role=str(role), password_hash=digest, failed_attempts=0,
                locked_until=None, created_at=now, created_by=by))
            self._audit(conn, now, by, "user_add", {"name": name, "role": str(role)})
        return Account(name, role, "store", created_at=now, created_by=by)

    def set_role(self, name: str, role: str | Role, *, by: str,
                 by_role: str | Role | None = None) -> None:
        """Give ``name`` another role; raises :class:`UsageError` for an unknown account."""
        name, role = clean_name(name), parse_role(role)
        self._allow(by, by_role)
        self._update(name, by, "user_role", {"role": str(role)}, role=str(role))

    def set_password(self, name: str, password: str, *, by: str,
                     by_role: str | Role | None = None) -> None:
        """A new password for ``name`` (which also unlocks it)."""
        name = clean_name(name)
        self._allow(by, by_role)
        check_password(password)
        self._update(name, by, "user_password", {}, password_hash=hash_password(password),
                     failed_attempts=0, locked_until=None)

    def remove(self, name: str, *, by: str, by_role: str | Role | None = None) -> None:
        """Delete the account ``name``; raises :class:`UsageError` for an unknown account."""
        name = clean_name(name)
        self._allow(by, by_role)
        now = self.clock()
        with self.store.writing() as conn:
            if conn.execute(users_table.delete().where(users_table.c.name == name)).rowcount == 0:
                raise UsageError.of("accounts.unknown", name=name)
            self._audit(conn, now, by, "user_remove", {"name": name})

    def _update(self, name: str, by: str, action: str, detail: dict, **values: object) -> None:
        now = self.clock()
        with self.store.writing() as conn:
            found = conn.execute(users_table.update().where(users_table.c.name == name).values(**values))
            if found.rowcount == 0:
                raise UsageError.of("accounts.unknown", name=name)
            self._audit(conn, now, by, action, {"name": name, **detail})

    def _allow(self, by: str, by_role: str | Role | None) -> None:
        if self.store.guarded or by_role is not None:
            require(by_role, Action.MANAGE_ACCOUNTS, user=by)

    @staticmethod
    def _audit(conn, now: datetime, by: str, action: str, detail: dict) -> None:
        # Never the password or its hash: only who changed which account.
        conn.execute(audit_table.insert().values(at=now, who=by, action=action, version=None,
                                                 detail=json.dumps(detail, ensure_ascii=False)))

    # ---- signing in ----------------------------------------------------------------------

    def sign_in(self, name: str, password: str) -> Account:
        """The account ``name`` when ``password`` is its password.

        Raises :class:`LoginRefused` for a wrong name or password (the same message for
        both) and for a locked account (saying until when). Each wrong password counts; the
        ``config.LOGIN_MAX_FAILURES``-th in a row locks the account.
        """
        try:
            name = clean_name(name)
        except UsageError:
            _verify(_dummy_hash(), password)  # the same work as for a real name
            raise LoginRefused.of("accounts.wrong") from None
        with self.store.engine.connect() as conn:
            row = conn.execute(sa.select(users_table).where(users_table.c.name == name)).first()
        if row is None and name in self.secrets:
            return self._sign_in_secret(name, password)
        now = self.clock()
        if row is not None and row.locked_until is not None and now < row.locked_until:
            raise self._locked(row.locked_until, now)
        if not _verify(row.password_hash if row else _dummy_hash(), password) or row is None:
            if row is not None:
                self._count_failure(name, now)
            raise LoginRefused.of("accounts.wrong")
        self._signed_in(name, row.password_hash, password)
        return Account(row.name, Role(row.role), "store", 0, None, row.created_at, row.created_by)

    def _count_failure(self, name: str, now: datetime) -> None:
        """One more wrong password; the last allowed one locks the account (and says so)."""
        with self.store.writing() as conn:
            failed = conn.execute(sa.select(users_table.c.failed_attempts)
                                  .where(users_table.c.name == name)).scalar() or 0
            failed += 1
            if failed >= config.LOGIN_MAX_FAILURES:
                until = now + timedelta(minutes=config.LOGIN_LOCK_MINUTES)
                conn.execute(users_table.update().where(users_table.c.name == name)
                             .values(failed_attempts=0, locked_until=until))
                self._audit(conn, now, name, "user_locked", {"name": name, "until": until.isoformat()})
            else:
                conn.execute(users_table.update().where(users_table.c.name == name)
                             .values(failed_attempts=failed))
        if failed >= config.LOGIN_MAX_FAILURES:
            raise self._locked(until, now)

    def _signed_in(self, name: str, digest: str, password: str) -> None:
        """Clear the failures; rehash when the hasher's settings have grown since."""
        values: dict = {"failed_attempts": 0, "locked_until": None}
        if _HASHER.check_needs_rehash(digest):
            values["password_hash"] = hash_password(password)
        with self.store.writing() as conn:
            conn.execute(users_table.update().where(users_table.c.name == name).values(**values))

    def _sign_in_secret(self, name: str, password: str) -> Account:
        entry, now = self.secrets[name], self.clock()
        with self._secret_lock:
            failed, until = self._secret_failures.get(name, (0, None))
        if until is not None and now < until:
            raise self._locked(until, now)
        if not _verify(str(entry.get("password_hash") or _dummy_hash()), password):
            failed += 1
            locked = failed >= config.LOGIN_MAX_FAILURES
            until = now + timedelta(minutes=config.LOGIN_LOCK_MINUTES) if locked else None
            with self._secret_lock:
                self._secret_failures[name] = (0, until) if locked else (failed, None)
            raise self._locked(until, now) if locked else LoginRefused.of("accounts.wrong")
        with self._secret_lock:
            self._secret_failures.pop(name, None)
        return Account(name, parse_role(entry.get("role", Role.VIEWER)), "secrets")

    @staticmethod
    def _locked(until: datetime, now: datetime) -> LoginRefused:
        minutes = max(1, int((until - now).total_seconds() // 60) + 1)
        return LoginRefused.of("accounts.locked", minutes=minutes,
                               until=until.strftime("%H:%M UTC"), failures=config.LOGIN_MAX_FAILURES)


def _verify(digest: str, password: str) -> bool:
    """argon2's own constant-time check; False for a mismatch or an unusable hash."""
    try:
        return _HASHER.verify(digest, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


