"""One sheet read into canonical rows, keeping the cell each number came from.

``read_sheet`` runs four steps, each returning a new object and changing none of its inputs:
classify the rows (units, headings, footers, the end) → match unit names → read the cells
(column by column) → assemble the frames and the component tree.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from reform.analysis.groups import group_label
from reform.core.kinds import kind_of
from reform.core.model import TOTAL, Issue, Level, MatchMethod, Role, Severity, UnitMatch
from reform.core.text import PROBLEMS, cell_ref, clean_text, fold, parse_numbers, unit_key
from reform.ingest import columns
from reform.ingest.changes import no_published_changes, read_changes
from reform.ingest.layout import (
    SheetLayout,
    is_block_heading,
    is_end,
    is_footer,
    is_max_row,
    level_of_heading,
    may_be_label,
    numeric,
    repeats_header,
)
from reform.ingest.readers import RawSheet
from reform.ingest.roles import VALUE_ROLES, Column
from reform.ingest.tree import derive_parents, infer_tree, total_maximum, with_maximums
from reform.ingest.units import UnitRegistry

_SCORE_FRAME = ["index", "period", "unit_id", "component", "value", "max_value", "source"]
_PUBLISHED_FRAME = ["index", "period", "unit_id", "rank", "group", "source"]
_CELL_FRAME = ["unit_id", "row", "value", "source", "col"]


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
    changes: pd.DataFrame = field(default_factory=no_published_changes)  # ``changes.CHANGE_FRAME``


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
    units: tuple[np.ndarray, list[str]] | None = None
    """The unit of each row of ``values`` as a code into a list of unit ids (an id may be
    listed twice): the step that lays numbers out by unit needs no text compared."""


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


def _plain_unit_rows(sheet: RawSheet, layout: SheetLayout, key_cols: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Filled rows from the first unit row on, and which of them are surely unit rows, judged
    column by column: more than two cells written (no block heading), too few texts to
    repeat the header, and a name that is no footer, signature or maximum label. The others
    go through the row rules one by one. Found once per sheet, shared by its periods."""
    width = sheet.width
    rows = np.arange(layout.first_row, len(sheet.rows))
    filled = np.zeros(len(rows), dtype=bool)
    written = np.zeros(len(rows), dtype=np.int32)
    texts = np.zeros(len(rows), dtype=np.int32)
    signature = [fold(v) for v in sheet.rows[layout.header_rows[-1]]] if layout.header_rows else []
    labels = [c for c, key in enumerate(signature) if key and c < width]
    for c in range(width):
        column = sheet.cells_of(c, layout.first_row)  # a view, or a typed column of numbers
        numbers = columns.numeric_only(column)  # judged once, asked by the three rules
        here = columns.filled(column, numbers)
        filled |= here
        # Numbers with no blank at all are all written too: no second pass over the column.
        written += here if numbers and here.all() else columns.written(column, numbers)
        if c in labels:
            texts += columns.texts(column, numbers)
    names = columns.per_distinct(sheet.cells_of(key_cols[0], layout.first_row), _plain_name)
    maximum = np.zeros(len(rows), dtype=bool)  # a "Điểm tối đa" label left of the names
    for c in range(min(key_cols[0] + 1, width)):
        if not columns.numeric_only(column := sheet.cells_of(c, layout.first_row)):
            maximum |= np.array(columns.per_distinct(column, lambda v: is_max_row([v])), dtype=bool)
    few_texts = texts < 0.6 * len(labels) if len(labels) >= 2 else np.ones(len(rows), dtype=bool)
    return rows[filled], ((written > 2) & few_texts & np.array(names, dtype=bool) & ~maximum)[filled]


@functools.lru_cache(maxsize=1 << 16)
def _plain_name(value: object) -> bool:
    """A name that is surely no end, footer or maximum-row label."""
    text = clean_text(value)
    return bool(text) and not (may_be_label(text) and (is_end(text) or is_footer(text) or is_max_row([text])))


def classify_rows(sheet: RawSheet, layout: SheetLayout, level: str | None) -> RowPlan:
    """The unit rows below the header, each with the level its block heading announces
    (``level`` when given wins); stops at the end labels or a repeated header."""
    signature = [fold(v) for v in sheet.rows[layout.header_rows[-1]]] if layout.header_rows else None
    key_cols = [c.col for c in layout.by_role(Role.NAME)]
    primary = key_cols[0]
    current = level
    rows: list[tuple[int, str | None]] = []
    issues: list[Issue] = []
    found = (layout.first_row, tuple(key_cols), tuple(layout.header_rows))
    if found not in sheet.shared:
        sheet.shared[found] = _plain_unit_rows(sheet, layout, key_cols)
    candidates, plain = sheet.shared[found]
    if sheet.kept is not None:  # one period of a long table: its rows only
        keep = sheet.kept[candidates]
        candidates, plain = candidates[keep], plain[keep]
    for r, is_plain in zip(candidates.tolist(), plain.tolist(), strict=True):
        if is_plain:  # the common case, decided by whole columns above
            rows.append((r, current))
            continue
        row = sheet.rows[r]
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


