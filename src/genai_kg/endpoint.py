"""Remote SPARQL 1.1 endpoints: run a named query on one, and push the graph into one.

Only the standard library speaks HTTP here (``urllib.request``). Every request has a deadline, a redirect
to another scheme, host or port is refused, credentials come from the environment
(``GENAI_KG_ENDPOINT_USER`` / ``GENAI_KG_ENDPOINT_PASSWORD``) or a prompt, never from the command line, and
every failure (no connection, an HTTP error, a timeout, a cut-off or malformed answer) is one
:class:`~genai_kg.errors.EndpointError` line naming the URL.

Parameters are bound as a ``VALUES`` block written from rdflib terms (:func:`genai_kg.stores.bind_as_values`),
and the guard's query check runs on the query before anything is sent.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import ipaddress
import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from rdflib import BNode, Graph, URIRef

from .errors import EndpointError, ParameterError
from .guard import DEFAULT_TIMEOUT, querycheck
from .stores import bind_as_values, term_n3

__all__ = [
    "DEFAULT_PUSH_GRAPH",
    "USER_ENV",
    "PASSWORD_ENV",
    "Credentials",
    "credentials_from_env",
    "query_endpoint",
    "run_remote_query",
    "push_graph",
    "PushReport",
]

#: The named graph ``push`` replaces unless told another.
DEFAULT_PUSH_GRAPH = "https://w3id.org/genai-kg/graph"
USER_ENV = "GENAI_KG_ENDPOINT_USER"
PASSWORD_ENV = "GENAI_KG_ENDPOINT_PASSWORD"
#: Answers larger than this are refused rather than read into memory.
MAX_ANSWER_BYTES = 512 * 1024 * 1024
_RESULTS_JSON = "application/sparql-results+json"
_GRAPH_TYPES = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_PARSERS_BY_TYPE = {
    "application/n-triples": "nt",
    "text/plain": "nt",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/rdf+xml": "xml",
}


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


def _check_url(url: str, what: str = "--endpoint") -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(f"{what} {url}: not an http(s) URL")
    return url


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to the same scheme, host and port; anything else is an error."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        target = urllib.parse.urljoin(req.full_url, newurl)
        if _origin(target) != _origin(req.full_url):
            raise EndpointError(f"{req.full_url}: redirected to {target} (another host or scheme); refused")
        return super().redirect_request(req, fp, code, msg, headers, target)


def _opener(url: str):
    handlers = [_SameOriginRedirects()]
    if _is_loopback(_origin(url)[1]):
        handlers.append(urllib.request.ProxyHandler({}))  # a proxy from the environment never sees loopback
    return urllib.request.build_opener(*handlers)


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _request(
    url: str,
    body: bytes,
    content_type: str,
    *,
    accept: str,
    timeout: float,
    credentials: Credentials | None = None,
) -> tuple[str, bytes]:
    """POST ``body``; return (content type, answer), read in full before ``timeout`` seconds have passed."""
    headers = {"Content-Type": content_type, "Accept": accept, "User-Agent": "genai-kg"}
    if credentials is not None:
        headers["Authorization"] = credentials.header()
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    deadline = time.monotonic() + timeout
    try:
        with _opener(url).open(request, timeout=timeout) as response:
            ctype = response.headers.get_content_type()
            length = response.headers.get("Content-Length")
            chunks, size = [], 0
            while True:
                if time.monotonic() > deadline:
                    raise TimeoutError
                chunk = response.read1(65536) if hasattr(response, "read1") else response.read(65536)
                if not chunk:
                    break
                size += len(chunk)
                if size > MAX_ANSWER_BYTES:
                    raise EndpointError(f"{url}: answer larger than {MAX_ANSWER_BYTES // 2**20} MB; refused")
                chunks.append(chunk)
            data = b"".join(chunks)
            if length and length.isdigit() and int(length) != len(data):
                raise EndpointError(f"{url}: truncated answer ({len(data)} of {length} bytes)")
            return ctype, data
    except EndpointError:
        raise
    except urllib.error.HTTPError as exc:
        try:
            detail = exc.read(2000).decode("utf-8", "replace")
        except Exception:  # noqa: BLE001 - the status line is enough
            detail = ""
        detail = f": {_one_line(detail)}" if detail.strip() else ""
        raise EndpointError(f"{url}: HTTP {exc.code} {exc.reason}{detail}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise EndpointError(f"{url}: no answer within {timeout:g} s (raise it with --timeout)") from None
        why = _one_line(str(getattr(reason, "strerror", None) or reason))
        raise EndpointError(f"{url}: cannot connect: {why}") from None
    except TimeoutError:
        raise EndpointError(f"{url}: no complete answer within {timeout:g} s (raise it with --timeout)") from None
    except http.client.IncompleteRead as exc:
        raise EndpointError(f"{url}: truncated answer ({len(exc.partial)} bytes, then the connection closed)") from None
    except (http.client.HTTPException, ConnectionError) as exc:
        what = _one_line(str(exc)) or type(exc).__name__
        raise EndpointError(f"{url}: connection failed before a complete answer ({what})") from None
    except OSError as exc:
        raise EndpointError(f"{url}: {_one_line(str(exc.strerror or exc))}") from None


# -- queries ---------------------------------------------------------------------------------------------
_DECLARED = re.compile(r"(?im)^\s*PREFIX\s+([A-Za-z][\w.-]*)?:")


def _with_prefixes(text: str, namespaces: Mapping[str, str] | None) -> str:
    """Declare the graph's prefixes the query uses without declaring (the endpoint knows none of ours)."""
    if not namespaces:
        return text
    declared = {m[1] or "" for m in _DECLARED.finditer(text)}
    lines = []
    for prefix, ns in sorted(namespaces.items()):
        if prefix and prefix not in declared and re.search(rf"(?<![\w.-]){re.escape(prefix)}:", text):
            lines.append(f"PREFIX {prefix}: {term_n3(URIRef(str(ns)))}")
    return "\n".join([*lines, text]) if lines else text


