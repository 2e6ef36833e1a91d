"""Planning an apply run: the exact ``wbeditentity`` calls, and the dry-run report.

:func:`plan_apply` turns the approved, not yet applied operations of a proposal into one
write per entity (a pure function of the proposal and the apply log); a dry run prints
them with :func:`describe_plan` and sends nothing. Items to create come first; their
``NEW-...`` placeholders are replaced by the new ids in later edits.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.edits.apply_log import log_state, proposal_hashes
from toolkit.edits.wire import GroupDoc, OperationDoc, ProposalDoc

MAXLAG = 5


@dataclass
class ApplySettings:
    """How ``toolkit apply`` runs. Retry settings go to pywikibot's config."""

    live: bool = False
    log_path: Path | None = None
    api_url: str | None = None
    throttle: float = 10.0  # seconds between writes (pywikibot's put_throttle)
    conflict_retries: int = 2  # re-read and re-check this often after an edit conflict
    max_retries: int = 15
    retry_wait: float = 5.0
    retry_max: float = 120.0
    socket_timeout: float = 60.0
    pywikibot_dir: Path | None = None  # None: a fresh private directory, removed afterwards


@dataclass
class PlannedEdit:
    """One ``wbeditentity`` call as planned from the proposal (before any re-read)."""

    key: str
    entity: str | None
    placeholder: str | None
    operations: list[OperationDoc]
    params: dict[str, Any]

    @property
    def op_ids(self) -> list[str]:
        return [op["id"] for op in self.operations]


@dataclass
class ApplyPlan:
    """The writes a run would make, in order, and what it leaves out and why."""

    batch_id: str
    edits: list[PlannedEdit] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (op id, reason)
    done: list[str] = field(default_factory=list)  # op ids the log shows as finished
    api_url: str = ""  # the wiki written to; every log record names it (undo reads it)


def substitute_placeholders(data: Any, created: dict[str, str]) -> Any:
    """A copy of ``data`` with item values ``NEW-...`` replaced by the created ids."""
    if isinstance(data, dict):
        if data.get("entity-type") == "item" and data.get("id") in created:
            new_id = created[data["id"]]
            out = dict(data, id=new_id)
            out["numeric-id"] = int(new_id[1:])
            return out
        return {k: substitute_placeholders(v, created) for k, v in data.items()}
    if isinstance(data, list):
        return [substitute_placeholders(v, created) for v in data]
    return data


def edit_summary(group: GroupDoc, batch_id: str) -> str:
    """The group's summary from the proposal, always naming the batch."""
    summary = str(group.get("summary") or "toolkit: add data from a reviewed proposal")
    return summary if batch_id in summary else f"{summary} (batch {batch_id})"


def ordered_groups(groups: list[GroupDoc]) -> list[GroupDoc]:
    """Items to create first (those referring to other new items after them), then the rest."""
    from toolkit.edits.proposal import placeholder_refs

    creates = [g for g in groups if not g.get("id") and g.get("placeholder")]
    ordered: list[GroupDoc] = []
    placed: set[str | None] = set()
    pending = list(creates)
    while pending:
        progress = False
        for group in list(pending):
            needs = placeholder_refs(group) & {g["placeholder"] for g in creates}
            if needs <= placed:
                ordered.append(group)
                placed.add(group["placeholder"])
                pending.remove(group)
                progress = True
        if not progress:  # a cycle: keep proposal order; unresolved references are skipped
            ordered += pending
            break
    return ordered + [g for g in groups if g.get("id")]


def build_params(group: GroupDoc, operations: list[OperationDoc], batch_id: str,
                 created: dict[str, str], base_revision: int | None) -> dict[str, Any] | None:
    """The exact API parameters of one write (``data`` still a dict)."""
    from toolkit.edits.proposal import build_edit

    shaped: GroupDoc = {**group, "base_revision": base_revision}
    edit = build_edit(shaped, operations)
    if edit is None:
        return None
    params: dict[str, Any] = {"action": "wbeditentity"}
    if "new" in edit:
        params["new"] = edit["new"]
    else:
        params["id"] = edit["id"]
        if base_revision:
            params["baserevid"] = base_revision
    params.update(summary=edit_summary(group, batch_id), bot=1, maxlag=MAXLAG,
                  data=substitute_placeholders(edit["data"], created))
    return params


