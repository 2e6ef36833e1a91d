"""The head of a rendered reference: authors, date and the (quoted) title."""

from __future__ import annotations

import re

from toolkit.citations.freeform import (
    GIVEN_FAMILY_FIRST,
    NAMES_COLON,
    freeform_fields,
    freeform_pieces,
)
from toolkit.citations.model import LineState
from toolkit.citations.names import is_personal, parse_names
from toolkit.citations.text import parse_date, strip_punct

# After the closing quote of a CS1 title comes a stop, a comma, a "(PDF)"-like note or the end;
# MLA and Chicago put the stop inside ("Title." Journal).
# A quote followed by ".." and Arabic opens a longer unquoted title: Arabic headlines join
# their parts with ".." ('"عبارة".. بقية العنوان', '«اسم».. حكاية').
_TITLE_CLOSE = re.compile(r"\s*(?!\.\.\s?[\u0621-\u064a])[.,;:،؛]|\s*[(\x1f]|\s*$"
                          r"|(?<=[.,?!]\")\s")
_HEADLINE_JOIN = re.compile(r"\.\.\s?[\u0621-\u064a]")


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
                inner = strip_punct(text[start + 1:close])
                if inner:
                    return inner, close + 1
    quoted = _QUOTED.match(text)
    if not quoted or _HEADLINE_JOIN.match(text, quoted.end()):
        return None
    return strip_punct(next(g for g in quoted.groups() if g)), quoted.end()


_QUOTED = re.compile(r"^\s*(?:\"(?P<a>[^\"]+)\"|“(?P<b>[^”]+)”|«(?P<c>[^»]+)»|'(?P<d>[^']+)')")
AUTHOR_DATE = re.compile(
    r"^(?P<names>[^\"“«()]{1,300}?)\s*\((?P<date>[^()]{0,40}?(?:\d{4}[a-z]?|n\.d\.|د\.ت\.?)"
    r"[^()]{0,10})\)(?P<sep>\s*[.،,]?)\s*")
# "Rodriguez, Clara E. 2000. ", "Musser, G. G. and M. D. Carleton. 2005. ", "Menzies, Thomas R.,
# ed. 1998. ": inverted names (no digit, no quote), a stop, the year and a stop
_CHICAGO_AUTHOR_YEAR = re.compile(r"^(?P<names>[^\"“«()\d,،]{2,100}[,،][^\"“«()\d]{2,200}?)"
                                  r"\.\s{1,3}(?P<year>(?:1[5-9]|20)\d\d[a-z]?)\.\s{1,3}(?=\S)")
_ORIGINAL_YEAR = re.compile(r"^\[(?P<orig>(?:c\.\s*|ca\.\s*|circa\s+)?\d{1,4}"
                            r"(?:\s*(?:BC|BCE|AD|CE))?"
                            r"(?:\s*[–—-]\s*\d{1,4})?)\](?P<sep>\s*[.,]?)\s*")


# "football – Britannica Online Encyclopedia. Britannica.com": no comma, a sentence-long head.
_TITLE_SITE = re.compile(r"^(?P<title>[^,،;؛]{12,}?\S{3})\.\s+(?P<site>[^,،;؛.\s][^,،;؛]{1,60})$")
# "Title. (date)": a stop after a word (not after an initial, "Smith, J. (2001)") before the
# date, and no name separator ("Blackburn, Bonnie. (1999)", "DiBona, Chris; …, eds.")
_TITLE_STOP = re.compile(r"^[^,;،؛]+[^\W\d_]{3}[.?!]\s*$")
# "Smith, John, and Jane Doe. Title." (Chicago: the first name inverted, the others not)
_CHICAGO_AUTHORS = re.compile(r"^[^\s,،]+,\s+[^\s,.]+(?:\s+[A-Z]\.)*(?:,\s+[A-Z][\w'’-]+(?:\s+[A-Z]"
                              r"[\w.'’-]*){1,3})*,?\s+and\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w.'’-]*){1,3}\.\s")
_AUTHORISH = re.compile(r"^[^\s,،]+[,،]\s+[^\s,،.]+(?:\s+[A-Z]\.)*\.\s")


