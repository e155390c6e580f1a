"""Hostile answers: values a tool must not change, answers parsed on the clock, the terminal and Markdown.

Issue 20 (lists that never change a value, the terminal table) and issue 19 items 4, 7, 8 and 11: list
items holding their separator stay whole on every engine; an endpoint's answer is read inside the guard's
deadline; rdflib's parse of a huge query runs on the clock; the follow-up queries after an empty endpoint
answer share what is left of the timeout; Markdown rows survive carriage returns and HTML. Endpoint cases
use a hostile HTTP server of the test's own on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from genai_kg import load
from genai_kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
#: Makers whose labels hold the list separators (", " and "; ") and a tab.
HOSTILE_DATA = """@prefix gkg: <https://w3id.org/genai-kg/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/hostile/> .
ex:Painter a gkg:LargeLanguageModel ; rdfs:label "Painter"@en ; gkg:producesOutput gkg:Image ;
    gkg:developedBy ex:Zed, ex:Me, ex:Tab .
ex:Zed a gkg:Organization ; rdfs:label "Zed, Inc."@en .
ex:Me a gkg:Organization ; rdfs:label "Me; Ltd"@en .
ex:Tab a gkg:Organization ; rdfs:label "Tab\\there"@en .
ex:Evil a gkg:LargeLanguageModel ; gkg:producesOutput gkg:Image ;
    rdfs:label "Evil\\r| row <img src=x onerror=alert(1)> & co"@en .
