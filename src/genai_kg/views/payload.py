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


def _top_of_hierarchy(order: list[str], classes: list[Any], parent: dict[str, str]) -> list[str]:
    """Breadth-first from the classes at the top, the first :data:`TOP_NODES` classes."""
    children: dict[str, list[str]] = {}
    roots: list[str] = []
    for node, is_class in zip(order, classes, strict=True):
        if is_class:
            up = parent.get(node, "")
            (children.setdefault(up, []) if up else roots).append(node)
    picked: list[str] = []
    frontier = sorted(roots, key=lambda n: (-len(children.get(n, ())), n))
    while frontier and len(picked) < TOP_NODES:
        picked.extend(frontier[: TOP_NODES - len(picked)])
        frontier = [k for n in frontier for k in sorted(children.get(n, ()))]
    return picked


def _opening(G: Any, model: _Model, labels: list[str], layout: str, focus: str | None, parent: dict[str, str]
             ) -> tuple[str, dict[Any, tuple]]:
    """(mode, {node: (x, y)}) for the nodes drawn when the page opens (``labels``: the payload's, in order)."""
    order, n = model.order, len(model.order)
    if focus is not None and focus in model.index:
        return "focus", {focus: (0.0, 0.0)}
    taxonomy = [node for node, inside in zip(order, model.columns["taxonomy"], strict=True) if inside]
    if taxonomy and n > SMALL_NODES:
        members = set(taxonomy)
        below = Counter(parent.get(node) for node in order if node not in members)
        wide = {node: labels[model.index[node]] + (f" (+{below[node]:,})" if below.get(node) else "")
                for node in taxonomy}
        return "taxonomy", tree_positions(taxonomy, parent, wide)
    if n <= ALL_NODES:
        return "all", _opening_positions(G if hasattr(G, "degree") else G.to_networkx(), layout, parent)
    top = _top_of_hierarchy(order, model.columns["is_class"], parent)
    return "top", tree_positions(top, parent, {node: labels[model.index[node]] for node in top})


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


def _texts(values: list[Any]) -> list[str]:
    """Each value as text, "" for a missing one (a string is itself: no call for the common case)."""
    return [value if type(value) is str else str(value or "") for value in values]


class _Model:
    """A networkx graph or a :class:`~genai_kg.views.model.Drawing` read as the Drawing's columns: node IRIs in
    order, their attributes by name (missing ones None), and edges as arrays of subject, object and link places."""

    def __init__(self, G: Any) -> None:
        import numpy as np

        if not hasattr(G, "degree"):  # a Drawing: its own columns
            self.order, self.columns = G.order, G.columns
            self.edge_s, self.edge_o, self.edge_link, self.links = G.edge_s, G.edge_o, G.edge_link, G.links
        else:
            rows = list(G.nodes(data=True))
            self.order = [node for node, _ in rows]
            names = {name for _, attrs in rows for name in attrs} | {"taxonomy", "is_class"}
            self.columns = {name: [attrs.get(name) for _, attrs in rows] for name in names}
            place = {node: i for i, node in enumerate(self.order)}
            s, o, a = [], [], []
            self.links = []
            seen: dict[tuple[int, Any], int] = {}
            for u, v, key, attrs in keyed_edges(G):
                s.append(place[u])
                o.append(place[v])
                found = seen.get((id(attrs), key))
                if found is None:
                    found = seen[id(attrs), key] = len(self.links)
                    self.links.append((key, attrs))
                a.append(found)
            self.edge_s, self.edge_o, self.edge_link = (np.array(x, dtype=np.int64) for x in (s, o, a))
        self.index = {node: i for i, node in enumerate(self.order)}

    def column(self, name: str) -> list[Any]:
        return self.columns.get(name) or [None] * len(self.order)


