"""The guard for untrusted input: how files are parsed, which queries may run, for how long and how big.

Data files and queries come from other people, so every parse and every query runs under four layers:

1. **Explicit checks before any work.** A query that names ``SERVICE``, ``FROM``/``FROM NAMED`` or ``LOAD``
   is refused on rdflib's algebra *and* on a lexical scan of its text (the text is what Oxigraph evaluates
   natively, where Python sees nothing), and SPARQL Update text is refused by ``query``. A JSON-LD file
   that points at a context by URL or path is refused before rdflib would fetch it.
2. **An audit hook** (:func:`guarded`), active only while untrusted input is parsed or queried: no socket,
   no URL opened, no process started, and no file opened except Python's own modules and package data.
   It is defence in depth: a violation that a library swallows is still reported after the block.
3. **Bounded parsers.** RDF/XML is parsed by a defusedxml reader that refuses external entities and
   parameter entities and bounds each internal entity's expanded size and nesting (``&xsd;`` still works);
   character data is coalesced so that rdflib's handler does linear, not quadratic, work. A literal longer
   than :attr:`Limits.max_literal` is refused before rdflib's parsers see it.
4. **Bounded queries.** On Linux a query is evaluated in a forked child (copy-on-write, ~10 ms) with an
   address-space limit and, where the kernel allows, an empty network namespace; the parent kills it at
   the deadline. That stops Oxigraph's native evaluation too, which SIGALRM cannot interrupt (measured:
   a 1 s alarm fired after a 21 s native aggregate). Elsewhere the query runs in-process under SIGALRM.

``allow_remote=True`` (``--allow-remote``) lifts the network refusals (layers 1, 2 and the namespace);
local files other than those the user named stay closed.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import pickle
import re
import select
import signal
import site
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DataError, GenaiKgError, LimitExceeded, QueryError, UnsafeInput

__all__ = [
    "DEFAULT_TIMEOUT",
    "Limits",
    "LIMITS",
    "guarded",
    "safe_parse",
    "check_query",
    "run_bounded",
]

#: Seconds a query may run unless the user says otherwise.
DEFAULT_TIMEOUT = 30.0
_MiB = 1024 * 1024
_REMOTE_HINT = "use --allow-remote to permit it"


@dataclass(frozen=True)
class Limits:
    """Bounds on the work untrusted input may cause; generous, so that real data never meets them.

    Attributes
    ----------
    timeout : float
        Seconds a query may run when the caller gives no timeout.
    max_rows : int
        Result rows (or CONSTRUCT triples) a query may return.
    max_literal : int
        Characters in one literal, in a data file or in a query's answer.
    max_long_literal : int
        Where rdflib's parsers are quadratic, the most they are given: one triple-quoted (multi-line)
        Turtle/TriG/N3 literal (measured: 1 MiB in 80-column lines ~2 s, 2 MiB ~9 s) and one N-Triples or
        N-Quads line (256 KiB 0.4 s, 1 MiB 9 s, 2 MiB 39 s). Oxigraph's parsers are linear.
    max_memory : int or None
        Bytes of address space a forked query may add; None means half the physical memory.
    max_entity_size : int
        Characters an RDF/XML internal entity may expand to.
    max_entity_depth : int
        How deeply RDF/XML entities may refer to one another.
    """

    timeout: float = DEFAULT_TIMEOUT
    max_rows: int = 1_000_000
    max_literal: int = 16 * _MiB
    max_long_literal: int = 256 * 1024
    max_memory: int | None = None
    max_entity_size: int = 64 * 1024
    max_entity_depth: int = 8


#: The limits in force; tests and embedding applications may replace it.
LIMITS = Limits()


# -- the audit hook ------------------------------------------------------------------------------------
@dataclass
class _Policy:
    where: str
    network: bool
    violations: list[str] = field(default_factory=list)


_ACTIVE: contextvars.ContextVar[_Policy | None] = contextvars.ContextVar("genai_kg_guard", default=None)
_HOOK_LOCK = threading.Lock()
_HOOK_INSTALLED = False
_NETWORK_EVENTS = frozenset(
    {
        "socket.connect",
        "socket.bind",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyaddr",
        "socket.getnameinfo",
        "socket.sendto",
        "socket.sendmsg",
        "urllib.Request",
        "http.client.connect",
        "ftplib.connect",
        "smtplib.connect",
        "imaplib.open",
        "poplib.connect",
        "nntplib.connect",
        "telnetlib.Telnet.open",
        "webbrowser.open",
    }
)
_PROCESS_EVENTS = frozenset(
    {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.startfile", "pty.spawn"}
)


_ROOTS: tuple[str, ...] | None = None
_IMPORT_SUFFIXES = (".py", ".pyc", ".pyi", ".so", ".pyd", ".pth", ".zip", ".egg-link", ".typed")


def _readable_roots() -> tuple[str, ...]:
    """Folders whose files Python itself may open while guarded: the interpreter's library and packages."""
    global _ROOTS
    if _ROOTS is None:
        roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
        with contextlib.suppress(Exception):
            roots.update(site.getsitepackages())
        with contextlib.suppress(Exception):
            roots.add(site.getusersitepackages())
        roots.add(str(Path(__file__).resolve().parent))
        from .paths import ONTOLOGY_DIR, QUERIES_DIR

        roots.update({str(ONTOLOGY_DIR.resolve()), str(QUERIES_DIR.resolve())})
        _ROOTS = tuple(sorted(os.path.join(os.path.abspath(r), "") for r in roots if r))
    return _ROOTS


