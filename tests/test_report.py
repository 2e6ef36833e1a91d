"""Review reports: escaping, right-to-left text, side-by-side content, Markdown safety."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from tests.review_fixture import ARABIC_TITLE, HOSTILE, make_proposal
from toolkit.edits import report, review


class Collector(HTMLParser):
    """Collects tags (with attributes) and text nodes of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.rtl_text: list[str] = []
        self._rtl_depth = 0
        self._stack: list[bool] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag in ("meta", "br", "link", "img", "input"):
            return
        is_rtl = attributes.get("dir") == "rtl"
        self._stack.append(is_rtl)
        self._rtl_depth += is_rtl

    def handle_endtag(self, tag):
        if self._stack:
            self._rtl_depth -= self._stack.pop()

    def handle_data(self, data):
        self.text.append(data)
        if self._rtl_depth:
            self.rtl_text.append(data)


def parse(page: str) -> Collector:
    collector = Collector()
    collector.feed(page)
    return collector


def test_html_has_no_script_and_shows_hostile_label_as_text():
    doc = make_proposal()
    page = report.render_html(doc)
    parsed = parse(page)
    assert not [t for t, _ in parsed.tags if t in ("script", "iframe", "object", "embed")]
    assert not [a for _, a in parsed.tags for k in a if k.startswith("on")]
    text = "".join(parsed.text)
    assert HOSTILE in text  # shown, as text
    assert "<script>" not in page.replace("&lt;script&gt;", "")


def test_html_is_self_contained():
    page = report.render_html(make_proposal())
    parsed = parse(page)
    # nothing is loaded: no stylesheet links, images, frames or scripts with a source
    for tag, attrs in parsed.tags:
        assert tag not in ("link", "img", "iframe", "script"), tag
        assert "src" not in attrs
    csp = [a for t, a in parsed.tags if t == "meta" and a.get("http-equiv")]
    assert csp and "default-src 'none'" in (csp[0]["content"] or "")


def test_arabic_is_marked_right_to_left():
    parsed = parse(report.render_html(make_proposal()))
    assert ARABIC_TITLE in "".join(parsed.rtl_text)
    assert any(a.get("lang") == "ar" and a.get("dir") == "rtl" for _, a in parsed.tags)
    # the Arabic citation (from the article) is direction-neutral: dir=auto
    assert any(t == "q" and a.get("dir") == "auto" for t, a in parsed.tags)


def test_side_by_side_current_and_proposed_with_labels_and_citation():
    doc = make_proposal()
    page = report.render_html(doc)
    # the existing P31 claim is shown as current next to the reference being added
    section = page.split('id="source:fixture-article"')[1].split("</section>")[0]
    assert 'class="current"' in section and 'class="proposed"' in section
    assert "Q13442814" in section
    # a reference to the new item shows its placeholder and label, without a link
    assert "NEW-fixture-book</span>" in section and "Fixture book" in section
    # the citation the edit comes from and the mapping line
    assert "mappings/fixture/sources.yaml:12" in section
    assert "«مقالة اختبارية»، 2018." in section
    # entity links go to the site's entity URI
    assert 'href="http://wikibase.test/entity/Q13442814"' in section


def test_review_state_is_shown():
    doc = make_proposal()
    review.decide(doc, approve=["op-000000000101"], reviewer="Fixture <b>Reviewer</b>",
                  comment="ok")
    page = report.render_html(doc)
    row = page.split('id="op-000000000101"')[1].split("</tr>")[0]
    assert 'class="state-approved"' in row
    assert "Fixture &lt;b&gt;Reviewer&lt;/b&gt;" in row


def test_new_item_and_unchanged_entity():
    page = report.render_html(make_proposal())
    assert "(new item)" in page
    assert "No change proposed." in page


def test_markdown_escapes_wiki_and_markdown_syntax():
    doc = make_proposal()
    text = report.render_markdown(doc)
    for active in ("<script>", "[[", "{{", "~~~~", "](", "|"):
        assert active not in text, active
    assert "&#60;script&#62;" in text
    assert ARABIC_TITLE in text
    # every entity has a heading, every operation a line with its state
    assert text.count("\n### ") == 5
    assert len(re.findall(r"^\* pending: ", text, re.M)) == 11


def test_escape_markdown_round_trips_through_html_unescape():
    import html

    sample = "a*b_c [x](y) {{t}} ~~~~ '''b''' <i> | # = : &amp; \\ `c`\nnext"
    escaped = report.escape_markdown(sample)
    assert html.unescape(escaped) == sample.replace("\n", " ")
    bare = re.sub(r"&#\d+;", "", escaped)
    assert not set(bare) & set("*_[]{}~'<>|#=:;&`\\")


def test_write_outputs_atomically(tmp_path):
    doc = make_proposal()
    out = report.write_html(doc, tmp_path / "sub" / "review.html")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    md = report.write_markdown(doc, tmp_path / "review.md")
    assert md.read_text(encoding="utf-8").startswith("## Review of batch")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["review.html", "review.md", "sub"]


def test_batch_wide_notes_are_shown_escaped():
    """Notes about the whole batch (e.g. references without a permanent link) reach the
    reviewer in every report."""
    doc = make_proposal()
    doc["notes"] = ["article has no revision/permalink: references lack a permanent link",
                    "fixture " + HOSTILE]
    page = report.render_html(doc)
    collected = Collector()
    collected.feed(page)
    text = "".join(collected.text)
    assert "references lack a permanent link" in text
    assert HOSTILE in text and "<script>" not in page
    markdown = report.render_markdown(doc)
    assert "references lack a permanent link" in markdown and "<script>" not in markdown
    assert "references lack a permanent link" in review.summarize(doc)


def test_seed_review_names_properties_classes_and_confirmed_items():
    from pathlib import Path

    from toolkit.edits.proposal import ProposeSettings, build_proposal
    from toolkit.mapping.load import load_mapping

    seed = Path(__file__).resolve().parents[1] / "mappings" / "cybersex-trafficking"
    proposal = build_proposal(load_mapping(seed), ProposeSettings(offline=True))
    labels = proposal["run"]["labels"]
    assert labels["P31"] == "instance of" and labels["Q740308"] == "UNICEF"
    assert "Q176916" not in labels  # a candidate QID is not presented as known
    html = report.render_html(proposal)
    assert "(instance of)" in html and 'class="label">scholarly article<' in html
