"""The typed reader (issue 10): an .xlsx sheet read by fastexcel as float64 columns must hold
exactly the cells calamine reads, cell for cell and type for type, or be left to calamine."""
from __future__ import annotations

import datetime
import io

import numpy as np
import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from reform.ingest import limits, readers
from reform.ingest.pipeline import parse_file
from reform.ingest.units import UnitRegistry
from tests.conftest import SAMPLE_DIR
from tests.helpers import par_annex, write_xlsx


def calamine_cells(data: bytes, name: str) -> tuple[list[list[object]], list[readers.Merge]]:
    """The sheet as the calamine reader lays it out: error cells put back, merges clipped."""
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(name)
    rows = sheet.to_python(skip_empty_area=False)
    for (r, c), text in readers._xlsx_error_cells(data).get(name, {}).items():
        if rows[r][c] in ("", None):
            rows[r][c] = text
    merges = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []]
    return rows, limits.clip_merges(merges, len(rows), max(map(len, rows), default=0))


def typed_sheets(data: bytes, file_name: str) -> list[readers.RawSheet]:
    """Every sheet of the file read typed, after checking it against calamine."""
    typed = [sheet for sheet in readers.read_workbook(data, file_name).sheets if sheet.typed is not None]
    for sheet in typed:
        rows, merges = calamine_cells(data, sheet.name)
        got = [sheet.rows[r] for r in range(len(sheet.rows))]
        assert [[(type(v), v) for v in row] for row in got] == [[(type(v), v) for v in row] for row in rows], sheet.name
        assert sheet.merges == merges, sheet.name
    return typed


@pytest.mark.parametrize("name", ["PAPI_2011-2016.xlsx", "PCI_2013.xlsx", "PCI_2016.xlsx"])
def test_real_annexes_read_typed_as_calamine_reads_them(realdata, name):
    data = (realdata / name).read_bytes()
    sheets = typed_sheets(data, name)
    assert len(sheets) == len(readers.read_workbook(data, name).sheets)  # every sheet: one path


def test_sample_workbooks_read_typed_as_calamine_reads_them():
    for name in ("sample_par.xlsx", "sample_sipas.xlsx", "sample_par_2025.xlsx"):
        assert typed_sheets((SAMPLE_DIR / name).read_bytes(), name)


def test_an_annex_with_empty_rows_above_keeps_its_positions(tmp_path):
    rows, merges = par_annex(2018)
    path = write_xlsx(tmp_path / "PAR_2018.xlsx", {"PAR 2018": [[], [], *rows]}, {"PAR 2018": merges})
    data = path.read_bytes()
    [sheet] = typed_sheets(data, path.name)
    assert sheet.cell(2, 0) == "UBND QUẬN HOÀN KIẾM"  # the two empty rows above keep their place
    parsed = parse_file(data, path.name, _registry())
    assert parsed.ok
    assert parsed.scores["source"].str.fullmatch(r"PAR 2018!C\d+").any()
    first = parsed.scores.loc[parsed.scores["source"] == "PAR 2018!C11", "value"]
    assert first.tolist() == [5.5]  # "Phòng Nội vụ", spreadsheet row 11 (row 9 of the annex)


def _registry() -> UnitRegistry:
    import pandas as pd

    from reform.core.model import UNIT_COLUMNS

    return UnitRegistry(pd.DataFrame(columns=UNIT_COLUMNS))


def test_a_column_of_numbers_only_is_a_float64_array(tmp_path):
    body = [[f"Xã {i}", float(i), i / 4] for i in range(1, 200)]
    path = write_xlsx(tmp_path / "PAR_2024.xlsx", {"S": [["Tên đơn vị", "1. A", "Tổng điểm"], *body]})
    [sheet] = typed_sheets(path.read_bytes(), path.name)
    assert sheet.cells_of(1, 1).dtype == np.float64
    assert sheet.cells_of(1, 0).dtype == object  # the header text is no number
    assert sheet.column(2, np.arange(1, 3)).tolist() == [0.25, 0.5]


