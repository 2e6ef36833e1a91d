"""Element rules of periodicals: MLA containers, issue-only journals, colon pages, numbers.

Split from ``elements`` (which tries these rules in its order): the forms a journal, magazine or
paper series is printed in when the CS1 shapes there ("Journal 16 (2): 14–20") do not apply.
"""

from __future__ import annotations

import re

from toolkit.citations.model import LineState, set_pages
from toolkit.citations.patterns import CHICAGO_CONTAINER


def is_year(element: str) -> bool:
    """Whether the element is a year alone."""
    return bool(re.match(r"^(?:1[5-9]|20)\d\d$", element))


# MLA 9: "Container, vol. 33, no. 2, Publisher, 2019, pp. 3–30": one element of comma parts
MLA_LABEL = re.compile(r",\s+(?:vol\.|no\.|pp?\.)\s*\d")


def mla_parts(element: str, comma_style: bool) -> list[str]:
    """An MLA container element cut into its comma parts (only when a part is labelled)."""
    if comma_style or not MLA_LABEL.search(element) or CHICAGO_CONTAINER.match(element):
        return [element]  # (Chicago's "Journal 12, no. 3 (2001): 45–67" is read whole)
    return [part for part in (p.strip() for p in re.split(r",\s+", element)) if part]


def issue_element(element: str, state: LineState, plain: list[str]) -> bool:
    """MLA's "no. 2" after the volume: the issue."""
    m = re.match(r"^(?:no\.|No\.)\s*(?P<iss>\d[\w/–-]{0,10})$", element)
    if not (m and "volume" in state.csl):
        return False
    state.csl.setdefault("issue", m.group("iss"))
    return True


def container_page_element(element: str, state: LineState, plain: list[str]) -> bool:
    """"Sky and Telescope: 47", or the ": 353–367" a language note parted from its journal.

    arwiki's cite journal without a volume prints the pages after a colon; after a quoted
    title and its journal, nothing else is printed that way.
    """
    if not state.title_quoted or "page" in state.csl or "volume" in state.csl:
        return False
    single = re.match(r"^(?P<name>\D[^:]{1,200}?):\s*(?P<pages>\d{1,5})$", element)
    if single and not plain and not is_year(single.group("pages")):
        plain.append(single.group("name"))
        set_pages(state.csl, single.group("pages"))
        return True
    bare = re.match(r"^:?\s*(?P<pages>\d{1,5}\s*[–—‒−-]\s*\d{1,5})$", element)
    if bare and len(plain) == 1:
        set_pages(state.csl, bare.group("pages"))
        return True
    return False


# "The Cochrane Database of Systematic Reviews (8): CD003325", "… Working Papers (189)": a
# periodical or a paper series printed with its issue (number) and no volume
CONTAINER_ISSUE = re.compile(r"^(?P<c>\D[^()]{1,200}?)(?<!\s\s)\s+"
                              r"\((?P<iss>\d{1,5}(?:[–/-]\d{1,5})?)\)"
                              r"(?::\s*(?P<pages>\w{1,12}(?:\s*[–—‒−-]\s*\w{1,12})?))?$")
# "CD006237", "MR12345": an article number printed where the pages go (not a page)
ARTICLE_NUMBER = re.compile(r"^[A-Z]{1,3}\d{5,}$")


def container_issue_element(element: str, state: LineState, plain: list[str]) -> bool:
    """"Journal (8): 45–67" / "Series (189)" right after a quoted title: issue, no volume."""
    m = CONTAINER_ISSUE.match(element)
    if not (m and state.title_quoted and not plain and not is_year(m.group("iss"))):
        return False
    plain.append(m.group("c"))
    state.csl.setdefault("issue", m.group("iss"))
    pages_or_article_number(m.group("pages"), state)
    return True


def pages_or_article_number(pages: str | None, state: LineState) -> None:
    """The pages a container pattern matched, or the article number printed in their place."""
    if pages and ARTICLE_NUMBER.match(pages):
        state.notes.append(f"article number {pages}")
    else:
        set_pages(state.csl, pages)


# "Superfamily Muroidea. pp. 894–1531 in Mammal Species of the World." (the zoological and
# botanical form of a chapter: its page range, then "in" and the book)
_PAGES_IN_BOOK = re.compile(r"^pp?\.\s*(?P<pages>\d{1,5}\s*[–—‒−-]\s*\d{1,5})\s+in\s+"
                            r"(?P<book>\S.{2,300})$")


def pages_in_book_element(element: str, state: LineState, plain: list[str]) -> bool:
    """"pp. 894–1531 in Book": the chapter's pages and the book it is in."""
    m = _PAGES_IN_BOOK.match(element)
    if not (m and "container-title" not in state.csl):
        return False
    set_pages(state.csl, m.group("pages"))
    state.csl["container-title"] = m.group("book")
    state.csl.setdefault("type", "chapter")
    return True
