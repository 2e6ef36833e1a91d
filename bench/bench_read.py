"""Benchmark: reading N entities with WikibaseReader vs pywikibot's ItemPage.get() one by one.

Run from the repository root: ``python bench/bench_read.py [--entities 1000]``.

The loopback Wikibase (tests/wikibase_server.py) runs in a child process serving N generated
fixture items, so the CPU time measured here is the client's alone. Rows:

* ``WikibaseReader, no cache``   - wbgetentities, 50 ids per request (target ceil(N/50));
* ``WikibaseReader, cold cache`` - the same, also writing each entity to the disk cache
  (atomically, with fsync - that is most of its extra time);
* ``WikibaseReader, warm cache`` - the same ids again: props=info revalidation only;
* ``pywikibot ItemPage.get()``   - one wbgetentities per item, the incumbent way.

Not a test: numbers vary with the machine; the request counts do not.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import pywikibot_env  # noqa: E402 - needs the repository root on sys.path
from tests.wikibase_server import CONTROL_PATH  # noqa: E402
from toolkit.wiki.wikibase import WikibaseReader, WikibaseSettings  # noqa: E402


@dataclass
class Row:
    method: str
    entities: int
    requests: int
    wall: float
    cpu: float


class ServerProcess:
    """The loopback Wikibase in a child process (so its CPU is not counted as ours)."""

    def __init__(self, entities: int) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.wikibase_server", "--generate", str(entities)],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        self.api_url = self.proc.stdout.readline().strip()
        if not self.api_url.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"server did not start: {self.api_url!r}")
        self.base_url = self.api_url.rsplit("/w/", 1)[0]
        self.port = int(self.base_url.rsplit(":", 1)[1])

    def take_counts(self) -> dict[str, int]:
        """Requests by action since the last call (and reset them)."""
        request = urllib.request.Request(self.base_url + CONTROL_PATH, data=b"", method="POST")
        with urllib.request.urlopen(request, timeout=10) as answer:  # loopback only
            counts: dict[str, int] = json.load(answer)["requests"]
        return counts

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


def measure(method: str, count: int, server: ServerProcess, run: object) -> Row:
    server.take_counts()
    wall, cpu = time.perf_counter(), time.process_time()
    run()  # type: ignore[operator]
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    requests = sum(server.take_counts().values())
    return Row(method, count, requests, wall, cpu)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=1000)
    args = parser.parse_args(argv)
    count = args.entities
    ids = [f"Q{n}" for n in range(1_000_001, 1_000_001 + count)]
    pywikibot_env.use_private_base_dir()  # before pywikibot is imported
    server = ServerProcess(count)
    rows = []
    try:
        plain = WikibaseSettings(api_url=server.api_url)
        rows.append(measure("WikibaseReader, no cache", count, server,
                            lambda: WikibaseReader(plain).get_entities(ids)))
        with tempfile.TemporaryDirectory() as cache:
            settings = WikibaseSettings(api_url=server.api_url, cache_dir=Path(cache))

            def read_all() -> None:
                got = WikibaseReader(settings).get_entities(ids)
                assert all(got[i] is not None for i in ids)

            rows.append(measure("WikibaseReader, cold cache", count, server, read_all))
            rows.append(measure("WikibaseReader, warm cache", count, server, read_all))
        rows.append(measure("pywikibot ItemPage.get()", count, server,
                            lambda: pywikibot_one_by_one(server, ids)))
    finally:
        server.close()
    print_table(rows, count)


def pywikibot_one_by_one(server: ServerProcess, ids: list[str]) -> None:
    import pywikibot

    wiki = pywikibot_env.connect(server)  # type: ignore[arg-type] - needs .port/.api_url
    site = wiki.site()
    for eid in ids:
        item = pywikibot.ItemPage(site, eid)
        item.get()
        assert item.labels["en"]


def print_table(rows: list[Row], count: int) -> None:
    print(f"\nReading {count} fixture entities from the loopback Wikibase"
          f" (target: ceil(N/50) = {math.ceil(count / 50)} requests)\n")
    header = (f"{'method':<28} {'requests':>8} {'req/entity':>10} {'wall s':>8}"
              f" {'wall ms/ent':>11} {'CPU ms/ent':>10}")
    print(header)
    print("-" * len(header))
    for row in rows:
        print(f"{row.method:<28} {row.requests:>8} {row.requests / row.entities:>10.3f}"
              f" {row.wall:>8.2f} {1000 * row.wall / row.entities:>11.2f}"
              f" {1000 * row.cpu / row.entities:>10.2f}")
    print("\n(pywikibot's count includes its siteinfo/userinfo start-up requests.)")


if __name__ == "__main__":
    main()
