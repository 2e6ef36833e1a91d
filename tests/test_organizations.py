"""Organization mentions and candidates in article text."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from toolkit.extract.organizations import extract_organizations, find_candidates, find_mentions

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "cybersex-trafficking" / "article.txt"
TEXT = SEED.read_text(encoding="utf-8")


def test_mentions_have_exact_offsets():
    mentions = find_mentions(TEXT, {"unicef": ["منظمة الأمم المتحدة للطفولة", "اليونيسيف"],
                                    "europol": ["يوروبول"]})
    for m in mentions:
        assert TEXT[m.start:m.end] == m.surface
    assert sum(m.entity == "unicef" for m in mentions) == 4  # two full names, two acronyms
    # "لليوروبول" (ل + اليوروبول) counts: clitics before a form are allowed
    assert sum(m.entity == "europol" for m in mentions) == 2


def test_mentions_respect_word_boundaries():
    assert find_mentions("الفلبينية", {"ph": ["الفلبين"]}) == []
    assert len(find_mentions("وفي الفلبين.", {"ph": ["الفلبين"]})) == 1


def test_candidates_on_the_seed_without_a_mapping():
    names = {c.name for c in find_candidates(TEXT)}
    for expected in ("وكالة الاتحاد الأوروبي للتعاون في إنفاذ القانون",
                     "منظمة الأمم المتحدة للطفولة", "وزارة العدل الفلبينية",
                     "الشرطة الوطنية الفلبينية", "المنظمة الدولية للشرطة الجنائية",
                     "وكالة الجرائم الوطنية", "فرقة العمل العالمية الافتراضية",
                     "مركز حماية النساء والأطفال"):
        assert expected in names
    # no verb objects or generic plurals swallowed into a name
    assert not any(n.endswith(("الأدلة", "الآلاف")) for n in names)
    assert not any(n.startswith("المنظمات") for n in names)


def test_acronym_in_parentheses_raises_confidence():
    cands = {c.name: c for c in find_candidates(TEXT)}
    unicef = cands["منظمة الأمم المتحدة للطفولة"]
    assert unicef.acronym == "اليونيسيف"
    assert unicef.confidence > cands["وكالة الجرائم الوطنية"].confidence


def test_latin_names_and_reference_lines_skipped():
    text = ("The Australian Institute of Criminology (AIC) published it.\n"
            "Brown, Rick (2020). Title. Australian Federal Police. ISBN 9781925304336.\n")
    names = [c.name for c in find_candidates(text)]
    assert names == ["Australian Institute of Criminology"]


def test_known_names_are_not_candidates():
    report = extract_organizations(TEXT, {"unicef": ["منظمة الأمم المتحدة للطفولة"]})
    assert "منظمة الأمم المتحدة للطفولة" not in [c["name"] for c in report["candidates"]]
    assert any(m["entity"] == "unicef" for m in report["mentions"])


def test_cli_with_the_seed_mapping_finds_no_new_candidates():
    from toolkit.cli import app

    result = CliRunner().invoke(app, ["extract", "organizations", str(SEED), "--mapping",
                                      str(ROOT / "mappings" / "cybersex-trafficking")])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["candidates"] == []
    assert {m["entity"] for m in report["mentions"]} >= {"europol", "unicef", "interpol"}
