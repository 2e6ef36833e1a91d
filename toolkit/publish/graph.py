"""schema.org JSON-LD for a mapping: the graph a web publisher embeds in a page.

:func:`build_graph` writes the compact document directly from the model (no pyld
compaction, which is slow and emits ``id``/``type`` aliases)::

    {"@context": "https://schema.org", "@graph": [node, ...]}

The graph is flat: every node is a top-level member with a stable ``@id`` (base URL +
fragment, the base defaulting to the article's Wikipedia URL) and every reference between
nodes is ``{"@id": ...}``. Fragments: ``#webpage``, ``#article``, ``#entity-<id>`` for
mapping entities, ``#work-<id>`` for cited works and ``#work-<id>-<role>`` for the nodes a
work brings along (its issue, volume, periodical, book, people, publisher, identifiers).

Only ``confirmed`` alignments become ``sameAs`` Wikidata concept URIs. ``expanded`` and
``nquads`` go through pyld with the offline loader of :mod:`toolkit.publish.loader`;
``html`` is a ``<script type="application/ld+json">`` element that no label can escape.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from toolkit.errors import InputError, Problem, ToolkitError, UsageError
from toolkit.mapping.model import Entity, Mapping, Source
from toolkit.mapping.schema_types import (
    CREATIVE_WORK_TYPES,
    KNOWN_TYPES,
    ORGANIZATION_TYPES,
    PLACE_TYPES,
)

FORMATS = ("compact", "expanded", "nquads", "html")
SCHEMA_ORG_CONTEXT = "https://schema.org"
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"
DOI_RESOLVER = "https://doi.org/"

# CSL item type -> schema.org type of the cited work.
CSL_TYPES = {
    "article-journal": "ScholarlyArticle",
    "paper-conference": "ScholarlyArticle",
    "chapter": "Chapter",
    "entry-encyclopedia": "Chapter",
    "book": "Book",
    "report": "Report",
    "article-newspaper": "NewsArticle",
    "article-magazine": "Article",
    "article": "Article",
    "webpage": "WebPage",
    "post-weblog": "BlogPosting",
    "thesis": "Thesis",
    "legislation": "Legislation",
    "dataset": "Dataset",
}
# Types in the domain of pageStart / pageEnd / pagination (Article and its subtypes, Chapter).
PAGED_TYPES = frozenset({"ScholarlyArticle", "Article", "NewsArticle", "Report", "Chapter",
                         "BlogPosting"})
PAGE_RANGE = re.compile(r"^\s*([^\s\-–—]+)\s*[\-–—]+\s*([^\s\-–—]+)\s*$")


@dataclass(frozen=True)
class JsonldSettings:
    """How to render: output format, base URL for node ids, and the context source."""

    format: str = "compact"
    base_url: str | None = None
    online: bool = False


class _Graph:
    """Nodes by ``@id`` in insertion order, so output is stable and references dedupe."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.nodes: dict[str, dict[str, Any]] = {}

    def iri(self, fragment: str) -> str:
        return f"{self.base}#{fragment}"

    def add(self, node: dict[str, Any]) -> dict[str, Any]:
        """Add a node, or merge new keys into the node already there; return a reference."""
        existing = self.nodes.get(node["@id"])
        if existing is None:
            self.nodes[node["@id"]] = node
        else:
            for key, value in node.items():
                existing.setdefault(key, value)
        return {"@id": node["@id"]}


def _base_url(mapping: Mapping, base_url: str | None) -> str:
    base = (base_url or mapping.article.url).split("#", 1)[0]
    if not re.match(r"^https?://[^\s/#?]+", base) or re.search(r"[\s<>\"{}|\\^`]", base):
        raise UsageError(f"base URL must be an absolute http(s) URL without spaces: {base!r}")
    return base


def _sameas(qid: str | None, status: str, extra: list[str] | None = None) -> list[str]:
    out = [f"{WIKIDATA_ENTITY}{qid}"] if status == "confirmed" and qid else []
    return out + (extra or [])


def _names(entity: Entity, lang: str) -> tuple[str, list[str]]:
    """The name in ``lang`` (else the first language listed) and every other form."""
    name = entity.name(lang)
    if name is None:
        name = next((forms[0] for forms in entity.names.values() if forms), entity.id)
    others: list[str] = []
    for forms in [entity.names.get(lang, []),
                  *(f for code, f in entity.names.items() if code != lang)]:
        for form in forms:
            if form != name and form not in others:
                others.append(form)
    return name, others


