"""Read a table of old → new units: the statistics office's crosswalk of the 2025 reorganisation
("Bảng chuyển đổi ĐVHC mới – cũ"), as published, or any table with old and new name/code
columns and an optional weight.

The published workbook has a sheet with merged cells (the layout people print) and one with a
row per link; both read to the same links. Steps: find the header row by a rule table →
expand merged cells → read each row into a link (kind from the note, by another rule table)
→ give every unit an id → derive the province level (63 → 34) from the same rows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pandas as pd

from reform.core import config
from reform.core.errors import FileRefused
from reform.core.model import (
    LINK_COLUMNS,
    UNIT_COLUMNS,
    Issue,
    Level,
    LineageSet,
    LinkKind,
    Severity,
)
from reform.core.text import cell_ref, clean_text, fold, slugify, unit_key
from reform.ingest.readers import RawSheet, RawWorkbook, read_workbook
from reform.ingest.units import level_named_in


@dataclass(frozen=True)
class Rule:
    """``pattern`` (a regex on folded text) means ``value``; ``why`` says where it is met."""

    pattern: str
    value: str
    why: str


HEADER_RULES: tuple[Rule, ...] = (
    Rule(r"\btinh\b.*\bcu\b|old province", "old_province", "'Tỉnh cũ'"),
    Rule(r"quan\s*huyen|\bhuyen\b|district", "old_parent", "'Quận/huyện cũ'"),
    Rule(r"\bten\b.*\bmoi\b|new name", "new_name", "'Tên Xã mới'"),
    Rule(r"\bma\b.*\bmoi\b|new code", "new_code", "'Mã Xã mới'"),
    Rule(r"\bten\b.*\bcu\b|old name", "old_name", "'Tên Xã cũ'"),
    Rule(r"\bma\b.*\bcu\b|old code", "old_code", "'Mã Xã cũ'"),
    Rule(r"ghi chu|\bnote\b|hinh thuc|loai hinh sap xep", "note", "'Ghi chú': how the unit merged"),
    Rule(r"ty le|trong so|weight|share", "weight", "a population or area share"),
    Rule(r"\btinh\b|province", "new_province", "'Tỉnh, thành phố (mới)': first, so the new one"),
)
"""Column roles by header text, first match wins; each role is taken once, leftmost."""

KIND_RULES: tuple[Rule, ...] = (
    Rule(r"mot phan|phan con lai", LinkKind.PART, "'Nhập một phần (diện tích, dân số)'"),
    Rule(r"giu nguyen|doi ten|doi loai hinh", LinkKind.UNCHANGED, "kept, or only renamed"),
    Rule(r"toan bo", LinkKind.WHOLE, "'Nhập toàn bộ', 'Sắp xếp toàn bộ huyện … thành đặc khu'"),
)
"""The kind of a link from its note; a note matching none is a warning and counts as whole."""

_REQUIRED = ("old_name", "new_name")
_EFFECTIVE = re.compile(r"(?:tu|from)\s+ngay\s+(\d{1,2})\s+(\d{1,2})\s+(\d{4})")
_TRAILING_CODE = re.compile(r"\s*\((\d+)\)\s*$")


@dataclass(frozen=True)
class Crosswalk:
    """Links read from one sheet, the date they take effect, and what was wrong, by cell."""

    links: pd.DataFrame
    effective: date
    sheet: str
    issues: tuple[Issue, ...]

    @property
    def ok(self) -> bool:
        return not any(issue.severity == Severity.ERROR for issue in self.issues)


def first_match(rules: tuple[Rule, ...], text: str) -> str | None:
    """The value of the first rule whose pattern is found in folded ``text``."""
    folded = fold(text)
    return next((rule.value for rule in rules if re.search(rule.pattern, folded)), None)


def find_header(sheet: RawSheet) -> tuple[int, dict[str, int]]:
    """The header row and its columns by role; raises ``FileRefused`` when there is none."""
    for row in range(min(len(sheet.rows), config.MAX_HEADER_SCAN_ROWS)):
        roles: dict[str, int] = {}
        for col, value in enumerate(sheet.rows[row]):
            role = first_match(HEADER_RULES, clean_text(value)) if clean_text(value) else None
            if role and role not in roles:
                roles[role] = col
        if all(role in roles for role in _REQUIRED):
            return row, roles
    raise FileRefused.of("lineage.no_header", sheet=sheet.name)


def effective_date(sheet: RawSheet, header_row: int) -> date:
    """'Đơn vị hành chính từ ngày 01/7/2025' above the header, else the configured date."""
    for row in sheet.rows[:header_row + 1]:
        for value in row:
            found = _EFFECTIVE.search(fold(value))
            if found:
                day, month, year = (int(part) for part in found.groups())
                return date(year, month, day)
    return config.REORGANISATION_DATE


def expand_merges(sheet: RawSheet) -> list[list[object]]:
    """The rows with each merged range's value copied into every cell of the range."""
    rows = [list(row) for row in sheet.rows]
    for first_row, first_col, last_row, last_col in sheet.merges:
        value = rows[first_row][first_col] if first_col < len(rows[first_row]) else ""
        for r in range(first_row, min(last_row, len(rows) - 1) + 1):
            for c in range(first_col, min(last_col, len(rows[r]) - 1) + 1):
                rows[r][c] = value
    return rows


