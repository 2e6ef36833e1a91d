"""Parse citations into CSL-JSON items, each with the text it came from.

Three inputs are understood, and may be mixed in one file:

* rendered reference lists copied from Arabic or English Wikipedia (CS1/CS2 output:
  ``Last، First (2018). "Title". Journal. ج. 54 ع. 1: 64–183.``), including back-link
  markers, archive/access notes, leaked template error messages (dropped) and a trailing
  locator the editor typed after the template (``p. 64.``, ``pp. 1–4.``, ``Abstract.``);
* wikitext citation templates (``{{cite journal}}``, ``{{استشهاد بكتاب}}`` …), read with
  mwparserfromhell, with English or Arabic parameter names;
* a single reference per line.

:func:`extract_citations` groups repeated citations of one work into one :class:`Work`
that keeps every occurrence (line, text, locator). Parsing is heuristic: a field is only
filled when its pattern is recognised, so a missing field is more likely than a wrong one.
"""

from __future__ import annotations

import html
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit import identifiers
from toolkit.citations.labelled import is_labelled
from toolkit.errors import InputError, Problem

# --------------------------------------------------------------------------- text tools

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Bidi controls and zero-width characters that copy-paste from Wikipedia leaves behind.
_INVISIBLE = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067"
                                    "\u2068\u2069\u200b\u200c\u200d\ufeff\u00ad"), None)


def _clean(text: str) -> str:
    """NFC, no invisible marks or kashida, ASCII digits, single spaces, entities decoded."""
    if "&" in text and ";" in text:
        # "ISBN&#160;978-…", "&#91;Theory&#93;": entities a page-to-text converter left behind
        text = html.unescape(text)
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE).translate(_DIGITS)
    # Kashida (tatweel) only stretches a word for looks: "إحصـاء" is "إحصاء".
    text = text.replace("\u0640", "")
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"[ \t]+", " ", text).strip()


def _strip_punct(text: str) -> str:
    return text.strip().strip(" .,،؛;:").strip()


def _norm_key(text: str) -> str:
    """A comparison key: case-folded letters and digits only."""
    text = unicodedata.normalize("NFKC", _clean(text)).casefold()
    return re.sub(r"[\W_]+", "", text)


# --------------------------------------------------------------------------- dates

MONTHS: dict[str, int] = {
    # Levantine (Syriac-derived) names
    "كانون الثاني": 1, "شباط": 2, "آذار": 3, "اذار": 3, "نيسان": 4, "أيار": 5, "ايار": 5,
    "حزيران": 6, "تموز": 7, "آب": 8, "اب": 8, "أيلول": 9, "ايلول": 9, "تشرين الأول": 10,
    "تشرين الاول": 10, "تشرين الثاني": 11, "كانون الأول": 12, "كانون الاول": 12,
    # Egyptian / Gulf (transliterated) names and their spelling variants
    "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "إبريل": 4, "ابريل": 4, "مايو": 5,
    "يونيو": 6, "يونيه": 6, "يوليو": 7, "يوليه": 7, "أغسطس": 8, "اغسطس": 8, "سبتمبر": 9,
    "أكتوبر": 10, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
    # English, full and abbreviated
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
# Longest names first so that "كانون الثاني" wins over a shorter prefix.
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_MONTH = rf"(?P<month>{_MONTH_ALT})\.?"
_DAY = r"(?P<day>[0-3]?\d)"
_YEAR = r"(?P<year>1[5-9]\d\d|20\d\d)(?:[a-z]|\s?للميلاد|\s?م)?"
_DATE_PATTERNS = [
    re.compile(rf"^{_YEAR}-(?P<m>[01]?\d)(?:-(?P<d>[0-3]?\d))?$"),  # also "2022-7-19"
    re.compile(rf"^{_DAY}\s+{_MONTH},?\s+{_YEAR}$", re.I),
    re.compile(rf"^{_MONTH}\s+{_DAY},\s*{_YEAR}$", re.I),
    re.compile(rf"^{_MONTH},?\s+{_YEAR}$", re.I),
    re.compile(rf"^(?:(?:spring|summer|autumn|fall|winter|ربيع|صيف|خريف|شتاء)\s+)?{_YEAR}$",
               re.I),
    re.compile(rf"^{_YEAR}[–-](?:1[5-9]|20)?\d\d$"),  # "2009–2010": keep the first year
]
# A date somewhere inside a longer string (for "Retrieved …", "مؤرشف من الأصل في …").
DATE_ANYWHERE = re.compile(
    rf"({_YEAR.replace('?P<year>', '')}-\d\d-\d\d"
    rf"|[0-3]?\d\s+(?:{_MONTH_ALT})\.?,?\s+(?:1[5-9]\d\d|20\d\d)"
    rf"|(?:{_MONTH_ALT})\.?\s+[0-3]?\d,\s*(?:1[5-9]\d\d|20\d\d)"
    rf"|(?:{_MONTH_ALT})\.?,?\s+(?:1[5-9]\d\d|20\d\d)"
    rf"|(?:1[5-9]\d\d|20\d\d))", re.I)


def parse_date(text: str) -> str | None:
    """An ISO date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) from a rendered date, or None."""
    value = _strip_punct(_clean(text))
    for pattern in _DATE_PATTERNS:
        match = pattern.match(value)
        if not match:
            continue
        parts = match.groupdict()
        year = int(parts["year"])
        month_name = parts.get("month")
        month = (MONTHS.get(month_name.casefold(), MONTHS.get(month_name)) if month_name
                 else int(parts["m"]) if parts.get("m") else None)
        day_text = parts.get("day") or parts.get("d")
        day = int(day_text) if day_text else None
        iso = f"{year:04d}"
        if month:
            iso += f"-{month:02d}"
            if day:
                iso += f"-{day:02d}"
        return iso if identifiers.parse_iso_date(iso) else None
    return None


def csl_date(iso: str) -> dict[str, Any]:
    """``2019-10-10`` → ``{"date-parts": [[2019, 10, 10]]}``."""
    return {"date-parts": [[int(p) for p in iso.split("-")]]}


# --------------------------------------------------------------------------- model


@dataclass
class Occurrence:
    """One place a work is cited: the line, its text, and the locator given there."""

    line: int
    text: str
    locator: str | None = None
    label: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"line": self.line, "text": self.text}
        if self.locator is not None:
            out["locator"] = self.locator
            out["label"] = self.label
        return out


@dataclass
class Work:
    """A cited work: CSL fields (``issued``/``accessed`` as ISO strings) and occurrences."""

    csl: dict[str, Any]
    occurrences: list[Occurrence] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    origin: str = "rendered"  # rendered | wikitext

    def to_csl_json(self, item_id: str) -> dict[str, Any]:
        """The work as a CSL-JSON item (dates as date-parts) with its source texts."""
        item: dict[str, Any] = {"id": item_id}
        for key, value in self.csl.items():
            item[key] = csl_date(value) if key in ("issued", "accessed") else value
        item["_citations"] = [o.to_json() for o in self.occurrences]
        if self.notes:
            item["note"] = "; ".join(self.notes)
        return item


CSL_ORDER = ("type", "title", "author", "editor", "issued", "container-title", "volume",
             "issue", "page", "chapter-number", "publisher", "publisher-place", "collection-title",
             "collection-number", "ISBN", "ISSN", "DOI", "URL", "accessed", "language")


# Noise that must never reach a field, whatever the parser made of a damaged line.
_FIELD_NOISE = re.compile(r"\{\{|\}\}|\((?:مساعدة|help)\)|تجاهل المحلل[^.،]*|CS1 maint:?.*$")


def _scrub(value: Any) -> Any:
    """A field value without template remnants, error messages or wikitext pipes."""
    if isinstance(value, str):
        value = _FIELD_NOISE.sub(" ", value)
        value = re.sub(r"\s*\|\s*", " – ", value)
        return re.sub(r"\s+", " ", value).strip(" –")
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items()}
    return value


_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
# "Chapter 12: Title" / "الفصل 12: Title": the number is CSL's chapter-number, not the title.
_CHAPTER_PREFIX = re.compile(
    r"^(?:Chapter|Ch\.|الفصل)\s*(?P<n>[0-9٠-٩]+|[IVXLC]+)\s*[:.–—-]\s*(?P<title>\S.*)$",
    re.IGNORECASE)


def _ordered(csl: dict[str, Any]) -> dict[str, Any]:
    csl = {k: _scrub(v) for k, v in csl.items()}
    match = _CHAPTER_PREFIX.match(str(csl.get("title") or ""))
    if csl.get("type") == "chapter" and match and not csl.get("chapter-number"):
        csl["title"] = match.group("title")
        csl["chapter-number"] = match.group("n").translate(_ARABIC_DIGITS)
    out = {k: csl[k] for k in CSL_ORDER if k in csl and csl[k] not in (None, "", [])}
    out.update({k: v for k, v in csl.items() if k not in out and v not in (None, "", [])})
    return out


# --------------------------------------------------------------------------- names


def parse_names(text: str) -> list[dict[str, str]]:
    """``Last، First؛ Last2، First2`` (or Latin ``,`` ``;`` ``&``) → CSL name dicts."""
    text = re.sub(r"\s*\((?:eds?\.|المحررون|المحرر|محرر|محررون)\)\s*$", "", text.strip())
    text = text.strip().strip(",،;؛: ")
    text = re.sub(r"\s*(?:et al\.?|وآخرون|وغيرهم)\s*$", "", text)
    if not text:
        return []
    if not re.search(r"[;؛]", text) and (latin := _latin_comma_names(text)) is not None:
        return latin
    parts = re.split(r"\s*[;؛]\s*|\s+(?:&|and|و)\s+(?=\S+\s*[,،])", text)
    if len(parts) == 1 and not re.search(r"[,،]", text):
        parts = _split_joined_names(text)
    names: list[dict[str, str]] = []
    for part in parts:
        part = part.strip().strip(",،;؛: ")
        if not part:
            continue
        if len(parts) > 1 and re.fullmatch(r"[A-Za-zÀ-ÿ'’-]+", part):
            names.append({"family": part})  # "Stoer؛ Bulirsch": family names only
        elif (vancouver := _VANCOUVER.fullmatch(part)):
            names.append({"family": vancouver.group("family"), "given": vancouver.group("given")})
        elif re.search(r",\s*" + _COMPANY_SUFFIX + r"$", part):
            names.append({"literal": part})  # "FireEye, Inc": a company, not Inc FireEye
        elif re.search(r"[,،]", part):
            family, _, given = re.split(r"\s*([,،])\s*", part, maxsplit=1)
            # keep the period of a final initial ("Matthew M."), drop other end marks
            given = given.strip().rstrip(",،;؛: ")
            if given.endswith(".") and not re.search(r"(?:^|\s)\w\.$", given):
                given = given[:-1]
            names.append({"family": family.strip(), "given": given})
        else:
            names.append({"literal": part})
    return names


# "Davies ME", "Sanfey AG": family name, then initials without stops (Vancouver style)
_VANCOUVER = re.compile(r"(?P<family>[A-Z][\w'’-]*[a-z][\w'’-]*(?:[ -][A-Z][\w'’-]*[a-z][\w'’-]*)?)"
                        r"\s+(?P<given>[A-Z]{1,3})")
