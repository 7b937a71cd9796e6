"""Load: browsing and uploading sessions at once against a real ``streamlit run serve/app.py``.

Each browsing session is a Chromium context (one Chromium for all, Debian's) that opens the
app and clicks from page to page through the sidebar, waiting each time until the page is
drawn; each uploading session signs in as an analyst, uploads a distinct copy of the sample
PAR workbook on the Data page and stores it, again and again. The server's memory (RSS) is
sampled every half second. Reports page views, uploads, latencies, errors and memory as JSON.

    PYTHONPATH=. python bench/load.py [--sessions 20] [--uploaders 2] [--seconds 60] [--db URL]

Without ``--db`` a temporary SQLite store with the illustrative sample is made. The short
form runs in the tests (tests/test_load.py).
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BROWSED = ("tong-quan", "xep-hang", "xu-huong", "ho-so-don-vi", "thanh-phan", "so-sanh",
           "hai-long", "phuong-phap")
"""Pages the browsing sessions visit (the sample has PAR and SIPAS data for all of them)."""
ANALYST, PASSWORD = "load-analyst", "load test password 2025"
VIEW_TIMEOUT_MS = 120_000
RAMP_SECONDS = 0.5
"""Between two browsing sessions' arrivals."""
"""Longest wait for one page view before it counts as an error (20 sessions share 2 cores)."""

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


@dataclass
class LoadResult:
    """What one run measured; ``errors`` must be empty for a pass."""

    sessions: int
    uploaders: int
    seconds: float
    page_views: int = 0
    uploads: int = 0
    errors: list[str] = field(default_factory=list)
    view_seconds: list[float] = field(default_factory=list, repr=False)
    upload_seconds: list[float] = field(default_factory=list, repr=False)
    rss_mb: list[float] = field(default_factory=list, repr=False)

    def summary(self) -> dict:
        """The figures as a flat dict (latencies in seconds, memory in MB)."""
        def pct(values: list[float], q: float) -> float | None:
            return round(sorted(values)[min(len(values) - 1, int(q * len(values)))], 2) if values else None

        third = max(1, len(self.rss_mb) // 3)
        out = {k: v for k, v in asdict(self).items() if k not in ("view_seconds", "upload_seconds", "rss_mb")}
        out.update({
            "view_p50_s": pct(self.view_seconds, 0.5), "view_p95_s": pct(self.view_seconds, 0.95),
            "view_max_s": pct(self.view_seconds, 1.0), "upload_p50_s": pct(self.upload_seconds, 0.5),
            "upload_max_s": pct(self.upload_seconds, 1.0),
            "rss_start_mb": self.rss_mb[0] if self.rss_mb else None,
            "rss_peak_mb": max(self.rss_mb) if self.rss_mb else None,
            "rss_end_mb": self.rss_mb[-1] if self.rss_mb else None,
            # Stable: the last third of the run holds no more than the middle third.
            "rss_first_third_mb": round(statistics.mean(self.rss_mb[:third]), 1) if self.rss_mb else None,
            "rss_last_third_mb": round(statistics.mean(self.rss_mb[-third:]), 1) if self.rss_mb else None,
        })
        return out


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
            return response.read().decode().strip() == "ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(url: str, log_path: Path):
    """``streamlit run serve/app.py`` on a free loopback port against the store ``url``;
    yields (base URL, server pid). Always stopped on exit."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "streamlit", "run", "serve/app.py", "--server.headless", "true",
               "--server.port", str(port), "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none"]
    env = {**os.environ, "REFORM_DATABASE_URL": url}
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 90
            while not _healthy(base):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(log_path.read_text(errors="replace")[-3000:])
                with suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=0.2)
            yield base, process.pid
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def upload_variants(count: int) -> list[bytes]:
    """``count`` copies of the sample PAR workbook that differ only in their document title:
    distinct files (each stored as a new version) holding the same data."""
    import openpyxl

    out = []
    for number in range(count):
        book = openpyxl.load_workbook(ROOT / "data" / "sample_par.xlsx")
        book.properties.title = f"load test upload {number}"
        buffer = io.BytesIO()
        book.save(buffer)
        out.append(buffer.getvalue())
    return out


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
        await page.goto(f"{base}/{BROWSED[number % len(BROWSED)]}", wait_until="commit",
                        timeout=VIEW_TIMEOUT_MS)
        await _settle(page)
        result.view_seconds.append(time.monotonic() - started)
        result.page_views += 1
        step = number
        while time.monotonic() < deadline:
            step += 1
            slug = BROWSED[step % len(BROWSED)]
            before = (await page.locator('[data-testid="stMain"] h1').first.inner_text()).strip()
            started = time.monotonic()
            await page.locator(f'[data-testid="stSidebarNav"] a[href$="/{slug}"]').first.click()
            await _settle(page, before)
            result.view_seconds.append(time.monotonic() - started)
            result.page_views += 1
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


async def _drive(base: str, sessions: int, uploaders: int, seconds: float, files: list[bytes],
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


def run_load(url: str, *, sessions: int, uploaders: int, seconds: float, workdir: Path) -> LoadResult:
    """Start the server on the store ``url`` (with an analyst account added), drive
    ``sessions`` browsing and ``uploaders`` uploading sessions for ``seconds``; the result."""
    from reform.store.accounts import Accounts
    from reform.store.store import Store

    accounts = Accounts(Store(url))
    if accounts.get(ANALYST) is None:
        accounts.add(ANALYST, PASSWORD, "analyst", by="load test")
    files = upload_variants(max(1, uploaders) * max(2, int(seconds // 10)))
    result = LoadResult(sessions, uploaders, seconds)
    with running_server(url, workdir / "server.log") as (base, pid):
        stop = threading.Event()

        def sample() -> None:
            while not stop.wait(0.5):
                with suppress(OSError):
                    result.rss_mb.append(_rss_mb(pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            asyncio.run(_drive(base, sessions, uploaders, seconds, files, result))
        finally:
            stop.set()
            sampler.join(5)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--uploaders", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--db", help="a store with data (default: a temporary one with the sample)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="reform-load-") as folder:
        url = args.db
        if url is None:
            sys.path.insert(0, str(ROOT / "data"))  # data/ is scripts, not a package
            from load_sample import load_sample

            from reform.store.store import Store

            url = f"sqlite:///{folder}/reform.sqlite"
            load_sample(Store(url))
        started = time.monotonic()
        result = run_load(url, sessions=args.sessions, uploaders=args.uploaders,
                          seconds=args.seconds, workdir=Path(folder))
        summary = result.summary() | {"wall_s": round(time.monotonic() - started, 1)}
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    return 1 if result.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
