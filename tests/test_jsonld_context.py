"""The embedded schema.org context and the offline document loader.

For everything the toolkit emits, expansion with the toolkit's own context must give exactly
the triples that the real schema.org 30.0 context (../shared/schemaorg) gives.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.jsonld_cases import REPO, SCHEMAORG_DIR, large_mapping, seed_mapping, small_mapping
from toolkit.errors import ToolkitError
from toolkit.publish.graph import build_graph, expand
from toolkit.publish.loader import EMBEDDED_CONTEXT, DocumentLoader, LoaderSettings


@pytest.fixture(scope="module")
def real_loader() -> DocumentLoader:
    """A loader serving the published 30.0 context for the schema.org URLs."""
    context = SCHEMAORG_DIR / "schemaorgcontext.jsonld"
    assert context.exists(), f"schema.org test data not found at {SCHEMAORG_DIR}"
    return DocumentLoader(LoaderSettings(context_file=context))


@pytest.fixture(scope="module")
def embedded_loader() -> DocumentLoader:
    return DocumentLoader(LoaderSettings())


def _quads(doc: Any, loader: DocumentLoader) -> list[str]:
    from pyld import jsonld as pyld

    text = pyld.to_rdf(doc, loader.options(format="application/n-quads"))
    return sorted(text.splitlines())


@pytest.mark.parametrize("make", [seed_mapping, small_mapping, large_mapping],
                         ids=["seed", "small", "large-500"])
def test_embedded_context_gives_the_same_triples_as_schema_org_30(
        make: Any, real_loader: DocumentLoader, embedded_loader: DocumentLoader) -> None:
    doc = build_graph(make())
    ours, theirs = _quads(doc, embedded_loader), _quads(doc, real_loader)
    assert len(ours) > len(doc["@graph"])
    assert ours == theirs


def test_each_embedded_term_means_what_schema_org_30_says(
        real_loader: DocumentLoader, embedded_loader: DocumentLoader) -> None:
    terms = json.loads(EMBEDDED_CONTEXT.read_text(encoding="utf-8"))["@context"]
    coerced = [t for t, d in terms.items() if isinstance(d, dict)]
    assert {"sameAs", "url", "isPartOf", "datePublished", "license", "isBasedOn"} <= set(coerced)
    for term in coerced:
        doc = {"@context": "https://schema.org", "@id": "http://example.org/n", term: "2019"}
        assert _quads(doc, embedded_loader) == _quads(doc, real_loader), term


def test_embedded_context_is_our_own_and_the_toolkit_never_reads_shared() -> None:
    ours = EMBEDDED_CONTEXT.read_bytes()
    assert ours != (SCHEMAORG_DIR / "schemaorgcontext.jsonld").read_bytes()
    assert len(json.loads(ours)["@context"]) < 50
    for path in (REPO / "toolkit").rglob("*.py"):
        assert "shared/schemaorg" not in path.read_text(encoding="utf-8"), path


def test_loader_answers_static_and_pyld_caches_the_processed_context() -> None:
    calls: list[str] = []

    class Counting(DocumentLoader):
        def __call__(self, url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
            calls.append(url)
            return super().__call__(url, options)

    from pyld import jsonld as pyld

    loader = Counting(LoaderSettings())
    assert loader("https://schema.org")["tag"] == "static"
    calls.clear()
    doc = build_graph(small_mapping())
    for _ in range(3):
        pyld.expand(doc, loader.options())
    assert calls == ["https://schema.org"]


def test_offline_loader_refuses_any_other_document() -> None:
    doc = {"@context": "https://example.org/context.jsonld", "name": "Fixture"}
    with pytest.raises(ToolkitError, match="not available"):
        expand(doc)


def test_online_mode_serves_the_cached_context_without_fetching(tmp_path: Path) -> None:
    # A pre-filled cache: the loader must use it and not touch the network (the socket
    # guard would fail this test otherwise).
    shutil.copy(SCHEMAORG_DIR / "schemaorgcontext.jsonld", tmp_path / "schemaorg-context.jsonld")
    loader = DocumentLoader(LoaderSettings(online=True, cache_dir=tmp_path))
    doc = {"@context": "https://schema.org", "@id": "http://example.org/n",
           "thumbnailUrl": "http://example.org/t.png"}
    quads = _quads(doc, loader)
    # thumbnailUrl is coerced to @id only in the real context, not in the embedded one
    assert quads == ["<http://example.org/n> <http://schema.org/thumbnailUrl> "
                     "<http://example.org/t.png> ."]
    assert _quads(doc, DocumentLoader()) != quads
