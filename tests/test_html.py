"""The HTML page as text: self-contained, escaped, deterministic; layouts; the Jupyter wrapper."""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import re
import sys
from pathlib import Path

import networkx as nx
import pytest
from _synthetic_view import HOSTILE_DEFINITION, HOSTILE_LABEL, synthetic_graph
from click.testing import CliRunner

from genai_kg.errors import ParameterError
from genai_kg.views.html import View, read_page_data, render_view, script_json, vis_network_js
from genai_kg.views.layout import choose_layout, hierarchical_positions
from genai_kg.views.model import to_networkx
from genai_kg.views.payload import SUMMARY_NODES

SCRIPT = re.compile(r"<script([^>]*)>(.*?)</script>", re.DOTALL)


@pytest.fixture(scope="module")
def G():
    return to_networkx(synthetic_graph(120, hostile=True))


@pytest.fixture(scope="module")
def page(G):
    return render_view(G, title="<b>title</b> & co").html


def payload(page: str) -> dict:
    """The page's data; a small page's JSON is read straight from its script element."""
    match = re.search(r'<script type="application/json" id="genai-kg-data">(.*?)</script>', page, re.DOTALL)
    return json.loads(match.group(1)) if match else read_page_data(page)


def node_rows(data: dict) -> list[dict]:
    """The payload's parallel node arrays as one dict per node, with its IRI and kind label."""
    cols = data["nodes"]
    return [
        {"iri": data["ns"][cols["ns"][i]] + cols["local"][i], "label": cols["label"][i],
         "definition": cols["def"][i], "kind": data["kinds"][cols["kind"][i]][0], "alt": cols["alt"][i]}
        for i in range(len(cols["label"]))
    ]


def outside_scripts(page: str) -> str:
    return SCRIPT.sub("", page)


def test_self_contained_no_external_resources(page):
    assert "<script src" not in page.lower()
    assert not re.search(r"<link\b", page, re.IGNORECASE)
    assert not re.search(r"\b(src|href)\s*=", outside_scripts(page), re.IGNORECASE)
    assert not re.search(r"url\(\s*['\"]?(https?:|//)", page, re.IGNORECASE)
    assert not re.search(r"https?://", outside_scripts(page))  # URLs only in the data blob and vis comments
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page


def test_vis_network_inlined_with_its_licence(page):
    js = vis_network_js()
    assert "@license" in js and "vis.js is dual licensed" in js
    assert js in page
    assert len([m for m in SCRIPT.finditer(page)]) == 3


def test_csp_allows_exactly_the_inline_scripts(page):
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp and "unsafe-inline" not in csp.split(";")[1]
    executable = [body for attrs, body in SCRIPT.findall(page) if "application/json" not in attrs]
    for body in executable:
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_text_never_reaches_the_page_as_markup(page):
    data_blob = re.search(r'id="genai-kg-data">(.*?)</script>', page, re.DOTALL).group(1)
    assert "<" not in data_blob and ">" not in data_blob and "&" not in data_blob
    assert "\u2028" not in data_blob and "\u2029" not in data_blob
    labels = set(payload(page)["nodes"]["label"])
    definitions = set(payload(page)["nodes"]["def"])
    assert HOSTILE_LABEL in labels and HOSTILE_DEFINITION in definitions
    assert "<img" not in page and "onerror" not in outside_scripts(page)
    assert "<title>&lt;b&gt;title&lt;/b&gt; &amp; co</title>" in page


def test_view_js_writes_text_only():
    js = (Path(__file__).resolve().parents[1] / "src/genai_kg/views/view.js").read_text(encoding="utf-8")
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function", js)


@pytest.mark.parametrize("text", ["<", ">", "&", "\u2028", "\u2029", "</script><!--", "%%VIS_JS%%"])
def test_script_json_round_trips(text):
    encoded = script_json({"s": text})
    assert json.loads(encoded) == {"s": text}
    assert not re.search("[<>&\u2028\u2029]", encoded)


