"""Read spreadsheets as they arrive (.xlsx/.xlsm, old .xls, .csv, HTML saved as .xls) into cells.

A reader returns raw cells at their real positions (row 0 is spreadsheet row 1), so every
number can be traced back to its cell, plus the merged ranges that header detection needs.
The file type is sniffed from the bytes, not trusted from the name: web systems save HTML
tables as ".xls" and Excel saves CSV in three encodings.

An .xlsx sheet is read by fastexcel as typed columns (``TypedCells``: a float64 array per
column, the texts apart) when the limits scan found nothing fastexcel would read differently
from calamine; its rows are then built only when asked for. Other sheets are read by calamine.
Both give the same cells, of the same Python types, at the same places.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from python_calamine import CalamineWorkbook, SheetVisibleEnum

from reform.core import config
from reform.core.errors import FileRefused
from reform.ingest import limits
from reform.ingest.limits import ACCEPTED

Merge = tuple[int, int, int, int]
"""(first_row, first_col, last_row, last_col), 0-based and inclusive."""


@dataclass
class RawSheet:
    """Cells of one sheet as read: ``rows[r][c]`` is spreadsheet cell (r+1, c+1)."""

    name: str
    rows: list[list[object]]
    merges: list[Merge] = field(default_factory=list)
    hidden: bool = False  # hidden in Excel: read, but the analyst never saw it
    kept: np.ndarray | None = field(default=None, repr=False, compare=False)
    """Rows of one period of a long table: the others read as blank (a bool per row)."""
    _grid: np.ndarray | None = field(default=None, repr=False, compare=False)
    shared: dict = field(default_factory=dict, repr=False, compare=False)
    """What whole-column steps found on the cells, shared by the parts of a long table."""
    typed: TypedCells | None = field(default=None, repr=False, compare=False)
    """The cells as typed columns (a large .xlsx read by fastexcel); ``rows`` then builds a
    row's cells only when it is asked for."""

    @property
    def width(self) -> int:
        if self.typed is not None:
            return self.typed.width
        return max((len(row) for row in self.rows), default=0)

    def cells_of(self, col: int, first: int = 0) -> np.ndarray:
        """Column ``col`` from row ``first`` down: float64 when every cell there is a number
        (a typed column, no Python object per cell), else the cells as read (object)."""
        if self.typed is not None:
            return self.typed.column(col, first, len(self.rows))
        grid = self.grid()
        if col >= grid.shape[1]:
            return np.full(max(len(grid) - first, 0), None, dtype=object)
        return grid[first:, col]

    def grid(self) -> np.ndarray:
        """Every cell as one rows × columns object array (None past a short row's end),
        built once and shared by the parts of a long table: the steps that read the body
        take whole columns of it, never a row at a time."""
        if self._grid is None or len(self._grid) != len(self.rows):
            self._grid = as_grid(self.rows, self.width)
        return self._grid

    def column(self, col: int, rows: np.ndarray) -> np.ndarray:
        """The cells of column ``col`` in ``rows`` (None where the sheet has none)."""
        if self.typed is not None:
            cells = self.typed.objects(col)[rows] if col < self.typed.width else np.full(len(rows), None, dtype=object)
        elif col >= (grid := self.grid()).shape[1]:
            return np.full(len(rows), None, dtype=object)
        else:
            cells = grid[rows, col]
        if self.kept is not None:  # rows of other periods read as blank
            cells[~self.kept[rows]] = None
        return cells

    def with_rows(self, rows: list[list[object]], kept: np.ndarray) -> RawSheet:
        """This sheet with ``rows`` (some blanked) and the mask of the rows it keeps; its grid
        is shared, not copied."""
        if self.typed is not None:
            return RawSheet(self.name, LazyRows(self.typed, kept), self.merges, self.hidden, kept=kept,
                            shared=self.shared, typed=self.typed)
        return RawSheet(self.name, rows, self.merges, self.hidden, kept=kept, _grid=self.grid(),
                        shared=self.shared)

    def cell(self, row: int, col: int) -> object:
        if self.typed is not None:  # one cell, no row built (pages ask a column's cells one by one)
            if not 0 <= row < len(self.rows) or (self.kept is not None and not self.kept[row]):
                return None
            return self.typed.cell(row, col) if col < self.typed.width else None
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return None


