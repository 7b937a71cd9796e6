"""Read spreadsheets as they arrive (.xlsx/.xlsm, old .xls, .csv, HTML saved as .xls) into cells.

A reader returns raw cells at their real positions (row 0 is spreadsheet row 1), so every
number can be traced back to its cell, plus the merged ranges that header detection needs.
The file type is sniffed from the bytes, not trusted from the name: web systems save HTML
tables as ".xls" and Excel saves CSV in three encodings.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
import zipfile
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

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)

    def grid(self) -> np.ndarray:
        """Every cell as one rows × columns object array (None past a short row's end),
        built once and shared by the parts of a long table: the steps that read the body
        take whole columns of it, never a row at a time."""
        if self._grid is None or len(self._grid) != len(self.rows):
            self._grid = as_grid(self.rows, self.width)
        return self._grid

    def column(self, col: int, rows: np.ndarray) -> np.ndarray:
        """The cells of column ``col`` in ``rows`` (None where the sheet has none)."""
        grid = self.grid()
        if col >= grid.shape[1]:
            return np.full(len(rows), None, dtype=object)
        cells = grid[rows, col]
        if self.kept is not None:  # rows of other periods read as blank
            cells[~self.kept[rows]] = None
        return cells

    def with_rows(self, rows: list[list[object]], kept: np.ndarray) -> RawSheet:
        """This sheet with ``rows`` (some blanked) and the mask of the rows it keeps; its grid
        is shared, not copied."""
        return RawSheet(self.name, rows, self.merges, self.hidden, kept=kept, _grid=self.grid(),
                        shared=self.shared)

    def cell(self, row: int, col: int) -> object:
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return None


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
        sheets = _read_calamine(data, file_name, extents)
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


def _read_calamine(data: bytes, file_name: str, extents: dict[str, limits.Extent] | None = None) -> list[RawSheet]:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [_read_calamine_sheet(workbook, meta.name, file_name,
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
            if r < len(sheet.rows) and c < len(sheet.rows[r]) and sheet.rows[r][c] in ("", None):
                sheet.rows[r][c] = text
                sheet.grid()[r, c] = text
    return sheets


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
