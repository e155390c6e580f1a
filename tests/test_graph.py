"""The loader: bundled files, users' files in every format by extension, clear errors, term lookup."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from genai_kg import load
from genai_kg.errors import DataError, TermNotFound, UnsupportedFormat
from genai_kg.formats import extensions, from_extension
from genai_kg.graph import bundled_files
from genai_kg.vocab import GKG

EX = "https://example.org/my/"
SMALL = f"""@prefix ex: <{EX}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:MyModel rdfs:label "My model"@en ; ex:madeBy ex:Me .
"""


def test_bundled_files_exclude_the_shapes():
    names = [p.name for p in bundled_files()]
    assert "genai-kg.ttl" in names
    assert "shapes.ttl" not in names


def test_bundled_graph_knows_llms(bundled):
    assert (GKG.LargeLanguageModel, RDFS.subClassOf, GKG.GenerativeAI) in bundled.graph


@pytest.mark.parametrize("ext", sorted(set(extensions()) - {".nq", ".trig"}))
def test_user_file_in_every_triple_format_merges(tmp_path, ext):
    fmt = from_extension(f"mine{ext}").name
    path = tmp_path / f"mine{ext}"
    path.write_text(Graph().parse(data=SMALL, format="turtle").serialize(format=fmt), encoding="utf-8")
    kg = load([path], bundled=False)
    assert (URIRef(EX + "MyModel"), RDFS.label, Literal("My model", lang="en")) in kg.graph


@pytest.mark.parametrize("ext", [".nq", ".trig"])
def test_named_graphs_are_merged_into_the_one_graph(tmp_path, ext):
    path = tmp_path / f"mine{ext}"
    path.write_text(
        f"<{EX}a> <{EX}p> <{EX}b> <{EX}g> .\n" if ext == ".nq" else f"<{EX}g> {{ <{EX}a> <{EX}p> <{EX}b> . }}\n",
        encoding="utf-8",
    )
    kg = load([path], bundled=False)
    assert (URIRef(EX + "a"), URIRef(EX + "p"), URIRef(EX + "b")) in kg.graph


def test_user_data_adds_to_the_bundled_graph(tmp_path, bundled):
    path = tmp_path / "mine.ttl"
    path.write_text(SMALL, encoding="utf-8")
    kg = load([path])
    assert len(kg) == len(bundled) + 2
    assert kg.resolve_term("my model") == URIRef(EX + "MyModel")


def test_unknown_extension_is_refused_before_parsing(tmp_path):
    path = tmp_path / "notes.docx"
    path.write_text("whatever", encoding="utf-8")
    with pytest.raises(UnsupportedFormat, match=r"notes\.docx: unknown RDF format '\.docx'"):
        load([path])


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(DataError, match=r"nothere\.ttl: no such file"):
        load([tmp_path / "nothere.ttl"])


def test_syntax_error_names_file_and_line(tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text(SMALL + "ex:x ex:y .\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"broken\.ttl: line 4"):
        load([path], bundled=False)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("LLM", GKG.LargeLanguageModel),
        ("large language model", GKG.LargeLanguageModel),
        ("gkg:LargeLanguageModel", GKG.LargeLanguageModel),
        ("<https://w3id.org/genai-kg/LargeLanguageModel>", GKG.LargeLanguageModel),
        ("https://w3id.org/genai-kg/LargeLanguageModel", GKG.LargeLanguageModel),
        ("GenerativeAI", GKG.GenerativeAI),
    ],
)
def test_terms_resolve_by_iri_curie_label_or_abbreviation(bundled, text, expected):
    assert bundled.resolve_term(text) == expected


def test_unknown_term_suggests_close_labels(bundled):
    with pytest.raises(TermNotFound, match="no term with IRI, CURIE or label 'large langage model'"):
        bundled.resolve_term("large langage model")


def test_stats_count_the_bundled_graph(bundled):
    stats = bundled.stats()
    assert stats["triples"] == len(bundled.graph)
    assert stats["sources"] == 3
    assert stats["claims"] > 0
