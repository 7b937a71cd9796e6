"""Every page at a moderate national scale (3,000 units × 3 years × 10 components, SIPAS and a
year of inspections), under AppTest through the real entry point: no exception, no error box,
chart JSON bounded and no chart with a trace per unit. Speed itself is measured by
``bench/app_scale.py``, not here."""
from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from bench.app_scale import build_store
from reform.core import config

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "pages").glob("*.py"))
UNITS, PERIODS, COMPONENTS = 3_000, 3, 10
MAX_CHART_BYTES = 1_000_000
"""The issue's bound on the chart JSON one page sends."""


def array(value: object) -> np.ndarray:
    """A spec's array as floats (plotly sends numpy arrays base64-encoded with their shape)."""
    if isinstance(value, dict) and "bdata" in value:
        raw = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        shape = [int(n) for n in str(value.get("shape", len(raw))).split(",")]
        return raw.astype(float).reshape(shape)
    return np.asarray(value, dtype=float)


@pytest.fixture(scope="module")
def scale_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('scale') / 'reform.sqlite'}"
    build_store(url, units=UNITS, periods=PERIODS, components=COMPONENTS)
    return url


@pytest.fixture(scope="module")
def drawn(scale_url: str) -> dict[str, dict]:
    """Each page drawn once in one session (as a user clicks through them): its exceptions,
    error boxes and chart specs."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(config.DATABASE_URL_ENV, scale_url)
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
        out = {}
        for page in PAGES:
            at.switch_page(page).run()
            out[page] = {
                "exceptions": [e.value for e in at.exception],
                "errors": [e.value for e in at.error],
                "specs": [element.proto.spec for element in at.get("plotly_chart")],
            }
    return out


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_at_scale(page, drawn):
    assert not drawn[page]["exceptions"], drawn[page]["exceptions"]
    assert not drawn[page]["errors"], drawn[page]["errors"]


@pytest.mark.parametrize("page", PAGES)
def test_chart_json_is_bounded_and_no_chart_draws_a_trace_per_unit(page, drawn):
    specs = drawn[page]["specs"]
    assert sum(len(spec) for spec in specs) < MAX_CHART_BYTES
    for spec in specs:
        assert len(json.loads(spec)["data"]) <= config.CHART_MAX_TRACES


def test_the_pages_with_charts_draw_them(drawn):
    # A page that silently drew nothing would pass the bounds above.
    for page in ("overview", "rankings", "trends", "components", "discipline",
                 "satisfaction", "cross_index"):
        assert drawn[f"pages/{page}.py"]["specs"], page


def test_the_heatmap_shows_the_extremes_of_a_large_block_and_says_so(drawn):
    spec = json.loads(drawn["pages/components.py"]["specs"][0])
    heatmap = spec["data"][0]
    rows = list(heatmap["y"])
    assert len(rows) == config.HEATMAP_MAX_ROWS + 1 and rows[config.HEATMAP_MAX_ROWS // 2] == "⋯"
    z = array(heatmap["z"]).reshape(len(rows), -1)
    means = np.nanmean(np.delete(z, config.HEATMAP_MAX_ROWS // 2, axis=0), axis=1)
    assert np.all(np.diff(means) <= 1e-3)  # best first, worst last (float32 in the spec)
    assert means[0] - means[-1] > 5  # the two ends of the spread, not a slice of the middle
    notes = " ".join(a.get("text", "") for a in spec["layout"].get("annotations", []))
    communes = sum(1 for i in range(UNITS) if i % 7)  # the block: every unit but one in 7
    assert str(communes) in notes


def test_the_calendar_of_a_large_block_shows_its_worst_units(drawn):
    spec = json.loads(drawn["pages/discipline.py"]["specs"][1])
    calendar = spec["data"][0]
    assert len(calendar["y"]) == config.HEATMAP_MAX_ROWS
