"""Read inspection records (kỷ cương hành chính) from a sheet already mapped by ``mapping``.

A record: date, unit, team, regular or unannounced, category, violations, officials checked,
note. Each row keeps the cells it came from.
"""
from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from reform.analysis.discipline import match_category, match_kind
from reform.core.model import INSPECTION_COLUMNS, Issue, UnitMatch
from reform.core.text import cell_ref, clean_text, parse_number
from reform.ingest.mapping import SheetData, SheetLayout, is_end, is_footer
from reform.ingest.readers import RawSheet
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


def read_inspections(sheet: RawSheet, layout: SheetLayout, registry: UnitRegistry, *,
                     level: str | None = None,
                     unit_overrides: dict[str, str] | None = None) -> SheetData:
    """Records of an inspection sheet as ``INSPECTION_COLUMNS`` (without version) and issues.

    ``unit_overrides`` maps a name as written to the unit id the analyst chose."""

    def col(role: str) -> int | None:
        found = layout.by_role(role)
        return found[0].col if found else None

    name_col = layout.name_col
    cols = {role: col(role) for role in ("date", "team", "kind", "category", "violations", "officials", "note")}
    issues: list[Issue] = []
    records: list[dict] = []
    matches: dict[str, UnitMatch] = {}
    levels: dict[str, str] = {}
    for r in range(layout.first_row, len(sheet.rows)):
        row = sheet.rows[r]
        name = clean_text(sheet.cell(r, name_col))
        if not any(clean_text(v) for v in row):
            continue
        if is_end(name) or is_end(clean_text(row[0]) if row else ""):
            break
        if not name or is_footer(name):
            continue
        where = f"{sheet.name}!"
        day = parse_date(sheet.cell(r, cols["date"])) if cols["date"] is not None else None
        if day is None:
            ref = cell_ref(r, cols["date"] or 0)
            issues.append(Issue(
                "error", sheet.name, ref,
                f"Ô {where}{ref} có '{clean_text(sheet.cell(r, cols['date'] or 0))}' không phải ngày. "
                "Chấp nhận: ngày Excel hoặc dạng 15/03/2024.",
                f"Cell {where}{ref} holds '{clean_text(sheet.cell(r, cols['date'] or 0))}', not a date. "
                "Accepted: an Excel date or 15/03/2024.", "not_date"))
            continue
        if name in (unit_overrides or {}):
            chosen = unit_overrides[name]
            match = UnitMatch(name, chosen, registry.name(chosen), "chosen", 100.0)
        else:
            match = matches.get(name) or registry.match(name, level)
        if match.how == "new":
            registry.remember(match.unit_id, match.name, level or "unit")
        matches[name] = match
        levels[match.unit_id] = level or registry.level(match.unit_id)
        numbers = {}
        for role in ("violations", "officials"):
            c = cols[role]
            value, problem = parse_number(sheet.cell(r, c)) if c is not None else (None, "")
            if problem:
                ref = cell_ref(r, c)
                issues.append(Issue(
                    "error", sheet.name, ref,
                    f"Ô {where}{ref} có '{clean_text(sheet.cell(r, c))}' không phải số.",
                    f"Cell {where}{ref} holds '{clean_text(sheet.cell(r, c))}', not a number.",
                    "not_number"))
            numbers[role] = value
        category_text = clean_text(sheet.cell(r, cols["category"])) if cols["category"] is not None else ""
        violations = numbers["violations"]
        category = match_category(category_text)
        if category is None:
            category = "other"
            if category_text:
                ref = cell_ref(r, cols["category"])
                issues.append(Issue(
                    "warning", sheet.name, ref,
                    f"Nội dung vi phạm '{category_text}' ở {where}{ref} không khớp danh mục: xếp vào 'Khác'.",
                    f"Category '{category_text}' at {where}{ref} matches no catalogue entry: filed as 'Other'.",
                    "unknown_category"))
        if violations is None:
            violations = 0.0 if category == "none" else 1.0
        kind_text = clean_text(sheet.cell(r, cols["kind"])) if cols["kind"] is not None else ""
        records.append({
            "date": pd.Timestamp(day), "unit_id": match.unit_id,
            "team": clean_text(sheet.cell(r, cols["team"])) if cols["team"] is not None else "",
            "kind": match_kind(kind_text) or "regular", "category": category,
            "violations": int(violations), "officials_checked": int(numbers["officials"] or 0),
            "note": clean_text(sheet.cell(r, cols["note"])) if cols["note"] is not None else "",
            "source": f"{sheet.name}!{cell_ref(r, name_col)}",
        })
    frame = pd.DataFrame(records, columns=[c for c in INSPECTION_COLUMNS if c != "version"])
    if not frame.empty:
        frame["period"] = frame["date"].dt.strftime("%Y")
    empty_scores = pd.DataFrame(columns=["index", "period", "unit_id", "component", "value", "max_value", "source"])
    return SheetData(
        layout=layout, period=None, period_source="dates", scores=empty_scores,
        published=pd.DataFrame(), inspections=frame, matches=list(matches.values()),
        unit_levels=levels, unit_rows={}, issues=issues)
