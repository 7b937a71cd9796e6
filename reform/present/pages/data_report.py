"""The Data page's reports: every issue with the unit of its row (the name as the file writes
it and the unit it was matched to), and what a crosswalk file holds before it is stored.

An analyst fixing a file reads "C10: '9l,5' is not a number" and must know whose row that is
without opening the file; the unit column says it. Pure: parsed files in, new frames out.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from reform.core.i18n import t
from reform.core.model import Issue, LineageSet
from reform.core.text import clean_text
from reform.ingest.crosswalk import Crosswalk
from reform.ingest.pipeline import ParsedFile
from reform.ingest.readers import RawWorkbook
from reform.present import labels
from reform.present.pages import data as uploads

ISSUE_COLUMNS = ["severity", "sheet", "cell", "unit_read", "unit", "message"]
"""The issue table's columns, in the order shown."""

_ROW = re.compile(r"(\d+)$")


def cell_row(cell: str) -> int | None:
    """The 1-based row of an A1 reference ("F12" -> 12); None for a column ("F") or "".

    >>> cell_row("AB120"), cell_row("F"), cell_row("")
    (120, None, None)
    """
    found = _ROW.search(str(cell or ""))
    return int(found.group(1)) if found else None


def row_units(parsed: ParsedFile) -> dict[tuple[str, int], str]:
    """{(sheet, row): unit_id} for every row a score, rank or inspection was read from
    (their ``source`` is "Sheet!F12")."""
    sources = [frame[["source", "unit_id"]] for frame in (parsed.scores, parsed.published,
                                                          parsed.inspections, parsed.published_changes)
               if {"source", "unit_id"} <= set(frame.columns)]
    found: dict[tuple[str, int], str] = {}
    for frame in sources:
        for source, unit_id in zip(frame["source"].astype(str), frame["unit_id"].astype(str),
                                   strict=True):
            sheet, _, cell = source.rpartition("!")
            row = cell_row(cell)
            if sheet and row is not None:
                found.setdefault((sheet, row), unit_id)
    return found


def _raw_names(parsed: ParsedFile, workbook: RawWorkbook) -> dict[tuple[str, int], str]:
    """{(sheet, row): the unit's name as written} read from each sheet's name column."""
    names: dict[tuple[str, int], str] = {}
    for data in parsed.sheets:
        layout = data.layout
        if layout.name_col is None:
            continue
        raw = workbook.sheet(layout.sheet)
        for row in range(layout.first_row, len(raw.rows)):
            text = clean_text(raw.cell(row, layout.name_col))
            if text:
                names.setdefault((layout.sheet, row + 1), text)
    return names


def issues_with_units(parsed: ParsedFile, workbook: RawWorkbook, *,
                      lang: str = "vi") -> pd.DataFrame:
    """The file's issues as ``ISSUE_COLUMNS``, errors first then warnings (each in the order
    found), messages whole; ``unit_read`` is the name in the issue's row as the file writes it
    and ``unit`` the unit it was matched to ("" when the issue is not about one row)."""
    units = row_units(parsed)
    raw = _raw_names(parsed, workbook)
    matched = {m.unit_id: m.name for m in parsed.matches()}
    matched.update(dict(zip(parsed.units.get("unit_id", []), parsed.units.get("name", []),
                            strict=True)))
    rows = []
    for issue in sorted(parsed.issues, key=lambda i: i.severity != "error"):
        row = cell_row(issue.cell)
        unit_id = units.get((issue.sheet, row)) if row is not None else None
        rows.append({
            "severity": t(f"uploads.severity.{issue.severity}", lang), "sheet": issue.sheet,
            "cell": issue.cell, "unit_read": raw.get((issue.sheet, row), "") if row else "",
            "unit": matched.get(unit_id, unit_id or ""), "message": issue.message(lang)})
    return pd.DataFrame(rows, columns=ISSUE_COLUMNS)


def published_changes_line(parsed: ParsedFile, *, lang: str = "vi") -> str | None:
    """How many published changes the file gave, and of which periods: "Đã đọc 6 mức tăng/giảm
    do tệp công bố: 2016 so với 2015." None when the file prints no change."""
    changes = parsed.published_changes
    if changes.empty:
        return None
    pairs = []
    for (period, compared), count in changes.groupby(["period", "compared_with"], sort=True).size().items():
        key = "data.published_changes.pair" if compared else "data.published_changes.pair_previous"
        pairs.append(t(key, lang, period=period, compared=compared, count=count))
    return t("data.published_changes", lang, count=len(changes), pairs="; ".join(pairs))


_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>()#+!|$~-])")


