"""reform.analysis.components: component percents, matrix, strengths, correlations."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from reform.analysis import components
from reform.core.errors import UsageError
from tests.analysis_frames import (
    CD,
    COMPONENTS,
    HB,
    HG,
    NAN,
    OFFICE,
    PT,
    field_scores,
    make_units,
)

# ---------------------------------------------------------------------------------------------
# Components
# ---------------------------------------------------------------------------------------------


def test_component_percent():
    parts = components.component_percent(field_scores(), COMPONENTS, index="PAR", period="2018")
    hb = parts[parts["unit_id"] == HB].reset_index(drop=True)
    expected = pd.DataFrame({
        "unit_id": HB,
        "component": ["TOTAL", "1", "2", "3", "3.1"],
        "name": ["TOTAL", "Công tác chỉ đạo, điều hành", "Cải cách thể chế",
                 "Cải cách thủ tục hành chính", "Công khai thủ tục"],
        "parent": ["", "", "", "", "3"],
        "value": [28.0, 9, 5, 14, 3.5],
        "max_value": [34.5, 10, 10, 14.5, 4],  # 3.1's maximum comes from the component list
        "percent": [28 / 34.5 * 100, 90, 50, 14 / 14.5 * 100, 87.5],
    })
    pd.testing.assert_frame_equal(hb, expected)
    assert parts["unit_id"].drop_duplicates().tolist() == [OFFICE, CD, HB, HG]


def test_component_matrix_wide_in_vietnamese_order():
    matrix = components.component_matrix(field_scores(), make_units(), COMPONENTS, index="PAR",
                                        period="2018", level="ward")
    expected = pd.DataFrame(
        [[70.0, 70, 12 / 14.5 * 100], [90.0, 50, 14 / 14.5 * 100], [60.0, 90, 10 / 14.5 * 100]],
        index=pd.Index(["Phường Cửa Đông", "Phường Hàng Bạc", "Phường Hàng Gai"], name="unit",
                       dtype="str"),
        columns=pd.Index(["Công tác chỉ đạo, điều hành", "Cải cách thể chế",
                          "Cải cách thủ tục hành chính"], name="component", dtype="str"),
        dtype="float64",
    )
    pd.testing.assert_frame_equal(matrix, expected)
    depth2 = components.component_matrix(field_scores(), make_units(), COMPONENTS, index="PAR",
                                        period="2018", level="ward", depth=2)
    assert depth2.columns.tolist() == ["Công khai thủ tục"]
    with pytest.raises(UsageError, match="cấp 3"):
        components.component_matrix(field_scores(), make_units(), COMPONENTS, index="PAR",
                                   period="2018", depth=3)


def test_strengths_weaknesses_weakest_first_within_own_level():
    table = components.strengths_weaknesses(field_scores(), make_units(), COMPONENTS, index="PAR",
                                           period="2018", unit_id=HB)
    avg3 = (14 + 10 + 12) / 3 / 14.5 * 100
    expected = pd.DataFrame({
        "component": ["2", "3", "1"],
        "name": ["Cải cách thể chế", "Cải cách thủ tục hành chính",
                 "Công tác chỉ đạo, điều hành"],
        "value": [5.0, 14, 9],
        "max_value": [10.0, 14.5, 10],
        "percent": [50.0, 14 / 14.5 * 100, 90],
        "points_lost": [5.0, 0.5, 1],
        # The office (level "office") is not in the wards' block.
        "block_average": [70.0, avg3, (90 + 60 + 70) / 3],
        "block_best": [90.0, 14 / 14.5 * 100, 90],
        "gap_to_average": [-20.0, 14 / 14.5 * 100 - avg3, 90 - (90 + 60 + 70) / 3],
    })
    pd.testing.assert_frame_equal(table, expected)
    with pytest.raises(UsageError, match=PT):
        components.strengths_weaknesses(field_scores(), make_units(), COMPONENTS, index="PAR",
                                       period="2018", unit_id=PT)


def test_correlations():
    matrix = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [2.0, 4, 6, 8], "c": [4.0, 3, 2, 1]})
    corr = components.correlations(matrix)
    expected = pd.DataFrame([[1.0, 1, -1], [1, 1, -1], [-1, -1, 1]], index=list("abc"),
                            columns=list("abc"), dtype="float64")
    pd.testing.assert_frame_equal(corr, expected)
    assert components.correlations(matrix, method="spearman").loc["a", "c"] == pytest.approx(-1)
    with pytest.raises(UsageError, match="'median'"):
        components.correlations(matrix, method="median")


@pytest.mark.parametrize(
    ("x", "y", "pearson", "spearman", "n"),
    [
        ([1, 2, 3, 4], [1, 4, 9, 16], 0.9843740386976972, 1.0, 4),
        ([1, 2, NAN, 4, 5], [2, 4, 6, NAN, 10], 1.0, 1.0, 3),
        ([1, 2], [3, 4], NAN, NAN, 2),
        ([1, 1, 1], [1, 2, 3], NAN, NAN, 3),
    ],
)
def test_index_correlation(x, y, pearson, spearman, n):
    result = components.index_correlation(pd.DataFrame({"PAR": x, "SIPAS": y}), "PAR", "SIPAS")
    assert result["n"] == n
    for key, want in (("pearson", pearson), ("spearman", spearman)):
        if math.isnan(want):
            assert math.isnan(result[key])
        else:
            assert result[key] == pytest.approx(want)


def test_index_correlation_missing_column():
    with pytest.raises(UsageError, match="Không có cột PCI"):
        components.index_correlation(pd.DataFrame({"PAR": [1.0]}), "PAR", "PCI")
