"""The app at national scale: every page under AppTest on a store of 10,000 units.

Builds (once, cached under ``bench/cache/``, git-ignored) a SQLite store holding PAR for
10,000 communes × 10 years × 40 components (TOTAL, 8 fields, 31 criteria), SIPAS for the last
two years (the five elements' assessment, satisfaction and expectation) and a year of
inspection records (about five visits per unit). The datasets are saved straight through
``Store.save``, not through the importer, so this measures the app and nothing else.

Then: the start-up in a fresh process (the first page drawn, minus importing Streamlit; wall
and CPU time, the CPU figure being the one to compare on a shared machine), once
reading the store and three times more on the snapshot's Arrow copy (restarts: the median run
is reported, with the median, min and max); what the snapshot
holds (MB per frame and per score column); and one session clicking through every page, as a
user does, in one process whose caches stay warm: each page's first render, the median, min
and max of five reruns, the bytes of chart JSON it sends (the plotly specs) and the process's
RSS after it. Prints a table and writes JSON under ``bench/results/``.

    PYTHONPATH=. python bench/app_scale.py [--units 10000] [--periods 10] [--components 40]
                                           [--reruns 5] [--pages overview,rankings]

``measure(store_url)`` returns the same figures as a dict, for ``bench/run.py``.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / "cache"
RESULTS = HERE / "results"
FIRST_YEAR = 2015
PAGES = ("overview", "rankings", "trends", "unit_profile", "components", "compare",
         "discipline", "satisfaction", "cross_index", "methodology", "data", "presentation")
TARGETS = {"rerun_median_s": 0.150, "startup_s": 2.0, "rss_mb": 800, "chart_bytes": 1_000_000}
"""The issue's targets (issue 10, item 4)."""

os.environ.setdefault("REFORM_CACHE_DIR", str(CACHE / "snapshots"))


# ---- the synthetic national store -------------------------------------------------------------

