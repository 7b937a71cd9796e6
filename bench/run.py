"""``make bench``: every national-scale measure, each as a ratio against a bare reference timed
in the same run, with median, min and max of several runs; JSON under ``bench/results/``.

    PYTHONPATH=. python bench/run.py [--runs 3] [--units 10000 --years 10] [--smoke] [--out F]

Measures (subject / reference):
- ``import``: ``python -m reform import`` in a subprocess, a fresh store each run, start-up
  (``python -m reform --help``) subtracted / a bare fastexcel read of the same file; also
  against ``pandas.read_excel(engine="openpyxl")``, timed once (it takes ~40 s; not in smoke);
- ``import_peak_mb``: the import child's peak RSS (``ru_maxrss`` from ``wait4``);
- ``store``: ``Store.save`` of the parsed file / a plain ``executemany`` of the same score
  rows into a same-shaped SQLite table;
- ``reload_sql``, ``reload_parquet``: ``load_snapshot`` without and from its Parquet cache /
  a bare fetch of the scores table and a bare ``pyarrow`` read of the cache files;
- ``rank_all``: every component of every period ranked (``ranking.rank_all``) / a bare
  pandas ``groupby().rank(method="min")``;
- ``export_png``, ``export_deck``: one 1920×1080 PNG with the kept Chromium / one with a
  Chromium of its own; the 12-slide deck / its charts rendered one by one.

``--smoke`` (the test suite's): 200 units × 2 years, one run, no openpyxl reference.
The machine may be shared: the load average is recorded with the results.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
TARGETS = {  # issue 10: measure -> (field, limit, how the figure compares)
    "import": ("ratio", 2.0, "≤ 2× the bare fastexcel read"),
    "import_vs_openpyxl": ("speedup", 15.0, "≥ 15× faster than pandas + openpyxl"),
    "import_peak_mb": ("median", 1024.0, "≤ 1 GB peak memory"),
    "reload_sql": ("median", 5.0, "< 5 s"),
    "rank_all": ("median", 0.3, "< 0.3 s"),
}


def stats(values: list[float]) -> dict:
    return {"median": round(statistics.median(values), 4), "min": round(min(values), 4),
            "max": round(max(values), 4), "runs": [round(v, 4) for v in values]}


def timed(action: Callable[[], object], runs: int) -> list[float]:
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - start)
    return seconds


def child(args: list[str]) -> tuple[float, float]:
    """Run ``python -m reform ARGS``: (wall seconds, peak RSS in MB) of that child alone."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "reform", *args], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"reform {' '.join(args)} failed: {proc.stderr.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def measure(subject: list[float], reference: list[float], reference_name: str) -> dict:
    """A measure: the subject's and the reference's figures and their ratio (of medians)."""
    out = {"seconds": stats(subject), "reference": reference_name,
           "reference_seconds": stats(reference)}
    out["ratio"] = round(out["seconds"]["median"] / max(out["reference_seconds"]["median"], 1e-9), 2)
    return out


def bench_import(path: Path, runs: int, work: Path, smoke: bool) -> dict:
    """The command-line import against fastexcel (and, once, pandas with openpyxl)."""
    import fastexcel

    startup = [child(["--help"])[0] for _ in range(runs)]
    imports, peaks = [], []
    for i in range(runs):
        seconds, peak = child(["import", str(path), "--index", "PAR",
                               "--db", f"sqlite:///{work / f'import-{i}.sqlite'}"])
        imports.append(max(seconds - statistics.median(startup), 0.0))
        peaks.append(peak)
    bare = timed(lambda: fastexcel.read_excel(str(path)).load_sheet(0).to_arrow(), runs)
    results = {"startup": {"seconds": stats(startup)},
               "import": measure(imports, bare, "fastexcel read_excel().load_sheet(0).to_arrow()"),
               "import_peak_mb": {"median": round(statistics.median(peaks), 1),
                                  "min": round(min(peaks), 1), "max": round(max(peaks), 1)}}
    if not smoke:
        import pandas as pd

        slow = timed(lambda: pd.read_excel(path, engine="openpyxl"), 1)
        results["import_vs_openpyxl"] = measure(imports, slow, 'pandas.read_excel(engine="openpyxl")')
        results["import_vs_openpyxl"]["speedup"] = round(1 / results["import_vs_openpyxl"]["ratio"], 1)
    return results


def plain_executemany(scores, work: Path) -> Callable[[], None]:
    """The reference for storing: the same score rows, prepared as tuples beforehand, into a
    same-shaped table of a fresh SQLite file by one ``executemany``."""
    rows = list(scores.assign(version=1).astype(object).where(scores.notna(), None)
                .itertuples(index=False, name=None))
    columns = ", ".join(f'"{c}"' for c in [*scores.columns, "version"])
    marks = ", ".join("?" * (len(scores.columns) + 1))

    def run() -> None:
        target = Path(tempfile.mkdtemp(dir=work)) / "plain.sqlite"
        with sqlite3.connect(target) as conn:
            conn.execute(f"CREATE TABLE scores ({columns})")
            conn.execute("CREATE INDEX scores_version ON scores (version)")
            conn.executemany(f"INSERT INTO scores ({columns}) VALUES ({marks})", rows)
    return run


def bench_store(path: Path, runs: int, work: Path) -> tuple[dict, object]:
    """``Store.save`` against a plain executemany; returns the measures and a loaded store."""
    from reform.ingest.pipeline import parse_file
    from reform.ingest.units import UnitRegistry
    from reform.store.store import Store

    data = path.read_bytes()
    parse_store = Store(f"sqlite:///{work / 'parse.sqlite'}")
    start = time.perf_counter()
    dataset = parse_file(data, path.name, UnitRegistry(parse_store.units()), index="PAR").dataset()
    parse_seconds = time.perf_counter() - start
    stores = []

    def save() -> None:
        stores.append(Store(f"sqlite:///{work / f'store-{len(stores)}.sqlite'}"))
        stores[-1].save(dataset)

    subject = timed(save, runs)
    reference = timed(plain_executemany(dataset.scores, work), runs)
    results = {"parse_in_process": {"seconds": stats([parse_seconds]),
                                    "scores": len(dataset.scores)},
               "store": measure(subject, reference, "plain sqlite3 executemany, same rows")}
    return results, stores[-1]


def bench_reload(store, runs: int, work: Path) -> tuple[dict, object]:
    """The snapshot read from SQL and from its Parquet cache, against bare reads."""
    import pyarrow.feather as feather
    import pyarrow.parquet as pq

    from reform.store.snapshot import load_snapshot

    path = store.url.removeprefix("sqlite:///")

    def bare_sql() -> None:
        with sqlite3.connect(path) as conn:
            conn.execute("SELECT * FROM scores").fetchall()

    sql = timed(lambda: load_snapshot(store, cache_dir=None), runs)
    bare = timed(bare_sql, runs)
    cache = work / "snapshot-cache"
    snapshot = load_snapshot(store, cache_dir=cache)  # writes the cache
    parquet = timed(lambda: load_snapshot(store, cache_dir=cache), runs)
    # The cache was Parquet, then Arrow IPC files: the reference reads whichever it holds.
    files = sorted(cache.glob("*/*.parquet")) + sorted(cache.glob("*/*.arrow"))
    bare_parquet = timed(lambda: [pq.read_table(f) if f.suffix == ".parquet" else feather.read_table(f)
                                  for f in files], runs)
    return {"reload_sql": measure(sql, bare, "sqlite3 SELECT * FROM scores, fetchall"),
            "reload_parquet": measure(parquet, bare_parquet, "pyarrow read_table of the cache files"),
            }, snapshot


def bench_rank(snapshot, runs: int) -> dict:
    """Every component of every period ranked, against a bare pandas groupby rank."""
    from reform.analysis import ranking

    scores, units = snapshot.scores, snapshot.units
    subject = timed(lambda: ranking.rank_all(scores, units), runs)
    reference = timed(lambda: scores.groupby(["index", "period", "component"])["value"]
                      .rank(method="min", ascending=False), runs)
    return {"rank_all": measure(subject, reference, 'groupby(["index", "period", "component"]).rank(method="min")'),
            "rank_rows": len(scores)}


def bench_exports(runs: int) -> dict:
    """One PNG with the kept Chromium against one with its own; the deck against its charts."""
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_export import one_png, sample_deck

    from reform.present import exports, render

    meeting = sample_deck()
    figure = meeting.slides[1].figure
    charts = [s.figure for s in meeting.slides if s.figure is not None]
    one_png(figure, keep=True)  # the kept Chromium's start is not what is measured
    png = timed(lambda: one_png(figure, keep=True), runs)
    fresh = timed(lambda: one_png(figure, keep=False), runs)
    deck_seconds = timed(lambda: exports.deck_to_pptx(meeting), runs)
    pictures = timed(lambda: [one_png(f, keep=True) for f in charts], runs)
    render.RENDERER.close()
    return {"export_png": measure(png, fresh, "one PNG with a Chromium of its own"),
            "export_deck": measure(deck_seconds, pictures, f"its {len(charts)} charts as PNGs, one by one"),
            "deck_slides": len(meeting.slides)}


def verdicts(results: dict) -> dict:
    """Each target of issue 10 with the figure it is judged on and pass/miss."""
    out = {}
    for name, (field, limit, text) in TARGETS.items():
        if name not in results:
            continue
        entry = results[name]
        figure = entry["seconds"]["median"] if field == "median" and "seconds" in entry else entry[field]
        ok = figure >= limit if field == "speedup" else figure <= limit
        out[name] = {"target": text, "figure": figure, "pass": bool(ok)}
    return out


def table(results: dict) -> str:
    """The results as a Markdown table (what the README shows)."""
    lines = ["| measure | median s | min s | max s | reference | ref. median s | ratio |",
             "|---|---|---|---|---|---|---|"]
    for name, entry in results["measures"].items():
        if not isinstance(entry, dict) or "reference" not in entry:
            continue
        s, r = entry["seconds"], entry["reference_seconds"]
        lines.append(f"| {name} | {s['median']:.3f} | {s['min']:.3f} | {s['max']:.3f} | "
                     f"{entry['reference']} | {r['median']:.3f} | {entry['ratio']:.2f}× |")
    peak = results["measures"]["import_peak_mb"]
    lines.append(f"| import_peak_mb | {peak['median']} MB | {peak['min']} MB | {peak['max']} MB | | | |")
    lines += ["", "| target (issue 10) | figure | result |", "|---|---|---|"]
    for name, verdict in results["targets"].items():
        lines.append(f"| {name}: {verdict['target']} | {verdict['figure']} | "
                     f"{'pass' if verdict['pass'] else 'MISS'} |")
    return "\n".join(lines)


def run(units: int, years: int, runs: int, smoke: bool, cache: Path, exports: bool = True) -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    from national import national_workbook

    path = national_workbook(units, years, folder=cache)
    measures: dict = {}
    with tempfile.TemporaryDirectory(prefix="reform-bench-") as folder:
        work = Path(folder)
        measures.update(bench_import(path, runs, work, smoke))
        stored, store = bench_store(path, runs, work)
        measures.update(stored)
        reloaded, snapshot = bench_reload(store, runs, work)
        measures.update(reloaded)
        measures.update(bench_rank(snapshot, runs))
        store.engine.dispose()
    if exports:
        measures.update(bench_exports(runs))
    return {"date": date.today().isoformat(), "workbook": path.name, "units": units, "years": years,
            "runs": runs, "smoke": smoke,
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                        "platform": platform.platform(), "load_average": os.getloadavg()},
            "measures": measures, "targets": verdicts(measures)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--smoke", action="store_true", help="200 units × 2 years, one run")
    parser.add_argument("--cache", type=Path, default=ROOT / "bench" / "cache")
    parser.add_argument("--out", type=Path, help="JSON file (default bench/results/DATE.json)")
    parser.add_argument("--no-exports", action="store_true",
                        help="skip the PNG and deck measures (each starts Chromium several times)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.units, args.years, args.runs = 200, 2, 1
    results = run(args.units, args.years, args.runs, args.smoke, args.cache, not args.no_exports)
    out = args.out or RESULTS / f"{results['date']}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"{results['workbook']}, {args.runs} run(s), {os.cpu_count()} CPUs, "
          f"load average {results['machine']['load_average'][0]:.1f}; JSON: {out}")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
