"""Every named query gives the same cells on every engine: the memory store (rdflib), the Oxigraph store, and
a real Oxigraph server after ``push``; for the bundled graph alone and with a user's file with gaps
(``tests/data/gaps.ttl``: no maker, no input, no label, a family with no system, separators inside labels).

Cells are compared as they are, not normalised: strings equal (the items of a ``# list:`` column included,
which the pipeline reads whole and sorts), numbers by value, blank nodes as blank nodes; rows as a multiset,
and in order wherever the query orders them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _cells import table
from click.testing import CliRunner

from genai_kg import load
from genai_kg.answers import render
from genai_kg.catalog import list_queries
from genai_kg.cli import main
from genai_kg.endpoint import DEFAULT_GRAPH

GAPS = Path(__file__).parent / "data" / "gaps.ttl"
#: the named graph the bundled graph alone is pushed to (the file with gaps goes to the default one)
BUNDLED_GRAPH = "https://example.org/engines/bundled"
DATA = {"bundled": [], "gaps": [GAPS]}
QUERIES = list_queries()


@pytest.fixture(scope="module")
def graphs():
    """The data sets on each local store: ``{(data, store): KnowledgeGraph}``."""
    return {(name, store): load(files, store=store) for name, files in DATA.items() for store in ("memory", "oxigraph")}


@pytest.fixture(scope="module")
def answered(graphs):
    """Each query's answer on each local store, computed once: ``answered(data, store, query)``."""
    cache = {}

    def answer(data, store, query):
        if (data, store, query.name) not in cache:
            cache[(data, store, query.name)] = graphs[(data, store)].query(query.name, timeout=120)
        return cache[(data, store, query.name)]

    return answer


@pytest.fixture(scope="module")
def expected(answered):
    """The memory store's answer to each query on each data set, as compared: ``expected(data, query)``."""
    return lambda data, query: table(answered(data, "memory", query), query)


@pytest.fixture(scope="module")
def server(oxigraph_server, tmp_path_factory):
    """A real Oxigraph server holding both data sets, pushed with the command line: ``{data: (url, graph)}``."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as (_proc, query_url, update_url):
        pushes = {"bundled": ["--graph", BUNDLED_GRAPH], "gaps": ["--data", str(GAPS)]}
        for args in pushes.values():
            push = ["push", "--endpoint", query_url, "--update-endpoint", update_url, *args]
            result = CliRunner().invoke(main, push)
            assert result.exit_code == 0, result.output
        yield {"bundled": (query_url, BUNDLED_GRAPH), "gaps": (query_url, DEFAULT_GRAPH)}


def test_the_file_with_gaps_has_the_gaps_it_claims(graphs):
    kg = graphs[("gaps", "memory")]
    assert len(kg) > len(graphs[("bundled", "memory")])
    asked = """PREFIX gkg: <https://w3id.org/genai-kg/>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    PREFIX ex: <https://example.org/mine/>
    ASK {
      ex:Quiet a gkg:LargeLanguageModel . FILTER NOT EXISTS { ex:Quiet gkg:developedBy ?m }
      FILTER NOT EXISTS { ex:Quiet gkg:acceptsInput ?i }
      ex:Nameless gkg:developedBy ?maker . FILTER NOT EXISTS { ex:Nameless rdfs:label ?l }
      ex:TinyModel a gkg:ModelFamily . FILTER NOT EXISTS { ?s a ex:TinyModel . FILTER(?s != ex:Commas) }
    }"""
    assert bool(kg.query(asked))


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
@pytest.mark.parametrize("data", list(DATA))
def test_every_named_query_gives_the_same_cells_on_both_stores(graphs, expected, data, query):
    assert table(graphs[(data, "oxigraph")].query(query.name), query) == expected(data, query)


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
@pytest.mark.parametrize("data", list(DATA))
def test_every_named_query_gives_the_same_cells_on_an_oxigraph_server(graphs, expected, server, data, query):
    url, graph = server[data]
    got = graphs[(data, "memory")].query(query.name, endpoint=url, graph=graph)
    assert table(got, query) == expected(data, query)


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_json_and_xml_are_the_same_bytes_from_a_local_store_and_an_endpoint(graphs, answered, server, query):
    """The W3C results formats (JSON-LD and RDF/XML for a graph) written from an Oxigraph server's answer
    are byte for byte those written from either local store's: one answer form, one writer per format."""
    url, graph = server["bundled"]
    kg = graphs[("bundled", "memory")]
    remote = kg.query(query.name, endpoint=url, graph=graph).answer
    for store in ("memory", "oxigraph"):
        local = answered("bundled", store, query).answer
        for fmt in ("json", "xml"):
            ours = render(local, fmt, prefixes=kg.graph.namespace_manager)
            assert ours == render(remote, fmt, prefixes=kg.graph.namespace_manager), (store, fmt)
    if remote.kind != "graph":
        assert '"head": {"vars": ' in render(remote, "json") or remote.kind == "ask"


def test_the_command_line_writes_the_same_bytes_from_a_local_store_and_an_endpoint(server):
    url, graph = server["bundled"]
    for name in ("systems-by-output", "claims-about", "family-neighbourhood", "is-every-llm-generative-ai"):
        for fmt in ("json", "xml"):
            local = CliRunner().invoke(main, ["query", name, "--format", fmt])
            remote = CliRunner().invoke(main, ["query", name, "--format", fmt, "--endpoint", url, "--graph", graph])
            assert local.exit_code == remote.exit_code == 0, (local.output, remote.output)
            assert local.stdout_bytes == remote.stdout_bytes, (name, fmt)


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_a_system_with_no_maker_keeps_its_other_lists(graphs, store):
    """The gap that used to empty a whole column on Oxigraph: a system with no maker among systems with one."""
    rows = {str(r.system): r for r in graphs[("gaps", store)].query("systems-by-output", modality="text")}
    quiet = rows["https://example.org/mine/Quiet"]
    assert str(quiet.makers) == "" and str(quiet.statedBy) == "my notes"
    assert str(quiet.families) == "large language model"
    assert str(rows["https://w3id.org/genai-kg/GPT-4"].makers) == "OpenAI"
    commas = rows["https://example.org/mine/Commas"]
    assert str(commas.makers) == "Me, Inc."  # one maker has no label; the other's comma stays in its item
    assert str(commas.families) == "large language model, tiny model"


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_lists_come_sorted(graphs, store):
    rows = {str(r.maker): r for r in graphs[("bundled", store)].query("makers")}
    names = str(rows["https://w3id.org/genai-kg/Google"].names).split(", ")
    assert names == sorted(names) and len(names) > 2
