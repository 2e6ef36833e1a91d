"""The proposal: per entity, the operations a live run would make, for people to review.

``build_proposal`` plans (mapping + current entities -> desired -> diff -> QA);
``build_edit`` turns a group and a chosen subset of its operations into the exact
``wbeditentity`` request, so apply can rebuild the edit from the approved operations
only. ``save_proposal`` writes atomically; ``load_proposal`` validates against
``schemas/proposal.schema.json`` and reports located problems.

Format: ``toolkit-proposal/1`` (see the schema's descriptions). Operation ids are stable
across re-proposals (they hash what the operation is about, not its details); the
operation hash covers its whole content, and a review decision only counts for the hash
it was taken on.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol, cast

import toolkit
from toolkit import schema_dir
from toolkit.edits.desired import DesiredEntity, build_desired
from toolkit.edits.diff import EntityDiff, Operation, diff_entity
from toolkit.edits.qa import check_proposal, finding
from toolkit.edits.values import PLACEHOLDER_PREFIX
from toolkit.edits.wire import (
    EditDoc,
    FindingDoc,
    GroupDoc,
    OperationDoc,
    ProposalDoc,
    SiteDoc,
    no_rationale,
)
from toolkit.errors import Problem, ValidationFailed
from toolkit.files import parse_json, read_text, write_atomic
from toolkit.mapping.model import Mapping
from toolkit.wiki.site import WIKIDATA, SiteProfile

FORMAT = "toolkit-proposal/1"
SCHEMA_PATH = schema_dir() / "proposal.schema.json"
OP_KINDS = ("create_item", "add_claim", "add_reference", "add_label", "add_description",
            "add_alias")


class EntityReader(Protocol):
    """What propose needs from a Wikibase client (toolkit.wiki.wikibase.WikibaseReader)."""

    def get_entities(self, ids: list[str]) -> dict[str, dict[str, Any] | None]: ...

    def find_by_statement(self, pid: str, value: str) -> list[str] | None: ...


@dataclass
class ProposeSettings:
    """How to propose: the site, whether the wiki may be asked, and the run's clock."""

    profile: SiteProfile = WIKIDATA
    offline: bool = True
    mapping_path: str = ""
    created: dt.datetime | None = None


def canonical(data: Any) -> str:
    """Canonical JSON (sorted keys, no spaces): what hashes and comparisons use."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def operation_target(group: GroupDoc) -> str:
    """The item a group's operations edit: its QID, or its placeholder for a new item."""
    return str(group.get("id") or group.get("placeholder") or group.get("key") or "")


def operation_hash(op: OperationDoc | dict[str, Any], target: str) -> str:
    """Content hash of an operation: the item it edits (``target``, see
    :func:`operation_target`), kind, property, language and the exact data. The target
    counts: an approval to add a label to Q1 does not follow the operation to Q2 when the
    mapping is re-aligned, nor when someone edits the group's id in the file."""
    body = {k: op.get(k) for k in ("kind", "property", "language", "data")}
    body["target"] = target
    return "sha256:" + hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()


def operation_id(key: str, op: Operation) -> str:
    """Stable id: what the operation is about (entity, kind, property, value identity)."""
    ident = "|".join((key, op.kind, op.property or "", op.language or "", op.identity))
    return "op-" + hashlib.sha256(ident.encode("utf-8")).hexdigest()[:12]


def _op_json(key: str, op: Operation, target: str) -> OperationDoc:
    out: dict[str, Any] = {"id": operation_id(key, op), "kind": op.kind}
    if op.property:
        out["property"] = op.property
    if op.language:
        out["language"] = op.language
    out["data"] = op.data
    out["rationale"] = op.rationale
    out["hash"] = operation_hash(out, target)
    out["review"] = {"state": "pending"}
    return cast(OperationDoc, out)  # the keys in schema order (the hash is over them)


