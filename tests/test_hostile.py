"""Hostile input through the command line: files, queries and parameters written by someone else.

Each case asserts the exit code, the one-line message, the time taken, that no file is left behind, that
the 127.0.0.1 listener the test opened was never contacted, and that no byte of a private file appears in
any output. Most run ``python -m genai_kg`` in a subprocess, as a user's shell would; the limit cases that
need smaller limits run in-process through CliRunner with ``guard.limits.LIMITS`` replaced.
"""

from __future__ import annotations

import contextlib
import dataclasses
import http.server
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

import genai_kg
from genai_kg import guard
from genai_kg.cli import main
from genai_kg.errors import GenaiKgError, UnsafeInput

STORES = ["memory", "oxigraph"]
SECRET_TOKEN = "PRIVATE-7f3a9c-do-not-leak"
#: Start-up of ``python -m genai_kg`` with the bundled graph is ~1-2 s; a refused input adds little to it.
QUICK = 20.0

#: The package under test, for the commands run in a subprocess from another folder.
SOURCE = os.pathsep.join([str(Path(genai_kg.__file__).parents[1]), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
RDF_NS = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/"'


# -- fixtures --------------------------------------------------------------------------------------------
@dataclasses.dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float

    @property
    def text(self) -> str:
        return self.out + self.err


def run(*args: str, cwd: Path, timeout: float = 60, env: dict | None = None) -> Run:
    """``python -m genai_kg ARGS`` in ``cwd``; bounded in time."""
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "genai_kg", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONWARNINGS": "ignore", "PYTHONPATH": SOURCE, **(env or {})},
    )
    return Run(proc.returncode, proc.stdout, proc.stderr, time.monotonic() - start)


def refused(result: Run, *fragments: str, limit: float = QUICK) -> None:
    """Exit 2, one ``Error:`` line holding each fragment, no traceback, within ``limit`` seconds."""
    assert result.code == 2, result.text
    assert "Traceback" not in result.text
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert result.seconds < limit, f"took {result.seconds:.1f} s"


class Listener:
    """An HTTP server on 127.0.0.1 that records every request; GET /ctx.jsonld answers a JSON-LD context."""

    def __init__(self):
        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self):
                hits.append(f"{self.command} {self.path}")
                if self.path.endswith("ctx.jsonld"):
                    body = json.dumps({"@context": {"name": "http://example.org/name"}}).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/ld+json")
                else:
                    body = b"no"
                    self.send_response(400)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.timeout = 1
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


@pytest.fixture
def work(tmp_path):
    """A working folder holding a private file; asserts at the end that nothing new was left in it."""
    secret = tmp_path / "private.txt"
    secret.write_text(f"{SECRET_TOKEN}\n", encoding="utf-8")
    secret.chmod(0o600)
    return tmp_path


def no_leak(result: Run) -> None:
    assert SECRET_TOKEN not in result.text


def leftovers(folder: Path, *expected: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in {"private.txt", *expected})


# -- RDF/XML: entities -----------------------------------------------------------------------------------
def billion_laughs(levels: int = 9, reverse: bool = False) -> str:
    decls = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, levels + 1)
    ]
    if reverse:  # declared top-down, so that sizes are only known at the end of the DTD
        decls.reverse()
    body = f'<rdf:Description rdf:about="http://example.org/s"><ex:p>&l{levels};</ex:p></rdf:Description>'
    dtd = "\n".join(decls)
    return f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n{dtd}\n]>\n<rdf:RDF {RDF_NS}>{body}</rdf:RDF>\n'


@pytest.mark.parametrize("store", STORES)
def test_billion_laughs_is_refused_quickly(work, store):
    (work / "lol.rdf").write_text(billion_laughs(), encoding="utf-8")
    result = run("stats", "--data", "lol.rdf", "--store", store, cwd=work)
    refused(result, "lol.rdf", "line", "entity bomb")
    assert leftovers(work, "lol.rdf") == []


def test_entity_bomb_declared_top_down_is_refused(work):
    (work / "lol.rdf").write_text(billion_laughs(reverse=True), encoding="utf-8")
    refused(run("stats", "--data", "lol.rdf", cwd=work), "lol.rdf", "entity bomb")


def test_the_470_byte_bomb_that_cost_minutes(work):
    """Five levels of ten (560 KB): rdflib's own parser took 0.6 s, six levels 86 s; refused at once here."""
    (work / "small.rdf").write_text(billion_laughs(levels=6), encoding="utf-8")
    result = run("stats", "--data", "small.rdf", cwd=work)
    refused(result, "entity bomb")


def test_external_entity_pointing_at_a_private_file(work):
    doc = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY x SYSTEM "{(work / "private.txt").as_uri()}"> ]>\n'
        f'<rdf:RDF {RDF_NS}><rdf:Description rdf:about="http://example.org/s"><ex:p>&x;</ex:p>'
        "</rdf:Description></rdf:RDF>\n"
    )
    (work / "xxe.rdf").write_text(doc, encoding="utf-8")
    for command in (["stats"], ["export", "--format", "nt"], ["query", "--sparql", "SELECT ?o WHERE { ?s ?p ?o }"]):
        result = run(*command, "--data", "xxe.rdf", cwd=work)
        refused(result, "xxe.rdf", "line 2", "external entity 'x'")
        no_leak(result)


def test_external_entity_pointing_at_the_network(work, listener):
    doc = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY x PUBLIC "-//x" "{listener.url}/x.xml"> ]>\n'
        f'<rdf:RDF {RDF_NS}><rdf:Description rdf:about="http://example.org/s"><ex:p>&x;</ex:p>'
        "</rdf:Description></rdf:RDF>\n"
    )
    (work / "xxe.rdf").write_text(doc, encoding="utf-8")
    refused(run("stats", "--data", "xxe.rdf", "--allow-remote", cwd=work), "external entity")
    assert listener.hits == []


