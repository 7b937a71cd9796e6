"""Who may do what: three roles and the actions each allows, as a table.

Viewers browse; analysts also upload, restore and delete versions; admins also manage accounts.
The store asks ``require(role, action)`` before every change, so a page that forgot to hide a
button still cannot change data; pages ask ``allowed`` to decide what to show.
"""
from __future__ import annotations

from enum import StrEnum

from reform.core.errors import ReformError
from reform.core.i18n import t


class Role(StrEnum):
    """An account's role, weakest first."""

    VIEWER = "viewer"
    ANALYST = "analyst"
    ADMIN = "admin"


class Action(StrEnum):
    """What a user may ask of the app."""

    BROWSE = "browse"
    UPLOAD = "upload"
    DELETE = "delete"
    RESTORE = "restore"
    MANAGE_ACCOUNTS = "manage_accounts"


PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.BROWSE: frozenset({Role.VIEWER, Role.ANALYST, Role.ADMIN}),
    Action.UPLOAD: frozenset({Role.ANALYST, Role.ADMIN}),
    Action.DELETE: frozenset({Role.ANALYST, Role.ADMIN}),
    Action.RESTORE: frozenset({Role.ANALYST, Role.ADMIN}),
    Action.MANAGE_ACCOUNTS: frozenset({Role.ADMIN}),
}
"""Rules as data: each action and the roles that may do it (admins may do everything)."""

ROLES = tuple(Role)


class Forbidden(ReformError):
    """The user's role does not allow what was asked; nothing was changed."""


def parse_role(text: str | Role | None) -> Role | None:
    """``text`` as a :class:`Role`; None for None. Raises :class:`Forbidden` naming the roles
    offered when ``text`` is no role."""
    if text is None or isinstance(text, Role):
        return text
    try:
        return Role(str(text).strip().lower())
    except ValueError:
        raise Forbidden.of("accounts.unknown_role", role=text,
                               roles=", ".join(ROLES)) from None


def allowed(role: str | Role | None, action: Action) -> bool:
    """Whether ``role`` (None: nobody signed in) may do ``action``.

    >>> allowed("analyst", Action.UPLOAD), allowed(None, Action.UPLOAD)
    (True, False)
    """
    if role is None:
        return False
    return parse_role(role) in PERMISSIONS[action]


def require(role: str | Role | None, action: Action, *, user: str = "") -> None:
    """Raise :class:`Forbidden` (in both languages, naming the user, role and action) unless
    ``role`` may do ``action``."""
    if allowed(role, action):
        return
    # Nobody signed in: the name a caller passed (the OS user, a default) identifies no one.
    who_vi = user if user and role else t("accounts.anonymous", "vi")
    who_en = user if user and role else t("accounts.anonymous", "en")
    role_vi = t(f"accounts.role.{role}", "vi") if role else t("accounts.no_role", "vi")
    role_en = t(f"accounts.role.{role}", "en") if role else t("accounts.no_role", "en")
    raise Forbidden(
        t("accounts.forbidden", "vi", user=who_vi, role=role_vi, action=t(f"accounts.action.{action}", "vi")),
        t("accounts.forbidden", "en", user=who_en, role=role_en, action=t(f"accounts.action.{action}", "en")))