_COMPANY_SUFFIX = r"(?:Inc\.?|Ltd\.?|LLC|Corp\.?|Corporation|GmbH|plc|AG|S\.A\.|ZAO|Co\.)"
_INITIALS = re.compile(r"(?:[A-Z]\.\s*-?)+|[A-Z]{1,3}")
_PARTICLE = re.compile(r"^(?:van|von|de|del|della|der|den|da|di|du|la|le|St\.|Van|Von|De|Del|"
                       r"Da|Di|Du|La|Le|Mac|Mc)$")
_GIVEN_WORD = re.compile(r"[A-Z][\w'’-]*[a-z][\w'’-]*\.?|[A-Z]\.")


def _latin_comma_names(text: str) -> list[dict[str, str]] | None:
    """Comma-only Latin name lists that are not one inverted "Family, Given" name, else None.

    "Makiko Yamazaki, Taiga Uranaka" (natural order), "Zeelenberg M, Pieters R" (Vancouver),
    "Cover, T.M., Thomas, J.A." (family, initials, family, initials), "Kairouz, Peter, Sewoong
    Oh, and Pramod Viswanath" (MLA: the first inverted, the others not).
    """
    if _ARABIC.search(text) or "," not in text:
        return None
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) < 2:
        return None
    bare = [re.sub(r"^(?:and|&)\s+", "", p) for p in parts]
    if len(parts) >= 3 and re.match(r"^(?:and|&)\s", parts[-1]) and len(parts[0].split()) == 1:
        rest = [re.sub(r"^(?:and|&)\s+", "", p) for p in parts[2:]]
        if all(2 <= len(p.split()) <= 4 for p in rest):
            return [{"family": parts[0], "given": parts[1]}] + [{"literal": p} for p in rest]
    if all(_VANCOUVER.fullmatch(p) for p in parts):
        return [{"family": m.group("family"), "given": m.group("given")}
                for m in (_VANCOUVER.fullmatch(p) for p in parts) if m]
    if len(parts) >= 4 and len(parts) % 2 == 0 and all(
            _INITIALS.fullmatch(parts[i]) and len(bare[i - 1].split()) <= 2
            for i in range(1, len(parts), 2)):
        return [{"family": bare[i - 1], "given": parts[i]} for i in range(1, len(parts), 2)]
    natural = [p.split() for p in parts]
    if all(2 <= len(words) <= 4 and _GIVEN_WORD.fullmatch(words[-1]) and "." not in words[-1]
           and all(_GIVEN_WORD.fullmatch(w) for w in words) for words in natural) \
            and not _PARTICLE.match(natural[0][0]):
        return [{"literal": p} for p in parts]
    return None


# Arabic given names that begin with و: not the conjunction "and".
_WAW_NAMES = frozenset(("وليد", "وائل", "وفاء", "وهبة", "وديع", "وجدي", "وسام", "وصفي",
    "ولاء", "وداد", "وحيد", "وهيب", "وسيم", "ورد", "وصال", "ودود", "وجيه", "وحيدة", "وعد",
    "وفيق", "وفيقة", "وسيلة", "ولي", "وهب", "وضاح", "وئام", "وجدان", "وعود"))


def _split_joined_names(text: str) -> list[str]:
    """"Lev Grossman and Richard Lacayo", "عبد الرزاق الصانع وعبد العزيز العلي" → two names."""
    latin = re.split(r"\s+(?:and|&)\s+", text)
    if len(latin) == 2 and all(len(p.split()) >= 2 for p in latin):
        return latin
    words = text.split()
    joins = [i for i, w in enumerate(words) if i >= 2 and w.startswith("و") and len(w) > 3
             and w not in _WAW_NAMES and len(words) - i >= 2]
    if len(joins) == 1 and re.search(r"[\u0600-\u06ff]", text):
        i = joins[0]
        return [" ".join(words[:i]), " ".join([words[i][1:], *words[i + 1:]])]
    return [text]


# --------------------------------------------------------------------------- rendered

# Leaked CS1 error and maintenance messages: "{{استشهاد بدورية محكمة}}: تجاهل … (مساعدة)",
# "{{cite web}}: Unknown parameter |x= ignored (help)", "CS1 maint: …".
_ERROR_MSG = re.compile(
    r"\{\{[^{}]{1,80}\}\}:\s.*\((?:مساعدة|help)\)"
    r"|(?:\{\{[^{}]{1,80}\}\}\s*:\s*)?(?:CS1 maint|صيانة CS1):.*$"
    r"|\((?:مساعدة|help)\)")
_BACKLINK = re.compile(
    r"^\s*(?:[-*•]\s+)?(?:\d{1,3}\.\s+)?(?:\[\^[\w-]{1,20}\]:\s*)?(?:Jump up\s*\^\s*)?"
    r"(?:[\^↑]\s*(?:Jump up to:\s*|Jump up\s+)?(?:(?:[a-z]{1,2}|[أ-ي])\s+)*)?")
_ARCHIVE = re.compile(
    # "Archived June 13, 2011, at the Wayback Machine" (the {{webarchive}} note after a link)
    r"[Aa]rchived\s+(?P<date4>[^.،]{0,30}?\d{4}(?:-\d\d-\d\d)?),?\s+at the Wayback Machine\.?"
    r"|(?:(?:[Aa]rchived|[Aa]rchive)\s+(?:\(\w+\)\s+)?(?:from the original\s+)?"
    r"(?:\(\w+\)\s+)?(?:on\s+)?"
    r"|مؤرشف من الأصل(?:\s*\([^()]{1,20}\))?\s*في\s*|مؤرشف من الأصل\s*|أرشيف في\s*)"
    r"(?P<date>[^.،]*?\d{4}(?:-\d\d-\d\d)?)[.،]?"
    r"|نسخة محفوظة\s+(?P<date2>.*?\d{4}(?:-\d\d-\d\d)?)\s+على موقع واي باك مشين\.?"
    r"|نسخة محفوظة\s+(?P<date3>.*?\d{4}(?:-\d\d-\d\d)?)\.?")
_ACCESSED = re.compile(
    r"(?:Retrieved|Accessed|retrieved|accessed)(?:\s+on)?\s+(?P<date>[^.،]*?\d{4}(?:-\d\d-\d\d)?)"
    r"[.،]?|(?:اطلع عليه بتاريخ|تاريخ الوصول|وصل لهذا المسار في|اطلع عليه في|تاريخ الولوج|"
    r"تاريخ الدخول|تاريخ الاطلاع|استرجع في|استرجع بتاريخ)\s*:?\s*"
    r"(?P<date2>[^.،]*?\d{4}(?:-\d\d-\d\d)?)[.،]?")
_ISBN = re.compile(r"(?:ISBN|ردمك)(?:-1[03])?\s*:?\s*"
                   r"(?P<v>97[89][\d\- ]{10,16}[\dXx]|[\d\- ]{9,12}[\dXx])")
_ISSN = re.compile(r"(?:ISSN|ردمد)\s*:?\s*(?P<v>\d{4}-?\d{3}[\dXx])")
_DOI = re.compile(r"(?:doi|DOI|دوي)\s*:\s*(?P<v>10\.\d{4,9}/[^\s\u060c]+?)(?=[.,،]?(?:\s|$))")
# Identifiers CSL has no field for: PMID/PMCID are kept (real CSL variables), others as notes.
# Values may hold "&" (Bibcode 2004E&PSL…) and an arXiv class in brackets ("[ stat.ML]").
_OTHER_ID = re.compile(
    r"\b(?P<id>PMID|PMCID|PMC|OCLC|JSTOR|S2CID|Bibcode|arXiv|hdl|LCCN|OL|ERIC|SSRN|MR|Zbl|"
    r"(?i:CiteSeerX)|OSTI(?: ID)?)\s*:?\s*"
    r"(?P<v>(?:PMC)?[\w./:&-]*\d[\w./:&-]*?)(?:\s*\[\s*[\w.-]+\s*\])?"
    r"(?=[.,;،]?(?:\s|$))\.?")
_URL = re.compile(r"https?://[^\s<>\"]+")
_LANG = re.compile(r"\((?:in\s+)?(?P<v>English|Arabic|French|German|Spanish|Italian|"
                   r"Portuguese|Dutch|Russian|Turkish|Persian|Japanese|Chinese|Latin|Greek|"
                   r"Polish|Swedish|Norwegian|Danish|Finnish|Czech|Hungarian|Romanian|Korean|"
                   r"Hebrew|Hindi|Indonesian|Ukrainian|Catalan|Vietnamese|Urdu|Malay|"
                   r"بالإنجليزية|"
                   r"بالعربية|بالفرنسية|بالألمانية|بالإسبانية|بالإنكليزية|بالإيطالية|"
                   r"بالروسية|بالتركية|بالفارسية|بالهولندية|بالكورية|بالصينية|باليابانية|"
                   r"بالبرتغالية|بالعبرية|بالأردية|بالإندونيسية|بالسويدية|بالبولندية|"
                   r"باليونانية|بالهندية|باللاتينية)(?:\s+and\s+[A-Z]\w+)*\)", re.I)
_LANG_CODES = {"english": "en", "arabic": "ar", "french": "fr", "german": "de",
               "spanish": "es", "italian": "it", "portuguese": "pt", "dutch": "nl",
               "russian": "ru", "turkish": "tr", "persian": "fa", "japanese": "ja",
               "chinese": "zh", "latin": "la", "greek": "el", "polish": "pl", "swedish": "sv",
               "norwegian": "no", "danish": "da", "finnish": "fi", "czech": "cs",
               "hungarian": "hu", "romanian": "ro", "korean": "ko", "hebrew": "he",
               "hindi": "hi", "indonesian": "id", "ukrainian": "uk", "catalan": "ca",
               "vietnamese": "vi", "urdu": "ur", "malay": "ms", "بالإنجليزية": "en",
               "بالإنكليزية": "en", "بالعربية": "ar",
               "بالفرنسية": "fr", "بالألمانية": "de", "بالإسبانية": "es", "بالإيطالية": "it",
               "بالروسية": "ru", "بالتركية": "tr", "بالفارسية": "fa", "بالهولندية": "nl",
               "بالكورية": "ko", "بالصينية": "zh", "باليابانية": "ja", "بالبرتغالية": "pt",
               "بالعبرية": "he", "بالأردية": "ur", "بالإندونيسية": "id", "بالسويدية": "sv",
               "بالبولندية": "pl", "باليونانية": "el", "بالهندية": "hi", "باللاتينية": "la"}
# Format and access markers, "via" notes and editorial asides: not bibliographic data.
_NOISE = re.compile(
    r"\(\s*(?:PDF|pdf|DOC|HTML|Microsoft Word|PowerPoint|video|audio|بي دي إف|PDF، \d+ ?[KM]B|"
    r"CSV|XLS|XLSX|Excel|إكسل|كتاب إلكتروني PDF)\s*\)|^\s*بي دي إف\s+"
    r"|[–—-]\s+via\s+[^.،,]+|عبر\s+[^.،,]*(?=\.\s*$)|\((?:cf\.|see|انظر)[^)]*\)\.?"
    r"|\((?:paid\s+)?(?:subscription|registration) required\)|\((?:free|open) access\)"
    r"|\(يتطلب اشتراك\)|\(\s*link\s*\)"
    # "( PDF, archived from here Archived 20 June 2014 at the Wayback Machine)"
    r"|\(\s*PDF,[^()]*\)")
