"""QuickStatements export, checked with a small parser that follows QuickStatements' own
V1 and CSV readers (QuickStatements' PHP importer and its Python successor's
``core/parsers/v1.py``/``csv.py``): the export must parse, and parse back to the proposal's
operations."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.proposal_fixtures import article_csl, entity, fixture_item, mapping, source
from toolkit.cli.app import app
from toolkit.edits.proposal import ProposeSettings, build_proposal, save_proposal
from toolkit.edits.quickstatements import export_quickstatements
from toolkit.edits.values import same_value, snak, string_value

CREATED = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.timezone.utc)


# ---- a V1 reader following QuickStatements' parsing rules -----------------------------

class ParseError(Exception):
    pass


def parse_value(v: str) -> dict[str, Any]:
    v = v.strip()
    if v in ("somevalue", "novalue"):
        return {"type": v}
    if v == "LAST" or re.match(r"^[QM]\d+$", v):
        return {"type": "wikibase-entityid", "value": {"id": v.upper()}}
    m = re.match(r'^([a-z_-]+):"(.*)"$', v)
    if m:
        return {"type": "monolingualtext",
                "value": {"language": m.group(1), "text": m.group(2).strip()}}
    m = re.match(r'^"(.*)"$', v)
    if m:
        return {"type": "string", "value": m.group(1).strip()}
    m = re.match(r"^([+-]?)(\d+)-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z/?(\d*)(/J)?$", v)
    if m:
        return {"type": "time", "value": {
            "time": re.sub(r"(/\d+)?(/J)?$", "", v), "precision": int(m.group(8) or 9),
            "calendarmodel": "http://www.wikidata.org/entity/Q1985786" if m.group(9)
            else "http://www.wikidata.org/entity/Q1985727"}}
    m = re.match(r"^([+-]?\d+(\.\d+)?)(U(\d+))?$", v)
    if m:
        return {"type": "quantity", "value": {"amount": m.group(1),
                                              "unit": f"Q{m.group(4)}" if m.group(4) else "1"}}
    raise ParseError(f"unknown V1 value format: {v!r}")


def parse_v1(text: str) -> list[dict[str, Any]]:
    """Commands as QuickStatements reads them; raises ParseError where it would fail."""
    text = text.replace("||", "\n").replace("|", "\t")
    commands: list[dict[str, Any]] = []
    created = False
    for raw in text.split("\n"):
        if not raw.strip():
            continue
        summary = None
        m = re.search(r"^(.*?)\s*/\*\s*(.*?)\s*\*/\s*$", raw)
        if m:
            raw, summary = m.group(1), m.group(2)
        cols = raw.split("\t")
        first = cols[0].upper().strip()
        if first == "CREATE":
            if len(cols) != 1:
                raise ParseError("CREATE command can have only 1 column")
            commands.append({"action": "create", "summary": summary})
            created = True
            continue
        if len(cols) < 3:
            raise ParseError(f"a statement needs entity, property and value: {raw!r}")
        if first == "LAST" and not created:
            raise ParseError("LAST before any CREATE")
        if not (first == "LAST" or re.match(r"^Q\d+$", first)):
            raise ParseError(f"invalid entity {first!r}")
        if len(cols) == 3 and re.match(r"^[LAD][a-z_-]+$", cols[1]):
            value = parse_value(cols[2])
            if value["type"] != "string":
                raise ParseError("a term must be a quoted string")
            commands.append({"action": "term", "what": cols[1][0], "language": cols[1][1:],
                             "item": first, "value": value["value"], "summary": summary})
            continue
        if not re.match(r"^P\d+$", cols[1]):
            raise ParseError(f"invalid property {cols[1]!r}")
        cmd: dict[str, Any] = {"action": "statement", "item": first, "property": cols[1],
                               "value": parse_value(cols[2]), "qualifiers": [],
                               "references": [], "summary": summary}
        rest = cols[3:]
        if len(rest) % 2:
            raise ParseError("incomplete reference/qualifier list")
        block: list[tuple[str, dict[str, Any]]] | None = None
        for key, val in zip(rest[::2], rest[1::2], strict=True):
            key = key.strip()
            if re.match(r"^P\d+$", key):
                cmd["qualifiers"].append((key, parse_value(val)))
            elif re.match(r"^!?S\d+$", key):
                if key.startswith("!") or block is None:
                    block = []
                    cmd["references"].append(block)
                block.append(("P" + key.lstrip("!")[1:], parse_value(val)))
            else:
                raise ParseError(f"invalid qualifier/source key {key!r}")
        commands.append(cmd)
    return commands


def parse_csv(text: str) -> list[dict[str, Any]]:
    """QuickStatements' CSV reader: header ``qid`` first; empty qid creates; empty cells
    are skipped; ``qalNN`` qualifies, ``SNN`` starts and ``sNN`` continues a reference."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, commands = rows[0], []
    assert header[0] == "qid"
    # as QuickStatements checks the header: a summary column needs a command before it
    first = next((i for i, h in enumerate(header[1:]) if re.match(r"^([PLAD])", h)), None)
    assert "#" not in header[1:] or (first is not None and header.index("#") - 1 > first)
    for row in rows[1:]:
        item = row[0] or "LAST"
        if not row[0]:
            commands.append({"action": "create"})
        current: dict[str, Any] | None = None
        for head, cell in zip(header[1:], row[1:], strict=True):
            cell = cell.strip()
            if not cell:
                continue
            if head.startswith("qal"):
                assert current is not None
                current["qualifiers"].append(("P" + head[3:], parse_value(cell)))
            elif re.match(r"^S\d+$", head):
                assert current is not None
                current["references"].append([("P" + head[1:], parse_value(cell))])
            elif re.match(r"^s\d+$", head):
                assert current is not None and current["references"]
                current["references"][-1].append(("P" + head[1:], parse_value(cell)))
            elif head == "#":
                assert commands, "a summary needs a command before it"
                commands[-1]["summary"] = cell
            elif head[0] in "LAD":
                commands.append({"action": "term", "what": head[0], "language": head[1:],
                                 "item": item, "value": cell})
            else:
                assert re.match(r"^P\d+$", head), head
                current = {"action": "statement", "item": item, "property": head,
                           "value": parse_value(cell), "qualifiers": [], "references": []}
                commands.append(current)
    return commands


