"""Disagreements on every source (issue 22): a claim the documents disagree on is drawn dashed and opens both
sides on a page reading a SPARQL endpoint (a real Oxigraph server with CORS on) and on ``genai-kg serve``, as
on the embedded page, in headless Chromium, in at most two requests per click.

Two ways to meet a disputed claim: clicking its subject (ChatGPT: the summary reads the disagreements about
it and its claims, so the claim's click sends nothing), and clicking its object (large language model: the
summary reads the disagreements about the subjects of its claims, the claim's click reads the other sides).
"""

from __future__ import annotations

import pytest
from conftest import serving
from test_explorer_sources import Page, _cli

pytestmark = [pytest.mark.slow, pytest.mark.browser]

DISPUTED = ("ChatGPT", "instance of", "large language model")
PLAIN = ("GPT-4", "developed by", "OpenAI")
DASHED = "(k) => { const e = window.genaiKg.edges.get(k); return !!(e && e.dashes) && e.color.color; }"


@pytest.fixture(scope="module")
def served():
    with serving() as base:
        yield base


@pytest.fixture(scope="module")
def pages(tmp_path_factory, served, cors_oxigraph):
    """(name, url, the origin it may reach) of the embedded page, serve's page and an endpoint page."""
    folder = tmp_path_factory.mktemp("disputes")
    embedded, endpoint = folder / "embedded.html", folder / "endpoint.html"
    _cli("view", "-o", str(embedded))
    _cli("view", "--endpoint", f"{cors_oxigraph}/query", "-o", str(endpoint))
    return [("embedded", embedded.resolve().as_uri(), None), ("serve", f"{served}/", served),
            ("endpoint", endpoint.resolve().as_uri(), cors_oxigraph)]


def _open(view: Page, node: str, claim: tuple[str, str, str]) -> dict:
    """Clicks ``node``, then ``claim``: what the page shows, and the requests each click sent."""
    page = view.page
    page.evaluate("(n) => window.genaiKg.reveal(n)", node)  # found (a search from an endpoint), not clicked
    before = len(view.requests)
    page.evaluate("(n) => window.genaiKg.expand(n)", node)
    expanded = len(view.requests) - before
    drawn_dashed = page.evaluate("""(c) => { const g = window.genaiKg, label = g.data.nodes.label;
        return g.edges.get().some(e => typeof e.id === 'number' && label[e.from] === c[0] && label[e.to] === c[2]
                                       && !!e.dashes); }""", list(claim))
    before = len(view.requests)
    found = page.evaluate("(c) => window.genaiKg.claim(c[0], c[1], c[2])", list(claim))
    assert found is not None, claim
    return {
        "disputed": found["disputed"], "dashed": page.evaluate(DASHED, found["edge"]),
        "shown": page.is_visible("#c-disagree"), "panel": page.text_content("#c-disagree"),
        "sides": sorted(page.locator("#c-disagree li").all_text_contents()),
        "requests": (expanded, len(view.requests) - before), "dashed_on_click": drawn_dashed,
        "drawn": page.evaluate("""() => window.genaiKg.nodes.get().filter(n => typeof n.id === 'number')
                                  .map(n => window.genaiKg.data.nodes.label[n.id])""")}


def _seen(browser, pages, node: str, claim: tuple[str, str, str]) -> dict[str, dict]:
    seen = {}
    for name, url, allowed in pages:
        view = Page(browser, url, allowed)
        try:
            seen[name] = _open(view, node, claim)
            plain = _open(view, PLAIN[0], PLAIN)
            assert not plain["disputed"] and not plain["dashed"] and not plain["shown"], name
            assert view.errors == [], name
            if allowed:
                assert all(u.startswith(allowed) for u in view.requests[1:]), name
        finally:
            view.close()
    return seen


@pytest.mark.parametrize("node", ["ChatGPT", "large language model"])
def test_a_disputed_claim_opens_both_sides_on_every_source(browser, pages, node):
    seen = _seen(browser, pages, node, DISPUTED)
    embedded = seen["embedded"]
    assert embedded["disputed"] and embedded["dashed"] == "#aa4499" and embedded["shown"]
    assert "classification of ChatGPT" in embedded["panel"] and "classification of ChatGPT" in embedded["drawn"]
    assert len(embedded["sides"]) >= 2 and any("multimodal model" in s for s in embedded["sides"])
    for name in ("serve", "endpoint"):
        got = seen[name]
        assert (got["disputed"], got["dashed"], got["shown"]) == (True, "#aa4499", True), name
        assert (got["panel"], got["sides"]) == (embedded["panel"], embedded["sides"]), name
        assert "classification of ChatGPT" in got["drawn"], name
        # dashed once the node's click is answered, before the claim is clicked
        assert got["dashed_on_click"] is embedded["dashed_on_click"] is True, name
        assert got["requests"][0] <= 2, (name, got["requests"])
        # clicked on its subject, the summary read every side: the claim's click sends nothing
        assert got["requests"][1] == (0 if node == "ChatGPT" else 1), (name, got["requests"])
