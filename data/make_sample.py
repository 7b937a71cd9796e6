"""Write the illustrative sample workbooks the app starts on (Hoàn Kiếm district, Hanoi).

Three workbooks, laid out like the annexes ("phụ lục") an office really receives:

- ``sample_par.xlsx``: PAR Index (Chỉ số CCHC) 2017–2024, one sheet per year, 12 district
  offices and 18 wards scored on 8 fields and about 24 criteria;
- ``sample_sipas.xlsx``: SIPAS citizen satisfaction 2017–2024 for the 18 wards;
- ``sample_inspections.xlsx``: discipline inspection records, 2023-01 to 2024-12.

Every number is made up (numpy ``default_rng(2024)``): illustrative, not official results.
The files carry on purpose the mess real annexes have (names spelled differently across
years, NFD accents, a non-breaking space, numbers stored as text with a decimal comma, "-"
for not applicable, footer and signature rows, dates typed as text) so the importer is
exercised on the sample the app starts with.

Run ``python data/make_sample.py [--out DIR]`` (default: this folder), or import it and call
``write_all(out_dir)``. Running it twice writes the same cell values.

This script deliberately imports nothing from ``reform``: the sample stands for files made
elsewhere, so it keeps its own unit names and thresholds instead of the app's registry.
"""
from __future__ import annotations

import argparse
import functools
import math
import sys
import unicodedata
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

SEED = 2024
"""Fixed seed: the sample must be identical on every machine and every run."""

HERE = Path(__file__).resolve().parent

PAR_FILE = "sample_par.xlsx"
SIPAS_FILE = "sample_sipas.xlsx"
INSPECTIONS_FILE = "sample_inspections.xlsx"

PAR_YEARS = tuple(range(2017, 2025))
SIPAS_YEARS = tuple(range(2017, 2025))
INSPECTION_MONTHS = tuple(f"{y}-{m:02d}" for y in (2023, 2024) for m in range(1, 13))

DISTRICT = "UBND QUẬN HOÀN KIẾM"
ILLUSTRATIVE = ("(Số liệu minh họa, không phải kết quả chính thức - "
                "Illustrative data, not official results)")
FOOTNOTE = "Ghi chú: Số liệu minh họa, không phải kết quả chính thức."
INSPECTIONS_SHEET = "Kiểm tra công vụ"
NOTES_SHEET = "Ghi chú"

WARDS: tuple[str, ...] = (
    "Phúc Tân", "Đồng Xuân", "Hàng Mã", "Hàng Buồm", "Hàng Đào", "Hàng Bồ", "Cửa Đông",
    "Lý Thái Tổ", "Hàng Bạc", "Hàng Gai", "Chương Dương", "Hàng Trống", "Cửa Nam", "Hàng Bông",
    "Tràng Tiền", "Trần Hưng Đạo", "Phan Chu Trinh", "Hàng Bài",
)

OFFICES: tuple[str, ...] = (
    "Văn phòng HĐND và UBND quận", "Phòng Nội vụ", "Phòng Tư pháp", "Phòng Tài chính - Kế hoạch",
    "Phòng Tài nguyên và Môi trường", "Phòng Quản lý đô thị", "Phòng Kinh tế",
    "Phòng Văn hóa và Thông tin", "Phòng Lao động - Thương binh và Xã hội",
    "Phòng Giáo dục và Đào tạo", "Phòng Y tế", "Thanh tra quận",
)

# Short forms the district's own annexes use for some offices (2023 sheet).
OFFICE_SHORT: dict[str, str] = {
    "Văn phòng HĐND và UBND quận": "VP HĐND và UBND",
    "Phòng Tài chính - Kế hoạch": "Phòng TC-KH",
    "Phòng Tài nguyên và Môi trường": "Phòng TN&MT",
    "Phòng Lao động - Thương binh và Xã hội": "Phòng LĐTB&XH",
    "Phòng Giáo dục và Đào tạo": "Phòng GD&ĐT",
}

# --- PAR framework --------------------------------------------------------------------------
# (field code, field name, [(criterion name, maximum points)]): the provincial framework used
# 2017–2020, whose field maximums are 10, 10, 14.5, 11, 16, 7, 16, 15.5 (DOMAIN.md).
PAR_FIELDS_2017: list[tuple[str, str, list[tuple[str, float]]]] = [
    ("1", "Công tác chỉ đạo, điều hành CCHC", [
        ("Kế hoạch CCHC năm", 4.0),
        ("Báo cáo CCHC định kỳ", 3.0),
        ("Kiểm tra, tuyên truyền CCHC", 3.0)]),
    ("2", "Xây dựng và tổ chức thực hiện văn bản QPPL", [
        ("Rà soát, hệ thống hóa văn bản QPPL", 4.0),
        ("Tổ chức thực hiện văn bản QPPL", 3.0),
        ("Kiểm tra, xử lý văn bản QPPL", 3.0)]),
    ("3", "Cải cách thủ tục hành chính", [
        ("Công khai thủ tục hành chính", 4.0),
        ("Thực hiện cơ chế một cửa, một cửa liên thông", 6.5),
        ("Tiếp nhận, xử lý phản ánh, kiến nghị", 4.0)]),
    ("4", "Cải cách tổ chức bộ máy hành chính", [
        ("Thực hiện quy định về chức năng, nhiệm vụ", 4.0),
        ("Sắp xếp, kiện toàn tổ chức bộ máy", 4.0),
        ("Thực hiện phân cấp, ủy quyền", 3.0)]),
    ("5", "Xây dựng và nâng cao chất lượng đội ngũ CBCCVC", [
        ("Vị trí việc làm và cơ cấu ngạch công chức", 5.0),
        ("Tuyển dụng, bố trí, sử dụng công chức", 4.0),
        ("Đào tạo, bồi dưỡng công chức", 4.0),
        ("Chấp hành kỷ luật, kỷ cương hành chính", 3.0)]),
    ("6", "Cải cách tài chính công", [
        ("Thực hiện cơ chế tự chủ tài chính", 4.0),
        ("Quản lý, sử dụng tài sản công", 3.0)]),
    ("7", "Hiện đại hóa hành chính", [
        ("Ứng dụng công nghệ thông tin", 6.0),
        ("Cung cấp dịch vụ công trực tuyến", 5.0),
        ("Áp dụng ISO 9001 trong quản lý", 5.0)]),
    ("8", "Tác động của CCHC", [
        ("Sự hài lòng của người dân, tổ chức", 8.0),
        ("Tác động đến phát triển kinh tế - xã hội", 4.0),
        ("Thực hiện nhiệm vụ được giao", 3.5)]),
]

