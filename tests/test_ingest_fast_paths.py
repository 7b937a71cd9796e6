"""The shortcuts a national import takes, each against the plain way it replaces: the sum
detection that rules widths out on a sample, accents dropped through a table, distinct texts
found by a hash table, numbers parsed once per long sheet, names matched once for all periods
of a long table, and a file of several indices read once."""
from __future__ import annotations

import math
import unicodedata

import numpy as np
import pandas as pd
import pytest

from reform.core import config
from reform.core.model import UNIT_COLUMNS
from reform.core.text import cell_ref, parse_number, strip_accents
from reform.ingest import columns, pipeline
from reform.ingest.pipeline import import_each_index, parse_file
from reform.ingest.tree import _sum_width
from reform.ingest.units import UnitRegistry
from tests.helpers import write_xlsx


def _sum_width_every_row(matrix: np.ndarray, i: int) -> int:
    """The sum detection as it was before the sample: every width judged on every row."""
    total, block = matrix[:, i], matrix[:, i + 1:]
    if block.shape[1] < 2:
        return 0
    missing = np.isnan(block)
    missing_before = np.cumsum(missing, axis=1)
    running = np.cumsum(np.where(missing, 0.0, block), axis=1)
    usable = ~np.isnan(total)[:, None] & (missing_before == 0)
    close = usable & (np.abs(running - np.nan_to_num(total)[:, None]) <= config.SUM_TOLERANCE)
    empty = missing_before.sum(axis=0) == len(matrix) * np.arange(1, block.shape[1] + 1)
    counts, hits = usable.sum(axis=0), close.sum(axis=0)
    for k in range(2, block.shape[1] + 1):
        if empty[k - 1] or counts[k - 1] < 3:
            return 0
        if hits[k - 1] / counts[k - 1] >= 0.95:
            return k
    return 0


def _scores_with_sums(rng: np.random.Generator) -> np.ndarray:
    """Scores whose first column adds up the next few for most rows (off by a slip, near the
    tolerance, on the others), with blanks here and there or in whole columns."""
    rows, width = int(rng.choice([3, 20, 999, 1001, 2500])), int(rng.integers(2, 8))
    matrix = np.round(rng.uniform(0, 5, (rows, width)), 2)
    parts = int(rng.integers(2, width)) if width > 2 else 2
    summed = rng.random(rows) < rng.choice([0.9, 0.94, 0.95, 0.96, 1.0])
    slips = rng.choice([0.0] * 18 + [0.01, 0.02, -0.02, 0.021, 0.03], summed.sum())
    matrix[summed, 0] = np.round(matrix[summed, 1:parts + 1].sum(axis=1) + slips, 2)
    matrix[rng.random((rows, width)) < rng.choice([0, 0.001, 0.01, 0.3])] = np.nan
    if rng.random() < 0.15:
        matrix[:, 1:3] = np.nan
    return matrix


def test_sum_widths_judged_on_a_sample_first_are_those_of_every_row():
    rng = np.random.default_rng(7)
    found = 0
    for _ in range(150):
        matrix = _scores_with_sums(rng)
        for i in range(matrix.shape[1]):
            expected = _sum_width_every_row(matrix, i)
            assert _sum_width(matrix, i) == expected, (matrix.shape, i)
            found += expected > 0
    assert found > 10  # the sums were there to be found, not only their absence


