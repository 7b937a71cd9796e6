"""Units across the 2025 reorganisation: the statistics office's crosswalk read as published,
and results re-aggregated onto the new units."""
from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest
from openpyxl import Workbook

from reform.analysis.lineage import (
    links_in_force,
    predecessors,
    reaggregate,
    successors,
)
from reform.core.errors import FileRefused
from reform.core.gazetteer import HOAN_KIEM_WARDS, seed_units
from reform.core.model import LinkKind
from reform.ingest.crosswalk import attach_known_units, province_links, read_crosswalk
from reform.ingest.readers import read_path, read_workbook

CROSSWALK = "BangChuyendoiDVHCmoi_cu_final.xlsx"
MERGED, FLAT = "Tổng hợp_có merge", "Tổng hợp_không merge "

NEW_HOAN_KIEM = {  # DOMAIN.md: 7 whole, 6 in part, and part of Điện Biên (Ba Đình)
    "Hàng Mã": "whole", "Hàng Buồm": "whole", "Hàng Đào": "whole", "Hàng Bồ": "whole",
    "Lý Thái Tổ": "whole", "Hàng Bạc": "whole", "Hàng Gai": "whole", "Đồng Xuân": "part",
    "Cửa Đông": "part", "Hàng Trống": "part", "Cửa Nam": "part", "Hàng Bông": "part",
    "Tràng Tiền": "part", "Điện Biên": "part",
}
NEW_CUA_NAM = {
    "Trần Hưng Đạo": "whole", "Phan Chu Trinh": "whole", "Hàng Bài": "whole",
    "Hàng Trống": "part", "Cửa Nam": "part", "Hàng Bông": "part", "Tràng Tiền": "part",
    "Nguyễn Du": "part", "Phạm Đình Hổ": "part",
}


@pytest.fixture(scope="module")
def workbook(realdata):
    return read_path(realdata / CROSSWALK)[1]


@pytest.fixture(scope="module", params=[MERGED, FLAT], ids=["merged", "flat"])
def crosswalk(request, workbook):
    return read_crosswalk(workbook, request.param)


def _into(links: pd.DataFrame, new_name: str, province: str = "Thành phố Hà Nội") -> dict[str, str]:
    rows = links[(links["new_name"] == new_name) & (links["new_province"] == province)]
    return {name.removeprefix("Phường "): str(kind) for name, kind in zip(rows["old_name"], rows["kind"], strict=True)}


def test_both_sheets_give_every_link_with_its_date(crosswalk):
    assert crosswalk.effective == date(2025, 7, 1)
    assert crosswalk.ok
    assert len(crosswalk.links) == 10_566
    assert crosswalk.links["new_province"].nunique() == 34


@pytest.mark.parametrize(("new_ward", "expected"), [("Phường Hoàn Kiếm", NEW_HOAN_KIEM),
                                                    ("Phường Cửa Nam", NEW_CUA_NAM)])
def test_hoan_kiem_wards_map_onto_the_new_wards_with_the_published_kinds(crosswalk, new_ward, expected):
    assert _into(crosswalk.links, new_ward) == expected


def test_the_eighteen_wards_lie_in_five_new_wards(crosswalk):
    links = crosswalk.links
    old = links[(links["old_parent"] == "Quận Hoàn Kiếm")]
    assert sorted(old["old_name"].str.removeprefix("Phường ").unique()) == sorted(HOAN_KIEM_WARDS)
    assert sorted(old["new_name"].unique()) == [
        "Phường Ba Đình", "Phường Cửa Nam", "Phường Hoàn Kiếm", "Phường Hồng Hà",
        "Phường Văn Miếu - Quốc Tử Giám"]


