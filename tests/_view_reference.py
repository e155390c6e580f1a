"""The view's node/edge model as it was built before the one-pass scan (per-node lookups on the rdflib graph).

Kept as the reference the one-pass model (:func:`genai_kg.views.model.to_networkx`) must equal: same nodes,
edges, labels, kinds, colours, shapes, parents and sources. Slow on purpose; used by tests only.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
from typing import Any

import networkx as nx
from rdflib import BNode, Graph, Literal, URIRef

from genai_kg.errors import ParameterError
from genai_kg.provenance import claim_sources
from genai_kg.views.kinds import (
    CLASS_TYPES,
    FALLBACK_CLASS_COLOUR,
    FALLBACK_CLASS_KIND,
    FALLBACK_CLASS_SHAPE,
    FALLBACK_COLOUR,
    FALLBACK_KIND,
    FALLBACK_SHAPE,
    SCHEMA_TYPES,
    SHAPES,
    STRUCTURAL_PREDICATES,
    is_standard_term,
)
from genai_kg.vocab import DCTERMS, GKG, LABEL_PREDICATES, RDF, RDFS, SKOS, SYNONYM_PREDICATES, local_name, pick_label


def _hex_colour(value: Any) -> str | None:
    """``value`` stripped, if it is a literal spelling ``#rrggbb``."""
    colour = str(value).strip()
    if not (isinstance(value, Literal) and len(colour) == 7 and colour.startswith("#")):
        return None
    try:
        int(colour[1:], 16)
    except ValueError:
        return None
    return colour


def _picked(graph: Graph, pred: Any) -> dict[Any, str]:
    """subject -> one of its ``pred`` literals (:func:`genai_kg.vocab.pick_label`)."""
    per_subject: dict[Any, list[Any]] = defaultdict(list)
    for s, o in graph.subject_objects(pred):
        per_subject[s].append(o)
    return {s: picked for s, values in per_subject.items() if (picked := pick_label(values)) is not None}


