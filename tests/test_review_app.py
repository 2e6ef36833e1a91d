"""The review app over real HTTP on 127.0.0.1: token, Host, Origin, CSRF, rules, no lost update."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.review_fixture import HOSTILE, make_proposal, rehash
from toolkit.edits.decision_store import Decision, record_decision
from toolkit.edits.decisions import iter_operations, op_state
from toolkit.edits.proposal import load_proposal, save_proposal
from toolkit.edits.review import ReviewOptions, review_file
from toolkit.edits.review_app import ReviewAppSettings, ReviewSession, running_review_app

CRITICAL_OP = "op-000000000401"


@pytest.fixture
def proposal_file(tmp_path: Path) -> Path:
    return save_proposal(tmp_path / "proposal.json", make_proposal())


@pytest.fixture
def app(proposal_file: Path) -> Iterator[ReviewSession]:
    with running_review_app(proposal_file, ReviewAppSettings(reviewer="Fixture Reviewer",
                                                            open_browser=False)) as session:
        yield session


def base(session: ReviewSession) -> str:
    return f"http://127.0.0.1:{session.port}"


def client(session: ReviewSession) -> httpx.Client:
    # trust_env=False: no proxy from the environment for a loopback server
    return httpx.Client(base_url=base(session), trust_env=False, timeout=30)


def login(session: ReviewSession, http: httpx.Client) -> str:
    """Redeem the one-time token; return the page's CSRF token."""
    answer = http.get(f"/?token={session.token}")
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    page = http.get("/")
    assert page.status_code == 200
    found = re.search(r'<meta name="csrf-token" content="([^"]+)">', page.text)
    assert found
    return found.group(1)


def hashes(path: Path) -> dict[str, str]:
    return {op["id"]: op["hash"] for _, op in iter_operations(load_proposal(path))}


def post(session: ReviewSession, http: httpx.Client, csrf: str | None, body: dict[str, Any],
         origin: str | None = "own") -> httpx.Response:
    headers = {"content-type": "application/json"}
    if origin == "own":
        headers["origin"] = base(session)
    elif origin is not None:
        headers["origin"] = origin
    if csrf is not None:
        headers["x-csrf-token"] = csrf
    return http.post("/api/decide", content=json.dumps(body), headers=headers)


def decision(path: Path, op_id: str, action: str = "approve", **extra: Any) -> dict[str, Any]:
    return {"op": op_id, "action": action, "hash": hashes(path)[op_id], **extra}


def states(path: Path) -> dict[str, str]:
    return {op["id"]: op_state(op) for _, op in iter_operations(load_proposal(path))}


def test_nothing_answers_without_the_token(app, proposal_file):
    with client(app) as http:
        for url in ("/", "/app.js", "/app.css", "/?token=wrong"):
            assert http.get(url).status_code == 403, url
        assert post(app, http, "x", decision(proposal_file, "op-000000000101")).status_code \
            == 403


def test_the_token_works_once_and_leaves_the_url(app):
    with client(app) as http:
        login(app, http)
        cookie = http.cookies.get(app.cookie)
        assert cookie
        # a second visit with the same link and the session: sent to the plain URL
        assert http.get(f"/?token={app.token}").headers["location"] == "/"
    with client(app) as other:  # another browser: the link is spent
        assert other.get(f"/?token={app.token}").status_code == 403
        assert other.get("/").status_code == 403


def test_session_cookie_and_security_headers(app):
    with client(app) as http:
        answer = http.get(f"/?token={app.token}")
        set_cookie = answer.headers["set-cookie"].lower()
        assert "httponly" in set_cookie and "samesite=strict" in set_cookie
        page = http.get("/")
        csp = page.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert page.headers["x-frame-options"] == "DENY"
        # nothing loads from outside the machine (links to the wiki's items are only links),
        # no inline script or style
        assert not re.search(r'src="(https?:)?//', page.text)
        assert re.findall(r"<link [^>]*>", page.text) == ['<link rel="stylesheet" href="/app.css">']
        assert "<style" not in page.text and "style=" not in page.text
        assert page.text.count("<script") == 1 and '<script src="/app.js" defer>' in page.text


