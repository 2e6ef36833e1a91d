"""Field-level accuracy on real reference lines (tests/corpus/references.yaml) stays above a floor.

The corpus was used while developing the parser, so these floors guard against regressions;
they are not an estimate for unseen lines (bench/accuracy.py prints the numbers).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus" / "references.yaml"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_accuracy", ROOT / "bench" / "accuracy.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def result():
    return _bench().evaluate(CORPUS)


def test_corpus_is_mostly_real_with_provenance():
    refs = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["references"]
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
