"""Publishers, sites and periodicals after a title: which name is which, and what is no name.

Every example here is made up for the form it shows (none is a corpus line).
"""

from __future__ import annotations

import pytest

from toolkit.citations import parse_reference, parse_rendered
from toolkit.citations.classify import name_like


@pytest.mark.parametrize("element", [
    "212–19", "[1] [2] [3]", "Pp", "p. 41 View on Google Books", "ProQuest 1234567",
    "EBSCOhost 99887766", "section \"Arts and Letters\"", "at the Internet Archive (.pdf)",
    "Click \"Search\" and type the name", "Note: Choose week 12 in the menu",
    "مؤرشف من الأصل في 2019-12-07",
])
def test_a_note_a_number_or_a_label_is_no_name(element: str) -> None:
    assert not name_like(element)


@pytest.mark.parametrize("element", [
    "Oxford University Press", "de Gruyter", "eol.org", "iUniverse", "دار الشروق",
    "The Daily Courier", "Ministry of Health", "وزارة الثقافة",
])
def test_a_name_is_one(element: str) -> None:
    assert name_like(element)


@pytest.mark.parametrize(("line", "container"), [
    ('Doe, Jane (2001). "Rivers of the north". The Lakeside Review. 12 (3): 212–19. '
     "ProQuest 1234567.", "The Lakeside Review"),
    ('"Winter fair opens". The Daily Courier. 3 May 1911. p. 4. section "Town Talk".',
     "The Daily Courier"),
    ('"Chart archive" (in Dutch). Hitlijst Online. Retrieved 2 May 2020. Click "Zoek" and '
     "type the title.", "Hitlijst Online"),
])
def test_a_note_after_the_container_is_not_the_publisher(line: str, container: str) -> None:
    csl = parse_reference(line)
    assert csl["container-title"] == container
    assert "publisher" not in csl


@pytest.mark.parametrize(("line", "title", "publisher"), [
    ("Petrus Albus (1760), Historia stirpium, secundum ordinem naturalem, & descriptio "
     "omnium partium, Lugduni: Apud Fratres, p. 12",
     "Historia stirpium, secundum ordinem naturalem, & descriptio omnium partium",
     "Apud Fratres"),
    ("Smith, John (1890), Notes on birds, chiefly of the river valleys, London: Hall and Sons.",
     "Notes on birds, chiefly of the river valleys", "Hall and Sons"),
])
def test_a_cs2_title_goes_on_through_its_lowercase_comma_parts(
        line: str, title: str, publisher: str) -> None:
    csl = parse_reference(line)
    assert csl["title"] == title
    assert csl["publisher"] == publisher


@pytest.mark.parametrize(("line", "publisher"), [
    ('"Water rights of the valley". State of Nevada. Retrieved 4 June 2021.', "State of Nevada"),
    ('"Council minutes, 12 March 2019". City of Riverton. Retrieved 1 April 2019.',
     "City of Riverton"),
    ('"Public holidays". Government of Tasmania. Retrieved 8 May 2022.', "Government of Tasmania"),
    ('"دليل القبول للعام الجامعي". جامعة الوادي. اطلع عليه بتاريخ 3 مارس 2021.', "جامعة الوادي"),
    ('"نتائج المسابقة الشعرية". مجمع اللغة والأدب. اطلع عليه بتاريخ 5 مايو 2020.',
     "مجمع اللغة والأدب"),
    ('"تقرير الأداء السنوي". معهد البحوث الزراعية. اطلع عليه بتاريخ 9 يناير 2019.',
     "معهد البحوث الزراعية"),
])
def test_a_government_or_body_after_a_quoted_title_publishes_it(line: str, publisher: str) -> None:
    csl = parse_reference(line)
    assert csl["publisher"] == publisher
    assert "container-title" not in csl


@pytest.mark.parametrize("line", [
    '"A state of emergency". The Valley Times. Retrieved 4 June 2021.',
    '"Kingdom of the birds". Birdwatch Weekly. Retrieved 4 June 2021.',
])
def test_a_periodical_after_a_quoted_title_stays_the_container(line: str) -> None:
    csl = parse_reference(line)
    assert "publisher" not in csl
    assert csl["container-title"] in ("The Valley Times", "Birdwatch Weekly")


