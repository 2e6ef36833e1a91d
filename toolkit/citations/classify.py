"""What an element names (publisher, site, organization, newspaper) and the CSL type."""

from __future__ import annotations

import re
from typing import Any

from toolkit.citations.names import COMPANY_SUFFIX

_REPORT_PUBLISHER = re.compile(
    r"Institute|Organi[sz]ation|Office|Agency|Department|Ministry|Commission|Council|"
    r"Centre|Center|Foundation|UNICEF|UNODC|United Nations|Europol|Interpol|Government|"
    r"Bureau|Authority|وزارة|منظمة|مكتب|مركز|معهد|هيئة|وكالة", re.I)
_WEB_HINT = re.compile(r"\.(?:com|org|net|gov|int|edu)\b|website|blog|wiki|موقع", re.I)
PUBLISHER_WORDS = re.compile(
    r"(?:^|\s)(?:دار|مكتبة|مطبعة|المطبعة|الهيئة|هيئة|منشورات|مؤسسة|المؤسسة|الناشر|جامعة|"
    r"المركز|مركز دراسات|المجلس)(?:\s|$)|Press|Publish|Publications|Verlag|(?<!The )Books\b|"
    r"Editions|Éditions|"
    r"Springer|Wiley|Elsevier|Routledge|Penguin|Macmillan|Harper|Random House", re.I)
# An organization written first ("المكتب المركزي للإحصاء. Title."): the corporate author.
ORG_FIRST = re.compile(r"^(?:المكتب|الجهاز|المركز|الهيئة|المندوبية|المنظمة|المؤسسة|المعهد|"
                       r"الديوان|الاتحاد|الجمعية|وزارة|منظمة|هيئة|جامعة|"
                       # academies, facilities, agencies, councils and committees
                       r"مجمع|المجمع|المرفق|الأكاديمية|أكاديمية|الوكالة|وكالة|المجلس|مجلس|"
                       r"اللجنة|لجنة|مديرية|المديرية|دائرة)\s")
SITE_NAME = re.compile(r"^(?:ال)?موقع\s|\.(?:com|org|net|gov|int|edu|info|[a-z]{2})$|^www\.",
                       re.I)
ORGANIZATION = re.compile(
    r"Institute|Organi[sz]ation|Office|Agency|Department|Ministry|Commission|Council|"
    r"Society|Association|Bureau|Authority|Foundation|Government|UNICEF|United Nations|"
    r"Laborator(?:y|ies)|Observatory|Initiative|Endowment|Academy|University|Institution|"
    # an English name ending in its head noun ("Bodleian Library", "Balliol College, Oxford",
    # not "Library catalog")
    r"(?:College|Library|School|Museum)(?:,\s*[A-Z][\w ]{1,30})?$|"
    # a government by its name's form: "State of Texas", "City of Springfield"
    r"(?-i:^(?:The\s+)?(?:State|City|County|Town|Borough|Province|Republic|Kingdom|"
    r"Commonwealth|Government|Parliament|Municipality|Village)\s+of\s+(?!The\b)[A-Z])|"
    r"(?:^|\s)(?:ال)?(?:جهاز|مكتب|مندوبية|هيئة|وزارة|منظمة|مؤسسة|جمعية|ديوان|اتحاد|جامعة|مجلس|"
    r"معهد|بلدية|حكومة|مجمع)(?:\s|$)", re.I)
NEWS_HINT = re.compile(
    r"Times|Post\b|News|Guardian|Herald|Tribune|Telegraph|Gazette|Daily|Reuters|BBC|CNN|"
    r"Associated Press|Magazine|Newsweek|صحيفة|جريدة|اليوم|الأهرام|الشرق الأوسط|الحياة|"
    r"النهار|البيان|الخليج|الجزيرة|رويترز|بي بي سي|مجلة", re.I)


# Sports and other international governing bodies publish their own sites (the corpus
# conventions: "فيفا", "IFFHS" are publishers): a short closed list of their names.
GOVERNING_BODY = re.compile(
    r"^(?:FIFA|UEFA|CAF|AFC|CONCACAF|CONMEBOL|OFC|IOC|IFFHS|FIBA|FIVB|IHF|IAAF|World Athletics|"
    r"ITF|ICC|FIA|FINA|UCI|IIHF|فيفا|الفيفا|يويفا|اليويفا|الكاف|اللجنة الأولمبية الدولية)$")