def test_name_trap_new_cua_nam_is_not_the_old_ward(crosswalk):
    links = crosswalk.links
    new_ids = set(links.loc[links["new_name"] == "Phường Cửa Nam", "new_unit_id"])
    old_ids = set(links.loc[links["old_name"] == "Phường Cửa Nam", "old_unit_id"])
    assert "ward:cua-nam-00082@2025" in new_ids
    assert new_ids.isdisjoint(old_ids)
    # Before 2025 three provinces had a ward called Cửa Nam: three old units, not one.
    assert len(old_ids) == 3
    # Văn Miếu – Quốc Tử Giám took a piece of old Cửa Nam, under a name of its own.
    assert _into(links, "Phường Văn Miếu - Quốc Tử Giám")["Cửa Nam"] == "part"


def test_code_trap_00070_names_two_units(crosswalk):
    links = crosswalk.links
    new = links.loc[links["new_code"] == "00070", "new_unit_id"].unique().tolist()
    old = links.loc[links["old_code"] == "00070", "old_unit_id"].unique().tolist()
    assert new == ["ward:hoan-kiem-00070@2025"]
    assert old == ["ward:hang-trong-00070"]


def test_known_units_keep_their_registry_ids_within_their_parent(crosswalk):
    links = attach_known_units(crosswalk.links, seed_units())
    hoan_kiem = links[links["old_parent"] == "Quận Hoàn Kiếm"]
    assert set(hoan_kiem["old_unit_id"]) == {f"ward:{w}" for w in (
        "phuc-tan", "dong-xuan", "hang-ma", "hang-buom", "hang-dao", "hang-bo", "cua-dong",
        "ly-thai-to", "hang-bac", "hang-gai", "chuong-duong", "hang-trong", "cua-nam",
        "hang-bong", "trang-tien", "tran-hung-dao", "phan-chu-trinh", "hang-bai")}
    # Đồng Xuân of Vĩnh Phúc is not Hoàn Kiếm's Đồng Xuân.
    elsewhere = links[(links["old_name"] == "Phường Đồng Xuân") & (links["old_parent"] != "Quận Hoàn Kiếm")]
    assert len(elsewhere) >= 1 and "ward:dong-xuan" not in set(elsewhere["old_unit_id"])


def test_province_level_is_derived_from_the_same_rows(crosswalk):
    provinces = attach_known_units(province_links(crosswalk.links), seed_units())
    assert provinces["old_unit_id"].nunique() == 63
    assert provinces["new_unit_id"].nunique() == 34
    assert set(provinces["old_unit_id"]) <= set(seed_units()["unit_id"])
    hanoi = predecessors(provinces, "province:ha-noi@2025")
    assert hanoi[["old_unit_id", "kind"]].to_dict("records") == [
        {"old_unit_id": "province:ha-noi", "kind": LinkKind.WHOLE}]
    ninh_binh = set(predecessors(provinces, "province:ninh-binh@2025")["old_unit_id"])
    assert ninh_binh == {"province:ninh-binh", "province:nam-dinh", "province:ha-nam"}


