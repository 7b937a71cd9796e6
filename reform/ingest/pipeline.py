"""From a file's bytes to validated canonical frames, ready to store: read → map → validate.

``import_file`` is the one import workflow the command line and the Data page call;
``parse_file`` is one read of it. Nothing here stores: ``ParsedFile.dataset()`` is what
``store.Store.save`` keeps, in one transaction.
"""
from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

import pandas as pd

from reform.analysis import scope
from reform.core.errors import FileRefused
from reform.core.i18n import t
from reform.core.kinds import INDEX_CODES, IndexKind, inspection_kind, kind_of
from reform.core.model import Dataset, Issue, Level, Role, Severity, UnitMatch, no_published_changes
from reform.core.text import clean_text, fold
from reform.ingest import inspections as discipline_import
from reform.ingest import shapes
from reform.ingest.layout import INSPECTIONS, SCORES, SheetLayout, detect_layout, infer_period
from reform.ingest.readers import RawSheet, RawWorkbook, read_workbook
from reform.ingest.sheet import SheetData, read_sheet
from reform.ingest.units import UnitRegistry
from reform.ingest.validation import validate_sheet

# Names that stand inside other indices' titles ("CCHC" in a PAPI report) are tried last.
_SEARCH_ORDER: tuple[IndexKind, ...] = tuple(kind_of(code) for code in ("PAPI", "PCI", "SIPAS", "DISCIPLINE", "PAR"))

PreviousUnits = dict[tuple[str, str], set[str]]
"""Per (index, period), the units of the period before it."""


@dataclass(frozen=True)
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
    published_changes: pd.DataFrame = field(default_factory=no_published_changes)
    """Changes of the total the file prints (``core.model.PUBLISHED_CHANGE_COLUMNS``)."""

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.severity == Severity.ERROR]

    @property
    def ok(self) -> bool:
        return not self.errors

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

    def dataset(self, options: dict | None = None) -> Dataset:
        """What the store keeps of this file; ``options`` are the choices it was read with.

        Options left unset do not count: the same file with the same choices is one upload,
        whether it came from the page or the command line.
        """
        return Dataset(
            index=self.index, periods=tuple(self.periods), file_name=self.file_name,
            sha256=self.sha256, data=self.data, scores=self.scores, components=self.components,
            published=self.published, inspections=self.inspections, units=self.units,
            sheets=tuple(s.layout.sheet for s in self.sheets), unit_count=self.unit_count,
            errors=tuple(self.errors), published_changes=self.published_changes,
            options={k: v for k, v in (options or {}).items() if v not in (None, "", {}, [])})


def infer_index(workbook: RawWorkbook, titles: list[str], headers: list[str] | None = None) -> str | None:
    """The index a file holds, from its name, then its sheet names, then its titles, then the
    headers of its columns ("Điểm số PCI")."""
    places = [workbook.file_name, " ".join(s.name for s in workbook.sheets), " ".join(titles),
              " ".join(headers or [])]
    for text in places:
        words = f" {fold(text)} "
        for kind in _SEARCH_ORDER:
            if any(f" {k} " in words or (len(k) > 4 and k in words) for k in kind.names_in_files):
                return kind.code
    return None


def import_file(data: bytes, file_name: str, units: pd.DataFrame,
                previous_units_of: Callable[[str, list[str]], PreviousUnits], **options) -> ParsedFile:
    """Read, map and validate one file against the known ``units``: the one import workflow.

    A second read, once the index and periods are known, warns about units of the previous
    period missing here: ``previous_units_of(index, periods)`` gives them (the store's
    ``previous_units``). ``options`` are those of :func:`parse_file`.
    Raises :class:`FileRefused` as :func:`parse_file` does.
    """
    # The parent a file is about (``--parent``) scopes every name it holds to that district or
    # province, so 'Cửa Nam' never resolves across provinces.
    parent = options.pop("parent", None) or ""
    parsed = parse_file(data, file_name, UnitRegistry(units).scoped(parent=parent), **options)
    previous = previous_units_of(parsed.index, parsed.periods) if parsed.periods else None
    if previous:
        parsed = _judged_against(parsed, units, previous) or parse_file(
            data, file_name, UnitRegistry(units).scoped(parent=parent), previous_units=previous, **options)
    return parsed


