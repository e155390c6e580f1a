"""RDF -> networkx as pure functions: which resources become nodes and which triples become edges.

They take an rdflib ``Graph`` (and, to draw a query, its result and the terms to include) and return a
``networkx.MultiDiGraph``; they never run a query or look a term up by name, which is the facade's work
(:meth:`genai_kg.graph.KnowledgeGraph.to_networkx`). The model is shared by the HTML view
(:mod:`genai_kg.views.html`) and the graph exports (:mod:`genai_kg.views.exchange`); what each node is
called and how it looks comes from :mod:`genai_kg.views.kinds`.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Literal, URIRef

from ..errors import ParameterError
from ..vocab import RDF, SKOS, pick_label
from .kinds import SCHEMA_TYPES, STRUCTURAL_PREDICATES, Describer, is_standard_term

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    from rdflib import Graph

__all__ = ["to_networkx", "query_to_networkx"]


def _is_drawable(term: Any) -> bool:
    return isinstance(term, URIRef) and not is_standard_term(term)


def _is_edge_predicate(pred: Any) -> bool:
    return pred in STRUCTURAL_PREDICATES or _is_drawable(pred)


def _candidate_nodes(graph: Graph, source: Graph) -> set[URIRef]:
    """Non-standard IRIs that are subjects, or objects of an edge, minus properties and ontology headers.

    Objects of annotations (``rdfs:seeAlso``, ``skos:exactMatch``, ``owl:versionIRI``, a licence, ...)
    would only be unconnected dots, so they are left out unless described as subjects themselves.
    """
    nodes: set[URIRef] = set()
    for s, p, o in source:
        if _is_drawable(s):
            nodes.add(s)
        if _is_drawable(o) and _is_edge_predicate(p):
            nodes.add(o)
    schema = {s for t in SCHEMA_TYPES for s in graph.subjects(RDF.type, t)}
    # Terms used only as predicates are properties even if nothing declares them.
    predicates = {p for p in graph.predicates() if isinstance(p, URIRef)}
    return nodes - schema - predicates


def _neighbourhood(edges: Iterable[tuple[Any, Any, Any]], start: URIRef, depth: int) -> set[URIRef]:
    adjacent: dict[Any, set[Any]] = defaultdict(set)
    for s, _, o in edges:
        adjacent[s].add(o)
        adjacent[o].add(s)
    reached = {start}
    frontier = deque([(start, 0)])
    while frontier:
        node, dist = frontier.popleft()
        if dist >= depth:
            continue
        for nb in adjacent.get(node, ()):
            if nb not in reached:
                reached.add(nb)
                frontier.append((nb, dist + 1))
    return reached


def to_networkx(
    graph: Graph,
    *,
    focus: str | URIRef | None = None,
    depth: int = 1,
    resources: Iterable[str | URIRef] | None = None,
    triples: Graph | None = None,
) -> nx.MultiDiGraph:
    """Turn an RDF graph into the node/edge model that views and graph exports draw.

    Parameters
    ----------
    graph : rdflib.Graph
        The loaded graph; labels, kinds, colours, shapes, definitions and sources are read from it.
    focus : IRI, optional
        Draw only this term and the resources within ``depth`` links of it (in either direction).
    depth : int
        How many links away from ``focus`` to go (0 draws the term alone).
    resources : iterable of IRIs, optional
        Draw exactly these resources (standard-vocabulary terms and blank nodes are dropped) and the
        graph's edges between them; used for SELECT results.
    triples : rdflib.Graph, optional
        Take nodes and edges from this graph instead of ``graph`` (a CONSTRUCT or DESCRIBE result),
        still describing them from ``graph``.

    Returns
    -------
    networkx.MultiDiGraph
        Node id is the IRI; node attributes ``label``, ``alt_labels`` (skos:altLabel values joined by "; "),
        ``kind``, ``colour``, ``shape``, ``definition``,
        ``sources`` (labels joined by "; "), ``is_class`` (bool). Edge key is the predicate IRI; edge
        attributes ``label``, ``predicate`` and ``sources``. All attributes are strings or booleans, so
        the graph writes to GraphML and GEXF unchanged. Nodes and edges are inserted in sorted order.

    Examples
    --------
    >>> from rdflib import Graph
    >>> g = Graph().parse(data='''
    ... @prefix ex: <http://example.org/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ... ex:Dog rdfs:subClassOf ex:Animal ; rdfs:label "Dog" .
    ... ex:rex a ex:Dog ; ex:owner ex:ann .''', format="turtle")
    >>> G = to_networkx(g)
    >>> sorted(G.nodes[n]["label"] for n in G)
    ['Animal', 'Dog', 'ann', 'rex']
    >>> sorted((G.nodes[u]["label"], d["label"], G.nodes[v]["label"]) for u, v, d in G.edges(data=True))
    [('Dog', 'subClassOf', 'Animal'), ('rex', 'owner', 'ann'), ('rex', 'type', 'Dog')]
    """
    import networkx as nx

    if depth < 0:
        raise ParameterError(f"must be 0 or more, not {depth}", argument="depth")
    source = graph if triples is None else triples
    describer = Describer(graph)

    if resources is not None:
        nodes = {URIRef(str(r)) for r in resources if not isinstance(r, (BNode, Literal))}
        nodes = {n for n in nodes if _is_drawable(n)}
    else:
        nodes = _candidate_nodes(graph, source)

    edge_triples = [(s, p, o) for s, p, o in source if s in nodes and o in nodes and _is_edge_predicate(p)]
    if focus is not None:
        start = URIRef(str(focus))
        if start not in nodes:
            raise ParameterError(f"{focus} is not a drawable resource of the graph", argument="focus")
        nodes = _neighbourhood(edge_triples, start, depth)
        edge_triples = [t for t in edge_triples if t[0] in nodes and t[2] in nodes]

    G = nx.MultiDiGraph()
    for node in sorted(nodes, key=str):
        types = list(graph.objects(node, RDF.type))
        kind, colour, shape = describer.kind(node, types)
        G.add_node(
            str(node),
            label=describer.label(node),
            kind=kind,
            colour=colour,
            shape=shape,
            alt_labels="; ".join(sorted({str(o) for o in graph.objects(node, SKOS.altLabel)})),
            definition=pick_label(graph.objects(node, SKOS.definition)) or "",
            sources=describer.sources(node),
            is_class=describer.is_class(node, types),
        )
    for s, p, o in sorted(set(edge_triples), key=lambda t: (str(t[0]), str(t[2]), str(t[1]))):
        G.add_edge(
            str(s),
            str(o),
            key=str(p),
            label=describer.label(p),
            predicate=str(p),
            sources=describer.edge_sources(s, p, o),
        )
    return G


def query_to_networkx(graph: Graph, result: Any, *, also: Iterable[URIRef] = ()) -> nx.MultiDiGraph:
    """Draw a SPARQL result: CONSTRUCT/DESCRIBE as the graph it returns, SELECT as the IRIs it binds.

    For SELECT, the nodes are every IRI bound in any row, plus ``also`` (the terms given as the query's
    parameters, which a result rarely repeats), and the edges are ``graph``'s edges between them.
    ``result`` is an already evaluated rdflib ``Result`` (it has ``type``, and ``graph`` or rows); the
    caller runs the query and resolves the parameters to terms.
    """
    kind = getattr(result, "type", None)
    if kind in ("CONSTRUCT", "DESCRIBE"):
        return to_networkx(graph, triples=result.graph)
    if kind == "SELECT":
        bound = {value for row in result for value in row if isinstance(value, URIRef)}
        if bound:
            bound |= {term for term in also if isinstance(term, URIRef) and (term, None, None) in graph}
        return to_networkx(graph, resources=bound)
    raise ParameterError(f"an {kind or 'unknown'} query result is a yes or no: there is nothing to draw")