def code_text(value: object) -> str:
    """An official code as text: 13669.0 → '13669', '73' → '00073' (commune codes have 5 digits)."""
    text = clean_text(value)
    return text.zfill(5) if text.isdigit() and len(text) < 5 else text


def split_code(value: object) -> tuple[str, str]:
    """'Thành phố Hà Nội (01)' → ('Thành phố Hà Nội', '01')."""
    text = clean_text(value)
    found = _TRAILING_CODE.search(text)
    return (text[:found.start()].strip(), found.group(1)) if found else (text, "")


def level_of(name: str, default: Level = Level.COMMUNE) -> Level:
    """The level a unit's name says ('Phường …' → ward); communes when it says none."""
    return level_named_in(name) or default


def read_crosswalk(workbook: RawWorkbook, sheet_name: str | None = None) -> Crosswalk:
    """The links of ``sheet_name`` (default: the first sheet with a crosswalk header).

    Raises ``FileRefused`` when no sheet has old and new name columns.
    """
    sheets = [workbook.sheet(sheet_name)] if sheet_name else workbook.sheets
    refusal: FileRefused | None = None
    for sheet in sheets:
        try:
            header_row, columns = find_header(sheet)
        except FileRefused as error:
            refusal = refusal or error
            continue
        effective = effective_date(sheet, header_row)
        rows, issues = read_rows(sheet, header_row, columns)
        links = assign_ids(pd.DataFrame(rows, columns=LINK_COLUMNS), effective)
        return Crosswalk(links, effective, sheet.name, tuple(issues) + fill_names(links, sheet.name))
    raise refusal or FileRefused.of("lineage.no_header", sheet=workbook.file_name)


def read_rows(sheet: RawSheet, header_row: int, columns: dict[str, int]) -> tuple[list[dict], list[Issue]]:
    """One dict per link below the header; merged and blank cells carry the row above."""
    grid = expand_merges(sheet)
    carried = {"new_province": "", "new_name": "", "new_code": "", "old_parent": "", "old_province": ""}
    rows: list[dict] = []
    issues: list[Issue] = []
    for r in range(header_row + 1, len(grid)):
        cells = {role: grid[r][c] if c < len(grid[r]) else "" for role, c in columns.items()}
        if not clean_text(cells.get("old_name")):
            continue  # a blank row or a province heading ("THÀNH PHỐ HÀ NỘI")
        carried = carry(carried, cells)
        link, issue = read_link(cells, carried, sheet.name, r, columns)
        rows.append(link)
        issues.extend([issue] if issue else [])
    return rows, issues


def carry(previous: dict[str, str], cells: dict[str, object]) -> dict[str, str]:
    """Blank new-unit cells continue the unit above, unless a new code starts another one."""
    current = {role: clean_text(cells.get(role)) for role in previous}
    current["new_code"] = code_text(cells.get("new_code"))
    starts_new_unit = bool(current["new_code"]) and current["new_code"] != previous["new_code"]
    merged = {}
    for role, value in current.items():
        keep_above = not value and not (starts_new_unit and role == "new_name")
        merged[role] = previous[role] if keep_above else value
    return merged


def read_link(cells: dict[str, object], carried: dict[str, str], sheet: str, row: int,
              columns: dict[str, int]) -> tuple[dict, Issue | None]:
    """One link, and a warning when its note names no known kind of merge."""
    note = clean_text(cells.get("note"))
    kind = first_match(KIND_RULES, note)
    issue = None
    if kind is None:
        issue = Issue.of(Severity.WARNING, sheet, cell_ref(row, columns.get("note", 0)),
                         "lineage.unknown_note", note=note or "∅")
        kind = LinkKind.WHOLE
    old_name, old_code = clean_text(cells.get("old_name")), code_text(cells.get("old_code"))
    weight = pd.to_numeric(clean_text(cells.get("weight")).replace(",", "."), errors="coerce")
    return {
        "old_unit_id": "", "old_name": old_name, "old_code": old_code,
        "old_level": level_of(old_name), "old_parent": split_code(carried["old_parent"])[0],
        "old_province": split_code(carried["old_province"])[0],
        "new_unit_id": "", "new_name": carried["new_name"], "new_code": carried["new_code"],
        "new_level": level_of(carried["new_name"]) if carried["new_name"] else Level.COMMUNE,
        "new_province": split_code(carried["new_province"])[0],
        "kind": LinkKind(kind), "weight": float(weight), "effective": "", "note": note,
        "source": f"{sheet}!{cell_ref(row, columns['old_name'])}",
    }, issue


