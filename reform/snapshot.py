"""Everything the app and the command line read, loaded once per store state.

Discipline scores are not stored: they derive from the inspection records by the configured
rule, so they are added here and every consumer ranks DISCIPLINE like any other index.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from reform.model import SCORE_COLUMNS
from reform.store import Store


@dataclass(frozen=True)
class Snapshot:
    """The frames shown now: scores (with derived discipline scores), units, components,
    published ranks and groups, inspection records, and the store state they came from."""

    scores: pd.DataFrame
    units: pd.DataFrame
    components: pd.DataFrame
    published: pd.DataFrame
    inspections: pd.DataFrame
    token: int

    @cached_property
    def unit_names(self) -> dict[str, str]:
        """unit_id -> display name."""
        return dict(zip(self.units["unit_id"], self.units["name"], strict=True))

    @property
    def empty(self) -> bool:
        return self.scores.empty

    def indices(self) -> list[str]:
        order = ["PAR", "SIPAS", "DISCIPLINE", "PAPI", "PCI"]
        found = set(self.scores["index"])
        return [i for i in order if i in found] + sorted(found - set(order))


def load_snapshot(store: Store) -> Snapshot:
    """Read the store's current state into a :class:`Snapshot`."""
    from reform.discipline import discipline_scores

    token = store.state_token()
    scores = store.scores()
    inspections = store.inspections()
    if not inspections.empty:
        derived = discipline_scores(inspections, period="year").reindex(columns=SCORE_COLUMNS)
        scores = pd.concat([scores, derived], ignore_index=True) if not scores.empty else derived
    return Snapshot(
        scores=scores, units=store.units(), components=store.components(),
        published=store.published(), inspections=inspections, token=token,
    )
