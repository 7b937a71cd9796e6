"""Small canonical frames shared by the tests of reform.analysis (built in code, by hand)."""
from __future__ import annotations

import pandas as pd

from reform.core.model import COMPONENT_COLUMNS, PUBLISHED_COLUMNS, SCORE_COLUMNS, UNIT_COLUMNS

HK = "district:hoan-kiem"
WARDS = {
    "ward:hang-bac": "Phường Hàng Bạc",
    "ward:hang-gai": "Phường Hàng Gai",
    "ward:cua-dong": "Phường Cửa Đông",
    "ward:dong-xuan": "Phường Đồng Xuân",
    "ward:phuc-tan": "Phường Phúc Tân",
}
HB, HG, CD, DX, PT = WARDS
OFFICE = "office:noi-vu"


def make_units(extra: list[dict] | None = None) -> pd.DataFrame:
    rows = [
        {"unit_id": uid, "name": name, "level": "ward", "parent_id": HK, "aliases": (),
         "valid_from": "", "valid_to": ""}
        for uid, name in WARDS.items()
    ]
    rows.append({"unit_id": OFFICE, "name": "Phòng Nội vụ", "level": "office", "parent_id": HK,
                 "aliases": (), "valid_from": "", "valid_to": ""})
    rows += extra or []
    return pd.DataFrame(rows, columns=UNIT_COLUMNS)


def make_scores(rows: list[tuple], *, index: str = "PAR") -> pd.DataFrame:
    """rows: (period, unit_id, component, value, max_value)."""
    frame = pd.DataFrame(rows, columns=["period", "unit_id", "component", "value", "max_value"])
    frame = frame.assign(index=index, source="test!A1", version=1,
                         value=frame["value"].astype("float64"),
                         max_value=frame["max_value"].astype("float64"))
    return frame[SCORE_COLUMNS]


def totals(period: str, values: dict[str, float], max_value: float = 100.0,
           component: str = "TOTAL") -> list[tuple]:
    return [(period, uid, component, value, max_value) for uid, value in values.items()]


def ints(values: list) -> pd.Series:
    return pd.Series(values, dtype="Int64")


NAN = float("nan")


def two_years() -> tuple[pd.DataFrame, pd.DataFrame]:
    scores = make_scores(
        totals("2018", {HB: 80, HG: 85, CD: 70, DX: 85})
        + totals("2019", {HB: 92.15, HG: 85, CD: 85, DX: NAN, PT: 75, OFFICE: 99})
    )
    published = pd.DataFrame({
        "index": "PAR", "period": "2019", "unit_id": [HB, HG, PT], "rank": [1, 2, 5],
        "group": ["Nhóm A", "B", "D"], "source": "", "version": 1,
    })[PUBLISHED_COLUMNS]
    return scores, published


def make_components(rows: list[tuple], *, index: str = "PAR") -> pd.DataFrame:
    """rows: (period, component, name, parent, max_value)."""
    frame = pd.DataFrame(rows, columns=["period", "component", "name", "parent", "max_value"])
    frame = frame.assign(index=index, order=range(len(frame)), version=1,
                         max_value=frame["max_value"].astype("float64"))
    return frame[COMPONENT_COLUMNS]


COMPONENTS = make_components([
    ("2018", "1", "Công tác chỉ đạo, điều hành", "", 10),
    ("2018", "2", "Cải cách thể chế", "", 10),
    ("2018", "3", "Cải cách thủ tục hành chính", "", 14.5),
    ("2018", "3.1", "Công khai thủ tục", "3", 4),
    ("2019", "1", "Công tác chỉ đạo, điều hành", "", 12),
    ("2019", "3", "Cải cách thủ tục hành chính", "", 14.5),
    ("2019", "3.1", "Công khai thủ tục", "3", NAN),
    ("2019", "10", "Chuyển đổi số", "", 5),
])


def field_scores() -> pd.DataFrame:
    rows = []
    fields = {HB: (9, 5, 14), HG: (6, 9, 10), CD: (7, 7, 12)}
    for uid, (f1, f2, f3) in fields.items():
        rows += [("2018", uid, "1", f1, 10), ("2018", uid, "2", f2, 10),
                 ("2018", uid, "3", f3, 14.5), ("2018", uid, "3.1", f3 / 4, NAN),
                 ("2018", uid, "TOTAL", f1 + f2 + f3, 34.5)]
    rows += [("2018", OFFICE, "1", 10, 10), ("2018", OFFICE, "2", 10, 10),
             ("2018", OFFICE, "3", 14.5, 14.5), ("2018", OFFICE, "TOTAL", 34.5, 34.5)]
    return make_scores(rows)