def fill_names(links: pd.DataFrame, sheet: str) -> tuple[Issue, ...]:
    """Errors for links whose new unit has neither a name nor a code to find it by."""
    missing = links[(links["new_name"] == "") & (links["new_code"] == "")]
    return tuple(Issue.of(Severity.ERROR, sheet, source.split("!")[-1], "lineage.no_new_unit",
                          old=name) for source, name in zip(missing["source"], missing["old_name"],
                                                             strict=True))


def old_unit_id(level: str, name: str, code: str) -> str:
    """The id of a unit that ended at the reorganisation: level, name and code, because
    neither names (Cửa Nam in three provinces) nor codes (reused in 2025) are unique alone."""
    return f"{level}:{slugify(unit_key(name))}" + (f"-{code}" if code else "")


def new_unit_id(level: str, name: str, code: str, effective: date) -> str:
    """The id of a unit that starts at ``effective``: new Cửa Nam (00082) is
    'ward:cua-nam-00082@2025', never the old ward's id."""
    return f"{old_unit_id(level, name, code)}@{effective.year}"


def assign_ids(links: pd.DataFrame, effective: date) -> pd.DataFrame:
    """``links`` with unit ids, the effective date, and names filled from another row of the
    same new code (the merged sheet leaves some blank); a new frame."""
    out = links.copy()
    names = out[out["new_name"] != ""].drop_duplicates("new_code").set_index("new_code")["new_name"]
    blank = out["new_name"] == ""
    out.loc[blank, "new_name"] = out.loc[blank, "new_code"].map(names).fillna("")
    out["new_level"] = [level_of(n) if n else Level.COMMUNE for n in out["new_name"]]
    out["old_unit_id"] = [old_unit_id(lv, n, c) for lv, n, c
                          in zip(out["old_level"], out["old_name"], out["old_code"], strict=True)]
    out["new_unit_id"] = [new_unit_id(lv, n, c, effective) for lv, n, c
                          in zip(out["new_level"], out["new_name"], out["new_code"], strict=True)]
    out["effective"] = effective.isoformat()
    return out.drop_duplicates(["old_unit_id", "new_unit_id"]).reset_index(drop=True)


def province_links(links: pd.DataFrame) -> pd.DataFrame:
    """The province level (63 → 34) derived from commune links: an old province goes WHOLE into
    the new one that took all its communes, in PART into each of several."""
    pairs = links[(links["old_province"] != "") & (links["new_province"] != "")]
    pairs = pairs.groupby(["old_province", "new_province"], sort=False).size().reset_index(name="n")
    spread = pairs.groupby("old_province")["new_province"].transform("size")
    effective = date.fromisoformat(links["effective"].iloc[0]) if len(links) else config.REORGANISATION_DATE
    rows = []
    for old, new, many in zip(pairs["old_province"], pairs["new_province"], spread, strict=True):
        rows.append({
            "old_unit_id": province_id(old), "old_name": old, "old_code": "",
            "old_level": Level.PROVINCE, "old_parent": "", "old_province": "",
            "new_unit_id": f"{province_id(new)}@{effective.year}", "new_name": new, "new_code": "",
            "new_level": Level.PROVINCE, "new_province": "",
            "kind": LinkKind.PART if many > 1 else LinkKind.WHOLE, "weight": float("nan"),
            "effective": effective.isoformat(), "note": "", "source": "",
        })
    return pd.DataFrame(rows, columns=LINK_COLUMNS)


def province_id(name: str) -> str:
    """'Thành phố Hà Nội', 'THÀNH PHỐ HÀ NỘI' and 'Hà Nội' → 'province:ha-noi', the id the
    registry of the 63 provinces uses."""
    return f"province:{slugify(unit_key(name))}"


