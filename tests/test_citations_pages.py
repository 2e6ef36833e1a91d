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


def test_a_wikidata_reference_url_is_the_work_url_a_label_there_is_not() -> None:
    works = extract_citations("2. وصلة : https://example.org/species/browse?id=4410 — "
                              "تاريخ الاطلاع: 3 مارس 2016 — العنوان : Fishes of the Example Sea")
    assert works[0].csl.get("URL") == "https://example.org/species/browse?id=4410"
    assert works[0].csl.get("accessed") == "2016-03-03"
    works = extract_citations("1. وصلة : فهرس الأنواع في قاعدة المثال — تاريخ الاطلاع: "
                              "3 مارس 2016 — العنوان : Fishes of the Example Sea")
    assert "URL" not in works[0].csl and works[0].csl["title"] == "Fishes of the Example Sea"


def test_a_wikidata_line_keeps_an_isbn_printed_without_a_colon() -> None:
    works = extract_citations("1. المحرر: سمير مثال — العنوان : Birds of Example Land — "
                              "الناشر: دار المثال — الاصدار الثاني — ISBN 978-0-306-40615-7 — "
                              "تاريخ الاطلاع: 3 مارس 2016")
    assert works[0].csl.get("ISBN") == "978-0-306-40615-7"
    assert works[0].csl.get("publisher") == "دار المثال"


def test_identifier_links_glued_to_a_doi_link_are_not_part_of_the_doi() -> None:
    works = extract_citations(
        "1. المؤلف: Lina Example — العنوان : A study of example beetles — المجلد: 7 — "
        "نشر في: Example Journal — https://dx.doi.org/10.1234/ex.2019.77https://pubmed."
        "example.org/31234567https://www.example.org/pmc/articles/PMC765432 — الرخصة: CC BY")
    assert works[0].csl.get("DOI") == "10.1234/ex.2019.77"
    assert "URL" not in works[0].csl


def test_a_cite_q_line_with_its_item_id_is_a_reference() -> None:
    for line in ("عدل- ^ ا ب Example Fish Checklist Version 2.1 (بالإنجليزية), 14 Mar 2019, "
                 "DOI:10.1234/EFC.2.1, QID:Q12345678",
                 "[عدل]- ^ Example Plant Index (in English), 2 May 2020, QID:Q87654321"):
        works = extract_citations(f"Some prose first.\n{line}\n")
        assert len(works) == 1, line
        assert works[0].csl["issued"] in ("2019-03-14", "2020-05-02")


def test_an_mla_container_gives_volume_issue_year_and_pages() -> None:
    csl, _ = _read("Okoro, Ada, and Lee Park. “Tides and Trade in the Early Modern Gulf.” "
                   "Journal of Example History, vol. 12, no. 4, Example Society, 2018, "
                   "pp. 211–39, JSTOR 1234567.")
    assert (csl.get("volume"), csl.get("issue"), csl.get("issued"), csl.get("page")) == (
        "12", "4", "2018", "211–39")
    assert csl.get("container-title") == "Journal of Example History"
    csl, _ = _read("Marsh, Tom. “Bells of the Valley.” Sounds of Stone, Example Press, 2015, "
                   "pp. 40–58, doi:10.1234/sos.2015.3.")
    assert (csl.get("issued"), csl.get("page")) == ("2015", "40–58")


def test_a_chicago_container_is_not_cut_at_its_commas() -> None:
    csl, _ = _read('Vance, Ruth. "Salt roads." Example Review 31, no. 2 (1999): 45–67.')
    assert (csl.get("container-title"), csl.get("volume"), csl.get("issue"), csl.get("page"),
            csl.get("issued")) == ("Example Review", "31", "2", "45–67", "1999")


def test_dates_in_the_forms_reference_lists_print() -> None:
    from toolkit.citations.text import parse_date

    assert parse_date("May–June 1998") == "1998-05"  # a bimonthly issue
    assert parse_date("November/December 2011") == "2011-11"
    assert parse_date("2007 Oct 9") == "2007-10-09"  # Vancouver / NLM
    assert parse_date("2007 Oct") == "2007-10"
    assert parse_date("3 مارس ,2019") == "2019-03-03"  # a blank before the comma
    assert parse_date("9 يونيو2015") == "2015-06-09"
    assert parse_date("21أبريل 2017") == "2017-04-21"
    assert parse_date("12 2012") is None


def test_a_bimonthly_issue_date_in_a_rendered_line() -> None:
    csl, _ = _read('Hart, Lee (September–October 2005). "Old hedges". Example Gardener. '
                   "Retrieved 4 May 2012.")
    assert csl["issued"] == "2005-09"
    csl, _ = _read("Ruiz CS, Holm A. Example plots in the field. Journal of Examples. "
                   "2012 Feb 7. 14(2):101–09.")
    assert csl["issued"] == "2012-02-07"


