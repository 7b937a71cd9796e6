"""Settings and limits. Every constant says why it has the value it has."""
from __future__ import annotations

import os
from datetime import date
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

DISPLAY_DECIMALS = 2
"""Points and percentages are published with two decimals; tables and cards show the same."""

RATE_DECIMALS = 1
"""Rates (violations per official checked, shares of answers) read best with one decimal."""

STYLED_TABLE_MAX_CELLS = 6_000
"""Tables up to this many cells (400 units × 15 columns) write numbers by the interface
language (a pandas Styler, ~15 µs a cell on every rerun); larger ones send numbers rounded
to the same places, which the browser writes: styling a national ranking (10,000 units ×
15 columns) took seconds on each rerun."""

CHART_MAX_TRACES = 40
"""Most traces any chart may hold: one trace per unit stops drawing past a few hundred units
(10,000 line traces took 16 s to build), so many units go into one WebGL trace."""

HEATMAP_MAX_ROWS = 200
"""Rows a unit × column heatmap draws one per unit; a larger block is drawn as the top and
bottom units of its ranking, the note saying so (10,000 rows × 40 columns is 2 MB of JSON)."""

SAMPLE_USER = "sample"
"""The reserved uploader of the illustrative sample: its versions are told apart by it, so the
sample is never mixed with real data and is shown only for indices without real data."""


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

SNAPSHOT_CACHE_DIR = Path(os.environ.get("REFORM_CACHE_DIR") or DEFAULT_DATA_DIR / "cache")
"""Arrow copies of the frames shown, keyed by store and state: a national store reloads
from them in tens of milliseconds instead of seconds of SQL after every app restart."""

REORGANISATION_DATE = date(2025, 7, 1)
"""Resolution 202/2025/QH15: the 34 provinces and the merged communes exist from this day;
used when a crosswalk does not print its own 'từ ngày …' date."""

LINEAGE_MIN_COVERAGE = 0.5
"""A new unit gets a value re-aggregated from its predecessors only when at least half of them
have one: below that the mean speaks for too little of its territory."""

PERIOD_VALID_AT = "end"
"""A period belongs to the units valid at its end (a year at 31 December): results for 2025 are
published on the units that existed when the year closed."""

# Input limits (reform.ingest.limits): each passes the real files in tests/realdata and a
# 100,000-row × 45-column national export (144 MB of sheet XML, 23 MB zipped), and refuses
# what no office sends: bombs, sparse corner cells, runaway CSVs.
MAX_ZIP_MEMBER_BYTES = 300 * 1024 * 1024
"""Inflated size of one part of an .xlsx: the national export's sheet is 144 MB of XML, and
Excel's style attributes and 17-digit floats can make the same data about 230 MB."""

MAX_ZIP_TOTAL_BYTES = 400 * 1024 * 1024
"""Inflated size of all parts together: one national sheet plus its shared strings and styles;
more would need more memory than the app has, whatever the cells hold."""

MAX_ZIP_RATIO = 100
"""Inflated ÷ zipped size of one part: real sheets inflate 5–20× (the crosswalk 17×), zip bombs
about 1,000× (the most deflate allows)."""

ZIP_RATIO_MIN_BYTES = 1024 * 1024
"""The ratio is judged only on parts that inflate past 1 MB: a tiny XML of repeated tags may
compress 200× and still inflates to nothing."""

MAX_ZIP_MEMBERS = 2000
"""Parts in one .xlsx: the real files have 19–40; a workbook of 500 ward sheets with their
relations and drawings stays under 2,000."""

MAX_ROWS = 200_000
"""Rows of one sheet: twice the 100,000-row national export; the most any real file has is the
10,607-row crosswalk of units."""

MAX_COLUMNS = 1000
"""Columns of one sheet: the real files have at most 32, the national export 45, a years-wide
file 20 years × 20 components = 400; Excel's 16,384 are only reached by hostile files."""

MAX_CELLS = 6_000_000
"""Rows × columns of one sheet: the national export is 4.5 million cells and takes about
750 MB to read; 6 million keeps one upload under about 1 GB."""

MAX_CELL_CHARS = 32_767
"""Characters in one cell: Excel itself holds no more; a longer cell was not typed in Excel."""

MAX_MERGES = 300_000
"""Merged ranges in one sheet: the crosswalk merges 15,915 ranges over 10,607 rows; merged the
same way, a national sheet of 200,000 rows would hold about 300,000."""

RENDER_TABS = 2
"""Browser tabs of the kept kaleido Chromium: two sessions exporting at once each get one."""

RENDER_START_SECONDS = 60
"""Time allowed to start Chromium for chart images: a cold start on a busy 2-core box takes ~8 s."""

RENDER_IMAGE_SECONDS = 90
"""Time allowed for one chart image once Chromium runs (kaleido's own default timeout)."""

SLIDE_IMAGE_WIDTH = 1920
"""Layout width of a slide chart: the 1080p projector the meeting rooms use."""

SLIDE_IMAGE_HEIGHT = 1080
"""Layout height of a full-slide chart image (16:9)."""

SLIDE_IMAGE_SCALE = 2
"""Slide and chart PNGs are drawn at twice their layout size, sharp on a 4K screen."""

SLIDE_MIN_FONT_PX = 24
"""Smallest text on a slide at 1920×1080: readable from the back of a meeting room."""

DECK_TOP_N = 10
"""Units on the 'top' slide: what a slide holds at projector size."""

DECK_BOTTOM_N = 5
"""Units on the 'bottom' part of the same slide."""

DECK_MOVERS_N = 5
"""Gainers and losers on the 'biggest movers' slide."""

CSV_SNIFF_CHARS = 4096
"""Characters of a CSV given to csv.Sniffer, whose regexes take quadratic time: 20,000 hostile
characters took 11 s, 4,096 take a fraction of a second and still hold a title, the header and
dozens of rows."""

# Accounts and sign-in (reform.core.access, reform.store.accounts).
LOGIN_TO_BROWSE_ENV = "REFORM_LOGIN_TO_BROWSE"
"""Set to 1/true/yes to require signing in before anything is shown (a closed deployment)."""


def login_to_browse() -> bool:
    """Whether browsing needs a login: no by default (leaders open shared links without an
    account); changing data always does."""
    return os.environ.get(LOGIN_TO_BROWSE_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


LOGIN_MAX_FAILURES = 5
"""Wrong passwords in a row before an account is locked: enough for typos, too few to guess."""

LOGIN_LOCK_MINUTES = 15
"""How long a locked account stays locked: slows guessing to 20 tries an hour per account."""

MIN_PASSWORD_CHARS = 10
"""Shortest password accepted: a passphrase of a few words; argon2 makes each guess slow."""

OIDC_DEFAULT_ROLE = "viewer"
"""Role of a signed-in OIDC identity that the ``[roles]`` table of secrets.toml does not name:
the identity provider vouches for who it is, not for what they may change."""

STORE_BUSY_SECONDS = 30.0
"""How long a SQLite writer waits for another's lock before retrying: an import of a national
file holds the lock for ~10 s on a slow disk."""

STORE_WRITE_ATTEMPTS = 5
"""Tries of one write that met a lock or a serialization conflict before the user is told the
store is busy (with backoff 0.2, 0.4, 0.8 … s between them)."""
