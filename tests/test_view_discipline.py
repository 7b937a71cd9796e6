"""Oversight page view-models on small hand-built frames: discipline."""
from __future__ import annotations

import pandas as pd
import pytest
from oversight_frames import inspection_records, score, snapshot

from reform.core.errors import UsageError
from reform.present.pages import discipline as page


@pytest.mark.parametrize(("period", "level", "year", "block", "units"), [
    ("2024", "ward", "2024", "ward", ["ward:a", "ward:b"]),
    ("2024", "office", "2024", "office", ["office:x"]),
    ("2023", "ward", "2023", "ward", ["ward:a"]),
    ("2019", "province", "2024", "ward", ["ward:a", "ward:b"]),   # falls back to what exists
    ("2024-03", None, "2024", "ward", ["ward:a", "ward:b"]),
])
def test_build_discipline_year_block_and_ranking(period: str, level: str | None, year: str,
                                                 block: str, units: list[str]) -> None:
    view = page.build_discipline(snapshot([], inspection_records()), period=period, level=level)
    assert (view.year, view.level, view.years) == (year, block, ["2023", "2024"])
    assert sorted(view.ranking["unit_id"]) == units
    assert set(view.ranking["period"]) == {year}
    assert list(view.monthly["period"]) == [f"{year}-{m:02d}" for m in range(1, 13)]


def test_build_discipline_tables_for_wards_2024() -> None:
    view = page.build_discipline(snapshot([], inspection_records()), period="2024", level="ward", lang="en")
    expected_categories = pd.DataFrame({
        "category": ["hours", "dress", "attitude"],
        "name": ["Working hours", "Dress and badge", "Attitude toward citizens"],
        "violations": [1, 2, 1], "inspections": [2, 2, 2], "officials_checked": [15, 15, 15],
        "rate_per_100": [100 / 15, 200 / 15, 100 / 15]}).astype({"category": "str", "name": "str"})
    pd.testing.assert_frame_equal(view.categories, expected_categories)
    expected_kinds = pd.DataFrame({
        "kind": ["regular", "unannounced"], "kind_name": ["Regular", "Unannounced"],
        "inspections": [1, 1], "violations": [3, 1], "officials_checked": [10, 5],
        "rate_per_100": [30.0, 20.0]}).astype({"kind": "str", "kind_name": "str"})
    pd.testing.assert_frame_equal(view.kinds, expected_kinds)
    ranking = view.ranking.set_index("unit_id")
    # 100 − 2 × (1 × 1.0 + 2 × 0.5) = 96; 100 − 2 × 1 × 2.0 = 96: a tie shares rank 1.
    assert ranking.loc["ward:a", "value"] == 96.0
    assert list(view.ranking["rank"]) == [1, 1]
    # ward:a kept rank 1 from 2023; ward:b was not inspected in 2023.
    assert list(view.ranking["change_label"]) == ["=", "new"]
    assert list(view.matrix.index) == ["Phường An", "Phường Bình"]
    assert view.matrix.loc["Phường An", "2024-03"] == 30.0
    assert set(view.calendar["unit_id"]) == {"ward:a", "ward:b"}
    assert view.repeat.empty


def test_build_discipline_without_records_says_how_to_import() -> None:
    with pytest.raises(UsageError, match="Chưa có biên bản kiểm tra công vụ") as caught:
        page.build_discipline(snapshot([score("PAR", "2024", "ward:a", 80.0)]), period="2024", level=None)
    assert "sample_inspections.xlsx" in caught.value.message("en")


def test_unit_inspections_of_one_year() -> None:
    records = page.unit_inspections(snapshot([], inspection_records()), unit_id="ward:a", year="2024", lang="vi")
    assert list(records["category_name"]) == ["Giờ giấc làm việc", "Trang phục, thẻ công chức"]
    assert set(records["date"].dt.year) == {2024}
    with pytest.raises(UsageError, match="ward:zz"):
        page.unit_inspections(snapshot([], inspection_records()), unit_id="ward:zz", year="2024")
