"""Review reports: a self-contained HTML page and a Markdown page for talk pages and PRs.

Every value that came from a wiki or a mapping (labels, titles, citations, messages) is
user-controlled text: the HTML page escapes it with :func:`html.escape` and carries a
Content-Security-Policy that forbids scripts, so a hostile label is shown, never run. The
Markdown page replaces every character that is active in Markdown or wikitext with a
numeric character reference (see :func:`escape_markdown`), which both renderers show as
the plain character. Right-to-left text gets ``dir="rtl"`` (monolingual values in an RTL
language) or ``dir="auto"`` (labels and strings of unknown direction).
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from toolkit.edits.values import PLACEHOLDER_PREFIX, item_id
from toolkit.edits.wire import FindingDoc, GroupDoc, OperationDoc, ProposalDoc
from toolkit.files import write_atomic

# Languages written right to left (Wikimedia language codes).
RTL_LANGUAGES = frozenset({
    "ar", "arc", "arz", "ary", "azb", "bcc", "bqi", "ckb", "dv", "fa", "glk", "he", "khw",
    "ks", "ku-arab", "lki", "luz", "mzn", "nqo", "pnb", "ps", "sd", "sdh", "skr", "ug", "ur",
    "yi", "ha-arab", "ms-arab", "sq-arab",
})

KIND_NAMES = {
    "create_item": "create item",
    "add_claim": "add statement",
    "add_reference": "add reference",
    "add_label": "add label",
    "add_description": "add description",
    "add_alias": "add alias",
}

TERM_KINDS = {"add_label": "labels", "add_description": "descriptions", "add_alias": "aliases"}

PRECISION_FORMAT = {9: 4, 10: 7, 11: 10}  # year, month, day -> characters of the date kept


def is_rtl(language: str | None) -> bool:
    """True for a language written right to left."""
    return bool(language) and str(language).lower() in RTL_LANGUAGES


# -- labels and plain text ----------------------------------------------------------------


def known_labels(proposal: ProposalDoc) -> dict[str, str]:
    """Labels of items the proposal knows: its groups, and any ``labels`` table it carries."""
    labels: dict[str, str] = {}
    for table in (proposal.get("labels"), proposal.get("run", {}).get("labels")):
        if isinstance(table, dict):
            labels.update({str(k): str(v) for k, v in table.items() if v})
    for group in proposal.get("entities", []):
        current = group.get("current") or {}
        cur_labels = current.get("labels") or {}
        label = group.get("label") or next(
            (cur_labels[lang]["value"] for lang in ("en", "ar") if lang in cur_labels), None)
        for ident in (group.get("id"), group.get("placeholder")):
            if ident and label:
                labels.setdefault(str(ident), str(label))
    return labels


def format_time(value: dict[str, Any]) -> str:
    """A Wikibase time value as ISO text cut to its precision ("2018", "2018-05")."""
    raw = str(value.get("time", ""))
    sign = "-" if raw.startswith("-") else ""
    body = raw.lstrip("+-")
    keep = PRECISION_FORMAT.get(int(value.get("precision", 11)), 10)
    return sign + body[:keep]


def datavalue_text(datavalue: dict[str, Any] | None, labels: dict[str, str]) -> str:
    """Plain text for a datavalue: ``Q5 (human)``, ``ar:"…"``, ``2018``, ``"…"``."""
    if not datavalue:
        return "(no value)"
    kind = datavalue.get("type")
    value = datavalue.get("value")
    if kind == "wikibase-entityid" and isinstance(value, dict):
        ident = item_id(value)
        label = labels.get(ident)
        return f"{ident} ({label})" if label else ident
    if kind == "monolingualtext" and isinstance(value, dict):
        return f"{value.get('language')}:\"{value.get('text')}\""
    if kind == "time" and isinstance(value, dict):
        return format_time(value)
    if kind == "quantity" and isinstance(value, dict):
        return str(value.get("amount", "")).lstrip("+")
    if kind == "globecoordinate" and isinstance(value, dict):
        return f"{value.get('latitude')}, {value.get('longitude')}"
    return f"\"{value}\"" if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def snak_text(snak: dict[str, Any], labels: dict[str, str]) -> str:
    """Plain text for a snak: ``P31 = Q5 (human)``."""
    prop = str(snak.get("property", "?"))
    if snak.get("snaktype", "value") != "value":
        return f"{prop} = ({snak.get('snaktype')})"
    return f"{prop} = {datavalue_text(snak.get('datavalue'), labels)}"


def operation_text(op: OperationDoc, labels: dict[str, str]) -> str:
    """One line of plain text for an operation."""
    kind = str(op.get("kind", "?"))
    data = op.get("data") or {}
    name = KIND_NAMES.get(kind, kind)
    if kind == "create_item":
        return name
    if kind in TERM_KINDS:
        return f"{name} {data.get('language', op.get('language', '?'))}: \"{data.get('value')}\""
    if kind == "add_claim":
        refs = len(data.get("references", []))
        quals = sum(len(v) for v in (data.get("qualifiers") or {}).values())
        extra = f" (+{quals} qualifier(s))" if quals else ""
        return f"{name} {snak_text(data.get('mainsnak', {}), labels)}{extra}, {refs} reference(s)"
    if kind == "add_reference":
        return f"{name} to {snak_text(data.get('mainsnak', {}), labels)} [{data.get('id', '')}]"
    return name


# -- HTML ---------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#202122;line-height:1.4}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin:0}
section.entity{border:1px solid #c8ccd1;border-radius:4px;margin:1rem 0;padding:.8rem}
table{border-collapse:collapse;width:100%;margin-top:.5rem}
th,td{border:1px solid #eaecf0;padding:.3rem .5rem;vertical-align:top;text-align:start}
th{background:#f8f9fa}
td.current{background:#fbfbfb;width:32%}td.proposed{background:#f1fbf5;width:32%}
.state-approved{color:#14866d;font-weight:bold}.state-rejected{color:#b32424;font-weight:bold}
.state-pending{color:#72777d}
.sev-CRITICAL{color:#b32424;font-weight:bold}.sev-IMPORTANT{color:#ac6600;font-weight:bold}
.sev-WARNING{color:#ac6600}.sev-INFO{color:#36c}
.muted{color:#72777d}.ref{font-size:.9em;color:#54595d}
ul{margin:.2rem 0;padding-inline-start:1.2rem}
"""


