"""Diff against the current state: skip what is there, merge references, report conflicts."""

from __future__ import annotations

import copy
import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from tests.proposal_fixtures import article_csl, entity, fixture_item, mapping, source
from toolkit.edits.desired import build_desired
from toolkit.edits.diff import diff_entity
from toolkit.edits.values import item_value, normal_url, same_value, snak, string_value, time_value
from toolkit.wiki.site import WIKIDATA

CAL = WIKIDATA.calendar_model


def confirmed_work(**csl):
    m = mapping(sources=[source("w", article_csl(**csl), status="confirmed", qid="Q100")])
    return build_desired(m, WIKIDATA, dt.date(2026, 11, 28)).by_key("source:w")


def claim(pid, datatype, datavalue, cid, references=None):
    return {"mainsnak": snak(pid, datatype, datavalue), "type": "statement", "rank": "normal",
            "id": cid, "references": references or []}


def kinds(diff):
    return [(op.kind, op.property) for op in diff.operations]


def test_year_written_by_pywikibot_matches_year_precision():
    stored = snak("P577", "time", {"type": "time", "value": {
        "time": "+2018-01-01T00:00:00Z", "precision": 9, "calendarmodel": CAL}})
    wanted = snak("P577", "time", time_value(2018, None, None, CAL))
    assert same_value(stored, wanted)
    assert not same_value(snak("P577", "time", time_value(2019, None, None, CAL)), wanted)
    # a more precise stored date says at least as much; a less precise one does not
    assert same_value(snak("P577", "time", time_value(2018, 3, 4, CAL)), wanted)
    assert not same_value(wanted, snak("P577", "time", time_value(2018, 3, 4, CAL)))


def test_identifier_and_text_forms():
    assert same_value(snak("P212", "external-id", string_value("9789402415537")),
                      snak("P212", "external-id", string_value("978-94-024-1553-7")))
    assert same_value(snak("P356", "external-id", string_value("10.5555/abc")),
                      snak("P356", "external-id", string_value("10.5555/ABC")))
    assert same_value(snak("P304", "string", string_value("64–183")),
                      snak("P304", "string", string_value("64-183")))
    decomposed = "Cafe\u0301  title"
    assert same_value(snak("P1476", "string", string_value(decomposed)),
                      snak("P1476", "string", string_value("Café title")))
    assert not same_value(snak("P478", "string", string_value("12")),
                          snak("P478", "string", string_value("13")))


def test_url_forms():
    assert normal_url("http://www.Example.org/a/") == normal_url("https://example.org/a")
    assert normal_url("https://ar.wikipedia.org/w/index.php?title=X&oldid=5") == \
        normal_url("https://ar.wikipedia.org/w/index.php?oldid=5")
    assert normal_url("https://example.org/a%20b") == normal_url("https://example.org/a b")
    assert normal_url("https://example.org/a") != normal_url("https://example.org/b")


@given(st.text(min_size=1, max_size=30))
def test_same_value_is_reflexive_for_strings(text):
    s = snak("P2093", "string", string_value(text))
    assert same_value(s, copy.deepcopy(s))


def test_new_item_gets_everything():
    m = mapping(sources=[source("w", article_csl())])
    group = build_desired(m, WIKIDATA, dt.date(2026, 11, 28)).by_key("source:w")
    diff = diff_entity(group, None, WIKIDATA)
    assert diff.operations[0].kind == "create_item"
    assert ("add_label", None) in kinds(diff) and ("add_description", None) in kinds(diff)
    assert len([k for k in kinds(diff) if k[0] == "add_claim"]) == len(group.statements)


def test_existing_statement_skipped_and_missing_reference_merged():
    group = confirmed_work()
    doi = claim("P356", "external-id", string_value("10.5555/abc.def"), "Q100$doi")
    current = fixture_item("Q100", {"P356": [doi]}, labels={"en": "Fixture"})
    diff = diff_entity(group, current, WIKIDATA)
    refs = [op for op in diff.operations if op.kind == "add_reference"]
    assert len(refs) == 1
    assert refs[0].data["id"] == "Q100$doi"
    assert refs[0].data["mainsnak"] == doi["mainsnak"]  # the existing claim, whole
    assert len(refs[0].data["references"]) == 1
    assert not any(op.kind == "add_claim" and op.property == "P356" for op in diff.operations)
    # once the reference is there (even retrieved on another day), nothing more to do
    ref = copy.deepcopy(refs[0].data["references"][0])
    ref["snaks"]["P813"][0]["datavalue"]["value"]["time"] = "+2020-01-01T00:00:00Z"
    doi_with_ref = claim("P356", "external-id", string_value("10.5555/ABC.DEF"), "Q100$doi",
                         [ref])
    again = diff_entity(group, fixture_item("Q100", {"P356": [doi_with_ref]}), WIKIDATA)
    assert not any(op.property == "P356" for op in again.operations)


def test_existing_references_kept_when_adding_ours():
    group = confirmed_work()
    other_ref = {"snaks": {"P854": [snak("P854", "url", string_value("https://example.org/x"))]}}
    vol = claim("P478", "string", string_value("54"), "Q100$vol", [other_ref])
    diff = diff_entity(group, fixture_item("Q100", {"P478": [vol]}), WIKIDATA)
    (op,) = [op for op in diff.operations if op.kind == "add_reference"]
    assert op.data["references"][0] == other_ref
    assert len(op.data["references"]) == 2