@pytest.mark.parametrize("odd", ["12", "-7.5", True, datetime.date(2024, 1, 2)])
def test_cells_fastexcel_would_change_leave_the_sheet_to_calamine(tmp_path, odd):
    """A text that reads as a number and a boolean become floats in fastexcel, a date a debug
    string: such a sheet is read by calamine, its cells as they are."""
    path = write_xlsx(tmp_path / "PAR_2024.xlsx", {"S": [["Tên đơn vị", "Tổng điểm"], ["Xã A", odd], ["Xã B", 5.0]],
                                                    "T": [["Tên đơn vị", "Tổng điểm"], ["Xã A", 4.0]]})
    workbook = readers.read_workbook(path.read_bytes(), path.name)
    odd_sheet, plain = workbook.sheets
    assert odd_sheet.typed is None and plain.typed is not None
    assert odd_sheet.cell(1, 1) == odd and type(odd_sheet.cell(1, 1)) is type(odd)


@pytest.mark.parametrize("text", [" 7.5", "8,5", "9l,5", "#REF!", "Xa\u0301 Ho\u0300a", 'a "b"\n\\ c\t'])
def test_texts_fastexcel_keeps_are_read_typed_as_written(tmp_path, text):
    path = write_xlsx(tmp_path / "PAR_2024.xlsx", {"S": [["Tên đơn vị", "Tổng điểm"], ["Xã A", text], ["Xã B", 5.0]]})
    [sheet] = typed_sheets(path.read_bytes(), path.name)
    assert sheet.cell(1, 1) == text


def test_inline_texts_that_read_as_numbers_leave_the_sheet_to_calamine(tmp_path):
    workbook = openpyxl.Workbook(write_only=True)  # write-only openpyxl writes inline strings
    sheet = workbook.create_sheet("S")
    for row in (["Tên đơn vị", "Tổng điểm"], ["Xã A", "12"], ["Xã B", 5.0]):
        sheet.append(row)
    workbook.save(path := tmp_path / "PAR_2024.xlsx")
    [raw] = readers.read_workbook(path.read_bytes(), path.name).sheets
    assert raw.typed is None and raw.cell(1, 1) == "12"


def test_unnumbered_tags_are_found_as_the_patterns_find_them():
    """The array search for a <row> or <c> without a reference finds what the regexes find."""
    rng = np.random.default_rng(7)
    parts = [b"<row", b"<c", b' r="', b'r="', b">", b"/", b" ", b"\t", b"A1", b'"', b"<col ", b"<rows", b"\n", b"<"]
    for _ in range(3000):
        buffer = b"".join(parts[i] for i in rng.integers(0, len(parts), rng.integers(0, 12)))
        end = int(rng.integers(0, len(buffer) + 1))
        expected = tuple(bool(patterns[0].search(buffer, 0, end))
                         for patterns in (limits._ROW_WITHOUT_REF, limits._CELL_WITHOUT_REF))
        assert limits._unnumbered_tags(buffer, end) == expected, (buffer, end)


@pytest.mark.parametrize("sheet_data, typed", [
    # in order, a blank row and column first: typed, at the real positions
    ('<row r="2"><c r="B2"><v>1.5</v></c>' + '<c r="C2" t="inlineStr"><is><t>Xã A</t></is></c></row>'
     '<row r="4"><c r="D4"><v>2</v></c></row>', True),
    # rows written out of order: fastexcel's rows start at the least one, the scan saw another
    ('<row r="4"><c r="D4"><v>2</v></c></row><row r="2"><c r="B2"><v>1.5</v></c></row>', False),
    # a cell without its reference: calamine counts along
    ('<row r="2"><c><v>1.5</v></c><c r="C2"><v>3</v></c></row>', False),
])
def test_hand_written_sheets_read_as_calamine_reads_them(sheet_data, typed):
    from tests.hostile import raw_xlsx, sheet_xml

    data = raw_xlsx(sheet_xml(sheet_data))
    [sheet] = readers.read_workbook(data, "PAR_2024.xlsx").sheets
    assert (sheet.typed is not None) == typed
    rows, _ = calamine_cells(data, sheet.name)
    assert [sheet.rows[r] for r in range(len(sheet.rows))] == rows
