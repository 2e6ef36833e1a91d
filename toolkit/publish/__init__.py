"""Publish JSON-LD: the schema.org graph of a mapping, its embeddings, and the checker.

``graph`` builds the compact ``@graph`` (and serialises it: expanded, N-Quads, HTML);
``loader`` is pyld's offline document loader; ``check`` checks any JSON-LD file or page
against the schema.org vocabulary and the toolkit's output profile.
"""

from toolkit.publish.check import check_file
from toolkit.publish.graph import JsonldSettings, build_graph, publish, to_html, to_nquads

__all__ = ["JsonldSettings", "build_graph", "check_file", "publish", "to_html", "to_nquads"]
