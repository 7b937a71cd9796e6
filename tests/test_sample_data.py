"""The illustrative sample workbooks (data/make_sample.py): deterministic, internally
consistent like a real annex, messy where real files are messy, and readable by the importer."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import date, datetime
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from data import make_sample
from reform.core.text import fold, unit_key
from reform.ingest.pipeline import parse_file
from reform.ingest.units import UnitRegistry
from reform.store.store import Store

YEARS = list(range(2017, 2025))
COMMA_NUMBER = re.compile(r"^\d+,\d{2}$")
TEXT_DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The three workbooks written once for the module, by file name."""
    paths = make_sample.write_all(tmp_path_factory.mktemp("sample"))
    return {path.name: path for path in paths}


@pytest.fixture(scope="module")
def par_book(sample: dict[str, Path]):
    return load_workbook(sample[make_sample.PAR_FILE])


@pytest.fixture(scope="module")
def sipas_book(sample: dict[str, Path]):
    return load_workbook(sample[make_sample.SIPAS_FILE])


@pytest.fixture(scope="module")
def inspections_book(sample: dict[str, Path]):
    return load_workbook(sample[make_sample.INSPECTIONS_FILE])


def number(value: object) -> float | None:
    """A cell as a number: floats as they are, "8,50" as 8.5, "-" and blanks as None."""
    if value is None or value == "-":
        return None
    if isinstance(value, str):
        return float(value.replace(",", "."))
    return float(value)


@cache
def all_values(path: Path) -> dict[str, list[tuple]]:
    """Every sheet's rows of values; read once per file (the tests only read them)."""
    book = load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


def read_par(ws: Worksheet) -> dict:
    """The annex of one year: criterion codes and maximums, the units of each block, footer."""
    header = [ws.cell(7, c).value for c in range(1, ws.max_column + 1)]
    crit_cols = [c for c, v in enumerate(header, start=1) if v and re.match(r"^\d\.\d ", v)]
    codes = [header[c - 1].split()[0] for c in crit_cols]
    total_col = crit_cols[-1] + 1
    maxima = [number(ws.cell(8, c).value) for c in crit_cols]
    units, blocks, footer = [], [], []
    block = None
    for r in range(9, ws.max_row + 1):
        first, name = ws.cell(r, 1).value, ws.cell(r, 2).value
        if isinstance(first, str) and "KHỐI" in first:
            block = first
            blocks.append(first)
        elif first is not None and name and block and not footer:
            units.append({
                "block": block, "stt": int(number(first)), "name": name,
                "values": [number(ws.cell(r, c).value) for c in crit_cols],
                "raw": [ws.cell(r, c).value for c in range(1, total_col + 4)],
                "total": number(ws.cell(r, total_col).value),
                "percent": number(ws.cell(r, total_col + 1).value),
                "rank": int(number(ws.cell(r, total_col + 2).value)),
                "group": ws.cell(r, total_col + 3).value,
            })
        else:
            footer.append((r, [ws.cell(r, c).value for c in range(1, ws.max_column + 1)]))
    return {"codes": codes, "crit_cols": crit_cols, "total_col": total_col, "maxima": maxima,
            "total_max": number(ws.cell(8, total_col).value), "units": units, "blocks": blocks,
            "footer": footer}


def expected_ranks(totals: list[float]) -> list[int]:
    return [1 + sum(other > total for other in totals) for total in totals]


# --- the generator -----------------------------------------------------------------------------


def test_write_all_writes_three_named_small_files(sample: dict[str, Path]) -> None:
    assert list(sample) == ["sample_par.xlsx", "sample_sipas.xlsx", "sample_inspections.xlsx"]
    for path in sample.values():
        assert path.stat().st_size < 200 * 1024, path


