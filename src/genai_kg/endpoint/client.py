"""The SPARQL 1.1 protocol client: URL checks, same-origin redirects, credentials, one request with its
deadline, and answers read by their media type.

Only the standard library speaks HTTP here (``urllib.request``). Every request has one deadline for the
whole exchange (connect, TLS, headers, body: a watchdog shuts the socket down when it passes, so a server
that drips its headers a byte at a time cannot hold it open), a redirect to another scheme, host or port is
refused, credentials come from the environment
(``GENAI_KG_ENDPOINT_USER`` / ``GENAI_KG_ENDPOINT_PASSWORD``) or a prompt, never from the command line, and
every failure (no connection, an HTTP error, a timeout, a cut-off or malformed answer) is one
:class:`~genai_kg.errors.EndpointError` line naming the URL. Answers are read with the bounds a file gets:
RDF through the guard's parsers (RDF/XML through its bounded reader), literals and rows within the
guard's limits, JSON nesting within Python's reader.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import ipaddress
import json
import os
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .. import formats
from ..answer_form import Answer, Stream, batched_pump, encode_term, kind_of, ntriples
from ..errors import EndpointError, EndpointLimitExceeded, GenaiKgError, LimitExceeded, ParameterError, TimedOut
from ..guard.textscan import JSON_TOO_DEEP, parse_answer
from ..sparql import query_form
from ..urls import check_http_url, redact

__all__ = [
    "USER_ENV",
    "PASSWORD_ENV",
    "MAX_ANSWER_BYTES",
    "Credentials",
    "credentials_from_env",
    "check_url",
    "check_graph_iri",
    "request",
    "query_endpoint",
    "read_answer",
]

USER_ENV = "GENAI_KG_ENDPOINT_USER"
PASSWORD_ENV = "GENAI_KG_ENDPOINT_PASSWORD"
#: Answers larger than this are refused rather than read into memory.
MAX_ANSWER_BYTES = 512 * 1024 * 1024
_RESULTS_JSON = "application/sparql-results+json"
#: The RDF syntaxes a CONSTRUCT or DESCRIBE answer may come in, most wanted first, with their weights.
_GRAPH_FORMATS = {formats.from_name(n): weight for n, weight in (("nt", ""), ("turtle", ";q=0.9"), ("xml", ";q=0.5"))}
_GRAPH_ACCEPT = ", ".join(fmt.media_type + weight for fmt, weight in _GRAPH_FORMATS.items())
_LONGER = ("timeout", "to allow longer")
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\x00-\x20]+$")


@dataclass(frozen=True)
class Credentials:
    """HTTP Basic credentials; ``repr`` hides the password so it never reaches a log or traceback."""

    user: str
    password: str

    def __repr__(self) -> str:
        return f"Credentials(user={self.user!r}, password='***')"

    def header(self) -> str:
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii")
        return f"Basic {token}"


def credentials_from_env(environ: Mapping[str, str] | None = None) -> Credentials | None:
    """Credentials from GENAI_KG_ENDPOINT_USER and GENAI_KG_ENDPOINT_PASSWORD, or None if unset."""
    env = os.environ if environ is None else environ
    user, password = env.get(USER_ENV), env.get(PASSWORD_ENV)
    if user is None and password is None:
        return None
    return Credentials(user or "", password or "")


# -- HTTP ------------------------------------------------------------------------------------------------
def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


def check_url(url: str, argument: str = "endpoint") -> str:
    """``url`` if it is an http(s) URL with a host, a valid port and no credentials; EndpointError naming
    ``argument`` else (see :func:`genai_kg.urls.check_http_url`)."""
    return check_http_url(url, argument)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to the same scheme, host and port; anything else is an error.

    A POST (every request here) is followed only through 307 and 308, which keep the method and the body;
    301, 302 and 303 would turn it into a GET without its query or update, so they are refused too.
    """

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        target = urllib.parse.urljoin(req.full_url, newurl)
        if _origin(target) != _origin(req.full_url):
            raise EndpointError(f"{req.full_url}: redirected to {redact(target)} (another host or scheme); refused")
        if req.get_method() == "POST" and code not in (307, 308):
            raise EndpointError(
                f"{req.full_url}: redirected with HTTP {code} (a POST would lose its body) to {redact(target)}"
            )
        if code in (307, 308):
            return urllib.request.Request(
                target, data=req.data, headers=dict(req.headers), method=req.get_method(), unverifiable=True
            )
        return super().redirect_request(req, fp, code, msg, headers, target)


