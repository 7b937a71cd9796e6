"""One sheet read into canonical rows, keeping the cell each number came from.

``read_sheet`` runs four steps, each returning a new object and changing none of its inputs:
classify the rows (units, headings, footers, the end) → match unit names → read the cells
(column by column) → assemble the frames and the component tree.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from reform.analysis.groups import group_label
from reform.core.kinds import kind_of
from reform.core.model import TOTAL, Issue, Level, MatchMethod, Role, Severity, UnitMatch
from reform.core.text import cell_ref, clean_text, fold, parse_number
from reform.ingest.layout import (
    SheetLayout,
    is_block_heading,
    is_end,
    is_footer,
    is_max_row,
    level_of_heading,
    may_be_label,
    nonempty,
    numeric,
    repeats_header,
)
from reform.ingest.readers import RawSheet
from reform.ingest.roles import VALUE_ROLES, Column
from reform.ingest.tree import derive_parents, infer_tree, total_maximum, with_maximums
from reform.ingest.units import UnitRegistry

_SCORE_FRAME = ["index", "period", "unit_id", "component", "value", "max_value", "source"]
_PUBLISHED_FRAME = ["index", "period", "unit_id", "rank", "group", "source"]
_CELL_FRAME = ["unit_id", "row", "value", "source", "col", "role"]


@dataclass(frozen=True)
class SheetData:
    """One sheet read into canonical rows (before storing: no version yet)."""

    layout: SheetLayout
    period: str | None
    period_source: str
    scores: pd.DataFrame  # index, period, unit_id, component, value, max_value, source
    published: pd.DataFrame  # index, period, unit_id, rank, group, source
    inspections: pd.DataFrame
    matches: list[UnitMatch]
    unit_levels: dict[str, str]
    unit_rows: dict[str, list[str]]  # unit_id -> cells of its name (to report duplicates)
    issues: list[Issue]
    additive: bool = False
    shape: str = "annex"  # "annex", "long" or "wide" (see ``shapes``)
    periods_seen: tuple[str, ...] = ()  # the years met while inferring the period
    detected: SheetLayout | None = None  # the whole sheet's layout, when this is one period of it
    shape_text: tuple[str, str] = ("", "")  # the shape found, said in Vietnamese and English


@dataclass(frozen=True)
class RowPlan:
    """The unit rows of a sheet (row number, level of its block) and rows skipped with a word."""

    rows: tuple[tuple[int, str | None], ...]
    issues: tuple[Issue, ...] = ()


@dataclass(frozen=True)
class UnitRows:
    """Who each unit row is: the match of each (row, name column), levels, and duplicates."""

    matches: dict[tuple[int, int], UnitMatch]
    levels: dict[str, str]
    duplicates: dict[str, list[str]]  # unit_id -> cells of its name, for units met twice


@dataclass(frozen=True)
class Cells:
    """The numbers of value columns (``_CELL_FRAME``), printed ranks and groups, and issues."""

    values: pd.DataFrame
    published: dict[tuple[str, int], dict] = field(default_factory=dict)
    issues: tuple[Issue, ...] = ()


def _row_kind(row: list[object], primary: int, key_cols: list[int]) -> str:
    """"end", "skip" (footer, max row), "nameless" or "unit", for a row that is no heading."""
    name_text = clean_text(row[primary]) if primary < len(row) else ""
    label_text = name_text or " ".join(clean_text(v) for v in row[: primary + 1])
    if may_be_label(label_text):  # cheap test first: most rows are plain unit names
        if is_end(label_text) or is_end(name_text):
            return "end"
        if is_footer(name_text) or is_max_row(row[: primary + 1]):
            return "skip"
    if not any(clean_text(row[k]) for k in key_cols if k < len(row)):
        return "nameless"
    return "unit"


def classify_rows(sheet: RawSheet, layout: SheetLayout, level: str | None) -> RowPlan:
    """The unit rows below the header, each with the level its block heading announces
    (``level`` when given wins); stops at the end labels or a repeated header."""
    signature = [fold(v) for v in sheet.rows[layout.header_rows[-1]]] if layout.header_rows else None
    key_cols = [c.col for c in layout.by_role(Role.NAME)]
    primary = key_cols[0]
    current = level
    rows: list[tuple[int, str | None]] = []
    issues: list[Issue] = []
    for r in range(layout.first_row, len(sheet.rows)):
        row = sheet.rows[r]
        if all(v in ("", None) for v in row) or not nonempty(row):
            continue
        if signature and repeats_header(row, signature):
            break  # the header again: a second table starts below
        if is_block_heading(row):
            current = level or level_of_heading(" ".join(clean_text(v) for v in row)) or current
            continue
        kind = _row_kind(row, primary, key_cols)
        if kind == "end":
            break
        if kind == "nameless" and sum(numeric(v) for v in row) >= 2:
            issues.append(Issue.of(Severity.WARNING, sheet.name, cell_ref(r, primary), "ingest.no_name",
                                   row=r + 1, cell=cell_ref(r, primary)))
        if kind == "unit":
            rows.append((r, current))
    return RowPlan(tuple(rows), tuple(issues))


def _match(raw: str, level: str | None, registry: UnitRegistry, overrides: dict[str, str]) -> UnitMatch:
    if raw in overrides:
        unit_id = overrides[raw]
        return UnitMatch(raw, unit_id, registry.name(unit_id), MatchMethod.CHOSEN, 100.0)
    return registry.match(raw, level)


def match_units(sheet: RawSheet, layout: SheetLayout, plan: RowPlan, registry: UnitRegistry,
                overrides: dict[str, str] | None = None) -> UnitRows:
    """Match the name in each unit row to a unit; a unit's second row is a duplicate, whose
    numbers are not read. New units are remembered by ``registry`` so later rows find them."""
    overrides = overrides or {}
    matches: dict[tuple[int, int], UnitMatch] = {}
    levels: dict[str, str] = {}
    cells_of: dict[tuple[int, str], list[str]] = {}
    for r, row_level in plan.rows:
        for k in (c.col for c in layout.by_role(Role.NAME)):
            raw = sheet.cell(r, k)
            if not clean_text(raw):
                continue
            match = _match(clean_text(raw), row_level, registry, overrides)
            if match.how == MatchMethod.NEW:
                registry.remember(match.unit_id, match.name, row_level or Level.UNIT)
            cells = cells_of.setdefault((k, match.unit_id), [])
            cells.append(cell_ref(r, k))
            if len(cells) > 1:
                continue
            matches[(r, k)] = match
            levels[match.unit_id] = row_level or (
                registry.level(match.unit_id) if match.how != MatchMethod.NEW else Level.UNIT)
    duplicates = {unit_id: cells for (_, unit_id), cells in cells_of.items() if len(cells) > 1}
    return UnitRows(matches, levels, duplicates)


def _cell_issue(sheet: str, column: Column, r: int, raw: object, problem: str) -> Issue:
    ref = cell_ref(r, column.col)
    key = "ingest.formula_error" if problem == "error" else "ingest.not_number"
    return Issue.of(Severity.ERROR, sheet, ref, key, column=column.header or column.letter,
                    sheet=sheet, cell=ref, value=clean_text(raw))


def _numbers(sheet: RawSheet, column: Column, rows: list[int], units: list[str | None],
             issues: list[Issue]) -> list[float | None]:
    """The numbers of one column (None where no unit or no number); problems go to ``issues``.

    Cells already numbers take the fast path: a national file has millions of them."""
    c = column.col
    numbers: list[float | None] = []
    for r, unit_id in zip(rows, units, strict=True):
        raw = sheet.rows[r][c] if c < len(sheet.rows[r]) else None
        if unit_id is None:
            numbers.append(None)
        elif type(raw) is float or type(raw) is int:
            numbers.append(float(raw))
        else:
            number, problem = parse_number(raw)
            if problem:
                issues.append(_cell_issue(sheet.name, column, r, raw, problem))
            numbers.append(number)
    return numbers


def _groups(sheet: RawSheet, column: Column, rows: list[int], units: list[str | None],
            published: dict[tuple[str, int], dict]) -> None:
    for r, unit_id in zip(rows, units, strict=True):
        raw = sheet.rows[r][column.col] if column.col < len(sheet.rows[r]) else None
        if unit_id is not None and clean_text(raw):
            published.setdefault((unit_id, column.key_col), {})["group"] = group_label(raw)


def read_cells(sheet: RawSheet, layout: SheetLayout, plan: RowPlan, units: UnitRows) -> Cells:
    """The numbers of the value columns for the matched rows, column by column, with the cell
    each came from; printed ranks and groups apart (they are compared, not stored as scores)."""
    rows = [r for r, _ in plan.rows]
    unit_of = {k: [units.matches[(r, k)].unit_id if (r, k) in units.matches else None for r in rows]
               for k in (c.col for c in layout.by_role(Role.NAME))}
    published: dict[tuple[str, int], dict] = {}
    issues: list[Issue] = []
    parts: list[pd.DataFrame] = []
    for column in layout.columns:
        if column.role not in (*VALUE_ROLES, Role.GROUP) or column.key_col is None:
            continue
        here = unit_of[column.key_col]
        if column.role == Role.GROUP:
            _groups(sheet, column, rows, here, published)
            continue
        frame = pd.DataFrame({"unit_id": here, "row": rows,
                              "value": _numbers(sheet, column, rows, here, issues)})
        frame = frame[frame["unit_id"].notna() & frame["value"].notna()]
        frame["source"] = f"{sheet.name}!{column.letter}" + (frame["row"] + 1).astype(str)
        if column.role == Role.RANK:
            for unit_id, value, source in zip(frame["unit_id"], frame["value"], frame["source"], strict=True):
                entry = published.setdefault((unit_id, column.key_col), {})
                entry["rank"], entry["rank_source"] = value, source
            continue
        frame["col"], frame["role"] = column.col, column.role
        parts.append(frame)
    values = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=_CELL_FRAME)
    return Cells(values, published, tuple(issues))


def _scores(values: pd.DataFrame, layout: SheetLayout, total_max: float | None, *,
            index: str, period: str | None) -> pd.DataFrame:
    """The canonical scores of the component and total columns, and of the percent column
    when it is the only total printed (then out of 100)."""
    by_col = {c.col: c for c in layout.components if c.col is not None}
    code_of = {col: node.code for col, node in by_col.items()}
    max_of = {col: np.nan if node.max_value is None else float(node.max_value) for col, node in by_col.items()}
    total_cols = [c.col for c in layout.by_role(Role.TOTAL)]
    for col in total_cols:
        code_of[col] = TOTAL
        max_of[col] = np.nan if total_max is None else float(total_max)
    kept = values[values["col"].isin(list(code_of))]
    scores = pd.DataFrame({
        "index": index, "period": period, "unit_id": kept["unit_id"].to_numpy(),
        "component": kept["col"].map(code_of).to_numpy(),
        "value": kept["value"].astype(float).to_numpy(),
        "max_value": kept["col"].map(max_of).astype(float).to_numpy(),
        "source": kept["source"].to_numpy(),
    }, columns=_SCORE_FRAME)
    percent_cols = [c.col for c in layout.by_role(Role.PERCENT)]
    if total_cols or not percent_cols:
        return scores
    pct = values[values["col"] == percent_cols[0]]
    extra = pd.DataFrame({"index": index, "period": period, "unit_id": pct["unit_id"].to_numpy(),
                          "component": TOTAL, "value": pct["value"].astype(float).to_numpy(),
                          "max_value": 100.0, "source": pct["source"].to_numpy()}, columns=_SCORE_FRAME)
    return pd.concat([scores, extra], ignore_index=True)


def _published(published: dict[tuple[str, int], dict], *, index: str, period: str | None) -> pd.DataFrame:
    rows = [{"index": index, "period": period, "unit_id": unit_id, "rank": entry.get("rank"),
             "group": entry.get("group", ""), "source": entry.get("rank_source", "")}
            for (unit_id, _), entry in published.items()]
    return pd.DataFrame(rows, columns=_PUBLISHED_FRAME)


def _with_tree(sheet: RawSheet, layout: SheetLayout, cells: Cells, index: str) -> SheetLayout:
    """``layout`` with its component tree, maxima filled in."""
    values = cells.values
    # Row-aligned values per column (pairs resolved by unit) for the sum detection.
    wide = values.pivot_table(index="unit_id", columns="col", values="value", aggfunc="first") \
        if not values.empty else pd.DataFrame()
    tree = infer_tree(layout, wide)
    max_cells = {} if layout.max_row is None else {
        n.col: sheet.cell(layout.max_row, n.col) for n in tree if n.col is not None}
    return replace(layout, components=with_maximums(tree, max_cells, index))


def read_sheet(
    sheet: RawSheet,
    layout: SheetLayout,
    registry: UnitRegistry,
    *,
    index: str,
    period: str | None,
    period_source: str,
    level: str | None = None,
    unit_overrides: dict[str, str] | None = None,
) -> SheetData:
    """Read the unit rows of ``sheet`` under ``layout`` into canonical frames and issues.

    The returned ``layout`` is a new one that also holds the component tree.
    """
    plan = classify_rows(sheet, layout, level)
    units = match_units(sheet, layout, plan, registry, unit_overrides)
    cells = read_cells(sheet, layout, plan, units)
    layout = _with_tree(sheet, layout, cells, index)
    scores = _scores(cells.values, layout, total_maximum(layout, sheet, index), index=index, period=period)
    return SheetData(
        layout=layout, period=period, period_source=period_source,
        scores=derive_parents(scores, layout.components, index, period),
        published=_published(cells.published, index=index, period=period),
        inspections=pd.DataFrame(), matches=list(units.matches.values()),
        unit_levels=units.levels, unit_rows=units.duplicates,
        issues=[*plan.issues, *cells.issues], additive=kind_of(index).additive,
    )
