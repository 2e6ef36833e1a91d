"""Small Mapping objects for the desired/diff/QA/proposal/QuickStatements tests.

Test fixtures, not real data: works, people and items here are invented ("Fixture ...");
QIDs Q100-Q105 match tests/fixtures/wikibase (also fixtures). ISBN/ISSN values have valid
check digits; DOIs use the 10.5555 test prefix.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from toolkit.mapping.model import (
    Alignment,
    Article,
    Citation,
    Entity,
    Evidence,
    Location,
    Mapping,
    Source,
)

EVIDENCE = [Evidence("https://example.org/fixture", "test fixture")]


def entity(eid: str, kind: str = "organization", status: str = "confirmed",
           qid: str | None = None, names: dict[str, list[str]] | None = None,
           **extra: Any) -> Entity:
    return Entity(
        id=eid, kind=kind, names=names or {"en": [f"Fixture {eid}"]}, schema_type="Thing",
        alignment=Alignment(status=status, qid=qid,
                            evidence=EVIDENCE if status == "confirmed" else []),
        location=Location("mappings/fixture/entities.yaml", 10), **extra)


def source(sid: str, csl: dict[str, Any], status: str = "create", qid: str | None = None,
           links: dict[str, Any] | None = None, line: int = 20) -> Source:
    return Source(
        id=sid, csl=csl, alignment=Alignment(status=status, qid=qid, evidence=EVIDENCE),
        citations=[Citation(text=f"Fixture citation of {sid}", line=7)],
        links=links or {}, location=Location("mappings/fixture/sources.yaml", line))


def article(**overrides: Any) -> Article:
    values: dict[str, Any] = dict(
        title="مقالة اختبار", language="ar", wiki="arwiki",
        url="https://ar.wikipedia.org/wiki/Fixture", topic="topic",
        text_path=Path("article.txt"), text="", wiki_item="Q199700", revision=123,
        permalink="https://ar.wikipedia.org/w/index.php?oldid=123", retrieved="2026-11-28",
        location=Location("mappings/fixture/article.yaml", 1))
    values.update(overrides)
    return Article(**values)


def article_csl(**overrides: Any) -> dict[str, Any]:
    csl: dict[str, Any] = {
        "type": "article-journal", "title": "Fixture article on testing",
        "author": [{"family": "Alpha", "given": "Ann"}, {"family": "Beta", "given": "Bob"}],
        "issued": {"date-parts": [[2018]]}, "container-title": "Fixture Journal",
        "volume": "54", "issue": "1", "page": "64–183", "DOI": "10.5555/abc.def",
        "language": "en"}
    csl.update(overrides)
    return csl


def mapping(entities: list[Entity] | None = None, sources: list[Source] | None = None,
            **article_overrides: Any) -> Mapping:
    ents = list(entities or [])
    if not any(e.id == "topic" for e in ents):
        ents.append(entity("topic", kind="topic", status="unaligned"))
    return Mapping(root=Path("mappings/fixture"), article=article(**article_overrides),
                   entities=ents, sources=list(sources or []),
                   digest="sha256:" + "0" * 64)


def claims_of(group: Any, pid: str) -> list[dict[str, Any]]:
    return [st for st in group.statements if st.property == pid]


def fixture_item(qid: str, claims: dict[str, list[dict[str, Any]]] | None = None,
                 labels: dict[str, str] | None = None, lastrevid: int = 500) -> dict[str, Any]:
    """Entity JSON shaped as wbgetentities returns it."""
    return {
        "id": qid, "type": "item", "lastrevid": lastrevid,
        "labels": {k: {"language": k, "value": v} for k, v in (labels or {}).items()},
        "descriptions": {}, "aliases": {}, "claims": claims or {}, "sitelinks": {}}
