"""A hostile SPARQL endpoint on 127.0.0.1: slow, oversized, deeply nested or entity-laden answers.

Each case asserts the exit code, the one-line message, the time taken, that no file is left behind, that
the 127.0.0.1 listener was never contacted, and that no byte of a private file appears in any output
(helpers in tests/_hostile.py, fixtures in conftest.py).
"""

from __future__ import annotations

import contextlib
import http.server
import json
import threading
import time

import pytest
from _hostile import (
    RDF_NS,
    billion_laughs,
    cli,
    no_leak,
    refused,
)

from genai_kg.cliopts import EXIT_ENDPOINT


# -- the endpoint client ---------------------------------------------------------------------------------
class Endpoint:
    """A hostile SPARQL endpoint on 127.0.0.1: ``answer(handler)`` writes whatever it likes."""

    def __init__(self, answer):
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with contextlib.suppress(OSError):  # the client hung up: what the test wanted
                    answer(self)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def endpoint():
    servers = []

    def start(answer):
        servers.append(Endpoint(answer))
        return servers[-1].url

    yield start
    for server in servers:
        server.close()


def answer_with(body: bytes, ctype: str):
    def answer(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", ctype)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return answer


@pytest.mark.slow  # waits out a deadline
def test_an_endpoint_dripping_headers_is_held_to_the_whole_deadline(endpoint):
    """urllib's timeout is per read: a byte every second held --timeout 2 for as long as the server liked."""

    def drip(handler):
        handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
        for _ in range(60):
            handler.wfile.write(b"X")
            handler.wfile.flush()
            time.sleep(0.5)

    url = endpoint(drip)
    result = cli("query", "--sparql", "SELECT * WHERE { ?s ?p ?o }", "--endpoint", url, "--timeout", "2")
    refused(result, url, "no complete answer within 2 s", "--timeout", limit=6, code=EXIT_ENDPOINT)


@pytest.mark.slow  # waits out a deadline
def test_an_endpoint_dripping_its_body_is_held_too(endpoint):
    def drip(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "application/sparql-results+json")
        handler.end_headers()
        for _ in range(60):
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(0.5)

    url = endpoint(drip)
    result = cli("query", "--sparql", "SELECT * WHERE { ?s ?p ?o }", "--endpoint", url, "--timeout", "2")
    refused(result, "no complete answer within 2 s", limit=6, code=EXIT_ENDPOINT)


def test_an_rdfxml_entity_bomb_answering_construct(endpoint):
    url = endpoint(answer_with(billion_laughs().encode(), "application/rdf+xml"))
    result = cli("query", "--sparql", "CONSTRUCT WHERE { ?s ?p ?o }", "--endpoint", url, "--timeout", "10")
    refused(result, url, "entity bomb", limit=8, code=EXIT_ENDPOINT)


def test_an_rdfxml_answer_naming_a_private_file(work, endpoint):
    doc = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY x SYSTEM "{(work / "private.txt").as_uri()}"> ]>\n'
        f'<rdf:RDF {RDF_NS}><rdf:Description rdf:about="http://example.org/s"><ex:p>&x;</ex:p>'
        "</rdf:Description></rdf:RDF>\n"
    )
    url = endpoint(answer_with(doc.encode(), "application/rdf+xml"))
    result = cli("query", "--sparql", "CONSTRUCT WHERE { ?s ?p ?o }", "--endpoint", url)
    refused(result, "external entity", code=EXIT_ENDPOINT)
    no_leak(result)


@pytest.mark.parametrize("kind", ["json", "nt", "ttl", "xml"])
def test_the_literal_limit_applies_to_answers(endpoint, small_limits, kind):
    small_limits(max_literal=1000)
    big = "x" * 2000
    bodies = {
        "json": (json.dumps({"head": {"vars": ["o"]}, "results": {"bindings": [{"o": {"type": "literal",
                 "value": big}}]}}), "application/sparql-results+json"),
        "nt": (f'<http://e/s> <http://e/p> "{big}" .\n', "application/n-triples"),
        "ttl": (f'<http://e/s> <http://e/p> """{big}""" .\n', "text/turtle"),
        "xml": (f'<rdf:RDF {RDF_NS}><rdf:Description rdf:about="http://e/s"><ex:p>{big}</ex:p>'
                "</rdf:Description></rdf:RDF>", "application/rdf+xml"),
    }
    body, ctype = bodies[kind]
    url = endpoint(answer_with(body.encode(), ctype))
    sparql = "SELECT ?o WHERE { ?s ?p ?o }" if kind == "json" else "CONSTRUCT WHERE { ?s ?p ?o }"
    refused(cli("query", "--sparql", sparql, "--endpoint", url), url, "1,000 bytes", code=EXIT_ENDPOINT)


