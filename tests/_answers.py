"""Comparing query answers across stores and endpoints: rows of term strings, order only where it is asked."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from rdflib import BNode, Literal
from rdflib.namespace import XSD

#: Oxigraph stores these by value: a non-canonical lexical form ("300.0"^^xsd:decimal) comes back canonical
#: ("300"). Answers compare them by value; tests/test_stores.py shows the difference on its own.
NUMERIC = {XSD.decimal, XSD.integer, XSD.double, XSD.float, XSD.int, XSD.long, XSD.nonNegativeInteger}


def _number(text: str) -> str:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text
    return format(value.normalize(), "f") if value.is_finite() else text

_CONCAT = re.compile(
    r"GROUP_CONCAT\s*\((?:[^()]|\([^()]*\))*?(?:separator\s*=\s*(\"[^\"]*\"|'[^']*'))?\s*\)\s*AS\s*\?(\w+)",
    re.IGNORECASE,
)
_ORDER = re.compile(r"ORDER\s+BY\s+(.*?)(?:LIMIT|OFFSET|VALUES|$)", re.IGNORECASE | re.DOTALL)


def _concat_columns(text: str) -> dict[str, str]:
    """``?name`` → separator for each GROUP_CONCAT column (whose item order SPARQL leaves open)."""
    return {m[2]: (m[1][1:-1] if m[1] else " ") for m in _CONCAT.finditer(text)}


def _cell(term, separator: str | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return "_:b"  # blank node labels are the store's own
    text = str(term)
    if isinstance(term, Literal) and term.datatype in NUMERIC:
        return _number(text)
    return text  # a list cell's items come whole and sorted from every engine: compared as they are


def answers(result, text: str):
    """A comparable form of an rdflib Result: (kind, rows as a sorted list, ordered keys or None)."""
    if result.type == "ASK":
        return ("ASK", bool(result.askAnswer), None)
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        triples = sorted(tuple(_cell(t, None) for t in triple) for triple in result.graph)
        return ("GRAPH", triples, None)
    names = [str(v) for v in result.vars]
    concat = _concat_columns(text)
    rows = [tuple(_cell(b.get(v), concat.get(str(v))) for v in result.vars) for b in result.bindings]
    ordered = None
    body = re.sub(r"(?m)#.*$", "", text)
    match = _ORDER.search(body)
    if match:
        keys = []
        for var in re.findall(r"\?(\w+)", match.group(1)):
            if var not in names:
                break
            keys.append(names.index(var))
        ordered = [tuple(row[i] for i in keys) for row in rows] if keys else None
    return ("SELECT", sorted(rows), ordered)
