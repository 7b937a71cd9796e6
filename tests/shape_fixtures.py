"""The shapes real files come in (issue 9), written by code: each builder writes a file into a
folder and returns its path together with the published ranks it holds, so a test can check
what was read against what the file prints.

The numbers are made up, but laid out as the refused files were: a third party's long PCI
table, a report's "results over the years" sheet, a name with one score, a data frame saved
with its index, and an official annex with its "Kèm theo Báo cáo …" line.
"""
from __future__ import annotations

import csv
from pathlib import Path

from tests.helpers import write_xlsx

PROVINCES = ("Hà Nội", "Hải Phòng", "Đà Nẵng", "Hà Nam", "Ninh Bình", "Bà Rịa - Vũng Tàu")
"""Six provinces, written in each file as people write them."""

# PCI totals per year for PROVINCES (Hà Nam and Ninh Bình tie at two decimals in 2017).
LONG_SCORES = {
    "2016": (61.25, 57.82, 70.00, 58.10, 59.40, 60.75),
    "2017": (63.10, 60.05, 70.11, 61.76, 61.764, 62.45),
    "2018": (65.40, 62.35, 70.36, 63.20, 62.90, 64.02),
}
LONG_GROUPS = {"2016": ("Khá ", "Trung Bình", "Rất Tốt", "Trung Bình", "Khá", "Khá"),
               "2017": ("Tốt", "Khá", "Rất tốt", "Khá", "Khá", "Khá"),
               "2018": ("Tốt", "Tốt", "Rất tốt", "Tốt", "Khá", "Tốt")}


def competition_ranks(values: list[float]) -> list[int]:
    """Ranks 1, 2, 2, 4 of ``values`` (higher is better), compared at two decimals."""
    rounded = [round(v, 2) for v in values]
    return [1 + sum(other > mine for other in rounded) for mine in rounded]


def write_csv(path: Path, rows: list[list[object]], *, encoding: str = "utf-8-sig") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        csv.writer(handle).writerows(rows)
    return path


def long_table(folder: Path, *, name: str = "pci_2016_2018.csv",
               years: tuple[str, ...] = ("2016", "2017", "2018")) -> Path:
    """One row per province and year: ``Địa phương, Điểm số PCI, Xếp hạng, Nhóm xếp hạng, nam``,
    sorted by province then year, English and Vietnamese spellings mixed."""
    spelled = {"2016": ("Ha Noi", "Hai Phong", "Da Nang", "Ha Nam", "Ninh Binh", "BRVT")}
    rows: list[list[object]] = [["Địa phương", "Điểm số PCI", "Xếp hạng", "Nhóm xếp hạng", "nam"]]
    for i in range(len(PROVINCES)):
        for year in years:
            ranks = competition_ranks(list(LONG_SCORES[year]))
            written = spelled.get(year, PROVINCES)[i]
            rows.append([written, LONG_SCORES[year][i], ranks[i], LONG_GROUPS[year][i], int(year)])
    return write_csv(folder / name, rows)


WIDE_YEARS = ("2011", "2012", "2013", "2014", "2015", "2016")
WIDE_SCORES = (
    (59.0, 58.6, 57.2, 57.5, 57.8, 59.6),
    (63.0, 60.2, 60.7, 61.2, 62.3, 61.9),
    (66.2, 70.0, 66.5, 66.9, 68.3, 70.0),
    (56.7, 56.2, 56.8, 58.3, 58.4, 59.2),
    (58.9, 58.5, 57.6, 58.3, 59.1, 59.4),
    (63.5, 61.0, 60.4, 58.4, 59.1, 60.9),
)


def years_wide(folder: Path, *, name: str = "ket_qua_cac_nam.xlsx") -> Path:
    """A report's "results over the years" sheet: STT, province, Năm 2011 … Năm 2016 and a
    change column, titled with the range of years."""
    rows: list[list[object]] = [
        ["PHỤ LỤC 2"],
        ["KẾT QUẢ CHỈ SỐ NĂNG LỰC CẠNH TRANH CẤP TỈNH (PCI) CÁC NĂM 2011 - 2016"],
        [],
        ["STT", "Tỉnh, thành phố", *(f"Năm {y}" for y in WIDE_YEARS), "Tăng/giảm 2016 so với 2015"],
    ]
    for i, province in enumerate(PROVINCES):
        scores = WIDE_SCORES[i]
        rows.append([i + 1, province, *scores, round(scores[-1] - scores[-2], 2)])
    return write_xlsx(folder / name, {"Ket qua": rows})


