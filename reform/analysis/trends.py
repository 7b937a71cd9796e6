"""Trends: how units and the methodology moved between periods.

Every function takes frames plus keyword options and returns a new frame; none changes its
input.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from reform.analysis import ranking, scope
from reform.core.errors import UsageError
from reform.core.model import TOTAL

SERIES_COLUMNS = ["unit_id", "unit", "period", "value", "max_value", "percent", "rank"]
METHODOLOGY_COLUMNS = ["component", "name", "change", "max_from", "max_to"]
MOVER_COLUMNS = [
    "unit_id", "unit", "percent_from", "percent_to", "delta_percent", "rank_from", "rank_to",
    "rank_change", "methodology_changed",
]
FIELD_CHANGE_COLUMNS = ["component", "name", "value_from", "value_to", "delta"]


def _series_rows(scores: pd.DataFrame, units: pd.DataFrame, *, index: str,
                 level: str | None, component: str) -> pd.DataFrame:
    """One row per unit and period of ``component``, with the unit's name in its latest period."""
    mask = (scores["index"] == index) & (scores["component"] == component)
    rows = scores.loc[mask, ["unit_id", "period", "value", "max_value"]]
    if rows.empty:
        raise ranking.no_data(index, "*", component, scope.periods(scores, index))
    rows = rows.drop_duplicates(["unit_id", "period"], keep="last").reset_index(drop=True)
    rows = rows.assign(unit_id=rows["unit_id"].astype("str"),
                       period=rows["period"].astype("str"),
                       value=ranking.floats(rows["value"]),
                       max_value=ranking.floats(rows["max_value"]))
    rows = scope.attach_units(rows, units)
    if level is not None:
        rows = rows[rows["level"] == level].reset_index(drop=True)
    latest = rows.sort_values("period", kind="stable").drop_duplicates("unit_id", keep="last")
    return rows.assign(unit=rows["unit_id"].map(latest.set_index("unit_id")["unit"]))


def unit_series(scores: pd.DataFrame, units: pd.DataFrame, *, index: str,
                level: str | None = None, component: str = TOTAL,
                basis: str = "percent") -> pd.DataFrame:
    """Every unit's value, percent and rank in each period of ``index`` (for trend charts).

    Returns a new frame with columns ``unit_id, unit, period, value, max_value, percent, rank``
    (rank within the block of that period), sorted by unit name in Vietnamese order, then
    period. ``unit`` is the unit's name in its latest period, so a renamed unit keeps one line.
    Raises UsageError when ``index`` has no data for ``component`` (or for an unknown basis).
    """
    ranking.check_basis(basis)
    rows = _series_rows(scores, units, index=index, level=level, component=component)
    gid, blocks = pd.factorize(rows["period"])
    value = rows["value"].to_numpy()
    percent = ranking.percent_of_max(value, rows["max_value"].to_numpy())
    score = ranking.ranking_score(gid, len(blocks), value, percent, basis)
    rows = rows.assign(percent=percent, rank=ranking.rank_in_groups(gid, score, len(blocks)))
    rows = rows.assign(_name=scope.order_of(rows["unit"]))
    rows = rows.sort_values(["_name", "unit_id", "period"], kind="stable")
    return rows[SERIES_COLUMNS].reset_index(drop=True)


def methodology_changes(components: pd.DataFrame, *, index: str, period_from: str,
                        period_to: str) -> pd.DataFrame:
    """What changed in the component tree of ``index`` between two periods.

    Returns a new frame with columns ``component, name, change, max_from, max_to``, one row per
    component whose maximum changed ("max_changed"), that appeared ("added") or that
    disappeared ("removed"), in component order; empty (same columns) when nothing changed.
    Components are matched by code. Raises UsageError when a period has no components.
    """
    old = scope.component_list(components, index, period_from)
    new = scope.component_list(components, index, period_to)
    for period, frame in ((period_from, old), (period_to, new)):
        if frame.empty:
            raise UsageError.of("analysis.no_component_list", index=index, period=period)
    both = old.merge(new, on="component", how="outer", suffixes=("_from", "_to"),
                     indicator=True)
    max_from, max_to = both["max_value_from"], both["max_value_to"]
    differs = ~np.isclose(max_from, max_to, rtol=0.0, atol=1e-9, equal_nan=True)
    change = np.select(
        [both["_merge"] == "right_only", both["_merge"] == "left_only", differs],
        ["added", "removed", "max_changed"], default="",
    )
    result = pd.DataFrame({
        "component": both["component"].astype("str"),
        "name": both["name_to"].fillna(both["name_from"]).fillna("").astype("str"),
        "change": pd.Series(change, dtype="str"),
        "max_from": max_from.astype("float64"),
        "max_to": max_to.astype("float64"),
    })
    result = result[result["change"] != ""]
    return scope.sort_components(result)[METHODOLOGY_COLUMNS]


