"""Review decisions: selectors, CRITICAL findings, hash binding and carrying decisions."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.review_fixture import HOSTILE, make_proposal, rehash
from toolkit.edits import decisions, review
from toolkit.errors import ReviewError


def states(proposal):
    return {op["id"]: decisions.op_state(op) for _, op in decisions.iter_operations(proposal)}


def test_new_proposal_is_all_pending():
    assert set(states(make_proposal()).values()) == {"pending"}


def test_approve_by_operation_id_records_reviewer_comment_time_and_hash():
    doc = make_proposal()
    changed = review.decide(doc, approve=["op-000000000101"], reviewer="Fixture Reviewer",
                            comment="looks right", now="2026-01-03T00:00:00Z")
    assert changed == ["op-000000000101"]
    op = doc["entities"][0]["operations"][0]
    assert op["review"] == {"state": "approved", "reviewer": "Fixture Reviewer",
                            "comment": "looks right", "time": "2026-01-03T00:00:00Z",
                            "hash": op["hash"]}
    s = states(doc)
    assert s.pop("op-000000000101") == "approved"
    assert set(s.values()) == {"pending"}


def test_approve_by_entity_id_key_and_placeholder():
    doc = make_proposal()
    review.decide(doc, approve=["Q910"], reviewer="r")
    review.decide(doc, reject=["entity:fixture-org"], reviewer="r")
    review.decide(doc, approve=["NEW-fixture-book"], reviewer="r")
    s = states(doc)
    assert [s[f"op-00000000010{i}"] for i in range(1, 5)] == ["approved"] * 4
    assert [s[f"op-00000000020{i}"] for i in range(1, 3)] == ["rejected"] * 2
    assert [s[f"op-00000000030{i}"] for i in range(1, 5)] == ["approved"] * 4
    assert s["op-000000000401"] == "pending"


def test_all_clean_skips_groups_with_findings():
    doc = make_proposal()
    review.decide(doc, approve=[review.ALL_CLEAN], reviewer="r")
    s = states(doc)
    approved = {k for k, v in s.items() if v == "approved"}
    # Q910 and the new book have no findings; Q920 has a WARNING, Q930 a CRITICAL
    assert approved == {f"op-00000000010{i}" for i in range(1, 5)} | \
        {f"op-00000000030{i}" for i in range(1, 5)}


def test_critical_finding_cannot_be_approved_and_nothing_changes():
    doc = make_proposal()
    before = copy.deepcopy(doc)
    with pytest.raises(ReviewError, match="CRITICAL"):
        review.decide(doc, approve=["op-000000000101", "Q930"], reviewer="r")
    assert doc == before
    # rejecting it is fine
    assert review.decide(doc, reject=["op-000000000401"], reviewer="r") == ["op-000000000401"]


def test_group_wide_critical_blocks_every_operation_of_the_group():
    doc = make_proposal()
    doc["entities"][0]["findings"].append(
        {"severity": "CRITICAL", "code": "x", "message": "m", "operation": None})
    with pytest.raises(ReviewError):
        review.decide(doc, approve=["op-000000000102"], reviewer="r")


def test_unknown_selector_and_contradiction_are_errors():
    doc = make_proposal()
    with pytest.raises(ReviewError, match="op-nope"):
        review.decide(doc, approve=["op-nope"], reviewer="r")
    with pytest.raises(ReviewError, match="both approved and rejected"):
        review.decide(doc, approve=["Q910"], reject=["op-000000000102"], reviewer="r")


def test_decision_does_not_apply_once_the_operation_changed():
    doc = make_proposal()
    review.decide(doc, approve=["op-000000000302"], reviewer="r")
    op = doc["entities"][2]["operations"][1]
    assert decisions.op_state(op) == "approved"
    op["data"]["value"] = "Fixture book, changed"
    rehash(op, doc)
    assert decisions.op_state(op) == "pending"


def test_carry_decisions_keeps_unchanged_and_drops_changed():
    old = make_proposal()
    review.decide(old, approve=["Q910"], reject=["op-000000000201"], reviewer="r")
    new = make_proposal()  # regenerated: same ids, all pending
    changed = new["entities"][0]["operations"][1]
    changed["data"]["mainsnak"]["datavalue"]["value"]["text"] = "another title"
    rehash(changed, new)
    carried = review.carry_decisions(old, new)
    s = states(new)
    assert carried == 4  # 3 unchanged approvals of Q910 + the rejection
    assert s["op-000000000101"] == "approved"
    assert s["op-000000000102"] == "pending"
    assert s["op-000000000103"] == "approved"
    assert s["op-000000000201"] == "rejected"
    assert new["entities"][0]["operations"][0]["review"]["reviewer"] == "r"


def test_carry_decisions_ignores_stale_old_decisions():
    old = make_proposal()
    review.decide(old, approve=["op-000000000101"], reviewer="r")
    op = old["entities"][0]["operations"][0]
    op["review"]["hash"] = "sha256:stale"
    assert review.carry_decisions(old, make_proposal()) == 0


def test_carry_decisions_never_carries_an_approval_onto_a_critical_finding():
    """An approval taken before a CRITICAL finding appeared stays pending (a rejection is
    still carried: it can only make the batch smaller)."""
    old = make_proposal()
    review.decide(old, approve=["Q910"], reject=["op-000000000202"], reviewer="r")
    new = make_proposal()
    new["entities"][0]["findings"].append({
        "severity": "CRITICAL", "code": "duplicate-label-description",
        "message": "fixture: now a duplicate", "operation": "op-000000000101"})
    new["entities"][1]["findings"].append({
        "severity": "CRITICAL", "code": "fixture-critical", "message": "group-wide",
        "operation": None})
    carried = review.carry_decisions(old, new)
    s = states(new)
    assert s["op-000000000101"] == "pending"
    assert s["op-000000000102"] == "approved"
    assert s["op-000000000202"] == "rejected"
    assert carried == 4


def test_summary_names_entities_states_and_findings_without_control_characters():
    doc = make_proposal()
    doc["entities"][1]["label"] = "evil\x1b[2Jlabel"
    review.decide(doc, approve=["op-000000000101"], reviewer="r")
    text = review.summarize(doc)
    assert "batch tk-0123456789ab" in text
    assert "op-000000000101" in text and "approved by r" in text
    assert "CRITICAL fixture-critical" in text
    assert "\x1b" not in text and "\\x1b[2J" in text
    assert "Q940" in text and "no change" in text
    assert "NEW-fixture-book" in text


def test_interactive_walks_groups_and_quits():
    doc = make_proposal()
    answers = iter(["a", "x", "r", "s", "q"])
    out: list[str] = []
    changed = review.interactive(doc, lambda _prompt: next(answers), out.append, reviewer="r")
    s = states(doc)
    assert all(s[f"op-00000000010{i}"] == "approved" for i in range(1, 5))
    assert all(s[f"op-00000000020{i}"] == "rejected" for i in range(1, 3))
    assert all(s[f"op-00000000030{i}"] == "pending" for i in range(1, 5))
    assert len(changed) == 6
    assert any("please answer" in line for line in out)
    assert any(HOSTILE in line for line in out)  # shown as text in the terminal


def test_interactive_end_of_input_keeps_the_decisions_taken(tmp_path):
    """Ctrl-D (end of input) ends the walk like 'quit': what was decided is saved."""
    from toolkit.edits.proposal import load_proposal, save_proposal

    path = save_proposal(tmp_path / "p.json", make_proposal())
    answers = iter(["a"])

    def ask(_prompt: str) -> str:
        try:
            return next(answers)
        except StopIteration:
            raise EOFError from None

    result = review.review_file(path, review.ReviewOptions(reviewer="r"), ask=ask,
                                say=lambda _m: None)
    assert result.saved and len(result.changed) == 4
    assert states(load_proposal(path))["op-000000000101"] == "approved"


def test_interactive_refuses_critical_and_goes_on():
    doc = make_proposal()
    answers = iter(["s", "s", "s", "a"])
    out: list[str] = []
    review.interactive(doc, lambda _p: next(answers), out.append, reviewer="r")
    assert states(doc)["op-000000000401"] == "pending"
    assert any("not recorded" in line for line in out)


def test_review_file_saves_decisions_and_writes_reports(tmp_path):
    from toolkit.edits.proposal import load_proposal, save_proposal

    path = save_proposal(tmp_path / "proposal.json", make_proposal())
    options = review.ReviewOptions(approve=["Q910"], reviewer="r", comment="c",
                                   html=tmp_path / "r.html", markdown=tmp_path / "r.md")
    result = review.review_file(path, options)
    assert result.saved and len(result.changed) == 4
    assert set(result.outputs) == {"html", "markdown"}
    again = load_proposal(path)  # still a valid proposal
    assert states(again)["op-000000000102"] == "approved"
    # a failed decision leaves the file untouched
    before = path.read_bytes()
    with pytest.raises(ReviewError):
        review.review_file(path, review.ReviewOptions(approve=["op-000000000401"]))
    assert path.read_bytes() == before


def test_review_file_carries_decisions_from_previous(tmp_path):
    from toolkit.edits.proposal import load_proposal, save_proposal

    old = make_proposal()
    review.decide(old, approve=["Q910"], reviewer="r")
    old_path = save_proposal(tmp_path / "old.json", old)
    new = make_proposal()
    changed = new["entities"][0]["operations"][0]
    changed["data"]["value"] = "عنوان آخر"
    rehash(changed, new)
    new["entities"][0]["edit"] = None  # not looked at by review
    new_path = save_proposal(tmp_path / "new.json", new)
    result = review.review_file(new_path, review.ReviewOptions(previous=old_path))
    assert result.carried == 3
    s = states(load_proposal(new_path))
    assert s["op-000000000101"] == "pending" and s["op-000000000102"] == "approved"


# -- the commands, as a user runs them ----------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


def toolkit_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a child process and report whether pywikibot got imported."""
    code = ("import sys; from toolkit.cli import main\n"
            "try:\n    main(sys.argv[1:])\nfinally:\n"
            "    print('PYWIKIBOT' if 'pywikibot' in sys.modules else 'NO-PYWIKIBOT',"
            " file=sys.stderr)")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("PYWIKIBOT_DIR", None)
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_run_on_the_seed_offline_then_review_and_dry_run(tmp_path):
    out = tmp_path / "out"
    work = tmp_path / "cwd"
    work.mkdir()
    seed = ROOT / "mappings" / "cybersex-trafficking"
    done = toolkit_cli("run", str(seed), "--offline", "-o", str(out), cwd=work)
    assert done.returncode == 0, done.stderr
    assert "NO-PYWIKIBOT" in done.stderr
    assert "[5/5]" in done.stderr and "edits proposed" in done.stdout
    names = sorted(p.name for p in out.iterdir())
    assert names == ["jsonld.html", "jsonld.json", "proposal.json", "quickstatements.txt",
                     "review.html", "review.md"]
    assert list(work.iterdir()) == []  # nothing dropped in the working directory
    proposal = out / "proposal.json"
    group = next(g for g in json.loads(proposal.read_text())["entities"] if g["operations"])
    done = toolkit_cli("review", str(proposal), "--approve", group["key"], "--reviewer",
                       "Fixture Reviewer", "--html", str(tmp_path / "r.html"), cwd=work)
    assert done.returncode == 0, done.stderr
    assert "decision(s) recorded" in done.stdout
    done = toolkit_cli("apply", str(proposal), cwd=work)
    assert done.returncode == 0, done.stderr
    assert "dry run" in done.stdout and "action=wbeditentity" in done.stdout
    assert "NO-PYWIKIBOT" in done.stderr  # a dry run needs no pywikibot, no account
    # running again carries the decisions over to the regenerated proposal
    done = toolkit_cli("run", str(seed), "--offline", "-o", str(out), cwd=work)
    assert "carried over" in done.stdout
    assert list(work.iterdir()) == []


