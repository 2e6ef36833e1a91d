"""Draft a mapping folder from an article: ``toolkit init``.

Citations (:mod:`toolkit.citations`) become ``sources.yaml`` entries, and their venues and
publishers become periodical/book/publisher entities; organization candidates
(:mod:`toolkit.extract.organizations`) become organization entities. Every alignment is
``unaligned``: people confirm alignments, the tool only drafts. Surface forms are copied
verbatim from the text, ids are slugged, and the folder is validated with
:func:`toolkit.mapping.load_mapping` before it replaces anything.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

from toolkit import identifiers
from toolkit.citations import Work, extract_citations, read_article
from toolkit.errors import UsageError
from toolkit.extract.organizations import find_candidates

LICENSE = "https://creativecommons.org/licenses/by-sa/4.0/"
MIN_CONFIDENCE = 0.6
CSL_KEYS = ("type", "title", "title-short", "author", "editor", "issued", "accessed",
            "container-title", "collection-title", "collection-number", "volume", "issue",
            "page", "number-of-pages", "number", "edition", "publisher", "publisher-place",
            "ISBN", "ISSN", "DOI", "URL", "language", "abstract", "note")

# Arabic letters → Latin, only to make readable ASCII ids (not a transliteration standard).
_TRANSLIT = str.maketrans({
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ء": "", "ؤ": "u", "ئ": "i", "ب": "b", "ت": "t",
    "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z",
    "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "", "غ": "gh",
    "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ة": "a", "و": "w",
    "ي": "y", "ى": "a", "ـ": "",
})


@dataclass
class InitSettings:
    """What ``toolkit init`` needs besides the text: the article's identity."""

    title: str | None = None  # default: the output folder's name, flagged in article.yaml
    language: str = "ar"
    wiki: str | None = None
    url: str | None = None
    force: bool = False
    min_confidence: float = MIN_CONFIDENCE
    title_guessed: bool = False


def slug(text: str, max_words: int = 6) -> str:
    """A lower-case ASCII id (``[a-z0-9][a-z0-9-]*``) from any text."""
    text = text.translate(_TRANSLIT)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words[:max_words]) or "item"


