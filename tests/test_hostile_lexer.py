"""The SPARQL lexer against Oxigraph's parser over every Unicode code point, and each of the two checks that
guard Oxigraph holding alone (issue 19, items 1 and 15).

Every SERVICE in these queries names a loopback port that was just closed, so nothing leaves the machine even
if a case slips through; Oxigraph reaching for it is seen as "connection refused".
"""

from __future__ import annotations

import re
import socket
import time

import pyoxigraph as ox
import pytest

from genai_kg import lexical, sparql
from genai_kg.errors import QueryError, UnsafeInput
from genai_kg.guard import querycheck

#: Every Unicode scalar value: 0..0x10FFFF without the surrogates.
CODE_POINTS = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
X = "http://x/"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def service():
    return f"http://127.0.0.1:{closed_port()}/"


@pytest.fixture(scope="module")
def store():
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode(X + "s"), ox.NamedNode(X + "p"), ox.NamedNode(X + "o")))
    store.add(ox.Quad(ox.NamedNode(X + "s"), ox.NamedNode(X + "q"), ox.Literal(True)))
    return store


def oxigraph_reads(store, text):
    """("rows", [...]) when Oxigraph evaluates ``text``, ("service", ...) when it reached for the closed port,
    ("syntax", ...) when its parser refused it."""
    try:
        answer = store.query(text)
        return "rows", list(answer) if isinstance(answer, ox.QuerySolutions) else answer
    except SyntaxError as exc:
        return "syntax", exc
    except OSError as exc:  # ConnectionRefusedError: Oxigraph's HTTP client tried the port
        return "service", exc


def lexer_reads(text):
    """The package's check of ``text``: "passed", "service" (a fetching keyword) or "error" (a character
    the grammar does not allow)."""
    try:
        querycheck.check_query_text(text)
    except UnsafeInput:
        return "service"
    except QueryError:
        return "error"
    return "passed"


def compare_code_points(ours, theirs, chunk: int = 4096, quick=None):
    """Every code point through ``ours`` (the lexer) and ``theirs`` (Oxigraph), which read a text made of code
    points and answer "fits" (read as the probe expects), "refused" (not run at all) or another verdict.

    A run both read as "fits" is done at once. A run the lexer does not fit is halved until single code
    points. A run the lexer fits but Oxigraph does not is asked of Oxigraph one code point at a time. For a
    single code point the two verdicts must be equal, except where Oxigraph refuses the query outright
    (its parser stops there, nothing runs): those are listed. ``quick(c)``, if given, is a shorter text
    that tells Oxigraph's refusal of one code point at less cost (True: refused; else ``theirs`` is asked).
    Returns (covered, refused, disagreements).
    """
    covered, refused, disagreements = 0, [], []
    stack = [CODE_POINTS[i : i + chunk] for i in range(0, len(CODE_POINTS), chunk)][::-1]
    while stack:
        codes = stack.pop()
        text = "".join(map(chr, codes))
        mine = ours(text)
        if mine == "fits" and theirs(text) == "fits":
            covered += len(codes)
            continue
        if mine != "fits" and len(codes) > 1:
            half = len(codes) // 2
            stack += [codes[half:], codes[:half]]
            continue
        for code in codes:
            verdict = "refused" if quick is not None and quick(chr(code)) else theirs(chr(code))
            covered += 1
            if verdict == "refused" and mine != "refused":
                refused.append(code)
            elif verdict != mine:
                disagreements.append((f"U+{code:04X}", mine, verdict))
    return covered, refused, disagreements


def _lexer_verdict(text: str, token: str, kind: str) -> str:
    if lexer_reads(text) != "passed":
        return "refused"
    return "fits" if any(t.kind == kind and t.text == token for t in sparql.tokenize(text)) else "other"


def _oxigraph_verdict(store, text: str, term: type, value: str) -> str:
    kind, rows = oxigraph_reads(store, text)
    if kind == "syntax":
        return "refused"
    found = rows[0]["n"] if kind == "rows" and len(rows) == 1 else None
    return "fits" if isinstance(found, term) and found.value == value else "other"


def _refuses(store, text: str, **options) -> bool:
    try:
        store.query(text, **options)
    except SyntaxError:
        return True
    return False


