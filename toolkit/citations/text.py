"""Shared token layer: cleaning copied text, digits, dates, script and language hints."""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Any

from toolkit import identifiers

DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Bidi controls and zero-width characters that copy-paste from Wikipedia leaves behind.
_INVISIBLE = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067"
                                    "\u2068\u2069\u200b\u200c\u200d\ufeff\u00ad"), None)


_KASHIDA = re.compile(r"\u0640+(?=[\u0621-\u064a\u0640])|(?<=\u0640)\u0640+"
                      r"|(?<![\u0621-\u064a][\u0621-\u064a])(?<=[\u0621-\u064a])\u0640+"
                      r"(?=[.:]?\s*\d)")


def clean(text: str) -> str:
    """NFC, no invisible marks or kashida, ASCII digits, single spaces, entities decoded."""
    if "&" in text and ";" in text:
        # "ISBN&#160;978-…", "&#91;Theory&#93;": entities a page-to-text converter left behind
        text = html.unescape(text)
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE).translate(DIGITS)
    # Kashida (tatweel) only stretches a word for looks: "إحصـاء" is "إحصاء"; before a blank,
    # a digit, a quote or a Latin letter it writes a detached prefix ("الـ 42", "بـ\"فضيحة")
    # and is kept.
    # After a one-letter label before its number ("صـ: 53", "جـ 2") it is dropped too.
    text = _KASHIDA.sub("", text)
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    text = re.sub(r"[ \t]+", " ", text)
    # A run of other blanks too (em spaces, form feeds, "\r"; not line breaks nor the
    # separator mark): patterns that take "\s+" or "\s*" from every position of a run, and
    # fail after it, retry the whole run each time (quadratic in its length).
    return _BLANK_RUN.sub(" ", text).strip()


_BLANK_RUN = re.compile(r"[^\S\n\x1c-\x1f]{2,}")


def strip_punct(text: str) -> str:
    """``text`` without surrounding spaces and separators (. , ، ؛ ; :)."""
    return text.strip().strip(" .,،؛;:").strip()


def norm_key(text: str) -> str:
    """A comparison key: case-folded letters and digits only."""
    text = unicodedata.normalize("NFKC", clean(text)).casefold()
    return re.sub(r"[\W_]+", "", text)


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
    # "28 ديسمبر ,2023", "1 فبراير2012", "15أغسطس 2020": blanks missing or misplaced
    re.compile(rf"^{_DAY}\s*{_MONTH}\s?,?\s*{_YEAR}$", re.I),
    re.compile(rf"^{_MONTH}\s+{_DAY},\s*{_YEAR}$", re.I),
    re.compile(rf"^{_MONTH},?\s+{_YEAR}$", re.I),
    # "June–July 2003", "March/April 2008" (a bimonthly issue): the first month
    re.compile(rf"^{_MONTH}\s?[–/-]\s?(?:{_MONTH_ALT})\.?,?\s+{_YEAR}$", re.I),
    # Vancouver / NLM "2010 Mar 23", "2010 Mar"
    re.compile(rf"^{_YEAR}\s+{_MONTH}(?:\s+{_DAY})?$", re.I),
    re.compile(rf"^(?:(?:spring|summer|autumn|fall|winter|ربيع|صيف|خريف|شتاء)\s+)?{_YEAR}$",
               re.I),
    re.compile(rf"^{_YEAR}[–-](?:1[5-9]|20)?\d\d$"),  # "2009–2010": keep the first year
    re.compile(rf"^{_YEAR}/(?P<m>[01]?\d)/(?P<d>[0-3]?\d)$"),  # "2018/05/20"
]
# A Hijri date with its Gregorian one: "1433 هـ - 2012", "الأحد 1439/9/5 هـ الموافق 2018/05/20 م"
_HIJRI_THEN_GREGORIAN = re.compile(r"^(?:[\u0600-\u06ff]+\s+)?1[34]\d\d(?:/\d{1,2}/\d{1,2})?\s*هـ"
                                   r"\s*(?:[-–/،,]|الموافق)\s*(?P<greg>[^هـ]{4,30})$")
# A date somewhere inside a longer string (for "Retrieved …", "مؤرشف من الأصل في …").
DATE_ANYWHERE = re.compile(
    rf"({_YEAR.replace('?P<year>', '')}-\d\d-\d\d"
    rf"|[0-3]?\d\s+(?:{_MONTH_ALT})\.?,?\s+(?:1[5-9]\d\d|20\d\d)"
    rf"|(?:{_MONTH_ALT})\.?\s+[0-3]?\d,\s*(?:1[5-9]\d\d|20\d\d)"
    rf"|(?:{_MONTH_ALT})\.?,?\s+(?:1[5-9]\d\d|20\d\d)"
    rf"|(?:1[5-9]\d\d|20\d\d))", re.I)


def parse_date(text: str) -> str | None:
    """An ISO date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) from a rendered date, or None."""
    value = strip_punct(clean(text))
    if (hijri := _HIJRI_THEN_GREGORIAN.match(value)):
        # the Gregorian date (its era letter "م" dropped), as the corpus gives it
        value = strip_punct(re.sub(r"\s*م$", "", hijri.group("greg")))
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


ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
ARABIC = re.compile(r"[\u0600-\u06ff]")
_EN_WORDS = re.compile(r"\b(?:the|of|and|a|an|in|to|for|on|with|from|by|who|is|as|at)\b",
                       re.I)


def language_guess(title: str) -> str | None:
    """"ar" for an Arabic title, "en" for one with an English function word, else None."""
    if ARABIC.search(title):
        return "ar"
    if len(_EN_WORDS.findall(title)) >= 1:
        return "en"
    return None


SEP_PLACEHOLDER = "\x1f"
# A capitalised word with a lower-case letter in it ("Smith", "McDonald", "O'Brien"), written
# to have one parse: what comes before its first lower-case letter, that letter, the rest.
# (``[A-Z][\w'’-]*[a-z][\w'’-]*`` has one parse per lower-case letter, so a failing match over
# a list of names backtracks exponentially.)
CAPITALISED_WORD = r"[A-Z](?:[^\Wa-z]|['’-])*[a-z][\w'’-]*"
