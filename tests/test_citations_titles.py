"""Titles, containers, publishers and places of rendered lines: forms real pages print.

Every example here is made up for the form it shows (none is a corpus line).
"""

from __future__ import annotations

import pytest

from toolkit.citations import parse_reference, parse_rendered
from toolkit.citations.sites import glued_site

_BOT = " اطلع عليه بتاريخ 3 مارس 2021 نسخة محفوظة 2021-03-03 على موقع واي باك مشين."


@pytest.mark.parametrize(("title", "site"), [
    # an outlet's name shaped like one: a noun for a periodical first, a suffix last
    ("افتتاح متحف جديد للفنون الشعبية في المدينة القديمة", "جريدة الصباح"),
    ("ارتفاع أسعار القمح في الأسواق العالمية", "الوطن الإخبارية"),
    ("قمة ثلاثية في العاصمة لبحث ملف المياه", "سي إن إن بالعربية"),
    # a much-cited outlet whose name has no such word
    ("فوز المنتخب الوطني في المباراة الودية", "اليوم السابع"),
    # the script changes at the site's name
    ("تعرف على أبرز نجوم الدوري هذا الموسم", "Goalsite"),
    ("Top Scorers of the Season Explained", "ملاعب العرب"),
    # a lowercase handle after a capitalised title, or after a title that names it
    ("National Team Fixtures Archive", "footstats"),
    ("Player profile - Squad | Kickbase kickbase", None),
])
def test_a_site_glued_to_a_bot_web_title_is_split_off(title: str, site: str | None) -> None:
    line = f"^ {title} {site}.{_BOT}" if site else f"^ {title}.{_BOT}"
    csl = parse_reference(line)
    if site is None:  # "Player profile - Squad | Kickbase kickbase": the handle repeats
        assert csl["title"] == "Player profile - Squad | Kickbase"
        assert csl["container-title"] == "kickbase"
    else:
        assert csl["title"] == title
        assert csl["container-title"] == site
    assert csl["accessed"] == "2021-03-03"


@pytest.mark.parametrize("title", [
    # no outlet's shape at the end: the title stays whole
    "ارتفاع منسوب مياه النهر بعد الأمطار الغزيرة",
    # a newspaper named inside the title (a survey of it, quoted): not its site
    'أفضل لاعب في استفتاء صحيفة "النجم"',
    # a title ending in a preposition does not end there
    "مقال عن تاريخ الطباعة نشر في مجلة العربي",
])
def test_a_title_without_a_glued_site_stays_whole(title: str) -> None:
    csl = parse_reference(f"^ {title}.{_BOT}")
    assert csl["title"] == title
    assert "container-title" not in csl


def test_glued_site_needs_an_outlet_or_a_script_change() -> None:
    assert glued_site("Rising Prices in the Old Market") is None
    assert glued_site("عنوان طويل عن الزراعة الحديثة") is None
    assert glued_site("Annual Report on Coastal Fisheries RTlocal") is None  # all Latin, no handle


@pytest.mark.parametrize(("line", "title", "site"), [
    ("^ الشرق نيوز: وزير الصحة يفتتح مستشفى جديدا نسخة محفوظة 5 مايو 2019 على موقع واي باك مشين.",
     "وزير الصحة يفتتح مستشفى جديدا", "الشرق نيوز"),
    ("^ جريدة الفجر: انطلاق مهرجان الشعر العربي نسخة محفوظة 5 مايو 2019 على موقع واي باك مشين.",
     "انطلاق مهرجان الشعر العربي", "جريدة الفجر"),
    ("^ حصاد الموسم الزراعي...مصراوي نسخة محفوظة 5 مايو 2019 على موقع واي باك مشين.",
     "حصاد الموسم الزراعي", "مصراوي"),
])
def test_a_site_opening_the_line_or_after_dots(line: str, title: str, site: str) -> None:
    csl = parse_reference(line)
    assert (csl["title"], csl["container-title"]) == (title, site)


