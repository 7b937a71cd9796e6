"""Trends page: every unit's series, the biggest movers between two periods, and the
methodology changes that make years hard to compare."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from reform.analysis import lineage, scope, trends
from reform.core.i18n import t
from reform.core.model import TOTAL
from reform.present.labels import points_text
from reform.present.pages.base import Snapshot


def methodology_sentences(changes: pd.DataFrame, *, period_from: str, period_to: str,
                          lang: str = "vi") -> list[str]:
    """One sentence per row of an ``trends.methodology_changes`` frame.

    "Điểm tối đa của lĩnh vực Cải cách thủ tục hành chính thay đổi từ 14,5 lên 16
    (2020 → 2021)." / "Thêm tiêu chí 3.4 … từ 2021." Criteria are named with their code.
    """
    out = []
    for row in changes.itertuples(index=False):
        depth = min(scope.component_depth(row.component), 3)
        level = t(f"views.level.{depth}", lang)
        name = row.name if depth == 1 else f"{row.component} {row.name}"
        values = {"level": level, "level_cap": level[:1].upper() + level[1:], "name": name,
                  "old": points_text(row.max_from, lang), "new": points_text(row.max_to, lang),
                  "start": period_from, "end": period_to}
        if row.change == "max_changed":
            lowered = (not pd.isna(row.max_from) and not pd.isna(row.max_to)
                       and row.max_to < row.max_from)
            out.append(t("views.max_lowered" if lowered else "views.max_changed", lang, **values))
        elif row.change in ("added", "removed"):
            out.append(t(f"views.{row.change}", lang, **values))
    return out


def methodology_notes(components: pd.DataFrame, *, index: str, periods: Sequence[str],
                      lang: str = "vi") -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """Methodology changes between each pair of consecutive ``periods``.

    Returns ``(flags, fields, criteria)``: flags are (period, short label) for the trend
    chart's markers, one per period whose method differs from the period before; ``fields``
    the sentences about fields (depth 1), plus one line per pair of periods where only
    criteria changed, to print as a warning; ``criteria`` the sentences about criteria and
    sub-criteria, for a details box (see :func:`methodology_sentences`).
    """
    flags: list[tuple[str, str]] = []
    fields: list[str] = []
    criteria: list[str] = []
    ordered = sorted(periods)
    known = set(components.loc[components["index"] == index, "period"])
    for start, end in zip(ordered, ordered[1:], strict=False):
        if start not in known or end not in known:
            continue
        changes = trends.methodology_changes(components, index=index, period_from=start,
                                                period_to=end)
        if changes.empty:
            continue
        flags.append((end, t("views.flag", lang)))
        top = changes["component"].map(scope.component_depth) == 1
        fields += methodology_sentences(changes[top], period_from=start, period_to=end, lang=lang)
        criteria += methodology_sentences(changes[~top], period_from=start, period_to=end,
                                          lang=lang)
        if not top.any():
            fields.append(t("views.criteria_only", lang, start=start, end=end,
                            n=int((~top).sum())))
    return flags, fields, criteria


def day_text(day: date) -> str:
    """A day as both languages print the reorganisation's: 1/7/2025 (day first)."""
    return f"{day.day}/{day.month}/{day.year}"


def merged_note(links: pd.DataFrame, unit_id: str, names: Mapping[str, str], *,
                lang: str = "vi") -> str | None:
    """"Sáp nhập vào Phường Hoàn Kiếm, Phường Cửa Nam từ 1/7/2025" / "merged into … on
    1/7/2025" for a unit the stored lineage leads out of (every successor when it was split);
    None for a unit still in force."""
    into, day = lineage.merged_into(links, unit_id)
    if not into or day is None:
        return None
    return t("lineage.merged_into", lang, names=", ".join(names.get(u, u) for u in into),
             date=day_text(day))


def merged_notes(links: pd.DataFrame, unit_ids: Sequence[str], names: Mapping[str, str], *,
                 lang: str = "vi") -> dict[str, str]:
    """``merged_note`` of each of ``unit_ids`` that has one: unit_id -> note."""
    if links.empty:
        return {}
    notes = {u: merged_note(links, u, names, lang=lang) for u in unit_ids
             if u in set(links["old_unit_id"])}
    return {u: note for u, note in notes.items() if note}


def scores_as_of(data: Snapshot, *, index: str, as_of: date | None) -> pd.DataFrame:
    """The snapshot's scores, with every period of ``index`` on the units valid ``as_of``
    (re-aggregated, with ``coverage``) when a day is given and the store has a lineage; the
    scores as stored otherwise (``coverage`` empty)."""
    if as_of is None or data.links.empty:
        return data.scores.assign(coverage="")
    return lineage.scores_on_units_at(data.scores, data.links, index=index,
                                      periods=scope.periods(data.scores, index), when=as_of)


