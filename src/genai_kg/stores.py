"""Stores: rdflib's in-memory store or Oxigraph (through oxrdflib), and loading files into them.

``memory`` is rdflib's own store and parsers: the reference, and fine for the bundled graph. ``oxigraph``
keeps the triples in Oxigraph (in memory), parses Turtle, N-Triples, TriG and N-Quads with Oxigraph's own
parsers and answers SPARQL with Oxigraph's engine; ``oxigraph:DIR`` does the same in an on-disk store that
later runs reuse instead of re-parsing (``DIR/genai-kg-manifest.json`` records which files, by size and
modification time, are in it; any change reloads them all).

Query parameters reach Oxigraph as a ``VALUES`` block at the start of the query's WHERE group, built from
rdflib terms (:func:`bind_as_values`); the same function binds parameters for remote endpoints. rdflib's
``initBindings`` and Oxigraph's ``substitutions`` are not used for this: the latter refuses any variable
the query does not project, which is most parameters.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import XSD

from .errors import DataError, GenaiKgError, ParameterError, QueryError

__all__ = [
    "open_graph",
    "load_files",
    "resolve_store",
    "STORES",
    "AUTO_THRESHOLD",
    "MANIFEST_NAME",
    "read_manifest",
    "bind_as_values",
    "term_n3",
]

STORES = ("memory", "oxigraph", "auto")
#: ``auto`` picks Oxigraph once the user's files pass this many bytes (about 30k triples of Turtle): there
#: rdflib's parser alone takes about a second, and Oxigraph loads and answers an order of magnitude faster.
AUTO_THRESHOLD = 1_000_000
#: The file in an ``oxigraph:DIR`` store that records what was loaded into it.
MANIFEST_NAME = "genai-kg-manifest.json"
_MANIFEST_VERSION = 1
#: rdflib format names that Oxigraph's parsers read (RDF/XML and JSON-LD stay with the guard's parsers).
_OX_FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "nquads": "N_QUADS", "trig": "TRIG"}
_QUAD_FORMATS = {"nquads", "trig"}
_PREFIX_DECL = re.compile(rb"(?mi)^[ \t]*(?:@prefix|prefix)[ \t]+([A-Za-z][\w.-]*)?:[ \t]*<([^<>\s]*)>")


# -- opening ---------------------------------------------------------------------------------------------
@functools.cache
def _store_class():
    """OxigraphStore with SPARQL text sent to Oxigraph and plain literals read back as rdflib reads them."""
    try:
        import pyoxigraph as ox
        from oxrdflib import OxigraphStore
        from oxrdflib._converter import to_ox, to_ox_quad_pattern
    except ImportError:  # pragma: no cover - oxrdflib is a dependency
        raise GenaiKgError("--store oxigraph needs the oxrdflib package") from None
    from rdflib.plugins.sparql.sparql import Query
    from rdflib.query import Result

    def from_ox(term):
        if term is None:
            return None
        if isinstance(term, ox.NamedNode):
            return URIRef(term.value)
        if isinstance(term, ox.BlankNode):
            return BNode(term.value)
        if isinstance(term, ox.Literal):
            if term.language:
                return Literal(term.value, lang=term.language)
            if term.datatype.value == _XSD_STRING:
                return Literal(term.value)
            return Literal(term.value, datatype=URIRef(term.datatype.value))
        raise ValueError(f"unexpected Oxigraph term: {term!r}")

    class GenaiKgOxigraphStore(OxigraphStore):
        def __len__(self, context=None):
            # Oxigraph counts its quads at once; the parent runs COUNT(DISTINCT ...) (1.4 s on 600k triples).
            default = context is None or getattr(context, "identifier", context) == DATASET_DEFAULT_GRAPH_ID
            if default and next(iter(self._inner.named_graphs()), None) is None:
                return len(self._inner)
            return super().__len__(context)

        def triples(self, triple_pattern, context=None):
            try:
                quads = self._inner.quads_for_pattern(*to_ox_quad_pattern(triple_pattern, context))
            except (TypeError, ValueError):
                return iter(())
            return (
                ((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)), iter((context,))) for q in quads
            )

        def query(self, query, initNs, initBindings, queryGraph, **kwargs):  # noqa: N803 - rdflib's names
            base = None
            if isinstance(query, Query):
                args = getattr(query, "_original_args", None)
                if not args:
                    raise NotImplementedError("a prepared query without its text")
                query, prepared_ns, base = args
                initNs = {**dict(prepared_ns or {}), **dict(initNs or {})}  # noqa: N806
            if kwargs:
                raise NotImplementedError(f"query options {sorted(kwargs)} are not supported by Oxigraph")
            text = bind_as_values(query, initBindings) if initBindings else query
            prefixes = {str(k): str(v) for k, v in {**self._namespace_for_prefix, **dict(initNs)}.items()}
            options = {
                "base_iri": base or None,
                "prefixes": prefixes,
                "use_default_graph_as_union": queryGraph == "__UNION__",
                "default_graph": to_ox(queryGraph) if queryGraph not in (None, "__UNION__") else None,
            }
            kind, head, rows = _evaluate(lambda: _materialise(self._inner.query(text, **options)))
            if kind == "ASK":
                out = Result("ASK")
                out.askAnswer = head
            elif kind == "SELECT":
                out = Result("SELECT")
                out.vars = [Variable(v.value) for v in head]
                out.bindings = [
                    {v: from_ox(val) for v, val in zip(out.vars, row, strict=True) if val is not None} for row in rows
                ]
            else:
                out = Result("CONSTRUCT")
                out.graph = Graph()
                out.graph += ((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)) for t in rows)
            return out

    return GenaiKgOxigraphStore


_XSD_STRING = str(XSD.string)


def _materialise(answer):
    """Oxigraph's lazy answer as (kind, head, rows), read to the end (in the worker thread)."""
    import pyoxigraph as ox

    if isinstance(answer, ox.QueryBoolean):
        return "ASK", bool(answer), None
    if isinstance(answer, ox.QuerySolutions):
        return "SELECT", list(answer.variables), [tuple(row) for row in answer]
    return "CONSTRUCT", None, list(answer)