def _split_values(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v for v in re.split(r"[\s,;]+", str(value)) if v]


def _date(csl_date: Any) -> str | None:
    """CSL ``{"date-parts": [[y, m, d]]}`` as ISO 8601 (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``)."""
    if not isinstance(csl_date, dict):
        return None
    parts = (csl_date.get("date-parts") or [[]])[0]
    if not parts:
        raw = csl_date.get("raw")
        return str(raw) if raw else None
    text = f"{int(parts[0]):04d}"
    for part in parts[1:3]:
        text += f"-{int(part):02d}"
    return text


def _pages(page: str) -> dict[str, str]:
    match = PAGE_RANGE.match(page)
    if match:
        return {"pageStart": match.group(1), "pageEnd": match.group(2), "pagination": page.strip()}
    return {"pageStart": page.strip(), "pagination": page.strip()}


class _Builder:
    """The graph being built for one mapping, and which entities the works referenced."""

    def __init__(self, mapping: Mapping, base: str) -> None:
        self.mapping = mapping
        self.lang = mapping.article.language
        self.graph = _Graph(base)
        self.entities = {e.id: e for e in mapping.entities}
        self.referenced: set[str] = set()

    def entity_ref(self, entity_id: str, extra: dict[str, Any] | None = None) -> dict[str, str]:
        """A reference to an entity's node, adding the node (and ``extra`` keys) first."""
        entity = self.entities.get(entity_id)
        if entity is None:
            raise InputError(Problem(str(self.mapping.files.get("sources", "sources.yaml")), 0, 0,
                                     f"link to unknown entity {entity_id!r}", "jsonld-link"))
        self.referenced.add(entity_id)
        iri = self.graph.iri(f"entity-{entity.id}")
        if iri in self.graph.nodes:
            if extra:
                self.graph.add({"@id": iri, **extra})
            return {"@id": iri}
        node = _entity_node(entity, iri, self.lang)
        node.update(extra or {})
        self.graph.add(node)
        if entity.part_of and entity.part_of in self.entities:
            link = _part_of_property(node["@type"])
            if link:
                node[link] = self.entity_ref(entity.part_of)
        return {"@id": iri}

    def add(self, src: Source, role: str, node_type: str, **terms: Any) -> dict[str, str]:
        """Add the node ``#work-<id>-<role>`` a work brings along; return a reference."""
        return self.graph.add({"@id": self.graph.iri(f"work-{src.id}-{role}"),
                               "@type": node_type, **terms})


# -- entities ---------------------------------------------------------------------------

# Periodical-like types: the ones in the domain of schema.org issn.
_ISSN_TYPES = ("Periodical", "Newspaper", "CreativeWorkSeries", "BookSeries")


def _entity_node(entity: Entity, iri: str, lang: str) -> dict[str, Any]:
    """The node of a mapping entity: its type, names, description, identifiers, sameAs."""
    schema_type = entity.schema_type
    if schema_type not in KNOWN_TYPES:
        loc = entity.location
        raise InputError(Problem(loc.file if loc else "entities.yaml", loc.line if loc else 0,
                                 loc.col if loc else 0,
                                 f"entity {entity.id!r}: schema_type {schema_type!r} is not "
                                 "one the JSON-LD stage knows", "jsonld-type"))
    name, others = _names(entity, lang)
    node: dict[str, Any] = {"@id": iri, "@type": schema_type, "name": name}
    if others:
        node["alternateName"] = others
    description = entity.descriptions.get(lang) or entity.descriptions.get("en")
    if description:
        node["description"] = description
    idents = {k.lower(): v for k, v in entity.identifiers.items()}
    website = idents.get("website") or idents.get("url")
    if website:
        node["url"] = website
    if "issn" in idents and schema_type in _ISSN_TYPES:
        node["issn"] = _split_values(idents["issn"])
    if "isbn" in idents and schema_type == "Book":
        node["isbn"] = idents["isbn"]
    same = _sameas(entity.qid, entity.status)
    if same:
        node["sameAs"] = same
    return node


def _part_of_property(schema_type: str) -> str | None:
    """The schema.org property linking an entity to the one it is part of."""
    if schema_type in ORGANIZATION_TYPES:
        return "parentOrganization"
    if schema_type in CREATIVE_WORK_TYPES:
        return "isPartOf"
    if schema_type in PLACE_TYPES:
        return "containedInPlace"
    return None


# -- people and organizations named in CSL ----------------------------------------------

