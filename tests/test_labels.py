"""Labels (issue 14): one per term, none shared, lower-case singular common nouns that say the name."""

import re
from collections import defaultdict
from pathlib import Path

from conftest import ontology_graph
from rdflib import OWL, RDF, RDFS, Namespace, URIRef

ONTOLOGY = Path(__file__).parents[1] / "ontology"
GKG = Namespace("https://w3id.org/genai-kg/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")

# The comparison rows quote the REVE table's own headings ("Scope", "Primary Purpose"); they live in the
# presentation ontology and are the only labels that may equal a domain term's label when case is ignored.
ROW_HEADINGS = {"definition", "primary purpose", "scope", "complexity"}
COMMON_NOUN_KINDS = [GKG.Application, GKG.Industry, GKG.Modality, GKG.Technique, GKG.Strength, GKG.Weakness,
                     GKG.TrainingData, GKG.EvaluationCriterion, GKG.InteractionMode, GKG.LearningParadigm,
                     GKG.Architecture, GKG.ArchitectureComponent]
NOT_PLURAL = re.compile(r"(ss|is|us|as|ics|ness|ity|data|media|services)$")  # bias; sector names ("legal services")
PROPER = {"Wikipedia"}


graph = ontology_graph


def test_one_label_per_term_per_language():
    g = graph()
    counts = defaultdict(int)
    for s, label in g.subject_objects(RDFS.label):
        counts[(s, label.language)] += 1
    assert {k: n for k, n in counts.items() if n > 1} == {}


def test_no_two_terms_share_a_label():
    g = graph()
    exact, folded = defaultdict(set), defaultdict(set)
    for s, label in g.subject_objects(RDFS.label):
        exact[(str(label), label.language)].add(s)
        folded[str(label).casefold()].add(s)
    assert {k: v for k, v in exact.items() if len(v) > 1} == {}
    clashes = {k for k, v in folded.items() if len(v) > 1}
    assert clashes <= ROW_HEADINGS, clashes - ROW_HEADINGS
    for heading in clashes:
        assert sum((s, RDF.type, GKG.ComparisonAspect) in g for s in folded[heading]) == 1


def test_the_reported_duplicates_and_plurals_are_gone():
    g = graph()
    labels = {str(lab) for lab in g.objects(None, RDFS.label)}
    assert not {"chatbots", "deepfakes", "AI copilots", "search engines", "virtual assistants",
                "text corpora", "training data kind"} & labels
    assert str(g.value(GKG.DiffusionScope, RDFS.label)) != str(g.value(GKG.GANScope, RDFS.label))
    assert str(g.value(GKG.Source, RDFS.label)) != str(g.value(URIRef("http://purl.org/dc/terms/source"), RDFS.label))
    # old wordings stay findable as alternative labels
    assert "deepfakes" in {str(a) for a in g.objects(GKG.Deepfake, SKOS.altLabel)}


def _kind_members(g, kind):
    return {s for s in g.subjects(RDF.type, kind) if isinstance(s, URIRef)}


def test_common_nouns_are_lower_case_and_singular():
    g = graph()
    bad = []
    terms = {c for c in g.subjects(RDF.type, OWL.Class) if str(c).startswith(str(GKG))}
    for kind in COMMON_NOUN_KINDS:
        terms |= _kind_members(g, kind)
    for term in terms:
        label = str(g.value(term, RDFS.label))
        first, last = label.split()[0], re.split(r"[\s-]", label)[-1]
        if first[0].isupper() and first not in PROPER and not (first.isupper() or any(ch.isdigit() for ch in first)):
            bad.append((term, label, "capitalised"))
        if last.endswith("s") and not NOT_PLURAL.search(last) and last.upper() != last:
            bad.append((term, label, "plural"))
    assert bad == []


def test_near_duplicates_are_linked():
    g = graph()
    assert (GKG.ImageSynthesis, SKOS.closeMatch, GKG.ImageGeneration) in g
    assert (GKG.TextContentGeneration, SKOS.closeMatch, GKG.TextGeneration) in g
    assert (GKG.TextGeneration, SKOS.broadMatch, GKG.ContentCreation) in g
    assert (GKG.Advertising, SKOS.relatedMatch, GKG.MarketingAndAdvertising) in g
