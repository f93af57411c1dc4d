"""The architecture, enforced: packages import only from the layers below them (or from
themselves), and no module imports one that imports it back, even through others.

Layers, lowest first. Base modules import nothing of Workshop Kit but other base modules; `kit`
(what a participant gets: kits, zips, check.py) knows no Markdown; `extensions` are portable
Markdown extensions; `blocks` reads and runs pages' code; `checks` judges pages; the entry points
wire them (the MkDocs plugin, the CLI, the pytest plugin). A lazy import inside a function counts
like any other.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "src" / "workshop_kit"
LAYERS = {
    "errors": 0, "paths": 1, "site_config": 0, "front_matter": 1, "notebook_meta": 0, "linkcheck": 1,
    "kit": 2,
    "extensions": 3,
    "blocks": 4,
    "checks": 5, "example_project": 5, "room": 5,
    "scaffold": 6,
    "mkdocs_plugin": 7, "cli": 8, "pytest_plugin": 8, "__main__": 9,
}


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(name: str, path: Path) -> set[str]:
    """The workshop_kit modules `name` imports (`from . import x` counts x when it is a module)."""
    known = modules()
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            elif node.module and node.module.split(".")[0] == "workshop_kit":
                target = node.module
            else:
                continue
            for alias in node.names:
                found.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in known else target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "workshop_kit")
    return {target for target in found if target in known and target != name}


def top(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


GRAPH = {name: imports(name, path) for name, path in modules().items()}


def test_every_package_has_a_layer():
    assert {top(name) for name in GRAPH} - {"__init__"} <= set(LAYERS)


@pytest.mark.parametrize("name", sorted(GRAPH))
def test_imports_go_down_the_layers(name):
    if top(name) == "__init__":
        return
    upward = sorted(target for target in GRAPH[name]
                    if top(target) != top(name) and LAYERS[top(target)] >= LAYERS[top(name)])
    assert not upward, f"{name} (layer {LAYERS[top(name)]}) imports {upward}: move the shared part below both"


def test_no_module_imports_one_that_imports_it_back():
    cycles = set()
    for start in GRAPH:
        seen, stack = set(), [start]
        while stack:
            for target in GRAPH.get(stack.pop(), ()):
                if target == start:
                    cycles.add(start)
                elif target not in seen:
                    seen.add(target)
                    stack.append(target)
    assert not cycles, f"modules on an import cycle: {sorted(cycles)}"


def test_the_layering_test_sees_a_cycle_and_an_upward_import(tmp_path, monkeypatch):
    """The checks above can fail: a graph with an upward import and a cycle is caught."""
    graph = {"workshop_kit.kit.a": {"workshop_kit.blocks.b"}, "workshop_kit.blocks.b": {"workshop_kit.kit.a"}}
    monkeypatch.setattr(sys.modules[__name__], "GRAPH", graph)
    with pytest.raises(AssertionError, match="imports"):
        test_imports_go_down_the_layers("workshop_kit.kit.a")
    with pytest.raises(AssertionError, match="cycle"):
        test_no_module_imports_one_that_imports_it_back()
