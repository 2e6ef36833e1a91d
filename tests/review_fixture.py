"""A small toolkit-proposal/1 document for review, report, apply and undo tests.

Test fixture, not real Wikidata data: items Q909..Q940 live only on the loopback test
wiki, and every label says it is a fixture. The proposal follows docs/proposal-format
(the contract written by ``toolkit propose``), built by hand so these tests do not depend
on the proposal stage.
"""

from __future__ import annotations

import copy
from typing import Any

from toolkit.edits.proposal import build_edit, operation_hash, operation_target

ENTITY_URI = "http://wikibase.test/entity/"
HOSTILE = "<script>document.title='pwned';alert(1)</script>"
ARABIC_TITLE = "مقالة اختبارية عن الاتجار"  # "a test article about trafficking"


def item(qid: str) -> dict[str, Any]:
    value: dict[str, Any] = {"entity-type": "item", "id": qid}
    if not qid.startswith("NEW-"):
        value["numeric-id"] = int(qid[1:])
    return {"type": "wikibase-entityid", "value": value}


def snak(pid: str, datatype: str, datavalue: dict[str, Any]) -> dict[str, Any]:
    return {"snaktype": "value", "property": pid, "datatype": datatype, "datavalue": datavalue}


def reference(line: int) -> dict[str, Any]:
    """The reference every statement carries: P143 + P4656 + P813 (fixture values)."""
    return {"snaks": {
        "P143": [snak("P143", "wikibase-item", item("Q909"))],
        "P4656": [snak("P4656", "url", {"type": "string",
                                         "value": f"http://wiki.test/fixture?oldid=1#L{line}"})],
        "P813": [snak("P813", "time", {"type": "time", "value": {
            "time": "+2026-01-02T00:00:00Z", "timezone": 0, "before": 0, "after": 0,
            "precision": 11, "calendarmodel": "http://www.wikidata.org/entity/Q1985727"}})],
    }, "snaks-order": ["P143", "P4656", "P813"]}


def claim(pid: str, datatype: str, datavalue: dict[str, Any], line: int = 1) -> dict[str, Any]:
    return {"mainsnak": snak(pid, datatype, datavalue), "type": "statement", "rank": "normal",
            "references": [reference(line)]}


def op_hash(op: dict[str, Any], target: str = "") -> str:
    """The op's hash for the group it is in (``target``: that group's QID/placeholder);
    make_proposal sets the final one once the groups exist."""
    return operation_hash(op, target)


def operation(op_id: str, kind: str, data: dict[str, Any], *, prop: str | None = None,
              language: str | None = None, citation: str = "Fixture citation, 2018.",
              line: int = 1) -> dict[str, Any]:
    op: dict[str, Any] = {"id": op_id, "kind": kind, "data": data,
                          "rationale": {"mapping_file": "mappings/fixture/sources.yaml",
                                        "line": line, "citation": citation,
                                        "reason": "test fixture"},
                          "review": {"state": "pending"}}
    if prop:
        op["property"] = prop
    if language:
        op["language"] = language
    op["hash"] = op_hash(op)
    return op


def rehash(op: dict[str, Any], proposal: dict[str, Any]) -> None:
    """Recompute ``op``'s hash after a test changed it (it lives in ``proposal``)."""
    group = next(g for g in proposal["entities"] if any(o is op for o in g["operations"]))
    op["hash"] = op_hash(op, operation_target(group))


def current_q910() -> dict[str, Any]:
    existing_p31 = claim("P31", "wikibase-item", item("Q13442814"))
    existing_p31["id"] = "Q910$0000-fixture-p31"
    existing_p31["references"] = []
    return {"type": "item", "id": "Q910", "lastrevid": 10,
            "labels": {"en": {"language": "en", "value": "Fixture article"}},
            "descriptions": {}, "aliases": {},
            "claims": {"P31": [existing_p31]}, "sitelinks": {}}


def current_q920() -> dict[str, Any]:
    return {"type": "item", "id": "Q920", "lastrevid": 20,
            "labels": {"en": {"language": "en", "value": HOSTILE}},
            "descriptions": {}, "aliases": {}, "claims": {}, "sitelinks": {}}


def current_q930() -> dict[str, Any]:
    return {"type": "item", "id": "Q930", "lastrevid": 30,
            "labels": {"en": {"language": "en", "value": "Fixture report"}},
            "descriptions": {}, "aliases": {}, "claims": {}, "sitelinks": {}}


def current_q940() -> dict[str, Any]:
    return {"type": "item", "id": "Q940", "lastrevid": 40,
            "labels": {"en": {"language": "en", "value": "Fixture unchanged"}},
            "descriptions": {}, "aliases": {}, "claims": {}, "sitelinks": {}}


