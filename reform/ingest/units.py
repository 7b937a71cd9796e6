"""Match unit names as written in files to stable unit ids.

"Phường Hàng Bạc", "P. Hàng Bạc", "HÀNG BẠC" and a decomposed "Hàng Bạc" are one unit; an
unknown name gets suggestions from rapidfuzz and becomes a new unit only when the analyst
stores the file.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from rapidfuzz import fuzz, process

from reform.core import config
from reform.core.model import UNIT_COLUMNS, Level, MatchMethod, UnitMatch
from reform.core.text import clean_text, slugify, unit_key


@dataclass
class UnitRegistry:
    """Known units and every key they can be found by."""

    units: pd.DataFrame
    _by_key: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _names: dict[str, str] = field(default_factory=dict, repr=False)
    _levels: dict[str, str] = field(default_factory=dict, repr=False)
    _remembered: set[str] = field(default_factory=set, repr=False)
    _choices: dict[str, dict[str, list[str]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.units = self.units.reindex(columns=UNIT_COLUMNS)
        for row in self.units.itertuples(index=False):
            self._names[row.unit_id] = row.name
            self._levels[row.unit_id] = row.level
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
        if level:
            same_level = [u for u in candidates if self._levels.get(u) == level]
            candidates = same_level or candidates
        if candidates:
            unit_id = candidates[0]
            return UnitMatch(name, unit_id, self._names[unit_id], MatchMethod.EXACT, 100.0)
        choices = self._fuzzy_choices(level)
        found = process.extract(key, list(choices), scorer=fuzz.ratio, limit=3)
        suggestions = tuple(
            self._names[choices[k][0]] for k, score, _ in found if score >= config.FUZZY_SUGGEST_MIN
        )
        # "Đơn vị số 1" is not a misspelling of "Đơn vị số 12": numbers must agree.
        if found and found[0][1] >= config.FUZZY_MATCH_MIN and _digits(found[0][0]) == _digits(key):
            unit_id = choices[found[0][0]][0]
            return UnitMatch(name, unit_id, self._names[unit_id], MatchMethod.FUZZY, float(found[0][1]),
                             suggestions)
        new_level = level or Level.UNIT.value
        return UnitMatch(name, f"{new_level}:{slugify(key) or 'x'}", name, MatchMethod.NEW, 0.0, suggestions)

    def _fuzzy_choices(self, level: str | None) -> dict[str, list[str]]:
        # Only units of the registry are fuzzy targets; units proposed while reading this
        # file match exactly or not at all (two new names are not spellings of each other).
        cache_key = level or ""
        if cache_key not in self._choices:
            self._choices[cache_key] = {
                k: ids for k, ids in self._by_key.items()
                if (not level or any(self._levels.get(u) == level for u in ids))
                and not all(u in self._remembered for u in ids)
            }
        return self._choices[cache_key]

    def remember(self, unit_id: str, name: str, level: str) -> None:
        """Know a unit proposed while reading a file, so its other rows match it too."""
        self._names.setdefault(unit_id, name)
        self._levels.setdefault(unit_id, level)
        self._remembered.add(unit_id)
        self._add_key(unit_key(name), unit_id)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())
