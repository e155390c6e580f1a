"""List cells that keep every item whole: gathered percent-encoded, read back and sorted once.

SPARQL 1.1 leaves the order of the items inside ``GROUP_CONCAT`` to the engine (rdflib, Oxigraph, Jena and
Virtuoso each pick their own), and a label may hold any character, the separator included ("Midjourney,
Inc."), so a list joined with ", " cannot be split again without cutting such an item in two. The named
queries therefore gather each item as ``ENCODE_FOR_URI(STR(?label))`` joined by a space, a character that
``ENCODE_FOR_URI`` never leaves in an item. A ``# list: makers = ", "`` header line (read by
:mod:`genai_kg.catalog`) names such a column and the separator to show: here, after evaluation and
whatever evaluated it, each item is decoded whole, the items are sorted by code point, and joined with
that separator. A cell that is not in the encoded form (a character ``ENCODE_FOR_URI`` never writes) is
left exactly as the engine gave it.

>>> read_items("Midjourney%2C%20Inc. Alpha%09Beta")
['Alpha\\tBeta', 'Midjourney, Inc.']
>>> read_items("Me, Ltd") is None
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote_plus

from ..answer_form import Answer, ntriples, parse_term

__all__ = ["read_items", "join_lists"]

#: What ``ENCODE_FOR_URI`` writes (RFC 3986's unreserved characters and %XX; rdflib also leaves "/"),
#: and the space between items.
_ENCODED = re.compile(r"^[A-Za-z0-9\-._~%/ ]*$")


def read_items(cell: str) -> list[str] | None:
    """The items of one gathered cell, decoded and sorted by code point; None if ``cell`` is not one."""
    if not _ENCODED.match(cell):
        return None
    try:
        # unquote_plus: an engine that wrote a space as "+" is read right too (a "+" itself is always %2B)
        items = [unquote_plus(item, errors="strict") for item in cell.split(" ") if item]
    except UnicodeDecodeError:
        return None
    return sorted(items)


def join_lists(answer: Answer, lists: Iterable[tuple[str, str]]) -> Answer:
    """``answer`` with every ``# list:`` column's cells read as items and joined with its separator.

    ``lists`` pairs a column name with the separator to show (a query's ``NamedQuery.lists``). A literal
    keeps its language tag and datatype; an absent column, an unbound cell or a cell not in the gathered
    form is left as it is.
    """
    columns = {name: separator for name, separator in lists}
    if answer.kind != "select":
        return answer
    at = [(i, columns[name]) for i, name in enumerate(answer.variables) if name in columns]
    if not at:
        return answer

    def row(cells: tuple[str, ...]) -> list[str]:
        out = list(cells)
        for i, separator in at:
            parts = parse_term(out[i])
            if parts is None or parts[0] != "literal":
                continue
            items = read_items(parts[1])
            if items is not None:
                out[i] = ntriples("literal", separator.join(items), parts[2], parts[3])
        return out

    return Answer.from_rows("select", answer.variables, (row(r) for r in answer.rows()), form=answer.form)