def test_parameter_entities_are_refused(work):
    doc = (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY % p "x"> ]>\n'
        f'<rdf:RDF {RDF_NS}></rdf:RDF>\n'
    )
    (work / "pe.rdf").write_text(doc, encoding="utf-8")
    refused(run("stats", "--data", "pe.rdf", cwd=work), "parameter entity")


def test_owl_style_internal_entities_still_work(work):
    doc = (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n <!ENTITY xsd "http://www.w3.org/2001/XMLSchema#">\n'
        ' <!ENTITY ex "http://example.org/">\n]>\n'
        f'<rdf:RDF {RDF_NS}><rdf:Description rdf:about="&ex;thing">'
        '<ex:size rdf:datatype="&xsd;integer">42</ex:size><ex:note>two\nlines &amp; more</ex:note>'
        "</rdf:Description></rdf:RDF>\n"
    )
    (work / "owl.rdf").write_text(doc, encoding="utf-8")
    result = run(
        "query", "--data", "owl.rdf", "--format", "csv",
        "--sparql", "SELECT ?n WHERE { <http://example.org/thing> <http://example.org/size> ?n }", cwd=work,
    )
    assert result.code == 0, result.err
    assert result.out.splitlines() == ["n", "42"]


def test_a_long_multi_line_xml_text_is_linear(work):
    """rdflib's handler copies the whole string per text chunk; the guard hands it each text node whole."""
    text = ("y" * 79 + "\n") * 50_000  # 4 MB in 50,000 lines
    doc = (f'<rdf:RDF {RDF_NS}><rdf:Description rdf:about="http://example.org/s"><ex:p>{text}</ex:p>'
           "</rdf:Description></rdf:RDF>\n")
    (work / "long.rdf").write_text(doc, encoding="utf-8")
    result = run("stats", "--data", "long.rdf", cwd=work)
    assert result.code == 0, result.err
    assert result.seconds < QUICK


# -- JSON-LD contexts ------------------------------------------------------------------------------------
@pytest.mark.parametrize("store", STORES)
def test_remote_jsonld_context_is_refused(work, listener, store):
    doc = {"@context": f"{listener.url}/ctx.jsonld", "@id": "http://example.org/s", "name": "x"}
    (work / "remote.jsonld").write_text(json.dumps(doc), encoding="utf-8")
    result = run("stats", "--data", "remote.jsonld", "--store", store, cwd=work)
    refused(result, "remote.jsonld", "@context", "would be fetched", "--allow-remote")
    assert listener.hits == []


def test_remote_jsonld_context_is_fetched_with_allow_remote(work, listener):
    doc = {"@context": f"{listener.url}/ctx.jsonld", "@id": "http://example.org/s", "name": "x"}
    (work / "remote.jsonld").write_text(json.dumps(doc), encoding="utf-8")
    result = run(
        "query", "--data", "remote.jsonld", "--allow-remote", "--format", "csv",
        "--sparql", "SELECT ?o WHERE { <http://example.org/s> <http://example.org/name> ?o }", cwd=work,
    )
    assert result.code == 0, result.err
    assert result.out.splitlines() == ["o", "x"]
    assert listener.hits == ["GET /ctx.jsonld"]


@pytest.mark.parametrize("allow", [False, True])
def test_jsonld_context_naming_a_local_file(work, allow):
    """Even with --allow-remote (network only), a context path to a private file is never read."""
    doc = {"@context": "private.txt", "@id": "http://example.org/s", "name": "x"}
    (work / "local.jsonld").write_text(json.dumps(doc), encoding="utf-8")
    result = run("stats", "--data", "local.jsonld", *(["--allow-remote"] if allow else []), cwd=work)
    refused(result, "local.jsonld", "private.txt", "only the files you name" if allow else "would be fetched")
    no_leak(result)


def test_jsonld_import_inside_a_context_is_refused(work, listener):
    doc = {"@context": {"@version": 1.1, "@import": f"{listener.url}/ctx.jsonld"}, "@id": "http://example.org/s"}
    (work / "imp.jsonld").write_text(json.dumps(doc), encoding="utf-8")
    refused(run("stats", "--data", "imp.jsonld", cwd=work), "@import")
    assert listener.hits == []


# -- queries that would fetch ----------------------------------------------------------------------------
FETCHING_QUERIES = {
    "service": ("SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}", "SERVICE"),
    "service-variable": ("SELECT * WHERE {{ VALUES ?e {{ <{url}/sparql> }} SERVICE ?e {{ ?s ?p ?o }} }}", "SERVICE"),
    "service-silent": ("SELECT * WHERE {{ SERVICE SILENT <{url}/s> {{ ?s ?p ?o }} }}", "SERVICE"),
    "service-escaped": ("SELECT * WHERE {{ \\u0053ERVICE <{url}/sparql> {{ ?s ?p ?o }} }}", "SERVICE"),
    "from-file": ("SELECT * FROM <{secret}> WHERE {{ ?s ?p ?o }}", "FROM"),
    "from-url": ("SELECT * FROM <{url}/g.ttl> WHERE {{ ?s ?p ?o }}", "FROM"),
    "from-named": ("SELECT * FROM NAMED <{url}/g.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", "FROM"),
    "ask-from": ("ASK FROM <{secret}> {{ ?s ?p ?o }}", "FROM"),
    "construct-service": ("CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}/s> {{ ?s ?p ?o }} }}", "SERVICE"),
    "load": ("LOAD <{url}/g.ttl>", "SPARQL Update (LOAD)"),
    "load-file": ("LOAD <{secret}> INTO GRAPH <http://x/>", "SPARQL Update (LOAD)"),
    "insert": ("PREFIX ex: <http://x/> INSERT DATA {{ ex:a ex:b ex:c }}", "SPARQL Update (INSERT)"),
    "delete": ("DELETE WHERE {{ ?s ?p ?o }}", "SPARQL Update (DELETE)"),
    "drop": ("DROP ALL", "SPARQL Update (DROP)"),
}


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize("case", sorted(FETCHING_QUERIES))
def test_fetching_queries_are_refused_before_evaluation(work, listener, store, case):
    template, word = FETCHING_QUERIES[case]
    sparql = template.format(url=listener.url, secret=(work / "private.txt").as_uri())
    result = run("query", "--store", store, "--sparql", sparql, cwd=work)
    refused(result, word, "refused")
    no_leak(result)
    assert listener.hits == []


