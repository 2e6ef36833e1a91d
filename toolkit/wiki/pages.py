"""Read a wiki page's current wikitext and revision over the MediaWiki action API.

:class:`PageReader` asks one question per page, in one request::

    action=query & titles=T & redirects=1 & prop=revisions|pageprops|info|categories
    & rvprop=ids|content|timestamp & rvslots=main & inprop=url & meta=siteinfo
    & siprop=general & maxlag=5 & formatversion=2

and answers a :class:`Page`: the title it ended at (a redirect is followed and reported),
the revision id and timestamp, the wikitext, the page language, its URL and its permanent
link (``{server}{script}?oldid=REVID`` from siteinfo). Retries, maxlag and the User-Agent
are :class:`toolkit.wiki.http.ApiClient`'s, shared with the Wikibase reader.

A page that cannot be drafted from is a :class:`~toolkit.errors.PageError` whose one-line
message names the title and the API: a missing page, an invalid title, a disambiguation
page (the ``disambiguation`` page property of the Disambiguator extension; without it, a
category or template whose name says so, and the message says which), a page in another
language than the one asked for (``pagelanguage``, or, for a language written in Arabic
script, prose with hardly any Arabic letters), an API that does not answer.

Cache (``cache_dir``): the API's answer for each title, ``<cache_dir>/<site>/<key>.json``;
every online read refreshes it, and ``offline=True`` replays it without a request (an
uncached title is a PageError, never an empty page).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from toolkit.errors import MaxlagExhausted, PageError, UsageError, WikibaseError
from toolkit.files import write_atomic
from toolkit.wiki.http import ApiClient, ApiSettings, RequestStats

# Names that mark a disambiguation page on wikis without the Disambiguator extension.
_DISAMBIGUATION_TEMPLATE = frozenset(("توضيح", "disambiguation", "disambig", "dab"))
_DISAMBIGUATION_CATEGORY = re.compile(r"^(?:جميع\s+)?صفحات\s+توضيح|disambiguation pages$", re.I)
_ARABIC_SCRIPT = frozenset(("ar", "arz", "ary", "fa", "ur", "ps", "ckb", "sd", "ug", "azb"))
_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff\u0750-\u077f]")
_LETTER = re.compile(r"[^\W\d_]")


def api_url_for(wiki: str) -> str:
    """The action API of a Wikipedia: ``ar`` or ``arwiki`` → https://ar.wikipedia.org/w/api.php."""
    code = wiki.strip().lower()
    code = code[:-4] if code.endswith("wiki") and len(code) > 4 else code
    if not re.fullmatch(r"[a-z]{2,3}(?:-[a-z0-9]+)*", code.replace("_", "-")):
        raise UsageError(f"--wiki {wiki!r} is not a language code (e.g. ar, en, arz)")
    return f"https://{code.replace('_', '-')}.wikipedia.org/w/api.php"


@dataclass(frozen=True)
class PageSettings(ApiSettings):
    """A MediaWiki to read pages from, and the language its pages should be in."""

    language: str | None = None  # the language expected ("ar"); None: the wiki's own


@dataclass(frozen=True)
class Page:
    """One revision of a page, as read."""

    title: str  # where the request ended (after normalisation and redirects)
    requested_title: str
    redirected_from: str | None
    pageid: int
    revid: int
    timestamp: str  # ISO 8601, UTC
    wikitext: str
    is_disambiguation: bool
    language: str
    url: str  # the page's URL (percent-encoded)
    permalink: str  # the URL of this revision
    api_url: str
    site: str  # the wiki's id (arwiki, testwiki)
    site_language: str
    notes: list[str] = field(default_factory=list)  # what happened on the way (redirects)
    read_at: str = ""  # the API's clock when it answered (curtimestamp), ISO 8601


