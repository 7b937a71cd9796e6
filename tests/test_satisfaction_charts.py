"""The SIPAS element chart, checked by looking inside the figure."""
from __future__ import annotations

import pandas as pd
import pytest

from reform.core.errors import UsageError
from reform.present.charts.satisfaction import (
    EXPECTATION_COLOR,
    SATISFACTION_COLOR,
    element_gap_bars,
)

GAPS = pd.DataFrame({
    "element": ["2", "1"], "element_name": ["Thủ tục hành chính", "Tiếp cận dịch vụ"],
    "satisfaction": [78.5, 84.25], "expectation": [88.0, 86.0], "gap": [9.5, 1.75]})


def test_two_bar_traces_in_the_frames_order() -> None:
    fig = element_gap_bars(GAPS, period="2024")
    assert [trace.type for trace in fig.data] == ["bar", "bar"]
    assert fig.layout.barmode == "group"
    assert list(fig.data[0].y) == ["Thủ tục hành chính", "Tiếp cận dịch vụ"]
    assert list(fig.data[0].x) == [78.5, 84.25]
    assert list(fig.data[1].x) == [88.0, 86.0]
    assert (fig.data[0].marker.color, fig.data[1].marker.color) == (SATISFACTION_COLOR, EXPECTATION_COLOR)
    assert fig.layout.yaxis.autorange == "reversed"


@pytest.mark.parametrize(("lang", "title", "names", "gap_text", "separators"), [
    ("vi", "Hài lòng và kỳ vọng theo yếu tố, năm 2024", ("Hài lòng (%)", "Kỳ vọng (%)"),
     "88,0 (khoảng cách +9,50)", ",."),
    ("en", "Satisfaction and expectation by element, 2024", ("Satisfaction (%)", "Expectation (%)"),
     "88.0 (gap +9.50)", ".,"),
])
def test_language(lang: str, title: str, names: tuple, gap_text: str, separators: str) -> None:
    fig = element_gap_bars(GAPS, period="2024", lang=lang)
    assert fig.layout.title.text == title
    assert (fig.data[0].name, fig.data[1].name) == names
    assert fig.data[1].text[0] == gap_text
    assert fig.layout.separators == separators


def test_target_line_and_title_without_period() -> None:
    fig = element_gap_bars(GAPS, target=85.0)
    lines = [shape for shape in fig.layout.shapes if shape.type == "line"]
    assert [(line.x0, line.x1) for line in lines] == [(85.0, 85.0)]
    assert "Mục tiêu 85 %" in [a.text for a in fig.layout.annotations]
    assert fig.layout.title.text == "Hài lòng và kỳ vọng theo yếu tố"


def test_empty_frame_gives_the_empty_figure() -> None:
    fig = element_gap_bars(GAPS.iloc[0:0])
    assert len(fig.data) == 0
    assert fig.layout.annotations[0].text == "Không có dữ liệu"


@pytest.mark.parametrize(("frame", "lang", "message"), [
    (GAPS.drop(columns="gap"), "vi", "thiếu cột: gap"),
    (GAPS, "fr", "Ngôn ngữ 'fr'"),
])
def test_bad_input(frame: pd.DataFrame, lang: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        element_gap_bars(frame, lang=lang)