def _distinct_matches(names: list[tuple[str, str | None]], registry: UnitRegistry,
                      overrides: dict[str, str]) -> dict[tuple[str, str | None], UnitMatch]:
    """The match of each distinct (name, level), in the order met; new units are remembered so
    a later spelling of the same name finds them. Two different names fuzzy-matched onto one
    unit are never collapsed: the exact one wins (else the closest), the others stay new."""
    found: dict[tuple[str, str | None], UnitMatch] = {}
    chosen = {pair: UnitMatch(pair[0], overrides[pair[0]], registry.name(overrides[pair[0]]),
                              MatchMethod.CHOSEN, 100.0) for pair in names if pair[0] in overrides}
    rest = [pair for pair in names if pair not in chosen]
    for pair, match in zip(rest, registry.match_many([n for n, _ in rest], [lv for _, lv in rest]), strict=True):
        if match.how == MatchMethod.NEW and (known := registry.exact(match.raw_name, pair[1])):
            match = known  # an earlier name of this file proposed that unit
        found[pair] = match
        if match.how == MatchMethod.NEW:
            registry.remember(match.unit_id, match.name, pair[1] or Level.UNIT)
    found.update(chosen)
    return _uncollapsed(found, registry)


def _uncollapsed(found: dict[tuple[str, str | None], UnitMatch],
                 registry: UnitRegistry) -> dict[tuple[str, str | None], UnitMatch]:
    by_unit: dict[str, list[tuple[str, str | None]]] = {}
    for pair, match in found.items():
        by_unit.setdefault(match.unit_id, []).append(pair)
    out = dict(found)
    for pairs in by_unit.values():
        if len(pairs) < 2 or not any(found[p].how == MatchMethod.FUZZY for p in pairs):
            continue  # the common case, told without folding a name
        if len({unit_key(name) for name, _ in pairs}) < 2:
            continue
        winner = max(pairs, key=lambda p: (found[p].how != MatchMethod.FUZZY, found[p].score))
        for pair in pairs:
            if found[pair].how == MatchMethod.FUZZY and unit_key(pair[0]) != unit_key(winner[0]):
                match = registry.proposed(pair[0], pair[1], (found[pair].name, *found[pair].suggestions))
                registry.remember(match.unit_id, match.name, pair[1] or Level.UNIT)
                out[pair] = match
    return out


def _cleaned_names(sheet: RawSheet, col: int) -> np.ndarray:
    """``clean_text`` of every cell of column ``col``, found once per sheet and shared by the
    periods of a long table (each takes its own rows)."""
    found = ("cleaned", col)
    if found not in sheet.shared:
        # every row: the rows of other periods are never asked for
        sheet.shared[found] = columns.cleaned(sheet.cells_of(col))
    return sheet.shared[found]


def match_units(sheet: RawSheet, layout: SheetLayout, plan: RowPlan, registry: UnitRegistry,
                overrides: dict[str, str] | None = None) -> UnitRows:
    """Match the name in each unit row to a unit, each distinct name once; a unit's second row
    is a duplicate, whose numbers are not read. New units are remembered by ``registry`` so
    later rows find them."""
    rows = np.array([r for r, _ in plan.rows], dtype=np.int64)
    row_levels = [lv for _, lv in plan.rows]
    name_cols = [c.col for c in layout.by_role(Role.NAME)]
    names = {k: _cleaned_names(sheet, k)[rows].tolist() for k in name_cols}
    pairs = list(dict.fromkeys((name, lv) for k in name_cols for name, lv in zip(names[k], row_levels, strict=True)
                               if name))
    found = _distinct_matches(pairs, registry, overrides or {})
    matches: dict[tuple[int, int], UnitMatch] = {}
    levels: dict[str, str] = {}
    cells_of: dict[tuple[int, str], list[tuple[int, int]]] = {}
    for i, (r, row_level) in enumerate(plan.rows):
        for k in name_cols:
            if not names[k][i]:
                continue
            match = found[(names[k][i], row_level)]
            cells = cells_of.setdefault((k, match.unit_id), [])
            cells.append((r, k))
            if len(cells) > 1:
                continue
            matches[(r, k)] = match
            levels[match.unit_id] = row_level or (
                registry.level(match.unit_id) if match.how != MatchMethod.NEW else Level.UNIT)
    duplicates = {unit_id: [cell_ref(r, k) for r, k in cells]
                  for (_, unit_id), cells in cells_of.items() if len(cells) > 1}
    return UnitRows(matches, levels, duplicates)


