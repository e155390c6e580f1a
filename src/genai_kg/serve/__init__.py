"""``genai-kg serve``: the explorer and a read-only SPARQL 1.1 Protocol endpoint, on 127.0.0.1 by default.

A thin layer over the facade and the guard, built on Starlette and served by uvicorn (Python's own
``http.server`` says it is not for production):

- ``/`` the explorer page (:mod:`genai_kg.views.remote`), reading ``/sparql`` and ``/search`` of its own
  origin (its CSP allows ``'self'`` and nothing else);
- ``/sparql`` the SPARQL 1.1 Protocol, query operation only (GET ``?query=``, POST form or
  ``application/sparql-query``), every query through :func:`genai_kg.pipeline.run_query` as ``genai-kg
  query`` runs it (no SERVICE, LOAD or update; the timeout; the row and size caps), answered in the W3C
  format the ``Accept`` header asks for; updates are refused;
- ``/search?q=`` the search index (:mod:`.search`), or, in front of a remote endpoint, nothing (the page then
  searches through ``/sparql``).

Requests whose ``Host`` is not the one served are refused (DNS rebinding); no CORS header is sent. Each
query is evaluated in a worker thread and, by the guard, in one of a few pre-forked guarded workers
(:mod:`genai_kg.guard.pool`: forking a large store per query costs 45-100 ms), or in a child forked for it
when all are busy, so one slow query does not hold up a search or another click.
"""

from __future__ import annotations

import contextlib
import os
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from ..errors import EndpointError, GenaiKgError, LimitExceeded, MissingDependency, QueryError

if TYPE_CHECKING:  # pragma: no cover
    from ..endpoint import Credentials
    from ..graph import KnowledgeGraph

__all__ = ["create_app", "check_listen", "serve", "MEDIA_TYPES", "INSTALL_HINT"]

INSTALL_HINT = "pip install 'genai-kg[serve]'"

#: media type -> (answer format name for SELECT/ASK, for CONSTRUCT/DESCRIBE); None where it does not apply.
MEDIA_TYPES: dict[str, tuple[str | None, str | None]] = {
    "application/sparql-results+json": ("json", None),
    "application/json": ("json", "json-ld"),
    "application/sparql-results+xml": ("xml", None),
    "application/xml": ("xml", "xml"),
    "text/csv": ("csv", "csv"),
    "text/tab-separated-values": ("tsv", "tsv"),
    "text/turtle": (None, "ttl"),
    "application/n-triples": (None, "nt"),
    "application/ld+json": (None, "json-ld"),
    "application/rdf+xml": (None, "xml"),
}
#: What each format is sent as.
_SENT_AS = {
    ("rows", "json"): "application/sparql-results+json", ("rows", "xml"): "application/sparql-results+xml",
    ("rows", "csv"): "text/csv; charset=utf-8", ("rows", "tsv"): "text/tab-separated-values; charset=utf-8",
    ("graph", "ttl"): "text/turtle; charset=utf-8", ("graph", "nt"): "application/n-triples",
    ("graph", "json-ld"): "application/ld+json", ("graph", "xml"): "application/rdf+xml",
    ("graph", "csv"): "text/csv; charset=utf-8", ("graph", "tsv"): "text/tab-separated-values; charset=utf-8",
}
_DEFAULT = {"rows": "json", "graph": "ttl"}
#: Above this many triples the page's kinds and opening come from the bundled ontology alone.
PAGE_FROM_BUNDLED = 200_000
#: Longest query text accepted (a GET URL or a POST body).
MAX_QUERY_BYTES = 256 * 1024


def _accepted(header: str) -> list[tuple[float, str]]:
    """The media types of an ``Accept`` header by preference (q), most wanted first."""
    found = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        found.append((-q, i, fields[0].lower()))
    return [(-q, t) for q, _, t in sorted(found) if q < 0]


def negotiate(header: str | None, kind: str) -> str | None:
    """The answer format for an ``Accept`` header and an answer ``kind`` ("rows" or "graph"); None: 406."""
    if not header:
        return _DEFAULT[kind]
    for _, media in _accepted(header):
        if media in ("*/*", "application/*", "text/*"):
            return _DEFAULT[kind]
        pair = MEDIA_TYPES.get(media)
        if pair is not None:
            chosen = pair[0] if kind == "rows" else pair[1]
            if chosen is not None:
                return chosen
    return None


