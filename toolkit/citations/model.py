"""The data model: works, their occurrences, parsed lines, and CSL field order."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from toolkit.citations.text import ARABIC_DIGITS, csl_date


@dataclass
class Occurrence:
    """One place a work is cited: the line, its text, and the locator given there."""

    line: int
    text: str
    locator: str | None = None
    label: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The occurrence as JSON (the label only with a locator)."""
        out: dict[str, Any] = {"line": self.line, "text": self.text}
        if self.locator is not None:
            out["locator"] = self.locator
            out["label"] = self.label
        return out


@dataclass
class Work:
    """A cited work: CSL fields (``issued``/``accessed`` as ISO strings) and occurrences."""

    csl: dict[str, Any]
    occurrences: list[Occurrence] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    origin: str = "rendered"  # rendered | wikitext

    def to_csl_json(self, item_id: str) -> dict[str, Any]:
        """The work as a CSL-JSON item (dates as date-parts) with its source texts."""
        item: dict[str, Any] = {"id": item_id}
        for key, value in self.csl.items():
            item[key] = csl_date(value) if key in ("issued", "accessed") else value
        item["_citations"] = [o.to_json() for o in self.occurrences]
        if self.notes:
            item["note"] = "; ".join(self.notes)
        return item


CSL_ORDER = ("type", "title", "author", "editor", "issued", "container-title", "volume",
             "issue", "page", "chapter-number", "publisher", "publisher-place", "collection-title",
             "collection-number", "ISBN", "ISSN", "DOI", "URL", "accessed", "language")


# Noise that must never reach a field, whatever the parser made of a damaged line.
_FIELD_NOISE = re.compile(r"\{\{|\}\}|\((?:مساعدة|help)\)|تجاهل المحلل[^.،]*|CS1 maint:?.*$")


# A pipe and the blanks around it; "(?:(?<!\s)\s+)?" takes the blanks before it from the start of
# their run only (``\s*`` would retry the run from each blank in it: quadratic on a long run).
_PIPE = re.compile(r"(?:(?<!\s)\s+)?\|\s*")


def _pipe(match: re.Match[str]) -> str:
    """A pipe between blanks (or underscores) inside a value is the title's own ("Page | Site");
    others are wikitext's ("|x=", a pipe at either end) and become a dash."""
    piece, whole = match.group(0), match.string
    inside = match.start() > 0 and match.end() < len(whole)
    if piece == "|" and inside and whole[match.start() - 1] == "_" == whole[match.end()]:
        return "|"  # "Page_title_|_Site": a page title copied with its underscores
    return " | " if inside and piece[0].isspace() and piece[-1].isspace() else " – "


def _scrub(value: Any) -> Any:
    """A field value without template remnants, error messages or wikitext pipes."""
    if isinstance(value, str):
        value = _FIELD_NOISE.sub(" ", value)
        value = _PIPE.sub(_pipe, value.strip())
        return re.sub(r"\s+", " ", value).strip(" –|")
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items()}
    return value


# "Chapter 12: Title" / "الفصل 12: Title": the number is CSL's chapter-number, not the title.
_CHAPTER_PREFIX = re.compile(
    r"^(?:Chapter|Ch\.|الفصل)\s*(?P<n>[0-9٠-٩]+|[IVXLC]+)\s*[:.–—-]\s*(?P<title>\S.*)$",
    re.IGNORECASE)


def ordered(csl: dict[str, Any]) -> dict[str, Any]:
    """Scrubbed, non-empty fields in CSL order; a chapter's "Chapter 12:" split off."""
    csl = {k: _scrub(v) for k, v in csl.items()}
    match = _CHAPTER_PREFIX.match(str(csl.get("title") or ""))
    if csl.get("type") == "chapter" and match and not csl.get("chapter-number"):
        csl["title"] = match.group("title")
        csl["chapter-number"] = match.group("n").translate(ARABIC_DIGITS)
    out = {k: csl[k] for k in CSL_ORDER if k in csl and csl[k] not in (None, "", [])}
    out.update({k: v for k, v in csl.items() if k not in out and v not in (None, "", [])})
    return out


@dataclass
class ParsedLine:
    """The result of parsing one reference: fields, locator, and what was dropped."""

    csl: dict[str, Any]
    locator: str | None = None
    label: str | None = None
    notes: list[str] = field(default_factory=list)


def set_pages(csl: dict[str, Any], pages: str | None) -> None:
    """Set the page range (en dash, no spaces) unless one is already set."""
    if pages and "page" not in csl:
        csl["page"] = re.sub(r"\s*[–—−‒]\s*", "–", pages.strip())


@dataclass
class LineState:
    """What the steps of :func:`parse_rendered` found so far in one line, and what is left.

    ``text`` is the part still to be read; a step that takes a piece out leaves the separator
    mark in its place, so the elements around it stay apart.
    """

    text: str
    csl: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    link_url: str | None = None
    type_hint: str | None = None
    place_only: bool = False
    locator: str | None = None
    label: str | None = None
    printed_label: str | None = None  # the label as printed ("p.", "ص."), for the finish
    bot_access: bool = False  # "تاريخ الولوج": a bot's "Site. Title. تاريخ الولوج date." line
    comma_style: bool = False
    pre_titled: bool = False
    title_quoted: bool = False

    def result(self) -> ParsedLine:
        """The parsed line: ordered fields, locator and notes."""
        return ParsedLine(ordered(self.csl), self.locator, self.label, self.notes)
