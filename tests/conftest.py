"""Fixtures shared by every test module: the bundled graph, and one finder for each real component.

The components are the programs the tests drive for real: the Oxigraph server, Virtuoso
(virtuoso-opensource), rapper (raptor2-utils), Java (HermiT through owlready2) and Chromium (through
Playwright). ``./scripts/test`` installs them all. A
finder that cannot find its component skips the test with a message naming it and how to install it; when
the environment variable ``CI`` is set (to anything non-empty) the test fails with that message instead, so
a green CI has run every test.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from genai_kg import load

#: A script the OWL API tests run in a process of their own (it starts a JVM on import): not a test module.
collect_ignore = ["owlapi_probe.py"]

CHROMIUM = "/usr/bin/chromium"

#: Fixtures that start a server, a reasoner or another RDF/OWL tool over whole exports (rapper; py-horned-owl and
#: owlready2 on the OWL files; two full loads and exports): a test that uses one (directly or through another
#: fixture) is marked ``slow`` here, so ``./scripts/test -m "not slow"`` (the quick loop) leaves it out without
#: every module repeating the mark. Installs, release builds over the history, pySHACL over the whole graph,
#: sweeps and waits for a deadline carry the mark in their modules. Every browser test is slow too (34 on the
#: bundled graph took ~21 s of the quick loop's ~195 s): ``./scripts/test -m "not slow or browser"`` runs the
#: quick loop with them.
SLOW_FIXTURES = frozenset(
    {"oxigraph_server", "cors_oxigraph", "virtuoso_server", "hermit", "rapper", "owl_files", "two_loads"}
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if SLOW_FIXTURES & fixtures or "chromium" in fixtures or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


def missing(component: str, install: str):
    """Skip (or, with ``CI`` set, fail) the running test: ``component`` is not installed; ``install`` says how."""
    message = f"{component} is not installed: {install}"
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI is set, so a missing component fails instead of skipping)", pytrace=False)
    pytest.skip(f"{message} (skipped because CI is not set)")


#: The source documents the graph is built from: ``shared/sources`` beside the checkout (where CI puts a copy),
#: or wherever GENAI_KG_SOURCES points.
SOURCES = Path(os.environ.get("GENAI_KG_SOURCES") or Path(__file__).resolve().parents[2] / "shared" / "sources")
#: The bundled ontology files, parsed by the tests that read the Turtle itself rather than through the package.
ONTOLOGY_FILES = ("genai-kg.ttl", "individuals.ttl", "presentation.ttl")


@functools.lru_cache(maxsize=1)
def ontology_graph():
    """The bundled Turtle files parsed once with rdflib's parser, shared by every test module (do not modify)."""
    from rdflib import Graph

    g = Graph()
    for name in ONTOLOGY_FILES:
        g.parse(Path(__file__).resolve().parents[1] / "ontology" / name, format="turtle")
    return g


@pytest.fixture(scope="session")
def sources() -> Path:
    """The source documents' folder; missing: a skip, or with CI set a failure."""
    if not SOURCES.is_dir():
        missing("the source documents (shared/sources beside the checkout)", "set GENAI_KG_SOURCES to their folder")
    return SOURCES


def program(name: str) -> str | None:
    """The path of an executable: on PATH, else next to this Python (the venv's bin, where pip puts it)."""
    found = shutil.which(name)
    if found:
        return found
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.is_file() and os.access(beside, os.X_OK) else None


def free_port() -> int:
    """A TCP port free on loopback right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, seconds: float, what: str) -> None:
    """Poll ``url`` until it answers 200; fail naming ``what`` if ``proc`` exits or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"{what} did not start ({url})", pytrace=False)
            time.sleep(0.2)


@contextlib.contextmanager
def serving(*args: str, ready: str = "/", what: str = "genai-kg serve"):
    """``genai-kg serve ARGS`` as a real process on a free loopback port: its base URL, once ``ready`` answers."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "genai_kg", "serve", "--port", str(port), *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}{ready}", proc, 60, what)
        yield base
    finally:
        proc.kill()
        proc.wait(timeout=10)


# -- the bundled graph -----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def bundled():
    """The bundled graph on the default store (Oxigraph, as users get it), loaded once per session: read it,
    never change it."""
    return load()


@pytest.fixture(scope="session")
def bundled_memory():
    """The bundled graph on rdflib's memory store, loaded once per session: read it, never change it."""
    return load(store="memory")


@pytest.fixture(scope="session")
def kg(bundled):
    """The graph a test reads: the bundled one, unless its module overrides ``kg`` with its own data."""
    return bundled


