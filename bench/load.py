"""Load: browsing and uploading sessions at once against a real ``streamlit run serve/app.py``.

Each session is what a browser tab says to the server, without the browser
(``bench/streamlit_session.py``): Streamlit's websocket protocol, so the two cores go to the
server rather than to a Chromium drawing 22 tabs. A browsing session loops through the pages
for the whole run, and on every third step changes a choice on the page instead (a sidebar
or page selectbox, or the language). An uploading session signs in as an analyst on the
Data page, uploads a distinct copy of the sample PAR workbook through Streamlit's upload
endpoint and presses Store, again and again. A view is one script run, from the request to
``script_finished``; an error is an exception box, a page not found, a timeout or a dropped
connection. The server's memory (RSS) is sampled every second.

    PYTHONPATH=. python bench/load.py [--sessions 20] [--uploaders 2] [--seconds 60] [--db URL]
                                      [--browser] [--out FILE]

Without ``--db`` a temporary SQLite store with the illustrative sample is made. ``--browser``
drives one Chromium instead (``bench/load_browser.py``). Prints a table and writes the
figures as JSON under ``bench/results/``. The short form runs in the tests (tests/test_load.py).
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
import zipfile
from collections import Counter
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bench.streamlit_session import (
    ProtocolError,
    Run,
    StreamlitSession,
    select,
    text,
    trigger,
    user_key,
)

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
BROWSED = ("", "xep-hang", "xu-huong", "ho-so-don-vi", "thanh-phan", "so-sanh", "hai-long",
           "du-lieu", "phuong-phap")
"""Pages the browsing sessions visit ("" is the overview, the default page, at the root);
the sample has PAR and SIPAS data for all of them."""
CHOICES = ("period", "level", "unit", "by", "component", "period_from", "lang")
"""Choices a browsing session changes, the first of them a page draws (by ``key=``)."""
SAMPLE_UPLOAD = ROOT / "data" / "sample_par.xlsx"
"""What the uploading sessions upload, by default: PAR, 8 years of 45 units."""
ANALYST, PASSWORD = "load-analyst", "load test password 2025"
RAMP_SECONDS = 0.25
"""Between two sessions' arrivals: users come over the first seconds, not in one instant."""
MIN_VIEWS = 2
"""Each browsing session makes at least this many views, even past the deadline."""


