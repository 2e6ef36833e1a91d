"""Decision state of a proposal's operations: what a reviewer's decision counts for.

A decision counts only for the hash it was made on, so a re-proposed operation that
changed is pending again. Read by review (taking decisions), report (showing them),
quickstatements and apply (sending only what was approved).
"""

from __future__ import annotations

from collections.abc import Iterator

from toolkit.edits.qa import SEVERITIES
from toolkit.edits.wire import GroupDoc, OperationDoc, ProposalDoc


def op_state(op: OperationDoc) -> str:
    """The effective state of an operation: a decision counts only for the hash it was made on."""
    review = op.get("review") or {}
    state = review.get("state", "pending")
    if state in ("approved", "rejected") and review.get("hash") == op.get("hash"):
        return str(state)
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
