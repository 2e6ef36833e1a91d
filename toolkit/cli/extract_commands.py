"""Commands: ``extract citations``, ``extract organizations``, ``init``, ``reconcile``.

Drafting a mapping from an article (see toolkit/citations/ and toolkit/extract/:
organizations.py, bootstrap.py and reconcile.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from toolkit.cli.app import app

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
    file: Path = typer.Argument(..., help="Article text (UTF-8)."),
    output: Path = typer.Option(..., "-o", "--output", help="Mapping folder to create, e.g. "
                                "mappings/NAME/."),
    title: str | None = typer.Option(None, "--title", help="Exact article title (default: "
                                     "the output folder's name, flagged in article.yaml for "
                                     "you to correct; the URL is built from it)."),
    language: str = typer.Option("ar", "--language", help="BCP 47 code of the article."),
    wiki: str | None = typer.Option(None, "--wiki", help="Site id, e.g. arwiki (default: "
                                    "LANGUAGE + wiki)."),
    url: str | None = typer.Option(None, "--url", help="Article URL (default: built from "
                                   "the title)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing mapping."),
) -> None:
    """Draft a mapping folder from an article; every alignment starts unaligned."""
    from toolkit.extract.bootstrap import InitSettings, init_mapping

    folder = init_mapping(file, output, InitSettings(title=title, language=language,
                                                     wiki=wiki, url=url, force=force))
    typer.echo(f"wrote {folder} (validated); next: toolkit reconcile {folder}")
    if not title:
        typer.echo(f"note: no --title given; the title is a guess from the folder name: "
                   f"correct it in {folder / 'article.yaml'}", err=True)


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
    from typing import Any

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
