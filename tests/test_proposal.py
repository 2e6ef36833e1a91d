"""The proposal file: schema, stable ids and hashes, build_edit, and propose against the
loopback Wikibase (skip what exists, merge references, report conflicts, never create an
item that an identifier lookup finds)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.proposal_fixtures import article_csl, entity, fixture_item, mapping, source
from toolkit.cli.app import app
from toolkit.edits.proposal import (
    ProposeSettings,
    build_edit,
    build_proposal,
    load_proposal,
    operation_hash,
    proposal_problems,
    rebase_group,
    save_proposal,
)
from toolkit.errors import InputError, ValidationFailed
from toolkit.wiki.site import WIKIDATA
from toolkit.wiki.wikibase import WikibaseReader, WikibaseSettings

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "mappings" / "cybersex-trafficking"
CREATED = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.timezone.utc)


def settings(offline: bool = True, profile=WIKIDATA) -> ProposeSettings:
    return ProposeSettings(profile=profile, offline=offline, mapping_path="mappings/fixture",
                           created=CREATED)


class FakeReader:
    """Serves entity JSON from a dict (test fixture); records lookups."""

    def __init__(self, entities, found=None):
        self.entities, self.found, self.lookups = entities, found or {}, []

    def get_entities(self, ids):
        return {i: copy.deepcopy(self.entities.get(i)) for i in ids}

    def find_by_statement(self, pid, value):
        self.lookups.append((pid, value))
        return self.found.get((pid, value), [])


def group(proposal, key):
    return next(g for g in proposal["entities"] if g["key"] == key)


def test_offline_proposal_is_schema_valid_and_flags_not_checked():
    m = mapping(entities=[entity("org", qid="Q103", names={"ar": ["منظمة"]})],
                sources=[source("w", article_csl())])
    proposal = build_proposal(m, settings())
    assert proposal_problems(proposal) == []
    assert proposal["run"]["offline"] is True
    org, work = group(proposal, "entity:org"), group(proposal, "source:w")
    assert org["checked"] is False and org["base_revision"] is None and org["current"] is None
    assert any(f["code"] == "not-checked" for f in org["findings"])
    assert org["edit"]["id"] == "Q103" and "baserevid" not in org["edit"]
    assert work["edit"]["new"] == "item" and work["placeholder"] == "NEW-w"
    assert any(f["code"] == "not-checked" for f in work["findings"])


def test_operation_ids_stable_and_hashes_cover_content():
    m = mapping(sources=[source("w", article_csl())])
    first = build_proposal(m, settings())
    later = build_proposal(m, ProposeSettings(offline=True, created=CREATED + dt.timedelta(1)))
    ids = [op["id"] for op in group(first, "source:w")["operations"]]
    assert ids == [op["id"] for op in group(later, "source:w")["operations"]]
    assert len(set(ids)) == len(ids)
    # a changed value keeps nothing but unrelated ids; the hash follows the content
    changed = build_proposal(mapping(sources=[source("w", article_csl(volume="55"))]),
                             settings())
    vol_old = next(o for o in group(first, "source:w")["operations"] if o.get("property") == "P478")
    vol_new = next(o for o in group(changed, "source:w")["operations"]
                   if o.get("property") == "P478")
    assert vol_old["hash"] != vol_new["hash"]
    op = copy.deepcopy(vol_old)
    op["data"]["mainsnak"]["datavalue"]["value"] = "99"
    assert operation_hash(op, "NEW-w") != vol_old["hash"]
    assert operation_hash(vol_old, "NEW-w") == vol_old["hash"]


def test_an_approval_does_not_follow_its_operation_to_another_item():
    """Re-aligning an entity to another QID (or editing the group's id in the file)
    changes the hash of its operations: the old approval no longer applies."""
    from toolkit.edits import decisions, review

    def propose(qid: str) -> dict:
        m = mapping(entities=[entity("org", qid=qid, names={"ar": ["منظمة اختبار"]})])
        return build_proposal(m, settings())

    old = propose("Q103")
    review.decide(old, approve=["Q103"], reviewer="r")
    new = propose("Q104")
    assert [o["id"] for o in new["entities"][0]["operations"]] == \
        [o["id"] for o in old["entities"][0]["operations"]]
    assert review.carry_decisions(old, new) == 0
    assert {decisions.op_state(o) for o in new["entities"][0]["operations"]} == {"pending"}
    old["entities"][0]["id"] = "Q104"  # retargeted by hand
    assert any(p.rule == "hash" for p in proposal_problems(old))


def test_build_edit_rebuilds_from_an_approved_subset():
    current = fixture_item("Q100", labels={"en": "Fixture"})
    current["claims"]["P478"] = [{
        "mainsnak": {"snaktype": "value", "property": "P478",
                     "datavalue": {"type": "string", "value": "54"}},
        "type": "statement", "rank": "normal", "id": "Q100$vol", "references": []}]
    m = mapping(sources=[source("w", article_csl(), status="confirmed", qid="Q100")])
    proposal = build_proposal(m, settings(offline=False), FakeReader({"Q100": current}))
    g = group(proposal, "source:w")
    assert g["checked"] and g["base_revision"] == 500
    full = g["edit"]
    assert full["id"] == "Q100" and full["baserevid"] == 500 and "new" not in full
    assert build_edit(g, g["operations"]) == full
    ref_op = next(o for o in g["operations"] if o["kind"] == "add_reference")
    claim_op = next(o for o in g["operations"] if o["kind"] == "add_claim")
    subset = build_edit(g, [ref_op])
    assert subset["data"] == {"claims": [ref_op["data"]]}
    assert subset["data"]["claims"][0]["id"] == "Q100$vol"
    assert build_edit(g, [claim_op])["data"]["claims"] == [claim_op["data"]]
    assert build_edit(g, []) is None
    # the same reference twice on one claim is sent once
    twice = build_edit(g, [ref_op, copy.deepcopy(ref_op)])
    assert len(twice["data"]["claims"]) == 1
    assert len(twice["data"]["claims"][0]["references"]) == 1


def test_entity_with_nothing_to_change_gets_no_edit():
    m = mapping(entities=[entity("org", qid="Q103", names={"ar": ["منظمة"]})])
    reader = FakeReader({"Q103": fixture_item("Q103", labels={"ar": "منظمة"})})
    g = group(build_proposal(m, settings(offline=False), reader), "entity:org")
    assert g["operations"] == [] and g["edit"] is None and g["checked"]


def test_identifier_lookup_prevents_creating_an_existing_item():
    ents = [entity("book", kind="book", status="create", names={"en": ["Fixture Book"]})]
    csl = {"type": "chapter", "title": "Fixture chapter", "language": "en",
           "ISBN": "9789402415537", "issued": {"date-parts": [[2009]]}}
    m = mapping(entities=ents, sources=[source("ch", csl, links={"container": "book"})])
    reader = FakeReader({}, found={("P212", "978-94-024-1553-7"): ["Q101"]})
    proposal = build_proposal(m, settings(offline=False), reader)
    book, chapter = group(proposal, "entity:book"), group(proposal, "source:ch")
    assert ("P212", "978-94-024-1553-7") in reader.lookups
    assert book["operations"] == [] and book["edit"] is None
    assert any(f["code"] == "exists-on-wiki" and "Q101" in f["message"]
               for f in book["findings"])
    # nothing may point to the placeholder of an item that will not be created
    assert "NEW-book" not in json.dumps(chapter["operations"])
    assert any("NEW-book" in n for n in chapter["notes"])
    assert proposal_problems(proposal) == []


def test_save_and_load_round_trip(tmp_path: Path):
    proposal = build_proposal(mapping(sources=[source("w", article_csl())]), settings())
    path = save_proposal(tmp_path / "out" / "p.json", proposal)
    assert load_proposal(path) == proposal
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["p.json"]  # no temp left


def test_load_reports_located_problems(tmp_path: Path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "toolkit-proposal/1",\n  "run": }')
    with pytest.raises(InputError) as err:
        load_proposal(broken)
    assert (err.value.problem.line, err.value.problem.col) == (2, 10)
    proposal = build_proposal(mapping(sources=[source("w", article_csl())]), settings())
    proposal["entities"][0]["operations"][1]["kind"] = "remove_claim"
    proposal["entities"][0]["operations"][2]["data"]["value"] = "edited after proposing"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(proposal))
    with pytest.raises(ValidationFailed) as failed:
        load_proposal(bad)
    pointers = {p.pointer for p in failed.value.problems}
    assert "/entities/0/operations/1/kind" in pointers
    fixed = copy.deepcopy(proposal)
    fixed["entities"][0]["operations"][1]["kind"] = "add_label"
    bad.write_text(json.dumps(fixed))
    with pytest.raises(ValidationFailed) as failed:
        load_proposal(bad)
    assert any(p.rule == "hash" for p in failed.value.problems)


def test_seed_offline_proposal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Issue 4 'Done when': the seed, offline, gives a schema-valid, referenced proposal."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["propose", str(SEED), "--offline", "-o", "p.json"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.json"]  # nothing else in cwd
    proposal = load_proposal(tmp_path / "p.json")
    assert proposal["run"]["offline"] is True
    claims = [op["data"] for g in proposal["entities"] for op in g["operations"]
              if op["kind"] == "add_claim"]
    assert claims and all(c["references"] for c in claims)
    for c in claims:
        ref = c["references"][0]["snaks"]
        assert ref["P143"][0]["datavalue"]["value"]["id"] == "Q199700"
        assert ref["P813"][0]["datavalue"]["value"]["precision"] == 11
    by_pid: dict[str, list] = {}
    for c in claims:
        by_pid.setdefault(c["mainsnak"]["property"], []).append(c["mainsnak"]["datavalue"])
    assert {"type": "time", "value": {
        "time": "+2018-00-00T00:00:00Z", "timezone": 0, "before": 0, "after": 0,
        "precision": 9, "calendarmodel": "http://www.wikidata.org/entity/Q1985727"}} \
        in by_pid["P577"]
    assert "978-94-024-1553-7" in [v["value"] for v in by_pid["P212"]]
    assert all(v["value"]["language"] for v in by_pid["P1476"])
    assert all(v["value"] == v["value"].upper() for v in by_pid.get("P356", []))
    works = [g for g in proposal["entities"] if g["key"].startswith("source:")]
    assert works and all(g["edit"] and g["edit"].get("new") == "item" for g in works)
    assert all(any(f["code"] == "not-checked" for f in g["findings"]) for g in works)


# ---- against the loopback Wikibase (tests/wikibase_server.py, fixture items Q100-Q105)

def server_mapping():
    """Q100 is a fixture article: DOI 10.5555/FIXTURE.100, 2020, vol. 12, in Q102."""
    ents = [entity("journal", kind="periodical", qid="Q102")]
    work = source("fixture-article", article_csl(
        DOI="10.5555/fixture.100", issued={"date-parts": [[2020]]}, volume="13",
        title="Fixture article title", issue="3", page="1–4"),
        status="confirmed", qid="Q100", links={"container": "journal"})
    new = source("new-work", article_csl(DOI="10.5555/FIXTURE.100", title="Same DOI"))
    return mapping(entities=ents, sources=[work, new])


def test_propose_against_loopback_server(wikibase_server, tmp_path: Path):
    reader = WikibaseReader(WikibaseSettings(api_url=wikibase_server.api_url,
                                             user_agent="toolkit-tests/0 (fixture)",
                                             cache_dir=tmp_path / "cache"))
    proposal = build_proposal(server_mapping(), settings(offline=False), reader)
    assert proposal_problems(proposal) == []
    g = group(proposal, "source:fixture-article")
    assert g["checked"] and g["base_revision"] == wikibase_server.entity("Q100")["lastrevid"]
    ops = {(o["kind"], o.get("property")) for o in g["operations"]}
    # present statements are skipped; their missing reference is merged onto them
    assert ("add_claim", "P356") not in ops and ("add_reference", "P356") in ops
    assert ("add_claim", "P577") not in ops and ("add_reference", "P577") in ops
    assert ("add_claim", "P1433") not in ops and ("add_reference", "P1433") in ops
    assert ("add_reference", "P304") in ops  # "1–4" in the mapping is the stored "1-4"
    assert ("add_label", "en") not in {(o["kind"], o.get("language")) for o in g["operations"]}
    ref = next(o for o in g["operations"] if o["kind"] == "add_reference"
               and o["property"] == "P356")
    stored = wikibase_server.entity("Q100")["claims"]["P356"][0]
    assert ref["data"]["id"] == stored["id"]
    assert ref["data"]["references"][:-1] == stored["references"]
    # a different volume on a single-value property is a conflict, not an edit
    assert [c["property"] for c in g["conflicts"]] == ["P478"]
    assert ("add_claim", "P478") not in ops
    assert any(f["code"] == "single-value-conflict" for f in g["findings"])
    # the DOI lookup finds Q100: no creation for the second work
    new = group(proposal, "source:new-work")
    assert new["edit"] is None and any(f["code"] == "exists-on-wiki" for f in new["findings"])
    searches = wikibase_server.requests_for("query", list="search")
    assert any("haswbstatement:P356=10.5555/FIXTURE.100" in r.params["srsearch"]
               for r in searches)
    assert wikibase_server.write_requests == []
    assert len(wikibase_server.requests_for("wbgetentities")) == 1

    # offline, from the cache the first run filled: checked, same operations
    offline_reader = WikibaseReader(WikibaseSettings(api_url=wikibase_server.api_url,
                                                     cache_dir=tmp_path / "cache",
                                                     offline=True))
    before = len(wikibase_server.requests)
    again = build_proposal(server_mapping(), settings(offline=True), offline_reader)
    assert len(wikibase_server.requests) == before
    g2 = group(again, "source:fixture-article")
    assert g2["checked"] and [o["id"] for o in g2["operations"]] == \
        [o["id"] for o in g["operations"]]
    assert not group(again, "source:new-work")["checked"]


def test_rebase_group_on_a_changed_item():
    """Offline proposal, then the item turns out to have some of the data: re-diff."""
    m = mapping(entities=[entity("org", qid="Q103", names={"ar": ["منظمة", "المنظمة"]})],
                sources=[source("w", article_csl(), status="confirmed", qid="Q100")])
    proposal = build_proposal(m, settings())
    org = group(proposal, "entity:org")
    for op in org["operations"]:
        op["review"] = {"state": "approved", "hash": op["hash"]}
    current = fixture_item("Q103", labels={"ar": "اسم آخر"}, lastrevid=777)
    rebased = rebase_group(org, current)
    # the label exists now: no overwrite; the alias op is unchanged and keeps its review
    assert [o["kind"] for o in rebased["operations"]] == ["add_alias", "add_alias"]
    kept = next(o for o in rebased["operations"] if o["data"]["value"] == "المنظمة")
    assert kept["review"]["state"] == "approved"
    fresh = next(o for o in rebased["operations"] if o["data"]["value"] == "منظمة")
    assert fresh["review"] == {"state": "pending"}
    assert rebased["edit"]["baserevid"] == 777 and rebased["checked"]
    work = group(proposal, "source:w")
    vol = next(o for o in work["operations"] if o.get("property") == "P478")
    stored = fixture_item("Q100", {"P478": [{
        "mainsnak": vol["data"]["mainsnak"], "type": "statement", "rank": "normal",
        "id": "Q100$v", "references": []}]})
    again = rebase_group(work, stored)
    (ref,) = [o for o in again["operations"] if o.get("property") == "P478"]
    assert ref["kind"] == "add_reference" and ref["data"]["id"] == "Q100$v"


def test_cli_propose_online_against_loopback(wikibase_server, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch):
    """--api-url/--cache: reads the test wiki, writes only the output and the cache."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, [
        "propose", str(SEED), "--api-url", wikibase_server.api_url, "--cache", "cache",
        "--user-agent", "toolkit-tests/0 (fixture)", "-o", "p.json"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "p.json"]
    proposal = load_proposal(tmp_path / "p.json")
    assert proposal["run"]["offline"] is False
    # another wiki, Wikidata's ids (no --site-profile): the reviewer is told
    assert any("--site-profile" in n for n in proposal["notes"])
    assert proposal["run"]["site"]["api_url"] == wikibase_server.api_url
    # the seed's items are not on the fixture wiki: reported, never edited
    confirmed = [g for g in proposal["entities"] if g["id"]]
    assert confirmed and all(g["edit"] is None and any(
        f["code"] == "missing-item" for f in g["findings"]) for g in confirmed)
    assert wikibase_server.write_requests == []
    assert all(r.headers.get("User-Agent") == "toolkit-tests/0 (fixture)"
               for r in wikibase_server.requests)


def test_cli_propose_sends_the_contact_in_the_user_agent(wikibase_server, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TOOLKIT_CONTACT", "fixture-operator@example.org")
    m = tmp_path / "m"
    result = CliRunner().invoke(app, [
        "propose", str(SEED), "--api-url", wikibase_server.api_url, "-o", str(m)])
    assert result.exit_code == 0, result.output
    agents = {r.headers.get("User-Agent", "") for r in wikibase_server.requests}
    assert agents and all("(fixture-operator@example.org)" in a for a in agents)
