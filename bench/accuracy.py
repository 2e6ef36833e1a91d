"""Field-level precision and recall of citation extraction on tests/corpus/references.yaml.

Run: ``python bench/accuracy.py [--corpus FILE ...] [--all] [--no-templates]
[--mode rules|labeller|combined|fill|all]`` (``--all`` also prints each miss; ``--mode`` says
which path reads rendered lines: the rules, the learned labeller (toolkit/citations/labeller.py,
rules for identifiers, dates of access, type, language), the two combined per field as the
toolkit does (the default), or every empty field filled by the labeller; ``all`` prints the
tables of rules, labeller and combined and a summary of the three). By default every
``tests/corpus/references*.yaml`` is read. Lines are reported
by split: "real" (batch 1, used while developing the parser: a regression guard), "heldout"
(batch 1, never used to change the parser), "dev2" / "dev3" / "dev4" (batches 2-4, used to
improve the parser) and "heldout2" / "heldout3" / "heldout4" (other articles, measured once at
the end; batch 4 is rendered English lines as copied from reference lists), plus
"synthetic" (hand-written lines); "dev6" (batch 6: measured twice as held-out, then
used for tuning), "dev7" / "dev8" (batches 7 and 8: each measured once as held-out, then
used for tuning) and "heldout9" (batch 9, tests/corpus/references-9-*.yaml, once it is
measured). The held-out splits are the honest estimate for unseen lines; only the newest
was never looked at.

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
SPLITS = ("real", "heldout", "dev2", "heldout2", "dev3", "heldout3", "dev4", "heldout4",
          "heldout5", "dev6", "dev7", "dev8", "heldout9", "synthetic", "tmpl-dev", "tmpl-heldout")
TEMPLATES = ROOT / "tests" / "corpus" / "arwiki-templates.yaml"
KINDS = ("rendered-ar", "rendered-en", "wikitext-ar", "wikitext-en")
FIELDS = ("type", "title", "author", "editor", "issued", "container-title", "volume", "issue",
          "page", "publisher", "publisher-place", "ISBN", "DOI", "URL", "accessed",
          "language", "locator")


def _norm(value: Any) -> str:
    text = unicodedata.normalize("NFKC", str(value)).casefold()
    text = re.sub(r"[–—−‒-]", "-", text)
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


def extracted_fields(text: str, mode: str = "combined") -> dict[str, Any]:
    """The fields the extractor gives for one reference (first work found) + its locator."""
    works = extract_citations(text, short=True, mode=mode)  # as `extract citations` does
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


def evaluate(corpora: Path | tuple[Path, ...] = CORPORA, templates: bool = True,
             mode: str = "combined") -> dict[str, Any]:
    """Per-field and overall precision/recall, by split and by split:kind."""
    refs = load(corpora) + (rendered_from_templates(corpora) if templates else [])
    counts: dict[str, dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: {"tp": 0, "expected": 0, "extracted": 0}))
    misses: list[str] = []
    for ref in refs:
        expected = ref["expected"]
        got = extracted_fields(ref["text"], mode)
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
    parser.add_argument("--cv", type=int, metavar="K",
                        help="K-fold cross-validation of the labeller on the dev lines")
    parser.add_argument("--speed", type=int, metavar="N",
                        help="time extracting N rendered corpus lines (one text) per mode")
    parser.add_argument("--mode", default="combined",
                        choices=("rules", "labeller", "combined", "fill", "all"))
    args = parser.parse_args()
    if args.show_rendered:
        for ref in rendered_from_templates(tuple(args.corpus)):
            print(ref["split"], ref["id"], ref["text"], sep="\t")
        return
    modes = ("rules", "labeller", "combined") if args.mode == "all" else (args.mode,)
    if args.cv:
        print(cross_validate(args.cv))
        return
    if args.speed:
        print(speed(args.speed, modes, tuple(args.corpus)))
        return
    results = {}
    for mode in modes:
        result = evaluate(tuple(args.corpus), templates=not args.no_templates, mode=mode)
        results[mode] = result["counts"]
        counts = result["counts"]
        print(f"==== mode: {mode}")
        for split in SPLITS:
            if split in counts:
                print(table(counts, split))
        for group in sorted(counts):
            p, r, n = summary(counts[group])
            print(f"ALL {group:<28} precision {p:.2f}  recall {r:.2f}  ({n} expected fields)")
        if args.all:
            print("\n".join(result["misses"]))
    if len(modes) > 1:
        print(compare(results))
        print(compare_fields(results))


def cross_validate(folds: int) -> str:
    """How the labeller's values compare with the rules' on dev lines it was NOT trained on.

    The real rendered lines of the training splits are cut into ``folds`` groups by article
    (their ``source`` page); for each, a model is trained on the other groups plus all the
    synthetic data and run on the group. Per field and per rules type: where the rules found
    nothing, how often the labeller's value is right ("fill"); where both found a value and
    they differ, how often each is right ("differ"); by the labeller's confidence (the lowest
    marginal probability of the run's tokens) and, for fills, by the rules' type.
    """
    import tempfile

    import pycrfsuite

    from toolkit.citations import parse_rendered, train
    from toolkit.citations.labeller import FIELD_OF, predict_scored

    lines, templates = train.training_refs()
    pages = sorted({str(r["source"].get("page", r["id"])) for r in lines})
    fold_of = {page: i % folds for i, page in enumerate(pages)}
    stats: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    totals = [0, 0, 0]  # the labeller alone: right, read, expected (its fields)
    with tempfile.TemporaryDirectory() as tmp:
        for fold in range(folds):
            held = [r for r in lines if fold_of[str(r["source"].get("page", r["id"]))] == fold]
            kept = [r for r in lines if r not in held]
            model = Path(tmp) / f"fold{fold}.crfsuite"
            train.train(train.build(kept, templates), model)
            tagger = pycrfsuite.Tagger()
            tagger.open(str(model))
            for ref in held:
                rules = parse_rendered(ref["text"]).csl
                learned, sure = predict_scored(ref["text"].replace("''", ""), tagger)
                kind = str(rules.get("type"))
                for name in FIELD_OF.values():
                    want, mine, theirs = (ref["expected"].get(name), learned.get(name),
                                          rules.get(name))
                    good = bool(want and mine and same(name, want, mine))
                    totals[0] += good
                    totals[1] += bool(mine)
                    totals[2] += bool(want)
                    band = "p>=0.95" if sure.get(name, 0) >= 0.95 else "p<0.95"
                    if mine and not theirs:
                        for group in (band, f"{band} {kind}"):
                            cell = stats[(name, group, "fill")]
                            cell[0] += 1
                            cell[1] += good
                    elif mine and theirs and not same(name, theirs, mine):
                        cell = stats[(name, band, "differ")]
                        cell[0] += 1
                        cell[1] += good
                        cell[2] += bool(want and same(name, want, theirs))
    out = [f"{'field':<16}{'confidence, type':<30}{'case':<8}{'n':>5}{'labeller right':>16}"
           f"{'rules right':>13}"]
    for (name, kind, case), (n, mine_ok, rules_ok) in sorted(stats.items()):
        out.append(f"{name:<16}{kind:<30}{case:<8}{n:>5}{mine_ok:>16}"
                   f"{rules_ok if case == 'differ' else '':>13}")
    fills = [v for (_, group, case), v in stats.items() if case == "fill" and " " not in group]
    differ = [v for (_, _, case), v in stats.items() if case == "differ"]
    out.append(f"labeller alone on unseen folds: precision {totals[0] / max(totals[1], 1):.2f} "
               f"recall {totals[0] / max(totals[2], 1):.2f}; fills right "
               f"{sum(v[1] for v in fills)}/{sum(v[0] for v in fills)}; where they differ "
               f"labeller right {sum(v[1] for v in differ)}, rules right "
               f"{sum(v[2] for v in differ)}, of {sum(v[0] for v in differ)}")
    return "\n".join(out)


def speed(count: int, modes: tuple[str, ...], corpora: tuple[Path, ...]) -> str:
    """Seconds to extract ``count`` rendered lines (the corpus's, repeated) as one text."""
    import time

    pool = [r["text"] for r in load(corpora) + rendered_from_templates(corpora)
            if r["kind"].startswith("rendered")]
    text = "\n".join(pool[i % len(pool)] for i in range(count))
    out = []
    for mode in modes:
        extract_citations(pool[0], mode=mode)  # load the model outside the timing
        started = time.process_time()
        works = extract_citations(text, mode=mode)
        seconds = time.process_time() - started
        out.append(f"{mode:<10} {count} lines ({len(pool)} distinct): {seconds:.2f} s CPU, "
                   f"{len(works)} works")
    return "\n".join(out)


DEV_SPLITS = ("real", "dev2", "dev3", "dev4", "dev6", "dev7", "dev8", "synthetic", "tmpl-dev")


def compare_fields(results: dict[str, dict[str, dict[str, dict[str, int]]]]) -> str:
    """Per field, precision/recall of each mode over the dev splits and the held-out splits."""
    modes = list(results)
    lines = [f"{'per field (precision/recall)':<20}" + "".join(
        f"{f'{m} {side}':>18}" for side in ("dev", "held-out") for m in modes)]
    for field in FIELDS:
        cells = []
        for side in ("dev", "held-out"):
            for mode in modes:
                counts = results[mode]
                picked = [counts[s][field] for s in counts if ":" not in s and field in counts[s]
                          and (s in DEV_SPLITS) == (side == "dev")]
                tp, ext, exp = (sum(c[k] for c in picked) for k in ("tp", "extracted",
                                                                     "expected"))
                cells.append(f"{tp / ext if ext else 1:4.2f}/{tp / exp if exp else 1:4.2f}"
                             f"{exp:>5}")
        lines.append(f"{field:<20}" + "".join(f"{c:>18}" for c in cells))
    return "\n".join(lines)


def compare(results: dict[str, dict[str, dict[str, dict[str, int]]]]) -> str:
    """One row per split and split:kind: precision/recall of each mode side by side."""
    modes = list(results)
    lines = [f"{'summary (precision/recall)':<30}" + "".join(f"{m:>14}" for m in modes)]
    groups = sorted(set().union(*results.values()),
                    key=lambda g: (SPLITS.index(g.split(":")[0]), g))
    for group in groups:
        cells = []
        for mode in modes:
            p, r, _ = summary(results[mode].get(group, {}))
            cells.append(f"{p:4.2f}/{r:4.2f}")
        lines.append(f"{group:<30}" + "".join(f"{c:>14}" for c in cells))
    return "\n".join(lines)

if __name__ == "__main__":
    main()