# ---- helpers ----------------------------------------------------------------------------

def same(parsed: dict[str, Any], wire: dict[str, Any], own: str | None) -> bool:
    """A parsed value equals a wire datavalue (LAST stands for the group's own item)."""
    if parsed["type"] == "wikibase-entityid":
        want = wire["value"].get("id")
        return parsed["value"]["id"] == ("LAST" if want == own else want)
    if parsed["type"] == "quantity":
        return parsed["value"]["amount"] == wire["value"]["amount"]
    return same_value({"snaktype": "value", "datavalue": parsed},
                      {"snaktype": "value", "datavalue": wire}) and (
        parsed["type"] != "string" or parsed["value"] == wire["value"])


def check_statement(cmd: dict[str, Any], op: dict[str, Any], own: str | None,
                    refs: list[dict[str, Any]]) -> None:
    data = op["data"]
    assert cmd["property"] == data["mainsnak"]["property"]
    assert same(cmd["value"], data["mainsnak"]["datavalue"], own)
    quals = [q for qs in (data.get("qualifiers") or {}).values() for q in qs] \
        if op["kind"] == "add_claim" else []
    assert [p for p, _ in cmd["qualifiers"]] == [q["property"] for q in quals]
    assert all(same(v, q["datavalue"], own) for (_, v), q in
               zip(cmd["qualifiers"], quals, strict=True))
    assert len(cmd["references"]) == len(refs)
    for block, ref in zip(cmd["references"], refs, strict=True):
        snaks = [s for group in ref["snaks"].values() for s in group]
        assert [p for p, _ in block] == [s["property"] for s in snaks]
        assert all(same(v, s["datavalue"], own) for (_, v), s in
                   zip(block, snaks, strict=True))


def proposal_for(m, entities=None):
    class Reader:
        def get_entities(self, ids):
            return {i: copy.deepcopy((entities or {}).get(i)) for i in ids}

        def find_by_statement(self, pid, value):
            return []

    return build_proposal(m, ProposeSettings(offline=entities is None, created=CREATED),
                          Reader())


def approve(op):
    op["review"] = {"state": "approved", "reviewer": "fixture", "hash": op["hash"]}


# ---- tests ------------------------------------------------------------------------------

def test_v1_export_parses_back_to_the_operations():
    ents = [entity("org", qid="Q103", names={"ar": ["يوروبول", "اليوروبول"]})]
    csl = article_csl(title='A "quoted" title', issued={"date-parts": [[2020, 2, 5]]},
                      **{"number-of-pages": "16"})
    proposal = proposal_for(mapping(entities=ents, sources=[source("w", csl)]))
    result = export_quickstatements(proposal)
    assert result.problems == []
    commands = parse_v1(result.text)
    assert len(commands) == result.commands
    ops = [(g, o) for g in proposal["entities"] for o in g["operations"]]
    assert len(commands) == len(ops)
    for cmd, (g, o) in zip(commands, ops, strict=True):
        assert cmd["summary"] and proposal["run"]["batch_id"] in cmd["summary"]
        if o["kind"] == "create_item":
            assert cmd["action"] == "create"
        elif o["kind"].startswith("add_") and "language" in o:
            assert (cmd["what"], cmd["language"], cmd["value"]) == (
                {"add_label": "L", "add_description": "D", "add_alias": "A"}[o["kind"]],
                o["language"], o["data"]["value"])
            assert cmd["item"] == (g["id"] or "LAST")
        else:
            assert cmd["item"] == (g["id"] or "LAST")
            check_statement(cmd, o, g["placeholder"], o["data"]["references"])
    text = result.text
    assert "\tP577\t+2020-02-05T00:00:00Z/11\t" in text
    assert '\tP1476\ten:"A "quoted" title"\t' in text
    assert "\tS143\tQ199700\tS4656\t" in text  # one block: S-pairs in a row, no !S