@pytest.mark.parametrize(("line", "publisher"), [
    ('"The lighthouse keepers of the north coast". Harbour Lights Press. Retrieved 2 May 2020.',
     "Harbour Lights Press"),
    ('"Catalogue of spring titles". Marlow Publishing. Retrieved 9 March 2018.',
     "Marlow Publishing"),
    ('"A guide to the old town". Greyfield Books. Archived from the original on 1 May 2014.',
     "Greyfield Books"),
    ('"دليل المخطوطات العربية". دار النخيل. اطلع عليه بتاريخ 3 مارس 2021.', "دار النخيل"),
])
def test_a_press_after_a_quoted_title_publishes_it(line: str, publisher: str) -> None:
    csl = parse_reference(line)
    assert csl["publisher"] == publisher
    assert "container-title" not in csl


@pytest.mark.parametrize(("line", "container", "publisher"), [
    ('"Moon river". The Books. Hartley Publications. Retrieved 1 June 2015.', "The Books",
     "Hartley Publications"),
    ('"Night trains". Press Archive. Fenwick Publishing. Retrieved 1 June 2015.', "Press Archive",
     "Fenwick Publishing"),
    ('"Local election results". Detroit Free Press. Retrieved 5 November 2019.',
     "Detroit Free Press", None),
])
def test_the_work_comes_before_its_publisher(line: str, container: str,
                                             publisher: str | None) -> None:
    csl = parse_reference(line)
    assert csl["container-title"] == container
    assert csl.get("publisher") == publisher


@pytest.mark.parametrize(("line", "publisher", "place"), [
    ("Grant, Mary (1998). The rivers of the plain. Westbrook University Press, Denver.",
     "Westbrook University Press", "Denver"),
    ("Hale, Tom (2004). Notes from the harbour. Ashdown Books, New York.", "Ashdown Books",
     "New York"),
    ("سالم، علي (2005). تاريخ المدن الساحلية. دار الواحة، بيروت.", "دار الواحة", "بيروت"),
])
def test_a_city_after_the_press_is_its_place(line: str, publisher: str, place: str) -> None:
    csl = parse_reference(line)
    assert (csl["publisher"], csl["publisher-place"]) == (publisher, place)


@pytest.mark.parametrize(("line", "publisher"), [
    ('"History of the chair". Merton College, Oxford. Retrieved 4 July 2017.',
     "Merton College, Oxford"),
    ("Reed, Ann (1901). Letters home. Hobbs, Green & Co.", "Hobbs, Green & Co"),
])
def test_a_name_with_a_comma_of_its_own_is_kept(line: str, publisher: str) -> None:
    csl = parse_reference(line)
    assert csl["publisher"] == publisher
    assert "publisher-place" not in csl


@pytest.mark.parametrize(("line", "title", "publisher"), [
    ("Moore, Jane (1951). Wages in the textile towns, Bureau of Labour Statistics (PDF).",
     "Wages in the textile towns", "Bureau of Labour Statistics"),
    ("Ward, Ian (1977). Coastal erosion and its remedies, Harbour Institute.",
     "Coastal erosion and its remedies", "Harbour Institute"),
    ("Lane, Paul (1988). The birds of the estuary, Fenland Press.", "The birds of the estuary",
     "Fenland Press"),
    ("سالم، علي (2005). تاريخ الزراعة في الوادي، وزارة الزراعة.", "تاريخ الزراعة في الوادي",
     "وزارة الزراعة"),
    ("^ أطلس النباتات البرية، جامعة الواحة. 2011.", "أطلس النباتات البرية", "جامعة الواحة"),
])
def test_a_body_typed_after_an_unquoted_title_and_a_comma_publishes_it(
        line: str, title: str, publisher: str) -> None:
    csl = parse_reference(line)
    assert (csl["title"], csl["publisher"]) == (title, publisher)


@pytest.mark.parametrize("title", [
    "Church, state and the Ministry of Culture",  # a lowercase word: the title's own comma
    "Rivers, lakes and canals",
])
def test_a_title_with_a_comma_of_its_own_is_kept(title: str) -> None:
    csl = parse_reference(f"Hart, Lee (1990). {title}.")
    assert csl["title"] == title
    assert "publisher" not in csl