class TypedCells:
    """A sheet's cells as columns: ``numbers[c]`` float64 (NaN where the cell is no number)
    and ``others[c]`` {row: value} for the cells that are not numbers (texts, error cells),
    both at the cells' real positions. A blank cell reads as "" (as calamine gives it)."""

    def __init__(self, numbers: list[np.ndarray], others: list[dict[int, object]], height: int) -> None:
        self.numbers, self.others, self.height, self.width = numbers, others, height, len(numbers)
        self.texts = 0  # cells fastexcel read as texts
        self._objects: dict[int, np.ndarray] = {}

    def set(self, row: int, col: int, value: object) -> None:
        self.others[col][row] = value
        self._objects.pop(col, None)

    def column(self, col: int, first: int, height: int) -> np.ndarray:
        """Column ``col`` from ``first`` to ``height``: float64 when it holds numbers only."""
        if col >= self.width:
            return np.full(max(height - first, 0), None, dtype=object)
        numbers = self.numbers[col][first:height]
        if not any(r >= first for r in self.others[col]) and not np.isnan(numbers).any():
            return numbers
        return self.objects(col)[first:height]

    def objects(self, col: int) -> np.ndarray:
        """Column ``col`` as the cells calamine gives: float, text, "" for a blank."""
        if col not in self._objects:
            numbers = self.numbers[col]
            cells = np.full(self.height, "", dtype=object)
            at = np.flatnonzero(~np.isnan(numbers))
            cells[at] = numbers[at].tolist()  # Python floats, as read by calamine
            if self.others[col]:
                rows = np.fromiter(self.others[col], dtype=np.int64, count=len(self.others[col]))
                cells[rows] = list(self.others[col].values())
            self._objects[col] = cells
        return self._objects[col]

    def cell(self, r: int, c: int) -> object:
        number = self.numbers[c][r]
        return float(number) if number == number else self.others[c].get(r, "")

    def row(self, r: int) -> list[object]:
        cells = [float(v) for v in (n[r] for n in self.numbers)]
        for c, value in enumerate(cells):
            if value != value:  # NaN: no number there
                cells[c] = self.others[c].get(r, "")
        return cells


