"""Commands: review, apply, undo and run (see toolkit/edits/ and toolkit/pipeline.py)."""

from __future__ import annotations

from pathlib import Path

import typer

from toolkit.cli.app import app


@app.command()
def review(
    proposal: Path = typer.Argument(..., help="Proposal JSON from `toolkit propose`."),
    html: Path = typer.Option(None, "--html", help="Write a self-contained HTML review page."),
    markdown: Path = typer.Option(None, "--markdown",
                                  help="Write a Markdown report (wiki talk page, PR)."),
    approve: list[str] = typer.Option(None, "--approve", help="Approve an operation id "
                                      "(op-...), an entity (QID, key or NEW-...) or "
                                      "'all-clean' (groups without findings). Repeatable."),
    reject: list[str] = typer.Option(None, "--reject", help="Reject (same ids as --approve)."),
    reviewer: str = typer.Option(None, "--reviewer",
                                 help="Name recorded with decisions (default: login name)."),
    comment: str = typer.Option("", "--comment", help="Comment recorded with decisions."),
    interactive: bool = typer.Option(False, "--interactive",
                                     help="Walk the groups: approve / reject / skip / quit."),
    previous: Path = typer.Option(None, "--previous", help="An older proposal whose decisions "
                                  "carry over to unchanged operations."),
    serve: bool = typer.Option(False, "--serve", help="Review in the browser: a local app on "
                               "127.0.0.1 that saves each decision to the file at once."),
    port: int = typer.Option(0, "--port", min=0, max=65535,
                             help="Port of the --serve app (default: a free one)."),
    no_browser: bool = typer.Option(False, "--no-browser", help="With --serve: print the "
                                    "URL, do not open a browser."),
) -> None:
    """Summarise a proposal, record decisions (atomically) and write review reports; or,
    with --serve, review it edit by edit in the browser."""
    from toolkit.edits.review import ReviewOptions, review_file

    if serve:
        from toolkit.errors import UsageError

        if approve or reject or interactive or previous or html or markdown:
            raise UsageError("--serve records decisions in the browser: use it without "
                             "--approve, --reject, --interactive, --previous, --html, "
                             "--markdown")
        from toolkit.edits.review_app import ReviewAppSettings, serve_review

        serve_review(proposal, ReviewAppSettings(port=port, reviewer=reviewer,
                                                 open_browser=not no_browser),
                     say=typer.echo)
        return
    if port or no_browser:
        from toolkit.errors import UsageError

        raise UsageError("--port and --no-browser go with --serve")

    options = ReviewOptions(approve=list(approve or []), reject=list(reject or []),
                            reviewer=reviewer, comment=comment, html=html, markdown=markdown,
                            previous=previous)
    result = review_file(proposal, options, ask=input if interactive else None,
                         say=typer.echo if interactive else None)
    typer.echo(result.summary)
    if result.carried:
        typer.echo(f"{result.carried} decision(s) carried over from {previous}")
    if result.saved:
        typer.echo(f"{len(result.changed)} decision(s) recorded in {proposal}")
    for kind, path in result.outputs.items():
        typer.echo(f"wrote {kind}: {path}")


@app.command("apply")
def apply_command(
    proposal: Path = typer.Argument(..., help="Reviewed proposal JSON."),
    live: bool = typer.Option(False, "--live", help="Really write (default: dry run that "
                              "prints the API calls and sends nothing)."),
    log: Path = typer.Option(None, "--log", help="Apply log (JSONL; default: "
                             "<proposal>.apply.jsonl). A rerun resumes from it."),
    api_url: str = typer.Option(None, "--api-url", help="Action API of the target Wikibase "
                                "(must be the wiki the proposal was made against)."),
    throttle: float = typer.Option(10.0, "--throttle", help="Seconds between writes."),
) -> None:
    """Apply the approved operations, one edit per entity. A dry run unless --live: it
    prints the exact API calls and sends nothing. Live credentials: TOOLKIT_BOT_USER
    (User@botname) and TOOLKIT_BOT_PASSWORD, or your pywikibot configuration via
    PYWIKIBOT_DIR."""
    from toolkit.edits.apply import ApplySettings, apply_proposal

    apply_proposal(proposal, ApplySettings(live=live, log_path=log, api_url=api_url,
                                           throttle=throttle), say=typer.echo)


@app.command()
def undo(
    log: Path = typer.Argument(..., help="Apply log written by `toolkit apply --live`."),
    live: bool = typer.Option(False, "--live", help="Really revert (default: dry run)."),
    api_url: str = typer.Option(None, "--api-url", help="Action API of the Wikibase "
                                "(default: the wiki the log names)."),
    throttle: float = typer.Option(10.0, "--throttle", help="Seconds between writes."),
) -> None:
    """Revert what a batch added, where nobody edited the entity since; created items are
    listed for a deletion request, never deleted."""
    from toolkit.edits.apply import ApplySettings
    from toolkit.edits.undo import undo_log

    undo_log(log, ApplySettings(live=live, api_url=api_url, throttle=throttle), say=typer.echo)


@app.command()
def run(
    mapping_dir: Path = typer.Argument(..., help="Mapping folder."),
    output_dir: Path = typer.Option(None, "-o", "--output-dir",
                                    help="Output folder (default: out/<mapping name>/)."),
    offline: bool = typer.Option(False, "--offline", help="Ask the wiki nothing."),
    api_url: str = typer.Option(None, "--api-url", help="Action API of another Wikibase."),
    cache: Path = typer.Option(None, "--cache", help="Entity cache folder (default: none)."),
    site_profile: Path = typer.Option(None, "--site-profile", help="JSON/YAML site profile "
                                      "with this Wikibase's property and class ids."),
    contact: str = typer.Option("", "--contact", envvar="TOOLKIT_CONTACT",
                                help="E-mail or URL for the wiki's operators, sent in the "
                                "User-Agent."),
) -> None:
    """Validate, JSON-LD, proposal, review reports and QuickStatements in one go."""
    from toolkit.pipeline import RunSettings, run_pipeline

    result = run_pipeline(mapping_dir, RunSettings(output_dir=output_dir, offline=offline,
                                                   api_url=api_url, cache_dir=cache,
                                                   site_profile=site_profile,
                                                   contact=contact),
                          progress=lambda m: typer.echo(m, err=True))
    typer.echo(result.summary())
