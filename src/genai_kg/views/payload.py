"""What the HTML view carries: the whole node/edge model as compact parallel arrays, and what it opens on.

The page keeps every node and edge in JavaScript arrays and draws only a small part of them, so a graph of
100,000 nodes opens as fast as a small one. What the page opens on is chosen here:

- ``focus``: the focus term, its links expanded (``view --focus``);
- ``taxonomy``: the families and the classes above them as a left-to-right tree (the whole graph);
- ``all``: every node, when there are few (a query result, a small graph without a taxonomy);
- ``top``: the top of the class hierarchy, for a large graph without families.

Above :data:`SUMMARY_NODES` nodes the opening also carries one group per kind with its count; clicking a
group shows its busiest members. Node and edge order follow the networkx graph (sorted by the model), and
every table is sorted, so the same graph always gives the same payload.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..errors import ParameterError
from .layout import (
    CHAR_WIDTH,
    COLUMN_GAP,
    FORCE_MAX_NODES,
    LAYOUTS,
    ROW_GAP,
    choose_layout,
    force_positions,
    hierarchical_positions,
    keyed_edges,
    tree_positions,
)

__all__ = ["build_payload", "SMALL_NODES", "SUMMARY_NODES", "TOP_NODES"]

#: Graphs up to this many nodes open whole unless they carry a taxonomy to open on.
SMALL_NODES = 150
#: Graphs without a taxonomy open whole up to this many nodes.
ALL_NODES = 300
#: Above this many nodes the opening adds one group per kind (the summary).
SUMMARY_NODES = 2000
#: How many classes the top of a hierarchy shows when a large graph has no families.
TOP_NODES = 40
#: Groups shown at most (the busiest kinds; the legend lists every kind).
GROUP_CAP = 10


_KIND_FALLBACKS = (("kind", ""), ("colour", "#9e9e9e"), ("shape", "dot"))


def _split(iri: str) -> tuple[str, str]:
    """(namespace, local name), split after the last ``#`` or ``/``."""
    cut = max(iri.rfind("#"), iri.rfind("/")) + 1
    return iri[:cut], iri[cut:]


class _Table:
    """Strings interned to small integers, in first-seen order (index 0 is the empty string)."""

    def __init__(self) -> None:
        self.index: dict[Any, int] = {"": 0}
        self.items: list[Any] = [""]

    def __call__(self, value: Any) -> int:
        found = self.index.get(value)
        if found is None:
            found = self.index[value] = len(self.items)
            self.items.append(value)
        return found


def _opening_positions(G: Any, layout: str, parent: dict[str, str]) -> dict[Any, tuple[float, float]]:
    """Positions of a graph drawn whole: ``auto`` reads it as a left-to-right tree (each node under its
    place in the hierarchy, else under its busiest neighbour busier than itself: a maker over its systems);
    ``hierarchical`` and ``force`` as :mod:`genai_kg.views.layout` draws them."""
    if layout == "force" and G.number_of_nodes() <= FORCE_MAX_NODES:
        return force_positions(G)
    if layout == "hierarchical" or (layout == "force" and choose_layout(G) == "hierarchical"):
        return hierarchical_positions(G)
    labels = {n: str(a.get("label") or n) for n, a in G.nodes(data=True)}
    degree = dict(G.degree())
    busiest = dict(parent)
    for node in G:
        if node in busiest:
            continue
        # a busier neighbour, else one of the same degree it links to (a system under its maker)
        ups = set(G.successors(node)) if G.is_directed() else set()
        near = ups | set(G.predecessors(node)) if G.is_directed() else set(G.neighbors(node))
        others = [m for m in near if degree[m] > degree[node] or m in ups and m != node]
        if others:
            busiest[node] = min(others, key=lambda m: (-degree[m], labels[m], m))
    return tree_positions(list(G), busiest, labels, row_gap=ROW_GAP * 1.3)


