"""The shape of a table, and its split into one annex-like part per period.

An official annex holds one period per sheet. Files from data people and other systems come
in other shapes: a *long* table (one row per unit and period, a period column, perhaps an
index column, perhaps an indicator column with one value column) and *years side by side*
("Năm 2021 | Năm 2022 | Tăng/giảm"). ``split_periods`` turns each into parts that the annex
reader (``sheet.read_sheet``) reads unchanged:

- a long table keeps its rows where they are and blanks the rows of other periods, so every
  value still names the cell it came from;
- years side by side keep every row and give each period's column the total's role;
- an indicator column is pivoted into one column per indicator, in a sheet made for the
  purpose, with a map from its cells back to the file's (``Part.cells``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import numpy as np

from reform.core.i18n import t
from reform.core.kinds import KINDS
from reform.core.model import Role
from reform.core.text import cell_ref, clean_text, fold
from reform.ingest.columns import per_distinct
from reform.ingest.layout import SheetLayout
from reform.ingest.readers import RawSheet
from reform.ingest.roles import Column, change_periods, is_rank_change, period_of

ANNEX, LONG, WIDE = "annex", "long", "wide"
"""The shapes a score table comes in."""


@dataclass(frozen=True)
class Part:
    """One period of a sheet, laid out as an annex the sheet reader understands.

    ``cells`` maps a cell of a made-up (pivoted) sheet to the file's cell ("C2" -> "F14")."""

    sheet: RawSheet
    layout: SheetLayout
    period: str
    source: str  # where the period came from: "column E", "header C"
    cells: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Shape:
    """What a sheet's table looks like, for the import report and the Data page."""

    kind: str  # ANNEX, LONG or WIDE
    periods: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()  # the letters the periods came from
    indicator: str = ""  # letter of the indicator column of a long table, if any
    value: str = ""  # letter of its value column
    index_column: str = ""  # letter of the index column, if any
    indices: tuple[str, ...] = ()  # the indices that column names


def index_code(value: object) -> str | None:
    """The index code a cell of an index column names ("PCI", "Chỉ số CCHC" -> "PAR"), or None."""
    words = f" {fold(value)} "
    for kind in KINDS:
        if fold(kind.code) == words.strip() or any(f" {k} " in words for k in kind.names_in_files):
            return kind.code
    text = clean_text(value).upper()
    return text if text.isidentifier() else None


def shape_of(raw: RawSheet, layout: SheetLayout) -> Shape:
    """The shape of ``layout``'s table in ``raw``; periods in order."""
    period_cols = layout.by_role(Role.PERIOD)
    indicator, value = layout.by_role(Role.INDICATOR), layout.by_role(Role.VALUE)
    index_cols = layout.by_role(Role.INDEX)
    pivot = {"indicator": indicator[0].letter, "value": value[0].letter} if indicator and value else {}
    index_part = {}
    if index_cols:
        found = {index_code(v) for v in _body(raw, layout, index_cols[0].col)}
        index_part = {"index_column": index_cols[0].letter, "indices": tuple(sorted(i for i in found if i))}
    if period_cols:
        col = period_cols[0].col
        periods = sorted({p for v in _body(raw, layout, col) if (p := period_of(v))})
        return Shape(LONG, tuple(periods), (period_cols[0].letter,), **pivot, **index_part)
    wide = [c for c in layout.columns if c.period]
    if wide:
        return Shape(WIDE, tuple(sorted({c.period for c in wide})), tuple(c.letter for c in wide))
    return Shape(ANNEX, **pivot, **index_part)


def _body(raw: RawSheet, layout: SheetLayout, col: int) -> list[object]:
    """The distinct filled cells of column ``col`` below the header."""
    cells = raw.column(col, np.arange(layout.first_row, len(raw.rows)))
    return [v for v, text in zip(*_distinct_texts(cells), strict=True) if text]


def _distinct_texts(cells: np.ndarray) -> tuple[list[object], list[str]]:
    seen = list({(v.__class__, v): v for v in cells}.values())
    return seen, [clean_text(v) for v in seen]


