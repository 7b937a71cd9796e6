"""Units across a reorganisation: predecessors, successors, and results re-aggregated onto the
units valid at a date.

A new unit's value is the mean of its predecessors' values (whole and partial alike), or the
weighted mean when every link of it carries a weight; every component alike. It needs values
for at least ``min_coverage`` of its predecessors; ``coverage`` says how many had one
("13/14"). Units that no link touches keep their own values.
"""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from reform.analysis import scope
from reform.core import config

COMPOSITE_COLUMNS = ["index", "period", "unit_id", "component", "value", "max_value",
                     "covered", "predecessors", "coverage"]


def links_in_force(links: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """The links that took effect on or before ``as_of``: a period shown 'as of' a date earlier
    than the reorganisation keeps its own units."""
    if links.empty:
        return links
    return links[pd.to_datetime(links["effective"]).dt.date <= as_of]


def predecessors(links: pd.DataFrame, unit_id: str) -> pd.DataFrame:
    """The links into ``unit_id``: its predecessors, with kinds, dates and weights."""
    return links[links["new_unit_id"] == unit_id].reset_index(drop=True)


def successors(links: pd.DataFrame, unit_id: str) -> pd.DataFrame:
    """The links out of ``unit_id``: the units it went into, with kinds and dates."""
    return links[links["old_unit_id"] == unit_id].reset_index(drop=True)


def reaggregate(scores: pd.DataFrame, links: pd.DataFrame, *,
                min_coverage: float = config.LINEAGE_MIN_COVERAGE) -> pd.DataFrame:
    """``scores`` (index, period, unit_id, component, value, max_value) on the new units of
    ``links``, with ``COMPOSITE_COLUMNS``; a new frame.

    A unit of ``scores`` that no link names is carried as it is, with coverage '1/1'. A new unit
    whose covered share is below ``min_coverage`` has NaN value and max_value.

    >>> scores = pd.DataFrame({"index": "PAR", "period": "2024", "unit_id": ["a", "b"],
    ...                        "component": "TOTAL", "value": [80.0, 90.0], "max_value": 100.0})
    >>> links = pd.DataFrame({"old_unit_id": ["a", "b", "c"], "new_unit_id": "n",
    ...                       "weight": float("nan")})
    >>> reaggregate(scores, links)[["unit_id", "value", "coverage"]].to_dict("records")
    [{'unit_id': 'n', 'value': 85.0, 'coverage': '2/3'}]
    """
    linked = scores["unit_id"].isin(links["old_unit_id"])
    merged = composites(scores[linked], links, min_coverage)
    kept = scores.loc[~linked, ["index", "period", "unit_id", "component", "value", "max_value"]]
    kept = kept.assign(covered=1, predecessors=1, coverage="1/1")
    out = pd.concat([merged, kept], ignore_index=True)
    return out.reindex(columns=COMPOSITE_COLUMNS)


def composites(scores: pd.DataFrame, links: pd.DataFrame, min_coverage: float) -> pd.DataFrame:
    """The re-aggregated rows of the new units the linked ``scores`` reach."""
    pairs = links[["old_unit_id", "new_unit_id", "weight"]].drop_duplicates(["old_unit_id", "new_unit_id"])
    sizes = pairs.groupby("new_unit_id").size().rename("predecessors")
    weighted = pairs.groupby("new_unit_id")["weight"].apply(lambda w: bool(w.notna().all()))
    rows = scores.merge(pairs, left_on="unit_id", right_on="old_unit_id")
    rows = rows[rows["value"].notna()]
    rows["weight"] = np.where(rows["new_unit_id"].map(weighted), rows["weight"], 1.0)
    rows["weighted_value"] = rows["value"] * rows["weight"]
    rows["weighted_max"] = rows["max_value"] * rows["weight"]
    keys = ["index", "period", "new_unit_id", "component"]
    sums = rows.groupby(keys, sort=False).agg(
        weighted_value=("weighted_value", "sum"), weighted_max=("weighted_max", "sum"),
        weight=("weight", "sum"), covered=("old_unit_id", "nunique"),
        max_known=("max_value", "count")).reset_index()
    sums["predecessors"] = sums["new_unit_id"].map(sizes).astype(int)
    enough = sums["covered"] >= np.ceil(sums["predecessors"] * min_coverage - 1e-9)
    sums["value"] = np.where(enough, sums["weighted_value"] / sums["weight"], np.nan)
    max_value = sums["weighted_max"] / sums["weight"]
    sums["max_value"] = np.where(enough & (sums["max_known"] == sums["covered"]), max_value, np.nan)
    sums["coverage"] = sums["covered"].astype(str) + "/" + sums["predecessors"].astype(str)
    return sums.rename(columns={"new_unit_id": "unit_id"})[COMPOSITE_COLUMNS]


def needed(predecessor_count: int, min_coverage: float = config.LINEAGE_MIN_COVERAGE) -> int:
    """How many predecessors need a value: at least half of 14 is 7."""
    return int(np.ceil(predecessor_count * min_coverage - 1e-9))


def scores_on_units_at(scores: pd.DataFrame, links: pd.DataFrame, *, index: str,
                       periods: list[str], when: date,
                       min_coverage: float = config.LINEAGE_MIN_COVERAGE) -> pd.DataFrame:
    """``scores`` with the rows of ``index`` in each of ``periods`` moved onto the units valid on
    ``when``: re-aggregated through the links that took effect after the period's own date and
    by ``when``. Other rows are untouched. A new frame with a ``coverage`` column ('' on rows
    that were not moved) and ``source`` 'lineage:<coverage>' on moved ones.
    """
    out = scores.assign(coverage="")
    in_force = links_in_force(links, when)
    if in_force.empty:
        return out
    effective = pd.to_datetime(in_force["effective"]).dt.date
    # Periods that the same links move are re-aggregated in one pass: a profile or trend
    # over ten years costs one groupby, not ten.
    batches: dict[tuple, list[str]] = {}
    for period in periods:
        own = scope.period_date(period)
        moving = effective > own if own is not None else None
        if moving is not None and moving.any():
            batches.setdefault(tuple(in_force.index[moving]), []).append(period)
    columns = ["index", "period", "unit_id", "component", "value", "max_value"]
    for rows, batch in batches.items():
        here = (out["index"] == index) & out["period"].isin(batch)
        if not here.any():
            continue
        composite = reaggregate(out.loc[here, columns], in_force.loc[list(rows)],
                                min_coverage=min_coverage)
        composite = composite[composite["value"].notna() | (composite["coverage"] != "1/1")]
        moved = composite.assign(source="lineage:" + composite["coverage"], version=pd.NA)
        out = pd.concat([out[~here], moved.reindex(columns=out.columns)], ignore_index=True)
    return out


def reorganised_between(links: pd.DataFrame, earlier: str, later: str) -> bool:
    """Whether a reorganisation took effect after period ``earlier`` closed and by the end of
    ``later``: the two periods then stand on different units."""
    start, end = scope.period_date(earlier), scope.period_date(later)
    if links.empty or start is None or end is None:
        return False
    effective = pd.to_datetime(links["effective"]).dt.date
    return bool(((effective > start) & (effective <= end)).any())


def on_units(scores: pd.DataFrame, links: pd.DataFrame, *, index: str, period: str,
             as_of: date | None = None) -> pd.DataFrame:
    """``scores`` with ``period`` and its previous period on one set of units, and a
    ``coverage`` column ('13/14' on re-aggregated rows, '' elsewhere); a new frame.

    With ``as_of`` both periods are shown on the units valid that day. Without it, when a
    reorganisation lies between the previous period and ``period``, the previous period is
    re-aggregated onto the units ``period`` stands on, so a rank change compares like with
    like (never an old unit that only shares a new one's name). Without links nothing moves.
    """
    if links is None or links.empty:
        return scores.assign(coverage="")
    before = scope.previous_period(scope.periods(scores, index), period)
    if as_of is not None:
        wanted = [p for p in (period, before) if p]
        return scores_on_units_at(scores, links, index=index, periods=wanted, when=as_of)
    if before and reorganised_between(links, before, period):
        return scores_on_units_at(scores, links, index=index, periods=[before],
                                  when=scope.period_date(period))
    return scores.assign(coverage="")


def with_coverage(table: pd.DataFrame, scores: pd.DataFrame, *, index: str, period: str,
                  component: str) -> pd.DataFrame:
    """A ranking ``table`` with the ``coverage`` of each unit's value in ``scores`` (from
    ``on_units``); '' for values that were not re-aggregated."""
    here = scores[(scores["index"] == index) & (scores["period"] == str(period))
                  & (scores["component"] == component)]
    coverage = dict(zip(here["unit_id"], here["coverage"], strict=True))
    return table.assign(coverage=table["unit_id"].map(coverage).fillna(""))


def composite_history(scores: pd.DataFrame, links: pd.DataFrame, *, unit_id: str, index: str,
                      min_coverage: float = config.LINEAGE_MIN_COVERAGE) -> pd.DataFrame:
    """``scores`` with the periods of ``index`` that closed before ``unit_id`` existed
    re-aggregated onto it from its predecessors (the links into it): the history a new unit
    had before it was made, every component alike. Other units' rows are left as they are,
    so ranks in those periods are among the old units and this one composite. A new frame
    with ``coverage``; ``scores`` unchanged (with an empty ``coverage``) when no link leads
    into ``unit_id``.
    """
    into = predecessors(links, unit_id)
    if into.empty:
        return scores.assign(coverage="")
    start = pd.to_datetime(into["effective"]).dt.date.min()
    before = [p for p in scope.periods(scores, index)
              if (scope.period_date(p) or start) < start]
    return scores_on_units_at(scores, into, index=index, periods=before, when=start,
                              min_coverage=min_coverage)


def merged_into(links: pd.DataFrame, unit_id: str) -> tuple[list[str], date | None]:
    """The units ``unit_id`` went into (several when it was split), in the order of the
    links, and the day that took effect; ``([], None)`` for a unit no link leads out of, or
    one that was kept as it was (its only link is to itself)."""
    out = successors(links, unit_id)
    out = out[out["new_unit_id"] != unit_id]
    if out.empty:
        return [], None
    day = pd.to_datetime(out["effective"]).dt.date.min()
    return list(dict.fromkeys(out["new_unit_id"])), day
