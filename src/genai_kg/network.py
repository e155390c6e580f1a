"""RDF -> networkx: which resources become nodes, which triples become edges, and what each is called.

The node/edge model built here is shared by the HTML view (:mod:`genai_kg.html`) and the graph exports
(GraphML, GEXF, Cytoscape JSON). Kinds, colours and shapes are read from the graph itself
(``gkg:displayColour`` / ``gkg:displayShape`` on the kind classes, see ``ontology/VOCABULARY.md``); nothing
about individual terms is written in Python.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, XSD, Namespace

from .errors import DataError, ParameterError, UnsupportedFormat
from .provenance import claim_sources

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    from rdflib import Graph

__all__ = [
    "GRAPH_FORMATS",
    "CYJS_SCHEMA",
    "is_standard_term",
    "to_networkx",
    "query_to_networkx",
    "kg_to_networkx",
    "serialize_network",
    "write_graph",
]

GKG = Namespace("https://w3id.org/genai-kg/")

#: Namespaces whose terms are vocabulary, never drawn as nodes.
STANDARD_NAMESPACES: tuple[str, ...] = tuple(str(ns) for ns in (RDF, RDFS, OWL, XSD, SKOS, DCTERMS, SH, PROV)) + (
    "http://purl.org/dc/elements/1.1/",
)

#: Standard-vocabulary predicates that still make edges: they carry the taxonomy and links between terms.
STRUCTURAL_PREDICATES = frozenset(
    {
        RDF.type,
        RDFS.subClassOf,
        OWL.equivalentClass,
        OWL.sameAs,
        SKOS.broader,
        SKOS.narrower,
        SKOS.related,
    }
)

#: Types whose instances are schema, not things: they label edges instead of being drawn.
_SCHEMA_TYPES = frozenset(
    {
        RDF.Property,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.TransitiveProperty,
        OWL.SymmetricProperty,
        OWL.FunctionalProperty,
        OWL.InverseFunctionalProperty,
        OWL.AsymmetricProperty,
        OWL.ReflexiveProperty,
        OWL.IrreflexiveProperty,
        OWL.Ontology,
        OWL.Axiom,
    }
)
_CLASS_TYPES = frozenset({OWL.Class, RDFS.Class})

_LABEL_PREDICATES = (RDFS.label, SKOS.prefLabel)

#: Used for nodes whose kind the graph does not say (user data without ``gkg:displayColour``).
FALLBACK_KIND = "Other"
FALLBACK_CLASS_KIND = "Class"
FALLBACK_COLOUR = "#9e9e9e"
FALLBACK_CLASS_COLOUR = "#cfd8dc"
FALLBACK_SHAPE = "dot"
FALLBACK_CLASS_SHAPE = "box"
_SHAPES = frozenset(
    {
        "dot",
        "box",
        "diamond",
        "triangle",
        "triangleDown",
        "star",
        "ellipse",
        "square",
        "hexagon",
        "circle",
        "database",
        "text",
    }
)

GRAPH_FORMATS = ("graphml", "gexf", "cyjs")
_EXTENSIONS = {".graphml": "graphml", ".gexf": "gexf", ".cyjs": "cyjs", ".json": "cyjs"}

#: JSON schema of the Cytoscape.js "elements" JSON that :func:`write_graph` writes (``cyjs``).
CYJS_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Cytoscape.js elements JSON written by genai-kg",
    "type": "object",
    "required": ["data", "directed", "multigraph", "elements"],
    "properties": {
        "data": {"type": "object"},
        "directed": {"const": True},
        "multigraph": {"const": True},
        "elements": {
            "type": "object",
            "required": ["nodes", "edges"],
            "additionalProperties": False,
            "properties": {
                "nodes": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["data"],
                        "properties": {
                            "data": {
                                "type": "object",
                                "required": ["id", "value", "name", "label", "kind", "colour", "shape"],
                                "properties": {
                                    "id": {"type": "string", "minLength": 1},
                                    "value": {"type": "string", "minLength": 1},
                                    "name": {"type": "string"},
                                    "label": {"type": "string"},
                                    "kind": {"type": "string"},
                                    "colour": {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"},
                                    "shape": {"type": "string"},
                                    "definition": {"type": "string"},
                                    "sources": {"type": "string"},
                                },
                                "additionalProperties": {"type": ["string", "number", "boolean"]},
                            }
                        },
                    },
                },
                "edges": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["data"],
                        "properties": {
                            "data": {
                                "type": "object",
                                "required": ["source", "target", "key", "label", "predicate"],
                                "properties": {
                                    "source": {"type": "string", "minLength": 1},
                                    "target": {"type": "string", "minLength": 1},
                                    "key": {"type": "string", "minLength": 1},
                                    "label": {"type": "string"},
                                    "predicate": {"type": "string", "minLength": 1},
                                    "sources": {"type": "string"},
                                },
                                "additionalProperties": {"type": ["string", "number", "boolean"]},
                            }
                        },
                    },
                },
            },
        },
    },
}


def is_standard_term(term: Any) -> bool:
    """True if ``term`` is an IRI in one of the standard vocabularies (RDF, RDFS, OWL, XSD, SKOS, ...)."""
    return isinstance(term, URIRef) and str(term).startswith(STANDARD_NAMESPACES)


def _local_name(iri: str) -> str:
    for sep in ("#", "/", ":"):
        head, found, tail = iri.rstrip("/#").rpartition(sep)
        if found and tail:
            return tail
    return iri


def _pick_literal(values: Iterable[Any]) -> str | None:
    """One literal, deterministically: English first, then untagged, then any; the smallest string wins."""
    best: tuple[int, str] | None = None
    for value in values:
        if not isinstance(value, Literal):
            continue
        lang = (value.language or "").lower()
        rank = 0 if lang == "en" or lang.startswith("en-") else 1 if not lang else 2
        candidate = (rank, str(value))
        if best is None or candidate < best:
            best = candidate
    return None if best is None else best[1]


class _Describer:
    """Labels, kinds and sources of terms, computed once per graph (the graph can be large)."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._labels: dict[Any, str] = {}
        for pred in reversed(_LABEL_PREDICATES):  # rdfs:label wins over skos:prefLabel
            per_subject: dict[Any, list[Any]] = defaultdict(list)
            for s, o in graph.subject_objects(pred):
                per_subject[s].append(o)
            for s, values in per_subject.items():
                picked = _pick_literal(values)
                if picked is not None:
                    self._labels[s] = picked
        self._colours: dict[Any, str] = {}
        for s, o in graph.subject_objects(GKG.displayColour):
            colour = str(o).strip()
            if isinstance(o, Literal) and len(colour) == 7 and colour.startswith("#"):
                try:
                    int(colour[1:], 16)
                except ValueError:
                    continue
                if s not in self._colours or colour < self._colours[s]:
                    self._colours[s] = colour.lower()
        self._shapes: dict[Any, str] = {}
        for s, o in graph.subject_objects(GKG.displayShape):
            if str(o) in _SHAPES and (s not in self._shapes or str(o) < self._shapes[s]):
                self._shapes[s] = str(o)
        self._superclasses: dict[Any, list[Any]] = defaultdict(list)
        for s, o in graph.subject_objects(RDFS.subClassOf):
            if not isinstance(o, BNode):
                self._superclasses[s].append(o)
        self._kind_class_cache: dict[Any, tuple[int, str, Any] | None] = {}
        self._axiom_sources: dict[tuple[Any, Any, Any], set[str]] = defaultdict(set)
        self._claim_sources: dict[Any, set[str]] = defaultdict(set)
        for (s, p, o), entries in claim_sources(graph).items():
            names = {self.label(URIRef(e["source"])) for e in entries}
            self._claim_sources[s] |= names
            self._axiom_sources[(s, p, o)] |= names

    def label(self, term: Any) -> str:
        found = self._labels.get(term)
        if found is not None:
            return found
        return _local_name(str(term)) if isinstance(term, URIRef) else str(term)

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
                for sup in self._superclasses.get(c, ()):
                    if sup not in seen:
                        seen.add(sup)
                        nxt.append(sup)
            frontier = nxt
            distance += 1
        self._kind_class_cache[cls] = found
        return found

    def kind(self, term: Any, types: Iterable[Any]) -> tuple[str, str, str]:
        """(kind label, colour, shape): the nearest kind class through rdf:type/rdfs:subClassOf*."""
        best = None
        is_class = False
        for t in types:
            if t in _CLASS_TYPES:
                is_class = True
            hit = self._nearest_kind_class(t)
            if hit is not None and (best is None or hit[:2] < best[:2]):
                best = hit
        if best is None:
            if is_class or term in self._superclasses:
                return FALLBACK_CLASS_KIND, FALLBACK_CLASS_COLOUR, FALLBACK_CLASS_SHAPE
            return FALLBACK_KIND, FALLBACK_COLOUR, FALLBACK_SHAPE
        cls = best[2]
        return self.label(cls), self._colours[cls], self._shapes.get(cls, FALLBACK_SHAPE)

    def sources(self, term: Any) -> str:
        names = {self.label(src) for src in self.graph.objects(term, DCTERMS.source)}
        names |= self._claim_sources.get(term, set())
        return "; ".join(sorted(names))

    def edge_sources(self, s: Any, p: Any, o: Any) -> str:
        return "; ".join(sorted(self._axiom_sources.get((s, p, o), ())))


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
    schema = {s for t in _SCHEMA_TYPES for s in graph.subjects(RDF.type, t)}
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
        raise ParameterError(f"depth must be 0 or more, not {depth}")
    source = graph if triples is None else triples
    describer = _Describer(graph)

    if resources is not None:
        nodes = {URIRef(str(r)) for r in resources if not isinstance(r, (BNode, Literal))}
        nodes = {n for n in nodes if _is_drawable(n)}
    else:
        nodes = _candidate_nodes(graph, source)

    edge_triples = [(s, p, o) for s, p, o in source if s in nodes and o in nodes and _is_edge_predicate(p)]
    if focus is not None:
        start = URIRef(str(focus))
        if start not in nodes:
            raise ParameterError(f"focus: {focus} is not a drawable resource of the graph")
        nodes = _neighbourhood(edge_triples, start, depth)
        edge_triples = [t for t in edge_triples if t[0] in nodes and t[2] in nodes]

    G = nx.MultiDiGraph()
    for node in sorted(nodes, key=str):
        types = list(graph.objects(node, RDF.type))
        kind, colour, shape = describer.kind(node, types)
        is_class = any(t in _CLASS_TYPES for t in types) or node in describer._superclasses
        G.add_node(
            str(node),
            label=describer.label(node),
            kind=kind,
            colour=colour,
            shape=shape,
            alt_labels="; ".join(sorted({str(o) for o in graph.objects(node, SKOS.altLabel)})),
            definition=_pick_literal(graph.objects(node, SKOS.definition)) or "",
            sources=describer.sources(node),
            is_class=bool(is_class),
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


def kg_to_networkx(
    kg: Any,
    *,
    focus: str | None = None,
    depth: int = 1,
    query: str | None = None,
    params: Mapping[str, str] | None = None,
    timeout: float | None = None,
    allow_remote: bool = False,
) -> nx.MultiDiGraph:
    """What ``genai-kg view`` and ``export --graph-format`` draw from a loaded :class:`KnowledgeGraph`.

    The whole graph by default; with ``focus`` (an IRI, CURIE or label) that term's neighbourhood within
    ``depth`` links; with ``query`` (a named query, a ``.rq`` file or SPARQL text, ``params`` bound
    safely) the query's result (see :func:`query_to_networkx`). ``focus`` and ``query`` exclude each other.
    """
    if focus is not None and query is not None:
        raise ParameterError("give --focus or --query, not both")
    if query is not None:
        result = kg.query(query, params or {}, timeout=timeout, allow_remote=allow_remote)
        terms = []
        for value in (params or {}).values():
            try:
                terms.append(kg.resolve_term(value))
            except KeyError:  # a literal parameter (a year, a number): nothing to draw for it
                continue
        return query_to_networkx(kg.graph, result, also=terms)
    if params:
        raise ParameterError("--param binds a query's parameters: give --query too")
    if focus is not None:
        try:
            term = kg.resolve_term(focus)
        except KeyError as exc:  # the catalogue's lookup error carries a one-line message
            raise ParameterError(f"--focus: {exc.args[0] if exc.args else focus}") from None
        return to_networkx(kg.graph, focus=term, depth=depth)
    return to_networkx(kg.graph)


def _graph_format(path: str | os.PathLike, fmt: str | None) -> str:
    if fmt is None:
        ext = os.path.splitext(str(path))[1].lower()
        if ext not in _EXTENSIONS:
            raise UnsupportedFormat(
                f"{path}: cannot tell the graph format from the extension; use one of {', '.join(GRAPH_FORMATS)}"
            )
        return _EXTENSIONS[ext]
    fmt = fmt.lower()
    if fmt not in GRAPH_FORMATS:
        raise UnsupportedFormat(f"unknown graph format {fmt!r}: use one of {', '.join(GRAPH_FORMATS)}")
    return fmt


def _scalar_copy(nxgraph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes are all str/bool/int/float (None dropped), as GraphML and GEXF need."""

    def clean(attrs: Mapping[str, Any]) -> dict[str, Any]:
        out = {}
        for key, value in attrs.items():
            if value is None:
                continue
            out[key] = value if isinstance(value, (str, bool, int, float)) else str(value)
        return out

    G = nxgraph.__class__()
    G.graph.update(clean(nxgraph.graph))
    for node, attrs in nxgraph.nodes(data=True):
        G.add_node(node, **clean(attrs))
    if G.is_multigraph():
        for u, v, key, attrs in nxgraph.edges(keys=True, data=True):
            G.add_edge(u, v, key=key, **clean(attrs))
    else:
        for u, v, attrs in nxgraph.edges(data=True):
            G.add_edge(u, v, **clean(attrs))
    return G


def _hex_rgb(colour: str) -> dict[str, int] | None:
    try:
        return {"r": int(colour[1:3], 16), "g": int(colour[3:5], 16), "b": int(colour[5:7], 16), "a": 1}
    except (TypeError, ValueError, IndexError):
        return None


def serialize_network(nxgraph: nx.MultiDiGraph, format: str) -> bytes:
    """Serialise the node/edge model as GraphML, GEXF (with Gephi colours) or Cytoscape JSON (UTF-8)."""
    import io

    import networkx as nx

    fmt = _graph_format("", format)
    G = _scalar_copy(nxgraph)
    if fmt == "cyjs":
        data = nx.cytoscape_data(G)
        data["data"] = dict(G.graph)  # networkx writes a list of pairs; Cytoscape reads an object
        return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(G, buffer, encoding="utf-8", prettyprint=True)
    else:
        for _, attrs in G.nodes(data=True):
            rgb = _hex_rgb(attrs.get("colour", ""))
            if rgb is not None:
                attrs["viz"] = {"color": rgb}
        nx.write_gexf(G, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def write_graph(nxgraph: nx.MultiDiGraph, path: str | os.PathLike, format: str | None = None) -> None:
    """Write ``nxgraph`` to ``path`` as ``graphml``, ``gexf`` or ``cyjs`` (from the extension if not given).

    The file is written atomically: a failure leaves no partial file and an existing file untouched.
    """
    from .fileio import atomic_path

    fmt = _graph_format(path, format)
    try:
        data = serialize_network(nxgraph, fmt)
    except (TypeError, ValueError, KeyError) as exc:  # networkx refusing an attribute type
        raise DataError(f"{path}: cannot write {fmt}: {exc}") from exc
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