class LazyRows(Sequence):
    """The rows of typed cells as lists, each built when asked for (a national sheet's
    body is never laid out as Python rows); rows outside ``kept`` read as blank."""

    def __init__(self, typed: TypedCells, kept: np.ndarray | None = None) -> None:
        self._typed, self._kept = typed, kept

    def __len__(self) -> int:
        return self._typed.height

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[r] for r in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        if self._kept is not None and not self._kept[index]:
            return []
        return self._typed.row(index)

    def __eq__(self, other: object) -> bool:  # equal to the rows as lists, as calamine's are
        if not isinstance(other, (LazyRows, list)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # rows compare by their cells, as lists do


def as_grid(rows: list[list[object]], width: int) -> np.ndarray:
    """``rows`` as one object array of ``width`` columns, short rows padded with None."""
    grid = np.full((len(rows), width), None, dtype=object)
    if rows and width and all(len(row) == width for row in rows):
        grid[:, :] = rows
        return grid
    for r, row in enumerate(rows):
        if row:
            grid[r, :len(row)] = row
    return grid


@dataclass
class RawWorkbook:
    """Every sheet of one file, with the file's name, kind and SHA-256."""

    file_name: str
    kind: str  # "xlsx", "xls", "csv", "html"
    sha256: str
    sheets: list[RawSheet]

    def sheet(self, name: str) -> RawSheet:
        for sheet in self.sheets:
            if sheet.name == name:
                return sheet
        names = ", ".join(f"'{s.name}'" for s in self.sheets)
        raise FileRefused.of("ingest.no_such_sheet", file=self.file_name, sheet=name, names=names)


def sniff_kind(data: bytes, file_name: str) -> str:
    """The real format of ``data``: "xlsx" (zip), "xls" (OLE2), "html" or "csv"."""
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xls"
    head = _decode(data[:4096], file_name, strict=False).lstrip().lower()
    if head.startswith(("<!doctype html", "<html", "<table", "<?xml", "<meta", "<head", "<body")) or (
        "<table" in head and "<td" in head
    ):
        return "html"
    return "csv"


def read_workbook(data: bytes, file_name: str) -> RawWorkbook:
    """Read ``data`` (the file's bytes) into a :class:`RawWorkbook`.

    Raises :class:`FileRefused` with a message naming the file and the accepted formats when
    the bytes are empty, damaged or of no spreadsheet kind.
    """
    if not data:
        raise FileRefused.of("ingest.empty_file", file=file_name, accepted=ACCEPTED)
    limits.check_size(data, file_name)
    kind = sniff_kind(data, file_name)
    extents = None
    if kind == "xlsx":
        extents = limits.scan_xlsx(data, file_name)  # before calamine: a forged sheet can abort the process
    elif kind == "xls":
        limits.scan_xls(data, file_name)
    sha256 = hashlib.sha256(data).hexdigest()
    if kind in ("xlsx", "xls"):
        sheets = _read_sheets(data, file_name, extents)
    elif kind == "html":
        sheets = _read_html(data, file_name)
    else:
        sheets = [_read_csv(data, file_name)]
    if not any(sheet.rows for sheet in sheets):
        raise FileRefused.of("ingest.no_cells", file=file_name)
    return RawWorkbook(file_name=file_name, kind=kind, sha256=sha256, sheets=sheets)


def read_path(path: str | Path) -> tuple[bytes, RawWorkbook]:
    """Read the file at ``path``; returns its bytes (to keep) and its cells."""
    data = read_bytes(path)
    return data, read_workbook(data, Path(path).name)


def read_bytes(path: str | Path) -> bytes:
    """The bytes of the file at ``path``, its size checked before it is read; for callers
    that parse it themselves (the import pipeline), so the cells are not read twice.

    Raises :class:`FileRefused` when it cannot be opened or is over the size limit."""
    path = Path(path)
    try:
        limits.check_size(path.stat().st_size, path.name)
        return path.read_bytes()
    except OSError as exc:
        raise FileRefused.of("ingest.cannot_open", path=path, reason=exc.strerror or exc) from exc


def _refuse_unreadable(file_name: str, detail: str) -> FileRefused:
    return FileRefused.of("ingest.unreadable", file=file_name, detail=detail, accepted=ACCEPTED)


def _read_sheets(data: bytes, file_name: str, extents: dict[str, limits.Extent] | None = None) -> list[RawSheet]:
    """The work sheets of an .xlsx (``extents``: its limits scan) or .xls, error cells put back."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        typed = _TypedReader(data, extents) if extents is not None else None
        sheets = [_read_sheet(workbook, typed, meta.name, file_name,
                              hidden=meta.visible != SheetVisibleEnum.Visible)
                  for meta in workbook.sheets_metadata
                  if "Work" in str(meta.typ)]  # chart sheets hold no cells
    except FileRefused:
        raise
    except BaseException as exc:  # calamine raises its own untyped errors for damaged files,
        # and a panic in its Rust code as pyo3's PanicException, which is no Exception
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise FileRefused.of("limits.encrypted", file=file_name) from exc
        raise _refuse_unreadable(file_name, type(exc).__name__) from exc
    # python-calamine reads error cells (#REF!, #DIV/0!) as empty strings, which would hide
    # them; put the error text back so validation can name the cell.
    errors = _xlsx_error_cells(data, extents) if data[:4] == b"PK\x03\x04" else _xls_error_cells(data)
    for sheet in sheets:
        for (r, c), text in errors.get(sheet.name, {}).items():
            if sheet.typed is not None:
                if r < len(sheet.rows) and c < sheet.width and sheet.cell(r, c) in ("", None):
                    sheet.typed.set(r, c, text)
            elif r < len(sheet.rows) and c < len(sheet.rows[r]) and sheet.rows[r][c] in ("", None):
                sheet.rows[r][c] = text
                sheet.grid()[r, c] = text
    return sheets


def _read_sheet(workbook: CalamineWorkbook, typed: _TypedReader | None, name: str, file_name: str, *,
                hidden: bool) -> RawSheet:
    """One sheet: as typed columns by fastexcel when the scan found nothing it would change,
    else by calamine, a cell at a time."""
    sheet = None
    if typed is not None:
        try:
            sheet = typed.read(name, file_name, hidden=hidden)
        except FileRefused:
            raise
        except BaseException as exc:  # whatever fastexcel fails on, calamine reads as before
            if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
                raise
    return sheet or _read_calamine_sheet(workbook, name, file_name, hidden=hidden)


def _read_calamine_sheet(workbook: CalamineWorkbook, name: str, file_name: str, *,
                         hidden: bool) -> RawSheet:
    """One sheet's cells, its size checked before Python holds a value of it."""
    sheet = workbook.get_sheet_by_name(name)
    last_row, last_col = sheet.end or (-1, -1)
    limits.check_shape(last_row + 1, last_col + 1, file_name=file_name, sheet=name)
    ranges = sheet.merged_cell_ranges or []
    limits.check_merge_count(len(ranges), file_name=file_name, sheet=name)
    # skip_empty_area=False keeps absolute positions, so "F12" means F12.
    rows = sheet.to_python(skip_empty_area=False)  # a fresh list of fresh lists
    width = max((len(row) for row in rows), default=0)
    grid = as_grid(rows, width)  # built here to check the cells a column at a time
    limits.check_grid(grid, name, file_name=file_name)
    merges = limits.clip_merges(((r0, c0, r1, c1) for (r0, c0), (r1, c1) in ranges), len(rows), width)
    limits.check_merges(merges, file_name=file_name, sheet=name)
    return RawSheet(name=name, rows=rows, merges=merges, hidden=hidden, _grid=grid)


class _TypedReader:
    """Reads the sheets of an .xlsx that the limits scan passed as typed columns with fastexcel
    (each number a float64 in an array, not a Python object), one parse of each sheet.

    fastexcel says neither where its rows start nor which cells are merged, and it reads a
    text like "12" or a boolean as a number when asked for floats: the scan found the first
    row and the merged ranges, and a sheet with booleans or texts written in it, or a
    workbook whose shared texts hold a number, is left to calamine."""

    def __init__(self, data: bytes, extents: dict[str, limits.Extent]) -> None:
        self._data, self._extents = data, extents
        self._reader = None

    def read(self, name: str, file_name: str, *, hidden: bool) -> RawSheet | None:
        hints = self._hints(name)
        if (hints is None or hints.odd_cells or hints.first_row is None or hints.last_row is None
                or hints.texts > _TYPED_MAX_TEXTS):
            return None
        merges = _merge_ranges(hints.merge_refs)
        if merges is None:
            return None
        typed = _typed_cells(self._fastexcel().load_sheet(name, header_row=None, dtypes="float"), hints.first_row)
        if typed is None or typed.texts != hints.texts or typed.height != hints.last_row + 1:
            return None  # a text read as a number, or rows written out of order: calamine reads it
        limits.check_shape(typed.height, typed.width, file_name=file_name, sheet=name)
        limits.check_merge_count(len(merges), file_name=file_name, sheet=name)
        _check_texts(typed, name, file_name)
        merges = limits.clip_merges(merges, typed.height, typed.width)
        limits.check_merges(merges, file_name=file_name, sheet=name)
        return RawSheet(name=name, rows=LazyRows(typed), merges=merges, hidden=hidden, typed=typed)

    def _hints(self, name: str) -> limits.TypedHints | None:
        """What the limits scan saw of sheet ``name`` (None when it scanned no such sheet)."""
        extent = next((e for e in self._extents.values() if e.sheet == name), None)
        return extent.typed if extent is not None else None

    def _fastexcel(self):
        if self._reader is None:
            import fastexcel

            self._reader = fastexcel.read_excel(self._data)
        return self._reader


_TYPED_MAX_TEXTS = 500_000
"""Sheets with more texts than this are read by calamine: fastexcel reports each text as an
error object of a few hundred bytes, where calamine's Python string takes less."""
_MERGE = re.compile(r"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?")
_DEBUG_TEXT = ("Expected float but got 'String(\"", "\")'", len("Expected float but got 'String(\"\")'"))
"""How fastexcel says a cell holds a text: it is written between these, as Rust's debug format writes it."""
_DEBUG_ERROR = re.compile(r"Expected float but got 'Error\(\w+\)'")
_RUST_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|.)", re.DOTALL)
_RUST_CHARS = {"n": "\n", "r": "\r", "t": "\t", "0": "\0", "\\": "\\", '"': '"', "'": "'"}


