"""A real OWL 2 DL reasoner (HermiT, through owlready2) on the merged ontology.

The data graph (genai-kg.ttl + individuals.ttl + presentation.ttl) is serialised to RDF/XML and loaded into a
fresh owlready2 World; HermiT must find it consistent with no unsatisfiable classes, and must infer class
memberships that the files only imply through the subclass chain.
"""

from pathlib import Path

import pytest
from rdflib import RDF, Graph, Namespace

ONTOLOGY = Path(__file__).parents[1] / "ontology"
DATA_FILES = ["genai-kg.ttl", "individuals.ttl", "presentation.ttl"]
GKG = Namespace("https://w3id.org/genai-kg/")


def merged_graph() -> Graph:
    g = Graph()
    for name in DATA_FILES:
        g.parse(ONTOLOGY / name, format="turtle")
    return g


def reason(g: Graph, directory: Path, owlready2):
    """Load g into a fresh World and run HermiT (owlready2's). Returns (world, consistent)."""
    path = directory / "genai-kg.owl"
    g.serialize(destination=str(path), format="xml")
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load()
    try:
        owlready2.sync_reasoner(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        return world, False
    return world, True


@pytest.fixture(scope="module")
def reasoned(tmp_path_factory, hermit):
    world, consistent = reason(merged_graph(), tmp_path_factory.mktemp("hermit"), hermit)
    return world, consistent


def entity(world, local: str):
    found = world[str(GKG[local])]
    assert found is not None, local
    return found


def test_ontology_is_consistent(reasoned):
    _, consistent = reasoned
    assert consistent


def test_no_unsatisfiable_classes(reasoned):
    world, _ = reasoned
    assert list(world.inconsistent_classes()) == []


@pytest.mark.parametrize("system", ["GPT-4", "GPT-3", "BERT", "Claude", "PaLM", "T5", "ChatGPT"])
def test_llms_are_inferred_generative_ai(reasoned, system):
    world, _ = reasoned
    ancestors = set(entity(world, system).INDIRECT_is_a)
    assert {entity(world, c) for c in ["LargeLanguageModel", "GenerativeAI", "MachineLearning",
                                       "ArtificialIntelligence"]} <= ancestors


@pytest.mark.parametrize("system", ["StableDiffusion", "DALL-E", "Midjourney", "RunwayML", "Synthesia"])
def test_image_and_video_generators_are_generative_ai_but_not_llms(reasoned, system):
    world, _ = reasoned
    ancestors = set(entity(world, system).INDIRECT_is_a)
    assert entity(world, "GenerativeAI") in ancestors
    assert entity(world, "LargeLanguageModel") not in ancestors


@pytest.mark.parametrize("family", ["GenerativeAdversarialNetwork", "VariationalAutoencoder", "DiffusionModel"])
def test_families_under_generative_ai_and_not_under_llm(reasoned, family):
    world, _ = reasoned
    ancestors = entity(world, family).ancestors()
    assert entity(world, "GenerativeAI") in ancestors
    assert entity(world, "LargeLanguageModel") not in ancestors
    # and no LLM is inferred to be one of them (no accidental equivalence)
    assert entity(world, family) not in entity(world, "LargeLanguageModel").ancestors()


def test_google_assistant_is_ai_but_not_claimed_generative(reasoned):
    world, _ = reasoned
    ancestors = set(entity(world, "GoogleAssistant").INDIRECT_is_a)
    assert entity(world, "ArtificialIntelligence") in ancestors
    assert entity(world, "GenerativeAI") not in ancestors


def test_disjoint_kinds_catch_a_wrongly_typed_individual(tmp_path, hermit):
    """Negative control: the reasoner is really checking. A modality that is also an application is an error."""
    g = merged_graph()
    g.add((GKG.Text, RDF.type, GKG.Application))
    _, consistent = reason(g, tmp_path, hermit)
    assert not consistent
