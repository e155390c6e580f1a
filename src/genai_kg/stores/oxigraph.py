"""Oxigraph behind a seam of our own: an rdflib ``Store`` over pyoxigraph's public API, its file loader,
and the query entry point the pipeline calls.

rdflib sees an ordinary store (``triples``, ``add``, ``remove``, ``len``, prefixes), so everything written
against an rdflib Graph works on Oxigraph. SPARQL text goes to Oxigraph's own engine: through
:func:`query_oxigraph` (text whose parameters are already bound, the way the query pipeline runs it) or
through rdflib's ``Graph.query`` with text (parameters bound as a ``VALUES`` block by
:func:`genai_kg.sparql.bind_values`). A query rdflib has already parsed has no text left to send, so the
store declines it and rdflib evaluates it over ``triples``.
"""

from __future__ import annotations

import fcntl
import re
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.query import Result
from rdflib.store import Store

from ..answer_form import Answer, Stream, batched_pump, to_rdflib_result
from ..errors import DataError, GenaiKgError, QueryError
from ..fileio import open_regular
from ..formats import RdfFormat
from ..guard.sandbox import in_thread
from ..progress import Bar, CountingReader
from ..sparql import bind_values
from ..vocab import XSD_STRING

__all__ = [
    "OxigraphStore", "is_oxigraph", "query_oxigraph", "syntax_position", "load_file", "oxigraph_store", "settle",
    "triple_pump", "parsed", "canonical_literal", "open_read_only",
]

_PREFIX_DECL = re.compile(rb"(?mi)^[ \t]*(?:@prefix|prefix)[ \t]+([A-Za-z][\w.-]*)?:[ \t]*<([^<>\s]*)>")


# -- terms -----------------------------------------------------------------------------------------------
def _to_ox(term):
    """An rdflib term (or Graph, as its graph name) as an Oxigraph term; None stays None (a wildcard)."""
    if term is None:
        return None
    if isinstance(term, Graph):
        term = term.identifier
    if term == DATASET_DEFAULT_GRAPH_ID:
        return ox.DefaultGraph()
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)
    raise ValueError(f"not an RDF term Oxigraph stores: {term!r}")


