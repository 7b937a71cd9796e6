"""Page view-models (reform.present.pages / labels), on small hand-built frames: profile."""
from __future__ import annotations

import pandas as pd
import pytest
from view_frames import ranking, strengths_frame

from reform.present.pages import compare, profile


def test_lost_points_most_lost_first():
    strengths = strengths_frame([
        ("2", "Văn bản", 5.0, 10.0, 50.0, 5.0, 60.0, 90.0, -10.0),
        ("10", "Khác", 1.0, 2.0, 50.0, 1.0, 55.0, 100.0, -5.0),
        ("1", "Chỉ đạo", 8.0, 10.0, 80.0, 2.0, 70.0, 95.0, 10.0),
    ])
    expected = pd.DataFrame({
        "Component": ["2. Văn bản", "1. Chỉ đạo", "10. Khác"],
        "Points": [5.0, 8.0, 1.0],
        "Maximum": [10.0, 10.0, 2.0],
        "Points lost": [5.0, 2.0, 1.0],
        "% of max": [50.0, 80.0, 50.0],
        "Block average (%)": [60.0, 70.0, 55.0],
        "Block best (%)": [90.0, 95.0, 100.0],
    })
    pd.testing.assert_frame_equal(profile.lost_points(strengths, lang="en"), expected)


@pytest.mark.parametrize(("change", "is_new", "rank", "lang", "expected"), [
    (5, False, 3, "vi", ("3/4", "+5 bậc")),
    (-2, False, 3, "vi", ("3/4", "-2 bậc")),
    (0, False, 1, "en", ("1/4", "=")),
    (pd.NA, True, 2, "en", ("2/4", "new")),
    (pd.NA, False, 2, "vi", ("2/4", None)),
    (pd.NA, False, pd.NA, "vi", (None, None)),
])
def test_rank_texts(change, is_new, rank, lang, expected):
    table = ranking([("ward:x", "X", rank, change, is_new, "A", 1.0, 1.0),
                     ("ward:b", "B", 1, 0, False, "A", 1.0, 1.0),
                     ("ward:c", "C", 2, 0, False, "A", 1.0, 1.0),
                     ("ward:d", "D", 3, 0, False, "A", 1.0, 1.0),
                     ("ward:e", "E", 4, 0, False, "A", 1.0, 1.0)])
    table = table[(table["unit_id"] == "ward:x") | (table.index <= (4 if pd.isna(rank) else 3))]
    assert profile.rank_texts(table, unit_id="ward:x", lang=lang) == expected


def test_rank_texts_unknown_unit():
    with pytest.raises(KeyError):
        profile.rank_texts(ranking([]), unit_id="ward:x")


def test_unit_history_and_matrix_rows():
    series = pd.DataFrame({"unit_id": ["b", "a", "a"], "unit": ["B", "A", "A"],
                           "period": ["2020", "2021", "2020"], "percent": [1.0, 2.0, 3.0]})
    pd.testing.assert_frame_equal(
        profile.unit_history(series, unit_id="a"),
        pd.DataFrame({"unit_id": ["a", "a"], "unit": ["A", "A"], "period": ["2020", "2021"],
                      "percent": [3.0, 2.0]}))
    matrix = pd.DataFrame({"1. X": [1.0, 2.0, 3.0]}, index=pd.Index(["A", "B", "C"], name="unit"))
    pd.testing.assert_frame_equal(compare.matrix_rows(matrix, ["C", "Z", "A"]),
                                  pd.DataFrame({"1. X": [3.0, 1.0]},
                                               index=pd.Index(["C", "A"], name="unit")))
