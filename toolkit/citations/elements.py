"""The elements after the title: split, read by pattern, asides set apart."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from toolkit.citations.model import LineState, set_pages
from toolkit.citations.names import BY_NAMES, by_names, parse_names
from toolkit.citations.patterns import (
    ABBREVIATED_JOURNAL,
    APA_CONTAINER,
    AR_ISS,
    AR_VOL,
    CHICAGO_CONTAINER,
    CONTAINER_VOL,
    EDITORS_AR,
    EDITORS_EN,
    EDITORS_EN2,
    EDITORS_INITIALS,
    EN_VOL,
    EN_VOLNO,
    NAME_PAGES,
    NUMBERED_PART,
    PAGES,
    SERIES_VOL,
)
from toolkit.citations.periodical import (
    ARTICLE_NUMBER,
    container_issue_element,
    container_page_element,
    is_year,
    issue_element,
    mla_parts,
    pages_in_book_element,
    pages_or_article_number,
)
from toolkit.citations.places import is_place, take_place_publisher
from toolkit.citations.text import SEP_PLACEHOLDER, parse_date, strip_punct


def _split_elements(text: str, comma_style: bool, arabic_only: bool = False) -> list[str]:
    """Split the rest of a reference into its elements (". " or ", "-separated)."""
    # Blanks before a comma are taken from the start of their run only ("(?<!\s)"): ``\s*``
    # would retry a long run from each blank in it.
    blanks = r"(?:(?<!\s)\s+)?"
    sep = (rf"{blanks}[،]\s*" if arabic_only else rf"{blanks}[،,]\s+|{blanks}[،]\s*" if comma_style
           else rf"(?<=[^\s.]{{2}}|\.[\"”]|\s\d)\.\s+|{blanks}[،]\s+(?=\x1f)")
    pieces: list[str] = []
    for chunk in text.split(SEP_PLACEHOLDER):
        raw = re.split(sep, chunk)
        merged: list[str] = []
        # merged[-1] ends with the last piece, and the abbreviation patterns look at its end
        # only (no ". " inside them): test that piece, not the ever longer merged element
        # (which made a line of many "pp. 1" quadratic).
        last = ""
        for piece in raw:
            # "pp. 190" and "Vol. 3" were split at the abbreviation's full stop: rejoin.
            if merged and _ABBREV_END.search(last) and not _LABEL_START.match(piece) \
                    and not _EDITION_ED.search(last):
                merged[-1] = f"{merged[-1]}. {piece}"
            else:
                merged.append(piece)
            last = piece
        for piece in merged:
            piece = strip_punct(piece.replace("\ue000", " ").strip("*_ "))
            if re.fullmatch(r"[\"“][^\"“”]+[\"”]", piece):  # a quoted publisher name
                piece = strip_punct(piece[1:-1])
            if piece:
                pieces.append(piece)
    return pieces


# "2nd ed. New York: …": an edition's "ed." ends its element, unlike "Trans. Amer. …"
_EDITION_ED = re.compile(r"(?:^|\s)(?:\d+(?:st|nd|rd|th)|[A-Z][a-z]+)\s+ed$")
# "Houghton Mifflin Co. pp. 292–293.": a label after an abbreviation starts a new element.
_LABEL_START = re.compile(r"^(?:pp?|vols?|Vol|nos?|No|ISBN|ISSN|Retrieved|Archived)\b\.?(?:\s|$)")
_ABBREV_END = re.compile(r"(?:^|\s)(?:pp|p|vols?|nos?|Vol|No|eds?|St|Dr|Jr|Inc|Co|Ltd|Mr|Mrs|"
                         r"Univ|Dept|Inst|Soc|Assoc|Corp|Bros|Acad|Natl|Intl|Trans|Proc|Rev|"
                         # "الأهلي VS. بالميراس", "Smith v. Jones": versus, not a stop
                         r"vs|VS|Vs|v|"
                         # "New York Times, Feb. 27, 2010": an abbreviated month, not a stop
                         r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)$")


# "Translated from French by Moore, Patrick", "translated by Gingerich, Owen", "tr. Faith Wallis"
_TRANSLATOR = re.compile(r"^(?:[Tt]ranslated(?: from \w+)?(?: into \w+)? by|[Tt]rans\.|tr\.)\s+"
                         r"(?P<names>\S.*)$")
_EDITION_WORDS = re.compile(r"^(?:\w+|\d+(?:st|nd|rd|th))\s+(?:ed\.?|[Ee]dition|Ed\.?)$"
                            r"|^(?:الطبعة|ط\.)\s+\S+$")
_EDITION_PREFIX = re.compile(r"^(?:الطبعة|ط\.)\s+\S+\s+(?=\S)")
_YEARS_SUBTITLE = re.compile(r"^\d{3,4}(?:\s*[–-]\s*\d{2,4})?\s*:\s+\S")


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


def set_aside(plain: list[str], csl: dict[str, Any], notes: list[str],
              title_quoted: bool, comma_style: bool = False) -> list[str]:
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
        elif (m := re.match(r"^In:\s+(?=\S)", element)) and not title_quoted:
            # "Title. In: P. Smith, Editor, Book, Press. pp. 83–94.": a chapter of that book
            csl.setdefault("type", "chapter")
            kept.append(element[m.end():])
        elif (m := _TRANSLATOR.match(element)):
            csl.setdefault("translator", parse_names(m.group("names")))
        elif _EDITION_WORDS.match(element):
            csl.setdefault("edition", element)
        elif (m := re.match(r"^(?P<place>[^:\d]{2,40}):\s*(?P<date>.*\d.*)$", element)) \
                and parse_date(m.group("date")) and is_place(m.group("place")):
            csl.setdefault("publisher-place", m.group("place").strip())
            csl.setdefault("issued", parse_date(m.group("date")))
        else:
            if (m := re.match(r"^(?P<rest>\D.+?),\s+(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4}"
                              r"|[^,]*\d{4})$", element)) \
                    and (iso := parse_date(m.group("date"))) and (
                        kept or (title_quoted and len(iso) == 10)):
                # "Nuclear Engineering International, 29 April 2010", "… Times, Feb. 27, 2010"
                # (after a quoted title only a full date: "Proceedings …, Toronto, 2004" stays)
                csl.setdefault("issued", iso)
                element = m.group("rest")
            if (edition := _EDITION_PREFIX.match(element)):
                csl.setdefault("edition", edition.group(0).strip())
                element = element[edition.end():]
            kept.append(element)
    first = 0 if title_quoted else 1
    if not title_quoted and len(kept) >= 2 and _YEARS_SUBTITLE.match(kept[1]):
        # CS2 "From A to B, 1800–1932: The Development of …, Place: Publisher": one title
        kept[0:2] = [f"{kept[0]}, {kept[1]}"]
    return take_place_publisher(kept, csl, first, title_quoted, comma_style)


def take_editors_and_numbers(state: LineState) -> None:
    """Editors ("In … (eds.)", "في … (محرر)") and Arabic volume/issue/page labels anywhere."""
    csl, text = state.csl, state.text
    editors = EDITORS_AR.search(text) or EDITORS_EN.search(text) or EDITORS_INITIALS.search(text)
    if editors:
        csl["editor"] = parse_names(editors.group("names"))
        if re.match(r"\s*In\b", editors.group(0)) and not state.title_quoted:
            csl.setdefault("type", "chapter")  # "Title. In: P. Smith, Editor, Book, …"
        text = text[: editors.start()] + SEP_PLACEHOLDER + text[editors.end():]
    # Arabic volume/issue/pages labels anywhere in the remaining text.
    for pattern in (AR_VOL, AR_ISS):
        for vol_match in pattern.finditer(text):
            groups = vol_match.groupdict()
            if groups.get("vol"):
                csl.setdefault("volume", strip_punct(groups["vol"]))
            if groups.get("iss"):
                csl.setdefault("issue", strip_punct(groups["iss"]))
            set_pages(csl, groups.get("pages"))
        text = pattern.sub(SEP_PLACEHOLDER, text)
    state.text = text


def read_elements(state: LineState) -> list[str]:
    """Split the rest into elements; read the numbered ones, return the others in order."""
    text = state.text
    if state.title_quoted:
        # "Bull. Amer. Math. Soc. 75 (4): 740–755": the stops of an abbreviated journal name
        # do not end an element when a volume follows the name
        text = ABBREVIATED_JOURNAL.sub(lambda m: m.group(0).replace(". ", ".\ue000"), text)
    # A line whose elements are cut at "،" keeps Latin commas inside its elements
    # ("Geological Society, London, Special Publications").
    arabic_commas = state.comma_style and "،" in text and not re.search(r",\s+[\"“«]", text)
    plain: list[str] = []
    for whole in _split_elements(text, state.comma_style, arabic_commas):
        for element in mla_parts(whole, state.comma_style):
            if not any(rule(element, state, plain) for rule in _ELEMENT_RULES):
                plain.append(element)
    return plain


def _pages_element(element: str, state: LineState, plain: list[str]) -> bool:
    """"pp. A–B" is the work's page range (CS1; ": A–B" in a journal); "p. N" the page cited."""
    m = PAGES.match(element)
    if not m:
        return False
    single = not re.search(r"[–—−-]", m.group("pages"))
    if state.locator is None and (m.group("label").lower() in ("p.", "page") or (
            single and m.group("label") in ("ص.", "ص", "صفحة", "الصفحة"))):
        # arwiki prints "ص." for a page and a range alike: one number is the page cited
        state.locator, state.label = m.group("pages"), "page"
        state.printed_label = m.group("label")
    else:
        set_pages(state.csl, m.group("pages"))
    return True


