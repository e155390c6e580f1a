"""A real OWL 2 DL reasoner (HermiT, through owlready2) on the merged ontology.

The data graph (genai-kg.ttl + individuals.ttl + presentation.ttl) is serialised to RDF/XML and loaded into a
fresh owlready2 World; HermiT must find it consistent with no unsatisfiable classes, and must infer class
memberships that the files only imply through the subclass chain.
"""

import re
import subprocess
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Namespace

from genai_kg.vocab import GKG

ONTOLOGY = Path(__file__).parents[1] / "ontology"
DATA_FILES = ["genai-kg.ttl", "individuals.ttl", "presentation.ttl"]


def merged_graph() -> Graph:
    """All data files in one document. The presentation ontology's owl:imports of the domain ontology is
    dropped: both are in this one document, and an OWL tool would otherwise try to fetch the import."""
    g = Graph()
    for name in DATA_FILES:
        g.parse(ONTOLOGY / name, format="turtle")
    ontologies = set(g.subjects(RDF.type, OWL.Ontology))
    for s, o in list(g.subject_objects(OWL.imports)):
        if o in ontologies:
            g.remove((s, OWL.imports, o))
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


# -- class axioms that pay: HermiT's own answers for a user's individuals ---------------------------------

EX = Namespace("http://example.org/user/")
_PAIRS = re.compile(r"\(<([^>]+)>, <([^>]+)>\)")


def hermit_property_values(g: Graph, directory: Path) -> dict[str, set[tuple[str, str]]]:
    """Run HermiT's command line (the jar owlready2 ships) with -Y and read its own output.

    owlready2 misreads HermiT's property answers for punned IRIs, so this parses HermiT's text:
    ``<property> (known instances: (<s>, <o>)(<s>, <o>)... | possible instances: ...)``.
    """
    from owlready2 import reasoning

    path = directory / "user.owl"
    g.serialize(destination=str(path), format="xml")
    command = ["java", "-Xmx2000M", "-cp", reasoning._HERMIT_CLASSPATH, "org.semanticweb.HermiT.cli.CommandLine",
               "-c", "-O", "-D", "-I", path.as_uri(), "-Y"]
    output = subprocess.run(command, capture_output=True, text=True, timeout=600, check=True).stdout
    found: dict[str, set[tuple[str, str]]] = {}
    for line in output.splitlines():
        if line.startswith("<") and "(known instances:" in line:
            prop = line[1:line.index(">")]
            known = line.split("(known instances:", 1)[1].split("| possible instances:", 1)[0]
            found[prop] = set(_PAIRS.findall(known))
    return found


def with_user_systems(g: Graph) -> Graph:
    """A user's additions: systems typed only with a family class, with no fact of their own."""
    for local, family in [("MyGan", GKG.GenerativeAdversarialNetwork), ("MyLlm", GKG.LargeLanguageModel),
                          ("MyImageTool", GKG.ImageGenerationModel)]:
        g.add((EX[local], RDF.type, OWL.NamedIndividual))
        g.add((EX[local], RDF.type, family))
    return g


def domain_graph() -> Graph:
    g = Graph()
    for name in ("genai-kg.ttl", "individuals.ttl"):
        g.parse(ONTOLOGY / name, format="turtle")
    return g


@pytest.fixture(scope="module")
def user_inferences(hermit, tmp_path_factory):
    return hermit_property_values(with_user_systems(domain_graph()), tmp_path_factory.mktemp("hermit-user"))


@pytest.mark.parametrize("system, prop, value", [
    ("MyGan", "producesOutput", "Image"),
    ("MyGan", "usesTechnique", "AdversarialTraining"),
    ("MyGan", "usesArchitecture", "AdversarialNetworkArchitecture"),
    ("MyLlm", "producesOutput", "Text"),
    ("MyLlm", "acceptsInput", "Text"),
    ("MyImageTool", "producesOutput", "Image"),
])
def test_hermit_infers_family_facts_for_a_user_added_system(user_inferences, system, prop, value):
    assert (str(EX[system]), str(GKG[value])) in user_inferences.get(str(GKG[prop]), set())


def test_without_the_class_axioms_nothing_is_inherited(hermit, tmp_path):
    """Control: the punned family facts alone give a GAN-typed system nothing (the issue's complaint)."""
    g = with_user_systems(domain_graph())
    for cls, restriction in list(g.subject_objects(RDFS.subClassOf)):
        if (restriction, RDF.type, OWL.Restriction) in g:
            g.remove((cls, RDFS.subClassOf, restriction))
            for ax in list(g.subjects(OWL.annotatedTarget, restriction)):  # OWLAPI rebuilds an axiom from these
                g.remove((ax, None, None))
    found = hermit_property_values(g, tmp_path)
    assert (str(EX.MyGan), str(GKG.Image)) not in found.get(str(GKG.producesOutput), set())
