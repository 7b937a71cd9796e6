"""Plotly figures for the dashboard, the exports and the meeting deck; never drawn here.

Every function takes frames from ``reform.analytics`` (or built the same way) and returns a
``plotly.graph_objects.Figure`` that pages pass to ``st.plotly_chart``. Figures are meant for a
projector in a room without internet: large system fonts, high contrast, Vietnamese number
formats ("85,32") by default, and nothing fetched from the network.

Colours are fixed per group label (``GROUP_COLORS``), so "A" is the same dark green on every
chart and in the Excel export. With hundreds or thousands of units the figures stay small: the
trend background is one WebGL trace with NaN breaks held in typed arrays, rankings show the
top of the table, and box plots carry precomputed statistics rather than every point.
"""
from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from reform.core.errors import UsageError, require_lang
from reform.core.i18n import format_number, has, t
from reform.core.text import fold, sort_vietnamese

# --------------------------------------------------------------------------------------------
# Look: fonts, colours, sizes
# --------------------------------------------------------------------------------------------

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

_DARKEST_GREEN = "#00441b"
_DARK_GREEN = "#1b7837"
_LIGHT_GREEN = "#7fbc41"
_AMBER = "#e8a317"
_ORANGE = "#e66101"
_RED = "#c51b29"

GROUP_COLORS: dict[str, str] = {
    # PCI's six tiers; "Tốt" is also the top SIPAS class, so it keeps one colour everywhere.
    "Xuất sắc": _DARKEST_GREEN,
    "Rất tốt": _DARKEST_GREEN,
    "Tốt": _DARK_GREEN,
    "Khá": _LIGHT_GREEN,
    "Trung bình": _AMBER,
    "Tương đối thấp": _ORANGE,
    "Yếu": _RED,
    "Thấp": _RED,
    # PAR letter groups and the Roman-numeral groups some provinces publish.
    "A": _DARK_GREEN,
    "B": _LIGHT_GREEN,
    "C": _AMBER,
    "D": _RED,
    "Nhóm I": _DARK_GREEN,
    "Nhóm II": _LIGHT_GREEN,
    "Nhóm III": _AMBER,
    "Nhóm IV": _RED,
    # Quartiles when no thresholds are configured: Q1 is the best quarter.
    "Q1": _DARK_GREEN,
    "Q2": _LIGHT_GREEN,
    "Q3": _AMBER,
    "Q4": _RED,
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

_SEPARATORS = {"vi": ",.", "en": ".,"}  # Plotly wants the decimal mark first, then thousands.




def _check_lang(lang: str) -> None:
    require_lang(lang)


def _require(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        names = ", ".join(missing)
        raise UsageError(
            f"Bảng '{what}' thiếu cột: {names}.",
            f"The '{what}' frame lacks the columns: {names}.",
        )


# --------------------------------------------------------------------------------------------
# Small shared helpers (public ones are used by reform.exports too)
# --------------------------------------------------------------------------------------------

def group_color(label: object) -> str:
    """The colour of a group label ("A" -> dark green); grey for unknown or missing labels."""
    if label is None or (isinstance(label, float) and math.isnan(label)) or label is pd.NA:
        return UNKNOWN_GROUP_COLOR
    return GROUP_COLORS.get(str(label).strip(), UNKNOWN_GROUP_COLOR)


def text_color_on(background: str) -> str:
    """Black or white, whichever reads better on the hex colour ``background``."""
    red, green, blue = (int(background.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    # Relative luminance weights (ITU-R BT.709); 140 keeps white on the dark greens and red.
    return "#000000" if 0.2126 * red + 0.7152 * green + 0.0722 * blue > 140 else "#ffffff"


def change_label(change: object, is_new: object = False, lang: str = "vi") -> str:
    """A rank change as presenters write it: "▲ 3" (up 3 places), "▼ 2", "=", "mới" or "".

    ``change`` is positive when the unit moved up; missing means no previous period, shown
    as "mới"/"new" when ``is_new`` is true and as "" otherwise.
    """
    if change is None or change is pd.NA or (isinstance(change, float) and math.isnan(change)):
        return t("chart.new", lang) if is_new is not pd.NA and bool(is_new) else ""
    places = int(change)
    if places > 0:
        return f"▲ {places}"
    if places < 0:
        return f"▼ {-places}"
    return "="


_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def period_label(period: object, lang: str = "vi") -> str:
    """A period as readers write it: "2019-03" -> "03/2019" (vi) or "Mar 2019" (en);
    "2019-Q2" -> "Q2/2019" or "Q2 2019"; a year stays as it is."""
    text = str(period)
    if len(text) == 7 and text[4] == "-" and text[5:].isdigit():
        if lang == "en":
            month = int(text[5:])
            if 1 <= month <= 12:
                return f"{_MONTHS_EN[month - 1]} {text[:4]}"
        return f"{text[5:]}/{text[:4]}"
    if len(text) == 7 and text[4:6] == "-Q":
        return f"{text[5:]}/{text[:4]}" if lang == "vi" else f"{text[5:]} {text[:4]}"
    return text


def index_label(code: str, lang: str = "vi") -> str:
    """Display name of an index code ("PAR" -> "Chỉ số CCHC (PAR Index)"); the code if unknown."""
    key = f"index.{code}"
    return t(key, lang) if has(key) else str(code)


def _wrap(text: str, width: int = 18) -> str:
    return "<br>".join(textwrap.wrap(str(text), width=width)) or str(text)


def _as_float(series: pd.Series) -> np.ndarray:
    """Any numeric column (Int64 with <NA>, object) as a float array with NaN for missing."""
    return pd.to_numeric(series, errors="coerce").astype("float64").to_numpy(na_value=np.nan)


def _display_scores(frame: pd.DataFrame) -> tuple[np.ndarray, bool]:
    """Percent of maximum where known, else points; and whether any percent was known.

    Rankings fall back to points when maximums are unknown, so the chart does the same.
    """
    percent = _as_float(frame["percent"]) if "percent" in frame else np.full(len(frame), np.nan)
    value = _as_float(frame["value"]) if "value" in frame else np.full(len(frame), np.nan)
    scores = np.where(np.isnan(percent), value, percent)
    return scores, bool((~np.isnan(percent)).any())


def _format_score(score: float, is_percent: bool, lang: str) -> str:
    number = format_number(score, lang)
    if not is_percent or number == "–":
        return number
    return f"{number} %" if lang == "vi" else f"{number}%"


def _match_units(frame: pd.DataFrame, wanted: object) -> list[str]:
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


def _unique_names(frame: pd.DataFrame) -> list[str]:
    """Unit names as axis categories; a name shared by two units gets its id appended,
    because Plotly would otherwise draw both bars on one category."""
    names = frame["unit"].astype(str).tolist()
    counts = pd.Series(names).value_counts()
    return [
        f"{name} ({unit_id})" if counts[name] > 1 else name
        for name, unit_id in zip(names, frame["unit_id"].astype(str).tolist(), strict=True)
    ]


def _group_order(labels: Iterable[str]) -> list[str]:
    """Group labels best first (the order of GROUP_COLORS), unknown ones after, alphabetically."""
    present = list(dict.fromkeys(labels))
    known = [label for label in GROUP_COLORS if label in present]
    unknown = sort_vietnamese(label for label in present if label not in GROUP_COLORS)
    return known + unknown


def _finish(
    fig: go.Figure,
    *,
    lang: str,
    title: str,
    height: int | None = None,
    showlegend: bool = True,
    note: str = "",
) -> go.Figure:
    """Apply the common projector-friendly look to ``fig`` (which this module just built);
    ``note`` is a caveat printed under the x axis, with room made for it."""
    fig.update_layout(
        template="simple_white",
        separators=_SEPARATORS[lang],
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


def empty_figure(message: str) -> go.Figure:
    """A figure with no data and ``message`` in large type in its centre (e.g. "no data")."""
    fig = go.Figure()
    fig.add_annotation(
        text=message, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
        font={"size": 24, "color": "#555", "family": FONT_FAMILY},
    )
    fig.update_layout(
        template="simple_white",
        font={"family": FONT_FAMILY, "size": BASE_FONT_SIZE, "color": TEXT_COLOR},
        xaxis={"visible": False},
        yaxis={"visible": False},
        height=360,
        paper_bgcolor="white",
        plot_bgcolor="white",
    )
    return fig


# --------------------------------------------------------------------------------------------
# Rankings
# --------------------------------------------------------------------------------------------

RANKING_COLUMNS = ["unit_id", "unit", "rank", "value", "percent"]
"""Columns ``ranking_bars`` needs; the others of analytics' ranking table are optional."""


def ranking_bars(
    table: pd.DataFrame,
    *,
    lang: str = "vi",
    title: str | None = None,
    top_n: int | None = None,
    highlight: str | Iterable[str] | None = None,
) -> go.Figure:
    """Horizontal bars of a ranking table, best at the top, coloured by group.

    The bar is ``percent`` (``value`` where percent is unknown); the text inside it at its
    base (beside it when the bar is too short) gives the score and the rank change ("▲ 3"),
    clear of the dashed vertical line that marks the block average of all units. With more than ``MAX_FULL_UNITS`` units and no ``top_n``, the top
    ``DEFAULT_TOP_N`` are shown and the title says so; ``highlight`` (unit ids or names) are
    outlined, and kept even when outside the top.

    Returns the figure; an ``empty_figure`` when the table has no rows.
    Raises ``UsageError`` when a required column is missing or ``lang`` is unknown.
    """
    _check_lang(lang)
    _require(table, RANKING_COLUMNS, "ranking")
    if table.empty:
        return empty_figure(t("chart.no_data", lang))

    scores, is_percent = _display_scores(table)
    frame = table.assign(_score=scores, _rank=_as_float(table["rank"]))
    frame = frame.sort_values(["_rank", "_score"], ascending=[True, False], na_position="last")
    # The block average is over every unit, not only the bars shown.
    average = float(np.nanmean(frame["_score"])) if frame["_score"].notna().any() else math.nan

    total = len(frame)
    limit = top_n if top_n is not None else (DEFAULT_TOP_N if total > MAX_FULL_UNITS else None)
    marked = set(_match_units(frame, highlight))
    truncated = limit is not None and limit < total
    if truncated:
        keep = (np.arange(total) < limit) | frame["unit_id"].astype(str).isin(marked).to_numpy()
        frame = frame[keep]

    names = _unique_names(frame)
    frame = frame.assign(_name=names)
    groups = (
        frame["group"].astype("object").where(frame["group"].notna(), None)
        if "group" in frame
        else pd.Series([None] * len(frame), index=frame.index, dtype="object")
    )
    no_group = t("chart.no_group", lang)
    frame = frame.assign(_group=[no_group if g is None or str(g).strip() == "" else str(g)
                                 for g in groups])
    is_new = frame["is_new"] if "is_new" in frame else pd.Series(False, index=frame.index)
    change = frame["change"] if "change" in frame else pd.Series(pd.NA, index=frame.index)
    arrows = [change_label(c, n, lang) for c, n in zip(change, is_new, strict=True)]
    frame = frame.assign(_arrow=arrows)

    fig = go.Figure()
    order = _group_order(g for g in frame["_group"] if g != no_group)
    if (frame["_group"] == no_group).any():
        order.append(no_group)
    for group in order:
        part = frame[frame["_group"] == group]
        bar_text = [
            f"{_format_score(s, is_percent and not math.isnan(p), lang)}  {a}".rstrip()
            for s, p, a in zip(part["_score"], _as_float(part["percent"]), part["_arrow"],
                               strict=True)
        ]
        hover = [
            f"<b>{name}</b><br>{t('chart.hover.rank', lang)}: "
            f"{'' if math.isnan(r) else int(r)} {a}<br>"
            f"{t('chart.hover.score', lang)}: {_format_score(s, not math.isnan(p), lang)}<br>"
            f"{t('chart.hover.group', lang)}: {group}"
            for name, r, s, p, a in zip(part["unit"], part["_rank"], part["_score"],
                                        _as_float(part["percent"]), part["_arrow"], strict=True)
        ]
        outlined = part["unit_id"].astype(str).isin(marked).to_numpy()
        fig.add_trace(go.Bar(
            x=part["_score"].to_numpy(),
            y=part["_name"].tolist(),
            orientation="h",
            name=group,
            marker={
                "color": group_color(group if group != no_group else None),
                "line": {"color": "#000000", "width": [3 if o else 0 for o in outlined]},
            },
            text=bar_text,
            # Inside the bar at its base when it fits, far left of the average line, which
            # would otherwise run through the labels of bars ending near it; a bar too short
            # for its label keeps it outside.
            textposition="auto",
            insidetextanchor="start",
            textfont={"size": SMALL_FONT_SIZE},
            insidetextfont={"size": SMALL_FONT_SIZE,
                            "color": text_color_on(group_color(group if group != no_group
                                                               else None))},
            outsidetextfont={"size": SMALL_FONT_SIZE, "color": TEXT_COLOR},
            constraintext="none",
            cliponaxis=False,
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
        ))

    if not math.isnan(average):
        fig.add_vline(
            x=average, line_dash="dash", line_color="#000000", line_width=3, layer="above",
            annotation_text=t("chart.average", lang, value=format_number(average, lang)),
            annotation_position="top", annotation_font={"size": SMALL_FONT_SIZE},
        )

    if title is None:
        period = str(table["period"].iloc[0]) if "period" in table else ""
        title = t("chart.ranking.title", lang, period=period_label(period, lang))
        if "component" in table and str(table["component"].iloc[0]) not in ("TOTAL", "", "nan"):
            title += t("chart.ranking.component", lang, component=table["component"].iloc[0])
    if truncated:
        note = t("chart.ranking.top", lang, shown=min(limit, total), total=total)
        title = f"{title}<br><span style='font-size:{BASE_FONT_SIZE}px'>({note})</span>"

    ticktext = [f"<b>{n}</b>" if u in marked else n
                for n, u in zip(frame["_name"], frame["unit_id"].astype(str), strict=True)]
    upper = float(np.nanmax(frame["_score"])) if frame["_score"].notna().any() else 1.0
    fig.update_yaxes(
        categoryorder="array", categoryarray=names, autorange="reversed",
        tickmode="array", tickvals=names, ticktext=ticktext, showgrid=False,
    )
    fig.update_xaxes(
        title_text=t("chart.axis.percent" if is_percent else "chart.axis.points", lang),
        range=[0, max(upper, 0.0) * 1.18 or 1.0], showgrid=True,
    )
    fig.update_layout(barmode="relative",
                      legend={"traceorder": "normal", "title": {"text": t("chart.hover.group", lang)}})
    return _finish(fig, lang=lang, title=title, height=max(450, 170 + 30 * len(frame)))


# --------------------------------------------------------------------------------------------
# Trends over periods
# --------------------------------------------------------------------------------------------

SERIES_COLUMNS = ["unit_id", "unit", "period", "value", "max_value", "percent", "rank"]


def _periods(series: pd.DataFrame) -> list[str]:
    return sorted(series["period"].astype(str).unique())


def trend_lines(
    series: pd.DataFrame,
    *,
    lang: str = "vi",
    highlight: Iterable[str] = (),
    basis: str = "percent",
    flags: Sequence[tuple[str, str]] = (),
) -> go.Figure:
    """Every unit's score over periods: all as one faint grey WebGL trace, the block average
    as a dashed line, and one coloured line per highlighted unit (ids or names, at most 10).

    ``basis`` is "percent" (comparable across years) or "value" (points; a note is added when
    maximums differ between periods). ``flags`` are (period, text) methodology changes drawn
    as dotted vertical lines with the text; flags for periods not in the data are skipped.
    The grey trace uses numeric x positions (ticks labelled with the periods) and float32
    arrays with NaN between units, so 10,000 units × 10 periods stay well under 1 MB.

    Returns the figure (at most 12 traces); an ``empty_figure`` when there are no rows.
    Raises ``UsageError`` for an unknown basis, a missing column or more than 10 highlights.
    """
    _check_lang(lang)
    if basis not in ("percent", "value"):
        raise UsageError(
            f"Cơ sở so sánh '{basis}' không hợp lệ; chọn 'percent' hoặc 'value'.",
            f"Unknown basis '{basis}'; choose 'percent' or 'value'.",
        )
    _require(series, ["unit_id", "unit", "period", basis], "unit series")
    if series.empty:
        return empty_figure(t("chart.no_data", lang))
    marked = _match_units(series, highlight)
    if len(marked) > MAX_HIGHLIGHT:
        raise UsageError(
            f"Chỉ tô màu được tối đa {MAX_HIGHLIGHT} đơn vị (đã chọn {len(marked)}).",
            f"At most {MAX_HIGHLIGHT} units can be highlighted ({len(marked)} chosen).",
        )

    periods = _periods(series)
    position = {period: i for i, period in enumerate(periods)}
    frame = series.assign(period=series["period"].astype(str), _y=_as_float(series[basis]))
    wide = (frame.groupby(["unit_id", "period"])["_y"].mean().unstack("period")
            .reindex(columns=periods))
    values = wide.to_numpy(dtype="float32")
    # One NaN column after each unit breaks the line between units inside a single trace.
    y = np.hstack([values, np.full((len(values), 1), np.nan, dtype="float32")]).ravel()
    x = np.tile(np.append(np.arange(len(periods)), len(periods) - 1), len(values))
    fig = go.Figure()
    fig.add_trace(go.Scattergl(
        # The smallest integer type that holds the positions keeps the typed array compact.
        x=x.astype("uint8" if len(periods) < 256 else "uint16"), y=y, mode="lines",
        name=t("chart.trend.others", lang),
        line={"color": BACKGROUND_LINE_COLOR, "width": 1}, hoverinfo="skip",
    ))
    average = wide.mean(axis=0).to_numpy(dtype=float)  # skips NaN without a warning
    fig.add_trace(go.Scatter(
        x=list(range(len(periods))), y=[None if math.isnan(v) else round(float(v), 4)
                                        for v in average],
        mode="lines", name=t("chart.trend.average", lang),
        line={"color": "#333333", "width": 3, "dash": "dash"},
        hovertemplate=f"{t('chart.trend.average', lang)}: %{{y:.2f}}<extra></extra>",
    ))
    is_percent = basis == "percent"
    for i, unit_id in enumerate(marked):
        part = frame[frame["unit_id"].astype(str) == unit_id].sort_values("period")
        name = str(part["unit"].iloc[0])
        fig.add_trace(go.Scatter(
            x=[position[p] for p in part["period"]],
            y=part["_y"].tolist(),
            mode="lines+markers",
            name=name,
            line={"color": UNIT_PALETTE[i], "width": 4},
            marker={"size": 10},
            hovertext=[f"<b>{name}</b><br>{period_label(p, lang)}: "
                       f"{_format_score(v, is_percent, lang)}"
                       for p, v in zip(part["period"], part["_y"], strict=True)],
            hovertemplate="%{hovertext}<extra></extra>",
        ))

    for period, text in flags:
        if str(period) in position:
            fig.add_vline(
                x=position[str(period)], line_dash="dot", line_color="#555555", line_width=2,
                annotation_text=text, annotation_position="top left",
                annotation_font={"size": SMALL_FONT_SIZE},
            )
    note = ""
    if not is_percent and "max_value" in series:
        maxima = frame.assign(_m=_as_float(frame["max_value"])).groupby("period")["_m"].max()
        if maxima.dropna().nunique() > 1:
            note = t("chart.trend.max_changed", lang)
    fig.update_xaxes(
        tickmode="array", tickvals=list(range(len(periods))),
        ticktext=[period_label(p, lang) for p in periods],
        range=[-0.3, len(periods) - 0.7], title_text=t("chart.axis.period", lang), showgrid=False,
    )
    fig.update_yaxes(title_text=t("chart.axis.percent" if is_percent else "chart.axis.points", lang),
                     showgrid=True)
    return _finish(fig, lang=lang, title=t("chart.trend.title", lang), height=600, note=note)


def rank_bump(
    series: pd.DataFrame,
    *,
    lang: str = "vi",
    highlight: Iterable[str] = (),
    top_n: int = 20,
) -> go.Figure:
    """Ranks over periods (1 on top) for the ``top_n`` units of the latest period plus any
    highlighted ones; highlighted units (default: the best 10) in colour, the rest grey, each
    line named at its right end.

    Returns the figure (at most 12 traces); an ``empty_figure`` when no rank is known.
    Raises ``UsageError`` for a missing column or more than 10 highlights.
    """
    _check_lang(lang)
    _require(series, ["unit_id", "unit", "period", "rank"], "unit series")
    frame = series.assign(period=series["period"].astype(str), _rank=_as_float(series["rank"]),
                          unit_id=series["unit_id"].astype(str))
    frame = frame[frame["_rank"].notna()]
    if frame.empty:
        return empty_figure(t("chart.no_data", lang))
    periods = _periods(frame)
    latest = frame[frame["period"] == periods[-1]].sort_values(["_rank", "unit_id"])
    top_ids = latest["unit_id"].head(top_n).tolist()
    marked = _match_units(frame, highlight) or top_ids[:MAX_HIGHLIGHT]
    if len(marked) > MAX_HIGHLIGHT:
        raise UsageError(
            f"Chỉ tô màu được tối đa {MAX_HIGHLIGHT} đơn vị (đã chọn {len(marked)}).",
            f"At most {MAX_HIGHLIGHT} units can be highlighted ({len(marked)} chosen).",
        )
    shown = top_ids + [u for u in marked if u not in top_ids]
    frame = frame[frame["unit_id"].isin(shown)].sort_values(["unit_id", "period"])
    labels = {p: period_label(p, lang) for p in periods}

    fig = go.Figure()
    grey_x: list[str | None] = []
    grey_y: list[float | None] = []
    grey_text: list[str | None] = []
    for unit_id in (u for u in shown if u not in marked):
        part = frame[frame["unit_id"] == unit_id]
        grey_x += [labels[p] for p in part["period"]] + [None]
        grey_y += part["_rank"].tolist() + [None]
        grey_text += [f"{n}: {int(r)}" for n, r in zip(part["unit"], part["_rank"],
                                                        strict=True)] + [None]
    if grey_x:
        fig.add_trace(go.Scatter(
            x=grey_x, y=grey_y, mode="lines+markers", name=t("chart.trend.others", lang),
            line={"color": "#b5b5b5", "width": 2}, marker={"size": 7, "color": "#b5b5b5"},
            hovertext=grey_text, hovertemplate="%{hovertext}<extra></extra>",
        ))
    for i, unit_id in enumerate(marked):
        part = frame[frame["unit_id"] == unit_id]
        if part.empty:
            continue
        name = str(part["unit"].iloc[0])
        fig.add_trace(go.Scatter(
            x=[labels[p] for p in part["period"]], y=part["_rank"].tolist(),
            mode="lines+markers", name=name,
            line={"color": UNIT_PALETTE[i], "width": 4}, marker={"size": 12},
            hovertext=[f"<b>{name}</b><br>{labels[p]}: {t('chart.hover.rank', lang)} {int(r)}"
                       for p, r in zip(part["period"], part["_rank"], strict=True)],
            hovertemplate="%{hovertext}<extra></extra>",
        ))
    ends = frame[frame["period"] == periods[-1]].sort_values(["_rank", "unit_id"])
    colours = {u: UNIT_PALETTE[i] for i, u in enumerate(marked)}
    fig.add_trace(go.Scatter(
        x=[labels[periods[-1]]] * len(ends), y=ends["_rank"].tolist(),
        text=[f"  {n}" for n in ends["unit"]], mode="text", textposition="middle right",
        textfont={"size": SMALL_FONT_SIZE,
                  "color": [colours.get(u, "#707070") for u in ends["unit_id"]]},
        showlegend=False, hoverinfo="skip", cliponaxis=False,
    ))
    worst = float(frame["_rank"].max())
    fig.update_yaxes(
        range=[worst + 0.5, 0.5], title_text=t("chart.axis.rank", lang), showgrid=False,
        dtick=1 if worst <= 30 else None,
    )
    fig.update_xaxes(categoryorder="array", categoryarray=[labels[p] for p in periods],
                     title_text=t("chart.axis.period", lang), showgrid=False)
    fig = _finish(fig, lang=lang, title=t("chart.bump.title", lang),
                  height=max(500, 160 + 28 * int(worst)), showlegend=False)
    fig.update_layout(margin={"r": 260})
    return fig


def distribution(series: pd.DataFrame, *, lang: str = "vi") -> go.Figure:
    """One box per period of units' percent of maximum (points where percent is unknown).

    Quartiles and Tukey whiskers are computed here and handed to Plotly, so the figure stays
    small at any number of units; points beyond the whiskers are drawn as named outliers.

    Returns the figure (a box trace and an outlier trace); an ``empty_figure`` without data.
    Raises ``UsageError`` for a missing column.
    """
    _check_lang(lang)
    _require(series, ["unit_id", "unit", "period"], "unit series")
    scores, is_percent = _display_scores(series)
    frame = series.assign(_score=scores, period=series["period"].astype(str)).dropna(
        subset=["_score"])
    if frame.empty:
        return empty_figure(t("chart.no_data", lang))
    periods = _periods(frame)
    stats: dict[str, list[float]] = {k: [] for k in
                                     ("q1", "median", "q3", "lowerfence", "upperfence", "mean")}
    outliers: list[pd.DataFrame] = []
    for period in periods:
        part = frame[frame["period"] == period]
        values = part["_score"].to_numpy(dtype=float)
        q1, median, q3 = np.quantile(values, [0.25, 0.5, 0.75])
        low, high = q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)
        inside = values[(values >= low) & (values <= high)]
        stats["q1"].append(float(q1))
        stats["median"].append(float(median))
        stats["q3"].append(float(q3))
        stats["lowerfence"].append(float(inside.min()))
        stats["upperfence"].append(float(inside.max()))
        stats["mean"].append(float(values.mean()))
        outliers.append(part[(values < low) | (values > high)])
    labels = [period_label(p, lang) for p in periods]
    fig = go.Figure()
    fig.add_trace(go.Box(
        x=labels, name=t("chart.dist.box", lang), marker={"color": "#0072B2"}, showlegend=False,
        fillcolor="rgba(0, 114, 178, 0.25)", line={"color": "#0072B2", "width": 2},
        **{k: [round(v, 4) for v in values] for k, values in stats.items()},
    ))
    odd = pd.concat(outliers) if outliers else frame.iloc[0:0]
    fig.add_trace(go.Scatter(
        x=[period_label(p, lang) for p in odd["period"]], y=odd["_score"].tolist(),
        mode="markers", name=t("chart.dist.outliers", lang), showlegend=not odd.empty,
        marker={"color": "#D55E00", "size": 9},
        hovertext=[f"<b>{n}</b>: {_format_score(s, is_percent, lang)}"
                   for n, s in zip(odd["unit"], odd["_score"], strict=True)],
        hovertemplate="%{hovertext}<extra></extra>",
    ))
    fig.update_xaxes(categoryorder="array", categoryarray=labels,
                     title_text=t("chart.axis.period", lang), showgrid=False)
    fig.update_yaxes(title_text=t("chart.axis.percent" if is_percent else "chart.axis.points", lang),
                     showgrid=True)
    return _finish(fig, lang=lang, title=t("chart.dist.title", lang), height=560)


def movers_bars(movers: pd.DataFrame, *, lang: str = "vi", n: int = 5) -> go.Figure:
    """Diverging bars of the ``n`` units that gained most places and the ``n`` that lost most.

    Gainers (green, "▲ 3") on top, biggest first; losers (red, "▼ 2") below, biggest drop at
    the bottom. A note is added when ``methodology_changed`` is true for any unit.

    Returns the figure (two bar traces); an ``empty_figure`` when nobody changed rank.
    Raises ``UsageError`` for a missing column.
    """
    _check_lang(lang)
    _require(movers, ["unit_id", "unit", "rank_from", "rank_to", "rank_change"], "movers")
    frame = movers.assign(_change=_as_float(movers["rank_change"]),
                          _to=_as_float(movers["rank_to"]), _from=_as_float(movers["rank_from"]))
    up = frame[frame["_change"] > 0].sort_values(["_change", "_to"], ascending=[False, True])
    down = frame[frame["_change"] < 0].sort_values(["_change", "_to"], ascending=[False, True])
    up, down = up.head(n), down.tail(n)
    if up.empty and down.empty:
        return empty_figure(t("chart.no_data", lang))

    categories = _unique_names(pd.concat([up, down]))
    fig = go.Figure()
    start = 0
    for part, key, colour in ((up, "chart.movers.up", _DARK_GREEN), (down, "chart.movers.down", _RED)):
        names = categories[start:start + len(part)]
        start += len(part)
        fig.add_trace(go.Bar(
            x=part["_change"].to_numpy(), y=names, orientation="h", name=t(key, lang),
            marker={"color": colour},
            text=[change_label(c, lang=lang) for c in part["_change"]],
            textposition="outside", cliponaxis=False, textfont={"size": SMALL_FONT_SIZE},
            hovertext=[f"<b>{u}</b><br>{t('chart.hover.rank', lang)}: {int(a)} → {int(b)}"
                       for u, a, b in zip(part["unit"], part["_from"], part["_to"], strict=True)],
            hovertemplate="%{hovertext}<extra></extra>",
        ))
    changed = ("methodology_changed" in movers
               and bool(movers["methodology_changed"].fillna(False).astype(bool).any()))
    reach = float(np.nanmax(np.abs(frame["_change"]))) * 1.25
    fig.update_xaxes(range=[-reach, reach], zeroline=True, zerolinecolor="#333",
                     zerolinewidth=2, title_text=t("chart.movers.axis", lang), showgrid=True)
    fig.update_yaxes(categoryorder="array", categoryarray=categories, autorange="reversed",
                     showgrid=False)
    fig.update_layout(barmode="relative")
    return _finish(fig, lang=lang, title=t("chart.movers.title", lang),
                   height=max(420, 200 + 40 * len(categories)),
                   note=t("chart.movers.method", lang) if changed else "")


# --------------------------------------------------------------------------------------------
# Components
# --------------------------------------------------------------------------------------------

def component_heatmap(matrix: pd.DataFrame, *, lang: str = "vi") -> go.Figure:
    """Units (rows, in the matrix's order, first on top) × components (columns), coloured by
    % of maximum on a sequential scale from the lowest value (rounded down) to 100, so that
    the differences between units show even when every score is high; values printed in the
    cells while there are at most 40 units. The title sits above the column labels.

    Returns the figure (one heatmap trace); an ``empty_figure`` for an empty matrix.
    """
    _check_lang(lang)
    if matrix.empty:
        return empty_figure(t("chart.no_data", lang))
    units = [str(u) for u in matrix.index]
    components = [str(c) for c in matrix.columns]
    small = len(units) <= MAX_CELL_TEXT_ROWS
    z = matrix.apply(pd.to_numeric, errors="coerce").to_numpy(dtype="float32")
    zmin, zmax = heatmap_range(z)
    fig = go.Figure(go.Heatmap(
        z=z, x=components, y=units, zmin=zmin, zmax=zmax, colorscale="YlGnBu",
        colorbar={"title": {"text": "%"}, "ticksuffix": " %", "thickness": 18},
        texttemplate="%{z:.1f}" if small else None,
        textfont={"size": SMALL_FONT_SIZE},
        hovertemplate="<b>%{y}</b><br>%{x}: %{z:.2f} %<extra></extra>",
        xgap=1 if small else 0, ygap=1 if small else 0,
    ))
    fig.update_xaxes(tickmode="array", tickvals=components,
                     ticktext=[_wrap(c) for c in components], side="top", showgrid=False)
    fig.update_yaxes(autorange="reversed", showgrid=False)
    height = min(2400, 260 + (34 if small else 6) * len(units))
    fig = _finish(fig, lang=lang, title=t("chart.heatmap.title", lang), height=max(420, height),
                  showlegend=False)
    # Column labels on top grow upwards (rotated on a narrow screen): a title at a fixed
    # place in the margin would sit on them, so the title pushes the margin clear of them.
    fig.update_layout(title={"yref": "container", "automargin": True, "pad": {"b": 12}},
                      margin={"t": 40})
    return fig


def heatmap_range(z: np.ndarray, *, top: float = 100.0) -> tuple[float, float]:
    """The colour range of a % heatmap: the lowest value rounded down to a whole number, to
    ``top`` (or the highest value rounded up, when above it); (0, ``top``) without values.

    >>> heatmap_range(np.array([[64.2, 91.0], [np.nan, 100.0]]))
    (64.0, 100.0)
    """
    finite = np.asarray(z, dtype=float)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return 0.0, top
    high = max(top, float(math.ceil(finite.max())))
    low = float(math.floor(finite.min()))
    return min(low, high - 1.0), high


def correlation_heatmap(corr: pd.DataFrame, *, lang: str = "vi") -> go.Figure:
    """A correlation matrix on a diverging red–blue scale fixed at −1…1, values in the cells.

    Index codes (PAR, SIPAS …) are shown with their display names.
    Returns the figure (one heatmap trace); an ``empty_figure`` for an empty matrix.
    """
    _check_lang(lang)
    if corr.empty:
        return empty_figure(t("chart.no_data", lang))
    xs = [index_label(str(c), lang) for c in corr.columns]
    ys = [index_label(str(c), lang) for c in corr.index]
    fig = go.Figure(go.Heatmap(
        z=corr.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float),
        x=xs, y=ys, zmin=-1, zmax=1, zmid=0, colorscale="RdBu",
        texttemplate="%{z:.2f}", textfont={"size": BASE_FONT_SIZE},
        colorbar={"title": {"text": "r"}, "thickness": 18}, xgap=2, ygap=2,
        hovertemplate="%{y} × %{x}: r = %{z:.2f}<extra></extra>",
    ))
    fig.update_xaxes(tickmode="array", tickvals=xs, ticktext=[_wrap(x) for x in xs],
                     showgrid=False)
    fig.update_yaxes(autorange="reversed", showgrid=False)
    return _finish(fig, lang=lang, title=t("chart.corr.title", lang),
                   height=max(480, 220 + 90 * len(ys)), showlegend=False)


def profile_bars(strengths: pd.DataFrame, *, lang: str = "vi", unit_name: str = "") -> go.Figure:
    """Per field, the unit's % of maximum beside the block average and the block's best
    (grouped horizontal bars, fields in the frame's order from the top).

    ``block_average`` and ``block_best`` are read as % of maximum, like ``percent``.
    Returns the figure (three bar traces); an ``empty_figure`` without rows.
    Raises ``UsageError`` for a missing column.
    """
    _check_lang(lang)
    _require(strengths, ["component", "name", "percent", "block_average", "block_best"],
             "strengths")
    if strengths.empty:
        return empty_figure(t("chart.no_data", lang))
    names = [str(n) if str(n) else str(c)
             for n, c in zip(strengths["name"], strengths["component"], strict=True)]
    unit = unit_name or t("chart.profile.unit", lang)
    fig = go.Figure()
    for column, label, colour in (
        ("percent", unit, "#0072B2"),
        ("block_average", t("chart.profile.average", lang), "#9a9a9a"),
        ("block_best", t("chart.profile.best", lang), _DARK_GREEN),
    ):
        values = _as_float(strengths[column])
        fig.add_trace(go.Bar(
            x=values, y=names, orientation="h", name=label, marker={"color": colour},
            text=[format_number(v, lang, 1) for v in values] if column == "percent" else None,
            textposition="outside", cliponaxis=False, textfont={"size": SMALL_FONT_SIZE},
            hovertemplate=f"{label}<br>%{{y}}: %{{x:.2f}} %<extra></extra>",
        ))
    fig.update_yaxes(categoryorder="array", categoryarray=names, autorange="reversed",
                     tickmode="array", tickvals=names, ticktext=[_wrap(n, 28) for n in names],
                     showgrid=False)
    fig.update_xaxes(range=[0, 110], title_text=t("chart.axis.percent", lang), showgrid=True)
    fig.update_layout(barmode="group", bargap=0.25, legend={"orientation": "h", "y": -0.12})
    title = t("chart.profile.title", lang) + (f": {unit_name}" if unit_name else "")
    return _finish(fig, lang=lang, title=title, height=max(460, 200 + 90 * len(names)))


def _long_to_matrix(frame: pd.DataFrame) -> pd.DataFrame:
    """A long ranking table (unit, component, percent) as a units × components matrix."""
    units = list(dict.fromkeys(frame["unit"].astype(str)))
    components = list(dict.fromkeys(frame["component"].astype(str)))
    scores, _ = _display_scores(frame)
    wide = (frame.assign(_score=scores, unit=frame["unit"].astype(str),
                         component=frame["component"].astype(str))
            .pivot_table(index="unit", columns="component", values="_score", aggfunc="mean",
                         dropna=False))
    return wide.reindex(index=units, columns=components)


def compare_units(table_or_matrix: pd.DataFrame, *, lang: str = "vi") -> go.Figure:
    """Up to five units side by side on each component: grouped bars, one colour per unit.

    Takes a matrix (rows = units, columns = components, values %) or a long table with
    ``unit``, ``component`` and ``percent`` columns, which is pivoted first.
    Returns the figure (one bar trace per unit); an ``empty_figure`` without units.
    Raises ``UsageError`` when more than five units are given.
    """
    _check_lang(lang)
    matrix = table_or_matrix
    if {"unit", "component", "percent"} <= set(table_or_matrix.columns):
        matrix = _long_to_matrix(table_or_matrix)
    if matrix.empty:
        return empty_figure(t("chart.no_data", lang))
    if len(matrix) > MAX_COMPARE_UNITS:
        raise UsageError(
            f"Chỉ so sánh được tối đa {MAX_COMPARE_UNITS} đơn vị (đã chọn {len(matrix)}).",
            f"At most {MAX_COMPARE_UNITS} units can be compared ({len(matrix)} chosen).",
        )
    components = [str(c) for c in matrix.columns]
    fig = go.Figure()
    for i, (unit, row) in enumerate(matrix.iterrows()):
        values = pd.to_numeric(row, errors="coerce").to_numpy(dtype=float)
        fig.add_trace(go.Bar(
            x=components, y=values, name=str(unit), marker={"color": UNIT_PALETTE[i]},
            hovertemplate=f"<b>{unit}</b><br>%{{x}}: %{{y:.2f}} %<extra></extra>",
        ))
    fig.update_xaxes(tickmode="array", tickvals=components,
                     ticktext=[_wrap(c, 16) for c in components], showgrid=False)
    fig.update_yaxes(range=[0, 105], title_text=t("chart.axis.percent", lang), showgrid=True)
    fig.update_layout(barmode="group", bargap=0.2, legend={"orientation": "h", "y": 1.08})
    return _finish(fig, lang=lang, title=t("chart.compare.title", lang), height=600)


# --------------------------------------------------------------------------------------------
# Across indices
# --------------------------------------------------------------------------------------------

SCATTERGL_FROM = 1000
"""Above this many points the scatter switches to WebGL so the browser stays responsive."""

SCATTER_TITLE_WIDTH = 40
"""Beyond this many characters a scatter title breaks before "và"/"and": two index names
at title size overflow a laptop's chart width (about 800 px) on one line."""


def scatter_indices(
    frame: pd.DataFrame, x: str, y: str, *, lang: str = "vi", label_outliers: int = 5
) -> go.Figure:
    """Units placed by two indices (columns ``x`` and ``y`` of the cross-index frame), one
    point trace with unit names on hover, the least-squares line, Pearson's r in the
    subtitle (the title names both indices, on two lines when long),
    and the ``label_outliers`` units furthest from the line named on the chart.

    Units missing either index are left out. Without at least three units and some spread
    in ``x`` there is no line and no r.
    Returns the figure; an ``empty_figure`` when no unit has both indices.
    Raises ``UsageError`` when ``x`` or ``y`` is not a column.
    """
    _check_lang(lang)
    _require(frame, ["unit", x, y], "cross-index")
    data = frame.assign(_x=_as_float(frame[x]), _y=_as_float(frame[y])).dropna(
        subset=["_x", "_y"])
    if data.empty:
        return empty_figure(t("chart.no_data", lang))
    xs, ys = data["_x"].to_numpy(), data["_y"].to_numpy()
    names = data["unit"].astype(str).tolist()
    x_label, y_label = index_label(x, lang), index_label(y, lang)
    trace_type = go.Scattergl if len(data) > SCATTERGL_FROM else go.Scatter
    fig = go.Figure(trace_type(
        x=xs, y=ys, mode="markers", name=t("chart.scatter.units", lang),
        marker={"color": "#0072B2", "size": 11 if len(data) <= 200 else 6,
                "opacity": 0.85 if len(data) <= 200 else 0.5,
                "line": {"color": "white", "width": 1}},
        hovertext=names,
        hovertemplate=f"<b>%{{hovertext}}</b><br>{x_label}: %{{x:.2f}}<br>"
                      f"{y_label}: %{{y:.2f}}<extra></extra>",
    ))
    title = t("chart.scatter.title_no_r", lang, x=x_label, y=y_label)
    if len(title) > SCATTER_TITLE_WIDTH:
        title = t("chart.scatter.title_two_lines", lang, x=x_label, y=y_label)
    subtitle = ""
    if len(data) >= 3 and float(np.ptp(xs)) > 0:
        slope, intercept = np.polyfit(xs, ys, 1)
        ends = np.array([xs.min(), xs.max()])
        fig.add_trace(go.Scatter(
            x=ends, y=slope * ends + intercept, mode="lines", name=t("chart.scatter.trend", lang),
            line={"color": "#D55E00", "width": 3}, hoverinfo="skip",
        ))
        if float(np.ptp(ys)) > 0:
            r = float(np.corrcoef(xs, ys)[0, 1])
            subtitle = t("chart.scatter.r", lang, r=format_number(r, lang))
        residual = np.abs(ys - (slope * xs + intercept))
        for i in np.argsort(-residual, kind="stable")[:max(label_outliers, 0)]:
            fig.add_annotation(
                x=float(xs[i]), y=float(ys[i]), text=names[i], showarrow=True, arrowhead=0,
                ax=0, ay=-30, font={"size": SMALL_FONT_SIZE},
                bgcolor="rgba(255,255,255,0.8)",
            )
    fig.update_xaxes(title_text=x_label, showgrid=True)
    fig.update_yaxes(title_text=y_label, showgrid=True)
    fig = _finish(fig, lang=lang, title=title, height=620)
    # r on its own smaller line: two long index names and r do not fit one line of a laptop.
    fig.update_layout(title={"subtitle": {"text": subtitle,
                                          "font": {"size": BASE_FONT_SIZE, "color": "#444444"}},
                             # Anchored on the plot and pushing the margin: a title of
                             # two lines and a subtitle never leave the figure at the top.
                             "yref": "paper", "y": 1, "yanchor": "bottom", "automargin": True,
                             "pad": {"b": 40}},
                      margin={"t": 40})
    return fig


# --------------------------------------------------------------------------------------------
# Discipline
# --------------------------------------------------------------------------------------------

MONTHLY_COLUMNS = ["period", "unit_id", "unit", "violations", "officials_checked", "rate_per_100"]


def monthly_trend(monthly: pd.DataFrame, *, lang: str = "vi") -> go.Figure:
    """Violations per 100 officials checked, all units together, month by month.

    The rate is total violations / total officials checked × 100 per month (not the mean of
    units' rates, which would weigh a unit checked once like one checked a hundred times);
    a month with nobody checked has no point.
    Returns the figure (one line trace); an ``empty_figure`` without rows.
    Raises ``UsageError`` for a missing column.
    """
    _check_lang(lang)
    _require(monthly, ["period", "violations", "officials_checked"], "monthly")
    if monthly.empty:
        return empty_figure(t("chart.no_data", lang))
    totals = (monthly.assign(period=monthly["period"].astype(str),
                             violations=_as_float(monthly["violations"]),
                             officials_checked=_as_float(monthly["officials_checked"]))
              .groupby("period")[["violations", "officials_checked"]].sum().sort_index())
    checked = totals["officials_checked"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(checked > 0, totals["violations"].to_numpy() / checked * 100, np.nan)
    labels = [period_label(p, lang) for p in totals.index]
    fig = go.Figure(go.Scatter(
        x=labels, y=rate, mode="lines+markers+text" if len(labels) <= 24 else "lines+markers",
        text=[format_number(r, lang, 1) for r in rate], textposition="top center",
        textfont={"size": SMALL_FONT_SIZE}, name=t("chart.monthly.axis", lang),
        line={"color": "#D55E00", "width": 4}, marker={"size": 10},
        hovertext=[
            f"<b>{lab}</b><br>{t('chart.monthly.violations', lang)}: {format_number(v, lang, 0)}"
            f"<br>{t('chart.monthly.checked', lang)}: {format_number(c, lang, 0)}"
            f"<br>{t('chart.monthly.axis', lang)}: {format_number(r, lang)}"
            for lab, v, c, r in zip(labels, totals["violations"], checked, rate, strict=True)
        ],
        hovertemplate="%{hovertext}<extra></extra>", cliponaxis=False,
    ))
    fig.update_xaxes(categoryorder="array", categoryarray=labels, showgrid=False)
    fig.update_yaxes(title_text=t("chart.monthly.axis", lang), rangemode="tozero", showgrid=True)
    return _finish(fig, lang=lang, title=t("chart.monthly.title", lang), height=520,
                   showlegend=False)


def discipline_calendar(monthly: pd.DataFrame, *, lang: str = "vi") -> go.Figure:
    """Units (rows, Vietnamese alphabetical order) × months heatmap of ``rate_per_100``,
    darker = more violations; values in the cells while there are at most 40 units.

    Returns the figure (one heatmap trace); an ``empty_figure`` without rows.
    Raises ``UsageError`` for a missing column.
    """
    _check_lang(lang)
    _require(monthly, ["period", "unit", "rate_per_100"], "monthly")
    if monthly.empty:
        return empty_figure(t("chart.no_data", lang))
    frame = monthly.assign(period=monthly["period"].astype(str), unit=monthly["unit"].astype(str),
                           _rate=_as_float(monthly["rate_per_100"]))
    wide = frame.pivot_table(index="unit", columns="period", values="_rate", aggfunc="mean",
                             dropna=False)
    units = sort_vietnamese(wide.index)
    periods = sorted(wide.columns)
    wide = wide.reindex(index=units, columns=periods)
    labels = [period_label(p, lang) for p in periods]
    small = len(units) <= MAX_CELL_TEXT_ROWS
    z = wide.to_numpy(dtype="float32")
    # Plotly ignores zmin unless zmax is set too; 0 must stay the lightest colour.
    top = float(np.nanmax(z)) if np.isfinite(z).any() else 0.0
    fig = go.Figure(go.Heatmap(
        z=z, x=labels, y=units, colorscale="OrRd", zmin=0, zmax=max(top, 1.0),
        colorbar={"title": {"text": "/100"}, "thickness": 18},
        texttemplate="%{z:.1f}" if small else None, textfont={"size": SMALL_FONT_SIZE},
        hovertemplate=f"<b>%{{y}}</b><br>%{{x}}: %{{z:.2f}} {t('chart.monthly.axis', lang)}"
                      "<extra></extra>",
        xgap=1 if small else 0, ygap=1 if small else 0,
    ))
    fig.update_xaxes(categoryorder="array", categoryarray=labels, side="top", showgrid=False)
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig = _finish(fig, lang=lang, title=t("chart.calendar.title", lang), showlegend=False,
                  height=max(420, min(2400, 240 + (34 if small else 6) * len(units))))
    fig.update_layout(margin={"t": 160})
    return fig


def category_bars(categories: pd.DataFrame, *, lang: str = "vi") -> go.Figure:
    """Violations per inspection category, most frequent on top, the count beside each bar.

    Returns the figure (one bar trace); an ``empty_figure`` without rows.
    Raises ``UsageError`` for a missing column.
    """
    _check_lang(lang)
    _require(categories, ["category", "name", "violations"], "categories")
    if categories.empty:
        return empty_figure(t("chart.no_data", lang))
    frame = categories.assign(_n=_as_float(categories["violations"])).sort_values(
        "_n", ascending=False, kind="stable")
    names = [str(n) if str(n) else str(c)
             for n, c in zip(frame["name"], frame["category"], strict=True)]
    fig = go.Figure(go.Bar(
        x=frame["_n"].to_numpy(), y=names, orientation="h", marker={"color": "#D55E00"},
        text=[format_number(v, lang, 0) for v in frame["_n"]], textposition="outside",
        cliponaxis=False, textfont={"size": SMALL_FONT_SIZE},
        hovertemplate="<b>%{y}</b>: %{x}<extra></extra>",
    ))
    fig.update_yaxes(categoryorder="array", categoryarray=names, autorange="reversed",
                     showgrid=False)
    upper = float(np.nanmax(frame["_n"])) if frame["_n"].notna().any() else 1.0
    fig.update_xaxes(range=[0, max(upper, 1.0) * 1.15], title_text=t("chart.category.axis", lang),
                     showgrid=True)
    return _finish(fig, lang=lang, title=t("chart.category.title", lang),
                   height=max(400, 180 + 48 * len(names)), showlegend=False)
