"""toolkit.citations.refs: works from a page's refs, named refs and short cites.

The wikitext below is a FIXTURE written for these tests (invented works, test DOIs).
"""

from __future__ import annotations

from toolkit.citations.refs import citations_from_wikitext

PAGE = """\
نص أول.<ref name="early" /> ثم مصدر.<ref name="doe">{{cite journal |last=Doe |first=Jane \
|year=2018 |title=A fixture study |journal=Journal of Fixtures |volume=5 |doi=10.5555/x.1}}</ref>
ثم إعادة.<ref name="doe"/> وقصير{{sfn|الحداد|2010|p=5}} وآخر{{sfnp|الحداد|2010|pp=7–9}}.
ومرجع بلا قالب.<ref>Roe, Richard. "A hand-written reference". Example Press, 2001. \
ISBN 978-3-16-148410-0.</ref>
وداخل مرجع<ref>{{harvnb|Smith|Jones|2015|loc=ch. 2}}</ref> \
ومختصر عربي{{استشهاد مختصر|الحداد|2010|ص=12}}.
وغير معرّف.<ref name="nowhere" /> {{sfn|Nobody|1999}}
== المراجع ==
{{reflist|refs=
<ref name="early">{{استشهاد ويب |مسار=https://www.example.org/e |عنوان=صفحة مبكرة |سنة=2020}}</ref>
}}
<references>
<ref name="late">{{cite web |url=https://www.example.org/l |title=Late page}}</ref>
</references>
* {{استشهاد بكتاب |الأخير=الحداد |الأول=عمر |سنة=2010 |عنوان=كتاب اختبار |ناشر=دار الاختبار}}
* {{cite book |last=Smith |last2=Jones |year=2015 |title=The Fixture Book |publisher=Example}}
"""


def by_title(title: str) -> object:
    found = citations_from_wikitext(PAGE)
    return next(w for w in found.works if w.csl.get("title") == title)


def test_a_named_ref_and_its_reuse_are_one_work() -> None:
    work = by_title("A fixture study")
    assert [(o.line, o.text) for o in work.occurrences] == [
        (1, "{{cite journal |last=Doe |first=Jane |year=2018 |title=A fixture study "
            "|journal=Journal of Fixtures |volume=5 |doi=10.5555/x.1}}"),
        (2, '<ref name="doe"/>')]
    assert work.csl["DOI"] == "10.5555/x.1" and work.csl["volume"] == "5"


def test_refs_defined_in_reflist_and_references_are_found_and_reused() -> None:
    early = by_title("صفحة مبكرة")
    assert [o.text for o in early.occurrences] == ['<ref name="early" />',
                                                    early.occurrences[1].text]
    assert early.occurrences[1].line == 8 and early.occurrences[1].text.startswith("{{استشهاد ويب")
    assert by_title("Late page").occurrences[0].line == 11


def test_short_cites_join_their_full_citation_with_locators() -> None:
    book = by_title("كتاب اختبار")
    assert [(o.line, o.locator, o.label) for o in book.occurrences] == [
        (2, "5", "page"), (2, "7–9", "page"), (4, "12", "page"), (13, None, None)]
    smith = by_title("The Fixture Book")
    assert [(o.line, o.locator) for o in smith.occurrences] == [(4, "ch. 2"), (14, None)]
    assert smith.occurrences[0].text == "{{harvnb|Smith|Jones|2015|loc=ch. 2}}"


def test_a_ref_without_a_template_is_read_as_a_rendered_reference() -> None:
    work = by_title("A hand-written reference")
    assert work.csl["ISBN"] == "978-3-16-148410-0"
    assert work.occurrences[0].line == 3 and work.occurrences[0].text.startswith("<ref>Roe")


def test_what_cannot_be_placed_is_reported() -> None:
    found = citations_from_wikitext(PAGE)
    assert found.unresolved == [
        "line 5: <ref name='nowhere' /> is never defined",
        "line 5: short citation Nobody 1999 has no full citation with these authors and year"]
    assert len(found.works) == 6