def _open_allowed(path, mode: str | None, flags: int) -> bool:
    """Python's own imports and package data may be read; nothing else may be opened while guarded."""
    if isinstance(path, int):
        return True  # an already-open descriptor
    try:
        name = os.path.abspath(os.fsdecode(path))
    except (TypeError, ValueError):
        return False
    writing = bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC)) or bool(
        mode and any(c in mode for c in "wax+")
    )
    if writing:  # only the import system's bytecode cache
        return f"{os.sep}__pycache__{os.sep}" in name and name.startswith(_readable_roots())
    if name.startswith(_readable_roots()):
        return True
    # Other sys.path entries (the current folder under ``python -m``): modules only, never data files.
    return name.endswith(_IMPORT_SUFFIXES) and any(
        name.startswith(os.path.join(os.path.abspath(p or "."), "")) for p in sys.path
    )


#: Set only in a forked query child: there every thread is guarded (a context variable is per thread).
_PROCESS_POLICY: _Policy | None = None


def _audit(event: str, args: tuple) -> None:
    policy = _ACTIVE.get() or _PROCESS_POLICY
    if policy is None:
        return
    if event == "open":
        path, mode, flags = (tuple(args) + (None, None, 0))[:3]
        if _open_allowed(path, mode, flags or 0):
            return
        what = f"open {os.fsdecode(path) if isinstance(path, (str, bytes, os.PathLike)) else path!r}"
        policy.violations.append(f"{what} (only the files you name are read)")
    elif event in _NETWORK_EVENTS:
        if policy.network:
            return
        target = " ".join(str(a) for a in args[1:3] if a is not None) if event.startswith("socket.") else ""
        if event == "urllib.Request" and args:
            target = str(args[0])
        policy.violations.append(f"reach the network ({event} {target}".rstrip() + f"); {_REMOTE_HINT}")
    elif event in _PROCESS_EVENTS:
        policy.violations.append(f"start a process ({event})")
    else:
        return
    raise PermissionError(f"genai-kg guard: refused to {policy.violations[-1]}")


def _install_hook() -> None:
    global _HOOK_INSTALLED
    if _HOOK_INSTALLED:
        return
    with _HOOK_LOCK:
        if not _HOOK_INSTALLED:
            _readable_roots()
            sys.addaudithook(_audit)
            _HOOK_INSTALLED = True


