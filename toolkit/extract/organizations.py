"""Find organizations in article text: mentions of known entities, and new candidates.

Two things, both with character offsets into the text:

* :func:`find_mentions`: every occurrence of a mapping entity's surface forms (Arabic
  clitics such as و، ب، ل، لل before a form are allowed and left out of the span);
* :func:`find_candidates`: organization names the mapping does not have yet, found by
  heuristics that prefer precision over recall: an Arabic head noun (منظمة، وكالة، مكتب،
  مركز، وزارة، الشرطة …) followed by a definite noun phrase, a name followed by a
  parenthesised acronym «… (اليونيسيف)», or a capitalised Latin name with an
  organization word (Institute, Agency …). Each candidate has a confidence and reasons.

Reference lines are skipped by default: the works' publishers come from the citations.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from toolkit.citations import looks_like_reference


@dataclass
class Mention:
    """A surface form of a known entity at ``start:end`` (line is 1-based)."""

    entity: str
    surface: str
    start: int
    end: int
    line: int

    def to_json(self) -> dict[str, Any]:
        return {"entity": self.entity, "surface": self.surface, "start": self.start,
                "end": self.end, "line": self.line}


@dataclass
class OrgCandidate:
    """A possible organization name not in the mapping, with every place it occurs."""

    name: str
    confidence: float
    reasons: list[str]
    spans: list[tuple[int, int]] = field(default_factory=list)
    acronym: str | None = None
    schema_type: str = "Organization"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "confidence": self.confidence,
                               "reasons": self.reasons, "schema_type": self.schema_type,
                               "spans": [list(s) for s in self.spans]}
        if self.acronym:
            out["acronym"] = self.acronym
        return out


_AR_LETTER = r"\u0621-\u064a\u0671-\u06d3\u0660-\u0669"
_CLITICS = ("وال", "بال", "فال", "كال", "لل", "و", "ف", "ب", "ل", "ك", "ال")


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _is_letter(ch: str) -> bool:
    return bool(re.match(rf"[{_AR_LETTER}A-Za-z0-9]", ch))


def find_mentions(text: str, names: dict[str, list[str]]) -> list[Mention]:
    """Occurrences of each entity's surface forms (``{entity_id: [form, …]}``)."""
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    # Longer forms first, so "منظمة الأمم المتحدة للطفولة" is not also counted as a
    # shorter form that it contains.
    forms = sorted(((f, eid) for eid, fs in names.items() for f in fs if f),
                   key=lambda p: len(p[0]), reverse=True)
    for form, entity_id in forms:
        start = text.find(form)
        while start >= 0:
            end = start + len(form)
            if _boundary_ok(text, start, end, form) and not any(
                    s < end and start < e for s, e in taken):
                found.append(Mention(entity_id, form, start, end, _line_of(text, start)))
                taken.append((start, end))
            start = text.find(form, start + 1)
    return sorted(found, key=lambda m: m.start)


def _boundary_ok(text: str, start: int, end: int, form: str) -> bool:
    if end < len(text) and _is_letter(text[end]):
        return False
    # Walk back over the word the form starts in: what precedes it must be clitics.
    head = start
    while head > 0 and _is_letter(text[head - 1]):
        head -= 1
    prefix = text[head:start]
    if not prefix:
        return True
    if form.startswith("ال") and prefix in ("و", "ف", "ب", "ك", "ل", "وب", "ول", "فب"):
        return True
    return prefix in _CLITICS


# Head nouns that start an Arabic organization name (singular only: plurals such as
# المنظمات are generic), with the schema.org type they suggest.
_AR_HEADS: dict[str, str] = {
    "وزارة": "GovernmentOrganization", "الشرطة": "GovernmentOrganization",
    "شرطة": "GovernmentOrganization", "وكالة": "GovernmentOrganization",
    "مكتب": "GovernmentOrganization", "هيئة": "GovernmentOrganization",
    "إدارة": "GovernmentOrganization", "مديرية": "GovernmentOrganization",
    "جهاز": "GovernmentOrganization", "دائرة": "GovernmentOrganization",
    "مفوضية": "GovernmentOrganization", "المفوضية": "GovernmentOrganization",
    "محكمة": "GovernmentOrganization", "المحكمة": "GovernmentOrganization",
    "منظمة": "Organization", "المنظمة": "Organization", "مركز": "Organization",
    "المركز": "Organization", "مجلس": "Organization", "المجلس": "Organization",
    "لجنة": "Organization", "اللجنة": "Organization", "جمعية": "NGO", "الجمعية": "NGO",
    "مؤسسة": "Organization", "المؤسسة": "Organization", "معهد": "ResearchOrganization",
    "المعهد": "ResearchOrganization", "جامعة": "CollegeOrUniversity",
    "الجامعة": "CollegeOrUniversity", "صندوق": "Organization", "برنامج": "Organization",
    "فرقة": "Organization", "الاتحاد": "Organization", "اتحاد": "Organization",
    "الأمم": "Organization", "البنك": "Organization", "بنك": "Organization",
}
# Words that end an Arabic noun phrase even though they carry the article.
_AR_STOP = {"التابع", "التابعة", "الذي", "التي", "الذين", "اللذين", "اللتين", "اللواتي",
            "الخاص", "الخاصة", "الآخرين", "الأخرى", "الآخر", "الحكومية"}
