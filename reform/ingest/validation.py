"""Check what was read before it is stored. Returns issues; never raises for bad data.

Errors refuse the file (nothing is stored); warnings are shown and the file can be stored.
"""
from __future__ import annotations

import pandas as pd

from reform.core import config
from reform.core.i18n import format_number
from reform.core.model import TOTAL, Issue
from reform.ingest.mapping import SheetData


def validate_sheet(data: SheetData, *, previous_units: set[str] | None = None,
                   unit_names: dict[str, str] | None = None) -> list[Issue]:
    """Issues of one read sheet: duplicates, negatives, values above their maximum, totals
    that differ from the sum of their parts, published ranks that disagree with the totals,
    units missing since the previous period, and names not found in the registry."""
    sheet = data.layout.sheet
    names = unit_names or {}
    issues: list[Issue] = []
    for unit_id, cells in data.unit_rows.items():
        where = ", ".join(cells[:10]) + (f" … (+{len(cells) - 10})" if len(cells) > 10 else "")
        issues.append(Issue(
            "error", sheet, cells[1],
            f"Đơn vị '{names.get(unit_id, unit_id)}' xuất hiện nhiều lần ({where}). Mỗi đơn vị chỉ "
            "được có một dòng.",
            f"Unit '{names.get(unit_id, unit_id)}' appears more than once ({where}). Each unit may "
            "have one row only.", "duplicate_unit"))
    scores = data.scores
    if not scores.empty:
        issues += _negatives(scores, sheet)
        issues += _above_max(scores, sheet)
        if data.additive:
            issues += _sum_mismatch(scores, data, sheet, names)
    issues += _rank_disagreement(data, sheet, names)
    for match in data.matches:
        if match.how == "fuzzy":
            issues.append(Issue(
                "warning", sheet, "",
                f"Tên '{match.raw_name}' được hiểu là '{match.name}' (độ giống {match.score:.0f}%). "
                "Kiểm tra lại nếu chưa đúng.",
                f"Name '{match.raw_name}' was read as '{match.name}' (similarity {match.score:.0f}%). "
                "Check it if that is wrong.", "fuzzy_unit"))
        elif match.how == "new":
            hint_vi = f" Gần giống: {', '.join(match.suggestions)}." if match.suggestions else ""
            hint_en = f" Close to: {', '.join(match.suggestions)}." if match.suggestions else ""
            issues.append(Issue(
                "warning", sheet, "",
                f"Đơn vị '{match.raw_name}' chưa có trong danh mục: sẽ được thêm mới khi lưu.{hint_vi}",
                f"Unit '{match.raw_name}' is not in the registry: it will be added when stored.{hint_en}",
                "unknown_unit"))
    if previous_units:
        present = set(scores["unit_id"]) if not scores.empty else set()
        for unit_id in sorted(previous_units - present):
            issues.append(Issue(
                "warning", sheet, "",
                f"Đơn vị '{names.get(unit_id, unit_id)}' có ở kỳ trước nhưng không có trong tệp này.",
                f"Unit '{names.get(unit_id, unit_id)}' was in the previous period but is missing here.",
                "missing_unit"))
    return issues


def _cell(source: str) -> str:
    return source.rsplit("!", 1)[-1] if "!" in source else ""


def _negatives(scores: pd.DataFrame, sheet: str) -> list[Issue]:
    bad = scores[(scores["value"] < 0) & ~scores["source"].str.startswith("=")]
    return [Issue(
        "error", sheet, _cell(row.source),
        f"Ô {row.source} có giá trị âm ({format_number(row.value, 'vi')}). Điểm không được âm.",
        f"Cell {row.source} is negative ({format_number(row.value, 'en')}). Points cannot be negative.",
        "negative") for row in bad.itertuples()]


def _above_max(scores: pd.DataFrame, sheet: str) -> list[Issue]:
    over = scores[scores["max_value"].notna()
                  & (scores["value"] > scores["max_value"] + config.SUM_TOLERANCE)
                  & ~scores["source"].str.startswith("=")]
    return [Issue(
        "error", sheet, _cell(row.source),
        f"Ô {row.source} có {format_number(row.value, 'vi')} điểm, vượt điểm tối đa "
        f"{format_number(row.max_value, 'vi')}.",
        f"Cell {row.source} holds {format_number(row.value, 'en')} points, above the maximum "
        f"{format_number(row.max_value, 'en')}.", "above_max") for row in over.itertuples()]


def _sum_mismatch(scores: pd.DataFrame, data: SheetData, sheet: str, names: dict[str, str]) -> list[Issue]:
    fields = {n.code for n in data.layout.components if not n.parent}
    if not fields:
        return []
    parts = scores[scores["component"].isin(fields)].groupby("unit_id")["value"].sum().rename("expected")
    totals = scores[scores["component"] == TOTAL].merge(parts, left_on="unit_id", right_index=True)
    tolerance = max(config.SUM_TOLERANCE, 0.0) * max(1, len(fields) / 4)
    off = totals[(totals["expected"] - totals["value"]).abs() > tolerance + 1e-6 * totals["expected"].abs()]
    return [Issue(
        "warning", sheet, _cell(row.source),
        f"Tổng điểm của '{names.get(row.unit_id, row.unit_id)}' ở {row.source} là "
        f"{format_number(row.value, 'vi')} nhưng tổng các lĩnh vực là {format_number(row.expected, 'vi')}.",
        f"The total of '{names.get(row.unit_id, row.unit_id)}' at {row.source} is "
        f"{format_number(row.value, 'en')} but its fields add up to {format_number(row.expected, 'en')}.",
        "sum_mismatch") for row in off.itertuples()]


def _rank_disagreement(data: SheetData, sheet: str, names: dict[str, str]) -> list[Issue]:
    published = data.published.dropna(subset=["rank"])
    totals = data.scores[data.scores["component"] == TOTAL][["unit_id", "value"]]
    if published.empty or totals.empty:
        return []
    frame = published.merge(totals, on="unit_id")
    frame["level"] = frame["unit_id"].map(data.unit_levels).fillna("unit")
    frame["computed"] = frame.groupby("level")["value"].rank(method="min", ascending=False)
    wrong = frame[frame["computed"] != frame["rank"]]
    return [Issue(
        "warning", sheet, _cell(row.source),
        f"Xếp hạng in sẵn của '{names.get(row.unit_id, row.unit_id)}' ({row.source}) là "
        f"{row.rank:.0f} nhưng theo tổng điểm là {row.computed:.0f}.",
        f"The printed rank of '{names.get(row.unit_id, row.unit_id)}' ({row.source}) is "
        f"{row.rank:.0f} but its total puts it at {row.computed:.0f}.", "rank_mismatch")
        for row in wrong.itertuples()]
