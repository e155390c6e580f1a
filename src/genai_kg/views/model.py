"""RDF -> the node/edge model as pure functions: which resources become nodes and which triples become edges.

They take an rdflib ``Graph`` (and, to draw a query, its result and the terms to include) and return a
:class:`Drawing` (:func:`draw`, what the HTML view reads) or the same model as a ``networkx.MultiDiGraph``
(:func:`to_networkx`, what the graph exports write); they never run a query or look a term up by name, which
is the facade's work (:meth:`genai_kg.graph.KnowledgeGraph.to_networkx`). Each triple is read once
(:mod:`genai_kg.views.facts`); what each node is called and how it looks comes from
:mod:`genai_kg.views.kinds`.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Literal, URIRef

from ..errors import ParameterError
from ..vocab import DCTERMS, SKOS, SYNONYM_PREDICATES
from .facts import (
    BLANK,
    ON_PROPERTY,
    RESTRICTIONS,
    SUBCLASS,
    Facts,
    collector_paused,
    is_drawable,
    pick,
    text_of,
)
from .kinds import SCHEMA_TYPES, Describer

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    from rdflib import Graph

__all__ = ["to_networkx", "query_to_networkx", "draw", "Drawing", "NODE_ATTRIBUTES"]

_SCHEMA_KEYS = frozenset(map(str, SCHEMA_TYPES))


def _is_drawable(term: Any) -> bool:
    """An rdflib term (a query's answer) that would be drawn."""
    return isinstance(term, URIRef) and is_drawable(str(term))


def _key(term: Any) -> str | None:
    """An IRI given by a caller (an rdflib term or a string) as a key of :mod:`.facts`; None if it is not one."""
    return None if isinstance(term, (BNode, Literal)) else str(term)


def _neighbourhood(edges: Iterable[tuple[Any, Any, Any]], start: str, depth: int) -> set[str]:
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


#: A node's attributes, in the order they are written (:func:`to_networkx`'s).
NODE_ATTRIBUTES = ("label", "kind", "colour", "shape", "alt_labels", "definition", "sources", "is_class", "parent",
                   "taxonomy")


class Drawing:
    """The node/edge model as columns, what :func:`to_networkx` puts in a networkx graph.

    ``order`` lists the node IRIs sorted; ``columns`` maps each of :data:`NODE_ATTRIBUTES` to a list in that order.
    An edge is three integers in numpy arrays: its subject's and object's places in ``order`` (``edge_s``,
    ``edge_o``) and its link (``edge_link``), an index into ``links``: ``(key, attributes)``, shared by the edges
    alike. Edges are sorted by (subject, object, key). A million nodes and four million edges take a few hundred
    MB so, and the HTML view reads the columns as they are; ``nodes`` and ``edges`` spell them out as
    ``[(iri, attributes)]`` and ``[(subject, object, key, attributes)]`` for networkx and the exports.
    """

    def __init__(self, order: list[str], columns: dict[str, list], edge_s: Any, edge_o: Any, edge_link: Any,
                 links: list[tuple[str, dict]]) -> None:
        self.order, self.columns = order, columns
        self.edge_s, self.edge_o, self.edge_link, self.links = edge_s, edge_o, edge_link, links

    @property
    def nodes(self) -> list[tuple[str, dict]]:
        """``[(iri, attributes)]`` in order."""
        names = list(self.columns)
        return [(node, dict(zip(names, values, strict=True)))
                for node, *values in zip(self.order, *self.columns.values(), strict=True)]

    @property
    def edges(self) -> list[tuple[str, str, str, dict]]:
        """``[(subject, object, key, attributes)]`` in order (edges alike share one attribute dict)."""
        order, links = self.order, self.links
        return [(order[s], order[o], links[a][0], links[a][1])
                for s, o, a in zip(self.edge_s.tolist(), self.edge_o.tolist(), self.edge_link.tolist(), strict=True)]

    def number_of_nodes(self) -> int:
        return len(self.order)

    def number_of_edges(self) -> int:
        return len(self.edge_s)

    def to_networkx(self) -> nx.MultiDiGraph:
        """The same model as a ``networkx.MultiDiGraph`` (see :func:`to_networkx`)."""
        import networkx as nx

        G = nx.MultiDiGraph()
        G.add_nodes_from(self.nodes)
        for s, o, p, attrs in self.edges:
            G.add_edge(s, o, key=p, **attrs)
        return G


def to_networkx(
    graph: Graph,
    *,
    focus: str | URIRef | None = None,
    depth: int = 1,
    resources: Iterable[str | URIRef] | None = None,
    triples: Graph | None = None,
) -> nx.MultiDiGraph:
    """Turn an RDF graph into the node/edge model that views and graph exports draw (:func:`draw`'s model).

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
        Node id is the IRI; node attributes ``label``, ``alt_labels`` (its synonyms, every scope, joined by "; "),
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
    return draw(graph, focus=focus, depth=depth, resources=resources, triples=triples).to_networkx()


def draw(graph: Graph | Facts, *, focus: str | URIRef | None = None, depth: int = 1,
         resources: Iterable[str | URIRef] | None = None, triples: Graph | None = None) -> Drawing:
    """:func:`to_networkx`'s model as a :class:`Drawing`: the same arguments, nodes, edges and attributes.

    Each triple of ``graph`` (and of ``triples``) is read once (:class:`genai_kg.views.facts.Facts`); ``graph``
    may also be what was read already, such as files read without a store (``Facts.read(parse_triples(files))``).
    """
    if depth < 0:
        raise ParameterError(f"must be 0 or more, not {depth}", argument="depth")
    with collector_paused():
        return _draw(graph if isinstance(graph, Facts) else Facts(graph, triples), focus, depth, resources)


def _draw(facts: Facts, focus: Any, depth: int, resources: Iterable[Any] | None) -> Drawing:
    describer = Describer(facts)
    types = describer.types
    schema = {s for s, kinds in types.items() if not _SCHEMA_KEYS.isdisjoint(kinds)}
    # properties (declared, or used as predicates) and ontology headers are not drawn
    if resources is None:
        nodes = {n for n in facts.nodes if n not in schema and n not in facts.predicates}
    else:
        nodes = {k for k in map(_key, resources) if k is not None and is_drawable(k)}
    candidates = facts.edges
    facts.edges = ([], [], [])  # read once: a big graph's candidate edges are hundreds of MB
    restricted = _restriction_edges(facts, nodes)
    if focus is not None:
        start = str(focus)
        if start not in nodes:
            raise ParameterError(f"{focus} is not a drawable resource of the graph", argument="focus")
        edge_triples = [t for t in zip(*candidates, strict=True) if t[0] in nodes and t[2] in nodes] + list(restricted)
        nodes = _neighbourhood(edge_triples, start, depth)
        kept = [t for t in edge_triples if t[0] in nodes and t[2] in nodes]
        candidates = ([t[0] for t in kept], [t[1] for t in kept], [t[2] for t in kept])
    else:
        for column, part in zip(candidates, zip(*restricted, strict=True), strict=False):
            column.extend(part)

    order = sorted(nodes)
    columns = _node_columns(describer, facts, nodes, order)
    return Drawing(order, columns, *_edge_columns(describer, candidates, order, restricted))


def _node_columns(describer: Describer, facts: Facts, nodes: set, order: list[str]) -> dict[str, list]:
    """:data:`NODE_ATTRIBUTES` of each node of ``order``, as columns."""
    types = describer.types
    taxonomy = _taxonomy(describer, nodes)
    synonyms = [facts.of(p) for p in SYNONYM_PREDICATES]
    definitions, cited = facts.of(SKOS.definition), facts.of(DCTERMS.source)
    columns: dict[str, list] = {name: [] for name in NODE_ATTRIBUTES}
    labels, kinds, colours, shapes, alt_labels, defined, sources, classes, parents, in_taxonomy = columns.values()
    # What a node's kind and place in the hierarchy are depends on its types alone, unless it is a class or typed
    # with itself: nodes typed alike (a million systems of ten families) share one answer, computed once.
    alike: dict[tuple, tuple[tuple[str, str, str], str]] = {}
    superclasses = describer.superclasses
    for node in order:
        node_types = types.get(node, ())
        typed = tuple(node_types)
        own = node in superclasses or node in node_types
        looked = None if own else alike.get(typed)
        is_class = False if looked is not None else describer.is_class(node, node_types)
        if looked is None:
            looked = (describer.kind(node, node_types), _parent(describer, node, node_types, is_class, nodes))
            if not own and not is_class:
                alike[typed] = looked
        (kind, colour, shape), parent = looked
        alts = None
        for table in synonyms:
            found = table.get(node)
            if found:
                alts = found if alts is None else alts + found
        definition = definitions.get(node)
        labels.append(describer.label(node))
        kinds.append(kind)
        colours.append(colour)
        shapes.append(shape)
        if alts is None:
            alt_labels.append("")
        elif len(alts) == 1:
            alt_labels.append(text_of(alts[0]))
        else:
            alt_labels.append("; ".join(sorted({text_of(a) for a in alts})))
        defined.append((pick(definition) or "") if definition else "")
        sources.append(describer.sources(node, cited.get(node, ())))
        classes.append(is_class)
        parents.append(parent)
        in_taxonomy.append(node in taxonomy)
    return columns


def _edge_columns(describer: Describer, candidates: tuple[list[str], list[str], list[str]], order: list[str],
                  restricted: _Restricted) -> tuple[Any, Any, Any, list[tuple[str, dict]]]:
    """(subjects, objects, links, the links' (key, attributes)) of the candidate edges (subjects, keys, objects)
    between drawn nodes, sorted by (subject, object, key): numpy arrays, so that millions of edges cost no Python
    object each."""
    from itertools import repeat

    import numpy as np

    rank = {node: i for i, node in enumerate(order)}
    subjects, predicates, objects = candidates
    count = len(subjects)
    s = np.fromiter(map(rank.get, subjects, repeat(-1)), dtype=np.int64, count=count)
    o = np.fromiter(map(rank.get, objects, repeat(-1)), dtype=np.int64, count=count)
    keys = sorted(set(predicates))  # a key's rank among the keys sorts the edges as their keys' text would
    k = np.fromiter(map({key: i for i, key in enumerate(keys)}.__getitem__, predicates), dtype=np.int64, count=count)
    del rank, subjects[:], predicates[:], objects[:]
    kept = (s >= 0) & (o >= 0)
    s, o, k = s[kept], o[kept], k[kept]
    del kept
    # One integer per edge sorts fastest when it fits. A store holds a triple once, files read without one may
    # say it twice: an edge is kept once.
    places, width = len(order), len(keys)
    if places * places * width < 2**62:
        ranked = np.sort((s * places + o) * width + k)
        if len(ranked) > 1 and not (first := np.concatenate(([True], ranked[1:] != ranked[:-1]))).all():
            ranked = ranked[first]  # (np.unique hashes: five times the sort)
        s, rest = np.divmod(ranked, places * width)
        o, k = np.divmod(rest, width)
        del rest
    else:
        ranked = np.lexsort((k, o, s))
        s, o, k = s[ranked], o[ranked], k[ranked]
        if len(s) > 1:
            first = np.concatenate(([True], (s[1:] != s[:-1]) | (o[1:] != o[:-1]) | (k[1:] != k[:-1])))
            s, o, k = s[first], o[first], k[first]
    del ranked

    links: list[tuple[str, dict]] = []
    shared: dict[tuple[str, str, str, str], int] = {}
    claims, contested_pairs = describer.annotated()

    def link(p: str, found: Any, sources: str = "", citations: str = "", contested: str = "") -> int:
        at = shared.get((p, sources, citations, contested))
        if at is None:
            if found:
                label, inverse, predicate = f"{describer.relation_label(found[0])}: {found[1]}", "", found[0]
            else:
                label, inverse, predicate = describer.relation_label(p), describer.inverse_label(p), p
            at = shared[p, sources, citations, contested] = len(links)
            links.append((p, {"label": label, "inverse_label": inverse, "predicate": predicate, "sources": sources,
                              "citations": citations, "contested": contested}))
        return at

    # Most edges carry no claim: their link is their key's. Edges from a subject with claims, disagreements or
    # restrictions are looked at one by one.
    index = {node: i for i, node in enumerate(order)} if (claims or contested_pairs or restricted) else {}
    special = sorted({index[x] for x in (*(c[0] for c in claims), *(c[0] for c in contested_pairs),
                                         *(t[0] for t in restricted)) if x in index})
    one_by_one = np.isin(s, np.array(special, dtype=np.int64)) if special else np.zeros(len(s), dtype=bool)
    del index
    by_key = np.full(len(keys), -1, dtype=np.int64)
    for key in np.unique(k[~one_by_one]).tolist():
        by_key[key] = link(keys[key], None)
    a = by_key[k]
    for i in np.flatnonzero(one_by_one).tolist():
        subject, obj, p = order[s[i]], order[o[i]], keys[k[i]]
        found = restricted.get((subject, p, obj)) if restricted else None
        claim = (subject, SUBCLASS, found[2]) if found else (subject, p, obj)  # a restriction's claim: its axiom
        if claim in claims or claim[:2] in contested_pairs:
            a[i] = link(p, found, describer.edge_sources(*claim), describer.citations(*claim),
                        " ".join(describer.contested_by(*claim)))
        else:
            a[i] = link(p, found)
    return s, o, a, links


class _Restricted(dict):
    """(class, key, value) -> (property, word, restriction) for the restrictions drawn as links; iterating
    gives the triples, so they join the candidate edges."""

    def __iter__(self):
        return iter(list(self.keys()))


def _restriction_edges(facts: Facts, nodes: set) -> _Restricted:
    """A class's ``rdfs:subClassOf [owl:onProperty p; owl:hasValue v]`` (or some/only) as a link from the class
    to ``v``, keyed ``"<restriction kind> <p>"`` (never an IRI, so it meets no real predicate) and read
    "p: value" (:data:`.facts.RESTRICTIONS`): a class axiom shows as what it says, not as a blank node."""
    on = facts.values[ON_PROPERTY]
    kinds = [(kind, word, facts.values[kind]) for kind, word in RESTRICTIONS.items()]
    found = _Restricted()
    for cls, supers in facts.values[SUBCLASS].items():
        if cls not in nodes:
            continue
        for sup in supers:
            if type(sup) is not str or not sup.startswith(BLANK) or not on.get(sup):
                continue
            prop = min(on[sup])
            for kind, word, values in kinds:
                for value in values.get(sup, ()):
                    if type(value) is str and value in nodes and value != cls:
                        found[(cls, f"{kind} {prop}", value)] = (prop, word, sup)
    return found


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
    return best


def _taxonomy(describer: Describer, nodes: set) -> set:
    """The drawn families (classes that are individuals of a kind) and every drawn superclass above them."""
    found: set = set()
    todo = [n for n in describer.classes(nodes) if describer.is_family(n)]
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
