"""Views of a graph: RDF -> networkx (model), how nodes look (kinds), the HTML view, and graph exchange files."""

from .exchange import CYJS_SCHEMA, GRAPH_FORMATS, serialize_network, write_graph
from .html import LAYOUTS, HtmlView, render_html, render_page, show, write_html
from .model import query_to_networkx, to_networkx

__all__ = [
    "to_networkx",
    "query_to_networkx",
    "render_html",
    "render_page",
    "write_html",
    "show",
    "HtmlView",
    "LAYOUTS",
    "serialize_network",
    "write_graph",
    "GRAPH_FORMATS",
    "CYJS_SCHEMA",
]
