"""Charts: look inside the Plotly figures (traces, data, colours, titles, formats, size)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from reform.core.errors import UsageError
from reform.present import charts

WARDS = ["Phúc Tân", "Đồng Xuân", "Hàng Mã", "Hàng Buồm", "Hàng Đào", "Hàng Bồ"]


def ranking(percents: list[float], groups: list[object], changes: list[object] | None = None,
            *, names: list[str] | None = None, values: list[float] | None = None) -> pd.DataFrame:
    """A ranking table with analytics' columns, rows best first, ranks 1..n."""
    n = len(percents)
    names = names or [WARDS[i] if i < len(WARDS) else f"Phường {i}" for i in range(n)]
    return pd.DataFrame({
        "unit_id": [f"ward:{i}" for i in range(n)],
        "unit": names,
        "level": "ward",
        "parent_id": "district:hoan-kiem",
        "period": "2024",
        "component": "TOTAL",
        "value": values if values is not None else [p * 0.9 for p in percents],
        "max_value": 90.0,
        "percent": percents,
        "rank": pd.array(range(1, n + 1), dtype="Int64"),
        "previous_rank": pd.array([pd.NA] * n, dtype="Int64"),
        "change": pd.array(changes if changes is not None else [pd.NA] * n, dtype="Int64"),
        "is_new": [False] * n,
        "percentile": [100.0 * (n - i) / n for i in range(n)],
        "gap_to_leader": [percents[0] - p for p in percents],
        "gap_to_average": [p - sum(percents) / n for p in percents],
        "group": groups,
        "published_rank": pd.array([pd.NA] * n, dtype="Int64"),
        "published_group": [None] * n,
        "group_mismatch": [False] * n,
    })


def unit_series(table: dict[str, list[float]], periods: list[str]) -> pd.DataFrame:
    """A unit series from {unit name: percent per period}; ranks computed per period."""
    rows = []
    for i, (name, values) in enumerate(table.items()):
        for period, value in zip(periods, values, strict=True):
            rows.append({"unit_id": f"ward:{i}", "unit": name, "period": period,
                         "value": value, "max_value": 100.0, "percent": value})
    frame = pd.DataFrame(rows)
    rank = frame.groupby("period")["percent"].rank(ascending=False, method="min")
    return frame.assign(rank=rank.astype("Int64"))


def big_series(units: int = 10_000, periods: int = 10) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    percent = rng.uniform(40, 100, units * periods).round(2)
    frame = pd.DataFrame({
        "unit_id": np.repeat([f"ward:{i:05d}" for i in range(units)], periods),
        "unit": np.repeat([f"Phường Hàng Bạc số {i}" for i in range(units)], periods),
        "period": np.tile([str(2015 + p) for p in range(periods)], units),
        "value": percent,
        "max_value": 100.0,
        "percent": percent,
    })
    rank = frame.groupby("period")["percent"].rank(ascending=False, method="min")
    return frame.assign(rank=rank.astype("Int64"))


# --------------------------------------------------------------------------------------------
# Helpers shared with exports
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("A", "#1b7837"), ("Tốt", "#1b7837"), ("Q1", "#1b7837"), ("Rất tốt", "#00441b"),
        ("B", "#7fbc41"), ("Khá", "#7fbc41"), ("C", "#e8a317"), ("Trung bình", "#e8a317"),
        ("Tương đối thấp", "#e66101"), ("D", "#c51b29"), ("Yếu", "#c51b29"),
        ("Thấp", "#c51b29"), ("Q4", "#c51b29"), (" A ", "#1b7837"),
        ("Nhóm lạ", "#8c8c8c"), (None, "#8c8c8c"), (float("nan"), "#8c8c8c"),
    ],
)
def test_group_color(label, expected):
    assert charts.group_color(label) == expected


@pytest.mark.parametrize(
    ("background", "expected"),
    [("#1b7837", "#ffffff"), ("#c51b29", "#ffffff"), ("#e8a317", "#000000"),
     ("#7fbc41", "#000000"), ("#ffffff", "#000000")],
)
def test_text_color_on(background, expected):
    assert charts.text_color_on(background) == expected