def test_any_table_with_old_and_new_columns_and_a_weight(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Đơn vị cũ", "Mã cũ", "Đơn vị mới", "Mã mới", "Tỷ lệ dân số"])
    sheet.append(["Phường A", "1", "Phường X", "9", "0,25"])
    sheet.append(["Phường B", "2", "Phường X", "9", "0,75"])
    path = tmp_path / "links.xlsx"
    book.save(path)
    # Headers say "cũ"/"mới" without "tên": the rule table still needs a name column.
    with pytest.raises(FileRefused, match="Tên Xã cũ"):
        read_crosswalk(read_path(path)[1])
    sheet["A1"], sheet["C1"] = "Tên đơn vị cũ", "Tên đơn vị mới"
    book.save(path)
    links = read_crosswalk(read_path(path)[1]).links
    assert links[["old_unit_id", "new_unit_id", "weight", "kind"]].to_dict("records") == [
        {"old_unit_id": "ward:a-00001", "new_unit_id": "ward:x-00009@2025", "weight": 0.25, "kind": "whole"},
        {"old_unit_id": "ward:b-00002", "new_unit_id": "ward:x-00009@2025", "weight": 0.75, "kind": "whole"},
    ]


def test_a_note_naming_no_kind_is_a_warning_at_its_cell():
    data = ("Tên xã cũ,Tên xã mới,Ghi chú\nXã A,Xã X,Nhập toàn bộ\nXã B,Xã X,không rõ\n").encode()
    crosswalk = read_crosswalk(read_workbook(data, "links.csv"))
    assert [(i.severity, i.cell, i.code) for i in crosswalk.issues] == [("warning", "C3", "unknown_note")]
    assert "không rõ" in crosswalk.issues[0].message("vi")
    assert crosswalk.ok


def test_a_table_without_old_and_new_columns_is_refused_in_both_languages():
    with pytest.raises(FileRefused) as caught:
        read_crosswalk(read_workbook(b"Ten,Diem\nA,1\n", "x.csv"))
    assert "Tên Xã cũ" in caught.value.message("vi") and "old and new" in caught.value.message("en")


# ----------------------------------------------------------------------------------------------
# Re-aggregation
# ----------------------------------------------------------------------------------------------

def _scores(values: dict[str, float | None], component: str = "TOTAL", max_value: float = 100.0):
    return pd.DataFrame({"index": "PAR", "period": "2024", "unit_id": list(values),
                         "component": component, "value": list(values.values()),
                         "max_value": max_value})


LINKS = pd.DataFrame({
    "old_unit_id": ["a", "b", "c", "c", "d"],
    "new_unit_id": ["N", "N", "N", "M", "M"],
    "kind": ["whole", "whole", "part", "part", "whole"],
    "weight": math.nan, "effective": "2025-07-01",
})


def test_a_new_unit_is_the_mean_of_its_predecessors_with_coverage():
    out = reaggregate(_scores({"a": 80.0, "b": 90.0, "c": 70.0, "d": None, "z": 60.0}), LINKS)
    got = out.set_index("unit_id")[["value", "coverage"]].to_dict("index")
    assert got == {"N": {"value": 80.0, "coverage": "3/3"},
                   "M": {"value": 70.0, "coverage": "1/2"},
                   "z": {"value": 60.0, "coverage": "1/1"}}


def test_below_half_of_the_predecessors_there_is_no_value():
    out = reaggregate(_scores({"a": 80.0}), LINKS).set_index("unit_id")
    assert out.loc["N", "coverage"] == "1/3"
    assert math.isnan(out.loc["N", "value"])


def test_weights_give_a_weighted_mean_when_every_link_has_one():
    links = LINKS.assign(weight=[1.0, 3.0, 0.5, 0.5, 1.0])
    out = reaggregate(_scores({"a": 80.0, "b": 90.0, "c": 70.0, "d": 60.0}), links).set_index("unit_id")
    assert out.loc["N", "value"] == pytest.approx((80 * 1 + 90 * 3 + 70 * 0.5) / 4.5)
    assert out.loc["M", "value"] == pytest.approx((70 * 0.5 + 60 * 1) / 1.5)


def test_every_component_is_reaggregated_alike():
    scores = pd.concat([_scores({"a": 8.0, "b": 6.0}, "1", 10.0), _scores({"a": 80.0, "b": 60.0})])
    out = reaggregate(scores, LINKS).set_index(["unit_id", "component"])
    assert out.loc[("N", "1"), "value"] == 7.0 and out.loc[("N", "1"), "max_value"] == 10.0
    assert out.loc[("N", "TOTAL"), "value"] == 70.0


def test_links_take_effect_on_their_date_and_lineage_is_browsable():
    assert links_in_force(LINKS, date(2025, 6, 30)).empty
    assert len(links_in_force(LINKS, date(2025, 7, 1))) == 5
    assert list(predecessors(LINKS, "N")["old_unit_id"]) == ["a", "b", "c"]
    assert list(successors(LINKS, "c")["new_unit_id"]) == ["N", "M"]


def test_the_input_frames_are_not_changed():
    scores, links = _scores({"a": 80.0, "b": 90.0}), LINKS.copy()
    reaggregate(scores, links)
    pd.testing.assert_frame_equal(scores, _scores({"a": 80.0, "b": 90.0}))
    pd.testing.assert_frame_equal(links, LINKS)