@contextlib.contextmanager
def guarded(where: str, *, allow_remote: bool = False) -> Iterator[None]:
    """Run the block under the audit hook: no network (unless ``allow_remote``), no other files, no processes.

    A refused operation raises PermissionError where it happens; if the library under us swallows it, the
    block still ends in :class:`UnsafeInput` naming what was refused.
    """
    _install_hook()
    policy = _Policy(where, network=allow_remote)
    token = _ACTIVE.set(policy)
    try:
        yield
    except BaseException as exc:
        if policy.violations:
            raise UnsafeInput(f"{where}: refused to {policy.violations[0]}") from exc
        raise
    finally:
        _ACTIVE.reset(token)
    if policy.violations:
        raise UnsafeInput(f"{where}: refused to {policy.violations[0]}")


@contextlib.contextmanager
def lifted() -> Iterator[None]:
    """Suspend the guard inside a guarded block (for trusted code of ours that must open its own files)."""
    token = _ACTIVE.set(None)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


# -- parsing files ---------------------------------------------------------------------------------------
_XML_FORMATS = {"xml", "pretty-xml"}  # RDF/XML; rdflib names both
_TURTLE_FAMILY = {"turtle", "n3", "trig"}
_TEXT_FORMATS = {"turtle", "n3", "trig", "nt", "nquads", "json-ld"}
_LITERAL_TOKENS = re.compile(
    rb"""(?P<comment>\#[^\n\r]*)
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<long>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*''')
    |(?P<short>"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')""",
    re.VERBOSE | re.DOTALL,
)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _size(n: int) -> str:
    return f"{n / _MiB:.1f} MiB" if n >= _MiB else f"{n:,} bytes"


def _check_text(path: Path, data: bytes, fmt: str, limits: Limits) -> None:
    """UTF-8 with a line number, and no literal beyond the limits (scanned only when the file could hold one)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: line {_line_of(data, exc.start)}: byte {exc.start}: not valid UTF-8") from None
    long_cap = limits.max_long_literal if fmt in _TURTLE_FAMILY else limits.max_literal
    if fmt == "json-ld" or len(data) <= min(long_cap, limits.max_literal, limits.max_long_literal):
        return
    if fmt in ("nt", "nquads"):  # rdflib's line-based parser re-scans its growing buffer: bound the line
        start, number = 0, 1
        while start < len(data):
            end = data.find(b"\n", start)
            end = len(data) if end < 0 else end
            if end - start > limits.max_long_literal:
                raise LimitExceeded(
                    f"{path}: line {number}: {_size(end - start)} is longer than the {_size(limits.max_long_literal)}"
                    f" limit of rdflib's N-Triples parser (Oxigraph's reads it in linear time: try --store oxigraph)"
                )
            start, number = end + 1, number + 1
    for match in _LITERAL_TOKENS.finditer(data):
        kind = match.lastgroup
        if kind not in ("long", "short"):
            continue
        size = match.end() - match.start()
        cap = long_cap if kind == "long" else limits.max_literal
        if size > cap:
            hint = " (Oxigraph's parser reads it in linear time: try --store oxigraph)" if kind == "long" else ""
            raise LimitExceeded(
                f"{path}: line {_line_of(data, match.start())}: a literal of {_size(size)} is longer than the"
                f" {_size(cap)} limit{hint}"
            )


def _jsonld_remote(node, path: Path, limits: Limits) -> None:
    """Refuse a JSON-LD document whose contexts are fetched (a URL or a path), and over-long strings."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key == "@context":
                    for ctx in value if isinstance(value, list) else [value]:
                        if isinstance(ctx, str):
                            raise UnsafeInput(
                                f"{path}: JSON-LD @context {ctx!r} would be fetched; refused ({_REMOTE_HINT})"
                            )
                elif key == "@import" and isinstance(value, str):
                    raise UnsafeInput(
                        f"{path}: JSON-LD @import {value!r} would be fetched; refused ({_REMOTE_HINT})"
                    )
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str) and len(item) > limits.max_literal:
            raise LimitExceeded(f"{path}: a string of {_size(len(item))} is longer than the"
                                f" {_size(limits.max_literal)} limit")


