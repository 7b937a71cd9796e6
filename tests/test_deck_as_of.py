"""The meeting deck on the units valid at an as-of date (as the rankings page's switch shows
them), from the page's model and from ``python -m reform export --as-of``; and unit names in
an English deck written one way ("Phúc Tân ward", never "Phường Phúc Tân")."""
from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest

from reform.core.errors import UsageError
from reform.ingest.crosswalk import read_lineage
from reform.present import deck
from reform.store.snapshot import load_snapshot
from reform.store.store import Store
from tests.command import run  # the command line, called in this process

CROSSWALK = ("Tên xã cũ,Tên xã mới,Ghi chú\n"
             "Phường Phúc Tân,Phường Hoàn Kiếm Mới,Nhập toàn bộ\n"
             "Phường Hàng Mã,Phường Hoàn Kiếm Mới,Nhập toàn bộ\n").encode()
VIETNAMESE_KIND = re.compile(r"\b(Phường|Xã|Quận|Huyện|Thị trấn) [A-ZĐ]")


@pytest.fixture
def merged(sample_store: Store) -> Store:
    """The sample store plus a crosswalk merging Phúc Tân and Hàng Mã into one new ward."""
    lineage, crosswalk = read_lineage(CROSSWALK, "links.csv", sample_store.units())
    assert crosswalk.ok
    sample_store.save_lineage(lineage)
    return sample_store


def _ranked(meeting: deck.Deck) -> list[str]:
    return [row[1] for row in meeting.slides[2].table.rows if row[0]]


def test_as_of_puts_the_deck_on_the_units_valid_that_day(merged: Store) -> None:
    data = load_snapshot(merged)
    before = deck.build_deck(data, index="PAR", period="2024", level="ward",
                             datasets=merged.datasets())
    after = deck.build_deck(data, index="PAR", period="2024", level="ward",
                            datasets=merged.datasets(), as_of="2025-07-01")
    assert {"Phường Phúc Tân", "Phường Hàng Mã"} <= set(_ranked(before))
    assert "Phường Hoàn Kiếm Mới" not in _ranked(before)
    assert "Phường Hoàn Kiếm Mới" in _ranked(after)
    assert not {"Phường Phúc Tân", "Phường Hàng Mã"} & set(_ranked(after))
    assert after.as_of == "2025-07-01" and "2025-07-01" in after.slides[0].subtitle
    # the new ward's score is the mean of its two predecessors' (both whole, no weights)
    scores = {row[1]: row[2] for row in before.slides[2].table.rows if row[0]}
    mean = sum(float(scores[n].rstrip(" %").replace(",", ".")) for n in
               ("Phường Phúc Tân", "Phường Hàng Mã")) / 2
    new = next(row[2] for row in after.slides[2].table.rows if row[1] == "Phường Hoàn Kiếm Mới")
    assert float(new.rstrip(" %").replace(",", ".")) == pytest.approx(mean, abs=0.006)


def test_a_bad_as_of_text_is_a_usage_error_in_both_languages() -> None:
    with pytest.raises(UsageError) as caught:
        deck.as_of_day("1/7/2025")
    assert "NNNN-TT-NN" in caught.value.message("vi") and "YYYY-MM-DD" in caught.value.message("en")


def test_english_deck_names_every_unit_the_english_way(sample_store: Store) -> None:
    data = load_snapshot(sample_store)
    meeting = deck.build_deck(data, index="PAR", period="2024", level="ward",
                              units=("ward:phuc-tan",), datasets=sample_store.datasets(),
                              lang="en")
    texts = [s.title for s in meeting.slides] + [n for s in meeting.slides for n in s.notes]
    texts += [cell for s in meeting.slides if s.table for row in s.table.rows for cell in row]
    texts += [str(y) for s in meeting.slides if s.figure for trace in s.figure.data
              for y in (trace.y if trace.y is not None else ())]
    assert not [text for text in texts if VIETNAMESE_KIND.search(str(text))]
    assert "Phúc Tân ward" in [s.title for s in meeting.slides]
    assert any("Phúc Tân ward" in note for note in meeting.slides[1].notes)


def test_export_xlsx_as_of_from_the_command_line(merged: Store, tmp_path: Path) -> None:
    out = tmp_path / "rank.xlsx"
    done = run("export", "--index", "PAR", "--period", "2024", "--level", "ward", "--format", "xlsx",
               "--out", str(out), "--as-of", "2025-07-01", db=merged.url)
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    cells = {str(c.value) for row in book.worksheets[0].iter_rows() for c in row if c.value}
    assert "Phường Hoàn Kiếm Mới" in cells and "Phường Phúc Tân" not in cells
    meta = {str(c.value) for row in book.worksheets[-1].iter_rows() for c in row if c.value}
    assert "2025-07-01" in meta
    bad = run("export", "--index", "PAR", "--period", "2024", "--format", "pptx", "--out", str(out),
              "--as-of", "1/7/2025", db=merged.url)
    assert bad.returncode == 2
