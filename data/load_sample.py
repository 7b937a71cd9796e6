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
from reform.ingest.crosswalk import read_lineage
from reform.ingest.pipeline import parse_file
from reform.ingest.units import UnitRegistry
from reform.store.store import Store

HERE = Path(__file__).resolve().parent

SAMPLE_FILES = ("sample_par.xlsx", "sample_sipas.xlsx", "sample_inspections.xlsx")
"""The sample's results on the units before the 2025 reorganisation (Hoàn Kiếm district)."""

LINEAGE_FILE = "sample_lineage.xlsx"
"""The real crosswalk rows of the new wards the sample's wards went into on 1 July 2025."""

LATER_FILES = ("sample_par_2025.xlsx",)
"""Results on the new wards: imported after the lineage, so 'Phường Cửa Nam' in 2025 is the
new ward, not the old one that shares its name."""

ALL_FILES = (*SAMPLE_FILES, LINEAGE_FILE, *LATER_FILES)


def import_results(store: Store, folder: Path, names: tuple[str, ...]) -> list[int]:
    """Import the result workbooks ``names`` as the sample's; returns the versions stored."""
    stored = []
    for name in names:
        path = folder / name
        parsed = parse_file(path.read_bytes(), name, UnitRegistry(store.units()))
        stored.append(store.save(parsed.dataset(), user=config.SAMPLE_USER).version)
    return stored


def import_lineage(store: Store, folder: Path = HERE) -> int:
    """Store the sample's lineage (kept apart as the sample's, like its results); returns its
    version. Raises FileRefused when the file holds no crosswalk."""
    data = (folder / LINEAGE_FILE).read_bytes()
    lineage, _ = read_lineage(data, LINEAGE_FILE, store.units())
    return store.save_lineage(lineage, user=config.SAMPLE_USER).version


def load_sample(store: Store, folder: Path = HERE) -> list[int]:
    """Import every sample workbook into ``store``, the lineage before the 2025 results;
    returns the versions stored."""
    stored = import_results(store, folder, SAMPLE_FILES)
    stored.append(import_lineage(store, folder))
    return stored + import_results(store, folder, LATER_FILES)


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
        if not all((HERE / name).exists() for name in (LINEAGE_FILE, *LATER_FILES)):
            from make_sample_2025 import write_2025

            write_2025(HERE)
        versions = load_sample(store)
    except ReformError as error:
        print(error.message("vi"), file=sys.stderr)
        return 1
    print(f"Đã nạp dữ liệu mẫu (minh họa) / Sample loaded (illustrative): versions {versions}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
