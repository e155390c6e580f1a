"""A claim's provenance one click away (issue 21 item 4), in headless Chromium.

Clicking a link shows that claim's sources and sections; with ``view --sources DIR`` the sentence its
citation is anchored to (an ``oa:TextPositionSelector`` on the nested annotation, offsets in code points of
the document's text, checked against the document's ``gkg:sha256``); without it, no text of the documents
anywhere in the page. A node's panel lists its claims by source; a claim the documents disagree on is drawn
dashed and opens both sides.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from genai_kg.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_view_browser import Opened  # noqa: E402

pytestmark = pytest.mark.browser

#: A made-up document (three sentences, one with a character outside the BMP, so code points != UTF-16 units).
DOCUMENT = "Widgets \U0001F527 are small tools. Acme makes every widget by hand. The sky is blue.\n"
ANCHORED = "Acme makes every widget by hand."


def _data(folder: Path, text: str = DOCUMENT) -> Path:
    start = DOCUMENT.index(ANCHORED)
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    path = folder / "widgets.ttl"
    path.write_text(f"""
@prefix ex: <https://example.org/w/> . @prefix gkg: <https://w3id.org/genai-kg/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix oa: <http://www.w3.org/ns/oa#> .
ex:Widget a gkg:Application ; rdfs:label "widget"@en ; gkg:developedBy ex:Acme .
ex:Acme a gkg:Organization ; rdfs:label "Acme"@en .
ex:Doc a gkg:SourceDocument ; rdfs:label "the widget leaflet"@en ; gkg:sourceFile "leaflet.txt" ;
    gkg:sha256 "{sha}" .
_:ax a owl:Axiom ; owl:annotatedSource ex:Widget ; owl:annotatedProperty gkg:developedBy ;
   owl:annotatedTarget ex:Acme ; dcterms:source ex:Doc .
[] a owl:Annotation ; owl:annotatedSource _:ax ; owl:annotatedProperty dcterms:source ;
   owl:annotatedTarget ex:Doc ; gkg:sourceSection "Who makes them" ;
   oa:hasSelector [ a oa:TextPositionSelector ; oa:start {start} ; oa:end {start + len(ANCHORED)} ] .
""", encoding="utf-8")
    return path


def _write(tmp_path: Path, *extra: str, text: str = DOCUMENT) -> tuple[Path, str]:
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "leaflet.txt").write_text(text, encoding="utf-8")
    page = tmp_path / "page.html"
    result = CliRunner().invoke(main, ["view", "--data", str(_data(tmp_path)), "-o", str(page), *extra])
    assert result.exit_code == 0, result.output
    return page, str(docs)


def _claim(view: Opened, *claim: str) -> dict:
    return view.page.evaluate("(c) => window.genaiKg.claim(c[0], c[1], c[2])", list(claim))


def test_with_sources_a_link_shows_its_anchored_sentence(browser, tmp_path):
    page, _ = _write(tmp_path, "--sources", str(tmp_path / "docs"))
    view = Opened(browser, page)
    try:
        found = _claim(view, "widget", "developed by", "Acme")
        assert found and found["citations"][0][:2] == ["the widget leaflet", "Who makes them"]
        panel = view.page.text_content("#claim")
        assert ANCHORED in panel and "the widget leaflet" in panel and "Who makes them" in panel
        assert view.page.text_content("#claim blockquote.sentence") == ANCHORED
        assert view.errors == []
    finally:
        view.close()


def test_without_sources_no_document_text_reaches_the_page(browser, tmp_path):
    page, _ = _write(tmp_path)
    html = page.read_text(encoding="utf-8")
    assert "makes every widget" not in html and "sky is blue" not in html
    view = Opened(browser, page)
    try:
        _claim(view, "widget", "developed by", "Acme")
        panel = view.page.text_content("#claim")
        start = DOCUMENT.index(ANCHORED)
        assert f"characters {start}\u2013{start + len(ANCHORED)} of leaflet.txt" in panel
        assert ANCHORED not in panel
    finally:
        view.close()


def test_a_changed_document_is_not_quoted(tmp_path):
    changed = DOCUMENT.replace("by hand", "by robot")
    page, _ = _write(tmp_path, "--sources", str(tmp_path / "docs"), text=changed)
    html = page.read_text(encoding="utf-8")
    assert "by robot" not in html and "differs from the document anchored" in html


def test_sources_must_be_a_folder(tmp_path):
    result = CliRunner().invoke(main, ["view", "--sources", str(tmp_path / "missing"), "-o", str(tmp_path / "x.html")])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert not (tmp_path / "x.html").exists()


def test_sources_with_an_endpoint_page_is_refused_in_one_line(tmp_path):
    """An --endpoint page reads its claims from the endpoint, so it cannot quote them: --sources with it is
    a usage error naming both options (it was silently ignored), and no page is written."""
    (tmp_path / "docs").mkdir()
    page = tmp_path / "x.html"
    result = CliRunner().invoke(main, ["view", "--endpoint", "http://127.0.0.1:9/sparql", "--sources",
                                       str(tmp_path / "docs"), "-o", str(page)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "--sources goes with a page that carries the graph, not --endpoint" in result.stderr
    assert not page.exists()


@pytest.fixture(scope="module")
def bundled_view(browser, tmp_path_factory):
    path = tmp_path_factory.mktemp("prov") / "genai-kg.html"
    result = CliRunner().invoke(main, ["view", "-o", str(path)])
    assert result.exit_code == 0, result.output
    view = Opened(browser, path)
    yield view
    view.close()


def _click_link(page, source: str, prop: str, target: str, ids: list[str]) -> None:
    """Bring ``source``'s ``prop`` link to ``target`` into view and click the drawn edge with the mouse."""
    page.evaluate("(s) => window.genaiKg.reveal(s)", source)
    page.evaluate("(s) => window.genaiKg.expand(s)", source)
    assert page.evaluate("(a) => window.genaiKg.more(a[0], a[1])", [source, prop]) == ids
    edge = page.evaluate("""(a) => { const d = window.genaiKg.data.nodes, g = window.genaiKg;
        return g.edges.getIds().find(k => typeof k === 'number' && d.label[network.body.edges[k].fromId] === a[0]
                                      && d.label[network.body.edges[k].toId] === a[1]); }""", [source, target])
    assert edge is not None
    page.evaluate("(k) => network.focus(network.body.edges[k].fromId, {scale: 1, animation: false})", edge)
    x, y = page.evaluate("""(k) => { const e = network.body.edges[k];
        const a = network.canvasToDOM(network.getPosition(e.fromId));
        const b = network.canvasToDOM(network.getPosition(e.toId));
        const r = document.querySelector('#graph canvas').getBoundingClientRect();
        return [r.left + a.x + (b.x - a.x) * 0.6, r.top + a.y + (b.y - a.y) * 0.6]; }""", edge)
    page.mouse.click(x, y)
    page.wait_for_timeout(250)
    assert page.is_visible("#claim")
    assert page.evaluate("network.getSelectedEdges()") == [edge]


