"""Hostile queries and parameters through the command line: queries that would fetch, unbounded work,
mistakes, parameter values written to break out of the query, and what is evaluated being what is checked.

Each case asserts the exit code, the one-line message, the time taken, that no file is left behind, that
the 127.0.0.1 listener was never contacted, and that no byte of a private file appears in any output
(helpers in tests/_hostile.py, fixtures in conftest.py).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
import rdflib
from _hostile import (
    CROSS_PRODUCT,
    NO_NAMESPACE,
    SECRET_TOKEN,
    STORES,
    cli,
    leftovers,
    no_leak,
    refused,
    run,
)

from genai_kg import guard
from genai_kg.cliopts import EXIT_TIMEOUT
from genai_kg.errors import UnsafeInput

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


def _rdflib_reads_fetching(text: str) -> bool:
    """rdflib's verdict before an endpoint: its algebra holds SERVICE or FROM."""
    from rdflib.plugins.sparql import prepareQuery

    try:
        guard.check_algebra(prepareQuery(text))
    except UnsafeInput:
        return True
    except Exception:  # noqa: BLE001 - rdflib cannot parse it: no keyword read
        return False
    return False


def _near_keywords() -> list[str]:
    """Texts spelling SERVICE or FROM with one letter replaced by each non-ASCII character that upper-cases,
    lower-cases or case-folds to something holding that letter (``ſ`` for s), and by its escape."""
    letters = set("SERVICEFROMservicefrom")
    odd = [c for c in map(chr, range(0x80, 0x110000)) if not 0xD800 <= ord(c) <= 0xDFFF
           and any(ch in letters for m in (c.upper(), c.lower(), c.casefold()) for ch in m)]
    texts = []
    for word, template in (("SERVICE", "SELECT * WHERE {{ {} <http://127.0.0.1:1/> {{ ?s ?p ?o }} }}"),
                           ("FROM", "SELECT * {} <http://127.0.0.1:1/g> WHERE {{ ?s ?p ?o }}")):
        for i, letter in enumerate(word):
            for c in odd:
                if letter in (c.upper() + c.casefold()).upper():
                    for spelled in (c, f"\\u{ord(c):04X}" if ord(c) < 0x10000 else f"\\U{ord(c):08X}"):
                        texts.append(template.format(word[:i] + spelled + word[i + 1:].lower()))
        texts.append(template.format(word.lower()))
        texts.append(template.format("\\u" + f"{ord(word[0]):04x}" + word[1:].swapcase()))
    return texts


def test_before_an_endpoint_rdflib_is_asked_wherever_it_could_read_a_keyword():
    """rdflib's parse before an endpoint is skipped where :func:`rdflib_may_fetch` says its algebra cannot
    hold SERVICE or FROM: every text rdflib reads either in (odd case mappings such as ``ſervice``, escapes)
    must be one it is asked about."""
    from genai_kg.guard.querycheck import rdflib_may_fetch

    texts = _near_keywords()
    read = [t for t in texts if _rdflib_reads_fetching(t)]
    assert any("\u017f" in t for t in read)  # rdflib reads ſERVICE as SERVICE
    assert [t for t in read if not rdflib_may_fetch(t)] == []
    for text in ("SELECT * WHERE { ?s ?p ?o } LIMIT 25 OFFSET 475", 'ASK { ?s ?p "x" }'):
        assert not rdflib_may_fetch(text) and not _rdflib_reads_fetching(text)


def test_before_an_endpoint_rdflib_parses_only_where_it_must(monkeypatch):
    """The second check before an endpoint: rdflib's parse (~50 µs a character) where its algebra could hold
    SERVICE or FROM or Oxigraph's parser cannot read the text (rdflib's syntax error is then the one said),
    nowhere else."""
    from genai_kg import pipeline
    from genai_kg.catalog import as_query
    from genai_kg.errors import QueryError

    parsed = []
    prepare = pipeline.prepare
    monkeypatch.setattr(pipeline, "prepare", lambda query, ns: parsed.append(query.text) or prepare(query, ns))

    def check(text: str) -> list[str]:
        parsed.clear()
        pipeline._check_remote(as_query(text), text, {}, "q", False)
        return list(parsed)

    plain = "SELECT ?m WHERE { { SELECT ?m WHERE { ?m <http://x/p> <http://x/a> } LIMIT 25 OFFSET 475 } }"
    assert check(plain) == []
    assert check("SELECT ?from WHERE { ?from ?p ?o }") == ["SELECT ?from WHERE { ?from ?p ?o }"]
    with pytest.raises(UnsafeInput, match="SERVICE"):
        check("SELECT * WHERE { \u017fervice <http://127.0.0.1:1/> { ?s ?p ?o } }")
    with pytest.raises(QueryError, match="SPARQL syntax error at line 1"):
        check("SELECT * WHERE { ?s ?p }")


# -- bounded work ----------------------------------------------------------------------------------------


@pytest.mark.slow  # waits out a deadline
@pytest.mark.parametrize("store", STORES)
def test_cross_product_is_stopped_at_the_timeout(work, store):
    """Oxigraph's native aggregate ignores SIGALRM (measured: a 1 s alarm fired after 21 s): the child is killed."""
    started = time.monotonic()
    result = run("query", "--store", store, "--timeout", "2", "--sparql", CROSS_PRODUCT, cwd=work)
    refused(result, "timed out after 2 s", "--timeout", limit=12, code=EXIT_TIMEOUT)
    assert time.monotonic() - started < 12


def test_cross_product_without_count_is_stopped_too(work):
    result = run("query", "--timeout", "1.5", "--format", "csv", "--sparql",
                 "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", cwd=work)
    refused(result, "timed out after 1.5 s", limit=12, code=EXIT_TIMEOUT)
    assert result.out == ""


def test_timeout_leaves_no_output_file_and_keeps_an_old_one(work):
    out = work / "answer.csv"
    out.write_text("old answer\n", encoding="utf-8")
    result = run("query", "--timeout", "1", "--format", "csv", "-o", "answer.csv", "--sparql", CROSS_PRODUCT,
                 cwd=work)
    refused(result, "timed out", limit=12, code=EXIT_TIMEOUT)
    assert out.read_text(encoding="utf-8") == "old answer\n"
    assert leftovers(work, "answer.csv") == []


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
    refused(result, "timed out after 1 s", limit=10, code=EXIT_TIMEOUT)
    assert guard.audit.active() is None


# -- round 2 ----=========================================================================================


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
