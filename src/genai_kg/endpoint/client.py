"""The SPARQL 1.1 protocol client: URL checks, same-origin redirects, credentials, one request with its
deadline, and answers read by their media type.

Only the standard library speaks HTTP here (``urllib.request``). Every request has a deadline, a redirect
to another scheme, host or port is refused, credentials come from the environment
(``GENAI_KG_ENDPOINT_USER`` / ``GENAI_KG_ENDPOINT_PASSWORD``) or a prompt, never from the command line, and
every failure (no connection, an HTTP error, a timeout, a cut-off or malformed answer) is one
:class:`~genai_kg.errors.EndpointError` line naming the URL.
"""

from __future__ import annotations

import base64
import http.client
import ipaddress
import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass

from rdflib import Graph
from rdflib.query import Result

from .. import formats
from ..errors import EndpointError, ParameterError
from ..sparql import query_form

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
    """``url`` if it is an http(s) URL with a host; EndpointError naming ``argument`` else."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(f"{url}: not an http(s) URL", argument=argument)
    return url


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
            raise EndpointError(f"{req.full_url}: redirected to {target} (another host or scheme); refused")
        if req.get_method() == "POST" and code not in (307, 308):
            raise EndpointError(f"{req.full_url}: redirected with HTTP {code} (a POST would lose its body) to {target}")
        if code in (307, 308):
            return urllib.request.Request(
                target, data=req.data, headers=dict(req.headers), method=req.get_method(), unverifiable=True
            )
        return super().redirect_request(req, fp, code, msg, headers, target)


def _opener(url: str):
    handlers = [_SameOriginRedirects()]
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
            raise EndpointError(f"{url}: no answer within {timeout:g} s", remedy=_LONGER) from None
        why = _one_line(str(getattr(reason, "strerror", None) or reason))
        raise EndpointError(f"{url}: cannot connect: {why}") from None
    except TimeoutError:
        raise EndpointError(f"{url}: no complete answer within {timeout:g} s", remedy=_LONGER) from None
    except http.client.IncompleteRead as exc:
        raise EndpointError(f"{url}: truncated answer ({len(exc.partial)} bytes, then the connection closed)") from None
    except (http.client.HTTPException, ConnectionError) as exc:
        what = _one_line(str(exc)) or type(exc).__name__
        raise EndpointError(f"{url}: connection failed before a complete answer ({what})") from None
    except OSError as exc:
        raise EndpointError(f"{url}: {_one_line(str(exc.strerror or exc))}") from None


# -- answers ---------------------------------------------------------------------------------------------
def _graph_result(url: str, ctype: str, data: bytes) -> Result:
    fmt = formats.from_media_type(ctype) if ctype else None
    if fmt not in _GRAPH_FORMATS:
        raise EndpointError(f"{url}: answered {ctype or 'no content type'}, not RDF")
    graph = Graph()
    try:
        graph.parse(data=data, format=fmt.name)
    except Exception as exc:  # noqa: BLE001 - any parser failure means a bad or cut-off answer
        raise EndpointError(f"{url}: truncated or malformed {ctype} answer ({_one_line(str(exc), 120)})") from None
    out = Result("CONSTRUCT")
    out.graph = graph
    return out


def _results(url: str, ctype: str, data: bytes, form: str) -> Result:
    if form in ("CONSTRUCT", "DESCRIBE"):
        return _graph_result(url, ctype, data)
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


def check_graph_iri(iri: str, argument: str = "graph") -> str:
    """``iri`` if it is an absolute IRI; ParameterError naming ``argument`` else."""
    if not _ABSOLUTE_IRI.match(iri):
        raise ParameterError(f"{iri!r}: not an absolute IRI", argument=argument)
    return iri


def query_endpoint(
    url: str,
    text: str,
    *,
    graph: str | None = None,
    timeout: float = 30.0,
    credentials: Credentials | None = None,
) -> Result:
    """Send SPARQL ``text`` (parameters already bound, prefixes declared) to a SPARQL 1.1 query endpoint.

    ``graph`` is the named graph to query (``default-graph-uri``). Returns an rdflib ``Result``: SELECT/ASK
    from the SPARQL JSON results format, CONSTRUCT/DESCRIBE from N-Triples (or Turtle, RDF/XML). The caller
    checks the text before it is sent.
    """
    check_url(url)
    form = query_form(text) or "SELECT"
    fields = [("query", text)]
    if graph:
        fields.append(("default-graph-uri", check_graph_iri(graph)))
    accept = _GRAPH_ACCEPT if form in ("CONSTRUCT", "DESCRIBE") else f"{_RESULTS_JSON}, application/json;q=0.9"
    ctype, data = request(
        url,
        urllib.parse.urlencode(fields).encode("utf-8"),
        "application/x-www-form-urlencoded",
        accept=accept,
        timeout=timeout,
        credentials=credentials,
    )
    return _results(url, ctype, data, form)