def test_bad_proposal_is_a_located_error_without_traceback(tmp_path):
    bad = tmp_path / "p.json"
    bad.write_text('{"format": "toolkit-proposal/1",\n  "run": }', encoding="utf-8")
    done = toolkit_cli("review", str(bad), cwd=tmp_path)
    assert done.returncode == 1
    assert f"{bad}:2:" in done.stderr and "Traceback" not in done.stderr
    done = toolkit_cli("apply", str(bad), cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr


def test_critical_approval_from_the_cli_fails_cleanly(tmp_path):
    from toolkit.edits.proposal import save_proposal

    path = save_proposal(tmp_path / "p.json", make_proposal())
    done = toolkit_cli("review", str(path), "--approve", "Q930", cwd=tmp_path)
    assert done.returncode == 1 and "CRITICAL" in done.stderr
    assert "Traceback" not in done.stderr


def test_run_online_reads_the_wiki_with_the_operators_contact(tmp_path, wikibase_server):
    from toolkit.pipeline import RunSettings, run_pipeline

    seed = ROOT / "mappings" / "cybersex-trafficking"
    result = run_pipeline(seed, RunSettings(output_dir=tmp_path / "out",
                                            api_url=wikibase_server.api_url,
                                            contact="fixture-operator@example.org"),
                          progress=lambda m: None)
    reads = wikibase_server.requests_for("wbgetentities")
    assert reads, "the online run asked the wiki"
    assert all("fixture-operator@example.org" in r.headers["User-Agent"] for r in reads)
    assert not [r for r in wikibase_server.requests if r.is_write]
    assert (result.output_dir / "proposal.json").exists()