_COMPANY = re.compile(rf"\b(?:Company|{COMPANY_SUFFIX})$|\bCompany\b")


def publishes(name: str, csl: dict[str, Any]) -> bool:
    """Whether the element after a quoted title names who publishes it, not a periodical/site.

    A company or an institution ("The New York Times Company", "NASA Jet Propulsion
    Laboratory", "US Naval Observatory"), or the organization an author belongs to ("Microsoft"
    after "Microsoft Malware Protection Center").
    """
    if SITE_NAME.search(name):
        return False
    if _COMPANY.search(name) or GOVERNING_BODY.match(name.strip()):
        return True
    if NEWS_HINT.search(name):
        return False
    if ORGANIZATION.search(name) or (PUBLISHER_WORDS.search(name) and not re.search(
            r"Free Press|Press\s+(?:Gazette|Journal|Herald)", name)):
        return True  # ("Detroit Free Press": a newspaper's name, not a press)
    bodies = [n["literal"] for n in csl.get("author") or [] if n.get("literal")]
    return len(name) >= 3 and any(re.search(rf"(?:^|\s){re.escape(name)}(?:\s|,|$)", body)
                                  for body in bodies)


def guess_type(csl: dict[str, Any], title_quoted: bool) -> str:
    """The CSL type a rendered reference's fields suggest (a quoted title is part of a whole)."""
    if csl.get("editor") and title_quoted:
        return "chapter"
    if (title_quoted and csl.get("container-title") and csl.get("ISBN")
            and not (csl.get("volume") or csl.get("issue"))):
        return "chapter"  # a quoted title in a book (an ISBN): no journal has one
    if (title_quoted and csl.get("container-title") and not (csl.get("volume") or csl.get("issue"))
            and re.search(r"Press\b|Publish|Verlag|Books\b", str(csl.get("publisher", "")))
            and not NEWS_HINT.search(str(csl["container-title"]))):
        return "chapter"  # a quoted part of a whole a press publishes: a book's chapter
    if title_quoted and (csl.get("volume") or csl.get("issue") or csl.get("DOI")):
        return "article-journal"
    if title_quoted and csl.get("container-title"):
        container = str(csl["container-title"])
        if NEWS_HINT.search(container) and not _WEB_HINT.search(container):
            magazine = re.search(r"Magazine|Newsweek|مجلة", container, re.I)
            return "article-magazine" if magazine else "article-newspaper"
        if csl.get("URL") or csl.get("accessed"):
            container = csl["container-title"]
            news = NEWS_HINT.search(container) and not _WEB_HINT.search(container)
            return "article-newspaper" if news else "webpage"
        return "article-journal"
    if title_quoted:
        return "webpage" if csl.get("URL") or csl.get("accessed") else "article"
    if csl.get("container-title") and csl.get("volume") and not csl.get("ISBN"):
        return "article-journal"  # APA: the article's title is not quoted
    if csl.get("edition") or (csl.get("volume") and csl.get("title")):
        return "book"  # an edition, or "Title, vol. 1" (a multi-volume book): books, not reports
    publisher = str(csl.get("publisher", ""))
    if publisher and _REPORT_PUBLISHER.search(publisher) and "Press" not in publisher:
        return "report"
    if csl.get("ISBN") or publisher or csl.get("edition"):
        return "book"
    return "webpage" if csl.get("URL") else "document"


# What no publisher, site or periodical is called: a note to the reader ("Click …", "Note:
# Select …", "View on …", an archive note), a page label ("Pp", "p. 299 …"), a database's record
# number ("ProQuest 474988140"), or an English note opening with a lowercase word ("section
# …", "at the …"; not a particle of a name, "de Gruyter", nor a domain, "eol.org").
_NOTE_FIRST = re.compile(
    r"^(?:Note|Notes|NB|See|Click|Select|Search|Enter|Scroll|Read|View|Viewed|Available|"
    r"مؤرشف|نسخة محفوظة|اطلع عليه|تاريخ الولوج)\b|^(?:pp?|Pp)(?:\.|$)")
