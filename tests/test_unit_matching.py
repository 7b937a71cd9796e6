"""Unit names at national scale: a kind word binds the level, close spellings must be the same
words, and two names of one file never collapse onto one unit."""
from __future__ import annotations

import time

import pandas as pd
import pytest

from reform.core.model import UNIT_COLUMNS
from reform.ingest.pipeline import parse_file
from reform.ingest.units import UnitRegistry, same_words
from tests.helpers import write_xlsx

# Real units: the provinces and communes the wrong matches went to.
UNITS = pd.DataFrame([
    {"unit_id": "province:binh-thuan", "name": "Bình Thuận", "level": "province", "aliases": ()},
    {"unit_id": "province:binh-duong", "name": "Bình Dương", "level": "province", "aliases": ()},
    {"unit_id": "province:binh-dinh", "name": "Bình Định", "level": "province", "aliases": ()},
    {"unit_id": "commune:binh-thuan", "name": "Xã Bình Thuận", "level": "commune", "aliases": ()},
    {"unit_id": "ward:hang-bac", "name": "Phường Hàng Bạc", "level": "ward", "aliases": ()},
], columns=UNIT_COLUMNS)


@pytest.mark.parametrize(("raw", "how", "unit_id"), [
    ("Xã Bình Thu", "new", "unit:binh-thu"),            # not the province Bình Thuận
    ("Xã Bình Cường", "new", "unit:binh-cuong"),        # not Bình Dương
    ("Bình Vĩnh", "new", "unit:binh-vinh"),             # 89% like Bình Định, another place
    ("Xã Bình Thuận", "exact", "commune:binh-thuan"),   # the commune, never the province
    ("Tỉnh Bình Thuận", "exact", "province:binh-thuan"),
    ("Phường Hàng Bạcc", "fuzzy", "ward:hang-bac"),     # a letter typed twice
    ("Xã Hàng Bạcc", "new", "unit:hang-bacc"),           # a commune's name cannot be the ward
])
def test_kind_words_and_close_spellings(raw, how, unit_id):
    match = UnitRegistry(UNITS).match(raw)
    assert (match.how, match.unit_id) == (how, unit_id)


@pytest.mark.parametrize(("key", "other", "same"), [
    ("hang bacc", "hang bac", True), ("hnag bac", "hang bac", True), ("hoankiem", "hoan kiem", True),
    ("binh vinh", "binh dinh", False), ("binh thu", "binh thuan", False), ("hoa", "hoai", False),
    ("binh cuong", "binh duong", False), ("an binh", "binh an", False),
])
def test_same_words_but_for_a_slip(key, other, same):
    assert same_words(key, other) is same


def test_two_names_of_a_file_never_collapse_onto_one_unit(tmp_path):
    rows = [["STT", "Tên đơn vị", "Tổng điểm"], [1, "Phường Hàng Bạc", 80], [2, "Phường Hàng Bạcc", 70],
            [3, "Phường Hàng Bạccc", 60]]
    path = write_xlsx(tmp_path / "par_2024.xlsx", {"2024": rows})
    parsed = parse_file(path.read_bytes(), path.name, UnitRegistry(UNITS), index="PAR")
    assert parsed.ok, [i.message_en for i in parsed.errors]
    found = {m.raw_name: (m.how, m.unit_id) for m in parsed.matches()}
    assert found["Phường Hàng Bạc"] == ("exact", "ward:hang-bac")
    assert found["Phường Hàng Bạcc"][0] == "new" and found["Phường Hàng Bạccc"][0] == "new"
    assert parsed.unit_count == 3
    assert {i.code for i in parsed.issues} >= {"unknown_unit"}


def test_ten_thousand_unknown_names_match_in_seconds():
    names = [f"Xã Tân Lập {i}" for i in range(10_000)]
    started = time.perf_counter()
    matches = UnitRegistry(UNITS).match_many(names, [None] * len(names))
    assert time.perf_counter() - started < 20  # a unit match per name took minutes
    assert {m.how for m in matches} == {"new"}