def test_main_writes_into_out_folder_the_same_workbooks_again(
        sample: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The command's second write is also the check that writing is deterministic: one write
    # fewer than a test of each (a write costs seconds).
    assert make_sample.main(["--out", str(tmp_path / "new")]) == 0
    written = sorted(p.name for p in (tmp_path / "new").iterdir())
    assert written == ["sample_inspections.xlsx", "sample_par.xlsx", "sample_sipas.xlsx"]
    assert "sample_par.xlsx" in capsys.readouterr().out
    for name in written:
        assert all_values(tmp_path / "new" / name) == all_values(sample[name]), name


@pytest.mark.parametrize(("values", "ranks"), [
    ([90.0, 85.0, 85.0, 70.0], [1, 2, 2, 4]),
    ([70.0, 85.0, 90.0], [3, 2, 1]),
    ([5.0, 5.0, 5.0], [1, 1, 1]),
    ([], []),
])
def test_competition_rank(values: list[float], ranks: list[int]) -> None:
    assert make_sample.competition_rank(values) == ranks


@pytest.mark.parametrize(("percent", "year", "group"), [
    (80.0, 2018, "A"), (79.99, 2018, "B"), (75.0, 2022, "B"), (74.99, 2022, "C"),
    (70.0, 2017, "C"), (69.99, 2017, "D"), (89.99, 2023, "B"), (90.0, 2023, "A"),
    (80.0, 2024, "B"), (79.99, 2024, "C"), (70.0, 2024, "C"), (65.0, 2024, "D"),
])
def test_par_group_bounds_go_to_the_upper_group(percent: float, year: int, group: str) -> None:
    assert make_sample.par_group(percent, year) == group


@pytest.mark.parametrize(("value", "text"), [(8.5, "8,50"), (100.0, "100,00"), (6.374, "6,37")])
def test_vi_number_uses_a_decimal_comma(value: float, text: str) -> None:
    assert make_sample.vi_number(value) == text


FIELD_MAXIMA = pd.DataFrame({
    "field": [str(f) for f in range(1, 9)],
    "2017": [10.0, 10.0, 14.5, 11.0, 16.0, 7.0, 16.0, 15.5],
    "2021": [10.0, 10.0, 16.0, 11.0, 16.0, 7.0, 17.0, 13.0],
})


@pytest.mark.parametrize(("year", "column", "criteria"), [
    (2017, "2017", 24), (2020, "2017", 24), (2021, "2021", 25), (2024, "2021", 25)])
def test_par_framework_field_maxima(year: int, column: str, criteria: int) -> None:
    frame = make_sample.par_framework(year)
    fields = frame.groupby("field", sort=False)["max_value"].sum().reset_index()
    expected = FIELD_MAXIMA[["field", column]].rename(columns={column: "max_value"})
    pd.testing.assert_frame_equal(fields, expected)
    assert len(frame) == criteria
    assert (frame.groupby("field")["field_max"].first() == frame.groupby("field")["max_value"].sum()).all()


def test_par_framework_refuses_unknown_year() -> None:
    with pytest.raises(ValueError, match="no PAR framework for 2016"):
        make_sample.par_framework(2016)


# --- PAR workbook ------------------------------------------------------------------------------


def test_par_sheets(par_book) -> None:
    assert par_book.sheetnames == [str(y) for y in YEARS] + ["Ghi chú"]


@pytest.mark.parametrize("year", YEARS)
def test_par_title_and_header_rows(par_book, year: int) -> None:
    ws = par_book[str(year)]
    assert ws["A1"].value == "UBND QUẬN HOÀN KIẾM"
    assert ws["A2"].value == "PHỤ LỤC"
    assert ws["A3"].value == (f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year} CỦA CÁC PHÒNG, BAN "
                              "VÀ UBND CÁC PHƯỜNG")
    assert "minh họa" in ws["A4"].value and "Illustrative" in ws["A4"].value
    assert all(ws.cell(5, c).value is None for c in range(1, ws.max_column + 1))
    merged = {str(r) for r in ws.merged_cells.ranges}
    last = ws.cell(6, ws.max_column).column_letter
    assert {f"A3:{last}3", "A6:A7", "B6:B7", "C6:E6"} <= merged
    assert ws["A6"].value == "STT" and ws["B6"].value == "Tên đơn vị"
    assert ws["C6"].value == "1. Công tác chỉ đạo, điều hành CCHC (10 điểm)"
    assert ws["C7"].value == "1.1 Kế hoạch CCHC năm"
    tail = [ws.cell(6, c).value for c in range(ws.max_column - 3, ws.max_column + 1)]
    assert tail == ["Tổng điểm", "Chỉ số (%)", "Xếp hạng", "Xếp loại"]
    assert ws["A8"].value is None and ws["B8"].value == "Điểm tối đa"
    assert ws["A6"].font.b and ws["A3"].font.b


