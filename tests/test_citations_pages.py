"""Pages, locators, volumes, dates and identifiers of rendered lines (made-up examples).

Each test is one form real reference lists print; the lines are invented for the test.
"""

from __future__ import annotations

from typing import Any

from toolkit.citations import extract_citations


def _read(line: str) -> tuple[dict[str, Any], str | None]:
    """The fields of the one work in ``line`` and the locator of its occurrence."""
    works = extract_citations(line, short=True)
    assert len(works) == 1, works
    return works[0].csl, works[0].occurrences[0].locator


def test_a_chapter_page_before_the_isbn_is_the_chapter_page() -> None:
    lines = [
        'Moreau, Anne (2004). "Orchards of the north". In Berg, Tomas; Holt, Lena (eds.). '
        'Fruit Trees Through Time. Leeds: Meadow Press. p. 212. ISBN 978-0-306-40615-7.',
        'Quist, Ola (1999). "Chapter 4: Early rivers". Water and Stone. Harbour Books. '
        'p. 81. ISBN 978-0-306-40615-7.',
    ]
    for line, page in zip(lines, ("212", "81"), strict=True):
        csl, locator = _read(line)
        assert csl.get("page") == page and locator is None, (csl, locator)


def test_a_periodical_article_page_is_its_page_a_book_page_the_place_cited() -> None:
    csl, locator = _read('Nash, Peter (3 May 1971). "The long winter". The Weekly Review. p. 12.')
    assert csl.get("page") == "12" and locator is None
    csl, locator = _read("Dunmore, Ray (1988). The Long Winter. Harbour Books. p. 12. "
                         "ISBN 978-0-306-40615-7.")
    assert "page" not in csl and locator == "12"


def test_a_range_of_a_quoted_part_stays_the_part_range_even_in_a_cited_book() -> None:
    line = ('Lind, Sara (1961). "Noise in relay circuits". Papers of the Spring Meeting on '
            "Circuits. New York: Institute Press. pp. 40– 47. doi:10.1000/xyz123. "
            "ISBN 978-0-306-40615-7.")
    csl, locator = _read(line)
    assert csl.get("page") == "40–47" and locator is None
    csl, _ = _read('Okafor, Ben (2010). "4 Roads of salt". In Ade, Tunde (ed.). Trade Routes. '
                   "Lagos: Coast Press. pp. 94‒112. ISBN 978-0-306-40615-7.")  # a figure dash
    assert csl.get("page") == "94–112"


def test_pages_of_a_thesis_are_the_places_cited() -> None:
    csl, locator = _read("Ward, Ian (2015). A History of Tide Mills (PhD thesis). "
                         "University of Hull. pp. 12, 40, 77.")
    assert "page" not in csl and locator == "12, 40, 77"


def test_a_hand_typed_book_ends_with_the_place_cited_after_a_comma() -> None:
    cases = [
        ("Hale, Ruth (1931). Winter Roads. Boston: Lantern & Co., 1931, p. 44.", "44", "page"),
        ("Ortiz, Ana (2001). A Short History of Salt. Valley University Press, Chapter 7.",
         "7", "chapter"),
        ("سليم، كمال. تاريخ الموانئ، دار النهار، بيروت، 1999، ص 118", "118", "page"),
        ("مجمع اللغة العربية. معجم مصطلحات البحار، الجزء الثاني، صفحة 77.", "77", "page"),
        ("- ^ معجم ألفاظ الزراعة لمجمع اللغة 2005 ص 61", "61", "page"),
    ]
    for line, locator, label in cases:
        works = extract_citations(line, short=True)
        assert len(works) == 1, line
        occurrence = works[0].occurrences[0]
        assert (occurrence.locator, occurrence.label) == (locator, label), line
        assert locator not in str(works[0].csl.get("publisher", "")), works[0].csl


def test_a_dash_separated_hand_typed_line_keeps_its_page_part() -> None:
    works = extract_citations("1. سالم الحربي - أسماء الأودية في نجد - المجلد 3 - الصفحة 210.")
    assert works[0].occurrences[0].locator == "210"
    assert works[0].csl.get("title") == "أسماء الأودية في نجد"