def escape_html(text: Any) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return html.escape(str(text), quote=True)


_e = escape_html


def _lang_html(text: Any, lang: str) -> str:
    """Text in a known language: ``lang`` and its direction on the element."""
    direction = "rtl" if is_rtl(lang) else "auto"
    return f'<span lang="{_e(lang)}" dir="{direction}">{_e(text)}</span>'


def _entity_link(ident: str, labels: dict[str, str], entity_uri: str) -> str:
    label = labels.get(ident)
    label_html = f' <span dir="auto" class="label">{_e(label)}</span>' if label else ""
    if ident.startswith(PLACEHOLDER_PREFIX) or not entity_uri.startswith(("http://", "https://")):
        return f"<span class=\"entity\">{_e(ident)}</span>{label_html}"
    return f'<a href="{_e(entity_uri + ident)}">{_e(ident)}</a>{label_html}'


def datavalue_html(datavalue: dict[str, Any] | None, labels: dict[str, str],
                   entity_uri: str) -> str:
    """A datavalue as escaped HTML, with ``lang``/``dir`` on text values."""
    if not datavalue:
        return '<span class="muted">(no value)</span>'
    kind = datavalue.get("type")
    value = datavalue.get("value")
    if kind == "wikibase-entityid" and isinstance(value, dict):
        ident = item_id(value)
        return _entity_link(ident, labels, entity_uri)
    if kind == "monolingualtext" and isinstance(value, dict):
        lang = str(value.get("language", ""))
        return f'{_lang_html(value.get("text", ""), lang)} <span class="muted">({_e(lang)})</span>'
    if kind in ("time", "quantity", "globecoordinate"):
        return _e(datavalue_text(datavalue, labels))
    if isinstance(value, str):
        return f'<span dir="auto">{_e(value)}</span>'
    return _e(json.dumps(value, ensure_ascii=False))


