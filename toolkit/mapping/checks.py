"""Semantic rules for a loaded mapping, beyond what JSON Schema can say.

Each rule has a short name, shown in brackets after the message, so that a maintainer can
look it up: ``isbn``, ``issn``, ``doi``, ``date``, ``unique-id``, ``reference``,
``schema-type``, ``surface-form``, ``citation-text``, ``evidence``, ``qid-reuse``. (QID
syntax is a pattern in the JSON Schemas, reported as ``schema:pattern``.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from toolkit import identifiers
from toolkit.errors import Problem
from toolkit.mapping.schema_types import KNOWN_TYPES

if TYPE_CHECKING:
    from toolkit.mapping.located_yaml import LocatedDoc, Pointer
    from toolkit.mapping.model import Mapping


Add = Callable[[Problem], None]


def check_mapping(mapping: Mapping, docs: dict[str, LocatedDoc]) -> list[Problem]:
    """All semantic problems of ``mapping`` (empty when it is valid), rule by rule."""
    problems: list[Problem] = []
    for rule in _RULES:
        rule(mapping, docs, problems.append)
    return problems


def _unique_ids(mapping: Mapping, docs: dict[str, LocatedDoc], add: Add) -> None:
    """Ids are unique across entities and sources."""
    seen: dict[str, str] = {}
    groups: tuple[tuple[LocatedDoc, str, list[Any]], ...] = (
        (docs["entities"], "entities", mapping.entities),
        (docs["sources"], "sources", mapping.sources))
    for doc, key, members in groups:
        for i, item in enumerate(members):
            if item.id in seen:
                add(doc.problem((key, i, "id"), f"id {item.id!r} is already used by "
                                f"{seen[item.id]}", "unique-id"))
            else:
                seen[item.id] = f"{key}[{i}]"


# link of a source -> the entity kinds it may point to (empty: any kind)
_SOURCE_LINKS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("container", ("periodical", "book")),
    ("publisher", ("publisher", "organization")),
    ("collection", ("periodical",)),
)


def _references(mapping: Mapping, docs: dict[str, LocatedDoc], add: Add) -> None:
    """Every id a file mentions exists and is of a fitting kind; citations are in the text."""
    art, ents, srcs = docs["article"], docs["entities"], docs["sources"]
    entity_kinds = {e.id: e.kind for e in mapping.entities}

    def ref(doc: LocatedDoc, path: Pointer, target: str | None, kinds: tuple[str, ...]) -> None:
        if target is None:
            return
        if target not in entity_kinds:
            add(doc.problem(path, f"unknown entity id {target!r}", "reference"))
        elif kinds and entity_kinds[target] not in kinds:
            add(doc.problem(path, f"{target!r} is a {entity_kinds[target]}, expected "
                            f"{' or '.join(kinds)}", "reference"))

    ref(art, ("topic",), mapping.article.topic, ())
    for i, ent in enumerate(mapping.entities):
        ref(ents, ("entities", i, "part_of"), ent.part_of, ())
        if ent.part_of == ent.id:
            add(ents.problem(("entities", i, "part_of"), "an entity cannot be part of itself",
                             "reference"))
    for i, src in enumerate(mapping.sources):
        base: Pointer = ("sources", i)
        links = srcs.data["sources"][i].get("links", {})
        for link, kinds in _SOURCE_LINKS:
            ref(srcs, (*base, "links", link), links.get(link), kinds)
        for j, subject in enumerate(links.get("main_subject", [])):
            ref(srcs, (*base, "links", "main_subject", j), subject, ())
        for role in ("author", "editor"):
            for j, name in enumerate(srcs.data["sources"][i]["csl"].get(role, [])):
                ref(srcs, (*base, "csl", role, j, "entity"), name.get("entity"), ("person",))
        _check_citations(mapping, srcs, base, src.citations, add)


def _identifiers_and_dates(mapping: Mapping, docs: dict[str, LocatedDoc], add: Add) -> None:
    """ISBN, ISSN and DOI check digits and forms; real dates."""
    retrieved = docs["article"].data.get("retrieved")
    if retrieved is not None and identifiers.parse_iso_date(str(retrieved)) is None:
        add(docs["article"].problem(("retrieved",), f"retrieved {retrieved!r} is not a real "
                                    "date (YYYY-MM-DD)", "date"))
    for problem in raw_problems(docs["entities"]) + raw_problems(docs["sources"]):
        add(problem)


def _schema_types(mapping: Mapping, docs: dict[str, LocatedDoc], add: Add) -> None:
    """schema.org types the JSON-LD stage can publish (a typo would only show at `jsonld`)."""
    for i, ent in enumerate(mapping.entities):
        if ent.schema_type not in KNOWN_TYPES:
            add(docs["entities"].problem(
                ("entities", i, "schema_type"), f"schema_type {ent.schema_type!r} "
                "is not a schema.org type the toolkit publishes (one of: "
                f"{', '.join(sorted(KNOWN_TYPES))})", "schema-type"))


def _surface_forms(mapping: Mapping, docs: dict[str, LocatedDoc], add: Add) -> None:
    """Each name in the article's language occurs verbatim in the article text."""
    text = mapping.article.text
    lang = mapping.article.language
    if not text:
        return
    for i, ent in enumerate(mapping.entities):
        for j, form in enumerate(ent.names.get(lang, [])):
            if form not in text:
                add(docs["entities"].problem(("entities", i, "names", lang, j),
                                             f"surface form {form!r} does not occur in the "
                                             "article text", "surface-form"))