class _Deadline:
    """One deadline for a whole exchange: each connection gets the time left as its timeout, and a watchdog
    shuts down every socket it opened once the deadline passes, which ends any read blocked on it."""

    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()

    def remaining(self) -> float:
        return max(0.001, self.end - time.monotonic())

    def watch(self, sock: socket.socket) -> None:
        # A duplicate descriptor: shutdown() acts on the connection, even after TLS has taken over the original.
        dup = sock.dup()
        with self._lock:
            self._sockets.append(dup)
            if self.expired:
                self._shutdown(dup)

    @staticmethod
    def _shutdown(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                self._shutdown(sock)

    def connection(self, base: type) -> type:
        """``base`` (HTTPConnection or HTTPSConnection) whose sockets this deadline watches."""
        deadline = self

        class Bounded(base):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)

                def create(address, timeout=None, source_address=None, **options):
                    sock = socket.create_connection(address, deadline.remaining(), source_address, **options)
                    deadline.watch(sock)
                    return sock

                self._create_connection = create

        return Bounded


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline):
        super().__init__()
        self._connection = deadline.connection(http.client.HTTPConnection)

    def http_open(self, req):
        return self.do_open(self._connection, req)  # type: ignore[arg-type]  # a connection class


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline):
        super().__init__()
        self._connection = deadline.connection(http.client.HTTPSConnection)

    def https_open(self, req):
        return self.do_open(self._connection, req, context=getattr(self, "_context", None))  # type: ignore[arg-type]


def _opener(url: str, deadline: _Deadline):
    handlers = [_SameOriginRedirects(), _HTTPHandler(deadline), _HTTPSHandler(deadline)]
    if _is_loopback(_origin(url)[1]):
        handlers.append(urllib.request.ProxyHandler({}))  # a proxy from the environment never sees loopback
    return urllib.request.build_opener(*handlers)


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def request(
    url: str,
    body: bytes,
    content_type: str,
    *,
    accept: str,
    timeout: float,
    credentials: Credentials | None = None,
    said: float | None = None,
) -> tuple[str, bytes]:
    """POST ``body``; return (content type, answer), read in full before ``timeout`` seconds have passed.

    The deadline covers the whole exchange (connect, TLS, redirects, headers and body), not each read.
    ``said`` is the timeout to name in the message when ``timeout`` is what is left of it.
    """
    headers = {"Content-Type": content_type, "Accept": accept, "User-Agent": "genai-kg"}
    if credentials is not None:
        headers["Authorization"] = credentials.header()
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    with _Deadline(timeout) as deadline:
        try:
            return _exchange(url, request, deadline)
        except EndpointError:
            raise
        except Exception as exc:
            if deadline.expired or isinstance(exc, TimeoutError) or isinstance(
                getattr(exc, "reason", None), TimeoutError
            ):
                named = timeout if said is None else said
                raise EndpointError(f"{url}: no complete answer within {named:g} s", remedy=_LONGER) from None
            raise _failure(url, exc) from None


def _exchange(url: str, request, deadline: _Deadline) -> tuple[str, bytes]:
    with _opener(url, deadline).open(request, timeout=deadline.remaining()) as response:
        ctype = response.headers.get_content_type()
        length = response.headers.get("Content-Length")
        chunks, size = [], 0
        while True:
            if deadline.expired:
                raise TimeoutError
            chunk = response.read1(65536) if hasattr(response, "read1") else response.read(65536)
            if not chunk:
                break
            size += len(chunk)
            if size > MAX_ANSWER_BYTES:
                raise EndpointError(f"{url}: answer larger than {MAX_ANSWER_BYTES // 2**20} MB; refused")
            chunks.append(chunk)
        data = b"".join(chunks)
        if deadline.expired:
            raise TimeoutError
        if length and length.isdigit() and int(length) != len(data):
            raise EndpointError(f"{url}: truncated answer ({len(data)} of {length} bytes)")
        return ctype, data


