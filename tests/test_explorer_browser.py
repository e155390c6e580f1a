"""The explorer's interaction model on the bundled graph, in headless Chromium (issue 22 item 1).

A click on a node shows its links grouped by property with counts, in the graph (handles) and the panel; the
"(+9)" on "large language model" means its nine systems, and a click shows those nine, the same as
``genai-kg query systems-by-family``; a handle adds a page of 25 and says how many more; new nodes land on
screen; labels never overlap at the zooms the page picks and stay >= 12 px on a phone after a tap; the focus
view opens on its focus; every kind has its own colour; no blank-node id reaches a view.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from genai_kg.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_view_browser import Opened, _visible  # noqa: E402

pytestmark = pytest.mark.browser
LLM = "large language model"
GKG = "https://w3id.org/genai-kg/"

#: Pairs of shown nodes whose drawn boxes (label included) overlap, in canvas pixels.
OVERLAPS = """() => {
  const ids = window.genaiKg.nodes.getIds(), boxes = ids.map(id => [id, network.getBoundingBox(id)]), bad = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i][1], b = boxes[j][1];
    if (a.left < b.right - 2 && b.left < a.right - 2 && a.top < b.bottom - 2 && b.top < a.bottom - 2)
      bad.push([boxes[i][0], boxes[j][0]]);
  }
  return bad; }"""


def _cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def page_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("explorer") / "genai-kg.html"
    _cli("view", "-o", str(path))
    return path


@pytest.fixture()
def desktop(browser, page_file):
    view = Opened(browser, page_file)
    yield view
    assert view.errors == [] and view.requests == [view.url]
    view.close()


def llm_systems() -> set[str]:
    answer = _cli("query", "systems-by-family", "--param", f"family={LLM}", "--format", "csv")
    rows = csv.DictReader(io.StringIO(answer))
    return {row["system"] for row in rows}


def _click_node(view: Opened, label: str) -> None:
    node = view.node_id(label)
    x, y = view.page.evaluate(
        """(id) => { const p = network.canvasToDOM(network.getPosition(id));
                     const r = document.querySelector('#graph canvas').getBoundingClientRect();
                     return [r.left + p.x, r.top + p.y]; }""", node)
    view.page.mouse.click(x, y)
    view.page.wait_for_timeout(250)


def _shown_iris(view: Opened) -> set[str]:
    return set(view.page.evaluate(
        "window.genaiKg.nodes.getIds().filter(id => typeof id === 'number').map(id => window.genaiKg.iri(id))"))


def test_the_plus_nine_click_shows_the_nine_systems_on_screen(desktop):
    label = desktop.page.evaluate(f"window.genaiKg.nodes.get({desktop.node_id(LLM)}).label")
    assert label == f"{LLM} (+9)"
    _click_node(desktop, LLM)
    nine = llm_systems()
    assert len(nine) == 9 and nine <= _shown_iris(desktop)
    for iri in nine:
        spot = desktop.on_screen(desktop.page.evaluate("(i) => window.genaiKg.data.nodes.local.indexOf(i)",
                                                       iri[len(GKG):]))
        assert _visible(spot) and spot["px"] >= 12, iri
    assert desktop.page.evaluate(f"window.genaiKg.nodes.get({desktop.node_id(LLM)}).label") == LLM  # nothing left
    assert desktop.page.evaluate(OVERLAPS) == []


def test_a_click_lists_the_links_by_property_with_counts_in_graph_and_panel(desktop, kg):
    groups = desktop.page.evaluate(f"window.genaiKg.expand('{LLM}').then(() => window.genaiKg.groups('{LLM}'))")
    llm = kg.resolve_term(LLM)
    drawn = set(desktop.page.evaluate("window.genaiKg.data.nodes.local.map((l, i) => window.genaiKg.iri(i))"))
    by_property = {}
    for p in {p for p in kg.graph.predicates(llm, None) if str(p).startswith(GKG)}:  # the domain's links
        targets = {o for o in kg.graph.objects(llm, p) if str(o) in drawn}
        if targets:
            by_property[(str(p), True)] = len(targets)
    assert len(by_property) > 10
    found = {(g["property"], g["out"]): g["count"] for g in groups if ": " not in g["label"]}
    for key, count in by_property.items():
        assert found.get(key) == count, key
    assert found[("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", False)] == 9
    handles = desktop.page.evaluate("window.genaiKg.nodes.getIds().filter(id => typeof id === 'string')")
    labels = desktop.page.evaluate("(ids) => ids.map(id => window.genaiKg.nodes.get(id).label)", handles)
    assert "\u2192 has application (21)" in labels
    heads = desktop.page.locator("#d-links h4").all_text_contents()
    assert any(h.startswith("\u2190 instances (9)") for h in heads)
    assert any(h.startswith("\u2192 has application (21)") for h in heads)


def test_a_handle_adds_its_page_and_new_nodes_land_on_screen(desktop):
    desktop.page.evaluate(f"window.genaiKg.expand('{LLM}')")
    added = desktop.page.evaluate(f"window.genaiKg.more('{LLM}', 'has application')")
    assert len(added) == 21
    shown = desktop.page.evaluate(
        "(iris) => iris.map(i => window.genaiKg.data.nodes.local.indexOf(i.split('/').pop()))", added)
    on_screen = [_visible(desktop.on_screen(n)) for n in shown]
    assert sum(on_screen) >= 14 and _visible(desktop.on_screen(desktop.node_id(LLM)))
    assert desktop.page.evaluate(f"window.genaiKg.more('{LLM}', 'has application')") == []  # no page left
    assert desktop.page.evaluate(OVERLAPS) == []


def test_legend_additions_land_on_screen(desktop):
    kind = desktop.page.evaluate("window.genaiKg.data.kinds.findIndex(k => k[0] === 'organization')")
    desktop.page.click(f"#legend button[data-kind='{kind}']")
    members = desktop.page.evaluate(
        "(k) => window.genaiKg.nodes.getIds().filter(id => typeof id === 'number' && "
        "window.genaiKg.data.nodes.kind[id] === k)", kind)
    assert len(members) == 12
    assert all(_visible(desktop.on_screen(n)) for n in members)
    assert desktop.on_screen(members[0])["px"] >= 12


def test_every_kind_has_its_own_colour(desktop):
    kinds = desktop.page.evaluate("window.genaiKg.data.kinds")
    colours = [k[1].lower() for k in kinds]
    assert len(set(colours)) == len(colours), kinds


def test_no_blank_node_id_in_the_view(desktop):
    for label in (LLM, "generative adversarial network", "diffusion model"):
        desktop.page.evaluate(f"window.genaiKg.expand('{label}')")
    shown = desktop.page.evaluate("window.genaiKg.nodes.get().map(n => n.label).concat("
                                  "window.genaiKg.edges.get().map(e => e.label || ''))")
    panel = desktop.page.text_content("#side")
    data = desktop.page.evaluate(
        "JSON.stringify(window.genaiKg.data.nodes.label) + JSON.stringify(window.genaiKg.data.preds)")
    assert not any("_:" in text for text in shown) and "_:" not in panel and "_:" not in data
    groups = desktop.page.evaluate("window.genaiKg.groups('generative adversarial network')")
    assert {"produces output: value", "uses technique: value"} <= {g["label"] for g in groups}


def test_phone_tap_keeps_labels_legible_and_the_node_on_screen(browser, page_file):
    view = Opened(browser, page_file, viewport=(390, 844))
    try:
        _click_node(view, LLM)
        spot = view.on_screen(view.node_id(LLM))
        sheet = view.page.evaluate("document.getElementById('side').getBoundingClientRect().top")
        graph_top = view.page.evaluate("document.getElementById('graph').getBoundingClientRect().top")
        assert spot["px"] >= 12 and _visible(spot) and spot["y"] + graph_top < sheet  # above the open panel
        assert view.page.evaluate("network.getSelectedNodes()") == [view.node_id(LLM)]
        assert view.page.evaluate(OVERLAPS) == []
        assert view.errors == []
    finally:
        view.close()


def test_focus_view_opens_on_its_focus(browser, tmp_path):
    path = tmp_path / "focus.html"
    _cli("view", "--focus", LLM, "-o", str(path))
    for viewport in ((1400, 900), (390, 844)):
        view = Opened(browser, path, viewport=viewport)
        try:
            spot = view.on_screen(view.node_id(LLM))
            assert _visible(spot) and spot["px"] >= 12, viewport
            assert llm_systems() <= _shown_iris(view)
            assert view.errors == []
        finally:
            view.close()


def test_fit_and_zoom_out_never_make_labels_overlap(desktop):
    desktop.page.evaluate(f"window.genaiKg.expand('{LLM}')")
    desktop.page.evaluate(f"window.genaiKg.more('{LLM}', 'has application')")
    desktop.page.click("#zoom-fit")
    assert desktop.page.evaluate(OVERLAPS) == []
    for _ in range(3):
        desktop.page.click("#zoom-out")
    assert desktop.page.evaluate(OVERLAPS) == []
    assert desktop.page.evaluate("window.genaiKg.fontSize()") == 18  # labels scale with the drawing, never grow


def _draws_of_a_page_of_applications(page) -> list[int]:
    """[nodes added, draws made] by the LLM's first page of applications (its node expanded already)."""
    return page.evaluate("""async (llm) => {
        let n = 0; network.on('afterDrawing', () => n++);
        const added = await window.genaiKg.more(llm, 'has application');
        await new Promise(r => setTimeout(r, 300));
        return [added.length, n]; }""", LLM)