_RECORD_NUMBER = re.compile(r"^[A-Z][\w&.\- ]{1,40}\s\d{5,}$")
_LOWER_NOTE = re.compile(r"^(?!(?:de|van|von|der|den|du|da|di|al|el|la|le)\s)[a-z]+\s+\S")


def name_like(element: str) -> bool:
    """Whether an element left after the title can be a publisher's, site's or periodical's name."""
    text = element.strip()
    if not re.search(r"[^\W\d_]", text):
        return False  # "313–50", "[1] [2] [3]": no letter
    return not (_NOTE_FIRST.match(text) or _RECORD_NUMBER.match(text)
                or (_LOWER_NOTE.match(text) and not SITE_NAME.search(text.split()[0])))


# "Mechanization in Industry, National Bureau of Economic Research" / "عنوان الكتاب، هيئة
# المساحة": a hand-typed unquoted title with the body that issued it after a comma
_TITLE_COMMA_BODY = re.compile(r"^(?P<title>\S[^,،]{4,200}?\S)\s*[,،]\s+(?P<body>\S[^,،]{3,100})$")
_ARABIC_BODY_FIRST = re.compile(r"^(?:دار|مكتبة|مطبعة|منشورات|جامعة)\s")
_NAME_WORD = re.compile(r"^(?:[A-Z]\S*|of|for|the|and|on|in|de|&)$")


def title_and_body(title: str) -> tuple[str, str] | None:
    """(title, publisher) when an unquoted title ends in ", <an institution or a press>"."""
    m = _TITLE_COMMA_BODY.match(title)
    if not m or len(m.group("title").split()) < 2:
        return None
    body = m.group("body").strip()
    words = body.split()
    if ORG_FIRST.match(body) or _ARABIC_BODY_FIRST.match(body):
        return m.group("title"), body
    latin_name = (len(words) >= 2 and words[0][0].isupper()
                  and all(_NAME_WORD.match(w) for w in words))
    if latin_name and (_REPORT_PUBLISHER.search(body) or re.search(r"\bPress$", body)):
        return m.group("title"), body
    return None


# "Title - مقالة من الموسوعة X الطبعة الثالثة" / "Title – article from the X Encyclopedia": an
# entry named with the work it is from (an encyclopedia, a dictionary, a site)
_ARTICLE_FROM = re.compile(
    r"^(?P<title>\S.{1,200}?)\s+[-–—]\s+(?:مقالة|مقال|مادة|[Aa]rticle|[Ee]ntry)\s+(?:من|في|from|in)"
    r"\s+(?:the\s+)?(?P<work>\S[^,،]{2,100}?)(?:[,،]?\s+(?P<edition>(?:ال)?طبعة\s+\S+|"
    r"\d+(?:st|nd|rd|th)\s+[Ee]d(?:ition|\.)))?$")


def article_from(title: str) -> tuple[str, str, str | None] | None:
    """(title, work, edition) for an entry typed with "- article from <work>"."""
    m = _ARTICLE_FROM.match(title)
    return (m.group("title"), m.group("work"), m.group("edition")) if m else None


# "In: P. Smith, Editor, Book of Essays, Dale Press": the book and its press in one element
_WHOLE_COMMA_PRESS = re.compile(r"^(?P<whole>\S[^,]{3,200}?\S),\s+(?P<press>\S[^,]{2,80})$")


def whole_and_press(publisher: str) -> tuple[str, str] | None:
    """(book, press) when a chapter's publisher element also carries the book before a comma."""
    m = _WHOLE_COMMA_PRESS.match(publisher)
    if not m or not (PUBLISHER_WORDS.search(m.group("press")) or _COMPANY.search(m.group("press"))):
        return None
    whole = m.group("whole")
    if PUBLISHER_WORDS.search(whole) or ORGANIZATION.search(whole) or len(whole.split()) < 2:
        return None
    return whole, m.group("press").strip()


# "(softcover reprint of 15th ed.). Springer-Verlag": a note in brackets glued before a name
_NOTE_BEFORE_NAME = re.compile(r"^\([^()]{3,120}\)\.?\s+(?=[A-Z\u0621-\u064a])")


def without_leading_note(element: str) -> str:
    """The element without a bracketed note typed before the name it carries."""
    return _NOTE_BEFORE_NAME.sub("", element)