def attach_known_units(links: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """``links`` whose units carry the ids the registry already gives them (a new frame).

    A name matches (ignoring case, accents and the kind prefix, aliases included) a known unit
    of the same level whose parent has the link's old district, or for provinces any known
    province: 'Phường Cửa Nam' of 'Quận Hoàn Kiếm' is the registry's 'ward:cua-nam', while the
    Cửa Nam wards of Nam Định and Nghệ An keep ids of their own. Old names match units that
    existed before the links take effect, new names units that exist from then on.
    """
    effective = str(links["effective"].iloc[0]) if len(links) else ""
    starts = units["valid_from"].fillna("").astype(str)
    before = _name_index(units[(starts == "") | (starts < effective)], units)
    after = _name_index(units[(starts != "") & (starts >= effective)], units)
    out = links.copy()
    out["old_unit_id"] = [
        _known(before, level, name, "" if level == Level.PROVINCE else unit_key(parent)) or current
        for level, name, parent, current
        in zip(out["old_level"], out["old_name"], out["old_parent"], out["old_unit_id"], strict=True)]
    # New units too: today's registry (seeded from a maintained list) may already hold them,
    # sometimes under a code the crosswalk does not print; its id wins, matched by name within
    # the new province.
    out["new_unit_id"] = [
        _known(after, level, name, "" if level == Level.PROVINCE else unit_key(province)) or current
        for level, name, province, current
        in zip(out["new_level"], out["new_name"], out["new_province"], out["new_unit_id"], strict=True)]
    return out


def _name_index(units: pd.DataFrame, everyone: pd.DataFrame) -> dict[tuple[str, str, str], list[str]]:
    """(level, name key, parent's name key) → unit ids, every spelling of ``units`` included."""
    parents = dict(zip(everyone["unit_id"], everyone["name"], strict=True))
    index: dict[tuple[str, str, str], list[str]] = {}
    for row in units.itertuples(index=False):
        parent = unit_key(parents.get(row.parent_id, "")) if row.level != Level.PROVINCE else ""
        aliases = row.aliases if isinstance(row.aliases, tuple | list) else ()
        for spelling in {unit_key(row.name), *(unit_key(a) for a in aliases)}:
            index.setdefault((str(row.level), spelling, parent), []).append(row.unit_id)
    return index


def _known(index: dict[tuple[str, str, str], list[str]], level: str, name: str, parent: str) -> str:
    found = index.get((str(level), unit_key(name), parent), [])
    return found[0] if len(set(found)) == 1 else ""


def read_lineage(data: bytes, file_name: str, units: pd.DataFrame,
                 sheet: str | None = None) -> tuple[LineageSet, Crosswalk]:
    """A crosswalk file read into what the store keeps: commune and province links on the
    registry's ids, and the units it introduces with their parents and dates.

    Raises ``FileRefused`` when the file cannot be read or holds no crosswalk.
    """
    workbook = read_workbook(data, file_name)
    crosswalk = read_crosswalk(workbook, sheet)
    links = pd.concat([crosswalk.links, province_links(crosswalk.links)], ignore_index=True)
    links = attach_known_units(links, units)
    lineage = LineageSet(
        file_name=file_name, sha256=workbook.sha256, data=data,
        effective=crosswalk.effective.isoformat(), links=links,
        units=lineage_units(links, units, crosswalk.effective), sheets=(crosswalk.sheet,),
        errors=tuple(i for i in crosswalk.issues if i.severity == Severity.ERROR))
    return lineage, crosswalk


def lineage_units(links: pd.DataFrame, known: pd.DataFrame, effective: date) -> pd.DataFrame:
    """``UNIT_COLUMNS`` rows for the units of ``links`` the registry lacks: new units valid from
    ``effective`` under their new province; old ones, under their district and province, to the
    day before (their end is also derived from the links, so deleting the crosswalk undoes it)."""
    day_before = (pd.Timestamp(effective) - pd.Timedelta(days=1)).date().isoformat()
    rows: dict[str, dict] = {}
    for link in links.itertuples(index=False):
        new_parent = f"{province_id(link.new_province)}@{effective.year}" if link.new_province else ""
        _unit(rows, new_parent, link.new_province, Level.PROVINCE, "", effective.isoformat(), "")
        _unit(rows, link.new_unit_id, link.new_name, link.new_level, new_parent, effective.isoformat(), "")
        old_province = province_id(link.old_province) if link.old_province else ""
        old_district = (f"district:{slugify(unit_key(link.old_parent))}-{slugify(unit_key(link.old_province))}"
                        if link.old_parent else "")
        _unit(rows, old_district, link.old_parent, Level.DISTRICT, old_province, "", day_before)
        _unit(rows, link.old_unit_id, link.old_name, link.old_level, old_district or old_province, "", "")
    frame = pd.DataFrame(list(rows.values()), columns=UNIT_COLUMNS)
    return frame[~frame["unit_id"].isin(known["unit_id"])].reset_index(drop=True)


def _unit(rows: dict[str, dict], unit_id: str, name: str, level: str, parent: str,
          valid_from: str, valid_to: str) -> None:
    if unit_id and name and unit_id not in rows:
        rows[unit_id] = {"unit_id": unit_id, "name": name, "level": str(level), "parent_id": parent,
                         "aliases": (), "valid_from": valid_from, "valid_to": valid_to}