@dataclass
class LoadResult:
    """What one run measured; ``errors`` must be empty for a pass."""

    sessions: int
    uploaders: int
    seconds: float
    page_views: int = 0
    uploads: int = 0
    errors: list[str] = field(default_factory=list)
    alerts: Counter = field(default_factory=Counter)
    """Error messages the app showed on purpose (``st.error``), by text: not failures."""
    views_by_session: dict[str, int] = field(default_factory=dict)
    view_seconds: list[float] = field(default_factory=list, repr=False)
    upload_seconds: list[float] = field(default_factory=list, repr=False)
    rss_mb: list[float] = field(default_factory=list, repr=False)
    """The server's RSS, one sample a second."""
    load_average: list[float] = field(default_factory=list)
    server_cpu_s: float = 0.0
    """CPU the server used while the sessions ran."""

    def note_view(self, who: str, seconds: float) -> None:
        """Count one script run of session ``who``; a browsing session's is a page view
        with its latency (an uploader's reading and storing is timed as a whole upload)."""
        self.views_by_session[who] = self.views_by_session.get(who, 0) + 1
        if who.startswith("session"):
            self.page_views += 1
            self.view_seconds.append(seconds)

    def note_run(self, who: str, what: str, run: Run) -> None:
        """Count a view and what went wrong in it."""
        self.note_view(who, run.seconds)
        for problem in run.problems:
            if problem.startswith("error: "):
                self.alerts[f"{what}: {problem}"] += 1
            else:
                self.errors.append(f"{who} {what}: {problem}")

    def summary(self) -> dict:
        """The figures as a flat dict (latencies in seconds, memory in MB, slope in MB/min)."""
        rss = self.rss_mb
        return {
            "sessions": self.sessions, "uploaders": self.uploaders, "seconds": self.seconds,
            "page_views": self.page_views, "uploads": self.uploads, "errors": len(self.errors),
            "fewest_views_per_session": min(self.views_by_session.values(), default=0),
            "view_p50_s": _pct(self.view_seconds, 0.5), "view_p95_s": _pct(self.view_seconds, 0.95),
            "view_max_s": _pct(self.view_seconds, 1.0),
            "upload_p50_s": _pct(self.upload_seconds, 0.5),
            "upload_max_s": _pct(self.upload_seconds, 1.0),
            "rss_start_mb": rss[0] if rss else None, "rss_peak_mb": max(rss, default=None),
            "rss_end_mb": rss[-1] if rss else None,
            "rss_slope_last_half_mb_per_min": _slope(rss[len(rss) // 2:]),
            "server_cpu_s": round(self.server_cpu_s, 1),
            "server_cpu_per_run_s": _per(self.server_cpu_s, sum(self.views_by_session.values())),
            "load_average_start_end": self.load_average,
        }


def _pct(values: list[float], q: float) -> float | None:
    return round(sorted(values)[min(len(values) - 1, int(q * len(values)))], 2) if values else None


def _per(total: float, count: int) -> float | None:
    return round(total / count, 2) if count else None


def _slope(samples: list[float]) -> float | None:
    """Least-squares slope of one-a-second samples, per minute: ~0 when memory is flat."""
    if len(samples) < 2:
        return None
    return round(60 * statistics.linear_regression(range(len(samples)), samples).slope, 1)


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _cpu_seconds(pid: int) -> float:
    """User + system CPU the process has used: a figure the other load on the machine does
    not inflate, unlike latencies."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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


def upload_variants(count: int, original: bytes | None = None) -> list[bytes]:
    """``count`` copies of the workbook ``original`` (the sample PAR workbook by default) that
    differ only in their zip comment: distinct files (each stored as a new version) holding
    the same data, made without rewriting the workbook."""
    original = original or SAMPLE_UPLOAD.read_bytes()
    out = []
    for number in range(count):
        buffer = io.BytesIO(original)
        with zipfile.ZipFile(buffer, "a") as book:
            book.comment = f"load test upload {number}".encode()
        out.append(buffer.getvalue())
    return out


def _change(run: Run, step: int):
    """(key, widget state): another option in one of ``CHOICES`` the run drew, taken in turn
    by ``step``; None when it drew none with two options to choose from."""
    drawn = [run.widgets[k] for k in CHOICES if k in run.widgets]
    drawn = [w for w in drawn if len(w.options) > 1 and not w.disabled]
    if not drawn:
        return None
    widget = drawn[(step // 3) % len(drawn)]
    options = list(widget.options)
    now = widget.raw_value if widget.HasField("raw_value") else options[widget.default]
    at = options.index(now) if now in options else 0
    return user_key(widget.id), select(widget, options[(at + 1 + step % (len(options) - 1)) % len(options)])


async def browse(base: str, number: int, deadline: float, result: LoadResult) -> None:
    """One reader: from a page of ``BROWSED``, the next page, the next, then a choice on the
    page; until ``deadline`` and at least ``MIN_VIEWS`` views."""
    who, session = f"session {number}", StreamlitSession(base)
    try:
        await asyncio.sleep(number * RAMP_SECONDS)
        await session.open()
        step, run = number, await session.visit(BROWSED[number % len(BROWSED)])
        result.note_run(who, f"/{BROWSED[number % len(BROWSED)]}", run)
        while time.monotonic() < deadline or result.views_by_session[who] < MIN_VIEWS:
            step += 1
            change = _change(run, step) if step % 3 == 0 else None
            if change is None:
                page = BROWSED[step % len(BROWSED)]
                what, run = f"/{page}", await session.visit(page)
            else:
                what, run = f"{change[0]} on /{session.page}", await session.rerun(change[1])
            result.note_run(who, what, run)
    except (ProtocolError, OSError) as exc:
        result.errors.append(f"{who}: {type(exc).__name__}: {exc}")
    finally:
        await session.close()


async def upload(base: str, number: int, files: list[bytes], deadline: float,
                 result: LoadResult) -> None:
    """One analyst: sign in on the Data page, then upload a distinct file and store it;
    again until ``deadline`` (the first upload always completes)."""
    who, session = f"uploader {number}", StreamlitSession(base)
    try:
        await asyncio.sleep(number * RAMP_SECONDS)
        await session.open()
        run = await session.visit("du-lieu")
        result.note_run(who, "/du-lieu", run)
        run = await session.rerun(text(run.widget("login_name"), ANALYST),
                                  text(run.widget("login_password"), PASSWORD),
                                  trigger(run.widget("login_submit")))
        result.note_run(who, "sign in", run)
        for turn, data in enumerate(files[number::max(1, result.uploaders)]):
            if turn and time.monotonic() >= deadline:
                break
            started = time.monotonic()
            change = await session.upload(run.widget("upload"), [(f"load_{number}_{turn}.xlsx", data)])
            run = await session.rerun(change)
            result.note_run(who, "upload", run)
            run = await session.rerun(trigger(run.widget(f"store_{hashlib.sha256(data).hexdigest()[:12]}")))
            result.note_run(who, "store", run)
            if not run.successes:
                result.errors.append(f"{who}: Store pressed, no success message: {run.problems}")
                continue
            result.upload_seconds.append(time.monotonic() - started)
            result.uploads += 1
    except (ProtocolError, OSError, KeyError) as exc:  # KeyError: a widget is missing
        result.errors.append(f"{who}: {type(exc).__name__}: {exc}")
    finally:
        await session.close()


async def _drive(base: str, sessions: int, uploaders: int, seconds: float, files: list[bytes],
                 result: LoadResult) -> None:
    deadline = time.monotonic() + seconds
    await asyncio.gather(*(browse(base, n, deadline, result) for n in range(sessions)),
                         *(upload(base, n, files, deadline, result) for n in range(uploaders)))


def run_load(url: str, *, sessions: int, uploaders: int, seconds: float, workdir: Path,
             browser: bool = False, upload: bytes | None = None) -> LoadResult:
    """Start the server on the store ``url`` (with an analyst account added), drive
    ``sessions`` browsing and ``uploaders`` uploading sessions (uploading copies of the
    workbook ``upload``, by default ``SAMPLE_UPLOAD``) for ``seconds``; the result."""
    from reform.store.accounts import Accounts
    from reform.store.store import Store

    accounts = Accounts(Store(url))
    if accounts.get(ANALYST) is None:
        accounts.add(ANALYST, PASSWORD, "analyst", by="load test")
    files = upload_variants(max(1, uploaders) * max(2, int(seconds // 10)), upload)
    result = LoadResult(sessions, uploaders, seconds, load_average=[round(os.getloadavg()[0], 1)])
    with running_server(url, workdir / "server.log") as (base, pid):
        stop = threading.Event()

        def sample() -> None:
            while True:
                with suppress(OSError):
                    result.rss_mb.append(_rss_mb(pid))
                if stop.wait(1.0):
                    return

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        cpu_before = _cpu_seconds(pid)
        try:
            if browser:
                from bench.load_browser import drive
            asyncio.run((drive if browser else _drive)(base, sessions, uploaders, seconds, files, result))
        finally:
            result.server_cpu_s = _cpu_seconds(pid) - cpu_before
            stop.set()
            sampler.join(5)
    result.load_average.append(round(os.getloadavg()[0], 1))
    return result


def print_table(summary: dict, result: LoadResult) -> None:
    width = max(map(len, summary))
    for name, value in summary.items():
        print(f"{name:<{width}}  {value}")
    for error in result.errors[:20]:
        print("ERROR", error)
    for alert, count in result.alerts.most_common(10):
        print(f"alert ×{count}", alert)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--uploaders", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--db", help="a store with data (default: a temporary one with the sample)")
    parser.add_argument("--browser", action="store_true", help="drive one Chromium instead")
    parser.add_argument("--out", type=Path, help="the JSON file (default: under bench/results/)")
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
        result = run_load(url, sessions=args.sessions, uploaders=args.uploaders, seconds=args.seconds,
                          workdir=Path(folder), browser=args.browser)
        summary = result.summary() | {"wall_s": round(time.monotonic() - started, 1),
                                      "driver": "chromium" if args.browser else "websocket"}
    print_table(summary, result)
    out = args.out or RESULTS / f"load_{datetime.now():%Y%m%d_%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary | {"error_list": result.errors, "alerts": dict(result.alerts),
                                         "views_by_session": result.views_by_session,
                                         "rss_mb": result.rss_mb}, indent=2, ensure_ascii=False))
    print("written", out)
    return 1 if result.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