def _strip_each_mark(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def test_accents_dropped_through_the_table_are_those_dropped_one_by_one():
    plane = [chr(c) for c in range(0x30000) if not 0xD800 <= c <= 0xDFFF]
    texts = ["".join(plane[i:i + 50]) for i in range(0, len(plane), 50)]
    texts += ["Phường Hàng Bạc", "ĐỒNG XUÂN", "Hoà", "Hòa", "e\u0301\u0323", "plain", ""]
    assert [strip_accents(t) for t in texts] == [_strip_each_mark(t) for t in texts]
    assert strip_accents("Đồng Xuân") == "Dong Xuan"


def _per_value(values: np.ndarray, rule) -> list:
    return [rule(v) for v in values]


@pytest.mark.parametrize("cells", [
    ["Xã An Bình", "Phường Hàng Bạc", "Xã An Bình", " Tổng ", ""] * 400,  # texts only: factorized
    ["Xã An Bình", None, 1, 1.0, True, "1"] * 400,  # mixed: 1, 1.0 and True kept apart
    ["a", "b"] * 10,  # short
])
def test_a_rule_per_distinct_value_gives_what_it_gives_per_value(cells):
    values = np.array(cells, dtype=object)

    def rule(value):
        return (type(value).__name__, str(value).strip())

    assert columns.per_distinct(values, rule) == _per_value(values, rule)


TRICKY = ["91,43", "85 %", "1.234,5", "-", "x", "", None, "9l,5", "#REF!", "(3)", "1,234.5",
          " 7 ", "n/a", "1.234.567", "12%"]


def _long_table(path, years=(2023, 2024, 2025)) -> tuple[object, list[list[object]]]:
    """A long table of 30 communes a year whose criteria hold tricky cells; its rows too."""
    rows = [["KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH"], [],
            ["STT", "Năm", "Tên đơn vị", "Tiêu chí 1", "Tiêu chí 2", "Tiêu chí 3", "Tổng điểm"]]
    for y, year in enumerate(years):
        for u in range(30):
            cells = [round(1 + (u * 7 + y) % 9 * 0.37, 2), round(2 + (u * 3 + y) % 5 * 0.41, 2),
                     round(0.5 + (u + y) % 4 * 0.25, 2)]
            if (u + y) % 3 == 0:
                cells[(u + y) % 3] = TRICKY[(u * 5 + y) % len(TRICKY)]
            rows.append([u + 1, year, f"Xã Số {u + 1}", *cells, None])
    return write_xlsx(path, {"KetQua": rows}), rows


def test_numbers_of_a_long_table_are_those_of_their_cells(tmp_path):
    path, rows = _long_table(tmp_path / "cchc_long.xlsx")
    parsed = parse_file(path.read_bytes(), path.name, UnitRegistry(pd.DataFrame(columns=UNIT_COLUMNS)),
                        index="PAR")
    assert parsed.periods == ["2023", "2024", "2025"]
    read = parsed.scores[~parsed.scores["source"].str.startswith("=")]
    expected: dict[str, float] = {}
    problems: set[str] = set()
    for r in range(3, len(rows)):
        for c in range(3, 6):
            number, why = parse_number(rows[r][c])
            if number is not None:
                expected[f"KetQua!{cell_ref(r, c)}"] = number
            elif why:
                problems.add(cell_ref(r, c))
    assert dict(zip(read["source"], read["value"], strict=True)) == expected
    flagged = [i.cell for i in parsed.issues if i.code in ("not_number", "formula_error")]
    assert sorted(flagged) == sorted(problems) and len(problems) >= 3


def test_a_name_resolves_to_the_unit_of_each_period_of_a_long_table(tmp_path):
    # Two wards called Cửa Nam: the old one until the reorganisation, the new one after it.
    units = pd.DataFrame([
        {"unit_id": "ward:cua-nam-old", "name": "Phường Cửa Nam", "level": "ward", "parent_id": None,
         "aliases": (), "valid_from": None, "valid_to": "2025-06-30"},
        {"unit_id": "ward:cua-nam", "name": "Phường Cửa Nam", "level": "ward", "parent_id": None,
         "aliases": (), "valid_from": "2025-07-01", "valid_to": None},
        {"unit_id": "ward:hang-bac", "name": "Phường Hàng Bạc", "level": "ward", "parent_id": None,
         "aliases": (), "valid_from": None, "valid_to": None},
    ], columns=UNIT_COLUMNS)
    rows = [["Năm", "Tên đơn vị", "Tiêu chí 1", "Tiêu chí 2", "Tổng điểm"]]
    for year in (2023, 2024, 2025, 2026):
        rows += [[year, "Phường Cửa Nam", 5.5, 3.5, 9.0], [year, "Phường Hàng Bạc", 4.0, 4.5, 8.5],
                 [year, "Phường Mới Lập", 3.0, 3.0, 6.0]]
    path = write_xlsx(tmp_path / "cchc_wards.xlsx", {"KetQua": rows})
    parsed = parse_file(path.read_bytes(), path.name, UnitRegistry(units), index="PAR")
    totals = parsed.scores[parsed.scores["component"] == "TOTAL"]
    ids = totals.groupby("period")["unit_id"].apply(sorted).to_dict()
    assert ids == {"2023": ["unit:moi-lap", "ward:cua-nam-old", "ward:hang-bac"],
                   "2024": ["unit:moi-lap", "ward:cua-nam-old", "ward:hang-bac"],
                   "2025": ["unit:moi-lap", "ward:cua-nam", "ward:hang-bac"],
                   "2026": ["unit:moi-lap", "ward:cua-nam", "ward:hang-bac"]}


def test_a_file_of_several_indices_is_read_once_and_gives_what_each_index_gives(tmp_path, monkeypatch):
    rows = [["Chỉ số", "Năm", "Tên đơn vị", "Tiêu chí 1", "Tiêu chí 2", "Tổng điểm"]]
    for code in ("PAR", "SIPAS"):
        for year in (2023, 2024):
            rows += [[code, year, f"Xã Số {u}", 1.5 + u, "2,25", 3.75 + u] for u in range(1, 5)]
    path = write_xlsx(tmp_path / "hai_chi_so.xlsx", {"Data": rows})
    data, units = path.read_bytes(), pd.DataFrame(columns=UNIT_COLUMNS)
    alone = {code: import_each_index(data, path.name, units, lambda *_: {}, index=code)[0]
             for code in ("PAR", "SIPAS")}
    reads = []
    read_workbook = pipeline.read_workbook
    monkeypatch.setattr(pipeline, "read_workbook", lambda *a: reads.append(a[1]) or read_workbook(*a))
    both = import_each_index(data, path.name, units, lambda *_: {})
    assert reads == [path.name]
    assert [p.index for p in both] == ["PAR", "SIPAS"]
    for parsed in both:
        pd.testing.assert_frame_equal(parsed.scores, alone[parsed.index].scores)
        assert parsed.issues == alone[parsed.index].issues


def test_a_column_of_floats_and_blanks_reads_as_the_scalar_reader_reads_it():
    from reform.core.text import parse_numbers

    cells = [1.5, None, float("nan"), 2.0, np.float32(0.25), -3.75, 1e300, None]
    numbers, problems = parse_numbers(np.array(cells, dtype=object))
    expected = [parse_number(v)[0] for v in cells]
    assert [None if math.isnan(n) else n for n in numbers.tolist()] == expected
    assert not problems.any()
