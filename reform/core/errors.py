"""Errors meant for users: each carries its message in Vietnamese and English."""
from __future__ import annotations


class ReformError(Exception):
    """A problem the user can act on. ``message(lang)`` is fit to show as is."""

    def __init__(self, message_vi: str, message_en: str | None = None) -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi
        self.message_en = message_en or message_vi

    def message(self, lang: str = "vi") -> str:
        return self.message_vi if lang == "vi" else self.message_en


class FileRefused(ReformError):
    """The file cannot be used at all (unreadable, no table, unknown period or index).

    ``issues`` holds the findings that led to the refusal, when there are any.
    """

    def __init__(self, message_vi: str, message_en: str | None = None, issues: list | None = None):
        super().__init__(message_vi, message_en)
        self.issues = list(issues or [])


class StoreError(ReformError):
    """The store cannot do what was asked (unknown version, database unreachable)."""


class UsageError(ReformError):
    """The caller asked for something inconsistent (unknown index, period, component)."""
