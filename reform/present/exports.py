"""Files people take away: a formatted Excel ranking, chart images, the meeting deck, CSV.

Every function returns bytes (pages hand them to ``st.download_button``, the command line
writes them to ``--out``); nothing here touches the file system except Chromium's own
temporary profile while a chart is rendered.
"""
from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go

from reform.core import config
from reform.core.errors import UsageError, require_lang
from reform.core.i18n import format_number, t
from reform.present import render
from reform.present.charts.base import group_color, text_color_on
from reform.present.frames import best_first, is_missing, require_columns
from reform.present.labels import change_label, group_label, period_label

# The deck's model, not its builder (``deck``): that brings the analysis, the page view-models
# and the store with it, a quarter of a second of every app start (pages import this module
# for their download buttons).
from reform.present.slides import Deck, Slide, SlideTable, Source

if TYPE_CHECKING:
    from pptx.dml.color import RGBColor

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
"""Debian's Chromium: kaleido 1.x renders through a Chromium browser and finds it through
the ``BROWSER_PATH`` variable (read by choreographer) when it is not on its own search list."""

IMAGE_FORMATS = render.IMAGE_FORMATS

# openpyxl and python-pptx are imported inside the functions that write a file: loading them
# took seconds of every app start, for downloads that most visits never make. Lengths are
# EMU integers, as python-pptx's Inches and Pt make them.
EMU_PER_INCH = 914_400
EMU_PER_POINT = 12_700


def _inches(inches: float) -> int:
    return int(inches * EMU_PER_INCH)


def _pt(points: float) -> int:
    return int(points * EMU_PER_POINT)


HEADER_FILL = "1F4E79"
"""Dark blue header with white bold text: high contrast on screen and on paper."""

MAX_COLUMN_WIDTH = 50
"""Long unit names wrap rather than push the table off a printed page."""

TOP_TABLE_ROWS = 10
"""The deck's table shows the top ten: what a slide can hold at a readable size."""

SLIDE_WIDTH = _inches(13.333)
SLIDE_HEIGHT = _inches(7.5)  # 16:9, the shape of meeting-room projectors and of our PNGs



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
    sources: Sequence[Source] = (),
    as_of: str | None = None,
    illustrative: bool = False,
    today: date | None = None,
) -> bytes:
    """The ranking as a formatted .xlsx workbook, best first, and a metadata sheet.

    Layout: row 1 the title (default "Kết quả xếp hạng"), row 2 the period and component,
    row 4 the bold header on a dark fill, the units from row 5 with panes frozen under the
    header and an autofilter; numbers with two decimals, the rank change as "▲ 3" / "▼ 2" /
    "=", group cells filled with the group's chart colour; then a note row with ``subtitle``
    (where the data came from) and a legend of the arrows. ``components`` is an optional
    matrix (index = unit names as in ``table['unit']``, columns = component names, values %)
    whose columns are appended after the ranking columns.
    Published rank and group columns are included when present with at least one value.
    Text beginning with = + - @ is stored as text, never as a formula. The second sheet
    ("Thông tin") gives the title, the language of the labels (numbers are stored as
    numbers: Excel shows them with the reader's decimal mark), the export date, ``as_of``,
    whether the data are ``illustrative``, and the ``sources`` (file, version, SHA-256).

    Returns the workbook bytes. Raises ``UsageError`` when ``table`` lacks ``unit`` or
    ``rank`` or ``lang`` is unknown.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

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
    _excel_metadata(workbook.create_sheet(t("export.meta.sheet", lang)), lang=lang,
                    title=title or t("export.title", lang), sources=sources, as_of=as_of,
                    illustrative=illustrative, today=today or date.today())
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


EXCEL_HEADER_ROW = 4
"""Title, scope and a blank row above the header."""


def _border():
    """The thin grey border of every table cell."""
    from openpyxl.styles import Border, Side

    thin = Side(style="thin", color="BFBFBF")
    return Border(left=thin, right=thin, top=thin, bottom=thin)


def _excel_header(sheet, headers: list[str]) -> None:
    """The bold white header on the dark fill."""
    from openpyxl.styles import Alignment, Font, PatternFill

    border = _border()
    for j, text in enumerate(headers, start=1):
        cell = sheet.cell(row=EXCEL_HEADER_ROW, column=j, value=text)
        cell.font = Font(bold=True, color="FFFFFF", size=12)
        cell.fill = PatternFill("solid", start_color=HEADER_FILL, end_color=HEADER_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border


def _excel_value(column: str, fmt: str | None, raw: object, is_new: object, lang: str) -> object:
    """What a ranking cell holds: the change label, a number in its format, text, or None."""
    if column == "change":
        return change_label(raw, is_new, lang) or None
    if is_missing(raw):
        return None
    if fmt is not None:
        return float(raw) if fmt == "0.00" else int(raw)
    if column in ("group", "published_group") and str(raw).strip():
        return group_label(raw, lang)  # "Khá" -> "Fair" in English; the colour uses the raw
    return str(raw)


FORMULA_STARTS = ("=", "+", "-", "@")
"""A cell text starting so would run as a formula in Excel (CSV/formula injection)."""


def _set_text(cell, value: object) -> None:
    """Keep a text that looks like a formula as text: openpyxl would store "=…" as a formula,
    and Excel evaluates "+", "-", "@" too; the quote prefix makes Excel show it as typed."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.value = value
        cell.data_type = "s"
        cell.quotePrefix = True


