"""Wikidata-driven references printed as "label: value" pairs, read by rule (an exact format).

Templates that build a reference from a Wikidata item (arwiki's ``{{استشهاد بويكي بيانات}}``,
enwiki's ``{{Cite Q}}`` in some older forms) print each statement behind its label::

    المؤلف: … — العنوان : … — المجلد: … — الصفحة: … — العدد: … — نشر في: … — https://dx.doi.org/…
    Author: … — Title: … — Volume: … — Page(s): … — Issue: … — Published in: …

This shape is taken from the issue text (issue 10) that quotes such lines; the stored copies
searched for this work (search tool: ``find_string "نشر في:"`` and the pages corpus) held no
arwiki reference list in this form, so the tests use constructed examples in that style.
The values run from the end of one label to the start of the next; the separators between
pairs (`` — ``, `` - ``, ``،``) are dropped.
"""

from __future__ import annotations

import re
from typing import Any

from toolkit import identifiers
from toolkit.citations.features import MONTHS
from toolkit.citations.names import WAW_NAMES

# label (case-folded, without the colon) → CSL field
LABELS = {
    "المؤلف": "author", "المؤلفون": "author", "المؤلفين": "author", "المؤلفة": "author",
    "author": "author", "authors": "author", "المحرر": "editor", "المحررون": "editor",
    "المحررين": "editor", "editor": "editor", "editors": "editor",
    "العنوان": "title", "title": "title",
    "المجلد": "volume", "volume": "volume", "الصفحة": "page", "الصفحات": "page",
    "page": "page", "pages": "page", "page(s)": "page", "العدد": "issue", "issue": "issue",
    "نشر في": "container-title", "نشرت في": "container-title",
    "published in": "container-title", "تاريخ النشر": "issued",
    "publication date": "issued", "الناشر": "publisher", "publisher": "publisher",
    "اللغة": "language", "language": "language", "لغة العمل": "language",
    "معرف الوثيقة الرقمية": "DOI", "doi": "DOI", "الرابط": "URL", "url": "URL",
    "ردمك": "ISBN", "isbn": "ISBN", "مكان النشر": "publisher-place",
    "place of publication": "publisher-place",
    # Wikidata reference statements: "stated in" names the work, "retrieved" the access date
    "مذكور في": "title", "stated in": "title", "تاريخ الاطلاع": "accessed",
    "retrieved": "accessed", "لغة العمل أو لغة الاسم": "language",
    "النص الكامل متوفر في": "URL", "full work available at": "URL",
    # "وصلة : http://…" (reference URL) links the work itself; "وصلة : نظام …" is a label only
    "وصلة": "link", "reference url": "link",
    # identifier statements ("معرف القائمة الحمراء …: 103893432"): no CSL field
}
# A label that alone makes a line a reference: "مذكور في: سيمباد." (a Wikidata "stated in")
_ALONE = frozenset(("مذكور في", "stated in"))
# "معرف …:" ("identifier of …"), an external identifier with its value
_IDENTIFIER_LABEL = r"معرف [^:—]{2,60}?"
_LABEL_ALT = "|".join(re.escape(k) for k in sorted(LABELS, key=len, reverse=True))
# A label starts the line (after a back-link) or follows a separator; its colon may have a
# space before it ("العنوان :").
_LABEL = re.compile(rf"(?:^|(?<=[\s—–\-،,|]))(?P<label>{_LABEL_ALT}|{_IDENTIFIER_LABEL})\s*:\s*",
                    re.I)
# " — " parts the pairs: a value ends there even when no label follows ("— الاصدار الخامس —")
_PAIR_SEPARATOR = re.compile(r"\s+—\s+")
_BACKLINK = re.compile(r"^\s*(?:[-*•]\s+)?(?:\d{1,3}\.\s*)?(?:\^|↑)?\s*(?:[a-zأ-ي]\s+)*")
_SEPARATORS = " \t—–-،,;؛|."
# A DOI link, and the identifier links (PubMed, PMC) printed glued to it without a blank
_DOI_URL = re.compile(r"https?://(?:dx\.)?doi\.org/(?P<doi>10\.\d{4,9}/(?:(?!https?://)\S)+?)"
                      r"(?:https?://\S+?)?[.,،]?(?:\s|$)")
# "— ISBN 978-0-8018-8221-0 —": the ISBN statement printed without a colon, as its own pair
_BARE_ISBN = re.compile(r"(?:ISBN|ردمك)\s+(?P<v>97[89][\d-]{10,16}|[\d-]{9,12}[\dXx])")
_URL = re.compile(r"https?://\S+?(?=[.,،]?(?:\s|$))")
_LANGUAGES = {"الإنجليزية": "en", "الإنكليزية": "en", "english": "en", "العربية": "ar",
              "arabic": "ar", "الفرنسية": "fr", "french": "fr", "الألمانية": "de",
              "german": "de", "الإسبانية": "es", "spanish": "es"}
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


def date_iso(text: str) -> str | None:
    """An ISO date from "2019-10-10", "10 أكتوبر 2019", "October 10, 2019" or "2019"."""
    value = text.translate(_DIGITS).strip(" .")
    if m := re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T.*)?", value):
        return "-".join(x for x in m.groups() if x)
    if m := re.fullmatch(r"(\d{1,2})\s+(\S+)\s+(\d{4})", value):
        month = MONTHS.get(m[2].casefold())
        return f"{m[3]}-{month:02d}-{int(m[1]):02d}" if month else None
    if m := re.fullmatch(r"(\S+)\s+(\d{1,2}),?\s+(\d{4})", value):
        month = MONTHS.get(m[1].casefold())
        return f"{m[3]}-{month:02d}-{int(m[2]):02d}" if month else None
    if m := re.fullmatch(r"(\S+)\s+(\d{4})", value):
        month = MONTHS.get(m[1].casefold())
        return f"{m[2]}-{month:02d}" if month else None
    return None


