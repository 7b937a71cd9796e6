"""The overview's own address: Streamlit serves the default page at the root ("/"), so a link
to its slug (/tong-quan, as the navigation's other pages are linked) needs a page of its own."""
from __future__ import annotations

from apptest_helpers import DASHBOARD, url_paths
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from reform.core import config


def test_the_overview_slug_lands_on_the_overview_with_the_query_kept(sample_db_url, monkeypatch):
    monkeypatch.setenv(config.DATABASE_URL_ENV, sample_db_url)
    at = AppTest.from_file(str(DASHBOARD), default_timeout=60)
    at.query_params.update({"index": "SIPAS"})
    at.run()
    root = calc_hash("")
    slug = url_paths()["pages/overview.py"]
    served = {info["url_pathname"]: page_hash for page_hash, info in at._registered_pages.items()}
    assert served[""] == root  # the overview itself, at the root
    assert served[slug] == calc_hash(slug)  # a page of its own at /tong-quan

    at._page_hash = served[slug]  # as the browser asks for /tong-quan
    at.run()
    assert not at.exception
    assert at._finished_page_script_hash == root  # handed over to the overview
    assert [title.value for title in at.title] == ["Tổng quan"]
    assert at.query_params["index"] == "SIPAS"
