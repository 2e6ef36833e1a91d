"""Shared inputs for the JSON-LD tests and benchmark: paths, small and large mappings.

Every work and entity made here is a test fixture, not real bibliographic or Wikidata data:
titles say "Fixture", and fixture QIDs are only used to test which alignments are published.
"""

from __future__ import annotations

import copy
from pathlib import Path

from toolkit.mapping.model import Alignment, Article, Citation, Entity, Evidence, Mapping, Source

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "mappings" / "cybersex-trafficking"
EXAMPLES = REPO / "examples" / "cybersex-trafficking"
# schema.org release 30.0 (context, tables, SHACL shapes), laid beside the repository.
# Tests may read it; the toolkit itself never does.
SCHEMAORG_DIR = REPO.parent / "shared" / "schemaorg"
FIXTURE_NOTE = "test fixture, not real Wikidata data"


def seed_mapping() -> Mapping:
    from toolkit.mapping.load import load_mapping

    return load_mapping(SEED)


def _evidence() -> list[Evidence]:
    return [Evidence("https://example.org/fixture", FIXTURE_NOTE)]


def small_mapping(hostile: str | None = None) -> Mapping:
    """A hand-made mapping covering each work type; ``hostile`` replaces an org's name."""
    org_name = hostile or "Fixture Agency"
    entities = [
        Entity("fixture-topic", "topic", {"en": ["fixture topic"]}, "Thing",
               Alignment("unaligned")),
        Entity("fixture-agency", "organization", {"en": [org_name], "ar": ["وكالة تجريبية"]},
               "GovernmentOrganization", Alignment("confirmed", "Q100000001", _evidence())),
        Entity("fixture-ngo", "organization", {"en": ["Fixture NGO"]}, "NGO",
               Alignment("candidate", "Q100000002")),
        Entity("fixture-journal", "periodical", {"en": ["Fixture Journal"]}, "Periodical",
               Alignment("confirmed", "Q100000003", _evidence()),
               identifiers={"ISSN": "1234-5679"}),
        Entity("fixture-press", "publisher", {"en": ["Fixture Press"]}, "Organization",
               Alignment("create")),
    ]
    sources = [
        Source("fixture-paper", {
            "type": "article-journal", "title": "Fixture paper", "author": [
                {"family": "Fixture", "given": "Ada"}, {"family": "Sample", "given": "Bo"}],
            "issued": {"date-parts": [[2018, 3]]}, "container-title": "Fixture Journal",
            "volume": "54", "issue": "1", "page": "64–183", "DOI": "10.1234/fixture.1",
            "ISSN": "1234-5679",
        }, Alignment("confirmed", "Q100000004", _evidence()),
            [Citation("fixture citation", 1, "64", "page")],
            {"container": "fixture-journal", "main_subject": ["fixture-topic"]}),
        Source("fixture-chapter", {
            "type": "chapter", "title": "Fixture chapter", "author": [{"literal": "Fixture Org"}],
            "editor": [{"family": "Editor", "given": "Eve"}], "issued": {"date-parts": [[2019]]},
            "container-title": "Fixture Handbook", "publisher": "Fixture Press",
            "page": "201", "ISBN": "978-94-024-1553-7",
        }, Alignment("candidate", "Q100000005"), [Citation("fixture citation", 2)],
            {"publisher": "fixture-press"}),
        Source("fixture-report", {
            "type": "report", "title": "Fixture report", "issued": {"date-parts": [[2020, 2, 2]]},
            "publisher": "Fixture Agency", "collection-title": "Fixture series",
            "collection-number": "589", "ISBN": "978-1-925304-33-6",
        }, Alignment("create"), [Citation("fixture citation", 3)],
            {"publisher": "fixture-agency"}),
        Source("fixture-book", {
            "type": "book", "title": "Fixture book", "issued": {"date-parts": [[2009]]},
            "publisher": "Fixture Press", "ISBN": "978-1-84392-524-8", "number-of-pages": "340",
            "editor": [{"family": "Editor", "given": "Eve"}],
        }, Alignment("unaligned"), [Citation("fixture citation", 4)]),
    ]
    article = Article(
        title="Fixture article", language="en", wiki="enwiki",
        url="https://en.wikipedia.org/wiki/Fixture_article", topic="fixture-topic",
        text_path=Path("fixture.txt"), text="Fixture text.", revision=1234,
        permalink="https://en.wikipedia.org/w/index.php?oldid=1234",
        license="https://creativecommons.org/licenses/by-sa/4.0/",
    )
    return Mapping(root=Path("fixture"), article=article, entities=entities, sources=sources,
                   digest="fixture")


def large_mapping(n_sources: int = 500) -> Mapping:
    """The seed mapping plus ``n_sources`` generated fixture works of every type."""
    base = seed_mapping()
    mapping = copy.deepcopy(base)
    periodicals = [e.id for e in base.entities if e.kind == "periodical"]
    publishers = [e.id for e in base.entities if e.kind == "publisher"]
    kinds = ("article-journal", "chapter", "report", "book")
    statuses = ("create", "candidate", "confirmed", "unaligned")
    for i in range(n_sources):
        kind = kinds[i % 4]
        status = statuses[(i // 4) % 4]
        csl: dict[str, object] = {
            "type": kind, "title": f"Fixture work {i} (test fixture, not a real publication)",
            "author": [{"family": f"Fixture{i}", "given": "Author"},
                       {"family": "Sample", "given": f"Writer {i}"}],
            "issued": {"date-parts": [[1990 + i % 30, 1 + i % 12]]}, "language": "en",
            "page": f"{i + 1}–{i + 20}",
        }
        links: dict[str, object] = {"main_subject": [base.article.topic]}
        if kind == "article-journal":
            csl.update({"container-title": f"Fixture Journal {i % 7}", "volume": str(i % 40),
                        "issue": str(i % 4 + 1), "DOI": f"10.5555/fixture.{i}"})
            if i % 8 == 0 and periodicals:
                links["container"] = periodicals[i % len(periodicals)]
        elif kind == "chapter":
            csl.update({"container-title": f"Fixture Handbook {i}", "ISBN": "978-94-024-1553-7",
                        "editor": [{"family": "Editor", "given": f"Fixture {i}"}],
                        "publisher": "Fixture Press"})
        elif kind == "report":
            csl.update({"publisher": "Fixture Institute", "collection-title": "Fixture series",
                        "collection-number": str(i), "ISBN": "978-1-925304-33-6"})
        else:
            csl.update({"publisher": "Fixture Press", "ISBN": "978-1-84392-524-8",
                        "number-of-pages": str(100 + i)})
            if publishers:
                links["publisher"] = publishers[i % len(publishers)]
        qid = f"Q{900000000 + i}" if status in ("confirmed", "candidate") else None
        mapping.sources.append(Source(
            f"fixture-{i}", csl,
            Alignment(status, qid, _evidence() if status == "confirmed" else []),
            [Citation(f"fixture citation {i}", 1 + i % 20, str(i + 1), "page")], links))
    return mapping