@pytest.mark.parametrize("year", YEARS)
def test_par_maxima_sum_to_100_and_to_each_field(par_book, year: int) -> None:
    ws = par_book[str(year)]
    sheet = read_par(ws)
    assert sum(sheet["maxima"]) == pytest.approx(100.0)
    assert sheet["total_max"] == 100.0
    for c in sheet["crit_cols"]:
        label = ws.cell(6, c).value
        if label:  # the first column of a field holds its merged label "… (14,5 điểm)"
            field = label.split(".")[0]
            field_max = float(re.search(r"\(([\d,]+) điểm\)", label).group(1).replace(",", "."))
            in_field = [m for code, m in zip(sheet["codes"], sheet["maxima"], strict=True)
                        if code.split(".")[0] == field]
            assert sum(in_field) == pytest.approx(field_max), label


@pytest.mark.parametrize("year", YEARS)
def test_par_units_totals_ranks_and_groups(par_book, year: int) -> None:
    sheet = read_par(par_book[str(year)])
    assert sheet["blocks"] == ["I. KHỐI PHÒNG, BAN CHUYÊN MÔN", "II. KHỐI PHƯỜNG"]
    by_block = Counter(u["block"] for u in sheet["units"])
    assert list(by_block.values()) == [12, 18]
    for block in sheet["blocks"]:
        units = [u for u in sheet["units"] if u["block"] == block]
        assert [u["stt"] for u in units] == list(range(1, len(units) + 1))
        assert [u["rank"] for u in units] == expected_ranks([u["total"] for u in units])
    for unit in sheet["units"]:
        points = [v for v in unit["values"] if v is not None]
        assert unit["total"] == round(sum(points), 2), unit["name"]
        assert unit["percent"] == unit["total"]
        assert all(v is None or 0 <= v <= m for v, m in zip(unit["values"], sheet["maxima"], strict=True))
        assert unit["group"] == make_sample.par_group(unit["percent"], year)
        assert 64.0 <= unit["total"] <= 97.0


@pytest.mark.parametrize("year", YEARS)
def test_par_footer_rows(par_book, year: int) -> None:
    sheet = read_par(par_book[str(year)])
    labels = [(row[0], row[1]) for _, row in sheet["footer"]]
    assert labels[:2] == [(None, "Trung bình"), (None, "Điểm cao nhất")]
    assert labels[2] == (None, None)
    assert labels[3] == ("Ghi chú: Số liệu minh họa, không phải kết quả chính thức.", None)
    signature = [v for v in sheet["footer"][4][1] if v]
    assert signature == ["NGƯỜI LẬP BIỂU", "TRƯỞNG PHÒNG NỘI VỤ"]
    average_row = sheet["footer"][0][1]
    totals = [u["total"] for u in sheet["units"]]
    assert number(average_row[sheet["total_col"] - 1]) == round(sum(totals) / len(totals), 2)
    assert number(sheet["footer"][1][1][sheet["total_col"] - 1]) == max(totals)


def test_par_2019_stores_numbers_as_text_with_decimal_comma(par_book) -> None:
    sheet = read_par(par_book["2019"])
    cells = [v for u in sheet["units"] for v in u["raw"][2:-2]]  # criteria, total, percent
    assert cells and all(isinstance(v, str) and COMMA_NUMBER.match(v) for v in cells)
    assert all(isinstance(u["raw"][0], str) for u in sheet["units"])
    ws = par_book["2019"]
    assert ws.cell(8, 3).value == "4,00"


@pytest.mark.parametrize("year", [y for y in YEARS if y != 2019])
def test_par_other_years_store_real_numbers(par_book, year: int) -> None:
    sheet = read_par(par_book[str(year)])
    cells = [v for u in sheet["units"] for v in u["raw"][2:-2] if v != "-"]
    assert all(isinstance(v, float | int) for v in cells)


def test_par_not_applicable_cell(par_book) -> None:
    marks = set()
    for year in YEARS:
        sheet = read_par(par_book[str(year)])
        for unit in sheet["units"]:
            marks |= {(year, unit["name"], code)
                      for code, raw in zip(sheet["codes"], unit["raw"][2:], strict=False) if raw == "-"}
    assert marks == {(2018, "Thanh tra quận", "6.1")}