def _judged_against(parsed: ParsedFile, units: pd.DataFrame, previous: PreviousUnits) -> ParsedFile | None:
    """``parsed`` validated again, knowing the units of the periods before, without reading
    the file a second time (a national file takes tens of seconds to read and match); None
    when its issues do not end with its validation's, as ``parse_file`` lays them out."""
    first = _validate(parsed.sheets, units, parsed.index, None)
    if parsed.issues[len(parsed.issues) - len(first):] != first:
        return None
    again = _validate(parsed.sheets, units, parsed.index, previous)
    return replace(parsed, issues=parsed.issues[:len(parsed.issues) - len(first)] + again)


def import_each_index(data: bytes, file_name: str, units: pd.DataFrame,
                      previous_units_of: Callable[[str, list[str]], PreviousUnits],
                      **options) -> list[ParsedFile]:
    """:func:`import_file`, once per index when an index column names several and no index
    was asked for: a long table of PAR and SIPAS results gives two datasets.

    Returns the parsed files in the order of their index codes. Raises :class:`FileRefused`
    as :func:`import_file` does.
    """
    try:
        return [import_file(data, file_name, units, previous_units_of, **options)]
    except SeveralIndices as several:
        # The cells read to find the indices serve each index's read: the file is read once.
        return [import_file(data, file_name, units, previous_units_of,
                            **{**options, "index": code, "workbook": several.workbook})
                for code in several.indices]


def _checked_index(index: str | None) -> str | None:
    if index is None:
        return None
    index = index.upper()
    if index not in INDEX_CODES and not index.isidentifier():
        raise FileRefused.of("ingest.bad_index", index=index, codes=", ".join(INDEX_CODES))
    return index


Layouts = list[tuple[RawSheet, SheetLayout]]


def _layouts(workbook: RawWorkbook, registry: UnitRegistry, sheet: str | None,
             roles: dict[str, dict[str, str]] | None) -> tuple[Layouts, list[str]]:
    """The layout of each sheet holding a table, and the names of the others.

    Raises :class:`FileRefused` when the chosen ``sheet``, or every sheet, holds none."""
    candidates = [workbook.sheet(sheet)] if sheet else workbook.sheets
    layouts: Layouts = []
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
        raise FileRefused.of("ingest.no_sheet_table", file=workbook.file_name,
                             detail_vi=first.message_vi if first else "",
                             detail_en=first.message_en if first else "")
    return layouts, skipped


def _index_and_layouts(workbook: RawWorkbook, layouts: Layouts, index: str | None) -> tuple[str, Layouts]:
    """The index (given, inspections, else inferred) and the layouts to read for it.

    Raises :class:`FileRefused` naming ``--index`` when it cannot be told."""
    if any(layout.kind == INSPECTIONS for _, layout in layouts):
        index = index or inspection_kind().code
        layouts = [(raw, layout) for raw, layout in layouts if layout.kind == INSPECTIONS]
    named = sorted({code for raw, layout in layouts for code in shapes.shape_of(raw, layout).indices})
    if index is None and len(named) == 1:
        index = named[0]  # an index column that names one index
    elif index is None and len(named) > 1:
        raise SeveralIndices.of("ingest.several_indices", file=workbook.file_name,
                                indices=", ".join(named)).naming(named)
    index = index or infer_index(workbook, [layout.title for _, layout in layouts],
                                 [c.header for _, layout in layouts for c in layout.columns
                                  if c.role in (Role.TOTAL, Role.PERCENT)])
    if index is None:
        raise FileRefused.of("ingest.no_index", file=workbook.file_name)
    return index, layouts


