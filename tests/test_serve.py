"""``genai-kg serve`` as a real server process: the SPARQL 1.1 Protocol (GET, POST, content negotiation),
read-only (updates refused), the guard (SERVICE refused), the Host check (DNS rebinding), no CORS, the search
index, and a slow query that does not hold up a search or another query."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner
from conftest import serving

from genai_kg.cli import main

pytestmark = pytest.mark.slow

LLMS = "PREFIX gkg: <https://w3id.org/genai-kg/> SELECT ?s WHERE { ?s a gkg:LargeLanguageModel }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def server():
    with serving("--timeout", "6", ready="/sparql?query=ASK%7B%7D") as base:
        yield base


def ask(url: str, *, data: bytes | None = None, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def get(base: str, query: str, accept: str | None = None) -> tuple[int, dict, bytes]:
    return ask(f"{base}/sparql?" + urllib.parse.urlencode({"query": query}),
               headers={"Accept": accept} if accept else None)


def expected_llms() -> set[str]:
    result = CliRunner().invoke(main, ["query", "--sparql", LLMS, "--format", "csv"])
    assert result.exit_code == 0, result.output
    return {row["s"] for row in csv.DictReader(io.StringIO(result.output))}


def test_get_with_each_results_format(server):
    want = expected_llms()
    assert len(want) == 9
    status, headers, body = get(server, LLMS, "application/sparql-results+json")
    assert status == 200 and headers["content-type"] == "application/sparql-results+json"
    assert {b["s"]["value"] for b in json.loads(body)["results"]["bindings"]} == want
    status, headers, body = get(server, LLMS, "application/sparql-results+xml")
    assert status == 200 and headers["content-type"].startswith("application/sparql-results+xml")
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert {u.text for u in ET.fromstring(body).iter(f"{ns}uri")} == want
    status, headers, body = get(server, LLMS, "text/csv")
    assert headers["content-type"].startswith("text/csv") and set(body.decode().split()[1:]) == want
    status, headers, body = get(server, LLMS, "text/tab-separated-values;q=0.9, image/png;q=0.1")
    assert headers["content-type"].startswith("text/tab-separated-values")
    assert {line.strip("<>") for line in body.decode().split()[1:]} == want
    assert get(server, LLMS)[1]["content-type"] == "application/sparql-results+json"  # no Accept: JSON
    assert get(server, LLMS, "image/png")[0] == 406


def test_post_form_and_query_body_and_graph_answers(server):
    form = urllib.parse.urlencode({"query": LLMS}).encode()
    status, _, body = ask(f"{server}/sparql", data=form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 9
    status, _, body = ask(f"{server}/sparql", data=LLMS.encode(), headers={"Content-Type": "application/sparql-query"})
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 9
    construct = "CONSTRUCT WHERE { <https://w3id.org/genai-kg/GPT-4> ?p ?o }"
    status, headers, body = get(server, construct, "application/n-triples")
    assert status == 200 and headers["content-type"] == "application/n-triples"
    assert body.decode().count("<https://w3id.org/genai-kg/GPT-4>") > 5
    assert get(server, construct, "text/turtle")[1]["content-type"].startswith("text/turtle")
    assert json.loads(get(server, "ASK { ?s ?p ?o }")[2])["boolean"] is True


def test_updates_are_refused_and_change_nothing(server):
    insert = "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"
    form = urllib.parse.urlencode({"update": insert}).encode()
    assert ask(f"{server}/sparql", data=form, headers={"Content-Type": "application/x-www-form-urlencoded"})[0] == 400
    update = {"Content-Type": "application/sparql-update"}
    assert ask(f"{server}/sparql", data=insert.encode(), headers=update)[0] == 400
    status, _, body = get(server, insert)
    assert status == 400 and b"update" in body.lower()
    assert json.loads(get(server, "ASK { <urn:x:a> ?p ?o }")[2])["boolean"] is False


def test_service_and_load_are_refused(server):
    status, _, body = get(server, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert status == 400 and b"SERVICE" in body
    assert get(server, "SELECT * FROM <http://127.0.0.1:9/x.ttl> WHERE { ?s ?p ?o }")[0] == 400


def test_a_foreign_host_is_refused_and_no_cors_is_sent(server):
    status, _, _ = ask(f"{server}/sparql?query=ASK%7B%7D", headers={"Host": "attacker.example"})
    assert status == 400
    status, headers, _ = ask(f"{server}/sparql?query=ASK%7B%7D", headers={"Origin": "http://attacker.example"})
    assert status == 200 and not any(h.lower().startswith("access-control") for h in headers)
    status, headers, body = ask(f"{server}/")
    assert status == 200 and b"connect-src 'self'" in body and b'"endpoint":"/sparql"' in body


def test_search_uses_the_index(server):
    status, headers, body = ask(f"{server}/search?q=large%20lang")
    hits = json.loads(body)
    assert status == 200 and hits[0]["iri"] == "https://w3id.org/genai-kg/LargeLanguageModel"
    assert hits[0]["label"] == "large language model" and hits[0]["types"]
    assert json.loads(ask(f"{server}/search?q=LLM")[2])[0]["label"] == "large language model"  # a synonym


def test_a_slow_query_does_not_block_search_or_other_queries(server):
    answer: list = []
    worker = threading.Thread(target=lambda: answer.append(get(server, SLOW)))
    started = time.monotonic()
    worker.start()
    time.sleep(0.5)
    took = []
    for _ in range(3):
        t = time.monotonic()
        assert ask(f"{server}/search?q=GPT")[0] == 200
        assert get(server, LLMS)[0] == 200
        took.append(time.monotonic() - t)
    still_running = worker.is_alive()
    worker.join(30)
    assert still_running and max(took) < 2.0
    status, _, body = answer[0]
    assert status == 503 and b"time" in body.lower() and time.monotonic() - started < 30


def test_with_the_worker_pool_slow_queries_are_cut_at_timeout_and_service_still_refused(server):
    """serve evaluates in pre-forked guarded workers: four slow queries at once (more than its three workers)
    are each cut at --timeout 6, the overrunning workers are replaced, and the guard still holds after."""
    answers: list = []
    threads = [threading.Thread(target=lambda: answers.append((get(server, SLOW), time.monotonic())))
               for _ in range(4)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(40)
    assert len(answers) == 4
    for (status, _, body), ended in answers:
        assert status == 503 and b"timed out after 6 s" in body
        assert 5.5 < ended - started < 20
    for _ in range(3):  # the replaced workers answer, and refuse, as the first ones did
        status, _, body = get(server, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
        assert status == 400 and b"SERVICE" in body
        status, _, body = get(server, LLMS, "application/sparql-results+json")
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 9
