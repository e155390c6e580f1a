"""Views of a graph: RDF -> networkx (model), how nodes look (kinds), the HTML view, and graph exchange files.

One way to draw: :func:`render_view` turns a node/edge model into a :class:`View` (one offline page);
``KnowledgeGraph.view`` gathers the model and calls it.
"""

from .exchange import CYJS_SCHEMA, GRAPH_FORMATS, serialize_network, write_graph
from .html import LAYOUTS, View, render_view
from .model import query_to_networkx, to_networkx

__all__ = [
    "to_networkx",
    "query_to_networkx",
    "render_view",
    "View",
    "LAYOUTS",
    "serialize_network",
    "write_graph",
    "GRAPH_FORMATS",
    "CYJS_SCHEMA",
]