def test_labels_are_escaped_on_the_page(app):
    with client(app) as http:
        login(app, http)
        page = http.get("/").text
        assert HOSTILE not in page
        assert "&lt;script&gt;document.title=&#x27;pwned&#x27;" in page


@pytest.mark.parametrize("host", ["evil.example:80", "127.0.0.1:1", "localhost"])
def test_other_host_headers_are_refused(app, host):
    with client(app) as http:
        login(app, http)
        assert http.get("/", headers={"host": host}).status_code == 403


@pytest.mark.parametrize("origin", [None, "http://evil.example", "null", "http://127.0.0.1:1"])
def test_a_post_from_another_origin_is_refused(app, proposal_file, origin):
    with client(app) as http:
        csrf = login(app, http)
        before = proposal_file.read_bytes()
        answer = post(app, http, csrf, decision(proposal_file, "op-000000000101"),
                      origin=origin)
        assert answer.status_code == 403
        assert "Origin" in answer.json()["error"]
        assert proposal_file.read_bytes() == before


@pytest.mark.parametrize("csrf", [None, "", "wrong-token"])
def test_a_post_without_the_right_csrf_token_is_refused(app, proposal_file, csrf):
    with client(app) as http:
        login(app, http)
        before = proposal_file.read_bytes()
        answer = post(app, http, csrf, decision(proposal_file, "op-000000000101"))
        assert answer.status_code == 403 and "CSRF" in answer.json()["error"]
        assert proposal_file.read_bytes() == before


def test_approve_saves_at_once_with_reviewer_time_and_hash(app, proposal_file):
    with client(app) as http:
        csrf = login(app, http)
        seen = hashes(proposal_file)["op-000000000101"]
        answer = post(app, http, csrf, decision(proposal_file, "op-000000000101",
                                                comment="checked <b>"))
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["state"] == "approved" and body["decided"] == 1 and body["total"] == 11
    op = next(op for _, op in iter_operations(load_proposal(proposal_file))
              if op["id"] == "op-000000000101")
    review = op["review"]
    assert review["state"] == "approved" and review["hash"] == seen
    assert review["reviewer"] == "Fixture Reviewer" and review["comment"] == "checked <b>"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", review["time"])


def test_approving_a_critical_op_is_refused_and_the_file_unchanged(app, proposal_file):
    with client(app) as http:
        csrf = login(app, http)
        page = http.get("/").text
        card = page[page.index(f'id="{CRITICAL_OP}"'):]
        card = card[:card.index("</article>")]
        assert '<button type="button" class="approve" disabled' in card
        before = proposal_file.read_bytes()
        answer = post(app, http, csrf, decision(proposal_file, CRITICAL_OP))
        assert answer.status_code == 422 and "CRITICAL" in answer.json()["error"]
        assert proposal_file.read_bytes() == before
        # rejecting it is fine
        assert post(app, http, csrf, decision(proposal_file, CRITICAL_OP, "reject")) \
            .status_code == 200


def test_a_stale_hash_is_refused_with_409(app, proposal_file):
    with client(app) as http:
        csrf = login(app, http)
        seen = hashes(proposal_file)["op-000000000201"]
        # the proposal is regenerated meanwhile: the operation's value changed
        doc = load_proposal(proposal_file)
        op = next(op for _, op in iter_operations(doc) if op["id"] == "op-000000000201")
        op["data"]["value"] = "Fixture Org (changed)"
        rehash(op, doc)
        save_proposal(proposal_file, doc)
        before = proposal_file.read_bytes()
        answer = post(app, http, csrf, {"op": "op-000000000201", "action": "approve",
                                        "hash": seen})
        assert answer.status_code == 409 and "reload" in answer.json()["error"]
        assert proposal_file.read_bytes() == before


