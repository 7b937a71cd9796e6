"""reform.ingest.limits: each limit at its boundary, with the exact message in both languages."""
from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from pathlib import Path

import pytest

from reform.core import config
from reform.core.errors import FileRefused
from reform.ingest import limits
from reform.ingest.limits import Extent, ExtentScanner
from tests.hostile import Member, build, cfb, member, raw_zip, sheet_xml, skeleton, zeros_deflated

MIB = 1024 * 1024


def refusal(call, *args, **kwargs) -> FileRefused:
    with pytest.raises(FileRefused) as caught:
        call(*args, **kwargs)
    return caught.value


# ----------------------------------------------------------------------------- whole file


@pytest.mark.parametrize(("size", "refused"), [
    (0, False), (config.MAX_UPLOAD_BYTES, False), (config.MAX_UPLOAD_BYTES + 1, True), (10**10, True)])
def test_check_size_at_the_boundary(size: int, refused: bool):
    if refused:
        refusal(limits.check_size, size, "a.xlsx")
    else:
        limits.check_size(size, "a.xlsx")


def test_check_size_message_names_the_file_its_size_and_the_limit():
    error = refusal(limits.check_size, b"x" * (config.MAX_UPLOAD_BYTES + MIB // 2), "PAR 2024.xlsx")
    assert error.message("vi") == ("Tệp 'PAR 2024.xlsx' nặng 51 MB, quá giới hạn 50 MB. Hãy tải lên tệp "
                                   "nhỏ hơn, ví dụ mỗi tệp một năm hoặc một khối.")
    assert error.message("en") == ("File 'PAR 2024.xlsx' is 51 MB, over the limit of 50 MB. Upload a "
                                   "smaller file, e.g. one year or one block per file.")


def test_check_ole_refuses_a_password_protected_workbook_only(realdata: Path):
    limits.check_ole((realdata / "PCI_2009.xls").read_bytes(), "PCI_2009.xls")
    error = refusal(limits.check_ole, cfb({"EncryptionInfo": b"x", "EncryptedPackage": b"y"}), "k.xlsx")
    assert error.message("en").startswith("File 'k.xlsx' is password-protected (encrypted)")
    assert error.message("vi").startswith("Tệp 'k.xlsx' được đặt mật khẩu (mã hóa)")


def test_scan_xls_reads_the_sheets_of_a_real_file(realdata: Path):
    extents = limits.scan_xls((realdata / "PCI_2009.xls").read_bytes(), "PCI_2009.xls")
    assert len(extents) == 11
    assert extents["Tong Hop"] == Extent(74, 13)


@pytest.mark.parametrize(("case", "message"), [
    ("xls_far_cell", "File 'PCI_2009_xa.xls', sheet 'Tong Hop': 28689 columns, over the limit of 1000 columns."),
    ("xls_dimensions_lie", "File 'PCI_2009_kichthuoc.xls', sheet 'Chi phi gia nhap thi truong': 4000000000 "
                           "rows, over the limit of 200000 rows."),
    ("damaged_xls", "Cannot read file 'PCI_2009_hong.xls' (the .xls file is damaged: array index out of "
                    "range). Save the file again from Excel. Accepted: .xlsx, .xlsm, .xls, .csv, .html."),
])
def test_scan_xls_refuses_what_would_make_calamine_abort(case: str, message: str):
    hostile = build(case)
    assert refusal(limits.scan_xls, hostile.data, hostile.file_name).message("en").startswith(message)


# ---------------------------------------------------------------------- zip directory


def test_check_zip_passes_every_real_workbook(realdata: Path):
    for path in sorted(realdata.glob("*.xlsx")):
        infos = limits.check_zip(path.read_bytes(), path.name)
        assert len(infos) >= 19


@pytest.mark.parametrize(("data", "vi", "en"), [
    (b"PK\x03\x04 cut", "Không đọc được tệp 'a.xlsx' (tệp nén zip bị hỏng hoặc bị cắt cụt: File is not a zip "
     "file). Hãy lưu lại tệp từ Excel. Chấp nhận: .xlsx, .xlsm, .xls, .csv, .html.",
     "Cannot read file 'a.xlsx' (its zip container is damaged or cut short: File is not a zip file). "
     "Save the file again from Excel. Accepted: .xlsx, .xlsm, .xls, .csv, .html."),
    (raw_zip([Member("xl/a.xml", b"", 0, 10, flags=1)]),
     "Tệp 'a.xlsx' được đặt mật khẩu (mã hóa), không đọc được. Hãy mở tệp trong Excel, bỏ mật khẩu "
     "(Tệp > Thông tin > Bảo vệ sổ làm việc) rồi lưu lại dạng .xlsx.",
     "File 'a.xlsx' is password-protected (encrypted) and cannot be read. Open it in Excel, remove the "
     "password (File > Info > Protect Workbook) and save it again as .xlsx."),
    (raw_zip([Member("xl/a.xml", b"", 0, 10, method=14)]),
     "Tệp 'a.xlsx': thành phần 'xl/a.xml' được nén theo kiểu 14, không đọc được (Excel chỉ dùng kiểu "
     "deflate). Hãy lưu lại tệp từ Excel.",
     "File 'a.xlsx': part 'xl/a.xml' is compressed with method 14, which cannot be read (Excel only "
     "uses deflate). Save the file again from Excel."),
    (raw_zip([member("xl/embeddings/b.XLSX", b"x")]),
     "Tệp 'a.xlsx' chứa một tệp nén khác bên trong ('xl/embeddings/b.XLSX'). Không đọc tệp lồng nhau; hãy "
     "gửi riêng bảng tính đó hoặc lưu lại tệp từ Excel mà không nhúng đối tượng.",
     "File 'a.xlsx' holds another zipped file inside ('xl/embeddings/b.XLSX'). Nested files are not read; "
     "send that workbook on its own, or save the file again from Excel without embedded objects."),
    (raw_zip([Member("xl/a.xml", b"x" * 2000, 0, 301 * MIB)]),
     "Tệp 'a.xlsx': thành phần 'xl/a.xml' bung ra 301 MB, quá giới hạn 300 MB cho một thành phần. Hãy "
     "tách tệp thành các tệp nhỏ hơn (mỗi tệp một năm hoặc một khối).",
     "File 'a.xlsx': part 'xl/a.xml' inflates to 301 MB, over the limit of 300 MB for one part. Split "
     "the file into smaller ones (one year or one block per file)."),
    (raw_zip([Member("xl/a.xml", b"x" * 10_000, 0, 2 * MIB)]),
     "Tệp 'a.xlsx': thành phần 'xl/a.xml' bung ra gấp 209 lần cỡ nén, quá giới hạn 100 lần (bảng tính thật "
     "khoảng 5–20 lần). Tệp có dấu hiệu là bom nén nên bị từ chối; hãy lưu lại tệp từ Excel.",
     "File 'a.xlsx': part 'xl/a.xml' inflates to 209 times its zipped size, over the limit of 100 times "
     "(real spreadsheets inflate 5–20 times). It looks like a zip bomb and is refused; save the file "
     "again from Excel."),
    (raw_zip([Member(f"xl/{i}.xml", b"x" * 3 * MIB, 0, 150 * MIB) for i in range(3)]),
     "Tệp 'a.xlsx' bung ra tổng cộng 450 MB, quá giới hạn 400 MB. Hãy tách tệp thành các tệp nhỏ hơn "
     "(mỗi tệp một năm hoặc một khối).",
     "File 'a.xlsx' inflates to 450 MB in all, over the limit of 400 MB. Split the file into smaller "
     "ones (one year or one block per file)."),
], ids=["damaged", "encrypted", "method", "nested", "member", "ratio", "total"])
def test_check_zip_refuses_from_the_directory_with_exact_messages(data: bytes, vi: str, en: str):
    error = refusal(limits.check_zip, data, "a.xlsx")
    assert (error.message("vi"), error.message("en")) == (vi, en)


@pytest.mark.parametrize(("members", "refused"), [(2000, False), (2001, True)])
def test_check_zip_counts_members(members: int, refused: bool):
    data = raw_zip([member(f"customXml/{i}.xml", b"") for i in range(members)])
    if refused:
        error = refusal(limits.check_zip, data, "a.xlsx")
        assert error.message("en").startswith("File 'a.xlsx' holds 2001 zipped parts, over the limit of 2000.")
    else:
        assert len(limits.check_zip(data, "a.xlsx")) == 2000


@pytest.mark.parametrize(("inflated", "zipped", "refused"), [
    (MIB - 1, 1, False),              # small parts may compress any amount
    (100 * MIB, MIB, False),          # exactly the limit ratio
    (100 * MIB + 1, MIB, True),
])
def test_ratio_is_judged_from_one_megabyte(inflated: int, zipped: int, refused: bool):
    data = raw_zip([Member("xl/a.xml", b"x" * zipped, 0, inflated)])
    if refused:
        assert "100 times" in refusal(limits.check_zip, data, "a.xlsx").message("en")
    else:
        limits.check_zip(data, "a.xlsx")


# --------------------------------------------------------------------- bounded inflation


def _one(data: bytes) -> zipfile.ZipInfo:
    return zipfile.ZipFile(io.BytesIO(data)).infolist()[-1]


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_bounded_inflate_gives_the_same_bytes_as_zipfile_in_chunks(method: int, realdata: Path):
    source = zipfile.ZipFile(realdata / "PCI_2016.xlsx")
    content = source.read("xl/worksheets/sheet10.xml")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        archive.writestr("xl/worksheets/sheet10.xml", content)
    data = buffer.getvalue()
    pieces = list(limits.bounded_inflate(data, _one(data), "a.xlsx", chunk=4096))
    assert b"".join(pieces) == content
    assert max(map(len, pieces)) <= 4096 and len(pieces) > 1


def test_bounded_inflate_stops_at_the_first_chunk_past_a_lying_directory():
    stream, _ = zeros_deflated(1024)
    data = raw_zip([Member("xl/worksheets/sheet1.xml", stream, zlib.crc32(bytes(1000)), 1000)])
    inflated = []
    with pytest.raises(FileRefused) as caught:
        for piece in limits.bounded_inflate(data, _one(data), "a.xlsx"):
            inflated.append(len(piece))
    assert inflated == []  # the first megabyte already passes the declared 1,000 bytes
    assert caught.value.message("en") == (
        "File 'a.xlsx': part 'xl/worksheets/sheet1.xml' declares 1000 bytes but inflates to 1048576 "
        "bytes. The file is damaged or forged and is refused; save it again from Excel.")
    assert caught.value.message("vi") == (
        "Tệp 'a.xlsx': thành phần 'xl/worksheets/sheet1.xml' ghi cỡ 1000 byte nhưng bung ra 1048576 "
        "byte. Tệp bị hỏng hoặc bị làm giả nên bị từ chối; hãy lưu lại tệp từ Excel.")


def test_bounded_inflate_refuses_a_stream_shorter_than_declared():
    data = raw_zip([member("xl/a.xml", b"<a/>", size=40)])
    assert "declares 40 bytes but inflates to 4 bytes" in refusal(
        lambda: list(limits.bounded_inflate(data, _one(data), "a.xlsx"))).message("en")


def test_bounded_inflate_refuses_a_cut_stream():
    whole = member("xl/a.xml", bytes(range(256)) * 400)
    data = raw_zip([Member(whole.name, whole.payload[:50], whole.crc, whole.size)])
    message = refusal(lambda: list(limits.bounded_inflate(data, _one(data), "a.xlsx"))).message("en")
    assert message.startswith("Cannot read file 'a.xlsx' (its zip container is damaged or cut short: "
                              "xl/a.xml: cut short)")


@pytest.mark.parametrize(("limit", "expected"), [
    ("MAX_ZIP_MEMBER_BYTES", "part 'xl/a.xml' inflates to 3 MB, over the limit of 2 MB for one part"),
    ("MAX_ZIP_TOTAL_BYTES", "inflates to 3 MB in all, over the limit of 2 MB"),
])
def test_bounded_inflate_enforces_sizes_while_inflating(monkeypatch, limit: str, expected: str):
    """The directory tells the truth here; only the running count can stop the part."""
    monkeypatch.setattr(config, limit, 2 * MIB)
    monkeypatch.setattr(config, "MAX_ZIP_RATIO", 10_000)
    stream, crc = zeros_deflated(8)
    data = raw_zip([Member("xl/a.xml", stream, crc, 8 * MIB)])
    assert expected in refusal(lambda: list(limits.bounded_inflate(data, _one(data), "a.xlsx"))).message("en")


def test_bounded_inflate_enforces_the_ratio_while_inflating():
    stream, crc = zeros_deflated(8)
    data = raw_zip([Member("xl/a.xml", stream, crc, 8 * MIB)])
    message = refusal(lambda: list(limits.bounded_inflate(data, _one(data), "a.xlsx"))).message("en")
    assert re.search(r"part 'xl/a.xml' inflates to \d{3,4} times its zipped size, over the limit of 100 times",
                     message)


def test_the_budget_is_shared_by_the_parts_of_one_file(monkeypatch):
    monkeypatch.setattr(config, "MAX_ZIP_TOTAL_BYTES", 5000)
    data = raw_zip([member("xl/a.xml", b"a" * 3000), member("xl/b.xml", b"b" * 3000)])
    budget = limits.Budget()
    first, second = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert len(b"".join(limits.bounded_inflate(data, first, "a.xlsx", budget))) == 3000
    error = refusal(lambda: list(limits.bounded_inflate(data, second, "a.xlsx", budget)))
    assert error.message("en").startswith("File 'a.xlsx' inflates to 1 MB in all, over the limit of 0 MB")


# ------------------------------------------------------------------------- sheet extents


def _extent(xml: str, chunk: int | None = None) -> Extent:
    scanner = ExtentScanner()
    data = xml.encode()
    step = chunk or len(data) or 1
    for start in range(0, len(data), step):
        scanner.feed(data[start:start + step])
    return scanner.close()


@pytest.mark.parametrize(("sheet_data", "expected"), [
    ('<row r="1"><c r="A1"/><c r="C1"/></row><row r="7"><c r="B7"/></row>', Extent(7, 3)),
    ('<row r="1"><c r="XFD1048576"/></row>', Extent(1048576, 16384)),
    ('<row r="1"><c r="xfd5"/></row>', Extent(5, 16384)),                       # calamine reads either case
    ('<row r="1"><c r="B0003"/></row>', Extent(3, 2)),                           # and leading zeros
    ('<row r="2"><c s="1" r="D2"/></row>', Extent(2, 4 + 1)),                    # r not first: bound
    ('<row r="1"><c><v>1</v></c><c><v>2</v></c></row><row><c/></row>', Extent(1 + 2, 2)),
    ('<row r="1">' + "<c/>" * 3000 + '</row><row r="150000"><c r="A150000"/></row>', Extent(150000, 3001)),
    ('<x:row r="4"><x:c r="AB4"/></x:row>', Extent(4, 28)),                        # prefixed namespace
    ("", Extent(0, 0)),
])
def test_the_scanner_finds_how_far_cells_reach(sheet_data: str, expected: Extent):
    xml = sheet_xml(sheet_data)
    assert _extent(xml) == expected
    assert _extent(xml, chunk=7) == expected  # no reference is lost at a chunk's edge


def test_the_scanner_counts_merges_and_reads_through_a_giant_text():
    xml = sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>' + "x" * (3 * MIB) + '</t></is></c>'
                    '<c r="Z1"/></row>', '<mergeCells><mergeCell ref="A1:B1"/><mergeCell ref="C1:D1"/></mergeCells>')
    assert _extent(xml, chunk=MIB) == Extent(1, 26, 2)


def test_scan_xlsx_names_each_sheet_of_the_real_files(realdata: Path):
    data = (realdata / "BangChuyendoiDVHCmoi_cu_final.xlsx").read_bytes()
    extents = limits.scan_xlsx(data, "crosswalk.xlsx")
    assert extents["xl/worksheets/sheet1.xml"] == Extent(10607, 11, 15915)
    infos = limits.check_zip(data, "crosswalk.xlsx")
    assert limits.sheet_parts(data, infos, "crosswalk.xlsx") == {
        "xl/worksheets/sheet1.xml": "Tổng hợp_có merge", "xl/worksheets/sheet2.xml": "Tổng hợp_không merge "}
    for path in realdata.glob("*.xlsx"):
        limits.scan_xlsx(path.read_bytes(), path.name)


def test_scan_xlsx_refuses_a_part_that_is_a_zip_whatever_its_name():
    inner = raw_zip(skeleton(b"<worksheet/>"))
    data = raw_zip([*skeleton(b"<worksheet/>"), member("xl/media/image1.png", inner)])
    assert "('xl/media/image1.png')" in refusal(limits.scan_xlsx, data, "a.xlsx").message("en")


# ----------------------------------------------------------------------------- shapes


@pytest.mark.parametrize(("rows", "columns", "key"), [
    (200_000, 30, None), (200_001, 1, "rows"), (1, 1000, None), (1, 1001, "columns"),
    (6000, 1000, None), (6001, 1000, "cells"), (100_001, 45, None), (0, 0, None)])
def test_check_shape_at_each_boundary(rows: int, columns: int, key: str | None):
    if key is None:
        limits.check_shape(rows, columns, file_name="a.xlsx", sheet="S")
        return
    message = refusal(limits.check_shape, rows, columns, file_name="a.xlsx", sheet="S").message("en")
    expected = {"rows": f"{rows} rows, over the limit of 200000 rows",
                "columns": f"{columns} columns, over the limit of 1000 columns",
                "cells": f"{rows} rows × {columns} columns = {rows * columns} cells, over the limit of 6000000"}
    assert expected[key] in message


def test_check_shape_messages_in_both_languages():
    error = refusal(limits.check_shape, 1048576, 16384, file_name="PAR.xlsx", sheet="Năm 2024")
    assert error.message("vi") == ("Tệp 'PAR.xlsx', trang 'Năm 2024': có 1048576 dòng, quá giới hạn 200000 "
                                   "dòng. Hãy tách trang thành các tệp nhỏ hơn hoặc xóa các dòng trống ở cuối.")
    assert error.message("en") == ("File 'PAR.xlsx', sheet 'Năm 2024': 1048576 rows, over the limit of 200000 "
                                   "rows. Split the sheet into smaller files or delete the empty rows at its end.")


@pytest.mark.parametrize(("text", "refused"), [
    ("x" * 32_767, False), ("x" * 32_768, True), (12345.5, False), (None, False)])
def test_check_cell_at_excel_s_limit(text: object, refused: bool):
    if refused:
        error = refusal(limits.check_cell, text, "Năm 2024", "B2", file_name="a.xlsx")
        assert error.message("vi") == ("Tệp 'a.xlsx', ô Năm 2024!B2: dài 32768 ký tự, quá giới hạn 32767 ký "
                                       "tự của một ô Excel. Hãy rút gọn nội dung ô.")
        assert error.message("en") == ("File 'a.xlsx', cell Năm 2024!B2: 32768 characters, over the limit of "
                                       "32767 characters of an Excel cell. Shorten the cell.")
    else:
        limits.check_cell(text, "Năm 2024", "B2", file_name="a.xlsx")


def test_check_cells_names_the_cell():
    rows = [["a"] * 30 for _ in range(12)]
    rows[9][26] = "y" * 40_000
    assert "cell S!AA10: 40000 characters" in refusal(limits.check_cells, rows, "S", file_name="a.xlsx").message("en")


@pytest.mark.parametrize(("row", "column", "name"), [(0, 0, "A1"), (11, 5, "F12"), (0, 25, "Z1"),
                                                       (0, 26, "AA1"), (1048575, 16383, "XFD1048576")])
def test_cell_names_and_column_numbers(row: int, column: int, name: str):
    assert limits.cell_name(row, column) == name
    assert limits.column_number(name.rstrip("0123456789")) == column + 1


# ----------------------------------------------------------------------------- merges


@pytest.mark.parametrize(("merges", "clipped"), [
    ([(0, 0, 0, 2)], [(0, 0, 0, 2)]),
    ([(19, 0, 1048575, 16383)], [(19, 0, 19, 9)]),   # over the rest of Excel: cut to the table
    ([(25, 0, 30, 1)], []),                           # starts below the table
    ([(5, 3, 4, 1)], []),                             # reversed
])
def test_clip_merges_to_the_table_read(merges, clipped):
    assert limits.clip_merges(merges, 20, 10) == clipped


def test_check_merges_refuses_too_many_and_overlapping_ranges(monkeypatch):
    limits.check_merges([(0, 0, 999, 999)] * 6, file_name="a.xlsx", sheet="S")  # 6,000,000 cells
    error = refusal(limits.check_merges, [(0, 0, 999, 999)] * 6 + [(0, 0, 0, 0)], file_name="a.xlsx", sheet="S")
    assert error.message("en") == ("File 'a.xlsx', sheet 'S': merged ranges cover 6000001 cells in all, over the "
                                   "limit of 6000000 cells (the ranges overlap). Unmerge the cells (Merge & "
                                   "Center) and save again.")
    monkeypatch.setattr(config, "MAX_MERGES", 2)
    error = refusal(limits.check_merges, [(0, 0, 0, 1)] * 3, file_name="a.xlsx", sheet="S")
    assert error.message("vi") == ("Tệp 'a.xlsx', trang 'S': có 3 vùng ô gộp, quá giới hạn 2. Hãy bỏ gộp ô "
                                   "(Merge & Center) ở phần số liệu rồi lưu lại.")


# -------------------------------------------------------------------------------- CSV


def test_read_csv_rows_reads_and_restores_csv_s_own_limit():
    before = csv.field_size_limit()
    rows = limits.read_csv_rows("a;b\n1;" + "x" * 32_767 + "\n", ";", file_name="a.csv", sheet="a")
    assert rows == [["a", "b"], ["1", "x" * 32_767]]
    assert csv.field_size_limit() == before


@pytest.mark.parametrize(("text", "message"), [
    ("a;b\n1;" + "x" * 40_000 + "\n", "File 'a.csv', line 2: a cell is longer than 32767 characters"),
    ('a;b\n1;"x\n2;3\n' + "y" * 40_000, "File 'a.csv', line 4: a cell is longer than 32767 characters"),
    ("a;b\n1;" + "x" * 32_768 + "\n", "File 'a.csv', cell a!B2: 32768 characters"),
])
def test_read_csv_rows_names_the_line_or_cell(text: str, message: str):
    before = csv.field_size_limit()
    assert refusal(limits.read_csv_rows, text, ";", file_name="a.csv", sheet="a").message("en").startswith(message)
    assert csv.field_size_limit() == before


def test_read_csv_rows_reads_old_mac_line_ends():
    assert limits.read_csv_rows("a;b\r1;2\r", ";", file_name="a.csv", sheet="a") == [["a", "b"], ["1", "2"]]


def test_any_other_csv_error_is_refused_naming_the_line(monkeypatch):
    class Broken:
        """A reader failing on its seventh line, as csv does for what it cannot parse."""

        line_num = 7

        def __iter__(self):
            yield ["a", "b"]
            raise csv.Error("unexpected end of data")

    monkeypatch.setattr(csv, "reader", lambda stream, delimiter: Broken())
    error = refusal(limits.read_csv_rows, "a;b\n", ";", file_name="a.csv", sheet="a")
    assert error.message("en") == ("File 'a.csv', line 7: cannot read this CSV line (unexpected end of data). "
                                   "Save the file again from Excel as CSV UTF-8. Accepted: .xlsx, .xlsm, .xls, "
                                   ".csv, .html.")


def test_read_csv_rows_stops_at_the_row_column_and_cell_limits(monkeypatch):
    monkeypatch.setattr(config, "MAX_ROWS", 5)
    monkeypatch.setattr(config, "MAX_COLUMNS", 4)
    monkeypatch.setattr(config, "MAX_CELLS", 12)
    limits.read_csv_rows("a;b\n" * 5, ";", file_name="a.csv", sheet="a")
    assert "9 rows, over the limit of 5 rows" in refusal(
        limits.read_csv_rows, "a;b\n" * 9, ";", file_name="a.csv", sheet="a").message("en")
    assert "5 columns, over the limit of 4 columns" in refusal(
        limits.read_csv_rows, "a;b;c;d;e\n", ";", file_name="a.csv", sheet="a").message("en")
    assert "4 rows × 4 columns = 16 cells, over the limit of 12" in refusal(
        limits.read_csv_rows, "a;b;c;d\n" * 4, ";", file_name="a.csv", sheet="a").message("en")


def test_every_limit_passes_the_national_export_s_shape():
    """100,000 units × 45 columns, as the national export measured (144 MB of sheet XML)."""
    limits.check_shape(100_001, 45, file_name="national.xlsx", sheet="PAR_2024")
    assert 144 * MIB < config.MAX_ZIP_MEMBER_BYTES < config.MAX_ZIP_TOTAL_BYTES
    assert config.MAX_CELLS > 100_001 * 45
