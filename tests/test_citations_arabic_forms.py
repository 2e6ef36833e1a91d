"""Forms of rendered (mostly Arabic) references: authors, URL, language, pages.

Every line here is made up for the test; none is a corpus line.
"""

from __future__ import annotations

from typing import Any

from toolkit.citations import extract_citations


def _csl(line: str) -> dict[str, Any]:
    works = extract_citations(line, short=True)
    assert works, line
    return works[0].csl


def test_a_reference_that_is_only_a_link_gives_its_url_as_a_work_without_a_title() -> None:
    for line, url in (("https://www.example.org/news/2020/river-report.html",
                       "https://www.example.org/news/2020/river-report.html"),
                      ("1. ^ http://example.net/a/b?id=3", "http://example.net/a/b?id=3"),
                      ("^  http://www.example.org/x.html. {{استشهاد ويب}}: |url= بحاجة لعنوان "
                       "(مساعدة)", "http://www.example.org/x.html"),
                      ("available online at http://example.org/~roe/notes.html",
                       "http://example.org/~roe/notes.html")):
        assert _csl(line) == {"URL": url}, line
    # a mapping needs a title: without ``short`` no work is kept
    assert extract_citations("https://www.example.org/news/2020/river-report.html") == []


def test_a_url_printed_after_a_label_is_the_work_and_the_label_is_no_element() -> None:
    for line, url in (
            ("^ \"سمكة المثال\". موقع المثال. URL: http://example.org/f.html. اطلع عليه بتاريخ 3 "
             "مايو 2015.", "http://example.org/f.html"),
            ("^ سامي عادل (2010). تاريخ المثال. متاح على: http://example.org/book.pdf",
             "http://example.org/book.pdf"),
            ("1. ^ Roe, Jane (2010). Example fishes. Available online at "
             "http://example.org/fishes.pdf. Retrieved 3 May 2015.", "http://example.org/fishes.pdf"),
            ("- ^ أ ب سمكة المثال الزرقاء، http://www.example.org/fish.html، تاريخ الولوج 3 مايو "
             "2015", "http://www.example.org/fish.html")):
        csl = _csl(line)
        assert csl["URL"] == url, line
        assert not {"URL", "متاح على", "Available online at"} & {
            csl.get("publisher"), csl.get("container-title")}, csl


def test_an_archive_copy_or_an_identifier_link_is_not_the_works_url() -> None:
    csl = _csl("\"Example page\". Example Site. Archived from the original on 2 May 2019. "
               "Retrieved 2 May 2019. https://web.archive.org/web/2019/http://example.org/p")
    assert "URL" not in csl
    csl = _csl("Roe, J. (2001). \"A paper\". J. Ex. 3: 4. doi:10.5555/abc. "
               "https://doi.org/10.5555/abc")
    assert "URL" not in csl and csl["DOI"] == "10.5555/abc"
    csl = _csl("6. [\"Example County\"](https://web.archive.org/web/2012/http://example.org/c). "
               "Example Association. Archived from [the original](http://example.org/c) on July "
               "12, 2012. Retrieved June 7, 2011.")
    assert "URL" not in csl
    # the original link printed in the line is kept
    csl = _csl("^ نهر المثال http://www.example.org/river.htm نسخة محفوظة 12 مارس 2016 على موقع "
               "واي باك مشين.")
    assert csl["URL"] == "http://www.example.org/river.htm"


def test_an_access_note_in_brackets_leaves_no_bracket_behind() -> None:
    for line in ("^ Example Fish Database (accessed 3 May 2015)",
                 "^ قاعدة المثال للأسماك (تاريخ الاطلاع: 3 مايو 2015)"):
        csl = _csl(line)
        assert csl["accessed"] == "2015-05-03"
        assert "(" not in csl["title"] and "publisher" not in csl, csl


