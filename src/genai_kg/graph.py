"""KnowledgeGraph, the facade: the bundled ontology plus a user's files in one rdflib Graph over a chosen
store, and everything the package does with it (query, look up terms, serialise, draw, count)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from rdflib import Graph, URIRef

from . import pipeline, terms, vocab
from .errors import ParameterError, TermNotFound
from .export import serialize_graph
from .formats import from_extension
from .paths import ONTOLOGY_DIR
from .stores import load_files, open_graph, resolve_store
from .views.model import query_to_networkx, to_networkx
from .vocab import GKG, OWL, RDF, RDFS

__all__ = ["KnowledgeGraph", "load", "bundled_files"]

def bundled_files() -> list[Path]:
    """The ontology files that make up the bundled graph (every ``ontology/*.ttl`` but the SHACL shapes)."""
    return sorted(p for p in ONTOLOGY_DIR.glob("*.ttl") if p.name != "shapes.ttl")


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
        """Find a term by IRI (``<...>`` or absolute), CURIE (``gkg:GPT-4``) or label (``"GPT-4"``, ``"LLM"``).

        Raises
        ------
        TermNotFound
            With a one-line message when nothing (or more than one term) matches.
        """
        return terms.resolve_term(self.graph, text, index=self.labels_index())

    def label(self, term) -> str:
        """The term's label by the package's one rule (:func:`genai_kg.vocab.label`), for display."""
        return vocab.label(self.graph, term)

    def labels_index(self) -> terms.LabelIndex:
        """Case-folded label/altLabel/prefLabel -> terms; built once per graph."""
        if self._labels is None:
            self._labels = terms.labels_index(self.graph)
        return self._labels

    # -- queries -------------------------------------------------------------------------------------
    def query(
        self,
        query: str,
        params: Mapping[str, str] | None = None,
        *,
        timeout: float | None = None,
        allow_remote: bool = False,
        endpoint: str | None = None,
        graph: str | None = None,
        credentials=None,
    ):
        """Run a named query, a ``.rq`` file or a SPARQL string, with parameters bound safely.

        Parameters accept a term's IRI, CURIE or label, and are bound as terms, never spliced into the text
        as typed (see :mod:`genai_kg.pipeline`). With ``endpoint`` the query runs on that SPARQL 1.1
        endpoint's triples (``graph`` names its named graph) while this graph resolves the parameters.
        Returns an rdflib ``Result``.
        """
        remote = pipeline.Remote(endpoint, graph, credentials) if endpoint else None
        return pipeline.run_query(
            self.graph, query, params or {}, resolve=self.resolve_term, timeout=timeout,
            allow_remote=allow_remote, remote=remote,
        )

    # -- output --------------------------------------------------------------------------------------
    def serialize(self, format: str = "turtle") -> str:
        """Serialise the whole graph: ``turtle``, ``xml``, ``json-ld`` (inline context) or ``nt``."""
        return serialize_graph(self.graph, format)

    def to_networkx(
        self,
        *,
        focus: str | None = None,
        depth: int = 1,
        query: str | None = None,
        params: Mapping[str, str] | None = None,
        timeout: float | None = None,
        allow_remote: bool = False,
    ):
        """What ``genai-kg view`` and ``export --graph-format`` draw, as a networkx MultiDiGraph.

        The whole graph by default; with ``focus`` (an IRI, CURIE or label) that term's neighbourhood within
        ``depth`` links; with ``query`` (a named query, a ``.rq`` file or SPARQL text, ``params`` bound
        safely) the query's result. ``focus`` and ``query`` exclude each other. This method gathers (runs
        the query, resolves terms); :func:`genai_kg.views.model.to_networkx` draws.
        """
        if focus is not None and query is not None:
            raise ParameterError("cannot be combined with query: give one or the other, not both", argument="focus")
        if query is not None:
            result = self.query(query, params or {}, timeout=timeout, allow_remote=allow_remote)
            terms = []
            for value in (params or {}).values():
                try:
                    terms.append(self.resolve_term(value))
                except TermNotFound:  # a literal parameter (a year, a number): nothing to draw for it
                    continue
            return query_to_networkx(self.graph, result, also=terms)
        if params:
            raise ParameterError("is needed to bind params", argument="query")
        if focus is not None:
            try:
                term = self.resolve_term(focus)
            except TermNotFound as exc:
                raise TermNotFound(exc.reason, text=exc.text, matches=exc.matches, argument="focus") from None
            return to_networkx(self.graph, focus=term, depth=depth)
        return to_networkx(self.graph)

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
    extra = [Path(p) for p in data]
    for path in extra:
        from_extension(path)  # refuse an unknown extension before any parsing work
    files = [*(bundled_files() if bundled else []), *extra]
    store = resolve_store(store, extra)
    graph = load_files(open_graph(store), files, store=store, allow_remote=allow_remote)
    for prefix, namespace in vocab.PREFIXES.items():
        graph.bind(prefix, namespace, override=False)
    return KnowledgeGraph(graph, files=files, store=store)
