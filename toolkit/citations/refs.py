"""Citations from an article's wikitext: ``<ref>`` tags, named refs, short cites.

Where :func:`toolkit.citations.extract_citations` reads templates one by one, this module
follows the structure of a page, walked with mwparserfromhell:

* ``<ref>{{cite …}}</ref>`` and ``<ref>{{استشهاد …}}</ref>``: one work (fields from
  :func:`toolkit.citations.parse_template`), one occurrence; a ref without a template is
  read as a rendered reference;
* ``<ref name="x">…</ref>`` defines ``x``; ``<ref name="x" />`` adds an occurrence to the
  same work, also when the definition comes later, inside ``{{reflist|refs=…}}`` or
  ``<references>…</references>``;
* a citation template outside any ref (a bibliography ``* {{cite book …}}``) is a work;
* short cites ``{{sfn}}``, ``{{sfnp}}``, ``{{harvnb}}``, ``{{harv}}``, ``{{harvp}}``,
  ``{{استشهاد مختصر}}`` (inside or outside refs) are joined to the full citation whose
  authors' family names and year match, as the wiki's ``#CITEREF`` anchors do; each keeps
  its locator (``p=``, ``pp=``, ``loc=``, ``ص=``).

Every occurrence carries the line of the wikitext where it starts and the wikitext it
starts with, so a mapping's ``citation-text`` check holds against the page's wikitext.
Works are merged by first author and title, as in the rendered extraction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from toolkit.citations.extract import extract_citations, work_key
from toolkit.citations.model import Occurrence, Work
from toolkit.citations.wikitext import parse_template

SHORT_CITES = frozenset(("sfn", "sfnp", "harvnb", "harv", "harvp", "harvtxt", "harvcoltxt",
                         "استشهاد مختصر", "مرجع مختصر"))
REF_LISTS = frozenset(("reflist", "references", "مراجع", "ثبت المراجع", "reflist-talk"))
# locator parameter → CSL label
_LOCATORS = {"p": "page", "page": "page", "pp": "page", "pages": "page", "ص": "page",
             "صفحة": "page", "الصفحة": "page", "صفحات": "page", "الصفحات": "page",
             "loc": None, "at": None, "موقع": None}
_ANCHOR_TEMPLATES = frozenset(("sfnref", "harvid"))
_YEAR = re.compile(r"^(?:1[5-9]|20)\d\d[a-z]?$|^n\.d\.$|^بدون تاريخ$")


@dataclass
class WikitextCitations:
    """What the wikitext cites: works, and the citations that could not be placed."""

    works: list[Work]
    unresolved: list[str] = field(default_factory=list)  # one line each, for the user


@dataclass
class _Short:
    names: list[str]
    year: str
    occurrence: Occurrence


def _name(template: Any) -> str:
    name = re.sub(r"^(?:template|قالب)\s*:\s*", "", str(template.name).strip(), flags=re.I)
    name = name.replace("_", " ")
    return name[:1].lower() + name[1:]


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


class _Walker:
    """One pass over the page; holds the offsets cursor and the works found so far."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.works: list[Work] = []
        self.by_key: dict[str, Work] = {}
        self.by_name: dict[str, Work] = {}
        self.reuses: list[tuple[str, Occurrence]] = []
        self.shorts: list[_Short] = []
        self.anchors: list[tuple[list[str], str, Work]] = []
        self.unresolved: list[str] = []
        self.cursor = 0

    # -- positions
    def locate(self, node: Any, start: int | None = None) -> tuple[int, int]:
        """(offset, line) of ``node``'s text at or after ``start`` (the cursor by default)."""
        source = str(node)
        offset = self.text.find(source, self.cursor if start is None else start)
        if offset < 0:
            offset = self.text.find(source)
        line = self.text.count("\n", 0, offset) + 1 if offset >= 0 else 1
        return offset, line

    # -- the walk
    def walk(self, code: Any) -> None:
        """Visit the nodes of a wikicode in document order."""
        from mwparserfromhell.nodes import Tag, Template

        for node in code.nodes:
            if isinstance(node, Tag) and str(node.tag).strip().lower() == "ref":
                offset, line = self.locate(node)
                self.ref(node, offset, line)
                self.cursor = max(self.cursor, offset + len(str(node)))
            elif isinstance(node, Template):
                offset, line = self.locate(node)
                self.cursor = max(self.cursor, offset)
                self.template(node, offset, line)
            elif isinstance(node, Tag) and node.contents is not None:
                offset, _ = self.locate(node)
                self.cursor = max(self.cursor, offset)
                self.walk(node.contents)

    def template(self, node: Any, offset: int, line: int) -> None:
        name = _name(node)
        if name in SHORT_CITES:
            self.short(node, line)
            self.cursor = offset + len(str(node))
            return
        parsed = parse_template(node)
        if parsed is not None:
            self.full(node, parsed, line)
            self.cursor = offset + len(str(node))
            return
        # {{reflist|refs=…}} and any other template: refs may sit in its parameters
        for param in node.params:
            self.walk(param.value)

    def ref(self, node: Any, offset: int, line: int) -> None:
        from mwparserfromhell.nodes import Template

        name = _attr(node, "name")
        body = node.contents if not node.self_closing else None
        if body is None or not str(body).strip():
            if name:
                self.reuses.append((name, Occurrence(line, str(node))))
            return
        found: Work | None = None
        for template in body.filter_templates(recursive=False):
            _, t_line = self.locate(template, offset)
            if _name(template) in SHORT_CITES:
                self.short(template, t_line)
                continue
            parsed = parse_template(template)
            if parsed is not None:
                found = self.full(template, parsed, t_line) if found is None else found
        if found is None and not any(isinstance(n, Template) and _name(n) in SHORT_CITES
                                     for n in body.nodes):
            found = self.rendered(str(body), line, str(node))
        if name and found is not None:
            self.by_name.setdefault(name, found)

    # -- what a citation becomes
    def full(self, node: Any, parsed: Any, line: int) -> Work:
        occurrence = Occurrence(line, str(node), parsed.locator, parsed.label)
        work = self.add(parsed.csl, parsed.notes, occurrence)
        names, year = _anchor(node, work.csl)
        self.anchors.append((names, year, work))
        return work

    def rendered(self, body: str, line: int, source: str) -> Work | None:
        works = extract_citations(body.replace("\n", " "))
        if not works:
            return None
        first = works[0]
        occurrence = Occurrence(line, source, first.occurrences[0].locator if
                                first.occurrences else None,
                                first.occurrences[0].label if first.occurrences else None)
        # origin stays "wikitext": the occurrence is the ref's wikitext, first line kept
        work = self.add(first.csl, first.notes, occurrence)
        names, year = _anchor(None, work.csl)
        self.anchors.append((names, year, work))
        return work

    def add(self, csl: dict[str, Any], notes: list[str], occurrence: Occurrence) -> Work:
        key = work_key(csl)
        work = self.by_key.get(key) if key else None
        if work is None:
            work = Work(dict(csl), [], list(notes), "wikitext")
            self.works.append(work)
            if key:
                self.by_key[key] = work
        else:
            for field_name, value in csl.items():
                if work.csl.get(field_name) in (None, "", []):
                    work.csl[field_name] = value
        work.occurrences.append(occurrence)
        return work

    def short(self, node: Any, line: int) -> None:
        positional = [str(p.value).strip() for p in node.params if not p.showkey]
        positional = [p for p in positional if p]
        year = next((p for p in reversed(positional) if _YEAR.match(p)), "")
        names = positional[:positional.index(year)] if year else positional[:4]
        locator, label = None, None
        for param in node.params:
            key = str(param.name).strip()
            if param.showkey and key in _LOCATORS and str(param.value).strip():
                locator, label = _plain(param.value), _LOCATORS[key]
                break
        self.shorts.append(_Short(names[:4], year, Occurrence(line, str(node), locator,
                                                               label)))

    # -- the joins, once every definition is known
    def finish(self) -> WikitextCitations:
        for name, occurrence in self.reuses:
            work = self.by_name.get(name)
            if work is None:
                self.unresolved.append(f"line {occurrence.line}: <ref name={name!r} /> is "
                                       "never defined")
            else:
                work.occurrences.append(occurrence)
        for short in self.shorts:
            work = self.match(short)
            if work is None:
                self.unresolved.append(f"line {short.occurrence.line}: short citation "
                                       f"{' '.join(short.names)} {short.year} has no full "
                                       "citation with these authors and year")
            else:
                work.occurrences.append(short.occurrence)
        for work in self.works:
            work.occurrences.sort(key=lambda o: o.line)
        return WikitextCitations(self.works, self.unresolved)

    def match(self, short: _Short) -> Work | None:
        wanted = [_norm(n) for n in short.names]
        year = short.year.casefold()
        for names, anchor_year, work in self.anchors:
            if names[:len(wanted)] == wanted and len(names) >= len(wanted) and \
                    _year_matches(year, anchor_year):
                return work
        # A full name in the short cite ("منى العلي") against a family name, or the reverse
        for _names, anchor_year, work in self.anchors:
            authors = work.csl.get("author") or work.csl.get("editor") or []
            forms = [_name_forms(a) for a in authors]
            if len(forms) >= len(wanted) and all(w in f for w, f in zip(wanted, forms,
                                                                        strict=False)) \
                    and _year_matches(year, anchor_year):
                return work
        return None


