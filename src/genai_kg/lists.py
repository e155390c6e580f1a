"""Concatenated lists in query answers, sorted so that every engine gives the same text.

SPARQL 1.1 leaves the order of the items inside ``GROUP_CONCAT`` to the engine (rdflib, Oxigraph, Jena and
Virtuoso each pick their own), and offers no portable way to choose it: an ``ORDER BY`` in a subquery that
feeds the aggregate is not guaranteed to survive grouping. So a named query says which columns are lists
(``# list: makers = ", "`` in its header, read by :mod:`genai_kg.catalog`), and the answer's cells in those
columns are sorted here, once, after evaluation, whatever evaluated them.

A cell is split on its separator and the pieces sorted by code point. An item that itself holds the
separator ("Me, Inc.") is split too: the cell's pieces are the same whatever order the engine joined the
items in, so the sorted text is still the same on every engine, though such an item may not stay whole.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

from rdflib import Literal, Variable

from .catalog import NamedQuery, as_query

__all__ = ["sort_items", "sort_list_cells", "sorted_lists"]


def sort_items(text: str, separator: str) -> str:
    """The items of one concatenated cell, sorted by code point and joined again.

    >>> sort_items("T5, Bard, BERT", ", ")
    'BERT, Bard, T5'
    """
    return separator.join(sorted(text.split(separator)))


def sort_list_cells(result, lists: Iterable[tuple[str, str]]):
    """Sort the items of every list cell of a SELECT ``result`` (an rdflib ``Result``) in place; return it.

    ``lists`` pairs a column name with its separator (a query's ``NamedQuery.lists``). A literal keeps its
    language tag and datatype; a column that is absent or unbound is left as it is.
    """
    columns = {Variable(name): separator for name, separator in lists}
    if result.type != "SELECT" or not columns.keys() & set(result.vars or ()):
        return result

    def row(binding):
        cells = dict(binding)
        for var, separator in columns.items():
            term = cells.get(var)
            if isinstance(term, Literal) and separator in str(term):
                cells[var] = Literal(sort_items(str(term), separator), lang=term.language, datatype=term.datatype)
        return cells

    result.bindings = [row(b) for b in result.bindings]
    return result


def sorted_lists(run: Callable) -> Callable:
    """Decorate a query runner ``run(graph, query, ...)`` so that its answers have their lists sorted.

    ``query`` (a name, a path or SPARQL text) is looked up once and handed on as a ``NamedQuery``; its
    ``# list:`` columns are sorted in the answer by :func:`sort_list_cells`.
    """

    @functools.wraps(run)
    def run_sorted(graph, query, *args, **kwargs):
        named = query if isinstance(query, NamedQuery) else as_query(query)
        return sort_list_cells(run(graph, named, *args, **kwargs), named.lists)

    return run_sorted
