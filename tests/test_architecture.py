"""The house rules that keep the code readable, checked on the source tree itself.

* no import cycle among toolkit modules (imports at module level and inside functions;
  ``if TYPE_CHECKING:`` blocks are left out, they never run);
* no function or method over 80 lines, no class over 250 lines (no exemptions);
* exactly one module imports pywikibot;
* every ``from toolkit... import`` line in the README's Python examples works;
* ``toolkit --help`` imports none of the heavy libraries.

Each checker is also run on a small made-up package, so these tests can fail.
"""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "toolkit"
MAX_FUNCTION_LINES = 80
MAX_CLASS_LINES = 250
HEAVY = ("pywikibot", "pyld", "jsonschema", "requests", "yaml")


# -- reading the source ------------------------------------------------------------------

def module_files(root: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every ``.py`` file of the package at ``root``."""
    mods = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods[".".join(parts)] = path
    return mods


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def runtime_imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement that can run: module level, in functions and classes, but
    not inside ``if TYPE_CHECKING:`` (its ``else:`` branch does run)."""
    if isinstance(tree, ast.If) and _is_type_checking(tree.test):
        children: list[ast.AST] = list(tree.orelse)
    else:
        children = list(ast.iter_child_nodes(tree))
    for child in children:
        if isinstance(child, (ast.Import, ast.ImportFrom)):
            yield child
        else:
            yield from runtime_imports(child)


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the package modules it imports, with grimp's semantics:
    ``from pkg import sub`` is an edge to ``pkg.sub`` when that is a module, else to
    ``pkg``; ``import a.b.c`` is an edge to the nearest enclosing module that exists."""
    mods = module_files(root)
    edges: dict[str, set[str]] = {m: set() for m in mods}
    for name, path in mods.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(parts + ([base] if base else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in mods else base
                           for a in node.names]
            for target in targets:
                while target and target not in mods:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    edges[name].add(target)
    return edges


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as ``[a, b, ..., a]``, or None (depth-first search, sorted order)."""
    state: dict[str, int] = {}  # 1 on the current path, 2 finished
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(edges):
        if start not in state and (found := visit(start)):
            return found
    return None


def long_units(path: Path) -> list[str]:
    """``file:line kind name (N lines)`` for each function over 80 / class over 250 lines."""
    out = []
    shown = path.relative_to(REPO) if path.is_relative_to(REPO) else path
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            limit = MAX_CLASS_LINES if isinstance(node, ast.ClassDef) else MAX_FUNCTION_LINES
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > limit:
                kind = "class" if isinstance(node, ast.ClassDef) else "def"
                out.append(f"{shown}:{node.lineno} {kind} {node.name} ({length} lines, "
                           f"limit {limit})")
    return out


def modules_importing(root: Path, library: str) -> set[str]:
    """The package modules with any import (even under TYPE_CHECKING) of ``library``."""
    found = set()
    for name, path in module_files(root).items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                     else [])
            if any(n == library or n.startswith(library + ".") for n in names):
                found.add(name)
    return found


