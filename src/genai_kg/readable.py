"""Blank nodes as a person reads them: an OWL restriction as "produces output: value text", a claim's axiom
as the claim it annotates, a citation as the source it names, never as a ``_:id``.

A blank node has no name a reader can use, so tables and views describe it by what it says. The text is
built from the triples about the node, looked up in each graph given (an answer first, then the data it
came from: a CONSTRUCT answer may hold an axiom but not the restriction it points at).

>>> from rdflib import Graph
>>> g = Graph().parse(data='''
... @prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
... @prefix ex: <http://example.org/> .
... ex:producesOutput rdfs:label "produces output" . ex:Image rdfs:label "image" .
... ex:Gan rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:producesOutput ; owl:hasValue ex:Image ] .
... ''', format="turtle")
>>> from rdflib.namespace import RDFS
>>> restriction = next(g.objects(None, RDFS.subClassOf))
>>> blank_text(restriction, g)
'produces output: value image'
"""

from __future__ import annotations

from typing import Any

from rdflib import BNode, Literal
from rdflib.namespace import DCTERMS, OWL, RDF

from .vocab import label as term_label
from .vocab import local_name

__all__ = ["blank_text", "restriction_text", "RESTRICTION_WORDS"]

#: How each kind of OWL restriction reads after its property ("produces output: value image").
RESTRICTION_WORDS = {
    OWL.hasValue: "value",
    OWL.someValuesFrom: "some",
    OWL.allValuesFrom: "only",
    OWL.minCardinality: "at least",
    OWL.maxCardinality: "at most",
    OWL.cardinality: "exactly",
    OWL.minQualifiedCardinality: "at least",
    OWL.maxQualifiedCardinality: "at most",
    OWL.qualifiedCardinality: "exactly",
    OWL.hasSelf: "itself",
}
_LISTS = {OWL.unionOf: "one of", OWL.intersectionOf: "all of", OWL.oneOf: "one of"}
#: How deep a description of nested blank nodes goes (an axiom on a citation on an axiom ...).
_DEPTH = 4


def _value(graphs: tuple, node: Any, pred: Any) -> Any:
    for g in graphs:
        found = g.value(node, pred)
        if found is not None:
            return found
    return None


def _values(graphs: tuple, node: Any, pred: Any) -> list:
    for g in graphs:
        found = list(g.objects(node, pred))
        if found:
            return found
    return []


def _text(term: Any, graphs: tuple, depth: int) -> str:
    if isinstance(term, BNode):
        return _blank(term, graphs, depth + 1)
    if isinstance(term, Literal):
        return str(term)
    for g in graphs:
        found = term_label(g, term)
        if found is not None and found != local_name(str(term)):
            return found
    return local_name(str(term)) or str(term)


def _list(head: Any, graphs: tuple, depth: int) -> list[str]:
    items: list[str] = []
    seen: set[Any] = set()
    while head is not None and head != RDF.nil and head not in seen and len(items) < 50:
        seen.add(head)
        first = _value(graphs, head, RDF.first)
        if first is None:
            break
        items.append(_text(first, graphs, depth))
        head = _value(graphs, head, RDF.rest)
    return items


def restriction_text(node: Any, *graphs: Any) -> str | None:
    """"property: value X" for an ``owl:Restriction`` (some / only / at least N ...), else None."""
    return _restriction(node, graphs, 0)


def _restriction(node: Any, graphs: tuple, depth: int) -> str | None:
    prop = _value(graphs, node, OWL.onProperty)
    if prop is None:
        return None
    prop_text = _text(prop, graphs, depth)
    for pred, word in RESTRICTION_WORDS.items():
        value = _value(graphs, node, pred)
        if value is None:
            continue
        if pred == OWL.hasSelf:
            return f"{prop_text}: {word}"
        text = f"{prop_text}: {word} {_text(value, graphs, depth)}"
        qualified = _value(graphs, node, OWL.onClass)
        return text + (f" {_text(qualified, graphs, depth)}" if qualified is not None else "")
    return f"{prop_text}: (a restriction)"


def blank_text(node: Any, *graphs: Any) -> str:
    """What a blank node says, read from the first of ``graphs`` that holds triples about it.

    A restriction reads "property: value X"; a list or class expression "one of A, B"; a claim's
    ``owl:Axiom`` "claim: S · property · O"; a citation (``owl:Annotation`` on an axiom) "source S for
    claim: ..."; anything else "a node whose <property> is <value>" after its first two properties."""
    return _blank(node, graphs, 0)


def _blank(node: Any, graphs: tuple, depth: int) -> str:
    if depth > _DEPTH:
        return "…"
    found = _restriction(node, graphs, depth)
    if found is not None:
        return found
    for pred, word in _LISTS.items():
        head = _value(graphs, node, pred)
        if head is not None:
            return f"{word} {', '.join(_list(head, graphs, depth))}"
    if _value(graphs, node, RDF.first) is not None:
        return "(" + ", ".join(_list(node, graphs, depth)) + ")"
    source = _value(graphs, node, OWL.annotatedSource)
    if source is not None:
        prop = _value(graphs, node, OWL.annotatedProperty)
        target = _value(graphs, node, OWL.annotatedTarget)
        types = set(_values(graphs, node, RDF.type))
        if prop == DCTERMS.source and (OWL.Annotation in types or isinstance(source, BNode)):
            return f"source {_text(target, graphs, depth)} of {_text(source, graphs, depth)}"
        return (f"claim: {_text(source, graphs, depth)} · {_text(prop, graphs, depth) if prop is not None else '?'}"
                f" · {_text(target, graphs, depth) if target is not None else '?'}")
    parts: list[str] = []
    for g in graphs:
        for p, o in sorted(g.predicate_objects(node), key=lambda po: (str(po[0]), str(po[1]))):
            if p == RDF.type and len(parts) < 2:
                parts.insert(0, f"a {_text(o, graphs, depth)}")
            elif len(parts) < 2:
                parts.append(f"{_text(p, graphs, depth)} {_text(o, graphs, depth)}")
        if parts:
            break
    return "[" + "; ".join(parts) + "]" if parts else "[an anonymous node]"
