"""Mapping: header detection, column roles, the component tree, units and periods, on
layouts as offices really send them (written as real .xlsx/.csv files)."""
import pandas as pd
import pytest

from reform.core.errors import FileRefused
from reform.core.gazetteer import seed_units
from reform.ingest.pipeline import parse_file
from reform.ingest.units import UnitRegistry
from tests.helpers import par_annex, write_xlsx


def registry() -> UnitRegistry:
    return UnitRegistry(seed_units())


def parse_rows(tmp_path, rows, merges=(), name="PAR_2019.xlsx", sheet="Sheet1", **options):
    path = write_xlsx(tmp_path / name, {sheet: rows}, {sheet: list(merges)})
    return parse_file(path.read_bytes(), path.name, registry(), **options)


def roles(parsed) -> str:
    return " ".join(c.role for c in parsed.sheets[0].layout.columns)


def tree(parsed) -> list[tuple[str, str, str, float | None]]:
    return [(n.code, n.name, n.parent, n.max_value) for n in parsed.sheets[0].layout.components]


LAYOUTS = {
    "one header row": (
        [["STT", "Tên đơn vị", "Lĩnh vực A", "Lĩnh vực B", "Tổng điểm"],
         [1, "Hàng Bạc", 4, 5, 9], [2, "Hàng Đào", 3, 5, 8], [3, "Hàng Bồ", 2, 2, 4]],
        [],
        "stt name component component total",
        [("1", "Lĩnh vực A", "", None), ("2", "Lĩnh vực B", "", None)],
    ),
    "title rows, merged two-row header, max row, blocks, footer": (
        *par_annex(2018),
        "stt name component component component component total percent rank group",
        [("1", "Chỉ đạo điều hành", "", 10.0), ("1.1", "Kế hoạch", "1", 6.0), ("1.2", "Báo cáo", "1", 4.0),
         ("2", "Thủ tục hành chính", "", 10.0), ("2.1", "Công khai", "2", 5.0), ("2.2", "Giải quyết", "2", 5.0)],
    ),
    "three header rows with a banner above the fields": (
        [["KẾT QUẢ NĂM 2019"], [],
         ["STT", "Đơn vị", "CÁC LĨNH VỰC", None, None, "Tổng"],
         [None, None, "Lĩnh vực 1 (5 điểm)", None, "Lĩnh vực 2", None],
         [None, None, "1.1 Tiêu chí a", "1.2 Tiêu chí b", "2.1 Tiêu chí c", None],
         [1, "Hàng Bạc", 2, 2.5, 4, 8.5], [2, "Hàng Đào", 1, 2, 3, 6]],
        ["C3:E3", "C4:D4", "A3:A5", "B3:B5", "F3:F5"],
        "stt name component component component total",
        [("1", "Lĩnh vực 1", "", 5.0), ("1.1", "Tiêu chí a", "1", None), ("1.2", "Tiêu chí b", "1", None),
         ("2", "Tiêu chí c", "", None)],
    ),
    "English over Vietnamese header rows, dimensions followed by their parts": (
        [["id", "name_en", "name_vi", "Participation", "Knowledge", "Elections", "Transparency", "Lists", "Budget", "Total"],
         ["id", "name_en", "Tên tỉnh", "Tham gia", "Tri thức", "Bầu cử", "Minh bạch", "Hộ nghèo", "Ngân sách", "Tổng"],
         [1, "Ha Noi", "Hà Nội", 5, 2, 3, 6, 4, 2, 11],
         [2, "Hai Phong", "Hải Phòng", 4, 1.5, 2.5, 5, 3, 2, 9],
         [3, "Da Nang", "Đà Nẵng", 6, 3, 3, 7, 3.5, 3.5, 13],
         [4, "Can Tho", "Cần Thơ", 3, 1, 2, 4, 2, 2, 7]],
        [],
        "code name_alt name component component component component component component total",
        [("1", "Tham gia", "", None), ("1.1", "Tri thức", "1", None), ("1.2", "Bầu cử", "1", None),
         ("2", "Minh bạch", "", None), ("2.1", "Hộ nghèo", "2", None), ("2.2", "Ngân sách", "2", None)],
    ),
    "ranked column pairs (each pair sorted on its own)": (
        [["Thứ tự", "Tỉnh", "Chi phí", None, "Đất đai", None, "PCI 2016", "Xếp hạng"],
         [1, "Đà Nẵng", 9, "Hà Nội", 8, "Đà Nẵng", 70, 1],
         [2, "Hà Nội", 8, "Đà Nẵng", 7, "Hà Nội", 65, 2],
         [3, "Cần Thơ", 7, "Cần Thơ", 6, "Cần Thơ", 60, 3]],
        [],
        "stt name component name component name total rank",
        [("1", "Chi phí", "", None), ("2", "Đất đai", "", None)],
    ),
}


