"""Canonical data: column names and small value types shared by every module.

Everything the app shows derives from one long table of scores (``SCORE_COLUMNS``)
plus the unit, component, published-result and inspection tables below.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Self

from reform.core.i18n import t

if TYPE_CHECKING:
    import pandas as pd

TOTAL = "TOTAL"
"""Component code of a unit's total score."""

SCORE_COLUMNS = ["index", "period", "unit_id", "component", "value", "max_value", "source", "version"]
"""One row per unit, component and period. ``value`` in points; ``max_value`` the maximum
points of that component in that period when known; ``source`` 'file#sha8!Sheet!F12'."""

UNIT_COLUMNS = ["unit_id", "name", "level", "parent_id", "aliases", "valid_from", "valid_to"]
"""Unit registry. ``aliases`` is a tuple of other spellings; ``name`` is NFC."""

COMPONENT_COLUMNS = ["index", "period", "component", "name", "parent", "max_value", "order", "version"]
"""Component tree per index and period: code ('1', '1.2'), display name, parent code
('' under TOTAL), maximum points when known, and the column order it came in."""

PUBLISHED_COLUMNS = ["index", "period", "unit_id", "rank", "group", "source", "version"]
"""Rank and group as printed in the source file, kept to compare with computed ones."""

PUBLISHED_CHANGE_COLUMNS = ["index", "period", "unit_id", "change", "compared_with", "source", "version"]
"""A change of the total as printed in the source file ("Tăng/giảm 2016 so với 2015"): the
points ``period`` gained over ``compared_with`` ('' when the file names no earlier period),
kept to compare with the change the app computes."""

INSPECTION_COLUMNS = [
    "date", "unit_id", "team", "kind", "category", "violations", "officials_checked",
    "note", "source", "version",
]
"""Discipline inspection events. ``kind`` is 'regular' or 'unannounced'; ``category`` a code
of ``config.INSPECTION_CATEGORIES``."""



class Level(StrEnum):
    """Blocks units are ranked within; ``UNIT`` when nothing better is known."""

    DEPARTMENT = "department"
    DISTRICT = "district"
    WARD = "ward"
    COMMUNE = "commune"
    OFFICE = "office"
    PROVINCE = "province"
    MINISTRY = "ministry"
    UNIT = "unit"


LEVELS = tuple(Level)


class Severity(StrEnum):
    """An ``ERROR`` refuses the file; a ``WARNING`` lets it be stored."""

    ERROR = "error"
    WARNING = "warning"


SEVERITIES = tuple(Severity)


class MatchMethod(StrEnum):
    """How a name in a file was matched to a known unit."""

    EXACT = "exact"
    ALIAS = "alias"
    FUZZY = "fuzzy"
    NEW = "new"
    CHOSEN = "chosen"  # the analyst picked the unit by hand


class Role(StrEnum):
    """What a column of a sheet holds."""

    STT = "stt"
    CODE = "code"
    NAME = "name"
    NAME_ALT = "name_alt"
    COMPONENT = "component"
    TOTAL = "total"
    PERCENT = "percent"
    RANK = "rank"
    GROUP = "group"
    PERIOD = "period"
    INDEX = "index"  # a long table's index column ("Chỉ số": PAPI, PCI …)
    INDICATOR = "indicator"  # a long table's indicator column, pivoted to components
    VALUE = "value"  # the one value column beside an indicator column
    CHANGE = "change"  # a published change ("Tăng/giảm so với 2022"), not a period
    NOTE = "note"
    IGNORE = "ignore"
    DATE = "date"
    TEAM = "team"
    KIND = "kind"
    CATEGORY = "category"
    VIOLATIONS = "violations"
    OFFICIALS = "officials"