# Between two names: a comma or semicolon (Latin or Arabic), "and", "&", or "و" standing alone
# ("Uwe Fritz و Peter Havaš") or glued to the next name ("أحمد علي وسعيد حسن").
_NAME_JOIN = re.compile(r"\s*[،;؛]\s*(?:و\s+)?|\s*,\s*(?:and\s+|و\s+)?|\s+(?:and|&|و)\s+")
_GLUED_AND = re.compile(r"\s+و(?=[\u0600-\u06ff]{3})")


def _names(value: str) -> list[dict[str, str]]:
    """Wikidata labels of people ("Given Family"): literal names, one per separator."""
    parts: list[str] = []
    for piece in _NAME_JOIN.split(value):
        start = 0
        for glued in _GLUED_AND.finditer(piece):
            word, *rest = piece[glued.end() - 1:].split(" ")
            # "وليد" is a name, not "and ليد"; each name keeps two words or more
            if word not in WAW_NAMES and rest and len(piece[start:glued.start()].split()) >= 2:
                parts.append(piece[start:glued.start()])
                start = glued.end()
        parts.append(piece[start:])
    return [{"literal": p.strip(" .")} for p in parts if p.strip(" .")]


def pairs(text: str) -> list[tuple[str, str]] | None:
    """The (field, value) pairs of a labelled line, or None if it is not one.

    A line is labelled when it has at least two known labels, one of them the title.
    """
    body = _BACKLINK.sub("", text.strip(), count=1)
    found = list(_LABEL.finditer(body))
    fields = [LABELS.get(m.group("label").casefold(), "") for m in found]
    alone = (len(found) >= 1 and found[0].start() == 0
             and found[0].group("label").casefold() in _ALONE)
    if (len(found) < 2 and not alone) or "title" not in fields:
        return None
    out: list[tuple[str, str]] = []
    for index, match in enumerate(found):
        end = found[index + 1].start() if index + 1 < len(found) else len(body)
        value = body[match.end():end]
        if fields[index] not in ("URL", "DOI"):
            # the value ends at the pair separator; a bare DOI link after it is kept apart
            value, *rest = _PAIR_SEPARATOR.split(value)
            value += "".join(f" {r}" for r in rest
                             if _DOI_URL.match(r + " ") or _BARE_ISBN.fullmatch(r.strip(" .")))
        if fields[index]:
            out.append((fields[index], value.strip(_SEPARATORS + " ")))
    # text after the last value's separator (a bare DOI link) stays inside the last value:
    # it is cut out below by the URL rules.
    return out


def is_labelled(text: str) -> bool:
    """Whether a line is a "label: value" reference (two labels or more, one the title)."""
    return ":" in text and pairs(text) is not None


def _put(csl: dict[str, Any], name: str, value: str) -> None:
    if name in ("author", "editor"):
        csl.setdefault(name, []).extend(_names(value))
    elif name in ("issued", "accessed"):
        if iso := date_iso(value):
            csl[name] = iso
    elif name == "link":
        return  # a "وصلة" whose value is not a link (its URL, if any, was taken already)
    elif name == "language":
        if code := _LANGUAGES.get(value.casefold()):
            csl["language"] = code
    elif name == "DOI":
        doi = _DOI_URL.search(value + " ")
        csl["DOI"] = doi.group("doi") if doi else value.split()[0].rstrip(".,")
    elif name in ("volume", "issue", "page"):
        csl[name] = re.sub(r"\s*[–—−-]\s*", "–", value.translate(_DIGITS))
    else:
        csl.setdefault(name, value)


def cited_page(csl: dict[str, Any]) -> str | None:
    """Take out a single page of a book-like labelled line: the page cited, not a range."""
    page = str(csl.get("page", ""))
    if page and re.fullmatch(r"\d+", page) and "container-title" not in csl:
        return str(csl.pop("page"))
    return None


def parse_labelled(text: str) -> dict[str, Any] | None:
    """The CSL fields of a Wikidata-driven "label: value" reference, or None if it is not one."""
    found = pairs(text)
    if found is None:
        return None
    csl: dict[str, Any] = {}
    for name, raw in found:
        value = raw
        # a DOI link or URL printed without a label (at the end, or after a value)
        for doi in _DOI_URL.finditer(raw + " "):
            csl.setdefault("DOI", doi.group("doi"))
            value = value.replace(doi.group(0).strip(), " ")
        for isbn in _BARE_ISBN.finditer(value):
            csl.setdefault("ISBN", identifiers.hyphenate_isbn(isbn.group("v"))
                           or isbn.group("v"))
            value = value.replace(isbn.group(0), " ")
        for url in _URL.finditer(value):
            if name != "URL":
                csl.setdefault("URL", url.group(0))
                value = value.replace(url.group(0), " ")
        value = value.strip(_SEPARATORS + " ")
        if value:
            _put(csl, name, value)
    if not csl.get("title"):
        return None
    if csl.get("container-title") and (csl.get("volume") or csl.get("issue")
                                       or csl.get("DOI")):
        csl["type"] = "article-journal"
    return csl
