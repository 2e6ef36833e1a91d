"""``toolkit check-jsonld``: accepts the toolkit's output, rejects what schema.org does not define.

Always run with ``--vocab`` pointing at the schema.org 30.0 tables beside the repository, so
nothing is downloaded.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from tests.jsonld_cases import EXAMPLES, SCHEMAORG_DIR, small_mapping
from toolkit.errors import Problem, ToolkitError, ValidationFailed
from toolkit.publish.check import check_file, load_vocabulary
from toolkit.publish.graph import build_graph, to_html


@pytest.fixture(scope="module")
def vocab() -> Path:
    assert (SCHEMAORG_DIR / "schemaorg-current-https-types.csv").exists(), \
        f"schema.org test data not found at {SCHEMAORG_DIR}"
    return SCHEMAORG_DIR


@pytest.fixture
def doc() -> dict[str, Any]:
    return build_graph(small_mapping())


def _write(tmp_path: Path, data: Any, name: str = "doc.jsonld") -> Path:
    path = tmp_path / name
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path, vocab: Path) -> list[Problem]:
    with pytest.raises(ValidationFailed) as failed:
        check_file(path, vocab)
    return failed.value.problems


def _index(doc: dict[str, Any], schema_type: str) -> int:
    return next(i for i, n in enumerate(doc["@graph"]) if n["@type"] == schema_type)


@pytest.mark.parametrize("name", ["jsonld.json", "jsonld.html"])
def test_accepts_the_seed_golden_output(name: str, vocab: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    from toolkit.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["check-jsonld", str(EXAMPLES / name), "--vocab", str(vocab)])
    assert stop.value.code == 0, capsys.readouterr().err
    assert "ok (1 JSON-LD document(s), 1 checked against the toolkit profile" in \
        capsys.readouterr().out


def test_rejects_a_misspelled_property_with_its_pointer(
        tmp_path: Path, vocab: Path, doc: dict[str, Any],
        capsys: pytest.CaptureFixture[str]) -> None:
    from toolkit.cli import main

    i = _index(doc, "ScholarlyArticle")
    doc["@graph"][i]["pagestart"] = doc["@graph"][i].pop("pageStart")
    path = _write(tmp_path, doc)
    with pytest.raises(SystemExit) as stop:
        main(["check-jsonld", str(path), "--vocab", str(vocab)])
    assert stop.value.code == 1
    err = capsys.readouterr().err
    assert f"{path}:/@graph/{i}/pagestart: 'pagestart' is not a schema.org property" in err
    assert "[schema-property]" in err


def test_rejects_a_property_outside_its_domain(tmp_path: Path, vocab: Path,
                                              doc: dict[str, Any]) -> None:
    i = _index(doc, "ScholarlyArticle")
    doc["@graph"][i]["isbn"] = "978-1-84392-524-8"   # isbn belongs to Book
    problems = _problems(_write(tmp_path, doc), vocab)
    assert [(p.rule, p.pointer) for p in problems] == [("schema-domain", f"/@graph/{i}/isbn")]
    assert "ScholarlyArticle" in problems[0].message and "Book" in problems[0].message


def test_domain_check_uses_the_subclass_closure_and_both_schemes(
        tmp_path: Path, vocab: Path) -> None:
    doc = {"@context": {"@vocab": "https://schema.org/"}, "@id": "https://example.org/#ngo",
           "@type": "NGO", "name": "Fixture NGO", "foundingDate": "2001",
           "parentOrganization": {"@id": "https://example.org/#parent"}}
    path = _write(tmp_path, doc)
    assert check_file(path, vocab).problems == []  # Organization's properties fit an NGO
    doc["pageStart"] = "1"
    assert [p.rule for p in _problems(_write(tmp_path, doc), vocab)] == ["schema-domain"]


def test_unknown_type_relative_iri_and_profile(tmp_path: Path, vocab: Path,
                                               doc: dict[str, Any]) -> None:
    bad = copy.deepcopy(doc)
    i = _index(bad, "ScholarlyArticle")
    bad["@graph"][i]["@type"] = "ScholarlyArticel"
    j = _index(bad, "GovernmentOrganization")
    bad["@graph"][j]["sameAs"] = ["https://www.wikidata.org/wiki/Q100000001"]
    bad["@graph"][j]["url"] = "agency.html"
    found = {(p.rule, p.pointer) for p in _problems(_write(tmp_path, bad), vocab)}
    assert ("schema-type", f"/@graph/{i}") in found
    assert ("relative-iri", f"/@graph/{j}/url") in found
    assert ("profile", f"/@graph/{j}/sameAs/0") in found
    assert ("profile", f"/@graph/{j}/url") in found


def test_profile_applies_only_to_the_toolkit_shape(tmp_path: Path, vocab: Path) -> None:
    other = {"@context": "https://schema.org", "@type": "Organization", "name": "Fixture",
             "url": "https://example.org/"}
    report = check_file(_write(tmp_path, other), vocab)
    assert (report.documents, report.profiled) == (1, 0)


def test_someone_elses_graph_is_not_held_to_our_profile(tmp_path: Path, vocab: Path) -> None:
    """Many sites publish {"@context": "https://schema.org", "@graph": [...]} too (SEO
    plugins do, with arrays of types and their own ids): only schema.org rules apply."""
    page = "https://news.example/story/"
    other = {"@context": "https://schema.org", "@graph": [
        {"@type": ["WebPage", "ItemPage"], "@id": page, "url": page, "name": "Fixture story",
         "isPartOf": {"@id": "https://news.example/#website"}},
        {"@type": "WebSite", "@id": "https://news.example/#website", "name": "Fixture news"},
        {"@type": "NewsArticle", "headline": "Fixture", "mainEntityOfPage": {"@id": page}},
    ]}
    report = check_file(_write(tmp_path, other), vocab)
    assert (report.documents, report.profiled, report.problems) == (1, 0, [])
    # forced, the profile does apply (and this page does not meet it)
    with pytest.raises(ValidationFailed) as failed:
        check_file(_write(tmp_path, other), vocab, profile=True)
    assert {p.rule for p in failed.value.problems} == {"profile"}


def test_our_output_is_recognised_in_any_base(tmp_path: Path, vocab: Path,
                                               doc: dict[str, Any]) -> None:
    report = check_file(_write(tmp_path, doc), vocab)
    assert report.profiled == 1
    assert check_file(_write(tmp_path, doc), vocab, profile=False).profiled == 0


def test_invalid_json_is_located(tmp_path: Path, vocab: Path) -> None:
    problems = _problems(_write(tmp_path, '{\n  "@context": "https://schema.org",\n  "name"\n}'),
                         vocab)
    assert [(p.rule, p.line) for p in problems] == [("json", 4)]


def test_remote_contexts_are_not_fetched(tmp_path: Path, vocab: Path) -> None:
    doc = {"@context": "https://example.org/context.jsonld", "name": "Fixture"}
    problems = _problems(_write(tmp_path, doc), vocab)
    assert [p.rule for p in problems] == ["jsonld"]
    assert "not available" in problems[0].message


def test_html_blocks_are_each_checked(tmp_path: Path, vocab: Path, doc: dict[str, Any]) -> None:
    bad = {"@context": "https://schema.org", "@type": "Organization", "name": "x",
           "pagestart": "1"}
    page = ("<!doctype html>\n<html><head>\n" + to_html(doc) +
            "<script type=\"application/ld+json\">" + json.dumps(bad) + "</script>\n"
            "<script>var notJsonLd = 1;</script></head><body></body></html>\n")
    problems = _problems(_write(tmp_path, page, "page.html"), vocab)
    assert [(p.rule, p.pointer) for p in problems] == [("schema-property", "/pagestart")]
    assert "ld+json block 2" in problems[0].file


def test_html_without_blocks_fails(tmp_path: Path, vocab: Path) -> None:
    problems = _problems(_write(tmp_path, "<html><body>no data</body></html>", "p.html"), vocab)
    assert [p.rule for p in problems] == ["html"]


def test_vocabulary_closure(vocab: Path) -> None:
    v = load_vocabulary(vocab)
    assert {"NGO", "Organization", "Thing"} <= v.supertypes["NGO"]
    assert v.fits("issn", ["Periodical"]) and not v.fits("issn", ["Book"])
    assert v.fits("pageStart", ["ScholarlyArticle"]) and not v.fits("pageStart", ["Book"])


def test_without_vocab_uses_the_cached_tables(tmp_path: Path, vocab: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # A pre-filled user cache: nothing is downloaded (the socket guard would fail the test).
    cache = tmp_path / "cache" / "wikidata-publishing-toolkit" / "schemaorg-vocab"
    cache.mkdir(parents=True)
    for name in ("schemaorg-current-https-types.csv", "schemaorg-current-https-properties.csv",
                 "schemaorgcontext.jsonld"):
        (cache / name).write_bytes((vocab / name).read_bytes())
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    bad = {"@context": "https://schema.org", "@type": "Book", "name": "x", "pagestart": "1"}
    with pytest.raises(ValidationFailed) as failed:
        check_file(_write(tmp_path, bad), None)
    assert [p.rule for p in failed.value.problems] == ["schema-property"]
    # the cached published context coerces terms the toolkit never emits
    image = {"@context": "https://schema.org", "@type": "ImageObject", "contentUrl": "a.png"}
    with pytest.raises(ValidationFailed) as failed:
        check_file(_write(tmp_path, image), None)
    assert [(p.rule, p.pointer) for p in failed.value.problems] == \
        [("relative-iri", "/contentUrl")]


def test_a_wrong_path_is_reported_before_any_download(tmp_path: Path, monkeypatch) -> None:
    import toolkit.publish.check as check_jsonld

    def no_download(*args: object) -> Path:
        raise AssertionError("tried to download the vocabulary")

    monkeypatch.setattr(check_jsonld, "cached_vocab_dir", no_download)
    with pytest.raises(ToolkitError, match="cannot read"):
        check_file(tmp_path / "missing.jsonld", None)


def test_the_download_brings_the_published_context_too(tmp_path: Path, monkeypatch) -> None:
    """Without --vocab: the two tables and the context, each fetched once (fake answers)."""
    import requests

    from toolkit.publish.check import cached_vocab_dir

    asked: list[str] = []

    class Answer:
        content = b"test fixture, not schema.org data"

        def raise_for_status(self) -> None:
            pass

    def fake_get(url: str, **kwargs: object) -> Answer:
        asked.append(url)
        return Answer()

    monkeypatch.setattr(requests, "get", fake_get)
    folder = cached_vocab_dir(tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == [
        "schemaorg-current-https-properties.csv", "schemaorg-current-https-types.csv",
        "schemaorgcontext.jsonld"]
    assert "https://schema.org/docs/jsonldcontext.jsonld" in asked and len(asked) == 3
    cached_vocab_dir(tmp_path)
    assert len(asked) == 3