@pytest.mark.parametrize("store", STORES)
def test_allow_remote_opens_the_network_but_not_local_files(work, listener, store):
    """The opt-out works (the listener is contacted), and FROM <file:...> is still refused by the audit hook."""
    service = run("query", "--store", store, "--allow-remote", "--sparql",
                  f"SELECT * WHERE {{ SERVICE <{listener.url}/sparql> {{ ?s ?p ?o }} }}", cwd=work)
    assert service.code == 2 and "Traceback" not in service.text  # the listener answers 400
    assert listener.hits and listener.hits[0].endswith("/sparql")
    local = run("query", "--store", store, "--allow-remote", "--format", "csv", "--sparql",
                f"SELECT * FROM <{(work / 'private.txt').as_uri()}> WHERE {{ ?s ?p ?o }}", cwd=work)
    no_leak(local)  # a plain Graph (memory) ignores FROM; Oxigraph's FROM picks graphs in its own store


def test_allow_remote_from_file_on_a_dataset_is_stopped_by_the_audit_hook(work):
    """Where rdflib would load a FROM graph (a Dataset), the audit hook refuses to open the private file."""
    import rdflib

    from genai_kg.graph import KnowledgeGraph

    kg = KnowledgeGraph(rdflib.Dataset())
    sparql = f"SELECT * FROM <{(work / 'private.txt').as_uri()}> WHERE {{ ?s ?p ?o }}"
    with pytest.raises(UnsafeInput, match="refused to open .*private.txt") as caught:
        kg.query(sparql, allow_remote=True)
    assert SECRET_TOKEN not in str(caught.value)


def test_service_seen_only_by_oxigraphs_lexer_is_refused():
    """A text whose SERVICE rdflib's algebra does not show is still refused: the text is scanned too."""
    from rdflib.plugins.sparql import prepareQuery

    harmless = prepareQuery("SELECT * WHERE { ?s ?p ?o }")
    guard.check_algebra(harmless)
    with pytest.raises(UnsafeInput, match="SERVICE"):
        guard.check_query_text("SELECT * WHERE { ?s ?p ?o SERVICE <http://127.0.0.1:1/> { } }")
    for text in ('SELECT * WHERE { ?s ?p "SERVICE" }', "SELECT * WHERE { ?s <http://x/SERVICE> ?o } # SERVICE",
                 "SELECT ?service WHERE { ?service ex:SERVICE ?o }"):
        guard.check_query_text(text)  # words in strings, IRIs, comments, names: not keywords


# -- bounded work ----------------------------------------------------------------------------------------
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.mark.parametrize("store", STORES)
def test_cross_product_is_stopped_at_the_timeout(work, store):
    """Oxigraph's native aggregate ignores SIGALRM (measured: a 1 s alarm fired after 21 s): the child is killed."""
    started = time.monotonic()
    result = run("query", "--store", store, "--timeout", "2", "--sparql", CROSS_PRODUCT, cwd=work)
    refused(result, "timed out after 2 s", "--timeout", limit=12)
    assert time.monotonic() - started < 12


def test_cross_product_without_count_is_stopped_too(work):
    result = run("query", "--timeout", "1.5", "--format", "csv", "--sparql",
                 "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", cwd=work)
    refused(result, "timed out after 1.5 s", limit=12)
    assert result.out == ""


def test_timeout_leaves_no_output_file_and_keeps_an_old_one(work):
    out = work / "answer.csv"
    out.write_text("old answer\n", encoding="utf-8")
    result = run("query", "--timeout", "1", "--format", "csv", "-o", "answer.csv", "--sparql", CROSS_PRODUCT,
                 cwd=work)
    refused(result, "timed out", limit=12)
    assert out.read_text(encoding="utf-8") == "old answer\n"
    assert leftovers(work, "answer.csv") == []


@pytest.mark.parametrize("store", ["memory", "auto"])
def test_twenty_megabyte_literal_is_refused(work, store):
    """rdflib's parsers meet the guard's 16 MiB cap; Oxigraph's (``auto`` for big files) its own 16 MiB buffer."""
    big = "x" * (20 * 1024 * 1024)
    (work / "big.ttl").write_text(f'<http://example.org/s> <http://example.org/p> "{big}" .\n', encoding="utf-8")
    result = run("stats", "--data", "big.ttl", "--store", store, cwd=work)
    refused(result, "big.ttl", *(["line 1", "20.0 MiB", "16.0 MiB limit"] if store == "memory" else ["too long"]))


@pytest.mark.parametrize(("store", "name"), [("memory", "big.ttl"), ("oxigraph", "big.ttl"), ("oxigraph", "big.nt")])
def test_a_twelve_megabyte_literal_loads(work, store, name):
    big = "x" * (12 * 1024 * 1024)
    (work / name).write_text(f'<http://example.org/s> <http://example.org/p> "{big}" .\n', encoding="utf-8")
    result = run("query", "--data", name, "--store", store, "--format", "csv", "--sparql",
                 "SELECT (STRLEN(?o) AS ?n) WHERE { <http://example.org/s> ?p ?o }", cwd=work)
    assert result.code == 0, result.err
    assert result.out.splitlines() == ["n", str(len(big))]
    assert result.seconds < QUICK


