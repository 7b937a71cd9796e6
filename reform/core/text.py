"""Vietnamese text: normalisation, accent-free keys, collation and number parsing.

Names arrive as "Phường Hàng Bạc", "P. Hàng Bạc", "HÀNG BẠC", in NFC or NFD, with
non-breaking spaces and line breaks; numbers as "91,43", "85 %", "1.234,5" or "-".
"""
from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime

import numpy as np
import pandas as pd

_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_NON_WORD = re.compile(r"[^0-9a-z]+")

# "Đ/đ" has no decomposition, so accent stripping must map it by hand.
_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})

# Prefixes that name the kind of unit rather than the unit: "P. Hàng Bạc" is "Hàng Bạc".
# Longest first, so "thanh pho" wins over "thanh".
UNIT_PREFIXES: tuple[str, ...] = (
    "uy ban nhan dan", "ubnd", "thanh pho", "tp", "tinh", "quan", "q", "huyen", "h",
    "thi xa", "tx", "phuong", "p", "xa", "thi tran", "tt", "so", "phong",
)

_NON_LETTER = re.compile(r"[^\w]+")
_ACCENTED_PREFIXES: tuple[tuple[str, ...], ...] = tuple(tuple(p.split()) for p in (
    "ủy ban nhân dân", "uỷ ban nhân dân", "ubnd", "thành phố", "tp", "tỉnh", "quận", "q", "huyện",
    "h", "thị xã", "tx", "phường", "p", "xã", "thị trấn", "tt", "sở", "phòng",
))
_FOLDED_PREFIXES: tuple[tuple[str, ...], ...] = tuple(tuple(p.split()) for p in UNIT_PREFIXES)
_TONE_MARKS = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Traditional Vietnamese tone order: ngang, huyền, hỏi, ngã, sắc, nặng.
_LETTER_MODIFIERS = {"\u0306": "ă", "\u0302": "^", "\u031b": "'"}
_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n",
    "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}

MISSING_MARKS = frozenset({"", "-", "–", "—", "x", "X", "k", "K", "n/a", "N/A", "na", "NA", "..."})
"""Cells that mean 'not applicable' in official annexes."""

ERROR_CELLS = frozenset(
    {"#REF!", "#DIV/0!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
)


def clean_text(value: object) -> str:
    """``value`` as NFC text with every run of white space (NBSP, line breaks) one space."""
    if type(value) is str:
        return _clean_str(value)
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value))
    return _SPACES.sub(" ", text).strip()


@functools.lru_cache(maxsize=1 << 16)  # a name is cleaned again in every period of a long table
def _clean_str(value: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


class _CombiningMarks(dict):
    """A ``str.translate`` table that drops combining marks: each code point is judged by
    ``unicodedata.combining`` the first time it is met, then looked up in C."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_MARKS = _CombiningMarks()


def strip_accents(text: str) -> str:
    """``text`` without Vietnamese diacritics: "Hàng Bạc" -> "Hang Bac", "Đồng" -> "Dong"."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFD", text.translate(_D_MAP)).translate(_MARKS)


def fold(value: object) -> str:
    """A key that ignores case, accents, punctuation and spacing.

    >>> fold("  HÀNG\\u00a0BẠC ")
    'hang bac'
    >>> fold("Hoà") == fold("Hòa")
    True
    """
    if isinstance(value, str):
        return _fold_text(value)
    return _fold(value)


@functools.lru_cache(maxsize=1 << 16)
def _fold_text(value: str) -> str:  # names repeat in every period of a long table
    return _fold(value)


def _fold(value: object) -> str:
    """``fold`` of anything but a string (strings go through the cache)."""
    text = strip_accents(clean_text(value)).lower()
    return _NON_WORD.sub(" ", text).strip()


def unit_key(value: object) -> str:
    """``fold`` without the prefixes that only say what kind of unit it is.

    Prefixes are matched with their accents when the name has accents, because folding
    makes "Quận" (district) and "Quản" (as in "Quản lý đô thị") the same word.

    >>> unit_key("P. Hàng Bạc"), unit_key("Phường Hàng Bạc"), unit_key("UBND phường Hàng Bạc")
    ('hang bac', 'hang bac', 'hang bac')
    >>> unit_key("Quản lý đô thị"), unit_key("Quận Hoàn Kiếm")
    ('quan ly do thi', 'hoan kiem')
    """
    if isinstance(value, str):
        return _unit_key_text(value)
    return _unit_key(value)


@functools.lru_cache(maxsize=1 << 16)
def _unit_key_text(value: str) -> str:
    return _unit_key(value)


def _unit_key(value: object) -> str:
    """``unit_key`` of anything but a string (strings go through the cache)."""
    words = _NON_LETTER.sub(" ", clean_text(value).lower()).split()
    accented = any(strip_accents(w) != w for w in words)
    prefixes = _ACCENTED_PREFIXES if accented else _FOLDED_PREFIXES
    changed = True
    while changed and words:
        changed = False
        for prefix in prefixes:
            size = len(prefix)
            if len(words) > size and tuple(words[:size]) == prefix:
                words = words[size:]
                # Only "UBND" is followed by another kind word ("UBND phường …").
                changed = prefix in (("ubnd",), ("ủy", "ban", "nhân", "dân"), ("uỷ", "ban", "nhân", "dân"))
                break
    return fold(" ".join(words))


