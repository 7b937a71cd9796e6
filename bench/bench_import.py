"""Benchmark: import a national-scale workbook (100,000 units × 45 columns).

Anchors on this 2-core machine: pandas + openpyxl reads such a file in ~38 s, pandas'
calamine engine in ~4 s, fastexcel in ~1.2 s. Prints the time of each stage of our import:
read (python-calamine), map + validate (parse_file), store (SQLite). Not part of the tests.

    PYTHONPATH=. python bench/bench_import.py [--rows 100000]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import openpyxl

from reform.ingest.pipeline import parse_file
from reform.ingest.readers import read_workbook
from reform.ingest.units import UnitRegistry
from reform.store.snapshot import load_snapshot
from reform.store.store import Store

OUT = Path(__file__).resolve().parent / "out"


def make_workbook(rows: int, path: Path) -> Path:
    """A flat annex: STT, name, 42 criteria in 6 fields (merged header), total; fixed seed."""
    if path.exists():
        return path
    rng = np.random.default_rng(7)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("2024")
    sheet.append(["KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2024 (dữ liệu tổng hợp để đo hiệu năng)"])
    fields = []
    for f in range(6):
        fields += [f"{f + 1}. Lĩnh vực {f + 1}"] + [None] * 6
    sheet.append(["STT", "Tên đơn vị", *fields, "Tổng điểm"])
    sheet.append([None, None, *[f"{f + 1}.{c + 1} Tiêu chí" for f in range(6) for c in range(7)], None])
    values = np.round(rng.uniform(0, 2.3, size=(rows, 42)), 2)
    totals = values.sum(axis=1).round(2)
    for i in range(rows):
        sheet.append([i + 1, f"Đơn vị số {i + 1}", *values[i].tolist(), float(totals[i])])
    workbook.save(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    started = time.perf_counter()
    path = make_workbook(args.rows, OUT / f"national_{args.rows}.xlsx")
    print(f"workbook: {path.name} {path.stat().st_size / 1e6:.1f} MB (made/reused in {time.perf_counter() - started:.1f} s)")
    data = path.read_bytes()

    started = time.perf_counter()
    read_workbook(data, path.name)
    print(f"read (python-calamine, cells at their positions): {time.perf_counter() - started:.2f} s")

    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{folder}/bench.sqlite")
        registry = UnitRegistry(store.units())
        started = time.perf_counter()
        parsed = parse_file(data, path.name, registry, index="PAR", level="unit")
        parse_seconds = time.perf_counter() - started
        print(f"read + map + validate (parse_file): {parse_seconds:.2f} s — {parsed.unit_count:,} units, "
              f"{len(parsed.scores):,} scores, {sum(i.severity == 'error' for i in parsed.issues)} errors")
        started = time.perf_counter()
        store.save(parsed.dataset())
        print(f"store (SQLite, one transaction): {time.perf_counter() - started:.2f} s")
        started = time.perf_counter()
        store.scores()
        print(f"reload all scores from the store (SQL): {time.perf_counter() - started:.2f} s")
        load_snapshot(store, cache_dir=Path(folder) / "cache")  # writes the Parquet cache
        started = time.perf_counter()
        load_snapshot(store, cache_dir=Path(folder) / "cache")
        print(f"reload the snapshot from its Parquet cache: {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