def test_long_n_triples_line_is_refused_by_rdflibs_parser(work):
    """rdflib's N-Triples parser is quadratic in line length (1 MiB: 9 s, 2 MiB: 39 s)."""
    big = "x" * (2 * 1024 * 1024)
    (work / "big.nt").write_text(f'<http://example.org/s> <http://example.org/p> "{big}" .\n', encoding="utf-8")
    refused(run("stats", "--data", "big.nt", "--store", "memory", cwd=work), "big.nt", "line 1", "--store oxigraph")


@pytest.mark.parametrize("store", ["memory", "auto"])
def test_long_multi_line_turtle_literal(work, store):
    """rdflib's Turtle parser takes time ~ lines x length inside a triple-quoted literal (2 MiB: 9 s): refused
    there with a hint; ``auto`` sends a file this big to Oxigraph's linear parser, which loads it."""
    text = ("y" * 79 + "\n") * 30_000
    (work / "long.ttl").write_text(f'<http://example.org/s> <http://example.org/p> """{text}""" .\n',
                                   encoding="utf-8")
    result = run("stats", "--data", "long.ttl", "--store", store, cwd=work)
    if store == "memory":
        refused(result, "long.ttl", "line 1", "262,144 bytes limit", "--store oxigraph")
    else:
        assert result.code == 0, result.err
        assert result.seconds < QUICK


UNTERMINATED_QUOTES = {"double": b'x\\"', "single": b"x\\'", "triple": b'"""x\\"', "mixed": b'\'"\\'}


@pytest.mark.parametrize("kind", sorted(UNTERMINATED_QUOTES))
def test_a_line_of_unterminated_quotes_is_scanned_in_linear_time(work, kind):
    """Each quote starts a string that never ends on its line; a scan that backtracks took minutes on 300 KB."""
    body = UNTERMINATED_QUOTES[kind] * (300_000 // len(UNTERMINATED_QUOTES[kind]))
    (work / "quotes.ttl").write_bytes(b"<http://example.org/s> <http://example.org/p> " + body + b"\n")
    started = time.monotonic()
    with pytest.raises((GenaiKgError, SyntaxError)):  # rdflib's BadSyntax is a SyntaxError
        guard.safe_parse(rdflib.Graph(), work / "quotes.ttl", "turtle")
    assert time.monotonic() - started < 5
    refused(cli("stats", "--data", str(work / "quotes.ttl")), "quotes.ttl", "line 1", limit=10)


@pytest.fixture
def small_limits(monkeypatch):
    def use(**changes):
        monkeypatch.setattr(guard.limits, "LIMITS", dataclasses.replace(guard.limits.LIMITS, **changes))

    return use


def cli(*args: str):
    start = time.monotonic()
    result = CliRunner().invoke(main, list(args))
    return Run(result.exit_code, result.stdout, result.stderr, time.monotonic() - start)


def test_row_limit(small_limits):
    small_limits(max_rows=10)
    result = cli("query", "--sparql", "SELECT * WHERE { ?s ?p ?o }")
    refused(result, "more than 10 result rows", "LIMIT")


@pytest.mark.parametrize("store", STORES)
def test_answer_literal_limit(small_limits, store):
    small_limits(max_literal=1000)
    result = cli("query", "--store", store, "--sparql",
                 'SELECT ?x WHERE { BIND(CONCAT("' + "a" * 600 + '", "' + "b" * 600 + '") AS ?x) }')
    refused(result, "literal of 1,200 bytes", "1,000 bytes limit")


@pytest.mark.parametrize("store", STORES)
def test_memory_bomb_query_is_stopped(small_limits, store):
    """Each BIND multiplies a string by 8: 16 B, 128 B, ... 2 GiB; the child's address space is capped."""
    small_limits(max_memory=512 * 1024 * 1024)
    binds = " ".join(
        f"BIND(CONCAT({', '.join([f'?v{i}'] * 8)}) AS ?v{i + 1})" for i in range(9)
    )
    sparql = f'SELECT (STRLEN(?v9) AS ?n) WHERE {{ BIND("{"x" * 16}" AS ?v0) {binds} }}'
    result = cli("query", "--store", store, "--timeout", "30", "--sparql", sparql)
    refused(result, "memory", limit=30)


# -- clear errors ----------------------------------------------------------------------------------------
BAD_FILES = {
    "truncated.ttl": ('@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:d ex:e "unterminated', "line 3, column"),
    "garbage.ttl": ("this is not turtle at all\n", "line 1"),
    "bad-utf8.ttl": (b'<http://e/s> <http://e/p> "ok" .\n<http://e/s> <http://e/p> "\xff\xfe" .\n', "line 2"),
    "bad.nt": ("<http://e/s> <http://e/p> .\n", "bad.nt"),
    "bad.jsonld": ('{"@id": "http://e/s",\n "http://e/p": ', "line 2"),
    "bad.rdf": ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<oops></rdf:RDF>', "line 2"),
    "empty.rdf": ("", "bad.rdf"),
    "notes.docx": ("PK\x03\x04", "unknown RDF format '.docx'"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_malformed_files_give_one_line_with_file_and_line(work, name):
    content, fragment = BAD_FILES[name]
    path = work / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result = cli("stats", "--data", str(path))
    refused(result, name, fragment.replace("bad.rdf", name))


def test_invalid_utf8_names_the_byte(work):
    (work / "bad.ttl").write_bytes(b'<http://e/s> <http://e/p> "\xc3\x28" .\n')
    refused(cli("stats", "--data", str(work / "bad.ttl")), "line 1", "byte 27", "not valid UTF-8")


def test_missing_file(work):
    refused(cli("stats", "--data", str(work / "nope.ttl")), "nope.ttl", "no such file")


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["query", "--sparql", "SELECT ?x\nWHERE { ?x ?y }"], ["SPARQL syntax error at line 2, column"]),
        (["query", "no-such-query"], ["no named query 'no-such-query'"]),
        (["query", "systems-by-output", "--param", "colour=red"], ["--param colour", "no such parameter"]),
        (["query", "systems-by-output", "--param", "modality=nothing-like-this"], ["--param modality", "no term"]),
        (["query", "../../etc/passwd.rq"], ["no such query file"]),
        (["query", "--store", "bogus", "--sparql", "ASK {}"], ["unknown store 'bogus'"]),
    ],
)
def test_query_mistakes_are_one_line(args, fragments):
    refused(cli(*args), *fragments)