# From 2021 the city's framework moves points to procedures and e-government, lowers the
# weight of impact, and adds a digital-transformation criterion (still 100 in all).
PAR_CHANGES_2021: dict[str, list[tuple[str, float]]] = {
    "3": [("Công khai thủ tục hành chính", 4.0),
          ("Thực hiện cơ chế một cửa, một cửa liên thông", 7.5),
          ("Tiếp nhận, xử lý phản ánh, kiến nghị", 4.5)],
    "7": [("Ứng dụng công nghệ thông tin", 5.0),
          ("Cung cấp dịch vụ công trực tuyến", 5.0),
          ("Áp dụng ISO 9001 trong quản lý", 3.0),
          ("Chuyển đổi số, số hóa hồ sơ", 4.0)],
    "8": [("Sự hài lòng của người dân, tổ chức", 7.0),
          ("Tác động đến phát triển kinh tế - xã hội", 3.0),
          ("Thực hiện nhiệm vụ được giao", 3.0)],
}

SURVEY_CRITERIA = frozenset({"8.1"})
"""Criteria scored from a survey: printed with 2 decimals, the others in quarter points."""

PAR_GROUPS_TO_2022 = (("A", 80.0), ("B", 75.0), ("C", 70.0), ("D", -math.inf))
PAR_GROUPS_FROM_2023 = (("A", 90.0), ("B", 80.0), ("C", 70.0), ("D", -math.inf))
"""Groups as the district published them: the bar was raised in 2023 (A ≥ 90 %)."""

# The story the sample tells: (2017 level in % of maximum, change per year). Units not
# listed hover around a level drawn at random. Phúc Tân, Chương Dương and Hàng Mã climb
# steadily; Hàng Bồ falls (and is a repeat violator in the inspections).
PAR_STORY: dict[str, tuple[float, float]] = {
    "Phúc Tân": (66.0, 4.1),
    "Chương Dương": (69.5, 3.0),
    "Hàng Mã": (72.0, 2.7),
    "Hàng Bồ": (91.0, -2.7),
    "Phòng Y tế": (74.0, 2.2),
}

NOT_APPLICABLE = ("2018", "Thanh tra quận", "6.1")
"""(year, unit, criterion) printed "-": the inspectorate has no budget autonomy to score."""

TIE_YEAR = "2021"
"""A year where two wards are made to tie, so the annex shows a shared rank (1, 2, 2, 4)."""

# --- SIPAS -----------------------------------------------------------------------------------
SIPAS_ELEMENTS: tuple[str, ...] = (
    "Tiếp cận dịch vụ", "Thủ tục hành chính", "Công chức giải quyết công việc",
    "Kết quả dịch vụ", "Tiếp nhận, xử lý góp ý, phản ánh",
)
SIPAS_MEASURES: tuple[str, ...] = ("Đánh giá (%)", "Hài lòng (%)", "Kỳ vọng (%)")
SIPAS_ELEMENT_OFFSET = (0.5, -1.5, 2.0, 1.0, -4.0)
"""Feedback handling is usually the weakest element and the officials the strongest."""

# --- Inspections -----------------------------------------------------------------------------
TEAMS: tuple[str, ...] = (
    "Đoàn kiểm tra công vụ số 1", "Đoàn kiểm tra công vụ số 2", "Đoàn kiểm tra công vụ số 3",
    "Đoàn liên ngành",
)
TEAM_WEIGHTS = (0.32, 0.32, 0.26, 0.10)

REGULAR, UNANNOUNCED = "Thường xuyên", "Đột xuất"
NO_VIOLATION = "Không vi phạm"

# Category spellings as inspection teams write them (varied on purpose), with how often each
# category is found; unannounced visits catch more people away from their post.
CATEGORY_SPELLINGS: dict[str, tuple[str, ...]] = {
    "hours": ("Đi muộn về sớm", "giờ làm việc", "Giờ giấc làm việc", "Đi muộn"),
    "dress": ("Trang phục, thẻ công chức", "Không đeo thẻ công chức", "trang phục"),
    "attitude": ("Thái độ với người dân", "Quy tắc ứng xử với công dân"),
    "private": ("Việc riêng trong giờ", "Làm việc riêng trong giờ làm việc"),
    "tidiness": ("Vệ sinh, sắp xếp nơi làm việc", "Văn hóa công sở"),
    "absence": ("Bỏ vị trí công tác", "Không có mặt tại vị trí"),
    "other": ("Khác",),
}
CATEGORY_WEIGHTS_REGULAR = {"hours": 0.32, "dress": 0.22, "attitude": 0.08, "private": 0.14,
                            "tidiness": 0.14, "absence": 0.05, "other": 0.05}
