"""Authors and editors of rendered reference lines, one test per form real pages print.

The examples are made up in the form of each phenomenon; they are not corpus lines.
"""

from __future__ import annotations

from toolkit.citations import extract_citations


def _csl(line: str) -> dict:
    works = extract_citations(line, short=True, mode="combined")
    assert works, line
    return works[0].csl


def _literals(names: list[dict[str, str]] | None) -> list[str]:
    return [n.get("literal", "") for n in names or []]


def test_wikidata_names_joined_by_a_lone_waw_are_two_people() -> None:
    csl = _csl("- المؤلف: Maria L. Ortega، Paul Denning و Keiko Sato — العنوان : Notes on the "
               "frogs of the upper Nile — نشر في: Journal of Imaginary Herpetology — المجلد: 4 "
               "— الصفحة: 11–19")
    assert _literals(csl.get("author")) == ["Maria L. Ortega", "Paul Denning", "Keiko Sato"]
    csl = _csl("1. المؤلف: Hans Weber و Ana Lima — العنوان : A checklist of made-up beetles — "
               "المجلد: 12 — الصفحة: 1–40")
    assert _literals(csl.get("author")) == ["Hans Weber", "Ana Lima"]


def test_wikidata_glued_waw_parts_arabic_names_but_not_a_name_beginning_with_waw() -> None:
    csl = _csl("المؤلف: سمير خليل وهدى كامل — العنوان : دراسة في نباتات الصحراء — المجلد: 3 — "
               "الصفحة: 5–9")
    assert _literals(csl.get("author")) == ["سمير خليل", "هدى كامل"]
    csl = _csl("المؤلف: أحمد وليد سالم — العنوان : الطيور المهاجرة — المجلد: 2 — الصفحة: 7")
    assert _literals(csl.get("author")) == ["أحمد وليد سالم"]


def test_wikidata_editor_label_gives_editors() -> None:
    csl = _csl("2. المحرر: جون سميث و Mary K. Brown — العنوان : Mammals of an Invented Land — "
               "الناشر: دار المثال — ISBN 978-0-306-40615-7 — تاريخ الاطلاع: 3 مايو 2019")
    assert _literals(csl.get("editor")) == ["جون سميث", "Mary K. Brown"]
    assert "author" not in csl
    csl = _csl("Editor: Lena Park and Omar Haddad — Title: A Field Guide to Nowhere — "
               "Publisher: Example Press")
    assert _literals(csl.get("editor")) == ["Lena Park", "Omar Haddad"]


def test_a_back_link_letter_glued_to_the_first_author_is_not_part_of_the_name() -> None:
    csl = _csl('12. ^ a bMorrow, Helen (2004). "Tides of the Invented Sea". Journal of Examples. '
               "3 (2): 10–20.")
    assert csl.get("author") == [{"family": "Morrow", "given": "Helen"}]
    csl = _csl("7. ^ a b c dQuist, P. L.; Ramos, T. (1999). A Book of Made-up Facts. Oxford: "
               "Example Press. ISBN 978-0-306-40615-7.")
    assert csl.get("author") == [{"family": "Quist", "given": "P. L."},
                                 {"family": "Ramos", "given": "T."}]


def test_jump_up_to_with_numbered_back_links_and_no_caret() -> None:
    csl = _csl("Jump up to: 1 2 Ferris, Alan; Grey, Beth (2010). A Made-up Handbook. London: "
               "Example House. ISBN 978-0-306-40615-7 .")
    assert csl.get("author") == [{"family": "Ferris", "given": "Alan"},
                                 {"family": "Grey", "given": "Beth"}]


def test_underscores_of_a_linked_name_are_spaces() -> None:
    csl = _csl('3. ^Lindqvist,_Anna (2001). "A Chapter of Nothing". An Invented Volume. Example '
               "Press. p. 9. ISBN 978-0-306-40615-7.")
    assert csl.get("author") == [{"family": "Lindqvist", "given": "Anna"}]


def test_harvard_short_cites_give_family_names_with_chapter_labels_and_two_word_surnames() -> None:
    csl = _csl("Morrow (2011), chpt. 4")
    assert csl.get("author") == [{"family": "Morrow"}] and csl.get("issued") == "2011"
    csl = _csl("^ Lopez Garcia 2003, p. 88")
    assert csl.get("author") == [{"family": "Lopez Garcia"}]
    csl = _csl("Quist, 1999. Chapter 12")
    assert csl.get("author") == [{"family": "Quist"}] and csl.get("issued") == "1999"


