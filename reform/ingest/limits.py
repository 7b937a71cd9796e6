"""Input limits: refuse hostile or runaway files before they cost memory, time or the process.

Checks run from the cheapest to the dearest, so a hostile file is refused as early as it
shows itself:

1. the size of the bytes (``check_size``);
2. for .xlsx/.xlsm, the zip's central directory, before anything is inflated (``check_zip``):
   parts, inflated sizes, compression ratios, encryption, nested archives;
3. every part inflated again in chunks from its raw deflate stream (``bounded_inflate``), as
   the directory can lie; the sheets' cell references are scanned on the way
   (``scan_xlsx``), so that a 1 KB file naming cell XFD1048576 never reaches calamine, which
   would allocate 17 billion cells and abort the whole process; for an old .xls, the BIFF
   records of each sheet are read the same way (``scan_xls``);
4. the shape and cells of what was read (``check_shape``, ``check_cell``, ``check_merges``),
   and CSV lines as they are read (``read_csv_rows``).

Each refusal is a :class:`FileRefused` whose message names the file, what is over, its value,
the limit and what is accepted. Limits live in :mod:`reform.core.config`.
"""
from __future__ import annotations

import csv
import html
import io
import math
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from xlrd import compdoc

from reform.core import config
from reform.core.errors import FileRefused

ACCEPTED = ".xlsx, .xlsm, .xls, .csv, .html"
MIB = 1024 * 1024
CHUNK = 1024 * 1024
"""Bytes inflated (or fed to the inflater) at a time: the most any check holds in memory."""

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_NESTED_SUFFIXES = (".zip", ".xlsx", ".xlsm", ".xltx", ".xltm", ".xlsb", ".docx", ".docm",
                    ".pptx", ".ods", ".odt", ".jar")
_ENCRYPTED_OLE = "EncryptedPackage".encode("utf-16-le")
"""The stream Office writes into an OLE2 file for a password-protected .xlsx."""
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
               struct.error, NotImplementedError, KeyError, IndexError, OverflowError)
"""What ``zipfile`` raises for a damaged or forged directory (a bad UTF-8 name is a
ValueError): all mean the same to a user."""


def megabytes(size: int) -> int:
    """``size`` bytes in whole megabytes, rounded up (51 MB is over a 50 MB limit)."""
    return math.ceil(size / MIB)


