"""Tables for the Data page's upload preview, and the corrections an analyst makes in them.

The page shows what ``pipeline.import_file`` understood (each column's role, each unit name's
match, every issue) as editable tables; the functions here build those tables and turn the
analyst's edits back into the ``roles=`` and ``unit_overrides=`` options of ``parse_file``.
Pure functions: frames and values in, new frames or dicts out.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Protocol

import pandas as pd

from reform.core import config
from reform.core.errors import UsageError
from reform.core.i18n import t
from reform.core.model import Dataset, Issue, UnitMatch
from reform.core.text import clean_text, collation_key, column_letter
from reform.ingest.layout import SheetLayout
from reform.ingest.pipeline import ParsedFile
from reform.ingest.readers import RawSheet
from reform.ingest.sheet import SheetData
from reform.present.labels import index_label

_HOW_ORDER = {"new": 0, "fuzzy": 1, "chosen": 2, "alias": 3, "exact": 4}
"""Names that need the analyst's eye (new, fuzzy) come first in the match table."""

_PERIOD = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2])|-Q[1-4])?$")


class Upload(Protocol):
    """What an uploaded file offers (Streamlit's ``UploadedFile`` does)."""

    name: str

    def getvalue(self) -> bytes: ...


def distinct_uploads(files: Iterable[Upload] | None) -> list[Upload]:
    """``files`` without repeats: the first of several uploads with the same bytes is kept
    (each file gets one preview, whose widgets are keyed by its content)."""
    seen: set[str] = set()
    out = []
    for upload in files or []:
        digest = hashlib.sha256(upload.getvalue()).hexdigest()
        if digest not in seen:
            seen.add(digest)
            out.append(upload)
    return out


def check_period(text: str) -> str | None:
    """``text`` stripped, as a period ("2024", "2024-03", "2024-Q2"), or None when empty.

    Raises :class:`UsageError` naming the accepted forms when ``text`` is none of them.
    """
    value = clean_text(text).upper()
    if not value:
        return None
    if not _PERIOD.match(value):
        raise UsageError(
            f"Kỳ '{text}' không hợp lệ. Chấp nhận: năm (2024), tháng (2024-03) hoặc quý (2024-Q2).",
            f"Period '{text}' is not valid. Accepted: a year (2024), a month (2024-03) or a "
            "quarter (2024-Q2).")
    return value


def _show(value: object) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return clean_text(value)


def columns_table(layout: SheetLayout, raw: RawSheet, *, samples: int = 3) -> pd.DataFrame:
    """One row per column of the sheet's table, as read: ``letter, header, role, examples``
    (the first ``samples`` non-empty values below the header, joined with " | ")."""
    rows = []
    for column in layout.columns:
        values = []
        for r in range(layout.first_row, len(raw.rows)):
            text = _show(raw.cell(r, column.col))
            if text:
                values.append(text)
            if len(values) == samples:
                break
        rows.append({"letter": column.letter, "header": column.header, "role": str(column.role),
                     "examples": " | ".join(values)})
    return pd.DataFrame(rows, columns=["letter", "header", "role", "examples"])


def sheet_layouts(sheets: Iterable[SheetData]) -> list[SheetLayout]:
    """The layout of each sheet read, once per sheet even when it held several periods (a long
    or years-side-by-side table): the whole sheet's, where the analyst sets column roles."""
    found: dict[str, SheetLayout] = {}
    for sheet_data in sheets:
        found.setdefault(sheet_data.layout.sheet, sheet_data.detected or sheet_data.layout)
    return list(found.values())


def shape_lines(sheets: Iterable[SheetData], *, lang: str = "vi") -> list[str]:
    """What shape each sheet's table was found in, once per sheet: "Sheet 'X': long table: 13
    periods from column E." (annex: the period and where it came from, and the years seen)."""
    lines: dict[str, str] = {}
    for sheet_data in sheets:
        vi, en = sheet_data.shape_text
        if vi and sheet_data.layout.sheet not in lines:
            lines[sheet_data.layout.sheet] = f"'{sheet_data.layout.sheet}': {vi if lang == 'vi' else en}"
    return list(lines.values())


