"""The Chromium mode of ``bench/load.py`` (``--browser``): one Debian Chromium driven by
Playwright, a tab per session. Each browsing tab opens the app and clicks from page to page
through the sidebar, waiting each time until the page is drawn; each uploading tab signs in as
an analyst, uploads a distinct copy of the sample PAR workbook on the Data page and stores it.

On a 2-core machine the one Chromium with 22 tabs starves the server (a view took 90 s median
at 20 + 2 sessions), so the default driver is the browserless one (``streamlit_session``);
this mode shows what a real browser adds.
"""
from __future__ import annotations

import asyncio
import hashlib
import time

from bench.load import ANALYST, BROWSED, PASSWORD, LoadResult

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEW_TIMEOUT_MS = 120_000
"""Longest wait for one page view before it counts as an error (20 sessions share 2 cores)."""
RAMP_SECONDS = 0.5
"""Between two browsing sessions' arrivals."""

_SETTLED_JS = """(before) => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.dataset.testScriptState !== 'notRunning') return false;
    if (app.dataset.testConnectionState !== 'CONNECTED') return false;
    if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
    const h1 = document.querySelector('[data-testid="stMain"] h1');
    return !!h1 && h1.innerText.trim() !== before;
}"""
_PROBLEMS_JS = """() => [
    ...[...document.querySelectorAll('[data-testid="stException"]')].map(e => 'exception: ' + e.innerText.slice(0, 300)),
    ...[...document.querySelectorAll('[data-testid="stAlertContentError"]')].map(e => 'error: ' + e.innerText.slice(0, 300)),
]"""


async def _settle(page, before: str = "") -> None:
    await page.wait_for_function(_SETTLED_JS, arg=before, timeout=VIEW_TIMEOUT_MS, polling=250)


async def _problems(page, where: str) -> list[str]:
    return [f"{where}: {p}" for p in await page.evaluate(_PROBLEMS_JS)]


async def browse(browser, base: str, number: int, deadline: float, result: LoadResult) -> None:
    """One reader: open the app, then click through ``BROWSED`` until ``deadline``."""
    context = await browser.new_context(viewport={"width": 1280, "height": 720})
    page = await context.new_page()
    try:
        started = time.monotonic()
        # Users arrive over the first seconds, not in one instant; and the first load of the
        # app's scripts by 22 tabs of one Chromium on 2 cores outlasts Playwright's default.
        await asyncio.sleep(number * RAMP_SECONDS)
        await page.goto(f"{base}/{BROWSED[number % len(BROWSED)]}".rstrip("/"), wait_until="commit",
                        timeout=VIEW_TIMEOUT_MS)
        await _settle(page)
        result.note_view(f"session {number}", time.monotonic() - started)
        step = number
        while time.monotonic() < deadline:
            step += 1
            slug = BROWSED[step % len(BROWSED)]
            before = (await page.locator('[data-testid="stMain"] h1').first.inner_text()).strip()
            started = time.monotonic()
            await page.locator(f'[data-testid="stSidebarNav"] a[href$="/{slug}"]').first.click()
            await _settle(page, before)
            result.note_view(f"session {number}", time.monotonic() - started)
            result.errors += await _problems(page, f"session {number} {slug}")
    except Exception as exc:  # a timeout or a crash of the page is what the run reports  # noqa: BLE001
        result.errors.append(f"session {number}: {type(exc).__name__}: {str(exc)[:300]}")
    finally:
        await context.close()


async def upload(browser, base: str, number: int, files: list[bytes], deadline: float,
                 result: LoadResult) -> None:
    """One analyst: sign in on the Data page, upload a distinct file, store it; repeat."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    try:
        for turn, data in enumerate(files[number::max(1, result.uploaders)]):
            if time.monotonic() >= deadline:
                break
            started = time.monotonic()
            await page.goto(f"{base}/du-lieu", wait_until="commit", timeout=VIEW_TIMEOUT_MS)
            await _settle(page)
            sidebar = page.get_by_test_id("stSidebar")
            await sidebar.get_by_text("Đăng nhập", exact=True).first.click()
            await sidebar.locator(".st-key-login_name input").fill(ANALYST)
            await sidebar.locator(".st-key-login_password input").fill(PASSWORD)
            await sidebar.locator(".st-key-login_submit button").click()
            await page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.wait_for(
                state="attached", timeout=VIEW_TIMEOUT_MS)
            await page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
                files=[{"name": f"load_{number}_{turn}.xlsx", "buffer": data,
                        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
            store = page.locator(f".st-key-store_{hashlib.sha256(data).hexdigest()[:12]} button")
            await store.wait_for(timeout=VIEW_TIMEOUT_MS)
            await store.click()
            await page.locator('[data-testid="stAlertContentSuccess"]').first.wait_for(timeout=VIEW_TIMEOUT_MS)
            result.upload_seconds.append(time.monotonic() - started)
            result.uploads += 1
            result.errors += await _problems(page, f"uploader {number}")
    except Exception as exc:  # noqa: BLE001
        result.errors.append(f"uploader {number}: {type(exc).__name__}: {str(exc)[:300]}")
    finally:
        await context.close()


async def drive(base: str, sessions: int, uploaders: int, seconds: float, files: list[bytes],
                 result: LoadResult) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            deadline = time.monotonic() + seconds
            await asyncio.gather(
                *(browse(browser, base, n, deadline, result) for n in range(sessions)),
                *(upload(browser, base, n, files, deadline, result) for n in range(uploaders)))
        finally:
            await browser.close()