def _merge_ranges(refs: tuple[bytes, ...]) -> list[Merge] | None:
    """The merged ranges written as "A1:C2" as calamine reads them; None when one is unusual."""
    out = []
    for ref in refs:
        match = _MERGE.fullmatch(ref.decode("ascii", "replace"))
        if match is None:
            return None
        c0, r0 = _col_index(match.group(1)), int(match.group(2)) - 1
        c1, r1 = (_col_index(match.group(3)), int(match.group(4)) - 1) if match.group(3) else (c0, r0)
        out.append((r0, c0, r1, c1))
    return out


def _unescape(text: str) -> str:
    """A text as Rust's debug format writes it, read back."""
    def one(match: re.Match) -> str:
        code = match.group(1)
        return chr(int(code[2:-1], 16)) if code.startswith("u{") else _RUST_CHARS.get(code, "\\" + code)
    return _RUST_ESCAPE.sub(one, text)


def _typed_cells(sheet, first_row: int) -> TypedCells | None:
    """The typed columns of a fastexcel sheet whose first row is sheet row ``first_row``;
    None when a cell is of a kind only calamine reads as Python does (dates, durations)."""
    batch, errors = sheet.to_arrow_with_errors()
    if batch.num_rows == 0 or batch.num_columns == 0:
        return None
    at = [column.absolute_index for column in sheet.selected_columns]
    width, height = max(at) + 1, first_row + batch.num_rows
    numbers = [np.full(height, np.nan) for _ in range(width)]
    for i, col in enumerate(at):
        numbers[col][first_row:] = batch.column(i).to_numpy(zero_copy_only=False)
    others: list[dict[int, object]] = [{} for _ in range(width)]
    errors_only, found = 0, errors.errors if errors is not None else []  # a new list at each ask
    for error in found:
        (r, i), detail = error.position, error.detail
        if detail.startswith(_DEBUG_TEXT[0]) and detail.endswith(_DEBUG_TEXT[1]) and len(detail) >= _DEBUG_TEXT[2]:
            text = detail[len(_DEBUG_TEXT[0]):-len(_DEBUG_TEXT[1])]
            others[at[i]][first_row + r] = _unescape(text) if "\\" in text else text
        elif _DEBUG_ERROR.fullmatch(detail) is not None:
            errors_only += 1
        else:
            return None
    typed = TypedCells(numbers, others, height)
    typed.texts = len(found) - errors_only
    if not any(typed.row(first_row)):
        return None  # the scan's first row is not fastexcel's: read by calamine
    return typed


