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
    fetch a remote context. N-Triples are sorted, with canonical blank node labels, so the same graph always
    gives the same file.
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
        return _canonical_ntriples(graph)
    try:
        return graph.serialize(format=name)
    except ValueError as exc:
        if name == "xml" and "no valid way to shorten" in str(exc):
            iri = str(exc).rsplit(" ", 1)[-1]
            raise UnsupportedFormat(
                f"--format xml: RDF/XML cannot write the property <{iri}> (its IRI does not end in a name);"
                " use ttl, nt or json-ld"
            ) from None
        raise


def _canonical_ntriples(graph: Graph) -> str:
    """Sorted N-Triples with blank nodes labelled by RDF canonicalization (RDFC-1.0, through Oxigraph).

    rdflib labels blank nodes at random, so without this every export of the axiom annotations would
    differ from the last; with it, the same graph gives the same file and a change shows as a small diff.
    """
    import pyoxigraph as ox

    text = graph.serialize(format="nt", encoding="utf-8")
    dataset = ox.Dataset(ox.parse(text, ox.RdfFormat.N_TRIPLES))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return "".join(sorted(f"{q.subject} {q.predicate} {q.object} .\n" for q in dataset))
