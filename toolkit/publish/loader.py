"""The pyld document loader: offline by default, serving the toolkit's own schema.org context.

pyld would otherwise fetch ``https://schema.org`` on every run. This loader is frozen: it
knows only the schema.org context URLs and answers them from
``toolkit/data/schemaorg-context.jsonld``, a small context written for this project. It
defines ``@vocab`` ``http://schema.org/`` and, with the same definitions as the published
context, the ``@id`` and ``Date`` coercions of the terms the toolkit emits (so expansion gives
the same triples; ``tests/test_jsonld_context.py`` proves it). Any other URL is an error, never
a request.

Answers carry ``'tag': 'static'`` so pyld caches the processed context; each loader keeps its
own cache (:meth:`DocumentLoader.options`), so two loaders serving different contexts for the
same URL never see each other's.

``online=True`` serves the real published context instead, fetched once and cached on disk
under the user's cache directory. ``context_file`` serves a given context file (e.g. the one
in a schema.org release directory).
"""

from __future__ import annotations

import copy
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from toolkit import PROJECT, product
from toolkit.errors import ToolkitError
from toolkit.files import write_atomic

DATA_DIR = Path(__file__).resolve().parent / "data"
EMBEDDED_CONTEXT = DATA_DIR / "schemaorg-context.jsonld"
# Where schema.org publishes its context (https://schema.org answers with a Link header to it).
PUBLISHED_CONTEXT_URL = "https://schema.org/docs/jsonldcontext.jsonld"
SCHEMA_ORG_CONTEXT_URLS = frozenset({
    "https://schema.org", "https://schema.org/", "http://schema.org", "http://schema.org/",
    "https://schema.org/docs/jsonldcontext.json", "https://schema.org/docs/jsonldcontext.jsonld",
    "http://schema.org/docs/jsonldcontext.json", "http://schema.org/docs/jsonldcontext.jsonld",
})


def user_cache_dir() -> Path:
    """The toolkit's folder under the user's cache directory (``$XDG_CACHE_HOME`` or ~/.cache)."""
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / PROJECT


@dataclass(frozen=True)
class LoaderSettings:
    """Which schema.org context the loader serves."""

    online: bool = False
    cache_dir: Path | None = None      # default: user_cache_dir()
    context_file: Path | None = None   # serve this file instead (takes precedence)


@cache
def _read_context(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ToolkitError(f"cannot read JSON-LD context {path}: {exc}") from exc
    if not isinstance(doc, dict) or "@context" not in doc:
        raise ToolkitError(f"{path} is not a JSON-LD context document (no @context)")
    return doc


def fetch_published_context(cache_dir: Path | None = None) -> Path:
    """The published schema.org context on disk, fetched once (the only network use here)."""
    target = (cache_dir or user_cache_dir()) / "schemaorg-context.jsonld"
    if target.exists():
        return target
    import requests

    try:
        resp = requests.get(PUBLISHED_CONTEXT_URL, timeout=30,
                            headers={"User-Agent": f"{product()} (schema.org context fetch)",
                                     "Accept": "application/ld+json, application/json"})
        resp.raise_for_status()
        doc = resp.json()
    except (requests.RequestException, ValueError) as exc:
        raise ToolkitError(f"cannot fetch the schema.org context from "
                           f"{PUBLISHED_CONTEXT_URL}: {exc}") from exc
    if not isinstance(doc, dict) or "@context" not in doc:
        raise ToolkitError(f"{PUBLISHED_CONTEXT_URL} did not answer with a JSON-LD context")
    write_atomic(target, json.dumps(doc, ensure_ascii=False))
    return target


class DocumentLoader:
    """A frozen pyld document loader (callable as ``loader(url, options)``)."""

    def __init__(self, settings: LoaderSettings | None = None) -> None:
        from cachetools import LRUCache

        self.settings = settings or LoaderSettings()
        self._cache: LRUCache[str, Any] = LRUCache(maxsize=16)
        self._path: Path | None = None

    @property
    def context_path(self) -> Path:
        """The context file this loader serves (fetching it first when online)."""
        if self._path is None:
            if self.settings.context_file is not None:
                self._path = self.settings.context_file
            elif self.settings.online:
                self._path = fetch_published_context(self.settings.cache_dir)
            else:
                self._path = EMBEDDED_CONTEXT
        return self._path

    def __call__(self, url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        from pyld.jsonld import JsonLdError

        if url not in SCHEMA_ORG_CONTEXT_URLS:
            raise JsonLdError(
                f"offline document loader: {url!r} is not available (only the schema.org "
                "context is served; the toolkit never fetches other documents)",
                "jsonld.LoadDocumentError", {"url": url}, code="loading document failed")
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            # a copy: pyld may rewrite nested @context URLs in place
            "document": copy.deepcopy(_read_context(self.context_path)),
            "tag": "static",
        }

    def options(self, **extra: Any) -> dict[str, Any]:
        """pyld options using this loader and its private processed-context cache."""
        from pyld.context_resolver import ContextResolver

        return {"documentLoader": self, "contextResolver": ContextResolver(self._cache, self),
                **extra}


def describe_error(exc: BaseException) -> str:
    """A one-line message for a pyld error and its causes (pyld's ``str()`` is multi-line)."""
    parts = []
    cause: BaseException | None = exc
    while cause is not None:
        code = getattr(cause, "code", None)
        text = str(cause.args[0]) if cause.args else type(cause).__name__
        parts.append(f"{text} ({code})" if code else text)
        cause = cause.__cause__
    return ": ".join(parts)