def _failure(url: str, exc: Exception) -> EndpointError:
    """The one-line error for a failed exchange (other than a timeout)."""
    if isinstance(exc, urllib.error.HTTPError):
        try:
            detail = exc.read(2000).decode("utf-8", "replace")
        except Exception:  # noqa: BLE001 - the status line is enough
            detail = ""
        detail = f": {_one_line(detail)}" if detail.strip() else ""
        return EndpointError(f"{url}: HTTP {exc.code} {exc.reason}{detail}")
    if isinstance(exc, urllib.error.URLError):
        reason = exc.reason
        return EndpointError(f"{url}: cannot connect: {_one_line(str(getattr(reason, 'strerror', None) or reason))}")
    if isinstance(exc, http.client.IncompleteRead):
        return EndpointError(f"{url}: truncated answer ({len(exc.partial)} bytes, then the connection closed)")
    if isinstance(exc, (http.client.HTTPException, ConnectionError)):
        what = _one_line(str(exc)) or type(exc).__name__
        return EndpointError(f"{url}: connection failed before a complete answer ({what})")
    if isinstance(exc, OSError):
        return EndpointError(f"{url}: {_one_line(str(exc.strerror or exc))}")
    return EndpointError(f"{url}: {type(exc).__name__}: {_one_line(str(exc))}")


# -- answers ---------------------------------------------------------------------------------------------
# An answer is read where a local query is evaluated: in the guard's forked child, under what is left of
# the deadline and under the memory cap, its rows written as they are read (the row cap stops the reading).
def _malformed(url: str, what: str, data: bytes, exc: BaseException) -> EndpointError:
    return EndpointError(f"{url}: truncated or malformed {what} ({len(data)} bytes; {_one_line(str(exc), 80)})")


def _graph_stream(url: str, ctype: str, data: bytes) -> Stream:
    """A CONSTRUCT or DESCRIBE answer as a Stream: N-Triples and Turtle through Oxigraph's streaming parser,
    RDF/XML through the guard's bounded reader."""
    fmt = formats.from_media_type(ctype) if ctype else None
    if fmt not in _GRAPH_FORMATS:
        raise EndpointError(f"{url}: answered {ctype or 'no content type'}, not RDF")

    def pump(write) -> None:
        try:
            if fmt.oxigraph:
                import pyoxigraph as ox

                from ..stores.oxigraph import triple_pump

                triples = ox.parse(data, format=getattr(ox.RdfFormat, fmt.oxigraph), base_iri=url)
                triple_pump(triples)(write)
                return
            from rdflib import Graph

            graph = Graph()
            parse_answer(graph, data, fmt, url)
            batched_pump(map(encode_term, t) for t in graph)(write)
        except GenaiKgError as exc:  # a limit, or something the guard refused: say so, with the URL once
            said = str(exc)
            raise type(exc)(said if said.startswith(url) else f"{url}: {said}") from None
        except (SyntaxError, ValueError, UnicodeDecodeError) as exc:  # a bad or cut-off answer
            raise EndpointError(
                f"{url}: truncated or malformed {ctype} answer ({_one_line(str(exc), 120)})"
            ) from None

    return Stream("graph", ["subject", "predicate", "object"], pump=pump)


_SPACE = re.compile(r"[ \t\n\r]*")


