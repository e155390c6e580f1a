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
