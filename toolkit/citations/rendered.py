"""Rendered CS1/CS2 references (Arabic and English Wikipedia output), step by step."""

from __future__ import annotations

import re

from toolkit import identifiers
from toolkit.citations.assign import assign_plain, finish
from toolkit.citations.elements import read_elements, set_aside, take_editors_and_numbers
from toolkit.citations.freeform import short_citation, vancouver_line
from toolkit.citations.head import take_head, take_title
from toolkit.citations.markup import (
    BACKLINK,
    ERROR_MSG,
    NOISE,
    NOT_THE_WORK,
    copy_spacing,
    unwrap_markup,
)
from toolkit.citations.model import LineState, ParsedLine
from toolkit.citations.patterns import (
    ACCESSED,
    ACCESSED_NO_YEAR,
    ARABIC_LANGUAGES,
    ARABIC_VARIETIES,
    ARCHIVE,
    BARE_END_PAGE,
    DOI,
    EDITION,
    END_LOCATOR,
    GENRE,
    ISBN,
    ISSN,
    LANG,
    LANG_CODES,
    LANG_CODES_BY_CODE,
    LANG_LEAKED,
    LANG_VARIETIES,
    MEDIUM,
    OTHER_ID,
    TRAILING_LOCATOR,
    URL,
)
from toolkit.citations.text import SEP_PLACEHOLDER, clean, parse_date, strip_punct
from toolkit.citations.wikitext import CITE_TEMPLATES, template_name

_UNRESOLVED_ITEM = re.compile(r"^\s*(?P<q>Q\d{2,})(?=\s*[،,.;]|\s*$)\s*[،,.;]?")


def _take(pattern: re.Pattern[str], text: str) -> tuple[list[re.Match[str]], str]:
    """The matches of ``pattern``, and ``text`` with each replaced by the separator mark."""
    matches = list(pattern.finditer(text))
    return matches, pattern.sub(SEP_PLACEHOLDER, text)


def parse_rendered(raw: str) -> ParsedLine:
    """Parse one rendered reference (CS1 ``.``-separated or CS2 ``،``/``,``-separated).

    Each step reads one kind of piece and takes it out of ``state.text``: noise and back-links,
    archive and access notes, a short citation (done), the trailing locator, identifiers and
    bracketed markers, a Vancouver line (done), the head (authors, date), the title, editors
    and Arabic volume labels, then the remaining elements, assigned by what they look like and
    by position.
    """
    state = _strip_noise(raw)
    _take_archive_and_access(state)
    if (short := short_citation(state)) is not None:
        return short
    _take_trailing_locator(state)
    _take_identifiers(state)
    _take_markers(state)
    if (vancouver := vancouver_line(state)) is not None:
        return vancouver
    take_head(state)
    take_title(state)
    take_editors_and_numbers(state)
    plain = set_aside(read_elements(state), state.csl, state.notes, state.title_quoted,
                      state.comma_style)
    assign_plain(state, plain)
    finish(state)
    return state.result()


_LEADING_HONORIFIC = re.compile(r"^(\s*(?:[-•]\s*)?)(?:[أا]\.\s?د|د|الدكتورة?|الأستاذة?)[.،]\s*"
                                r"(?=[\u0621-\u064a]{2,}\s+[\u0621-\u064a]{2,})")


_GLUED_STOP = re.compile(r"(?<=[\u0621-\u064a]{2})\.(?![اأ]ورغ|[اأ]ورج|كوم|نت|شبكة|موقع|مصر|"
                         r"السعودية|امارات|الإمارات|قطر|عمان|تونس|الجزائر|المغرب|الاردن|"
                         r"الأردن|سوريا|فلسطين|السودان|اليمن|موريتانيا|ليبيا|البحرين|الكويت|"
                         r"العراق|لبنان)(?=[\u0621-\u064a]{2})")


