"""Which lines of an article are references."""

from __future__ import annotations

import re

from toolkit.citations.classify import PUBLISHER_WORDS
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
                                 r"at the Wayback Machine|"
                                 # Cite Q prints the item's id last: "…, QID:Q38258000"
                                 r"\bQID:\s?Q\d{2,}")
# "Fowler, Chad. "The Big Rewrite"." — inverted names, then a quoted title.
_NAMES_THEN_QUOTED = re.compile(r"^[^\s,،\"“«]+[,،]\s+[^\"“«,،]{1,60}?[.,،]\s+[\"“«]")
# '"Observability". PlanetMath.': a quoted title, its stop, then the site or journal.
_QUOTED_THEN_MORE = re.compile(r"^[\"“«][^\"“”«»]{2,300}[\"”»][.,،]\s+(?:[A-Z]|[\u0600-\u06ff])")
# Page furniture copied with an article: the licence footer of a mirror or of Wikipedia.
_LICENCE_FOOTER = re.compile(r"\b(?:is )?licensed under (?:the )?(?:Creative Commons|CC[ -]BY|GNU)|"
                             r"This article is issued from Wikipedia|This page was last edited|"
                             r"آخر تعديل لهذه الصفحة|النصوص منشورة (?:برخصة|تحت رخصة)|"
                             r"(?:مرخص|متاح) (?:بموجب|تحت) رخصة (?:المشاع الإبداعي|كريتيف كومنز)",
                             re.I)
# A navigation box: names each followed by a bracketed year, three or more of them in a row.
_YEAR_LIST = re.compile(r"(?:\(\s*\d{4}\s*\)[^()]{1,60}){2,}\(\s*\d{4}\s*\)")
# An infobox row copied with its Wikidata edit link ("… تعديل قيمة خاصية (P2046) في ويكي بيانات").
_WIKIDATA_ROW = re.compile(r"تعديل قيمة خاصية\s*\(P\d+\)|Edit (?:this at|the value on) Wikidata")
# A stop after a title or abbreviation ("St. Vincent", "Dr. Who") does not part elements.
_ABBREVIATION_STOP = re.compile(r"\b(?:St|Dr|Mr|Mrs|Ms|Jr|Sr|Mt|Ft|vs)\.\s")
# A list mark or back-link; "عدل- ^" / "[عدل]- ^": the section's edit link copied before it
_LEADING_MARK = re.compile(r"^\s*(?:\[?(?:عدل|edit)\]?\s*(?=[-^↑]))?(?:[-*•]\s*)?"
                           r"(?:\^|↑|\d{1,3}\.\s|\[\^[\w-]{1,20}\]:|Jump up\s*\^)")


# A reference that is only a link ("- https://example.org/page", "^ http://…"): kept as a work
# without a title only where title-less works are asked for (``short``)
BARE_LINK = re.compile(r"^\s*(?:[-*•]\s*)?(?:(?:\^|↑|\d{1,3}\.)\s*)*"
                       r"(?:(?:URL|وصلة|الرابط|رابط|"
                       r"(?:[Aa]vailable|[Ff]ound) (?:online )?(?:at|from)|[Oo]nline at|"
                       r"متاح (?:على|في)|متوفر (?:على|في))\s?:?\s*)?"
                       r"https?://[^\s<>\"]{4,400}\s*$")


# A footnote marker "[12]" in prose; not the original year after a date ("(2003) [1957].")
_FOOTNOTE_MARK = re.compile(r"(?<!\)\s)\[\d+\]|\[\d{1,3}\]")

# A maintenance tag left alone on a numbered line ("22. [permanent dead link]")
_MAINTENANCE_ONLY = re.compile(r"^\s*\[\s*(?:permanent[ _]dead[ _]link|dead[ _]link|"
                               r"وصلة مكسورة|وصلة دائمة مكسورة)\s*\]\s*\.?\s*$", re.I)
