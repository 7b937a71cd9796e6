"""The rule every ranking in the app follows: competition rank (1, 2, 2, 4) with its rounding,
and percent of maximum. Kept apart from ``ranking`` so that ``groups`` (quartiles need a rank)
and ``ranking`` (a ranking needs groups) both build on it without importing each other.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

RANK_DECIMALS = 9
"""Decimals kept before ranking: far below any printed precision, above float noise (so
40/50 and 80/100 tie). The rounding the ranking has always used."""

Number = float | np.ndarray | pd.Series


# ---------------------------------------------------------------------------------------------
# The rule: percent of maximum and competition rank
# ---------------------------------------------------------------------------------------------

def percent_of_max(value: Number, max_value: Number) -> Number:
    """``value / max_value × 100`` where the maximum is positive, NaN elsewhere.

    Takes scalars, arrays or Series (aligned by position) and returns the same kind (a Series
    keeps ``value``'s index). Raises nothing.

    >>> percent_of_max(40.0, 50.0), percent_of_max(3.0, 0.0)
    (80.0, nan)
    """
    v = np.asarray(value, dtype="float64")
    m = np.asarray(max_value, dtype="float64")
    result = percent_into(v, m, np.empty(np.broadcast(v, m).shape, dtype="float64"))
    if isinstance(value, pd.Series):
        return pd.Series(result, index=value.index, dtype="float64")
    if result.ndim == 0:
        return float(result)
    return result


def percent_into(value: np.ndarray, max_value: np.ndarray, out: np.ndarray) -> np.ndarray:
    """The rule of ``percent_of_max`` on float64 arrays, written into ``out`` (returned).

    No temporary array: ``rank_all`` applies it to millions of rows a batch at a time.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        np.divide(value, max_value, out=out)
    out *= 100.0
    out[~(max_value > 0)] = np.nan
    return out


def floats(series: pd.Series) -> np.ndarray:
    """``series`` as float64 numbers, NaN where it holds no number."""
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _rank_steps(score: np.ndarray, missing: np.ndarray, n_groups: int,
                decimals: int) -> tuple[np.ndarray, int, int]:
    """Each score as an int64 step (rounded to ``decimals``) and the lowest and highest step."""
    # At national scale (4 M rows) fresh arrays cost as much as the arithmetic, so the steps
    # below work in place wherever they can.
    filled = np.where(missing, 0.0, score)
    top = max(float(filled.max()), -float(filled.min()))
    if top * 10.0**decimals < 1e15:
        # Then score × 10^decimals rounds to an exact integer (as np.round does), so one int64
        # key (group, then score descending) replaces two slower float sorts.
        np.multiply(filled, 10.0**decimals, out=filled)
        np.rint(filled, out=filled)
        steps = filled.astype(np.int64)
        low, high = int(steps.min()), int(steps.max())
        if n_groups * (high - low + 2) < 2**62:
            return steps, low, high
    # Huge scores: rank the distinct rounded values instead (slower, exact).
    filled = np.where(missing, 0.0, score)
    steps = np.unique(np.round(filled, decimals), return_inverse=True)[1].astype(np.int64)
    return steps, 0, int(steps.max())


def rank_in_groups(gid: np.ndarray, score: np.ndarray, n_groups: int, *,
                   decimals: int = RANK_DECIMALS) -> pd.arrays.IntegerArray:
    """Competition rank (1, 2, 2, 4) of ``score`` descending within each group ``gid``.

    ``gid`` holds group numbers 0..n_groups-1. Scores equal once rounded to ``decimals``
    tie. Returns an ``Int64`` array aligned with the input, ``<NA>`` where the score is NaN.
    Raises nothing.
    """
    n = len(score)
    if n == 0:
        return pd.array([], dtype="Int64")
    missing = np.isnan(score)
    steps, low, high = _rank_steps(score, missing, n_groups, decimals)
    span = high - low + 2  # one more slot below the lowest value for missing scores
    np.subtract(high, steps, out=steps)
    steps[missing] = span - 1
    key = gid.astype(np.int64)
    key *= span
    key += steps
    del steps
    order = np.argsort(key)
    key = key[order]
    # Position of the first row of each run of equal keys (a run never spans two groups).
    is_start = np.ones(n, dtype=bool)
    np.not_equal(key[1:], key[:-1], out=is_start[1:])
    run_start = np.arange(n, dtype=np.int64)
    np.multiply(run_start, is_start, out=run_start)
    np.maximum.accumulate(run_start, out=run_start)
    # A group's rows are contiguous once sorted: its first position is the number of rows in
    # the groups before it.
    first_of_group = np.zeros(n_groups, dtype=np.int64)
    np.cumsum(np.bincount(gid, minlength=n_groups)[:-1], out=first_of_group[1:])
    np.floor_divide(key, span, out=key)
    run_start -= first_of_group[key]
    run_start += 1
    ranks = np.empty(n, dtype=np.int64)
    ranks[order] = run_start
    ranks[missing] = 0
    return pd.arrays.IntegerArray(ranks, missing)


def competition_rank(values: pd.Series, *, decimals: int = RANK_DECIMALS,
                     ascending: bool = False) -> pd.Series:
    """THE rank of the app: competition ranking (1, 2, 2, 4), best (highest) first.

    Values are rounded to ``decimals`` before ranking, so values equal once rounded share a
    rank; ``ascending=True`` ranks the lowest first. Returns a new ``Int64`` Series aligned
    with ``values``, ``<NA>`` where the value is missing. Raises nothing.

    >>> competition_rank(pd.Series([90.0, 80.004, 80.001, 70.0]), decimals=2).tolist()
    [1, 2, 2, 4]
    """
    score = floats(values)
    if ascending:
        score = -score
    ranks = rank_in_groups(np.zeros(len(score), dtype=np.int64), score, 1, decimals=decimals)
    return pd.Series(ranks, index=values.index, dtype="Int64")
