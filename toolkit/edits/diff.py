"""Diff: what must be added to an item's current state to reach the desired state.

Never removes or overwrites. Values are compared in normal form (dates by precision, ISBN
without hyphens, DOI case, Unicode NFC and white space, URL forms), so what is already
there is skipped. A statement that exists without our reference gets the reference added
onto it (``add_reference``: the full existing claim with the new reference appended), never
a duplicate statement and never a duplicate reference block. A different value on a
single-value property is a conflict: reported, not edited.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any

from toolkit.edits.desired import DesiredEntity, DesiredStatement
from toolkit.edits.values import normal_text, same_value, value_key
from toolkit.edits.wire import ConflictDoc, RationaleDoc, no_rationale
from toolkit.wiki.site import SiteProfile


def has_reference(claim: dict[str, Any], reference: dict[str, Any],
                  ignore: frozenset[str]) -> bool:
    """True when one of the claim's references already holds our reference's snaks
    (``ignore``: properties such as "retrieved" that differ between runs)."""
    wanted = [s for group in reference.get("snaks", {}).values() for s in group
              if s["property"] not in ignore]
    if not wanted:
        wanted = [s for group in reference.get("snaks", {}).values() for s in group]
    for ref in claim.get("references") or []:
        have = ref.get("snaks") or {}
        if all(any(same_value(h, w) for h in have.get(w["property"], [])) for w in wanted):
            return True
    return False


@dataclass
class Operation:
    """One proposed change, before it gets its id and hash (see toolkit.edits.proposal)."""

    kind: str
    data: dict[str, Any]
    identity: str
    property: str | None = None
    language: str | None = None
    rationale: RationaleDoc = field(default_factory=no_rationale)


@dataclass
class EntityDiff:
    """What one entity needs: operations to propose, conflicts to report, notes."""

    operations: list[Operation] = field(default_factory=list)
    conflicts: list[ConflictDoc] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _term(current: dict[str, Any] | None, kind: str, lang: str) -> str | None:
    entry = ((current or {}).get(kind) or {}).get(lang)
    return entry.get("value") if isinstance(entry, dict) else None


def _display(datavalue: dict[str, Any] | None) -> Any:
    if not datavalue:
        return None
    value = datavalue.get("value")
    if isinstance(value, dict):
        return value.get("id") or value.get("text") or value.get("time") or value.get("amount")
    return value


def diff_entity(desired: DesiredEntity, current: dict[str, Any] | None,
                profile: SiteProfile) -> EntityDiff:
    """The operations that bring ``current`` (entity JSON, or None if new/unknown) to
    ``desired`` without removing or overwriting anything."""
    out = EntityDiff()
    if desired.create:
        out.operations.append(Operation("create_item", {"new": "item"}, "create",
                                        rationale=desired.rationale))
        current = None
    new_labels = _labels(desired, current, out)
    _descriptions(desired, current, out)
    _aliases(desired, current, new_labels, out)
    _statements(desired, current, profile, out)
    return out


def _labels(desired: DesiredEntity, current: dict[str, Any] | None,
            out: EntityDiff) -> dict[str, str]:
    """Labels only where the item has none in that language; return the ones added."""
    new_labels: dict[str, str] = {}
    for lang, text in desired.labels.items():
        have = _term(current, "labels", lang)
        if have is None:
            new_labels[lang] = text
            out.operations.append(Operation("add_label", {"language": lang, "value": text},
                                            f"{lang}|{normal_text(text)}", language=lang,
                                            rationale=desired.rationale))
        elif normal_text(have) != normal_text(text):
            out.notes.append(f"label ({lang}) kept: the item has {have!r}, "
                             f"the mapping says {text!r}")
    return new_labels


def _descriptions(desired: DesiredEntity, current: dict[str, Any] | None,
                  out: EntityDiff) -> None:
    """Descriptions only where the item has none in that language."""
    for lang, text in desired.descriptions.items():
        if _term(current, "descriptions", lang) is None:
            out.operations.append(Operation("add_description",
                                            {"language": lang, "value": text},
                                            f"{lang}|{normal_text(text)}", language=lang,
                                            rationale=desired.rationale))


def _aliases(desired: DesiredEntity, current: dict[str, Any] | None,
             new_labels: dict[str, str], out: EntityDiff) -> None:
    """Missing aliases, never one equal to the label."""
    for lang, forms in desired.aliases.items():
        label = new_labels.get(lang) or _term(current, "labels", lang)
        seen = {normal_text(a.get("value", "")) for a in
                ((current or {}).get("aliases") or {}).get(lang, [])}
        if label:
            seen.add(normal_text(label))
        for form in forms:
            norm = normal_text(form)
            if norm and norm not in seen:
                seen.add(norm)
                out.operations.append(Operation("add_alias", {"language": lang, "value": form},
                                                f"{lang}|{norm}", language=lang,
                                                rationale=desired.rationale))


def _statements(desired: DesiredEntity, current: dict[str, Any] | None,
                profile: SiteProfile, out: EntityDiff) -> None:
    """New statements; a reference onto an equal existing one; conflicts and notes."""
    claims = (current or {}).get("claims") or {}
    retrieved = profile.p("retrieved")
    ignore = frozenset({retrieved} if retrieved else ())
    ref_ops: dict[str, Operation] = {}
    used: set[int] = set()  # an existing statement stands for one desired statement only
    for st in desired.statements:
        existing = claims.get(st.property) or []
        same = [c for c in existing if id(c) not in used
                and same_value(c.get("mainsnak") or {}, st.mainsnak)]
        # two authors with one name string: the one with our qualifiers (ordinal) first
        match = next((c for c in same if _has_qualifiers(c, st.qualifiers)),
                     same[0] if same else None)
        if match is not None:
            used.add(id(match))
            if st.reference and not has_reference(match, st.reference, ignore):
                _add_reference(ref_ops, out.operations, match, st)
            continue
        valued = [c for c in existing if (c.get("mainsnak") or {}).get("snaktype") == "value"]
        if valued and _kept_existing(st, valued, profile, out):
            continue
        out.operations.append(Operation("add_claim", st.claim(),
                                        f"{st.property}|{_claim_identity(st)}",
                                        property=st.property, rationale=st.rationale))


def _kept_existing(st: DesiredStatement, valued: list[dict[str, Any]], profile: SiteProfile,
                   out: EntityDiff) -> bool:
    """True (with a note or a conflict) when the item's own values of the property stand."""
    pid = st.property
    if pid == profile.p("instance_of"):
        # the item is classified already (often more precisely than a CSL type says):
        # completing it means adding a class only where there is none
        have = ", ".join(str(_display(c["mainsnak"].get("datavalue"))) for c in valued)
        out.notes.append(f"{pid} kept: the item has {have}, the mapping suggests "
                         f"{_display(st.mainsnak.get('datavalue'))}")
        return True
    if pid in profile.single_value_pids:
        out.conflicts.append({
            "property": pid,
            "existing": [_display(c["mainsnak"].get("datavalue")) for c in valued],
            "proposed": _display(st.mainsnak.get("datavalue")),
            "message": f"{pid} holds one value; the item has another, so the mapping's "
                       "value is not added",
        })
        return True
    return False


