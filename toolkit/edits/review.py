"""Review: record maintainers' decisions on a proposal and summarise it for the terminal.

A decision lives in ``operation["review"]`` as ``{"state": "approved"|"rejected",
"reviewer", "comment", "time", "hash"}``. It is bound to the operation's content hash:
when the operation changes (``op["hash"]`` differs from ``review["hash"]``) the decision
no longer applies and the operation counts as pending again. :func:`carry_decisions`
moves decisions from an old proposal file to a regenerated one on exactly that rule;
``toolkit propose --previous OLD`` and ``toolkit review NEW --previous OLD`` use it.

An operation of a group that has a CRITICAL finding (for the whole group, or for that
operation) cannot be approved: :class:`~toolkit.errors.ReviewError`.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import cast

from toolkit.edits.decisions import (
    counts,
    findings_by_severity,
    group_name,
    iter_operations,
    op_state,
)
from toolkit.edits.qa import blocking
from toolkit.edits.wire import GroupDoc, OperationDoc, ProposalDoc, ReviewDoc, ReviewState
from toolkit.errors import ReviewError

ALL_CLEAN = "all-clean"


@dataclass
class ReviewOptions:
    """What ``toolkit review`` was asked to do."""

    approve: list[str] = field(default_factory=list)
    reject: list[str] = field(default_factory=list)
    reviewer: str | None = None
    comment: str = ""
    html: Path | None = None
    markdown: Path | None = None
    previous: Path | None = None


@dataclass
class ReviewResult:
    """What a review run changed and wrote."""

    proposal: ProposalDoc
    changed: list[str] = field(default_factory=list)
    carried: int = 0
    saved: bool = False
    outputs: dict[str, Path] = field(default_factory=dict)
    summary: str = ""


# -- taking decisions ---------------------------------------------------------------------


def _select(proposal: ProposalDoc, selector: str) -> list[tuple[GroupDoc, OperationDoc]]:
    """Operations a selector names: an operation id, an entity id/key/placeholder, all-clean."""
    if selector == ALL_CLEAN:
        return [(g, op) for g, op in iter_operations(proposal) if not g.get("findings")]
    picked = [(g, op) for g, op in iter_operations(proposal) if op.get("id") == selector]
    if picked:
        return picked
    for group in proposal.get("entities", []):
        if selector in (group.get("id"), group.get("key"), group.get("placeholder")):
            return [(group, op) for op in group.get("operations", [])]
    raise ReviewError(f"no operation or entity {selector!r} in this proposal "
                      f"(use an op-… id, a QID, an entity key or {ALL_CLEAN!r})")


def utc_now() -> str:
    """The current UTC time as ``YYYY-MM-DDTHH:MM:SSZ`` (decision times)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def default_reviewer() -> str:
    """The reviewer's name when none is given: TOOLKIT_REVIEWER, else the login name."""
    name = os.environ.get("TOOLKIT_REVIEWER")
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def decide(proposal: ProposalDoc, *, approve: Iterable[str] = (),
           reject: Iterable[str] = (), reviewer: str | None = None, comment: str = "",
           now: str | None = None) -> list[str]:
    """Record approvals and rejections in ``proposal`` (in place); return the changed op ids.

    All selectors are checked before anything changes: an unknown id, an operation both
    approved and rejected, or an approval blocked by a CRITICAL finding raises
    :class:`ReviewError` and leaves the proposal as it was.
    """
    to_approve: dict[str, tuple[GroupDoc, OperationDoc]] = {}
    to_reject: dict[str, tuple[GroupDoc, OperationDoc]] = {}
    for selector in approve:
        for group, op in _select(proposal, selector):
            to_approve[op["id"]] = (group, op)
    for selector in reject:
        for group, op in _select(proposal, selector):
            to_reject[op["id"]] = (group, op)
    both = sorted(set(to_approve) & set(to_reject))
    if both:
        raise ReviewError(f"operation(s) both approved and rejected: {', '.join(both)}")
    blocked = []
    for op_id, (group, _) in to_approve.items():
        for finding in blocking(group, op_id):
            blocked.append(f"{op_id} ({group_name(group)}): CRITICAL {finding.get('code', '')}: "
                           f"{finding.get('message', '')}")
    if blocked:
        raise ReviewError("cannot approve operations with a CRITICAL finding: "
                          + "; ".join(blocked))
    who = reviewer or default_reviewer()
    when = now or utc_now()
    changed = []
    choices: tuple[tuple[ReviewState, dict[str, tuple[GroupDoc, OperationDoc]]], ...] = (
        ("approved", to_approve), ("rejected", to_reject))
    for state, chosen in choices:
        for op_id, (_, op) in chosen.items():
            # .get: a hand-made proposal may lack the hash; the decision then never counts
            decision = cast(ReviewDoc, {"state": state, "reviewer": who, "time": when,
                                        "hash": op.get("hash")})
            if comment:
                decision["comment"] = comment
            if op.get("review") != decision:
                op["review"] = decision
                changed.append(op_id)
    return changed


def carry_decisions(old: ProposalDoc, new: ProposalDoc) -> int:
    """Copy decisions from ``old`` into ``new`` (in place) for operations that did not change.

    An operation keeps its decision when it has the same id and the same content hash in
    both proposals and the old decision was made on that hash; a changed operation stays
    pending, and so does an approval of an operation that now has a CRITICAL finding.
    Returns how many decisions were carried over.
    """
    decided: dict[str, ReviewDoc] = {}
    for _, op in iter_operations(old):
        if op_state(op) != "pending":
            decided[op["id"]] = op["review"]
    carried = 0
    for group, op in iter_operations(new):
        review = decided.get(op.get("id", ""))
        if review and review.get("state") == "approved" and blocking(group, op["id"]):
            continue  # a CRITICAL finding appeared since: the approval may not stand
        if review and review.get("hash") == op.get("hash") and op_state(op) == "pending":
            op["review"] = review.copy()
            carried += 1
    return carried


