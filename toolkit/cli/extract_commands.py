"""Commands: ``extract citations``, ``extract organizations``, ``init``, ``reconcile``.

Drafting a mapping from an article (see toolkit/citations/ and toolkit/extract/:
organizations.py, bootstrap.py and reconcile.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from toolkit.cli.app import app

if TYPE_CHECKING:
    from toolkit.wiki.pages import PageSettings

extract_app = typer.Typer(
    help="Extract citations or organization names from an article text.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
    rich_markup_mode=None)
app.add_typer(extract_app, name="extract")


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text, nl=False)
        return
    from toolkit.files import write_atomic

    write_atomic(output, text)
    typer.echo(f"wrote {output}", err=True)


@extract_app.command("citations")
def extract_citations(
    file: Path = typer.Argument(..., help="Article text, reference list, wikitext, or one "
                                "reference per line (UTF-8)."),
    fmt: str = typer.Option("csl-json", "--format", help="csl-json (items with their "
                            "source lines under _citations) or mapping (sources.yaml)."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write here "
                                       "(atomically) instead of stdout."),
) -> None:
    """Parse the references in FILE into CSL-JSON, one item per work, with every citation."""
    from toolkit.extract.bootstrap import export_citations

    _emit(export_citations(file, fmt), output)


@extract_app.command("organizations")
def extract_organizations(
    file: Path = typer.Argument(..., help="Article text (UTF-8)."),
    mapping: Path | None = typer.Option(None, "--mapping", help="Mapping folder: report "
                                        "mentions of its entities and leave them out of "
                                        "the candidates."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write JSON here."),
) -> None:
    """Mentions of known entities (surface form, offsets) and new organization candidates."""
    from toolkit.extract.organizations import organizations_report

    report = organizations_report(file, mapping)
    _emit(json.dumps(report, ensure_ascii=False, indent=2) + "\n", output)


@app.command("init")
def init(
    file: Path | None = typer.Argument(None, help="Article text (UTF-8). Leave out to read "
                                       "the page from the wiki (--wiki or --wiki-api, "
                                       "with --title)."),
    output: Path = typer.Option(..., "-o", "--output", help="Mapping folder to create, e.g. "
                                "mappings/NAME/."),
    title: str | None = typer.Option(None, "--title", help="Exact article title (default: "
                                     "the output folder's name, flagged in article.yaml for "
                                     "you to correct; the URL is built from it). From a "
                                     "wiki: the page to read."),
    language: str | None = typer.Option(None, "--language", help="BCP 47 code of the "
                                        "article (default: ar; from a wiki: the --wiki "
                                        "code, else the wiki's own language)."),
    wiki: str | None = typer.Option(None, "--wiki", help="With FILE: the site id, e.g. arwiki "
                                    "(default: LANGUAGE + wiki). Without FILE: the Wikipedia "
                                    "to read, by language code (ar → ar.wikipedia.org)."),
    url: str | None = typer.Option(None, "--url", help="Article URL (default: built from "
                                   "the title)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing mapping."),
    wiki_api: str | None = typer.Option(None, "--wiki-api", help="Action API URL of any "
                                        "MediaWiki (instead of --wiki), e.g. "
                                        "http://127.0.0.1:8080/api.php."),
    offline: bool = typer.Option(False, "--offline", help="Send no request: replay the "
                                 "page an earlier run saved in the cache."),
    cache: Path | None = typer.Option(None, "--cache", help="Cache folder for API answers "
                                      "(default: ~/.cache/wikidata-publishing-toolkit/pages)."),
    contact: str = typer.Option("", "--contact", help="E-mail or URL for the wiki's "
                                "operators, sent in the User-Agent."),
    wiki_item: str | None = typer.Option(None, "--wiki-item", help="The wiki's own item, "
                                         "for P143 (known: arwiki, enwiki)."),
    retries: int = typer.Option(5, "--retries", help="Retries on maxlag, 5xx, timeouts."),
) -> None:
    """Draft a mapping folder from an article; every alignment starts unaligned."""
    if file is None:
        _init_from_wiki(output, title, language, wiki, wiki_api, force, offline, cache,
                        contact, wiki_item, retries)
        return
    from toolkit.errors import UsageError
    from toolkit.extract.bootstrap import InitSettings, init_mapping

    if wiki_api or offline or cache or wiki_item:
        raise UsageError("--wiki-api, --offline, --cache and --wiki-item read a page from a "
                         "wiki: leave out FILE")
    folder = init_mapping(file, output, InitSettings(title=title, language=language or "ar",
                                                     wiki=wiki, url=url, force=force))
    typer.echo(f"wrote {folder} (validated); next: toolkit reconcile {folder}")
    if not title:
        typer.echo(f"note: no --title given; the title is a guess from the folder name: "
                   f"correct it in {folder / 'article.yaml'}", err=True)


def _page_settings(api: str, language: str | None, offline: bool, cache: Path | None,
                   contact: str, retries: int) -> PageSettings:
    from toolkit.publish.loader import user_cache_dir
    from toolkit.wiki.pages import PageSettings

    return PageSettings(api_url=api, language=language, offline=offline,
                        cache_dir=cache or user_cache_dir(), contact=contact,
                        max_retries=retries)


def _init_from_wiki(output: Path, title: str | None, language: str | None, wiki: str | None,
                    wiki_api: str | None, force: bool, offline: bool, cache: Path | None,
                    contact: str, wiki_item: str | None, retries: int) -> None:
    from toolkit.errors import UsageError
    from toolkit.extract.from_wiki import WikiInitSettings, init_from_wiki
    from toolkit.wiki.pages import api_url_for

    if not title or not (wiki or wiki_api):
        raise UsageError("give an article FILE, or --title with --wiki CODE or --wiki-api URL")
    api = wiki_api or api_url_for(wiki or "")
    if language is None and wiki and not wiki_api:
        language = wiki.removesuffix("wiki")
    page_settings = _page_settings(api, language, offline, cache, contact, retries)
    draft = init_from_wiki(output, WikiInitSettings(title=title, page=page_settings,
                                                    wiki_item=wiki_item, force=force))
    for note in draft.page.notes:
        typer.echo(f"note: {note}", err=True)
    for problem in draft.unresolved:
        typer.echo(f"note: {problem}", err=True)
    typer.echo(f"wrote {draft.folder} (validated): {draft.works} works from revision "
               f"{draft.page.revid} of {draft.page.title!r}; next: toolkit reconcile "
               f"{draft.folder}")


@app.command("reconcile")
def reconcile(
    folder: Path = typer.Argument(..., help="Mapping folder."),
    offline: bool = typer.Option(False, "--offline", help="Send no request: replay the "
                                 "answers an earlier run saved in the cache."),
    api_url: str = typer.Option("https://www.wikidata.org/w/api.php", "--api-url",
                                help="Wikibase API endpoint."),
    cache: Path | None = typer.Option(None, "--cache", help="Cache folder for API answers "
                                      "(default: ~/.cache/wikidata-publishing-toolkit/"
                                      "reconcile, or under $XDG_CACHE_HOME)."),
    limit: int = typer.Option(5, "--limit", help="Candidates kept per entry."),
    contact: str = typer.Option("", "--contact", help="E-mail or URL for the wiki's "
                                "operators, sent in the User-Agent."),
    site_profile: Path | None = typer.Option(None, "--site-profile", help="JSON/YAML site "
                                             "profile with this Wikibase's property and "
                                             "class ids (default: Wikidata's)."),
) -> None:
    """Find candidate items for unaligned entries; written as status candidate, never confirmed."""
    import contextlib
    import sys

    from toolkit.extract.reconcile import ReconcileSettings, reconcile_mapping
    from toolkit.publish.loader import user_cache_dir
    from toolkit.wiki.site import WIKIDATA, load_site_profile

    # A default cache, so that an online run can be replayed with --offline.
    cache = cache or user_cache_dir() / "reconcile"

    with contextlib.ExitStack() as stack:
        bars: list[Any] = []

        def progress(done: int, total: int, entry_id: str) -> None:
            # Opened at the first entry, so a mapping that fails validation prints only
            # its problems.
            if not bars:
                bars.append(stack.enter_context(typer.progressbar(
                    length=total, label="reconciling", file=sys.stderr, show_pos=True,
                    item_show_func=lambda x: x)))
            bars[0].update(1, entry_id)

        summary = reconcile_mapping(folder, ReconcileSettings(
            api_url=api_url, cache_dir=cache, offline=offline, limit=limit,
            contact=contact,
            profile=load_site_profile(site_profile) if site_profile else WIKIDATA),
            progress=progress)
    typer.echo(summary)


@app.command("refresh")
def refresh(
    folder: Path = typer.Argument(..., help="Mapping folder drafted from a wiki (toolkit "
                                  "init --wiki)."),
    write: bool = typer.Option(False, "--write", help="Update the files (sources.yaml in "
                               "place, keeping comments and alignments; the new revision "
                               "in article.yaml). Without it only the changes are shown."),
    offline: bool = typer.Option(False, "--offline", help="Send no request: replay the "
                                 "page an earlier run saved in the cache."),
    wiki_api: str | None = typer.Option(None, "--wiki-api", help="Action API URL (default: "
                                        "'api' in article.yaml)."),
    cache: Path | None = typer.Option(None, "--cache", help="Cache folder for API answers."),
    contact: str = typer.Option("", "--contact", help="E-mail or URL for the wiki's "
                                "operators, sent in the User-Agent."),
    retries: int = typer.Option(5, "--retries", help="Retries on maxlag, 5xx, timeouts."),
    revision: int | None = typer.Option(None, "--revision", help="Only record this revision "
                                        "id (the oldid of the article's permanent link) in "
                                        "article.yaml, e.g. for a mapping drafted from a "
                                        "copied text; checked online, as given with "
                                        "--offline."),
) -> None:
    """Read the page again: new, removed and changed citations since the recorded revision."""
    from toolkit.extract.refresh import RefreshSettings, record_revision, refresh_mapping

    settings = RefreshSettings(page=_page_settings(wiki_api or "", None, offline, cache,
                                                   contact, retries), write=write)
    if revision is not None:
        typer.echo(record_revision(folder, revision, settings))
        return
    typer.echo(str(refresh_mapping(folder, settings)))