def _strip_noise(raw: str) -> LineState:
    """The line without markup, back-link, format notes and leaked template messages."""
    notes: list[str] = []
    text, link_url = unwrap_markup(clean(raw))
    text = BACKLINK.sub("", text, count=1)
    text = text.replace("*", "").replace("''", "")
    # "د. سامي عادل، …", "أ.د. منى سالم، …": a person's title first is no element of the line
    text = _LEADING_HONORIFIC.sub(r"\1", text, count=1)
    # "…التنوع الحيوي.دوار الشمس": a copy lost the blank after a stop between Arabic words
    # (not an Arabic domain: "المثال.كوم", "العربية.نت")
    text = _GLUED_STOP.sub(". ", text)
    text = copy_spacing(re.sub(r"[ \t]+", " ", NOISE.sub("", text)))
    # Template error messages are noise that must never reach a field.
    type_hint = None
    # The maintenance message says what the lone element is: a place without a publisher.
    place_only = "location missing publisher" in text
    if ERROR_MSG.search(text):
        notes.append("template error message dropped")
        named = re.search(r"\{\{([^{}|]{1,60})\}\}\s*:", text)
        type_hint = CITE_TEMPLATES.get(template_name(named.group(1))) if named else None
        text = ERROR_MSG.sub(SEP_PLACEHOLDER, text)
    return LineState(text, notes=notes, link_url=link_url, type_hint=type_hint,
                     place_only=place_only)


def _take_archive_and_access(state: LineState) -> None:
    """Archive notes (kept as notes) and the access date."""
    for archived in ARCHIVE.finditer(state.text):
        date = (archived.group("date") or archived.group("date2") or archived.group("date3")
                or archived.group("date4"))
        iso = parse_date(date or "")
        state.notes.append(f"archived {iso or strip_punct(date or '')}")
    state.text = ARCHIVE.sub(SEP_PLACEHOLDER, state.text)
    state.bot_access = "تاريخ الولوج" in state.text
    for access in ACCESSED.finditer(state.text):
        iso = parse_date(access.group("date") or access.group("date2") or "")
        if iso:
            state.csl["accessed"] = iso
    state.text = ACCESSED.sub(SEP_PLACEHOLDER, state.text)
    for partial in ACCESSED_NO_YEAR.finditer(state.text):
        state.notes.append(f"accessed {partial.group('date')} (no year)")
    state.text = ACCESSED_NO_YEAR.sub(SEP_PLACEHOLDER, state.text)
    # "(accessed 3 May 2015)": the brackets the note stood in are left empty
    state.text = re.sub(r"\(\s?\x1f\s?\)", SEP_PLACEHOLDER, state.text)


def _take_trailing_locator(state: LineState) -> None:
    """The locator typed after the template, only when it follows the citation proper."""
    match = TRAILING_LOCATOR.search(state.text)
    if not match:
        _take_end_locator(state)
        return
    before = state.text[: match.start()].rstrip()
    after_ident = bool(re.search(r"(?:\x1f|[\dXx]|\))\s*$", before)) and bool(
        re.search(r"(?:ISBN|ردمك|doi|DOI|\x1f)[^\x1f]*$|\x1f\s*$", before))
    has_pages_already = bool(re.search(r"(?:ص\.|pp?\.)\s*\d|:\s*\d+\s*[–-]\s*\d+", before))
    if match.group("word") and (before.endswith((".", ")", SEP_PLACEHOLDER))):
        state.locator, state.label = match.group("word"), None
        state.text = before
    elif match.group("loc") and (after_ident or has_pages_already):
        state.locator = match.group("loc").strip()
        state.label = "page" if match.group("label").lower().startswith(("p", "ص")) else None
        state.text = before
    else:
        _take_end_locator(state)


def _take_end_locator(state: LineState) -> None:
    """A hand-typed book's "…, p. 19." / "…، ص 230" / "…, Chapter 3." at the end of the line."""
    match = END_LOCATOR.search(state.text)
    if not match:
        if (bare := BARE_END_PAGE.search(state.text)):
            state.locator, state.label = bare.group("loc"), "page"
            state.text = state.text[: bare.start()] + "." + SEP_PLACEHOLDER
        return
    label = match.group("label").lower()
    chapter = label.startswith("ch")
    state.locator = re.sub(r"\s*[–—−‒]\s*", "–", match.group("loc").strip())
    state.label = "chapter" if chapter else "page"
    # the label as printed: a chapter's or an article's "p. N" is its page (assign.finish)
    state.printed_label = None if chapter else match.group("label")
    state.text = state.text[: match.start()] + SEP_PLACEHOLDER


