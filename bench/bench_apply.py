"""Benchmark: API writes per edited entity, toolkit apply vs pywikibot's addClaim/addSource flow.

Run from the repository root: ``python bench/bench_apply.py``.

Both apply the same approved operations (the review test fixture: a new item with a label
and two statements, an existing item with a label, two statements and a reference added
to an existing statement, and an item with an alias and a description) to a fresh loopback
Wikibase (tests/wikibase_server.py, in this process). Rows:

* ``toolkit apply --live``  - one ``wbeditentity`` per entity (target: exactly 1);
* ``pywikibot incumbent``   - ``editEntity`` to create, ``addClaim`` per statement,
  ``addSources`` per reference, ``editLabels``/``editDescriptions``/``editAliases`` per term.

Not a test: wall time varies with the machine; the request counts do not.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import pywikibot_env  # noqa: E402 - needs the repository root on sys.path

pywikibot_env.use_private_base_dir()

from tests.review_fixture import entity_records, make_proposal  # noqa: E402
from tests.wikibase_server import WikibaseServer  # noqa: E402
from toolkit.edits import apply, apply_plan, decisions, review  # noqa: E402
from toolkit.edits.proposal import save_proposal  # noqa: E402

APPROVE = ["Q910", "NEW-fixture-book", "Q920"]


def approved_proposal(server: WikibaseServer) -> dict:
    doc = make_proposal()
    doc["run"]["site"]["api_url"] = server.api_url
    review.decide(doc, approve=APPROVE, reviewer="bench")
    return doc


def writes_by_entity(server: WikibaseServer) -> Counter:
    counts: Counter = Counter()
    for req in server.write_requests:
        claim = req.params.get("claim") or req.params.get("statement") or ""
        if claim.startswith("{"):  # wbsetclaim sends the whole claim
            claim = json.loads(claim).get("id", "")
        target = (req.params.get("id") or req.params.get("entity") or claim.split("$")[0]
                  or "new item")
        counts[target.upper() if target != "new item" else target] += 1
    return counts


def run_toolkit(server: WikibaseServer) -> tuple[Counter, float]:
    os.environ[apply.USER_ENV] = "User@app"
    os.environ[apply.PASSWORD_ENV] = pywikibot_env.BOT_PASSWORD
    with tempfile.TemporaryDirectory() as tmp:
        path = save_proposal(Path(tmp) / "proposal.json", approved_proposal(server))
        started = time.perf_counter()  # includes the login and one read per entity
        result = apply.apply_proposal(path, apply.ApplySettings(live=True, throttle=0),
                                      say=lambda _m: None)
        elapsed = time.perf_counter() - started
    counts = writes_by_entity(server)
    created = result.created.get("NEW-fixture-book")
    if created and "new item" in counts:
        counts[created] += counts.pop("new item")
    return counts, elapsed


def run_pywikibot(server: WikibaseServer) -> tuple[Counter, float]:
    import pywikibot

    site = pywikibot_env.connect(server).login()
    doc = approved_proposal(server)
    started = time.perf_counter()
    created: dict[str, str] = {}
    for group in apply_plan.ordered_groups(doc["entities"]):
        ops = [op for op in group["operations"] if decisions.is_approved(op)]
        if not ops:
            continue
        if group.get("id"):
            item = pywikibot.ItemPage(site, group["id"])
            item.get()
        else:
            item = pywikibot.ItemPage(site)
            labels = {op["data"]["language"]: op["data"]["value"] for op in ops
                      if op["kind"] == "add_label"}
            item.editEntity({"labels": labels}, summary="bench")
            created[group["placeholder"]] = item.getID()
            ops = [op for op in ops if op["kind"] not in ("create_item", "add_label")]
        for op in ops:
            data = apply.substitute_placeholders(op["data"], created)
            if op["kind"] == "add_label":
                item.editLabels({data["language"]: data["value"]}, summary="bench")
            elif op["kind"] == "add_description":
                item.editDescriptions({data["language"]: data["value"]}, summary="bench")
            elif op["kind"] == "add_alias":
                item.editAliases({data["language"]: [data["value"]]}, summary="bench")
            elif op["kind"] in ("add_claim", "add_reference"):
                refs = data.get("references", [])
                if op["kind"] == "add_claim":
                    bare = {k: v for k, v in data.items() if k != "references"}
                    claim = pywikibot.Claim.fromJSON(site, bare)
                    item.addClaim(claim, summary="bench")
                    new_refs = refs
                else:
                    claim = next(c for c in item.claims[op["property"]] if c.snak == data["id"])
                    new_refs = refs[-1:]
                for ref in new_refs:
                    parsed = pywikibot.Claim.referenceFromJSON(site, ref)
                    sources = [c for claims in parsed.values() for c in claims]
                    claim.addSources(sources, summary="bench")
    elapsed = time.perf_counter() - started
    counts = writes_by_entity(server)
    if "new item" in counts and created:
        counts[next(iter(created.values()))] += counts.pop("new item")
    return counts, elapsed


def main() -> None:
    rows = []
    for name, runner in (("toolkit apply --live", run_toolkit),
                         ("pywikibot incumbent", run_pywikibot)):
        with WikibaseServer() as server:
            server.add_entities(entity_records().values())
            server.requests.clear()
            counts, elapsed = runner(server)
            rows.append((name, counts, elapsed))
    print(f"{'method':<22} {'entities':>8} {'writes':>7} {'writes/entity':>14} {'max':>4} "
          f"{'seconds':>8}")
    for name, counts, elapsed in rows:
        total = sum(counts.values())
        print(f"{name:<22} {len(counts):>8} {total:>7} {total / max(len(counts), 1):>14.2f} "
              f"{max(counts.values(), default=0):>4} {elapsed:>8.2f}")
        print("    " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()
