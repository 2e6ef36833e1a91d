"""The decision store: one decision at a time, written to the proposal file without lost updates.

Whoever changes decisions in a proposal file (the review app, ``toolkit review --approve``)
does it inside :func:`locked_update`: an exclusive ``fcntl.flock`` on a sibling lock file
(``.NAME.lock``; the proposal itself is replaced by an atomic rename on every save, so it
cannot carry the lock), then a fresh read, the change, an atomic write, and the unlock.
Two browser tabs and a CLI run deciding at the same moment are thus serialised, and each
works on the file as the previous one left it.

:func:`record_decision` is the compare-and-swap on top: the client says which operation
hash it saw; when the operation in the file has another hash now (the proposal was
regenerated), the decision is refused with :class:`StaleDecision` rather than applied to
content nobody looked at. The decision itself goes through :func:`toolkit.edits.review.decide`
(same hash binding, reviewer, time and comment as the CLI; CRITICAL approvals refused).
"""

from __future__ import annotations

import fcntl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from toolkit.edits.decisions import counts, decide, iter_operations, op_state, utc_now
from toolkit.edits.wire import GroupDoc, OperationDoc, ProposalDoc, ReviewDoc
from toolkit.errors import ReviewError

ACTIONS = ("approve", "reject", "comment")


class StaleDecision(ReviewError):
    """The operation changed since the reviewer saw it (its hash differs)."""


class UnknownOperation(ReviewError):
    """No operation with that id in the proposal."""


@dataclass(frozen=True)
class Decision:
    """One reviewer's decision on one operation, as the review app receives it."""

    op_id: str
    action: str  # approve, reject or comment (comment keeps the state as it is)
    seen_hash: str  # the operation hash the reviewer was shown
    reviewer: str
    comment: str = ""


def lock_path(path: str | Path) -> Path:
    """The sibling lock file of a proposal (kept: removing it would race with a waiter)."""
    target = Path(path)
    return target.with_name(f".{target.name}.lock")


@contextmanager
def proposal_lock(path: str | Path) -> Iterator[None]:
    """Hold the exclusive lock of a proposal file (blocks until it is free)."""
    lock = lock_path(path)
    with open(lock, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def locked_update(path: str | Path,
                  change: Callable[[ProposalDoc], bool]) -> ProposalDoc:
    """Under the lock: read the proposal, let ``change`` edit it, save it if it says so."""
    from toolkit.edits import proposal as proposal_io

    with proposal_lock(path):
        doc = proposal_io.load_proposal(path)
        if change(doc):
            proposal_io.save_proposal(path, doc)
        return doc


def find_operation(proposal: ProposalDoc, op_id: str) -> tuple[GroupDoc, OperationDoc]:
    """The (group, operation) with id ``op_id``, or :class:`UnknownOperation`."""
    for group, op in iter_operations(proposal):
        if op.get("id") == op_id:
            return group, op
    raise UnknownOperation(f"no operation {op_id!r} in this proposal")


def record_comment(op: OperationDoc, reviewer: str, comment: str, now: str) -> bool:
    """Set the comment of an operation, keeping its state; return whether it changed.

    A pending operation gets a pending review carrying the comment; a decided one keeps
    its state and is recorded again in the commenter's name (who said what stays true).
    """
    state = op_state(op)
    review = cast(ReviewDoc, {"state": state, "reviewer": reviewer, "time": now,
                              "hash": op.get("hash")})
    if comment:
        review["comment"] = comment
    old = op.get("review") or {}
    if all(old.get(k) == review.get(k) for k in ("state", "hash", "comment")):
        return False
    op["review"] = review
    return True


def record_decision(path: str | Path, decision: Decision,
                    now: str | None = None) -> dict[str, Any]:
    """Apply one decision to the proposal file safely; return the operation and the counts.

    Raises :class:`UnknownOperation`, :class:`StaleDecision` (hash changed) or
    :class:`ReviewError` (e.g. approving an operation with a CRITICAL finding); in each
    case the file is left as it was.
    """
    if decision.action not in ACTIONS:
        raise ReviewError(f"unknown action {decision.action!r} (one of {', '.join(ACTIONS)})")
    when = now or utc_now()
    found: dict[str, Any] = {}

    def change(doc: ProposalDoc) -> bool:
        _, op = find_operation(doc, decision.op_id)
        if op.get("hash") != decision.seen_hash:
            raise StaleDecision(f"operation {decision.op_id} changed since it was shown "
                                "(the proposal was regenerated): reload the page")
        if decision.action == "comment":
            changed = record_comment(op, decision.reviewer, decision.comment, when)
        else:
            chosen = [decision.op_id]
            changed = bool(decide(doc, approve=chosen if decision.action == "approve" else (),
                                  reject=chosen if decision.action == "reject" else (),
                                  reviewer=decision.reviewer, comment=decision.comment,
                                  now=when))
        found["op"] = op
        return changed

    doc = locked_update(path, change)
    return {"op": found["op"], "counts": counts(doc)}
