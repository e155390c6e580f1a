"""Search on a remote endpoint (issue 22 item 3), in headless Chromium: on Virtuoso (a real server, its
literals text-indexed) the page finds a term through the endpoint's own text search (``bif:contains``),
decided by one probe per page; on an Oxigraph server (no text index) through a bounded prefix search
whose answer the page says is partial. The same term finds the same node on both, and a click shows the same
provenance and disagreements."""

from __future__ import annotations

import pytest
from conftest import serving
from test_explorer_disputes import DISPUTED, _open
from test_explorer_sources import Page, _cli, _provenance, poll

pytestmark = [pytest.mark.slow, pytest.mark.browser]
#: Where the bundled graph is pushed in Virtuoso (a graph of this module's own: other modules push elsewhere).
GRAPH = "https://example.org/explorer-search/bundled"
#: Typed into the search box: the start of one label, words of another (neither an exact label).
TERMS = {"Anthro": "https://w3id.org/genai-kg/Anthropic", "large lang": "https://w3id.org/genai-kg/LargeLanguageModel"}


def _search(view: Page, text: str) -> tuple[str, str]:
    """(the first node the page's search finds, the status line once the box shows the answer)."""
    first = view.page.evaluate("(t) => window.genaiKg.lookup(t)", text)
    view.page.evaluate("document.getElementById('search-status').textContent = ''")  # the last answer's
    view.page.fill("#search", text)
    assert poll(lambda: "found" in view.page.text_content("#search-status"))
    return first[0] if first else "", view.page.text_content("#search-status")


@pytest.fixture(scope="module")
def virtuoso_serve(virtuoso_server):
    """``genai-kg serve --endpoint`` in front of the real Virtuoso, holding the bundled graph text-indexed."""
    url = virtuoso_server[0]
    _cli("push", "--endpoint", url, "--update-endpoint", virtuoso_server[1], "--graph", GRAPH)
    virtuoso_server.sql("DB.DBA.VT_INC_INDEX_DB_DBA_RDF_OBJ ();")
    with serving("--endpoint", url, "--graph", GRAPH, what="genai-kg serve --endpoint (Virtuoso)") as base:
        yield base


def test_virtuoso_and_oxigraph_find_the_same_nodes(browser, tmp_path, virtuoso_serve, cors_oxigraph):
    posted: list[str] = []
    virtuoso = Page(browser, f"{virtuoso_serve}/", virtuoso_serve)
    virtuoso.context.on("request", lambda r: posted.append(r.post_data or ""))
    path = tmp_path / "oxigraph.html"
    _cli("view", "--endpoint", f"{cors_oxigraph}/query", "-o", str(path))
    oxigraph = Page(browser, path.resolve().as_uri(), cors_oxigraph)
    try:
        for text, node in TERMS.items():
            found, status = _search(virtuoso, text)
            assert found == node and "partial" not in status, status
            found, status = _search(oxigraph, text)
            assert found == node and "partial: this endpoint has no text index" in status, status
        # the endpoint's text search did the finding, and Virtuoso was recognised once, not per keystroke
        assert sum("bif%3Acontains" in body for body in posted) >= len(TERMS)
        assert sum("virtrdf" in body for body in posted) == 1
        # and a click reads the same provenance from both (the summary's one request, on Virtuoso's compiler too)
        assert _provenance(virtuoso) == _provenance(oxigraph)
        # and the same disagreement, drawn apart and opened on both sides
        sides = [{k: v for k, v in _open(view, "large language model", DISPUTED).items() if k != "drawn"}
                 for view in (virtuoso, oxigraph)]
        assert sides[0] == sides[1] and sides[0]["disputed"] and sides[0]["dashed"], sides
        assert virtuoso.errors == [] and oxigraph.errors == []
        assert all(u.startswith(cors_oxigraph) for u in oxigraph.requests[1:])
    finally:
        virtuoso.close()
        oxigraph.close()


#: Nodes whose links a click counts: incoming links by type and subclass (a family), by a property (an
#: organisation, a modality), a node with links both ways (a system), and a disputed one.
COUNTED = ["large language model", "OpenAI", "text", "GPT-4", "ChatGPT", "generative AI"]


def test_a_click_counts_the_same_links_on_virtuoso_and_oxigraph(browser, tmp_path, virtuoso_serve, cors_oxigraph):
    """A node's links per property and direction (the summary a click reads) are the same cells on Virtuoso
    as on an Oxigraph server: the incoming count keeps IRI subjects with !isBlank(), which Virtuoso answers
    from its object index (with isIRI() it took seconds)."""
    path = tmp_path / "oxigraph.html"
    _cli("view", "--endpoint", f"{cors_oxigraph}/query", "-o", str(path))
    pages = [Page(browser, f"{virtuoso_serve}/", virtuoso_serve), Page(browser, path.resolve().as_uri(), cors_oxigraph)]
    try:
        seen = [{node: sorted((g["property"], g["out"], g["count"], g["capped"], g["below"])
                              for g in view.page.evaluate("(n) => window.genaiKg.groups(n)", node))
                 for node in COUNTED} for view in pages]
        assert seen[0] == seen[1]
        assert all(seen[0][node] for node in COUNTED), seen[0]
        assert any(not out for _, out, *_ in seen[0]["OpenAI"])  # incoming links were counted
        assert pages[0].errors == [] and pages[1].errors == []
    finally:
        for view in pages:
            view.close()
