"""The one entry point: every cited work of an article, merged by work."""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.citations.detect import (
    BARE_LINK,
    CITE_OPEN,
    looks_like_lone_reference,
    looks_like_reference,
)
from toolkit.citations.labelled import cited_page, is_labelled
from toolkit.citations.model import Occurrence, ParsedLine, Work, ordered
from toolkit.citations.rendered import parse_rendered
from toolkit.citations.text import clean, norm_key
from toolkit.citations.wikitext import parse_template
from toolkit.errors import InputError, Problem


def work_key(csl: dict[str, Any]) -> str:
    """Which work a citation names: first author's family name and title, compared loosely."""
    title = norm_key(str(csl.get("title", "")))
    names = csl.get("author") or csl.get("editor") or []
    first = names[0] if names else {}
    who = norm_key(str(first.get("family") or first.get("literal") or ""))
    return f"{who}|{title}" if title else ""


def _merge(into: dict[str, Any], other: dict[str, Any]) -> None:
    """Fill gaps in ``into`` from ``other``; prefer the more precise date and fuller names."""
    for key, value in other.items():
        missing = key not in into or into[key] in (None, "", [])
        finer_date = key in ("issued", "accessed") and not missing and len(str(value)) > len(
            str(into[key])) and str(value).startswith(str(into[key]))
        if missing or finer_date:
            into[key] = value
        elif key in ("author", "editor") and len(value) == len(into[key]):
            for mine, theirs in zip(into[key], value, strict=True):
                for part in ("given", "family"):
                    if len(theirs.get(part, "")) > len(mine.get(part, "")) and \
                            theirs.get(part, "").startswith(mine.get(part, "")):
                        mine[part] = theirs[part]


def _short_key(name: dict[str, str]) -> str:
    """The word a short citation names its author by: the family name or the last word."""
    text = name.get("family") or name.get("literal") or ""
    return norm_key(text.split()[-1]) if text.split() else ""


_REF_OPEN = re.compile(r"<ref(?:\s[^>/]*)?>", re.I)
_REF_CLOSE = re.compile(r"</ref\s*>", re.I)