def _cell_issue(sheet: str, column: Column, r: int, raw: object, problem: str) -> Issue:
    ref = cell_ref(r, column.col)
    key = "ingest.formula_error" if problem == "error" else "ingest.not_number"
    return Issue.of(Severity.ERROR, sheet, ref, key, column=column.header or column.letter,
                    sheet=sheet, cell=ref, value=clean_text(raw))


def _column_numbers(sheet: RawSheet, col: int, first: int) -> tuple[np.ndarray, np.ndarray]:
    """``parse_numbers`` of column ``col`` from row ``first`` down, read once per sheet and
    shared by the periods of a long table (each takes its own rows): ten periods are one
    parse of a hundred thousand cells, not ten of ten thousand."""
    found = ("numbers", col, first)
    if found not in sheet.shared:
        # every row: the rows of other periods are never asked for; a typed column of numbers
        # is taken as it is, with no Python object per cell
        sheet.shared[found] = parse_numbers(sheet.cells_of(col, first))
    return sheet.shared[found]


def _numbers(sheet: RawSheet, column: Column, rows: np.ndarray, known: np.ndarray,
             issues: list[Issue], first: int) -> np.ndarray:
    """The numbers of one column in ``rows`` (each at or below ``first``; NaN where no unit or
    no number; ``known``: the rows with a unit); the cells that are no number become issues,
    their references made only then."""
    numbers, problems = (found[rows - first] for found in _column_numbers(sheet, column.col, first))
    if sheet.kept is not None:  # rows of other periods read as blank
        blank = ~sheet.kept[rows]
        numbers[blank], problems[blank] = np.nan, 0
    for i in np.flatnonzero((problems > 0) & known):
        r = int(rows[i])
        issues.append(_cell_issue(sheet.name, column, r, sheet.cell(r, column.col), PROBLEMS[problems[i]]))
    return np.where(known, numbers, np.nan)


def _groups(sheet: RawSheet, column: Column, rows: np.ndarray, units: np.ndarray,
            published: dict[tuple[str, int], dict]) -> None:
    labels = columns.cleaned(sheet.column(column.col, rows))
    for unit_id, raw, label in zip(units, sheet.column(column.col, rows), labels, strict=True):
        if unit_id is not None and label:
            published.setdefault((unit_id, column.key_col), {})["group"] = group_label(raw)


def read_cells(sheet: RawSheet, layout: SheetLayout, plan: RowPlan, units: UnitRows) -> Cells:
    """The numbers of the value columns for the matched rows, column by column, with the cell
    each came from; printed ranks and groups apart (they are compared, not stored as scores)."""
    rows = np.array([r for r, _ in plan.rows], dtype=np.int64)
    unit_of = {k: np.array([units.matches[(r, k)].unit_id if (r, k) in units.matches else None
                            for r in rows.tolist()], dtype=object)
               for k in (c.col for c in layout.by_role(Role.NAME))}
    known_of = {k: units != None for k, units in unit_of.items()}  # noqa: E711 (elementwise)
    published: dict[tuple[str, int], dict] = {}
    issues: list[Issue] = []
    taken: list[tuple[Column, np.ndarray, np.ndarray]] = []  # column, positions read, numbers
    for column in layout.columns:
        if column.role not in (*VALUE_ROLES, Role.GROUP) or column.key_col is None:
            continue
        here = unit_of[column.key_col]
        if column.role == Role.GROUP:
            _groups(sheet, column, rows, here, published)
            continue
        values = _numbers(sheet, column, rows, known_of[column.key_col], issues, layout.first_row)
        kept = np.flatnonzero(known_of[column.key_col] & ~np.isnan(values))
        if column.role == Role.RANK:
            for i in kept.tolist():
                entry = published.setdefault((here[i], column.key_col), {})
                entry["rank"] = values[i]
                entry["rank_source"] = f"{sheet.name}!{column.letter}{rows[i] + 1}"
            continue
        taken.append((column, kept, values[kept]))
    values, units_read = _cell_frame(sheet.name, rows, unit_of, taken)
    return Cells(values, published, tuple(issues), units_read)


