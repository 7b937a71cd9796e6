"""Write the sample's side of the 2025 reorganisation: the lineage of its wards and the 2025
results of the new wards.

- ``sample_lineage.xlsx``: the rows of the statistics office's real crosswalk
  (``tests/realdata/BangChuyendoiDVHCmoi_cu_final.xlsx``, sheet "Tổng hợp_không merge") that
  lead into the five new wards Hoàn Kiếm's 18 wards went into, with the published title and
  header rows. Real public data, copied as it is, so the lineage the app shows is the real one.
- ``sample_par_2025.xlsx``: PAR Index 2025 of those five new wards, issued by the city (the
  districts are gone). Made up, like the rest of the sample.

Run ``python data/make_sample_2025.py [--out DIR]``; like ``make_sample.py`` it imports
nothing from ``reform`` and writes the same cells every time.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook, load_workbook

try:  # run as a script from data/, or imported as ``data.make_sample_2025`` by the tests
    import make_sample
except ModuleNotFoundError:  # pragma: no cover - depends on how it is started
    from data import make_sample

HERE = Path(__file__).resolve().parent
CROSSWALK = HERE.parent / "tests" / "realdata" / "BangChuyendoiDVHCmoi_cu_final.xlsx"
CROSSWALK_SHEET = "Tổng hợp_không merge "

LINEAGE_FILE = "sample_lineage.xlsx"
PAR_2025_FILE = "sample_par_2025.xlsx"
YEAR = 2025
CITY = "UBND THÀNH PHỐ HÀ NỘI"
PROVINCE_CELL = "Thành phố Hà Nội (01)"

NEW_WARDS: dict[str, float] = {
    "Phường Hoàn Kiếm": 88.6, "Phường Cửa Nam": 86.2, "Phường Hồng Hà": 84.1,
    "Phường Ba Đình": 90.4, "Phường Văn Miếu - Quốc Tử Giám": 82.7,
}
"""The new wards Hoàn Kiếm's 18 wards went into (DOMAIN.md), with an illustrative 2025 total."""


LINEAGE_NOTES = (
    "GHI CHÚ / NOTES",
    "Các dòng của Bảng chuyển đổi ĐVHC mới – cũ (Cục Thống kê, danhmuchanhchinh.nso.gov.vn) dẫn "
    "vào 5 phường mới mà 18 phường của quận Hoàn Kiếm sáp nhập vào từ 1/7/2025: số liệu thật, "
    "chép nguyên văn, không phải số liệu minh họa.",
    "The rows of the statistics office's crosswalk leading into the 5 new wards Hoàn Kiếm's 18 "
    "wards went into on 1 July 2025: real data, copied as published, not illustrative.",
    "Tạo lại / Regenerate: python data/make_sample_2025.py [--out DIR]",
)
"""The notes sheet of the lineage file: unlike the results, its rows are real."""


def lineage_rows(source: Path = CROSSWALK) -> tuple[list[tuple], list[tuple]]:
    """The crosswalk's two title/header rows and its rows into ``NEW_WARDS`` of Hà Nội, as
    published (cell values untouched). Raises FileNotFoundError without the crosswalk."""
    book = load_workbook(source, read_only=True)
    rows = list(book[CROSSWALK_SHEET].iter_rows(values_only=True))
    book.close()
    head = [row[:8] for row in rows[:2]]
    kept = [row[:8] for row in rows[2:]
            if row[0] == PROVINCE_CELL and row[1] in NEW_WARDS]
    return head, kept


def build_lineage_workbook(source: Path = CROSSWALK) -> Workbook:
    """The sample's crosswalk: the real rows of the five new wards, then a notes sheet."""
    head, kept = lineage_rows(source)
    book = Workbook()
    sheet = book.active
    sheet.title = "Bảng chuyển đổi"
    for row in [*head, *kept]:
        sheet.append(list(row))
    notes = book.create_sheet(make_sample.NOTES_SHEET)
    for line in LINEAGE_NOTES:
        notes.append([line])
    notes.column_dimensions["A"].width = 110
    return book


