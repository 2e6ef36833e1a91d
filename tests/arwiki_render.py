"""Render real citation templates the way Arabic Wikipedia prints them (a test helper, not data).

Arabic Wikipedia's reference lists are output of its Module:Citation/CS1. Real copies of rendered
arwiki reference lists are scarce, but real template parameter sets are not: this module turns
one template (wikitext taken from a real article, with provenance, see
``tests/corpus/arwiki-templates.yaml`` and the wikitext lines of ``tests/corpus/references*.yaml``)
into the line a reader would copy from the article's reference list, in one of several *variants*,
and says which CSL fields that line shows (the expected values, computed from the template's
parameters here, never by the parser under test).

The shape follows real rendered arwiki lines in the corpus (the seed article, Snell's law,
the batch-3 village articles): ``Last، First؛ Last2، First2 (10 أكتوبر 2019). "Title". Journal.
ج. 54 ع. 1: 64–183. DOI:…. مؤرشف من الأصل في …. اطلع عليه بتاريخ ….``; chapters
``"Chapter". في Ed، F. (المحررون). Book. Publisher. ص. 201–223. ISBN:….``; CS2 (``{{citation}}``
or an old module) separates with ``،``; dates are printed with Egyptian month names (older
copies) or as ISO dates (current copies), and editors may type Levantine month names or
Arabic-Indic digits, which the module prints as typed. Error messages follow the real
``{{استشهاد بدورية محكمة}}: تجاهل المحلل الوسيط |x= لأنه غير معروف (مساعدة)`` pattern.
Lines made here are SYNTHETIC renderings of real templates and are reported apart from real
copies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import mwparserfromhell

EGYPTIAN = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
            "أكتوبر", "نوفمبر", "ديسمبر"]
EGYPTIAN_ALT = ["يناير", "فبراير", "مارس", "إبريل", "مايو", "يونيه", "يوليه", "أغسطس", "سبتمبر",
                "أكتوبر", "نوفمبر", "ديسمبر"]
LEVANTINE = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
             "تشرين الأول", "تشرين الثاني", "كانون الأول"]
_EN_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
              "september", "october", "november", "december"]
_ANY_MONTH = {m: i + 1 for names in (EGYPTIAN, EGYPTIAN_ALT, LEVANTINE, _EN_MONTHS)
              for i, m in enumerate(names)}
_ANY_MONTH.update({m[:3]: i + 1 for i, m in enumerate(_EN_MONTHS)})
_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

# Parameter names (English CS1 and the Arabic names seen in real arwiki templates).
_NAMES = {
    "last": "last", "surname": "last", "الأخير": "last", "first": "first", "given": "first",
    "الأول": "first", "author": "author", "مؤلف": "author", "المؤلف": "author",
    "authors": "authors", "المؤلفون": "authors", "vauthors": "authors",
    "editor": "editor", "محرر": "editor", "editors": "editors",
    "title": "title", "عنوان": "title", "chapter": "chapter", "الفصل": "chapter",
    "journal": "work", "work": "work", "website": "work", "newspaper": "work",
    "magazine": "work", "periodical": "work", "صحيفة": "work", "عمل": "work", "موقع": "work",
    "publisher": "publisher", "ناشر": "publisher", "location": "place", "مكان": "place",
    "date": "date", "تاريخ": "date", "year": "year", "سنة": "year",
    "volume": "volume", "المجلد": "volume", "issue": "issue", "number": "issue",
    "العدد": "issue", "pages": "pages", "صفحات": "pages", "page": "page", "صفحة": "page",
    "isbn": "isbn", "ردمك": "isbn", "doi": "doi", "دوي": "doi", "url": "url", "مسار": "url",
    "access-date": "accessed", "accessdate": "accessed", "تاريخ الوصول": "accessed",
    "language": "language", "لغة": "language", "archive-url": "archive-url",
    "مسار أرشيف": "archive-url", "archive-date": "archive-date", "تاريخ أرشيف": "archive-date",
    "edition": "edition", "display-authors": "display-authors", "pmid": "pmid",
    "format": "format",
}
_LANGS = {"en": ("en", "بالإنجليزية"), "english": ("en", "بالإنجليزية"),
          "الإنجليزية": ("en", "بالإنجليزية"), "nl": ("nl", "بالهولندية"),
          "dutch": ("nl", "بالهولندية"), "fr": ("fr", "بالفرنسية"),
          "french": ("fr", "بالفرنسية"), "de": ("de", "بالألمانية"),
          "german": ("de", "بالألمانية"), "es": ("es", "بالإسبانية"),
          "ko": ("ko", "بالكورية"), "fa": ("fa", "بالفارسية")}
_TEMPLATE_KIND = {"cite journal": "journal", "استشهاد بدورية محكمة": "journal",
                  "cite book": "book", "استشهاد بكتاب": "book", "cite web": "web",
                  "استشهاد ويب": "web", "استشهاد بويب": "web", "cite news": "news",
                  "استشهاد بخبر": "news", "citation": "citation"}
_AR_TEMPLATE = {"journal": "استشهاد بدورية محكمة", "book": "استشهاد بكتاب",
                "web": "استشهاد ويب", "news": "استشهاد بخبر", "citation": "استشهاد"}


@dataclass(frozen=True)
class Variant:
    """How one rendering differs: date style, digits, separators, markers, notes."""

    dates: str = "egyptian"      # egyptian | egyptian-alt | levantine | iso
    indic_digits: bool = False   # dates and page numbers typed with ٠-٩
    cs2: bool = False            # "،"-separated elements ({{citation}} / old module)
    name_comma: str = "،"        # between family and given name
    backlink: str = "^ "
    error: bool = False          # a leaked "تجاهل المحلل الوسيط" message
    maint: bool = False          # a leaked English "CS1 maint" note
    wayback: bool = False        # a bot's "نسخة محفوظة … على موقع واي باك مشين." note
    trailing_page: bool = False  # "ص. N." typed after the template
    doi_label: str = "DOI"
    etal: bool = False           # as with |display-authors=3: three names, then "وآخرون"


# Variant sets, chosen by template position so that every template is seen in three styles.
VARIANTS = (
    Variant(dates="egyptian", backlink="^ ", error=True),
    Variant(dates="iso", backlink="↑ ", wayback=True, doi_label="doi", maint=True),
    Variant(dates="levantine", indic_digits=True, backlink="^ أ ب ", trailing_page=True,
            etal=True),
    Variant(dates="egyptian-alt", cs2=True, backlink="1. ^ ", name_comma=","),
    Variant(dates="iso", backlink="- ^ ", error=True, cs2=True),
    Variant(dates="egyptian", indic_digits=True, backlink="", wayback=True, etal=True),
)


def _plain(value: Any) -> str:
    text = mwparserfromhell.parse(str(value)).strip_code(normalize=True, collapse=True)
    return re.sub(r"\s+", " ", text.replace("''", "")).strip()


def parse_date(text: str) -> tuple[int, int | None, int | None] | None:
    """``2007-07-09`` / ``1 August 2020`` / ``25 مارس 2020`` / ``January 2022`` → parts."""
    value = text.strip().rstrip(".")
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", value):
        return int(m[1]), int(m[2]), int(m[3]) if m[3] else None
    if m := re.fullmatch(r"(\d{1,2})\s+(\D+?)\s+(\d{4})", value):
        month = _ANY_MONTH.get(m[2].lower())
        return (int(m[3]), month, int(m[1])) if month else None
    if m := re.fullmatch(r"(\D+?)\s+(\d{1,2}),\s*(\d{4})", value):
        month = _ANY_MONTH.get(m[1].lower())
        return (int(m[3]), month, int(m[2])) if month else None
    if m := re.fullmatch(r"(\D+?),?\s+(\d{4})", value):
        month = _ANY_MONTH.get(m[1].lower())
        return (int(m[2]), month, None) if month else None
    if m := re.fullmatch(r"(\d{4})", value):
        return int(m[1]), None, None
    return None


def iso(parts: tuple[int, int | None, int | None]) -> str:
    year, month, day = parts
    return f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day else "")


def show_date(parts: tuple[int, int | None, int | None], variant: Variant) -> str:
    """A date as the module (or the editor) printed it."""
    year, month, day = parts
    if variant.dates == "iso" or not month:
        text = iso(parts)
    else:
        names = {"egyptian": EGYPTIAN, "egyptian-alt": EGYPTIAN_ALT,
                 "levantine": LEVANTINE}[variant.dates]
        text = f"{day} {names[month - 1]} {year}" if day else f"{names[month - 1]} {year}"
    return text.translate(_INDIC) if variant.indic_digits else text


def _num(text: str, variant: Variant) -> str:
    return text.translate(_INDIC) if variant.indic_digits else text


def _params(template: Any) -> dict[tuple[str, int], str]:
    values: dict[tuple[str, int], str] = {}
    for param in template.params:
        raw = str(param.name).strip()
        number = 1
        m = re.fullmatch(r"(.*?)(\d+)", raw)
        if m and (m[1] in _NAMES or m[1].rstrip("-") in _NAMES):
            raw, number = m[1].rstrip("-"), int(m[2])
        key = _NAMES.get(raw) or _NAMES.get(raw.lower())
        value = _plain(param.value)
        if key and value:
            values.setdefault((key, number), value)
    return values


def render(wikitext: str, variant: Variant, free_names: dict[str, list[dict[str, str]]]
           | None = None) -> tuple[str, dict[str, Any]] | None:
    """The rendered line of the first citation template in ``wikitext`` and its fields.

    ``free_names`` gives the hand-written reading of free-text name parameters (``author=``,
    ``vauthors=``, ``editor=``) for the corpus line the template came from; without it a
    free-text value counts as one literal name.
    """
    templates = [t for t in mwparserfromhell.parse(wikitext).filter_templates(recursive=True)
                 if str(t.name).strip().lower().replace("_", " ") in _TEMPLATE_KIND]
    if not templates:
        return None
    template = templates[0]
    kind = _TEMPLATE_KIND[str(template.name).strip().lower().replace("_", " ")]
    p = _params(template)
    get = lambda key: p.get((key, 1))  # noqa: E731
    expected: dict[str, Any] = {}
    sep = "، " if variant.cs2 else ". "
    parts: list[str] = []

    # names
    def people(last: str, first: str, full: str, many: str, role: str) -> list[str]:
        shown: list[str] = []
        csl: list[dict[str, str]] = []
        numbers = sorted({n for (k, n) in p if k in (last, full)})
        for n in numbers:
            # CS1: author= is an alias of last=, so author= with first= is a family name
            family = p.get((last, n)) or (p[(full, n)] if (first, n) in p else None)
            if family:
                given = p.get((first, n))
                shown.append(f"{family}{variant.name_comma} {given}" if given else family)
                csl.append({"family": family, **({"given": given} if given else {})})
            else:
                shown.append(p[(full, n)])
                csl.extend((free_names or {}).get(role) or [{"literal": p[(full, n)]}])
        if (many, 1) in p:
            shown.append(p[(many, 1)])
            csl.append({"literal": p[(many, 1)]})
        if (free_names or {}).get(role) and any(k in (full, many) for (k, _) in p):
            # the corpus line's hand-written reading of free-text names is the whole list
            csl = list((free_names or {})[role])
        limit = get("display-authors") if role == "author" else None
        if role == "author" and variant.etal and len(shown) > 3 and not limit:
            limit = "3"
        if limit and limit.isdigit() and len(shown) > int(limit):
            shown, csl = [*shown[: int(limit)], "وآخرون"], csl[: int(limit)]
        elif limit == "etal":
            shown = [*shown, "وآخرون"]
        if csl:
            expected[role] = csl
        return shown

    authors = people("last", "first", "author", "authors", "author")
    date_raw = get("date") or get("year")
    date = parse_date(date_raw) if date_raw else None
    if date_raw and date is None:
        return None  # a date this helper cannot read: leave the template out
    if date:
        expected["issued"] = iso(date)
    if authors:
        head = "؛ ".join(authors)
        parts.append(f"{head} ({show_date(date, variant)})" if date else head)

    title, chapter, work = get("title"), get("chapter"), get("work")
    lang = _LANGS.get((get("language") or "").strip().lower())
    lang_note = ""
    if lang and lang[0] != "ar":  # arwiki names the language of non-Arabic sources only
        lang_note = f" ({lang[1]})"
        expected["language"] = lang[0]
    fmt = f" ({get('format')})" if get("format") else ""
    if chapter:
        parts.append(f'"{chapter}"{fmt}')
        expected.update(title=chapter, type="chapter")
        editors = people("editor-last", "editor-first", "editor", "editors", "editor")
        book = title or ""
        if editors:
            parts.append(f"في {'؛ '.join(editors)} (المحررون)")
        parts.append(f"{book}{lang_note}")
        if book:
            expected["container-title"] = book
    elif title:
        if kind == "book":
            parts.append(f"{title}{fmt}{'' if work else lang_note}")
        else:
            parts.append(f'"{title}"{fmt}{"" if work else lang_note}')
        expected["title"] = title
    else:
        return None
    if work and not chapter:
        parts.append(f"{work}{lang_note}")
        expected["container-title"] = work
    if kind == "book" and get("edition"):
        parts[-1] += f" (ط. {get('edition')})"
    volume, issue = get("volume"), get("issue")
    pages = get("pages") or get("page")
    in_work = kind in ("journal", "news") or chapter
    if kind == "journal" and (volume or issue):
        vol = " ".join(x for x in (f"ج. {_num(volume, variant)}" if volume else "",
                                    f"ع. {_num(issue, variant)}" if issue else "") if x)
        if pages:
            vol += f": {_num(pages, variant)}"
            expected["page"] = pages
        parts.append(vol)
        pages = None
    else:
        if volume:
            parts.append(f"ج. {_num(volume, variant)}")
        if issue:
            parts.append(f"ع. {_num(issue, variant)}")
    if volume:
        expected["volume"] = volume
    if issue:
        expected["issue"] = issue
    place, publisher = get("place"), get("publisher")
    if publisher:
        parts.append(f"{place}: {publisher}" if place else publisher)
        expected["publisher"] = publisher
        if place:
            expected["publisher-place"] = place
    if date and not authors:  # without authors CS1 prints the date after the publisher
        parts.append(show_date(date, variant))
    if pages:
        parts.append(f"ص. {_num(pages, variant)}")
        if in_work:
            expected["page"] = pages
        else:
            expected["locator"] = pages
    if get("isbn"):
        parts.append(f"ISBN:{get('isbn')}")
        expected["ISBN"] = get("isbn")
    if get("doi"):
        parts.append(f"{variant.doi_label}:{get('doi')}")
        expected["DOI"] = get("doi")
    if get("pmid"):
        parts.append(f"PMID:{get('pmid')}")
    if get("archive-url") and get("archive-date"):
        archived = parse_date(get("archive-date") or "")
        if archived:
            parts.append(f"مؤرشف من الأصل في {show_date(archived, variant)}")
    if get("accessed"):
        accessed = parse_date(get("accessed") or "")
        if accessed is None:
            return None
        parts.append(f"اطلع عليه بتاريخ {show_date(accessed, variant)}")
        expected["accessed"] = iso(accessed)
    if kind == "journal" and (volume or issue or get("doi")):
        expected.setdefault("type", "article-journal")
    elif kind == "book" and not chapter:
        expected["type"] = "book"
    elif kind == "web" and (work or publisher) and get("accessed"):
        expected["type"] = "webpage"

    # CS1 never doubles the full stop after an element that ends with one ("Co.").
    line = ""
    for part in (x for x in parts if x):
        line += (sep if line and not (sep == ". " and line.endswith(".")) else
                 " " if line else "") + part
    line += "" if line.endswith(".") else "."
    if variant.error:
        unknown = next((str(q.name).strip() for q in template.params
                        if not _NAMES.get(str(q.name).strip().rstrip("0123456789"))),
                       "last-author-amp")
        line += (f" {{{{{_AR_TEMPLATE[kind]}}}}}: تجاهل المحلل الوسيط |{unknown}= لأنه غير "
                 "معروف (مساعدة)")
    if variant.maint and authors:
        line += " CS1 maint: multiple names: authors list (link)"
    if variant.wayback and not get("archive-url"):
        line += f" نسخة محفوظة {show_date((2019, 5, 31), variant)} على موقع واي باك مشين."
    if variant.trailing_page and "locator" not in expected:
        line += f" ص. {_num('12', variant)}."
        expected["locator"] = "12"
    return variant.backlink + line, expected