def component_codes(count: int) -> list[tuple[str, str]]:
    """``count`` (code, parent) pairs: TOTAL, then fields "1".."8", then their criteria."""
    fields = max(1, min(8, (count - 1) // 5 or 1))
    codes = [("TOTAL", "")] + [(str(f), "") for f in range(1, fields + 1)]
    criterion = 1
    while len(codes) < count:
        for field in range(1, fields + 1):
            if len(codes) < count:
                codes.append((f"{field}.{criterion}", str(field)))
        criterion += 1
    return codes[:count]


def unit_frame(units: int) -> pd.DataFrame:
    """``units`` communes and wards (one in seven a ward), ids ``commune:bench-00042``."""
    numbers = np.arange(units)
    ward = numbers % 7 == 0
    return pd.DataFrame({
        "unit_id": [f"{'ward' if w else 'commune'}:bench-{i:05d}" for i, w in zip(numbers, ward, strict=True)],
        "name": [f"{'Phường' if w else 'Xã'} Thử nghiệm {i}" for i, w in zip(numbers, ward, strict=True)],
        "level": np.where(ward, "ward", "commune"),
        "spellings": [()] * units,
    })


def _dataset(index: str, periods: tuple[str, ...], scores: pd.DataFrame,
             components: pd.DataFrame, units: pd.DataFrame, *,
             inspections: pd.DataFrame | None = None):
    from reform.core.model import INSPECTION_COLUMNS, PUBLISHED_COLUMNS, Dataset

    payload = f"{index}|{','.join(periods)}|{len(units)}|{len(scores)}".encode()
    empty_inspections = pd.DataFrame(columns=INSPECTION_COLUMNS[:-1])
    return Dataset(
        index=index, periods=periods, file_name=f"bench_{index}_{'_'.join(periods)}.xlsx",
        sha256=hashlib.sha256(payload).hexdigest(), data=payload, scores=scores,
        components=components, published=pd.DataFrame(columns=PUBLISHED_COLUMNS[:-1]),
        inspections=empty_inspections if inspections is None else inspections,
        units=units, sheets=("Dữ liệu",), unit_count=len(units))


def _scores(index: str, period: str, ids: np.ndarray, codes: list[str], maxima: np.ndarray,
            rng: np.random.Generator, low: float = 0.4) -> pd.DataFrame:
    """Every unit on every component; the total is the sum of the fields' points."""
    n, k = len(ids), len(codes)
    values = (rng.uniform(low, 1.0, size=(n, k)) * maxima).round(2)
    rows = n * k
    return pd.DataFrame({
        "index": index, "period": period, "unit_id": np.repeat(ids, k),
        "component": np.tile(np.asarray(codes, dtype=object), n), "value": values.ravel(),
        "max_value": np.tile(maxima, n),
        "source": [f"bench#{period}!Dữ liệu!{i}" for i in range(rows)],
    })


def par_datasets(units: pd.DataFrame, periods: int, components: int, seed: int = 2025):
    """One PAR dataset per year (so memory stays one year's rows at a time)."""
    rng = np.random.default_rng(seed)
    tree = component_codes(components)
    codes = [code for code, _ in tree]
    fields = [code for code, parent in tree if code != "TOTAL" and not parent]
    maxima = np.array([100.0 if c == "TOTAL" else 100.0 / len(fields) if c in fields
                       else 2.5 for c, _ in tree])
    frame = pd.DataFrame({"index": "PAR", "component": codes,
                          "name": [f"Tiêu chí {c}" if c != "TOTAL" else "Tổng điểm" for c in codes],
                          "parent": [p for _, p in tree], "max_value": maxima,
                          "order": range(len(codes))})
    ids = units["unit_id"].to_numpy()
    for year in range(FIRST_YEAR, FIRST_YEAR + periods):
        period = str(year)
        yield _dataset("PAR", (period,), _scores("PAR", period, ids, codes, maxima, rng),
                       frame.assign(period=period), units)


def sipas_dataset(units: pd.DataFrame, period: str, seed: int = 7):
    """SIPAS of one year: the total and the five elements' three measures, in %."""
    rng = np.random.default_rng(seed + int(period))
    names = {"1": "Đánh giá (%)", "2": "Hài lòng (%)", "3": "Kỳ vọng (%)"}
    tree = [("TOTAL", "", "Chỉ số SIPAS")]
    for element in range(1, 6):
        tree.append((str(element), "", f"Yếu tố {element}"))
        tree += [(f"{element}.{m}", str(element), names[str(m)]) for m in range(1, 4)]
    scored = [code for code, parent, _ in tree if parent or code == "TOTAL"]
    components = pd.DataFrame({"index": "SIPAS", "period": period,
                               "component": [c for c, _, _ in tree],
                               "name": [n for _, _, n in tree], "parent": [p for _, p, _ in tree],
                               "max_value": np.nan, "order": range(len(tree))})
    ids = units["unit_id"].to_numpy()
    scores = _scores("SIPAS", period, ids, scored, np.full(len(scored), 100.0), rng, low=0.6)
    return _dataset("SIPAS", (period,), scores.assign(max_value=np.nan), components, units)


def inspection_dataset(units: pd.DataFrame, year: str, per_unit: int = 5, seed: int = 11):
    """A year of inspection visits: ``per_unit`` per unit on average, most without a
    violation."""
    from reform.core import config

    rng = np.random.default_rng(seed)
    n = len(units) * per_unit
    categories = [c["code"] for c in config.INSPECTION_CATEGORIES]
    start = np.datetime64(f"{year}-01-02")
    violations = rng.poisson(0.4, n)
    records = pd.DataFrame({
        "date": (start + rng.integers(0, 360, n).astype("timedelta64[D]")).astype("datetime64[ns]"),
        "unit_id": units["unit_id"].to_numpy()[rng.integers(0, len(units), n)],
        "team": [f"Đoàn kiểm tra số {t}" for t in rng.integers(1, 40, n)],
        "kind": np.where(rng.random(n) < 0.3, "unannounced", "regular"),
        "category": np.where(violations > 0, np.asarray(categories)[rng.integers(0, len(categories), n)], "none"),
        "violations": violations, "officials_checked": rng.integers(5, 40, n),
        "note": "", "source": [f"Kiểm tra!C{i + 2}" for i in range(n)],
    })
    from reform.core.kinds import inspection_kind

    return _dataset(inspection_kind().code, (year,), pd.DataFrame(columns=[
        "index", "period", "unit_id", "component", "value", "max_value", "source"]),
        pd.DataFrame(columns=["index", "period", "component", "name", "parent", "max_value", "order"]),
        units, inspections=records)


def build_store(url: str, *, units: int, periods: int, components: int,
                sipas_periods: int = 2) -> None:
    """Save the synthetic national datasets into the (empty) store at ``url``."""
    from reform.store.store import Store

    store = Store(url)
    frame = unit_frame(units)
    last = str(FIRST_YEAR + periods - 1)
    for dataset in par_datasets(frame, periods, components):
        store.save(dataset, user="bench")
    for year in range(FIRST_YEAR + periods - sipas_periods, FIRST_YEAR + periods):
        store.save(sipas_dataset(frame, str(year)), user="bench")
    store.save(inspection_dataset(frame, last), user="bench")
    store.engine.dispose()  # the last connection closed checkpoints SQLite's WAL


def national_store(units: int = 10_000, periods: int = 10, components: int = 40, *,
                   folder: Path = CACHE) -> str:
    """The URL of the cached national store, building it first when needed."""
    # v2: stores built before each version kept its columnar copy read every score by SQL
    path = folder / f"app_{units}x{periods}x{components}.v2.sqlite"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial.sqlite")
        for leftover in folder.glob(partial.name + "*"):
            leftover.unlink()
        build_store(f"sqlite:///{partial}", units=units, periods=periods, components=components)
        partial.rename(path)  # never leave a half-built store in the cache
    return f"sqlite:///{path}"


# ---- measuring the pages ----------------------------------------------------------------------

def _rss_mb() -> tuple[float, float]:
    """This process's resident memory now and at its peak, in MB (Linux /proc)."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines()
                  if ":" in line)
    return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)


def chart_bytes(at) -> int:
    """Bytes of Plotly JSON the page sends: the sum of its charts' specs."""
    return sum(len(element.proto.spec) for element in at.get("plotly_chart"))


def _timed(action) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def snapshot_sizes(url: str) -> dict:
    """What the snapshot holds: MB of each frame (deep) and of each score column, biggest first."""
    from reform.store.snapshot import load_snapshot
    from reform.store.store import Store

    data = load_snapshot(Store(url))
    frames = {name: getattr(data, name) for name in
              ("scores", "units", "components", "published", "inspections", "links")}
    mb = {name: round(frame.memory_usage(deep=True).sum() / 1e6, 1) for name, frame in frames.items()}
    columns = {f"{c} ({data.scores[c].dtype})": round(data.scores[c].memory_usage(deep=True) / 1e6, 1)
               for c in data.scores.columns}
    return {"rows": len(data.scores), "frames_mb": dict(sorted(mb.items(), key=lambda kv: -kv[1])),
            "score_columns_mb": dict(sorted(columns.items(), key=lambda kv: -kv[1]))}


def visit_pages(url: str, pages: tuple[str, ...], reruns: int = 5) -> list[dict]:
    """One session clicking through ``pages`` as a user does, in one process whose caches stay
    warm from page to page (as the served app's do): for each page its first render, then
    ``reruns`` reruns (median, min, max of wall and CPU time), the chart JSON sent and the
    process's RSS after it."""
    from streamlit.testing.v1 import AppTest

    os.environ["REFORM_DATABASE_URL"] = url
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600).run()
    rows = []
    for page in pages:
        first, first_cpu = _timed(lambda page=page: at.switch_page(f"pages/{page}.py").run())
        runs = [_timed(at.run) for _ in range(reruns)]
        walls, cpus = [w for w, _ in runs], [c for _, c in runs]
        rss, peak = _rss_mb()
        rows.append({
            "page": page, "first_s": round(first, 3), "first_cpu_s": round(first_cpu, 3),
            "rerun_median_s": round(statistics.median(walls), 4), "rerun_min_s": round(min(walls), 4),
            "rerun_max_s": round(max(walls), 4), "rerun_cpu_median_s": round(statistics.median(cpus), 4),
            "chart_bytes": chart_bytes(at), "charts": len(at.get("plotly_chart")),
            "rss_mb": round(rss), "peak_rss_mb": round(peak),
            "exceptions": [str(e.value)[:300] for e in at.exception],
        })
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)  # progress: a long run
    return rows


