"""The elements no pattern read, assigned by position; the type and a book's page."""

from __future__ import annotations

import re
from typing import Any

from toolkit.citations.classify import (
    GOVERNING_BODY,
    NEWS_HINT,
    ORG_FIRST,
    ORGANIZATION,
    PUBLISHER_WORDS,
    SITE_NAME,
    article_from,
    guess_type,
    name_like,
    publishes,
    title_and_body,
    whole_and_press,
    without_leading_note,
)
from toolkit.citations.model import LineState, set_pages
from toolkit.citations.names import BY_NAMES, COMPANY_SUFFIX, by_names
from toolkit.citations.places import is_place
from toolkit.citations.sites import dash_date, glued_site, outlet_like, site_opener
from toolkit.citations.text import language_guess, parse_date

# "Elements of Information Theory – 2nd Ed.": the edition typed into the title
# ("(?<!\s\s)": a lazy title must not grow through a run of blanks, retrying it at each step.)
_TITLE_EDITION = re.compile(r"^(?P<title>.{3,}?)(?<!\s\s)\s*[–—,-]\s*"
                            r"(?P<edition>(?:\d+(?:st|nd|rd|th)|[A-Z][a-z]+)\s+[Ee]d(?:ition|\.)?)\.?$")

_TITLE_FORMAT = re.compile(r"^(?P<title>\S.{2,300}?\S)\s(?:(?P<edition>\d{1,2}(?:st|nd|rd|th)\s"
                           r"Edition)|(?:Paperback|Hardcover|Hardback|Kindle Edition))$")

# "Page title – Site name" / "Page title - وزارة …" / "Page title -IFFHS": an unquoted title
# that carries the name of the site it is on (the page's HTML title copied into |title=).
_TITLE_DASH_SITE = re.compile(
    r"^(?P<title>\S.{2,}?\S)\s+(?P<dash>[–—]\s+|-\s*)(?P<site>[^–—]{2,60})$")
_TITLE_DOMAIN = re.compile(r"^(?P<title>\S+(?:\s+\S+)+?)\s+"
                           r"(?P<site>(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:[a-z]{2,6}|كوم))$")
_SITE_LIKE = re.compile(r"(?:^|\s)(?:ال)?موقع\s|^[A-Z][A-Z0-9]{1,9}$|^www\.|\.(?:com|org|net)\b")

# "…, translated by Elizabeth Latimer": the person named after "by" is not the author (an
# editor after "edited by"); the role is not part of the title
_OTHER_ROLE = re.compile(r"\b(?:[Tt]ranslated|[Ee]dited|[Ii]llustrated|[Cc]ompiled|[Rr]evised|"
                         r"[Aa]dapted|[Ii]ntroduction|[Ff]oreword|[Pp]reface|[Nn]otes)(?:\s+and)?,?$")


def _site_after_title(csl: dict[str, Any]) -> None:
    """Split the site name off an unquoted web title: the container, or the publisher."""
    if any(k in csl for k in ("ISBN", "DOI", "volume", "issue", "container-title")):
        return
    domain = _TITLE_DOMAIN.match(str(csl.get("title", "")))
    if domain:
        # a bot's "Title www.example.com. اطلع عليه بتاريخ …": the work is the site's domain
        csl["title"], csl["container-title"] = domain.group("title"), domain.group("site")
        return
    title, iso = str(csl.get("title", "")), None
    if (dated := dash_date(title)) and (iso := parse_date(dated[1])) and _TITLE_DASH_SITE.match(
            dated[0]):
        title = dated[0]  # hand-typed "Title - Site - 2 فبراير 2012"
    match = _TITLE_DASH_SITE.match(title)
    if not match:
        return
    site = match.group("site").strip()
    words = site.split()
    if (len(words) > 8 or re.search(r"\d|[?!؟]$", site) or re.match(r"[a-z]", site)
            or len(match.group("title").split()) < 2
            or (len(words) > 1 and SITE_NAME.search(words[-1]))):
        # (a domain after more words is the work a bot appended: "title - more www.x.com")
        return
    looks_like_site = (_SITE_LIKE.search(site) or SITE_NAME.search(site)
                       or ORGANIZATION.search(site) or NEWS_HINT.search(site)
                       or PUBLISHER_WORDS.search(site) or outlet_like(site))
    if match.group("dash").strip() == "-" and not looks_like_site:
        return  # a hyphen joins the title's own parts ("2 نوفمبر 2013 - فريق ضد فريق")
    csl["title"] = match.group("title")
    if iso:
        csl.setdefault("issued", iso)
    key = "publisher" if publishes(site, csl) and "publisher" not in csl else "container-title"
    csl[key] = site


