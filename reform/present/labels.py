"""What the user reads for a code or a number: the one place for display labels.

Rank changes ("▲ 3", "mới"), periods ("03/2019", "Mar 2019"), indices (through the kinds
registry), blocks, groups, importer roles, unit names in English ("Hàng Bạc ward") and
points as methodology decisions print them ("14,5"). Words come from the catalog
(``reform/core/strings/labels.toml``); charts, exports, narrative and the page view-models
all ask here, so a label is written once.
"""
from __future__ import annotations

import math
import re

import pandas as pd

from reform.core.i18n import format_number, format_percent, has, t, with_percent
from reform.core.kinds import kind_of
from reform.present.frames import is_missing, number_text


def change_label(change: object, is_new: object = False, lang: str = "vi") -> str:
    """A rank change as presenters write it: "▲ 3" (up 3 places), "▼ 2", "=", "mới" or "".

    ``change`` is positive when the unit moved up; missing means no previous period, shown
    as "mới"/"new" when ``is_new`` is true and as "" otherwise.
    """
    if is_missing(change):
        return t("label.change.new", lang) if not is_missing(is_new) and bool(is_new) else ""
    places = int(change)
    if places > 0:
        return f"▲ {places}"
    if places < 0:
        return f"▼ {-places}"
    return "="


def change_labels(table: pd.DataFrame, *, lang: str = "vi") -> pd.Series:
    """The rank change of a ``rank_units`` table as a short label per row (:func:`change_label`).

    Returns a string Series named ``change_label`` on the table's index. Raises KeyError
    when ``change`` or ``is_new`` is missing.
    """
    labels = [change_label(change, is_new, lang)
              for change, is_new in zip(table["change"], table["is_new"], strict=True)]
    return pd.Series(labels, index=table.index, dtype="str", name="change_label")


def with_change_labels(table: pd.DataFrame, *, lang: str = "vi") -> pd.DataFrame:
    """``table`` plus its ``change_label`` column; a new frame."""
    return table.assign(change_label=change_labels(table, lang=lang))


def period_label(period: object, lang: str = "vi") -> str:
    """A period as readers write it: "2019-03" -> "03/2019" (vi) or "Mar 2019" (en);
    "2019-Q2" -> "Q2/2019" or "Q2 2019"; a year stays as it is."""
    text = str(period)
    if len(text) == 7 and text[4] == "-" and text[5:].isdigit():
        month = int(text[5:])
        key = f"label.month.{month}" if 1 <= month <= 12 else "label.month.other"
        return t(key, lang, year=text[:4], month=text[5:])
    if len(text) == 7 and text[4:6] == "-Q":
        return t("label.quarter", lang, year=text[:4], quarter=text[5:])
    return text


def index_label(code: str, lang: str = "vi") -> str:
    """Display name of an index code ("PAR" -> "Chỉ số CCHC (PAR Index)"); the code if unknown."""
    return kind_of(str(code)).name(lang)


def level_label(level: str, lang: str = "vi") -> str:
    """A block as the sidebar names it ("ward" -> "Phường"); the code when it has no label."""
    key = f"level.{level}"
    return t(key, lang) if has(key) else level


GROUP_KEYS: dict[str, str] = {
    "Xuất sắc": "excellent",
    "Rất tốt": "very_good",
    "Tốt": "good",
    "Khá": "fair",
    "Trung bình": "average",
    "Tương đối thấp": "rather_low",
    "Yếu": "weak",
    "Thấp": "low",
}
"""The Vietnamese group names of the SIPAS, discipline and PCI schemes, and their catalog
keys (``label.group.<key>``); the stored value stays Vietnamese, only the label changes.
Letters and numerals ("A", "Nhóm II", "Q1") read the same in both languages."""


def group_label(group: object, lang: str = "vi") -> str:
    """A group label as shown in ``lang``: "Khá" -> "Fair" in English, unchanged in Vietnamese
    and for groups without a catalog name ("A"); "Chưa xếp nhóm"/"No group" for a missing or
    blank one.

    >>> group_label("Tương đối thấp", "en"), group_label("Khá", "vi"), group_label("B", "en")
    ('Rather low', 'Khá', 'B')
    """
    if is_missing(group) or str(group).strip() == "":
        return t("label.no_group", lang)
    key = GROUP_KEYS.get(str(group).strip())
    return t(f"label.group.{key}", lang) if key else str(group)


