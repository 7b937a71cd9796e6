"""What the sidebar and the unit pickers offer: indices, periods, blocks and units of a scope.

Each is read from the whole score table (millions of rows at national scale), so the app
computes each once per store state and scope (``ui.computed``), never on a rerun.
Pure: frames in, plain lists out; no streamlit.
"""
from __future__ import annotations

from reform.analysis import scope
from reform.core.kinds import INDEX_CODES
from reform.store.snapshot import Snapshot


def indices(data: Snapshot) -> list[str]:
    """The indices with scores: the known ones in the registry's order, then the others
    alphabetically (as ``Snapshot.indices``, read without a Python loop over every row)."""
    found = {str(code) for code in data.scores["index"].unique()}
    return [i for i in INDEX_CODES if i in found] + sorted(found - set(INDEX_CODES))


def periods(data: Snapshot, *, index: str) -> list[str]:
    """The periods ``index`` has scores in, latest first."""
    return data.periods_of(index)[::-1]


def levels(data: Snapshot, *, index: str, period: str | None) -> list[str]:
    """The blocks scored in ``index`` and ``period``, the default one (the largest) first,
    then the others in ``model.LEVELS`` order; [] when nothing is scored."""
    if index is None or period is None:
        return []
    # The scored units alone (one row each, not one per score), their level attached once:
    # ten thousand rows instead of four hundred thousand, and one registry lookup, not two.
    scored = scope.attach_units(data.scored_units(index, period), data.units)
    found = scope.levels(scored, index, period)
    if not found:
        return []
    first = scope.default_level(scored, index, period)
    return [first] + [level for level in found if level != first]


def unit_options(data: Snapshot, *, index: str | None, period: str | None,
                 level: str | None) -> list[str]:
    """Unit ids scored in ``index`` and ``period`` (of block ``level`` when given), in
    Vietnamese order of their names (the snapshot's ``unit_order``: no names collated)."""
    if index is None or period is None:
        return []
    here = set(data.scored_units(index, period)["unit_id"])
    units = data.units[data.units["unit_id"].isin(here)]
    if level:
        units = units[units["level"] == level]
    return data.in_name_order(units["unit_id"].unique())
