"""The vocabulary every layer shares: namespaces, and the one rule that turns a term into a label.

A label is the term's ``rdfs:label`` (else ``skos:prefLabel``), ranked by :data:`LANGUAGE_PREFERENCE`
(English in any region first, then untagged, then any other language), the smallest string among equals
so that the choice does not depend on the store's order; a term with no label shows its local name.
Every view, table, comparison and page ranks languages with :func:`language_rank`, so a term reads the
same everywhere.

>>> from rdflib import Graph
>>> g = Graph().parse(data='<urn:x:A> <http://www.w3.org/2000/01/rdf-schema#label> "A"@de, "a"@en .',
...                   format="turtle")
>>> label(g, URIRef("urn:x:A")), label(g, URIRef("https://w3id.org/genai-kg/GPT-4"))
('a', 'GPT-4')
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DC, DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

__all__ = [
    "GKG",
    "OBOINOWL",
    "SYNONYM_PREDICATES",
    "DEFAULT_GRAPH",
    "DC",
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
    "XSD_STRING",
    "LANGUAGE_PREFERENCE",
    "language_rank",
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
#: ``xsd:string`` as a plain string, for code that compares datatype IRIs as text.
XSD_STRING = str(XSD.string)

#: The one language preference for labels, headings and definitions: a tag's primary subtag -> rank
#: (lower first). ``""`` is an untagged literal; any tag not listed ranks after every listed one.
#: "en", "en-GB" and "EN-us" all rank as English.
LANGUAGE_PREFERENCE: dict[str, int] = {"en": 0, "": 1}
_OTHER_LANGUAGE = max(LANGUAGE_PREFERENCE.values()) + 1


def language_rank(language: str | None) -> int:
    """The rank of a language tag by :data:`LANGUAGE_PREFERENCE` (``None`` or ``""``: untagged).

    >>> language_rank("en"), language_rank("en-GB"), language_rank(None), language_rank("de")
    (0, 0, 1, 2)
    """
    primary = (language or "").split("-", 1)[0].lower()
    return LANGUAGE_PREFERENCE.get(primary, _OTHER_LANGUAGE)


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
    """One literal of ``values``, deterministically: by :func:`language_rank`, then the smallest text."""
    best: tuple[int, str] | None = None
    for value in values:
        if not isinstance(value, Literal):
            continue
        candidate = (language_rank(value.language), str(value))
        if best is None or candidate < best:
            best = candidate
    return None if best is None else best[1]


def label(graph: Graph, term: Any) -> str:
    """The label of ``term`` in ``graph`` by the rule above; a literal's text; a blank node's id."""
    if isinstance(term, Literal):
        return str(term)
    for predicate in LABEL_PREDICATES:
        found = pick_label(graph.objects(term, predicate))
        if found is not None:
            return found
    return local_name(str(term)) if isinstance(term, URIRef) else str(term)