_AR_PREP = {"في", "من", "على", "إلى", "الى", "عن", "مع", "ضد", "عبر", "حول", "بين", "منذ",
            "و", "أو", "ثم", "كما", "حيث", "بعد", "قبل", "لدى", "عند", "غير", "أن", "إن"}
_WORD = re.compile(rf"[{_AR_LETTER}]+")
_LATIN_ORG_WORDS = re.compile(
    r"\b(?:Institute|Agency|Organi[sz]ation|Office|Centre|Center|Police|Ministry|"
    r"Department|Foundation|University|Council|Commission|Bureau|Association|Society|"
    r"Union|Nations|Fund|Programme|Program|Network|Coalition|Task ?force|Authority|"
    r"Court|Service|Unit|Alliance|Federation|Europol|Interpol|UNICEF|UNODC)\b")
_LATIN_NAME = re.compile(
    r"\b(?:[A-Z][\w'’-]+|[A-Z]{2,})(?:\s+(?:of|for|the|and|&|on|in|de|des|du)?\s*"
    r"(?:[A-Z][\w'’-]+|[A-Z]{2,}))*")
_ACRONYM = re.compile(rf"\s*\((?P<acr>[{_AR_LETTER}]+|[A-Z][A-Za-z0-9&.-]{{1,12}})\)")


def _ar_definite(word: str) -> bool:
    return word.startswith(("ال", "لل", "وال")) and len(word) > 3


def _strip_clitic(word: str) -> tuple[str, int]:
    """Drop a leading و/ف/ب/ك/ل from a head noun (``ومركز`` → ``مركز``)."""
    for clitic in ("و", "ف", "ب", "ك", "ل"):
        rest = word[len(clitic):]
        if word.startswith(clitic) and rest in _AR_HEADS:
            return rest, len(clitic)
    return word, 0


def _arabic_candidates(text: str, offset: int) -> Iterable[OrgCandidate]:
    words = list(_WORD.finditer(text))
    for i, match in enumerate(words):
        head, cut = _strip_clitic(match.group(0))
        if head not in _AR_HEADS:
            continue
        start = match.start() + cut
        # "وكالة … (يوروبول)": a name that runs up to an acronym in parentheses may hold
        # prepositions (للتعاون في إنفاذ القانون); accept up to 8 words.
        close = text.find(")", match.end())
        opening = text.rfind("(", match.end(), close) if close > 0 else -1
        acronym = _ACRONYM.match(text, text.rfind(" ", 0, opening) if opening > 0 else 0)
        if opening > 0 and acronym and acronym.start() >= match.end() - 1:
            span_text = text[start:opening].rstrip()
            n_words = len(span_text.split())
            if 2 <= n_words <= 8 and "\n" not in span_text and not re.search(r"[.،,؛:]",
                                                                             span_text):
                yield OrgCandidate(span_text, 0.9, [f"head noun «{head}»",
                                                    "followed by a parenthesised acronym"],
                                   [(offset + start, offset + start + len(span_text))],
                                   acronym.group("acr"), _AR_HEADS[head])
                continue
        phrase = [head]
        end = match.end()
        j = i + 1
        # After a nisba adjective (الوطنية) only adjectives or a لل-complement may follow,
        # and after a لل-complement only adjectives: what comes next is usually the verb's
        # object ("تجمع المنظمة الدولية للشرطة الجنائية الأدلة").
        state = "noun"
        while j < len(words) and len(phrase) < 7:
            word = words[j].group(0)
            gap = text[end:words[j].start()]
            if gap.strip() or word in _AR_PREP or word in _AR_STOP:
                break
            nisba = _ar_definite(word) and word.endswith(("ي", "ية", "يين", "يات"))
            if state != "noun" and not (nisba or (state == "adj" and word.startswith("لل"))):
                break
            if _ar_definite(word):
                phrase.append(word)
                if nisba:
                    state = "adj" if state != "lil" else "lil"
                elif word.startswith("لل"):
                    state = "lil"
            elif state == "noun" and (j + 1 < len(words) and words[j + 1].group(0).startswith("ال")
                  and not text[words[j].end():words[j + 1].start()].strip()
                  and words[j + 1].group(0) not in _AR_STOP):
                phrase.append(word)  # a noun in construct: "حماية النساء", "جرائم الإنترنت"
            else:
                break
            end = words[j].end()
            j += 1
        # A name ends on a definite word; trailing construct nouns are dropped.
        while len(phrase) > 1 and not _ar_definite(phrase[-1]):
            phrase.pop()
        if len(phrase) < 2:
            continue
        name = " ".join(phrase)
        if text[start:start + len(name)] != name:
            continue
        confidence = 0.6 + 0.05 * min(len(phrase) - 2, 3)
        reasons = [f"head noun «{head}»", f"definite noun phrase of {len(phrase)} words"]
        yield OrgCandidate(name, round(confidence, 2), reasons,
                           [(offset + start, offset + start + len(name))],
                           None, _AR_HEADS[head])


