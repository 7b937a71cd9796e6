"""The dashboard in a real browser: Debian's Chromium, driven by Playwright, against
``streamlit run dashboard.py`` serving the illustrative sample from a temporary SQLite store.

Every page is opened at 1280×720 and 1920×1080, by its URL path in one tour and through the
sidebar in the others, and must finish its run without
an exception box, an error alert, an unasked-for dialog, a traceback or a script error;
screenshots go to tests/screenshots/ (git-ignored) for people to look at. Then what only a browser can check: picking a unit puts it in the URL, a shared
link opens the view it names, and a real published file uploaded through the file input is
previewed, validated and stored.
"""
from __future__ import annotations

import ast
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from accounts_helpers import make_account, sign_in_browser
from browser_helpers import (
    CHROMIUM,
    ROOT,
    SIZES,
    first_visit,
    heading,
    launched_chromium,
    page_problems,
    running_app,
    save_screenshot,
    wait_for_run,
)
from playwright.sync_api import Browser, BrowserContext, Page, expect

from reform.core.i18n import t
from reform.core.model import TOTAL
from reform.store.snapshot import load_snapshot
from reform.store.store import Store

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason=f"Debian's Chromium is not installed at {CHROMIUM} "
                              "(`make test` installs it with apt)"),
]

# URL path -> the page's title in Vietnamese, the language users see first.
HEADINGS = {
    "tong-quan": "Tổng quan",
    "xep-hang": "Xếp hạng",
    "xu-huong": "Xu hướng",
    "ho-so-don-vi": "Hồ sơ đơn vị",
    "thanh-phan": "Thành phần",
    "so-sanh": "So sánh đơn vị",
    "ky-cuong": "Kỷ cương hành chính",
    "hai-long": "Sự hài lòng của người dân (SIPAS)",
    "lien-chi-so": "Liên chỉ số",
    "du-lieu": "Dữ liệu",
    "phuong-phap": "Phương pháp",
    "trinh-chieu": "Chỉ số CCHC (PAR Index) năm 2024",  # the first slide's title
}
EXPECT_MS = 30_000  # an upload parses a ten-sheet workbook before the preview shows


@dataclass(frozen=True)
class App:
    """A running dashboard: its base URL, its store, and the dialogs its first visitor saw."""

    base: str
    database_url: str
    first_visit_dialogs: list[str]


def _copy_store(sample_db_url: str, folder: Path) -> str:
    """A private copy of the session's sample store, so a test may change it freely."""
    target = folder / "reform.sqlite"
    shutil.copy(sample_db_url.removeprefix("sqlite:///"), target)
    return f"sqlite:///{target}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def app(sample_db_url: str, tmp_path_factory: pytest.TempPathFactory,
        browser: Browser) -> Iterator[App]:
    """The dashboard serving a copy of the sample, shared by the tests that only read.

    Its first visitor opens a shared link to the rankings, as happens after every restart.
    """
    folder = tmp_path_factory.mktemp("browser_app")
    database_url = _copy_store(sample_db_url, folder)
    with running_app(database_url, folder / "streamlit.log") as base:
        yield App(base, database_url, first_visit(browser, f"{base}/xep-hang"))


@pytest.fixture
def fresh_app(sample_db_url: str, tmp_path: Path, browser: Browser) -> Iterator[str]:
    """A dashboard of its own, on its own copy of the sample, for a test that stores data (with
    an analyst's account made before it starts: only analysts may upload). The shared server
    was tried instead (a start and a first visit fewer) and its sign-in once timed out in CI
    under load after thirty pages: a test that writes gets a server nobody else has used."""
    url = _copy_store(sample_db_url, tmp_path)
    make_account(url)
    with running_app(url, tmp_path / "streamlit.log") as base:
        first_visit(browser, base)  # the default page: spares the test the first-visit dialog
        yield base


LOCALES = {"vi": "vi-VN", "en": "en-US"}
"""The interface language -> the browser locale of a reader of it. Numbers must follow the
interface language whatever the browser: each language is also read in the other's browser."""

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@dataclass
class Context:
    """A browser context with a locale, and every request it sent to another host."""

    context: BrowserContext
    external: list[str]


