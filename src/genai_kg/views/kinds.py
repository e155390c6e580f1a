"""What a node is and how it looks: labels, kinds, colours, shapes and sources, read from the graph.

Kinds, colours and shapes are data (``gkg:displayColour`` / ``gkg:displayShape`` on the kind classes, see
``ontology/VOCABULARY.md``); nothing about individual terms is written in Python. Labels follow the one
rule of :mod:`genai_kg.vocab`, so a node reads as the term reads everywhere else.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from rdflib import URIRef

from ..vocab import DCTERMS, GKG, LABEL_PREDICATES, OWL, RDF, RDFS, SKOS, local_name
from .facts import (
    ANNOTATED,
    BLANK,
    OA,
    SOURCE,
    STANDARD_NAMESPACES,
    STRUCTURAL_PREDICATES,
    TYPE,
    Facts,
    is_drawable,
    pick,
    text_of,
)

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
_CLASS_KEYS = frozenset(map(str, CLASS_TYPES))

#: Used for nodes whose kind the graph does not say (user data without ``gkg:displayColour``).
FALLBACK_KIND = "other"
FALLBACK_CLASS_KIND = "class"
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
    """A literal's text stripped, if it spells ``#rrggbb`` (``value`` is a key of :mod:`.facts`)."""
    colour = value[0].strip() if type(value) is tuple else ""
    if not (len(colour) == 7 and colour.startswith("#")):
        return None
    try:
        int(colour[1:], 16)
    except ValueError:
        return None
    return colour


def _integer(values: Any) -> int | None:
    """The smallest literal among ``values`` that spells a whole number, else None."""
    found = []
    for value in values or ():
        try:
            found.append(int(text_of(value)))
        except (TypeError, ValueError):
            continue
    return min(found) if found else None


def _picked(per_subject: dict[Any, list[Any]]) -> dict[Any, str]:
    """subject -> one of its literals (:func:`.facts.pick`)."""
    return {s: picked for s, values in per_subject.items() if (picked := pick(values)) is not None}