def _claim_identity(st: DesiredStatement) -> str:
    """What makes an add_claim operation the same one from run to run: value, qualifiers."""
    identity = json.dumps(value_key(st.mainsnak["datavalue"]), default=str)
    if st.qualifiers:  # same value, other qualifiers (author 1 and 2): another op
        identity += "|" + json.dumps(sorted(
            json.dumps([q.get("property"), value_key(q.get("datavalue"))], default=str)
            for q in st.qualifiers))
    return identity


def _has_qualifiers(claim: dict[str, Any], qualifiers: list[dict[str, Any]]) -> bool:
    """True when ``claim`` already carries every one of ``qualifiers``."""
    have = claim.get("qualifiers") or {}
    return all(any(same_value(h, q) for h in have.get(q.get("property"), []))
               for q in qualifiers)


def _add_reference(ref_ops: dict[str, Operation], ops: list[Operation],
                   claim: dict[str, Any], st: DesiredStatement) -> None:
    """Put our reference on an existing claim (once per claim, whatever matched it)."""
    assert st.reference is not None
    claim_id = str(claim.get("id", ""))
    if claim_id in ref_ops:
        return
    data = copy.deepcopy(claim)
    data.setdefault("references", []).append(copy.deepcopy(st.reference))
    op = Operation("add_reference", data, f"{claim_id}|reference", property=st.property,
                   rationale={**st.rationale, "reason": st.rationale.get("reason", "") +
                              " (statement exists without this reference)"})
    ref_ops[claim_id] = op
    ops.append(op)