def test_the_row_limit_applies_to_answers(endpoint, small_limits):
    small_limits(max_rows=10)
    rows = [{"o": {"type": "literal", "value": str(i)}} for i in range(11)]
    body = json.dumps({"head": {"vars": ["o"]}, "results": {"bindings": rows}}).encode()
    url = endpoint(answer_with(body, "application/sparql-results+json"))
    result = cli("query", "--sparql", "SELECT ?o WHERE { ?s ?p ?o }", "--endpoint", url)
    refused(result, "more than 10", "LIMIT", code=EXIT_ENDPOINT)


def test_deeply_nested_json_from_an_endpoint_is_one_line(endpoint):
    body = b'{"head": {"vars": []}, "results": {"bindings": []}, "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    url = endpoint(answer_with(body, "application/sparql-results+json"))
    result = cli("query", "--sparql", "SELECT * WHERE { ?s ?p ?o }", "--endpoint", url)
    refused(result, url, "nested deeper", code=EXIT_ENDPOINT)


def test_an_installed_package_with_entry_points_does_not_break_endpoint_queries(endpoint, tmp_path):
    """rdflib's SPARQL parser reads every installed package's entry points when first imported; imported
    inside the guard (the second check before an endpoint), the audit hook refused the first entry_points.txt
    it met and every --endpoint query failed. A package with entry points is installed here on PYTHONPATH."""
    import os
    import subprocess
    import sys

    dist = tmp_path / "site" / "some_plugin-0.1.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: some-plugin\nVersion: 0.1\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text("[console_scripts]\nsome-plugin = some_plugin:main\n", encoding="utf-8")
    body = json.dumps({"head": {}, "boolean": True}).encode()
    url = endpoint(answer_with(body, "application/sparql-results+json"))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path / "site"), *sys.path]))
    done = subprocess.run([sys.executable, "-m", "genai_kg", "query", "--sparql", "ASK {}", "--endpoint", url],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "true"


# -- the same answers read by serve's guarded workers ---------------------------------------------------
#: (body, content type, query, what the refusal says) of answers our readers or limits refuse.
HOSTILE_ANSWERS = {
    "entity-bomb": (billion_laughs().encode(), "application/rdf+xml", "CONSTRUCT WHERE { ?s ?p ?o }", "entity bomb"),
    "rows": (json.dumps({"head": {"vars": ["o"]}, "results": {"bindings": [
        {"o": {"type": "literal", "value": str(i)}} for i in range(11)]}}).encode(),
        "application/sparql-results+json", "SELECT ?o WHERE { ?s ?p ?o }", "more than 10"),
    "nested": (b'{"head": {"vars": []}, "results": {"bindings": []}, "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
               "application/sparql-results+json", "SELECT * WHERE { ?s ?p ?o }", "nested deeper"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_ANSWERS))
def test_serves_workers_read_an_endpoints_answer_under_the_same_guard(endpoint, small_limits, monkeypatch, case):
    """``serve --endpoint`` reads each answer in one of its pre-forked guarded workers (not a child forked
    per answer, ~25 ms): the readers and limits refuse the same answers with the same errors there, and a
    worker that refused one answers the next query."""
    from genai_kg import guard, pipeline
    from genai_kg.errors import EndpointError
    from genai_kg.graph import load

    small_limits(max_rows=10)
    body, ctype, query, said = HOSTILE_ANSWERS[case]
    hostile = endpoint(answer_with(body, ctype))
    fine = endpoint(answer_with(json.dumps({"head": {}, "boolean": True}).encode(), "application/sparql-results+json"))
    kg = load(store="memory")
    pool = pipeline.query_pool(kg.graph, size=1)

    def no_fork(*args, **kwargs):
        raise AssertionError("a child forked for the answer")

    try:
        for module in (guard.sandbox, guard.pool, pipeline):  # the per-query child is now off limits
            monkeypatch.setattr(module, "run_bounded", no_fork)
        def ask(url: str, text: str):
            remote = pipeline.Remote(url, None, None)
            return pipeline.run_query(kg.graph, text, resolve=kg.resolve_term, remote=remote, pool=pool, timeout=20)

        for _ in range(2):
            with pytest.raises(EndpointError, match=said):
                ask(hostile, query)
        assert ask(fine, "ASK {}").boolean is True
    finally:
        pool.close()