def escape_markdown(text: str) -> str:
    r"""``text`` with Markdown's marks escaped: a file's "$5" or "*" is shown, not formatted.

    >>> escape_markdown("a*b $5")
    'a\\*b \\$5'
    """
    return _MARKDOWN.sub(r"\\\1", str(text))


def issue_lines(table: pd.DataFrame) -> list[str]:
    """The issues of an ``issues_with_units`` table as whole Markdown lines for reading in
    full: "**Sheet1!C10** · Phường Hàng Bạc — message" (the file's text escaped)."""
    lines = []
    for row in table.itertuples(index=False):
        where = f"{row.sheet}!{row.cell}" if row.cell else row.sheet
        who = row.unit_read or row.unit
        who = f" · {escape_markdown(who)}" if who else ""
        lines.append(f"**{escape_markdown(where)}**{who} — {escape_markdown(row.message)}")
    return lines


def lineage_summary(lineage: LineageSet, crosswalk: Crosswalk, *, lang: str = "vi") -> str:
    """What a crosswalk file holds, in one sentence: file, sheet, links, old → new units, date."""
    links = lineage.links
    return t("cli.lineage.head", lang, file=lineage.file_name, sheet=crosswalk.sheet,
             effective=lineage.effective, links=len(links),
             old_units=int(links["old_unit_id"].nunique()) if not links.empty else 0,
             new_units=int(links["new_unit_id"].nunique()) if not links.empty else 0)


def lineage_issues(issues: Iterable[Issue], *, lang: str = "vi") -> pd.DataFrame:
    """A crosswalk's bad rows by cell: ``severity, sheet, cell, message``, errors first."""
    ordered = sorted(issues, key=lambda issue: issue.severity != "error")
    return pd.DataFrame(
        [{"severity": t(f"uploads.severity.{i.severity}", lang), "sheet": i.sheet,
          "cell": i.cell, "message": i.message(lang)} for i in ordered],
        columns=["severity", "sheet", "cell", "message"])


def lineage_links(links: pd.DataFrame, *, lang: str = "vi") -> pd.DataFrame:
    """A crosswalk's links as read, for checking before storing: old unit, its parent, new
    unit, how it was merged (in ``lang``) and the weight, with headers in ``lang``."""
    heads = {key: t(f"data.lineage.col.{key}", lang)
             for key in ("old", "old_parent", "new", "kind", "weight")}
    return pd.DataFrame({
        heads["old"]: links["old_name"].astype(str).to_numpy(),
        heads["old_parent"]: links["old_parent"].astype(str).to_numpy(),
        heads["new"]: links["new_name"].astype(str).to_numpy(),
        heads["kind"]: [t(f"lineage.kind.{kind}", lang) for kind in links["kind"].astype(str)],
        heads["weight"]: pd.to_numeric(links["weight"], errors="coerce").to_numpy(dtype=float),
    })


@dataclass(frozen=True)
class SheetView:
    """One sheet's columns as read (roles, examples rounded for reading) and its first rows."""

    sheet: str
    columns: pd.DataFrame
    first_rows: pd.DataFrame


@dataclass(frozen=True)
class FileView:
    """Every table the Data page shows for one upload read one way, in one language.

    Built once per file, store state, reading options and language: a rerun that only
    redraws (a tab, an expander, a click elsewhere) reads no file, no unit list and sorts no
    names again. ``issues`` and ``issue_lines`` are per reading (one per index the file holds).
    """

    issues: tuple[pd.DataFrame, ...]
    issue_lines: tuple[tuple[str, ...], ...]
    sheets: tuple[SheetView, ...]
    matches: pd.DataFrame
    choices: dict[str, str]
    attention: int


def file_view(parsed_files: Sequence[ParsedFile], workbook: RawWorkbook, units: pd.DataFrame, *,
              lang: str = "vi") -> FileView:
    """The tables of one upload: issues with their units, columns and first rows of each
    sheet, unit matches and the units offered for them (``units``: the store's)."""
    issues = tuple(issues_with_units(parsed, workbook, lang=lang) for parsed in parsed_files)
    sheets = []
    for layout in uploads.sheet_layouts(s for parsed in parsed_files for s in parsed.sheets):
        raw = workbook.sheet(layout.sheet)
        sheets.append(SheetView(
            layout.sheet, labels.readable_examples(uploads.columns_table(layout, raw), lang=lang),
            uploads.first_rows(layout, raw)))
    matched = uploads.all_matches(parsed_files)
    return FileView(
        issues=issues, issue_lines=tuple(tuple(issue_lines(table)) for table in issues),
        sheets=tuple(sheets), matches=uploads.matches_table(matched, lang=lang),
        choices=uploads.unit_choices(units, matched), attention=uploads.attention_count(matched))