def _keep_rows(raw: RawSheet, first: int, keep: np.ndarray) -> RawSheet:
    """``raw`` with the rows from ``first`` on blanked unless ``keep`` (a bool per row from
    ``first`` on); rows keep their place, and the cells are shared, not copied."""
    kept = np.concatenate([np.ones(first, dtype=bool), keep])[:len(raw.rows)]
    if raw.typed is not None:  # its rows are built when asked for, blank outside ``kept``
        return raw.with_rows([], kept)
    blank = np.empty(1, dtype=object)
    blank[0] = []
    return raw.with_rows(np.where(kept, _row_objects(raw), blank).tolist(), kept)


def _row_objects(raw: RawSheet) -> np.ndarray:
    """The rows of ``raw`` as a 1-D object array (the lists themselves, not copies), made once
    per sheet: each period of a long table picks its rows from it in one step."""
    made = raw.shared.get("row_objects")
    if made is None or made[0] is not raw.rows:
        rows = np.empty(len(raw.rows), dtype=object)
        for r, row in enumerate(raw.rows):
            rows[r] = row
        made = raw.shared["row_objects"] = (raw.rows, rows)
    return made[1]


def _long_parts(raw: RawSheet, layout: SheetLayout, index: str | None) -> list[Part]:
    col = layout.by_role(Role.PERIOD)[0]
    index_cols = layout.by_role(Role.INDEX)
    body = np.arange(layout.first_row, len(raw.rows))
    periods = np.array(per_distinct(raw.column(col.col, body), period_of), dtype=object)
    if index_cols and index:
        periods[np.array(per_distinct(raw.column(index_cols[0].col, body), index_code), dtype=object) != index] = None
    found = sorted({p for p in periods.tolist() if p is not None})
    return [Part(_keep_rows(raw, layout.first_row, periods == period), with_changes(layout, period, found),
                 period, f"column {col.letter}") for period in found]


def _wide_parts(raw: RawSheet, layout: SheetLayout) -> list[Part]:
    parts = []
    found = sorted({c.period for c in layout.columns if c.period})
    for period in found:
        columns = [_wide_role(c, period) for c in layout.columns]
        letters = ", ".join(c.letter for c in layout.columns if c.period == period)
        # A change column no header dates is the latest period's: "Năm 2021 | Năm 2022 | Tăng/giảm".
        part_layout = with_changes(replace(layout, columns=columns), period, found, unnamed=found[-1])
        parts.append(Part(raw, part_layout, period, f"header {letters}"))
    return parts


def with_changes(layout: SheetLayout, period: str, periods: list[str] | tuple[str, ...], *,
                 unnamed: str | None = None) -> SheetLayout:
    """``layout`` for reading ``period``: each change column of that period keeps its role,
    with ``compared_with`` the period its header names, else the one before in ``periods``
    ('' for the first); a change of another period or of a rank is not read.

    A header that names no period is about ``unnamed`` (the part's own period when None).
    """
    ordered = sorted(periods)
    columns = []
    for column in layout.columns:
        if column.role != Role.CHANGE:
            columns.append(column)
            continue
        named, compared = change_periods(column.parts or [column.header])
        about = named or unnamed or period
        if about != period or is_rank_change(column.parts or [column.header]):
            columns.append(replace(column, role=Role.IGNORE))
            continue
        before = [p for p in ordered if p < period]
        columns.append(replace(column, compared_with=compared or (before[-1] if before else "")))
    return replace(layout, columns=columns)


def _wide_role(column: Column, period: str) -> Column:
    """A column's role in ``period``'s part: its own period's score is the total; other
    periods' scores, and ranks or groups of another year, are not read."""
    if column.period:
        return replace(column, role=Role.TOTAL if column.period == period else Role.IGNORE, period="")
    if column.role in (Role.RANK, Role.GROUP, Role.COMPONENT, Role.PERCENT):
        years = re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", column.header)
        if years and years[-1] != period[:4] or column.role == Role.COMPONENT:
            return replace(column, role=Role.IGNORE)
    return column