def _people(b: _Builder, src: Source, role: str) -> list[dict[str, str]]:
    """The authors or editors of a work: linked entities, else Person nodes from CSL names."""
    refs = []
    links = src.links.get(role) or []
    for i, name in enumerate(src.csl.get(role) or [], start=1):
        linked = links[i - 1] if i - 1 < len(links) else None
        if linked:
            refs.append(b.entity_ref(linked))
            continue
        given, family = name.get("given"), name.get("family")
        full = name.get("literal") or " ".join(
            p for p in (given, name.get("non-dropping-particle"), family) if p)
        terms: dict[str, Any] = {"name": full}
        if given:
            terms["givenName"] = given
        if family:
            terms["familyName"] = family
        refs.append(b.add(src, f"{role}-{i}", "Person", **terms))
    return refs


def _publisher(b: _Builder, src: Source) -> dict[str, str] | None:
    """The publisher: the linked entity, else an Organization named by CSL."""
    if src.links.get("publisher"):
        return b.entity_ref(src.links["publisher"])
    name = src.csl.get("publisher")
    if not name:
        return None
    return b.add(src, "publisher", "Organization", name=name)


# -- containers -------------------------------------------------------------------------

def _periodical(b: _Builder, src: Source, key: str, link: str, issn: list[str],
                publisher: dict[str, str] | None) -> dict[str, str] | None:
    """The Periodical (journal or series) a work is part of, from a link or a CSL title."""
    extra: dict[str, Any] = {}
    if issn:
        extra["issn"] = issn
    if publisher:
        extra["publisher"] = publisher
    if src.links.get(link):
        return b.entity_ref(src.links[link], extra)
    title = src.csl.get(key)
    if not title:
        return None
    return b.add(src, link, "Periodical", name=title, **extra)


def _book_properties(b: _Builder, src: Source,
                     publisher: dict[str, str] | None) -> dict[str, Any]:
    """What schema.org puts on a Book: isbn, editors (as Person) and publisher."""
    out: dict[str, Any] = {}
    if src.csl.get("ISBN"):
        out["isbn"] = str(src.csl["ISBN"]).strip()
    editors = _people(b, src, "editor")
    if editors:
        out["editor"] = editors
    if publisher:
        out["publisher"] = publisher
    return out


def _book(b: _Builder, src: Source, publisher: dict[str, str] | None) -> dict[str, str] | None:
    """The Book a chapter is part of: isbn, editors and publisher live on it."""
    csl = src.csl
    extra = _book_properties(b, src, publisher)
    date = _date(csl.get("issued"))
    if date:
        extra["datePublished"] = date
    if src.links.get("container"):
        return b.entity_ref(src.links["container"], extra)
    title = csl.get("container-title")
    if not title:
        return None
    return b.add(src, "book", "Book", name=title, **extra)


# -- works: the literal terms from CSL, then what the work is part of, by its type ------

def _title_terms(title: Any, schema_type: str) -> dict[str, Any]:
    if schema_type in PAGED_TYPES and schema_type != "Chapter":
        return {"name": title, "headline": title}
    return {"name": title}


def _date_terms(issued: Any, schema_type: str) -> dict[str, Any]:
    date = _date(issued)
    return {"datePublished": date} if date else {}


def _page_terms(page: Any, schema_type: str) -> dict[str, Any]:
    return _pages(str(page)) if schema_type in PAGED_TYPES else {}


def _number_of_pages_terms(count: Any, schema_type: str) -> dict[str, Any]:
    return {"numberOfPages": int(str(count).strip())} if schema_type == "Book" else {}


_Terms = Callable[[Any, str], dict[str, Any]]
# CSL field -> the schema.org terms of the work node (given the value and the work's type),
# in output order; "title" comes before the authors, the rest after them.
_TITLE_TERMS: tuple[str, _Terms] = ("title", _title_terms)
_LITERAL_TERMS: tuple[tuple[str, _Terms], ...] = (
    ("issued", _date_terms),
    ("language", lambda value, _type: {"inLanguage": value}),
    ("page", _page_terms),
    ("number-of-pages", _number_of_pages_terms),
    ("URL", lambda value, _type: {"url": value}),
)


@dataclass
class _Work:
    """A work node being filled in, with what its type-specific part needs."""

    src: Source
    node: dict[str, Any]
    publisher: dict[str, str] | None
    issn: list[str]
    identifiers: list[dict[str, str]]

    @property
    def csl(self) -> dict[str, Any]:
        """The work's CSL fields."""
        return self.src.csl


