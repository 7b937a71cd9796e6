"""Empty workbooks analysts can fill and upload: one per index, laid out the way the importer
reads best (title rows, merged field headers, a "Điểm tối đa" row, one unit per row).

Each template also has a "Hướng dẫn" (instructions) sheet in Vietnamese and English; it holds
no table, so the importer skips it.
"""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reform.core import config
from reform.core.errors import UsageError
from reform.core.kinds import inspection_kind, kind_of

TEMPLATE_INDICES = ("PAR", "SIPAS", inspection_kind().code)
"""Indices with a template; PAPI and PCI come as published files, never typed in."""

# The 8 fields of the provincial PAR framework (DOMAIN.md, 2017 maximums, sum 100), each with
# the criteria most frameworks score under it and their maximums (summing to the field's).
PAR_FIELDS: list[tuple[str, float, list[tuple[str, float]]]] = [
    ("Công tác chỉ đạo, điều hành CCHC", 10.0, [
        ("Kế hoạch CCHC năm", 3.0), ("Báo cáo CCHC", 2.0), ("Kiểm tra công tác CCHC", 2.0),
        ("Công tác tuyên truyền CCHC", 3.0)]),
    ("Xây dựng và tổ chức thực hiện văn bản QPPL", 10.0, [
        ("Xây dựng văn bản QPPL", 4.0), ("Rà soát, hệ thống hóa văn bản", 3.0),
        ("Kiểm tra, xử lý văn bản", 3.0)]),
    ("Cải cách thủ tục hành chính", 14.5, [
        ("Rà soát, đánh giá thủ tục hành chính", 4.0), ("Công khai thủ tục hành chính", 4.0),
        ("Cơ chế một cửa, một cửa liên thông", 6.5)]),
    ("Cải cách tổ chức bộ máy", 11.0, [
        ("Sắp xếp tổ chức bộ máy", 6.0), ("Phân cấp quản lý", 5.0)]),
    ("Xây dựng và nâng cao chất lượng đội ngũ CBCCVC", 16.0, [
        ("Vị trí việc làm, cơ cấu công chức", 6.0), ("Tuyển dụng, bố trí công chức", 5.0),
        ("Đào tạo, bồi dưỡng", 5.0)]),
    ("Cải cách tài chính công", 7.0, [
        ("Giao quyền tự chủ tài chính", 4.0), ("Thực hiện cơ chế tự chủ", 3.0)]),
    ("Hiện đại hóa hành chính", 16.0, [
        ("Ứng dụng công nghệ thông tin", 7.0), ("Dịch vụ công trực tuyến", 6.0),
        ("Hệ thống quản lý chất lượng ISO", 3.0)]),
    ("Tác động của CCHC", 15.5, [
        ("Sự hài lòng của người dân, tổ chức", 8.0), ("Tác động đến phát triển kinh tế - xã hội", 7.5)]),
]

SIPAS_ELEMENTS = (
    "Tiếp cận dịch vụ", "Thủ tục hành chính", "Công chức giải quyết công việc",
    "Kết quả dịch vụ", "Tiếp nhận, xử lý góp ý, phản ánh",
)
"""The five SIPAS elements, in the order of the national methodology."""

SIPAS_MEASURES = ("Đánh giá (%)", "Hài lòng (%)", "Kỳ vọng (%)")

INSPECTION_HEADERS = (
    "STT", "Ngày kiểm tra", "Đơn vị được kiểm tra", "Đoàn kiểm tra", "Hình thức",
    "Nội dung vi phạm", "Số lượt vi phạm", "Số CBCC được kiểm tra", "Ghi chú",
)
"""Header words the importer recognises for each role of an inspection record."""

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_MAX_FILL = PatternFill("solid", fgColor="FFF2CC")
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)

