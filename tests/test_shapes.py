"""Every shape real files come in (issue 9): long tables, years side by side, one score per
unit, row numbers, an annex with its document line, an indicator column, a merged label over
a set of columns. Each is written by code and read to the exact canonical frame."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reform.core.errors import FileRefused
from reform.core.gazetteer import seed_units
from reform.core.model import TOTAL, Role
from reform.ingest.layout import infer_period, title_years
from reform.ingest.pipeline import ParsedFile, parse_file
from reform.ingest.roles import header_period, period_of, role_from_header
from reform.ingest.units import UnitRegistry
from reform.store.store import Store
from tests import shape_fixtures as sf
from tests.helpers import write_xlsx

COLUMNS = ["index", "period", "unit_id", "component", "value", "max_value", "source"]
PROVINCE_IDS = ("province:ha-noi", "province:hai-phong", "province:da-nang", "province:ha-nam",
                "province:ninh-binh", "province:ba-ria-vung-tau")
NAN = np.nan


def parse(path: Path, **options) -> ParsedFile:
    return parse_file(path.read_bytes(), path.name, UnitRegistry(seed_units()), **options)


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame``'s score columns in one order, so two readings compare row by row."""
    out = frame[COLUMNS].astype({"value": "float64", "max_value": "float64"})
    out = out.astype({c: "object" for c in ("index", "period", "unit_id", "component", "source")})
    return out.sort_values(["period", "component", "unit_id"]).reset_index(drop=True)


def expected(rows: list[tuple]) -> pd.DataFrame:
    return canonical(pd.DataFrame(rows, columns=COLUMNS))


def letter(col: int) -> str:
    return "ABCDEFGHIJ"[col]


# ---------------------------------------------------------------------------------------------
# One test per shape, each against the exact frame
# ---------------------------------------------------------------------------------------------

def _long() -> tuple[Path, dict, pd.DataFrame]:
    years = ("2016", "2017", "2018")
    rows = [("PCI", year, unit, TOTAL, sf.LONG_SCORES[year][i], 100.0, f"pci_2016_2018!B{2 + 3 * i + y}")
            for y, year in enumerate(years) for i, unit in enumerate(PROVINCE_IDS)]
    return sf.long_table, {}, expected(rows)


def _wide() -> tuple[Path, dict, pd.DataFrame]:
    rows = [("PCI", year, unit, TOTAL, sf.WIDE_SCORES[i][y], 100.0, f"Ket qua!{letter(2 + y)}{5 + i}")
            for y, year in enumerate(sf.WIDE_YEARS) for i, unit in enumerate(PROVINCE_IDS)]
    return sf.years_wide, {}, expected(rows)


def _one_score() -> tuple[Path, dict, pd.DataFrame]:
    ids = ("ward:hang-bac", "ward:hang-dao", "ward:hang-bo", "ward:cua-nam")
    rows = [("PAR", "2023", unit, TOTAL, sf.ONE_SCORES[i], NAN, f"tong_diem_2023!B{2 + i}")
            for i, unit in enumerate(ids)]
    return sf.one_score, {"index": "PAR"}, expected(rows)


def _row_numbers() -> tuple[Path, dict, pd.DataFrame]:
    order = sorted(range(len(sf.INDEXED_UNITS)), key=lambda i: -sum(sf.INDEXED_SCORES[i]))
    ids = {"Huế": "province:thua-thien-hue"}
    rows = []
    for position, i in enumerate(order):
        unit = ids.get(sf.INDEXED_UNITS[i]) or UnitRegistry(seed_units()).match(sf.INDEXED_UNITS[i]).unit_id
        first, second = sf.INDEXED_SCORES[i]
        rows += [("PAPI", "2016", unit, "1", first, 10.0, f"papi_2016!C{position + 2}"),
                 ("PAPI", "2016", unit, "2", second, 10.0, f"papi_2016!D{position + 2}"),
                 ("PAPI", "2016", unit, TOTAL, round(first + second, 2), 20.0, f"papi_2016!E{position + 2}")]
    return sf.data_frame_index, {}, expected(rows)