def plan_apply(proposal: ProposalDoc, records: Iterable[dict[str, Any]] = ()) -> ApplyPlan:
    """The writes for every approved operation the log does not show as done (never one
    that a CRITICAL finding blocks)."""
    from toolkit.edits.decisions import op_state
    from toolkit.edits.proposal import placeholders_in
    from toolkit.edits.qa import blocking

    batch_id = str(proposal.get("run", {}).get("batch_id", ""))
    state = log_state(records, batch_id, proposal_hashes(proposal))
    plan = ApplyPlan(batch_id=batch_id)
    groups = ordered_groups(list(proposal.get("entities", [])))
    will_exist = dict(state.created)  # placeholder -> id, or itself while only planned
    for group in groups:
        approved = []
        for op in group.get("operations", []):
            if op_state(op) != "approved":
                continue
            if blocking(group, op["id"]):
                # however the approval got into the file, QA's veto stands
                plan.skipped.append((op["id"], "a CRITICAL finding blocks it"))
                continue
            approved.append(op)
        plan.done += [op["id"] for op in approved if op["id"] in state.done]
        todo = [op for op in approved if op["id"] not in state.done]
        placeholder = group.get("placeholder")
        is_new = not group.get("id")
        if is_new and placeholder in state.created:
            # created by an earlier run: what is left is an edit of that item
            group = {**group, "id": state.created[placeholder]}
            todo = [op for op in todo if op["kind"] != "create_item"]
            is_new = False
        if is_new:
            create = next((op for op in group.get("operations", [])
                           if op["kind"] == "create_item"), None)
            if create is None or create not in approved:
                plan.skipped += [(op["id"], f"creating {placeholder} is not approved")
                                 for op in todo]
                continue
        kept = []
        for op in todo:
            missing = sorted(placeholders_in([op]) - {placeholder} - set(will_exist))
            if missing:
                plan.skipped.append((op["id"], f"refers to {', '.join(missing)}, which this "
                                     "batch does not create (not approved?)"))
            else:
                kept.append(op)
        if is_new and all(op["kind"] == "create_item" for op in kept):
            # never create an empty item: its label and statements are what makes it useful
            plan.skipped += [(op["id"], f"nothing approved to put on {placeholder}")
                             for op in kept]
            continue
        if not kept:
            continue
        if is_new and placeholder:
            will_exist[placeholder] = placeholder
        base = None if is_new else group.get("base_revision")
        params = build_params(group, kept, batch_id,
                              {k: v for k, v in will_exist.items() if k != v}, base)
        if params is None:
            continue
        plan.edits.append(PlannedEdit(group["key"], group.get("id"), placeholder, kept, params))
    return plan


def format_call(params: dict[str, Any]) -> str:
    """One API call as text: POST parameters, then the data JSON on its own lines."""
    shown = {k: v for k, v in params.items() if k != "data"}
    head = " ".join(f"{k}={_shown(v)}" for k, v in shown.items())
    data = json.dumps(params.get("data", {}), ensure_ascii=False, indent=2, sort_keys=True)
    return f"POST {head} assert=user token=<csrf>\n  data={data}"


def _shown(value: Any) -> str:
    """A parameter value as printed: quoted when it has spaces (summaries)."""
    text = str(value)
    return json.dumps(text, ensure_ascii=False) if (" " in text or not text) else text


def describe_plan(plan: ApplyPlan) -> str:
    """The dry-run report: exactly the writes a live run would send, in order."""
    lines = [f"dry run for batch {plan.batch_id}: {len(plan.edits)} write(s); nothing is sent."]
    if plan.done:
        lines.append(f"{len(plan.done)} operation(s) already applied according to the log.")
    for number, edit in enumerate(plan.edits, 1):
        target = edit.entity or f"new item {edit.placeholder}"
        lines.append(f"\n[{number}] {target} ({edit.key}): operations {', '.join(edit.op_ids)}")
        lines.append(format_call(edit.params))
    for op_id, reason in plan.skipped:
        lines.append(f"skipped {op_id}: {reason}")
    if plan.edits:
        lines.append("\nA live run logs in, reads each existing item (wbgetentities) to "
                     "re-check the operations and take its revision as baserevid, and "
                     "replaces NEW-... with the ids of the items it creates.")
    return "\n".join(lines)
