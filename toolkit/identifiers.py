"""Identifier syntax, check digits and the normal forms Wikidata stores.

QIDs/PIDs, ISBN-10/13 (hyphenated with the ISBN agency's range data shipped in isbnlib,
no network), ISSN, DOI (Wikidata stores DOIs upper-case), and full or partial ISO dates.
"""

from __future__ import annotations

import re
from functools import cache
from types import ModuleType

QID_RE = re.compile(r"^Q[1-9][0-9]*$")
PID_RE = re.compile(r"^P[1-9][0-9]*$")
# Crossref's recommended pattern covers almost all DOIs in use; we also accept any
# printable suffix without whitespace, as the DOI handbook allows.
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
ISSN_RE = re.compile(r"^(\d{4})-?(\d{3}[\dXx])$")
ISO_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def is_qid(value: object) -> bool:
    """True for an item id such as ``Q42``."""
    return isinstance(value, str) and bool(QID_RE.match(value))


def is_pid(value: object) -> bool:
    """True for a property id such as ``P31``."""
    return isinstance(value, str) and bool(PID_RE.match(value))


@cache
def _isbnlib() -> ModuleType:
    """isbnlib (for its range table), imported on first use: it costs ~40 ms."""
    import isbnlib

    return isbnlib


def _isbn_digits(value: str) -> str:
    return re.sub(r"[\s\-‐‑–]", "", value.strip()).upper().removeprefix("ISBN:").removeprefix(
        "ISBN"
    )


def _isbn13_check(first12: str) -> str:
    return str((10 - sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(first12)) % 10) % 10)


def _isbn10_check(first9: str) -> str:
    check = (11 - sum(int(c) * (10 - i) for i, c in enumerate(first9)) % 11) % 11
    return "X" if check == 10 else str(check)


def isbn_valid(value: str) -> bool:
    """True when ``value`` is an ISBN-10 or ISBN-13 with a correct check digit."""
    digits = _isbn_digits(value)
    if len(digits) == 13 and digits.isdigit() and digits[:3] in ("978", "979"):
        return digits[12] == _isbn13_check(digits[:12])
    if len(digits) == 10 and digits[:9].isdigit() and (digits[9].isdigit() or digits[9] == "X"):
        return digits[9] == _isbn10_check(digits[:9])
    return False


def isbn13(value: str) -> str | None:
    """The bare 13-digit form of a valid ISBN-10 or -13, else None."""
    if not isbn_valid(value):
        return None
    digits = _isbn_digits(value)
    if len(digits) == 13:
        return digits
    first12 = "978" + digits[:9]
    return first12 + _isbn13_check(first12)


def isbn10(value: str) -> str | None:
    """The bare ISBN-10 of a valid ISBN (None for 979- ISBNs, which have none)."""
    canonical = isbn13(value)
    if canonical is None or not canonical.startswith("978"):
        return None
    return canonical[3:12] + _isbn10_check(canonical[3:12])


def hyphenate_isbn(value: str) -> str | None:
    """The hyphenated form Wikidata stores (``978-94-024-1553-7``), None if invalid.

    Keeps the length of the input (ISBN-10 stays ISBN-10). None also when the range is
    not known to the bundled range table, so a caller never stores a guessed split.
    """
    if not isbn_valid(value):
        return None
    digits = _isbn_digits(value)
    lib = _isbnlib()
    try:
        masked = lib.mask(digits)
    except lib.NotValidISBNError:  # e.g. placeholder ISBNs such as 0000000000
        return None
    return str(masked) if masked else None


def issn_valid(value: str) -> bool:
    """True for an ISSN (``NNNN-NNNC``) whose check character is right."""
    match = ISSN_RE.match(value.strip())
    if not match:
        return False
    chars = match.group(1) + match.group(2).upper()
    total = sum(int(c) * w for c, w in zip(chars[:7], range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return chars[7] == ("X" if check == 10 else str(check))


def normalize_issn(value: str) -> str | None:
    """``NNNN-NNNC`` with an upper-case X, or None if invalid."""
    if not issn_valid(value):
        return None
    match = ISSN_RE.match(value.strip())
    assert match is not None
    return f"{match.group(1)}-{match.group(2).upper()}"


def doi_valid(value: str) -> bool:
    """True for DOI syntax ``10.NNNN/suffix`` (no URL prefix, no whitespace)."""
    return bool(DOI_RE.match(value.strip()))


def normalize_doi(value: str) -> str | None:
    """The DOI as Wikidata stores it: prefix stripped, upper-case; None if invalid."""
    text = value.strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/",
                   "http://dx.doi.org/", "doi:", "DOI:"):
        if text.lower().startswith(prefix.lower()):
            text = text[len(prefix):]
            break
    return text.upper() if doi_valid(text) else None


def parse_iso_date(value: str) -> tuple[int, int | None, int | None] | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` → (year, month, day); None if not a date."""
    match = ISO_DATE_RE.match(value.strip())
    if not match:
        return None
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None:
        assert month is not None
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        limit = 29 if month == 2 and leap else (28 if month == 2 else _DAYS[month - 1])
        if not 1 <= day <= limit:
            return None
    return year, month, day