def _context(browser: Browser, locale: str) -> Context:
    made = browser.new_context(viewport={"width": SIZES[0][0], "height": SIZES[0][1]},
                               locale=locale)
    external: list[str] = []

    def record(request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in ("data", "blob") and parts.hostname not in LOCAL_HOSTS:
            external.append(request.url)

    made.on("request", record)
    return Context(made, external)


@contextmanager
def _opened_context(browser: Browser, locale: str) -> Iterator[Context]:
    made = _context(browser, locale)
    try:
        yield made
    finally:
        made.context.close()


@pytest.fixture(scope="module")
def context(browser: Browser) -> Iterator[Context]:
    """The Vietnamese browser context, shared by the module: later pages reuse the cached
    scripts. Tests whose subject is not the browser's locale run here only."""
    with _opened_context(browser, LOCALES["vi"]) as made:
        yield made


@pytest.fixture(scope="module")
def english_context(browser: Browser) -> Iterator[Context]:
    """An English browser's context, for pages read in the other language's browser."""
    with _opened_context(browser, LOCALES["en"]) as made:
        yield made


class Tabs:
    """Opens pages for one test, remembers their uncaught script errors, closes them after."""

    def __init__(self, context: Context) -> None:
        self.context = context.context
        self.external = context.external
        self.script_errors: dict[Page, list[str]] = {}

    def open(self, url: str) -> Page:
        """A new 1280×720 tab on ``url``, once the app has finished running and drawing it."""
        page = self.context.new_page()
        errors = self.script_errors[page] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        return self.goto(page, url)

    def goto(self, page: Page, url: str) -> Page:
        """``page`` loading ``url`` afresh (a new session, as a link opened in it starts), once
        the app has finished running and drawing it. Reusing the tab spares the browser a
        renderer; its script errors keep counting."""
        page.goto(url)
        wait_for_run(page)
        return page

    def assert_clean(self, page: Page) -> None:
        """Fail, listing them, on exception boxes, error alerts, dialogs, tracebacks or
        uncaught script errors."""
        problems = page_problems(page) + [f"script error: {e}" for e in self.script_errors[page]]
        problems += [f"request leaving localhost: {url}" for url in self.external]
        assert not problems, f"{page.url}:\n" + "\n".join(problems)

    def close(self) -> None:
        for page in self.script_errors:
            page.close()


@pytest.fixture
def tabs(context: Context) -> Iterator[Tabs]:
    opened = Tabs(context)
    try:
        yield opened
    finally:
        opened.close()


def _leader(database_url: str, *, index: str, period: str, level: str) -> str:
    """The name of the unit of ``level`` with the best total (% of max) in the store."""
    data = load_snapshot(Store(database_url))
    scores, units = data.scores, data.units
    block = set(units.loc[units["level"] == level, "unit_id"])
    totals = scores[(scores["index"] == index) & (scores["period"] == period)
                    & (scores["component"] == TOTAL) & scores["unit_id"].isin(block)]
    best = (totals["value"] / totals["max_value"]).idxmax()
    return data.unit_names[totals.loc[best, "unit_id"]]


def _navigation_slugs() -> list[str]:
    """The URL paths of dashboard.py's PAGES, in order (read from the source, not run)."""
    tree = ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8"))
    pages = next(node.value for node in tree.body if isinstance(node, ast.Assign)
                 and any(getattr(target, "id", None) == "PAGES" for target in node.targets))
    return [entry[-1] for entry in ast.literal_eval(pages)]


def _path(slug: str) -> str:
    # The first page is the default one: Streamlit serves it at "/" only, and its own
    # url_path answers "Page not found" (see the report of the browser test).
    return "/" if slug == next(iter(HEADINGS)) else f"/{slug}"


def test_every_page_of_the_navigation_is_covered():
    """A page added to dashboard.py must be added here too, with its title."""
    assert _navigation_slugs() == list(HEADINGS)


# A number as tables and cards write it: the decimal mark of the language, thousands grouped
# by the other mark ("1.234,56" vi, "1,234.56" en), maybe signed or a percent.
NUMBER = re.compile(r"^[−+-]?\d[\d.,]*\s?%?$")
DECIMAL = {"vi": re.compile(r"^[−+-]?\d{1,3}(\.\d{3})*,\d+\s?%?$"),
           "en": re.compile(r"^[−+-]?\d{1,3}(,\d{3})*\.\d+\s?%?$")}
WHOLE = re.compile(r"^[−+-]?\d{1,4}\s?%?$")  # ranks, counts, years: no decimal mark at all


def numbers_shown(page: Page) -> list[str]:
    """The texts of every chart label and card value on the page that are numbers.

    Tables are drawn on a canvas from the display text the app sends (``ui.show_table``); the
    grid's accessibility cells the DOM exposes carry the raw numbers instead, so they cannot
    tell what a reader sees. ``test_table_display_text_follows_the_language`` in
    tests/test_pages.py checks the text tables are sent; the screenshots show it drawn."""
    texts = page.locator('[data-testid="stMain"] .js-plotly-plot text').all_text_contents()
    cards = page.locator('[data-testid="stMain"] [data-testid="stMetricValue"]').all_inner_texts()
    words = [word.strip() for text in texts for word in re.split(r"\s(?=[▲▼=])", text)]
    return [w for w in words + [c.strip() for c in cards] if NUMBER.match(w)]


def wrong_numbers(numbers: list[str], lang: str) -> list[str]:
    """Numbers written neither as whole numbers nor with ``lang``'s decimal mark."""
    return [n for n in numbers if not (WHOLE.match(n) or DECIMAL[lang].match(n))]


NUMBER_PAGES = ("tong-quan", "xep-hang")
"""Pages read in both languages in both browser locales; every other page is read in each
language in the other language's browser (the case where a browser's own number format would
show through), which halves the slowest part of the suite."""


def _page_cases() -> list[tuple[str, str, str]]:
    """(slug, interface language, browser locale) for every page read in the browser, one
    tour (language and locale) after the other."""
    return [(slug, lang, locale) for lang in LOCALES for locale in LOCALES.values()
            for slug in HEADINGS if slug in NUMBER_PAGES or locale != LOCALES[lang]]


BY_URL = ("en", LOCALES["vi"])
"""The tour whose every page is opened by its URL path (as a shared link is: the document
loaded afresh, a new session); the other tours go from page to page through the sidebar in one
tab, as a reader does. Loading Streamlit's scripts and starting a session costs a page 5–10 s
on two cores against 1–3 s for a move within the app."""


class Tour:
    """One reader's tab, in one interface language and one browser locale, going page to page."""

    def __init__(self, context: Context, base: str, lang: str, *, by_url: bool) -> None:
        self.tabs, self.base, self.lang, self.by_url = Tabs(context), base, lang, by_url
        self.page: Page | None = None

    def visit(self, slug: str) -> Page:
        """The page at ``slug``, settled: opened by its URL (the first page in a new tab; every
        page of the ``BY_URL`` tour and any page after the presentation, which hides the
        sidebar, loaded afresh in the tour's tab), or reached by its link in the sidebar's
        navigation. The tab keeps the size it was left at: ``_check_page`` looks at that size
        first, so a page costs one resize, not two."""
        url = f"{self.base}{_path(slug)}?lang={self.lang}"
        if self.page is None:
            self.page = self.tabs.open(url)
            return self.page
        if self.by_url or urlsplit(self.page.url).path == _path("trinh-chieu"):
            return self.tabs.goto(self.page, url)
        link = self.page.locator(
            f'[data-testid="stSidebarNav"] a[href="{self.base}{_path(slug)}"]')
        if not link.is_visible():  # Streamlit folds a long navigation behind "View more"
            self.page.locator('[data-testid="stSidebarNavViewButton"]').click()
        link.click()
        self.page.wait_for_url(re.compile(rf"^{re.escape(self.base + _path(slug))}(\?|$)"))
        wait_for_run(self.page)
        return self.page

    def close(self) -> None:
        self.tabs.close()
        self.tabs.script_errors.clear()
        self.page = None


@pytest.fixture(scope="module")
def tours(app: App, context: Context, english_context: Context) -> Iterator[dict]:
    """A tour per (interface language, browser locale), opened on its first visit."""
    contexts = {LOCALES["vi"]: context, LOCALES["en"]: english_context}
    made = {(lang, locale): Tour(contexts[locale], app.base, lang, by_url=(lang, locale) == BY_URL)
            for lang in LOCALES for locale in LOCALES.values()}
    yield made
    for tour in made.values():
        tour.close()


@pytest.mark.parametrize(("slug", "lang", "locale"), _page_cases())
def test_page_opens_without_error(tours: dict, slug: str, lang: str, locale: str):
    tour = tours[lang, locale]
    for other in tours.values():  # one tab open at a time: hidden tabs still redraw
        if other is not tour:
            other.close()
    page = tour.visit(slug)
    try:
        _check_page(tour.tabs, page, slug, lang)
    finally:
        tour.tabs.script_errors[page].clear()  # a failure is reported once, by its page
        tour.tabs.external.clear()
        if (slug, lang, locale) == _page_cases()[-1]:
            tour.close()  # the tests after the tours have the browser to themselves


def _sizes_from(page: Page) -> list[tuple[int, int]]:
    """``SIZES``, the size the page is at now first (a resize makes every chart redraw)."""
    now = (page.viewport_size or {}).get("width"), (page.viewport_size or {}).get("height")
    return sorted(SIZES, key=lambda size: size != now)


def _check_page(tabs: Tabs, page: Page, slug: str, lang: str) -> None:
    locale = page.evaluate("navigator.language")
    for width, height in _sizes_from(page):
        if page.viewport_size != {"width": width, "height": height}:
            page.set_viewport_size({"width": width, "height": height})
            wait_for_run(page)  # charts redraw at the new width
        save_screenshot(page, f"{slug}_{lang}_{locale}")  # a broken page is worth a look too
        tabs.assert_clean(page)
        numbers = numbers_shown(page)
        assert not wrong_numbers(numbers, lang), (slug, lang, locale, numbers)
    if lang == "vi":
        assert heading(page) == HEADINGS[slug]
    assert urlsplit(page.url).path == _path(slug)
    if slug == "xep-hang":  # the leaders' page: a table of decimals, in the language's form
        assert any(DECIMAL[lang].match(n) for n in numbers_shown(page)), numbers_shown(page)


def test_first_visitor_of_a_shared_link_sees_no_error_dialog(app: App):
    assert app.first_visit_dialogs == []


def test_a_link_keeps_naming_its_view_after_the_page_settles(app: App, tabs: Tabs):
    query = {"index": "PAR", "period": "2018", "level": "office"}
    page = tabs.open(f"{app.base}/xep-hang?{urlencode(query)}")
    tabs.assert_clean(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_role("combobox", name="Khối")).to_have_value(t("level.office", "vi"))
    expect(sidebar.get_by_role("combobox", name="Kỳ đánh giá")).to_have_value("2018")
    address = parse_qs(urlsplit(page.url).query)
    assert {key: address.get(key) for key in query} == {k: [v] for k, v in query.items()}
    page.reload()
    wait_for_run(page)
    expect(sidebar.get_by_role("combobox", name="Khối")).to_have_value(t("level.office", "vi"))


def test_picking_a_unit_puts_it_in_the_url(app: App, tabs: Tabs):
    page = tabs.open(f"{app.base}/ho-so-don-vi")
    picker = page.locator('.st-key-unit [data-testid="stSelectbox"]')
    first = page.locator('[data-testid="stMain"] h2').first.inner_text()
    picker.click()
    options = page.get_by_role("listbox").get_by_role("option")
    names = options.all_inner_texts()
    assert len(names) > 2 and first == names[0], names
    chosen = names[2]
    options.nth(2).click()

    page.wait_for_url(re.compile(r"[?&]unit="))
    expect(page.locator('[data-testid="stMain"] h2').first).to_have_text(chosen, timeout=EXPECT_MS)
    wait_for_run(page)
    tabs.assert_clean(page)
    assert parse_qs(urlsplit(page.url).query)["unit"] == [chosen]
    link = page.locator('[data-testid="stSidebar"] [data-testid="stCode"]').inner_text()
    assert urlsplit(link).path == "/ho-so-don-vi"
    assert parse_qs(urlsplit(link).query)["unit"] == [chosen]  # the link to share says so too
    save_screenshot(page, "ho-so-don-vi-chosen")


def test_switching_language_relabels_the_choices_already_made(app: App, tabs: Tabs):
    # The browser keeps a selectbox's choice as the text it showed: a switch to English left
    # "Chỉ số CCHC (PAR Index)" and "Tổng điểm" in the boxes until the page changed.
    page = tabs.open(f"{app.base}/xep-hang")
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_role("combobox", name="Chỉ số")).to_have_value(t("index.PAR", "vi"))
    sidebar.get_by_text("English", exact=True).click()
    wait_for_run(page)
    expect(sidebar.get_by_role("combobox", name="Index")).to_have_value(t("index.PAR", "en"))
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_role("combobox", name=t("ui.component", "en"))).to_have_value(
        t("component.TOTAL", "en"))
    tabs.assert_clean(page)
    save_screenshot(page, "xep-hang-switched-to-en")