def test_placeholders_in_data_are_not_expanded(G):
    H = G.copy()
    node = next(iter(H))
    H.nodes[node]["label"] = "%%VIS_JS%% %%DATA%%"
    page = render_view(H).html
    assert page.count("vis.js is dual licensed") == 1
    assert "%%VIS_JS%% %%DATA%%" in payload(page)["nodes"]["label"]


def test_deterministic(G, page):
    assert render_view(G, title="<b>title</b> & co").html == page
    rebuilt = to_networkx(synthetic_graph(120, hostile=True))
    assert render_view(rebuilt, title="<b>title</b> & co").html == page


def test_payload_matches_the_graph(G, page):
    data = payload(page)
    assert len(data["nodes"]["label"]) == G.number_of_nodes()
    assert len(data["edges"]["t"]) == G.number_of_edges() == len(data["edges"]["ds"])
    assert [n["iri"] for n in node_rows(data)] == list(G)
    assert sum(k[3] for k in data["kinds"]) == G.number_of_nodes()
    rows = node_rows(data)
    sources = list(itertools.accumulate(data["edges"]["ds"]))
    drawn = {(rows[s]["iri"], rows[t]["iri"]) for s, t in zip(sources, data["edges"]["t"], strict=True)}
    assert drawn == set(G.edges())
    assert data["mode"] == "all" and data["groups"] == []  # 120 nodes, no taxonomy of families: all shown


def test_openings():
    small = to_networkx(synthetic_graph(60))
    assert choose_layout(small) == "hierarchical"
    assert payload(render_view(small, layout="force").html)["layout"] == "force"
    with pytest.raises(ParameterError, match="layout"):
        render_view(small, layout="spiral")
    big = payload(render_view(to_networkx(synthetic_graph(SUMMARY_NODES + 500))).html)
    assert big["mode"] == "taxonomy" and 0 < len(big["groups"]) <= 10  # families, then a group per kind
    families = {big["nodes"]["label"][i] for i, *_ in big["open"]}
    assert {"Family 0", "Family 11"} <= families and len(families) < 30
    focus = next(n for n in small if small.nodes[n]["label"] == "Node 5")
    opened = payload(render_view(small, focus=focus).html)
    assert opened["mode"] == "focus" and opened["expand"] == [opened["open"][0][0]]


def test_hierarchical_positions_distinct_and_parents_above():
    G = to_networkx(synthetic_graph(400))
    pos = hierarchical_positions(G)
    assert len(pos) == G.number_of_nodes() == len(set(pos.values()))
    for u, v, key in G.edges(keys=True):
        if key.endswith("#subClassOf"):
            assert pos[v][1] < pos[u][1]


def test_layout_handles_cycles_and_loose_nodes():
    G = nx.MultiDiGraph()
    sub = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
    for a, b in [("a", "b"), ("b", "c"), ("c", "a")]:
        G.add_edge(a, b, key=sub, label="subClassOf")
    G.add_node("loose")
    pos = hierarchical_positions(G)
    assert set(pos) == {"a", "b", "c", "loose"}
    assert "genai-kg" in render_view(G).html  # attributes missing: falls back to ids


def test_plain_networkx_graphs():
    G = nx.karate_club_graph()
    data = payload(render_view(G).html)
    assert len(data["nodes"]["label"]) == 34 and len(data["edges"]["t"]) == G.number_of_edges()
    assert data["mode"] == "all" and set(data["nodes"]["label"]) == {str(n) for n in G}
    assert len(data["open"]) == 34


def test_empty_graph():
    data = payload(render_view(nx.MultiDiGraph()).html)
    assert data["nodes"]["label"] == [] and data["open"] == []


