"""The look every chart shares: fonts, colours, sizes, the empty figure and small helpers.

Figures are meant for a projector in a room without internet: large system fonts, high
contrast, Vietnamese number formats ("85,32") by default, and nothing fetched from the
network. Colours are fixed per group label (``GROUP_COLORS``), so "A" is the same dark green
on every chart and in the Excel export.
"""
from __future__ import annotations

import functools
import textwrap
from collections.abc import Iterable

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from reform.core.errors import UsageError, require_lang
from reform.core.i18n import t
from reform.core.text import fold, sort_vietnamese
from reform.present.frames import is_missing, require_columns

FONT_FAMILY = "Noto Sans, DejaVu Sans, Arial, sans-serif"
"""System fonts that carry every Vietnamese diacritic; no web font is fetched."""

BASE_FONT_SIZE = 18
"""Ticks and labels must be legible from the back of a meeting room."""

TITLE_FONT_SIZE = 28
"""Titles read as the slide's headline when the chart is projected."""

SMALL_FONT_SIZE = 16
"""Hover boxes, legends and in-cell numbers: the smallest text on any chart."""

TEXT_COLOR = "#1a1a1a"
"""Near-black: full contrast on white without the harshness of pure black on projectors."""

GRID_COLOR = "#e3e3e3"
"""Grid lines faint enough not to compete with the data."""

UNKNOWN_GROUP_COLOR = "#8c8c8c"
"""Mid grey for group labels nobody configured a colour for."""

DARKEST_GREEN = "#00441b"
DARK_GREEN = "#1b7837"
LIGHT_GREEN = "#7fbc41"
AMBER = "#e8a317"
ORANGE = "#e66101"
RED = "#c51b29"

GROUP_COLORS: dict[str, str] = {
    # PCI's six tiers; "Tốt" is also the top SIPAS class, so it keeps one colour everywhere.
    "Xuất sắc": DARKEST_GREEN,
    "Rất tốt": DARKEST_GREEN,
    "Tốt": DARK_GREEN,
    "Khá": LIGHT_GREEN,
    "Trung bình": AMBER,
    "Tương đối thấp": ORANGE,
    "Yếu": RED,
    "Thấp": RED,
    # PAR letter groups and the Roman-numeral groups some provinces publish.
    "A": DARK_GREEN,
    "B": LIGHT_GREEN,
    "C": AMBER,
    "D": RED,
    "Nhóm I": DARK_GREEN,
    "Nhóm II": LIGHT_GREEN,
    "Nhóm III": AMBER,
    "Nhóm IV": RED,
    # Quartiles when no thresholds are configured: Q1 is the best quarter.
    "Q1": DARK_GREEN,
    "Q2": LIGHT_GREEN,
    "Q3": AMBER,
    "Q4": RED,
}
"""One colour per group label across every chart and export, best dark green to worst red;
the order of this dict (best first) is also the legend order."""

UNIT_PALETTE: tuple[str, ...] = (
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00",
    "#56B4E9", "#000000", "#882255", "#332288", "#999933",
)
"""Okabe–Ito (without its yellow, invisible on a projector) plus three of Paul Tol's muted
colours: ten hues told apart by colour-blind readers, one per highlighted unit."""

SCORE_BAR_COLOR = UNIT_PALETTE[0]
"""Neutral blue for score bars in tables (``st.column_config.ProgressColumn``): Streamlit's
default primary red reads as "bad" on every score, good or not."""

BACKGROUND_LINE_COLOR = "rgba(110, 110, 110, 0.22)"
"""Faint grey for the mass of units behind the highlighted ones."""

MAX_FULL_UNITS = 60
"""Beyond this many bars a ranking no longer fits a slide; show the top instead."""

DEFAULT_TOP_N = 30
"""Top of the table shown when a block is too large to show whole."""

MAX_HIGHLIGHT = 10
"""More coloured lines than the palette has hues cannot be told apart."""

