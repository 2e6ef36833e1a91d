"""Identifier checks and normal forms; atomic writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit import identifiers as ids
from toolkit.files import write_atomic


@pytest.mark.parametrize(("raw", "hyphenated"), [
    ("9789402415537", "978-94-024-1553-7"),
    ("978-1843925248", "978-1-84392-524-8"),
    ("ISBN:9781925304336", "978-1-925304-33-6"),
    ("1843925249", "1-84392-524-9"),
])
def test_hyphenate_isbn(raw: str, hyphenated: str) -> None:
    assert ids.hyphenate_isbn(raw) == hyphenated


@pytest.mark.parametrize("bad", ["9789402415538", "97894024155", "abc", "", "1843925248"])
def test_invalid_isbn(bad: str) -> None:
    assert not ids.isbn_valid(bad)
    assert ids.hyphenate_isbn(bad) is None


@given(st.lists(st.integers(0, 9), min_size=9, max_size=9))
def test_isbn10_to_13_round_trip(digits: list[int]) -> None:
    body = "".join(map(str, digits))
    total = sum((10 - i) * d for i, d in enumerate(digits))
    check = (11 - total % 11) % 11
    isbn10 = body + ("X" if check == 10 else str(check))
    assert ids.isbn_valid(isbn10)
    thirteen = ids.isbn13(isbn10)
    assert thirteen is not None and thirteen.startswith("978") and ids.isbn_valid(thirteen)
    assert ids.isbn10(thirteen) == isbn10


@given(st.from_regex(r"97[89][0-9]{10}", fullmatch=True))
def test_isbn13_check_digit_agrees_with_isbnlib(digits: str) -> None:
    import isbnlib

    assert ids.isbn_valid(digits) == bool(isbnlib.is_isbn13(digits)) or len(set(digits)) == 1


@given(st.text(alphabet="0123456789X-", max_size=17))
def test_isbn_validity_agrees_with_isbn13(text: str) -> None:
    assert ids.isbn_valid(text) == (ids.isbn13(text) is not None)


@pytest.mark.parametrize(("issn", "ok"), [("0317-8471", True), ("0317-8472", False),
                                          ("2049-3630", True), ("1050-124x", True),
                                          ("1050-1249", False), ("12345678", False)])
def test_issn(issn: str, ok: bool) -> None:
    assert ids.issn_valid(issn) is ok


def test_doi_normal_form() -> None:
    assert ids.normalize_doi("https://doi.org/10.1007/978-94-024-1555-1_12") == \
        "10.1007/978-94-024-1555-1_12".upper()
    assert ids.normalize_doi("doi:10.1000/abc") == "10.1000/ABC"
    assert ids.normalize_doi("10.1000 /abc") is None
    assert not ids.doi_valid("11.1000/abc")


@pytest.mark.parametrize(("text", "parsed"), [
    ("2018", (2018, None, None)), ("2020-02", (2020, 2, None)),
    ("2020-02-29", (2020, 2, 29)), ("2019-02-29", None), ("2019-13", None), ("May 2019", None),
])
def test_parse_iso_date(text: str, parsed: tuple | None) -> None:
    assert ids.parse_iso_date(text) == parsed


def test_qid_syntax() -> None:
    assert ids.is_qid("Q42") and not ids.is_qid("Q042") and not ids.is_qid("P31")
    assert ids.is_pid("P31") and not ids.is_pid("Q1")


def test_write_atomic_leaves_old_file_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                 ) -> None:
    target = tmp_path / "out.json"
    write_atomic(target, "old")

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_write_atomic_gives_normal_permissions(tmp_path: Path) -> None:
    target = write_atomic(tmp_path / "new.txt", "x")
    assert target.stat().st_mode & 0o777 == 0o666 & ~_current_umask()


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
