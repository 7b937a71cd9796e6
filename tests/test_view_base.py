"""Page view-models (reform.present.pages / labels), on small hand-built frames: base."""
from __future__ import annotations

import pandas as pd
import pytest
from view_frames import (
    NAN,
    components_frame,
    ranking,
    scores_frame,
    two_fields,
    units_frame,
)

from reform.core.model import PUBLISHED_COLUMNS
from reform.present.pages import base, rankings
from reform.store.snapshot import Snapshot


def test_field_labels_in_file_order():
    _, _, components = two_fields()
    assert base.field_labels(components, index="PAR", period="2024") == {
        "1": "1. Chỉ đạo điều hành", "2": "2. Thủ tục hành chính"}


def test_ranking_with_components():
    table, scores, components = two_fields()
    wide = base.ranking_with_components(table, scores, components, index="PAR", period="2024")
    expected = pd.DataFrame({
        "unit_id": ["ward:a", "ward:b", "ward:c"],
        "rank": pd.array([1, 2, 3], dtype="Int64"),
        "change_label": pd.Series(["▲ 2", "mới", "▼ 1"], dtype="str"),
        "unit": ["Hàng Bạc", "Hàng Bài", "Hàng Bồ"],
        "group": ["A", "D", "D"],
        "value": [18.0, 12.0, 10.0],
        "percent": [90.0, 60.0, 50.0],
        "1. Chỉ đạo điều hành": [90.0, 50.0, NAN],
        "2. Thủ tục hành chính": [90.0, 70.0, NAN],
    })
    pd.testing.assert_frame_equal(wide, expected)


def test_ranking_with_components_without_fields_is_the_base_table():
    table, scores, _ = two_fields()
    wide = base.ranking_with_components(table, scores, components_frame([]), index="PAR",
                                         period="2024", lang="en")
    assert list(wide.columns) == ["unit_id", "rank", "change_label", "unit", "group", "value",
                                  "percent"]
    assert wide["change_label"].tolist() == ["▲ 2", "new", "▼ 1"]


def test_ranking_with_components_leaves_inputs_alone():
    table, scores, components = two_fields()
    before = (table.copy(), scores.copy(), components.copy())
    base.ranking_with_components(table, scores, components, index="PAR", period="2024")
    for frame, copy in zip((table, scores, components), before, strict=True):
        pd.testing.assert_frame_equal(frame, copy)


@pytest.mark.parametrize(("lang", "headers"), [
    ("vi", ["Mã đơn vị", "Hạng", "Thay đổi", "Đơn vị", "Nhóm", "Điểm", "% tối đa",
            "1. Chỉ đạo điều hành", "2. Thủ tục hành chính"]),
    ("en", ["Unit id", "Rank", "Change", "Unit", "Group", "Points", "% of max",
            "1. Chỉ đạo điều hành", "2. Thủ tục hành chính"]),
])
def test_for_download_headers(lang, headers):
    table, scores, components = two_fields()
    wide = base.ranking_with_components(table, scores, components, index="PAR", period="2024")
    out = rankings.for_download(wide, lang=lang)
    assert list(out.columns) == headers
    assert out.iloc[:, 3].tolist() == wide["unit"].tolist()


def test_group_badges_and_order():
    table = ranking([("ward:a", "A", 1, 0, False, "B", 9.0, 79.0),
                     ("ward:b", "B", 2, 0, False, "", 6.0, NAN),
                     ("ward:c", "C", 3, 0, False, "D", 5.0, 50.0),
                     ("ward:d", "D", 4, 0, False, "B", 5.0, 76.0)])
    assert base.group_badges(table)["group"].tolist() == [["B"], [], ["D"], ["B"]]
    assert table["group"].tolist() == ["B", "", "D", "B"]  # input untouched
    assert base.group_order(table) == ["B", "D"]


def _two_blocks() -> Snapshot:
    """2024: one department (listed first in model.LEVELS) and two wards; 2023: none."""
    units = units_frame([("department:noi-vu", "Sở Nội vụ", "department"),
                         ("ward:a", "Hàng Bạc", "ward"), ("ward:b", "Hàng Bài", "ward")])
    scores = scores_frame([("PAR", "2024", u, "TOTAL", 80.0, 100.0)
                           for u in ("department:noi-vu", "ward:a", "ward:b")])
    return Snapshot(scores=scores, units=units, components=components_frame([]),
                    published=pd.DataFrame(columns=PUBLISHED_COLUMNS),
                    inspections=pd.DataFrame(), token=1)


@pytest.mark.parametrize(("period", "wanted", "expected"), [
    ("2024", "department", "department"),
    ("2024", "province", "ward"),  # the largest block, as the sidebar and rankings open on
    ("2024", None, "ward"),
    ("2023", "ward", None),
])
def test_pick_level(period: str, wanted: str | None, expected: str | None) -> None:
    assert base.pick_level(_two_blocks(), "PAR", period, wanted) == expected


@pytest.mark.parametrize(("value", "percent", "shows_points"), [
    ([80.0, 70.5], [80.0, 70.5], False),  # out of 100: points repeat the %
    ([40.0, 35.25], [80.0, 70.5], True),
])
def test_rankings_table_drops_points_that_repeat_the_percent(value, percent, shows_points):
    wide = pd.DataFrame({"unit_id": ["a", "b"], "rank": [1, 2], "unit": ["A", "B"],
                         "value": value, "percent": percent, "1. Chỉ đạo": [90.0, 80.0]})
    expected = ["rank", "unit"] + (["value"] if shows_points else []) + ["percent", "1. Chỉ đạo"]
    assert rankings.table_columns(wide) == expected
