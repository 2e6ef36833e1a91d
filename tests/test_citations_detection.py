"""Which lines are references: forms real pages print (made-up examples, not corpus lines)."""

from __future__ import annotations

from toolkit.citations import extract_citations, looks_like_reference


def test_the_edit_link_copied_before_the_first_back_link_still_marks_a_reference() -> None:
    assert looks_like_reference("عدل- ^ ا ب Invented Bird Checklist Version 2.1 (بالإنجليزية), "
                                "3 Mar 2019, DOI:10.5555/EXAMPLE.2.1")
    assert looks_like_reference("[edit]- ^ a b Example Fish Index, 2020, doi:10.5555/fish.1")
    # the edit link before a prose sentence is still prose
    assert not looks_like_reference("[عدل]- هذه المقالة بذرة تحتاج للنمو والتحسين فساهم في "
                                    "إثرائها بالمشاركة في تحريرها")


def test_an_original_year_in_brackets_is_not_a_footnote_marker() -> None:
    line = ("Quist, P. L. (2004) [1961]. A Made-up Treatise (reprint ed.). Springfield: Example "
            "Press. ISBN 978-0-306-40615-7 .")
    assert looks_like_reference(line)
    assert extract_citations(line)[0].csl.get("author") == [{"family": "Quist", "given": "P. L."}]
    # prose with footnote markers is still not a reference
    assert not looks_like_reference("The river was first mapped in 1961 [12] and again later "
                                    "by a survey team from the capital.[13]")


def _records(line: str) -> int:
    return len(extract_citations(line))


def test_species_list_items_with_author_and_year_give_no_record() -> None:
    for line in ("Examplea viridis (Smithson, 1901). Green example frog.",
                 "• Examplea rubra Okafor & Varga, 1999 – red example frog",
                 "- ضفدع المثال الأخضر (Examplea viridis) (سميثسون، 1901).",
                 "[عدل]- سحلية المثال الرملية (أوكافور وفارغا، 1999)"):
        assert _records(line) == 0, line
    # the same taxon in a database reference is still a reference
    assert _records("Examplea viridis (Smithson, 1901). The Example Database. Retrieved 2 May "
                    "2019.") == 1


def test_captions_stub_notices_and_category_rows_give_no_record() -> None:
    for line in ("صورة لجبل المثال، من أطلس الجبال، 1901.", "Map of the Example basin, 2008.",
                 "The comet as seen in 2001. Photo: Example Observatory.",
                 "Jane Roe (1950). Photograph by John Doe.",
                 "هذه بذرة مقالة عن جغرافيا المثال. فضلًا ساعد في تطويرها.",
                 "This article about an example river is a stub. You can help Wikipedia.",
                 "تصنيفات: أنهار المثال، جغرافيا.", "Categories: Example rivers, Geography."):
        assert _records(line) == 0, line


def test_prose_infobox_measures_and_see_also_items_give_no_record() -> None:
    for line in ("يقع الجبل في منطقة المثال. يبلغ ارتفاعه 1,400 متر، وهو من أعلى الجبال.",
                 "The frog was first described in 1901. It lives in wet forests.",
                 "Roe, Jane. 1950. She moved to Example City in her youth.",
                 "Elevation 1,190 m (3,900 ft). Prominence 700 m.",
                 "* قائمة أنهار المثال، نهر الوادي.", "• List of example rivers by length."):
        assert _records(line) == 0, line
    # a lone hand-typed book line is still a reference
    assert _records("- موسوعة المثال، تأليف سامي عادل، دار المثال، بيروت، 1988 م.") == 1


def test_a_cite_q_line_whose_item_printed_no_label_is_kept_with_its_page() -> None:
    for line, page in (("1. ^ Q99999001، ص. 41، QID:Q99999001", "41"),
                       ("- ^ أ ب Q99999002، ج. 3، ص. 77، QID:Q99999002", "77")):
        works = extract_citations(line, short=True)
        assert len(works) == 1 and "title" not in works[0].csl, line
        assert works[0].occurrences[0].locator == page
        assert any("Q9999900" in note for note in works[0].notes)
    # without ``short`` (a mapping needs a title) it is left out, as short citations are
    assert extract_citations("1. ^ Q99999001، ص. 41، QID:Q99999001") == []


def test_see_also_and_related_article_headings_with_their_items_give_no_record() -> None:
    for line in ("مقالات ذات صلة: نهر الوادي، جبل المثال، 2001.",
                 "انظر أيضًا: قائمة أنهار المثال، بحيرة المثال.",
                 "See also: List of example lakes, Example River (1999)."):
        assert _records(line) == 0, line