def collation_key(value: object) -> tuple:
    """Sort key for Vietnamese: letters by the Vietnamese alphabet (a ă â b … đ …), then tones.

    Code-point order puts "Đồng Xuân" after "Ý Yên"; this puts it after "Dịch Vọng".
    """
    return _text_collation_key(clean_text(value))


@functools.lru_cache(maxsize=1 << 16)
def _text_collation_key(text: str) -> tuple:
    # Cached: every rerun of a page sorts the same unit names again (10,000 at national
    # scale, about half a second of per-character work each time).
    primary: list[int] = []
    secondary: list[int] = []
    tertiary: list[int] = []
    for ch in text:
        lower = ch.lower()
        if lower == "đ":
            primary.append(_LETTER_RANK["đ"] + 1000)
            secondary.append(0)
            tertiary.append(0 if ch == lower else 1)
            continue
        parts = unicodedata.normalize("NFD", lower)
        base, marks = parts[0], parts[1:]
        letter = base
        tone = 0
        for mark in marks:
            if mark in _TONE_MARKS:
                tone = _TONE_MARKS[mark]
            elif mark in _LETTER_MODIFIERS:
                letter = unicodedata.normalize("NFC", base + mark)
        rank = _LETTER_RANK.get(letter)
        # Letters outside the alphabet (digits, spaces) sort by code point before letters,
        # so a space ends a word first ("Hàng Bạc" before "Hàng Bài").
        primary.append(rank + 1000 if rank is not None else ord(letter))
        secondary.append(tone)
        tertiary.append(0 if ch == lower else 1)
    return (tuple(primary), tuple(secondary), tuple(tertiary))


def sort_vietnamese(names: Iterable[str]) -> list[str]:
    """``names`` in Vietnamese dictionary order."""
    return sorted(names, key=collation_key)


def parse_number(value: object) -> tuple[float | None, str]:
    """Read a spreadsheet cell as a number.

    Returns ``(number, "")`` for a number, ``(None, "")`` for a blank or a not-applicable
    mark ("-", "x"), and ``(None, reason)`` when the cell holds something else; reason is
    "error" for Excel error cells (#REF!) and "text" otherwise.

    >>> parse_number("91,43"), parse_number("85 %"), parse_number("1.234,5"), parse_number("-")
    ((91.43, ''), (85.0, ''), (1234.5, ''), (None, ''))
    """
    if value is None:
        return None, ""
    if isinstance(value, bool):
        return None, "text"
    if isinstance(value, (int, float)):
        number = float(value)
        return (None, "") if math.isnan(number) else (number, "")
    if isinstance(value, (date, datetime)):
        return None, "text"
    text = clean_text(value)
    if text in MISSING_MARKS:
        return None, ""
    if text.upper() in ERROR_CELLS or (text.startswith("#") and text.endswith(("!", "?", "A"))):
        return None, "error"
    text = text.replace(" ", "").rstrip("%").replace("−", "-")
    if text.startswith("(") and text.endswith(")"):
        text = "-" + text[1:-1]
    if not re.fullmatch(r"[+-]?[0-9.,]*[0-9][0-9.,]*", text):
        return None, "text"
    has_dot, has_comma = "." in text, "," in text
    if has_dot and has_comma:
        # The later separator is the decimal mark: "1.234,5" (vi) or "1,234.5" (en).
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif has_comma:
        # Vietnamese decimal comma ("91,43"); several commas can only be thousands.
        text = text.replace(",", "") if text.count(",") > 1 else text.replace(",", ".")
    elif has_dot and text.count(".") > 1:
        text = text.replace(".", "")  # "1.234.567": dots as thousands separators
    try:
        return float(text), ""
    except ValueError:
        return None, "text"


_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def find_years(value: object) -> list[str]:
    """Four-digit years 1900–2099 in ``value``: "KẾT QUẢ … NĂM 2018" -> ["2018"]."""
    return _YEAR.findall(clean_text(value))


def slugify(value: object) -> str:
    """An id-safe slug: "Hàng Bạc" -> "hang-bac"."""
    return fold(value).replace(" ", "-")


