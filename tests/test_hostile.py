"""Hostile input through the command line: files, queries and parameters written by someone else.

Each case asserts the exit code, the one-line message, the time taken, that no file is left behind, that
the 127.0.0.1 listener the test opened was never contacted, and that no byte of a private file appears in
any output. Most run ``python -m genai_kg`` in a subprocess, as a user's shell would; the limit cases that
need smaller limits run in-process through CliRunner with ``guard.limits.LIMITS`` replaced.
"""

from __future__ import annotations

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

from genai_kg import guard
from genai_kg.cli import main
from genai_kg.errors import GenaiKgError, UnsafeInput

STORES = ["memory", "oxigraph"]
SECRET_TOKEN = "PRIVATE-7f3a9c-do-not-leak"
#: Start-up of ``python -m genai_kg`` with the bundled graph is ~1-2 s; a refused input adds little to it.
QUICK = 20.0

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


def run(*args: str, cwd: Path, timeout: float = 60) -> Run:
    """``python -m genai_kg ARGS`` in ``cwd``; bounded in time."""
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "genai_kg", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
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