def test_a_caption_and_its_year_alone_gives_no_record() -> None:
    for line in ("الوادي قرب قرية المثال، 2010.", "سمكة المثال في حوض العرض، 2014.",
                 "The Example Falls in winter, 2008."):
        assert _records(line) == 0, line
    # a line with an author, a work and a year is still a reference
    assert _records("- سامي عادل، أطلس المثال، 2010.") == 1


def test_a_height_in_metres_with_a_thousands_mark_is_an_infobox_row() -> None:
    for line in ("أعلى نقطة قمة المثال، 2,190 م.", "ارتفاع الجبل، 1,350 م."):
        assert _records(line) == 0, line
    # "م" after a year is the era (AD), not metres
    assert _records("- موسوعة المثال، تأليف سامي عادل، دار المثال، بيروت، 1988 م.") == 1


def test_a_footnote_that_explains_is_prose_even_with_a_year() -> None:
    for line in ("^ The name refers to the colour of the fish, which was first described by "
                 "Roe in 1901 from a single dried skin.",
                 "- ^ يشير الاسم إلى لون السمكة الذي وصفه الباحث في عام 1901 من عينة واحدة "
                 "محفوظة في متحف المثال القديم."):
        assert _records(line) == 0, line
    # a numbered reference with a year in brackets is still a reference
    assert _records("^ Roe, Jane (1901). The fishes of the example river and the lakes that "
                    "feed it, which were surveyed in the spring. Example Press.") == 1


def test_infobox_rows_of_arabic_labels_give_no_record() -> None:
    for line in ("تاريخ الوصف: 1901. الواصف: سميثسون.", "الطول: 1,200 كم. المصب: بحر المثال.",
                 "الارتفاع: 2,100 م. السلسلة: جبال المثال. الموقع: وادي المثال."):
        assert _records(line) == 0, line
    # a book with a subtitle and "place: publisher" is still a reference
    for line in ("Example River: A History. London: Example Press, 2001.",
                 "تاريخ المثال: دراسة. بيروت: دار المثال، 2001."):
        assert _records(line) == 1, line


def test_short_explaining_notes_and_page_footers_give_no_record() -> None:
    for line in ("^ Also spelled Exampel in older sources.", "^ a b The figures are for 2010.",
                 "- ^ يسمى النهر أيضا نهر الوادي في المصادر القديمة.",
                 "آخر تعديل لهذه الصفحة كان يوم 3 مايو 2020، الساعة 10:00.",
                 "This page was last edited on 3 May 2020, at 10:00 (UTC)."):
        assert _records(line) == 0, line
    # a short numbered reference is still one
    assert _records("^ Roe, Jane (2001). Example River. Example Press.") == 1


def test_a_common_name_and_its_binomial_alone_is_a_species_list_item() -> None:
    for line in ("- سمكة المثال الزرقاء، Examplea caerulea.", "• ضفدع الوادي (Examplea rubra)",
                 "- قنفذ المثال: Examplus minor"):
        assert _records(line) == 0, line


def test_hatnotes_table_rows_and_infobox_parameters_give_no_record() -> None:
    for line in ("لمعانٍ أخرى، انظر نهر المثال (توضيح).",
                 "For other uses, see Example Bay (disambiguation).",
                 "مدن | وادي المثال، تل المثال، عين المثال |",
                 "| Example district | 3 | 12,400 |",
                 "|مقر           = 12 شارع المثال، حي الزهور، [[مدينة المثال]]",
                 "| headquarters = 4 Example Road, Springfield"):
        assert _records(line) == 0, line
    # a reference that names a disambiguated article in its title is still one
    assert _records('"Example Bay (bay)". The Example Gazetteer. Retrieved 2 May 2019.') == 1


def test_numbered_notes_and_lone_dead_link_tags_give_no_record() -> None:
    for line in ("7. ^ Figures taken from the example survey of June 2011.[14]",
                 "3. ^ Some writers, e.g. the example society, count the bridge as the oldest.[8]",
                 "12. ^  In an interview for the example magazine, the architect said that the "
                 "tower was meant to look unfinished.",
                 "22. [permanent dead link]", "4. [وصلة مكسورة]"):
        assert _records(line) == 0, line
    # a numbered reference with a footnote-like page mark and its signals is still one
    assert _records("7. ^ Quist, P. L. (2004). A Made-up Treatise. Springfield: Example Press. "
                    "p. 12. ISBN 978-0-306-40615-7.") == 1