_GENRE = re.compile(
    r"\((?P<thesis>(?:Ph\.? ?D\.?|Doctoral|Master'?s|MSc|MA|BA|Bachelor'?s|Diploma|Habilitation)"
    r"\s+(?:thesis|dissertation)|Thesis|Dissertation|أطروحة[^()]{0,20}|رسالة (?:ماجستير|دكتوراه)"
    r"[^()]{0,20})\)|\((?P<report>Technical report|Report|Working paper|تقرير[^()]{0,20})\)",
    re.I)
_EDITION = re.compile(r"\((?P<v>[^()]{1,30}?)\s+(?:ed\.|edition|طبعة)\)|\((?:الطبعة|ط\.)\s*"
                      r"(?P<v2>[^()]{1,20})\)", re.I)
# A page or range; front matter is numbered in lower-case roman numerals ("pp. vii, 273").
_RANGE = (r"(?:(?-i:[ivxlc]+)\b|[\w]*\d[\w]*)(?:\s*[–—\-−]\s*(?:(?-i:[ivxlc]+)\b|[\w]*\d[\w]*))?")
# Trailing locators typed after the template: "p. 64." "pp. 1–4." "Abstract." "ص. 12."
_TRAILING_LOCATOR = re.compile(
    rf"(?<![\w.])(?P<label>pp?\.|ص\.|صص\.|page|pages|at|loc\.)\s*"
    rf"(?P<loc>{_RANGE}(?:\s*,\s*{_RANGE})*)"
    r"\s*\.?\s*$|(?P<word>Abstract|Summary|Introduction|Preface|ملخص|الملخص|مقدمة)\.?\s*$",
    re.I)
_AR_VOL = re.compile(
    rf"(?<!\S)(?:ج\.|المجلد|مج\.)\s*(?P<vol>[\w.\-–]+?)(?:\s+(?:ع\.|العدد)\s*(?P<iss>[\w\-–/]+?))?"
    rf"\s*(?::\s*(?P<pages>{_RANGE}))?(?=[.،,]?(?:\s|$))")
_AR_ISS = re.compile(rf"(?<!\S)(?:ع\.|العدد)\s*(?P<iss>[\w\-–/]+?)(?:\s*:\s*(?P<pages>{_RANGE}))?"
                     r"(?=[.،,]?(?:\s|$))")
# "25 (4): 289–96 [292]": volume, issue, the article's pages and the page cited in brackets
_EN_VOL = re.compile(rf"^(?P<label>Vol\.|vol\.|Volume)?\s*"
                     rf"(?P<vol>\d+[A-Za-z]?|[IVXLC]+|[ivxlc]+(?=\s*[(:]))"
                     rf"\s*(?:\((?P<iss>[^)]+)\))?(?:\s*:\s*(?P<pages>{_RANGE}))?"
                     r"(?:\s*\[(?P<at>[^\]]{1,20})\])?$")
# "Lecture Notes in Computer Science. Vol. 1758." / "Student Texts, vol. 64": a series number
_SERIES_VOL = re.compile(r"^(?:(?P<series>[^,]{3,}?),\s*)?(?:Vol\.|vol\.|Volume)\s*(?P<n>[\w.-]+)$")
_EN_VOLNO = re.compile(rf"^(?:Vol\.|vol\.|Volume)\s*(?P<vol>\w+)(?:[,.]?\s*(?:no\.|No\.|Issue)\s*"
                       rf"(?P<iss>\w+))?(?:[,.]?\s*pp?\.\s*(?P<pages>{_RANGE}))?$")
_CONTAINER_VOL = re.compile(rf"^(?P<c>\D.+?)\s+(?P<vol>\d+|[ivxlc]+(?=\s*\())\s*"
                            rf"(?:\((?P<iss>[^)]+)\))?"
                            rf":\s*(?P<pages>{_RANGE})$")
_ABBREVIATED_JOURNAL = re.compile(
    r"(?<![^\s\x1f])(?!(?:Vol|No|pp?|Retrieved|Archived)\.)(?:[A-Z][A-Za-z]{0,7}\.\s+){1,8}"
    r"(?:[A-Z][A-Za-z]{0,7}\.|[A-Z][\w.&]*)(?=\s+(?:\d+[A-Za-z]?|[ivxlc]+|[IVXLC]+)\s*[(:])")
_APA_CONTAINER = re.compile(rf"^(?P<c>\D[^,]+?),\s*(?P<vol>\d+)\s*(?:\((?P<iss>[^)]+)\))?,\s*"
                            rf"(?P<pages>{_RANGE})$")
_CHICAGO_CONTAINER = re.compile(
    rf"^(?P<c>\D.+?)\s+(?P<vol>\d+[A-Za-z]?|[ivxlc]+|[IVXLC]+)(?:,\s*(?:no\.|No\.)\s*(?P<iss>[\w–/-]+))?"
    rf"\s*\((?P<date>[^()]{{0,30}}\d{{4}})\)(?:\s*:\s*(?P<pages>{_RANGE}))?$")
_NAME_PAGES = re.compile(r"^(?P<name>\D[^:]{1,200}?):\s*(?P<pages>\d+\s*[–—\-−]\s*\d+)$")
# "Paper 2020/556", "Report No. 12": a number within a series, not a publisher.
_NUMBERED_PART = re.compile(r"^(?:Paper|Report|Working Paper|Technical Report|Memo|ورقة)\s+"
                            r"(?:No\.\s*)?[\w/.-]*\d[\w/.-]*$", re.I)
_PAGES = re.compile(rf"^(?P<label>pp?\.|ص\.|صص\.|الصفحات|صفحات|الصفحة|صفحة|ص|Pages?)\s*:?\s*"
                    rf"(?P<pages>{_RANGE}(?:\s*,\s*{_RANGE})*)$", re.I)
_EDITORS_AR = re.compile(r"(?:^|\s)في\s+(?P<names>[^()]+?)\s*\((?:المحررون|المحرر|محرر|محررون)\)")
_EDITORS_EN = re.compile(r"(?:^|\s)In\s+(?P<names>[^()]+?)\s*\((?:eds?\.|editors?)\)")
_EDITORS_EN2 = re.compile(r"^(?P<names>[^()]+?)\s*\((?:eds?\.|editors?)\)$")
# After the closing quote of a CS1 title comes a stop, a comma, a "(PDF)"-like note or the end;
# MLA and Chicago put the stop inside ("Title." Journal).
_TITLE_CLOSE = re.compile(r"\s*[.,;:،؛]|\s*[(\x1f]|\s*$|(?<=[.,?!]\")\s")


def _quoted_title(text: str) -> tuple[str, int] | None:
    """The quoted title at the start of ``text`` and where it ends, nested quotes kept.

    ``""Free" and "Open Source" Software". Datamation.`` has the title
    ``"Free" and "Open Source" Software``: the closing quote is the first one followed by what
    follows a title, not simply the next quote.
    """
    start = len(text) - len(text.lstrip())
    if text[start:start + 1] == '"':
        for close in range(start + 2, len(text)):
            if text[close] == '"' and text[close + 1:close + 2] != '"' \
                    and _TITLE_CLOSE.match(text, close + 1):
                inner = _strip_punct(text[start + 1:close])
                if inner:
                    return inner, close + 1
    quoted = _QUOTED.match(text)
    if not quoted:
        return None
    return _strip_punct(next(g for g in quoted.groups() if g)), quoted.end()


_QUOTED = re.compile(r"^\s*(?:\"(?P<a>[^\"]+)\"|“(?P<b>[^”]+)”|«(?P<c>[^»]+)»|'(?P<d>[^']+)')")
_AUTHOR_DATE = re.compile(
    r"^(?P<names>[^\"“«()]{1,300}?)\s*\((?P<date>[^()]{0,40}?(?:\d{4}[a-z]?|n\.d\.|د\.ت\.?)"
    r"[^()]{0,10})\)(?P<sep>\s*[.،,]?)\s*")
_SEP_PLACEHOLDER = "\x1f"
_ORIGINAL_YEAR = re.compile(r"^\[(?P<orig>(?:c\.\s*|ca\.\s*|circa\s+)?\d{1,4}"
                            r"(?:\s*(?:BC|BCE|AD|CE))?"
                            r"(?:\s*[–—-]\s*\d{1,4})?)\](?P<sep>\s*[.,]?)\s*")
_REPORT_PUBLISHER = re.compile(
    r"Institute|Organi[sz]ation|Office|Agency|Department|Ministry|Commission|Council|"
    r"Centre|Center|Foundation|UNICEF|UNODC|United Nations|Europol|Interpol|Government|"
    r"Bureau|Authority|وزارة|منظمة|مكتب|مركز|معهد|هيئة|وكالة", re.I)
_WEB_HINT = re.compile(r"\.(?:com|org|net|gov|int|edu)\b|website|blog|wiki|موقع", re.I)
_EN_WORDS = re.compile(r"\b(?:the|of|and|a|an|in|to|for|on|with|from|by|who|is|as|at)\b",
                       re.I)
_ARABIC = re.compile(r"[\u0600-\u06ff]")


@dataclass
class ParsedLine:
    """The result of parsing one reference: fields, locator, and what was dropped."""

    csl: dict[str, Any]
    locator: str | None = None
    label: str | None = None
    notes: list[str] = field(default_factory=list)


def _take(pattern: re.Pattern[str], text: str) -> tuple[list[re.Match[str]], str]:
    matches = list(pattern.finditer(text))
    return matches, pattern.sub(_SEP_PLACEHOLDER, text)


def _split_elements(text: str, comma_style: bool, arabic_only: bool = False) -> list[str]:
    """Split the rest of a reference into its elements (". " or ", "-separated)."""
    sep = (r"\s*[،]\s*" if arabic_only else r"\s*[،,]\s+|\s*[،]\s*" if comma_style
           else r"(?<=[^\s.]{2}|\.[\"”]|\s\d)\.\s+|\s*[،]\s+(?=\x1f)")
    pieces: list[str] = []
    for chunk in text.split(_SEP_PLACEHOLDER):
        raw = re.split(sep, chunk)
        merged: list[str] = []
        for piece in raw:
            # "pp. 190" and "Vol. 3" were split at the abbreviation's full stop: rejoin.
            if merged and _ABBREV_END.search(merged[-1]) and not _LABEL_START.match(piece) \
                    and not _EDITION_ED.search(merged[-1]):
                merged[-1] = f"{merged[-1]}. {piece}"
            else:
                merged.append(piece)
        for piece in merged:
            piece = _strip_punct(piece.replace("\ue000", " ").strip("*_ "))
            if re.fullmatch(r"[\"“][^\"“”]+[\"”]", piece):  # a quoted publisher name
                piece = _strip_punct(piece[1:-1])
            if piece:
                pieces.append(piece)
    return pieces


# "2nd ed. New York: …": an edition's "ed." ends its element, unlike "Trans. Amer. …"
_EDITION_ED = re.compile(r"(?:^|\s)(?:\d+(?:st|nd|rd|th)|[A-Z][a-z]+)\s+ed$")
# "Houghton Mifflin Co. pp. 292–293.": a label after an abbreviation starts a new element.
_LABEL_START = re.compile(r"^(?:pp?|vols?|Vol|nos?|No|ISBN|ISSN|Retrieved|Archived)\b\.?(?:\s|$)")
_ABBREV_END = re.compile(r"(?:^|\s)(?:pp|p|vols?|nos?|Vol|No|eds?|St|Dr|Jr|Inc|Co|Ltd|Mr|Mrs|"
                         r"Univ|Dept|Inst|Soc|Assoc|Corp|Bros|Acad|Natl|Intl|Trans|Proc|Rev)$")