def _methodology_changed(components: pd.DataFrame | None, *, index: str, period_from: str,
                         period_to: str) -> bool:
    """Whether both periods list components and ``methodology_changes`` finds a change."""
    if components is None:
        return False
    listed = set(components.loc[components["index"] == index, "period"])
    if not {period_from, period_to} <= listed:
        return False
    return not methodology_changes(components, index=index, period_from=period_from,
                                   period_to=period_to).empty


def biggest_movers(
    scores: pd.DataFrame,
    units: pd.DataFrame,
    components: pd.DataFrame | None = None,
    *,
    index: str,
    period_from: str,
    period_to: str,
    level: str | None = None,
    component: str = TOTAL,
    n: int | None = 5,
) -> pd.DataFrame:
    """Units ranked in both periods, from the biggest gainer to the biggest loser.

    Returns a new frame with columns ``unit_id, unit, percent_from, percent_to, delta_percent,
    rank_from, rank_to, rank_change, methodology_changed``, sorted by ``rank_change`` (rank_from
    - rank_to, positive = moved up) descending, then ``delta_percent`` descending. Gainers are
    the head, losers the tail: with ``n`` the frame keeps the first ``n`` and the last ``n``
    rows (every unit when the block has at most ``2n``), ``n=None`` keeps every unit. A unit
    ranked in one period only is left out. ``methodology_changed`` is True on every row when
    ``components`` is given, lists both periods, and ``methodology_changes`` finds a change.

    Raises UsageError when either period has no data (see ``ranking.rank_units``).
    """
    frames = []
    available, rows = ranking.select_rows(scores, index=index, component=component)
    for period in (period_from, period_to):
        ranking.check_period(available, rows, index=index, period=period, component=component)
        block = ranking.rank_block(rows, units, period=period, level=level, parent_id=None,
                                   basis="percent")
        frames.append(block[block["rank"].notna()])
    old, new = frames
    both = new[["unit_id", "unit", "percent", "rank"]].merge(
        old[["unit_id", "percent", "rank"]], on="unit_id", suffixes=("_to", "_from"))
    movers = both.assign(
        delta_percent=both["percent_to"] - both["percent_from"],
        rank_change=both["rank_from"] - both["rank_to"],
        methodology_changed=_methodology_changed(components, index=index,
                                                 period_from=period_from, period_to=period_to),
    )
    movers = movers.assign(_name=scope.order_of(movers["unit"]))
    movers = movers.sort_values(["rank_change", "delta_percent", "_name", "unit_id"],
                                ascending=[False, False, True, True], kind="stable",
                                na_position="last").reset_index(drop=True)
    if n is not None and len(movers) > 2 * n:
        movers = pd.concat([movers.head(n), movers.tail(n)], ignore_index=True)
    return movers[MOVER_COLUMNS]


def _field_points(scores: pd.DataFrame, *, index: str, unit_id: str,
                  period: str) -> pd.DataFrame:
    """component, value of ``unit_id``'s fields (depth-1 components) in ``period``."""
    mask = ((scores["index"] == index) & (scores["period"] == period)
            & (scores["unit_id"] == unit_id))
    rows = scores.loc[mask, ["component", "value"]].drop_duplicates("component", keep="last")
    rows = rows.assign(component=rows["component"].astype("str"),
                       value=ranking.floats(rows["value"]))
    return rows[rows["component"].map(scope.component_depth) == 1]


def field_changes(scores: pd.DataFrame, components: pd.DataFrame, *, index: str, unit_id: str,
                  period_from: str, period_to: str) -> pd.DataFrame:
    """Points of one unit in each field (depth-1 component) in two periods, and the change.

    Returns a new frame with columns ``component, name, value_from, value_to, delta`` (points;
    ``delta = value_to - value_from``, NaN when the field is missing in a period), in
    component order; name from ``period_to``'s component list, else ``period_from``'s, else
    the code. Fields are matched by code: when the methodology renumbered them, check
    ``methodology_changes`` first. Raises nothing.
    """
    both = _field_points(scores, index=index, unit_id=unit_id, period=period_from).merge(
        _field_points(scores, index=index, unit_id=unit_id, period=period_to),
        on="component", how="outer", suffixes=("_from", "_to"))
    names = pd.concat([scope.component_list(components, index, period_from),
                       scope.component_list(components, index, period_to)])
    names = names[names["name"] != ""].drop_duplicates("component", keep="last")
    name = both["component"].map(names.set_index("component")["name"])
    result = both.assign(
        name=name.fillna(both["component"]).astype("str"),
        delta=both["value_to"] - both["value_from"],
    )
    return scope.sort_components(result)[FIELD_CHANGE_COLUMNS]


__all__ = [
    "FIELD_CHANGE_COLUMNS", "METHODOLOGY_COLUMNS", "MOVER_COLUMNS", "SERIES_COLUMNS",
    "biggest_movers", "field_changes", "methodology_changes", "unit_series",
]
