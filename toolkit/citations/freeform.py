"""Hand-typed references: short citations, "،"-separated lists, Vancouver journal lines."""

from __future__ import annotations

import re
from typing import Any

from toolkit.citations.classify import PUBLISHER_WORDS
from toolkit.citations.model import LineState, ParsedLine, ordered, set_pages
from toolkit.citations.names import VANCOUVER_NAME, parse_names
from toolkit.citations.patterns import RANGE
from toolkit.citations.text import CAPITALISED_WORD, SEP_PLACEHOLDER, parse_date, strip_punct

# Short citations: "ابن مماتي ص182", "رمزي القسم الثاني ج2 ص207", "Smith 2001, p. 5".
_SHORT_CITE = re.compile(
    r"^(?P<name>[^\d\"“«»()،,.:;؛\x1f]{2,40}?)(?:[\s،,]+(?P<year>(?:1[5-9]|20)\d\d)[a-z]?)?"
    r"(?:[\s،,]+(?:القسم|الجزء)\s+\S+)?(?:[\s،,]+(?:ج|مج|المجلد|vol)\.?\s*(?P<vol>\d+))?"
    r"[\s،,]+(?:ص|صـ|صص|صفحة|الصفحة|صفحات|pp?)\.?\s*:?\s*"
    r"(?P<page>\d+[a-z]?(?:\s*[–—-]\s*\d+)?)\s*[.\x1f]*\s*$", re.I)
# Harvard short cites as {{sfn}} / {{harvnb}} print them: "Rosen 2005, p. 22.",
# "Fagundes & Perzanowski 2020, p. 529.", "Williams 2002, ch. 9.", "Goldstein, pp. 2–3, 6–7.",
# "Byfield 2008.", "Coleman 2004, "Political Agnosticism"." Family names only, Latin script.
_SURNAME = (r"(?:(?:St\.|van|von|de|del|della|der|den|da|di|du|la|le|ten|ter|Van|Von|De|Del|"
            rf"Da|Di|Du|La|Le)\s+)?{CAPITALISED_WORD}(?:\s+{CAPITALISED_WORD})?")  # "Rouse Ball"
_SURNAMES = (rf"{_SURNAME}(?:(?:,\s*(?:and\s+|&\s*)?|\s+(?:and|&)\s+){_SURNAME})*"
             r"(?:,?\s+et al\.?)?")
_HARVARD_LOCATOR = (r"(?P<label>pp?\.|ch\.|chap\.|[Cc]hpt\.|[Cc]hapter|sec\.|§|para\.|fig\.|col\.|"
                    rf"loc\.)\s*(?P<loc>{RANGE}(?:\.\d+)*(?:\s*(?:,|&|and)\s*{RANGE}(?:\.\d+)*)*)")
_HARVARD_WHO = rf"^(?P<names>{_SURNAMES})(?:,?\s+\(?(?P<year>(?:1[5-9]|20)\d\d[a-z]?)\)?)?"
HARVARD = re.compile(
    rf"{_HARVARD_WHO}(?:[.,]?\s*{_HARVARD_LOCATOR}"
    r"|,\s*[\"“][^\"“”]{1,80}[\"”])?\s*\.?\s*$")
# The same short cite with the editor's note after its locator: "Hahn (2005), p. 99. However,
# Gillispie (1997), p. 67, gives …", "Crocitti & Vallance (2012), p. 395, last paragraph."
_HARVARD_THEN_NOTE = re.compile(
    rf"{_HARVARD_WHO}[.,]?\s*{_HARVARD_LOCATOR}(?P<note>[.,;:]?\s+\S.{{0,300}})$")
_FULL_REFERENCE_SIGNS = re.compile(r"ISBN|doi|https?://|Retrieved|ISSN", re.I)
_LOCATOR_LABELS = {"p.": "page", "pp.": "page", "ch.": "chapter", "chap.": "chapter",
                   "chpt.": "chapter",
                   "chapter": "chapter", "sec.": "section", "§": "section",
                   "para.": "paragraph", "fig.": "figure", "col.": "column", "loc.": "page"}
# A page or volume element of a hand-typed reference: "ص181", "صـ: 53", "الصفحة 69", "ج2".
_PAGE_PART = re.compile(r"^(?:ص|صص|صفحة|الصفحة|صفحات|الصفحات|pp?|pages?)\.?\s*:?\s*"
                        r"(?P<pages>\d+[a-z]?(?:\s*[–—−-]\s*\d+)?)$", re.I)