# A footnote mark glued to a word or a stop, as prose notes carry them ("… of May 2018.[39]")
_GLUED_FOOTNOTE = re.compile(r"[.\w]\[\d{1,3}\](?:\s|$)")

# Where a line's elements part: stops, commas, colons, dashes between spaces.
_PIECE_SPLIT = re.compile(r"[.،,;:؛](?:\s|$)|\s[–—-]\s")
_SHORT_PIECE = 4


def looks_like_reference(line: str) -> bool:
    """Whether a line of article text is a reference rather than prose or a heading."""
    text = clean(line)
    if len(text) < 15 or len(text) > 2500 or _is_furniture(line, text):
        return False
    if _LEADING_MARK.match(text):
        body = _LEADING_MARK.sub("", text, count=1)
        if _MAINTENANCE_ONLY.match(body) or (
                _GLUED_FOOTNOTE.search(body) and len(_REF_SIGNALS.findall(body)) < 2):
            return False  # a lone "[permanent dead link]"; a note citing its own sources
        return not _is_note(text)
    text = BACKLINK.sub("", unwrap_markup(text)[0], count=1)
    if _NAMES_THEN_QUOTED.match(text) or _QUOTED_THEN_MORE.match(text):
        return True
    harvard = HARVARD.match(text.strip())
    if harvard and harvard.group("year") and harvard.group("loc"):
        return True  # "Rosen 2005, p. 22." in a notes list copied without its carets
    if _FOOTNOTE_MARK.search(text) and len(_REF_SIGNALS.findall(text)) < 2:
        # prose carries footnote markers; a reference rarely does ("289–96 [292]" is the page)
        return False
    if _ONLY_IN_REFERENCES.search(text):
        return True
    if AUTHOR_DATE.match(text):
        return True
    return len(_REF_SIGNALS.findall(text)) >= 2 or bool(re.match(r"^\s*[\"“«]", text)
                                                        and _REF_SIGNALS.search(text))


# A species-list item: a taxon and its authority, at most a common name after it
# ("Rattus rattus (Linnaeus, 1758). Black rat.", "- ضفدع الطين (Pelobates fuscus) (لاورنتي، 1768)").
_AUTHORITY = (r"\(?[A-Z][\w'’.-]*(?:\s+(?:&|and|et|de|von|van|du|[A-Z][\w'’.-]*)){0,6},\s*"
              r"(?:1[5-9]|20)\d\d\)?")
_TAXON_ITEM = re.compile(
    r"^\s*(?:\[?عدل\]?\s*)?(?:[-*•]\s*)?"
    rf"(?:[A-Z][a-z]+(?:\s+\([A-Z][a-z]+\))?\s+[a-z]{{3,}}(?:\s+[a-z]{{3,}})?\s+{_AUTHORITY}"
    r"|[^\d()]{2,60}?(?:\s*\([A-Z][a-z]+\s+[a-z]{3,}\))?\s*\([^\d()]{2,50}[،,]\s*"
    r"(?:1[5-9]|20)\d\d\))"
    r"(?:\s*[-–—.,:]?\s*[^\d()\[\]:/]{0,60})?\s*$")
# "- سمكة المثال الزرقاء، Examplea caerulea.": a common name and the binomial, nothing else
_COMMON_NAME_ITEM = re.compile(
    r"^\s*(?:\[?عدل\]?\s*)?(?:[-*•]\s*)?(?:[\u0621-\u064a]{2,20}\s){0,5}[\u0621-\u064a]{2,20}"
    r"\s?[،,:–-]?\s?\(?[A-Z][a-z]{2,30}\s[a-z]{3,30}(?:\s[a-z]{3,30})?\)?\.?\s*$")
