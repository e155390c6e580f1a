"""Remote endpoints: a real Oxigraph server on loopback, push and query, and every way a request can fail."""

from __future__ import annotations

import contextlib
import http.server
import json
import threading
import time
import urllib.request

import pytest
from _answers import answers
from click.testing import CliRunner
from conftest import free_port

from genai_kg import load
from genai_kg.answer_form import parse_term
from genai_kg.catalog import list_queries
from genai_kg.cli import main
from genai_kg.endpoint import (
    DEFAULT_GRAPH,
    PASSWORD_ENV,
    USER_ENV,
    Credentials,
    credentials_from_env,
    push_graph,
    query_endpoint,
)
from genai_kg.errors import EndpointError, UnsafeInput

GRAPH = "https://example.org/test-graph"
EXTRA = """@prefix gkg: <https://w3id.org/genai-kg/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/mine/> .
ex:Tricky a gkg:LargeLanguageModel ; rdfs:label "tricky \\" } # model"@en ; gkg:developedBy ex:Me .
ex:Me a gkg:Organization ; rdfs:label "Me, Inc."@en .
"""
QUERIES = list_queries()


@pytest.fixture(scope="module")
def extra(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "extra.ttl"
    path.write_text(EXTRA, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def local(extra):
    return load([extra], store="memory")


@pytest.fixture(scope="module")
def server(tmp_path_factory, local, oxigraph_server):
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as (proc, query_url, update_url):
        report = push_graph(local.graph, query_url, update_url, graph_iri=GRAPH, batch_size=500)
        assert report.stored == len(local)
        yield query_url, update_url


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_every_named_query_answers_the_same_remotely(server, local, query):
    expected = answers(local.query(query.name), query.text)
    got = answers(local.query(query.name, endpoint=server[0], graph=GRAPH), query.text)
    assert got == expected


def test_parameters_are_bound_as_data_remotely(server, local):
    value = 'quote " brace } hash # newline \n end'
    result = local.query("SELECT ?x WHERE { BIND(?v AS ?x) }", {"v": value}, endpoint=server[0])
    assert [str(row[0]) for row in result] == [value]
    rows = local.query("makers", endpoint=server[0], graph=GRAPH)
    assert "Me, Inc." in {str(row[1]) for row in rows}


def test_push_twice_leaves_the_same_store_and_keeps_blank_nodes_whole(server, local):
    query_url, update_url = server
    axioms = """PREFIX owl: <http://www.w3.org/2002/07/owl#>
        SELECT (COUNT(DISTINCT ?ax) AS ?n) WHERE {
          ?ax a owl:Axiom ; owl:annotatedSource ?s ; owl:annotatedProperty ?p ; owl:annotatedTarget ?o }"""
    local_axioms = int(next(iter(local.query(axioms)))[0])
    counts = []
    for _ in range(2):
        report = push_graph(local.graph, query_url, update_url, graph_iri=GRAPH, batch_size=7)
        remote_axioms = int(parse_term(next(query_endpoint(query_url, axioms, graph=GRAPH).rows())[0])[1])
        counts.append((report.stored, remote_axioms))
    assert counts[0] == counts[1] == (len(local), local_axioms)


def test_the_guard_runs_before_anything_is_sent(local):
    with pytest.raises(UnsafeInput):
        local.query("SELECT * WHERE { SERVICE <http://e/> { ?s ?p ?o } }", endpoint="http://127.0.0.1:9/query")


def test_cli_queries_and_pushes(server, extra):
    query_url, update_url = server
    runner = CliRunner()
    pushed = runner.invoke(
        main, ["push", "--endpoint", query_url, "--update-endpoint", update_url, "--graph", GRAPH, "--data", str(extra)]
    )
    assert pushed.exit_code == 0, pushed.output
    result = runner.invoke(main, ["query", "makers", "--endpoint", query_url, "--graph", GRAPH, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "Me, Inc." in result.output


def test_a_server_killed_mid_way_is_a_clear_error(tmp_path, local, oxigraph_server):
    with oxigraph_server(tmp_path / "store") as (proc, query_url, update_url):
        push_graph(local.graph, query_url, update_url, graph_iri=GRAPH)
        assert list(local.query("makers", endpoint=query_url, graph=GRAPH))
        proc.kill()
        proc.wait(timeout=10)
        with pytest.raises(EndpointError, match=rf"^{query_url}: cannot connect: .*refused"):
            local.query("makers", endpoint=query_url, graph=GRAPH)
        result = CliRunner().invoke(main, ["query", "makers", "--endpoint", query_url])
        assert result.exit_code == 5  # an endpoint that failed: its own exit code, not "bad input"
        assert result.output.count("\n") == 1 and query_url in result.output


def test_push_and_query_with_defaults_meet_and_default_reads_the_endpoints_own(tmp_path, extra, oxigraph_server):
    with oxigraph_server(tmp_path / "store") as (proc, query_url, update_url):
        runner = CliRunner()
        pushed = runner.invoke(main, ["push", "--endpoint", query_url, "--update-endpoint", update_url])
        assert pushed.exit_code == 0, pushed.output
        assert f"in <{DEFAULT_GRAPH}>" in pushed.stderr
        read = runner.invoke(main, ["query", "makers", "--endpoint", query_url, "--format", "csv"])
        assert read.exit_code == 0 and "OpenAI" in read.stdout and read.stderr == ""
        own = runner.invoke(main, ["query", "makers", "--endpoint", query_url, "--graph", "default", "--format", "csv"])
        assert own.exit_code == 0 and "OpenAI" not in own.stdout
        assert own.stderr == (
            f"note: the default graph at {query_url} holds no triples; its named graphs with data include"
            f" <{DEFAULT_GRAPH}> (read one with --graph IRI)\n"
        )
        other = runner.invoke(main, ["query", "makers", "--endpoint", query_url, "--graph", GRAPH])
        assert f"<{GRAPH}> at {query_url} holds no triples" in other.stderr
        assert other.stderr.count("\n") == 1
        none = "SELECT * WHERE { ?s a <urn:none> }"
        nothing = runner.invoke(main, ["query", "--sparql", none, "--endpoint", query_url])
        assert nothing.exit_code == 0 and nothing.stderr == ""  # the graph holds data: the query found none


# -- a tiny misbehaving server ---------------------------------------------------------------------------
@contextlib.contextmanager
def tiny_server(respond):
    """A loopback HTTP server whose handler calls ``respond(handler)``; shut down when the block ends."""
    seen = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            seen.append((dict(self.headers), body))
            respond(self)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/query", seen
    finally:
        httpd.shutdown()
        httpd.server_close()


def _send(handler, status, body: bytes, ctype="application/sparql-results+json", headers=()):
    handler.send_response(status)
    handler.send_header("Content-Type", ctype)
    for name, value in headers:
        handler.send_header(name, value)
    if not any(name == "Content-Length" for name, _ in headers):
        handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


FULL = json.dumps(
    {"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "uri", "value": "https://e/a"}}] * 50}}
).encode()


def _error_from(respond, **options) -> tuple[str, str]:
    """The EndpointError message a query gets from a server answering with ``respond``, and its URL."""
    with tiny_server(respond) as (url, _), pytest.raises(EndpointError) as caught:
        query_endpoint(url, "SELECT ?s WHERE { ?s ?p ?o }", **options)
    return str(caught.value), url


def test_cut_off_json_with_status_200_is_an_error():
    message, url = _error_from(lambda h: _send(h, 200, FULL[: len(FULL) // 2]))
    assert message.startswith(f"{url}: truncated or malformed SPARQL JSON results")


def test_a_connection_closed_before_content_length_is_an_error():
    def respond(h):
        _send(h, 200, FULL[:100], headers=[("Content-Length", str(len(FULL)))])
        h.close_connection = True

    message, url = _error_from(respond)
    assert message.startswith(f"{url}: truncated")


def test_http_errors_and_html_answers_are_errors():
    message, url = _error_from(lambda h: _send(h, 500, b"Query evaluation failed\nat line 1", "text/plain"))
    assert message == f"{url}: HTTP 500 Internal Server Error: Query evaluation failed at line 1"
    message, url = _error_from(lambda h: _send(h, 200, b"<html>login</html>", "text/html"))
    assert message == f"{url}: answered text/html, not SPARQL JSON results"


def test_a_slow_endpoint_times_out():
    with tiny_server(lambda h: time.sleep(3)) as (url, _):
        started = time.monotonic()
        with pytest.raises(EndpointError, match=rf"^{url}: no .*answer within 0.5 s"):
            query_endpoint(url, "SELECT ?s WHERE { ?s ?p ?o }", timeout=0.5)
        assert time.monotonic() - started < 2.5


def test_a_redirect_to_another_host_is_refused():
    message, url = _error_from(lambda h: _send(h, 307, b"", headers=[("Location", "http://127.0.0.2:9/steal")]))
    assert message == f"{url}: redirected to http://127.0.0.2:9/steal (another host or scheme); refused"


def _redirecting(first: str, status: int, then: str, answer: bytes, ctype: str, seen: list):
    """A responder: POSTs to ``first`` get ``status`` to ``then``; POSTs there get ``answer``."""

    def respond(h):
        seen.append((h.path, h.command, h.headers.get("Content-Type")))
        if h.path == first:
            _send(h, status, b"", headers=[("Location", then)])
        else:
            _send(h, 200, answer, ctype)

    return respond


@pytest.mark.parametrize("status", [307, 308])
def test_a_same_origin_307_or_308_keeps_method_and_body(status):
    paths = []
    with tiny_server(_redirecting("/query", status, "/real", FULL, "application/sparql-results+json", paths)) as (
        url,
        seen,
    ):
        rows = list(query_endpoint(url, "SELECT ?s WHERE { ?s ?p ?o }").rows())
    assert len(rows) == 50
    assert [p[:2] for p in paths] == [("/query", "POST"), ("/real", "POST")]
    assert seen[0][1] == seen[1][1] and b"SELECT" in seen[1][1]


def test_push_follows_a_same_origin_redirect_for_updates(local):
    count = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "3"}}]}})
    paths = []
    respond = _redirecting("/update", 308, "/update/v2", count.encode(), "application/sparql-results+json", paths)
    with tiny_server(respond) as (url, seen):
        push_graph(local.graph, url, url.replace("/query", "/update"), graph_iri=GRAPH)
    updates = [(path, ctype) for path, method, ctype in paths if path.startswith("/update")]
    assert updates[:2] == [("/update", "application/sparql-update"), ("/update/v2", "application/sparql-update")]
    bodies = [body for headers, body in seen if headers.get("Content-Type") == "application/sparql-update"]
    assert bodies[0] == bodies[1] and bodies[0].startswith(b"DROP SILENT GRAPH")
    assert b"INSERT DATA" in bodies[2] and bodies[-1].startswith(b"MOVE")
    assert len(bodies) == 2 * len([path for path, _, _ in paths if path == "/update"])  # every one redirected


def test_a_redirect_that_would_drop_the_body_is_refused():
    message, url = _error_from(lambda h: _send(h, 302, b"", headers=[("Location", "/elsewhere")]))
    target = url.replace("/query", "/elsewhere")
    assert message == f"{url}: redirected with HTTP 302 (a POST would lose its body) to {target}"


def test_credentials_come_from_the_environment_and_stay_hidden(monkeypatch):
    monkeypatch.setenv(USER_ENV, "alice")
    monkeypatch.setenv(PASSWORD_ENV, "s3cret")
    creds = credentials_from_env()
    assert "s3cret" not in repr(creds)
    with tiny_server(lambda h: _send(h, 200, FULL)) as (url, seen):
        result = CliRunner().invoke(main, ["query", "--sparql", "SELECT ?s WHERE { ?s ?p ?o }", "--endpoint", url])
        assert result.exit_code == 0, result.output
    assert seen[0][0]["Authorization"] == Credentials("alice", "s3cret").header()
    assert urllib.request.Request  # the standard library does the HTTP


def test_a_dead_port_is_a_one_line_error():
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(EndpointError, match=rf"^{url}: cannot connect"):
        query_endpoint(url, "ASK {}", timeout=2)