@pytest.mark.slow  # ~35 s of CPU each: Oxigraph is asked about each of the 917,521 code points it refuses
@pytest.mark.parametrize("local", ["a{}\\#z", "{}a\\#z"], ids=["inside", "first"])
def test_every_code_point_in_a_prefixed_name(store, service, local):
    """Wherever Oxigraph reads ``ex:a<c>\\#z`` (or ``ex:<c>a\\#z``: a local name's first character has a
    class of its own), the lexer reads the same one name (a name that ended early for the lexer was how
    ``ex:brand™\\# SERVICE`` hid a SERVICE in a comment). Oxigraph refuses outright the code points above
    U+FFFF that the grammar puts in PN_CHARS_BASE (and U+FFF0-U+FFFD, which make an IRI it refuses): there
    the lexer reads a name and Oxigraph runs nothing. A refusal is not composable (a parse stops at the
    first), so Oxigraph is asked about each of those code points alone."""
    template = "PREFIX ex: <http://x/>\nSELECT ?n WHERE {{ BIND(ex:" + local.replace("{}", "{0}") + " AS ?n) }}"
    start = time.process_time()
    covered, refused, disagreements = compare_code_points(
        lambda chars: _lexer_verdict(template.format(chars), "ex:" + local.format(chars), "pname"),
        lambda chars: _oxigraph_verdict(store, template.format(chars), ox.NamedNode,
                                        X + local.format(chars).replace("\\", "")),
        quick=lambda char: _refuses(store, "SELECT*{?s ?p ex:" + local.format(char) + "}", prefixes={"ex": X}),
    )
    seconds = time.process_time() - start
    assert disagreements == []
    assert covered == len(CODE_POINTS) == 1_112_064
    # Oxigraph's PN_CHARS_BASE stops at U+FFFD; U+FFF0-U+FFFD make an IRI it refuses; ' " # start a string or
    # a comment for the lexer (which then passes the text) and an error for Oxigraph.
    assert refused == [*map(ord, "\"#'"), *range(0xFFF0, 0xFFFE), *range(0x10000, 0xF0000)]
    print(f"name position {local!r}: {covered} code points, {len(refused)} refused outright by Oxigraph,"
          f" {seconds:.1f} s CPU")
    if local.startswith("{}"):
        return
    # The exploit's shape on every name character: Oxigraph reaches for SERVICE, the lexer refuses it.
    names = "".join(chr(c) for c in CODE_POINTS if lexical.is_pn_chars(c) and c < 0xFFF0)
    for i in range(0, len(names), 4096):
        text = f"PREFIX ex: <http://x/>\nSELECT * WHERE {{ ?s ?p ?o FILTER(?o != ex:a{names[i:i + 4096]}\\#)"
        text += f" SERVICE <{service}> {{ ?a ?b ?c }} }}"
        assert oxigraph_reads(store, text)[0] == "service"
        assert lexer_reads(text) == "service"


@pytest.mark.slow  # every code point in four kinds of string, each asked of Oxigraph where the lexer refuses it
@pytest.mark.parametrize("quote", ["'", '"', "'''", '"""'])
def test_every_code_point_in_a_string(store, quote):
    template = "SELECT ?n WHERE {{ BIND({q}{c}{q} AS ?n) }}"
    start = time.monotonic()
    covered, refused, disagreements = compare_code_points(
        lambda chars: _lexer_verdict(template.format(q=quote, c=chars), f"{quote}{chars}{quote}", "string"),
        lambda chars: _oxigraph_verdict(store, template.format(q=quote, c=chars), ox.Literal, chars),
    )
    assert disagreements == []
    assert covered == len(CODE_POINTS)
    seconds = time.monotonic() - start
    print(f"string {quote}: {covered} code points, {len(refused)} refused by Oxigraph, {seconds:.1f} s")


def test_every_code_point_in_a_comment(store, service):
    """A comment ends exactly where Oxigraph ends it: the SERVICE after ``#<c>`` is code for both or for neither."""
    template = "SELECT * WHERE {{ ?s ?p ?o #{} SERVICE <" + service + "> {{ ?a ?b ?c }}\n}}"
    verdicts = {"passed": "fits", "service": "service", "error": "refused", "rows": "fits", "syntax": "refused"}
    start = time.monotonic()
    covered, refused, disagreements = compare_code_points(
        lambda chars: verdicts[lexer_reads(template.format(chars))],
        lambda chars: verdicts[oxigraph_reads(store, template.format(chars))[0]],
    )
    assert disagreements == []
    assert covered == len(CODE_POINTS)
    print(f"comment: {covered} code points, {len(refused)} refused by Oxigraph, {time.monotonic() - start:.1f} s")


