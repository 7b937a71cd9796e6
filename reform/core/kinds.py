"""Index kinds: what differs between PAR, SIPAS, discipline, PAPI and PCI, in one registry.

Code asks the kind (``kind_of("PAPI").additive``) and never compares index codes, the way
datasette registers one class per facet type. A code nobody registered (an office's own
index) gets ``IndexKind`` itself: not additive, quartile groups, no default maxima.
"""
from __future__ import annotations

from reform.core import config
from reform.core.i18n import has, t

GroupScheme = list[tuple[str, float]]
"""(label, lower bound in % of maximum) from the best group down."""


class IndexKind:
    """An index and the rules that come with it; subclasses set the class attributes."""

    code: str = ""
    additive: bool = False
    """Whether the total is the plain sum of its fields (a sum that differs is a warning)."""
    group_schemes: dict[str | None, GroupScheme] = {}
    """Thresholds per period (key ``None`` for the default); empty means quartiles."""
    field_maximum: float | None = None
    """Maximum points of each top-level field when files do not print it."""
    total_maximum: float | None = None
    """Maximum of the total when files do not print it (PAPI's follows its fields)."""
    from_inspections: bool = False
    """Scores are derived from inspection records rather than read from a results table."""
    names_in_files: tuple[str, ...] = ()
    """Folded words that name the index in a file name, sheet name or title."""

    def __init__(self, code: str | None = None) -> None:
        if code is not None:
            self.code = code

    def group_scheme(self, period: str) -> GroupScheme | None:
        """The thresholds for ``period``; ``None`` when groups are quartiles."""
        return self.group_schemes.get(period) or self.group_schemes.get(None)

    def name(self, lang: str = "vi") -> str:
        """The name shown to users: "Chỉ số CCHC (PAR Index)"; the code for a custom index."""
        key = f"index.{self.code}"
        return t(key, lang) if has(key) else self.code

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r})"


class ParIndex(IndexKind):
    code = "PAR"
    additive = True
    group_schemes = config.GROUP_SCHEMES["PAR"]
    names_in_files = ("cai cach hanh chinh", "cchc", "par index", "par")


class SipasIndex(IndexKind):
    code = "SIPAS"
    group_schemes = config.GROUP_SCHEMES["SIPAS"]
    total_maximum = 100.0
    names_in_files = ("sipas", "hai long", "satisfaction")


class DisciplineIndex(IndexKind):
    code = "DISCIPLINE"
    group_schemes = config.GROUP_SCHEMES["DISCIPLINE"]
    total_maximum = config.DISCIPLINE_BASE_SCORE
    from_inspections = True
    names_in_files = ("ky cuong", "kiem tra cong vu", "cong vu", "discipline", "inspection")


class PapiIndex(IndexKind):
    code = "PAPI"
    additive = True
    # PAPI dimensions are each out of 10 (its methodology notes); files do not print it.
    field_maximum = 10.0
    names_in_files = ("papi",)


class PciIndex(IndexKind):
    code = "PCI"
    # PCI sub-indices are out of 10 and its weighted total out of 100.
    field_maximum = 10.0
    total_maximum = 100.0
    names_in_files = ("pci",)


KINDS: tuple[IndexKind, ...] = (ParIndex(), SipasIndex(), DisciplineIndex(), PapiIndex(), PciIndex())
"""Every registered index, in the order menus list them."""

INDEX_CODES: tuple[str, ...] = tuple(kind.code for kind in KINDS)

_BY_CODE = {kind.code: kind for kind in KINDS}


def kind_of(code: str) -> IndexKind:
    """The registered kind of ``code``, or a plain ``IndexKind`` for a custom index.

    >>> kind_of("PAPI").additive
    True
    >>> kind_of("MY_OFFICE").additive
    False
    """
    return _BY_CODE.get(code) or IndexKind(code)


def inspection_kind() -> IndexKind:
    """The index whose scores are derived from inspection records (discipline)."""
    return next(kind for kind in KINDS if kind.from_inspections)