def _set_pages(csl: dict[str, Any], pages: str | None) -> None:
    if pages and "page" not in csl:
        csl["page"] = re.sub(r"\s*[–—−]\s*", "–", pages.strip())


def _language_guess(title: str) -> str | None:
    if _ARABIC.search(title):
        return "ar"
    if len(_EN_WORDS.findall(title)) >= 1:
        return "en"
    return None



# Markup that copies from markdown mirrors and hand-written wikitext references carry:
# [text](target "tooltip"), [https://url text], {{ISBN|…}}, **bold**. The link text is what a
# reader sees; the target of the first link that is not an identifier or an archive note is
# the work's URL (CS1 links the title).
_MD_LINK = re.compile(r"\[(?P<text>[^\[\]]*)\]\((?P<target>[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)"
                      r"(?:\s+\"[^\"]*\")?\)")
_WIKI_EXTLINK = re.compile(r"\[(?P<target>https?://[^\s\]]+)(?:\s+(?P<text>[^\]]*))?\]")
_WIKI_ID_TEMPLATE = re.compile(
    r"\{\{\s*(?P<id>ISBN|ISSN|doi|DOI|OCLC|PMID)\s*\|\s*(?P<v>[^{}|]+)\}\}")
_NOT_A_WORK_LINK = re.compile(
    r"^(?:doi|isbn|issn|s2cid|oclc|pmid|pmc|jstor|bibcode|arxiv|hdl|citeseerx|archived|"
    r"the original|link|pdf|\^|[a-z]|\d[\d\s./()-]*|10\.\d{4,}/.*|مؤرشف|الأصل)$", re.I)


def unwrap_markup(text: str) -> tuple[str, str | None]:
    """Link markup reduced to its visible text, and the URL of the first work link."""
    url: str | None = None

    def visible(match: re.Match[str]) -> str:
        nonlocal url
        label = (match.group("text") or "").strip()
        target = match.group("target") or ""
        bare = label.strip("*_\"“”' .")
        # a link into Wikipedia itself (a template, a help page) is never the work's URL
        if (url is None and target.startswith(("http://", "https://")) and bare
                and not _NOT_A_WORK_LINK.match(bare) and "wikipedia.org/wiki/" not in target):
            url = target
        return label

    text = _WIKI_ID_TEMPLATE.sub(lambda m: f"{m.group('id')} {m.group('v').strip()}", text)
    text = _MD_LINK.sub(visible, text)
    text = _WIKI_EXTLINK.sub(visible, text)
    text = text.replace("**", "").replace("`", "")
    return text, url


# Short citations: "ابن مماتي ص182", "رمزي القسم الثاني ج2 ص207", "Smith 2001, p. 5".
_SHORT_CITE = re.compile(
    r"^(?P<name>[^\d\"“«»()،,.:;؛\x1f]{2,40}?)(?:[\s،,]+(?P<year>(?:1[5-9]|20)\d\d)[a-z]?)?"
    r"(?:[\s،,]+(?:القسم|الجزء)\s+\S+)?(?:[\s،,]+(?:ج|مج|المجلد|vol)\.?\s*(?P<vol>\d+))?"
    r"[\s،,]+(?:ص|صـ|صص|صفحة|الصفحة|صفحات|pp?)\.?\s*:?\s*"
    r"(?P<page>\d+[a-z]?(?:\s*[–—-]\s*\d+)?)\s*[.\x1f]*\s*$", re.I)
# Harvard short cites as {{sfn}} / {{harvnb}} print them: "Rosen 2005, p. 22.",
# "Fagundes & Perzanowski 2020, p. 529.", "Williams 2002, ch. 9.", "Goldstein, pp. 2–3, 6–7.",
# "Byfield 2008.", "Coleman 2004, "Political Agnosticism"." Family names only, Latin script.
_SURNAME = (r"(?:(?:St\.|van|von|de|del|della|der|den|da|di|du|la|le|ten|ter|Van|Von|De|Del|"
            r"Da|Di|Du|La|Le)\s+)?[A-Z][\w'’-]*[a-z][\w'’-]*")
_SURNAMES = (rf"{_SURNAME}(?:(?:,\s*(?:and\s+|&\s*)?|\s+(?:and|&)\s+){_SURNAME})*"
             r"(?:,?\s+et al\.?)?")
_HARVARD = re.compile(
    rf"^(?P<names>{_SURNAMES})(?:,?\s+\(?(?P<year>(?:1[5-9]|20)\d\d[a-z]?)\)?)?"
    rf"(?:,?\s*(?P<label>pp?\.|ch\.|chap\.|chapter|sec\.|§|para\.|fig\.|col\.|loc\.)\s*"
    rf"(?P<loc>{_RANGE}(?:\.\d+)*(?:\s*(?:,|&|and)\s*{_RANGE}(?:\.\d+)*)*)"
    r"|,\s*[\"“][^\"“”]{1,80}[\"”])?\s*\.?\s*$")
_LOCATOR_LABELS = {"p.": "page", "pp.": "page", "ch.": "chapter", "chap.": "chapter",
                   "chapter": "chapter", "sec.": "section", "§": "section",
                   "para.": "paragraph", "fig.": "figure", "col.": "column", "loc.": "page"}
# A page or volume element of a hand-typed reference: "ص181", "صـ: 53", "الصفحة 69", "ج2".
_PAGE_PART = re.compile(r"^(?:ص|صص|صفحة|الصفحة|صفحات|الصفحات|pp?|pages?)\.?\s*:?\s*"
                        r"(?P<pages>\d+[a-z]?(?:\s*[–—−-]\s*\d+)?)$", re.I)
_VOLUME_PART = re.compile(r"^(?:ج|مج|المجلد|مجلد|الجزء|vol|volume)\.?\s*:?\s*(?P<vol>\d+)$", re.I)
_ORDINAL_PART = re.compile(r"^(?:(?:القسم|الجزء|المجلد|الطبعة)\s+\S+(?:\s+\S+)?\s*-?\s*)+$")
_PUBLISHER_WORDS = re.compile(
    r"(?:^|\s)(?:دار|مكتبة|مطبعة|المطبعة|الهيئة|هيئة|منشورات|مؤسسة|المؤسسة|الناشر|جامعة|"
    r"المركز|مركز دراسات|المجلس)(?:\s|$)|Press|Publish|Verlag|Books\b|Editions|Éditions|"
    r"Springer|Wiley|Elsevier|Routledge|Penguin|Macmillan|Harper|Random House", re.I)
# An organization written first ("المكتب المركزي للإحصاء. Title."): the corporate author.
_ORG_FIRST = re.compile(r"^(?:المكتب|الجهاز|المركز|الهيئة|المندوبية|المنظمة|المؤسسة|المعهد|"
                        r"الديوان|الاتحاد|الجمعية|وزارة|منظمة|هيئة|جامعة)\s")
_SITE_NAME = re.compile(r"^(?:ال)?موقع\s|\.(?:com|org|net|gov|int|edu|info|[a-z]{2})$|^www\.",
                        re.I)
_ORGANIZATION = re.compile(
    r"Institute|Organi[sz]ation|Office|Agency|Department|Ministry|Commission|Council|"
    r"Society|Association|Bureau|Authority|Foundation|Government|UNICEF|United Nations|"
    r"Laborator(?:y|ies)|Observatory|Initiative|Endowment|Academy|University|Institution|"
    r"(?:^|\s)(?:ال)?(?:جهاز|مكتب|مندوبية|هيئة|وزارة|منظمة|مؤسسة|جمعية|ديوان|اتحاد)(?:\s|$)", re.I)
_NEWS_HINT = re.compile(
    r"Times|Post\b|News|Guardian|Herald|Tribune|Telegraph|Gazette|Daily|Reuters|BBC|CNN|"
    r"Associated Press|Magazine|Newsweek|صحيفة|جريدة|اليوم|الأهرام|الشرق الأوسط|الحياة|"
    r"النهار|البيان|الخليج|الجزيرة|رويترز|بي بي سي|مجلة", re.I)


def _name_like(piece: str) -> bool:
    """Whether a piece of a hand-typed reference reads as a person's name (2–4 words)."""
    words = piece.split()
    return (1 <= len(words) <= 4 and not re.search(r"[\d:«»\"“]", piece)
            and not _PUBLISHER_WORDS.search(piece))


def _freeform(pieces: list[str], csl: dict[str, Any], notes: list[str]) -> tuple[str | None, bool]:
    """Fields of a hand-typed reference split at "،" or " - "; returns (locator, book-like)."""
    locator = None
    texts: list[str] = []
    book = False
    publisher_at = -1
    for index, piece in enumerate(pieces):
        if (m := _PAGE_PART.match(piece)):
            if locator is None:
                locator = re.sub(r"\s*[–—−]\s*", "–", m.group("pages"))
        elif (m := _VOLUME_PART.match(piece)):
            csl.setdefault("volume", m.group("vol"))
        elif _ORDINAL_PART.match(piece):
            notes.append(f"part: {piece}")
        elif (iso := parse_date(piece)) and "issued" not in csl:
            csl["issued"] = iso
        elif "publisher" not in csl and _PUBLISHER_WORDS.search(piece) and texts:
            csl["publisher"], publisher_at, book = piece, index, True
        elif (publisher_at >= 0 and index == publisher_at + 1 and len(piece.split()) <= 2
              and not re.search(r"\d", piece) and "publisher-place" not in csl):
            csl["publisher-place"] = piece
        else:
            texts.append(piece)
    if not texts:
        return locator, book
    first = texts[0]
    second = texts[1] if len(texts) > 1 else None
    person = re.compile(r"(?:^|\s)(?:ابن|بن|أبو|أبي|عبد|بنت)\s")
    if (second and len(texts) >= 3 and len(first.split()) == 1
            and re.search(r"\s(?:بن|ابن|بنت)\s", second) and _name_like(second)):
        # "العصیمی، محمد بن دخیل، عرب فارس، …": family name, given names, then the title
        csl.setdefault("author", [{"family": first, "given": second}])
        csl["title"] = texts[2]
        rest = texts[3:]
    elif second and ("؛" in first or (_name_like(first) and (
            len(second.split()) > len(first.split())
            or (person.search(first) and not person.search(second))))):
        csl.setdefault("author", parse_names(first))
        csl["title"] = second
        rest = texts[2:]
    elif second and _name_like(second) and len(first.split()) > len(second.split()):
        csl["title"] = first
        csl.setdefault("author", parse_names(second.replace(",", " ")) if "؛" in second
                       else [{"literal": second}])
        rest = texts[2:]
    else:
        csl["title"] = first
        rest = texts[1:]
    if rest:
        notes.append("unassigned: " + " | ".join(rest))
    return locator, book


def _freeform_pieces(text: str) -> list[str] | None:
    """A hand-typed reference cut at "،" (or " - " next to a page/volume part), else None."""
    body = _strip_punct(text.replace(_SEP_PLACEHOLDER, " ")).strip()
    if not body or re.search(r"[\"“«]", body):
        return None
    if " - " in body:
        dashed = [_strip_punct(p) for p in body.split(" - ")]
        if any(_PAGE_PART.match(p) or _VOLUME_PART.match(p) for p in dashed) and len(dashed) >= 3:
            return [p for p in dashed if p]
    unlabelled = re.sub(r"(?:^|\s)(?:ص|ج|ع|مج|ط|p|pp|vol|no|ed|eds)\.\s", " ", body)
    if re.search(r"\.\s", unlabelled):  # "Title. Site." is CS1, not a hand-typed list
        return None
    commas = [_strip_punct(p) for p in re.split(r"\s*،\s*", body)]
    if len(commas) >= 3:
        return [p for p in commas if p]
    return None