CATEGORY_WEIGHTS_UNANNOUNCED = {"hours": 0.25, "dress": 0.10, "attitude": 0.10, "private": 0.22,
                                "tidiness": 0.08, "absence": 0.20, "other": 0.05}

REPEAT_VIOLATORS = frozenset({"Hàng Bồ", "Đồng Xuân", "Hàng Buồm"})
"""Wards whose inspections keep finding violations (and get re-checked more often)."""

VIOLATION_RATE = {REGULAR: 0.12, UNANNOUNCED: 0.30}
"""Share of visits that find a violation: unannounced visits find more."""

REPEAT_FACTOR = 3.2
UNANNOUNCED_SHARE = 0.33
SECOND_VISIT_RATE = {"normal": 0.04, "repeat": 0.40}
TEXT_DATE_ROWS = 6
"""Rows whose date is typed as text ("15/03/2023"), as happens when a clerk types it."""

NOTES_ON_VIOLATION = ("Đã nhắc nhở, yêu cầu khắc phục", "Lập biên bản", "Đề nghị kiểm điểm",
                      "Yêu cầu báo cáo giải trình")

# --- Styles ----------------------------------------------------------------------------------
FONT = "Times New Roman"
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
POINTS_FORMAT = "0.00"


# =============================================================================================
# Data: pure functions that return new frames
# =============================================================================================


def par_framework(year: int) -> pd.DataFrame:
    """The PAR criteria of ``year``, one row per criterion in printed order.

    Returns columns field, field_name, field_max, criterion ("1.1"), criterion_name,
    max_value. Criterion maximums sum to their field's maximum and fields sum to 100.
    Raises ValueError for a year outside 2017–2024.
    """
    if year not in PAR_YEARS:
        raise ValueError(f"no PAR framework for {year}; sample years are {PAR_YEARS}")
    rows = []
    for field, field_name, criteria in PAR_FIELDS_2017:
        if year >= 2021:
            criteria = PAR_CHANGES_2021.get(field, criteria)
        field_max = sum(points for _, points in criteria)
        for number, (name, points) in enumerate(criteria, start=1):
            rows.append({"field": field, "field_name": field_name, "field_max": field_max,
                         "criterion": f"{field}.{number}", "criterion_name": name,
                         "max_value": points})
    return pd.DataFrame(rows)


def par_group(percent: float, year: int) -> str:
    """The published group of a total in % for ``year``: a value on a bound goes up."""
    scheme = PAR_GROUPS_FROM_2023 if year >= 2023 else PAR_GROUPS_TO_2022
    return next(label for label, lower in scheme if percent >= lower)


def competition_rank(values: Sequence[float]) -> list[int]:
    """Rank of each value, highest first, ties sharing the best rank (1, 2, 2, 4)."""
    return [1 + sum(other > value for other in values) for value in values]


def par_scores(rng: np.random.Generator) -> pd.DataFrame:
    """Illustrative PAR criterion points for every unit and year.

    Returns columns year, block ("office" or "ward"), unit (canonical name), criterion,
    value (points; NaN where not applicable), max_value; units in printed order.
    """
    units = [("office", u) for u in OFFICES] + [("ward", w) for w in WARDS]
    levels = {u: (float(rng.uniform(73.0, 90.0)), float(rng.normal(0.4, 0.5))) for _, u in units}
    levels.update(PAR_STORY)
    rows = []
    for year in PAR_YEARS:
        frame = par_framework(year)
        maximums = frame["max_value"].to_numpy()
        survey = frame["criterion"].isin(SURVEY_CRITERIA).to_numpy()
        for block, unit in units:
            start, slope = levels[unit]
            target = float(np.clip(start + slope * (year - 2017) + rng.normal(0.0, 1.2), 64.0, 96.5))
            values = _criterion_points(target, maximums, survey, rng.normal(0.0, 0.06, size=len(frame)))
            rows += [{"year": str(year), "block": block, "unit": unit, "criterion": code,
                      "value": float(value), "max_value": float(maximum)}
                     for code, value, maximum in zip(frame["criterion"], values, maximums, strict=True)]
    scores = pd.DataFrame(rows)
    year, unit, criterion = NOT_APPLICABLE
    scores.loc[(scores["year"] == year) & (scores["unit"] == unit)
               & (scores["criterion"] == criterion), "value"] = math.nan
    return _force_tie(scores, TIE_YEAR)


def _criterion_points(target: float, maximums: np.ndarray, survey: np.ndarray,
                      noise: np.ndarray) -> np.ndarray:
    """Points per criterion scattered around ``target`` % whose sum lands near ``target``.

    Shares are capped at the maximum, which would pull strong units down, so the level is
    raised a few times until the sum meets the target. Appraisers give quarter points; the
    survey criteria keep 2 decimals.
    """
    level = target / 100.0
    for _ in range(6):
        shares = np.clip(level + noise, 0.35, 1.0)
        level += (target - float((shares * maximums).sum())) / 100.0
    raw = np.clip(level + noise, 0.35, 1.0) * maximums
    return np.where(survey, np.round(raw, 2), np.round(raw * 4) / 4)


