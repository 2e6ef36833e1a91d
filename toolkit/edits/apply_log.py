"""The apply log: one JSON line per write, appended and fsynced before the next write.

A record says what one write did - operations (with their hashes), entity, revisions, the
ids of added claims and the terms added - so a resumed run skips finished work
(:func:`log_state`) and ``toolkit undo`` can revert it. Credentials never reach the log.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from toolkit.edits.wire import ProposalDoc
from toolkit.errors import InputError, Problem
from toolkit.files import read_text


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


def proposal_hashes(proposal: ProposalDoc) -> dict[str, str]:
    """Op id -> content hash for every operation of a proposal (to match log records)."""
    return {op["id"]: op.get("hash", "") for group in proposal.get("entities", [])
            for op in group.get("operations", [])}