class _Ids:
    """Hands out unique ids across entities and sources."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, base: str) -> str:
        candidate, n = base, 2
        while candidate in self.used:
            candidate, n = f"{base}-{n}", n + 1
        self.used.add(candidate)
        return candidate


def _source_base_id(csl: dict[str, Any]) -> str:
    names = csl.get("author") or csl.get("editor") or []
    families = [slug(n.get("family") or n.get("literal") or "", 3) for n in names]
    families = [f for f in families if f and f != "item"]
    who = "-".join(families) if len(families) <= 3 else f"{families[0]}-et-al"
    year = str(csl.get("issued", ""))[:4]
    base = who or slug(str(csl.get("title", "")), 5)
    return f"{base}-{year}" if year else base


def _script_lang(name: str, language: str, text: str) -> str | None:
    """The language key a name may be listed under, or None if it cannot be placed."""
    if language in ("ar", "fa", "ur") and re.search(r"[\u0600-\u06ff]", name):
        return language if name in text else None
    if re.search(r"[A-Za-z]", name) and not re.search(r"[\u0600-\u06ff]", name):
        return "en" if language != "en" or name in text else None
    return language if name in text else None


def _citation_text(work_origin: str, text: str) -> str:
    # A template may span lines; the mapping keeps the part on its first line.
    return text.splitlines()[0].strip() if work_origin == "wikitext" else text


def draft_mapping(text: str, text_ref: str, settings: InitSettings,
                  works: list[Work] | None = None, prose: str | None = None) -> dict[str, Any]:
    """The three documents of a draft mapping, as plain data (no files written).

    ``works`` (default: extracted from ``text``) are the cited works; organizations are
    looked for in ``prose`` (default: ``text``), and every surface form kept occurs in
    ``text``, the file the mapping's checks read.
    """
    ids = _Ids()
    language = settings.language
    title = settings.title or "untitled"
    wiki = settings.wiki or f"{language.split('-')[0]}wiki"
    url = settings.url or (f"https://{language.split('-')[0]}.wikipedia.org/wiki/"
                           f"{quote(title.replace(' ', '_'))}")
    topic_id = ids.take(slug(title))
    topic: dict[str, Any] = {"id": topic_id, "kind": "topic", "schema_type": "Thing",
                             "names": {}, "alignment": {"status": "unaligned"}}
    if title in text:
        topic["names"] = {language: [title]}
    else:
        topic["notes"] = ("The article title does not occur in the text; add the surface "
                          "forms the article uses for its topic.")
    entities: list[dict[str, Any]] = [topic]

    known: set[str] = set()
    for cand in find_candidates(text if prose is None else prose):
        if cand.confidence < settings.min_confidence:
            continue
        names = [n for n in (cand.name, cand.acronym) if n and n in text]
        lang = _script_lang(cand.name, language, text)
        if not names or lang is None:
            continue
        entity: dict[str, Any] = {
            "id": ids.take(slug(cand.name)), "kind": "organization",
            "schema_type": cand.schema_type, "names": {lang: names},
            "notes": f"drafted by toolkit init (confidence {cand.confidence}: "
                     f"{'; '.join(cand.reasons)})",
            "alignment": {"status": "unaligned"}}
        entities.append(entity)
        known.update(names)

    by_name: dict[tuple[str, str], str] = {}

    def venue(name: str | None, kind: str, schema_type: str) -> str | None:
        if not name:
            return None
        key = (kind, re.sub(r"\W+", "", name.casefold()))
        if key in by_name:
            return by_name[key]
        lang = _script_lang(name, language, text)
        if lang is None:
            return None
        entity_id = ids.take(slug(name))
        entities.append({"id": entity_id, "kind": kind, "schema_type": schema_type,
                         "names": {lang: [name]}, "alignment": {"status": "unaligned"}})
        by_name[key] = entity_id
        return entity_id

    sources: list[dict[str, Any]] = []
    if works is None:
        works = extract_citations(text)
    for work in works:
        sources.append(_source_entry(work, ids, venue, topic_id))

    article: dict[str, Any] = {
        "title": title, "language": language, "wiki": wiki, "url": url,
        "license": LICENSE, "topic": topic_id, "text": text_ref,
    }
    if settings.title_guessed:
        article["notes"] = ("TITLE GUESSED from the folder name (toolkit init had no "
                            "--title): write the exact page title and check the url.")
    return {"article": article, "entities": {"entities": entities},
            "sources": {"sources": sources}}


def _source_entry(work: Work, ids: _Ids, venue: Any, topic_id: str | None) -> dict[str, Any]:
    csl = {k: v for k, v in work.csl.items() if k in CSL_KEYS and v not in (None, "", [])}
    notes = list(work.notes)
    # Identifiers that fail their check digit are kept as a note, never as data.
    for key, valid in (("ISBN", identifiers.isbn_valid), ("ISSN", identifiers.issn_valid),
                       ("DOI", identifiers.doi_valid)):
        if key in csl and not valid(str(csl[key])):
            notes.append(f"{key} {csl[key]!r} as cited fails its check")
            del csl[key]
    for key in ("issued", "accessed"):
        if key in csl and not identifiers.parse_iso_date(str(csl[key])):
            del csl[key]
    links: dict[str, Any] = {}
    ctype = csl.get("type")
    container_kind = "book" if ctype == "chapter" else "periodical"
    container = venue(csl.get("container-title"), container_kind,
                      "Book" if container_kind == "book" else "Periodical")
    if container:
        links["container"] = container
    publisher = venue(csl.get("publisher"), "publisher", "Organization")
    if publisher:
        links["publisher"] = publisher
    if topic_id:
        links["main_subject"] = [topic_id]
    entry: dict[str, Any] = {"id": ids.take(_source_base_id(csl)), "csl": csl}
    if links:
        entry["links"] = links
    if notes:
        entry["notes"] = "; ".join(notes)
    entry["alignment"] = {"status": "unaligned"}
    citations = []
    for occ in work.occurrences:
        cite: dict[str, Any] = {"line": occ.line,
                                "text": _citation_text(work.origin, occ.text)}
        if occ.locator is not None:
            cite["locator"] = occ.locator
            if occ.label:
                cite["label"] = occ.label
        citations.append(cite)
    entry["citations"] = citations
    return entry


def source_ids(works: list[Work]) -> list[str]:
    """The ids ``init`` would give these works (``carback-2018``, ``brown-napier-smith-2020``)."""
    ids = _Ids()
    return [ids.take(_source_base_id(w.csl)) for w in works]


def sources_yaml(works: list[Work]) -> str:
    """A ``sources.yaml`` body for these works (no entity links: there are no entities)."""
    ids = _Ids()
    entries = []
    for work in works:
        entry = _source_entry(work, ids, lambda *_: None, None)
        entries.append(entry)
    return dump_yaml("sources", {"sources": entries})


class _Dumper(yaml.SafeDumper):
    """Block style, but short name dicts and lists of plain strings on one line."""


def _represent_dict(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    flow = set(data) <= {"family", "given", "literal", "entity"} and bool(data)
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flow)


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = bool(data) and all(isinstance(x, str) and len(x) < 60 for x in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(list, _represent_list)

def dump_block(data: dict[str, Any], indent: int = 0) -> list[str]:
    """Lines of YAML for ``data`` in the style of the drafts, indented by ``indent``."""
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096,
                     default_flow_style=False)
    return [" " * indent + line + "\n" for line in body.splitlines()]


_HEADERS = {
    "article": "# The article this mapping describes (drafted by `toolkit init`; check every "
               "field).\n",
    "entities": "# Entities drafted by `toolkit init` from the article text. Every alignment "
                "is unaligned:\n# run `toolkit reconcile` for candidates, then confirm by "
                "hand with evidence.\n",
    "sources": "# Works cited by the article, drafted by `toolkit init` from its reference "
               "list.\n# Parsing is heuristic: check each field against the reference "
               "line.\n",
}


def dump_yaml(name: str, data: dict[str, Any], schema_dir: str = "../../schemas") -> str:
    """One mapping file's text: schema line, header comment, YAML body.

    ``schema_dir`` is the schemas folder relative to the mapping folder (the default fits
    ``mappings/NAME/`` in the toolkit's repository).
    """
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096,
                     default_flow_style=False)
    return (f"# yaml-language-server: $schema={schema_dir}/{name}.schema.json\n"
            f"{_HEADERS[name]}{body}")


def _schema_dir(target: Path) -> str:
    """The toolkit's schemas folder as seen from ``target``, for editors' completion."""
    from toolkit.mapping.load import SCHEMA_DIR

    if not SCHEMA_DIR.is_dir():
        return "../../schemas"
    return Path(os.path.relpath(SCHEMA_DIR, target.resolve())).as_posix()


def init_mapping(text_path: str | os.PathLike[str], out_dir: str | os.PathLike[str],
                 settings: InitSettings) -> Path:
    """Write a validated draft mapping folder for the article at ``text_path``."""
    from toolkit.mapping.load import FILES, write_validated

    source = Path(text_path)
    target = Path(out_dir)
    text = read_article(source)
    if not (settings.title or "").strip():
        # No title given: the folder's name stands in, and the draft says so. The title
        # matters (the URL and the JSON-LD ids are built from it), so it is flagged.
        settings = replace(settings, title=target.resolve().name, title_guessed=True)
    existing = [n for n in FILES if (target / f"{n}.yaml").exists()]
    if existing and not settings.force:
        raise UsageError(f"{target} already holds a mapping ({', '.join(existing)}.yaml); "
                         "use --force to overwrite it")
    text_ref = os.path.relpath(source.resolve(), target.resolve())
    docs = draft_mapping(text, Path(text_ref).as_posix(), settings)
    schema_dir = _schema_dir(target)
    write_validated(target, {name: dump_yaml(name, docs[name], schema_dir) for name in FILES})
    return target


def export_citations(path: str | os.PathLike[str], fmt: str = "csl-json") -> str:
    """``toolkit extract citations``: the works cited in a file, as CSL-JSON or mapping YAML."""
    if fmt not in ("csl-json", "mapping"):
        raise UsageError(f"unknown format {fmt!r} (csl-json or mapping)")
    works = extract_citations(read_article(path), short=fmt == "csl-json")
    if fmt == "mapping":
        return sources_yaml(works)
    items = [w.to_csl_json(i) for w, i in zip(works, source_ids(works), strict=True)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
