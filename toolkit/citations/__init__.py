"""Citation extraction: the works an article cites, as CSL-JSON, with every citation line."""

from toolkit.citations.parse import (
    Occurrence,
    ParsedLine,
    Work,
    extract_citations,
    looks_like_reference,
    parse_reference,
    parse_rendered,
    parse_template,
    read_article,
)

__all__ = ["Occurrence", "ParsedLine", "Work", "extract_citations", "looks_like_reference",
           "parse_reference", "parse_rendered", "parse_template", "read_article"]
