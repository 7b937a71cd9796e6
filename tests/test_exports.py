"""Exports: read the files back (openpyxl, python-pptx, PIL) and check what people will see."""
from __future__ import annotations

import io
import math

import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image
from pptx import Presentation

from reform.core.errors import ReformError, UsageError
from reform.present import charts, exports

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

NAMES = ["Phúc Tân", "Đồng Xuân", "Hàng Mã", "Hàng Buồm", "Hàng Đào", "Hàng Bồ", "Cửa Đông",
         "Lý Thái Tổ", "Hàng Bạc", "Hàng Gai", "Chương Dương", "Hàng Trống"]


def ranking(n: int = 4) -> pd.DataFrame:
    """A ranking table with analytics' columns; rows deliberately not in rank order."""
    percents = [round(95.0 - 2.5 * i, 2) for i in range(n)]
    groups = ["A" if p >= 90 else "B" if p >= 80 else "C" for p in percents]
    changes = [3, -2, 0, pd.NA] + [1] * (n - 4)
    frame = pd.DataFrame({
        "unit_id": [f"ward:{i}" for i in range(n)],
        "unit": NAMES[:n],
        "level": "ward",
        "parent_id": "district:hoan-kiem",
        "period": "2024",
        "component": "TOTAL",
        "value": [p * 0.9 for p in percents],
        "max_value": 90.0,
        "percent": percents,
        "rank": pd.array(range(1, n + 1), dtype="Int64"),
        "previous_rank": pd.array([pd.NA] * n, dtype="Int64"),
        "change": pd.array(changes[:n], dtype="Int64"),
        "is_new": [False, False, False, True] + [False] * (n - 4),
        "percentile": [100.0] * n,
        "gap_to_leader": [95.0 - p for p in percents],
        "gap_to_average": [0.0] * n,
        "group": groups,
        "published_rank": pd.array([pd.NA] * n, dtype="Int64"),
        "published_group": [None] * n,
        "group_mismatch": [False] * n,
    })
    return frame.iloc[::-1].reset_index(drop=True)


def read_sheet(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


# --------------------------------------------------------------------------------------------
# Excel
# --------------------------------------------------------------------------------------------

def test_excel_layout_header_values_and_formats():
    data = exports.ranking_to_excel(ranking(), title="Chỉ số CCHC 2024 — Phường",
                                    subtitle="Dữ liệu minh họa, tệp sample_par.xlsx")
    sheet = read_sheet(data)
    assert sheet.title == "Xếp hạng"
    assert sheet["A1"].value == "Chỉ số CCHC 2024 — Phường"
    assert sheet["A1"].font.bold
    assert sheet["A2"].value == "Kỳ đánh giá: 2024"
    header = [c.value for c in sheet[4]]
    assert header == ["Hạng", "Đơn vị", "Điểm", "Điểm tối đa", "Tỷ lệ (%)", "Thay đổi hạng", "Nhóm"]
    assert all(c.font.bold for c in sheet[4])
    assert sheet["A4"].fill.fgColor.rgb.endswith(exports.HEADER_FILL)
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=5, max_row=8)]
    assert rows == [
        [1, "Phúc Tân", 85.5, 90.0, 95.0, "▲ 3", "A"],
        [2, "Đồng Xuân", 83.25, 90.0, 92.5, "▼ 2", "A"],
        [3, "Hàng Mã", 81.0, 90.0, 90.0, "=", "A"],
        [4, "Hàng Buồm", 78.75, 90.0, 87.5, "mới", "B"],
    ]
    assert sheet["C5"].number_format == "0.00"
    assert sheet["E5"].number_format == "0.00"
    assert sheet["A5"].number_format == "0"
    assert sheet.freeze_panes == "A5"
    assert sheet.auto_filter.ref == "A4:G8"
    assert sheet["A10"].value == "Nguồn, ghi chú: Dữ liệu minh họa, tệp sample_par.xlsx"
    assert sheet["A11"].value.startswith("▲ tăng hạng")


def test_excel_group_cells_filled_with_chart_colours():
    sheet = read_sheet(exports.ranking_to_excel(ranking()))
    assert sheet["G5"].fill.fgColor.rgb == "00" + charts.GROUP_COLORS["A"][1:].upper()
    assert sheet["G8"].fill.fgColor.rgb == "00" + charts.GROUP_COLORS["B"][1:].upper()
    assert sheet["G5"].font.color.rgb == "00FFFFFF"  # white on dark green
    assert sheet["G8"].font.color.rgb == "00000000"  # black on light green


