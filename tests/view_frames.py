"""Small hand-built frames shared by the tests of the page view-models (reform.present.pages)."""
from __future__ import annotations

import pandas as pd

from reform.analysis.components import STRENGTH_COLUMNS
from reform.core.model import COMPONENT_COLUMNS, PUBLISHED_COLUMNS, SCORE_COLUMNS, UNIT_COLUMNS
from reform.store.snapshot import Snapshot

NAN = float("nan")


def ranking(rows: list[tuple]) -> pd.DataFrame:
    """A ranking table with the columns views read: (unit_id, unit, rank, change, is_new,
    group, value, percent)."""
    frame = pd.DataFrame(rows, columns=["unit_id", "unit", "rank", "change", "is_new", "group",
                                        "value", "percent"])
    return frame.assign(rank=frame["rank"].astype("Int64"), change=frame["change"].astype("Int64"),
                        is_new=frame["is_new"].astype(bool))


def units_frame(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame([(u, n, lvl, "district:hoan-kiem", (), None, None) for u, n, lvl in rows],
                        columns=UNIT_COLUMNS)


def scores_frame(rows: list[tuple]) -> pd.DataFrame:
    """(index, period, unit_id, component, value, max_value) rows as a scores frame."""
    frame = pd.DataFrame(rows, columns=SCORE_COLUMNS[:6])
    return frame.assign(source="test", version=1)


def strengths_frame(rows: list[tuple]) -> pd.DataFrame:
    """A unit's fields as ``reform.analysis.components.strengths`` gives them, from rows of
    (component, name, value, max_value, percent, points_lost, block_average, block_best,
    gap_to_average)."""
    return pd.DataFrame(rows, columns=STRENGTH_COLUMNS).astype(
        {column: float for column in STRENGTH_COLUMNS[2:]})


def components_frame(rows: list[tuple]) -> pd.DataFrame:
    """(index, period, component, name, parent, max_value) rows, order as given."""
    frame = pd.DataFrame(rows, columns=COMPONENT_COLUMNS[:6])
    return frame.assign(order=range(len(frame)), version=1)


def two_fields() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    scores = scores_frame([
        ("PAR", "2024", "ward:a", "TOTAL", 18.0, 20.0),
        ("PAR", "2024", "ward:a", "1", 9.0, 10.0),
        ("PAR", "2024", "ward:a", "2", 9.0, 10.0),
        ("PAR", "2024", "ward:a", "1.1", 4.0, 5.0),
        ("PAR", "2024", "ward:b", "TOTAL", 12.0, 20.0),
        ("PAR", "2024", "ward:b", "1", 5.0, NAN),   # maximum only in the component list
        ("PAR", "2024", "ward:b", "2", 7.0, 10.0),
        ("PAR", "2023", "ward:a", "1", 1.0, 10.0),  # another period: ignored
    ])
    components = components_frame([
        ("PAR", "2024", "1", "Chỉ đạo điều hành", "", 10.0),
        ("PAR", "2024", "1.1", "Kế hoạch", "1", 5.0),
        ("PAR", "2024", "2", "Thủ tục hành chính", "", 10.0),
        ("PAR", "2023", "1", "Chỉ đạo", "", 10.0),
    ])
    table = ranking([("ward:a", "Hàng Bạc", 1, 2, False, "A", 18.0, 90.0),
                     ("ward:b", "Hàng Bài", 2, pd.NA, True, "D", 12.0, 60.0),
                     ("ward:c", "Hàng Bồ", 3, -1, False, "D", 10.0, 50.0)])
    return table, scores, components


def methodology_components() -> pd.DataFrame:
    return components_frame([
        ("PAR", "2020", "1", "Chỉ đạo điều hành", "", 10.0),
        ("PAR", "2020", "1.1", "Kế hoạch", "1", 10.0),
        ("PAR", "2020", "3", "Thủ tục hành chính", "", 14.5),
        ("PAR", "2020", "3.1", "Công khai", "3", 14.5),
        ("PAR", "2021", "1", "Chỉ đạo, điều hành", "", 10.0),
        ("PAR", "2021", "1.1", "Kế hoạch", "1", 10.0),
        ("PAR", "2021", "3", "Cải cách thủ tục hành chính", "", 16.0),
        ("PAR", "2021", "3.1", "Công khai", "3", 12.0),
        ("PAR", "2021", "3.2", "Một cửa", "3", 4.0),
        ("PAPI", "2016", "1", "Tham gia", "", 10.0),
    ])


def changes(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["component", "name", "change", "max_from", "max_to"])


def small_snapshot() -> Snapshot:
    """Three wards over two years; the field maximum of field 2 changes in 2024."""
    rows = []
    points = {"ward:hang-bac": [(7, 8), (9, 9)], "ward:hang-bai": [(9, 9), (6, 7)],
              "ward:dong-xuan": [(5, 6), (8, 12)]}
    maxima = {"2023": (10.0, 10.0), "2024": (10.0, 15.0)}
    for unit_id, years in points.items():
        for period, (one, two) in zip(("2023", "2024"), years, strict=True):
            max_one, max_two = maxima[period]
            rows += [("PAR", period, unit_id, "TOTAL", float(one + two), max_one + max_two),
                     ("PAR", period, unit_id, "1", float(one), max_one),
                     ("PAR", period, unit_id, "2", float(two), max_two)]
    components = components_frame([
        ("PAR", "2023", "1", "Chỉ đạo", "", 10.0), ("PAR", "2023", "2", "Thủ tục", "", 10.0),
        ("PAR", "2024", "1", "Chỉ đạo", "", 10.0), ("PAR", "2024", "2", "Thủ tục", "", 15.0),
    ])
    units = units_frame([("ward:hang-bac", "Hàng Bạc", "ward"), ("ward:hang-bai", "Hàng Bài", "ward"),
                         ("ward:dong-xuan", "Đồng Xuân", "ward")])
    return Snapshot(scores=scores_frame(rows), units=units, components=components,
                    published=pd.DataFrame(columns=PUBLISHED_COLUMNS),
                    inspections=pd.DataFrame(), token=1)
