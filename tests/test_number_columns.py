"""The vectorised number reader (``parse_numbers``) against the scalar ``parse_number``."""
from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reform.core.text import PROBLEMS, parse_number, parse_numbers

TRICKY = [
    "91,43", "85 %", "1.234,5", "-", "–", "x", "X", "k", "n/a", "...", "9l,5", "#REF!", "#DIV/0!",
    "#abcA", "abc#A", "(12,5)", "()", "(-5)", "-(5)", "1,234.5", "1.234.567", "1,2,3", "1.2.3,4",
    "1,2.3,4", " 7 ", "\u00a012\u2009", "1\n2", "+5", "+-5", "−3", "12%%", ".5", "5.", "00012",
    "1 234,5", "nan", "inf", "1e5", "１２", "Ａ", "", "   ", "1" * 400, "0,0000001", "-0", "Hà Nội",
    "Tổng", "1.5", "2015", "1,5%", "% 5", "5 -", None, 3, -2, 2.5, float("nan"), True, False,
    np.float64(1.25), np.int64(7), dt.date(2020, 1, 1), dt.datetime(2020, 1, 1, 8),
]


def scalar(values: list[object]) -> list[tuple[float | None, str]]:
    return [parse_number(v) for v in values]


def vectorised(values: list[object]) -> list[tuple[float | None, str]]:
    numbers, problems = parse_numbers(values)
    return [(None if math.isnan(n) else float(n), PROBLEMS[p]) for n, p in zip(numbers, problems, strict=True)]


@pytest.mark.parametrize("value", TRICKY, ids=repr)
def test_each_tricky_cell_reads_as_the_scalar_reader_reads_it(value):
    assert vectorised([value]) == scalar([value])


def test_a_mixed_column_reads_cell_by_cell_as_the_scalar_reader():
    assert vectorised(TRICKY) == scalar(TRICKY)


def test_a_column_of_numbers_takes_the_array_path():
    column = np.array([1.5, None, 2, float("nan")], dtype=object)
    numbers, problems = parse_numbers(column)
    np.testing.assert_array_equal(numbers, [1.5, np.nan, 2.0, np.nan])
    assert problems.tolist() == [0, 0, 0, 0]


_PIECES = st.sampled_from(["0", "1", "9", "12", ".", ",", " ", "%", "-", "+", "(", ")", "#", "!", "x",
                           "−", "\u00a0", "a", "Đ", "e", "A", "?", "\t"])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.lists(_PIECES, max_size=8).map("".join), st.text(max_size=6),
                          st.floats(allow_nan=True), st.integers(-10**6, 10**6), st.none()), max_size=20))
def test_any_column_reads_as_the_scalar_reader_reads_it(values):
    assert vectorised(values) == scalar(values)
