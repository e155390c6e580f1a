"""Quality control of the bundled terms, ROBOT-report style: synonyms scoped, none equal to a label or shared."""

from collections import defaultdict

from conftest import ontology_graph
from rdflib import RDFS, URIRef

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
