"""The citations package: its stable namespace, no import cycles, small functions."""

from __future__ import annotations

import ast
from pathlib import Path

import toolkit.citations

PACKAGE = Path(toolkit.citations.__file__).parent


def _imports() -> dict[str, set[str]]:
    """Module name → the modules of this package it imports (from AST, not by importing)."""
    modules = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    graph: dict[str, set[str]] = {}
    for module in modules:
        tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
        found: set[str] = set()
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] if not node.level else [f"toolkit.citations.{node.module}"]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                if name.startswith("toolkit.citations."):
                    found.add(name.split(".")[2])
                elif name == "toolkit.citations" and isinstance(node, ast.ImportFrom):
                    # "from toolkit.citations import extract" names a module, else the namespace
                    found.update(a.name if a.name in modules else "__init__" for a in node.names)
                elif name == "toolkit.citations":
                    found.add("__init__")
        graph[module] = found
    return graph


def test_the_namespace_keeps_its_names() -> None:
    assert sorted(toolkit.citations.__all__) == [
        "Occurrence", "ParsedLine", "Work", "extract_citations", "looks_like_reference",
        "parse_reference", "parse_rendered", "parse_template", "read_article"]
    for name in toolkit.citations.__all__:
        assert callable(getattr(toolkit.citations, name))


def test_no_module_imports_the_package_namespace_or_a_cycle() -> None:
    graph = _imports()
    assert not [m for m, deps in graph.items() if "__init__" in deps]
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, f"import cycle: {' -> '.join((*path, module))}"
        if module in done:
            return
        for dep in sorted(graph.get(module, ())):
            visit(dep, (*path, module))
        done.add(module)

    for module in sorted(graph):
        visit(module, ())


def test_no_function_is_longer_than_80_lines() -> None:
    long = [f"{p.name}:{n.name} ({n.end_lineno - n.lineno + 1} lines)"
            for p in sorted(PACKAGE.glob("*.py"))
            for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
            and (n.end_lineno or n.lineno) - n.lineno + 1 > 80]
    assert not long