def test_clicking_a_link_in_the_bundled_view_shows_its_sources(bundled_view, kg):
    page = bundled_view.page
    _click_link(page, "GPT-4", "developed by", "OpenAI", ["https://w3id.org/genai-kg/OpenAI"])
    from genai_kg.provenance import claim_sources

    gpt4, openai = kg.resolve_term("GPT-4"), kg.resolve_term("OpenAI")
    expected = [s for (s, p, o), cites in claim_sources(kg.graph).items()
                if s == gpt4 and o == openai for s in cites]
    panel = page.text_content("#c-sources")
    assert expected and all(e["label"] in panel for e in expected)
    assert all(e["section"] in panel for e in expected if e["section"])
    # written without --sources: the locators as offsets, never the sentence
    assert "characters " in panel and page.locator("#c-sources blockquote").count() == 0


def test_a_nodes_panel_lists_its_claims_by_source(bundled_view, kg):
    """GPT-4's panel has one heading per source with the number of its links that source states (the
    release year, a value rather than a link, is in the node's facts), and under it those links."""
    from collections import Counter

    from rdflib import URIRef

    from genai_kg.provenance import claim_sources

    page = bundled_view.page
    page.evaluate("window.genaiKg.reveal('GPT-4')")
    gpt4 = kg.resolve_term("GPT-4")
    by_source: Counter = Counter()
    for (s, _p, o), cites in claim_sources(kg.graph).items():
        if gpt4 in (s, o) and isinstance(o, URIRef):
            by_source.update(c["label"] for c in cites)
    heads = page.locator("#d-claims h4").all_text_contents()
    assert sorted(heads) == sorted(f"{label} ({n})" for label, n in by_source.items())
    assert len(by_source) == 3 and page.locator("#d-claims li").count() == sum(by_source.values())


def test_a_disputed_claim_is_drawn_apart_and_opens_both_sides(bundled_view):
    page = bundled_view.page
    found = _claim(bundled_view, "ChatGPT", "instance of", "large language model")
    assert found["disputed"] is True
    assert page.evaluate(f"window.genaiKg.edges.get({found['edge']}).dashes") is not None
    assert page.is_visible("#c-disagree")
    text = page.text_content("#c-disagree")
    assert "classification of ChatGPT" in text
    sides = page.locator("#c-disagree li").all_text_contents()
    assert len(sides) >= 2 and any("multimodal model" in s for s in sides)
    assert any("large language model" in s for s in sides)
    plain = _claim(bundled_view, "GPT-4", "developed by", "OpenAI")
    assert plain["disputed"] is False and not page.is_visible("#c-disagree")


def test_the_bundled_view_with_sources_shows_a_links_anchored_sentences(browser, tmp_path, sources, kg):
    """``view --sources ../shared/sources``: a mouse click on the GPT-4 → OpenAI link quotes exactly the sentences its
    citations' locators point at in the real documents (read here through genai_kg.sources)."""
    from genai_kg.sources import claim_locators, documents_by_node

    path = tmp_path / "genai-kg.html"
    result = CliRunner().invoke(main, ["view", "--sources", str(sources), "-o", str(path)])
    assert result.exit_code == 0, result.output
    gpt4, openai = kg.resolve_term("GPT-4"), kg.resolve_term("OpenAI")
    texts = documents_by_node(kg.graph, sources)
    spans = [(doc, a, b) for (s, _p, o), found in claim_locators(kg.graph).items() if s == gpt4 and o == openai
             for doc, pairs in found.items() for a, b in pairs]
    expected = sorted({texts[doc][a:b] for doc, a, b in spans})
    assert expected
    view = Opened(browser, path)
    try:
        _click_link(view.page, "GPT-4", "developed by", "OpenAI", ["https://w3id.org/genai-kg/OpenAI"])
        quoted = sorted(view.page.locator("#c-sources blockquote.sentence").all_text_contents())
        panel = view.page.text_content("#c-sources")
        assert view.errors == []
    finally:
        view.close()
    assert quoted == expected
    assert all(label in panel for label in ("PromptLayer article", "REVE Chat article"))
