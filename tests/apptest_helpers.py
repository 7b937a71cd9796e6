"""Opening the app under AppTest straight on one page, as a shared link does: one run of the
page wanted, not a run of the default page (its charts) and then a second run of the page.

AppTest has no public way to start on a page that ``st.navigation`` registers under a custom
``url_path`` (``switch_page`` resolves it only after a first run), so the page's script hash is
given as ``switch_page`` would set it, and ``landed`` checks that the run drew that page.
"""
from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = ROOT / "dashboard.py"


@cache
def url_paths() -> dict[str, str]:
    """{page file ("pages/data.py"): its url_path ("du-lieu")}, from dashboard.py's PAGES in
    order (read from the source, not run); the first is the default page."""
    tree = ast.parse(DASHBOARD.read_text(encoding="utf-8"))
    pages = next(node.value for node in tree.body if isinstance(node, ast.Assign)
                 and any(getattr(target, "id", None) == "PAGES" for target in node.targets))
    return {entry[0]: entry[-1] for entry in ast.literal_eval(pages)}


def _hash(page: str) -> str | None:
    """The script hash ``st.Page`` registers ``page`` under (of its url_path); None for the
    default page, which a session without a page drawn opens by itself."""
    paths = url_paths()
    return None if page == next(iter(paths)) else calc_hash(paths[page])


def on_page(page: str | None, *, timeout: float, query: dict[str, str] | None = None) -> AppTest:
    """An AppTest of dashboard.py whose first run draws ``page`` (a file of PAGES, or None for
    the default page) with ``query`` in its URL. Not run yet: sign in first if need be."""
    at = AppTest.from_file(str(DASHBOARD), default_timeout=timeout)
    at.query_params.update(query or {})
    wanted = _hash(page) if page else None
    if wanted is not None:
        at._page_hash = wanted
    return at


def landed(at: AppTest, page: str | None) -> AppTest:
    """``at`` after checking that its last run drew ``page`` (a wrong hash would draw the
    default page instead, and every check after it would test the wrong page)."""
    wanted = _hash(page) if page else None
    if wanted is not None:
        assert at._finished_page_script_hash == wanted, (page, at._finished_page_script_hash)
    return at
