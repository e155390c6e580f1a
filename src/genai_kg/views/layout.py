"""Node positions computed in Python, so the browser draws at once instead of simulating physics.

``hierarchical`` is a tidy tree over the taxonomy edges (rdfs:subClassOf first, then rdf:type), with the
leaves of each node packed in a grid below it: linear time, so 10,000 nodes lay out in well under a second.
``tree_positions`` lays a small hierarchy out left to right, one column per level, as class browsers do, so
that every label of an opening view can be read at once. ``force`` is networkx's seeded spring layout for
graphs small enough for it (it is quadratic); above
:data:`FORCE_MAX_NODES` the view starts from the hierarchical positions and lets vis-network's physics run a
bounded number of iterations in the browser, then stops it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from ..vocab import RDF, RDFS

__all__ = [
    "LAYOUTS",
    "FORCE_MAX_NODES",
    "choose_layout",
    "hierarchical_positions",
    "force_positions",
    "tree_positions",
]

LAYOUTS = ("auto", "hierarchical", "force")
#: Above this many nodes networkx's spring layout takes seconds; the browser's bounded physics is used.
FORCE_MAX_NODES = 450

_SUBCLASS = str(RDFS.subClassOf)
_TYPE = str(RDF.type)
_TREE_PRIORITY = {_SUBCLASS: 0, _TYPE: 1}

X_GAP = 190.0
Y_GAP = 150.0
LEAF_ROW_GAP = 60.0


def keyed_edges(G: Any) -> Iterator[tuple[Any, Any, Any, dict]]:
    """(u, v, key, attrs) for multigraphs and simple graphs alike (key: the predicate, else the label)."""
    if G.is_multigraph():
        yield from G.edges(keys=True, data=True)
    else:
        for u, v, attrs in G.edges(data=True):
            yield u, v, str(attrs.get("predicate") or attrs.get("label") or ""), attrs


def _tree_edges(G: Any) -> list[tuple[str, str, int]]:
    edges = []
    for u, v, key, _ in keyed_edges(G):
        priority = _TREE_PRIORITY.get(key)
        if priority is not None and u != v:
            edges.append((u, v, priority))
    return edges


def choose_layout(G: Any) -> str:
    """``hierarchical`` when most nodes sit on taxonomy edges, else ``force``."""
    if G.number_of_nodes() == 0:
        return "hierarchical"
    touched = set()
    for u, v, _ in _tree_edges(G):
        touched.add(u)
        touched.add(v)
    return "hierarchical" if len(touched) >= 0.6 * G.number_of_nodes() else "force"


def _primary_parents(G: Any) -> dict[str, str]:
    """Each node's parent in the drawn tree: its subclass parent, else its type; cycles broken."""
    label = {n: (G.nodes[n].get("label", ""), n) for n in G}
    best: dict[str, tuple[int, tuple[str, str], str]] = {}
    for u, v, priority in _tree_edges(G):
        candidate = (priority, label[v], v)
        if u not in best or candidate < best[u]:
            best[u] = candidate
    parent = {u: c[2] for u, c in best.items()}
    state: dict[str, int] = {}  # 1: on the current walk, 2: done
    for start in G:
        walk = []
        node = start
        while node is not None and state.get(node) is None:
            state[node] = 1
            walk.append(node)
            node = parent.get(node)
        if node is not None and state.get(node) == 1:  # the walk closed a cycle: cut it at `node`
            del parent[node]
        for n in walk:
            state[n] = 2
    return parent


