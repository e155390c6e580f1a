"""Reading the sources of claims: OWL axiom annotations (owl:Axiom + dcterms:source)."""

from __future__ import annotations

from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from .vocab import DCTERMS, GKG

__all__ = ["claim_sources"]


def claim_sources(graph: Graph) -> dict[tuple, list[dict]]:
    """Map each annotated triple ``(s, p, o)`` to its sources: ``{"source", "label", "section", "note"}``.

    One pass over the ``owl:Axiom`` nodes, so that callers describing many terms do not query per claim.
    """
    index: dict[tuple, list[dict]] = {}
    for ax in graph.subjects(RDF.type, OWL.Axiom):
        s = graph.value(ax, OWL.annotatedSource)
        p = graph.value(ax, OWL.annotatedProperty)
        o = graph.value(ax, OWL.annotatedTarget)
        if s is None or p is None or o is None:
            continue
        section = graph.value(ax, GKG.sourceSection)
        note = graph.value(ax, SKOS.note) or graph.value(ax, RDFS.comment)
        for src in graph.objects(ax, DCTERMS.source):
            label = graph.value(src, RDFS.label) or graph.value(src, DCTERMS.title) or src
            index.setdefault((s, p, o), []).append(
                {
                    "source": str(src),
                    "label": str(label),
                    "section": str(section) if section is not None else None,
                    "note": str(note) if note is not None else None,
                }
            )
    for entries in index.values():
        entries.sort(key=lambda e: (e["label"], e["section"] or ""))
    return index
