"""Tokens of a reference line and the per-token features the sequence labeller reads.

The tokenizer keeps Arabic and Latin words (with their diacritics), digit runs (Latin and
Arabic-Indic), URLs, and every other non-space character as a token of its own (so ``ص.``
is ``ص`` + ``.``, and ``64–183`` is ``64`` ``–`` ``183``). Each token keeps its character
offsets, so a labelled span maps back to the exact text of the line.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import NamedTuple

_LETTERS = r"(?:[^\W\d_]|[\u0610-\u061a\u064b-\u065f\u0670\u0640])"
TOKEN = re.compile(rf"https?://[^\s<>\"»”]+|{_LETTERS}+(?:['’]{_LETTERS}+)*|\d+|\S")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")

MONTHS = {
    "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "إبريل": 4, "ابريل": 4, "مايو": 5,
    "يونيو": 6, "يونيه": 6, "يوليو": 7, "يوليه": 7, "أغسطس": 8, "سبتمبر": 9, "أكتوبر": 10,
    "نوفمبر": 11, "ديسمبر": 12, "شباط": 2, "آذار": 3, "نيسان": 4, "أيار": 5, "حزيران": 6,
    "تموز": 7, "آب": 8, "أيلول": 9, "january": 1, "february": 2, "march": 3, "april": 4,
    "may": 5, "june": 6, "july": 7, "august": 8, "september": 9, "october": 10,
    "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
# Month names of two words (Levantine): the first word says "month", the second which.
_MONTH_WORDS = frozenset(("كانون", "تشرين", "الأول", "الثاني"))

# Words that announce a field (the cue, not the value).
CUES = {
    "ص": "page", "صص": "page", "صفحة": "page", "الصفحة": "page", "الصفحات": "page",
    "صفحات": "page", "p": "page", "pp": "page", "page": "page", "pages": "page",
    "ج": "volume", "مج": "volume", "المجلد": "volume", "مجلد": "volume", "الجزء": "volume",
    "vol": "volume", "volume": "volume", "ع": "issue", "العدد": "issue", "no": "issue",
    "issue": "issue", "number": "issue", "retrieved": "accessed", "اطلع": "accessed",
    "بتاريخ": "accessed", "عليه": "accessed", "accessed": "accessed", "archived": "archive",
    "مؤرشف": "archive", "الأصل": "archive", "original": "archive", "doi": "id", "isbn": "id",
    "issn": "id", "pmid": "id", "pmc": "id", "bibcode": "id", "arxiv": "id", "jstor": "id",
    "s2cid": "id", "oclc": "id", "ردمك": "id", "ردمد": "id", "hdl": "id", "في": "in",
    "in": "in", "المحررون": "editor", "المحرر": "editor", "ed": "editor", "eds": "editor",
    "editor": "editor", "editors": "editor", "وآخرون": "etal", "et": "etal", "al": "etal",
    "بالإنجليزية": "lang", "بالفرنسية": "lang", "بالألمانية": "lang", "english": "lang",
    "french": "lang", "german": "lang", "ط": "edition", "الطبعة": "edition",
    "edition": "edition", "press": "publisher", "university": "publisher",
    "جامعة": "publisher", "دار": "publisher", "مكتبة": "publisher", "مطبعة": "publisher",
    "publishing": "publisher", "publishers": "publisher", "books": "publisher",
    "journal": "container", "مجلة": "container", "review": "container",
    "proceedings": "container", "صحيفة": "container", "موقع": "container",
    "القاهرة": "place", "بيروت": "place", "london": "place", "new": "place",
    "york": "place", "oxford": "place", "cambridge": "place", "الرياض": "place",
    "دمشق": "place", "بغداد": "place", "عمان": "place", "paris": "place",
}
_PUNCT = {
    '"': "quote", "“": "qopen", "”": "qclose", "«": "qopen", "»": "qclose", "'": "quote",
    "(": "popen", ")": "pclose", "[": "popen", "]": "pclose", ".": "period", ",": "comma",
    "،": "comma", ";": "semi", "؛": "semi", ":": "colon", "–": "dash", "—": "dash",
    "-": "dash", "−": "dash", "^": "caret", "↑": "caret", "/": "slash", "?": "q", "؟": "q",
}


class Token(NamedTuple):
    """One token of a line and where it sits in the line's text (a tuple: made by the 10,000)."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text`` with their character offsets."""
    return [Token(m.group(0), *m.span()) for m in TOKEN.finditer(text)]


