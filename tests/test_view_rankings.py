"""Page view-models (reform.present.pages / labels), on small hand-built frames: rankings."""
from __future__ import annotations

import numpy as np
import pytest
from view_frames import (
    ranking,
    small_snapshot,
)

from reform.core.errors import UsageError
from reform.present.pages import rankings


@pytest.mark.parametrize(("search", "groups", "expected"), [
    ("", (), ["Phường Hàng Bạc", "Phường Hàng Bài", "Phường Đồng Xuân"]),
    ("hang ba", (), ["Phường Hàng Bạc", "Phường Hàng Bài"]),
    ("HÀNG BẠC", (), ["Phường Hàng Bạc"]),
    ("dong", (), ["Phường Đồng Xuân"]),
    ("", ("D",), ["Phường Hàng Bài", "Phường Đồng Xuân"]),
    ("bai", ("A",), []),
    ("  ", ("A", "D"), ["Phường Hàng Bạc", "Phường Hàng Bài", "Phường Đồng Xuân"]),
])
def test_filter_ranking(search, groups, expected):
    table = ranking([("ward:a", "Phường Hàng Bạc", 1, 0, False, "A", 9.0, 90.0),
                     ("ward:b", "Phường Hàng Bài", 2, 0, False, "D", 6.0, 60.0),
                     ("ward:c", "Phường Đồng Xuân", 3, 0, False, "D", 5.0, 50.0)])
    shown = rankings.filter_ranking(table, search=search, groups=groups)
    assert shown["unit"].tolist() == expected
    assert list(shown.index) == list(range(len(expected)))


def test_build_rankings():
    view = rankings.build_rankings(small_snapshot(), index="PAR", period="2024", level="ward")
    # 2024 % of max: Hàng Bạc 18/25 = 72, Hàng Bài 13/25 = 52, Đồng Xuân 20/25 = 80.
    assert view.wide["unit"].tolist() == ["Đồng Xuân", "Hàng Bạc", "Hàng Bài"]
    assert view.wide["change_label"].tolist() == ["▲ 2", "=", "▼ 2"]
    assert view.fields == ["1. Chỉ đạo", "2. Thủ tục"]
    np.testing.assert_allclose(view.wide["2. Thủ tục"], [80.0, 60.0, 7 / 15 * 100])
    assert view.groups == ["B", "C", "D"]  # the 2024 override: B from 80 %


def test_build_rankings_by_a_component():
    view = rankings.build_rankings(small_snapshot(), index="PAR", period="2024", level="ward",
                                component="1")
    assert view.wide["unit"].tolist() == ["Hàng Bạc", "Đồng Xuân", "Hàng Bài"]


def test_build_rankings_unknown_period():
    with pytest.raises(UsageError, match="2019"):
        rankings.build_rankings(small_snapshot(), index="PAR", period="2019", level="ward")