def test_a_click_is_drawn_once_whatever_it_changes(desktop):
    """vis-network redraws every label after each change to its data when physics is off; a click's many
    changes (nodes, links, handles, counts, the view) are drawn together: the API's own redraw and one frame,
    not one per change (seven for a page of a group, most of its time once hundreds of nodes are shown)."""
    page = desktop.page
    page.evaluate(f"window.genaiKg.expand('{LLM}')")
    draws = _draws_of_a_page_of_applications(page)
    assert draws[0] > 0 and 1 <= draws[1] <= 2, draws
    # what holds the drawing is vis-network's internal event bus: pyvis's copy must still have it
    assert page.evaluate("window.genaiKg.drawsTogether()") is True


def test_without_the_renderer_hold_a_click_is_drawn_as_before(desktop):
    """A vis-network without the renderer's "_blockRedraw"/"_allowRedraw" listeners (another version): the page
    draws after each change, as before the one-redraw change, with no error (the fixture checks the console)."""
    page = desktop.page
    page.evaluate("""() => { const bus = network.body.emitter; bus.off('_blockRedraw'); bus.off('_allowRedraw'); }""")
    assert page.evaluate("window.genaiKg.drawsTogether()") is False
    page.evaluate(f"window.genaiKg.expand('{LLM}')")
    draws = _draws_of_a_page_of_applications(page)
    assert draws[0] > 0 and draws[1] > 2, draws
    shown = page.evaluate("(llm) => window.genaiKg.groups(llm)", LLM)
    assert any(g["label"] == "has application" and g["shown"] > 0 for g in shown), shown