def _cell_frame(sheet: str, rows: np.ndarray, unit_of: dict[int, np.ndarray],
                taken: list[tuple[Column, np.ndarray, np.ndarray]],
                ) -> tuple[pd.DataFrame, tuple[np.ndarray, list[str]] | None]:
    """``_CELL_FRAME`` of the numbers read, one column after the other, and the code of each
    row's unit into a list of unit ids: the texts (unit ids, sources) are built in Arrow from
    codes, not one Python string per cell."""
    if not taken:
        return pd.DataFrame(columns=_CELL_FRAME), None
    ids = {k: pd.factorize(units) for k, units in unit_of.items()}
    offsets = dict(zip(ids, np.cumsum([0] + [len(u) for _, u in ids.values()]).tolist(), strict=False))
    positions = np.concatenate([kept for _, kept, _ in taken])
    unit_codes = np.concatenate([ids[c.key_col][0][kept] + offsets[c.key_col] for c, kept, _ in taken])
    which = np.repeat(np.arange(len(taken)), [len(kept) for _, kept, _ in taken])
    at = rows[positions]
    labels = [u for _, found in ids.values() for u in found]
    return pd.DataFrame({
        "unit_id": columns.labelled(unit_codes, labels),
        "row": at,
        "value": np.concatenate([values for _, _, values in taken]),
        "source": columns.cell_sources([f"{sheet}!{c.letter}" for c, _, _ in taken], which, at),
        "col": np.array([c.col for c, _, _ in taken], dtype=np.int64)[which],
    }, columns=_CELL_FRAME), (unit_codes, labels)


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
    scores = _score_frame(values[values["col"].isin(list(code_of))], code_of, max_of, index, period)
    percent_cols = [c.col for c in layout.by_role(Role.PERCENT)]
    if total_cols or not percent_cols:
        return scores
    pct = values[values["col"] == percent_cols[0]]
    extra = _score_frame(pct, {percent_cols[0]: TOTAL}, {percent_cols[0]: 100.0}, index, period)
    return pd.concat([scores, extra], ignore_index=True)


def _score_frame(kept: pd.DataFrame, code_of: dict[int, str], max_of: dict[int, float],
                 index: str, period: str | None) -> pd.DataFrame:
    """``_SCORE_FRAME`` of the cells ``kept``; their texts stay Arrow columns, never copied
    out to Python strings and back."""
    cols = list(code_of)
    which = pd.Index(cols).get_indexer(kept["col"].to_numpy())
    same = np.zeros(len(kept), dtype=np.int64)
    return pd.DataFrame({
        "index": columns.labelled(same, [index]),
        "period": columns.labelled(same, [period]) if period is not None else None,
        "unit_id": kept["unit_id"].array,
        "component": columns.labelled(which, [code_of[c] for c in cols]),
        "value": kept["value"].to_numpy(dtype=float),
        "max_value": np.array([max_of[c] for c in cols], dtype=float)[which],
        "source": kept["source"].array,
    }, columns=_SCORE_FRAME)


def _published(published: dict[tuple[str, int], dict], *, index: str, period: str | None) -> pd.DataFrame:
    rows = [{"index": index, "period": period, "unit_id": unit_id, "rank": entry.get("rank"),
             "group": entry.get("group", ""), "source": entry.get("rank_source", "")}
            for (unit_id, _), entry in published.items()]
    return pd.DataFrame(rows, columns=_PUBLISHED_FRAME)


def _unit_by_column(values: pd.DataFrame, units_read: tuple[np.ndarray, list[str]] | None = None) -> pd.DataFrame:
    """Units × columns of the numbers read, a unit's first number where it has two (pairs
    resolved by unit): row-aligned values for the sum detection, laid out by index arithmetic.
    ``units_read``: ``Cells.units``, whose codes spare factorizing the unit ids' texts (the
    units then come in the order of that list, which the sum detection does not depend on)."""
    if values.empty:
        return pd.DataFrame()
    if units_read is None:
        units, names = pd.factorize(values["unit_id"])
    else:
        same, names = pd.factorize(np.asarray(units_read[1], dtype=object))
        units = same[units_read[0]]
    cols, col_at = np.unique(values["col"].to_numpy(), return_inverse=True)
    _, first = np.unique(units * len(cols) + col_at, return_index=True)
    matrix = np.full((len(names), len(cols)), np.nan)
    matrix[units[first], col_at[first]] = values["value"].to_numpy(dtype=float)[first]
    return pd.DataFrame(matrix, index=pd.Index(names, name="unit_id"), columns=pd.Index(cols, name="col"))


def _with_tree(sheet: RawSheet, layout: SheetLayout, cells: Cells, index: str) -> SheetLayout:
    """``layout`` with its component tree, maxima filled in."""
    tree = infer_tree(layout, _unit_by_column(cells.values, cells.units))
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
    changes, change_issues = read_changes(sheet, layout, [r for r, _ in plan.rows], units.matches,
                                          index=index, period=period)
    return SheetData(
        layout=layout, period=period, period_source=period_source,
        scores=derive_parents(scores, layout.components, index, period),
        published=_published(cells.published, index=index, period=period),
        inspections=pd.DataFrame(), matches=list(units.matches.values()),
        unit_levels=units.levels, unit_rows=units.duplicates,
        issues=[*plan.issues, *cells.issues, *change_issues], additive=kind_of(index).additive,
        changes=changes,
    )
