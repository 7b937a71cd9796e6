"""Page view-models (reform.present.pages / labels), on small hand-built frames: overview."""
from __future__ import annotations

import pytest
from view_frames import (
    NAN,
    small_snapshot,
)

from reform.present.pages import overview


def test_key_figures_in_percent():
    summary = {"units": 18, "average": 85.321, "best_unit": "Phường Hàng Bạc", "best_value": 92.15,
               "worst_unit": "Phường Hàng Bài", "worst_value": 70.0,
               "most_improved_unit": "Phường Cửa Nam", "most_improved_change": 5, "basis": "percent"}
    assert overview.key_figures(summary) == [
        overview.Metric("Số đơn vị", "18"),
        overview.Metric("Trung bình", "85,32 %"),
        overview.Metric("Cao nhất", "92,15 %", "Phường Hàng Bạc", neutral=True,
                     help="Phường Hàng Bạc"),
        overview.Metric("Thấp nhất", "70,00 %", "Phường Hàng Bài", neutral=True,
                     help="Phường Hàng Bài"),
        # No delta chip: a card cuts a long name ("Phường Chươ…"); the note under the
        # figures and the tooltip carry it.
        overview.Metric("Tiến bộ nhất", "+5 bậc", help="Phường Cửa Nam"),
    ]
    assert overview.improved_note(summary) == (
        "Tiến bộ nhất: **Phường Cửa Nam**, tăng 5 bậc so với kỳ trước.")
    assert overview.improved_note(summary, lang="en") == (
        "Most improved: **Cửa Nam ward**, up 5 places since the previous period.")  # as sentences say
    english = overview.key_figures(summary, lang="en")
    assert [(m.delta, m.help) for m in english[2:]] == [
        ("Hàng Bạc ward", "Hàng Bạc ward"), ("Hàng Bài ward", "Hàng Bài ward"),
        (None, "Cửa Nam ward")]


@pytest.mark.parametrize("change", [None, NAN, 0, -2])
def test_improved_note_is_empty_when_nobody_moved_up(change):
    summary = {"most_improved_unit": "Phường Cửa Nam", "most_improved_change": change}
    assert overview.improved_note(summary) == ""


def test_key_figures_in_points_without_improvement_in_english():
    summary = {"units": 2, "average": 1234.5, "best_unit": "A", "best_value": 1300.0,
               "worst_unit": "B", "worst_value": 1169.0, "most_improved_unit": None,
               "most_improved_change": None, "basis": "points"}
    figures = overview.key_figures(summary, lang="en", percent=False)
    assert [(m.label, m.value, m.delta) for m in figures] == [
        ("Units", "2", None), ("Average", "1,234.50", None), ("Best", "1,300.00", "A"),
        ("Lowest", "1,169.00", "B"), ("Most improved", "–", None)]


def test_key_figures_of_an_empty_block():
    summary = {"units": 0, "average": None, "best_unit": None, "best_value": None,
               "worst_unit": None, "worst_value": None, "most_improved_unit": None,
               "most_improved_change": None, "basis": "percent"}
    assert [m.value for m in overview.key_figures(summary)] == ["0", "–", "–", "–", "–"]


def test_build_overview_names_the_most_improved_unit_under_the_figures():
    view = overview.build_overview(small_snapshot(), index="PAR", period="2024", level="ward")
    assert view.figures[-1] == overview.Metric("Tiến bộ nhất", "+2 bậc", help="Đồng Xuân")
    assert view.note == "Tiến bộ nhất: **Đồng Xuân**, tăng 2 bậc so với kỳ trước."
    first = overview.build_overview(small_snapshot(), index="PAR", period="2023", level="ward")
    assert first.note == ""  # no previous period, nobody moved