def test_year_precision_and_language_tagged_title():
    proposal = proposal_for(mapping(sources=[source("w", article_csl())]))
    text = export_quickstatements(proposal).text
    assert "LAST\tP577\t+2018-00-00T00:00:00Z/9\t" in text
    assert 'LAST\tP1476\ten:"Fixture article on testing"' in text
    assert 'LAST\tP356\t"10.5555/ABC.DEF"' in text
    assert 'LAST\tP2093\t"Ann Alpha"\tP1545\t"1"\tS143' in text


def test_add_reference_exports_main_value_and_only_the_new_block():
    older = {"snaks": {"P854": [snak("P854", "url", string_value("https://example.org/x"))]}}
    current = fixture_item("Q100", {"P478": [{
        "mainsnak": snak("P478", "string", string_value("54")), "type": "statement",
        "rank": "normal", "id": "Q100$vol", "references": [older]}]})
    m = mapping(sources=[source("w", article_csl(), status="confirmed", qid="Q100")])
    proposal = proposal_for(m, {"Q100": current})
    g = proposal["entities"][0]
    ref_op = next(o for o in g["operations"] if o["kind"] == "add_reference")
    commands = parse_v1(export_quickstatements(proposal).text)
    (cmd,) = [c for c in commands if c.get("property") == "P478"]
    assert cmd["item"] == "Q100"
    check_statement(cmd, ref_op, None, ref_op["data"]["references"][1:])


def test_second_reference_block_starts_with_bang_s():
    proposal = proposal_for(mapping(sources=[source("w", article_csl())]))
    g = proposal["entities"][0]
    claim = next(o for o in g["operations"] if o.get("property") == "P31")
    extra = {"snaks": {"P854": [snak("P854", "url", string_value("https://example.org/y"))]},
             "snaks-order": ["P854"]}
    claim["data"]["references"].append(extra)
    text = export_quickstatements(proposal).text
    line = next(x for x in text.splitlines() if "\tP31\t" in x)
    assert '\t!S854\t"https://example.org/y"' in line
    (cmd,) = [c for c in parse_v1(text) if c.get("property") == "P31"]
    assert len(cmd["references"]) == 2


def test_cross_item_placeholder_reported_not_written():
    ents = [entity("book", kind="book", status="create", names={"en": ["Fixture Book"]})]
    csl = {"type": "chapter", "title": "Fixture chapter", "language": "en",
           "issued": {"date-parts": [[2010]]}}
    proposal = proposal_for(mapping(entities=ents, sources=[
        source("ch", csl, links={"container": "book"})]))
    result = export_quickstatements(proposal)
    assert "NEW-" not in result.text
    assert "P1433" not in result.text
    assert any("NEW-book" in p and "P1433" in p for p in result.problems)
    parse_v1(result.text)


@pytest.mark.parametrize("bad", ["pipe | inside", "tab\tinside", "a /* b", "line\nbreak"])
def test_text_v1_cannot_carry_is_reported(bad):
    proposal = proposal_for(mapping(sources=[source("w", article_csl(title=bad))]))
    result = export_quickstatements(proposal)
    assert any("P1476" in p for p in result.problems)
    assert bad.strip() not in result.text
    parse_v1(result.text)


def test_approved_only_honours_the_hash():
    ents = [entity("org", qid="Q103", names={"ar": ["يوروبول", "اليوروبول"]})]
    proposal = proposal_for(mapping(entities=ents, sources=[source("w", article_csl())]))
    org, work = proposal["entities"]
    approve(org["operations"][0])                      # label: approved
    org["operations"][1]["review"] = {"state": "approved", "hash": "sha256:" + "0" * 64}
    for op in work["operations"][1:]:                  # creation itself not approved
        approve(op)
    result = export_quickstatements(proposal, approved_only=True)
    commands = parse_v1(result.text)
    assert [(c["what"], c["value"]) for c in commands] == [("L", "يوروبول")]
    assert any("source:w" in p and "not approved" in p for p in result.problems)
    approve(work["operations"][0])
    commands = parse_v1(export_quickstatements(proposal, approved_only=True).text)
    assert sum(c["action"] == "create" for c in commands) == 1
    assert len(commands) == 1 + len(work["operations"])