def test_shared_link_opens_the_view_it_names(app: App, tabs: Tabs):
    # Widgets bound to the URL carry their displayed labels, as the app's own links do.
    query = {"lang": "English", "index": t("index.PAR", "en"), "period": "2022",
             "level": t("level.ward", "en")}
    page = tabs.open(f"{app.base}/xep-hang?{urlencode(query)}")
    tabs.assert_clean(page)
    save_screenshot(page, "xep-hang-shared-link-en")

    assert heading(page) == "Rankings"
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_role("radio", name="English")).to_be_checked()
    expect(sidebar.get_by_role("combobox", name="Period")).to_have_value("2022")
    expect(sidebar.get_by_role("combobox", name="Block")).to_have_value(t("level.ward", "en"))
    expect(sidebar.get_by_role("combobox", name="Index")).to_have_value(t("index.PAR", "en"))
    main = page.locator('[data-testid="stMain"]')
    expect(main).to_contain_text("Showing illustrative sample data")
    expect(main).to_contain_text(re.compile(r"\d+ of \d+ units"))
    assert "Đơn vị" not in main.inner_text()  # no Vietnamese label left on an English view
    # The table ranks 2022 (its leader differs from the latest period's), first row first.
    leader = _leader(app.database_url, index="PAR", period="2022", level="ward")
    assert leader != _leader(app.database_url, index="PAR", period="2024", level="ward")
    first_row = page.locator(
        '[data-testid="stDataFrame"] [data-testid^="glide-cell-"][data-testid$="-0"]')
    # The grid draws its cells a moment after the run ends: wait for them (slow on a busy CI).
    expect(first_row.filter(has_text=leader)).to_have_count(1, timeout=30_000)


