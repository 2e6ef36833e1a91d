"""Wikibase values: the wire JSON of datavalues and snaks, and their normal forms.

The one place that says how a value is written (``item_value``, ``time_value`` …: the exact
shapes wbgetentities returns and wbeditentity takes) and when two values are the same
(``value_key``, ``same_value``: dates by precision, ISBN without hyphens, DOI case, Unicode
NFC and white space, URL forms). ``desired`` builds with it, ``diff``, ``qa`` and ``apply``
compare with it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from toolkit import identifiers

PLACEHOLDER_PREFIX = "NEW-"  # the id of an item to be created, until it has a QID

# ---- wire JSON builders (the exact shapes wbgetentities returns and wbeditentity takes)

def item_value(qid: str) -> dict[str, Any]:
    """An item datavalue; a placeholder (``NEW-...``) has no numeric id until created."""
    value: dict[str, Any] = {"entity-type": "item", "id": qid}
    if identifiers.is_qid(qid):
        value["numeric-id"] = int(qid[1:])
    return {"type": "wikibase-entityid", "value": value}


def item_id(value: dict[str, Any]) -> str:
    """The id in an item datavalue's ``value`` (old wire JSON may carry only numeric-id)."""
    return str(value.get("id") or f"Q{value.get('numeric-id')}")


def string_value(text: str) -> dict[str, Any]:
    """A string datavalue (also external identifiers and URLs)."""
    return {"type": "string", "value": text}


def monolingual_value(text: str, language: str) -> dict[str, Any]:
    """A monolingual text datavalue (a title in its language)."""
    return {"type": "monolingualtext", "value": {"text": text, "language": language}}


def time_value(year: int, month: int | None, day: int | None,
               calendar: str) -> dict[str, Any]:
    """A Wikibase time: unknown parts are ``00`` and the precision says what is known."""
    precision = 11 if day else 10 if month else 9
    stamp = f"+{year:04d}-{month or 0:02d}-{day or 0:02d}T00:00:00Z"
    return {"type": "time", "value": {"time": stamp, "timezone": 0, "before": 0, "after": 0,
                                      "precision": precision, "calendarmodel": calendar}}


def quantity_value(amount: int) -> dict[str, Any]:
    """A unitless whole-number quantity datavalue."""
    return {"type": "quantity", "value": {"amount": f"+{amount}", "unit": "1"}}


def snak(pid: str, datatype: str, datavalue: dict[str, Any]) -> dict[str, Any]:
    """A value snak of property ``pid`` with its datatype."""
    return {"snaktype": "value", "property": pid, "datatype": datatype, "datavalue": datavalue}


def by_property(snaks: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Snaks grouped by property, in first-seen order (how references and qualifiers go
    on the wire, next to a ``…-order`` list of the keys)."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for s in snaks:
        grouped.setdefault(s["property"], []).append(s)
    return grouped


def reference_block(snaks: list[dict[str, Any]]) -> dict[str, Any]:
    """A reference in wire form (``snaks`` grouped by property, with their order)."""
    grouped = by_property(snaks)
    return {"snaks": grouped, "snaks-order": list(grouped)}



# ---- normal forms

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