def _excel_rows(sheet, rows: pd.DataFrame, columns: list[tuple[str, str | None]], *,
                lang: str) -> None:
    """One row per unit under the header; group cells in the group's colour."""
    from openpyxl.styles import Alignment, Font, PatternFill

    border = _border()
    is_new = rows["is_new"] if "is_new" in rows else pd.Series(False, index=rows.index)
    for i, (index, record) in enumerate(rows.iterrows(), start=EXCEL_HEADER_ROW + 1):
        for j, (column, fmt) in enumerate(columns, start=1):
            value = _excel_value(column, fmt, record[column], is_new.loc[index], lang)
            cell = sheet.cell(row=i, column=j, value=value)
            _set_text(cell, value)
            cell.border = border
            if fmt is not None:
                cell.number_format = fmt
            if column == "change":
                cell.alignment = Alignment(horizontal="center")
            if column in ("group", "published_group") and value is not None:
                colour = group_color(record[column]).lstrip("#").upper()  # ARGB in capitals
                cell.fill = PatternFill("solid", start_color=colour, end_color=colour)
                cell.font = Font(bold=True, color=text_color_on("#" + colour)[1:].upper())
                cell.alignment = Alignment(horizontal="center")


def _excel_components(sheet, rows: pd.DataFrame, components: pd.DataFrame, *,
                      first_column: int) -> None:
    """The component matrix's columns after the ranking columns, matched by unit name."""
    border = _border()
    by_unit = components.set_axis([str(u) for u in components.index], axis=0)
    for i, (_, record) in enumerate(rows.iterrows(), start=EXCEL_HEADER_ROW + 1):
        for j, component in enumerate(components.columns, start=first_column):
            value = None
            if str(record["unit"]) in by_unit.index:
                raw = pd.to_numeric(by_unit.loc[str(record["unit"]), component], errors="coerce")
                value = None if is_missing(raw) else float(raw)
            cell = sheet.cell(row=i, column=j, value=value)
            cell.number_format = "0.00"
            cell.border = border


