"""The vocabulary every layer shares: namespaces, and the one rule that turns a term into a label.

A label is the term's ``rdfs:label`` (else ``skos:prefLabel``), English first, then untagged, then any
language, the smallest string among equals so that the choice does not depend on the store's order; a
term with no label shows its local name. Every view, table and page uses :func:`pick_label` or
:func:`label`, so a term reads the same everywhere.

>>> from rdflib import Graph
>>> g = Graph().parse(data='<urn:x:A> <http://www.w3.org/2000/01/rdf-schema#label> "A"@de, "a"@en .',
...                   format="turtle")
>>> label(g, URIRef("urn:x:A")), label(g, URIRef("https://w3id.org/genai-kg/GPT-4"))
('a', 'GPT-4')
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

__all__ = [
    "GKG",
    "OBOINOWL",
    "SYNONYM_PREDICATES",
    "DEFAULT_GRAPH",
    "DCTERMS",
    "OWL",
    "PROV",
    "RDF",
    "RDFS",
    "SH",
    "SKOS",
    "XSD",
    "URIRef",
    "LABEL_PREDICATES",
    "SEARCH_LABEL_PREDICATES",
    "PREFIXES",
    "local_name",
    "pick_label",
    "label",
]

GKG = Namespace("https://w3id.org/genai-kg/")
#: The named graph ``push`` writes and endpoint queries read unless told otherwise (one default, so they meet).
DEFAULT_GRAPH = "https://w3id.org/genai-kg/graph"

#: What names a term, in order of preference.
LABEL_PREDICATES = (RDFS.label, SKOS.prefLabel)
OBOINOWL = Namespace("http://www.geneontology.org/formats/oboInOwl#")
#: A term's other names: scoped synonyms as OBO ontologies write them (the bundled graph's), and
#: ``skos:altLabel`` (users' data may use it).
SYNONYM_PREDICATES = (
    OBOINOWL.hasExactSynonym, OBOINOWL.hasRelatedSynonym, OBOINOWL.hasBroadSynonym, OBOINOWL.hasNarrowSynonym,
    SKOS.altLabel,
)
#: What a person may type to find a term (abbreviations such as "LLM" are exact synonyms).
SEARCH_LABEL_PREDICATES = (RDFS.label, SKOS.prefLabel, *SYNONYM_PREDICATES)
#: Prefixes bound on every loaded graph, for CURIEs in answers and parameters.
PREFIXES = {"gkg": GKG, "dcterms": DCTERMS, "skos": SKOS, "owl": OWL}


def local_name(iri: str) -> str:
    """The last segment of an IRI (after ``#``, ``/`` or ``:``), for terms without a label.

    >>> local_name("https://w3id.org/genai-kg/LargeLanguageModel"), local_name("urn:isbn:123")
    ('LargeLanguageModel', '123')
    """
    for sep in ("#", "/", ":"):
        _head, found, tail = iri.rstrip("/#").rpartition(sep)
        if found and tail:
            return tail
    return iri


def pick_label(values: Iterable[Any]) -> str | None:
    """One literal of ``values``, deterministically: English, then untagged, then any; smallest first."""
    best: tuple[int, str] | None = None
    for value in values:
        if not isinstance(value, Literal):
            continue
        lang = (value.language or "").lower()
        rank = 0 if lang == "en" or lang.startswith("en-") else 1 if not lang else 2
        candidate = (rank, str(value))
        if best is None or candidate < best:
            best = candidate
    return None if best is None else best[1]


def label(graph, term: Any) -> str:
    """The label of ``term`` in ``graph`` by the rule above; a literal's text; a blank node's id."""
    if isinstance(term, Literal):
        return str(term)
    for predicate in LABEL_PREDICATES:
        found = pick_label(graph.objects(term, predicate))
        if found is not None:
            return found
    return local_name(str(term)) if isinstance(term, URIRef) else str(term)
