"""The SHACL shapes in ontology/shapes.ttl: the graph conforms, and each broken example is rejected by the
rule it breaks (and by no other rule).

Each file under tests/data/broken/ is a user's addition with exactly one defect; it is merged with the
project's data graph (genai-kg.ttl + individuals.ttl + presentation.ttl), as a user's own data would be.
All of them are merged at once, each with its example IRIs moved under a folder of its own (ex:TinyLM of
missing_label.ttl becomes <.../broken/missing_label/TinyLM>), so one pySHACL run (about 10 s) checks them
all instead of one run per file, and no file's terms can mend or break another's.
"""

from functools import lru_cache
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import RDF, Graph, Namespace, URIRef

ROOT = Path(__file__).parents[1]
ONTOLOGY = ROOT / "ontology"
BROKEN = ROOT / "tests" / "data" / "broken"
DATA_FILES = ["genai-kg.ttl", "individuals.ttl", "presentation.ttl"]

SH = Namespace("http://www.w3.org/ns/shacl#")
GKGSH = Namespace("https://w3id.org/genai-kg/shapes/")
EX = "https://example.org/broken/"

# file -> (the only shape that may reject it, the constraint component that must fire, a phrase of the message)
EXPECTED = {
    "missing_label.ttl": ("TermLabelShape", "MinCountConstraintComponent", "rdfs:label"),
    "missing_definition.ttl": ("TermDefinitionShape", "MinCountConstraintComponent", "skos:definition"),
    "class_without_label.ttl": ("ClassTermShape", "SPARQLConstraintComponent", "has no rdfs:label"),
    "system_without_output.ttl": ("SystemOutputShape", "MinCountConstraintComponent", "producesOutput"),
    "system_output_not_modality.ttl": ("SystemOutputShape", "ClassConstraintComponent", "gkg:Modality"),
    "system_without_source.ttl": ("SystemSourceShape", "MinCountConstraintComponent", "dcterms:source"),
    "system_maker_not_organization.ttl": ("SystemMakerShape", "ClassConstraintComponent", "gkg:Organization"),
    "unsourced_object_claim.ttl": ("ObjectPropertyClaimShape", "SPARQLConstraintComponent",
                                   "has no owl:Axiom annotation"),
    "unsourced_datatype_claim.ttl": ("DatatypePropertyClaimShape", "SPARQLConstraintComponent",
                                     "has no owl:Axiom annotation"),
    "unsourced_class_assertion.ttl": ("ClassAssertionClaimShape", "SPARQLConstraintComponent",
                                      "Class assertion"),
    "unsourced_subclass.ttl": ("SubClassClaimShape", "SPARQLConstraintComponent", "Subclass claim"),
    "axiom_without_source.ttl": ("AxiomSourceShape", "MinCountConstraintComponent", "dcterms:source"),
    "axiom_source_not_a_source.ttl": ("AxiomSourceShape", "ClassConstraintComponent", "gkg:Source"),
    "axiom_about_missing_triple.ttl": ("AxiomTripleShape", "SPARQLConstraintComponent", "not asserted"),
    "dangling_reference.ttl": ("DanglingReferenceShape", "SPARQLConstraintComponent", "dangling reference"),
    "statistic_value_not_decimal.ttl": ("StatisticValueShape", "DatatypeConstraintComponent", "xsd:decimal"),
    "disagreement_one_side.ttl": ("DisagreementSidesShape", "MinCountConstraintComponent", "each side"),
    "bad_display_colour.ttl": ("DisplayColourShape", "PatternConstraintComponent", "#rrggbb"),
    "aspect_without_order.ttl": ("AspectOrderShape", "MinCountConstraintComponent", "gkg:aspectOrder"),
    "family_not_a_class.ttl": ("ModelFamilyShape", "SPARQLConstraintComponent", "not an owl:Class"),
}


@lru_cache(maxsize=1)
def base_graph() -> Graph:
    g = Graph()
    for name in DATA_FILES:
        g.parse(ONTOLOGY / name, format="turtle")
    return g


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    return Graph().parse(ONTOLOGY / "shapes.ttl", format="turtle")