def readme_imports(text: str) -> list[tuple[str, str]]:
    """(module, name) for every ``from toolkit... import`` in the README's Python blocks."""
    pairs = []
    for block in re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M):
        for node in ast.walk(ast.parse(block)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == \
                    "toolkit":
                pairs += [(str(node.module), alias.name) for alias in node.names]
    return pairs


# -- the checkers can fail: a made-up package --------------------------------------------

def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / "pkg" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "pkg"


def test_the_cycle_finder_finds_a_cycle_through_a_function_level_import(tmp_path):
    pkg = _write(tmp_path, {
        "__init__.py": "",
        "a.py": "from pkg import b\n",
        "b.py": "def f():\n    from pkg.c import x\n",
        "c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import b\n"
                "from pkg import a\nx = 1\n",
        "d.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import e\n",
        "e.py": "from pkg import d\n",
    })
    edges = import_graph(pkg)
    assert edges["pkg.a"] == {"pkg.b"}
    assert edges["pkg.c"] == {"pkg.a"}  # the TYPE_CHECKING import is no edge
    assert "pkg.e" not in edges["pkg.d"]
    assert find_cycle(edges) == ["pkg.a", "pkg.b", "pkg.c", "pkg.a"]
    del edges["pkg.b"]
    assert find_cycle(edges) is None


def test_from_package_import_name_is_an_edge_to_the_package(tmp_path):
    pkg = _write(tmp_path, {"__init__.py": "from pkg.a import f\n",
                            "a.py": "def f():\n    pass\n",
                            "b.py": "from pkg import f\nfrom . import a\n"})
    edges = import_graph(pkg)
    assert edges["pkg.b"] == {"pkg", "pkg.a"}
    assert edges["pkg"] == {"pkg.a"}


def test_the_length_check_finds_long_functions_and_classes(tmp_path):
    body = "".join(f"    x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES))
    methods = "".join(f"    def m{i}(self):\n" + "".join(f"        y = {j}\n" for j in range(40))
                      for i in range(7))
    path = tmp_path / "m.py"
    path.write_text(f"def short():\n    pass\n\ndef long():\n{body}\n\nclass Big:\n{methods}",
                    encoding="utf-8")
    found = long_units(path)
    assert [f.split(" (")[0].rsplit(" ", 2)[1:] for f in found] == [["def", "long"],
                                                                    ["class", "Big"]]


def test_readme_imports_are_read_from_python_blocks_only():
    text = ("```sh\nfrom toolkit.x import no\n```\n```python\nimport json\n"
            "from toolkit.mapping import (load_mapping,\n    Mapping)\n```\n")
    assert readme_imports(text) == [("toolkit.mapping", "load_mapping"),
                                    ("toolkit.mapping", "Mapping")]


# -- the rules, on the toolkit -----------------------------------------------------------

def test_no_import_cycle_among_toolkit_modules():
    edges = import_graph(PACKAGE)
    assert len(edges) > 40 and edges["toolkit.cli"], "the import graph was not read"
    cycle = find_cycle(edges)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


@pytest.mark.parametrize("path", sorted(module_files(PACKAGE).values()),
                         ids=lambda p: str(p.relative_to(REPO)))
def test_no_long_functions_or_classes(path):
    found = long_units(path)
    assert not found, "split these units:\n  " + "\n  ".join(found)


def test_exactly_one_module_imports_pywikibot():
    assert modules_importing(PACKAGE, "pywikibot") == {"toolkit.edits.pywikibot_session"}


def test_every_import_the_readme_shows_works():
    pairs = readme_imports((REPO / "README.md").read_text(encoding="utf-8"))
    assert len(pairs) >= 20, f"the README's Library API section is missing: {pairs}"
    missing = []
    for module, name in pairs:
        imported = importlib.import_module(module)
        if not hasattr(imported, name):
            missing.append(f"from {module} import {name}")
        elif module.count(".") == 1 and name not in getattr(imported, "__all__", ()):
            missing.append(f"{name} is shown from {module} but not in its __all__")
    assert not missing, "\n".join(missing)


def test_help_imports_no_heavy_library():
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "toolkit", "--help"],
                          capture_output=True, text=True, cwd=REPO, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Usage" in done.stdout
    imported = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines()
                if line.startswith("import time:") and line.count("|") == 2}
    assert "toolkit.cli" in imported, "no -X importtime output was read"
    heavy = sorted(m for m in imported if m.split(".")[0] in HEAVY)
    assert not heavy, f"toolkit --help imports {heavy}"


def test_the_readme_table_of_paths_matches_the_tree():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    table = text.split("## What is here", 1)[1].split("\n## ", 1)[0]
    paths = re.findall(r"^\| `([^`]+)` \|", table, flags=re.M)
    assert len(paths) >= 10, "the 'What is here' table was not found"
    missing = [p for p in paths if not (REPO / p.replace("NAME/", "")).exists()]
    assert not missing, f"the README names paths that do not exist: {missing}"
    listed = {p.rstrip("/") for p in paths}
    packages = sorted(f"toolkit/{d.name}" for d in PACKAGE.iterdir()
                      if (d / "__init__.py").exists())
    assert [p for p in packages if p not in listed] == [], "packages missing from the table"


def test_the_wire_types_match_the_proposal_schema():
    """The TypedDicts of toolkit.edits.wire name exactly the keys the schema allows, and
    require exactly the keys it requires."""
    import json

    from toolkit.edits import wire

    schema = json.loads((REPO / "schemas" / "proposal.schema.json").read_text("utf-8"))
    defs = schema["$defs"]
    run = schema["properties"]["run"]
    pairs = [(wire.ProposalDoc, schema), (wire.RunDoc, run),
             (wire.SiteDoc, run["properties"]["site"]), (wire.GroupDoc, defs["group"]),
             (wire.RationaleDoc, defs["rationale"]), (wire.OperationDoc, defs["operation"]),
             (wire.ReviewDoc, defs["operation"]["properties"]["review"]),
             (wire.FindingDoc, defs["finding"]), (wire.ConflictDoc, defs["conflict"]),
             (wire.EditDoc, defs["edit"])]
    wrong = []
    for typed, part in pairs:
        keys = typed.__required_keys__ | typed.__optional_keys__
        required = set(part.get("required", ()))  # (an edit's oneOf id/new: not typed)
        if keys != set(part["properties"]) or set(typed.__required_keys__) != required:
            wrong.append(f"{typed.__name__}: keys {sorted(keys)} required "
                         f"{sorted(typed.__required_keys__)}; schema {sorted(part['properties'])}"
                         f" required {sorted(required)}")
    assert not wrong, "\n".join(wrong)