@pytest.mark.parametrize(("line", "title", "site", "issued"), [
    ("^ افتتاح معرض الكتاب الدولي - بوابة الفجر - 3 مارس 2015. اطلع عليه بتاريخ 2020-01-02.",
     "افتتاح معرض الكتاب الدولي", "بوابة الفجر", "2015-03-03"),
    ('^ نتائج الجولة الأخيرة من الدوري - المصري اليوم - 21:10 م 5 أبريل2013 "نسخة مؤرشفة". '
     "مؤرشف من الأصل في 2014-01-01. اطلع عليه بتاريخ 2020-01-02.",
     "نتائج الجولة الأخيرة من الدوري", "المصري اليوم", "2013-04-05"),
])
def test_hand_typed_title_site_date(line: str, title: str, site: str, issued: str) -> None:
    csl = parse_reference(line)
    assert (csl["title"], csl["container-title"], csl["issued"]) == (title, site, issued)


@pytest.mark.parametrize(("line", "title", "container", "language"), [
    ('Souza, Ana (3 May 2021). "Chuva forte atinge a capital" [Heavy rain hits the capital]. '
     "Jornal do Sul (in Brazilian Portuguese). Retrieved 4 May 2021.",
     "Chuva forte atinge a capital", "Jornal do Sul", "pt-BR"),
    ('Weber, Karl (2019). "Die Geschichte der Brücke" [The history of the bridge]. '
     "Zeitschrift für Baukunst (in German). 12 (3): 45–60.",
     "Die Geschichte der Brücke", "Zeitschrift für Baukunst", "de"),
])
def test_a_translated_title_in_brackets_is_not_the_container(
        line: str, title: str, container: str, language: str) -> None:
    csl = parse_reference(line)
    assert (csl["title"], csl["container-title"], csl["language"]) == (title, container, language)
    assert "publisher" not in csl


@pytest.mark.parametrize("line", [
    'Hassan، Omar (2015). "A survey of desert beetles". Arid Fauna (بEnglish). 7 (2): 10–20.',
    '^ "Nile flood records". Hydrology Notes (بFrench). اطلع عليه بتاريخ 2020-01-02.',
])
def test_a_leaked_language_note_is_not_part_of_the_container(line: str) -> None:
    container = parse_reference(line)["container-title"]
    assert "(" not in container and container in ("Arid Fauna", "Hydrology Notes")


@pytest.mark.parametrize(("line", "publisher", "locator", "issued"), [
    ("Moreau, Claire (1999). The Salt Roads of the Sahara. Oxford University Press, p. 214.",
     "Oxford University Press", "214", "1999"),
    ("^ Notes on River Trade, translated by John Hale. Boston: Harlow & Co., 1911, p. 37.",
     "Harlow & Co.", "37", "1911"),
    ("Bell, Tom (2004). A Short History of Lighthouses. Coastal Press, Chapter 5.",
     "Coastal Press", "5", "2004"),
])
def test_a_page_or_chapter_typed_after_the_publisher_is_the_locator(
        line: str, publisher: str, locator: str, issued: str) -> None:
    from toolkit.citations import extract_citations

    work = extract_citations(line)[0]
    assert work.csl["publisher"] == publisher
    assert work.csl["issued"] == issued
    assert work.occurrences[0].locator == locator


@pytest.mark.parametrize(("line", "title"), [
    ("Summer Tides (liner notes). The Harbour Band. Lighthouse Records. 2015.", "Summer Tides"),
    ("Kaya, Deniz (March 2010). Water Prices and Farm Incomes (PDF) (paper). Retrieved 2 May "
     "2011.", "Water Prices and Farm Incomes"),
    ('Reed, Anna (2012). "Mills, George (1801–1870)" (subscription needed). Dictionary of '
     "Engineers. Retrieved 1 June 2013.", "Mills, George (1801–1870)"),
])
def test_a_medium_or_access_note_after_the_title_is_not_part_of_it(line: str, title: str) -> None:
    assert parse_rendered(line).csl["title"] == title  # the rules' reading


