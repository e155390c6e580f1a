"""Property-based tests: random and mutated Turtle, RDF/XML, JSON-LD and SPARQL never give a traceback or hang.

In-process through CliRunner for speed; each property has a bounded ``max_examples`` and ``deadline`` so the
module stays well under a minute. Every answer is exit 0 (worked), 1 (a check failed) or 2 (a one-line
``Error:``), never 3 (an internal error) and never a traceback.
"""

from __future__ import annotations

import string

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from genai_kg.cli import main

SEED_TURTLE = """@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:a a ex:Thing ; rdfs:label "A thing"@en , "x\\"y" ; ex:n 42 , 3.5e1 ; ex:l ( ex:b "c" ) .
ex:b ex:p [ ex:q ex:c ] ; ex:long \"\"\"two
lines\"\"\" .
"""
SEED_XML = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY ex "http://example.org/"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="&ex;a"><ex:p rdf:resource="&ex;b"/><ex:q xml:lang="en">text</ex:q></rdf:Description>
</rdf:RDF>
"""
SEED_JSONLD = '{"@context": {"ex": "http://example.org/"}, "@id": "ex:a", "ex:p": [{"@id": "ex:b"}, "v"]}'
SEED_QUERIES = [
    "SELECT ?s ?o WHERE { ?s ?p ?o } LIMIT 5",
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?l WHERE { ?s rdfs:label ?l FILTER(lang(?l)='en') }",
    "ASK { ?s a ?o }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3",
    'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(REGEX(STR(?o), "^g", "i")) }',
    "SELECT ?s WHERE { ?s ?p ?o OPTIONAL { ?o ?q ?r } MINUS { ?s a ?t } } ORDER BY DESC(?s) LIMIT 2",
]
SPARQL_PIECES = [
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "(", ")", "?s", "?p", "?o", "$x", "*", ".", ";",
    ",", "FILTER", "OPTIONAL", "UNION", "MINUS", "GRAPH", "SERVICE", "FROM", "NAMED", "LOAD", "INSERT", "DELETE",
    "DATA", "BIND", "AS", "VALUES", "LIMIT", "OFFSET", "ORDER BY", "GROUP BY", "COUNT", "REGEX", "CONCAT", "<",
    ">", "<http://example.org/a>", '"lit"', "'x'", '"""long"""', "1", "2.5", "true", "a", "rdfs:label", "#",
    "\n", "\\u0053", "PREFIX ex: <http://example.org/>", "ex:a", "^^", "@en", "!", "&&", "||", "=", "!=",
]

runner = CliRunner()
#: Hypothesis runs 100 derandomised examples per test through the CLI: the whole suite runs them, the quick loop
#: leaves them out.
pytestmark = pytest.mark.slow

FUZZ = settings(
    max_examples=100,
    deadline=20_000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,
)


def check(result) -> None:
    """Exit 0, 1 or 2; no traceback; an error is one ``Error:`` line."""
    output = (result.stdout or "") + (result.stderr or "")
    assert "Traceback" not in output, output[-2000:]
    assert result.exit_code in (0, 1, 2), (result.exit_code, output[-2000:], result.exception)
    if result.exit_code == 2:  # one Error: line (after click's Usage: block for a usage error)
        lines = [line for line in (result.stderr or "").splitlines() if line.strip()]
        assert lines and lines[-1].startswith("Error: "), result.stderr
        assert lines[0].startswith(("Error: ", "Usage: ")), result.stderr


@pytest.fixture(scope="module", autouse=True)
def without_bundled_graph():
    """The fuzzed input is the user's: leave the bundled ontology out so that each run takes milliseconds."""
    from genai_kg import graph

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(graph, "bundled_files", lambda: [])
        yield


@st.composite
def mutated(draw, seed: str):
    """``seed`` with a few random edits: deletions, insertions, duplications, truncation, byte noise."""
    data = bytearray(seed.encode("utf-8"))
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        op = draw(st.sampled_from(["delete", "insert", "duplicate", "truncate", "byte"]))
        if op == "delete":
            del data[at : at + draw(st.integers(1, 10))]
        elif op == "insert":
            data[at:at] = draw(st.sampled_from(['"', "'", "<", ">", "{", "}", "\\", "@", "#", ".", ";", "\n",
                                                "&", "&ex;", "]]>", "\u00e9", "\x00", "\"\"\""])).encode("utf-8")
        elif op == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 40))]
        elif op == "truncate":
            del data[at:]
        else:
            data[at] = draw(st.integers(0, 255))
    return bytes(data)


def load_file(tmp_path, name: str, data: bytes, store: str = "memory"):
    path = tmp_path / name
    path.write_bytes(data)
    return runner.invoke(main, ["stats", "--data", str(path), "--store", store])


@FUZZ
@given(data=mutated(SEED_TURTLE))
def test_mutated_turtle(tmp_path_factory, data):
    check(load_file(tmp_path_factory.mktemp("ttl"), "f.ttl", data))


@FUZZ
@given(data=mutated(SEED_TURTLE))
def test_mutated_turtle_on_oxigraph(tmp_path_factory, data):
    check(load_file(tmp_path_factory.mktemp("ttl"), "f.ttl", data, store="oxigraph"))


@FUZZ
@given(text=st.text(alphabet=string.printable + "\u00e9\u2028\ufeff", max_size=300))
def test_random_text_as_turtle(tmp_path_factory, text):
    check(load_file(tmp_path_factory.mktemp("rnd"), "r.ttl", text.encode("utf-8")))


@FUZZ
@given(data=mutated(SEED_XML))
def test_mutated_rdfxml(tmp_path_factory, data):
    check(load_file(tmp_path_factory.mktemp("xml"), "f.rdf", data))


@FUZZ
@given(data=mutated(SEED_JSONLD))
def test_mutated_jsonld(tmp_path_factory, data):
    check(load_file(tmp_path_factory.mktemp("jsonld"), "f.jsonld", data))


@pytest.fixture(scope="module")
def small_ttl(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "small.ttl"
    path.write_text(SEED_TURTLE, encoding="utf-8")
    return str(path)


def query(sparql: str, small_ttl: str, store: str = "memory"):
    return runner.invoke(main, ["query", "--data", small_ttl, "--store", store, "--timeout", "5", "--sparql", sparql])


@FUZZ
@given(seed=st.sampled_from(SEED_QUERIES), edits=st.data())
def test_mutated_sparql(small_ttl, seed, edits):
    text = edits.draw(mutated(seed)).decode("utf-8", "replace")
    check(query(text, small_ttl))


@FUZZ
@given(pieces=st.lists(st.sampled_from(SPARQL_PIECES), min_size=1, max_size=25))
def test_random_sparql_tokens(small_ttl, pieces):
    check(query(" ".join(pieces), small_ttl))


@settings(FUZZ, max_examples=60)
@given(pieces=st.lists(st.sampled_from(SPARQL_PIECES), min_size=1, max_size=25))
def test_random_sparql_tokens_on_oxigraph(small_ttl, pieces):
    check(query(" ".join(pieces), small_ttl, store="oxigraph"))


@FUZZ
@given(value=st.text(max_size=60))
def test_random_parameter_values(small_ttl, value):
    sparql = "SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    check(runner.invoke(main, ["query", "--data", small_ttl, "--sparql", sparql, "--param", f"label={value}"]))
