"""Commands: ``validate`` and ``show`` a mapping folder."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from toolkit.cli.app import app


@app.command()
def validate(
    folder: Path = typer.Argument(..., help="Mapping folder (article.yaml, entities.yaml, "
                                  "sources.yaml)."),
) -> None:
    """Check a mapping folder: schema, identifiers, references, surface forms, evidence.

    Prints every problem as PATH:LINE:COL: message [rule]; exit 0 when valid, 1 when not.
    """
    from toolkit.mapping.load import load_mapping

    mapping = load_mapping(folder)
    typer.echo(f"{folder}: valid ({len(mapping.entities)} entities, {len(mapping.sources)} "
               f"sources, {sum(len(s.citations) for s in mapping.sources)} citations)")


@app.command()
def show(
    folder: Path = typer.Argument(..., help="Mapping folder."),
    as_json: bool = typer.Option(False, "--json", help="Print the loaded model as JSON "
                                 "(stable format toolkit-mapping/1, described by "
                                 "schemas/mapping-model.schema.json)."),
) -> None:
    """Show the loaded mapping: a summary, or the whole model with --json."""
    from toolkit.mapping.load import load_mapping

    mapping = load_mapping(folder)
    if as_json:
        typer.echo(json.dumps(mapping.to_json(), ensure_ascii=False, indent=2))
        return
    art = mapping.article
    typer.echo(f"{art.title} ({art.language}, {art.wiki}) — topic: {art.topic}")
    for ent in mapping.entities:
        typer.echo(f"  {ent.kind:<12} {ent.id:<40} {ent.status:<10} {ent.qid or '-'}")
    for src in mapping.sources:
        typer.echo(f"  {'source':<12} {src.id:<40} {src.status:<10} {src.qid or '-'}"
                   f"  ({len(src.citations)} citations)")
