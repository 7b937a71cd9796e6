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

import dataclasses
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
_sealed: dict[int, tuple] = {}
"""Keys of sealed frames by token, taken once (``seal``), forgotten with the frame."""
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

    def forget(ref: weakref.ref, key: int = key, token: int = token) -> None:
        _sealed.pop(token, None)
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
    # By dtype and position, not a Series per column: a page keys its national tables on
    # every rerun, and the per-column checks cost more than the sums.
    for position, dtype in enumerate(columns.dtypes):
        if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
            values = columns.iloc[:, position].to_numpy(dtype="float64", na_value=np.nan)
            missing = np.isnan(values)
            out.append(float(values[~missing].sum()))
            out.append(int(missing.sum()))
    return tuple(out)


def _frame_key(frame: pd.DataFrame | pd.Series) -> tuple:
    token = _frame_token(frame)
    sealed = _sealed.get(token)
    if sealed is not None:
        return sealed
    columns = tuple(map(str, frame.columns)) if isinstance(frame, pd.DataFrame) else (frame.name,)
    return ("frame", token, frame.shape, columns, _numeric_sums(frame))


def seal(value: object) -> None:
    """Mark the frames in ``value`` (a frame, or a view-model dataclass, tuple, list or dict
    holding frames) as shared read-only, as a cached view-model's and a memoized result's
    are: their content is summed once, here, instead of at every key. A page keys its
    national tables several times a rerun, and the sums were most of what a rerun cost.
    Changing a sealed frame in place is then not noticed: never do it."""
    if isinstance(value, pd.DataFrame | pd.Series):
        try:
            key = _frame_key(value)
        except _Unkeyable:
            return
        with _lock:
            _sealed[key[1]] = key
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            seal(getattr(value, item.name))
    elif isinstance(value, list | tuple):
        for item in value:
            seal(item)
    elif isinstance(value, Mapping):
        for item in value.values():
            seal(item)


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


def identity(value: object) -> object:
    """A hashable stand-in for ``value``, for a cache of what was drawn from it: frames and
    plain values as the memo keys them, any other object (a figure the memo returned) by its
    identity while it lives (never reused for another object). Raises TypeError for an
    argument that cannot be keyed that way.

    >>> table = pd.DataFrame({"value": [1.0, 2.0]})
    >>> identity(table) == identity(table), identity(table) == identity(table.copy())
    (True, False)
    """
    try:
        return _key(value)
    except _Unkeyable:
        pass
    try:
        return ("object", type(value).__name__, _frame_token(value))
    except _Unkeyable as error:
        raise TypeError(f"cannot key a {type(value).__name__}") from error


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
        seal(figure)  # a frame it returns is shared as the figures are
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