# -- the two checks, each alone ------------------------------------------------------------------------------
#: Texts on which Oxigraph reaches for SERVICE (or reads FROM), each found by hand: a name longer than ``\w``,
#: keywords that Oxigraph reads with no boundary after them, and a comment ended by CR.
GLUED = [
    "PREFIX ex: <{x}> SELECT * WHERE {{ ?s ?p ?o FILTER(?o != ex:brand™\\#) SERVICE <{url}> {{ ?a ?b ?c }} }}",
    "PREFIX ex: <{url}> SELECT * WHERE {{ SERVICEex:foo {{ ?a ?b ?c }} }}",
    "PREFIX : <{url}> SELECT * WHERE {{ service:foo {{ ?a ?b ?c }} }}",
    "PREFIX : <{url}> SELECT * WHERE {{ ?s ?p ?o SERVICE:x {{ ?a ?b ?c }} }}",
    "PREFIX : <{url}> SELECT * WHERE {{ ?s ?p ?o ; ?q true.SERVICE:x {{ ?a ?b ?c }} }}",
    "PREFIX : <{url}> SELECT * WHERE {{ ?s ?p ?o FILTER(true)SERVICE:x {{ ?a ?b ?c }} }}",
    "PREFIX : <{url}> SELECT * WHERE {{ ?s ?p ?o.SERVICE:x {{ ?a ?b ?c }} }}",
    "PREFIX : <{url}> SELECT * WHERE {{ ?s ?p ?o OPTIONAL{{SERVICE:x {{ ?a ?b ?c }}}} }}",
    "PREFIX : <{url}> SELECT * WHERE {{ ?s ?p ?o ; ?q falseSERVICE:x {{ ?a ?b ?c }} }}".replace("false", "true"),
    "PREFIX : <{url}> SELECT * WHERE {{ ?s ?p ?o FILTER(?o != 1e1)SERVICE:x {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ ?s ?p ?o #\r SERVICE <{url}> {{ ?a ?b ?c }} }}",
    "PREFIX ex: <{x}> SELECT * FROMex:g WHERE {{ ?s ?p ?o }}",
    "PREFIX : <{x}> ASKFROM:g {{ ?s ?p ?o }}",
]


def _reaches(store, text):
    kind, answer = oxigraph_reads(store, text)
    if "FROM" in text.upper() and "SERVICE" not in text.upper():  # FROM: the answer loses the store's triple
        return kind == "rows" and not answer
    return kind == "service"


@pytest.mark.parametrize("case", range(len(GLUED)))
def test_each_check_alone_refuses_what_oxigraph_would_fetch(store, service, case):
    text = GLUED[case].format(url=service, x=X)
    assert _reaches(store, text), "the case is live: Oxigraph reads the keyword"
    assert lexer_reads(text) == "service"  # the first check
    with pytest.raises(SyntaxError):  # the second, which knows nothing of our lexer
        querycheck.check_oxigraph_parse(text)


@pytest.fixture
def listener():
    """An HTTP listener on 127.0.0.1 that records every request."""
    import http.server
    import threading

    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            hits.append(self.path)
            self.send_response(400)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", hits
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def oxigraph_graph():
    import genai_kg

    return genai_kg.load(store="oxigraph")


def test_the_issues_query_is_refused_on_oxigraph_without_a_network_namespace(oxigraph_graph, listener, monkeypatch):
    from genai_kg.guard.sandbox import NO_NAMESPACE_ENV

    url, hits = listener
    monkeypatch.setenv(NO_NAMESPACE_ENV, "1")
    text = f"PREFIX ex: <http://x/> SELECT * WHERE {{ ?s ?p ?o FILTER(?o != ex:brand™\\#) SERVICE <{url}> {{ }} }}"
    with pytest.raises(UnsafeInput, match="SERVICE"):
        oxigraph_graph.query(text)
    assert hits == []


@pytest.mark.parametrize("case", range(len(GLUED)))
def test_with_the_lexer_blinded_oxigraphs_parser_still_refuses(oxigraph_graph, listener, monkeypatch, case):
    """One mistake no longer opens the network: with the lexer's keyword check switched off (as if it had a
    bug), the second check alone keeps Oxigraph from running the query, in the child, with no namespace."""
    from genai_kg.guard.sandbox import NO_NAMESPACE_ENV

    url, hits = listener
    monkeypatch.setenv(NO_NAMESPACE_ENV, "1")
    monkeypatch.setattr(sparql, "fetching_keyword", lambda text: None)
    text = GLUED[case].format(url=url, x=X)
    with pytest.raises(QueryError, match="SPARQL syntax error"):
        oxigraph_graph.query(text)
    assert hits == []


def test_the_second_check_passes_what_oxigraph_reads_without_keywords(store):
    for text in ["PREFIX fromage: <http://x/> SELECT * WHERE { ?s ?p fromage:brie } # from here\n",
                 "SELECT ?service WHERE { ?service <http://x/FROM> 'SERVICE' } # SERVICE <http://x/>",
                 "PREFIX ex: <http://x/> SELECT * WHERE { ?s ex:a.SERVICE ?o }"]:
        querycheck.check_oxigraph_parse(text)
        assert oxigraph_reads(store, text)[0] == "rows"


