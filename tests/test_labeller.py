"""The reference-line labeller (CRF), the "label: value" rules, and their combination.

The reference lines here are CONSTRUCTED examples (invented titles and names), written in the
style of arwiki's and enwiki's rendering; they are not copies of real reference lists.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from toolkit.citations import extract_citations
from toolkit.citations.features import features, tokenize
from toolkit.citations.labelled import is_labelled, parse_labelled
from toolkit.citations.labeller import improve, label, predict, spans

# Constructed, in the shape the issue quotes for {{استشهاد بويكي بيانات}} output.
WIKIDATA_AR = ("^ المؤلف: سامي نور، ليلى حداد — العنوان : أثر الرطوبة في نمو الفطريات — "
               "المجلد: 12 — الصفحة: ١٢٣–١٤٥ — العدد: 3 — نشر في: مجلة علوم النبات — "
               "https://dx.doi.org/10.5555/plant.2019.12")
WIKIDATA_EN = ("Author: Jane Roe — Title: Humidity and fungal growth — Volume: 7 — "
               "Page(s): 10-20 — Issue: 2 — Published in: Journal of Plant Studies — "
               "Publication date: 12 March 2001 — https://dx.doi.org/10.5555/jps.7.10")


def test_labelled_arabic_line() -> None:
    csl = parse_labelled(WIKIDATA_AR)
    assert csl == {
        "author": [{"literal": "سامي نور"}, {"literal": "ليلى حداد"}],
        "title": "أثر الرطوبة في نمو الفطريات", "volume": "12", "page": "123–145",
        "issue": "3", "container-title": "مجلة علوم النبات",
        "DOI": "10.5555/plant.2019.12", "type": "article-journal"}


def test_labelled_english_line() -> None:
    csl = parse_labelled(WIKIDATA_EN)
    assert csl is not None
    assert csl["title"] == "Humidity and fungal growth"
    assert csl["author"] == [{"literal": "Jane Roe"}]
    assert csl["container-title"] == "Journal of Plant Studies"
    assert (csl["volume"], csl["issue"], csl["page"]) == ("7", "2", "10–20")
    assert csl["issued"] == "2001-03-12"
    assert csl["DOI"] == "10.5555/jps.7.10"


@pytest.mark.parametrize("line", [
    'Smith, J. (2001). "Title: a story". Nature. 4: 5.',
    "The title: a long sentence about nothing — and more words here.",
    "العنوان: جملة واحدة فقط",
])
def test_not_labelled(line: str) -> None:
    assert not is_labelled(line)
    assert parse_labelled(line) is None


def test_labelled_line_extracts_one_work_with_provenance() -> None:
    works = extract_citations(WIKIDATA_AR)
    assert len(works) == 1
    assert works[0].csl["title"] == "أثر الرطوبة في نمو الفطريات"
    assert any("rules:labelled" in note for note in works[0].notes)
    # the rules alone do not read it as a record with that title
    assert all(w.csl.get("title") != "أثر الرطوبة في نمو الفطريات"
               for w in extract_citations(WIKIDATA_AR, mode="rules"))


def test_tokenizer_keeps_words_digits_and_punctuation() -> None:
    text = "«عنوانٌ» ص. ١٢–١٥، pp. 3-4; https://a.org/x?y=1 Smith's"
    assert [t.text for t in tokenize(text)] == [
        "«", "عنوانٌ", "»", "ص", ".", "١٢", "–", "١٥", "،", "pp", ".", "3", "-", "4", ";",
        "https://a.org/x?y=1", "Smith's"]
    for token in tokenize(text):
        assert text[token.start:token.end] == token.text


def test_features_have_neighbours() -> None:
    text = 'Doe, J. (2001). "A title". Nature.'
    rows = features(tokenize(text), text)
    assert len(rows) == len(tokenize(text))
    assert "BOS" in rows[0] and "EOS" in rows[-1]
    assert "k=year" in rows[5] and "-1:k=popen" in rows[5]


def test_model_labels_a_constructed_line() -> None:
    text = ('Roe, Jane; Poe, Ed (March 3, 2001). "A study of fungal growth". Journal of Plant '
            'Studies. 12 (3): 45–67. doi:10.5555/x.1.')
    found = dict(reversed(spans(text, label(text))))  # first run of each label
    assert found["title"] == "A study of fungal growth"
    assert predict(text)["container-title"] == "Journal of Plant Studies"
    assert predict(text)["author"] == [{"family": "Roe", "given": "Jane"},
                                       {"family": "Poe", "given": "Ed"}]
    assert (predict(text)["volume"], predict(text)["issue"]) == ("12", "3")


@pytest.mark.parametrize(("text", "author", "title"), [
    ("سامي نور، أيام الصحراء، دار الفكر، بيروت، 1990، ص 12", "سامي نور", "أيام الصحراء"),
    ("ليلى حداد. حكايات الريف، دار المعارف، القاهرة، 1975، ص 9", "ليلى حداد", "حكايات الريف"),
])
def test_hand_typed_arabic_book_line_is_fixed_by_the_labeller(text: str, author: str,
                                                              title: str) -> None:
    rules = extract_citations(text, mode="rules")[0].csl
    assert rules["title"] == author  # the rules take the author for the title
    csl, provenance = improve(rules, text)
    assert csl["title"] == title
    assert csl["author"] == [{"literal": author}]
    assert provenance["title"] == provenance["author"] == "labeller"
    assert provenance["issued"] in ("rules", "labeller")


def test_hand_typed_arabic_line_with_two_authors() -> None:
    text = "^ سامي نور. ليلى حداد، حكايات الريف، القاهرة، 1975، ص 9"
    assert extract_citations(text, mode="rules")[0].csl["title"] == "سامي نور"
    work = extract_citations(text)[0]
    assert work.csl["title"] == "حكايات الريف"
    assert work.csl["author"] == [{"literal": "سامي نور"}, {"literal": "ليلى حداد"}]
    assert work.csl["issued"] == "1975"
    assert "publisher" not in work.csl  # the rules' "publisher" was the rest of the line
    assert any("title=labeller" in note for note in work.notes)


def test_combined_keeps_rules_when_they_are_complete() -> None:
    text = ('Doe, Jane (1999). "On widgets". Widget Quarterly. 4 (2): 11–19. '
            "Acme Publishing.")
    rules = extract_citations(text, mode="rules")[0].csl
    csl, provenance = improve(rules, text)
    assert csl is rules
    assert set(provenance.values()) == {"rules"}


@pytest.mark.parametrize("line", [
    "The weather was warm in March 2001, and the harvest was good.",
    "انظر أيضًا: قائمة المدن في مصر",
    "Title: a long sentence — with a dash and 12 pages",
])
def test_not_a_reference_gives_no_record(line: str) -> None:
    assert extract_citations(line + "\nSecond line of prose here.") == []


def test_importing_toolkit_does_not_load_the_model() -> None:
    code = ("import sys, toolkit, toolkit.citations, toolkit.cli; "
            "print('pycrfsuite' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_training_is_deterministic(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from toolkit.citations import train

    lines, templates = train.training_refs()
    data = train.build(lines[:20], templates[:3], copies=1)
    assert data
    train.train(data, tmp_path / "a.crfsuite")
    train.train(train.build(lines[:20], templates[:3], copies=1), tmp_path / "b.crfsuite")
    assert (tmp_path / "a.crfsuite").read_bytes() == (tmp_path / "b.crfsuite").read_bytes()