def _excel_notes(sheet, row: int, *, subtitle: str, with_change: bool, lang: str) -> None:
    """Under the table: where the data came from, and what the arrows mean."""
    from openpyxl.styles import Font

    if subtitle:
        # pages pass the sample banner, written in Markdown for the screen
        cell = sheet.cell(row=row, column=1,
                          value=t("export.note", lang, text=subtitle.replace("**", "")))
        cell.font = Font(italic=True)
        row += 1
    if with_change:
        sheet.cell(row=row, column=1, value=t("export.change_note", lang)).font = Font(
            italic=True, color="595959")


def _excel_layout(sheet, *, width: int, last_row: int) -> None:
    """Frozen header, autofilter, column widths to the text, landscape print on one width."""
    from openpyxl.utils import get_column_letter

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


def _excel_metadata(sheet, *, lang: str, title: str, sources: Sequence[Source],
                    as_of: str | None, illustrative: bool, today: date) -> None:
    """Where the numbers come from: title, language, dates, the sample warning, the files."""
    from openpyxl.styles import Font, PatternFill

    facts = [("title", title), ("language", t("ui.language.self", lang)),
             ("date", today.isoformat()), ("as_of", as_of or "—")]
    if illustrative:
        facts.append(("illustrative", t("deck.illustrative", lang)))
    for i, (key, value) in enumerate(facts, start=1):
        sheet.cell(row=i, column=1, value=t(f"export.meta.{key}", lang)).font = Font(bold=True)
        _set_text(sheet.cell(row=i, column=2, value=value), value)
    header = len(facts) + 2
    names = ("file", "version", "index", "periods", "uploaded", "sha")
    for j, name in enumerate(names, start=1):
        cell = sheet.cell(row=header, column=j, value=t(f"deck.col.{name}", lang))
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", start_color=HEADER_FILL, end_color=HEADER_FILL)
    for i, source in enumerate(sources, start=header + 1):
        values = (source.file, source.version, source.index, ", ".join(source.periods),
                  source.uploaded_at, source.sha256)
        for j, value in enumerate(values, start=1):
            _set_text(sheet.cell(row=i, column=j, value=value), value)
    for letter, width in zip("ABCDEF", (28, 40, 10, 30, 22, 66), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = sheet.cell(row=header + 1, column=1)


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
    fig: go.Figure, fmt: str = "png", width: int = 1600, height: int = 900, scale: float = 1,
    *, keep: bool = True,
) -> bytes:
    """``fig`` rendered offline by kaleido through Chromium, as PNG or SVG bytes.

    The image is ``width`` × ``height`` layout pixels times ``scale``. MathJax is switched
    off and plotly.js comes from the installed plotly package, so nothing is fetched from
    the internet. One Chromium is kept for the process (``render.RENDERER``); ``keep=False``
    starts one for this image only.
    Raises ``UsageError`` for a format other than png/svg, ``ReformError`` (both languages)
    when no browser is available or it fails to start.
    """
    if fmt not in IMAGE_FORMATS:
        raise UsageError.of("export.bad_format", fmt=fmt)
    return render.render_image(fig, fmt, width=width, height=height, scale=scale,
                               browser=browser_path(), keep=keep)


def chart_image(fig: go.Figure, fmt: str = "png", *, illustrative: bool = False,
                lang: str = "vi") -> bytes:
    """A chart as people take it away: 1920 × 1080 layout pixels (PNG drawn at 2×), text at
    projector size, and "Dữ liệu minh họa" under the title when the data are the sample.
    Raises as :func:`figure_to_image`."""
    figure = render.projector_figure(fig)
    if illustrative:
        figure = render.with_caption(figure, t("deck.illustrative", lang))
    scale = config.SLIDE_IMAGE_SCALE if fmt == "png" else 1
    return figure_to_image(figure, fmt, width=config.SLIDE_IMAGE_WIDTH,
                           height=config.SLIDE_IMAGE_HEIGHT, scale=scale)


# --------------------------------------------------------------------------------------------
# PowerPoint
# --------------------------------------------------------------------------------------------

