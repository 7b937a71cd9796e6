"""Rows in the order of a ranking: leaders read a table or a heatmap from the top down and
expect the best unit first, as in the ranking beside it, not the alphabet."""
from __future__ import annotations

import pandas as pd


def rows_by_rank(matrix: pd.DataFrame, ranking: pd.DataFrame) -> pd.DataFrame:
    """``matrix`` (rows named by unit name, as ``component_matrix`` gives them) with its rows
    in the order of ``ranking`` (a ``rank_units`` table, best first); rows the ranking does
    not name keep their order after the ranked ones. A new frame; the columns are untouched.

    >>> m = pd.DataFrame({"1": [1.0, 2.0, 3.0]}, index=["An", "Bình", "Cư"])
    >>> r = pd.DataFrame({"unit": ["Cư", "An"], "rank": [1, 2]})
    >>> list(rows_by_rank(m, r).index)
    ['Cư', 'An', 'Bình']
    """
    place = {name: i for i, name in reversed(list(enumerate(ranking["unit"].astype(str))))}
    last = len(place)
    keys = [place.get(str(name), last) for name in matrix.index]
    # positions, not labels: two units may share a name, and a stable sort keeps their order
    order = sorted(range(len(keys)), key=keys.__getitem__)
    return matrix.iloc[order]