class SeveralIndices(FileRefused):
    """An index column names several indices and none was asked for (``indices``: the codes)."""

    indices: tuple[str, ...] = ()
    workbook: RawWorkbook | None = None
    """The cells read, for the reads of each index."""

    def naming(self, indices: list[str]) -> SeveralIndices:
        self.indices = tuple(indices)
        return self


@dataclass
class _Reading:
    """What the sheets of one file gave so far (private to ``_read_sheets``)."""

    sheets: list[SheetData] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seen_periods: dict[str, str] = field(default_factory=dict)


def _read_scores(reading: _Reading, raw: RawSheet, layout: SheetLayout, registry: UnitRegistry, *,
                 file_name: str, index: str, period: str | None, level: str | None, alone: bool,
                 unit_overrides: dict[str, str] | None) -> None:
    """Read one score sheet: an annex as one period, a long or years-wide table per period."""
    parts = shapes.split_periods(raw, layout, index=index)
    if parts is None:
        _read_annex(reading, shapes.only_index(raw, layout, index), layout, registry, file_name=file_name,
                    index=index, period=period, level=level, alone=alone, unit_overrides=unit_overrides)
        return
    shape = shapes.shape_of(raw, layout)
    if period:
        parts = [part for part in parts if part.period == period]
        if not parts:
            raise FileRefused.of("ingest.period_not_in_file", file=file_name, period=period,
                                 periods=", ".join(shape.periods))
    said = shapes.describe(shape)
    for part in parts:
        _read_part(reading, part, registry, index=index, level=level, shape=shape.kind,
                   unit_overrides=unit_overrides, detected=layout, shape_text=said)
    for key in [key for key in raw.shared if key[0] == "numbers"]:
        del raw.shared[key]  # every period is read: the parsed columns are memory no step needs


def _read_annex(reading: _Reading, raw: RawSheet, layout: SheetLayout, registry: UnitRegistry, *,
                file_name: str, index: str, period: str | None, level: str | None, alone: bool,
                unit_overrides: dict[str, str] | None) -> None:
    sheet_period, source, seen = (period, "option", ()) if period else infer_period(raw, layout, file_name)
    if sheet_period is None:
        if alone:
            raise FileRefused.of("ingest.no_period", file=file_name, sheet=raw.name)
        reading.skipped.append(raw.name)
        return
    part = shapes.Part(raw, shapes.with_changes(layout, sheet_period, [sheet_period]), sheet_period, source)
    said = tuple(t("ingest.shape.annex", lang, period=sheet_period, source=t(f"ingest.source.{source}", lang))
                 + t("ingest.period_seen", lang, seen=", ".join(seen)) * bool(seen) for lang in ("vi", "en"))
    _read_part(reading, part, registry, index=index, level=level, shape=shapes.ANNEX,
               unit_overrides=unit_overrides, seen=seen, detected=layout, shape_text=said)


def _read_part(reading: _Reading, part: shapes.Part, registry: UnitRegistry, *, index: str,
               level: str | None, shape: str, unit_overrides: dict[str, str] | None,
               seen: tuple[str, ...] = (), detected: SheetLayout | None = None,
               shape_text: tuple[str, str] = ("", "")) -> None:
    """Read one period of a sheet; a period already read from another sheet is skipped."""
    name = part.sheet.name
    if part.period in reading.seen_periods:
        reading.issues.append(Issue.of(Severity.WARNING, name, "", "ingest.sheet_skipped", sheet=name,
                                       period=part.period, first=reading.seen_periods[part.period]))
        reading.skipped.append(name)
        return
    reading.seen_periods[part.period] = name
    part = shapes.pivot_indicators(part)
    layout = detect_layout(part.sheet, registry) if part.cells else part.layout
    # Names resolve to the units valid when the period closes, within the parent the file or
    # its title names: 'Cửa Nam' in 2024 is the old ward, in 2025 the new one.
    title = (detected or part.layout or layout).title
    registry = registry.scoped(on=scope.period_date(part.period),
                               parent=registry.parent or registry.parent_named_in(title))
    sheet_data = read_sheet(part.sheet, layout, registry, index=index, period=part.period,
                            period_source=part.source, level=level, unit_overrides=unit_overrides)
    sheet_data = replace(sheet_data, shape=shape, periods_seen=seen, detected=detected,
                         shape_text=shape_text,
                         scores=_in_file_cells(sheet_data.scores, part.cells),
                         published=_in_file_cells(sheet_data.published, part.cells),
                         changes=_in_file_cells(sheet_data.changes, part.cells))
    if sheet_data.scores.empty:
        reading.skipped.append(name)
        reading.issues.extend(i for i in sheet_data.issues if i.severity == Severity.ERROR)
        return
    reading.sheets.append(sheet_data)
    reading.issues.extend(sheet_data.issues)