def check_size(data: bytes | int, file_name: str) -> None:
    """Refuse a file of more than ``MAX_UPLOAD_BYTES``; ``data`` is its bytes or its size.

    >>> check_size(10, "a.xlsx")
    """
    size = data if isinstance(data, int) else len(data)
    if size > config.MAX_UPLOAD_BYTES:
        raise FileRefused.of("limits.file_too_big", file=file_name, size=megabytes(size),
                             limit=config.MAX_UPLOAD_BYTES // MIB)


def check_ole(data: bytes, file_name: str) -> None:
    """Refuse an OLE2 file that holds a password-protected workbook (``EncryptedPackage``)."""
    if _ENCRYPTED_OLE in data:
        raise FileRefused.of("limits.encrypted", file=file_name)


def zip_damaged(file_name: str, detail: object) -> FileRefused:
    """The refusal for a zip that cannot be read, with the reason ``detail``."""
    return FileRefused.of("limits.zip_damaged", file=file_name, detail=detail, accepted=ACCEPTED)


def check_zip(data: bytes, file_name: str) -> list[zipfile.ZipInfo]:
    """The parts of the zip ``data``, once its central directory passes every limit.

    Nothing is inflated. Raises :class:`FileRefused` for a damaged zip, too many parts, a part
    encrypted, nested, stored with an unknown method, too big or inflating too many times its
    zipped size, and for too many bytes in all.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except _ZIP_ERRORS as exc:
        raise zip_damaged(file_name, exc) from exc
    if len(infos) > config.MAX_ZIP_MEMBERS:
        raise FileRefused.of("limits.zip_members", file=file_name, count=len(infos),
                             limit=config.MAX_ZIP_MEMBERS)
    for info in infos:
        _check_member(info, file_name)
    total = sum(info.file_size for info in infos)
    if total > config.MAX_ZIP_TOTAL_BYTES:
        raise FileRefused.of("limits.zip_total_too_big", file=file_name, size=megabytes(total),
                             limit=config.MAX_ZIP_TOTAL_BYTES // MIB)
    return infos


def _check_member(info: zipfile.ZipInfo, file_name: str) -> None:
    if info.flag_bits & 0x41:  # bit 0: encrypted; bit 6: strong encryption
        raise FileRefused.of("limits.encrypted", file=file_name)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise FileRefused.of("limits.zip_method", file=file_name, part=info.filename,
                             method=info.compress_type)
    if info.filename.lower().endswith(_NESTED_SUFFIXES):
        raise FileRefused.of("limits.zip_nested", file=file_name, part=info.filename)
    if info.file_size > config.MAX_ZIP_MEMBER_BYTES:
        raise _member_too_big(info, file_name, info.file_size)
    _check_ratio(info, file_name, info.file_size, info.compress_size)


def _member_too_big(info: zipfile.ZipInfo, file_name: str, size: int) -> FileRefused:
    return FileRefused.of("limits.zip_member_too_big", file=file_name, part=info.filename,
                          size=megabytes(size), limit=config.MAX_ZIP_MEMBER_BYTES // MIB)


def _check_ratio(info: zipfile.ZipInfo, file_name: str, inflated: int, zipped: int) -> None:
    if inflated >= config.ZIP_RATIO_MIN_BYTES and inflated > config.MAX_ZIP_RATIO * max(zipped, 1):
        raise FileRefused.of("limits.zip_ratio", file=file_name, part=info.filename,
                             ratio=inflated // max(zipped, 1), limit=config.MAX_ZIP_RATIO)


@dataclass
class Budget:
    """Bytes inflated so far from all parts of one file, held against ``MAX_ZIP_TOTAL_BYTES``."""

    used: int = 0


def bounded_inflate(data: bytes, info: zipfile.ZipInfo, file_name: str,
                    budget: Budget | None = None, chunk: int = CHUNK) -> Iterator[bytes]:
    """The inflated bytes of part ``info`` of the zip ``data``, ``chunk`` bytes at a time.

    Inflates the raw deflate stream itself rather than trusting ``zipfile``, which stops at
    the size the directory declares: a forged directory (with a matching CRC) would pass it,
    and calamine would then inflate the real gigabyte. Raises :class:`FileRefused` as soon as
    the part inflates past its declared size, ``MAX_ZIP_MEMBER_BYTES`` or ``MAX_ZIP_RATIO``
    times what was consumed, or the whole file past ``MAX_ZIP_TOTAL_BYTES`` (shared through
    ``budget``); and when the stream is cut short or ends before its declared size.
    """
    budget = budget if budget is not None else Budget()
    produced = 0
    for piece, consumed in _inflate(_compressed(data, info, file_name), info, file_name, chunk):
        produced += len(piece)
        budget.used += len(piece)
        if produced > info.file_size:
            raise FileRefused.of("limits.zip_size_lie", file=file_name, part=info.filename,
                                 declared=info.file_size, actual=produced)
        if produced > config.MAX_ZIP_MEMBER_BYTES:
            raise _member_too_big(info, file_name, produced)
        if budget.used > config.MAX_ZIP_TOTAL_BYTES:
            raise FileRefused.of("limits.zip_total_too_big", file=file_name,
                                 size=megabytes(budget.used), limit=config.MAX_ZIP_TOTAL_BYTES // MIB)
        _check_ratio(info, file_name, produced, consumed)
        yield piece
    if produced != info.file_size:
        raise FileRefused.of("limits.zip_size_lie", file=file_name, part=info.filename,
                             declared=info.file_size, actual=produced)


def _compressed(data: bytes, info: zipfile.ZipInfo, file_name: str) -> memoryview:
    """The raw bytes of one part, found through its local header (no copy)."""
    offset = info.header_offset
    header = data[offset:offset + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise zip_damaged(file_name, f"{info.filename}: no local header")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    start = offset + 30 + name_length + extra_length
    if start + info.compress_size > len(data):
        raise zip_damaged(file_name, f"{info.filename}: cut short")
    return memoryview(data)[start:start + info.compress_size]


def _inflate(raw: memoryview, info: zipfile.ZipInfo, file_name: str,
             chunk: int) -> Iterator[tuple[bytes, int]]:
    """(inflated piece, compressed bytes consumed so far) until the stream ends."""
    if info.compress_type == zipfile.ZIP_STORED:
        for start in range(0, len(raw), chunk):
            piece = bytes(raw[start:start + chunk])
            yield piece, start + len(piece)
        return
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    position = 0
    pending: bytes | memoryview = b""
    while not inflater.eof:
        if not pending:
            if position >= len(raw):
                raise zip_damaged(file_name, f"{info.filename}: cut short")
            pending = raw[position:position + chunk]
            position += len(pending)
        try:
            piece = inflater.decompress(pending, chunk)
        except zlib.error as exc:
            raise zip_damaged(file_name, f"{info.filename}: {exc}") from exc
        pending = inflater.unconsumed_tail
        if piece:
            yield piece, position - len(pending)


@dataclass(frozen=True)
class Extent:
    """How far the cells of one XML part reach (1-based), and how many ranges it merges.

    An upper bound of what calamine allocates for the sheet: rows × columns cells."""

    rows: int = 0
    columns: int = 0
    merges: int = 0
    errors: bool = field(default=False, compare=False)
    """Whether any cell is an error (``t="e"``): the reader then looks for them."""
    typed: TypedHints | None = field(default=None, compare=False)
    """What the typed reader needs that fastexcel does not say (None: read it with calamine)."""
    sheet: str = field(default="", compare=False)
    """The sheet this part holds, as the workbook names it ("" for a part that is no sheet)."""


@dataclass(frozen=True)
class TypedHints:
    """What the scan saw that lets fastexcel read a sheet as typed columns: the 0-based row
    of its first cell with a value (where fastexcel's rows start), its merged ranges as
    written, and whether it holds cells whose type fastexcel would change (booleans, texts
    written in the sheet, ISO dates): those are read by calamine instead."""

    first_row: int | None
    last_row: int | None
    """The row of the last cell with a value, in the order written (None: not known)."""
    merge_refs: tuple[bytes, ...]
    odd_cells: bool
    texts: int = 0
    """Cells written as texts (shared, inline or a formula's): fastexcel must find as many."""


_ROW_REF = re.compile(rb'r="[A-Za-z]*(\d+)"')
_COLUMN_REF = re.compile(rb'r="([A-Za-z]+)\d')
_ROW_WITHOUT_REF = (re.compile(rb'<row(?:[>/]|\s(?!r="))'), re.compile(rb'<\w+:row(?:[>/]|\s(?!r="))'))
_CELL_WITHOUT_REF = (re.compile(rb'<c(?:[>/]|\s(?!r="))'), re.compile(rb'<\w+:c(?:[>/]|\s(?!r="))'))
_ROW_START = re.compile(rb"<(?:\w+:)?row[\s/>]")
_CELL_STARTS = (b"<c ", b"<c>", b"<c/", b":c ", b":c>", b":c/")
_MERGE_STARTS = (b"<mergeCell ", b":mergeCell ")
_MAX_TAIL = 1024 * 1024
_TYPE_ATTRIBUTE = np.frombuffer(b't="', dtype=np.uint8)
_VALUE_START = re.compile(rb"<(?:\w+:)?(?:v|is)[\s>/]")
_CELL_TAG_REF = re.compile(rb'<c\s[^>]*?\br="([A-Z]+)(\d+)"[^>]*>')
_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?\bref="([^"]*)"')


def column_number(letters: str | bytes) -> int:
    """1-based number of column ``letters`` (either case, as calamine reads them): "A" is 1,
    "AA" 27, "XFD" 16384."""
    text = letters.decode("ascii") if isinstance(letters, bytes) else letters
    number = 0
    for ch in text.upper():
        number = number * 26 + (ord(ch) - 64)
    return number


def column_letters(number: int) -> str:
    """The letters of 1-based column ``number``: 1 is "A", 27 "AA"; "" for 0."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_name(row: int, column: int) -> str:
    """The A1 name of 0-based (``row``, ``column``): ``cell_name(11, 5)`` is "F12"."""
    return f"{column_letters(column + 1)}{row + 1}"


class ExtentScanner:
    """Reads an XML part chunk by chunk and finds its :class:`Extent` without parsing it.

    Rows and columns come from every ``r="…"`` reference, as calamine reads them (either
    case, leading zeros). A row or cell written without one takes the next place (calamine
    counts along), so when there are any the extent adds the count of rows and the widest
    row's cells to the greatest reference: an upper bound, exact for files that number every
    row and cell, as every writer does. A chunk is cut at its last "<", so no tag is split.
    """

    def __init__(self) -> None:
        self._tail = b""
        self._rows = 0
        self._columns = 0
        self._merges = 0
        self._row_tags = 0
        self._in_row = 0
        self._widest = 0
        self._rows_unnumbered = False
        self._cells_unnumbered = False
        self._errors = False
        self._odd = False
        self._texts = 0
        self._first_row: int | None = None
        self._first_known = False
        self._last_row: int | None = None
        self._merge_refs: list[bytes] = []

    def feed(self, chunk: bytes) -> None:
        buffer = self._tail + chunk
        # The whole buffer, tail included: an attribute cut at its end is whole in the next one.
        cut = buffer.rfind(b"<")
        if cut <= 0:
            if len(buffer) <= _MAX_TAIL:
                self._tail = buffer
                return
            cut = len(buffer) - 64  # a giant text or tag: keep an overlap for a split reference
        self._scan(buffer, cut)
        self._tail = buffer[cut:]

    def close(self) -> Extent:
        self._scan(self._tail, len(self._tail))
        self._tail = b""
        rows = self._rows + (self._row_tags if self._rows_unnumbered else 0)
        widest = max(self._widest, self._in_row)
        columns = self._columns + (widest if self._cells_unnumbered else 0)
        hints = TypedHints(self._first_row, self._last_row, tuple(self._merge_refs), self._odd or self._rows_unnumbered
                           or self._cells_unnumbered, self._texts)
        return Extent(rows, columns, self._merges, self._errors, hints)

    def _cell_types(self, buffer: bytes, end: int) -> None:
        """Count the cells by their ``t="…"``, with arrays: error cells (the reader looks for
        them), texts and booleans (fastexcel reads a text like "12" and a boolean as numbers)."""
        if end < 5:
            return
        array = np.frombuffer(buffer, dtype=np.uint8, count=end)
        at = np.flatnonzero((array[:-4] == _TYPE_ATTRIBUTE[0]) & (array[1:-3] == _TYPE_ATTRIBUTE[1])
                            & (array[2:-2] == _TYPE_ATTRIBUTE[2]))
        kind, after = array[at + 3], array[at + 4]
        self._errors = self._errors or bool(((kind == ord("e")) & (after == ord('"'))).any())
        self._odd = self._odd or bool(((kind == ord("b")) & (after == ord('"'))).any())
        self._texts += int(((kind == ord("s")) & ((after == ord('"')) | (after == ord("t")))).sum()
                           + ((kind == ord("i")) & (after == ord("n"))).sum())

    def _last_value(self, buffer: bytes, end: int) -> None:
        """The row of the last cell with a value so far (None when its tag cannot be read)."""
        found = max(buffer.rfind(b"<v>", 0, end), buffer.rfind(b"<v ", 0, end), buffer.rfind(b"<is>", 0, end))
        if found < 0:
            return
        opening = buffer.rfind(b"<c ", 0, found)
        match = _CELL_TAG_REF.match(buffer, opening) if opening >= 0 else None
        self._last_row = int(match.group(2)) - 1 if match and match.end() <= found else None

    def _first_value(self, buffer: bytes, end: int) -> None:
        """The row of the first cell with a value (``<v>`` or ``<is>``), read from the ``<c>``
        tag that opens it; unknown (None) when that tag is not in the same buffer."""
        found = _VALUE_START.search(buffer, 0, end)
        if found is None:
            return
        self._first_known = True
        opening = buffer.rfind(b"<c ", 0, found.start())
        match = _CELL_TAG_REF.match(buffer, opening) if opening >= 0 else None
        if match and match.end() <= found.start():
            self._first_row = int(match.group(2)) - 1

    def _scan(self, buffer: bytes, end: int) -> None:
        found = _greatest_refs(buffer, end)
        if found is None:  # a reference too long for the arrays' window: the regexes read it
            rows = set(_ROW_REF.findall(buffer, 0, end))
            columns = set(_COLUMN_REF.findall(buffer, 0, end))
            found = (max(map(int, rows), default=0), max(map(column_number, columns), default=0))
        self._rows, self._columns = max(self._rows, found[0]), max(self._columns, found[1])
        merges = _count(buffer, _MERGE_STARTS, 0, end)
        self._merges += merges
        if merges and len(self._merge_refs) <= config.MAX_MERGES:  # past it the file is refused anyway
            self._merge_refs.extend(_MERGE_REF.findall(buffer, 0, end))
        if not self._first_known:
            self._first_value(buffer, end)
        self._last_value(buffer, end)
        self._cell_types(buffer, end)
        prefixed = buffer.find(b":", 0, end) >= 0  # <x:row>, <x:c>: rare, and slower to look for
        if not (self._rows_unnumbered and self._cells_unnumbered):  # once found, no need to look again
            rows, cells = _unnumbered_tags(buffer, end)
            self._rows_unnumbered = self._rows_unnumbered or rows or (
                prefixed and bool(_ROW_WITHOUT_REF[1].search(buffer, 0, end)))
            self._cells_unnumbered = self._cells_unnumbered or cells or (
                prefixed and bool(_CELL_WITHOUT_REF[1].search(buffer, 0, end)))
        if self._rows_unnumbered or self._cells_unnumbered:
            self._count_rows(buffer, end)

    def _count_rows(self, buffer: bytes, end: int) -> None:
        """Count row tags and the cells of the widest row (only needed for unnumbered ones)."""
        starts = [match.start() for match in _ROW_START.finditer(buffer, 0, end)]
        self._in_row += _count(buffer, _CELL_STARTS, 0, starts[0] if starts else end)
        for i, start in enumerate(starts):
            self._widest = max(self._widest, self._in_row)
            self._row_tags += 1
            self._in_row = _count(buffer, _CELL_STARTS, start,
                                  starts[i + 1] if i + 1 < len(starts) else end)


_WINDOW = 12
"""Bytes read after each ``r="`` by ``_greatest_refs``: "XFD1048576" and shorter references
are read as arrays; a longer one (only a forged file has it) sends the chunk to the regexes."""


def _greatest_refs(buffer: bytes, end: int) -> tuple[int, int] | None:
    """(greatest row, greatest column) that the ``r="…"`` references of ``buffer[:end]`` name,
    read as the regexes ``_ROW_REF`` and ``_COLUMN_REF`` read them, with arrays: a national
    sheet has millions of cell references, and a Python string for each cost seconds.
    None when a reference is longer than ``_WINDOW`` bytes allow."""
    if end < 4:
        return (0, 0) if b'r="' not in buffer[:end] else None
    data = np.frombuffer(buffer, dtype=np.uint8, count=end)
    starts = np.flatnonzero((data[:-2] == 0x72) & (data[1:-1] == 0x3D) & (data[2:] == 0x22)) + 3
    if not len(starts):
        return 0, 0
    # Zeros after the end stop every run (no letter, no digit), however far it is read.
    padded = np.concatenate([data, np.zeros(2 * _WINDOW + 1, dtype=np.uint8)])
    letters = _run(padded, starts, _LETTERS, _WINDOW)  # "AB" of r="AB12"
    digits = _run(padded, starts + letters, _DIGITS, _WINDOW)  # "12"
    stop = letters + digits
    if stop.max() >= _WINDOW:
        return None
    row_ref = (digits > 0) & (padded[starts + stop] == 0x22)  # r="AB12"
    column_ref = (letters > 0) & (digits > 0)  # r="AB1…
    at, size = starts + letters, digits
    zeros = np.minimum(_run(padded, at, _ZERO, _WINDOW), size)  # "007" is 7, as int() reads it
    return (_greatest_run(padded, (at + zeros)[row_ref], (size - zeros)[row_ref], int),
            _greatest_run(padded, starts[column_ref], letters[column_ref], column_number))


def _run(padded: np.ndarray, at: np.ndarray, kind: np.ndarray, limit: int) -> np.ndarray:
    """How many bytes of ``kind`` (a 256-entry table) follow each position ``at``, up to
    ``limit``: one byte further at each step, for the runs still going (references are short)."""
    length = np.zeros(len(at), dtype=np.int64)
    going = np.ones(len(at), dtype=bool)
    for k in range(limit):
        going &= kind[padded[at + k]]
        if not going.any():
            break
        length += going
    return length


def _greatest_run(padded: np.ndarray, at: np.ndarray, size: np.ndarray, value) -> int:
    """The greatest ``value`` of the runs ``padded[at[i]:at[i] + size[i]]``: digits without
    leading zeros, or column letters. Only the longest runs can hold it; among them it is the
    greatest as bytes (letters compared in upper case), found byte by byte over fewer and fewer
    runs, not by decoding every reference."""
    longest = int(size.max(initial=0))
    if longest == 0:
        return 0
    keep = at[size == longest]
    for k in range(longest):
        byte = padded[keep + k] & 0xDF  # a letter in upper case; a digit keeps its order
        keep = keep[byte == byte.max()]
    return value(bytes(padded[keep[0]:keep[0] + longest]))


_LETTERS = np.zeros(256, dtype=bool)
_LETTERS[[*range(0x41, 0x5B), *range(0x61, 0x7B)]] = True
_DIGITS = np.zeros(256, dtype=bool)
_DIGITS[0x30:0x3A] = True
_ZERO = np.zeros(256, dtype=bool)
_ZERO[0x30] = True


def _unnumbered_tags(buffer: bytes, end: int) -> tuple[bool, bool]:
    """Whether ``buffer[:end]`` holds a ``<row>``, and a ``<c>``, without a reference first:
    what the plain patterns of ``_ROW_WITHOUT_REF`` and ``_CELL_WITHOUT_REF`` find (a tag, then
    ">" or "/", or a space not followed by ``r="``), judged with arrays: the regexes tried
    each of a national sheet's millions of cells."""
    data = np.concatenate([np.frombuffer(buffer, dtype=np.uint8, count=end), np.zeros(8, dtype=np.uint8)])
    opening = data[:end] == 0x3C  # "<"
    found = []
    for tag in (b"row", b"c"):
        here = opening.copy()
        for k, byte in enumerate(tag, start=1):
            here &= data[k:end + k] == byte
        at = np.flatnonzero(here) + 1 + len(tag)
        after = data[at]
        space = np.isin(after, _SPACES)
        numbered = (data[at + 1] == 0x72) & (data[at + 2] == 0x3D) & (data[at + 3] == 0x22)  # r="
        found.append(bool((np.isin(after, (0x3E, 0x2F)) | (space & ~numbered)).any()))
    return found[0], found[1]


_SPACES = np.array([0x20, 0x09, 0x0A, 0x0D, 0x0C, 0x0B], dtype=np.uint8)
"""What ``\\s`` matches in a bytes pattern."""


def _count(buffer: bytes, tokens: Sequence[bytes], start: int, end: int) -> int:
    return sum(buffer.count(token, start, end) for token in tokens)


def scan_xlsx(data: bytes, file_name: str) -> dict[str, Extent]:
    """The :class:`Extent` of every part of the .xlsx ``data``, by part name.

    Runs :func:`check_zip`, then inflates every part with :func:`bounded_inflate` and checks
    each part's extent with :func:`check_shape` (naming the sheet when the workbook says
    which part it is) and its merged ranges against ``MAX_MERGES``. A part that is itself a
    zip is refused, and so is a binary workbook (.xlsb). Raises :class:`FileRefused`; returns only when calamine may read the file.
    """
    infos = check_zip(data, file_name)
    if any(info.filename.lower() == "xl/workbook.bin" for info in infos):
        # Binary records this scan cannot read, yet calamine would lay out: not accepted.
        raise FileRefused.of("limits.xlsb", file=file_name, accepted=ACCEPTED)
    labels = sheet_parts(data, infos, file_name)
    budget = Budget()
    extents = {}
    for info in infos:
        scanner = ExtentScanner() if _may_hold_cells(info.filename, labels) else None
        for number, piece in enumerate(bounded_inflate(data, info, file_name, budget)):
            if number == 0 and piece.startswith(_ZIP_MAGIC):
                raise FileRefused.of("limits.zip_nested", file=file_name, part=info.filename)
            if scanner:
                scanner.feed(piece)
        if scanner is None:
            continue
        extent = scanner.close()
        sheet = labels.get(info.filename, info.filename)
        check_shape(extent.rows, extent.columns, file_name=file_name, sheet=sheet)
        check_merge_count(extent.merges, file_name=file_name, sheet=sheet)
        extents[info.filename] = replace(extent, sheet=labels.get(info.filename, ""))
    return extents


_NO_CELLS = ("xl/theme/", "xl/drawings/", "xl/charts/", "xl/media/", "docProps/", "customXml/")
"""Folders of parts that hold no cells; their DrawingML uses r="50000" for other things."""


def _may_hold_cells(part: str, sheets: dict[str, str]) -> bool:
    return part in sheets or not part.startswith(_NO_CELLS)


_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\s[^>]*>")
_RELATION_TAG = re.compile(rb"<(?:\w+:)?Relationship\s[^>]*>")
_ATTRIBUTE = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
_NAMES_PART_MAX = 4 * MIB
"""Workbook and relation parts larger than this are not read for sheet names (none is)."""


def sheet_parts(data: bytes, infos: Sequence[zipfile.ZipInfo], file_name: str) -> dict[str, str]:
    """Part name → sheet name, read from xl/workbook.xml and its relations; {} when unsure.

    Only used to name a sheet in a message, so any doubt gives part names instead.
    """
    by_name = {info.filename: info for info in infos}
    book, rels = by_name.get("xl/workbook.xml"), by_name.get("xl/_rels/workbook.xml.rels")
    if book is None or rels is None or max(book.file_size, rels.file_size) > _NAMES_PART_MAX:
        return {}
    book_xml = b"".join(bounded_inflate(data, book, file_name))
    rels_xml = b"".join(bounded_inflate(data, rels, file_name))
    targets = {}
    for tag in _RELATION_TAG.findall(rels_xml):
        attributes = dict(_ATTRIBUTE.findall(tag))
        target = html.unescape(attributes.get(b"Target", b"").decode("utf-8", "replace"))
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        targets[attributes.get(b"Id", b"")] = path
    parts = {}
    for tag in _SHEET_TAG.findall(book_xml):
        attributes = dict(_ATTRIBUTE.findall(tag))
        ids = [value for key, value in attributes.items() if key.endswith(b":id")]
        if ids and ids[0] in targets:
            parts[targets[ids[0]]] = html.unescape(attributes.get(b"name", b"").decode("utf-8", "replace"))
    return parts


_BIFF_BOF, _BIFF_EOF, _BIFF_SHEET, _BIFF_DIMENSIONS = 0x0809, 0x000A, 0x0085, 0x0200
_BIFF_CELLS = frozenset({0x0006, 0x00D6, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E})
"""FORMULA, RSTRING, LABELSST, BLANK, NUMBER, LABEL, BOOLERR, RK: each starts (row, column)."""
_BIFF_SPANS = frozenset({0x00BD, 0x00BE})
"""MULRK, MULBLANK: (row, first column, …, last column)."""
_OLE_ERRORS = (compdoc.CompDocError, AssertionError, ValueError, IndexError, KeyError, EOFError,
               OverflowError, struct.error, MemoryError)
"""What xlrd's compound-document reader raises for a damaged file (an assert among them)."""


def scan_xls(data: bytes, file_name: str) -> dict[str, Extent]:
    """The :class:`Extent` of every sheet of the old .xls ``data``, by sheet name, each checked
    with :func:`check_shape` before calamine reads the file.

    calamine allocates an .xls sheet from its DIMENSIONS record and its cells' places: two
    bytes changed in a real file made it ask for 29 GB and abort the process. Like calamine,
    reads each sheet's BIFF records from where the workbook's BOUNDSHEET records say it
    starts (so a damaged record in one sheet does not hide the next). Raises
    :class:`FileRefused` for a password-protected or damaged file, or a sheet over a limit.
    """
    check_ole(data, file_name)
    stream = _workbook_stream(data, file_name)
    starts = _biff_sheet_names(stream) or _biff_sheet_starts(stream)
    return {name: _scan_biff_sheet(stream, offset, file_name=file_name, sheet=name)
            for offset, name in starts.items()}


def _scan_biff_sheet(stream: bytes, position: int, *, file_name: str, sheet: str) -> Extent:
    """Rows and columns the cell records of one sheet reach, from its BOF to its EOF."""
    rows = columns = 0
    while position + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, position)
        body, position = position + 4, position + 4 + length
        if kind == _BIFF_EOF or length > len(stream) - body:
            break
        if (kind in _BIFF_CELLS or kind in _BIFF_SPANS) and length >= 4:
            row, column = struct.unpack_from("<HH", stream, body)
            if kind in _BIFF_SPANS and length >= 6:
                column = struct.unpack_from("<H", stream, position - 2)[0]
            rows, columns = max(rows, row + 1), max(columns, column + 1)
        elif kind == _BIFF_DIMENSIONS:
            _check_dimensions(stream, body, length, file_name=file_name, sheet=sheet)
    check_shape(rows, columns, file_name=file_name, sheet=sheet)
    return Extent(rows, columns)


def _biff_sheet_starts(stream: bytes) -> dict[int, str]:
    """Offsets of the BOF records after the workbook's own, when no BOUNDSHEET names them."""
    starts, position = {}, 0
    while position + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, position)
        if kind == _BIFF_BOF and position > 0:
            starts[position] = f"#{len(starts) + 1}"
        position += 4 + length
    return starts


