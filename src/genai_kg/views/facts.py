"""What the view's model reads from a graph, gathered in one pass over its triples.

A graph a user draws can hold millions of triples, so each triple is read once and every table the model
needs (types, labels, definitions, sources, colours, shapes, superclasses, axioms, candidate edges) is a dict
filled in that pass; nothing is looked up per node afterwards. Terms are kept as plain Python values rather
than rdflib terms, which are costly to build (each IRI is validated) and to compare:

- an IRI is its ``str``;
- a blank node is ``"_:" + id`` (no IRI starts so: a scheme begins with a letter);
- a literal is the tuple ``(text, language)`` (``""`` when untagged), which never equals a string.

On an Oxigraph graph the triples are read from pyoxigraph directly, without converting them to rdflib; files
may be read from Oxigraph's parser without a store (:func:`parse_triples`).
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ..formats import from_extension
from ..stores import is_oxigraph, oxigraph_store
from ..stores.oxigraph import canonical_literal, parsed
from ..vocab import (
    DC,
    DCTERMS,
    GKG,
    LABEL_PREDICATES,
    OWL,
    PROV,
    RDF,
    RDFS,
    SH,
    SKOS,
    SYNONYM_PREDICATES,
    XSD,
    language_rank,
)

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

    from rdflib import Graph

    from ..progress import Bar

__all__ = ["Facts", "read_triples", "parse_triples", "pick", "text_of", "is_drawable", "BLANK", "STANDARD_NAMESPACES",
           "STRUCTURAL_PREDICATES", "collector_paused", "RESTRICTIONS", "OA", "ON_PROPERTY", "SUBCLASS", "TYPE",
           "SOURCE", "ANNOTATED"]

#: Namespaces whose terms are vocabulary, never drawn as nodes.
STANDARD_NAMESPACES: tuple[str, ...] = tuple(str(ns) for ns in (RDF, RDFS, OWL, XSD, SKOS, DCTERMS, SH, PROV, DC))

#: Standard-vocabulary predicates that still make edges: they carry the taxonomy and links between terms.
STRUCTURAL_PREDICATES = frozenset(
    {RDF.type, RDFS.subClassOf, OWL.equivalentClass, OWL.sameAs, SKOS.broader, SKOS.narrower, SKOS.related}
)

#: How a blank node's key starts.
BLANK = "_:"
TYPE, SUBCLASS, SOURCE = str(RDF.type), str(RDFS.subClassOf), str(DCTERMS.source)
AXIOM = str(OWL.Axiom)
ANNOTATED = (str(OWL.annotatedSource), str(OWL.annotatedProperty), str(OWL.annotatedTarget))
#: The W3C Web Annotation vocabulary: a citation's text position selectors (issue 21's sentence anchors).
OA = "http://www.w3.org/ns/oa#"
ON_PROPERTY = str(OWL.onProperty)
#: The restrictions a view draws as a link from the class to the value, and how the link reads after the property.
RESTRICTIONS = {str(OWL.hasValue): "value", str(OWL.someValuesFrom): "some", str(OWL.allValuesFrom): "only"}
#: What a citation (a nested ``owl:Annotation`` on a claim's axiom) and its document carry.
CITATION = (str(GKG.sourceSection), str(SKOS.note), OA + "hasSelector", OA + "start", OA + "end",
            str(GKG.sourceFile), str(GKG.sha256), str(GKG.about), str(GKG.viewContests))
#: Predicates whose values the model keeps, per subject.
KEPT = (
    TYPE, SUBCLASS, SOURCE, *ANNOTATED, *(str(p) for p in LABEL_PREDICATES),
    *(str(p) for p in SYNONYM_PREDICATES),
    str(SKOS.definition), str(GKG.displayColour), str(GKG.displayShape), str(GKG.viewLabel),
    str(GKG.viewInverseLabel), ON_PROPERTY, *RESTRICTIONS, *CITATION,
)


def _strings(terms: Iterable[Any]) -> frozenset[str]:
    return frozenset(str(t) for t in terms)


def is_drawable(key: Any, standard: tuple[str, ...] | None = None) -> bool:
    """An IRI key outside the standard vocabularies (a blank node or a literal is never drawn)."""
    return type(key) is str and not key.startswith(BLANK) and not key.startswith(standard or STANDARD_NAMESPACES)


def text_of(key: Any) -> str:
    """What a term reads as: a literal's text, a blank node's id, an IRI."""
    if type(key) is tuple:
        return key[0]
    return key[len(BLANK):] if key.startswith(BLANK) else key


def pick(values: Iterable[Any]) -> str | None:
    """One literal's text among ``values`` (:func:`genai_kg.vocab.pick_label`'s rule on literal keys):
    :func:`genai_kg.vocab.language_rank`, then the smallest text. One value is its own pick (no ranking: most
    subjects of a big graph have one label and one definition)."""
    if type(values) is list and len(values) == 1:
        only = values[0]
        return only[0] if type(only) is tuple else None
    ranked = []
    for value in values:
        if type(value) is tuple:
            ranked.append((language_rank(value[1]), value[0]))
    return min(ranked)[1] if ranked else None


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while tables of millions of acyclic objects are built (it would
    rescan them over and over: a quarter of the time); reference counting still frees what is dropped."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# -- reading -----------------------------------------------------------------------------------------------
def _rdflib_triples(graph: Graph) -> Iterator[tuple[Any, str, Any]]:
    from rdflib import BNode, Literal, URIRef

    def literal(term: Literal) -> tuple[str, str]:
        return str(term), term.language or ""

    by_type: dict[type, Callable[[Any], Any]] = {URIRef: str, BNode: lambda term: BLANK + term, Literal: literal}
    for s, p, o in graph:
        make_s, make_o = by_type.get(type(s)), by_type.get(type(o))
        if make_s is not None and make_o is not None:  # anything else (a formula, a quoted triple) is skipped
            yield make_s(s), str(p), make_o(o)


def _oxigraph_triples(graph: Graph) -> Iterator[tuple[Any, str, Any]]:
    import pyoxigraph as ox
    from rdflib import BNode
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    identifier = graph.identifier
    name: ox.NamedNode | ox.BlankNode | ox.DefaultGraph
    if identifier == DATASET_DEFAULT_GRAPH_ID:
        name = ox.DefaultGraph()
    else:
        name = ox.BlankNode(str(identifier)) if isinstance(identifier, BNode) else ox.NamedNode(str(identifier))
    return _keys(oxigraph_store(graph).quads_for_pattern(None, None, None, name), {}, {})


def _keys(quads: Iterable[Any], kept: dict[str, str], predicates: dict[Any, tuple[str, bool]],
          lexical: bool = False) -> Iterator[tuple[Any, str, Any]]:
    """pyoxigraph's quads as keys (see the module). A literal is read only as the value of a predicate of
    :data:`KEPT` (others yield None: nothing else reads a literal); with ``lexical`` (quads from a parser, not a
    store) a typed literal's text is made what a store gives back (:func:`genai_kg.stores.canonical_literal`).
    ``kept`` and ``predicates`` are the strings and predicates read so far (shared by the files of one graph)."""
    import pyoxigraph as ox

    named, blank, literal = ox.NamedNode, ox.BlankNode, ox.Literal
    plain = ox.NamedNode(str(XSD.string))
    wanted = frozenset(KEPT)
    # Each ``.value`` is a new string: the tables would hold a copy per triple (a GB at a million nodes). A store
    # gives the quads subject by subject (a file may too), so a subject is read when it differs from the last;
    # predicates, few, are read once each (a dict keyed by pyoxigraph's term); IRIs are kept once each through a
    # dict, which also makes the drawing's lookups of them identity checks (without it the view took longer).
    last_term: Any = None
    last = ""
    keep = kept.setdefault
    tags: dict[str, str] = {}  # language tags, few: a small table of their own
    tag = tags.setdefault
    for s, p, o, _ in quads:
        if s == last_term:
            s = last
        else:
            kind_s = type(s)
            if kind_s is named:
                value = s.value
            elif kind_s is blank:
                value = BLANK + s.value
            else:  # a quoted triple (RDF-star): not drawn
                continue
            last_term, last = s, keep(value, value)
            s = last
        found = predicates.get(p)
        if found is None:
            key = p.value
            key = keep(key, key)
            found = predicates[p] = (key, key in wanted)
        key, reads_literals = found
        kind_o = type(o)
        if kind_o is named:
            o = o.value
            o = keep(o, o)
        elif kind_o is literal:
            if not reads_literals:
                o = None
            else:
                language = o.language
                if language:
                    o = (o.value, tag(language, language))
                elif lexical and o.datatype != plain:
                    o = (canonical_literal(o), "")
                else:
                    o = (o.value, "")
        elif kind_o is blank:
            o = BLANK + o.value
            o = keep(o, o)
        else:
            continue
        yield s, key, o


def read_triples(graph: Graph) -> Iterator[tuple[Any, str, Any]]:
    """Every triple of ``graph`` as keys (see the module), read straight from Oxigraph when it holds them. A
    literal that the model does not keep (the value of a predicate outside :data:`KEPT`) may come as None."""
    return _oxigraph_triples(graph) if is_oxigraph(graph) else _rdflib_triples(graph)


def parse_triples(files: Iterable[Path], progress: Bar | None = None) -> Iterator[tuple[Any, str, Any]]:
    """Every triple of ``files`` as :func:`read_triples` reads a graph loaded from them, straight from
    Oxigraph's parser (:func:`genai_kg.stores.oxigraph.parsed`: each must be in a syntax it reads), without a
    store; a triple written twice comes twice. ``progress`` counts the bytes read."""
    kept: dict[str, str] = {}
    predicates: dict[Any, tuple[str, bool]] = {}
    for path in files:
        if progress:
            progress.note(f"reading {path.name}")
        with parsed(path, from_extension(path), progress=progress) as quads:
            yield from _keys(quads, kept, predicates, lexical=True)


# -- the one pass ------------------------------------------------------------------------------------------
class Facts:
    """The tables of one pass over ``graph`` (and, for a CONSTRUCT or DESCRIBE result, over ``source``, which
    gives the nodes and edges instead): ``values[predicate][subject]`` lists the values of the predicates in
    :data:`KEPT`, each once; ``predicates`` every predicate used; ``nodes`` and ``edges`` what may be drawn
    (an edge may come twice from triples read without a store: the drawing keeps one); ``triples`` how many
    were read. :meth:`read` takes the triples (keys) from elsewhere, such as files (:func:`parse_triples`)."""

    def __init__(self, graph: Graph | None, source: Graph | None = None) -> None:
        if graph is not None:
            self._gather(read_triples(graph), source)

    @classmethod
    def read(cls, triples: Iterable[tuple[Any, str, Any]]) -> Facts:
        """The tables of ``triples`` (keys, as :func:`read_triples` gives them)."""
        facts = cls(None)
        facts._gather(triples, None)
        return facts

    def _gather(self, triples: Iterable[tuple[Any, str, Any]], source: Graph | None) -> None:
        structural = _strings(STRUCTURAL_PREDICATES)
        standard = STANDARD_NAMESPACES
        self.values: dict[str, defaultdict[Any, list[Any]]] = {p: defaultdict(list) for p in KEPT}
        values = self.values
        plan: dict[str, tuple[Any, bool]] = {}  # predicate -> (its values' table or None, whether it makes edges)
        own = source is None
        subjects: set[Any] = set()
        # Candidate edges as three columns (subject, predicate, object): three list slots each rather than a
        # tuple each, which a drawing of millions of edges turns into arrays of places.
        cs: list[Any] = []
        cp: list[str] = []
        co: list[str] = []
        last = None
        count = 0
        for s, p, o in triples:
            count += 1
            found = plan.get(p)
            if found is None:
                found = plan[p] = (values.get(p), p in structural or is_drawable(p, standard))
            bucket, edge = found
            if bucket is not None:
                bucket[s].append(o)
            if own:
                if s is not last:  # triples come subject by subject
                    subjects.add(s)
                    last = s
                if edge and type(o) is str:
                    cs.append(s)
                    cp.append(p)
                    co.append(o)
        if source is not None:
            for s, p, o in read_triples(source):
                subjects.add(s)
                if (p in structural or is_drawable(p, standard)) and type(o) is str:
                    cs.append(s)
                    cp.append(p)
                    co.append(o)
        for table in values.values():  # each value once (a store holds a triple once; a file may say it twice)
            for s, found_values in table.items():
                if len(found_values) > 1:
                    table[s] = list(dict.fromkeys(found_values))
        drawn = {o for o in set(co) if is_drawable(o, standard)}
        #: Candidate edges: subjects, predicates and objects of edge predicates to an IRI or a blank node (the
        #: model keeps those between drawn nodes).
        self.edges = (cs, cp, co)
        #: Drawable subjects, and drawable objects of edges (annotation objects alone are not drawn).
        self.nodes = {s for s in subjects if is_drawable(s, standard)} | drawn
        #: Every predicate used in ``graph``.
        self.predicates = set(plan)
        #: How many triples were read.
        self.triples = count

    def of(self, predicate: Any) -> defaultdict[Any, list[Any]]:
        """subject -> values of ``predicate`` (one of :data:`KEPT`)."""
        return self.values[str(predicate)]

    def axioms(self) -> Iterator[tuple[tuple[Any, Any, Any], list[Any]]]:
        """((source, property, target), cited sources) of each ``owl:Axiom`` with all three and a source."""
        types, cited = self.values[TYPE], self.values[SOURCE]
        parts = [self.values[p] for p in ANNOTATED]
        for ax in list(parts[0]):  # an axiom has an annotated source: far fewer subjects than those typed
            if AXIOM in types.get(ax, ()) and ax in cited:
                found = [min(part[ax], key=str) if part.get(ax) else None for part in parts]
                if None not in found:
                    yield (found[0], found[1], found[2]), cited[ax]
