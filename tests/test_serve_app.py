"""The serve application in this process (Starlette's test client, no server): each query form answers in
the format its kind negotiates. Quick-loop companion of the slow ``test_serve.py``, which runs the real
server; an answer read through an attribute the answer no longer has fails here in seconds."""

from __future__ import annotations

import os

import pytest

try:
    from starlette.testclient import TestClient
except ImportError:  # the serve extra: a skip, or with CI set a failure (the collection error), as for any component
    if os.environ.get("CI"):
        raise
    pytest.skip("Starlette is not installed: pip install 'genai-kg[serve]'", allow_module_level=True)

from genai_kg.graph import load  # noqa: E402
from genai_kg.serve import create_app  # noqa: E402


@pytest.fixture(scope="module")
def client():
    app = create_app(load(store="memory"), timeout=30)
    return TestClient(app, base_url="http://127.0.0.1")


@pytest.mark.parametrize(("query", "accept", "media"), [
    ("ASK { ?s ?p ?o }", "application/sparql-results+json", "application/sparql-results+json"),
    ("SELECT ?s WHERE { ?s a <http://www.w3.org/2002/07/owl#Class> } LIMIT 2", "text/csv", "text/csv"),
    ("CONSTRUCT { ?s a ?k } WHERE { ?s a ?k FILTER(?k = <http://www.w3.org/2002/07/owl#Class>) } LIMIT 2",
     "application/n-triples",
     "application/n-triples"),
])
def test_each_query_form_answers_in_its_negotiated_format(client, query, accept, media):
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media)
    if query.startswith("ASK"):
        assert response.json()["boolean"] is True
    elif query.startswith("SELECT"):
        assert response.text.splitlines()[0] == "s" and len(response.text.splitlines()) == 3
    else:
        assert len(response.text.splitlines()) == 2 and all(line.endswith(" .") for line in response.text.splitlines())


def test_a_select_refuses_a_graph_only_format_and_a_graph_answer_defaults_to_turtle(client):
    select = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"},
                        headers={"Accept": "text/turtle"})
    assert select.status_code == 406
    graph = client.get("/sparql", params={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1"})
    assert graph.status_code == 200 and graph.headers["content-type"].startswith("text/turtle")