def changed_roles(before: pd.DataFrame, after: pd.DataFrame) -> dict[str, str]:
    """{column letter: new role} for the rows of a ``columns_table`` whose role was edited.

    ``before`` and ``after`` are the table shown and the table the editor returned (same rows).
    """
    if after.equals(before):  # every rerun without an edit: no merge to find nothing
        return {}
    joined = before[["letter", "role"]].merge(
        after[["letter", "role"]], on="letter", suffixes=("_before", "_after"))
    changed = joined[joined["role_before"] != joined["role_after"]]
    return dict(zip(changed["letter"], changed["role_after"], strict=True))


def first_rows(layout: SheetLayout, raw: RawSheet, *, rows: int = 5) -> pd.DataFrame:
    """The first ``rows`` rows of the table body as text, columns named by letter, with the
    spreadsheet row number as the index (so "row 7" reads as in Excel)."""
    width = max((c.col for c in layout.columns), default=-1) + 1
    end = min(len(raw.rows), layout.first_row + rows)
    records = [[_show(raw.cell(r, c)) for c in range(width)] for r in range(layout.first_row, end)]
    return pd.DataFrame(records, columns=[column_letter(c) for c in range(width)],
                        index=pd.Index(range(layout.first_row + 1, end + 1), name="row"))


def choice_label(unit_id: str, name: str) -> str:
    """How a unit is offered in the match editor: "Hàng Bạc (ward:hang-bac)"."""
    return f"{name} ({unit_id})"


def unit_choices(units: pd.DataFrame, matches: Iterable[UnitMatch]) -> dict[str, str]:
    """{label: unit_id} for every known unit and every unit a file proposes, in Vietnamese
    order of the names (labels from :func:`choice_label`)."""
    pairs = dict(zip(units["unit_id"], units["name"], strict=True))
    for match in matches:
        pairs.setdefault(match.unit_id, match.name)
    ordered = sorted(pairs.items(), key=lambda item: (collation_key(item[1]), item[0]))
    return {choice_label(unit_id, name): unit_id for unit_id, name in ordered}


def matches_table(matches: Iterable[UnitMatch], *, lang: str = "vi") -> pd.DataFrame:
    """One row per name as written in the file: ``raw_name, unit, how, score, suggestions``.

    ``unit`` is the chosen unit's :func:`choice_label`; ``how`` the match kind in ``lang``.
    A name met on several sheets or rows appears once. New and fuzzy matches come first,
    then the rest, each in Vietnamese order of the name as written.
    """
    seen: dict[str, UnitMatch] = {}
    for match in matches:
        seen.setdefault(match.raw_name, match)
    ordered = sorted(seen.values(), key=lambda m: (_HOW_ORDER.get(m.how, 9), collation_key(m.raw_name)))
    return pd.DataFrame(
        [{"raw_name": m.raw_name, "unit": choice_label(m.unit_id, m.name),
          "how": t(f"uploads.how.{m.how}", lang), "score": float(m.score),
          "suggestions": ", ".join(m.suggestions)} for m in ordered],
        columns=["raw_name", "unit", "how", "score", "suggestions"])


def attention_count(matches: Iterable[UnitMatch]) -> int:
    """How many distinct names as written were matched only fuzzily or not at all (new):
    the ones an analyst should look at before storing."""
    return len({m.raw_name for m in matches if m.how in ("new", "fuzzy")})


def changed_units(before: pd.DataFrame, after: pd.DataFrame,
                  choices: Mapping[str, str]) -> dict[str, str]:
    """{name as written: unit_id} for the rows of a ``matches_table`` whose unit was changed
    in the editor (``choices`` maps labels to ids, from :func:`unit_choices`).

    Raises :class:`UsageError` when an edited label is not one of ``choices``.
    """
    if after.equals(before):  # every rerun without an edit: no merge to find nothing
        return {}
    joined = before[["raw_name", "unit"]].merge(
        after[["raw_name", "unit"]], on="raw_name", suffixes=("_before", "_after"))
    changed = joined[(joined["unit_before"] != joined["unit_after"]) & joined["unit_after"].notna()]
    out = {}
    for raw_name, label in zip(changed["raw_name"], changed["unit_after"], strict=True):
        if label not in choices:
            raise UsageError(f"Không có đơn vị '{label}'.", f"There is no unit '{label}'.")
        out[raw_name] = choices[label]
    return out