def series_coverage(series: pd.DataFrame, scores: pd.DataFrame, *, index: str) -> pd.DataFrame:
    """``series`` with the ``coverage`` of each total in ``scores`` ('13/14'; '' when the
    value was not re-aggregated). Returns a new frame."""
    here = scores[(scores["index"] == index) & (scores["component"] == TOTAL)]
    keys = dict(zip(zip(here["unit_id"].astype(str), here["period"].astype(str), strict=True),
                    here["coverage"], strict=True))
    return series.assign(coverage=[keys.get((u, p), "") for u, p in
                                   zip(series["unit_id"], series["period"], strict=True)])


@dataclass(frozen=True)
class Trends:
    series: pd.DataFrame
    periods: list[str]
    movers: pd.DataFrame | None
    flags: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    top: list[str] = field(default_factory=list)
    endings: dict[str, str] = field(default_factory=dict)
    """unit_id -> "merged into … on 1/7/2025", for the units whose line ends there."""
    as_of_caption: str = ""
    """What the as-of switch did, with each re-aggregated unit's coverage; "" when off."""

    @property
    def units(self) -> frozenset[str]:
        """The units with a line: a unit picked on the sidebar's units may have none when
        the periods are shown on the units of another day."""
        return frozenset(self.series["unit_id"])


def build_trends(data: Snapshot, *, index: str, level: str | None, period_from: str | None,
                 period_to: str | None, lang: str = "vi", as_of: date | None = None) -> Trends:
    """The Trends page: every unit's series (on the units valid ``as_of`` when given, with
    ``coverage``), the movers between two periods (None when they are not two different
    periods of the index), methodology flags, field-level ``warnings`` and criteria-level
    ``details`` over all periods, ``top`` the three best units of the latest period (the
    default highlight) and the ``endings`` of merged units. Raises UsageError when the index
    has no data."""
    scores = scores_as_of(data, index=index, as_of=as_of)
    series = trends.unit_series(scores, data.units, index=index, level=level)
    series = series_coverage(series, scores, index=index)
    periods = sorted(set(series["period"]))
    movers = None
    if period_from and period_to and period_from != period_to \
            and {period_from, period_to} <= set(periods):
        start, end = sorted((period_from, period_to))
        movers = trends.biggest_movers(scores, data.units, data.components, index=index,
                                          period_from=start, period_to=end, level=level)
    flags, warnings, details = methodology_notes(data.components, index=index, periods=periods,
                                                 lang=lang)
    top: list[str] = []
    if periods:
        latest = series[(series["period"] == periods[-1]) & series["rank"].notna()]
        top = list(latest.sort_values(["rank", "unit"])["unit_id"].head(3))
    endings = merged_notes(data.links, list(dict.fromkeys(series["unit_id"])), data.unit_names,
                           lang=lang)
    caption = "" if as_of is None else as_of_caption(series, as_of=as_of, lang=lang)
    return Trends(series, periods, movers, flags, warnings, details, top, endings, caption)


def as_of_caption(series: pd.DataFrame, *, as_of: date, lang: str = "vi") -> str:
    """"Mọi kỳ được tính lại trên các đơn vị có hiệu lực ngày …" with each re-aggregated
    unit's coverage in the latest period it was re-aggregated ("Phường Hoàn Kiếm 13/14");
    "" when nothing was re-aggregated."""
    moved = series[series["coverage"] != ""].sort_values("period")
    if moved.empty:
        return ""
    latest = moved.drop_duplicates("unit_id", keep="last")
    coverage = ", ".join(f"{unit} {cover}" for unit, cover in
                         zip(latest["unit"], latest["coverage"], strict=True))
    return t("trends.as_of_caption", lang, date=day_text(as_of), coverage=coverage)


@dataclass(frozen=True)
class PeriodChoice:
    """The periods of an index for the movers' two pickers, and which each starts on."""

    periods: list[str]
    latest: str | None
    earlier: str | None

    @property
    def from_position(self) -> int | None:
        """The "from" picker's start: the period before ``latest`` (``latest`` when first)."""
        return self.periods.index(self.earlier or self.latest) if self.latest else None

    @property
    def to_position(self) -> int | None:
        """The "to" picker's start: ``latest``."""
        return self.periods.index(self.latest) if self.latest else None


def period_choice(data: Snapshot, *, index: str, period: str | None) -> PeriodChoice:
    """The periods of ``index``; ``latest`` is ``period`` when the index has it, else its
    latest period; ``earlier`` the period before ``latest`` (None without one)."""
    periods = scope.periods(data.scores, index)
    latest = period if period in periods else (periods[-1] if periods else None)
    earlier = scope.previous_period(periods, latest) if latest else None
    return PeriodChoice(periods, latest, earlier)
