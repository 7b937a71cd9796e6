"""reform.analysis.weights: what-if re-weighting."""
from __future__ import annotations

import pandas as pd
import pytest

from reform.analysis.weights import what_if
from reform.core.errors import UsageError
from tests.analysis_frames import (
    CD,
    HB,
    HG,
    field_scores,
    ints,
    make_units,
)

# ---------------------------------------------------------------------------------------------
# What if
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("weights", [{}, {"1": 1.0, "2": 1.0, "3": 1.0}, {"1": 2, "2": 2, "3": 2}])
def test_what_if_equal_weights_reproduce_base(weights):
    table, summary = what_if(field_scores(), make_units(), index="PAR", period="2018",
                                       weights=weights, level="ward")
    assert table["base_rank"].tolist() == table["new_rank"].tolist()
    assert summary["rank_changed"] == 0
    assert summary["group_changed"] == 0
    assert summary["spearman"] == pytest.approx(1.0)
    assert summary["kendall"] == pytest.approx(1.0)
    assert summary["largest_up"] == [] and summary["largest_down"] == []


def test_what_if_weight_on_a_field_moves_the_unit_strong_in_it_up():
    # Hàng Gai is strongest in field 2 (9/10) but last on the total.
    table, summary = what_if(field_scores(), make_units(), index="PAR", period="2018",
                                       weights={"2": 5.0}, level="ward")
    score_hg = (25 + 4 * 9) / (34.5 + 40) * 100
    score_hb = (28 + 4 * 5) / (34.5 + 40) * 100
    score_cd = (26 + 4 * 7) / (34.5 + 40) * 100
    expected = pd.DataFrame({
        "unit_id": [HG, CD, HB],
        "unit": ["Phường Hàng Gai", "Phường Cửa Đông", "Phường Hàng Bạc"],
        "base_rank": ints([3, 2, 1]),
        "new_rank": ints([1, 2, 3]),
        "rank_change": ints([2, 0, -2]),
        "base_group": ["C", "B", "A"],  # 72.46 %, 75.36 %, 81.16 %
        "new_group": ["A", "C", "D"],  # 81.88 %, 72.48 %, 64.43 %
        "score": [score_hg, score_cd, score_hb],
    })
    pd.testing.assert_frame_equal(table, expected)
    assert summary == {
        "units": 3, "rank_changed": 2, "group_changed": 3,
        "largest_up": [("Phường Hàng Gai", 2)], "largest_down": [("Phường Hàng Bạc", -2)],
        "spearman": pytest.approx(-1.0), "kendall": pytest.approx(-1.0),
    }


@pytest.mark.parametrize(
    ("weights", "message"),
    [({"9": 2.0}, "Không có lĩnh vực 9.*các lĩnh vực có: 1, 2, 3"),
     ({"1": -1.0}, "Trọng số của lĩnh vực 1 phải không âm")],
)
def test_what_if_bad_weights(weights, message):
    with pytest.raises(UsageError, match=message):
        what_if(field_scores(), make_units(), index="PAR", period="2018",
                          weights=weights)
