"""Wikitext citation templates ({{cite journal}}, {{استشهاد بكتاب}} …), English or Arabic."""

from __future__ import annotations

import re
from typing import Any

from toolkit import identifiers
from toolkit.citations.model import ParsedLine, ordered, set_pages
from toolkit.citations.names import parse_names
from toolkit.citations.text import DIGITS, clean, language_guess, parse_date

CITE_TEMPLATES: dict[str, str] = {
    "cite journal": "article-journal", "cite book": "book", "cite web": "webpage",
    "cite news": "article-newspaper", "citation": "", "cite magazine": "article-magazine",
    "cite report": "report", "cite thesis": "thesis", "cite conference": "paper-conference",
    "cite encyclopedia": "entry-encyclopedia", "cite press release": "report",
    "استشهاد بدورية محكمة": "article-journal", "استشهاد بكتاب": "book",
    "استشهاد ويب": "webpage", "استشهاد بويب": "webpage", "استشهاد بخبر": "article-newspaper",
    "استشهاد بمجلة": "article-magazine", "استشهاد بتقرير": "report",
    "استشهاد بأطروحة": "thesis", "استشهاد بموسوعة": "entry-encyclopedia",
    "استشهاد بمؤتمر": "paper-conference", "استشهاد": "",
}
# Parameter names (English CS1 and Arabic Wikipedia's aliases, as seen in arwiki pages)
# mapped to one internal name; a trailing number (last2, الأخير2) is handled separately.
PARAMS: dict[str, str] = {
    "last": "last", "surname": "last", "author-last": "last", "الأخير": "last",
    "الاسم الأخير": "last", "الكنية": "last", "اللقب": "last",
    "first": "first", "given": "first", "author-first": "first", "الأول": "first",
    "الاسم الأول": "first",
    "author": "author", "authors": "authors", "مؤلف": "author", "المؤلف": "author",
    "المؤلفون": "authors", "مؤلفون": "authors", "vauthors": "authors",
    "editor-last": "editor-last", "editor-surname": "editor-last", "editor-first":
    "editor-first", "editor-given": "editor-first", "editor": "editor", "editors": "editors",
    "محرر": "editor", "المحرر": "editor", "المحررون": "editors", "محرر-الأخير":
    "editor-last", "محرر-الأول": "editor-first", "الأخير-المحرر": "editor-last",
    "الأول-المحرر": "editor-first",
    "title": "title", "عنوان": "title", "العنوان": "title",
    "chapter": "chapter", "contribution": "chapter", "الفصل": "chapter", "فصل": "chapter",
    "journal": "container", "work": "container", "website": "container", "newspaper":
    "container", "magazine": "container", "periodical": "container", "encyclopedia":
    "container", "صحيفة": "container", "الصحيفة": "container", "العمل": "container",
    "عمل": "container", "الموقع": "container", "موقع": "container", "مجلة": "container",
    "المجلة": "container", "جريدة": "container", "موسوعة": "container",
    "publisher": "publisher", "ناشر": "publisher", "الناشر": "publisher",
    "location": "place", "place": "place", "publication-place": "place", "مكان": "place",
    "المكان": "place", "مكان النشر": "place",
    "date": "date", "تاريخ": "date", "التاريخ": "date", "year": "year", "سنة": "year",
    "السنة": "year",
    "volume": "volume", "المجلد": "volume", "مجلد": "volume",
    "issue": "issue", "number": "issue", "العدد": "issue", "عدد": "issue",
    "pages": "pages", "صفحات": "pages", "الصفحات": "pages",
    "page": "page", "at": "page", "صفحة": "page", "الصفحة": "page", "ص": "page",
    "isbn": "isbn", "ISBN": "isbn", "ردمك": "isbn", "issn": "issn", "ISSN": "issn",
    "ردمد": "issn", "doi": "doi", "DOI": "doi", "دوي": "doi",
    "url": "url", "URL": "url", "مسار": "url", "المسار": "url", "وصلة": "url",
    "access-date": "accessed", "accessdate": "accessed", "تاريخ الوصول": "accessed",
    "تاريخ الاطلاع": "accessed",
    "language": "language", "lang": "language", "اللغة": "language", "لغة": "language",
    "series": "series", "سلسلة": "series", "السلسلة": "series",
    "archive-date": "archive-date", "archivedate": "archive-date", "تاريخ أرشيف":
    "archive-date", "تاريخ الأرشيف": "archive-date",
}
_LANG_PARAM = {"en": "en", "english": "en", "الإنجليزية": "en", "إنجليزية": "en",
               "ar": "ar", "arabic": "ar", "العربية": "ar", "عربية": "ar", "fr": "fr",
               "french": "fr", "الفرنسية": "fr", "de": "de", "german": "de"}


def template_name(name: str) -> str:
    """A template's name as CITE_TEMPLATES spells it (no namespace, first letter lower)."""
    name = clean(name).replace("_", " ")
    name = re.sub(r"^(?:template|قالب)\s*:\s*", "", name, flags=re.I)
    return name[:1].lower() + name[1:] if name else name


def _plain(value: Any) -> str:
    """Wikitext value → plain text (links to their text, templates and comments dropped)."""
    import mwparserfromhell

    code = mwparserfromhell.parse(str(value))
    return clean(code.strip_code(normalize=True, collapse=True))


