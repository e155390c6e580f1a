"""Graph exchange formats: the node/edge model as GraphML, GEXF (with Gephi colours) or Cytoscape JSON."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..errors import DataError, UnsupportedFormat
from ..fileio import atomic_path
from ..formats import GRAPH_FORMATS
from ..guard.output import xml_unfit

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["GRAPH_FORMATS", "CYJS_SCHEMA", "serialize_network", "write_graph"]

_EXTENSIONS = {".graphml": "graphml", ".gexf": "gexf", ".cyjs": "cyjs", ".json": "cyjs"}

_ID: dict[str, Any] = {"minLength": 1}


def _elements(required: list[str], fields: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The schema of the list of nodes or of edges: each element a ``data`` object whose ``fields`` are strings
    (each with its own further constraints), ``required`` among them, any other field a string, number or
    boolean."""
    data = {
        "type": "object",
        "required": required,
        "properties": {name: {"type": "string", **more} for name, more in fields.items()},
        "additionalProperties": {"type": ["string", "number", "boolean"]},
    }
    return {"type": "array", "items": {"type": "object", "required": ["data"], "properties": {"data": data}}}


#: JSON schema of the Cytoscape.js "elements" JSON that :func:`write_graph` writes (``cyjs``).
CYJS_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Cytoscape.js elements JSON written by genai-kg",
    "type": "object",
    "required": ["data", "directed", "multigraph", "elements"],
    "properties": {
        "data": {"type": "object"},
        "directed": {"const": True},
        "multigraph": {"const": True},
        "elements": {
            "type": "object",
            "required": ["nodes", "edges"],
            "additionalProperties": False,
            "properties": {
                "nodes": _elements(
                    ["id", "value", "name", "label", "kind", "colour", "shape"],
                    {"id": _ID, "value": _ID, "name": {}, "label": {}, "kind": {},
                     "colour": {"pattern": "^#[0-9a-fA-F]{6}$"}, "shape": {}, "definition": {}, "sources": {}},
                ),
                "edges": _elements(
                    ["source", "target", "key", "label", "predicate"],
                    {"source": _ID, "target": _ID, "key": _ID, "label": {}, "predicate": _ID, "sources": {}},
                ),
            },
        },
    },
}


def _graph_format(path: str | os.PathLike, fmt: str | None) -> str:
    if fmt is None:
        ext = os.path.splitext(str(path))[1].lower()
        if ext not in _EXTENSIONS:
            raise UnsupportedFormat(
                f"cannot tell the graph format from the extension; use one of {', '.join(GRAPH_FORMATS)}", path=path
            )
        return _EXTENSIONS[ext]
    fmt = fmt.lower()
    if fmt not in GRAPH_FORMATS:
        raise UnsupportedFormat(
            f"unknown graph format {fmt!r}: use one of {', '.join(GRAPH_FORMATS)}", argument="format"
        )
    return fmt


def _scalar_copy(nxgraph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes are all str/bool/int/float (None dropped), as GraphML and GEXF need; a
    character XML cannot carry (a control character from a label) is refused in one line."""

    def fit(text: str) -> str:
        bad = xml_unfit(text)
        if bad is not None:
            raise UnsupportedFormat(
                f"{text[:40]!r} holds U+{ord(bad):04X}, which XML cannot carry; use cyjs", argument="format"
            )
        return text

    def clean(attrs: Mapping[str, Any]) -> dict[str, Any]:
        out = {}
        for key, value in attrs.items():
            if value is None:
                continue
            out[key] = value if isinstance(value, (bool, int, float)) else fit(str(value))
        return out

    G = nxgraph.__class__()
    G.graph.update(clean(nxgraph.graph))
    for node, attrs in nxgraph.nodes(data=True):
        fit(str(node))
        G.add_node(node, **clean(attrs))
    if G.is_multigraph():
        for u, v, key, attrs in nxgraph.edges(keys=True, data=True):
            G.add_edge(u, v, key=key, **clean(attrs))
    else:
        for u, v, attrs in nxgraph.edges(data=True):
            G.add_edge(u, v, **clean(attrs))
    return G


def _hex_rgb(colour: str) -> dict[str, int] | None:
    try:
        return {"r": int(colour[1:3], 16), "g": int(colour[3:5], 16), "b": int(colour[5:7], 16), "a": 1}
    except (TypeError, ValueError, IndexError):
        return None


def _unique_edge_ids(G: nx.MultiDiGraph) -> None:
    """Give every edge a GraphML id of its own (``e0``, ``e1``, ... in the graph's sorted order) and keep its
    key (the predicate) as the ``key`` attribute. networkx writes a multigraph's edge key as the id, so the
    629 edges of the bundled graph had 31 ids, and graphology's reader (sigma.js's) refuses repeated ids."""
    if not G.is_multigraph():
        return
    edges = sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], str(e[2])))
    for n, (_, _, key, attrs) in enumerate(edges):
        attrs["edge_id"] = f"e{n}"
        attrs.setdefault("key", str(key))


def serialize_network(nxgraph: nx.MultiDiGraph, format: str) -> bytes:
    """Serialise the node/edge model as GraphML, GEXF (with Gephi colours) or Cytoscape JSON (UTF-8)."""
    import networkx as nx

    fmt = _graph_format("", format)
    G = _scalar_copy(nxgraph)
    if fmt == "cyjs":
        data = nx.cytoscape_data(G)
        data["data"] = dict(G.graph)  # networkx writes a list of pairs; Cytoscape reads an object
        return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
    buffer = io.BytesIO()
    if fmt == "graphml":
        _unique_edge_ids(G)
        nx.write_graphml(G, buffer, encoding="utf-8", prettyprint=True, edge_id_from_attribute="edge_id")
    else:
        for _, attrs in G.nodes(data=True):
            rgb = _hex_rgb(attrs.get("colour", ""))
            if rgb is not None:
                attrs["viz"] = {"color": rgb}
        nx.write_gexf(G, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def write_graph(nxgraph: nx.MultiDiGraph, path: str | os.PathLike, format: str | None = None) -> None:
    """Write ``nxgraph`` to ``path`` as ``graphml``, ``gexf`` or ``cyjs`` (from the extension if not given).

    The file is written atomically: a failure leaves no partial file and an existing file untouched.
    """
    fmt = _graph_format(path, format)
    try:
        data = serialize_network(nxgraph, fmt)
    except (TypeError, ValueError, KeyError) as exc:  # networkx refusing an attribute type
        raise DataError(f"cannot write {fmt}: {exc}", path=path) from exc
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
