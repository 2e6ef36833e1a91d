"""QA findings on every edit group, computed with the item's current state.

Checks (after OpenRefine's scrutinizers, but looking at what the item will be, not only at
the new data): new item without P31, label or description; duplicate label+description
in the batch or against a known current item; unsourced statement; invalid identifier
format (ISBN/ISSN check digits, DOI syntax); single-value conflict; self-reference; stray
white space and non-printable characters; description too long; entity not checked
against the wiki. Severities INFO < WARNING < IMPORTANT < CRITICAL; a CRITICAL finding
blocks approval (of its operation, or of the whole group when it names none).
"""

from __future__ import annotations

import unicodedata

from toolkit import identifiers
from toolkit.edits.values import normal_text
from toolkit.edits.wire import FindingDoc, GroupDoc, OperationDoc, ProposalDoc, Severity
from toolkit.wiki.site import SiteProfile

SEVERITIES = ("INFO", "WARNING", "IMPORTANT", "CRITICAL")
MAX_TERM = 250


def finding(severity: Severity, code: str, message: str, op: str | None = None) -> FindingDoc:
    """One finding as the proposal stores it (``op``: the operation it is about, if one)."""
    return {"severity": severity, "code": code, "message": message, "operation": op}


def _strings(op: OperationDoc) -> list[str]:
    """The free-text values an operation writes (term values, string/monolingual values)."""
    data = op["data"]
    if op["kind"] in ("add_label", "add_description", "add_alias"):
        return [str(data.get("value", ""))]
    if op["kind"] == "add_claim":
        dv = (data.get("mainsnak") or {}).get("datavalue") or {}
        if dv.get("type") == "string":
            return [str(dv["value"])]
        if dv.get("type") == "monolingualtext":
            return [str(dv["value"].get("text", ""))]
    return []


def _bad_chars(text: str) -> bool:
    return any(unicodedata.category(c) in ("Cc", "Cs", "Co", "Cn")
               or (unicodedata.category(c) == "Cf" and c not in "\u200c\u200d\u200f\u200e")
               for c in text)


def _final_terms(group: GroupDoc, kind: str) -> dict[str, str]:
    """Labels or descriptions the item will have once the group's operations are applied."""
    out = {lang: t.get("value", "") for lang, t in
           ((group.get("current") or {}).get(kind) or {}).items()}
    op_kind = "add_label" if kind == "labels" else "add_description"
    for op in group["operations"]:
        if op["kind"] == op_kind:
            out[op["data"]["language"]] = op["data"]["value"]
    return out