_STARTUP = """
import json, os, sys, time
start, start_cpu = time.perf_counter(), time.process_time()
import streamlit
from streamlit.testing.v1 import AppTest
imported, imported_cpu = time.perf_counter(), time.process_time()
at = AppTest.from_file(sys.argv[1], default_timeout=600)
at.run()
done, done_cpu = time.perf_counter(), time.process_time()
status = dict(l.split(":", 1) for l in open("/proc/self/status").read().splitlines() if ":" in l)
print(json.dumps({"streamlit_import_s": imported - start, "startup_s": done - imported,
                  "streamlit_import_cpu_s": imported_cpu - start_cpu,
                  "startup_cpu_s": done_cpu - imported_cpu,
                  "rss_mb": int(status["VmRSS"].split()[0]) / 1024,
                  "peak_rss_mb": int(status["VmHWM"].split()[0]) / 1024,
                  "charts": len(at.get("plotly_chart")),
                  "exceptions": [str(e.value)[:300] for e in at.exception]}))
"""


def measure_startup(url: str, cache_dir: Path) -> dict:
    """A fresh process: importing Streamlit, then the first page drawn (the default one, with
    its charts) through the real entry point; the snapshot read from ``cache_dir``'s Arrow
    copy when one is there, else from the store (writing the copy)."""
    env = os.environ | {"REFORM_DATABASE_URL": url, "PYTHONPATH": str(ROOT),
                        "REFORM_CACHE_DIR": str(cache_dir)}
    done = subprocess.run([sys.executable, "-c", _STARTUP, str(ROOT / "dashboard.py")],
                          env=env, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(store_url: str, *, pages: tuple[str, ...] = PAGES, reruns: int = 5,
            restarts: int = 3) -> dict:
    """Every page of the app on ``store_url``: start-up in fresh processes (the first reading
    the store, then ``restarts`` more reading the snapshot's Arrow copy it left: restarts; the
    median one is reported, with the median, min and max of all), what the
    snapshot holds, then one session through every page (first render, reruns, chart JSON and
    the RSS after each).

    Returns ``{"startup": {...}, "snapshot": {...}, "pages": [{...}, ...], "rss_mb": …,
    "peak_rss_mb": …, "targets": TARGETS, "failed": [what missed a target]}``.
    """
    import logging
    import tempfile

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="app-scale-") as cache:
        cold = measure_startup(store_url, Path(cache))
        warm = median_run([measure_startup(store_url, Path(cache)) for _ in range(restarts)])
    results = visit_pages(store_url, pages, reruns)
    rss, peak = _rss_mb()
    sizes = snapshot_sizes(store_url)  # after the RSS is taken: it reads a copy of its own
    report = {"startup": {"first_start": cold, "restart": warm}, "snapshot": sizes,
              "pages": results, "rss_mb": round(rss), "peak_rss_mb": round(peak),
              "targets": TARGETS}
    report["failed"] = missed(report)
    return report


