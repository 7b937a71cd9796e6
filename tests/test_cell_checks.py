"""The columnar steps of a read: cell-length limits a column at a time, error cells found by
the limits scan, and scores whose ``source`` (built in Arrow) names the cell they came from."""
from __future__ import annotations

import io
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

from reform.core import config
from reform.core.errors import FileRefused
from reform.core.model import UNIT_COLUMNS
from reform.ingest import limits
from reform.ingest.pipeline import parse_file
from reform.ingest.readers import as_grid, read_workbook
from reform.ingest.units import UnitRegistry

LONG = "x" * (config.MAX_CELL_CHARS + 1)


def _rows(height: int, width: int, texts: dict[tuple[int, int], str]) -> list[list[object]]:
    rows: list[list[object]] = [[float(r * width + c) for c in range(width)] for r in range(height)]
    rows[0] = [f"Cột {c}" for c in range(width)]  # a header: every column holds text
    for (r, c), text in texts.items():
        rows[r][c] = text
    return rows


def _message(check, rows: list[list[object]]) -> str | None:
    try:
        check(rows)
    except FileRefused as refused:
        return refused.message("en")
    return None


@pytest.mark.parametrize("texts", [
    {},
    {(3, 2): LONG},
    {(3, 2): LONG, (2, 4): LONG},            # the earlier row wins, though its column is later
    {(5000, 1): LONG, (9000, 0): LONG},      # past the first stretch of a column
    {(6000, 3): LONG, (6000, 1): LONG},      # one row: the left cell
    {(0, 0): LONG},                          # in the header
    {(7000, 2): "ngắn"},                     # text, but short
], ids=str)
def test_a_grid_is_refused_at_the_cell_the_row_by_row_check_names(texts):
    rows = _rows(9001, 5, texts)
    by_rows = _message(lambda r: limits.check_cells(r, "S", file_name="a.xlsx"), rows)
    by_columns = _message(lambda r: limits.check_grid(as_grid(r, 5), "S", file_name="a.xlsx"), rows)
    assert by_columns == by_rows
    assert (by_rows is None) == all(len(t) <= config.MAX_CELL_CHARS for t in texts.values())


def _workbook(path, values: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    for row in values:
        sheet.append(row)
    book.save(path)
    return path.read_bytes()


def test_error_cells_are_found_only_in_parts_the_scan_saw_them_in(tmp_path):
    data = _workbook(tmp_path / "e.xlsx", [["Đơn vị", "Tổng"], ["Xã A", "#DIV/0!"], ["Xã B", 5]])
    clean = _workbook(tmp_path / "c.xlsx", [["Đơn vị", "Tổng"], ["Xã A", 4], ["Xã B", 5]])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b't="e"' in archive.read("xl/worksheets/sheet1.xml")
    assert limits.scan_xlsx(data, "e.xlsx")["xl/worksheets/sheet1.xml"].errors
    assert not limits.scan_xlsx(clean, "c.xlsx")["xl/worksheets/sheet1.xml"].errors
    assert read_workbook(data, "e.xlsx").sheets[0].rows[1][1] == "#DIV/0!"
    assert read_workbook(data, "e.xlsx").sheets[0].grid()[1, 1] == "#DIV/0!"


def test_an_error_attribute_cut_between_two_chunks_is_seen():
    xml = b'<row r="1"><c r="A1" ' + b"s" * 100 + b' t="e"><v>#N/A</v></c></row>'
    cut = xml.index(b't="e"') + 2
    for pieces in ([xml], [xml[:cut], xml[cut:]]):
        scanner = limits.ExtentScanner()
        for piece in pieces:
            scanner.feed(piece)
        assert scanner.close().errors


def test_each_score_names_the_cell_it_was_read_from(tmp_path):
    """A long table of three years: every score's source, looked up with openpyxl, holds it."""
    names = ["Xã An Bình", "Phường Hàng Bạc", "Xã Tân Lập", "Thị trấn Đông Anh"]
    rows: list[list[object]] = [["BẢNG ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH"], [],
                                ["STT", "Đơn vị", "Năm", "Chỉ đạo điều hành", "Thể chế", "Tổng điểm"]]
    for year in (2021, 2022, 2023):
        for i, name in enumerate(names):
            first, second = round(5 + i + year % 10 / 10, 2), round(3 + i / 4, 2)
            rows.append([i + 1, name, year, first, second, round(first + second, 2)])
    path = tmp_path / "par_long.xlsx"
    _workbook(path, rows)
    parsed = parse_file(path.read_bytes(), path.name, UnitRegistry(pd.DataFrame(columns=UNIT_COLUMNS)),
                        index="PAR")
    assert parsed.periods == ["2021", "2022", "2023"]
    scores = parsed.scores
    assert str(scores["source"].dtype) == "str" and str(scores["unit_id"].dtype) == "str"
    assert len(scores) == 3 * 4 * 3
    sheet = openpyxl.load_workbook(path)["Data"]
    for source, value, period in zip(scores["source"], scores["value"], scores["period"], strict=True):
        name, cell = source.split("!")
        assert name == "Data"
        assert sheet[cell].value == pytest.approx(value)
        assert str(sheet.cell(sheet[cell].row, 3).value) == period
    assert np.isin(scores["component"].unique(), ["1", "2", "TOTAL"]).all()
