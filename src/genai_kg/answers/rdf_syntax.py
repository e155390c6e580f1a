"""A graph answer in an RDF syntax: Turtle, N-Triples, RDF/XML or JSON-LD (``json`` is JSON-LD too).

The triples are written by :func:`genai_kg.export.serialize_graph`, as the graph itself is exported, with
only the prefixes the answer's IRIs use: its own, then those of the graph queried (a CONSTRUCT's new graph
knows none), so a JSON-LD context or a Turtle header lists what the answer needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..answer_form import Answer, ntriples, parse_term, to_rdflib

if TYPE_CHECKING:  # pragma: no cover
    from rdflib.namespace import NamespaceManager

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

__all__ = ["render", "to_graph"]


def to_graph(answer: Answer, prefixes: Any = None, *, canonical: bool = False) -> Graph:
    """The answer's triples as an rdflib Graph, bound to the prefixes of ``prefixes`` that its IRIs use.

    ``canonical``: blank nodes labelled by RDF canonicalization and the triples added in sorted order (the
    canonical N-Triples of :func:`genai_kg.export.serialize_graph`), so that rdflib's writers, which follow
    the store's order, write the same bytes for the same answer from any engine.
    """
    from rdflib import Graph

    graph = Graph(bind_namespaces="none")
    graph.addN((to_rdflib(s), to_rdflib(p), to_rdflib(o), graph) for s, p, o in answer.rows())
    if canonical:
        import pyoxigraph as ox

        from ..export import serialize_graph

        ordered = Graph(bind_namespaces="none")
        for t in ox.parse(serialize_graph(graph, "nt"), format=ox.RdfFormat.N_TRIPLES):
            ordered.add((to_rdflib(str(t.subject)), to_rdflib(str(t.predicate)), to_rdflib(str(t.object))))
        graph = ordered
    used = {cell[1:-1] for row in answer.rows() for cell in row if cell.startswith("<")}
    lent = list(prefixes.namespaces()) if prefixes is not None else []
    for prefix, namespace in lent:
        if prefix and any(iri.startswith(str(namespace)) for iri in used):
            graph.bind(prefix, namespace, override=False)
    return graph


def _bound(cell: str) -> tuple[str, str, str | None, str | None]:
    """A graph answer's cell as its parts: every triple's three terms are bound."""
    parts = parse_term(cell)
    if parts is None:
        raise ValueError("a graph answer's triple has an unbound term")
    return parts


def render(answer: Answer, name: str = "ttl", *, prefixes: NamespaceManager | None = None, **_options: Any) -> str:
    from ..export import serialize_graph

    if name == "nt" and not any("_:" in chunk for chunk in answer.chunks):  # sorted lines, no rdflib graph
        lines = {" ".join(ntriples(*_bound(cell)) for cell in row) + " .\n" for row in answer.rows()}
        return "".join(sorted(lines))

    # an answer is written as it came: its blank nodes stay blank in RDF/XML too
    graph = to_graph(answer, prefixes, canonical=True)
    return serialize_graph(graph, "json-ld" if name == "json" else name, name_individuals=False)