def _snak_value_html(snak: dict[str, Any], labels: dict[str, str], entity_uri: str) -> str:
    """A snak's value, or its kind (somevalue, novalue) when it has none."""
    if snak.get("snaktype", "value") != "value":
        return f'<span class="muted">({_e(snak.get("snaktype"))})</span>'
    return datavalue_html(snak.get("datavalue"), labels, entity_uri)


def _snak_html(snak: dict[str, Any], labels: dict[str, str], entity_uri: str) -> str:
    prop = str(snak.get("property", "?"))
    return f"{_prop_html(prop, labels)}: {_snak_value_html(snak, labels, entity_uri)}"


def _prop_html(prop: str, labels: dict[str, str]) -> str:
    label = labels.get(prop)
    return f"<b>{_e(prop)}</b>" + (f' <span dir="auto">({_e(label)})</span>' if label else "")


def _claim_html(claim: dict[str, Any], labels: dict[str, str], entity_uri: str,
                highlight_reference: str | None = None) -> str:
    parts = [_snak_value_html(claim.get("mainsnak", {}), labels, entity_uri)]
    quals = claim.get("qualifiers") or {}
    if quals:
        items = "".join(f"<li>{_snak_html(s, labels, entity_uri)}</li>"
                        for snaks in quals.values() for s in snaks)
        parts.append(f"<ul class=\"qualifiers\">{items}</ul>")
    for ref in claim.get("references") or []:
        snaks = "; ".join(_snak_html(s, labels, entity_uri)
                          for group in (ref.get("snaks") or {}).values() for s in group)
        new = " <b>(new)</b>" if highlight_reference and ref.get("hash") == highlight_reference \
            else ""
        parts.append(f'<div class="ref">reference{new}: {snaks}</div>')
    return "".join(parts)


def current_values_html(group: GroupDoc, op: OperationDoc, labels: dict[str, str],
                         entity_uri: str) -> str:
    """What the entity has now in the place an operation touches."""
    current = group.get("current")
    if current is None:
        if group.get("id") is None:
            return '<span class="muted">(new item)</span>'
        return '<span class="muted">(not checked against the wiki)</span>'
    kind = op.get("kind")
    data = op.get("data") or {}
    if kind in TERM_KINDS:
        lang = str(data.get("language", op.get("language", "")))
        entries = (current.get(TERM_KINDS[str(kind)]) or {}).get(lang)
        if not entries:
            return '<span class="muted">(none)</span>'
        entries = entries if isinstance(entries, list) else [entries]
        return "<br>".join(_lang_html(t.get("value"), lang) for t in entries)
    if kind == "create_item":
        return '<span class="muted">(does not exist yet)</span>'
    prop = str(op.get("property") or data.get("mainsnak", {}).get("property", ""))
    claims = (current.get("claims") or {}).get(prop, [])
    if kind == "add_reference":
        claims = [c for c in claims if c.get("id") == data.get("id")] or claims
    if not claims:
        return '<span class="muted">(none)</span>'
    return "".join(f"<div class=\"claim\">{_claim_html(c, labels, entity_uri)}</div>"
                   for c in claims)


def proposed_html(op: OperationDoc, labels: dict[str, str], entity_uri: str) -> str:
    """What an operation would add, as escaped HTML."""
    kind = op.get("kind")
    data = op.get("data") or {}
    if kind == "create_item":
        return "a new item"
    if kind in TERM_KINDS:
        lang = str(data.get("language", op.get("language", "")))
        return f'{_lang_html(data.get("value", ""), lang)} <span class="muted">({_e(lang)})</span>'
    new_ref = None
    if kind == "add_reference" and data.get("references"):
        new_ref = data["references"][-1].get("hash")
    return _claim_html(data, labels, entity_uri, highlight_reference=new_ref)


def rationale_html(op: OperationDoc) -> str:
    """Where an operation comes from: the citation line, the reason, the mapping file."""
    rat = op.get("rationale") or {}
    parts = []
    if rat.get("citation"):
        parts.append(f'<q dir="auto">{_e(rat["citation"])}</q>')
    if rat.get("reason"):
        parts.append(f'<div dir="auto">{_e(rat["reason"])}</div>')
    if rat.get("mapping_file"):
        where = str(rat["mapping_file"]) + (f":{rat['line']}" if rat.get("line") else "")
        parts.append(f'<div class="muted">{_e(where)}</div>')
    return "".join(parts) or '<span class="muted">—</span>'