def build_edit(group: GroupDoc, operations: Iterable[OperationDoc]) -> EditDoc | None:
    """The exact wbeditentity request for ``operations`` of ``group``; None if nothing.

    Labels and descriptions are set only where the proposal found none (the diff never
    proposes to replace one); aliases carry ``add`` so existing ones stay; an
    ``add_reference`` sends the full existing claim (with its id) plus the new reference,
    and several on one claim are merged. Item values ``NEW-...`` name another group's
    item to create: apply substitutes the created id before sending.
    """
    data: dict[str, Any] = {}
    create = False
    claims: list[dict[str, Any]] = []
    by_claim_id: dict[str, dict[str, Any]] = {}
    for op in operations:
        kind, payload = op["kind"], op["data"]
        if kind == "create_item":
            create = True
        elif kind in ("add_label", "add_description"):
            field = "labels" if kind == "add_label" else "descriptions"
            data.setdefault(field, {})[payload["language"]] = {
                "language": payload["language"], "value": payload["value"]}
        elif kind == "add_alias":
            data.setdefault("aliases", {}).setdefault(payload["language"], []).append(
                {"language": payload["language"], "value": payload["value"], "add": ""})
        elif kind == "add_claim":
            claims.append(copy.deepcopy(payload))
        elif kind == "add_reference":
            claim_id = payload.get("id", "")
            if claim_id in by_claim_id:
                refs = by_claim_id[claim_id].setdefault("references", [])
                for ref in payload.get("references") or []:
                    if canonical(ref) not in {canonical(r) for r in refs}:
                        refs.append(copy.deepcopy(ref))
            else:
                claim = copy.deepcopy(payload)
                by_claim_id[claim_id] = claim
                claims.append(claim)
    if claims:
        data["claims"] = claims
    if not data and not create:
        return None
    if create and group.get("id"):
        create = False  # an existing item is never created again
    edit: dict[str, Any] = {"action": "wbeditentity"}  # keys in the order sent
    if create or not group.get("id"):
        edit["new"] = "item"
    else:
        edit["id"] = str(group["id"])
        base_revision = group.get("base_revision")
        if base_revision:
            edit["baserevid"] = base_revision
    edit["summary"] = group.get("summary") or "toolkit proposal"
    edit["data"] = data
    return cast(EditDoc, edit)


def _references_placeholder(data: Any, placeholders: set[str]) -> str | None:
    text = canonical(data)
    for ph in placeholders:
        if f'"id":"{ph}"' in text:
            return ph
    return None


def build_proposal(mapping: Mapping, settings: ProposeSettings,
                   reader: EntityReader | None = None) -> ProposalDoc:
    """Plan the edits for a mapping: the whole proposal document (see the schema)."""
    profile = settings.profile
    created = settings.created or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    batch_id = "tk-" + hashlib.sha256(f"{mapping.digest}|{stamp}".encode()).hexdigest()[:12]
    desired = build_desired(mapping, profile, created.date())
    online = reader is not None and not settings.offline

    ids = [g.qid for g in desired.entities if g.qid]
    current: dict[str, dict[str, Any] | None] = {}
    if reader is not None and ids:
        current = reader.get_entities(ids)

    # Never propose to create an item that already exists (found by identifier).
    existing_found: dict[str, list[str]] = {}
    looked_up: set[str] = set()
    if online:
        assert reader is not None
        for group in desired.entities:
            if group.create:
                answers = []
                for pid, value in group.lookups:
                    hits = reader.find_by_statement(pid, value)
                    answers.append(hits is not None)
                    if hits:
                        existing_found.setdefault(group.key, []).extend(
                            f"{q} ({pid} {value})" for q in hits)
                if all(answers):
                    looked_up.add(group.key)
    blocked = {g.placeholder for g in desired.entities
               if g.key in existing_found and g.placeholder is not None}

    art = mapping.article
    summary_base = f"from [[:{art.language}:{art.title}]]" if art.title else "from a mapping"
    groups = []
    for desired_group in desired.entities:
        groups.append(_group(desired_group, current, profile, desired_group.key in looked_up,
                             existing_found, blocked, f"Add data {summary_base} ({batch_id})"))
        if online and desired_group.create and not desired_group.lookups:
            groups[-1]["findings"].append(finding(
                "INFO", "no-identifier", "no ISBN/DOI/ISSN to look the item up by; search the "
                "wiki by title before approving its creation"))

    proposal: ProposalDoc = {
        "format": FORMAT,
        "run": {
            "toolkit_version": toolkit.__version__,
            "created": stamp,
            "batch_id": batch_id,
            "site": cast(SiteDoc, profile.to_json()),
            "mapping": {"path": settings.mapping_path or str(mapping.root),
                        "digest": mapping.digest},
            "offline": not online,
            "labels": _labels(mapping, profile),
        },
        "notes": list(desired.notes),
        "entities": groups,
    }
    check_proposal(proposal, profile)
    return proposal


def _labels(mapping: Mapping, profile: SiteProfile) -> dict[str, str]:
    """Names for the ids a reviewer will meet: the profile's, then the mapping's confirmed ones."""
    labels = profile.labels()
    if mapping.article.wiki_item:
        labels[mapping.article.wiki_item] = mapping.article.wiki
    for entity in mapping.entities:
        name = entity.name("en") or entity.name(mapping.article.language)
        if entity.alignment.confirmed_qid and name:
            labels[entity.alignment.confirmed_qid] = name
    return labels


