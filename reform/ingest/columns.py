"""Whole columns of a sheet at once: which cells are filled, and any per-value rule applied to
each distinct value once.

A national sheet holds millions of cells but few distinct texts (10,000 names, 10 years), so a
rule on text (clean, fold, match) runs per distinct value and numbers are judged as arrays.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from reform.core.text import clean_text

_FACTORIZE_FROM = 1000
"""Columns longer than this, all text, are split into distinct values by ``pd.factorize``."""
_NUMERIC = frozenset({"floating", "integer", "mixed-integer-float", "empty"})


def per_distinct(values: np.ndarray, rule: Callable[[object], object]) -> list:
    """``rule`` of each value, computed once per distinct value (1 and True kept apart)."""
    if values.dtype != object:  # a typed column: its numbers as the Python floats a reader gives
        values = values.astype(object)
    if len(values) > _FACTORIZE_FROM and set(map(type, values)) == {str}:
        # Texts only (names, years as text): told apart by a hash table in C, not a Python loop.
        codes, distinct = pd.factorize(np.asarray(values, dtype=object))
        found = np.empty(len(distinct), dtype=object)
        for i, value in enumerate(distinct):
            found[i] = rule(value)
        return found[codes].tolist()
    cache: dict[tuple[type, object], object] = {}
    out = []
    for value in values:
        key = (value.__class__, value)
        if key not in cache:
            cache[key] = rule(value)
        out.append(cache[key])
    return out


def numeric_only(column: np.ndarray) -> bool:
    """Whether ``column`` holds numbers and blanks only (then no text rule need run on it)."""
    return pd.api.types.infer_dtype(column, skipna=True) in _NUMERIC


def _filled(value: object) -> bool:
    if isinstance(value, (int, float)):
        return value == value
    return bool(clean_text(value))


def filled(column: np.ndarray, numbers: bool | None = None) -> np.ndarray:
    """Cells that hold a number (not NaN) or some text: ``layout.nonempty`` for a column.
    ``numbers``: whether it is known to hold numbers only (None: find out)."""
    if numeric_only(column) if numbers is None else numbers:
        return ~pd.isna(column)
    return np.array(per_distinct(column, _filled), dtype=bool)


def written(column: np.ndarray, numbers: bool | None = None) -> np.ndarray:
    """Cells that are neither None nor "" (NaN counts as written, as the block-heading rule has it)."""
    if column.dtype != object:  # a typed column: every cell holds a number
        return np.ones(len(column), dtype=bool)
    if numeric_only(column) if numbers is None else numbers:
        return ~np.equal(column, None)
    return np.array(per_distinct(column, lambda v: v is not None and not (isinstance(v, str) and v == "")),
                    dtype=bool)


def texts(column: np.ndarray, numbers: bool | None = None) -> np.ndarray:
    """Cells that are non-empty strings."""
    if numeric_only(column) if numbers is None else numbers:
        return np.zeros(len(column), dtype=bool)
    return np.array(per_distinct(column, lambda v: isinstance(v, str) and v != ""), dtype=bool)


def cleaned(column: np.ndarray) -> np.ndarray:
    """``clean_text`` of each cell, as an object array of str."""
    return np.array(per_distinct(column, clean_text), dtype=object)


def labelled(codes: np.ndarray, labels: list[str]) -> pd.Series:
    """The text column whose i-th cell is ``labels[codes[i]]``, built in Arrow from the codes:
    a million unit ids or component codes are never a million Python strings."""
    import pyarrow as pa

    array = pa.DictionaryArray.from_arrays(pa.array(np.asarray(codes, dtype=np.int32)),
                                           pa.array(list(labels), type=pa.string()))
    return pd.Series(array.cast(pa.string()), dtype=_TEXT, copy=False)


def cell_sources(prefixes: list[str], codes: np.ndarray, rows: np.ndarray) -> pd.Series:
    """"Sheet!F12" for each cell: the prefix ``prefixes[codes[i]]`` ("Sheet!F") and the
    spreadsheet row of 0-based ``rows[i]``, joined in Arrow."""
    import pyarrow as pa
    import pyarrow.compute as pc

    prefix = pa.DictionaryArray.from_arrays(pa.array(np.asarray(codes, dtype=np.int32)),
                                            pa.array(list(prefixes), type=pa.string())).cast(pa.string())
    rows = np.asarray(rows, dtype=np.int64)
    first = int(rows.min()) if len(rows) else 0
    if len(rows) and int(rows.max()) - first < len(rows):
        # Each row's number written once and taken for each of its cells (a national row
        # has forty): the rows are a dense range, so its text is indexed by row - first.
        written = pc.cast(pa.array(np.arange(first, int(rows.max()) + 1) + 1), pa.string())
        numbers = written.take(pa.array(rows - first))
    else:
        numbers = pc.cast(pa.array(rows + 1), pa.string())
    return pd.Series(pc.binary_join_element_wise(prefix, numbers, ""), dtype=_TEXT, copy=False)


_TEXT = pd.StringDtype("pyarrow", na_value=np.nan)
"""pandas' default text type (``str``): what a frame built from Python strings holds."""