def _force_tie(scores: pd.DataFrame, year: str) -> pd.DataFrame:
    """A copy of ``scores`` where the two closest wards of ``year`` share the same total,
    by moving the lower one's survey criterion (the only one printed with 2 decimals)."""
    scores = scores.copy()
    wards = scores[(scores["year"] == year) & (scores["block"] == "ward")]
    totals = wards.groupby("unit", sort=False)["value"].sum().round(2).sort_values()
    gaps = totals.diff().iloc[1:]
    for upper in gaps.sort_values().index:
        lower = totals.index[totals.index.get_loc(upper) - 1]
        where = ((scores["year"] == year) & (scores["unit"] == lower)
                 & scores["criterion"].isin(SURVEY_CRITERIA))
        moved = round(float(scores.loc[where, "value"].iloc[0]) + round(totals[upper] - totals[lower], 2), 2)
        if moved <= float(scores.loc[where, "max_value"].iloc[0]):
            scores.loc[where, "value"] = moved
            return scores
    return scores


def par_table(scores: pd.DataFrame, year: int) -> pd.DataFrame:
    """One year of ``par_scores`` as printed: one row per unit in printed order.

    Returns columns block, stt, unit, name (as written that year), one column per criterion
    code (NaN where not applicable), total, percent, rank (within the block), group.
    Raises ValueError when ``scores`` has no row for ``year``.
    """
    rows = scores[scores["year"] == str(year)]
    if rows.empty:
        raise ValueError(f"no PAR scores for {year}")
    codes = list(par_framework(year)["criterion"])
    units = rows.drop_duplicates("unit")[["block", "unit"]].reset_index(drop=True)
    points = rows.pivot(index="unit", columns="criterion", values="value")[codes]
    wide = units.merge(points, left_on="unit", right_index=True, how="left")
    wide.columns.name = None
    wide["total"] = wide[codes].sum(axis=1, skipna=True).round(2)
    wide["percent"] = (wide["total"] / 100.0 * 100.0).round(2)
    # Numbering and ranks restart in each block, as units are only compared within one.
    wide["stt"] = wide.groupby("block", sort=False).cumcount() + 1
    wide["rank"] = 0
    for block in ("office", "ward"):
        mask = wide["block"] == block
        wide.loc[mask, "rank"] = competition_rank(list(wide.loc[mask, "total"]))
    wide["group"] = [par_group(p, year) for p in wide["percent"]]
    wide["name"] = [spell(unit, block, year, "PAR") for block, unit in zip(wide["block"], wide["unit"], strict=True)]
    return wide[["block", "stt", "unit", "name", *codes, "total", "percent", "rank", "group"]]


def spell(unit: str, block: str, year: int, workbook: str) -> str:
    """How ``unit`` is written in ``workbook``'s sheet for ``year``: the same unit gets
    different spellings across years, as in real annexes."""
    if workbook == "SIPAS":
        if year == 2020:
            return f"P. {unit}"
        if year == 2022:
            return unit
        return f"Phường {unit}"
    if block == "ward":
        if year == 2018:
            name = f"P. {unit}"
            # One unit typed on a Mac keyboard: decomposed (NFD) accents.
            return unicodedata.normalize("NFD", name) if unit == "Tràng Tiền" else name
        if year == 2019:
            return unit
        if year == 2020:
            return unit.upper()
        if year == 2021 and unit == "Hàng Gai":
            return "Phường\u00a0Hàng Gai"  # a non-breaking space pasted from a web page
        if year == 2024 and unit == "Trần Hưng Đạo":
            return "Phường\nTrần Hưng Đạo"  # a line break typed to fit a narrow column
        return f"Phường {unit}"
    if year == 2019 and unit.startswith("Phòng "):
        return unit.removeprefix("Phòng ")
    if year == 2022 and "hóa" in unit:
        return unit.replace("hóa", "hoá")  # old-style accent placement
    if year == 2023:
        return OFFICE_SHORT.get(unit, unit)
    return unit


def sipas_scores(rng: np.random.Generator) -> pd.DataFrame:
    """Illustrative SIPAS measures for the 18 wards and every year.

    Returns one row per ward and year, in printed order: year, stt, unit, name (as written),
    for each element k in 1..5 the columns "k_assessment", "k_satisfaction",
    "k_expectation" (in %), then index (mean of the five satisfactions, 2 decimals) and rank.
    """
    base = {w: float(rng.uniform(72.0, 88.0)) for w in WARDS}
    # Satisfaction follows the PAR story (wards that reform more serve better), damped:
    # citizens' views move more slowly than appraised points.
    base |= {w: min(88.0, start + 6.0) for w, (start, _) in PAR_STORY.items() if w in WARDS}
    slope = {w: 0.6 + max(-2.0, min(2.0, PAR_STORY.get(w, (0.0, 0.0))[1])) * 0.5 for w in WARDS}
    rows = []
    for year in SIPAS_YEARS:
        for stt, ward in enumerate(WARDS, start=1):
            level = base[ward] + slope[ward] * (year - 2017) + rng.normal(0.0, 1.0)
            row: dict[str, object] = {"year": str(year), "stt": stt, "unit": ward,
                                      "name": spell(ward, "ward", year, "SIPAS")}
            satisfactions = []
            for k, offset in enumerate(SIPAS_ELEMENT_OFFSET, start=1):
                satisfaction = round(float(np.clip(level + offset + rng.normal(0.0, 2.0), 60.0, 96.0)), 2)
                assessment = round(float(np.clip(satisfaction + rng.normal(1.5, 1.5), 60.0, 98.0)), 2)
                # Expectation runs 0–15 points above satisfaction, never past 98 %.
                expectation = round(satisfaction + float(rng.uniform(0.0, min(15.0, 98.0 - satisfaction))), 2)
                row |= {f"{k}_assessment": assessment, f"{k}_satisfaction": satisfaction,
                        f"{k}_expectation": expectation}
                satisfactions.append(satisfaction)
            row["index"] = round(sum(satisfactions) / len(satisfactions), 2)
            rows.append(row)
    frame = pd.DataFrame(rows)
    frame["rank"] = 0
    for year in frame["year"].unique():
        mask = frame["year"] == year
        frame.loc[mask, "rank"] = competition_rank(list(frame.loc[mask, "index"]))
    return frame