def _evaluate(work):
    """Run ``work`` in a daemon thread and wait in short steps, so the guard's SIGALRM deadline can fire.

    pyoxigraph releases the GIL while it evaluates: the main thread keeps running Python, and a timeout
    raised there abandons the worker (it stops with the process) instead of waiting for a long aggregate.
    """
    box: dict = {}

    def run():
        try:
            box["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=run, name="genai-kg-oxigraph-query", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(0.02)
    error = box.get("error")
    if isinstance(error, SyntaxError):
        raise QueryError(f"Oxigraph cannot parse the query: {' '.join(str(error).split())}") from None
    if isinstance(error, (OSError, RuntimeError, ValueError)):
        raise QueryError(f"Oxigraph: {' '.join(str(error).split())}") from None
    if error is not None:
        raise error
    return box["value"]


def _check_store_dir(location: Path) -> None:
    """Refuse a path that is a file, or a non-empty folder that is not an Oxigraph store of ours."""
    if location.exists() and not location.is_dir():
        raise DataError(f"--store oxigraph:{location}: is a file, not a folder")
    ours = (location / MANIFEST_NAME).exists() or (location / "CURRENT").exists()
    if location.is_dir() and not ours and any(location.iterdir()):
        raise DataError(
            f"--store oxigraph:{location}: folder is not empty and holds no Oxigraph store;"
            " give a new or empty folder"
        )


def resolve_store(store: str, data: Iterable[str | os.PathLike] = ()) -> str:
    """``auto`` becomes ``oxigraph`` when the user's files total more than AUTO_THRESHOLD bytes, else ``memory``.

    >>> resolve_store("auto"), resolve_store("oxigraph:/tmp/x")
    ('memory', 'oxigraph:/tmp/x')
    """
    if store != "auto":
        return store
    total = 0
    for path in data:
        with contextlib.suppress(OSError):
            total += Path(path).stat().st_size
    return "oxigraph" if total > AUTO_THRESHOLD else "memory"


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

        cls = _store_class()
        if location:
            path = Path(location).expanduser()
            _check_store_dir(path)
            try:
                inner = ox.Store(str(path))
            except OSError as exc:
                message = " ".join(str(exc).split())
                if "lock" in message.lower():
                    raise DataError(f"--store oxigraph:{location}: in use by another process") from None
                raise DataError(f"--store oxigraph:{location}: cannot open: {message}") from None
            backend = cls(store=inner)
        else:
            backend = cls()
        return Graph(store=backend, identifier=DATASET_DEFAULT_GRAPH_ID, bind_namespaces="core")
    raise GenaiKgError(f"--store: unknown store {store!r}; use auto, memory, oxigraph or oxigraph:DIR")


def _is_oxigraph(graph: Graph) -> bool:
    from oxrdflib import OxigraphStore

    return isinstance(graph.store, OxigraphStore)


# -- loading ---------------------------------------------------------------------------------------------
def _file_entry(path: Path) -> dict:
    st = path.stat()
    return {"path": str(path.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def read_manifest(location: str | os.PathLike) -> dict | None:
    """The manifest of an ``oxigraph:DIR`` store (``files``, ``prefixes``, ``loads``), or None."""
    try:
        data = json.loads((Path(location) / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("version") == _MANIFEST_VERSION else None


def _write_manifest(location: Path, manifest: dict) -> None:
    tmp = location / f".{MANIFEST_NAME}.tmp"
    tmp.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, location / MANIFEST_NAME)


def _ox_load(graph: Graph, path: Path, fmt: str, *, bulk: bool = False) -> dict[str, str]:
    """Parse ``path`` with Oxigraph's parser into the store's default graph; return its prefixes.

    ``bulk`` (for an on-disk store) writes through Oxigraph's bulk loader; in memory the plain load is as
    fast and peaks about 125 MB lower on 600k triples (250 MB against 375 MB).
    """
    import pyoxigraph as ox

    inner = graph.store._inner
    rdf_format = getattr(ox.RdfFormat, _OX_FORMATS[fmt])
    base = path.resolve().as_uri()
    if not path.exists():
        raise DataError(f"{path}: no such file")
    if path.is_dir():
        raise DataError(f"{path}: is a folder, not an RDF file")
    try:
        if fmt in _QUAD_FORMATS:  # named graphs merge into the one graph, as the memory store does
            quads = ox.parse(path=str(path), format=rdf_format, base_iri=base)
            inner.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
        else:
            load = inner.bulk_load if bulk else inner.load
            load(path=str(path), format=rdf_format, base_iri=base, to_graph=ox.DefaultGraph())
    except PermissionError:
        raise DataError(f"{path}: permission denied") from None
    except MemoryError as exc:  # Oxigraph's parser buffer (16 MiB for one token): a literal or IRI too long
        raise DataError(f"{path}: {' '.join(str(exc).split())} (a literal or IRI too long to parse); refused") from None
    except SyntaxError as exc:
        line = getattr(exc, "lineno", None)
        reason = " ".join(str(exc).split())
        reason = re.sub(r"^Parser error at line \d+ column \d+: ", "", reason)
        raise DataError(f"{path}: line {line}: {reason}" if line else f"{path}: {reason}") from None
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: {' '.join(str(exc).split())}") from None
    if fmt in ("turtle", "trig"):
        with path.open("rb") as fh:
            return {m[1].decode("utf-8", "replace") if m[1] else "": m[2].decode("utf-8", "replace")
                    for m in _PREFIX_DECL.finditer(fh.read())}
    return {}


def _bind_all(graph: Graph, prefixes: Mapping[str, str]) -> None:
    for prefix, namespace in prefixes.items():
        if prefix:
            with contextlib.suppress(Exception):
                graph.bind(prefix, URIRef(namespace), override=False)


def load_files(
    graph: Graph, files: Iterable[Path], *, store: str = "memory", allow_remote: bool = False
) -> Graph:
    """Parse each file into ``graph`` in order.

    On an Oxigraph store, Turtle, N-Triples, TriG and N-Quads go through Oxigraph's parsers (about 20x
    rdflib's speed); RDF/XML, JSON-LD and N3 go through the guard's parsers. On ``oxigraph:DIR`` the files
    are parsed only if they differ (path, size, modification time) from those recorded in the store's
    manifest; otherwise the stored triples are reused.
    """
    from .graph import format_for_path, parse_file

    files = [Path(p) for p in files]
    name, _, location = store.partition(":")
    oxigraph = name == "oxigraph" and _is_oxigraph(graph)
    folder = Path(location).expanduser() if oxigraph and location else None
    entries: list[dict] | None = None
    if folder is not None:
        try:
            entries = [_file_entry(p) for p in files]
        except OSError:
            entries = None  # a missing file: load below reports it
        manifest = read_manifest(folder)
        if manifest and entries is not None and manifest.get("files") == entries:
            _bind_all(graph, manifest.get("prefixes", {}))
            return graph
        loads = (manifest or {}).get("loads", 0)
        with contextlib.suppress(OSError):
            (folder / MANIFEST_NAME).unlink()  # an interrupted load must not look complete
        graph.store._inner.clear()
    prefixes: dict[str, str] = {}
    for path in files:
        fmt = format_for_path(path)
        if oxigraph and fmt in _OX_FORMATS:
            found = _ox_load(graph, path, fmt, bulk=folder is not None)
            _bind_all(graph, found)
            prefixes.update({k: v for k, v in found.items() if k not in prefixes})
        else:
            parse_file(graph, path, allow_remote=allow_remote)
    if folder is not None:
        for prefix, namespace in graph.namespaces():
            prefixes.setdefault(prefix, str(namespace))
        graph.store._inner.flush()
        _write_manifest(
            folder,
            {
                "version": _MANIFEST_VERSION,
                "files": entries or [_file_entry(p) for p in files],
                "prefixes": prefixes,
                "loads": loads + 1,
            },
        )
    return graph


# -- binding parameters into SPARQL text -----------------------------------------------------------------
_TOKENS = re.compile(
    r"""(?P<comment>\#[^\n]*)
    |(?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
        |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<open>\{)|(?P<close>\})
    |(?P<word>[A-Za-z][A-Za-z0-9_]*)""",
    re.VERBOSE | re.DOTALL,
)
_IRI_OK = re.compile(r'^[^<>"{}|^`\\\x00-\x20]*$')
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def term_n3(term) -> str:
    """A term as SPARQL text, built from the term and checked, never from a user's string as typed.

    Raises ParameterError for a blank node (a VALUES block cannot name an existing one) or an IRI with
    characters that IRIs may not contain.
    """
    if isinstance(term, URIRef):
        if not _IRI_OK.match(str(term)):
            raise ParameterError(f"cannot bind {str(term)!r}: not a valid IRI")
        return f"<{term}>"
    if isinstance(term, Literal):
        text = str(term)
        escaped = (
            text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
            .replace("\t", "\\t")
        )
        if term.language:
            if not re.match(r"^[A-Za-z]+(-[A-Za-z0-9]+)*$", term.language):
                raise ParameterError(f"cannot bind a literal with language tag {term.language!r}")
            return f'"{escaped}"@{term.language}'
        if term.datatype and str(term.datatype) != _XSD_STRING:
            return f'"{escaped}"^^{term_n3(URIRef(term.datatype))}'
        return f'"{escaped}"'
    raise ParameterError(f"cannot bind {term!r}: only IRIs and literals can be bound")


def _where_group(text: str) -> int:
    """The offset just after the ``{`` that opens the query's WHERE group."""
    depth, opens, form, short_construct = 0, [], None, None
    for match in _TOKENS.finditer(text):
        kind = match.lastgroup
        if form == "CONSTRUCT" and short_construct is None and kind in ("open", "word"):
            short_construct = kind == "word" and match.group().upper() == "WHERE"
        if kind == "open":
            if depth == 0:
                opens.append(match.end())
            depth += 1
        elif kind == "close":
            depth -= 1
        elif kind == "word" and depth == 0:
            word = match.group().upper()
            if form is None and word in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK"):
                form = word
    if form is None or not opens:
        raise QueryError("cannot find the query's WHERE clause to bind parameters in")
    if form == "CONSTRUCT":
        if short_construct:  # CONSTRUCT WHERE { ... } holds triple patterns only: no VALUES there
            raise QueryError(
                "parameters cannot be bound in the short form CONSTRUCT WHERE { ... }; spell out the template"
            )
        if len(opens) < 2:
            raise QueryError("cannot find the CONSTRUCT query's WHERE clause")
        return opens[1]
    return opens[0]


def bind_as_values(text: str, bindings: Mapping) -> str:
    """Return ``text`` with ``VALUES (?a ?b) { (t1 t2) }`` at the start of its WHERE group.

    The values are rdflib terms written by :func:`term_n3`; variable names must be SPARQL names. Joined at
    the start of the top-level group, the block restricts the whole pattern before grouping and
    aggregation, as rdflib's ``initBindings`` do.

    >>> bind_as_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": Literal('say "hi" }')})
    'SELECT ?s WHERE { VALUES (?o) { ("say \\\\"hi\\\\" }") }  ?s ?p ?o }'
    """
    if not bindings:
        return text
    names, values = [], []
    for key, term in bindings.items():
        name = str(key).lstrip("?$")
        if not _VARIABLE.match(name):
            raise ParameterError(f"cannot bind {str(key)!r}: not a SPARQL variable name")
        names.append(f"?{name}")
        values.append(term_n3(term))
    at = _where_group(text)
    block = f" VALUES ({' '.join(names)}) {{ ({' '.join(values)}) }} "
    return text[:at] + block + text[at:]