"""
#: The makers cell: every item whole, sorted by code point, joined with the header's separator.
PAINTER_MAKERS = "Me; Ltd, Tab\there, Zed, Inc."


def invoke(*args: str, env: dict | None = None):
    result = CliRunner(env=env).invoke(main, list(args))
    return result


@pytest.fixture(scope="module")
def hostile_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "hostile.ttl"
    path.write_text(HOSTILE_DATA, encoding="utf-8")
    return path


# -- lists never change a value -----------------------------------------------------------------------------
def makers(result) -> dict[str, str]:
    return {str(row.label): str(row.makers) for row in result}


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_list_items_holding_the_separator_stay_whole(hostile_file, store):
    kg = load([hostile_file], store=store)
    found = makers(kg.query("systems-by-output", modality="image"))
    assert found["Painter"] == PAINTER_MAKERS
    assert found["Midjourney"] == "Midjourney, Inc."


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
@pytest.mark.parametrize("store", ["memory", "oxigraph"])  # auto is oxigraph
def test_midjourney_s_maker_reads_whole_in_every_format(store, fmt):
    out = invoke("query", "systems-by-output", "--param", "modality=image", "--store", store, "--format", fmt,
                 env={"COLUMNS": "300"})
    assert out.exit_code == 0, out.output
    assert "Inc., Midjourney" not in out.stdout
    if fmt == "csv":
        rows = {r["label"]: r for r in csv.DictReader(io.StringIO(out.stdout))}
        assert rows["Midjourney"]["makers"] == "Midjourney, Inc."
    elif fmt == "json":
        rows = json.loads(out.stdout)["results"]["bindings"]
        maker = next(r["makers"]["value"] for r in rows if r["label"]["value"] == "Midjourney")
        assert maker == "Midjourney, Inc."
    else:
        assert "Midjourney, Inc." in out.stdout


@pytest.mark.slow
def test_list_items_stay_whole_on_an_oxigraph_server(hostile_file, oxigraph_server, tmp_path):
    with oxigraph_server(tmp_path / "store") as (_proc, query_url, update_url):
        pushed = invoke("push", "--endpoint", query_url, "--update-endpoint", update_url, "--data", str(hostile_file))
        assert pushed.exit_code == 0, pushed.output
        kg = load([hostile_file], store="memory")
        found = makers(kg.query("systems-by-output", modality="image", endpoint=query_url))
        assert found["Painter"] == PAINTER_MAKERS and found["Midjourney"] == "Midjourney, Inc."
        out = invoke("query", "systems-by-output", "--param", "modality=image", "--format", "csv",
                     "--endpoint", query_url, "--data", str(hostile_file))
        rows = {r["label"]: r for r in csv.DictReader(io.StringIO(out.stdout))}
        assert rows["Painter"]["makers"] == PAINTER_MAKERS


# -- the terminal and Markdown --------------------------------------------------------------------------------
def test_a_table_fits_80_columns_and_cuts_nothing():
    out = invoke("query", "systems-by-output", "--param", "modality=image", "--format", "table",
                 env={"COLUMNS": "80"})
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80, max(lines, key=len)
    words = " ".join(out.stdout.split())
    wide = invoke("query", "systems-by-output", "--param", "modality=image", "--format", "csv").stdout
    for row in csv.DictReader(io.StringIO(wide)):  # every word of every long cell is there, none cut off
        for word in row["statedBy"].split():
            assert word in words or any(word.startswith(w) for w in out.stdout.split()), word
    assert lines[-1] == "(7 rows)"


def test_help_does_not_import_rich():
    code = "import sys\nfrom genai_kg.cli import main\ntry:\n    main(['query', '--help'])\nexcept SystemExit:\n" \
           "    pass\nprint('rich' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False"
    assert "table" in done.stdout and "json-ld" in done.stdout  # --format's choices come from the registry


def test_markdown_rows_survive_carriage_returns_and_html(hostile_file):
    out = invoke("query", "systems-by-output", "--param", "modality=image", "--format", "md", "--store", "memory",
                 "--data", str(hostile_file))
    assert out.exit_code == 0, out.output
    lines = out.stdout.split("\n")[:-1]
    assert "\r" not in out.stdout
    assert all(line.startswith("| ") and line.endswith(" |") for line in lines[:1] + lines[2:])
    assert "<img" not in out.stdout and "&lt;img src=x onerror=alert(1)&gt; &amp; co" in out.stdout
    evil = [line for line in lines if "Evil" in line]
    assert len(evil) == 1 and "Evil \\| row" in evil[0]


# -- work before and after the clock ---------------------------------------------------------------------------
@contextlib.contextmanager
def hostile_endpoint(respond):
    """A server on 127.0.0.1 whose POSTs are answered by ``respond(handler, body, seen)``; yields (url, seen)."""
    seen: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen.append(body)
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                respond(self, body, seen)

        def log_message(self, *args):
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql", seen
    finally:
        server.shutdown()
        server.server_close()


def send(handler, body: bytes, ctype: str) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", ctype)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def timed(*args: str) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "genai_kg", *args], capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    return done, time.monotonic() - started


@pytest.mark.slow
def test_a_big_n_triples_answer_is_read_within_the_timeout():
    """8 MB of N-Triples: read in the sandbox, streamed and counted, within --timeout (it took 15-35 s)."""
    line = '<https://e/s%d> <https://e/p> "%s" .\n'
    body = "".join(line % (i, "x" * 40) for i in range(110_000)).encode()
    assert len(body) > 8_000_000
    with hostile_endpoint(lambda h, _b, _s: send(h, body, "application/n-triples")) as (url, _seen):
        done, seconds = timed("query", "--sparql", "CONSTRUCT WHERE { ?s ?p ?o }", "--endpoint", url,
                              "--timeout", "3", "--format", "nt")
    assert seconds < 3 + 6, seconds  # the command's own start-up on top of the 3 s
    if done.returncode == 0:
        assert done.stdout.count("\n") == 110_000
    else:
        assert len(done.stderr.strip().splitlines()) == 1 and "within 3 s" in done.stderr, done.stderr


@pytest.mark.slow
def test_rows_are_counted_while_an_endpoint_s_answer_is_read(monkeypatch):
    from genai_kg.endpoint import query_endpoint
    from genai_kg.errors import LimitExceeded
    from genai_kg.guard import limits

    rows = [{"s": {"type": "uri", "value": f"https://e/{i}"}} for i in range(5_000)]
    body = json.dumps({"head": {"vars": ["s"]}, "results": {"bindings": rows}}).encode()
    monkeypatch.setattr(limits, "LIMITS", limits.Limits(max_rows=1_000))
    with hostile_endpoint(lambda h, _b, _s: send(h, body, "application/sparql-results+json")) as (url, _seen), \
            pytest.raises(LimitExceeded, match="more than 1,000 result rows"):
        query_endpoint(url, "SELECT ?s WHERE { ?s ?p ?o }", timeout=10)


def huge_values_query(rows: int = 40_000, name: str = "x") -> str:
    values = " ".join(f'"v{i}"' for i in range(rows))
    return f"SELECT ?{name} WHERE {{ VALUES ?{name} {{ {values} }} }}"


@pytest.mark.slow
def test_preparing_a_huge_query_is_on_the_clock_locally(tmp_path):
    query = tmp_path / "huge.rq"
    query.write_text(huge_values_query(), encoding="utf-8")
    done, seconds = timed("query", str(query), "--store", "memory", "--timeout", "1")
    assert done.returncode != 0 and "timed out after 1 s" in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert seconds < 1 + 6, seconds


@pytest.mark.slow
def test_preparing_a_huge_query_is_on_the_clock_before_an_endpoint(tmp_path):
    """rdflib's parse before an endpoint (the second check, where its algebra could hold FROM: here a variable
    spelled ``?from``) runs on the clock; the same query without that spelling needs no rdflib parse and is
    sent and answered."""
    query = tmp_path / "huge.rq"
    query.write_text(huge_values_query(name="from"), encoding="utf-8")
    empty = json.dumps({"head": {"vars": ["from"]}, "results": {"bindings": []}}).encode()
    with hostile_endpoint(lambda h, _b, _s: send(h, empty, "application/sparql-results+json")) as (url, seen):
        done, seconds = timed("query", str(query), "--endpoint", url, "--timeout", "1")
    assert done.returncode != 0 and "timed out after 1 s" in done.stderr, done.stderr
    assert seconds < 1 + 6, seconds
    assert seen == []  # the clock ran out before anything was sent
    query.write_text(huge_values_query(), encoding="utf-8")
    empty = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": []}}).encode()
    with hostile_endpoint(lambda h, _b, _s: send(h, empty, "application/sparql-results+json")) as (url, seen):
        done, _ = timed("query", str(query), "--endpoint", url, "--timeout", "20")
    assert done.returncode == 0 and b"v39999" in seen[0], done.stderr  # (then a follow-up: the answer was empty)


@pytest.mark.slow  # waits out a deadline
@pytest.mark.parametrize("where", ["oxigraph", "endpoint"])
def test_reading_a_huge_query_in_this_process_is_on_the_clock(tmp_path, where):
    """Before any child is forked, the package's own passes over the text (update check, query form, the
    lexer, binding, prefixes) ran in this process off the clock: 9 MB of VALUES took 12-14 s with
    --timeout 1. They are linear, and now under the same deadline."""
    query = tmp_path / "huge.rq"
    query.write_text(huge_values_query(1_000_000), encoding="utf-8")
    empty = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": []}}).encode()
    with hostile_endpoint(lambda h, _b, _s: send(h, empty, "application/sparql-results+json")) as (url, seen):
        target = ["--endpoint", url] if where == "endpoint" else ["--store", "oxigraph"]
        done, seconds = timed("query", str(query), *target, "--timeout", "1")
    assert done.returncode == 4 and "timed out after 1 s" in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert seconds < 1 + 4, seconds
    assert seen == []


def test_a_deadline_inside_a_later_one_gives_it_back_its_time():
    import signal

    from genai_kg.errors import TimedOut
    from genai_kg.guard.deadline import time_limit

    with pytest.raises(TimedOut, match="outer: timed out after 1.5 s"), time_limit(1.5, where="outer"):
        with time_limit(0.2, where="inner"):
            pass
        assert 1.0 < signal.getitimer(signal.ITIMER_REAL)[0] <= 1.5  # the outer clock runs on
        with time_limit(5, where="inner"):  # a later inner deadline leaves the outer one in charge
            time.sleep(3)
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_a_deadline_that_fires_before_its_block_starts_leaves_no_timer_behind():
    """A deadline shorter than the time it takes to arm it: the alarm comes before the block begins. The clock
    and the handler are taken down all the same (a repeating timer left armed used to fire into later code)."""
    import signal

    from genai_kg.errors import TimedOut
    from genai_kg.guard.deadline import time_limit

    handler = signal.getsignal(signal.SIGALRM)
    for _ in range(300):
        with contextlib.suppress(TimedOut), time_limit(1e-6, where="tiny"):
            time.sleep(0.001)
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        assert signal.getsignal(signal.SIGALRM) is handler
    time.sleep(0.05)  # no stray alarm arrives later


@pytest.mark.slow
def test_follow_up_queries_share_what_is_left_of_the_timeout():
    """An empty answer, then a server that never answers the "which graphs hold data" follow-ups: the
    command ends at its --timeout (each follow-up used to wait 10 s)."""
    empty = json.dumps({"head": {"vars": ["s"]}, "results": {"bindings": []}}).encode()

    def respond(handler, _body, seen):
        if len(seen) == 1:
            send(handler, empty, "application/sparql-results+json")
        else:
            time.sleep(30)

    with hostile_endpoint(respond) as (url, seen):
        done, seconds = timed("query", "--sparql", "SELECT ?s WHERE { ?s ?p ?o }", "--endpoint", url,
                              "--timeout", "3", "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "s"
    assert seconds < 3 + 6, seconds
    assert len(seen) <= 2
