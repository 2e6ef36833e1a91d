"""A loopback Wikibase API server for tests: MediaWiki + Wikibase enough for us and pywikibot.

It listens on 127.0.0.1 (port 0, so the OS picks a free port), serves ``/w/api.php`` and
keeps its entities in memory, loaded from ``tests/fixtures/wikibase/*.json`` (test fixtures,
not real Wikidata data). Every request is recorded (:class:`RecordedRequest`: method, path,
params merged from the query string and the form body, headers) so tests assert on exact
payloads, and faults can be injected (:meth:`WikibaseServer.inject`):

* ``maxlag``   - a maxlag API error with ``Retry-After`` and ``X-Database-Lag`` headers
  (only for requests that carry ``maxlag``, as MediaWiki does);
* ``http``     - an HTTP status such as 429 or 503, optionally with ``Retry-After``;
* ``timeout``  - the answer is held back for some seconds (the client should time out);
* ``error``    - any API error code (``readonly``, ``ratelimited``, ...);
* edit conflicts - :meth:`WikibaseServer.edit_behind_back` changes an entity and bumps its
  revision, so a later write with the old ``baserevid`` gets ``editconflict``.

Answered modules (found by running pywikibot 11 against it, see tests/pywikibot_env.py):
``query`` (``meta=siteinfo|userinfo|tokens|wikibase``, ``list=search`` with
``haswbstatement:``, ``prop=revisions|pageprops|info|categories`` with ``redirects`` for
wikitext pages added with :meth:`WikibaseServer.add_page`), ``paraminfo``, ``login``
(BotPasswords ``User@app``), ``logout``,
``wbgetentities``, ``wbsearchentities``, ``wbeditentity``, ``wbremoveclaims``,
``wbcreateclaim``, ``wbsetclaim``, ``wbsetreference``, ``wbsetlabel``, ``wbsetdescription``,
``wbsetaliases``. Anything else answers ``badvalue`` - loudly, so a missing module shows.

Simplifications, on purpose: one site, items in namespace 0 and properties in 120, no
redirects, no sitelink validation, baserevid must equal the current revision (real Wikibase
sometimes merges non-conflicting edits; refusing is the safe direction for tests).
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http import cookies
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from requests.structures import CaseInsensitiveDict

FIXTURE_DIR = Path(__file__).parent / "fixtures" / "wikibase"
API_PATH = "/w/api.php"
CONTROL_PATH = "/_control/requests"  # not MediaWiki: request counts, POST also clears them
ANON_TOKEN = "+\\"
SESSION_COOKIE = "loopbackwiki_session"

ENTITY_ID = re.compile(r"^([QPL])([1-9]\d*)$")
HASWBSTATEMENT = re.compile(r'haswbstatement:(?:"([^"]*)"|(\S+))')


class ApiError(Exception):
    """An API error answer: code, text, optional extra data."""

    def __init__(self, code: str, text: str, **data: Any) -> None:
        super().__init__(f"{code}: {text}")
        self.code = code
        self.text = text
        self.data = data


@dataclass
class RecordedRequest:
    """One request as the server saw it."""

    method: str
    path: str
    params: dict[str, str]
    headers: CaseInsensitiveDict[str]  # header names in any case
    time: float = field(default_factory=time.time)

    @property
    def action(self) -> str:
        return self.params.get("action", "")

    @property
    def is_write(self) -> bool:
        return self.action in WRITE_ACTIONS

    def json_param(self, name: str) -> Any:
        """Decode a JSON-valued parameter such as wbeditentity's ``data``."""
        return json.loads(self.params[name])


@dataclass
class Fault:
    """An injected fault that answers the next ``count`` matching requests."""

    kind: str  # "maxlag" | "http" | "timeout" | "error" (any API error code)
    count: int = 1
    status: int = 503
    retry_after: int | None = None
    lag: float = 7.0
    seconds: float = 5.0
    code: str = "readonly"  # for kind="error"
    text: str = "The wiki is in read-only mode (injected)."
    action: str | None = None  # only requests with this action; None = any
    hits: int = 0

    def matches(self, params: dict[str, str]) -> bool:
        if self.count <= 0:
            return False
        if self.action is not None and params.get("action") != self.action:
            return False
        # MediaWiki only checks lag for requests that ask for it.
        return not (self.kind == "maxlag" and "maxlag" not in params)


@dataclass
class Account:
    """A user with BotPasswords ``{app: password}``."""

    name: str
    user_id: int
    bot_passwords: dict[str, str]
    groups: tuple[str, ...] = ("*", "user", "autoconfirmed", "bot")


WRITE_ACTIONS = frozenset({
    "wbeditentity", "wbremoveclaims", "wbcreateclaim", "wbsetclaim", "wbsetreference",
    "wbsetlabel", "wbsetdescription", "wbsetaliases", "wbremovereferences",
})

USER_RIGHTS = ["read", "edit", "createpage", "writeapi", "bot", "apihighlimits", "item-term",
               "property-term", "item-merge", "noratelimit"]


def _now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _snak_hash(value: Any) -> str:
    """A stable 40-hex hash for a snak or a reference, as Wikibase gives them."""
    canon = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha1(canon.encode("utf-8")).hexdigest()


