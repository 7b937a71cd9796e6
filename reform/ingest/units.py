"""Match unit names as written in files to stable unit ids.

"Phường Hàng Bạc", "P. Hàng Bạc", "HÀNG BẠC" and a decomposed "Hàng Bạc" are one unit; an
unknown name gets suggestions from rapidfuzz and becomes a new unit only when the analyst
stores the file.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from rapidfuzz import fuzz, process

from reform.core import config
from reform.core.model import UNIT_COLUMNS, Level, MatchMethod, UnitMatch
from reform.core.text import clean_text, fold, slugify, unit_key


@dataclass
class UnitRegistry:
    """Known units and every key they can be found by."""

    units: pd.DataFrame
    _by_key: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _names: dict[str, str] = field(default_factory=dict, repr=False)
    _levels: dict[str, str] = field(default_factory=dict, repr=False)
    _remembered: set[str] = field(default_factory=set, repr=False)
    _choices: dict[str, dict[str, list[str]]] = field(default_factory=dict, repr=False)
    _valid: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)
    _parents: dict[str, str] = field(default_factory=dict, repr=False)
    on: date | None = None
    """Names resolve to the units valid on this day (a period's end); None: any unit."""
    parent: str = ""
    """The ``unit_key`` of the parent the file names ('hoan kiem', 'ha noi'); '' for none."""

    def __post_init__(self) -> None:
        self.units = self.units.reindex(columns=UNIT_COLUMNS)
        for row in self.units.itertuples(index=False):
            self._names[row.unit_id] = row.name
            self._levels[row.unit_id] = row.level
            self._valid[row.unit_id] = (_text(row.valid_from), _text(row.valid_to))
            self._parents[row.unit_id] = _text(row.parent_id)
            aliases = row.aliases if isinstance(row.aliases, (tuple, list)) else ()
            for spelling in (row.name, *aliases):
                self._add_key(unit_key(spelling), row.unit_id)

    def _add_key(self, key: str, unit_id: str) -> None:
        if key and unit_id not in self._by_key.setdefault(key, []):
            self._by_key[key].append(unit_id)

    def name(self, unit_id: str) -> str:
        return self._names.get(unit_id, unit_id)

    def level(self, unit_id: str) -> str:
        return self._levels.get(unit_id, Level.UNIT.value)

    def match(self, raw_name: object, level: str | None = None) -> UnitMatch:
        """Find the unit ``raw_name`` refers to, preferring units of ``level`` when given.

        ``how`` is "exact" (the key of its name or an alias), "fuzzy" (a close spelling, score
        ≥ FUZZY_MATCH_MIN) or "new" (nothing close: a new unit id is proposed, with suggestions).
        """
        name = clean_text(raw_name)
        key = unit_key(name)
        candidates = self._by_key.get(key, [])
        # The block the row is in, else the kind word the name starts with: 'Phường Hoàn Kiếm'
        # is the new ward, not the abolished district that shares its name.
        wanted = level or level_named_in(name)
        if wanted:
            same_level = [u for u in candidates if self._levels.get(u) == wanted]
            candidates = same_level or candidates
        candidates = self.in_scope(candidates)
        if candidates:
            unit_id = candidates[0]
            return UnitMatch(name, unit_id, self._names[unit_id], MatchMethod.EXACT, 100.0,
                             ambiguous=self.ambiguity(candidates))
        choices = self._fuzzy_choices(wanted)
        found = process.extract(key, list(choices), scorer=fuzz.ratio, limit=3)
        suggestions = tuple(
            self._names[choices[k][0]] for k, score, _ in found if score >= config.FUZZY_SUGGEST_MIN
        )
        # "Đơn vị số 1" is not a misspelling of "Đơn vị số 12": numbers must agree.
        if found and found[0][1] >= config.FUZZY_MATCH_MIN and _digits(found[0][0]) == _digits(key):
            unit_id = (self.in_scope(choices[found[0][0]]) or choices[found[0][0]])[0]
            return UnitMatch(name, unit_id, self._names[unit_id], MatchMethod.FUZZY, float(found[0][1]),
                             suggestions)
        new_level = level or Level.UNIT.value
        return UnitMatch(name, f"{new_level}:{slugify(key) or 'x'}", name, MatchMethod.NEW, 0.0, suggestions)

    def _fuzzy_choices(self, level: str | None) -> dict[str, list[str]]:
        # Only units of the registry are fuzzy targets; units proposed while reading this
        # file match exactly or not at all (two new names are not spellings of each other).
        # Only units valid on the day names resolve to are close spellings: thousands of new
        # communes must not catch an office's misspelt name in a 2024 file ('Sở Xây dựng').
        day = self.on.isoformat() if self.on else ""
        cache_key = f"{level or ''}|{day}"
        if cache_key not in self._choices:
            self._choices[cache_key] = {
                k: ids for k, ids in self._by_key.items()
                if (not level or any(self._levels.get(u) == level for u in ids))
                and not all(u in self._remembered for u in ids)
                and any(self._valid_on(u, day) if day else not self._valid.get(u, ("", ""))[0]
                        for u in ids)
            }
        return self._choices[cache_key]

    def scoped(self, *, on: date | None = None, parent: str = "") -> UnitRegistry:
        """This registry resolving names to units valid ``on`` that day, within ``parent``
        (a name as a file writes it: 'ỦY BAN NHÂN DÂN QUẬN HOÀN KIẾM'). Shares what it knows."""
        view = copy.copy(self)
        view.on, view.parent = on, unit_key(parent) if parent else ""
        return view

    def in_scope(self, candidates: list[str]) -> list[str]:
        """``candidates`` valid on ``on`` and under ``parent``; each filter applies only when it
        leaves one at least, so a registry without dates or parents matches as before."""
        if self.on is not None:
            day = self.on.isoformat()
            valid = [u for u in candidates if self._valid_on(u, day)]
            candidates = valid or candidates
        if self.parent:
            within = [u for u in candidates if self.parent in self.ancestry(u)]
            candidates = within or candidates
        return candidates

    def _valid_on(self, unit_id: str, day: str) -> bool:
        start, end = self._valid.get(unit_id, ("", ""))
        return (not start or start <= day) and (not end or day <= end)

    def ancestry(self, unit_id: str) -> list[str]:
        """The ``unit_key`` of the unit's parent, grandparent, …: 'hoan kiem', 'ha noi'."""
        keys, seen, current = [], {unit_id}, self._parents.get(unit_id, "")
        while current and current not in seen:
            keys.append(unit_key(self._names.get(current, "")))
            seen.add(current)
            current = self._parents.get(current, "")
        return keys

    def ambiguity(self, candidates: list[str]) -> tuple[str, ...]:
        """'Cửa Nam (Hoàn Kiếm)', 'Cửa Nam (Nam Định)'… when the name fits units under different
        parents; empty when it fits one. The file then needs its parent (title or --parent)."""
        if len({self._parents.get(u, "") for u in candidates}) < 2:
            return ()
        return tuple(f"{self._names[u]} ({self._names.get(self._parents.get(u, ''), '–')})"
                     for u in candidates)

    def parent_named_in(self, title: str) -> str:
        """The district or province a sheet's title names ('ỦY BAN NHÂN DÂN QUẬN HOÀN KIẾM',
        '… THÀNH PHỐ HÀ NỘI'), when the registry knows it; '' otherwise. A district wins over
        its province: it is the nearer parent."""
        words = fold(title).split()
        found: dict[str, str] = {}
        for start in range(len(words)):
            for kind, lead in PARENT_WORDS:
                after = start + len(lead)
                if tuple(words[start:after]) != lead:
                    continue
                key = self._known_name(words[after:after + 4], kind)
                if key:
                    found.setdefault(kind, key)
        return found.get(Level.DISTRICT) or found.get(Level.PROVINCE) or ""

    def _known_name(self, words: list[str], level: str) -> str:
        """The longest start of ``words`` that is the key of a known unit of ``level``."""
        for size in range(len(words), 0, -1):
            key = " ".join(words[:size])
            if any(self._levels.get(u) == level for u in self._by_key.get(key, [])):
                return key
        return ""

    def remember(self, unit_id: str, name: str, level: str) -> None:
        """Know a unit proposed while reading a file, so its other rows match it too."""
        self._names.setdefault(unit_id, name)
        self._levels.setdefault(unit_id, level)
        self._remembered.add(unit_id)
        self._add_key(unit_key(name), unit_id)


LEVEL_WORDS: tuple[tuple[str, Level], ...] = (
    (r"^phuong\b", Level.WARD),
    (r"^(xa|thi tran|dac khu)\b", Level.COMMUNE),
    (r"^(tinh|thanh pho)\b", Level.PROVINCE),
    (r"^(quan|huyen|thi xa)\b", Level.DISTRICT),
    (r"^so\b", Level.DEPARTMENT),
    (r"^phong\b", Level.OFFICE),
)
"""The kind word a unit's name starts with (folded) and the level it says."""


def level_named_in(name: str) -> Level | None:
    """'Phường Cửa Nam' → WARD, 'Xã Chiềng Pha' → COMMUNE; None when the name has no kind word."""
    folded = fold(name)
    return next((level for pattern, level in LEVEL_WORDS if re.search(pattern, folded)), None)


PARENT_WORDS: tuple[tuple[Level, tuple[str, ...]], ...] = (
    (Level.DISTRICT, ("quan",)), (Level.DISTRICT, ("huyen",)), (Level.DISTRICT, ("thi", "xa")),
    (Level.PROVINCE, ("thanh", "pho")), (Level.PROVINCE, ("tinh",)),
)
"""Words before a parent's name in a title (folded), and the level of the unit they name."""


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())
