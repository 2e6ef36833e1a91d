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

Retries (maxlag, 429, 5xx, timeouts, dropped connections, with exponential backoff and
``Retry-After``) are :class:`toolkit.wiki.http.ApiClient`'s, shared with the page reader.

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
from pathlib import Path
from typing import Any

import requests

from toolkit.errors import UsageError, WikibaseError
from toolkit.files import write_atomic
from toolkit.wiki.http import ApiClient, ApiSettings, RequestStats, retry_after_seconds
from toolkit.wiki.site import WIKIDATA_API

ENTITY_PROPS = "labels|descriptions|aliases|claims|sitelinks|info"
API_BATCH_LIMIT = 50  # wbgetentities ids limit for accounts without apihighlimits

_ENTITY_ID = re.compile(r"^(?:[QPL][1-9]\d*|M[1-9]\d*|L[1-9]\d*-[FS][1-9]\d*)$")
_PROPERTY_ID = re.compile(r"^P[1-9]\d*$")


@dataclass(frozen=True)
class WikibaseSettings(ApiSettings):
    """A Wikibase to read (Wikidata unless told otherwise) and how to batch the reads."""

    api_url: str = WIKIDATA_API
    batch_size: int = API_BATCH_LIMIT
    item_namespace: int = 0  # Wikidata keeps items in 0; some Wikibase.cloud wikis in 120

    def __post_init__(self) -> None:
        super().__post_init__()
        if not 1 <= self.batch_size <= API_BATCH_LIMIT:
            raise UsageError(f"batch size must be 1..{API_BATCH_LIMIT}, got {self.batch_size}")


@dataclass
class ReaderStats(RequestStats):
    """Counters for benchmarks and tests."""

    cache_hits: int = 0  # entities answered from the cache (revalidated or offline)
    cache_misses: int = 0  # entities that had to be fetched (or, offline, were unknown)


class WikibaseReader:
    """Read-only client for one Wikibase."""

    def __init__(self, settings: WikibaseSettings | None = None, *,
                 sleep: Callable[[float], None] = time.sleep,
                 session: requests.Session | None = None) -> None:
        self.settings = settings or WikibaseSettings()
        self.stats = ReaderStats()
        self._client = ApiClient(self.settings, self.stats, sleep=sleep, session=session)
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

    def _call(self, params: dict[str, Any]) -> dict[str, Any]:
        """One API call with retries; returns the JSON body or raises a WikibaseError."""
        if self.settings.offline:
            raise WikibaseError("offline: no request may be sent", code="offline")
        return self._client.call(params)


# -- helpers -------------------------------------------------------------------------------

_retry_after = retry_after_seconds  # the name tests and older callers know


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