@pytest.mark.parametrize("body,status", [
    ({"op": "op-000000009999", "action": "approve", "hash": "sha256:x"}, 404),
    ({"op": "op-000000000101", "action": "delete", "hash": "HASH"}, 422),
    ({"op": "op-000000000101", "action": "approve"}, 400),
    ({"op": "op-000000000101", "action": "approve", "hash": "HASH", "comment": 5}, 400),
])
def test_bad_requests(app, proposal_file, body, status):
    body = {k: (hashes(proposal_file)["op-000000000101"] if v == "HASH" else v)
            for k, v in body.items()}
    with client(app) as http:
        csrf = login(app, http)
        assert post(app, http, csrf, body).status_code == status


def test_a_comment_keeps_the_state(app, proposal_file):
    with client(app) as http:
        csrf = login(app, http)
        answer = post(app, http, csrf, decision(proposal_file, "op-000000000202", "comment",
                                                comment="ask the article's author"))
        assert answer.status_code == 200 and answer.json()["state"] == "pending"
        assert answer.json()["decided"] == 0
        post(app, http, csrf, decision(proposal_file, "op-000000000201", "reject"))
        answer = post(app, http, csrf, decision(proposal_file, "op-000000000201", "comment",
                                                comment="duplicate alias"))
        assert answer.json()["state"] == "rejected"
    ops = {op["id"]: op for _, op in iter_operations(load_proposal(proposal_file))}
    assert ops["op-000000000202"]["review"]["comment"] == "ask the article's author"
    assert op_state(ops["op-000000000202"]) == "pending"
    assert ops["op-000000000201"]["review"]["state"] == "rejected"
    assert ops["op-000000000201"]["review"]["comment"] == "duplicate alias"


def _many_ops(path: Path, count: int) -> list[str]:
    """Give the fixture's first group ``count`` alias operations (ids op-7…)."""
    doc = load_proposal(path)
    group = doc["entities"][0]
    template = group["operations"][0]
    for i in range(count):
        op = json.loads(json.dumps(template))
        op["id"] = f"op-7{i:011d}"
        op["kind"] = "add_alias"
        op["data"] = {"language": "en", "value": f"Fixture alias {i}"}
        op["language"] = "en"
        op["review"] = {"state": "pending"}
        group["operations"].append(op)
        rehash(op, doc)
    save_proposal(path, doc)
    return [f"op-7{i:011d}" for i in range(count)]