def _check_texts(typed: TypedCells, sheet: str, file_name: str) -> None:
    """``limits.check_grid`` for typed cells: only texts can be too long."""
    long = [(r, c) for c, cells in enumerate(typed.others) for r, value in cells.items()
            if type(value) is str and len(value) > config.MAX_CELL_CHARS]
    if long:
        r, c = min(long)
        limits.check_cell(typed.others[c][r], sheet, limits.cell_name(r, c), file_name=file_name)


_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def _col_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + (ord(ch) - 64)
    return index - 1


def _xlsx_error_cells(data: bytes, extents: dict[str, limits.Extent] | None = None,
                      ) -> dict[str, dict[tuple[int, int], str]]:
    """Error cells of each sheet of an .xlsx, read from its XML (only sheets that have any).

    A part the limits scan saw whole (``extents``) and found no error cell in is not
    inflated again: a national sheet is a hundred megabytes of XML."""
    from xml.etree import ElementTree

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    out: dict[str, dict[tuple[int, int], str]] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
            for sheet in book.iterfind("m:sheets/m:sheet", ns):
                target = targets.get(sheet.get(f"{{{ns['r']}}}id"), "")
                path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                if path not in archive.namelist() or (path in (extents or {}) and not extents[path].errors):
                    continue
                xml = archive.read(path)
                if b't="e"' not in xml:  # the common case: no error cell, no parsing
                    continue
                cells = {}
                # iterparse and clear each row: a whole tree of a national sheet takes gigabytes
                for _, cell in ElementTree.iterparse(io.BytesIO(xml)):
                    if cell.tag == f"{{{ns['m']}}}c" and cell.get("t") == "e":
                        match = _CELL_REF.fullmatch(cell.get("r", ""))
                        value = cell.find("m:v", ns)
                        if match:
                            cells[(int(match.group(2)) - 1, _col_index(match.group(1)))] = (
                                value.text if value is not None and value.text else "#ERROR!")
                    elif cell.tag == f"{{{ns['m']}}}row":
                        cell.clear()
                out[sheet.get("name")] = cells
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError):
        return {}
    return out


_XLS_ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?",
               0x24: "#NUM!", 0x2A: "#N/A"}