def safe_parse(graph, path: Path, fmt: str, *, allow_remote: bool = False) -> None:
    """Parse ``path`` into ``graph`` as ``fmt``, reading only that file and bounding the parser's work.

    The bytes are read before the guard is raised, so the parser itself may open nothing.
    """
    limits = LIMITS
    data = path.read_bytes()
    base = path.resolve().as_uri()
    if fmt in _TEXT_FORMATS:
        _check_text(path, data, fmt, limits)
    if fmt == "json-ld":
        import json

        try:
            document = json.loads(data)
        except json.JSONDecodeError as exc:
            raise DataError(f"{path}: line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
        if not allow_remote:
            _jsonld_remote(document, path, limits)
    try:
        with guarded(str(path), allow_remote=allow_remote):
            if fmt in _XML_FORMATS:
                _parse_rdfxml(graph, data, base, path, limits)
            else:
                graph.parse(data=data, format=fmt, publicID=base)
    except GenaiKgError:
        raise
    except Exception as exc:
        # rdflib's Turtle family sometimes fails without a line (an AssertionError for an unterminated
        # string): ask Oxigraph's parser, which reports line and column, where the file goes wrong.
        where = _locate(data, fmt, base) if not isinstance(getattr(exc, "lines", None), int) else None
        if where:
            raise DataError(f"{path}: {where}") from exc
        raise


_OX_SYNTAX = {"turtle": "TURTLE", "nt": "N_TRIPLES", "nquads": "N_QUADS", "trig": "TRIG", "n3": "N3"}


def _locate(data: bytes, fmt: str, base: str) -> str | None:
    """``line N, column M: reason`` from Oxigraph's parser for a file rdflib could not place, else None."""
    if fmt not in _OX_SYNTAX:
        return None
    try:
        import pyoxigraph as ox

        for _ in ox.parse(data, format=getattr(ox.RdfFormat, _OX_SYNTAX[fmt]), base_iri=base):
            pass
    except SyntaxError as exc:
        reason = " ".join(str(exc).split())
        reason = re.sub(r"^Parser error at line \d+ (?:column \d+|between columns \d+ and \d+): ", "", reason)
        line = getattr(exc, "lineno", None)
        column = getattr(exc, "offset", None)
        if line:
            return f"line {line}, column {column}: {reason}" if column else f"line {line}: {reason}"
        return reason or None
    except Exception:  # noqa: BLE001 - only a better message is at stake
        return None
    return None


class _Coalescing:
    """A SAX content handler in front of rdflib's: hands it each text node whole, and counts what it sees.

    rdflib appends every ``characters`` call to a string held by an object, which copies the whole string
    each time (quadratic: a 5.6 MB entity expansion took 86 s). Joining the pieces first makes it linear.
    """

    def __init__(self, inner, reader, path: Path, limits: Limits, budget: int):
        self._inner, self._reader, self._path, self._limits = inner, reader, path, limits
        self._parts: list[str] = []
        self._size = 0
        self._total = 0
        self._budget = budget

    def _where(self) -> str:
        line = self._reader.getLineNumber()
        return f"{self._path}: line {line}" if isinstance(line, int) and line > 0 else str(self._path)

    def _flush(self) -> None:
        if self._parts:
            text = "".join(self._parts)
            self._parts, self._size = [], 0
            self._inner.characters(text)

    def _count(self, n: int) -> None:
        self._total += n
        if self._total > self._budget:
            raise LimitExceeded(f"{self._where()}: entity expansion passed {_size(self._budget)}; refused")

    def characters(self, content: str) -> None:
        self._parts.append(content)
        self._size += len(content)
        self._count(len(content))
        if self._size > self._limits.max_literal:
            raise LimitExceeded(
                f"{self._where()}: a text of more than {_size(self._limits.max_literal)} is longer than the limit"
            )

    def startElementNS(self, name, qname, attrs) -> None:  # noqa: N802 - SAX names
        self._flush()
        self._count(sum(len(v) for v in attrs.values()))
        self._inner.startElementNS(name, qname, attrs)

    def endElementNS(self, name, qname) -> None:  # noqa: N802
        self._flush()
        self._inner.endElementNS(name, qname)

    def __getattr__(self, name: str):
        method = getattr(self._inner, name)
        if not callable(method):
            return method

        def forward(*args):
            self._flush()
            return method(*args)

        return forward


def _reader_class():
    from defusedxml.expatreader import DefusedExpatParser

    class BoundedExpatParser(DefusedExpatParser):
        """defusedxml's reader with internal entities allowed but bounded, and no external ones at all."""

        def __init__(self, path: Path, limits: Limits):
            super().__init__(forbid_dtd=False, forbid_entities=False, forbid_external=True)
            self._path, self._limits = path, limits
            self._entities: dict[str, str] = {}

        def reset(self):
            super().reset()
            self._entities = {}
            self._parser.EntityDeclHandler = self._entity_decl
            self._parser.UnparsedEntityDeclHandler = self._unparsed_entity_decl
            self._parser.EndDoctypeDeclHandler = self._end_doctype

        def _where(self) -> str:
            return f"{self._path}: line {self.getLineNumber()}"

        def _entity_decl(self, name, is_parameter_entity, value, base, sysid, pubid, notation_name):
            if sysid or pubid:
                ref = sysid or pubid
                raise UnsafeInput(f"{self._where()}: external entity {name!r} ({ref}) refused")
            if is_parameter_entity:
                raise UnsafeInput(f"{self._where()}: parameter entity %{name}; refused (not needed by RDF/XML)")
            if len(self._entities) >= 10_000:
                raise LimitExceeded(f"{self._where()}: more than 10,000 entities; refused")
            self._entities[name] = value or ""

        def _unparsed_entity_decl(self, name, base, sysid, pubid, notation_name):
            raise UnsafeInput(f"{self._where()}: external entity {name!r} ({sysid or pubid}) refused")

        def _end_doctype(self):
            sizes: dict[str, int] = {}
            limits = self._limits
            ref = re.compile(r"&([^;&#\s]+);")

            def expanded(name: str, depth: int, seen: tuple[str, ...]) -> int:
                if name in sizes:
                    return sizes[name]
                if name not in self._entities:
                    return len(name) + 2  # predefined (&lt;) or undefined: expat reports the latter
                if depth > limits.max_entity_depth or name in seen:
                    raise LimitExceeded(
                        f"{self._where()}: entity {name!r} nests more than {limits.max_entity_depth} deep"
                        " (an entity bomb?); refused"
                    )
                text = self._entities[name]
                total = len(text)
                for m in ref.finditer(text):
                    total += expanded(m[1], depth + 1, (*seen, name)) - len(m[0])
                    if total > limits.max_entity_size:
                        break
                if total > limits.max_entity_size:
                    raise LimitExceeded(
                        f"{self._where()}: entity {name!r} expands to more than"
                        f" {_size(limits.max_entity_size)} (an entity bomb?); refused"
                    )
                sizes[name] = total
                return total

            for name in self._entities:
                expanded(name, 0, ())

    return BoundedExpatParser


def _parse_rdfxml(graph, data: bytes, base: str, path: Path, limits: Limits) -> None:
    """rdflib's RDF/XML handler behind a bounded defusedxml reader (see :class:`_Coalescing`)."""
    from xml.sax import handler

    from rdflib.parser import create_input_source
    from rdflib.plugins.parsers.rdfxml import ErrorHandler, RDFXMLHandler

    source = create_input_source(data=data, publicID=base, format="xml")
    reader = _reader_class()(path, limits)
    with contextlib.suppress(AttributeError):
        reader.start_namespace_decl("xml", "http://www.w3.org/XML/1998/namespace")
    reader.setFeature(handler.feature_namespaces, 1)
    rdfxml = RDFXMLHandler(graph)
    rdfxml.setDocumentLocator(source)
    reader.setContentHandler(_Coalescing(rdfxml, reader, path, limits, budget=16 * _MiB + 10 * len(data)))
    reader.setErrorHandler(ErrorHandler())
    reader.parse(source)


# -- checking queries ------------------------------------------------------------------------------------
_LEX = re.compile(
    r"""(?P<comment>\#[^\n\r]*)
    |(?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|$)|'''(?:[^'\\]|\\.|'(?!''))*(?:'''|$)
        |"(?:[^"\\\n\r]|\\.)*(?:"|$)|'(?:[^'\\\n\r]|\\.)*(?:'|$))
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<escape>\\.)
    |(?P<word>[?$]?[A-Za-z_][A-Za-z0-9_\-.:]*)""",
    re.VERBOSE | re.DOTALL | re.MULTILINE,
)
_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
#: Keywords that make a query fetch or read beyond the loaded graph, with what they would do.
_FETCHING = {
    "SERVICE": "SERVICE would reach the network",
    "FROM": "FROM / FROM NAMED would read other graphs or files",
    "LOAD": "LOAD would fetch a document",
}
#: Words that only SPARQL Update uses at the top level.
UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})