def _annex() -> tuple[Path, dict, pd.DataFrame]:
    ids = [UnitRegistry(seed_units()).match(name).unit_id for name in sf.ANNEX_UNITS]
    assert ids == ["unit:ngoai-vu", "unit:khoa-hoc-va-cong-nghe", "unit:giao-thong-van-tai", "unit:cong-thuong"]
    rows = []
    for i, unit in enumerate(ids):
        first, second, total = sf.ANNEX_SCORES[i]
        rows += [("PAR", "2016", unit, "1", first, 10.0, f"Sheet1!C{7 + i}"),
                 ("PAR", "2016", unit, "2", second, 10.0, f"Sheet1!D{7 + i}"),
                 ("PAR", "2016", unit, TOTAL, total, 20.0, f"Sheet1!E{7 + i}")]
    return sf.annex_with_document_line, {}, expected(rows)


def _pivot(folder: Path) -> Path:
    """Unit, year, indicator, value: one row per number."""
    rows: list[list[object]] = [["Tỉnh", "Năm", "Chỉ tiêu", "Giá trị"]]
    for year, scale in (("2020", 0.0), ("2021", 0.5)):
        for unit, base in (("Hà Nội", 5.0), ("Đà Nẵng", 6.0)):
            rows += [[unit, year, "Tham gia", base + scale], [unit, year, "Công khai", base + 1 + scale],
                     [unit, year, "Tổng điểm", 2 * base + 1 + 2 * scale]]
    return sf.write_csv(folder / "papi_dai.csv", rows)


def _pivoted() -> tuple[Path, dict, pd.DataFrame]:
    rows = []
    r = 2
    for year, scale in (("2020", 0.0), ("2021", 0.5)):
        for unit, base in (("province:ha-noi", 5.0), ("province:da-nang", 6.0)):
            rows += [("PAPI", year, unit, "1", base + scale, 10.0, f"papi_dai!D{r}"),
                     ("PAPI", year, unit, "2", base + 1 + scale, 10.0, f"papi_dai!D{r + 1}"),
                     ("PAPI", year, unit, TOTAL, 2 * base + 1 + 2 * scale, 20.0, f"papi_dai!D{r + 2}")]
            r += 3
    return _pivot, {}, expected(rows)


def _set_label(folder: Path) -> Path:
    """A PCI annex whose merged "Chỉ số thành phần" only labels its three sub-indices."""
    rows: list[list[object]] = [
        ["CHỈ SỐ NĂNG LỰC CẠNH TRANH CẤP TỈNH (PCI) NĂM 2016"],
        ["STT", "Tỉnh", "1. Chỉ số thành phần", None, None, "PCI"],
        [None, None, "Gia nhập thị trường", "Tiếp cận đất đai", "Tính minh bạch", None],
        [1, "Đà Nẵng", 8.5, 6.25, 7.0, 70.0],
        [2, "Hà Nội", 7.75, 5.5, 6.5, 61.25],
    ]
    return write_xlsx(folder / "annex_pci.xlsx", {"Sheet1": rows}, {"Sheet1": ["C2:E2", "A2:A3", "B2:B3", "F2:F3"]})


def _set_labelled() -> tuple[Path, dict, pd.DataFrame]:
    rows = []
    for i, (unit, values) in enumerate((("province:da-nang", (8.5, 6.25, 7.0, 70.0)),
                                         ("province:ha-noi", (7.75, 5.5, 6.5, 61.25)))):
        rows += [("PCI", "2016", unit, str(c + 1), v, 10.0, f"Sheet1!{letter(2 + c)}{4 + i}")
                 for c, v in enumerate(values[:3])]
        rows.append(("PCI", "2016", unit, TOTAL, values[3], 100.0, f"Sheet1!F{4 + i}"))
    return _set_label, {}, expected(rows)


