"""Citation extraction: the works an article cites, as CSL-JSON, with every citation line."""

from toolkit.citations.parse import (
    Occurrence,
    Work,
    extract_citations,
    looks_like_reference,
    parse_reference,
    read_article,
)

__all__ = ["Occurrence", "Work", "extract_citations", "looks_like_reference", "parse_reference",
           "read_article"]
