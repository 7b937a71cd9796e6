"""Satisfaction page: SIPAS per unit — the ranking, the five elements' satisfaction against
expectation, the units under the target, and one unit's element table."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from reform.analysis import satisfaction, scope
from reform.core import config
from reform.core.errors import UsageError
from reform.present.pages.base import Snapshot, pick_level, pick_period, ranking_with_labels


@dataclass(frozen=True)
class Satisfaction:
    """Everything the satisfaction page shows for one period and block."""

    period: str
    periods: list[str]
    level: str | None
    ranking: pd.DataFrame
    gaps: pd.DataFrame
    below: pd.DataFrame
    target: float


def build_satisfaction(data: Snapshot, *, period: str | None, level: str | None,
                       target: float | None = None, lang: str = "vi") -> Satisfaction:
    """The satisfaction page: the SIPAS ranking (``rank_units`` plus change_label), the
    elements' average
    satisfaction, expectation and gap (``element_gaps``, over every surveyed unit of the
    period) and the units under the target (``below_target``), for ``period`` (the latest
    SIPAS period of the same year, else the latest, when it has none) and ``level``.

    Raises :class:`UsageError` when there is no SIPAS data at all, or when the period's
    components name no satisfaction measure.
    """
    periods = scope.periods(data.scores, satisfaction.INDEX)
    if not periods:
        raise UsageError.of("oversight.no_sipas")
    chosen = pick_period(periods, period)
    block = pick_level(data, satisfaction.INDEX, chosen, level)
    goal = config.SIPAS_TARGET_PERCENT if target is None else float(target)
    return Satisfaction(
        period=chosen, periods=periods, level=block,
        ranking=ranking_with_labels(data, index=satisfaction.INDEX, period=chosen, level=block, lang=lang),
        gaps=satisfaction.element_gaps(data.scores, data.components, period=chosen),
        below=satisfaction.below_target(data.scores, data.units, period=chosen, target=goal,
                                        level=block),
        target=goal,
    )


def unit_elements(data: Snapshot, *, period: str, unit_id: str) -> pd.DataFrame:
    """One unit's SIPAS element table (``satisfaction.element_table``) in ``period``.
    Raises :class:`UsageError` when the unit has no element scores then."""
    return satisfaction.element_table(data.scores, data.components, data.units, period=period,
                                      unit_id=unit_id)
