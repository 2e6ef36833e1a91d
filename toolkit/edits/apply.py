"""Apply: send the approved operations of a proposal to a Wikibase, one edit per entity.

Planning is separate from doing: :mod:`toolkit.edits.apply_plan` turns the approved
operations into the exact ``wbeditentity`` calls (a dry run prints them and sends nothing);
:mod:`toolkit.edits.apply_live` re-checks each item, writes and logs
(:mod:`toolkit.edits.apply_log`) so an interrupted run resumes without duplicates;
:mod:`toolkit.edits.pywikibot_session` is the only module that imports pywikibot (lazily,
so other commands start fast). This module is the command, :func:`apply_proposal`, and
keeps the names of those modules importable from one place.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from toolkit.edits.apply_live import ApplyResult, WikiSession, recheck, run_live
from toolkit.edits.apply_log import append_log, default_log_path, read_log
from toolkit.edits.apply_plan import (
    MAXLAG,
    ApplyPlan,
    ApplySettings,
    PlannedEdit,
    describe_plan,
    format_call,
    plan_apply,
    substitute_placeholders,
)
from toolkit.edits.pywikibot_session import (
    PASSWORD_ENV,
    USER_ENV,
    PywikibotSession,
    family_for,
)
from toolkit.errors import UsageError
from toolkit.wiki.site import WIKIDATA_API

__all__ = ["MAXLAG", "PASSWORD_ENV", "USER_ENV", "ApplyPlan", "ApplyResult", "ApplySettings",
           "PlannedEdit", "PywikibotSession", "WikiSession", "append_log", "apply_proposal",
           "describe_plan", "family_for", "format_call", "plan_apply", "read_log", "recheck",
           "run_live", "substitute_placeholders"]


def apply_proposal(path: str | Path, settings: ApplySettings,
                   say: Callable[[str], None] = print,
                   session: WikiSession | None = None) -> ApplyResult:
    """``toolkit apply``: print the plan (dry run) or run it live; return what happened."""
    from toolkit.edits.proposal import load_proposal

    proposal = load_proposal(path)
    proposed_on = proposal.get("run", {}).get("site", {}).get("api_url")
    if settings.api_url and proposed_on and settings.api_url != proposed_on:
        # the proposal's QIDs, revisions and current state belong to its own wiki
        raise UsageError(f"{path} was proposed against {proposed_on}, not {settings.api_url}; "
                         "propose again with --api-url for that wiki")
    log_path = settings.log_path or default_log_path(path)
    records = read_log(log_path)
    if not settings.live:
        plan = plan_apply(proposal, records)
        say(describe_plan(plan))
        return ApplyResult(plan=plan, log_path=log_path)
    api_url = settings.api_url or proposal.get("run", {}).get("site", {}).get("api_url") \
        or WIKIDATA_API
    own = session is None
    live = session if session is not None else PywikibotSession(api_url, settings)
    try:
        result = run_live(proposal, live, log_path, say, settings.conflict_retries,
                          api_url=api_url)
    finally:
        if own and isinstance(live, PywikibotSession):
            live.close()
    say(f"batch {result.plan.batch_id}: {len(result.written)} write(s), "
        f"{len(result.already_present)} operation(s) already present; log: {log_path}")
    return result
