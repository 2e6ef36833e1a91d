"""Decisions on a proposal's operations: taking them, and what they count for.

A decision counts only for the hash it was made on, so a re-proposed operation that
changed is pending again. Read by review (taking decisions), report (showing them),
quickstatements and apply (sending only what was approved).
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from typing import cast

from toolkit.edits.qa import SEVERITIES, blocking
from toolkit.edits.wire import GroupDoc, OperationDoc, ProposalDoc, ReviewDoc, ReviewState
from toolkit.errors import ReviewError

ALL_CLEAN = "all-clean"


def op_state(op: OperationDoc) -> ReviewState:
    """The effective state of an operation: a decision counts only for the hash it was made on."""
    review = op.get("review")
    if review and review.get("state") in ("approved", "rejected") and \
            review.get("hash") == op.get("hash"):
        return review["state"]
    return "pending"


def is_approved(op: OperationDoc) -> bool:
    """True when the operation is approved for its current hash."""
    return op_state(op) == "approved"


def iter_operations(proposal: ProposalDoc) -> Iterator[tuple[GroupDoc, OperationDoc]]:
    """Every (group, operation) pair in proposal order."""
    for group in proposal.get("entities", []):
        for op in group.get("operations", []):
            yield group, op


def counts(proposal: ProposalDoc) -> dict[str, int]:
    """Operations by effective state."""
    out = {"approved": 0, "rejected": 0, "pending": 0}
    for _, op in iter_operations(proposal):
        out[op_state(op)] += 1
    return out


def findings_by_severity(proposal: ProposalDoc) -> dict[str, int]:
    """How many findings of each severity, the most severe first."""
    out = dict.fromkeys(reversed(SEVERITIES), 0)  # the most severe first
    for group in proposal.get("entities", []):
        for finding in group.get("findings", []):
            sev = str(finding.get("severity", "INFO"))
            out[sev] = out.get(sev, 0) + 1
    return out


def group_name(group: GroupDoc) -> str:
    """How a group is named to people: its QID, or its placeholder for a new item."""
    return str(group.get("id") or group.get("placeholder") or group.get("key"))


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