def _from_ox(term):
    """An Oxigraph term as rdflib reads it (a plain literal has no datatype, as rdflib's parsers give it)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise ValueError(f"unexpected Oxigraph term: {term!r}")


def _graph_name(context):
    """The Oxigraph graph name for an rdflib context (None: every graph)."""
    return None if context is None else _to_ox(context)


# -- the store -------------------------------------------------------------------------------------------
def open_read_only(location: str) -> tuple[ox.Store, Any] | None:
    """An on-disk store opened read-only, with a shared lock on its ``LOCK`` file held by the returned file
    object; None while another process holds the folder for writing.

    Oxigraph calls reading a folder read-only while another process writes it undefined behaviour. RocksDB
    locks ``LOCK`` for writing with ``fcntl``, so a shared lock of the same kind keeps a writer out for as long
    as the store is read (it fails with "in use by another process") and lets any number of readers share it.
    """
    try:
        lock = open(Path(location) / "LOCK", "rb")  # noqa: SIM115 - held open as long as the store is read
    except OSError:
        return None
    try:
        fcntl.lockf(lock, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return ox.Store.read_only(location), lock
    except (OSError, RuntimeError, ValueError):
        lock.close()
        return None


class OxigraphStore(Store):
    """An rdflib store over a ``pyoxigraph.Store`` (in memory, or on disk when one is given)."""

    context_aware = True
    formula_aware = False
    transaction_aware = False
    graph_aware = True

    def __init__(self, store: ox.Store | None = None, location: str | None = None, lock: Any = None):
        self._ox: ox.Store | None = store if store is not None else ox.Store()
        self._location = location  # an on-disk store's folder, to open it again after a load
        self._lock = lock  # a read-only store's shared lock on the folder (open_read_only), held while it is open
        self._namespace_for_prefix: dict[str, URIRef] = {}
        self._prefix_for_namespace: dict[URIRef, str] = {}
        super().__init__()

    @property
    def ox(self) -> ox.Store:
        """The pyoxigraph store underneath."""
        if self._ox is None:
            raise DataError("the Oxigraph store is closed", argument="store")
        return self._ox

    def close(self, commit_pending_transaction: bool = False) -> None:
        self._ox = None  # the last reference: Oxigraph releases an on-disk store's lock
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def reopen(self) -> None:
        """Close an on-disk store and open it again, so that no background work of the load (RocksDB's
        compaction and file deletion threads) is running when the guard forks a query: a lock such a
        thread held at the fork would stay held in the child, and the query would wait for its deadline."""
        if self._location is not None and self._ox is not None:
            self._ox = None  # closing waits for the store's background jobs
            # read-only: RocksDB schedules no flush or compaction in it, so no thread of its own can hold a
            # lock when the guard forks (a primary reopened after a load could, and the child then hung)
            opened = open_read_only(self._location)
            if opened is None:  # another process began writing the folder in the moment it was free
                raise DataError(f"oxigraph:{self._location}: in use by another process", argument="store")
            self._ox, self._lock = opened

    # triples
    def add(self, triple: Any, context: Any, quoted: bool = False) -> None:  # rdflib Store's signatures
        if quoted:
            raise ValueError("Oxigraph stores are not formula aware")
        s, p, o = triple
        self.ox.add(ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), _to_ox(context)))
        super().add(triple, context, quoted)

    def addN(self, quads: Iterable) -> None:  # noqa: N802 - rdflib's name
        quads = list(quads)
        self.ox.extend([ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), _to_ox(g)) for s, p, o, g in quads])
        for s, p, o, g in quads:
            super().add((s, p, o), g)

    def _quads(self, pattern, context) -> Iterator:
        s, p, o = pattern
        try:
            return self.ox.quads_for_pattern(_to_ox(s), _to_ox(p), _to_ox(o), _graph_name(context))
        except (TypeError, ValueError):  # a pattern no stored quad can match (a literal as subject)
            return iter(())

    def remove(self, triple: Any, context: Any = None) -> None:
        for quad in list(self._quads(triple, context)):
            self.ox.remove(quad)
        super().remove(triple, context)

    def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[tuple[Any, Iterator[Any]]]:
        return (
            ((_from_ox(q.subject), _from_ox(q.predicate), _from_ox(q.object)), iter((context,)))
            for q in self._quads(triple_pattern, context)
        )

    def __len__(self, context: Any = None) -> int:
        name = _graph_name(context)
        if next(iter(self.ox.named_graphs()), None) is None:  # all in the default graph: counted at once
            return len(self.ox) if name is None or isinstance(name, ox.DefaultGraph) else 0
        if name is not None:
            return sum(1 for _ in self.ox.quads_for_pattern(None, None, None, name))
        return len({(q.subject, q.predicate, q.object) for q in self.ox.quads_for_pattern(None, None, None, None)})

    def contexts(self, triple: Any = None) -> Generator[Graph, None, None]:
        if triple is None:
            names = list(self.ox.named_graphs())
        else:
            names = list(dict.fromkeys(q.graph_name for q in self._quads(triple, None)))
        for name in names:
            identifier = DATASET_DEFAULT_GRAPH_ID if isinstance(name, ox.DefaultGraph) else _from_ox(name)
            yield Graph(store=self, identifier=identifier)

    # prefixes
    def bind(self, prefix: str, namespace: URIRef, override: bool = True) -> None:
        if not override and (prefix in self._namespace_for_prefix or namespace in self._prefix_for_namespace):
            return
        old_namespace = self._namespace_for_prefix.pop(prefix, None)
        if old_namespace is not None:
            self._prefix_for_namespace.pop(old_namespace, None)
        old_prefix = self._prefix_for_namespace.pop(namespace, None)
        if old_prefix is not None:
            self._namespace_for_prefix.pop(old_prefix, None)
        self._namespace_for_prefix[prefix] = namespace
        self._prefix_for_namespace[namespace] = prefix

    def prefix(self, namespace: URIRef) -> str | None:
        return self._prefix_for_namespace.get(namespace)

    def namespace(self, prefix: str) -> URIRef | None:
        return self._namespace_for_prefix.get(prefix)

    def namespaces(self) -> Iterator[tuple[str, URIRef]]:
        yield from list(self._namespace_for_prefix.items())

    # queries
    def query(  # noqa: N803 - rdflib's names
        self, query: Any, initNs: Any, initBindings: Any, queryGraph: Any, **kwargs: Any
    ) -> Any:
        if not isinstance(query, str):
            raise NotImplementedError("a parsed query has no text for Oxigraph; rdflib evaluates it")
        if kwargs:
            raise NotImplementedError(f"query options {sorted(kwargs)} are not supported by Oxigraph")
        text = bind_values(query, initBindings) if initBindings else query
        prefixes = {**self._namespace_for_prefix, **dict(initNs or {})}
        return _run(self.ox, text, prefixes, queryGraph)


def is_oxigraph(graph: Graph) -> bool:
    """Whether ``graph`` keeps its triples in Oxigraph (and so evaluates SPARQL text with Oxigraph)."""
    return isinstance(graph.store, OxigraphStore)


def oxigraph_store(graph: Graph) -> ox.Store:
    """The pyoxigraph store under ``graph`` (which must be an Oxigraph graph)."""
    return _rdflib_store(graph).ox


def _rdflib_store(graph: Graph) -> OxigraphStore:
    store = graph.store
    if not isinstance(store, OxigraphStore):
        raise QueryError("not an Oxigraph graph", argument="store")
    return store


def query_oxigraph(graph: Graph, text: str) -> Stream:
    """Evaluate SPARQL ``text`` (parameters already bound into it) with Oxigraph, the graph's prefixes known.

    Returns a :class:`genai_kg.answer_form.Stream`: Oxigraph writes the rows as TSV when the sandbox pumps it, so
    no row becomes an rdflib term on the way. A syntax error is raised as Python's ``SyntaxError`` (see
    :func:`syntax_position`), so that the caller can place it in the text the user wrote.
    """
    if not is_oxigraph(graph):
        raise QueryError("not an Oxigraph graph", argument="store")
    return _stream(oxigraph_store(graph), text, dict(graph.namespaces()), graph.identifier)


_SYNTAX = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)


_PLACE = re.compile(r"^Parser error at line \d+ (?:column \d+|between columns \d+ and \d+): ")


def _parse_error(exc: SyntaxError, path: Path) -> DataError:
    """Oxigraph's parse error as rdflib's reads: the line and column as fields, the reason alone, and a byte
    that is not UTF-8 named by its offset in the file."""
    reason = _PLACE.sub("", " ".join((exc.msg or str(exc)).split()))
    line, column = getattr(exc, "lineno", None), getattr(exc, "offset", None)
    if reason.startswith("Invalid UTF-8"):
        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as bad:
            return DataError(f"byte {bad.start}: not valid UTF-8", path=path, line=line)
        except OSError:
            pass
    return DataError(reason, path=path, line=line, column=column)


def syntax_position(exc: SyntaxError) -> tuple[int | None, int | None, str]:
    """``(line, column, reason)`` of Oxigraph's SPARQL syntax error (1-based; None where it gives none)."""
    text = " ".join(str(exc).split())
    match = _SYNTAX.match(text)
    if match is None:
        return None, None, text
    return int(match[1]), int(match[2]), match[3]


