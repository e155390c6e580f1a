"""The HTML view: one self-contained, offline, deterministic page drawing a node/edge model with vis-network.

The page carries vis-network (read from the installed pyvis package, licence comment included), its own
script and style, and the graph as one JSON blob in ``<script type="application/json">``. Every label,
definition and IRI reaches the page as text: the JSON is escaped for ``<script>`` and the page script only
ever writes strings with ``textContent`` (tooltips are DOM elements, never HTML strings). A
Content-Security-Policy with the hashes of the two inline scripts blocks any other script and any request.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import DataError
from ..fileio import write_bytes_atomic
from .facts import collector_paused
from .layout import LAYOUTS
from .payload import build_payload

__all__ = ["render_view", "View", "big_page_note", "PAGE_NODES", "COMPRESS_BYTES", "read_page_data", "script_json",
           "vis_network_js", "LAYOUTS"]

VIS_VERSION = "9.1.2"


@lru_cache(maxsize=1)
def vis_network_js() -> str:
    """vis-network's minified script (with its licence comment), read from the installed pyvis package."""
    from importlib.util import find_spec

    # found, not imported: importing pyvis pulls in networkx, jinja2 and IPython's traitlets (seconds on a
    # busy machine holding a big drawing) for one file it ships
    spec = find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - pyvis is a dependency
        raise DataError("the HTML view needs the pyvis package (it ships vis-network)")
    path = Path(next(iter(spec.submodule_search_locations))) / "lib" / f"vis-{VIS_VERSION}" / "vis-network.min.js"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:  # pragma: no cover
        raise DataError(f"cannot read vis-network from the installed pyvis: {exc.strerror}", path=path) from exc
    return _inline_script(text)


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _inline_script(text: str) -> str:
    """Make a script safe to inline: ``</script`` (any case) and ``<!--`` must not appear raw."""
    text = re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)
    return text.replace("<!--", "<\\!--")


_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(value: Any) -> str:
    """JSON that is safe inside ``<script>``: ``<``, ``>``, ``&``, U+2028 and U+2029 escaped."""
    return _script_safe(_json(value))


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def _script_safe(text: str) -> str:
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group(0)], text)


_NONE = "'none'"


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def render_view(
    nxgraph: Any, *, title: str = "genai-kg", layout: str = "auto", focus: str | None = None,
    documents: dict[str, str] | None = None, height: int = 640,
) -> View:
    """Draw the node/edge model of :func:`genai_kg.views.model.to_networkx` as one self-contained HTML page:
    the package's one way to draw (``KnowledgeGraph.view`` and ``genai-kg view`` call it).

    Parameters
    ----------
    nxgraph : networkx.MultiDiGraph
        Nodes with ``label``, ``kind``, ``colour``, ``shape``, ``definition``, ``sources``; edges with
        ``label`` (missing attributes fall back to the node id / edge key).
    title : str
        Page title and heading (shown as text).
    layout : {"auto", "hierarchical", "force"}
        How a graph that opens whole (a query result, a small graph without a taxonomy) is laid out:
        ``hierarchical``, a tree along rdfs:subClassOf/rdf:type; ``force``, a seeded spring layout;
        ``auto``, hierarchical when most nodes sit on the taxonomy, else force. A graph with a taxonomy
        opens on it as a left-to-right tree, and a large one adds a group per kind (see
        :mod:`genai_kg.views.payload`); the rest is drawn on demand, next to what it links to.
    focus : str, optional
        The IRI of a node to open on, with its links shown (``view --focus``).
    documents : dict, optional
        File name -> text of the source documents (``view --sources DIR``): a claim's panel then shows the
        sentences its citations are anchored to. Without it no text of the documents reaches the page.
    height : int
        The inline frame's height in Jupyter, in pixels.

    Returns
    -------
    View
        The page (``.html``), its counts and what it opens on ("opening on 14 nodes and 10 groups"). The
        same graph and options always give the same page (no timestamps, seeded layouts, sorted data), and
        it makes no network request when opened.
    """
    with collector_paused():
        payload = build_payload(nxgraph, title=str(title), layout=layout, focus=focus, documents=documents)
    opening = _opening_note(len(payload["open"]), len(payload["groups"]))
    nodes, edges = nxgraph.number_of_nodes(), nxgraph.number_of_edges()
    return View(_page(payload), title=str(title), nodes=nodes, edges=edges, opening=opening, height=height)


def _page(payload: dict[str, Any], *, connect: str | None = None) -> str:
    """The page around ``payload``: template, style, vis-network and the view script, under a CSP that lets
    the scripts run and nothing else, save requests to ``connect`` (an origin) when given."""
    vis_js = vis_network_js()
    view_js = _inline_script(_asset("view.js"))
    csp = (
        "default-src 'none'; "
        f"script-src {_csp_hash(vis_js)} {_csp_hash(view_js)}; "
        f"style-src 'unsafe-inline'; img-src data:; font-src 'none'; connect-src {connect or _NONE}; "
        "form-action 'none'; base-uri 'none'"
    )
    attrs, data = _data_block(payload)
    values = {
        "CSP": html.escape(csp, quote=False).replace('"', "&quot;"),
        "TITLE": html.escape(str(payload["title"]), quote=True),
        "CSS": _asset("view.css").replace("</", "<\\/"),
        "DATA_ATTRS": attrs,
        "DATA": data,
        "VIS_JS": vis_js,
        "VIEW_JS": view_js,
    }
    # One pass over the template only: text inserted for one placeholder is never scanned for another.
    return re.sub(r"%%([A-Z_]+)%%", lambda m: values[m.group(1)], _asset("template.html"))


