"""What each column of a sheet holds: a table of header rules, then the column's content.

A header is read against ``ROLE_RULES`` in order, the first rule that fits wins; a header no
rule names is judged by its values (numbers make a component, known unit names a name).
The rules are data, so each one can be read and tested on its own row.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from reform.core.model import MatchMethod, Role
from reform.core.text import clean_text, column_letter, fold, parse_number, strip_accents
from reform.ingest.units import UnitRegistry

SCORE_ROLES: tuple[Role, ...] = (
    Role.STT, Role.CODE, Role.NAME, Role.NAME_ALT, Role.COMPONENT, Role.TOTAL, Role.PERCENT,
    Role.RANK, Role.GROUP, Role.PERIOD, Role.INDEX, Role.INDICATOR, Role.VALUE, Role.CHANGE,
    Role.NOTE, Role.IGNORE)
INSPECTION_ROLES: tuple[Role, ...] = (
    Role.DATE, Role.TEAM, Role.KIND, Role.CATEGORY, Role.VIOLATIONS, Role.OFFICIALS)
ROLES: tuple[Role, ...] = SCORE_ROLES + INSPECTION_ROLES
"""Every role an analyst can choose for a column, in the order the Data page lists them."""

VALUE_ROLES: tuple[Role, ...] = (Role.COMPONENT, Role.TOTAL, Role.PERCENT, Role.RANK)
"""Roles whose cells are numbers read for each unit."""

_KEYED_ROLES = frozenset(
    (*VALUE_ROLES, Role.GROUP, Role.CODE, Role.STT, Role.PERIOD, Role.NOTE, Role.INDEX, Role.INDICATOR,
     Role.VALUE, Role.CHANGE, *INSPECTION_ROLES))
"""Roles whose cells belong to the unit named in a name column to their left."""


@dataclass(frozen=True)
class Column:
    """What one column holds, as detected or as corrected by the analyst."""

    col: int
    header: str
    parts: list[str]
    role: str
    component: str = ""
    name: str = ""
    parent: str = ""
    max_value: float | None = None
    key_col: int | None = None  # the name column that says which unit a value belongs to
    period: str = ""  # the period a header names ("Năm 2021"): one score of a years-wide table
    compared_with: str = ""  # a change column's earlier period, once its part is known

    @property
    def letter(self) -> str:
        return column_letter(self.col)


@dataclass(frozen=True)
class Header:
    """A column's header labels, folded once for the rules."""

    parts: tuple[str, ...]
    full: str  # every label, folded ("tong diem")
    last: str  # the lowest label, folded

    @classmethod
    def of(cls, parts: Sequence[str]) -> Header:
        return cls(tuple(parts), fold(" ".join(parts)), fold(parts[-1]) if parts else "")


def _plus_minus(header: Header) -> bool:
    return any(mark in " ".join(header.parts) for mark in ("+/-", "±", "+/−"))


def _one_label_in_percent(header: Header) -> bool:
    return "%" in " ".join(header.parts) and len(set(header.parts)) == 1


@dataclass(frozen=True)
class RoleRule:
    """A header that matches ``pattern`` (searched in the folded header) holds ``role``.

    ``last`` must also fit the lowest label in full, ``unless`` must not be found, and
    ``needs`` must hold, when given.
    """

    pattern: str
    role: Role
    why: str
    last: str | None = None
    unless: str | None = None
    needs: Callable[[Header], bool] | None = None

    def fits(self, header: Header) -> bool:
        return (re.search(self.pattern, header.full) is not None
                and (self.last is None or re.fullmatch(self.last, header.last) is not None)
                and (self.unless is None or re.search(self.unless, header.full) is None)
                and (self.needs is None or self.needs(header)))