@dataclass(frozen=True)
class Issue:
    """One finding about an input file: where it is and what is wrong, in both languages."""

    severity: str  # "error" refuses the file, "warning" lets it be stored
    sheet: str
    cell: str  # A1 notation ("F12"), a column ("F") or "" for the whole sheet
    message_vi: str
    message_en: str
    code: str = ""  # stable machine-readable kind, e.g. "not_number"

    @classmethod
    def of(cls, severity: str, sheet: str, cell: str, key: str, /, **values: object) -> Self:
        """The issue whose message is catalog entry ``key``; its ``code`` is the key's last part."""
        return cls(Severity(severity), sheet, cell, t(key, "vi", **values), t(key, "en", **values),
                   code=key.rsplit(".", 1)[-1])

    def message(self, lang: str = "vi") -> str:
        return self.message_vi if lang == "vi" else self.message_en

    def as_dict(self, lang: str = "vi") -> dict:
        return {
            "severity": self.severity,
            "sheet": self.sheet,
            "cell": self.cell,
            "message": self.message(lang),
            "code": self.code,
        }


@dataclass(frozen=True)
class Dataset:
    """One file read and checked, as the store keeps it: canonical frames plus where they
    came from. The store needs nothing else (no reader or layout types)."""

    index: str
    periods: tuple[str, ...]
    file_name: str
    sha256: str
    data: bytes  # the original file, byte for byte
    scores: pd.DataFrame  # SCORE_COLUMNS without version
    components: pd.DataFrame  # COMPONENT_COLUMNS without version
    published: pd.DataFrame  # PUBLISHED_COLUMNS without version
    inspections: pd.DataFrame  # INSPECTION_COLUMNS without version; empty for scores
    units: pd.DataFrame  # unit_id, name, level, spellings: the units met, new ones included
    sheets: tuple[str, ...]  # names of the sheets read
    unit_count: int
    errors: tuple[Issue, ...] = ()
    """Error-severity issues: a dataset with any is refused by the store."""
    options: dict = field(default_factory=dict)
    """What was asked for (sheet, period, level, index…), kept with the version."""
    published_changes: pd.DataFrame = field(default_factory=lambda: no_published_changes())
    """``PUBLISHED_CHANGE_COLUMNS`` without version: the changes the file prints."""

    @property
    def kind(self) -> str:
        """"inspections" when the dataset holds inspection records, else "scores"."""
        return "inspections" if not self.inspections.empty else "scores"


def no_published_changes() -> pd.DataFrame:
    """An empty frame of ``PUBLISHED_CHANGE_COLUMNS`` without version."""
    import pandas as pd

    return pd.DataFrame({c: pd.Series(dtype=float) if c == "change" else []
                         for c in PUBLISHED_CHANGE_COLUMNS if c != "version"})


@dataclass
class UnitMatch:
    """How one name in a file was matched to the unit registry."""

    raw_name: str
    unit_id: str
    name: str
    how: str  # "exact", "alias", "fuzzy", "new"
    score: float = 100.0
    suggestions: tuple[str, ...] = field(default_factory=tuple)
    ambiguous: tuple[str, ...] = ()
    """Other units the name fits under other parents ('Cửa Nam (Nam Định)'): a warning."""


class LinkKind(StrEnum):
    """How an old unit went into a new one at a reorganisation."""

    WHOLE = "whole"  # the whole old unit (Nhập toàn bộ)
    PART = "part"  # part of its territory or people (Nhập một phần …)
    UNCHANGED = "unchanged"  # kept, perhaps renamed (Giữ nguyên, Đổi tên)


LINK_COLUMNS = [
    "old_unit_id", "old_name", "old_code", "old_level", "old_parent", "old_province",
    "new_unit_id", "new_name", "new_code", "new_level", "new_province",
    "kind", "weight", "effective", "note", "source",
]
"""Lineage: one row per old unit → new unit link. ``effective`` is the ISO date the new unit
exists from; ``weight`` an optional share (population or area) for weighted means; ``source``
the cell the link was read from ('Sheet!D12')."""


@dataclass(frozen=True)
class LineageSet:
    """A crosswalk read and checked, as the store keeps it: links between old and new units,
    the units it introduces, and the file it came from."""

    file_name: str
    sha256: str
    data: bytes
    effective: str  # ISO date the new units exist from
    links: pd.DataFrame  # LINK_COLUMNS
    units: pd.DataFrame  # UNIT_COLUMNS: the new units, and old ones nobody knew yet
    sheets: tuple[str, ...]
    errors: tuple[Issue, ...] = ()