def test_the_second_checks_syntax_error_is_placed_in_the_text_as_written():
    text = "SELECT * WHERE { ?s ?p ?o } # from SERVICE and from\nLIMIT x"
    with pytest.raises(SyntaxError) as caught:
        querycheck.check_oxigraph_parse(text)
    with pytest.raises(SyntaxError) as direct:
        ox.Store().query(text)
    assert str(caught.value) == str(direct.value)


@pytest.mark.parametrize("text", ["SELECT * WHERE { ?s ?p ?o\u00a0}", "SELECT * WHERE { ?s ?p ?o\u200b}",
                                  "SELECT * WHERE {\n ?s ?p ?o \\ }", "SELECT * WHERE { ?s ?p ?o\u2028}",
                                  "\ufeffSELECT * WHERE { ?s ?p ?o }", "SELECT * WHERE { ?s ?p ?o ` }"])
def test_a_character_the_grammar_does_not_allow_is_refused_with_its_place(store, text):
    assert oxigraph_reads(store, text)[0] == "syntax"
    with pytest.raises(QueryError, match=r"^query: line \d+, column \d+: U\+[0-9A-F]{4,} is not allowed"):
        querycheck.check_query_text(text)


@pytest.mark.slow  # runs of up to a million characters through the lexer, timed
def test_the_lexer_stays_linear_on_runs_that_are_not_names():
    sizes = {}
    for n in (20_000, 200_000):
        start = time.perf_counter()
        for text in ("a." * n, "é" * n, "ex:" + "a." * n, "_:a" * n, "@a-" * n, "?" * n, "<a" * n):
            list(sparql.tokenize(text))
        sizes[n] = time.perf_counter() - start
    assert sizes[200_000] < 30 * sizes[20_000] + 0.5  # tenfold input, about tenfold time


def test_the_grammar_module_is_the_grammars_ranges():
    """A few code points on each side of every boundary the grammar names."""
    assert re.fullmatch(lexical.PN_CHARS_BASE, "\u00d7") is None and re.fullmatch(lexical.PN_CHARS_BASE, "\u00d8")
    assert not lexical.is_pn_chars_base(0x2FF0) and lexical.is_pn_chars_base(0x2FEF)
    assert lexical.is_pn_chars(0x2D) and not lexical.is_pn_chars_base(0x2D)
    assert lexical.is_pn_chars_base(0xEFFFF) and not lexical.is_pn_chars_base(0xF0000)
    assert re.fullmatch(lexical.PNAME, "ex:a.b") and not re.fullmatch(lexical.PNAME, "ex:a.")
    assert re.fullmatch(lexical.PNAME, "ex:%41\\~") and not re.fullmatch(lexical.PNAME, "ex:%4")
    assert re.fullmatch(lexical.VARNAME, "1a\u00b7") and not re.fullmatch(lexical.VARNAME, "a-b")


def test_one_string_escape_writes_sparql_and_n_triples_and_both_read_back():
    """SPARQL's and N-Triples' string literals share their escapes, so one function writes both: every code
    point below U+0100 (and U+2028, U+2029, quotes, backslashes) reads back whole in Oxigraph's N-Triples
    parser and in its SPARQL parser."""
    from rdflib import Literal

    from genai_kg.answer_form import ntriples

    value = "".join(chr(c) for c in range(0x100)) + "\u2028\u2029 \\u0041 \"'\\"
    nt = ntriples("literal", value)
    assert nt == f'"{lexical.escape_string(value)}"' and "\n" not in nt and "\r" not in nt
    [quad] = ox.parse(f"<urn:s> <urn:p> {nt} .\n", format=ox.RdfFormat.N_TRIPLES)
    assert quad.object.value == value
    in_query = sparql.term_n3(Literal(value))
    assert in_query == f'"{lexical.escape_string(value, controls=True)}"'
    assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in in_query)
    [row] = ox.Store().query(f"SELECT ?v WHERE {{ VALUES ?v {{ {in_query} }} }}")
    assert row["v"].value == value


def test_each_name_class_matches_exactly_its_ranges():
    """char_class writes a big class as the negation of its complement: the same code points either way."""
    every = "".join(chr(c) for c in range(0x110000))
    for ranges, extra in [(lexical.PN_CHARS_BASE_RANGES, ""), (lexical.PN_CHARS_RANGES, ".:"),
                          (lexical.VARNAME_RANGES, ""), ((), lexical.PN_LOCAL_ESC_CHARS)]:
        wanted = {c for lo, hi in ranges for c in range(lo, hi + 1)} | {ord(c) for c in extra}
        assert {ord(c) for c in re.findall(lexical.char_class(ranges, extra), every)} == wanted
        unwanted = set(range(0x110000)) - wanted
        assert {ord(c) for c in re.findall(lexical.char_class(ranges, extra, negate=True), every)} == unwanted