def par_2025_scores(rng: np.random.Generator) -> pd.DataFrame:
    """Illustrative 2025 PAR criterion points of the new wards, on the framework in force since
    2021; the same columns as ``make_sample.par_scores``."""
    frame = make_sample.par_framework(max(make_sample.PAR_YEARS))
    maximums = frame["max_value"].to_numpy()
    survey = frame["criterion"].isin(make_sample.SURVEY_CRITERIA).to_numpy()
    rows = []
    for unit, target in NEW_WARDS.items():
        noise = rng.normal(0.0, 0.06, size=len(frame))
        values = make_sample._criterion_points(target, maximums, survey, noise)
        rows += [{"year": str(YEAR), "block": "ward", "unit": unit, "criterion": code,
                  "value": float(value), "max_value": float(maximum)}
                 for code, value, maximum in zip(frame["criterion"], values, maximums, strict=True)]
    return pd.DataFrame(rows)


def par_2025_table(scores: pd.DataFrame) -> pd.DataFrame:
    """``scores`` as printed: ``make_sample.par_table``'s columns, the name as the city writes
    it, groups by the scheme in force since 2023."""
    frame = make_sample.par_framework(max(make_sample.PAR_YEARS))
    codes = list(frame["criterion"])
    wide = scores.pivot(index="unit", columns="criterion", values="value")[codes]
    wide = wide.reindex(list(NEW_WARDS)).reset_index()
    wide.columns.name = None
    wide["block"], wide["name"] = "ward", wide["unit"]
    wide["total"] = wide[codes].sum(axis=1).round(2)
    wide["percent"] = wide["total"]
    wide["stt"] = range(1, len(wide) + 1)
    wide["rank"] = make_sample.competition_rank(list(wide["total"]))
    wide["group"] = [make_sample.par_group(p, YEAR) for p in wide["percent"]]
    return wide[["block", "stt", "unit", "name", *codes, "total", "percent", "rank", "group"]]


def build_par_2025_workbook(rng: np.random.Generator) -> Workbook:
    """The 2025 PAR workbook: one sheet "2025" issued by the city, then the notes sheet."""
    framework = make_sample.par_framework(max(make_sample.PAR_YEARS))
    book = Workbook()
    book.remove(book.active)
    make_sample.write_par_sheet(book.create_sheet(str(YEAR)), par_2025_table(par_2025_scores(rng)),
                                framework, YEAR, issuer=CITY,
                                title="CỦA CÁC PHƯỜNG (ĐƠN VỊ HÀNH CHÍNH MỚI)")
    make_sample.write_notes_sheet(
        book.create_sheet(make_sample.NOTES_SHEET),
        "Chỉ số cải cách hành chính (PAR Index) 2025 của 5 phường mới hình thành từ 18 phường "
        "của quận Hoàn Kiếm",
        "PAR Index 2025 of the 5 new wards formed from Hoàn Kiếm district's 18 wards")
    return book


def write_2025(out_dir: Path | str = HERE, source: Path = CROSSWALK) -> list[Path]:
    """Write ``sample_lineage.xlsx`` and ``sample_par_2025.xlsx`` into ``out_dir``; returns
    their paths, lineage first. Raises FileNotFoundError without the crosswalk ``source``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, book in ((LINEAGE_FILE, build_lineage_workbook(source)),
                       (PAR_2025_FILE, build_par_2025_workbook(
                           np.random.default_rng([make_sample.SEED, YEAR])))):
        book.properties.creator = "data/make_sample_2025.py"
        path = out / name
        book.save(path)
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the sample's 2025 lineage and results.")
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write into (default: data/)")
    args = parser.parse_args(argv)
    for path in write_2025(args.out):
        print(f"{path} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
