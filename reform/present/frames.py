"""Small checks and conversions on the frames that charts and exports receive.

Shared by ``charts`` and ``exports`` so each rule is written once: which columns a frame
must have, how a numeric column reads as floats, which score a ranking shows, best first.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from functools import partial

import numpy as np
import pandas as pd

from reform.core import config
from reform.core.errors import UsageError
from reform.core.i18n import format_number, format_signed


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
    """
    decimals, signed = dict(decimals or {}), set(signed)
    formats = {}
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
            continue
        places = decimals.get(column, 0 if pd.api.types.is_integer_dtype(series)
                              else config.DISPLAY_DECIMALS)
        formats[column] = partial(_number_text, lang=lang, decimals=places,
                                  write=format_signed if column in signed else format_number)
    return frame.style.format(formats)


def _number_text(value: object, *, lang: str, decimals: int, write) -> str:
    return "–" if is_missing(value) else write(float(value), lang, decimals)