class _JsonReader:
    """SPARQL JSON results read one binding at a time (``json``'s ``raw_decode``), so that rows are counted
    and written as they are read instead of after a whole document has become Python objects."""

    def __init__(self, url: str, data: bytes):
        self.url, self.data = url, data
        try:
            self.text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _malformed(url, "SPARQL JSON results", data, exc) from None
        self.decoder = json.JSONDecoder()
        self.at = 0

    def _skip(self) -> None:
        self.at = _SPACE.match(self.text, self.at).end()  # type: ignore[union-attr]  # matches the empty string

    def _expect(self, char: str) -> None:
        self._skip()
        if not self.text.startswith(char, self.at):
            found = self.text[self.at : self.at + 1] or "the end"
            reason = ValueError(f"expected {char!r}, found {found!r}")
            raise _malformed(self.url, "SPARQL JSON results", self.data, reason)
        self.at += 1

    def value(self):
        self._skip()
        try:
            found, self.at = self.decoder.raw_decode(self.text, self.at)
        except RecursionError:
            raise EndpointError(f"{self.url}: SPARQL JSON results {JSON_TOO_DEEP}") from None
        except ValueError as exc:
            raise _malformed(self.url, "SPARQL JSON results", self.data, exc) from None
        return found

    def members(self):
        """The keys of the object that starts here, each left for the caller to read its value."""
        self._expect("{")
        self._skip()
        if self.text.startswith("}", self.at):
            self.at += 1
            return
        while True:
            key = self.value()
            self._expect(":")
            yield key
            self._skip()
            if self.text.startswith(",", self.at):
                self.at += 1
                continue
            self._expect("}")
            return

    def items(self):
        """The values of the array that starts here, one at a time."""
        self._expect("[")
        self._skip()
        if self.text.startswith("]", self.at):
            self.at += 1
            return
        while True:
            yield self.value()
            self._skip()
            if self.text.startswith(",", self.at):
                self.at += 1
                continue
            self._expect("]")
            return


def _json_term(url: str, term) -> str:
    if not isinstance(term, dict) or not isinstance(term.get("value"), str):
        raise EndpointError(f"{url}: unreadable SPARQL JSON results (a term without a string value)")
    kind, value = term.get("type"), term["value"]
    if kind in ("uri", "bnode"):
        return ntriples(kind, value)
    if kind in ("literal", "typed-literal"):
        language, datatype = term.get("xml:lang"), term.get("datatype")
        return ntriples("literal", value, language if isinstance(language, str) else None,
                        datatype if isinstance(datatype, str) else None)
    raise EndpointError(f"{url}: unreadable SPARQL JSON results (a term of type {str(kind)[:40]!r})")


def _rows_stream(url: str, ctype: str, data: bytes) -> Stream:
    """A SELECT or ASK answer in SPARQL JSON as a Stream: the head first, then the bindings as they are read."""
    if ctype not in (_RESULTS_JSON, "application/json"):
        raise EndpointError(f"{url}: answered {ctype or 'no content type'}, not SPARQL JSON results")
    reader = _JsonReader(url, data)
    names: list[str] | None = None
    outer = reader.members()
    for key in outer:
        if key == "head":
            head = reader.value()
            found = head.get("vars", []) if isinstance(head, dict) else None
            if not isinstance(found, list) or not all(isinstance(n, str) for n in found):
                raise EndpointError(f"{url}: unreadable SPARQL JSON results (a head without a list of vars)")
            names = found
        elif key == "boolean":
            boolean = reader.value()
            if isinstance(boolean, bool):
                return Stream("ask", [], boolean=boolean)
        elif key == "results" and names is not None:
            return Stream("select", names, pump=_bindings_pump(url, reader, names, outer))
        elif key == "results":  # the rows before the head (rare): the whole document, under the memory cap
            doc = json.loads(reader.text)
            head, results = doc.get("head"), doc.get("results")
            names = head.get("vars") if isinstance(head, dict) else None
            rows = results.get("bindings") if isinstance(results, dict) else None
            if isinstance(names, list) and isinstance(rows, list):
                return Stream("select", names, pump=batched_pump(_row(url, names, b) for b in rows))
            break
        else:
            reader.value()
    raise EndpointError(f"{url}: SPARQL JSON results without 'boolean' or 'results.bindings'")


def _row(url: str, names: list[str], binding) -> list[str]:
    if not isinstance(binding, dict):
        raise EndpointError(f"{url}: unreadable SPARQL JSON results (a binding that is not an object)")
    return [_json_term(url, binding[n]) if n in binding else "" for n in names]


def _bindings_pump(url: str, reader: _JsonReader, names: list[str], outer):
    """Write the rows of ``results.bindings`` as they are read, then read the rest of the document (``outer``
    holds its remaining members), which must be well-formed too."""

    def pump(write) -> None:
        found = False
        for key in reader.members():
            if key == "bindings" and not found:
                found = True
                batched_pump(_row(url, names, b) for b in reader.items())(write)
            else:
                reader.value()
        if not found:
            raise EndpointError(f"{url}: SPARQL JSON results without 'boolean' or 'results.bindings'")
        for _key in outer:
            reader.value()
        reader._skip()
        if reader.at != len(reader.text):
            raise _malformed(url, "SPARQL JSON results", reader.data, ValueError("extra data after the document"))

    return pump