def _series_element(element: str, state: LineState, plain: list[str]) -> bool:
    """"Series, Vol. N" after the book (or the container): the series' number, not a volume."""
    m = SERIES_VOL.match(element)
    if not (m and (m.group("series") or len(plain) >= 2)):
        return False
    state.csl.setdefault("collection-title", m.group("series") or plain.pop())
    state.csl.setdefault("collection-number", m.group("n"))
    return True


def _volume_element(element: str, state: LineState, plain: list[str]) -> bool:
    """"Vol. 3, no. 2, pp. 5–9" or "25 (4): 289–96 [292]" after the container."""
    csl = state.csl
    if not ((m := EN_VOLNO.match(element)) or ((m := EN_VOL.match(element)) and plain
                                               and not is_year(element))):
        return False
    csl.setdefault("volume", m.group("vol"))
    if m.group("iss"):
        csl.setdefault("issue", m.group("iss"))
    if m.groupdict().get("label") and m.group("pages"):
        state.notes.append(f"volume title: {m.group('pages')}")  # "Vol. 1: 1971 – 1982"
    else:
        pages_or_article_number(m.group("pages"), state)
    if m.groupdict().get("at") and state.locator is None:
        state.locator, state.label = m.group("at"), "page"
    return True


def _date_element(element: str, state: LineState, plain: list[str]) -> bool:
    """A date: the first is the work's, a later one is dropped."""
    iso = parse_date(element)
    if not iso:
        return False
    if "issued" not in state.csl:
        state.csl["issued"] = iso
    return True


