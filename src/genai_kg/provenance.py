"""Reading the sources of claims: one OWL axiom annotation per claim, one nested annotation per source.

A claim ``(s, p, o)`` has one ``owl:Axiom`` node naming every source with ``dcterms:source``; the section(s)
and any note of one source sit on a nested ``owl:Annotation`` of that ``dcterms:source`` annotation (see
ontology/VOCABULARY.md, "Provenance").
"""

from __future__ import annotations

from rdflib import Graph

from .vocab import DCTERMS, GKG, OWL, RDF, RDFS, SKOS

__all__ = ["claim_sources"]


def _citations(graph: Graph) -> dict[tuple, tuple[list[str], list[str]]]:
    """``(axiom, source)`` → (sections, notes) from the nested ``owl:Annotation`` nodes."""
    found: dict[tuple, tuple[list[str], list[str]]] = {}
    for cite in graph.subjects(RDF.type, OWL.Annotation):
        if graph.value(cite, OWL.annotatedProperty) != DCTERMS.source:
            continue
        ax, src = graph.value(cite, OWL.annotatedSource), graph.value(cite, OWL.annotatedTarget)
        sections, notes = found.setdefault((ax, src), ([], []))
        sections.extend(str(x) for x in graph.objects(cite, GKG.sourceSection))
        notes.extend(str(x) for x in graph.objects(cite, SKOS.note))
        notes.extend(str(x) for x in graph.objects(cite, RDFS.comment))
    return found


def claim_sources(graph: Graph) -> dict[tuple, list[dict]]:
    """Map each annotated triple ``(s, p, o)`` to its sources: ``{"source", "label", "section", "note"}``.

    One entry per source; a source cited in several sections has them joined with ``", "`` in ``section``
    (sorted), several notes are joined with a space. One pass over the axioms, so that callers describing
    many terms do not query per claim.
    """
    citations = _citations(graph)
    index: dict[tuple, list[dict]] = {}
    for ax in graph.subjects(RDF.type, OWL.Axiom):
        s = graph.value(ax, OWL.annotatedSource)
        p = graph.value(ax, OWL.annotatedProperty)
        o = graph.value(ax, OWL.annotatedTarget)
        if s is None or p is None or o is None:
            continue
        for src in graph.objects(ax, DCTERMS.source):
            sections, notes = citations.get((ax, src), ([], []))
            label = graph.value(src, RDFS.label) or graph.value(src, DCTERMS.title) or src
            index.setdefault((s, p, o), []).append(
                {
                    "source": str(src),
                    "label": str(label),
                    "section": ", ".join(sorted(set(sections))) or None,
                    "note": " ".join(dict.fromkeys(notes)) or None,
                }
            )
    for entries in index.values():
        entries.sort(key=lambda e: (e["label"], e["section"] or ""))
    return index
