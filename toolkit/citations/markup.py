"""Markup and noise around a copied reference: links, back-links, leaked CS1 messages."""

from __future__ import annotations

import re

# Leaked CS1 error and maintenance messages: "{{استشهاد بدورية محكمة}}: تجاهل … (مساعدة)",
# "{{cite web}}: Unknown parameter |x= ignored (help)", "CS1 maint: …".
ERROR_MSG = re.compile(
    r"\{\{[^{}]{1,80}\}\}:\s.*\((?:مساعدة|help)\)"
    r"|(?:\{\{[^{}]{1,80}\}\}\s*:\s*)?(?:CS1 maint|صيانة CS1|صيانة الاستشهاد):.*$"
    # "الوسيط |CitationClass= تم تجاهله" / "Unknown parameter |x= ignored"
    r"|(?:الوسيط|Unknown parameter)\s*\|[\w -]{1,40}=\s*(?:تم تجاهله|ignored)"
    r"|\((?:مساعدة|help)\)")
BACKLINK = re.compile(
    # "[عدل]- ^": a section's edit link copied with the first reference under it
    r"^\s*(?:\[?(?:عدل|edit)\]?\s*(?=[-^↑]))?(?:[-*•]\s+)?(?:\d{1,3}\.\s+)?"
    r"(?:\[\^[\w-]{1,20}\]:\s*)?(?:Jump up\s*\^\s*)?"
    # "Jump up to: 1 2 Sutton": a copy without the caret, its back-links numbered
    r"(?:Jump up to:\s*(?:(?:[a-z]{1,2}|\d{1,2})\s+)*)?"
    r"(?:[\^↑]\s*(?:Jump up to:\s*|Jump up\s+)?"
    # "^ a bHawking, Stephen": the copy lost the space after the last back-link letter
    r"(?:a\s+(?:[a-z]{1,2}\s+){0,60}[b-z]{1,2}(?=[A-Z][a-z]|[\"“])"
    # arwiki's letters run "أ ب ت …" from its first two; "^ أ ف ب" is an agency's initials
    r"|(?:[a-z]{1,2}\s+)*(?:[أا]\s+ب\s+(?:(?:[ت-ي]|هـ)\s+)*)?))?")
# Format and access markers, "via" notes and editorial asides: not bibliographic data.
NOISE = re.compile(
    r"\(\s*(?:PDF|pdf|DOC|HTML|Microsoft Word|PowerPoint|video|audio|بي دي إف|PDF، \d+ ?[KM]B|"
    r"CSV|XLS|XLSX|Excel|إكسل|كتاب إلكتروني PDF)\s*\)|^\s*بي دي إف\s+"
    r"|[–—-]\s+via\s+[^.،,]+|عبر\s+[^.،,]*(?=\.\s*$)|\((?:cf\.|see|انظر)[^)]*\)\.?"
    r"|\((?:paid\s+)?(?:subscription|registration) required\)|\((?:free|open) access\)"
    r"|\(يتطلب اشتراك\)|\(\s*link\s*\)"
    # old arwiki CS1 marks an archived link "(محفوظ)"; "[وصلة مكسورة]" / "[dead link]"
    r"|\(محفوظ\)|\[(?:وصلة مكسورة|(?:permanent )?dead link)\]"
    # "( PDF, archived from here Archived 20 June 2014 at the Wayback Machine)"
    r"|\(\s*PDF,[^()]*\)")


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

# Links a copied line prints that are not the work: an archive copy, an identifier resolver
NOT_THE_WORK = re.compile(
    r"https?://(?:www\.)?(?:web\.archive\.org|archive\.(?:org/web|today|is|ph|li|fo|md)|"
    r"webcitation\.org|wayback\.|(?:dx\.)?doi\.org|hdl\.handle\.net|"
    r"(?:www\.)?ncbi\.nlm\.nih\.gov/(?:pubmed|pmc)|pubmed\.ncbi|jstor\.org/stable|"
    r"(?:www\.)?worldcat\.org/oclc|(?:ui\.)?adsabs\.harvard\.edu|api\.semanticscholar|"
    r"arxiv\.org/abs|(?:www\.)?wikidata\.org|(?:[a-z]{2,3}\.)?(?:m\.)?wikipedia\.org/wiki/)", re.I)


def unwrap_markup(text: str) -> tuple[str, str | None]:
    """Link markup reduced to its visible text, and the URL of the first work link."""
    url: str | None = None

    def visible(match: re.Match[str]) -> str:
        nonlocal url
        label = (match.group("text") or "").strip()
        target = match.group("target") or ""
        bare = label.strip("*_\"“”' .")
        # a link into Wikipedia itself (a template, a help page), an archive copy or an
        # identifier resolver is never the work's URL
        if (url is None and target.startswith(("http://", "https://")) and bare
                and not _NOT_A_WORK_LINK.match(bare) and not NOT_THE_WORK.match(target)
                and "wikipedia.org/wiki/" not in target):
            url = target
        return label

    text = _WIKI_ID_TEMPLATE.sub(lambda m: f"{m.group('id')} {m.group('v').strip()}", text)
    text = _MD_LINK.sub(visible, text)
    text = _WIKI_EXTLINK.sub(visible, text)
    text = text.replace("**", "").replace("`", "")
    return text, url


def copy_spacing(text: str) -> str:
    """Undo the spaces a browser copy or a dropped format note leaves inside a reference.

    "379– 423" and "( 3– 4)" (a line break after the dash), "entropy (PDF). Santa Fe" with the
    note dropped ("entropy . Santa Fe"), "ISBN 978-0123821881 ." (a space before the stop).
    """
    text = re.sub(r"(?<=\w)\s*([–—−])\s+(?=\d)", r"\1", text)
    text = re.sub(r"\(\s+", "(", text)
    # (?<!\s): from the start of a run of blanks only, not again from each blank in it
    return re.sub(r"(?<!\s)\s+([.,])(?=\s|$)", r"\1", text)
