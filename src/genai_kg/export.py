"""Serialising the graph in the standard formats that Protégé, triple stores and other RDF tools load."""

from __future__ import annotations

import re
from collections import defaultdict

from rdflib import BNode, Graph, Literal

from .errors import LimitExceeded, UnsupportedFormat
from .formats import from_name
from .guard.output import xml_unfit
from .vocab import XSD

__all__ = ["serialize_graph"]

#: Turtle's shorthand for these datatypes, by the grammar's INTEGER, DECIMAL, DOUBLE and BooleanLiteral.
_SHORTHAND = {
    str(XSD.integer): re.compile(r"^[+-]?[0-9]+$"),
    str(XSD.decimal): re.compile(r"^[+-]?[0-9]*\.[0-9]+$"),
    str(XSD.double): re.compile(r"^[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+$"),
    str(XSD.boolean): re.compile(r"^(?:true|false)$"),
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
    if name == "xml":
        _check_xml_chars(graph)
    try:
        return _serialize(graph, name)
    except RecursionError:  # rdflib's Turtle, JSON-LD and RDF/XML writers nest blank nodes by recursion
        raise LimitExceeded(
            f"blank nodes nest too deeply for the {format} writer; use nt", argument="format"
        ) from None


def _check_xml_chars(graph: Graph) -> None:
    """Refuse, in one line, a graph whose terms hold a character XML 1.0 cannot carry (a control character
    in a label would make an RDF/XML file that no XML reader accepts)."""
    for triple in graph:
        for term in triple:
            bad = xml_unfit(str(term))
            if bad is not None:
                raise UnsupportedFormat(
                    f"RDF/XML cannot carry the character U+{ord(bad):04X} found in {term.n3()[:80]};"
                    " use ttl, nt or json-ld",
                    argument="format",
                )


def _serialize(graph: Graph, name: str) -> str:
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
    RDFC-1.0 is exponential on symmetric blank-node structures (measured: 8 blank nodes all linked to each
    other 7 s, a 400-long chain 19 s, 3,000 hours), so where :func:`_cheap_to_canonicalize` says no, the
    lines are sorted but the blank nodes keep arbitrary labels.
    """
    import pyoxigraph as ox

    text = graph.serialize(format="nt", encoding="utf-8")
    if not _cheap_to_canonicalize(graph):
        return "".join(sorted(line + "\n" for line in text.decode("utf-8").splitlines() if line.strip()))
    dataset = ox.Dataset(ox.parse(text, ox.RdfFormat.N_TRIPLES))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return "".join(sorted(f"{q.subject} {q.predicate} {q.object} .\n" for q in dataset))


def _cheap_to_canonicalize(graph: Graph) -> bool:
    """Whether RDFC-1.0 finishes quickly: it is, unless blank nodes that look alike from their own triples
    (the same first-degree signature) are linked to other blank nodes in numbers or degrees that make its
    N-degree search blow up. Measured bounds: such nodes all of degree <= 2 (chains, cycles) up to 64 of
    them take < 0.1 s; of degree <= 4 up to 16, < 0.2 s; any 6 nodes, < 0.1 s."""
    signature: dict = defaultdict(list)
    links: dict = defaultdict(int)
    for s, p, o in graph:
        if isinstance(s, BNode):
            signature[s].append(("s", p, ("a" if o == s else "z") if isinstance(o, BNode) else o))
        if isinstance(o, BNode):
            signature[o].append(("o", p, ("a" if s == o else "z") if isinstance(s, BNode) else s))
        if isinstance(s, BNode) and isinstance(o, BNode):
            links[s] += 1
            links[o] += 1
    neighbours: dict = defaultdict(list)
    for s, p, o in graph:
        if isinstance(s, BNode) and isinstance(o, BNode) and s != o:
            neighbours[s].append(("s", str(p), o))
            neighbours[o].append(("o", str(p), s))
    keys = {node: hash(tuple(sorted(map(str, sig)))) for node, sig in signature.items()}
    for _ in range(4):  # colour refinement: a node told apart by its neighbours is cheap for RDFC-1.0 too
        keys = {
            node: hash((key, tuple(sorted((d, p, keys[other]) for d, p, other in neighbours.get(node, ())))))
            for node, key in keys.items()
        }
    groups: dict = defaultdict(int)
    for key in keys.values():
        groups[key] += 1
    hard = [links[node] for node, key in keys.items() if groups[key] > 1 and links[node]]
    if len(hard) <= 6:
        return True
    degree = max(hard)
    return (degree <= 2 and len(hard) <= 64) or (degree <= 4 and len(hard) <= 16)
