"""Rankings page: the block's ranking wide (a column per field), searched and filtered,
and its CSV headers."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pandas as pd

from reform.core.i18n import t
from reform.core.model import TOTAL
from reform.core.text import fold
from reform.present.charts.memo import memoized
from reform.present.pages.base import Rankings, Snapshot, build_wide_ranking


def for_download(wide: pd.DataFrame, *, lang: str = "vi") -> pd.DataFrame:
    """A ``ranking_with_components`` table with headers in ``lang`` for CSV downloads:
    Mã đơn vị, Hạng, Thay đổi, Đơn vị, Nhóm, Điểm, % tối đa, then the fields as they are."""
    names = {"unit_id": "unit_id", "rank": "rank", "change_label": "change", "unit": "unit",
             "group": "group", "value": "points", "percent": "percent"}
    return wide.rename(columns={column: t(f"views.{key}", lang) for column, key in names.items()})


@memoized
def filter_ranking(table: pd.DataFrame, *, search: str = "", groups: Iterable[str] = ()) -> pd.DataFrame:
    """Rows whose unit name contains ``search`` (ignoring accents and case: "hang bac" finds
    "Phường Hàng Bạc") and, when ``groups`` is given, whose group is one of them.

    Returns a new frame, same columns and order, index reset; the same one for the same
    table and filters (``charts.memo``: a rerun replays the table shown), so never change it.
    """
    keep = pd.Series(True, index=table.index)
    needle = fold(search)
    if needle:
        keep &= table["unit"].map(fold).str.contains(needle, regex=False)
    chosen = list(groups)
    if chosen:
        keep &= table["group"].isin(chosen)
    return table[keep].reset_index(drop=True)


def build_rankings(data: Snapshot, *, index: str, period: str, level: str | None,
                   component: str = TOTAL, lang: str = "vi", as_of: date | None = None) -> Rankings:
    """The Rankings page: ``rank_units`` by ``component`` and the wide table with one column
    per field (``fields`` lists their labels), on the units valid ``as_of`` when given.
    Raises UsageError when there is no data."""
    return build_wide_ranking(data, index=index, period=period, level=level,
                              component=component, lang=lang, as_of=as_of)


def table_columns(wide: pd.DataFrame) -> list[str]:
    """The columns the Rankings table shows, in order: ``points`` is left out when it only
    repeats ``percent`` (a maximum of 100 for every unit)."""
    shown = [c for c in wide.columns if c != "unit_id"]
    repeats = (wide["value"].round(2).equals(wide["percent"].round(2))
               if {"value", "percent"} <= set(wide.columns) else False)
    return [c for c in shown if not (repeats and c == "value")]
