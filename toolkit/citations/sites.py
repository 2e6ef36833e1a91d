"""The name of a site or newspaper glued to an unquoted web title, with no separator.

Old arwiki bot citations print ``title WORK. اطلع عليه بتاريخ … نسخة محفوظة …``: the work
(the website or newspaper, italic on the page) follows the title with only a blank, so the
copied text has no mark where the title ends. The boundary can still be read where:

* the script changes: a Latin title ending in Arabic words ("Title جلوب سوكر") or an Arabic
  title ending in one Latin name ("عنوان RTarabic", "عنوان RT بالعربي");
* a Latin title ends in one lowercase handle after a capitalised title or a title that
  already names the handle ("Clubs Ranking rsssf", "Staff | Transfermarkt transfermarkt");
* the Arabic tail is shaped like an outlet's name: it opens with صحيفة / جريدة / مجلة /
  بوابة / وكالة / قناة …, ends in نيوز / الإخبارية / بالعربية / عربي …, or is one of a few
  much-cited outlets whose name has no such word (اليوم السابع, المصري اليوم …).

A site name may also open the line ("البوابة نيوز: title"), or close it after "..." .
"""

from __future__ import annotations

import re

_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LATIN = re.compile(r"[A-Za-z]")
# A title does not end in a preposition or a conjunction: "… في" + "مجلة العربي" is one title.
_OPEN_WORD = re.compile(r"^(?:في|من|على|إلى|الى|عن|مع|و|أو|ثم|بين|حول|عبر|لدى|مثل|بعد|قبل)$")
_OUTLET_NOUN = re.compile(r"^(?:ال)?(?:صحيفة|جريدة|مجلة|بوابة|وكالة|قناة|شبكة|إذاعة|راديو|"
                          r"تلفزيون|موقع)$")
_OUTLET_SUFFIX = re.compile(r"^(?:نيوز|الإخبارية|الاخبارية|بالعربية|بالعربي|عربي|عربية|"
                            r"نت|أونلاين|اونلاين|الإلكترونية|الالكترونية)$")
# Outlets cited across many Arabic articles whose names carry none of the words above.
_KNOWN_OUTLETS = (
    "اليوم السابع", "المصري اليوم", "الشرق الأوسط", "القدس العربي", "العربي الجديد",
    "روسيا اليوم", "أخبار اليوم", "يلا كورة", "يالا كورة", "في الجول", "مصراوي", "مصراوى",
    "هسبريس", "كووورة", "إيلاف", "عكاظ", "سبوتنيك", "يورونيوز", "فرانس 24", "دويتشه فيله",
    "الأهرام", "بوابة الأهرام", "الشروق", "الوفد", "الدستور", "البوابة نيوز", "سكاي نيوز عربية",
)
_KNOWN_TAIL = re.compile(r"(?:^|\s)(?P<site>" + "|".join(
    re.escape(name) for name in sorted(_KNOWN_OUTLETS, key=len, reverse=True)) + r")$")
# Letter names spelling an abbreviation: "سي إن إن", "بي بي سي", "آر تي".
_LETTER_NAME = re.compile(r"^(?:سي|إن|ان|بي|آر|ار|تي|إم|ام|إف|اف|جي|دي|إس|اس|إي|اي)$")


def _arabic(token: str) -> bool:
    return bool(_ARABIC.search(token)) and not _LATIN.search(token)


def _latin(token: str) -> bool:
    return bool(_LATIN.search(token)) and not _ARABIC.search(token)


def _split(words: list[str], at: int) -> tuple[str, str] | None:
    """The title before ``words[at]`` and the site from it, if the title can end there."""
    title, site = words[:at], words[at:]
    if (len(title) < 2 or not site or _OPEN_WORD.match(title[-1]) or title[-1] in "-–—:|"
            or re.search(r"[\"«»“”]", " ".join(site))):
        return None
    return " ".join(title), " ".join(site)


def _script_tail(words: list[str]) -> tuple[str, str] | None:
    """A Latin title with an Arabic tail, or an Arabic title with one Latin name at its end."""
    arabic_tail = 0
    while arabic_tail < min(3, len(words)) and _arabic(words[-1 - arabic_tail]):
        arabic_tail += 1
    body = words[:len(words) - arabic_tail]
    if arabic_tail and body and not any(_ARABIC.search(w) for w in body) and any(
            _latin(w) for w in body):
        return _split(words, len(body))
    # "عنوان RTarabic" / "عنوان RT بالعربي" / "عنوان 0 - 0 soccerway"
    tail = 2 if len(words) > 2 and _OUTLET_SUFFIX.match(words[-1]) else 1
    if all(_latin(w) for w in words[-tail:][:1]) and (tail == 1 or _arabic(words[-1])):
        body = words[:-tail]
        arabic_words = sum(1 for w in body if _arabic(w))
        if arabic_words >= 2 and not _latin(body[-1]):
            return _split(words, len(body))
    return None