def column_letter(index: int) -> str:
    """Spreadsheet column letters of a 0-based column: 0 -> "A", 27 -> "AB"."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """A1 notation of a 0-based (row, column): (11, 5) -> "F12"."""
    return f"{column_letter(col)}{row + 1}"


# Every character ``clean_text`` treats as white space, for the vectorised path (RE2's \s is
# ASCII only, Python's is every str.isspace character).
_SPACE_CLASS = "[" + "".join(f"\\x{{{ord(ch):04x}}}" for ch in map(chr, range(0x3001))
                             if ch.isspace() or ch in "\u00a0\u200b\u202f\u205f\u3000") + "\\x{feff}]+"
_NONE, _TEXT, _ERROR = 0, 1, 2
PROBLEMS = ("", "text", "error")
"""What the problem codes of :func:`parse_numbers` mean, by code."""


def parse_numbers(values: Sequence[object] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`parse_number` over a whole column at once.

    Returns ``(numbers, problems)``: float64 (NaN where no number) and int8 codes indexing
    :data:`PROBLEMS` (0: none, 1: "text", 2: "error"). Numbers take one array conversion;
    text cells are cleaned and read with Arrow's string kernels, each distinct text once.

    >>> parse_numbers(["91,43", 85, "-", "9l,5"])[0].tolist()[:3]
    [91.43, 85.0, nan]
    """
    column = np.asarray(values, dtype=object) if not isinstance(values, np.ndarray) else values
    numbers = np.full(len(column), np.nan)
    problems = np.zeros(len(column), dtype=np.int8)
    if column.dtype != object:  # already numeric (a typed column from the reader)
        return (column.astype(float) if column.dtype.kind in "iuf" else numbers), problems
    kind = pd.api.types.infer_dtype(column, skipna=True)
    if kind in ("floating", "empty"):  # floats and blanks (None reads as NaN): what a reader gives
        return column.astype(float), problems
    if kind in ("integer", "mixed-integer-float"):
        return pd.to_numeric(pd.Series(column)).to_numpy(dtype=float, na_value=np.nan), problems
    texts = np.zeros(len(column), dtype=bool)
    others: dict[int, str] = {}
    for i, value in enumerate(column):
        if value is None or isinstance(value, str):
            texts[i] = value is not None
        elif isinstance(value, (bool, np.bool_, date, datetime)):
            problems[i] = _TEXT
        elif isinstance(value, (int, float, np.integer, np.floating)):
            numbers[i] = float(value)
        else:  # any other object is read as its text, as parse_number does
            others[i] = clean_text(value)
    if others:
        column = column.copy()
        for i, text in others.items():
            column[i], texts[i] = text, True
    if texts.any():
        read, why = _parse_texts(column[texts])
        numbers[texts], problems[texts] = read, why
    return numbers, problems


def _parse_texts(strings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Numbers and problem codes of ``strings``, each distinct one read once."""
    distinct, back = np.unique(strings.astype(str), return_inverse=True)
    numbers, problems = _parse_distinct(distinct)
    return numbers[back], problems[back]


def _parse_distinct(strings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    import pyarrow as pa
    import pyarrow.compute as pc

    def mask(array) -> np.ndarray:
        return array.to_numpy(zero_copy_only=False).astype(bool)

    text = pc.utf8_normalize(pa.array(strings, type=pa.string()), "NFC")
    text = pc.utf8_trim(pc.replace_substring_regex(text, _SPACE_CLASS, " "), " ")
    missing = mask(pc.is_in(text, pa.array(sorted(MISSING_MARKS))))
    error = mask(pc.is_in(pc.utf8_upper(text), pa.array(sorted(ERROR_CELLS)))) | (
        mask(pc.starts_with(text, "#")) & mask(pc.match_substring_regex(text, r"[!?A]$")))
    text = pc.replace_substring(pc.utf8_rtrim(pc.replace_substring(text, " ", ""), "%"), "−", "-")
    text = pc.if_else(pc.and_(pc.starts_with(text, "("), pc.ends_with(text, ")")),
                      pc.binary_join_element_wise("-", pc.utf8_slice_codeunits(text, 1, -1), ""), text)
    plain = _plain_decimal(text)
    good = (mask(pc.match_substring_regex(text, r"^[+-]?[0-9.,]*[0-9][0-9.,]*$")) & ~missing & ~error
            & mask(pc.match_substring_regex(plain, r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$")))
    numbers = np.full(len(strings), np.nan)
    if good.any():
        chosen = pc.utf8_ltrim(plain.filter(pa.array(good)), "+")
        numbers[good] = pc.cast(chosen, pa.float64()).to_numpy(zero_copy_only=False)
    problems = np.where(missing, _NONE, np.where(error, _ERROR, np.where(good, _NONE, _TEXT)))
    return numbers, problems.astype(np.int8)


def _plain_decimal(text):
    """``text`` with its thousands separators dropped and its decimal mark a dot, by the rules
    of :func:`parse_number`: of a dot and a comma the later is the decimal mark; one comma is
    a decimal comma, several are thousands; several dots are thousands."""
    import pyarrow.compute as pc

    dots, commas = pc.count_substring(text, "."), pc.count_substring(text, ",")
    comma_last = pc.match_substring_regex(text, r",[^.]*$")
    no_dots = pc.replace_substring(text, ".", "")
    no_commas = pc.replace_substring(text, ",", "")
    comma_as_dot = pc.replace_substring(text, ",", ".")
    both = pc.and_(pc.greater(dots, 0), pc.greater(commas, 0))
    return pc.case_when(
        pc.make_struct(pc.and_(both, comma_last), both, pc.greater(commas, 1), pc.greater(commas, 0),
                       pc.greater(dots, 1)),
        pc.replace_substring(no_dots, ",", "."), no_commas, no_commas, comma_as_dot, no_dots, text)
