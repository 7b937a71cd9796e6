"""Every table on every page writes its numbers by the interface language's rule, whatever the
reader's browser: the decimal comma in Vietnamese, the point in English.

Tables are drawn on a canvas from the display text the app sends with the data (a pandas
Styler); the browser's accessibility cells carry the raw numbers. So the text users read is
checked here, in what the page sends, for every page and both languages.
"""
from __future__ import annotations

import re

import pyarrow as pa
import pytest

from tests.test_pages import PAGES, start

DECIMAL = {"vi": re.compile(r"^[−+-]?\d{1,3}(\.\d{3})*,\d+\s?%?$"),
           "en": re.compile(r"^[−+-]?\d{1,3}(,\d{3})*\.\d+\s?%?$")}
WRONG = {"vi": re.compile(r"^[−+-]?\d+\.(\d{1,2}|\d{4,})\s?%?$"),
         "en": re.compile(r"^[−+-]?\d+,(\d{1,2}|\d{4,})\s?%?$")}
"""A number written with the other language's decimal mark: '97.5' in Vietnamese. ('2.531' is
2,531 grouped in Vietnamese, so three digits after the mark are not counted as wrong.)"""


def display_texts(at) -> list[str]:
    """The display text of every cell of every table the page sent."""
    texts: list[str] = []
    for table in at.dataframe:
        styler = table.proto.arrow_data.styler
        if not styler.display_values:
            continue
        shown = pa.ipc.open_stream(styler.display_values).read_all().to_pandas()
        texts += [str(v).strip() for column in shown.columns for v in shown[column]]
    return texts


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_table_display_text_follows_the_language(page, lang, sample_db_url, monkeypatch):
    at = start(sample_db_url, monkeypatch, page)
    if lang != "vi":
        # Switched by the radio, as a reader does (AppTest cannot run twice after a link in
        # English: it re-labels the sidebar's choices outside the script, in Vietnamese).
        at.radio(key="lang").set_value(lang).run()
    assert not at.exception
    texts = display_texts(at)
    assert [t for t in texts if WRONG[lang].match(t)] == []
    if page == "pages/rankings.py":  # the leaders' table: decimals in the language's form
        assert sum(bool(DECIMAL[lang].match(t)) for t in texts) >= 18
