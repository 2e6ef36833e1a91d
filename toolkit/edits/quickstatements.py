"""QuickStatements export of a proposal: V1 commands (TAB-separated) or CSV.

Follows what QuickStatements' own parsers read (the V1 and CSV importers of QuickStatements
and its successor): ``CREATE`` then ``LAST``; ``Len``/``Dar``/``Aar`` for terms; strings in
double quotes; monolingual text ``ar:"..."``; time ``+2018-00-00T00:00:00Z/9``; qualifiers
as ``Pnn value`` pairs; consecutive ``Snn value`` pairs form one reference block and
``!Snn`` starts another; ``/* summary */`` at the end of a line is its edit summary.
QuickStatements matches an existing statement by its main value and adds the qualifiers
and references to it, which is how ``add_reference`` is exported.

What V1 cannot say is reported, never written wrongly: a value pointing to an item that
another group of the batch creates (V1 knows only ``LAST``), and text with a TAB, newline,
``|`` (read as a column separator), ``/*`` or ``*/`` (read as a summary), or with white
space at its ends (trimmed by the parser).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from toolkit.edits.decisions import is_approved
from toolkit.edits.proposal import canonical
from toolkit.edits.values import PLACEHOLDER_PREFIX, item_id
from toolkit.edits.wire import GroupDoc, OperationDoc, ProposalDoc


@dataclass
class QuickStatementsExport:
    """The exported text, how many commands it holds, and what could not be exported."""

    text: str
    commands: int = 0
    problems: list[str] = field(default_factory=list)


class _Unexpressible(Exception):
    """A value QuickStatements V1 cannot carry."""


def _text(value: str) -> str:
    for bad, name in (("\t", "a TAB"), ("\n", "a newline"), ("\r", "a carriage return"),
                      ("|", "'|'"), ("/*", "'/*'"), ("*/", "'*/'")):
        if bad in value:
            raise _Unexpressible(f"text {value!r} contains {name}")
    if value != value.strip():
        raise _Unexpressible(f"text {value!r} has white space at its ends (QS trims it)")
    if not value:
        raise _Unexpressible("empty text")
    return value


def format_value(datavalue: dict[str, Any], own: str | None) -> str:
    """One datavalue in V1 syntax; ``own`` is the group's placeholder (exported as LAST)."""
    kind, value = datavalue.get("type"), datavalue.get("value")
    if kind == "wikibase-entityid" and isinstance(value, dict):
        ident = item_id(value)
        if ident.startswith(PLACEHOLDER_PREFIX):
            if ident == own:
                return "LAST"
            raise _Unexpressible(f"value {ident} is an item created by another group; V1 "
                                 "can only refer to the last created item")
        return ident
    if kind == "string":
        return f'"{_text(str(value))}"'
    if kind == "monolingualtext" and isinstance(value, dict):
        return f'{value["language"]}:"{_text(str(value["text"]))}"'
    if kind == "time" and isinstance(value, dict):
        suffix = "/J" if str(value.get("calendarmodel", "")).endswith("/Q1985786") else ""
        return f"{value['time']}/{int(value['precision'])}{suffix}"
    if kind == "quantity" and isinstance(value, dict):
        unit = str(value.get("unit", "1"))
        amount = str(value["amount"])
        if "upperBound" in value or "lowerBound" in value:
            raise _Unexpressible("quantity bounds are not exported")
        if unit == "1":
            return amount
        return f"{amount}U{unit.rsplit('/Q', 1)[-1]}"
    if kind == "globecoordinate" and isinstance(value, dict):
        return f"@{value['latitude']}/{value['longitude']}"
    raise _Unexpressible(f"datavalue type {kind!r} is not supported")


def _snak_value(snak: dict[str, Any], own: str | None) -> str:
    if snak.get("snaktype", "value") != "value":
        return str(snak["snaktype"])  # somevalue / novalue
    return format_value(snak["datavalue"], own)


def _new_references(op: OperationDoc, group: GroupDoc) -> list[dict[str, Any]]:
    """The references an add_reference operation adds (those the current claim lacks)."""
    refs = op["data"].get("references") or []
    claim_id = op["data"].get("id")
    current = group.get("current") or {}
    for claim in (current.get("claims") or {}).get(op.get("property") or "", []):
        if claim.get("id") == claim_id:
            have = {canonical(r.get("snaks")) for r in claim.get("references") or []}
            return [r for r in refs if canonical(r.get("snaks")) not in have]
    return refs[-1:]


def _statement_columns(op: OperationDoc, group: GroupDoc,
                       own: str | None) -> list[tuple[str, str]]:
    """(key, value) columns after the subject: property, value, qualifiers, references."""
    data = op["data"]
    main = data["mainsnak"]
    cols = [(main["property"], _snak_value(main, own))]
    if op["kind"] == "add_claim":
        for pid in data.get("qualifiers-order") or list(data.get("qualifiers") or {}):
            for q in (data.get("qualifiers") or {}).get(pid, []):
                cols.append((pid, _snak_value(q, own)))
        refs = data.get("references") or []
    else:
        refs = _new_references(op, group)
    for n, ref in enumerate(refs):
        first = True
        snaks = ref.get("snaks") or {}
        for pid in ref.get("snaks-order") or list(snaks):
            for s in snaks.get(pid, []):
                key = "S" + pid[1:]
                if first and n > 0:
                    key = "!" + key
                first = False
                cols.append((key, _snak_value(s, own)))
    return cols


def _term_column(op: OperationDoc) -> tuple[str, str]:
    letter = {"add_label": "L", "add_description": "D", "add_alias": "A"}[op["kind"]]
    return f"{letter}{op['data']['language']}", _text(str(op["data"]["value"]))


