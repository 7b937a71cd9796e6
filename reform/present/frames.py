"""Small checks and conversions on the frames that charts and exports receive.

Shared by ``charts`` and ``exports`` so each rule is written once: which columns a frame
must have, how a numeric column reads as floats, which score a ranking shows, best first.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from functools import partial

import numpy as np
import pandas as pd

from reform.core import config
from reform.core.errors import UsageError


def require_columns(frame: pd.DataFrame, columns: Iterable[str], key: str, **values: object) -> None:
    """Raise ``UsageError.of(key, names=…, **values)`` naming the ``columns`` ``frame`` lacks."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise UsageError.of(key, names=", ".join(missing), **values)


def is_missing(value: object) -> bool:
    """None, ``pd.NA`` or a float NaN."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def as_float(series: pd.Series) -> np.ndarray:
    """Any numeric column (Int64 with <NA>, object) as a float array with NaN for missing."""
    return pd.to_numeric(series, errors="coerce").astype("float64").to_numpy(na_value=np.nan)


def display_scores(frame: pd.DataFrame) -> tuple[np.ndarray, bool]:
    """Percent of maximum where known, else points; and whether any percent was known.

    Rankings fall back to points when maximums are unknown, so the charts do the same.
    """
    percent = as_float(frame["percent"]) if "percent" in frame else np.full(len(frame), np.nan)
    value = as_float(frame["value"]) if "value" in frame else np.full(len(frame), np.nan)
    scores = np.where(np.isnan(percent), value, percent)
    return scores, bool((~np.isnan(percent)).any())


def best_first(table: pd.DataFrame) -> pd.DataFrame:
    """A new frame ordered by rank, unranked units last, in the order they came."""
    rank = pd.to_numeric(table["rank"], errors="coerce").astype("float64")
    return table.assign(_r=rank).sort_values("_r", na_position="last", kind="stable").drop(
        columns="_r")


def column_or(frame: pd.DataFrame, column: str, default: object) -> pd.Series:
    """``frame[column]``, or a Series of ``default`` on the frame's index when it is absent."""
    if column in frame:
        return frame[column]
    return pd.Series(default, index=frame.index, dtype="object" if default is None else None)


def number_styler(frame: pd.DataFrame, lang: str, decimals: Mapping[str, int] | None = None,
                  signed: Iterable[str] = ()):
    """``frame`` as a pandas Styler writing every number by the rule of ``lang`` ("85,32" in
    Vietnamese, "85.32" in English, whatever the reader's browser), sorting by the numbers.

    Integer columns get no decimals; others ``decimals[column]`` or ``DISPLAY_DECIMALS``;
    ``signed`` columns (changes, gaps) carry their sign ("+2,10"). A missing value shows as
    "–". Never changes ``frame``.

    A table of more than ``config.STYLED_TABLE_MAX_CELLS`` cells comes back as a new frame
    with its numbers rounded to those places instead: a Styler writes every cell in Python,
    seconds for a national ranking on every rerun; the browser then writes the numbers.
    """
    decimals, signed = dict(decimals or {}), set(signed)
    places = {}
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
            continue
        places[column] = decimals.get(column, 0 if pd.api.types.is_integer_dtype(series)
                                      else config.DISPLAY_DECIMALS)
    if frame.size > config.STYLED_TABLE_MAX_CELLS:
        return frame.assign(**{column: frame[column].round(n) for column, n in places.items()})
    formats = {column: partial(_number_text, lang=lang, decimals=n, signed=column in signed)
               for column, n in places.items()}
    return frame.style.format(formats)


_SWAP_MARKS = str.maketrans(",.", ".,")


def number_text(value: float, lang: str, decimals: int) -> str:
    """``i18n.format_number`` for a number (never missing), the same text eight times faster:
    the same rounding (half to even on the shortest decimal form, as babel rounds) and the
    marks of ``lang`` ("1.234,57" vi, "1,234.57" en). A table cell is written this way.

    >>> number_text(1234.565, "vi", 2), number_text(2.675, "en", 2), number_text(-0.5, "vi", 0)
    ('1.234,56', '2.68', '-0')
    """
    step = Decimal(1).scaleb(-decimals)
    text = f"{Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_EVEN):,.{decimals}f}"
    return text.translate(_SWAP_MARKS) if lang == "vi" else text


def _number_text(value: object, *, lang: str, decimals: int, signed: bool) -> str:
    if is_missing(value):
        return "–"
    number = float(value)
    if not signed:
        return number_text(number, lang, decimals)
    text = number_text(abs(number), lang, decimals)  # as ``i18n.format_signed`` writes it
    return "+" + text if number > 0 else "−" + text if number < 0 else text
