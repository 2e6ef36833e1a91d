"""The live apply run: re-check each item, write, log, and resume after an interruption.

Safety, per entity: the item is re-read before its write (offline proposals were never
checked; a checked one may be stale); every approved operation is re-checked against what
the wiki holds now (:func:`recheck`) - kept, skipped because it is already there, or a
conflict that stops the batch. The write carries ``baserevid`` of that read, ``maxlag=5``,
the bot flag and an edit summary naming the batch; an ``editconflict`` answer starts the
re-read again. Every write is logged (:mod:`toolkit.edits.apply_log`) before the next one.
The wiki is reached through a :class:`WikiSession` (production:
:class:`toolkit.edits.pywikibot_session.PywikibotSession`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from toolkit.edits.apply_log import append_log, log_state, proposal_hashes, read_log, utc_now
from toolkit.edits.apply_plan import ApplyPlan, PlannedEdit, build_params, plan_apply
from toolkit.edits.wire import GroupDoc, OperationDoc, ProposalDoc
from toolkit.errors import ApplyError, EditConflict


@dataclass
class ApplyResult:
    """What a live run did: its log records, what was already there, the items it created."""

    plan: ApplyPlan
    written: list[dict[str, Any]] = field(default_factory=list)  # log records of writes
    already_present: list[str] = field(default_factory=list)
    created: dict[str, str] = field(default_factory=dict)  # placeholder -> new id
    log_path: Path | None = None


class WikiSession(Protocol):
    """What a live run needs from the wiki."""

    def get_entity(self, entity_id: str) -> dict[str, Any] | None: ...

    def post(self, params: dict[str, Any]) -> dict[str, Any]: ...


# -- re-checking against the wiki ---------------------------------------------------------


def value_key(datavalue: dict[str, Any] | None) -> Any:
    """A comparable form of a datavalue: the proposal's own normal form (toolkit.edits.diff).

    The re-check before a write must call a value "already there" exactly when the
    proposal would have, or a value that differs only in form (``1–4`` against a stored
    ``1-4``, a year written ``+2018-01-01``/9) would be written a second time.
    """
    from toolkit.edits.values import value_key as normal_value_key

    return normal_value_key(datavalue)


def snak_key(snak: dict[str, Any]) -> tuple[Any, ...]:
    """A comparable form of a snak: property, snak type and value."""
    return (snak.get("property"), snak.get("snaktype", "value"),
            value_key(snak.get("datavalue")))


def reference_key(ref: dict[str, Any]) -> frozenset[tuple[Any, ...]]:
    """A comparable form of a reference: the set of its snaks, in any order."""
    return frozenset(snak_key(s) for snaks in (ref.get("snaks") or {}).values() for s in snaks)


def _claims(entity: dict[str, Any] | None, pid: str) -> list[dict[str, Any]]:
    return list(((entity or {}).get("claims") or {}).get(pid, []))


def recheck(group: GroupDoc, op: OperationDoc, fresh: dict[str, Any]) -> str:
    """``"keep"``, ``"present"`` (nothing to do) or ``"conflict: why"`` for one operation."""
    kind, data = op["kind"], op.get("data") or {}
    known = group.get("current") if group.get("checked") else None
    if kind in ("add_label", "add_description"):
        part = "labels" if kind == "add_label" else "descriptions"
        now = ((fresh.get(part) or {}).get(data["language"]) or {}).get("value")
        if now is None:
            return "keep"
        if now == data["value"]:
            return "present"
        return f"conflict: {part[:-1]} in {data['language']} is now {now!r}"
    if kind == "add_alias":
        values = [a.get("value") for a in (fresh.get("aliases") or {}).get(data["language"], [])]
        return "present" if data["value"] in values else "keep"
    if kind == "add_claim":
        pid = data["mainsnak"]["property"]
        now = _claims(fresh, pid)
        wanted = snak_key(data["mainsnak"])
        quals = {snak_key(q) for qs in (data.get("qualifiers") or {}).values() for q in qs}
        # same value and our qualifiers: author 2 is not there because author 1 is
        same = [c for c in now if snak_key(c.get("mainsnak", {})) == wanted
                and quals <= {snak_key(q) for qs in (c.get("qualifiers") or {}).values()
                              for q in qs}]
        if same:
            refs = {reference_key(r) for r in data.get("references") or []}
            if not refs or any(refs <= {reference_key(r) for r in c.get("references") or []}
                               for c in same):
                return "present"
            return f"conflict: {pid} now has this value without the proposed reference"
        if known is not None:
            before = {c.get("id") for c in _claims(known, pid)}
            if {c.get("id") for c in now} == before:
                return "keep"
            return f"conflict: the {pid} statements changed since the proposal"
        if now:
            return (f"conflict: not checked against the wiki, and {pid} now has "
                    f"{len(now)} statement(s); propose again online")
        return "keep"
    if kind == "add_reference":
        claim_id = data.get("id")
        claim = next((c for group_claims in (fresh.get("claims") or {}).values()
                      for c in group_claims if c.get("id") == claim_id), None)
        if claim is None:
            return f"conflict: statement {claim_id} no longer exists"
        have = {reference_key(r) for r in claim.get("references") or []}
        if all(reference_key(r) in have for r in data.get("references") or []):
            return "present"
        old = next((c for c in _claims(known, claim.get("mainsnak", {}).get("property", ""))
                    if c.get("id") == claim_id), None)
        if old is not None and json.dumps(old, sort_keys=True) == json.dumps(claim,
                                                                           sort_keys=True):
            return "keep"
        return f"conflict: statement {claim_id} changed since the proposal"
    return "keep"


def _added(before: dict[str, Any] | None, after: dict[str, Any],
           ops: list[OperationDoc]) -> dict[str, Any]:
    """What one write added, for undo: claim ids, references, terms."""
    old_ids = {c.get("id") for claims in ((before or {}).get("claims") or {}).values()
               for c in claims}
    new_claims = [c.get("id") for claims in (after.get("claims") or {}).values()
                  for c in claims if c.get("id") not in old_ids]
    added: dict[str, Any] = {"claims": new_claims, "references": [], "labels": {},
                             "descriptions": {}, "aliases": {}}
    for op in ops:
        data = op.get("data") or {}
        if op["kind"] == "add_reference":
            claim = next((c for claims in (after.get("claims") or {}).values() for c in claims
                          if c.get("id") == data.get("id")), None)
            wanted = {reference_key(r) for r in data.get("references") or []}
            old: dict[str, Any] = next(
                (c for claims in ((before or {}).get("claims") or {}).values() for c in claims
                 if c.get("id") == data.get("id")), {})
            had = {reference_key(r) for r in old.get("references") or []}
            for ref in (claim or {}).get("references") or []:
                if reference_key(ref) in wanted - had:
                    added["references"].append({"claim": data.get("id"),
                                                "hash": ref.get("hash")})
        elif op["kind"] == "add_label":
            added["labels"][data["language"]] = data["value"]
        elif op["kind"] == "add_description":
            added["descriptions"][data["language"]] = data["value"]
        elif op["kind"] == "add_alias":
            added["aliases"].setdefault(data["language"], []).append(data["value"])
    return added


def _record(plan: ApplyPlan, edit: PlannedEdit, event: str, **fields: Any) -> dict[str, Any]:
    rec = {"time": utc_now(), "batch_id": plan.batch_id, "event": event, "key": edit.key,
           "placeholder": edit.placeholder, "operations": edit.op_ids,
           "hashes": {op["id"]: op.get("hash") for op in edit.operations}}
    if plan.api_url:
        rec["api_url"] = plan.api_url
    rec.update(fields)
    return rec


def run_live(proposal: ProposalDoc, session: WikiSession, log_path: Path,
             say: Callable[[str], None] = print,
             conflict_retries: int = 2, api_url: str | None = None) -> ApplyResult:
    """Send the plan through ``session``; every write is logged before the next one.

    ``api_url`` names the wiki ``session`` talks to (default: the proposal's site); the
    log records it so that ``toolkit undo`` goes back to the same wiki."""
    records = read_log(log_path)
    batch_id = str(proposal.get("run", {}).get("batch_id", ""))
    state = log_state(records, batch_id, proposal_hashes(proposal))
    if state.started_creates:
        names = ", ".join(sorted(state.started_creates))
        raise ApplyError(
            f"the log {log_path} shows that creating {names} was started but not confirmed: "
            "the item may exist already. Check the bot's contributions, then add a 'written' "
            "record with the new id (or remove the 'create-started' line) and run again")
    plan = plan_apply(proposal, records)
    plan.api_url = api_url or str(proposal.get("run", {}).get("site", {}).get("api_url") or "")
    result = ApplyResult(plan=plan, created=dict(state.created), log_path=log_path)
    groups = {g["key"]: g for g in proposal.get("entities", [])}
    for op_id, reason in plan.skipped:
        say(f"skipped {op_id}: {reason}")
    for edit in plan.edits:
        group = groups[edit.key]
        if edit.entity is None and edit.placeholder in result.created:
            edit.entity = result.created[edit.placeholder]
        if edit.entity is None:
            _create(plan, edit, group, session, log_path, result, say)
        else:
            _update(plan, edit, group, session, log_path, result, say, conflict_retries)
    return result


def _create(plan: ApplyPlan, edit: PlannedEdit, group: GroupDoc, session: WikiSession,
            log_path: Path, result: ApplyResult, say: Callable[[str], None]) -> None:
    params = build_params(group, edit.operations, plan.batch_id, result.created, None)
    assert params is not None  # planned edits are never empty
    append_log(log_path, _record(plan, edit, "create-started"))
    answer = session.post(params)
    entity = answer.get("entity") or {}
    new_id = str(entity.get("id", ""))
    if not new_id:
        raise ApplyError(f"creating {edit.placeholder}: the wiki answered without an id")
    rec = _record(plan, edit, "written", entity=new_id, created=True, base_revision=None,
                  revision=entity.get("lastrevid"), added=_added(None, entity, edit.operations))
    append_log(log_path, rec)
    result.written.append(rec)
    if edit.placeholder:
        result.created[edit.placeholder] = new_id
    say(f"created {new_id} for {edit.placeholder} (revision {entity.get('lastrevid')})")


def _update(plan: ApplyPlan, edit: PlannedEdit, group: GroupDoc, session: WikiSession,
            log_path: Path, result: ApplyResult, say: Callable[[str], None],
            conflict_retries: int) -> None:
    assert edit.entity is not None
    created_here = edit.placeholder is not None
    for attempt in range(conflict_retries + 1):
        fresh = session.get_entity(edit.entity)
        if fresh is None:
            raise ApplyError(f"{edit.entity} ({edit.key}) no longer exists; batch stopped")
        # an item this batch created has no proposal-time state to compare with
        view: GroupDoc = {**group, "current": None, "checked": False} if created_here else group
        keep, present, conflicts = [], [], []
        for op in edit.operations:
            verdict = recheck(view, op, fresh)
            if verdict == "keep":
                keep.append(op)
            elif verdict == "present":
                present.append(op)
            else:
                conflicts.append(f"{op['id']}: {verdict}")
        if conflicts:
            raise ApplyError(f"{edit.entity} ({edit.key}) changed since the proposal; batch "
                             "stopped, nothing overwritten:\n  " + "\n  ".join(conflicts))
        if present:
            sub = PlannedEdit(edit.key, edit.entity, edit.placeholder, present, {})
            append_log(log_path, _record(plan, sub, "already-present", entity=edit.entity,
                                         revision=fresh.get("lastrevid")))
            result.already_present += [op["id"] for op in present]
            say(f"{edit.entity}: {len(present)} operation(s) already present, skipped")
        if not keep:
            return
        target: GroupDoc = {**group, "id": edit.entity}
        params = build_params(target, keep, plan.batch_id, result.created,
                              fresh.get("lastrevid"))
        if params is None:
            return
        try:
            answer = session.post(params)
        except EditConflict:
            if attempt == conflict_retries:
                raise ApplyError(f"{edit.entity}: edit conflicts kept happening; batch stopped"
                                 ) from None
            say(f"{edit.entity}: edit conflict, re-reading the item")
            edit = PlannedEdit(edit.key, edit.entity, edit.placeholder, keep, params)
            continue
        entity = answer.get("entity") or {}
        sub = PlannedEdit(edit.key, edit.entity, edit.placeholder, keep, params)
        rec = _record(plan, sub, "written", entity=edit.entity, created=False,
                      base_revision=fresh.get("lastrevid"), revision=entity.get("lastrevid"),
                      added=_added(fresh, entity, keep))
        append_log(log_path, rec)
        result.written.append(rec)
        say(f"edited {edit.entity} (revision {entity.get('lastrevid')}): "
            f"{len(keep)} operation(s)")
        return