def _workbook_stream(data: bytes, file_name: str) -> bytes:
    try:
        document = compdoc.CompDoc(data, logfile=io.StringIO())
        for name in ("Workbook", "Book"):
            stream = document.get_named_stream(name)
            if stream:
                return stream
    except _OLE_ERRORS as exc:
        raise FileRefused.of("limits.ole_damaged", file=file_name, detail=exc or type(exc).__name__,
                             accepted=ACCEPTED) from exc
    raise FileRefused.of("limits.ole_damaged", file=file_name, detail="no Workbook stream",
                         accepted=ACCEPTED)


def _biff_sheet_names(stream: bytes) -> dict[int, str]:
    """Offset of each sheet's BOF → its name, from the BOUNDSHEET records; {} when unsure."""
    names, position = {}, 0
    while position + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, position)
        body, position = position + 4, position + 4 + length
        if kind == _BIFF_EOF:
            break
        if kind == _BIFF_SHEET and 8 <= length <= len(stream) - body:
            offset, size, flags = struct.unpack_from("<IxxBB", stream, body)
            raw = stream[body + 8: body + 8 + size * (2 if flags & 1 else 1)]
            names[offset] = raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace")
    return names


def _check_dimensions(stream: bytes, body: int, length: int, *, file_name: str, sheet: str) -> None:
    """The DIMENSIONS record only sizes an allocation: refuse it past the row or column limit
    (area is judged on the cells)."""
    if length >= 14:
        first_row, last_row, first_column, last_column = struct.unpack_from("<IIHH", stream, body)
    elif length >= 8:
        first_row, last_row, first_column, last_column = struct.unpack_from("<HHHH", stream, body)  # BIFF5
    else:
        return
    rows, columns = max(first_row, last_row), max(first_column, last_column)  # reversed: damaged
    if rows > config.MAX_ROWS or columns > config.MAX_COLUMNS:
        check_shape(rows, columns, file_name=file_name, sheet=sheet)


