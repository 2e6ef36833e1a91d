"""``toolkit refresh``: read the page again, say what changed since the recorded revision.

The mapping's ``article.yaml`` names the page (``title``), the wiki (``api``) and the
revision it was drafted from. The page's current revision is drafted afresh
(:func:`toolkit.extract.from_wiki.draft_from_page`) and compared with ``sources.yaml``
entry by entry, matched by citation key (first author's family name and title, then the
entry id): citations *new* in the page, *removed* from it, and *changed* (a field the
templates now give differently, or a different number of citations).

Nothing is written unless ``write`` is set. Then ``sources.yaml`` is edited in place
(:mod:`toolkit.mapping.yaml_edit`): changed fields are replaced where they stand, new
entries are appended, removed ones are taken out (the report lists them), every entry's
``citations`` block is renewed (line numbers move with any edit); comments, alignments,
evidence and everything the templates do not give stay as they were. ``article.yaml``
gets the new ``revision``, ``permalink`` and ``retrieved``, and ``article.wikitext`` /
``article.txt`` the new text; the folder is validated before anything replaces it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from toolkit.errors import InputError, Problem, UsageError
from toolkit.extract.bootstrap import dump_block
from toolkit.extract.from_wiki import (
    PLAIN_FILE,
    WIKITEXT_FILE,
    WikiInitSettings,
    draft_from_page,
    retrieved_date,
)
from toolkit.mapping import yaml_edit
from toolkit.wiki.pages import Page, PageReader, PageSettings, prose


@dataclass(frozen=True)
class RefreshSettings:
    """How to read the page again (``api_url`` empty: the one article.yaml names)."""

    page: PageSettings
    write: bool = False


@dataclass
class Change:
    """One source that differs between the mapping and the page."""

    kind: str  # new | removed | changed
    id: str
    title: str
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # key: (old, new)

    def __str__(self) -> str:
        mark = {"new": "+", "removed": "-", "changed": "~"}[self.kind]
        head = f"{mark} {self.kind} {self.id}: {self.title}"
        details = [f"    {key}: {_short(old)} → {_short(new)}"
                   for key, (old, new) in self.fields.items()]
        return "\n".join([head, *details])


@dataclass
class RefreshReport:
    """What ``refresh`` found (and, with ``write``, did)."""

    folder: Path
    old_revision: int | None
    page: Page
    changes: list[Change]
    written: bool = False

    def __str__(self) -> str:
        lines = [f"{self.folder}: revision {self.old_revision or 'unknown'} → "
                 f"{self.page.revid} of {self.page.title!r}"]
        lines += [f"note: {n}" for n in self.page.notes]
        if self.page.redirected_from:
            lines.append(f"note: the page moved: title {self.page.redirected_from!r} → "
                         f"{self.page.title!r} (article.yaml follows with --write)")
        lines += [str(c) for c in self.changes] or ["no citation changed"]
        counts = {k: sum(1 for c in self.changes if c.kind == k)
                  for k in ("new", "removed", "changed")}
        summary = ", ".join(f"{n} {k}" for k, n in counts.items())
        lines.append(f"{summary}; " + ("written" if self.written else
                                       "nothing written (add --write to update the files)"))
        return "\n".join(lines)


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else yaml_edit.inline(value)
    return text if len(text) <= 80 else text[:77] + "…"


def _key(csl: dict[str, Any]) -> str:
    names = csl.get("author") or csl.get("editor") or []
    first = names[0] if names else {}
    who = re.sub(r"[\W_]+", "", str(first.get("family") or first.get("literal") or "")
                 .casefold())
    title = re.sub(r"[\W_]+", "", str(csl.get("title", "")).casefold())
    return f"{who}|{title}" if title else ""


def _api_of(article: dict[str, Any]) -> str:
    if article.get("api"):
        return str(article["api"])
    url = str(article.get("url", ""))
    if "/wiki/" in url:
        return url.split("/wiki/")[0] + "/w/api.php"
    raise UsageError("article.yaml has no 'api' and its url is not a /wiki/ URL: pass "
                     "--wiki-api")


def _match(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[tuple[int | None,
                                                                             int | None]]:
    """Pairs (old index, new index), None on the side where a source has no partner."""
    pairs: list[tuple[int | None, int | None]] = []
    taken: set[int] = set()
    old_by_key = {_key(s.get("csl") or {}): i for i, s in enumerate(old)}
    old_by_id = {s.get("id"): i for i, s in enumerate(old)}
    for j, entry in enumerate(new):
        i = old_by_key.get(_key(entry["csl"]))
        if i is None or i in taken:
            i = old_by_id.get(entry["id"])
        if i is not None and i not in taken:
            taken.add(i)
            pairs.append((i, j))
        else:
            pairs.append((None, j))
    pairs += [(i, None) for i in range(len(old)) if i not in taken]
    return pairs


def _compare(old: list[dict[str, Any]], new: list[dict[str, Any]],
             pairs: list[tuple[int | None, int | None]]) -> list[Change]:
    changes = []
    for i, j in pairs:
        if i is None:
            assert j is not None
            entry = new[j]
            changes.append(Change("new", entry["id"], str(entry["csl"].get("title", ""))))
            continue
        if j is None:
            entry = old[i]
            changes.append(Change("removed", entry["id"],
                                  str((entry.get("csl") or {}).get("title", ""))))
            continue
        before, after = old[i].get("csl") or {}, new[j]["csl"]
        fields = {k: (before.get(k), v) for k, v in after.items()
                  if str(before.get(k)) != str(v)}
        n_old, n_new = len(old[i].get("citations") or []), len(new[j]["citations"])
        if n_old != n_new:
            fields["citations"] = (n_old, n_new)
        if fields:
            changes.append(Change("changed", old[i]["id"], str(after.get("title", "")),
                                  fields))
    return changes


def refresh_mapping(folder: str | os.PathLike[str], settings: RefreshSettings,
                    reader: PageReader | None = None) -> RefreshReport:
    """Compare the mapping with the page's current revision; update it only with ``write``."""
    from toolkit.mapping.load import load_mapping

    root = Path(folder)
    load_mapping(root)  # refuse to compare against (or edit) an invalid mapping
    texts = {name: (root / f"{name}.yaml").read_text(encoding="utf-8")
             for name in ("article", "entities", "sources")}
    article = yaml.safe_load(texts["article"])
    page_settings = settings.page
    if not page_settings.api_url:
        from dataclasses import replace
        page_settings = replace(page_settings, api_url=_api_of(article))
    page = (reader or PageReader(page_settings)).fetch_page(str(article["title"]))
    docs = draft_from_page(page, WikiInitSettings(title=page.title, page=page_settings))
    old = yaml.safe_load(texts["sources"]).get("sources") or []
    new = docs["sources"]["sources"]
    pairs = _match(old, new)
    report = RefreshReport(root, article.get("revision"), page, _compare(old, new, pairs))
    if settings.write:
        _write(root, texts, article, page, old, new, pairs)
        report.written = True
    return report


