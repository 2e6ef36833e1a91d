"""Benchmark the JSON-LD stage (prints results; not a test).

    python bench/bench_jsonld.py [--repeat N]

Reports, in one run: milliseconds per article to build and serialize the compact graph
directly from the model, for the seed mapping and for a generated article with 500
citations; the same for the pyld expand-then-compact route (with the toolkit's own offline
loader, its processed context cached, i.e. pyld at its fastest) and the ratio; and the wall
time of a cold ``toolkit jsonld`` on the seed (a fresh interpreter each time).
Target: ratio >= 20x, cold run < 0.3 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.jsonld_cases import SEED, large_mapping, seed_mapping  # noqa: E402
from toolkit.mapping.model import Mapping  # noqa: E402
from toolkit.publish.graph import build_graph  # noqa: E402
from toolkit.publish.loader import DocumentLoader  # noqa: E402


def _median_ms(func: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def direct(mapping: Mapping) -> str:
    return json.dumps(build_graph(mapping), ensure_ascii=False)


def via_pyld(mapping: Mapping, loader: DocumentLoader) -> str:
    from pyld import jsonld as pyld

    expanded = pyld.expand(build_graph(mapping), loader.options())
    compacted = pyld.compact(expanded, "https://schema.org", loader.options())
    return json.dumps(compacted, ensure_ascii=False)


def cold_cli(repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "toolkit", "jsonld", str(SEED)], cwd=REPO,
                       check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    loader = DocumentLoader()
    via_pyld(seed_mapping(), loader)  # warm pyld's processed-context cache
    cases = {"seed": seed_mapping(), "500 citations": large_mapping(500)}
    print(f"{'article':<16}{'nodes':>7}{'direct ms':>12}{'pyld ms':>12}{'ratio':>9}")
    for name, mapping in cases.items():
        nodes = len(build_graph(mapping)["@graph"])
        fast = _median_ms(lambda m=mapping: direct(m), args.repeat)
        slow = _median_ms(lambda m=mapping: via_pyld(m, loader), max(3, args.repeat // 5))
        print(f"{name:<16}{nodes:>7}{fast:>12.2f}{slow:>12.1f}{slow / fast:>8.0f}x")
    cold = cold_cli(5)
    print(f"cold `python -m toolkit jsonld {SEED.relative_to(REPO)}`: "
          f"min {min(cold):.3f} s, median {statistics.median(cold):.3f} s (5 runs)")


if __name__ == "__main__":
    main()
