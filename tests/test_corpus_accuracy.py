"""Field-level accuracy on real reference lines (tests/corpus/references*.yaml) stays above a floor.

"real", "dev2", "dev3" and "dev4" lines were used while developing the parser, so their floors
guard against regressions; "heldout2", "heldout3" and "heldout4" lines (other articles) were
measured once after the work on their batch, and their floors sit a few points under that
measurement (bench/accuracy.py prints the numbers). Batch 4 is rendered English reference lines
as copied from a page's reference list.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPORA = tuple(sorted((ROOT / "tests" / "corpus").glob("references*.yaml")))


def _bench():
    spec = importlib.util.spec_from_file_location("bench_accuracy", ROOT / "bench" / "accuracy.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def result():
    return _bench().evaluate(CORPORA)


def test_corpus_is_mostly_real_with_provenance():
    refs = [r for c in CORPORA for r in yaml.safe_load(c.read_text(encoding="utf-8"))["references"]]
    real = [r for r in refs if not r["synthetic"]]
    assert len(real) >= 30
    kinds = {r["kind"] for r in real}
    assert kinds == {"rendered-ar", "rendered-en", "wikitext-ar", "wikitext-en"}
    for ref in real:
        assert ref["source"]["page"] and ref["source"]["stored_copy"]


def test_overall_floor_on_real_lines(result):
    bench = _bench()
    precision, recall, n = bench.summary(result["counts"]["real"])
    assert n >= 250
    assert precision >= 0.9
    assert recall >= 0.9


@pytest.mark.parametrize("kind", ["rendered-ar", "rendered-en", "wikitext-ar", "wikitext-en"])
def test_floor_per_kind(result, kind):
    precision, recall, _ = _bench().summary(result["counts"][f"real:{kind}"])
    assert precision >= 0.85 and recall >= 0.8, kind


@pytest.mark.parametrize("field", ["title", "author", "issued", "ISBN", "DOI", "page"])
def test_floor_per_key_field(result, field):
    c = result["counts"]["real"][field]
    assert c["tp"] >= 0.85 * c["expected"], field


def test_batch_two_held_out_articles_are_not_dev_articles():
    refs = [r for c in CORPORA for r in yaml.safe_load(c.read_text(encoding="utf-8"))["references"]]
    dev = {r["source"]["url"] for r in refs if r.get("split") == "dev2"}
    held = [r for r in refs if r.get("split") == "heldout2"]
    assert len(held) >= 30
    assert not dev & {r["source"]["url"] for r in held}
    assert all(not r["synthetic"] for r in held)


@pytest.mark.parametrize(("split", "precision", "recall"),
                         [("dev2", 0.93, 0.92), ("heldout2", 0.94, 0.90)])
def test_floor_batch_two(result, split, precision, recall):
    # measured: dev2 0.97/0.96 (after tuning on it), heldout2 0.98/0.94 (measured once)
    p, r, n = _bench().summary(result["counts"][split])
    assert n >= 190
    assert p >= precision and r >= recall, (split, p, r)


@pytest.mark.parametrize(("kind", "precision", "recall"),
                         [("rendered-en", 0.90, 0.88), ("wikitext-en", 0.95, 0.95),
                          ("wikitext-ar", 0.95, 0.95)])
def test_floor_dev2_per_kind(result, kind, precision, recall):
    p, r, _ = _bench().summary(result["counts"][f"dev2:{kind}"])
    assert p >= precision and r >= recall, (kind, p, r)


def test_batch_three_real_arabic_lines_and_held_out_articles():
    refs = [r for c in CORPORA for r in yaml.safe_load(c.read_text(encoding="utf-8"))["references"]]
    real_ar = [r for r in refs if r["kind"] == "rendered-ar" and not r["synthetic"]]
    assert len(real_ar) >= 35
    dev = {r["source"]["url"] for r in refs if r.get("split") == "dev3"}
    held = [r for r in refs if r.get("split") == "heldout3"]
    assert len(held) >= 12
    assert not dev & {r["source"]["url"] for r in held}


def test_lines_rendered_from_templates_are_synthetic_and_kept_apart(result):
    rendered = _bench().rendered_from_templates(CORPORA)
    assert len(rendered) >= 150
    assert all(r["synthetic"] and r["split"] in ("tmpl-dev", "tmpl-heldout") for r in rendered)
    counts = result["counts"]
    real_n = _bench().summary(counts["real"])[2]
    assert real_n == _bench().summary(_bench().evaluate(CORPORA, templates=False)["counts"]
                                      ["real"])[2]
    # templates of held-out articles are rendered into tmpl-heldout only
    held_sources = {r["source"]["url"] for c in CORPORA
                    for r in yaml.safe_load(c.read_text(encoding="utf-8"))["references"]
                    if r.get("split") == "heldout2"}
    assert all(r["split"] == "tmpl-heldout" for r in rendered
               if r["source"]["url"] in held_sources)


@pytest.mark.parametrize(("split", "precision", "recall", "size"),
                         [("dev3", 0.95, 0.95, 50), ("heldout3", 0.90, 0.90, 30),
                          ("tmpl-dev", 0.92, 0.92, 600), ("tmpl-heldout", 0.85, 0.83, 400)])
def test_floor_rendered_arabic(result, split, precision, recall, size):
    # measured (bench/accuracy.py): dev3 1.00/1.00 (tuned on it), heldout3 0.95/0.97,
    # tmpl-dev 0.96/0.96, tmpl-heldout 0.89/0.87; before this work 0.50/0.27, 0.52/0.36,
    # 0.89/0.88, 0.83/0.82. tmpl-* lines are synthetic renderings of real templates.
    p, r, n = _bench().summary(result["counts"][split])
    assert n >= size
    assert p >= precision and r >= recall, (split, p, r)


def test_batch_four_rendered_english_lines_from_many_articles():
    refs = [r for c in CORPORA for r in yaml.safe_load(c.read_text(encoding="utf-8"))["references"]]
    batch = [r for r in refs if r.get("split") in ("dev4", "heldout4")]
    english = [r for r in batch if r["kind"] == "rendered-en"]
    assert len(english) >= 100 and all(not r["synthetic"] for r in batch)
    assert len({r["source"]["url"] for r in english}) >= 12
    dev = {r["source"]["url"] for r in batch if r["split"] == "dev4"}
    held = [r for r in batch if r["split"] == "heldout4"]
    assert len(held) >= 40
    assert not dev & {r["source"]["url"] for r in held}


@pytest.mark.parametrize(("group", "precision", "recall", "size"),
                         [("dev4", 0.95, 0.95, 500), ("heldout4", 0.84, 0.79, 350),
                          ("heldout4:rendered-en", 0.84, 0.79, 350)])
def test_floor_batch_four(result, group, precision, recall, size):
    # measured (bench/accuracy.py): dev4 0.98/0.99 after tuning on it (0.86/0.83 before);
    # heldout4 0.87/0.82 measured once at the end (0.81/0.71 before), rendered-en alike
    p, r, n = _bench().summary(result["counts"][group])
    assert n >= size
    assert p >= precision and r >= recall, (group, p, r)


@pytest.mark.parametrize(("field", "precision", "recall"),
                         [("title", 0.77, 0.77), ("author", 0.88, 0.84), ("issued", 0.94, 0.84),
                          ("container-title", 0.74, 0.77), ("publisher", 0.45, 0.48),
                          ("DOI", 0.95, 0.95), ("ISBN", 0.95, 0.95), ("accessed", 0.95, 0.95)])
def test_floor_batch_four_held_out_english_fields(result, field, precision, recall):
    # heldout4 rendered-en, measured once: title 0.81/0.81, author 0.92/0.88, issued 0.98/0.88,
    # container-title 0.79/0.81, publisher 0.50/0.54, DOI/ISBN/accessed 1.00/1.00
    c = result["counts"]["heldout4:rendered-en"][field]
    p = c["tp"] / c["extracted"] if c["extracted"] else 1.0
    r = c["tp"] / c["expected"] if c["expected"] else 1.0
    assert p >= precision and r >= recall, (field, p, r)


def test_batch_five_is_a_held_out_set_of_other_articles():
    refs = [r for c in CORPORA for r in yaml.safe_load(c.read_text(encoding="utf-8"))["references"]]
    held = [r for r in refs if r.get("split") == "heldout5"]
    assert len(held) >= 50 and all(r["kind"] == "rendered-en" and not r["synthetic"] for r in held)
    others = {r["source"]["url"] for r in refs if r.get("split") != "heldout5"}
    urls = {r["source"]["url"] for r in held}
    assert len(urls) >= 6 and not urls & others


@pytest.mark.parametrize(("field", "precision", "recall"),
                         [(None, 0.84, 0.79), ("title", 0.85, 0.82), ("author", 0.89, 0.84),
                          ("issued", 0.95, 0.82), ("container-title", 0.66, 0.70),
                          ("publisher", 0.64, 0.59), ("ISBN", 0.95, 0.90), ("DOI", 0.95, 0.95),
                          ("accessed", 0.95, 0.95)])
def test_floor_batch_five(result, field, precision, recall):
    # heldout5 (tests/corpus/references-5.yaml): 0.79/0.74 before, 0.79/0.75 after the batch-5
    # parser work (measured once); then 0.88/0.83 after a fix made AFTER seeing its misses
    # (markdown "[^12]:" and "Jump up ^" back-links), so the floors guard that last value and
    # the set is no longer an unseen estimate.
    counts = result["counts"]["heldout5"]
    if field is None:
        p, r, _ = _bench().summary(counts)
    else:
        c = counts[field]
        p = c["tp"] / c["extracted"] if c["extracted"] else 1.0
        r = c["tp"] / c["expected"] if c["expected"] else 1.0
    assert p >= precision and r >= recall, (field, p, r)


def _not_references(held_out: bool = False) -> list[dict]:
    """The corpus lines that are not references: of the dev files, or of the held-out ones."""
    lines: list[dict] = []
    for corpus in CORPORA:
        doc = yaml.safe_load(corpus.read_text(encoding="utf-8"))
        splits = {r.get("split", "") for r in doc["references"]}
        if any(s.startswith("heldout") for s in splits) == held_out:
            lines += doc.get("not_references") or []
    return lines


def test_corpus_has_lines_that_are_not_references():
    lines = _not_references() + _not_references(held_out=True)
    assert len(lines) >= 100
    assert all(line["id"] and line["text"].strip() for line in lines)


# Non-reference lines of batch 8 that still gave a record when it became dev. Strict: a line
# that no longer gives one fails here until its id is taken off the list.
KNOWN_RECORDS = frozenset({
    "ar8g-mathematics-n1", "en8-nr-artnouveau-note-lachenal", "en8-nr-gvhd-search-link",
    "en8-nr-debruijn-js-generator",
})


def _known(line: dict) -> object:
    if line["id"] not in KNOWN_RECORDS:
        return line
    return pytest.param(line, marks=pytest.mark.xfail(strict=True, reason="known miss (dev8)"))


@pytest.mark.parametrize("line", [_known(x) for x in _not_references()],
                         ids=lambda line: line["id"])
def test_no_record_from_a_line_that_is_not_a_reference(line):
    from toolkit.citations import extract_citations

    works = extract_citations(line["text"])
    assert works == [], [w.csl for w in works]


def test_batch_seven_is_a_set_of_other_articles():
    refs = [r for c in CORPORA for r in yaml.safe_load(c.read_text(encoding="utf-8"))["references"]]
    batch = [r for r in refs if r.get("split") == "dev7"]
    assert len(batch) >= 150 and not any(r["synthetic"] for r in batch)
    assert sum(r["kind"] == "rendered-ar" for r in batch) >= 60
    others = {r["source"]["url"] for r in refs if r.get("split") != "dev7"}
    urls = {r["source"]["url"] for r in batch}
    assert len(urls) >= 15 and not urls & others


@pytest.mark.parametrize(("group", "precision", "recall"),
                         [(None, 0.80, 0.75), ("rendered-ar", 0.80, 0.70),
                          ("rendered-en", 0.79, 0.76)])
def test_floor_batch_seven(result, group, precision, recall):
    # batch 7 (tests/corpus/references-7-*.yaml) was measured once as held-out: combined
    # 0.83/0.78, rendered-ar 0.84/0.74, rendered-en 0.82/0.79; it is now the dev split `dev7`
    # and these floors guard against falling under the first measure.
    p, r, _ = _bench().summary(result["counts"][f"dev7:{group}" if group else "dev7"])
    assert p >= precision and r >= recall, (group, p, r)


def test_batch_eight_is_a_set_of_other_articles():
    refs = [r for c in CORPORA for r in yaml.safe_load(c.read_text(encoding="utf-8"))["references"]]
    batch = [r for r in refs if r.get("split") == "dev8"]
    assert len(batch) >= 150 and not any(r["synthetic"] for r in batch)
    arabic = sum(r["kind"] == "rendered-ar" for r in batch)
    assert arabic >= sum(r["kind"] == "rendered-en" for r in batch)  # at least half rendered Arabic
    others = {r["source"]["url"] for r in refs if r.get("split") != "dev8"}
    urls = {r["source"]["url"] for r in batch}
    assert len(urls) >= 15 and not urls & others


@pytest.mark.parametrize(("group", "precision", "recall"),
                         [(None, 0.85, 0.77), ("rendered-ar", 0.81, 0.72),
                          ("rendered-en", 0.86, 0.79), ("wikitext-en", 0.97, 0.98)])
def test_floor_batch_eight(result, group, precision, recall):
    # batch 8 (tests/corpus/references-8-*.yaml) was measured once as held-out: combined
    # 0.88/0.80, rendered-ar 0.84/0.75, rendered-en 0.89/0.82, wikitext-en 0.99/1.00; it is now
    # the dev split `dev8` and these floors guard against falling under that first measure.
    p, r, _ = _bench().summary(result["counts"][f"dev8:{group}" if group else "dev8"])
    assert p >= precision and r >= recall, (group, p, r)
