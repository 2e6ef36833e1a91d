"""Read entities from any Wikibase over its action API (Wikidata by default).

:class:`WikibaseReader` is the toolkit's only reader of wiki state. It speaks the plain
MediaWiki action API over ``requests`` (``format=json``, ``formatversion=2``,
``errorformat=plaintext``), sends ``maxlag`` and a descriptive User-Agent with every request,
and never writes.

* ``get_entities(ids)`` - ``wbgetentities`` in batches of at most 50 ids (the API limit for
  ordinary accounts). A missing entity comes back as its ``{"id": ..., "missing": ""}`` JSON.
* ``find_by_statement(pid, value)`` - ``list=search`` with ``haswbstatement:P212=...``, so
  a bot never proposes creating an item for an ISBN/DOI/ISSN that already has one.
* ``search_entities(text, language)`` - ``wbsearchentities``.

Retries: maxlag errors, HTTP 429, HTTP 5xx, timeouts and dropped connections are retried
with exponential backoff (``backoff_base * 2**attempt``, capped at ``backoff_max``); a
``Retry-After`` header (seconds or HTTP date) or the reported lag raise the wait, never
lower it. When ``max_retries`` run out, :class:`~toolkit.errors.MaxlagExhausted`; any other
API error is a :class:`~toolkit.errors.WikibaseError` carrying the API's error code. The
sleep function is injected so tests do not wait.

Cache (``cache_dir``): one JSON file per entity, ``<cache_dir>/<site>/<id>.json``, holding
the entity JSON with its ``lastrevid`` (``<site>`` is derived from the API URL, so two wikis
never share entries). Online, ids already cached are revalidated with a cheap
``props=info`` request (50 ids each) and the cached JSON is reused only when ``lastrevid``
still matches; everything else is fetched in full and written back atomically. A cold cache
therefore costs exactly ceil(N/50) requests, a warm one ceil(N/50) info requests plus the
changed entities. Offline (``offline=True``) nothing is sent at all: cached entities are
returned as they are, and an uncached id maps to ``None``, meaning "not checked against
the wiki" - never an empty entity. ``find_by_statement`` and ``search_entities`` likewise
return ``None`` offline.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import requests

from toolkit import product
from toolkit.errors import MaxlagExhausted, UsageError, WikibaseError
from toolkit.files import write_atomic
from toolkit.wiki.site import WIKIDATA_API

ENTITY_PROPS = "labels|descriptions|aliases|claims|sitelinks|info"
API_BATCH_LIMIT = 50  # wbgetentities ids limit for accounts without apihighlimits

_ENTITY_ID = re.compile(r"^(?:[QPL][1-9]\d*|M[1-9]\d*|L[1-9]\d*-[FS][1-9]\d*)$")
_PROPERTY_ID = re.compile(r"^P[1-9]\d*$")


@dataclass(frozen=True)
class WikibaseSettings:
    """Where and how politely to read: one object, passed around, no globals."""

    api_url: str = WIKIDATA_API
    contact: str = ""  # e-mail or URL for the wiki operators, put into the User-Agent
    user_agent: str = ""  # a full User-Agent replaces the generated one
    maxlag: int = 5
    timeout: float = 30.0
    max_retries: int = 5
    backoff_base: float = 1.0
    backoff_max: float = 120.0
    cache_dir: Path | None = None
    offline: bool = False
    batch_size: int = API_BATCH_LIMIT
    item_namespace: int = 0  # Wikidata keeps items in 0; some Wikibase.cloud wikis in 120

    def __post_init__(self) -> None:
        if not 1 <= self.batch_size <= API_BATCH_LIMIT:
            raise UsageError(f"batch size must be 1..{API_BATCH_LIMIT}, got {self.batch_size}")
        if self.max_retries < 0:
            raise UsageError("max_retries must not be negative")

    @property
    def effective_user_agent(self) -> str:
        """The User-Agent sent: tool/version (contact) library/version, per Wikimedia policy."""
        if self.user_agent:
            return self.user_agent
        contact = self.contact or "no contact configured"
        return f"{product()} ({contact}) python-requests/{requests.__version__}"


@dataclass
class ReaderStats:
    """Counters for benchmarks and tests."""

    requests: int = 0  # HTTP requests sent, retries included
    retries: int = 0
    cache_hits: int = 0  # entities answered from the cache (revalidated or offline)
    cache_misses: int = 0  # entities that had to be fetched (or, offline, were unknown)


class WikibaseReader:
    """Read-only client for one Wikibase."""

    def __init__(self, settings: WikibaseSettings | None = None, *,
                 sleep: Callable[[float], None] = time.sleep,
                 session: requests.Session | None = None) -> None:
        self.settings = settings or WikibaseSettings()
        self.stats = ReaderStats()
        self._sleep = sleep
        self._session = session
        self._cache = _EntityCache(self.settings.cache_dir, self.settings.api_url) \
            if self.settings.cache_dir is not None else None

    # -- public API ----------------------------------------------------------------------

    def get_entities(self, ids: Iterable[str]) -> dict[str, dict[str, Any] | None]:
        """Current JSON of each entity, keyed by id (``None``: offline and not cached)."""
        wanted = _unique_ids(ids)
        result: dict[str, dict[str, Any] | None] = {}
        cached = {eid: self._cache.read(eid) if self._cache else None for eid in wanted}
        if self.settings.offline:
            for eid in wanted:
                result[eid] = cached[eid]
                if cached[eid] is None:
                    self.stats.cache_misses += 1
                else:
                    self.stats.cache_hits += 1
            return result
        to_fetch = [eid for eid in wanted if cached[eid] is None]
        to_check = [eid for eid in wanted if cached[eid] is not None]
        for batch in _batches(to_check, self.settings.batch_size):
            current = self._wbgetentities(batch, "info")
            for eid in batch:
                entity = cached[eid]
                assert entity is not None
                fresh = current.get(eid)
                if fresh is not None and _same_revision(entity, fresh):
                    result[eid] = entity
                    self.stats.cache_hits += 1
                else:
                    to_fetch.append(eid)
        for batch in _batches(to_fetch, self.settings.batch_size):
            fetched = self._wbgetentities(batch, ENTITY_PROPS)
            for eid in batch:
                entity = fetched.get(eid)
                if entity is None:
                    raise WikibaseError(f"wbgetentities did not answer for {eid}",
                                        code="missing-answer")
                self.stats.cache_misses += 1
                result[eid] = entity
                if self._cache is not None:
                    self._cache.write(eid, entity)
        return {eid: result[eid] for eid in wanted}

    def get_entity(self, eid: str) -> dict[str, Any] | None:
        """One entity; see :meth:`get_entities`."""
        return self.get_entities([eid])[_normalise_id(eid)]

    def find_by_statement(self, pid: str, value: str) -> list[str] | None:
        """Ids of items with a ``pid`` statement whose value is ``value`` (None offline)."""
        if not _PROPERTY_ID.match(pid):
            raise UsageError(f"not a property id: {pid!r}")
        if self.settings.offline:
            return None
        if '"' in value:
            raise UsageError(f"cannot search for a value containing a double quote: {value!r}")
        term = f"{pid}={value}"
        # CirrusSearch reads the keyword value up to the next space; quote it when needed.
        query = f'haswbstatement:"{term}"' if re.search(r"\s", term) else \
            f"haswbstatement:{term}"
        found: list[str] = []
        params: dict[str, Any] = {"action": "query", "list": "search", "srsearch": query,
                                  "srnamespace": self.settings.item_namespace,
                                  "srlimit": 50, "srinfo": "", "srprop": ""}
        while True:
            body = self._call(params)
            for hit in body.get("query", {}).get("search", []):
                found.append(hit["title"].split(":", 1)[-1])
            more = body.get("continue")
            if not more or len(found) >= 500:  # a value shared by 500+ items is no identifier
                return found
            params = {**params, **more}

    def search_entities(self, text: str, language: str, type: str = "item",
                        limit: int = 7) -> list[dict[str, Any]] | None:
        """``wbsearchentities`` hits (id, label, description, match), best first; None offline."""
        if self.settings.offline:
            return None
        body = self._call({"action": "wbsearchentities", "search": text, "language": language,
                           "uselang": language, "type": type, "limit": limit,
                           "strictlanguage": ""})
        hits: list[dict[str, Any]] = body.get("search", [])
        return hits

    # -- requests ------------------------------------------------------------------------

    def _wbgetentities(self, ids: list[str], props: str) -> dict[str, dict[str, Any]]:
        body = self._call({"action": "wbgetentities", "ids": "|".join(ids), "props": props})
        entities: dict[str, dict[str, Any]] = body.get("entities", {})
        # A redirected id is answered under the target's JSON; key it by what we asked for.
        for eid in ids:
            if eid not in entities:
                for entity in entities.values():
                    if entity.get("redirects", {}).get("from") == eid:
                        entities[eid] = entity
        return entities

    def _http(self) -> requests.Session:
        if self._session is None:
            self._session = requests.Session()
        self._session.headers["User-Agent"] = self.settings.effective_user_agent
        return self._session

    def _call(self, params: dict[str, Any]) -> dict[str, Any]:
        """One API call with retries; returns the JSON body or raises a WikibaseError."""
        if self.settings.offline:
            raise WikibaseError("offline: no request may be sent", code="offline")
        query = {**params, "format": "json", "formatversion": "2",
                 "errorformat": "plaintext", "maxlag": self.settings.maxlag}
        last_problem = ""
        for attempt in range(self.settings.max_retries + 1):
            if attempt:
                self.stats.retries += 1
            self.stats.requests += 1
            try:
                response = self._http().get(self.settings.api_url, params=query,
                                            timeout=self.settings.timeout)
            except requests.Timeout:
                last_problem = f"timed out after {self.settings.timeout:g}s"
                self._wait(attempt, None)
                continue
            except requests.ConnectionError as failure:
                last_problem = f"connection failed: {failure}"
                self._wait(attempt, None)
                continue
            retry_after = _retry_after(response.headers.get("Retry-After"))
            if response.status_code == 429 or response.status_code >= 500:
                last_problem = f"HTTP {response.status_code}"
                self._wait(attempt, retry_after)
                continue
            if response.status_code != 200:
                raise WikibaseError(f"{self.settings.api_url}: HTTP {response.status_code}",
                                    code=f"http-{response.status_code}")
            try:
                body = response.json()
            except ValueError as bad_json:
                raise WikibaseError(f"{self.settings.api_url}: answer is not JSON ({bad_json})",
                                    code="invalid-json") from bad_json
            api_error = _api_error(body)
            if api_error is None:
                return body if isinstance(body, dict) else {}
            code, text, data = api_error
            if code == "maxlag":
                lag = data.get("lag") or _float(response.headers.get("X-Database-Lag"))
                last_problem = f"maxlag: {text}"
                self._wait(attempt, max(retry_after or 0.0, lag or 0.0) or None)
                continue
            raise WikibaseError(f"{self.settings.api_url}: {code}: {text}", code=code)
        raise MaxlagExhausted(
            f"{self.settings.api_url}: gave up after {self.settings.max_retries} retries"
            f" ({last_problem})", code="retries-exhausted")

    def _wait(self, attempt: int, at_least: float | None) -> None:
        """Back off before the next attempt (none after the last one)."""
        if attempt >= self.settings.max_retries:
            return
        delay = min(self.settings.backoff_base * (2 ** attempt), self.settings.backoff_max)
        if at_least is not None:
            delay = max(delay, min(at_least, self.settings.backoff_max))
        self._sleep(delay)


# -- helpers -------------------------------------------------------------------------------


def _api_error(body: Any) -> tuple[str, str, dict[str, Any]] | None:
    """(code, text, data) of an API error answer, in either error format, else None."""
    if not isinstance(body, dict):
        return None
    errors = body.get("errors")
    if isinstance(errors, list) and errors:
        first = errors[0]
        return (str(first.get("code", "unknown")), str(first.get("text", "")),
                first.get("data") or {})
    error = body.get("error")
    if isinstance(error, dict):
        data = {k: v for k, v in error.items() if k not in ("code", "info", "*")}
        return str(error.get("code", "unknown")), str(error.get("info", "")), data
    return None


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP-date), else None."""
    if not value:
        return None
    seconds = _float(value)
    if seconds is not None:
        return max(seconds, 0.0)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def _float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _normalise_id(eid: str) -> str:
    return eid.strip().upper()


