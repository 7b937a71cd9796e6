"""Discipline inspections (kỷ cương hành chính): categories, rates, repeat violators, scores.

Inspection records are event rows in ``model.INSPECTION_COLUMNS``: one row per visit of an
inspection team to a unit and per category of violation found (or one row with category
"none" when nothing was found).

A *visit* is the set of rows with the same day, unit and team. The officials a team checked
are counted once per visit: a visit written as three category rows that each repeat "12
officials checked" checked 12 officials, not 36, so ``officials_checked`` of a visit is the
largest value on its rows. Violations are summed over the rows. A visit's kind (regular or
unannounced) is the kind on its first row.

Every function takes frames plus keyword options and returns a new frame; none changes its
input. Bad options (unknown period, level, unit or grouping key) raise ``UsageError``.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

from reform.analysis import scope
from reform.core import config
from reform.core.errors import UsageError
from reform.core.i18n import has, t
from reform.core.kinds import inspection_kind
from reform.core.model import INSPECTION_COLUMNS, SCORE_COLUMNS, TOTAL
from reform.core.text import collation_key, fold

INDEX = inspection_kind().code
"""Index code of the scores made from inspections (the kind whose scores come from them)."""

NO_VIOLATION = "none"
"""Category code of a visit that found nothing."""

KINDS = ("regular", "unannounced")

FUZZY_CATEGORY_MIN = 80
"""rapidfuzz token_set_ratio from which a misspelt category is taken as a known one; below
it, "Trang phụcc" still matches but unrelated notes ("họp giao ban", 62) do not."""

# Spellings of "nothing found". Only whole phrases: "không đeo thẻ" (no badge) starts with
# "không" yet is a dress violation.
_NO_VIOLATION_KEYS = frozenset({"", "khong", "none", "no violation", "khong vi pham", "0"})
_NO_VIOLATION_PREFIXES = ("khong vi pham", "khong co vi pham", "khong phat hien vi pham")

_UNANNOUNCED_KEYS = ("dot xuat", "bat ngo", "khong bao truoc", "unannounced", "surprise")
_REGULAR_KEYS = ("thuong xuyen", "dinh ky", "ke hoach", "regular", "scheduled", "routine")

_GRANULARITIES = tuple(kind for kind, _ in scope.PERIOD_KINDS)
_PERIOD_KEYS = {"period", "month", "quarter", "year"}
_BY_KEYS = {"unit", "category", "kind"} | _PERIOD_KEYS

RATE_COLUMNS = ["inspections", "violations", "officials_checked", "rate_per_100"]


# --- categories and kinds -------------------------------------------------------------------


def _category_phrases() -> list[tuple[str, list[str]]]:
    """(code, folded spellings) for each configured category, in configuration order."""
    phrases = []
    for category in config.INSPECTION_CATEGORIES:
        spellings = [category["code"], category["vi"], category["en"], *category["aliases"]]
        phrases.append((category["code"], [key for key in map(fold, spellings) if key]))
    return phrases


def match_category(text: object) -> str | None:
    """The code of ``config.INSPECTION_CATEGORIES`` that ``text`` names, tolerantly.

    Accents, case and punctuation are ignored. In order: "nothing found" spellings ("Không
    vi phạm", "", "-") give "none"; a name or alias found as whole words in ``text`` gives
    its category (the longest such phrase wins, so "làm việc riêng trong giờ" is private
    business, not working hours); ``text`` found as whole words inside the spellings of one
    category only gives that category; finally the best rapidfuzz ``token_set_ratio`` of at
    least ``FUZZY_CATEGORY_MIN`` when one category alone reaches it. Returns None when
    nothing fits or two categories fit equally well.

    >>> match_category("ĐI MUỘN"), match_category("Trang phuc"), match_category("Không vi phạm")
    ('hours', 'dress', 'none')
    """
    key = fold(text)
    if key in _NO_VIOLATION_KEYS or key.startswith(_NO_VIOLATION_PREFIXES):
        return NO_VIOLATION
    padded = f" {key} "
    phrases = _category_phrases()

    best: tuple[int, str] | None = None
    for code, spellings in phrases:
        for phrase in spellings:
            if f" {phrase} " in padded and (best is None or len(phrase) > best[0]):
                best = (len(phrase), code)
    if best is not None:
        return best[1]

    # A short word ("thẻ") inside one category's spellings only; three letters at least so
    # that "la" does not pick anything.
    if len(key) >= 3:
        inside = {code for code, spellings in phrases
                  if any(padded in f" {phrase} " for phrase in spellings)}
        if len(inside) == 1:
            return inside.pop()

    scores = {code: max(fuzz.token_set_ratio(key, phrase) for phrase in spellings)
              for code, spellings in phrases}
    top = max(scores.values())
    winners = [code for code, score in scores.items() if score == top]
    if top >= FUZZY_CATEGORY_MIN and len(winners) == 1:
        return winners[0]
    return None


def category_name(code: str, lang: str = "vi") -> str:
    """The display name of category ``code`` in ``lang``; the code itself when unknown.

    Unknown codes are shown as they are rather than refused, so records from an older
    catalogue stay visible.

    >>> category_name("hours", "en")
    'Working hours'
    """
    if code == NO_VIOLATION:
        return t("analysis.no_violation", lang)
    for category in config.INSPECTION_CATEGORIES:
        if category["code"] == code:
            return category.get(lang) or category["vi"]
    return code


def match_kind(text: object) -> str | None:
    """"regular" for "Thường xuyên"/"định kỳ"/"theo kế hoạch", "unannounced" for "Đột xuất"/
    "bất ngờ"; None when ``text`` says neither.

    >>> match_kind("ĐỘT XUẤT"), match_kind("Kiểm tra định kỳ"), match_kind("")
    ('unannounced', 'regular', None)
    """
    key = f" {fold(text)} "
    # Unannounced first: "không theo kế hoạch" must not read as planned.
    if any(f" {word} " in key for word in _UNANNOUNCED_KEYS) or "khong theo ke hoach" in key:
        return "unannounced"
    if any(f" {word} " in key for word in _REGULAR_KEYS):
        return "regular"
    return None


def kind_name(kind: str, lang: str = "vi") -> str:
    """"Thường xuyên"/"Đột xuất" (or English) for a kind code; the code itself when unknown."""
    key = f"analysis.kind.{kind}"
    return t(key, lang) if has(key) else kind


# --- preparing records ----------------------------------------------------------------------


def _prepare(records: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``records`` with every inspection column, days without time, no NaN keys.

    Raises UsageError when a column the rates cannot do without is missing.
    """
    required = ("date", "unit_id", "category", "violations", "officials_checked")
    missing = [column for column in required if column not in records.columns]
    if missing:
        raise UsageError.of("analysis.inspection_columns", columns=", ".join(missing))
    frame = records.reindex(columns=INSPECTION_COLUMNS).copy()
    frame["date"] = pd.to_datetime(frame["date"]).dt.normalize()
    for column in ("team", "kind", "note"):
        frame[column] = frame[column].fillna("").astype("str")
    frame["unit_id"] = frame["unit_id"].astype("str")
    frame["category"] = frame["category"].fillna(NO_VIOLATION).astype("str")
    for column in ("violations", "officials_checked"):
        frame[column] = pd.to_numeric(frame[column]).fillna(0).astype("int64")
    return frame.reset_index(drop=True)


def _granularity(period: str) -> str:
    """"year", "month" or "quarter" for a period label; UsageError for anything else."""
    kind = scope.period_kind(str(period))
    if kind == scope.OTHER_PERIOD:
        raise UsageError.of("analysis.bad_period", period=period)
    return kind


def _check_granularity(granularity: str) -> str:
    if granularity not in _GRANULARITIES:
        raise UsageError.of("analysis.bad_granularity", granularity=granularity)
    return granularity


def _period_labels(dates: pd.Series, granularity: str) -> pd.Series:
    """Period labels of ``dates``: "2024-03" (month), "2024-Q1" (quarter) or "2024" (year)."""
    if granularity == "month":
        labels = dates.dt.strftime("%Y-%m")
    elif granularity == "quarter":
        labels = dates.dt.year.astype("str") + "-Q" + dates.dt.quarter.astype("str")
    else:
        labels = dates.dt.strftime("%Y")
    return labels.astype("str")


def _within(frame: pd.DataFrame, period: str | None) -> pd.DataFrame:
    """Rows of prepared records dated within ``period``; UsageError when there are none."""
    if period is None:
        return frame
    period = str(period)
    labels = _period_labels(frame["date"], _granularity(period))
    selected = frame[labels == period].reset_index(drop=True)
    if selected.empty:
        raise UsageError.of("analysis.no_records", period=period)
    return selected


def _with_visits(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Records tagged with their visit, and one row per visit.

    A visit is (day, unit, team); its officials are the largest count on its rows (counted
    once, whatever the number of category rows), its violations the sum, its kind the first.
    """
    rows = frame.copy()
    rows["visit"] = rows.groupby(["date", "unit_id", "team"], sort=True, dropna=False).ngroup()
    visits = rows.groupby("visit", sort=True).agg(
        date=("date", "first"), unit_id=("unit_id", "first"), team=("team", "first"),
        kind=("kind", "first"), officials_checked=("officials_checked", "max"),
        violations=("violations", "sum"),
    )
    rows["kind"] = rows["visit"].map(visits["kind"]).astype("str")
    return rows, visits.reset_index()


def _category_order(code: str) -> tuple[int, str]:
    codes = [category["code"] for category in config.INSPECTION_CATEGORIES]
    if code in codes:
        return (codes.index(code), "")
    return (len(codes) + (1 if code == NO_VIOLATION else 0), code)


def _kind_order(kind: str) -> tuple[int, str]:
    return (KINDS.index(kind), "") if kind in KINDS else (len(KINDS), kind)


def _rate(violations: pd.Series, officials: pd.Series) -> pd.Series:
    """Violations per 100 officials checked; NaN where nobody was checked."""
    officials = officials.astype("float64")
    rate = violations.astype("float64") / officials.where(officials > 0) * 100.0
    return rate.astype("float64")


def _empty(columns: Mapping[str, str]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in columns.items()})


# --- rates ----------------------------------------------------------------------------------


def _normalise_by(by: Iterable[str] | str) -> list[str]:
    """The grouping keys as output columns in canonical order; UsageError for unknown keys."""
    keys = [by] if isinstance(by, str) else list(by)
    unknown = [key for key in keys if key not in _BY_KEYS]
    if unknown:
        raise UsageError.of("analysis.bad_group_key", keys=unknown)
    if len(_PERIOD_KEYS.intersection(keys)) > 1:
        raise UsageError.of("analysis.one_period_key")
    columns = []
    if "unit" in keys:
        columns.append("unit_id")
    if _PERIOD_KEYS.intersection(keys):
        columns.append("period")
    if "category" in keys:
        columns.append("category")
    if "kind" in keys:
        columns.append("kind")
    return columns


def violation_rates(records: pd.DataFrame, units: pd.DataFrame, *,
                    by: Iterable[str] | str = ("unit",), period: str = "month",
                    within: str | None = None, level: str | None = None,
                    lang: str = "vi") -> pd.DataFrame:
    """Violations per 100 officials checked, grouped by ``by``.

    ``by`` holds any of "unit", a period ("month", "quarter", "year", or "period" for the
    granularity ``period``), "category" and "kind". ``within`` keeps records of one period
    ("2024", "2024-03"); ``level`` units of one level.

    Returns the key columns in this order — unit_id, unit (name); period; category,
    category_name (in ``lang``); kind — then inspections (visits), violations,
    officials_checked and rate_per_100 (NaN when nobody was checked). Officials are counted
    once per visit (see the module docstring). With "category", a category's row counts every
    visit of its group (other keys) as inspections and officials, since every visit looked
    for every kind of violation; only categories with records appear, "none" never. Rows
    are sorted by unit name (Vietnamese order), period, category (catalogue order), kind.

    Raises UsageError for an unknown key, granularity, ``within`` period or level.
    """
    keys = _normalise_by(by)
    asked = next((key for key in ([by] if isinstance(by, str) else by) if key in _PERIOD_KEYS),
                 "period")
    granularity = _check_granularity(period) if asked == "period" else asked
    frame = scope.units_of_level(_within(_prepare(records), within), units, level)
    rows, visits = _with_visits(frame)
    rows = rows.assign(period=_period_labels(rows["date"], granularity))
    visits = visits.assign(period=_period_labels(visits["date"], granularity))
    table = _rate_counts(rows, visits, keys)
    columns = _rate_columns(keys)
    if table.empty or visits.empty:
        return _empty(columns)
    table = _sort_rates(_label_rates(table, keys, scope.unit_names(units), lang), keys)
    return table[list(columns)].astype(columns).reset_index(drop=True)


def _rate_counts(rows: pd.DataFrame, visits: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Inspections, violations and officials checked per group of ``keys``.

    With "category", each category's row counts every visit of its group (the other keys)
    as inspections and officials; "none" gets no row.
    """
    others = [key for key in keys if key != "category"]
    checks = {"inspections": ("visit", "count"),
              "officials_checked": ("officials_checked", "sum")}
    if "category" not in keys:
        if not others:
            return pd.DataFrame({"inspections": [len(visits)],
                                 "violations": [int(visits["violations"].sum())],
                                 "officials_checked": [int(visits["officials_checked"].sum())]})
        return visits.groupby(others, sort=False, dropna=False).agg(
            violations=("violations", "sum"), **checks).reset_index()
    found = rows[rows["category"] != NO_VIOLATION]
    violations = found.groupby([*others, "category"], sort=False, dropna=False).agg(
        violations=("violations", "sum")).reset_index()
    if not others:
        return violations.assign(inspections=len(visits),
                                 officials_checked=int(visits["officials_checked"].sum()))
    checked = visits.groupby(others, sort=False, dropna=False).agg(**checks).reset_index()
    return violations.merge(checked, on=others, how="left")


def _rate_columns(keys: list[str]) -> dict[str, str]:
    """The output columns of ``violation_rates`` for ``keys``, with their dtypes, in order."""
    columns: dict[str, str] = {}
    if "unit_id" in keys:
        columns |= {"unit_id": "str", "unit": "str"}
    if "period" in keys:
        columns["period"] = "str"
    if "category" in keys:
        columns |= {"category": "str", "category_name": "str"}
    if "kind" in keys:
        columns["kind"] = "str"
    return columns | {"inspections": "int64", "violations": "int64",
                      "officials_checked": "int64", "rate_per_100": "float64"}


def _label_rates(table: pd.DataFrame, keys: list[str], names: Mapping[str, str],
                 lang: str) -> pd.DataFrame:
    """``table`` with unit and category names, integer counts and the rate per 100."""
    counts = {column: table[column].astype("int64")
              for column in ("inspections", "violations", "officials_checked")}
    table = table.assign(**counts, rate_per_100=_rate(counts["violations"],
                                                      counts["officials_checked"]))
    if "unit_id" in keys:
        table = table.assign(unit=table["unit_id"].map(lambda u: names.get(u, u)).astype("str"))
    if "category" in keys:
        table = table.assign(category_name=table["category"].map(
            lambda code: category_name(code, lang)).astype("str"))
    return table


def _sort_rates(table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Rows by unit name (Vietnamese order), period, category (catalogue order), kind."""
    orders = {}
    if "unit_id" in keys:
        orders["_unit"] = scope.order_of(table["unit"], collation_key)
    if "period" in keys:
        orders["period"] = table["period"]
    if "category" in keys:
        orders["_category"] = scope.order_of(table["category"], _category_order)
    if "kind" in keys:
        orders["_kind"] = scope.order_of(table["kind"], _kind_order)
    if not orders:
        return table
    return table.assign(**orders).sort_values(list(orders), kind="stable")


def kind_comparison(records: pd.DataFrame, *, period: str | None = None) -> pd.DataFrame:
    """Regular against unannounced inspections within ``period`` (all records when None).

    Returns kind, inspections (visits), violations, officials_checked, rate_per_100: always a
    row for "regular" and for "unannounced" (0 inspections and a NaN rate when none), then
    any other kind found in the records. Raises UsageError when ``period`` is not valid or
    has no records.
    """
    frame = _within(_prepare(records), period)
    _, visits = _with_visits(frame)
    table = visits.groupby("kind", sort=False).agg(
        inspections=("visit", "count"), violations=("violations", "sum"),
        officials_checked=("officials_checked", "sum"))
    kinds = sorted(set(KINDS) | set(table.index), key=_kind_order)
    table = table.reindex(kinds, fill_value=0).rename_axis("kind").reset_index()
    table["kind"] = table["kind"].astype("str")
    for column in ("inspections", "violations", "officials_checked"):
        table[column] = table[column].astype("int64")
    table["rate_per_100"] = _rate(table["violations"], table["officials_checked"])
    return table


def monthly_overview(records: pd.DataFrame, units: pd.DataFrame, *,
                     year: str | int | None = None, level: str | None = None) -> pd.DataFrame:
    """Per month, for the trend chart: period ("2024-03"), inspections, violations,
    officials_checked, rate_per_100.

    With ``year`` every month of that year is listed (0 inspections and a NaN rate for a
    month without visits, so the chart shows the gap); without it, the months with records.
    Raises UsageError when ``year`` is not a year or has no records, or for an unknown level.
    """
    if year is not None and _granularity(str(year)) != "year":
        raise UsageError.of("analysis.not_a_year", year=year)
    frame = scope.units_of_level(_within(_prepare(records), None if year is None else str(year)),
                      units, level)
    table = violation_rates(frame, units, by=("month",))
    if year is not None:
        months = [f"{year}-{month:02d}" for month in range(1, 13)]
        table = table.set_index("period").reindex(months).rename_axis("period").reset_index()
        for column in ("inspections", "violations", "officials_checked"):
            table[column] = table[column].fillna(0).astype("int64")
        table["period"] = table["period"].astype("str")
    return table


def unit_month_matrix(records: pd.DataFrame, units: pd.DataFrame, *, year: str | int,
                      level: str | None = None) -> pd.DataFrame:
    """Rate per 100 officials checked, units by months of ``year``, for the calendar heatmap.

    Returns a frame indexed by unit name ("unit", Vietnamese order; a name shared by two
    units gets its id in brackets) with the columns "YYYY-01".."YYYY-12" ("period"); NaN
    where the unit was not inspected that month. Only units inspected in the year appear.
    Raises UsageError when ``year`` is not a year or has no records, or for an unknown level.
    """
    if _granularity(str(year)) != "year":
        raise UsageError.of("analysis.not_a_year", year=year)
    frame = scope.units_of_level(_within(_prepare(records), str(year)), units, level)
    months = pd.Index([f"{year}-{month:02d}" for month in range(1, 13)], dtype="str",
                      name="period")
    table = violation_rates(frame, units, by=("unit", "month"))
    if table.empty:
        return pd.DataFrame(index=pd.Index([], dtype="str", name="unit"), columns=months,
                            dtype="float64")
    duplicated = table.drop_duplicates("unit_id")["unit"].duplicated(keep=False)
    shared = set(table.drop_duplicates("unit_id")["unit"][duplicated])
    table["label"] = [f"{name} ({unit_id})" if name in shared else name
                      for unit_id, name in zip(table["unit_id"], table["unit"], strict=True)]
    matrix = table.pivot(index="label", columns="period", values="rate_per_100")
    labels = sorted(matrix.index, key=collation_key)
    matrix = matrix.reindex(index=labels, columns=months).astype("float64")
    matrix.index = pd.Index(labels, dtype="str", name="unit")
    return matrix


# --- repeat violators and drill-down -------------------------------------------------------


def repeat_violators(records: pd.DataFrame, units: pd.DataFrame, *, min_months: int = 3,
                     period: str | None = None, lang: str = "vi") -> pd.DataFrame:
    """Units with violations in at least ``min_months`` distinct months.

    ``period`` (a year, "2024") keeps that year only; without it months of all years count.
    Returns unit_id, unit, months_with_violations, violations, categories (the names in
    ``lang`` of the categories violated, Vietnamese order, joined with ", "), sorted by
    months then violations (both descending), then unit name. Raises UsageError when
    ``min_months`` < 1, or ``period`` is not a year or has no records.
    """
    if min_months < 1:
        raise UsageError.of("analysis.min_months", given=min_months)
    if period is not None and _granularity(str(period)) != "year":
        raise UsageError.of("analysis.period_not_year", period=period)
    frame = _within(_prepare(records), None if period is None else str(period))
    found = frame[(frame["category"] != NO_VIOLATION) & (frame["violations"] > 0)].copy()
    columns = {"unit_id": "str", "unit": "str", "months_with_violations": "int64",
               "violations": "int64", "categories": "str"}
    if found.empty:
        return _empty(columns)
    found["month"] = _period_labels(found["date"], "month")
    found["category_name"] = found["category"].map(lambda code: category_name(code, lang))
    table = found.groupby("unit_id", sort=False).agg(
        months_with_violations=("month", "nunique"), violations=("violations", "sum"),
        categories=("category_name", lambda names: ", ".join(sort_names(set(names)))),
    ).reset_index()
    table = table[table["months_with_violations"] >= min_months].copy()
    if table.empty:
        return _empty(columns)
    names = scope.unit_names(units)
    table["unit"] = table["unit_id"].map(lambda u: names.get(u, u))
    table["_unit"] = scope.order_of(table["unit"], collation_key)
    table = table.sort_values(["months_with_violations", "violations", "_unit"],
                              ascending=[False, False, True], kind="stable")
    return table[list(columns)].astype(columns).reset_index(drop=True)


def sort_names(names: Iterable[str]) -> list[str]:
    """``names`` in Vietnamese order (kept here so category lists read like the catalogue)."""
    return sorted(names, key=collation_key)


def unit_records(records: pd.DataFrame, units: pd.DataFrame, *, unit_id: str,
                 period: str | None = None, lang: str = "vi") -> pd.DataFrame:
    """The drill-down: the records of ``unit_id`` (within ``period`` when given), newest first.

    Returns date, unit_id, unit, team, kind, kind_name, category, category_name (names in
    ``lang``), violations, officials_checked, note, source, version. Empty when the unit is
    known but has no records in scope. Raises UsageError for a unit found neither in the
    records nor in ``units``, or a ``period`` that is not valid.
    """
    frame = _prepare(records)
    names = scope.unit_names(units)
    if unit_id not in names and not (frame["unit_id"] == unit_id).any():
        raise UsageError.of("analysis.unknown_unit", unit=unit_id)
    if period is not None:
        frame = frame[_period_labels(frame["date"], _granularity(str(period))) == str(period)]
    rows = frame[frame["unit_id"] == unit_id].copy()
    rows["unit"] = names.get(unit_id, unit_id)
    rows["kind_name"] = rows["kind"].map(lambda kind: kind_name(kind, lang))
    rows["category_name"] = rows["category"].map(lambda code: category_name(code, lang))
    rows["_category"] = rows["category"].map(lambda code: _category_order(code)[0])
    rows = rows.sort_values(["date", "team", "_category"], ascending=[False, True, True],
                            kind="stable")
    columns = ["date", "unit_id", "unit", "team", "kind", "kind_name", "category",
               "category_name", "violations", "officials_checked", "note", "source", "version"]
    result = rows[columns].reset_index(drop=True)
    for column in ("unit", "kind_name", "category_name"):
        result[column] = result[column].astype("str")
    return result


# --- scores ---------------------------------------------------------------------------------


def category_weights(weights: Mapping[str, float] | None = None) -> dict[str, float]:
    """The weight of each category: the catalogue's, overridden by ``weights``.

    "none" weighs 0. Raises UsageError for a negative weight.
    """
    merged = {category["code"]: float(category["weight"])
              for category in config.INSPECTION_CATEGORIES}
    merged |= {code: float(weight) for code, weight in (weights or {}).items()}
    merged[NO_VIOLATION] = 0.0
    negative = {code: weight for code, weight in merged.items() if weight < 0}
    if negative:
        raise UsageError.of("analysis.negative_category_weight", weights=negative)
    return merged


def discipline_scores(records: pd.DataFrame, *, period: str = "year",
                      base: float = config.DISCIPLINE_BASE_SCORE,
                      points_per_violation: float = config.DISCIPLINE_POINTS_PER_VIOLATION,
                      weights: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Discipline scores per unit and period, in the canonical ``SCORE_COLUMNS`` shape.

    For each unit inspected in a period ("2024" for ``period="year"``, "2024-03" for
    "month", "2024-Q1" for "quarter"): one row, index "DISCIPLINE", component "TOTAL",
    value = max(0, base − points_per_violation × Σ weight(category) × violations),
    max_value = base. Weights are ``category_weights(weights)``; a code missing from them
    weighs as "other". source is "inspections:<version>" and version the latest version of
    the unit's records in that period. Per-category rows are not produced: a component whose
    value grows with violations would rank upside down next to every other component.
    Sorted by period then unit_id. Raises UsageError for an unknown granularity, a negative
    weight, base ≤ 0 or negative points.
    """
    _check_granularity(period)
    if base <= 0 or points_per_violation < 0:
        raise UsageError.of("analysis.bad_base_score", base=base, points=points_per_violation)
    table_weights = category_weights(weights)
    frame = _prepare(records)
    if frame.empty:
        return _empty({"index": "str", "period": "str", "unit_id": "str", "component": "str",
                       "value": "float64", "max_value": "float64", "source": "str",
                       "version": frame["version"].dtype})
    fallback = table_weights.get("other", 1.0)
    frame["weighted"] = frame["violations"] * frame["category"].map(
        lambda code: table_weights.get(code, fallback)).astype("float64")
    frame["period"] = _period_labels(frame["date"], period)
    table = frame.groupby(["period", "unit_id"], sort=True).agg(
        weighted=("weighted", "sum"), version=("version", "max")).reset_index()
    value = (base - points_per_violation * table["weighted"]).clip(lower=0.0)
    versions = table["version"]
    source = ["inspections:" + ("" if pd.isna(v) else str(v)) for v in versions]
    scores = pd.DataFrame({
        "index": INDEX, "period": table["period"].astype("str"),
        "unit_id": table["unit_id"].astype("str"), "component": TOTAL,
        "value": value.astype("float64"), "max_value": np.float64(base),
        "source": pd.Series(source, dtype="str"), "version": versions,
    })
    for column in ("index", "component"):
        scores[column] = scores[column].astype("str")
    return scores[SCORE_COLUMNS]