def test_liner_notes_name_the_artist_before_the_label() -> None:
    csl = parse_rendered("Harbour Lights (liner notes). Mara Quinn. Lantern Records. 2016.").csl
    assert (csl["title"], csl["publisher"], csl["issued"]) == (
        "Harbour Lights", "Lantern Records", "2016")


@pytest.mark.parametrize(("line", "container", "publisher", "place"), [
    # the book's title has a colon too: the last "Place: Publisher" is the imprint
    ('Hale, R. (2001). "Odes". In Marsh, T. (ed.). Horace: Selected Poems. Leeds: Ridgeway '
     "Books. p. 12.", "Horace: Selected Poems", "Ridgeway Books", "Leeds"),
    # a subtitle, not a publisher: the publisher follows
    ('Lind, Eva (2018). "From towns to networks". In Lind, Eva (ed.). Urban Futures: Planning '
     "for the Next Century. Northgate Publishing. p. 3.",
     "Urban Futures: Planning for the Next Century", "Northgate Publishing", None),
    ('Ross, Paul (1990). "Ch. 4 Games". Puzzles Revisited: notes on logic and play. Hollow '
     "Tree Press.", "Puzzles Revisited: notes on logic and play", "Hollow Tree Press", None),
])
def test_a_book_title_with_a_colon_is_not_place_and_publisher(
        line: str, container: str, publisher: str, place: str | None) -> None:
    csl = parse_reference(line)
    assert (csl["container-title"], csl["publisher"]) == (container, publisher)
    assert csl.get("publisher-place") == place


@pytest.mark.parametrize(("line", "publisher"), [
    ("Ward, Ellen (2009). Rivers: A Very Brief Guide. Pocket Guides. Meridian University Press. "
     "ISBN 978-0-19-000000-2.", "Meridian University Press"),
    ('Cole, Ian (1998). "Harbour towns". In Price, Ann (ed.). Coastal Britain. II – Trade and '
     "Ports. Fenwick Publishing. p. 7.", "Fenwick Publishing"),
    ("^ سامي، علي (2010). تاريخ الملاحة. سلسلة المعرفة. دار النهضة للنشر.", "دار النهضة للنشر"),
])
def test_a_series_between_the_book_and_its_publisher_is_not_the_publisher(
        line: str, publisher: str) -> None:
    assert parse_rendered(line).csl["publisher"] == publisher


def test_a_first_edition_year_in_brackets_is_not_a_footnote_marker() -> None:
    from toolkit.citations import looks_like_reference

    assert looks_like_reference("Moss, K. J. (2010) [1921]. The Open Road. London: Fenwick "
                                "Books. ISBN 978-0-00-000000-2.")
    assert looks_like_reference("Ortiz, L. (1999) [1890]. Cartas del sur. Madrid: Ediciones "
                                "Norte. ISBN 978-84-000-0000-2.")
    # prose with a footnote marker stays prose
    assert not looks_like_reference("The river floods every spring and the town moved uphill "
                                    "in 1921.[12] ISBN numbers were not used then.")


@pytest.mark.parametrize(("line", "title", "place", "publisher"), [
    ("Grant, Alan B., ed. (1975), Rivers and Mills: Papers of the Ninth Valley Meeting, "
     "Cedar Falls, IA, USA: Prairie Press.",
     "Rivers and Mills: Papers of the Ninth Valley Meeting", "Cedar Falls, IA, USA",
     "Prairie Press"),
    ("Moore, Jane (1990), From Canals to Railways, 1760–1850: The Making of a Network, "
     "Leeds, Yorkshire: Northern University Press, ISBN 978-0-00-000000-2",
     "From Canals to Railways, 1760–1850: The Making of a Network", "Leeds, Yorkshire",
     "Northern University Press"),
])
def test_cs2_places_and_titles_keep_their_commas(line: str, title: str, place: str,
                                                 publisher: str) -> None:
    csl = parse_reference(line)
    assert (csl["title"], csl["publisher-place"], csl["publisher"]) == (title, place, publisher)