def test_the_year_typed_after_a_hand_typed_publisher_is_the_date() -> None:
    csl, _ = _read("- ^ سالم مثال. معجم الطيور المثالي، دار المثال للنشر، دمشق 1998")
    assert csl.get("issued") == "1998"
    # a web page's title may end in a year: not the page's date
    csl, _ = _read('^ الجريدة. "صورة نادرة لفريق المدينة عام 1931". www.example.com. '
                   "اطلع عليه بتاريخ 2021-03-04.")
    assert csl.get("issued") != "1931"


def test_a_journal_without_a_volume_prints_its_pages_after_a_colon() -> None:
    csl, _ = _read('1. ^ Dale، Ann (مارس 2010). "Comets of spring". Example Astronomy: 31.')
    assert (csl.get("container-title"), csl.get("page")) == ("Example Astronomy", "31")
    csl, _ = _read('- "Rings of small moons". مجلة الفلك المثالية (بالإنجليزية): 210–219. 2004. '
                   "DOI:10.1234/ex.210.")
    assert (csl.get("container-title"), csl.get("page")) == ("مجلة الفلك المثالية", "210–219")
    # a year after the colon is not a page
    csl, _ = _read('1. ^ Dale، Ann (2010). "Comets of spring". Example Astronomy: 2010.')
    assert "page" not in csl


def test_a_vancouver_line_with_a_stop_after_the_date_keeps_its_pages() -> None:
    csl, locator = _read("Ruiz CS, Holm A. Example plots in the field. Journal of Examples. "
                         "2012 Feb 7. 14(2):101–09.")
    assert (csl.get("volume"), csl.get("issue"), csl.get("page"), locator) == (
        "14", "2", "101–09", None)


def test_harvard_short_cites_with_a_chapter() -> None:
    for line, year, chapter in (("^ Moreno, 2011. Chapter 4", "2011", "4"),
                                ('^ Lutz (1987), Chapter 2 "Ports and their hinterland".',
                                 "1987", "2"),
                                ("Okafor (2003), chpt. 9", "2003", "9")):
        works = extract_citations(line, short=True)
        assert len(works) == 1, line
        assert works[0].csl.get("issued") == year
        assert (works[0].occurrences[0].locator, works[0].occurrences[0].label) == (
            chapter, "chapter"), line


def test_a_periodical_page_with_an_access_date_is_still_its_page() -> None:
    csl, locator = _read('Lowe, Max (2 May 1959). "The quiet street". The Example Quarterly. '
                         "p. 18. Archived from the original on 3 March 2010. "
                         "Retrieved 4 April 2011.")
    assert csl.get("page") == "18" and locator is None


def test_in_colon_after_an_unquoted_title_makes_a_chapter_and_keeps_its_range() -> None:
    for line in ("Berg, T. (1999). Why do gulls follow ships? A field note. In: R. Holm, Editor, "
                 "Seabirds of the North, Harbour Press. pp. 41–58.",
                 "Ade, K. (2010). Salt and trade. In: Okafor, B. (Ed.), Coastal Markets, "
                 "Example Press. pp. 7–19."):
        csl, locator = _read(line)
        assert csl.get("type") == "chapter" and locator is None, line
        assert csl.get("page") in ("41–58", "7–19"), csl


def test_a_bare_page_after_a_hand_typed_book_year_is_the_place_cited() -> None:
    for line, page in (("- سالم مثال. كتاب الأنهار. چاپ دوم. تهران: نشر مثال، 1381. 112.", "112"),
                       ("- Holm, Ray. Rivers of the Plain. Boston: Example Press, 1954. 87–88.",
                        "87–88")):
        works = extract_citations(line, short=True)
        assert len(works) == 1, line
        assert works[0].occurrences[0].locator == page, line
        assert "volume" not in works[0].csl


def test_a_hijri_date_with_its_gregorian_date_gives_the_gregorian_one() -> None:
    from toolkit.citations.text import parse_date

    assert parse_date("1425 هـ - 2004") == "2004"
    assert parse_date("الخميس 1440/3/12 هـ الموافق 2018/11/20 م") == "2018-11-20"
    assert parse_date("1440/3/12 هـ الموافق 20 نوفمبر 2018م") == "2018-11-20"
    assert parse_date("2018/11/20") == "2018-11-20"
    assert parse_date("1425 هـ") is None  # a Hijri year alone is not read as Gregorian
    csl, _ = _read("- ^ دليل المثال للمدن، هيئة المساحة المثالية. (1425 هـ - 2004) الطبعة "
                   "الثانية، صفحة 19")
    assert csl.get("issued") == "2004"


