"""The HTML view in a real browser (headless Chromium through Playwright), offline.

For the bundled graph (plus one script-bearing term) and a 10,000-node synthetic graph: no request leaves
the page, no console error, the canvas is drawn, every node is there, search finds and selects a node, the
tooltip and the side panel show the definition as text, and a label carrying script stays inert.
Skipped only when Chromium or Playwright is missing *and* the ``CI`` variable is unset; in CI it must run
(the ``chromium`` fixture in conftest.py).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from genai_kg.views.html import write_html
from genai_kg.views.model import to_networkx
from genai_kg.vocab import GKG

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from synthetic_view import HOSTILE_DEFINITION, HOSTILE_LABEL, synthetic_graph  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=ARGS)
        yield browser
        browser.close()


def _bundled_with_hostile_term():
    from genai_kg.graph import load

    graph = load().graph
    bad = URIRef("https://example.org/hostile/<script>")
    graph.add((bad, RDF.type, GKG.Application))
    graph.add((bad, RDFS.label, Literal(HOSTILE_LABEL, lang="en")))
    graph.add((bad, SKOS.definition, Literal(HOSTILE_DEFINITION, lang="en")))
    graph.add((bad, DCTERMS.source, GKG.Curation))
    return to_networkx(graph)


VIEWS = {
    "bundled": _bundled_with_hostile_term,
    "large": lambda: to_networkx(synthetic_graph(10_000, hostile=True)),
}


class Opened:
    """A view opened in an offline browser context, with every request and console message recorded."""

    def __init__(self, browser, path: Path, G):
        self.G = G
        self.url = path.resolve().as_uri()
        self.context = browser.new_context(offline=True, viewport={"width": 1280, "height": 800})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        # Anything that is not the page itself is refused as well as recorded.
        self.context.route(lambda url: url != self.url, lambda route: route.abort())
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.errors.append(m.text))
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.goto(self.url)
        # Selectors, not wait_for_function: the page's CSP (rightly) refuses the string evaluation it polls with.
        self.page.wait_for_selector("body[data-ready='1']", state="attached", timeout=60_000)

    def node_id(self, label: str) -> int:
        return self.page.evaluate("(l) => window.genaiKg.data.nodes.find(n => n.label === l).id", label)

    def hover(self, node_id: int) -> None:
        self.page.evaluate(
            "(id) => { network.unselectAll(); network.focus(id, {scale: 1.5, animation: false}); }", node_id
        )
        self.page.mouse.move(5, 5)
        x, y = self.page.evaluate(
            """(id) => { const p = network.canvasToDOM(network.getPosition(id));
                         const r = document.querySelector('#graph canvas').getBoundingClientRect();
                         return [r.left + p.x, r.top + p.y]; }""",
            node_id,
        )
        self.page.mouse.move(x, y, steps=3)
        self._point = (x, y)

    def click(self) -> None:
        self.page.mouse.click(*self._point)

    def tooltip_text(self) -> str:
        self.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=10_000)
        return self.page.evaluate("document.querySelector('div.vis-tooltip').textContent")


@pytest.fixture(scope="module", params=sorted(VIEWS))
def opened(request, browser, tmp_path_factory):
    G = VIEWS[request.param]()
    path = tmp_path_factory.mktemp("view") / f"{request.param}.html"
    write_html(G, path, title=f"test {request.param}")
    view = Opened(browser, path, G)
    yield view
    view.context.close()


def test_no_request_leaves_the_page(opened):
    opened.page.wait_for_timeout(300)
    assert opened.requests == [opened.url]


def test_no_console_error(opened):
    assert opened.errors == []


def test_canvas_drawn_with_every_node_and_edge(opened):
    assert opened.page.evaluate("network.body.data.nodes.length") == opened.G.number_of_nodes()
    assert opened.page.evaluate("network.body.data.edges.length") == opened.G.number_of_edges()
    assert opened.page.evaluate("Object.keys(network.body.nodes).length") == opened.G.number_of_nodes()
    painted = opened.page.evaluate(
        """() => { const c = document.querySelector('#graph canvas');
                   if (!c || c.width < 100 || c.height < 100) return 0;
                   const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                   let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
                   return n; }"""
    )
    assert painted > 500


def _some_node(opened):
    """A node with a definition and a label no other node has (not the hostile one): its id and attributes."""
    counts = Counter(attrs["label"].casefold() for _, attrs in opened.G.nodes(data=True))
    for _, attrs in opened.G.nodes(data=True):
        if attrs["definition"] and attrs["label"] != HOSTILE_LABEL and counts[attrs["label"].casefold()] == 1:
            return opened.node_id(attrs["label"]), attrs
    raise AssertionError("no node with a definition")


def test_search_finds_and_selects(opened):
    node_id, attrs = _some_node(opened)
    page = opened.page
    page.fill("#search", attrs["label"])
    page.press("#search", "Enter")
    assert page.evaluate("network.getSelectedNodes()") == [node_id]
    assert page.text_content("#d-label") == attrs["label"]
    x, y = page.evaluate(f"Object.values(network.canvasToDOM(network.getPosition({node_id})))")
    box = page.locator("#graph").bounding_box()
    assert 0 <= x <= box["width"] and 0 <= y <= box["height"]  # focused: in view


def test_search_finds_an_abbreviation(opened):
    abbreviated = [(n, a) for n, a in opened.G.nodes(data=True) if a["alt_labels"]]
    _, attrs = abbreviated[0]
    alt = attrs["alt_labels"].split("; ")[0]
    opened.page.fill("#search", alt)
    opened.page.press("#search", "Enter")
    selected = opened.page.evaluate("network.getSelectedNodes()")
    assert opened.page.evaluate(f"window.genaiKg.data.nodes[{selected[0]}].alt").split("; ").count(alt) == 1


def test_tooltip_and_panel_show_the_definition_as_text(opened):
    node_id, attrs = _some_node(opened)
    opened.hover(node_id)
    text = opened.tooltip_text()
    assert attrs["label"] in text and attrs["definition"] in text
    opened.click()
    page = opened.page
    assert page.evaluate("network.getSelectedNodes()") == [node_id]
    assert page.text_content("#d-definition") == attrs["definition"]
    assert page.is_visible("#details")
    assert page.evaluate("document.querySelectorAll('#d-links li').length") > 0
    # the clicked node's neighbours are highlighted, the others are not
    neighbours = set(page.evaluate(f"network.getConnectedNodes({node_id})")) - {node_id}
    widened = set(page.evaluate("window.genaiKg.nodes.get({filter: n => n.borderWidth > 1}).map(n => n.id)"))
    assert neighbours and widened == neighbours


def test_legend_hides_and_shows_a_kind(opened):
    page = opened.page
    first = page.locator("#legend button").first
    kind, count = page.evaluate("[window.genaiKg.data.legend[0].kind, window.genaiKg.data.legend[0].count]")
    first.click()
    assert page.evaluate("window.genaiKg.nodes.get({filter: n => n.hidden}).length") == count
    first.click()
    assert page.evaluate("window.genaiKg.nodes.get({filter: n => n.hidden}).length") == 0
    assert kind in page.text_content("#legend")


def test_bounded_physics_stops(browser, tmp_path):
    from genai_kg.views.layout import FORCE_MAX_NODES

    G = to_networkx(synthetic_graph(FORCE_MAX_NODES + 100))
    write_html(G, tmp_path / "force.html", layout="force")
    view = Opened(browser, tmp_path / "force.html", G)
    try:
        assert view.page.evaluate("window.genaiKg.data.physics") is True
        assert view.page.evaluate("network.physics.options.enabled") is False  # stopped once bounded
        assert view.page.evaluate("Object.keys(network.body.nodes).length") == G.number_of_nodes()
        assert view.requests == [view.url] and view.errors == []
    finally:
        view.context.close()


def test_script_bearing_label_stays_inert(opened):
    page = opened.page
    node_id = opened.node_id(HOSTILE_LABEL)
    opened.hover(node_id)
    text = opened.tooltip_text()
    assert HOSTILE_LABEL in text and HOSTILE_DEFINITION.split("\u2028")[0] in text
    opened.click()
    page.fill("#search", "img src=x")
    page.press("#search", "Enter")
    page.wait_for_timeout(300)
    assert page.evaluate("network.getSelectedNodes()") == [node_id]
    assert page.text_content("#d-label") == HOSTILE_LABEL
    assert page.text_content("#d-definition") == HOSTILE_DEFINITION
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('img, b, iframe').length") == 0
    assert page.evaluate("document.scripts.length") == 3
    assert opened.errors == []
