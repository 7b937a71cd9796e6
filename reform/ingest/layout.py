"""Where the table is in a sheet: title rows, the header block, the maximum row, block
headings, footers and the end; no column position is hard-coded.

A sheet from an office has title rows, one to three header rows (merged field names over
their criteria, sometimes a "Điểm tối đa" row), block heading rows ("I. KHỐI SỞ"), the units,
then footer rows. ``detect_layout`` finds all of that and says what each column holds.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from reform.core import config
from reform.core.errors import FileRefused
from reform.core.model import Level, Role
from reform.core.text import clean_text, find_years, fold, parse_number, strip_accents
from reform.ingest.readers import RawSheet
from reform.ingest.roles import (
    Column,
    header_period,
    period_of,
    resolve_names,
    resolve_totals,
    role_from_header,
    role_from_values,
    scores_only,
    with_chosen_roles,
)
from reform.ingest.units import UnitRegistry

SCORES, INSPECTIONS = "scores", "inspections"
"""The two kinds of table a sheet can hold."""

_MAX_ROW_KEYS = ("diem toi da", "thang diem", "toi da", "diem chuan", "max", "maximum")
_FOOTER_KEYS = ("tong", "trung binh", "binh quan", "diem cao nhat", "diem thap nhat", "cao nhat",
                "thap nhat", "highest", "lowest", "average", "total", "mean")
_END_KEYS = ("ghi chu", "nguoi lap", "nguoi lap bieu", "truong phong", "giam doc", "chu tich",
             "pho chu tich", "thu truong", "kt ", "tm ", "noi nhan", "xac nhan", "ky ten", "note")
# "I. KHỐI SỞ", "B) Khối phường"; not "1.1 Kế hoạch", which is a criterion in a header row.
_BLOCK_HEADING = re.compile(r"^(?:[IVXLC]+|[A-Z])\s*[.)/:-]\s+\S|^khoi\b", re.IGNORECASE)
_LEVEL_WORDS = (  # order matters: "phòng" must not be read as "phường"
    ("phuong", Level.WARD), ("xa", Level.COMMUNE), ("thi tran", Level.COMMUNE),
    ("quan", Level.DISTRICT), ("huyen", Level.DISTRICT), ("phong", Level.OFFICE),
    ("ban nganh", Level.DEPARTMENT), ("so", Level.DEPARTMENT), ("tinh", Level.PROVINCE),
    ("bo", Level.MINISTRY),
)
_HEADER_WORDS = frozenset({"stt", "tt", "so tt", "thu tu", "ten don vi", "don vi", "tinh", "tong diem",
                           "ma don vi", "ten tinh", "ten co quan", "co quan"})


@dataclass(frozen=True)
class Component:
    """A node of the component tree; ``col`` is None for a field that has no column of its own."""

    code: str
    name: str
    parent: str
    max_value: float | None
    col: int | None
    order: int


@dataclass(frozen=True)
class SheetLayout:
    """Where the table is in a sheet and what each column means."""

    sheet: str
    kind: str  # SCORES or INSPECTIONS
    header_rows: list[int]
    max_row: int | None
    first_row: int
    columns: list[Column]
    title: str = ""
    components: list[Component] = field(default_factory=list)

    def by_role(self, role: str) -> list[Column]:
        return [c for c in self.columns if c.role == role]

    @property
    def name_col(self) -> int | None:
        names = self.by_role(Role.NAME)
        return names[0].col if names else None


def numeric(value: object) -> bool:
    number, _ = parse_number(value)
    return number is not None


def _texty(value: object) -> bool:
    text = clean_text(value)
    return bool(text) and parse_number(value) == (None, "text")


def _filled(value: object) -> bool:
    if isinstance(value, (int, float)):
        return value == value  # NaN is empty; numbers need no text cleaning (the hot path)
    return bool(clean_text(value))


def nonempty(row: list[object]) -> list[int]:
    """Positions of the filled cells of ``row``."""
    return [c for c, v in enumerate(row) if _filled(v)]


def is_max_row(row: list[object]) -> bool:
    """A "Điểm tối đa" row: the maximum points of each column, not a unit."""
    return any((key := fold(v)) in _MAX_ROW_KEYS or key.startswith("diem toi da") for v in row if _texty(v))


def is_block_heading(row: list[object]) -> bool:
    """A heading row that opens a block of units ("I. KHỐI SỞ", "II. KHỐI QUẬN, HUYỆN")."""
    if sum(1 for v in row if v not in ("", None)) > 2:
        return False  # a heading fills one or two cells; data rows are rejected here, cheaply
    filled = [clean_text(v) for v in row if clean_text(v)]
    if not filled or any(numeric(v) for v in row if clean_text(v)):
        return False
    text = " ".join(filled)
    return bool(_BLOCK_HEADING.match(text)) or fold(text).startswith("khoi ") or " khoi " in f" {fold(text)} "


def level_of_heading(text: str) -> Level | None:
    """The unit level a block heading announces: "II. KHỐI PHƯỜNG" -> "ward"."""
    words = f" {fold(text)} "
    return next((level for word, level in _LEVEL_WORDS if f" {word} " in words), None)


def is_footer(text: str) -> bool:
    """A footer label ("Tổng", "Trung bình", "Điểm cao nhất"): a row that is no unit."""
    key = fold(text)
    return key in _FOOTERS or key.startswith(_FOOTER_PREFIXES)


# Each key as a whole label, or as the first words of one: one set lookup and one
# ``startswith`` of a tuple (in C) for each name, asked of every unit of a national file.
_FOOTERS = frozenset(_FOOTER_KEYS)
_FOOTER_PREFIXES = tuple(k + " " for k in _FOOTER_KEYS)
_ENDS = frozenset(k.strip() for k in _END_KEYS)
_END_PREFIXES = tuple(k if k.endswith(" ") else k + " " for k in _END_KEYS)
_LABEL_STARTS = frozenset(k[:2] for k in (*_FOOTER_KEYS, *_END_KEYS, *_MAX_ROW_KEYS))


def may_be_label(text: str) -> bool:
    """Whether ``text`` could be a footer, signature or maximum-row label (by its first
    letters), so the full accent folding runs on a few rows instead of every unit."""
    return strip_accents(text[:3]).lower()[:2] in _LABEL_STARTS


def is_end(text: str) -> bool:
    """A label that ends the table (notes, signatures: "Người lập biểu", "KT. GIÁM ĐỐC")."""
    key = fold(text)
    return key in _ENDS or key.startswith(_END_PREFIXES)


def repeats_header(row: list[object], signature: list[str]) -> bool:
    """Whether ``row`` repeats the header's labels (``signature``, folded): a second table."""
    labels = [(c, key) for c, key in enumerate(signature) if key]
    if len(labels) < 2:
        return False
    # Data rows hold numbers under most labels: skip folding them unless labels can match.
    texts = sum(1 for c, _ in labels if c < len(row) and isinstance(row[c], str) and row[c])
    if texts < 0.6 * len(labels):
        return False
    same = sum(1 for c, key in labels if c < len(row) and fold(row[c]) == key)
    return same >= 0.6 * len(labels)