def test_par_names_are_spelled_differently_across_years(par_book) -> None:
    names = {year: [u["name"] for u in read_par(par_book[str(year)])["units"]] for year in YEARS}
    flat = [n for year in YEARS for n in names[year]]
    assert "Phường Hàng Bạc" in names[2017]
    assert "P. Hàng Bạc" in names[2018]
    assert "Hàng Bạc" in names[2019]
    assert "HÀNG BẠC" in names[2020]
    assert any(n != unicodedata.normalize("NFC", n) for n in flat)  # decomposed accents
    assert any("\u00a0" in n for n in flat)
    assert "Phòng Văn hóa và Thông tin" in names[2017] and "Phòng Văn hoá và Thông tin" in names[2022]
    assert "Nội vụ" in names[2019] and "Phòng Nội vụ" in names[2017]
    # Every spelling still names one of the 30 units.
    keys = {unit_key(n) for n in flat} - {unit_key(n) for n in make_sample.OFFICE_SHORT.values()}
    assert keys <= {unit_key(u) for u in make_sample.WARDS + make_sample.OFFICES}


def test_par_story_and_a_shared_rank(par_book) -> None:
    totals = {}
    ties = []
    for year in YEARS:
        units = read_par(par_book[str(year)])["units"]
        for u in units:
            totals[(unit_key(u["name"]), year)] = u["total"]
        ranks = Counter((u["block"], u["rank"]) for u in units)
        ties += [key for key, count in ranks.items() if count > 1]
    for ward in ("Phúc Tân", "Chương Dương", "Hàng Mã"):
        assert totals[(unit_key(ward), 2024)] - totals[(unit_key(ward), 2017)] > 15, ward
    assert totals[(unit_key("Hàng Bồ"), 2017)] - totals[(unit_key("Hàng Bồ"), 2024)] > 10
    assert ties  # at least one shared rank (1, 2, 2, 4) somewhere


# --- SIPAS workbook ----------------------------------------------------------------------------


def test_sipas_sheets(sipas_book) -> None:
    assert sipas_book.sheetnames == [str(y) for y in YEARS] + ["Ghi chú"]


@pytest.mark.parametrize("year", YEARS)
def test_sipas_layout_and_values(sipas_book, year: int) -> None:
    ws = sipas_book[str(year)]
    assert ws["A3"].value == f"KẾT QUẢ ĐO LƯỜNG SỰ HÀI LÒNG CỦA NGƯỜI DÂN (SIPAS) NĂM {year}"
    assert [ws.cell(6, c).value for c in (1, 2, 3, 6, 9, 12, 15, 18, 19)] == [
        "STT", "Tên đơn vị", "1. Tiếp cận dịch vụ", "2. Thủ tục hành chính",
        "3. Công chức giải quyết công việc", "4. Kết quả dịch vụ",
        "5. Tiếp nhận, xử lý góp ý, phản ánh", "Chỉ số SIPAS (%)", "Xếp hạng"]
    assert [ws.cell(7, c).value for c in range(3, 6)] == ["Đánh giá (%)", "Hài lòng (%)", "Kỳ vọng (%)"]
    assert {"C6:E6", "A6:A7", "R6:R7", "S6:S7"} <= {str(r) for r in ws.merged_cells.ranges}
    assert ws["A8"].value == "KHỐI PHƯỜNG"
    rows = [[ws.cell(r, c).value for c in range(1, 20)] for r in range(9, 27)]
    assert [r[0] for r in rows] == list(range(1, 19))
    assert ws.cell(27, 2).value == "Trung bình"
    for row in rows:
        measures = row[2:17]
        satisfaction, expectation = measures[1::3], measures[2::3]
        assert row[17] == round(sum(satisfaction) / 5, 2), row[1]
        assert all(60.0 <= v <= 98.0 for v in measures)
        assert all(0.0 <= e - s <= 15.0 + 1e-9 for s, e in zip(satisfaction, expectation, strict=True))
    assert [r[18] for r in rows] == expected_ranks([r[17] for r in rows])
    assert {unit_key(r[1]) for r in rows} == {unit_key(w) for w in make_sample.WARDS}


# --- inspections workbook ----------------------------------------------------------------------


def read_inspections(ws: Worksheet) -> list[tuple]:
    rows = []
    for row in ws.iter_rows(min_row=7, values_only=True):
        if not isinstance(row[0], int):
            break
        rows.append(row)
    return rows


def as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    return datetime.strptime(value, "%d/%m/%Y").date()


def test_inspections_layout(inspections_book) -> None:
    assert inspections_book.sheetnames == ["Kiểm tra công vụ", "Ghi chú"]
    ws = inspections_book["Kiểm tra công vụ"]
    assert ws["A3"].value == "KẾT QUẢ KIỂM TRA CÔNG VỤ, KỶ CƯƠNG HÀNH CHÍNH NĂM 2023–2024"
    assert [c.value for c in ws[6]] == [
        "STT", "Ngày kiểm tra", "Đơn vị được kiểm tra", "Đoàn kiểm tra", "Hình thức",
        "Nội dung vi phạm", "Số lượt vi phạm", "Số CBCC được kiểm tra", "Ghi chú"]


