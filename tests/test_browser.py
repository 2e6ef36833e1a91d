"""The HTML review page in a real browser (headless Chromium): readable, right-to-left, safe."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.review_fixture import ARABIC_TITLE, HOSTILE, make_proposal
from tests.test_report import parse
from toolkit.edits import report

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"

# No silent skip: without Chromium these tests fail and say how to install it.
pytestmark = [pytest.mark.browser]


@pytest.fixture(autouse=True)
def _chromium_installed() -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail("headless Chromium is not installed: `apt-get install chromium` "
                    "(.ci/run does this)")


def chromium(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium on a file:// page, with a fresh profile and no background traffic."""
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--disable-quic", "--disable-extensions",
               f"--user-data-dir={profile}", *extra, page.resolve().as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=True)


def dump_dom(page: Path, tmp_path: Path) -> str:
    # give scripts (if any ran) time to act before the DOM is dumped
    return chromium(page, tmp_path / "profile-dom", "--virtual-time-budget=2000",
                    "--dump-dom").stdout


def test_control_page_shows_the_check_can_fail(tmp_path):
    """An unescaped hostile label does run: the same check on our page is meaningful."""
    page = tmp_path / "control.html"
    # the hostile label without its alert(), which would block a headless browser
    hostile = HOSTILE.replace("alert(1)", "")
    page.write_text("<!DOCTYPE html><html><head><title>Review</title></head><body>"
                    f"<h2>{hostile}</h2></body></html>", encoding="utf-8")
    dom = dump_dom(page, tmp_path)
    assert "<title>pwned</title>" in dom


def test_review_page_in_chromium(tmp_path):
    page = report.write_html(make_proposal(), tmp_path / "review.html")
    dom = dump_dom(page, tmp_path)
    parsed = parse(dom)
    # the hostile label did not run: title unchanged, no script element, shown as text
    assert "<title>Review of batch tk-0123456789ab</title>" in dom
    assert "pwned</title>" not in dom
    assert not [t for t, _ in parsed.tags if t == "script"]
    assert HOSTILE in "".join(parsed.text)
    # Arabic is present and inside right-to-left elements
    assert ARABIC_TITLE in "".join(parsed.rtl_text)
    assert any(a.get("dir") == "rtl" and a.get("lang") == "ar" for _, a in parsed.tags)

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "review-page.png"
    shot.unlink(missing_ok=True)
    chromium(page, tmp_path / "profile-shot", "--hide-scrollbars", "--window-size=1280,1800",
             f"--screenshot={shot}")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