# "Title, page 165 to 166" / "Title, pp. 141–42" (hand-typed): the place cited, in the title
_TITLE_LOCATOR = re.compile(r"^(?P<t>\S.{2,300}?),\s+(?:pp?\.|pages?)\s*"
                            r"(?P<loc>\d{1,5}(?:\s*(?:[–-]|to)\s*\d{1,5})?)$")


def _title_tail(state: LineState) -> None:
    """A page cited typed after an unquoted title, after a comma."""
    csl = state.csl
    title = str(csl.get("title", ""))
    if (loc := _TITLE_LOCATOR.match(title)) and state.locator is None:
        csl["title"] = loc.group("t")
        state.locator = re.sub(r"\s*(?:[–-]|to)\s*", "–", loc.group("loc"))
        state.label = "page"
    if not state.title_quoted and "container-title" not in csl and (
            entry := article_from(title)):
        # (the edition named is the encyclopedia's: a note, not the entry's)
        csl["title"], csl["container-title"] = entry[0], entry[1]
        state.notes += [f"edition of the work: {entry[2]}"] if entry[2] else []
    elif not state.title_quoted and "publisher" not in csl and (
            split := title_and_body(str(csl.get("title", "")))):
        csl["title"], csl["publisher"] = split


def _web_title_site(csl: dict[str, Any]) -> None:
    """A web page's unquoted title with its site glued on (sites.py): split them."""
    if "title" not in csl or any(k in csl for k in ("container-title", "publisher", "ISBN",
                                                    "DOI", "volume")):
        return
    split = site_opener(csl["title"]) or glued_site(csl["title"])
    if split:
        csl["title"] = split[0]
        csl["publisher" if GOVERNING_BODY.match(split[1]) else "container-title"] = split[1]


_PRINTED_ARTICLE = ("article-newspaper", "article-magazine")
# "Chapter 2: Physics before Boltzmann": a quoted title that names a chapter of the book after it
_CHAPTER_TITLE = re.compile(r"^(?:Chapter|Ch\.)\s*\d+\b")


def assign_plain(state: LineState, plain: list[str]) -> None:
    """Give the elements no pattern read their fields by position."""
    csl = state.csl
    if not state.title_quoted:
        _untitled_head(csl, plain, state.bot_access)
        if not plain and (csl.get("accessed") or any(n.startswith("archived")
                                                     for n in state.notes)):
            _web_title_site(csl)
        _title_tail(state)
        if "medium: liner notes" in state.notes and len(plain) >= 2:
            # cite AV media notes: "Title (liner notes). Artist. Label. Year."
            state.notes.append(f"others: {plain.pop(0)}")
        _title_continued(state, plain)
    plain[:] = _names_only(plain, state.notes)
    place_publisher = None
    if plain and re.match(r"^[^:]{2,60}:\s+\S", plain[-1]) and "container-title" not in csl:
        place_publisher = plain[-1]
    if state.title_quoted:
        _after_quoted_title(csl, plain)
    elif plain:
        if SITE_NAME.search(plain[0]) and "container-title" not in csl:
            csl["container-title"] = plain.pop(0)  # "Page. الموقع الرسمي لـ…": a website
        elif "publisher" not in csl:  # ("London: HarperCollins. pp. 425 pages.": read already)
            csl["publisher"] = plain.pop(_publisher_index(plain))
    if place_publisher and csl.get("publisher") == place_publisher:
        place, _, publisher = place_publisher.partition(":")
        csl["publisher-place"], csl["publisher"] = place.strip(), publisher.strip()
    elif (m := re.match(r"^(?P<place>[^:\d]{2,40}):\s+(?P<pub>\S.*)$", csl.get("publisher", ""))) \
            and "publisher-place" not in csl:
        # "القاهرة: دار الشروق" (CS1 prints place: publisher)
        csl["publisher-place"], csl["publisher"] = m.group("place").strip(), m.group("pub")
    _publisher_locator(state)
    _publisher_then_place(csl)
    if csl.get("type") == "chapter" and "container-title" not in csl and (
            whole := whole_and_press(str(csl.get("publisher", "")))):
        csl["container-title"], csl["publisher"] = whole
    if plain:
        state.notes.append("unassigned: " + " | ".join(plain))
    if state.place_only and "publisher" in csl and "publisher-place" not in csl:
        csl["publisher-place"] = csl.pop("publisher")


def _names_only(plain: list[str], notes: list[str]) -> list[str]:
    """The elements that can be a name; the rest (notes, numbers, labels) set aside."""
    notes += [f"aside: {element}" for element in plain if not name_like(element)]
    return [without_leading_note(element) for element in plain if name_like(element)]