def _results(url: str, ctype: str, data: bytes, form: str):
    from rdflib.query import Result

    if form in ("CONSTRUCT", "DESCRIBE"):
        fmt = _PARSERS_BY_TYPE.get(ctype)
        if fmt is None:
            raise EndpointError(f"{url}: answered {ctype or 'no content type'}, not RDF")
        graph = Graph()
        try:
            graph.parse(data=data, format=fmt)
        except Exception as exc:  # noqa: BLE001 - any parser failure means a bad or cut-off answer
            raise EndpointError(f"{url}: truncated or malformed {ctype} answer ({_one_line(str(exc), 120)})") from None
        out = Result("CONSTRUCT")
        out.graph = graph
        return out
    if ctype not in (_RESULTS_JSON, "application/json"):
        raise EndpointError(f"{url}: answered {ctype or 'no content type'}, not SPARQL JSON results")
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise EndpointError(
            f"{url}: truncated or malformed SPARQL JSON results ({len(data)} bytes; {_one_line(str(exc), 80)})"
        ) from None
    ok = isinstance(doc, dict) and (
        isinstance(doc.get("boolean"), bool)
        or (isinstance(doc.get("results"), dict) and isinstance(doc["results"].get("bindings"), list))
    )
    if not ok:
        raise EndpointError(f"{url}: SPARQL JSON results without 'boolean' or 'results.bindings'")
    from rdflib.plugins.sparql.results.jsonresults import JSONResult

    try:
        return JSONResult(doc)
    except Exception as exc:  # noqa: BLE001 - a term rdflib cannot read
        raise EndpointError(f"{url}: unreadable SPARQL JSON results ({_one_line(str(exc), 120)})") from None


def query_endpoint(
    url: str,
    text: str,
    bindings: Mapping | None = None,
    *,
    form: str = "SELECT",
    namespaces: Mapping[str, str] | None = None,
    default_graph: str | None = None,
    timeout: float = 30.0,
    credentials: Credentials | None = None,
):
    """Send ``text`` (with ``bindings`` as a VALUES block) to a SPARQL 1.1 query endpoint.

    Returns an rdflib ``Result``: SELECT/ASK from the SPARQL JSON results format, CONSTRUCT/DESCRIBE from
    N-Triples (or Turtle, RDF/XML). The caller runs the guard's check first (:func:`run_remote_query` does).
    """
    _check_url(url)
    sparql = _with_prefixes(bind_as_values(text, bindings or {}), namespaces)
    fields = [("query", sparql)]
    if default_graph:
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", default_graph):
            raise ParameterError(f"--graph {default_graph!r}: not an absolute IRI")
        fields.append(("default-graph-uri", default_graph))
    accept = _GRAPH_TYPES if form in ("CONSTRUCT", "DESCRIBE") else f"{_RESULTS_JSON}, application/json;q=0.9"
    ctype, data = _request(
        url,
        urllib.parse.urlencode(fields).encode("utf-8"),
        "application/x-www-form-urlencoded",
        accept=accept,
        timeout=timeout,
        credentials=credentials,
    )
    return _results(url, ctype, data, form)