def _stream(store: ox.Store, text: str, prefixes: Mapping, query_graph) -> Stream:
    """Oxigraph's answer as a Stream; it must be pumped in the thread that made it (pyoxigraph's rule)."""
    options = {
        "prefixes": {str(k): str(v) for k, v in prefixes.items()},
        "use_default_graph_as_union": query_graph == "__UNION__",
        "default_graph": _to_ox(query_graph) if query_graph not in (None, "__UNION__") else None,
    }
    try:
        answer = store.query(text, **options)
    except (OSError, RuntimeError, ValueError) as exc:
        raise QueryError(f"Oxigraph: {' '.join(str(exc).split())}") from None
    if isinstance(answer, ox.QueryBoolean):
        return Stream("ask", [], boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):

        def rows(write) -> None:
            answer.serialize(_Output(write), ox.QueryResultsFormat.TSV)  # type: ignore[arg-type]  # has write()

        return Stream("select", [v.value for v in answer.variables], pump=rows)
    return Stream("graph", ["subject", "predicate", "object"], pump=triple_pump(answer))


def triple_pump(triples: Iterable[Any]) -> Callable[[Callable[[bytes], int]], None]:
    """A pump writing Oxigraph triples (or quads) as rows: Oxigraph prints each term in N-Triples syntax."""
    return batched_pump((str(t.subject), str(t.predicate), str(t.object)) for t in triples)