def op_label_html(op: OperationDoc, labels: dict[str, str]) -> str:
    """An operation's kind, property and id, as escaped HTML."""
    kind = str(op.get("kind", ""))
    text = _e(KIND_NAMES.get(kind, kind))
    prop = op.get("property") or (op.get("data") or {}).get("mainsnak", {}).get("property")
    if prop and kind in ("add_claim", "add_reference"):
        text += "<br>" + _prop_html(str(prop), labels)
    return text + f'<div class="muted">{_e(op.get("id", ""))}</div>'


def findings_html(findings: list[FindingDoc]) -> str:
    """QA findings as an escaped list: severity (styled), code, message, operation."""
    items = "".join(
        f'<li><span class="sev-{_e(f.get("severity", "INFO"))}">{_e(f.get("severity"))}'
        f"</span> {_e(f.get('code', ''))}: <span dir=\"auto\">{_e(f.get('message', ''))}"
        f"</span>{' (' + _e(f['operation']) + ')' if f.get('operation') else ''}</li>"
        for f in findings)
    return f'<ul class="findings">{items}</ul>'


def _group_html(group: GroupDoc, labels: dict[str, str], entity_uri: str) -> str:
    from toolkit.edits.decisions import group_name, op_state

    name = group_name(group)
    checked = "" if group.get("checked", True) else \
        ' <span class="sev-WARNING">not checked against the wiki</span>'
    base = group.get("base_revision")
    out = [f'<section class="entity" id="{_e(group.get("key", name))}">',
           f'<h2>{_e(name)} <span dir="auto">{_e(group.get("label") or "")}</span></h2>',
           f'<div class="muted">{_e(group.get("key", ""))}'
           f'{" · revision " + _e(base) if base else ""}</div>{checked}']
    findings = group.get("findings") or []
    if findings:
        out.append(findings_html(findings))
    for note in group.get("notes") or []:
        out.append(f'<div class="note muted" dir="auto">note: {_e(note)}</div>')
    for conflict in group.get("conflicts") or []:
        out.append(f'<div class="conflict sev-IMPORTANT" dir="auto">conflict '
                   f'{_e(conflict.get("property", ""))}: {_e(conflict.get("message", ""))}</div>')
    ops = group.get("operations") or []
    if not ops:
        out.append('<p class="muted">No change proposed.</p></section>')
        return "".join(out)
    rows = []
    for op in ops:
        state = op_state(op)
        review = op.get("review") or {}
        who = ""
        if state != "pending":
            who = (f'<div class="muted">{_e(review.get("reviewer", ""))} '
                   f'{_e(review.get("time", ""))}</div>')
            if review.get("comment"):
                who += f'<div dir="auto">{_e(review["comment"])}</div>'
        rows.append(
            f'<tr id="{_e(op.get("id", ""))}"><td>{op_label_html(op, labels)}</td>'
            f'<td class="current">{current_values_html(group, op, labels, entity_uri)}</td>'
            f'<td class="proposed">{proposed_html(op, labels, entity_uri)}</td>'
            f'<td class="state-{state}">{state}{who}</td>'
            f"<td>{rationale_html(op)}</td></tr>")
    out.append("<table><thead><tr><th>operation</th><th>current</th><th>proposed</th>"
               "<th>review</th><th>from the article</th></tr></thead><tbody>"
               + "".join(rows) + "</tbody></table></section>")
    return "".join(out)