def _copy_spacing(text: str) -> str:
    """Undo the spaces a browser copy or a dropped format note leaves inside a reference.

    "379– 423" and "( 3– 4)" (a line break after the dash), "entropy (PDF). Santa Fe" with the
    note dropped ("entropy . Santa Fe"), "ISBN 978-0123821881 ." (a space before the stop).
    """
    text = re.sub(r"(?<=\w)\s*([–—−])\s+(?=\d)", r"\1", text)
    text = re.sub(r"\(\s+", "(", text)
    return re.sub(r"\s+([.,])(?=\s|$)", r"\1", text)


def parse_rendered(raw: str) -> ParsedLine:
    """Parse one rendered reference (CS1 ``.``-separated or CS2 ``،``/``,``-separated)."""
    notes: list[str] = []
    text, link_url = unwrap_markup(_clean(raw))
    text = _BACKLINK.sub("", text, count=1)
    text = text.replace("*", "").replace("''", "")
    text = _copy_spacing(re.sub(r"[ \t]+", " ", _NOISE.sub("", text)))
    # Template error messages are noise that must never reach a field.
    type_hint = None
    # The maintenance message says what the lone element is: a place without a publisher.
    place_only = "location missing publisher" in text
    if _ERROR_MSG.search(text):
        notes.append("template error message dropped")
        named = re.search(r"\{\{([^{}|]{1,60})\}\}\s*:", text)
        type_hint = CITE_TEMPLATES.get(_template_name(named.group(1))) if named else None
        text = _ERROR_MSG.sub(_SEP_PLACEHOLDER, text)
    csl: dict[str, Any] = {}

    for archived in _ARCHIVE.finditer(text):
        date = (archived.group("date") or archived.group("date2") or archived.group("date3")
                or archived.group("date4"))
        iso = parse_date(date or "")
        notes.append(f"archived {iso or _strip_punct(date or '')}")
    text = _ARCHIVE.sub(_SEP_PLACEHOLDER, text)
    for access in _ACCESSED.finditer(text):
        iso = parse_date(access.group("date") or access.group("date2") or "")
        if iso:
            csl["accessed"] = iso
    text = _ACCESSED.sub(_SEP_PLACEHOLDER, text)

    harvard = _HARVARD.match(text.strip()) if not csl.get("accessed") else None
    if harvard and (harvard.group("year") or harvard.group("loc")):
        # "Rosen 2005, p. 22.", "Landau and Lifshitz, p. 31." ({{sfn}} / Harvard notes)
        names = re.sub(r",?\s+et al\.?$", "", harvard.group("names"))
        csl["author"] = [{"family": n} for n in re.split(r",\s*(?:and\s+|&\s*)?|\s+(?:and|&)\s+",
                                                         names) if n]
        if harvard.group("year"):
            csl["issued"] = harvard.group("year")[:4]
        notes.append("short citation")
        loc = harvard.group("loc")
        kind = _LOCATOR_LABELS.get((harvard.group("label") or "").casefold(), "page")
        return ParsedLine(_ordered(csl), re.sub(r"\s*[–—]\s*", "–", loc) if loc else None,
                          kind if loc else None, notes)
    short = _SHORT_CITE.match(text.strip())
    if short and len(short.group("name").split()) <= 4 and not csl.get("accessed"):
        # "ابن مماتي ص182": who and where, the full reference is elsewhere in the list
        csl["author"] = [{"literal": _strip_punct(short.group("name"))}]
        if short.group("year"):
            csl["issued"] = short.group("year")
        if short.group("vol"):
            csl["volume"] = short.group("vol")
        notes.append("short citation")
        page = re.sub(r"\s*[–—]\s*", "–", short.group("page"))
        return ParsedLine(_ordered(csl), page, "page", notes)

    # The trailing locator: only when it follows the end of the citation proper.
    locator: str | None = None
    label: str | None = None
    match: re.Match[str] | None = _TRAILING_LOCATOR.search(text)
    if match:
        before = text[: match.start()].rstrip()
        after_ident = bool(re.search(r"(?:\x1f|[\dXx]|\))\s*$", before)) and bool(
            re.search(r"(?:ISBN|ردمك|doi|DOI|\x1f)[^\x1f]*$|\x1f\s*$", before))
        has_pages_already = bool(re.search(r"(?:ص\.|pp?\.)\s*\d|:\s*\d+\s*[–-]\s*\d+", before))
        if match.group("word") and (before.endswith((".", ")", _SEP_PLACEHOLDER))):
            locator, label = match.group("word"), None
            text = before
        elif match.group("loc") and (after_ident or has_pages_already):
            locator = match.group("loc").strip()
            label = "page" if match.group("label").lower().startswith(("p", "ص")) else None
            text = before

    for key, pattern in (("ISBN", _ISBN), ("ISSN", _ISSN), ("DOI", _DOI)):
        found, text = _take(pattern, text)
        if found:
            value = found[0].group("v").strip().rstrip(".")
            if key == "ISBN":
                value = identifiers.hyphenate_isbn(value) or re.sub(r"\s", "", value)
            elif key == "ISSN":
                value = identifiers.normalize_issn(value) or value
            csl[key] = value
    others, text = _take(_OTHER_ID, text)
    for other in others:
        name, value = other.group("id"), other.group("v")
        if name == "PMID":
            csl.setdefault("PMID", value)
        elif name in ("PMC", "PMCID"):
            csl.setdefault("PMCID", value if value.startswith("PMC") else f"PMC{value}")
        else:
            notes.append(f"{name} {value}")
    urls, text = _take(_URL, text)
    doi_url = next((u for u in [link_url or ""] + [u.group(0) for u in urls]
                    if re.match(r"https?://(?:dx\.)?doi\.org/10\.", u)), None)
    if doi_url and "DOI" not in csl:
        csl["DOI"] = re.sub(r"^https?://(?:dx\.)?doi\.org/", "", doi_url).rstrip(".,)")
    if link_url:
        csl["URL"] = link_url
    elif urls:
        csl["URL"] = urls[0].group(0).rstrip(".,)")
    genres, text = _take(_GENRE, text)
    if genres:
        csl["type"] = "thesis" if genres[0].group("thesis") else "report"
    editions, text = _take(_EDITION, text)
    if editions:
        csl["edition"] = (editions[0].group("v") or editions[0].group("v2") or "").strip()
    langs, text = _take(_LANG, text)
    if langs:
        csl["language"] = _LANG_CODES.get(langs[0].group("v").casefold())

    if (vancouver := _VANCOUVER_LINE.match(text.strip())) and all(
            _VANCOUVER.fullmatch(n.strip()) for n in re.split(r",\s*", re.sub(
                r",?\s*et al$", "", vancouver.group("names")))):
        # NLM/Vancouver "Smith J, Doe A. Title. J Abbrev. 2001;12(3):45–67."
        return _vancouver(vancouver, csl, locator, label, notes)

    # Authors and date at the start: "Last، First؛ … (date)."
    comma_style = False
    # "Jones, Alan (ed.) (1992)." is "Jones, Alan, ed. (1992).": the role note is not the date.
    text = re.sub(r"^([^\"“«()]{1,300}?)\s*\((eds?\.|editors?)\)\s*(?=\()", r"\1, \2 ", text)
    match = _AUTHOR_DATE.match(text)
    if match and _TITLE_SITE.match(match.group("names").strip()):
        # Old CS1 output "Title. Site (date)." has no author: the title and the site come first.
        title_site = _TITLE_SITE.match(match.group("names").strip())
        assert title_site is not None
        csl["title"], csl["container-title"] = title_site.group("title"), title_site.group("site")
        iso = parse_date(match.group("date"))
        if iso:
            csl["issued"] = iso
        text = text[match.end():]
        match = None
        pre_titled = True
    else:
        pre_titled = False
    if match:
        names = match.group("names").strip()
        role = "author"
        if re.search(r"[,،]\s*(?:eds?\.|محرر|المحرر)$", names):
            names, role = re.sub(r"[,،]\s*(?:eds?\.|محرر|المحرر)$", "", names), "editor"
        date_text = match.group("date")
        if re.search(r"[,،]\s*(?:eds?\.|محررون|المحررون)$", date_text):
            # "Watson, R. R., and Preedy, V.R. (2010, eds.)"
            date_text, role = re.sub(r"[,،]\s*(?:eds?\.|محررون|المحررون)$", "", date_text), "editor"
        if names:
            csl[role] = parse_names(names)
        iso = parse_date(date_text)
        if iso:
            csl["issued"] = iso
        comma_style = match.group("sep").strip() in ("،", ",")
        text = text[match.end():]
        # "(1996) [1962]." / "(1984) [c. 150]": the first edition's year, not part of the title
        if (original := _ORIGINAL_YEAR.match(text)):
            notes.append(f"original date {original.group('orig')}")
            if not match.group("sep").strip():
                comma_style = original.group("sep").strip() in ("،", ",")
            text = text[original.end():]
    elif pre_titled:
        pass
    elif (pieces := _freeform_pieces(text)) is not None:
        # hand-typed "Author، Title، Publisher، Place، 1994، ص 53" or "A - Title - ص 69"
        freeform_locator, book = _freeform(pieces, csl, notes)
        if locator is None and freeform_locator:
            locator, label = freeform_locator, "page"
        csl["type"] = csl.get("type") or ("book" if book or csl.get("ISBN") else None)
        if not csl["type"]:
            del csl["type"]
        text = ""
        pre_titled = True
    elif (before_title := re.match(r"^(?P<names>[^\"“«()]{2,200}?)[.,،]\s*(?=[\"“«])", text)) \
            and re.search(r"[,،]", before_title.group("names")):
        # "Last, First, "Title", …" (no date)
        csl["author"] = parse_names(before_title.group("names"))
        comma_style = text[before_title.end() - 2:before_title.end()].strip() in (",", "،")
        text = text[before_title.end():]
    elif re.match(r"^[^\"“«]{1,200}?\.\s", text) and (
            _AUTHORISH.match(text) or _CHICAGO_AUTHORS.match(text)
            or re.match(r"^[^\"“«.]{1,200}؛[^\"“«.]{1,200}\.\s", text)):
        # "Last, First. "Title"…" or "Last؛ Last2. Title." (no date after the names)
        head, _, text = text.partition(". ")
        csl["author"] = parse_names(head)
    elif (hand := _NAMES_COLON.match(text)) and _personal(hand_names := parse_names(
            hand.group("names"))):
        # hand-typed "M. Keating, P. Bricaud: Title, Publisher, 1999." / "Schneier, B: Title, …"
        csl["author"] = hand_names
        text, comma_style = hand.group("rest"), True
    elif (hand := _GIVEN_FAMILY_FIRST.match(text)):
        # hand-typed "Eduardo D. Sontag, Mathematical Control Theory: …"
        csl["author"] = [{"literal": hand.group("name")}]
        text, comma_style = hand.group("rest"), True

    # The title, quoted when it is part of something larger.
    quoted = None if pre_titled else _quoted_title(text)
    title_quoted = bool(quoted) or pre_titled
    if quoted:
        csl["title"], end = quoted
        text = text[end:]
        if not comma_style:
            comma_style = bool(re.match(r"^\s*[،,]", text))

    editors = _EDITORS_AR.search(text) or _EDITORS_EN.search(text)
    if editors:
        csl["editor"] = parse_names(editors.group("names"))
        text = text[: editors.start()] + _SEP_PLACEHOLDER + text[editors.end():]

    # Arabic volume/issue/pages labels anywhere in the remaining text.
    for pattern in (_AR_VOL, _AR_ISS):
        for vol_match in pattern.finditer(text):
            groups = vol_match.groupdict()
            if groups.get("vol"):
                csl.setdefault("volume", _strip_punct(groups["vol"]))
            if groups.get("iss"):
                csl.setdefault("issue", _strip_punct(groups["iss"]))
            _set_pages(csl, groups.get("pages"))
        text = pattern.sub(_SEP_PLACEHOLDER, text)

    if title_quoted:
        # "Bull. Amer. Math. Soc. 75 (4): 740–755": the stops of an abbreviated journal name
        # do not end an element when a volume follows the name
        text = _ABBREVIATED_JOURNAL.sub(lambda m: m.group(0).replace(". ", ".\ue000"), text)
    # A line whose elements are cut at "،" keeps Latin commas inside its elements
    # ("Geological Society, London, Special Publications").
    arabic_commas = comma_style and "،" in text and not re.search(r",\s+[\"“«]", text)
    elements = _split_elements(text, comma_style, arabic_commas)
    plain: list[str] = []
    for element in elements:
        if (m := _PAGES.match(element)):
            # CS1 prints a work's page range as "pp. A–B" (or ": A–B" in a journal); a
            # single "p. N" is the page cited.
            single = not re.search(r"[–—−-]", m.group("pages"))
            if locator is None and (m.group("label").lower() in ("p.", "page") or (
                    single and m.group("label") in ("ص.", "ص", "صفحة", "الصفحة"))):
                # arwiki prints "ص." for a page and a range alike: one number is the page cited
                locator, label = m.group("pages"), "page"
            else:
                _set_pages(csl, m.group("pages"))
        elif (m := _SERIES_VOL.match(element)) and (m.group("series") or len(plain) >= 2):
            # CS1 prints a series, then "Vol. N", after the book (or the container): the
            # series' number, not the volume of the work
            csl.setdefault("collection-title", m.group("series") or plain.pop())
            csl.setdefault("collection-number", m.group("n"))
        elif (m := _EN_VOLNO.match(element)) or ((m := _EN_VOL.match(element)) and plain
                                                 and not _is_year(element)):
            csl.setdefault("volume", m.group("vol"))
            if m.group("iss"):
                csl.setdefault("issue", m.group("iss"))
            if m.groupdict().get("label") and m.group("pages"):
                notes.append(f"volume title: {m.group('pages')}")  # "Vol. 1: 1971 – 1982"
            else:
                _set_pages(csl, m.group("pages"))
            if m.groupdict().get("at") and locator is None:
                locator, label = m.group("at"), "page"
        elif (iso := parse_date(element)) and "issued" not in csl:
            csl["issued"] = iso
        elif parse_date(element):
            continue
        elif (m := _CHICAGO_CONTAINER.match(element)) and title_quoted and not plain:
            # Chicago: "Journal of Things 12, no. 3 (2001): 45–67"
            plain.append(m.group("c"))
            csl.setdefault("volume", m.group("vol"))
            if m.group("iss"):
                csl.setdefault("issue", m.group("iss"))
            if (iso := parse_date(m.group("date"))):
                csl.setdefault("issued", iso)
            _set_pages(csl, m.group("pages"))
        elif (m := _APA_CONTAINER.match(element)) and len(plain) == (0 if title_quoted else 1):
            # APA: "Journal of Things, 12(3), 45–67"
            if title_quoted:
                plain.append(m.group("c"))
            else:
                csl["container-title"] = m.group("c")
            csl.setdefault("volume", m.group("vol"))
            if m.group("iss"):
                csl.setdefault("issue", m.group("iss"))
            _set_pages(csl, m.group("pages"))
        elif (m := _CONTAINER_VOL.match(element)) and title_quoted and not plain:
            plain.append(m.group("c"))
            csl.setdefault("volume", m.group("vol"))
            if m.group("iss"):
                csl.setdefault("issue", m.group("iss"))
            _set_pages(csl, m.group("pages"))
        elif (m := _NAME_PAGES.match(element)) and title_quoted:
            # "Proceedings of …: 161–166" (container) or "ACM: 319–349" (publisher)
            name = re.sub(r"^(?:In|في):?\s+", "", m.group("name"))
            if plain or "volume" in csl:
                csl.setdefault("publisher", name)
            else:
                plain.append(name)
            _set_pages(csl, m.group("pages"))
        elif (m := _BY_NAMES.fullmatch(element)) and "author" not in csl and title_quoted \
                and not plain:
            # '"Title" by John Smith.': the authors after the title
            csl["author"] = _by_names(m.group("names"))
        elif _NUMBERED_PART.match(element):
            notes.append(f"number: {element}")
        elif (m := _EDITORS_EN2.match(element)):
            csl["editor"] = parse_names(m.group("names"))
        elif re.match(r"^(?:\(|\[)?(?:[Rr]eport|تقرير|Press release|بيان صحفي)(?:\)|\])?$",
                      element):
            csl["type"] = "report"
        else:
            plain.append(element)

    plain = _set_aside(plain, csl, notes, title_quoted)
    # Assign the plain elements by position.
    if not title_quoted and len(plain) >= 2 and "title" not in csl:
        if _SITE_NAME.search(plain[0]) and not _SITE_NAME.search(plain[1]):
            # "موقع اكتشف سورية. معربا.": the site first, then the page
            csl["container-title"] = plain.pop(0)
        elif (_ORG_FIRST.match(plain[0]) and "author" not in csl
              and not _SITE_NAME.search(plain[1]) and not _ORGANIZATION.search(plain[1])):
            # "المكتب المركزي للإحصاء. نتائج تعداد …": a corporate author
            csl["author"] = [{"literal": plain.pop(0)}]
    if not title_quoted and plain and "title" not in csl:
        csl["title"] = plain.pop(0)
        if "author" not in csl and (by := re.match(rf"^(?P<t>.{{3,}}?)\s+{_BY_NAMES.pattern}$",
                                                   csl["title"])):
            # "The Book of Things by John Smith and Jane Doe. Penguin, 2001."
            csl["title"], csl["author"] = by.group("t"), _by_names(by.group("names"))
        if (edition := _TITLE_EDITION.match(csl["title"])):
            csl["title"] = edition.group("title")
            csl.setdefault("edition", edition.group("edition"))
    place_publisher = None
    if plain and re.match(r"^[^:]{2,60}:\s+\S", plain[-1]) and "container-title" not in csl:
        place_publisher = plain[-1]
    journal_like = any(k in csl for k in ("volume", "issue", "DOI", "page"))
    if title_quoted:
        if plain and not journal_like and _publishes(plain[0], csl):
            # "Title". الجهاز المصري المركزي للإحصاء.: an organization publishes the page
            csl["publisher"] = plain.pop(0)
        if plain and "container-title" not in csl:
            csl["container-title"] = re.sub(r"^(?:In|في):?\s+(?=\S)", "", plain.pop(0))
            if (plain and _NEWS_HINT.search(csl["container-title"])
                    and re.fullmatch(r"[A-Z][a-z]+(?: [A-Z][a-z]+)?", plain[0])
                    and not _publishes(plain[0], csl) and not _NEWS_HINT.search(plain[0])):
                csl["publisher-place"] = plain.pop(0)  # "The Guardian. London."
        if plain and "publisher" not in csl:
            csl["publisher"] = plain.pop(0)
    elif plain:
        if _SITE_NAME.search(plain[0]) and "container-title" not in csl:
            csl["container-title"] = plain.pop(0)  # "Page. الموقع الرسمي لـ…": a website
        else:
            csl["publisher"] = plain.pop(0)
    if place_publisher and csl.get("publisher") == place_publisher:
        place, _, publisher = place_publisher.partition(":")
        csl["publisher-place"], csl["publisher"] = place.strip(), publisher.strip()
    elif (m := re.match(r"^(?P<place>[^:\d]{2,40}):\s+(?P<pub>\S.*)$", csl.get("publisher", ""))) \
            and "publisher-place" not in csl:
        # "القاهرة: دار الشروق" (CS1 prints place: publisher)
        csl["publisher-place"], csl["publisher"] = m.group("place").strip(), m.group("pub")
    if plain:
        notes.append("unassigned: " + " | ".join(plain))
    if place_only and "publisher" in csl and "publisher-place" not in csl:
        csl["publisher-place"] = csl.pop("publisher")

    csl["type"] = csl.get("type") or type_hint or _guess_type(csl, title_quoted)
    # In a book, a page or page range given in the line is the place cited, not a range
    # of the work (a chapter's or article's range is kept as ``page``).
    if csl["type"] in ("book", "report", "webpage") and "page" in csl and locator is None:
        locator, label = csl.pop("page"), "page"
    if "title" in csl and "language" not in csl:
        guess = _language_guess(csl["title"])
        if guess:
            csl["language"] = guess
    return ParsedLine(_ordered(csl), locator, label, notes)


