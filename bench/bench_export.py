"""Chart images and the meeting deck for the benchmarks (``bench/run.py`` uses its helpers): one PNG (1920×1080 at 2×) and a 12-slide
.pptx from the illustrative sample, with a Chromium started per image ("before") and with
the one kept Chromium ("after"); median, min and max of several runs, JSON in bench/out/.

    PYTHONPATH=. python bench/bench_export.py [--runs 3]
"""
from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from reform.core import config
from reform.present import deck, exports, render
from reform.store.snapshot import load_snapshot
from reform.store.store import Store

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_FILES = ("sample_par.xlsx", "sample_sipas.xlsx", "sample_inspections.xlsx")
UNITS = ("ward:phuc-tan", "ward:hang-ma", "ward:dong-xuan")


def sample_deck() -> deck.Deck:
    """The 12-slide deck of PAR 2024, wards, three unit profiles, from a fresh sample store."""
    from reform.ingest.pipeline import parse_file
    from reform.ingest.units import UnitRegistry

    store = Store(f"sqlite:///{tempfile.mkdtemp(prefix='bench-export-')}/s.sqlite")
    for name in SAMPLE_FILES:
        path = ROOT / "data" / name
        parsed = parse_file(path.read_bytes(), name, UnitRegistry(store.units()))
        store.save(parsed.dataset(), user=config.SAMPLE_USER)
    return deck.build_deck(load_snapshot(store, None), index="PAR", period="2024",
                           level="ward", units=UNITS, datasets=store.datasets())


def timed(func, runs: int) -> dict:
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        seconds.append(round(time.perf_counter() - start, 3))
    return {"median": statistics.median(seconds), "min": min(seconds), "max": max(seconds),
            "runs": seconds}


def one_png(figure, keep: bool) -> bytes:
    projected = render.projector_figure(figure)
    return exports.figure_to_image(projected, "png", width=1920, height=1080, scale=2, keep=keep)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    meeting = sample_deck()
    figure = meeting.slides[1].figure
    charts = [s.figure for s in meeting.slides if s.figure is not None]
    results = {"slides": len(meeting.slides), "charts": len(charts)}
    render.RENDERER.close()
    results["png_before"] = timed(lambda: one_png(figure, keep=False), runs)
    # "before" for the deck: every chart in its own Chromium, as the old export did
    results["deck_before"] = timed(lambda: [one_png(f, keep=False) for f in charts], runs)
    render.RENDERER.close()
    results["first_png_after_cold"] = timed(lambda: one_png(figure, keep=True), 1)
    results["png_after"] = timed(lambda: one_png(figure, keep=True), runs)
    results["deck_after"] = timed(lambda: exports.deck_to_pptx(meeting), runs)
    out = ROOT / "bench" / "out" / "bench_export.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
