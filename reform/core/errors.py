"""Errors meant for users: each carries its message in Vietnamese and English.

Messages come from the one catalog (``reform/core/strings/errors.toml``):
``UsageError.of("errors.unknown_period", period="2031", choices="2023, 2024")``.
"""
from __future__ import annotations

from typing import Self

from reform.core.i18n import DEFAULT_LANG, LANGS, t


class ReformError(Exception):
    """A problem the user can act on. ``message(lang)`` is fit to show as is."""

    def __init__(self, message_vi: str, message_en: str | None = None) -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi
        self.message_en = message_en or message_vi

    @classmethod
    def of(cls, key: str, /, **values: object) -> Self:
        """The error whose message is catalog entry ``key`` with ``values`` filled in."""
        return cls(t(key, "vi", **values), t(key, "en", **values))

    def message(self, lang: str = DEFAULT_LANG) -> str:
        return self.message_vi if lang == "vi" else self.message_en


class FileRefused(ReformError):
    """The file cannot be used at all (unreadable, no table, unknown period or index).

    ``issues`` holds the findings that led to the refusal, when there are any.
    """

    def __init__(self, message_vi: str, message_en: str | None = None, issues: list | None = None):
        super().__init__(message_vi, message_en)
        self.issues = list(issues or [])

    @classmethod
    def of(cls, key: str, /, issues: list | None = None, **values: object) -> Self:
        return cls(t(key, "vi", **values), t(key, "en", **values), issues=issues)


class StoreError(ReformError):
    """The store cannot do what was asked (unknown version, database unreachable)."""


class UsageError(ReformError):
    """The caller asked for something inconsistent (unknown index, period, component)."""


def require_lang(lang: str) -> None:
    """Raise a ``UsageError`` naming the languages offered when ``lang`` is not one of them."""
    if lang not in LANGS:
        raise UsageError.of("errors.lang", language=lang, choices=", ".join(LANGS))