def check_shape(rows: int, columns: int, *, file_name: str, sheet: str) -> None:
    """Refuse a sheet of more than ``MAX_ROWS`` rows, ``MAX_COLUMNS`` columns or
    ``MAX_CELLS`` cells (rows × columns: what a reader allocates, empty cells included)."""
    if rows > config.MAX_ROWS:
        raise FileRefused.of("limits.too_many_rows", file=file_name, sheet=sheet, rows=rows,
                             limit=config.MAX_ROWS)
    if columns > config.MAX_COLUMNS:
        raise FileRefused.of("limits.too_many_columns", file=file_name, sheet=sheet,
                             columns=columns, limit=config.MAX_COLUMNS)
    if rows * columns > config.MAX_CELLS:
        raise FileRefused.of("limits.too_many_cells", file=file_name, sheet=sheet, rows=rows,
                             columns=columns, cells=rows * columns, limit=config.MAX_CELLS)


def check_cell(text: object, sheet: str, cell: str, *, file_name: str) -> None:
    """Refuse a cell ``sheet!cell`` whose text is longer than ``MAX_CELL_CHARS``."""
    if isinstance(text, str) and len(text) > config.MAX_CELL_CHARS:
        raise FileRefused.of("limits.cell_too_long", file=file_name, sheet=sheet, cell=cell,
                             chars=len(text), limit=config.MAX_CELL_CHARS)


