"""Rows of a matrix in the order of a ranking (the heatmap beside the ranking, best first)."""
from __future__ import annotations

import pandas as pd

from reform.present.rank_order import rows_by_rank


def test_rows_follow_the_ranking_and_unranked_rows_come_last_in_their_order() -> None:
    matrix = pd.DataFrame({"1": [1.0, 2.0, 3.0, 4.0]}, index=["An", "Bình", "Cư", "Dũng"])
    ranking = pd.DataFrame({"unit": ["Cư", "An", "Dũng"], "rank": [1, 2, 3]})
    shown = rows_by_rank(matrix, ranking)
    assert list(shown.index) == ["Cư", "An", "Dũng", "Bình"]
    assert list(shown["1"]) == [3.0, 1.0, 4.0, 2.0]  # the values travel with their rows
    assert list(matrix.index) == ["An", "Bình", "Cư", "Dũng"]  # the input is not changed


def test_two_units_sharing_a_name_keep_both_rows() -> None:
    matrix = pd.DataFrame({"1": [1.0, 2.0, 3.0]}, index=["Cửa Nam", "An", "Cửa Nam"])
    ranking = pd.DataFrame({"unit": ["Cửa Nam", "An", "Cửa Nam"], "rank": [1, 2, 3]})
    shown = rows_by_rank(matrix, ranking)
    assert sorted(shown["1"]) == [1.0, 2.0, 3.0] and list(shown.index).count("Cửa Nam") == 2
