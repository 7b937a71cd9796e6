"""Weights: would the ranking hold if the fields weighed differently?"""
from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from reform.analysis import groups, ranking, scope
from reform.core.errors import UsageError

WHAT_IF_COLUMNS = [
    "unit_id", "unit", "base_rank", "new_rank", "rank_change", "base_group", "new_group", "score",
]


def _fields(scores: pd.DataFrame, *, index: str, period: str) -> pd.DataFrame:
    """unit_id, component, value, max_value of the depth-1 components of ``index``/``period``."""
    mask = (scores["index"] == index) & (scores["period"] == period)
    fields = scores.loc[mask & (scores["component"].map(scope.component_depth) == 1),
                        ["unit_id", "component", "value", "max_value"]]
    return fields.drop_duplicates(["unit_id", "component"], keep="last")


def _check_weights(weights: Mapping[str, float], known: set[str], *, index: str,
                   period: str) -> None:
    """Raise UsageError for a weight on a field not in ``known`` or a negative weight."""
    unknown = sorted(set(weights) - known, key=scope.component_sort_key)
    if unknown:
        listed = ", ".join(sorted(known, key=scope.component_sort_key)) or "—"
        raise UsageError.of("analysis.unknown_field", fields=", ".join(unknown), index=index,
                            period=period, known=listed)
    negative = sorted(code for code, w in weights.items() if not w >= 0)
    if negative:
        raise UsageError.of("analysis.negative_weight", fields=", ".join(negative))


def _added(fields: pd.DataFrame, weights: Mapping[str, float],
           unit_ids: pd.Series) -> pd.DataFrame:
    """Per unit of ``unit_ids``: points and maximum the weights add, and whether a maximum lacks."""
    weight = fields["component"].map(lambda code: float(weights.get(code, 1.0))).to_numpy()
    value, max_value = ranking.floats(fields["value"]), ranking.floats(fields["max_value"])
    # Only fields whose weight differs from 1 change anything; a missing field value is
    # "not applicable" and adds neither points nor maximum.
    counted = (weight != 1.0) & ~np.isnan(value)
    extra = pd.DataFrame({
        "unit_id": fields["unit_id"].astype("str").to_numpy(),
        "_points": np.where(counted, (weight - 1.0) * value, 0.0),
        "_max": np.where(counted, (weight - 1.0) * np.nan_to_num(max_value), 0.0),
        "_lacks": counted & np.isnan(max_value),
    })
    added = extra.groupby("unit_id")[["_points", "_max", "_lacks"]].sum()
    return added.reindex(unit_ids, fill_value=0)


def _reranked(base: pd.DataFrame, added: pd.DataFrame, *, index: str,
              period: str) -> pd.DataFrame:
    """The what-if table: ``base`` re-ranked on its weighted points over weighted maximum."""
    points = base["value"].to_numpy() + added["_points"].to_numpy()
    maximum = base["max_value"].to_numpy() + added["_max"].to_numpy()
    maximum[added["_lacks"].to_numpy() > 0] = np.nan
    percent, score, rank = ranking.rank_scores(points, maximum)
    new_rank = pd.Series(rank, index=base.index)
    score_series = pd.Series(score, index=base.index)
    new_group = groups.block_groups(pd.Series(percent, index=base.index), score_series,
                                    index=index, period=period)
    table = pd.DataFrame({
        "unit_id": base["unit_id"], "unit": base["unit"], "base_rank": base["rank"],
        "new_rank": new_rank, "rank_change": base["rank"] - new_rank,
        "base_group": base["group"], "new_group": new_group, "score": score_series,
    })
    return scope.sort_rows(table, "new_rank")[WHAT_IF_COLUMNS]


def _summary(table: pd.DataFrame) -> dict:
    """Counts of changes, the largest moves and rank correlations of a what-if table."""
    moved = table.dropna(subset=["rank_change"])
    up = moved[moved["rank_change"] > 0].sort_values("rank_change", ascending=False,
                                                     kind="stable").head(3)
    down = moved[moved["rank_change"] < 0].sort_values("rank_change", kind="stable").head(3)
    both = table.dropna(subset=["base_rank", "new_rank"])
    spearman = kendall = math.nan
    if len(both) >= 2 and both["base_rank"].nunique() > 1 and both["new_rank"].nunique() > 1:
        from scipy import stats  # here, not at import: scipy adds a second to the app's start

        a, b = both["base_rank"].astype("float64"), both["new_rank"].astype("float64")
        spearman = float(stats.spearmanr(a, b).statistic)
        kendall = float(stats.kendalltau(a, b).statistic)
    return {
        "units": len(table),
        "rank_changed": int((table["rank_change"].fillna(0) != 0).sum()),
        "group_changed": int((table["base_group"] != table["new_group"]).sum()),
        "largest_up": [(str(u), int(c)) for u, c in zip(up["unit"], up["rank_change"],
                                                        strict=True)],
        "largest_down": [(str(u), int(c)) for u, c in zip(down["unit"], down["rank_change"],
                                                          strict=True)],
        "spearman": spearman,
        "kendall": kendall,
    }


def what_if(scores: pd.DataFrame, units: pd.DataFrame, *, index: str, period: str,
            weights: Mapping[str, float], level: str | None = None,
            published: pd.DataFrame | None = None) -> tuple[pd.DataFrame, dict]:
    """Re-rank one block with each field (depth-1 component) weighted by ``weights``.

    Weights are keyed by field code (missing = 1.0) and multiply the field's points and
    maximum: the new score is ``100 × (total + Σ (w − 1) × points) / (max + Σ (w − 1) × field
    max)``. With every weight 1 this is the official total percent, bonus and penalty points
    included, so equal weights reproduce the base ranking exactly; a weight of 0 drops a
    field. (A plain Σ w × percent would not: fields have different maximums.) Without known
    maximums the score is the re-weighted points.

    Returns ``(table, summary)``. ``table`` has columns ``unit_id, unit, base_rank, new_rank,
    rank_change, base_group, new_group, score`` (rank_change = base_rank - new_rank), sorted by
    new rank. ``summary`` has ``units``, ``rank_changed`` and ``group_changed`` (counts),
    ``largest_up`` / ``largest_down`` (up to 3 ``(unit, rank_change)`` pairs, rank_change
    negative for falls), and ``spearman`` / ``kendall`` of the new ranks against the base
    (NaN when undefined).

    Raises UsageError for a weight on an unknown field, a negative weight, or no data.
    """
    base = ranking.rank_units(scores, units, index=index, period=period, level=level,
                              published=published)
    fields = _fields(scores, index=index, period=period)
    _check_weights(weights, set(fields["component"].astype(str)), index=index, period=period)
    added = _added(fields, weights, base["unit_id"])
    table = _reranked(base, added, index=index, period=period)
    return table, _summary(table)


__all__ = ["WHAT_IF_COLUMNS", "what_if"]
