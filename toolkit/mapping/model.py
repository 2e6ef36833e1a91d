"""The mapping model: an article, the entities it names and the works it cites.

Plain dataclasses, built by :mod:`toolkit.mapping.load` from the YAML files and read by every
later stage (JSON-LD, desired state, extraction). ``Mapping.to_json()`` is the documented,
stable JSON form printed by ``toolkit show --json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STATUSES = ("confirmed", "candidate", "unaligned", "create")
# ``book`` is an edited volume that the article cites only through one of its chapters;
# it needs its own alignment because the chapter is "published in" it.
KINDS = ("organization", "publisher", "periodical", "book", "topic", "place", "person")


@dataclass(frozen=True)
class Location:
    """Where something stands in a mapping file (1-based line and column)."""

    file: str
    line: int
    col: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass
class Evidence:
    """Why an alignment was made: a public page or record, or why none exists."""

    source: str
    note: str = ""

    def to_json(self) -> dict[str, str]:
        out = {"source": self.source}
        if self.note:
            out["note"] = self.note
        return out


@dataclass
class Candidate:
    """A possible item for an entry, found by reconciliation, with its score and reasons."""

    qid: str
    score: float
    reasons: list[str] = field(default_factory=list)
    label: str = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"qid": self.qid, "score": self.score, "reasons": self.reasons}
        if self.label:
            out["label"] = self.label
        return out


@dataclass
class Alignment:
    """The link between a mapping entry and a Wikibase item."""

    status: str
    qid: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    location: Location | None = None

    @property
    def confirmed_qid(self) -> str | None:
        """The QID only when the alignment is confirmed (the one safe to publish)."""
        return self.qid if self.status == "confirmed" else None


class Aligned:
    """Shortcuts shared by every aligned mapping entry (entities and sources)."""

    alignment: Alignment

    @property
    def qid(self) -> str | None:
        """The aligned item id, whatever the status (see ``Alignment.confirmed_qid``)."""
        return self.alignment.qid

    @property
    def status(self) -> str:
        """The alignment status: confirmed, candidate, unaligned or create."""
        return self.alignment.status


@dataclass
class Entity(Aligned):
    """An organization, publisher, periodical, book, topic, place or person."""

    id: str
    kind: str
    names: dict[str, list[str]]
    schema_type: str
    alignment: Alignment
    descriptions: dict[str, str] = field(default_factory=dict)
    part_of: str | None = None
    identifiers: dict[str, str] = field(default_factory=dict)
    notes: str = ""
    location: Location | None = None

    def name(self, lang: str) -> str | None:
        """The preferred name in ``lang`` (the first listed), or None."""
        forms = self.names.get(lang) or []
        return forms[0] if forms else None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "names": self.names,
            "schema_type": self.schema_type,
            "qid": self.alignment.qid,
            "status": self.alignment.status,
            "evidence": [e.to_json() for e in self.alignment.evidence],
        }
        if self.alignment.candidates:
            out["candidates"] = [c.to_json() for c in self.alignment.candidates]
        if self.descriptions:
            out["descriptions"] = self.descriptions
        if self.part_of:
            out["part_of"] = self.part_of
        if self.identifiers:
            out["identifiers"] = self.identifiers
        if self.notes:
            out["notes"] = self.notes
        return out


@dataclass
class Citation:
    """One place the article cites a work: the reference line and its locator."""

    text: str
    line: int
    locator: str | None = None
    label: str | None = None
    location: Location | None = None

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "line": self.line, "locator": self.locator,
                "label": self.label}


@dataclass
class Source(Aligned):
    """A cited work: CSL-JSON fields, its alignment and every place it is cited.

    ``links`` ties the work to entities by id: ``container`` (periodical or book),
    ``publisher``, ``collection`` (series), ``main_subject`` (a list), and ``author`` /
    ``editor`` (lists parallel to the CSL name lists, ``None`` where a person has no
    entity).
    """

    id: str
    csl: dict[str, Any]
    alignment: Alignment
    citations: list[Citation] = field(default_factory=list)
    links: dict[str, Any] = field(default_factory=dict)
    notes: str = ""
    location: Location | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "csl": self.csl,
            "qid": self.alignment.qid,
            "status": self.alignment.status,
            "evidence": [e.to_json() for e in self.alignment.evidence],
            "citations": [c.to_json() for c in self.citations],
            "links": self.links,
        }
        if self.alignment.candidates:
            out["candidates"] = [c.to_json() for c in self.alignment.candidates]
        if self.notes:
            out["notes"] = self.notes
        return out


@dataclass
class Article:
    """The Wikipedia article the mapping describes."""

    title: str
    language: str
    wiki: str
    url: str
    topic: str
    text_path: Path
    text: str
    wiki_item: str | None = None
    revision: int | None = None
    permalink: str | None = None
    license: str | None = None
    retrieved: str | None = None
    location: Location | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "language": self.language,
            "wiki": self.wiki,
            "wiki_item": self.wiki_item,
            "url": self.url,
            "revision": self.revision,
            "permalink": self.permalink,
            "license": self.license,
            "retrieved": self.retrieved,
            "topic": self.topic,
            "text_path": str(self.text_path),
        }


@dataclass
class Mapping:
    """A whole mapping folder, loaded and cross-checked."""

    root: Path
    article: Article
    entities: list[Entity]
    sources: list[Source]
    digest: str
    files: dict[str, Path] = field(default_factory=dict)

    def entity(self, entity_id: str) -> Entity:
        """The entity with this id (KeyError if absent)."""
        for ent in self.entities:
            if ent.id == entity_id:
                return ent
        raise KeyError(entity_id)

    def source(self, source_id: str) -> Source:
        """The source with this id (KeyError if absent)."""
        for src in self.sources:
            if src.id == source_id:
                return src
        raise KeyError(source_id)

    @property
    def topic(self) -> Entity:
        """The entity the article is about."""
        return self.entity(self.article.topic)

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form (``toolkit show --json``)."""
        return {
            "format": "toolkit-mapping/1",
            "digest": self.digest,
            "article": self.article.to_json(),
            "entities": [e.to_json() for e in self.entities],
            "sources": [s.to_json() for s in self.sources],
        }
