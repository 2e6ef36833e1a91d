"""Draft a mapping from the wiki itself: ``toolkit init --wiki``, and ``toolkit refresh``.

``init`` reads the page's current revision (:mod:`toolkit.wiki.pages`), extracts the works
from its templates and refs (:mod:`toolkit.citations.refs`) and drafts the folder as
:mod:`toolkit.extract.bootstrap` does from a text file, with the revision recorded:
``article.yaml`` gets ``revision``, ``permalink``, ``api`` and ``retrieved``, so that every
reference the proposal builds carries P143 + P4656 (the permalink) + P813. The wikitext is
kept next to the mapping as ``article.wikitext`` (the text the mapping's checks read: the
citation lines are its lines) with the plain text as ``article.txt``.

``refresh`` (:func:`refresh_mapping`) reads the page again and reports what changed since
the recorded revision; only with ``write`` does it update the files
(:mod:`toolkit.extract.refresh`, editing in place: comments and alignments stay).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.citations.refs import WikitextCitations, citations_from_wikitext
from toolkit.errors import UsageError
from toolkit.extract.bootstrap import MIN_CONFIDENCE, InitSettings, draft_mapping, dump_yaml
from toolkit.wiki.pages import Page, PageReader, PageSettings, prose

WIKITEXT_FILE = "article.wikitext"
PLAIN_FILE = "article.txt"
# The items of the Wikipedias themselves (for P143 "imported from Wikimedia project").
# arwiki's is the seed mapping's; any other wiki: pass --wiki-item.
WIKI_ITEMS = {"arwiki": "Q199700", "enwiki": "Q328"}
_ARTICLE_ORDER = ("title", "language", "wiki", "wiki_item", "url", "revision", "permalink",
                  "api", "license", "retrieved", "topic", "text", "notes")


@dataclass(frozen=True)
class WikiInitSettings:
    """What ``toolkit init --wiki`` needs: the page, how to read it, and the folder rules."""

    title: str
    page: PageSettings
    wiki_item: str | None = None
    force: bool = False
    min_confidence: float = MIN_CONFIDENCE


@dataclass
class WikiDraft:
    """A drafted folder: the page it came from and what could not be placed."""

    folder: Path
    page: Page
    works: int
    unresolved: list[str] = field(default_factory=list)


def retrieved_date(page: Page, today: dt.date | None = None) -> str:
    """The day the page was read (the API's ``curtimestamp``, else today, UTC)."""
    if len(page.read_at) >= 10 and page.read_at[4] == "-":
        return page.read_at[:10]
    return (today or dt.datetime.now(dt.timezone.utc).date()).isoformat()


def draft_from_page(page: Page, settings: WikiInitSettings,
                    cites: WikitextCitations | None = None) -> dict[str, Any]:
    """The three documents of a draft mapping for this page (no files written)."""
    cites = cites or citations_from_wikitext(page.wikitext)
    language = settings.page.language or page.language or page.site_language
    site = page.site or f"{language.split('-')[0]}wiki"
    init = InitSettings(title=page.title, language=language, wiki=site, url=page.url,
                        force=settings.force, min_confidence=settings.min_confidence)
    docs = draft_mapping(page.wikitext, WIKITEXT_FILE, init, works=cites.works,
                         prose=prose(page.wikitext))
    article = docs["article"]
    article.update(revision=page.revid, permalink=page.permalink, api=page.api_url,
                   retrieved=retrieved_date(page))
    wiki_item = settings.wiki_item or WIKI_ITEMS.get(site)
    if wiki_item:
        article["wiki_item"] = wiki_item
    notes = [f"Drafted by toolkit init from revision {page.revid} ({page.timestamp}) of "
             f"{page.title!r} read from {page.api_url}; {WIKITEXT_FILE} is its wikitext, "
             f"{PLAIN_FILE} its plain text."]
    notes += page.notes
    if not wiki_item:
        notes.append(f"wiki_item unknown for {site}: add the wiki's item (P143).")
    article["notes"] = " ".join(notes)
    docs["article"] = {k: article[k] for k in _ARTICLE_ORDER if k in article}
    return docs


def init_from_wiki(out_dir: str | os.PathLike[str], settings: WikiInitSettings,
                   reader: PageReader | None = None) -> WikiDraft:
    """Read the page and write a validated draft mapping folder; nothing on any error."""
    from toolkit.extract.bootstrap import _schema_dir
    from toolkit.mapping.load import FILES, write_validated

    target = Path(out_dir)
    existing = [n for n in FILES if (target / f"{n}.yaml").exists()]
    if existing and not settings.force:
        raise UsageError(f"{target} already holds a mapping ({', '.join(existing)}.yaml); "
                         "use --force to overwrite it")
    page = (reader or PageReader(settings.page)).fetch_page(settings.title)
    cites = citations_from_wikitext(page.wikitext)
    docs = draft_from_page(page, settings, cites)
    schema_dir = _schema_dir(target)
    texts = {name: dump_yaml(name, docs[name], schema_dir) for name in FILES}
    write_validated(target, texts, others={WIKITEXT_FILE: page.wikitext,
                                           PLAIN_FILE: prose(page.wikitext) + "\n"})
    return WikiDraft(target, page, len(cites.works), cites.unresolved)