def _rgb(hex_colour: str) -> RGBColor:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _textbox(slide, text: str, *, left: int, top: int, width: int, height: int, size: int,
             bold: bool = False, colour: str = "#1A1A1A", align=None) -> None:
    from pptx.enum.text import PP_ALIGN

    align = PP_ALIGN.LEFT if align is None else align
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    _write_run(frame.paragraphs[0], text, size=size, bold=bold, colour=colour, align=align)


def _write_run(paragraph, text: str, *, size: int, bold: bool, colour: str, align) -> None:
    """``text`` as the paragraph's one run, in the deck's type."""
    paragraph.alignment = align
    run = paragraph.add_run()
    run.text = text
    run.font.size = _pt(size)
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
    from pptx import Presentation

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

SLIDE_MARGIN = _inches(0.6)


def _title_slide(deck, title: str, scope: str, subtitle: str) -> None:
    """The deck's first slide: title, period and (in red) a note such as "Dữ liệu minh họa"."""
    from pptx.enum.text import PP_ALIGN

    slide = deck.slides.add_slide(deck.slide_layouts[BLANK_LAYOUT])
    inner = SLIDE_WIDTH - 2 * SLIDE_MARGIN
    _textbox(slide, title, left=SLIDE_MARGIN, top=_inches(2.2), width=inner,
             height=_inches(1.6), size=40, bold=True, colour="#1F4E79", align=PP_ALIGN.CENTER)
    _textbox(slide, scope, left=SLIDE_MARGIN, top=_inches(3.9), width=inner,
             height=_inches(0.7), size=24, align=PP_ALIGN.CENTER)
    if subtitle:
        _textbox(slide, subtitle, left=SLIDE_MARGIN, top=_inches(4.7), width=inner,
                 height=_inches(0.7), size=20, colour="#C51B29", align=PP_ALIGN.CENTER)


def _points_slide(deck, sentences: Sequence[str], *, lang: str) -> None:
    """The key points as bullets, smaller type when there are more than five."""
    slide = deck.slides.add_slide(deck.slide_layouts[BLANK_LAYOUT])
    inner = SLIDE_WIDTH - 2 * SLIDE_MARGIN
    _textbox(slide, t("export.points.title", lang), left=SLIDE_MARGIN, top=_inches(0.4),
             width=inner, height=_inches(0.9), size=36, bold=True, colour="#1F4E79")
    box = slide.shapes.add_textbox(SLIDE_MARGIN, _inches(1.5), inner, SLIDE_HEIGHT - _inches(2.0))
    frame = box.text_frame
    frame.word_wrap = True
    size = 28 if len(sentences) <= 5 else 22  # more points must still fit the slide
    for i, sentence in enumerate(sentences):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = f"• {sentence}"
        run.font.size = _pt(size)
        paragraph.space_after = _pt(12)


def _top_table_slide(deck, top: pd.DataFrame, *, lang: str) -> None:
    """A slide with ``top`` as a native table: rank, unit, score, change, group."""
    from pptx.enum.text import PP_ALIGN

    slide = deck.slides.add_slide(deck.slide_layouts[6])
    margin = _inches(0.6)
    _textbox(slide, t("export.top.title", lang, n=len(top)), left=margin, top=_inches(0.3),
             width=SLIDE_WIDTH - 2 * margin, height=_inches(0.9), size=36, bold=True,
             colour="#1F4E79")
    has_percent = "percent" in top and top["percent"].notna().any()
    score_column = "percent" if has_percent else "value"
    columns = ["rank", "unit"]
    if score_column in top:
        columns.append(score_column)
    columns += [c for c in ("change", "group") if c in top]
    headers = [t(f"export.col.{c}", lang) for c in columns]
    row_height = _inches(0.5)
    shape = slide.shapes.add_table(
        len(top) + 1, len(columns), margin, _inches(1.3), SLIDE_WIDTH - 2 * margin,
        row_height * (len(top) + 1),
    )
    grid = shape.table
    widths = {"rank": 1.2, "unit": 5.6, "percent": 2.0, "value": 2.0, "change": 1.8,
              "group": 1.5}
    for j, column in enumerate(columns):
        grid.columns[j].width = _inches(widths[column])
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
               fill: str | None = None, align=None, size: int = 20) -> None:
    from pptx.enum.text import PP_ALIGN

    align = PP_ALIGN.CENTER if align is None else align
    cell.text = ""
    _write_run(cell.text_frame.paragraphs[0], text, size=size, bold=bold, colour=colour, align=align)
    if fill is not None:
        cell.fill.solid()
        cell.fill.fore_color.rgb = _rgb(fill)


