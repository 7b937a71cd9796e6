"""Small hand-built frames shared by the tests of the discipline, satisfaction and cross-index view-models."""
from __future__ import annotations

import numpy as np
import pandas as pd

from reform.analysis import discipline
from reform.core.model import COMPONENT_COLUMNS, INSPECTION_COLUMNS, SCORE_COLUMNS, UNIT_COLUMNS
from reform.store.snapshot import Snapshot

UNITS = pd.DataFrame([
    ("ward:a", "Phường An", "ward"), ("ward:b", "Phường Bình", "ward"),
    ("ward:c", "Phường Cửa", "ward"), ("ward:d", "Phường Đông", "ward"),
    ("office:x", "Phòng Xây dựng", "office"),
], columns=["unit_id", "name", "level"]).assign(
    parent_id="district:hoan-kiem", aliases=[()] * 5, valid_from="", valid_to="")[UNIT_COLUMNS]


def score(index: str, period: str, unit_id: str, value: float, component: str = "TOTAL",
           max_value: float = 100.0) -> dict:
    return {"index": index, "period": period, "unit_id": unit_id, "component": component,
            "value": value, "max_value": max_value, "source": "t", "version": 1}


def snapshot(scores: list[dict], inspections: pd.DataFrame | None = None,
              components: pd.DataFrame | None = None) -> Snapshot:
    frame = pd.DataFrame(scores, columns=SCORE_COLUMNS)
    records = inspections if inspections is not None else pd.DataFrame(columns=INSPECTION_COLUMNS)
    if not records.empty:
        frame = pd.concat([frame, discipline.discipline_scores(records)], ignore_index=True)
    return Snapshot(scores=frame, units=UNITS, published=pd.DataFrame(columns=["index", "period", "unit_id", "rank", "group", "source", "version"]),
                    components=components if components is not None else pd.DataFrame(columns=COMPONENT_COLUMNS),
                    inspections=records, token=1)


def inspection_records() -> pd.DataFrame:
    rows = [
        ("2023-05-02", "ward:a", "T1", "regular", "hours", 2, 10),
        ("2024-03-04", "ward:a", "T1", "regular", "hours", 1, 10),
        ("2024-03-04", "ward:a", "T1", "regular", "dress", 2, 10),   # same visit: 10 officials
        ("2024-04-08", "ward:b", "T2", "unannounced", "attitude", 1, 5),
        ("2024-04-09", "office:x", "T2", "unannounced", "none", 0, 8),
    ]
    frame = pd.DataFrame(rows, columns=["date", "unit_id", "team", "kind", "category",
                                        "violations", "officials_checked"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame.assign(note="", source="s", version=1)[INSPECTION_COLUMNS]


def sipas() -> Snapshot:
    components = pd.DataFrame([
        ("SIPAS", "2024", "1", "Tiếp cận dịch vụ", "", np.nan, 0, 1),
        ("SIPAS", "2024", "1.1", "Đánh giá (%)", "1", np.nan, 1, 1),
        ("SIPAS", "2024", "1.2", "Hài lòng (%)", "1", np.nan, 2, 1),
        ("SIPAS", "2024", "1.3", "Kỳ vọng (%)", "1", np.nan, 3, 1),
    ], columns=COMPONENT_COLUMNS)
    scores = []
    for unit_id, total, sat, exp in [("ward:a", 85.0, 84.0, 90.0), ("ward:b", 78.0, 77.0, 85.0),
                                     ("ward:c", 79.5, 79.0, 80.0)]:
        scores += [score("SIPAS", "2024", unit_id, total),
                   score("SIPAS", "2024", unit_id, 70.0, "1.1", np.nan),
                   score("SIPAS", "2024", unit_id, sat, "1.2", np.nan),
                   score("SIPAS", "2024", unit_id, exp, "1.3", np.nan)]
    scores.append(score("SIPAS", "2023", "ward:a", 80.0))
    return snapshot(scores, components=components)


def cross() -> Snapshot:
    scores = [
        score("PAR", "2024", "ward:a", 90.0), score("PAR", "2024", "ward:b", 80.0),
        score("PAR", "2024", "ward:c", 70.0), score("PAR", "2024", "ward:d", 60.0),
        score("PAR", "2024", "office:x", 75.0),
        score("SIPAS", "2024", "ward:a", 88.0), score("SIPAS", "2024", "ward:b", 70.0),
        score("SIPAS", "2024", "ward:c", 72.0), score("SIPAS", "2024", "ward:d", 62.0),
        score("PAR", "2023", "ward:a", 85.0),
        score("PAPI", "2024", "province:x", 40.0, max_value=80.0),
    ]
    return snapshot(scores)