# "Smith J, Doe A. Title. J Clin Invest. 2001 Mar;12(3):45–67." (NLM / Vancouver)
_VANCOUVER_LINE = re.compile(
    r"^(?P<names>[^.\"“«()\d]{2,300}?)\.\s+(?P<title>[^\"“«]{3,400}?[.?!])\s+(?P<journal>[^.;\d]"
    r"[^;]{0,120}?)\.?\s+(?P<date>(?:1[5-9]|20)\d\d(?:\s+[A-Z][a-z]{2}(?:\s+\d{1,2})?)?)\s*;\s*"
    r"(?P<vol>\w+)?\s*(?:\((?P<iss>[^)]+)\))?\s*(?::\s*(?P<pages>[\w]+(?:\s*[–—-]\s*\w+)?))?"
    r"(?P<rest>[.\s\x1f]*)$")


def _vancouver(match: re.Match[str], csl: dict[str, Any], locator: str | None,
               label: str | None, notes: list[str]) -> ParsedLine:
    """The fields of a Vancouver-style journal reference."""
    csl["author"] = parse_names(re.sub(r",\s*", "; ", match.group("names")))
    csl["title"] = _strip_punct(match.group("title")) if not match.group("title").endswith(
        ("?", "!")) else match.group("title")
    csl["container-title"] = _strip_punct(match.group("journal"))
    year, _, day_month = match.group("date").partition(" ")
    month_day = day_month.split()
    csl["issued"] = parse_date(" ".join([*month_day[::-1], year])) or year  # "4 Mar 2010"
    for key in ("volume", "issue"):
        if match.group(key[:3] if key == "volume" else "iss"):
            csl[key] = match.group("vol" if key == "volume" else "iss")
    _set_pages(csl, match.group("pages"))
    csl["type"] = "article-journal"
    return ParsedLine(_ordered(csl), locator, label, notes)


# Hand-typed Latin references that name the authors first without a date.
_NAMES_COLON = re.compile(r"^(?P<names>[^:\"“«()\d\u0600-\u06ff]{2,120}?)\s*:\s+"
                          r"(?P<rest>[^\"“«\s].*)$")
