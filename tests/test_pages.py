"""toolkit.wiki.pages against the loopback emulator: request shape, errors, faults, cache.

The pages here are FIXTURES written for these tests (not real wiki text). The real
MediaWiki (tests/test_init_from_wiki.py) proves the request shapes against MediaWiki
itself; the emulator injects what a real wiki does rarely: maxlag, 5xx, timeouts.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.wikibase_server import WikibaseServer
from toolkit.errors import PageError, UsageError
from toolkit.wiki.pages import PageReader, PageSettings, api_url_for, arabic_share, permalink

ARTICLE = "مقالة للمحاكي"
TEXT = ("<!-- FIXTURE wikitext for tests -->\n'''مقالة للمحاكي''' نص عربي قصير للاختبار."
        "<ref>{{cite web |url=https://www.example.org/a |title=A fixture page}}</ref>\n")


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def reader(server: WikibaseServer, **options: object) -> PageReader:
    settings = PageSettings(api_url=server.api_url, language="ar", contact="tests@example.org",
                            **options)  # type: ignore[arg-type]
    return PageReader(settings, sleep=Sleeps())


def test_one_request_with_maxlag_revisions_and_siteinfo(wikibase_server: WikibaseServer) -> None:
    stored = wikibase_server.add_page(ARTICLE, TEXT)
    page = reader(wikibase_server).fetch_page(ARTICLE)
    assert (page.title, page.revid, page.wikitext) == (ARTICLE, stored["revid"], TEXT)
    assert page.redirected_from is None and page.notes == []
    assert page.permalink == f"{wikibase_server.base_url}/w/index.php?oldid={stored['revid']}"
    assert page.language == "ar" and page.site == "loopbackwiki"
    (request,) = wikibase_server.requests
    params = request.params
    assert params["maxlag"] == "5" and params["formatversion"] == "2"
    assert params["redirects"] == "1" and params["rvslots"] == "main"
    assert params["rvprop"] == "ids|content|timestamp" and params["inprop"] == "url"
    assert set(params["prop"].split("|")) >= {"revisions", "pageprops", "info"}
    assert params["meta"] == "siteinfo" and params["titles"] == ARTICLE
    assert "tests@example.org" in request.headers["User-Agent"]


def test_a_redirect_is_followed_and_said(wikibase_server: WikibaseServer) -> None:
    wikibase_server.add_page(ARTICLE, TEXT)
    wikibase_server.add_page("عنوان آخر", "#تحويل [[مقالة للمحاكي]]", redirect_to=ARTICLE)
    page = reader(wikibase_server).fetch_page("عنوان آخر")
    assert page.title == ARTICLE and page.redirected_from == "عنوان آخر"
    assert page.notes == ["followed the redirect 'عنوان آخر' → 'مقالة للمحاكي'"]


@pytest.mark.parametrize(("setup", "title", "words"), [
    ({}, "لا توجد", ["no page 'لا توجد'"]),
    ({"pageprops": {"disambiguation": ""}}, ARTICLE,
     ["disambiguation page", "page property 'disambiguation'"]),
    ({"categories": ["تصنيف:صفحات توضيح"]}, ARTICLE,
     ["disambiguation page", "category 'تصنيف:صفحات توضيح'", "no disambiguation page property"]),
    ({"language": "en"}, ARTICLE, ["in language 'en', not 'ar'"]),
])
def test_pages_that_cannot_be_drafted_from(wikibase_server: WikibaseServer,
                                           setup: dict[str, object], title: str,
                                           words: list[str]) -> None:
    wikibase_server.add_page(ARTICLE, TEXT, **setup)
    with pytest.raises(PageError) as caught:
        reader(wikibase_server).fetch_page(title)
    message = str(caught.value)
    assert "\n" not in message and wikibase_server.api_url in message
    for word in words:
        assert word in message


def test_english_text_on_an_arabic_wiki_is_the_wrong_language(
        wikibase_server: WikibaseServer) -> None:
    wikibase_server.add_page("Fixture page", "'''Fixture page''' is English text only.")
    with pytest.raises(PageError, match="not written in 'ar': 0% of its letters"):
        reader(wikibase_server).fetch_page("Fixture page")


def test_maxlag_and_5xx_are_retried(wikibase_server: WikibaseServer) -> None:
    wikibase_server.add_page(ARTICLE, TEXT)
    wikibase_server.inject("maxlag", lag=7, retry_after=5)
    wikibase_server.inject("http", status=503)
    pages = reader(wikibase_server)
    assert pages.fetch_page(ARTICLE).wikitext == TEXT
    assert pages.stats.requests == 3 and pages.stats.retries == 2
    sleeps = pages._client._sleep
    assert isinstance(sleeps, Sleeps) and sleeps[0] >= 7  # waited at least the reported lag


def test_a_timeout_is_retried(wikibase_server: WikibaseServer) -> None:
    wikibase_server.add_page(ARTICLE, TEXT)
    wikibase_server.inject("timeout", seconds=1.0)
    pages = reader(wikibase_server, timeout=0.2)
    assert pages.fetch_page(ARTICLE).revid > 0 and pages.stats.retries == 1


def test_an_unreachable_api_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    settings = PageSettings(api_url=f"http://127.0.0.1:{port}/api.php", max_retries=1)
    with pytest.raises(PageError) as caught:
        PageReader(settings, sleep=Sleeps()).fetch_page(ARTICLE)
    assert str(caught.value) == (f"cannot read {ARTICLE!r} at http://127.0.0.1:{port}/api.php:"
                                 " the API does not answer (cannot connect)")


def test_offline_replays_the_cache_and_sends_nothing(wikibase_server: WikibaseServer,
                                                     tmp_path: Path) -> None:
    wikibase_server.add_page(ARTICLE, TEXT)
    online = reader(wikibase_server, cache_dir=tmp_path).fetch_page(ARTICLE)
    wikibase_server.requests.clear()
    offline = reader(wikibase_server, cache_dir=tmp_path, offline=True)
    assert offline.fetch_page(ARTICLE) == online
    assert wikibase_server.requests == [] and offline.stats.requests == 0
    with pytest.raises(PageError, match="offline, and no earlier answer is cached"):
        offline.fetch_page("غيرها")


def test_permalink_and_api_url() -> None:
    general = {"server": "//ar.wikipedia.org", "script": "/w/index.php"}
    assert permalink("https://ar.wikipedia.org/w/api.php", general, 42) == \
        "https://ar.wikipedia.org/w/index.php?oldid=42"
    assert permalink("http://127.0.0.1:8/api.php", {}, 7) == "http://127.0.0.1:8/index.php?oldid=7"
    assert api_url_for("ar") == api_url_for("arwiki") == "https://ar.wikipedia.org/w/api.php"
    with pytest.raises(UsageError):
        api_url_for("not a wiki")
    assert arabic_share("abc") == 0 and arabic_share("عربي abcd") == 0.5


def test_init_wiki_ar_names_arabic_wikipedia_and_sends_nothing_offline(tmp_path: Path,
                                                                        capsys) -> None:
    from toolkit.cli import main

    with pytest.raises(SystemExit) as done:
        main(["init", "--wiki", "ar", "--title", ARTICLE, "-o", str(tmp_path / "m"),
              "--offline", "--cache", str(tmp_path / "cache")])
    assert done.value.code == 1
    err = capsys.readouterr().err
    assert err == (f"toolkit: error: cannot read {ARTICLE!r} at https://ar.wikipedia.org/w/"
                   "api.php: offline, and no earlier answer is cached (run once without "
                   "--offline)\n")
    assert not (tmp_path / "m").exists()
    with pytest.raises(SystemExit) as done:
        main(["init", "-o", str(tmp_path / "m")])
    assert done.value.code == 2 and "give an article FILE, or --title" in capsys.readouterr().err
