"""The query catalogue: headers, lookup by name or path, term resolution, and parameters bound as data."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef, Variable
from rdflib.namespace import RDFS, XSD

from genai_kg.catalog import get_query, list_queries, parse_query_text
from genai_kg.errors import ParameterError, QueryError, QueryNotFound, TermNotFound
from genai_kg.pipeline import bind_params
from genai_kg.terms import resolve_term
from genai_kg.vocab import GKG

HEADER = """# title: Which systems produce a modality?
# description: Named systems whose output
# description: includes the modality.
# param: modality = gkg:Image ; the output modality
# param: limit:integer = 10 ; at most this many rows
# param: text:literal = "two words" ; a string
# param: needed ; no default
PREFIX gkg: <https://w3id.org/genai-kg/>
# a comment after the header is not part of it
# title: ignored
SELECT ?s WHERE { ?s gkg:producesOutput ?modality }
"""


def test_header_is_parsed():
    q = parse_query_text(HEADER, "demo")
    assert q.title == "Which systems produce a modality?"
    assert q.description == "Named systems whose output includes the modality."
    assert [(p.name, p.kind, p.default, p.description) for p in q.params] == [
        ("modality", "term", "gkg:Image", "the output modality"),
        ("limit", "integer", "10", "at most this many rows"),
        ("text", "literal", "two words", "a string"),
        ("needed", "term", None, "no default"),
    ]
    assert q.form == "SELECT"


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("ASK { ?s ?p ?o }", "ASK"),
        ("PREFIX x: <http://e/SELECT#> CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ('# "SELECT" in a comment\nDESCRIBE ?s WHERE { ?s ?p "ASK" }', "DESCRIBE"),
    ],
)
def test_form_ignores_comments_iris_and_strings(text, form):
    assert parse_query_text(text, "q").form == form


def test_bad_param_header_names_the_line():
    with pytest.raises(QueryError, match=r"q: line 2: bad '# param:' header"):
        parse_query_text("# title: t\n# param: 1bad = x\nASK {}", "q")


def test_bundled_catalogue_is_sorted_and_complete():
    names = [q.name for q in list_queries()]
    assert names == sorted(names)
    assert "systems-by-output" in names and "weaknesses" in names


def test_get_query_by_name_and_by_path(tmp_path):
    assert get_query("weaknesses").params[0].name == "family"
    path = tmp_path / "mine.rq"
    path.write_text("# title: mine\nASK {}\n", encoding="utf-8")
    assert get_query(str(path)).title == "mine"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("weaknesess", "did you mean weaknesses"),
        ("../etc/passwd", "no such query file"),
        ("nothing-like-it-zzz", r"see genai_kg\.list_queries\(\) for the list"),
        ("bad name!", "no named query"),
    ],
)
def test_unknown_queries(name, message):
    with pytest.raises(QueryNotFound, match=message):
        get_query(name)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("gkg:GPT-4", GKG["GPT-4"]),
        ("<https://w3id.org/genai-kg/GPT-4>", GKG["GPT-4"]),
        ("https://w3id.org/genai-kg/GPT-4", GKG["GPT-4"]),
        ("LLM", GKG.LargeLanguageModel),  # an abbreviation (skos:altLabel)
        ("Large Language Model", GKG.LargeLanguageModel),  # a label, in any case
        ("image", GKG.Image),
        ("rdfs:subClassOf", RDFS.subClassOf),
        ("Hallucination", GKG.Hallucination),  # the local name
    ],
)
def test_resolve_term(kg, text, expected):
    assert resolve_term(kg.graph, text) == expected


def test_resolve_term_suggests_close_labels(kg):
    with pytest.raises(TermNotFound, match="did you mean 'hallucination'"):
        resolve_term(kg.graph, "halucination")


def test_params_bind_terms_and_typed_literals(kg):
    q = parse_query_text(HEADER, "demo")
    bindings = bind_params(q, {"modality": "text", "limit": "3", "needed": "GPT-4"}, kg.resolve_term)
    assert bindings == {
        Variable("modality"): GKG.Text,
        Variable("limit"): Literal(3, datatype=XSD.integer),
        Variable("text"): Literal("two words"),
        Variable("needed"): GKG["GPT-4"],
    }


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({}, r"^params\['needed'\]: required by query 'demo'"),
        ({"needed": "x", "colour": "red"}, r"^params\['colour'\]: query 'demo' has no such parameter"),
        ({"needed": "x", "limit": "many"}, r"^params\['limit'\]: 'many' is not integer"),
        ({"needed": "no such term"}, r"^params\['needed'\]: no term"),
    ],
)
def test_param_errors(kg, values, message):
    with pytest.raises(ParameterError, match=message):
        bind_params(parse_query_text(HEADER, "demo"), values, kg.resolve_term)


def test_a_hostile_value_stays_data(kg):
    """Quotes, braces and '#' in a literal parameter are a string, never SPARQL."""
    hostile = '"} ?s ?p ?o . FILTER(true) # '
    text = (
        "# title: t\n# description: d\n# param: q:literal = x ; a string\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?s WHERE { ?s rdfs:label ?label FILTER(STR(?label) = STR(?q)) }\n"
    )
    named = parse_query_text(text, "t")
    assert list(kg.query(named, {"q": hostile})) == []
    assert [row.s for row in kg.query(named, {"q": "GPT-4"})] == [GKG["GPT-4"]]


def test_ad_hoc_sparql_binds_any_variable(kg):
    q = parse_query_text("SELECT ?o WHERE { ?s ?p ?o }", "<sparql>")
    bindings = bind_params(q, {"s": "GPT-4", "x": "plain words"}, kg.resolve_term)
    assert bindings[Variable("s")] == GKG["GPT-4"]
    assert bindings[Variable("x")] == Literal("plain words")
    with pytest.raises(ParameterError, match="not a SPARQL variable name"):
        bind_params(q, {"not-a-name": "x"}, kg.resolve_term)


def test_named_query_runs_through_the_graph(kg):
    labels = {str(row.label) for row in kg.query("systems-by-output", {"modality": "image"})}
    assert {"DALL-E", "Stable Diffusion", "Midjourney"} <= labels
    assert isinstance(next(iter(kg.query("systems-by-output"))).system, URIRef)


def _order_keys(node, found):
    """Every variable an OrderBy node of the algebra sorts by (inside STR(), DESC() and the like)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name == "OrderBy":
            for cond in node.expr:
                found.update(v for v in _variables(cond))
        for value in node.values():
            _order_keys(value, found)
    elif isinstance(node, list | tuple):
        for value in node:
            _order_keys(value, found)
    return found


def _variables(node):
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, Variable):
        yield node
    elif isinstance(node, CompValue):
        for value in node.values():
            yield from _variables(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _variables(value)


@pytest.mark.parametrize("query", [q for q in list_queries() if q.form == "SELECT"], ids=lambda q: q.name)
def test_every_select_query_has_a_total_order(query):
    """A named query sorts by every column it returns, so two engines that break ties differently still
    give the same rows in the same order (CI once found memory and Oxigraph listing a family's two
    sections of one source in opposite orders)."""
    from rdflib.plugins.sparql import prepareQuery

    algebra = prepareQuery(query.text).algebra
    unsorted = [str(v) for v in algebra.PV if v not in _order_keys(algebra, set())]
    assert not unsorted, f"{query.name}: ORDER BY leaves out {unsorted}"
