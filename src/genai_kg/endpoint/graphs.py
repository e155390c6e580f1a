"""Which graph of an endpoint a query reads: the graph ``push`` writes unless told another, and a look at
the endpoint's named graphs when an answer comes back empty.

``push`` and queries share one default, :data:`DEFAULT_GRAPH`, so pushing with defaults and then querying
with defaults reads the pushed triples. A query that wants the endpoint's own default graph says so with
``graph=None`` (no ``default-graph-uri`` is sent).
"""

from __future__ import annotations

from ..errors import EndpointError
from ..vocab import DEFAULT_GRAPH
from .client import Credentials, query_endpoint

__all__ = ["DEFAULT_GRAPH", "graphs_holding_data"]

#: The named graph ``push`` replaces and queries read, unless told another.


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

    Meant to explain an empty answer, so it never fails: an endpoint error gives an empty list.
    """
    try:
        if query_endpoint(url, "ASK { ?s ?p ?o }", graph=graph, timeout=timeout, credentials=credentials).askAnswer:
            return []
        found = query_endpoint(
            url,
            f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT {limit + 1}",
            timeout=timeout,
            credentials=credentials,
        )
        names = [str(row[0]) for row in found if row[0] is not None and str(row[0]) not in (graph, DEFAULT_GRAPH)]
        if graph != DEFAULT_GRAPH and query_endpoint(
            url, f"ASK {{ GRAPH <{DEFAULT_GRAPH}> {{ ?s ?p ?o }} }}", timeout=timeout, credentials=credentials
        ).askAnswer:
            names.insert(0, DEFAULT_GRAPH)
    except EndpointError:
        return []
    return names[:limit]