ONE_SCORE_UNITS = ("Phường Hàng Bạc", "Phường Hàng Đào", "Phường Hàng Bồ", "Phường Cửa Nam")
ONE_SCORES = (41.5, 52.25, 47.0, 38.75)


def one_score(folder: Path, *, name: str = "tong_diem_2023.csv") -> Path:
    """A name and one score, four rows, no STT (``--index PAR`` is needed)."""
    rows = [["Tên đơn vị", "Tổng điểm"], *([u, s] for u, s in zip(ONE_SCORE_UNITS, ONE_SCORES, strict=True))]
    return write_csv(folder / name, rows)


INDEXED_UNITS = ("Hà Nội", "Hải Phòng", "Đà Nẵng", "Hà Nam", "Ninh Bình", "Cần Thơ", "Huế",
                 "Nghệ An", "Thanh Hóa", "Quảng Ninh", "Lào Cai", "Cà Mau")
# (first dimension, second dimension); twelve rows, so row numbers pass any dimension's maximum.
INDEXED_SCORES = ((5.9, 6.4), (5.6, 6.1), (6.3, 6.8), (5.2, 5.7), (5.8, 6.2), (6.1, 5.95),
                  (5.5, 5.5), (6.0, 6.6), (5.35, 5.4), (6.45, 6.5), (4.9, 5.1), (5.05, 5.3))


def data_frame_index(folder: Path, *, name: str = "papi_2016.csv") -> Path:
    """A data frame saved with its index: an unnamed first column of row numbers from 0, then
    the province, two PAPI dimensions, the total and the published rank (sorted by rank, so
    the rank is consecutive too)."""
    order = sorted(range(len(INDEXED_UNITS)), key=lambda i: -sum(INDEXED_SCORES[i]))
    rows: list[list[object]] = [["", "Tỉnh", "Tham gia của người dân", "Công khai, minh bạch", "Tổng điểm", "Xếp hạng"]]
    for position, i in enumerate(order):
        first, second = INDEXED_SCORES[i]
        rows.append([position, INDEXED_UNITS[i], first, second, round(first + second, 2), position + 1])
    return write_csv(folder / name, rows)


ANNEX_UNITS = ("Sở Ngoại vụ", "Sở Khoa học và Công nghệ", "Sở Giao thông vận tải", "Sở Công Thương")
ANNEX_SCORES = ((8.5, 7.0, 15.5), (9.0, 8.0, 17.0), (7.5, 7.5, 15.0), (6.0, 9.0, 15.0))


def annex_with_document_line(folder: Path, *, name: str = "phu_luc_ket_qua_2016.xlsx") -> Path:
    """An official annex: the title says NĂM 2016, the line below it "(Kèm theo Báo cáo số
    15/BC-TH ngày 20/3/2017)"; a decision number and a signature date below the table."""
    rows: list[list[object]] = [
        ["UBND TỈNH NAM ĐỊNH", None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["SỞ NỘI VỤ", None, None, None, "Độc lập - Tự do - Hạnh phúc"],
        ["KẾT QUẢ XÁC ĐỊNH CHỈ SỐ CCHC NĂM 2016 CỦA CÁC SỞ, BAN, NGÀNH"],
        ["(Kèm theo Báo cáo số 15/BC-TH ngày 20/3/2017 của Sở Nội vụ; Quyết định số 1234/2017/QĐ-UBND)"],
        [],
        ["STT", "Tên đơn vị", "Lĩnh vực 1 (10 điểm)", "Lĩnh vực 2 (10 điểm)", "Tổng điểm", "Xếp hạng"],
    ]
    totals = [s[2] for s in ANNEX_SCORES]
    ranks = competition_ranks(totals)
    for i, unit in enumerate(ANNEX_UNITS):
        first, second, total = ANNEX_SCORES[i]
        rows.append([i + 1, unit, first, second, total, ranks[i]])
    rows += [[], [None, None, None, None, "Nam Định, ngày 20 tháng 3 năm 2017"],
             [None, None, None, None, "GIÁM ĐỐC"]]
    return write_xlsx(folder / name, {"Sheet1": rows})
