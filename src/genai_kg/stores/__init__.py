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
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from .. import formats
from ..errors import DataError, GenaiKgError
from ..fileio import open_regular
from ..guard.output import escape_controls
from ..parsing import parse_file
from ..progress import Bar, bar, say, wanted
from .manifest import MANIFEST_NAME, check_store_dir, claim_store_dir, file_entry, read_manifest, write_manifest
from .oxigraph import (
    OxigraphStore,
    is_oxigraph,
    load_file,
    open_read_only,
    oxigraph_store,
    query_oxigraph,
    settle,
    syntax_position,
)

__all__ = [
    "open_graph",
    "load_files",
    "reuse_store",
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
            if not check_store_dir(path):  # refuses a folder that is neither new, empty nor ours
                try:
                    claim_store_dir(path)
                except (OSError, GenaiKgError) as exc:
                    reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or str(exc)
                    raise DataError(f"oxigraph:{location}: cannot write there: {reason}", argument="store") from None
            try:
                inner = ox.Store(str(path))
            except OSError as exc:
                message = " ".join(str(exc).split())
                if "lock" in message.lower():
                    raise DataError(f"oxigraph:{location}: in use by another process", argument="store") from None
                raise DataError(f"oxigraph:{location}: cannot open: {message}", argument="store") from None
        return _over(inner, str(Path(location).expanduser()) if location else None)
    raise GenaiKgError(f"unknown store {store!r}; use auto, memory, oxigraph or oxigraph:DIR", argument="store")


def _over(inner, where: str | None, lock=None) -> Graph:
    """A Graph over a pyoxigraph store (None: a new one in memory), as its default graph."""
    return Graph(store=OxigraphStore(inner, where, lock), identifier=DATASET_DEFAULT_GRAPH_ID,
                 bind_namespaces="core")


def reuse_store(store: str, files: Iterable[Path], *, progress: bool | None = None) -> Graph | None:
    """The ``oxigraph:DIR`` store opened read-only at once, if its manifest records exactly ``files``
    unchanged (and one line says it is reused); else None, and :func:`load_files` on :func:`open_graph`
    decides what to do and says why (new, changed, interrupted, not a store of ours).

    Reusing needs no write access: opening the store for writing first, as a load does, then read-only (so
    that no RocksDB thread runs when the guard forks a query) cost ~50 ms of a 0.7 s warm run at 1M triples.
    """
    name, _, location = store.partition(":")
    if name != "oxigraph" or not location:
        return None
    files = [Path(p) for p in files]
    folder = Path(location).expanduser()
    try:
        for path in files:  # the same refusal as load_files: regular, readable files only
            open_regular(path).close()
        entries = [file_entry(p) for p in files]
    except (OSError, GenaiKgError):
        return None  # load_files reports it
    manifest = read_manifest(folder)
    if not manifest or manifest.get("files") != entries:
        return None
    opened = open_read_only(str(folder))  # held with a shared lock: no process can write it while it is read
    if opened is None:
        return None  # opened for writing below, which says what is wrong (in use, not a store)
    inner, lock = opened
    if read_manifest(folder) != manifest:  # a load began meanwhile: load_files meets its lock and says so
        del inner
        lock.close()
        return None
    graph = _over(inner, str(folder), lock)
    _say_reused(graph, manifest, location, files, progress)
    return graph


def _say_reused(graph: Graph, manifest: dict, location: str, files: list[Path], progress: bool | None) -> None:
    _bind_all(graph, manifest.get("prefixes", {}))
    count = manifest.get("triples")
    held = f"{count:,} triples" if isinstance(count, int) else "the triples"
    say(f"oxigraph:{location}: reusing {held} of {_names(files)} stored there (unchanged; not reloaded)", progress)


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


def _names(files: list[Path]) -> str:
    """The user's files by name (the bundled ontology as "the bundled graph"), for one-line notes."""
    from ..paths import ONTOLOGY_DIR

    bundled = ONTOLOGY_DIR.resolve()
    mine = [p.name for p in files if p.resolve().parent != bundled]
    if not mine:
        return "the bundled graph"
    shown = ", ".join(mine[:3]) + (f" and {len(mine) - 3} more" if len(mine) > 3 else "")
    also = " (with the bundled graph)" if len(mine) < len(files) else ""
    return escape_controls(shown) + also


NEW_STORE = "a new store"


def _why_reload(manifest: dict | None, entries: list[dict] | None) -> str:
    """Why an ``oxigraph:DIR`` store is (re)loaded, in words: new, interrupted, or which file changed how."""
    old = manifest.get("files") if manifest else None
    if manifest is None or (old is None and not manifest.get("loading")):
        return NEW_STORE  # the folder was only claimed (stores.manifest.claim_store_dir)
    if old is None:
        return "its last load did not finish"
    if entries is None:
        return "a file is missing"
    before = {e.get("path"): e for e in old if isinstance(e, dict)}
    now = {e["path"]: e for e in entries}
    reasons = []
    for path, entry in now.items():
        name = escape_controls(Path(path).name)
        was = before.get(path)
        if was is None:
            reasons.append(f"{name} was not in it")
        elif was.get("size") != entry["size"]:
            reasons.append(f"{name} changed size ({was.get('size'):,} -> {entry['size']:,} bytes)")
        elif was.get("mtime_ns") != entry["mtime_ns"]:
            reasons.append(f"{name} was modified since it was loaded")
    reasons += [f"{escape_controls(Path(path).name)} is no longer given"
                for path in before if path is not None and path not in now]
    if not reasons:
        return "the files are given in another order"
    return "; ".join(reasons[:3]) + (f"; and {len(reasons) - 3} more" if len(reasons) > 3 else "")


#: Rough bytes of file per triple, by syntax, to estimate a file's triples before reading it (measured on the
#: benchmark's data: N-Triples 124, Turtle 33; the others between), and rdflib's memory store per triple
#: (10M triples: about 3.7 GB).
_BYTES_PER_TRIPLE = {"nt": 120, "nquads": 130, "turtle": 40, "trig": 40, "n3": 40, "xml": 100, "json-ld": 120}
_MEMORY_PER_TRIPLE = 400
#: Below this estimate, loading into memory is said nothing about.
_MEMORY_NOTE_AT = 256 << 20


def _memory_estimate(files: list[Path]) -> int:
    """Roughly the bytes rdflib's memory store will take for ``files``."""
    triples = 0
    for path in files:
        fmt = formats.from_extension(path)
        triples += _size(path) // _BYTES_PER_TRIPLE.get(fmt.name, 60)
    return triples * _MEMORY_PER_TRIPLE


def _check_memory(files: list[Path], progress: bool | None) -> None:
    """Say before a big load into memory what it will take, and refuse when the machine clearly lacks it."""
    need = _memory_estimate(files)
    if need < _MEMORY_NOTE_AT:
        return
    from ..guard.limits import available_memory

    have = available_memory()
    gib = 1 << 30
    what = f"{_names(files)} will take roughly {need / gib:.1f} GB of memory in the memory store"
    disk = "the oxigraph:DIR store keeps the triples on disk and does not need it"
    if have is not None and need > 1.5 * have:
        raise DataError(f"{what}, and {have / gib:.1f} GB is available; refused ({disk})", argument="store")
    free = f" ({have / gib:.1f} GB available)" if have is not None else ""
    say(f"{what}{free}; {disk}", progress)


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
    manifest; otherwise the stored triples are reused. After a load there the store is compacted (part of
    loading, so the first query does not pay for it), and one line on stderr says what was stored, reused
    or reloaded and why (:func:`genai_kg.progress.say`). On ``memory``, a big load is announced with the
    memory it will roughly take, and refused when that is far beyond what the machine has available.

    ``progress`` shows a bar of the bytes read (True), none (False), or (None) one when the files pass
    :data:`genai_kg.progress.PROGRESS_MIN_BYTES` and stderr is a terminal or a Jupyter kernel runs.
    """
    files = [Path(p) for p in files]
    for path in files:  # every file readable and regular before any work, or a store is cleared for nothing
        open_regular(path).close()
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
            _say_reused(graph, manifest, location, files, progress)
            # read-only from here, as after a load: a primary RocksDB opened on the folder may run compaction or
            # file deletion in a thread of its own, whose lock a guard's fork would leave held in the query's
            # child (a reused store's query once waited out its whole 30 s deadline on CI)
            graph.store.reopen()  # type: ignore[attr-defined]
            return graph
        reason = _why_reload(manifest, entries)
        if reason != NEW_STORE:
            say(f"oxigraph:{location}: reloading, because {reason}", progress)
        loads = (manifest or {}).get("loads", 0)
        # an interrupted load must not look complete, and the folder stays marked as ours
        write_manifest(folder, {"files": None, "prefixes": {}, "loads": loads, "loading": True})
        oxigraph_store(graph).clear()
    elif name == "memory":
        _check_memory(files, progress)
    try:
        return _load(graph, files, oxigraph, folder, location, entries, loads, allow_remote, progress)
    except BaseException:
        if folder is not None:
            graph.close()  # a failed load releases the folder's lock at once, not when collected
        raise


def _load(graph, files, oxigraph, folder, location, entries, loads, allow_remote, progress) -> Graph:
    """Parse ``files`` into ``graph`` with a bar; on ``oxigraph:DIR``, settle the store and record it."""
    prefixes: dict[str, str] = {}
    sizes = [_size(p) for p in files]
    started = time.monotonic()
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
        if folder is not None:
            shown.note("settling the store")
            settle(graph)  # compaction now, on the load's time, not on the first query's
        shown.note(f"loaded {len(files)} file{'s' if len(files) != 1 else ''}")
    if folder is not None:
        for prefix, namespace in graph.namespaces():
            prefixes.setdefault(prefix, str(namespace))
        count = len(oxigraph_store(graph))
        write_manifest(
            folder,
            {"files": entries or [file_entry(p) for p in files], "prefixes": prefixes, "loads": loads + 1,
             "triples": count},
        )
        say(f"oxigraph:{location}: stored {count:,} triples of {_names(files)} in"
            f" {time.monotonic() - started:.1f} s; later runs reuse them", progress)
    return graph