def _title_continued(state: LineState, plain: list[str]) -> None:
    """A CS2 title with commas of its own: the lowercase parts after it are the title's.

    "Genera plantarum, secundum numerum, & proportionem, Holmia, p. 88": no name of a place,
    publisher or site opens with a lowercase word (a domain, "eol.org", excepted).
    """
    if not (state.comma_style and "title" in state.csl):
        return
    # (not a label, "vol. 2", "trans. by …", "retrieved …", nor a part with a number)
    while plain and re.match(r"^(?:&\s+)?[a-z]{3,}(?:\s|$)", plain[0]) and not re.search(
            r"\d|^(?:retrieved|accessed|archived|translated|edited|via|in|from)\b", plain[0]):
        state.csl["title"] += ", " + plain.pop(0)


# "Johns Hopkins University Press, Baltimore" / "دار الساقي، بيروت": the place after the press
# (a city of one word, or "New York", "San Diego", "Cambridge, MA"; a college keeps its town:
# "Balliol College, Oxford" is the college's name)
_PUBLISHER_PLACE = re.compile(
    r"^(?P<pub>\S.{2,120}?)(?<!College)(?<!School)\s*[,،]\s+(?P<place>(?:(?:New|San|Santa|Los|Las|"
    r"St\.|Saint|Fort|Port|El) )?[A-Z][a-z]{2,20}(?:, [A-Z]{2})?|[\u0621-\u064a]{2,15})$")


def _publisher_then_place(csl: dict[str, Any]) -> None:
    """A press with its city typed after it, after a comma: the publisher and its place."""
    m = _PUBLISHER_PLACE.match(str(csl.get("publisher", "")))
    if (m and "publisher-place" not in csl and _publisher_like(m.group("pub"))
            and not _publisher_like(m.group("place")) and is_place(m.group("place"))):
        csl["publisher"], csl["publisher-place"] = m.group("pub"), m.group("place")


# "Cambridge University Press, p. 108." / "Chicago: McClurg & Co., 1903, p. 276." / "…, Chapter 3."
# (hand-typed): the place cited typed after the publisher, in its element.
_PUBLISHER_LOCATOR = re.compile(
    r"^(?P<pub>\S.{1,120}?),\s+(?:(?P<year>(?:1[5-9]|20)\d\d),\s+)?"
    r"(?P<label>pp?\.|pages?|[Cc]hapter|[Cc]h\.)\s*(?P<loc>\d{1,5}(?:\s*[–-]\s*\d{1,5})?)$")


def _publisher_locator(state: LineState) -> None:
    """Take a page or chapter cited (and a year) off the end of the publisher."""
    match = _PUBLISHER_LOCATOR.match(str(state.csl.get("publisher", "")))
    if not match or state.locator is not None:
        return
    state.csl["publisher"] = match.group("pub")
    if match.group("year"):
        state.csl.setdefault("issued", match.group("year"))
    loc, label = match.group("loc"), match.group("label").lower()
    if re.search(r"[–-]", loc) or label in ("pp.", "pages"):
        set_pages(state.csl, loc)  # a range is the part's (a book's range becomes the locator)
    else:
        state.locator, state.label = loc, "page" if label.startswith("p") else "chapter"


# The version of a database or list, printed as its own element after the title.
_VERSION = re.compile(r"(?:Version|Ver\.|Release|الإصدار|النسخة)\s+\d+(?:\.\d+){0,3}[a-z]?")


# Two or three words of Arabic letters, the first without the article (Persian letters mapped).
_ARABIC_NAME = re.compile(r"(?!ال)[\u0621-\u064a]{2,15}(?:\s+[\u0621-\u064a]{2,15}){1,2}")


def _arabic_name_first(csl: dict[str, Any], plain: list[str]) -> bool:
    """Whether a book line opens with a person's name (two or three words, no article) and
    then a longer title, the publisher read or still to come."""
    name = plain[0].translate({0x06CC: 0x064A, 0x06A9: 0x0643, 0x067E: 0x0628})
    return (bool(_ARABIC_NAME.fullmatch(name)) and not PUBLISHER_WORDS.search(plain[0])
            and not ORGANIZATION.search(plain[0])
            and len(plain[1].split()) > len(plain[0].split())
            and ("publisher" in csl or any(_publisher_like(p) for p in plain[2:4])))


