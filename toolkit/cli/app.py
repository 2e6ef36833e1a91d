"""The typer application object that every command module registers on."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="toolkit",
    help=(
        "Align a Wikipedia article's organizations and sources with Wikidata, publish "
        "schema.org JSON-LD, and propose Wikidata edits for review (dry run by default)."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
