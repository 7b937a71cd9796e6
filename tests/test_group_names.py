"""English group names on charts and badges: "Khá" is shown "Fair" in English, keeps its
colour (picked by the stored Vietnamese value), and Vietnamese pages are unchanged."""
from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from reform.present import charts, deck, exports, narrative
from reform.present.charts.base import GROUP_COLORS
from reform.present.pages import base


def _ranking() -> pd.DataFrame:
    return pd.DataFrame({
        "unit_id": ["u1", "u2", "u3", "u4"], "unit": ["Một", "Hai", "Ba", "Bốn"],
        "index": "SIPAS", "period": "2024", "level": "ward",
        "value": [90.0, 80.0, 70.0, 60.0], "max_value": 100.0, "percent": [90.0, 80.0, 70.0, 60.0],
        "rank": [1, 2, 3, 4], "previous_rank": pd.NA, "change": pd.NA, "is_new": False,
        "group": ["Tốt", "Khá", "Tương đối thấp", ""], "group_mismatch": False,
    })


@pytest.mark.parametrize(("lang", "names"), [
    ("en", ["Good", "Fair", "Rather low", "No group"]),
    ("vi", ["Tốt", "Khá", "Tương đối thấp", "Chưa xếp nhóm"]),
])
def test_ranking_chart_legend_names_groups_in_the_language_with_their_colours(lang, names):
    fig = charts.ranking_bars(_ranking(), lang=lang, title="")
    assert [trace.name for trace in fig.data] == names
    colours = [trace.marker.color for trace in fig.data]
    assert colours[:3] == [GROUP_COLORS["Tốt"], GROUP_COLORS["Khá"], GROUP_COLORS["Tương đối thấp"]]
    assert f": {names[1]}" in fig.data[1].hovertext[0]


def test_badges_in_english_and_vietnamese():
    table = _ranking()
    assert base.group_badges(table, lang="en")["group"].tolist() == [
        ["Good"], ["Fair"], ["Rather low"], []]
    assert base.group_badges(table)["group"].tolist() == [["Tốt"], ["Khá"], ["Tương đối thấp"], []]
    assert table["group"].tolist()[0] == "Tốt"


def test_deck_tables_name_groups_in_english_and_keep_the_stored_value_for_colour():
    table = deck.ranking_table(_ranking(), "en")
    assert [row[4] for row in table.rows] == ["Good", "Fair", "Rather low", ""]
    assert table.groups == ("Tốt", "Khá", "Tương đối thấp", None)


def test_narrative_names_groups_in_english():
    sentences = " ".join(narrative.ranking_sentences(_ranking(), index="SIPAS", lang="en"))
    assert "Good" in sentences and "Fair" in sentences
    assert "Tốt" not in sentences and "Khá" not in sentences
    vi = " ".join(narrative.ranking_sentences(_ranking(), index="SIPAS", lang="vi"))
    assert "Tốt" in vi and "Khá" in vi


def test_excel_ranking_names_groups_in_english_with_their_colours():
    book = openpyxl.load_workbook(io.BytesIO(exports.ranking_to_excel(_ranking(), lang="en")))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[4]]
    column = header.index(next(h for h in header if h and "roup" in str(h))) + 1
    cells = [sheet.cell(row=r, column=column) for r in range(5, 8)]
    assert [c.value for c in cells] == ["Good", "Fair", "Rather low"]
    assert cells[1].fill.start_color.rgb.endswith(GROUP_COLORS["Khá"].lstrip("#").upper())