ROLE_RULES: tuple[RoleRule, ...] = (
    RoleRule(r"^(stt|tt|so|thu|no)(\s|$)", Role.STT, "row number: 'STT', 'Số TT', 'No.'",
             last=r"stt|tt|so tt|thu tu|so thu tu|no|"),
    RoleRule(r"^(tang giam|tang|giam|thay doi|chenh lech|bien dong|change|difference)\b", Role.CHANGE,
             "a published change ('Tăng/giảm so với 2022'), not a period of its own"),
    RoleRule(r"", Role.CHANGE, "a change written '+/-'", needs=_plus_minus),
    RoleRule(r"\b(xep loai|nhom|phan loai|group|tier|grade)\b", Role.GROUP,
             "the group printed for the unit: 'Xếp loại'"),
    RoleRule(r"\b(xep hang|thu hang|rank|ranking)\b", Role.RANK, "the printed rank: 'Xếp hạng'"),
    RoleRule(r"^(ma|ma so|tinhid|code|id)\b", Role.CODE, "a unit code: 'Mã đơn vị', 'Mã tỉnh'"),
    RoleRule(r"\b(ghi chu|note|notes)\b", Role.NOTE, "a remark: 'Ghi chú'"),
    RoleRule(r"\b(ngay|date)\b", Role.DATE, "an inspection date, not 'ngày vi phạm' counts",
             unless=r"vi pham"),
    RoleRule(r"\b(doan kiem tra|to kiem tra|team|doan)\b", Role.TEAM,
             "the inspection team, not a count ('Số đoàn')", unless=r"^so(\s|$)"),
    RoleRule(r"\b(hinh thuc|loai kiem tra|kind)\b", Role.KIND, "regular or unannounced"),
    RoleRule(r"\b(so luot vi pham|so vi pham|so truong hop vi pham|so loi|violations)\b",
             Role.VIOLATIONS, "how many violations were found"),
    RoleRule(r"\b(so cbcc|so can bo|so cong chuc|so nguoi|officials|cbcc duoc kiem tra)\b",
             Role.OFFICIALS, "how many officials were checked"),
    RoleRule(r"\b(noi dung vi pham|loi vi pham|hanh vi vi pham|vi pham|category)\b",
             Role.CATEGORY, "what the violation was"),
    RoleRule(r"^(nam|year|ky|ky danh gia|thang|quy|period|nam danh gia)$", Role.PERIOD,
             "the period of a long table: 'Năm', 'Kỳ'"),
    RoleRule(r"\b(ten don vi|don vi|ten|tinh|tinh thanh|tinh thanh pho|co quan|province|unit"
             r"|tentinh\w*|dia phuong|phuong xa)\b", Role.NAME,
             "the unit's name, unless it speaks of an index or points", unless=r"\bchi so\b|\bdiem\b"),
    RoleRule(r"^(chi so|ty le|ket qua|diem|diem quy doi|chi so cchc|chi so cai cach hanh chinh"
             r"|ket qua chi so|)$", Role.PERCENT, "one label in %: 'Chỉ số (%)'",
             needs=_one_label_in_percent),
    RoleRule(r"^(tong diem|tong cong|diem tong|tong so diem|tong|total)\b", Role.TOTAL,
             "the total: 'Tổng điểm'"),
    RoleRule(r"sipas|pci|papi|par index|chi so cchc|chi so cai cach", Role.TOTAL,
             "the index itself ('Chỉ số SIPAS') is the total, not one of its parts",
             unless=r"thanh phan"),
    RoleRule(r"^(chi so|ten chi so|ma chi so|bo chi so|index)$", Role.INDEX,
             "which index a row of a long table is ('Chỉ số'); over numbers it is a score"),
    RoleRule(r"^(chi tieu|ten chi tieu|indicator|variable|noi dung|tieu chi|chi so thanh phan"
             r"|thanh phan|linh vuc)$", Role.INDICATOR,
             "the indicator of a long table's row; over numbers it is a score"),
    RoleRule(r"^(gia tri|value|diem|diem so|so diem|score)$", Role.VALUE,
             "the value beside an indicator column; alone it is a score"),
)
"""Header rules in the order they are tried: the first that fits names the role."""


def role_from_header(parts: Sequence[str]) -> Role | None:
    """The role ``ROLE_RULES`` give a header; None when no rule fits (or there is no label).

    >>> role_from_header(["Tổng điểm"])
    <Role.TOTAL: 'total'>
    """
    if not parts:
        return None
    header = Header.of(parts)
    return next((rule.role for rule in ROLE_RULES if rule.fits(header)), None)


def _numeric(value: object) -> bool:
    number, _ = parse_number(value)
    return number is not None


