"""Empty templates: each, filled with two units, imports through parse_file without errors."""
from __future__ import annotations

import io
from datetime import date

import openpyxl
import pandas as pd
import pytest

from reform.core.errors import UsageError
from reform.core.gazetteer import seed_units
from reform.ingest.pipeline import parse_file
from reform.ingest.templates import (
    PAR_FIELDS,
    SIPAS_ELEMENTS,
    TEMPLATE_INDICES,
    template_file_name,
    template_workbook,
)
from reform.ingest.units import UnitRegistry


def _registry() -> UnitRegistry:
    return UnitRegistry(seed_units())


def fill_template(data: bytes, first_row: int, rows: list[list[object]]) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    for r, values in enumerate(rows, start=first_row):
        for c, value in enumerate(values, start=1):
            sheet.cell(row=r, column=c, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def par_rows() -> list[list[object]]:
    maxima = [m for _, _, items in PAR_FIELDS for _, m in items]
    rows = []
    for number, (name, share) in enumerate([("Phường Hàng Bạc", 0.9), ("P. Hàng Gai", 0.75)], start=1):
        points = [round(m * share, 2) for m in maxima]
        total = round(sum(points), 2)
        rows.append([number, name, *points, total, total, number, "A" if share >= 0.9 else "B"])
    return rows


def _sipas_rows() -> list[list[object]]:
    rows = []
    for number, (name, base) in enumerate([("Phường Hàng Bạc", 86.0), ("Phường Hàng Gai", 78.0)], start=1):
        values = []
        for element in range(5):
            values += [base + 1, base + element, base + element + 6]
        rows.append([number, name, *values, base + 2, number])
    return rows


def _inspection_rows() -> list[list[object]]:
    return [
        [1, date(2024, 3, 5), "Phường Hàng Bạc", "Đoàn kiểm tra công vụ số 1", "Thường xuyên",
         "Đi muộn về sớm", 2, 15, ""],
        [2, date(2024, 4, 9), "Phường Hàng Gai", "Đoàn kiểm tra công vụ số 2", "Đột xuất",
         "Không vi phạm", 0, 12, "Tốt"],
    ]


FILLS = {"PAR": (7, par_rows), "SIPAS": (6, _sipas_rows), "DISCIPLINE": (5, _inspection_rows)}


@pytest.mark.parametrize("index", TEMPLATE_INDICES)
def test_filled_template_imports_without_errors(index: str) -> None:
    first_row, rows = FILLS[index]
    data = fill_template(template_workbook(index, period="2024"), first_row, rows())
    parsed = parse_file(data, template_file_name(index, period="2024"), _registry())

    assert [i for i in parsed.issues if i.severity == "error"] == []
    assert parsed.ok
    assert parsed.index == index
    assert parsed.periods == ["2024"]
    assert parsed.unit_count == 2
    assert parsed.skipped_sheets == ["Hướng dẫn"]


def test_par_template_reads_fields_criteria_and_maximums() -> None:
    data = fill_template(template_workbook("PAR", period="2023"), 7, par_rows())
    parsed = parse_file(data, "mau.xlsx", _registry())
    fields = parsed.components[parsed.components["parent"] == ""]
    assert list(fields["component"]) == [str(n) for n in range(1, 9)]
    assert list(fields["max_value"]) == [10.0, 10.0, 14.5, 11.0, 16.0, 7.0, 16.0, 15.5]
    criteria = parsed.components[parsed.components["parent"] != ""]
    assert len(criteria) == sum(len(items) for _, _, items in PAR_FIELDS)
    totals = parsed.scores[parsed.scores["component"] == "TOTAL"].sort_values("unit_id")
    expected = pd.DataFrame({"unit_id": ["ward:hang-bac", "ward:hang-gai"],
                             "max_value": [100.0, 100.0]})
    pd.testing.assert_frame_equal(totals[["unit_id", "max_value"]].reset_index(drop=True), expected)


def test_sipas_template_names_the_three_measures_per_element() -> None:
    data = fill_template(template_workbook("SIPAS", period="2024"), 6, _sipas_rows())
    parsed = parse_file(data, "mau.xlsx", _registry())
    fields = parsed.components[parsed.components["parent"] == ""]
    assert list(fields["name"]) == list(SIPAS_ELEMENTS)
    children = parsed.components[parsed.components["parent"] == "1"]
    assert list(children["name"]) == ["Đánh giá (%)", "Hài lòng (%)", "Kỳ vọng (%)"]


def test_inspection_template_reads_kinds_and_categories() -> None:
    data = fill_template(template_workbook("DISCIPLINE", period="2024"), 5, _inspection_rows())
    parsed = parse_file(data, "mau.xlsx", _registry())
    got = parsed.inspections[["unit_id", "kind", "category", "violations", "officials_checked"]]
    expected = pd.DataFrame({
        "unit_id": ["ward:hang-bac", "ward:hang-gai"], "kind": ["regular", "unannounced"],
        "category": ["hours", "none"], "violations": [2, 0], "officials_checked": [15, 12]})
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected, check_dtype=False)


@pytest.mark.parametrize("index", TEMPLATE_INDICES)
def test_empty_template_has_a_header_and_no_units(index: str) -> None:
    book = openpyxl.load_workbook(io.BytesIO(template_workbook(index, period="2025")))
    assert book.sheetnames[1] == "Hướng dẫn"
    sheet = book.worksheets[0]
    assert "2025" in sheet["A1"].value
    assert sheet["A4"].value == "STT"
    header_rows = {"PAR": 6, "SIPAS": 5, "DISCIPLINE": 4}[index]
    assert sheet.max_row == header_rows


@pytest.mark.parametrize(("index", "period", "message"), [
    ("PAPI", "2024", "no template for index 'PAPI'"),
    ("PAR", "2024-03", "Period '2024-03' is not valid for a template"),
    ("PAR", "năm", "Period 'năm' is not valid"),
])
def test_bad_arguments_raise_usage_error(index: str, period: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        template_workbook(index, period=period)
    assert message in caught.value.message("en")


def test_file_name() -> None:
    assert template_file_name("SIPAS", period="2024") == "mau_SIPAS_2024.xlsx"