MAX_CELL_TEXT_ROWS = 40
"""Heatmaps print values in cells only while the cells stay big enough to read."""

MAX_COMPARE_UNITS = 5
"""Grouped bars stop being comparable beyond five bars per component."""

SEPARATORS = {"vi": ",.", "en": ".,"}  # Plotly wants the decimal mark first, then thousands.


def check_input(frame: pd.DataFrame, columns: Iterable[str], what: str, lang: str) -> None:
    """Raise ``UsageError`` for an unknown ``lang`` or a column ``frame`` lacks."""
    require_lang(lang)
    require_columns(frame, columns, "chart.missing_columns", what=what)


def group_color(label: object) -> str:
    """The colour of a group label ("A" -> dark green); grey for unknown or missing labels."""
    if is_missing(label):
        return UNKNOWN_GROUP_COLOR
    return GROUP_COLORS.get(str(label).strip(), UNKNOWN_GROUP_COLOR)


def text_color_on(background: str) -> str:
    """Black or white, whichever reads better on the hex colour ``background``."""
    red, green, blue = (int(background.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    # Relative luminance weights (ITU-R BT.709); 140 keeps white on the dark greens and red.
    return "#000000" if 0.2126 * red + 0.7152 * green + 0.0722 * blue > 140 else "#ffffff"


def wrap(text: str, width: int = 18) -> str:
    """``text`` broken into lines of about ``width`` characters for an axis label."""
    return "<br>".join(textwrap.wrap(str(text), width=width)) or str(text)


def sorted_periods(series: pd.DataFrame) -> list[str]:
    """The frame's periods as text, oldest first."""
    return sorted(series["period"].astype(str).unique())


def match_units(frame: pd.DataFrame, wanted: object) -> list[str]:
    """unit_ids of ``wanted`` (ids or names, any spelling), in the order asked, no repeats."""
    if wanted is None:
        return []
    items = [wanted] if isinstance(wanted, str) else list(wanted)
    ids = frame["unit_id"].astype(str).tolist()
    by_name: dict[str, str] = {}
    for unit_id, name in zip(ids, frame["unit"].astype(str).tolist(), strict=True):
        by_name.setdefault(fold(name), unit_id)
    known = set(ids)
    found: list[str] = []
    for item in items:
        unit_id = str(item) if str(item) in known else by_name.get(fold(item))
        if unit_id is not None and unit_id not in found:
            found.append(unit_id)
    return found


def check_highlight(marked: list[str]) -> None:
    """Raise ``UsageError`` when more units are highlighted than the palette has hues."""
    if len(marked) > MAX_HIGHLIGHT:
        raise UsageError.of("chart.too_many_highlights", most=MAX_HIGHLIGHT, n=len(marked))


def unique_names(frame: pd.DataFrame) -> list[str]:
    """Unit names as axis categories; a name shared by two units gets its id appended,
    because Plotly would otherwise draw both bars on one category."""
    names = frame["unit"].astype(str).tolist()
    counts = pd.Series(names).value_counts()
    return [
        f"{name} ({unit_id})" if counts[name] > 1 else name
        for name, unit_id in zip(names, frame["unit_id"].astype(str).tolist(), strict=True)
    ]


def group_order(labels: Iterable[str]) -> list[str]:
    """Group labels best first (the order of GROUP_COLORS), unknown ones after, alphabetically."""
    present = list(dict.fromkeys(labels))
    known = [label for label in GROUP_COLORS if label in present]
    unknown = sort_vietnamese(label for label in present if label not in GROUP_COLORS)
    return known + unknown


TRACE_TYPES = ("bar", "box", "heatmap", "scatter", "scattergl")
"""The trace types the charts draw (tests/test_chart_template.py reads them from the code)."""


@functools.cache
def template() -> go.layout.Template:
    """Plotly's "simple_white", its layout and the defaults of ``TRACE_TYPES`` only: what a
    chart looks like is the same, but the first chart after a start builds a fifth of the
    template (0.13 → 0.05 s of a restart's first page) and each figure carries it, not the
    defaults of twenty other trace types. Shared: figures copy it when they take it."""
    full = pio.templates["simple_white"]
    return go.layout.Template(layout=full.layout, data={kind: full.data[kind] for kind in TRACE_TYPES})


def finish(
    fig: go.Figure,
    *,
    lang: str,
    title: str,
    height: int | None = None,
    showlegend: bool = True,
    note: str = "",
) -> go.Figure:
    """Apply the common projector-friendly look to ``fig`` (which a chart just built);
    ``note`` is a caveat printed under the x axis, with room made for it."""
    fig.update_layout(
        template=template(),
        separators=SEPARATORS[lang],
        font={"family": FONT_FAMILY, "size": BASE_FONT_SIZE, "color": TEXT_COLOR},
        title={"text": title, "font": {"size": TITLE_FONT_SIZE}, "x": 0.01, "xanchor": "left"},
        hoverlabel={"font": {"family": FONT_FAMILY, "size": SMALL_FONT_SIZE}},
        legend={"font": {"size": SMALL_FONT_SIZE}},
        colorway=list(UNIT_PALETTE),
        showlegend=showlegend,
        margin={"l": 20, "r": 40, "t": 110, "b": 70},
        paper_bgcolor="white",
        plot_bgcolor="white",
        height=height,
    )
    fig.update_xaxes(automargin=True, gridcolor=GRID_COLOR, linecolor="#555", ticks="")
    fig.update_yaxes(automargin=True, gridcolor=GRID_COLOR, linecolor="#555", ticks="")
    if note:
        # Pixel offsets from the plot's bottom edge keep the note below the axis title
        # whatever the figure's height.
        fig.add_annotation(
            text=note, xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top",
            yshift=-75, showarrow=False, font={"size": SMALL_FONT_SIZE, "color": "#444444"},
        )
        fig.update_layout(margin={"b": 130})
    return fig


def limit_rows(wide: pd.DataFrame, limit: int, *, extremes: bool) -> pd.DataFrame:
    """At most ``limit`` rows of a unit × column matrix, ordered by their mean (highest
    first): with ``extremes`` the highest and lowest halves with a row "⋯" (no values)
    between them, else the highest. A matrix within the limit comes back unchanged.

    A heatmap of 10,000 units is 2 MB of JSON and one pixel per unit; the units at both
    ends of the spread are what a reader looks for in it.
    """
    if len(wide) <= limit:
        return wide
    mean = wide.apply(pd.to_numeric, errors="coerce").mean(axis=1, skipna=True)
    order = mean.reset_index(drop=True).sort_values(ascending=False, kind="stable",
                                                    na_position="last").index
    if not extremes:
        return wide.iloc[order[:limit]]
    half = limit // 2
    gap = pd.DataFrame(np.nan, index=["⋯"], columns=wide.columns)
    return pd.concat([wide.iloc[order[:half]], gap, wide.iloc[order[-half:]]])


def empty_figure(message: str) -> go.Figure:
    """A figure with no data and ``message`` in large type in its centre (e.g. "no data")."""
    fig = go.Figure()
    fig.add_annotation(
        text=message, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
        font={"size": 24, "color": "#555", "family": FONT_FAMILY},
    )
    fig.update_layout(
        template=template(),
        font={"family": FONT_FAMILY, "size": BASE_FONT_SIZE, "color": TEXT_COLOR},
        xaxis={"visible": False},
        yaxis={"visible": False},
        height=360,
        paper_bgcolor="white",
        plot_bgcolor="white",
    )
    return fig


def no_data(lang: str) -> go.Figure:
    """The empty figure saying there is nothing to chart, in ``lang``."""
    return empty_figure(t("chart.no_data", lang))


def score_axis_title(is_percent: bool, lang: str) -> str:
    """"% điểm tối đa" or "Điểm": what a score axis measures."""
    return t("chart.axis.percent" if is_percent else "chart.axis.points", lang)

