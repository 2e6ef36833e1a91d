"""Edit a mapping file's YAML text in place: comments, alignment and key order stay.

The commands that update a mapping someone has been editing by hand (``toolkit reconcile``,
``toolkit refresh``) never dump the whole document again: they find the node to change with
``yaml.compose`` (which keeps positions) and splice new text into the old, line by line
for blocks, character by character for a scalar.
"""

from __future__ import annotations

from typing import Any

import yaml


def sequence(text: str, list_key: str) -> yaml.SequenceNode:
    """The top-level sequence under ``list_key`` (``sources``, ``entities``)."""
    root = yaml.compose(text)
    assert isinstance(root, yaml.MappingNode)
    node = next(v for k, v in root.value if k.value == list_key)
    assert isinstance(node, yaml.SequenceNode)
    return node


def top_level(text: str, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    """(key node, value node) of a top-level key, None when absent."""
    root = yaml.compose(text)
    assert isinstance(root, yaml.MappingNode)
    return next(((k, v) for k, v in root.value if k.value == key), None)


def child(mapping: yaml.Node, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    """(key node, value node) of ``key`` in a mapping node, None when absent."""
    if not isinstance(mapping, yaml.MappingNode):
        return None
    return next(((k, v) for k, v in mapping.value if k.value == key), None)


def block_span(text: str, key: yaml.Node) -> tuple[int, int, int]:
    """(first line, end line exclusive, indent) of the block-style value at ``key``."""
    lines = text.splitlines()
    start, column = key.start_mark.line, key.start_mark.column
    # A block ends before the first later line indented no deeper than its key; the
    # items of a sequence written at the key's own indent ("citations:\n- line: 3")
    # belong to it.
    end = start + 1
    while end < len(lines):
        line = lines[end]
        indent = len(line) - len(line.lstrip())
        stripped = line.lstrip()
        if line.strip() and not stripped.startswith("#") and indent <= column and not (
                indent == column and (stripped.startswith("- ") or stripped == "-")):
            break
        end += 1
    # Comments and blank lines after the block belong to what follows.
    while end - 1 > start and (not lines[end - 1].strip()
                               or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return start, end, column


def replace_lines(text: str, start: int, end: int, new_lines: list[str]) -> str:
    """``text`` with lines ``start:end`` replaced (each new line ends with a newline)."""
    lines = text.splitlines(keepends=True)
    return "".join(lines[:start] + new_lines + lines[end:])


def inline(value: Any) -> str:
    """A YAML scalar or flow collection for ``value``, on one line."""
    dumped = yaml.safe_dump([value], allow_unicode=True, width=1 << 20,
                            default_flow_style=True).strip()
    return dumped[1:-1]


def replace_scalar(text: str, node: yaml.Node, value: Any) -> str:
    """``text`` with the scalar (or flow) ``node`` replaced by ``value``, in place."""
    return text[:node.start_mark.index] + inline(value) + text[node.end_mark.index:]


def item_span(text: str, seq: yaml.SequenceNode, index: int) -> tuple[int, int]:
    """(first line, end line exclusive) of item ``index`` of a block sequence."""
    start = seq.value[index].start_mark.line
    if index + 1 < len(seq.value):
        end = seq.value[index + 1].start_mark.line
    else:
        end = len(text.splitlines())
    lines = text.splitlines()
    while end - 1 > start and (not lines[end - 1].strip()
                               or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return start, end