def _selected(group: GroupDoc, approved_only: bool,
              problems: list[str]) -> tuple[bool, list[OperationDoc]]:
    """(creates an item, the operations to export) for one group.

    Operations a CRITICAL finding blocks are never exported: QuickStatements is another
    road to the wiki, and review may not approve them."""
    ops = [op for op in group["operations"] if not approved_only or is_approved(op)]
    critical = {f["operation"] for f in group.get("findings", [])
                if f["severity"] == "CRITICAL"}
    if None in critical and ops:
        problems.append(f"{group['key']}: a CRITICAL finding blocks the whole group; "
                        "nothing exported")
        return False, []
    for op in ops:
        if op["id"] in critical:
            problems.append(f"{group['key']} {op['id']}: a CRITICAL finding blocks it; "
                            "not exported")
    ops = [op for op in ops if op["id"] not in critical]
    creates = any(op["kind"] == "create_item" for op in ops)
    if not group.get("id") and not creates and ops:
        problems.append(f"{group['key']}: its item creation is not approved, so its "
                        f"{len(ops)} other approved operation(s) cannot be exported")
        return False, []
    return creates, [op for op in ops if op["kind"] != "create_item"]


def export_quickstatements(proposal: ProposalDoc, approved_only: bool = False,
                           as_csv: bool = False) -> QuickStatementsExport:
    """Export a proposal (or only its approved operations) as V1 commands or CSV."""
    if as_csv:
        return _export_csv(proposal, approved_only)
    problems: list[str] = []
    lines: list[str] = []
    count = 0
    for group in proposal["entities"]:
        creates, ops = _selected(group, approved_only, problems)
        if not creates and not ops:
            continue
        summary = _summary(group)
        own = group.get("placeholder")
        subject = "LAST" if creates else str(group["id"])  # _selected: an item or LAST
        body: list[str] = []
        for op in ops:
            try:
                if op["kind"] in ("add_label", "add_description", "add_alias"):
                    key, text = _term_column(op)
                    cols = [(key, f'"{text}"')]
                else:
                    cols = _statement_columns(op, group, own)
            except _Unexpressible as exc:
                problems.append(f"{group['key']} {op['id']} ({op['kind']} "
                                f"{op.get('property') or op.get('language') or ''}): "
                                f"not exported: {exc}")
                continue
            body.append("\t".join([subject, *[c for pair in cols for c in pair]]) + summary)
        if creates:
            lines.append("CREATE" + summary)
            count += 1
        lines.extend(body)
        count += len(body)
    return QuickStatementsExport("".join(line + "\n" for line in lines), count, problems)


def _summary(group: GroupDoc) -> str:
    """``/* summary */`` for the end of a V1 line, or "" when V1 cannot carry the text
    (``|`` is a column separator to QuickStatements' readers, ``*/`` ends the comment)."""
    text = str(group.get("summary") or "")
    if not text or any(bad in text for bad in ("*/", "|", "\t", "\n", "\r")):
        return ""
    return f"/* {text} */"


def _export_csv(proposal: ProposalDoc, approved_only: bool) -> QuickStatementsExport:
    """CSV: one row per item (empty qid = create); each statement is a column group
    ``Pnn, qalNN..., Snn, snn..., #`` (``S`` starts a reference block, ``s`` continues it,
    ``#`` is the edit summary of the command before it). Cells a row does not use stay
    empty, which the CSV reader skips."""
    problems: list[str] = []
    rows: list[tuple[str, list[tuple[tuple[str, ...], list[str]]]]] = []
    count = 0
    for group in proposal["entities"]:
        creates, ops = _selected(group, approved_only, problems)
        if not creates and not ops:
            continue
        own = group.get("placeholder")
        summary = str(group.get("summary") or "").strip()
        tail: tuple[tuple[str, ...], list[str]] = (("#",), [summary]) if summary else ((), [])
        segments: list[tuple[tuple[str, ...], list[str]]] = []
        for op in ops:
            try:
                if op["kind"] in ("add_label", "add_description", "add_alias"):
                    key, value = _term_column(op)
                    # the CSV reader takes term cells as plain text, not quoted
                    segments.append(((key, *tail[0]), [value, *tail[1]]))
                else:
                    cols = _statement_columns(op, group, own)
                    header = [cols[0][0]]
                    for key, _ in cols[1:]:
                        if key.startswith("P"):
                            header.append("qal" + key[1:])
                        elif key.startswith("!S"):
                            header.append(key[1:])
                        elif header[-1].startswith(("S", "s")):
                            header.append("s" + key[1:])
                        else:
                            header.append(key)
                    segments.append(((*header, *tail[0]), [*(v for _, v in cols), *tail[1]]))
            except _Unexpressible as exc:
                problems.append(f"{group['key']} {op['id']}: not exported: {exc}")
                continue
        count += len(segments) + (1 if creates else 0)
        rows.append(("" if creates else str(group["id"]), segments))
    # header slots: each column group signature, as many times as one row needs it
    slots: list[tuple[tuple[str, ...], int]] = []
    for _, segments in rows:
        seen: dict[tuple[str, ...], int] = {}
        for sig, _cells in segments:
            seen[sig] = seen.get(sig, 0) + 1
            if (sig, seen[sig]) not in slots:
                slots.append((sig, seen[sig]))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["qid", *[h for sig, _ in slots for h in sig]])
    for qid, segments in rows:
        filled: dict[tuple[tuple[str, ...], int], list[str]] = {}
        seen = {}
        for sig, cells in segments:
            seen[sig] = seen.get(sig, 0) + 1
            filled[(sig, seen[sig])] = cells
        row = [qid]
        for slot in slots:
            row.extend(filled.get(slot, [""] * len(slot[0])))
        writer.writerow(row)
    return QuickStatementsExport(out.getvalue(), count, problems)