def group_labels(table: pd.DataFrame, *, lang: str = "vi") -> pd.DataFrame:
    """``table`` with its ``group`` column as shown in ``lang`` (blank stays blank); a new
    frame. Raises KeyError without a ``group`` column."""
    shown = [g if is_missing(g) or str(g).strip() == "" else group_label(g, lang)
             for g in table["group"]]
    return table.assign(group=pd.Series(shown, index=table.index, dtype="object"))


def role_label(role: str, lang: str = "vi") -> str:
    """A column role of the importer ("code", "rank") as analysts name it in ``lang``
    ("Mã đơn vị", "Xếp hạng"); the code itself when it has no label."""
    key = f"views.role.{role}"
    return t(key, lang) if has(key) else role


def access_role_label(role: str | None, lang: str = "vi") -> str:
    """An account's role in ``lang`` ("Chuyên viên" / "Analyst"); "not signed in" for none."""
    return t(f"accounts.role.{role}", lang) if role else t("accounts.no_role", lang)


def score_text(score: float, is_percent: bool, lang: str = "vi") -> str:
    """A score as charts print it: "85,32 %" when it is a percent, "85,32" for points; "–"
    when missing. The text of ``format_percent`` / ``format_number``, written by
    ``frames.number_text``: a ranking chart writes two per unit, and through Babel 10,000
    units cost most of a second."""
    if is_missing(score):
        return "–"
    value = float(score)
    if not math.isfinite(value):  # Babel's own sign for infinity
        return format_percent(value, lang) if is_percent else format_number(value, lang)
    number = number_text(value, lang, 2)
    if not is_percent:
        return number
    return with_percent(number, lang)


def points_text(value: float | None, lang: str = "vi") -> str:
    """Points as printed in methodology decisions: 16, 14,5, 2,25 (no trailing zeros)."""
    if is_missing(value):
        return "–"
    for decimals in (0, 1, 2):
        if abs(round(value, decimals) - value) < 1e-9:
            return format_number(value, lang, decimals)
    return format_number(value, lang, 2)


UNIT_KINDS: list[tuple[str, str]] = [
    ("Thành phố", "city"), ("Thị xã", "town"), ("Thị trấn", "township"), ("Phường", "ward"),
    ("Xã", "commune"), ("Quận", "district"), ("Huyện", "district"), ("Tỉnh", "province"),
]
"""Vietnamese name prefixes read as an English suffix: "Phường Hàng Bạc" → "Hàng Bạc ward";
the English word is catalog entry ``label.unit_kind.<kind>``."""


def unit_name(name: str, lang: str = "vi") -> str:
    """The unit's name as read in ``lang``: in English "Phường Hàng Bạc" is "Hàng Bạc ward"."""
    if lang != "en":
        return name
    for prefix, kind in UNIT_KINDS:
        if name.startswith(prefix + " ") and len(name) > len(prefix) + 1:
            return f"{name[len(prefix) + 1:]} {t(f'label.unit_kind.{kind}', lang)}"
    return name


_LONG_DECIMAL = re.compile(r"-?\d+\.\d{4,}")


def readable_examples(columns: pd.DataFrame, *, lang: str = "vi", decimals: int = 2) -> pd.DataFrame:
    """The Data page's columns table (``uploads.columns_table``) with long decimals in its
    ``examples`` rounded for reading: "8.351827 | 8.180521" -> "8,35 | 8,18" (vi).

    Only numbers with four decimals or more are touched, as a spreadsheet's floats print;
    "1.000" (a Vietnamese thousand), codes and dates stay as the file has them.
    Returns a new frame; raises KeyError when ``examples`` is missing.
    """
    def shorten(text: object) -> object:
        if not isinstance(text, str):
            return text
        return _LONG_DECIMAL.sub(
            lambda match: points_text(round(float(match.group()), decimals), lang), text)

    return columns.assign(examples=columns["examples"].map(shorten))