_GIVEN_FAMILY_FIRST = re.compile(r"^(?P<name>(?:[A-Z][a-z]+\s+)?(?:[A-Z]\.\s*){1,3}"
                                 r"[A-Z][\w'’-]*[a-z][\w'’-]*),\s+(?P<rest>[A-Z][^,]{10,}.*)$")
# "Elements of Information Theory – 2nd Ed.": the edition typed into the title
_TITLE_EDITION = re.compile(r"^(?P<title>.{3,}?)\s*[–—,-]\s*(?P<edition>(?:\d+(?:st|nd|rd|th)|"
                            r"[A-Z][a-z]+)\s+[Ee]d(?:ition|\.)?)\.?$")


def _personal(names: list[dict[str, str]]) -> bool:
    """Whether parsed names read as people, with an initial or an inverting comma somewhere."""
    if not 1 <= len(names) <= 6:
        return False
    text = " ".join(" ".join(n.values()) for n in names)
    words = text.replace(".", ". ").split()
    for name in names:
        literal = name.get("literal", "")
        if literal and len(literal.split()) > 2 and not re.search(r"\b[A-Z]\.", literal):
            return False  # "Mathematical Control Theory" is not a name
    return (any("given" in n for n in names) or bool(re.search(r"\b[A-Z]\.", text))) and all(
        w[0].isupper() or w in ("and", "van", "von", "de", "der", "da", "di", "du", "la", "le")
        for w in words)


# "Translated from French by Moore, Patrick", "translated by Gingerich, Owen", "tr. Faith Wallis"
_TRANSLATOR = re.compile(r"^(?:[Tt]ranslated(?: from \w+)?(?: into \w+)? by|[Tt]rans\.|tr\.)\s+"
                         r"(?P<names>\S.*)$")
_EDITION_WORDS = re.compile(r"^(?:\w+|\d+(?:st|nd|rd|th))\s+(?:ed\.?|[Ee]dition|Ed\.?)$"
                            r"|^(?:الطبعة|ط\.)\s+\S+$")
_EDITION_PREFIX = re.compile(r"^(?:الطبعة|ط\.)\s+\S+\s+(?=\S)")
# "Boston: Houghton Mifflin Co.", "Sebastopol, California : Farnham: O'Reilly Media"
_PLACE_PUBLISHER = re.compile(r"^(?P<place>[^\d]{2,60}?)\s*:\s+(?P<pub>[^:]*[^\d\s:][^:]*)$")
_NOT_A_PLACE = re.compile(r"Journal|Proceedings|Review|Conference|Symposium|Workshop|"
                          r"Transactions|Letters|Bulletin|Chapter|Part|Volume|Series", re.I)


def _is_place(text: str) -> bool:
    """Whether ``text`` can be the place in "Place: Publisher" (a few capitalised words)."""
    words = [w for w in re.split(r"[\s,:]+", text) if w]
    return (0 < len(words) <= 5 and not _NOT_A_PLACE.search(text)
            and all(w[0].isupper() or _ARABIC.match(w) for w in words))


def _cut_translator(element: str) -> list[str]:
    """'Translated by Heath, Thomas L. Dover' → the translator, then what the stop hid.

    Elements are cut at a stop after two letters, so a name ending in an initial swallows the
    next element (the publisher or its place).
    """
    m = _TRANSLATOR.match(element)
    cut = m and re.match(r"^(?P<n>[^,]+,\s*(?:[A-Z][\w'’.-]*\s+)*?[A-Z]\.)\s+"
                         r"(?P<rest>[A-Z][^.\s].*)$", m.group("names"))
    if not m or not cut:
        return [element]
    return [element[:m.start("names")] + cut.group("n"), cut.group("rest")]


def _set_aside(plain: list[str], csl: dict[str, Any], notes: list[str],
               title_quoted: bool) -> list[str]:
    """Take out the elements that are not title, container or publisher before assignment.

    Editorial asides ("(look at 1964 and 2013)", "– Numbers generated using …"), translators,
    edition words, "Site, 29 April 2010", "الشارقة: 1993", and "Place: Publisher" wherever it
    stands, with a series between the work and it.
    """
    kept: list[str] = []
    plain = [part for element in plain for part in _cut_translator(element)]
    for element in plain:
        if re.fullmatch(r"\([^()]*\)", element) or re.match(r"^[–—-]\s", element):
            notes.append(f"aside: {element}")
        elif re.fullmatch(r"In\s+[^()]{2,80}\(\d{4}[a-z]?\)", element) and title_quoted:
            csl.setdefault("type", "chapter")  # "In Brock (2022)": a chapter of a listed book
            notes.append(element)
        elif (m := _TRANSLATOR.match(element)):
            csl.setdefault("translator", parse_names(m.group("names")))
        elif _EDITION_WORDS.match(element):
            csl.setdefault("edition", element)
        elif (m := re.match(r"^(?P<place>[^:\d]{2,40}):\s*(?P<date>.*\d.*)$", element)) \
                and parse_date(m.group("date")) and _is_place(m.group("place")):
            csl.setdefault("publisher-place", m.group("place").strip())
            csl.setdefault("issued", parse_date(m.group("date")))
        else:
            if (m := re.match(r"^(?P<rest>\D.+?),\s+(?P<date>[^,]*\d{4})$", element)) \
                    and parse_date(m.group("date")) and kept:
                # "Nuclear Engineering International, 29 April 2010"
                csl.setdefault("issued", parse_date(m.group("date")))
                element = m.group("rest")
            if (edition := _EDITION_PREFIX.match(element)):
                csl.setdefault("edition", edition.group(0).strip())
                element = element[edition.end():]
            kept.append(element)
    first = 0 if title_quoted else 1
    for index in range(first, len(kept)):
        m = _PLACE_PUBLISHER.match(kept[index])
        if m and "publisher" not in csl and _is_place(m.group("place")):
            csl.setdefault("publisher-place", m.group("place").strip())
            csl["publisher"] = m.group("pub").strip()
            if (year := re.match(r"^(?P<pub>.+?),\s*(?P<y>(?:1[5-9]|20)\d\d)$", csl["publisher"])):
                # Chicago "New York: Penguin, 2001."
                csl["publisher"] = year.group("pub")
                csl.setdefault("issued", year.group("y"))
            between = kept[first + (1 if title_quoted else 0):index]
            if len(between) == 1 and "collection-title" not in csl:
                csl["collection-title"] = between[0]  # "Title. Series. Place: Publisher."
                return kept[:index - 1] + kept[index + 1:]
            return kept[:index] + kept[index + 1:]
    return kept


# "football – Britannica Online Encyclopedia. Britannica.com": no comma, a sentence-long head.
_TITLE_SITE = re.compile(r"^(?P<title>[^,،;؛]{12,}?\S{3})\.\s+(?P<site>[^,،;؛.\s][^,،;؛]{1,60})$")
# "Smith, John, and Jane Doe. Title." (Chicago: the first name inverted, the others not)
_CHICAGO_AUTHORS = re.compile(r"^[^\s,،]+,\s+[^\s,.]+(?:\s+[A-Z]\.)*(?:,\s+[A-Z][\w'’-]+(?:\s+[A-Z]"
                              r"[\w.'’-]*){1,3})*,?\s+and\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w.'’-]*){1,3}\.\s")
_AUTHORISH = re.compile(r"^[^\s,،]+[,،]\s+[^\s,،.]+(?:\s+[A-Z]\.)*\.\s")


def _is_year(element: str) -> bool:
    return bool(re.match(r"^(?:1[5-9]|20)\d\d$", element))


_COMPANY = re.compile(rf"\b(?:Company|{_COMPANY_SUFFIX})$|\bCompany\b")


def _publishes(name: str, csl: dict[str, Any]) -> bool:
    """Whether the element after a quoted title names who publishes it, not a periodical/site.

    A company or an institution ("The New York Times Company", "NASA Jet Propulsion
    Laboratory", "US Naval Observatory"), or the organization an author belongs to ("Microsoft"
    after "Microsoft Malware Protection Center").
    """
    if _SITE_NAME.search(name):
        return False
    if _COMPANY.search(name):
        return True
    if _NEWS_HINT.search(name):
        return False
    if _ORGANIZATION.search(name):
        return True
    bodies = [n["literal"] for n in csl.get("author") or [] if n.get("literal")]
    return len(name) >= 3 and any(re.search(rf"(?:^|\s){re.escape(name)}(?:\s|,|$)", body)
                                  for body in bodies)


_BY_NAME = r"(?:[A-Z][\w'’-]*\.?|[A-Z]\.)(?:\s+(?:[A-Z][\w'’-]*\.?|de|van|von|da|di|le|la)){1,3}"
_BY_NAMES = re.compile(rf"[Bb]y\s+(?P<names>{_BY_NAME}(?:(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)"
                       rf"{_BY_NAME})*)")


