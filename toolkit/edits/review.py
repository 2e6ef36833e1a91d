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

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from toolkit.edits.decisions import (
    ALL_CLEAN,
    carry_decisions,
    counts,
    decide,
    default_reviewer,
    findings_by_severity,
    group_name,
    iter_operations,
    op_state,
    utc_now,
)
from toolkit.edits.wire import OperationDoc, ProposalDoc
from toolkit.errors import ReviewError

# decide, carry_decisions, ALL_CLEAN … live in decisions (the decision store takes them too);
# they stay importable from here, where the review command has always offered them.
__all__ = ["ALL_CLEAN", "ReviewOptions", "ReviewResult", "carry_decisions", "decide",
           "default_reviewer", "describe_operation", "interactive", "review_file", "summarize",
           "utc_now"]

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
    """Load a proposal, carry/record decisions, save it atomically and write the reports.

    The file is changed under the proposal's lock (:mod:`toolkit.edits.decision_store`),
    so a review app deciding at the same moment loses nothing, nor does this run. An
    interactive walk is not done under the lock (it waits for a person): its decisions are
    merged into the file as it is at the end, for operations whose hash did not change.
    """
    from toolkit.edits import proposal as proposal_io
    from toolkit.edits.decision_store import locked_update

    old = proposal_io.load_proposal(options.previous) if options.previous else None
    result = ReviewResult(proposal=cast(ProposalDoc, {}))  # set by change() under the lock

    def change(doc: ProposalDoc) -> bool:
        result.proposal = doc
        if old is not None:
            result.carried = carry_decisions(old, doc)
        result.changed = decide(doc, approve=options.approve, reject=options.reject,
                                reviewer=options.reviewer, comment=options.comment)
        return bool(result.changed or result.carried)

    doc = locked_update(path, change)
    result.saved = bool(result.changed or result.carried)
    if ask is not None and say is not None:
        walked_doc = doc
        walked = interactive(walked_doc, ask, say, reviewer=options.reviewer,
                             comment=options.comment)
        if walked:
            doc = locked_update(path,
                                lambda fresh: _merge_reviews(walked_doc, fresh, walked) > 0)
            result.changed += walked
            result.saved = True
    result.proposal = doc
    if options.html or options.markdown:
        from toolkit.edits import report

        if options.html:
            result.outputs["html"] = report.write_html(doc, options.html)
        if options.markdown:
            result.outputs["markdown"] = report.write_markdown(doc, options.markdown)
    result.summary = summarize(doc)
    return result


def _merge_reviews(source: ProposalDoc, target: ProposalDoc, op_ids: list[str]) -> int:
    """Copy the reviews of ``op_ids`` from ``source`` into ``target`` where the hash is the
    same in both; return how many were copied."""
    wanted = {op["id"]: op for _, op in iter_operations(source) if op["id"] in set(op_ids)}
    copied = 0
    for _, op in iter_operations(target):
        mine = wanted.get(op["id"])
        if mine is not None and mine.get("hash") == op.get("hash"):
            op["review"] = mine["review"].copy()
            copied += 1
    return copied