def test_two_concurrent_clients_lose_no_decision(app, proposal_file):
    ids = _many_ops(proposal_file, 40)
    seen = hashes(proposal_file)
    with client(app) as first:
        csrf = login(app, first)
        cookies = dict(first.cookies)
    errors: list[str] = []

    def decide_all(mine: list[str], action: str) -> None:
        # a second tab: the same session, its own connection
        with client(app) as http:
            http.cookies.update(cookies)
            for op_id in mine:
                answer = post(app, http, csrf, {"op": op_id, "action": action,
                                                "hash": seen[op_id]})
                if answer.status_code != 200:
                    errors.append(f"{op_id}: {answer.status_code} {answer.text}")

    threads = [threading.Thread(target=decide_all, args=(ids[0::2], "approve")),
               threading.Thread(target=decide_all, args=(ids[1::2], "reject"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    got = states(proposal_file)
    assert [got[i] for i in ids[0::2]] == ["approved"] * 20
    assert [got[i] for i in ids[1::2]] == ["rejected"] * 20


def test_the_cli_and_the_app_deciding_together_lose_nothing(app, proposal_file):
    ids = _many_ops(proposal_file, 30)
    seen = hashes(proposal_file)
    app_ids, cli_ids = ids[:15], ids[15:]
    with client(app) as http:
        csrf = login(app, http)
        errors: list[str] = []

        def by_app() -> None:
            for op_id in app_ids:
                answer = post(app, http, csrf, {"op": op_id, "action": "approve",
                                                "hash": seen[op_id]})
                if answer.status_code != 200:
                    errors.append(answer.text)

        def by_cli() -> None:
            for op_id in cli_ids:
                review_file(proposal_file, ReviewOptions(reject=[op_id], reviewer="cli"))

        threads = [threading.Thread(target=by_app), threading.Thread(target=by_cli)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    assert errors == []
    got = states(proposal_file)
    assert [got[i] for i in app_ids] == ["approved"] * 15
    assert [got[i] for i in cli_ids] == ["rejected"] * 15


def test_an_interactive_walk_keeps_what_the_app_decided_meanwhile(proposal_file):
    seen = hashes(proposal_file)
    answers = iter(["a", "q"])

    def ask(prompt: str) -> str:
        if prompt.startswith("approve"):
            # the browser decides on another entity while the terminal waits for its answer
            record_decision(proposal_file, Decision("op-000000000201", "reject",
                                                    seen["op-000000000201"], "browser"))
        return next(answers)

    result = review_file(proposal_file, ReviewOptions(reviewer="terminal"), ask=ask,
                         say=lambda _: None)
    assert result.saved and "op-000000000101" in result.changed
    got = states(proposal_file)
    assert got["op-000000000201"] == "rejected"
    assert [got[f"op-00000000010{i}"] for i in range(1, 5)] == ["approved"] * 4


def test_record_decision_without_the_lock_would_lose_updates(proposal_file, monkeypatch):
    """The concurrency tests can fail: with the lock made a no-op, updates get lost."""
    import contextlib

    from toolkit.edits import decision_store
    from toolkit.edits import proposal as proposal_io

    ids = _many_ops(proposal_file, 12)
    seen = hashes(proposal_file)
    monkeypatch.setattr(decision_store, "proposal_lock", lambda path: contextlib.nullcontext())
    real_load = proposal_io.load_proposal
    barrier = threading.Barrier(2)

    def slow_load(path: Any) -> dict[str, Any]:
        doc = real_load(path)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=2)  # both readers hold the same old state
        return doc

    monkeypatch.setattr(proposal_io, "load_proposal", slow_load)

    def decide_some(mine: list[str]) -> None:
        for op_id in mine:
            record_decision(proposal_file, Decision(op_id, "approve", seen[op_id], "x"))

    threads = [threading.Thread(target=decide_some, args=(ids[i::2],)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    monkeypatch.setattr(proposal_io, "load_proposal", real_load)
    got = states(proposal_file)
    assert sum(got[i] == "approved" for i in ids) < len(ids)


def test_serve_refuses_decision_flags(proposal_file, capsys):
    from toolkit.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["review", str(proposal_file), "--serve", "--approve", "all-clean"])
    assert stop.value.code == 2
    assert "--serve records decisions in the browser" in capsys.readouterr().err


def test_toolkit_review_serve_prints_the_url_and_stops_on_ctrl_c(proposal_file):
    """The real command in a child process: the URL it prints works; SIGINT stops it."""
    import signal
    import subprocess
    import sys

    child = subprocess.Popen(
        [sys.executable, "-m", "toolkit", "review", str(proposal_file), "--serve",
         "--no-browser", "--reviewer", "Fixture Reviewer"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        found = re.search(r"open (http://127\.0\.0\.1:(\d+)/\?token=\S+)", line)
        assert found, line
        with httpx.Client(trust_env=False, timeout=30) as http:
            assert http.get(found.group(1)).status_code == 303
            page = http.get(f"http://127.0.0.1:{found.group(2)}/")
            assert page.status_code == 200 and "0 of 11 decided" in page.text
        child.send_signal(signal.SIGINT)
        assert child.wait(timeout=30) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
