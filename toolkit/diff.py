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
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from toolkit.desired import DesiredEntity, DesiredStatement, item_id
from toolkit.site import SiteProfile

_DASHES = re.compile(r"[‐‑‒–—−]")
_ISBN_LIKE = re.compile(r"^(?:97[89])?[\d\- ]{9,16}[\dXx]$")
_TIME_RE = re.compile(r"^([+-])(\d+)-(\d\d)-(\d\d)T")


def normal_text(text: str) -> str:
    """NFC, white space folded, dashes unified (page ranges are written both ways)."""
    return _DASHES.sub("-", " ".join(unicodedata.normalize("NFC", text).split()))


def normal_url(url: str) -> str:
    """One form per URL: https, lower-case host without www., decoded path, no trailing
    slash; a MediaWiki permanent link reduces to its host and ``oldid``."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host += f":{parts.port}"
    query = parse_qsl(parts.query, keep_blank_values=True)
    oldid = [v for k, v in query if k == "oldid"]
    if oldid:
        return f"{host}?oldid={oldid[0]}"
    path = quote(unquote(parts.path), safe="/:@!$&'()*+,;=").rstrip("/")
    q = urlencode(sorted(query))
    return f"{host}{path}" + (f"?{q}" if q else "")


def _normal_string(text: str) -> str:
    value = normal_text(text)
    if value.lower().startswith(("http://", "https://")):
        return normal_url(value)
    if value.startswith("10.") and "/" in value:   # DOI: Wikidata stores upper case
        return value.upper()
    if _ISBN_LIKE.match(value):                     # ISBN: hyphenation varies
        return value.replace("-", "").replace(" ", "").upper()
    return value


def parse_time(stamp: str) -> tuple[int, int, int] | None:
    """(year, month, day) of a Wikibase time string such as ``+2018-05-00T00:00:00Z``."""
    match = _TIME_RE.match(stamp)
    if not match:
        return None
    sign = -1 if match.group(1) == "-" else 1
    return sign * int(match.group(2)), int(match.group(3)), int(match.group(4))


def _time_key(value: dict[str, Any], precision: int) -> tuple[Any, ...] | None:
    parsed = parse_time(str(value.get("time", "")))
    if parsed is None:
        return None
    year, month, day = parsed
    if precision >= 11:
        key: tuple[Any, ...] = (year, month, day)
    elif precision == 10:
        key = (year, month)
    elif precision == 9:
        key = (year,)
    else:  # decade, century ...: compare the year at that granularity
        key = (year // 10 ** (9 - precision),)
    return (value.get("calendarmodel", ""), precision, *key)


def value_key(datavalue: dict[str, Any] | None) -> Any:
    """A hashable normal form of a datavalue (times at their own precision)."""
    if not datavalue:
        return None
    kind, value = datavalue.get("type"), datavalue.get("value")
    if kind == "wikibase-entityid" and isinstance(value, dict):
        return ("item", item_id(value))
    if kind == "string":
        return ("string", _normal_string(str(value)))
    if kind == "monolingualtext" and isinstance(value, dict):
        return ("mono", str(value.get("language", "")).lower(),
                normal_text(str(value.get("text", ""))))
    if kind == "time" and isinstance(value, dict):
        return ("time", _time_key(value, int(value.get("precision", 11))))
    if kind == "quantity" and isinstance(value, dict):
        try:
            amount: Any = Decimal(str(value.get("amount")))
        except InvalidOperation:
            amount = value.get("amount")
        return ("quantity", amount, value.get("unit"))
    return (kind, json.dumps(value, sort_keys=True))


def same_value(existing: dict[str, Any], wanted: dict[str, Any]) -> bool:
    """True when the snak ``existing`` already says what ``wanted`` says.

    A date matches when it agrees at the wanted precision and is at least as precise
    (``+2018-01-01``/9 written by pywikibot equals ``+2018-00-00``/9).
    """
    if existing.get("snaktype", "value") != "value" or wanted.get("snaktype", "value") != "value":
        return bool(existing.get("snaktype") == wanted.get("snaktype"))
    a, b = existing.get("datavalue") or {}, wanted.get("datavalue") or {}
    if a.get("type") == "time" and b.get("type") == "time":
        av, bv = a.get("value") or {}, b.get("value") or {}
        want_precision = int(bv.get("precision", 11))
        if int(av.get("precision", 11)) < want_precision:
            return False
        ka, kb = _time_key(av, want_precision), _time_key(bv, want_precision)
        return ka is not None and ka == kb
    return bool(value_key(a) == value_key(b))


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
    """One proposed change, before it gets its id and hash (see toolkit.proposal)."""

    kind: str
    data: dict[str, Any]
    identity: str
    property: str | None = None
    language: str | None = None
    rationale: dict[str, Any] = field(default_factory=dict)


@dataclass
class EntityDiff:
    """What one entity needs: operations to propose, conflicts to report, notes."""

    operations: list[Operation] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
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
    ops = out.operations
    if desired.create:
        ops.append(Operation("create_item", {"new": "item"}, "create",
                             rationale=desired.rationale))
        current = None

    # labels: only where the item has none in that language
    new_labels: dict[str, str] = {}
    for lang, text in desired.labels.items():
        have = _term(current, "labels", lang)
        if have is None:
            new_labels[lang] = text
            ops.append(Operation("add_label", {"language": lang, "value": text},
                                 f"{lang}|{normal_text(text)}", language=lang,
                                 rationale=desired.rationale))
        elif normal_text(have) != normal_text(text):
            out.notes.append(f"label ({lang}) kept: the item has {have!r}, "
                             f"the mapping says {text!r}")
    for lang, text in desired.descriptions.items():
        if _term(current, "descriptions", lang) is None:
            ops.append(Operation("add_description", {"language": lang, "value": text},
                                 f"{lang}|{normal_text(text)}", language=lang,
                                 rationale=desired.rationale))
    # aliases: missing ones, never one equal to the label
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
                ops.append(Operation("add_alias", {"language": lang, "value": form},
                                     f"{lang}|{norm}", language=lang,
                                     rationale=desired.rationale))

    # statements
    claims = (current or {}).get("claims") or {}
    single = profile.single_value_pids
    instance_of = profile.p("instance_of")
    retrieved = profile.p("retrieved")
    ignore = frozenset({retrieved} if retrieved else ())
    ref_ops: dict[str, Operation] = {}
    used: set[int] = set()  # an existing statement stands for one desired statement only
    for st in desired.statements:
        pid = st.property
        existing = claims.get(pid) or []
        same = [c for c in existing if id(c) not in used
                and same_value(c.get("mainsnak") or {}, st.mainsnak)]
        # two authors with one name string: the one with our qualifiers (ordinal) first
        match = next((c for c in same if _has_qualifiers(c, st.qualifiers)),
                     same[0] if same else None)
        if match is not None:
            used.add(id(match))
            if st.reference and not has_reference(match, st.reference, ignore):
                _add_reference(ref_ops, ops, match, st)
            continue
        valued = [c for c in existing if (c.get("mainsnak") or {}).get("snaktype") == "value"]
        if pid == instance_of and valued:
            # the item is classified already (often more precisely than a CSL type says):
            # completing it means adding a class only where there is none
            have = ", ".join(str(_display(c["mainsnak"].get("datavalue"))) for c in valued)
            out.notes.append(f"{pid} kept: the item has {have}, the mapping suggests "
                             f"{_display(st.mainsnak.get('datavalue'))}")
            continue
        if pid in single and valued:
            out.conflicts.append({
                "property": pid,
                "existing": [_display(c["mainsnak"].get("datavalue")) for c in valued],
                "proposed": _display(st.mainsnak.get("datavalue")),
                "message": f"{pid} holds one value; the item has another, so the mapping's "
                           "value is not added",
            })
            continue
        identity = json.dumps(value_key(st.mainsnak["datavalue"]), default=str)
        if st.qualifiers:  # same value, other qualifiers (author 1 and 2): another op
            identity += "|" + json.dumps(sorted(
                json.dumps([q.get("property"), value_key(q.get("datavalue"))], default=str)
                for q in st.qualifiers))
        ops.append(Operation("add_claim", st.claim(), f"{pid}|{identity}",
                             property=pid, rationale=st.rationale))
    return out


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
