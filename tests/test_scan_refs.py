"""The limits scan reads cell references with arrays (``limits._greatest_refs``): it must find
the same greatest row and column as the regexes it replaced, or hand the chunk back to them."""
import random

import pytest

from reform.ingest import limits


def _by_regex(data: bytes) -> tuple[int, int]:
    rows = {int(r) for r in limits._ROW_REF.findall(data)}
    columns = {limits.column_number(c) for c in limits._COLUMN_REF.findall(data)}
    return max(rows, default=0), max(columns, default=0)


@pytest.mark.parametrize("data", [
    b'<row r="1"><c r="A1"/><c r="C1"/></row><row r="7"><c r="B7"/></row>',
    b'<c r="xfd0005"/>', b'<c r="XFD1048576"/>', b'<c r="A1B"/><c r="ZZ"/><c r="9"/>',
    b'x r="Q77"', b'<c r=""/>', b'<c r="AAAAAAAAAAA"/>', b'<row r="1" spans="1:44">',
])
def test_arrays_read_references_as_the_regexes(data: bytes):
    assert limits._greatest_refs(data, len(data)) == _by_regex(data)


@pytest.mark.parametrize("data", [b'<c r="AAAAAAAAAAAAAAA1"/>', b'<c r="A12345678901234567890"/>',
                                  b'<c r="A000000000000000000002"/>', b'r="'])
def test_a_reference_too_long_for_the_window_goes_to_the_regexes(data: bytes):
    assert limits._greatest_refs(data, len(data)) is None
    scanner = limits.ExtentScanner()
    scanner.feed(data)
    extent = scanner.close()
    assert (extent.rows, extent.columns) >= _by_regex(data)


@pytest.mark.parametrize(("seed", "alphabet", "longest", "count"), [
    (10, b'aAzZ09r=" <>x5', 40, 5000),
    (11, b'aAzZ00019r=" <>', 50, 3000),  # leading zeros: the longest runs narrowed byte by byte
])
def test_random_bytes_read_alike(seed: int, alphabet: bytes, longest: int, count: int):
    """Fragments made of the characters references are made of, quotes and tags."""
    rng = random.Random(seed)
    for _ in range(count):
        data = bytes(rng.choice(alphabet) for _ in range(rng.randint(0, longest)))
        found = limits._greatest_refs(data, len(data))
        assert found is None or found == _by_regex(data), data


# The greatest found by narrowing the longest references byte by byte: leading zeros,
# lower-case letters and references out of order.
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
