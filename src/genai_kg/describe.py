"""``describe``: everything the graph says about one term, each statement with its sources."""

from __future__ import annotations

import os
from typing import Any

from rdflib import BNode, Literal, URIRef

from .answers.shown import term_text
from .errors import ParameterError, TermNotFound
from .guard.deadline import time_limit
from .provenance import claim_sources
from .sources import claim_locators, documents_by_node
from .terms import TermGraph
from .vocab import OWL, RDF

__all__ = ["describe", "format_description"]


def _value(kg: TermGraph, node: Any) -> dict[str, str]:
    if isinstance(node, URIRef):
        return {"iri": str(node), "text": kg.label(node)}
    if isinstance(node, Literal):
        out: dict[str, str] = {"text": str(node)}
        if node.language:
            out["lang"] = node.language
        elif node.datatype:
            out["datatype"] = str(node.datatype)
        return out
    return {"text": term_text(node)}


def describe(
    kg: TermGraph, term: str, *, timeout: float | None = None, sources: str | os.PathLike[str] | None = None
) -> dict[str, Any]:
    """Statements about ``term`` (IRI, CURIE or label): outgoing, then incoming, each with its sources.

    Axiom-annotation nodes are not listed as statements; their content appears as the ``sources``, each
    with its ``locators`` (``{"start", "end"}`` offsets into the document). Only when ``sources`` (the source
    documents' folder) is given does a locator carry its ``text``: without it no text of the documents is
    read or returned. The work stops with LimitExceeded after ``timeout`` seconds (the guard's default when
    None).
    """
    with time_limit(timeout, where="describe"):
        return _describe(kg, term, sources)


def _cite_locators(entries: list[dict], spans: dict, texts: dict | None) -> list[dict]:
    """``entries`` (claim_sources' dicts) with each document source's locators, and their text if read."""
    out = []
    for entry in entries:
        found = spans.get(entry["source"], [])
        if found:
            entry = dict(entry)
            entry["locators"] = [
                {"start": a, "end": b} | ({"text": texts[entry["source"]][a:b]} if texts and entry["source"]
                                           in texts else {})
                for a, b in sorted(found)
            ]
        out.append(entry)
    return out


def _describe(kg: TermGraph, term: str, sources_dir=None) -> dict[str, Any]:
    try:
        iri = kg.resolve_term(term)
    except TermNotFound as exc:
        raise TermNotFound(exc.reason, text=exc.text, matches=exc.matches, argument="term") from None
    g = kg.graph
    if (iri, None, None) not in g and (None, None, iri) not in g:
        raise ParameterError(f"the graph says nothing about {term!r}", argument="term")
    nm = g.namespace_manager
    sources = claim_sources(g)
    locators = claim_locators(g)
    texts = documents_by_node(g, sources_dir) if sources_dir is not None else None

    def cited(triple):
        return _cite_locators(sources.get(triple, []), locators.get(triple, {}), texts)

    statements = []
    for p, o in sorted(g.predicate_objects(iri), key=lambda po: (str(po[0]), str(po[1]))):
        if isinstance(o, BNode):
            continue
        statements.append(
            {"direction": "out", "predicate": term_text(p, nm), "predicate_label": kg.label(p),
             "value": _value(kg, o), "sources": cited((iri, p, o))}
        )
    for s, p in sorted(g.subject_predicates(iri), key=lambda sp: (str(sp[1]), str(sp[0]))):
        if isinstance(s, BNode) or p in (OWL.annotatedSource, OWL.annotatedTarget):
            continue
        statements.append(
            {"direction": "in", "predicate": term_text(p, nm), "predicate_label": kg.label(p),
             "value": _value(kg, s), "sources": cited((s, p, iri))}
        )
    return {
        "term": str(iri),
        "curie": term_text(iri, nm),
        "label": kg.label(iri),
        "types": sorted(term_text(t, nm) for t in g.objects(iri, RDF.type)),
        "statements": statements,
    }


def _cite_text(source: dict) -> str:
    spans = ", ".join(f"{x['start']}-{x['end']}" for x in source.get("locators", []))
    return source["label"] + (f" § {source['section']}" if source["section"] else "") + (f" @{spans}" if spans else "")


def format_description(description: dict[str, Any]) -> str:
    """A readable listing: ``predicate  value  [source § section @start-end]`` lines, incoming marked with
    ``←``; a locator's sentence(s), when read, on the lines under it."""
    lines = [f"{description['label']}  <{description['term']}>"]
    for st in description["statements"]:
        arrow = "" if st["direction"] == "out" else "← "
        cites = "; ".join(_cite_text(s) for s in st["sources"])
        lines.append(
            f"  {arrow}{st['predicate']}  {st['value']['text']}" + (f"  [{cites}]" if cites else "")
        )
        for source in st["sources"]:
            for loc in source.get("locators", []):
                if "text" in loc:
                    lines.append(f"      {loc['start']}-{loc['end']}: {' '.join(loc['text'].split())}")
    return "\n".join(lines) + "\n"