def _year_matches(short_year: str, anchor_year: str) -> bool:
    if not short_year:
        return True
    return short_year == anchor_year or (short_year[:4] == anchor_year[:4]
                                         and not short_year[4:])


def _name_forms(person: dict[str, str]) -> set[str]:
    family, given = person.get("family", ""), person.get("given", "")
    literal = person.get("literal", "")
    return {_norm(f) for f in (family, literal, f"{given} {family}", f"{family} {given}") if
            f.strip()}


def _anchor(node: Any, csl: dict[str, Any]) -> tuple[list[str], str]:
    """The names and year of a full citation's ``#CITEREF`` anchor."""
    if node is not None and node.has("ref"):
        for inner in node.get("ref").value.filter_templates(recursive=False):
            if _name(inner) in _ANCHOR_TEMPLATES:
                args = [str(p.value).strip() for p in inner.params if not p.showkey]
                year = next((a for a in reversed(args) if _YEAR.match(a)), "")
                names = args[:args.index(year)] if year else args
                return [_norm(a) for a in names[:4]], year.casefold()
    people = csl.get("author") or csl.get("editor") or []
    names = [_norm(p.get("family") or p.get("literal") or "") for p in people[:4]]
    return names, str(csl.get("issued", ""))[:4]


def _attr(tag: Any, name: str) -> str | None:
    if not tag.has(name):
        return None
    value = str(tag.get(name).value).strip().strip("\"'").strip()
    return value or None


def _plain(value: Any) -> str:
    import mwparserfromhell

    return str(mwparserfromhell.parse(str(value)).strip_code(normalize=True)).strip()


def citations_from_wikitext(wikitext: str) -> WikitextCitations:
    """Every work a page's wikitext cites, with each place it is cited (see the module)."""
    import mwparserfromhell

    walker = _Walker(wikitext)
    walker.walk(mwparserfromhell.parse(wikitext))
    return walker.finish()