# --------------------------------------------------------------------------------------------
# ranking_bars
# --------------------------------------------------------------------------------------------

def test_ranking_bars_one_trace_per_group_best_first_with_group_colours():
    table = ranking([92.0, 85.0, 78.0, 77.0, 72.0, 60.0], ["A", "A", "B", "B", "C", "D"],
                    [3, -2, 0, pd.NA, 1, -1])
    fig = charts.ranking_bars(table)
    assert [t.name for t in fig.data] == ["A", "B", "C", "D"]
    assert [t.marker.color for t in fig.data] == ["#1b7837", "#7fbc41", "#e8a317", "#c51b29"]
    assert all(t.type == "bar" and t.orientation == "h" for t in fig.data)
    assert list(fig.data[0].y) == ["Phúc Tân", "Đồng Xuân"]
    assert list(fig.data[0].x) == [92.0, 85.0]
    assert list(fig.data[0].text) == ["92,00 %  ▲ 3", "85,00 %  ▼ 2"]
    assert list(fig.data[1].text) == ["78,00 %  =", "77,00 %"]
    # Best at the top: categories in rank order on a reversed axis.
    assert list(fig.layout.yaxis.categoryarray) == WARDS
    assert fig.layout.yaxis.autorange == "reversed"
    assert fig.layout.title.text == "Kết quả xếp hạng kỳ 2024"
    assert fig.layout.separators == ",."
    assert fig.layout.font.size >= 16
    assert fig.layout.xaxis.title.text == "% điểm tối đa"


def test_ranking_bars_average_line_at_block_mean_with_label():
    table = ranking([90.0, 80.0, 70.0, 60.0], ["A", "A", "C", "D"])
    fig = charts.ranking_bars(table)
    line = fig.layout.shapes[0]
    assert (line.x0, line.x1, line.line.dash) == (75.0, 75.0, "dash")
    assert fig.layout.annotations[0].text == "Trung bình: 75,00"
    # The labels sit inside the bars at their base (far left of the line), or outside a bar
    # too short for them; the line is drawn over the bars.
    assert {(t.textposition, t.insidetextanchor) for t in fig.data} == {("auto", "start")}
    assert line.layer == "above"
    assert [t.insidetextfont.color for t in fig.data] == [
        charts.text_color_on(t.marker.color) for t in fig.data]
    fig_en = charts.ranking_bars(table, lang="en")
    assert fig_en.layout.annotations[0].text == "Average: 75.00"
    assert fig_en.layout.separators == ".,"
    assert fig_en.layout.title.text == "Ranking, 2024"


def test_ranking_bars_hover_shows_rank_change_and_group():
    table = ranking([92.0, 85.0], ["A", "B"], [3, -2])
    fig = charts.ranking_bars(table, lang="en")
    assert fig.data[0].hovertext[0] == "<b>Phúc Tân</b><br>Rank: 1 ▲ 3<br>Score: 92.00%<br>Group: A"


def test_ranking_bars_unknown_and_missing_groups_are_grey_and_last():
    table = ranking([90.0, 80.0, 70.0], [None, "Nhóm lạ", "A"])
    fig = charts.ranking_bars(table)
    assert [(t.name, t.marker.color) for t in fig.data] == [
        ("A", "#1b7837"), ("Nhóm lạ", "#8c8c8c"), ("Chưa xếp nhóm", "#8c8c8c")]


def test_ranking_bars_falls_back_to_points_when_percent_unknown():
    table = ranking([math.nan, math.nan], ["A", "B"], values=[17.5, 12.25]).assign(
        max_value=math.nan)
    fig = charts.ranking_bars(table)
    assert [list(t.x) for t in fig.data] == [[17.5], [12.25]]
    assert fig.data[0].text[0] == "17,50"
    assert fig.layout.xaxis.title.text == "Điểm"
    assert fig.layout.shapes[0].x0 == pytest.approx(14.875)