def _latin_candidates(text: str, offset: int) -> Iterable[OrgCandidate]:
    for match in _LATIN_NAME.finditer(text):
        name = match.group(0).strip()
        start = match.start()
        if name.startswith("The "):  # the article, not part of the name (usually)
            name, start = name[4:], start + 4
        if not _LATIN_ORG_WORDS.search(name) or (len(name.split()) < 2 and not name.isupper()):
            continue
        acronym = _ACRONYM.match(text, match.end())
        reasons = ["capitalised Latin name with an organization word"]
        if acronym:
            reasons.append("followed by a parenthesised acronym")
        yield OrgCandidate(name, 0.85 if acronym else 0.75, reasons,
                           [(offset + start, offset + start + len(name))],
                           acronym.group("acr") if acronym else None,
                           "GovernmentOrganization" if re.search(
                               r"Police|Ministry|Department|Agency|Office|Court", name)
                           else "Organization")


def find_candidates(text: str, known: Iterable[str] = (), *,
                    include_references: bool = False) -> list[OrgCandidate]:
    """Organization names in ``text`` that are not among the ``known`` surface forms.

    A candidate that overlaps a mention of a known name, or lies inside a longer
    candidate, is left out.
    """
    known_set = {k for k in known if k}
    blocked = [(m.start, m.end) for m in find_mentions(text, {"": sorted(known_set)})]
    merged: dict[str, OrgCandidate] = {}
    offset = 0
    for line in text.splitlines(keepends=True):
        if include_references or not looks_like_reference(line):
            found = [*_arabic_candidates(line, offset), *_latin_candidates(line, offset)]
            for cand in found:
                (start, end), = cand.spans
                inside_other = any(o is not cand and o.spans[0][0] <= start and
                                   end <= o.spans[0][1] and (o.spans[0] != cand.spans[0])
                                   for o in found)
                if inside_other or _is_known(cand, known_set) or any(
                        s < end and start < e for s, e in blocked):
                    continue
                if cand.name in merged:
                    old = merged[cand.name]
                    old.spans.extend(cand.spans)
                    old.confidence = max(old.confidence, cand.confidence)
                    old.acronym = old.acronym or cand.acronym
                    old.reasons.extend(r for r in cand.reasons if r not in old.reasons)
                else:
                    merged[cand.name] = cand
        offset += len(line)
    # A name seen more than once is a little more likely to be a real name.
    for cand in merged.values():
        if len(cand.spans) > 1:
            cand.confidence = round(min(0.95, cand.confidence + 0.05), 2)
            cand.reasons.append(f"occurs {len(cand.spans)} times")
    return sorted(merged.values(), key=lambda c: c.spans[0][0])


def _is_known(cand: OrgCandidate, known: set[str]) -> bool:
    if cand.name in known or (cand.acronym and cand.acronym in known):
        return True
    # A candidate that is only a known name plus a clitic or minus an article is known too.
    bare = cand.name.removeprefix("ال")
    return any(bare == k.removeprefix("ال") for k in known)


def extract_organizations(text: str, names: dict[str, list[str]] | None = None
                          ) -> dict[str, Any]:
    """Mentions of known entities and new candidates, as one JSON-ready report."""
    names = names or {}
    mentions = find_mentions(text, names)
    known = [f for forms in names.values() for f in forms]
    candidates = find_candidates(text, known)
    return {"mentions": [m.to_json() for m in mentions],
            "candidates": [c.to_json() for c in candidates]}


def organizations_report(path: Any, mapping_dir: Any = None) -> dict[str, Any]:
    """``toolkit extract organizations``: the report for an article file (and mapping)."""
    from toolkit.citations import read_article

    text = read_article(path)
    names: dict[str, list[str]] = {}
    if mapping_dir is not None:
        from toolkit.mapping.load import load_mapping

        mapping = load_mapping(mapping_dir)
        names = {e.id: [f for forms in e.names.values() for f in forms]
                 for e in mapping.entities}
    return extract_organizations(text, names)
