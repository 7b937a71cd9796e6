"""From a file's bytes to validated canonical frames, ready to store: read → map → validate.

``parse_file`` never stores anything; ``store.Store.save`` does, in one transaction.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from reform.core.errors import FileRefused
from reform.core.kinds import INDEX_CODES
from reform.core.model import Issue, UnitMatch
from reform.core.text import clean_text, fold
from reform.ingest import inspections as discipline_import
from reform.ingest.mapping import SheetData, detect_layout, infer_period, read_sheet
from reform.ingest.readers import RawWorkbook, read_workbook
from reform.ingest.units import UnitRegistry
from reform.ingest.validation import validate_sheet

_INDEX_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("PAPI", ("papi",)),
    ("PCI", ("pci",)),
    ("SIPAS", ("sipas", "hai long", "satisfaction")),
    ("DISCIPLINE", ("ky cuong", "kiem tra cong vu", "cong vu", "discipline", "inspection")),
    ("PAR", ("cai cach hanh chinh", "cchc", "par index", "par")),
]


@dataclass
class ParsedFile:
    """What was read from one file: canonical frames, unit matches, the layout of each sheet
    and every issue found. ``ok`` is False when any issue is an error."""

    file_name: str
    sha256: str
    data: bytes
    kind: str
    index: str
    sheets: list[SheetData]
    scores: pd.DataFrame
    published: pd.DataFrame
    components: pd.DataFrame
    inspections: pd.DataFrame
    units: pd.DataFrame  # unit_id, name, level, raw names met (for new units and aliases)
    issues: list[Issue] = field(default_factory=list)
    skipped_sheets: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(issue.severity == "error" for issue in self.issues)

    @property
    def periods(self) -> list[str]:
        found = pd.concat([self.scores["period"], self.inspections.get("period", pd.Series(dtype=str))])
        return sorted(found.dropna().unique().tolist())

    @property
    def unit_count(self) -> int:
        ids = pd.concat([self.scores["unit_id"], self.inspections.get("unit_id", pd.Series(dtype=str))])
        return int(ids.nunique())

    @property
    def component_count(self) -> int:
        if self.components.empty:
            return 0
        return self.components["component"].nunique()

    def matches(self) -> list[UnitMatch]:
        return [m for sheet in self.sheets for m in sheet.matches]


def infer_index(workbook: RawWorkbook, titles: list[str]) -> str | None:
    """The index a file holds, from its name, then its sheet names, then its titles."""
    places = [workbook.file_name, " ".join(s.name for s in workbook.sheets), " ".join(titles)]
    for text in places:
        words = f" {fold(text)} "
        for code, keys in _INDEX_WORDS:
            if any(f" {k} " in words or (len(k) > 4 and k in words) for k in keys):
                return code
    return None


def parse_file(
    data: bytes,
    file_name: str,
    registry: UnitRegistry,
    *,
    index: str | None = None,
    period: str | None = None,
    level: str | None = None,
    sheet: str | None = None,
    roles: dict[str, dict[str, str]] | None = None,
    unit_overrides: dict[str, str] | None = None,
    previous_units: dict[tuple[str, str], set[str]] | None = None,
) -> ParsedFile:
    """Read, map and validate one file.

    ``roles`` maps a sheet name to {column letter: role} chosen by the analyst;
    ``unit_overrides`` maps a name as written to the unit id the analyst chose;
    ``previous_units`` gives, per (index, period), the units of the period before, to warn
    about units that disappeared.

    Raises :class:`FileRefused` when the file cannot be used at all: unreadable, no table,
    or no index/period that can be inferred (the message names the option to give).
    """
    workbook = read_workbook(data, file_name)
    if index is not None:
        index = index.upper()
        if index not in INDEX_CODES and not index.isidentifier():
            raise FileRefused(
                f"Mã chỉ số '{index}' không hợp lệ. Dùng: {', '.join(INDEX_CODES)} hoặc một mã riêng.",
                f"Index code '{index}' is not valid. Use: {', '.join(INDEX_CODES)} or a code of your own.")
    candidates = [workbook.sheet(sheet)] if sheet else workbook.sheets
    layouts = []
    skipped: list[str] = []
    refusals: list[FileRefused] = []
    for raw in candidates:
        try:
            layouts.append((raw, detect_layout(raw, registry, (roles or {}).get(raw.name))))
        except FileRefused as exc:
            if sheet:
                raise
            skipped.append(raw.name)
            refusals.append(exc)
    if not layouts:
        first = refusals[0] if refusals else None
        raise FileRefused(
            f"Tệp '{file_name}': không trang nào có bảng số liệu. {first.message_vi if first else ''}",
            f"File '{file_name}': no sheet holds a table. {first.message_en if first else ''}")

    kinds = {layout.kind for _, layout in layouts}
    if "inspections" in kinds:
        index = index or "DISCIPLINE"
        layouts = [(raw, layout) for raw, layout in layouts if layout.kind == "inspections"]
    index = index or infer_index(workbook, [layout.title for _, layout in layouts])
    if index is None:
        raise FileRefused(
            f"Tệp '{file_name}': không xác định được chỉ số (PAR, SIPAS, PAPI, PCI…) từ tên tệp, "
            "tên trang hay tiêu đề. Hãy chọn chỉ số (dòng lệnh: --index).",
            f"File '{file_name}': cannot tell which index it holds (PAR, SIPAS, PAPI, PCI…) from "
            "its name, sheets or title. Choose the index (command line: --index).")

    sheets: list[SheetData] = []
    seen_periods: dict[str, str] = {}
    issues: list[Issue] = []
    for raw, layout in layouts:
        if layout.kind == "inspections":
            sheet_data = discipline_import.read_inspections(raw, layout, registry, level=level,
                                                            unit_overrides=unit_overrides)
            sheets.append(sheet_data)
            issues += sheet_data.issues
            continue
        sheet_period, source = (period, "option") if period else infer_period(raw, layout, file_name)
        if sheet_period is None:
            if sheet or len(layouts) == 1:
                raise FileRefused(
                    f"Tệp '{file_name}', trang '{raw.name}': không xác định được kỳ (năm) từ tên trang, "
                    "tiêu đề hay tên tệp. Hãy nhập kỳ, ví dụ 2024 (dòng lệnh: --period).",
                    f"File '{file_name}', sheet '{raw.name}': cannot tell the period (year) from the "
                    "sheet name, title or file name. Give the period, e.g. 2024 (command line: --period).")
            skipped.append(raw.name)
            continue
        if sheet_period in seen_periods:
            issues.append(Issue(
                "warning", raw.name, "",
                f"Trang '{raw.name}' cũng là kỳ {sheet_period} như trang '{seen_periods[sheet_period]}': "
                "chỉ đọc trang đầu. Chọn trang khác bằng --sheet.",
                f"Sheet '{raw.name}' is also period {sheet_period}, like sheet "
                f"'{seen_periods[sheet_period]}': only the first was read. Pick another with --sheet.",
                "sheet_skipped"))
            skipped.append(raw.name)
            continue
        seen_periods[sheet_period] = raw.name
        sheet_data = read_sheet(
            raw, layout, registry, index=index, period=sheet_period, period_source=source,
            level=level, unit_overrides=unit_overrides)
        if sheet_data.scores.empty:
            skipped.append(raw.name)
            issues += [i for i in sheet_data.issues if i.severity == "error"]
            continue
        sheets.append(sheet_data)
        issues += sheet_data.issues

    names = dict(zip(registry.units["unit_id"], registry.units["name"], strict=True))
    names.update({m.unit_id: m.name for s in sheets for m in s.matches})
    for sheet_data in sheets:
        if sheet_data.layout.kind != "scores":
            continue
        before = (previous_units or {}).get((index, sheet_data.period or ""), set())
        issues += validate_sheet(sheet_data, previous_units=before, unit_names=names)

    if not sheets:
        detail_vi = "; ".join(i.message_vi for i in issues[:3])
        detail_en = "; ".join(i.message_en for i in issues[:3])
        raise FileRefused(
            f"Tệp '{file_name}': không đọc được điểm số nào. {detail_vi}",
            f"File '{file_name}': no score could be read. {detail_en}", issues=issues)
    return _assemble(workbook, data, index, sheets, issues, skipped)


def _assemble(workbook: RawWorkbook, data: bytes, index: str, sheets: list[SheetData],
              issues: list[Issue], skipped: list[str]) -> ParsedFile:
    score_frames = [s.scores for s in sheets if not s.scores.empty]
    scores = pd.concat(score_frames, ignore_index=True) if score_frames else pd.DataFrame(
        columns=["index", "period", "unit_id", "component", "value", "max_value", "source"])
    pub_frames = [s.published for s in sheets if not s.published.empty]
    published = pd.concat(pub_frames, ignore_index=True) if pub_frames else pd.DataFrame(
        columns=["index", "period", "unit_id", "rank", "group", "source"])
    insp_frames = [s.inspections for s in sheets if not s.inspections.empty]
    inspections = pd.concat(insp_frames, ignore_index=True) if insp_frames else pd.DataFrame()
    component_rows = []
    for sheet_data in sheets:
        for node in sheet_data.layout.components:
            component_rows.append({
                "index": index, "period": sheet_data.period, "component": node.code,
                "name": node.name, "parent": node.parent,
                "max_value": node.max_value, "order": node.order})
    components = pd.DataFrame(component_rows, columns=["index", "period", "component", "name", "parent", "max_value", "order"])
    unit_rows = {}
    for sheet_data in sheets:
        for match in sheet_data.matches:
            entry = unit_rows.setdefault(match.unit_id, {
                "unit_id": match.unit_id, "name": match.name, "how": match.how,
                "level": sheet_data.unit_levels.get(match.unit_id, "unit"), "spellings": set()})
            entry["spellings"].add(clean_text(match.raw_name))
    units = pd.DataFrame(
        [{**u, "spellings": tuple(sorted(u["spellings"]))} for u in unit_rows.values()],
        columns=["unit_id", "name", "how", "level", "spellings"])
    return ParsedFile(
        file_name=workbook.file_name, sha256=workbook.sha256, data=data, kind=workbook.kind,
        index=index, sheets=sheets, scores=scores, published=published, components=components,
        inspections=inspections, units=units, issues=issues, skipped_sheets=skipped)
