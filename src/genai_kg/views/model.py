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
from ..vocab import DCTERMS, RDF, SKOS, pick_label
from .kinds import SCHEMA_TYPES, STRUCTURAL_PREDICATES, Describer, is_standard_term

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    from rdflib import Graph

__all__ = ["to_networkx", "query_to_networkx"]


def _is_drawable(term: Any) -> bool:
    return isinstance(term, URIRef) and not is_standard_term(term)


def _is_edge_predicate(pred: Any) -> bool:
    return pred in STRUCTURAL_PREDICATES or _is_drawable(pred)


class _Scan:
    """What the model needs from the graph, gathered in one pass over its triples (a user's graph can hold
    millions): each subject's types, alternative labels, definitions and cited sources, the terms used as
    predicates or typed as schema, the drawable nodes and the candidate edges.
    """

    def __init__(self, graph: Graph, source: Graph | None = None) -> None:
        self.types: dict[Any, list[Any]] = defaultdict(list)
        self.alts: dict[Any, set[str]] = defaultdict(set)
        self.definitions: dict[Any, list[Any]] = defaultdict(list)
        self.cited: dict[Any, list[Any]] = defaultdict(list)
        self.predicates: set[Any] = set()
        self.schema: set[Any] = set()
        self.nodes: set[Any] = set()
        self.edges: list[tuple[Any, Any, Any]] = []
        own = source is None
        into = {RDF.type: self.types, SKOS.altLabel: self.alts, SKOS.definition: self.definitions,
                DCTERMS.source: self.cited}  # one dict lookup per triple rather than four comparisons
        schema_types = SCHEMA_TYPES
        for s, p, o in graph:
            self.predicates.add(p)
            bucket = into.get(p)
            if bucket is self.alts:
                bucket[s].add(str(o))
            elif bucket is not None:
                bucket[s].append(o)
                if bucket is self.types and o in schema_types:
                    self.schema.add(s)
            if own:
                self._consider(s, p, o)
        if not own:
            for s, p, o in source:
                self._consider(s, p, o)

    def _consider(self, s: Any, p: Any, o: Any) -> None:
        """Non-standard IRIs that are subjects, or objects of an edge, become nodes.

        Objects of annotations (``rdfs:seeAlso``, ``skos:exactMatch``, ``owl:versionIRI``, a licence, ...)
        would only be unconnected dots, so they are left out unless described as subjects themselves.
        """
        if _is_drawable(s):
            self.nodes.add(s)
        if _is_edge_predicate(p) and _is_drawable(o):
            self.nodes.add(o)
            self.edges.append((s, p, o))

    def drawable(self) -> set[Any]:
        """The nodes, minus properties (declared, or used as predicates) and ontology headers."""
        return self.nodes - self.schema - self.predicates


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
        ``sources`` (labels joined by "; "), ``is_class`` (bool), ``parent`` (the IRI of the node's place in
        the hierarchy: a superclass, or an instance's most specific family; "" at the top) and ``taxonomy``
        (bool: a family class or a class above one, what a view opens on). Edge key is the predicate IRI;
        edge attributes ``label`` (``gkg:viewLabel``, else the predicate's label), ``inverse_label``,
        ``predicate`` and ``sources``. All attributes are strings or booleans, so
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
    scan = _Scan(graph, triples)
    describer = Describer(graph)

    if resources is not None:
        nodes = {URIRef(str(r)) for r in resources if not isinstance(r, (BNode, Literal))}
        nodes = {n for n in nodes if _is_drawable(n)}
        source = graph if triples is None else triples
        edge_triples = [t for n in nodes for t in source.triples((n, None, None)) if t[2] in nodes]
        edge_triples = [t for t in edge_triples if _is_edge_predicate(t[1])]
    else:
        nodes = scan.drawable()
        edge_triples = [t for t in scan.edges if t[0] in nodes and t[2] in nodes]
    if focus is not None:
        start = URIRef(str(focus))
        if start not in nodes:
            raise ParameterError(f"{focus} is not a drawable resource of the graph", argument="focus")
        nodes = _neighbourhood(edge_triples, start, depth)
        edge_triples = [t for t in edge_triples if t[0] in nodes and t[2] in nodes]

    taxonomy = _taxonomy(describer, scan, nodes)
    G = nx.MultiDiGraph()
    for node in sorted(nodes, key=str):
        types = scan.types.get(node, ())
        kind, colour, shape = describer.kind(node, types)
        is_class = describer.is_class(node, types)
        G.add_node(
            str(node),
            label=describer.label(node),
            kind=kind,
            colour=colour,
            shape=shape,
            alt_labels="; ".join(sorted(scan.alts.get(node, ()))),
            definition=pick_label(scan.definitions.get(node, ())) or "",
            sources=describer.sources(node, scan.cited.get(node, ())),
            is_class=is_class,
            parent=_parent(describer, node, types, is_class, nodes),
            taxonomy=node in taxonomy,
        )
    for s, p, o in sorted(set(edge_triples), key=lambda t: (str(t[0]), str(t[2]), str(t[1]))):
        G.add_edge(
            str(s),
            str(o),
            key=str(p),
            label=describer.relation_label(p),
            inverse_label=describer.inverse_label(p),
            predicate=str(p),
            sources=describer.edge_sources(s, p, o),
        )
    return G


def _parent(describer: Describer, node: Any, types: Iterable[Any], is_class: bool, nodes: set) -> str:
    """The node's place in the hierarchy a view draws: a class's superclass (a family first), an
    instance's most specific family, else its most specific drawn type; "" at the top."""
    if is_class:
        ups = [c for c in describer.superclasses.get(node, ()) if c in nodes and c != node]
    else:
        ups = [t for t in types if t in nodes and t != node]
    if not ups:
        return ""
    best = min(ups, key=lambda c: (not describer.is_family(c), -describer.depth(c), describer.label(c), str(c)))
    return str(best)


def _taxonomy(describer: Describer, scan: _Scan, nodes: set) -> set:
    """The drawn families (classes that are individuals of a kind) and every drawn superclass above them."""
    found: set = set()
    todo = [n for n in nodes if describer.is_family(n) and describer.is_class(n, scan.types.get(n, ()))]
    while todo:
        cls = todo.pop()
        if cls in found or cls not in nodes:
            continue
        found.add(cls)
        todo.extend(describer.superclasses.get(cls, ()))
    return found


#: The key and label of a link drawn between two terms of one result row that the graph does not link.
ROW_LINK = "row"


def query_to_networkx(graph: Graph, result: Any, *, also: Iterable[URIRef] = ()) -> nx.MultiDiGraph:
    """Draw a SPARQL result: CONSTRUCT/DESCRIBE as the graph it returns, SELECT as the IRIs it binds.

    For SELECT, the nodes are every IRI bound in any row, plus ``also`` (the terms given as the query's
    parameters, which a result rarely repeats), and the edges are ``graph``'s edges between them. Two terms
    of one row that the graph does not link get a link keyed and labelled :data:`ROW_LINK` (with the
    variables' names), so a row reads as one picture. When no two drawn terms are linked at all (a query
    that binds one term per row and aggregates the rest, such as the makers with a count of their systems),
    each term is drawn with the terms one link away from it (types and superclasses aside), so the drawing
    shows what the rows are about rather than unconnected dots. ``result`` is an already evaluated rdflib
    ``Result`` (it has ``type``, and ``graph`` or rows); the caller runs the query and resolves the
    parameters to terms.
    """
    kind = getattr(result, "type", None)
    if kind in ("CONSTRUCT", "DESCRIBE"):
        return to_networkx(graph, triples=result.graph)
    if kind != "SELECT":
        raise ParameterError(f"an {kind or 'unknown'} query result is a yes or no: there is nothing to draw")
    names = [str(v) for v in (result.vars or ())]
    rows = [[(names[i] if i < len(names) else "", v) for i, v in enumerate(row) if _is_drawable(v)]
            for row in result]
    bound = {v for row in rows for _, v in row}
    if bound:
        bound |= {term for term in also if isinstance(term, URIRef) and (term, None, None) in graph}
    G = to_networkx(graph, resources=bound)
    if bound and G.number_of_edges() == 0:
        context = set(bound)
        for term in bound:
            context |= {o for p, o in graph.predicate_objects(term) if _is_context_link(p, o)}
            context |= {s for s, p in graph.subject_predicates(term) if _is_context_link(p, s)}
        G = to_networkx(graph, resources=context)
    for row in rows:
        for (name_a, a), (name_b, b) in zip(row, row[1:], strict=False):
            a, b = str(a), str(b)
            if a != b and a in G and b in G and not (G.has_edge(a, b) or G.has_edge(b, a)):
                G.add_edge(a, b, key=ROW_LINK, label=f"{ROW_LINK}: ?{name_a}, ?{name_b}", inverse_label="",
                           predicate="", sources="")
    return G


def _is_context_link(pred: Any, term: Any) -> bool:
    return _is_drawable(pred) and _is_drawable(term)