_VOLUME_PART = re.compile(r"^(?:ج|مج|المجلد|مجلد|الجزء|vol|volume)\.?\s*:?\s*(?P<vol>\d+)$", re.I)
_ORDINAL_PART = re.compile(r"^(?:(?:القسم|الجزء|المجلد|الطبعة)\s+\S+(?:\s+\S+)?\s*-?\s*)+$")
# "تأليف عبد الأمير مؤمن", "بقلم …", "إعداد …": the piece names the author
_BY_PART = re.compile(r"^(?:تأليف|تاليف|بقلم|إعداد|اعداد)\s*:?\s+(?P<names>\S.*)$")
# "د،" / "د." / "أ.د." / "Dr." before a name: a title, not part of the name
_HONORIFIC = re.compile(r"^(?:أ\.\s?د|أ\.د|د|الدكتور|الدكتورة|الأستاذ|Dr|Prof)\.?$")
_PLACE_WORD = re.compile(r"[\u0621-\u064a]{3,12}")
# A place and the year run together after the publisher: "بيروت، لبنان 2006"
_PLACE_YEAR = re.compile(r"^(?P<place>[^\d]{2,40}?)\s+(?P<year>(?:1[5-9]|20)\d\d)$")


def _name_like(piece: str) -> bool:
    """Whether a piece of a hand-typed reference reads as a person's name (2–4 words)."""
    words = piece.split()
    return (1 <= len(words) <= 4 and not re.search(r"[\d:«»\"“]", piece)
            and not PUBLISHER_WORDS.search(piece))


def _waw_names(piece: str) -> bool:
    """"سامي عادل و منى سالم": two names of two words or more, the second not starting with the
    article (a title's "… و المغرب" does), joined by a "و" typed apart."""
    parts = re.split(r"\s+و\s+", piece)
    return len(parts) == 2 and all(2 <= len(p.split()) <= 4 and _name_like(p) for p in parts) and (
        not parts[1].startswith("ال")) and bool(re.fullmatch(r"[\u0600-\u06ff\s]+", piece))


def _one_word_title(first: str, second: str, followed: bool) -> bool:
    """"جيم بروس، الثدييات، بيروت، 2000": an Arabic name (two words or more, not starting with
    the article) before a one-word title, with a place after (``followed``); one word is never
    a full name."""
    words = first.split()
    return (followed and len(second.split()) == 1 and len(words) >= 2
            and bool(re.fullmatch(r"[\u0600-\u06ff\s]+", first))
            and not words[0].startswith("ال"))


# The word an Arabic book title opens with ("معجم …", "موسوعة …"): a title, not a name.
_BOOK_WORD = re.compile(r"^(?:ال)?(?:كتاب|معجم|موسوعة|قاموس|دليل|أطلس|مقدمة|مدخل|شرح|ديوان|"
                        r"مبادئ|أساسيات|تاريخ|رحلة|أصول|تفسير|مختصر|الموجز|موجز)\s")


def _place_before_year(pieces: list[str], index: int) -> bool:
    """Whether ``pieces[index]`` is a city (a word or two) right before the year of a book."""
    piece = pieces[index]
    return (index + 1 < len(pieces) and bool(re.fullmatch(r"(?:1[5-9]|20)\d\d", pieces[index + 1]))
            and 1 <= len(piece.split()) <= 2 and not re.search(r"[\d:«»\"“()]", piece)
            and not PUBLISHER_WORDS.search(piece))


