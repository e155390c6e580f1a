"""The HTML view in a real browser (headless Chromium through Playwright), offline.

For the bundled graph (plus one script-bearing term) and a 10,000-node synthetic graph: no request leaves
the page, no console error, the canvas is drawn with what the page opens on, search reaches any node and
reveals it in place, the tooltip and the side panel show the definition as text, the legend shows and takes
away a kind, and a label carrying script stays inert. Then what issue 10 asks of a first sight: the bundled
view at 1400x900 shows the five family labels at 12 px or more; ``reveal("GPT-4")`` shows GPT-4 as a large
language model; on a 390x844 phone the graph keeps at least half the screen; ``view --query makers`` draws a
maker-system link; a 100,000-node user graph opens with legible labels and reveals a deep node in under a
second. Skipped only when Chromium or Playwright is missing *and* the ``CI`` variable is unset.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest
from _synthetic_view import HOSTILE_DEFINITION, HOSTILE_LABEL, synthetic_graph, user_graph
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from genai_kg.views.html import render_view
from genai_kg.views.model import to_networkx
from genai_kg.vocab import GKG

FAMILIES = ["generative AI", "large language model", "generative adversarial network", "variational autoencoder",
            "diffusion model"]
pytestmark = pytest.mark.browser


def _bundled_with_hostile_term():
    from genai_kg.graph import load

    graph = load(store="memory").graph  # rdflib's store takes an IRI with "<" in it; Oxigraph refuses one
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

    def __init__(self, browser, path: Path, G=None, viewport=(1400, 900)):
        self.G = G
        self.url = path.resolve().as_uri()
        self.context = browser.new_context(offline=True, viewport={"width": viewport[0], "height": viewport[1]})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        # Anything that is not the page itself is refused as well as recorded.
        self.context.route(lambda url: url != self.url, lambda route: route.abort())
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.errors.append(m.text))
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        started = time.monotonic()
        self.page.goto(self.url)
        # evaluate awaits the page's own Promise (wait_for_function's string polling is refused by the CSP).
        assert self.page.evaluate("window.genaiKg.ready") is True
        self.seconds = time.monotonic() - started

    def node_id(self, label: str) -> int:
        return self.page.evaluate("(l) => window.genaiKg.data.nodes.label.indexOf(l)", label)

    def on_screen(self, node_id: int) -> dict:
        """Where the node is drawn (DOM pixels inside the graph) and its label's rendered font size."""
        return self.page.evaluate(
            """(id) => { const p = network.canvasToDOM(network.getPosition(id));
                         const r = document.getElementById('graph').getBoundingClientRect();
                         return {x: p.x, y: p.y, w: r.width, h: r.height, shown: !!network.body.nodes[id],
                                 px: window.genaiKg.fontSize() * network.getScale()}; }""",
            node_id,
        )

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

    def close(self) -> None:
        self.context.close()


def _visible(spot: dict) -> bool:
    return spot["shown"] and 0 <= spot["x"] <= spot["w"] and 0 <= spot["y"] <= spot["h"]


@pytest.fixture(scope="module", params=["bundled", pytest.param("large", marks=pytest.mark.slow)])
def opened(request, browser, tmp_path_factory):
    G = VIEWS[request.param]()
    path = tmp_path_factory.mktemp("view") / f"{request.param}.html"
    render_view(G, title=f"test {request.param}").save(path)
    view = Opened(browser, path, G)
    yield view
    view.close()


def test_no_request_leaves_the_page(opened):
    opened.page.wait_for_timeout(300)
    assert opened.requests == [opened.url]


def test_no_console_error(opened):
    assert opened.errors == []


