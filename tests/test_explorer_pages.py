"""The explorer's pages and index without a browser: the endpoint page's CSP names the endpoint's origin and
nothing else and carries no graph; a bad endpoint URL is one line; serve's search index is rebuilt only
when the store's files change."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from genai_kg.cli import main
from genai_kg.errors import ParameterError
from genai_kg.views.remote import endpoint_origin, remote_payload


def test_endpoint_page_allows_its_origin_only(tmp_path):
    page = tmp_path / "e.html"
    result = CliRunner().invoke(main, ["view", "--endpoint", "http://127.0.0.1:7878/query", "-o", str(page)])
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html).group(1)
    assert "connect-src http://127.0.0.1:7878;" in csp and "default-src 'none'" in csp
    assert len(html.encode()) < 1_000_000 and "GPT-4" not in html  # the opening's families, not the graph


def test_bad_endpoint_urls_are_refused_in_one_line(tmp_path):
    for url in ("file:///etc/passwd", "javascript:alert(1)", "http://a b/", "http://x/'; script-src *"):
        with pytest.raises(ParameterError):
            endpoint_origin(url)
    result = CliRunner().invoke(main, ["view", "--endpoint", "ftp://x/q", "-o", str(tmp_path / "x.html")])
    assert result.exit_code != 0 and "Traceback" not in result.output and "endpoint" in result.output
    assert not (tmp_path / "x.html").exists()


def test_remote_payload_maps_types_to_kinds(kg):
    data = remote_payload(kg.graph, "/sparql", title="t")
    kinds = data["kinds"]
    llm = data["remote"]["kinds"]["https://w3id.org/genai-kg/LargeLanguageModel"]
    assert kinds[llm[0]][0] == "large language model"
    assert data["remote"]["labels"]["https://w3id.org/genai-kg/hasApplication"][0] == "has application"
    assert data["edges"]["c"] == [0] * len(data["edges"]["t"]) and data["nodes"]["label"]


def test_search_index_is_rebuilt_only_when_the_store_changes(kg, tmp_path):
    from genai_kg.serve.search import SearchIndex

    path = tmp_path / "index.sqlite"
    first = SearchIndex(kg.graph, path, fingerprint={"files": ["a"]})
    assert first.rebuilt and first.search("large lang")[0][1] == "large language model"
    again = SearchIndex(kg.graph, path, fingerprint={"files": ["a"]})
    assert not again.rebuilt and again.search("GPT-4")[0][0] == "https://w3id.org/genai-kg/GPT-4"
    assert SearchIndex(kg.graph, path, fingerprint={"files": ["b"]}).rebuilt


def test_search_index_finds_what_fts5_prefixes_find(kg):
    """A typed word stands for the index's words it begins (FTS5's own ``"w"*`` merged every such word's
    postings first, 20 ms at 10M triples): up to 32 of them, the same labels as the prefix query; past 32,
    the commonest, each label found still holding a word that every typed word begins."""
    import re

    from genai_kg.serve.search import EXPANSIONS, SearchIndex

    index = SearchIndex(kg.graph)
    for text in ("large lang", "diffus mod", "gpt", "Anthro", "stable diff", "gen ai", "LLM"):
        words = re.findall(r"\w+", text.lower())
        prefixed = " ".join(f'"{w}"*' for w in words)
        expected = {iri for (iri,) in index.db.execute("SELECT iri FROM terms WHERE terms MATCH ?", (prefixed,))}
        assert expected and {iri for iri, _ in index.search(text, limit=10_000)} == expected, text
    begun = index.db.execute("SELECT count(*) FROM words WHERE word >= 'a' AND word < 'b'").fetchone()[0]
    assert begun > EXPANSIONS  # "a" begins more words than it stands for
    found = index.search("a", limit=10_000)
    assert found and all(any(w.startswith("a") for w in re.findall(r"\w+", label.lower())) or
                         index.db.execute("SELECT 1 FROM terms WHERE iri = ? AND terms MATCH 'a*'", (iri,)).fetchone()
                         for iri, label in found)
    assert index.search("zzzzqq") == [] and index.search("  ") == []


def test_a_whole_word_typed_is_always_searched_for_however_many_words_it_begins():
    """"model 12" where the index holds "12" in one label and 40 commoner words that begin with it (120, 121,
    ...): the typed word is one of those it stands for, so that label is found."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDFS

    from genai_kg.serve.search import EXPANSIONS, SearchIndex

    graph = Graph()
    for n in range(EXPANSIONS + 8):
        for copy in range(3):
            graph.add((URIRef(f"https://example.org/t{n}-{copy}"), RDFS.label, Literal(f"model 12{n:02d} copy {copy}")))
    wanted = URIRef("https://example.org/rare")
    graph.add((wanted, RDFS.label, Literal("model 12 rare")))
    index = SearchIndex(graph)
    assert str(wanted) in [iri for iri, _ in index.search("model 12", limit=200)]
    assert str(wanted) in [iri for iri, _ in index.search("12 rar")]
