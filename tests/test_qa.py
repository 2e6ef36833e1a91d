"""QA findings, computed with the item's current state."""

from __future__ import annotations

import copy
import datetime as dt

from tests.proposal_fixtures import article_csl, entity, fixture_item, mapping, source
from toolkit.edits.proposal import ProposeSettings, build_proposal
from toolkit.edits.qa import blocking, check_group, check_proposal
from toolkit.edits.values import item_value, snak, string_value
from toolkit.wiki.site import WIKIDATA

CREATED = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.timezone.utc)


class Reader:
    def __init__(self, entities):
        self.entities = entities

    def get_entities(self, ids):
        return {i: copy.deepcopy(self.entities.get(i)) for i in ids}

    def find_by_statement(self, pid, value):
        return []


def propose(m, entities=None, offline=False):
    return build_proposal(m, ProposeSettings(offline=offline, created=CREATED),
                          Reader(entities or {}))


def codes(group):
    return {(f["severity"], f["code"]) for f in group["findings"]}


def new_group(**overrides):
    """A minimal group creating an item, for checks on hand-made operations."""
    group = {"key": "source:x", "id": None, "placeholder": "NEW-x", "checked": True,
             "current": None, "conflicts": [], "findings": [],
             "operations": [{"id": "op-000000000001", "kind": "create_item",
                             "data": {"new": "item"}}]}
    group.update(overrides)
    return group


def op(kind, data, n, prop=None):
    out = {"id": f"op-{n:012x}", "kind": kind, "data": data}
    if prop:
        out["property"] = prop
    return out


def test_clean_new_work_has_no_serious_findings():
    g = propose(mapping(sources=[source("w", article_csl())]))["entities"][0]
    assert not [f for f in g["findings"] if f["severity"] in ("IMPORTANT", "CRITICAL")]


def test_new_item_without_p31_label_description():
    g = new_group()
    found = codes({"findings": check_group(g, WIKIDATA)})
    assert ("IMPORTANT", "new-item-without-instance-of") in found
    assert ("CRITICAL", "new-item-without-label") in found
    assert ("WARNING", "new-item-without-description") in found


def test_unsourced_statement_and_formats():
    bad_isbn = snak("P212", "external-id", string_value("978-94-024-1553-8"))
    bad_doi = snak("P356", "external-id", string_value("10.5555/lower"))
    bad_issn = snak("P236", "external-id", string_value("0000-0018"))
    ops = [op("add_claim", {"mainsnak": s, "references": []}, i, s["property"])
           for i, s in enumerate((bad_isbn, bad_doi, bad_issn), start=2)]
    g = new_group(operations=[*new_group()["operations"], *ops])
    findings = check_group(g, WIKIDATA)
    assert sum(f["code"] == "invalid-format" and f["severity"] == "CRITICAL"
               for f in findings) == 3
    assert sum(f["code"] == "unsourced-statement" for f in findings) == 3
    assert {f["operation"] for f in findings if f["code"] == "invalid-format"} == \
        {o["id"] for o in ops}


def test_valid_formats_pass():
    good = [snak("P212", "external-id", string_value("978-94-024-1553-7")),
            snak("P356", "external-id", string_value("10.5555/UPPER")),
            snak("P236", "external-id", string_value("0000-0019"))]
    ops = [op("add_claim", {"mainsnak": s, "references": [{"snaks": {}}]}, i, s["property"])
           for i, s in enumerate(good, start=2)]
    findings = check_group(new_group(operations=ops, id="Q1", placeholder=None), WIKIDATA)
    assert not [f for f in findings if f["code"] in ("invalid-format", "unsourced-statement")]


def test_self_reference_whitespace_nonprintable_long_description():
    ops = [
        op("add_claim", {"mainsnak": snak("P1433", "wikibase-item", item_value("Q7")),
                         "references": [{"snaks": {}}]}, 2, "P1433"),
        op("add_label", {"language": "en", "value": " padded  label"}, 3),
        op("add_alias", {"language": "ar", "value": "bad\u0007char"}, 4),
        op("add_description", {"language": "en", "value": "x" * 251}, 5),
    ]
    findings = check_group({**new_group(), "id": "Q7", "placeholder": None,
                            "operations": ops}, WIKIDATA)
    by_code = {f["code"]: f for f in findings}
    assert by_code["self-reference"]["severity"] == "CRITICAL"
    assert by_code["whitespace"]["operation"] == "op-000000000003"
    assert by_code["non-printable"]["operation"] == "op-000000000004"
    assert by_code["description-too-long"]["severity"] == "CRITICAL"
    # a placeholder pointing at itself is a self-reference too
    own = op("add_claim", {"mainsnak": snak("P1433", "wikibase-item", item_value("NEW-x")),
                           "references": [{"snaks": {}}]}, 9, "P1433")
    assert any(f["code"] == "self-reference" for f in
               check_group(new_group(operations=[own]), WIKIDATA))


def test_arabic_joiners_are_not_non_printable():
    ops = [op("add_alias", {"language": "ar", "value": "نص\u200cعربي"}, 2)]
    assert not check_group(new_group(id="Q1", placeholder=None, operations=ops), WIKIDATA)


def test_duplicate_label_description_in_batch():
    same = article_csl(title="Same title", author=[{"family": "Same", "given": "A"}])
    proposal = propose(mapping(sources=[source("a", same), source("b", same)]))
    second = proposal["entities"][1]
    assert ("CRITICAL", "duplicate-label-description") in codes(second)
    assert blocking(second)
    assert ("CRITICAL", "duplicate-label-description") not in codes(proposal["entities"][0])


def test_duplicate_against_current_item_uses_current_state():
    # Q100 already has label+description equal to what the new item would get
    current = fixture_item("Q100", labels={"en": "Same title"})
    current["descriptions"] = {"en": {"language": "en",
                                      "value": "scholarly article by Same, 2018"}}
    csl = article_csl(title="Same title", author=[{"family": "Same", "given": "A"}])
    known = source("known", article_csl(), status="confirmed", qid="Q100")
    # the new item comes first in the batch: still the one flagged
    proposal = propose(mapping(sources=[source("a", csl), known]), {"Q100": current})
    new, old = proposal["entities"]
    assert ("CRITICAL", "duplicate-label-description") in codes(new)
    assert "Q100" in next(f["message"] for f in new["findings"]
                          if f["code"] == "duplicate-label-description")
    assert ("CRITICAL", "duplicate-label-description") not in codes(old)


def test_offline_unchecked_is_flagged_and_conflicts_reported():
    proposal = propose(mapping(entities=[entity("org", qid="Q103", names={"ar": ["منظمة"]})]),
                       offline=True)
    assert ("WARNING", "not-checked") in codes(proposal["entities"][0])
    g = {**new_group(), "id": "Q1", "placeholder": None, "operations": [],
         "conflicts": [{"property": "P577", "existing": ["+2020"], "proposed": "+2018",
                        "message": "m"}]}
    assert [f["code"] for f in check_group(g, WIKIDATA)] == ["single-value-conflict"]


def test_findings_sorted_most_severe_first():
    g = new_group()
    proposal = {"entities": [g]}
    check_proposal(proposal, WIKIDATA)
    order = ["INFO", "WARNING", "IMPORTANT", "CRITICAL"]
    ranks = [order.index(f["severity"]) for f in g["findings"]]
    assert ranks == sorted(ranks, reverse=True)
