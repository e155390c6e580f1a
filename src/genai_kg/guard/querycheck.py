"""What a query may do: refuse, before evaluation, a query that would fetch and any SPARQL Update.

Two independent checks for fetching (``SERVICE``, ``FROM`` / ``FROM NAMED``, ``LOAD``): rdflib's algebra,
which is what rdflib would evaluate, and a lexical scan of the text, which is what Oxigraph evaluates
natively where Python sees nothing. ``allow_remote=True`` lifts both for users who want federation.

>>> check_query_text("SELECT * WHERE { ?s ?p 'SERVICE' }")
>>> check_query_text("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", where="q.rq")
Traceback (most recent call last):
...
genai_kg.errors.UnsafeInput: q.rq: SERVICE would reach the network; refused (pass allow_remote=True to permit it)
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import sparql
from ..errors import UnsafeInput
from .audit import REMOTE_REMEDY

__all__ = ["check_query_text", "check_algebra", "refuse_update"]


def check_query_text(text: str, *, where: str = "query", allow_remote: bool = False) -> None:
    """Refuse ``text`` if it uses SERVICE, FROM / FROM NAMED or LOAD as a keyword (escapes expanded too)."""
    if allow_remote:
        return
    word = sparql.fetching_keyword(text)
    if word is not None:
        raise UnsafeInput(f"{where}: {sparql.FETCHING[word]}; refused", remedy=REMOTE_REMEDY)


def _walk(node) -> Iterator:
    """Every algebra node below ``node`` (rdflib's CompValue trees, lists and dicts)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)


def check_algebra(prepared, *, where: str = "query", allow_remote: bool = False) -> None:
    """Refuse a prepared rdflib query whose algebra holds a SERVICE pattern or a dataset clause (FROM)."""
    if allow_remote:
        return
    for node in _walk(prepared.algebra):
        name = getattr(node, "name", "")
        if name == "ServiceGraphPattern":
            raise UnsafeInput(
                f"{where}: SERVICE <{dict.get(node, 'term')}> would reach the network; refused", remedy=REMOTE_REMEDY
            )
        # CompValue.get returns the key itself when it is missing: read the plain dict.
        if name == "DatasetClause" or dict.get(node, "datasetClause"):
            raise UnsafeInput(f"{where}: {sparql.FETCHING['FROM']}; refused", remedy=REMOTE_REMEDY)


def refuse_update(text: str, where: str) -> None:
    """SPARQL Update (INSERT, DELETE, LOAD, ...) is not a query: refuse it by name rather than as bad syntax."""
    word = sparql.update_keyword(text)
    if word is not None:
        raise UnsafeInput(f"{where}: SPARQL Update ({word}) is not run by genai-kg, which only reads; refused")
