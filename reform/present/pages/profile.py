"""Unit profile page: one unit's standing, history, fields against its block, where it
lost points, and its sentences."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from reform.analysis import components, lineage, ranking, scope, trends
from reform.core.errors import UsageError
from reform.core.i18n import format_number, format_signed, t
from reform.core.model import TOTAL
from reform.present import narrative
from reform.present.pages.base import Snapshot
from reform.present.pages.trends import day_text, merged_note, scores_as_of, series_coverage


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
    composite: pd.DataFrame = field(default_factory=pd.DataFrame)
    """A new unit's history before it existed: its predecessors' mean, per period (the
    series' columns plus ``coverage``); empty for a unit no link leads into."""
    composite_name: str = ""
    composite_note: str | None = None
    predecessors: list[str] = field(default_factory=list)
    """The predecessors with a series of their own, which the page may draw on demand."""
    ending: str | None = None
    """"merged into … on 1/7/2025" for an old unit; None for one still in force."""
    coverage: str = ""
    published_changes: pd.DataFrame = field(default_factory=pd.DataFrame)
    """The changes the files print for this unit beside the app's (``check_published_changes``);
    empty when no file prints one."""


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
                  lang: str = "vi", as_of: date | None = None,
                  changes: pd.DataFrame | None = None) -> Profile:
    """The Unit profile page for ``unit_id``: its ranking row, score and rank history (and
    the block's series for context), its fields against the block and where it lost points
    (empty frames when the index has no field scores), and its sentences. With the store's
    lineage: on the units valid ``as_of`` when given, a new unit's ``composite`` history and
    ``predecessors``, an old unit's ``ending``. ``changes`` are the published changes
    (``Store.published_changes``): each of the unit's is set beside the change computed from
    the stored scores, with a sentence that flags a disagreement. Raises UsageError when the
    unit has no score in that period."""
    scores = lineage.on_units(data.scores, data.links, index=index, period=period, as_of=as_of)
    table = ranking.rank_units(scores, data.units, index=index, period=period, level=level,
                               published=data.published)
    rows = table[table["unit_id"] == unit_id]
    if rows.empty:
        raise UsageError.of("views.no_unit_score", unit_id=unit_id, index=index, period=period)
    history_scores = scores_as_of(data, index=index, as_of=as_of)
    series = trends.unit_series(history_scores, data.units, index=index, level=level)
    series = series_coverage(series, history_scores, index=index)
    strengths = _strengths(scores, data, index=index, period=period, level=level,
                           unit_id=unit_id)
    previous = scope.previous_period(scope.periods(scores, index), period)
    moves = None
    if previous is not None:
        moves = trends.field_changes(scores, data.components, index=index,
                                       unit_id=unit_id, period_from=previous, period_to=period)
    sentences = narrative.unit_sentences(table, strengths, unit_id=unit_id, lang=lang,
                                         field_changes=moves)
    rank, change = rank_texts(table, unit_id=unit_id, lang=lang)
    changes = data.published_changes if changes is None else changes
    checked = check_published_changes(data.scores, changes, index=index, unit_id=unit_id)
    sentences = [*sentences, *published_change_sentences(checked, lang=lang)]
    coverage = lineage.with_coverage(rows, scores, index=index, period=period,
                                     component=TOTAL)["coverage"].iloc[0]
    return Profile(rows.iloc[0], unit_history(series, unit_id=unit_id), series, strengths,
                   lost_points(strengths, lang=lang), list(sentences), rank, change,
                   **lineage_parts(data, series, index=index, level=level, unit_id=unit_id,
                                   lang=lang), coverage=coverage, published_changes=checked)


CHECKED_CHANGE_COLUMNS = ["period", "compared_with", "published", "computed", "difference",
                          "differs", "source"]
"""One row per published change of a unit: the printed and the computed change of the total."""


def rounding_tolerance(published: float) -> float:
    """How far a computed change may be from ``published`` and still be rounding: the change
    and the two scores it comes from are each rounded to the decimals the change is printed
    with, half a unit of the last place each (1.8 → 0.15; 0.35 → 0.015)."""
    decimals = next((d for d in range(4) if abs(round(published, d) - published) < 1e-9), 4)
    return 1.5 * 10 ** -decimals + 1e-9


