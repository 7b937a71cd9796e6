"""Published changes: the "Tăng/giảm so với 2015", "Thay đổi" or "+/-" columns of a sheet,
read per unit with the cell each came from.

A change is not a score: it is kept beside the scores, like a published rank, so the app can
show it next to the change it computes and say where the two disagree. Which period a change
column belongs to and the period it compares with are settled before (``shapes.with_changes``);
here its cells are read.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from reform.core.model import (
    PUBLISHED_CHANGE_COLUMNS,
    Issue,
    Role,
    Severity,
    UnitMatch,
    no_published_changes,
)
from reform.core.text import cell_ref, clean_text, parse_numbers
from reform.ingest.columns import cell_sources
from reform.ingest.layout import SheetLayout
from reform.ingest.readers import RawSheet

CHANGE_FRAME = [c for c in PUBLISHED_CHANGE_COLUMNS if c != "version"]
"""``core.model.PUBLISHED_CHANGE_COLUMNS`` without version: what one sheet gives."""


def read_changes(sheet: RawSheet, layout: SheetLayout, rows: Sequence[int],
                 matches: Mapping[tuple[int, int], UnitMatch], *, index: str,
                 period: str | None) -> tuple[pd.DataFrame, list[Issue]]:
    """The published changes of ``layout``'s change columns in the unit ``rows`` (matched in
    ``matches`` by (row, name column)), as ``CHANGE_FRAME``; and a warning for each cell that
    is no number ("x" and "-" are no change, not a problem).

    A cell that is no number only warns: a change is shown beside the scores, never needed
    to store them, so it never refuses a file.
    """
    at = np.asarray(rows, dtype=np.int64)
    frames, issues = [], []
    for column in layout.by_role(Role.CHANGE):
        if column.key_col is None or not len(at):
            continue
        units = np.array([matches[(r, column.key_col)].unit_id if (r, column.key_col) in matches else None
                          for r in at.tolist()], dtype=object)
        cells = sheet.column(column.col, at)
        numbers, problems = parse_numbers(cells)
        known = units != None  # noqa: E711 (elementwise over an object array)
        for i in np.flatnonzero((problems > 0) & known).tolist():
            ref = cell_ref(int(at[i]), column.col)
            issues.append(Issue.of(Severity.WARNING, sheet.name, ref, "ingest.change_not_number",
                                   column=column.header or column.letter, sheet=sheet.name, cell=ref,
                                   value=clean_text(cells[i])))
        kept = np.flatnonzero(known & ~np.isnan(numbers))
        frames.append(pd.DataFrame({
            "index": index, "period": period, "unit_id": units[kept].tolist(),
            "change": numbers[kept].astype(float), "compared_with": column.compared_with,
            "source": cell_sources([f"{sheet.name}!{column.letter}"], np.zeros(len(kept)), at[kept]),
        }, columns=CHANGE_FRAME))
    frames = [f for f in frames if not f.empty]
    if not frames:
        return no_published_changes(), issues
    return pd.concat(frames, ignore_index=True), issues

