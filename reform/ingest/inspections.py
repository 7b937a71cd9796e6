"""Read inspection records (kỷ cương hành chính) from a sheet already laid out by ``layout``.

A record: date, unit, team, regular or unannounced, category, violations, officials checked,
note. Each row keeps the cells it came from.
"""
from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from reform.analysis.discipline import match_category, match_kind
from reform.core.model import (
    INSPECTION_COLUMNS,
    Issue,
    Level,
    MatchMethod,
    Role,
    Severity,
    UnitMatch,
)
from reform.core.text import cell_ref, clean_text, parse_number
from reform.ingest.layout import SheetLayout, is_end, is_footer
from reform.ingest.readers import RawSheet
from reform.ingest.sheet import SheetData
from reform.ingest.units import UnitRegistry


def parse_date(value: object) -> date | None:
    """A date from an Excel date, "15/03/2023", "15-03-2023" or "2023-03-15"; None otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = clean_text(value)
    if not text:
        return None
    for dayfirst in (True,):
        parsed = pd.to_datetime(text, dayfirst=dayfirst, errors="coerce", format="mixed")
        if not pd.isna(parsed):
            return parsed.date()
    return None


_FIELDS = (Role.DATE, Role.TEAM, Role.KIND, Role.CATEGORY, Role.VIOLATIONS, Role.OFFICIALS, Role.NOTE)


def _text(sheet: RawSheet, r: int, c: int | None) -> str:
    return clean_text(sheet.cell(r, c)) if c is not None else ""


def _match(name: str, level: str | None, registry: UnitRegistry, overrides: dict[str, str],
           known: dict[str, UnitMatch]) -> UnitMatch:
    if name in overrides:
        chosen = overrides[name]
        return UnitMatch(name, chosen, registry.name(chosen), MatchMethod.CHOSEN, 100.0)
    return known.get(name) or registry.match(name, level)


def _counts(sheet: RawSheet, r: int, cols: dict[Role, int | None]) -> tuple[dict, list[Issue]]:
    """Violations and officials checked of row ``r`` (None when blank), and cells that are no number."""
    numbers, issues = {}, []
    for role in (Role.VIOLATIONS, Role.OFFICIALS):
        c = cols[role]
        value, problem = parse_number(sheet.cell(r, c)) if c is not None else (None, "")
        if problem:
            ref = cell_ref(r, c)
            issues.append(Issue.of(Severity.ERROR, sheet.name, ref, "ingest.inspection.not_number",
                                   sheet=sheet.name, cell=ref, value=clean_text(sheet.cell(r, c))))
        numbers[role] = value
    return numbers, issues


def _category(sheet: RawSheet, r: int, c: int | None) -> tuple[str, list[Issue]]:
    """The catalogue code of row ``r``'s category; "other", with a warning, for unknown text."""
    text = _text(sheet, r, c)
    category = match_category(text)
    if category is not None:
        return category, []
    if not text:
        return "other", []
    ref = cell_ref(r, c)
    return "other", [Issue.of(Severity.WARNING, sheet.name, ref, "ingest.unknown_category",
                              category=text, sheet=sheet.name, cell=ref)]


def _record(sheet: RawSheet, r: int, cols: dict[Role, int | None], day: date, unit_id: str,
            name_col: int) -> tuple[dict, list[Issue]]:
    """One inspection record of row ``r`` and the issues of its cells."""
    numbers, issues = _counts(sheet, r, cols)
    category, more = _category(sheet, r, cols[Role.CATEGORY])
    violations = numbers[Role.VIOLATIONS]
    if violations is None:
        violations = 0.0 if category == "none" else 1.0
    record = {
        "date": pd.Timestamp(day), "unit_id": unit_id, "team": _text(sheet, r, cols[Role.TEAM]),
        "kind": match_kind(_text(sheet, r, cols[Role.KIND])) or "regular", "category": category,
        "violations": int(violations), "officials_checked": int(numbers[Role.OFFICIALS] or 0),
        "note": _text(sheet, r, cols[Role.NOTE]), "source": f"{sheet.name}!{cell_ref(r, name_col)}",
    }
    return record, issues + more


def _record_rows(sheet: RawSheet, layout: SheetLayout) -> list[int]:
    """Rows of records: below the header, up to the end labels, without blanks and footers."""
    rows = []
    for r in range(layout.first_row, len(sheet.rows)):
        row = sheet.rows[r]
        name = clean_text(sheet.cell(r, layout.name_col))
        if not any(clean_text(v) for v in row):
            continue
        if is_end(name) or is_end(clean_text(row[0]) if row else ""):
            break
        if name and not is_footer(name):
            rows.append(r)
    return rows


def read_inspections(sheet: RawSheet, layout: SheetLayout, registry: UnitRegistry, *,
                     level: str | None = None,
                     unit_overrides: dict[str, str] | None = None) -> SheetData:
    """Records of an inspection sheet as ``INSPECTION_COLUMNS`` (without version) and issues.

    ``unit_overrides`` maps a name as written to the unit id the analyst chose."""
    cols = {role: (found[0].col if (found := layout.by_role(role)) else None) for role in _FIELDS}
    issues: list[Issue] = []
    records: list[dict] = []
    matches: dict[str, UnitMatch] = {}
    levels: dict[str, str] = {}
    for r in _record_rows(sheet, layout):
        name = clean_text(sheet.cell(r, layout.name_col))
        day = parse_date(sheet.cell(r, cols[Role.DATE])) if cols[Role.DATE] is not None else None
        if day is None:
            ref = cell_ref(r, cols[Role.DATE] or 0)
            issues.append(Issue.of(Severity.ERROR, sheet.name, ref, "ingest.not_date", sheet=sheet.name,
                                   cell=ref, value=clean_text(sheet.cell(r, cols[Role.DATE] or 0))))
            continue
        match = _match(name, level, registry, unit_overrides or {}, matches)
        if match.how == MatchMethod.NEW:
            registry.remember(match.unit_id, match.name, level or Level.UNIT)
        matches[name] = match
        levels[match.unit_id] = level or registry.level(match.unit_id)
        record, found = _record(sheet, r, cols, day, match.unit_id, layout.name_col)
        issues += found
        records.append(record)
    frame = pd.DataFrame(records, columns=[c for c in INSPECTION_COLUMNS if c != "version"])
    if not frame.empty:
        frame["period"] = frame["date"].dt.strftime("%Y")
    empty_scores = pd.DataFrame(columns=["index", "period", "unit_id", "component", "value", "max_value", "source"])
    return SheetData(
        layout=layout, period=None, period_source="dates", scores=empty_scores,
        published=pd.DataFrame(), inspections=frame, matches=list(matches.values()),
        unit_levels=levels, unit_rows={}, issues=issues)