def split_periods(raw: RawSheet, layout: SheetLayout, *, index: str | None = None) -> list[Part] | None:
    """One part per period of a long or years-side-by-side table, in period order; None for
    an annex (one period, found elsewhere). Rows of another index than ``index`` are left
    out when the table has an index column."""
    if layout.by_role(Role.PERIOD):
        return _long_parts(raw, layout, index)
    if any(c.period for c in layout.columns):
        return _wide_parts(raw, layout)
    return None


def only_index(raw: RawSheet, layout: SheetLayout, index: str) -> RawSheet:
    """``raw`` keeping the rows of ``index`` when the table has an index column."""
    index_cols = layout.by_role(Role.INDEX)
    if not index_cols:
        return raw
    body = np.arange(layout.first_row, len(raw.rows))
    codes = np.array(per_distinct(raw.column(index_cols[0].col, body), index_code), dtype=object)
    return _keep_rows(raw, layout.first_row, codes == index)


def pivot_indicators(part: Part) -> Part:
    """``part`` with its indicator and value columns turned into one column per indicator
    (the unit's row, its name and its other columns first), when it has them."""
    layout = part.layout
    indicator, value = layout.by_role(Role.INDICATOR), layout.by_role(Role.VALUE)
    if not indicator or not value:
        return part
    name_col, ind_col, val_col = layout.name_col, indicator[0].col, value[0].col
    names: list[str] = []
    for r in range(layout.first_row, len(part.sheet.rows)):
        label = clean_text(part.sheet.cell(r, ind_col))
        if label and label not in names:
            names.append(label)
    keep = [c for c in layout.columns
            if c.col not in (ind_col, val_col) and c.role not in (Role.PERIOD, Role.INDEX)]
    rows, cells = _pivot_rows(part.sheet, layout, keep, names, name_col, ind_col, val_col)
    header = [c.header for c in keep] + names
    sheet = RawSheet(part.sheet.name, [header, *rows])
    return replace(part, sheet=sheet, cells=cells)


def _pivot_rows(raw: RawSheet, layout: SheetLayout, keep: list[Column], names: list[str],
                name_col: int | None, ind_col: int, val_col: int) -> tuple[list[list[object]], dict[str, str]]:
    """One row per unit: its first row's kept cells, then each indicator's value; and the
    map of the new cells to the file's."""
    order: dict[str, list[object]] = {}
    cells: dict[str, str] = {}
    for r in range(layout.first_row, len(raw.rows)):
        unit = clean_text(raw.cell(r, name_col)) if name_col is not None else ""
        label = clean_text(raw.cell(r, ind_col))
        if not unit or not label:
            continue
        if unit not in order:
            order[unit] = [raw.cell(r, c.col) for c in keep] + [None] * len(names)
            for i, c in enumerate(keep):
                cells[cell_ref(len(order), i)] = cell_ref(r, c.col)
        column = len(keep) + names.index(label)
        order[unit][column] = raw.cell(r, val_col)
        cells[cell_ref(list(order).index(unit) + 1, column)] = cell_ref(r, val_col)
    return list(order.values()), cells


_REF = re.compile(r"(?<=!)([A-Z]+[0-9]+)")


def file_cells(source: str, cells: dict[str, str]) -> str:
    """``source`` ("Sheet!C2", "=Sheet!C2+Sheet!D2") naming the file's cells instead of a
    pivoted sheet's."""
    return _REF.sub(lambda m: cells.get(m.group(1), m.group(1)), source) if cells else source


def describe(shape: Shape) -> tuple[str, str]:
    """The shape, said in Vietnamese and in English: "Long table: 13 periods from column E."."""
    said = []
    for lang in ("vi", "en"):
        if shape.kind == LONG:
            text = t("ingest.shape.long", lang, count=len(shape.periods), column=shape.columns[0])
        else:
            text = t("ingest.shape.wide", lang, count=len(shape.periods), columns=", ".join(shape.columns))
        if shape.indicator:
            text += t("ingest.shape.pivot", lang, indicator=shape.indicator, value=shape.value)
        if shape.index_column:
            text += t("ingest.shape.indices", lang, column=shape.index_column, indices=", ".join(shape.indices))
        said.append(text)
    return said[0], said[1]