def run(extra: Path | None = None):
    data = Graph()
    data += base_graph()
    if extra is not None:
        data.parse(extra, format="turtle")
    # warnings and information are QC findings (tests/test_qc.py); these tests are about violations
    conforms, report, _ = validate(data, shacl_graph=shapes_graph(), inplace=True, allow_warnings=True)
    base_nodes = {x for t in base_graph() for x in t}
    added = {x for t in data for x in t} - base_nodes
    results = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(r, SH.resultSeverity) != SH.Violation:
            continue
        results.append({
            "shape": report.value(r, SH.sourceShape),
            "component": report.value(r, SH.sourceConstraintComponent),
            "focus": report.value(r, SH.focusNode),
            "value": report.value(r, SH.value),
            "message": " ".join(str(m) for m in report.objects(r, SH.resultMessage)),
            "points_at_addition": bool({report.value(r, SH.focusNode), report.value(r, SH.value)} & added),
        })
    return conforms, results


@pytest.mark.slow  # pySHACL over the whole graph
def test_the_graph_conforms_to_its_shapes():
    conforms, results = run()
    assert conforms, results[:5]


def test_every_broken_file_has_an_expectation():
    assert sorted(p.name for p in BROKEN.glob("*.ttl")) == sorted(EXPECTED)


def _own_namespace(name: str) -> str:
    return f"{EX}{Path(name).stem}/"


@lru_cache(maxsize=1)
def broken_results() -> dict[str, list[dict]]:
    """Every broken file merged with the data graph, validated once: each file's results, told apart by the
    nodes it added (its own IRIs and blank nodes) or, for a message about the project's data, by its IRIs."""
    data = Graph()
    data += base_graph()
    base_nodes = {x for t in base_graph() for x in t}
    owner: dict = {}
    for name in sorted(EXPECTED):
        text = (BROKEN / name).read_text(encoding="utf-8").replace(EX, _own_namespace(name))
        added = Graph().parse(data=text, format="turtle")
        for triple in added:
            for node in triple:
                if node not in base_nodes:
                    owner.setdefault(node, name)
        data += added
    _conforms, report, _ = validate(data, shacl_graph=shapes_graph(), inplace=True)
    results: dict[str, list[dict]] = {name: [] for name in EXPECTED}
    for r in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(r, SH.resultSeverity) != SH.Violation or str(report.value(r, SH.sourceShape)).startswith(
            str(GKGSH) + "Qc"
        ):
            continue  # QC findings (tests/test_qc.py): merged here, the broken files would share labels
        message = " ".join(str(m) for m in report.objects(r, SH.resultMessage))
        ends = {report.value(r, SH.focusNode), report.value(r, SH.value)}
        names = {owner[n] for n in ends if n in owner} or {n for n in EXPECTED if _own_namespace(n) in message}
        assert len(names) == 1, (names, message)  # every result belongs to exactly one file
        results[names.pop()].append({
            "shape": report.value(r, SH.sourceShape),
            "component": report.value(r, SH.sourceConstraintComponent),
            "message": message,
            "points_at_addition": bool(ends & set(owner)),
        })
    return results


@pytest.mark.slow  # pySHACL over the whole graph and every broken file (one run for all)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_is_rejected_for_the_right_reason(name):
    shape, component, phrase = EXPECTED[name]
    results = broken_results()[name]
    assert results, f"{name} is not rejected"
    assert {r["shape"] for r in results} == {GKGSH[shape]}, results
    assert SH[component] in {r["component"] for r in results}
    assert all(phrase in r["message"] for r in results), [r["message"] for r in results]
    # the report points at the user's addition (focus node or value), never only at the project's own data
    for r in results:
        assert r["points_at_addition"] or EX in r["message"], r


def test_shapes_name_no_individuals():
    """The shapes use schema terms only, so a user's data is checked exactly like the project's."""
    individuals = Graph().parse(ONTOLOGY / "individuals.ttl", format="turtle")
    named = {s for s in individuals.subjects(RDF.type, None) if isinstance(s, URIRef)}
    schema = Graph().parse(ONTOLOGY / "genai-kg.ttl", format="turtle")
    named -= set(schema.subjects(RDF.type, None))  # the family classes are punned; they are schema terms
    used = {x for t in shapes_graph() for x in t if isinstance(x, URIRef)}
    assert not (named & used)
