"""Every chart on every page offers its picture: a "Tải hình" popover with PNG (1920×1080 at 2×)
and SVG, drawn only when pressed; the SVG of a page's chart is valid XML."""
from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import plotly.graph_objects as go
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from reform.core import config
from reform.present import exports

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["pages/overview.py", "pages/rankings.py", "pages/components.py", "pages/compare.py",
         "pages/cross_index.py", "pages/discipline.py", "pages/satisfaction.py"]


def _page(monkeypatch: pytest.MonkeyPatch, url: str, page: str) -> AppTest:
    monkeypatch.setenv(config.DATABASE_URL_ENV, url)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("page", PAGES)
def test_every_chart_offers_png_and_svg(monkeypatch: pytest.MonkeyPatch, sample_db_url: str,
                                        page: str) -> None:
    at = _page(monkeypatch, sample_db_url, page)
    charts = at.get("plotly_chart")
    assert charts
    keys = [b.proto.id for b in at.get("download_button")]
    labels = [b.proto.label for b in at.get("download_button")]
    assert sum(label.startswith("PNG 1920×1080") for label in labels) == len(charts), labels
    assert sum(label.startswith("SVG") for label in labels) == len(charts), labels
    assert len(keys) == len(set(keys))
    assert sum(p.proto.popover.label == "Tải hình" for p in at.get("popover")) == len(charts)


@pytest.mark.skipif(exports.browser_path() is None, reason="no Chromium")
def test_a_page_chart_as_png_and_valid_svg(monkeypatch: pytest.MonkeyPatch,
                                           sample_db_url: str) -> None:
    at = _page(monkeypatch, sample_db_url, "pages/components.py")
    figure = go.Figure(json.loads(at.get("plotly_chart")[0].proto.spec))
    svg = exports.chart_image(figure, "svg", illustrative=True, lang="vi")
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg") and "Dữ liệu minh họa" in svg.decode()
    png = Image.open(io.BytesIO(exports.chart_image(figure, "png")))
    assert png.size == (3840, 2160)