def test_ranking_bars_large_block_shows_top_30_and_says_so():
    percents = [100.0 - i * 0.5 for i in range(100)]
    table = ranking(percents, ["A"] * 100)
    fig = charts.ranking_bars(table, highlight="Phường 80")
    shown = list(fig.layout.yaxis.categoryarray)
    assert shown[:30] == list(table["unit"][:30])
    assert shown[30:] == ["Phường 80"]  # the highlighted unit is kept beyond the top
    assert "30 đơn vị đứng đầu trong tổng số 100" in fig.layout.title.text
    # The average line is over the whole block, not the bars shown.
    assert fig.layout.shapes[0].x0 == pytest.approx(float(np.mean(percents)))
    bold = [t for t in fig.layout.yaxis.ticktext if t.startswith("<b>")]
    assert bold == ["<b>Phường 80</b>"]
    assert list(fig.data[0].marker.line.width)[-1] == 3


def test_ranking_bars_small_block_shown_whole_and_top_n_is_explicit():
    table = ranking([90.0 - i for i in range(60)], ["A"] * 60)
    assert len(charts.ranking_bars(table).data[0].y) == 60
    fig = charts.ranking_bars(table, top_n=10, title="PAR 2024")
    assert len(fig.data[0].y) == 10
    assert fig.layout.title.text.startswith("PAR 2024<br>")
    assert "10 đơn vị đứng đầu trong tổng số 60" in fig.layout.title.text


def test_ranking_bars_height_grows_with_units():
    small = charts.ranking_bars(ranking([90.0, 80.0], ["A", "B"]))
    large = charts.ranking_bars(ranking([90.0 - i for i in range(40)], ["A"] * 40))
    assert large.layout.height > small.layout.height


def test_ranking_bars_does_not_change_its_input():
    table = ranking([70.0, 90.0], ["C", "A"])
    before = table.copy()
    charts.ranking_bars(table)
    pd.testing.assert_frame_equal(table, before)


def test_ranking_bars_at_10000_units_stays_small():
    percents = list(np.linspace(99, 40, 10_000))
    fig = charts.ranking_bars(ranking(percents, ["A"] * 5000 + ["B"] * 5000))
    assert len(fig.data) <= 12
    assert len(fig.to_json()) < 1_000_000


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"lang": "fr"}, "Ngôn ngữ 'fr'"), ({}, "thiếu cột: rank")],
)
def test_ranking_bars_refuses_bad_input(kwargs, match):
    table = ranking([90.0], ["A"])
    if not kwargs:
        table = table.drop(columns="rank")
    with pytest.raises(UsageError, match=match):
        charts.ranking_bars(table, **kwargs)


def test_empty_input_gives_an_empty_figure_with_a_message():
    fig = charts.ranking_bars(ranking([90.0], ["A"]).iloc[0:0])
    assert len(fig.data) == 0
    assert fig.layout.annotations[0].text == "Không có dữ liệu để vẽ biểu đồ"
    assert charts.empty_figure("Chưa có dữ liệu").layout.annotations[0].text == "Chưa có dữ liệu"


# --------------------------------------------------------------------------------------------
# trend_lines, rank_bump, distribution
# --------------------------------------------------------------------------------------------

PERIODS = ["2022", "2023", "2024"]
SERIES = unit_series({"Hàng Bạc": [80.0, 85.0, 90.0], "Hàng Gai": [70.0, 60.0, 65.0],
                      "Cửa Nam": [75.0, 80.0, 70.0]}, PERIODS)


def test_trend_lines_background_is_one_webgl_trace_with_breaks_between_units():
    fig = charts.trend_lines(SERIES, highlight=["ward:1"])
    background, average, unit = fig.data
    assert background.type == "scattergl"
    assert background.hoverinfo == "skip"
    y = np.asarray(background.y, dtype=float)
    expected = [80, 85, 90, np.nan, 70, 60, 65, np.nan, 75, 80, 70, np.nan]
    np.testing.assert_array_equal(y, np.array(expected, dtype="float32"))
    assert list(background.x) == [0, 1, 2, 2] * 3
    assert list(average.y) == [75.0, 75.0, 75.0]
    assert (unit.name, list(unit.x), list(unit.y)) == ("Hàng Gai", [0, 1, 2], [70.0, 60.0, 65.0])
    assert unit.line.color == charts.UNIT_PALETTE[0]
    assert list(fig.layout.xaxis.ticktext) == PERIODS