def make_proposal() -> dict[str, Any]:
    """Five groups: a clean one, a WARNING one with a hostile label, a new item, a
    CRITICAL one and one with nothing to change."""
    q910 = current_q910()
    with_ref = copy.deepcopy(q910["claims"]["P31"][0])
    with_ref["references"] = [reference(12)]
    g100 = {
        "key": "source:fixture-article", "id": "Q910", "label": "Fixture article",
        "base_revision": 10, "checked": True, "current": q910,
        "operations": [
            operation("op-000000000101", "add_label", {"language": "ar", "value": ARABIC_TITLE},
                      language="ar", citation="«مقالة اختبارية»، 2018.", line=12),
            operation("op-000000000102", "add_claim",
                      claim("P1476", "monolingualtext", {"type": "monolingualtext", "value": {
                          "text": ARABIC_TITLE, "language": "ar"}}, 12),
                      prop="P1476", line=12),
            operation("op-000000000103", "add_reference", with_ref, prop="P31", line=12),
            operation("op-000000000104", "add_claim",
                      claim("P1433", "wikibase-item", item("NEW-fixture-book"), 12),
                      prop="P1433", line=12),
        ],
        "findings": [], "notes": [], "conflicts": [],
    }
    g200 = {
        "key": "entity:fixture-org", "id": "Q920", "label": HOSTILE,
        "base_revision": 20, "checked": True, "current": current_q920(),
        "operations": [
            operation("op-000000000201", "add_alias", {"language": "en", "value": "Fixture Org"},
                      language="en", citation=HOSTILE, line=3),
            operation("op-000000000202", "add_description",
                      {"language": "en", "value": "fixture organization [[x]] {{y}} ~~~~"},
                      language="en", line=3),
        ],
        "findings": [{"severity": "WARNING", "code": "fixture-warning",
                      "message": "a fixture warning " + HOSTILE, "operation": None}],
        "notes": [], "conflicts": [],
    }
    g_new = {
        "key": "source:fixture-book", "id": None, "placeholder": "NEW-fixture-book",
        "label": "Fixture book", "base_revision": None, "checked": True, "current": None,
        "operations": [
            operation("op-000000000301", "create_item", {}),
            operation("op-000000000302", "add_label", {"language": "en", "value": "Fixture book"},
                      language="en"),
            operation("op-000000000303", "add_claim",
                      claim("P31", "wikibase-item", item("Q571"), 20), prop="P31", line=20),
            operation("op-000000000304", "add_claim",
                      claim("P123", "wikibase-item", item("Q920"), 20), prop="P123", line=20),
        ],
        "findings": [], "notes": ["fixture note"], "conflicts": [],
    }
    g300 = {
        "key": "source:fixture-report", "id": "Q930", "label": "Fixture report",
        "base_revision": 30, "checked": True, "current": current_q930(),
        "operations": [
            operation("op-000000000401", "add_claim",
                      claim("P356", "external-id", {"type": "string", "value": "10.1/FIXTURE"}),
                      prop="P356"),
        ],
        "findings": [{"severity": "CRITICAL", "code": "fixture-critical",
                      "message": "a fixture critical finding", "operation": "op-000000000401"}],
        "notes": [], "conflicts": [],
    }
    g400 = {
        "key": "entity:fixture-unchanged", "id": "Q940", "label": "Fixture unchanged",
        "base_revision": 40, "checked": True, "current": current_q940(),
        "operations": [], "findings": [], "notes": [], "conflicts": [], "edit": None,
    }
    groups = [g100, g200, g_new, g300, g400]
    for group in groups:
        group.setdefault("placeholder", None)
        for op in group["operations"]:
            op["hash"] = op_hash(op, operation_target(group))
        group["edit"] = build_edit(group, group["operations"])
    return {
        "format": "toolkit-proposal/1",
        "run": {"toolkit_version": "0.1.0", "created": "2026-01-02T00:00:00Z",
                "batch_id": "tk-0123456789ab",
                "site": {"name": "fixture", "api_url": "http://127.0.0.1:1/w/api.php",
                         "entity_uri": ENTITY_URI},
                "mapping": {"path": "mappings/fixture", "digest": "sha256:" + "0" * 64},
                "offline": False},
        "entities": groups,
    }


def entity_records() -> dict[str, dict[str, Any]]:
    """The fixture items as a test wiki would hold them before the batch."""
    records = {}
    for cur in (current_q910(), current_q920(), current_q930(), current_q940()):
        records[cur["id"]] = cur
    records["Q909"] = {"type": "item", "id": "Q909", "lastrevid": 5,
                       "labels": {"en": {"language": "en", "value": "Fixture wiki"}},
                       "descriptions": {}, "aliases": {}, "claims": {}, "sitelinks": {}}
    return records