# -- the real components ---------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def oxigraph():
    """The path of the Oxigraph server program."""
    exe = program("oxigraph")
    if exe is None:
        missing("the Oxigraph server (oxigraph)", "pip install oxigraph (in the test extras: pip install -e '.[test]')")
    return exe


@pytest.fixture(scope="session")
def oxigraph_server(oxigraph):
    """``oxigraph_server(folder)``: a block with a real Oxigraph server on a free loopback port, storing in
    ``folder``; it yields ``(process, query_url, update_url)`` once the server answers, and kills the server
    (by its own pid) when the block ends."""

    @contextlib.contextmanager
    def serve(folder):
        port = free_port()
        proc = subprocess.Popen(
            [oxigraph, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(f"{base}/query?query=ASK%7B%7D", proc, 20, "oxigraph serve")
            yield proc, f"{base}/query", f"{base}/update"
        finally:
            proc.kill()
            proc.wait(timeout=10)

    return serve


@pytest.fixture(scope="module")
def cors_oxigraph(oxigraph, tmp_path_factory):
    """A real Oxigraph server with CORS on (``oxigraph serve --cors``) holding the bundled graph in its default
    graph, for pages that read it from the browser: its origin, ``http://127.0.0.1:PORT`` (query at /query)."""
    from click.testing import CliRunner

    from genai_kg.cli import main

    folder = tmp_path_factory.mktemp("oxi")
    data = folder / "bundled.nt"
    exported = CliRunner().invoke(main, ["export", "--format", "nt"])
    assert exported.exit_code == 0, exported.output
    data.write_text(exported.output, encoding="utf-8")
    subprocess.run([oxigraph, "load", "--location", str(folder / "store"), "--file", str(data)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = free_port()
    proc = subprocess.Popen([oxigraph, "serve", "--location", str(folder / "store"), "--bind", f"127.0.0.1:{port}",
                             "--cors"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", proc, 30, "oxigraph serve --cors")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.kill()
        proc.wait(timeout=10)


VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
#: The keys of Debian's virtuoso.ini that name files: they move into the test's own folder.
_VIRTUOSO_FILES = {"DatabaseFile", "ErrorLogFile", "LockFile", "TransactionFile", "xa_persistent_file"}


def virtuoso_ini(text: str, folder: Path, sql_port: int, http_port: int) -> str:
    """Debian's virtuoso.ini with every database file in ``folder`` and both servers on loopback ports."""
    lines, section = [], ""
    for line in text.splitlines():
        header = re.match(r"\s*\[([^\]]+)\]", line)
        section = header[1] if header else section
        key = re.match(r"\s*(\w+)\s*=\s*(\S*)", line)
        if key and section in ("Database", "TempDatabase") and key[1] in _VIRTUOSO_FILES:
            line = f"{key[1]} = {folder / Path(key[2]).name}"
        elif key and key[1] == "ServerPort" and section in ("Parameters", "HTTPServer"):
            line = f"ServerPort = 127.0.0.1:{sql_port if section == 'Parameters' else http_port}"
        elif key and key[1] == "DirsAllowed":
            line = f"DirsAllowed = ., {folder}"
        lines.append(line)
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="session")
def virtuoso():
    """The paths of Virtuoso's server and its isql client, with Debian's virtuoso.ini beside them."""
    server, isql = program("virtuoso-t"), program("isql-vt")
    if server is None or isql is None or not VIRTUOSO_INI.is_file():
        missing("Virtuoso (virtuoso-t, isql-vt, /etc/virtuoso-opensource-7)", "apt-get install virtuoso-opensource")
    return server, isql


class VirtuosoUrls(tuple):
    """``(query_url, update_url)``, with ``.sql(statement)`` running one SQL statement as ``dba`` through isql."""

    sql: Any


def _isql(isql: str, sql_port: int, statement: str) -> None:
    done = subprocess.run([isql, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={statement}"],
                          capture_output=True, text=True, timeout=120)
    if done.returncode != 0 or "Error" in done.stdout + done.stderr:
        pytest.fail(f"isql could not run {statement!r}: {done.stdout} {done.stderr}", pytrace=False)


@pytest.fixture(scope="session")
def virtuoso_server(virtuoso, tmp_path_factory):
    """One real Virtuoso for the whole session, on loopback in a temporary folder: ``(query_url, update_url)``.

    Debian's virtuoso.ini is copied with its database, transaction and log files moved into the folder and
    both ports (SQL and HTTP) bound to 127.0.0.1; ``virtuoso-t -f`` makes a fresh database there, whose
    ``dba`` password is ``dba``. isql then grants SPARQL_UPDATE to the ``SPARQL`` user, so ``/sparql``
    takes updates without credentials, and adds the rule that text-indexes every literal (``bif:contains``;
    ``.sql("DB.DBA.VT_INC_INDEX_DB_DBA_RDF_OBJ ();")`` indexes what was loaded). The server is killed by its own
    pid when the session ends.
    """
    server, isql = virtuoso
    folder = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(virtuoso_ini(VIRTUOSO_INI.read_text(), folder, sql_port, http_port), encoding="utf-8")
    url = f"http://127.0.0.1:{http_port}/sparql"
    with open(folder / "console.log", "wb") as log:
        proc = subprocess.Popen([server, "-f", "-c", str(ini)], cwd=folder, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(f"{url}?query=ASK%7B%7D", proc, 120, f"virtuoso-t (log: {folder / 'console.log'})")
        urls = VirtuosoUrls((url, url))
        urls.sql = lambda statement: _isql(isql, sql_port, statement)
        urls.sql('grant SPARQL_UPDATE to "SPARQL";')
        # literals text-indexed (bif:contains), as a site with a text index has them: VT_INC_INDEX after a load
        urls.sql("DB.DBA.RDF_OBJ_FT_RULE_ADD (null, null, 'All');")
        yield urls
    finally:
        proc.kill()
        proc.wait(timeout=30)


@pytest.fixture(scope="session")
def rapper():
    """The path of rapper, raptor2's independent RDF parser."""
    exe = program("rapper")
    if exe is None:
        missing("rapper", "apt-get install raptor2-utils")
    return exe


@pytest.fixture(scope="session")
def hermit():
    """owlready2, checked able to run its bundled HermiT reasoner (which needs a Java runtime)."""
    try:
        import owlready2
    except ImportError:
        missing("owlready2 (HermiT)", "pip install owlready2 (in the test extras: pip install -e '.[test]')")
    java = shutil.which(owlready2.JAVA_EXE) or shutil.which("java")
    if java is None:
        missing("Java (HermiT needs a Java runtime)", "apt-get install default-jre-headless")
    owlready2.JAVA_EXE = java
    return owlready2


@pytest.fixture(scope="session")
def chromium():
    """The path of Chromium, checked drivable through Playwright."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing("Playwright", "pip install playwright (in the test extras: pip install -e '.[test]')")
    exe = CHROMIUM if Path(CHROMIUM).is_file() else shutil.which("chromium")
    if exe is None:
        missing(f"Chromium ({CHROMIUM})", "apt-get install chromium")
    return exe


#: How every browser test starts Chromium: headless, and never reaching the network on its own.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def browser(chromium):
    """One headless Chromium per test module, driven through Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# -- hostile input (tests/test_hostile_*.py; helpers in tests/_hostile.py) ------------------------------------
@pytest.fixture
def listener():
    """An HTTP server on 127.0.0.1 that records every request: a test asserts nothing reached it."""
    from _hostile import Listener

    server = Listener()
    yield server
    server.close()


@pytest.fixture
def work(tmp_path):
    """A working folder holding a private file whose content must never appear in any output."""
    from _hostile import SECRET_TOKEN

    secret = tmp_path / "private.txt"
    secret.write_text(f"{SECRET_TOKEN}\n", encoding="utf-8")
    secret.chmod(0o600)
    return tmp_path


@pytest.fixture
def small_limits(monkeypatch):
    """``small_limits(max_rows=10, ...)`` lowers the guard's limits for this test."""
    import dataclasses

    from genai_kg import guard

    def use(**changes):
        monkeypatch.setattr(guard.limits, "LIMITS", dataclasses.replace(guard.limits.LIMITS, **changes))

    return use


@pytest.fixture(scope="session")
def hostile_big_file(tmp_path_factory):
    """A Turtle file that makes every command work for seconds (tests/_hostile.py: write_big_file)."""
    from _hostile import write_big_file

    return write_big_file(tmp_path_factory.mktemp("big"))


def results_records(text: str) -> list[dict[str, str]]:
    """W3C SPARQL 1.1 JSON results as one dict per row (variable -> the term's value), after checking the
    format's shape: ``head.vars`` always, every binding a term with ``type`` and ``value`` under a variable
    of the head."""
    import json

    data = json.loads(text)
    names = data["head"]["vars"]
    assert isinstance(names, list) and all(isinstance(n, str) and n for n in names)
    records = []
    for binding in data["results"]["bindings"]:
        assert set(binding) <= set(names), (binding, names)
        for term in binding.values():
            assert term["type"] in ("uri", "literal", "bnode") and isinstance(term["value"], str), term
        records.append({n: binding[n]["value"] for n in names if n in binding})
    return records