def _param_key(raw: str) -> tuple[str, int]:
    """A parameter name → (internal name, number): "last2" → ("last", 2); unknown → ""."""
    name = clean(raw).translate(DIGITS)
    match = re.match(r"^(.*?)[-_ ]?(\d+)$", name)
    number = 1
    if (match and match.group(1) in PARAMS) or (
            match and match.group(1) + "-last" in PARAMS):
        name, number = match.group(1), int(match.group(2))
    # editor1-last / editor2-first
    m2 = re.match(r"^(editor|محرر)(\d+)-(last|first|الأخير|الأول)$", name)
    if m2:
        kind = "editor-last" if m2.group(3) in ("last", "الأخير") else "editor-first"
        return kind, int(m2.group(2))
    key = PARAMS.get(name) or PARAMS.get(name.lower()) or ""
    return key, number


def _template_values(template: Any) -> dict[tuple[str, int], str]:
    """The template's non-empty parameters as plain text, by (internal name, number)."""
    values: dict[tuple[str, int], str] = {}
    for param in template.params:
        key, number = _param_key(str(param.name))
        text = _plain(param.value)
        if key and text:
            values.setdefault((key, number), text)
    return values


def _names(values: dict[tuple[str, int], str], last_key: str, first_key: str, full_key: str,
           list_key: str) -> list[dict[str, str]]:
    """Numbered last/first (or full) names, then a name list, as CSL names."""
    out: list[dict[str, str]] = []
    numbers = sorted({n for (k, n) in values if k in (last_key, full_key)})
    for n in numbers:
        if (last_key, n) in values:
            person = {"family": values[(last_key, n)]}
            if (first_key, n) in values:
                person["given"] = values[(first_key, n)]
            out.append(person)
        else:
            out.extend(parse_names(values[(full_key, n)]) or [])
    if (list_key, 1) in values:
        listed = values[(list_key, 1)]
        # "A, B, C" lists names; "Hester, Ronald E." is one inverted name
        if not re.search(r"[;؛]", listed) and listed.count(",") > 1:
            listed = listed.replace(",", ";")
        out += parse_names(listed)
    return out


def _title_and_kind(values: dict[tuple[str, int], str], name: str,
                    csl: dict[str, Any]) -> str:
    """Set the title and container; return the CSL type (inferred for {{citation}})."""
    kind = CITE_TEMPLATES[name]
    if values.get(("chapter", 1)):
        csl["title"] = values[("chapter", 1)]
        csl["container-title"] = values.get(("title", 1))
        kind = "chapter"
    else:
        # "Page title | Site |" (a pipe written as &#124;): the site's name is not the title
        title = values.get(("title", 1))
        csl["title"] = re.split(r"\s+\|(?:\s|$)", title)[0].strip() if title else title
        csl["container-title"] = values.get(("container", 1))
    if not kind:  # {{citation}}: infer from what is there
        kind = ("article-journal" if values.get(("container", 1)) and
                (values.get(("volume", 1)) or values.get(("doi", 1)))
                else "webpage" if values.get(("container", 1))
                else "book" if values.get(("publisher", 1)) or values.get(("isbn", 1))
                else "document")
    return kind


def _pages(values: dict[tuple[str, int], str], kind: str, csl: dict[str, Any]) -> str | None:
    """A book's (or page's) pages are the place cited; an article's or chapter's its range."""
    locator = None
    for key in ("pages", "page"):
        if values.get((key, 1)):
            if kind in ("book", "webpage", "document", "report"):
                locator = values[(key, 1)]
            else:
                set_pages(csl, values[(key, 1)])
    return locator


def _identifiers_and_language(values: dict[tuple[str, int], str], csl: dict[str, Any]) -> None:
    """ISBN, ISSN, DOI, access date and language (stated, or guessed from the title)."""
    if values.get(("isbn", 1)):
        raw = values[("isbn", 1)]
        csl["ISBN"] = identifiers.hyphenate_isbn(raw) or raw
    if values.get(("issn", 1)):
        csl["ISSN"] = identifiers.normalize_issn(values[("issn", 1)]) or values[("issn", 1)]
    if values.get(("doi", 1)):
        csl["DOI"] = values[("doi", 1)]
    if values.get(("accessed", 1)):
        csl["accessed"] = parse_date(values[("accessed", 1)])
    if values.get(("language", 1)):
        lang = values[("language", 1)].strip().casefold()
        csl["language"] = _LANG_PARAM.get(lang, lang)
    elif csl.get("title"):
        csl["language"] = language_guess(csl["title"])


def parse_template(template: Any) -> ParsedLine | None:
    """One citation template (mwparserfromhell node) → CSL fields, or None if not a cite."""
    name = template_name(str(template.name))
    if name not in CITE_TEMPLATES:
        return None
    values = _template_values(template)
    csl: dict[str, Any] = {}
    author = _names(values, "last", "first", "author", "authors")
    editor = _names(values, "editor-last", "editor-first", "editor", "editors")
    kind = _title_and_kind(values, name, csl)
    csl["type"] = kind
    csl["author"] = author
    csl["editor"] = editor
    date = values.get(("date", 1)) or values.get(("year", 1))
    if date:
        csl["issued"] = parse_date(date)
    for key, csl_key in (("volume", "volume"), ("issue", "issue"), ("publisher", "publisher"),
                         ("place", "publisher-place"), ("url", "URL"),
                         ("series", "collection-title")):
        if values.get((key, 1)):
            csl[csl_key] = values[(key, 1)]
    locator = _pages(values, kind, csl)
    _identifiers_and_language(values, csl)
    notes = []
    if values.get(("archive-date", 1)):
        notes.append(f"archived {parse_date(values[('archive-date', 1)]) or ''}".strip())
    return ParsedLine(ordered(csl), locator, "page" if locator else None, notes)