def inspection_records(rng: np.random.Generator) -> pd.DataFrame:
    """Illustrative discipline inspection records, 2023-01 to 2024-12, in date order.

    Returns columns stt, date (a ``datetime.date``), date_text (the date typed as text on a
    few rows, else ""), unit, name (as written), team, kind ("Thường xuyên"/"Đột xuất"),
    category (as written), violations, officials, note.
    """
    units = [("ward", w) for w in WARDS] + [("office", o) for o in OFFICES]
    staff = {u: int(rng.integers(12, 23)) if b == "ward" else int(rng.integers(6, 19)) for b, u in units}
    visits = []
    for month in INSPECTION_MONTHS:
        year, mon = (int(part) for part in month.split("-"))
        for block, unit in units:
            repeat = unit in REPEAT_VIOLATORS
            count = 1 + int(rng.random() < SECOND_VISIT_RATE["repeat" if repeat else "normal"])
            for _ in range(count):
                visits.append(_visit(rng, year, mon, block, unit, staff[unit], repeat))
    # A stable sort keeps same-day visits in the order they were drawn.
    frame = pd.DataFrame(visits).sort_values("date", kind="stable").reset_index(drop=True)
    frame["date_text"] = ""
    typed = rng.choice(len(frame), size=TEXT_DATE_ROWS, replace=False)
    frame.loc[typed, "date_text"] = [frame.loc[i, "date"].strftime("%d/%m/%Y") for i in typed]
    frame["stt"] = range(1, len(frame) + 1)
    return frame[["stt", "date", "date_text", "unit", "name", "team", "kind", "category",
                  "violations", "officials", "note"]]


def _visit(rng: np.random.Generator, year: int, month: int, block: str, unit: str, staff: int,
           repeat: bool) -> dict:
    """One inspection visit: a working day of the month, a team, and what it found."""
    day = date(year, month, int(rng.integers(1, 29)))
    while day.weekday() >= 5:  # inspections happen on working days
        day += timedelta(days=1)
    kind = UNANNOUNCED if rng.random() < UNANNOUNCED_SHARE else REGULAR
    rate = min(0.85, VIOLATION_RATE[kind] * (REPEAT_FACTOR if repeat else 1.0))
    officials = max(3, staff - int(rng.integers(0, 4)))
    if rng.random() < rate:
        weights = CATEGORY_WEIGHTS_UNANNOUNCED if kind == UNANNOUNCED else CATEGORY_WEIGHTS_REGULAR
        codes = list(weights)
        code = codes[int(rng.choice(len(codes), p=list(weights.values())))]
        spellings = CATEGORY_SPELLINGS[code]
        category = spellings[int(rng.integers(0, len(spellings)))]
        violations = min(officials, 1 + int(rng.poisson(1.1 if kind == UNANNOUNCED else 0.5)))
        note = NOTES_ON_VIOLATION[int(rng.integers(0, len(NOTES_ON_VIOLATION)))]
    else:
        category, violations, note = NO_VIOLATION, 0, ""
    return {
        "date": day, "unit": unit,
        "name": _inspection_name(rng, block, unit), "team": TEAMS[int(rng.choice(len(TEAMS), p=TEAM_WEIGHTS))],
        "kind": kind, "category": category, "violations": violations, "officials": officials,
        "note": note,
    }


def _inspection_name(rng: np.random.Generator, block: str, unit: str) -> str:
    """Teams write the unit as it comes: full name mostly, sometimes a short form."""
    draw = rng.random()
    if block == "ward":
        if draw < 0.08:
            return f"UBND phường {unit}"
        if draw < 0.16:
            return f"P. {unit}"
        return f"Phường {unit}"
    if draw < 0.2 and unit in OFFICE_SHORT:
        return OFFICE_SHORT[unit]
    return unit


# =============================================================================================
# Workbooks
# =============================================================================================


def vi_number(value: float, decimals: int = 2) -> str:
    """A number as Vietnamese text with a decimal comma: 8.5 -> "8,50"."""
    return f"{value:.{decimals}f}".replace(".", ",")


def _points_label(value: float) -> str:
    """Maximum points as written in a header: 10 -> "10", 14.5 -> "14,5"."""
    return f"{value:g}".replace(".", ",")


@functools.cache
def _font(size: int, bold: bool, italic: bool) -> Font:
    """One shared Font per style: openpyxl hashes every style it is given, so reuse is faster."""
    return Font(name=FONT, size=size, bold=bold, italic=italic)


def _put(ws: Worksheet, row: int, col: int, value: object, *, bold: bool = False,
         italic: bool = False, align: Alignment | None = None, size: int = 11,
         number_format: str | None = None, border: bool = False) -> None:
    cell = ws.cell(row=row, column=col, value=value)
    cell.font = _font(size, bold, italic)
    if align is not None:
        cell.alignment = align
    if number_format and isinstance(value, (int, float)):
        cell.number_format = number_format
    if border:
        cell.border = BORDER


