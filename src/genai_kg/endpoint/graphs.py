"""Which graph of an endpoint a query reads: the graph ``push`` writes unless told another, and a look at
the endpoint's named graphs when an answer comes back empty.

``push`` and queries share one default, :data:`DEFAULT_GRAPH`, so pushing with defaults and then querying
with defaults reads the pushed triples. A query that wants the endpoint's own default graph says so with
``graph=None`` (no ``default-graph-uri`` is sent).
"""

from __future__ import annotations

import time

from ..answer_form import Answer, parse_term
from ..errors import EndpointError, GenaiKgError
from ..vocab import DEFAULT_GRAPH
from .client import Credentials, query_endpoint

__all__ = ["DEFAULT_GRAPH", "graphs_holding_data"]


def graphs_holding_data(
    url: str,
    graph: str | None,
    *,
    limit: int = 3,
    timeout: float = 10.0,
    credentials: Credentials | None = None,
) -> list[str]:
    """When ``graph`` (``None``: the endpoint's default graph) holds no triple, up to ``limit`` named graphs
    that do, :data:`DEFAULT_GRAPH` first; else (or when the endpoint cannot say) an empty list.

    ``timeout`` is the time all the follow-up queries share (what is left of the user's own): each gets
    what the ones before it left. Meant to explain an empty answer, so it never fails: an endpoint error,
    or no time left, gives an empty list.
    """
    end = time.monotonic() + timeout

    def ask(text: str, **options) -> Answer:
        left = end - time.monotonic()
        if left <= 0:
            raise EndpointError(f"{url}: no time left for follow-up queries")
        return query_endpoint(url, text, timeout=left, credentials=credentials, **options)

    try:
        if ask("ASK { ?s ?p ?o }", graph=graph).boolean:
            return []
        found = ask(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT {limit + 1}")
        names = []
        for (cell,) in found.rows():
            parts = parse_term(cell)
            if parts is not None and parts[1] not in (graph, DEFAULT_GRAPH):
                names.append(parts[1])
        if graph != DEFAULT_GRAPH and ask(f"ASK {{ GRAPH <{DEFAULT_GRAPH}> {{ ?s ?p ?o }} }}").boolean:
            names.insert(0, DEFAULT_GRAPH)
    except GenaiKgError:  # no answer, a limit, a timeout: the note is left out, never an error
        return []
    return names[:limit]
