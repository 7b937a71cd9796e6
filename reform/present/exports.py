"""Files people take away: a formatted Excel ranking, chart images, the meeting deck, CSV.

Every function returns bytes (pages hand them to ``st.download_button``, the command line
writes them to ``--out``); nothing here touches the file system except Chromium's own
temporary profile while a chart is rendered.
"""
from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from reform.core.errors import ReformError, UsageError, require_lang
from reform.core.i18n import format_number, t
from reform.present.charts.base import group_color, text_color_on
from reform.present.frames import best_first, is_missing, require_columns
from reform.present.labels import change_label, period_label

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
"""Debian's Chromium: kaleido 1.x renders through a Chromium browser and finds it through
the ``BROWSER_PATH`` variable (read by choreographer) when it is not on its own search list."""

IMAGE_FORMATS = ("png", "svg")
"""Raster for slides and documents, vector for print; both offline through kaleido."""

HEADER_FILL = "1F4E79"
"""Dark blue header with white bold text: high contrast on screen and on paper."""

MAX_COLUMN_WIDTH = 50
"""Long unit names wrap rather than push the table off a printed page."""

TOP_TABLE_ROWS = 10
"""The deck's table shows the top ten: what a slide can hold at a readable size."""

SLIDE_WIDTH = Inches(13.333)
SLIDE_HEIGHT = Inches(7.5)  # 16:9, the shape of meeting-room projectors and of our PNGs



def _scope(table: pd.DataFrame, lang: str) -> str:
    """ "Kỳ đánh giá: 2024 · Thành phần: 1.2" from the table's own period and component."""
    if "period" not in table or table.empty:
        return ""
    periods = [period_label(p, lang) for p in dict.fromkeys(table["period"].astype(str))]
    text = t("export.scope", lang, period=", ".join(periods))
    if "component" in table:
        component = str(table["component"].iloc[0])
        if component not in ("TOTAL", "", "nan"):
            text += t("export.scope.component", lang, component=component)
    return text


# --------------------------------------------------------------------------------------------
# Excel
# --------------------------------------------------------------------------------------------

EXCEL_COLUMNS = [
    # (column, number format or None for text); optional columns are skipped when absent.
    ("rank", "0"), ("unit", None), ("value", "0.00"), ("max_value", "0.00"),
    ("percent", "0.00"), ("change", None), ("group", None),
    ("published_rank", "0"), ("published_group", None),
]
"""Columns of the ranking sheet, in order, with their Excel number formats."""


