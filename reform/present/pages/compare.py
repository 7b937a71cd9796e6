"""Compare page: two to five units side by side on each field."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from reform.analysis import components
from reform.present.pages.base import Snapshot, build_wide_ranking


def top_units(table: pd.DataFrame, *, n: int = 3) -> list[str]:
    """The unit ids of the ``n`` best-ranked rows of a ``rank_units`` table (ties in the
    table's order; unranked units never). The Compare page's default choice."""
    ranked = table[table["rank"].notna()]
    return list(ranked.sort_values("rank", kind="stable")["unit_id"].head(n))


def matrix_rows(matrix: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """The rows of a component matrix for ``names`` (unit names), in that order; names not
    in the matrix are left out."""
    return matrix.loc[[n for n in names if n in matrix.index]]


@dataclass(frozen=True)
class Comparison:
    matrix: pd.DataFrame
    table: pd.DataFrame
    fields: list[str]
    groups: list[str]


def build_comparison(data: Snapshot, *, index: str, period: str, level: str | None,
                     unit_ids: Sequence[str], lang: str = "vi") -> Comparison:
    """The Compare page for ``unit_ids`` (in that order): their rows of the component matrix
    (for ``charts.compare_units``) and of the wide ranking table."""
    names = [data.unit_names.get(u, u) for u in unit_ids]
    matrix = components.component_matrix(data.scores, data.units, data.components, index=index,
                                        period=period, level=level)
    rankings = build_wide_ranking(data, index=index, period=period, level=level, lang=lang)
    wide = rankings.wide.set_index("unit_id")
    table = wide.loc[[u for u in unit_ids if u in wide.index]].reset_index()
    return Comparison(matrix_rows(matrix, names), table, rankings.fields, rankings.groups)
