"""Virtuoso 7 (Debian's virtuoso-opensource), started once per session on loopback: ``push`` twice with the
command line's defaults, count, and every named query compared with the memory store's answer.

Virtuoso answers a few named queries differently, through bugs or choices of its own: they are listed in
:data:`VIRTUOSO_DIFFERS` with why, and marked as strict expected failures (a query rewritten to give
Virtuoso's answer right, or a Virtuoso that fixes the bug, then fails here until the list says so). Every
other named query must agree: strings equal, numbers by value.
"""

from __future__ import annotations

import re

import pytest
from _answers import answers
from click.testing import CliRunner

from genai_kg import load
from genai_kg.catalog import list_queries
from genai_kg.cli import main
from genai_kg.endpoint import DEFAULT_GRAPH, query_endpoint

#: A user's file with gaps (a model with no maker, no source) and a blank node of its own (a sourced claim).
GAPS = """@prefix gkg: <https://w3id.org/genai-kg/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix ex: <https://example.org/mine/> .
ex:Tricky a gkg:LargeLanguageModel ; rdfs:label "tricky \\" } # model"@en ; gkg:producesOutput gkg:Text .
ex:Lonely a gkg:LargeLanguageModel ; rdfs:label "lonely model"@en .
[] a owl:Axiom ; owl:annotatedSource ex:Tricky ; owl:annotatedProperty gkg:producesOutput ;
   owl:annotatedTarget gkg:Text ; dcterms:source ex:MyNotes .
ex:MyNotes rdfs:label "my notes"@en .
"""

_LOST_ROWS = (
    "lost rows (none, or one of four): GROUP_CONCAT or SAMPLE over labels, grouped over a join with an"
    " rdfs:subClassOf* path, drops groups (COUNT keeps them; the path inside FILTER EXISTS answers right)"
)
#: Named queries Virtuoso 7.2 answers differently from every other engine, and why.
VIRTUOSO_DIFFERS = {
    "claims-by-source": "same rows, sometimes in another order: ORDER BY over language-tagged labels, which"
    " SPARQL 1.1 leaves open ('<' is defined on simple literals and xsd:string); Virtuoso has put"
    " 'variational autoencoder architecture'@en before 'variational autoencoder'@en, depending on what else the"
    " store holds (ORDER BY STR(?x) agrees)",
    "describe-term": "Virtuoso's DESCRIBE adds the triples that point at the term, not only the term's own",
    "shared-traits": "Virtuoso's SPARQL compiler fails: 'Internal error: ssg_print_rvr_fixed_val(): no"
    " SPART_VARR_FIXED'",
    "subclass-chain": "wrong rows: one step of the three (GROUP_CONCAT grouped over a join with"
    " rdfs:subClassOf+ and * paths)",
    "systems-by-input": _LOST_ROWS,
    "systems-by-maker": _LOST_ROWS,
    "systems-by-output": _LOST_ROWS,
}
QUERIES = list_queries()
AXIOMS = """PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT (COUNT(DISTINCT ?ax) AS ?n) WHERE {
  ?ax a owl:Axiom ; owl:annotatedSource ?s ; owl:annotatedProperty ?p ; owl:annotatedTarget ?o }"""


#: Of those, the ones whose difference comes and goes with the data: expected to fail, not required to.
VIRTUOSO_SOMETIMES = {"claims-by-source"}


def _case(query):
    why = VIRTUOSO_DIFFERS.get(query.name)
    strict = query.name not in VIRTUOSO_SOMETIMES
    marks = [pytest.mark.xfail(strict=strict, reason=f"Virtuoso: {why}")] if why else []
    return pytest.param(query, id=query.name, marks=marks)


@pytest.fixture(scope="module")
def gaps(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "gaps.ttl"
    path.write_text(GAPS, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def local(gaps):
    return load([gaps], store="memory")


@pytest.fixture(scope="module")
def pushed(virtuoso_server, gaps):
    """Push twice with the command line's defaults (no --graph): the two stderr lines."""
    url, update_url = virtuoso_server
    lines = []
    for _ in range(2):
        args = ["push", "--endpoint", url, "--update-endpoint", update_url, "--data", str(gaps)]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        lines.append(result.output.strip())
    return url, lines


def test_push_twice_leaves_the_same_count_and_whole_blank_nodes(pushed, local):
    url, lines = pushed
    counts = [int(re.search(r"the store holds (\d+) in <(.+)>", line)[1]) for line in lines]
    assert counts == [len(local), len(local)]
    assert all(f"<{DEFAULT_GRAPH}>" in line for line in lines)
    axioms = int(next(iter(query_endpoint(url, AXIOMS, graph=DEFAULT_GRAPH)))[0])
    assert axioms == int(next(iter(local.query(AXIOMS)))[0])


@pytest.mark.parametrize("query", [_case(q) for q in QUERIES])
def test_every_named_query_answers_as_on_the_memory_store(pushed, local, query):
    expected = answers(local.query(query.name), query.text)
    got = answers(local.query(query.name, endpoint=pushed[0]), query.text)
    assert got == expected


def test_query_with_defaults_reads_what_push_wrote_with_defaults(pushed):
    result = CliRunner().invoke(main, ["query", "makers", "--endpoint", pushed[0], "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "OpenAI" in result.output