def _handle_tail(words: list[str]) -> tuple[str, str] | None:
    """A Latin title ending in a lowercase site handle ("… Ranking rsssf")."""
    last = words[-1]
    if not re.fullmatch(r"[a-z][a-z0-9]{3,30}", last) or len(words) < 3:
        return None
    body = words[:-1]
    if any(_ARABIC.search(w) for w in body):
        return None
    named = last in re.sub(r"[^a-z0-9]", " ", " ".join(body).lower()).split() or any(
        w.lower().startswith(last + ".") for w in body)
    content = [w for w in body if len(w) >= 4 and _LATIN.match(w)]
    title_case = len(content) >= 2 and all(w[0].isupper() for w in content)
    return _split(words, len(body)) if named or title_case else None


def _outlet_tail(words: list[str]) -> tuple[str, str] | None:
    """An Arabic title ending in a name shaped like an outlet's."""
    if (known := _KNOWN_TAIL.search(" ".join(words))):
        return _split(words, len(words) - len(known.group("site").split()))
    for at in range(max(1, len(words) - 4), len(words) - 1):
        if _OUTLET_NOUN.match(words[at]):
            return _split(words, at)
    if len(words) > 3 and _OUTLET_SUFFIX.match(words[-1]):
        at = len(words) - 2
        while at > len(words) - 6 and _LETTER_NAME.match(words[at - 1]) and _LETTER_NAME.match(
                words[at]):
            at -= 1
        return _split(words, at)
    return None


def glued_site(title: str) -> tuple[str, str] | None:
    """(title, site) when an unquoted web title ends in the site's name; None if unsure."""
    if (dots := re.fullmatch(r"(?P<t>.{8,}?\S)\.{3}(?P<s>[^\s.][^.]{1,40})", title)) and len(
            dots.group("s").split()) <= 3:
        return dots.group("t"), dots.group("s").strip()  # "عنوان...مصراوى"
    words = title.split()
    if len(words) < 3:
        return None
    return _script_tail(words) or _handle_tail(words) or (
        _outlet_tail(words) if _arabic(words[-1]) else None)


def outlet_like(name: str) -> bool:
    """Whether an Arabic name is shaped like a newspaper's or a news site's."""
    words = name.split()
    return bool(words) and (bool(_KNOWN_TAIL.fullmatch(name.strip())) or bool(
        _OUTLET_NOUN.match(words[0])) or (len(words) > 1 and bool(_OUTLET_SUFFIX.match(words[-1]))))


_TIME = re.compile(r"^\d{1,2}:\d\d\s*(?:[مص]|[AaPp]\.?[Mm]\.?)?\s+")
_DASH_DATE = re.compile(r"^(?P<rest>\S.{4,}?\S)\s+[-–—]\s+(?P<date>[^-–—]{4,60})$")


def dash_date(title: str) -> tuple[str, str] | None:
    """(rest, date text) for a hand-typed "title - site - 2 فبراير 2012" (a time, a bot's
    placeholder title "نسخة مؤرشفة" and a year glued to its month allowed)."""
    match = _DASH_DATE.match(title)
    if not match:
        return None
    date = re.sub(r"\s*[\"“]?(?:نسخة مؤرشفة|Archived copy)[\"”]?$", "", match.group("date"))
    date = _TIME.sub("", date.strip())
    return match.group("rest"), re.sub(r"(?<=[^\W\d_])(?=\d{4}$)", " ", date)


def site_opener(title: str) -> tuple[str, str] | None:
    """(title, site) for "البوابة نيوز: title": an outlet's name, a colon, then the title."""
    match = re.match(r"^(?P<site>[^:]{2,40}?):\s+(?P<title>\S.{7,})$", title)
    if not match:
        return None
    site = match.group("site").split()
    known = _KNOWN_TAIL.fullmatch(" ".join(site))
    if not (1 <= len(site) <= 4 and all(_arabic(w) for w in site)):
        return None
    if known or _OUTLET_NOUN.match(site[0]) or (len(site) > 1 and _OUTLET_SUFFIX.match(site[-1])):
        return match.group("title"), match.group("site").strip()
    return None
