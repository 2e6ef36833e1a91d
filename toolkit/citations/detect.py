"""Which lines of an article are references."""

from __future__ import annotations

import re

from toolkit.citations.freeform import HARVARD
from toolkit.citations.head import AUTHOR_DATE
from toolkit.citations.markup import BACKLINK, unwrap_markup
from toolkit.citations.text import clean

# A citation template with parameters; "{{استشهاد بدورية محكمة}}:" in an error message
# has none and so is not one.
CITE_OPEN = re.compile(
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
    text = clean(line)
    if len(text) < 15 or len(text) > 2500:
        return False
    if _LEADING_MARK.match(text):
        return True
    text = BACKLINK.sub("", unwrap_markup(text)[0], count=1)
    if _NAMES_THEN_QUOTED.match(text) or _QUOTED_THEN_MORE.match(text):
        return True
    harvard = HARVARD.match(text.strip())
    if harvard and harvard.group("year") and harvard.group("loc"):
        return True  # "Rosen 2005, p. 22." in a notes list copied without its carets
    if re.search(r"\[\d+\]", text) and len(_REF_SIGNALS.findall(text)) < 2:
        # prose carries footnote markers; a reference rarely does ("289–96 [292]" is the page)
        return False
    if _ONLY_IN_REFERENCES.search(text):
        return True
    if AUTHOR_DATE.match(text):
        return True
    return len(_REF_SIGNALS.findall(text)) >= 2 or bool(re.match(r"^\s*[\"“«]", text)
                                                        and _REF_SIGNALS.search(text))


def looks_like_lone_reference(line: str) -> bool:
    """A file holding one line is read as one reference when it has a reference's shape."""
    text = clean(line)
    return (15 <= len(text) <= 2500 and not re.search(r"\[\d+\]", text)
            and len(re.findall(r"[.،](?:\s|$)", text)) >= 2)