def take_head(state: LineState) -> None:
    """Authors and date at the start ("Last، First؛ … (date)."), or another kind of head."""
    # "Jones, Alan (ed.) (1992)." is "Jones, Alan, ed. (1992).": the role note is not the date.
    state.text = re.sub(r"^([^\"“«()]{1,300}?)\s*\((eds?\.|editors?)\)\s*(?=\()", r"\1, \2 ",
                        state.text)
    if (chicago := _CHICAGO_AUTHOR_YEAR.match(state.text)):
        # "Rodriguez, Clara E. 2000. Title." (Chicago / ASA author-date): as "Names (2000)."
        names = chicago.group("names") + ("." if re.search(r"\beds?$", chicago.group("names"))
                                          else "")
        state.text = f"{names} ({chicago.group('year')}). {state.text[chicago.end():]}"
    match = AUTHOR_DATE.match(state.text)
    if match and (title_site := _TITLE_SITE.match(match.group("names").strip())):
        # Old CS1 output "Title. Site (date)." has no author: the title and the site come first.
        state.csl["title"] = title_site.group("title")
        state.csl["container-title"] = title_site.group("site")
        iso = parse_date(match.group("date"))
        if iso:
            state.csl["issued"] = iso
        state.text = state.text[match.end():]
        state.pre_titled = True
    elif match and _TITLE_STOP.search(match.group("names")):
        # Old CS1 output "Title (محفوظ). (4 أغسطس 2016).": no author, the date after the title
        state.csl["title"] = strip_punct(match.group("names"))
        iso = parse_date(match.group("date"))
        if iso:
            state.csl["issued"] = iso
        state.text = state.text[match.end():]
        state.pre_titled = True
    elif match:
        _author_date(state, match)
    else:
        for head in (_freeform_head, _names_before_quote, _names_before_stop, _names_colon,
                     _given_family_first):
            if head(state):
                break


def _author_date(state: LineState, match: re.Match[str]) -> None:
    """"Last، First (date)." / "Jones, Alan, ed. (1992)": the names, their role and the date."""
    csl = state.csl
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
    state.comma_style = match.group("sep").strip() in ("،", ",")
    text = state.text[match.end():]
    # "(1996) [1962]." / "(1984) [c. 150]": the first edition's year, not part of the title
    if (original := _ORIGINAL_YEAR.match(text)):
        state.notes.append(f"original date {original.group('orig')}")
        if not match.group("sep").strip():
            state.comma_style = original.group("sep").strip() in ("،", ",")
        text = text[original.end():]
    state.text = text


def _freeform_head(state: LineState) -> bool:
    """Hand-typed "Author، Title، Publisher، Place، 1994، ص 53" or "A - Title - ص 69"."""
    pieces = freeform_pieces(state.text)
    if pieces is None:
        return False
    csl = state.csl
    freeform_locator, book = freeform_fields(pieces, csl, state.notes)
    if state.locator is None and freeform_locator:
        state.locator, state.label = freeform_locator, "page"
    csl["type"] = csl.get("type") or ("book" if book or csl.get("ISBN") else None)
    if not csl["type"]:
        del csl["type"]
    state.text = ""
    state.pre_titled = True
    return True


def _names_before_quote(state: LineState) -> bool:
    """"Last, First, "Title", …" (no date)."""
    text = state.text
    before_title = re.match(r"^(?P<names>[^\"“«()]{2,200}?)[.,،]\s*(?=[\"“«])", text)
    if not before_title or not re.search(r"[,،]", before_title.group("names")):
        return False
    state.csl["author"] = parse_names(before_title.group("names"))
    state.comma_style = text[before_title.end() - 2:before_title.end()].strip() in (",", "،")
    state.text = text[before_title.end():]
    return True


def _names_before_stop(state: LineState) -> bool:
    """"Last, First. "Title"…" or "Last؛ Last2. Title." (no date after the names)."""
    text = state.text
    if not (re.match(r"^[^\"“«]{1,200}?\.\s", text) and (
            _AUTHORISH.match(text) or _CHICAGO_AUTHORS.match(text)
            or re.match(r"^[^\"“«.]{1,200}؛[^\"“«.]{1,200}\.\s", text))):
        return False
    head, _, state.text = text.partition(". ")
    state.csl["author"] = parse_names(head)
    return True


def _names_colon(state: LineState) -> bool:
    """Hand-typed "M. Keating, P. Bricaud: Title, Publisher, 1999." / "Schneier, B: Title, …"."""
    hand = NAMES_COLON.match(state.text)
    if not hand:
        return False
    hand_names = parse_names(hand.group("names"))
    if not is_personal(hand_names):
        return False
    state.csl["author"] = hand_names
    state.text, state.comma_style = hand.group("rest"), True
    return True


def _given_family_first(state: LineState) -> bool:
    """Hand-typed "Eduardo D. Sontag, Mathematical Control Theory: …"."""
    hand = GIVEN_FAMILY_FIRST.match(state.text)
    if not hand:
        return False
    state.csl["author"] = [{"literal": hand.group("name")}]
    state.text, state.comma_style = hand.group("rest"), True
    return True


def take_title(state: LineState) -> None:
    """The title, quoted when it is part of something larger."""
    quoted = None if state.pre_titled else _quoted_title(state.text)
    state.title_quoted = bool(quoted) or state.pre_titled
    if quoted:
        state.csl["title"], end = quoted
        state.text = state.text[end:]
        if not state.comma_style:
            state.comma_style = bool(re.match(r"^\s*[،,]", state.text))
