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
from collections.abc import Callable
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
from toolkit.edits.wire import RationaleDoc, no_rationale
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
    rationale: RationaleDoc = field(default_factory=no_rationale)

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
    rationale: RationaleDoc = field(default_factory=no_rationale)
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


def _rationale(location: Location | None, citation: str, reason: str) -> RationaleDoc:
    return {"mapping_file": location.file if location else "",
            "line": location.line if location else 0,
            "citation": citation, "reason": reason}


class _Context:
    """What every statement of one mapping shares: the mapping, the site, the reference."""

    def __init__(self, mapping: Mapping, profile: SiteProfile, today: dt.date) -> None:
        self.mapping = mapping
        self.profile = profile
        self.notes: list[str] = []
        self.reference = _reference(mapping, profile, today, self.notes)
        self.groups: dict[str, DesiredEntity] = {}

    def statement(self, name: str, value: dict[str, Any], why: RationaleDoc,
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

    def ordinal(self, number: int | str) -> list[dict[str, Any]]:
        """The "series ordinal" qualifier list for an author's or editor's position."""
        return self.qualifier("series_ordinal", string_value(str(number)))

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


def _reference(mapping: Mapping, prof: SiteProfile, today: dt.date,
               notes: list[str]) -> dict[str, Any] | None:
    """The one reference block every statement carries (what it lacks is noted)."""
    art = mapping.article
    snaks = []
    p143, p4656, p813 = prof.p("imported_from"), prof.p("import_url"), prof.p("retrieved")
    if art.wiki_item and p143:
        snaks.append(snak(p143, "wikibase-item", item_value(art.wiki_item)))
    else:
        notes.append("article.wiki_item is not set: references lack 'imported from'")
    if art.permalink and p4656:
        snaks.append(snak(p4656, "url", string_value(art.permalink)))
    else:
        notes.append("article has no revision/permalink: references lack a permanent "
                     "link to the article revision")
    retrieved = identifiers.parse_iso_date(str(art.retrieved)) if art.retrieved else None
    if retrieved is None:
        retrieved = (today.year, today.month, today.day)
    year, month, day = retrieved
    if p813:
        snaks.append(snak(p813, "time", time_value(year, month or 1, day or 1,
                                                   prof.calendar_model)))
    return reference_block(snaks) if snaks else None


def _confirmed(item: str | None) -> bool:
    """True for a real item id (not missing, not a placeholder for an item to create)."""
    return bool(item) and not str(item).startswith(PLACEHOLDER_PREFIX)


# -- entities

def _entity(ctx: _Context, ent: Entity) -> None:
    """A confirmed entity gets Arabic label/aliases; a container to create gets an item."""
    if ent.alignment.confirmed_qid:
        _entity_names(ctx, ent)
    elif ent.status == "create" and ent.kind in CONTAINER_KINDS:
        _new_container(ctx, ent)
    elif ent.status == "candidate":
        ctx.notes.append(f"entity '{ent.id}' has only a candidate item; nothing proposed")


def _entity_names(ctx: _Context, ent: Entity) -> None:
    """The article-language surface forms of a confirmed entity: label and aliases."""
    lang = ctx.mapping.article.language
    group = ctx.group_for_entity(ent)
    forms = [f for f in ent.names.get(lang, []) if f.strip()]
    if forms:
        group.labels[lang] = forms[0]
        if len(forms) > 1:
            group.aliases[lang] = list(forms[1:])
        # The preferred form is an alias candidate too: if the item already has
        # another label, the diff keeps the surface form as an alias.
        group.aliases.setdefault(lang, []).insert(0, forms[0])


def _new_container(ctx: _Context, ent: Entity) -> None:
    """A book or periodical to create: its class, labels, a description and its ISSN."""
    group = ctx.group_for_entity(ent)
    why = _rationale(ent.location, "", f"{ent.kind} '{ent.id}' to be created")
    cls = "book" if ent.kind == "book" else "academic_journal"
    qid = ctx.profile.q(cls)
    if qid and (st := ctx.statement("instance_of", item_value(qid), why)):
        group.add(st)
    if ent.kind == "periodical":
        group.notes.append("class 'academic journal' assumed for a periodical to "
                           "create; check it")
    for code, forms in ent.names.items():
        if forms:
            group.labels.setdefault(code, forms[0])
    if ent.name("en"):
        # a book's description is refined from the chapters cited in it
        group.descriptions.setdefault("en", "book" if ent.kind == "book" else "periodical")
    issn = ent.identifiers.get("ISSN")
    if issn:
        norm = identifiers.normalize_issn(issn) or issn
        if st := ctx.statement("issn", string_value(norm), why):
            group.add(st)
            group.lookups.append((st.property, norm))


# -- sources: one function per statement kind, run in the order of _SOURCE_STEPS

@dataclass
class _Work:
    """One cited work being built: its group and, for a chapter, the book's group."""

    ctx: _Context
    src: Source
    group: DesiredEntity
    csl: dict[str, Any]
    ctype: str
    lang: str
    why_base: RationaleDoc
    # a chapter's book when it is linked (set by _published_in); None: no book to put
    # book-level statements on
    target: DesiredEntity | None = None

    @property
    def on_container(self) -> bool:
        """True for a chapter: ISBN, publisher and editors belong to its book."""
        return self.ctype == "chapter"

    @property
    def book(self) -> DesiredEntity:
        """The group that takes book-level statements (the work itself if no book)."""
        return self.target or self.group

    def why(self, reason: str) -> RationaleDoc:
        """The rationale of one statement: the work's mapping place and citation, a reason."""
        return {**self.why_base, "reason": reason}

    def add(self, name: str, value: dict[str, Any], reason: str,
            qualifiers: list[dict[str, Any]] | None = None,
            to: DesiredEntity | None = None) -> DesiredStatement | None:
        """Add the statement for symbolic property ``name`` (to the work unless ``to``)."""
        st = self.ctx.statement(name, value, self.why(reason), qualifiers)
        if st:
            (to or self.group).add(st)
        return st

    def note(self, text: str) -> None:
        """A note on the work's group, shown to the reviewer."""
        self.group.notes.append(text)


def _instance_of(w: _Work) -> None:
    cls = CSL_TYPES.get(w.ctype)
    if cls is None:
        cls = "written_work"
        w.note(f"CSL type '{w.ctype}' has no specific class; 'written work' used")
    cls_qid = w.ctx.profile.q(cls)
    if cls_qid:
        w.add("instance_of", item_value(cls_qid), f"CSL type {w.ctype}")


def _title(w: _Work) -> None:
    title = str(w.csl.get("title") or "").strip()
    if not w.lang:
        w.note("the work's language is not given: title tagged 'und'")
    if title:
        w.add("title", monolingual_value(title, w.lang or "und"), "CSL title")
        if w.lang:
            w.group.labels[w.lang] = title
        if w.lang in ("", "en"):
            w.group.labels["en"] = title


def _authors(w: _Work) -> None:
    """Authors in order: an item when confirmed, else the name as a string."""
    links = w.src.links.get("author") or []
    for i, name in enumerate(w.csl.get("author") or [], start=1):
        item, _ = w.ctx.entity_item(links[i - 1] if i - 1 < len(links) else None)
        if _confirmed(item):
            st = w.ctx.statement("author", item_value(str(item)), w.why(f"author {i}"),
                                 w.ctx.ordinal(i))
        else:
            st = w.ctx.statement("author_name_string", string_value(_name(name)),
                                 w.why(f"author {i} (no confirmed item)"), w.ctx.ordinal(i))
        if st:
            w.group.statements.append(st)  # same name twice is still two authors


def _publication_date(w: _Work) -> None:
    issued = _issued(w.csl)
    if issued:
        y, m, d = [*issued, None, None][:3]
        w.add("publication_date",
              time_value(int(y), _int(m), _int(d), w.ctx.profile.calendar_model), "CSL issued")


def _published_in(w: _Work) -> None:
    """The container; for a chapter its book becomes the target of book-level statements."""
    container_id = w.src.links.get("container")
    container, why_not = w.ctx.entity_item(container_id)
    if container:
        w.add("published_in", item_value(container), f"container '{container_id}'")
    elif w.csl.get("container-title"):
        w.note(f"published in '{w.csl['container-title']}' not added: {why_not}")
    if w.on_container and container_id and container:
        w.target = w.ctx.group_for_entity(w.ctx.mapping.entity(container_id))
        if w.target.create:
            _new_book(w.ctx, w.target, w.csl, w.lang, w.why(f"book of chapter '{w.src.id}'"))


def _page_range(text: str) -> str:
    # Wikidata page ranges use a hyphen-minus
    return text.replace("–", "-").replace("—", "-")


# CSL field -> (symbolic property, how the text is normalised): plain string statements
_CSL_STRINGS: tuple[tuple[str, str, Callable[[str], str] | None], ...] = (
    ("volume", "volume", None),
    ("issue", "issue", None),
    ("page", "pages", _page_range),
)


def _string_fields(w: _Work) -> None:
    for field_name, prop, normalise in _CSL_STRINGS:
        text = str(w.csl.get(field_name) or "").strip()
        if text:
            w.add(prop, string_value(normalise(text) if normalise else text),
                  f"CSL {field_name}")


def _number_of_pages(w: _Work) -> None:
    if w.csl.get("number-of-pages"):
        try:
            count = int(str(w.csl["number-of-pages"]))
        except ValueError:
            w.note(f"number of pages {w.csl['number-of-pages']!r} not a number")
            return
        w.add("number_of_pages", quantity_value(count), "CSL number-of-pages")


def _isbn_of_work(w: _Work) -> None:
    """ISBN: on the book itself, or on the book a chapter is published in."""
    isbn = str(w.csl.get("ISBN") or "").strip()
    if not isbn:
        return
    if w.on_container and w.target is None:
        w.note(f"ISBN {isbn} belongs to the book; the chapter's book is "
               "not linked, so it was not added")
    else:
        _isbn(w.ctx, w.book, isbn, w.why("CSL ISBN"))


def _doi(w: _Work) -> None:
    doi = str(w.csl.get("DOI") or "").strip()
    if not doi:
        return
    norm = identifiers.normalize_doi(doi)
    if norm is None:
        w.note(f"DOI {doi!r} is not valid; not added")
    elif st := w.add("doi", string_value(norm), "CSL DOI"):
        w.group.lookups.append((st.property, norm))


def _publisher(w: _Work) -> None:
    pub_id = w.src.links.get("publisher")
    pub, why_not = w.ctx.entity_item(pub_id)
    if _confirmed(pub):
        if w.on_container and w.target is None:
            w.note("publisher belongs to the chapter's book, which is not linked; not added")
        else:
            w.add("publisher", item_value(str(pub)), f"publisher '{pub_id}'",
                  to=w.book if w.on_container else w.group)
    elif pub_id or w.csl.get("publisher"):
        w.note(f"publisher '{w.csl.get('publisher') or pub_id}' not added: "
               f"{why_not if pub_id else 'not linked to an entity'}")


def _editors(w: _Work) -> None:
    """Editors: only as items; never forced into an unsuitable property."""
    links = w.src.links.get("editor") or []
    for i, name in enumerate(w.csl.get("editor") or [], start=1):
        item, _ = w.ctx.entity_item(links[i - 1] if i - 1 < len(links) else None)
        if _confirmed(item):
            w.add("editor", item_value(str(item)), f"editor {i}", w.ctx.ordinal(i), to=w.book)
        else:
            w.note(f"editor '{_name(name)}' has no confirmed item; not added "
                   "(no editor-name-string property exists)")


def _language(w: _Work) -> None:
    if w.lang:
        lang_item = w.ctx.profile.language_item(w.lang)
        if lang_item:
            w.add("language", item_value(lang_item), f"CSL language {w.lang}")
        else:
            w.note(f"no item known for language '{w.lang}'; P407 not added")


def _main_subjects(w: _Work) -> None:
    for subject_id in w.src.links.get("main_subject") or []:
        item, why_not = w.ctx.entity_item(subject_id)
        if _confirmed(item):
            w.add("main_subject", item_value(str(item)), f"main subject '{subject_id}'")
        else:
            w.note(f"main subject '{subject_id}' not added: {why_not}")


def _series(w: _Work) -> None:
    coll_id = w.src.links.get("collection")
    if not coll_id:
        return
    item, why_not = w.ctx.entity_item(coll_id)
    number = str(w.csl.get("collection-number") or "").strip()
    if _confirmed(item):
        w.add("series", item_value(str(item)), f"series '{coll_id}'",
              w.ctx.ordinal(number) if number else [])
    else:
        w.note(f"series '{w.csl.get('collection-title') or coll_id}'"
               f"{' no. ' + number if number else ''} not added: {why_not}")


def _description_and_notes(w: _Work) -> None:
    """A description only for an item to create; the mapping's note for the reviewer."""
    if w.group.create:
        w.group.descriptions["en"] = _description(w.ctype, w.csl)
    if w.src.notes:
        w.note(f"mapping note: {w.src.notes}")


# The order is the order of statements in the proposal (golden files depend on it);
# _published_in comes before the steps that put book-level statements on a chapter's book.
_SOURCE_STEPS = (_instance_of, _title, _authors, _publication_date, _published_in,
                 _string_fields, _number_of_pages, _isbn_of_work, _doi, _publisher,
                 _editors, _language, _main_subjects, _series, _description_and_notes)


def _source(ctx: _Context, src: Source) -> None:
    """The statements a cited work (and, for a chapter, its book) should have."""
    if src.status not in ("create", "confirmed"):
        ctx.notes.append(f"source '{src.id}' is {src.status}: nothing proposed")
        return
    csl = src.csl
    qid = src.alignment.confirmed_qid
    title = str(csl.get("title") or "").strip()
    citation = src.citations[0].text if src.citations else ""
    key = f"source:{src.id}"
    why_base = _rationale(src.location, citation, "")
    group = DesiredEntity(
        key=key, label=title or src.id, qid=qid,
        placeholder=None if qid else PLACEHOLDER_PREFIX + src.id,
        rationale={**why_base, "reason": f"cited work '{src.id}' ({src.status})"})
    ctx.groups[key] = group
    work = _Work(ctx=ctx, src=src, group=group, csl=csl, ctype=str(csl.get("type") or ""),
                 lang=str(csl.get("language") or "").strip(), why_base=why_base)
    for step in _SOURCE_STEPS:
        step(work)


def _new_book(ctx: _Context, book: DesiredEntity, csl: dict[str, Any], lang: str,
              why: RationaleDoc) -> None:
    """What a chapter's CSL says about the book it is in, for a book to create."""
    title = str(csl.get("container-title") or "").strip()
    if title and (st := ctx.statement("title", monolingual_value(title, lang or "und"), why)):
        book.add(st)
    issued = _issued(csl)
    # only the year: a chapter's exact date (often its online date) need not be the book's
    if issued and (st := ctx.statement("publication_date", time_value(
            int(issued[0]), None, None, ctx.profile.calendar_model), why)):
        book.add(st)
    lang_item = ctx.profile.language_item(lang) if lang else None
    if lang_item and (st := ctx.statement("language", item_value(lang_item), why)):
        book.add(st)
    editors = [str(n.get("family") or n.get("literal") or "").strip()
               for n in csl.get("editor") or []]
    year = str(issued[0]) if issued else ""
    book.descriptions["en"] = _description("book", {
        "author": [{"family": e} for e in editors if e],
        "issued": csl.get("issued")}).replace(" by ", " edited by ", 1) \
        if editors else ("book" + (f", {year}" if year else ""))


def _isbn(ctx: _Context, target: DesiredEntity, isbn: str, why: RationaleDoc) -> None:
    """ISBN-13 (and ISBN-10 when one exists), hyphenated, on ``target``."""
    if not identifiers.isbn_valid(isbn):
        target.notes.append(f"ISBN {isbn!r} has a wrong check digit; not added")
        return
    digits = identifiers.isbn13(isbn) or ""
    hyph13 = identifiers.hyphenate_isbn(digits)
    if hyph13 and (st := ctx.statement("isbn13", string_value(hyph13), why)):
        target.add(st)
        target.lookups.append((st.property, hyph13))
    elif not hyph13:
        target.notes.append(f"ISBN {isbn} cannot be hyphenated from the range table; "
                            "not added")
    ten = identifiers.isbn10(digits)
    hyph10 = identifiers.hyphenate_isbn(ten) if ten else None
    if hyph10 and (st := ctx.statement("isbn10", string_value(hyph10), why)):
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
    ctx = _Context(mapping, profile, today or dt.date.today())
    for ent in mapping.entities:
        _entity(ctx, ent)
    for src in mapping.sources:
        _source(ctx, src)
    groups = list(ctx.groups.values())
    # An item to create must come before the items whose statements point to it.
    groups.sort(key=lambda g: 0 if g.key.startswith("entity:") and g.create else 1)
    return DesiredState(entities=groups, notes=ctx.notes)
