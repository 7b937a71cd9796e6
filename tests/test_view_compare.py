"""Page view-models (reform.present.pages / labels), on small hand-built frames: compare."""
from __future__ import annotations

import pandas as pd
import pytest
from view_frames import (
    NAN,
)

from reform.present.pages import compare


@pytest.mark.parametrize(("ranks", "n", "expected"), [
    ([2, 1, 3], 3, ["ward:b", "ward:a", "ward:c"]),
    ([2, 1, 3], 2, ["ward:b", "ward:a"]),
    ([1, 1, 3], 2, ["ward:a", "ward:b"]),          # a tie keeps the table's order
    ([NAN, 2, 1], 3, ["ward:c", "ward:b"]),        # an unranked unit is never chosen
    ([NAN, NAN, NAN], 3, []),
])
def test_top_units(ranks, n, expected):
    table = pd.DataFrame({"unit_id": ["ward:a", "ward:b", "ward:c"], "rank": ranks})
    assert compare.top_units(table, n=n) == expected
