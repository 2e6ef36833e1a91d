"""Commands: ``jsonld`` (publish schema.org JSON-LD) and ``check-jsonld`` (validate it)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from toolkit.cli.app import app


@app.command()
def jsonld(
    folder: Path = typer.Argument(..., help="Mapping folder."),
    base_url: str = typer.Option(None, "--base-url", help="URL of the page that will embed the "
                                 "graph; node ids are this URL + '#fragment' (default: the "
                                 "article's Wikipedia URL)."),
    fmt: str = typer.Option("compact", "--format", help="compact (default), expanded, nquads "
                            "(canonical, URDNA2015) or html (a ready <script> element)."),
    output: Path = typer.Option(None, "-o", "--output", help="Write here (atomically) instead "
                                "of standard output."),
    online: bool = typer.Option(False, "--online", help="Expand with the real schema.org "
                                "context, fetched once and cached (default: the embedded "
                                "context, no network)."),
) -> None:
    """Write the mapping's schema.org JSON-LD: page, article, organizations, cited works."""
    from toolkit.publish.graph import JsonldSettings, publish

    text = publish(folder, JsonldSettings(format=fmt, base_url=base_url, online=online), output)
    if output is None:
        sys.stdout.write(text)
    else:
        typer.echo(f"wrote {output}", err=True)


@app.command("check-jsonld")
def check_jsonld(
    file: Path = typer.Argument(..., help="A JSON-LD file, or an HTML page with "
                                "<script type=\"application/ld+json\"> blocks."),
    vocab: Path = typer.Option(None, "--vocab", help="A schema.org release directory with "
                               "schemaorg-current-https-types.csv and -properties.csv "
                               "(default: download them once from schema.org and cache)."),
    profile: bool | None = typer.Option(None, "--profile/--no-profile", help="Check the toolkit's "
                                 "output profile too (default: only on documents that look "
                                 "like `toolkit jsonld` output)."),
) -> None:
    """Validate JSON-LD: JSON, relative IRIs, schema.org terms and domains, toolkit profile.

    Prints each problem with its JSON pointer; exit 0 when clean, 1 when not.
    """
    from toolkit.publish.check import check_file

    report = check_file(file, vocab, profile)
    typer.echo(f"{file}: ok ({report.documents} JSON-LD document(s), {report.profiled} "
               "checked against the toolkit profile too)")
