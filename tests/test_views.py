"""reform.views: the display tables of the leaders' and presenters' pages."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from reform.core.errors import UsageError
from reform.core.model import COMPONENT_COLUMNS, PUBLISHED_COLUMNS, SCORE_COLUMNS, UNIT_COLUMNS
from reform.present import views
from reform.store.snapshot import Snapshot

NAN = float("nan")


def ranking(rows: list[tuple]) -> pd.DataFrame:
    """A ranking table with the columns views read: (unit_id, unit, rank, change, is_new,
    group, value, percent)."""
    frame = pd.DataFrame(rows, columns=["unit_id", "unit", "rank", "change", "is_new", "group",
                                        "value", "percent"])
    return frame.assign(rank=frame["rank"].astype("Int64"), change=frame["change"].astype("Int64"),
                        is_new=frame["is_new"].astype(bool))


def units_frame(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame([(u, n, lvl, "district:hoan-kiem", (), None, None) for u, n, lvl in rows],
                        columns=UNIT_COLUMNS)


def scores_frame(rows: list[tuple]) -> pd.DataFrame:
    """(index, period, unit_id, component, value, max_value) rows as a scores frame."""
    frame = pd.DataFrame(rows, columns=SCORE_COLUMNS[:6])
    return frame.assign(source="test", version=1)


def components_frame(rows: list[tuple]) -> pd.DataFrame:
    """(index, period, component, name, parent, max_value) rows, order as given."""
    frame = pd.DataFrame(rows, columns=COMPONENT_COLUMNS[:6])
    return frame.assign(order=range(len(frame)), version=1)


# ---- change labels ---------------------------------------------------------------------------

@pytest.mark.parametrize(("change", "is_new", "lang", "expected"), [
    (3, False, "vi", "▲ 3"),
    (-2, False, "vi", "▼ 2"),
    (0, False, "vi", "="),
    (pd.NA, True, "vi", "mới"),
    (pd.NA, True, "en", "new"),
    (pd.NA, False, "vi", ""),
    (12, False, "en", "▲ 12"),
])
def test_change_labels(change, is_new, lang, expected):
    table = ranking([("ward:a", "A", 1, change, is_new, "A", 90.0, 90.0)])
    labels = views.change_labels(table, lang=lang)
    assert labels.name == "change_label"
    assert labels.tolist() == [expected]


def test_change_labels_keep_the_table_index():
    table = ranking([("ward:a", "A", 1, 1, False, "A", 90.0, 90.0),
                     ("ward:b", "B", 2, -1, False, "B", 80.0, 80.0)]).set_axis([7, 9])
    pd.testing.assert_series_equal(
        views.change_labels(table),
        pd.Series(["▲ 1", "▼ 1"], index=[7, 9], dtype="str", name="change_label"))


# ---- the wide ranking ------------------------------------------------------------------------

def _two_fields() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    scores = scores_frame([
        ("PAR", "2024", "ward:a", "TOTAL", 18.0, 20.0),
        ("PAR", "2024", "ward:a", "1", 9.0, 10.0),
        ("PAR", "2024", "ward:a", "2", 9.0, 10.0),
        ("PAR", "2024", "ward:a", "1.1", 4.0, 5.0),
        ("PAR", "2024", "ward:b", "TOTAL", 12.0, 20.0),
        ("PAR", "2024", "ward:b", "1", 5.0, NAN),   # maximum only in the component list
        ("PAR", "2024", "ward:b", "2", 7.0, 10.0),
        ("PAR", "2023", "ward:a", "1", 1.0, 10.0),  # another period: ignored
    ])
    components = components_frame([
        ("PAR", "2024", "1", "Chỉ đạo điều hành", "", 10.0),
        ("PAR", "2024", "1.1", "Kế hoạch", "1", 5.0),
        ("PAR", "2024", "2", "Thủ tục hành chính", "", 10.0),
        ("PAR", "2023", "1", "Chỉ đạo", "", 10.0),
    ])
    table = ranking([("ward:a", "Hàng Bạc", 1, 2, False, "A", 18.0, 90.0),
                     ("ward:b", "Hàng Bài", 2, pd.NA, True, "D", 12.0, 60.0),
                     ("ward:c", "Hàng Bồ", 3, -1, False, "D", 10.0, 50.0)])
    return table, scores, components


def test_field_labels_in_file_order():
    _, _, components = _two_fields()
    assert views.field_labels(components, index="PAR", period="2024") == {
        "1": "1. Chỉ đạo điều hành", "2": "2. Thủ tục hành chính"}


def test_ranking_with_components():
    table, scores, components = _two_fields()
    wide = views.ranking_with_components(table, scores, components, index="PAR", period="2024")
    expected = pd.DataFrame({
        "unit_id": ["ward:a", "ward:b", "ward:c"],
        "rank": pd.array([1, 2, 3], dtype="Int64"),
        "change_label": pd.Series(["▲ 2", "mới", "▼ 1"], dtype="str"),
        "unit": ["Hàng Bạc", "Hàng Bài", "Hàng Bồ"],
        "group": ["A", "D", "D"],
        "value": [18.0, 12.0, 10.0],
        "percent": [90.0, 60.0, 50.0],
        "1. Chỉ đạo điều hành": [90.0, 50.0, NAN],
        "2. Thủ tục hành chính": [90.0, 70.0, NAN],
    })
    pd.testing.assert_frame_equal(wide, expected)


def test_ranking_with_components_without_fields_is_the_base_table():
    table, scores, _ = _two_fields()
    wide = views.ranking_with_components(table, scores, components_frame([]), index="PAR",
                                         period="2024", lang="en")
    assert list(wide.columns) == ["unit_id", "rank", "change_label", "unit", "group", "value",
                                  "percent"]
    assert wide["change_label"].tolist() == ["▲ 2", "new", "▼ 1"]


def test_ranking_with_components_leaves_inputs_alone():
    table, scores, components = _two_fields()
    before = (table.copy(), scores.copy(), components.copy())
    views.ranking_with_components(table, scores, components, index="PAR", period="2024")
    for frame, copy in zip((table, scores, components), before, strict=True):
        pd.testing.assert_frame_equal(frame, copy)


@pytest.mark.parametrize(("lang", "headers"), [
    ("vi", ["Mã đơn vị", "Hạng", "Thay đổi", "Đơn vị", "Nhóm", "Điểm", "% tối đa",
            "1. Chỉ đạo điều hành", "2. Thủ tục hành chính"]),
    ("en", ["Unit id", "Rank", "Change", "Unit", "Group", "Points", "% of max",
            "1. Chỉ đạo điều hành", "2. Thủ tục hành chính"]),
])
def test_for_download_headers(lang, headers):
    table, scores, components = _two_fields()
    wide = views.ranking_with_components(table, scores, components, index="PAR", period="2024")
    out = views.for_download(wide, lang=lang)
    assert list(out.columns) == headers
    assert out.iloc[:, 3].tolist() == wide["unit"].tolist()


@pytest.mark.parametrize(("search", "groups", "expected"), [
    ("", (), ["Phường Hàng Bạc", "Phường Hàng Bài", "Phường Đồng Xuân"]),
    ("hang ba", (), ["Phường Hàng Bạc", "Phường Hàng Bài"]),
    ("HÀNG BẠC", (), ["Phường Hàng Bạc"]),
    ("dong", (), ["Phường Đồng Xuân"]),
    ("", ("D",), ["Phường Hàng Bài", "Phường Đồng Xuân"]),
    ("bai", ("A",), []),
    ("  ", ("A", "D"), ["Phường Hàng Bạc", "Phường Hàng Bài", "Phường Đồng Xuân"]),
])
def test_filter_ranking(search, groups, expected):
    table = ranking([("ward:a", "Phường Hàng Bạc", 1, 0, False, "A", 9.0, 90.0),
                     ("ward:b", "Phường Hàng Bài", 2, 0, False, "D", 6.0, 60.0),
                     ("ward:c", "Phường Đồng Xuân", 3, 0, False, "D", 5.0, 50.0)])
    shown = views.filter_ranking(table, search=search, groups=groups)
    assert shown["unit"].tolist() == expected
    assert list(shown.index) == list(range(len(expected)))


def test_group_badges_and_order():
    table = ranking([("ward:a", "A", 1, 0, False, "B", 9.0, 79.0),
                     ("ward:b", "B", 2, 0, False, "", 6.0, NAN),
                     ("ward:c", "C", 3, 0, False, "D", 5.0, 50.0),
                     ("ward:d", "D", 4, 0, False, "B", 5.0, 76.0)])
    assert views.group_badges(table)["group"].tolist() == [["B"], [], ["D"], ["B"]]
    assert table["group"].tolist() == ["B", "", "D", "B"]  # input untouched
    assert views.group_order(table) == ["B", "D"]


# ---- methodology -----------------------------------------------------------------------------

def _methodology_components() -> pd.DataFrame:
    return components_frame([
        ("PAR", "2020", "1", "Chỉ đạo điều hành", "", 10.0),
        ("PAR", "2020", "1.1", "Kế hoạch", "1", 10.0),
        ("PAR", "2020", "3", "Thủ tục hành chính", "", 14.5),
        ("PAR", "2020", "3.1", "Công khai", "3", 14.5),
        ("PAR", "2021", "1", "Chỉ đạo, điều hành", "", 10.0),
        ("PAR", "2021", "1.1", "Kế hoạch", "1", 10.0),
        ("PAR", "2021", "3", "Cải cách thủ tục hành chính", "", 16.0),
        ("PAR", "2021", "3.1", "Công khai", "3", 12.0),
        ("PAR", "2021", "3.2", "Một cửa", "3", 4.0),
        ("PAPI", "2016", "1", "Tham gia", "", 10.0),
    ])


def test_maximum_table():
    table = views.maximum_table(_methodology_components(), index="PAR")
    expected = pd.DataFrame({
        "Kỳ": ["2020", "2021"],
        "1. Chỉ đạo, điều hành": [10.0, 10.0],
        "3. Cải cách thủ tục hành chính": [14.5, 16.0],
        "Số tiêu chí": [2, 3],
        "Tổng các lĩnh vực": [24.5, 26.0],
    })
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)
    assert table["Số tiêu chí"].dtype == "int64"


def test_maximum_table_marks_absent_fields_and_speaks_english():
    components = components_frame([
        ("PCI", "2009", "1", "Entry", "", 10.0),
        ("PCI", "2016", "1", "Entry", "", 10.0),
        ("PCI", "2016", "10", "Legal institutions", "", 10.0),
        ("PCI", "2016", "2", "Land", "", NAN),
    ])
    table = views.maximum_table(components, index="PCI", lang="en")
    expected = pd.DataFrame({
        "Period": ["2009", "2016"],
        "1. Entry": [10.0, 10.0],
        "2. Land": [NAN, NAN],
        "10. Legal institutions": [NAN, 10.0],
        "Criteria": [0, 0],
        "Sum of fields": [10.0, 20.0],
    })
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)


def test_maximum_table_refuses_an_index_without_components():
    with pytest.raises(UsageError, match="PCI"):
        views.maximum_table(_methodology_components(), index="PCI")


def test_group_thresholds_par_default_and_override():
    schemes = {"PAR": {None: [("A", 80.0), ("B", 75.0), ("D", -math.inf)],
                       "2023": [("A", 90.0), ("B", 80.5), ("D", -math.inf)]}}
    table = views.group_thresholds("PAR", schemes=schemes)
    expected = pd.DataFrame({
        "Áp dụng": ["Mặc định"] * 3 + ["Năm 2023"] * 3,
        "Nhóm": ["A", "B", "D", "A", "B", "D"],
        "Khoảng (% điểm tối đa)": ["≥ 80 %", "75 – 80 %", "< 75 %", "≥ 90 %", "80,5 – 90 %",
                                   "< 80,5 %"],
    })
    pd.testing.assert_frame_equal(table, expected)


def test_group_thresholds_english_and_quartiles():
    table = views.group_thresholds("PCI", lang="en", schemes={})
    expected = pd.DataFrame({
        "Applies to": ["Default"] * 4,
        "Group": ["Q1", "Q2", "Q3", "Q4"],
        "Range (% of maximum)": ["top quarter of the block", "second quarter", "third quarter",
                                 "bottom quarter of the block"],
    })
    pd.testing.assert_frame_equal(table, expected)


def test_group_thresholds_read_the_configuration():
    table = views.group_thresholds("PAR", lang="en")
    assert table.iloc[0].tolist() == ["Default", "A", "≥ 80 %"]
    assert "In 2023" in set(table["Applies to"])


@pytest.mark.parametrize(("index", "lang", "count", "contains"), [
    ("PAR", "vi", 2, "% điểm tối đa"),
    ("PAPI", "vi", 3, "năm 2016"),
    ("PCI", "en", 3, "weighted sum"),
    (None, "en", len(views.CAVEATS), "PAPI"),
])
def test_caveats(index, lang, count, contains):
    lines = views.caveats(index, lang=lang)
    assert len(lines) == count
    assert any(contains in line for line in lines)


def _changes(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["component", "name", "change", "max_from", "max_to"])


@pytest.mark.parametrize(("row", "lang", "expected"), [
    (("3", "Cải cách thủ tục hành chính", "max_changed", 14.5, 16.0), "vi",
     "Điểm tối đa của lĩnh vực Cải cách thủ tục hành chính thay đổi từ 14,5 lên 16 (2020 → 2021)."),
    (("3", "Administrative procedures", "max_changed", 14.5, 16.0), "en",
     "The maximum of field Administrative procedures changed from 14.5 to 16 (2020 → 2021)."),
    (("8", "Tác động của CCHC", "max_changed", 15.5, 13.0), "vi",
     "Điểm tối đa của lĩnh vực Tác động của CCHC thay đổi từ 15,5 xuống 13 (2020 → 2021)."),
    (("3.1", "Công khai", "max_changed", 14.5, 12.25), "vi",
     "Điểm tối đa của tiêu chí 3.1 Công khai thay đổi từ 14,5 xuống 12,25 (2020 → 2021)."),
    (("3.2", "Một cửa", "added", NAN, 4.0), "vi", "Thêm tiêu chí 3.2 Một cửa từ 2021."),
    (("3.2", "One-stop desk", "added", NAN, 4.0), "en", "Criterion 3.2 One-stop desk added in 2021."),
    (("9", "Khác", "removed", 2.0, NAN), "vi", "Bỏ lĩnh vực Khác từ 2021."),
    (("1.2.3", "Báo cáo", "removed", 1.0, NAN), "en",
     "Sub-criterion 1.2.3 Báo cáo removed in 2021."),
])
def test_methodology_sentences(row, lang, expected):
    sentences = views.methodology_sentences(_changes([row]), period_from="2020",
                                            period_to="2021", lang=lang)
    assert sentences == [expected]


def test_methodology_notes_flag_the_period_that_changed():
    components = _methodology_components()
    flags, fields, criteria = views.methodology_notes(components, index="PAR",
                                                      periods=["2021", "2020", "2022"], lang="vi")
    assert flags == [("2021", "Đổi phương pháp")]
    assert fields == [
        "Điểm tối đa của lĩnh vực Cải cách thủ tục hành chính thay đổi từ 14,5 lên 16 (2020 → 2021)."]
    assert criteria == [
        "Điểm tối đa của tiêu chí 3.1 Công khai thay đổi từ 14,5 xuống 12 (2020 → 2021).",
        "Thêm tiêu chí 3.2 Một cửa từ 2021.",
    ]


def test_methodology_notes_when_only_criteria_changed():
    components = components_frame([
        ("PAR", "2020", "1", "Chỉ đạo", "", 10.0), ("PAR", "2020", "1.1", "Kế hoạch", "1", 10.0),
        ("PAR", "2021", "1", "Chỉ đạo", "", 10.0), ("PAR", "2021", "1.1", "Kế hoạch", "1", 6.0),
        ("PAR", "2021", "1.2", "Báo cáo", "1", 4.0),
    ])
    flags, fields, criteria = views.methodology_notes(components, index="PAR",
                                                      periods=["2020", "2021"], lang="en")
    assert flags == [("2021", "Method changed")]
    assert fields == ["2 criteria changed their maximum or were added or dropped (2020 → 2021)."]
    assert criteria == ["The maximum of criterion 1.1 Kế hoạch changed from 10 to 6 (2020 → 2021).",
                        "Criterion 1.2 Báo cáo added in 2021."]


def test_methodology_notes_without_change():
    notes = views.methodology_notes(_methodology_components(), index="PAPI", periods=["2016"])
    assert notes == ([], [], [])


# ---- key figures, profile tables -------------------------------------------------------------

def test_key_figures_in_percent():
    summary = {"units": 18, "average": 85.321, "best_unit": "Phường Hàng Bạc", "best_value": 92.15,
               "worst_unit": "Phường Hàng Bài", "worst_value": 70.0,
               "most_improved_unit": "Phường Cửa Nam", "most_improved_change": 5, "basis": "percent"}
    assert views.key_figures(summary) == [
        views.Metric("Số đơn vị", "18"),
        views.Metric("Trung bình", "85,32 %"),
        views.Metric("Cao nhất", "92,15 %", "Phường Hàng Bạc", neutral=True,
                     help="Phường Hàng Bạc"),
        views.Metric("Thấp nhất", "70,00 %", "Phường Hàng Bài", neutral=True,
                     help="Phường Hàng Bài"),
        # No delta chip: a card cuts a long name ("Phường Chươ…"); the note under the
        # figures and the tooltip carry it.
        views.Metric("Tiến bộ nhất", "+5 bậc", help="Phường Cửa Nam"),
    ]
    assert views.improved_note(summary) == (
        "Tiến bộ nhất: **Phường Cửa Nam**, tăng 5 bậc so với kỳ trước.")
    assert views.improved_note(summary, lang="en") == (
        "Most improved: **Phường Cửa Nam**, up 5 places since the previous period.")


@pytest.mark.parametrize("change", [None, NAN, 0, -2])
def test_improved_note_is_empty_when_nobody_moved_up(change):
    summary = {"most_improved_unit": "Phường Cửa Nam", "most_improved_change": change}
    assert views.improved_note(summary) == ""


def test_key_figures_in_points_without_improvement_in_english():
    summary = {"units": 2, "average": 1234.5, "best_unit": "A", "best_value": 1300.0,
               "worst_unit": "B", "worst_value": 1169.0, "most_improved_unit": None,
               "most_improved_change": None, "basis": "points"}
    figures = views.key_figures(summary, lang="en", percent=False)
    assert [(m.label, m.value, m.delta) for m in figures] == [
        ("Units", "2", None), ("Average", "1,234.50", None), ("Best", "1,300.00", "A"),
        ("Lowest", "1,169.00", "B"), ("Most improved", "–", None)]


def test_key_figures_of_an_empty_block():
    summary = {"units": 0, "average": None, "best_unit": None, "best_value": None,
               "worst_unit": None, "worst_value": None, "most_improved_unit": None,
               "most_improved_change": None, "basis": "percent"}
    assert [m.value for m in views.key_figures(summary)] == ["0", "–", "–", "–", "–"]


def test_lost_points_most_lost_first():
    strengths = pd.DataFrame({
        "component": ["2", "10", "1"],
        "name": ["Văn bản", "Khác", "Chỉ đạo"],
        "value": [5.0, 1.0, 8.0],
        "max_value": [10.0, 2.0, 10.0],
        "percent": [50.0, 50.0, 80.0],
        "points_lost": [5.0, 1.0, 2.0],
        "block_average": [60.0, 55.0, 70.0],
        "block_best": [90.0, 100.0, 95.0],
        "gap_to_average": [-10.0, -5.0, 10.0],
    })
    expected = pd.DataFrame({
        "Component": ["2. Văn bản", "1. Chỉ đạo", "10. Khác"],
        "Points": [5.0, 8.0, 1.0],
        "Maximum": [10.0, 10.0, 2.0],
        "Points lost": [5.0, 2.0, 1.0],
        "% of max": [50.0, 80.0, 50.0],
        "Block average (%)": [60.0, 70.0, 55.0],
        "Block best (%)": [90.0, 95.0, 100.0],
    })
    pd.testing.assert_frame_equal(views.lost_points(strengths, lang="en"), expected)


@pytest.mark.parametrize(("change", "is_new", "rank", "lang", "expected"), [
    (5, False, 3, "vi", ("3/4", "+5 bậc")),
    (-2, False, 3, "vi", ("3/4", "-2 bậc")),
    (0, False, 1, "en", ("1/4", "=")),
    (pd.NA, True, 2, "en", ("2/4", "new")),
    (pd.NA, False, 2, "vi", ("2/4", None)),
    (pd.NA, False, pd.NA, "vi", (None, None)),
])
def test_rank_texts(change, is_new, rank, lang, expected):
    table = ranking([("ward:x", "X", rank, change, is_new, "A", 1.0, 1.0),
                     ("ward:b", "B", 1, 0, False, "A", 1.0, 1.0),
                     ("ward:c", "C", 2, 0, False, "A", 1.0, 1.0),
                     ("ward:d", "D", 3, 0, False, "A", 1.0, 1.0),
                     ("ward:e", "E", 4, 0, False, "A", 1.0, 1.0)])
    table = table[(table["unit_id"] == "ward:x") | (table.index <= (4 if pd.isna(rank) else 3))]
    assert views.rank_texts(table, unit_id="ward:x", lang=lang) == expected


def test_rank_texts_unknown_unit():
    with pytest.raises(KeyError):
        views.rank_texts(ranking([]), unit_id="ward:x")


def test_unit_history_and_matrix_rows():
    series = pd.DataFrame({"unit_id": ["b", "a", "a"], "unit": ["B", "A", "A"],
                           "period": ["2020", "2021", "2020"], "percent": [1.0, 2.0, 3.0]})
    pd.testing.assert_frame_equal(
        views.unit_history(series, unit_id="a"),
        pd.DataFrame({"unit_id": ["a", "a"], "unit": ["A", "A"], "period": ["2020", "2021"],
                      "percent": [3.0, 2.0]}))
    matrix = pd.DataFrame({"1. X": [1.0, 2.0, 3.0]}, index=pd.Index(["A", "B", "C"], name="unit"))
    pd.testing.assert_frame_equal(views.matrix_rows(matrix, ["C", "Z", "A"]),
                                  pd.DataFrame({"1. X": [3.0, 1.0]},
                                               index=pd.Index(["C", "A"], name="unit")))


# ---- page bundles on a small snapshot --------------------------------------------------------

def small_snapshot() -> Snapshot:
    """Three wards over two years; the field maximum of field 2 changes in 2024."""
    rows = []
    points = {"ward:hang-bac": [(7, 8), (9, 9)], "ward:hang-bai": [(9, 9), (6, 7)],
              "ward:dong-xuan": [(5, 6), (8, 12)]}
    maxima = {"2023": (10.0, 10.0), "2024": (10.0, 15.0)}
    for unit_id, years in points.items():
        for period, (one, two) in zip(("2023", "2024"), years, strict=True):
            max_one, max_two = maxima[period]
            rows += [("PAR", period, unit_id, "TOTAL", float(one + two), max_one + max_two),
                     ("PAR", period, unit_id, "1", float(one), max_one),
                     ("PAR", period, unit_id, "2", float(two), max_two)]
    components = components_frame([
        ("PAR", "2023", "1", "Chỉ đạo", "", 10.0), ("PAR", "2023", "2", "Thủ tục", "", 10.0),
        ("PAR", "2024", "1", "Chỉ đạo", "", 10.0), ("PAR", "2024", "2", "Thủ tục", "", 15.0),
    ])
    units = units_frame([("ward:hang-bac", "Hàng Bạc", "ward"), ("ward:hang-bai", "Hàng Bài", "ward"),
                         ("ward:dong-xuan", "Đồng Xuân", "ward")])
    return Snapshot(scores=scores_frame(rows), units=units, components=components,
                    published=pd.DataFrame(columns=PUBLISHED_COLUMNS),
                    inspections=pd.DataFrame(), token=1)


def test_build_rankings():
    view = views.build_rankings(small_snapshot(), index="PAR", period="2024", level="ward")
    # 2024 % of max: Hàng Bạc 18/25 = 72, Hàng Bài 13/25 = 52, Đồng Xuân 20/25 = 80.
    assert view.wide["unit"].tolist() == ["Đồng Xuân", "Hàng Bạc", "Hàng Bài"]
    assert view.wide["change_label"].tolist() == ["▲ 2", "=", "▼ 2"]
    assert view.fields == ["1. Chỉ đạo", "2. Thủ tục"]
    np.testing.assert_allclose(view.wide["2. Thủ tục"], [80.0, 60.0, 7 / 15 * 100])
    assert view.groups == ["B", "C", "D"]  # the 2024 override: B from 80 %


def test_build_rankings_by_a_component():
    view = views.build_rankings(small_snapshot(), index="PAR", period="2024", level="ward",
                                component="1")
    assert view.wide["unit"].tolist() == ["Hàng Bạc", "Đồng Xuân", "Hàng Bài"]


def test_build_rankings_unknown_period():
    with pytest.raises(UsageError, match="2019"):
        views.build_rankings(small_snapshot(), index="PAR", period="2019", level="ward")


def test_build_trends():
    view = views.build_trends(small_snapshot(), index="PAR", level="ward", period_from="2024",
                              period_to="2023", lang="vi")
    assert view.periods == ["2023", "2024"]
    assert view.movers["unit"].tolist() == ["Đồng Xuân", "Hàng Bạc", "Hàng Bài"]
    assert view.movers["rank_change"].tolist() == [2, 0, -2]
    assert view.flags == [("2024", "Đổi phương pháp")]
    assert view.warnings == [
        "Điểm tối đa của lĩnh vực Thủ tục thay đổi từ 10 lên 15 (2023 → 2024)."]
    assert view.details == []
    assert view.top == ["ward:dong-xuan", "ward:hang-bac", "ward:hang-bai"]


@pytest.mark.parametrize(("period_from", "period_to"), [("2024", "2024"), (None, "2024"),
                                                        ("2019", "2024")])
def test_build_trends_without_two_periods_has_no_movers(period_from, period_to):
    view = views.build_trends(small_snapshot(), index="PAR", level="ward",
                              period_from=period_from, period_to=period_to)
    assert view.movers is None
    assert len(view.series) == 6


def test_build_components_and_comparison():
    data = small_snapshot()
    view = views.build_components(data, index="PAR", period="2024", level="ward", component="2")
    assert list(view.matrix.index) == ["Đồng Xuân", "Hàng Bạc", "Hàng Bài"]
    assert list(view.matrix.columns) == ["Chỉ đạo", "Thủ tục"]
    assert view.ranking["unit"].tolist() == ["Đồng Xuân", "Hàng Bạc", "Hàng Bài"]
    assert view.correlations.shape == (2, 2)
    compared = views.build_comparison(data, index="PAR", period="2024", level="ward",
                                      unit_ids=["ward:hang-bai", "ward:dong-xuan"])
    assert list(compared.matrix.index) == ["Hàng Bài", "Đồng Xuân"]
    assert compared.table["unit_id"].tolist() == ["ward:hang-bai", "ward:dong-xuan"]
    assert compared.fields == ["1. Chỉ đạo", "2. Thủ tục"]


def test_build_overview_names_the_most_improved_unit_under_the_figures():
    view = views.build_overview(small_snapshot(), index="PAR", period="2024", level="ward")
    assert view.figures[-1] == views.Metric("Tiến bộ nhất", "+2 bậc", help="Đồng Xuân")
    assert view.note == "Tiến bộ nhất: **Đồng Xuân**, tăng 2 bậc so với kỳ trước."
    first = views.build_overview(small_snapshot(), index="PAR", period="2023", level="ward")
    assert first.note == ""  # no previous period, nobody moved


@pytest.mark.parametrize(("ranks", "n", "expected"), [
    ([2, 1, 3], 3, ["ward:b", "ward:a", "ward:c"]),
    ([2, 1, 3], 2, ["ward:b", "ward:a"]),
    ([1, 1, 3], 2, ["ward:a", "ward:b"]),          # a tie keeps the table's order
    ([NAN, 2, 1], 3, ["ward:c", "ward:b"]),        # an unranked unit is never chosen
    ([NAN, NAN, NAN], 3, []),
])
def test_top_units(ranks, n, expected):
    table = pd.DataFrame({"unit_id": ["ward:a", "ward:b", "ward:c"], "rank": ranks})
    assert views.top_units(table, n=n) == expected


@pytest.mark.parametrize(("role", "lang", "expected"), [
    ("code", "vi", "Mã đơn vị"),
    ("rank", "en", "Rank"),
    ("name_alt", "vi", "Tên đơn vị (cột phụ)"),
    ("officials", "en", "Officials checked"),
    ("something_new", "vi", "something_new"),
])
def test_role_label(role, lang, expected):
    assert views.role_label(role, lang) == expected


def test_every_importer_role_has_a_label_in_both_languages():
    from reform.ingest.mapping import ROLES

    for lang in ("vi", "en"):
        labels = [views.role_label(role, lang) for role in ROLES]
        assert not set(labels) & set(ROLES), lang
        assert len(set(labels)) == len(ROLES), lang  # a dropdown must tell them apart


@pytest.mark.parametrize(("examples", "lang", "expected"), [
    ("8.351827 | 8.180521 | 9.524257", "vi", "8,35 | 8,18 | 9,52"),
    ("8.351827 | 8.180521", "en", "8.35 | 8.18"),
    ("5.20001 | -0.125049", "vi", "5,2 | -0,13"),
    ("1 | 2 | 3", "vi", "1 | 2 | 3"),
    ("1.000 | 14.5 | 91,43", "vi", "1.000 | 14.5 | 91,43"),   # as the file wrote them
    ("2019-03 | Hà Nội", "vi", "2019-03 | Hà Nội"),
    ("", "vi", ""),
])
def test_readable_examples_rounds_long_decimals_only(examples, lang, expected):
    columns = pd.DataFrame({"letter": ["D"], "role": ["component"], "examples": [examples]})
    shown = views.readable_examples(columns, lang=lang)
    pd.testing.assert_frame_equal(shown, columns.assign(examples=[expected]))
    assert columns["examples"].tolist() == [examples]  # the input is left as it was


def test_maxima_text_writes_numbers_per_language():
    maxima = views.maximum_table(_methodology_components(), index="PAR")
    expected = pd.DataFrame({
        "Kỳ": ["2020", "2021"],
        "1. Chỉ đạo, điều hành": ["10", "10"],
        "3. Cải cách thủ tục hành chính": ["14,5", "16"],
        "Số tiêu chí": ["2", "3"],
        "Tổng các lĩnh vực": ["24,5", "26"],
    })
    pd.testing.assert_frame_equal(views.maxima_text(maxima), expected, check_dtype=False)
    english = views.maxima_text(maxima, lang="en")
    assert english["3. Cải cách thủ tục hành chính"].tolist() == ["14.5", "16"]
    assert maxima["3. Cải cách thủ tục hành chính"].tolist() == [14.5, 16.0]  # unchanged


def test_maxima_text_marks_unknown_maxima():
    components = components_frame([
        ("PCI", "2016", "1", "Entry", "", 10.0),
        ("PCI", "2016", "2", "Land", "", NAN),
    ])
    text = views.maxima_text(views.maximum_table(components, index="PCI", lang="en"), lang="en")
    assert text.iloc[0].tolist() == ["2016", "10", "–", "0", "10"]


def test_build_methodology():
    (par,) = views.build_methodology(small_snapshot(), lang="en")
    assert par.index == "PAR"
    assert par.maxima["Sum of fields"].tolist() == [20.0, 25.0]
    assert par.maxima_text["Sum of fields"].tolist() == ["20", "25"]
    assert par.thresholds["Group"].tolist()[:4] == ["A", "B", "C", "D"]
    assert par.caveats == views.caveats("PAR", lang="en")