def test_inspection_records(inspections_book) -> None:
    rows = read_inspections(inspections_book["Kiểm tra công vụ"])
    assert 600 <= len(rows) <= 800
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    dates = [as_date(r[1]) for r in rows]
    assert dates == sorted(dates)
    assert {d.strftime("%Y-%m") for d in dates} == set(make_sample.INSPECTION_MONTHS)
    assert all(d.weekday() < 5 for d in dates)
    typed = [r[1] for r in rows if isinstance(r[1], str)]
    assert 1 <= len(typed) <= 10 and all(TEXT_DATE.match(t) for t in typed)
    assert {r[3] for r in rows} == set(make_sample.TEAMS)
    kinds = Counter(r[4] for r in rows)
    assert set(kinds) == {"Thường xuyên", "Đột xuất"}
    clean = [r for r in rows if r[5] == "Không vi phạm"]
    assert len(clean) > len(rows) / 2 and all(r[6] == 0 for r in clean)
    assert all(1 <= r[6] <= r[7] for r in rows if r[5] != "Không vi phạm")
    spellings = {r[5] for r in rows}
    assert {"Đi muộn về sớm", "giờ làm việc", "Trang phục, thẻ công chức"} <= spellings


def test_inspections_tell_a_story(inspections_book) -> None:
    rows = read_inspections(inspections_book["Kiểm tra công vụ"])
    per_kind = {kind: [r[6] for r in rows if r[4] == kind] for kind in ("Thường xuyên", "Đột xuất")}
    mean = {kind: sum(v) / len(v) for kind, v in per_kind.items()}
    assert mean["Đột xuất"] > 2 * mean["Thường xuyên"]
    full = {unit_key(short): unit_key(name) for name, short in make_sample.OFFICE_SHORT.items()}
    violations: Counter[str] = Counter()
    visits: Counter[tuple[str, str]] = Counter()
    for r in rows:
        key = full.get(unit_key(r[2]), unit_key(r[2]))
        violations[key] += r[6]
        visits[(key, as_date(r[1]).strftime("%Y-%m"))] += 1
    assert len(violations) == 30
    assert set(visits.values()) == {1, 2}
    top = {key for key, _ in violations.most_common(3)}
    assert top == {unit_key(w) for w in make_sample.REPEAT_VIOLATORS}


# --- notes and the importer --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sample_par.xlsx", "sample_sipas.xlsx", "sample_inspections.xlsx"])
def test_notes_sheet_says_illustrative(sample: dict[str, Path], name: str) -> None:
    text = " ".join(str(v) for row in all_values(sample[name])["Ghi chú"] for v in row if v)
    for words in ("minh họa", "không phải kết quả chính thức", "illustrative",
                  "not official results", "data/make_sample.py", "2024"):
        assert words in text, words


@pytest.mark.parametrize(("name", "index", "periods", "units"), [
    ("sample_par.xlsx", "PAR", [str(y) for y in YEARS], 30),
    ("sample_sipas.xlsx", "SIPAS", [str(y) for y in YEARS], 18),
    ("sample_inspections.xlsx", "DISCIPLINE", ["2023", "2024"], 30),
])
def test_importer_reads_the_sample_without_errors(
        sample: dict[str, Path], store: Store, name: str, index: str, periods: list[str],
        units: int) -> None:
    parsed = parse_file(sample[name].read_bytes(), name, UnitRegistry(store.units()))
    assert parsed.index == index
    assert parsed.ok, [i.message_en for i in parsed.issues if i.severity == "error"]
    assert parsed.periods == periods
    assert parsed.unit_count == units
    assert set(parsed.units["how"]) <= {"exact", "alias", "fuzzy"}  # every spelling matched
    assert parsed.skipped_sheets == ["Ghi chú"]
    if index == "PAR":
        totals = parsed.scores[parsed.scores["component"] == "TOTAL"]
        assert len(totals) == 30 * len(YEARS)
    if index == "DISCIPLINE":
        records = read_inspections(load_workbook(sample[name])["Kiểm tra công vụ"])
        assert len(parsed.inspections) == len(records)
        assert fold(parsed.inspections["kind"].iloc[0]) in ("regular", "unannounced")
