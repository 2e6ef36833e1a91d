"""Apply: send the approved operations of a proposal to a Wikibase, one edit per entity.

Planning is separate from doing. :func:`plan_apply` turns the approved, not yet applied
operations into the exact ``wbeditentity`` calls (a pure function of the proposal and the
apply log); a dry run prints them and sends nothing. ``--live`` runs the same plan through
a :class:`WikiSession` - :class:`PywikibotSession` in production, the only place in the
toolkit that imports pywikibot (lazily, so other commands start fast).

Safety, per entity: the item is re-read before its write (offline proposals were never
checked; a checked one may be stale); every approved operation is re-checked against what
the wiki holds now - kept, skipped because it is already there, or a conflict that stops
the batch. The write carries ``baserevid`` of that read, ``maxlag=5``, the bot flag, an
edit summary naming the batch, and pywikibot's throttle; an ``editconflict`` answer starts
the re-read again. Items to create go first, and their new ids replace the ``NEW-...``
placeholders in later edits.

The apply log (JSONL, appended and fsynced per write) records what each write did -
operations, entity, revisions, the ids of added claims, the terms added - so a resumed run
skips finished work and ``toolkit undo`` can revert it. Credentials never reach the log.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from toolkit import product
from toolkit.errors import (
    ApplyError,
    EditConflict,
    InputError,
    MaxlagExhausted,
    Problem,
    UsageError,
    WikibaseError,
)
from toolkit.files import read_text
from toolkit.wiki.site import WIKIDATA_API

USER_ENV = "TOOLKIT_BOT_USER"
PASSWORD_ENV = "TOOLKIT_BOT_PASSWORD"
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
    operations: list[dict[str, Any]]
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


# -- the apply log ------------------------------------------------------------------------


def utc_now() -> str:
    """The current UTC time as ``YYYY-MM-DDTHH:MM:SSZ`` (log records)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def default_log_path(proposal_path: str | Path) -> Path:
    """The apply log next to the proposal: ``NAME.apply.jsonl``."""
    path = Path(proposal_path)
    return path.with_name(path.stem + ".apply.jsonl")


def read_log(path: Path | None) -> list[dict[str, Any]]:
    """The records of an apply log; a torn last line (a crash while writing) is ignored."""
    if path is None or not path.exists():
        return []
    records = []
    lines = read_text(path, "apply log").splitlines()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            if number == len(lines):
                break
            raise InputError(Problem(str(path), number, exc.colno, exc.msg, "json")) from exc
    return records


def append_log(path: Path, record: dict[str, Any]) -> None:
    """Append one record and make it durable before the next write goes out."""
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())


@dataclass
class LogState:
    """What the log says about one batch: finished operations and created items."""

    done: set[str] = field(default_factory=set)
    created: dict[str, str] = field(default_factory=dict)
    started_creates: dict[str, dict[str, Any]] = field(default_factory=dict)


def log_state(records: Iterable[dict[str, Any]], batch_id: str,
              hashes: dict[str, str] | None = None) -> LogState:
    """What the log shows as done for this batch.

    With ``hashes`` (op id -> hash of the proposal at hand), records of earlier batches
    count too for operations with the same id and hash: a proposal regenerated next to
    the same log (new batch id, decisions carried over) must not send them again, nor
    create the same item twice.
    """
    state = LogState()
    for rec in records:
        same_batch = rec.get("batch_id") == batch_id
        logged = rec.get("hashes") or {}
        ops = [op for op in rec.get("operations", [])
               if same_batch or (hashes and op in hashes and logged.get(op) == hashes[op])]
        if not ops:
            continue
        event = rec.get("event")
        if event in ("written", "already-present"):
            state.done.update(ops)
            if rec.get("created") and rec.get("placeholder"):
                state.created[rec["placeholder"]] = rec["entity"]
                state.started_creates.pop(rec["placeholder"], None)
        elif event == "create-started" and rec.get("placeholder") not in state.created:
            state.started_creates[rec["placeholder"]] = rec
    return state


def _hashes(proposal: dict[str, Any]) -> dict[str, str]:
    return {op["id"]: op.get("hash", "") for group in proposal.get("entities", [])
            for op in group.get("operations", [])}


# -- planning -----------------------------------------------------------------------------


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


def edit_summary(group: dict[str, Any], batch_id: str) -> str:
    """The group's summary from the proposal, always naming the batch."""
    summary = str(group.get("summary") or "toolkit: add data from a reviewed proposal")
    return summary if batch_id in summary else f"{summary} (batch {batch_id})"


