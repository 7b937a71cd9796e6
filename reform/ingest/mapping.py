"""Find the table in a sheet and say what each column holds; no column position is hard-coded.

A sheet from an office has title rows, one to three header rows (merged field names over
their criteria, sometimes a "Điểm tối đa" row), block heading rows ("I. KHỐI SỞ"), the units,
then footer rows. ``detect_layout`` finds all of that; ``read_sheet`` turns the cells into
canonical rows, keeping the cell each number came from.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from reform.core import config
from reform.core.errors import FileRefused
from reform.core.model import TOTAL, Issue, UnitMatch
from reform.core.text import (
    cell_ref,
    clean_text,
    column_letter,
    find_years,
    fold,
    parse_number,
    strip_accents,
)
from reform.ingest.readers import RawSheet
from reform.ingest.units import UnitRegistry

SCORE_ROLES = ("stt", "code", "name", "name_alt", "component", "total", "percent", "rank",
               "group", "period", "note", "ignore")
INSPECTION_ROLES = ("date", "team", "kind", "category", "violations", "officials")
ROLES = SCORE_ROLES + INSPECTION_ROLES

_MAX_ROW_KEYS = ("diem toi da", "thang diem", "toi da", "diem chuan", "max", "maximum")
_FOOTER_KEYS = ("tong", "trung binh", "binh quan", "diem cao nhat", "diem thap nhat", "cao nhat",
                "thap nhat", "highest", "lowest", "average", "total", "mean")
_END_KEYS = ("ghi chu", "nguoi lap", "nguoi lap bieu", "truong phong", "giam doc", "chu tich",
             "pho chu tich", "thu truong", "kt ", "tm ", "noi nhan", "xac nhan", "ky ten", "note")
# "I. KHỐI SỞ", "B) Khối phường"; not "1.1 Kế hoạch", which is a criterion in a header row.
_BLOCK_HEADING = re.compile(r"^(?:[IVXLC]+|[A-Z])\s*[.)/:-]\s+\S|^khoi\b", re.IGNORECASE)
_LEVEL_WORDS = (  # order matters: "phòng" must not be read as "phường"
    ("phuong", "ward"), ("xa", "commune"), ("thi tran", "commune"), ("quan", "district"),
    ("huyen", "district"), ("phong", "office"), ("ban nganh", "department"), ("so", "department"),
    ("tinh", "province"), ("bo", "ministry"),
)
_HEADER_WORDS = frozenset({"stt", "tt", "so tt", "thu tu", "ten don vi", "don vi", "tinh", "tong diem",
                           "ma don vi", "ten tinh", "ten co quan", "co quan"})
_CODE_PREFIX = re.compile(r"^\s*((?:\d+)(?:\.\d+)*)\s*[.)]?\s+(?=\S)")
_INDEX_WORDS = ("sipas", "pci", "papi", "par index", "chi so cchc", "chi so cai cach")


@dataclass
class Column:
    """What one column holds, as detected or as corrected by the analyst."""

    col: int
    header: str
    parts: list[str]
    role: str
    component: str = ""
    name: str = ""
    parent: str = ""
    max_value: float | None = None
    key_col: int | None = None  # the name column that says which unit a value belongs to

    @property
    def letter(self) -> str:
        return column_letter(self.col)


@dataclass
class Component:
    """A node of the component tree; ``col`` is None for a field that has no column of its own."""

    code: str
    name: str
    parent: str
    max_value: float | None
    col: int | None
    order: int


@dataclass
class SheetLayout:
    """Where the table is in a sheet and what each column means."""

    sheet: str
    kind: str  # "scores" or "inspections"
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
        names = self.by_role("name")
        return names[0].col if names else None


@dataclass
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


def _numeric(value: object) -> bool:
    number, _ = parse_number(value)
    return number is not None


def _texty(value: object) -> bool:
    text = clean_text(value)
    return bool(text) and parse_number(value) == (None, "text")


def _filled(value: object) -> bool:
    if isinstance(value, (int, float)):
        return value == value  # NaN is empty; numbers need no text cleaning (the hot path)
    return bool(clean_text(value))


def _nonempty(row: list[object]) -> list[int]:
    return [c for c, v in enumerate(row) if _filled(v)]


def is_max_row(row: list[object]) -> bool:
    """A "Điểm tối đa" row: the maximum points of each column, not a unit."""
    return any(fold(v) in _MAX_ROW_KEYS or fold(v).startswith("diem toi da") for v in row if _texty(v))


def is_block_heading(row: list[object]) -> bool:
    """A heading row that opens a block of units ("I. KHỐI SỞ", "II. KHỐI QUẬN, HUYỆN")."""
    if sum(1 for v in row if v not in ("", None)) > 2:
        return False  # a heading fills one or two cells; data rows are rejected here, cheaply
    filled = [clean_text(v) for v in row if clean_text(v)]
    if not filled or any(_numeric(v) for v in row if clean_text(v)):
        return False
    text = " ".join(filled)
    return bool(_BLOCK_HEADING.match(text)) or fold(text).startswith("khoi ") or " khoi " in f" {fold(text)} "


def level_of_heading(text: str) -> str | None:
    """The unit level a block heading announces: "II. KHỐI PHƯỜNG" -> "ward"."""
    words = f" {fold(text)} "
    for word, level in _LEVEL_WORDS:
        if f" {word} " in words:
            return level
    return None


def is_footer(text: str) -> bool:
    key = fold(text)
    return any(key == k or key.startswith(k + " ") for k in _FOOTER_KEYS)


_LABEL_STARTS = frozenset(k[:2] for k in (*_FOOTER_KEYS, *_END_KEYS, *_MAX_ROW_KEYS))


def _may_be_label(text: str) -> bool:
    """Whether ``text`` could be a footer, signature or maximum-row label (by its first
    letters), so the full accent folding runs on a few rows instead of every unit."""
    return strip_accents(text[:3]).lower()[:2] in _LABEL_STARTS


def is_end(text: str) -> bool:
    key = fold(text)
    return any(key == k.strip() or key.startswith(k if k.endswith(" ") else k + " ") for k in _END_KEYS)


def _find_first_data_row(sheet: RawSheet) -> int | None:
    rows = sheet.rows
    limit = min(len(rows), config.MAX_HEADER_SCAN_ROWS + 20)
    for r in range(limit):
        row = rows[r]
        numbers = sum(_numeric(v) for v in row)
        texts = sum(_texty(v) for v in row)
        if numbers >= 2 and texts >= 1 and not is_max_row(row):
            following = [rows[x] for x in range(r + 1, min(len(rows), r + 4)) if _nonempty(rows[x])]
            if not following or sum(_numeric(v) for v in following[0]) >= 2:
                return r
    return None


def _span_coverage(sheet: RawSheet, r: int) -> int:
    cols = set(_nonempty(sheet.rows[r]))
    for r0, c0, r1, c1 in sheet.merges:
        if r0 <= r <= r1 and clean_text(sheet.cell(r0, c0)):
            cols.update(range(c0, c1 + 1))
    return len(cols)


def _find_header_rows(sheet: RawSheet, first_data: int) -> tuple[list[int], int | None]:
    header: list[int] = []
    max_row = None
    data_width = max(2, len(_nonempty(sheet.rows[first_data])))
    r = first_data - 1
    while r >= 0 and len(header) < config.MAX_HEADER_ROWS:
        row = sheet.rows[r]
        if is_max_row(row):
            max_row = r
        elif is_block_heading(row) and not header:
            pass
        elif _span_coverage(sheet, r) >= max(2, 0.25 * data_width) or (
                len(_nonempty(row)) >= 2 and any(fold(v) in _HEADER_WORDS for v in row)):
            # A field row without merge records covers few cells; its "STT"/"Tên đơn vị"
            # still marks it as a header row.
            header.insert(0, r)
        else:
            break
        r -= 1
    return header, max_row


def _header_grid(sheet: RawSheet, header_rows: list[int], width: int) -> list[list[str]]:
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
    # Files without merge records (old .xls, CSV): a label in an upper header row with blanks
    # to its right, above labelled cells, spans those cells.
    for i, r in enumerate(header_rows[:-1]):
        if r in merged_rows:
            continue
        lower = grid[i + 1:]
        current = ""
        for c in range(width):
            if grid[i][c]:
                current = grid[i][c]
            elif current and any(row[c] for row in lower) and clean_text(sheet.cell(r, c)) == "":
                grid[i][c] = current
            else:
                current = ""
    return grid


def _role_from_header(parts: list[str]) -> str | None:
    if not parts:
        return None
    full = fold(" ".join(parts))
    last = fold(parts[-1])
    raw = " ".join(parts)
    if last in ("stt", "tt", "so tt", "thu tu", "so thu tu", "no", "") and full.split()[:1] in (["stt"], ["tt"], ["so"], ["thu"], ["no"]):
        return "stt"
    if re.search(r"\b(xep loai|nhom|phan loai|group|tier|grade)\b", full):
        return "group"
    if re.search(r"\b(xep hang|thu hang|rank|ranking)\b", full):
        return "rank"
    if re.match(r"^(ma|ma so|tinhid|code|id)\b", full) or full in ("ma don vi", "ma tinh"):
        return "code"
    if re.search(r"\b(ghi chu|note|notes)\b", full):
        return "note"
    if re.search(r"\b(ngay|date)\b", full) and "vi pham" not in full:
        return "date"
    if re.search(r"\b(doan kiem tra|to kiem tra|team|doan)\b", full) and "so" not in full.split()[:1]:
        return "team"
    if re.search(r"\b(hinh thuc|loai kiem tra|kind)\b", full):
        return "kind"
    if re.search(r"\b(so luot vi pham|so vi pham|so truong hop vi pham|so loi|violations)\b", full):
        return "violations"
    if re.search(r"\b(so cbcc|so can bo|so cong chuc|so nguoi|officials|cbcc duoc kiem tra)\b", full):
        return "officials"
    if re.search(r"\b(noi dung vi pham|loi vi pham|hanh vi vi pham|vi pham|category)\b", full):
        return "category"
    if full in ("nam", "year", "ky", "ky danh gia", "thang", "quy", "period", "nam danh gia"):
        return "period"
    if re.search(r"\b(ten don vi|don vi|ten|tinh|tinh thanh|tinh thanh pho|co quan|province|unit|tentinh\w*|dia phuong|phuong xa)\b", full) and not re.search(r"\bchi so\b|\bdiem\b", full):
        return "name"
    index_word = any(w in full for w in _INDEX_WORDS) and "thanh phan" not in full
    if "%" in raw and len(set(parts)) == 1:
        bare = fold(raw)
        if re.fullmatch(r"(chi so|ty le|ket qua|diem|diem quy doi|chi so cchc|chi so cai cach hanh chinh|ket qua chi so|)", bare):
            return "percent"
    if re.match(r"^(tong diem|tong cong|diem tong|tong so diem|tong|total)\b", full) or index_word:
        return "total"
    return None


def _split_code(label: str) -> tuple[str, str]:
    """'1.2 Kế hoạch CCHC' -> ('1.2', 'Kế hoạch CCHC'); no code -> ('', label)."""
    match = _CODE_PREFIX.match(label)
    if match and not re.fullmatch(r"(19|20)\d\d", match.group(1)):
        return match.group(1), label[match.end():].strip()
    return "", label


def _max_from_label(label: str) -> tuple[float | None, str]:
    """'Tổ chức bộ máy (11 điểm)' -> (11.0, 'Tổ chức bộ máy')."""
    raw_match = re.search(r"\(\s*(?:tối đa\s*)?([0-9]+(?:[.,][0-9]+)?)\s*(?:điểm|đ|d)\s*\)", label, re.IGNORECASE)
    if raw_match:
        number, _ = parse_number(raw_match.group(1))
        return number, (label[: raw_match.start()] + label[raw_match.end():]).strip(" -:")
    return None, label


def detect_layout(sheet: RawSheet, registry: UnitRegistry, roles: dict[str, str] | None = None) -> SheetLayout:
    """Find the header, the first unit row and each column's role in ``sheet``.

    ``roles`` maps column letters to roles the analyst chose, overriding detection.
    Raises :class:`FileRefused` when the sheet holds no table of units and numbers.
    """
    first = _find_first_data_row(sheet)
    if first is None:
        raise FileRefused(
            f"Trang '{sheet.name}': không tìm thấy bảng số liệu (cần một dòng tiêu đề và các dòng "
            "có tên đơn vị và điểm số).",
            f"Sheet '{sheet.name}': no table found (expected a header row, then rows with a unit "
            "name and scores).",
        )
    header_rows, max_row = _find_header_rows(sheet, first)
    width = sheet.width
    grid = _header_grid(sheet, header_rows, width) if header_rows else []
    title_rows = range(0, header_rows[0] if header_rows else first)
    title = " | ".join(
        " ".join(clean_text(v) for v in sheet.rows[r] if clean_text(v)) for r in title_rows
        if _nonempty(sheet.rows[r])
    )
    body = sheet.rows[first: first + 200]
    columns: list[Column] = []
    for c in range(width):
        parts: list[str] = []
        for row in grid:
            if row[c] and (not parts or parts[-1] != row[c]):
                parts.append(row[c])
        role = _role_from_header(parts)
        values = [row[c] if c < len(row) else None for row in body]
        filled = [v for v in values if clean_text(v)]
        numeric_share = sum(_numeric(v) for v in filled) / len(filled) if filled else 0.0
        if role is None:
            if not filled:
                role = "ignore"
            elif numeric_share >= 0.5:
                role = "component"
            else:
                matched = sum(registry.match(v).how != "new" for v in filled[:40])
                role = "name" if matched >= 0.5 * min(len(filled), 40) else "ignore"
        elif role in ("total", "percent", "rank") and filled and numeric_share < 0.5:
            role = "ignore"
        elif role == "name" and filled and numeric_share >= 0.8:
            role = "component"  # a "Tỉnh"-looking header over numbers is a score
        columns.append(Column(col=c, header=" / ".join(parts), parts=parts, role=role))
    if roles:
        for column in columns:
            if column.letter in roles:
                column.role = roles[column.letter]
    kind = "inspections" if any(c.role == "date" for c in columns) and any(
        c.role in ("violations", "category") for c in columns) else "scores"
    if kind == "scores":
        for column in columns:
            if column.role in INSPECTION_ROLES:
                column.role = "component" if column.role in ("violations", "officials") else "ignore"
    _resolve_names(columns, sheet, first, registry)
    _resolve_totals(columns)
    layout = SheetLayout(sheet.name, kind, header_rows, max_row, first, columns, title=title)
    if not layout.by_role("name"):
        raise FileRefused(
            f"Trang '{sheet.name}': không tìm thấy cột tên đơn vị (tiêu đề như 'Tên đơn vị', "
            "'Đơn vị', 'Tỉnh').",
            f"Sheet '{sheet.name}': no unit name column found (a header such as 'Tên đơn vị', "
            "'Đơn vị', 'Tỉnh').",
        )
    return layout


def _resolve_names(columns: list[Column], sheet: RawSheet, first: int, registry: UnitRegistry) -> None:
    """Keep one name column per run of adjacent name columns; key every value column to one."""
    names = [c for c in columns if c.role == "name"]
    runs: list[list[Column]] = []
    for column in names:
        between = [c for c in columns if runs and runs[-1][-1].col < c.col < column.col
                   and c.role not in ("ignore", "stt", "code", "name_alt")]
        if runs and not between:
            runs[-1].append(column)
        else:
            runs.append([column])
    body = sheet.rows[first: first + 80]
    for run in runs:
        if len(run) == 1:
            continue

        def quality(column: Column) -> tuple[int, int]:
            values = [row[column.col] for row in body if column.col < len(row) and clean_text(row[column.col])]
            accents = sum(clean_text(v) != strip_accents(clean_text(v)) for v in values)
            matched = sum(registry.match(v).how == "exact" for v in values)
            vietnamese_header = int("vie" in fold(column.header) or "ten don vi" in fold(column.header))
            return (vietnamese_header, matched + accents)

        best = max(run, key=quality)
        for column in run:
            if column is not best:
                column.role = "name_alt"
    key_cols = [c.col for c in columns if c.role == "name"]
    for column in columns:
        if column.role in ("component", "total", "percent", "rank", "group", "code", "stt",
                           "period", "note", "date", "team", "kind", "category", "violations",
                           "officials"):
            left = [k for k in key_cols if k < column.col]
            column.key_col = left[-1] if left else (key_cols[0] if key_cols else None)


def _resolve_totals(columns: list[Column]) -> None:
    totals = [c for c in columns if c.role == "total"]
    # Several "total" headers: one in % is the percent column; otherwise the last is the total
    # and earlier ones are components ("Tổng điểm thẩm định" vs a final "Tổng").
    if len(totals) > 1:
        with_percent = [c for c in totals if "%" in c.header]
        keep = [c for c in totals if c not in with_percent][-1:] or totals[-1:]
        for column in totals:
            if column not in keep:
                column.role = "percent" if column in with_percent and not [
                    p for p in columns if p.role == "percent"] else "component"


def _infer_tree(layout: SheetLayout, values: pd.DataFrame, header_rows_count: int) -> list[Component]:
    """Build the component tree from merged headers, or from sums when the header is flat."""
    comps = [c for c in layout.columns if c.role == "component"]
    nodes: list[Component] = []
    order = 0
    groups: list[tuple[str, list[Column]]] = []
    for column in comps:
        # The label right above the criterion names its field (a third row above is a banner).
        upper = column.parts[-2] if len(column.parts) >= 2 and header_rows_count >= 2 else ""
        if groups and upper and groups[-1][0] == upper:
            groups[-1][1].append(column)
        else:
            groups.append((upper, [column]))
    # A field name over its criteria (merged, or repeated across) makes a tree; two header
    # rows that only name each column twice (English over Vietnamese) do not.
    grouped = any(upper and len(members) >= 2 for upper, members in groups)
    if grouped:
        field_number = 0
        for upper, members in groups:
            if upper and len(members) >= 2:
                field_number += 1
                explicit, label = _split_code(upper)
                max_value, label = _max_from_label(label)
                code = explicit if explicit and "." not in explicit else str(field_number)
                nodes.append(Component(code, label, "", max_value, None, order))
                order += 1
                for i, column in enumerate(members, start=1):
                    sub_explicit, sub_label = _split_code(column.parts[-1])
                    sub_max, sub_label = _max_from_label(sub_label)
                    sub_code = sub_explicit if sub_explicit.startswith(code + ".") else f"{code}.{i}"
                    nodes.append(Component(sub_code, sub_label, code, sub_max, column.col, order))
                    order += 1
            else:
                for column in members:
                    field_number += 1
                    explicit, label = _split_code(column.parts[-1] if column.parts else column.letter)
                    max_value, label = _max_from_label(label)
                    code = explicit if explicit and "." not in explicit else str(field_number)
                    nodes.append(Component(code, label, "", max_value, column.col, order))
                    order += 1
    else:
        parents = _sum_structure([c.col for c in comps], values)
        field_number = 0
        child_index: dict[int, int] = {}
        parent_code: dict[int, str] = {}
        for column in comps:
            label = column.parts[-1] if column.parts else column.letter
            explicit, label = _split_code(label)
            max_value, label = _max_from_label(label)
            parent_col = parents.get(column.col)
            if parent_col is None:
                field_number += 1
                code = explicit if explicit and "." not in explicit else str(field_number)
                parent_code[column.col] = code
                nodes.append(Component(code, label, "", max_value, column.col, order))
            else:
                child_index[parent_col] = child_index.get(parent_col, 0) + 1
                code = f"{parent_code[parent_col]}.{child_index[parent_col]}"
                nodes.append(Component(code, label, parent_code[parent_col], max_value, column.col, order))
            order += 1
    # Codes must be unique: explicit codes that collide fall back to positions.
    counts = Counter(n.code for n in nodes)
    if any(v > 1 for v in counts.values()):
        return _renumber(nodes)
    return nodes


def _renumber(nodes: list[Component]) -> list[Component]:
    top = 0
    last_parent = ""
    child: dict[str, int] = {}
    out = []
    for node in nodes:
        if not node.parent:
            top += 1
            new = str(top)
            last_parent = new
            out.append(Component(new, node.name, "", node.max_value, node.col, node.order))
        else:
            child[last_parent] = child.get(last_parent, 0) + 1
            out.append(Component(f"{last_parent}.{child[last_parent]}", node.name, last_parent,
                                 node.max_value, node.col, node.order))
    return out


def _sum_structure(cols: list[int], values: pd.DataFrame) -> dict[int, int]:
    """Columns that are the sum of the columns right after them (PAPI: a dimension, then its
    sub-dimensions). Returns child column -> parent column."""
    parents: dict[int, int] = {}
    i = 0
    while i < len(cols):
        found = 0
        for k in range(2, len(cols) - i):
            block = values[[cols[j] for j in range(i + 1, i + 1 + k)]]
            if block.isna().all(axis=None):
                break
            total = values[cols[i]]
            usable = total.notna() & block.notna().all(axis=1)
            if usable.sum() < 3:
                break
            diff = (block[usable].sum(axis=1) - total[usable]).abs()
            if (diff <= config.SUM_TOLERANCE).mean() >= 0.95:
                found = k
                break
        if found:
            for j in range(i + 1, i + 1 + found):
                parents[cols[j]] = cols[i]
            i += found + 1
        else:
            i += 1
    return parents


def infer_period(sheet: RawSheet, layout: SheetLayout, file_name: str) -> tuple[str | None, str]:
    """The period of a sheet and where it was found, from the most to the least specific place:
    the sheet name, the title rows, the headers, the file name."""
    places = [
        ("sheet", sheet.name),
        ("title", layout.title),
        ("header", " ".join(c.header for c in layout.columns if c.role in ("total", "rank", "percent"))),
        ("file", file_name),
    ]
    for source, text in places:
        years = sorted(set(find_years(text)))
        if len(years) == 1:
            return years[0], source
        if len(years) > 1 and source in ("sheet", "title"):
            return None, source  # "2011–2016": several years, ambiguous here
    return None, ""


def _cell_issue(sheet: str, column: Column, r: int, raw: object, problem: str) -> Issue:
    ref = cell_ref(r, column.col)
    what = "lỗi công thức" if problem == "error" else "không phải số"
    what_en = "a formula error" if problem == "error" else "not a number"
    return Issue(
        "error", sheet, ref,
        f"Cột '{column.header or column.letter}' ở {sheet}!{ref} có giá trị "
        f"'{clean_text(raw)}' {what}. Chấp nhận: số như 8,5 hoặc 8.5; '-' hoặc 'x' khi không áp dụng.",
        f"Column '{column.header or column.letter}' at {sheet}!{ref} holds "
        f"'{clean_text(raw)}', {what_en}. Accepted: numbers such as 8,5 or 8.5; '-' or 'x' for not applicable.",
        "formula_error" if problem == "error" else "not_number")


def _repeats_header(row: list[object], signature: list[str]) -> bool:
    labels = [(c, key) for c, key in enumerate(signature) if key]
    if len(labels) < 2:
        return False
    # Data rows hold numbers under most labels: skip folding them unless labels can match.
    texts = sum(1 for c, _ in labels if c < len(row) and isinstance(row[c], str) and row[c])
    if texts < 0.6 * len(labels):
        return False
    same = sum(1 for c, key in labels if c < len(row) and fold(row[c]) == key)
    return same >= 0.6 * len(labels)


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
    """Read the unit rows of ``sheet`` under ``layout`` into canonical frames and issues."""
    unit_overrides = unit_overrides or {}
    issues: list[Issue] = []
    header_signature = None
    if layout.header_rows:
        header_signature = [fold(v) for v in sheet.rows[layout.header_rows[-1]]]
    key_cols = [c.col for c in layout.by_role("name")]
    current_level = level
    data_rows: list[tuple[int, str | None]] = []
    primary = key_cols[0]
    for r in range(layout.first_row, len(sheet.rows)):
        row = sheet.rows[r]
        if all(v in ("", None) for v in row) or not _nonempty(row):
            continue
        if header_signature and _repeats_header(row, header_signature):
            break  # the header again: a second table starts below
        if is_block_heading(row):
            heading_level = level_of_heading(" ".join(clean_text(v) for v in row))
            current_level = level or heading_level or current_level
            continue
        name_text = clean_text(row[primary]) if primary < len(row) else ""
        label_text = name_text or " ".join(clean_text(v) for v in row[: primary + 1])
        if _may_be_label(label_text):  # cheap test first: most rows are plain unit names
            if is_end(label_text) or is_end(name_text):
                break
            if is_footer(name_text) or is_max_row(row[: primary + 1]):
                continue
        if not any(clean_text(row[k]) for k in key_cols if k < len(row)):
            if sum(_numeric(v) for v in row) >= 2:
                issues.append(Issue(
                    "warning", sheet.name, cell_ref(r, primary),
                    f"Dòng {r + 1} có số liệu nhưng không có tên đơn vị ở {cell_ref(r, primary)}: đã bỏ qua.",
                    f"Row {r + 1} has numbers but no unit name in {cell_ref(r, primary)}: skipped.",
                    "no_name"))
            continue
        data_rows.append((r, current_level))

    matches: dict[tuple[int, int], UnitMatch] = {}
    unit_levels: dict[str, str] = {}
    unit_rows: dict[tuple[int, str], list[str]] = {}
    for r, row_level in data_rows:
        for k in key_cols:
            raw = sheet.cell(r, k)
            if not clean_text(raw):
                continue
            if clean_text(raw) in unit_overrides:
                unit_id = unit_overrides[clean_text(raw)]
                match = UnitMatch(clean_text(raw), unit_id, registry.name(unit_id), "chosen", 100.0)
            else:
                match = registry.match(raw, row_level)
            if match.how == "new":
                registry.remember(match.unit_id, match.name, row_level or "unit")
            cells = unit_rows.setdefault((k, match.unit_id), [])
            cells.append(cell_ref(r, k))
            if len(cells) > 1:
                continue  # a unit's second row is reported as a duplicate, its numbers not read
            matches[(r, k)] = match
            unit_levels[match.unit_id] = row_level or (
                registry.level(match.unit_id) if match.how != "new" else "unit")

    # Numbers, with the cell each came from. Column by column, with a fast path for cells
    # that are already numbers: a national file has millions of them.
    value_roles = ("component", "total", "percent", "rank")
    published: dict[tuple[str, int], dict] = {}
    row_numbers = [r for r, _ in data_rows]
    unit_of = {k: [matches[(r, k)].unit_id if (r, k) in matches else None for r in row_numbers]
               for k in key_cols}
    parts: list[pd.DataFrame] = []
    for column in layout.columns:
        if column.role not in value_roles + ("group",) or column.key_col is None:
            continue
        c, letter = column.col, column.letter
        units_here = unit_of[column.key_col]
        raw_cells = [sheet.rows[r][c] if c < len(sheet.rows[r]) else None for r in row_numbers]
        numbers: list[float | None] = []
        for r, unit_id, raw in zip(row_numbers, units_here, raw_cells, strict=True):
            if unit_id is None:
                numbers.append(None)
                continue
            if column.role == "group":
                if clean_text(raw):
                    published.setdefault((unit_id, column.key_col), {})["group"] = clean_text(raw)
                numbers.append(None)
                continue
            if type(raw) is float or type(raw) is int:
                numbers.append(float(raw))
                continue
            number, problem = parse_number(raw)
            if problem:
                issues.append(_cell_issue(sheet.name, column, r, raw, problem))
            numbers.append(number)
        if column.role == "group":
            continue
        frame = pd.DataFrame({"unit_id": units_here, "row": row_numbers, "value": numbers})
        frame = frame[frame["unit_id"].notna() & frame["value"].notna()]
        frame["source"] = f"{sheet.name}!{letter}" + (frame["row"] + 1).astype(str)
        if column.role == "rank":
            for unit_id, value, source in zip(frame["unit_id"], frame["value"], frame["source"], strict=True):
                entry = published.setdefault((unit_id, column.key_col), {})
                entry["rank"], entry["rank_source"] = value, source
            continue
        frame["col"], frame["role"] = c, column.role
        parts.append(frame)
    raw_values = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["unit_id", "row", "value", "source", "col", "role"])

    # Row-aligned values per column (pairs resolved by unit) for the sum detection.
    wide = raw_values.pivot_table(index="unit_id", columns="col", values="value", aggfunc="first") \
        if not raw_values.empty else pd.DataFrame()
    components = _infer_tree(layout, wide, len(layout.header_rows))
    layout.components = components
    _apply_maximums(layout, sheet, index)

    comp_by_col = {c.col: c for c in components if c.col is not None}
    total_cols = [c.col for c in layout.by_role("total")]
    percent_cols = [c.col for c in layout.by_role("percent")]
    total_max = _total_max(layout, sheet, index)
    code_of = {col: node.code for col, node in comp_by_col.items()}
    max_of = {col: (np.nan if node.max_value is None else float(node.max_value)) for col, node in comp_by_col.items()}
    for col in total_cols:
        code_of[col] = TOTAL
        max_of[col] = np.nan if total_max is None else float(total_max)
    kept = raw_values[raw_values["col"].isin(list(code_of))]
    scores = pd.DataFrame({
        "index": index, "period": period, "unit_id": kept["unit_id"].to_numpy(),
        "component": kept["col"].map(code_of).to_numpy(),
        "value": kept["value"].astype(float).to_numpy(),
        "max_value": kept["col"].map(max_of).astype(float).to_numpy(),
        "source": kept["source"].to_numpy(),
    }, columns=["index", "period", "unit_id", "component", "value", "max_value", "source"])
    if not total_cols and percent_cols:
        # Only the percentage is printed: it is the total, out of 100.
        pct = raw_values[raw_values["col"] == percent_cols[0]]
        extra = [_score(index, period, u, TOTAL, v, 100.0, s) for u, v, s in zip(pct["unit_id"], pct["value"], pct["source"], strict=True)]
        scores = pd.concat([scores, pd.DataFrame(extra, columns=scores.columns)], ignore_index=True)
    scores = _derive_parents(scores, components, index, period)
    additive = index in ADDITIVE_INDICES

    pub_rows = [
        {"index": index, "period": period, "unit_id": unit_id, "rank": entry.get("rank"),
         "group": entry.get("group", ""), "source": entry.get("rank_source", "")}
        for (unit_id, _), entry in published.items()
    ]
    published_frame = pd.DataFrame(pub_rows, columns=["index", "period", "unit_id", "rank", "group", "source"])
    duplicate_rows = {key[1]: cells for key, cells in unit_rows.items() if len(cells) > 1}
    return SheetData(
        layout=layout, period=period, period_source=period_source, scores=scores,
        published=published_frame, inspections=pd.DataFrame(), matches=list(matches.values()),
        unit_levels=unit_levels, unit_rows=duplicate_rows, issues=issues, additive=additive,
    )


ADDITIVE_INDICES = ("PAR", "PAPI")
"""Indices whose total is the plain sum of their fields (PCI's is weighted; SIPAS's a mean)."""


def _score(index: str, period: str | None, unit_id: str, component: str, value: float,
           max_value: float | None, source: str) -> dict:
    return {"index": index, "period": period, "unit_id": unit_id, "component": component,
            "value": float(value), "max_value": np.nan if max_value is None else float(max_value),
            "source": source}


def _apply_maximums(layout: SheetLayout, sheet: RawSheet, index: str) -> None:
    if layout.max_row is not None:
        for node in layout.components:
            if node.col is not None and node.max_value is None:
                number, _ = parse_number(sheet.cell(layout.max_row, node.col))
                node.max_value = number
    defaults = config.DEFAULT_FIELD_MAXIMUM.get(index)
    for node in layout.components:
        if node.max_value is None and not node.parent and defaults is not None:
            node.max_value = defaults
    for node in layout.components:
        if node.max_value is None and node.col is None:
            children = [c.max_value for c in layout.components if c.parent == node.code]
            if children and all(m is not None for m in children):
                node.max_value = float(sum(children))


def _total_max(layout: SheetLayout, sheet: RawSheet, index: str) -> float | None:
    totals = layout.by_role("total")
    if totals and layout.max_row is not None:
        number, _ = parse_number(sheet.cell(layout.max_row, totals[0].col))
        if number:
            return number
    if totals:
        from_label, _ = _max_from_label(totals[0].header)
        if from_label:
            return from_label
    if index in config.DEFAULT_TOTAL_MAXIMUM:
        return config.DEFAULT_TOTAL_MAXIMUM[index]
    fields = [n for n in layout.components if not n.parent]
    if index in ADDITIVE_INDICES and fields and all(n.max_value is not None for n in fields):
        return float(sum(n.max_value for n in fields))
    return None


def _derive_parents(scores: pd.DataFrame, components: list[Component], index: str,
                    period: str | None) -> pd.DataFrame:
    """Fields with no column of their own get the sum of their criteria, when that is what
    they are (an additive index, or children whose maximums add up to the field's)."""
    derived = []
    for node in components:
        if node.col is not None:
            continue
        children = [c for c in components if c.parent == node.code]
        child_max = [c.max_value for c in children]
        additive = index in ADDITIVE_INDICES or (
            node.max_value is not None and all(m is not None for m in child_max)
            and abs(sum(child_max) - node.max_value) <= config.SUM_TOLERANCE)
        if not additive or not children:
            continue
        part = scores[scores["component"].isin([c.code for c in children])]
        if part.empty:
            continue
        # The source of a derived field is the formula over the cells it adds up.
        values = part.groupby("unit_id", sort=False)["value"].sum()
        cells = part.pivot(index="unit_id", columns="component", values="source").reindex(values.index)
        formulas = ["=" + "+".join(c for c in row if isinstance(c, str))
                    for row in zip(*(cells[col] for col in cells.columns), strict=True)]
        sums = pd.DataFrame({"value": values, "source": formulas}).reset_index()
        sums["index"], sums["period"], sums["component"] = index, period, node.code
        sums["max_value"] = np.nan if node.max_value is None else float(node.max_value)
        derived.append(sums[list(scores.columns)])
    if not derived:
        return scores
    return pd.concat([scores, *derived], ignore_index=True)