def test_harvard_short_cite_followed_by_an_editors_note() -> None:
    works = extract_citations("7. ^ Ferris & Grey (2010), p. 41, second column.", short=True)
    assert works[0].csl.get("author") == [{"family": "Ferris"}, {"family": "Grey"}]
    assert works[0].occurrences[0].locator == "41"
    works = extract_citations("3. ^ Lindqvist (1988), pp. 5–6. But Morrow (2011), p. 9, "
                              "disagrees on the date.", short=True)
    assert works[0].csl.get("author") == [{"family": "Lindqvist"}]
    assert works[0].occurrences[0].locator == "5–6" and "title" not in works[0].csl


def test_one_author_before_a_quoted_title_when_the_line_has_no_date() -> None:
    csl = _csl('Example Harbour Authority. "Tide tables for 2020". Harbour News. Retrieved 2 '
               "March 2021.")
    assert csl.get("author") == [{"literal": "Example Harbour Authority"}]
    assert csl.get("title") == "Tide tables for 2020"
    csl = _csl('^ الوطن الجديدة. "افتتاح متحف المدينة القديمة". www.example.com. مؤرشف من الأصل '
               "في 2020-01-02. اطلع عليه بتاريخ 2020-01-02.")
    assert csl.get("author") == [{"literal": "الوطن الجديدة"}]
    assert csl.get("title") == "افتتاح متحف المدينة القديمة"


def test_hand_typed_arabic_book_with_a_by_marker_between_dashes() -> None:
    csl = _csl("- معجم النجوم الصغير - تأليف سامي عادل - دار المثال للنشر - عمان، الأردن 2011.")
    assert csl.get("author") == [{"literal": "سامي عادل"}]
    assert csl.get("title") == "معجم النجوم الصغير"
    assert csl.get("publisher") == "دار المثال للنشر" and csl.get("issued") == "2011"
    csl = _csl("كتاب الأنهار - تأليف ليلى حسن و مراد علي - مكتبة المثال، القاهرة - ص. 40.")
    assert csl.get("author") == [{"literal": "ليلى حسن"}, {"literal": "مراد علي"}]


def test_hand_typed_arabic_author_title_place_year_with_an_honorific_or_a_one_word_title() -> None:
    csl = _csl("1. د، هالة سمير نجم، موسوعة الطيور المائية، دمشق، 2009، ص 77")
    assert csl.get("author") == [{"literal": "هالة سمير نجم"}]
    assert csl.get("title") == "موسوعة الطيور المائية" and csl.get("publisher-place") == "دمشق"
    csl = _csl("4. كريم ناصر، الزواحف، القاهرة، 1998، ص 12")
    assert csl.get("author") == [{"literal": "كريم ناصر"}]
    assert csl.get("title") == "الزواحف" and csl.get("publisher-place") == "القاهرة"


def test_author_year_heads_without_brackets_invert_only_the_first_name() -> None:
    csl = _csl("• Okafor, B. T. and L. M. Varga. 2001. A revision of the invented voles. pp. "
               "10–80 in Rodents of Nowhere. Example University Press, Springfield.")
    assert csl.get("author") == [{"family": "Okafor", "given": "B. T."},
                                 {"literal": "L. M. Varga"}]
    assert csl.get("issued") == "2001" and csl.get("title") == "A revision of the invented voles"
    csl = _csl("3. Lindqvist, A. K., P. Moreau, T. R. Haddad & J. Sato. 1994. Checklist of made-up "
               "grasses. Memoirs of an Invented Survey 4(2): 1–90.")
    assert [n.get("literal") or n["family"] for n in csl.get("author", [])] == [
        "Lindqvist", "P. Moreau", "T. R. Haddad", "J. Sato"]


def test_author_year_heads_of_a_body_or_an_editor() -> None:
    csl = _csl('Example Ministry of Transport. March 2018. "Roads of Tomorrow." Pp. 4, 9–11.')
    assert csl.get("author") == [{"literal": "Example Ministry of Transport"}]
    assert csl.get("issued") == "2018-03"
    csl = _csl('Ferris, Alan J., ed. 2004. "A Review of Invented Bridges." Example Board Report '
               "12. Springfield: Example Academy Press.")
    assert csl.get("editor") == [{"family": "Ferris", "given": "Alan J."}]
    assert "author" not in csl


def test_book_editors_right_after_the_head_cs2_and_cs1() -> None:
    csl = _csl('Roe, Jane; Doe, John (2018), Lindqvist, Anna; Morrow, Helen (eds.), "A Chapter '
               'on Examples", Example Proceedings, vol. 12, Example Press, pp. 1–9')
    assert csl.get("editor") == [{"family": "Lindqvist", "given": "Anna"},
                                 {"family": "Morrow", "given": "Helen"}]
    assert csl.get("title") == "A Chapter on Examples"
    csl = _csl("Quist, P. (2010) [1975, 1962]. Ferris, Alan; Grey, Beth (eds.). Handbuch der "
               "Beispiele (in German). Example-Verlag. p. 12. ISBN 978-0-306-40615-7.")
    assert csl.get("editor") == [{"family": "Ferris", "given": "Alan"},
                                 {"family": "Grey", "given": "Beth"}]
    assert csl.get("title") == "Handbuch der Beispiele"


