"""Check what was read before it is stored. Returns issues; never raises for bad data.

Errors refuse the file (nothing is stored); warnings are shown and the file can be stored.
"""
from __future__ import annotations

import pandas as pd

from reform.analysis.ranking import competition_rank
from reform.core import config
from reform.core.i18n import format_number, t
from reform.core.model import TOTAL, Issue, Level, MatchMethod, Severity
from reform.ingest.sheet import SheetData


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
        issues.append(Issue.of(Severity.ERROR, sheet, cells[1], "ingest.duplicate_unit",
                               unit=names.get(unit_id, unit_id), cells=where))
    scores = data.scores
    if not scores.empty:
        issues += _negatives(scores, sheet)
        issues += _above_max(scores, sheet)
        if data.additive:
            issues += _sum_mismatch(scores, data, sheet, names)
    issues += _rank_disagreement(data, sheet, names)
    for match in data.matches:
        if match.how == MatchMethod.FUZZY:
            issues.append(Issue.of(Severity.WARNING, sheet, "", "ingest.fuzzy_unit", raw=match.raw_name,
                                   name=match.name, score=match.score))
        elif match.ambiguous:
            issues.append(Issue.of(Severity.WARNING, sheet, "", "ingest.ambiguous_unit", raw=match.raw_name,
                                   name=match.name, candidates="; ".join(match.ambiguous)))
        elif match.how == MatchMethod.NEW:
            close = ", ".join(match.suggestions)
            issues.append(Issue.of(
                Severity.WARNING, sheet, "", "ingest.unknown_unit", raw=match.raw_name,
                hint_vi=t("ingest.close_to", "vi", names=close) if close else "",
                hint_en=t("ingest.close_to", "en", names=close) if close else ""))
    if previous_units:
        present = set(scores["unit_id"]) if not scores.empty else set()
        for unit_id in sorted(previous_units - present):
            issues.append(Issue.of(Severity.WARNING, sheet, "", "ingest.missing_unit",
                                   unit=names.get(unit_id, unit_id)))
    return issues


def _numbers(name: str, value: float) -> dict[str, str]:
    """``value`` written in each language, as ``{name}_vi`` and ``{name}_en`` for a message."""
    return {f"{name}_{lang}": format_number(value, lang) for lang in ("vi", "en")}


def _cell(source: str) -> str:
    return source.rsplit("!", 1)[-1] if "!" in source else ""


def _negatives(scores: pd.DataFrame, sheet: str) -> list[Issue]:
    bad = scores[scores["value"] < 0]  # the few, before their sources are looked at
    bad = bad[~bad["source"].str.startswith("=")]
    return [Issue.of(Severity.ERROR, sheet, _cell(row.source), "ingest.negative", source=row.source,
                     **_numbers("value", row.value)) for row in bad.itertuples()]


def _above_max(scores: pd.DataFrame, sheet: str) -> list[Issue]:
    over = scores[scores["max_value"].notna() & (scores["value"] > scores["max_value"] + config.SUM_TOLERANCE)]
    over = over[~over["source"].str.startswith("=")]
    return [Issue.of(Severity.ERROR, sheet, _cell(row.source), "ingest.above_max", source=row.source,
                     **_numbers("value", row.value), **_numbers("maximum", row.max_value))
            for row in over.itertuples()]


def _sum_mismatch(scores: pd.DataFrame, data: SheetData, sheet: str, names: dict[str, str]) -> list[Issue]:
    fields = {n.code for n in data.layout.components if not n.parent}
    if not fields:
        return []
    in_fields = scores["component"].isin(fields).to_numpy(dtype=bool)  # the two columns summed, not all seven
    parts = scores.loc[in_fields, ["unit_id", "value"]].groupby("unit_id")["value"].sum().rename("expected")
    totals = scores[scores["component"] == TOTAL].merge(parts, left_on="unit_id", right_index=True)
    tolerance = max(config.SUM_TOLERANCE, 0.0) * max(1, len(fields) / 4)
    off = totals[(totals["expected"] - totals["value"]).abs() > tolerance + 1e-6 * totals["expected"].abs()]
    return [Issue.of(Severity.WARNING, sheet, _cell(row.source), "ingest.sum_mismatch",
                     unit=names.get(row.unit_id, row.unit_id), source=row.source,
                     **_numbers("value", row.value), **_numbers("expected", row.expected))
            for row in off.itertuples()]


def _rank_disagreement(data: SheetData, sheet: str, names: dict[str, str]) -> list[Issue]:
    published = data.published.dropna(subset=["rank"])
    totals = data.scores[data.scores["component"] == TOTAL][["unit_id", "value"]]
    if published.empty or totals.empty:
        return []
    frame = published.merge(totals, on="unit_id")
    frame["level"] = frame["unit_id"].map(data.unit_levels).fillna(Level.UNIT.value)
    frame["computed"] = frame.groupby("level")["value"].transform(competition_rank).astype("float64")
    wrong = frame[frame["computed"] != frame["rank"]]
    return [Issue.of(Severity.WARNING, sheet, _cell(row.source), "ingest.rank_mismatch",
                     unit=names.get(row.unit_id, row.unit_id), source=row.source, rank=row.rank,
                     computed=row.computed)
            for row in wrong.itertuples()]