def _years_header(row: list[object]) -> bool:
    """A header row whose numbers are all years ("Tỉnh | 2021 | 2022 | 2023"), not a unit's scores."""
    numbers = [v for v in row if numeric(v)]
    return len(numbers) >= 2 and all(period_of(v) for v in numbers) and len(set(map(str, numbers))) == len(numbers)


def _one_score_rows(rows: list[list[object]], r: int) -> bool:
    """Row ``r`` and the two filled rows after it each hold a name and exactly one number: a
    table of one score per unit ("Tên đơn vị, Tổng điểm")."""
    following = [rows[x] for x in range(r, min(len(rows), r + 6)) if nonempty(rows[x])][:3]
    return len(following) >= 2 and all(
        sum(numeric(v) for v in row) == 1 and sum(_texty(v) for v in row) >= 1 for row in following)


def find_first_data_row(sheet: RawSheet) -> int | None:
    """The first row with two numbers and a text, followed by another row of numbers; or,
    in a table of one score per unit, the first of several rows with a name and one number."""
    rows = sheet.rows
    limit = min(len(rows), config.MAX_HEADER_SCAN_ROWS + 20)
    for r in range(limit):
        row = rows[r]
        numbers = sum(numeric(v) for v in row)
        texts = sum(_texty(v) for v in row)
        if texts < 1 or is_max_row(row) or _years_header(row):
            continue
        if numbers >= 2:
            following = [rows[x] for x in range(r + 1, min(len(rows), r + 4)) if nonempty(rows[x])]
            if not following or sum(numeric(v) for v in following[0]) >= 2:
                return r
        elif numbers == 1 and r > 0 and _one_score_rows(rows, r):
            return r
    return None


