"""Shared links: a link may name options by code (what scripts and people type) or by the
labels the app writes itself; the copy-link box keeps Vietnamese readable."""
import pytest

from reform.app.ui import readable_query
from tests.test_pages import open_link, start


@pytest.mark.parametrize(
    "query",
    [
        {"lang": "en", "index": "SIPAS", "period": "2022", "level": "ward"},
        {"lang": "English", "index": "Satisfaction (SIPAS)", "period": "2022", "level": "Wards"},
    ],
    ids=["codes", "labels"],
)
def test_link_by_codes_or_labels_opens_the_same_view(sample_db_url, monkeypatch, query):
    at = start(sample_db_url, monkeypatch, query=query)
    assert not at.exception
    assert at.radio(key="lang").value == "en"
    assert at.selectbox(key="index").value == "SIPAS"
    assert at.selectbox(key="period").value == "2022"
    assert at.selectbox(key="level").value == "ward"


def test_unit_link_by_id(sample_db_url, monkeypatch):
    at = open_link(sample_db_url, monkeypatch, "pages/unit_profile.py",
                   {"index": "PAR", "period": "2024", "level": "ward", "unit": "ward:hang-bac"})
    assert not at.exception
    assert at.selectbox(key="unit").value == "ward:hang-bac"


def test_a_code_that_is_no_option_is_ignored(sample_db_url, monkeypatch):
    at = start(sample_db_url, monkeypatch, query={"index": "NOPE", "level": "planet"})
    assert not at.exception
    assert at.selectbox(key="index").value == "PAR"


def test_readable_query_keeps_vietnamese_and_escapes_separators():
    assert readable_query({"unit": "Phường Cửa Nam", "by": "3. Cải cách", "q": "a&b=c"}) == \
        "unit=Phường+Cửa+Nam&by=3.+Cải+cách&q=a%26b%3Dc"
