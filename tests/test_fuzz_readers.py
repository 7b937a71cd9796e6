"""Fuzzing the readers: random bytes, and real workbooks damaged at random, either at the byte
level or inside a sheet's XML; whatever comes in, only FileRefused may come out."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reform.core.errors import FileRefused
from reform.ingest.readers import read_workbook

REALDATA = Path(__file__).resolve().parent / "realdata"
WORKBOOKS = {name: (REALDATA / name).read_bytes() for name in ("PCI_2009.xls", "PCI_2016.xlsx")}
FUZZ = settings(max_examples=60, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def read_or_refuse(data: bytes, file_name: str) -> None:
    """Read ``data``; a refusal is a fine answer, anything else escapes and fails the test."""
    try:
        read_workbook(data, file_name)
    except FileRefused as refusal:
        assert refusal.message("vi") and refusal.message("en")


HEADS = st.sampled_from([b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"<html><table>",
                         b"\xef\xbb\xbf", b"\xff\xfe"])


@FUZZ
@given(head=HEADS, body=st.binary(max_size=4096))
def test_random_bytes_are_read_or_refused(head: bytes, body: bytes):
    read_or_refuse(head + body, "fuzz.xlsx")


@st.composite
def damaged(draw) -> tuple[str, bytes]:
    """A real workbook with a few bytes changed, and perhaps cut short."""
    name = draw(st.sampled_from(sorted(WORKBOOKS)))
    data = bytearray(WORKBOOKS[name])
    for _ in range(draw(st.integers(1, 16))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return name, bytes(data)


@FUZZ
@given(case=damaged())
def test_damaged_real_workbooks_are_read_or_refused(case: tuple[str, bytes]):
    name, data = case
    read_or_refuse(data, name)


SHEET = "xl/worksheets/sheet1.xml"
XML_DAMAGE = st.sampled_from([
    b'<c r="XFD1048576"><v>1</v></c>', b'<row r="4294967296">', b'<c r="A0"/>', b"<c/>" * 50,
    b'<mergeCell ref="A1:XFD1048576"/>', b"\x00", b"&#0;", b"<c r=\"", b"</row>", b"]]>",
    b'<c r="B2" t="s"><v>999999999</v></c>', b'<c r="C3" t="e"><v>#REF!</v></c>',
    b'<c r="AAAA1"/>', b'<c r="a-1"/>', b'<!DOCTYPE x [<!ENTITY a "aaaa">]>'])


@st.composite
def damaged_sheet(draw) -> bytes:
    """PCI_2016.xlsx with hostile fragments spliced into its first sheet's XML, zipped again."""
    with zipfile.ZipFile(io.BytesIO(WORKBOOKS["PCI_2016.xlsx"])) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    xml = bytearray(parts[SHEET])
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(xml)))
        xml[at:at] = draw(XML_DAMAGE)
    parts[SHEET] = bytes(xml)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, payload in parts.items():
            target.writestr(name, payload)
    return buffer.getvalue()


@FUZZ
@given(data=damaged_sheet())
def test_hostile_xml_inside_a_real_workbook_is_read_or_refused(data: bytes):
    read_or_refuse(data, "PCI_2016.xlsx")


@pytest.mark.parametrize("name", sorted(WORKBOOKS))
def test_the_undamaged_workbooks_are_read(name: str):
    assert read_workbook(WORKBOOKS[name], name).sheets
