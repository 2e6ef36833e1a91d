"""Commands: propose (dry-run edit proposal) and export quickstatements."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from toolkit.cli.app import app

export_app = typer.Typer(name="export", help="Export a proposal for other tools.",
                         no_args_is_help=True)
app.add_typer(export_app, name="export")


@app.command()
def propose(
    mapping_dir: Path = typer.Argument(..., help="Mapping folder (article/entities/sources)."),
    output: Path = typer.Option(None, "-o", "--output",
                                help="Write the proposal here (default: standard output)."),
    offline: bool = typer.Option(False, "--offline",
                                 help="Ask the wiki nothing; use only the cache."),
    api_url: str = typer.Option(None, "--api-url", help="Action API of another Wikibase."),
    cache: Path = typer.Option(None, "--cache", help="Entity cache folder (default: none)."),
    site_profile: Path = typer.Option(None, "--site-profile",
                                      help="JSON/YAML site profile (property and class ids)."),
    user_agent: str = typer.Option("", "--user-agent", help="A whole User-Agent of your own "
                                   "(default: the toolkit's, with --contact)."),
    contact: str = typer.Option("", "--contact", envvar="TOOLKIT_CONTACT",
                                help="E-mail or URL for the wiki's operators, sent in the "
                                "User-Agent (or set TOOLKIT_CONTACT)."),
) -> None:
    """Propose edits for a mapping (dry run: no account, nothing written to the wiki)."""
    from toolkit.edits.proposal import (
        ProposeOptions,
        proposal_counts,
        proposal_json,
        propose_mapping,
        save_proposal,
    )

    proposal = propose_mapping(mapping_dir, ProposeOptions(
        offline=offline, api_url=api_url, cache_dir=cache, site_profile=site_profile,
        user_agent=user_agent, contact=contact))
    counts = proposal_counts(proposal)
    line = (f"{counts['entities']} entities, {counts['edits']} edits "
            f"({counts['creations']} new items), {counts['operations']} operations, "
            f"{counts['conflicts']} conflicts, {counts['critical']} critical findings, "
            f"{counts['not_checked']} not checked against the wiki")
    if output is None:
        sys.stdout.write(proposal_json(proposal))
        print(line, file=sys.stderr)
    else:
        save_proposal(output, proposal)
        print(f"{output}: {line}")


@export_app.command("quickstatements")
def export_quickstatements(
    proposal_file: Path = typer.Argument(..., help="Proposal JSON from `toolkit propose`."),
    approved_only: bool = typer.Option(False, "--approved-only",
                                       help="Only operations approved for their hash."),
    as_csv: bool = typer.Option(False, "--csv", help="QuickStatements CSV instead of V1."),
    output: Path = typer.Option(None, "-o", "--output",
                                help="Write here (default: standard output)."),
) -> None:
    """Export a proposal as QuickStatements V1 commands (or CSV)."""
    from toolkit.edits.proposal import load_proposal
    from toolkit.edits.quickstatements import export_quickstatements as export
    from toolkit.files import write_atomic

    result = export(load_proposal(proposal_file), approved_only=approved_only, as_csv=as_csv)
    if output is None:
        sys.stdout.write(result.text)
    else:
        write_atomic(output, result.text)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    print(f"{result.commands} command(s) exported, {len(result.problems)} not exportable",
          file=sys.stderr)