def _top_of_hierarchy(rows: list[tuple[str, dict]], parent: dict[str, str]) -> list[str]:
    """Breadth-first from the classes at the top, the first :data:`TOP_NODES` classes."""
    children: dict[str, list[str]] = {}
    roots: list[str] = []
    for node, attrs in rows:
        if attrs.get("is_class"):
            up = parent.get(node, "")
            (children.setdefault(up, []) if up else roots).append(node)
    picked: list[str] = []
    frontier = sorted(roots, key=lambda n: (-len(children.get(n, ())), n))
    while frontier and len(picked) < TOP_NODES:
        picked.extend(frontier[: TOP_NODES - len(picked)])
        frontier = [k for n in frontier for k in sorted(children.get(n, ()))]
    return picked


def _opening(G: Any, rows: list[tuple[str, dict]], layout: str, focus: str | None, parent: dict[str, str]
             ) -> tuple[str, dict[Any, tuple]]:
    """(mode, {node: (x, y)}) for the nodes drawn when the page opens (``rows``: ``G``'s nodes and data)."""
    labels = {n: str(a.get("label") or n) for n, a in rows}
    n = len(rows)
    if focus is not None and focus in labels:
        return "focus", {focus: (0.0, 0.0)}
    taxonomy = [node for node, attrs in rows if attrs.get("taxonomy")]
    if taxonomy and n > SMALL_NODES:
        members = set(taxonomy)
        below = Counter(parent.get(node) for node, _ in rows if node not in members)
        wide = {node: labels[node] + (f" (+{below[node]:,})" if below.get(node) else "") for node in taxonomy}
        return "taxonomy", tree_positions(taxonomy, parent, wide)
    if n <= ALL_NODES:
        return "all", _opening_positions(G if hasattr(G, "degree") else G.to_networkx(), layout, parent)
    top = _top_of_hierarchy(rows, parent)
    return "top", tree_positions(top, parent, labels)


def _groups(kinds: list[int], up: list[int], opened: set[int], kind_rows: list[list[Any]], pos: dict) -> list:
    """One group per kind of the nodes that nothing drawn at opening leads to (those under a drawn node are
    counted on it instead): [kind, count, x, y], the busiest :data:`GROUP_CAP`, in a column right of it."""
    counts = Counter(k for i, k in enumerate(kinds) if i not in opened and up[i] not in opened)
    order = sorted(counts, key=lambda k: (-counts[k], kind_rows[k][0]))[:GROUP_CAP]
    right = max((x for x, _ in pos.values()), default=0.0)
    top = min((y for _, y in pos.values()), default=0.0)
    widest = max((len(kind_rows[k][0]) + 9 for k in order), default=0) * CHAR_WIDTH
    return [[k, counts[k], round(right + COLUMN_GAP * 3 + widest / 2, 1), round(top + i * ROW_GAP, 1)]
            for i, k in enumerate(order)]


def _citations(text: str, documents: dict[str, str] | None) -> list:
    """A claim's citations for the page: ``[source, section, note, anchors]``, each anchor the sentence it
    points at when ``documents`` (file name -> text) holds the file and its hash matches, else
    ``[start, end, file]`` (offsets only: without the documents no text of theirs reaches the page)."""
    import hashlib
    import json

    out = []
    for source, section, note, file, anchors, sha in json.loads(text):
        doc = (documents or {}).get(file) if file else None
        if doc is not None and sha and hashlib.sha256(doc.encode("utf-8")).hexdigest() != sha.lower():
            doc = None  # a changed document: its offsets no longer say which sentence
            note = (note + " " if note else "") + f"({file} differs from the document anchored: sha256)"
        where = [{"text": doc[a:b]} if doc is not None else [a, b, file] for a, b in anchors]
        out.append([source, section, note, where])
    return out