def issues_table(issues: Iterable[Issue], *, lang: str = "vi") -> pd.DataFrame:
    """Issues as ``severity, sheet, cell, message`` in ``lang``: errors first, then warnings,
    each kind in the order found."""
    ordered = sorted(issues, key=lambda issue: issue.severity != "error")
    return pd.DataFrame(
        [{"severity": t(f"uploads.severity.{i.severity}", lang), "sheet": i.sheet, "cell": i.cell,
          "message": i.message(lang)} for i in ordered],
        columns=["severity", "sheet", "cell", "message"])


def issue_counts(issues: Iterable[Issue]) -> dict[str, int]:
    """{"error": n, "warning": m}."""
    issues = list(issues)
    return {severity: sum(i.severity == severity for i in issues) for severity in ("error", "warning")}


def save_options(*, index: str | None = None, period: str | None = None, level: str | None = None,
                 sheet: str | None = None, parent: str | None = None,
                 roles: Mapping[str, Mapping[str, str]] | None = None,
                 unit_overrides: Mapping[str, str] | None = None) -> dict:
    """The reading options to record with a stored version: only those given (so the same
    file read the same way is recognised as a duplicate, as the command line does)."""
    given = {"index": index, "period": period, "level": level, "sheet": sheet, "parent": parent,
             "roles": {k: dict(v) for k, v in (roles or {}).items() if v},
             "unit_overrides": dict(unit_overrides or {})}
    return {key: value for key, value in given.items() if value}


def save_message(*, file_name: str, version: int, duplicate: bool,
                 superseded: Iterable[int] = (), lang: str = "vi") -> str:
    """The sentence shown after pressing Store: the version, a duplicate, or what it replaced."""
    if duplicate:
        return t("uploads.duplicate", lang, file=file_name, version=version)
    old = ", ".join(str(v) for v in superseded)
    if old:
        return t("uploads.saved_superseding", lang, file=file_name, version=version, old=old)
    return t("uploads.saved", lang, file=file_name, version=version)


class Saved(Protocol):
    """What the store says of one dataset it kept (``store.SaveResult`` is one)."""

    version: int
    duplicate: bool
    superseded: tuple[int, ...]


def reading_options(*, index: str | None, period: str | None, level: str | None,
                    sheet: str | None, fixes: Mapping[str, Mapping]) -> dict:
    """The options of ``pipeline.import_each_index`` for one upload: the page's choices and
    the analyst's corrections (``fixes``: ``roles`` per sheet, ``units``), None when unset."""
    return {"index": index, "period": period, "level": level, "sheet": sheet or None,
            "roles": dict(fixes["roles"]) or None, "unit_overrides": dict(fixes["units"]) or None}


def editor_state_keys(keys: Iterable[object], key: str) -> list[str]:
    """The session-state keys of one file's editors (column roles, unit matches): dropped
    with the corrections, or the editors would apply their edits again."""
    return [str(k) for k in keys if str(k).startswith((f"roles_{key}_", f"units_{key}"))]


def summary_line(parsed: ParsedFile, *, lang: str = "vi") -> str:
    """What one reading holds: "Chỉ số **PCI** · kỳ 2016–2018 · 6 đơn vị · 0 thành phần"."""
    return t("data.summary", lang, index=parsed.index, periods=periods_label(parsed.periods) or "–",
             units=parsed.unit_count, components=parsed.component_count)


def several_line(parsed_files: Sequence[ParsedFile], *, lang: str = "vi") -> str:
    """Said above the readings of a file whose index column names several indices."""
    return t("data.several", lang, count=len(parsed_files),
             indices=", ".join(index_label(p.index, lang) for p in parsed_files))


def all_matches(parsed_files: Sequence[ParsedFile]) -> list[UnitMatch]:
    """Every unit match of every reading of one file (one per index it holds)."""
    return [match for parsed in parsed_files for match in parsed.matches()]


def holds_inspections(parsed_files: Sequence[ParsedFile]) -> bool:
    """Whether a reading of the file holds inspection records (their names are fixed in the file)."""
    return any(not parsed.inspections.empty for parsed in parsed_files)


def datasets_to_store(parsed_files: Sequence[ParsedFile], options: Mapping) -> list[Dataset]:
    """What the store keeps of one upload, one dataset per reading, with the options it was
    read with (``reading_options``). A file read once per index records each one's index,
    as ``python -m reform import`` does, so each is a version naming its index."""
    several = len(parsed_files) > 1
    return [parsed.dataset(save_options(**{**options, "index": options.get("index") or
                                           (parsed.index if several else None)}))
            for parsed in parsed_files]