def test_excel_columns_fitted_and_title_defaults():
    sheet = read_sheet(exports.ranking_to_excel(ranking()))
    assert sheet["A1"].value == "Kết quả xếp hạng"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABG"}
    assert widths["B"] == len("Đồng Xuân") + 3
    assert widths["A"] == len("Hạng") + 3
    assert widths["G"] == len("Nhóm") + 3


def test_excel_in_english_with_component_columns_and_missing_values():
    table = ranking().assign(percent=[math.nan, 87.5, 92.5, 95.0])
    matrix = pd.DataFrame({"Chỉ đạo điều hành": [90.0, 80.0], "Thủ tục": [70.0, math.nan]},
                          index=["Phúc Tân", "Hàng Buồm"])
    sheet = read_sheet(exports.ranking_to_excel(table, lang="en", components=matrix))
    assert sheet.title == "Ranking"
    assert [c.value for c in sheet[4]] == [
        "Rank", "Unit", "Points", "Maximum", "Percent (%)", "Rank change", "Group",
        "Chỉ đạo điều hành", "Thủ tục"]
    assert [c.value for c in sheet[5]][7:] == [90.0, 70.0]
    assert [c.value for c in sheet[8]][4:] == [None, "new", "B", 80.0, None]
    assert sheet.auto_filter.ref == "A4:I8"
    assert sheet["A2"].value == "Period: 2024"


def test_excel_includes_published_columns_only_when_filled():
    table = ranking().assign(published_rank=pd.array([4, 3, 2, 1], dtype="Int64"),
                             published_group=["B", "A", "A", "A"])
    header = [c.value for c in read_sheet(exports.ranking_to_excel(table))[4]]
    assert header[-2:] == ["Hạng công bố", "Nhóm công bố"]


def test_excel_refuses_a_table_without_rank():
    with pytest.raises(UsageError, match="thiếu cột: rank"):
        exports.ranking_to_excel(ranking().drop(columns="rank"))


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------

def test_csv_is_utf8_with_bom_for_excel():
    frame = pd.DataFrame({"Đơn vị": ["Hàng Bạc", "Đồng Xuân"], "Điểm": [85.5, 90.0]})
    data = exports.dataframe_to_csv(frame)
    assert data == "\ufeffĐơn vị,Điểm\r\nHàng Bạc,85.5\r\nĐồng Xuân,90.0\r\n".encode()
    assert data.startswith(b"\xef\xbb\xbf")


# --------------------------------------------------------------------------------------------
# Images (Chromium through kaleido)
# --------------------------------------------------------------------------------------------

needs_browser = pytest.mark.skipif(exports.browser_path() is None,
                                   reason="no Chromium for kaleido (apt-get install chromium)")


@needs_browser
def test_png_has_signature_and_requested_size():
    fig = charts.ranking_bars(ranking())
    data = exports.figure_to_image(fig, "png", width=800, height=450, scale=2)
    assert data.startswith(PNG_SIGNATURE)
    assert Image.open(io.BytesIO(data)).size == (1600, 900)


@needs_browser
def test_svg_is_text_with_vietnamese_labels():
    data = exports.figure_to_image(charts.ranking_bars(ranking()), "svg", width=800, height=450)
    text = data.decode("utf-8")
    assert text.lstrip().startswith(("<svg", "<?xml"))
    assert "Đồng Xuân" in text


def test_image_format_must_be_png_or_svg():
    with pytest.raises(UsageError, match="'jpg'"):
        exports.figure_to_image(go.Figure(), "jpg")


