"""Stores: the same answers in memory and in Oxigraph, the on-disk store reused and reloaded, safe binding."""

from __future__ import annotations

import os

import pytest
from _answers import answers
from rdflib import BNode, Literal, URIRef, Variable

from genai_kg import load
from genai_kg.catalog import list_queries
from genai_kg.errors import DataError, ParameterError, QueryError, UnsafeInput
from genai_kg.sparql import bind_values
from genai_kg.stores import read_manifest

EXTRA = """@prefix gkg: <https://w3id.org/genai-kg/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/mine/> .
ex:Tricky a gkg:LargeLanguageModel ; rdfs:label "tricky \\" } # model"@en ; gkg:developedBy ex:Me ;
    gkg:producesOutput gkg:Text .
ex:Me a gkg:Organization ; rdfs:label "Me, Inc."@en .
"""
QUERIES = list_queries()


@pytest.fixture(scope="module")
def extra(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "extra.ttl"
    path.write_text(EXTRA, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def graphs(extra, tmp_path_factory):
    folder = tmp_path_factory.mktemp("store") / "ox"
    return {
        "memory": load([extra], store="memory"),
        "oxigraph": load([extra], store="oxigraph"),
        "oxigraph:DIR": load([extra], store=f"oxigraph:{folder}"),
    }


def test_stores_hold_the_same_triples(graphs):
    sizes = {name: len(kg) for name, kg in graphs.items()}
    assert len(set(sizes.values())) == 1, sizes


@pytest.fixture(scope="module")
def in_memory(graphs):
    """``in_memory(query)``: its answer on Oxigraph in memory, computed once. That store answers as rdflib's
    memory store on the bundled graph and on a file full of gaps and hostile labels (test_engines.py); here
    the on-disk store answers as it does."""
    found: dict = {}

    def answer(query):
        if query.name not in found:
            found[query.name] = answers(graphs["oxigraph"].query(query.name), query.text)
        return found[query.name]

    return answer


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_every_named_query_answers_the_same_on_disk_as_in_memory(graphs, in_memory, query):
    assert answers(graphs["oxigraph:DIR"].query(query.name), query.text) == in_memory(query)


def test_a_hostile_parameter_stays_data_on_oxigraph(graphs):
    text = "SELECT ?x WHERE { BIND(?v AS ?x) }"
    value = 'quote " brace } hash # newline \n end'
    for kg in graphs.values():
        rows = list(kg.query(text, {"v": value}))
        assert [str(r[0]) for r in rows] == [value]


def test_parameters_bind_labels_on_oxigraph(graphs):
    rows = {str(r[0]) for r in graphs["oxigraph"].query("systems-by-output", {"modality": "text"})}
    assert "https://example.org/mine/Tricky" in rows
    assert rows == {str(r[0]) for r in graphs["memory"].query("systems-by-output", {"modality": "text"})}


def test_the_guard_still_refuses_service_on_oxigraph(graphs):
    with pytest.raises(UnsafeInput):
        graphs["oxigraph"].query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")


def test_on_disk_store_is_reused_then_reloaded_when_a_file_changes(tmp_path):
    data = tmp_path / "mine.ttl"
    data.write_text(EXTRA, encoding="utf-8")
    folder = tmp_path / "store"
    first = load([data], store=f"oxigraph:{folder}")
    size = len(first)
    first.graph.close()
    del first
    assert read_manifest(folder)["loads"] == 1
    second = load([data], store=f"oxigraph:{folder}")
    assert read_manifest(folder)["loads"] == 1  # reused: nothing parsed
    assert len(second) == size
    assert second.graph.namespace_manager.curie(URIRef("https://example.org/mine/Me")) == "ex:Me"
    second.graph.close()
    del second
    data.write_text(EXTRA + 'ex:New rdfs:label "new"@en .\n', encoding="utf-8")
    third = load([data], store=f"oxigraph:{folder}")
    assert read_manifest(folder)["loads"] == 2
    assert len(third) == size + 1
    third.graph.close()
    del third
    fourth = load([], store=f"oxigraph:{folder}")  # a different list of files: reload without it
    assert read_manifest(folder)["loads"] == 3
    assert len(fourth) < size


def test_a_folder_that_is_not_a_store_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(DataError, match="not empty"):
        load(store=f"oxigraph:{tmp_path}")
    assert sorted(os.listdir(tmp_path)) == ["notes.txt"]


def test_a_syntax_error_names_file_and_line_on_oxigraph(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <https://example.org/> .\n\nex:a ex:b .\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"bad\.ttl: line 3"):
        load([bad], store="oxigraph", bundled=False)
    folder = tmp_path / "store"
    with pytest.raises(DataError):
        load([bad], store=f"oxigraph:{folder}", bundled=False)
    assert read_manifest(folder)["files"] is None  # still ours, and nothing recorded as loaded


def test_quads_merge_into_the_graph_on_oxigraph(tmp_path):
    path = tmp_path / "g.trig"
    path.write_text("<https://e/g> { <https://e/a> <https://e/b> <https://e/c> }\n", encoding="utf-8")
    for store in ("memory", "oxigraph"):
        kg = load([path], store=store, bundled=False)
        assert (URIRef("https://e/a"), URIRef("https://e/b"), URIRef("https://e/c")) in kg.graph


# -- binding as a VALUES block ---------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".nt", ".nq", ".ttl", ".trig"])
@pytest.mark.parametrize("store", ["memory", "oxigraph", "oxigraph:DIR"])
def test_two_files_blank_nodes_stay_two_nodes_on_every_store(tmp_path, suffix, store):
    """A blank node label is scoped to its file: two files' ``_:b0`` are two nodes, as rdflib makes them.
    Oxigraph's own load renames them per file; N-Quads and TriG, which our loader parses to merge their named
    graphs, once kept the label as written and joined the two."""
    line = "_:b0 <https://example.org/p> {} .\n"
    files = []
    for name, value in (("a", '"one"'), ("b", '"two"')):
        files.append(tmp_path / f"{name}{suffix}")
        files[-1].write_text(line.format(value), encoding="utf-8")
    store = store.replace("DIR", str(tmp_path / "store"))
    graph = load(files, store=store, bundled=False).graph
    subjects = set(graph.subjects(URIRef("https://example.org/p"), None))
    assert len(subjects) == 2 and all(isinstance(s, BNode) for s in subjects)


def test_values_go_into_the_where_group_not_the_construct_template():
    text = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } # }"
    bound = bind_values(text, {Variable("s"): URIRef("https://e/a")})
    assert bound == "CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?s) { (<https://e/a>) } ?s ?p ?o } # }"


def test_braces_in_strings_comments_and_iris_are_skipped():
    text = 'PREFIX e: <https://e/#x> # {\nSELECT ?s WHERE { ?s ?p "{" }'
    bound = bind_values(text, {"s": Literal("v")})
    assert bound.endswith('WHERE { VALUES (?s) { ("v") } ?s ?p "{" }')


@pytest.mark.parametrize("term", [BNode("b1"), URIRef("https://e/a> } <x")], ids=["blank-node", "iri-with-brace"])
def test_unbindable_terms_are_refused(term):
    with pytest.raises(ParameterError):
        bind_values("SELECT * WHERE { ?s ?p ?o }", {"s": term})


def test_short_construct_cannot_take_values():
    with pytest.raises(QueryError):
        bind_values("CONSTRUCT WHERE { ?s ?p ?o }", {"s": URIRef("https://e/a")})


def test_an_oxigraph_query_stops_at_its_timeout(graphs):
    from genai_kg.errors import LimitExceeded

    with pytest.raises(LimitExceeded):
        graphs["oxigraph"].query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }", timeout=0.5)


#: Valid SPARQL that rdflib's engine fails on and Oxigraph answers: GROUP_CONCAT(DISTINCT) over a variable an
#: OPTIONAL leaves unbound (NotBoundError), ORDER BY over a value unbound in some row (TypeError).
RDFLIB_FAILS = {
    "NotBoundError": "SELECT ?s (GROUP_CONCAT(DISTINCT ?m) AS ?ms) WHERE { ?s a gkg:LargeLanguageModel"
    " OPTIONAL { ?s gkg:nothing ?m } } GROUP BY ?s",
    "TypeError": "SELECT ?s ?l WHERE { ?s a gkg:LargeLanguageModel OPTIONAL { ?s gkg:nothing ?l } } ORDER BY STR(?l)",
}


@pytest.mark.parametrize("case", sorted(RDFLIB_FAILS))
def test_queries_rdflib_fails_on_work_by_default_and_name_oxigraph_on_memory(tmp_path, case):
    """A small --data file no longer moves the answer to rdflib's engine: the default answers; the memory
    store, asked for, fails in one line naming the store that answers."""
    from click.testing import CliRunner

    from genai_kg.cli import main

    mine = tmp_path / "small.ttl"
    mine.write_text(EXTRA, encoding="utf-8")
    sparql = RDFLIB_FAILS[case]
    assert len(load([mine]).query(sparql)) > 3
    named = r"\(pass store='oxigraph' to run it on Oxigraph\)$"
    with pytest.raises(QueryError, match=rf"{case}: .*rdflib's engine .*{named}"):
        load([mine], store="memory").query(sparql)
    result = CliRunner().invoke(main, ["query", "--data", str(mine), "--store", "memory", "--sparql", sparql])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert result.stderr.rstrip().endswith("(use --store oxigraph to run it on Oxigraph)")
    ok = CliRunner().invoke(main, ["query", "--data", str(mine), "--sparql", sparql, "--format", "csv"])
    assert ok.exit_code == 0 and ok.stdout.count("\n") > 3


def test_the_benchmark_generator_is_seeded_and_sized():
    import importlib.util
    from pathlib import Path

    from rdflib import Graph

    spec = importlib.util.spec_from_file_location("generate", Path(__file__).parents[1] / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = module.generate(10_000, seed=3)
    assert text == module.generate(10_000, seed=3) != module.generate(10_000, seed=4)
    assert 9_500 <= len(Graph().parse(data=text, format="turtle")) <= 10_500


def test_oxigraph_writes_numbers_in_canonical_form(tmp_path):
    """A known difference: Oxigraph keeps numbers by value, rdflib keeps the lexical form as written."""
    path = tmp_path / "n.ttl"
    path.write_text('<https://e/a> <https://e/p> "300.0"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n')
    memory = load([path], store="memory", bundled=False)
    oxigraph = load([path], store="oxigraph", bundled=False)
    assert [str(o) for o in memory.graph.objects()] == ["300.0"]
    assert [str(o) for o in oxigraph.graph.objects()] == ["300"]


def test_an_on_disk_store_in_use_is_a_clear_error(tmp_path):
    from genai_kg.stores import open_graph

    first = open_graph(f"oxigraph:{tmp_path / 'store'}")
    with pytest.raises(DataError, match="in use by another process"):
        open_graph(f"oxigraph:{tmp_path / 'store'}")
    first.close()