def test_trend_lines_flags_are_dotted_vertical_lines_with_text():
    fig = charts.trend_lines(SERIES, flags=[("2023", "Phương pháp mới"), ("2030", "bỏ qua")])
    assert [(s.x0, s.line.dash) for s in fig.layout.shapes] == [(1, "dot")]
    assert [a.text for a in fig.layout.annotations] == ["Phương pháp mới"]


def test_trend_lines_in_points_warns_when_maximums_differ():
    series = SERIES.assign(max_value=SERIES["period"].map({"2022": 90.0, "2023": 100.0,
                                                           "2024": 100.0}))
    fig = charts.trend_lines(series, basis="value", lang="en")
    assert fig.layout.yaxis.title.text == "Points"
    assert fig.layout.annotations[0].text.startswith("Maximum points differ")
    assert not charts.trend_lines(SERIES, basis="value").layout.annotations


def test_trend_lines_highlight_by_name_and_limits():
    fig = charts.trend_lines(SERIES, highlight=["HÀNG BẠC", "Cửa Nam", "không có"])
    assert [t.name for t in fig.data[2:]] == ["Hàng Bạc", "Cửa Nam"]
    many = big_series(units=12, periods=2)
    with pytest.raises(UsageError, match="tối đa 10 đơn vị"):
        charts.trend_lines(many, highlight=list(many["unit_id"].unique()))
    with pytest.raises(UsageError, match="'rank'"):
        charts.trend_lines(SERIES, basis="rank")


def test_trend_lines_at_10000_units_by_10_periods_stays_under_1_mb():
    series = big_series()
    names = list(series["unit"].unique()[:10])
    fig = charts.trend_lines(series, highlight=names)
    assert len(fig.data) <= 12
    assert len(fig.to_json()) < 1_000_000


def test_rank_bump_y_reversed_and_top_n_from_latest_period():
    fig = charts.rank_bump(SERIES, top_n=2)
    # Latest period (2024): Hàng Bạc 1st, Cửa Nam 2nd; Hàng Gai (3rd) is left out.
    coloured = [t for t in fig.data if t.mode == "lines+markers"]
    assert [t.name for t in coloured] == ["Hàng Bạc", "Cửa Nam"]
    assert list(coloured[0].y) == [1.0, 1.0, 1.0]
    assert list(coloured[1].y) == [2.0, 2.0, 2.0]
    assert tuple(fig.layout.yaxis.range) == (2.5, 0.5)  # 1 on top
    labels = fig.data[-1]
    assert list(labels.text) == ["  Hàng Bạc", "  Cửa Nam"]


def test_rank_bump_highlight_colours_chosen_units_others_grey():
    fig = charts.rank_bump(SERIES, highlight=["Hàng Gai"])
    grey, gai, labels = fig.data
    assert grey.name == "Các đơn vị khác"
    assert grey.line.color == "#b5b5b5"
    assert list(grey.y) == [1.0, 1.0, 1.0, None, 2.0, 2.0, 2.0, None]
    assert list(gai.y) == [3.0, 3.0, 3.0]
    assert gai.name == "Hàng Gai"
    assert list(labels.textfont.color) == ["#707070", "#707070", charts.UNIT_PALETTE[0]]


def test_rank_bump_at_10000_units_keeps_few_traces():
    fig = charts.rank_bump(big_series())
    assert len(fig.data) <= 12
    assert len(fig.to_json()) < 1_000_000