class _Output:
    """A file for Oxigraph's TSV writer: drops the header line and hands the rows to ``write``."""

    def __init__(self, write):
        self._write = write
        self._head = True

    def write(self, data: bytes) -> int:
        taken = len(data)
        if self._head:
            cut = data.find(b"\n")
            if cut < 0:
                return taken
            self._head = False
            data = data[cut + 1 :]
        if data:
            self._write(bytes(data))
        return taken

    def flush(self) -> None:
        return None


def _run(store: ox.Store, text: str, prefixes: Mapping, query_graph) -> Result:
    """Evaluate in this process (rdflib's ``Graph.query`` with text) and return an rdflib ``Result``.

    The evaluation runs in a worker thread (:func:`genai_kg.guard.sandbox.in_thread`), so that a SIGALRM
    deadline in this thread can fire while Oxigraph works natively.
    """
    chunks: list[bytes] = []

    def write(data: bytes) -> int:
        chunks.append(data)
        return len(data)

    def work() -> Stream:
        stream = _stream(store, text, prefixes, query_graph)
        if stream.pump is not None:
            stream.pump(write)
        return stream

    try:
        stream = in_thread(work)
    except SyntaxError as exc:
        raise QueryError(f"Oxigraph cannot parse the query: {' '.join(str(exc).split())}") from None
    except (OSError, RuntimeError, ValueError) as exc:
        if isinstance(exc, GenaiKgError):
            raise
        raise QueryError(f"Oxigraph: {' '.join(str(exc).split())}") from None
    rows = b"".join(chunks).decode("utf-8")
    answer = Answer(stream.kind, stream.variables, [rows] if rows else [], rows.count("\n"), stream.boolean)
    return to_rdflib_result(answer)


# -- loading ---------------------------------------------------------------------------------------------
def load_file(
    graph: Graph, path: Path, fmt: RdfFormat, *, bulk: bool = False, progress: Bar | None = None
) -> dict[str, str]:
    """Parse ``path`` with Oxigraph's parser into the store's default graph; return its prefixes.

    ``fmt`` must be one Oxigraph reads (``fmt.oxigraph``). ``bulk`` (for an on-disk store) writes through
    Oxigraph's bulk loader; in memory the plain load is as fast and peaks about 125 MB lower on 600k
    triples (250 MB against 375 MB). Prefixes are read from ``@prefix`` / ``PREFIX`` lines by a small
    regular expression of this module's (the SPARQL lexer does not read Turtle's ``@prefix``). With a
    ``progress`` bar the file is read through a :class:`~genai_kg.progress.CountingReader` that reports bytes.
    """
    store = oxigraph_store(graph)
    if fmt.oxigraph is None:
        raise DataError(f"Oxigraph does not read {fmt.name}", path=path)
    rdf_format = getattr(ox.RdfFormat, fmt.oxigraph)
    base = path.resolve().as_uri()
    with _reading(path, progress) as source:
        if fmt.quads:  # named graphs merge into the one graph, as the memory store does; a file's blank
            # nodes are its own, as Oxigraph's load makes them (two files' _:b0 are two nodes, as in rdflib)
            quads = ox.parse(source, format=rdf_format, base_iri=base, rename_blank_nodes=True)
            store.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
        else:
            load = store.bulk_load if bulk else store.load
            load(source, format=rdf_format, base_iri=base, to_graph=ox.DefaultGraph())
    if fmt.name in ("turtle", "trig"):
        with open_regular(path) as fh:
            return {
                m[1].decode("utf-8", "replace") if m[1] else "": m[2].decode("utf-8", "replace")
                for m in _PREFIX_DECL.finditer(fh.read())
            }
    return {}