def create_app(
    kg: KnowledgeGraph, *, endpoint: str | None = None, graph: str | None = None,
    credentials: Credentials | None = None, timeout: float | None = None,
    hosts: tuple[str, ...] = ("127.0.0.1", "localhost"), index: Any = None, title: str = "genai-kg", workers: int = 3,
) -> Any:
    """The Starlette application serving ``kg`` (or, with ``endpoint``, that endpoint, ``kg`` resolving terms
    and giving the page its kinds and labels). ``hosts`` are the ``Host`` names accepted; ``index`` a
    :class:`.search.SearchIndex` answering ``/search``; ``workers`` the guarded query workers forked now
    (0: a child forked per query)."""
    try:
        from starlette.applications import Starlette
        from starlette.concurrency import run_in_threadpool
        from starlette.middleware import Middleware
        from starlette.middleware.trustedhost import TrustedHostMiddleware
        from starlette.responses import JSONResponse, PlainTextResponse, Response
        from starlette.routing import Route
    except ImportError as exc:  # pragma: no cover - the serve extra
        raise MissingDependency(f"serve needs Starlette and uvicorn: {INSTALL_HINT}") from exc

    from .. import pipeline
    from ..answers import QueryResult
    from ..catalog import parse_query_text
    from ..views.remote import remote_page

    # The page carries the kinds, labels and opening of the graph served; above PAGE_FROM_BUNDLED triples those
    # of the bundled ontology (drawing millions of triples to find an opening costs minutes and memory, and
    # memory makes every forked query slower).
    schema = kg.graph
    if endpoint or len(kg.graph) > PAGE_FROM_BUNDLED:
        from ..graph import load

        schema = load(store="memory").graph
    page = remote_page(schema, "/sparql", title=title, search="/search" if index is not None else None,
                       connect="'self'").encode("utf-8")
    del schema
    remote = pipeline.Remote(endpoint, graph, credentials) if endpoint else None
    pool = pipeline.query_pool(kg.graph, size=workers) if workers > 0 else None
    safe = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}

    def problem(status: int, text: str) -> Response:
        return PlainTextResponse(text + "\n", status_code=status, headers=safe)

    def run(text: str, accept: str | None) -> Response:
        named = parse_query_text(text, "<request>")
        result = QueryResult(pipeline.run_query(kg.graph, named, {}, resolve=kg.resolve_term, timeout=timeout,
                                                remote=remote, pool=pool), kg.graph)
        kind = "graph" if result.answer.kind == "graph" else "rows"
        fmt = negotiate(accept, kind)
        if fmt is None:
            return problem(406, f"not acceptable: {accept}; use one of {', '.join(sorted(MEDIA_TYPES))}")
        body = result.serialize(format=fmt, raw_cells=True)
        return Response(body, media_type=_SENT_AS[(kind, fmt)], headers=safe)

    async def sparql(request):
        params = request.query_params
        text = params.get("query")
        if request.method == "POST":
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            raw = await request.body()
            if len(raw) > MAX_QUERY_BYTES:
                return problem(413, f"query larger than {MAX_QUERY_BYTES:,} bytes")
            if ctype == "application/sparql-update":
                return problem(400, "read-only endpoint: SPARQL updates are refused")
            if ctype == "application/x-www-form-urlencoded":
                form = parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)
                if "update" in form:
                    return problem(400, "read-only endpoint: SPARQL updates are refused")
                text = (form.get("query") or [None])[0]
            elif ctype == "application/sparql-query":
                text = raw.decode("utf-8", "replace")
            else:
                return problem(415, "send the query as application/sparql-query or a form with query=")
        if "update" in params:
            return problem(400, "read-only endpoint: SPARQL updates are refused")
        if not text:
            return problem(400, "no query: give query= (GET or form POST) or a application/sparql-query body")
        if len(text.encode("utf-8")) > MAX_QUERY_BYTES:
            return problem(413, f"query larger than {MAX_QUERY_BYTES:,} bytes")
        try:
            return await run_in_threadpool(run, str(text), request.headers.get("accept"))
        except LimitExceeded as exc:
            return problem(503, str(exc))
        except EndpointError as exc:
            return problem(502, str(exc))
        except (QueryError, GenaiKgError) as exc:
            return problem(400, str(exc))

    def find(text: str) -> list[dict]:
        from rdflib import RDF, URIRef

        hits = index.search(text)
        return [{"iri": iri, "label": label,
                 "types": [str(t) for t in kg.graph.objects(URIRef(iri), RDF.type) if isinstance(t, URIRef)][:20]}
                for iri, label in hits]

    async def search(request):
        if index is None:
            return problem(404, "no search index: search through /sparql")
        text = request.query_params.get("q", "")[:200]
        return JSONResponse(await run_in_threadpool(find, text), headers=safe)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        try:
            yield
        finally:
            if pool is not None:
                pool.close()

    async def home(request):
        return Response(page, media_type="text/html; charset=utf-8", headers=safe)

    return Starlette(
        routes=[Route("/", home), Route("/sparql", sparql, methods=["GET", "POST"]), Route("/search", search)],
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=list(hosts))],
        lifespan=lifespan,
    )


def check_listen(host: str, port: int) -> None:
    """Refuse, in one line naming ``--host`` or ``--port``, a place this process cannot listen on, before
    anything is loaded: uvicorn reported it after the "serving" line, as an internal error. An empty host,
    which uvicorn takes as every interface of the machine, is refused too (give ``0.0.0.0`` to mean that)."""
    import errno
    import socket

    from ..errors import ParameterError

    if not host.strip():
        raise ParameterError("an empty host would listen on every interface; give an address", argument="host")
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (OSError, UnicodeError, ValueError) as exc:
        raise ParameterError(f"{host!r} is not an address to listen on ({exc})", argument="host") from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as exc:
            argument = "port" if exc.errno in (errno.EADDRINUSE, errno.EACCES) else "host"
            raise ParameterError(f"cannot listen on {host} port {port}: {exc.strerror or exc}",
                                 argument=argument) from None


def serve(app: Any, *, host: str = "127.0.0.1", port: int = 8000) -> None:  # pragma: no cover - runs until stopped
    """Serve ``app`` with uvicorn until interrupted."""
    try:
        import uvicorn
    except ImportError as exc:
        raise MissingDependency(f"serve needs Starlette and uvicorn: {INSTALL_HINT}") from exc
    uvicorn.run(app, host=host, port=port, log_level=os.environ.get("GENAI_KG_SERVE_LOG", "warning"),
                proxy_headers=False, server_header=False)
