"""``run_remote_query``: look up, bind and check a named query, then run it on an endpoint.

A copy of :func:`genai_kg.catalog.run_query`'s steps kept working until the one query pipeline replaces
it; it imports the catalogue and the guard inside the function because the catalogue sits a layer above.
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import URIRef

from ..sparql import bind_values, declared_prefixes, term_n3, tokenize
from .client import Credentials, query_endpoint

__all__ = ["run_remote_query"]


def _with_prefixes(text: str, namespaces: Mapping[str, str] | None) -> str:
    """Declare the graph's prefixes the query uses without declaring (the endpoint knows none of ours)."""
    if not namespaces:
        return text
    declared = declared_prefixes(text)
    used = {t.text.split(":", 1)[0] for t in tokenize(text) if t.kind == "pname"}
    lines = [
        f"PREFIX {prefix}: {term_n3(URIRef(str(ns)))}"
        for prefix, ns in sorted(namespaces.items())
        if prefix and prefix in used and prefix not in declared
    ]
    return "\n".join([*lines, text]) if lines else text


def run_remote_query(
    kg,
    url: str,
    query: str,
    params: Mapping[str, str] | None = None,
    *,
    default_graph: str | None = None,
    timeout: float | None = None,
    allow_remote: bool = False,
    credentials: Credentials | None = None,
):
    """Look up, bind and check a query like :func:`genai_kg.catalog.run_query`, then run it on ``url``.

    ``kg`` (the bundled graph and the user's files) resolves parameters given as labels or CURIEs and
    supplies the prefixes; the triples queried are the endpoint's.
    """
    from .. import guard
    from ..catalog import NamedQuery, _as_query, bind_params, prepare

    named = query if isinstance(query, NamedQuery) else _as_query(query)
    bindings = bind_params(kg, named, params or {})
    prepared = prepare(kg, named)
    where = str(named.path or named.name)
    guard.check_query(prepared, allow_remote=allow_remote, where=where)
    namespaces = {p: str(ns) for p, ns in kg.graph.namespace_manager.namespaces()}
    bound = bind_values(named.text, bindings)
    if bindings:  # what is sent must still parse, and still pass the guard
        from rdflib.plugins.sparql import prepareQuery

        guard.check_query(prepareQuery(bound, initNs=namespaces), allow_remote=allow_remote, where=where)
    limit = guard.DEFAULT_TIMEOUT if timeout is None else timeout
    text = _with_prefixes(bound, namespaces)
    return query_endpoint(url, text, graph=default_graph, timeout=limit, credentials=credentials)
