"""Oversight page view-models on small hand-built frames: satisfaction."""
from __future__ import annotations

import pandas as pd
import pytest
from oversight_frames import score, sipas, snapshot

from reform.core.errors import UsageError
from reform.present.pages import satisfaction


def test_build_satisfaction() -> None:
    view = satisfaction.build_satisfaction(sipas(), period="2024", level="ward")
    assert (view.period, view.periods, view.level, view.target) == ("2024", ["2023", "2024"], "ward", 80.0)
    assert list(view.ranking["unit_id"]) == ["ward:a", "ward:c", "ward:b"]
    expected_below = pd.DataFrame({"unit_id": ["ward:b", "ward:c"], "unit": ["Phường Bình", "Phường Cửa"],
                                   "value": [78.0, 79.5], "target": [80.0, 80.0],
                                   "shortfall": [2.0, 0.5]}).astype({"unit_id": "str", "unit": "str"})
    pd.testing.assert_frame_equal(view.below, expected_below)
    expected_gaps = pd.DataFrame({"element": ["1"], "element_name": ["Tiếp cận dịch vụ"],
                                  "satisfaction": [80.0], "expectation": [85.0], "gap": [5.0]})
    pd.testing.assert_frame_equal(view.gaps, expected_gaps, check_dtype=False)


def test_build_satisfaction_other_period_and_target() -> None:
    view = satisfaction.build_satisfaction(sipas(), period="2019", level="office", target=79.0)
    assert (view.period, view.level) == ("2024", "ward")
    assert list(view.below["unit_id"]) == ["ward:b"]


def test_build_satisfaction_without_sipas() -> None:
    with pytest.raises(UsageError, match="Chưa có dữ liệu SIPAS"):
        satisfaction.build_satisfaction(snapshot([score("PAR", "2024", "ward:a", 80.0)]), period=None, level=None)


def test_unit_elements() -> None:
    table = satisfaction.unit_elements(sipas(), period="2024", unit_id="ward:c")
    assert table[["unit", "assessment", "satisfaction", "expectation", "gap"]].to_dict("records") == [
        {"unit": "Phường Cửa", "assessment": 70.0, "satisfaction": 79.0, "expectation": 80.0, "gap": 1.0}]
