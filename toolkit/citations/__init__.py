"""Citation extraction: the works an article cites, as CSL-JSON, with every citation line.

Three inputs are understood, and may be mixed in one file:

* rendered reference lists copied from Arabic or English Wikipedia (CS1/CS2 output:
  ``Last، First (2018). "Title". Journal. ج. 54 ع. 1: 64–183.``), including back-link
  markers, archive/access notes, leaked template error messages (dropped) and a trailing
  locator the editor typed after the template (``p. 64.``, ``pp. 1–4.``, ``Abstract.``);
* wikitext citation templates (``{{cite journal}}``, ``{{استشهاد بكتاب}}`` …), read with
  mwparserfromhell, with English or Arabic parameter names;
* a single reference per line, including hand-typed ones and short citations.

:func:`extract_citations` groups repeated citations of one work into one :class:`Work`
that keeps every occurrence (line, text, locator). Parsing is heuristic: a field is only
filled when its pattern is recognised, so a missing field is more likely than a wrong one.

Modules, lowest first (a module imports only modules above it in this list):

* ``text``: cleaning, digits, dates, script hints (the shared token layer);
* ``names``: personal and corporate names; ``model``: ``Work``, ``Occurrence``,
  ``ParsedLine``, CSL field order;
* ``markup``, ``patterns``, ``classify``: markup and noise, pattern tables of rendered
  references, what an element names; ``sites`` (a site's name glued to a web title) and
  ``places`` ("Place: Publisher");
* one module per input form: ``wikitext`` (templates), ``freeform`` (hand-typed lines,
  short citations, Vancouver lines), and the rendered CS1/CS2 form as ``head`` →
  ``periodical`` (element rules of journals: MLA, issue-only, colon pages) → ``elements``
  → ``assign`` → ``rendered`` (``parse_rendered``, a sequence of small steps);
* ``detect`` (``looks_like_reference``) and ``extract`` (``extract_citations``, the one
  entry point, ``read_article``, ``parse_reference``).

Beside them: ``labelled`` (Wikidata-driven "label: value" references, rules: the format is
exact), ``refs`` (a page's wikitext: ``<ref>`` names and reuse, ``{{reflist|refs=}}``,
``{{sfn}}``/``{{harvnb}}`` short cites joined to their full citation) and the learned labeller
(``features`` → ``labeller``, trained by ``train``), which ``extract`` combines with the rules
per field (``labeller.improve``).

Patterns are written so that no line makes them backtrack for long (see
tests/test_citations_adversarial.py and bench/bench_citations.py): one parse per word or number,
bounded lazy scans after common words, no lazy name growing through a run of blanks.
"""

from toolkit.citations.detect import looks_like_reference
from toolkit.citations.extract import extract_citations, parse_reference, read_article
from toolkit.citations.model import Occurrence, ParsedLine, Work
from toolkit.citations.rendered import parse_rendered
from toolkit.citations.wikitext import parse_template

__all__ = ["Occurrence", "ParsedLine", "Work", "extract_citations", "looks_like_reference",
           "parse_reference", "parse_rendered", "parse_template", "read_article"]
