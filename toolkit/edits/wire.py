"""The proposal's JSON shapes, as types: what ``schemas/proposal.schema.json`` describes.

These are :class:`~typing.TypedDict` types, so a proposal stays the plain JSON it is on
disk and on the wire (nothing is converted on reading or writing; the schema and the
golden files are the contract), while mypy checks the keys each stage reads and writes.
Entity JSON from the wiki (``current``), claims and snaks stay ``dict[str, Any]``: they
are Wikibase's shapes, passed through as read.

Nothing here imports any other toolkit module, so every stage can use these types.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict, cast

OpKind = Literal["create_item", "add_claim", "add_reference", "add_label",
                 "add_description", "add_alias"]
Severity = Literal["INFO", "WARNING", "IMPORTANT", "CRITICAL"]
ReviewState = Literal["pending", "approved", "rejected"]


class RationaleDoc(TypedDict):
    """Why an operation or group exists: the mapping file and line, the citation, a reason."""

    mapping_file: str
    line: int
    citation: str
    reason: str


def no_rationale() -> RationaleDoc:
    """An empty rationale, ``{}``: what a group read from a file without one carries."""
    return cast(RationaleDoc, {})


class _ReviewRequired(TypedDict):
    state: ReviewState


class ReviewDoc(_ReviewRequired, total=False):
    """A reviewer's decision on one operation; it counts only for ``hash`` (the op's hash)."""

    reviewer: str
    comment: str
    time: str
    hash: str


class _OperationRequired(TypedDict):
    id: str
    hash: str
    kind: OpKind
    data: dict[str, Any]
    rationale: RationaleDoc
    review: ReviewDoc


class OperationDoc(_OperationRequired, total=False):
    """One proposed change: stable id, content hash, the exact wire ``data``, its review."""

    property: str
    language: str


class FindingDoc(TypedDict):
    """A QA finding; ``operation`` None means it is about the whole group."""

    severity: Severity
    code: str
    message: str
    operation: str | None


class ConflictDoc(TypedDict):
    """A value the mapping wants where the item holds another (reported, not edited)."""

    property: str
    existing: Any
    proposed: Any
    message: str


class _EditRequired(TypedDict):
    action: str
    summary: str
    data: dict[str, Any]


class EditDoc(_EditRequired, total=False):
    """The ``wbeditentity`` request (``id`` or ``new``; ``data`` still a dict)."""

    id: str
    new: str
    baserevid: int


class _GroupRequired(TypedDict):
    key: str
    id: str | None
    placeholder: str | None
    label: str
    base_revision: int | None
    checked: bool
    current: dict[str, Any] | None
    operations: list[OperationDoc]
    findings: list[FindingDoc]
    notes: list[str]
    conflicts: list[ConflictDoc]
    edit: EditDoc | None


class GroupDoc(_GroupRequired, total=False):
    """All proposed changes to one entity (an item to complete or to create)."""

    summary: str
    rationale: RationaleDoc


class SiteDoc(TypedDict):
    """The wiki a proposal was made against."""

    name: str
    api_url: str
    entity_uri: str


class _RunRequired(TypedDict):
    toolkit_version: str
    created: str
    batch_id: str
    site: SiteDoc
    mapping: dict[str, str]
    offline: bool


class RunDoc(_RunRequired, total=False):
    """How and when a proposal was made; ``batch_id`` goes into every edit summary."""

    labels: dict[str, str]


class _ProposalRequired(TypedDict):
    format: str
    run: RunDoc
    entities: list[GroupDoc]


class ProposalDoc(_ProposalRequired, total=False):
    """A whole proposal file (format ``toolkit-proposal/1``)."""

    notes: list[str]
