"""Column roles: the header rule table row by row, the content fallback, and the sheet
reading steps leaving their inputs as they were."""
import copy

import pandas as pd
import pytest

from reform.core.gazetteer import seed_units
from reform.core.model import Dataset, Role
from reform.ingest.layout import detect_layout
from reform.ingest.pipeline import import_file, parse_file
from reform.ingest.readers import read_workbook
from reform.ingest.roles import ROLE_RULES, role_from_header, role_from_values
from reform.ingest.sheet import read_sheet
from reform.ingest.units import UnitRegistry
from tests.helpers import par_annex, write_xlsx


@pytest.mark.parametrize(("parts", "role"), [
    (["STT"], Role.STT),
    (["Số TT"], Role.STT),
    (["Tên đơn vị"], Role.NAME),
    (["Tỉnh, thành phố"], Role.NAME),
    (["Mã đơn vị"], Role.CODE),
    (["Xếp hạng"], Role.RANK),
    (["Xếp loại"], Role.GROUP),
    (["Ghi chú"], Role.NOTE),
    (["Năm"], Role.PERIOD),
    (["Tổng điểm"], Role.TOTAL),
    (["Chỉ số SIPAS (%)"], Role.TOTAL),
    (["Chỉ số (%)"], Role.PERCENT),
    (["Ngày kiểm tra"], Role.DATE),
    (["Đoàn kiểm tra"], Role.TEAM),
    (["Số đoàn"], None),
    (["Hình thức"], Role.KIND),
    (["Nội dung vi phạm"], Role.CATEGORY),
    (["Số lượt vi phạm"], Role.VIOLATIONS),
    (["Số CBCC được kiểm tra"], Role.OFFICIALS),
    (["Điểm đơn vị"], None),  # "đơn vị" names a unit, but "điểm" says it is a score
    (["Chỉ số thành phần PCI"], None),
    (["1.1 Kế hoạch CCHC"], None),
    ([], None),
])
def test_header_rules(parts, role):
    assert role_from_header(parts) == role


def test_every_rule_says_why():
    assert all(rule.why for rule in ROLE_RULES)
    assert all(isinstance(rule.role, Role) for rule in ROLE_RULES)


@pytest.mark.parametrize(("header_role", "values", "role"), [
    (None, [], Role.IGNORE),
    (None, [1, 2.5, "3"], Role.COMPONENT),
    (None, ["Hàng Bạc", "Hàng Đào", "Hàng Bồ"], Role.NAME),
    (None, ["abc", "xyz", "qqq"], Role.IGNORE),
    (Role.TOTAL, ["a", "b"], Role.IGNORE),
    (Role.NAME, [1, 2, 3, 4, 5], Role.COMPONENT),
    (Role.RANK, [1, 2], Role.RANK),
])
def test_roles_from_values(header_role, values, role):
    assert role_from_values(header_role, values, UnitRegistry(seed_units())) == role


def test_reading_a_sheet_changes_neither_the_layout_nor_the_sheet(tmp_path):
    rows, merges = par_annex(2018)
    path = write_xlsx(tmp_path / "PAR_2018.xlsx", {"2018": rows}, {"2018": list(merges)})
    raw = read_workbook(path.read_bytes(), path.name).sheets[0]
    registry = UnitRegistry(seed_units())
    layout = detect_layout(raw, registry)
    before_layout, before_rows = copy.deepcopy(layout), copy.deepcopy(raw.rows)
    data = read_sheet(raw, layout, registry, index="PAR", period="2018", period_source="sheet")
    assert layout == before_layout and layout.components == []
    assert raw.rows == before_rows
    assert data.layout.components and data.layout is not layout


def test_import_file_reads_twice_only_when_a_previous_period_is_known(tmp_path):
    rows, merges = par_annex(2018)
    path = write_xlsx(tmp_path / "PAR_2018.xlsx", {"2018": rows}, {"2018": list(merges)})
    asked = []

    def previous(index, periods):
        asked.append((index, periods))
        return {("PAR", "2018"): {"ward:khong-con"}}

    units = seed_units()
    parsed = import_file(path.read_bytes(), path.name, units, previous)
    assert asked == [("PAR", ["2018"])]
    assert "missing_unit" in {i.code for i in parsed.issues}
    once = parse_file(path.read_bytes(), path.name, UnitRegistry(units))
    assert "missing_unit" not in {i.code for i in once.issues}


def test_a_dataset_keeps_what_the_store_needs_and_only_given_options(tmp_path):
    rows, merges = par_annex(2018)
    path = write_xlsx(tmp_path / "PAR_2018.xlsx", {"2018": rows}, {"2018": list(merges)})
    parsed = parse_file(path.read_bytes(), path.name, UnitRegistry(seed_units()))
    dataset = parsed.dataset({"index": "PAR", "period": None, "sheet": ""})
    assert isinstance(dataset, Dataset)
    assert (dataset.index, dataset.periods, dataset.sheets) == ("PAR", ("2018",), ("2018",))
    assert dataset.options == {"index": "PAR"}
    assert dataset.errors == () and dataset.kind == "scores"
    pd.testing.assert_frame_equal(dataset.scores, parsed.scores)
