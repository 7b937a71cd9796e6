"""The meeting deck: built from the sample store, written as .pptx and read back with
python-pptx; the ranking workbook's metadata and formula-safe text read back with openpyxl."""
from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from reform.analysis.ranking import rank_units
from reform.present import deck, exports
from reform.present.pages import presentation
from reform.store.snapshot import load_snapshot
from reform.store.store import Store

needs_browser = pytest.mark.skipif(exports.browser_path() is None, reason="no Chromium")
UNITS = ("ward:phuc-tan", "ward:hang-ma", "ward:dong-xuan")


@pytest.fixture(scope="module")
def sample(sample_db_url: str):
    store = Store(sample_db_url)
    return load_snapshot(store, None), store.datasets()


@pytest.fixture(scope="module")
def meeting(sample) -> deck.Deck:
    data, datasets = sample
    return deck.build_deck(data, index="PAR", period="2024", level="ward", units=UNITS,
                           datasets=datasets, today=date(2025, 4, 6))


def test_deck_has_the_slides_of_the_issue_in_order(meeting):
    assert [s.kind for s in meeting.slides] == [
        "title", "ranking", "top_bottom", "movers", "fields", "groups", "sipas", "discipline",
        "unit", "unit", "unit", "sources"]
    assert meeting.illustrative
    assert meeting.slides[0].title == "Chỉ số CCHC (PAR Index) năm 2024"
    assert "Dữ liệu minh họa" in meeting.slides[0].subtitle
    assert meeting.slides[8].title == "Phường Phúc Tân"


def test_top_bottom_slide_equals_the_ranking(sample, meeting):
    data, _ = sample
    table = rank_units(data.scores, data.units, index="PAR", period="2024", level="ward")
    rows = meeting.slides[2].table.rows
    assert len(table) == 18 and len(rows) == 16  # top 10, a gap row, bottom 5
    assert [r[1] for r in rows[:10]] == list(table["unit"].head(10))
    assert rows[10][1] == "…"
    assert [r[1] for r in rows[11:]] == list(table["unit"].tail(5))
    assert rows[0][2] == f"{table['percent'].iloc[0]:.2f} %".replace(".", ",")


def test_sources_slide_names_files_and_versions(meeting):
    last = meeting.slides[-1]
    files = [(row[0], row[1]) for row in last.table.rows]
    assert files == [("sample_par.xlsx", "1"), ("sample_sipas.xlsx", "2"),
                     ("sample_inspections.xlsx", "3")]
    assert last.bullets[0] == "Ngày xuất: 2025-04-06"


def test_slide_number_is_kept_in_range():
    assert [presentation.slide_number(raw, 12) for raw in ("3", "0", "99", "x", None)] == [
        3, 1, 12, 1, 1]


def test_slide_html_escapes_and_counts(meeting):
    text = presentation.slide_html(meeting.slides[2], number=3, total=12, illustrative=True,
                                   lang="vi")
    assert text.count("<tr>") == 17 and "3/12" in text and "Dữ liệu minh họa" in text
    assert "<h1>" in text


@needs_browser
def test_pptx_titles_pictures_tables_notes_and_sources(meeting):
    document = Presentation(io.BytesIO(exports.deck_to_pptx(meeting)))
    slides = list(document.slides)
    assert len(slides) == 12
    for slide, model in zip(slides, meeting.slides, strict=True):
        assert slide.shapes.title is not None and slide.shapes.title.text == model.title
    pictures = [shape for slide in slides for shape in slide.shapes
                if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == sum(s.figure is not None for s in meeting.slides) >= 5
    assert Image.open(io.BytesIO(pictures[0].image.blob)).size == (3840, 2160)  # 1920×1080 at 2×
    top = next(shape for shape in slides[2].shapes if shape.has_table).table
    assert top.cell(1, 1).text == meeting.slides[2].table.rows[0][1]
    assert len(top.rows) == 17
    notes = slides[1].notes_slide.notes_text_frame.text
    assert notes.startswith("Phường Phúc Tân đứng đầu")
    sources = next(shape for shape in slides[-1].shapes if shape.has_table).table
    assert sources.cell(1, 0).text == "sample_par.xlsx"
    texts = [shape.text_frame.text for shape in slides[5].shapes if shape.has_text_frame]
    assert "Dữ liệu minh họa, không phải kết quả chính thức" in texts


@needs_browser
def test_chart_png_is_1920_by_1080_at_2x_and_svg_is_valid(meeting):
    import xml.etree.ElementTree as ET

    png = exports.chart_image(meeting.slides[1].figure, "png", illustrative=True)
    assert Image.open(io.BytesIO(png)).size == (3840, 2160)
    svg = exports.chart_image(meeting.slides[1].figure, "svg", illustrative=True)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg") and "Dữ liệu minh họa" in svg.decode()


def test_xlsx_metadata_and_injection_strings_stored_as_text(sample, meeting):
    data, _ = sample
    table = rank_units(data.scores, data.units, index="PAR", period="2024", level="ward")
    hostile = table.assign(unit=["=1+1", "+SUM(A1)", "-2", "@cmd"] + list(table["unit"][4:]))
    book = openpyxl.load_workbook(io.BytesIO(exports.ranking_to_excel(
        hostile, sources=meeting.sources, as_of="2025-07-01", illustrative=True,
        today=date(2025, 4, 6))))
    sheet, about = book.worksheets
    cells = [sheet.cell(row=r, column=2) for r in range(5, 9)]
    assert [c.value for c in cells] == ["=1+1", "+SUM(A1)", "-2", "@cmd"]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert [sheet.cell(row=r, column=1).value for r in range(5, 5 + len(table))] == [
        int(r) for r in table["rank"]]
    assert sheet["E5"].value == pytest.approx(float(table["percent"].iloc[0]))
    assert about.title == "Thông tin"
    facts = {about.cell(row=r, column=1).value: about.cell(row=r, column=2).value
             for r in range(1, 6)}
    assert facts["Ngày xuất"] == "2025-04-06"
    assert facts["Đơn vị theo địa giới ngày"] == "2025-07-01"
    assert facts["Ngôn ngữ nhãn"] == "Tiếng Việt"
    files = [about.cell(row=r, column=1).value for r in range(8, 11)]
    assert files == ["sample_par.xlsx", "sample_sipas.xlsx", "sample_inspections.xlsx"]


@needs_browser
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_rankings_page_deck_has_a_title_placeholder_on_every_slide(sample, lang):
    # The Rankings page's download: the meeting deck of the sidebar's scope, no unit slides.
    data, datasets = sample
    built = deck.build_deck(data, index="PAR", period="2024", level="ward", datasets=datasets,
                            lang=lang)
    slides = list(Presentation(io.BytesIO(exports.deck_to_pptx(built))).slides)
    assert len(slides) == len(built.slides) >= 8
    assert [s.kind for s in built.slides][-1] == "sources" and "unit" not in {
        s.kind for s in built.slides}
    for slide, model in zip(slides, built.slides, strict=True):
        assert slide.shapes.title is not None and slide.shapes.title.text == model.title
