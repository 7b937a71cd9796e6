"""The lean score table's shape, shared by the store's reads and the snapshot (which a restarted
app imports without the store itself, SQLAlchemy included)."""
from __future__ import annotations

import pandas as pd

from reform.core.model import SCORE_COLUMNS

LEAN_KEYS = ("index", "period", "unit_id", "component")
"""Score columns a lean read (``Store.scores(lean=True)``) gives as categoricals: a handful of
indices, ten periods, forty components and ten thousand units repeat over millions of rows."""
LEAN_SCORE_COLUMNS = [c for c in SCORE_COLUMNS if c != "source"]
"""The score columns a lean read gives: no cell reference per score (the rows keep it)."""


def concat_categorical(frames: list[pd.DataFrame], keys: tuple[str, ...]) -> pd.DataFrame:
    """``frames`` one under the other, ``keys`` categorical over the union of their values
    (sorted, so sorting by a key still sorts by its text). ``pd.concat`` alone turns
    categoricals of different categories into objects: millions of Python strings."""
    frames = [f for f in frames if len(f)] or frames[:1]
    categories = {key: sorted(set().union(*(
        f[key].astype("category").cat.categories for f in frames))) for key in keys}
    # ``set_categories``, not ``astype``: unordered categoricals of the same values in another
    # order count as one dtype, and ``astype`` would keep a dictionary read's order.
    return pd.concat([f.assign(**{key: f[key].astype("category").cat.set_categories(values)
                                  for key, values in categories.items()}) for f in frames],
                     ignore_index=True)