def run_remote_query(
    kg,
    url: str,
    query: str,
    params: Mapping[str, str] | None = None,
    *,
    default_graph: str | None = None,
    timeout: float | None = None,
    allow_remote: bool = False,
    credentials: Credentials | None = None,
):
    """Look up, bind and check a query like :func:`genai_kg.catalog.run_query`, then run it on ``url``.

    ``kg`` (the bundled graph and the user's files) resolves parameters given as labels or CURIEs and
    supplies the prefixes; the triples queried are the endpoint's.
    """
    from .catalog import NamedQuery, _as_query, bind_params, prepare

    named = query if isinstance(query, NamedQuery) else _as_query(query)
    bindings = bind_params(kg, named, params or {})
    prepared = prepare(kg, named)
    where = str(named.path or named.name)
    querycheck.check_algebra(prepared, where=where, allow_remote=allow_remote)
    querycheck.check_query_text(named.text, where=where, allow_remote=allow_remote)
    form = {"AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}.get(
        getattr(prepared.algebra, "name", ""), "SELECT"
    )
    namespaces = {p: str(ns) for p, ns in kg.graph.namespace_manager.namespaces()}
    if bindings:  # what is sent must still parse, and still pass the guard
        from rdflib.plugins.sparql import prepareQuery

        bound = bind_as_values(named.text, bindings)
        querycheck.check_algebra(prepareQuery(bound, initNs=namespaces), where=where, allow_remote=allow_remote)
        querycheck.check_query_text(bound, where=where, allow_remote=allow_remote)
    limit = DEFAULT_TIMEOUT if timeout is None else timeout
    return query_endpoint(
        url,
        named.text,
        bindings,
        form=form,
        namespaces=namespaces,
        default_graph=default_graph,
        timeout=limit,
        credentials=credentials,
    )


# -- push ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PushReport:
    """What a push did: triples sent, requests made, and the count the store reports for the graph."""

    graph: str
    sent: int
    batches: int
    stored: int | None


def _components(graph: Graph) -> Iterator[list]:
    """The graph's triples in groups that keep every blank node's triples (and linked blank nodes) together.

    A blank node in ``INSERT DATA`` is new in each request, so an axiom annotation or an OWL list split
    across two requests would become two unrelated nodes.
    """
    parent: dict[BNode, BNode] = {}

    def find(node):
        root = node
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[node] != root:
            parent[node], node = root, parent[node]
        return root

    ground, grouped = [], {}
    triples = list(graph)
    for s, _, o in triples:
        if isinstance(s, BNode) and isinstance(o, BNode):
            a, b = find(s), find(o)
            if a != b:
                parent[a] = b
    for triple in triples:
        s, _, o = triple
        node = s if isinstance(s, BNode) else o if isinstance(o, BNode) else None
        if node is None:
            ground.append(triple)
        else:
            grouped.setdefault(find(node), []).append(triple)
    for triple in ground:
        yield [triple]
    yield from grouped.values()


def _batches(graph: Graph, size: int) -> Iterator[list]:
    batch: list = []
    for group in _components(graph):
        if batch and len(batch) + len(group) > size:
            yield batch
            batch = []
        batch.extend(group)
    if batch:
        yield batch


def _insert_data(graph_iri: str, triples: Iterable) -> str:
    labels: dict[BNode, str] = {}

    def n3(term) -> str:
        if isinstance(term, BNode):
            return labels.setdefault(term, f"_:b{len(labels)}")
        return term_n3(term)

    lines = [f"  {n3(s)} {n3(p)} {n3(o)} ." for s, p, o in triples]
    return f"INSERT DATA {{ GRAPH <{graph_iri}> {{\n" + "\n".join(lines) + "\n} }"


def push_graph(
    graph: Graph,
    url: str,
    update_url: str,
    *,
    graph_iri: str = DEFAULT_PUSH_GRAPH,
    batch_size: int = 5000,
    timeout: float = 30.0,
    credentials: Credentials | None = None,
) -> PushReport:
    """Replace the named graph ``graph_iri`` at a SPARQL 1.1 store with ``graph``, in batches.

    The triples go into a staging graph first (``INSERT DATA`` requests of at most ``batch_size`` triples,
    blank nodes never split), then ``MOVE`` puts them in place at once: running it twice leaves the same
    store, and a push that fails half-way leaves the target graph as it was.
    """
    _check_url(url)
    _check_url(update_url, "--update-endpoint")
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\x00-\x20]+$", graph_iri):
        raise ParameterError(f"--graph {graph_iri!r}: not an absolute IRI")
    if batch_size < 1:
        raise ParameterError("--batch-size must be at least 1")
    staging = f"urn:genai-kg:staging:{hashlib.sha256(graph_iri.encode()).hexdigest()[:32]}"

    def update(text: str) -> None:
        _request(
            update_url,
            text.encode("utf-8"),
            "application/sparql-update",
            accept="*/*",
            timeout=timeout,
            credentials=credentials,
        )

    update(f"DROP SILENT GRAPH <{staging}>")
    sent = batches = 0
    for batch in _batches(graph, batch_size):
        update(_insert_data(staging, batch))
        sent += len(batch)
        batches += 1
    if sent:
        update(f"MOVE SILENT GRAPH <{staging}> TO GRAPH <{graph_iri}>")
    else:
        update(f"DROP SILENT GRAPH <{graph_iri}>")
    count = query_endpoint(
        url,
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}",
        timeout=timeout,
        credentials=credentials,
    )
    rows = list(count)
    stored = int(rows[0][0]) if rows and rows[0][0] is not None else None
    return PushReport(graph_iri, sent, batches, stored)
