"""The layers of reform/: each imports only the layers before it; only app/ imports streamlit.

Read from the source with ``ast``, so an import hidden inside a function counts too.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "reform"
LAYERS = ("core", "analysis", "ingest", "store", "present", "app")
"""In order: a module may import its own layer and the ones before it."""
TOP = len(LAYERS)
"""``cli.py``, ``__main__.py`` and ``__init__.py`` sit above every layer."""


def layer_of(module: str) -> int:
    """The rank of ``reform.<layer>…`` in ``LAYERS``; ``TOP`` for the package's top modules."""
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in LAYERS:
        return LAYERS.index(parts[1])
    return TOP


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in ``path``, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.lineno, target) for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom) for target in targets(node, path)]


def targets(node: ast.Import | ast.ImportFrom, path: Path) -> list[str]:
    """The absolute module names one import statement of ``path`` imports."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    if node.level:
        base = package.split(".")[: len(package.split(".")) - node.level + 1]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    if target == "reform" or (node.level and not node.module):
        # ``from reform import core`` names subpackages: each one is an import.
        return [f"{target}.{alias.name}" for alias in node.names]
    return [target]


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_is_in_a_layer_or_at_the_top():
    strays = [m for m in MODULES
              if layer_of(module_name(m)) == TOP and m.parent != PACKAGE]
    assert strays == []
    top = sorted(m.name for m in MODULES if m.parent == PACKAGE)
    assert top == ["__init__.py", "__main__.py", "cli.py"]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_imports_go_down_the_layers_only(path: Path):
    own = layer_of(module_name(path))
    upward = [(line, target) for line, target in imports_of(path)
              if target.startswith("reform.") and layer_of(target) > own]
    assert upward == [], f"{module_name(path)} imports a later layer"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_only_app_imports_streamlit(path: Path):
    name = module_name(path)
    uses = [line for line, target in imports_of(path) if target.split(".")[0] == "streamlit"]
    if not name.startswith("reform.app"):
        assert uses == [], f"{name} imports streamlit"


LAYERED = [m for m in MODULES if layer_of(module_name(m)) < TOP]

DEFERRED = {
    ("reform.app.ui", "reform.store.store"): "issue 10: a restart draws its first page from the "
    "snapshot's Arrow copy (store.state), so SQLAlchemy waits for the first page that opens the store",
    ("reform.app.ui", "reform.store.accounts"): "issue 10: the accounts (SQLAlchemy, argon2) wait "
    "for someone to sign in",
}
"""The reform imports a layered module makes inside a function on purpose, each with its reason:
every other one fails. Each keeps its layer (``test_imports_go_down_the_layers_only`` reads
them too) and the cycle test sees them."""


def hidden_imports(path: Path, source: str | None = None) -> list[tuple[int, str]]:
    """(line, module) of each reform import of ``path`` (or of ``source`` read as if it were
    that module) that is not at the top of the module.

    The top of the module includes a top-level ``if TYPE_CHECKING:`` block: its imports are for
    the hints only, never run, and sit where a reader looks for the imports.
    """
    tree = ast.parse(path.read_text(encoding="utf-8") if source is None else source)
    top_level = {id(node) for node in tree.body}
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            top_level |= {id(inner) for inner in node.body}
    return [(node.lineno, target) for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom | ast.Import) and id(node) not in top_level
            for target in targets(node, path) if target.split(".")[0] == "reform"]


@pytest.mark.parametrize("path", LAYERED, ids=lambda p: module_name(p))
def test_reform_imports_sit_at_the_top_of_the_module(path: Path):
    """An import inside a function hides a cycle; the layers make one unnecessary.

    ``cli.py`` is exempt: it defers the chart and export stack so that ``import`` and ``rank``
    start without loading Plotly and kaleido. Elsewhere, only the ``DEFERRED`` pairs.
    """
    name = module_name(path)
    hidden = [(line, target) for line, target in hidden_imports(path)
              if (name, target) not in DEFERRED]
    assert hidden == [], f"{name} imports reform inside a function"


def test_every_deferred_import_is_still_made():
    """An allowance with no import left behind it goes, so it cannot cover a new one later."""
    made = {(module_name(m), target) for m in LAYERED for _, target in hidden_imports(m)}
    assert set(DEFERRED) <= made


def test_the_checker_sees_a_hidden_import():
    """A reform import in a function is caught, relative or not; one for the hints is not."""
    source = ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .store import Store\n"
              "def f():\n    from . import accounts\n    import reform.core.config\n")
    probe = PACKAGE / "store" / "probe.py"  # named only, to resolve the relative imports
    assert hidden_imports(probe, source) == [(5, "reform.store.accounts"), (6, "reform.core.config")]


def test_the_checker_sees_an_upward_import(tmp_path: Path):
    """The rule itself: an analysis module importing the store is caught."""
    assert layer_of("reform.store.store") > layer_of("reform.analysis.ranking")
    assert layer_of("reform.core.text") < layer_of("reform.ingest.readers")
    assert layer_of("reform.cli") == TOP


def _module_graph() -> dict[str, set[str]]:
    """Which reform modules each reform module imports (``from pkg import mod`` resolved)."""
    names = {module_name(m) for m in MODULES}
    graph: dict[str, set[str]] = {}
    for path in MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        edges: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("reform"):
                for alias in node.names:
                    candidate = f"{node.module}.{alias.name}"
                    edges.add(candidate if candidate in names else node.module)
        graph[module_name(path)] = {e for e in edges if e in names and e != module_name(path)}
    return graph


def test_no_module_imports_itself_through_others():
    """A cycle means two modules are one rule cut in two; the layers leave no need for one."""
    graph, seen, stack, cycles = _module_graph(), set(), [], []

    def visit(node: str) -> None:
        if node in stack:
            cycles.append(stack[stack.index(node):] + [node])
            return
        if node in seen:
            return
        seen.add(node)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if not target.endswith("__init__") and graph.get(target) is not None:
                visit(target)
        stack.pop()

    for module in sorted(graph):
        visit(module)
    assert [c for c in cycles if not all(m.count(".") <= 1 for m in c)] == []
