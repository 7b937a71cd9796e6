"""Vietnamese and English: the one catalog of interface strings, and number formatting.

Vietnamese is the first language. Every string the user reads lives in
``reform/core/strings/*.toml`` (one file per area, each key with ``vi`` and ``en``) and is
read one way: ``t(key, lang, **values)``. A key missing from the catalog raises
``MissingString``: a test scans the code for every key it uses, so none reaches a user.
Numbers go through Babel so 85.32 reads "85,32" in Vietnamese.
"""
from __future__ import annotations

import marshal
import math
import os
import tempfile
import tomllib
from pathlib import Path

from babel.numbers import format_decimal

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"
_LOCALES = {"vi": "vi_VN", "en": "en_US"}
STRINGS_DIR = Path(__file__).resolve().parent / "strings"
"""One TOML file per area of the app; together they are the catalog."""


class MissingString(LookupError):
    """A key the code asks for is not in the catalog: a programming error, caught by tests."""


def load_catalog(folder: Path = STRINGS_DIR) -> dict[str, dict[str, str]]:
    """Every ``key = { vi = "…", en = "…" }`` of the TOML files in ``folder``.

    Raises ``ValueError`` when a key lacks a language or stands in two files: both would
    show a user the wrong text.
    """
    catalog: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("*.toml")):
        with path.open("rb") as handle:
            entries = tomllib.load(handle)
        for key, entry in entries.items():
            if not isinstance(entry, dict) or set(entry) != set(LANGS):
                raise ValueError(f"{path.name}: '{key}' needs exactly {LANGS}, has {entry!r}")
            if key in catalog:
                raise ValueError(f"{path.name}: '{key}' is also defined in another file")
            catalog[key] = entry
    return catalog


def cached_catalog(folder: Path = STRINGS_DIR) -> dict[str, dict[str, str]]:
    """``load_catalog(folder)``, kept in ``folder/__pycache__`` (as Python keeps its bytecode)
    and read from there while no TOML file changed in size or time: parsing the TOML files
    cost every start of the app a tenth of a second. Parsed anew when the folder is read-only."""
    mark = [(p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.toml"))]
    kept = folder / "__pycache__" / "catalog.marshal"
    try:
        saved, catalog = marshal.loads(kept.read_bytes())
        if saved == mark:
            return catalog
    except (OSError, EOFError, ValueError, TypeError):
        pass  # none yet, or damaged: parsed and written again
    catalog = load_catalog(folder)
    try:
        kept.parent.mkdir(exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=kept.parent, delete=False, suffix=".part") as handle:
            handle.write(marshal.dumps((mark, catalog)))
        os.replace(handle.name, kept)  # whole or not at all, for another process reading it
    except OSError:
        pass
    return catalog


CATALOG: dict[str, dict[str, str]] = cached_catalog()


def t(key: str, lang: str = DEFAULT_LANG, /, **values: object) -> str:
    """The string for ``key`` in ``lang`` with ``values`` filled in.

    Raises ``MissingString`` for a key the catalog lacks.

    >>> t("level.ward", "en")
    'Wards'
    """
    entry = CATALOG.get(key)
    if entry is None:
        raise MissingString(key)
    text = entry[lang if lang in LANGS else DEFAULT_LANG]
    return text.format(**values) if values else text


def has(key: str) -> bool:
    """Whether the catalog holds ``key`` (for labels that fall back to a code, like custom indices)."""
    return key in CATALOG


def format_number(value: float | None, lang: str = DEFAULT_LANG, decimals: int = 2) -> str:
    """``value`` with the decimal mark of ``lang`` ("85,32" vi, "85.32" en); "–" when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=_LOCALES.get(lang, "vi_VN"))


def format_percent(value: float | None, lang: str = DEFAULT_LANG, decimals: int = 2) -> str:
    """A value already in percent, with its sign: "85,32 %" (vi) or "85.32%" (en)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return with_percent(format_number(value, lang, decimals), lang)


def with_percent(number: str, lang: str = DEFAULT_LANG) -> str:
    """A number already written, with the percent sign as ``lang`` writes it: a space before it
    in Vietnamese ("85,32 %"), none in English ("85.32%")."""
    return f"{number} %" if lang == "vi" else f"{number}%"


def format_signed(value: float | None, lang: str = DEFAULT_LANG, decimals: int = 2) -> str:
    """A change with an explicit sign: "+2,10", "−0,50"; "0" shows as "0,00"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    number = format_number(abs(value), lang, decimals)
    if value > 0:
        return "+" + number
    if value < 0:
        return "−" + number
    return number
