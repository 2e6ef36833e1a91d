"""Undo: revert what an applied batch added, from its apply log, on any Wikibase.

For each entity the batch wrote, and only where nobody edited it since (its revision is
still the one the log recorded), one ``wbeditentity`` with that ``baserevid`` removes the
statements the batch added (by claim id), the references it put on existing statements,
and the labels, descriptions and aliases it added (each only if it still has the value we
wrote). Items the batch created are never deleted by us: they are listed for a deletion
request. A dry run (the default) prints the calls and sends nothing. The wiki is the one
the apply log names (each record carries its ``api_url``).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.edits.apply_live import WikiSession
from toolkit.edits.apply_log import append_log, read_log, utc_now
from toolkit.edits.apply_plan import ApplySettings, format_call
from toolkit.edits.pywikibot_session import PywikibotSession
from toolkit.errors import EditConflict, UsageError
from toolkit.wiki.site import WIKIDATA_API


@dataclass
class UndoStep:
    """What to revert on one entity, as recorded by one 'written' log record."""

    entity: str
    revision: int | None
    batch_id: str
    added: dict[str, Any]
    created: bool


@dataclass
class UndoResult:
    """What an undo run found and did, entity by entity."""

    steps: list[UndoStep] = field(default_factory=list)
    reverted: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (entity, why)
    deletion_requests: list[str] = field(default_factory=list)


def undo_steps(records: list[dict[str, Any]]) -> list[UndoStep]:
    """The writes of the log, newest first (undo walks back)."""
    steps = []
    for rec in records:
        if rec.get("event") == "written" and rec.get("entity"):
            steps.append(UndoStep(rec["entity"], rec.get("revision"), rec.get("batch_id", ""),
                                  rec.get("added") or {}, bool(rec.get("created"))))
    return list(reversed(steps))


def removal_data(step: UndoStep, entity: dict[str, Any] | None) -> dict[str, Any]:
    """The wbeditentity ``data`` that removes what ``step`` added.

    With ``entity`` (the current JSON) references are removed from the statement as it is
    now; without it (dry run) the statement is shown by id only.
    """
    added = step.added
    data: dict[str, Any] = {}
    claims: list[dict[str, Any]] = [{"id": cid, "remove": ""} for cid in added.get("claims", [])]
    by_claim: dict[str, set[str]] = {}
    for ref in added.get("references", []):
        by_claim.setdefault(ref["claim"], set()).add(ref.get("hash", ""))
    for claim_id, hashes in by_claim.items():
        current = _find_claim(entity, claim_id) if entity else None
        if current is None:
            claims.append({"id": claim_id, "references": f"<without references {sorted(hashes)}>"})
            continue
        kept = copy.deepcopy(current)
        kept["references"] = [r for r in current.get("references") or []
                              if r.get("hash") not in hashes]
        claims.append(kept)
    if claims:
        data["claims"] = claims
    for part in ("labels", "descriptions"):
        terms = {}
        for lang, value in (added.get(part) or {}).items():
            now = ((entity or {}).get(part) or {}).get(lang, {}).get("value") if entity else value
            if now == value:
                terms[lang] = {"language": lang, "remove": ""}
        if terms:
            data[part] = terms
    aliases = {}
    for lang, values in (added.get("aliases") or {}).items():
        aliases[lang] = [{"language": lang, "value": v, "remove": ""} for v in values]
    if aliases:
        data["aliases"] = aliases
    return data


def _find_claim(entity: dict[str, Any] | None, claim_id: str) -> dict[str, Any] | None:
    for claims in ((entity or {}).get("claims") or {}).values():
        for claim in claims:
            if claim.get("id") == claim_id:
                return dict(claim)
    return None


def undo_log(log_path: str | Path, settings: ApplySettings,
             say: Callable[[str], None] = print,
             session: WikiSession | None = None, api_url: str | None = None) -> UndoResult:
    """``toolkit undo``: print the reverting calls (dry run) or make them (``--live``)."""
    path = Path(log_path)
    if not path.exists():
        raise UsageError(f"no apply log at {path}")
    records = read_log(path)
    result = UndoResult(steps=undo_steps(records))
    batches = sorted({s.batch_id for s in result.steps})
    say(f"undo of batch {', '.join(batches) or '?'}: {len(result.steps)} written entit(ies)"
        + ("" if settings.live else "; dry run, nothing is sent"))
    undo_log_path = path.with_name(path.name + ".undo.jsonl")
    done = {(r.get("entity"), r.get("revision")) for r in read_log(undo_log_path)
            if r.get("event") == "undone"}
    url = _target(records, api_url or settings.api_url, path)
    live = None
    own = False
    try:
        for step in result.steps:
            if step.created:
                # emptying an item we created helps nobody; deletion is an admin's decision
                result.deletion_requests.append(step.entity)
                continue
            if (step.entity, step.revision) in done:
                result.skipped.append((step.entity, "already undone"))
                continue
            if not settings.live:
                params = _params(step, removal_data(step, None), step.revision)
                if params is None:
                    continue
                say(f"\n{step.entity}: only if still at revision {step.revision}")
                say(format_call(params))
                continue
            if live is None:
                own = session is None
                live = session if session is not None else PywikibotSession(url, settings)
            _undo_one(step, live, result, undo_log_path, say)
    finally:
        if own and isinstance(live, PywikibotSession):
            live.close()
    for entity, why in result.skipped:
        say(f"skipped {entity}: {why}")
    if result.deletion_requests:
        say("created by the batch; not deleted by this tool - request deletion if they are "
            "no longer wanted: " + ", ".join(result.deletion_requests))
    return result


def _target(records: list[dict[str, Any]], given: str | None, path: Path) -> str:
    """The wiki to undo on: the one the log was written against (``given`` must agree)."""
    logged = sorted({str(r["api_url"]) for r in records if r.get("api_url")})
    if len(logged) > 1:
        raise UsageError(f"{path}: the log names several wikis ({', '.join(logged)}); "
                         "undo each batch from its own log")
    if given and logged and given != logged[0]:
        raise UsageError(f"{path}: the batch was written to {logged[0]}, not {given}")
    return given or (logged[0] if logged else WIKIDATA_API)


def _params(step: UndoStep, data: dict[str, Any], base: int | None) -> dict[str, Any] | None:
    if not data:
        return None
    return {"action": "wbeditentity", "id": step.entity, "baserevid": base,
            "summary": f"undo toolkit batch {step.batch_id}", "bot": 1, "maxlag": 5,
            "data": data}


def _undo_one(step: UndoStep, session: WikiSession, result: UndoResult, undo_log_path: Path,
              say: Callable[[str], None]) -> None:
    entity = session.get_entity(step.entity)
    if entity is None:
        result.skipped.append((step.entity, "no longer exists"))
        return
    if entity.get("lastrevid") != step.revision:
        result.skipped.append((step.entity, f"edited since the batch (revision {step.revision}"
                               f", now {entity.get('lastrevid')}); revert by hand"))
        return
    params = _params(step, removal_data(step, entity), step.revision)
    if params is None:
        return
    try:
        answer = session.post(params)
    except EditConflict:
        result.skipped.append((step.entity, "edited while undoing; revert by hand"))
        return
    revision = (answer.get("entity") or {}).get("lastrevid")
    append_log(undo_log_path, {"time": utc_now(), "event": "undone", "entity": step.entity,
                               "revision": step.revision, "batch_id": step.batch_id,
                               "new_revision": revision})
    result.reverted.append(step.entity)
    say(f"reverted {step.entity} (revision {revision}): "
        + json.dumps({k: len(v) for k, v in step.added.items() if v}))
