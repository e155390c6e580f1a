"""Stores: rdflib's in-memory store or Oxigraph (through oxrdflib), and loading files into them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph

from .errors import GenaiKgError

__all__ = ["open_graph", "load_files", "STORES"]

STORES = ("memory", "oxigraph")


def open_graph(store: str) -> Graph:
    """Return an empty Graph over ``memory``, ``oxigraph`` (in memory) or ``oxigraph:DIR`` (on disk)."""
    name, _, location = store.partition(":")
    if name == "memory" and not location:
        return Graph(bind_namespaces="core")
    if name == "oxigraph":
        try:
            from oxrdflib import OxigraphStore
        except ImportError:  # pragma: no cover - oxrdflib is a dependency
            raise GenaiKgError("--store oxigraph needs the oxrdflib package") from None
        return Graph(
            store=OxigraphStore(path=location) if location else OxigraphStore(), bind_namespaces="core"
        )
    raise GenaiKgError(f"--store: unknown store {store!r}; use memory, oxigraph or oxigraph:DIR")


def load_files(
    graph: Graph, files: Iterable[Path], *, store: str = "memory", allow_remote: bool = False
) -> Graph:
    """Parse each file into ``graph`` in order."""
    from .graph import parse_file

    for path in files:
        parse_file(graph, path, allow_remote=allow_remote)
    return graph