def median_run(runs: list[dict]) -> dict:
    """The run of median ``startup_s`` among ``runs``, with ``startup_runs_s``: the median,
    min, max and every figure of all of them."""
    ordered = sorted(runs, key=lambda run: run["startup_s"])
    seconds = [round(run["startup_s"], 3) for run in runs]
    return ordered[len(ordered) // 2] | {"startup_runs_s": {
        "median": statistics.median(seconds), "min": min(seconds), "max": max(seconds), "runs": seconds}}


def missed(report: dict) -> list[str]:
    """The targets a report misses, one line each."""
    out = []
    for row in report["pages"]:
        if row["exceptions"]:
            out.append(f"{row['page']}: exception {row['exceptions'][0][:80]}")
        if row["rerun_median_s"] > TARGETS["rerun_median_s"]:
            out.append(f"{row['page']}: rerun median {row['rerun_median_s']:.3f} s")
        if row["chart_bytes"] > TARGETS["chart_bytes"]:
            out.append(f"{row['page']}: {row['chart_bytes']:,} bytes of chart JSON")
    for name, run in report["startup"].items():
        if run["exceptions"]:
            out.append(f"{name}: exception {run['exceptions'][0][:80]}")
    if report["startup"]["restart"]["startup_s"] > TARGETS["startup_s"]:
        out.append(f"restart: {report['startup']['restart']['startup_s']:.2f} s")
    if report["peak_rss_mb"] > TARGETS["rss_mb"]:
        out.append(f"peak RSS {report['peak_rss_mb']} MB")
    return out


