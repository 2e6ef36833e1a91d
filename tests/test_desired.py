"""Desired state from a mapping: modelling, values, references, what is never used."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.proposal_fixtures import (
    article_csl,
    claims_of,
    entity,
    mapping,
    source,
)
from toolkit.edits.desired import MAX_DESCRIPTION, build_desired
from toolkit.errors import InputError
from toolkit.wiki.site import WIKIDATA, load_site_profile

TODAY = dt.date(2026, 11, 28)


def desired_of(m, profile=WIKIDATA):
    return build_desired(m, profile, TODAY)


def value_of(st):
    return st.mainsnak["datavalue"]["value"]


@pytest.mark.parametrize(("parts", "stamp", "precision"), [
    ([2018], "+2018-00-00T00:00:00Z", 9),
    ([2020, 2], "+2020-02-00T00:00:00Z", 10),
    ([2020, 2, 5], "+2020-02-05T00:00:00Z", 11),
])
def test_publication_date_precision(parts, stamp, precision):
    m = mapping(sources=[source("w", article_csl(issued={"date-parts": [parts]}))])
    (date,) = claims_of(desired_of(m).by_key("source:w"), "P577")
    assert value_of(date)["time"] == stamp
    assert value_of(date)["precision"] == precision


def test_article_statements_modelled_as_wikicite():
    m = mapping(sources=[source("w", article_csl())])
    group = desired_of(m).by_key("source:w")
    assert group.create and group.placeholder == "NEW-w"
    assert value_of(claims_of(group, "P31")[0])["id"] == "Q13442814"
    assert value_of(claims_of(group, "P1476")[0]) == {"text": "Fixture article on testing",
                                                      "language": "en"}
    assert value_of(claims_of(group, "P356")[0]) == "10.5555/ABC.DEF"
    assert value_of(claims_of(group, "P304")[0]) == "64-183"
    assert value_of(claims_of(group, "P407")[0])["id"] == "Q1860"
    names = claims_of(group, "P2093")
    assert [value_of(s) for s in names] == ["Ann Alpha", "Bob Beta"]
    assert [s.qualifiers[0]["datavalue"]["value"] for s in names] == ["1", "2"]
    assert all(s.qualifiers[0]["property"] == "P1545" for s in names)
    assert group.labels == {"en": "Fixture article on testing"}
    assert group.descriptions["en"] == "scholarly article by Alpha and Beta, 2018"
    assert ("P356", "10.5555/ABC.DEF") in group.lookups


def test_every_statement_carries_the_article_reference():
    m = mapping(sources=[source("w", article_csl())])
    for st in desired_of(m).by_key("source:w").statements:
        snaks = st.reference["snaks"]
        assert snaks["P143"][0]["datavalue"]["value"]["id"] == "Q199700"
        assert snaks["P4656"][0]["datavalue"]["value"] == (
            "https://ar.wikipedia.org/w/index.php?oldid=123")
        retrieved = snaks["P813"][0]["datavalue"]["value"]
        assert (retrieved["time"], retrieved["precision"]) == ("+2026-11-28T00:00:00Z", 11)


def test_confirmed_author_is_an_item_candidate_is_a_name_string():
    people = [entity("ann", kind="person", qid="Q105"),
              entity("bob", kind="person", status="candidate", qid="Q999")]
    m = mapping(entities=people, sources=[
        source("w", article_csl(), links={"author": ["ann", "bob"]})])
    group = desired_of(m).by_key("source:w")
    (p50,) = claims_of(group, "P50")
    assert value_of(p50)["id"] == "Q105"
    assert p50.qualifiers[0]["datavalue"]["value"] == "1"
    (p2093,) = claims_of(group, "P2093")
    assert value_of(p2093) == "Bob Beta"
    assert "Q999" not in json.dumps([s.claim() for s in group.statements])


def test_candidate_or_unaligned_qids_are_never_values():
    ents = [entity("pub", kind="publisher", status="candidate", qid="Q777"),
            entity("journal", kind="periodical", status="unaligned"),
            entity("subject", kind="topic", status="candidate", qid="Q778")]
    m = mapping(entities=ents, sources=[source("w", article_csl(), links={
        "publisher": "pub", "container": "journal", "main_subject": ["subject"]})])
    state = desired_of(m)
    text = json.dumps([s.claim() for g in state.entities for s in g.statements])
    assert "Q777" not in text and "Q778" not in text
    group = state.by_key("source:w")
    assert not claims_of(group, "P1433") and not claims_of(group, "P123")
    assert any("publisher" in n and "candidate" in n for n in group.notes)


def test_chapter_in_book_to_create_with_isbn_editor_and_publisher_on_the_book():
    ents = [entity("handbook", kind="book", status="create",
                   names={"en": ["Fixture Handbook"]}),
            entity("pub", kind="publisher", qid="Q103"),
            entity("ed", kind="person", qid="Q105")]
    csl = {"type": "chapter", "title": "Fixture chapter", "language": "en",
           "author": [{"family": "Gamma", "given": "Gil"}],
           "editor": [{"family": "Ed", "given": "Eve"}, {"family": "Nobody", "given": "No"}],
           "issued": {"date-parts": [[2010]]}, "page": "201–223",
           "ISBN": "978-94-024-1553-7", "container-title": "Fixture Handbook"}
    m = mapping(entities=ents, sources=[source("ch", csl, links={
        "container": "handbook", "publisher": "pub", "editor": ["ed", None]})])
    state = desired_of(m)
    keys = [g.key for g in state.entities]
    assert keys.index("entity:handbook") < keys.index("source:ch")  # created first
    chapter, book = state.by_key("source:ch"), state.by_key("entity:handbook")
    assert value_of(claims_of(chapter, "P1433")[0])["id"] == "NEW-handbook"
    assert value_of(claims_of(chapter, "P31")[0])["id"] == "Q1980247"
    assert not claims_of(chapter, "P212") and not claims_of(chapter, "P123")
    assert value_of(claims_of(book, "P212")[0]) == "978-94-024-1553-7"
    assert value_of(claims_of(book, "P957")[0]) == "94-024-1553-X"
    assert value_of(claims_of(book, "P123")[0])["id"] == "Q103"
    (editor,) = claims_of(book, "P98")
    assert value_of(editor)["id"] == "Q105"
    assert any("No Nobody" in n and "no confirmed item" in n for n in chapter.notes)
    # the book to create gets its title, the year only, and a description from its editors
    assert value_of(claims_of(book, "P1476")[0]) == {"text": "Fixture Handbook",
                                                     "language": "en"}
    assert value_of(claims_of(book, "P577")[0])["precision"] == 9
    assert book.descriptions["en"] == "book edited by Ed and Nobody, 2010"


def test_series_with_number_when_collection_confirmed():
    ents = [entity("series", kind="periodical", qid="Q102")]
    csl = {"type": "report", "title": "Fixture report", "language": "en",
           "issued": {"date-parts": [[2020, 2]]}, "collection-number": "589"}
    m = mapping(entities=ents, sources=[source("r", csl, links={"collection": "series"})])
    (p179,) = claims_of(desired_of(m).by_key("source:r"), "P179")
    assert value_of(p179)["id"] == "Q102"
    assert p179.qualifiers[0]["property"] == "P1545"
    assert p179.qualifiers[0]["datavalue"]["value"] == "589"


def test_confirmed_organization_gets_arabic_label_and_aliases():
    ents = [entity("europol", qid="Q103", names={"ar": ["يوروبول", "اليوروبول"],
                                                  "en": ["Europol"]})]
    group = desired_of(mapping(entities=ents)).by_key("entity:europol")
    assert group.labels == {"ar": "يوروبول"}
    assert group.aliases == {"ar": ["يوروبول", "اليوروبول"]}
    assert not group.statements and not group.create


def test_unaligned_organization_gets_nothing():
    state = desired_of(mapping(entities=[entity("x", status="unaligned")]))
    assert [g.key for g in state.entities] == []


def test_description_is_short():
    authors = [{"family": "F" * 100, "given": "G"} for _ in range(3)]
    m = mapping(sources=[source("w", article_csl(author=authors))])
    assert len(desired_of(m).by_key("source:w").descriptions["en"]) <= MAX_DESCRIPTION


def test_other_wikibase_profile_uses_its_own_ids(tmp_path: Path):
    profile_file = tmp_path / "profile.json"
    profile_file.write_text(json.dumps({
        "name": "fixture-wikibase", "api_url": "http://127.0.0.1:1/w/api.php",
        "entity_uri": "http://127.0.0.1:1/entity/",
        "properties": {"instance_of": "P1", "title": "P2", "publication_date": "P3",
                       "imported_from": "P4", "retrieved": "P5"},
        "classes": {"scholarly_article": "Q10"}, "languages": {"en": "Q11"}}))
    profile = load_site_profile(profile_file)
    group = desired_of(mapping(sources=[source("w", article_csl())]), profile).by_key("source:w")
    assert sorted(s.property for s in group.statements) == ["P1", "P2", "P3"]
    assert value_of(group.statements[0])["id"] == "Q10"
    assert set(group.statements[0].reference["snaks"]) == {"P4", "P5"}


def test_bad_site_profile_is_a_located_error(tmp_path: Path):
    bad = tmp_path / "p.json"
    bad.write_text('{"name": "x", "api_url": 3}')
    with pytest.raises(InputError) as err:
        load_site_profile(bad)
    assert "api_url" in str(err.value)
    broken = tmp_path / "q.json"
    broken.write_text('{"name": ')
    with pytest.raises(InputError) as err2:
        load_site_profile(broken)
    assert err2.value.problem.line == 1