def check_cells(rows: Iterable[Sequence[object]], sheet: str, *, file_name: str) -> None:
    """:func:`check_cell` on every text cell of ``rows`` (row 0 is spreadsheet row 1)."""
    limit = config.MAX_CELL_CHARS
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if type(value) is str and len(value) > limit:
                check_cell(value, sheet, cell_name(r, c), file_name=file_name)



def check_grid(grid: np.ndarray, sheet: str, *, file_name: str) -> None:
    """:func:`check_cells` on a rows × columns object array, a column at a time: a column of
    numbers only is passed over whole, so a national sheet's millions of numbers cost no
    Python step each. The cell named is the first too long in reading order, as there."""
    first = [found for c in range(grid.shape[1]) if (found := _first_long(grid[:, c], c))]
    if first:
        r, c = min(first)
        check_cell(grid[r, c], sheet, cell_name(r, c), file_name=file_name)


def _first_long(column: np.ndarray, c: int) -> tuple[int, int] | None:
    """(row, ``c``) of the first text in ``column`` longer than ``MAX_CELL_CHARS``, or None.
    Stretches of numbers only are passed over whole: a title in the header makes a column
    hold text, not its hundred thousand numbers below."""
    limit = config.MAX_CELL_CHARS
    for start in range(0, len(column), _STRETCH):
        part = column[start:start + _STRETCH]
        if pd.api.types.infer_dtype(part, skipna=True) in _NO_TEXT:
            continue
        long = [r for r, value in enumerate(part.tolist()) if type(value) is str and len(value) > limit]
        if long:
            return start + long[0], c
    return None


