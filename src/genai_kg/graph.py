"""KnowledgeGraph, the facade: the bundled ontology plus a user's files in one rdflib Graph over a chosen
store, and everything the package does with it (query, describe, compare, validate, draw, export, count).

Each method gathers what a lower module needs and hands it over: :mod:`genai_kg.describe`,
:mod:`genai_kg.compare` and :mod:`genai_kg.validate` take this graph first (as a
:class:`~genai_kg.terms.TermGraph`), :mod:`genai_kg.views` a node/edge model, :mod:`genai_kg.export` an
rdflib graph. Heavy modules (views, pySHACL) load inside the methods that use them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph, URIRef

from . import pipeline, terms, vocab
from .answers import QueryResult
from .errors import ParameterError, TermNotFound
from .export import serialize_graph
from .fileio import write_text_atomic
from .formats import GRAPH_FORMATS, from_extension
from .paths import ONTOLOGY_DIR, PRESENTATION_FILE
from .progress import PROGRESS_MIN_TRIPLES, Bar, bar, wanted
from .stores import load_files, open_graph, resolve_store, reuse_store
from .vocab import DEFAULT_GRAPH, GKG, OWL, RDF, RDFS

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from .endpoint import Credentials
    from .validate import ValidationReport
    from .views import View

__all__ = ["KnowledgeGraph", "load", "view_files", "bundled_files", "DEFAULT_STORE"]

#: The store :func:`load` and the command line use unless told otherwise: Oxigraph, so the Python API and
#: ``genai-kg`` answer the same graph with the same engine. ``memory`` (rdflib) is there when asked, for
#: what only it does: keep every literal's lexical form exactly as the file writes it.
DEFAULT_STORE = "oxigraph"


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

    def __init__(
        self,
        graph: Graph,
        *,
        files: Iterable[Path] = (),
        store: str = DEFAULT_STORE,
        allow_remote: bool = False,
        progress: bool | None = None,
    ) -> None:
        self.graph = graph
        self.files = list(files)
        self.store = store
        self.allow_remote = allow_remote  #: as given to :func:`load`; re-reading files honours it
        self.progress = progress  #: the default for :meth:`view`'s ``progress``, as given to :func:`load`
        self._labels: dict[str, list[URIRef]] | None = None

    def __len__(self) -> int:
        return len(self.graph)

    def _sources(self) -> str:
        """The files, in words: ``the bundled ontology (8 files) + mine.ttl``."""
        bundled = set(bundled_files())
        ours = sum(1 for f in self.files if f in bundled)
        parts = [f"the bundled ontology ({ours} files)"] if ours else []
        parts += [f.name for f in self.files if f not in bundled]
        return " + ".join(parts) or "no files"

    def __repr__(self) -> str:
        counts = self.stats()
        return (
            f"<KnowledgeGraph: {counts['triples']:,} triples ({counts['classes']} classes, "
            f"{counts['individuals']} individuals, {counts['claims']} claims) on {self.store}; from {self._sources()}>"
        )

    def _repr_html_(self) -> str:
        """A small summary in Jupyter: what was loaded, from where, into which store, and the counts."""
        from html import escape

        rows = "".join(f"<tr><th>{escape(k)}</th><td>{v:,}</td></tr>" for k, v in self.stats().items())
        return (
            f"<p><strong>KnowledgeGraph</strong> on the {escape(self.store)} store, from "
            f"{escape(self._sources())}</p><table>{rows}</table>"
        )

    # -- terms ---------------------------------------------------------------------------------------
    def resolve_term(self, text: str) -> URIRef:
        """Find a term by IRI (``<...>`` or absolute), CURIE (``gkg:GPT-4``) or label (``"GPT-4"``, ``"LLM"``).

        Raises
        ------
        TermNotFound
            With a one-line message when nothing (or more than one term) matches.
        """
        return terms.resolve_term(self.graph, text, index=self.labels_index())

    def label(self, term: Any) -> str:
        """The term's label by the package's one rule (:func:`genai_kg.vocab.label`), for display."""
        return vocab.label(self.graph, term)

    def labels_index(self) -> terms.LabelIndex:
        """Case-folded label/prefLabel/synonym -> terms; built once per graph."""
        if self._labels is None:
            self._labels = terms.labels_index(self.graph)
        return self._labels

    # -- queries -------------------------------------------------------------------------------------
    def query(
        self,
        query: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
        allow_remote: bool = False,
        endpoint: str | None = None,
        graph: str | None = DEFAULT_GRAPH,
        credentials: Credentials | None = None,
        **kwargs: Any,
    ) -> QueryResult:
        """Run a named query, a ``.rq`` file or a SPARQL string, with parameters bound safely.

        Parameters come as a dict or as keywords, with the same answer:
        ``kg.query("systems-by-output", {"modality": "image"})`` or
        ``kg.query("systems-by-output", modality="image")``. A parameter named like one of this method's
        own arguments (``query``, ``params``, ``timeout``, ``allow_remote``, ``endpoint``, ``graph``,
        ``credentials``) goes in the dict. Values are a term's IRI, CURIE or label, and are bound as terms,
        never spliced into the text as typed (see :mod:`genai_kg.pipeline`). With ``endpoint`` the query
        runs on that SPARQL 1.1 endpoint's triples while this graph
        resolves the parameters: ``graph`` names the endpoint's graph to read, by default
        the one ``push`` writes, or ``None`` for the endpoint's own default graph.

        Returns
        -------
        QueryResult
            Rows that iterate as rdflib's do (``row.label``, ``row["label"]``), with ``len()``, ``.vars``,
            a table in a REPL and in Jupyter, and ``to_dataframe()``; ``bool()`` for an ASK; ``.graph``
            and ``.serialize()`` for a CONSTRUCT or DESCRIBE.

        Examples
        --------
        >>> kg = load()
        >>> [row.label for row in kg.query("systems-by-output", modality="image")][:2]
        [rdflib.term.Literal('Canva AI', lang='en'), rdflib.term.Literal('DALL-E', lang='en')]
        >>> bool(kg.query("is-every-llm-generative-ai"))
        True
        """
        values = dict(params or {})
        for name in kwargs.keys() & values.keys():
            if kwargs[name] != values[name]:
                raise ParameterError("given twice (in params and as a keyword) with different values",
                                     argument=f"params.{name}")
        values.update(kwargs)
        remote = pipeline.Remote(endpoint, graph, credentials) if endpoint else None
        result = pipeline.run_query(
            self.graph, query, values, resolve=self.resolve_term, timeout=timeout,
            allow_remote=allow_remote, remote=remote,
        )
        return QueryResult(result, self.graph)

    def view(
        self,
        focus: str | None = None,
        depth: int = 1,
        query: str | None = None,
        params: Mapping[str, Any] | None = None,
        layout: str = "auto",
        title: str | None = None,
        *,
        timeout: float | None = None,
        allow_remote: bool = False,
        progress: bool | None = None,
        sources: str | os.PathLike | None = None,
    ) -> View:
        """Draw the graph (or ``focus``'s neighbourhood, or ``query``'s result) as a self-contained page.

        The arguments are :meth:`to_networkx`'s, with ``layout`` and ``title`` for the page. The returned
        :class:`~genai_kg.views.View` shows inline in Jupyter (nothing fetched from anywhere), and has
        ``.html`` and ``.save(path)``. ``progress`` shows what is being done for big graphs (see
        :func:`load`); by default it follows the ``progress`` given to :func:`load`. ``sources`` is a folder of
        the source documents: a claim's panel then shows the sentences its citations are anchored to
        (without it no text of the documents is put in the page).

        Examples
        --------
        >>> view = load().view(focus="LLM")
        >>> view.html.startswith("<!DOCTYPE html>"), view.nodes > 10
        (True, True)
        """
        documents = _documents(sources)
        if title is None:
            asked = f" ({', '.join(f'{k}={v}' for k, v in (params or {}).items())})" if params else ""
            title = f"genai-kg: {focus}" if focus else f"genai-kg: {query}{asked}" if query else "genai-kg"
        chosen = self.progress if progress is None else progress
        # counted only where a bar may show (a count of a million nodes' triples is 0.7 s, and the command line has
        # counted them once already for the drawing's bound)
        whole = focus is None and query is None and wanted(chosen, 1, threshold=1)
        enabled = wanted(chosen, len(self.graph) if whole else 0, threshold=PROGRESS_MIN_TRIPLES)
        with bar(enabled, total=2, unit="step", desc="collecting nodes and edges") as shown:
            drawing = self._drawing(
                focus=focus, depth=depth, query=query, params=params, timeout=timeout, allow_remote=allow_remote
            )
            shown.update(1)
            focus_iri = str(self.resolve_term(focus)) if focus else None
            return _render(drawing, shown, title=title, layout=layout, focus=focus_iri, documents=documents)

    # -- what the graph says -------------------------------------------------------------------------
    def describe(self, term: str, *, timeout: float | None = None, sources: str | None = None) -> dict[str, Any]:
        """Everything the graph says about ``term`` (IRI, CURIE or label), each statement with its sources and
        their locators: what ``genai-kg describe`` prints (see :func:`genai_kg.describe.describe` for the
        dict's keys). ``sources`` is a folder of the source documents: each locator then carries its sentence.

        >>> load().describe("GPT-4")["label"]
        'GPT-4'
        """
        from .describe import describe

        return describe(self, term, timeout=timeout, sources=sources)

    def compare(self, a: str, b: str, *, timeout: float | None = None) -> dict[str, Any]:
        """The "Key Differences" table for two model families, from the graph's statements (what ``genai-kg
        compare`` prints; see :func:`genai_kg.compare.compare_families`).

        >>> load().compare("GAN", "diffusion model")["columns"]
        ['aspect', 'generative adversarial network', 'diffusion model']
        """
        from .compare import compare_families

        return compare_families(self, a, b, timeout=timeout)

    def validate(self, shapes: Graph | None = None, *, timeout: float | None = None) -> ValidationReport:
        """Check the graph against the bundled SHACL shapes (or ``shapes``): a report with ``conforms``,
        ``count`` (violations) and ``text`` (see :func:`genai_kg.validate.validate`)."""
        from .validate import validate

        return validate(self, shapes, timeout=timeout)

    # -- output --------------------------------------------------------------------------------------
    def export(
        self, path: str | os.PathLike, format: str | None = None, *, presentation: bool = False
    ) -> Path:
        """Write the graph to ``path``, atomically: an RDF syntax (``ttl``, ``xml``, ``json-ld``, ``nt``;
        what :meth:`serialize` gives) or the drawn node/edge model (``graphml``, ``gexf``, ``cyjs``).
        ``format`` defaults to the one ``path``'s extension names. Returns the path written.
        """
        target = Path(path)
        if format is None:
            suffix = target.suffix.lower().lstrip(".")
            format = suffix if suffix in GRAPH_FORMATS else from_extension(target).name
        if format in GRAPH_FORMATS:
            from .views import write_graph

            write_graph(self.to_networkx(), target, format)
        else:
            write_text_atomic(target, self.serialize(format, presentation=presentation))
        return target

    def serialize(self, format: str = "turtle", *, presentation: bool = False) -> str:
        """Serialise the graph as ``turtle``, ``xml``, ``json-ld`` (inline context) or ``nt``.

        By default the bundled presentation module (colours, shapes, comparison rows: what the views and
        ``compare`` read) is left out, so OWL tools get the domain ontology and the user's data alone. With
        ``presentation=True`` everything is written in one document, without the ``owl:imports`` between
        modules that the document itself holds (a tool would try to fetch them). RDF/XML, ``ofn`` and ``owx``
        name anonymous individuals with skolem IRIs (:data:`genai_kg.export.GENID`), for OWL tools.
        """
        return serialize_graph(self.domain_graph() if not presentation else self._one_document(), format)

    def domain_graph(self) -> Graph:
        """The loaded graph without the bundled presentation module (the graph itself if it was not loaded)."""
        if PRESENTATION_FILE not in self.files:
            return self.graph
        store = "oxigraph" if self.store.startswith("oxigraph") else "memory"  # the same parsers as the load
        graph = open_graph(store)
        for prefix, namespace in self.graph.namespaces():
            graph.bind(prefix, namespace, override=True)
        files = [f for f in self.files if f != PRESENTATION_FILE]
        return load_files(graph, files, store=store, allow_remote=self.allow_remote)

    def _one_document(self) -> Graph:
        inner = set(self.graph.subjects(RDF.type, OWL.Ontology))
        if not any((None, OWL.imports, o) in self.graph for o in inner):
            return self.graph
        graph = Graph(bind_namespaces="core")
        for prefix, namespace in self.graph.namespaces():
            graph.bind(prefix, namespace, override=True)
        graph += (t for t in self.graph if not (t[1] == OWL.imports and t[2] in inner))
        return graph

    def to_networkx(
        self,
        *,
        focus: str | None = None,
        depth: int = 1,
        query: str | None = None,
        params: Mapping[str, str] | None = None,
        timeout: float | None = None,
        allow_remote: bool = False,
    ) -> nx.MultiDiGraph:
        """What ``genai-kg view`` and ``export --graph-format`` draw, as a networkx MultiDiGraph.

        The whole graph by default; with ``focus`` (an IRI, CURIE or label) that term's neighbourhood within
        ``depth`` links; with ``query`` (a named query, a ``.rq`` file or SPARQL text, ``params`` bound
        safely) the query's result. ``focus`` and ``query`` exclude each other. This method gathers (runs
        the query, resolves terms); :func:`genai_kg.views.model.to_networkx` draws.
        """
        drawn = self._drawing(
            focus=focus, depth=depth, query=query, params=params, timeout=timeout, allow_remote=allow_remote
        )
        from .views.model import Drawing

        return drawn.to_networkx() if isinstance(drawn, Drawing) else drawn

    def _drawing(
        self,
        *,
        focus: str | None,
        depth: int,
        query: str | None,
        params: Mapping[str, str] | None,
        timeout: float | None,
        allow_remote: bool,
    ):
        """:meth:`to_networkx`'s model: a :class:`~genai_kg.views.model.Drawing`, or a networkx graph for a
        query's result (which adds links between the terms of a row). The view modules load here, not with
        the facade: a query does not pay for them."""
        from .views.model import draw, query_to_networkx

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
            return draw(self.graph, focus=term, depth=depth)
        return draw(self.graph)

    def stats(self) -> dict[str, int]:
        """Counts by kind: triples, classes, properties, individuals, claims, sources."""
        g = self.graph

        def count(cls: URIRef) -> int:
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


def _documents(sources: str | os.PathLike | None) -> dict[str, str] | None:
    """The source documents' texts for a view's citations (none without ``sources``)."""
    if sources is None:
        return None
    from .sources import read_documents

    return read_documents(sources)


def _render(drawing: Any, shown: Bar, **options: Any) -> View:
    """The page of ``drawing``, said on ``shown`` (the second of a view's two steps)."""
    from .views import render_view

    shown.note(f"drawing {drawing.number_of_nodes():,} nodes, {drawing.number_of_edges():,} edges")
    view = render_view(drawing, **options)
    shown.update(1)
    return view


def _paths(data: str | os.PathLike | Iterable[str | os.PathLike]) -> list[Path]:
    """The user's files as paths (one path may be given on its own), each with an extension read, checked
    before any parsing work."""
    extra = [Path(data)] if isinstance(data, (str, os.PathLike)) else [Path(p) for p in data]
    for path in extra:
        from_extension(path)  # refuse an unknown extension before any parsing work
    return extra


def view_files(
    data: str | os.PathLike | Iterable[str | os.PathLike] = (),
    *,
    store: str = DEFAULT_STORE,
    bundled: bool = True,
    title: str | None = None,
    layout: str = "auto",
    sources: str | os.PathLike | None = None,
    allow_remote: bool = False,
    progress: bool | None = None,
    timeout: float | None = None,
) -> View:
    """Draw the bundled graph and ``data`` whole: the page ``load(data, store=store).view()`` gives, for a big file
    in about 0.6x the time and 0.4x the memory (``genai-kg view --data``).

    A view needs each triple once, so on the default store (Oxigraph in memory) the files are not loaded into a
    store at all: Oxigraph's parser hands each triple to the drawing as it reads it. At a million nodes, loading
    a store and reading every triple back out of it took about 30 s of CPU and 2.4 GB; reading as the parser
    goes, about 20 s and 1 GB. The rest (``oxigraph:DIR``, which keeps the store for later runs, ``memory``, and
    files in RDF/XML, JSON-LD or N3) is loaded and drawn as :meth:`KnowledgeGraph.view` draws it.

    The drawing after the reading has the bound the command line gives a loaded graph's: ``timeout`` seconds
    when given, else :func:`genai_kg.guard.drawing_bound` of the triples read (longer than the query timeout
    for a big graph); loading is bounded by the files' size, as :func:`load`'s. The other arguments are
    :func:`load`'s and :meth:`KnowledgeGraph.view`'s.

    >>> view_files().html == load().view().html
    True
    """
    from .guard import drawing_bound, time_limit
    from .views.layout import LAYOUTS

    if layout not in LAYOUTS:  # refused before any work, as the page would refuse it after all of it
        raise ParameterError(f"unknown layout {layout!r}: use one of {', '.join(LAYOUTS)}", argument="layout")
    extra = _paths(data)
    files = [*(bundled_files() if bundled else []), *extra]
    store = resolve_store(store)
    if store != "oxigraph" or not all(from_extension(path).oxigraph for path in files):
        kg = load(extra, store=store, bundled=bundled, allow_remote=allow_remote, progress=progress)
        seconds, where = drawing_bound(len(kg.graph), timeout)
        with time_limit(seconds, where=where):
            return kg.view(title=title, layout=layout, sources=sources, progress=progress)
    from .fileio import open_regular
    from .views.facts import Facts, collector_paused, parse_triples
    from .views.model import draw

    for path in files:  # every file readable and regular before any work
        open_regular(path).close()
    documents = _documents(sources)
    size = sum(path.stat().st_size for path in files)
    with bar(wanted(progress, size), total=size, unit="B", desc="reading") as read, collector_paused():
        facts = Facts.read(parse_triples(files, read or None))
        read.note(f"read {facts.triples:,} triples")
    seconds, where = drawing_bound(facts.triples, timeout)
    enabled = wanted(progress, facts.triples, threshold=PROGRESS_MIN_TRIPLES)
    with time_limit(seconds, where=where), bar(enabled, total=2, unit="step", desc="collecting nodes and edges") \
            as shown:
        drawing = draw(facts)
        del facts
        shown.update(1)
        return _render(drawing, shown, title="genai-kg" if title is None else title, layout=layout,
                       documents=documents)


def load(
    data: str | os.PathLike | Iterable[str | os.PathLike] = (),
    *,
    store: str = DEFAULT_STORE,
    bundled: bool = True,
    allow_remote: bool = False,
    progress: bool | None = None,
) -> KnowledgeGraph:
    """Load the bundled graph, merged with the user's RDF files (format chosen by extension).

    Parameters
    ----------
    data : path or iterable of paths
        The user's files: Turtle, N-Triples, N3, RDF/XML, JSON-LD, TriG or N-Quads. One path may be given
        on its own (``load("mine.ttl")``).
    store : str
        ``oxigraph`` (the default, as on the command line: Oxigraph in memory), ``oxigraph:DIR`` (on disk,
        reused by later loads), or ``memory`` (rdflib's own store, which keeps every literal's lexical form
        as the file writes it: ``"1.50"`` stays ``"1.50"``). ``auto`` is the same as ``oxigraph``.
    bundled : bool
        Include the bundled ontology (``False`` to work on the user's files alone).
    allow_remote : bool
        Let parsers fetch what a file points to (remote JSON-LD contexts); off by default.
    progress : bool, optional
        Show the bytes read as a bar (on stderr; a widget in Jupyter): True always, False never, None (the
        default) when the files pass :data:`genai_kg.progress.PROGRESS_MIN_BYTES` and stderr is a
        terminal or a Jupyter kernel runs. Views of the loaded graph follow the same choice.

    Examples
    --------
    >>> kg = load()
    >>> kg.resolve_term("LLM") == GKG.LargeLanguageModel
    True
    """
    extra = _paths(data)
    files = [*(bundled_files() if bundled else []), *extra]
    store = resolve_store(store)
    graph = reuse_store(store, files, progress=progress)  # an unchanged oxigraph:DIR, opened read-only at once
    if graph is None:
        graph = load_files(open_graph(store), files, store=store, allow_remote=allow_remote, progress=progress)
    for prefix, namespace in vocab.PREFIXES.items():
        graph.bind(prefix, namespace, override=False)
    return KnowledgeGraph(graph, files=files, store=store, allow_remote=allow_remote, progress=progress)
