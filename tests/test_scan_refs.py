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


def test_random_bytes_read_alike():
    """Fragments made of the characters references are made of, quotes and tags."""
    rng = random.Random(10)
    alphabet = b'aAzZ09r=" <>x5'
    for _ in range(5000):
        data = bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        found = limits._greatest_refs(data, len(data))
        assert found is None or found == _by_regex(data), data