def test_csv_export_parses_back():
    ents = [entity("org", qid="Q103", names={"ar": ["يوروبول", "اليوروبول"]})]
    proposal = proposal_for(mapping(entities=ents, sources=[
        source("w", article_csl()), source("v", article_csl(title="Second fixture"))]))
    result = export_quickstatements(proposal, as_csv=True)
    assert result.problems == []
    commands = parse_csv(result.text)
    assert len(commands) == result.commands
    ops = [(g, o) for g in proposal["entities"] for o in g["operations"]]
    assert len(commands) == len(ops)
    statements = [c for c in commands if c["action"] == "statement"]
    claim_ops = [(g, o) for g, o in ops if o["kind"] == "add_claim"]
    for cmd, (g, o) in zip(statements, claim_ops, strict=True):
        check_statement(cmd, o, g["placeholder"], o["data"]["references"])
    terms = [c for c in commands if c["action"] == "term"]
    assert ("L", "ar", "Q103", "يوروبول") in [(c["what"], c["language"], c["item"],
                                                c["value"]) for c in terms]
    # every command carries the edit summary naming the batch (the '#' column)
    edits = [c for c in commands if c["action"] != "create"]
    assert edits and all(proposal["run"]["batch_id"] in c.get("summary", "") for c in edits)


def test_v1_summary_with_a_pipe_is_left_out():
    """QuickStatements reads '|' as a column separator, so such a summary would break the
    line: the commands go out without it."""
    proposal = proposal_for(mapping(sources=[source("w", article_csl())]))
    for group in proposal["entities"]:
        group["summary"] = "from [[a|b]]"
    result = export_quickstatements(proposal)
    assert "|" not in result.text and "/*" not in result.text
    assert len(parse_v1(result.text)) == result.commands


def test_cli_export_writes_file(tmp_path: Path):
    proposal = proposal_for(mapping(sources=[source("w", article_csl())]))
    path = save_proposal(tmp_path / "p.json", proposal)
    out = tmp_path / "p.qs"
    result = CliRunner().invoke(app, ["export", "quickstatements", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert parse_v1(out.read_text(encoding="utf-8"))
    result = CliRunner().invoke(app, ["export", "quickstatements", str(path), "--csv"])
    assert result.exit_code == 0
    assert result.stdout.startswith("qid,")


def test_parser_rejects_what_quickstatements_rejects():
    for bad in ["LAST\tP31\tQ5", "Q1\tP31", "Q1\tP31\tQ5\tS143", "Q1\tP31\tnot quoted",
                "CREATE\tQ1"]:
        with pytest.raises(ParseError):
            parse_v1(bad)


def test_cli_output_into_a_directory_is_a_clear_error(tmp_path: Path, capsys):
    """An output path that cannot be written is reported in one line (exit 1), with no
    traceback and no stray temporary file."""
    from toolkit.cli import main

    proposal = build_proposal(mapping(sources=[source("w", article_csl())]),
                              ProposeSettings(created=CREATED))
    path = save_proposal(tmp_path / "p.json", proposal)
    target = tmp_path / "out"
    target.mkdir()
    with pytest.raises(SystemExit) as exited:
        main(["export", "quickstatements", str(path), "-o", str(target)])
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "toolkit: error:" in err and str(target) in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "p.json"]


def test_operations_with_a_critical_finding_are_never_exported():
    """QuickStatements is another road to the wiki: what review may not approve is not
    exported either, approved-only or not."""
    ents = [entity("org", qid="Q103", names={"ar": ["يوروبول", "اليوروبول"]})]
    proposal = proposal_for(mapping(entities=ents, sources=[source("w", article_csl())]))
    org, work = proposal["entities"]
    label_op = org["operations"][0]
    org["findings"].append({"severity": "CRITICAL", "code": "fixture-critical",
                            "message": "fixture", "operation": label_op["id"]})
    work["findings"].append({"severity": "CRITICAL", "code": "fixture-critical",
                             "message": "fixture, whole group", "operation": None})
    for as_csv in (False, True):
        result = export_quickstatements(proposal, as_csv=as_csv)
        commands = parse_csv(result.text) if as_csv else parse_v1(result.text)
        assert [c.get("what") for c in commands] == ["A"]
        assert any(label_op["id"] in p and "CRITICAL" in p for p in result.problems)
        assert any("source:w" in p and "CRITICAL" in p for p in result.problems)