_STRETCH = 4096
"""Cells of a column judged at once by ``_first_long``."""
_NO_TEXT = frozenset({"floating", "integer", "mixed-integer-float", "empty", "boolean", "decimal",
                      "datetime", "datetime64", "date", "time", "timedelta", "timedelta64"})
"""What ``infer_dtype`` says of a column that holds no string."""


Merge = tuple[int, int, int, int]


def clip_merges(merges: Iterable[Merge], height: int, width: int) -> list[Merge]:
    """``merges`` cut to the ``height`` × ``width`` grid that was read, in order; a merge
    that starts outside it (or is reversed) holds no value and is dropped."""
    clipped = []
    for r0, c0, r1, c1 in merges:
        if 0 <= r0 < height and 0 <= c0 < width and r1 >= r0 and c1 >= c0:
            clipped.append((r0, c0, min(r1, height - 1), min(c1, width - 1)))
    return clipped


def check_merge_count(count: int, *, file_name: str, sheet: str) -> None:
    """Refuse a sheet with more than ``MAX_MERGES`` merged ranges."""
    if count > config.MAX_MERGES:
        raise FileRefused.of("limits.too_many_merges", file=file_name, sheet=sheet, count=count,
                             limit=config.MAX_MERGES)


def check_merges(merges: Sequence[Merge], *, file_name: str, sheet: str) -> None:
    """Refuse too many merged ranges, or ranges covering more than ``MAX_CELLS`` in all.

    Real merges never overlap, so together they cover at most the sheet; overlapping ones
    would make header detection walk the same cells again and again.
    """
    check_merge_count(len(merges), file_name=file_name, sheet=sheet)
    area = sum((r1 - r0 + 1) * (c1 - c0 + 1) for r0, c0, r1, c1 in merges)
    if area > config.MAX_CELLS:
        raise FileRefused.of("limits.merges_overlap", file=file_name, sheet=sheet, area=area,
                             limit=config.MAX_CELLS)