def bare_words(text: str) -> list[str]:
    """Upper-cased words outside strings, IRIs and comments, as a SPARQL lexer sees them (keywords)."""
    return [m.group().upper() for m in _LEX.finditer(text) if m.lastgroup == "word" and m.group()[0] not in "?$"
            and ":" not in m.group()]


def _expand_escapes(text: str) -> str:
    """rdflib expands \\u escapes in the whole query before parsing; Oxigraph does not. Scan both views."""
    return _UNICODE_ESCAPE.sub(lambda m: chr(int(m[1] or m[2], 16)) if int(m[1] or m[2], 16) < 0x110000 else "",
                               text)


def _walk(node) -> Iterator:
    """Every algebra node below ``node`` (rdflib's CompValue trees, lists and dicts)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)


def check_query(prepared, *, allow_remote: bool = False, where: str = "query", text: str | None = None) -> None:
    """Refuse, before evaluation, a query that would fetch: SERVICE, FROM / FROM NAMED, LOAD.

    Two independent checks: rdflib's algebra (what rdflib would evaluate) and a lexical scan of the text
    (what Oxigraph would evaluate, after the same text reaches it through oxrdflib). ``allow_remote``
    lifts the refusal for users who want federation.
    """
    if allow_remote:
        return
    for node in _walk(prepared.algebra):
        name = getattr(node, "name", "")
        if name == "ServiceGraphPattern":
            raise UnsafeInput(
                f"{where}: SERVICE <{dict.get(node, 'term')}> would reach the network; refused ({_REMOTE_HINT})"
            )
        # CompValue.get returns the key itself when it is missing: read the plain dict.
        if name == "DatasetClause" or dict.get(node, "datasetClause"):
            raise UnsafeInput(f"{where}: {_FETCHING['FROM']}; refused ({_REMOTE_HINT})")
    if text is None:
        text = (getattr(prepared, "_original_args", None) or ("",))[0] or ""
    words = set(bare_words(text))
    if "\\" in text:
        words.update(bare_words(_expand_escapes(text)))
    for word, why in _FETCHING.items():
        if word in words:
            raise UnsafeInput(f"{where}: {why}; refused ({_REMOTE_HINT})")


# -- running queries -------------------------------------------------------------------------------------
def _literal_check(term, limits: Limits, where: str) -> None:
    if term is not None and type(term).__name__ == "Literal" and len(term) > limits.max_literal:
        raise LimitExceeded(
            f"{where}: the answer holds a literal of {_size(len(term))}, longer than the"
            f" {_size(limits.max_literal)} limit"
        )


def _materialise(result, limits: Limits, where: str) -> tuple:
    """The answer as plain data (for the pipe from the child), checked against the row and literal caps."""
    too_many = f"{where}: more than {limits.max_rows:,} result rows; add a LIMIT"
    if result.type == "ASK":
        return ("ASK", bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        triples = []
        for triple in result.graph:
            for term in triple:
                _literal_check(term, limits, where)
            triples.append(triple)
            if len(triples) > limits.max_rows:
                raise LimitExceeded(too_many.replace("result rows", "triples"))
        return (result.type, triples)
    names = list(result.vars or [])
    rows = []
    for binding in result:
        row = tuple(binding.get(v) if hasattr(binding, "get") else binding[i] for i, v in enumerate(names))
        for term in row:
            _literal_check(term, limits, where)
        rows.append(row)
        if len(rows) > limits.max_rows:
            raise LimitExceeded(too_many)
    return ("SELECT", names, rows)


def _rebuild(payload: tuple):
    from rdflib import Graph
    from rdflib.query import Result

    kind = payload[0]
    result = Result(kind)
    if kind == "ASK":
        result.askAnswer = payload[1]
    elif kind in ("CONSTRUCT", "DESCRIBE"):
        graph = Graph()
        for triple in payload[1]:
            graph.add(triple)
        result.graph = graph
    else:
        names, rows = payload[1], payload[2]
        result.vars = names
        result.bindings = [{v: t for v, t in zip(names, row, strict=True) if t is not None} for row in rows]
    return result


def _evaluate(kg, prepared, bindings, limits: Limits, where: str, allow_remote: bool) -> tuple:
    with guarded(where, allow_remote=allow_remote):
        result = kg.graph.query(prepared, initBindings=bindings)
        return _materialise(result, limits, where)


@contextlib.contextmanager
def _deadline(seconds: float | None, what: str) -> Iterator[None]:
    """Raise LimitExceeded in this thread once ``seconds`` have passed (SIGALRM; main thread only)."""
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield
        return

    def expire(signum, frame):
        raise LimitExceeded(f"{what}: timed out after {seconds:g} s (raise it with --timeout)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _can_fork() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def _memory_budget(limits: Limits) -> int:
    if limits.max_memory is not None:
        return limits.max_memory
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        physical = 8 * 1024 * _MiB
    return max(1024 * _MiB, physical // 2)


def _vm_size() -> int:
    with open("/proc/self/status", "rb") as fh:
        for line in fh:
            if line.startswith(b"VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _isolate_network() -> None:
    """Best effort: move this (child) process into an empty network namespace, so that native code too
    (Oxigraph's HTTP client) has no network. Unprivileged user namespaces allow it on most Linux systems;
    where they do not, the explicit checks and the audit hook remain."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.unshare(0x10000000 | 0x40000000)  # CLONE_NEWUSER | CLONE_NEWNET


def _child(wfd: int, kg, prepared, bindings, limits: Limits, where: str, allow_remote: bool) -> None:
    """Evaluate in the forked child and write a pickled answer (or error) to ``wfd``; never returns."""
    global _PROCESS_POLICY
    code = 0
    try:
        import faulthandler
        import gc

        gc.freeze()  # fewer copy-on-write faults: the collector need not visit the parent's objects
        faulthandler.disable()  # a native abort at the memory cap is reported by the parent, in one line
        with contextlib.suppress(Exception):
            import resource

            _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            cap = _vm_size() + _memory_budget(limits)
            if hard == resource.RLIM_INFINITY or cap < hard:
                resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
        if not allow_remote:
            _isolate_network()
        _install_hook()
        _PROCESS_POLICY = _Policy(where, network=allow_remote)  # threads the engine starts are guarded too
        try:
            message = ("ok", _evaluate(kg, prepared, bindings, limits, where, allow_remote))
        except MemoryError:
            message = ("error", "LimitExceeded", _memory_message(where, limits))
        except GenaiKgError as exc:
            message = ("error", type(exc).__name__, str(exc))
        except RecursionError:
            message = ("error", "LimitExceeded", f"{where}: the query nests too deeply to evaluate")
        except Exception as exc:  # noqa: BLE001 - an engine's error is a query that cannot be run
            message = ("error", "QueryError", f"{where}: cannot run query: {type(exc).__name__}: "
                       + (" ".join(str(exc).split())[:500] or "no detail"))
        if _PROCESS_POLICY.violations:  # refused in a thread the engine started, whatever it then did
            message = ("error", "UnsafeInput", f"{where}: refused to {_PROCESS_POLICY.violations[0]}")
        try:
            data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            data = pickle.dumps(("error", "LimitExceeded", _memory_message(where, limits)))
        view = memoryview(data)
        while view:
            view = view[os.write(wfd, view):]
    except BaseException:  # noqa: BLE001 - the child must never return into the parent's code
        code = 1
    finally:
        os._exit(code)


def _memory_message(where: str, limits: Limits) -> str:
    return f"{where}: used more than {_size(_memory_budget(limits))} of memory; refused"


_ERRORS = {"LimitExceeded": LimitExceeded, "UnsafeInput": UnsafeInput, "QueryError": QueryError}


def _run_forked(kg, prepared, bindings, seconds: float, limits: Limits, where: str, allow_remote: bool):
    import warnings

    rfd, wfd = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork with threads (3.12+): the child only reads
        pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(rfd)
        _child(wfd, kg, prepared, bindings, limits, where, allow_remote)
    os.close(wfd)
    chunks: list[bytes] = []
    status = None
    deadline = time.monotonic() + seconds
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise LimitExceeded(f"{where}: timed out after {seconds:g} s (raise it with --timeout)")
            ready, _, _ = select.select([rfd], [], [], remaining)
            if ready:
                chunk = os.read(rfd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(rfd)
        if status is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
    if not chunks:
        if os.WIFSIGNALED(status):
            raise LimitExceeded(
                f"{where}: evaluation was stopped by signal {os.WTERMSIG(status)}"
                f" (out of memory? the limit is {_size(_memory_budget(limits))})"
            )
        raise QueryError(f"{where}: evaluation failed without an answer")
    message = pickle.loads(b"".join(chunks))
    if message[0] == "ok":
        return message[1]
    raise _ERRORS.get(message[1], QueryError)(message[2])


def run_bounded(
    kg,
    prepared,
    bindings,
    *,
    timeout: float | None = None,
    text: str | None = None,
    where: str = "query",
    allow_remote: bool = False,
):
    """Run a checked, prepared query and materialise its answer within ``timeout`` seconds.

    On Linux the evaluation happens in a forked child that the parent kills at the deadline (this stops
    native engines too); elsewhere in-process under SIGALRM. Either way the answer is checked against the
    row and literal limits and handed back as an rdflib ``Result``.
    """
    limits = LIMITS
    seconds = limits.timeout if timeout is None else timeout
    if _can_fork():
        payload = _run_forked(kg, prepared, bindings, seconds, limits, where, allow_remote)
    else:  # pragma: no cover - exercised on platforms without fork
        try:
            with _deadline(seconds, where):
                payload = _evaluate(kg, prepared, bindings, limits, where, allow_remote)
        except MemoryError:
            raise LimitExceeded(_memory_message(where, limits)) from None
    return _rebuild(payload)