def test_missing_browser_is_a_reform_error_in_both_languages(monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium"))
    with pytest.raises(ReformError, match="chưa có trình duyệt Chromium") as caught:
        exports.figure_to_image(go.Figure(), "png")
    assert "no Chromium browser" in caught.value.message("en")


def test_browser_path_prefers_the_environment(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/opt/chrome/chrome")
    assert exports.browser_path() == "/opt/chrome/chrome"


def test_browser_path_falls_back_to_debian_chromium(monkeypatch, tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("")
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setattr(exports, "DEBIAN_CHROMIUM", fake)
    assert exports.browser_path() == str(fake)
    assert exports.os.environ["BROWSER_PATH"] == str(fake)
    monkeypatch.delenv("BROWSER_PATH")
    monkeypatch.setattr(exports, "DEBIAN_CHROMIUM", tmp_path / "absent")
    assert exports.browser_path() is None


# --------------------------------------------------------------------------------------------
# PowerPoint
# --------------------------------------------------------------------------------------------

def tiny_png(width: int = 160, height: int = 90) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def slide_texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def test_pptx_slides_title_figures_table_and_points():
    data = exports.ranking_to_pptx(
        ranking(12), title="Chỉ số CCHC năm 2024", subtitle="Dữ liệu minh họa",
        sentences=["Phúc Tân đứng đầu với 95,00 %.", "Hàng Buồm tăng 5 bậc."],
        figures=[tiny_png(), tiny_png()],
    )
    deck = Presentation(io.BytesIO(data))
    assert (deck.slide_width, deck.slide_height) == (exports.SLIDE_WIDTH, exports.SLIDE_HEIGHT)
    slides = list(deck.slides)
    assert len(slides) == 5
    assert slide_texts(slides[0]) == ["Chỉ số CCHC năm 2024", "Kỳ đánh giá: 2024",
                                      "Dữ liệu minh họa"]
    pictures = [s for s in slides[1].shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
    assert len(pictures) == 1 and pictures[0].width == exports.SLIDE_WIDTH
    table = next(s for s in slides[3].shapes if s.has_table).table
    cells = [[table.cell(r, c).text for c in range(5)] for r in range(3)]
    assert cells == [["Hạng", "Đơn vị", "Tỷ lệ (%)", "Thay đổi hạng", "Nhóm"],
                     ["1", "Phúc Tân", "95,00", "▲ 3", "A"],
                     ["2", "Đồng Xuân", "92,50", "▼ 2", "A"]]
    assert len(table.rows) == 11  # header + top 10 of 12
    assert table.cell(10, 1).text == "Hàng Gai"
    assert slide_texts(slides[3])[0] == "10 đơn vị dẫn đầu"
    assert slide_texts(slides[4]) == ["Những điểm chính",
                                      "• Phúc Tân đứng đầu với 95,00 %.\n• Hàng Buồm tăng 5 bậc."]
    sizes = [run.font.size.pt for shape in slides[4].shapes if shape.has_text_frame
             for paragraph in shape.text_frame.paragraphs for run in paragraph.runs]
    assert min(sizes) >= 20


def test_pptx_group_cells_coloured_and_english_headers():
    deck = Presentation(io.BytesIO(exports.ranking_to_pptx(ranking(), lang="en")))
    slides = list(deck.slides)
    assert len(slides) == 2  # title and table: no figures, no sentences
    table = next(s for s in slides[1].shapes if s.has_table).table
    assert [table.cell(0, c).text for c in range(5)] == ["Rank", "Unit", "Percent (%)",
                                                          "Rank change", "Group"]
    assert table.cell(4, 3).text == "new"
    assert str(table.cell(1, 4).fill.fore_color.rgb) == charts.GROUP_COLORS["A"][1:].upper()
    assert slide_texts(slides[0])[0] == "Ranking"


@needs_browser
def test_pptx_renders_plotly_figures_to_pictures():
    fig = charts.ranking_bars(ranking())
    deck = Presentation(io.BytesIO(exports.ranking_to_pptx(ranking(), figures=[fig])))
    picture = next(s for s in list(deck.slides)[1].shapes if s.shape_type == 13)
    assert picture.image.content_type == "image/png"
    assert Image.open(io.BytesIO(picture.image.blob)).size == (1600, 900)


def test_projector_figure_raises_every_font_to_24_px_on_a_copy():
    from reform.present import render

    fig = charts.ranking_bars(ranking())
    before = fig.to_dict()
    projected = render.projector_figure(fig)
    sizes = [font["size"] for font in render._font_dicts(projected)]
    assert sizes and min(sizes) >= 24
    assert projected["layout"]["width"] == 1920 and projected["layout"]["height"] == 1080
    assert fig.to_dict() == before  # the page's figure is unchanged


def test_excel_strips_markdown_from_the_sample_note():
    sheet = read_sheet(exports.ranking_to_excel(ranking(), subtitle="**dữ liệu minh họa**"))
    assert sheet["A10"].value == "Nguồn, ghi chú: dữ liệu minh họa"