def _untitled_head(csl: dict[str, Any], plain: list[str], bot_access: bool = False) -> None:
    """No quoted title: a site or a corporate author may come first, then the title."""
    if len(plain) >= 2 and "title" not in csl:
        if SITE_NAME.search(plain[0]) and not SITE_NAME.search(plain[1]):
            # "موقع اكتشف سورية. معربا.": the site first, then the page
            csl["container-title"] = plain.pop(0)
        elif (bot_access and len(plain) == 2 and "author" not in csl
              and not ORG_FIRST.match(plain[0])):
            # the bot's "Site. Title. تاريخ الولوج date." puts the site first
            csl["container-title"] = plain.pop(0)
        elif (ORG_FIRST.match(plain[0]) and "author" not in csl
              and not SITE_NAME.search(plain[1]) and not ORGANIZATION.search(plain[1])):
            # "المكتب المركزي للإحصاء. نتائج تعداد …": a corporate author
            csl["author"] = [{"literal": plain.pop(0)}]
        elif "author" not in csl and _arabic_name_first(csl, plain):
            # "إدوار غالب. الموسوعة في العلوم الطبيعية. دار المشرق.": a book's author, uninverted
            csl["author"] = [{"literal": plain.pop(0)}]
    if plain and "title" not in csl:
        csl["title"] = plain.pop(0)
        if plain and _VERSION.fullmatch(plain[0]):
            csl["title"] += f". {plain.pop(0)}"  # "IOC World Bird List. Version 7.2": one title
        if "author" not in csl and (by := re.match(rf"^(?P<t>.{{3,}}?)\s+{BY_NAMES.pattern}$",
                                                   csl["title"])):
            # "The Book of Things by John Smith and Jane Doe. Penguin, 2001."
            role = _OTHER_ROLE.search(by.group("t"))
            csl["title"] = by.group("t")[:role.start()].rstrip(" ,") if role else by.group("t")
            if not role:
                csl["author"] = by_names(by.group("names"))
            elif role.group(0).lower().startswith("edited"):
                csl.setdefault("editor", by_names(by.group("names")))
        if (fmt := _TITLE_FORMAT.match(csl["title"])):
            # "Title 1st Edition" / "Title Paperback" (a bookseller's page copied): not the title
            csl["title"] = fmt.group("title")
            if fmt.group("edition"):
                csl.setdefault("edition", fmt.group("edition"))
        elif (edition := _TITLE_EDITION.match(csl["title"])):
            csl["title"] = edition.group("title")
            csl.setdefault("edition", edition.group("edition"))
        elif not (plain and not SITE_NAME.search(plain[0])):
            # (a work named after the title, "Artist — Song. TopHit.", leaves the dash alone)
            _site_after_title(csl)


def _publisher_like(name: str) -> bool:
    """Whether a name reads as a publisher's: a press, a company, a university or body."""
    return bool(PUBLISHER_WORDS.search(name) or ORGANIZATION.search(name)
                or re.search(rf"\b{COMPANY_SUFFIX}$|&\s*(?:Sons|Co)\b", name))


def _publisher_index(plain: list[str]) -> int:
    """Which element is the publisher: the first, unless only a later one reads as one.

    "Title. Very Short Introductions. Oxford University Press." / "Container. V – Culture and
    Empire. Manchester University Press.": a series or a part's title comes between.
    """
    if len(plain) < 2 or _publisher_like(plain[0]):
        return 0
    later = [i for i in range(1, min(len(plain), 4)) if _publisher_like(plain[i])
             and not re.search(r"\d", plain[i])]
    return later[0] if later else 0


def _after_quoted_title(csl: dict[str, Any], plain: list[str]) -> None:
    """After a quoted title: who publishes it, the container (and its place), the publisher."""
    journal_like = any(k in csl for k in ("volume", "issue", "DOI", "page"))
    if (plain and not journal_like and publishes(plain[0], csl)
            and not (len(plain) > 1 and _publisher_like(plain[1]))):
        # (CS1 prints the work before its publisher: "Title". The Books. X Publications.)
        # "Title". الجهاز المصري المركزي للإحصاء.: an organization publishes the page
        csl["publisher"] = plain.pop(0)
    if plain and "container-title" not in csl:
        csl["container-title"] = re.sub(r"^(?:In|في):?\s+(?=\S)", "", plain.pop(0))
        if (plain and NEWS_HINT.search(csl["container-title"])
                and re.fullmatch(r"[A-Z][a-z]+(?: [A-Z][a-z]+)?", plain[0])
                and not publishes(plain[0], csl) and not NEWS_HINT.search(plain[0])):
            csl["publisher-place"] = plain.pop(0)  # "The Guardian. London."
        elif plain and re.fullmatch(
                r"[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}, (?:[A-Z]{2}|[A-Z]\.[A-Z]\.)", plain[0]):
            csl["publisher-place"] = plain.pop(0)  # "Reading Eagle. Reading, PA.": a US city
    if plain and "publisher" not in csl:
        csl["publisher"] = plain.pop(_publisher_index(plain))