def test_canvas_drawn_with_the_opening_and_every_node_in_the_data(opened):
    page = opened.page
    assert page.evaluate("window.genaiKg.data.nodes.label.length") == opened.G.number_of_nodes()
    assert page.evaluate("window.genaiKg.data.edges.t.length") == opened.G.number_of_edges()
    opening = page.evaluate("window.genaiKg.data.open.length + window.genaiKg.data.groups.length")
    assert 0 < opening <= 100 and page.evaluate("Object.keys(network.body.nodes).length") >= opening
    painted = page.evaluate(
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
    for _, attrs in reversed(list(opened.G.nodes(data=True))):
        if attrs["definition"] and attrs["label"] != HOSTILE_LABEL and counts[attrs["label"].casefold()] == 1:
            return opened.node_id(attrs["label"]), attrs
    raise AssertionError("no node with a definition")


def test_search_reveals_any_node_in_place(opened):
    node_id, attrs = _some_node(opened)
    page = opened.page
    page.fill("#search", attrs["label"])
    page.press("#search", "Enter")
    assert page.evaluate("network.getSelectedNodes()") == [node_id]
    assert page.text_content("#d-label") == attrs["label"]
    assert _visible(opened.on_screen(node_id))  # added to the drawing and focused


def test_search_finds_an_abbreviation(opened):
    abbreviated = [(n, a) for n, a in opened.G.nodes(data=True) if a["alt_labels"]]
    _, attrs = abbreviated[0]
    alt = attrs["alt_labels"].split("; ")[0]
    opened.page.fill("#search", alt)
    opened.page.press("#search", "Enter")
    selected = opened.page.evaluate("network.getSelectedNodes()")
    assert opened.page.evaluate(f"window.genaiKg.data.nodes.alt[{selected[0]}]").split("; ").count(alt) == 1


def test_tooltip_and_panel_show_the_definition_as_text(opened):
    node_id, attrs = _some_node(opened)
    opened.page.evaluate("(id) => window.genaiKg.show(id)", node_id)
    opened.hover(node_id)
    text = opened.tooltip_text()
    assert attrs["label"] in text and attrs["definition"] in text
    before = opened.page.evaluate("window.genaiKg.nodes.length")
    opened.click()
    page = opened.page
    assert page.evaluate("network.getSelectedNodes()") == [node_id]
    assert page.text_content("#d-definition") == attrs["definition"]
    assert page.is_visible("#details")
    assert page.evaluate("document.querySelectorAll('#d-links li').length") > 0
    assert page.evaluate("window.genaiKg.nodes.length") >= before  # a click shows the node's links
    neighbours = {m for m in page.evaluate(f"network.getConnectedNodes({node_id})") if isinstance(m, int)} - {node_id}
    widened = set(
        page.evaluate(
            "window.genaiKg.nodes.get({filter: n => typeof n.id === 'number' && n.borderWidth > 1}).map(n => n.id)"
        )
    )
    assert neighbours and widened == neighbours


def test_legend_shows_and_takes_away_a_kind(opened):
    page = opened.page
    kind = page.evaluate("window.genaiKg.data.kinds.findIndex(k => k[3] > 1 && k[3] < 20)")
    button = page.locator(f"#legend button[data-kind='{kind}']")
    of_kind = f"window.genaiKg.nodes.get({{filter: n => window.genaiKg.data.nodes.kind[n.id] === {kind}}}).length"
    before = page.evaluate(of_kind)
    button.click()
    assert page.evaluate(of_kind) == page.evaluate(f"window.genaiKg.data.kinds[{kind}][3]")
    button.click()
    assert page.evaluate(of_kind) <= before


def test_script_bearing_label_stays_inert(opened):
    page = opened.page
    node_id = opened.node_id(HOSTILE_LABEL)
    page.fill("#search", "img src=x")
    page.press("#search", "Enter")
    assert page.evaluate("network.getSelectedNodes()") == [node_id]
    opened.hover(node_id)
    text = opened.tooltip_text()
    assert HOSTILE_LABEL in text and HOSTILE_DEFINITION.split("\u2028")[0] in text
    assert page.text_content("#d-label") == HOSTILE_LABEL
    assert page.text_content("#d-definition") == HOSTILE_DEFINITION
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('img, b, iframe').length") == 0
    assert page.evaluate("document.scripts.length") == 3
    assert opened.errors == []


# ---- what a first sight must give (issue 10) ----


@pytest.fixture(scope="module")
def bundled_page(tmp_path_factory):
    from genai_kg.cli import main

    path = tmp_path_factory.mktemp("bundled") / "genai-kg.html"
    result = CliRunner().invoke(main, ["view", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_bundled_view_opens_on_the_family_labels_at_12px(browser, bundled_page):
    view = Opened(browser, bundled_page)
    try:
        for label in FAMILIES:
            spot = view.on_screen(view.node_id(label))
            assert _visible(spot), label
            assert spot["px"] >= 12, (label, spot["px"])
        assert view.errors == [] and view.requests == [view.url]
    finally:
        view.close()


_LABEL_BOXES = """() => { const g = document.getElementById('graph').getBoundingClientRect();
  const side = document.getElementById('side').getBoundingClientRect();
  const right = side.width && side.left > g.left ? Math.min(g.width, side.left - g.left) : g.width;
  return {right: right, height: g.height, scale: network.getScale(), boxes: network.body.nodeIndices.map((id) => {
    const b = network.getBoundingBox(id), a = network.canvasToDOM({x: b.left, y: b.top}),
          z = network.canvasToDOM({x: b.right, y: b.bottom});
    return {id: id, label: network.body.nodes[id].options.label, left: a.x, right: z.x, top: a.y, bottom: z.y};
  })}; }"""


def _cut_in_two(seen: dict) -> list[str]:
    """Labels the screen's edges (or the side panel) cut: partly on screen, partly off."""
    def inside(b):
        return b["left"] >= 0 and b["right"] <= seen["right"] and b["top"] >= 0 and b["bottom"] <= seen["height"]

    def outside(b):
        return b["right"] <= 0 or b["left"] >= seen["right"] or b["bottom"] <= 0 or b["top"] >= seen["height"]

    return [b["label"] for b in seen["boxes"] if not inside(b) and not outside(b)]


def test_on_a_desktop_the_bundled_view_opens_whole_every_label_on_screen(browser, bundled_page):
    """At 1400x900 the whole opening shows, every label whole between the left edge and the side panel, at
    12 px or more (vis-network's own fit framed the nodes before their labels were measured: the end columns'
    labels were cut, one under the panel)."""
    view = Opened(browser, bundled_page)
    try:
        seen = view.page.evaluate(_LABEL_BOXES)
        assert len(seen["boxes"]) == view.page.evaluate("window.genaiKg.data.open.length") >= 10
        assert _cut_in_two(seen) == [] and 18 * seen["scale"] >= 12
        assert all(b["left"] >= 0 and b["right"] <= seen["right"] for b in seen["boxes"])
    finally:
        view.close()


def test_on_a_phone_the_bundled_view_opens_on_the_families_labels_whole(browser, bundled_page):
    """At 390x844 the opening shows the column of generative AI's families with every label whole (it was
    centred past their left ends, cutting each label's first words off) and at least 12 px."""
    view = Opened(browser, bundled_page, viewport=(390, 844))
    try:
        for label in FAMILIES[1:]:  # the model families, one column right of generative AI
            box = view.page.evaluate(
                """(id) => { const b = network.getBoundingBox(id);
                             const a = network.canvasToDOM({x: b.left, y: b.top}),
                                   z = network.canvasToDOM({x: b.right, y: b.bottom});
                             return {left: a.x, right: z.x, top: a.y, bottom: z.y,
                                     w: document.getElementById('graph').clientWidth}; }""",
                view.node_id(label),
            )
            assert box["left"] >= 0 and box["right"] <= box["w"], (label, box)
            assert view.on_screen(view.node_id(label))["px"] >= 12, label
        assert view.errors == []
    finally:
        view.close()


def test_reveal_gpt4_shows_its_family_as_its_kind(browser, bundled_page):
    view = Opened(browser, bundled_page)
    try:
        page = view.page
        assert page.evaluate("window.genaiKg.reveal('GPT-4')") == str(GKG["GPT-4"])
        spot = view.on_screen(view.node_id("GPT-4"))
        assert _visible(spot) and spot["px"] >= 12
        assert page.text_content("#d-label") == "GPT-4"
        assert page.text_content("#d-kind-text") == "large language model"
        assert page.evaluate("window.genaiKg.reveal('no such thing at all')") is None
    finally:
        view.close()


def test_phone_keeps_half_the_screen_for_the_graph(browser, bundled_page):
    view = Opened(browser, bundled_page, viewport=(390, 844))
    try:
        box = view.page.locator("#graph").bounding_box()
        assert box["width"] * box["height"] >= 0.5 * 390 * 844
        assert not view.page.locator("#side").is_visible() or view.page.evaluate(
            "document.getElementById('side').getBoundingClientRect().top >= 844"
        )
        view.page.click("#panel-toggle")
        view.page.wait_for_timeout(300)
        assert view.page.evaluate("document.getElementById('side').getBoundingClientRect().top") < 844
    finally:
        view.close()


def test_query_makers_draws_maker_system_links(browser, tmp_path):
    from genai_kg.cli import main

    path = tmp_path / "makers.html"
    result = CliRunner().invoke(main, ["view", "--query", "makers", "-o", str(path)])
    assert result.exit_code == 0, result.output
    view = Opened(browser, path)
    try:
        drawn = view.page.evaluate(
            """() => { const d = window.genaiKg.data.nodes;
                       return window.genaiKg.edges.get().map(e => [d.label[e.from], e.label, d.label[e.to]]); }"""
        )
        assert ["GPT-4", "developed by", "OpenAI"] in drawn
        assert view.page.title() == "genai-kg: makers"
    finally:
        view.close()


@pytest.fixture(scope="module")
def user_100k(tmp_path_factory):
    from genai_kg.graph import load

    kg = load()
    for triple in user_graph(100_000):
        kg.graph.add(triple)
    path = tmp_path_factory.mktemp("big") / "user100k.html"
    render_view(kg.to_networkx(), title="100k").save(path)
    return path


@pytest.mark.slow
def test_100k_nodes_open_legible_and_reveal_fast(browser, user_100k):
    view = Opened(browser, user_100k)
    try:
        page = view.page
        assert page.evaluate("window.genaiKg.data.nodes.label.length") > 100_000
        assert page.evaluate("Object.keys(network.body.nodes).length") <= 100
        for label in FAMILIES:
            spot = view.on_screen(view.node_id(label))
            assert _visible(spot) and spot["px"] >= 12, label
        # the opening (families and the kinds' groups) is wider than a legible screen: what shows, shows whole
        assert _cut_in_two(page.evaluate(_LABEL_BOXES)) == []
        took = page.evaluate(
            """async () => { const t = performance.now(); const iri = await window.genaiKg.reveal('System 077777');
                             return [iri, performance.now() - t]; }"""
        )
        assert took[0].endswith("sys077777") and took[1] < 1000
        assert _visible(view.on_screen(view.node_id("System 077777")))
        assert view.errors == []
    finally:
        view.close()