def _xls_error_cells(data: bytes) -> dict[str, dict[tuple[int, int], str]]:
    """Error cells of each sheet of an old .xls (xlrd knows the BIFF error codes)."""
    import xlrd

    out: dict[str, dict[tuple[int, int], str]] = {}
    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
        for name in book.sheet_names():
            sheet = book.sheet_by_name(name)
            cells = {}
            for r in range(sheet.nrows):
                for c, kind in enumerate(sheet.row_types(r)):
                    if kind == xlrd.XL_CELL_ERROR:
                        cells[(r, c)] = _XLS_ERRORS.get(sheet.cell_value(r, c), "#ERROR!")
            if cells:
                out[name] = cells
            book.unload_sheet(name)
    except Exception:  # xlrd raises many error types (even on loading a sheet) for damaged files
        return out      # that calamine could read anyway: keep the error cells found so far
    return out


_ENCODINGS = ("utf-8", "cp1258", "cp1252")


def _decode(data: bytes, file_name: str, strict: bool = True) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if len(data) > 1 and data[1:2] == b"\x00" and data[0:1] != b"\x00":
        return data.decode("utf-16-le", errors="replace")  # UTF-16 without its BOM
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    if not strict:
        return data.decode("utf-8", errors="replace")
    raise FileRefused.of("ingest.encoding", file=file_name)


def _read_csv(data: bytes, file_name: str) -> RawSheet:
    # Windows-1258 writes tones as combining marks: compose them so cells compare as text.
    text = unicodedata.normalize("NFC", _decode(data, file_name))
    if "\x00" in text:
        raise _refuse_unreadable(file_name, "binary content")
    # csv.Sniffer takes quadratic time, and splits lines on "\n" only (old Mac Excel ends them
    # with "\r"): sniff a short sample with its line ends made plain.
    sample = text[:config.CSV_SNIFF_CHARS].replace("\r\n", "\n").replace("\r", "\n")
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        # One column, or a sniffer confused by decimal commas: count the candidates instead.
        counts = {d: sample.count(d) for d in (";", "\t", ",")}
        delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
    name = Path(file_name).stem or "csv"
    return RawSheet(name=name, rows=limits.read_csv_rows(text, delimiter, file_name=file_name, sheet=name))


def _read_html(data: bytes, file_name: str) -> list[RawSheet]:
    from lxml import html as lxml_html

    text = _decode(data, file_name, strict=False)
    try:
        document = lxml_html.fromstring(text)
    except Exception as exc:  # lxml raises several parser errors for broken markup
        raise _refuse_unreadable(file_name, "HTML") from exc
    for element in list(document.iter("script", "style", "noscript", "template")):
        element.drop_tree()  # code and styling are no cell text; the text after them is kept
    sheets = []
    for number, table in enumerate(document.iter("table"), start=1):
        rows, merges = _html_grid(table, file_name=file_name, sheet=f"Table{number}")
        if rows:
            limits.check_cells(rows, f"Table{number}", file_name=file_name)
            sheets.append(RawSheet(name=f"Table{number}", rows=rows, merges=merges))
    if not sheets:
        raise _refuse_unreadable(file_name, "no <table>")
    return sheets


_SPAN = re.compile(r"\s*(\d+)")


def _span(text: str | None) -> int:
    """A rowspan/colspan as browsers read it: its leading digits, 1 when there are none."""
    match = _SPAN.match(text or "")
    return max(1, int(match.group(1))) if match else 1


def _html_grid(table, *, file_name: str, sheet: str) -> tuple[list[list[object]], list[Merge]]:
    """Lay an HTML table's cells on a grid, honouring rowspan and colspan like merged cells.

    Raises :class:`FileRefused` as soon as the grid would pass a limit (a colspan of
    99999999 is refused before a cell of it is laid)."""
    grid: dict[tuple[int, int], str] = {}
    merges: list[Merge] = []
    height = width = covered = 0
    for r, tr in enumerate(table.iter("tr")):
        c = 0
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            rowspan, colspan = _span(cell.get("rowspan")), _span(cell.get("colspan"))
            height, width = max(height, r + rowspan), max(width, c + colspan)
            limits.check_shape(height, width, file_name=file_name, sheet=sheet)
            if rowspan > 1 or colspan > 1:
                merges.append((r, c, r + rowspan - 1, c + colspan - 1))
                covered += rowspan * colspan
                if covered > config.MAX_CELLS:  # spans laid over each other again and again
                    limits.check_merges(merges, file_name=file_name, sheet=sheet)
            value = " ".join(cell.text_content().split())
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = value if (dr, dc) == (0, 0) else ""
            c += colspan
    if not grid:
        return [], []
    height = max(r for r, _ in grid) + 1
    width = max(c for _, c in grid) + 1
    rows = [[grid.get((r, c), "") for c in range(width)] for r in range(height)]
    return rows, merges
