"""Match unit names as written in files to stable unit ids.

"Phường Hàng Bạc", "P. Hàng Bạc", "HÀNG BẠC" and a decomposed "Hàng Bạc" are one unit; an
unknown name gets suggestions from rapidfuzz and becomes a new unit only when the analyst
stores the file.
"""
from __future__ import annotations

import copy
import functools
import re
from dataclasses import dataclass, field
from datetime import date

import numpy as np
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
    _exact_memo: dict[tuple, UnitMatch | None] = field(default_factory=dict, repr=False)
    _dated_ids: frozenset[str] = field(default_factory=frozenset, repr=False)
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
        # Units with validity dates, asked about for every name of every period (``_dated``).
        self._dated_ids = frozenset(u for u, valid in self._valid.items() if valid != ("", ""))

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
        ≥ FUZZY_MATCH_MIN, the same words but for a typing slip) or "new" (nothing close: a
        new unit id is proposed, with suggestions). A name that starts with its kind
        ('Xã Bình Thu') only matches units of that kind.
        """
        return self.match_many([raw_name], [level])[0]

    def match_many(self, raw_names: list[object], levels: list[str | None]) -> list[UnitMatch]:
        """:meth:`match` of each name; the close spellings of all the names not found exactly
        are scored in one matrix per level, so ten thousand unknown names take seconds."""
        names = [clean_text(raw) for raw in raw_names]
        out: list[UnitMatch | None] = [self.exact(name, level) for name, level in zip(names, levels, strict=True)]
        pending: dict[str | None, list[int]] = {}
        for i, (name, level) in enumerate(zip(names, levels, strict=True)):
            if out[i] is None:
                pending.setdefault(level or level_named_in(name), []).append(i)
        for wanted, positions in pending.items():
            choices = self._fuzzy_choices(wanted)
            keys = list(choices)
            for start in range(0, len(positions), _FUZZY_BATCH):
                batch = positions[start:start + _FUZZY_BATCH]
                found = _closest([unit_key(names[i]) for i in batch], keys)
                for i, near in zip(batch, found, strict=True):
                    out[i] = self._fuzzy(names[i], levels[i], wanted, near, choices)
        return out  # type: ignore[return-value]

    def exact(self, name: str, level: str | None = None) -> UnitMatch | None:
        """The exact match of ``name`` (a name or an alias, by its key), None when there is none."""
        candidates = self._by_key.get(unit_key(name), [])
        # Asked again for each period of a long table (scoped views share the memo), so it is
        # kept by all the answer depends on: the day only when a candidate has dates, and the
        # count of candidates, which only grows (a unit remembered since is a new answer).
        memo = (name, level, len(candidates), self.parent, self.on if self._dated(candidates) else None)
        if memo not in self._exact_memo:
            self._exact_memo[memo] = self._exact(name, level, candidates)
        return self._exact_memo[memo]

    def _dated(self, unit_ids: list[str]) -> bool:
        return not self._dated_ids.isdisjoint(unit_ids)

    def _exact(self, name: str, level: str | None, candidates: list[str]) -> UnitMatch | None:
        # The block the row is in, else the kind word the name starts with: 'Phường Hoàn Kiếm'
        # is the new ward, not the abolished district that shares its name; 'Xã Bình Thuận'
        # is never the province.
        if level:
            candidates = [u for u in candidates if self._levels.get(u) == level] or candidates
        elif allowed := allowed_levels(name):
            candidates = [u for u in candidates if self._levels.get(u) in allowed]
        candidates = self.in_scope(candidates)
        if not candidates:
            return None
        unit_id = candidates[0]
        return UnitMatch(name, unit_id, self._names[unit_id], MatchMethod.EXACT, 100.0,
                         ambiguous=self.ambiguity(candidates))

    def _fuzzy(self, name: str, level: str | None, wanted: str | None, found: list[tuple[str, float]],
               choices: dict[str, list[str]]) -> UnitMatch:
        """The fuzzy match of ``name`` from its closest keys ``found`` (best first), else a new unit."""
        key = unit_key(name)
        allowed = None if level else allowed_levels(name)
        found = [(k, score) for k, score in found
                 if allowed is None or any(self._levels.get(u) in allowed for u in choices[k])]
        suggestions = tuple(self._names[choices[k][0]] for k, score in found if score >= config.FUZZY_SUGGEST_MIN)
        # "Đơn vị số 1" is not a misspelling of "Đơn vị số 12": numbers must agree; nor is
        # "Bình Vĩnh" one of "Bình Định": the words must agree but for a typing slip.
        if found and found[0][1] >= config.FUZZY_MATCH_MIN and _digits(found[0][0]) == _digits(key) \
                and same_words(key, found[0][0]):
            keep = allowed or ({level} if level else None)
            ids = choices[found[0][0]]
            ids = [u for u in ids if keep is None or self._levels.get(u) in keep] or ids
            unit_id = (self.in_scope(ids) or ids)[0]
            return UnitMatch(name, unit_id, self._names[unit_id], MatchMethod.FUZZY, float(found[0][1]),
                             suggestions)
        return self.proposed(name, level, suggestions)

    def proposed(self, name: str, level: str | None, suggestions: tuple[str, ...] = ()) -> UnitMatch:
        """A new unit for ``name`` (not yet remembered), with the known names close to it."""
        new_level = level or Level.UNIT.value
        return UnitMatch(name, f"{new_level}:{slugify(unit_key(name)) or 'x'}", name, MatchMethod.NEW, 0.0,
                         suggestions)

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


_ALLOWED_LEVELS: tuple[tuple[str, frozenset[str]], ...] = (
    (r"^phuong\b", frozenset({Level.WARD})),
    (r"^(xa|thi tran|dac khu)\b", frozenset({Level.COMMUNE})),
    (r"^tinh\b", frozenset({Level.PROVINCE})),
    (r"^thanh pho\b", frozenset({Level.PROVINCE, Level.DISTRICT})),  # a city is either
    (r"^(quan|huyen|thi xa)\b", frozenset({Level.DISTRICT})),
    (r"^so\b", frozenset({Level.DEPARTMENT})),
    (r"^phong\b", frozenset({Level.OFFICE})),
)
"""The kind word a name starts with (folded) and the levels of the units it may name; a unit
whose level is unknown (``unit``) may be named by any."""


@functools.lru_cache(maxsize=1 << 16)  # asked for every name of every period of a long table
def allowed_levels(name: str) -> frozenset[str] | None:
    """The levels a name that starts with its kind may match ('Xã An Bình' → commune), plus
    ``unit``; None when the name has no kind word."""
    folded = fold(name)
    if unit_key(name) == folded:
        return None  # no kind word was taken off: 'Quản lý đô thị' is no 'Quận'
    return next((levels | {Level.UNIT} for pattern, levels in _ALLOWED_LEVELS if re.search(pattern, folded)),
                None)


_FUZZY_BATCH = 500
"""Names scored against every known key at once: 500 × 10,000 scores is 20 MB."""


def _closest(keys: list[str], choices: list[str]) -> list[list[tuple[str, float]]]:
    """The three closest ``choices`` of each key with their scores (fuzz.ratio), best first."""
    if not choices or not keys:
        return [[] for _ in keys]
    scores = process.cdist(keys, choices, scorer=fuzz.ratio, dtype=np.float32, workers=1)
    top = min(3, len(choices))
    best = np.argsort(-scores, axis=1, kind="stable")[:, :top]
    return [[(choices[j], float(scores[i, j])) for j in row] for i, row in enumerate(best)]


def same_words(key: str, other: str) -> bool:
    """Whether two folded names have the same words but for a typing slip in one of them:
    a doubled letter ('hang bacc'), two letters swapped ('hnag bac') or a lost space
    ('hoankiem'). 'binh vinh' and 'binh dinh' are different places, as are 'binh thu' and
    'binh thuan'."""
    if key.replace(" ", "") == other.replace(" ", ""):
        return True
    words, others = key.split(), other.split()
    if len(words) != len(others):
        return False
    slips = [(a, b) for a, b in zip(words, others, strict=True) if a != b]
    return len(slips) == 1 and _slip(*slips[0])


def _slip(a: str, b: str) -> bool:
    if len(a) == len(b):  # two neighbouring letters swapped
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long_ = sorted((a, b), key=len)
    if len(long_) != len(short) + 1:
        return False
    # One letter typed twice: removing it gives the other word.
    return any(long_[i] == long_[i - 1] and long_[:i] + long_[i + 1:] == short for i in range(1, len(long_)))


@functools.lru_cache(maxsize=1 << 16)
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