@pytest.mark.parametrize("case", list(LAYOUTS), ids=list(LAYOUTS))
def test_header_layouts(tmp_path, case):
    rows, merges, expected_roles, expected_tree = LAYOUTS[case]
    parsed = parse_rows(tmp_path, rows, merges, index="PAR", period="2019")
    assert roles(parsed) == expected_roles
    assert tree(parsed) == expected_tree
    assert not [i for i in parsed.issues if i.severity == "error"]


def test_ranked_pairs_are_joined_by_unit_name(tmp_path):
    rows, merges, *_ = LAYOUTS["ranked column pairs (each pair sorted on its own)"]
    parsed = parse_rows(tmp_path, rows, merges, index="PCI", period="2016")
    wide = parsed.scores.pivot(index="unit_id", columns="component", values="value")
    assert wide.loc["province:ha-noi"].to_dict() == {"1": 8.0, "2": 8.0, "TOTAL": 65.0}
    assert wide.loc["province:da-nang"].to_dict() == {"1": 9.0, "2": 7.0, "TOTAL": 70.0}
    assert parsed.scores.set_index(["unit_id", "component"]).loc[("province:ha-noi", "2"), "source"] == "Sheet1!E2"


def test_annex_values_units_levels_and_sources(tmp_path):
    rows, merges = par_annex(2018)
    parsed = parse_rows(tmp_path, rows, merges, name="ket_qua.xlsx")
    assert (parsed.index, parsed.periods) == ("PAR", ["2018"])
    totals = parsed.scores[parsed.scores["component"] == "TOTAL"].set_index("unit_id")
    expected = pd.DataFrame(
        {"value": [17.5, 16.0, 19.0, 14.0, 16.0], "max_value": [20.0] * 5,
         "source": ["Sheet1!G9", "Sheet1!G10", "Sheet1!G12", "Sheet1!G13", "Sheet1!G14"]},
        index=pd.Index(["office:noi-vu", "office:tu-phap", "ward:hang-bac", "ward:hang-dao", "ward:hang-bo"],
                       name="unit_id"))
    pd.testing.assert_frame_equal(totals[["value", "max_value", "source"]], expected)
    fields = parsed.scores[(parsed.scores["component"] == "1") & (parsed.scores["unit_id"] == "ward:hang-bac")]
    assert fields[["value", "max_value", "source"]].values.tolist() == [[10.0, 10.0, "=Sheet1!C12+Sheet1!D12"]]
    levels = dict(zip(parsed.units["unit_id"], parsed.units["level"], strict=True))
    assert levels == {"office:noi-vu": "office", "office:tu-phap": "office", "ward:hang-bac": "ward",
                      "ward:hang-dao": "ward", "ward:hang-bo": "ward"}
    assert parsed.published.set_index("unit_id")["group"].to_dict()["ward:hang-dao"] == "C"
    assert "Trung bình" not in set(parsed.units["name"])


def test_three_spellings_resolve_to_one_unit_each(tmp_path):
    rows, merges = par_annex(2018)
    parsed = parse_rows(tmp_path, rows, merges)
    how = {m.raw_name: (m.unit_id, m.how) for m in parsed.matches()}
    assert how["P. Hàng Bạc"] == ("ward:hang-bac", "exact")
    assert how["Phường Hàng Đào"] == ("ward:hang-dao", "exact")  # NBSP cleaned
    assert how["HÀNG BỒ"] == ("ward:hang-bo", "exact")


@pytest.mark.parametrize(
    ("name", "sheet", "title", "options", "period"),
    [
        ("ket_qua.xlsx", "Năm 2021", "KẾT QUẢ", {}, "2021"),
        ("ket_qua.xlsx", "Sheet1", "KẾT QUẢ CHỈ SỐ CCHC NĂM 2020", {}, "2020"),
        ("CCHC_2017.xlsx", "Sheet1", "KẾT QUẢ", {}, "2017"),
        ("CCHC_2017.xlsx", "Năm 2021", "NĂM 2020", {"period": "2019"}, "2019"),
    ],
)
def test_period_comes_from_the_most_specific_place(tmp_path, name, sheet, title, options, period):
    rows = [[title], ["STT", "Tên đơn vị", "Lĩnh vực A", "Tổng điểm"], [1, "Hàng Bạc", 4, 4], [2, "Hàng Đào", 3, 3]]
    parsed = parse_rows(tmp_path, rows, name=name, sheet=sheet, index="PAR", **options)
    assert parsed.periods == [period]


