"""The explorer page for a SPARQL endpoint: the same page as the embedded view, its data asked of the endpoint.

The page carries no graph, only what a click cannot ask for: the kinds (colours and shapes, read from the
local graph's presentation data) with the classes that lead to each, the relations' view labels, and the
nodes it opens on (the local graph's taxonomy opening). Each click then sends the endpoint one bounded
question (views/view.js): a node's links counted per property (each direction capped by a ``LIMIT 1001``
subquery, shown as "1,000+"), a page of 25 neighbours (unordered, ``LIMIT``/``OFFSET``), a search (the
server's index under ``genai-kg serve``; on Virtuoso, found by one probe per page, its text index through
``bif:contains``; elsewhere an exact label lookup plus a prefix search over a bounded number of labels, said
to be partial). A node's summary also reads its claims' citations and the disagreements about the node or
its claims' subjects (kinds that contest claims: ``gkg:viewContests`` in the local presentation data), so a
disputed claim is dashed as on the embedded page; its click reads the other sides in one request when its
subject's claims were not read. None of the shapes that grow with the data is sent: no label search
by a ``FILTER`` over every label, no ``ORDER BY`` over a hub, no grouped count of the taxonomy's roots.

The page's CSP lets it reach the endpoint's origin and nothing else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..errors import ParameterError
from ..vocab import GKG, RDFS, SEARCH_LABEL_PREDICATES, SKOS
from .facts import ANNOTATED, OA, SOURCE, STANDARD_NAMESPACES, STRUCTURAL_PREDICATES, Facts, collector_paused
from .kinds import Describer
from .model import draw
from .payload import build_payload

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

__all__ = ["remote_payload", "remote_page", "endpoint_origin", "PAGE", "COUNT_CAP", "SEARCH_SCAN", "CLAIM_CAP"]

#: Neighbours per page, counts shown exactly up to this many (then "1,000+"), labels a partial search reads.
PAGE, COUNT_CAP, SEARCH_SCAN = 25, 1000, 20000
#: Annotated claims (owl:Axiom) a node's summary reads with their citations: the node panel's "claims by source".
CLAIM_CAP = 500
#: What a claim's provenance is read from (the same annotations the embedded view reads, views/kinds.py):
#: the axiom's three ends and source, the nested annotation's section, note and text-position selector, and
#: the document's file name and label.
PROVENANCE = {
    "source": ANNOTATED[0], "property": ANNOTATED[1], "target": ANNOTATED[2], "cites": SOURCE,
    "section": str(GKG.sourceSection), "note": str(SKOS.note), "file": str(GKG.sourceFile),
    "selector": OA + "hasSelector", "start": OA + "start", "end": OA + "end", "label": str(RDFS.label),
    "about": str(GKG.about), "definition": str(SKOS.definition),
}
#: Disagreements a node's summary reads (about the node or the subjects of its first CLAIM_CAP claims).
DISPUTE_CAP = 50


def endpoint_origin(url: str) -> str:
    """The origin (scheme://host[:port]) a page may connect to; refuses anything but http(s) URLs."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ParameterError(f"not an http(s) URL: {url!r}", argument="endpoint")
    if any(c in url for c in "<>\"' \n\r\t;"):
        raise ParameterError(f"not a plain URL: {url!r}", argument="endpoint")
    return f"{parts.scheme}://{parts.netloc}"


def _kind_map(describer: Describer, payload: dict[str, Any]) -> dict[str, list[int]]:
    """class IRI -> [kind index, rank]: what an endpoint's node typed with that class is drawn as (the lowest
    rank wins among a node's types: the most specific family first, as in the embedded view)."""
    index = {tuple(k[:3]): i for i, k in enumerate(payload["kinds"])}
    found: dict[str, list[int]] = {}
    classes = set(describer.superclasses) | {t for ts in describer.types.values() for t in ts}
    for cls in sorted(c for c in classes if type(c) is str and not c.startswith("_:")):
        name, colour, shape = describer.kind("", [cls])
        if name in ("other", "class"):
            continue
        key = (name, colour, shape)
        if key not in index:
            index[key] = len(payload["kinds"])
            payload["kinds"].append([name, colour, shape, 0])
        found[cls] = [index[key], -describer.depth(cls) if describer.is_family(cls) else 100]
    return found


def _contests(facts: Facts) -> dict[str, list[str]]:
    """kind class IRI -> the properties whose claims a term of that kind contests (``gkg:viewContests``, read
    from the local graph's presentation data as the kinds are): the disagreements a remote page looks for."""
    return {str(cls): sorted(str(p) for p in props) for cls, props in sorted(facts.of(GKG.viewContests).items())
            if type(cls) is str and not cls.startswith("_:")}


def _predicate_labels(facts: Facts, describer: Describer) -> dict[str, list[str]]:
    """predicate IRI -> [view label, inverse view label] for the predicates the local graph uses."""
    return {p: [describer.relation_label(p), describer.inverse_label(p)] for p in sorted(facts.predicates)}


def remote_payload(graph: Graph, endpoint: str, *, title: str, search: str | None = None,
                   focus: str | None = None) -> dict[str, Any]:
    """The page's data for ``endpoint`` (a SPARQL query URL; relative for the page ``serve`` serves): the
    opening of the local graph's view (its nodes and the links between them), the kinds and labels, and
    where to ask. ``search`` is a search URL answering ``?q=`` (``serve``'s index), else SPARQL is used."""
    full = build_payload(draw(graph), title=title)
    keep = sorted(i for i, *_ in full["open"])
    if focus is not None:
        local = ["".join(pair) for pair in zip([full["ns"][n] for n in full["nodes"]["ns"]], full["nodes"]["local"],
                                                strict=True)]
        keep = [local.index(focus)] if focus in local else []
    opening = set(keep)
    starts, s = [], 0
    for d in full["edges"]["ds"]:
        s += d
        starts.append(s)
    kept = [e for e, (a, b) in enumerate(zip(starts, full["edges"]["t"], strict=True)) if a in opening and b in opening]
    # The opening's disputed claims are dashed as on the embedded page: their disagreements (read from the same
    # local graph as the opening) come along, as nodes not drawn until a claim's click shows both sides.
    disputing = sorted({d for e in kept for d in full["contests"][full["edges"]["x"][e]]} - opening)
    keep = keep + disputing
    new = {old: i for i, old in enumerate(keep)}
    cols = {k: [v[i] for i in keep] for k, v in full["nodes"].items()}
    cols["up"] = [new.get(u, -1) for u in cols["up"]]
    contests: list[list[int]] = [[]]
    contest_at: dict[tuple[int, ...], int] = {}
    edges: dict[str, list] = {"ds": [], "t": [], "p": [], "src": [], "c": [], "x": []}
    previous = 0
    for e in kept:
        a = new[starts[e]]
        edges["ds"].append(a - previous)
        previous = a
        edges["t"].append(new[full["edges"]["t"][e]])
        for key in ("p", "src"):
            edges[key].append(full["edges"][key][e])
        edges["c"].append(0)
        sides = tuple(new[d] for d in full["contests"][full["edges"]["x"][e]])
        if sides and sides not in contest_at:
            contest_at[sides] = len(contests)
            contests.append(list(sides))
        edges["x"].append(contest_at[sides] if sides else 0)
    order = sorted(range(len(kept)), key=lambda k: (starts[kept[k]],))
    assert order == list(range(len(kept)))  # kept in source order, as the page reads them
    payload = dict(full, nodes=cols, edges=edges, cites=[[]], contests=contests, groups=[], expand=[],
                   open=[[new[i], x, y, 0] for i, x, y, _ in full["open"] if i in new])
    if focus is not None:
        payload["open"] = [[0, 0.0, 0.0, 0]] if keep else []
        payload["expand"] = [0] if keep else []
    for row in payload["kinds"]:
        row[3] = 0
    with collector_paused():  # the local graph read once for the kinds, the labels and what kinds contest
        facts = Facts(graph)
        describer = Describer(facts)
    payload["remote"] = {
        "endpoint": endpoint,
        "search": search,
        "page": PAGE,
        "cap": COUNT_CAP,
        "scan": SEARCH_SCAN,
        "kinds": _kind_map(describer, payload),
        "labels": _predicate_labels(facts, describer),
        "standard": list(STANDARD_NAMESPACES),
        "structural": sorted(str(p) for p in STRUCTURAL_PREDICATES),
        "claims": CLAIM_CAP,
        "provenance": PROVENANCE,
        "contests": _contests(facts),
        "disputes": DISPUTE_CAP,
        "names": [str(p) for p in SEARCH_LABEL_PREDICATES],
    }
    return payload


def remote_page(graph: Graph, endpoint: str, *, title: str = "genai-kg", focus: str | None = None,
                search: str | None = None, connect: str | None = None) -> str:
    """The page of :func:`remote_payload`, allowed to connect to the endpoint's origin only (``connect``
    overrides it: ``'self'`` for the page ``serve`` serves)."""
    from .html import _page

    origin = connect or endpoint_origin(endpoint)
    return _page(remote_payload(graph, endpoint, title=title, search=search, focus=focus), connect=origin)