def _merge(ws: Worksheet, row: int, col: int, end_row: int, end_col: int, value: object, **style) -> None:
    """Write ``value`` in the top-left cell of a merged range, with borders on every cell."""
    border = style.pop("border", False)
    _put(ws, row, col, value, border=border, **style)
    if border:
        for r in range(row, end_row + 1):
            for c in range(col, end_col + 1):
                ws.cell(row=r, column=c).border = BORDER
    if (row, col) != (end_row, end_col):
        ws.merge_cells(start_row=row, start_column=col, end_row=end_row, end_column=end_col)


def _title_rows(ws: Worksheet, width: int, title: str, issuer: str = DISTRICT) -> None:
    """Rows 1–4 of an annex: issuer, "PHỤ LỤC", the title, the illustrative note."""
    _merge(ws, 1, 1, 1, min(width, 4), issuer, bold=True, align=CENTER, size=12)
    _merge(ws, 2, 1, 2, width, "PHỤ LỤC", bold=True, align=CENTER, size=13)
    _merge(ws, 3, 1, 3, width, title, bold=True, align=CENTER, size=13)
    _merge(ws, 4, 1, 4, width, ILLUSTRATIVE, italic=True, align=CENTER)
    ws.row_dimensions[3].height = 36


def _signature_rows(ws: Worksheet, row: int, width: int) -> None:
    """The note and signature rows that close an annex."""
    _put(ws, row, 1, FOOTNOTE, italic=True)
    _put(ws, row + 1, 2, "NGƯỜI LẬP BIỂU", bold=True, align=CENTER)
    _merge(ws, row + 1, width - 3, row + 1, width, "TRƯỞNG PHÒNG NỘI VỤ", bold=True, align=CENTER)


def _page_setup(ws: Worksheet, freeze: str) -> None:
    ws.freeze_panes = freeze
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _cell_value(value: float, as_text: bool) -> object:
    """A number as written: a float, or text with a decimal comma (2019), "-" when NaN."""
    if isinstance(value, float) and math.isnan(value):
        return "-"
    return vi_number(value) if as_text else float(value)


def write_par_sheet(ws: Worksheet, table: pd.DataFrame, framework: pd.DataFrame, year: int,
                    *, issuer: str = DISTRICT,
                    title: str = "CỦA CÁC PHÒNG, BAN VÀ UBND CÁC PHƯỜNG") -> None:
    """Lay out one year of ``par_table`` on ``ws`` like the district's annex (the city's from
    2025, when districts are gone: ``issuer`` and ``title`` say whose); only the blocks the
    table has get a heading.

    The 2019 sheet stores every number as text with a decimal comma, as that year's file did.
    """
    as_text = year == 2019
    codes = list(framework["criterion"])
    first_crit = 3
    total_col = first_crit + len(codes)
    width = total_col + 3
    _title_rows(ws, width, f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year} {title}", issuer)
    head = dict(bold=True, align=CENTER, border=True)
    _merge(ws, 6, 1, 7, 1, "STT", **head)
    _merge(ws, 6, 2, 7, 2, "Tên đơn vị", **head)
    col = first_crit
    for field, group in framework.groupby("field", sort=False):
        label = f"{field}. {group['field_name'].iloc[0]} ({_points_label(group['field_max'].iloc[0])} điểm)"
        _merge(ws, 6, col, 6, col + len(group) - 1, label, **head)
        for _, criterion in group.iterrows():
            _put(ws, 7, col, f"{criterion['criterion']} {criterion['criterion_name']}", **head)
            col += 1
    for offset, label in enumerate(("Tổng điểm", "Chỉ số (%)", "Xếp hạng", "Xếp loại")):
        _merge(ws, 6, total_col + offset, 7, total_col + offset, label, **head)

    # Row 8: maximum points of each criterion and of the total.
    _put(ws, 8, 1, None, border=True)
    _put(ws, 8, 2, "Điểm tối đa", bold=True, align=LEFT, border=True)
    for c, points in enumerate(framework["max_value"], start=first_crit):
        _put(ws, 8, c, _cell_value(float(points), as_text), bold=True, align=CENTER,
             number_format=POINTS_FORMAT, border=True)
    _put(ws, 8, total_col, _cell_value(100.0, as_text), bold=True, align=CENTER,
         number_format=POINTS_FORMAT, border=True)
    for c in range(total_col + 1, width + 1):
        _put(ws, 8, c, None, border=True)

    row = 9
    headings = {"office": "I. KHỐI PHÒNG, BAN CHUYÊN MÔN", "ward": "II. KHỐI PHƯỜNG"}
    for block in [b for b in ("office", "ward") if (table["block"] == b).any()]:
        _put(ws, row, 1, headings[block], bold=True, border=True)
        for c in range(2, width + 1):
            _put(ws, row, c, None, border=True)
        row += 1
        for _, unit in table[table["block"] == block].iterrows():
            _put(ws, row, 1, str(unit["stt"]) if as_text else int(unit["stt"]), align=CENTER, border=True)
            _put(ws, row, 2, unit["name"], align=LEFT, border=True)
            for c, code in enumerate(codes, start=first_crit):
                _put(ws, row, c, _cell_value(unit[code], as_text), align=CENTER,
                     number_format=POINTS_FORMAT, border=True)
            _put(ws, row, total_col, _cell_value(unit["total"], as_text), bold=True, align=CENTER,
                 number_format=POINTS_FORMAT, border=True)
            _put(ws, row, total_col + 1, _cell_value(unit["percent"], as_text), align=CENTER,
                 number_format=POINTS_FORMAT, border=True)
            _put(ws, row, total_col + 2, str(unit["rank"]) if as_text else int(unit["rank"]),
                 align=CENTER, border=True)
            _put(ws, row, total_col + 3, unit["group"], align=CENTER, border=True)
            row += 1

    numbers = [*codes, "total", "percent"]
    for label, summary in (("Trung bình", table[numbers].mean()), ("Điểm cao nhất", table[numbers].max())):
        _put(ws, row, 1, None, border=True)
        _put(ws, row, 2, label, bold=True, align=LEFT, border=True)
        for c, code in enumerate(numbers, start=first_crit):
            _put(ws, row, c, _cell_value(round(float(summary[code]), 2), as_text), bold=True,
                 align=CENTER, number_format=POINTS_FORMAT, border=True)
        for c in (width - 1, width):
            _put(ws, row, c, None, border=True)
        row += 1
    _signature_rows(ws, row + 1, width)

    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 34
    for c in range(first_crit, total_col):
        ws.column_dimensions[get_column_letter(c)].width = 10
    for c, size in zip(range(total_col, width + 1), (9, 9, 8, 8), strict=True):
        ws.column_dimensions[get_column_letter(c)].width = size
    ws.row_dimensions[6].height = 62
    ws.row_dimensions[7].height = 96
    _page_setup(ws, "C9")


