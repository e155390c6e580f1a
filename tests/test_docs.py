"""HTML documentation: an index with the class hierarchy, a page per term, every page offline and escaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from genai_kg import load
from genai_kg.cli import main
from genai_kg.docs import documented_terms, write_docs

HOSTILE = """@prefix gkg: <https://w3id.org/genai-kg/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
gkg:Hostile_Model a gkg:LargeLanguageModel ; rdfs:label "<script>alert(1)</script>"@en ;
    skos:definition "<img src=x onerror=alert(2)>"@en .
"""


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("href", "src", "action", "srcset", "poster", "data"):
                self.refs.append((name, value))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data = tmp_path_factory.mktemp("data") / "hostile.ttl"
    data.write_text(HOSTILE, encoding="utf-8")
    kg = load([data], store="memory")
    folder = tmp_path_factory.mktemp("docs")
    return kg, folder, write_docs(kg.graph, folder)


def test_an_index_and_a_page_per_term(site):
    kg, folder, pages = site
    assert (folder / "index.html") in pages
    assert len(pages) == len(documented_terms(kg.graph)) + 1
    assert (folder / "LargeLanguageModel.html").exists()


def test_every_page_opens_offline(site):
    _, folder, pages = site
    for page in pages:
        html = page.read_text(encoding="utf-8")
        parser = Links()
        parser.feed(html)
        assert "script" not in parser.tags and "link" not in parser.tags and "iframe" not in parser.tags, page
        assert "@import" not in html and "url(" not in html, page
        for name, value in parser.refs:
            assert name == "href" and not re.match(r"^[a-z]+:|^//", value, re.IGNORECASE), (page, value)
            assert (folder / value.split("#")[0]).exists(), (page, value)


def test_the_hierarchy_definitions_and_sources_are_shown(site):
    _, folder, _ = site
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert re.search(r'generative AI</a><ul class="tree">.*large language model', index, re.DOTALL)
    llm = (folder / "LargeLanguageModel.html").read_text(encoding="utf-8")
    assert "https://w3id.org/genai-kg/LargeLanguageModel" in llm
    assert "source:" in llm  # axiom annotations show which document states a claim
    assert "<h2>Subclasses</h2>" in (folder / "GenerativeAI.html").read_text(encoding="utf-8")


def test_labels_and_definitions_are_escaped(site):
    _, folder, _ = site
    html = (folder / "Hostile_Model.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_cli_writes_the_docs(tmp_path):
    result = CliRunner().invoke(main, ["docs", "-o", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "index.html").exists()