def _ref_tags(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, body) of each <ref>…</ref>, the first closing tag ending it.

    What ``<ref…>(?P<body>.*?)</ref\\s*>`` finds, without scanning to the end of the text
    again from each <ref> that is never closed (quadratic in an article of unclosed refs).
    """
    pos = 0
    while (opening := _REF_OPEN.search(text, pos)) is not None:
        closing = _REF_CLOSE.search(text, opening.end())
        if closing is None:
            return  # no closing tag after this one, so none after any later <ref> either
        yield opening.start(), closing.end(), text[opening.end():closing.start()]
        pos = closing.end()


@dataclass
class _Collector:
    """The works in the order first cited, merged by work key, and short citations held back."""

    works: list[Work] = field(default_factory=list)
    by_key: dict[str, Work] = field(default_factory=dict)
    pending: list[tuple[ParsedLine, int, str]] = field(default_factory=list)
    # Cite Q lines whose Wikidata item printed no label ("Q118109726، ص. 305، QID:…")
    unlabelled_items: list[Work] = field(default_factory=list)

    def add(self, parsed: ParsedLine, line: int, source_text: str, origin: str) -> None:
        """One more occurrence: of a known work, of a new work, or a short citation held back."""
        if not parsed.csl.get("title"):
            if parsed.csl.get("author") and (parsed.locator or "short citation" in parsed.notes):
                self.pending.append((parsed, line, source_text))
            elif any(n.startswith("Wikidata item Q") for n in parsed.notes) or (
                    parsed.csl.get("URL") and set(parsed.csl) <= {"type", "URL", "accessed"}):
                # an item whose label did not print, or a reference that is a bare link
                csl = {k: v for k, v in parsed.csl.items() if k != "type"}
                self.unlabelled_items.append(Work(csl, [Occurrence(
                    line, source_text, parsed.locator, parsed.label)], list(parsed.notes), origin))
            return
        occurrence = Occurrence(line, source_text, parsed.locator, parsed.label)
        key = work_key(parsed.csl)
        work = self.by_key.get(key) if key else None
        if work is None:
            work = Work(dict(parsed.csl), [], list(parsed.notes), origin)
            self.works.append(work)
            if key:
                self.by_key[key] = work
        else:
            _merge(work.csl, parsed.csl)
            work.csl = ordered(work.csl)
            work.notes.extend(n for n in parsed.notes if n not in work.notes)
        work.occurrences.append(occurrence)

    def place_short_citations(self, short: bool) -> None:
        """Each held-back short citation joins the work by its author (and year), if listed.

        With ``short``, the citations of a Wikidata item whose label did not print are kept
        too, as works without a title (their notes name the item).
        """
        works = self.works
        if short:
            works.extend(self.unlabelled_items)
        # each work's author key once (works only gain occurrences here), not once per citation
        keys = [_short_key(w.csl["author"][0]) if w.csl.get("author") else "" for w in works]
        for parsed, number, line in self.pending:
            who = _short_key(parsed.csl["author"][0])
            year = str(parsed.csl.get("issued", ""))[:4]
            full = next((w for w, key in zip(works, keys, strict=True) if key and who
                         and key == who
                         and (not year or str(w.csl.get("issued", "")).startswith(year))), None)
            if full is not None:
                full.occurrences.append(Occurrence(number, line, parsed.locator, parsed.label))
            elif short:
                works.append(Work(dict(parsed.csl), [Occurrence(number, line, parsed.locator,
                                                                parsed.label)],
                                  list(parsed.notes), "rendered"))
                keys.append(who)


def _hand_written_refs(text: str, collector: _Collector, mode: str) -> str:
    """Parse each <ref>…</ref> holding a hand-written reference (no template) as rendered text.

    Returns ``text`` with those refs blanked (newlines kept), so that the line-by-line pass
    does not read them again.
    """
    line_of = _line_numbers(text)
    parts: list[str] = []
    kept_from = 0
    for start, end, body in _ref_tags(text):
        if CITE_OPEN.search(body) or len(clean(body)) < 15:
            continue
        tag = text[start:end]
        collector.add(improved(parse_rendered(body.replace("\n", " ")), body, mode), line_of(start),
                      tag, "rendered")
        parts += [text[kept_from:start], re.sub(r"[^\n]", " ", tag)]
        kept_from = end
    return "".join([*parts, text[kept_from:]])


def _line_numbers(text: str) -> Callable[[int], int]:
    """offset → its line number (1-based) in ``text``, without counting from the start each time.

    (``text.count("\\n", 0, offset)`` per citation made a long article quadratic.)
    """
    newlines = [m.start() for m in re.finditer("\n", text)]
    return lambda offset: bisect.bisect_left(newlines, offset) + 1


def _templates(text: str, collector: _Collector) -> set[int]:
    """Parse every citation template in ``text``; return the line numbers they occupy."""
    import mwparserfromhell

    code = mwparserfromhell.parse(text)
    line_of = _line_numbers(text)
    covered: set[int] = set()
    search_from = 0
    for template in code.filter_templates(recursive=True):
        parsed = parse_template(template)
        if parsed is None:
            continue
        source = str(template)
        offset = text.find(source, search_from)
        if offset < 0:
            offset = text.find(source)
        first = line_of(offset) if offset >= 0 else 0
        if offset >= 0:
            search_from = offset + len(source)
            covered.update(range(first, first + source.count("\n") + 1))
        collector.add(parsed, first, source, "wikitext")
    return covered


def extract_citations(text: str, short: bool = False, mode: str = "combined") -> list[Work]:
    """Every cited work in ``text`` (article, reference list or wikitext), merged by work.

    A short citation ("ابن مماتي ص182", "Smith 2001, p. 5") becomes one more occurrence of the
    work by that author when the list has its full reference; with ``short`` one whose full
    reference is not there is kept as a work without a title (valid CSL-JSON, not a source
    for a mapping, which needs a title). ``mode`` says how rendered lines are read: "rules",
    "labeller" or "combined" (see ``labeller.improve``).
    """
    collector = _Collector()
    blanked = _hand_written_refs(text, collector, mode)
    if CITE_OPEN.search(text):
        covered = _templates(text, collector)
        # Rendered lines may sit next to templates; skip the lines templates occupy.
        lines = [(n, s) for n, s in enumerate(blanked.splitlines(), 1) if n not in covered]
    else:
        lines = list(enumerate(blanked.splitlines(), 1))
    nonempty = [(n, line) for n, line in lines if line.strip()]
    single = len(nonempty) == 1 and len(text.strip().splitlines()) == 1
    for number, line in lines:
        if looks_like_reference(line) or (single and looks_like_lone_reference(line)) or (
                short and BARE_LINK.match(line)) or (
                mode != "rules" and is_labelled(line)):
            collector.add(improved(parse_rendered(line), line, mode), number, line, "rendered")
    collector.place_short_citations(short)
    return collector.works


def read_article(path: str | os.PathLike[str]) -> str:
    """The text of an article file, or an InputError naming the file."""
    file = Path(path)
    try:
        return file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(Problem(str(file), 0, 0, "no such file", "input")) from None
    except IsADirectoryError:
        raise InputError(Problem(str(file), 0, 0, "is a folder, not a text file",
                                 "input")) from None
    except UnicodeDecodeError as exc:
        line = file.read_bytes()[: exc.start].count(b"\n") + 1
        raise InputError(Problem(str(file), line, 0, f"not UTF-8 text ({exc.reason})",
                                 "input")) from None


def parse_reference(text: str) -> dict[str, Any]:
    """The CSL fields of one reference (rendered or a single template); {} if none."""
    if CITE_OPEN.search(text):
        import mwparserfromhell

        for template in mwparserfromhell.parse(text).filter_templates(recursive=True):
            parsed = parse_template(template)
            if parsed is not None:
                return parsed.csl
        return {}
    return improved(parse_rendered(text), text, "combined").csl


def improved(parsed: ParsedLine, text: str, mode: str) -> ParsedLine:
    """The rules' reading of a rendered line combined with the labeller's (labeller.py)."""
    from toolkit.citations.labeller import improve

    csl, provenance = improve(parsed.csl, text, mode)
    if csl is parsed.csl:
        return parsed
    others = sorted(f"{k}={v}" for k, v in provenance.items() if v != "rules")
    if all(v == "rules:labelled" for v in provenance.values()):
        locator = cited_page(csl)
        return ParsedLine(ordered(csl), locator, "page" if locator else None,
                          ["fields by rules:labelled (label: value)"])
    return ParsedLine(ordered(csl), parsed.locator, parsed.label,
                      [*parsed.notes, f"fields by {', '.join(others)}"])
