"""Tests of reform.narrative: exact sentences in Vietnamese and English."""
from __future__ import annotations

import pandas as pd
import pytest
from view_frames import strengths_frame

from reform.analysis.ranking import RANKING_COLUMNS
from reform.core.errors import UsageError
from reform.core.model import COMPONENT_COLUMNS, SCORE_COLUMNS
from reform.present import narrative

NAN = float("nan")


def ranking(rows: list[tuple], *, period: str = "2019") -> pd.DataFrame:
    """rows: (unit_id, unit, percent, rank, change, is_new, group, group_mismatch)."""
    frame = pd.DataFrame(rows, columns=["unit_id", "unit", "percent", "rank", "change", "is_new",
                                        "group", "group_mismatch"])
    frame = frame.assign(
        level="ward", parent_id="district:hoan-kiem", period=period, component="TOTAL",
        value=frame["percent"], max_value=100.0,
        rank=frame["rank"].astype("Int64"), change=frame["change"].astype("Int64"),
        previous_rank=(frame["rank"] + frame["change"]).astype("Int64"),
        percentile=NAN, gap_to_leader=NAN, gap_to_average=NAN,
        published_rank=pd.array([pd.NA] * len(frame), dtype="Int64"), published_group="",
    )
    return frame[RANKING_COLUMNS]


TABLE = ranking([
    ("ward:hang-bac", "Phường Hàng Bạc", 92.15, 1, 5, False, "A", False),
    ("ward:cua-dong", "Phường Cửa Đông", 85.32, 2, 0, False, "A", True),
    ("ward:hang-gai", "Phường Hàng Gai", 80.0, 3, -2, False, "A", False),
    ("ward:dong-xuan", "Phường Đồng Xuân", 74.5, 4, None, True, "C", False),
    ("ward:phuc-tan", "Phường Phúc Tân", NAN, None, None, False, "", False),
])


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("vi", [
            "Phường Hàng Bạc đứng đầu với 92,15 %.",
            "Phường Đồng Xuân xếp cuối với 74,50 %.",
            "Phường Hàng Bạc tăng 5 bậc, lên thứ 1.",
            "Phường Hàng Gai giảm 2 bậc, xuống thứ 3.",
            "Có 3 đơn vị nhóm A và 1 đơn vị nhóm C.",
            "Điểm trung bình của khối là 82,99 %.",
            "1 đơn vị có nhóm tính lại khác nhóm đã công bố.",
        ]),
        ("en", [
            "Hàng Bạc ward leads with 92.15%.",
            "Đồng Xuân ward is last with 74.50%.",
            "Hàng Bạc ward rose 5 places to 1st.",
            "Hàng Gai ward fell 2 places to 3rd.",
            "3 units are in group A and 1 unit in group C.",
            "The block average is 82.99%.",
            "1 unit has a computed group that differs from the published one.",
        ]),
    ],
)
def test_ranking_sentences(lang, expected):
    assert narrative.ranking_sentences(TABLE, index="PAR", lang=lang) == expected


def test_ranking_sentences_ties_points_and_no_moves():
    table = ranking([
        ("ward:a", "Phường Hàng Bạc", 90.0, 1, None, False, "Q1", False),
        ("ward:b", "Phường Hàng Gai", 90.0, 1, None, False, "Q1", False),
        ("ward:c", "Phường Cửa Nam", 70.0, 3, None, False, "Q3", False),
        ("ward:d", "Xã Đông Anh", 70.0, 3, None, False, "Q3", False),
    ])
    table = table.assign(percent=NAN)  # no maximum known: values are points
    assert narrative.ranking_sentences(table, index="PAPI", lang="vi") == [
        "Phường Hàng Bạc và Phường Hàng Gai cùng đứng đầu với 90,00 điểm.",
        "Phường Cửa Nam và Xã Đông Anh cùng xếp cuối với 70,00 điểm.",
        "Có 2 đơn vị nhóm Q1 và 2 đơn vị nhóm Q3.",
        "Điểm trung bình của khối là 80,00 điểm.",
    ]
    assert narrative.ranking_sentences(table, index="PAPI", lang="en")[:2] == [
        "Hàng Bạc ward and Hàng Gai ward share first place with 90.00 points.",
        "Cửa Nam ward and Đông Anh commune share last place with 70.00 points.",
    ]


def test_ranking_sentences_single_unit_and_empty_table():
    one = ranking([("ward:a", "Phòng Nội vụ", 85.0, 1, None, False, "", False)])
    assert narrative.ranking_sentences(one, index="PAR", lang="en") == [
        "Phòng Nội vụ leads with 85.00%.",
        "The block average is 85.00%.",
    ]
    assert narrative.ranking_sentences(TABLE.iloc[0:0], index="PAR") == []