def hierarchical_positions(G: Any) -> dict[str, tuple[float, float]]:
    """Top-down tidy tree along subClassOf/type, leaves of each node in a grid; deterministic."""
    parent = _primary_parents(G)
    order = {n: i for i, n in enumerate(sorted(G, key=lambda n: (G.nodes[n].get("label", ""), n)))}
    children: dict[Any, list[str]] = {None: []}
    for n in G:
        children.setdefault(n, [])
    for n in G:
        children[parent.get(n)].append(n)
    for kids in children.values():
        kids.sort(key=order.__getitem__)

    # Post-order (iterative: taxonomies from users can be deep) to size each subtree.
    size: dict[Any, tuple[float, float]] = {}
    plan: dict[Any, tuple[list[str], list[str], int]] = {}
    stack: list[tuple[Any, bool]] = [(None, False)]
    while stack:
        node, expanded = stack.pop()
        if not expanded:
            stack.append((node, True))
            stack.extend((kid, False) for kid in children[node] if children[kid])
            continue
        kids = children[node]
        leaves = [k for k in kids if not children[k]]
        inner = [k for k in kids if children[k]]
        cols = 0
        if leaves:
            cols = max(min(len(leaves), 4), math.ceil(math.sqrt(len(leaves) * LEAF_ROW_GAP / X_GAP)))
            cols = min(cols, len(leaves))
        rows = math.ceil(len(leaves) / cols) if cols else 0
        width = cols * X_GAP + sum(size[k][0] for k in inner)
        height = max([Y_GAP + (rows - 1) * LEAF_ROW_GAP] if rows else [0.0])
        height = max([height] + [Y_GAP + size[k][1] for k in inner])
        size[node] = (max(width, X_GAP), height)
        plan[node] = (inner, leaves, cols)
    for n in G:
        if not children[n]:
            size[n] = (X_GAP, 0.0)

    pos: dict[str, tuple[float, float]] = {}
    todo: list[tuple[Any, float, float]] = []
    # The roots' subtrees (and the grid of isolated roots) are packed on shelves, so that a forest of
    # many kinds fills a screen-shaped area instead of one very wide row.
    inner, leaves, cols = plan[None]
    blocks: list[tuple[float, float, Any]] = [(size[k][0], size[k][1], k) for k in inner]
    if leaves:
        rows = math.ceil(len(leaves) / cols)
        blocks.append((cols * X_GAP, (rows - 1) * LEAF_ROW_GAP, None))
    area = sum(w * (h + Y_GAP) for w, h, _ in blocks)
    shelf_width = max([w for w, _, _ in blocks] + [math.sqrt(area * 1.8)])
    x = y = shelf_height = 0.0
    for w, h, root in blocks:
        if x > 0 and x + w > shelf_width:
            x, y, shelf_height = 0.0, y + shelf_height + Y_GAP, 0.0
        if root is None:
            for i, leaf in enumerate(leaves):
                row, col = divmod(i, cols)
                pos[leaf] = (x + (col + 0.5) * X_GAP, y + row * LEAF_ROW_GAP)
        else:
            todo.append((root, x, y))
        x += w
        shelf_height = max(shelf_height, h)
    while todo:
        node, x0, y = todo.pop()
        width = size[node][0]
        pos[node] = (round(x0 + width / 2, 1), y)
        if node not in plan:
            continue
        inner, leaves, cols = plan[node]
        used = cols * X_GAP + sum(size[k][0] for k in inner)
        x = x0 + (width - used) / 2
        for kid in inner:
            todo.append((kid, x, y + Y_GAP))
            x += size[kid][0]
        for i, leaf in enumerate(leaves):
            row, col = divmod(i, cols)
            pos[leaf] = (round(x + (col + 0.5) * X_GAP, 1), y + Y_GAP + row * LEAF_ROW_GAP)
    return pos


def force_positions(G: Any, *, seed: int = 7) -> dict[str, tuple[float, float]]:
    """networkx's spring layout (seeded, so the same graph gives the same file), scaled to pixels."""
    import networkx as nx

    n = G.number_of_nodes()
    if n == 0:
        return {}
    simple = nx.Graph()
    simple.add_nodes_from(G)
    simple.add_edges_from((u, v) for u, v in G.edges() if u != v)
    raw = nx.spring_layout(simple, seed=seed, iterations=60)
    scale = 120.0 * math.sqrt(n) + 200.0
    return {node: (float(x) * scale, float(y) * scale) for node, (x, y) in raw.items()}


#: Pixels per character of a label at the opening font size, and the gap between columns and rows.
CHAR_WIDTH = 9.5
COLUMN_GAP = 70.0
ROW_GAP = 46.0


def tree_positions(
    nodes: list[Any], parent: dict[Any, Any], label: dict[Any, str], *, row_gap: float = ROW_GAP
) -> dict[Any, tuple[float, float]]:
    """Left-to-right tidy tree: a column per level (as wide as its longest label), one row per leaf, each
    parent level with the middle of its children; siblings in label order; deterministic.

    >>> pos = tree_positions(["a", "b", "c"], {"b": "a", "c": "a"}, {"a": "top", "b": "one", "c": "two"})
    >>> pos["a"][1] == (pos["b"][1] + pos["c"][1]) / 2 and pos["b"][0] == pos["c"][0] > pos["a"][0]
    True
    """
    members = set(nodes)
    children: dict[Any, list[Any]] = {n: [] for n in nodes}
    roots: list[Any] = []
    for n in nodes:
        up = parent.get(n)
        (children[up] if up in members and up != n else roots).append(n)
    key = lambda n: (label.get(n, ""), str(n))  # noqa: E731
    depth: dict[Any, int] = {}
    order: list[Any] = []  # pre-order, iterative (a user's hierarchy can be deep)
    rest = sorted(nodes, key=key, reverse=True)  # nodes on a cycle of parents start trees of their own
    stack = [(r, 0) for r in sorted(roots, key=key, reverse=True)]
    while stack or rest:
        if not stack:
            top = rest.pop()
            if top not in depth:
                stack.append((top, 0))
            continue
        node, d = stack.pop()
        if node in depth:
            continue
        depth[node] = d
        order.append(node)
        stack.extend((k, d + 1) for k in sorted(children[node], key=key, reverse=True))
    widths: dict[int, float] = {}
    for n in order:
        widths[depth[n]] = max(widths.get(depth[n], 0.0), len(label.get(n, "")) * CHAR_WIDTH)
    column_x = {0: 0.0}
    for d in range(1, len(widths)):
        column_x[d] = column_x[d - 1] + (widths[d - 1] + widths[d]) / 2 + COLUMN_GAP
    y: dict[Any, float] = {}
    row = 0
    for n in order:
        if not [k for k in children[n] if depth.get(k) == depth[n] + 1]:
            y[n] = row * row_gap
            row += 1
    for n in reversed(order):  # children before parents
        kids = [k for k in children[n] if depth.get(k) == depth[n] + 1]
        if kids:
            y[n] = (min(y[k] for k in kids) + max(y[k] for k in kids)) / 2
    return {n: (round(column_x[depth[n]], 1), round(y[n], 1)) for n in order}
