"""The guard for untrusted input: how files are parsed and which queries may run, and for how long."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

from rdflib import Graph

from .errors import LimitExceeded, UnsafeInput

__all__ = ["safe_parse", "check_query", "run_bounded", "DEFAULT_TIMEOUT"]

#: Seconds a query may run unless the user says otherwise.
DEFAULT_TIMEOUT = 30.0


def safe_parse(graph: Graph, path: Path, fmt: str, *, allow_remote: bool = False) -> None:
    """Parse ``path`` into ``graph`` as ``fmt``, reading only that file."""
    data = path.read_bytes()
    graph.parse(data=data, format=fmt, publicID=path.resolve().as_uri())


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


def check_query(prepared, *, allow_remote: bool = False, where: str = "query") -> None:
    """Refuse, before evaluation, a query that would fetch: SERVICE, FROM or FROM NAMED.

    ``allow_remote`` lifts the refusal for users who want federation.
    """
    if allow_remote:
        return
    for node in _walk(prepared.algebra):
        name = getattr(node, "name", "")
        if name == "ServiceGraphPattern":
            raise UnsafeInput(
                f"{where}: SERVICE <{dict.get(node, 'term')}> would reach the network; refused"
                " (use --allow-remote)"
            )
        # CompValue.get returns the key itself when it is missing: read the plain dict.
        if name == "DatasetClause" or dict.get(node, "datasetClause"):
            raise UnsafeInput(
                f"{where}: FROM / FROM NAMED would read other graphs or files; refused (use --allow-remote)"
            )


@contextlib.contextmanager
def _deadline(seconds: float | None, what: str) -> Iterator[None]:
    """Raise LimitExceeded in this thread once ``seconds`` have passed (SIGALRM; main thread only)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise LimitExceeded(f"{what}: timed out after {seconds:g} s (raise it with --timeout)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_bounded(kg, prepared, bindings, *, timeout: float | None = None, text: str | None = None):
    """Run a prepared query and materialise its answer within ``timeout`` seconds."""
    limit = DEFAULT_TIMEOUT if timeout is None else timeout
    with _deadline(limit, "query"):
        result = kg.graph.query(prepared, initBindings=bindings)
        if result.type == "SELECT":
            result.bindings  # noqa: B018 - forces evaluation inside the deadline
        elif result.type in ("CONSTRUCT", "DESCRIBE"):
            result.graph  # noqa: B018
    return result