def test_ranking_sentences_warn_when_methodology_changed():
    components = pd.DataFrame({
        "index": "PAR", "period": ["2018", "2018", "2019", "2019"],
        "component": ["1", "2", "1", "2"], "name": ["Chỉ đạo", "Thể chế", "Chỉ đạo", "Thể chế"],
        "parent": "", "max_value": [10.0, 10, 12, 10], "order": [0, 1, 0, 1], "version": 1,
    })[COMPONENT_COLUMNS]
    scores = pd.DataFrame({
        "index": "PAR", "period": ["2018", "2019"], "unit_id": "ward:hang-bac",
        "component": "TOTAL", "value": [80.0, 90], "max_value": 100.0, "source": "",
        "version": 1,
    })[SCORE_COLUMNS]
    vi = narrative.ranking_sentences(TABLE, index="PAR", components=components, scores=scores)
    assert vi[-1] == ("Lưu ý: phương pháp đánh giá năm 2019 khác năm 2018 (1 thay đổi về tiêu "
                      "chí), so sánh thứ hạng giữa hai kỳ chỉ mang tính tham khảo.")
    en = narrative.ranking_sentences(TABLE, index="PAR", lang="en", components=components,
                                     scores=scores)
    assert en[-1] == ("Note: the methodology of 2019 differs from 2018 (1 change in the "
                      "components); compare ranks between the two periods with care.")
    same = components.assign(max_value=10.0)
    assert len(narrative.ranking_sentences(TABLE, index="PAR", components=same,
                                           scores=scores)) == 7


STRENGTHS = strengths_frame([
    ("2", "Cải cách thể chế", 5.0, 10.0, 50.0, 5.0, 70.0, 90.0, -20.0),
    ("3", "Cải cách thủ tục hành chính", 14, 14.5, 96.55, 0.5, 82.1, 96.55, 14.45),
    ("1", "Chỉ đạo điều hành", 9, 10, 90, 1, 73.33, 90, 16.67),
])

FIELD_CHANGES = pd.DataFrame({
    "component": ["1", "2", "3"],
    "name": ["Chỉ đạo điều hành", "Cải cách thể chế", "Cải cách thủ tục hành chính"],
    "delta": [-1.5, NAN, 2.1],
})


@pytest.mark.parametrize(
    ("unit_id", "lang", "expected"),
    [
        ("ward:cua-dong", "vi", [
            "Phường Cửa Đông xếp thứ 2/4 với 85,32 %, nhóm A.",
            "Phường Cửa Đông giữ nguyên thứ hạng so với kỳ trước.",
            "Lĩnh vực mạnh nhất: Chỉ đạo điều hành, đạt 90,00 % (+16,67 điểm phần trăm so với "
            "trung bình khối).",
            "Lĩnh vực yếu nhất: Cải cách thể chế, đạt 50,00 % (−20,00 điểm phần trăm so với "
            "trung bình khối), mất 5,00 điểm.",
            "Lĩnh vực Cải cách thủ tục hành chính tăng 2,10 điểm so với kỳ trước.",
            "Lĩnh vực Chỉ đạo điều hành giảm 1,50 điểm so với kỳ trước.",
        ]),
        ("ward:cua-dong", "en", [
            "Cửa Đông ward ranks 2nd of 4 with 85.32%, group A.",
            "Cửa Đông ward kept its rank from the previous period.",
            "Strongest field: Chỉ đạo điều hành, at 90.00% (+16.67 percentage points against "
            "the block average).",
            "Weakest field: Cải cách thể chế, at 50.00% (−20.00 percentage points against the "
            "block average), 5.00 points lost.",
            "The field Cải cách thủ tục hành chính gained 2.10 points since the previous period.",
            "The field Chỉ đạo điều hành lost 1.50 points since the previous period.",
        ]),
    ],
)
def test_unit_sentences(unit_id, lang, expected):
    assert narrative.unit_sentences(TABLE, STRENGTHS, unit_id=unit_id, lang=lang,
                                    field_changes=FIELD_CHANGES) == expected


@pytest.mark.parametrize(
    ("unit_id", "lang", "expected"),
    [
        ("ward:hang-bac", "vi", ["Phường Hàng Bạc xếp thứ 1/4 với 92,15 %, nhóm A.",
                                 "Phường Hàng Bạc tăng 5 bậc so với kỳ trước."]),
        ("ward:hang-gai", "en", ["Hàng Gai ward ranks 3rd of 4 with 80.00%, group A.",
                                 "Hàng Gai ward fell 2 places since the previous period."]),
        ("ward:dong-xuan", "vi", ["Phường Đồng Xuân xếp thứ 4/4 với 74,50 %, nhóm C.",
                                  "Phường Đồng Xuân lần đầu được xếp hạng."]),
        ("ward:phuc-tan", "en", ["Phúc Tân ward has no score this period."]),
    ],
)
def test_unit_sentences_moves_without_fields(unit_id, lang, expected):
    assert narrative.unit_sentences(TABLE, STRENGTHS.iloc[0:0], unit_id=unit_id,
                                    lang=lang) == expected


def test_unit_sentences_unknown_unit():
    with pytest.raises(UsageError, match="ward:x không có trong bảng xếp hạng"):
        narrative.unit_sentences(TABLE, STRENGTHS, unit_id="ward:x")


@pytest.mark.parametrize(
    ("number", "expected"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"),
     (21, "21st"), (22, "22nd"), (101, "101st"), (111, "111th")],
)
def test_ordinal_en(number, expected):
    assert narrative.ordinal(number, "en") == expected
    assert narrative.ordinal(number, "vi") == str(number)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Phường Hàng Bạc", "Hàng Bạc ward"), ("Quận Hoàn Kiếm", "Hoàn Kiếm district"),
     ("Thị xã Sơn Tây", "Sơn Tây town"), ("Xã Đông Anh", "Đông Anh commune"),
     ("Sở Nội vụ", "Sở Nội vụ"), ("Phường", "Phường")],
)
def test_unit_name_in_english(name, expected):
    assert narrative.unit_name(name, "en") == expected
    assert narrative.unit_name(name, "vi") == name


def test_field_changes_is_reexported():
    from reform.analysis import trends

    assert narrative.field_changes is trends.field_changes