def test_distribution_box_per_period_with_precomputed_quartiles_and_outliers():
    values = {f"P{i}": [float(v), float(v)] for i, v in enumerate([10, 50, 52, 54, 56, 58])}
    series = unit_series(values, ["2023", "2024"])
    fig = charts.distribution(series)
    box, outliers = fig.data
    assert box.type == "box"
    assert list(box.x) == ["2023", "2024"]
    assert list(box.median) == [53.0, 53.0]
    assert list(box.q1) == [50.5, 50.5]
    assert list(box.q3) == [55.5, 55.5]
    assert list(box.lowerfence) == [50.0, 50.0]  # 10 is beyond the whisker …
    assert list(box.upperfence) == [58.0, 58.0]
    assert list(outliers.y) == [10.0, 10.0]  # … and drawn as a named outlier
    assert outliers.hovertext[0] == "<b>P0</b>: 10,00 %"


def test_distribution_at_10000_units_stays_small():
    fig = charts.distribution(big_series())
    assert len(fig.to_json()) < 1_000_000


# --------------------------------------------------------------------------------------------
# movers, components, indices
# --------------------------------------------------------------------------------------------

MOVERS = pd.DataFrame({
    "unit_id": [f"ward:{i}" for i in range(5)],
    "unit": ["Hàng Bạc", "Hàng Gai", "Cửa Nam", "Hàng Bông", "Tràng Tiền"],
    "percent_from": [70.0, 80.0, 75.0, 60.0, 90.0],
    "percent_to": [85.0, 70.0, 76.0, 61.0, 80.0],
    "delta_percent": [15.0, -10.0, 1.0, 1.0, -10.0],
    "rank_from": pd.array([9, 2, 5, 8, 1], dtype="Int64"),
    "rank_to": pd.array([2, 7, 5, 6, 3], dtype="Int64"),
    "rank_change": pd.array([7, -5, 0, 2, -2], dtype="Int64"),
    "methodology_changed": [False] * 5,
})


def test_movers_bars_gainers_on_top_losers_below():
    fig = charts.movers_bars(MOVERS, n=5)
    up, down = fig.data
    assert (list(up.y), list(up.x), list(up.text)) == (
        ["Hàng Bạc", "Hàng Bông"], [7.0, 2.0], ["▲ 7", "▲ 2"])
    assert (list(down.y), list(down.x), list(down.text)) == (
        ["Tràng Tiền", "Hàng Gai"], [-2.0, -5.0], ["▼ 2", "▼ 5"])
    assert (up.marker.color, down.marker.color) == ("#1b7837", "#c51b29")
    assert list(fig.layout.yaxis.categoryarray) == ["Hàng Bạc", "Hàng Bông", "Tràng Tiền",
                                                     "Hàng Gai"]
    assert not fig.layout.annotations


def test_movers_bars_n_and_methodology_note():
    movers = MOVERS.assign(methodology_changed=[True] + [False] * 4)
    fig = charts.movers_bars(movers, n=1, lang="en")
    assert [list(t.y) for t in fig.data] == [["Hàng Bạc"], ["Hàng Gai"]]
    assert fig.layout.annotations[0].text.startswith("Note: the methodology changed")
    nobody = MOVERS.assign(rank_change=pd.array([0] * 5, dtype="Int64"))
    assert len(charts.movers_bars(nobody).data) == 0


def test_component_heatmap_values_and_cell_text():
    matrix = pd.DataFrame(
        {"Chỉ đạo điều hành": [90.0, 55.5], "Thủ tục hành chính": [70.0, math.nan]},
        index=["Hàng Bạc", "Hàng Gai"])
    fig = charts.component_heatmap(matrix)
    heat = fig.data[0]
    assert heat.type == "heatmap"
    np.testing.assert_array_equal(np.asarray(heat.z, dtype=float),
                                  [[90.0, 70.0], [55.5, np.nan]])
    assert list(heat.y) == ["Hàng Bạc", "Hàng Gai"]
    assert list(heat.x) == ["Chỉ đạo điều hành", "Thủ tục hành chính"]
    # From the lowest value rounded down, so high scores do not all get the darkest colour.
    assert (heat.zmin, heat.zmax, heat.texttemplate) == (55, 100, "%{z:.1f}")
    assert (heat.colorbar.title.text, heat.colorbar.ticksuffix) == ("%", " %")
    assert heat.colorscale[0][1] != heat.colorscale[-1][1]
    assert fig.layout.yaxis.autorange == "reversed"
    # Column labels on top: the title pushes the margin clear of them instead of sitting on them.
    assert fig.layout.xaxis.side == "top"
    assert (fig.layout.title.yref, fig.layout.title.automargin) == ("container", True)
    big = pd.DataFrame(np.full((41, 2), 50.0), index=[f"P{i}" for i in range(41)],
                       columns=["1", "2"])
    assert charts.component_heatmap(big).data[0].texttemplate is None