def read_answer(url: str, ctype: str, data: bytes, kind: str) -> Stream:
    """An endpoint's answer (its content type and bytes) as a Stream of rows, for the guard's sandbox."""
    return _graph_stream(url, ctype, data) if kind == "graph" else _rows_stream(url, ctype, data)


def check_graph_iri(iri: str, argument: str = "graph") -> str:
    """``iri`` if it is an absolute IRI; ParameterError naming ``argument`` else."""
    if not _ABSOLUTE_IRI.match(iri):
        raise ParameterError(f"{iri!r}: not an absolute IRI", argument=argument)
    return iri


#: The largest answer :func:`query_endpoint` hands to a ``bounded`` reader (a pool's worker) rather than a fork.
POOLED_ANSWER = 4 << 20


def query_endpoint(
    url: str,
    text: str,
    *,
    graph: str | None = None,
    timeout: float = 30.0,
    credentials: Credentials | None = None,
    said: float | None = None,
    bounded: Callable[..., Answer] | None = None,
) -> Answer:
    """Send SPARQL ``text`` (parameters already bound, prefixes declared) to a SPARQL 1.1 query endpoint.

    ``graph`` is the named graph to query (``default-graph-uri``). Returns the one answer form
    (:class:`~genai_kg.answer_form.Answer`): SELECT/ASK from the SPARQL JSON results format,
    CONSTRUCT/DESCRIBE from N-Triples (or Turtle, RDF/XML). ``timeout`` covers the whole exchange and the
    reading of the answer, which happens in the guard's sandbox (deadline, memory cap, row and literal
    caps). ``said`` is the timeout to name in messages when ``timeout`` is what is left of it. The caller
    checks the text before it is sent. ``bounded(evaluate, job, timeout=, where=, said=)`` reads the answer
    instead of a child forked for it (``serve``'s guarded workers: ``job`` is ``("read", url, content type,
    bytes, kind)``, which :func:`read_answer` takes); answers over :data:`POOLED_ANSWER` bytes are read in a
    child of their own all the same (a worker would get a copy through a pipe).
    """
    from ..guard.sandbox import run_bounded

    started = time.monotonic()
    check_url(url)
    form = query_form(text) or "SELECT"
    kind = kind_of(form)
    fields = [("query", text)]
    if graph:
        fields.append(("default-graph-uri", check_graph_iri(graph)))
    accept = _GRAPH_ACCEPT if kind == "graph" else f"{_RESULTS_JSON}, application/json;q=0.9"
    ctype, data = request(
        url,
        urllib.parse.urlencode(fields).encode("utf-8"),
        "application/x-www-form-urlencoded",
        accept=accept,
        timeout=timeout,
        credentials=credentials,
        said=said,
    )
    named = timeout if said is None else said
    left = timeout - (time.monotonic() - started)
    if left <= 0:
        raise EndpointError(f"{url}: no complete answer within {named:g} s", remedy=_LONGER)
    try:
        if bounded is not None and len(data) <= POOLED_ANSWER:
            answer = bounded(lambda: read_answer(url, ctype, data, kind), ("read", url, ctype, data, kind),
                             timeout=left, where=url, said=named)
        else:
            answer = run_bounded(lambda: read_answer(url, ctype, data, kind), timeout=left, where=url, said=named)
    except TimedOut:
        raise
    except GenaiKgError as exc:  # an answer our parsers or limits refuse: the endpoint answered unusably (exit 5)
        if isinstance(exc, EndpointError):
            raise
        refused: type[EndpointError] = EndpointLimitExceeded if isinstance(exc, LimitExceeded) else EndpointError
        raise refused(exc.reason, argument=exc.argument, path=exc.path, line=exc.line, remedy=exc.remedy) from None
    if answer.kind != kind:
        raise EndpointError(f"{url}: answered a {answer.kind} answer to a {form} query")
    answer.form = form
    return answer