def _in_file_cells(frame: pd.DataFrame, cells: dict[str, str]) -> pd.DataFrame:
    """``frame`` whose ``source`` names the file's cells rather than a pivoted sheet's."""
    if not cells or frame.empty:
        return frame
    return frame.assign(source=frame["source"].map(lambda s: shapes.file_cells(str(s), cells)))


def _read_sheets(layouts: Layouts, registry: UnitRegistry, *, file_name: str, index: str,
                 period: str | None, level: str | None, sheet: str | None,
                 unit_overrides: dict[str, str] | None) -> _Reading:
    """Each sheet read; a sheet whose period is unknown or already read is skipped."""
    reading = _Reading()
    for raw, layout in layouts:
        if layout.kind == INSPECTIONS:
            sheet_data = discipline_import.read_inspections(raw, layout, registry, level=level,
                                                            unit_overrides=unit_overrides)
            reading.sheets.append(sheet_data)
            reading.issues.extend(sheet_data.issues)
            continue
        _read_scores(reading, raw, layout, registry, file_name=file_name, index=index, period=period,
                     level=level, alone=bool(sheet) or len(layouts) == 1, unit_overrides=unit_overrides)
    return reading


def _hidden_sheets_read(workbook: RawWorkbook, sheets: list[SheetData]) -> list[Issue]:
    """A warning for each sheet read that is hidden in Excel: nobody saw it before sending."""
    read = {sheet_data.layout.sheet for sheet_data in sheets}
    return [Issue.of(Severity.WARNING, raw.name, "", "limits.hidden_sheet", sheet=raw.name)
            for raw in workbook.sheets if raw.hidden and raw.name in read]


