"""The domain ontology alone (genai-kg.ttl + individuals.ttl, and what ``export`` writes by default): no
presentation data, and every claim's sources survive a round trip through OWL tools (owlready2 and
py-horned-owl, both in the test extras)."""

import functools
from pathlib import Path

import pytest
from conftest import missing
from rdflib import OWL, RDF, BNode, Graph

from genai_kg import load
from genai_kg.vocab import DCTERMS as DCT
from genai_kg.vocab import GKG

ONTOLOGY = Path(__file__).parents[1] / "ontology"
DOMAIN_FILES = ["genai-kg.ttl", "individuals.ttl"]


def domain_files() -> Graph:
    g = Graph()
    for name in DOMAIN_FILES:
        g.parse(ONTOLOGY / name, format="turtle")
    return g


@functools.lru_cache(maxsize=1)
def exported() -> Graph:
    """What ``genai-kg export --format xml`` writes (the library call behind it), parsed back."""
    return Graph().parse(data=load().serialize("xml"), format="xml")


#: The two readings of "the domain ontology": its files, and the default export of the bundled graph.
DOMAINS = {"files": domain_files, "export": exported}
PRESENTATION_PROPERTIES = (GKG.displayColour, GKG.displayShape, GKG.aspectProperty, GKG.aspectOrder,
                           GKG.aspectInverseProperty, GKG.tableHeading, GKG.viewLabel, GKG.viewInverseLabel)


@pytest.mark.parametrize("which", DOMAINS)
def test_domain_has_no_presentation_data(which):
    g = DOMAINS[which]()
    for p in PRESENTATION_PROPERTIES:
        assert (None, p, None) not in g
    assert (None, RDF.type, GKG.ComparisonAspect) not in g
    assert list(g.subjects(RDF.type, OWL.Ontology)) == [GKG.ontology]
    # nothing the presentation module says that the domain files do not say themselves
    presentation = Graph().parse(ONTOLOGY / "presentation.ttl", format="turtle")
    files = domain_files()
    own = {t for t in presentation if t not in files and not any(isinstance(n, BNode) for n in t)}
    assert own and not {t for t in own if t in g}


def test_export_is_the_domain_files():
    """The default export holds the domain files' claims: the same number of sourced axioms."""
    assert _claims_with_sources(exported()) == _claims_with_sources(domain_files())


def _claims_with_sources(g: Graph) -> int:
    return sum(1 for ax in g.subjects(RDF.type, OWL.Axiom) if (ax, DCT.source, None) in g)


@pytest.mark.parametrize("which", DOMAINS)
def test_owlready2_keeps_every_claims_sources(hermit, tmp_path, which):
    owlready2 = hermit
    g = DOMAINS[which]()
    path = tmp_path / "domain.owl"
    g.serialize(destination=str(path), format="xml")
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load()
    loaded = world.as_rdflib_graph()
    expected = _claims_with_sources(g)
    assert expected > 600
    query = "SELECT DISTINCT ?ax WHERE { ?ax a owl:Axiom ; dcterms:source ?s }"
    found = sum(1 for _ in loaded.query(query, initNs={"owl": OWL, "dcterms": DCT}))
    assert found == expected


@pytest.mark.parametrize("which", DOMAINS)
def test_py_horned_owl_reads_one_annotated_axiom_per_claim_with_nested_sections(tmp_path, which):
    try:
        import pyhornedowl
    except ImportError:
        missing("py-horned-owl", "pip install py-horned-owl (in the test extras: pip install -e '.[test]')")
    g = DOMAINS[which]()
    path = tmp_path / "domain.owl"
    g.serialize(destination=str(path), format="xml")
    axioms = [str(a) for a in pyhornedowl.open_ontology(str(path)).get_axioms()]
    # the claims are the logical axioms; a term's own dcterms:source is an annotation assertion
    source = "<http://purl.org/dc/terms/source>"
    kinds = ("ClassAssertion(", "SubClassOf(", "ObjectPropertyAssertion(", "DataPropertyAssertion(")
    # a mapping (skos:exactMatch, ...) is an annotation assertion; sourced like any claim, it carries annotations
    annotated = [a for a in axioms if (a.startswith(kinds) or a.startswith("AnnotationAssertion(Annotation("))
                 and source in a]
    assert len(annotated) == _claims_with_sources(g)
    llm = [a for a in annotated if a.startswith("SubClassOf(") and a.endswith(
        "<https://w3id.org/genai-kg/LargeLanguageModel> <https://w3id.org/genai-kg/GenerativeAI>)")]
    assert len(llm) == 1 and llm[0].count("<http://purl.org/dc/terms/source>") == 3
    assert "Annotation(<https://w3id.org/genai-kg/sourceSection>" in llm[0]  # nested, beside the anchors
    assert "Annotation(Annotation(<http://www.w3.org/ns/oa#hasSelector>" in llm[0]