def load_fixture_entities(directory: Path = FIXTURE_DIR) -> list[dict[str, Any]]:
    """Read every ``*.json`` fixture file: ``{"_comment": ..., "entities": [...]}``."""
    entities: list[dict[str, Any]] = []
    for path in sorted(directory.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        if "fixture" not in doc.get("_comment", "").lower():
            raise ValueError(f"{path}: a fixture file must say it is a test fixture in _comment")
        entities.extend(doc["entities"])
    return entities


def generated_items(count: int, first: int = 1_000_001) -> list[dict[str, Any]]:
    """``count`` made-up fixture items (labels say so) for batching tests and benchmarks."""
    items = []
    for number in range(first, first + count):
        eid = f"Q{number}"
        items.append({
            "id": eid,
            "labels": {"en": {"language": "en", "value": f"Fixture item {number}"}},
            "descriptions": {"en": {"language": "en",
                                    "value": "generated test fixture, not on Wikidata"}},
            "aliases": {},
            "claims": {
                "P31": [{"mainsnak": {"snaktype": "value", "property": "P31", "datavalue": {
                    "type": "wikibase-entityid",
                    "value": {"entity-type": "item", "numeric-id": 13442814,
                              "id": "Q13442814"}}}}],
                "P356": [{"mainsnak": {"snaktype": "value", "property": "P356", "datavalue": {
                    "type": "string", "value": f"10.5555/FIXTURE.{number}"}}}],
                "P1476": [{"mainsnak": {"snaktype": "value", "property": "P1476", "datavalue": {
                    "type": "monolingualtext",
                    "value": {"text": f"Fixture title {number}", "language": "en"}}}}],
            },
            "sitelinks": {},
        })
    return items


class WikibaseState:
    """The wiki's content and sessions; every method runs under the server's lock."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.entities: dict[str, dict[str, Any]] = {}
        self.datatypes: dict[str, str] = {}
        self.last_revision = 1000
        self.next_numeric = {"Q": 1, "P": 1, "L": 1}
        self.next_page_id = 1
        self.accounts: dict[str, Account] = {}
        self.known_sessions: set[str] = set()  # cookies this server handed out
        self.sessions: dict[str, str] = {}  # session cookie -> logged-in user name
        self.login_tokens: set[str] = set()
        self.csrf_tokens: dict[str, str] = {}  # session -> token
        self.pages: dict[str, dict[str, Any]] = {}  # wikitext pages by title (add_page)

    # -- content ---------------------------------------------------------------------

    def add_entity(self, entity: dict[str, Any]) -> dict[str, Any]:
        """Store a fixture entity, filling in page info it lacks; return the stored copy."""
        stored = copy.deepcopy(entity)
        stored.pop("_comment", None)
        eid = stored["id"]
        match = ENTITY_ID.match(eid)
        if not match:
            raise ValueError(f"bad fixture entity id {eid!r}")
        prefix, number = match.group(1), int(match.group(2))
        self.next_numeric[prefix] = max(self.next_numeric[prefix], number + 1)
        stored.setdefault("type", {"Q": "item", "P": "property", "L": "lexeme"}[prefix])
        for part in ("labels", "descriptions", "aliases", "claims"):
            stored.setdefault(part, {})
        if prefix == "Q":
            stored.setdefault("sitelinks", {})
        if stored["type"] == "property":
            self.datatypes[eid] = stored["datatype"]
        stored.setdefault("pageid", self._new_page_id())
        stored.setdefault("ns", 120 if prefix == "P" else 0)
        stored.setdefault("title", f"Property:{eid}" if prefix == "P" else eid)
        if "lastrevid" in stored:
            self.last_revision = max(self.last_revision, stored["lastrevid"])
        else:
            stored["lastrevid"] = self._new_revision()
        stored.setdefault("modified", "2024-01-01T00:00:00Z")
        self._complete_claims(eid, stored["claims"])
        self.entities[eid] = stored
        return stored

    def add_page(self, title: str, wikitext: str, *, redirect_to: str | None = None,
                 language: str = "ar", pageprops: dict[str, str] | None = None,
                 categories: Iterable[str] = ()) -> dict[str, Any]:
        """Store (or edit: a new revision) a wikitext page; return it."""
        page = self.pages.get(title) or {"pageid": self._new_page_id(), "title": title}
        page.update(revid=self._new_revision(), timestamp=_now_iso(), wikitext=wikitext,
                    redirect_to=redirect_to, pagelanguage=language,
                    pageprops=dict(pageprops or {}), categories=list(categories))
        self.pages[title] = page
        return page

    def _new_revision(self) -> int:
        self.last_revision += 1
        return self.last_revision

    def _new_page_id(self) -> int:
        self.next_page_id += 1
        return self.next_page_id

    def _complete_claims(self, eid: str, claims: dict[str, list[dict[str, Any]]]) -> None:
        """Give claims ids, datatypes and hashes the way Wikibase serialises them."""
        for pid, statements in claims.items():
            for claim in statements:
                claim.setdefault("type", "statement")
                claim.setdefault("rank", "normal")
                claim.setdefault("id", f"{eid}${str(uuid.uuid4()).upper()}")
                self._complete_snak(claim["mainsnak"], pid)
                qualifiers = claim.get("qualifiers") or {}
                if qualifiers:
                    for qpid, snaks in qualifiers.items():
                        for snak in snaks:
                            self._complete_snak(snak, qpid)
                            snak["hash"] = _snak_hash(_bare_snak(snak))
                    claim["qualifiers-order"] = claim.get("qualifiers-order") or list(qualifiers)
                references = claim.get("references") or []
                for ref in references:
                    for rpid, snaks in ref["snaks"].items():
                        for snak in snaks:
                            self._complete_snak(snak, rpid)
                    ref["snaks-order"] = ref.get("snaks-order") or list(ref["snaks"])
                    ref["hash"] = _snak_hash({k: [_bare_snak(s) for s in v]
                                              for k, v in ref["snaks"].items()})

    def _complete_snak(self, snak: dict[str, Any], pid: str) -> None:
        snak.setdefault("property", pid)
        if snak["property"] != pid:
            raise ApiError("modification-failed", f"snak property {snak['property']} under {pid}")
        snak.setdefault("snaktype", "value")
        datatype = self.datatypes.get(pid)
        if datatype is None:
            raise ApiError("modification-failed", f"Property {pid} not found.",
                           messages=[{"name": "wikibase-validator-no-such-property"}])
        snak["datatype"] = datatype

    def get(self, eid: str) -> dict[str, Any]:
        entity = self.entities.get(eid)
        if entity is None:
            raise ApiError("no-such-entity", f"Could not find an entity with the ID \"{eid}\".",
                           id=eid)
        return entity

    # -- accounts and sessions ---------------------------------------------------------

    def user_of(self, session: str | None) -> Account | None:
        name = self.sessions.get(session or "")
        return self.accounts.get(name) if name else None

    def csrf_token(self, session: str | None) -> str:
        if self.user_of(session) is None:
            return ANON_TOKEN
        assert session is not None
        return self.csrf_tokens.setdefault(session, secrets.token_hex(16) + ANON_TOKEN)


def _bare_snak(snak: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in snak.items() if k not in ("hash", "datatype")}


class WikibaseServer:
    """The server: start it, point a client at :attr:`api_url`, inspect :attr:`requests`."""

    def __init__(self, fixture_dir: Path | None = FIXTURE_DIR) -> None:
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._httpd = _QuietHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._httpd.wiki = self  # type: ignore[attr-defined]
        self.host, self.port = self._httpd.server_address[:2]
        self.requests: list[RecordedRequest] = []
        self.faults: list[Fault] = []
        self.fixture_dir = fixture_dir
        self.state = WikibaseState(self.base_url)
        self.reset()
        self._thread: threading.Thread | None = None
        # Called with every RecordedRequest before it is answered (e.g. to crash a client).
        self.on_request: Callable[[RecordedRequest], None] | None = None

    # -- lifecycle ---------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        return self.base_url + API_PATH

    @property
    def concept_base_uri(self) -> str:
        return self.base_url + "/entity/"

    def start(self) -> WikibaseServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()  # releases answers held back by a timeout fault
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> WikibaseServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def reset(self) -> None:
        """Fresh state: fixture entities, the test account, no requests, no faults."""
        with self._lock:
            self.state = WikibaseState(self.base_url)
            if self.fixture_dir is not None:
                # Properties first, so claims on items find their datatypes.
                entities = load_fixture_entities(self.fixture_dir)
                for entity in sorted(entities, key=lambda e: not e["id"].startswith("P")):
                    self.state.add_entity(entity)
            self.add_account("User", {"app": "secret-bot-password"})
            self.requests.clear()
            self.faults.clear()

    # -- test controls -----------------------------------------------------------------

    def add_account(self, name: str, bot_passwords: dict[str, str]) -> Account:
        with self._lock:
            account = Account(name, len(self.state.accounts) + 1, dict(bot_passwords))
            self.state.accounts[name] = account
            return account

    def add_entity(self, entity: dict[str, Any]) -> dict[str, Any]:
        """Add (or replace) an entity; returns a copy of what is stored."""
        with self._lock:
            return copy.deepcopy(self.state.add_entity(entity))

    def add_entities(self, entities: Iterable[dict[str, Any]]) -> None:
        with self._lock:
            for entity in entities:
                self.state.add_entity(entity)

    def add_page(self, title: str, wikitext: str, **options: Any) -> dict[str, Any]:
        """Store or edit a wikitext page (see :meth:`WikibaseState.add_page`)."""
        with self._lock:
            return self.state.add_page(title, wikitext, **options)

    def entity(self, eid: str) -> dict[str, Any]:
        """A copy of the entity's current JSON (KeyError if absent)."""
        with self._lock:
            return copy.deepcopy(self.state.entities[eid])

    def inject(self, kind: str, count: int = 1, **options: Any) -> Fault:
        """Queue a fault for the next ``count`` matching requests; see :class:`Fault`."""
        fault = Fault(kind=kind, count=count, **options)
        with self._lock:
            self.faults.append(fault)
        return fault

    def edit_behind_back(self, eid: str, data: dict[str, Any] | None = None) -> int:
        """Change an entity as another user would (``data`` as for wbeditentity); new revid."""
        with self._lock:
            entity = self.state.get(eid)
            if data:
                _apply_entity_data(self.state, entity, data)
            entity["lastrevid"] = self.state._new_revision()
            entity["modified"] = _now_iso()
            return int(entity["lastrevid"])

    def requests_for(self, action: str | None = None, **params: str) -> list[RecordedRequest]:
        """Recorded requests with this action and these exact parameter values."""
        with self._lock:
            return [r for r in self.requests
                    if (action is None or r.action == action)
                    and all(r.params.get(k) == v for k, v in params.items())]

    @property
    def write_requests(self) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.is_write]

    # -- dispatch (called by the handler) ----------------------------------------------

    def _take_fault(self, params: dict[str, str]) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.matches(params):
                    fault.count -= 1
                    fault.hits += 1
                    return fault
        return None

    def _answer(self, params: dict[str, str], session: str | None,
                method: str) -> tuple[dict[str, Any], dict[str, str]]:
        """Run one API request; returns (JSON body, extra headers)."""
        action = params.get("action", "help")
        handler = _ACTIONS.get(action)
        with self._lock:
            try:
                if handler is None:
                    raise ApiError("badvalue",
                                   f"Unrecognized value for parameter \"action\": {action}.")
                if (action in WRITE_ACTIONS or action == "login") and method != "POST":
                        raise ApiError("mustbeposted",
                                       f"The \"{action}\" module requires a POST request.")
                _check_assert(self.state, params, session)
                return handler(self, params, session), {}
            except ApiError as error:
                return _error_body(error, params), {"MediaWiki-API-Error": error.code}


