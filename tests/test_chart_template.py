"""The charts' template: "simple_white" trimmed to the trace types the charts draw."""
from __future__ import annotations

import ast
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

from reform.present.charts.base import TRACE_TYPES, finish, template

PRESENT = Path(__file__).resolve().parents[1] / "reform" / "present"


def traces_built_in_code() -> set[str]:
    """Every ``go.<Trace>(…)`` the present layer calls, as a trace type ("bar", "scattergl")."""
    found = set()
    for path in PRESENT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "go"):
                found.add(node.func.attr)
    return {name.lower() for name in found} - {"figure"}


def test_every_trace_type_drawn_keeps_its_simple_white_defaults():
    drawn = traces_built_in_code()
    assert drawn, "no trace found: the scan is broken"
    assert drawn <= set(TRACE_TYPES)
    full = pio.templates["simple_white"]
    for kind in drawn:
        assert template().data[kind] == full.data[kind], kind


def test_a_finished_chart_has_the_simple_white_layout_and_no_unused_defaults():
    fig = finish(go.Figure(go.Bar(x=[1], y=[2])), lang="vi", title="T")
    assert fig.layout.template.layout == pio.templates["simple_white"].layout
    carried = {kind for kind, defaults in fig.layout.template.data.to_plotly_json().items() if defaults}
    assert carried <= set(TRACE_TYPES)
    assert "pie" not in carried and "bar" in carried
