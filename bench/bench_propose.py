"""Benchmark a dry run (``toolkit propose``) over many entities (prints results; not a test).

    python bench/bench_propose.py [--count 1000] [--creations 50]

Serves ``--count`` generated fixture items (tests/wikibase_server.py, loopback only) and
proposes edits for a mapping that aligns one cited work to each (confirmed), plus
``--creations`` works to create that each carry a DOI (one ``haswbstatement`` lookup each).
Reports, in one run: read requests (target for the entity reads: ceil(N/50)), requests per
entity, wall time and CPU time per entity, and what was proposed. A second run with a warm
cache shows the revalidation cost. Reading the same items through pywikibot is measured by
bench/bench_read.py.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.proposal_fixtures import article_csl, mapping, source  # noqa: E402
from tests.wikibase_server import WikibaseServer, generated_items  # noqa: E402
from toolkit.edits.proposal import (  # noqa: E402
    ProposeSettings,
    build_proposal,
    proposal_counts,
    proposal_problems,
)
from toolkit.wiki.wikibase import WikibaseReader, WikibaseSettings  # noqa: E402

FIRST = 1_000_001


def bench_mapping(count: int, creations: int):
    """Confirmed works matching the generated items, and works to create (fixtures)."""
    sources = []
    for number in range(FIRST, FIRST + count):
        csl = article_csl(title=f"Fixture title {number}", DOI=f"10.5555/fixture.{number}")
        sources.append(source(f"work-{number}", csl, status="confirmed", qid=f"Q{number}"))
    for n in range(creations):
        csl = article_csl(title=f"Fixture new work {n}", DOI=f"10.5555/new.{n}")
        sources.append(source(f"new-{n}", csl))
    return mapping(sources=sources)


def run(server: WikibaseServer, cache: Path, count: int, creations: int) -> dict[str, float]:
    m = bench_mapping(count, creations)
    reader = WikibaseReader(WikibaseSettings(api_url=server.api_url, cache_dir=cache,
                                             user_agent="toolkit-bench/0 (fixture)"))
    server.requests.clear()
    wall, cpu = time.perf_counter(), time.process_time()
    proposal = build_proposal(m, ProposeSettings(offline=False), reader)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert not proposal_problems(proposal), "proposal does not validate"
    assert not server.write_requests, "a dry run must not write"
    gets = server.requests_for("wbgetentities")
    searches = server.requests_for("query", list="search")
    n = count + creations
    counts = proposal_counts(proposal)
    return {"entities": n, "requests": len(server.requests), "wbgetentities": len(gets),
            "searches": len(searches), "requests_per_entity": len(server.requests) / n,
            "wall_ms_per_entity": wall * 1000 / n, "cpu_ms_per_entity": cpu * 1000 / n,
            "operations": counts["operations"], "edits": counts["edits"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--creations", type=int, default=50)
    args = parser.parse_args()
    server = WikibaseServer().start()
    try:
        server.add_entities(generated_items(args.count, FIRST))
        with tempfile.TemporaryDirectory() as tmp:
            cache = Path(tmp) / "cache"
            cold = run(server, cache, args.count, args.creations)
            warm = run(server, cache, args.count, args.creations)
    finally:
        server.stop()
    target = math.ceil(args.count / 50)
    print(f"dry run over {args.count} confirmed items + {args.creations} creations "
          "(loopback fixture Wikibase)")
    for name, r in (("cold cache", cold), ("warm cache", warm)):
        print(f"  {name}: {r['requests']} requests ({r['wbgetentities']} wbgetentities, "
              f"target {target}; {r['searches']} identifier searches), "
              f"{r['requests_per_entity']:.3f} requests/entity, "
              f"{r['wall_ms_per_entity']:.2f} ms wall/entity, "
              f"{r['cpu_ms_per_entity']:.2f} ms CPU/entity; "
              f"{r['edits']} edits, {r['operations']} operations")


if __name__ == "__main__":
    main()