def test_unknown_period_is_refused_naming_the_option(tmp_path):
    rows = [["STT", "Tên đơn vị", "Lĩnh vực A", "Tổng điểm"], [1, "Hàng Bạc", 4, 4], [2, "Hàng Đào", 3, 3]]
    with pytest.raises(FileRefused, match="--period") as caught:
        parse_rows(tmp_path, rows, name="ket_qua.xlsx", index="PAR")
    assert "--period" in caught.value.message_en


def test_unknown_index_is_refused_naming_the_option(tmp_path):
    rows = [["STT", "Tên đơn vị", "Lĩnh vực A", "Tổng điểm"], [1, "Hàng Bạc", 4, 4], [2, "Hàng Đào", 3, 3]]
    with pytest.raises(FileRefused, match="--index"):
        parse_rows(tmp_path, rows, name="bang_2019.xlsx")


def test_a_sheet_without_a_table_is_refused(tmp_path):
    with pytest.raises(FileRefused, match="không tìm thấy bảng"):
        parse_rows(tmp_path, [["Ghi chú"], ["không có số liệu"]], index="PAR", period="2019", sheet="Sheet1")


@pytest.mark.parametrize(
    ("cell", "value", "code", "where"),
    [((9, 2), "9l,5", "not_number", "Sheet1!C10"), ((12, 4), "#REF!", "formula_error", "Sheet1!E13")],
)
def test_bad_cells_are_errors_naming_the_cell(tmp_path, cell, value, code, where):
    rows, merges = par_annex(2018, bad_cell=(*cell, value))
    parsed = parse_rows(tmp_path, rows, merges)
    errors = [i for i in parsed.issues if i.severity == "error"]
    assert [(i.code, i.cell) for i in errors] == [(code, where.split("!")[1])]
    assert where in errors[0].message_vi and value in errors[0].message_vi
    assert not parsed.ok


def test_not_applicable_marks_are_missing_not_errors(tmp_path):
    rows, merges = par_annex(2018, bad_cell=(8, 3, "x"))
    parsed = parse_rows(tmp_path, rows, merges)
    assert parsed.ok
    noi_vu = parsed.scores[parsed.scores["unit_id"] == "office:noi-vu"]
    assert "1.2" not in set(noi_vu["component"])


def test_csv_without_merge_records_fills_field_names_across(tmp_path):
    text = ("STT;Đơn vị;Lĩnh vực 1;;Tổng điểm\n;;1.1 Kế hoạch;1.2 Báo cáo;\n"
            "1;Hàng Bạc;4,5;3;7,5\n2;Hàng Đào;4;2,5;6,5\n")
    path = tmp_path / "CCHC_2019.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    parsed = parse_file(path.read_bytes(), path.name, registry())
    assert tree(parsed)[:2] == [("1", "Lĩnh vực 1", "", None), ("1.1", "Kế hoạch", "1", None)]
    assert parsed.scores.query("unit_id == 'ward:hang-bac' and component == '1'")["value"].item() == 7.5


def test_analyst_corrections_override_roles_and_matches(tmp_path):
    rows, merges = par_annex(2018)
    parsed = parse_rows(tmp_path, rows, merges, roles={"Sheet1": {"F": "ignore"}},
                        unit_overrides={"HÀNG BỒ": "ward:hang-bai"})
    assert "2.2" not in set(parsed.scores["component"])
    assert "ward:hang-bai" in set(parsed.scores["unit_id"]) and "ward:hang-bo" not in set(parsed.scores["unit_id"])


def test_new_units_are_proposed_with_suggestions(tmp_path):
    rows = [["STT", "Tên đơn vị", "Lĩnh vực A", "Tổng điểm"], [1, "Hàng Bạcc", 4, 4], [2, "Phường Mới Lập", 3, 3]]
    parsed = parse_rows(tmp_path, rows, index="PAR", period="2019")
    found = {m.raw_name: m for m in parsed.matches()}
    assert found["Hàng Bạcc"].how == "fuzzy" and found["Hàng Bạcc"].unit_id == "ward:hang-bac"
    assert found["Phường Mới Lập"].how == "new" and found["Phường Mới Lập"].unit_id == "unit:moi-lap"
    codes = {i.code for i in parsed.issues}
    assert {"fuzzy_unit", "unknown_unit"} <= codes
