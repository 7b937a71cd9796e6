"""Oversight page view-models on small hand-built frames: cross_index."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from oversight_frames import cross, score, snapshot

from reform.core.errors import UsageError
from reform.present.pages import cross_index


def test_shared_periods() -> None:
    assert cross_index.shared_periods(cross().scores) == ["2024"]


@pytest.mark.parametrize(("period", "level", "chosen", "block", "rows"), [
    ("2024", "ward", "2024", "ward", 4),
    ("2023", "ward", "2024", "ward", 4),
    ("2024", "province", "2024", None, 4),
    ("2024", "office", "2024", "office", 0),
])
def test_build_cross_index(period: str, level: str, chosen: str, block: str | None, rows: int) -> None:
    view = cross_index.build_cross_index(cross(), period=period, level=level)
    assert (view.period, view.level, view.periods) == (chosen, block, ["2024"])
    assert len(view.table) == rows
    if rows:
        assert view.indices == ["PAR", "SIPAS"]  # PAPI has no shared unit: its column is dropped
        assert list(view.table.columns) == ["unit_id", "unit", "PAR", "SIPAS"]


def test_build_cross_index_without_two_indices() -> None:
    with pytest.raises(UsageError, match="hai chỉ số"):
        cross_index.build_cross_index(snapshot([score("PAR", "2024", "ward:a", 80.0)]), period="2024", level=None)


def test_compare_pair_standouts_with_patterns() -> None:
    table = cross_index.build_cross_index(cross(), period="2024", level="ward").table
    pair = cross_index.compare_pair(table, x="PAR", y="SIPAS", n=2, lang="vi")
    # Least squares of SIPAS on PAR over (90, 88), (80, 70), (70, 72), (60, 62): slope
    # 380 / 500 = 0.76, intercept 73 − 0.76 × 75 = 16; residuals 3.6, −6.8, 2.8, 0.4.
    expected = pd.DataFrame({"unit_id": ["ward:b", "ward:a"], "unit": ["Phường Bình", "Phường An"],
                             "PAR": [80.0, 90.0], "SIPAS": [70.0, 88.0], "residual": [-6.8, 3.6],
                             "pattern": ["PAR cao, hài lòng thấp", "PAR cao, hài lòng cao"]})
    pd.testing.assert_frame_equal(pair.standouts, expected, check_dtype=False, atol=1e-9)
    assert pair.correlation["n"] == 4
    assert pair.correlation["pearson"] == pytest.approx(np.corrcoef([90, 80, 70, 60], [88, 70, 72, 62])[0, 1])
    english = cross_index.compare_pair(table, x="PAR", y="SIPAS", n=1, lang="en")
    assert list(english.standouts["pattern"]) == ["high PAR, low satisfaction"]


def test_compare_pair_too_few_units_and_same_axes() -> None:
    table = pd.DataFrame({"unit_id": ["a", "b"], "unit": ["A", "B"], "PAR": [1.0, 2.0],
                          "SIPAS": [3.0, np.nan]})
    pair = cross_index.compare_pair(table, x="PAR", y="SIPAS")
    assert pair.standouts.empty
    assert list(pair.standouts.columns) == ["unit_id", "unit", "PAR", "SIPAS", "residual", "pattern"]
    assert pair.correlation["n"] == 1
    with pytest.raises(UsageError, match="hai chỉ số khác nhau"):
        cross_index.compare_pair(table, x="PAR", y="PAR")


@pytest.mark.parametrize(("correlation", "lang", "text"), [
    ({"pearson": 0.4213, "spearman": 0.4, "n": 18}, "vi", "r = 0,42 (Spearman 0,40; 18 đơn vị)"),
    ({"pearson": 0.4213, "spearman": 0.4, "n": 18}, "en", "r = 0.42 (Spearman 0.40; 18 units)"),
    ({"pearson": math.nan, "spearman": math.nan, "n": 2}, "vi", "r = – (Spearman –; 2 đơn vị)"),
])
def test_correlation_text(correlation: dict, lang: str, text: str) -> None:
    assert cross_index.correlation_text(correlation, lang) == text