def check_group(group: GroupDoc, profile: SiteProfile) -> list[FindingDoc]:
    """Findings for one group (not the batch-wide duplicate check)."""
    out: list[FindingDoc] = []
    ops = group["operations"]
    creating = any(op["kind"] == "create_item" for op in ops)
    self_ids = {group.get("id"), group.get("placeholder")} - {None}

    if not group["checked"] and ops:
        if creating:
            out.append(finding("WARNING", "not-checked",
                                "not checked against the wiki: no identifier lookup was made, "
                                "an item for this work may already exist"))
        else:
            out.append(finding("WARNING", "not-checked",
                                "not checked against the wiki (offline, not cached): the "
                                "operations assume the item has none of this data"))
    if creating:
        claims = [op for op in ops if op["kind"] == "add_claim"]
        p31 = profile.p("instance_of")
        if not any(op.get("property") == p31 for op in claims):
            out.append(finding("IMPORTANT", "new-item-without-instance-of",
                                "new item without 'instance of'"))
        if not any(op["kind"] == "add_label" for op in ops):
            out.append(finding("CRITICAL", "new-item-without-label", "new item without label"))
        if not any(op["kind"] == "add_description" for op in ops):
            out.append(finding("WARNING", "new-item-without-description",
                                "new item without description"))

    isbn_pids = {profile.p("isbn13"), profile.p("isbn10")} - {None}
    for op in ops:
        oid = op["id"]
        if op["kind"] == "add_claim" and not op["data"].get("references"):
            out.append(finding("IMPORTANT", "unsourced-statement",
                                f"{op.get('property')} statement has no reference", oid))
        for text in _strings(op):
            if text != text.strip() or "  " in text:
                out.append(finding("WARNING", "whitespace",
                                    f"stray white space in {text!r}", oid))
            if _bad_chars(text):
                out.append(finding("IMPORTANT", "non-printable",
                                    f"non-printable character in {text!r}", oid))
            if op["kind"] == "add_description" and len(text) > MAX_TERM:
                out.append(finding("CRITICAL", "description-too-long",
                                    f"description has {len(text)} characters (max {MAX_TERM})",
                                    oid))
            if op["kind"] in ("add_label", "add_alias") and len(text) > MAX_TERM:
                out.append(finding("CRITICAL", "term-too-long",
                                    f"{op['kind'][4:]} has {len(text)} characters "
                                    f"(max {MAX_TERM})", oid))
        if op["kind"] == "add_claim":
            pid = op.get("property")
            dv = (op["data"].get("mainsnak") or {}).get("datavalue") or {}
            value = dv.get("value")
            if pid in isbn_pids and isinstance(value, str) and not identifiers.isbn_valid(value):
                out.append(finding("CRITICAL", "invalid-format",
                                    f"ISBN {value!r} has a wrong check digit", oid))
            if pid == profile.p("issn") and isinstance(value, str) and \
                    not identifiers.issn_valid(value):
                out.append(finding("CRITICAL", "invalid-format",
                                    f"ISSN {value!r} has a wrong check digit", oid))
            if pid == profile.p("doi") and isinstance(value, str) and (
                    not identifiers.doi_valid(value) or value != value.upper()):
                out.append(finding("CRITICAL", "invalid-format",
                                    f"DOI {value!r} is not valid upper-case DOI syntax", oid))
            snaks = [op["data"].get("mainsnak") or {}]
            for quals in (op["data"].get("qualifiers") or {}).values():
                snaks.extend(quals)
            for s in snaks:
                ref = ((s.get("datavalue") or {}).get("value") or {})
                if isinstance(ref, dict) and ref.get("id") in self_ids:
                    out.append(finding("CRITICAL", "self-reference",
                                        f"{s.get('property')} points to the item itself", oid))
    for conflict in group.get("conflicts", []):
        out.append(finding("WARNING", "single-value-conflict",
                            f"{conflict['property']}: item has {conflict['existing']!r}, "
                            f"mapping says {conflict['proposed']!r}; not edited"))
    return out


def check_proposal(proposal: ProposalDoc, profile: SiteProfile) -> None:
    """Add findings to every group of a proposal, including batch-wide duplicates."""
    for group in proposal["entities"]:
        group["findings"].extend(check_group(group, profile))
    # duplicate label + description (the wiki rejects an edit that makes a second item with
    # the same pair): flag the groups whose operations create the pair, never an item that
    # already has it; among several new ones, all but the first.
    pairs: dict[tuple[str, str, str], list[tuple[GroupDoc, bool]]] = {}
    for group in proposal["entities"]:
        labels, descs = _final_terms(group, "labels"), _final_terms(group, "descriptions")
        for lang, label in labels.items():
            if lang not in descs:
                continue
            adds = any(op["kind"] in ("add_label", "add_description")
                       and op["data"].get("language") == lang for op in group["operations"])
            pair = (lang, normal_text(label).casefold(), normal_text(descs[lang]).casefold())
            pairs.setdefault(pair, []).append((group, adds))
    for (lang, _, _), members in pairs.items():
        if len(members) < 2:
            continue
        makers = [g for g, adds in members if adds]
        if len(makers) == len(members):
            makers = makers[1:]
        for group in makers:
            others = [g.get("id") or g["key"] for g, _ in members if g is not group]
            label = _final_terms(group, "labels")[lang]
            desc = _final_terms(group, "descriptions")[lang]
            group["findings"].append(finding(
                "CRITICAL", "duplicate-label-description",
                f"label and description ({lang}) {label!r} / {desc!r} are the same as those "
                f"of {', '.join(others)}; the wiki would reject the edit"))
    for group in proposal["entities"]:
        group["findings"].sort(key=lambda f: -SEVERITIES.index(f["severity"]))


def blocking(group: GroupDoc, op_id: str | None = None) -> list[FindingDoc]:
    """CRITICAL findings that forbid approving ``op_id`` (or the group's ops at all)."""
    return [f for f in group.get("findings", []) if f["severity"] == "CRITICAL"
            and (f["operation"] is None or op_id is None or f["operation"] == op_id)]
