"""The limits scan finds the greatest row and column by narrowing the longest references byte
by byte (``limits._greatest_refs``): leading zeros, lower-case letters and references out of
order must give what the regexes give, or hand the chunk back to them (None)."""
import random

import pytest

from reform.ingest import limits


def _by_regex(data: bytes) -> tuple[int, int]:
    rows = {int(r) for r in limits._ROW_REF.findall(data)}
    columns = {limits.column_number(c) for c in limits._COLUMN_REF.findall(data)}
    return max(rows, default=0), max(columns, default=0)


@pytest.mark.parametrize("data", [
    b'<c r="A0009"/><c r="A10"/>',  # more digits, smaller number
    b'<c r="A00000000"/><c r="B0"/>',  # zeros only
    b'<c r="A10"/><c r="A0000011"/>',  # the padded one is greater
    b'<c r="ab1"/><c r="AA1"/><c r="Z9"/>',  # letters compared in either case
    b'<c r="aZ7"/><c r="Az8"/>',
    b'<row r="19"><c r="B19"/></row><row r="100"/><row r="99">',  # rows out of order
    b'<c r="A1"/><c r="A12"',  # a row reference needs its closing quote; a column does not
    b'<c r="C5"/>r="',  # r=" at the very end
])
def test_runs_read_as_the_regexes(data: bytes):
    assert limits._greatest_refs(data, len(data)) == _by_regex(data)


def test_a_sheet_in_any_order_reads_as_the_regexes():
    """A sheet's worth of references, shuffled, some padded with zeros or in lower case."""
    rng = random.Random(4)
    refs = []
    for row in rng.sample(range(1, 200_000), 3000):
        letters = "".join(rng.choice("ABCXYZabz") for _ in range(rng.randint(1, 3)))
        zeros = "0" * rng.choice((0, 0, 0, 1, 2))  # at most 11 bytes: the window reads them
        refs.append(f'<row r="{zeros}{row}"><c r="{letters}{zeros}{row}" s="1"><v>1</v></c></row>')
    data = "".join(refs).encode()
    assert limits._greatest_refs(data, len(data)) == _by_regex(data)


def test_random_fragments_read_alike():
    rng = random.Random(11)
    alphabet = b'aAzZ00019r=" <>'
    for _ in range(3000):
        data = bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 50)))
        found = limits._greatest_refs(data, len(data))
        assert found is None or found == _by_regex(data), data
