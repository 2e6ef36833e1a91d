"""Desired state: the statements, labels and aliases the mapping says items should have.

A pure function of the :class:`~toolkit.mapping.model.Mapping` and a
:class:`~toolkit.wiki.site.SiteProfile`; it knows nothing of the wiki's current state (that is
:mod:`toolkit.edits.diff`). Only ``confirmed`` QIDs are ever used as values; a work or container
with ``status: create`` gets a placeholder (``NEW-<id>``) that other statements may point to.

Modelling follows the WikiCite conventions: a chapter is "published in" its book, and the
book carries the editors, publisher and ISBN; a journal article is "published in" its
journal. Every statement carries one reference: imported from (the wiki's item), Wikimedia
import URL (the article's permanent link) and retrieved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from toolkit import identifiers
from toolkit.edits.values import (
    PLACEHOLDER_PREFIX,
    by_property,
    item_value,
    monolingual_value,
    quantity_value,
    reference_block,
    same_value,
    snak,
    string_value,
    time_value,
)
from toolkit.mapping.model import Entity, Location, Mapping, Source
from toolkit.wiki.site import CSL_TYPES, SiteProfile

MAX_DESCRIPTION = 250
CONTAINER_KINDS = ("book", "periodical")


@dataclass
class DesiredStatement:
    """One statement the item should have, with its qualifiers and the one reference."""

    mainsnak: dict[str, Any]
    qualifiers: list[dict[str, Any]] = field(default_factory=list)
    reference: dict[str, Any] | None = None
    rationale: dict[str, Any] = field(default_factory=dict)

    @property
    def property(self) -> str:
        return str(self.mainsnak["property"])

    def claim(self) -> dict[str, Any]:
        """The statement as wbeditentity takes it (no id: a new statement)."""
        out: dict[str, Any] = {"mainsnak": self.mainsnak, "type": "statement", "rank": "normal"}
        if self.qualifiers:
            grouped = by_property(self.qualifiers)
            out["qualifiers"] = grouped
            out["qualifiers-order"] = list(grouped)
        out["references"] = [self.reference] if self.reference else []
        return out


@dataclass
class DesiredEntity:
    """Everything one item should have according to the mapping."""

    key: str                       # "source:<id>" or "entity:<id>"
    label: str                     # for display
    qid: str | None = None         # confirmed item, None for an item to create
    placeholder: str | None = None  # set for an item to create
    labels: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, list[str]] = field(default_factory=dict)
    statements: list[DesiredStatement] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rationale: dict[str, Any] = field(default_factory=dict)
    # (pid, value) pairs that identify the item (ISBN, DOI, ISSN): looked up on the wiki
    # before proposing a creation, so an existing item is never created twice.
    lookups: list[tuple[str, str]] = field(default_factory=list)

    @property
    def create(self) -> bool:
        """True for an item to create (it has no confirmed QID yet)."""
        return self.qid is None

    def add(self, statement: DesiredStatement) -> None:
        """Add a statement unless an equal main value for the property is already there."""

        for have in self.statements:
            if have.property == statement.property and same_value(have.mainsnak,
                                                                  statement.mainsnak):
                return
        self.statements.append(statement)


@dataclass
class DesiredState:
    """The desired entities in dependency order (containers before their works)."""

    entities: list[DesiredEntity]
    notes: list[str] = field(default_factory=list)

    def by_key(self, key: str) -> DesiredEntity:
        """The desired entity with this key (KeyError if absent)."""
        for ent in self.entities:
            if ent.key == key:
                return ent
        raise KeyError(key)


def _rationale(location: Location | None, citation: str, reason: str) -> dict[str, Any]:
    return {"mapping_file": location.file if location else "",
            "line": location.line if location else 0,
            "citation": citation, "reason": reason}


class _Builder:
    """Builds the desired state of one mapping (holds the shared reference block)."""

    def __init__(self, mapping: Mapping, profile: SiteProfile, today: dt.date) -> None:
        self.mapping = mapping
        self.profile = profile
        self.notes: list[str] = []
        self.reference = self._reference(today)
        self.groups: dict[str, DesiredEntity] = {}

    # -- helpers
    def _reference(self, today: dt.date) -> dict[str, Any] | None:
        art, prof = self.mapping.article, self.profile
        snaks = []
        p143, p4656, p813 = prof.p("imported_from"), prof.p("import_url"), prof.p("retrieved")
        if art.wiki_item and p143:
            snaks.append(snak(p143, "wikibase-item", item_value(art.wiki_item)))
        else:
            self.notes.append("article.wiki_item is not set: references lack 'imported from'")
        if art.permalink and p4656:
            snaks.append(snak(p4656, "url", string_value(art.permalink)))
        else:
            self.notes.append("article has no revision/permalink: references lack a permanent "
                              "link to the article revision")
        retrieved = identifiers.parse_iso_date(str(art.retrieved)) if art.retrieved else None
        if retrieved is None:
            retrieved = (today.year, today.month, today.day)
        year, month, day = retrieved
        if p813:
            snaks.append(snak(p813, "time", time_value(year, month or 1, day or 1,
                                                       prof.calendar_model)))
        return reference_block(snaks) if snaks else None

    def statement(self, name: str, value: dict[str, Any], why: dict[str, Any],
                  qualifiers: list[dict[str, Any]] | None = None) -> DesiredStatement | None:
        """The statement for symbolic property ``name``; None (noted) if the site lacks it."""
        pid = self.profile.p(name)
        if pid is None:
            self.notes.append(f"site profile has no property '{name}': statements left out")
            return None
        return DesiredStatement(mainsnak=snak(pid, self.profile.properties[name][1], value),
                                qualifiers=qualifiers or [], reference=self.reference,
                                rationale=why)

    def qualifier(self, name: str, value: dict[str, Any]) -> list[dict[str, Any]]:
        """A qualifier snak list for the symbolic property ``name`` ([] if the site lacks it)."""
        pid = self.profile.p(name)
        return [snak(pid, self.profile.properties[name][1], value)] if pid else []

    def entity_item(self, entity_id: str | None) -> tuple[str | None, str]:
        """(item id or placeholder usable as a value, why not) for a linked entity."""
        if not entity_id:
            return None, "not linked"
        try:
            ent = self.mapping.entity(entity_id)
        except KeyError:
            return None, f"unknown entity '{entity_id}'"
        if ent.alignment.confirmed_qid:
            return ent.alignment.confirmed_qid, ""
        if ent.status == "create" and ent.kind in CONTAINER_KINDS:
            return PLACEHOLDER_PREFIX + ent.id, ""
        return None, f"entity '{entity_id}' is {ent.status}, not confirmed"

    def group_for_entity(self, ent: Entity) -> DesiredEntity:
        """The desired entity of a mapping entity, made on first use."""
        key = f"entity:{ent.id}"
        if key not in self.groups:
            qid = ent.alignment.confirmed_qid
            label = ent.name("en") or ent.name(self.mapping.article.language) or ent.id
            self.groups[key] = DesiredEntity(
                key=key, label=label, qid=qid,
                placeholder=None if qid else PLACEHOLDER_PREFIX + ent.id,
                rationale=_rationale(ent.location, "", f"entity '{ent.id}' ({ent.kind})"))
        return self.groups[key]

    # -- entities
    def entity(self, ent: Entity) -> None:
        """A confirmed entity gets Arabic label/aliases; a container to create gets an item."""
        lang = self.mapping.article.language
        if ent.alignment.confirmed_qid:
            group = self.group_for_entity(ent)
            forms = [f for f in ent.names.get(lang, []) if f.strip()]
            if forms:
                group.labels[lang] = forms[0]
                if len(forms) > 1:
                    group.aliases[lang] = list(forms[1:])
                # The preferred form is an alias candidate too: if the item already has
                # another label, the diff keeps the surface form as an alias.
                group.aliases.setdefault(lang, []).insert(0, forms[0])
        elif ent.status == "create" and ent.kind in CONTAINER_KINDS:
            group = self.group_for_entity(ent)
            why = _rationale(ent.location, "", f"{ent.kind} '{ent.id}' to be created")
            cls = "book" if ent.kind == "book" else "academic_journal"
            qid = self.profile.q(cls)
            if qid and (st := self.statement("instance_of", item_value(qid), why)):
                group.add(st)
            if ent.kind == "periodical":
                group.notes.append("class 'academic journal' assumed for a periodical to "
                                   "create; check it")
            for code, forms in ent.names.items():
                if forms:
                    group.labels.setdefault(code, forms[0])
            if ent.name("en"):
                # a book's description is refined from the chapters cited in it
                group.descriptions.setdefault("en", "book" if ent.kind == "book"
                                              else "periodical")
            issn = ent.identifiers.get("ISSN")
            if issn:
                norm = identifiers.normalize_issn(issn) or issn
                if st := self.statement("issn", string_value(norm), why):
                    group.add(st)
                    group.lookups.append((st.property, norm))
        elif ent.status == "candidate":
            self.notes.append(f"entity '{ent.id}' has only a candidate item; nothing proposed")

    # -- sources
    def source(self, src: Source) -> None:
        """The statements a cited work (and, for a chapter, its book) should have."""
        status = src.status
        if status not in ("create", "confirmed"):
            self.notes.append(f"source '{src.id}' is {status}: nothing proposed")
            return
        csl = src.csl
        qid = src.alignment.confirmed_qid
        title = str(csl.get("title") or "").strip()
        lang = str(csl.get("language") or "").strip()
        key = f"source:{src.id}"
        citation = src.citations[0].text if src.citations else ""
        why_base = _rationale(src.location, citation, "")

        def why(reason: str) -> dict[str, Any]:
            return {**why_base, "reason": reason}

        group = DesiredEntity(
            key=key, label=title or src.id, qid=qid,
            placeholder=None if qid else PLACEHOLDER_PREFIX + src.id,
            rationale=why(f"cited work '{src.id}' ({status})"))
        self.groups[key] = group
        add = group.add
        ctype = str(csl.get("type") or "")

        # instance of
        cls = CSL_TYPES.get(ctype)
        if cls is None:
            cls = "written_work"
            group.notes.append(f"CSL type '{ctype}' has no specific class; 'written work' used")
        cls_qid = self.profile.q(cls)
        if cls_qid and (st := self.statement("instance_of", item_value(cls_qid),
                                             why(f"CSL type {ctype}"))):
            add(st)

        # title and labels
        if not lang:
            group.notes.append("the work's language is not given: title tagged 'und'")
        if title and (st := self.statement("title", monolingual_value(title, lang or "und"),
                                           why("CSL title"))):
            add(st)
        if title:
            if lang:
                group.labels[lang] = title
            if lang in ("", "en"):
                group.labels["en"] = title

        # authors (ordered) and editors
        author_links = src.links.get("author") or []
        for i, name in enumerate(csl.get("author") or [], start=1):
            ordinal = self.qualifier("series_ordinal", string_value(str(i)))
            ent_id = author_links[i - 1] if i - 1 < len(author_links) else None
            item, _ = self.entity_item(ent_id)
            if item and not item.startswith(PLACEHOLDER_PREFIX):
                st = self.statement("author", item_value(item), why(f"author {i}"), ordinal)
            else:
                st = self.statement("author_name_string", string_value(_name(name)),
                                    why(f"author {i} (no confirmed item)"), ordinal)
            if st:
                group.statements.append(st)  # same name twice is still two authors

        # publication date
        issued = _issued(csl)
        if issued:
            y, m, d = [*issued, None, None][:3]
            if st := self.statement("publication_date",
                                    time_value(int(y), _int(m), _int(d),
                                               self.profile.calendar_model),
                                    why("CSL issued")):
                add(st)

        # container, and what belongs on it by WikiCite convention
        container_id = src.links.get("container")
        container, why_not = self.entity_item(container_id)
        if container:
            if st := self.statement("published_in", item_value(container),
                                    why(f"container '{container_id}'")):
                add(st)
        elif csl.get("container-title"):
            group.notes.append(f"published in '{csl['container-title']}' not added: "
                               f"{why_not}")
        on_container = ctype == "chapter"
        target = group
        if on_container and container_id and container:
            target = self.group_for_entity(self.mapping.entity(container_id))
            if target.create:
                self._new_book(target, csl, lang, why(f"book of chapter '{src.id}'"))

        for field_name, prop in (("volume", "volume"), ("issue", "issue"), ("page", "pages")):
            text = str(csl.get(field_name) or "").strip()
            if text:
                if field_name == "page":
                    # Wikidata page ranges use a hyphen-minus
                    text = text.replace("–", "-").replace("—", "-")
                if st := self.statement(prop, string_value(text), why(f"CSL {field_name}")):
                    add(st)
        if csl.get("number-of-pages"):
            try:
                count = int(str(csl["number-of-pages"]))
                if st := self.statement("number_of_pages", quantity_value(count),
                                        why("CSL number-of-pages")):
                    add(st)
            except ValueError:
                group.notes.append(f"number of pages {csl['number-of-pages']!r} not a number")

        # ISBN: on the book itself, or on the book a chapter is published in
        isbn = str(csl.get("ISBN") or "").strip()
        if isbn:
            if on_container and target is group:
                group.notes.append(f"ISBN {isbn} belongs to the book; the chapter's book is "
                                   "not linked, so it was not added")
            else:
                self._isbn(target, isbn, why("CSL ISBN"))
        doi = str(csl.get("DOI") or "").strip()
        if doi:
            norm = identifiers.normalize_doi(doi)
            if norm is None:
                group.notes.append(f"DOI {doi!r} is not valid; not added")
            elif st := self.statement("doi", string_value(norm), why("CSL DOI")):
                add(st)
                group.lookups.append((st.property, norm))

        # publisher
        pub_id = src.links.get("publisher")
        pub, why_not = self.entity_item(pub_id)
        pub_target = target if on_container else group
        if pub and not pub.startswith(PLACEHOLDER_PREFIX):
            if ctype == "chapter" and pub_target is group:
                group.notes.append("publisher belongs to the chapter's book, which is not "
                                   "linked; not added")
            elif st := self.statement("publisher", item_value(pub),
                                      why(f"publisher '{pub_id}'")):
                pub_target.add(st)
        elif pub_id or csl.get("publisher"):
            group.notes.append(f"publisher '{csl.get('publisher') or pub_id}' not added: "
                               f"{why_not if pub_id else 'not linked to an entity'}")

        # editors: only as items; never forced into an unsuitable property
        editor_links = src.links.get("editor") or []
        for i, name in enumerate(csl.get("editor") or [], start=1):
            ent_id = editor_links[i - 1] if i - 1 < len(editor_links) else None
            item, _ = self.entity_item(ent_id)
            if item and not item.startswith(PLACEHOLDER_PREFIX):
                if st := self.statement("editor", item_value(item), why(f"editor {i}"),
                                        self.qualifier("series_ordinal",
                                                       string_value(str(i)))):
                    target.add(st)
            else:
                group.notes.append(f"editor '{_name(name)}' has no confirmed item; not added "
                                   "(no editor-name-string property exists)")

        # language of the work
        if lang:
            lang_item = self.profile.language_item(lang)
            if lang_item and (st := self.statement("language", item_value(lang_item),
                                                   why(f"CSL language {lang}"))):
                add(st)
            elif not lang_item:
                group.notes.append(f"no item known for language '{lang}'; P407 not added")

        # main subject
        for subject_id in src.links.get("main_subject") or []:
            item, why_not = self.entity_item(subject_id)
            if item and not item.startswith(PLACEHOLDER_PREFIX):
                if st := self.statement("main_subject", item_value(item),
                                        why(f"main subject '{subject_id}'")):
                    add(st)
            else:
                group.notes.append(f"main subject '{subject_id}' not added: {why_not}")

        # series
        coll_id = src.links.get("collection")
        if coll_id:
            item, why_not = self.entity_item(coll_id)
            number = str(csl.get("collection-number") or "").strip()
            if item and not item.startswith(PLACEHOLDER_PREFIX):
                quals = self.qualifier("series_ordinal", string_value(number)) if number else []
                if st := self.statement("series", item_value(item),
                                        why(f"series '{coll_id}'"), quals):
                    add(st)
            else:
                group.notes.append(f"series '{csl.get('collection-title') or coll_id}'"
                                   f"{' no. ' + number if number else ''} not added: {why_not}")

        # description, only for an item to create
        if group.create:
            group.descriptions["en"] = _description(ctype, csl)
        if src.notes:
            group.notes.append(f"mapping note: {src.notes}")

    def _new_book(self, book: DesiredEntity, csl: dict[str, Any], lang: str,
                  why: dict[str, Any]) -> None:
        """What a chapter's CSL says about the book it is in, for a book to create."""
        title = str(csl.get("container-title") or "").strip()
        if title and (st := self.statement("title", monolingual_value(title, lang or "und"),
                                           why)):
            book.add(st)
        issued = _issued(csl)
        # only the year: a chapter's exact date (often its online date) need not be the book's
        if issued and (st := self.statement("publication_date", time_value(
                int(issued[0]), None, None, self.profile.calendar_model), why)):
            book.add(st)
        lang_item = self.profile.language_item(lang) if lang else None
        if lang_item and (st := self.statement("language", item_value(lang_item), why)):
            book.add(st)
        editors = [str(n.get("family") or n.get("literal") or "").strip()
                   for n in csl.get("editor") or []]
        year = str(issued[0]) if issued else ""
        book.descriptions["en"] = _description("book", {
            "author": [{"family": e} for e in editors if e],
            "issued": csl.get("issued")}).replace(" by ", " edited by ", 1) \
            if editors else ("book" + (f", {year}" if year else ""))

    def _isbn(self, target: DesiredEntity, isbn: str, why: dict[str, Any]) -> None:
        if not identifiers.isbn_valid(isbn):
            target.notes.append(f"ISBN {isbn!r} has a wrong check digit; not added")
            return
        digits = identifiers.isbn13(isbn) or ""
        hyph13 = identifiers.hyphenate_isbn(digits)
        if hyph13 and (st := self.statement("isbn13", string_value(hyph13), why)):
            target.add(st)
            target.lookups.append((st.property, hyph13))
        elif not hyph13:
            target.notes.append(f"ISBN {isbn} cannot be hyphenated from the range table; "
                                "not added")
        ten = identifiers.isbn10(digits)
        hyph10 = identifiers.hyphenate_isbn(ten) if ten else None
        if hyph10 and (st := self.statement("isbn10", string_value(hyph10), why)):
            target.add(st)