@pytest.mark.parametrize(("z", "expected"), [
    ([[64.2, 91.0], [math.nan, 100.0]], (64.0, 100.0)),
    ([[80.0, 85.5]], (80.0, 100.0)),
    ([[100.0, 100.0]], (99.0, 100.0)),       # one value: still a range
    ([[70.0, 104.2]], (70.0, 105.0)),        # bonus points above the maximum
    ([[-3.5, 50.0]], (-4.0, 100.0)),
    ([[math.nan]], (0.0, 100.0)),
])
def test_heatmap_range_from_the_lowest_value_to_100(z, expected):
    assert charts.heatmap_range(np.array(z, dtype=float)) == expected


def test_correlation_heatmap_is_diverging_from_minus_one_to_one():
    corr = pd.DataFrame([[1.0, 0.4], [0.4, 1.0]], index=["PAR", "SIPAS"], columns=["PAR", "SIPAS"])
    heat = charts.correlation_heatmap(corr, lang="en").data[0]
    assert (heat.zmin, heat.zmax, heat.zmid) == (-1, 1, 0)
    assert list(heat.x) == ["PAR Index", "Satisfaction (SIPAS)"]
    assert heat.texttemplate == "%{z:.2f}"


def test_profile_bars_unit_against_average_and_best():
    strengths = pd.DataFrame({
        "component": ["1", "2"], "name": ["Chỉ đạo điều hành", "Thủ tục hành chính"],
        "value": [8.0, 10.0], "max_value": [10.0, 14.5], "percent": [80.0, 68.97],
        "points_lost": [2.0, 4.5], "block_average": [75.0, 72.0], "block_best": [95.0, 90.0],
        "gap_to_average": [5.0, -3.03],
    })
    fig = charts.profile_bars(strengths, unit_name="Hàng Bạc")
    assert [t.name for t in fig.data] == ["Hàng Bạc", "Trung bình khối", "Cao nhất khối"]
    assert [list(t.x) for t in fig.data] == [[80.0, 68.97], [75.0, 72.0], [95.0, 90.0]]
    assert list(fig.data[0].y) == ["Chỉ đạo điều hành", "Thủ tục hành chính"]
    assert list(fig.data[0].text) == ["80,0", "69,0"]
    assert fig.layout.title.text == "Điểm mạnh, điểm yếu: Hàng Bạc"


def test_profile_bars_put_the_units_best_field_on_top_whatever_the_frames_order():
    # strengths_weaknesses lists fields by gap to the block average, weakest first.
    strengths = pd.DataFrame({
        "component": ["1", "2", "3"], "name": ["Thủ tục", "Tổ chức bộ máy", "Chỉ đạo"],
        "percent": [60.0, 90.0, 75.0], "block_average": [70.0, 80.0, 74.0],
        "block_best": [95.0, 99.0, 90.0],
    })
    fig = charts.profile_bars(strengths, unit_name="Hàng Bạc")
    assert list(fig.data[0].y) == ["Tổ chức bộ máy", "Chỉ đạo", "Thủ tục"]
    assert list(fig.data[1].x) == [80.0, 74.0, 70.0]  # the averages follow their fields


