"""Smoke tests of the loopback MediaWiki (tests/mediawiki_server.py) and its fixture pages.

They talk to a real MediaWiki 1.39 (Debian's package) on 127.0.0.1 with the requests the
toolkit's ``init --wiki-api`` makes: ``prop=revisions`` with ``redirects=1`` and ``maxlag``,
and ``action=parse&prop=text|revid``. Without php/mediawiki they fail with the apt hint.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.mediawiki_server import USER_AGENT, MediaWiki, missing_requirements, require_mediawiki

# ``mediawiki``: one wiki for the whole session, from tests/conftest.py

ARTICLE = "مقالة اختبار"
OLD_TITLE = "عنوان قديم"
DISAMBIGUATION = "اختبار (توضيح)"
REVISIONS = {"action": "query", "prop": "revisions", "rvprop": "ids|content|timestamp",
             "rvslots": "main", "redirects": "1", "formatversion": "2", "format": "json",
             "maxlag": "5"}


@pytest.fixture(scope="module")
def http() -> Iterator[requests.Session]:
    session = requests.Session()
    session.trust_env = False  # never an http_proxy from the environment: loopback only
    session.headers["User-Agent"] = USER_AGENT
    yield session
    session.close()


def get(http: requests.Session, wiki: MediaWiki, **params: str) -> dict[str, Any]:
    response = http.get(wiki.api_url, params=params, timeout=30)
    response.raise_for_status()
    data: dict[str, Any] = response.json()
    return data


def test_siteinfo_is_an_arabic_sqlite_mediawiki(http: requests.Session,
                                                 mediawiki: MediaWiki) -> None:
    general = get(http, mediawiki, action="query", meta="siteinfo", format="json",
                  formatversion="2")["query"]["general"]
    assert general["generator"].startswith("MediaWiki 1.39")
    assert general["lang"] == "ar"
    assert general["rtl"] is True
    assert general["dbtype"] == "sqlite"
    assert general["server"] == mediawiki.base_url


def test_revisions_return_content_revid_and_timestamp(http: requests.Session,
                                                      mediawiki: MediaWiki) -> None:
    data = get(http, mediawiki, titles=ARTICLE, **REVISIONS)
    assert "error" not in data and "warnings" not in data  # maxlag=5 accepted, no lag
    (page,) = data["query"]["pages"]
    assert page["title"] == ARTICLE
    (rev,) = page["revisions"]
    assert isinstance(rev["revid"], int) and rev["revid"] > 0
    assert rev["timestamp"] == "2024-01-21T12:00:00Z"  # kept from pages.xml by importDump
    main = rev["slots"]["main"]
    assert main["contentmodel"] == "wikitext"
    text = main["content"]
    assert text.startswith("<!-- FIXTURE:")
    for needle in ("{{استشهاد بدورية محكمة", "{{استشهاد بكتاب", "{{استشهاد بويب",
                   "{{cite journal", "{{cite book", "{{cite web", '<ref name="unodc2020">',
                   '<ref name="unodc2020" />', "{{sfn|الحداد|2010|p=5}}",
                   "{{sfn|الحداد|2010|p=12}}", "{{reflist|refs=", '<ref name="unicef2022">'):
        assert needle in text, needle
    revision = mediawiki.revision_of(ARTICLE)
    assert revision is not None
    assert (revision.revid, revision.content) == (rev["revid"], text)


def test_redirect_is_followed_and_reported(http: requests.Session,
                                           mediawiki: MediaWiki) -> None:
    data = get(http, mediawiki, titles=OLD_TITLE, **REVISIONS)
    assert data["query"]["redirects"] == [{"from": OLD_TITLE, "to": ARTICLE}]
    (page,) = data["query"]["pages"]
    assert page["title"] == ARTICLE
    revision = mediawiki.revision_of(OLD_TITLE)
    assert revision is not None
    assert revision.title == ARTICLE and revision.redirected_from == OLD_TITLE
    # The Arabic redirect magic word: without redirects=1 the redirect page itself comes back.
    params = {k: v for k, v in REVISIONS.items() if k != "redirects"}
    (raw,) = get(http, mediawiki, titles=OLD_TITLE, **params)["query"]["pages"]
    assert raw["title"] == OLD_TITLE
    assert raw["revisions"][0]["slots"]["main"]["content"] == "#تحويل [[مقالة اختبار]]"


def test_redirect_to_a_section_has_tofragment(http: requests.Session,
                                              mediawiki: MediaWiki) -> None:
    data = get(http, mediawiki, titles="عنوان قديم للمراجع", **REVISIONS)
    assert data["query"]["redirects"] == [
        {"from": "عنوان قديم للمراجع", "to": ARTICLE, "tofragment": "المراجع"}]


def test_missing_page_is_missing_true(http: requests.Session, mediawiki: MediaWiki) -> None:
    data = get(http, mediawiki, titles="صفحة غير موجودة", **REVISIONS)
    assert data["query"]["pages"] == [{"ns": 0, "title": "صفحة غير موجودة", "missing": True}]
    assert mediawiki.revision_of("صفحة غير موجودة") is None


def test_parse_renders_the_reference_list(http: requests.Session,
                                          mediawiki: MediaWiki) -> None:
    data = get(http, mediawiki, action="parse", page=ARTICLE, prop="text|revid",
               formatversion="2", format="json", maxlag="5")
    parsed = data["parse"]
    revision = mediawiki.revision_of(ARTICLE)
    assert revision is not None and parsed["revid"] == revision.revid
    html = parsed["text"]
    assert isinstance(html, str)  # formatversion=2: a string, not {"*": ...}
    assert '<ol class="references">' in html
    refs = html.split('<ol class="references">', 1)[1].split("</ol>", 1)[0]
    assert len(re.findall(r"<li id=\"cite", refs)) == 9
    # Named refs reused (two backlinks), the list-defined ref, the sfn short cites.
    assert 'href="#cite_ref-unodc2020_1-1"' in refs
    assert "Guidelines for online child protection" in refs
    assert refs.count('<a href="#CITEREFالحداد2010">الحداد (2010)</a>') == 2
    assert 'id="CITEREFالحداد2010"' in html  # the full reference in the bibliography
    assert '<cite class="citation journal cs1" id="CITEREFDoe2018">Doe، Jane؛ Roe، Richard' in refs
    # Every template was found and Cite reported no error.
    assert "cite_error" not in html and "mw-ext-cite-error" not in html
    assert not re.search(r'title="قالب:[^"]*\(الصفحة غير موجودة\)"', html)
    assert "{{" not in html and "}}" not in html


def test_maxlag_error_when_the_wiki_is_lagged(http: requests.Session,
                                              mediawiki: MediaWiki) -> None:
    mediawiki.set_lag(7)
    try:
        response = http.get(mediawiki.api_url, params={**REVISIONS, "titles": ARTICLE},
                            timeout=30)
    finally:
        mediawiki.set_lag(None)
    assert response.status_code == 200
    assert response.headers["Retry-After"] == "5"
    assert response.headers["X-Database-Lag"] == "7"
    assert response.json()["error"]["code"] == "maxlag"
    assert "error" not in get(http, mediawiki, titles=ARTICLE, **REVISIONS)


def test_disambiguation_page_has_the_page_property(http: requests.Session,
                                                   mediawiki: MediaWiki) -> None:
    data = get(http, mediawiki, action="query", prop="pageprops|categories",
               titles=f"{DISAMBIGUATION}|{ARTICLE}", format="json", formatversion="2")
    pages = {p["title"]: p for p in data["query"]["pages"]}
    assert pages[DISAMBIGUATION]["pageprops"] == {"disambiguation": ""}
    assert {"ns": 14, "title": "تصنيف:صفحات توضيح"} in pages[DISAMBIGUATION]["categories"]
    assert "pageprops" not in pages[ARTICLE]  # formatversion=2: no key when there are none
    html = mediawiki.parse(DISAMBIGUATION)["text"]
    assert "__DISAMBIG__" not in html


def test_english_page_is_in_the_wiki_language(http: requests.Session,
                                              mediawiki: MediaWiki) -> None:
    data = get(http, mediawiki, action="query", prop="info", titles="Test article",
               format="json", formatversion="2")
    (page,) = data["query"]["pages"]
    assert page["pagelanguage"] == "ar"  # MediaWiki does not detect the text's language
    revision = mediawiki.revision_of("Test article")
    assert revision is not None and "{{cite web" in revision.content


def test_empty_wiki_starts_and_stops_cleanly() -> None:
    require_mediawiki()
    with MediaWiki.start(None) as wiki:
        workdir, port = wiki.workdir, wiki.port
        assert wiki.revision_of("الصفحة الرئيسية") is not None  # made by install.php
        assert wiki.revision_of(ARTICLE) is None
    assert not workdir.exists()
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0  # the server is gone


def test_missing_mediawiki_names_the_apt_packages(tmp_path: Path) -> None:
    problem = missing_requirements(tmp_path)
    assert problem is not None
    assert "apt-get install" in problem and "mediawiki" in problem and "php-sqlite3" in problem
