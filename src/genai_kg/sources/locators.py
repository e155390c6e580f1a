"""Reading sentence anchors from a graph: source documents (file, hash, sections) and each citation's locators.

The pattern (ontology/VOCABULARY.md, "Anchors"): a source document has ``gkg:sourceFile``, ``gkg:sha256`` and
one ``gkg:hasSection [ gkg:sourceSection NAME ; oa:hasSelector SELECTOR ]`` per section; the nested
``owl:Annotation`` that cites it on a claim has ``gkg:sourceSection`` and one ``oa:hasSelector`` per sentence
(or run of sentences) it rests on, each an ``oa:TextPositionSelector`` with ``oa:start`` and ``oa:end``
(code points, end exclusive).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Literal, Namespace
from rdflib.namespace import DCTERMS, OWL, RDF

from ..vocab import GKG

__all__ = ["OA", "Document", "Citation", "Locator", "source_documents", "citations", "claim_locators"]

#: The W3C Web Annotation vocabulary (selectors).
OA = Namespace("http://www.w3.org/ns/oa#")


@dataclass(frozen=True)
class Locator:
    """One text position selector: ``start``/``end`` as written (None when missing or not an integer)."""

    start: int | None
    end: int | None


@dataclass
class Document:
    """A source document node: its file name, recorded hash and declared sections (name → locators)."""

    node: object
    file: str
    sha256: str | None
    sections: dict[str, list[Locator]] = field(default_factory=dict)


@dataclass
class Citation:
    """One source of one claim: the claim ``(s, p, o)``, the document node, its sections and locators."""

    claim: tuple
    document: object
    sections: list[str]
    locators: list[Locator]


def _integer(value) -> int | None:
    if not isinstance(value, Literal):
        return None
    try:
        number = value.toPython()
    except Exception:  # noqa: BLE001 - an ill-typed literal is reported as unresolvable
        return None
    if isinstance(number, bool) or not isinstance(number, int):
        return None
    return number


def _locators(graph: Graph, node) -> list[Locator]:
    found = []
    for selector in graph.objects(node, OA.hasSelector):
        found.append(Locator(_integer(graph.value(selector, OA.start)), _integer(graph.value(selector, OA.end))))
    return sorted(found, key=lambda x: (x.start if x.start is not None else -1, x.end or -1))


def source_documents(graph: Graph) -> dict[object, Document]:
    """Every node with a ``gkg:sourceFile``, with its hash and sections."""
    documents: dict[object, Document] = {}
    for node, file in graph.subject_objects(GKG.sourceFile):
        sha = graph.value(node, GKG.sha256)
        doc = Document(node, str(file), str(sha) if sha is not None else None)
        for section in graph.objects(node, GKG.hasSection):
            for name in graph.objects(section, GKG.sourceSection):
                doc.sections.setdefault(str(name), []).extend(_locators(graph, section))
        documents[node] = doc
    return documents


def citations(graph: Graph, documents: dict[object, Document] | None = None) -> list[Citation]:
    """Every nested ``dcterms:source`` annotation whose target is a source document, in a stable order."""
    documents = source_documents(graph) if documents is None else documents
    found = []
    for cite in graph.subjects(RDF.type, OWL.Annotation):
        if graph.value(cite, OWL.annotatedProperty) != DCTERMS.source:
            continue
        target = graph.value(cite, OWL.annotatedTarget)
        if target not in documents:
            continue
        axiom = graph.value(cite, OWL.annotatedSource)
        claim = tuple(graph.value(axiom, p) for p in (OWL.annotatedSource, OWL.annotatedProperty, OWL.annotatedTarget))
        sections = sorted(str(x) for x in graph.objects(cite, GKG.sourceSection))
        found.append(Citation(claim, target, sections, _locators(graph, cite)))
    found.sort(key=lambda c: (str(c.document), tuple(str(x) for x in c.claim), c.sections))
    return found


def claim_locators(graph: Graph) -> dict[tuple, dict[str, list[tuple[int, int]]]]:
    """``(s, p, o)`` → {document IRI: [(start, end), ...]} for every anchored citation, in one pass."""
    index: dict[tuple, dict[str, list[tuple[int, int]]]] = {}
    for cite in citations(graph):
        spans = [(x.start, x.end) for x in cite.locators if x.start is not None and x.end is not None]
        if spans:
            index.setdefault(cite.claim, {}).setdefault(str(cite.document), []).extend(spans)
    return index