def _span_coverage(sheet: RawSheet, r: int) -> int:
    cols = set(nonempty(sheet.rows[r]))
    for r0, c0, r1, c1 in sheet.merges:
        if r0 <= r <= r1 and clean_text(sheet.cell(r0, c0)):
            cols.update(range(c0, c1 + 1))
    return len(cols)


def find_header_rows(sheet: RawSheet, first_data: int) -> tuple[list[int], int | None]:
    """The header rows right above ``first_data`` and the maximum row among them, if any."""
    header: list[int] = []
    max_row = None
    data_width = max(2, len(nonempty(sheet.rows[first_data])))
    r = first_data - 1
    while r >= 0 and len(header) < config.MAX_HEADER_ROWS:
        row = sheet.rows[r]
        if is_max_row(row):
            max_row = r
        elif is_block_heading(row) and not header:
            pass
        elif _span_coverage(sheet, r) >= max(2, 0.25 * data_width) or (
                len(nonempty(row)) >= 2 and any(fold(v) in _HEADER_WORDS for v in row)):
            # A field row without merge records covers few cells; its "STT"/"Tên đơn vị"
            # still marks it as a header row.
            header.insert(0, r)
        else:
            break
        r -= 1
    return header, max_row


def _spread_unmerged(grid: list[list[str]], sheet: RawSheet, header_rows: list[int],
                     merged_rows: set[int]) -> list[list[str]]:
    """Files without merge records (old .xls, CSV): a label in an upper header row with
    blanks to its right, above labelled cells, spans those cells."""
    grid = [list(row) for row in grid]
    for i, r in enumerate(header_rows[:-1]):
        if r in merged_rows:
            continue
        lower = grid[i + 1:]
        current = ""
        for c in range(len(grid[i])):
            if grid[i][c]:
                current = grid[i][c]
            elif current and any(row[c] for row in lower) and clean_text(sheet.cell(r, c)) == "":
                grid[i][c] = current
            else:
                current = ""
    return grid


def header_grid(sheet: RawSheet, header_rows: list[int], width: int) -> list[list[str]]:
    """The header labels, each merged label repeated over every cell it spans."""
    grid = [[clean_text(sheet.cell(r, c)) for c in range(width)] for r in header_rows]
    position = {r: i for i, r in enumerate(header_rows)}
    merged_rows = set()
    for r0, c0, r1, c1 in sheet.merges:
        value = clean_text(sheet.cell(r0, c0))
        if not value or c1 == c0:
            continue
        for r in range(r0, r1 + 1):
            if r in position:
                merged_rows.add(r)
                for c in range(c0, min(c1 + 1, width)):
                    grid[position[r]][c] = value
    return _spread_unmerged(grid, sheet, header_rows, merged_rows)


def _title(sheet: RawSheet, end: int) -> str:
    return " | ".join(" ".join(clean_text(v) for v in sheet.rows[r] if clean_text(v))
                      for r in range(0, end) if nonempty(sheet.rows[r]))


