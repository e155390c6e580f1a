"""Labels (issue 14): one per term, none shared, lower-case singular common nouns that say the name."""

import re
from collections import defaultdict
from pathlib import Path

from conftest import ontology_graph
from rdflib import OWL, RDF, RDFS, URIRef

from genai_kg.vocab import GKG, OBOINOWL, SKOS

ONTOLOGY = Path(__file__).parents[1] / "ontology"

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
    assert {k: v for k, v in folded.items() if len(v) > 1} == {}, "labels differing only in case"


def test_the_reported_duplicates_and_plurals_are_gone():
    g = graph()
    labels = {str(lab) for lab in g.objects(None, RDFS.label)}
    assert not {"chatbots", "deepfakes", "AI copilots", "search engines", "virtual assistants",
                "text corpora", "training data kind"} & labels
    assert str(g.value(GKG.DiffusionScope, RDFS.label)) != str(g.value(GKG.GANScope, RDFS.label))
    assert str(g.value(GKG.Source, RDFS.label)) != str(g.value(URIRef("http://purl.org/dc/terms/source"), RDFS.label))
    # old wordings stay findable as alternative labels
    assert "deepfakes" in {str(a) for a in g.objects(GKG.Deepfake, OBOINOWL.hasExactSynonym)}


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


# ------------------------------------------------------------------ the rules on every label of the graph

#: Values that say a family's table cell in words ("mainly images", "two competing networks"), figures and
#: documents: their labels describe them, so they neither follow the local name nor need a singular head.
DESCRIPTIVE_KINDS = [GKG.FamilyCharacteristic, GKG.Statistic, GKG.SourceDocument, GKG.CuratedSource]
#: Kinds whose members are proper names (systems, products, makers): a capital there is the name's own.
PROPER_KINDS = [GKG.ArtificialIntelligence, GKG.Organization]
STOP = {"of", "for", "and", "a", "an", "the", "in", "on", "to", "as", "with", "via", "by", "from", "within"}
SPELLING = [("isation", "ization"), ("labelled", "labeled"), ("three d", "3d")]


def _labelled_terms(g):
    return {s: str(lab) for s, lab in g.subject_objects(RDFS.label) if str(s).startswith(str(GKG))}


def _members_of(g, kinds):
    """Individuals typed with one of ``kinds`` or a class below one."""
    classes = set()
    for kind in kinds:
        classes |= set(g.transitive_subjects(RDFS.subClassOf, kind))
    return {s for c in classes for s in g.subjects(RDF.type, c)}


def _proper_words(g):
    """Words that are names: the words of every system's, product's and maker's label, plus Wikipedia."""
    labels = _labelled_terms(g)
    return PROPER | {w.rstrip(".,") for s in _members_of(g, PROPER_KINDS) if s in labels for w in labels[s].split()}


def _is_name_like(word, proper):
    return (word in proper or word.isupper() or any(ch.isdigit() for ch in word)
            or any(ch.isupper() for ch in word[1:]))


def _words(text):
    """Lower-case words of a label or a local name: camelCase and hyphens split, British spellings folded."""
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", text))
    text = text.lower()
    for british, other in SPELLING:
        text = text.replace(british, other)
    return [w for w in re.findall(r"[a-z0-9]+", text) if w not in STOP]


def test_labels_are_lower_case_except_proper_names():
    """Every word of every label starts lower-case unless it is a name (an acronym, a word with a digit or an
    inner capital, or a system's, product's or maker's name); source titles after the colon are quoted."""
    g = graph()
    proper = _proper_words(g)
    documents = _members_of(g, [GKG.SourceDocument])
    names = _members_of(g, PROPER_KINDS)
    bad = []
    for term, label in _labelled_terms(g).items():
        if term in names:
            continue
        text = label.split(":")[0] if term in documents else label
        for word in re.findall(r"[A-Za-z][\w.-]*", text):
            if word[0].isupper() and not _is_name_like(word.rstrip(".,"), proper):
                bad.append((term, label, word))
    assert bad == []
    assert not [label for label in _labelled_terms(g).values() if "?" in label], "labels are noun phrases"


def _head(label):
    """The head noun: the last word before the first preposition, colon or comma."""
    words = re.split(r"[:,]", label)[0].split()
    for i, word in enumerate(words[1:], 1):
        if word in STOP - {"and"}:
            words = words[:i]
            break
    return re.split(r"-", words[-1])[-1]


def test_every_label_has_a_singular_head():
    g = graph()
    skip = _members_of(g, DESCRIPTIVE_KINDS) | set(g.subjects(RDF.type, OWL.ObjectProperty)) | set(
        g.subjects(RDF.type, OWL.DatatypeProperty)) | set(g.subjects(RDF.type, OWL.AnnotationProperty))
    bad = []
    for term, label in _labelled_terms(g).items():
        head = _head(label)
        if term not in skip and head.endswith("s") and not NOT_PLURAL.search(head) and not head.isupper():
            bad.append((term, label, head))
    assert bad == []


def test_labels_say_the_local_name():
    """Each word of the IRI's local name is in the label (any order, British spellings allowed), and the
    label adds at most two words; descriptive values, figures and documents are exempt; an acronym name is
    the initials of its label (BFSI)."""
    g = graph()
    skip = _members_of(g, DESCRIPTIVE_KINDS)
    bad = []
    for term, label in _labelled_terms(g).items():
        if term in skip:
            continue
        local = str(term)[len(str(GKG)):]
        name, said = _words(local), _words(label)
        if local.isupper() and len(local) > 2 and "".join(w[0] for w in said) == local.lower():
            continue
        missing = [w for w in name if w not in said and w not in "".join(said)]
        extra = [w for w in said if w not in name and w not in "".join(name)]
        if missing or len(extra) > 2:
            bad.append((local, label, missing, extra))
    assert bad == []


def test_disagreements_are_named_by_noun_phrases():
    g = graph()
    labels = {str(g.value(d, RDFS.label)) for d in g.subjects(RDF.type, GKG.Disagreement)}
    assert {"BERT as a text generator", "classification of ChatGPT", "kind of thing generative AI is",
            "ease of fine-tuning an LLM", "LLM training on text only", "LLM reliance on the transformer"} <= labels
    # the old questions stay findable
    questions = {str(a) for a in g.objects(GKG.BertAsTextGenerator, OBOINOWL.hasRelatedSynonym)}
    assert "Is BERT a text-generating LLM?" in questions
