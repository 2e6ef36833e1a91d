"""Field-level precision and recall of citation extraction on tests/corpus/references.yaml.

Run: ``python bench/accuracy.py [--corpus FILE] [--all]`` (``--all`` also prints each miss).
Real, synthetic and held-out lines are reported separately. "real" lines were used while
developing the parser (a regression guard); "heldout" lines were added afterwards and never
used to change it, so they are the honest estimate for unseen lines.

Scoring, per reference and field: a field the corpus expects counts towards recall when
the extractor gives the same value (compared after normalisation: case, spaces, trailing
punctuation, dash style; ISBNs by their 13-digit form; names by family + given); a field the
extractor fills counts towards precision when the corpus expects that value. ``language``
is scored only where the line states it.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit import identifiers  # noqa: E402
from toolkit.citations import extract_citations  # noqa: E402

CORPUS = ROOT / "tests" / "corpus" / "references.yaml"
FIELDS = ("type", "title", "author", "editor", "issued", "container-title", "volume", "issue",
          "page", "publisher", "publisher-place", "ISBN", "DOI", "URL", "accessed",
          "language", "locator")


def _norm(value: Any) -> str:
    text = unicodedata.normalize("NFKC", str(value)).casefold()
    text = re.sub(r"[–—−-]", "-", text)
    return re.sub(r"\s+", " ", text).strip().strip(" .,;:،؛")


def _name_key(name: dict[str, str]) -> str:
    if "literal" in name:
        return _norm(name["literal"]).replace(".", "").replace(" ", "")
    return (_norm(name.get("family", "")) + "|" + _norm(name.get("given", ""))).replace(
        ".", "").replace(" ", "")


def same(field: str, expected: Any, got: Any) -> bool:
    """Whether an extracted value matches the expected one for ``field``."""
    if field in ("author", "editor"):
        return [_name_key(n) for n in expected] == [_name_key(n) for n in got or []]
    if field == "ISBN":
        return identifiers.isbn13(str(expected)) == identifiers.isbn13(str(got))
    if field == "DOI":
        return _norm(expected) == _norm(got)
    return _norm(expected) == _norm(got)


def extracted_fields(text: str) -> dict[str, Any]:
    """The fields the extractor gives for one reference (first work found) + its locator."""
    works = extract_citations(text)
    if not works:
        return {}
    work = works[0]
    fields = dict(work.csl)
    if work.occurrences and work.occurrences[0].locator:
        fields["locator"] = work.occurrences[0].locator
    return fields


def evaluate(corpus: Path = CORPUS) -> dict[str, Any]:
    """Per-field and overall precision/recall, split by real/synthetic and by kind."""
    refs = yaml.safe_load(corpus.read_text(encoding="utf-8"))["references"]
    counts: dict[str, dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: {"tp": 0, "expected": 0, "extracted": 0}))
    misses: list[str] = []
    for ref in refs:
        expected = ref["expected"]
        got = extracted_fields(ref["text"])
        split = ("heldout" if ref.get("split") == "heldout"
                 else "synthetic" if ref["synthetic"] else "real")
        groups = [split, f"{split}:{ref['kind']}"]
        for field in FIELDS:
            want, have = expected.get(field), got.get(field)
            if field in ("language", "type") and want is None:
                continue  # scored only where the corpus states it
            hit = want is not None and have not in (None, "", []) and same(field, want, have)
            for group in groups:
                c = counts[group][field]
                c["expected"] += want is not None
                c["extracted"] += have not in (None, "", [])
                c["tp"] += hit
            if (want is not None or have not in (None, "", [])) and not hit:
                misses.append(f"{ref['id']}: {field}: expected {want!r}, got {have!r}")
    return {"counts": counts, "misses": misses}


def summary(counts: dict[str, dict[str, int]]) -> tuple[float, float, int]:
    tp = sum(c["tp"] for c in counts.values())
    exp = sum(c["expected"] for c in counts.values())
    ext = sum(c["extracted"] for c in counts.values())
    return (tp / ext if ext else 1.0), (tp / exp if exp else 1.0), exp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--all", action="store_true", help="print every miss")
    args = parser.parse_args()
    result = evaluate(args.corpus)
    counts = result["counts"]
    real = counts["real"]
    print(f"{'field':<16} {'precision':>9} {'recall':>7} {'expected':>8}   (real lines)")
    for field in FIELDS:
        c = real.get(field)
        if not c or not (c["expected"] or c["extracted"]):
            continue
        p = c["tp"] / c["extracted"] if c["extracted"] else 1.0
        r = c["tp"] / c["expected"] if c["expected"] else 1.0
        print(f"{field:<16} {p:9.2f} {r:7.2f} {c['expected']:8d}")
    for group in sorted(counts):
        p, r, n = summary(counts[group])
        print(f"ALL {group:<28} precision {p:.2f}  recall {r:.2f}  ({n} expected fields)")
    if args.all:
        print("\n".join(result["misses"]))


if __name__ == "__main__":
    main()
