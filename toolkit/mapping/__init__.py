"""Mapping files: read, check and write the three YAML files of one article.

``load`` reads and validates a folder (``schema`` checks via ``fast_schema`` and jsonschema,
semantic ``checks``) into the plain dataclasses of ``model``. Nothing here knows about
JSON-LD or wikis: every later stage reads the model.
"""

from toolkit.mapping.load import load_mapping, write_validated
from toolkit.mapping.model import Article, Entity, Mapping, Source

__all__ = ["Article", "Entity", "Mapping", "Source", "load_mapping", "write_validated"]
