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

import codecs
import re
from collections.abc import Iterable
from urllib.parse import unquote_plus

from ..answer_form import Answer, ntriples, parse_term

__all__ = ["read_items", "join_lists"]

#: What ``ENCODE_FOR_URI`` writes (RFC 3986's unreserved characters and %XX; rdflib also leaves "/"),
#: and the space between items.
_ENCODED = re.compile(r"^[A-Za-z0-9\-._~%/ ]*$")
#: A byte 0xFF, which no UTF-8 text holds: its cell is read item by item (the fast reading cuts at 0xFF).
_BYTE_FF = re.compile(r"%[Ff][Ff]")

#: CPython's byte-escape decoder (undocumented; present since Python 2): without it, the reference reading.
_escape_decode = getattr(codecs, "escape_decode", None)


def read_items(cell: str) -> list[str] | None:
    """The items of one gathered cell, decoded and sorted by code point; None if ``cell`` is not one."""
    if _escape_decode is not None and _ENCODED.match(cell) and not _BYTE_FF.search(cell):
        # The whole cell in one pass of C code (a big answer's list column has tens of thousands of items;
        # one unquote per item took 116 ms on makers at 1M triples, this 20 ms): each separating space
        # becomes byte 0xFF, which UTF-8 never holds, each %XX its byte ("\xXX"; the cell holds no
        # backslash), then the bytes are cut at 0xFF and each item decoded on its own.
        escaped = cell.replace(" ", "%FF").replace("+", " ").replace("%", "\\x")
        try:
            data = _escape_decode(escaped)[0]
            return sorted(item.decode("utf-8") for item in data.split(b"\xff") if item)
        except (ValueError, UnicodeDecodeError):
            pass  # a "%" without two hex digits, or an item not in UTF-8: the reference reading decides
    return _read_items_one_by_one(cell)


def _read_items_one_by_one(cell: str) -> list[str] | None:
    """The reference reading of :func:`read_items`: each item unquoted on its own."""
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