#: Data past this many bytes of JSON goes in the page compressed: a big graph's JSON (hundreds of MB at a million
#: nodes, mostly digits and repeated words) takes a fifth as many bytes, and the browser inflates it in a fraction
#: of the time it would spend reading the longer page. Smaller pages keep their data as readable JSON.
COMPRESS_BYTES = 256_000


def _json_parts(value: Any) -> Iterator[str]:
    """:func:`_json`'s text in parts, one per value below the top two levels of dicts (a column of the model): the
    whole text of a million nodes, hundreds of MB, is never held at once."""
    if not isinstance(value, dict):
        yield _json(value)
        return
    yield "{"
    for i, key in enumerate(sorted(value)):
        yield ("," if i else "") + _json(str(key)) + ":"
        yield from _json_parts(value[key])
    yield "}"


def _data_block(payload: dict[str, Any]) -> tuple[str, str]:
    """(the data script's attributes, its text): JSON safe in ``<script>``, or past :data:`COMPRESS_BYTES` the
    same JSON zlib-compressed (level 1: fast, and most of what level 9 saves) in base64, which view.js inflates."""
    import zlib

    parts = _json_parts(payload)
    head: list[str] = []
    size = 0
    for part in parts:
        head.append(part)
        size += len(part)
        if size > COMPRESS_BYTES:
            break
    else:
        return 'type="application/json"', _script_safe("".join(head))
    packer = zlib.compressobj(1)
    packed = [packer.compress("".join(head).encode("utf-8"))]
    del head
    for part in parts:
        packed.append(packer.compress(part.encode("utf-8")))
    packed.append(packer.flush())
    return 'type="text/plain" data-encoding="deflate-base64"', base64.b64encode(b"".join(packed)).decode("ascii")


#: Past this many nodes one page is more than a browser holds comfortably. Measured on a 2-core machine at 1,000,268
#: nodes and 4.4M edges: a 29 MB page, ready in 2-3 s with 450 MB of script heap (written in about 43 s with 1.6 GB
#: from a file read without a store, 65 s and 3.8 GB through one); all grow linearly. The endpoint-backed explorer
#: reads such a graph from a store, a click at a time.
PAGE_NODES = 1_100_000


def big_page_note(nodes: int, size: int) -> str | None:
    """One line for a page past :data:`PAGE_NODES` nodes (``size`` bytes) pointing to the explorer, else None."""
    if nodes <= PAGE_NODES:
        return None
    return (f"a page of {nodes:,} nodes ({size / 1e6:,.0f} MB) is past what one page holds well (about {PAGE_NODES:,}"
            " nodes): browse it from a store instead with `genai-kg serve --data FILE --store oxigraph:DIR`, or"
            " write a page that reads an endpoint with `genai-kg view --endpoint URL`")


def read_page_data(page: str) -> Any:
    """The data a page of :func:`render_view` carries, as the page script reads it (inflated when compressed)."""
    found = re.search(r'<script ([^>]*) id="genai-kg-data">(.*?)</script>', page, re.DOTALL)
    if found is None:
        raise DataError("not a genai-kg view: no data block")
    attrs, text = found.groups()
    if 'data-encoding="deflate-base64"' in attrs:
        import zlib

        text = zlib.decompress(base64.b64decode(text)).decode("utf-8")
    return json.loads(text)


def _opening_note(nodes: int, groups: int) -> str:
    def count(n: int, noun: str) -> str:
        return f"{n:,} {noun}{'' if n == 1 else 's'}"

    return f"opening on {count(nodes, 'node')}" + (f" and {count(groups, 'group')}" if groups else "")


class View:
    """A drawn graph: ``.html`` is one self-contained page; Jupyter shows it inline, ``save`` writes it.

    Inline, the page sits in a sandboxed ``<iframe srcdoc>``: nothing is fetched, from the notebook's
    server or from anywhere else. ``str(view)`` is the page.
    """

    def __init__(
        self, page: str, *, title: str, nodes: int, edges: int, opening: str = "", height: int = 640
    ) -> None:
        self.html = page
        self.title = title
        self.nodes = nodes
        self.edges = edges
        self.opening = opening  #: what the page opens on, e.g. "opening on 14 nodes and 10 groups"
        self.height = int(height)

    def save(self, path: str | os.PathLike) -> None:
        """Write the page to ``path`` as UTF-8, atomically (no half-written file on failure)."""
        write_bytes_atomic(path, self.html.encode("utf-8"))

    def __str__(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"<View {self.title!r}: {self.nodes} nodes, {self.edges} edges>"

    def _repr_html_(self) -> str:
        return (
            f'<iframe title="{html.escape(self.title, quote=True)}" sandbox="allow-scripts" '
            f'style="width:100%;height:{self.height}px;border:1px solid #ddd" '
            f'srcdoc="{html.escape(self.html, quote=True)}"></iframe>'
        )
