"""Adversarial lines return: no citation pattern backtracks exponentially (or quadratically).

Not a timing test: each call runs under a generous ``signal.alarm`` of 5 s, and the inputs are
sized so that the patterns these tests guard (bench/bench_citations.py found them) would run
for minutes or for ever if they came back: a list of names ending in a comma for the Harvard
short-cite pattern (exponential), runs of digits after "PMID" and "p." (quadratic: 20,000
digits), runs of blanks and line breaks, many "pp." labels, archive or access words (quadratic:
40,000-60,000 characters).
"""

from __future__ import annotations

import re
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.citations import (
    extract_citations,
    looks_like_reference,
    parse_reference,
    parse_rendered,
)
from toolkit.citations.extract import _ref_tags
from toolkit.citations.freeform import HARVARD
from toolkit.citations.names import VANCOUVER_NAME, parse_names
from toolkit.citations.patterns import OTHER_ID, PAGES, TRAILING_LOCATOR

SECONDS = 5


@contextmanager
def alarm(seconds: int = SECONDS) -> Iterator[None]:
    """Fail (rather than hang) when the block runs longer than ``seconds``."""

    def expired(signum: int, frame: Any) -> None:
        raise TimeoutError(f"still running after {seconds} s: catastrophic backtracking?")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _repeat(unit: str, length: int, prefix: str = "", end: str = "") -> str:
    return (prefix + unit * (length // len(unit) + 1))[: length - len(end)] + end


ADVERSARIAL = {
    "harvard names, comma at the end": _repeat("Smith, ", 1000, end=","),
    "harvard names, bad end": _repeat("Smith, ", 5000, end=" !"),
    "capitalised words": _repeat("Ab", 5000, end="."),
    "pmid digits": _repeat("1", 20000, prefix="PMID ", end="!"),
    "page digits": _repeat("1", 20000, prefix="p. ", end="!"),
    "pp labels": _repeat("pp. 1, ", 60000),
    "ed words": _repeat("2nd ed. ", 60000, end=" !"),
    "blank run": _repeat(" \u2003\r\x0c", 20000, prefix='"Title". Journal', end="x!"),
    "line breaks": _repeat("\n", 40000, prefix='"Title". Journal', end="x !"),
    "archive words": _repeat("مؤرشف من الأصل في 1 ", 60000),
    "retrieved words": _repeat("Retrieved 1 ", 60000),
    "editor words": _repeat("في كلمة ", 60000),
    "quotes": _repeat('"a" ', 5000),
    "arabic commas": _repeat("، ", 5000),
    "mixed punctuation": _repeat('"., ،(1:', 5000, end=" !"),
}
CALLS: dict[str, Callable[[str], object]] = {
    "parse_rendered": parse_rendered,
    "looks_like_reference": looks_like_reference,
    "parse_reference": parse_reference,
    "extract_citations": extract_citations,
    "extract_citations in <ref>": lambda line: extract_citations(f"Text.<ref>{line}</ref>\n"),
}


@pytest.mark.parametrize("call", sorted(CALLS))
@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_adversarial_lines_return(name: str, call: str) -> None:
    with alarm():
        result = CALLS[call](ADVERSARIAL[name])
    assert result is not None


def test_the_harvard_pattern_fails_fast_on_a_list_of_names_without_an_end() -> None:
    with alarm():
        assert HARVARD.match(_repeat("Smith, ", 3000, end=",")) is None
        assert HARVARD.match("Rosen, Smith, Jones 2005, p. 22.") is not None


def test_vancouver_names_fail_fast_and_still_match() -> None:
    with alarm():
        assert VANCOUVER_NAME.fullmatch(_repeat("Ab", 20000, end=".")) is None
        assert parse_names(_repeat("Smith, ", 20000)) is not None
    assert VANCOUVER_NAME.fullmatch("McDonald-Smith JR") is not None


def test_number_patterns_fail_fast_on_long_runs_of_digits_and_still_match() -> None:
    digits = "1" * 20000
    with alarm():
        assert OTHER_ID.search(f"PMID {digits}!") is None
        assert TRAILING_LOCATOR.search(f"Title. p. {digits}!") is None
        assert PAGES.match(f"pp. {digits}!") is None
    assert OTHER_ID.search("PMID 12345678.").group("v") == "12345678"  # type: ignore[union-attr]
    assert TRAILING_LOCATOR.search("Title. ISBN 1. pp. 12–14.").group("loc") == "12–14"  # type: ignore[union-attr]


def test_an_article_of_unclosed_refs_is_read_in_linear_time() -> None:
    with alarm():
        assert extract_citations("<ref>a " * 200000) == []
        assert extract_citations("<ref>a\n" * 200000) == []


# The regex _ref_tags replaces: its matches are the reference for what _ref_tags yields.
_REF_TAG = re.compile(r"<ref(?:\s[^>/]*)?>(?P<body>.*?)</ref\s*>", re.S | re.I)
_TAG_PIECES = ["<ref>", "</ref>", "<REF name=x>", "</ref >", "<ref name=a/>", "a", "\n", "<ref",
               ">", "</ref\n>", "<ref x=<ref>", "</Ref>"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TAG_PIECES), max_size=30))
def test_ref_tags_finds_what_the_lazy_regex_finds(pieces: list[str]) -> None:
    text = "".join(pieces)
    expected = [(m.start(), m.end(), m.group("body")) for m in _REF_TAG.finditer(text)]
    assert list(_ref_tags(text)) == expected
