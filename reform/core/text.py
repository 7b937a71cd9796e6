"""Vietnamese text: normalisation, accent-free keys, collation and number parsing.

Names arrive as "Phường Hàng Bạc", "P. Hàng Bạc", "HÀNG BẠC", in NFC or NFD, with
non-breaking spaces and line breaks; numbers as "91,43", "85 %", "1.234,5" or "-".
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime

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
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value))
    return _SPACES.sub(" ", text).strip()


def strip_accents(text: str) -> str:
    """``text`` without Vietnamese diacritics: "Hàng Bạc" -> "Hang Bac", "Đồng" -> "Dong"."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(value: object) -> str:
    """A key that ignores case, accents, punctuation and spacing.

    >>> fold("  HÀNG\\u00a0BẠC ")
    'hang bac'
    >>> fold("Hoà") == fold("Hòa")
    True
    """
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
    text = clean_text(value)
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