def build_payload(G: Any, *, title: str, layout: str = "auto", focus: str | None = None,
                  documents: dict[str, str] | None = None) -> dict[str, Any]:
    """The page's data: nodes and edges as parallel arrays, small tables, and the opening (see the module).

    ``G`` is a networkx graph or a :class:`genai_kg.views.model.Drawing` (the same model, without networkx).
    ``documents`` (file name -> text, :func:`genai_kg.sources.read_documents`) puts the anchored sentences of
    the claims' citations in the page; without it, only their offsets.
    """
    import numpy as np

    if layout not in LAYOUTS:  # refused whatever the graph, before any work
        raise ParameterError(f"unknown layout {layout!r}: use one of {', '.join(LAYOUTS)}", argument="layout")
    model = _Model(G)
    index = model.index
    namespaces, kinds_t, texts, preds_t = _Table(), _Table(), _Table(), _Table()
    # Column by column (a million nodes: a comprehension each); tables are interned in node order.
    order = model.order
    names = [node if type(node) is str else str(node) for node in order]
    cut = [max(name.rfind("#"), name.rfind("/")) + 1 for name in names]  # after the last "#" or "/"
    ups = _texts(model.column("parent"))
    parent = {node: up for node, up in zip(order, ups, strict=True) if up in index}
    given = list(zip(*(model.column(key) for key, _ in _KIND_FALLBACKS), strict=True))
    kind_places = {kind: kinds_t(tuple(str(v or fallback) for v, (_, fallback) in zip(kind, _KIND_FALLBACKS,
                                                                                     strict=True))) - 1
                 for kind in dict.fromkeys(given)}
    cols: dict[str, list[Any]] = {
        "ns": [namespaces(name[:at]) for name, at in zip(names, cut, strict=True)],
        "local": [name[at:] for name, at in zip(names, cut, strict=True)],
        "label": [label or name for label, name in zip(_texts(model.column("label")), names, strict=True)],
        "alt": _texts(model.column("alt_labels")),
        "kind": list(map(kind_places.__getitem__, given)),
        "def": _texts(model.column("definition")),
        "src": list(map(texts, _texts(model.column("sources")))),
        "up": [index.get(up, -1) for up in ups],
        "cls": [1 if is_class else 0 for is_class in model.column("is_class")],
    }
    del names, cut, ups, given
    label_c, kind_c, up_c = cols["label"], cols["kind"], cols["up"]
    cites, contests = _Table(), _Table()
    # What a link carries (property, sources, citations, disagreements) is interned once per link, in the order
    # the edges first use it; the edges then read it through numpy, a million at a time.
    links = model.links
    used, first = np.unique(model.edge_link, return_index=True)
    carried = np.zeros((4, len(links)), dtype=np.int64)
    for at in used[np.argsort(first, kind="stable")].tolist():
        key, attrs = links[at]
        label = str(attrs.get("label") or key)
        pred = (str(attrs.get("predicate") or key), label, str(attrs.get("inverse_label") or ""))
        contested = tuple(index[d] for d in str(attrs.get("contested") or "").split() if d in index)
        carried[:, at] = (preds_t(pred) - 1, texts(str(attrs.get("sources") or "")),
                          cites(str(attrs.get("citations") or "")), contests(contested) if contested else 0)
    p, src, c, x = carried[:, model.edge_link]
    s, o = model.edge_s, model.edge_o
    if not (len(s) < 2 or np.all((s[1:] > s[:-1]) | ((s[1:] == s[:-1]) & (o[1:] > o[:-1])))):
        ranked = np.lexsort((x, c, src, p, o, s))  # else sorted already, one edge per pair (a Drawing's, mostly)
        s, o, p, src, c, x = s[ranked], o[ranked], p[ranked], src[ranked], c[ranked], x[ranked]
        del ranked
    edges = {
        "ds": np.diff(s, prepend=0).tolist(),  # sources ascending: stored as differences, mostly 0 and 1
        "t": o.tolist(),
        "p": p.tolist(),
        "src": src.tolist(),
        "c": c.tolist(),
        "x": x.tolist(),
    }
    del p, src, c, x, s, o
    mode, pos = _opening(G, model, label_c, layout, focus, parent)
    opened = {index[n] for n in pos}
    hidden = Counter(up for i, up in enumerate(up_c) if up in opened and i not in opened)
    kind_rows = [list(k) for k in kinds_t.items[1:]]
    counts = Counter(kind_c)
    for k, row in enumerate(kind_rows):
        row.append(counts[k])
    big = len(model.order) > SUMMARY_NODES
    return {
        "title": title,
        "mode": mode,
        "layout": layout,
        "ns": namespaces.items,
        "nodes": cols,
        "kinds": kind_rows,
        "preds": [list(p) for p in preds_t.items[1:]],
        "texts": texts.items,
        "edges": edges,
        "cites": [[]] + [_citations(text, documents) for text in cites.items[1:]],
        "contests": [[]] + [list(ids) for ids in contests.items[1:]],
        "open": sorted(
            [index[n], round(float(x), 1), round(float(y), 1), hidden[index[n]]] for n, (x, y) in pos.items()
        ),
        "expand": [index[focus]] if mode == "focus" else [],
        "groups": _groups(cols["kind"], cols["up"], opened, kind_rows, pos) if big else [],
    }