class PageReader:
    """Read-only client for pages of one wiki."""

    def __init__(self, settings: PageSettings, *,
                 sleep: Callable[[float], None] | None = None,
                 session: requests.Session | None = None) -> None:
        self.settings = settings
        self.stats = RequestStats()
        kwargs: dict[str, Any] = {"session": session}
        if sleep is not None:
            kwargs["sleep"] = sleep
        self._client = ApiClient(settings, self.stats, **kwargs)
        self._cache = _AnswerCache(settings.cache_dir, settings.api_url) \
            if settings.cache_dir is not None else None

    def fetch_page(self, title: str) -> Page:
        """The current revision of ``title``; a PageError if it cannot be drafted from."""
        title = title.strip()
        if not title:
            raise UsageError("--title is empty")
        body = self._answer(title)
        return self._page_from(title, body)

    def revision_title(self, revid: int) -> str:
        """The title of the page that revision ``revid`` belongs to (PageError if none)."""
        where = f"revision {revid} at {self.settings.api_url}"
        if self.settings.offline:
            raise PageError(f"cannot check {where}: offline", code="offline")
        try:
            body = self._client.call({"action": "query", "revids": revid, "prop": "info"})
        except WikibaseError as exc:
            raise PageError(f"cannot check {where}: {str(exc).split(': ', 1)[-1]}",
                            code=exc.code) from exc
        query = body.get("query") or {}
        pages = query.get("pages") or []
        if query.get("badrevids") or not pages or pages[0].get("missing"):
            raise PageError(f"no {where}", code="badrevids")
        return str(pages[0]["title"])

    # -- requests ------------------------------------------------------------------------

    def _answer(self, title: str) -> dict[str, Any]:
        where = f"{title!r} at {self.settings.api_url}"
        if self.settings.offline:
            cached = self._cache.read(title) if self._cache else None
            if cached is None:
                raise PageError(f"cannot read {where}: offline, and no earlier answer is "
                                "cached (run once without --offline)", code="offline")
            return cached
        params = {"action": "query", "titles": title, "redirects": 1,
                  "prop": "revisions|pageprops|info|categories",
                  "rvprop": "ids|content|timestamp", "rvslots": "main", "inprop": "url",
                  "ppprop": "disambiguation", "cllimit": "max",
                  "meta": "siteinfo", "siprop": "general", "curtimestamp": 1}
        try:
            body = self._client.call(params)
        except MaxlagExhausted as exc:
            short = "cannot connect" if "connection failed" in str(exc) else \
                str(exc).split(": ", 1)[-1]
            raise PageError(f"cannot read {where}: the API does not answer ({short})",
                            code=exc.code) from exc
        except WikibaseError as exc:
            raise PageError(f"cannot read {where}: {str(exc).split(': ', 1)[-1]}",
                            code=exc.code) from exc
        if self._cache is not None:
            self._cache.write(title, body)
        return body

    # -- interpretation ------------------------------------------------------------------

    def _page_from(self, title: str, body: dict[str, Any]) -> Page:
        where = f"{self.settings.api_url}"
        query = body.get("query") or {}
        general = query.get("general") or {}
        pages = query.get("pages") or []
        if not pages:
            raise PageError(f"{title!r}: {where} answered without a page", code="no-page")
        raw = pages[0]
        if raw.get("invalid"):
            reason = raw.get("invalidreason", "invalid")
            if isinstance(reason, dict):  # errorformat=plaintext: {"code": …, "text": …}
                reason = reason.get("text") or reason.get("code")
            raise PageError(f"{title!r} is not a valid title at {where}: {reason}",
                            code="invalid-title")
        if raw.get("missing"):
            raise PageError(f"no page {raw.get('title', title)!r} at {where}", code="missing")
        notes: list[str] = []
        redirected_from = _redirect(query, notes)
        revisions = raw.get("revisions") or []
        if not revisions:
            raise PageError(f"{raw['title']!r} at {where}: no revision in the answer",
                            code="no-revision")
        revision = revisions[0]
        slot = (revision.get("slots") or {}).get("main") or {}
        if slot.get("contentmodel", "wikitext") != "wikitext":
            raise PageError(f"{raw['title']!r} at {where} is {slot.get('contentmodel')}, "
                            "not wikitext", code="not-wikitext")
        wikitext = str(slot.get("content", ""))
        page_title = str(raw["title"])
        site_language = str(general.get("lang") or raw.get("pagelanguage") or "")
        language = str(raw.get("pagelanguage") or site_language)
        why = _disambiguation(raw, wikitext)
        if why:
            raise PageError(f"{page_title!r} at {where} is a disambiguation page ({why}); "
                            "give the title of one article", code="disambiguation")
        self._check_language(page_title, language, site_language, wikitext)
        revid = int(revision["revid"])
        return Page(title=page_title, requested_title=title, redirected_from=redirected_from,
                    pageid=int(raw.get("pageid", 0)), revid=revid,
                    timestamp=str(revision.get("timestamp", "")), wikitext=wikitext,
                    is_disambiguation=False, language=language,
                    url=str(raw.get("fullurl") or raw.get("canonicalurl") or ""),
                    permalink=permalink(self.settings.api_url, general, revid),
                    api_url=self.settings.api_url, site=str(general.get("wikiid", "")),
                    site_language=site_language, notes=notes,
                    read_at=str(body.get("curtimestamp", "")))

    def _check_language(self, title: str, language: str, site_language: str,
                        wikitext: str) -> None:
        expected = (self.settings.language or site_language or language).lower()
        where = f"{title!r} at {self.settings.api_url}"
        if language and language.lower().split("-")[0] != expected.split("-")[0]:
            raise PageError(f"{where} is in language {language!r}, not {expected!r} "
                            "(its pagelanguage)", code="wrong-language")
        if expected.split("-")[0] in _ARABIC_SCRIPT:
            share = arabic_share(title + "\n" + prose(wikitext))
            if share < 0.2:
                raise PageError(f"{where} is not written in {expected!r}: {share:.0%} of its "
                                "letters are Arabic script (wrong title or wrong wiki?)",
                                code="wrong-language")


