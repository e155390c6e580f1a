"""Serialising the graph in the standard formats that Protégé, triple stores and other RDF tools load."""

from __future__ import annotations

import re

from rdflib import Graph, Literal

from .errors import UnsupportedFormat
from .formats import from_name

__all__ = ["serialize_graph"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
#: Turtle's shorthand for these datatypes, by the grammar's INTEGER, DECIMAL, DOUBLE and BooleanLiteral.
_SHORTHAND = {
    _XSD + "integer": re.compile(r"^[+-]?[0-9]+$"),
    _XSD + "decimal": re.compile(r"^[+-]?[0-9]*\.[0-9]+$"),
    _XSD + "double": re.compile(r"^[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+$"),
    _XSD + "boolean": re.compile(r"^(?:true|false)$"),
}


def _lexical_turtle_serializer():
    """rdflib's Turtle serializer, but numbers and booleans keep their lexical form.

    rdflib writes a number's shorthand from its Python value: ``"300"^^xsd:decimal`` becomes ``300.0`` and
    ``"1.50"^^xsd:decimal`` becomes ``1.5`` — other literals than the ones in the graph. Here a literal is
    written as shorthand only when its lexical form already is valid shorthand, else in full.
    """
    from rdflib.plugins.serializers.turtle import _GEN_QNAME_FOR_DT, TurtleSerializer

    class LexicalTurtleSerializer(TurtleSerializer):
        def label(self, node, position):
            if isinstance(node, Literal) and node.datatype is not None and str(node.datatype) in _SHORTHAND:
                lexical = str(node)
                if _SHORTHAND[str(node.datatype)].match(lexical):
                    return lexical
                return node._literal_n3(
                    use_plain=False, qname_callback=lambda dt: self.getQName(dt, _GEN_QNAME_FOR_DT)
                )
            return super().label(node, position)

    return LexicalTurtleSerializer


def serialize_graph(graph: Graph, format: str = "turtle") -> str:
    """Serialise ``graph`` as Turtle, RDF/XML, JSON-LD or N-Triples, as text.

    JSON-LD carries an inline ``@context`` built from the graph's bound prefixes, so a reader never has to
    fetch a remote context. N-Triples are sorted, with canonical blank node labels, so the same graph always
    gives the same file.
    """
    name = from_name(format, writable=True).rdflib_serializer
    if name == "json-ld":
        context = {p: str(ns) for p, ns in graph.namespace_manager.namespaces() if p}
        return graph.serialize(format="json-ld", context=context, auto_compact=True, indent=2)
    if name == "nt":
        return _canonical_ntriples(graph)
    try:
        if name == "turtle":
            import io

            stream = io.BytesIO()
            _lexical_turtle_serializer()(graph).serialize(stream, encoding="utf-8")
            return stream.getvalue().decode("utf-8")
        return graph.serialize(format=name)
    except ValueError as exc:
        if name == "xml" and "no valid way to shorten" in str(exc):
            iri = str(exc).rsplit(" ", 1)[-1]
            raise UnsupportedFormat(
                f"RDF/XML cannot write the property <{iri}> (its IRI does not end in a name); use ttl, nt or json-ld",
                argument="format",
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
