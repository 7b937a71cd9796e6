"""Vietnamese and English: interface strings and number formatting.

Vietnamese is the first language. ``t(key, lang, **values)`` looks a string up in
``CATALOG``; numbers go through Babel so 85.32 reads "85,32" in Vietnamese.
"""
from __future__ import annotations

import math

from babel.numbers import format_decimal

from reform.core.errors import UsageError

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"
_LOCALES = {"vi": "vi_VN", "en": "en_US"}

CATALOG: dict[str, dict[str, str]] = {
    "app.title": {"vi": "Chỉ số cải cách hành chính", "en": "Administrative reform indices"},
    "sample.banner": {
        "vi": "Dữ liệu minh họa, không phải kết quả chính thức.",
        "en": "Illustrative data, not official results.",
    },
    "index.PAR": {"vi": "Chỉ số CCHC (PAR Index)", "en": "PAR Index"},
    "index.SIPAS": {"vi": "Chỉ số hài lòng (SIPAS)", "en": "Satisfaction (SIPAS)"},
    "index.DISCIPLINE": {"vi": "Kỷ cương hành chính", "en": "Administrative discipline"},
    "index.PAPI": {"vi": "PAPI", "en": "PAPI"},
    "index.PCI": {"vi": "PCI", "en": "PCI"},
    "level.department": {"vi": "Sở, ban, ngành", "en": "Departments"},
    "level.district": {"vi": "Quận, huyện", "en": "Districts"},
    "level.ward": {"vi": "Phường", "en": "Wards"},
    "level.commune": {"vi": "Xã", "en": "Communes"},
    "level.office": {"vi": "Phòng, ban", "en": "Offices"},
    "level.province": {"vi": "Tỉnh, thành phố", "en": "Provinces"},
    "level.ministry": {"vi": "Bộ, ngành", "en": "Ministries"},
    "level.unit": {"vi": "Đơn vị", "en": "Units"},
    "component.TOTAL": {"vi": "Tổng điểm", "en": "Total"},
}


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The string for ``key`` in ``lang`` with ``values`` filled in; the key itself if unknown.

    >>> t("level.ward", "en")
    'Wards'
    """
    entry = CATALOG.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry.get(DEFAULT_LANG) or key
    return text.format(**values) if values else text


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
    number = format_number(value, lang, decimals)
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


def lookup(table: dict[str, dict[str, str]], key: str, lang: str, **values: object) -> str:
    """``key`` from a module's own {key: {"vi", "en"}} table, Vietnamese when ``lang`` lacks it."""
    text = table[key].get(lang) or table[key][DEFAULT_LANG]
    return text.format(**values) if values else text


def require_lang(lang: str) -> None:
    """Raise a ``UsageError`` naming the languages offered when ``lang`` is not one of them."""
    if lang not in LANGS:

        raise UsageError(
            f"Ngôn ngữ '{lang}' không được hỗ trợ; chọn một trong: {', '.join(LANGS)}.",
            f"Language '{lang}' is not supported; choose one of: {', '.join(LANGS)}.",
        )