def test_bad_output_path_leaves_nothing(work):
    result = cli("query", "families", "-o", str(work / "missing" / "out.csv"))
    refused(result, "does not exist")
    assert not (work / "missing").exists()


def test_successful_output_is_written_whole(work):
    result = run("query", "families", "--format", "csv", "-o", "out.csv", cwd=work)
    assert result.code == 0, result.err
    assert (work / "out.csv").read_text(encoding="utf-8").startswith("family")
    assert leftovers(work, "out.csv") == []


# -- parameters are data, not syntax ---------------------------------------------------------------------
HOSTILE_VALUES = [
    '" } UNION { ?s ?p ?o } #',
    "' } ; DROP ALL ; #",
    "x\n} SERVICE <{url}/p> { ?s ?p ?o }\n#",
    "<{url}/p> } SERVICE <{url}/p> { ?s ?p ?o",
    "a\\\" } FILTER(true) #",
    "{ } > < # \\u0022 \\",
    "\u0000\u2028 null and line separator",
]


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_hostile_parameter_values_are_data(work, listener, store, value):
    value = value.replace("{url}", listener.url)
    sparql = "SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?lbl }"
    result = cli("query", "--store", store, "--format", "csv", "--sparql", sparql, "--param", f"lbl={value}")
    if result.code == 0:
        assert result.out.splitlines() == ["s"]  # matched nothing: the value was one literal (or IRI)
    else:
        refused(result, "--param")  # or it was refused as a value, by name
    assert listener.hits == []


@pytest.mark.parametrize("value", ['image" } UNION { ?s ?p ?o } #', "image>", "gkg:Image } #"])
def test_hostile_values_for_a_named_querys_parameter(value):
    result = cli("query", "systems-by-output", "--param", f"modality={value}")
    refused(result, "--param modality")


def test_the_guard_is_lifted_after_the_command():
    """The audit hook is gated by a context variable: outside parsing/querying, files open as usual."""
    cli("query", "families")
    assert guard.audit.active() is None
    assert Path(__file__).read_text(encoding="utf-8")


def test_without_fork_the_query_is_stopped_by_sigalrm(monkeypatch):
    """Platforms without fork run the query in-process under SIGALRM (rdflib's engine is Python, so it stops)."""
    monkeypatch.setattr(guard.sandbox, "_can_fork", lambda: False)
    result = cli("query", "--store", "memory", "--timeout", "1", "--sparql", CROSS_PRODUCT)
    refused(result, "timed out after 1 s", limit=10)
    assert guard.audit.active() is None


