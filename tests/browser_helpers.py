"""Helpers for the browser test: start the dashboard as a real server on a free port, launch
Debian's Chromium through Playwright, wait until Streamlit has finished a run and drawn its
charts, list what went wrong on a page, and save screenshots."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "tests" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
# This machine has no internet: without these flags Chromium stalls on network lookups
# (component updates, sync, QUIC probes) before it draws anything.
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SIZES = ((1280, 720), (1920, 1080))
STARTUP_SECONDS = 60
RUN_TIMEOUT_MS = 45_000  # a cold page imports plotly and reads the store; charts load lazily

# True once Streamlit has finished the run and the browser has drawn what it sent: the script
# is idle, the "Running…" widget is gone, no lazy element is still a skeleton, every visible
# Plotly chart has its SVG at the width of its box, every visible table its canvas, and the
# fonts (Vietnamese glyphs) are loaded.
_SETTLED_JS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.dataset.testScriptState !== 'notRunning') return false;
    if (app.dataset.testConnectionState !== 'CONNECTED') return false;
    if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
    if (document.querySelector('[data-testid="stMain"] [data-testid="stSkeleton"]')) return false;
    if (!document.querySelector('[data-testid="stMain"] h1')) return false;
    // Charts and tables in a closed expander or another tab are not drawn until opened.
    // After a resize, Plotly redraws a moment later: wait until the SVG fills its box again.
    for (const chart of document.querySelectorAll('[data-testid="stPlotlyChart"]')) {
        if (!chart.checkVisibility()) continue;
        const plot = chart.querySelector('.js-plotly-plot');
        const svg = chart.querySelector('.main-svg');
        if (!plot || !svg || Math.abs(Number(svg.getAttribute('width')) - plot.clientWidth) > 1) {
            return false;
        }
    }
    for (const table of document.querySelectorAll('[data-testid="stDataFrame"]')) {
        if (table.checkVisibility() && !table.querySelector('canvas')) return false;
    }
    return document.fonts.status === 'loaded';
}"""


def free_port() -> int:
    """A TCP port nobody listens on right now (other sessions run apps on this machine too)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
            return response.read().decode().strip() == "ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@contextmanager
def running_app(database_url: str, log_path: Path) -> Iterator[str]:
    """Run ``streamlit run serve/app.py`` (as ``make run`` does) on a free port against
    ``database_url``.

    Yields the base URL (``http://127.0.0.1:PORT``) once ``/_stcore/health`` answers "ok";
    the server is always terminated on exit. Raises ``RuntimeError`` (with the server's log)
    when it exits or stays unhealthy for ``STARTUP_SECONDS``.
    """
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "REFORM_DATABASE_URL": database_url}
    command = [
        sys.executable, "-m", "streamlit", "run", "serve/app.py",
        "--server.headless", "true", "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
        # Pages may be edited while the test runs; a watcher would put a "source changed"
        # prompt on screen instead of the page under test.
        "--server.fileWatcherType", "none",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            while not _healthy(base):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start on {base}:\n"
                                       + log_path.read_text(errors="replace")[-3000:])
                with suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=0.2)  # returns early only if the server died
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def launched_chromium() -> Iterator[Browser]:
    """Debian's Chromium launched through Playwright with ``CHROMIUM_ARGS``; closed on exit."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def copy_store(database_url: str, folder: Path) -> str:
    """A private copy of a SQLite store in ``folder`` (a test may change it freely); its URL."""
    target = folder / "reform.sqlite"
    shutil.copy(database_url.removeprefix("sqlite:///"), target)
    return f"sqlite:///{target}"


def wait_for_run(page: Page, timeout: int = RUN_TIMEOUT_MS) -> None:
    """Block until the app has finished its run and drawn it (see ``_SETTLED_JS``).

    Raises Playwright's ``TimeoutError`` when that does not happen within ``timeout`` ms.
    """
    page.wait_for_function(_SETTLED_JS, timeout=timeout)


def page_problems(page: Page) -> list[str]:
    """What a user should never see on a page: exception boxes, error alerts, dialogs that
    nobody opened, tracebacks.

    Returns one line per problem (empty when the page is clean).
    """
    problems = [f"exception: {text.strip()[:500]}"
                for text in page.locator('[data-testid="stException"]').all_inner_texts()]
    problems += [f"error alert: {text.strip()[:300]}"
                 for text in page.locator(
                     '[data-testid="stAlertContentError"]:not([data-testid="stException"] *)'
                 ).all_inner_texts()]
    # No page opens a dialog by itself: one on screen means Streamlit put up an error modal
    # ("Page not found") that blocks every click on the page underneath.
    problems += [f"dialog: {text.strip()[:300]}"
                 for text in page.locator('[data-testid="stDialog"]').all_inner_texts()]
    if "Traceback" in page.locator("body").inner_text():
        problems.append("the word 'Traceback' is on the page")
    return problems


def heading(page: Page) -> str:
    """The text of the page's title (its first ``h1``)."""
    return page.locator('[data-testid="stMain"] h1').first.inner_text().strip()


def save_screenshot(page: Page, name: str) -> Path:
    """Save the visible viewport as ``tests/screenshots/{name}_{W}x{H}.png``; returns the path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or {"width": 0, "height": 0}
    path = SCREENSHOTS / f"{name}_{size['width']}x{size['height']}.png"
    page.screenshot(path=str(path))
    return path


def first_visit(browser: Browser, url: str) -> list[str]:
    """Open ``url`` as the first visitor of a freshly started server; returns the texts of
    the dialogs shown then (empty when none).

    Streamlit shows "Page not found" over the right page when the first session after a start
    opens a page other than the default (streamlit/streamlit#8860): later sessions are fine.
    """
    context = browser.new_context(viewport={"width": SIZES[0][0], "height": SIZES[0][1]})
    try:
        page = context.new_page()
        page.goto(url)
        wait_for_run(page)
        return [text.strip() for text in page.locator('[data-testid="stDialog"]').all_inner_texts()]
    finally:
        context.close()