@contextmanager
def _reading(path: Path, progress: Bar | None) -> Iterator[Any]:
    """``path`` opened for Oxigraph's parser (a regular file only, read up to its size: no FIFO, no /dev/zero;
    its bytes counted on ``progress``), with what the parser raises in the block said as a :class:`DataError`
    naming the file."""
    file = open_regular(path)
    source = CountingReader(file, progress) if progress else file
    try:
        yield source
    except PermissionError:
        raise DataError("permission denied", path=path) from None
    except MemoryError as exc:  # Oxigraph's parser buffer (16 MiB for one token): a literal or IRI too long
        reason = " ".join(str(exc).split())
        raise DataError(f"{reason} (a literal or IRI too long to parse); refused", path=path) from None
    except SyntaxError as exc:
        raise _parse_error(exc, path) from None
    except (OSError, ValueError) as exc:
        raise DataError(" ".join(str(exc).split()), path=path) from None
    finally:
        source.close()


@contextmanager
def parsed(path: Path, fmt: RdfFormat, *, progress: Bar | None = None) -> Iterator[Iterator[ox.Quad]]:
    """The quads of ``path`` straight from Oxigraph's parser, with no store: for a reader that needs each
    triple once (a whole-graph view), loading a store and reading it back is about three times the work (1.9M
    triples: 9.1 s against 2.8 s of CPU).

    What :func:`load_file` would store, less the store's own work: a file's blank nodes are renamed as its
    load renames them (each file's its own), named graphs' quads come with the rest (it merges them into the
    default graph), but a triple written twice comes twice and typed literals keep their lexical form (a
    store writes ``"012"`` of ``xsd:integer`` as ``"12"``).
    Errors raised while iterating in the block are :func:`load_file`'s.
    """
    if fmt.oxigraph is None:
        raise DataError(f"Oxigraph does not read {fmt.name}", path=path)
    with _reading(path, progress) as source:
        yield ox.parse(source, format=getattr(ox.RdfFormat, fmt.oxigraph), base_iri=path.resolve().as_uri(),
                       rename_blank_nodes=True)


def canonical_literal(literal: ox.Literal) -> str:
    """The text an Oxigraph store gives back for ``literal`` (it writes typed literals in their canonical form:
    ``"012"`` of ``xsd:integer`` as ``"12"``), so that a reader of :func:`parsed` reads what a store's would."""
    scratch = ox.Store()
    scratch.add(ox.Quad(_SCRATCH, _SCRATCH, literal))
    return next(iter(scratch)).object.value


_SCRATCH = ox.NamedNode("urn:genai-kg:scratch")


def settle(graph: Graph) -> None:
    """Flush and compact an on-disk store after a bulk load, so the first query reads a settled store.

    The bulk loader leaves many unmerged files behind, which the first query after it reads (measured at
    10M triples: a forked makers.rq used 70.6 s of CPU straight after the bulk load, 9.1 s after
    ``optimize``). Compaction belongs to loading, before any query's clock; then the store is opened
    afresh, with no background work in flight.
    """
    store = oxigraph_store(graph)
    try:
        store.flush()
        store.optimize()
        del store
        _rdflib_store(graph).reopen()
    except OSError as exc:
        raise DataError(f"cannot settle the store: {' '.join(str(exc).split())}", argument="store") from None
