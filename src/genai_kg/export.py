"""Serialising the graph in the standard formats that Protégé, triple stores and other RDF tools load."""

from __future__ import annotations

from rdflib import Graph

from .errors import UnsupportedFormat

__all__ = ["EXPORT_FORMATS", "serialize_graph"]

#: Our format names → rdflib serializer names.
EXPORT_FORMATS = {"ttl": "turtle", "turtle": "turtle", "xml": "xml", "json-ld": "json-ld", "nt": "nt"}


def serialize_graph(graph: Graph, format: str = "turtle") -> str:
    """Serialise ``graph`` as Turtle, RDF/XML, JSON-LD or N-Triples, as text.

    JSON-LD carries an inline ``@context`` built from the graph's bound prefixes, so a reader never has to
    fetch a remote context. N-Triples are sorted, so the same graph always gives the same file.
    """
    try:
        name = EXPORT_FORMATS[format]
    except KeyError:
        raise UnsupportedFormat(
            f"--format: unknown RDF format {format!r}; use one of {', '.join(EXPORT_FORMATS)}"
        ) from None
    if name == "json-ld":
        context = {p: str(ns) for p, ns in graph.namespace_manager.namespaces() if p}
        return graph.serialize(format="json-ld", context=context, auto_compact=True, indent=2)
    if name == "nt":
        text = graph.serialize(format="nt")
        return "".join(sorted(set(text.splitlines(keepends=True)))).lstrip("\n")
    return graph.serialize(format=name)
