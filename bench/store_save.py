"""Time ``Store.save`` of one parsed dataset into fresh SQLite files (or a PostgreSQL URL),
and the reload (``Store.scores(lean=True)``) of what was stored, in wall and CPU seconds.

    PYTHONPATH=. python bench/store_save.py DATASET.pkl [--runs 3] [--url URL] [--profile]

``DATASET.pkl`` is a pickled ``Dataset`` (parse the national file once, then pickle it), so
the store is timed alone: the parse takes a minute of its own. CPU time is the process's
(``time.process_time``, every thread), the figure to compare on a shared machine.
"""
from __future__ import annotations

import argparse
import functools
import pickle
import shutil
import statistics
import tempfile
import time
from pathlib import Path


def timed(action) -> tuple[float, float, float]:
    """(wall, cpu, main) seconds of ``action()``: ``main`` is the calling thread's CPU, the
    part no other core can take over (wall on an idle machine is about it plus disk waits)."""
    wall, cpu, main = time.perf_counter(), time.process_time(), time.thread_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu, time.thread_time() - main


def main(argv: list[str] | None = None) -> int:
    from reform.core.text import unit_key
    from reform.store.store import Store

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--url", help="a PostgreSQL URL (emptied by the caller between runs)")
    parser.add_argument("--profile", action="store_true", help="pyinstrument of the last save")
    args = parser.parse_args(argv)
    dataset = pickle.loads(args.dataset.read_bytes())
    # The import parses and saves in one process: the spellings' keys are cached by then.
    for spellings in dataset.units["spellings"]:
        [unit_key(spelling) for spelling in spellings]
    work = Path(tempfile.mkdtemp(prefix="store-save-"))  # removed at the end
    saves, reloads = [], []
    for run in range(args.runs):
        store = Store(args.url or f"sqlite:///{work / f'store-{run}.sqlite'}")
        if args.profile and run == args.runs - 1:
            from pyinstrument import Profiler
            with Profiler(interval=0.005) as profiler:
                saves.append(timed(functools.partial(store.save, dataset)))
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        else:
            saves.append(timed(functools.partial(store.save, dataset)))
        reloads.append(timed(functools.partial(store.scores, lean=True)))
        print(f"run {run}: save wall {saves[-1][0]:.2f} cpu {saves[-1][1]:.2f} "
              f"main thread {saves[-1][2]:.2f}; reload wall {reloads[-1][0]:.2f} "
              f"cpu {reloads[-1][1]:.2f}", flush=True)
        if args.url:
            break  # the caller empties a server store between runs
    shutil.rmtree(work, ignore_errors=True)
    for name, values in (("save", saves), ("reload", reloads)):
        walls, cpus, mains = zip(*values, strict=True)
        print(f"{name}: wall median {statistics.median(walls):.2f} (min {min(walls):.2f}), "
              f"cpu median {statistics.median(cpus):.2f} (min {min(cpus):.2f}), "
              f"main thread median {statistics.median(mains):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