def test_single_value_conflict_reported_not_edited():
    group = confirmed_work()
    date = claim("P577", "time", time_value(2020, None, None, CAL), "Q100$date")
    vol = claim("P478", "string", string_value("12"), "Q100$vol")
    diff = diff_entity(group, fixture_item("Q100", {"P577": [date], "P478": [vol]}), WIKIDATA)
    assert {c["property"] for c in diff.conflicts} == {"P577", "P478"}
    assert not any(op.property in ("P577", "P478") for op in diff.operations)


def test_multi_value_property_adds_alongside():
    group = confirmed_work()
    other = claim("P2093", "string", string_value("Someone Else"), "Q100$a")
    diff = diff_entity(group, fixture_item("Q100", {"P2093": [other]}), WIKIDATA)
    assert len([op for op in diff.operations if op.property == "P2093"]) == 2
    assert not diff.conflicts


def test_labels_never_overwritten_aliases_not_duplicated():
    ents = [entity("org", qid="Q103", names={"ar": ["يوروبول", "اليوروبول"]})]
    group = build_desired(mapping(entities=ents), WIKIDATA).by_key("entity:org")
    # no Arabic label: label added, the label form is not also an alias
    diff = diff_entity(group, fixture_item("Q103"), WIKIDATA)
    assert [(op.kind, op.data["value"]) for op in diff.operations] == [
        ("add_label", "يوروبول"), ("add_alias", "اليوروبول")]
    # another Arabic label: kept; both forms become aliases unless present
    current = fixture_item("Q103", labels={"ar": "الشرطة الأوروبية"})
    current["aliases"] = {"ar": [{"language": "ar", "value": "اليوروبول"}]}
    diff = diff_entity(group, current, WIKIDATA)
    assert [(op.kind, op.data["value"]) for op in diff.operations] == [("add_alias", "يوروبول")]
    assert any("label (ar) kept" in n for n in diff.notes)


def test_nothing_to_change_gives_no_operations():
    ents = [entity("org", qid="Q103", names={"ar": ["يوروبول"]})]
    group = build_desired(mapping(entities=ents), WIKIDATA).by_key("entity:org")
    diff = diff_entity(group, fixture_item("Q103", labels={"ar": "يوروبول"}), WIKIDATA)
    assert diff.operations == [] and diff.conflicts == []


def test_item_values_compare_by_id():
    a = snak("P1433", "wikibase-item", item_value("Q102"))
    b = snak("P1433", "wikibase-item", {"type": "wikibase-entityid",
                                        "value": {"entity-type": "item", "numeric-id": 102}})
    assert same_value(a, b)
    assert not same_value(a, snak("P1433", "wikibase-item", item_value("Q103")))


def test_two_authors_with_the_same_name_are_two_statements():
    """Same name string, different places in the byline: distinct operations (ids too),
    and one existing statement stands for one author only."""
    from toolkit.edits.proposal import ProposeSettings, build_proposal, proposal_problems

    same_name = [{"family": "Wang", "given": "Wei"}, {"family": "Wang", "given": "Wei"}]
    m = mapping(sources=[source("w", article_csl(author=same_name))])
    proposal = build_proposal(m, ProposeSettings())
    assert proposal_problems(proposal) == []
    ordinals = [op["data"]["qualifiers"]["P1545"][0]["datavalue"]["value"]
                for op in proposal["entities"][0]["operations"] if op.get("property") == "P2093"]
    assert ordinals == ["1", "2"]

    group = confirmed_work(author=same_name)
    first = group.statements[[s.property for s in group.statements].index("P2093")]
    stored = claim("P2093", "string", string_value("Wei Wang"), "Q100$w1")
    stored["qualifiers"] = {"P1545": first.qualifiers}
    diff = diff_entity(group, fixture_item("Q100", {"P2093": [stored]}), WIKIDATA)
    p2093 = [op for op in diff.operations if op.property == "P2093"]
    assert [op.kind for op in p2093] == ["add_reference", "add_claim"]
    assert p2093[1].data["qualifiers"]["P1545"][0]["datavalue"]["value"] == "2"


def test_an_item_that_has_a_class_keeps_it_and_gets_no_second_one():
    """'Complete' means: add P31 only to an item without one. An existing class (e.g.
    academic journal article, a subclass of our scholarly article) is kept, no second
    P31 is proposed, and the difference is noted for the reviewer."""
    group = confirmed_work()
    other = claim("P31", "wikibase-item", item_value("Q18918145"), "Q100$c")
    diff = diff_entity(group, fixture_item("Q100", {"P31": [other]}), WIKIDATA)
    assert ("add_claim", "P31") not in kinds(diff)
    assert not diff.conflicts
    assert any("P31" in n and "Q18918145" in n for n in diff.notes)
    # without a class, the item gets ours
    assert ("add_claim", "P31") in kinds(diff_entity(group, fixture_item("Q100"), WIKIDATA))