def freeform_fields(pieces: list[str], csl: dict[str, Any],
                    notes: list[str]) -> tuple[str | None, bool]:
    """Fields of a hand-typed reference split at "،" or " - "; returns (locator, book-like)."""
    locator = None
    texts: list[str] = []
    book = False
    publisher_at = -1
    honorific = bool(pieces) and bool(_HONORIFIC.match(pieces[0]))
    if honorific:
        pieces = pieces[1:]  # the title of a person: the next piece is the author
    for index, piece in enumerate(pieces):
        if (m := _BY_PART.match(piece)) and texts and "author" not in csl:
            csl["author"] = [{"literal": n} for n in re.split(r"\s+و\s+", m.group("names"))
                             if n]
        elif (m := _PAGE_PART.match(piece)):
            if locator is None:
                locator = re.sub(r"\s*[–—−]\s*", "–", m.group("pages"))
        elif (m := _VOLUME_PART.match(piece)):
            csl.setdefault("volume", m.group("vol"))
        elif _ORDINAL_PART.match(piece):
            notes.append(f"part: {piece}")
        elif (iso := parse_date(piece)) and "issued" not in csl:
            csl["issued"] = iso
        elif "publisher" not in csl and PUBLISHER_WORDS.search(piece) and texts:
            csl["publisher"], publisher_at, book = piece, index, True
        elif (publisher_at >= 0 and index == publisher_at + 1 and len(piece.split()) <= 2
              and not re.search(r"\d", piece) and "publisher-place" not in csl):
            csl["publisher-place"] = piece
        elif (publisher_at >= 0 and index == publisher_at + 1 and "publisher-place" not in csl
              and (m := _PLACE_YEAR.match(piece)) and "issued" not in csl):
            csl["publisher-place"], csl["issued"] = strip_punct(m.group("place")), m.group("year")
        elif (len(texts) >= 2 and _place_before_year(pieces, index)
              and "publisher-place" not in csl):
            # "Author، Title، بيروت، 2000، ص 16": the place, then the year, of a book
            csl["publisher-place"], book = piece, True
        else:
            texts.append(piece)
    if not texts:
        return locator, book
    first = texts[0]
    second = texts[1] if len(texts) > 1 else None
    person = re.compile(r"(?:^|\s)(?:ابن|بن|أبو|أبي|عبد|بنت)\s")
    if (second and len(texts) >= 3 and len(first.split()) == 1
            and re.search(r"\s(?:بن|ابن|بنت)\s", second) and _name_like(second)):
        # "العصیمی، محمد بن دخیل، عرب فارس، …": family name, given names, then the title
        csl.setdefault("author", [{"family": first, "given": second}])
        csl["title"] = texts[2]
        rest = texts[3:]
    elif second and ("؛" in first or ((_name_like(first) or _waw_names(first)) and (
            len(second.split()) > len(first.split())
            or (person.search(first) and not person.search(second))
            or honorific or _waw_names(first)
            or _one_word_title(first, second, len(texts) >= 3 or "publisher-place" in csl)
            or (_BOOK_WORD.match(second) and not _BOOK_WORD.match(first))))):
        csl.setdefault("author", parse_names(first))
        csl["title"] = second
        rest = texts[2:]
    elif second and _name_like(second) and len(first.split()) > len(second.split()):
        csl["title"] = first
        csl.setdefault("author", parse_names(second.replace(",", " ")) if "؛" in second
                       else [{"literal": second}])
        rest = texts[2:]
    else:
        csl["title"] = first
        rest = texts[1:]
    if (len(rest) == 1 and "author" in csl and "publisher-place" not in csl
            and "issued" in csl and _PLACE_WORD.fullmatch(rest[0])):
        # "Author، Title، Place، Year": a one-word place before the year, no publisher named
        csl["publisher-place"] = rest.pop()
    if rest:
        notes.append("unassigned: " + " | ".join(rest))
    return locator, book


def freeform_pieces(text: str) -> list[str] | None:
    """A hand-typed reference cut at "،" (or " - " next to a page/volume part), else None."""
    body = strip_punct(text.replace(SEP_PLACEHOLDER, " ")).strip()
    if not body or re.search(r"[\"“«]", body):
        return None
    if " - " in body:
        dashed = [strip_punct(p) for p in body.split(" - ")]
        if any(_PAGE_PART.match(p) or _VOLUME_PART.match(p) or _BY_PART.match(p)
               for p in dashed) and len(dashed) >= 3:
            return [p for p in dashed if p]
    unlabelled = re.sub(r"(?:^|\s)(?:ص|ج|ع|مج|ط|p|pp|vol|no|ed|eds)\.\s", " ", body)
    if re.search(r"\.\s", unlabelled):  # "Title. Site." is CS1, not a hand-typed list
        return None
    commas = [strip_punct(p) for p in re.split(r"(?:(?<!\s)\s+)?،\s*", body)]
    if len(commas) >= 3:
        return [p for p in commas if p]
    return None


# "Smith J, Doe A. Title. J Clin Invest. 2001 Mar;12(3):45–67." (NLM / Vancouver; some copies
# print a stop for the semicolon: "2010 Mar 23. 107(12):5500–04.")
_VANCOUVER_LINE = re.compile(
    r"^(?P<names>[^.\"“«()\d]{2,300}?)\.\s+(?P<title>[^\"“«]{3,400}?[.?!])\s+(?P<journal>[^.;\d]"
    r"[^;]{0,120}?)\.?\s+(?P<date>(?:1[5-9]|20)\d\d(?:\s+[A-Z][a-z]{2}(?:\s+\d{1,2})?)?)\s*(?:;|\.(?=\s*\d))\s*"
    r"(?P<vol>\w+)?\s*(?:\((?P<iss>[^)]+)\))?\s*(?::\s*(?P<pages>[\w]+(?:\s*[–—-]\s*\w+)?))?"
    r"(?P<rest>[.\s\x1f]*)$")