def _ordered_groups(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Items to create first (those referring to other new items after them), then the rest."""
    from toolkit.edits.proposal import placeholder_refs

    creates = [g for g in groups if not g.get("id") and g.get("placeholder")]
    ordered: list[dict[str, Any]] = []
    placed: set[str] = set()
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


def build_params(group: dict[str, Any], operations: list[dict[str, Any]], batch_id: str,
                 created: dict[str, str], base_revision: int | None) -> dict[str, Any] | None:
    """The exact API parameters of one write (``data`` still a dict)."""
    from toolkit.edits.proposal import build_edit

    shaped = dict(group, base_revision=base_revision)
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


def plan_apply(proposal: dict[str, Any], records: Iterable[dict[str, Any]] = ()) -> ApplyPlan:
    """The writes for every approved operation the log does not show as done (never one
    that a CRITICAL finding blocks)."""
    from toolkit.edits.decisions import op_state
    from toolkit.edits.proposal import placeholder_refs
    from toolkit.edits.qa import blocking

    batch_id = str(proposal.get("run", {}).get("batch_id", ""))
    state = log_state(records, batch_id, _hashes(proposal))
    plan = ApplyPlan(batch_id=batch_id)
    groups = _ordered_groups(list(proposal.get("entities", [])))
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
            group = dict(group, id=state.created[placeholder])
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
            missing = sorted(placeholder_refs({"operations": [op], "placeholder": placeholder})
                             - set(will_exist))
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


def recheck(group: dict[str, Any], op: dict[str, Any], fresh: dict[str, Any]) -> str:
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


# -- doing --------------------------------------------------------------------------------


def _added(before: dict[str, Any] | None, after: dict[str, Any],
           ops: list[dict[str, Any]]) -> dict[str, Any]:
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


def run_live(proposal: dict[str, Any], session: WikiSession, log_path: Path,
             say: Callable[[str], None] = print,
             conflict_retries: int = 2, api_url: str | None = None) -> ApplyResult:
    """Send the plan through ``session``; every write is logged before the next one.

    ``api_url`` names the wiki ``session`` talks to (default: the proposal's site); the
    log records it so that ``toolkit undo`` goes back to the same wiki."""
    records = read_log(log_path)
    batch_id = str(proposal.get("run", {}).get("batch_id", ""))
    state = log_state(records, batch_id, _hashes(proposal))
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


def _create(plan: ApplyPlan, edit: PlannedEdit, group: dict[str, Any], session: WikiSession,
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


def _update(plan: ApplyPlan, edit: PlannedEdit, group: dict[str, Any], session: WikiSession,
            log_path: Path, result: ApplyResult, say: Callable[[str], None],
            conflict_retries: int) -> None:
    assert edit.entity is not None
    created_here = edit.placeholder is not None
    for attempt in range(conflict_retries + 1):
        fresh = session.get_entity(edit.entity)
        if fresh is None:
            raise ApplyError(f"{edit.entity} ({edit.key}) no longer exists; batch stopped")
        # an item this batch created has no proposal-time state to compare with
        view = dict(group, current=None, checked=False) if created_here else group
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
        target = dict(group, id=edit.entity)
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


# -- pywikibot ----------------------------------------------------------------------------

_USER_CONFIG = """\
# Written by toolkit apply: a private pywikibot directory for one run.
family = {family!r}
mylang = {code!r}
put_throttle = {throttle!r}
minthrottle = 0
write_maxlag = {maxlag}
max_retries = {max_retries}
retry_wait = {retry_wait!r}
retry_max = {retry_max!r}
socket_timeout = {socket_timeout!r}
user_agent_description = {agent!r}
log = []
"""

_FAMILY = '''"""pywikibot family for the Wikibase at {api_url} (generated by toolkit apply)."""
from pywikibot import family


class Family(family.DefaultWikibaseFamily, family.SingleSiteFamily):
    name = {name!r}
    domain = {domain!r}

    def protocol(self, code):
        return {scheme!r}

    def scriptpath(self, code):
        return {scriptpath!r}
'''


def family_for(api_url: str) -> tuple[str, str, str | None]:
    """(family name, code, family file source or None for a built-in family)."""
    if api_url == WIKIDATA_API:
        return "wikidata", "wikidata", None
    parts = urlsplit(api_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or \
            not parts.path.endswith("/api.php"):
        raise UsageError(f"--api-url must be an http(s) URL ending in /api.php: {api_url!r}")
    # family names may only hold letters and digits; one name per URL (pywikibot caches them)
    name = "tk" + "".join(ch for ch in (parts.netloc + parts.path) if ch.isalnum()).lower()
    source = _FAMILY.format(api_url=api_url, name=name, domain=parts.netloc,
                            scheme=parts.scheme, scriptpath=parts.path.rsplit("/", 1)[0])
    return name, name, source


class PywikibotSession:
    """A logged-in pywikibot DataSite, with all of pywikibot's state in a private folder."""

    def __init__(self, api_url: str, settings: ApplySettings) -> None:
        self.settings = settings
        self.family, self.code, source = family_for(api_url)
        self._own_dir: Path | None = None
        self.base_dir = self._prepare_dir()
        self.site = self._connect(source)

    def _prepare_dir(self) -> Path:
        """Set PYWIKIBOT_DIR before the first import; reuse the running config otherwise."""
        if "pywikibot" in sys.modules:
            return Path(sys.modules["pywikibot"].config.base_dir)
        given = self.settings.pywikibot_dir or (Path(os.environ["PYWIKIBOT_DIR"])
                                                 if os.environ.get("PYWIKIBOT_DIR") else None)
        if given is not None and (given / "user-config.py").exists():
            return given  # the operator's own pywikibot configuration (and credentials)
        base = given or Path(tempfile.mkdtemp(prefix="toolkit-pywikibot-"))
        if given is None:
            self._own_dir = base
        base.mkdir(parents=True, exist_ok=True)
        s = self.settings
        (base / "user-config.py").write_text(_USER_CONFIG.format(
            family=self.family, code=self.code, throttle=s.throttle, maxlag=MAXLAG,
            max_retries=s.max_retries, retry_wait=s.retry_wait, retry_max=s.retry_max,
            socket_timeout=s.socket_timeout,
            agent=product()), encoding="utf-8")
        os.environ["PYWIKIBOT_DIR"] = str(base)
        os.environ.pop("PYWIKIBOT_NO_USER_CONFIG", None)
        return base

    def _connect(self, family_source: str | None) -> Any:
        import pywikibot
        from pywikibot import config

        if family_source is not None:
            families = self.base_dir / "families"
            families.mkdir(parents=True, exist_ok=True)
            path = families / f"{self.family}_family.py"
            if not path.exists() or path.read_text(encoding="utf-8") != family_source:
                path.write_text(family_source, encoding="utf-8")
            config.family_files[self.family] = str(path)
        # The settings object wins over any configuration file; writes always use maxlag=5.
        s = self.settings
        config.write_maxlag = MAXLAG
        config.put_throttle = s.throttle
        config.max_retries = s.max_retries
        config.retry_wait = s.retry_wait
        config.retry_max = s.retry_max
        config.socket_timeout = s.socket_timeout
        # pywikibot adds the bot's user page as the contact
        config.user_agent_description = product()
        user = os.environ.get(USER_ENV)
        password = os.environ.get(PASSWORD_ENV)
        if user and password:
            main_user = user.partition("@")[0]
            config.usernames[self.family][self.code] = main_user
            site = pywikibot.Site(self.code, self.family, user=main_user)
            self._login_with(site, user, password)
        else:
            if not (config.usernames.get(self.family, {}).get(self.code)
                    or config.usernames.get(self.family, {}).get("*")):
                raise ApplyError(
                    f"no bot account for {self.family}: set {USER_ENV} (User@botname) and "
                    f"{PASSWORD_ENV}, or use your pywikibot configuration (PYWIKIBOT_DIR "
                    "with usernames and a BotPassword in password_file)")
            site = pywikibot.Site(self.code, self.family)
        try:
            site.login()
        except pywikibot.exceptions.Error as exc:
            raise ApplyError(f"login to {self.family} failed: {type(exc).__name__}") from None
        if not site.logged_in():
            raise ApplyError(f"login to {self.family} failed")
        return site

    @staticmethod
    def _login_with(site: Any, login_name: str, password: str) -> None:
        """Log in with a BotPassword held only in memory (never written anywhere)."""
        import pywikibot
        from pywikibot.login import ClientLoginManager

        manager = ClientLoginManager(site=site, user=login_name.partition("@")[0])
        manager.login_name = login_name
        manager.password = password
        try:
            ok = manager.login(retry=False)
        except pywikibot.exceptions.Error as exc:
            ok = False
            reason = type(exc).__name__
        else:
            reason = "rejected"
        finally:
            manager.password = None
        if not ok:
            raise ApplyError(f"login as {login_name} failed ({reason})")

    def get_entity(self, entity_id: str) -> dict[str, Any] | None:
        """The entity's current JSON (labels, descriptions, aliases, claims, lastrevid)."""
        answer = self._submit({"action": "wbgetentities", "ids": entity_id,
                               "props": "info|labels|descriptions|aliases|claims"})
        entity = (answer.get("entities") or {}).get(entity_id)
        if not entity or "missing" in entity:
            return None
        return dict(entity)

    def post(self, params: dict[str, Any]) -> dict[str, Any]:
        """One write, with the session's CSRF token; pywikibot adds maxlag and assert=user."""
        send = dict(params)
        if isinstance(send.get("data"), (dict, list)):
            send["data"] = json.dumps(send["data"], ensure_ascii=False)
        send["token"] = self.site.tokens["csrf"]
        return self._submit(send)

    def _submit(self, params: dict[str, Any]) -> dict[str, Any]:
        import pywikibot
        from pywikibot.exceptions import APIError, MaxlagTimeoutError

        request = self.site.simple_request(**params)
        try:
            return dict(request.submit())
        except MaxlagTimeoutError as exc:
            raise MaxlagExhausted(f"{params.get('action')}: {exc}") from None
        except APIError as exc:
            if exc.code == "editconflict":
                raise EditConflict(f"{params.get('action')}: {exc.info}", exc.code) from None
            raise WikibaseError(f"{params.get('action')} failed: {exc.code}: {exc.info}",
                                exc.code) from None
        except pywikibot.exceptions.Error as exc:
            raise WikibaseError(f"{params.get('action')} failed: {exc}") from None

    def close(self) -> None:
        if self._own_dir is not None:
            shutil.rmtree(self._own_dir, ignore_errors=True)


# -- the command --------------------------------------------------------------------------


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