def check_published_changes(scores: pd.DataFrame, changes: pd.DataFrame | None, *, index: str,
                            unit_id: str) -> pd.DataFrame:
    """The unit's published changes of ``index`` beside the change of its total computed from
    ``scores`` (``CHECKED_CHANGE_COLUMNS``), oldest period first.

    ``compared_with`` is the period the file names, else the previous period of the scores;
    ``computed`` is NaN when either total is missing, and ``differs`` True only when both
    exist and are further apart than rounding (:func:`rounding_tolerance`).
    """
    if changes is None or changes.empty:
        return pd.DataFrame(columns=CHECKED_CHANGE_COLUMNS)
    mine = changes[(changes["index"] == index) & (changes["unit_id"] == unit_id)]
    totals = scores[(scores["index"] == index) & (scores["component"] == TOTAL)
                    & (scores["unit_id"] == unit_id)]
    value_of = dict(zip(totals["period"].astype(str), totals["value"].astype(float), strict=True))
    known = scope.periods(scores, index)
    rows = []
    for row in mine.sort_values("period").itertuples(index=False):
        compared = row.compared_with or scope.previous_period(known, row.period) or ""
        computed = value_of.get(row.period, float("nan")) - value_of.get(compared, float("nan"))
        difference = abs(row.change - computed)
        rows.append({"period": row.period, "compared_with": compared, "published": float(row.change),
                     "computed": computed, "difference": difference,
                     "differs": bool(difference > rounding_tolerance(row.change)), "source": row.source})
    return pd.DataFrame(rows, columns=CHECKED_CHANGE_COLUMNS)


def published_change_sentences(checked: pd.DataFrame, *, lang: str = "vi") -> list[str]:
    """One sentence per row of ``check_published_changes``: agrees, differs (flagged), or has
    no stored score to compare with."""
    out = []
    for row in checked.itertuples(index=False):
        key = ("profile.published_change.alone" if pd.isna(row.computed) else
               "profile.published_change.differs" if row.differs else "profile.published_change.agrees")
        compared = row.compared_with or t("profile.published_change.previous", lang)
        out.append(t(key, lang, period=row.period, compared=compared, source=row.source,
                     published=format_signed(row.published, lang), computed=format_signed(row.computed, lang),
                     difference=format_number(row.difference, lang)))
    return out


def _strengths(scores: pd.DataFrame, data: Snapshot, *, index: str, period: str,
               level: str | None, unit_id: str) -> pd.DataFrame:
    """``strengths_weaknesses`` of the unit, or an empty frame when it has no field scores."""
    mine = scores[(scores["index"] == index) & (scores["period"] == period)
                  & (scores["unit_id"] == unit_id)]
    # Discipline scores, for one, are totals only: the profile then shows no field part.
    if not mine["component"].map(scope.component_depth).eq(1).any():
        return pd.DataFrame(columns=components.STRENGTH_COLUMNS)
    return components.strengths_weaknesses(scores, data.units, data.components, index=index,
                                            period=period, unit_id=unit_id, level=level)


def unit_choices(data: Snapshot, *, index: str, period: str, level: str | None,
                 as_of: date | None) -> list[str] | None:
    """The units the profile can show for ``period`` on the units valid ``as_of``, in
    Vietnamese order of their names; None without a day (the sidebar's units then)."""
    if as_of is None or data.links.empty:
        return None
    scores = lineage.on_units(data.scores, data.links, index=index, period=period, as_of=as_of)
    here = set(scores.loc[(scores["index"] == index) & (scores["period"] == period)
                          & scores["value"].notna(), "unit_id"])
    units = data.units[data.units["unit_id"].isin(here)]
    if level:
        units = units[units["level"] == level]
    return data.in_name_order(units["unit_id"].unique())


def lineage_parts(data: Snapshot, series: pd.DataFrame, *, index: str, level: str | None,
                  unit_id: str, lang: str = "vi") -> dict[str, object]:
    """The profile's parts that come from the stored lineage, as ``Profile`` fields: a new
    unit's ``composite`` history (its predecessors' mean in each period before it existed,
    with coverage), its name and note, the ``predecessors`` with a series of their own, and
    an old unit's ``ending``."""
    names = data.unit_names
    parts: dict[str, object] = {"ending": merged_note(data.links, unit_id, names, lang=lang)}
    into = lineage.predecessors(data.links, unit_id)
    if into.empty:
        return parts
    scores = lineage.composite_history(data.scores, data.links, unit_id=unit_id, index=index)
    composite = trends.unit_series(scores, data.units, index=index, level=level)
    composite = series_coverage(composite, scores, index=index)
    composite = composite[(composite["unit_id"] == unit_id) & (composite["coverage"] != "")]
    start = day_text(pd.to_datetime(into["effective"]).dt.date.min())
    old = list(dict.fromkeys(into["old_unit_id"]))
    name = names.get(unit_id, unit_id)
    parts.update(
        composite=composite.reset_index(drop=True),
        composite_name=t("chart.trend.composite", lang, name=name, date=start),
        composite_note=t("profile.composite_note", lang, date=start, n=len(old),
                         names=", ".join(names.get(u, u) for u in old)),
        predecessors=[u for u in old if u in set(series["unit_id"])])
    return parts