def _evidence_and_qid_reuse(mapping: Mapping, docs: dict[str, LocatedDoc], add: Add) -> None:
    """A confirmed alignment has evidence; one item, one entry."""
    owners: dict[str, str] = {}
    aligned: list[tuple[LocatedDoc, Pointer, Any]] = [
        (docs["entities"], ("entities", i), e) for i, e in enumerate(mapping.entities)]
    aligned += [(docs["sources"], ("sources", i), s) for i, s in enumerate(mapping.sources)]
    for doc, path, item in aligned:
        alignment = item.alignment
        if alignment.status == "confirmed" and not any(e.source.strip()
                                                       for e in alignment.evidence):
            add(doc.problem((*path, "alignment", "evidence"),
                            "a confirmed alignment needs evidence", "evidence"))
        if alignment.qid:
            if alignment.qid in owners and owners[alignment.qid] != item.id:
                add(doc.problem((*path, "alignment", "qid"),
                                f"{alignment.qid} is already used for {owners[alignment.qid]!r}",
                                "qid-reuse"))
            owners.setdefault(alignment.qid, item.id)


_RULES: tuple[Callable[[Mapping, dict[str, LocatedDoc], Add], None], ...] = (
    _unique_ids, _references, _identifiers_and_dates, _schema_types, _surface_forms,
    _evidence_and_qid_reuse)


def _check_identifier(doc: LocatedDoc, path: Pointer, key: str, value: str, add: Any) -> None:
    upper = key.upper()
    if upper == "ISBN" and not identifiers.isbn_valid(value):
        add(doc.problem(path, f"invalid ISBN {value!r} (length or check digit)", "isbn"))
    elif upper == "ISSN":
        for part in value.split(","):
            if not identifiers.issn_valid(part.strip()):
                add(doc.problem(path, f"invalid ISSN {part.strip()!r} (check digit or form "
                                "NNNN-NNNC)", "issn"))
    elif upper == "DOI" and not identifiers.doi_valid(value):
        add(doc.problem(path, f"invalid DOI {value!r} (expected 10.NNNN/suffix)", "doi"))


def _check_csl(doc: LocatedDoc, base: Pointer, csl: dict[str, Any], add: Any) -> None:
    for key in ("ISBN", "ISSN", "DOI"):
        if key in csl:
            _check_identifier(doc, (*base, "csl", key), key, str(csl[key]), add)
    for key in ("issued", "accessed"):
        if key in csl and identifiers.parse_iso_date(str(csl[key])) is None:
            add(doc.problem((*base, "csl", key), f"{key} {csl[key]!r} is not an ISO date "
                            "(YYYY, YYYY-MM or YYYY-MM-DD)", "date"))


def _check_citations(mapping: Mapping, doc: LocatedDoc, base: Pointer, citations: list[Any],
                     add: Any) -> None:
    lines = mapping.article.text.splitlines()
    if not lines:
        return
    for j, citation in enumerate(citations):
        path = (*base, "citations", j)
        if citation.line > len(lines):
            add(doc.problem((*path, "line"), f"line {citation.line} is past the end of the "
                            f"article text ({len(lines)} lines)", "citation-text"))
        elif citation.text.strip() not in lines[citation.line - 1]:
            add(doc.problem((*path, "text"), f"citation text is not found on line "
                            f"{citation.line} of the article text", "citation-text"))


def raw_problems(doc: LocatedDoc) -> list[Problem]:
    """Identifier and date problems found in a parsed file that may not fit the schema."""
    problems: list[Problem] = []
    data = doc.data if isinstance(doc.data, dict) else {}
    for key in ("entities", "sources"):
        items = data.get(key)
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            ids = item.get("identifiers")
            if isinstance(ids, dict):
                for name, value in ids.items():
                    if isinstance(value, str):
                        _check_identifier(doc, (key, i, "identifiers", name), name, value,
                                          problems.append)
            csl = item.get("csl")
            if isinstance(csl, dict):
                _check_csl(doc, (key, i), csl, problems.append)
    return problems