def _write(root: Path, texts: dict[str, str], article: dict[str, Any], page: Page,
           old: list[dict[str, Any]], new: list[dict[str, Any]],
           pairs: list[tuple[int | None, int | None]]) -> None:
    from toolkit.mapping.load import write_validated

    if str(article.get("text")) != WIKITEXT_FILE:
        raise InputError(Problem(str(root / "article.yaml"), 0, 0,
                                 f"text is {article.get('text')!r}, not {WIKITEXT_FILE!r}: "
                                 "refresh --write updates only mappings drafted from the "
                                 "wiki (toolkit init --wiki)", "refresh"))
    entity_ids = {e["id"] for e in yaml.safe_load(texts["entities"]).get("entities") or []}
    sources = texts["sources"]
    # Bottom-up, so the positions of the entries not yet edited stay right.
    for i, j in sorted((p for p in pairs if p[0] is not None), key=lambda p: -(p[0] or 0)):
        assert i is not None
        if j is None:
            seq = yaml_edit.sequence(sources, "sources")
            start, end = yaml_edit.item_span(sources, seq, i)
            sources = yaml_edit.replace_lines(sources, start, end, [])
        else:
            sources = _update_entry(sources, i, old[i], new[j])
    appended: list[str] = []
    for i, j in pairs:
        if i is None and j is not None:
            appended += _new_entry(new[j], entity_ids)
    if appended:
        sources = sources.rstrip("\n") + "\n" + "".join(appended)
    article_text = _update_article(texts["article"], page)
    write_validated(root, {"article": article_text, "sources": sources},
                    others={WIKITEXT_FILE: page.wikitext, PLAIN_FILE: prose(page.wikitext)
                            + "\n"})


def _update_entry(text: str, index: int, old: dict[str, Any], new: dict[str, Any]) -> str:
    """One entry with the page's fields and citations; everything else as it was."""
    item = yaml_edit.sequence(text, "sources").value[index]
    found = yaml_edit.child(item, "citations")
    if found is not None and old.get("citations") != new["citations"]:
        start, end, indent = yaml_edit.block_span(text, found[0])
        text = yaml_edit.replace_lines(text, start, end,
                                       dump_block({"citations": new["citations"]}, indent))
    item = yaml_edit.sequence(text, "sources").value[index]
    csl_found = yaml_edit.child(item, "csl")
    if csl_found is None:
        return text
    before = old.get("csl") or {}
    changed = [k for k, v in new["csl"].items() if str(before.get(k)) != str(v)]
    for key in reversed(changed):  # later keys first: earlier positions stay right
        item = yaml_edit.sequence(text, "sources").value[index]
        csl_node = yaml_edit.child(item, "csl")
        assert csl_node is not None
        here = yaml_edit.child(csl_node[1], key)
        value = new["csl"][key]
        if here is None:  # a field the page now gives: after the last csl line
            _, end, _ = yaml_edit.block_span(text, csl_node[0])
            indent = csl_node[1].value[0][0].start_mark.column if csl_node[1].value else 4
            text = yaml_edit.replace_lines(text, end, end, dump_block({key: value}, indent))
        elif isinstance(here[1], yaml.ScalarNode) or getattr(here[1], "flow_style", False):
            text = yaml_edit.replace_scalar(text, here[1], value)
        else:
            start, end, indent = yaml_edit.block_span(text, here[0])
            text = yaml_edit.replace_lines(text, start, end, dump_block({key: value}, indent))
    return text