# Page furniture that has a reference's stops: stub notices, category and portal rows, captions.
_PAGE_NOTICE = re.compile(
    r"هذه (?:بذرة|مقالة بذرة)|بذرة مقالة|\bis a stub\b|[Yy]ou can help Wikipedia|"
    r"^\s*(?:[-*•]\s*)?(?:تصنيفات?|بوابة|Categories|Category|Portal)\s*:|"
    # a "see also" / "related articles" heading with its items run on after it
    r"^\s*(?:[-*•]\s*)?(?:مقالات ذات صلة|(?:انظر|طالع) أيض[اًّ]{0,3}|[Ss]ee also|"
    r"[Rr]elated articles)\s*:|"
    r"^\s*(?:[-*•]\s*)?(?:صورة|خريطة|منظر|Photo(?:graph)?|Map|Image|View)\s+(?:of|ل|من)?\S|"
    r"\b(?:Photo|Image|Credit)\s*:\s*\S|\b(?:Photo(?:graph)?|Image|Painting|Portrait) by [A-Z]|"
    r"بعدسة|التقطها|التقطت")


# A hatnote ("لمعانٍ أخرى، انظر …", "For other uses, see …"), a table row copied with its cell
# bars ("| a | b |", "بلديات | القصر، السبخة |") and an infobox parameter ("|مقر = …").
_HATNOTE = re.compile(r"^\s*(?:لمعان[ٍ]? أخرى|For other uses|This article is about|"
                      r"Not to be confused with)\b|\((?:توضيح|disambiguation)\)\s*\.?\s*$")
_TABLE_ROW = re.compile(r"\s\|\s.*\|\s*$|^\s*\|\s*[^=|\[\]{}]{1,40}?\s*=\s")


def _is_furniture(line: str, text: str) -> bool:
    """A table row, a licence footer, a navigation box of years, a Wikidata infobox row, a
    species-list item, a stub notice, a category row, a caption or a hatnote."""
    return (line.count("\t") >= 2 or bool(_LICENCE_FOOTER.search(text))
            or bool(_HATNOTE.search(text) or _TABLE_ROW.search(line))
            or bool(_YEAR_LIST.search(text)) or bool(_WIKIDATA_ROW.search(text))
            or (bool(_TAXON_ITEM.match(text) or _PAGE_NOTICE.search(text)
                     or _COMMON_NAME_ITEM.match(text))
                and not _REF_SIGNALS.search(text)))


_NOTE_WORDS = 15


def _is_note(text: str) -> bool:
    """An explanatory footnote: a long sentence with no digit, quote or reference signal.

    A work cited in a notes list has at least a year, a page, a quoted title or a link; a
    note ("^ ذراع أيمن تعني أن الرافد …") is prose.
    """
    body = _LEADING_MARK.sub("", text, count=1)
    body = re.sub(r"^\s*(?:[a-z]{1,2}\s+)*(?:[أا]\s+ب\s+(?:[ت-ي]\s+)*)?", "", body)
    if re.search(r"[\"“«]", body) or _REF_SIGNALS.search(body):
        return False
    if len(body.split()) < _NOTE_WORDS:
        # a short note that is one sentence opening with a pronoun or a verb
        return len(_PIECE_SPLIT.split(body.strip(" .").rstrip(".:"))) <= 2 and bool(
            _SENTENCE_START.match(body) or _NOTE_OPENING.match(body))
    # a note may name a year ("described by Smith in 1901"): it is still prose when a piece
    # of it is a clause (a relative pronoun or a finite verb), not a title or a name
    return not re.search(r"[\d٠-٩]", body) or (
        not re.search(r"\(\s*(?:1[5-9]|20)\d\d", body) and bool(_NOTE_CLAUSE.search(body)))


# "Also spelled …", "The figures are for 2010.", "يسمى …": a note's first words
_NOTE_OPENING = re.compile(r"^\s*(?:Also (?:spelled|known|called|written)|(?:The|These|This) "
                           r"(?:figures?|numbers?|data|name|term|word)s? "
                           r"(?:is|are|was|were|refers?)"
                           r"|Not to be confused|(?:يسمى|تسمى|يعرف|تعرف|أي|بمعنى|الأرقام|البيانات"
                           r"|الاسم|هذه ملاحظة|ملاحظة)\s)", re.I)
