"""Figures built once per input: a page rerun (a widget touched, a hover) draws the same
charts from the same frames, and building a Plotly figure costs tens of milliseconds, more
than the rest of a rerun.

The frames a page charts come from the app's cache of view-models (the same objects while
the data stays the same), so a frame is known by its identity, checked against its shape,
columns and the sums of its numeric columns: a frame changed in place is not mistaken for
the one charted before. Hashing every value instead would cost more than drawing at
national scale (a second for 100,000 rows).

Figures are shared between callers: never change one a chart function returned (the
exports and the deck copy before changing; ``st.plotly_chart`` serialises a copy).
"""
from __future__ import annotations

import functools
import math
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import date
from typing import TypeVar

import numpy as np
import pandas as pd

FIGURE_CACHE_SIZE = 48
"""Figures kept per process: every chart of a few scopes, bounded so that national-scale
figures (up to 1 MB each) never grow the process."""

F = TypeVar("F", bound=Callable)

_figures: OrderedDict[tuple, object] = OrderedDict()
_frames: dict[int, tuple[weakref.ref, int]] = {}
_counter = iter(range(1, 2**62))
_lock = threading.Lock()  # sessions rerun in threads of their own


class _Unkeyable(Exception):
    """An argument the memo cannot key: the figure is simply built."""


def _frame_token(frame: pd.DataFrame | pd.Series) -> int:
    """A number for this very object, valid while it lives."""
    with _lock:
        return _token_locked(frame)


def _token_locked(frame: pd.DataFrame | pd.Series) -> int:
    entry = _frames.get(id(frame))
    if entry is not None and entry[0]() is frame:
        return entry[1]
    token = next(_counter)
    key = id(frame)

    def forget(ref: weakref.ref, key: int = key) -> None:
        if _frames.get(key, (None,))[0] is ref:
            del _frames[key]

    try:
        _frames[key] = (weakref.ref(frame, forget), token)
    except TypeError as error:  # an object without weak references
        raise _Unkeyable from error
    return token


def _numeric_sums(frame: pd.DataFrame | pd.Series) -> tuple:
    """Sums of the numeric columns (NaN skipped): a change in place shows in one of them."""
    columns = frame.to_frame() if isinstance(frame, pd.Series) else frame
    out = []
    for _, column in columns.items():
        if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            values = pd.to_numeric(column, errors="coerce").to_numpy(dtype="float64",
                                                                     na_value=np.nan)
            out.append(float(np.nansum(values)))
            out.append(int(np.isnan(values).sum()))
    return tuple(out)


def _frame_key(frame: pd.DataFrame | pd.Series) -> tuple:
    columns = tuple(map(str, frame.columns)) if isinstance(frame, pd.DataFrame) else (frame.name,)
    return ("frame", _frame_token(frame), frame.shape, columns, _numeric_sums(frame))


def _key(value: object) -> object:
    """A hashable stand-in for an argument; ``_Unkeyable`` for what cannot be keyed."""
    if isinstance(value, pd.DataFrame | pd.Series):
        return _frame_key(value)
    if value is None or isinstance(value, str | bool | int | date):
        return (type(value).__name__, value)
    if isinstance(value, float):
        return ("float", "nan" if math.isnan(value) else value)
    if isinstance(value, list | tuple):
        return (type(value).__name__, tuple(_key(v) for v in value))
    if isinstance(value, set | frozenset):
        return ("set", tuple(sorted(map(repr, (_key(v) for v in value)))))
    if isinstance(value, Mapping):
        return ("map", tuple(sorted((repr(_key(k)), _key(v)) for k, v in value.items())))
    raise _Unkeyable(type(value).__name__)


def memoized(func: F) -> F:
    """``func`` (a chart function, or any function of frames whose result callers only read)
    remembering its last results, ``FIGURE_CACHE_SIZE`` across all such functions, keyed by
    its name and arguments (frames by identity and content checks, see the module's
    docstring). Arguments it cannot key call ``func`` anyway."""
    name = f"{func.__module__}.{func.__qualname__}"

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            key = (name, _key(args), _key(kwargs))
        except _Unkeyable:
            return func(*args, **kwargs)
        with _lock:
            figure = _figures.get(key)
            if figure is not None:
                _figures.move_to_end(key)
                return figure
        figure = func(*args, **kwargs)
        with _lock:
            _figures[key] = figure
            while len(_figures) > FIGURE_CACHE_SIZE:
                _figures.popitem(last=False)
        return figure

    wrapper.uncached = func  # for tests and benchmarks that time the drawing itself
    return wrapper  # type: ignore[return-value]


def clear() -> None:
    """Forget every figure (tests; a benchmark timing a cold page)."""
    with _lock:
        _figures.clear()
