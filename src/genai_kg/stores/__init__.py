"""Stores: rdflib's in-memory store or Oxigraph (behind :mod:`.oxigraph`), and loading files into them.

``memory`` is rdflib's own store and parsers: the reference, and fine for the bundled graph. ``oxigraph``
keeps the triples in Oxigraph (in memory), parses Turtle, N-Triples, TriG and N-Quads with Oxigraph's own
parsers and answers SPARQL with Oxigraph's engine; ``oxigraph:DIR`` does the same in an on-disk store that
later runs reuse instead of re-parsing (``DIR/genai-kg-manifest.json`` records which files, by size and
modification time, are in it; any change reloads them all).

Query parameters reach Oxigraph as a ``VALUES`` block written into the text
(:func:`genai_kg.sparql.bind_values`): Oxigraph's ``substitutions`` refuse any variable the query does not
project, which is most parameters.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from .. import formats
from ..errors import DataError, GenaiKgError
from ..parsing import parse_file
from ..progress import Bar, bar, wanted
from .manifest import MANIFEST_NAME, check_store_dir, file_entry, read_manifest, write_manifest
from .oxigraph import OxigraphStore, is_oxigraph, load_file, oxigraph_store, query_oxigraph, syntax_position

__all__ = [
    "open_graph",
    "load_files",
    "resolve_store",
    "STORES",
    "MANIFEST_NAME",
    "read_manifest",
    "is_oxigraph",
    "query_oxigraph",
    "syntax_position",
]

STORES = ("oxigraph", "memory", "auto")


def resolve_store(store: str) -> str:
    """The store a name asks for: ``auto`` (kept for older scripts) is ``oxigraph``, whatever the data.

    One engine unless asked: rdflib's engine fails on some valid queries (an aggregate over a variable an
    OPTIONAL leaves unbound, ORDER BY over an unbound value) that Oxigraph answers, so choosing rdflib by
    the data's size would make a query that works on the bundled graph fail once a small file is added.
    ``memory`` stays for what only rdflib does: keep each literal's lexical form as written (Oxigraph
    stores ``"1.50"^^xsd:decimal`` as ``"1.5"``).

    >>> resolve_store("auto"), resolve_store("oxigraph:/tmp/x"), resolve_store("memory")
    ('oxigraph', 'oxigraph:/tmp/x', 'memory')
    """
    return "oxigraph" if store == "auto" else store


def open_graph(store: str) -> Graph:
    """Return an empty Graph over ``memory``, ``oxigraph`` (in memory) or ``oxigraph:DIR`` (on disk).

    The Oxigraph graph is the store's default graph, so that an on-disk store opened again shows the same
    triples (an rdflib Graph's default identifier is a fresh blank node).
    """
    name, _, location = store.partition(":")
    if name == "memory" and not location:
        return Graph(bind_namespaces="core")
    if name == "oxigraph":
        import pyoxigraph as ox

        inner = None
        if location:
            path = Path(location).expanduser()
            check_store_dir(path)
            try:
                inner = ox.Store(str(path))
            except OSError as exc:
                message = " ".join(str(exc).split())
                if "lock" in message.lower():
                    raise DataError(f"oxigraph:{location}: in use by another process", argument="store") from None
                raise DataError(f"oxigraph:{location}: cannot open: {message}", argument="store") from None
        return Graph(store=OxigraphStore(inner), identifier=DATASET_DEFAULT_GRAPH_ID, bind_namespaces="core")
    raise GenaiKgError(f"unknown store {store!r}; use auto, memory, oxigraph or oxigraph:DIR", argument="store")


def _bind_all(graph: Graph, prefixes: Mapping[str, str]) -> None:
    for prefix, namespace in prefixes.items():
        if prefix:
            with contextlib.suppress(Exception):
                graph.bind(prefix, URIRef(namespace), override=False)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # a missing file: parsing reports it


def _counting(graph: Graph, shown: Bar) -> Graph:
    """A view of ``graph`` (same store, same identifier) that reports every 10,000 triples added to ``shown``."""
    every = 10_000

    class CountingGraph(Graph):
        added = 0

        def add(self, triple):
            CountingGraph.added += 1
            if CountingGraph.added % every == 0:
                shown.detail(f"{CountingGraph.added:,} triples")
            return super().add(triple)

    return CountingGraph(store=graph.store, identifier=graph.identifier, namespace_manager=graph.namespace_manager)


def load_files(
    graph: Graph,
    files: Iterable[Path],
    *,
    store: str = "memory",
    allow_remote: bool = False,
    progress: bool | None = None,
) -> Graph:
    """Parse each file into ``graph`` in order.

    On an Oxigraph store, Turtle, N-Triples, TriG and N-Quads go through Oxigraph's parsers (about 20x
    rdflib's speed); RDF/XML, JSON-LD and N3 go through the guard's parsers. On ``oxigraph:DIR`` the files
    are parsed only if they differ (path, size, modification time) from those recorded in the store's
    manifest; otherwise the stored triples are reused.

    ``progress`` shows a bar of the bytes read (True), none (False), or (None) one when the files pass
    :data:`genai_kg.progress.PROGRESS_MIN_BYTES` and stderr is a terminal or a Jupyter kernel runs.
    """
    files = [Path(p) for p in files]
    name, _, location = store.partition(":")
    oxigraph = name == "oxigraph" and is_oxigraph(graph)
    folder = Path(location).expanduser() if oxigraph and location else None
    entries: list[dict] | None = None
    loads = 0
    if folder is not None:
        try:
            entries = [file_entry(p) for p in files]
        except OSError:
            entries = None  # a missing file: load below reports it
        manifest = read_manifest(folder)
        if manifest and entries is not None and manifest.get("files") == entries:
            _bind_all(graph, manifest.get("prefixes", {}))
            return graph
        loads = (manifest or {}).get("loads", 0)
        with contextlib.suppress(OSError):
            (folder / MANIFEST_NAME).unlink()  # an interrupted load must not look complete
        oxigraph_store(graph).clear()
    prefixes: dict[str, str] = {}
    sizes = [_size(p) for p in files]
    with bar(wanted(progress, sum(sizes)), total=sum(sizes), unit="B", desc="loading") as shown:
        for path, size in zip(files, sizes, strict=True):
            fmt = formats.from_extension(path)
            shown.note(f"reading {path.name}")
            if oxigraph and fmt.oxigraph:
                found = load_file(graph, path, fmt, bulk=folder is not None, progress=shown or None)
                _bind_all(graph, found)
                prefixes.update({k: v for k, v in found.items() if k not in prefixes})
            elif oxigraph and fmt.name == "n3":  # rdflib's N3 parser needs a formula-aware store: parse apart
                parsed = Graph()
                parse_file(parsed, path, format=fmt, allow_remote=allow_remote)
                graph.addN((s, p, o, graph) for s, p, o in parsed)
                _bind_all(graph, {prefix: str(ns) for prefix, ns in parsed.namespaces()})
                shown.update(size)
            else:  # rdflib reads the whole file, then parses: count the triples as they arrive
                parse_file(_counting(graph, shown) if shown else graph, path, format=fmt, allow_remote=allow_remote)
                shown.update(size)
        shown.note(f"loaded {len(files)} file{'s' if len(files) != 1 else ''}")
    if folder is not None:
        for prefix, namespace in graph.namespaces():
            prefixes.setdefault(prefix, str(namespace))
        oxigraph_store(graph).flush()
        write_manifest(
            folder, {"files": entries or [file_entry(p) for p in files], "prefixes": prefixes, "loads": loads + 1}
        )
    return graph
