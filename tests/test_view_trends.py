"""Page view-models (reform.present.pages / labels), on small hand-built frames: trends."""
from __future__ import annotations

import pytest
from view_frames import (
    NAN,
    changes,
    components_frame,
    methodology_components,
    small_snapshot,
)

from reform.present.pages import trends


@pytest.mark.parametrize(("row", "lang", "expected"), [
    (("3", "Cải cách thủ tục hành chính", "max_changed", 14.5, 16.0), "vi",
     "Điểm tối đa của lĩnh vực Cải cách thủ tục hành chính thay đổi từ 14,5 lên 16 (2020 → 2021)."),
    (("3", "Administrative procedures", "max_changed", 14.5, 16.0), "en",
     "The maximum of field Administrative procedures changed from 14.5 to 16 (2020 → 2021)."),
    (("8", "Tác động của CCHC", "max_changed", 15.5, 13.0), "vi",
     "Điểm tối đa của lĩnh vực Tác động của CCHC thay đổi từ 15,5 xuống 13 (2020 → 2021)."),
    (("3.1", "Công khai", "max_changed", 14.5, 12.25), "vi",
     "Điểm tối đa của tiêu chí 3.1 Công khai thay đổi từ 14,5 xuống 12,25 (2020 → 2021)."),
    (("3.2", "Một cửa", "added", NAN, 4.0), "vi", "Thêm tiêu chí 3.2 Một cửa từ 2021."),
    (("3.2", "One-stop desk", "added", NAN, 4.0), "en", "Criterion 3.2 One-stop desk added in 2021."),
    (("9", "Khác", "removed", 2.0, NAN), "vi", "Bỏ lĩnh vực Khác từ 2021."),
    (("1.2.3", "Báo cáo", "removed", 1.0, NAN), "en",
     "Sub-criterion 1.2.3 Báo cáo removed in 2021."),
])
def test_methodology_sentences(row, lang, expected):
    sentences = trends.methodology_sentences(changes([row]), period_from="2020",
                                            period_to="2021", lang=lang)
    assert sentences == [expected]


def test_methodology_notes_flag_the_period_that_changed():
    components = methodology_components()
    flags, fields, criteria = trends.methodology_notes(components, index="PAR",
                                                      periods=["2021", "2020", "2022"], lang="vi")
    assert flags == [("2021", "Đổi phương pháp")]
    assert fields == [
        "Điểm tối đa của lĩnh vực Cải cách thủ tục hành chính thay đổi từ 14,5 lên 16 (2020 → 2021)."]
    assert criteria == [
        "Điểm tối đa của tiêu chí 3.1 Công khai thay đổi từ 14,5 xuống 12 (2020 → 2021).",
        "Thêm tiêu chí 3.2 Một cửa từ 2021.",
    ]


def test_methodology_notes_when_only_criteria_changed():
    components = components_frame([
        ("PAR", "2020", "1", "Chỉ đạo", "", 10.0), ("PAR", "2020", "1.1", "Kế hoạch", "1", 10.0),
        ("PAR", "2021", "1", "Chỉ đạo", "", 10.0), ("PAR", "2021", "1.1", "Kế hoạch", "1", 6.0),
        ("PAR", "2021", "1.2", "Báo cáo", "1", 4.0),
    ])
    flags, fields, criteria = trends.methodology_notes(components, index="PAR",
                                                      periods=["2020", "2021"], lang="en")
    assert flags == [("2021", "Method changed")]
    assert fields == ["2 criteria changed their maximum or were added or dropped (2020 → 2021)."]
    assert criteria == ["The maximum of criterion 1.1 Kế hoạch changed from 10 to 6 (2020 → 2021).",
                        "Criterion 1.2 Báo cáo added in 2021."]


def test_methodology_notes_without_change():
    notes = trends.methodology_notes(methodology_components(), index="PAPI", periods=["2016"])
    assert notes == ([], [], [])


def test_build_trends():
    view = trends.build_trends(small_snapshot(), index="PAR", level="ward", period_from="2024",
                              period_to="2023", lang="vi")
    assert view.periods == ["2023", "2024"]
    assert view.movers["unit"].tolist() == ["Đồng Xuân", "Hàng Bạc", "Hàng Bài"]
    assert view.movers["rank_change"].tolist() == [2, 0, -2]
    assert view.flags == [("2024", "Đổi phương pháp")]
    assert view.warnings == [
        "Điểm tối đa của lĩnh vực Thủ tục thay đổi từ 10 lên 15 (2023 → 2024)."]
    assert view.details == []
    assert view.top == ["ward:dong-xuan", "ward:hang-bac", "ward:hang-bai"]


@pytest.mark.parametrize(("period_from", "period_to"), [("2024", "2024"), (None, "2024"),
                                                        ("2019", "2024")])
def test_build_trends_without_two_periods_has_no_movers(period_from, period_to):
    view = trends.build_trends(small_snapshot(), index="PAR", level="ward",
                              period_from=period_from, period_to=period_to)
    assert view.movers is None
    assert len(view.series) == 6