SHAPES = {"long": _long, "wide": _wide, "one_score": _one_score, "row_numbers": _row_numbers,
          "annex_document_line": _annex, "indicator_pivot": _pivoted, "set_label": _set_labelled}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_each_shape_reads_to_the_exact_canonical_frame(tmp_path, shape):
    build, options, frame = SHAPES[shape]()
    parsed = parse(build(tmp_path), **options)
    assert parsed.errors == []
    pd.testing.assert_frame_equal(canonical(parsed.scores), frame)


def test_set_label_columns_are_top_level_components(tmp_path):
    parsed = parse(_set_label(tmp_path))
    assert parsed.components[["component", "name", "parent"]].values.tolist() == [
        ["1", "Gia nhập thị trường", ""], ["2", "Tiếp cận đất đai", ""], ["3", "Tính minh bạch", ""]]


def test_long_table_published_ranks_and_normalised_groups_per_period(tmp_path):
    parsed = parse(sf.long_table(tmp_path))
    assert parsed.periods == ["2016", "2017", "2018"]
    published = parsed.published.sort_values(["period", "unit_id"])
    assert set(published["group"]) == {"Khá", "Trung bình", "Rất tốt", "Tốt"}
    ranks = published[published["period"] == "2016"].set_index("unit_id")["rank"]
    assert ranks.to_dict() == dict(zip(PROVINCE_IDS, map(float, sf.competition_ranks(list(sf.LONG_SCORES["2016"]))),
                                       strict=True))
    # English and Vietnamese spellings in one file are one unit.
    assert parsed.unit_count == 6
    # The 2017 rank that breaks a two-decimal tie is the only disagreement reported.
    mismatched = [i.cell for i in parsed.issues if i.code == "rank_mismatch"]
    assert mismatched == ["C12"]


def test_period_option_keeps_one_period_of_a_long_file(tmp_path):
    parsed = parse(sf.long_table(tmp_path), period="2017")
    assert parsed.periods == ["2017"] and len(parsed.scores) == 6
    with pytest.raises(FileRefused, match="2016, 2017, 2018"):
        parse(sf.long_table(tmp_path), period="2020")


def test_index_column_spreads_a_sheet_over_indices(tmp_path):
    rows = [["Tỉnh", "Năm", "Chỉ số", "Điểm"], ["Hà Nội", 2019, "PAPI", 40.5], ["Đà Nẵng", 2019, "PAPI", 42.0],
            ["Hà Nội", 2019, "PCI", 65.0], ["Đà Nẵng", 2019, "PCI", 70.0]]
    path = sf.write_csv(tmp_path / "panel.csv", rows)
    with pytest.raises(FileRefused, match="PAPI, PCI"):
        parse(path)
    parsed = parse(path, index="PCI")
    assert parsed.scores[["index", "unit_id", "value"]].values.tolist() == [
        ["PCI", "province:ha-noi", 65.0], ["PCI", "province:da-nang", 70.0]]


def test_an_index_column_naming_several_indices_imports_one_dataset_each(tmp_path, sqlite_url):
    from tests.command import run

    rows = [["Tỉnh", "Năm", "Chỉ số", "Điểm"], ["Hà Nội", 2019, "PAPI", 40.5], ["Đà Nẵng", 2019, "PAPI", 42.0],
            ["Hà Nội", 2019, "PCI", 65.0], ["Đà Nẵng", 2019, "PCI", 70.0]]
    path = sf.write_csv(tmp_path / "panel.csv", rows)
    done = run("import", str(path), "--json", db=sqlite_url)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert [(d["index"], d["periods"], d["units"]) for d in report["datasets"]] == [
        ("PAPI", ["2019"], 2), ("PCI", ["2019"], 2)]
    assert report["index"] == "PAPI" and report["version"] == report["datasets"][0]["version"]
    stored = Store(sqlite_url).scores().sort_values(["index", "value"])
    assert stored[["index", "value"]].values.tolist() == [
        ["PAPI", 40.5], ["PAPI", 42.0], ["PCI", 65.0], ["PCI", 70.0]]
    # --index still keeps one of them.
    again = run("import", str(path), "--index", "PCI", "--json", db=sqlite_url)
    assert "datasets" not in json.loads(again.stdout)


