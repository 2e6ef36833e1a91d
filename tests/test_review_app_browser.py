"""The review app in a real browser: Debian's Chromium driven by Playwright (no download).

Clicks and keys decide, a reload shows the decisions, the proposal file holds exactly
them, and ``toolkit apply`` (dry run) then plans exactly the approved operations. Hostile
labels and comments stay text. Screenshots are kept in tests/artifacts/review-app.png
(the whole page) and review-app-top.png (the first screen).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.review_fixture import ARABIC_TITLE, HOSTILE, make_proposal
from toolkit.edits.decisions import iter_operations, op_state
from toolkit.edits.proposal import load_proposal, save_proposal
from toolkit.edits.review_app import ReviewAppSettings, ReviewSession, running_review_app

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"
ROOT = Path(__file__).resolve().parent.parent
HOSTILE_IMG = "<img src=x onerror=\"document.title='pwned-img'\">"
HOSTILE_COMMENT = "</script><img src=x onerror=\"document.title='pwned-comment'\">"
APPROVED = ["op-000000000101", "op-000000000102", "op-000000000103"]
REJECTED = "op-000000000201"
COMMENTED = "op-000000000202"
CRITICAL = "op-000000000401"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        "--no-proxy-server"]

pytestmark = [pytest.mark.browser]


@pytest.fixture
def browser() -> Iterator[Any]:
    # No silent skip: without Chromium or Playwright this fails and says how to install them.
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: `apt-get install chromium` (.ci/run does this)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is not installed: `pip install -e '.[test]'` (no "
                    "`playwright install` needed: the test uses Debian's chromium)")
    with sync_playwright() as play:
        chromium = play.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[ReviewSession, Path]]:
    proposal = make_proposal()
    proposal["entities"][3]["label"] = HOSTILE_IMG  # the CRITICAL group: another hostile label
    path = save_proposal(tmp_path / "proposal.json", proposal)
    with running_review_app(path, ReviewAppSettings(reviewer="Fixture Reviewer",
                                                    open_browser=False)) as session:
        yield session, path


def card(page: Any, op_id: str) -> Any:
    return page.locator(f"article.op[data-op='{op_id}']")


def wait_state(page: Any, op_id: str, state: str) -> None:
    page.wait_for_selector(f"article.op[data-op='{op_id}'][data-state='{state}']",
                           timeout=10_000)


def decide_in_the_browser(page: Any) -> None:
    """3 approvals (two clicks, one j + a), 1 rejection, 1 comment; CRITICAL stays blocked."""
    card(page, APPROVED[0]).locator("button.approve").click()
    wait_state(page, APPROVED[0], "approved")
    card(page, APPROVED[1]).locator("button.approve").click()
    wait_state(page, APPROVED[1], "approved")
    card(page, APPROVED[1]).locator("h3").first.click()  # select the card, then keys
    page.keyboard.press("j")
    assert card(page, APPROVED[2]).get_attribute("class") == "op current"
    page.keyboard.press("a")
    wait_state(page, APPROVED[2], "approved")
    card(page, REJECTED).locator("button.reject").click()
    wait_state(page, REJECTED, "rejected")
    card(page, COMMENTED).locator("input.comment").fill(HOSTILE_COMMENT)
    card(page, COMMENTED).locator("button.save-comment").click()
    page.wait_for_function("(t) => document.querySelector(\"article.op[data-op='"
                           + COMMENTED + "'] .saved-comment\").textContent === t",
                           arg=HOSTILE_COMMENT, timeout=10_000)
    # CRITICAL: the button is disabled, the key refused in the page, the server refuses too
    assert card(page, CRITICAL).locator("button.approve").is_disabled()
    card(page, CRITICAL).locator("h3").first.click()
    page.keyboard.press("a")
    assert "CRITICAL" in page.locator("#message").text_content()
    status = page.evaluate("""async ([op, hash]) => {
        const csrf = document.querySelector('meta[name="csrf-token"]').content;
        const r = await fetch('/api/decide', {method: 'POST', headers: {
            'Content-Type': 'application/json', 'X-CSRF-Token': csrf},
            body: JSON.stringify({op: op, action: 'approve', hash: hash})});
        return r.status; }""", [CRITICAL, card(page, CRITICAL).get_attribute("data-hash")])
    assert status == 422
    assert card(page, CRITICAL).get_attribute("data-state") == "pending"


def assert_inert(page: Any, dialogs: list[str]) -> None:
    """No hostile label or comment ran or became an element; they show as text."""
    assert dialogs == []
    assert page.title() == "Review of batch tk-0123456789ab"
    assert page.locator("img").count() == 0
    assert page.locator("script").count() == 1  # app.js only
    text = page.locator("body").inner_text()
    assert HOSTILE in text and HOSTILE_IMG in text and HOSTILE_COMMENT in text


def page_states(page: Any) -> dict[str, str]:
    return page.eval_on_selector_all(
        "article.op", "els => Object.fromEntries(els.map(e => [e.dataset.op, e.dataset.state]))")


def check_filters(page: Any) -> None:
    page.check("#f-pending")
    shown = [op for op in page_states(page) if card(page, op).is_visible()]
    assert set(shown) == {"op-000000000202", "op-000000000301", "op-000000000302",
                          "op-000000000303", "op-000000000304", CRITICAL, "op-000000000104"}
    page.check("#f-findings")
    shown = [op for op in page_states(page) if card(page, op).is_visible()]
    assert set(shown) == {COMMENTED, CRITICAL}
    page.uncheck("#f-pending")
    page.uncheck("#f-findings")
    page.select_option("#f-kind", "entity")
    shown = [op for op in page_states(page) if card(page, op).is_visible()]
    assert set(shown) == {REJECTED, COMMENTED}
    page.select_option("#f-kind", "")


def dry_run_ops(path: Path) -> list[str]:
    """The operation ids `toolkit apply` (dry run) plans to send, from its output."""
    done = subprocess.run([sys.executable, "-m", "toolkit", "apply", str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=True)
    assert "dry run" in done.stdout and "nothing is sent" in done.stdout
    planned = re.findall(r"^\[\d+\] .*: operations (.*)$", done.stdout, flags=re.M)
    return sorted(op for line in planned for op in line.split(", "))


def test_decide_in_the_browser_reload_and_apply_sends_exactly_those(browser, served):
    session, path = served
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    blocked: list[str] = []  # CSP violations: the page itself must need none
    page.on("console", lambda m: blocked.append(m.text)
            if "Content Security Policy" in m.text else None)
    page.goto(session.start_url)
    assert page.url == f"http://127.0.0.1:{session.port}/"  # the token left the URL
    assert page.locator("#progress").text_content() == "0 of 11 decided"
    decide_in_the_browser(page)
    assert page.locator("#progress").text_content() == "4 of 11 decided"

    page.reload()
    states = page_states(page)
    assert sorted(op for op, s in states.items() if s == "approved") == APPROVED
    assert [op for op, s in states.items() if s == "rejected"] == [REJECTED]
    assert page.locator("#progress").text_content() == "4 of 11 decided"
    assert card(page, COMMENTED).locator("input.comment").input_value() == HOSTILE_COMMENT
    assert_inert(page, dialogs)
    check_filters(page)
    assert blocked == []

    ops = {op["id"]: op for _, op in iter_operations(load_proposal(path))}
    in_file = {op_id: op_state(op) for op_id, op in ops.items()}
    assert sorted(k for k, v in in_file.items() if v == "approved") == APPROVED
    assert [k for k, v in in_file.items() if v == "rejected"] == [REJECTED]
    for op_id in [*APPROVED, REJECTED]:
        review = ops[op_id]["review"]
        assert review["reviewer"] == "Fixture Reviewer" and review["hash"] == ops[op_id]["hash"]
    assert ops[COMMENTED]["review"]["comment"] == HOSTILE_COMMENT
    assert in_file[COMMENTED] == "pending"
    assert dry_run_ops(path) == APPROVED

    # Arabic is right to left in the page
    rtl = page.eval_on_selector_all("[dir=rtl][lang=ar]", "els => els.map(e => e.textContent)")
    assert ARABIC_TITLE in rtl
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "review-app.png"
    shot.unlink(missing_ok=True)
    page.screenshot(path=str(shot), full_page=True)
    top = ARTIFACTS / "review-app-top.png"  # the first screen, at full size
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(top))
    for picture in (shot, top):
        data = picture.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_a_page_without_the_token_shows_nothing(browser, served):
    session, _ = served
    page = browser.new_page()
    answer = page.goto(f"http://127.0.0.1:{session.port}/")
    assert answer is not None and answer.status == 403
    assert "Review of batch" not in page.content()
