"""Page view-models (reform.present.pages / labels), on small hand-built frames: base."""
from __future__ import annotations

import pandas as pd
import pytest
from view_frames import (
    NAN,
    components_frame,
    ranking,
    two_fields,
)

from reform.present.pages import base, rankings


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


@pytest.mark.parametrize(("available", "wanted", "expected"), [
    (["2023", "2024"], "2023", "2023"),
    (["2023", "2024"], "2019", "2024"),
    (["2024", "2023"], None, "2024"),
    ([], "2024", None),
    (["2024-01", "2024-03", "2025-02"], "2024", "2024-03"),
    (["2024-01", "2024-03", "2025-02"], "2024-01", "2024-01"),
    (["2024-01", "2025-02"], "2023", "2025-02"),
])
def test_pick_period(available: list[str], wanted: str | None, expected: str | None) -> None:
    assert base.pick_period(available, wanted) == expected


@pytest.mark.parametrize(("available", "wanted", "expected"), [
    (["ward", "office"], "office", "office"),
    (["ward", "office"], "province", "ward"),
    (["ward"], None, "ward"),
    ([], "ward", None),
])
def test_pick_level(available: list[str], wanted: str | None, expected: str | None) -> None:
    assert base.pick_level(available, wanted) == expected