# -- errors ------------------------------------------------------------------------------


def _error_body(error: ApiError, params: dict[str, str]) -> dict[str, Any]:
    """The error in the format the request asked for (``errorformat``)."""
    if params.get("errorformat", "bc") == "bc":
        body: dict[str, Any] = {"code": error.code, "info": error.text, "*": "See api.php"}
        body.update(error.data)
        return {"error": body, "servedby": "loopback"}
    item: dict[str, Any] = {"code": error.code, "text": error.text, "module": params.get(
        "action", "main")}
    if error.data:
        item["data"] = error.data
    return {"errors": [item], "docref": "See api.php", "servedby": "loopback"}


def _check_assert(state: WikibaseState, params: dict[str, str], session: str | None) -> None:
    wanted = params.get("assert")
    user = state.user_of(session)
    if wanted == "user" and user is None:
        raise ApiError("assertuserfailed", "You are no longer logged in, so the action could not"
                       " be completed.")
    if wanted == "bot" and (user is None or "bot" not in user.groups):
        raise ApiError("assertbotfailed", "You do not have the \"bot\" right.")
    wanted_user = params.get("assertuser")
    if wanted_user and (user is None or user.name != wanted_user):
        raise ApiError("assertnameduserfailed",
                       f"You are no longer logged in as \"{wanted_user}\".")


def _check_write(state: WikibaseState, params: dict[str, str], session: str | None) -> None:
    """Writes need a logged-in user and that session's CSRF token (no anonymous edits here)."""
    token = params.get("token")
    if not token:
        raise ApiError("missingparam", "The \"token\" parameter must be set.")
    if state.user_of(session) is None:
        raise ApiError("permissiondenied", "Anonymous edits are refused by this test wiki.")
    if token != state.csrf_token(session):
        raise ApiError("badtoken", "Invalid CSRF token.")


def _split(value: str | None) -> list[str]:
    if not value:
        return []
    if value.startswith("\x1f"):  # MediaWiki's alternative multi-value separator
        return value[1:].split("\x1f")
    return value.split("|")


# -- action=query --------------------------------------------------------------------


def _query(server: WikibaseServer, params: dict[str, str], session: str | None) -> dict[str, Any]:
    state = server.state
    query: dict[str, Any] = {}
    result: dict[str, Any] = {"batchcomplete": True, "query": query}
    for meta in _split(params.get("meta")):
        if meta == "siteinfo":
            query.update(_siteinfo(server, _split(params.get("siprop")) or ["general"]))
        elif meta == "userinfo":
            query["userinfo"] = _userinfo(state, session, _split(params.get("uiprop")))
        elif meta == "tokens":
            query["tokens"] = _tokens(state, session, _split(params.get("type")) or ["csrf"])
        elif meta == "wikibase":
            query["wikibase"] = {
                "repo": {"url": {"base": server.base_url, "scriptpath": "/w",
                                 "articlepath": "/wiki/$1"}},
                "siteid": "loopbackwiki",
            }
        else:
            raise ApiError("badvalue", f"Unrecognized value for parameter \"meta\": {meta}.")
    for listing in _split(params.get("list")):
        if listing == "search":
            hits, total = _search(state, params)
            query["searchinfo"] = {"totalhits": total}
            query["search"] = hits
            offset = int(params.get("sroffset", "0")) + len(hits)
            if offset < total:
                result["continue"] = {"sroffset": offset, "continue": "-||"}
        elif listing == "allusers":
            query["allusers"] = _allusers(state, params)
        else:
            raise ApiError("badvalue", f"Unrecognized value for parameter \"list\": {listing}.")
    if any(t in state.pages for t in _split(params.get("titles"))):
        _wiki_pages(server, params, query)
    elif "prop" in params or "titles" in params or "pageids" in params or "generator" in params:
        query["pages"] = _pages(state, params)
    if not query:
        result.pop("query")
    return result


def _wiki_pages(server: WikibaseServer, params: dict[str, str], query: dict[str, Any]) -> None:
    """``prop=revisions|pageprops|info|categories`` for wikitext pages, ``redirects=1``."""
    state, props = server.state, set(_split(params.get("prop")))
    pages, redirects = [], []
    for asked in _split(params.get("titles")):
        title = asked
        page = state.pages.get(title)
        if page and page["redirect_to"] and "redirects" in params:
            redirects.append({"from": title, "to": page["redirect_to"]})
            title = page["redirect_to"]
            page = state.pages.get(title)
        if page is None:
            pages.append({"ns": 0, "title": title, "missing": True})
            continue
        out: dict[str, Any] = {"pageid": page["pageid"], "ns": 0, "title": title}
        if "revisions" in props:
            out["revisions"] = [{"revid": page["revid"], "parentid": 0,
                                 "timestamp": page["timestamp"],
                                 "slots": {"main": {"contentmodel": "wikitext",
                                                    "contentformat": "text/x-wiki",
                                                    "content": page["wikitext"]}}}]
        if "pageprops" in props and page["pageprops"]:
            out["pageprops"] = page["pageprops"]
        if "categories" in props and page["categories"]:
            out["categories"] = [{"ns": 14, "title": c} for c in page["categories"]]
        if "info" in props:
            out.update(contentmodel="wikitext", pagelanguage=page["pagelanguage"],
                       pagelanguagehtmlcode=page["pagelanguage"], lastrevid=page["revid"],
                       length=len(page["wikitext"]))
            if "url" in _split(params.get("inprop")):
                path = title.replace(" ", "_")
                out["fullurl"] = f"{server.base_url}/wiki/{path}"
                out["canonicalurl"] = out["fullurl"]
        pages.append(out)
    if redirects:
        query["redirects"] = redirects
    query["pages"] = pages


def _allusers(state: WikibaseState, params: dict[str, str]) -> list[dict[str, Any]]:
    start = params.get("aufrom", "")
    prefix = params.get("auprefix", "")
    names = sorted(n for n in state.accounts if n >= start and n.startswith(prefix))
    limit = int(params.get("aulimit", "10")) if params.get("aulimit", "max") != "max" else 500
    return [{"userid": state.accounts[n].user_id, "name": n} for n in names[:limit]]


def _pages(state: WikibaseState, params: dict[str, str]) -> list[dict[str, Any]]:
    """Minimal prop=info for titles (pywikibot asks for it on some paths)."""
    pages = []
    for title in _split(params.get("titles")):
        eid = title.split(":", 1)[1] if title.startswith("Property:") else title
        entity = state.entities.get(eid)
        if entity is None:
            pages.append({"ns": 0, "title": title, "missing": True})
        else:
            pages.append({"pageid": entity["pageid"], "ns": entity["ns"], "title": entity["title"],
                          "contentmodel": "wikibase-" + entity["type"], "pagelanguage": "en",
                          "lastrevid": entity["lastrevid"], "touched": entity["modified"],
                          "length": len(json.dumps(entity))})
    return pages