def _article_parts(b: _Builder, w: _Work) -> None:
    """An article is part of its issue, of its volume, of its periodical."""
    csl = w.csl
    parent = _periodical(b, w.src, "container-title", "container", w.issn, w.publisher)
    if parent and csl.get("volume"):
        parent = b.add(w.src, "volume", "PublicationVolume",
                       volumeNumber=str(csl["volume"]), isPartOf=parent)
    if parent and csl.get("issue"):
        parent = b.add(w.src, "issue", "PublicationIssue",
                       issueNumber=str(csl["issue"]), isPartOf=parent)
    if parent:
        w.node["isPartOf"] = parent
    elif w.publisher:
        w.node["publisher"] = w.publisher


def _chapter_parts(b: _Builder, w: _Work) -> None:
    """A chapter has a position and is part of its book."""
    if w.csl.get("chapter-number"):
        w.node["position"] = str(w.csl["chapter-number"])
    book = _book(b, w.src, w.publisher)
    if book:
        w.node["isPartOf"] = book


def _book_parts(b: _Builder, w: _Work) -> None:
    w.node.update(_book_properties(b, w.src, w.publisher))


def _other_parts(b: _Builder, w: _Work) -> None:
    """Reports (number, series) and other works: an ISBN only as an identifier."""
    csl = w.csl
    if w.node["@type"] == "Report":
        number = csl.get("number") or csl.get("collection-number")
        if number:
            w.node["reportNumber"] = str(number)
        series = _periodical(b, w.src, "collection-title", "collection", w.issn, None)
        if series:
            w.node["isPartOf"] = series
    if csl.get("ISBN"):
        # isbn's domain is Book only: other works carry it as an identifier.
        w.identifiers.append(b.add(w.src, "isbn", "PropertyValue", propertyID="ISBN",
                                   value=str(csl["ISBN"]).strip()))
    if w.publisher:
        w.node["publisher"] = w.publisher


_PARTS_BY_TYPE: dict[str, Callable[[_Builder, _Work], None]] = {
    "ScholarlyArticle": _article_parts, "NewsArticle": _article_parts,
    "Article": _article_parts, "Chapter": _chapter_parts, "Book": _book_parts,
}


def _work(b: _Builder, src: Source) -> dict[str, str]:
    """The node of a cited work and the nodes it brings along; return a reference."""
    csl = src.csl
    schema_type = CSL_TYPES.get(str(csl.get("type", "")), "CreativeWork")
    node: dict[str, Any] = {"@id": b.graph.iri(f"work-{src.id}"), "@type": schema_type}
    b.graph.add(node)  # first, so the work precedes the nodes it brings along
    key, terms = _TITLE_TERMS
    if csl.get(key):
        node.update(terms(csl[key], schema_type))
    authors = _people(b, src, "author")
    if authors:
        node["author"] = authors
    for key, terms in _LITERAL_TERMS:
        if csl.get(key):
            node.update(terms(csl[key], schema_type))
    w = _Work(src=src, node=node, publisher=_publisher(b, src), identifiers=[],
              issn=_split_values(csl["ISSN"]) if csl.get("ISSN") else [])
    extra_same: list[str] = []
    if csl.get("DOI"):
        doi = str(csl["DOI"]).strip()
        w.identifiers.append(b.add(src, "doi", "PropertyValue", propertyID="DOI", value=doi))
        extra_same.append(DOI_RESOLVER + doi)
    _PARTS_BY_TYPE.get(schema_type, _other_parts)(b, w)
    if w.identifiers:
        node["identifier"] = w.identifiers
    subjects = [b.entity_ref(e) for e in src.links.get("main_subject") or []]
    if subjects:
        node["about"] = subjects
    same = _sameas(src.qid, src.status, extra_same)
    if same:
        node["sameAs"] = same
    return {"@id": node["@id"]}


# -- the page and the article -----------------------------------------------------------