_NOTE_CLAUSE = re.compile(r"\b(?:which|who|whom|whose|refers to|means|meaning|was|were|is|are)\s"
                          r"(?:\w+\s){2}|(?:^|\s)(?:الذي|التي|الذين|تعني|يعني|أي|حيث|لأن|لأنه|"
                          r"كان|كانت|يشير|تشير)\s")


# A piece that opens a sentence of prose: a pronoun, or a verb first (Arabic word order)
_SENTENCE_START = re.compile(
    r"^\s*(?:(?:It|He|She|They|We)\s+[a-z]{2,}\b|"
    r"(?:This|These|Those|There|Its|His|Her|Their)\s+"
    r"(?:is|was|are|were|has|had|have|lives|lived|can|may|will|also|became|remains)\b|"
    r"(?:The|A|An)\s+\w+\s+(?:is|was|are|were|has|had)\s+(?:first|also|found|known|named|"
    r"described|located|the|a|an|one)\b|"
    r"(?:هذه|هذا|هو|هي|كان|كانت|يقع|تقع|يعيش|تعيش|يعد|تعد|يعتبر|تعتبر|يوجد|توجد|وصف|ذكر|قال|"
    r"يبلغ|تبلغ|ينتشر|تنتشر|يتغذى|تتغذى)\s)")
# "2,190 m (7,190 ft)", "كم²": measures of an infobox row
_MEASURE = re.compile(r"(?:\d[\d,.]*\s?(?:m|km|ft|mi|km²|kg|كم²?|متر|مترًا|قدم|ميل|كغ)"
                      # "2,190 م": metres; a year's "1988 م" (AD) has no thousands mark
                      r"|\d{1,3}(?:[,٬]\d{3})+\s?م)(?=[\s).,،]|$)")
# an Arabic label of one to three words and its value (a book's "بيروت: دار …" is a place and
# its publisher: a line naming a publisher is never read as rows)
_LABEL_ROW = re.compile(r"^\s*(?:[-*•]\s*)?[\u0621-\u064a]{2,20}(?:\s[\u0621-\u064a]{2,20}){0,2}"
                        r"\s?:\s?\S")
_BARE_YEAR = re.compile(r"^\s*(?:1[5-9]|20)\d\d\s*[.]?\s*$")
# "* قائمة الأنهار في روسيا" / "• List of constellations": a "see also" item
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]\s*)?(?:قائمة|قوائم|List of|Lists of|Outline of)\s")


def looks_like_lone_reference(line: str) -> bool:
    """A file holding one line is read as one reference when it has a reference's shape.

    The shape is two stops or more, and one element short enough to be a name, date, place or
    publisher: prose sentences cut at their stops have only long pieces.
    """
    text = clean(line)
    if not 15 <= len(text) <= 2500 or _FOOTNOTE_MARK.search(text) or _is_furniture(line, text):
        return False
    if len(re.findall(r"[.،](?:\s|$)", _ABBREVIATION_STOP.sub(" ", text))) < 2 or (
            _LEADING_MARK.match(text) and _is_note(text)):
        return False  # one sentence; a numbered explanatory note
    pieces = [p for p in _PIECE_SPLIT.split(text) if p.strip()]
    if any(_SENTENCE_START.match(p) for p in pieces) or _MEASURE.search(text) or (
            _LIST_ITEM.match(text) and not re.search(r"\d", text)):
        return False  # prose, an infobox row of measures, a "see also" list item
    sentences = [p for p in re.split(r"\.\s+", text.strip().rstrip(".")) if p.strip()]
    if len(sentences) >= 2 and all(_LABEL_ROW.match(p) for p in sentences) and not (
            PUBLISHER_WORDS.search(text)):
        return False  # "الطول: 1,200 كم. المصب: بحر المثال.": infobox rows, label and value
    if len(pieces) == 2 and _BARE_YEAR.match(pieces[1]):
        return False  # "النهر قرب المدينة، 2010.": a caption and its year, no author or work
    return any(len(p.split()) <= _SHORT_PIECE for p in pieces)