class Describer:
    """Labels, kinds and sources of terms, from the tables of one pass over the graph (:class:`.facts.Facts`).

    Terms are the keys of :mod:`.facts` (an IRI is its string). Labels follow :func:`genai_kg.vocab.label`'s
    rule, with :func:`.facts.pick` choosing among a term's values.
    """

    def __init__(self, facts: Facts) -> None:
        self.types = facts.of(RDF.type)
        self._labels: dict[Any, str] = {}
        for pred in reversed(LABEL_PREDICATES):  # the first predicate wins: written last
            self._labels.update(_picked(facts.of(pred)))
        self._colours: dict[Any, str] = {}
        for s, values in facts.of(GKG.displayColour).items():
            found = sorted(c for c in map(_hex_colour, values) if c is not None)
            if found:
                self._colours[s] = found[0].lower()
        self._shapes: dict[Any, str] = {}
        for s, values in facts.of(GKG.displayShape).items():
            found = sorted(t for t in map(text_of, values) if t in SHAPES)
            if found:
                self._shapes[s] = found[0]
        self.superclasses: dict[Any, list[Any]] = {
            s: ups for s, values in facts.of(RDFS.subClassOf).items()
            if (ups := [o for o in values if not (type(o) is str and o.startswith(BLANK))])
        }
        self._kind_class_cache: dict[Any, tuple[int, str, Any] | None] = {}
        self._family_cache: dict[Any, bool] = {}
        self._depth_cache: dict[Any, int] = {}
        self._view_labels = _picked(facts.of(GKG.viewLabel))
        self._inverse_labels = _picked(facts.of(GKG.viewInverseLabel))
        self._axiom_sources: dict[tuple[Any, Any, Any], set[str]] = defaultdict(set)
        self._claim_sources: dict[Any, set[str]] = defaultdict(set)
        for (s, p, o), cited in facts.axioms():
            names = {self.label(src) for src in cited}
            self._claim_sources[s] |= names
            self._axiom_sources[(s, p, o)] |= names
        self._edge_sources = {claim: "; ".join(sorted(names)) for claim, names in self._axiom_sources.items()}
        self._citations = self._read_citations(facts)
        self._contested = self._read_contested(facts)

    def _read_citations(self, facts: Facts) -> dict[tuple[Any, Any, Any], str]:
        """claim -> its citations as JSON, ``[[source, section, note, file, [[start, end], ...], sha256], ...]``:
        one per nested ``owl:Annotation`` naming a source of the claim's axiom (or per source without one).

        ``file`` is the document's ``gkg:sourceFile`` and the pairs its ``oa:TextPositionSelector`` offsets:
        where the page resolves sentences when it is written with the documents (never their text here)."""
        import json

        source_of, prop_of, target_of = (facts.values[p] for p in ANNOTATED)
        sections, notes = facts.of(GKG.sourceSection), facts.of(SKOS.note)
        selectors, starts, ends = (facts.values[OA + name] for name in ("hasSelector", "start", "end"))
        files, hashes = facts.of(GKG.sourceFile), facts.of(GKG.sha256)
        per_axiom: dict[Any, list[list[Any]]] = defaultdict(list)
        named: dict[Any, set[Any]] = defaultdict(set)
        for cite, targets in target_of.items():
            if str(DCTERMS.source) not in prop_of.get(cite, ()) or not source_of.get(cite):
                continue
            ax, doc = min(source_of[cite], key=str), min(targets, key=str)
            anchors = []
            for sel in selectors.get(cite, ()):
                begin, end = _integer(starts.get(sel)), _integer(ends.get(sel))
                if begin is not None and end is not None and 0 <= begin < end:
                    anchors.append([begin, end])
            per_axiom[ax].append([self.label(doc), ", ".join(sorted(text_of(x) for x in sections.get(cite, ()))),
                                  " ".join(sorted(text_of(x) for x in notes.get(cite, ()))),
                                  pick(files.get(doc, ())) or "", sorted(anchors), pick(hashes.get(doc, ())) or ""])
            named[ax].add(doc)
        found: dict[tuple[Any, Any, Any], str] = {}
        types, cited = facts.values[TYPE], facts.values[SOURCE]
        axiom = str(OWL.Axiom)
        for ax in list(source_of):  # an axiom has an annotated source: far fewer subjects than those typed
            if axiom not in types.get(ax, ()) or not (source_of.get(ax) and prop_of.get(ax) and target_of.get(ax)):
                continue
            entries = list(per_axiom.get(ax, ()))
            entries += [[self.label(doc), "", "", pick(files.get(doc, ())) or "", [], pick(hashes.get(doc, ())) or ""]
                        for doc in cited.get(ax, ()) if doc not in named[ax]]
            if entries:
                claim = (min(source_of[ax], key=str), min(prop_of[ax], key=str), min(target_of[ax], key=str))
                found[claim] = json.dumps(sorted(entries), ensure_ascii=False, separators=(",", ":"))
        return found

    def _read_contested(self, facts: Facts) -> dict[tuple[Any, Any], list[Any]]:
        """(term, property) -> the disagreements about the term whose kind says they contest that property's
        claims (``gkg:viewContests`` on the kind class, see presentation.ttl)."""
        contests, files, cited = facts.of(GKG.viewContests), facts.of(GKG.sourceFile), facts.values[SOURCE]
        found: dict[tuple[Any, Any], list[Any]] = defaultdict(list)
        self._disagreement_documents = {d: {self.label(doc) for doc in cited.get(d, ()) if files.get(doc)}
                                        for d in facts.of(GKG.about)}
        for d, terms in facts.of(GKG.about).items():
            props = {p for t in self.types.get(d, ()) for p in contests.get(t, ())}
            for term in terms:
                for p in props:
                    found[(term, p)].append(d)
        return found

    def annotated(self) -> tuple[Any, Any]:
        """(claims with sources or citations, (subject, property) pairs a disagreement contests): a claim in
        neither has no sources, citations or disagreements, so a big drawing skips looking them up."""
        return self._edge_sources.keys() | self._citations.keys(), self._contested.keys()

    def citations(self, s: Any, p: Any, o: Any) -> str:
        """The claim's citations as JSON (see :meth:`_read_citations`), "" when none."""
        return self._citations.get((s, p, o), "")

    def contested_by(self, s: Any, p: Any, o: Any) -> list[Any]:
        """The disagreements that contest the claim ``(s, p, o)`` (sorted IRIs): about ``s``, of a kind that
        contests ``p``'s claims, and citing a document that the claim cites (curation is no document)."""
        contested = self._contested.get((s, p))
        if not contested:  # the common case: nothing contests claims of this subject and property
            return []
        cited = self._axiom_sources.get((s, p, o), set())
        return sorted((d for d in contested if self._disagreement_documents[d] & cited), key=str)

    def label(self, term: Any) -> str:
        """The term's label (the rule of :func:`genai_kg.vocab.label`), else its local name."""
        found = self._labels.get(term)
        if found is not None:
            return found
        return local_name(term) if type(term) is str and not term.startswith(BLANK) else text_of(term)

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
            found = is_drawable(cls) and any(self._nearest_kind_class(t) is not None for t in self.types.get(cls, ()))
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
        return any(t in _CLASS_KEYS for t in types) or term in self.superclasses

    def classes(self, terms: Iterable[Any]) -> set[Any]:
        """The classes among ``terms`` (:meth:`is_class`), the types of each read once per combination."""
        declared: dict[tuple, bool] = {}
        found = set()
        for term in terms:
            if term in self.superclasses:
                found.add(term)
                continue
            typed = tuple(self.types.get(term, ()))
            is_class = declared.get(typed)
            if is_class is None:
                is_class = declared[typed] = any(t in _CLASS_KEYS for t in typed)
            if is_class:
                found.add(term)
        return found

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
                found = (distance, hits[0], hits[0])
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

    def sources(self, term: Any, cited: Iterable[Any]) -> str:
        """Labels of the term's ``dcterms:source`` values (``cited``) and of its claims' sources, joined by "; "."""
        claimed = self._claim_sources.get(term)
        if not cited and not claimed:
            return ""
        names = {self.label(src) for src in cited}
        names |= claimed or set()
        return "; ".join(sorted(names))

    def edge_sources(self, s: Any, p: Any, o: Any) -> str:
        """Labels of the sources annotating the triple ``(s, p, o)``, joined by "; "."""
        return self._edge_sources.get((s, p, o), "")
