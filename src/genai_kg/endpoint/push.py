"""Pushing a graph into a SPARQL 1.1 store: insert batches into a staging graph, then ``MOVE``.

Terms are written by :func:`genai_kg.sparql.term_n3`. Batches without blank nodes go as ``INSERT DATA``;
batches with blank nodes go as ``INSERT { ... } WHERE {}``, whose template makes one fresh blank node per
label, as every SPARQL 1.1 Update store must. (Virtuoso refuses blank nodes in ``INSERT DATA``; skolem IRIs
would pass, but then ``isBlank``/``isIRI`` filters and ``describe`` would read the axiom nodes differently
on the store than locally.) A blank node keeps all its triples, and the blank nodes linked to it, in one
request, so an axiom annotation or an OWL list is never split into unrelated nodes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rdflib import BNode, Graph

from ..answer_form import parse_term
from ..errors import ParameterError
from ..sparql import term_n3
from .client import Credentials, check_graph_iri, check_url, query_endpoint, request
from .graphs import DEFAULT_GRAPH

__all__ = ["DEFAULT_BATCH_SIZE", "PushReport", "push_graph"]

#: Triples per update request. Virtuoso 7 refuses an update text past about 1,000 triples ("memory
#: exhausted" in its parser, or "generated SQL text has exceeded 10000 lines"); 500 leaves it room.
DEFAULT_BATCH_SIZE = 500


@dataclass(frozen=True)
class PushReport:
    """What a push did: triples sent, requests made, and the count the store reports for the graph."""

    graph: str
    sent: int
    batches: int
    stored: int | None


def _components(graph: Graph) -> Iterator[list]:
    """The graph's triples in groups that keep every blank node's triples (and linked blank nodes) together.

    A blank node in ``INSERT DATA`` is new in each request, so an axiom annotation or an OWL list split
    across two requests would become two unrelated nodes.
    """
    parent: dict[BNode, BNode] = {}

    def find(node):
        root = node
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[node] != root:
            parent[node], node = root, parent[node]
        return root

    ground: list = []
    grouped: dict = {}
    triples = list(graph)
    for s, _, o in triples:
        if isinstance(s, BNode) and isinstance(o, BNode):
            a, b = find(s), find(o)
            if a != b:
                parent[a] = b
    for triple in triples:
        s, _, o = triple
        node = s if isinstance(s, BNode) else o if isinstance(o, BNode) else None
        if node is None:
            ground.append(triple)
        else:
            grouped.setdefault(find(node), []).append(triple)
    for triple in ground:
        yield [triple]
    yield from grouped.values()


def _batches(graph: Graph, size: int) -> Iterator[list]:
    batch: list = []
    for group in _components(graph):
        if batch and len(batch) + len(group) > size:
            yield batch
            batch = []
        batch.extend(group)
    if batch:
        yield batch


def _insert(graph_iri: str, triples: Iterable) -> str:
    """One update inserting ``triples``: ``INSERT DATA`` when they are ground, else a template with
    ``WHERE {}`` (blank node labels there make fresh nodes, shared within the request)."""
    labels: dict[BNode, str] = {}

    def n3(term) -> str:
        if isinstance(term, BNode):
            return labels.setdefault(term, f"_:b{len(labels)}")
        return term_n3(term)

    lines = [f"  {n3(s)} {n3(p)} {n3(o)} ." for s, p, o in triples]
    body = f"{{ GRAPH <{graph_iri}> {{\n" + "\n".join(lines) + "\n} }"
    return f"INSERT {body} WHERE {{}}" if labels else f"INSERT DATA {body}"


def push_graph(
    graph: Graph,
    url: str,
    update_url: str,
    *,
    graph_iri: str = DEFAULT_GRAPH,
    batch_size: int = DEFAULT_BATCH_SIZE,
    timeout: float = 30.0,
    credentials: Credentials | None = None,
) -> PushReport:
    """Replace the named graph ``graph_iri`` at a SPARQL 1.1 store with ``graph``, in batches.

    The triples go into a staging graph first (update requests of at most ``batch_size`` triples, blank
    nodes never split), then ``MOVE`` puts them in place at once: running it twice leaves the same store,
    and a push that fails half-way leaves the target graph as it was. A same-origin 307/308 redirect is
    followed with the same method and body; a redirect elsewhere is refused.
    """
    check_url(url)
    check_url(update_url, "update_endpoint")
    check_graph_iri(graph_iri)
    if batch_size < 1:
        raise ParameterError("must be at least 1", argument="batch_size")
    staging = f"urn:genai-kg:staging:{hashlib.sha256(graph_iri.encode()).hexdigest()[:32]}"

    def update(text: str) -> None:
        request(
            update_url,
            text.encode("utf-8"),
            "application/sparql-update",
            accept="*/*",
            timeout=timeout,
            credentials=credentials,
        )

    update(f"DROP SILENT GRAPH <{staging}>")
    sent = batches = 0
    for batch in _batches(graph, batch_size):
        update(_insert(staging, batch))
        sent += len(batch)
        batches += 1
    if sent:
        update(f"MOVE SILENT GRAPH <{staging}> TO GRAPH <{graph_iri}>")
    else:
        update(f"DROP SILENT GRAPH <{graph_iri}>")
    count = query_endpoint(
        url,
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}",
        timeout=timeout,
        credentials=credentials,
    )
    rows = list(count.rows())
    parts = parse_term(rows[0][0]) if rows else None
    stored = int(parts[1]) if parts is not None else None
    return PushReport(graph_iri, sent, batches, stored)
