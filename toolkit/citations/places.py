"""Place and publisher: "Place: Publisher" elements, the places CS2 cut at commas."""

from __future__ import annotations

import re
from typing import Any

from toolkit.citations.text import ARABIC

# "Boston: Houghton Mifflin Co.", "Sebastopol, California : Farnham: O'Reilly Media"
_PLACE_PUBLISHER = re.compile(r"^(?P<place>[^\d]{2,60}?)\s*:\s+(?P<pub>[^:]*[^\d\s:][^:]*)$")
_NOT_A_PLACE = re.compile(r"Journal|Proceedings|Review|Conference|Symposium|Workshop|"
                          r"Transactions|Letters|Bulletin|Chapter|Part|Volume|Series", re.I)


# "Smart Cities: Governing, Modelling and Analysing the Transition": a title and its subtitle,
# not a place and a publisher (a publisher's name has no article or lowercase opening word).
# (nor opens with a question word, "How Stories Go Viral", nor runs to seven words or more
# without a press's word)
_SUBTITLE = re.compile(r"^[a-z]|\s(?:the|for|to|in|on|with|a|an|from|into|how|why|what)\s|"
                       r"^(?:How|Why|What|When|Where|Who|Which)\s|"
                       r"^(?!.*(?:Press|Publish|Universit|Books|Verlag|&|\bCo\b|Inc|Ltd))"
                       r"(?:\S+\s+){6}\S")


# A part of a place a comma cut off: "Englewood Cliffs", "NJ", "Baltimore" (a word or three).
_PLACE_PART = re.compile(r"^(?:[A-Z][a-z]+\.?(?:\s+[A-Z][a-z]+\.?){0,2}|[A-Z]{2,3}|D\.C\.)$")


def is_place(text: str) -> bool:
    """Whether ``text`` can be the place in "Place: Publisher" (a few capitalised words)."""
    words = [w for w in re.split(r"[\s,:]+", text) if w]
    return (0 < len(words) <= 5 and not _NOT_A_PLACE.search(text)
            and all(w[0].isupper() or ARABIC.match(w) for w in words))


def take_place_publisher(kept: list[str], csl: dict[str, Any], first: int, title_quoted: bool,
                         comma_style: bool) -> list[str]:
    """The last "Place: Publisher" element (a book's "Plato: Complete Works" comes before it),
    a series between the work and it, and the parts of a place CS2 cut at its commas."""
    lowest = first + (1 if title_quoted else 0)
    for index in reversed(range(first, len(kept))):
        m = _PLACE_PUBLISHER.match(kept[index])
        if m and "publisher" not in csl and is_place(m.group("place")) and not _SUBTITLE.search(
                m.group("pub")):
            place = m.group("place").strip()
            while (comma_style and index - 1 >= lowest and _PLACE_PART.match(kept[index - 1])
                   and place.count(",") < 2):
                # CS2 cuts "Englewood Cliffs, NJ, USA: Prentice-Hall" at its commas
                index -= 1
                place = f"{kept.pop(index)}, {place}"
            csl.setdefault("publisher-place", place)
            csl["publisher"] = m.group("pub").strip()
            if (year := re.match(r"^(?P<pub>.+?)[,،]\s*(?P<y>\d{3,4})$", csl["publisher"])):
                # Chicago "New York: Penguin, 2001."; "تهران: انتشارات ما، 1376" (a solar year)
                csl["publisher"] = year.group("pub")
                if re.fullmatch(r"(?:1[5-9]|20)\d\d", year.group("y")):
                    csl.setdefault("issued", year.group("y"))
            between = kept[lowest:index]
            if len(between) == 1 and "collection-title" not in csl and not (
                    comma_style and re.match(r"[a-z]{3,}\s", between[0])):
                # (CS2's lowercase part is the title's own comma part: assign.py joins it)
                csl["collection-title"] = between[0]  # "Title. Series. Place: Publisher."
                return kept[:index - 1] + kept[index + 1:]
            return kept[:index] + kept[index + 1:]
    return kept
