"""The knowledge graph in ontology/ checked against the three source documents.

Loads the Turtle files with plain rdflib (not through the genai_kg package) and asserts real answers from the
sources: subclass chains, each named system's class, maker and modalities, what each family is used for and
weak at, and where a sample of claims comes from.
"""

import re
import subprocess
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef

from genai_kg.vocab import DCTERMS as DCT
from genai_kg.vocab import GKG, SKOS
from genai_kg.vocab import OBOINOWL as OBO

ONTOLOGY = Path(__file__).parents[1] / "ontology"
DATA_FILES = ["genai-kg.ttl", "individuals.ttl", "presentation.ttl"]
ALL_TTL = DATA_FILES + ["shapes.ttl"]

AIO = Namespace("https://w3id.org/aio/")
WD = Namespace("http://www.wikidata.org/entity/")
ONTO = URIRef("https://w3id.org/genai-kg/ontology")
PRESENTATION = URIRef("https://w3id.org/genai-kg/presentation")

REVE, PL, SUBSET, CUR = GKG.ReveChatArticle, GKG.PromptLayerArticle, GKG.SubsetArticle, GKG.Curation
DOCS = {REVE, PL, SUBSET}


@lru_cache(maxsize=1)
def graph() -> Graph:
    g = Graph()
    for name in DATA_FILES:
        g.parse(ONTOLOGY / name, format="turtle")
    return g


def g_(local: str) -> URIRef:
    return GKG[local]


def superclasses(g: Graph, cls: URIRef) -> set:
    return set(g.transitive_objects(cls, RDFS.subClassOf))


def types(g: Graph, node: URIRef) -> set:
    found = set()
    for t in g.objects(node, RDF.type):
        found |= superclasses(g, t)
    return found


def objects(s: str, p: str) -> set:
    return set(graph().objects(g_(s), g_(p)))


def axioms_of(s: URIRef, p: URIRef, o) -> list:
    """The owl:Axiom nodes annotating the triple (s, p, o): exactly one for every claim."""
    g = graph()
    return [
        ax
        for ax in g.subjects(OWL.annotatedSource, s)
        if (ax, RDF.type, OWL.Axiom) in g and (ax, OWL.annotatedProperty, p) in g and (ax, OWL.annotatedTarget, o) in g
    ]


def citations_of(ax) -> dict:
    """{source: nested owl:Annotation node} of one axiom (the node holding that source's sections and notes)."""
    g = graph()
    return {
        g.value(cite, OWL.annotatedTarget): cite
        for cite in g.subjects(OWL.annotatedSource, ax)
        if (cite, RDF.type, OWL.Annotation) in g and (cite, OWL.annotatedProperty, DCT.source) in g
    }


def sources_of(s: URIRef, p: URIRef, o) -> dict:
    """{source: {sections}} of the triple (s, p, o): each source's sections sit on its nested annotation."""
    g = graph()
    out: dict = {}
    for ax in axioms_of(s, p, o):
        cites = citations_of(ax)
        for src in g.objects(ax, DCT.source):
            cite = cites.get(src)
            out.setdefault(src, set()).update(
                str(x) for x in (g.objects(cite, GKG.sourceSection) if cite is not None else ())
            )
    return out


def notes_of(s: URIRef, p: URIRef, o) -> list:
    g = graph()
    return [
        str(n)
        for ax in axioms_of(s, p, o)
        for cite in citations_of(ax).values()
        for n in g.objects(cite, SKOS.note)
    ]


# --------------------------------------------------------------------------------------------- parsing


@pytest.mark.parametrize("name", ALL_TTL)
def test_files_parse_with_rdflib(name):
    assert len(Graph().parse(ONTOLOGY / name, format="turtle")) > 0