def _group(desired: DesiredEntity, current: dict[str, dict[str, Any] | None],
           profile: SiteProfile, looked_up: bool, found: dict[str, list[str]],
           blocked: set[str], summary: str) -> GroupDoc:
    cur: dict[str, Any] | None = None
    checked = looked_up  # for an item to create: were its identifiers looked up?
    findings: list[FindingDoc] = []
    if desired.qid:
        cur = current.get(desired.qid)
        checked = cur is not None
        if cur is not None and "missing" in cur:
            findings.append(finding("CRITICAL", "missing-item",
                                     f"{desired.qid} does not exist on the wiki"))
    group: GroupDoc = {
        "key": desired.key,
        "id": desired.qid,
        "placeholder": desired.placeholder,
        "label": desired.label,
        "base_revision": (cur or {}).get("lastrevid") if desired.qid else None,
        "checked": checked,
        "current": cur,
        "summary": summary,
        "operations": [],
        "findings": findings,
        "notes": list(desired.notes),
        "conflicts": [],
        "rationale": desired.rationale,
        "edit": None,
    }
    if desired.key in found:
        findings.append(finding(
            "IMPORTANT", "exists-on-wiki",
            "the mapping says create, but the wiki already has "
            + ", ".join(found[desired.key]) + "; no creation proposed — align it instead"))
        return group
    if cur is not None and "missing" in cur:
        return group
    diff: EntityDiff = diff_entity(desired, cur, profile)
    ops = []
    for op in diff.operations:
        ph = _references_placeholder(op.data, blocked)
        if ph:
            group["notes"].append(f"{op.kind} {op.property or ''} left out: it points to "
                                  f"{ph}, whose item already exists on the wiki")
            continue
        ops.append(_op_json(desired.key, op, operation_target(group)))
    group["operations"] = ops
    group["conflicts"] = diff.conflicts
    group["notes"].extend(diff.notes)
    group["edit"] = build_edit(group, ops)
    return group


def proposal_json(proposal: ProposalDoc) -> str:
    """The proposal file text (indented, UTF-8, final newline)."""
    return json.dumps(proposal, ensure_ascii=False, indent=2) + "\n"


def save_proposal(path: str | Path, proposal: ProposalDoc) -> Path:
    """Write the proposal atomically (whole or not at all)."""
    return write_atomic(path, proposal_json(proposal))


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def proposal_problems(proposal: Any, file: str = "proposal") -> list[Problem]:
    """Schema problems (with JSON pointers) plus hash and id consistency checks."""
    problems = []
    for err in _validator().iter_errors(proposal):
        pointer = "/" + "/".join(str(p) for p in err.absolute_path)
        problems.append(Problem(file, 0, 0, err.message, f"schema:{err.validator}",
                                pointer if err.absolute_path else ""))
    if problems:
        return sorted(set(problems))
    seen: set[str] = set()
    for i, group in enumerate(proposal["entities"]):
        for j, op in enumerate(group["operations"]):
            where = f"/entities/{i}/operations/{j}"
            if op["id"] in seen:
                problems.append(Problem(file, 0, 0, f"duplicate operation id {op['id']}",
                                        "unique-id", where + "/id"))
            seen.add(op["id"])
            if operation_hash(op, operation_target(group)) != op["hash"]:
                problems.append(Problem(file, 0, 0, "operation content or target does not "
                                        "match its hash (edited after proposing?)", "hash",
                                        where + "/hash"))
    return problems


def load_proposal(path: str | Path) -> ProposalDoc:
    """Read and validate a proposal; raise InputError/ValidationFailed with locations."""
    file = str(path)
    proposal = parse_json(read_text(path, "proposal"), file)
    problems = proposal_problems(proposal, file)
    if problems:
        raise ValidationFailed(problems)
    return cast(ProposalDoc, proposal)  # it has just been validated against the schema


def placeholder_refs(group: GroupDoc) -> set[str]:
    """Placeholders of other groups that this group's operations point to."""
    return placeholders_in(group.get("operations", [])) - {group.get("placeholder")}


def placeholders_in(operations: Iterable[OperationDoc]) -> set[str]:
    """The ``NEW-...`` placeholders the operations' data point to."""
    text = canonical([op["data"] for op in operations])
    out = set()
    start = 0
    marker = f'"id":"{PLACEHOLDER_PREFIX}'
    while (i := text.find(marker, start)) >= 0:
        end = text.find('"', i + len('"id":"'))
        out.add(text[i + len('"id":"'):end])
        start = end
    return out


@dataclass
class ProposeOptions:
    """Options of ``toolkit propose`` (all optional; the default is Wikidata, online)."""

    offline: bool = False
    api_url: str | None = None
    cache_dir: Path | None = None
    site_profile: Path | None = None
    user_agent: str = ""
    contact: str = ""  # e-mail or URL put into the generated User-Agent


