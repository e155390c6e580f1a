"""GraphML, GEXF and Cytoscape JSON exports read back to the same nodes and edges."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import networkx as nx
import pytest
from _synthetic_view import HOSTILE_LABEL, synthetic_graph
from click.testing import CliRunner

from genai_kg.errors import UnsupportedFormat
from genai_kg.views.exchange import CYJS_SCHEMA, serialize_network, write_graph
from genai_kg.views.model import to_networkx


def read_back(path: Path, fmt: str) -> nx.MultiDiGraph:
    if fmt == "graphml":
        read = nx.read_graphml(path, force_multigraph=True)  # keys are the unique edge ids; "key" keeps ours
        H = nx.MultiDiGraph()
        H.add_nodes_from(read.nodes(data=True))
        H.add_edges_from((u, v, attrs["key"], attrs) for u, v, attrs in read.edges(data=True))
        return H
    if fmt == "gexf":
        return nx.read_gexf(path)
    return nx.cytoscape_graph(json.loads(path.read_text(encoding="utf-8")))


def check_cyjs(data: dict) -> None:
    jsonschema.Draft202012Validator.check_schema(CYJS_SCHEMA)
    jsonschema.validate(data, CYJS_SCHEMA)


@pytest.fixture(scope="module")
def G():
    return to_networkx(synthetic_graph(300, hostile=True))


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "cyjs"])
def test_round_trip_same_nodes_and_edges(G, tmp_path, fmt):
    path = tmp_path / f"graph.{fmt}"
    write_graph(G, path, fmt)
    H = read_back(path, fmt)
    assert set(H) == set(G)
    assert sorted(H.edges(keys=True)) == sorted(G.edges(keys=True))
    for node, attrs in G.nodes(data=True):
        assert H.nodes[node]["label"] == attrs["label"]
        assert H.nodes[node]["kind"] == attrs["kind"]
    for u, v, key, attrs in G.edges(keys=True, data=True):
        assert H.edges[u, v, key]["label"] == attrs["label"]
    assert HOSTILE_LABEL in {attrs["label"] for _, attrs in H.nodes(data=True)}
    if fmt == "cyjs":
        check_cyjs(json.loads(path.read_text(encoding="utf-8")))


def test_gexf_carries_gephi_colours(G, tmp_path):
    write_graph(G, tmp_path / "g.gexf")  # format from the extension
    H = nx.read_gexf(tmp_path / "g.gexf")
    node, attrs = next(iter(G.nodes(data=True)))
    colour = H.nodes[node]["viz"]["color"]
    assert "#{:02x}{:02x}{:02x}".format(colour["r"], colour["g"], colour["b"]) == attrs["colour"]


def test_cyjs_schema_rejects_a_broken_file(G):
    data = json.loads(serialize_network(G, "cyjs"))
    del data["elements"]["edges"][0]["data"]["source"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, CYJS_SCHEMA)


def test_deterministic(G):
    for fmt in ("graphml", "gexf", "cyjs"):
        assert serialize_network(G, fmt) == serialize_network(G, fmt)


def test_unknown_format(G, tmp_path):
    with pytest.raises(UnsupportedFormat, match="graph format"):
        write_graph(G, tmp_path / "g.txt")
    with pytest.raises(UnsupportedFormat, match="dot"):
        write_graph(G, tmp_path / "g.graphml", "dot")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "cyjs"])
def test_cli_export_graph_format(tmp_path, fmt, bundled):
    from genai_kg.cli import main

    out = tmp_path / f"kg.{fmt}"
    result = CliRunner().invoke(main, ["export", "--graph-format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    H = read_back(out, fmt)
    G = to_networkx(bundled.graph)
    assert set(H) == set(G)
    assert sorted(H.edges(keys=True)) == sorted(G.edges(keys=True))


def test_graphml_edges_have_unique_ids(bundled, tmp_path):
    """graphology's GraphML reader (under sigma.js) refuses a file whose edges share an id."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(serialize_network(to_networkx(bundled.graph), "graphml"))
    ids = [e.get("id") for e in root.iter("{http://graphml.graphdrawing.org/xmlns}edge")]
    assert len(ids) > 600 and None not in ids
    assert len(set(ids)) == len(ids)


#: graphology and its GraphML reader (the one under sigma.js), pinned by package-lock.json; ./scripts/test
#: installs them with ``npm ci`` into tests/js/node_modules.
JS = Path(__file__).with_name("js")


@pytest.fixture(scope="module")
def graphology():
    """The command that reads a GraphML file with graphology and prints what it read as JSON."""
    from conftest import missing, program

    node = program("node")
    if node is None:
        missing("Node.js", "apt-get install nodejs npm, then npm ci --prefix tests/js")
    if not (JS / "node_modules" / "graphology-graphml").is_dir():
        missing("graphology-graphml (tests/js)", "npm ci --prefix tests/js (./scripts/test does it)")
    return [node, str(JS / "read_graphml.js")]


def graphology_read(command: list[str], path: Path) -> dict:
    import subprocess

    done = subprocess.run([*command, str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.mark.slow
def test_graphology_reads_the_graphml_export(graphology, bundled, tmp_path):
    """`export --graph-format graphml` loads in graphology (sigma.js's graph library) with every node and
    every edge networkx has, parallel edges included (a directed multigraph)."""
    from genai_kg.cli import main

    out = tmp_path / "kg.graphml"
    result = CliRunner().invoke(main, ["export", "--graph-format", "graphml", "-o", str(out)])
    assert result.exit_code == 0, result.output
    read = graphology_read(graphology, out)
    G = to_networkx(bundled.graph)
    assert read["type"] == "directed" and read["multi"] is True
    assert len(read["nodes"]) == G.number_of_nodes() > 200
    assert len(read["edges"]) == G.number_of_edges() > 600
    assert set(read["nodes"]) == set(G)
    assert sorted(map(tuple, read["edges"])) == sorted(G.edges(keys=True))


@pytest.mark.slow
def test_graphology_refuses_edges_that_share_an_id(graphology, tmp_path):
    """What the export must avoid: graphology stops at a second edge with the same id and other ends."""
    path = tmp_path / "shared-ids.graphml"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
        '<graph edgedefault="directed"><node id="a"/><node id="b"/><node id="c"/>'
        '<edge id="p" source="a" target="b"/><edge id="p" source="a" target="c"/></graph></graphml>\n',
        encoding="utf-8",
    )
    import subprocess

    done = subprocess.run([*graphology, str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "inconsistency detected" in done.stderr
