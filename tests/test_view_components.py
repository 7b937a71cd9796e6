"""Page view-models (reform.present.pages / labels), on small hand-built frames: components."""
from __future__ import annotations

from view_frames import (
    small_snapshot,
)

from reform.present.pages import compare, components


def test_build_components_and_comparison():
    data = small_snapshot()
    view = components.build_components(data, index="PAR", period="2024", level="ward", component="2")
    assert list(view.matrix.index) == ["Đồng Xuân", "Hàng Bạc", "Hàng Bài"]
    assert list(view.matrix.columns) == ["Chỉ đạo", "Thủ tục"]
    assert view.ranking["unit"].tolist() == ["Đồng Xuân", "Hàng Bạc", "Hàng Bài"]
    assert view.correlations.shape == (2, 2)
    compared = compare.build_comparison(data, index="PAR", period="2024", level="ward",
                                      unit_ids=["ward:hang-bai", "ward:dong-xuan"])
    assert list(compared.matrix.index) == ["Hàng Bài", "Đồng Xuân"]
    assert compared.table["unit_id"].tolist() == ["ward:hang-bai", "ward:dong-xuan"]
    assert compared.fields == ["1. Chỉ đạo", "2. Thủ tục"]


def test_the_heatmap_rows_follow_the_ranking_by_the_chosen_component():
    data = small_snapshot()
    view = components.build_components(data, index="PAR", period="2024", level="ward", component="1")
    # criterion 1: Hàng Bạc 9, Đồng Xuân 8, Hàng Bài 6 points (by hand from the frames)
    assert list(view.heatmap.index) == ["Hàng Bạc", "Đồng Xuân", "Hàng Bài"]
    assert list(view.matrix.index) == ["Đồng Xuân", "Hàng Bạc", "Hàng Bài"]  # by name
    assert view.heatmap.loc["Hàng Bạc"].tolist() == view.matrix.loc["Hàng Bạc"].tolist()