# --------------------------------------------------------------------------------------------
# The meeting deck (reform.present.deck) as .pptx
# --------------------------------------------------------------------------------------------

TITLE_SLIDE_LAYOUT = 0
"""The default template's title slide: a centred title and a subtitle placeholder."""

TITLE_ONLY_LAYOUT = 5
"""The default template's 'Title Only': a real title placeholder, so PowerPoint's outline,
navigation and screen readers know each slide by its title; the body is placed here."""

TITLE_COLOUR = "#1F4E79"
WARNING_COLOUR = "#C51B29"
_CONTENT_TOP = _inches(1.45)
_FOOTER = _inches(0.45)


def deck_to_pptx(deck: Deck, *, progress: Callable[[int, int], None] | None = None) -> bytes:
    """The meeting deck (16:9) as .pptx bytes: every slide with its title in the title
    placeholder, charts as PNG pictures drawn at 2× by the kept Chromium, tables as native
    tables (group cells in the group colour), bullets at 24 pt or more, the narrative in the
    speaker notes, "Dữ liệu minh họa" on each slide of the sample; the last slide names the
    source files and versions. ``progress(done, total)`` is called after each slide.

    Raises ``ReformError`` from ``figure_to_image`` when a chart cannot be rendered.
    """
    from pptx import Presentation
    from pptx.enum.text import PP_ALIGN

    document = Presentation()
    document.slide_width, document.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    total = len(deck.slides)
    for done, model in enumerate(deck.slides, start=1):
        if model.kind == "title":
            _deck_title_slide(document, model)
        else:
            slide = _titled_slide(document, model.title)
            _deck_body(slide, model, lang=deck.lang)
        slide = document.slides[-1]
        if deck.illustrative:
            _textbox(slide, t("deck.illustrative", deck.lang), left=SLIDE_MARGIN,
                     top=SLIDE_HEIGHT - _FOOTER, width=SLIDE_WIDTH - 2 * SLIDE_MARGIN,
                     height=_inches(0.4), size=18, colour=WARNING_COLOUR, align=PP_ALIGN.RIGHT)
        if model.notes:
            slide.notes_slide.notes_text_frame.text = "\n".join(model.notes)
        if progress is not None:
            progress(done, total)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _style_title(shape, text: str, *, size: int, left: int, top: int, width: int,
                 height: int) -> None:
    """The title placeholder moved onto the 16:9 slide, in the deck's blue."""
    shape.left, shape.top, shape.width, shape.height = left, top, width, height
    shape.text_frame.text = text
    shape.text_frame.word_wrap = True
    for paragraph in shape.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = _pt(size)
            run.font.bold = True
            run.font.color.rgb = _rgb(TITLE_COLOUR)


def _deck_title_slide(document, model: Slide) -> None:
    slide = document.slides.add_slide(document.slide_layouts[TITLE_SLIDE_LAYOUT])
    inner = SLIDE_WIDTH - 2 * SLIDE_MARGIN
    _style_title(slide.shapes.title, model.title, size=44, left=SLIDE_MARGIN, top=_inches(1.8),
                 width=inner, height=_inches(1.6))
    subtitle = slide.placeholders[1]
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = (
        SLIDE_MARGIN, _inches(3.6), inner, _inches(2.4))
    subtitle.text_frame.text = model.subtitle
    for paragraph in subtitle.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = _pt(28)


