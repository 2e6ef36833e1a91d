"""toolkit.mapping.yaml_edit: in-place edits keep everything they do not touch."""

from __future__ import annotations

import yaml

from toolkit.mapping import yaml_edit

TEXT = """\
# header comment
sources:
- id: a  # why a
  csl:
    title: Old title   # aligned comment
    volume: '5'
  citations:
  - line: 1
    text: one
  - line: 2
    text: two
  # a comment before the next key
  alignment:
    status: unaligned
# about b
- id: b
  csl: {title: B}
  citations:
  - line: 3
    text: three
"""


def test_block_span_takes_a_sequence_written_at_the_key_indent() -> None:
    item = yaml_edit.sequence(TEXT, "sources").value[0]
    found = yaml_edit.child(item, "citations")
    assert found is not None
    start, end, indent = yaml_edit.block_span(TEXT, found[0])
    lines = TEXT.splitlines()
    assert indent == 2 and lines[start] == "  citations:" and lines[end - 1] == "    text: two"


def test_replace_scalar_keeps_comments_and_alignment_of_the_line() -> None:
    item = yaml_edit.sequence(TEXT, "sources").value[0]
    csl = yaml_edit.child(item, "csl")
    assert csl is not None
    title = yaml_edit.child(csl[1], "title")
    assert title is not None
    edited = yaml_edit.replace_scalar(TEXT, title[1], "New: title")
    assert "    title: 'New: title'   # aligned comment\n" in edited
    assert edited.replace("'New: title'", "Old title") == TEXT
    assert yaml.safe_load(edited)["sources"][0]["csl"]["title"] == "New: title"


def test_item_span_leaves_the_next_item_its_comment() -> None:
    seq = yaml_edit.sequence(TEXT, "sources")
    start, end = yaml_edit.item_span(TEXT, seq, 0)
    removed = yaml_edit.replace_lines(TEXT, start, end, [])
    assert removed.startswith("# header comment\nsources:\n# about b\n- id: b\n")
    assert [s["id"] for s in yaml.safe_load(removed)["sources"]] == ["b"]