def test_cs1_place_publisher_does_not_swallow_a_series() -> None:
    csl = parse_rendered("Hart, Ken (2001). Tides. Coastal Classics. London: Fenwick Books.").csl
    assert (csl["publisher-place"], csl["publisher"]) == ("London", "Fenwick Books")


@pytest.mark.parametrize("line", [
    '"Orchard prices fall". Valley Courier. Fresno, CA. 3 May 1951. Retrieved 2 June 2019.',
    '"New bridge opens". Lakeside Register. Duluth, MN. 1 July 1960.',
])
def test_a_city_and_state_after_the_newspaper_is_its_place(line: str) -> None:
    csl = parse_reference(line)
    assert csl["publisher-place"] in ("Fresno, CA", "Duluth, MN")
    assert "publisher" not in csl


@pytest.mark.parametrize(("line", "title", "place", "year"), [
    ("2. سعيد الخطيب، أطلس الطيور المهاجرة، دمشق، 2004، ص 77", "أطلس الطيور المهاجرة", "دمشق",
     "2004"),
    ("1. د، ليلى حسن عمر، معجم النباتات الطبية، الرباط، 2011، ص 40", "معجم النباتات الطبية",
     "الرباط", "2011"),
])
def test_hand_typed_arabic_book_with_place_and_year(line: str, title: str, place: str,
                                                    year: str) -> None:
    csl = parse_reference(line)
    assert (csl["title"], csl["publisher-place"], csl["issued"]) == (title, place, year)
    assert csl["type"] == "book"
    assert csl["author"][0]["literal"] != "د"


@pytest.mark.parametrize(("line", "container", "issue", "page"), [
    ('Lee, A.; Park, B. (2016). "Hand washing in clinics". Reviews in Hygiene (4): 112–119.',
     "Reviews in Hygiene", "4", "112–119"),
    ('Ito, K. (2001). "Comets of the year". Night Sky Monthly: 52.', "Night Sky Monthly", None,
     "52"),
    ('Diaz, M. (2018). "Jobs and robots". Labour Market Working Papers (212).',
     "Labour Market Working Papers", "212", None),
])
def test_a_container_with_an_issue_or_page_but_no_volume(
        line: str, container: str, issue: str | None, page: str | None) -> None:
    csl = parse_rendered(line).csl
    assert (csl["container-title"], csl.get("issue"), csl.get("page")) == (container, issue, page)


def test_a_place_and_year_after_a_title_is_not_a_container_page() -> None:
    csl = parse_rendered('Ray, T. (1990). "Notes". London: 1990.').csl
    assert "page" not in csl


@pytest.mark.parametrize("line", [
    "عدل- ^ ا ب Harbour Seals of the North (بالإنجليزية), 2 May 2015, DOI:10.1000/xyz.1",
    "[edit]- ^ Survey of Alpine Lakes, 1 June 2012, doi:10.1000/abc.2",
])
def test_a_reference_copied_with_its_section_edit_link_is_read(line: str) -> None:
    from toolkit.citations import looks_like_reference

    assert looks_like_reference(line)


def test_a_wikidata_id_printed_by_cite_q_is_not_the_publisher() -> None:
    csl = parse_rendered("- ^ Checklist of Lichens (بالإنجليزية), 3 Mar 2019, "
                         "doi:10.1000/lich.3, WikiData Q12345678").csl
    assert "publisher" not in csl and csl["title"] == "Checklist of Lichens"


@pytest.mark.parametrize(("line", "title"), [
    ("- ^ World Fern Checklist. Version 4.1 (بالإنجليزية), 2 Feb 2020, doi:10.1000/fern.4",
     "World Fern Checklist. Version 4.1"),
    ("Global Mosses Index. Release 12. 2018. Retrieved 3 March 2019.",
     "Global Mosses Index. Release 12"),
])
def test_a_version_after_the_title_is_part_of_it(line: str, title: str) -> None:
    csl = parse_rendered(line).csl
    assert csl["title"] == title and "publisher" not in csl