# ---------------------------------------------------------------------------------------------
# The rules, row by row
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("title", "named", "other"), [
    ("KẾT QUẢ CHỈ SỐ CCHC NĂM 2016 | (Kèm theo Báo cáo số 15/BC-TH ngày 20/3/2017)", ["2016"], []),
    ("Chỉ số kỳ đánh giá 2016; Quyết định số 1234/2017/QĐ-UBND", ["2016"], []),
    ("KẾT QUẢ PCI CÁC NĂM 2011 - 2016", [], []),
    ("Hà Nội, ngày 20 tháng 3 năm 2017", [], []),
    ("PCI 2009", [], ["2009"]),
    ("báo cáo năm 2016, gửi 2017", ["2016"], ["2017"]),
])
def test_title_years_ranked_by_evidence(title, named, other):
    assert title_years(title) == (named, other)


@pytest.mark.parametrize(("value", "period"), [
    (2016, "2016"), (2016.0, "2016"), ("2016", "2016"), ("Q1/2024", "2024-Q1"), ("Quý 2/2024", "2024-Q2"),
    ("2024-Q3", "2024-Q3"), ("Tháng 3/2024", "2024-03"), ("2024-03", "2024-03"), ("Hà Nội", None),
    (61.25, None), (1, None), (True, None),
])
def test_period_of(value, period):
    assert period_of(value) == period


@pytest.mark.parametrize(("header", "period", "role"), [
    ("Năm 2021", "2021", None), ("2022", "2022", None), ("Kết quả 2023", "2023", None),
    ("Q1/2024", "2024-Q1", None), ("Tổng điểm 2018", None, Role.TOTAL),
    ("Tăng/giảm so với 2022", None, Role.CHANGE), ("Thay đổi", None, Role.CHANGE), ("+/-", None, Role.CHANGE),
    ("nam", None, Role.PERIOD), ("Kỳ", None, Role.PERIOD), ("Chỉ số", None, Role.INDEX),
    ("Chỉ tiêu", None, Role.INDICATOR), ("Giá trị", None, Role.VALUE),
])
def test_headers_naming_periods_changes_and_long_roles(header, period, role):
    assert (header_period([header]), role_from_header([header])) == (period, role)


def test_a_published_rank_is_not_row_numbers(tmp_path):
    parsed = parse(sf.data_frame_index(tmp_path))
    roles = {c.letter: c.role for c in parsed.sheets[0].layout.columns}
    assert (roles["A"], roles["F"]) == (Role.STT, Role.RANK)
    assert parsed.published["rank"].tolist() == list(map(float, range(1, 13)))


def test_one_score_maximum_from_a_note(tmp_path):
    rows = [["KẾT QUẢ NĂM 2023 (Điểm tối đa: 60)"], ["Tên đơn vị", "Tổng điểm"],
            ["Hàng Bạc", 41.5], ["Hàng Đào", 52.25], ["Hàng Bồ", 47.0]]
    parsed = parse(write_xlsx(tmp_path / "x.xlsx", {"Sheet1": rows}), index="PAR")
    assert parsed.scores["max_value"].tolist() == [60.0, 60.0, 60.0]


def test_annex_period_report_names_what_it_saw(tmp_path):
    parsed = parse(sf.annex_with_document_line(tmp_path))
    sheet = parsed.sheets[0]
    assert (sheet.period, sheet.period_source, sheet.periods_seen) == ("2016", "title", ("2016",))
    assert "2016" in sheet.shape_text[1] and "title" in sheet.shape_text[1]


def test_titles_that_disagree_are_decided_by_the_sheet_then_the_file(tmp_path):
    rows = [["KẾT QUẢ NĂM 2015 VÀ NĂM 2016"], ["STT", "Tên đơn vị", "Tổng điểm"], [1, "Hàng Bạc", 40], [2, "Hàng Đào", 41]]
    assert parse(write_xlsx(tmp_path / "kq_2016.xlsx", {"Sheet1": rows}), index="PAR").periods == ["2016"]
    with pytest.raises(FileRefused, match="--period"):
        parse(write_xlsx(tmp_path / "kq.xlsx", {"Sheet1": rows}), index="PAR")


