"""Find candidate items for a mapping's unaligned entries: ``toolkit reconcile``.

For each entity or source whose alignment is ``unaligned`` (or an earlier ``candidate``):

1. identifiers first: ISBN → P212 (ISBN-13) / P957 (ISBN-10), DOI → P356, ISSN → P236,
   through :meth:`WikibaseReader.find_by_statement` (``haswbstatement:``);
2. then ``wbsearchentities`` with the entry's names (or a work's title) in Arabic and
   English, each hit checked by its P31 (instance of) against the classes the entry's kind
   expects.

Every candidate has a score in [0, 1) and the reasons for it. The best one becomes the
entry's ``qid`` with ``status: candidate``; a person confirms it later (with evidence).
Nothing is ever written as ``confirmed``.

The YAML files are edited textually: only the ``alignment:`` block of a changed entry is
replaced, so comments, key order and formatting elsewhere stay as they were. The result is
validated before it replaces the files (atomically).

Search answers are cached in ``<cache>/reconcile/`` (entities in the reader's own cache), so
``--offline`` can replay a run without any request.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from toolkit import identifiers
from toolkit.files import write_atomic
from toolkit.mapping.yaml_edit import block_span, replace_lines
from toolkit.wiki.site import WIKIDATA, WIKIDATA_API, SiteProfile

# Classes an entry's kind (or a source's CSL type) may be an instance of, by the site
# profile's symbolic names, so another Wikibase with other ids works too.
ORGANIZATION_CLASSES = ("organization", "government_agency", "law_enforcement_agency",
                        "intergovernmental_organization", "international_organization",
                        "non_governmental_organization", "publisher")
WORK_CLASSES = ("written_work", "book", "scholarly_article", "academic_journal_article",
                "report", "chapter")
EXPECTED_CLASSES: dict[str, tuple[str, ...]] = {
    "organization": ORGANIZATION_CLASSES,
    "publisher": ORGANIZATION_CLASSES,
    "periodical": ("academic_journal",),
    "book": ("book", "edited_volume", "written_work"),
    "person": ("human",),
    "article-journal": ("scholarly_article", "academic_journal_article"),
    "chapter": ("chapter",),
    "report": ("report",),
    "work": WORK_CLASSES,
}
MIN_SCORE = 0.35  # an exact label whose P31 is wrong scores 0.3 and is dropped


@dataclass
class ReconcileSettings:
    """Where to look and how many candidates to keep."""

    api_url: str = WIKIDATA_API
    cache_dir: Path | None = None
    offline: bool = False
    limit: int = 5
    languages: tuple[str, ...] = ("ar", "en")
    contact: str = ""
    profile: SiteProfile = WIKIDATA


@dataclass
class Entry:
    """One mapping entry to reconcile, with where its alignment block is in its file."""

    file: str  # "entities" or "sources"
    index: int
    id: str
    kind: str  # entity kind, or "source:<csl type>"
    names: dict[str, list[str]]
    ids: dict[str, str]  # ISBN / DOI / ISSN
    alignment: dict[str, Any]


class _SearchCache:
    """Answers of find_by_statement/search_entities, one JSON file per query."""

    def __init__(self, root: Path | None, api_url: str) -> None:
        self.root = root / "reconcile" if root else None
        self.api_url = api_url

    def _path(self, key: list[Any]) -> Path | None:
        if self.root is None:
            return None
        digest = hashlib.sha256(json.dumps([self.api_url, *key]).encode()).hexdigest()[:32]
        return self.root / f"{digest}.json"

    def get(self, key: list[Any]) -> Any:
        """The saved answer to a query, None when there is none (or it is damaged)."""
        path = self._path(key)
        if path is None:
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))["answer"]
        except (OSError, ValueError, KeyError, TypeError):
            return None  # absent or damaged: ask again, as the entity cache does

    def put(self, key: list[Any], answer: Any) -> None:
        path = self._path(key)
        if path is not None and answer is not None:
            write_atomic(path, json.dumps({"query": key, "answer": answer}, ensure_ascii=False))


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[\u064b-\u0652\u0640]", "", text)  # Arabic diacritics and tatweel
    text = re.sub(r"^(?:the|ال)\s*", "", text)
    return re.sub(r"[\W_]+", " ", text).strip()


def _similarity(a: str, b: str) -> float:
    x, y = _norm(a), _norm(b)
    if not x or not y:
        return 0.0
    if x == y:
        return 1.0
    return difflib.SequenceMatcher(None, x, y).ratio()


def _p31(entity: dict[str, Any] | None, profile: SiteProfile) -> list[str]:
    instance_of = profile.p("instance_of")
    if not entity or not instance_of:
        return []
    out = []
    for claim in entity.get("claims", {}).get(instance_of, []):
        value = claim.get("mainsnak", {}).get("datavalue", {}).get("value")
        if isinstance(value, dict) and value.get("id"):
            out.append(value["id"])
    return out


def _label(entity: dict[str, Any] | None, languages: tuple[str, ...]) -> str:
    labels = (entity or {}).get("labels", {})
    for lang in (*languages, "en", "mul"):
        if lang in labels:
            return str(labels[lang]["value"])
    return ""


def _expected(kind: str, profile: SiteProfile) -> set[str] | None:
    key = kind.removeprefix("source:")
    if kind.startswith("source:") and key not in EXPECTED_CLASSES:
        key = "work"
    names = EXPECTED_CLASSES.get(key)
    if names is None:
        return None
    return {qid for name in names if (qid := profile.q(name))}


def _identifier_queries(entry: Entry, profile: SiteProfile) -> list[tuple[str, str, str]]:
    """(property, value as Wikidata stores it, reason) for each usable identifier."""
    found: list[tuple[str, str, str]] = []  # (symbolic property, value, what it is)
    isbn = entry.ids.get("ISBN")
    if isbn and identifiers.isbn_valid(isbn):
        if thirteen := identifiers.isbn13(isbn):
            found.append(("isbn13", identifiers.hyphenate_isbn(thirteen) or thirteen,
                          f"ISBN-13 {thirteen}"))
        if ten := identifiers.isbn10(isbn):
            found.append(("isbn10", identifiers.hyphenate_isbn(ten) or ten, f"ISBN-10 {ten}"))
    if doi := identifiers.normalize_doi(entry.ids.get("DOI") or ""):
        found.append(("doi", doi, f"DOI {doi}"))
    if issn := identifiers.normalize_issn(entry.ids.get("ISSN") or ""):
        found.append(("issn", issn, f"ISSN {issn}"))
    return [(pid, value, f"{what} ({pid})") for name, value, what in found
            if (pid := profile.p(name))]


class Reconciler:
    """Finds and scores candidates for entries through one WikibaseReader."""

    def __init__(self, settings: ReconcileSettings, reader: Any | None = None) -> None:
        from toolkit.wiki.wikibase import WikibaseReader, WikibaseSettings

        self.settings = settings
        self.reader = reader or WikibaseReader(WikibaseSettings(
            api_url=settings.api_url, cache_dir=settings.cache_dir, offline=settings.offline,
            contact=settings.contact))
        self.cache = _SearchCache(settings.cache_dir, settings.api_url)
        self.unanswered = 0  # offline queries with no cached answer

    def _cached(self, key: list[Any], ask: Callable[[], Any]) -> Any:
        answer = self.cache.get(key)
        if answer is not None:
            return answer
        if self.settings.offline:
            self.unanswered += 1
            return None
        answer = ask()
        self.cache.put(key, answer)
        return answer

    def candidates(self, entry: Entry) -> list[dict[str, Any]]:
        """Scored candidates for one entry, best first (at most ``limit``)."""
        found: dict[str, dict[str, Any]] = {}

        def add(qid: str, score: float, reason: str) -> None:
            cand = found.setdefault(qid, {"qid": qid, "score": 0.0, "reasons": []})
            cand["score"] = max(cand["score"], score)
            if reason not in cand["reasons"]:
                cand["reasons"].append(reason)

        for pid, value, reason in _identifier_queries(entry, self.settings.profile):
            hits = self._cached(["statement", pid, value],
                                partial(self.reader.find_by_statement, pid, value))
            for qid in hits or []:
                # One item holding the identifier is near-certain; several mean duplicates.
                add(qid, 0.95 if len(hits) == 1 else 0.8, f"{reason} matches")

        label_hits: dict[str, tuple[float, str]] = {}
        for lang in self.settings.languages:
            for name in entry.names.get(lang, [])[:2]:
                hits = self._cached(["search", name, lang],
                                    partial(self.reader.search_entities, name, lang, limit=7))
                for hit in hits or []:
                    matched = (hit.get("match") or {}).get("text") or hit.get("label") or ""
                    sim = _similarity(name, matched)
                    if sim > label_hits.get(hit["id"], (0.0, ""))[0]:
                        how = "label" if (hit.get("match") or {}).get("type") == "label" \
                            else (hit.get("match") or {}).get("type", "label")
                        label_hits[hit["id"]] = (sim, f"{how} match ({lang}): «{matched}»"
                                                 f"{'' if sim == 1.0 else f' ~{sim:.2f}'}")

        ids = sorted(set(found) | set(label_hits))
        entities = self.reader.get_entities(ids) if ids else {}
        expected = _expected(entry.kind, self.settings.profile)
        for qid in ids:
            entity = entities.get(qid)
            types = _p31(entity, self.settings.profile)
            if expected is None or entity is None:
                type_score, type_reason = 0.15, ("type not checked (entity not available "
                                                 "offline)" if entity is None
                                                 else f"no type check for kind {entry.kind}")
            elif set(types) & expected:
                type_score, type_reason = 0.35, f"P31 {sorted(set(types) & expected)[0]} fits"
            elif not types:
                type_score, type_reason = 0.1, "no P31 on the item"
            else:
                type_score, type_reason = -0.3, f"P31 {', '.join(types[:3])} not expected"
            if qid in label_hits:
                sim, reason = label_hits[qid]
                add(qid, max(0.0, 0.6 * sim + type_score), reason)
            if qid in found:
                cand = found[qid]
                if type_score < 0:
                    cand["score"] = max(0.0, cand["score"] - 0.3)
            found[qid]["reasons"].append(type_reason)
            label = _label(entity, self.settings.languages)
            if label:
                found[qid]["label"] = label
        ranked = sorted(found.values(), key=lambda c: (-c["score"], c["qid"]))
        out = []
        for cand in ranked:
            cand["score"] = round(min(cand["score"], 0.99), 2)  # never certainty
            if cand["score"] >= MIN_SCORE:
                out.append(cand)
        return out[: self.settings.limit]


# --------------------------------------------------------------------------- YAML editing


def _entries(docs: dict[str, Any]) -> list[Entry]:
    entries: list[Entry] = []
    for i, ent in enumerate(docs["entities"].get("entities") or []):
        ids = {k: str(v) for k, v in (ent.get("identifiers") or {}).items()
               if k in ("ISBN", "ISSN", "DOI")}
        entries.append(Entry("entities", i, ent["id"], ent.get("kind", ""),
                             ent.get("names") or {}, ids, ent.get("alignment") or {}))
    for i, src in enumerate(docs["sources"].get("sources") or []):
        csl = src.get("csl") or {}
        title = str(csl.get("title", ""))
        lang = "ar" if re.search(r"[\u0600-\u06ff]", title) else "en"
        ids = {k: str(csl[k]) for k in ("ISBN", "ISSN", "DOI") if csl.get(k)}
        entries.append(Entry("sources", i, src["id"], f"source:{csl.get('type', '')}",
                             {lang: [title]} if title else {}, ids,
                             src.get("alignment") or {}))
    return entries


def _alignment_node(text: str, list_key: str,
                    index: int) -> tuple[yaml.Node, yaml.Node, yaml.Node]:
    """(entry, ``alignment`` key, its value) nodes of entry ``index`` of ``list_key``."""
    root = yaml.compose(text)
    assert isinstance(root, yaml.MappingNode)
    seq = next(v for k, v in root.value if k.value == list_key)
    item = seq.value[index]
    for key, value in item.value:
        if key.value == "alignment":
            return item, key, value
    raise KeyError(f"{list_key}[{index}] has no alignment")


def _alignment_span(text: str, key: yaml.Node) -> tuple[int, int, int]:
    """(first line, end line exclusive, indent) of the block-style alignment at ``key``."""
    return block_span(text, key)


def _render_alignment(alignment: dict[str, Any], indent: int) -> list[str]:
    rest = {k: v for k, v in alignment.items() if k != "candidates"}
    body = yaml.safe_dump({"alignment": rest}, allow_unicode=True, sort_keys=False,
                          width=4096, default_flow_style=False).splitlines()
    if alignment.get("candidates"):
        # One candidate per line, as in the mapping format's documentation.
        body.append("  candidates:")
        for cand in alignment["candidates"]:
            flow = yaml.safe_dump(cand, allow_unicode=True, sort_keys=False, width=4096,
                                  default_flow_style=True).strip()
            body.append(f"    - {flow}")
    return [" " * indent + line + "\n" for line in body]


def _replace_alignment(text: str, list_key: str, index: int, alignment: dict[str, Any]) -> str:
    item, key, value = _alignment_node(text, list_key, index)
    if getattr(item, "flow_style", False) or getattr(value, "flow_style", False):
        # Flow style (``alignment: {status: unaligned}``, or the whole entry in braces):
        # line-based replacement would cut through the other keys on the line.
        inline = yaml.safe_dump(alignment, allow_unicode=True, sort_keys=False, width=1 << 20,
                                default_flow_style=True).strip()
        return text[:value.start_mark.index] + inline + text[value.end_mark.index:]
    start, end, indent = _alignment_span(text, key)
    return replace_lines(text, start, end, _render_alignment(alignment, indent))


def reconcile_mapping(folder: str | os.PathLike[str], settings: ReconcileSettings,
                      progress: Callable[[int, int, str], None] | None = None,
                      reader: Any | None = None) -> str:
    """Write candidates into the mapping's unaligned entries; return a one-line summary."""
    from toolkit.mapping.load import load_mapping, write_validated

    root = Path(folder)
    load_mapping(root)  # refuse to edit an invalid mapping
    texts = {name: (root / f"{name}.yaml").read_text(encoding="utf-8")
             for name in ("entities", "sources")}
    docs = {name: yaml.safe_load(text) for name, text in texts.items()}
    todo = [e for e in _entries(docs)
            if e.alignment.get("status") in ("unaligned", "candidate")]
    reconciler = Reconciler(settings, reader)
    # A QID may align one entry only (the validator's qid-reuse rule): a chapter found by
    # its book's ISBN, or two similar names, must not both take the same item.
    owners = {e.alignment["qid"]: e.id for e in _entries(docs) if e.alignment.get("qid")}
    changed = blocked = 0
    for n, entry in enumerate(todo, 1):
        if progress:
            progress(n, len(todo), entry.id)
        cands = reconciler.candidates(entry)
        if not cands:
            continue
        for cand in cands:
            owner = owners.get(cand["qid"])
            if owner is not None and owner != entry.id:
                cand["reasons"].append(f"already the QID of {owner!r}")
        free = [c for c in cands if owners.get(c["qid"], entry.id) == entry.id]
        alignment: dict[str, Any]
        if free:
            alignment = {"status": "candidate", "qid": free[0]["qid"]}
            owners = {q: o for q, o in owners.items() if o != entry.id}
            owners[free[0]["qid"]] = entry.id
        elif entry.alignment.get("status") == "candidate":
            alignment = {"status": "candidate", "qid": entry.alignment["qid"]}
            blocked += 1
        else:
            alignment = {"status": "unaligned"}
            blocked += 1
        if entry.alignment.get("evidence"):
            alignment["evidence"] = entry.alignment["evidence"]
        alignment["candidates"] = cands
        texts[entry.file] = _replace_alignment(texts[entry.file], entry.file, entry.index,
                                               alignment)
        changed += 1
    if changed:
        write_validated(root, texts)
    summary = (f"{root}: {changed} of {len(todo)} unaligned entries now have candidates "
               f"(status candidate; confirm each by hand)")
    if blocked:
        summary += (f"; {blocked} kept their status because every candidate is already "
                    "another entry's QID")
    if reconciler.unanswered:
        summary += f"; {reconciler.unanswered} queries not in the cache (offline)"
    return summary