def test_language_notes_in_the_forms_arwiki_and_enwiki_print() -> None:
    for line, code in (
            ("^ \"سمكة المثال\". موقع المثال (باللغة الألمانية). "
             "اطلع عليه بتاريخ 3 مايو 2015.", "de"),
            ("^ \"Ejemplo\" (باللغة الإسبانية). Base de ejemplo. "
             "اطلع عليه بتاريخ 3 مايو 2015.", "es"),
            ("^ \"مثال\". موقع المثال (بالانجليزية). اطلع عليه بتاريخ 3 مايو 2015.", "en"),
            ("^ \"مثال\". موقع المثال (بالكتالونية). اطلع عليه بتاريخ 3 مايو 2015.", "ca"),
            ("^ \"مثال\". موقع المثال (بالأوكرانية). اطلع عليه بتاريخ 3 مايو 2015.", "uk"),
            ("^ \"Ejemplo\" (بes-ES). Base de ejemplo. اطلع عليه بتاريخ 3 مايو 2015.", "es-ES"),
            ("^ \"Rio\". Exemplo (بالبرتغالية البرازيلية). اطلع عليه بتاريخ 3 مايو 2015.", "pt-BR"),
            ("^ \"Beispiel\". Beispiel Zeitung (بGerman). "
             "اطلع عليه بتاريخ 3 مايو 2015.", "de"),
            ("Roe, J. (2001). \"Beispiel\" (in German). Zeitschrift. 3: 4–5.", "de"),
            ("\"Ejemplo\". El Ejemplo (in Spanish). 2 May 2019. Retrieved 3 May 2019.", "es")):
        csl = _csl(line)
        assert csl.get("language") == code, (line, csl)
        assert not any("(" in v for k, v in csl.items() if isinstance(v, str)), csl


def test_a_variety_or_several_languages_give_no_language_and_no_guess() -> None:
    for line in ("^ \"The river\". Example Times (بالإنجليزية البريطانية). اطلع عليه بتاريخ 3 مايو "
                 "2015.",
                 "^ \"The river\". Example Times (in British English). 3 May 2015.",
                 "^ \"سمكة المثال\". موقع المثال (بالعربية والإنجليزية). اطلع عليه بتاريخ 3 مايو "
                 "2015.",
                 "Roe, J. (2001). The Book of the River (in English and French). Paris: Exemple."):
        csl = _csl(line)
        assert "language" not in csl, (line, csl)
        assert not any("(" in v for k, v in csl.items() if isinstance(v, str)), csl


def _page_and_locator(line: str) -> tuple[str | None, str | None]:
    works = extract_citations(line, short=True)
    assert works, line
    return works[0].csl.get("page"), works[0].occurrences[0].locator


def test_arabic_plural_page_labels_before_a_range() -> None:
    # in a book the pages are the place cited ...
    for line in ("- سامي عادل، تاريخ المثال، دار المثال، بيروت، 2010، الصفحات 34–36.",
                 "- سامي عادل، تاريخ المثال، دار المثال، بيروت، 2010، صفحات 34-36.",
                 "- سامي عادل، تاريخ المثال، دار المثال، بيروت، 2010، ص ص 34-36.",
                 "- سامي عادل، تاريخ المثال، دار المثال، بيروت، ٢٠١٠، ص ص ٣٤-٣٦"):
        page, locator = _page_and_locator(line)
        assert page is None and locator is not None and locator.replace("–", "-") == "34-36", line


def test_cs1_pages_listed_with_an_arabic_comma_are_one_locator() -> None:
    for line in ("^ سامي عادل (2010). تاريخ المثال. بيروت: دار المثال. ص. 24، 30.",
                 "^ منى سالم (1999). أطلس الوادي. القاهرة: دار المثال. ص. 24، 30"):
        assert _page_and_locator(line) == (None, "24، 30"), line
    # one page stays one locator
    assert _page_and_locator("^ سامي عادل (2010). تاريخ المثال. بيروت: دار المثال. ص. 24.") == (
        None, "24")


def _authors(line: str) -> Any:
    return _csl(line).get("author")


def test_arabic_cs1_author_lists() -> None:
    assert _authors("^ عادل، سامي؛ سالم، منى (2010). تاريخ المثال. بيروت: دار المثال.") == [
        {"family": "عادل", "given": "سامي"}, {"family": "سالم", "given": "منى"}]
    assert _authors("^ Roe، J.؛ van Dijk، Peter Paul (2010). \"Fish\". Example Journal. 3 (2): "
                    "4–5.") == [{"family": "Roe", "given": "J."},
                                {"family": "van Dijk", "given": "Peter Paul"}]
    # "وآخرون" / "et al." close the list and are no name
    assert _authors("^ عادل، سامي؛ وآخرون (2010). تاريخ المثال. بيروت: دار المثال.") == [
        {"family": "عادل", "given": "سامي"}]
    assert _authors("^ Roe، Jane؛ et al. (2010). \"Fish\". Example Journal. 3 (2): 4–5.") == [
        {"family": "Roe", "given": "Jane"}]


