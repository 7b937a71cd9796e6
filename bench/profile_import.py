"""Profile the import of a national workbook: a bare fastexcel read against ``parse_file``.

Each measure runs in a fresh process, so its peak RSS is its own. Prints seconds, peak RSS
(MB), CPU seconds (steadier than wall time on a loaded machine) and the ratio of the parse to
the bare read, by wall and by CPU time. Not part of the tests.

    PYTHONPATH=. .venv/bin/python bench/profile_import.py [FILE] [--repeat 1] [--profile]

``--seeded`` matches names against the registry a fresh store holds (the gazetteer of
``seed_units``), as ``python -m reform import`` does; without it the registry is empty, so every
name is new at once and none is looked up among known units.

``--profile`` runs ``parse_file`` once under pyinstrument (installed in .venv only) and
prints its call tree. ``--stages`` prints the CPU seconds of each step of ``parse_file``
(CPU time, not wall time: on a shared machine the wall time of a step depends on the others).
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

DEFAULT = Path(__file__).resolve().parent / "cache" / "national_10000x10.xlsx"


def _bare_read(path: Path) -> dict:
    import fastexcel

    started, cpu = time.perf_counter(), time.process_time()
    reader = fastexcel.read_excel(path.read_bytes())
    tables = [reader.load_sheet(name, header_row=None).to_arrow() for name in reader.sheet_names]
    return {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu,
            "rows": sum(t.num_rows for t in tables)}


def _parse(path: Path, profile: bool, seeded: bool = False) -> dict:
    import pandas as pd

    from reform.core.gazetteer import seed_units
    from reform.core.model import UNIT_COLUMNS
    from reform.ingest.pipeline import parse_file
    from reform.ingest.units import UnitRegistry

    data = path.read_bytes()
    registry = UnitRegistry(seed_units() if seeded else pd.DataFrame(columns=UNIT_COLUMNS)).scoped()
    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.005)
        profiler.start()
    started, cpu = time.perf_counter(), time.process_time()
    parsed = parse_file(data, path.name, registry, index="PAR")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if profiler:
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False), file=sys.stderr)
    return {"seconds": seconds, "cpu": cpu, "scores": len(parsed.scores), "units": parsed.unit_count,
            "periods": len(parsed.periods), "errors": len(parsed.errors), "issues": len(parsed.issues)}


_STAGES = (("reform.ingest.limits", "scan_xlsx"), ("reform.ingest.readers", "_read_sheets"),
           ("reform.ingest.pipeline", "read_workbook"), ("reform.ingest.pipeline", "_layouts"),
           ("reform.ingest.sheet", "classify_rows"), ("reform.ingest.sheet", "match_units"),
           ("reform.ingest.sheet", "read_cells"), ("reform.ingest.sheet", "_with_tree"),
           ("reform.ingest.sheet", "_scores"), ("reform.ingest.pipeline", "_validate"),
           ("reform.ingest.pipeline", "_assemble"))
"""The steps ``--stages`` times, each where its caller looks it up (read_workbook holds
scan_xlsx and _read_sheets: the typed read by fastexcel, or calamine)."""


def _timed_stages() -> dict[str, float]:
    """Wrap each of ``_STAGES`` to add its CPU seconds to the returned dict."""
    import importlib

    spent: dict[str, float] = {}
    for module_name, name in _STAGES:
        module = importlib.import_module(module_name)
        inner = getattr(module, name)

        def wrapped(*args, _inner=inner, _name=name, **kwargs):
            cpu = time.process_time()
            try:
                return _inner(*args, **kwargs)
            finally:
                spent[_name] = spent.get(_name, 0.0) + time.process_time() - cpu
        setattr(module, name, wrapped)
    return spent


def _child(mode: str, path: Path, profile: bool, stages: bool = False, seeded: bool = False) -> None:
    spent = _timed_stages() if stages else None
    result = _bare_read(path) if mode == "read" else _parse(path, profile, seeded)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if spent:
        result["steps"] = dict(sorted(spent.items(), key=lambda kv: -kv[1]))
    print(json.dumps(result))


def _run(mode: str, path: Path, profile: bool = False, stages: bool = False,
         seeded: bool = False) -> dict:
    command = [sys.executable, __file__, str(path), "--child", mode] + ["--profile"] * profile + [
        "--stages"] * stages + ["--seeded"] * seeded
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    if done.stderr:
        print(done.stderr, file=sys.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", nargs="?", default=str(DEFAULT))
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--stages", action="store_true")
    parser.add_argument("--seeded", action="store_true")
    parser.add_argument("--child", choices=("read", "parse"))
    args = parser.parse_args()
    path = Path(args.file)
    if args.child:
        _child(args.child, path, args.profile, args.stages, args.seeded)
        return
    for _ in range(args.repeat):
        read = _run("read", path)
        parse = _run("parse", path, args.profile, args.stages, args.seeded)
        print(f"{path.name}: fastexcel read {read['seconds']:.2f} s ({read['peak_mb']:.0f} MB peak) | "
              f"parse_file {parse['seconds']:.2f} s ({parse['peak_mb']:.0f} MB peak) | "
              f"ratio {parse['seconds'] / read['seconds']:.2f}x | CPU {read['cpu']:.2f} s vs "
              f"{parse['cpu']:.2f} s ({parse['cpu'] / read['cpu']:.2f}x) | {parse['scores']:,} scores, "
              f"{parse['units']:,} units, {parse['periods']} periods, {parse['errors']} errors, "
              f"{parse['issues']} issues")
        if "steps" in parse:
            print("CPU s by step: " + ", ".join(f"{k} {v:.2f}" for k, v in parse["steps"].items()))


if __name__ == "__main__":
    main()
