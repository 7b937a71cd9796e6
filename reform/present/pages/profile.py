"""Unit profile page: one unit's standing, history, fields against its block, where it
lost points, and its sentences."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from reform.analysis import components, ranking, scope, trends
from reform.core.errors import UsageError
from reform.core.i18n import t
from reform.present import narrative
from reform.present.pages.base import Snapshot


def lost_points(strengths: pd.DataFrame, *, lang: str = "vi") -> pd.DataFrame:
    """Where a unit lost points: its fields from ``strengths_weaknesses``, most points lost
    first, with headers in ``lang``.

    Returns columns Thành phần, Điểm, Điểm tối đa, Điểm bị trừ, % tối đa, TB khối (%),
    Cao nhất khối (%) (English equivalents when ``lang`` is "en").
    """
    labels = {key: t(f"views.{key}", lang) for key in
              ("component", "points", "maximum", "points_lost", "percent", "block_average", "block_best")}
    keyed = strengths.assign(_code=strengths["component"].map(scope.component_sort_key))
    ordered = keyed.sort_values("_code", kind="stable").sort_values(
        "points_lost", ascending=False, kind="stable", na_position="last")
    return pd.DataFrame({
        labels["component"]: (ordered["component"] + ". " + ordered["name"]).to_numpy(),
        labels["points"]: ordered["value"].to_numpy(dtype=float),
        labels["maximum"]: ordered["max_value"].to_numpy(dtype=float),
        labels["points_lost"]: ordered["points_lost"].to_numpy(dtype=float),
        labels["percent"]: ordered["percent"].to_numpy(dtype=float),
        labels["block_average"]: ordered["block_average"].to_numpy(dtype=float),
        labels["block_best"]: ordered["block_best"].to_numpy(dtype=float),
    })


def unit_history(series: pd.DataFrame, *, unit_id: str) -> pd.DataFrame:
    """One unit's rows of ``trends.unit_series``, oldest period first, index reset."""
    return series[series["unit_id"] == unit_id].sort_values("period").reset_index(drop=True)


@dataclass(frozen=True)
class Profile:
    row: pd.Series
    history: pd.DataFrame
    series: pd.DataFrame
    strengths: pd.DataFrame
    lost: pd.DataFrame
    sentences: list[str]
    rank_text: str | None = None
    change_text: str | None = None


def rank_texts(table: pd.DataFrame, *, unit_id: str, lang: str = "vi") -> tuple[str | None, str | None]:
    """A unit's rank in a ``rank_units`` table as "3/30", and its change for ``st.metric``'s
    delta: "+5 bậc" (up), "-2 bậc" (down, an ASCII minus so the metric turns red), "=",
    "mới"/"new"; None for an unranked unit or when there is no previous period.
    Raises KeyError when the unit is not in the table."""
    mine = table[table["unit_id"] == unit_id]
    if mine.empty:
        raise KeyError(unit_id)
    row = mine.iloc[0]
    ranked = int(table["rank"].notna().sum())
    rank = None if pd.isna(row["rank"]) else f"{int(row['rank'])}/{ranked}"
    if bool(row["is_new"]):
        return rank, t("label.change.new", lang)
    if pd.isna(row["change"]):
        return rank, None
    change = int(row["change"])
    if change == 0:
        return rank, "="
    return rank, t("views.places", lang, n=f"{change:+d}")


def build_profile(data: Snapshot, *, index: str, period: str, level: str | None, unit_id: str,
                  lang: str = "vi") -> Profile:
    """The Unit profile page for ``unit_id``: its ranking row, score and rank history (and
    the block's series for context), its fields against the block and where it lost points
    (empty frames when the index has no field scores), and its sentences.
    Raises UsageError when the unit has no score in that period."""
    table = ranking.rank_units(data.scores, data.units, index=index, period=period, level=level,
                                 published=data.published)
    rows = table[table["unit_id"] == unit_id]
    if rows.empty:
        raise UsageError.of("views.no_unit_score", unit_id=unit_id, index=index, period=period)
    series = trends.unit_series(data.scores, data.units, index=index, level=level)
    scores = data.scores
    mine = scores[(scores["index"] == index) & (scores["period"] == period)
                  & (scores["unit_id"] == unit_id)]
    # Discipline scores, for one, are totals only: the profile then shows no field part.
    if mine["component"].map(scope.component_depth).eq(1).any():
        strengths = components.strengths_weaknesses(scores, data.units, data.components,
                                                   index=index, period=period,
                                                   unit_id=unit_id, level=level)
    else:
        strengths = pd.DataFrame(columns=components.STRENGTH_COLUMNS)
    previous = scope.previous_period(scope.periods(data.scores, index), period)
    changes = None
    if previous is not None:
        changes = trends.field_changes(data.scores, data.components, index=index,
                                          unit_id=unit_id, period_from=previous, period_to=period)
    sentences = narrative.unit_sentences(table, strengths, unit_id=unit_id, lang=lang,
                                         field_changes=changes)
    rank, change = rank_texts(table, unit_id=unit_id, lang=lang)
    return Profile(rows.iloc[0], unit_history(series, unit_id=unit_id), series, strengths,
                   lost_points(strengths, lang=lang), list(sentences), rank, change)
