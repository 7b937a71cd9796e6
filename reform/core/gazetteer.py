"""Units known before any file is read: Vietnam's 63 provinces (to 2025) and Hoàn Kiếm district.

Seeding the registry gives units stable ids and the spellings published files use
("TP.HCM", "TT- Huế", "BRVT"), so names from different sheets and years resolve to one unit.
"""
from __future__ import annotations

import json

import pandas as pd

from reform.core import config
from reform.core.model import UNIT_COLUMNS, Level
from reform.core.text import slugify, unit_key

# (name, extra aliases). Names as the General Statistics Office writes them.
PROVINCES: list[tuple[str, tuple[str, ...]]] = [
    ("Hà Nội", ("Ha Noi", "TP Hà Nội")),
    ("Hà Giang", ()), ("Cao Bằng", ()), ("Bắc Kạn", ("Bắc Cạn",)), ("Tuyên Quang", ()),
    ("Lào Cai", ()), ("Điện Biên", ()), ("Lai Châu", ()), ("Sơn La", ()), ("Yên Bái", ()),
    ("Hòa Bình", ()), ("Thái Nguyên", ()), ("Lạng Sơn", ()), ("Quảng Ninh", ()),
    ("Bắc Giang", ()), ("Phú Thọ", ()), ("Vĩnh Phúc", ()), ("Bắc Ninh", ()),
    ("Hải Dương", ()), ("Hải Phòng", ("TP Hải Phòng",)), ("Hưng Yên", ()), ("Thái Bình", ()),
    ("Hà Nam", ()), ("Nam Định", ()), ("Ninh Bình", ()), ("Thanh Hóa", ()), ("Nghệ An", ()),
    ("Hà Tĩnh", ()), ("Quảng Bình", ()), ("Quảng Trị", ()),
    ("Thừa Thiên Huế", ("TT- Huế", "TT.Huế", "Thừa Thiên-Huế", "TT Huế", "Huế", "Hue")),
    ("Đà Nẵng", ("Da Nang", "TP Đà Nẵng")), ("Quảng Nam", ()), ("Quảng Ngãi", ()),
    ("Bình Định", ()), ("Phú Yên", ()), ("Khánh Hòa", ()), ("Ninh Thuận", ()),
    ("Bình Thuận", ()), ("Kon Tum", ()), ("Gia Lai", ()), ("Đắk Lắk", ("Đăk Lăk", "Đắc Lắc", "Dak Lak")),
    ("Đắk Nông", ("Đăk Nông", "Dak Nong")), ("Lâm Đồng", ()), ("Bình Phước", ()),
    ("Tây Ninh", ()), ("Bình Dương", ()), ("Đồng Nai", ()),
    ("Bà Rịa - Vũng Tàu", ("BRVT", "BR-VT", "Bà Rịa-Vũng Tàu", "Bà Rịa Vũng Tàu", "Vũng Tàu")),
    ("TP. Hồ Chí Minh", ("Hồ Chí Minh", "TP.HCM", "Tp.HCM", "TPHCM", "HCMC", "Ho Chi Minh City",
                         "Thành phố Hồ Chí Minh")),
    ("Long An", ()), ("Tiền Giang", ()), ("Bến Tre", ()), ("Trà Vinh", ()), ("Vĩnh Long", ()),
    ("Đồng Tháp", ()), ("An Giang", ()), ("Kiên Giang", ()), ("Cần Thơ", ("TP Cần Thơ",)),
    ("Hậu Giang", ()), ("Sóc Trăng", ()), ("Bạc Liêu", ()), ("Cà Mau", ()),
]

HOAN_KIEM_ID = "district:hoan-kiem"

HOAN_KIEM_WARDS: list[str] = [
    "Phúc Tân", "Đồng Xuân", "Hàng Mã", "Hàng Buồm", "Hàng Đào", "Hàng Bồ", "Cửa Đông",
    "Lý Thái Tổ", "Hàng Bạc", "Hàng Gai", "Chương Dương", "Hàng Trống", "Cửa Nam", "Hàng Bông",
    "Tràng Tiền", "Trần Hưng Đạo", "Phan Chu Trinh", "Hàng Bài",
]