def _titled_slide(document, title: str):
    slide = document.slides.add_slide(document.slide_layouts[TITLE_ONLY_LAYOUT])
    _style_title(slide.shapes.title, title, size=36, left=SLIDE_MARGIN, top=_inches(0.3),
                 width=SLIDE_WIDTH - 2 * SLIDE_MARGIN, height=_inches(1.0))
    return slide


def _deck_body(slide, model: Slide, *, lang: str) -> None:
    """Subtitle, then bullets beside a chart, a chart alone, or a table."""
    top = _CONTENT_TOP
    inner = SLIDE_WIDTH - 2 * SLIDE_MARGIN
    if model.subtitle:
        _textbox(slide, model.subtitle, left=SLIDE_MARGIN, top=_inches(1.2), width=inner,
                 height=_inches(0.5), size=22, colour="#404040")
        top = _inches(1.75)
    bottom = SLIDE_HEIGHT - _FOOTER
    left, width = SLIDE_MARGIN, inner
    if model.bullets:
        bullet_width = _inches(4.2) if model.figure is not None else inner
        _bullets(slide, model.bullets, left=left, top=top, width=bullet_width,
                 height=bottom - top)
        left, width = left + bullet_width, inner - bullet_width
    if model.figure is not None:
        _picture(slide, chart_image(model.figure, "png", lang=lang), left=left, top=top,
                 width=width, height=bottom - top)
    if model.table is not None:
        _native_table(slide, model.table, left=SLIDE_MARGIN, top=top, width=inner)


def _bullets(slide, bullets, *, left: int, top: int, width: int, height: int) -> None:
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for i, text in enumerate(bullets):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = text
        run.font.size = _pt(28)
        paragraph.space_after = _pt(14)


def _picture(slide, png: bytes, *, left: int, top: int, width: int, height: int) -> None:
    """The chart as large as the area allows at 16:9, centred in it."""
    ratio = config.SLIDE_IMAGE_WIDTH / config.SLIDE_IMAGE_HEIGHT
    w = min(width, int(height * ratio))
    h = int(w / ratio)
    slide.shapes.add_picture(io.BytesIO(png), left + (width - w) // 2, top, width=w, height=h)


def _native_table(slide, table: SlideTable, *, left: int, top: int, width: int) -> None:
    """A SlideTable as a PowerPoint table; 20 pt, 18 pt when it has more than ten rows."""
    from pptx.enum.text import PP_ALIGN

    size = 18 if len(table.rows) > 10 else 20
    row_height = _inches(0.34 if len(table.rows) > 10 else 0.45)
    shape = slide.shapes.add_table(len(table.rows) + 1, len(table.columns), left, top, width,
                                   row_height * (len(table.rows) + 1))
    grid = shape.table
    for j, text in enumerate(table.columns):
        _fill_cell(grid.cell(0, j), text, bold=True, colour="#FFFFFF", fill="#" + HEADER_FILL,
                   size=size)
    for i, row in enumerate(table.rows, start=1):
        group = table.groups[i - 1] if i - 1 < len(table.groups) else None
        for j, text in enumerate(row):
            fill = colour = None
            if j == table.group_column and group:
                fill = group_color(group)
                colour = text_color_on(fill)
            _fill_cell(grid.cell(i, j), text, colour=colour or "#1A1A1A", fill=fill, size=size,
                       align=PP_ALIGN.LEFT if len(text) > 12 else PP_ALIGN.CENTER)


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------

def dataframe_to_csv(frame: pd.DataFrame) -> bytes:
    """``frame`` as CSV bytes in UTF-8 with a byte-order mark, so Excel shows Vietnamese
    correctly when the file is double-clicked; comma separated, CRLF line ends, no index."""
    return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