def read_csv_rows(text: str, delimiter: str, *, file_name: str, sheet: str) -> list[list[str]]:
    """The rows of CSV ``text``, refused as soon as one is over a limit.

    ``csv``'s own field limit is set to ``MAX_CELL_CHARS`` + 1 while reading, so a runaway
    field (a missing closing quote swallowing the file) stops at once; its error and any
    other ``csv.Error`` become a :class:`FileRefused` naming the line.
    """
    previous = csv.field_size_limit(config.MAX_CELL_CHARS + 1)
    # newline="" lets csv see "\r" line ends (old Mac Excel) instead of failing on them.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    widest = 0
    try:
        for row in reader:
            rows.append(row)
            widest = max(widest, len(row))
            if len(rows) > config.MAX_ROWS:
                check_shape(_line_count(text), widest, file_name=file_name, sheet=sheet)
            if widest > config.MAX_COLUMNS or len(rows) * widest > config.MAX_CELLS:
                check_shape(len(rows), widest, file_name=file_name, sheet=sheet)
    except csv.Error as exc:
        raise _csv_refusal(exc, reader.line_num, file_name) from exc
    finally:
        csv.field_size_limit(previous)
    check_cells(rows, sheet, file_name=file_name)
    return rows


def _line_count(text: str) -> int:
    return text.count("\n") + (not text.endswith("\n"))


def _csv_refusal(exc: csv.Error, line: int, file_name: str) -> FileRefused:
    if "field larger than field limit" in str(exc):
        return FileRefused.of("limits.csv_cell_too_long", file=file_name, line=line,
                              limit=config.MAX_CELL_CHARS)
    return FileRefused.of("limits.csv_damaged", file=file_name, line=line, detail=exc,
                          accepted=ACCEPTED)
