"""Term lookup: what a person types (an IRI, a CURIE, a label or an abbreviation) to the term it names.

>>> from rdflib import Graph
>>> g = Graph().parse(data='''@prefix gkg: <https://w3id.org/genai-kg/> .
... @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
... gkg:LargeLanguageModel skos:prefLabel "large language model"@en ; skos:altLabel "LLM" .''', format="turtle")
>>> resolve_term(g, "llm")
rdflib.term.URIRef('https://w3id.org/genai-kg/LargeLanguageModel')
>>> resolve_term(g, "gkg:GPT-4")
rdflib.term.URIRef('https://w3id.org/genai-kg/GPT-4')
"""

from __future__ import annotations

import difflib
import re
from typing import Any, Protocol

from rdflib import Graph, URIRef

from .errors import TermNotFound
from .vocab import GKG, SEARCH_LABEL_PREDICATES

__all__ = ["labels_index", "resolve_term", "LabelIndex", "TermGraph"]

LabelIndex = dict[str, list[URIRef]]


class TermGraph(Protocol):
    """What the presentation functions (``describe``, ``compare``, ``validate``) need of a loaded graph:
    its triples, term lookup and the one label rule. :class:`genai_kg.KnowledgeGraph` is one; naming the
    protocol here keeps those modules from importing the facade, which sits above them."""

    graph: Graph

    def resolve_term(self, text: str) -> URIRef: ...

    def label(self, term: Any) -> str: ...
_ABSOLUTE = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$", re.IGNORECASE)


def labels_index(graph: Graph) -> LabelIndex:
    """Case-folded label, prefLabel and synonym (any scope, or skos:altLabel) -> the terms that carry it,
    in the graph's order."""
    index: LabelIndex = {}
    for predicate in SEARCH_LABEL_PREDICATES:
        for s, o in graph.subject_objects(predicate):
            if isinstance(s, URIRef):
                bucket = index.setdefault(str(o).strip().casefold(), [])
                if s not in bucket:
                    bucket.append(s)
    return index


def resolve_term(graph: Graph, text: str, *, index: LabelIndex | None = None, argument: str | None = None) -> URIRef:
    """Resolve an IRI (``<...>`` or absolute), a CURIE, a local name in ``gkg:`` or a label to one term.

    Raises
    ------
    TermNotFound
        When nothing, or more than one term, matches; ``argument`` names the API argument it came from.
    """
    value = text.strip()
    if value.startswith("<") and value.endswith(">"):
        return URIRef(value[1:-1])
    if _ABSOLUTE.match(value) or value.startswith("urn:"):
        return URIRef(value)
    prefix, sep, local = value.partition(":")
    if sep and " " not in value:
        namespaces = dict(graph.namespace_manager.namespaces())
        if prefix in namespaces:
            return URIRef(str(namespaces[prefix]) + local)
    index = labels_index(graph) if index is None else index
    matches = index.get(value.casefold(), [])
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        names = ", ".join(sorted(graph.namespace_manager.normalizeUri(m) for m in matches))
        raise TermNotFound(
            f"{text!r} is the label of several terms ({names}); give an IRI or CURIE",
            text=text, matches=tuple(matches), argument=argument,
        )
    candidate = GKG[value]
    if " " not in value and (candidate, None, None) in graph:
        return candidate
    close = difflib.get_close_matches(value.casefold(), list(index), n=3)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise TermNotFound(f"no term with IRI, CURIE or label {text!r}{hint}", text=text, argument=argument)