def finish(state: LineState) -> None:
    """The type (stated, hinted by the template name, or guessed), a book's page, language."""
    csl = state.csl
    _book_volume_and_pages(state)
    csl["type"] = csl.get("type") or state.type_hint or guess_type(csl, state.title_quoted)
    _book_page_or_part_page(state)
    _year_after_publisher(csl)
    # a note naming several languages or a variety says the guess would be wrong
    if "title" in csl and "language" not in csl and not any(
            n.startswith("language note") for n in state.notes):
        guess = language_guess(csl["title"])
        if guess:
            csl["language"] = guess


def _book_page_or_part_page(state: LineState) -> None:
    """In a book a page given is the place cited; in a chapter or an article, its page(s).

    CS1 prints a chapter's or an article's |page= as "p. N" before the identifiers, the same
    way as a book's; what tells them apart is the quoted title in a named whole (an "In …
    (eds.)" book, a "Chapter N" title, a periodical without an ISBN).
    """
    csl = state.csl
    kind = csl["type"]
    part = state.title_quoted and "container-title" in csl and kind != "report"
    if kind in ("book", "report", "thesis", "webpage") and "page" in csl and state.locator is None:
        if not (part and re.search(r"[–—−‒-]", str(csl["page"]))):
            # a range in a quoted part of a whole is the part's extent, not a place cited
            state.locator, state.label = csl.pop("page"), "page"
        return
    label = (state.printed_label or "").lower()
    # "pp." and the Arabic plurals ("الصفحات", "صفحات", "ص ص") before a range
    ranged = bool(re.match(r"pp\.|(?:ال)?صفحات|ص\s?ص", label)) and bool(
        re.search(r"[–—−‒-]", str(state.locator or "")))
    if not (part and "page" not in csl and state.locator and (label in ("p.", "page") or ranged)):
        return
    # (arwiki's "ص. 12" stays the place cited, as its renderer and the corpus read it)
    chapter = kind == "chapter" or _CHAPTER_TITLE.match(str(csl.get("title", "")))
    # (a "webpage" here is a periodical typed so for its access date: a page is printed)
    periodical = kind in (*_PRINTED_ARTICLE, "article-journal", "webpage")
    if chapter or (periodical and "ISBN" not in csl):
        # "The Times. 29 October 1860. p. 6.", "In Smith (ed.). Book. Press. p. 9.": the page
        # the article or chapter is printed on
        csl["page"], state.locator, state.label = state.locator, None, None


# "Scare Crow Press 2011", "McGraw-Hill 1967", "… القاهرة، 2014", "بيروت، لبنان 2006": a
# hand-typed publisher (or place) with the year of the book after it
_TRAILING_YEAR = re.compile(r"^(?P<rest>.*[^\d\s,،])[\s,،]{1,4}(?P<year>(?:1[5-9]|20)\d\d)$")


def _year_after_publisher(csl: dict[str, Any]) -> None:
    """The year typed after the publisher or its place, when the line gave no other date."""
    if "issued" in csl or "accessed" in csl:
        return  # (a web page's "… عام 1926" is part of its title, not a book's year)
    for key in ("publisher", "publisher-place"):
        if (m := _TRAILING_YEAR.match(str(csl.get(key, "")))):
            csl[key], csl["issued"] = m.group("rest"), m.group("year")
            return


# "Species Plantarum 2: 625-626 in Latin": a botanical / zoological citation of a book by its
# volume and the pages cited (the title is not quoted; the language note is dropped)
# (the title ends in a non-blank and a few blanks follow: "\s+" after a lazy title would rescan
# a long run of blanks at each step)
_TITLE_VOLUME_PAGES = re.compile(r"^(?P<title>\D[^:]{1,200}?\S)\s{1,3}(?P<vol>\d{1,3}):\s{0,3}"
                                 r"(?P<pages>\d{1,5}(?:\s*[–-]\s*\d{1,5})?)"
                                 r"(?:\s+in\s+[A-Z][a-z]+)?$")


def _book_volume_and_pages(state: LineState) -> None:
    """An unquoted title ending in "Volume: pages" is a book's volume and the place cited."""
    csl = state.csl
    m = _TITLE_VOLUME_PAGES.match(str(csl.get("title", "")))
    if state.title_quoted or not m or "volume" in csl or state.locator is not None:
        return
    csl["title"], csl["volume"] = m.group("title"), m.group("vol")
    csl.setdefault("type", "book")
    state.locator, state.label = m.group("pages"), "page"
