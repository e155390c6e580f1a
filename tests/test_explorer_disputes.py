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


#: A disagreement about generative AI whose kind (disagreement, here also contesting "relies on") disputes a
#: claim the opening draws: generative AI relies on large language model (cited by the PromptLayer article).
OPENING_DISPUTE = """@prefix gkg: <https://w3id.org/genai-kg/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
gkg:Disagreement gkg:viewContests gkg:reliesOn .
<https://example.org/test/GenAiReliance> a gkg:Disagreement ; rdfs:label "reliance of generative AI"@en ;
    skos:definition "Whether generative AI as a whole depends on language models (a test's disagreement)."@en ;
    dcterms:source gkg:PromptLayerArticle ; gkg:about gkg:GenerativeAI .
"""
IN_OPENING = ("generative AI", "relies on", "large language model")


@pytest.fixture(scope="module")
def opening_pages(tmp_path_factory, oxigraph):
    """The three pages over the bundled graph plus OPENING_DISPUTE: embedded, ``serve --data`` and a page
    written with ``view --endpoint --data`` reading an Oxigraph server (CORS on) holding the same triples."""
    import subprocess

    from conftest import free_port, wait_for

    folder = tmp_path_factory.mktemp("opening-dispute")
    extra = folder / "dispute.ttl"
    extra.write_text(OPENING_DISPUTE, encoding="utf-8")
    embedded, endpoint, triples = folder / "embedded.html", folder / "endpoint.html", folder / "all.nt"
    _cli("view", "--data", str(extra), "-o", str(embedded))
    triples.write_text(_cli("export", "--data", str(extra), "--format", "nt"), encoding="utf-8")
    subprocess.run([oxigraph, "load", "--location", str(folder / "store"), "--file", str(triples)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = free_port()
    proc = subprocess.Popen([oxigraph, "serve", "--location", str(folder / "store"), "--bind", f"127.0.0.1:{port}",
                             "--cors"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    origin = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{origin}/query?query=ASK%7B%7D", proc, 30, "oxigraph serve --cors")
        _cli("view", "--endpoint", f"{origin}/query", "--data", str(extra), "-o", str(endpoint))
        with serving("--data", str(extra)) as served:
            yield [("embedded", embedded.resolve().as_uri(), None), ("serve", f"{served}/", served),
                   ("endpoint", endpoint.resolve().as_uri(), origin)]
    finally:
        proc.kill()
        proc.wait(timeout=10)


#: The opening's drawn claim (from, label, to) -> whether it is dashed, before anything is clicked.
OPENING_DASHED = """(c) => { const g = window.genaiKg, label = g.data.nodes.label;
    const e = g.edges.get().find(e => typeof e.id === 'number' && label[e.from] === c[0] && label[e.to] === c[2]);
    return e ? [!!e.dashes, e.color && e.color.color] : null; }"""


def test_a_disputed_claim_in_the_opening_is_dashed_on_every_source(browser, opening_pages):
    """The opening of a remote page comes from the local graph; its disputed claims are dashed there as on the
    embedded page, before any click, and a click on one opens the same sides."""
    seen = {}
    for name, url, allowed in opening_pages:
        view = Page(browser, url, allowed)
        try:
            page = view.page
            dashed = page.evaluate(OPENING_DASHED, list(IN_OPENING))
            opened = len(view.requests)
            found = page.evaluate("(c) => window.genaiKg.claim(c[0], c[1], c[2])", list(IN_OPENING))
            seen[name] = {"dashed": dashed, "disputed": found["disputed"], "panel": page.text_content("#c-disagree"),
                          "sides": sorted(page.locator("#c-disagree li").all_text_contents()),
                          "still": page.evaluate(DASHED, found["edge"]), "requests": len(view.requests) - opened}
            plain = page.evaluate(OPENING_DASHED, ["machine learning", "subclass of", "artificial intelligence"])
            assert plain is not None and plain[0] is False, (name, plain)
            assert view.errors == [], (name, view.errors)
        finally:
            view.close()
    embedded = seen["embedded"]
    assert embedded["dashed"] == [True, "#aa4499"] and embedded["disputed"], embedded
    assert "reliance of generative AI" in embedded["panel"] and len(embedded["sides"]) >= 1, embedded
    for name in ("serve", "endpoint"):
        got = seen[name]
        assert got["dashed"] == embedded["dashed"], (name, got)
        assert (got["disputed"], got["still"], got["panel"], got["sides"]) == (
            True, "#aa4499", embedded["panel"], embedded["sides"]), (name, got)
        assert got["requests"] <= 1, (name, got)