def write_sipas_sheet(ws: Worksheet, table: pd.DataFrame, year: int) -> None:
    """Lay out one year of ``sipas_scores`` on ``ws``: five elements × three measures."""
    first = 3
    index_col = first + len(SIPAS_ELEMENTS) * len(SIPAS_MEASURES)
    width = index_col + 1
    _title_rows(ws, width, f"KẾT QUẢ ĐO LƯỜNG SỰ HÀI LÒNG CỦA NGƯỜI DÂN (SIPAS) NĂM {year}")
    head = dict(bold=True, align=CENTER, border=True)
    _merge(ws, 6, 1, 7, 1, "STT", **head)
    _merge(ws, 6, 2, 7, 2, "Tên đơn vị", **head)
    for k, element in enumerate(SIPAS_ELEMENTS, start=1):
        col = first + (k - 1) * len(SIPAS_MEASURES)
        _merge(ws, 6, col, 6, col + len(SIPAS_MEASURES) - 1, f"{k}. {element}", **head)
        for offset, measure in enumerate(SIPAS_MEASURES):
            _put(ws, 7, col + offset, measure, **head)
    _merge(ws, 6, index_col, 7, index_col, "Chỉ số SIPAS (%)", **head)
    _merge(ws, 6, width, 7, width, "Xếp hạng", **head)

    _put(ws, 8, 1, "KHỐI PHƯỜNG", bold=True, border=True)
    for c in range(2, width + 1):
        _put(ws, 8, c, None, border=True)
    measures = [f"{k}_{m}" for k in range(1, len(SIPAS_ELEMENTS) + 1)
                for m in ("assessment", "satisfaction", "expectation")]
    row = 9
    for _, unit in table.iterrows():
        _put(ws, row, 1, int(unit["stt"]), align=CENTER, border=True)
        _put(ws, row, 2, unit["name"], align=LEFT, border=True)
        for c, measure in enumerate([*measures, "index"], start=first):
            _put(ws, row, c, float(unit[measure]), bold=measure == "index", align=CENTER,
                 number_format=POINTS_FORMAT, border=True)
        _put(ws, row, width, int(unit["rank"]), align=CENTER, border=True)
        row += 1
    averages = table[[*measures, "index"]].mean()
    _put(ws, row, 1, None, border=True)
    _put(ws, row, 2, "Trung bình", bold=True, align=LEFT, border=True)
    for c, measure in enumerate([*measures, "index"], start=first):
        _put(ws, row, c, round(float(averages[measure]), 2), bold=True, align=CENTER,
             number_format=POINTS_FORMAT, border=True)
    _put(ws, row, width, None, border=True)
    _signature_rows(ws, row + 2, width)

    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 26
    for c in range(first, width + 1):
        ws.column_dimensions[get_column_letter(c)].width = 9
    ws.row_dimensions[6].height = 48
    ws.row_dimensions[7].height = 34
    _page_setup(ws, "C9")


INSPECTION_HEADERS = (
    ("STT", 6), ("Ngày kiểm tra", 13), ("Đơn vị được kiểm tra", 34), ("Đoàn kiểm tra", 26),
    ("Hình thức", 13), ("Nội dung vi phạm", 32), ("Số lượt vi phạm", 10),
    ("Số CBCC được kiểm tra", 12), ("Ghi chú", 30),
)