_YEAR_ONLY = re.compile(r"((?:19|20)\d\d)")
_QUARTER = re.compile(r"(?:(?:quy|q)\s*([1-4])\s+((?:19|20)\d\d))|(?:((?:19|20)\d\d)\s+q\s*([1-4]))")
_MONTH = re.compile(r"(?:(?:thang\s+)?(\d{1,2})\s+((?:19|20)\d\d))|(?:((?:19|20)\d\d)\s+(\d{1,2}))")
_PERIOD_WORDS = re.compile(r"^(?:(?:nam|ket qua|ket qua nam|diem|diem nam|chi so|chi so nam|ky|ky danh gia"
                           r"|year|tong diem nam)\s+)?(.+)$")


def period_of(value: object) -> str | None:
    """The period a cell names, written the canonical way, or None.

    >>> period_of(2016), period_of("Q1/2024"), period_of("Tháng 3/2024"), period_of("Hà Nội")
    ('2016', '2024-Q1', '2024-03', None)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return str(int(value)) if value == value and float(value).is_integer() and 1900 <= value <= 2099 else None
    text = fold(value)
    if _YEAR_ONLY.fullmatch(text):
        return text
    if found := _QUARTER.fullmatch(text):
        quarter, year = (found.group(1), found.group(2)) if found.group(1) else (found.group(4), found.group(3))
        return f"{year}-Q{quarter}"
    if found := _MONTH.fullmatch(text):
        month, year = (found.group(1), found.group(2)) if found.group(1) else (found.group(4), found.group(3))
        return f"{year}-{int(month):02d}" if 1 <= int(month) <= 12 else None
    return None


def header_period(parts: Sequence[str]) -> str | None:
    """The period a column's header names ("Năm 2021", "2022", "Kết quả 2023", "Q1/2024"),
    which makes it one period's score in a years-side-by-side table; None otherwise."""
    if not parts:
        return None
    found = _PERIOD_WORDS.fullmatch(fold(parts[-1]))
    return period_of(found.group(1)) if found else None


_PERIOD_IN_TEXT = re.compile(r"(?:(?:quy|q)\s*[1-4]\s+|thang\s+\d{1,2}\s+)?(?:19|20)\d\d(?:\s+q\s*[1-4])?")
_COMPARED = re.compile(r"\b(?:so voi|compared (?:with|to)|vs|versus|from)\b")
_RANK_WORDS = re.compile(r"\b(?:hang|thu hang|xep hang|bac|vi tri|rank|ranking|place|places)\b")


def change_periods(parts: Sequence[str]) -> tuple[str | None, str | None]:
    """The period a change column's header is about and the one it compares with, each None
    when not named: "Tăng/giảm 2016 so với 2015" gives ('2016', '2015'), "Tăng/giảm so với
    2022" (None, '2022'), "Chênh lệch 2015 - 2016" ('2016', '2015'), "Thay đổi" (None, None).

    >>> change_periods(["Tăng/giảm 2016 so với 2015"])
    ('2016', '2015')
    """
    text = fold(" ".join(parts))
    split = _COMPARED.search(text)
    before, after = (text[:split.start()], text[split.end():]) if split else (text, "")
    named = [p for m in _PERIOD_IN_TEXT.finditer(before) if (p := period_of(m.group(0)))]
    compared = next((p for m in _PERIOD_IN_TEXT.finditer(after) if (p := period_of(m.group(0)))), None)
    if compared is None and len(named) >= 2:  # "2015 - 2016": from the earlier to the later
        return max(named), min(named)
    return (named[-1] if named else None), compared


def is_rank_change(parts: Sequence[str]) -> bool:
    """A change of rank ("Tăng/giảm thứ hạng", "+/- bậc"), not of points: not read as a
    published change of the score."""
    return _RANK_WORDS.search(fold(" ".join(parts))) is not None


