"""Field-level precision and recall of citation extraction on tests/corpus/references.yaml.

Run: ``python bench/accuracy.py [--corpus FILE ...] [--all] [--no-templates]`` (``--all`` also
prints each miss). By default every ``tests/corpus/references*.yaml`` is read. Lines are reported
by split: "real" (batch 1, used while developing the parser: a regression guard), "heldout"
(batch 1, never used to change the parser), "dev2" / "dev3" / "dev4" (batches 2-4, used to
improve the parser) and "heldout2" / "heldout3" / "heldout4" (other articles, measured once at
the end; batch 4 is rendered English lines as copied from reference lists), plus
"synthetic" (hand-written lines). The held-out splits are the honest estimate for unseen lines.

"tmpl-dev" / "tmpl-heldout" are SYNTHETIC renderings: real citation templates (the wikitext
lines of the corpus and tests/corpus/arwiki-templates.yaml) rendered the way Arabic Wikipedia
prints them by tests/arwiki_render.py, three variants each (date style, digits, separators,
back-links, leaked messages). Templates of "heldout2" articles feed tmpl-heldout.

Scoring, per reference and field: a field the corpus expects counts towards recall when
the extractor gives the same value (compared after normalisation: case, spaces, trailing
punctuation, dash style; ISBNs by their 13-digit form; names by family + given, a literal
name matching either order of them: "Landa RJ" is family Landa, given RJ); a field the
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
CORPORA = tuple(sorted((ROOT / "tests" / "corpus").glob("references*.yaml")))
SPLITS = ("real", "heldout", "dev2", "heldout2", "dev3", "heldout3", "dev4", "heldout4", "heldout5",
          "synthetic", "tmpl-dev", "tmpl-heldout")
TEMPLATES = ROOT / "tests" / "corpus" / "arwiki-templates.yaml"
KINDS = ("rendered-ar", "rendered-en", "wikitext-ar", "wikitext-en")
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


def _same_name(expected: dict[str, str], got: dict[str, str]) -> bool:
    """One person either way: "Landa RJ" as a literal is family Landa, given RJ."""
    if _name_key(expected) == _name_key(got):
        return True
    literal, parts = (expected, got) if "literal" in expected else (got, expected)
    if "literal" not in literal or "literal" in parts or not parts.get("given"):
        return False
    key = _name_key(literal)
    family, given = _name_key({"literal": parts.get("family", "")}), _name_key(
        {"literal": parts["given"]})
    return key in (family + given, given + family)


def same(field: str, expected: Any, got: Any) -> bool:
    """Whether an extracted value matches the expected one for ``field``."""
    if field in ("author", "editor"):
        got = got or []
        return len(expected) == len(got) and all(
            _same_name(e, g) for e, g in zip(expected, got, strict=True))
    if field == "ISBN":
        return identifiers.isbn13(str(expected)) == identifiers.isbn13(str(got))
    if field == "DOI":
        return _norm(expected) == _norm(got)
    return _norm(expected) == _norm(got)


def extracted_fields(text: str) -> dict[str, Any]:
    """The fields the extractor gives for one reference (first work found) + its locator."""
    works = extract_citations(text, short=True)  # as `extract citations` (CSL-JSON) does
    if not works:
        return {}
    work = works[0]
    fields = dict(work.csl)
    if work.occurrences and work.occurrences[0].locator:
        fields["locator"] = work.occurrences[0].locator
    return fields


def load(corpora: Path | tuple[Path, ...] = CORPORA) -> list[dict[str, Any]]:
    """The reference entries of one or more corpus files."""
    paths = (corpora,) if isinstance(corpora, Path) else corpora
    refs: list[dict[str, Any]] = []
    for path in paths:
        refs += yaml.safe_load(path.read_text(encoding="utf-8"))["references"]
    return refs


def rendered_from_templates(corpora: Path | tuple[Path, ...] = CORPORA) -> list[dict[str, Any]]:
    """Synthetic arwiki lines rendered from the real templates of the corpus (see module doc)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from arwiki_render import VARIANTS, render

    sources: list[tuple[dict[str, Any], str, dict[str, Any]]] = []
    for ref in load(corpora):
        if ref["kind"].startswith("wikitext") and not ref["synthetic"]:
            split = "tmpl-heldout" if ref.get("split", "").startswith("heldout") else "tmpl-dev"
            names = {k: ref["expected"][k] for k in ("author", "editor") if k in ref["expected"]}
            sources.append((ref, split, names))
    for tmpl in yaml.safe_load(TEMPLATES.read_text(encoding="utf-8"))["templates"]:
        sources.append((tmpl, tmpl["split"], tmpl.get("names") or {}))
    out: list[dict[str, Any]] = []
    for index, (ref, split, names) in enumerate(sources):
        for step in (0, 2, 4):
            result = render(ref["text"], VARIANTS[(index + step) % len(VARIANTS)], names)
            if result is None:
                continue
            text, expected = result
            out.append({"id": f"{ref['id']}~v{(index + step) % len(VARIANTS)}",
                        "kind": "rendered-ar", "synthetic": True, "split": split,
                        "rendering": "from-real-template", "source": ref["source"],
                        "text": text, "expected": expected})
    return out