# == round 2 =============================================================================================
NO_NAMESPACE = {guard.sandbox.NO_NAMESPACE_ENV: "1"}
PREFIXES = (
    "@prefix gkg: <https://w3id.org/genai-kg/> .\n@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# -- what is evaluated is what is checked ----------------------------------------------------------------
CRAFTED = [
    # a comment that Oxigraph ends at CR: the SERVICE after it is code
    ("SELECT * WHERE {{ ?s ?p ?x #\r SERVICE <{url}/cr> {{ ?a ?b ?c }} }}", "1"),
    # a value that closes a ''' string, if it were not escaped
    ("SELECT * WHERE {{ ?s ?p ?o FILTER(?o != '''a''' && STR(?o) = ?x) }}",
     "''' ) } SERVICE <{url}/q> { ?a ?b ?c } #"),
    # a value that ends a comment the VALUES block might land in
    ("SELECT * WHERE {{ ?s ?p ?x }} # {{", "a\r} SERVICE <{url}/v> { ?a ?b ?c } #"),
    # a value that is a line break and a keyword, in a query that ends with a comment
    ("SELECT * WHERE {{ ?s ?p ?x }}\n#", "\n} SERVICE <{url}/n> { ?a ?b ?c } #"),
]


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize("case", range(len(CRAFTED)))
def test_crafted_query_and_parameter_without_a_network_namespace(work, listener, store, case):
    """With the child's network namespace switched off (as under Docker's default seccomp profile), only the
    checks of the bound text stand between a crafted query and the network: they must hold alone."""
    template, value = CRAFTED[case]
    sparql = template.format(url=listener.url)
    result = run("query", "--store", store, "--format", "csv", "--sparql", sparql,
                 "--param", "x=" + value.replace("{url}", listener.url), cwd=work, env=NO_NAMESPACE)
    if result.code == 0:  # the value was data: it matched nothing
        assert result.out.splitlines()[1:] == []
    else:  # refused as SERVICE, or as a syntax error (rdflib ends a comment only at LF)
        refused(result)
    assert listener.hits == []


def test_the_namespace_switch_really_switches_it_off(listener, monkeypatch):
    """Native code (a raw libc connect, invisible to the audit hook) reaches the listener only when the
    namespace is off: the switch the test above uses does what it says."""
    import ctypes
    import socket
    import struct

    from rdflib.query import Result

    port = int(listener.url.rsplit(":", 1)[1])

    def native_connect():
        libc = ctypes.CDLL(None, use_errno=True)
        fd = libc.socket(socket.AF_INET, socket.SOCK_STREAM, 0)
        address = struct.pack("=H", socket.AF_INET) + struct.pack("!H", port) + socket.inet_aton("127.0.0.1")
        address += b"\0" * 8
        if libc.connect(fd, ctypes.c_char_p(address), len(address)) == 0:
            request = b"GET /native HTTP/1.0\r\n\r\n"
            libc.send(fd, request, len(request), 0)
            libc.recv(fd, ctypes.create_string_buffer(64), 64, 0)
        libc.close(fd)
        answer = Result("ASK")
        answer.askAnswer = True
        return answer

    guard.run_bounded(native_connect, timeout=10)
    with_namespace = list(listener.hits)
    monkeypatch.setenv(guard.sandbox.NO_NAMESPACE_ENV, "1")
    guard.run_bounded(native_connect, timeout=10)
    assert with_namespace == [] or sys.platform != "linux"
    assert listener.hits == ["GET /native"]


@pytest.mark.parametrize("store", STORES)
def test_a_unicode_variable_holding_service_is_not_refused(work, store):
    result = run("query", "--store", store, "--format", "csv", "--sparql",
                 "SELECT ?réservice WHERE { ?réservice a ?t } LIMIT 1", cwd=work, env=NO_NAMESPACE)
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "réservice"


# -- every piece of work has a bound ---------------------------------------------------------------------
def diamonds(levels: int = 40) -> str:
    """Two classes per level, each a subclass of both classes of the level above: 2^levels paths, 82 classes."""
    lines = [PREFIXES] + [f"gkg:D{i} a owl:Class . gkg:E{i} a owl:Class ." for i in range(levels + 1)]
    lines += [f"gkg:{c}{i} rdfs:subClassOf gkg:D{i - 1}, gkg:E{i - 1} ." for i in range(1, levels + 1) for c in "DE"]
    return "\n".join(lines) + "\n"


def chain(length: int = 3000) -> str:
    """A subClassOf chain under generative AI's root, so that compare takes its end for a model family."""
    lines = [PREFIXES, "gkg:C0 a owl:Class ; rdfs:subClassOf gkg:ArtificialIntelligence ."]
    lines += [f"gkg:C{i} a owl:Class ; rdfs:subClassOf gkg:C{i - 1} ." for i in range(1, length)]
    return "\n".join(lines) + "\n"


def test_docs_of_forty_levels_of_diamonds(work):
    """Walking every path took until killed (the index grew 4x per two levels); each class is expanded once."""
    write(work, "diamond.ttl", diamonds())
    result = run("docs", "-o", "site", "--data", "diamond.ttl", cwd=work)
    assert result.code == 0, result.err
    assert result.seconds < QUICK
    index = (work / "site" / "index.html").read_text(encoding="utf-8")
    assert index.count('href="D39.html"') == 2  # under D38 and under E38, expanded under one of them
    assert len(index) < 200_000


@pytest.mark.parametrize("command", [
    ["docs", "-o", "site"], ["compare", "gkg:C2999", "LLM"], ["describe", "gkg:C1500"],
    ["view", "-o", "view.html"], ["export", "--graph-format", "graphml"],
])
def test_a_three_thousand_long_subclass_chain(work, command):
    """rdflib's transitive walks recurse once per level: compare and docs ended in RecursionError (exit 3)."""
    write(work, "chain.ttl", chain())
    result = run(*command, "--data", "chain.ttl", cwd=work)
    assert result.code == 0, result.err
    assert result.seconds < QUICK * 2
    assert "Traceback" not in result.text


def test_validate_refuses_a_hierarchy_too_deep_for_pyshacl_in_one_line(work):
    write(work, "chain.ttl", chain())
    refused(run("validate", "--data", "chain.ttl", cwd=work), "validate", "nests too deeply", limit=QUICK * 2)


@pytest.fixture(scope="module")
def big_file(tmp_path_factory):
    """20,000 classes, 20,000 comparison aspects and 20,000 statements about one term: seconds of work for
    each command, so a short --timeout must stop it."""
    folder = tmp_path_factory.mktemp("big")
    lines = [PREFIXES]
    lines += [f"gkg:K{i} a owl:Class ; rdfs:subClassOf gkg:LargeLanguageModel ; rdfs:label \"k {i}\" ."
              for i in range(20_000)]
    lines += [f"gkg:A{i} a gkg:ComparisonAspect ; gkg:aspectProperty gkg:p{i} ." for i in range(20_000)]
    lines += [f"gkg:Hub gkg:links gkg:K{i} ." for i in range(20_000)]
    return write(folder, "big.ttl", "\n".join(lines) + "\n")


@pytest.mark.parametrize("command", [
    ["validate"], ["describe", "gkg:Hub"], ["compare", "LLM", "generative AI"], ["docs", "-o", "site"],
    ["view", "-o", "view.html"],
])
def test_every_command_honours_timeout(work, big_file, command):
    result = run(*command, "--data", str(big_file), "--store", "oxigraph", "--timeout", "0.5", cwd=work)
    refused(result, "timed out after 0.5 s", "--timeout", limit=QUICK * 2)
    assert leftovers(work) == []


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
    refused(result, url, "no complete answer within 2 s", "--timeout", limit=6)


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
    refused(result, "no complete answer within 2 s", limit=6)


def test_an_rdfxml_entity_bomb_answering_construct(endpoint):
    url = endpoint(answer_with(billion_laughs().encode(), "application/rdf+xml"))
    result = cli("query", "--sparql", "CONSTRUCT WHERE { ?s ?p ?o }", "--endpoint", url, "--timeout", "10")
    refused(result, url, "entity bomb", limit=8)


def test_an_rdfxml_answer_naming_a_private_file(work, endpoint):
    doc = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY x SYSTEM "{(work / "private.txt").as_uri()}"> ]>\n'
        f'<rdf:RDF {RDF_NS}><rdf:Description rdf:about="http://example.org/s"><ex:p>&x;</ex:p>'
        "</rdf:Description></rdf:RDF>\n"
    )
    url = endpoint(answer_with(doc.encode(), "application/rdf+xml"))
    result = cli("query", "--sparql", "CONSTRUCT WHERE { ?s ?p ?o }", "--endpoint", url)
    refused(result, "external entity")
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
    refused(cli("query", "--sparql", sparql, "--endpoint", url), url, "1,000 bytes")


