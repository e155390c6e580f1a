"""One page, three sources (issue 22 item 2): the embedded arrays, a SPARQL endpoint read from the browser
(a real Oxigraph server with CORS on), and ``genai-kg serve``. Each answers a click with the neighbours that
``genai-kg query`` gives for the same question, in headless Chromium, with at most two requests per click
and no request anywhere else."""

from __future__ import annotations

import csv
import io
import time

import pytest
from click.testing import CliRunner
from conftest import serving

from genai_kg.cli import main

pytestmark = [pytest.mark.slow, pytest.mark.browser]
LLM = "large language model"
APPS = ("PREFIX gkg: <https://w3id.org/genai-kg/> "
        "SELECT ?o WHERE { gkg:LargeLanguageModel gkg:hasApplication ?o }")


def _cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def expected(*args: str, column: str) -> set[str]:
    return {row[column] for row in csv.DictReader(io.StringIO(_cli(*args, "--format", "csv")))}


def poll(check, seconds: float = 10.0) -> bool:
    """True once ``check()`` is (the page's CSP refuses Playwright's string polling), False at the deadline."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


class Page:
    """A page in Chromium that may reach ``allowed`` (an origin) and nothing else; every request recorded."""

    def __init__(self, browser, url: str, allowed: str | None):
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", lambda r: self.requests.append(r.url))
        self.context.route(lambda u: not (u == url or (allowed and u.startswith(allowed))), lambda r: r.abort())
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.goto(url)
        assert self.page.evaluate("window.genaiKg.ready") is True

    def click_answers(self) -> tuple[set[str], set[str], int]:
        before = len(self.requests)
        nine = set(self.page.evaluate(f"window.genaiKg.expand('{LLM}')"))
        per_click = len(self.requests) - before
        apps = set(self.page.evaluate(f"window.genaiKg.more('{LLM}', 'has application')"))
        return nine, apps, per_click

    def close(self):
        self.context.close()


@pytest.fixture(scope="module")
def answers():
    return (expected("query", "systems-by-family", "--param", f"family={LLM}", column="system"),
            expected("query", "--sparql", APPS, column="o"))


def test_embedded(browser, tmp_path, answers):
    path = tmp_path / "embedded.html"
    _cli("view", "-o", str(path))
    view = Page(browser, path.resolve().as_uri(), None)
    try:
        nine, apps, per_click = view.click_answers()
        assert (nine, apps) == answers and per_click == 0
        assert view.errors == [] and set(view.requests) == {path.resolve().as_uri()}
    finally:
        view.close()


def test_endpoint_read_from_the_browser(browser, tmp_path, cors_oxigraph, answers):
    path = tmp_path / "endpoint.html"
    _cli("view", "--endpoint", f"{cors_oxigraph}/query", "-o", str(path))
    html = path.read_text(encoding="utf-8")
    assert f"connect-src {cors_oxigraph};" in html and len(html.encode()) < 2_000_000
    view = Page(browser, path.resolve().as_uri(), cors_oxigraph)
    try:
        nine, apps, per_click = view.click_answers()
        assert (nine, apps) == answers and per_click <= 2
        view.page.fill("#search", "Anthro")  # not met yet: asked of the endpoint, by prefix
        assert poll(lambda: "partial" in view.page.text_content("#search-status"))
        view.page.press("#search", "Enter")
        assert poll(lambda: view.page.text_content("#d-label") == "Anthropic")
        assert view.errors == []
        assert all(u.startswith(cors_oxigraph) for u in view.requests[1:])
    finally:
        view.close()


@pytest.fixture(scope="module")
def served():
    """``genai-kg serve`` on the bundled graph: its base URL."""
    with serving() as base:
        yield base


def test_serve(browser, served, answers):
    view = Page(browser, f"{served}/", served)
    try:
        nine, apps, per_click = view.click_answers()
        assert (nine, apps) == answers and per_click <= 2
        view.page.fill("#search", "LLM")
        assert poll(lambda: "large language model" in view.page.text_content("#matches"))
        assert "partial" not in view.page.text_content("#search-status")
        assert view.errors == []
    finally:
        view.close()


#: A node and one of its claims, clicked on every source (issue 22: provenance on remote pages too), and a
#: claim drawn in the opening, clicked before any node.
NODE, CLAIM = "GPT-4", ("GPT-4", "developed by", "OpenAI")
OPENING = ("large language model", "subclass of", "generative AI")


def _claim(view: Page, claim: tuple[str, str, str]) -> tuple[list, int]:
    before = len(view.requests)
    found = view.page.evaluate("(c) => window.genaiKg.claim(c[0], c[1], c[2])", list(claim))
    return found and found["citations"], len(view.requests) - before


def _provenance(view: Page) -> tuple[list[str], list, str, int, tuple[list, int]]:
    """(the node panel's claims by source and its sources line, the claim's citations, the claim panel's
    sources, requests the claim click sent, (citations, requests) of the claim in the opening clicked first)
    after a click on the claim in the opening, then on NODE, then on CLAIM."""
    opening = _claim(view, OPENING)
    view.page.evaluate(f"window.genaiKg.expand('{NODE}')")
    by_source = view.page.locator("#d-claims h4").all_text_contents() + [view.page.text_content("#d-sources")]
    citations, sent = _claim(view, CLAIM)
    return by_source, citations, view.page.text_content("#c-sources"), sent, opening


def test_a_claims_provenance_is_the_same_from_every_source(browser, tmp_path, served, cors_oxigraph, kg):
    from genai_kg.provenance import claim_sources

    embedded, endpoint = tmp_path / "embedded.html", tmp_path / "endpoint.html"
    _cli("view", "-o", str(embedded))
    _cli("view", "--endpoint", f"{cors_oxigraph}/query", "-o", str(endpoint))
    seen = {}
    for name, url, allowed in (("embedded", embedded.resolve().as_uri(), None), ("serve", f"{served}/", served),
                               ("endpoint", endpoint.resolve().as_uri(), cors_oxigraph)):
        view = Page(browser, url, allowed)
        try:
            seen[name] = _provenance(view)
            assert view.errors == [], name
        finally:
            view.close()
    by_source, citations, panel, _, opening = seen["embedded"]
    subject, target = kg.resolve_term(CLAIM[0]), kg.resolve_term(CLAIM[2])
    expected = [c for (s, _p, o), cites in claim_sources(kg.graph).items() if (s, o) == (subject, target)
                for c in cites]
    assert expected and by_source[0] and by_source[-1] and citations and opening[0] and opening[1] == 0
    assert all(c["label"] in panel and (c["section"] or "") in panel for c in expected)
    for name in ("serve", "endpoint"):
        assert seen[name][:3] == (by_source, citations, panel), name
        assert seen[name][3] == 0, name  # the node's click read its claims' citations: the claim's click sends none
        assert seen[name][4] == (opening[0], 1), name  # a claim whose ends were not clicked: one request
