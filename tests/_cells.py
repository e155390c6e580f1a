"""Answers as they must agree across engines: cells as they are, not normalised (only numbers by value)."""

from __future__ import annotations

import re

from _answers import NUMERIC, _number
from rdflib import BNode, Literal

__all__ = ["cell", "table"]


def cell(term) -> str:
    """A cell as compared: unbound is "", a blank node "_:", a number its canonical value, else its text."""
    if term is None:
        return ""
    if isinstance(term, BNode):
        return "_:"
    if isinstance(term, Literal) and term.datatype in NUMERIC:
        return _number(str(term))
    return str(term)


def table(result, query):
    """What must agree: (kind, rows sorted, the rows' cells in the order the query asks for, or None)."""
    if result.type == "ASK":
        return ("ASK", bool(result.askAnswer), None)
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return ("GRAPH", sorted(tuple(cell(t) for t in triple) for triple in result.graph), None)
    rows = [tuple(cell(b.get(v)) for v in result.vars) for b in result.bindings]
    ordered = rows if "ORDER BY" in query.text.upper() else None
    return ("SELECT", sorted(rows), _order_keys(ordered, result.vars, query.text))


def _order_keys(rows, variables, text):
    """The ORDER BY keys of each row, in the order given (ties may come in any order, so only the keys)."""
    if rows is None:
        return None
    clause = re.split(r"(?i)ORDER\s+BY", re.sub(r"(?m)^#.*$", "", text))[-1]
    names = [str(v) for v in variables]
    keys = []
    for var in re.findall(r"\?(\w+)", clause):
        if var not in names:
            break
        keys.append(names.index(var))
    return [tuple(row[i] for i in keys) for row in rows] if keys else None