def test_compare_units_grouped_bars_from_matrix_or_long_table():
    matrix = pd.DataFrame({"1": [90.0, 70.0], "2": [60.0, 80.0]}, index=["Hàng Bạc", "Hàng Gai"])
    fig = charts.compare_units(matrix)
    assert fig.layout.barmode == "group"
    assert [(t.name, list(t.x), list(t.y)) for t in fig.data] == [
        ("Hàng Bạc", ["1", "2"], [90.0, 60.0]), ("Hàng Gai", ["1", "2"], [70.0, 80.0])]
    long = pd.DataFrame({"unit": ["Hàng Bạc", "Hàng Bạc", "Hàng Gai", "Hàng Gai"],
                         "component": ["1", "2", "1", "2"], "percent": [90.0, 60.0, 70.0, 80.0],
                         "value": [9.0, 6.0, 7.0, 8.0]})
    assert [list(t.y) for t in charts.compare_units(long).data] == [[90.0, 60.0], [70.0, 80.0]]
    six = pd.DataFrame({"1": range(6)}, index=[f"P{i}" for i in range(6)])
    with pytest.raises(UsageError, match="tối đa 5 đơn vị"):
        charts.compare_units(six)


CROSS = pd.DataFrame({
    "unit_id": [f"ward:{i}" for i in range(6)],
    "unit": ["Hàng Bạc", "Hàng Gai", "Cửa Nam", "Hàng Bông", "Tràng Tiền", "Hàng Bài"],
    "PAR": [60.0, 70.0, 80.0, 90.0, 75.0, math.nan],
    "SIPAS": [62.0, 71.0, 79.0, 91.0, 95.0, 80.0],
    "DISCIPLINE": [math.nan] * 6,
})


def test_scatter_indices_trend_line_r_and_outlier_labels():
    fig = charts.scatter_indices(CROSS, "PAR", "SIPAS", label_outliers=1)
    points, line = fig.data
    assert points.type == "scatter"
    assert list(points.hovertext) == ["Hàng Bạc", "Hàng Gai", "Cửa Nam", "Hàng Bông", "Tràng Tiền"]
    xs, ys = np.array([60, 70, 80, 90, 75.0]), np.array([62, 71, 79, 91, 95.0])
    slope, intercept = np.polyfit(xs, ys, 1)
    np.testing.assert_allclose(line.y, [60 * slope + intercept, 90 * slope + intercept])
    r = np.corrcoef(xs, ys)[0, 1]
    # r on its own line under the title, which a laptop would otherwise cut on the right.
    assert fig.layout.title.subtitle.text == "hệ số tương quan r = " + f"{r:.2f}".replace(".", ",")
    assert fig.layout.title.text == "Chỉ số hài lòng (SIPAS)<br>và Chỉ số CCHC (PAR Index)"
    assert (fig.layout.title.yref, fig.layout.title.automargin) == ("paper", True)
    assert [a.text for a in fig.layout.annotations] == ["Tràng Tiền"]


def test_scatter_indices_without_spread_has_no_line_and_bad_column_is_refused():
    fig = charts.scatter_indices(CROSS.assign(PAR=70.0), "PAR", "SIPAS", lang="en")
    assert len(fig.data) == 1
    assert fig.layout.title.text == "Satisfaction (SIPAS) and PAR Index"  # short: one line
    assert fig.layout.title.subtitle.text == ""
    assert len(charts.scatter_indices(CROSS, "PAR", "DISCIPLINE").data) == 0
    with pytest.raises(UsageError, match="PAPI"):
        charts.scatter_indices(CROSS, "PAR", "PAPI")


def test_scatter_indices_at_10000_units_is_one_webgl_trace():
    rng = np.random.default_rng(3)
    cross = pd.DataFrame({
        "unit_id": range(10_000), "unit": [f"Phường {i}" for i in range(10_000)],
        "PAR": rng.uniform(50, 100, 10_000), "SIPAS": rng.uniform(50, 100, 10_000)})
    fig = charts.scatter_indices(cross, "PAR", "SIPAS")
    assert [t.type for t in fig.data] == ["scattergl", "scatter"]
    assert len(fig.to_json()) < 1_000_000


# --------------------------------------------------------------------------------------------
# Discipline
# --------------------------------------------------------------------------------------------