def test_the_row_limit_applies_to_answers(endpoint, small_limits):
    small_limits(max_rows=10)
    rows = [{"o": {"type": "literal", "value": str(i)}} for i in range(11)]
    body = json.dumps({"head": {"vars": ["o"]}, "results": {"bindings": rows}}).encode()
    url = endpoint(answer_with(body, "application/sparql-results+json"))
    refused(cli("query", "--sparql", "SELECT ?o WHERE { ?s ?p ?o }", "--endpoint", url), "more than 10", "LIMIT")


def test_deeply_nested_json_from_an_endpoint_is_one_line(endpoint):
    body = b'{"head": {"vars": []}, "results": {"bindings": []}, "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    url = endpoint(answer_with(body, "application/sparql-results+json"))
    refused(cli("query", "--sparql", "SELECT * WHERE { ?s ?p ?o }", "--endpoint", url), url, "nested deeper")


def test_deeply_nested_jsonld_file_is_one_line(work):
    depth = 20_000
    write(work, "deep.jsonld", '{"@id": "http://e/s", "http://e/p": ' + '{"http://e/p": ' * depth + '"x"'
          + "}" * depth + "}")
    refused(run("stats", "--data", "deep.jsonld", cwd=work), "deep.jsonld", "nested deeper")


# -- output that cannot hurt -----------------------------------------------------------------------------
HOSTILE_LABEL = "Evil\\u001B]0;pwned\\u0007\\u001B[2J\\u009B31m\\u202Eitxet"


def hostile_data(folder: Path) -> Path:
    return write(folder, "evil.ttl", PREFIXES + f'gkg:Evil a owl:Class ; rdfs:subClassOf gkg:LargeLanguageModel ;'
                 f' rdfs:label "{HOSTILE_LABEL}" ; rdfs:comment "=HYPERLINK(\\"http://x\\")" .\n')


def on_a_terminal(*args: str, cwd: Path) -> tuple[int, bytes]:
    """Run the command with stdout and stderr on a pseudo-terminal; return (exit code, what it showed)."""
    import pty

    controller, terminal = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "genai_kg", *args], cwd=cwd, stdout=terminal, stderr=terminal,
                            env={**os.environ, "PYTHONWARNINGS": "ignore", "PYTHONPATH": SOURCE})
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    return proc.wait(timeout=60), shown


EVIL_LABEL = "SELECT ?l WHERE { ?s rdfs:label ?l FILTER(STRSTARTS(?l, 'Evil')) }"


@pytest.mark.parametrize("command", [["describe", "gkg:Evil"], ["query", "--sparql", EVIL_LABEL]])
def test_control_characters_from_data_are_shown_escaped_on_a_terminal(work, command):
    hostile_data(work)
    code, shown = on_a_terminal(*command, "--data", "evil.ttl", cwd=work)
    assert code == 0, shown
    assert b"\x1b" not in shown and b"\x07" not in shown and b"\xc2\x9b" not in shown
    assert "\u202e".encode() not in shown
    assert b"Evil\\x1b]0;pwned\\x07" in shown


def test_a_pipe_gets_the_data_as_it_is(work):
    hostile_data(work)
    result = run("query", "--format", "json", "--data", "evil.ttl", "--sparql", EVIL_LABEL, cwd=work)
    assert result.code == 0, result.err
    assert json.loads(result.out)["results"]["bindings"][0]["l"]["value"].startswith("Evil\x1b]0;pwned\x07")


def test_control_characters_in_error_messages_are_always_escaped(work):
    result = run("describe", "\x1b]0;pwned\x07\x1b[2A", cwd=work)
    refused(result, "\\x1b]0;pwned\\x07")
    assert "\x1b" not in result.err and "\x07" not in result.err


def test_csv_cells_are_defused_for_spreadsheets(work):
    hostile_data(work)
    sparql = "SELECT ?c (-2 AS ?n) WHERE { ?s rdfs:comment ?c FILTER(STRSTARTS(?c, '=')) }"
    safe = run("query", "--format", "csv", "--data", "evil.ttl", "--sparql", sparql, cwd=work)
    assert safe.code == 0, safe.err
    assert safe.out.splitlines()[1] == '"\'=HYPERLINK(""http://x"")",-2'
    raw = run("query", "--format", "csv", "--raw-cells", "--data", "evil.ttl", "--sparql", sparql, cwd=work)
    assert raw.out.splitlines()[1] == '"=HYPERLINK(""http://x"")",-2'


def test_compare_csv_is_defused_too(work):
    write(work, "f.ttl", PREFIXES + '@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n'
          'gkg:LargeLanguageModel skos:definition "@SUM(1+1)*cmd"@en .\n')
    result = run("compare", "LLM", "generative AI", "--format", "csv", "--data", "f.ttl", cwd=work)
    assert result.code == 0, result.err
    assert "'@SUM(1+1)*cmd" in result.out
    assert ",@SUM" not in result.out and "\n@" not in result.out