def _unique_ids(ids: Iterable[str]) -> list[str]:
    wanted: list[str] = []
    for raw in ids:
        eid = _normalise_id(raw)
        if not _ENTITY_ID.match(eid):
            raise UsageError(f"not an entity id: {raw!r}")
        wanted.append(eid)
    return list(dict.fromkeys(wanted))


def _batches(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _same_revision(cached: dict[str, Any], current: dict[str, Any]) -> bool:
    if "missing" in cached or "missing" in current:
        return "missing" in cached and "missing" in current
    return cached.get("lastrevid") is not None and \
        cached.get("lastrevid") == current.get("lastrevid")


class _EntityCache:
    """Entity JSON on disk, one file per id, per wiki; validity is judged by ``lastrevid``."""

    def __init__(self, root: Path, api_url: str) -> None:
        self.dir = Path(root) / re.sub(r"[^A-Za-z0-9.-]+", "_", api_url.split("://", 1)[-1])

    def path(self, eid: str) -> Path:
        return self.dir / f"{eid}.json"

    def read(self, eid: str) -> dict[str, Any] | None:
        try:
            entity = json.loads(self.path(eid).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # absent or damaged: fetch again rather than trust it
        if not isinstance(entity, dict) or entity.get("id") != eid:
            return None
        return entity

    def write(self, eid: str, entity: dict[str, Any]) -> None:
        write_atomic(self.path(eid), json.dumps(entity, ensure_ascii=False, sort_keys=True))
