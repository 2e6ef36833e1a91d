"""Structured-data publishing toolkit for Wikidata and schema.org JSON-LD.

Stages, one module each, data flowing one way::

    mapping files --(mapping)--> Mapping model --(jsonld)--> schema.org JSON-LD
    Mapping + current entities (wikibase) --(desired, diff, qa)--> proposal
    proposal --(review)--> decisions --(apply; edits.pywikibot_session writes)--> wiki

The CLI (``toolkit.cli``) only parses arguments and calls these library functions.
"""

from pathlib import Path

__version__ = "0.1.0"
PROJECT = "wikidata-publishing-toolkit"


def product() -> str:
    """How the toolkit names itself in every User-Agent: ``PROJECT/version``."""
    return f"{PROJECT}/{__version__}"


def schema_dir() -> Path:
    """The folder of the JSON Schemas: ``schemas/`` in a source tree, ``toolkit/schemas/``
    in an installed package (pyproject.toml maps one to the other)."""
    here = Path(__file__).resolve().parent
    installed = here / "schemas"
    return installed if installed.is_dir() else here.parent / "schemas"
