"""The national workbook the benchmarks read: shaped like a real export of commune results.

10,000 communes × 10 years in a year column (a long table) × 40 criteria in 8 fields plus the
total: 100,000 data rows, 44 columns. Names are made of common Vietnamese place words, so some
collide with real units (as real files do) and most are unknown to the registry. Fixed seed;
written once and cached under ``bench/cache/`` (git-ignored).

    PYTHONPATH=. python bench/national.py [--units 10000] [--years 10]
"""
from __future__ import annotations

import argparse
import itertools
from pathlib import Path

import numpy as np
import openpyxl

CACHE = Path(__file__).resolve().parent / "cache"
FIELDS = 8
CRITERIA_PER_FIELD = 5
FIRST_YEAR = 2015

# Words that name communes all over the country; two of them make a plausible name. No two
# fold to the same letters without accents (Thành/Thạnh are distinct communes, but a file that
# holds both is a test of its own).
_WORDS = (  # noqa: SIM905 — one line of prose reads better than 70 quoted words
    "An Bình Hòa Phú Tân Long Hưng Phước Thịnh Lộc Mỹ Đông Tây Nam Bắc Trung Hải Sơn Thủy "
    "Xuân Thu Quang Minh Thuận Thành Lợi Phong Vĩnh Phúc Hiệp Nghĩa Đức Tiến Hợp Kiến Cường "
    "Hồng Lạc Yên Định Khánh Hà Giang Lâm Châu Điền Mai Lương Thái Hoàng Kim Ngọc Liên Thượng "
    "Vân Cẩm Hiền Tường Nhơn Trường Lập Quý Tín Thắng Lệ Sa Cao Đại Phụng Tuy"
).split()


def commune_names(count: int) -> list[str]:
    """``count`` distinct names ("Xã An Bình", "Phường Hòa Phú 2", …), in a fixed order."""
    pairs = [f"{a} {b}" for a, b in itertools.permutations(_WORDS, 2)]
    names = []
    for i in range(count):
        base = pairs[i % len(pairs)]
        suffix = "" if i < len(pairs) else f" {i // len(pairs) + 1}"
        prefix = "Phường" if i % 7 == 0 else "Xã"
        names.append(f"{prefix} {base}{suffix}")
    return names


def criteria_headers() -> list[str]:
    return [f"{f + 1}.{c + 1}. Tiêu chí {c + 1} của lĩnh vực {f + 1}"
            for f in range(FIELDS) for c in range(CRITERIA_PER_FIELD)]


def national_workbook(units: int = 10_000, years: int = 10, *, folder: Path = CACHE) -> Path:
    """The cached workbook's path, writing it first if needed (about a minute for 100,000 rows)."""
    path = folder / f"national_{units}x{years}.xlsx"
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(2025)
    criteria = FIELDS * CRITERIA_PER_FIELD
    last = FIRST_YEAR + years - 1
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Dữ liệu")
    sheet.append([f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CẤP XÃ GIAI ĐOẠN {FIRST_YEAR} – {last}"])
    sheet.append(["(Dữ liệu tổng hợp để đo hiệu năng; thang điểm 100)"])
    sheet.append([])
    sheet.append(["STT", "Tên đơn vị", "Năm", *criteria_headers(), "Tổng điểm"])
    names = commune_names(units)
    row_number = 0
    for year in range(FIRST_YEAR, last + 1):
        # Each criterion is out of 2.5 points, so the total stays within 100.
        values = np.round(rng.uniform(0.5, 2.5, size=(units, criteria)), 2)
        totals = values.sum(axis=1).round(2)
        for i, name in enumerate(names):
            row_number += 1
            sheet.append([row_number, name, year, *values[i].tolist(), float(totals[i])])
    partial = path.with_suffix(".partial.xlsx")
    workbook.save(partial)
    partial.rename(path)  # never leave a half-written file in the cache
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    path = national_workbook(args.units, args.years)
    print(f"{path} {path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