def _by_names(text: str) -> list[dict[str, str]]:
    """'John Smith, Jane Doe and Al Roe' (given names first) → literal names."""
    return [{"literal": n} for n in re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*", text) if n]


def _guess_type(csl: dict[str, Any], title_quoted: bool) -> str:
    if csl.get("editor") and title_quoted:
        return "chapter"
    if title_quoted and (csl.get("volume") or csl.get("issue") or csl.get("DOI")):
        return "article-journal"
    if title_quoted and csl.get("container-title"):
        container = str(csl["container-title"])
        if _NEWS_HINT.search(container) and not _WEB_HINT.search(container):
            magazine = re.search(r"Magazine|Newsweek|مجلة", container, re.I)
            return "article-magazine" if magazine else "article-newspaper"
        if csl.get("URL") or csl.get("accessed"):
            container = csl["container-title"]
            news = _NEWS_HINT.search(container) and not _WEB_HINT.search(container)
            return "article-newspaper" if news else "webpage"
        return "article-journal"
    if title_quoted:
        return "webpage" if csl.get("URL") or csl.get("accessed") else "article"
    if csl.get("container-title") and csl.get("volume") and not csl.get("ISBN"):
        return "article-journal"  # APA: the article's title is not quoted
    publisher = str(csl.get("publisher", ""))
    if publisher and _REPORT_PUBLISHER.search(publisher) and "Press" not in publisher:
        return "report"
    if csl.get("ISBN") or publisher or csl.get("edition"):
        return "book"
    return "webpage" if csl.get("URL") else "document"


# --------------------------------------------------------------------------- wikitext

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


def _template_name(name: str) -> str:
    name = _clean(name).replace("_", " ")
    name = re.sub(r"^(?:template|قالب)\s*:\s*", "", name, flags=re.I)
    return name[:1].lower() + name[1:] if name else name


def _plain(value: Any) -> str:
    """Wikitext value → plain text (links to their text, templates and comments dropped)."""
    import mwparserfromhell

    code = mwparserfromhell.parse(str(value))
    return _clean(code.strip_code(normalize=True, collapse=True))


def _param_key(raw: str) -> tuple[str, int]:
    name = _clean(raw).translate(_DIGITS)
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


def parse_template(template: Any) -> ParsedLine | None:
    """One citation template (mwparserfromhell node) → CSL fields, or None if not a cite."""
    name = _template_name(str(template.name))
    if name not in CITE_TEMPLATES:
        return None
    values: dict[tuple[str, int], str] = {}
    for param in template.params:
        key, number = _param_key(str(param.name))
        text = _plain(param.value)
        if key and text:
            values.setdefault((key, number), text)
    csl: dict[str, Any] = {}

    def names(last_key: str, first_key: str, full_key: str, list_key: str) -> list[dict]:
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

    author = names("last", "first", "author", "authors")
    editor = names("editor-last", "editor-first", "editor", "editors")
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
    locator = None
    if values.get(("pages", 1)):
        if kind in ("book", "webpage", "document", "report"):
            locator = values[("pages", 1)]
        else:
            _set_pages(csl, values[("pages", 1)])
    if values.get(("page", 1)):
        if kind in ("book", "webpage", "document", "report"):
            locator = values[("page", 1)]
        else:
            _set_pages(csl, values[("page", 1)])
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
        csl["language"] = _language_guess(csl["title"])
    notes = []
    if values.get(("archive-date", 1)):
        notes.append(f"archived {parse_date(values[('archive-date', 1)]) or ''}".strip())
    return ParsedLine(_ordered(csl), locator, "page" if locator else None, notes)


# --------------------------------------------------------------------------- article

# A citation template with parameters; "{{استشهاد بدورية محكمة}}:" in an error message
# has none and so is not one.
_CITE_OPEN = re.compile(
    r"\{\{\s*(?:[Tt]emplate:|قالب:)?\s*(?:[Cc]ite\s|[Cc]itation\b|استشهاد)[^{}|]*\|")
_REF_SIGNALS = re.compile(
    r"ISBN|ردمك|doi:|DOI:|ISSN|[Rr]etrieved|اطلع عليه|مؤرشف من الأصل|[Aa]rchived from|"
    r"نسخة محفوظة|\(المحررون\)|\(eds?\.\)|ج\.\s*\d|ص\.\s*\d|pp?\.\s*\d|https?://|"
    r"Bibcode|S2CID|PMID|JSTOR|OCLC|arXiv|hdl:|"
    r"\{\{[^{}]+\}\}:")
# Phrases the citation module (or a bot) writes only into references.
_ONLY_IN_REFERENCES = re.compile(r"على موقع واي باك مشين|اطلع عليه بتاريخ|مؤرشف من الأصل|"
                                 r"Archived from the original|[Rr]etrieved \d|[Rr]etrieved on|"
                                 r"at the Wayback Machine")
# "Fowler, Chad. "The Big Rewrite"." — inverted names, then a quoted title.
_NAMES_THEN_QUOTED = re.compile(r"^[^\s,،\"“«]+[,،]\s+[^\"“«,،]{1,60}?[.,،]\s+[\"“«]")
# '"Observability". PlanetMath.': a quoted title, its stop, then the site or journal.
_QUOTED_THEN_MORE = re.compile(r"^[\"“«][^\"“”«»]{2,300}[\"”»][.,،]\s+(?:[A-Z]|[\u0600-\u06ff])")
_LEADING_MARK = re.compile(r"^\s*(?:[-*•]\s*)?(?:\^|↑|\d{1,3}\.\s|\[\^[\w-]{1,20}\]:|Jump up\s*\^)")


def looks_like_reference(line: str) -> bool:
    """Whether a line of article text is a reference rather than prose or a heading."""
    text = _clean(line)
    if len(text) < 15 or len(text) > 2500:
        return False
    if _LEADING_MARK.match(text):
        return True
    text = _BACKLINK.sub("", unwrap_markup(text)[0], count=1)
    if _NAMES_THEN_QUOTED.match(text) or _QUOTED_THEN_MORE.match(text):
        return True
    harvard = _HARVARD.match(text.strip())
    if harvard and harvard.group("year") and harvard.group("loc"):
        return True  # "Rosen 2005, p. 22." in a notes list copied without its carets
    if re.search(r"\[\d+\]", text) and len(_REF_SIGNALS.findall(text)) < 2:
        # prose carries footnote markers; a reference rarely does ("289–96 [292]" is the page)
        return False
    if _ONLY_IN_REFERENCES.search(text):
        return True
    if _AUTHOR_DATE.match(text):
        return True
    return len(_REF_SIGNALS.findall(text)) >= 2 or bool(re.match(r"^\s*[\"“«]", text)
                                                        and _REF_SIGNALS.search(text))


def _looks_like_lone_reference(line: str) -> bool:
    """A file holding one line is read as one reference when it has a reference's shape."""
    text = _clean(line)
    return (15 <= len(text) <= 2500 and not re.search(r"\[\d+\]", text)
            and len(re.findall(r"[.،](?:\s|$)", text)) >= 2)


def _work_key(csl: dict[str, Any]) -> str:
    title = _norm_key(str(csl.get("title", "")))
    names = csl.get("author") or csl.get("editor") or []
    first = names[0] if names else {}
    who = _norm_key(str(first.get("family") or first.get("literal") or ""))
    return f"{who}|{title}" if title else ""


def _merge(into: dict[str, Any], other: dict[str, Any]) -> None:
    """Fill gaps in ``into`` from ``other``; prefer the more precise date and fuller names."""
    for key, value in other.items():
        missing = key not in into or into[key] in (None, "", [])
        finer_date = key in ("issued", "accessed") and not missing and len(str(value)) > len(
            str(into[key])) and str(value).startswith(str(into[key]))
        if missing or finer_date:
            into[key] = value
        elif key in ("author", "editor") and len(value) == len(into[key]):
            for mine, theirs in zip(into[key], value, strict=True):
                for part in ("given", "family"):
                    if len(theirs.get(part, "")) > len(mine.get(part, "")) and \
                            theirs.get(part, "").startswith(mine.get(part, "")):
                        mine[part] = theirs[part]


def _short_key(name: dict[str, str]) -> str:
    """The word a short citation names its author by: the family name or the last word."""
    text = name.get("family") or name.get("literal") or ""
    return _norm_key(text.split()[-1]) if text.split() else ""


_REF_TAG = re.compile(r"<ref(?:\s[^>/]*)?>(?P<body>.*?)</ref\s*>", re.S | re.I)


def extract_citations(text: str, short: bool = False, mode: str = "combined") -> list[Work]:
    """Every cited work in ``text`` (article, reference list or wikitext), merged by work.

    A short citation ("ابن مماتي ص182", "Smith 2001, p. 5") becomes one more occurrence of the
    work by that author when the list has its full reference; with ``short`` one whose full
    reference is not there is kept as a work without a title (valid CSL-JSON, not a source
    for a mapping, which needs a title).
    """
    works: list[Work] = []
    by_key: dict[str, Work] = {}
    pending: list[tuple[ParsedLine, int, str]] = []

    def add(parsed: ParsedLine, line: int, source_text: str, origin: str) -> None:
        if not parsed.csl.get("title"):
            if parsed.csl.get("author") and (parsed.locator or "short citation" in parsed.notes):
                pending.append((parsed, line, source_text))
            return
        occurrence = Occurrence(line, source_text, parsed.locator, parsed.label)
        key = _work_key(parsed.csl)
        work = by_key.get(key) if key else None
        if work is None:
            work = Work(dict(parsed.csl), [], list(parsed.notes), origin)
            works.append(work)
            if key:
                by_key[key] = work
        else:
            _merge(work.csl, parsed.csl)
            work.csl = _ordered(work.csl)
            work.notes.extend(n for n in parsed.notes if n not in work.notes)
        work.occurrences.append(occurrence)

    # <ref>…</ref> holding a hand-written reference and no template: parse it as rendered
    # text, and keep it out of the line-by-line pass below.
    blanked = text
    for ref in _REF_TAG.finditer(text):
        body = ref.group("body")
        if _CITE_OPEN.search(body) or len(_clean(body)) < 15:
            continue
        number = text.count("\n", 0, ref.start()) + 1
        add(_improved(parse_rendered(body.replace("\n", " ")), body, mode), number, ref.group(0),
            "rendered")
        spaces = re.sub(r"[^\n]", " ", ref.group(0))
        blanked = blanked[: ref.start()] + spaces + blanked[ref.end():]

    if _CITE_OPEN.search(text):
        import mwparserfromhell

        code = mwparserfromhell.parse(text)
        covered: set[int] = set()
        search_from = 0
        for template in code.filter_templates(recursive=True):
            parsed = parse_template(template)
            if parsed is None:
                continue
            source = str(template)
            offset = text.find(source, search_from)
            if offset < 0:
                offset = text.find(source)
            first = text.count("\n", 0, offset) + 1 if offset >= 0 else 0
            if offset >= 0:
                search_from = offset + len(source)
                covered.update(range(first, first + source.count("\n") + 1))
            add(parsed, first, source, "wikitext")
        # Rendered lines may sit next to templates; skip the lines templates occupy.
        lines = [(n, s) for n, s in enumerate(blanked.splitlines(), 1) if n not in covered]
    else:
        lines = list(enumerate(blanked.splitlines(), 1))
    nonempty = [(n, line) for n, line in lines if line.strip()]
    single = len(nonempty) == 1 and len(text.strip().splitlines()) == 1
    for number, line in lines:
        if looks_like_reference(line) or (single and _looks_like_lone_reference(line)) or (
                mode != "rules" and is_labelled(line)):
            add(_improved(parse_rendered(line), line, mode), number, line, "rendered")
    for parsed, number, line in pending:
        who = _short_key(parsed.csl["author"][0])
        year = str(parsed.csl.get("issued", ""))[:4]
        full = next((w for w in works if w.csl.get("author") and who
                     and _short_key(w.csl["author"][0]) == who
                     and (not year or str(w.csl.get("issued", "")).startswith(year))), None)
        if full is not None:
            full.occurrences.append(Occurrence(number, line, parsed.locator, parsed.label))
        elif short:
            works.append(Work(dict(parsed.csl), [Occurrence(number, line, parsed.locator,
                                                            parsed.label)],
                              list(parsed.notes), "rendered"))
    return works


def read_article(path: str | os.PathLike[str]) -> str:
    """The text of an article file, or an InputError naming the file."""
    file = Path(path)
    try:
        return file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(Problem(str(file), 0, 0, "no such file", "input")) from None
    except IsADirectoryError:
        raise InputError(Problem(str(file), 0, 0, "is a folder, not a text file",
                                 "input")) from None
    except UnicodeDecodeError as exc:
        line = file.read_bytes()[: exc.start].count(b"\n") + 1
        raise InputError(Problem(str(file), line, 0, f"not UTF-8 text ({exc.reason})",
                                 "input")) from None


def parse_reference(text: str) -> dict[str, Any]:
    """The CSL fields of one reference (rendered or a single template); {} if none."""
    if _CITE_OPEN.search(text):
        import mwparserfromhell

        for template in mwparserfromhell.parse(text).filter_templates(recursive=True):
            parsed = parse_template(template)
            if parsed is not None:
                return parsed.csl
        return {}
    return _improved(parse_rendered(text), text, "combined").csl


def _improved(parsed: ParsedLine, text: str, mode: str) -> ParsedLine:
    """The rules' reading of a rendered line combined with the labeller's (labeller.py)."""
    from toolkit.citations.labeller import improve

    csl, provenance = improve(parsed.csl, text, mode)
    if csl is parsed.csl:
        return parsed
    others = sorted(f"{k}={v}" for k, v in provenance.items() if v != "rules")
    labelled = all(v == "rules:labelled" for v in provenance.values())
    if labelled:
        return ParsedLine(_ordered(csl), None, None, ["fields by rules:labelled (label: value)"])
    return ParsedLine(_ordered(csl), parsed.locator, parsed.label,
                      [*parsed.notes, f"fields by {', '.join(others)}"])