def ranking_to_excel(
    table: pd.DataFrame,
    *,
    lang: str = "vi",
    title: str = "",
    subtitle: str = "",
    components: pd.DataFrame | None = None,
) -> bytes:
    """The ranking as a formatted .xlsx workbook (one sheet), best first.

    Layout: row 1 the title (default "Kết quả xếp hạng"), row 2 the period and component,
    row 4 the bold header on a dark fill, the units from row 5 with panes frozen under the
    header and an autofilter; numbers with two decimals, the rank change as "▲ 3" / "▼ 2" /
    "=", group cells filled with the group's chart colour; then a note row with ``subtitle``
    (where the data came from) and a legend of the arrows. ``components`` is an optional
    matrix (index = unit names as in ``table['unit']``, columns = component names, values %)
    whose columns are appended after the ranking columns.
    Published rank and group columns are included when present with at least one value.

    Returns the workbook bytes. Raises ``UsageError`` when ``table`` lacks ``unit`` or
    ``rank`` or ``lang`` is unknown.
    """
    require_lang(lang)
    require_columns(table, ["unit", "rank"], "export.missing_columns")
    rows = best_first(table)
    columns = [(c, fmt) for c, fmt in EXCEL_COLUMNS
               if c in rows.columns and (c in ("rank", "unit") or rows[c].notna().any())]
    extra = [] if components is None else [str(c) for c in components.columns]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = t("export.sheet", lang)
    sheet.cell(row=1, column=1, value=title or t("export.title", lang)).font = Font(bold=True, size=16)
    sheet.cell(row=2, column=1, value=_scope(rows, lang)).font = Font(italic=True, size=12)
    _excel_header(sheet, [t(f"export.col.{c}", lang) for c, _ in columns] + extra)
    _excel_rows(sheet, rows, columns, lang=lang)
    if components is not None:
        _excel_components(sheet, rows, components, first_column=len(columns) + 1)
    last_row = EXCEL_HEADER_ROW + len(rows)
    _excel_notes(sheet, last_row + 2, subtitle=subtitle,
                 with_change=any(c == "change" for c, _ in columns), lang=lang)
    _excel_layout(sheet, width=len(columns) + len(extra), last_row=last_row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


EXCEL_HEADER_ROW = 4
"""Title, scope and a blank row above the header."""

_THIN = Side(style="thin", color="BFBFBF")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _excel_header(sheet, headers: list[str]) -> None:
    """The bold white header on the dark fill."""
    for j, text in enumerate(headers, start=1):
        cell = sheet.cell(row=EXCEL_HEADER_ROW, column=j, value=text)
        cell.font = Font(bold=True, color="FFFFFF", size=12)
        cell.fill = PatternFill("solid", start_color=HEADER_FILL, end_color=HEADER_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BORDER


def _excel_value(column: str, fmt: str | None, raw: object, is_new: object, lang: str) -> object:
    """What a ranking cell holds: the change label, a number in its format, text, or None."""
    if column == "change":
        return change_label(raw, is_new, lang) or None
    if is_missing(raw):
        return None
    if fmt is not None:
        return float(raw) if fmt == "0.00" else int(raw)
    return str(raw)


def _excel_rows(sheet, rows: pd.DataFrame, columns: list[tuple[str, str | None]], *,
                lang: str) -> None:
    """One row per unit under the header; group cells in the group's colour."""
    is_new = rows["is_new"] if "is_new" in rows else pd.Series(False, index=rows.index)
    for i, (index, record) in enumerate(rows.iterrows(), start=EXCEL_HEADER_ROW + 1):
        for j, (column, fmt) in enumerate(columns, start=1):
            value = _excel_value(column, fmt, record[column], is_new.loc[index], lang)
            cell = sheet.cell(row=i, column=j, value=value)
            cell.border = _BORDER
            if fmt is not None:
                cell.number_format = fmt
            if column == "change":
                cell.alignment = Alignment(horizontal="center")
            if column in ("group", "published_group") and value is not None:
                colour = group_color(value).lstrip("#").upper()  # Excel writes ARGB in capitals
                cell.fill = PatternFill("solid", start_color=colour, end_color=colour)
                cell.font = Font(bold=True, color=text_color_on("#" + colour)[1:].upper())
                cell.alignment = Alignment(horizontal="center")


def _excel_components(sheet, rows: pd.DataFrame, components: pd.DataFrame, *,
                      first_column: int) -> None:
    """The component matrix's columns after the ranking columns, matched by unit name."""
    by_unit = components.set_axis([str(u) for u in components.index], axis=0)
    for i, (_, record) in enumerate(rows.iterrows(), start=EXCEL_HEADER_ROW + 1):
        for j, component in enumerate(components.columns, start=first_column):
            value = None
            if str(record["unit"]) in by_unit.index:
                raw = pd.to_numeric(by_unit.loc[str(record["unit"]), component], errors="coerce")
                value = None if is_missing(raw) else float(raw)
            cell = sheet.cell(row=i, column=j, value=value)
            cell.number_format = "0.00"
            cell.border = _BORDER


def _excel_notes(sheet, row: int, *, subtitle: str, with_change: bool, lang: str) -> None:
    """Under the table: where the data came from, and what the arrows mean."""
    if subtitle:
        sheet.cell(row=row, column=1, value=t("export.note", lang, text=subtitle)).font = Font(
            italic=True)
        row += 1
    if with_change:
        sheet.cell(row=row, column=1, value=t("export.change_note", lang)).font = Font(
            italic=True, color="595959")


def _excel_layout(sheet, *, width: int, last_row: int) -> None:
    """Frozen header, autofilter, column widths to the text, landscape print on one width."""
    header = EXCEL_HEADER_ROW
    sheet.freeze_panes = sheet.cell(row=header + 1, column=1)
    sheet.auto_filter.ref = f"A{header}:{get_column_letter(width)}{max(last_row, header)}"
    for j in range(1, width + 1):
        texts = [sheet.cell(row=r, column=j).value for r in range(header, last_row + 1)]
        longest = max((len(_excel_text(v)) for v in texts), default=8)
        sheet.column_dimensions[get_column_letter(j)].width = min(MAX_COLUMN_WIDTH, longest + 3)
    sheet.row_dimensions[header].height = 32
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header}:{header}"


def _excel_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


# --------------------------------------------------------------------------------------------
# Images
# --------------------------------------------------------------------------------------------

def browser_path() -> str | None:
    """The Chromium kaleido will use: ``BROWSER_PATH`` when set, else Debian's
    ``/usr/bin/chromium`` (and ``BROWSER_PATH`` is set to it for kaleido), else None."""
    explicit = os.environ.get("BROWSER_PATH")
    if explicit:
        return explicit
    if DEBIAN_CHROMIUM.exists():
        os.environ["BROWSER_PATH"] = str(DEBIAN_CHROMIUM)
        return str(DEBIAN_CHROMIUM)
    return None


def figure_to_image(
    fig: go.Figure, fmt: str = "png", width: int = 1600, height: int = 900, scale: float = 1
) -> bytes:
    """``fig`` rendered offline by kaleido through Chromium, as PNG or SVG bytes.

    The image is ``width`` × ``height`` layout pixels times ``scale``. MathJax is switched
    off and plotly.js comes from the installed plotly package, so nothing is fetched from
    the internet.
    Raises ``UsageError`` for a format other than png/svg, ``ReformError`` (both languages)
    when no browser is available or it fails to start.
    """
    if fmt not in IMAGE_FORMATS:
        raise UsageError.of("export.bad_format", fmt=fmt)
    import kaleido  # late: importing kaleido costs time and only exports need it
    from kaleido.errors import BrowserFailedError, ChromeNotFoundError

    path = browser_path()
    if path is not None and not Path(path).exists():
        raise ReformError.of("export.no_browser")
    try:
        data = kaleido.calc_fig_sync(
            fig.to_dict() if isinstance(fig, go.Figure) else fig,
            opts={"format": fmt, "width": width, "height": height, "scale": scale},
            kopts={"mathjax": False},
        )
    except ChromeNotFoundError as exc:
        raise ReformError.of("export.no_browser") from exc
    except BrowserFailedError as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ReformError.of("export.browser_failed", detail=detail) from exc
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


# --------------------------------------------------------------------------------------------
# PowerPoint
# --------------------------------------------------------------------------------------------

def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _textbox(slide, text: str, *, left: Emu, top: Emu, width: Emu, height: Emu, size: int,
             bold: bool = False, colour: str = "#1A1A1A", align=PP_ALIGN.LEFT) -> None:
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.alignment = align
    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = _rgb(colour)


def ranking_to_pptx(
    table: pd.DataFrame,
    *,
    lang: str = "vi",
    title: str = "",
    subtitle: str = "",
    sentences: Sequence[str] = (),
    figures: Sequence[go.Figure | bytes] = (),
) -> bytes:
    """The meeting deck (16:9) for a ranking, as .pptx bytes.

    Slides: a title slide (``title``, the period, and ``subtitle`` such as "Dữ liệu minh họa"
    when given); one slide per figure, full width (a Figure is rendered to PNG with
    ``figure_to_image``, bytes are taken as a PNG already rendered); the top 10 as a native
    table (rank, unit, score, change, group, group cells in the group colour); and the
    ``sentences`` as bullets when there are any. Text is 20 pt or larger.

    Raises ``UsageError`` when ``table`` lacks ``unit`` or ``rank`` or ``lang`` is unknown,
    and ``ReformError`` from ``figure_to_image`` when a figure cannot be rendered.
    """
    require_lang(lang)
    require_columns(table, ["unit", "rank"], "export.missing_columns")
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    _title_slide(deck, title or t("export.title", lang), _scope(table, lang), subtitle)
    for figure in figures:
        png = figure if isinstance(figure, bytes) else figure_to_image(figure, "png")
        slide = deck.slides.add_slide(deck.slide_layouts[BLANK_LAYOUT])
        slide.shapes.add_picture(io.BytesIO(png), 0, 0, width=SLIDE_WIDTH)
    _top_table_slide(deck, best_first(table).head(TOP_TABLE_ROWS), lang=lang)
    if sentences:
        _points_slide(deck, sentences, lang=lang)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


BLANK_LAYOUT = 6
"""The default template's blank slide: every slide here places its own boxes."""

SLIDE_MARGIN = Inches(0.6)


def _title_slide(deck, title: str, scope: str, subtitle: str) -> None:
    """The deck's first slide: title, period and (in red) a note such as "Dữ liệu minh họa"."""
    slide = deck.slides.add_slide(deck.slide_layouts[BLANK_LAYOUT])
    inner = SLIDE_WIDTH - 2 * SLIDE_MARGIN
    _textbox(slide, title, left=SLIDE_MARGIN, top=Inches(2.2), width=inner,
             height=Inches(1.6), size=40, bold=True, colour="#1F4E79", align=PP_ALIGN.CENTER)
    _textbox(slide, scope, left=SLIDE_MARGIN, top=Inches(3.9), width=inner,
             height=Inches(0.7), size=24, align=PP_ALIGN.CENTER)
    if subtitle:
        _textbox(slide, subtitle, left=SLIDE_MARGIN, top=Inches(4.7), width=inner,
                 height=Inches(0.7), size=20, colour="#C51B29", align=PP_ALIGN.CENTER)


def _points_slide(deck, sentences: Sequence[str], *, lang: str) -> None:
    """The key points as bullets, smaller type when there are more than five."""
    slide = deck.slides.add_slide(deck.slide_layouts[BLANK_LAYOUT])
    inner = SLIDE_WIDTH - 2 * SLIDE_MARGIN
    _textbox(slide, t("export.points.title", lang), left=SLIDE_MARGIN, top=Inches(0.4),
             width=inner, height=Inches(0.9), size=36, bold=True, colour="#1F4E79")
    box = slide.shapes.add_textbox(SLIDE_MARGIN, Inches(1.5), inner, SLIDE_HEIGHT - Inches(2.0))
    frame = box.text_frame
    frame.word_wrap = True
    size = 28 if len(sentences) <= 5 else 22  # more points must still fit the slide
    for i, sentence in enumerate(sentences):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = f"• {sentence}"
        run.font.size = Pt(size)
        paragraph.space_after = Pt(12)


def _top_table_slide(deck, top: pd.DataFrame, *, lang: str) -> None:
    """A slide with ``top`` as a native table: rank, unit, score, change, group."""
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    margin = Inches(0.6)
    _textbox(slide, t("export.top.title", lang, n=len(top)), left=margin, top=Inches(0.3),
             width=SLIDE_WIDTH - 2 * margin, height=Inches(0.9), size=36, bold=True,
             colour="#1F4E79")
    has_percent = "percent" in top and top["percent"].notna().any()
    score_column = "percent" if has_percent else "value"
    columns = ["rank", "unit"]
    if score_column in top:
        columns.append(score_column)
    columns += [c for c in ("change", "group") if c in top]
    headers = [t(f"export.col.{c}", lang) for c in columns]
    row_height = Inches(0.5)
    shape = slide.shapes.add_table(
        len(top) + 1, len(columns), margin, Inches(1.3), SLIDE_WIDTH - 2 * margin,
        row_height * (len(top) + 1),
    )
    grid = shape.table
    widths = {"rank": 1.2, "unit": 5.6, "percent": 2.0, "value": 2.0, "change": 1.8,
              "group": 1.5}
    for j, column in enumerate(columns):
        grid.columns[j].width = Inches(widths[column])
    is_new = top["is_new"] if "is_new" in top else pd.Series(False, index=top.index)
    for j, text in enumerate(headers):
        _fill_cell(grid.cell(0, j), text, bold=True, colour="#FFFFFF", fill="#" + HEADER_FILL)
    for i, (index, record) in enumerate(top.iterrows(), start=1):
        for j, column in enumerate(columns):
            raw = record[column]
            fill = None
            colour = "#1A1A1A"
            if column == "change":
                text = change_label(raw, is_new.loc[index], lang)
            elif is_missing(raw):
                text = ""
            elif column == "rank":
                text = str(int(raw))
            elif column in ("percent", "value"):
                text = format_number(float(raw), lang)
            else:
                text = str(raw)
            if column == "group" and text:
                fill = group_color(text)
                colour = text_color_on(fill)
            _fill_cell(grid.cell(i, j), text, colour=colour, fill=fill,
                       align=PP_ALIGN.LEFT if column == "unit" else PP_ALIGN.CENTER)


def _fill_cell(cell, text: str, *, bold: bool = False, colour: str = "#1A1A1A",
               fill: str | None = None, align=PP_ALIGN.CENTER) -> None:
    cell.text = ""
    paragraph = cell.text_frame.paragraphs[0]
    paragraph.alignment = align
    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(20)
    run.font.bold = bold
    run.font.color.rgb = _rgb(colour)
    if fill is not None:
        cell.fill.solid()
        cell.fill.fore_color.rgb = _rgb(fill)


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------

def dataframe_to_csv(frame: pd.DataFrame) -> bytes:
    """``frame`` as CSV bytes in UTF-8 with a byte-order mark, so Excel shows Vietnamese
    correctly when the file is double-clicked; comma separated, CRLF line ends, no index."""
    return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
