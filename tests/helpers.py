"""Builders for test workbooks: real files written with openpyxl into tmp_path."""
from __future__ import annotations

from pathlib import Path

import openpyxl


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]],
               merges: dict[str, list[str]] | None = None) -> Path:
    """Write ``sheets`` (name -> rows) to ``path``; ``merges`` lists ranges like "C1:E1"."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cell_range in (merges or {}).get(name, []):
            sheet.merge_cells(cell_range)
    workbook.save(path)
    return path


def par_annex(year: int = 2018, *, bad_cell: tuple[int, int, object] | None = None) -> tuple[list[list[object]], list[str]]:
    """A small PAR annex like the offices send: title rows, a merged two-row header with
    "(N điểm)" suffixes, a "Điểm tối đa" row, two blocks, footer rows. Returns (rows, merges).

    Fields: 1 (criteria 1.1 max 6, 1.2 max 4), 2 (criteria 2.1 max 5, 2.2 max 5); total 20.
    """
    rows: list[list[object]] = [
        ["UBND QUẬN HOÀN KIẾM"],
        ["PHỤ LỤC"],
        [f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year}"],
        [],
        ["STT", "Tên đơn vị", "1. Chỉ đạo điều hành (10 điểm)", None, "2. Thủ tục hành chính (10 điểm)", None,
         "Tổng điểm", "Chỉ số (%)", "Xếp hạng", "Xếp loại"],
        [None, None, "1.1 Kế hoạch", "1.2 Báo cáo", "2.1 Công khai", "2.2 Giải quyết", None, None, None, None],
        [None, "Điểm tối đa", 6, 4, 5, 5, 20, None, None, None],
        ["I. KHỐI PHÒNG, BAN", None, None, None, None, None, None, None, None, None],
        [1, "Phòng Nội vụ", 5.5, 3.5, 4, 4.5, 17.5, 87.5, 1, "A"],
        [2, "Phòng Tư pháp", "5,0", "3,0", "4,0", "4,0", "16,0", "80,0", 2, "A"],
        ["II. KHỐI PHƯỜNG", None, None, None, None, None, None, None, None, None],
        [1, "P. Hàng Bạc", 6, 4, 5, 4, 19, 95, 1, "A"],
        [2, "Phường Hàng\u00a0Đào", 4, 3, 3.5, 3.5, 14, 70, 3, "C"],
        [3, "HÀNG BỒ", 5, 3, 4, 4, 16, 80, 2, "A"],
        [None, "Trung bình", 5.1, 3.3, 4.1, 4, 16.6, None, None, None],
        [],
        ["Ghi chú: số liệu minh họa"],
        [None, "NGƯỜI LẬP BIỂU", None, None, None, None, "TRƯỞNG PHÒNG NỘI VỤ"],
    ]
    if bad_cell is not None:
        r, c, value = bad_cell
        rows[r][c] = value
    merges = ["A5:A6", "B5:B6", "C5:D5", "E5:F5", "G5:G6", "H5:H6", "I5:I6", "J5:J6"]
    return rows, merges