# -- terminal summary ---------------------------------------------------------------------


def describe_operation(op: OperationDoc, labels: dict[str, str] | None = None) -> str:
    """One line of text for an operation (its kind, property and value)."""
    from toolkit.edits.report import operation_text

    return operation_text(op, labels or {})


def summarize(proposal: ProposalDoc) -> str:
    """A terminal summary: one block per entity with operations, findings and review state."""
    from toolkit.edits.report import known_labels

    labels = known_labels(proposal)
    run = proposal.get("run", {})
    c = counts(proposal)
    total = sum(c.values())
    lines = [f"batch {run.get('batch_id', '?')} on {run.get('site', {}).get('name', '?')}: "
             f"{len(proposal.get('entities', []))} entities, {total} operations "
             f"({c['approved']} approved, {c['rejected']} rejected, {c['pending']} pending)"]
    lines += [f"note: {_one_line(str(note))}" for note in proposal.get("notes") or []]
    for group in proposal.get("entities", []):
        ops = group.get("operations", [])
        head = f"\n{group_name(group)}  {_one_line(group.get('label') or '')}  [{group.get('key')}]"
        if group.get("checked") is False:
            head += "  (not checked against the wiki)"
        lines.append(head)
        if not ops:
            lines.append("  no change")
        for op in ops:
            state = op_state(op)
            mark = {"approved": "+", "rejected": "x", "pending": "?"}[state]
            who = ""
            if state != "pending":
                who = f"  ({state} by {op['review'].get('reviewer', '?')})"
            lines.append(f"  {mark} {op.get('id')}  {_one_line(describe_operation(op, labels))}"
                         f"{who}")
        for finding in group.get("findings", []):
            target = f" [{finding['operation']}]" if finding.get("operation") else ""
            lines.append(f"  ! {finding.get('severity')} {finding.get('code')}: "
                         f"{_one_line(str(finding.get('message', '')))}{target}")
        for note in group.get("notes", []):
            lines.append(f"  note: {_one_line(str(note))}")
    sev = findings_by_severity(proposal)
    lines.append("\nfindings: " + ", ".join(f"{k} {v}" for k, v in sev.items()))
    return "\n".join(lines)


def _one_line(text: str) -> str:
    """Text safe for one terminal line: control characters (ANSI escapes too) made visible."""
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)


# -- interactive review -------------------------------------------------------------------


def interactive(proposal: ProposalDoc, ask: Callable[[str], str],
                say: Callable[[str], None], *, reviewer: str | None = None,
                comment: str = "") -> list[str]:
    """Walk the edit groups asking approve / reject / skip / quit; return the changed op ids."""
    from toolkit.edits.report import known_labels

    labels = known_labels(proposal)
    changed: list[str] = []
    for group in proposal.get("entities", []):
        ops = group.get("operations", [])
        if not ops:
            continue
        say(f"\n{group_name(group)}  {_one_line(group.get('label') or '')}")
        for op in ops:
            say(f"  [{op_state(op)}] {op.get('id')}  {_one_line(describe_operation(op, labels))}")
        for finding in group.get("findings", []):
            say(f"  ! {finding.get('severity')} {finding.get('code')}: "
                f"{_one_line(str(finding.get('message', '')))}")
        while True:
            try:
                answer = ask("approve / reject / skip / quit? [a/r/s/q] ").strip().lower()[:1]
            except EOFError:  # end of input: stop like 'quit', keeping what was decided
                answer = "q"
            if answer in ("a", "r", "s", "q"):
                break
            say("please answer a, r, s or q")
        if answer == "q":
            break
        if answer == "s":
            continue
        chosen = [group["key"]]
        try:
            changed += decide(proposal, approve=chosen if answer == "a" else (),
                              reject=chosen if answer == "r" else (), reviewer=reviewer,
                              comment=comment)
        except ReviewError as exc:
            say(f"  not recorded: {exc}")
    return changed


# -- the command --------------------------------------------------------------------------


def review_file(path: str | Path, options: ReviewOptions, *,
                ask: Callable[[str], str] | None = None,
                say: Callable[[str], None] | None = None) -> ReviewResult:
    """Load a proposal, carry/record decisions, save it atomically and write the reports."""
    from toolkit.edits import proposal as proposal_io

    doc = proposal_io.load_proposal(path)
    result = ReviewResult(proposal=doc)
    if options.previous:
        result.carried = carry_decisions(proposal_io.load_proposal(options.previous), doc)
    result.changed = decide(doc, approve=options.approve, reject=options.reject,
                            reviewer=options.reviewer, comment=options.comment)
    if ask is not None and say is not None:
        result.changed += interactive(doc, ask, say, reviewer=options.reviewer,
                                      comment=options.comment)
    if result.changed or result.carried:
        proposal_io.save_proposal(path, doc)
        result.saved = True
    if options.html or options.markdown:
        from toolkit.edits import report

        if options.html:
            result.outputs["html"] = report.write_html(doc, options.html)
        if options.markdown:
            result.outputs["markdown"] = report.write_markdown(doc, options.markdown)
    result.summary = summarize(doc)
    return result