def _columns(sheet: RawSheet, grid: list[list[str]], first: int, registry: UnitRegistry) -> list[Column]:
    """Each column with its labels (top to bottom, without repeats) and detected role."""
    body = sheet.rows[first: first + 200]
    columns = []
    for c in range(sheet.width):
        parts: list[str] = []
        for row in grid:
            if row[c] and (not parts or parts[-1] != row[c]):
                parts.append(row[c])
        values = [row[c] if c < len(row) else None for row in body]
        role = role_from_values(role_from_header(parts), values, registry)
        period = header_period(parts) or ""
        if period and role in (Role.COMPONENT, Role.TOTAL, Role.PERCENT, Role.PERIOD):
            role = Role.TOTAL  # "Năm 2021": that year's score in a years-side-by-side table
        columns.append(Column(col=c, header=" / ".join(parts), parts=parts, role=role,
                              period=period if role == Role.TOTAL else ""))
    return columns


def _consecutive(values: list[object]) -> bool:
    """Integers 0, 1, 2, … or 1, 2, 3, … (at least two): row numbers."""
    numbers = [parse_number(v)[0] for v in values if _filled(v)]
    if len(numbers) < 2 or any(n is None or not float(n).is_integer() for n in numbers):
        return False
    start = int(numbers[0])
    return start in (0, 1) and [int(n) for n in numbers] == list(range(start, start + len(numbers)))


def _row_numbers(columns: list[Column], body: list[list[object]]) -> list[Column]:
    """Columns of consecutive integers left of the unit names, whatever their header (empty,
    "Unnamed: 0", "STT", "No."), are row numbers. A published rank can be consecutive too in a
    ranked table: a rank header ("Xếp hạng") or a place right of the names keeps it a rank."""
    names = [c.col for c in columns if c.role == Role.NAME]
    first_name = names[0] if names else None
    out = []
    for column in columns:
        unnamed = not column.header or fold(column.header).startswith("unnamed")
        left = first_name is None or column.col < first_name
        if (left and (unnamed or column.role == Role.STT) and column.role not in (Role.RANK, Role.NAME)
                and _consecutive([row[column.col] if column.col < len(row) else None for row in body])):
            column = replace(column, role=Role.STT, period="")
        out.append(column)
    return out


def _shape_roles(columns: list[Column]) -> list[Column]:
    """Roles that only make sense together: one period column alone is an ordinary total; a
    value column without an indicator column is a score; a single score is the total."""
    periods = {c.period for c in columns if c.period}
    if len(periods) < 2:
        columns = [replace(c, period="") for c in columns]
    if not any(c.role == Role.INDICATOR for c in columns):
        columns = [replace(c, role=Role.COMPONENT) if c.role == Role.VALUE else c for c in columns]
    scores = [c for c in columns if c.role in (Role.COMPONENT, Role.TOTAL, Role.PERCENT)]
    if len(scores) == 1 and scores[0].role == Role.COMPONENT:
        columns = [replace(c, role=Role.TOTAL) if c is scores[0] else c for c in columns]
    return columns


def _kind(columns: list[Column]) -> str:
    dated = any(c.role == Role.DATE for c in columns)
    counted = any(c.role in (Role.VIOLATIONS, Role.CATEGORY) for c in columns)
    return INSPECTIONS if dated and counted else SCORES