def test_editors_with_initials_then_the_role_after_the_book() -> None:
    csl = _csl("• Okafor, B. T. 2001. Family Examplidae. pp. 10–80 in Rodents of Nowhere. A. B. "
               "Ferris and C. D. Grey eds. Example University Press, Springfield.")
    assert csl.get("editor") == [{"literal": "A. B. Ferris"}, {"literal": "C. D. Grey"}]
    csl = _csl("Roe, J. (1999). Why examples matter. In: K. L. Morrow, Editor, Essays on "
               "Examples, Example Press. pp. 5–19.")
    assert csl.get("editor") == [{"literal": "K. L. Morrow"}]
    assert csl.get("author") == [{"family": "Roe", "given": "J."}]


def test_inverted_initials_list_with_the_last_pair_joined_by_an_ampersand() -> None:
    csl = _csl('4. Okafor, B., Varga, L. & Sato, K. (2003). "An invented marsupial". Example '
               "Journal, 9, 1–12.")
    assert csl.get("author") == [{"family": "Okafor", "given": "B."},
                                 {"family": "Varga", "given": "L."},
                                 {"family": "Sato", "given": "K."}]
    csl = _csl('Roe, J. and Doe, A. B. (1990). "Examples revisited". Example Letters, 2, 5–8.')
    assert csl.get("author") == [{"family": "Roe", "given": "J."},
                                 {"family": "Doe", "given": "A. B."}]


def test_a_person_named_after_translated_or_edited_by_is_not_the_author() -> None:
    csl = _csl("^ Letters from an Invented Island, translated by Mary Example Roe. London: "
               "Example & Co., 1901, p. 12.")
    assert "author" not in csl and csl.get("title") == "Letters from an Invented Island"
    csl = _csl("^ Essays on Examples, edited by John Doe. Springfield: Example Press, 1950.")
    assert "author" not in csl and csl.get("editor") == [{"literal": "John Doe"}]


def test_inverted_name_before_a_stop_with_two_given_names_or_joined_initials() -> None:
    csl = _csl("Roe, Mary Ann. A Survey of Invented Bees in the Example Valley. Diss. 2009. Web. "
               "3 May 2012.")
    assert csl.get("author") == [{"family": "Roe", "given": "Mary Ann"}]
    csl = _csl("Quist, P.L. Invented Machines and Devices. Example Press, 2004. "
               "ISBN 978-0-306-40615-7.")
    assert csl.get("author") == [{"family": "Quist", "given": "P.L."}]


def test_vancouver_line_with_a_stop_for_the_semicolon_after_the_date() -> None:
    csl = _csl("Roe JA, Doe B. Invented games on a grid. Journal of Example Studies. 2012 Jan 5. "
               "33(4):101–09.")
    assert csl.get("author") == [{"family": "Roe", "given": "JA"}, {"family": "Doe", "given": "B"}]
    assert csl.get("volume") == "33" and csl.get("container-title") == "Journal of Example Studies"
    csl = _csl("Quist P, Morrow H, Sato K. Made-up proteins. Example Biology. 2001. 7(2):5–9.")
    assert [n["family"] for n in csl.get("author", [])] == ["Quist", "Morrow", "Sato"]


def test_an_arabic_academy_or_agency_written_first_is_the_corporate_author() -> None:
    csl = _csl("4. ^ مجمع اللغة المثالي بدمشق. المعجم الصغير. دار المثال. 1990.")
    assert csl.get("author") == [{"literal": "مجمع اللغة المثالي بدمشق"}]
    csl = _csl("^ الوكالة الوطنية للمثال. تقرير المياه السنوي. الرباط. 2015.")
    assert csl.get("author") == [{"literal": "الوكالة الوطنية للمثال"}]


def test_hand_typed_natural_order_names_then_a_quoted_title_with_no_stop() -> None:
    csl = _csl('^ Mary Roe, Ana de Lima "A Dictionary of Invented Theatre" Example Press 2009, '
               "p. 12")
    assert csl.get("author") == [{"literal": "Mary Roe"}, {"literal": "Ana de Lima"}]
    assert csl.get("title") == "A Dictionary of Invented Theatre"
    csl = _csl('^ Jean Doe & Paul Ferris "Invented Courts: Cases and Notes" Example University '
               "Press 2011 ISBN 978-0-306-40615-7 p. 9")
    assert csl.get("author") == [{"literal": "Jean Doe"}, {"literal": "Paul Ferris"}]
