"""The sources' remaining content (issue 14), each claim cited to its section, and the separated kinds."""

from pathlib import Path

import pytest
from conftest import ontology_graph
from rdflib import OWL, RDF, RDFS

from genai_kg.vocab import DCTERMS as DCT
from genai_kg.vocab import GKG, SKOS

ONTOLOGY = Path(__file__).parents[1] / "ontology"
REVE, PL, SUBSET, CUR = GKG.ReveChatArticle, GKG.PromptLayerArticle, GKG.SubsetArticle, GKG.Curation


graph = ontology_graph


def cited(s, p, o) -> dict:
    """{source: {sections}} of the one axiom annotating (s, p, o)."""
    g = graph()
    assert (s, p, o) in g, (s, p, o)
    (ax,) = [a for a in g.subjects(OWL.annotatedSource, s) if (a, RDF.type, OWL.Axiom) in g
             and (a, OWL.annotatedProperty, p) in g and (a, OWL.annotatedTarget, o) in g]
    out = {src: set() for src in g.objects(ax, DCT.source)}
    for c in g.subjects(OWL.annotatedSource, ax):
        out.setdefault(g.value(c, OWL.annotatedTarget), set()).update(str(x) for x in g.objects(c, GKG.sourceSection))
    return out


# (subject, property, object, source, section)  -- the source line is in the comment
CLAIMS = [
    # 000 l.223: generative AI does text work often by relying on LLMs; 001 l.16: "including LLMs (for text)"
    ("GenerativeAI", "reliesOn", "LargeLanguageModel", REVE, "When to Use Generative AI"),
    ("GenerativeAI", "reliesOn", "LargeLanguageModel", PL, "Definitions and Core Concepts"),
    # 000 l.233-245 and 002 l.103, l.106: the two give most when combined
    ("LargeLanguageModel", "complements", "GenerativeAI", REVE, "Combining Generative AI and LLMs"),
    ("LargeLanguageModel", "complements", "GenerativeAI", REVE, "Conclusion"),
    ("LargeLanguageModel", "complements", "GenerativeAI", SUBSET, "Practical Scenarios for Each Approach"),
    # 000 l.8, 001 l.3-4, 002 l.78: the terms are confused / used interchangeably
    ("LargeLanguageModel", "oftenConfusedWith", "GenerativeAI", REVE, "Introduction"),
    ("LargeLanguageModel", "oftenConfusedWith", "GenerativeAI", PL, "Introduction"),
    ("LargeLanguageModel", "oftenConfusedWith", "GenerativeAI", SUBSET, "Introduction"),
    # 002 l.98: LLMs learn grammar, semantics and context
    ("LargeLanguageModel", "hasStrength", "GrammarKnowledge", SUBSET, "Training Focus"),
    ("LargeLanguageModel", "hasStrength", "SemanticKnowledge", SUBSET, "Training Focus"),
    ("LargeLanguageModel", "hasStrength", "ContextKnowledge", SUBSET, "Training Focus"),
    # 000 l.257 (LLMs the backbone of conversational AI tools), 001 l.37 (chatbots and assistants rely on LLMs)
    ("ConversationalAISystem", "reliesOn", "LargeLanguageModel", REVE, "Frequently Asked Questions"),
    ("ConversationalAISystem", "reliesOn", "LargeLanguageModel", PL, "Applications and Use Cases"),
    # 000 l.24 and l.142: context, nuances, idioms and cultural context
    ("LargeLanguageModel", "hasStrength", "DeepLanguageUnderstanding", REVE, "What is LLM?"),
    ("LargeLanguageModel", "hasStrength", "DeepLanguageUnderstanding", REVE, "Training Data and Modalities"),
    # 001 l.48: ad variations for A/B testing
    ("GenerativeAI", "hasApplication", "AdVariationTesting", PL, "Applications and Use Cases"),
    # 000 l.263: cloud-based solutions
    ("LargeLanguageModel", "interactedWithVia", "CloudService", REVE, "Frequently Asked Questions"),
    # 000 l.215, l.237: REVE Chat's own LLM-based chatbot
    ("ReveChatChatbot", "reliesOn", "LargeLanguageModel", REVE, "When to Use LLMs"),
    ("ReveChatChatbot", "developedBy", "ReveChat", REVE, "Combining Generative AI and LLMs"),
    ("ReveChatChatbot", "hasApplication", "CustomerServiceAutomation", REVE, "When to Use LLMs"),
]


@pytest.mark.parametrize("s, p, o, source, section", CLAIMS, ids=[f"{c[0]}-{c[1]}-{c[2]}-{c[4]}" for c in CLAIMS])
def test_added_claim_is_cited_to_its_section(s, p, o, source, section):
    assert section in cited(GKG[s], GKG[p], GKG[o]).get(source, set())


def test_the_kinds_the_sources_give_generative_ai_are_a_disagreement():
    g = graph()
    d = GKG.GenerativeAIKind
    assert (d, RDF.type, GKG.Disagreement) in g and (d, GKG.about, GKG.GenerativeAI) in g
    assert set(g.objects(d, DCT.source)) == {REVE, PL, SUBSET}
    note = str(g.value(d, SKOS.note))
    for word in ("technology", "AI system", "field", "class of AI systems", "category"):
        assert word in note, word


def test_ai_is_a_class_of_systems_not_a_field():
    g = graph()
    definition = str(g.value(GKG.ArtificialIntelligence, SKOS.definition))
    assert "system" in definition and "field" not in definition


@pytest.mark.parametrize("product", ["RunwayML", "Synthesia", "CanvaAI", "GoogleAssistant", "Bard", "ChatGPT",
                                     "ReveChatChatbot"])
def test_products_and_platforms_are_products(product):
    g = graph()
    assert (GKG[product], RDF.type, GKG.AIProduct) in g
    assert (GKG.AIProduct, RDFS.subClassOf, GKG.ArtificialIntelligence) in g


@pytest.mark.parametrize("product", ["RunwayML", "Synthesia"])
def test_video_platforms_rely_on_video_models_instead_of_being_one(product):
    g = graph()
    assert (GKG[product], RDF.type, GKG.VideoGenerationModel) not in g
    assert (GKG[product], GKG.reliesOn, GKG.VideoGenerationModel) in g