@pytest.mark.parametrize(("line", "title"), [
    ('12. ^ a bRiver_Works_Plan. Harbour Board. 2010.', "River_Works_Plan"),
    ('3. ^ a b c"Coastal_Survey_|_Maps_|_NOAA". www.example.gov. Retrieved 2018-01-13.',
     "Coastal_Survey_|_Maps_|_NOAA"),
])
def test_a_back_link_letter_glued_to_the_title_and_underscore_pipes(line: str, title: str) -> None:
    assert parse_rendered(line).csl["title"] == title


@pytest.mark.parametrize(("line", "author", "title", "container"), [
    ('7. ^ Mira Lopez. "Tide_Tables". Coastwatch.org.nz. Retrieved 2 June 2012.',
     "Mira Lopez", "Tide_Tables", "Coastwatch.org.nz"),
    ('^ سلمى حداد. "افتتاح المعرض". جريدة الفجر. اطلع عليه بتاريخ 2021-01-02.',
     "سلمى حداد", "افتتاح المعرض", "جريدة الفجر"),
])
def test_one_uninverted_name_before_a_quoted_title_is_the_author(
        line: str, author: str, title: str, container: str) -> None:
    csl = parse_reference(line)
    assert csl["author"] == [{"literal": author}]
    assert (csl["title"], csl["container-title"]) == (title, container)


def test_a_headline_join_before_a_quoted_name_is_not_an_author() -> None:
    csl = parse_rendered("^ فوز في 3 أيام.. «سالم» يصنع الفارق مع فريقه نسخة محفوظة 5 مايو "
                         "2019 على موقع واي باك مشين.").csl
    assert "author" not in csl and csl["title"].startswith("فوز في 3 أيام")


@pytest.mark.parametrize(("line", "container", "publisher", "extra"), [
    ("Ruiz, Ana, and Tom Hale. “Markets and Machines.” Review of Labour Studies, vol. 12, "
     "no. 4, Northern Economic Society, 2017, pp. 41–60.",
     "Review of Labour Studies", "Northern Economic Society",
     {"volume": "12", "issue": "4", "page": "41–60", "issued": "2017"}),
])
def test_an_mla_container_element_is_split_at_its_commas(
        line: str, container: str, publisher: str, extra: dict[str, str]) -> None:
    csl = parse_rendered(line).csl
    assert (csl["container-title"], csl["publisher"]) == (container, publisher)
    assert {k: csl.get(k) for k in extra} == extra
    assert "publisher-place" not in csl


@pytest.mark.parametrize("line", [
    'Moss, K. (2004). "Early lighthouses". Coastal Engineering in History. Harbour Press. '
    "p. 12. ISBN 978-0-00-000000-2.",
    'Park, J. (2011). "Rice and rain". Asian Farming Traditions. Eastbridge Books. '
    "doi:10.1000/xyz.9. ISBN 978-0-00-000001-9.",
])
def test_a_quoted_title_in_a_book_with_an_isbn_is_a_chapter(line: str) -> None:
    assert parse_rendered(line).csl["type"] == "chapter"


def test_a_journal_article_stays_an_article() -> None:
    line = 'Park, J. (2011). "Rice and rain". Journal of Farming. 12 (3): 4–9. doi:10.1000/x.1.'
    assert parse_rendered(line).csl["type"] == "article-journal"


@pytest.mark.parametrize(("line", "publisher", "place"), [
    ("Hale, R. (1999). The Salt Trade. London: Fenwick Books. pp. 312 pages. "
     "ISBN 978-0-00-000000-2.", "Fenwick Books", "London"),
    ("- سارا رضایی. تاریخ کشتیرانی. چاپ دوم. شیراز: نشر دریا، 1380. 120.", "نشر دریا", "شیراز"),
])
def test_place_and_publisher_read_once_are_not_overwritten(line: str, publisher: str,
                                                           place: str) -> None:
    csl = parse_rendered(line).csl
    assert (csl["publisher"], csl["publisher-place"]) == (publisher, place)