def _new_entry(entry: dict[str, Any], entity_ids: set[str]) -> list[str]:
    """A new source's lines, linked only to entities the mapping already has."""
    entry = dict(entry)
    links = {k: v for k, v in (entry.get("links") or {}).items()
             if all(x in entity_ids for x in (v if isinstance(v, list) else [v]))}
    dropped = sorted(set(entry.get("links") or {}) - set(links))
    if links:
        entry["links"] = links
    else:
        entry.pop("links", None)
    if dropped:
        note = f"added by toolkit refresh; no entity yet for: {', '.join(dropped)}"
        entry["notes"] = f"{entry['notes']}; {note}" if entry.get("notes") else note
        ordered: dict[str, Any] = {k: entry[k] for k in ("id", "csl", "links", "notes")
                                   if k in entry}
        ordered.update({k: v for k, v in entry.items() if k not in ordered})
        entry = ordered
    lines = dump_block({"sources": [entry]})
    return lines[1:]  # without the "sources:" line


def _update_article(text: str, page: Page) -> str:
    """article.yaml with the new revision, permalink and retrieved date, in place; after
    a page move (the old title now redirects) the new title and URL too."""
    old_title = yaml.safe_load(text).get("title")
    if page.redirected_from and old_title != page.title:
        text = _set_top_level(text, "title", page.title)
        if page.url:
            text = _set_top_level(text, "url", page.url)
    for key, value, after in (("revision", page.revid, "url"),
                              ("permalink", page.permalink, "revision"),
                              ("retrieved", retrieved_date(page), "license")):
        text = _set_top_level(text, key, value, after)
    return text


def record_revision(folder: str | os.PathLike[str], revid: int, settings: RefreshSettings,
                    reader: PageReader | None = None) -> str:
    """Set ``revision: REVID`` in article.yaml (any mapping, e.g. one drafted from a copy).

    Online, the revision must belong to the article's page (one ``revids`` query); offline
    it is recorded as given, and the message says it was not checked. The permalink (P4656
    in every reference) is derived from ``url`` and the revision unless article.yaml sets
    one, which is then rewritten for the new revision.
    """
    from toolkit.mapping.load import load_mapping, write_validated

    if revid < 1:
        raise UsageError(f"--revision must be a positive revision id, got {revid}")
    root = Path(folder)
    load_mapping(root)
    text = (root / "article.yaml").read_text(encoding="utf-8")
    article = yaml.safe_load(text)
    checked = "not checked against the wiki (offline)"
    if not settings.page.offline:
        page_settings = settings.page
        if not page_settings.api_url:
            from dataclasses import replace
            page_settings = replace(page_settings, api_url=_api_of(article))
        owner = (reader or PageReader(page_settings)).revision_title(revid)
        if owner != article["title"]:
            raise InputError(Problem(str(root / "article.yaml"), 0, 0,
                                     f"revision {revid} belongs to {owner!r}, not to "
                                     f"{article['title']!r}", "revision"))
        checked = f"checked: a revision of {owner!r} at {page_settings.api_url}"
    text = _set_top_level(text, "revision", revid, after="url")
    if yaml_edit.top_level(text, "permalink") is not None:
        base = str(article["url"]).split("/wiki/")[0]
        text = _set_top_level(text, "permalink", f"{base}/w/index.php?oldid={revid}")
    if settings.write:
        write_validated(root, {"article": text})
    permalink = load_permalink(text, article)
    action = "recorded" if settings.write else "would record (add --write)"
    return f"{root}: {action} revision {revid}, permalink {permalink}; {checked}"


def load_permalink(text: str, article: dict[str, Any]) -> str:
    """The permalink an article.yaml text gives (as toolkit.mapping.load derives it)."""
    data = yaml.safe_load(text)
    if data.get("permalink"):
        return str(data["permalink"])
    return f"{str(article['url']).split('/wiki/')[0]}/w/index.php?oldid={data['revision']}"


def _set_top_level(text: str, key: str, value: Any, after: str = "topic") -> str:
    """``key: value`` replaced in place, or inserted on the line after ``after``."""
    found = yaml_edit.top_level(text, key)
    if found is not None:
        return yaml_edit.replace_scalar(text, found[1], value)
    anchor = yaml_edit.top_level(text, after)
    line = anchor[1].end_mark.line + (0 if anchor[1].end_mark.column == 0 else 1) \
        if anchor else len(text.splitlines())
    return yaml_edit.replace_lines(text, line, line, dump_block({key: value}))
