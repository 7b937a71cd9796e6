"""Chart figures remembered per input (``charts.memo``), the heatmaps' row limit
(``charts.base.limit_rows``) and the fast number text of large tables (``frames``)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reform.core import config
from reform.core.i18n import format_number, format_signed
from reform.present import charts, frames
from reform.present.charts.base import limit_rows
from reform.present.charts.memo import memoized


def ranking_table(n: int = 5) -> pd.DataFrame:
    return pd.DataFrame({
        "unit_id": [f"ward:u{i}" for i in range(n)], "unit": [f"Phường {i}" for i in range(n)],
        "rank": list(range(1, n + 1)), "value": [90.0 - i for i in range(n)],
        "percent": [90.0 - i for i in range(n)], "group": ["A"] * n,
    })


def test_the_same_frame_draws_once_and_a_changed_one_again():
    calls = []
    draw = memoized(lambda frame, *, lang: calls.append(lang) or object())
    table = ranking_table()
    first = draw(table, lang="vi")
    assert draw(table, lang="vi") is first and calls == ["vi"]
    assert draw(table, lang="en") is not first  # another option is another figure
    table.loc[0, "value"] = 10.0  # changed in place: never the stale figure
    assert draw(table, lang="vi") is not first
    assert calls == ["vi", "en", "vi"]


def test_an_equal_copy_is_drawn_anew_and_an_unkeyable_argument_is_never_cached():
    calls = []
    draw = memoized(lambda frame, extra=None: calls.append(1) or object())
    table = ranking_table()
    draw(table)
    draw(table.copy())  # identity, not equality: hashing 100,000 rows costs more than drawing
    draw(table, extra=object())
    draw(table, extra=object())
    assert len(calls) == 4


def test_the_exported_chart_functions_remember_their_figures():
    table = ranking_table()
    figure = charts.ranking_bars(table, lang="vi")
    assert charts.ranking_bars(table, lang="vi") is figure
    assert list(figure.data[0].x) == [90.0, 89.0, 88.0, 87.0, 86.0]


def test_limit_rows_keeps_both_ends_ordered_by_their_mean():
    wide = pd.DataFrame({"1": np.arange(10.0), "2": np.arange(10.0) * 2},
                        index=[f"u{i}" for i in range(10)])
    ends = limit_rows(wide, 4, extremes=True)
    assert list(ends.index) == ["u9", "u8", "⋯", "u1", "u0"]
    assert ends.loc["⋯"].isna().all()
    assert list(limit_rows(wide, 3, extremes=False).index) == ["u9", "u8", "u7"]
    assert limit_rows(wide, 10, extremes=True) is wide


def test_a_large_table_is_sent_rounded_instead_of_styled():
    n = config.STYLED_TABLE_MAX_CELLS // 2 + 1
    table = pd.DataFrame({"unit": ["x"] * n, "value": np.full(n, 85.3249)})
    shown = frames.number_styler(table, "vi")
    assert isinstance(shown, pd.DataFrame) and shown["value"].iloc[0] == 85.32
    assert table["value"].iloc[0] == 85.3249  # the input is left alone
    assert not isinstance(frames.number_styler(table.head(10), "vi"), pd.DataFrame)


@settings(max_examples=300, deadline=None)
@given(value=st.one_of(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12,
                                 max_value=1e12),
                       st.decimals(min_value=-1000, max_value=1000, places=3).map(float)),
       decimals=st.integers(0, 3), lang=st.sampled_from(["vi", "en"]))
def test_cells_read_exactly_as_the_catalog_writes_numbers(value, decimals, lang):
    assert frames.number_text(value, lang, decimals) == format_number(value, lang, decimals)
    signed = frames._number_text(value, lang=lang, decimals=decimals, signed=True)
    assert signed == format_signed(value, lang, decimals)


@pytest.mark.parametrize(("value", "lang", "text"), [
    (1234.565, "vi", "1.234,56"), (2.675, "en", "2.68"), (1e6, "vi", "1.000.000,00"),
    (-0.004, "en", "-0.00"),
])
def test_number_text_examples(value, lang, text):
    assert frames.number_text(value, lang, 2) == text == format_number(value, lang, 2)


def test_a_sealed_frame_is_summed_once_and_a_memoized_result_is_sealed():
    from reform.present.charts.memo import identity, seal

    shared, private = ranking_table(), ranking_table()
    seal(shared)
    before = identity(shared), identity(private)
    shared.loc[0, "value"] = 10.0  # a contract broken on purpose: sealed means read-only
    private.loc[0, "value"] = 10.0
    assert identity(shared) == before[0]  # not summed again
    assert identity(private) != before[1]  # an ordinary frame is
    badges = memoized(lambda frame: frame.assign(group=[["A"]] * len(frame)))(private)
    key = identity(badges)
    badges.loc[0, "value"] = 1.0
    assert identity(badges) == key
