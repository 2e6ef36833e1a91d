"""YAML with positions: parse a mapping file keeping the line and column of every node.

Only plain scalars, sequences and mappings are accepted (no anchors, aliases, merge keys or
tags), so hostile YAML gets a located problem, never a traceback.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from toolkit.errors import InputError, Problem
from toolkit.files import decode_utf8
from toolkit.mapping.model import Location

# libyaml's parser keeps node marks too and is ~10x faster than the pure-Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALAR_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null")}
# Mapping files are a few levels deep; a limit keeps hostile nesting from exhausting
# Python's recursion limit.
MAX_DEPTH = 50

Pointer = tuple[str | int, ...]


@dataclass
class LocatedDoc:
    """A parsed YAML document and the position of every node, by path."""

    file: str
    data: Any
    positions: dict[Pointer, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Pointer) -> tuple[int, int]:
        """The (line, col) of the node at ``path`` or of its nearest ancestor."""
        probe = tuple(path)
        while probe not in self.positions and probe:
            probe = probe[:-1]
        return self.positions.get(probe, (1, 1))

    def problem(self, path: Pointer, message: str, rule: str) -> Problem:
        line, col = self.where(path)
        pointer = "/" + "/".join(str(p) for p in path) if path else ""
        return Problem(self.file, line, col, message, rule, pointer)

    def location(self, path: Pointer) -> Location:
        line, col = self.where(path)
        return Location(self.file, line, col)


def display_path(path: Path) -> str:
    """A path as users see it: relative to the working directory when it is below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def parse_yaml(path: Path, problems: list[Problem]) -> LocatedDoc | None:
    """Parse one YAML file keeping node positions; record syntax problems."""
    name = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(name, 1, 1, f"cannot read file: {exc.strerror}", "file"))
        return None
    try:
        text = decode_utf8(raw, name)
    except InputError as exc:
        problems.append(exc.problem)
        return None
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        problems.append(Problem(name, line, col, f"YAML syntax error: {message}", "yaml"))
        return None
    except yaml.YAMLError as exc:
        problems.append(Problem(name, 1, 1, f"YAML error: {exc}", "yaml"))
        return None
    doc = LocatedDoc(name, None)
    if node is None:
        problems.append(Problem(name, 1, 1, "file is empty", "yaml"))
        return None
    doc.data = _construct(node, (), doc, problems, set())
    return doc


def _construct(node: yaml.Node, path: Pointer, doc: LocatedDoc, problems: list[Problem],
               seen: set[int]) -> Any:
    if id(node) in seen:
        # The composer hands an alias back as the anchored node itself (whose marks are the
        # anchor's), so it is reported where its parent starts. Expanding aliases would let
        # a few lines grow into billions of nodes ("billion laughs").
        problem = doc.problem(path[:-1], "YAML aliases (*name) are not supported; write "
                              "the value out", "yaml")
        if problem not in problems:
            problems.append(problem)
        return None
    seen.add(id(node))
    doc.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if len(path) > MAX_DEPTH:
        problems.append(doc.problem(path, f"nested deeper than {MAX_DEPTH} levels", "yaml"))
        return None
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(doc.problem(path, "mapping keys must be plain strings", "yaml"))
                continue
            key = key_node.value
            if key == "<<":
                problems.append(doc.problem(path, "YAML merge keys are not supported", "yaml"))
                continue
            if key in out:
                line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
                problems.append(Problem(doc.file, line, col, f"duplicate key {key!r}",
                                        "duplicate-key"))
            out[key] = _construct(value_node, (*path, key), doc, problems, seen)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, (*path, i), doc, problems, seen)
                for i, item in enumerate(node.value)]
    # Scalars: only the plain JSON-like types; dates stay the text written, because
    # mapping dates are ISO strings checked by our own rules.
    if node.tag == "tag:yaml.org,2002:timestamp":
        return node.value
    if node.tag not in _SCALAR_TAGS:
        problems.append(doc.problem(path, f"unsupported YAML tag {node.tag!r}", "yaml"))
        return None
    try:
        value = yaml.SafeLoader(" ").construct_object(node)
    except (yaml.YAMLError, ValueError) as exc:
        # ValueError: an integer of more than 4300 digits (Python's conversion limit)
        problems.append(doc.problem(path, f"bad YAML value: {exc}", "yaml"))
        return None
    if isinstance(value, float) and not math.isfinite(value):
        problems.append(doc.problem(path, f"{node.value!r} is not a finite number", "yaml"))
        return None
    return value