def detect_layout(sheet: RawSheet, registry: UnitRegistry, roles: dict[str, str] | None = None) -> SheetLayout:
    """Find the header, the first unit row and each column's role in ``sheet``.

    ``roles`` maps column letters to roles the analyst chose, overriding detection.
    Raises :class:`FileRefused` when the sheet holds no table of units and numbers.
    """
    first = find_first_data_row(sheet)
    if first is None:
        raise FileRefused.of("ingest.no_table", sheet=sheet.name)
    header_rows, max_row = find_header_rows(sheet, first)
    grid = header_grid(sheet, header_rows, sheet.width) if header_rows else []
    body = sheet.rows[first: first + 200]
    columns = _row_numbers(_columns(sheet, grid, first, registry), body)
    columns = with_chosen_roles(columns, roles)
    kind = _kind(columns)
    if kind == SCORES:
        columns = _shape_roles(scores_only(columns))
    columns = resolve_totals(resolve_names(columns, sheet.rows[first: first + 80], registry))
    title = _title(sheet, header_rows[0] if header_rows else first)
    layout = SheetLayout(sheet.name, kind, header_rows, max_row, first, columns, title=title)
    if not layout.by_role(Role.NAME):
        raise FileRefused.of("ingest.no_name_column", sheet=sheet.name)
    return layout


# Years that are not the period: a date ("ngày 20/3/2017", "ngày 20 tháng 3 năm 2017"), a
# document number ("1234/2017/QĐ-UBND", "15/BC-TH"), a range of years ("các năm 2011 - 2016").
_NOT_PERIOD = (
    re.compile(r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*(?:19|20)\d\d"),
    re.compile(r"(?:ngay\s+\d{1,2}\s+)?thang\s+\d{1,2}\s+nam\s+(?:19|20)\d\d"),
    re.compile(r"\d+\s*/\s*(?:19|20)\d\d\s*/\s*[a-z]"),
    re.compile(r"(?:cac nam|giai doan|tu nam)?\s*(?:19|20)\d\d\s*(?:-|–|—|den|to)\s*(?:19|20)\d\d"),
)
_NAMED_YEAR = re.compile(r"\b(?:nam|ky danh gia|ky|year|in)\s+((?:19|20)\d\d)(?!\d)")
_ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def title_years(text: str) -> tuple[list[str], list[str]]:
    """The years a title names as its period ("NĂM 2016", "kỳ đánh giá 2016") and the other
    years it mentions, once dates, document numbers and ranges of years are left out."""
    plain = strip_accents(clean_text(text)).lower().replace("đ", "d")
    for pattern in _NOT_PERIOD:
        plain = pattern.sub(" ", plain)
    named = _NAMED_YEAR.findall(plain)
    return sorted(set(named)), sorted(set(_ANY_YEAR.findall(plain)) - set(named))


def _decide(candidates: list[str], sheet_name: str, file_name: str) -> str | None:
    """The one of ``candidates`` the sheet name, then the file name, also names."""
    for text in (sheet_name, file_name):
        named = [y for y in candidates if y in find_years(text)]
        if len(named) == 1:
            return named[0]
    return None


def infer_period(sheet: RawSheet, layout: SheetLayout, file_name: str) -> tuple[str | None, str, tuple[str, ...]]:
    """The period of a sheet, where it was found, and every year seen on the way.

    The sheet name when it names one year; else the title, ranked by evidence (a year the
    title names as such, "NĂM 2016", before a bare year; dates, document numbers and ranges
    are no period); where the title still disagrees, the sheet name then the file name
    decide; then the headers of the total; then the file name.
    """
    sheet_years = sorted(set(find_years(sheet.name)))
    named, other = title_years(layout.title)
    headers = " ".join(c.header for c in layout.columns if c.role in (Role.TOTAL, Role.RANK, Role.PERCENT))
    header_years = sorted(set(find_years(headers)))
    file_years = sorted(set(find_years(file_name)))
    seen = tuple(sorted({*sheet_years, *named, *other, *header_years, *file_years}))
    if len(sheet_years) == 1:
        return sheet_years[0], "sheet", seen
    for candidates in (named, other):
        if len(candidates) == 1:
            return candidates[0], "title", seen
        if len(candidates) > 1:
            decided = _decide(candidates, sheet.name, file_name)
            return decided, "title" if decided else "", seen
    if len(header_years) == 1:
        return header_years[0], "header", seen
    if len(file_years) == 1:
        return file_years[0], "file", seen
    return None, "", seen
