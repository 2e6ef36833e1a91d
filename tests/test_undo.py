"""undo: revert exactly what a batch added, only where nobody edited since."""

from __future__ import annotations

import copy
import json

import pytest

from tests.review_fixture import entity_records
from tests.test_apply import fast, proposal_file
from toolkit.edits import apply, undo
from toolkit.edits.apply import ApplySettings
from toolkit.errors import UsageError

BOT = ("User@app", "secret-bot-password")


def strip(entity):
    """An entity without revision bookkeeping (what undo must restore)."""
    return {k: v for k, v in entity.items() if k not in ("lastrevid", "modified")}


def setup(tmp_path, server, monkeypatch, approve=("Q910", "NEW-fixture-book", "Q920")):
    server.add_entities(entity_records().values())
    monkeypatch.setenv(apply.USER_ENV, BOT[0])
    monkeypatch.setenv(apply.PASSWORD_ENV, BOT[1])
    before = {eid: strip(server.entity(eid)) for eid in ("Q910", "Q920", "Q930")}
    path = proposal_file(tmp_path, server, approve=approve)
    result = apply.apply_proposal(path, fast(), say=lambda _m: None)
    server.requests.clear()
    return before, result, tmp_path / "proposal.apply.jsonl"


def test_dry_run_undo_sends_nothing(tmp_path, wikibase_server, monkeypatch):
    _, result, log = setup(tmp_path, wikibase_server, monkeypatch)
    monkeypatch.delenv(apply.USER_ENV)
    out: list[str] = []
    res = undo.undo_log(log, ApplySettings(), say=out.append)
    assert wikibase_server.requests == []
    text = "\n".join(out)
    assert "id=Q910" in text and "id=Q920" in text and '"remove": ""' in text
    assert res.deletion_requests == [result.created["NEW-fixture-book"]]


def test_live_undo_restores_exactly_the_previous_state(tmp_path, wikibase_server, monkeypatch):
    before, result, log = setup(tmp_path, wikibase_server, monkeypatch)
    new_id = result.created["NEW-fixture-book"]
    created = copy.deepcopy(wikibase_server.entity(new_id))
    res = undo.undo_log(log, fast(api_url=wikibase_server.api_url), say=lambda _m: None)
    assert sorted(res.reverted) == ["Q910", "Q920"]
    for eid in ("Q910", "Q920", "Q930"):
        assert strip(wikibase_server.entity(eid)) == before[eid], eid
    # the created item is left alone and listed for a deletion request
    assert wikibase_server.entity(new_id)["lastrevid"] == created["lastrevid"]
    assert res.deletion_requests == [new_id]
    writes = wikibase_server.write_requests
    assert len(writes) == 2 and all(w.action == "wbeditentity" for w in writes)
    assert all(w.params["maxlag"] == "5" and w.params.get("baserevid") for w in writes)
    # running it again changes nothing
    wikibase_server.requests.clear()
    again = undo.undo_log(log, fast(api_url=wikibase_server.api_url), say=lambda _m: None)
    assert wikibase_server.write_requests == [] and again.reverted == []


def test_entity_edited_since_is_left_alone(tmp_path, wikibase_server, monkeypatch):
    _, _, log = setup(tmp_path, wikibase_server, monkeypatch)
    wikibase_server.edit_behind_back("Q910", {"descriptions": {"en": {
        "language": "en", "value": "fixture, edited later"}}})
    after_edit = wikibase_server.entity("Q910")
    res = undo.undo_log(log, fast(api_url=wikibase_server.api_url), say=lambda _m: None)
    assert res.reverted == ["Q920"]
    assert any(e == "Q910" and "edited since" in why for e, why in res.skipped)
    assert wikibase_server.entity("Q910") == after_edit


def test_undo_goes_back_to_the_wiki_the_log_names(tmp_path, wikibase_server, monkeypatch):
    """No --api-url: the log says which wiki the batch went to (never Wikidata by default)."""
    _, _, log = setup(tmp_path, wikibase_server, monkeypatch)
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert {r.get("api_url") for r in records} == {wikibase_server.api_url}
    res = undo.undo_log(log, fast(), say=lambda _m: None)
    assert sorted(res.reverted) == ["Q910", "Q920"]
    with pytest.raises(UsageError, match="written to"):
        undo.undo_log(log, fast(api_url="https://www.wikidata.org/w/api.php"),
                      say=lambda _m: None)