def test_latin_names_given_first_joined_with_the_arabic_comma() -> None:
    assert _authors("^ Jane Roe، John Doe (2010). \"Fish\". Example Journal. 3 (2): 4–5.") == [
        {"literal": "Jane Roe"}, {"literal": "John Doe"}]
    assert _authors("^ Ana Lima، Rui Costa Neto، Eva Sol (2012). \"Peixes\". Revista Exemplo. "
                    "4: 1–9.") == [{"literal": "Ana Lima"}, {"literal": "Rui Costa Neto"},
                                    {"literal": "Eva Sol"}]
    # one comma between a family and a given name stays inverted
    assert _authors("^ Roe، Jane A. (2010). \"Fish\". Example Journal. 3 (2): 4–5.") == [
        {"family": "Roe", "given": "Jane A."}]


def test_a_waw_typed_apart_joins_two_names() -> None:
    for line in ("^ سامي عادل و منى سالم (2010). تاريخ المثال. بيروت: دار المثال.",
                 "- سامي عادل و منى سالم، تاريخ المثال، دار المثال، بيروت، 2010."):
        assert _authors(line) == [{"literal": "سامي عادل"}, {"literal": "منى سالم"}], line
    assert _authors("^ سامي عادل ومنى سالم (2010). تاريخ المثال. بيروت: دار المثال.") == [
        {"literal": "سامي عادل"}, {"literal": "منى سالم"}]


def test_a_news_agencys_initials_are_one_name_as_printed() -> None:
    assert _authors("^ أ ف ب (2010). \"أسماك النهر\". صحيفة المثال. اطلع عليه بتاريخ 3 مايو "
                    "2015.") == [{"literal": "أ ف ب"}]
    assert _authors("^ ا، د ب (2010). \"أسماك النهر\". مجلة المثال. 3 (2): 4–5.") == [
        {"literal": "ا، د ب"}]


def test_a_persons_title_before_the_name_is_not_part_of_it() -> None:
    for line in ("- د. سامي عادل، تاريخ المثال، دار المثال، بيروت، 2010، ص 34.",
                 "- د، سامي عادل، تاريخ المثال، دار المثال، بيروت، 2010.",
                 "^ أ.د. سامي عادل (2010). تاريخ المثال. بيروت: دار المثال.",
                 "- تأليف سامي عادل، تاريخ المثال، دار المثال، بيروت، 2010."):
        assert _authors(line) == [{"literal": "سامي عادل"}], line


def test_an_institution_glued_to_the_title_by_a_stop_is_the_author() -> None:
    for line, author, title in (
            ("- ^ المعهد العربي لعلوم المثال.سمكة المثال الزرقاء (بالإنكليزية). تاريخ الولوج 21 "
             "تموز 2011.", "المعهد العربي لعلوم المثال", "سمكة المثال الزرقاء"),
            ("- ^ هيئة المثال للأنهار.نهر المثال الكبير. تاريخ الولوج 21 تموز 2011.",
             "هيئة المثال للأنهار", "نهر المثال الكبير")):
        csl = _csl(line)
        assert csl.get("author") == [{"literal": author}] and csl["title"] == title, csl


def test_a_volume_printed_with_its_part_keeps_the_issue_and_the_page() -> None:
    for line in ("1. ^ Roe, Jane (2002). \"The fish of the old river\". Journal of Example Studies "
                 "(بالإنجليزية). 12, part 3 (45): 101–20. ISSN:0000-0000.",
                 "Roe, Jane (2002). \"The fish of the old river\". Journal of Example Studies. 7, "
                 "Part 2 (9): 5–9."):
        csl = _csl(line)
        assert csl["volume"] in ("12, part 3", "7, Part 2"), csl
        assert csl["issue"] in ("45", "9") and csl["page"] in ("101–20", "5–9"), csl
        assert "publisher" not in csl and "publisher-place" not in csl, csl