def role_from_values(header_role: Role | None, values: list[object], registry: UnitRegistry) -> Role:
    """The role of a column from its header's role (or None) and the values below it.

    A column without a header role holds components when mostly numbers, names when most
    values are known units; a total, percent or rank over text is ignored; a name-looking
    header ("Tỉnh") over numbers is a score.
    """
    filled = [v for v in values if clean_text(v)]
    numeric_share = sum(_numeric(v) for v in filled) / len(filled) if filled else 0.0
    if header_role in (None, Role.COMPONENT) and filled and all(period_of(v) for v in filled) \
            and len({period_of(v) for v in filled}) < len(filled):
        return Role.PERIOD  # values that all look like periods, repeated: a long table's period
    if header_role in (Role.INDEX, Role.INDICATOR, Role.VALUE) and filled:
        if header_role != Role.VALUE and numeric_share >= 0.5:
            return Role.COMPONENT
        if header_role == Role.VALUE and numeric_share < 0.5:
            return Role.IGNORE
    if header_role is None:
        if not filled:
            return Role.IGNORE
        if numeric_share >= 0.5:
            return Role.COMPONENT
        matched = sum(registry.match(v).how != MatchMethod.NEW for v in filled[:40])
        return Role.NAME if matched >= 0.5 * min(len(filled), 40) else Role.IGNORE
    if header_role in (Role.TOTAL, Role.PERCENT, Role.RANK) and filled and numeric_share < 0.5:
        return Role.IGNORE
    if header_role == Role.NAME and filled and numeric_share >= 0.8:
        return Role.COMPONENT
    return header_role


def with_chosen_roles(columns: list[Column], chosen: dict[str, str] | None) -> list[Column]:
    """``columns`` with the roles the analyst chose (column letter -> role) put in."""
    if not chosen:
        return list(columns)
    return [replace(c, role=Role(chosen[c.letter])) if c.letter in chosen else c for c in columns]


def scores_only(columns: list[Column]) -> list[Column]:
    """A results table has no inspection roles: counts are components, the rest ignored."""
    return [replace(c, role=Role.COMPONENT if c.role in (Role.VIOLATIONS, Role.OFFICIALS) else Role.IGNORE)
            if c.role in INSPECTION_ROLES else c for c in columns]


def _name_runs(columns: list[Column]) -> list[list[Column]]:
    """Name columns side by side (only row numbers, codes or other names between them)."""
    runs: list[list[Column]] = []
    for column in (c for c in columns if c.role == Role.NAME):
        between = [c for c in columns if runs and runs[-1][-1].col < c.col < column.col
                   and c.role not in (Role.IGNORE, Role.STT, Role.CODE, Role.NAME_ALT)]
        if runs and not between:
            runs[-1].append(column)
        else:
            runs.append([column])
    return runs


def resolve_names(columns: list[Column], body: list[list[object]], registry: UnitRegistry) -> list[Column]:
    """One name column per run of adjacent ones (the others become ``name_alt``), and every
    value column keyed to the name column on its left (or the first one)."""

    def quality(column: Column) -> tuple[int, int]:
        values = [row[column.col] for row in body if column.col < len(row) and clean_text(row[column.col])]
        accents = sum(clean_text(v) != strip_accents(clean_text(v)) for v in values)
        matched = sum(registry.match(v).how == MatchMethod.EXACT for v in values)
        vietnamese_header = int("vie" in fold(column.header) or "ten don vi" in fold(column.header))
        return (vietnamese_header, matched + accents)

    alternates = set()
    for run in _name_runs(columns):
        if len(run) > 1:
            best = max(run, key=quality)
            alternates.update(c.col for c in run if c is not best)
    columns = [replace(c, role=Role.NAME_ALT) if c.col in alternates else c for c in columns]
    key_cols = [c.col for c in columns if c.role == Role.NAME]

    def key_of(column: Column) -> int | None:
        left = [k for k in key_cols if k < column.col]
        return left[-1] if left else (key_cols[0] if key_cols else None)

    return [replace(c, key_col=key_of(c)) if c.role in _KEYED_ROLES else c for c in columns]


def resolve_totals(columns: list[Column]) -> list[Column]:
    """Several "total" headers: one in % is the percent column; otherwise the last is the
    total and earlier ones are components ("Tổng điểm thẩm định" vs a final "Tổng")."""
    totals = [c for c in columns if c.role == Role.TOTAL and not c.period]  # "Năm 2021" stays a total
    if len(totals) <= 1:
        return list(columns)
    with_percent = [c for c in totals if "%" in c.header]
    keep = [c for c in totals if c not in with_percent][-1:] or totals[-1:]
    out = list(columns)
    for i, column in enumerate(out):
        if column.role != Role.TOTAL or column in keep or column.period:
            continue
        percent_free = not any(p.role == Role.PERCENT for p in out)
        out[i] = replace(column, role=Role.PERCENT if column in with_percent and percent_free
                         else Role.COMPONENT)
    return out
