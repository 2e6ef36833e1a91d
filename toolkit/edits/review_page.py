"""The review app's page: every operation with the live item beside it, and its controls.

Rendered on the server with the static report's helpers (:mod:`toolkit.edits.report`), so
labels are resolved, right-to-left text carries ``dir``/``lang`` and every value from a
wiki or a mapping is escaped exactly as in the HTML report. The page has no inline script
or style: ``app.js`` and ``app.css`` come from the app itself (its CSP allows nothing else),
and the script writes server answers with ``textContent`` only.
"""

from __future__ import annotations

from toolkit.edits.decisions import counts, group_name, op_state
from toolkit.edits.qa import blocking
from toolkit.edits.report import (
    current_values_html,
    escape_html,
    findings_html,
    known_labels,
    op_label_html,
    proposed_html,
    rationale_html,
)
from toolkit.edits.wire import FindingDoc, GroupDoc, OperationDoc, ProposalDoc

_e = escape_html

KEYS_HELP = "keys: j / k next / previous operation · a approve · r reject · c comment"


def entity_kind(group: GroupDoc) -> str:
    """What kind of thing a group is about: its key's prefix (``source``, ``entity``)."""
    key = str(group.get("key", ""))
    return key.split(":", 1)[0] if ":" in key else "other"


def progress_text(proposal: ProposalDoc) -> str:
    """``34 of 82 decided``."""
    c = counts(proposal)
    return f"{c['approved'] + c['rejected']} of {sum(c.values())} decided"


def _findings_for(group: GroupDoc, op_id: str) -> list[FindingDoc]:
    """The group's findings that concern an operation: group-wide ones and its own."""
    return [f for f in group.get("findings") or [] if f.get("operation") in (None, op_id)]


def review_line_html(op: OperationDoc) -> str:
    """The decision as shown: state, who and when, and the comment."""
    state = op_state(op)
    review = op.get("review") or {}
    who = " ".join(str(review[k]) for k in ("reviewer", "time") if review.get(k))
    comment = str(review.get("comment", ""))
    return (f'<span class="state state-{state}">{state}</span> '
            f'<span class="who muted">{_e(who)}</span> '
            f'<span class="saved-comment" dir="auto">{_e(comment)}</span>')


def _op_html(group: GroupDoc, op: OperationDoc, labels: dict[str, str],
             entity_uri: str) -> str:
    op_id = str(op.get("id", ""))
    critical = bool(blocking(group, op_id))
    has_findings = bool(_findings_for(group, op_id))
    comment = str((op.get("review") or {}).get("comment", ""))
    approve = ('<button type="button" class="approve" disabled '
               'title="a CRITICAL finding blocks this operation">approve</button>'
               if critical else '<button type="button" class="approve">approve</button>')
    blocked = ('<div class="blocked sev-CRITICAL">CRITICAL finding: this operation cannot '
               'be approved</div>' if critical else "")
    return (
        f'<article class="op" tabindex="-1" id="{_e(op_id)}" data-op="{_e(op_id)}" '
        f'data-hash="{_e(op.get("hash", ""))}" data-state="{op_state(op)}" '
        f'data-findings="{int(has_findings)}" data-critical="{int(critical)}">'
        f'<div class="op-head"><div class="op-label">{op_label_html(op, labels)}</div>'
        f'<div class="review">{review_line_html(op)}</div></div>'
        '<div class="sides">'
        f'<div class="current"><h3>current</h3>'
        f'{current_values_html(group, op, labels, entity_uri)}</div>'
        f'<div class="proposed"><h3>proposed</h3>{proposed_html(op, labels, entity_uri)}</div>'
        "</div>"
        f'<div class="cite"><span class="muted">from the article:</span> '
        f"{rationale_html(op)}</div>{blocked}"
        '<div class="actions">'
        f'<input type="text" class="comment" dir="auto" maxlength="2000" '
        f'placeholder="comment (saved with the decision)" aria-label="comment on {_e(op_id)}" '
        f'value="{_e(comment)}">'
        f'{approve}<button type="button" class="reject">reject</button>'
        '<button type="button" class="save-comment">comment</button></div></article>')


def _group_html(group: GroupDoc, labels: dict[str, str], entity_uri: str) -> str:
    name = group_name(group)
    findings = group.get("findings") or []
    out = [f'<section class="entity" data-kind="{_e(entity_kind(group))}">',
           f'<h2>{_e(name)} <span dir="auto">{_e(group.get("label") or "")}</span></h2>',
           f'<div class="muted">{_e(group.get("key", ""))}</div>']
    if group.get("checked") is False:
        out.append('<div class="sev-WARNING">not checked against the wiki</div>')
    if findings:
        out.append(findings_html(findings))
    out += [f'<div class="note muted" dir="auto">note: {_e(n)}</div>'
            for n in group.get("notes") or []]
    ops = group.get("operations") or []
    if not ops:
        out.append('<p class="muted none">No change proposed.</p>')
    out += [_op_html(group, op, labels, entity_uri) for op in ops]
    out.append("</section>")
    return "".join(out)


def _filters_html(proposal: ProposalDoc) -> str:
    kinds = sorted({entity_kind(g) for g in proposal.get("entities", [])})
    options = "".join(f'<option value="{_e(k)}">{_e(k)}</option>' for k in kinds)
    return ('<form id="filters" class="filters">'
            '<label><input type="checkbox" id="f-pending"> pending only</label> '
            '<label><input type="checkbox" id="f-findings"> with findings only</label> '
            f'<label>entity kind <select id="f-kind"><option value="">all</option>{options}'
            "</select></label></form>")


def render_review_page(proposal: ProposalDoc, *, csrf_token: str, reviewer: str,
                       file_name: str) -> str:
    """The whole page for one session (``csrf_token`` goes into a meta tag for app.js)."""
    labels = known_labels(proposal)
    run = proposal.get("run", {})
    entity_uri = str(run.get("site", {}).get("entity_uri", ""))
    title = f"Review of batch {run.get('batch_id', '?')}"
    body = "".join(_group_html(g, labels, entity_uri) for g in proposal.get("entities", []))
    notes = "".join(f'<li dir="auto">{_e(n)}</li>' for n in proposal.get("notes") or [])
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en" dir="ltr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="csrf-token" content="{_e(csrf_token)}">'
        f"<title>{_e(title)}</title>"
        '<link rel="stylesheet" href="/app.css"><script src="/app.js" defer></script>'
        '</head><body><header class="bar">'
        f'<h1>{_e(title)}</h1><p id="progress" aria-live="polite">{progress_text(proposal)}</p>'
        f'<p class="muted">reviewer <b>{_e(reviewer)}</b> · file {_e(file_name)} · every '
        "decision is saved to the file at once</p>"
        f"{_filters_html(proposal)}<p class=\"muted\">{_e(KEYS_HELP)}</p>"
        '<p id="message" role="status"></p></header>'
        f'<main>{"<ul class=notes>" + notes + "</ul>" if notes else ""}{body}</main>'
        "</body></html>\n")
