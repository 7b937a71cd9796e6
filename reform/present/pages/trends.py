"""Trends page: every unit's series, the biggest movers between two periods, and the
methodology changes that make years hard to compare."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from reform.analysis import scope, trends
from reform.core.i18n import t
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


@dataclass(frozen=True)
class Trends:
    series: pd.DataFrame
    periods: list[str]
    movers: pd.DataFrame | None
    flags: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    top: list[str] = field(default_factory=list)


def build_trends(data: Snapshot, *, index: str, level: str | None, period_from: str | None,
                 period_to: str | None, lang: str = "vi") -> Trends:
    """The Trends page: every unit's series, the movers between two periods (None when they
    are not two different periods of the index), methodology flags, field-level ``warnings``
    and criteria-level ``details`` over all periods, and ``top`` the three best units of the
    latest period (the default highlight). Raises UsageError when the index has no data."""
    series = trends.unit_series(data.scores, data.units, index=index, level=level)
    periods = sorted(set(series["period"]))
    movers = None
    if period_from and period_to and period_from != period_to \
            and {period_from, period_to} <= set(periods):
        start, end = sorted((period_from, period_to))
        movers = trends.biggest_movers(data.scores, data.units, data.components, index=index,
                                          period_from=start, period_to=end, level=level)
    flags, warnings, details = methodology_notes(data.components, index=index, periods=periods,
                                                 lang=lang)
    top: list[str] = []
    if periods:
        latest = series[(series["period"] == periods[-1]) & series["rank"].notna()]
        top = list(latest.sort_values(["rank", "unit"])["unit_id"].head(3))
    return Trends(series, periods, movers, flags, warnings, details, top)


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
