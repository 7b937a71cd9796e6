"""Charts over periods: every unit's line, ranks over time, the spread, the biggest movers.

With hundreds or thousands of units the figures stay small: the trend background is one
WebGL trace with NaN breaks held in typed arrays, and box plots carry precomputed statistics
rather than every point.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from reform.core.errors import UsageError
from reform.core.i18n import t
from reform.present.charts.base import (
    BACKGROUND_LINE_COLOR,
    DARK_GREEN,
    MAX_HIGHLIGHT,
    RED,
    SMALL_FONT_SIZE,
    UNIT_PALETTE,
    check_highlight,
    check_input,
    finish,
    match_units,
    no_data,
    score_axis_title,
    sorted_periods,
    unique_names,
)
from reform.present.frames import as_float, display_scores
from reform.present.labels import change_label, period_label, score_text

SERIES_COLUMNS = ["unit_id", "unit", "period", "value", "max_value", "percent", "rank"]
BASES = ("percent", "value")
"""What a trend line can measure: % of maximum (comparable across years) or points."""


def trend_lines(
    series: pd.DataFrame,
    *,
    lang: str = "vi",
    highlight: Iterable[str] = (),
    basis: str = "percent",
    flags: Sequence[tuple[str, str]] = (),
    composite: pd.DataFrame | None = None,
    composite_name: str = "",
    endings: Mapping[str, str] | None = None,
) -> go.Figure:
    """Every unit's score over periods: all as one faint grey WebGL trace, the block average
    as a dashed line, and one coloured line per highlighted unit (ids or names, at most 10).

    ``composite`` (rows of the series' shape) is a new unit's history before it existed, its
    predecessors' mean: drawn dashed in the first highlighted unit's colour, named
    ``composite_name``. ``endings`` (unit_id -> text, e.g. "merged into … on 1/7/2025") are
    written at the last point of the highlighted units that have one.

    ``basis`` is "percent" (comparable across years) or "value" (points; a note is added when
    maximums differ between periods). ``flags`` are (period, text) methodology changes drawn
    as dotted vertical lines with the text; flags for periods not in the data are skipped.
    The grey trace uses numeric x positions (ticks labelled with the periods) and float32
    arrays with NaN between units, so 10,000 units × 10 periods stay well under 1 MB.

    Returns the figure (at most 13 traces); an ``empty_figure`` when there are no rows.
    Raises ``UsageError`` for an unknown basis, a missing column or more than 10 highlights.
    """
    if basis not in BASES:
        check_input(series, [], "unit series", lang)
        raise UsageError.of("chart.bad_basis", basis=basis)
    check_input(series, ["unit_id", "unit", "period", basis], "unit series", lang)
    if series.empty:
        return no_data(lang)
    marked = match_units(series, highlight)
    check_highlight(marked)
    periods = sorted_periods(series)
    frame = series.assign(period=series["period"].astype(str), _y=as_float(series[basis]))
    wide = (frame.groupby(["unit_id", "period"])["_y"].mean().unstack("period")
            .reindex(columns=periods))
    fig = go.Figure([_background(wide, lang), _average_line(wide, lang)])
    position = {period: i for i, period in enumerate(periods)}
    for i, unit_id in enumerate(marked):
        part = frame[frame["unit_id"].astype(str) == unit_id].sort_values("period")
        fig.add_trace(_unit_line(part, position, colour=UNIT_PALETTE[i],
                                 is_percent=basis == "percent", lang=lang))
    if composite is not None and not composite.empty:
        fig.add_trace(_composite_line(composite, position, basis=basis, name=composite_name,
                                      lang=lang))
    _add_endings(fig, frame, marked, endings or {}, position)
    _add_flags(fig, flags, position)
    fig.update_xaxes(
        tickmode="array", tickvals=list(range(len(periods))),
        ticktext=[period_label(p, lang) for p in periods],
        range=[-0.3, len(periods) - 0.7], title_text=t("chart.axis.period", lang), showgrid=False,
    )
    fig.update_yaxes(title_text=score_axis_title(basis == "percent", lang), showgrid=True)
    return finish(fig, lang=lang, title=t("chart.trend.title", lang), height=600,
                  note=_maxima_note(frame, basis, lang))


def _background(wide: pd.DataFrame, lang: str) -> go.Scattergl:
    """All units as one grey WebGL line, broken by a NaN after each unit."""
    periods = len(wide.columns)
    values = wide.to_numpy(dtype="float32")
    y = np.hstack([values, np.full((len(values), 1), np.nan, dtype="float32")]).ravel()
    x = np.tile(np.append(np.arange(periods), periods - 1), len(values))
    return go.Scattergl(
        # The smallest integer type that holds the positions keeps the typed array compact.
        x=x.astype("uint8" if periods < 256 else "uint16"), y=y, mode="lines",
        name=t("chart.trend.others", lang),
        line={"color": BACKGROUND_LINE_COLOR, "width": 1}, hoverinfo="skip",
    )


def _average_line(wide: pd.DataFrame, lang: str) -> go.Scatter:
    """The block average per period, dashed."""
    average = wide.mean(axis=0).to_numpy(dtype=float)  # skips NaN without a warning
    return go.Scatter(
        x=list(range(len(average))),
        y=[None if math.isnan(v) else round(float(v), 4) for v in average],
        mode="lines", name=t("chart.trend.average", lang),
        line={"color": "#333333", "width": 3, "dash": "dash"},
        hovertemplate=f"{t('chart.trend.average', lang)}: %{{y:.2f}}<extra></extra>",
    )


def _unit_line(part: pd.DataFrame, position: dict[str, int], *, colour: str, is_percent: bool,
               lang: str) -> go.Scatter:
    """One highlighted unit's line, its scores on hover."""
    name = str(part["unit"].iloc[0])
    return go.Scatter(
        x=[position[p] for p in part["period"]], y=part["_y"].tolist(), mode="lines+markers",
        name=name, line={"color": colour, "width": 4}, marker={"size": 10},
        hovertext=[f"<b>{name}</b><br>{period_label(p, lang)}: {score_text(v, is_percent, lang)}"
                   for p, v in zip(part["period"], part["_y"], strict=True)],
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _composite_line(composite: pd.DataFrame, position: dict[str, int], *, basis: str,
                    name: str, lang: str) -> go.Scatter:
    """A new unit's history before it existed (its predecessors' mean), dashed, in the colour
    of the unit's own line; the coverage ("13/14") on hover."""
    part = composite.assign(period=composite["period"].astype(str),
                            _y=as_float(composite[basis]))
    part = part[part["period"].isin(position)].sort_values("period")
    coverage = part["coverage"] if "coverage" in part else pd.Series("", index=part.index)
    is_percent = basis == "percent"
    return go.Scatter(
        x=[position[p] for p in part["period"]], y=part["_y"].tolist(), mode="lines+markers",
        name=name, line={"color": UNIT_PALETTE[0], "width": 3, "dash": "dash"},
        marker={"size": 8, "symbol": "circle-open"},
        hovertext=[f"<b>{name}</b><br>{period_label(p, lang)}: {score_text(v, is_percent, lang)}"
                   + (f" ({c})" if c else "")
                   for p, v, c in zip(part["period"], part["_y"], coverage, strict=True)],
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _add_endings(fig: go.Figure, frame: pd.DataFrame, marked: list[str],
                 endings: Mapping[str, str], position: dict[str, int]) -> None:
    """The note at the last point of each highlighted unit whose line ends there."""
    for i, unit_id in enumerate(marked):
        text = endings.get(unit_id)
        part = frame[(frame["unit_id"].astype(str) == unit_id) & frame["_y"].notna()]
        if not text or part.empty:
            continue
        last = part.sort_values("period").iloc[-1]
        fig.add_annotation(x=position[last["period"]], y=float(last["_y"]), text=text,
                           showarrow=True, arrowhead=0, ax=0, ay=-36, xanchor="center",
                           font={"size": SMALL_FONT_SIZE, "color": UNIT_PALETTE[i]},
                           bgcolor="rgba(255, 255, 255, 0.85)")


def _add_flags(fig: go.Figure, flags: Sequence[tuple[str, str]], position: dict[str, int]) -> None:
    """Dotted vertical lines at the periods whose methodology changed."""
    for period, text in flags:
        if str(period) in position:
            fig.add_vline(
                x=position[str(period)], line_dash="dot", line_color="#555555", line_width=2,
                annotation_text=text, annotation_position="top left",
                annotation_font={"size": SMALL_FONT_SIZE},
            )


def _maxima_note(frame: pd.DataFrame, basis: str, lang: str) -> str:
    """A caveat when points are compared across periods whose maxima differ; "" otherwise."""
    if basis == "percent" or "max_value" not in frame:
        return ""
    maxima = frame.assign(_m=as_float(frame["max_value"])).groupby("period")["_m"].max()
    return t("chart.trend.max_changed", lang) if maxima.dropna().nunique() > 1 else ""


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
    check_input(series, ["unit_id", "unit", "period", "rank"], "unit series", lang)
    frame = series.assign(period=series["period"].astype(str), _rank=as_float(series["rank"]),
                          unit_id=series["unit_id"].astype(str))
    frame = frame[frame["_rank"].notna()]
    if frame.empty:
        return no_data(lang)
    periods = sorted_periods(frame)
    latest = frame[frame["period"] == periods[-1]].sort_values(["_rank", "unit_id"])
    top_ids = latest["unit_id"].head(top_n).tolist()
    marked = match_units(frame, highlight) or top_ids[:MAX_HIGHLIGHT]
    check_highlight(marked)
    shown = top_ids + [u for u in marked if u not in top_ids]
    frame = frame[frame["unit_id"].isin(shown)].sort_values(["unit_id", "period"])
    labels = {p: period_label(p, lang) for p in periods}
    fig = go.Figure()
    grey = _grey_ranks(frame, [u for u in shown if u not in marked], labels, lang)
    if grey is not None:
        fig.add_trace(grey)
    for i, unit_id in enumerate(marked):
        part = frame[frame["unit_id"] == unit_id]
        if not part.empty:
            fig.add_trace(_rank_line(part, labels, UNIT_PALETTE[i], lang))
    fig.add_trace(_end_names(frame, periods[-1], labels, marked))
    worst = float(frame["_rank"].max())
    fig.update_yaxes(range=[worst + 0.5, 0.5], title_text=t("chart.axis.rank", lang),
                     showgrid=False, dtick=1 if worst <= 30 else None)
    fig.update_xaxes(categoryorder="array", categoryarray=[labels[p] for p in periods],
                     title_text=t("chart.axis.period", lang), showgrid=False)
    fig = finish(fig, lang=lang, title=t("chart.bump.title", lang),
                 height=max(500, 160 + 28 * int(worst)), showlegend=False)
    fig.update_layout(margin={"r": 260})
    return fig


def _grey_ranks(frame: pd.DataFrame, others: list[str], labels: dict[str, str],
                lang: str) -> go.Scatter | None:
    """The units not highlighted as one grey trace broken between units; None when none."""
    xs: list[str | None] = []
    ys: list[float | None] = []
    texts: list[str | None] = []
    for unit_id in others:
        part = frame[frame["unit_id"] == unit_id]
        xs += [labels[p] for p in part["period"]] + [None]
        ys += part["_rank"].tolist() + [None]
        texts += [f"{n}: {int(r)}" for n, r in zip(part["unit"], part["_rank"], strict=True)]
        texts.append(None)
    if not xs:
        return None
    return go.Scatter(
        x=xs, y=ys, mode="lines+markers", name=t("chart.trend.others", lang),
        line={"color": "#b5b5b5", "width": 2}, marker={"size": 7, "color": "#b5b5b5"},
        hovertext=texts, hovertemplate="%{hovertext}<extra></extra>",
    )


def _rank_line(part: pd.DataFrame, labels: dict[str, str], colour: str, lang: str) -> go.Scatter:
    """One highlighted unit's ranks, in its colour."""
    name = str(part["unit"].iloc[0])
    return go.Scatter(
        x=[labels[p] for p in part["period"]], y=part["_rank"].tolist(),
        mode="lines+markers", name=name,
        line={"color": colour, "width": 4}, marker={"size": 12},
        hovertext=[f"<b>{name}</b><br>{labels[p]}: {t('chart.hover.rank', lang)} {int(r)}"
                   for p, r in zip(part["period"], part["_rank"], strict=True)],
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _end_names(frame: pd.DataFrame, last: str, labels: dict[str, str],
               marked: list[str]) -> go.Scatter:
    """Each line's unit named at its right end, in the line's colour."""
    ends = frame[frame["period"] == last].sort_values(["_rank", "unit_id"])
    colours = {u: UNIT_PALETTE[i] for i, u in enumerate(marked)}
    return go.Scatter(
        x=[labels[last]] * len(ends), y=ends["_rank"].tolist(),
        text=[f"  {n}" for n in ends["unit"]], mode="text", textposition="middle right",
        textfont={"size": SMALL_FONT_SIZE,
                  "color": [colours.get(u, "#707070") for u in ends["unit_id"]]},
        showlegend=False, hoverinfo="skip", cliponaxis=False,
    )


def distribution(series: pd.DataFrame, *, lang: str = "vi") -> go.Figure:
    """One box per period of units' percent of maximum (points where percent is unknown).

    Quartiles and Tukey whiskers are computed here and handed to Plotly, so the figure stays
    small at any number of units; points beyond the whiskers are drawn as named outliers.

    Returns the figure (a box trace and an outlier trace); an ``empty_figure`` without data.
    Raises ``UsageError`` for a missing column.
    """
    check_input(series, ["unit_id", "unit", "period"], "unit series", lang)
    scores, is_percent = display_scores(series)
    frame = series.assign(_score=scores, period=series["period"].astype(str)).dropna(
        subset=["_score"])
    if frame.empty:
        return no_data(lang)
    periods = sorted_periods(frame)
    stats, odd = _box_statistics(frame, periods)
    labels = [period_label(p, lang) for p in periods]
    fig = go.Figure()
    fig.add_trace(go.Box(
        x=labels, name=t("chart.dist.box", lang), marker={"color": "#0072B2"}, showlegend=False,
        fillcolor="rgba(0, 114, 178, 0.25)", line={"color": "#0072B2", "width": 2},
        **{k: [round(v, 4) for v in values] for k, values in stats.items()},
    ))
    fig.add_trace(go.Scatter(
        x=[period_label(p, lang) for p in odd["period"]], y=odd["_score"].tolist(),
        mode="markers", name=t("chart.dist.outliers", lang), showlegend=not odd.empty,
        marker={"color": "#D55E00", "size": 9},
        hovertext=[f"<b>{n}</b>: {score_text(s, is_percent, lang)}"
                   for n, s in zip(odd["unit"], odd["_score"], strict=True)],
        hovertemplate="%{hovertext}<extra></extra>",
    ))
    fig.update_xaxes(categoryorder="array", categoryarray=labels,
                     title_text=t("chart.axis.period", lang), showgrid=False)
    fig.update_yaxes(title_text=score_axis_title(is_percent, lang), showgrid=True)
    return finish(fig, lang=lang, title=t("chart.dist.title", lang), height=560)


def _box_statistics(frame: pd.DataFrame,
                    periods: list[str]) -> tuple[dict[str, list[float]], pd.DataFrame]:
    """Per period: quartiles, Tukey fences and mean; and the rows beyond the fences."""
    stats: dict[str, list[float]] = {k: [] for k in
                                     ("q1", "median", "q3", "lowerfence", "upperfence", "mean")}
    outliers: list[pd.DataFrame] = []
    for period in periods:
        part = frame[frame["period"] == period]
        values = part["_score"].to_numpy(dtype=float)
        q1, median, q3 = np.quantile(values, [0.25, 0.5, 0.75])
        low, high = q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)
        inside = values[(values >= low) & (values <= high)]
        for key, value in (("q1", q1), ("median", median), ("q3", q3),
                           ("lowerfence", inside.min()), ("upperfence", inside.max()),
                           ("mean", values.mean())):
            stats[key].append(float(value))
        outliers.append(part[(values < low) | (values > high)])
    return stats, (pd.concat(outliers) if outliers else frame.iloc[0:0])


def movers_bars(movers: pd.DataFrame, *, lang: str = "vi", n: int = 5) -> go.Figure:
    """Diverging bars of the ``n`` units that gained most places and the ``n`` that lost most.

    Gainers (green, "▲ 3") on top, biggest first; losers (red, "▼ 2") below, biggest drop at
    the bottom. A note is added when ``methodology_changed`` is true for any unit.

    Returns the figure (two bar traces); an ``empty_figure`` when nobody changed rank.
    Raises ``UsageError`` for a missing column.
    """
    check_input(movers, ["unit_id", "unit", "rank_from", "rank_to", "rank_change"], "movers",
                lang)
    frame = movers.assign(_change=as_float(movers["rank_change"]),
                          _to=as_float(movers["rank_to"]), _from=as_float(movers["rank_from"]))
    up = frame[frame["_change"] > 0].sort_values(["_change", "_to"], ascending=[False, True])
    down = frame[frame["_change"] < 0].sort_values(["_change", "_to"], ascending=[False, True])
    up, down = up.head(n), down.tail(n)
    if up.empty and down.empty:
        return no_data(lang)
    categories = unique_names(pd.concat([up, down]))
    fig = go.Figure([
        _mover_bars(up, categories[:len(up)], "chart.movers.up", DARK_GREEN, lang),
        _mover_bars(down, categories[len(up):], "chart.movers.down", RED, lang),
    ])
    changed = ("methodology_changed" in movers
               and bool(movers["methodology_changed"].fillna(False).astype(bool).any()))
    reach = float(np.nanmax(np.abs(frame["_change"]))) * 1.25
    fig.update_xaxes(range=[-reach, reach], zeroline=True, zerolinecolor="#333",
                     zerolinewidth=2, title_text=t("chart.movers.axis", lang), showgrid=True)
    fig.update_yaxes(categoryorder="array", categoryarray=categories, autorange="reversed",
                     showgrid=False)
    fig.update_layout(barmode="relative")
    return finish(fig, lang=lang, title=t("chart.movers.title", lang),
                  height=max(420, 200 + 40 * len(categories)),
                  note=t("chart.movers.method", lang) if changed else "")


def _mover_bars(part: pd.DataFrame, names: list[str], key: str, colour: str,
                lang: str) -> go.Bar:
    """Gainers or losers as bars of places changed, "▲ 3" beside each."""
    return go.Bar(
        x=part["_change"].to_numpy(), y=names, orientation="h", name=t(key, lang),
        marker={"color": colour},
        text=[change_label(c, lang=lang) for c in part["_change"]],
        textposition="outside", cliponaxis=False, textfont={"size": SMALL_FONT_SIZE},
        hovertext=[f"<b>{u}</b><br>{t('chart.hover.rank', lang)}: {int(a)} → {int(b)}"
                   for u, a, b in zip(part["unit"], part["_from"], part["_to"], strict=True)],
        hovertemplate="%{hovertext}<extra></extra>",
    )
