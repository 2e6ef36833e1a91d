"""apply: dry run and live runs through real pywikibot against the loopback Wikibase."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.review_fixture import ARABIC_TITLE, entity_records, make_proposal
from toolkit.edits import apply, apply_live, review
from toolkit.edits.proposal import save_proposal
from toolkit.errors import ApplyError

BOT = ("User@app", "secret-bot-password")  # the loopback server's test account


@pytest.fixture
def wiki(wikibase_server, monkeypatch):
    """The loopback wiki holding the fixture items, and bot credentials in the environment."""
    wikibase_server.add_entities(entity_records().values())
    wikibase_server.requests.clear()
    monkeypatch.setenv(apply.USER_ENV, BOT[0])
    monkeypatch.setenv(apply.PASSWORD_ENV, BOT[1])
    return wikibase_server


def fast(**extra) -> apply.ApplySettings:
    """Live settings with short waits (tests only; production keeps pywikibot's defaults)."""
    values = dict(live=True, throttle=0, max_retries=4, retry_wait=0.1, retry_max=1,
                  socket_timeout=2)
    values.update(extra)
    return apply.ApplySettings(**values)


def proposal_file(tmp_path: Path, server, approve=("Q910", "NEW-fixture-book"),
                  reject=()) -> Path:
    doc = make_proposal()
    doc["run"]["site"]["api_url"] = server.api_url
    review.decide(doc, approve=approve, reject=reject, reviewer="Fixture Reviewer")
    return save_proposal(tmp_path / "proposal.json", doc)


def edits(server):
    return server.requests_for("wbeditentity")


def log_records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# -- planning and dry run -----------------------------------------------------------------


def test_plan_only_approved_new_items_first_and_never_critical():
    doc = make_proposal()
    review.decide(doc, approve=["Q910", "NEW-fixture-book", "op-000000000201"],
                  reviewer="r")
    plan = apply.plan_apply(doc)
    assert [e.key for e in plan.edits] == ["source:fixture-book", "source:fixture-article",
                                           "entity:fixture-org"]
    assert plan.edits[0].params["new"] == "item"
    org = plan.edits[2]
    assert org.op_ids == ["op-000000000201"]  # the description was not approved
    assert set(org.params["data"]) == {"aliases"}
    for edit in plan.edits:
        assert edit.params["maxlag"] == 5 and edit.params["bot"] == 1
        assert "tk-0123456789ab" in edit.params["summary"]
    assert plan.edits[1].params["baserevid"] == 10


def test_plan_never_sends_an_operation_with_a_critical_finding_even_if_marked_approved():
    """A decision written into the file by hand (or carried over) cannot get round QA."""
    doc = make_proposal()
    blocked = doc["entities"][3]["operations"][0]
    assert blocked["id"] == "op-000000000401"
    blocked["review"] = {"state": "approved", "reviewer": "r", "hash": blocked["hash"]}
    org = doc["entities"][1]
    org["findings"].append({"severity": "CRITICAL", "code": "fixture-critical",
                            "message": "group-wide", "operation": None})
    for op in org["operations"]:
        op["review"] = {"state": "approved", "reviewer": "r", "hash": op["hash"]}
    plan = apply.plan_apply(doc)
    assert all(e.key not in ("source:fixture-report", "entity:fixture-org")
               for e in plan.edits)
    skipped = dict(plan.skipped)
    assert "CRITICAL" in skipped["op-000000000401"]
    assert "CRITICAL" in skipped["op-000000000201"]


def test_operations_pointing_at_an_unapproved_new_item_are_skipped():
    doc = make_proposal()
    review.decide(doc, approve=["Q910"], reviewer="r")
    plan = apply.plan_apply(doc)
    assert [e.key for e in plan.edits] == ["source:fixture-article"]
    assert "op-000000000104" not in plan.edits[0].op_ids
    assert plan.skipped and plan.skipped[0][0] == "op-000000000104"


def test_dry_run_sends_nothing_and_prints_the_calls(tmp_path, wiki, monkeypatch):
    monkeypatch.delenv(apply.USER_ENV)
    monkeypatch.delenv(apply.PASSWORD_ENV)
    path = proposal_file(tmp_path, wiki)
    out: list[str] = []
    result = apply.apply_proposal(path, apply.ApplySettings(), say=out.append)
    text = "\n".join(out)
    assert wiki.requests == []  # not even a read, no login
    assert len(result.plan.edits) == 2
    assert "action=wbeditentity new=item" in text
    assert "action=wbeditentity id=Q910 baserevid=10" in text and "maxlag=5" in text
    assert ARABIC_TITLE in text
    assert not (tmp_path / "proposal.apply.jsonl").exists()


def test_applying_to_another_wiki_than_proposed_is_refused(tmp_path, wiki):
    """The proposal's ids, revisions and current state are those of its own wiki; the
    same QIDs on another wiki are other items."""
    from toolkit.errors import UsageError

    path = proposal_file(tmp_path, wiki)
    for live in (False, True):
        with pytest.raises(UsageError, match="propose again"):
            apply.apply_proposal(path, fast(live=live,
                                            api_url="https://test.wikidata.org/w/api.php"),
                                 say=lambda _m: None)
    assert wiki.requests == []


# -- live runs ----------------------------------------------------------------------------


def test_live_sends_exactly_the_approved_operations(tmp_path, wiki):
    path = proposal_file(tmp_path, wiki)
    result = apply.apply_proposal(path, fast(), say=lambda _m: None)
    sent = edits(wiki)
    assert len(sent) == 2  # one write per edited entity
    assert [r.action for r in wiki.write_requests] == ["wbeditentity", "wbeditentity"]
    create, update = sent
    for req in sent:
        assert req.method == "POST"
        assert req.params["maxlag"] == "5"
        assert req.params["assert"] == "user"
        assert req.params["bot"] in ("1", "")
        assert "tk-0123456789ab" in req.params["summary"]
        assert req.headers.get("User-Agent", "").find("wikidata-publishing-toolkit") >= 0
    assert create.params["new"] == "item" and "baserevid" not in create.params
    new_id = result.created["NEW-fixture-book"]
    assert update.params["id"] == "Q910" and update.params["baserevid"] == "10"
    data = update.json_param("data")
    assert data["labels"] == {"ar": {"language": "ar", "value": ARABIC_TITLE}}
    published_in = next(c for c in data["claims"] if c["mainsnak"]["property"] == "P1433")
    assert published_in["mainsnak"]["datavalue"]["value"]["id"] == new_id  # substituted
    # the wiki now holds the new data; the rejected/pending/CRITICAL ones are untouched
    q910 = wiki.entity("Q910")
    assert q910["labels"]["ar"]["value"] == ARABIC_TITLE
    assert len(q910["claims"]["P31"][0]["references"]) == 1
    assert wiki.entity(new_id)["labels"]["en"]["value"] == "Fixture book"
    assert wiki.entity("Q920")["aliases"] == {}
    assert "P356" not in wiki.entity("Q930")["claims"]
    # the log has one record per write with the new revision
    written = [r for r in log_records(tmp_path / "proposal.apply.jsonl")
               if r["event"] == "written"]
    assert [r["entity"] for r in written] == [new_id, "Q910"]
    assert written[1]["revision"] == q910["lastrevid"]
    assert sorted(written[1]["operations"]) == [f"op-00000000010{i}" for i in range(1, 5)]
    assert len(written[1]["added"]["claims"]) == 2  # P1476 and P1433
    assert written[1]["added"]["references"][0]["claim"] == "Q910$0000-fixture-p31"


def test_credentials_never_reach_output_or_log(tmp_path, wiki, capsys):
    path = proposal_file(tmp_path, wiki)
    out: list[str] = []
    apply.apply_proposal(path, fast(), say=out.append)
    captured = capsys.readouterr()
    log_text = (tmp_path / "proposal.apply.jsonl").read_text(encoding="utf-8")
    for text in ("\n".join(out), captured.out, captured.err, log_text, path.read_text()):
        assert BOT[1] not in text
    login = wiki.requests_for("login")[-1]
    assert login.params["lgname"] == "User@app"


def test_second_run_resumes_from_the_log_without_duplicates(tmp_path, wiki):
    path = proposal_file(tmp_path, wiki)
    apply.apply_proposal(path, fast(), say=lambda _m: None)
    wiki.requests.clear()
    again = apply.apply_proposal(path, fast(), say=lambda _m: None)
    assert edits(wiki) == [] and again.written == []
    assert len(again.plan.done) == 8


def test_a_regenerated_proposal_never_creates_the_same_item_twice(tmp_path, wiki):
    """`toolkit run` regenerates the proposal (new batch id, decisions carried over) next
    to the same apply log: what the log shows as written, for the same operation and
    hash, is not sent again - above all, an item is not created a second time."""
    path = proposal_file(tmp_path, wiki)
    first = apply.apply_proposal(path, fast(), say=lambda _m: None)
    new_id = first.created["NEW-fixture-book"]
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["run"]["batch_id"] = "tk-ba7c4000000b"
    save_proposal(path, doc)
    wiki.requests.clear()
    again = apply.apply_proposal(path, fast(), say=lambda _m: None)
    assert edits(wiki) == [] and again.written == []
    assert again.created["NEW-fixture-book"] == new_id
    assert len(again.plan.done) == 8


def test_maxlag_429_and_5xx_are_retried_once_each_write(tmp_path, wiki):
    path = proposal_file(tmp_path, wiki)
    wiki.inject("maxlag", action="wbeditentity", retry_after=1, lag=1)
    wiki.inject("http", status=429, action="wbeditentity", retry_after=1)
    wiki.inject("http", status=503, action="wbeditentity")
    result = apply.apply_proposal(path, fast(), say=lambda _m: None)
    sent = edits(wiki)
    assert len(sent) == 5  # 3 refused attempts + the two writes that went through
    assert len(result.written) == 2
    q910 = wiki.entity("Q910")
    assert len(q910["claims"]["P1476"]) == 1 and len(q910["claims"]["P1433"]) == 1


def test_maxlag_that_never_ends_stops_the_batch(tmp_path, wiki):
    path = proposal_file(tmp_path, wiki)
    wiki.inject("maxlag", count=50, action="wbeditentity", retry_after=1, lag=0.1)
    with pytest.raises(Exception) as info:
        apply.apply_proposal(path, fast(max_retries=1, retry_max=0.1), say=lambda _m: None)
    assert type(info.value).__name__ in ("MaxlagExhausted", "ApplyError")
    assert wiki.entity("Q910")["lastrevid"] == 10


def test_edit_conflict_rereads_and_keeps_unrelated_changes(tmp_path, wiki):
    path = proposal_file(tmp_path, wiki, approve=("Q910",), reject=())
    # someone else edits Q910 (a description) after the proposal was made
    wiki.edit_behind_back("Q910", {"descriptions": {"en": {"language": "en",
                                                          "value": "fixture, edited"}}})
    apply.apply_proposal(path, fast(), say=lambda _m: None)
    q910 = wiki.entity("Q910")
    assert q910["descriptions"]["en"]["value"] == "fixture, edited"  # not overwritten
    assert q910["labels"]["ar"]["value"] == ARABIC_TITLE
    sent = edits(wiki)
    assert len(sent) == 1 and sent[0].params["baserevid"] != "10"  # based on the re-read


def test_edit_conflict_answer_from_the_wiki_triggers_a_recheck(tmp_path, wiki):
    path = proposal_file(tmp_path, wiki, approve=("Q910",))
    original = wiki.on_request
    fired = []

    def behind_back(record):
        if record.action == "wbeditentity" and not fired:
            fired.append(True)
            wiki.edit_behind_back("Q920")  # an unrelated item: keeps the test honest
            wiki.edit_behind_back("Q910", {"aliases": {"en": [{"language": "en",
                                                               "value": "Other", "add": ""}]}})

    wiki.on_request = behind_back
    try:
        apply.apply_proposal(path, fast(), say=lambda _m: None)
    finally:
        wiki.on_request = original
    sent = edits(wiki)
    assert len(sent) == 2  # refused with editconflict, then re-read and sent again
    assert sent[0].params["baserevid"] == "10" and sent[1].params["baserevid"] != "10"
    q910 = wiki.entity("Q910")
    assert q910["aliases"]["en"][0]["value"] == "Other"
    assert len(q910["claims"]["P1476"]) == 1


def test_conflicting_change_stops_and_overwrites_nothing(tmp_path, wiki):
    path = proposal_file(tmp_path, wiki, approve=("Q910",))
    wiki.edit_behind_back("Q910", {"labels": {"ar": {"language": "ar", "value": "عنوان آخر"}}})
    with pytest.raises(ApplyError, match="op-000000000101"):
        apply.apply_proposal(path, fast(), say=lambda _m: None)
    assert edits(wiki) == []
    assert wiki.entity("Q910")["labels"]["ar"]["value"] == "عنوان آخر"


def test_crash_after_a_write_resumes_cleanly(tmp_path, wiki, monkeypatch):
    """The process dies after the wiki accepted a write but before the log got it."""
    path = proposal_file(tmp_path, wiki, approve=("Q910", "Q920"))
    real_append = apply.append_log
    calls = {"written": 0}

    def crash_after_first_write(log_path, record):
        if record["event"] == "written":
            calls["written"] += 1
            if calls["written"] == 1:
                raise KeyboardInterrupt("injected crash")
        real_append(log_path, record)

    monkeypatch.setattr(apply_live, "append_log", crash_after_first_write)
    with pytest.raises(KeyboardInterrupt):
        apply.apply_proposal(path, fast(), say=lambda _m: None)
    assert len(edits(wiki)) == 1
    monkeypatch.setattr(apply_live, "append_log", real_append)
    result = apply.apply_proposal(path, fast(), say=lambda _m: None)
    # Q910 was already written: found present, not sent again; Q920 is written now
    assert len(edits(wiki)) == 2
    assert sorted(result.already_present) == [f"op-00000000010{i}" for i in range(1, 4)]
    q910 = wiki.entity("Q910")
    assert len(q910["claims"]["P1476"]) == 1
    assert len(q910["claims"]["P31"][0]["references"]) == 1
    assert wiki.entity("Q920")["aliases"]["en"][0]["value"] == "Fixture Org"
    # a third run has nothing left to do
    wiki.requests.clear()
    apply.apply_proposal(path, fast(), say=lambda _m: None)
    assert edits(wiki) == []


def test_crash_during_item_creation_refuses_to_guess(tmp_path, wiki, monkeypatch):
    path = proposal_file(tmp_path, wiki)
    real_append = apply.append_log

    def crash(log_path, record):
        if record["event"] == "written":
            raise KeyboardInterrupt("injected crash")
        real_append(log_path, record)

    monkeypatch.setattr(apply_live, "append_log", crash)
    with pytest.raises(KeyboardInterrupt):
        apply.apply_proposal(path, fast(), say=lambda _m: None)
    monkeypatch.setattr(apply_live, "append_log", real_append)
    wiki.requests.clear()
    with pytest.raises(ApplyError, match="may exist already"):
        apply.apply_proposal(path, fast(), say=lambda _m: None)
    assert wiki.write_requests == []


def test_login_from_pywikibot_configuration(tmp_path, wiki, monkeypatch):
    """Without the environment variables the bot account comes from pywikibot's config."""
    import pywikibot  # noqa: F401  (the tests' private base dir, with a password_file)
    from pywikibot import config

    monkeypatch.delenv(apply.USER_ENV)
    monkeypatch.delenv(apply.PASSWORD_ENV)
    family, code, _ = apply.family_for(wiki.api_url)
    monkeypatch.setitem(config.usernames[family], code, "User")
    path = proposal_file(tmp_path, wiki, approve=("op-000000000101",))
    apply.apply_proposal(path, fast(), say=lambda _m: None)
    assert len(edits(wiki)) == 1


def test_no_account_is_a_clear_error(tmp_path, wiki, monkeypatch):
    monkeypatch.delenv(apply.USER_ENV)
    monkeypatch.delenv(apply.PASSWORD_ENV)
    path = proposal_file(tmp_path, wiki)
    # a fresh URL so that no username is configured for its family
    doc = json.loads(path.read_text())
    doc["run"]["site"]["api_url"] = wiki.api_url.replace("/w/", "/w//")
    with pytest.raises(ApplyError, match=apply.USER_ENV):
        apply.apply_proposal(save_proposal(path, doc), fast(), say=lambda _m: None)
    assert wiki.write_requests == []


def test_wrong_password_fails_without_writing(tmp_path, wiki, monkeypatch):
    monkeypatch.setenv(apply.USER_ENV, "Other@app")
    monkeypatch.setenv(apply.PASSWORD_ENV, "wrong-password-xyz")
    wiki.add_account("Other", {"app": "right"})
    path = proposal_file(tmp_path, wiki)
    with pytest.raises(ApplyError, match="login") as info:
        apply.apply_proposal(path, fast(), say=lambda _m: None)
    assert "wrong-password-xyz" not in str(info.value)
    assert wiki.write_requests == []


def test_recheck_tells_same_name_authors_apart_by_their_qualifiers():
    """Author 2 with the name of author 1 is not 'already there' because author 1 is."""
    from tests.review_fixture import claim, snak

    def author(ordinal: str, cid: str | None = None) -> dict:
        c = claim("P2093", "string", {"type": "string", "value": "Wei Wang"})
        c["qualifiers"] = {"P1545": [snak("P1545", "string",
                                          {"type": "string", "value": ordinal})]}
        c["qualifiers-order"] = ["P1545"]
        if cid:
            c["id"], c["references"] = cid, []
        return c

    first = author("1", "Q910$a1")
    current = {"id": "Q910", "lastrevid": 10, "claims": {"P2093": [first]}}
    group = {"id": "Q910", "checked": True, "current": current}
    op = {"id": "op-1", "kind": "add_claim", "data": author("2")}
    assert apply.recheck(group, op, current) == "keep"
    both = {"id": "Q910", "lastrevid": 11, "claims": {"P2093": [first, author("2", "Q910$a2")]}}
    both["claims"]["P2093"][1]["references"] = op["data"]["references"]
    assert apply.recheck(group, op, both) == "present"


def test_recheck_finds_a_value_present_in_another_form():
    """A page range stored with a hyphen, a year written +2018-01-01/9: already there."""
    from tests.review_fixture import claim

    wanted = claim("P304", "string", {"type": "string", "value": "1–4"})
    stored = claim("P304", "string", {"type": "string", "value": "1-4"})
    stored["id"], stored["references"] = "Q910$p1", wanted.get("references", [])
    current = {"id": "Q910", "lastrevid": 10, "claims": {"P304": [stored]}}
    group = {"id": "Q910", "checked": True, "current": current}
    op = {"id": "op-1", "kind": "add_claim", "data": wanted}
    assert apply.recheck(group, op, current) == "present"

    def year(value: str) -> dict:
        return claim("P577", "time", {"type": "time", "value": {
            "time": value, "precision": 9, "timezone": 0, "before": 0, "after": 0,
            "calendarmodel": "http://www.wikidata.org/entity/Q1985727"}})

    stored_year = year("+2018-01-01T00:00:00Z")
    wanted_year = year("+2018-00-00T00:00:00Z")
    stored_year["id"], stored_year["references"] = "Q910$d1", wanted_year.get("references", [])
    current = {"id": "Q910", "lastrevid": 10, "claims": {"P577": [stored_year]}}
    op = {"id": "op-2", "kind": "add_claim", "data": wanted_year}
    assert apply.recheck(group, op, current) == "present"
