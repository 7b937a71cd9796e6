"""Components: where each unit earns and loses its points, and how fields move together.

Every function takes frames plus keyword options and returns a new frame (or a small dict);
none changes its input.
"""
from __future__ import annotations

import math

import pandas as pd

from reform.analysis import ranking, scope
from reform.core.errors import UsageError

COMPONENT_PERCENT_COLUMNS = ["unit_id", "component", "name", "parent", "value", "max_value",
                             "percent"]
STRENGTH_COLUMNS = [
    "component", "name", "value", "max_value", "percent", "points_lost", "block_average",
    "block_best", "gap_to_average",
]
CORRELATION_METHODS = ("pearson", "spearman", "kendall")


def _period_scores(scores: pd.DataFrame, *, index: str, period: str) -> pd.DataFrame:
    """unit_id, component, value, max_value of ``index`` in ``period``, one row per pair."""
    mask = (scores["index"] == index) & (scores["period"] == period)
    rows = scores.loc[mask, ["unit_id", "component", "value", "max_value"]]
    if rows.empty:
        raise ranking.no_data(index, period, "*", scope.periods(scores, index))
    rows = rows.drop_duplicates(["unit_id", "component"], keep="last").reset_index(drop=True)
    return rows.assign(unit_id=rows["unit_id"].astype("str"),
                       component=rows["component"].astype("str"),
                       value=ranking.floats(rows["value"]),
                       max_value=ranking.floats(rows["max_value"]))


def component_percent(scores: pd.DataFrame, components: pd.DataFrame, *, index: str,
                      period: str) -> pd.DataFrame:
    """Every score of ``index`` in ``period`` with its component's name, parent and percent.

    Returns a new frame with columns ``unit_id, component, name, parent, value, max_value,
    percent``, sorted by unit id then component order. ``max_value`` is the score's own when
    known, else the component list's; ``name`` falls back to the code and ``parent`` to the
    code's parent ("1.2" → "1"). Raises UsageError when there is no score for that period.
    """
    rows = _period_scores(scores, index=index, period=period)
    listed = scope.component_list(components, index, period)
    rows = rows.merge(listed, on="component", how="left", suffixes=("", "_listed"))
    max_value = rows["max_value"].fillna(rows["max_value_listed"])
    name = rows["name"].fillna("")
    parent = rows["parent"].where(rows["parent"].notna(),
                                  scope.map_distinct(rows["component"], scope.parent_code))
    rows = rows.assign(
        name=name.where(name != "", rows["component"]).astype("str"),
        parent=parent.astype("str"),
        max_value=max_value,
        percent=ranking.percent_of_max(rows["value"].to_numpy(), max_value.to_numpy()),
    )
    return scope.sort_components(rows, first="unit_id")[COMPONENT_PERCENT_COLUMNS]


def _block_components(scores: pd.DataFrame, units: pd.DataFrame, components: pd.DataFrame, *,
                      index: str, period: str, level: str | None, depth: int) -> pd.DataFrame:
    """``component_percent`` rows of one depth with the unit's name and level."""
    rows = component_percent(scores, components, index=index, period=period)
    rows = rows[scope.map_distinct(rows["component"], scope.component_depth) == depth]
    rows = scope.attach_units(rows.assign(period=period), units)
    if level is not None:
        rows = rows[rows["level"] == level]
    return rows.reset_index(drop=True)


def component_matrix(scores: pd.DataFrame, units: pd.DataFrame, components: pd.DataFrame, *,
                     index: str, period: str, level: str | None = None,
                     depth: int = 1) -> pd.DataFrame:
    """Units × components of one depth, in % of maximum, for heatmaps.

    Returns a new wide frame: index = unit names in Vietnamese order (index name "unit"),
    columns = component names of that depth in component order (columns name "component"),
    values percent (NaN when unknown). Raises UsageError when there is no score for the
    period or no component of that depth.
    """
    rows = _block_components(scores, units, components, index=index, period=period,
                             level=level, depth=depth)
    if rows.empty:
        raise UsageError.of("analysis.no_depth_scores", depth=depth, index=index, period=period)
    wide = rows.pivot(index="unit_id", columns="component", values="percent")
    codes = sorted(wide.columns, key=scope.component_sort_key)
    names = rows.drop_duplicates("component").set_index("component")["name"]
    unit_names = rows.drop_duplicates("unit_id").set_index("unit_id")["unit"]
    order = pd.DataFrame({"unit_id": wide.index, "unit": unit_names.reindex(wide.index).values})
    order = order.assign(_name=scope.order_of(order["unit"])).sort_values(
        ["_name", "unit_id"], kind="stable")
    matrix = wide.loc[order["unit_id"], codes]
    matrix.index = pd.Index(order["unit"].to_numpy(), name="unit", dtype="str")
    matrix.columns = pd.Index([names[c] for c in codes], name="component", dtype="str")
    return matrix