def test_upload_a_real_file_and_store_it(fresh_app: str, tabs: Tabs, realdata: Path):
    page = tabs.open(f"{fresh_app}/du-lieu")
    sign_in_browser(page)
    page.locator('.st-key-upload [data-testid="stFileUploader"] input[type=file]').set_input_files(
        realdata / "PCI_2009.xls")

    main = page.locator('[data-testid="stMain"]')
    expect(main).to_contain_text(re.compile(r"Kết quả kiểm tra: \d+ lỗi, \d+ cảnh báo"),
                                 timeout=EXPECT_MS)
    wait_for_run(page)
    tabs.assert_clean(page)
    expect(main).to_contain_text("Chỉ số PCI · kỳ 2009 · 63 đơn vị")
    expect(main.locator('[data-testid="stHeading"]', has_text="PCI_2009.xls")).to_be_visible()
    save_screenshot(page, "du-lieu-upload")

    store = main.locator('[class*="st-key-store_"] button')
    expect(store).to_be_enabled()
    store.click()
    expect(main.locator('[data-testid="stAlertContentSuccess"]')).to_contain_text(
        "PCI_2009.xls", timeout=EXPECT_MS)
    wait_for_run(page)
    tabs.assert_clean(page)
    expect(main).to_contain_text(re.compile(
        rf"v\d+ · {re.escape(t('index.PCI', 'vi'))} · 2009 · PCI_2009\.xls"))
    save_screenshot(page, "du-lieu-stored")  # what the user sees right after pressing Lưu
    main.locator('[data-testid="stAlertContentSuccess"]').scroll_into_view_if_needed()
    save_screenshot(page, "du-lieu-stored-message")

    # The real file lives apart from the sample: its pages carry no "illustrative" banner,
    # the sample's still do, and the Data page offers to leave the sample.
    # Each view below is opened by its link in the same tab: a new session each time.
    sample = t("ui.sample", "vi").split("**")[1]
    pci = tabs.goto(page, f"{fresh_app}/xep-hang?index=PCI&period=2009")
    tabs.assert_clean(pci)
    expect(pci.locator('[data-testid="stMain"] h1')).to_have_text("Xếp hạng")
    assert sample not in pci.locator('[data-testid="stMain"]').inner_text()
    save_screenshot(pci, "xep-hang-real-pci")
    par = tabs.goto(page, f"{fresh_app}/xep-hang?index=PAR&period=2024")
    expect(par.locator('[data-testid="stMain"]')).to_contain_text(sample)
    data = tabs.goto(page, f"{fresh_app}/du-lieu?index=PCI")
    sign_in_browser(data)  # a new session; leaving the sample is an analyst's call
    expect(data.locator('[data-testid="stMain"]')).to_contain_text(
        t("ui.sample.remove", "vi"))