def _redirect(query: dict[str, Any], notes: list[str]) -> str | None:
    """The title first asked for when the API followed a redirect (noted), else None."""
    first: str | None = None
    for hop in query.get("redirects") or []:
        first = first or str(hop.get("from"))
        target = str(hop.get("to"))
        if hop.get("tofragment"):
            target += f"#{hop['tofragment']}"
        notes.append(f"followed the redirect {hop.get('from')!r} → {target!r}")
    return first


def _disambiguation(raw: dict[str, Any], wikitext: str) -> str:
    """Why the page is a disambiguation page ('' if it is not)."""
    if "disambiguation" in (raw.get("pageprops") or {}):
        return "page property 'disambiguation'"
    for category in raw.get("categories") or []:
        name = str(category.get("title", ""))
        if _DISAMBIGUATION_CATEGORY.search(name.split(":", 1)[-1].strip()):
            return f"category {name!r}; the wiki reports no disambiguation page property"
    import mwparserfromhell

    for template in mwparserfromhell.parse(wikitext).filter_templates(recursive=False):
        name = str(template.name).strip()
        if name.lower().replace("_", " ") in _DISAMBIGUATION_TEMPLATE:
            return (f"template {{{{{name}}}}}; the wiki reports no disambiguation page "
                    "property")
    return ""


def prose(wikitext: str) -> str:
    """The readable text of wikitext: links to their text; templates, refs, comments out."""
    import mwparserfromhell

    return str(mwparserfromhell.parse(wikitext).strip_code(normalize=True, collapse=True))


def arabic_share(text: str) -> float:
    """The share of letters in ``text`` that are Arabic script (1.0 for a text without any)."""
    letters = _LETTER.findall(text)
    if not letters:
        return 1.0
    return sum(1 for c in letters if _ARABIC_LETTER.match(c)) / len(letters)


def permalink(api_url: str, general: dict[str, Any], revid: int) -> str:
    """``{server}{script}?oldid=REVID``; from the API URL when siteinfo is not there."""
    scheme = urlsplit(api_url).scheme or "https"
    server = str(general.get("server") or "")
    script = str(general.get("script") or "")
    if server and script:
        if server.startswith("//"):  # Wikimedia wikis answer a protocol-relative server
            server = f"{scheme}:{server}"
        return f"{server}{script}?oldid={revid}"
    base = api_url.rsplit("/", 1)[0]
    return f"{base}/index.php?oldid={revid}"


class _AnswerCache:
    """The API's answer per title, per wiki, so that ``--offline`` replays a read."""

    def __init__(self, root: Path, api_url: str) -> None:
        site = re.sub(r"[^A-Za-z0-9.-]+", "_", api_url.split("://", 1)[-1])
        self.dir = Path(root) / "pages" / site

    def path(self, title: str) -> Path:
        digest = hashlib.sha256(title.encode("utf-8")).hexdigest()[:16]
        return self.dir / f"{digest}.json"

    def read(self, title: str) -> dict[str, Any] | None:
        try:
            stored = json.loads(self.path(title).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # absent or damaged
        if not isinstance(stored, dict) or stored.get("title") != title:
            return None
        answer = stored.get("answer")
        return answer if isinstance(answer, dict) else None

    def write(self, title: str, answer: dict[str, Any]) -> None:
        write_atomic(self.path(title), json.dumps({"title": title, "answer": answer},
                                                  ensure_ascii=False))