_GUIDE = {
    "PAR": [
        "Mỗi đơn vị một dòng, bắt đầu ngay dưới dòng 'Điểm tối đa'. Nhập điểm từng tiêu chí; "
        "điểm lĩnh vực là tổng các tiêu chí nên không có cột riêng.",
        "Sửa tên và điểm tối đa của tiêu chí cho đúng bộ tiêu chí của năm; thêm hoặc bớt cột "
        "trong một lĩnh vực được, giữ tiêu đề lĩnh vực gộp ô phía trên các tiêu chí của nó.",
        "'Tổng điểm' = tổng các tiêu chí; 'Chỉ số (%)' = tổng điểm / điểm tối đa × 100. "
        "'Xếp hạng' và 'Xếp loại' có thể bỏ trống: ứng dụng tự tính.",
        "One unit per row, right below the 'Điểm tối đa' (maximum points) row. Type each "
        "criterion's points; a field is the sum of its criteria, so it has no column.",
        "Adjust criterion names and maximums to the year's framework; columns may be added or "
        "removed within a field, keeping the field heading merged above its criteria.",
        "'Tổng điểm' (total) = sum of criteria; 'Chỉ số (%)' = total / maximum × 100. Rank "
        "('Xếp hạng') and group ('Xếp loại') may stay empty: the app computes them.",
    ],
    "SIPAS": [
        "Mỗi đơn vị một dòng. Với mỗi yếu tố nhập ba tỷ lệ (%): đánh giá, hài lòng, kỳ vọng.",
        "'Chỉ số SIPAS (%)' là chỉ số hài lòng chung của đơn vị (thường là trung bình các tỷ lệ "
        "hài lòng). Mục tiêu: từ 80 % trở lên.",
        "One unit per row. For each element type three percentages: assessment ('Đánh giá'), "
        "satisfaction ('Hài lòng') and expectation ('Kỳ vọng').",
        "'Chỉ số SIPAS (%)' is the unit's overall satisfaction index (usually the mean of the "
        "satisfaction rates). Target: 80 % or more.",
    ],
    "DISCIPLINE": [
        "Mỗi lượt kiểm tra một dòng; một lượt có nhiều nội dung vi phạm thì ghi nhiều dòng cùng "
        "ngày, đơn vị, đoàn (số CBCC được kiểm tra chỉ tính một lần).",
        "Ngày dạng ngày Excel hoặc 15/03/2024. Hình thức: 'Thường xuyên' hoặc 'Đột xuất'. "
        "Không có vi phạm: ghi 'Không vi phạm' và 0.",
        "One row per inspection visit; a visit with several kinds of violation takes several "
        "rows with the same date, unit and team (officials checked are counted once).",
        "Dates as Excel dates or 15/03/2024. Kind ('Hình thức'): 'Thường xuyên' (regular) or "
        "'Đột xuất' (unannounced). No violation: 'Không vi phạm' and 0.",
    ],
}

_TITLES = {
    "PAR": "KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {period}",
    "SIPAS": "KẾT QUẢ ĐO LƯỜNG SỰ HÀI LÒNG CỦA NGƯỜI DÂN (SIPAS) NĂM {period}",
    "DISCIPLINE": "KẾT QUẢ KIỂM TRA CÔNG VỤ, KỶ CƯƠNG HÀNH CHÍNH NĂM {period}",
}


def template_file_name(index: str, *, period: str) -> str:
    """The download name of a template: ``mau_PAR_2024.xlsx``.

    Raises :class:`UsageError` for an index without a template.
    """
    _check_index(index)
    return f"mau_{index}_{period}.xlsx"


def template_workbook(index: str, *, period: str) -> bytes:
    """An empty ``.xlsx`` template for ``index`` ("PAR", "SIPAS" or "DISCIPLINE") and
    ``period`` (a year such as "2024", written in the sheet name and title so the importer
    reads it), as bytes ready to download.

    The first sheet holds the table (title rows, header, maximum row for PAR, no unit rows);
    the second, "Hướng dẫn", says how to fill it in Vietnamese and English.
    Raises :class:`UsageError` for an unknown index or a period that is not a year.
    """
    _check_index(index)
    if not (len(period) == 4 and period.isdigit()):
        raise UsageError.of("ingest.template_period", period=period)
    book = Workbook()
    sheet = book.active
    records = kind_of(index).from_inspections
    sheet.title = "Kiểm tra công vụ" if records else period
    (_inspection_sheet if records else {"PAR": _par_sheet, "SIPAS": _sipas_sheet}[index])(sheet, period)
    guide = book.create_sheet("Hướng dẫn")
    guide.column_dimensions["A"].width = 120
    guide["A1"] = "HƯỚNG DẪN NHẬP LIỆU / HOW TO FILL THIS TEMPLATE"
    guide["A1"].font = _TITLE
    for row, text in enumerate(_GUIDE[index], start=3):
        guide.cell(row=row, column=1, value=text).alignment = Alignment(wrap_text=True)
    if records:
        start = len(_GUIDE[index]) + 4
        guide.cell(row=start, column=1, value="Nội dung vi phạm được nhận / Accepted categories:").font = _BOLD
        for offset, category in enumerate(config.INSPECTION_CATEGORIES, start=1):
            guide.cell(row=start + offset, column=1, value=f"{category['vi']} — {category['en']}")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _check_index(index: str) -> None:
    if index not in TEMPLATE_INDICES:
        raise UsageError.of("ingest.no_template", index=index, available=", ".join(TEMPLATE_INDICES))


