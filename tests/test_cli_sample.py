"""The command line on the illustrative sample: every index ranks its blocks, exports open."""
import csv
import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from PIL import Image
from pptx import Presentation

from tests.command import run

WARDS = 18


@pytest.fixture
def sample_db(sample_db_url, tmp_path) -> str:
    target = tmp_path / "sample.sqlite"
    shutil.copy(Path(sample_db_url.removeprefix("sqlite:///")), target)
    return f"sqlite:///{target}"


@pytest.mark.parametrize("index", ["PAR", "SIPAS", "DISCIPLINE"])
def test_each_index_ranks_the_18_wards_in_2024(index, sample_db):
    done = run("rank", "--index", index, "--period", "2024", "--level", "ward", "--format", "csv", db=sample_db)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert len(rows) == WARDS
    assert all(r["unit"].startswith("Phường ") for r in rows)
    ranks = [int(r["rank"]) for r in rows]
    assert ranks == sorted(ranks) and ranks[0] == 1
    values = [float(r["value"]) for r in rows]
    assert values == sorted(values, reverse=True)
    assert all(r["change"] != "" for r in rows)  # 2023 exists for every index
    assert all(r["group"] for r in rows)


def test_discipline_defaults_to_the_largest_block_the_wards(sample_db):
    done = run("rank", "--index", "DISCIPLINE", "--period", "2024", "--format", "csv", db=sample_db)
    assert len(list(csv.DictReader(io.StringIO(done.stdout)))) == WARDS


def test_par_published_ranks_agree_with_computed(sample_db):
    for level in ("ward", "office"):
        done = run("rank", "--index", "PAR", "--period", "2021", "--level", level, "--format", "csv", db=sample_db)
        rows = list(csv.DictReader(io.StringIO(done.stdout)))
        assert rows and all(r["rank"] == r["published_rank"] for r in rows)
        assert all(r["group"] == r["published_group"] for r in rows)


def test_export_excel_and_powerpoint(sample_db, tmp_path):
    xlsx, pptx = tmp_path / "par.xlsx", tmp_path / "par.pptx"
    assert run("export", "--index", "PAR", "--period", "2024", "--level", "ward", "--format", "xlsx",
               "--out", str(xlsx), db=sample_db).returncode == 0
    sheet = openpyxl.load_workbook(xlsx).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert any(c == "Phường Phúc Tân" for c in cells)
    assert any("minh họa" in c for c in cells)  # the sample says it is illustrative
    done = run("export", "--index", "PAR", "--period", "2024", "--format", "pptx", "--lang", "en",
               "--out", str(pptx), db=sample_db)
    assert done.returncode == 0, done.stderr
    deck = Presentation(str(pptx))
    texts = " ".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame)
    assert "Illustrative" in texts and len(deck.slides) >= 3


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="PNG export renders with Debian's Chromium")
def test_export_png_chart(sample_db, tmp_path):
    png = tmp_path / "par.png"
    done = run("export", "--index", "PAR", "--period", "2024", "--format", "png", "--out", str(png), db=sample_db)
    assert done.returncode == 0, done.stderr
    assert Image.open(png).size == (3840, 2160)  # 1920×1080 at 2×


def test_export_unknown_period_is_a_usage_error(sample_db, tmp_path):
    done = run("export", "--index", "PAR", "--period", "1990", "--format", "xlsx", "--out", str(tmp_path / "x.xlsx"), db=sample_db)
    assert done.returncode == 2 and "1990" in done.stderr
