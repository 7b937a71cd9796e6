"""Presentation page (Trình chiếu): the meeting deck shown full screen, one slide at a time.

The page draws each slide as one block of HTML: the title, a table or bullets, and the chart
as an SVG drawn by the kept Chromium (the same picture as in the .pptx, sharp at any screen
size). Everything is inline: no font, script or image is fetched.
"""
from __future__ import annotations

import base64
import html

from reform.core.i18n import t
from reform.present import render
from reform.present.charts.base import group_color, text_color_on
from reform.present.deck import Deck, Slide, SlideTable, build_deck
from reform.present.exports import browser_path
from reform.store.snapshot import Snapshot

PRESENTER_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stSidebarNav"] {
  display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 1vh 2vw 0 2vw !important; max-width: 100% !important; }
[data-testid="stMain"] { margin-left: 0 !important; }
[data-testid="stMain"] .reform-slide * { font-size: inherit; }
.reform-slide { box-sizing: border-box; height: 86vh; display: flex; flex-direction: column;
  background: #ffffff; color: #111111; font-size: max(24px, 1.55vw) !important; line-height: 1.25; }
.reform-slide h1 { font-size: max(34px, 2.5vw) !important; color: #1F4E79; margin: 0 0 0.2em 0;
  padding: 0; font-weight: 700; line-height: 1.15; }
.reform-slide .sub { color: #333333; margin: 0 0 0.3em 0; white-space: pre-line; }
.reform-slide .warn { color: #B3121F; font-weight: 700; }
.reform-slide.title { justify-content: center; text-align: center; }
.reform-slide.title h1 { font-size: max(48px, 3.6vw) !important; }
.reform-slide .body { flex: 1; min-height: 0; display: flex; gap: 2vw; align-items: flex-start; }
.reform-slide .body img { flex: 1; min-width: 0; max-height: 100%; object-fit: contain; }
.reform-slide ul { margin: 0; padding-left: 1.2em; min-width: 28%; }
.reform-slide table { border-collapse: collapse; font-size: max(24px, 1.3vw) !important; }
.reform-slide th { background: #1F4E79; color: #ffffff; padding: 0.1em 0.6em; text-align: left; }
.reform-slide td { padding: 0.08em 0.6em; border-bottom: 1px solid #9a9a9a; }
.reform-slide .count { position: fixed; right: 2vw; bottom: 1vh; color: #333333; }
</style>"""
"""Full screen: the sidebar, header and toolbar hidden; slide text never under 24 px."""

KEYS_SCRIPT = """<script>
const doc = window.parent.document;
if (doc.reformSlideKeys) { doc.removeEventListener('keydown', doc.reformSlideKeys); }
doc.reformSlideKeys = (event) => {
  const target = event.target;
  if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA')) { return; }
  const keys = {ArrowRight: 'next_slide', PageDown: 'next_slide', ' ': 'next_slide',
                ArrowLeft: 'prev_slide', PageUp: 'prev_slide'};
  const key = keys[event.key];
  if (!key) { return; }
  const button = doc.querySelector('.st-key-' + key + ' button');
  if (button && !button.disabled) { event.preventDefault(); button.click(); }
};
doc.addEventListener('keydown', doc.reformSlideKeys);
</script>"""
"""Arrow keys, Page Up/Down and space press the page's previous/next buttons (the
component's frame has the app's origin, so it may listen on the app's document)."""


SVG_WIDTH, SVG_HEIGHT = 1280, 640
"""Layout size of a slide's chart on the page: the slide's chart area at 1920×1080 is about
1600 × 800 px, so the image is shown at about 1.25× and its 24 px text stays above 24 px."""


def build_presentation(data: Snapshot, *, index: str, period: str, level: str | None,
                       units: tuple[str, ...] = (), datasets: tuple[dict, ...] = (),
                       lang: str = "vi") -> Deck:
    """The deck of the scope (see ``deck.build_deck``); ``datasets`` as a tuple of the store's
    dataset rows so the page can cache on it. Raises UsageError when there is no data."""
    return build_deck(data, index=index, period=period, level=level, units=units,
                      datasets=list(datasets), lang=lang)


def slide_number(raw: object, total: int) -> int:
    """The slide to show from the URL's ``slide`` (1-based), kept within 1…``total``;
    1 for anything that is not a number."""
    try:
        number = int(str(raw))
    except ValueError:
        return 1
    return min(max(number, 1), max(total, 1))


def chart_svg(slide: Slide) -> str | None:
    """The slide's chart as an SVG data URI at projector size; None without a chart.
    Raises ReformError when Chromium cannot draw it."""
    if slide.figure is None:
        return None
    # drawn at about the size it is shown on a 1080p screen, so 24 px stays about 24 px
    figure = render.projector_figure(slide.figure, width=SVG_WIDTH, height=SVG_HEIGHT)
    svg = render.render_image(figure, "svg", width=SVG_WIDTH, height=SVG_HEIGHT, scale=1,
                              browser=browser_path())
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _table_html(table: SlideTable) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in table.columns)
    rows = []
    for i, row in enumerate(table.rows):
        group = table.groups[i] if i < len(table.groups) else None
        cells = []
        for j, text in enumerate(row):
            style = ""
            if j == table.group_column and group:
                fill = group_color(group)
                style = f' style="background:{fill};color:{text_color_on(fill)};font-weight:700"'
            cells.append(f"<td{style}>{html.escape(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def slide_html(slide: Slide, *, number: int, total: int, illustrative: bool, lang: str,
               image: str | None = None) -> str:
    """One slide as HTML: title (an ``h1``), subtitle, bullets beside the chart ``image``
    (a data URI) or the table, the slide count, and the sample warning when ``illustrative``."""
    parts = [f"<h1>{html.escape(slide.title)}</h1>"]
    if slide.subtitle:
        parts.append(f'<p class="sub">{html.escape(slide.subtitle)}</p>')
    body = []
    if slide.bullets:
        body.append("<ul>" + "".join(f"<li>{html.escape(b)}</li>" for b in slide.bullets) + "</ul>")
    if image:
        body.append(f'<img src="{image}" alt="{html.escape(slide.title)}">')
    if slide.table is not None:
        body.append(_table_html(slide.table))
    if body and slide.kind != "title":
        parts.append('<div class="body">' + "".join(body) + "</div>")
    footer = f"{number}/{total}"
    if illustrative and slide.kind != "title":
        footer = f'<span class="warn">{html.escape(t("deck.illustrative", lang))}</span> · {footer}'
    parts.append(f'<div class="count">{footer}</div>')
    kind = "title" if slide.kind == "title" else "content"
    return f'<section class="reform-slide {kind}" data-slide="{number}">{"".join(parts)}</section>'
