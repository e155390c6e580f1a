"""Blank nodes read as what they say (issue 22): restrictions, claims and citations, never ``_:id``."""

from __future__ import annotations

from click.testing import CliRunner
from rdflib import Graph

from genai_kg.cli import main
from genai_kg.readable import blank_text, restriction_text

TTL = """
@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/> .
ex:p rdfs:label "produces output" . ex:Image rdfs:label "image" . ex:A rdfs:label "a" . ex:B rdfs:label "b" .
ex:Gan rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:p ; owl:someValuesFrom ex:Image ] ,
                       [ a owl:Restriction ; owl:onProperty ex:p ; owl:hasValue ex:Image ] ,
                       [ owl:unionOf ( ex:A ex:B ) ] .
"""


def test_restrictions_and_class_expressions_read_as_text():
    from rdflib.namespace import RDFS

    g = Graph().parse(data=TTL, format="turtle")
    supers = list(g.objects(None, RDFS.subClassOf))
    assert sorted(blank_text(o, g) for o in supers) == [
        "one of a, b", "produces output: some image", "produces output: value image"]
    assert sorted(str(restriction_text(o, g)) for o in supers) == [
        "None", "produces output: some image", "produces output: value image"]


def test_family_neighbourhood_table_and_md_show_no_blank_ids(monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")  # wide enough that no cell wraps: a claim's text stays on one line
    for fmt in ("table", "md"):
        result = CliRunner().invoke(main, ["query", "family-neighbourhood", "--format", fmt])
        assert result.exit_code == 0, result.output
        assert "_:" not in result.output
        assert "produces output: value text" in result.output
        assert "claim: large language model · has application · chatbot" in result.output