def normal(word: str) -> str:
    """A token's lexicon key: NFKC, case-folded, Latin digits, no tatweel or diacritics."""
    text = unicodedata.normalize("NFKC", word).casefold().translate(_DIGITS)
    return re.sub(r"[\u0640\u064b-\u065f\u0670]", "", text)


def _shape(word: str) -> str:
    if word.startswith("http"):
        return "URL"
    if _ARABIC.search(word):
        return "ar" if not word.translate(_DIGITS).isdigit() else "d"
    shape = re.sub(r"[A-Z]", "X", re.sub(r"[a-z]", "x", re.sub(r"\d", "d", word)))
    return re.sub(r"(.)\1+", r"\1\1", shape)


def _kind(word: str, key: str) -> str:
    if key.isdigit():
        number = int(key) if len(key) < 6 else 0
        if len(key) == 4 and 1500 <= number <= 2099:
            return "year"
        return "num" if len(key) < 4 else "longnum"
    if key in MONTHS or key in _MONTH_WORDS:
        return "month"
    if word in _PUNCT:
        return _PUNCT[word]
    if word.startswith("http"):
        return "url"
    if re.fullmatch(r"[ivxlcdm]+", key) and len(key) <= 6 and word.islower():
        return "roman"
    if _ARABIC.search(word):
        return "arword"
    if _LATIN.search(word):
        return "Cap" if word[:1].isupper() else "low"
    return "other"


@functools.lru_cache(maxsize=1 << 16)
def _word(word: str) -> tuple[str, str, tuple[str, ...]]:
    """The features of a word alone (cached: reference lists repeat their words)."""
    key = normal(word)
    kind = _kind(word, key)
    cue = CUES.get(key, "-")
    shape = _shape(word)
    own = (f"w={key}", f"k={kind}", f"sh={shape}", f"p3={key[:3]}", f"s3={key[-3:]}",
           f"cue={cue}")
    return kind, shape, own


@functools.lru_cache(maxsize=1 << 16)
def _near(word: str, offset: int) -> tuple[str, ...]:
    """The features a word gives the token ``offset`` places away."""
    key = normal(word)
    kind, shape, _ = _word(word)
    near = (f"{offset}:w={key}", f"{offset}:k={kind}", f"{offset}:cue={CUES.get(key, '-')}")
    return (*near, f"{offset}:sh={shape}") if abs(offset) == 1 else near


_SP = ("sp=0", "sp=1")
_Q = ("q=0", "q=1")
_PAR = ("par=0", "par=1")
_SEG = tuple(f"seg={n}" for n in range(7))
_POS = tuple(f"pos={n}" for n in range(8))
_NEAR_SP = {offset: (f"{offset}:sp=0", f"{offset}:sp=1") for offset in (-1, 1)}


@functools.lru_cache(maxsize=4096)
def _pair(offset: int, kind: str, other: str) -> str:
    return f"{offset}:kk={kind}|{other}"


def features(tokens: list[Token], text: str) -> list[list[str]]:
    """crfsuite feature strings per token: its own features and those of neighbours ±2."""
    count = len(tokens)
    words = [_word(t.text) for t in tokens]
    spaced = [int(t.start > 0 and text[t.start - 1].isspace()) for t in tokens]
    rows: list[list[str]] = []
    quote_depth = paren_depth = periods = 0
    for index, token in enumerate(tokens):
        kind, _, own = words[index]
        row = [*own, _SP[spaced[index]], _Q[min(quote_depth, 1)], _PAR[min(paren_depth, 1)],
               _SEG[min(periods, 6)], _POS[index * 8 // count]]
        if index == 0:
            row.append("BOS")
        if index == count - 1:
            row.append("EOS")
        for offset in (-2, -1, 1, 2):
            other = index + offset
            if 0 <= other < count:
                row += _near(tokens[other].text, offset)
                if offset in (-1, 1):
                    row.append(_NEAR_SP[offset][spaced[other]])
                    row.append(_pair(offset, kind, words[other][0]))
        rows.append(row)
        # the state after this token: inside quotes or brackets, and separators seen
        if kind == "qopen" or (kind == "quote" and quote_depth == 0):
            quote_depth += 1
        elif kind == "qclose" or kind == "quote":
            quote_depth = max(quote_depth - 1, 0)
        if kind == "popen":
            paren_depth += 1
        elif kind == "pclose":
            paren_depth = max(paren_depth - 1, 0)
        # a separator: "." or "،" followed by a space ("J. Smith" initials count too; fine)
        if kind in ("period", "comma") and index + 1 < count and \
                tokens[index + 1].start > token.end:
            periods += 1
    return rows