def _validate(sheets: list[SheetData], known: pd.DataFrame, index: str,
              previous_units: PreviousUnits | None) -> list[Issue]:
    """The validation issues of ``sheets``; ``known``: the registry's units (their names)."""
    names = dict(zip(known["unit_id"], known["name"], strict=True))
    names.update({m.unit_id: m.name for s in sheets for m in s.matches})
    issues: list[Issue] = []
    for sheet_data in sheets:
        if sheet_data.layout.kind != SCORES:
            continue
        before = (previous_units or {}).get((index, sheet_data.period or ""), set())
        issues += validate_sheet(sheet_data, previous_units=before, unit_names=names)
    return issues


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
    previous_units: PreviousUnits | None = None,
    workbook: RawWorkbook | None = None,
) -> ParsedFile:
    """Read, map and validate one file.

    ``roles`` maps a sheet name to {column letter: role} chosen by the analyst;
    ``unit_overrides`` maps a name as written to the unit id the analyst chose;
    ``previous_units`` gives, per (index, period), the units of the period before, to warn
    about units that disappeared; ``workbook``: the cells of ``data`` when they were read
    already (by the read that found several indices in it).

    Raises :class:`FileRefused` when the file cannot be used at all: unreadable, no table,
    or no index/period that can be inferred (the message names the option to give).
    """
    with _no_cycle_collection():
        return _parse_file(data, file_name, registry, index=index, period=period, level=level, sheet=sheet,
                           roles=roles, unit_overrides=unit_overrides, previous_units=previous_units,
                           workbook=workbook)


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while a file is read: a national sheet holds a
    hundred thousand row lists that every full collection walks again (a tenth of the
    parse), and reading makes almost no cycles. Reference counting frees as before; the
    collector resumes, if it was running, when the file is read."""
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()


def _parse_file(data: bytes, file_name: str, registry: UnitRegistry, *, index: str | None,
                period: str | None, level: str | None, sheet: str | None,
                roles: dict[str, dict[str, str]] | None, unit_overrides: dict[str, str] | None,
                previous_units: PreviousUnits | None, workbook: RawWorkbook | None) -> ParsedFile:
    workbook = workbook or read_workbook(data, file_name)
    index = _checked_index(index)
    layouts, skipped = _layouts(workbook, registry, sheet, roles)
    try:
        index, layouts = _index_and_layouts(workbook, layouts, index)
    except SeveralIndices as several:
        several.workbook = workbook
        raise
    reading = _read_sheets(layouts, registry, file_name=file_name, index=index, period=period,
                           level=level, sheet=sheet, unit_overrides=unit_overrides)
    hidden = _hidden_sheets_read(workbook, reading.sheets)
    # Every sheet is read: letting go of the cells now keeps a national sheet's half gigabyte
    # of them out of the peak that validating and assembling add on top.
    workbook, layouts = replace(workbook, sheets=[]), []
    issues = reading.issues + hidden + _validate(reading.sheets, registry.units, index, previous_units)
    if not reading.sheets:
        raise FileRefused.of("ingest.no_scores", issues=issues, file=file_name,
                             detail_vi="; ".join(i.message_vi for i in issues[:3]),
                             detail_en="; ".join(i.message_en for i in issues[:3]))
    return _assemble(workbook, data, index, reading.sheets, issues, skipped + reading.skipped)


def _concat(frames: list[pd.DataFrame], columns: list[str] | None) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty]
    if frames:
        return pd.concat(frames, ignore_index=True)
    return pd.DataFrame(columns=columns) if columns else pd.DataFrame()


def _components(index: str, sheets: list[SheetData]) -> pd.DataFrame:
    rows = [{"index": index, "period": s.period, "component": node.code, "name": node.name,
             "parent": node.parent, "max_value": node.max_value, "order": node.order}
            for s in sheets for node in s.layout.components]
    return pd.DataFrame(rows, columns=["index", "period", "component", "name", "parent", "max_value", "order"])


def _units(sheets: list[SheetData]) -> pd.DataFrame:
    """The units met, each with every spelling it was written as."""
    found: dict[str, dict] = {}
    spelt: dict[tuple[type, object], str] = {}  # a name is met once per period of a long table
    for sheet_data in sheets:
        for match in sheet_data.matches:
            entry = found.setdefault(match.unit_id, {
                "unit_id": match.unit_id, "name": match.name, "how": str(match.how),
                "level": str(sheet_data.unit_levels.get(match.unit_id, Level.UNIT)), "spellings": set()})
            key = (match.raw_name.__class__, match.raw_name)
            entry["spellings"].add(spelt[key] if key in spelt else spelt.setdefault(key, clean_text(match.raw_name)))
    return pd.DataFrame([{**u, "spellings": tuple(sorted(u["spellings"]))} for u in found.values()],
                        columns=["unit_id", "name", "how", "level", "spellings"])


def _assemble(workbook: RawWorkbook, data: bytes, index: str, sheets: list[SheetData],
              issues: list[Issue], skipped: list[str]) -> ParsedFile:
    return ParsedFile(
        file_name=workbook.file_name, sha256=workbook.sha256, data=data, kind=workbook.kind, index=index,
        sheets=sheets,
        scores=_concat([s.scores for s in sheets],
                       ["index", "period", "unit_id", "component", "value", "max_value", "source"]),
        published=_concat([s.published for s in sheets], ["index", "period", "unit_id", "rank", "group", "source"]),
        components=_components(index, sheets), inspections=_concat([s.inspections for s in sheets], None),
        units=_units(sheets), issues=issues, skipped_sheets=skipped,
        published_changes=_concat([s.changes for s in sheets], None) if any(
            not s.changes.empty for s in sheets) else no_published_changes())
