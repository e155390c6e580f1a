"""What a node is and how it looks: labels, kinds, colours, shapes and sources, read from the graph.

Kinds, colours and shapes are data (``gkg:displayColour`` / ``gkg:displayShape`` on the kind classes, see
``ontology/VOCABULARY.md``); nothing about individual terms is written in Python. Labels follow the one
rule of :mod:`genai_kg.vocab`, so a node reads as the term reads everywhere else.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Literal, URIRef

from ..provenance import claim_sources
from ..vocab import DCTERMS, GKG, LABEL_PREDICATES, OWL, PROV, RDF, RDFS, SH, SKOS, XSD, local_name, pick_label

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

__all__ = [
    "STANDARD_NAMESPACES",
    "STRUCTURAL_PREDICATES",
    "SCHEMA_TYPES",
    "CLASS_TYPES",
    "FALLBACK_KIND",
    "FALLBACK_CLASS_KIND",
    "FALLBACK_COLOUR",
    "FALLBACK_CLASS_COLOUR",
    "FALLBACK_SHAPE",
    "FALLBACK_CLASS_SHAPE",
    "SHAPES",
    "is_standard_term",
    "Describer",
]

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
SCHEMA_TYPES = frozenset(
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
CLASS_TYPES = frozenset({OWL.Class, RDFS.Class})

#: Used for nodes whose kind the graph does not say (user data without ``gkg:displayColour``).
FALLBACK_KIND = "Other"
FALLBACK_CLASS_KIND = "Class"
FALLBACK_COLOUR = "#9e9e9e"
FALLBACK_CLASS_COLOUR = "#cfd8dc"
FALLBACK_SHAPE = "dot"
FALLBACK_CLASS_SHAPE = "box"
#: The node shapes vis-network draws; any other ``gkg:displayShape`` value is ignored.
SHAPES = frozenset(
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


def is_standard_term(term: Any) -> bool:
    """True if ``term`` is an IRI in one of the standard vocabularies (RDF, RDFS, OWL, XSD, SKOS, ...).

    >>> is_standard_term(OWL.Class), is_standard_term(GKG.GPT4)
    (True, False)
    """
    return isinstance(term, URIRef) and str(term).startswith(STANDARD_NAMESPACES)


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