def _page_and_article(b: _Builder) -> dict[str, Any]:
    """The WebPage, the Article it is about, and through them every other node."""
    art = b.mapping.article
    g = b.graph
    page = {"@id": g.iri("webpage"), "@type": "WebPage", "url": g.base, "name": art.title,
            "inLanguage": art.language, "mainEntity": {"@id": g.iri("article")}}
    g.add(page)
    article: dict[str, Any] = {
        "@id": g.iri("article"), "@type": "Article", "headline": art.title,
        "name": art.title, "inLanguage": art.language, "url": art.url,
        "mainEntityOfPage": {"@id": page["@id"]},
    }
    g.add(article)
    topic = b.entity_ref(art.topic)
    page["about"] = topic
    article["about"] = topic
    # Organizations and places are mentioned in the text; publishers, periodicals and
    # books appear through the works, and anything left unreferenced is mentioned too
    # (every entity's names occur in the article).
    mentions = [b.entity_ref(e.id) for e in b.mapping.entities
                if e.id != art.topic and e.kind in ("organization", "place", "person")]
    citations = [_work(b, src) for src in b.mapping.sources]
    mentions += [b.entity_ref(e.id) for e in b.mapping.entities if e.id not in b.referenced]
    if mentions:
        article["mentions"] = list({m["@id"]: m for m in mentions}.values())
    if citations:
        article["citation"] = citations
    article["isBasedOn"] = {"@id": art.permalink or art.url}
    if art.license:
        article["license"] = {"@id": art.license}
    return {"@context": SCHEMA_ORG_CONTEXT, "@graph": list(g.nodes.values())}


def build_graph(mapping: Mapping, base_url: str | None = None) -> dict[str, Any]:
    """The compact JSON-LD document for ``mapping``, written directly from the model."""
    return _page_and_article(_Builder(mapping, _base_url(mapping, base_url)))


# -- serializations ----------------------------------------------------------------------

def _pyld_call(name: str, doc: Any, online: bool, **options: Any) -> Any:
    from pyld import jsonld as pyld

    from toolkit.publish.loader import describe_error

    try:
        return getattr(pyld, name)(doc, _loader(online).options(**options))
    except pyld.JsonLdError as exc:
        raise ToolkitError(f"JSON-LD processing failed: {describe_error(exc)}") from exc


@cache
def _loader(online: bool) -> Any:
    """One loader per mode per process, so pyld's processed-context cache is reused."""
    from toolkit.publish.loader import DocumentLoader, LoaderSettings

    return DocumentLoader(LoaderSettings(online=online))


def expand(doc: dict[str, Any], online: bool = False) -> list[Any]:
    """Expanded JSON-LD (pyld, offline context unless ``online``)."""
    result: list[Any] = _pyld_call("expand", doc, online)
    return result


def to_nquads(doc: dict[str, Any], online: bool = False) -> str:
    """Canonical N-Quads (URDNA2015) of the document."""
    result: str = _pyld_call("normalize", doc, online, algorithm="URDNA2015",
                             format="application/n-quads")
    return result


_HTML_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                 "\u2028": "\\u2028", "\u2029": "\\u2029"}
_HTML_UNSAFE = re.compile("[<>&\u2028\u2029]")


def script_json(doc: Any, indent: int | None = 2) -> str:
    """JSON safe inside a ``<script>`` element: readable non-ASCII, no ``<``/``>``/``&``."""
    text = json.dumps(doc, ensure_ascii=False, indent=indent)
    # Each of these only occurs inside JSON strings, where a \\u escape means the same.
    return _HTML_UNSAFE.sub(lambda m: _HTML_ESCAPES[m.group(0)], text)


def to_html(doc: dict[str, Any]) -> str:
    """A ready ``<script type="application/ld+json">`` element."""
    return f'<script type="application/ld+json">\n{script_json(doc)}\n</script>\n'


def _check_format(name: str) -> None:
    if name not in FORMATS:
        raise UsageError(f"unknown format {name!r} (choose from {', '.join(FORMATS)})")


def render(mapping: Mapping, settings: JsonldSettings) -> str:
    """The mapping's JSON-LD in ``settings.format``, as text ready to write."""
    _check_format(settings.format)  # before building: a usage error needs no mapping work
    return serialize(build_graph(mapping, settings.base_url), settings)


def serialize(doc: dict[str, Any], settings: JsonldSettings) -> str:
    """A built graph (:func:`build_graph`) as text in ``settings.format``."""
    _check_format(settings.format)
    if settings.format == "compact":
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if settings.format == "html":
        return to_html(doc)
    if settings.format == "expanded":
        return json.dumps(expand(doc, settings.online), ensure_ascii=False, indent=2) + "\n"
    return to_nquads(doc, settings.online)


def publish(folder: str | Path, settings: JsonldSettings, output: str | Path | None = None) -> str:
    """Load a mapping folder and render it; write ``output`` atomically when given."""
    from toolkit.files import write_atomic
    from toolkit.mapping.load import load_mapping

    text = render(load_mapping(folder), settings)
    if output is not None:
        write_atomic(output, text)
    return text