def propose_mapping(mapping_dir: str | Path, options: ProposeOptions) -> ProposalDoc:
    """Load a mapping, read the current state (or only the cache), build the proposal.

    Needs no account and writes nothing but the reader's cache (only when ``cache_dir``
    is given).
    """
    from toolkit.mapping.load import load_mapping

    return propose(load_mapping(mapping_dir), options, str(mapping_dir))


def propose(mapping: Mapping, options: ProposeOptions, mapping_path: str = "") -> ProposalDoc:
    """:func:`propose_mapping` for a mapping already loaded (``mapping_path`` is recorded)."""
    from toolkit.wiki.site import load_site_profile
    from toolkit.wiki.wikibase import WikibaseReader, WikibaseSettings

    profile = load_site_profile(options.site_profile) if options.site_profile else WIKIDATA
    profile = profile.with_api_url(options.api_url)
    reader = WikibaseReader(WikibaseSettings(
        api_url=profile.api_url, cache_dir=options.cache_dir, offline=options.offline,
        user_agent=options.user_agent, contact=options.contact))
    settings = ProposeSettings(profile=profile, offline=options.offline,
                               mapping_path=mapping_path)
    proposal = build_proposal(mapping, settings, reader)
    if not options.site_profile and profile.api_url != WIKIDATA.api_url:
        # another wiki with Wikidata's property and class ids is right only for a mirror
        proposal["notes"].insert(0, f"{profile.api_url} is not Wikidata, but Wikidata's "
                                 "property and class ids were used (no --site-profile): "
                                 "check them before approving anything")
    return proposal


def proposal_counts(proposal: ProposalDoc) -> dict[str, int]:
    """Numbers for a one-line summary of a proposal."""
    groups = proposal["entities"]
    return {
        "entities": len(groups),
        "edits": sum(1 for g in groups if g["edit"]),
        "creations": sum(1 for g in groups if g["edit"] and "new" in g["edit"]),
        "operations": sum(len(g["operations"]) for g in groups),
        "not_checked": sum(1 for g in groups if not g["checked"] and g["operations"]),
        "conflicts": sum(len(g["conflicts"]) for g in groups),
        "critical": sum(1 for g in groups for f in g["findings"]
                        if f["severity"] == "CRITICAL"),
    }


def desired_from_group(group: GroupDoc) -> DesiredEntity:
    """The intent of a group's operations, as a desired entity (to diff it again)."""
    from toolkit.edits.desired import DesiredStatement

    desired = DesiredEntity(key=group["key"], label=group.get("label", ""), qid=group.get("id"),
                            placeholder=group.get("placeholder"),
                            rationale=group.get("rationale") or no_rationale())
    for op in group["operations"]:
        kind, data = op["kind"], op["data"]
        if kind == "add_label":
            desired.labels[data["language"]] = data["value"]
            if group["key"].startswith("entity:"):
                # as in toolkit.edits.desired: the surface form stays as an alias if the item
                # turns out to have another label
                desired.aliases.setdefault(data["language"], []).insert(0, data["value"])
        elif kind == "add_description":
            desired.descriptions[data["language"]] = data["value"]
        elif kind == "add_alias":
            desired.aliases.setdefault(data["language"], []).append(data["value"])
        elif kind in ("add_claim", "add_reference"):
            refs = data.get("references") or []
            quals = [] if kind == "add_reference" else [
                q for qs in (data.get("qualifiers") or {}).values() for q in qs]
            desired.statements.append(DesiredStatement(
                mainsnak=data["mainsnak"], qualifiers=quals,
                reference=refs[-1] if refs else None, rationale=op["rationale"]))
    return desired


def rebase_group(group: GroupDoc, current: dict[str, Any] | None,
                 profile: SiteProfile = WIKIDATA) -> GroupDoc:
    """The group diffed again against a newer ``current`` state (e.g. before a live write
    to an entity that changed since, or was not checked).

    What is now present is dropped, a statement that appeared becomes an add_reference,
    a new conflicting value becomes a conflict. Unchanged operations keep their id, hash
    and review; changed ones get a new hash, so earlier decisions no longer apply.
    """
    desired = desired_from_group(group)
    diff = diff_entity(desired, current, profile)
    old = {op["id"]: op for op in group["operations"]}
    ops = []
    for op in diff.operations:
        new = _op_json(group["key"], op, operation_target(group))
        before = old.get(new["id"])
        if before is not None and before["hash"] == new["hash"]:
            new["review"] = before["review"]
        ops.append(new)
    out: GroupDoc = {**group, "operations": ops, "conflicts": diff.conflicts,
           "current": current, "checked": current is not None or group.get("id") is None,
           "base_revision": (current or {}).get("lastrevid") if group.get("id") else None,
           "notes": [*group.get("notes", []), *diff.notes]}
    out["edit"] = build_edit(out, ops)
    return out