def _vancouver(match: re.Match[str], csl: dict[str, Any], locator: str | None,
               label: str | None, notes: list[str]) -> ParsedLine:
    """The fields of a Vancouver-style journal reference."""
    csl["author"] = parse_names(re.sub(r",\s*", "; ", match.group("names")))
    csl["title"] = strip_punct(match.group("title")) if not match.group("title").endswith(
        ("?", "!")) else match.group("title")
    csl["container-title"] = strip_punct(match.group("journal"))
    year, _, day_month = match.group("date").partition(" ")
    month_day = day_month.split()
    csl["issued"] = parse_date(" ".join([*month_day[::-1], year])) or year  # "4 Mar 2010"
    for key in ("volume", "issue"):
        if match.group(key[:3] if key == "volume" else "iss"):
            csl[key] = match.group("vol" if key == "volume" else "iss")
    set_pages(csl, match.group("pages"))
    csl["type"] = "article-journal"
    return ParsedLine(ordered(csl), locator, label, notes)


# Hand-typed Latin references that name the authors first without a date.
NAMES_COLON = re.compile(r"^(?P<names>[^:\"“«()\d\u0600-\u06ff]{2,120}?)\s*:\s+"
                         r"(?P<rest>[^\"“«\s].*)$")
GIVEN_FAMILY_FIRST = re.compile(r"^(?P<name>(?:[A-Z][a-z]+\s+)?(?:[A-Z]\.\s*){1,3}"
                                rf"{CAPITALISED_WORD}),\s+(?P<rest>[A-Z][^,]{{10,}}.*)$")


def short_citation(state: LineState) -> ParsedLine | None:
    """A Harvard or hand-typed short citation ("Rosen 2005, p. 22.", "ابن مماتي ص182"), or None."""
    text, csl, notes = state.text, state.csl, state.notes
    harvard = HARVARD.match(text.strip()) if not csl.get("accessed") else None
    if harvard is None and not csl.get("accessed") and not _FULL_REFERENCE_SIGNS.search(text):
        harvard = _HARVARD_THEN_NOTE.match(text.strip())
        if harvard:
            notes.append(f"note: {strip_punct(harvard.group('note'))}")
    if harvard and (harvard.group("year") or harvard.group("loc")):
        # "Rosen 2005, p. 22.", "Landau and Lifshitz, p. 31." ({{sfn}} / Harvard notes)
        names = re.sub(r",?\s+et al\.?$", "", harvard.group("names"))
        csl["author"] = [{"family": n} for n in re.split(r",\s*(?:and\s+|&\s*)?|\s+(?:and|&)\s+",
                                                         names) if n]
        if harvard.group("year"):
            csl["issued"] = harvard.group("year")[:4]
        notes.append("short citation")
        loc = harvard.group("loc")
        kind = _LOCATOR_LABELS.get((harvard.group("label") or "").casefold(), "page")
        return ParsedLine(ordered(csl), re.sub(r"\s*[–—]\s*", "–", loc) if loc else None,
                          kind if loc else None, notes)
    short = _SHORT_CITE.match(text.strip())
    if short and len(short.group("name").split()) <= 4 and not csl.get("accessed"):
        # "ابن مماتي ص182": who and where, the full reference is elsewhere in the list
        name = strip_punct(short.group("name"))
        # a Latin short cite names the author by family name, as Harvard cites do
        csl["author"] = [{"literal": name} if re.search(r"[^\x00-\u024f\s'’.-]", name)
                         else {"family": name}]
        if short.group("year"):
            csl["issued"] = short.group("year")
        if short.group("vol"):
            csl["volume"] = short.group("vol")
        notes.append("short citation")
        page = re.sub(r"\s*[–—]\s*", "–", short.group("page"))
        return ParsedLine(ordered(csl), page, "page", notes)
    return None


def vancouver_line(state: LineState) -> ParsedLine | None:
    """A Vancouver journal line ("Smith J, Doe A. Title. J Abbrev. 2001;12(3):45–67."), or None."""
    vancouver = _VANCOUVER_LINE.match(state.text.strip())
    if vancouver and all(VANCOUVER_NAME.fullmatch(n.strip()) for n in re.split(r",\s*", re.sub(
            r",?\s*et al$", "", vancouver.group("names")))):
        return _vancouver(vancouver, state.csl, state.locator, state.label, state.notes)
    return None