def write_inspections_sheet(ws: Worksheet, records: pd.DataFrame) -> None:
    """Lay out ``inspection_records`` on ``ws``: one header row, one row per visit."""
    width = len(INSPECTION_HEADERS)
    _title_rows(ws, width, "KẾT QUẢ KIỂM TRA CÔNG VỤ, KỶ CƯƠNG HÀNH CHÍNH NĂM 2023–2024")
    for c, (label, size) in enumerate(INSPECTION_HEADERS, start=1):
        _put(ws, 6, c, label, bold=True, align=CENTER, border=True)
        ws.column_dimensions[get_column_letter(c)].width = size
    row = 7
    for record in records.itertuples(index=False):
        values = (int(record.stt), record.date_text or record.date, record.name, record.team,
                  record.kind, record.category, int(record.violations), int(record.officials),
                  record.note)
        for c, value in enumerate(values, start=1):
            _put(ws, row, c, value, border=True,
                 align=LEFT if c in (3, 4, 6, 9) else CENTER)
        if not record.date_text:
            ws.cell(row=row, column=2).number_format = "dd/mm/yyyy"
        row += 1
    _put(ws, row, 1, None, border=True)
    _merge(ws, row, 2, row, 6, "Tổng cộng", bold=True, align=CENTER, border=True)
    _put(ws, row, 7, int(records["violations"].sum()), bold=True, align=CENTER, border=True)
    _put(ws, row, 8, int(records["officials"].sum()), bold=True, align=CENTER, border=True)
    _put(ws, row, 9, None, border=True)
    _signature_rows(ws, row + 2, width)
    ws.row_dimensions[6].height = 34
    _page_setup(ws, "A7")


def write_notes_sheet(ws: Worksheet, what_vi: str, what_en: str) -> None:
    """The "Ghi chú" sheet: the data are illustrative, made by this script with seed 2024."""
    lines = [
        ("GHI CHÚ / NOTES", True),
        (f"Nội dung: {what_vi}.", False),
        ("Đây là số liệu minh họa, không phải kết quả chính thức. Tệp được tạo bởi "
         f"data/make_sample.py với hạt giống ngẫu nhiên (seed) {SEED}.", False),
        ("Một số lỗi định dạng được đưa vào có chủ ý (tên đơn vị viết khác nhau, số lưu dạng "
         "chữ, ô '-' không áp dụng…) để kiểm tra chức năng nhập dữ liệu.", False),
        ("", False),
        (f"Contents: {what_en}.", False),
        ("These are illustrative numbers, not official results. The file was made by "
         f"data/make_sample.py with random seed {SEED}.", False),
        ("Some formatting mess is included on purpose (names spelled differently, numbers "
         "stored as text, '-' for not applicable…) to exercise the importer.", False),
        ("", False),
        ("Tạo lại / Regenerate: python data/make_sample.py [--out DIR]", False),
    ]
    for r, (text, bold) in enumerate(lines, start=1):
        _put(ws, r, 1, text or None, bold=bold, align=Alignment(wrap_text=True, vertical="top"))
    ws.column_dimensions["A"].width = 110


def build_par_workbook(rng: np.random.Generator) -> Workbook:
    """The PAR workbook: one sheet per year 2017–2024, then the notes sheet."""
    scores = par_scores(rng)
    book = Workbook()
    book.remove(book.active)
    for year in PAR_YEARS:
        write_par_sheet(book.create_sheet(str(year)), par_table(scores, year), par_framework(year), year)
    write_notes_sheet(book.create_sheet(NOTES_SHEET),
                      "Chỉ số cải cách hành chính (PAR Index) 2017–2024 của 12 phòng, ban và 18 "
                      "phường thuộc quận Hoàn Kiếm",
                      "PAR Index 2017–2024 of Hoàn Kiếm district's 12 offices and 18 wards")
    return book


def build_sipas_workbook(rng: np.random.Generator) -> Workbook:
    """The SIPAS workbook: one sheet per year 2017–2024, then the notes sheet."""
    scores = sipas_scores(rng)
    book = Workbook()
    book.remove(book.active)
    for year in SIPAS_YEARS:
        write_sipas_sheet(book.create_sheet(str(year)), scores[scores["year"] == str(year)], year)
    write_notes_sheet(book.create_sheet(NOTES_SHEET),
                      "Chỉ số hài lòng của người dân (SIPAS) 2017–2024 của 18 phường thuộc quận "
                      "Hoàn Kiếm",
                      "SIPAS citizen satisfaction 2017–2024 of Hoàn Kiếm district's 18 wards")
    return book


def build_inspections_workbook(rng: np.random.Generator) -> Workbook:
    """The inspection workbook: the records sheet, then the notes sheet."""
    book = Workbook()
    write_inspections_sheet(book.active, inspection_records(rng))
    book.active.title = INSPECTIONS_SHEET
    write_notes_sheet(book.create_sheet(NOTES_SHEET),
                      "Kết quả kiểm tra công vụ, kỷ cương hành chính 01/2023–12/2024 tại 18 "
                      "phường và 12 phòng, ban thuộc quận Hoàn Kiếm",
                      "Discipline inspection records 01/2023–12/2024 at Hoàn Kiếm district's "
                      "18 wards and 12 offices")
    return book


def write_all(out_dir: Path | str = HERE) -> list[Path]:
    """Write the three sample workbooks into ``out_dir`` (created if missing).

    Returns the paths written, PAR first, then SIPAS, then inspections. Each workbook draws
    from its own stream of ``default_rng(2024)``, so changing one leaves the others as they are.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    par_rng, sipas_rng, inspections_rng = np.random.default_rng(SEED).spawn(3)
    paths = []
    for name, build, rng in ((PAR_FILE, build_par_workbook, par_rng),
                             (SIPAS_FILE, build_sipas_workbook, sipas_rng),
                             (INSPECTIONS_FILE, build_inspections_workbook, inspections_rng)):
        book = build(rng)
        book.properties.creator = "data/make_sample.py"
        path = out / name
        book.save(path)
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the illustrative sample workbooks.")
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write into (default: data/)")
    args = parser.parse_args(argv)
    for path in write_all(args.out):
        print(f"{path} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