@pytest.mark.parametrize(("line", "author", "title"), [
    ("- ^ كمال ناصر. معجم الأسماك في البحر الأحمر (ط. الأولى). دار الفكر العربي. ص. 80.",
     "كمال ناصر", "معجم الأسماك في البحر الأحمر"),
    ("- نسرین کاظمی. تاریخ باغهای ایرانی در دوره صفوی. چاپ دوم. اصفهان: نشر گلستان، 1385.",
     "نسرین کاظمی", "تاریخ باغهای ایرانی در دوره صفوی"),
])
def test_an_uninverted_name_opening_an_arabic_book_line_is_the_author(
        line: str, author: str, title: str) -> None:
    csl = parse_rendered(line).csl
    assert (csl["author"], csl["title"]) == ([{"literal": author}], title)


def test_an_arabic_title_opening_a_book_line_stays_the_title() -> None:
    csl = parse_rendered("- ^ الموسوعة الزراعية الميسرة. دار المعارف. ص. 12.").csl
    assert csl["title"] == "الموسوعة الزراعية الميسرة" and "author" not in csl


@pytest.mark.parametrize("line", [
    '^ "Final draw results announced". UEFA. اطلع عليه بتاريخ 2022-02-06.',
    "^ Continental champions crowned tonight الكاف. نسخة محفوظة 5 فبراير 2021 على موقع واي "
    "باك مشين.",
    "^ The Best Goalkeepers of the Decade -FIFA نسخة محفوظة 23 سبتمبر 2017 على موقع واي باك مشين.",
])
def test_a_governing_body_after_the_title_is_the_publisher(line: str) -> None:
    csl = parse_rendered(line).csl
    assert csl["publisher"] in ("UEFA", "الكاف", "FIFA") and "container-title" not in csl


@pytest.mark.parametrize(("line", "title", "locator"), [
    ("Hart, K. L. (1971) Legends of the Northern Isles, page 40 to 42. Fenwick Books "
     "ISBN 0-14-000000-0", "Legends of the Northern Isles", "40–42"),
    ("Moss, A. (2003). A History of Salt, pp. 12–14. Harbour Press.", "A History of Salt",
     "12–14"),
])
def test_a_page_typed_after_an_unquoted_title_is_the_locator(line: str, title: str,
                                                             locator: str) -> None:
    from toolkit.citations import extract_citations

    work = extract_citations(line)[0]
    assert work.csl["title"] == title and work.occurrences[0].locator == locator


@pytest.mark.parametrize(("line", "title"), [
    ("The Harbour Band — Summer Tides. ChartWatch. Retrieved 6 October 2023.",
     "The Harbour Band — Summer Tides"),
    ("Mara Quinn (2007). Night Shift: The Complete Series – Bonus Clips (DVD). Lantern Media.",
     "Night Shift: The Complete Series – Bonus Clips"),
])
def test_a_dash_in_an_unquoted_title_followed_by_its_work_stays_in_the_title(
        line: str, title: str) -> None:
    assert parse_rendered(line).csl["title"] == title


@pytest.mark.parametrize(("line", "container", "issued"), [
    ('Grant, Ellen. "Harbour_Plans_Approved" Valley Courier, Mar. 3, 2011', "Valley Courier",
     "2011-03-03"),
    ('Hale, Tom. "Rain records broken". The Morning Star, Sept. 14, 1998.', "The Morning Star",
     "1998-09-14"),
])
def test_an_abbreviated_month_does_not_end_the_element(line: str, container: str,
                                                       issued: str) -> None:
    csl = parse_rendered(line).csl
    assert (csl["container-title"], csl["issued"]) == (container, issued)
    assert "publisher" not in csl


def test_a_proceedings_title_keeps_its_place_and_year() -> None:
    csl = parse_rendered('Lee, A. (2004). "Games". Meeting of the Economics Society, Toronto, '
                         "2004. Archived from the original on 2004-12-06.").csl
    name = csl.get("container-title") or csl.get("publisher")  # (a society: the publisher)
    assert name == "Meeting of the Economics Society, Toronto, 2004"
