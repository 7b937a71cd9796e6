"""Citizen satisfaction (SIPAS) and how it sits beside the other indices.

SIPAS scores come in the canonical ``SCORE_COLUMNS`` frame with index "SIPAS": the total
(the SIPAS index, %, out of 100) and, under each element "1".."5" (access to the service,
the procedure, the officials, the result, feedback), three children: assessment (Đánh giá),
satisfaction (Hài lòng) and expectation (Kỳ vọng), in %. Files order the three differently,
so they are told apart by their component name in the components frame, never by position.

Every function takes frames plus keyword options and returns a new frame; none changes its
input. Bad options (unknown period, unit, level or column) raise ``UsageError``.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from reform.analysis import ranking, scope
from reform.core import config
from reform.core.errors import UsageError
from reform.core.model import TOTAL
from reform.core.text import collation_key, fold

INDEX = "SIPAS"

ROLES = ("assessment", "satisfaction", "expectation")

# Folded words naming each measure. Expectation is tried first, then satisfaction: a name
# like "Đánh giá mức độ hài lòng" is the satisfaction measure, not the assessment.
_ROLE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("expectation", ("ky vong", "mong doi", "expectation")),
    ("satisfaction", ("hai long", "satisfaction")),
    ("assessment", ("danh gia", "assessment")),
)

ELEMENT_COLUMNS = ["unit_id", "unit", "element", "element_name", *ROLES, "gap"]


def measure_role(name: object) -> str | None:
    """"assessment", "satisfaction" or "expectation" for a measure's component name; None
    when the name says none of them.

    >>> measure_role("Đánh giá"), measure_role("HÀI LÒNG"), measure_role("Kỳ vọng"), measure_role("x")
    ('assessment', 'satisfaction', 'expectation', None)
    """
    key = f" {fold(name)} "
    for role, words in _ROLE_WORDS:
        if any(f" {word} " in key for word in words):
            return role
    return None


def _percent(scores: pd.DataFrame) -> pd.Series:
    """Percent of maximum where the maximum is known (and positive), else the value itself."""
    value = pd.to_numeric(scores["value"]).astype("float64")
    percent = ranking.percent_of_max(value, pd.to_numeric(scores["max_value"]))
    return percent.where(percent.notna(), value)


def _scores_of(scores: pd.DataFrame, index: str, period: str) -> pd.DataFrame:
    """Rows of ``index`` in ``period``; UsageError naming the periods there are when none."""
    rows = scores[(scores["index"] == index) & scope.in_period(scores["period"], period)]
    if rows.empty:
        listed = ", ".join(scope.periods(scores, index)) or "–"
        raise UsageError.of("analysis.no_scores_in_period", index=index, period=period,
                            periods=listed)
    return rows


def _measures(components: pd.DataFrame, period: str) -> pd.DataFrame:
    """One row per SIPAS measure of ``period``: component, element, element_name, role,
    element_rank (element display order).

    Raises UsageError when the components frame names no measure for that period.
    """
    tree = components[(components["index"] == INDEX)
                      & (components["period"].astype("str") == str(period))]
    parents = tree["parent"].fillna("").astype("str")
    elements = tree[parents.isin(["", TOTAL]) & (tree["component"] != TOTAL)]
    children = tree[tree["parent"].isin(set(elements["component"]))].copy()
    children["role"] = children["name"].map(measure_role)
    children = children[children["role"].notna()]
    if children.empty:
        raise UsageError.of("analysis.no_sipas_measure", period=period)
    # Two measures with one role under one element: the first listed is kept.
    children = children.drop_duplicates(["parent", "role"], keep="first")
    orders = pd.to_numeric(elements["order"]).astype("float64")
    keys = {code: (0 if not math.isnan(order) else 1, order if not math.isnan(order) else 0,
                   scope.component_sort_key(code))
            for code, order in zip(elements["component"], orders, strict=True)}
    names = dict(zip(elements["component"], elements["name"].astype("str"), strict=True))
    measures = pd.DataFrame({
        "component": children["component"].astype("str").to_numpy(),
        "element": children["parent"].astype("str").to_numpy(),
        "role": children["role"].astype("str").to_numpy(),
    })
    measures["element_name"] = measures["element"].map(names).astype("str")
    measures["element_rank"] = scope.order_of(measures["element"], keys.__getitem__)
    return measures


def _element_long(scores: pd.DataFrame, components: pd.DataFrame, period: str) -> pd.DataFrame:
    """Per unit and element: unit_id, element, element_name, element_rank, the three
    measures in % and gap."""
    rows = _scores_of(scores, INDEX, period).copy()
    rows["percent"] = _percent(rows)
    rows["component"] = rows["component"].astype("str")
    measures = _measures(components, period)
    joined = rows.merge(measures, on="component", how="inner")
    joined = joined.drop_duplicates(["unit_id", "component"], keep="last")
    table = joined.pivot(index=["unit_id", "element"], columns="role", values="percent")
    table = table.reindex(columns=list(ROLES)).reset_index()
    table.columns.name = None
    elements = measures.drop_duplicates("element").set_index("element")
    table["element_name"] = table["element"].map(elements["element_name"]).astype("str")
    table["element_rank"] = table["element"].map(elements["element_rank"]).astype("int64")
    for role in ROLES:
        table[role] = table[role].astype("float64")
    table["gap"] = table["expectation"] - table["satisfaction"]
    table["unit_id"] = table["unit_id"].astype("str")
    table["element"] = table["element"].astype("str")
    return table


def element_table(scores: pd.DataFrame, components: pd.DataFrame, units: pd.DataFrame, *,
                  period: str, unit_id: str | None = None) -> pd.DataFrame:
    """SIPAS measures per unit and element in ``period`` (one unit when ``unit_id`` is given).

    Returns unit_id, unit, element (code), element_name, assessment, satisfaction,
    expectation (each in %; NaN when the file lacks it) and gap = expectation − satisfaction
    (positive: citizens expected more than they got). Sorted by unit name (Vietnamese order)
    then element order. Raises UsageError when the period has no SIPAS scores, its
    components name no measure, or ``unit_id`` has no SIPAS element scores in the period.
    """
    table = _element_long(scores, components, period)
    if unit_id is not None:
        table = table[table["unit_id"] == unit_id]
        if table.empty:
            raise UsageError.of("analysis.no_sipas_elements", unit=unit_id, period=period)
    names = scope.unit_names(units)
    table = table.assign(unit=table["unit_id"].map(lambda u: names.get(u, u)).astype("str"))
    table["_unit"] = scope.order_of(table["unit"], collation_key)
    table = table.sort_values(["_unit", "element_rank"], kind="stable")
    return table[ELEMENT_COLUMNS].reset_index(drop=True)


def element_gaps(scores: pd.DataFrame, components: pd.DataFrame, *, period: str) -> pd.DataFrame:
    """Per element, averaged over the units surveyed in ``period``: element, element_name,
    satisfaction, expectation (means, in %) and gap = expectation − satisfaction of those
    means; sorted by gap, largest first (NaN last; ties in element order).

    Raises UsageError as ``element_table`` does.
    """
    table = _element_long(scores, components, period)
    means = table.groupby(["element", "element_name", "element_rank"], sort=False).agg(
        satisfaction=("satisfaction", "mean"), expectation=("expectation", "mean"),
    ).reset_index()
    means["gap"] = means["expectation"] - means["satisfaction"]
    means = means.sort_values("element_rank", kind="stable").sort_values(
        "gap", ascending=False, na_position="last", kind="stable")
    columns = ["element", "element_name", "satisfaction", "expectation", "gap"]
    return means[columns].reset_index(drop=True)


def below_target(scores: pd.DataFrame, units: pd.DataFrame, *, period: str,
                 target: float = config.SIPAS_TARGET_PERCENT,
                 level: str | None = None) -> pd.DataFrame:
    """Units whose SIPAS index in ``period`` is under ``target`` (%).

    Returns unit_id, unit, value (the SIPAS total in % of its maximum), target, shortfall
    (target − value), lowest value first (ties by unit name). Raises UsageError when the
    period has no SIPAS scores or no unit has ``level``.
    """
    totals = _totals(scores, units, index=INDEX, period=period, level=level)
    low = totals[totals["value"] < target].copy()
    low["target"] = float(target)
    low["shortfall"] = low["target"] - low["value"]
    low["_unit"] = scope.order_of(low["unit"], collation_key)
    low = low.sort_values(["value", "_unit"], kind="stable")
    return low[["unit_id", "unit", "value", "target", "shortfall"]].reset_index(drop=True)


def _totals(scores: pd.DataFrame, units: pd.DataFrame, *, index: str, period: str,
            level: str | None) -> pd.DataFrame:
    """unit_id, unit, value (TOTAL in % of maximum, or points when unknown) of one index."""
    rows = _scores_of(scores, index, period)
    rows = rows[rows["component"] == TOTAL]
    rows = scope.units_of_level(rows, units, level).drop_duplicates("unit_id", keep="last")
    names = scope.unit_names(units)
    unit_ids = rows["unit_id"].astype("str")
    return pd.DataFrame({
        "unit_id": unit_ids.to_numpy(),
        "unit": unit_ids.map(lambda u: names.get(u, u)).astype("str").to_numpy(),
        "value": _percent(rows).to_numpy(),
    }).astype({"unit_id": "str", "unit": "str", "value": "float64"})


def cross_index(scores: pd.DataFrame, units: pd.DataFrame, *, period: str,
                level: str | None = None,
                indices: tuple[str, ...] = ("PAR", "SIPAS", "DISCIPLINE")) -> pd.DataFrame:
    """Each unit's totals in several indices side by side, for one period.

    Returns unit_id, unit, then one column per code of ``indices`` holding the unit's TOTAL
    in % of its maximum (its points when the maximum is unknown; NaN when the unit has no
    score in that index). Only units with a score in at least two of the indices appear,
    sorted by name (Vietnamese order). Discipline rows must already be in ``scores`` (see
    ``discipline.discipline_scores``). Raises UsageError when fewer than two indices are
    asked, none of them has scores for ``period``, or no unit has ``level``.
    """
    indices = tuple(dict.fromkeys(indices))
    if len(indices) < 2:
        raise UsageError.of("analysis.two_indices")
    columns = {"unit_id": "str", "unit": "str"} | {code: "float64" for code in indices}
    found = []
    for code in indices:
        if ((scores["index"] == code) & scope.in_period(scores["period"], period)).any():
            totals = _totals(scores, units, index=code, period=period, level=level)
            found.append(totals.set_index(["unit_id", "unit"])["value"].rename(code))
    if not found:
        listed = ", ".join(indices)
        raise UsageError.of("analysis.no_scores_of", indices=listed, period=period)
    table = pd.concat(found, axis=1).reindex(columns=list(indices)).reset_index()
    table = table[table[list(indices)].notna().sum(axis=1) >= 2].copy()
    if table.empty:
        return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in columns.items()})
    table["_unit"] = scope.order_of(table["unit"], collation_key)
    table = table.sort_values(["_unit", "unit_id"], kind="stable")
    return table[list(columns)].astype(columns).reset_index(drop=True)


def standouts(frame: pd.DataFrame, x: str, y: str, n: int = 5) -> pd.DataFrame:
    """The ``n`` units farthest from the least-squares line of ``y`` on ``x``.

    ``frame`` is typically ``cross_index`` output (x="PAR", y="SIPAS": a high PAR score with
    low satisfaction stands out). Rows lacking x or y are left out of the fit. Returns
    unit_id (when ``frame`` has it), unit, ``x``, ``y`` (under their own names) and residual
    (y − fitted y; negative: below the line), largest absolute residual first (ties by unit
    name). Raises UsageError when a column is missing, ``n`` < 1, or fewer than three units
    have both values or all have the same ``x`` (no line can be fitted).
    """
    missing = [column for column in ("unit", x, y) if column not in frame.columns]
    if missing:
        raise UsageError.of("analysis.table_no_column", missing=missing)
    if n < 1:
        raise UsageError.of("analysis.n_positive", n=n)
    keep = [column for column in ("unit_id", "unit") if column in frame.columns]
    data = frame[[*keep, x, y]].dropna(subset=[x, y]).copy()
    xs = data[x].astype("float64").to_numpy()
    ys = data[y].astype("float64").to_numpy()
    if len(data) < 3 or np.all(xs == xs[0]):
        raise UsageError.of("analysis.no_trend_line", x=x, y=y)
    slope = np.sum((xs - xs.mean()) * (ys - ys.mean())) / np.sum((xs - xs.mean()) ** 2)
    intercept = ys.mean() - slope * xs.mean()
    data["residual"] = ys - (intercept + slope * xs)
    data["_size"] = data["residual"].abs()
    # Names only decide between equal residuals: collating 10,000 names on every rerun of the
    # page cost a second, and the order of the others does not depend on them.
    tied = data["_size"].duplicated(keep=False)
    data["_unit"] = 0
    data.loc[tied, "_unit"] = scope.order_of(data.loc[tied, "unit"].astype("str"), collation_key)
    data = data.sort_values(["_size", "_unit"], ascending=[False, True], kind="stable")
    return data[[*keep, x, y, "residual"]].head(n).reset_index(drop=True)