def test_regional_and_more_languages_stated_in_a_line() -> None:
    for note, code in (("(in Brazilian Portuguese)", "pt-BR"), ("(in Serbian)", "sr"),
                       ("(in Simplified Chinese)", "zh-Hans"), ("(in Welsh)", "cy")):
        csl, _ = _read(f'Lima, Rui (3 May 2021). "Example headline". Example Daily {note}. '
                       "Retrieved 4 May 2021.")
        assert csl.get("language") == code, note


def test_a_container_with_an_issue_and_no_volume_and_article_numbers() -> None:
    csl, _ = _read('Dale, A; Ruiz, T (Mar 2, 2016). "Hand washing in example wards". The Example '
                   "Database of Reviews (3): EX004417. doi:10.1234/ex.004417. PMID 12345678.")
    assert (csl.get("container-title"), csl.get("issue")) == ("The Example Database of Reviews",
                                                              "3")
    assert "page" not in csl  # an article number, not a page
    csl, _ = _read('Holm, Ray (2019). "Jobs and example machines". Example Working Papers (214). '
                   "doi:10.1234/ewp.214.")
    assert csl.get("issue") == "214" and csl.get("container-title") == "Example Working Papers"
    csl, _ = _read('Lind, S (2011). "Sleep in example towns". Example Reviews. 9 (4): EX007788. '
                   "doi:10.1234/er.7788.")
    assert (csl.get("volume"), csl.get("issue")) == ("9", "4") and "page" not in csl
    csl, _ = _read('Lind, S (2011). "Sleep in example towns". Example Journal (2): 45–52.')
    assert (csl.get("issue"), csl.get("page")) == ("2", "45–52")


def test_chicago_author_year_head_gives_the_date_and_authors() -> None:
    csl, _ = _read("Ortiz, Ana M. 2004. Salt Roads of the North. Boston: Example Press. "
                   "ISBN 978-0-306-40615-7")
    assert (csl.get("issued"), csl.get("title")) == ("2004", "Salt Roads of the North")
    assert csl["author"][0]["family"] == "Ortiz"
    csl, _ = _read('Berg, Tomas, ed. 1987. "A review of example harbours." Example Board '
                   "Report 12. Leeds: Example Press.")
    assert csl.get("issued") == "1987" and csl.get("editor", [{}])[0].get("family") == "Berg"


def test_pages_then_in_and_the_book_is_a_chapter_range() -> None:
    csl, locator = _read("Holm, R. A. and T. Berg. 2009. Family Exampleidae. pp. 112–190 in "
                         "Fishes of the Example Sea. A. Ruiz ed. Example Press, Leeds.")
    assert (csl.get("page"), csl.get("container-title"), csl.get("type"), locator) == (
        "112–190", "Fishes of the Example Sea", "chapter", None)


def test_a_harvard_short_cite_followed_by_a_note_keeps_its_first_place() -> None:
    for line, who, year, place in (
            ("12. ^ Lutz (1987), p. 41. However, Moreno (2011), p. 9, gives another date.",
             "Lutz", "1987", "41"),
            ("↑ Okafor & Ruiz 1999, p.112 left.", "Okafor", "1999", "112")):
        works = extract_citations(line, short=True)
        assert len(works) == 1, line
        assert works[0].csl["author"][0]["family"] == who
        assert (works[0].csl.get("issued"), works[0].occurrences[0].locator) == (year, place)


def test_a_book_cited_by_volume_and_pages_after_its_unquoted_title() -> None:
    for line in ("4. Lamarck, Jean. 1786. Encyclopédie Méthodique Botanique 2: 310-312 in French",
                 "- ^ Moreau, Anne. 1820. Flora of the Example Coast 3: 45."):
        csl, locator = _read(line)
        assert csl.get("volume") in ("2", "3") and locator in ("310-312", "45"), (csl, locator)
        assert csl.get("title") in ("Encyclopédie Méthodique Botanique",
                                    "Flora of the Example Coast")


def test_an_original_year_in_brackets_is_no_footnote_marker() -> None:
    from toolkit.citations import looks_like_reference

    assert looks_like_reference("Holm, R. A. (1998) [1961]. Tide Tables (Example reprint ed.). "
                                "Leeds: Example Press. ISBN 978-0-306-40615-7 .")
    assert not looks_like_reference("The harbour was closed in 1961.[4] Its trade moved to "
                                    "Leeds, see the ISBN list.")


def test_the_new_patterns_do_not_rescan_runs_of_blanks() -> None:
    # a lazy title or name followed by "\s+" rescanned a long run of line breaks at each step
    # (bench/bench_citations.py: "line breaks (bad end)" 32 -> 54 ms at 5,000 characters)
    from toolkit.citations.assign import _TITLE_VOLUME_PAGES, _TRAILING_YEAR

    run = "\n" * 1_000_000  # the old title pattern took 3 s on this, the new one ms
    assert _TITLE_VOLUME_PAGES.match("A" + run + " !") is None
    assert _TRAILING_YEAR.match("A" + run + "x") is None