def render_html(proposal: ProposalDoc) -> str:
    """The review page: one self-contained HTML document (no scripts, no external assets)."""
    from toolkit.edits.decisions import counts, findings_by_severity

    labels = known_labels(proposal)
    run = proposal.get("run", {})
    site = run.get("site", {})
    entity_uri = str(site.get("entity_uri", ""))
    c = counts(proposal)
    sev = findings_by_severity(proposal)
    title = f"Review of batch {run.get('batch_id', '?')}"
    summary = (f"{len(proposal.get('entities', []))} entities · "
               f"{sum(c.values())} operations ({c['approved']} approved, {c['rejected']} "
               f"rejected, {c['pending']} pending) · findings: "
               + ", ".join(f'<span class="sev-{k}">{k} {v}</span>' for k, v in sev.items()))
    mapping = run.get("mapping", {})
    meta = (f"site {_e(site.get('name', '?'))} ({_e(site.get('api_url', ''))}) · mapping "
            f"{_e(mapping.get('path', '?'))} · created {_e(run.get('created', '?'))}"
            + (" · offline (not checked against the wiki)" if run.get("offline") else ""))
    notes = "".join(f'<li dir="auto">{_e(n)}</li>' for n in proposal.get("notes") or [])
    notes_html = f'<ul class="notes">{notes}</ul>' if notes else ""
    body = "".join(_group_html(g, labels, entity_uri) for g in proposal.get("entities", []))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en" dir="ltr"><head><meta charset="utf-8">'
        # No script may run on this page, whatever a label contains; styles are inline.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{_e(title)}</h1><p>{summary}</p><p class=\"muted\">{meta}</p>"
        f"{notes_html}{body}</body></html>\n"
    )


def write_html(proposal: ProposalDoc, path: str | Path) -> Path:
    """Write the HTML review page atomically."""
    return write_atomic(path, render_html(proposal))


# -- Markdown -----------------------------------------------------------------------------

# Characters that start markup in Markdown (GitHub) or wikitext (templates, links, tables,
# signatures, bold/italic, magic words, HTML); each becomes a numeric character reference.
_MARKUP_CHARS = set("\\`*_{}[]()<>#+!|&~=':;^\"$%@")


def escape_markdown(text: Any) -> str:
    """Make text inert in Markdown and wikitext: active characters become ``&#NN;``."""
    out = []
    for ch in str(text):
        if ch in _MARKUP_CHARS:
            out.append(f"&#{ord(ch)};")
        elif ch in "\r\n\t":
            out.append(" ")
        elif not ch.isprintable():
            out.append(f"&#{ord(ch)};")
        else:
            out.append(ch)
    return "".join(out)


def render_markdown(proposal: ProposalDoc) -> str:
    """The review report as Markdown, safe to paste on a wiki talk page or in a PR."""
    from toolkit.edits.decisions import counts, findings_by_severity, group_name, op_state

    labels = known_labels(proposal)
    run = proposal.get("run", {})
    c = counts(proposal)
    sev = findings_by_severity(proposal)
    m = escape_markdown
    lines = [
        f"## Review of batch {m(run.get('batch_id', '?'))}",
        "",
        f"* site: {m(run.get('site', {}).get('name', '?'))}; mapping: "
        f"{m(run.get('mapping', {}).get('path', '?'))}; created {m(run.get('created', '?'))}",
        f"* {len(proposal.get('entities', []))} entities, {sum(c.values())} operations: "
        f"{c['approved']} approved, {c['rejected']} rejected, {c['pending']} pending",
        "* findings: " + ", ".join(f"{k} {v}" for k, v in sev.items()),
    ]
    lines += [f"* note: {m(note)}" for note in proposal.get("notes") or []]
    for group in proposal.get("entities", []):
        lines += ["", f"### {m(group_name(group))} {m(group.get('label') or '')}", ""]
        lines.append(f"* key: {m(group.get('key', ''))}"
                     + ("" if group.get("checked", True) else "; not checked against the wiki"))
        for finding in group.get("findings") or []:
            lines.append(f"* **{m(finding.get('severity'))}** {m(finding.get('code', ''))}: "
                         f"{m(finding.get('message', ''))}")
        for note in group.get("notes") or []:
            lines.append(f"* note: {m(note)}")
        ops = group.get("operations") or []
        if not ops:
            lines.append("* no change proposed")
        for op in ops:
            rat = op.get("rationale") or {}
            cite = f" — from: {m(rat['citation'])}" if rat.get("citation") else ""
            lines.append(f"* {op_state(op)}: {m(operation_text(op, labels))} "
                         f"({m(op.get('id', ''))}){cite}")
    return "\n".join(lines) + "\n"


def write_markdown(proposal: ProposalDoc, path: str | Path) -> Path:
    """Write the Markdown review report atomically."""
    return write_atomic(path, render_markdown(proposal))