def _titles(sheet: Worksheet, index: str, period: str, width: int) -> None:
    sheet["A1"] = _TITLES[index].format(period=period)
    sheet["A1"].font = _TITLE
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A2"] = "(Mẫu nhập liệu - Data entry template)"
    sheet["A2"].font = Font(italic=True)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)


def _header_cell(sheet: Worksheet, row: int, col: int, value: object, *, fill=_HEADER_FILL) -> None:
    cell = sheet.cell(row=row, column=col, value=value)
    cell.font = _BOLD
    cell.fill = fill
    cell.border = _BORDER
    cell.alignment = _CENTER


def _merged_down(sheet: Worksheet, col: int, label: str, top: int = 4, bottom: int = 5) -> None:
    _header_cell(sheet, top, col, label)
    _header_cell(sheet, bottom, col, None)
    sheet.merge_cells(start_row=top, start_column=col, end_row=bottom, end_column=col)


def _par_sheet(sheet: Worksheet, period: str) -> None:
    # Rows 4–5: field over criteria; row 6: "Điểm tối đa"; units from row 7.
    criteria = sum(len(items) for _, _, items in PAR_FIELDS)
    width = 2 + criteria + 4
    _titles(sheet, "PAR", period, width)
    _merged_down(sheet, 1, "STT")
    _merged_down(sheet, 2, "Tên đơn vị")
    _header_cell(sheet, 6, 1, None, fill=_MAX_FILL)
    _header_cell(sheet, 6, 2, "Điểm tối đa", fill=_MAX_FILL)
    col = 3
    for number, (field, maximum, items) in enumerate(PAR_FIELDS, start=1):
        points = f"{maximum:g}".replace(".", ",")  # Vietnamese decimal comma, as annexes print it
        _header_cell(sheet, 4, col, f"{number}. {field} ({points} điểm)")
        for offset, (name, item_max) in enumerate(items, start=1):
            if offset > 1:
                _header_cell(sheet, 4, col + offset - 1, None)
            _header_cell(sheet, 5, col + offset - 1, f"{number}.{offset} {name}")
            _header_cell(sheet, 6, col + offset - 1, item_max, fill=_MAX_FILL)
            sheet.column_dimensions[get_column_letter(col + offset - 1)].width = 14
        sheet.merge_cells(start_row=4, start_column=col, end_row=4, end_column=col + len(items) - 1)
        col += len(items)
    for label in ("Tổng điểm", "Chỉ số (%)", "Xếp hạng", "Xếp loại"):
        _merged_down(sheet, col, label)
        _header_cell(sheet, 6, col, 100.0 if label == "Tổng điểm" else None, fill=_MAX_FILL)
        sheet.column_dimensions[get_column_letter(col)].width = 11
        col += 1
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 30
    sheet.row_dimensions[5].height = 75
    sheet.freeze_panes = "C7"


def _sipas_sheet(sheet: Worksheet, period: str) -> None:
    width = 2 + 3 * len(SIPAS_ELEMENTS) + 2
    _titles(sheet, "SIPAS", period, width)
    _merged_down(sheet, 1, "STT")
    _merged_down(sheet, 2, "Tên đơn vị")
    col = 3
    for number, element in enumerate(SIPAS_ELEMENTS, start=1):
        _header_cell(sheet, 4, col, f"{number}. {element}")
        for offset, measure in enumerate(SIPAS_MEASURES):
            if offset:
                _header_cell(sheet, 4, col + offset, None)
            _header_cell(sheet, 5, col + offset, measure)
            sheet.column_dimensions[get_column_letter(col + offset)].width = 11
        sheet.merge_cells(start_row=4, start_column=col, end_row=4, end_column=col + 2)
        col += 3
    for label in ("Chỉ số SIPAS (%)", "Xếp hạng"):
        _merged_down(sheet, col, label)
        sheet.column_dimensions[get_column_letter(col)].width = 12
        col += 1
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 30
    sheet.freeze_panes = "C6"


def _inspection_sheet(sheet: Worksheet, period: str) -> None:
    _titles(sheet, inspection_kind().code, period, len(INSPECTION_HEADERS))
    widths = (6, 14, 30, 28, 14, 32, 12, 14, 30)
    for col, (label, size) in enumerate(zip(INSPECTION_HEADERS, widths, strict=True), start=1):
        _header_cell(sheet, 4, col, label)
        sheet.column_dimensions[get_column_letter(col)].width = size
    sheet.freeze_panes = "A5"
