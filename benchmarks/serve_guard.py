"""What ``genai-kg serve --endpoint URL`` adds to each explorer query, before and after, in one run.

The page's own query texts (a claim's citations, a node's summary, a first page of a group, a search;
recorded from the page in Chromium) go to an Oxigraph server holding the bundled graph, directly and through
what ``serve`` runs for each (:func:`genai_kg.pipeline.run_query` with the server's pool of guarded
workers, then the answer written as SPARQL JSON). "before" restores, in this process, the three costs found:
rdflib's parse as the second check of every text (pure Python, ~50 µs a character), the answer read in a
child forked per query (~25 ms), and the lexer run again by each text check (~7 passes). "after" is the code
as it is. Every check still runs in both; only where and how often differs.

    python benchmarks/serve_guard.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LLM = "large language model"
#: What the page is asked to do, and the name each request is recorded under.
STEPS = [
    ("claim", f"window.genaiKg.claim('{LLM}', 'subclass of', 'generative AI')"),  # before its ends are clicked
    ("summary", f"window.genaiKg.expand('{LLM}')"),
    ("page", f"window.genaiKg.more('{LLM}', 'has application')"),
    ("search", "window.genaiKg.lookup('Anthro')"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def oxigraph_server(folder: Path):
    """The bundled graph in an Oxigraph server with CORS on: its query URL."""
    data = folder / "bundled.nt"
    subprocess.run([sys.executable, "-m", "genai_kg", "export", "--format", "nt", "-o", str(data)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(["oxigraph", "load", "--location", str(folder / "store"), "--file", str(data)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = free_port()
    proc = subprocess.Popen(["oxigraph", "serve", "--location", str(folder / "store"), "--bind", f"127.0.0.1:{port}",
                             "--cors"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=5).read()
                break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        proc.kill()
        proc.wait()


def page_texts(url: str, folder: Path) -> list[tuple[str, str]]:
    """The query texts the explorer sends for each step (``view --endpoint`` read in Chromium)."""
    from playwright.sync_api import sync_playwright

    page_file = folder / "endpoint.html"
    subprocess.run([sys.executable, "-m", "genai_kg", "view", "--endpoint", url, "-o", str(page_file)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    texts: list[tuple[str, str]] = []
    step = ["opening"]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context()
        context.on("request", lambda r: r.method == "POST" and texts.append(
            (step[0], urllib.parse.parse_qs(r.post_data or "")["query"][0])))
        page = context.new_page()
        page.goto(page_file.resolve().as_uri())
        page.evaluate("window.genaiKg.ready")
        for name, call in STEPS:
            step[0] = name
            page.evaluate(call)
        browser.close()
    first = {}
    for name, text in texts:
        if name == "search":  # the search itself, after the one probe for a text index
            first[name] = text
        first.setdefault(name, text)  # a step's first request (a summary is followed by the pages it opens)
    return [(name, first[name]) for name, _ in STEPS]


def timed(call, rounds: int) -> tuple[float, float]:
    call()
    values = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        values.append((time.perf_counter() - start) * 1000)
    values.sort()
    return statistics.median(values), values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


@contextmanager
def before():
    """The three costs as they were: rdflib's parse of every text, a fork per answer, a lexer pass per check."""
    from genai_kg import pipeline, sparql
    from genai_kg.endpoint import client

    saved = pipeline.rdflib_may_fetch, client.POOLED_ANSWER, sparql._KEPT_TEXT
    pipeline.rdflib_may_fetch, client.POOLED_ANSWER, sparql._KEPT_TEXT = (lambda text: True), -1, -1
    try:
        yield
    finally:
        pipeline.rdflib_may_fetch, client.POOLED_ANSWER, sparql._KEPT_TEXT = saved


def measure(url: str, texts: list[tuple[str, str]], rounds: int) -> dict[str, dict[str, tuple[float, float]]]:
    from genai_kg import pipeline
    from genai_kg.answers import QueryResult
    from genai_kg.catalog import parse_query_text
    from genai_kg.graph import load

    kg = load(store="memory")
    remote = pipeline.Remote(url, None, None)
    found: dict[str, dict[str, tuple[float, float]]] = {name: {} for name, _ in texts}

    def direct(text: str) -> None:
        body = urllib.parse.urlencode({"query": text}).encode()
        request = urllib.request.Request(url, data=body, headers={"Accept": "application/sparql-results+json"})
        urllib.request.urlopen(request, timeout=30).read()

    for name, text in texts:
        found[name]["direct"] = timed(lambda text=text: direct(text), rounds)
    for label, context in (("before", before), ("after", _nothing)):
        with context():
            pool = pipeline.query_pool(kg.graph, size=3)  # forked now: the workers see the code as patched
            try:
                def serve(text: str, pool=pool) -> None:
                    named = parse_query_text(text, "<request>")
                    answer = pipeline.run_query(kg.graph, named, {}, resolve=kg.resolve_term, remote=remote, pool=pool)
                    QueryResult(answer, kg.graph).serialize(format="json", raw_cells=True)

                for name, text in texts:
                    found[name][label] = timed(lambda text=text: serve(text), rounds)
            finally:
                pool.close()
    return found


@contextmanager
def _nothing():
    yield


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="timed runs per text and variant")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="serve-guard-") as tmp, oxigraph_server(Path(tmp)) as url:
        texts = page_texts(url, Path(tmp))
        found = measure(url, texts, args.rounds)
    print("query    chars | ms median/p95: Oxigraph direct | serve before | serve after | before/after (median, p95)")
    for name, text in texts:
        d, b, a = (found[name][k] for k in ("direct", "before", "after"))
        print(f"{name:8} {len(text):5} | {d[0]:6.1f} {d[1]:6.1f} | {b[0]:6.1f} {b[1]:6.1f} | {a[0]:6.1f} {a[1]:6.1f}"
              f" | {b[0] / a[0]:5.1f}x {b[1] / a[1]:5.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
