"""Load the illustrative sample workbooks into the store on first run (used by `make run`).

Does nothing when the store already holds data, so analysts' uploads are never touched.
Run from the checkout: PYTHONPATH=. python data/load_sample.py [--db URL]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reform.core import config
from reform.core.errors import ReformError
from reform.ingest.pipeline import parse_file
from reform.ingest.units import UnitRegistry
from reform.store.store import Store

HERE = Path(__file__).resolve().parent

SAMPLE_FILES = ("sample_par.xlsx", "sample_sipas.xlsx", "sample_inspections.xlsx")


def load_sample(store: Store, folder: Path = HERE) -> list[int]:
    """Import every sample workbook into ``store``; returns the versions stored."""
    stored = []
    for name in SAMPLE_FILES:
        path = folder / name
        parsed = parse_file(path.read_bytes(), name, UnitRegistry(store.units()))
        stored.append(store.save(parsed.dataset(), user=config.SAMPLE_USER).version)
    return stored


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db")
    args = parser.parse_args()
    try:
        store = Store(args.db)
        if store.datasets():
            print("Kho đã có dữ liệu: không nạp dữ liệu mẫu. / The store has data: sample not loaded.")
            return 0
        if not all((HERE / name).exists() for name in SAMPLE_FILES):
            from make_sample import write_all

            write_all(HERE)
        versions = load_sample(store)
    except ReformError as error:
        print(error.message("vi"), file=sys.stderr)
        return 1
    print(f"Đã nạp dữ liệu mẫu (minh họa) / Sample loaded (illustrative): versions {versions}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