def split_of(ref: dict[str, Any]) -> str:
    """The split a corpus entry is counted in."""
    if ref.get("rendering") == "from-real-template":
        return str(ref["split"])
    if ref["synthetic"]:
        return "synthetic"
    return str(ref.get("split") or "real")


def evaluate(corpora: Path | tuple[Path, ...] = CORPORA, templates: bool = True) -> dict[str, Any]:
    """Per-field and overall precision/recall, by split and by split:kind."""
    refs = load(corpora) + (rendered_from_templates(corpora) if templates else [])
    counts: dict[str, dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: {"tp": 0, "expected": 0, "extracted": 0}))
    misses: list[str] = []
    for ref in refs:
        expected = ref["expected"]
        got = extracted_fields(ref["text"])
        split = split_of(ref)
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
    """Micro-averaged precision, recall and number of expected fields."""
    tp = sum(c["tp"] for c in counts.values())
    exp = sum(c["expected"] for c in counts.values())
    ext = sum(c["extracted"] for c in counts.values())
    return (tp / ext if ext else 1.0), (tp / exp if exp else 1.0), exp


def _cell(c: dict[str, int] | None) -> str:
    if not c or not (c["expected"] or c["extracted"]):
        return f"{'':>13}"
    p = c["tp"] / c["extracted"] if c["extracted"] else 1.0
    r = c["tp"] / c["expected"] if c["expected"] else 1.0
    return f"{p:4.2f}/{r:4.2f}{c['expected']:>4d}"


def table(counts: dict[str, dict[str, dict[str, int]]], split: str) -> str:
    """Per-field x per-kind precision/recall (and expected count) for one split."""
    kinds = [k for k in KINDS if f"{split}:{k}" in counts]
    lines = [f"-- {split:<10} precision/recall/n".ljust(31) + " ".join(f"{k:>13}" for k in kinds)
             + f" {'all':>13}"]
    for field in FIELDS:
        row = [_cell(counts.get(f"{split}:{k}", {}).get(field)) for k in kinds]
        total = _cell(counts.get(split, {}).get(field))
        if total.strip():
            lines.append(f"   {field:<28}" + " ".join(row) + " " + total)
    p_r = []
    for group in [f"{split}:{k}" for k in kinds] + [split]:
        p, r, n = summary(counts[group])
        p_r.append(f"{p:4.2f}/{r:4.2f}{n:>4d}")
    lines.append(f"   {'ALL':<28}" + " ".join(p_r))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, nargs="*", default=list(CORPORA))
    parser.add_argument("--all", action="store_true", help="print every miss")
    parser.add_argument("--no-templates", action="store_true",
                        help="leave out the lines rendered from real templates")
    parser.add_argument("--show-rendered", action="store_true",
                        help="print the lines rendered from real templates")
    args = parser.parse_args()
    if args.show_rendered:
        for ref in rendered_from_templates(tuple(args.corpus)):
            print(ref["split"], ref["id"], ref["text"], sep="\t")
        return
    result = evaluate(tuple(args.corpus), templates=not args.no_templates)
    counts = result["counts"]
    for split in SPLITS:
        if split in counts:
            print(table(counts, split))
    for group in sorted(counts):
        p, r, n = summary(counts[group])
        print(f"ALL {group:<28} precision {p:.2f}  recall {r:.2f}  ({n} expected fields)")
    if args.all:
        print("\n".join(result["misses"]))


if __name__ == "__main__":
    main()
