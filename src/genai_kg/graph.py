"""KnowledgeGraph: the bundled ontology plus a user's files in one rdflib Graph over a chosen store."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import rdflib
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from . import formats
from .paths import ONTOLOGY_DIR
from .stores import load_files, open_graph, resolve_store

__all__ = ["KnowledgeGraph", "load", "GKG", "bundled_files"]

GKG = rdflib.Namespace("https://w3id.org/genai-kg/")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")

_LABEL_PREDICATES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel)


def bundled_files() -> list[Path]:
    """The ontology files that make up the bundled graph (every ``ontology/*.ttl`` but the SHACL shapes)."""
    return sorted(p for p in ONTOLOGY_DIR.glob("*.ttl") if p.name != "shapes.ttl")


def _open_graph(store: str) -> Graph:
    """Create an empty rdflib Graph over the named store (``memory`` or ``oxigraph[:DIR]``)."""
    return open_graph(store)


class KnowledgeGraph:
    """The loaded graph and what the package does with it: query, look up terms, serialise, draw.

    Parameters
    ----------
    graph : rdflib.Graph
        The triples; any store rdflib supports.
    files : list of Path
        The files it was loaded from, in order (bundled first).
    store : str
        The store's name, as given to :func:`load`.
    """

    def __init__(self, graph: Graph, *, files: Iterable[Path] = (), store: str = "memory"):
        self.graph = graph
        self.files = list(files)
        self.store = store
        self._labels: dict[str, list[URIRef]] | None = None

    def __len__(self) -> int:
        return len(self.graph)

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {len(self)} triples, store={self.store!r}, files={len(self.files)}>"

    def _repr_html_(self) -> str:
        """A small counts table in Jupyter, so a notebook shows what was loaded."""
        from html import escape

        rows = "".join(
            f"<tr><td>{escape(k)}</td><td>{v}</td></tr>" for k, v in self.stats().items()
        )
        return f"<table><caption>genai-kg ({escape(self.store)})</caption>{rows}</table>"

    # -- terms ---------------------------------------------------------------------------------------
    def resolve_term(self, text: str) -> URIRef:
        """Find a term by IRI (``<...>`` or absolute), CURIE (``gkg:GPT-4``) or label (``"GPT-4"``).

        Raises
        ------
        KeyError
            With a one-line message when nothing (or more than one term) matches.
        """
        from .catalog import resolve_term

        return resolve_term(self, text)

    def label(self, term) -> str:
        """The term's English label, else its local name (for display only)."""
        best = None
        for lit in self.graph.objects(term, RDFS.label):
            if getattr(lit, "language", None) in ("en", None):
                best = str(lit)
                break
        if best is None and isinstance(term, URIRef):
            best = str(term).rsplit("/", 1)[-1].rsplit("#", 1)[-1] or str(term)
        return best if best is not None else str(term)

    def labels_index(self) -> dict[str, list[URIRef]]:
        """Lower-cased label/altLabel/prefLabel → terms; built once per graph."""
        if self._labels is None:
            index: dict[str, list[URIRef]] = {}
            for pred in _LABEL_PREDICATES:
                for s, o in self.graph.subject_objects(pred):
                    if isinstance(s, URIRef):
                        bucket = index.setdefault(str(o).strip().casefold(), [])
                        if s not in bucket:
                            bucket.append(s)
            self._labels = index
        return self._labels

    # -- queries -------------------------------------------------------------------------------------
    def query(
        self,
        query: str,
        params: Mapping[str, str] | None = None,
        *,
        timeout: float | None = None,
        allow_remote: bool = False,
    ):
        """Run a named query, a ``.rq`` file or a SPARQL string, with parameters bound safely.

        Parameters are bound with ``initBindings`` (never spliced into the text), and accept a term's IRI,
        CURIE or label. Returns an rdflib ``Result``.
        """
        from .catalog import run_query

        return run_query(self, query, params or {}, timeout=timeout, allow_remote=allow_remote)

    # -- output --------------------------------------------------------------------------------------
    def serialize(self, format: str = "turtle") -> str:
        """Serialise the whole graph: ``turtle``, ``xml``, ``json-ld`` (inline context) or ``nt``."""
        from .export import serialize_graph

        return serialize_graph(self.graph, format)

    def to_networkx(self, **options):
        """The graph as a networkx MultiDiGraph of drawn resources (see :func:`genai_kg.network.to_networkx`)."""
        from .network import to_networkx

        return to_networkx(self.graph, **options)

    def stats(self) -> dict[str, int]:
        """Counts by kind: triples, classes, properties, individuals, claims, sources."""
        g = self.graph

        def count(cls) -> int:
            return len({s for s in g.subjects(RDF.type, cls) if isinstance(s, URIRef)})

        classes = {s for s in g.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef)}
        individuals = {
            s
            for s in g.subjects(RDF.type, None)
            if isinstance(s, URIRef)
            and any(isinstance(t, URIRef) and t not in _META_TYPES for t in g.objects(s, RDF.type))
            and s not in classes
        } | {s for s in g.subjects(RDF.type, OWL.NamedIndividual) if isinstance(s, URIRef)}
        return {
            "triples": len(g),
            "classes": len(classes),
            "object properties": count(OWL.ObjectProperty),
            "datatype properties": count(OWL.DatatypeProperty),
            "annotation properties": count(OWL.AnnotationProperty),
            "individuals": len(individuals),
            "claims": sum(1 for _ in g.subjects(RDF.type, OWL.Axiom)),
            "sources": count(GKG.SourceDocument),
        }


_META_TYPES = {
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.Ontology,
    OWL.Axiom,
    OWL.NamedIndividual,
    OWL.TransitiveProperty,
    OWL.FunctionalProperty,
    OWL.SymmetricProperty,
    OWL.AsymmetricProperty,
    OWL.IrreflexiveProperty,
    OWL.InverseFunctionalProperty,
    OWL.Restriction,
    OWL.AllDisjointClasses,
    RDFS.Class,
    RDF.Property,
    RDFS.Datatype,
}


def load(
    data: Iterable[str | os.PathLike] = (),
    *,
    store: str = "memory",
    bundled: bool = True,
    allow_remote: bool = False,
) -> KnowledgeGraph:
    """Load the bundled graph, merged with the user's RDF files (format chosen by extension).

    Parameters
    ----------
    data : iterable of paths
        The user's files: Turtle, N-Triples, N3, RDF/XML, JSON-LD, TriG or N-Quads.
    store : str
        ``memory`` (rdflib's own store), ``oxigraph`` / ``oxigraph:DIR`` (Oxigraph), or ``auto``:
        Oxigraph once the user's files pass :data:`genai_kg.stores.AUTO_THRESHOLD` bytes, else memory.
    bundled : bool
        Include the bundled ontology (``False`` to work on the user's files alone).
    allow_remote : bool
        Let parsers fetch what a file points to (remote JSON-LD contexts); off by default.

    Examples
    --------
    >>> kg = load()
    >>> kg.resolve_term("LLM") == GKG.LargeLanguageModel
    True
    """
    files = [*(bundled_files() if bundled else []), *(Path(p) for p in data)]
    for path in files[len(bundled_files()) if bundled else 0 :]:
        formats.from_extension(path)  # refuse an unknown extension before any parsing work
    store = resolve_store(store, files[len(bundled_files()) if bundled else 0 :])
    graph = load_files(_open_graph(store), files, store=store, allow_remote=allow_remote)
    kg = KnowledgeGraph(graph, files=files, store=store)
    for prefix, ns in (("gkg", GKG), ("dcterms", DCTERMS), ("skos", SKOS), ("owl", OWL)):
        graph.bind(prefix, ns, override=False)
    return kg