class Describer:
    """Labels, kinds and sources of terms, computed once per graph (the graph can be large).

    Labels are gathered in one pass per label predicate, with :func:`genai_kg.vocab.pick_label` choosing
    among a term's values, rather than looked up per term.
    """

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._labels: dict[Any, str] = {}
        for pred in reversed(LABEL_PREDICATES):  # the first predicate wins: written last
            self._labels.update(_picked(graph, pred))
        self._colours: dict[Any, str] = {}
        for s, o in graph.subject_objects(GKG.displayColour):
            colour = _hex_colour(o)
            if colour is not None and (s not in self._colours or colour < self._colours[s]):
                self._colours[s] = colour.lower()
        self._shapes: dict[Any, str] = {}
        for s, o in graph.subject_objects(GKG.displayShape):
            if str(o) in SHAPES and (s not in self._shapes or str(o) < self._shapes[s]):
                self._shapes[s] = str(o)
        self.superclasses: dict[Any, list[Any]] = defaultdict(list)
        for s, o in graph.subject_objects(RDFS.subClassOf):
            if not isinstance(o, BNode):
                self.superclasses[s].append(o)
        self._kind_class_cache: dict[Any, tuple[int, str, Any] | None] = {}
        self._family_cache: dict[Any, bool] = {}
        self._depth_cache: dict[Any, int] = {}
        self._view_labels = _picked(graph, GKG.viewLabel)
        self._inverse_labels = _picked(graph, GKG.viewInverseLabel)
        self._axiom_sources: dict[tuple[Any, Any, Any], set[str]] = defaultdict(set)
        self._claim_sources: dict[Any, set[str]] = defaultdict(set)
        for (s, p, o), entries in claim_sources(graph).items():
            names = {self.label(URIRef(e["source"])) for e in entries}
            self._claim_sources[s] |= names
            self._axiom_sources[(s, p, o)] |= names

    def label(self, term: Any) -> str:
        """The term's label (the rule of :func:`genai_kg.vocab.label`), else its local name."""
        found = self._labels.get(term)
        if found is not None:
            return found
        return local_name(str(term)) if isinstance(term, URIRef) else str(term)

    def relation_label(self, pred: Any) -> str:
        """What a link is called in a view: ``gkg:viewLabel`` ("subclass of"), else the term's label."""
        return self._view_labels.get(pred) or self.label(pred)

    def inverse_label(self, pred: Any) -> str:
        """What a link is called read backwards (``gkg:viewInverseLabel``: "subclasses"), else ""."""
        return self._inverse_labels.get(pred, "")

    def is_family(self, cls: Any) -> bool:
        """A class that is also an individual of a kind (OWL 2 punning: ``gkg:LargeLanguageModel a
        gkg:ModelFamily``): the classes of the taxonomy a view opens on."""
        found = self._family_cache.get(cls)
        if found is None:
            found = isinstance(cls, URIRef) and not is_standard_term(cls) and any(
                self._nearest_kind_class(t) is not None for t in self.graph.objects(cls, RDF.type)
            )
            self._family_cache[cls] = found
        return found

    def depth(self, cls: Any) -> int:
        """Links from ``cls`` up to the top of its rdfs:subClassOf chain (the longest way; cycles cut)."""
        cache = self._depth_cache
        if cls in cache:
            return cache[cls]
        # Iterative post-order walk: input sets the depth, so no recursion (a 3,000-long chain is data).
        stack: list[tuple[Any, bool]] = [(cls, False)]
        while stack:
            node, done = stack.pop()
            if done:
                cache[node] = max((cache.get(sup, 0) + 1 for sup in self.superclasses.get(node, ())), default=0)
                continue
            if node in cache:
                continue
            cache[node] = 0  # provisional: a cycle reads as the top
            stack.append((node, True))
            stack.extend((sup, False) for sup in self.superclasses.get(node, ()) if sup not in cache)
        return cache[cls]

    def family(self, types: Iterable[Any]) -> Any | None:
        """The most specific family among ``types``: the deepest in rdfs:subClassOf, then the smallest label."""
        families = [t for t in types if self.is_family(t)]
        if not families:
            return None
        return min(families, key=lambda t: (-self.depth(t), self.label(t), str(t)))

    def is_class(self, term: Any, types: Iterable[Any]) -> bool:
        """Declared a class, or the subject of an ``rdfs:subClassOf``."""
        return any(t in CLASS_TYPES for t in types) or term in self.superclasses

    def _nearest_kind_class(self, cls: Any) -> tuple[int, str, Any] | None:
        """(distance, iri, class) of the nearest class with a display colour along rdfs:subClassOf*."""
        if cls in self._kind_class_cache:
            return self._kind_class_cache[cls]
        seen = {cls}
        frontier = [cls]
        distance = 0
        found = None
        while frontier and found is None:
            hits = sorted(str(c) for c in frontier if c in self._colours)
            if hits:
                found = (distance, hits[0], URIRef(hits[0]))
                break
            nxt = []
            for c in frontier:
                for sup in self.superclasses.get(c, ()):
                    if sup not in seen:
                        seen.add(sup)
                        nxt.append(sup)
            frontier = nxt
            distance += 1
        self._kind_class_cache[cls] = found
        return found

    def kind(self, term: Any, types: Iterable[Any]) -> tuple[str, str, str]:
        """(kind label, colour, shape): the nearest kind class through rdf:type/rdfs:subClassOf*.

        An instance of a family (a punned class, see :meth:`is_family`) is called by its most specific
        family, so GPT-4 reads "large language model" rather than "artificial intelligence"; its colour and
        shape stay those of its kind class.
        """
        types = list(types)
        family = None if self.is_class(term, types) else self.family(types)
        best = None
        for t in types:
            hit = self._nearest_kind_class(t)
            if hit is not None and (best is None or hit[:2] < best[:2]):
                best = hit
        if best is None:
            if self.is_class(term, types):
                return FALLBACK_CLASS_KIND, FALLBACK_CLASS_COLOUR, FALLBACK_CLASS_SHAPE
            return FALLBACK_KIND, FALLBACK_COLOUR, FALLBACK_SHAPE
        if family is not None:  # the family names the kind: its own colour and shape when it has them
            best = self._nearest_kind_class(family) or best
        cls = best[2]
        name = self.label(cls if family is None else family)
        return name, self._colours[cls], self._shapes.get(cls, FALLBACK_SHAPE)

    def sources(self, term: Any, cited: Iterable[Any] | None = None) -> str:
        """Labels of the term's ``dcterms:source`` values (``cited``, if already gathered) and of its claims'
        sources, joined by "; "."""
        cited = self.graph.objects(term, DCTERMS.source) if cited is None else cited
        names = {self.label(src) for src in cited}
        names |= self._claim_sources.get(term, set())
        return "; ".join(sorted(names))

    def edge_sources(self, s: Any, p: Any, o: Any) -> str:
        """Labels of the sources annotating the triple ``(s, p, o)``, joined by "; "."""
        return "; ".join(sorted(self._axiom_sources.get((s, p, o), ())))


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
        into = {RDF.type: self.types, SKOS.definition: self.definitions,
                DCTERMS.source: self.cited}  # one dict lookup per triple rather than four comparisons
        into.update({p: self.alts for p in SYNONYM_PREDICATES})  # synonyms of every scope
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