def test_infer_period_returns_the_years_seen(tmp_path):
    parsed = parse(sf.annex_with_document_line(tmp_path))
    layout = parsed.sheets[0].layout
    from reform.ingest.readers import read_workbook
    raw = read_workbook(sf.annex_with_document_line(tmp_path).read_bytes(), "x.xlsx").sheets[0]
    assert infer_period(raw, layout, "phu_luc_2016.xlsx") == ("2016", "title", ("2016",))


# ---------------------------------------------------------------------------------------------
# A long table and its split into one file per period read the same
# ---------------------------------------------------------------------------------------------

def _csv(rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


_SCORES = st.floats(min_value=30, max_value=90, allow_nan=False).map(lambda v: round(v, 2))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(units=st.lists(st.sampled_from(sf.PROVINCES), min_size=2, max_size=6, unique=True),
       years=st.lists(st.sampled_from(["2015", "2016", "2017", "2018", "2019"]), min_size=1, max_size=4, unique=True),
       scores=st.lists(_SCORES, min_size=24, max_size=24), keep_year=st.booleans())
def test_long_table_and_its_split_read_the_same(units, years, scores, keep_year):
    header = ["Địa phương", "Điểm số PCI", "nam"]
    rows = [[unit, scores[(i * 4 + y) % 24], int(year)] for i, unit in enumerate(units)
            for y, year in enumerate(years)]
    registry = UnitRegistry(seed_units())
    whole = parse_file(_csv([header, *rows]), "pci_long.csv", registry)
    parts = []
    for year in years:
        mine = [row if keep_year else row[:2] for row in rows if str(row[2]) == year]
        head = header if keep_year else header[:2]
        parts.append(parse_file(_csv([head, *mine]), f"pci_{year}.csv", UnitRegistry(seed_units())).scores)
    columns = [c for c in COLUMNS if c != "source"]
    pd.testing.assert_frame_equal(canonical(whole.scores)[columns], canonical(pd.concat(parts))[columns])


# ---------------------------------------------------------------------------------------------
# Published groups are the groups
# ---------------------------------------------------------------------------------------------

def test_pci_2016_rankings_show_its_published_tiers(realdata):
    from reform.analysis.ranking import rank_units

    path = realdata / "PCI_2016.xlsx"
    parsed = parse(path, sheet="Summary_VN")
    table = rank_units(parsed.scores, seed_units(), index="PCI", period="2016",
                       published=parsed.published)
    assert len(table) == 63
    assert table["group"].value_counts().to_dict() == {
        "Khá": 29, "Tốt": 16, "Rất tốt": 6, "Trung bình": 6, "Tương đối thấp": 4, "Thấp": 2}
    assert not table["group_mismatch"].any()
    assert table.loc[table["unit"] == "Đà Nẵng", "group"].item() == "Rất tốt"


def test_published_groups_are_the_groups_shown_whatever_the_index():
    from reform.analysis.groups import group_mismatch, shown_groups

    computed = pd.Series(["A", "B", "C"])
    published = pd.Series(["Khá ", "Trung Bình", ""])
    # PAR has thresholds: the publisher's labels win; a unit left unlabelled keeps its A–D group.
    assert shown_groups(computed, published, index="PAR", period="2018").tolist() == [
        "Khá", "Trung bình", "C"]
    # PCI's computed groups are quartiles, another scheme: an unlabelled unit shows none.
    assert shown_groups(computed, published, index="PCI", period="2016").tolist() == [
        "Khá", "Trung bình", ""]
    assert shown_groups(computed, pd.Series(["", "", ""]), index="PCI", period="2016").tolist() == [
        "A", "B", "C"]
    # The check against the thresholds still sees where the publisher differs.
    assert group_mismatch(computed, pd.Series(["Nhóm A", "C", ""]), index="PAR",
                          period="2018").tolist() == [False, True, False]
    assert not group_mismatch(computed, published, index="PCI", period="2016").any()