def _issued(csl: dict[str, Any]) -> list[Any]:
    """The ``[year, month, day]`` parts of CSL ``issued`` (as many as are known, or [])."""
    return list(((csl.get("issued") or {}).get("date-parts") or [[]])[0])


def _int(value: Any) -> int | None:
    return int(value) if value not in (None, "") else None


def _name(name: dict[str, Any]) -> str:
    """A CSL name as written in a byline: "Given Family" (or the literal)."""
    if name.get("literal"):
        return str(name["literal"]).strip()
    return " ".join(str(name[k]).strip() for k in ("given", "family") if name.get(k))


def _description(ctype: str, csl: dict[str, Any]) -> str:
    """A short English description such as "scholarly article by Carback, 2018"."""
    kind = {"article-journal": "scholarly article", "chapter": "chapter", "book": "book",
            "report": "report", "paper-conference": "conference paper"}.get(ctype,
                                                                              "written work")
    families = [str(n.get("family") or n.get("literal") or "").strip()
                for n in csl.get("author") or []]
    families = [f for f in families if f]
    if len(families) > 3:
        by = f"{families[0]} et al."
    elif len(families) > 1:
        by = ", ".join(families[:-1]) + " and " + families[-1]
    else:
        by = families[0] if families else ""
    issued = _issued(csl)
    year = str(issued[0]) if issued else ""
    text = kind + (f" by {by}" if by else "") + (f", {year}" if year else "")
    return text[:MAX_DESCRIPTION]


def build_desired(mapping: Mapping, profile: SiteProfile,
                  today: dt.date | None = None) -> DesiredState:
    """The desired state of every item the mapping touches, containers first."""
    builder = _Builder(mapping, profile, today or dt.date.today())
    for ent in mapping.entities:
        builder.entity(ent)
    for src in mapping.sources:
        builder.source(src)
    groups = list(builder.groups.values())
    # An item to create must come before the items whose statements point to it.
    groups.sort(key=lambda g: 0 if g.key.startswith("entity:") and g.create else 1)
    return DesiredState(entities=groups, notes=builder.notes)