def test_write_html_and_jupyter(G, page, tmp_path):
    render_view(G, title="<b>title</b> & co").save(tmp_path / "v.html")
    assert (tmp_path / "v.html").read_text(encoding="utf-8") == page
    view = render_view(G, title="<b>title</b> & co")
    assert isinstance(view, View) and str(view) == page and view.html == page
    assert (view.nodes, view.edges) == (G.number_of_nodes(), G.number_of_edges())
    frame = view._repr_html_()
    assert frame.startswith("<iframe") and 'sandbox="allow-scripts"' in frame
    assert "<script" not in frame  # the page is an escaped srcdoc attribute
    view.save(tmp_path / "w.html")
    assert (tmp_path / "w.html").read_text(encoding="utf-8") == page


def test_cli_view(tmp_path):
    from genai_kg.cli import main

    out = tmp_path / "gpt4.html"
    result = CliRunner().invoke(main, ["view", "--focus", "GPT-4", "--depth", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = payload(out.read_text(encoding="utf-8"))
    assert "GPT-4" in data["nodes"]["label"]
    assert data["title"] == "genai-kg: GPT-4"
    assert data["mode"] == "focus" and data["nodes"]["label"][data["expand"][0]] == "GPT-4"
    assert "; opening on 1 node" in result.output
    bad = CliRunner().invoke(main, ["view", "--focus", "no such term", "-o", str(tmp_path / "x.html")])
    assert bad.exit_code == 2 and "--focus" in bad.output
    assert not (tmp_path / "x.html").exists()
    result = CliRunner().invoke(main, ["view", "--query", "families", "--layout", "force", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert payload(out.read_text(encoding="utf-8"))["layout"] == "force"
    result = CliRunner().invoke(
        main, ["view", "--query", "systems-by-output", "--param", "modality=video", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert payload(out.read_text(encoding="utf-8"))["title"] == "genai-kg: systems-by-output (modality=video)"


def test_cli_view_draws_the_users_data(tmp_path):
    from genai_kg.cli import main

    data = tmp_path / "mine.ttl"
    data.write_text(
        "@prefix gkg: <https://w3id.org/genai-kg/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://example.org/MyModel> a gkg:LargeLanguageModel ; rdfs:label "My model ✓"@en ;\n'
        "    gkg:developedBy <https://example.org/MyLab> .\n",
        encoding="utf-8",
    )
    out = tmp_path / "mine.html"
    result = CliRunner().invoke(main, ["view", "--data", str(data), "-o", str(out), "--title", "Mine ✓"])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    nodes = {n["iri"]: n for n in node_rows(payload(page))}
    assert nodes["https://example.org/MyModel"]["label"] == "My model ✓"
    assert nodes["https://example.org/MyModel"]["kind"] == nodes["https://w3id.org/genai-kg/GPT-4"]["kind"]
    assert "https://example.org/MyLab" in nodes
    assert "<title>Mine ✓</title>" in page


def test_same_file_across_processes():
    """Set and dict order differ between interpreters (hash seeds); the file must not."""
    import hashlib
    import os
    import subprocess

    code = "import sys; from genai_kg.cli import main; sys.argv = ['genai-kg', 'view', '-o', '-']; main()"
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=True).stdout
        digests.add(hashlib.sha256(out).hexdigest())
    assert len(digests) == 1


def test_a_page_past_what_one_page_holds_points_to_the_explorer():
    from genai_kg.views.html import PAGE_NODES, big_page_note

    assert big_page_note(PAGE_NODES, 50_000_000) is None
    note = big_page_note(PAGE_NODES + 1, 117_000_000)
    assert "\n" not in note and "117 MB" in note
    assert "genai-kg serve --data FILE --store oxigraph:DIR" in note and "view --endpoint URL" in note


def test_the_drawing_has_its_own_bound_named_in_its_message():
    from genai_kg.errors import LimitExceeded
    from genai_kg.guard import DEFAULT_TIMEOUT, drawing_bound, time_limit

    assert drawing_bound(10_000) == (DEFAULT_TIMEOUT, "view")  # a small graph: the usual timeout
    seconds, where = drawing_bound(6_000_000)
    assert seconds > DEFAULT_TIMEOUT and "6,000,000 triples" in where and "own bound" in where
    assert drawing_bound(6_000_000, 2.0) == (2.0, "view")  # --timeout given: it bounds the drawing too
    with pytest.raises(LimitExceeded, match="drawing 6,000,000 triples .*timed out after 0.2 s"), \
            time_limit(0.2, where=where):
        while True:
            pass


def test_a_big_graphs_data_is_compressed_and_reads_back_whole():
    """Past COMPRESS_BYTES of JSON the data goes in zlib-compressed base64 (the browser inflates it: see
    test_view_browser's 10,000-node page); what it holds is the payload, unchanged."""
    from genai_kg.views.html import COMPRESS_BYTES
    from genai_kg.views.payload import build_payload

    G = to_networkx(synthetic_graph(5_000))
    page = render_view(G, title="5k").html
    expected = build_payload(G, title="5k")
    assert len(json.dumps(expected)) > COMPRESS_BYTES
    assert 'data-encoding="deflate-base64"' in page and '"label":' not in page
    assert read_page_data(page) == json.loads(json.dumps(expected))
    block = re.search(r'id="genai-kg-data">(.*?)</script>', page, re.DOTALL).group(1)
    assert len(block) < len(script_json(expected)) / 3
    small = render_view(to_networkx(synthetic_graph(60)), title="small").html
    assert 'type="application/json" id="genai-kg-data"' in small  # small pages keep readable JSON


def test_cli_view_past_what_one_page_holds_says_so_in_one_line(tmp_path, monkeypatch):
    """The CLI writes the page and adds one line pointing to the explorer; the bundled graph's ~270 nodes stand
    for a graph past the limit (a real one takes a million nodes: benchmarks/bench_view.py --sizes)."""
    from genai_kg.cli import main
    from genai_kg.views import html

    out = tmp_path / "all.html"
    quiet = CliRunner().invoke(main, ["view", "-o", str(out)])
    assert quiet.exit_code == 0 and "past what one page holds" not in quiet.output
    monkeypatch.setattr(html, "PAGE_NODES", 100)
    result = CliRunner().invoke(main, ["view", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert payload(out.read_text(encoding="utf-8"))["nodes"]["label"]  # the page is still written
    notes = [line for line in result.output.splitlines() if "past what one page holds" in line]
    assert len(notes) == 1
    assert "genai-kg serve --data FILE --store oxigraph:DIR" in notes[0] and "view --endpoint URL" in notes[0]


# -- a whole graph's view read as it is parsed (view_files), without a store -----------------------------------
_PARTS = {
    # a triple written twice, a typed literal a store writes in its canonical form (a citation's offsets), and a
    # blank node label that the other file uses too (each file's own node, as loading makes them)
    "one.nt": (
        '<https://example.org/m> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
        '<https://w3id.org/genai-kg/LargeLanguageModel> .\n'
        '<https://example.org/m> <http://www.w3.org/2000/01/rdf-schema#label> "M one"@en .\n'
        '<https://example.org/m> <http://www.w3.org/2000/01/rdf-schema#label> "M one"@en .\n'
        '<https://example.org/m> <https://w3id.org/genai-kg/developedBy> <https://example.org/lab> .\n'
        '<https://example.org/m> <https://w3id.org/genai-kg/developedBy> <https://example.org/lab> .\n'
        '<https://example.org/m> <http://www.w3.org/2004/02/skos/core#altLabel> '
        '"0012"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
        '<https://example.org/m> <http://www.w3.org/2004/02/skos/core#altLabel> '
        '"12"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
        '<https://example.org/m> <http://www.w3.org/2004/02/skos/core#altLabel> "12" .\n'
        '<https://example.org/m> <https://example.org/p> _:b0 .\n'
        '_:b0 <http://www.w3.org/2000/01/rdf-schema#label> "first blank" .\n'
        '_:b0 <https://example.org/q> <https://example.org/x> .\n'
    ),
    "two.ttl": (
        "@prefix ex: <https://example.org/> .\n"
        "ex:lab ex:p _:b0 . _:b0 ex:q ex:y .\n"
        'ex:m <http://www.w3.org/2004/02/skos/core#definition> "A model."@en, "A model."@en .\n'
    ),
    "three.nq": (
        '<https://example.org/z> <https://example.org/q> <https://example.org/m> <https://example.org/g> .\n'
        '_:b0 <https://example.org/q> <https://example.org/m> <https://example.org/g> .\n'
        '<https://example.org/m> <https://w3id.org/genai-kg/developedBy> <https://example.org/lab> '
        '<https://example.org/g> .\n'
    ),
}


@pytest.fixture
def parts(tmp_path):
    paths = []
    for name, text in _PARTS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(tmp_path / name)
    return paths


def test_a_whole_view_read_as_parsed_is_the_loaded_graphs_view(parts):
    """Duplicates, typed literals, blank nodes of two files and named graphs: the page is the one a store gives."""
    from genai_kg.graph import load, view_files

    page = view_files(parts).html
    assert page == load(parts).view().html
    data = payload(page)
    at = data["nodes"]["local"].index("m")
    assert data["nodes"]["label"][at] == "M one" and data["nodes"]["alt"][at] == "12"  # "0012" is 12 in a store
    assert view_files(parts, store="memory").html == load(parts, store="memory").view().html
    assert view_files(parts[:1], bundled=False).html == load(parts[:1], bundled=False).view().html


def test_a_whole_view_reads_files_without_a_store(parts, monkeypatch, tmp_path):
    """The CLI's whole-graph view never loads a store on the default one; a file Oxigraph does not parse (RDF/XML)
    is loaded as before, into the same page."""
    import genai_kg.graph
    from genai_kg.cli import main

    loaded = []
    real = genai_kg.graph.load
    monkeypatch.setattr(genai_kg.graph, "load", lambda *a, **k: loaded.append(a) or real(*a, **k))
    out = tmp_path / "v.html"
    result = CliRunner().invoke(main, ["view", *itertools.chain(*(["--data", str(p)] for p in parts)), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert not loaded
    xml = tmp_path / "four.rdf"
    xml.write_text('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                   'xmlns:ex="https://example.org/"><rdf:Description rdf:about="https://example.org/w">'
                   '<ex:q rdf:resource="https://example.org/m"/></rdf:Description></rdf:RDF>', encoding="utf-8")
    result = CliRunner().invoke(main, ["view", "--data", str(xml), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert loaded and "w" in payload(out.read_text(encoding="utf-8"))["nodes"]["local"]


def test_a_whole_view_of_a_bad_file_names_it_and_writes_nothing(tmp_path):
    from genai_kg.cli import main

    bad = tmp_path / "bad.nt"
    bad.write_text('<https://example.org/a> <https://example.org/p> <https://example.org/b> .\n<a> b c\n',
                   encoding="utf-8")
    out = tmp_path / "v.html"
    result = CliRunner().invoke(main, ["view", "--data", str(bad), "-o", str(out)])
    assert result.exit_code == 2 and not out.exists()
    assert str(bad) in result.output and "line 2" in result.output and "Traceback" not in result.output
    wrong = CliRunner().invoke(main, ["view", "--data", str(tmp_path / "none.nt"), "-o", str(out)])
    assert wrong.exit_code == 2 and "no such file" in wrong.output and not out.exists()


def test_a_whole_view_read_as_parsed_has_the_drawings_bound(parts):
    """The reading is loading; the drawing after it is bounded (here by a timeout the bundled graph's drawing and
    page, ~0.5 s, do not meet)."""
    from genai_kg.errors import LimitExceeded
    from genai_kg.graph import view_files

    with pytest.raises(LimitExceeded, match="view: timed out after 0.01 s"):
        view_files(parts, timeout=0.01)
