"""Components page: the unit × field matrix, the ranking by one component and how the
fields correlate."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from reform.analysis import components
from reform.analysis.ranking import rank_units
from reform.core.model import TOTAL
from reform.present.pages.base import Snapshot
from reform.present.rank_order import rows_by_rank


@dataclass(frozen=True)
class Components:
    matrix: pd.DataFrame
    ranking: pd.DataFrame
    correlations: pd.DataFrame
    heatmap: pd.DataFrame
    """``matrix`` with its rows in the ranking's order, best first, as leaders read it."""


def build_components(data: Snapshot, *, index: str, period: str, level: str | None,
                     component: str = TOTAL) -> Components:
    """The Components page: the unit × field matrix (% of max, rows by name), the ranking by
    ``component``, the correlations between fields and the matrix in the ranking's order
    (``heatmap``: ordered here, once per scope, not on every rerun of the page).
    Raises UsageError when there is no data."""
    matrix = components.component_matrix(data.scores, data.units, data.components, index=index,
                                        period=period, level=level)
    ranking = rank_units(data.scores, data.units, index=index, period=period,
                                   level=level, component=component, published=data.published)
    corr = components.correlations(matrix) if matrix.shape[1] >= 2 else pd.DataFrame()
    return Components(matrix, ranking, corr, rows_by_rank(matrix, ranking))