def table(report: dict) -> str:
    """The report as a fixed-width table."""
    head = (f"{'page':14} {'first s':>8} {'median s':>9} {'min s':>7} {'max s':>7} "
            f"{'cpu med s':>9} {'chart kB':>9} {'RSS MB':>7}")
    lines = [head, "-" * len(head)]
    for r in report["pages"]:
        lines.append(f"{r['page']:14} {r['first_s']:8.3f} {r['rerun_median_s']:9.3f} "
                     f"{r['rerun_min_s']:7.3f} {r['rerun_max_s']:7.3f} {r['rerun_cpu_median_s']:9.3f} "
                     f"{r['chart_bytes'] / 1000:9.1f} {r['rss_mb']:7d}")
    for name, run in report["startup"].items():
        lines.append(f"{name}: first page in {run['startup_s']:.2f} s (CPU {run['startup_cpu_s']:.2f} s) "
                     f"after importing Streamlit ({run['streamlit_import_s']:.2f} s, CPU "
                     f"{run['streamlit_import_cpu_s']:.2f} s), RSS {run['rss_mb']:.0f} MB "
                     f"(peak {run['peak_rss_mb']:.0f})")
        if "startup_runs_s" in run:
            spread = run["startup_runs_s"]
            lines.append(f"  {len(spread['runs'])} runs: median {spread['median']:.2f} s, min "
                         f"{spread['min']:.2f}, max {spread['max']:.2f}")
    sizes = report["snapshot"]
    lines.append(f"snapshot: {sizes['rows']:,} scores; MB " + ", ".join(
        f"{k} {v}" for k, v in list(sizes["frames_mb"].items())[:3]) + "; score columns MB "
        + ", ".join(f"{k} {v}" for k, v in sizes["score_columns_mb"].items()))
    lines.append(f"RSS of the measuring process: {report['rss_mb']} MB, peak {report['peak_rss_mb']} MB")
    lines.append("targets missed: " + ("; ".join(report["failed"]) or "none"))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--periods", type=int, default=10)
    parser.add_argument("--components", type=int, default=40)
    parser.add_argument("--reruns", type=int, default=5)
    # Restarts timed: one varies by a few tenths of a second from the next on this machine.
    parser.add_argument("--restarts", type=int, default=3)
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--db", help="measure this store instead of the synthetic one")
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args()
    if args.build_only:
        print(national_store(args.units, args.periods, args.components))
        return 0
    # Built in a child process, so this process's RSS is the app's alone.
    url = args.db or subprocess.run(
        [sys.executable, __file__, "--build-only", "--units", str(args.units),
         "--periods", str(args.periods), "--components", str(args.components)],
        env=os.environ | {"PYTHONPATH": str(ROOT)}, check=True, capture_output=True,
        text=True).stdout.strip().splitlines()[-1]
    report = measure(url, pages=tuple(args.pages.split(",")), reruns=args.reruns,
                     restarts=args.restarts)
    report |= {"store": url, "date": date.today().isoformat(), "machine": _machine(),
               "scale": {"units": args.units, "periods": args.periods,
                         "components": args.components}}
    print(table(report))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"app_scale_{datetime.now():%Y%m%d_%H%M%S}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(out)
    return 1 if report["failed"] else 0


def _machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), "?")
    return f"{os.cpu_count()} × {cpu}, Python {sys.version.split()[0]}"


if __name__ == "__main__":
    sys.exit(main())