def _take_identifiers(state: LineState) -> None:
    """ISBN, ISSN, DOI, PMID/PMCID (other identifiers become notes) and the URL."""
    csl, text = state.csl, state.text
    for key, pattern in (("ISBN", ISBN), ("ISSN", ISSN), ("DOI", DOI)):
        found, text = _take(pattern, text)
        if found:
            value = found[0].group("v").strip().rstrip(".")
            if key == "ISBN":
                value = identifiers.hyphenate_isbn(value) or re.sub(r"\s", "", value)
            elif key == "ISSN":
                value = identifiers.normalize_issn(value) or value
            csl[key] = value
    if (unresolved := _UNRESOLVED_ITEM.match(text)):
        # Cite Q whose item label did not load prints the bare id where author and title go
        state.notes.append(f"Wikidata item {unresolved.group('q')} (label not rendered)")
        text = SEP_PLACEHOLDER + text[unresolved.end():]
    others, text = _take(OTHER_ID, text)
    for other in others:
        name, value = other.group("id"), other.group("v")
        if name == "PMID":
            csl.setdefault("PMID", value)
        elif name in ("PMC", "PMCID"):
            csl.setdefault("PMCID", value if value.startswith("PMC") else f"PMC{value}")
        else:
            state.notes.append(f"{name} {value}")
    urls, state.text = _take(_LABELLED_URL, text)
    link_url = state.link_url
    doi_url = next((u for u in [link_url or ""] + [u.group("url") for u in urls]
                    if re.match(r"https?://(?:dx\.)?doi\.org/10\.", u)), None)
    if doi_url and "DOI" not in csl:
        csl["DOI"] = re.sub(r"^https?://(?:dx\.)?doi\.org/", "", doi_url).rstrip(".,)")
    if link_url:
        csl["URL"] = link_url
    elif (work_url := next((u for u in (m.group("url").rstrip(".,)،؛") for m in urls)
                            if not NOT_THE_WORK.match(u)), None)):
        csl["URL"] = work_url



# A link and the label a line prints before it ("URL:", "متاح على:", "Available online at")
_LABELLED_URL = re.compile(r"(?:(?<![^\s(])(?:URL|وصلة|الرابط|متاح (?:على|في)|متوفر (?:على|في)|"
                           r"(?:[Aa]vailable|[Ff]ound) (?:online )?(?:at|from)|[Oo]nline at)"
                           r"\s?:?\s*)?(?P<url>" + URL.pattern + ")")


def _take_markers(state: LineState) -> None:
    """Bracketed markers: a thesis or report genre, an edition, a language."""
    csl = state.csl
    genres, state.text = _take(GENRE, state.text)
    if genres:
        csl["type"] = "thesis" if genres[0].group("thesis") else "report"
    media, state.text = _take(MEDIUM, state.text)
    state.notes.extend(f"medium: {m.group(0)[1:-1]}" for m in media)
    editions, state.text = _take(EDITION, state.text)
    if editions:
        csl["edition"] = (editions[0].group("v") or editions[0].group("v2") or "").strip()
    langs, state.text = _take(LANG, state.text)
    if langs:
        code = _language_code(langs[0])
        if code:
            csl["language"] = code
        else:
            state.notes.append(f"language note {langs[0].group(0)}")
    leaked, state.text = _take(LANG_LEAKED, state.text)
    if leaked:
        # "(بEnglish)": the English name CS1 leaks after "ب"; never part of a name
        state.notes.append(f"language note {leaked[0].group(0)}")
        code = LANG_CODES.get(leaked[0].group("v").casefold())
        if code and "language" not in csl:
            csl["language"] = code


def _language_code(lang: re.Match[str]) -> str | None:
    """The code of a language note; none for several languages or a variety CS1 has no code for.

    "(بالإنجليزية البريطانية)" / "(in British English)" name a variety: it is not the language
    code the citation gave, so neither "en" nor a guess is written.
    """
    if lang.group("more"):
        return None
    if lang.group("code"):
        return lang.group("code")
    if lang.group("ar"):
        name = re.sub("^[أإآ]", "ا", lang.group("ar"))
        arvariety = lang.group("arvariety")
        if not arvariety:
            return ARABIC_LANGUAGES.get(name)
        english = LANG_CODES_BY_CODE.get(ARABIC_LANGUAGES.get(name, ""), "")
        variety = ARABIC_VARIETIES.get(re.sub("^ال[أإآ]?", "", arvariety).replace("أ", "ا"))
        return LANG_VARIETIES.get(f"{variety} {english}") if variety else None
    variety = f"{lang.group('variety') or ''} {lang.group('v') or ''}".strip().casefold()
    if lang.group("variety"):
        return LANG_VARIETIES.get(variety)
    return LANG_CODES.get(lang.group("v").casefold())