@pytest.mark.parametrize(("line", "title", "work"), [
    ("^ الكثبان الرملية - مقالة من موسوعة الصحراء", "الكثبان الرملية", "موسوعة الصحراء"),
    ("^ Река Северная - مقالة من الموسوعة الجغرافية الكبرى الطبعة الثانية", "Река Северная",
     "الموسوعة الجغرافية الكبرى"),
    ("^ Dunes of the north – article from the Great Northern Encyclopedia", "Dunes of the north",
     "Great Northern Encyclopedia"),
])
def test_an_entry_typed_with_the_work_it_is_from(line: str, title: str, work: str) -> None:
    csl = parse_rendered(line).csl
    assert (csl["title"], csl["container-title"]) == (title, work)
    assert "edition" not in csl  # (an edition named there is the encyclopedia's)


@pytest.mark.parametrize(("line", "title", "edition"), [
    ("Brook, A. Hydraulic Machines and Pumps 2nd Edition. Dale Press, 2011. ISBN 1420069721.",
     "Hydraulic Machines and Pumps", "2nd Edition"),
    ("Marsh, Eve (2005). The Quiet Orchard Paperback. Hollins Books. ISBN 0-06-055975-6.",
     "The Quiet Orchard", None),
    ("Marsh, Eve (2005). The Quiet Orchard Kindle Edition. Hollins Books.", "The Quiet Orchard",
     None),
])
def test_a_bookseller_format_after_a_title_is_not_the_title(
        line: str, title: str, edition: str | None) -> None:
    csl = parse_reference(line)
    assert csl["title"] == title
    assert csl.get("edition") == edition


@pytest.mark.parametrize(("line", "container", "publisher"), [
    ("Cole, Ann. “Why towns grow.” Market Streets: How Small Towns Became Cities, Dale University "
     "Press, 2015, pp. 12–30, doi:10.1000/ms.2015.3.",
     "Market Streets: How Small Towns Became Cities", "Dale University Press"),
    ("Ray, Tom. “Winter roads.” Northern Routes: Seven Journeys Across the Frozen Lakes and "
     "Rivers, Harbour Books, 2009, pp. 5–9, doi:10.1000/nr.2009.1.",
     "Northern Routes: Seven Journeys Across the Frozen Lakes and Rivers", "Harbour Books"),
])
def test_a_book_and_its_subtitle_are_not_a_place_and_a_publisher(
        line: str, container: str, publisher: str) -> None:
    csl = parse_reference(line)
    assert (csl["container-title"], csl["publisher"]) == (container, publisher)
    assert "publisher-place" not in csl


@pytest.mark.parametrize(("line", "kind"), [
    ('Kerr, Jo (2012). "The harbour wall". Stories of the Coast. Dale University Press. '
     "pp. 12–30. doi:10.1000/sc.2012.4.", "chapter"),
    ('Kerr, Jo (2012). "Old mills". Northern Crafts. Harbour Books. doi:10.1000/nc.7.', "chapter"),
    # a periodical a press publishes, with its volume: still the journal's article
    ('Kerr, Jo (2012). "Tides". Coastal Studies. 4 (2): 1–9. Dale University Press. '
     "doi:10.1000/cs.4.2.", "article-journal"),
])
def test_a_quoted_part_of_a_whole_a_press_publishes_is_a_chapter(line: str, kind: str) -> None:
    assert parse_reference(line)["type"] == kind


@pytest.mark.parametrize(("line", "container", "publisher"), [
    ("Ford, A. (2001). Why gulls follow ships. In: B. Ford, Editor, Birds of the Harbour, "
     "Dale Press. pp. 10–20.", "Birds of the Harbour", "Dale Press"),
    ("Hill, C. (1999). Tidal mills of the east. In: D. Hill, Editor, Water and Work in Old Towns, "
     "Harbour Publishing. pp. 3–9.", "Water and Work in Old Towns", "Harbour Publishing"),
])
def test_a_chapter_book_and_its_press_in_one_element(line: str, container: str,
                                                    publisher: str) -> None:
    csl = parse_reference(line)
    assert (csl["container-title"], csl["publisher"]) == (container, publisher)


@pytest.mark.parametrize(("line", "publisher"), [
    ("Berg, Karl (2010) [1950]. Handbuch der Mühlen (in German) (softcover reprint of 3rd "
     "hardcover ed.). Harbour-Verlag. p. 12. ISBN 978-3-64288368-2.", "Harbour-Verlag"),
    ("Lund, Eva (1999). Vinterljus (in Swedish) (paperback reissue of the 2nd hardcover ed.). "
     "Dale Press. p. 4. ISBN 0-06-055975-6.", "Dale Press"),
])
def test_a_bracketed_note_before_the_publisher_is_not_its_name(line: str, publisher: str) -> None:
    assert parse_reference(line)["publisher"] == publisher