@pytest.mark.parametrize("name", ALL_TTL)
def test_files_parse_with_rapper(name, rapper):
    run = subprocess.run([rapper, "-i", "turtle", "-c", str(ONTOLOGY / name)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "Error" not in run.stderr


@pytest.mark.parametrize("name", ALL_TTL)
def test_files_parse_with_oxigraph(name):
    with open(ONTOLOGY / name, "rb") as fh:
        assert len(list(pyoxigraph.parse(fh, format=pyoxigraph.RdfFormat.TURTLE))) > 0


# ---------------------------------------------------------------------------------------------- header


def test_ontology_header():
    g = graph()
    assert (ONTO, RDF.type, OWL.Ontology) in g
    assert g.value(ONTO, DCT.title) and g.value(ONTO, DCT.description) and g.value(ONTO, DCT.creator)
    assert g.value(ONTO, DCT.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    version = str(g.value(ONTO, OWL.versionInfo))  # a dated release, ODK style
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", version)
    assert g.value(ONTO, OWL.versionIRI) == URIRef(f"https://w3id.org/genai-kg/ontology/releases/{version}")
    assert g.value(ONTO, OWL.priorVersion) == URIRef("https://w3id.org/genai-kg/ontology/0.2.0")
    assert "contributors" not in str(g.value(ONTO, DCT.creator)) and g.value(ONTO, DCT.bibliographicCitation)
    assert set(g.objects(ONTO, DCT.source)) == DOCS


def _file(name: str) -> Graph:
    return Graph().parse(ONTOLOGY / name, format="turtle")


@pytest.mark.parametrize("name, iri", [("genai-kg.ttl", ONTO), ("presentation.ttl", PRESENTATION)])
def test_each_module_has_one_header(name, iri):
    g = _file(name)
    assert list(g.subjects(RDF.type, OWL.Ontology)) == [iri]
    for p in (DCT.title, OWL.versionIRI, DCT.license, DCT.modified):
        assert len(list(g.objects(iri, p))) == 1, (name, p)
    assert list(g.objects(iri, DCT.creator))
    assert (iri, RDFS.label, None) not in g, "one title: dcterms:title only"
    # individuals.ttl is part of the domain ontology, with no header of its own
    assert (None, RDF.type, OWL.Ontology) not in _file("individuals.ttl")


def test_presentation_imports_the_domain_and_stays_out_of_it():
    pres, domain = _file("presentation.ttl"), _file("genai-kg.ttl") + _file("individuals.ttl")
    assert (PRESENTATION, OWL.imports, ONTO) in pres
    presentation_terms = {GKG.ComparisonAspect, GKG.aspectProperty, GKG.aspectOrder, GKG.displayColour,
                          GKG.displayShape}
    for term in presentation_terms:
        assert (term, RDF.type, None) in pres and (term, RDF.type, None) not in domain, term
    assert not any(p in presentation_terms for p in domain.predicates())
    assert (None, RDF.type, GKG.ComparisonAspect) not in domain
    disjoint = {m for node in domain.subjects(RDF.type, OWL.AllDisjointClasses)
                for m in domain.items(domain.value(node, OWL.members))}
    assert disjoint and not disjoint & presentation_terms
    # the aspect rows name properties as annotation values: no property is punned as an individual
    assert (GKG.aspectProperty, RDF.type, OWL.AnnotationProperty) in pres
    props = set(graph().subjects(RDF.type, OWL.ObjectProperty)) | set(graph().subjects(RDF.type, OWL.DatatypeProperty))
    assert not {s for s in graph().subjects(RDF.type, OWL.NamedIndividual)} & (props | {SKOS.definition})


def test_source_documents_describe_the_three_files():
    g = graph()
    expected = {
        REVE: ("000_513130e280630361.txt", "REVE Chat", "Nur-Nabi Siddique"),
        PL: ("001_f0c9a2455d250724.txt", "PromptLayer", None),
        SUBSET: ("002_286def345c9b6666.txt", None, None),
    }
    for doc, (fname, publisher, creator) in expected.items():
        assert (doc, RDF.type, GKG.SourceDocument) in g
        assert str(g.value(doc, GKG.sourceFile)) == fname
        assert g.value(doc, DCT.title) is not None
        assert (str(g.value(doc, DCT.publisher)) if publisher else g.value(doc, DCT.publisher)) == publisher
        assert (str(g.value(doc, DCT.creator)) if creator else g.value(doc, DCT.creator)) == creator
    assert (CUR, RDF.type, GKG.CuratedSource) in g


def test_the_source_documents_files_are_in_the_sources_folder(sources):
    g = graph()
    files = {p.name for p in sources.glob("*.txt")}
    named = {str(f) for f in g.objects(None, GKG.sourceFile)}
    assert named == files == {"000_513130e280630361.txt", "001_f0c9a2455d250724.txt", "002_286def345c9b6666.txt"}


# ------------------------------------------------------------------------------------ subclass chains


def test_every_llm_is_generative_ai_machine_learning_and_ai():
    sup = superclasses(graph(), GKG.LargeLanguageModel)
    assert {GKG.GenerativeAI, GKG.MachineLearning, GKG.ArtificialIntelligence} <= sup


@pytest.mark.parametrize("family", ["GenerativeAdversarialNetwork", "VariationalAutoencoder", "DiffusionModel"])
def test_gan_vae_diffusion_are_generative_ai_but_not_llms(family):
    sup = superclasses(graph(), g_(family))
    assert GKG.GenerativeAI in sup
    assert GKG.LargeLanguageModel not in sup
    assert GKG.LargeLanguageModel not in superclasses(graph(), GKG.LargeLanguageModel) - {GKG.LargeLanguageModel}


def test_llm_is_not_declared_a_kind_of_transformer_model():
    # the sources say "almost exclusively" / "the vast majority", so the graph links by usesArchitecture only
    assert GKG.TransformerModel not in superclasses(graph(), GKG.LargeLanguageModel)
    assert GKG.TransformerArchitecture in objects("LargeLanguageModel", "usesArchitecture")


def test_subclass_chain_is_sourced():
    assert {REVE, PL, SUBSET} <= set(sources_of(GKG.LargeLanguageModel, RDFS.subClassOf, GKG.GenerativeAI))
    assert "What is Generative AI?" in sources_of(GKG.GenerativeAI, RDFS.subClassOf, GKG.MachineLearning)[REVE]
    assert PL in sources_of(GKG.DiffusionModel, RDFS.subClassOf, GKG.GenerativeAI)


def test_families_are_punned_model_families():
    g = graph()
    for fam in ["GenerativeAI", "LargeLanguageModel", "GenerativeAdversarialNetwork", "VariationalAutoencoder",
                "DiffusionModel", "TransformerModel", "MultimodalModel"]:
        assert (g_(fam), RDF.type, OWL.Class) in g
        assert (g_(fam), RDF.type, GKG.ModelFamily) in g


# ------------------------------------------------------------------------------------- named systems

# system: (family, maker, inputs, outputs)
SYSTEMS = {
    "GPT-4": ("LargeLanguageModel", "OpenAI", {"Text"}, {"Text"}),
    "GPT-3": ("LargeLanguageModel", "OpenAI", {"Text"}, {"Text"}),
    "ChatGPT": ("LargeLanguageModel", "OpenAI", {"Text"}, {"Text"}),
    "BERT": ("LargeLanguageModel", "Google", {"Text"}, {"Text"}),
    "Bard": ("LargeLanguageModel", "Google", {"Text"}, {"Text"}),
    "Claude": ("LargeLanguageModel", "Anthropic", {"Text"}, {"Text"}),
    "BLOOM": ("LargeLanguageModel", "BigScience", {"Text"}, {"Text"}),
    "PaLM": ("LargeLanguageModel", "Google", {"Text"}, {"Text"}),
    "T5": ("LargeLanguageModel", "Google", {"Text"}, {"Text"}),
    "DALL-E": ("ImageGenerationModel", "OpenAI", {"Text"}, {"Image"}),
    "DALL-E-1": ("TransformerModel", "OpenAI", {"Text"}, {"Image"}),
    "DALL-E-2": ("DiffusionModel", "OpenAI", {"Text"}, {"Image"}),
    "StableDiffusion": ("DiffusionModel", "StabilityAI", {"Text"}, {"Image"}),
    "Midjourney": ("ImageGenerationModel", "MidjourneyInc", {"Text"}, {"Image"}),
    "RunwayML": ("AIProduct", "RunwayAI", set(), {"Video"}),
    "Synthesia": ("AIProduct", "SynthesiaLtd", set(), {"Video"}),
    "GoogleAssistant": ("ConversationalAISystem", "Google", {"Speech", "Text"}, {"Speech", "Text"}),
}


@pytest.mark.parametrize("name", sorted(SYSTEMS))
def test_named_system_class_maker_and_modalities(name):
    family, maker, inputs, outputs = SYSTEMS[name]
    g = graph()
    system = g_(name)
    assert g_(family) in types(g, system)
    assert GKG.ArtificialIntelligence in types(g, system)
    assert objects(name, "developedBy") == {g_(maker)}
    assert (g_(maker), RDF.type, GKG.Organization) in g
    assert {g_(m) for m in inputs} <= objects(name, "acceptsInput")
    assert {g_(m) for m in outputs} <= objects(name, "producesOutput")


def members(family: str) -> set:
    return set(graph().subjects(RDF.type, g_(family)))


def test_systems_the_sources_give_as_examples():
    # REVE Chat's table: GPT-4, BERT, Bard, Claude, Bloom for LLMs; DALL-E, Stable Diffusion, MidJourney, ChatGPT
    # for generative AI. A source's example is a member by rdf:type, cited on the type axiom.
    llm, gen = members("LargeLanguageModel"), members("GenerativeAI")
    assert {g_(x) for x in ["GPT-4", "BERT", "Bard", "Claude", "BLOOM", "PaLM", "T5", "GPT-3"]} <= llm
    assert {g_(x) for x in ["DALL-E", "StableDiffusion", "Midjourney", "ChatGPT", "RunwayML", "Synthesia"]} <= gen
    assert GKG.ChatGPT in members("MultimodalModel")
    assert GKG.GoogleAssistant not in llm
    assert "Key Differences table: Examples" in sources_of(GKG.ChatGPT, RDF.type, GKG.GenerativeAI)[REVE]
    assert sources_of(GKG.BERT, RDF.type, GKG.LargeLanguageModel)[REVE] == {
        "Examples in Action", "Key Differences table: Examples"}
    # products a source gives as examples without being members: the only hasExample left
    assert set(graph().subject_objects(GKG.hasExample)) == {
        (GKG.VideoGenerationModel, GKG.RunwayML), (GKG.VideoGenerationModel, GKG.Synthesia)}
    assert sources_of(GKG.VideoGenerationModel, GKG.hasExample, GKG.RunwayML) == {REVE: {"Examples in Action"}}


def test_has_example_never_repeats_a_type():
    """``F hasExample S`` says only what ``S a F`` (or a type below F) cannot: S is not a member of F."""
    g = graph()
    repeats = [(f, s) for f, s in g.subject_objects(GKG.hasExample) if f in types(g, s)]
    assert repeats == []


def test_curated_evidence_moved_to_the_type_axioms():
    """The evidence the dropped hasExample claims carried now sits on the type claims they repeated."""
    g = graph()
    for system, family, url in [
        ("StableDiffusion", "DiffusionModel", "https://arxiv.org/abs/2112.10752"),
        ("GPT-4", "TransformerModel", "https://arxiv.org/abs/2303.08774"),
        ("GPT-3", "TransformerModel", "https://arxiv.org/abs/2005.14165"),
        ("BERT", "TransformerModel", "https://arxiv.org/abs/1810.04805"),
    ]:
        (ax,) = axioms_of(g_(system), RDF.type, g_(family))
        assert URIRef(url) in set(g.objects(citations_of(ax)[CUR], RDFS.seeAlso)), system


def test_system_uses_from_the_sources():
    assert {GKG.Chatbot, GKG.LanguageTranslation, GKG.CreativeWriting} <= objects("GPT-4", "hasApplication")
    assert GKG.SearchEngine in objects("BERT", "hasApplication")
    assert {GKG.LanguageTranslation, GKG.TextSummarization, GKG.QuestionAnswering} <= objects("T5", "hasApplication")
    assert GKG.VideoEditing in objects("RunwayML", "hasApplication")
    assert GKG.ImageTextPair in objects("DALL-E", "trainedOn")
    assert GKG.ConversationalInterface in objects("ChatGPT", "interactedWithVia")
    assert {o.toPython() for o in objects("GPT-3", "trainingSizeWords")} == {Decimal("300000000000")}


def test_makers_stated_by_sources_versus_curated():
    # "OpenAI's GPT-4", "Google's PaLM" (REVE Chat), "Google's BERT", "Anthropic's Claude" (PromptLayer)
    assert REVE in sources_of(g_("GPT-4"), GKG.developedBy, GKG.OpenAI)
    assert REVE in sources_of(GKG.PaLM, GKG.developedBy, GKG.Google)
    assert PL in sources_of(GKG.BERT, GKG.developedBy, GKG.Google)
    assert PL in sources_of(GKG.Claude, GKG.developedBy, GKG.Anthropic)
    # the sources never say who made these: curated, and not attributed to a document
    for system, maker in [("ChatGPT", "OpenAI"), ("Bard", "Google"), ("StableDiffusion", "StabilityAI"),
                          ("DALL-E", "OpenAI"), ("T5", "Google")]:
        assert set(sources_of(g_(system), GKG.developedBy, g_(maker))) == {CUR}
    assert set(sources_of(GKG.StableDiffusion, RDF.type, GKG.DiffusionModel)) == {CUR}
    # DALL-E's generations are separate: only the later ones are diffusion models (curated, with the papers)
    assert (g_("DALL-E"), RDF.type, GKG.DiffusionModel) not in graph()
    assert set(sources_of(g_("DALL-E-2"), RDF.type, GKG.DiffusionModel)) == {CUR}
    assert (g_("DALL-E-1"), RDF.type, GKG.DiffusionModel) not in graph()
    assert graph().value(g_("DALL-E-1"), GKG.releaseYear).toPython() == 2021
    assert {g_(f"DALL-E-{n}") for n in (1, 2, 3)} <= set(graph().subjects(GKG.versionOf, g_("DALL-E")))


def test_release_years_are_curated():
    g = graph()
    years = list(g.subject_objects(GKG.releaseYear))
    assert (g_("GPT-4"), Literal(2023)) in years
    for s, o in years:
        assert set(sources_of(s, GKG.releaseYear, o)) == {CUR}


def test_transformer_introduced_by_google_with_self_attention():
    assert objects("TransformerArchitecture", "introducedBy") == {GKG.Google}
    assert REVE in sources_of(GKG.TransformerArchitecture, GKG.introducedBy, GKG.Google)
    assert GKG.SelfAttention in objects("TransformerArchitecture", "hasComponent")


# ------------------------------------------------------------------------------------ families' facts


def test_generative_ai_facts():
    assert {g_(m) for m in ["Text", "Image", "Audio", "Video", "Code", "Music", "Speech", "ThreeDModel",
                            "SyntheticData"]} <= objects("GenerativeAI", "producesOutput")
    assert {GKG.SupervisedLearning, GKG.SemiSupervisedLearning, GKG.UnsupervisedLearning} == objects(
        "GenerativeAI", "usesLearningParadigm")
    assert {GKG.TextCorpus, GKG.ImageCollection, GKG.AudioRecording, GKG.VideoData,
            GKG.ImageTextPair} <= objects("GenerativeAI", "trainedOn")
    assert {g_(a) for a in ["ContentCreation", "ArtAndDesign", "ImageSynthesis", "VideoGeneration",
                            "MusicComposition", "GameDevelopment", "ProductDesign", "MarketingAndAdvertising",
                            "DataAugmentation", "DataVisualization"]} <= objects("GenerativeAI", "hasApplication")
    assert {g_(i) for i in ["Entertainment", "Design", "Gaming", "Advertising", "Healthcare"]} <= objects(
        "GenerativeAI", "impactsIndustry")
    assert {GKG.Realism, GKG.OutputDiversity, GKG.Creativity} <= objects("GenerativeAI", "evaluatedBy")
    assert {GKG.TextPrompt, GKG.IterativeRefinement, GKG.API} <= objects("GenerativeAI", "interactedWithVia")
    assert {GKG.CreativePotential, GKG.Adaptability, GKG.Interactivity} <= objects("GenerativeAI", "hasStrength")
    assert {GKG.QualityControl, GKG.ComputationalCost, GKG.PotentialForMisuse, GKG.Deepfake} <= objects(
        "GenerativeAI", "hasWeakness")


def test_llm_facts():
    assert objects("LargeLanguageModel", "acceptsInput") == {GKG.Text}
    assert {GKG.Text, GKG.Code} == objects("LargeLanguageModel", "producesOutput")
    assert {GKG.NextTokenPrediction, GKG.PreTraining, GKG.FineTuning} <= objects("LargeLanguageModel",
                                                                                 "usesTechnique")
    assert GKG.TextCorpus in objects("LargeLanguageModel", "trainedOn")
    assert {g_(a) for a in ["Chatbot", "SearchEngine", "TextSummarization", "LanguageTranslation",
                            "SentimentAnalysis", "CodeGeneration", "KnowledgeManagement", "AICopilot",
                            "CustomerServiceAutomation"]} <= objects("LargeLanguageModel", "hasApplication")
    assert {g_(i) for i in ["BFSI", "Education", "Legal", "CustomerService", "Healthcare"]} <= objects(
        "LargeLanguageModel", "impactsIndustry")
    assert {GKG.TextualAccuracy, GKG.Fluency, GKG.ContextualRelevance} == objects("LargeLanguageModel",
                                                                                  "evaluatedBy")
    assert {GKG.ConversationalInterface, GKG.API} <= objects("LargeLanguageModel", "interactedWithVia")
    assert {GKG.DeepLanguageUnderstanding, GKG.Versatility, GKG.Scalability} <= objects("LargeLanguageModel",
                                                                                        "hasStrength")
    assert {GKG.Hallucination, GKG.DataBias, GKG.ResourceIntensity} <= objects("LargeLanguageModel",
                                                                               "hasWeakness")


def test_weaknesses_attached_to_the_right_family():
    # PromptLayer lists hallucination under LLMs and deepfakes under generative AI, not the other way round
    assert GKG.Hallucination not in objects("GenerativeAI", "hasWeakness")
    assert GKG.Deepfake not in objects("LargeLanguageModel", "hasWeakness")
    assert GKG.MusicComposition not in objects("LargeLanguageModel", "hasApplication")
    assert GKG.SentimentAnalysis not in objects("GenerativeAI", "hasApplication")
    assert GKG.BFSI not in objects("GenerativeAI", "impactsIndustry")
    assert GKG.Gaming not in objects("LargeLanguageModel", "impactsIndustry")
    g = graph()
    assert (GKG.Deepfake, RDF.type, GKG.Risk) in g
    assert GKG.Weakness in superclasses(g, GKG.Risk)


def test_gan_vae_diffusion_transformer_facts():
    assert GKG.AdversarialNetworkArchitecture in objects("GenerativeAdversarialNetwork", "usesArchitecture")
    assert {GKG.GeneratorNetwork, GKG.DiscriminatorNetwork} == objects("AdversarialNetworkArchitecture",
                                                                       "hasComponent")
    assert {GKG.ImageSynthesis, GKG.DeepfakeCreation} <= objects("GenerativeAdversarialNetwork", "hasApplication")
    assert GKG.Image in objects("GenerativeAdversarialNetwork", "producesOutput")
    assert {GKG.VaeEncoder, GKG.VaeDecoder} <= objects("VariationalAutoencoderArchitecture", "hasComponent")
    assert {GKG.ImageGeneration, GKG.DataCompression} <= objects("VariationalAutoencoder", "hasApplication")
    assert {GKG.StableDiffusion, g_("DALL-E-2"), g_("DALL-E-3")} <= members("DiffusionModel")
    assert g_("DALL-E") not in members("DiffusionModel")  # the line: its first generation was a transformer
    assert GKG.IterativeDenoising in objects("DiffusionModel", "usesTechnique")
    assert {GKG.TextGeneration, GKG.CodeGeneration, GKG.MultimodalContentGeneration} <= objects(
        "TransformerModel", "hasApplication")
    assert GKG.CrossModalGeneration in objects("MultimodalModel", "usesTechnique")


# ---------------------------------------------------------------------------------------- provenance


def test_provenance_of_sample_claims():
    hall = sources_of(GKG.LargeLanguageModel, GKG.hasWeakness, GKG.Hallucination)
    assert hall == {PL: {"Strengths and Weaknesses"}}
    assert "Key Differences table: Industries Impacted" in sources_of(
        GKG.LargeLanguageModel, GKG.impactsIndustry, GKG.BFSI)[REVE]
    assert SUBSET in sources_of(GKG.GenerativeAI, GKG.hasApplication, GKG.DataAugmentation)
    assert "Performance Metrics" in sources_of(GKG.GenerativeAI, GKG.evaluatedBy, GKG.Realism)[REVE]
    assert "Functionality and How They Operate" in sources_of(
        GKG.LargeLanguageModel, GKG.usesTechnique, GKG.NextTokenPrediction)[PL]
    size = graph().value(g_("GPT-3"), GKG.trainingSizeWords)
    assert size.toPython() == Decimal("300000000000")
    assert "Training Data and Modalities" in sources_of(g_("GPT-3"), GKG.trainingSizeWords, size)[REVE]


def test_decimals_are_spelled_canonically():
    # Turtle shorthand re-spells "300" as 300.0; canonical lexical forms keep exports round-tripping
    for o in graph().objects():
        if isinstance(o, Literal) and o.datatype == XSD.decimal:
            assert "." in str(o), o


def test_every_claim_has_an_axiom_annotation_with_a_source():
    g = graph()
    obj_props = set(g.subjects(RDF.type, OWL.ObjectProperty))
    data_props = set(g.subjects(RDF.type, OWL.DatatypeProperty))
    gkg_classes = {c for c in g.subjects(RDF.type, OWL.Class) if str(c).startswith(str(GKG))}
    missing = []
    for s, p, o in g:
        claim = p in obj_props or p in data_props
        claim |= p == RDF.type and o in gkg_classes
        claim |= p == RDFS.subClassOf and o in gkg_classes
        if claim and not any(src in DOCS | {CUR} for src in sources_of(s, p, o)):
            missing.append((s, p, o))
    assert missing == []


def test_every_axiom_annotates_an_asserted_triple():
    g = graph()
    for ax in g.subjects(RDF.type, OWL.Axiom):
        s, p, o = (g.value(ax, x) for x in (OWL.annotatedSource, OWL.annotatedProperty, OWL.annotatedTarget))
        assert (s, p, o) in g, (s, p, o)
        assert set(g.objects(ax, DCT.source)) <= DOCS | {CUR}


def test_exactly_one_axiom_node_per_claim():
    """Each claim has one owl:Axiom carrying all its sources (Protégé lists it once, not once per source)."""
    g = graph()
    seen: dict = {}
    for ax in g.subjects(RDF.type, OWL.Axiom):
        key = tuple(g.value(ax, x) for x in (OWL.annotatedSource, OWL.annotatedProperty, OWL.annotatedTarget))
        seen.setdefault(key, []).append(ax)
    repeated = {k: len(v) for k, v in seen.items() if len(v) > 1}
    assert repeated == {}
    assert len(seen) > 600


def test_each_source_keeps_its_own_sections_in_a_nested_annotation():
    g = graph()
    for cite in g.subjects(RDF.type, OWL.Annotation):
        ax, src = g.value(cite, OWL.annotatedSource), g.value(cite, OWL.annotatedTarget)
        assert (ax, RDF.type, OWL.Axiom) in g
        assert g.value(cite, OWL.annotatedProperty) == DCT.source
        assert (ax, DCT.source, src) in g, "a nested annotation annotates one of the axiom's dcterms:source values"
        assert any((cite, p, None) in g for p in (GKG.sourceSection, SKOS.note, RDFS.seeAlso))
    # the claim LLM ⊑ generative AI: one axiom, three sources, each with its own sections
    (ax,) = axioms_of(GKG.LargeLanguageModel, RDFS.subClassOf, GKG.GenerativeAI)
    assert set(g.objects(ax, DCT.source)) == DOCS
    sections = sources_of(GKG.LargeLanguageModel, RDFS.subClassOf, GKG.GenerativeAI)
    assert "Definitions and Core Concepts" in sections[PL] and "Definitions and Core Concepts" not in sections[REVE]
    assert "LLMs as a Subset of Generative AI" in sections[SUBSET]


def test_statistics_as_sourced_claims():
    g = graph()
    gartner = GKG.GartnerAdoptionForecast
    assert g.value(gartner, GKG.statisticValue).toPython() == Decimal("0.8")
    assert g.value(gartner, GKG.statisticYear).toPython() == 2026
    assert g.value(gartner, GKG.reportedBy) == GKG.Gartner
    assert g.value(gartner, GKG.about) == GKG.GenerativeAI
    assert "Scope and Application" in sources_of(gartner, GKG.statisticValue, g.value(gartner,
                                                                                      GKG.statisticValue))[REVE]
    acc = GKG.AccentureProductivityGain
    assert (g.value(acc, GKG.statisticLowerValue).toPython(), g.value(acc, GKG.statisticUpperValue).toPython()) == (
        Decimal("0.2"), Decimal("0.3"))
    assert g.value(acc, GKG.reportedBy) == GKG.Accenture
    saas = GKG.LlmSaasCustomerAcquisition
    assert g.value(saas, GKG.statisticValue).toPython() == Decimal("0.4")
    assert g.value(saas, GKG.reportedBy) is None  # the article names no origin
    assert g.value(GKG.GPT3TrainingSize, GKG.about) == g_("GPT-3")


# ------------------------------------------------------------------------------------- disagreements


@pytest.mark.parametrize("name, about, sides", [
    ("BertAsTextGenerator", "BERT", {REVE, PL, CUR}),
    ("LlmTextOnlyTraining", "LargeLanguageModel", {REVE, SUBSET, CUR}),
    ("LlmFineTuningEase", "FineTuning", {REVE, PL, CUR}),
    ("ChatGptClassification", "ChatGPT", {REVE, PL, CUR}),
])
def test_disagreements_recorded_with_each_side(name, about, sides):
    g = graph()
    d = g_(name)
    assert (d, RDF.type, GKG.Disagreement) in g
    assert g_(about) in set(g.objects(d, GKG.about))
    assert g.value(d, SKOS.note) is not None
    assert sides <= set(g.objects(d, DCT.source))


def test_loose_claims_are_kept_with_their_source_and_a_note():
    # BERT as an LLM: both articles say so; the graph keeps the claim, notes the problem, and does not drop it
    assert {REVE, PL} <= set(sources_of(GKG.BERT, RDF.type, GKG.LargeLanguageModel))
    assert notes_of(GKG.BERT, RDF.type, GKG.LargeLanguageModel)
    assert notes_of(GKG.BERT, GKG.producesOutput, GKG.Text)
    # "trained on textual data only": kept as REVE Chat's, with a note
    assert any("only" in n for n in notes_of(GKG.LargeLanguageModel, GKG.trainedOn, GKG.TextCorpus))
    # "fine-tuning LLMs is straightforward": REVE Chat's claim only
    assert set(sources_of(GKG.LargeLanguageModel, GKG.hasStrength, GKG.EasyFineTuning)) == {REVE}
    assert notes_of(GKG.LargeLanguageModel, GKG.hasStrength, GKG.EasyFineTuning)
    # and the counter-evidence is in the graph too
    assert GKG.Image in objects("GPT-4", "acceptsInput")


# ---------------------------------------------------------------------------------- labels, mappings


def gkg_terms(g: Graph) -> set:
    terms = set()
    for triple in g:
        for x in triple:
            headers = (str(ONTO), str(PRESENTATION))
            if isinstance(x, URIRef) and str(x).startswith(str(GKG)) and not str(x).startswith(headers):
                terms.add(x)
    return terms


def test_every_term_has_an_english_label_and_definition():
    g = graph()
    for term in gkg_terms(g):
        assert any(lit.language == "en" for lit in g.objects(term, RDFS.label)), term
        assert any(lit.language == "en" for lit in g.objects(term, SKOS.definition)), term


def test_abbreviations_are_alternative_labels():
    g = graph()
    for term, abbr in [("LargeLanguageModel", "LLM"), ("GenerativeAdversarialNetwork", "GAN"),
                       ("VariationalAutoencoder", "VAE"), ("ArtificialIntelligence", "AI")]:
        assert Literal(abbr, lang="en") in set(g.objects(g_(term), OBO.hasExactSynonym))


def test_mappings_use_only_the_certain_identifiers():
    g = graph()
    assert (GKG.LargeLanguageModel, SKOS.exactMatch, AIO.LargeLanguageModel) in g
    assert (GKG.LargeLanguageModel, SKOS.exactMatch, WD.Q115305900) in g
    assert (GKG.GenerativeAdversarialNetwork, SKOS.exactMatch, AIO.GenerativeAdversarialNetwork) in g
    assert (GKG.VariationalAutoencoder, SKOS.exactMatch, AIO.VariationalAutoEncoder) in g
    assert (GKG.TransformerArchitecture, SKOS.closeMatch, AIO.TransformerNetwork) in g
    assert (GKG.BERT, SKOS.exactMatch, WD.Q61726893) in g
    assert (GKG.ChatGPT, SKOS.exactMatch, WD.Q115564437) in g
    allowed = {WD.Q115305900, WD.Q85810444, WD.Q61726893, WD.Q115564437}
    used = {o for p in (SKOS.exactMatch, SKOS.closeMatch) for o in g.objects(None, p) if str(o).startswith(str(WD))}
    assert used <= allowed


# ------------------------------------------------------------------------------------- OWL 2 DL hygiene


def test_properties_are_declared_once_and_annotations_declared():
    g = graph()
    kinds = [OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty]
    for p in set(g.predicates()) - {RDF.type, RDFS.label, RDFS.subClassOf, RDFS.domain, RDFS.range, RDF.first,
                                    RDF.rest, OWL.members, OWL.unionOf, OWL.annotatedSource, OWL.annotatedProperty,
                                    OWL.annotatedTarget, OWL.versionIRI, OWL.versionInfo, OWL.priorVersion,
                                    OWL.imports, OWL.onProperty, OWL.hasValue}:
        declared = [k for k in kinds if (p, RDF.type, k) in g]
        assert len(declared) == 1, (p, declared)
    for p in [DCT.source, SKOS.definition, SKOS.note, OBO.hasExactSynonym, SKOS.exactMatch, SKOS.closeMatch]:
        assert (p, RDF.type, OWL.AnnotationProperty) in g


def test_object_property_values_are_iris_and_datatype_values_literals():
    g = graph()
    for p in g.subjects(RDF.type, OWL.ObjectProperty):
        assert all(isinstance(o, URIRef) for o in g.objects(None, p)), p
    for p in g.subjects(RDF.type, OWL.DatatypeProperty):
        assert all(isinstance(o, Literal) for o in g.objects(None, p)), p


# ------------------------------------------------------------------------------------------ presentation

KIND_CLASSES = ["ModelFamily", "ArtificialIntelligence", "Architecture", "ArchitectureComponent", "Technique",
                "LearningParadigm", "Modality", "TrainingData", "Application", "Industry", "EvaluationCriterion",
                "InteractionMode", "Strength", "Weakness", "Risk", "Organization", "SourceDocument",
                "CuratedSource", "Statistic", "Disagreement", "ComparisonAspect"]
ROWS = ["Definition", "Primary Purpose", "Scope", "Core Technology", "Applications", "Input and Output",
        "Complexity", "Examples", "Training Dataset", "Strengths", "Limitations", "Industries Impacted",
        "Popularity in AI"]  # the REVE table's headings, as gkg:tableHeading


def test_each_kind_class_has_a_distinct_colour_and_a_shape():
    g = graph()
    colours = []
    for k in KIND_CLASSES:
        colour, shape = g.value(g_(k), GKG.displayColour), g.value(g_(k), GKG.displayShape)
        assert re.fullmatch(r"#[0-9A-Fa-f]{6}", str(colour)), k
        assert str(shape) in {"dot", "box", "diamond", "triangle", "star", "ellipse", "square", "hexagon"}
        colours.append(str(colour).lower())
    assert len(set(colours)) == len(colours)


def test_comparison_aspects_follow_the_key_differences_table():
    g = graph()
    aspects = {int(g.value(a, GKG.aspectOrder)): a for a in g.subjects(RDF.type, GKG.ComparisonAspect)}
    assert sorted(aspects) == list(range(1, len(ROWS) + 1))
    assert [str(g.value(aspects[i], GKG.tableHeading)) for i in sorted(aspects)] == ROWS
    for aspect in aspects.values():  # the labels are lower-case common nouns like every other label
        assert str(g.value(aspect, RDFS.label)).islower()
        assert str(g.value(aspect, RDFS.label)).endswith(" aspect")
    by_label = {str(g.value(a, GKG.tableHeading)): a for a in aspects.values()}
    assert set(g.objects(by_label["Input and Output"], GKG.aspectProperty)) == {GKG.acceptsInput,
                                                                                GKG.producesOutput}
    assert set(g.objects(by_label["Definition"], GKG.aspectProperty)) == {SKOS.definition}
    assert set(g.objects(by_label["Examples"], GKG.aspectProperty)) == {GKG.hasExample}
    assert set(g.objects(by_label["Examples"], GKG.aspectInverseProperty)) == {RDF.type}


@pytest.mark.parametrize("prop", ["primaryPurpose", "hasScope", "hasComplexity", "popularFor"])
@pytest.mark.parametrize("family", ["GenerativeAI", "LargeLanguageModel", "GenerativeAdversarialNetwork",
                                    "TransformerModel"])
def test_comparison_rows_filled_from_the_graph(family, prop):
    g = graph()
    values = objects(family, prop)
    assert len(values) == 1
    (value,) = values
    assert g.value(value, RDFS.label) and g.value(value, SKOS.definition)
    assert sources_of(g_(family), g_(prop), value)


def test_comparison_cells_say_what_the_table_says():
    g = graph()
    label = {f: str(g.value(next(iter(objects(f, "hasScope"))), RDFS.label)) for f in ["GenerativeAI",
                                                                                      "LargeLanguageModel"]}
    assert "multi-modal" in label["GenerativeAI"]
    assert "uni-modal" in label["LargeLanguageModel"]


# ------------------------------------------------------------------------------------ no copied text


def _words(text: str) -> list:
    return re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "").replace("'", ""))


def test_nothing_in_ontology_copies_eight_words_from_a_source(sources):
    runs = set()
    for src in sources.glob("*.txt"):
        w = _words(src.read_text(encoding="utf-8"))
        runs |= {tuple(w[i:i + 8]) for i in range(len(w) - 7)}
    # the exact titles of the cited documents are citations, not copied prose
    titles = [str(t) for d in DOCS for t in graph().objects(d, DCT.title)]
    for path in sorted(ONTOLOGY.iterdir()):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        for t in titles:
            text = text.replace(t, " ")
        w = _words(text)
        copied = {" ".join(w[i:i + 8]) for i in range(len(w) - 7) if tuple(w[i:i + 8]) in runs}
        assert not copied, (path.name, sorted(copied)[:5])


def test_marketing_text_stays_out():
    for name in DATA_FILES:
        text = (ONTOLOGY / name).read_text(encoding="utf-8").lower()
        for phrase in ["free trial", "free demo", "sign up", "credit card", "prompt management", "reve chat's llm"]:
            assert phrase not in text, (name, phrase)