MONTHLY = pd.DataFrame({
    "period": ["2024-02", "2024-01", "2024-01", "2024-02"],
    "unit_id": ["ward:0", "ward:0", "ward:1", "ward:1"],
    "unit": ["Hàng Bạc", "Hàng Bạc", "Đồng Xuân", "Đồng Xuân"],
    "violations": [1, 2, 3, 0],
    "officials_checked": [10, 20, 20, 0],
    "rate_per_100": [10.0, 10.0, 15.0, math.nan],
})


def test_monthly_trend_rate_is_total_violations_over_total_checked():
    fig = charts.monthly_trend(MONTHLY)
    line = fig.data[0]
    assert list(line.x) == ["01/2024", "02/2024"]
    np.testing.assert_allclose(line.y, [5 / 40 * 100, 1 / 10 * 100])
    assert list(line.text) == ["12,5", "10,0"]
    assert charts.monthly_trend(MONTHLY, lang="en").data[0].x[0] == "Jan 2024"


def test_discipline_calendar_units_in_vietnamese_order_by_month():
    heat = charts.discipline_calendar(MONTHLY).data[0]
    assert list(heat.y) == ["Đồng Xuân", "Hàng Bạc"]  # Đ after D, before H
    assert list(heat.x) == ["01/2024", "02/2024"]
    np.testing.assert_array_equal(np.asarray(heat.z, dtype=float), [[15.0, np.nan], [10.0, 10.0]])
    assert (heat.zmin, heat.zmax) == (0, 15.0)


def test_category_bars_most_frequent_on_top():
    categories = pd.DataFrame({"category": ["hours", "dress", "attitude"],
                               "name": ["Giờ giấc làm việc", "Trang phục, thẻ công chức",
                                        "Thái độ với người dân"],
                               "violations": [5, 12, 1]})
    bars = charts.category_bars(categories).data[0]
    assert list(bars.y) == ["Trang phục, thẻ công chức", "Giờ giấc làm việc",
                            "Thái độ với người dân"]
    assert list(bars.x) == [12.0, 5.0, 1.0]
    assert list(bars.text) == ["12", "5", "1"]


@pytest.mark.parametrize(
    "make",
    [
        lambda: charts.trend_lines(SERIES.iloc[0:0]),
        lambda: charts.rank_bump(SERIES.iloc[0:0]),
        lambda: charts.distribution(SERIES.iloc[0:0]),
        lambda: charts.component_heatmap(pd.DataFrame()),
        lambda: charts.correlation_heatmap(pd.DataFrame()),
        lambda: charts.compare_units(pd.DataFrame()),
        lambda: charts.monthly_trend(MONTHLY.iloc[0:0]),
        lambda: charts.discipline_calendar(MONTHLY.iloc[0:0]),
        lambda: charts.category_bars(pd.DataFrame(columns=["category", "name", "violations"])),
    ],
)
def test_every_chart_says_no_data_on_empty_input(make):
    fig = make()
    assert isinstance(fig, go.Figure)
    assert len(fig.data) == 0
    assert fig.layout.annotations[0].text == "Không có dữ liệu để vẽ biểu đồ"


@pytest.mark.parametrize(
    "make",
    [
        lambda lang: charts.ranking_bars(ranking([90.0, 80.0], ["A", "B"]), lang=lang),
        lambda lang: charts.trend_lines(SERIES, lang=lang),
        lambda lang: charts.rank_bump(SERIES, lang=lang),
        lambda lang: charts.distribution(SERIES, lang=lang),
        lambda lang: charts.movers_bars(MOVERS, lang=lang),
        lambda lang: charts.scatter_indices(CROSS, "PAR", "SIPAS", lang=lang),
        lambda lang: charts.monthly_trend(MONTHLY, lang=lang),
        lambda lang: charts.discipline_calendar(MONTHLY, lang=lang),
    ],
)
def test_every_chart_uses_language_separators_and_projector_fonts(make):
    for lang, separators in (("vi", ",."), ("en", ".,")):
        fig = make(lang)
        assert fig.layout.separators == separators
        assert fig.layout.font.size >= 16
        assert fig.layout.title.font.size >= 24
        assert "Noto Sans" in fig.layout.font.family