# District offices (phòng, ban) with the short forms annexes use.
HOAN_KIEM_OFFICES: list[tuple[str, tuple[str, ...]]] = [
    ("Văn phòng HĐND và UBND quận", ("Văn phòng HĐND - UBND", "VP HĐND và UBND", "Văn phòng")),
    ("Phòng Nội vụ", ()), ("Phòng Tư pháp", ()),
    ("Phòng Tài chính - Kế hoạch", ("Phòng TC-KH", "Tài chính Kế hoạch")),
    ("Phòng Tài nguyên và Môi trường", ("Phòng TN&MT", "Tài nguyên Môi trường")),
    ("Phòng Quản lý đô thị", ("Phòng QLĐT",)), ("Phòng Kinh tế", ()),
    ("Phòng Văn hóa và Thông tin", ("Phòng VH&TT", "Văn hóa Thông tin")),
    ("Phòng Lao động - Thương binh và Xã hội", ("Phòng LĐTB&XH", "Lao động Thương binh Xã hội")),
    ("Phòng Giáo dục và Đào tạo", ("Phòng GD&ĐT", "Giáo dục Đào tạo")), ("Phòng Y tế", ()),
    ("Thanh tra quận", ("Thanh tra",)),
]


_DIVISION_LEVELS = {"phường": Level.WARD, "xã": Level.COMMUNE, "đặc khu": Level.COMMUNE}
"""Special zones (đặc khu) are ranked with communes: they replaced island districts."""


def current_units() -> list[dict]:
    """Units valid from the 2025 reorganisation, with the ids the crosswalk gives them
    ('ward:cua-nam-00082@2025', 'province:ha-noi@2025'), so both name the same unit."""
    # Today's 34 provinces and 3,321 communes come from a maintained package that follows the
    # statistics office's list, pinned in requirements.txt (its 2026 releases need Python 3.12).
    # Imported here: every start of the app imports this module, and 0.2 s of it was that
    # package, which only seeding a new store needs.
    import vietnam_provinces

    year, start = config.REORGANISATION_DATE.year, config.REORGANISATION_DATE.isoformat()
    provinces = json.loads(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8"))
    rows = []
    for province in provinces:
        province_id = f"province:{slugify(unit_key(province['name']))}@{year}"
        rows.append({**_row(province_id, province["name"], "province", "", ()), "valid_from": start})
        for ward in province["wards"]:
            code = f"{int(ward['code']):05d}"
            level = _DIVISION_LEVELS.get(ward["division_type"], Level.COMMUNE)
            unit_id = f"{level}:{slugify(unit_key(ward['name']))}-{code}@{year}"
            rows.append({**_row(unit_id, ward["name"], str(level), province_id, ()), "valid_from": start})
    return rows


def seed_units() -> pd.DataFrame:
    """The known units as a frame with ``UNIT_COLUMNS`` (aliases as tuples): the 63 provinces
    and Hoàn Kiếm as they were to 2025, and today's units from the ``vietnam-provinces`` package."""
    rows: list[dict] = []
    for name, aliases in PROVINCES:
        rows.append(_row(f"province:{slugify(unit_key(name))}", name, "province", "", aliases))
    rows.append(_row(HOAN_KIEM_ID, "Quận Hoàn Kiếm", "district", "province:ha-noi", ("Hoàn Kiếm",)))
    for ward in HOAN_KIEM_WARDS:
        rows.append(_row(f"ward:{slugify(ward)}", f"Phường {ward}", "ward", HOAN_KIEM_ID, (ward,)))
    for name, aliases in HOAN_KIEM_OFFICES:
        unit_id = f"office:{slugify(unit_key(name))}"
        rows.append(_row(unit_id, name, "office", HOAN_KIEM_ID, aliases))
    return pd.DataFrame(rows + current_units(), columns=UNIT_COLUMNS)


def _row(unit_id: str, name: str, level: str, parent_id: str, aliases: tuple[str, ...]) -> dict:
    return {
        "unit_id": unit_id, "name": name, "level": level, "parent_id": parent_id,
        "aliases": tuple(aliases), "valid_from": "", "valid_to": "",
    }