def _siteinfo(server: WikibaseServer, props: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for prop in props:
        if prop == "general":
            out["general"] = _general(server)
        elif prop == "namespaces":
            out["namespaces"] = _namespaces()
        elif prop == "namespacealiases":
            out["namespacealiases"] = []
        elif prop == "interwikimap":
            out["interwikimap"] = []
        elif prop in ("extensions", "specialpagealiases", "magicwords", "languages",
                      "libraries", "skins", "extensiontags", "functionhooks", "showhooks",
                      "protocols", "restrictions", "usergroups", "fileextensions",
                      "languagevariants"):
            out[prop] = _extensions() if prop == "extensions" else []
        elif prop == "statistics":
            out["statistics"] = {"pages": len(server.state.entities), "articles": 0, "edits": 0,
                                 "images": 0, "users": 1, "activeusers": 1, "admins": 0, "jobs": 0}
        elif prop in ("rightsinfo", "defaultoptions", "dbrepllag", "uploaddialog"):
            out[prop] = {} if prop != "dbrepllag" else [{"host": "db", "lag": 0}]
        else:
            raise ApiError("badvalue", f"Unrecognized value for parameter \"siprop\": {prop}.")
    return out


def _general(server: WikibaseServer) -> dict[str, Any]:
    """``siprop=general``: what pywikibot reads, shaped like MediaWiki 1.43 (formatversion 2)."""
    base = server.base_url
    return {
        "mainpage": "Main Page", "base": base + "/wiki/Main_Page",
        "sitename": "Loopback test Wikibase", "mainpageisdomainroot": False, "logo": "",
        "generator": "MediaWiki 1.43.0", "phpversion": "8.1.0", "phpsapi": "fpm-fcgi",
        "dbtype": "sqlite", "dbversion": "3", "imagewhitelistenabled": False,
        "langconversion": False, "linkconversion": False, "titleconversion": False,
        "linkprefixcharset": "", "linkprefix": "", "linktrail": "/^([a-z]+)(.*)$/sD",
        "legaltitlechars": " %!\"$&'()*,\\-.\\/0-9:;=?@A-Z\\\\^_`a-z~\\x80-\\xFF+",
        "invalidusernamechars": "@:>=", "fixarabicunicode": True,
        "fixmalayalamunicode": True, "git-hash": "0" * 40, "git-branch": "master",
        "case": "first-letter", "lang": "en", "fallback": [], "rtl": False,
        "fallback8bitEncoding": "windows-1252", "readonly": False, "writeapi": True,
        "maxarticlesize": 2097152, "timezone": "UTC", "timeoffset": 0,
        "articlepath": "/wiki/$1", "scriptpath": "/w", "script": "/w/index.php",
        "variantarticlepath": False, "server": base, "servername": server.host,
        "wikiid": "loopbackwiki", "time": _now_iso(), "misermode": False,
        "uploadsenabled": False, "maxuploadsize": 0, "minuploadchunksize": 1024,
        "thumblimits": {"0": 120, "1": 250},
        "imagelimits": {"0": {"width": 320, "height": 240}}, "favicon": "",
        "centralidlookupprovider": "local", "allcentralidlookupproviders": ["local"],
        "interwikimagic": True, "magiclinks": {"ISBN": False, "PMID": False, "RFC": False},
        "categorycollation": "uppercase", "nofollowlinks": True, "externallinktarget": False,
        "wikibase-conceptbaseuri": server.concept_base_uri,
        "wikibase-geoshapestoragebaseurl": base + "/geoshape/",
        "wikibase-tabulardatastoragebaseurl": base + "/tabular/",
        "wikibase-sparql": base + "/sparql",
    }


def _extensions() -> list[dict[str, Any]]:
    return [{"type": "wikibase", "name": "WikibaseRepository", "version": "1.43"},
            {"type": "wikibase", "name": "WikibaseClient", "version": "1.43"}]


def _namespaces() -> dict[str, dict[str, Any]]:
    def ns(number: int, name: str, model: str | None = None, canonical: str | None = None,
           content: bool = False) -> dict[str, Any]:
        entry: dict[str, Any] = {"id": number, "case": "first-letter", "name": name,
                                 "subpages": number % 2 == 1 and number > 0,
                                 "content": content, "nonincludable": False}
        if canonical is not None or number != 0:
            entry["canonical"] = canonical if canonical is not None else name
        if model:
            entry["defaultcontentmodel"] = model
        return entry

    table = [
        ns(-2, "Media"), ns(-1, "Special"),
        ns(0, "", "wikibase-item", content=True), ns(1, "Talk"), ns(2, "User"),
        ns(3, "User talk"), ns(4, "Project"), ns(5, "Project talk"), ns(6, "File"),
        ns(7, "File talk"), ns(8, "MediaWiki"), ns(9, "MediaWiki talk"), ns(10, "Template"),
        ns(11, "Template talk"), ns(12, "Help"), ns(13, "Help talk"), ns(14, "Category"),
        ns(15, "Category talk"), ns(120, "Property", "wikibase-property", content=True),
        ns(121, "Property talk"),
    ]
    return {str(entry["id"]): entry for entry in table}


def _userinfo(state: WikibaseState, session: str | None, props: list[str]) -> dict[str, Any]:
    user = state.user_of(session)
    if user is None:
        info: dict[str, Any] = {"id": 0, "name": "127.0.0.1", "anon": True}
        groups, rights = ["*"], ["read", "edit", "writeapi"]
    else:
        info = {"id": user.user_id, "name": user.name}
        groups, rights = list(user.groups), list(USER_RIGHTS)
    if "groups" in props:
        info["groups"] = groups
    if "rights" in props:
        info["rights"] = rights
    if "blockinfo" in props:
        pass  # not blocked: MediaWiki then sends no block keys
    if "hasmsg" in props:
        info["messages"] = False
    if "editcount" in props:
        info["editcount"] = 0
    if "ratelimits" in props:
        info["ratelimits"] = {}
    if "registrationdate" in props:
        info["registrationdate"] = "2024-01-01T00:00:00Z"
    return info


def _tokens(state: WikibaseState, session: str | None, types: list[str]) -> dict[str, str]:
    tokens = {}
    for kind in types:
        if kind == "login":
            token = secrets.token_hex(16) + ANON_TOKEN
            state.login_tokens.add(token)
            tokens["logintoken"] = token
        elif kind in ("csrf", "edit", "watch", "patrol", "rollback", "userrights",
                      "createaccount"):
            tokens[f"{kind}token"] = state.csrf_token(session)
        else:
            raise ApiError("badvalue", f"Unrecognized value for parameter \"type\": {kind}.")
    return tokens


def _search(state: WikibaseState, params: dict[str, str]) -> tuple[list[dict[str, Any]], int]:
    """``list=search``: only ``haswbstatement:`` terms (CirrusSearch's Wikibase keyword)."""
    text = params.get("srsearch", "")
    terms = [quoted or bare for quoted, bare in HASWBSTATEMENT.findall(text)]
    rest = HASWBSTATEMENT.sub("", text).strip()
    if not terms or rest:
        raise ApiError("badvalue", "This test wiki answers only haswbstatement: searches.")
    namespaces = [int(n) for n in _split(params.get("srnamespace"))] or [0]
    hits = []
    for entity in state.entities.values():
        if entity["ns"] not in namespaces:
            continue
        if all(_has_statement(entity, term) for term in terms):
            hits.append({"ns": entity["ns"], "title": entity["title"], "pageid": entity["pageid"],
                         "size": len(json.dumps(entity)), "wordcount": 0, "snippet": "",
                         "timestamp": entity["modified"]})
    hits.sort(key=lambda h: h["pageid"])
    limit = int(params.get("srlimit", "10"))
    offset = int(params.get("sroffset", "0"))
    return hits[offset:offset + limit], len(hits)


def _has_statement(entity: dict[str, Any], term: str) -> bool:
    pid, _, wanted = term.partition("=")
    for claim in entity.get("claims", {}).get(pid, []):
        if not wanted:
            return True
        snak = claim["mainsnak"]
        if snak.get("snaktype") != "value":
            continue
        value = snak["datavalue"]["value"]
        if isinstance(value, dict):
            value = value.get("id", "")
        if value == wanted:
            return True
    return False


# -- other core actions --------------------------------------------------------------


def _paraminfo(server: WikibaseServer, params: dict[str, str], session: str | None
               ) -> dict[str, Any]:
    modules = []
    names = _split(params.get("modules"))
    for name in names:
        modules.append(_module_info(name))
    return {"paraminfo": {"modules": modules}}


_SUBMODULES = {
    "main": {"action": sorted([
        "query", "paraminfo", "login", "logout", "wbgetentities", "wbsearchentities",
        "wbeditentity", "wbremoveclaims", "wbcreateclaim", "wbsetclaim", "wbsetreference",
        "wbsetlabel", "wbsetdescription", "wbsetaliases", "help"])},
    "query": {"meta": ["siteinfo", "tokens", "userinfo", "wikibase"],
              "list": ["allusers", "search"], "prop": ["info"], "generator": ["search"]},
}


def _module_info(name: str) -> dict[str, Any]:
    path = name
    short = name.split("+")[-1]
    group = "action"
    prefix = ""
    if name.startswith("query+"):
        group = {"siteinfo": "meta", "tokens": "meta", "userinfo": "meta", "wikibase": "meta",
                 "search": "list", "allusers": "list", "info": "prop"}.get(short, "prop")
        prefix = {"siteinfo": "si", "userinfo": "ui", "search": "sr", "info": "in",
                  "allusers": "au"}.get(short, "")
    parameters: list[dict[str, Any]] = []
    for param, values in _SUBMODULES.get(name, {}).items():
        parameters.append({"index": len(parameters) + 1, "name": param, "type": values,
                           "submodules": {v: f"{name}+{v}" if name != "main" else v
                                          for v in values},
                           "multi": name != "main", "limit": 50, "highlimit": 500,
                           "lowlimit": 50})
    if name == "main":
        parameters += [
            {"index": 10, "name": "format", "type": ["json", "none", "php", "xml"],
             "default": "jsonfm"},
            {"index": 11, "name": "maxlag", "type": "integer"},
            {"index": 12, "name": "assert", "type": ["anon", "bot", "user"]},
            {"index": 13, "name": "assertuser", "type": "user"},
            {"index": 14, "name": "formatversion", "type": ["1", "2", "latest"]},
            {"index": 15, "name": "errorformat",
             "type": ["bc", "html", "none", "plaintext", "raw", "wikitext"]},
        ]
    if short == "tokens":
        parameters.append({"index": 1, "name": "type", "multi": True, "limit": 50,
                           "type": ["createaccount", "csrf", "login", "patrol", "rollback",
                                    "userrights", "watch"], "default": "csrf"})
    if short == "siteinfo":
        parameters.append({"index": 1, "name": "prop", "multi": True, "limit": 50,
                           "type": ["general", "namespaces", "namespacealiases", "interwikimap",
                                    "extensions", "statistics", "dbrepllag", "magicwords"]})
    if short == "userinfo":
        parameters.append({"index": 1, "name": "prop", "multi": True, "limit": 50,
                           "type": ["blockinfo", "hasmsg", "groups", "rights", "editcount",
                                    "ratelimits", "registrationdate"]})
    if short == "search":
        parameters += [{"index": 1, "name": "search", "type": "string", "required": True},
                       {"index": 2, "name": "limit", "type": "limit", "max": 500,
                        "highmax": 5000}]
    mustbeposted = name in WRITE_ACTIONS or name == "login"
    return {"name": short, "classname": f"Loopback{short}", "path": path, "group": group,
            "prefix": prefix, "source": "loopback", "sourcename": "loopback",
            "licensetag": "", "licenselink": "", "readrights": True, "writerights": mustbeposted,
            "mustbeposted": mustbeposted, "helpurls": [], "parameters": parameters,
            "templatedparameters": [], "dynamicparameters": False}


def _login(server: WikibaseServer, params: dict[str, str], session: str | None
           ) -> dict[str, Any]:
    state = server.state
    token = params.get("lgtoken", "")
    if token not in state.login_tokens:
        return {"login": {"result": "NeedToken", "token": _tokens(state, session, ["login"])[
            "logintoken"]}}
    state.login_tokens.discard(token)
    name, _, app = params.get("lgname", "").partition("@")
    account = state.accounts.get(name)
    if account is None or not app or account.bot_passwords.get(app) != params.get("lgpassword"):
        return {"login": {"result": "Failed",
                          "reason": "Incorrect username or password entered. Please try again."}}
    if session is None:
        raise ApiError("nosession", "No session cookie was sent; cannot log in.")
    state.sessions[session] = account.name
    return {"login": {"result": "Success", "lguserid": account.user_id,
                      "lgusername": account.name}}


def _logout(server: WikibaseServer, params: dict[str, str], session: str | None
            ) -> dict[str, Any]:
    server.state.sessions.pop(session or "", None)
    return {}


def _wbgetentities(server: WikibaseServer, params: dict[str, str], session: str | None
                   ) -> dict[str, Any]:
    state = server.state
    ids = _split(params.get("ids"))
    if params.get("sites") or params.get("titles"):
        raise ApiError("param-illegal", "This test wiki answers wbgetentities by ids only.")
    if not ids:
        raise ApiError("param-missing", "Either provide the item \"ids\" or pairs of \"sites\""
                       " and \"titles\" for corresponding pages")
    if len(ids) > 50:
        raise ApiError("toomanyvalues", "Too many values supplied for parameter \"ids\"."
                       " The limit is 50.", limit=50, lowlimit=50, highlimit=500)
    props = _split(params.get("props")) or ["info", "sitelinks", "aliases", "labels",
                                           "descriptions", "claims", "datatype"]
    languages = set(_split(params.get("languages")))
    out: dict[str, Any] = {}
    for eid in ids:
        if not ENTITY_ID.match(eid):
            raise ApiError("no-such-entity", f"Could not find an entity with the ID \"{eid}\".",
                           id=eid)
        entity = state.entities.get(eid)
        if entity is None:
            out[eid] = {"id": eid, "missing": ""}
            continue
        out[eid] = _entity_view(entity, props, languages)
    return {"entities": out, "success": 1}


def _entity_view(entity: dict[str, Any], props: list[str], languages: set[str]
                 ) -> dict[str, Any]:
    view: dict[str, Any] = {"type": entity["type"], "id": entity["id"]}
    if "datatype" in props and "datatype" in entity:
        view["datatype"] = entity["datatype"]
    if "info" in props:
        for key in ("pageid", "ns", "title", "lastrevid", "modified"):
            view[key] = entity[key]
    for part in ("labels", "descriptions", "aliases"):
        if part in props:
            terms = entity.get(part, {})
            view[part] = copy.deepcopy({k: v for k, v in terms.items()
                                        if not languages or k in languages})
    if "claims" in props:
        view["claims"] = copy.deepcopy(entity.get("claims", {}))
    if "sitelinks" in props and "sitelinks" in entity:
        view["sitelinks"] = copy.deepcopy(entity["sitelinks"])
    return view


def _wbsearchentities(server: WikibaseServer, params: dict[str, str], session: str | None
                      ) -> dict[str, Any]:
    text = params.get("search", "")
    language = params.get("language", "")
    if not text or not language:
        raise ApiError("missingparam", "The \"search\" and \"language\" parameters must be set.")
    kind = params.get("type", "item")
    limit = int(params.get("limit", "7"))
    offset = int(params.get("continue", "0"))
    needle = text.casefold()
    found = []
    for entity in server.state.entities.values():
        if entity["type"] != kind:
            continue
        match = _term_match(entity, needle, language)
        if match is not None:
            found.append((entity, match))
    found.sort(key=lambda pair: (pair[1]["text"].casefold() != needle, pair[0]["pageid"]))
    page = found[offset:offset + limit]
    results = []
    for entity, match in page:
        label = entity["labels"].get(language)
        description = entity["descriptions"].get(language)
        row: dict[str, Any] = {
            "id": entity["id"], "title": entity["title"], "pageid": entity["pageid"],
            "concepturi": server.concept_base_uri + entity["id"], "repository": "wikidata",
            "url": f"{server.base_url}/wiki/{entity['title']}",
            "display": {}, "match": match,
        }
        if label:
            row["label"] = label["value"]
            row["display"]["label"] = {"value": label["value"], "language": language}
        if description:
            row["description"] = description["value"]
            row["display"]["description"] = {"value": description["value"],
                                             "language": language}
        if match["type"] == "alias":
            row["aliases"] = [match["text"]]
        results.append(row)
    body: dict[str, Any] = {"searchinfo": {"search": text}, "search": results, "success": 1}
    if offset + limit < len(found):
        body["search-continue"] = offset + limit
    return body


def _term_match(entity: dict[str, Any], needle: str, language: str) -> dict[str, Any] | None:
    label = entity["labels"].get(language)
    if label and label["value"].casefold().startswith(needle):
        return {"type": "label", "language": language, "text": label["value"]}
    for alias in entity["aliases"].get(language, []):
        if alias["value"].casefold().startswith(needle):
            return {"type": "alias", "language": language, "text": alias["value"]}
    if entity["id"].casefold() == needle:
        return {"type": "entityId", "text": entity["id"]}
    return None


# -- writes ----------------------------------------------------------------------------


def _entity_for_write(state: WikibaseState, params: dict[str, str], eid: str
                      ) -> dict[str, Any]:
    entity = state.get(eid)
    base = params.get("baserevid")
    if base is not None and base != "" and int(base) != entity["lastrevid"]:
        raise ApiError("editconflict", "Edit conflict: the entity was changed since revision "
                       f"{base} (now {entity['lastrevid']}).", baserevid=int(base),
                       lastrevid=entity["lastrevid"])
    return entity


def _commit(state: WikibaseState, entity: dict[str, Any], before: dict[str, Any]) -> bool:
    """Bump the revision if the entity changed; False for a no-op edit."""
    after = {k: v for k, v in entity.items() if k not in ("lastrevid", "modified")}
    if after == before:
        return False
    _check_label_description_unique(state, entity)
    entity["lastrevid"] = state._new_revision()
    entity["modified"] = _now_iso()
    return True


def _snapshot(entity: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy({k: v for k, v in entity.items() if k not in ("lastrevid", "modified")})


def _check_label_description_unique(state: WikibaseState, entity: dict[str, Any]) -> None:
    for lang, label in entity.get("labels", {}).items():
        description = entity.get("descriptions", {}).get(lang)
        if not description:
            continue
        for other in state.entities.values():
            if other["id"] == entity["id"] or other["type"] != entity["type"]:
                continue
            if (other["labels"].get(lang, {}).get("value") == label["value"]
                    and other["descriptions"].get(lang, {}).get("value") == description["value"]):
                raise ApiError(
                    "modification-failed",
                    f"Item {other['id']} already has label \"{label['value']}\" associated with"
                    f" language code {lang}, using the same description text.",
                    messages=[{"name": "wikibase-validator-label-with-description-conflict",
                               "parameters": [label["value"], lang, other["id"]]}])


def _wbeditentity(server: WikibaseServer, params: dict[str, str], session: str | None
                  ) -> dict[str, Any]:
    state = server.state
    _check_write(state, params, session)
    try:
        data = json.loads(params.get("data", ""))
    except ValueError as error:
        raise ApiError("invalid-json", f"Could not parse data: {error}") from error
    if not isinstance(data, dict):
        raise ApiError("not-recognized-array", "data must be a JSON object")
    new = params.get("new")
    created = False
    if new:
        if params.get("id"):
            raise ApiError("param-illegal", "Either provide the id or new, not both.")
        if new not in ("item", "property"):
            raise ApiError("badvalue", f"Unrecognized value for parameter \"new\": {new}.")
        prefix = "Q" if new == "item" else "P"
        eid = f"{prefix}{state.next_numeric[prefix]}"
        if new == "property" and "datatype" not in data:
            raise ApiError("param-missing", "No datatype given")
        seed: dict[str, Any] = {"id": eid, "type": new, "labels": {}, "descriptions": {},
                                "aliases": {}, "claims": {}}
        if new == "item":
            seed["sitelinks"] = {}
        else:
            seed["datatype"] = data["datatype"]
        entity = state.add_entity(seed)
        before: dict[str, Any] = {}
        created = True
    else:
        eid = params.get("id", "")
        if not eid:
            raise ApiError("param-missing", "Either provide the item \"id\" or \"new\".")
        entity = _entity_for_write(state, params, eid)
        before = _snapshot(entity)
    try:
        if params.get("clear"):
            for part in ("labels", "descriptions", "aliases", "claims"):
                entity[part] = {}
        _apply_entity_data(state, entity, data)
        changed = _commit(state, entity, before)
    except ApiError:
        if created:
            del state.entities[eid]
        else:
            entity.clear()
            entity.update(before)
        raise
    body: dict[str, Any] = {"entity": _entity_view(entity, ["info", "labels", "descriptions",
                                                             "aliases", "claims", "sitelinks",
                                                             "datatype"], set()),
                            "success": 1}
    if not changed:
        body["entity"]["nochange"] = ""
    return body


def _apply_entity_data(state: WikibaseState, entity: dict[str, Any], data: dict[str, Any]
                       ) -> None:
    """Apply wbeditentity ``data`` in place (labels, descriptions, aliases, claims, sitelinks)."""
    eid = entity["id"]
    if "id" in data and data["id"] != eid:
        raise ApiError("param-invalid", f"data id {data['id']} does not match {eid}")
    for part in ("labels", "descriptions"):
        for lang, term in _terms(data.get(part)).items():
            if "remove" in term or term.get("value", "") == "":
                entity[part].pop(lang, None)
            else:
                value = _clean_term(term, lang, part)
                entity[part][lang] = {"language": lang, "value": value}
    aliases = data.get("aliases")
    if aliases:
        _apply_aliases(entity, aliases)
    claims = data.get("claims")
    if claims:
        _apply_claims(state, entity, claims)
    for site, link in (data.get("sitelinks") or {}).items():
        if "remove" in link:
            entity["sitelinks"].pop(site, None)
        else:
            entity["sitelinks"][site] = {"site": site, "title": link["title"],
                                         "badges": link.get("badges", [])}


def _terms(value: Any) -> dict[str, dict[str, Any]]:
    if not value:
        return {}
    if isinstance(value, list):
        return {term["language"]: term for term in value}
    return dict(value)


def _clean_term(term: dict[str, Any], lang: str, part: str) -> str:
    if term.get("language", lang) != lang:
        raise ApiError("inconsistent-language", f"{part}: language {term.get('language')}"
                       f" under key {lang}")
    value = term.get("value")
    if not isinstance(value, str):
        raise ApiError("not-recognized-string", f"{part}.{lang}: value must be a string")
    if value != value.strip():
        raise ApiError("modification-failed", f"{part}.{lang}: leading or trailing whitespace",
                       messages=[{"name": "wikibase-validator-malformed-value"}])
    limit = 250
    if len(value) > limit:
        raise ApiError("modification-failed", f"{part}.{lang}: longer than {limit} characters",
                       messages=[{"name": "wikibase-validator-too-long"}])
    return value


def _apply_aliases(entity: dict[str, Any], aliases: Any) -> None:
    by_lang: dict[str, list[dict[str, Any]]] = {}
    if isinstance(aliases, list):
        for alias in aliases:
            by_lang.setdefault(alias["language"], []).append(alias)
    else:
        for lang, entries in aliases.items():
            by_lang[lang] = entries if isinstance(entries, list) else [entries]
    for lang, entries in by_lang.items():
        current = [a["value"] for a in entity["aliases"].get(lang, [])]
        plain = [_clean_term(a, lang, "aliases") for a in entries
                 if "add" not in a and "remove" not in a]
        if plain:
            current = list(dict.fromkeys(plain))
        for alias in entries:
            value = _clean_term(alias, lang, "aliases")
            if "add" in alias and value not in current:
                current.append(value)
            if "remove" in alias and value in current:
                current.remove(value)
        if current:
            entity["aliases"][lang] = [{"language": lang, "value": v} for v in current]
        else:
            entity["aliases"].pop(lang, None)


def _apply_claims(state: WikibaseState, entity: dict[str, Any], claims: Any) -> None:
    eid = entity["id"]
    flat = [c for group in claims.values() for c in group] if isinstance(claims, dict) else claims
    for claim in flat:
        claim = copy.deepcopy(claim)
        guid = claim.get("id")
        if "remove" in claim:
            if not guid or not _remove_claim(entity, guid):
                raise ApiError("no-such-claim", f"Could not find the claim {guid!r}.")
            continue
        pid = claim.get("mainsnak", {}).get("property")
        if not pid:
            raise ApiError("invalid-claim", "A claim needs a mainsnak with a property.")
        if guid:
            if not guid.startswith(eid + "$"):
                raise ApiError("invalid-guid", f"Claim id {guid} does not belong to {eid}.")
            existing = _find_claim(entity, guid)
            if existing is None:
                raise ApiError("no-such-claim", f"Could not find the claim {guid}.")
            if existing["mainsnak"]["property"] != pid:
                raise ApiError("modification-failed", "A claim's property cannot change.")
        _validate_value(state, claim["mainsnak"])
        state._complete_claims(eid, {pid: [claim]})
        if guid:
            group = entity["claims"][pid]
            index = next(i for i, c in enumerate(group) if c["id"] == guid)
            group[index] = claim
        else:
            entity["claims"].setdefault(pid, []).append(claim)


def _validate_value(state: WikibaseState, snak: dict[str, Any]) -> None:
    """Reject the value kinds Wikibase itself rejects (a cheap subset)."""
    if snak.get("snaktype", "value") != "value":
        return
    datatype = state.datatypes.get(snak["property"])
    if datatype is None:
        raise ApiError("modification-failed", f"Property {snak['property']} not found.",
                       messages=[{"name": "wikibase-validator-no-such-property"}])
    datavalue = snak.get("datavalue")
    if not isinstance(datavalue, dict) or "value" not in datavalue:
        raise ApiError("invalid-snak", "A value snak needs a datavalue.")
    expected = {"wikibase-item": "wikibase-entityid", "wikibase-property": "wikibase-entityid",
                "string": "string", "external-id": "string", "url": "string",
                "monolingualtext": "monolingualtext", "time": "time", "quantity": "quantity",
                "commonsMedia": "string", "globe-coordinate": "globecoordinate"}.get(datatype)
    if expected and datavalue.get("type") != expected:
        raise ApiError("invalid-snak", f"{snak['property']} expects a {expected} value, got"
                       f" {datavalue.get('type')}.")
    if datatype == "time":
        value = datavalue["value"]
        if not re.match(r"^[+-]\d{1,16}-\d\d-\d\dT00:00:00Z$", value.get("time", "")):
            raise ApiError("invalid-snak", f"malformed time {value.get('time')!r}")
        if value.get("precision", 11) > 11:
            raise ApiError("invalid-snak", "time precision finer than a day")


def _find_claim(entity: dict[str, Any], guid: str) -> dict[str, Any] | None:
    for group in entity["claims"].values():
        for claim in group:
            if claim["id"] == guid:
                return claim
    return None


def _remove_claim(entity: dict[str, Any], guid: str) -> bool:
    for pid, group in list(entity["claims"].items()):
        for index, claim in enumerate(group):
            if claim["id"] == guid:
                del group[index]
                if not group:
                    del entity["claims"][pid]
                return True
    return False


def _entity_of_guid(state: WikibaseState, guid: str) -> dict[str, Any]:
    eid = guid.split("$", 1)[0]
    if "$" not in guid or eid.upper() not in state.entities:
        raise ApiError("invalid-guid", f"Invalid claim GUID {guid!r}.")
    return state.entities[eid.upper()]


def _write_result(entity: dict[str, Any], **extra: Any) -> dict[str, Any]:
    body = {"pageinfo": {"lastrevid": entity["lastrevid"]}, "success": 1}
    body.update(extra)
    return body


def _wbremoveclaims(server: WikibaseServer, params: dict[str, str], session: str | None
                    ) -> dict[str, Any]:
    state = server.state
    _check_write(state, params, session)
    guids = _split(params.get("claim"))
    if not guids:
        raise ApiError("param-missing", "The \"claim\" parameter must be set.")
    entity = _entity_of_guid(state, guids[0])
    if any(_entity_of_guid(state, g) is not entity for g in guids):
        raise ApiError("invalid-guid", "All claims must belong to the same entity.")
    entity = _entity_for_write(state, params, entity["id"])
    before = _snapshot(entity)
    for guid in guids:
        if not _remove_claim(entity, guid):
            entity.clear()
            entity.update(before)
            raise ApiError("no-such-claim", f"Could not find the claim {guid}.")
    _commit(state, entity, before)
    return _write_result(entity, claims=guids)


def _wbcreateclaim(server: WikibaseServer, params: dict[str, str], session: str | None
                   ) -> dict[str, Any]:
    state = server.state
    _check_write(state, params, session)
    entity = _entity_for_write(state, params, params.get("entity", ""))
    snak: dict[str, Any] = {"snaktype": params.get("snaktype", "value"),
                            "property": params.get("property", "")}
    if snak["snaktype"] == "value":
        value = json.loads(params.get("value", "null"))
        snak["datavalue"] = {"value": value, "type": _value_type(state, snak["property"], value)}
    claim = {"mainsnak": snak, "type": "statement", "rank": "normal"}
    before = _snapshot(entity)
    _apply_claims(state, entity, [claim])
    _commit(state, entity, before)
    return _write_result(entity, claim=entity["claims"][snak["property"]][-1])


def _value_type(state: WikibaseState, pid: str, value: Any) -> str:
    datatype = state.datatypes.get(pid, "string")
    return {"wikibase-item": "wikibase-entityid", "wikibase-property": "wikibase-entityid",
            "monolingualtext": "monolingualtext", "time": "time", "quantity": "quantity",
            "globe-coordinate": "globecoordinate"}.get(datatype, "string")


def _wbsetclaim(server: WikibaseServer, params: dict[str, str], session: str | None
                ) -> dict[str, Any]:
    state = server.state
    _check_write(state, params, session)
    claim = json.loads(params.get("claim", "{}"))
    guid = claim.get("id", "")
    entity = _entity_for_write(state, params, _entity_of_guid(state, guid)["id"])
    before = _snapshot(entity)
    if _find_claim(entity, guid) is None:
        # wbsetclaim may create a claim with a client-made GUID.
        pid = claim["mainsnak"]["property"]
        _validate_value(state, claim["mainsnak"])
        state._complete_claims(entity["id"], {pid: [claim]})
        entity["claims"].setdefault(pid, []).append(claim)
    else:
        _apply_claims(state, entity, [claim])
    _commit(state, entity, before)
    return _write_result(entity, claim=_find_claim(entity, guid))


def _wbsetreference(server: WikibaseServer, params: dict[str, str], session: str | None
                    ) -> dict[str, Any]:
    state = server.state
    _check_write(state, params, session)
    guid = params.get("statement", "")
    entity = _entity_for_write(state, params, _entity_of_guid(state, guid)["id"])
    claim = _find_claim(entity, guid)
    if claim is None:
        raise ApiError("no-such-claim", f"Could not find the claim {guid}.")
    snaks = json.loads(params.get("snaks", "{}"))
    order = _split(params.get("snaks-order")) or list(snaks)
    before = _snapshot(entity)
    new_ref = {"snaks": snaks, "snaks-order": order}
    replaced = params.get("reference")
    refs = claim.setdefault("references", [])
    if replaced:
        index = next((i for i, r in enumerate(refs) if r["hash"] == replaced), None)
        if index is None:
            raise ApiError("no-such-reference", f"Could not find the reference {replaced}.")
        refs[index] = new_ref
    else:
        refs.append(new_ref)
    state._complete_claims(entity["id"], {claim["mainsnak"]["property"]: [claim]})
    _commit(state, entity, before)
    return _write_result(entity, reference=refs[-1] if not replaced else refs[index])


def _wbsetterm(part: str) -> Callable[[WikibaseServer, dict[str, str], str | None],
                                      dict[str, Any]]:
    def handler(server: WikibaseServer, params: dict[str, str], session: str | None
                ) -> dict[str, Any]:
        state = server.state
        _check_write(state, params, session)
        entity = _entity_for_write(state, params, params.get("id", ""))
        lang = params.get("language", "")
        before = _snapshot(entity)
        _apply_entity_data(state, entity, {part: {lang: {"language": lang,
                                                         "value": params.get("value", "")}}})
        _commit(state, entity, before)
        return _write_result(entity, entity={part: {lang: entity[part].get(
            lang, {"language": lang, "removed": ""})}, "id": entity["id"]})
    return handler


def _wbsetaliases(server: WikibaseServer, params: dict[str, str], session: str | None
                  ) -> dict[str, Any]:
    state = server.state
    _check_write(state, params, session)
    entity = _entity_for_write(state, params, params.get("id", ""))
    lang = params.get("language", "")
    before = _snapshot(entity)
    entries = [{"language": lang, "value": v} for v in _split(params.get("set"))]
    entries += [{"language": lang, "value": v, "add": ""} for v in _split(params.get("add"))]
    entries += [{"language": lang, "value": v, "remove": ""}
                for v in _split(params.get("remove"))]
    _apply_aliases(entity, {lang: entries})
    _commit(state, entity, before)
    return _write_result(entity, entity={"aliases": entity["aliases"].get(lang, []),
                                         "id": entity["id"]})


_ACTIONS: dict[str, Callable[[WikibaseServer, dict[str, str], str | None], dict[str, Any]]] = {
    "query": _query,
    "paraminfo": _paraminfo,
    "login": _login,
    "logout": _logout,
    "wbgetentities": _wbgetentities,
    "wbsearchentities": _wbsearchentities,
    "wbeditentity": _wbeditentity,
    "wbremoveclaims": _wbremoveclaims,
    "wbcreateclaim": _wbcreateclaim,
    "wbsetclaim": _wbsetclaim,
    "wbsetreference": _wbsetreference,
    "wbsetlabel": _wbsetterm("labels"),
    "wbsetdescription": _wbsetterm("descriptions"),
    "wbsetaliases": _wbsetaliases,
}


# -- HTTP --------------------------------------------------------------------------------


class _QuietHTTPServer(ThreadingHTTPServer):
    """Ignores clients that hung up (they timed out on purpose in fault tests)."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server_version = "LoopbackWikibase/1.0"
    protocol_version = "HTTP/1.1"
    # Headers and body in one write, no Nagle: otherwise delayed ACKs add ~40 ms per answer.
    wbufsize = -1
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: pytest shows recorded requests when a test needs them."""

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        wiki: WikibaseServer = self.server.wiki  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if parts.path == CONTROL_PATH:
            # Request counts for a server running in another process (the benchmarks).
            with wiki._lock:
                counts: dict[str, int] = {}
                for seen in wiki.requests:
                    counts[seen.action] = counts.get(seen.action, 0) + 1
                if method == "POST":
                    wiki.requests.clear()
            self._send_json({"requests": counts}, {})
            return
        if method == "POST":
            params.update(_form_params(self.headers.get("Content-Type", ""), body))
        record = RecordedRequest(method, parts.path, params,
                                 CaseInsensitiveDict(self.headers.items()))
        with wiki._lock:
            wiki.requests.append(record)
        if wiki.on_request is not None:
            wiki.on_request(record)
        if parts.path != API_PATH:
            self._send(404, b"not found", "text/plain")
            return
        session = _session_of(self.headers.get("Cookie"))
        extra_headers: dict[str, str] = {}
        new_session = None
        with wiki._lock:
            if session is None or session not in wiki.state.known_sessions:
                new_session = secrets.token_hex(12)
                wiki.state.known_sessions.add(new_session)
                session = new_session
        fault = wiki._take_fault(params)
        if fault is not None:
            if fault.kind == "timeout":
                wiki._stop.wait(fault.seconds)
            elif fault.kind == "http":
                headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after else {}
                self._send(fault.status, f"Injected HTTP {fault.status}".encode(),
                           "text/plain", headers)
                return
            elif fault.kind == "maxlag":
                error = ApiError("maxlag", f"Waiting for db1: {fault.lag:g} seconds lagged.",
                                 host="db1", lag=fault.lag, type="db")
                headers = {"Retry-After": str(fault.retry_after or 5),
                           "X-Database-Lag": f"{fault.lag:g}",
                           "MediaWiki-API-Error": "maxlag"}
                self._send_json(_error_body(error, params), headers)
                return
            elif fault.kind == "error":
                error = ApiError(fault.code, fault.text)
                self._send_json(_error_body(error, params), {"MediaWiki-API-Error": fault.code})
                return
        answer, extra = wiki._answer(params, session, method)
        extra_headers.update(extra)
        if new_session is not None:
            extra_headers["Set-Cookie"] = f"{SESSION_COOKIE}={new_session}; Path=/; HttpOnly"
        self._send_json(answer, extra_headers)

    def _send_json(self, body: dict[str, Any], headers: dict[str, str]) -> None:
        raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self._send(200, raw, "application/json; charset=utf-8", headers)

    def _send(self, status: int, raw: bytes, content_type: str,
              headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(raw)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (e.g. after its timeout); nothing to tell it


def _session_of(cookie_header: str | None) -> str | None:
    if not cookie_header:
        return None
    jar = cookies.SimpleCookie()
    try:
        jar.load(cookie_header)
    except cookies.CookieError:
        return None
    morsel = jar.get(SESSION_COOKIE)
    return morsel.value if morsel else None


def _form_params(content_type: str, body: bytes) -> dict[str, str]:
    if content_type.startswith("application/x-www-form-urlencoded"):
        return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    if content_type.startswith("multipart/form-data"):
        from email.parser import BytesParser
        from email.policy import HTTP

        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body)
        params = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            if name:
                params[str(name)] = payload.decode("utf-8")
        return params
    return {}


def main(argv: list[str] | None = None) -> None:
    """Serve in the foreground: ``python -m tests.wikibase_server [--generate N]``.

    Prints the API URL on the first line of stdout and serves until stdin closes.
    """
    import argparse
    import sys

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--generate", type=int, default=0,
                        help="add N generated fixture items (Q1000001...)")
    args = parser.parse_args(argv)
    server = WikibaseServer()
    server.add_entities(generated_items(args.generate))
    with server:
        print(server.api_url, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
