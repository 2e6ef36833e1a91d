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
