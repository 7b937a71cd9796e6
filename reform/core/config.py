"""Settings and limits. Every constant says why it has the value it has."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DATABASE_URL_ENV = "REFORM_DATABASE_URL"
"""Environment variable naming a shared store (PostgreSQL) for several app processes."""

DEFAULT_DATA_DIR = PROJECT_ROOT / "var"
"""Git-ignored folder for the embedded store, so a fresh clone needs no setup."""

SAMPLE_DIR = PROJECT_ROOT / "data"
"""Illustrative sample workbooks the app starts on (made by data/make_sample.py)."""

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
"""Annexes are a few hundred KB; 50 MB leaves room for national files while refusing dumps."""

MAX_HEADER_SCAN_ROWS = 30
"""Title blocks in official annexes run to 10 rows at most; 30 is generous yet cheap."""

MAX_HEADER_ROWS = 3
"""Real annexes stack at most three header rows (field, criterion, 'Điểm tối đa')."""

SUM_TOLERANCE = 0.02
"""Points are printed with 2 decimals; a sum may be off by rounding of each part."""

FUZZY_MATCH_MIN = 88
"""rapidfuzz score above which an unknown name is taken as a spelling of a known unit."""

FUZZY_SUGGEST_MIN = 70
"""rapidfuzz score above which a known unit is suggested for an unknown name."""

DEFAULT_USER = os.environ.get("REFORM_USER") or os.environ.get("USER") or "analyst"
"""Who is written in the audit log when nobody signed in (single-user desktop use)."""


def database_url(explicit: str | None = None) -> str:
    """The store to use: ``--db`` first, then ``REFORM_DATABASE_URL``, then the embedded file."""
    if explicit:
        return explicit
    env = os.environ.get(DATABASE_URL_ENV)
    if env:
        return env
    return f"sqlite:///{DEFAULT_DATA_DIR / 'reform.sqlite'}"


# Group thresholds: per index, a default (key None) and optional per-period overrides.
# Each scheme lists (label, lower bound in % of maximum) from the best group down; a value
# equal to a bound belongs to the upper group (80.0 is A when A is "≥ 80").
GROUP_SCHEMES: dict[str, dict[str | None, list[tuple[str, float]]]] = {
    "PAR": {
        None: [("A", 80.0), ("B", 75.0), ("C", 70.0), ("D", float("-inf"))],
        # From 2023 the city raised the bar (DOMAIN.md: 2023 A ≥ 90 %, B 80–90).
        "2023": [("A", 90.0), ("B", 80.0), ("C", 70.0), ("D", float("-inf"))],
        "2024": [("A", 90.0), ("B", 80.0), ("C", 70.0), ("D", float("-inf"))],
    },
    "SIPAS": {
        None: [("Tốt", 90.0), ("Khá", 80.0), ("Trung bình", 65.0), ("Yếu", float("-inf"))],
    },
    "DISCIPLINE": {
        None: [("Tốt", 90.0), ("Khá", 80.0), ("Trung bình", 65.0), ("Yếu", float("-inf"))],
    },
    # PAPI and PCI publish their own tiers (quartiles, VCCI's six tiers): none configured,
    # so computed groups fall back to quartiles and the published ones are shown beside.
}

QUARTILE_LABELS = ("Q1", "Q2", "Q3", "Q4")
"""Group labels when no thresholds are configured: Q1 is the best quarter."""

SIPAS_TARGET_PERCENT = 80.0
"""National target for citizen satisfaction (Resolution 76/NQ-CP)."""

# Inspection categories: code, Vietnamese name, English name, weight in the discipline score,
# and extra spellings met in inspection records (matched without accents and case).
INSPECTION_CATEGORIES: list[dict] = [
    {"code": "hours", "vi": "Giờ giấc làm việc", "en": "Working hours", "weight": 1.0,
     "aliases": ["đi muộn về sớm", "giờ làm việc", "thời gian làm việc", "đi muộn"]},
    {"code": "absence", "vi": "Bỏ vị trí công tác", "en": "Leaving the post", "weight": 1.5,
     "aliases": ["rời vị trí", "vắng mặt", "bỏ vị trí", "không có mặt tại vị trí"]},
    {"code": "dress", "vi": "Trang phục, thẻ công chức", "en": "Dress and badge", "weight": 0.5,
     "aliases": ["trang phục", "đeo thẻ", "thẻ công chức", "đồng phục"]},
    {"code": "attitude", "vi": "Thái độ với người dân", "en": "Attitude toward citizens",
     "weight": 2.0, "aliases": ["thái độ", "ứng xử với công dân", "quy tắc ứng xử", "giao tiếp"]},
    {"code": "private", "vi": "Việc riêng trong giờ làm việc", "en": "Private business in working hours",
     "weight": 1.0, "aliases": ["việc riêng", "làm việc riêng", "chơi game", "mua sắm"]},
    {"code": "tidiness", "vi": "Vệ sinh, sắp xếp nơi làm việc", "en": "Tidiness", "weight": 0.5,
     "aliases": ["vệ sinh", "ngăn nắp", "sắp xếp", "văn hóa công sở"]},
    {"code": "other", "vi": "Khác", "en": "Other", "weight": 1.0, "aliases": ["khác", "other"]},
]

DISCIPLINE_BASE_SCORE = 100.0
"""Discipline score rule: start from 100 …"""

DISCIPLINE_POINTS_PER_VIOLATION = 2.0
"""… and lose this many points per violation, times the category weight (floor 0)."""

DEFAULT_FIELD_MAXIMUM: dict[str, float] = {"PAPI": 10.0, "PCI": 10.0}
"""PAPI dimensions and PCI sub-indices are each scored out of 10 (their methodology notes);
files do not print it, so without this no % of maximum could be shown for them."""

DEFAULT_TOTAL_MAXIMUM: dict[str, float] = {"PCI": 100.0, "SIPAS": 100.0, "DISCIPLINE": 100.0}
"""Totals out of 100 whatever the file prints; PAPI's is 10 × its number of dimensions."""

SNAPSHOT_CACHE_DIR = Path(os.environ.get("REFORM_CACHE_DIR") or DEFAULT_DATA_DIR / "cache")
"""Parquet copies of the frames shown, keyed by store and state: a national store reloads
from them in tens of milliseconds instead of seconds of SQL after every app restart."""