def build_payload(G: Any, *, title: str, layout: str = "auto", focus: str | None = None,
                  documents: dict[str, str] | None = None) -> dict[str, Any]:
    """The page's data: nodes and edges as parallel arrays, small tables, and the opening (see the module).

    ``G`` is a networkx graph or a :class:`genai_kg.views.model.Drawing` (the same model, without networkx).
    ``documents`` (file name -> text, :func:`genai_kg.sources.read_documents`) puts the anchored sentences of
    the claims' citations in the page; without it, only their offsets.
    """
    if layout not in LAYOUTS:  # refused whatever the graph, before any work
        raise ParameterError(f"unknown layout {layout!r}: use one of {', '.join(LAYOUTS)}", argument="layout")
    if hasattr(G, "degree"):  # a networkx graph
        rows, edge_rows = list(G.nodes(data=True)), keyed_edges(G)
    else:
        rows, edge_rows = G.nodes, G.edges
    index = {node: i for i, (node, _) in enumerate(rows)}
    namespaces, kinds_t, texts, preds_t = _Table(), _Table(), _Table(), _Table()
    cols: dict[str, list[Any]] = {k: [] for k in ("ns", "local", "label", "alt", "kind", "def", "src", "up", "cls")}
    parent: dict[str, str] = {}
    for node, attrs in rows:
        ns, local = _split(str(node))
        up = str(attrs.get("parent") or "")
        if up in index:
            parent[node] = up
        cols["ns"].append(namespaces(ns))
        cols["local"].append(local)
        cols["label"].append(str(attrs.get("label") or node))
        cols["alt"].append(str(attrs.get("alt_labels") or ""))
        kind = tuple(str(attrs.get(key) or fallback) for key, fallback in _KIND_FALLBACKS)
        cols["kind"].append(kinds_t(kind) - 1)
        cols["def"].append(str(attrs.get("definition") or ""))
        cols["src"].append(texts(str(attrs.get("sources") or "")))
        cols["up"].append(index.get(up, -1))
        cols["cls"].append(1 if attrs.get("is_class") else 0)
    edges = []
    cites, contests = _Table(), _Table()
    # Edges alike share one attribute dict (a Drawing's do): what they carry is interned once per dict and key.
    interned: dict[tuple[int, Any], tuple[int, int, int, int]] = {}
    for u, v, key, attrs in edge_rows:
        found = interned.get((id(attrs), key))
        if found is None:
            label = str(attrs.get("label") or key)
            pred = (str(attrs.get("predicate") or key), label, str(attrs.get("inverse_label") or ""))
            contested = tuple(index[d] for d in str(attrs.get("contested") or "").split() if d in index)
            found = interned[id(attrs), key] = (
                preds_t(pred) - 1, texts(str(attrs.get("sources") or "")), cites(str(attrs.get("citations") or "")),
                contests(contested) if contested else 0)
        edges.append((index[u], index[v], *found))
    edges.sort()
    mode, pos = _opening(G, rows, layout, focus, parent)
    opened = {index[n] for n in pos}
    hidden = Counter(up for i, up in enumerate(cols["up"]) if up in opened and i not in opened)
    kind_rows = [list(k) for k in kinds_t.items[1:]]
    counts = Counter(cols["kind"])
    for k, row in enumerate(kind_rows):
        row.append(counts[k])
    big = len(rows) > SUMMARY_NODES
    previous = 0
    deltas = []
    for s, *_ in edges:  # sources ascending: stored as differences, mostly 0 and 1
        deltas.append(s - previous)
        previous = s
    return {
        "title": title,
        "mode": mode,
        "layout": layout,
        "ns": namespaces.items,
        "nodes": cols,
        "kinds": kind_rows,
        "preds": [list(p) for p in preds_t.items[1:]],
        "texts": texts.items,
        "edges": {
            "ds": deltas,
            "t": [e[1] for e in edges],
            "p": [e[2] for e in edges],
            "src": [e[3] for e in edges],
            "c": [e[4] for e in edges],
            "x": [e[5] for e in edges],
        },
        "cites": [[]] + [_citations(text, documents) for text in cites.items[1:]],
        "contests": [[]] + [list(ids) for ids in contests.items[1:]],
        "open": sorted(
            [index[n], round(float(x), 1), round(float(y), 1), hidden[index[n]]] for n, (x, y) in pos.items()
        ),
        "expand": [index[focus]] if mode == "focus" else [],
        "groups": _groups(cols["kind"], cols["up"], opened, kind_rows, pos) if big else [],
    }