def test_docs_never_writes_through_a_symlink_in_its_folder(work):
    victim = write(work, "victim.txt", "keep me\n")
    (work / "site").mkdir()
    (work / "site" / "index.html").symlink_to(victim)
    result = run("docs", "-o", "site", cwd=work)
    assert result.code == 0, result.err
    assert victim.read_text(encoding="utf-8") == "keep me\n"
    assert not (work / "site" / "index.html").is_symlink()
    assert [p.name for p in (work / "site").iterdir() if p.name.startswith(".")] == []


def test_a_failed_docs_leaves_nothing_behind(work, big_file):
    result = run("docs", "-o", "deep/er/site", "--data", str(big_file), "--store", "oxigraph", "--timeout", "0.5",
                 cwd=work)
    refused(result, "timed out", limit=QUICK * 2)
    assert leftovers(work) == []


@pytest.mark.parametrize(("umask", "before", "after"), [(0o077, 0o600, 0o600), (0o077, None, 0o600),
                                                          (0o022, None, 0o644), (0o022, 0o640, 0o640)])
def test_output_keeps_a_files_mode_and_honours_the_umask(work, umask, before, after):
    out = work / "out.csv"
    if before is not None:
        out.write_text("old\n", encoding="utf-8")
        out.chmod(before)
    old = os.umask(umask)
    try:
        result = run("query", "families", "--format", "csv", "-o", "out.csv", cwd=work)
    finally:
        os.umask(old)
    assert result.code == 0, result.err
    assert out.stat().st_mode & 0o777 == after


@pytest.mark.parametrize("command", [["export", "--format", "xml"], ["query", "--rdf-format", "xml", "--sparql",
                                     "CONSTRUCT WHERE { <https://w3id.org/genai-kg/Bell> ?p ?o }"]])
def test_rdfxml_refuses_characters_xml_cannot_carry(work, command):
    write(work, "bell.ttl", PREFIXES + 'gkg:Bell rdfs:label "ding\\u0007dong" .\n')
    result = run(*command, "--data", "bell.ttl", "-o", "out.rdf", cwd=work)
    refused(result, "U+0007", "use ttl")
    assert leftovers(work, "bell.ttl") == []


# -- beyond the examples ---------------------------------------------------------------------------------
def nested_blank_nodes(depth: int) -> str:
    return "<http://e/s> <http://e/p> " + "[ <http://e/p> " * depth + '"x"' + " ]" * depth + " .\n"


@pytest.mark.parametrize("fmt", ["ttl", "json-ld"])
def test_deeply_nested_blank_nodes_in_recursive_writers(work, fmt):
    write(work, "deep.ttl", nested_blank_nodes(3000))
    result = run("export", "--format", fmt, "--data", "deep.ttl", "--store", "oxigraph", cwd=work)
    refused(result, "nest too deeply", "use nt")


def test_canonical_n_triples_of_a_blank_node_chain_is_bounded(work):
    """RDFC-1.0 took 19 s on a 400-long chain of blank nodes and crashed on 20,000: such graphs are written
    with sorted lines but arbitrary labels."""
    write(work, "deep.ttl", nested_blank_nodes(3000))
    result = run("export", "--format", "nt", "--data", "deep.ttl", "--store", "oxigraph", cwd=work)
    assert result.code == 0, result.err
    assert result.seconds < QUICK
    assert len([line for line in result.out.splitlines() if line.startswith("_:")]) >= 3000


def test_docs_with_long_and_look_alike_names(work):
    """A 300-character local name made a file name the file system refused (exit 3, half a folder); 3,000
    non-Latin names that all read ``___`` cost a quadratic search for free names."""
    lines = [PREFIXES, f"gkg:{'a' * 300} a owl:Class ."]
    lines += [f"gkg:{chr(0x3b1 + i % 20)}{chr(0x3b1 + i // 20 % 20)}{chr(0x3b1 + i // 400)} a owl:Class ."
              for i in range(3000)]
    write(work, "names.ttl", "\n".join(lines) + "\n")
    result = run("docs", "-o", "site", "--data", "names.ttl", cwd=work)
    assert result.code == 0, result.err
    assert result.seconds < QUICK
    assert max(len(p.name) for p in (work / "site").iterdir()) <= 120


def test_library_warnings_never_reach_stderr_raw(work):
    """rdflib warned "... does not look like a valid URI" with the value's control characters, over lines."""
    result = run("query", "--format", "csv", "--sparql", "SELECT * WHERE { ?s ?p ?x }",
                 "--param", "x=a\x1b[2J\r} SERVICE <http://127.0.0.1:9/v> { } #", cwd=work)
    assert result.code == 0, result.err
    assert result.err == ""
    assert sorted(result.out.strip().split(",")) == ["p", "s", "x"]


@pytest.mark.parametrize(
    "args",
    [
        ["export", "--graph-format", "graphml"],
        ["export", "--graph-format", "gexf"],
        ["query", "--sparql", "SELECT ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }", "--format",
         "xml"],
    ],
)
def test_xml_outputs_refuse_characters_xml_cannot_carry(tmp_path, args):
    """A label with U+0001 cannot be written as XML 1.0: one line naming the character, nothing written."""
    (tmp_path / "bell.ttl").write_text(
        '<https://example.org/x> <http://www.w3.org/2000/01/rdf-schema#label> "bell\\u0001ringer" .\n',
        encoding="utf-8",
    )
    out = tmp_path / "out.xml"
    refused(run(*args, "--data", "bell.ttl", "-o", str(out), cwd=tmp_path), "U+0001", "XML cannot carry")
    assert not out.exists()