def strengths_weaknesses(scores: pd.DataFrame, units: pd.DataFrame, components: pd.DataFrame, *,
                         index: str, period: str, unit_id: str,
                         level: str | None = None) -> pd.DataFrame:
    """One unit's fields (depth-1 components) against its block, weakest first.

    Returns a new frame with columns ``component, name, value, max_value, percent,
    points_lost, block_average, block_best, gap_to_average`` where ``points_lost = max_value -
    value`` and the block figures are the mean and best percent of the units of ``level``
    (the unit's own level when None); sorted by ``gap_to_average`` ascending, then component.
    Raises UsageError when the unit has no field score in that period.
    """
    rows = _block_components(scores, units, components, index=index, period=period,
                             level=None, depth=1)
    mine = rows[rows["unit_id"] == unit_id]
    if mine.empty:
        raise UsageError.of("analysis.no_field_scores", unit=unit_id, index=index, period=period)
    block_level = mine["level"].iloc[0] if level is None else level
    block = rows[rows["level"] == block_level].groupby("component")["percent"]
    result = mine.assign(
        points_lost=mine["max_value"] - mine["value"],
        block_average=mine["component"].map(block.mean()),
        block_best=mine["component"].map(block.max()),
    )
    result = result.assign(gap_to_average=result["percent"] - result["block_average"])
    result = scope.sort_components(result)
    result = result.sort_values("gap_to_average", kind="stable", na_position="last")
    return result[STRENGTH_COLUMNS].reset_index(drop=True)


def correlations(matrix: pd.DataFrame, method: str = "pearson") -> pd.DataFrame:
    """Component × component correlation of a ``component_matrix`` (pairwise, NaN skipped).

    Returns a new square frame. Raises UsageError for a method other than pearson, spearman
    or kendall.
    """
    if method not in CORRELATION_METHODS:
        raise UsageError.of("analysis.unknown_correlation", method=method)
    return matrix.astype("float64").corr(method=method)


def index_correlation(frame: pd.DataFrame, x: str, y: str) -> dict:
    """Pearson and Spearman correlation of two columns over rows where both are present.

    Returns ``{"pearson": float, "spearman": float, "n": int}``; the coefficients are NaN
    with fewer than 3 pairs or when a column is constant. Raises UsageError for a missing
    column.
    """
    missing = [c for c in (x, y) if c not in frame.columns]
    if missing:
        raise UsageError.of("analysis.no_column", missing=", ".join(missing),
                            columns=", ".join(map(str, frame.columns)))
    pairs = pd.DataFrame({"x": ranking.floats(frame[x]), "y": ranking.floats(frame[y])}).dropna()
    n = len(pairs)
    result = {"pearson": math.nan, "spearman": math.nan, "n": n}
    if n >= 3 and pairs["x"].nunique() > 1 and pairs["y"].nunique() > 1:
        from scipy import stats  # here, not at import: scipy adds a second to the app's start

        result["pearson"] = float(stats.pearsonr(pairs["x"], pairs["y"]).statistic)
        result["spearman"] = float(stats.spearmanr(pairs["x"], pairs["y"]).statistic)
    return result


__all__ = [
    "COMPONENT_PERCENT_COLUMNS", "CORRELATION_METHODS", "STRENGTH_COLUMNS", "component_matrix",
    "component_percent", "correlations", "index_correlation", "strengths_weaknesses",
]
