"""Structured-data publishing toolkit for Wikidata and schema.org JSON-LD.

Stages, one module each, data flowing one way::

    mapping files --(mapping)--> Mapping model --(jsonld)--> schema.org JSON-LD
    Mapping + current entities (wikibase) --(desired, diff, qa)--> proposal
    proposal --(review)--> decisions --(apply, the only pywikibot user)--> wiki

The CLI (``toolkit.cli``) only parses arguments and calls these library functions.
"""

__version__ = "0.1.0"
