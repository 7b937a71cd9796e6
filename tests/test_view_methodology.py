"""Page view-models (reform.present.pages / labels), on small hand-built frames: methodology."""
from __future__ import annotations

import math

import pandas as pd
import pytest
from view_frames import (
    NAN,
    components_frame,
    methodology_components,
    small_snapshot,
)

from reform.core.errors import UsageError
from reform.present.pages import methodology


def test_maximum_table():
    table = methodology.maximum_table(methodology_components(), index="PAR")
    expected = pd.DataFrame({
        "Kỳ": ["2020", "2021"],
        "1. Chỉ đạo, điều hành": [10.0, 10.0],
        "3. Cải cách thủ tục hành chính": [14.5, 16.0],
        "Số tiêu chí": [2, 3],
        "Tổng các lĩnh vực": [24.5, 26.0],
    })
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)
    assert table["Số tiêu chí"].dtype == "int64"


def test_maximum_table_marks_absent_fields_and_speaks_english():
    components = components_frame([
        ("PCI", "2009", "1", "Entry", "", 10.0),
        ("PCI", "2016", "1", "Entry", "", 10.0),
        ("PCI", "2016", "10", "Legal institutions", "", 10.0),
        ("PCI", "2016", "2", "Land", "", NAN),
    ])
    table = methodology.maximum_table(components, index="PCI", lang="en")
    expected = pd.DataFrame({
        "Period": ["2009", "2016"],
        "1. Entry": [10.0, 10.0],
        "2. Land": [NAN, NAN],
        "10. Legal institutions": [NAN, 10.0],
        "Criteria": [0, 0],
        "Sum of fields": [10.0, 20.0],
    })
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)


def test_maximum_table_refuses_an_index_without_components():
    with pytest.raises(UsageError, match="PCI"):
        methodology.maximum_table(methodology_components(), index="PCI")


def test_group_thresholds_par_default_and_override():
    schemes = {"PAR": {None: [("A", 80.0), ("B", 75.0), ("D", -math.inf)],
                       "2023": [("A", 90.0), ("B", 80.5), ("D", -math.inf)]}}
    table = methodology.group_thresholds("PAR", schemes=schemes)
    expected = pd.DataFrame({
        "Áp dụng": ["Mặc định"] * 3 + ["Năm 2023"] * 3,
        "Nhóm": ["A", "B", "D", "A", "B", "D"],
        "Khoảng (% điểm tối đa)": ["≥ 80 %", "75 – 80 %", "< 75 %", "≥ 90 %", "80,5 – 90 %",
                                   "< 80,5 %"],
    })
    pd.testing.assert_frame_equal(table, expected)


def test_group_thresholds_english_and_quartiles():
    table = methodology.group_thresholds("PCI", lang="en", schemes={})
    expected = pd.DataFrame({
        "Applies to": ["Default"] * 4,
        "Group": ["Q1", "Q2", "Q3", "Q4"],
        "Range (% of maximum)": ["top quarter of the block", "second quarter", "third quarter",
                                 "bottom quarter of the block"],
    })
    pd.testing.assert_frame_equal(table, expected)


def test_group_thresholds_read_the_configuration():
    table = methodology.group_thresholds("PAR", lang="en")
    assert table.iloc[0].tolist() == ["Default", "A", "≥ 80 %"]
    assert "In 2023" in set(table["Applies to"])


@pytest.mark.parametrize(("index", "lang", "count", "contains"), [
    ("PAR", "vi", 3, "% điểm tối đa"),
    ("PAR", "en", 3, "at least half of its predecessors"),
    ("PAPI", "vi", 4, "năm 2016"),
    ("PCI", "en", 4, "weighted sum"),
    (None, "en", len(methodology.CAVEATS), "PAPI"),
])
def test_caveats(index, lang, count, contains):
    lines = methodology.caveats(index, lang=lang)
    assert len(lines) == count
    assert any(contains in line for line in lines)


def test_maxima_text_writes_numbers_per_language():
    maxima = methodology.maximum_table(methodology_components(), index="PAR")
    expected = pd.DataFrame({
        "Kỳ": ["2020", "2021"],
        "1. Chỉ đạo, điều hành": ["10", "10"],
        "3. Cải cách thủ tục hành chính": ["14,5", "16"],
        "Số tiêu chí": ["2", "3"],
        "Tổng các lĩnh vực": ["24,5", "26"],
    })
    pd.testing.assert_frame_equal(methodology.maxima_text(maxima), expected, check_dtype=False)
    english = methodology.maxima_text(maxima, lang="en")
    assert english["3. Cải cách thủ tục hành chính"].tolist() == ["14.5", "16"]
    assert maxima["3. Cải cách thủ tục hành chính"].tolist() == [14.5, 16.0]  # unchanged


def test_maxima_text_marks_unknown_maxima():
    components = components_frame([
        ("PCI", "2016", "1", "Entry", "", 10.0),
        ("PCI", "2016", "2", "Land", "", NAN),
    ])
    text = methodology.maxima_text(methodology.maximum_table(components, index="PCI", lang="en"), lang="en")
    assert text.iloc[0].tolist() == ["2016", "10", "–", "0", "10"]


def test_build_methodology():
    (par,) = methodology.build_methodology(small_snapshot(), lang="en")
    assert par.index == "PAR"
    assert par.maxima["Sum of fields"].tolist() == [20.0, 25.0]
    assert par.maxima_text["Sum of fields"].tolist() == ["20", "25"]
    assert par.thresholds["Group"].tolist()[:4] == ["A", "B", "C", "D"]
    assert par.caveats == methodology.caveats("PAR", lang="en")