def stored_message(file_name: str, parsed_files: Sequence[ParsedFile], results: Sequence[Saved],
                   *, lang: str = "vi") -> str:
    """The sentence shown after pressing Store: :func:`save_message` for a file of one index;
    for several, each index with its version ("PAPI version 1, PCI version 2")."""
    if len(results) == 1:
        [result] = results
        return save_message(file_name=file_name, version=result.version, duplicate=result.duplicate,
                            superseded=result.superseded, lang=lang)
    if all(result.duplicate for result in results):
        return t("uploads.duplicate", lang, file=file_name,
                 version=", ".join(str(result.version) for result in results))
    parts = []
    for parsed, result in zip(parsed_files, results, strict=True):
        kind = "duplicate" if result.duplicate else "superseding" if result.superseded else "saved"
        parts.append(t(f"uploads.part.{kind}", lang, index=index_label(parsed.index, lang),
                       version=result.version, old=", ".join(map(str, result.superseded))))
    return t("uploads.saved_several", lang, file=file_name, versions="; ".join(parts))


def datasets_table(datasets: Iterable[Mapping], *, lang: str = "vi") -> pd.DataFrame:
    """``Store.datasets()`` as a table: ``version, status, index, periods, file, units,
    uploaded_at, uploaded_by``, as shown: status and the index's name in ``lang``, periods as
    "2017–2024" or "2019, 2021", the sample's loader as "dữ liệu mẫu"/"sample data"."""
    rows = []
    for entry in datasets:
        rows.append({
            "version": int(entry["version"]),
            "status": status_text(entry, lang=lang),
            "index": index_label(entry["index"], lang), "periods": periods_label(entry["periods"]),
            "file": entry["file"], "units": int(entry["units"]),
            "uploaded_at": str(entry["uploaded_at"]).replace("T", " "),
            # The sample's loader is no person: say what it is, in the page's language.
            "uploaded_by": (t("data.sample_user", lang) if entry["uploaded_by"] == config.SAMPLE_USER
                            else entry["uploaded_by"]),
        })
    return pd.DataFrame(rows, columns=["version", "status", "index", "periods", "file", "units",
                                       "uploaded_at", "uploaded_by"])


def status_text(entry: Mapping, *, lang: str = "vi") -> str:
    """A version's status in ``lang``; an active version of which a later upload replaced
    some periods says which are still shown: "in use: 2017, 2019–2024 of 2017–2024".

    ``entry`` is a row of ``Store.datasets()`` (``periods_in_use`` optional: all in use)."""
    status = str(entry["status"])
    periods = list(entry["periods"])
    in_use = list(entry.get("periods_in_use", periods))
    if status == "active" and set(in_use) != set(periods):
        return t("uploads.status.partial", lang, used=periods_label(in_use) or "–",
                 periods=periods_label(periods))
    return t(f"uploads.status.{status}", lang)


def _year_runs(years: list[int]) -> list[tuple[int, int]]:
    """Sorted years as (first, last) runs of consecutive years."""
    runs: list[tuple[int, int]] = []
    for year in years:
        if runs and year == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], year)
        else:
            runs.append((year, year))
    return runs


def periods_label(periods: Iterable[str]) -> str:
    """A short label for a list of periods: consecutive years as a range ("2017–2024", or
    "2017, 2019–2024" with a gap), months by their first and last ("2023-01 … 2024-12"),
    anything else listed ("2019, 2021")."""
    items = sorted(set(periods))
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    if all(p.isdigit() for p in items):
        return ", ".join(str(a) if a == b else f"{a}–{b}"
                         for a, b in _year_runs([int(p) for p in items]))
    if all(len(p) == 7 and p[4] == "-" for p in items):
        return f"{items[0]} … {items[-1]}"
    return ", ".join(items)


def audit_table(audit: pd.DataFrame, *, limit: int = 50) -> pd.DataFrame:
    """The latest ``limit`` audit entries, newest first: ``at, who, action, version, detail``."""
    frame = audit.sort_values("id", ascending=False).head(limit)
    out = frame[["at", "who", "action", "version", "detail"]].reset_index(drop=True)
    return out.assign(version=out["version"].astype("Int64"))