def _volume_issue_pages(m: re.Match[str], csl: dict[str, Any]) -> None:
    """The volume, issue and pages a journal-container pattern matched."""
    csl.setdefault("volume", m.group("vol"))
    if m.group("iss"):
        csl.setdefault("issue", m.group("iss"))
    if not ARTICLE_NUMBER.match(m.group("pages") or ""):  # "12 (12): CD006237": no page
        set_pages(csl, m.group("pages"))


def _chicago_element(element: str, state: LineState, plain: list[str]) -> bool:
    """Chicago: "Journal of Things 12, no. 3 (2001): 45–67"."""
    m = CHICAGO_CONTAINER.match(element)
    if not (m and state.title_quoted and not plain):
        return False
    plain.append(m.group("c"))
    if (iso := parse_date(m.group("date"))):
        state.csl.setdefault("issued", iso)
    _volume_issue_pages(m, state.csl)
    return True


def _apa_element(element: str, state: LineState, plain: list[str]) -> bool:
    """APA: "Journal of Things, 12(3), 45–67"."""
    m = APA_CONTAINER.match(element)
    if not (m and len(plain) == (0 if state.title_quoted else 1)):
        return False
    if state.title_quoted:
        plain.append(m.group("c"))
    else:
        state.csl["container-title"] = m.group("c")
    _volume_issue_pages(m, state.csl)
    return True


def _container_volume_element(element: str, state: LineState, plain: list[str]) -> bool:
    """"Journal 16 (2): 14–20" right after a quoted title."""
    m = CONTAINER_VOL.match(element)
    if not (m and state.title_quoted and not plain):
        return False
    plain.append(m.group("c"))
    _volume_issue_pages(m, state.csl)
    return True


def _name_pages_element(element: str, state: LineState, plain: list[str]) -> bool:
    """"Proceedings of …: 161–166" (container) or "ACM: 319–349" (publisher)."""
    m = NAME_PAGES.match(element)
    if not (m and state.title_quoted):
        return False
    name = re.sub(r"^(?:In|في):?\s+", "", m.group("name"))
    if plain or "volume" in state.csl:
        state.csl.setdefault("publisher", name)
    else:
        plain.append(name)
    set_pages(state.csl, m.group("pages"))
    return True


def _by_element(element: str, state: LineState, plain: list[str]) -> bool:
    """'"Title" by John Smith.': the authors after the title."""
    m = BY_NAMES.fullmatch(element)
    if not (m and "author" not in state.csl and state.title_quoted and not plain):
        return False
    state.csl["author"] = by_names(m.group("names"))
    return True


def _marker_element(element: str, state: LineState, plain: list[str]) -> bool:
    """A number within a series, an editor list, or a report marker."""
    if NUMBERED_PART.match(element):
        state.notes.append(f"number: {element}")
    elif (m := EDITORS_EN2.match(element)):
        state.csl["editor"] = parse_names(m.group("names"))
    elif re.match(r"^(?:\(|\[)?(?:[Rr]eport|تقرير|Press release|بيان صحفي)(?:\)|\])?$",
                  element):
        state.csl["type"] = "report"
    else:
        return False
    return True


# Tried in this order on each element; the first that reads it wins.
_ELEMENT_RULES: tuple[Callable[[str, LineState, list[str]], bool], ...] = (
    pages_in_book_element, _pages_element, _series_element, _volume_element, issue_element,
    _date_element, _chicago_element, _apa_element, _container_volume_element,
    container_issue_element, _name_pages_element,
    container_page_element, _by_element,
    _marker_element)
