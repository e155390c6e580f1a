"""Quality control of the bundled terms, ROBOT-report style: synonyms scoped, none equal to a label or shared."""

import json
from collections import defaultdict

import pytest
from click.testing import CliRunner
from conftest import ontology_graph, results_records
from rdflib import RDFS, URIRef

from genai_kg.cli import main
from genai_kg.vocab import OBOINOWL, SKOS, SYNONYM_PREDICATES

SCOPED = (OBOINOWL.hasExactSynonym, OBOINOWL.hasRelatedSynonym, OBOINOWL.hasBroadSynonym, OBOINOWL.hasNarrowSynonym)


def test_every_synonym_has_a_scope():
    g = ontology_graph()
    assert not [t for t in g.triples((None, SKOS.altLabel, None)) if isinstance(t[0], URIRef)]
    counts = {p.split("#")[1]: len(list(g.triples((None, p, None)))) for p in SCOPED}
    assert sum(counts.values()) > 150 and all(counts.values()), counts


def test_no_synonym_equals_a_label_or_is_shared():
    g = ontology_graph()
    names = defaultdict(set)
    for s, o in g.subject_objects(RDFS.label):
        names[str(o).casefold()].add(s)
    for p in SYNONYM_PREDICATES:
        for s, o in g.subject_objects(p):
            assert str(o).casefold() not in {str(lab).casefold() for lab in g.objects(s, RDFS.label)}, (s, o)
    holders = defaultdict(set)
    for p in SYNONYM_PREDICATES:
        for s, o in g.subject_objects(p):
            holders[str(o).casefold()].add(s)
    shared = {text: terms for text, terms in holders.items() if len(terms) > 1}
    assert not shared
    clash = {text: terms | names[text] for text, terms in holders.items() if names[text] - terms}
    assert not clash


PROBLEMS = """@prefix gkg: <https://w3id.org/genai-kg/> .
@prefix ex: <https://example.org/qc/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix oboInOwl: <http://www.geneontology.org/formats/oboInOwl#> .
ex:Twin a owl:Class ; rdfs:label "large language model"@en ; skos:definition "A twin."@en .
ex:Spaced a owl:Class ; rdfs:label " spaced  label"@en ; skos:definition "Same words."@en .
ex:Copy a owl:Class ; rdfs:label "copy"@en ; skos:definition "Same words."@en ;
    oboInOwl:hasExactSynonym "COPY"@en, "LLM"@en .
ex:Old a owl:Class ; rdfs:label "old"@en ; skos:definition "Gone."@en ; owl:deprecated true .
ex:Child a owl:Class ; rdfs:label "child"@en ; skos:definition "Under old."@en ; rdfs:subClassOf ex:Old .
"""


@pytest.fixture(scope="module")
def problems(tmp_path_factory):
    path = tmp_path_factory.mktemp("qc") / "problems.ttl"
    path.write_text(PROBLEMS, encoding="utf-8")
    return path


@pytest.mark.slow  # pySHACL over the whole graph
def test_qc_report_names_each_check_with_its_severity(problems):
    done = CliRunner().invoke(main, ["validate", "--data", str(problems), "--format", "json", "--fail-on", "none"])
    assert done.exit_code == 0, done.output
    found = {(f["rule"], f["term"].rsplit("/", 1)[-1], f["severity"]) for f in results_records(done.stdout)}
    assert {
        ("QcDuplicateLabelShape", "Twin", "violation"),
        ("QcLabelWhitespaceShape", "Spaced", "warning"),
        ("QcSharedDefinitionShape", "Copy", "warning"),
        ("QcSynonymIsLabelShape", "Copy", "warning"),
        ("QcSharedSynonymShape", "Copy", "warning"),
        ("QcDeprecatedInUseShape", "Old", "warning"),
        ("QcSingleSubclassShape", "Old", "info"),
    } <= found


@pytest.mark.slow  # pySHACL over the whole graph
def test_findings_take_every_row_format_of_the_registry(problems):
    """validate's findings are written by the answer registry: every row format, the same variables in each,
    json the W3C SPARQL 1.1 results form; table is the report's own."""
    from genai_kg import load
    from genai_kg.answers import ROW_FORMATS
    from genai_kg.qc import format_findings

    found = load([problems]).validate().findings
    names = ["severity", "rule", "term", "label", "message"]
    [option] = [p for p in main.commands["validate"].params if p.name == "fmt"]
    assert tuple(option.type.choices) == ROW_FORMATS
    out = {fmt: format_findings(found, fmt) for fmt in ROW_FORMATS}
    rows = results_records(out["json"])
    assert json.loads(out["json"])["head"]["vars"] == names and len(rows) == len(found) > 0
    assert [(r["severity"], r["rule"]) for r in rows] == [(f.severity, f.rule) for f in found]
    assert out["csv"].splitlines()[0] == ",".join(names) and len(out["csv"].splitlines()) == len(found) + 1
    assert out["tsv"].splitlines()[0] == "\t".join(f"?{n}" for n in names)
    assert all(f'<variable name="{n}"/>' in out["xml"] for n in names)
    assert out["md"].splitlines()[0] == "| " + " | ".join(names) + " |"
    assert out["table"].split()[:4] == ["SEVERITY", "RULE", "TERM", "MESSAGE"]


@pytest.mark.slow  # pySHACL twice over the whole graph
def test_fail_on_warning_fails_on_a_shared_synonym_and_passes_on_the_bundled_graph(tmp_path):
    shared = tmp_path / "shared.ttl"
    shared.write_text('@prefix oboInOwl: <http://www.geneontology.org/formats/oboInOwl#> .\n'
                      '<https://w3id.org/genai-kg/LargeLanguageModel> oboInOwl:hasExactSynonym "GAN"@en .\n',
                      encoding="utf-8")
    runner = CliRunner()
    failed = runner.invoke(main, ["validate", "--data", str(shared), "--fail-on", "warning", "--format", "tsv"])
    assert failed.exit_code == 1, failed.output
    rows = [line.split("\t") for line in failed.stdout.splitlines()]
    assert rows[0] == ["?severity", "?rule", "?term", "?label", "?message"]  # W3C SPARQL 1.1 TSV results
    assert ['"warning"', '"QcSharedSynonymShape"'] in [row[:2] for row in rows]
    assert "fails on warning" in failed.stderr
    assert runner.invoke(main, ["validate", "--data", str(shared)]).exit_code == 0  # only violations fail by default
    bundled = runner.invoke(main, ["validate", "--fail-on", "warning"])
    assert bundled.exit_code == 0, bundled.output
    assert "WARNING" not in bundled.stdout and "VIOLATION" not in bundled.stdout
