"""Fixtures shared by every test module: the bundled graph, and one finder for each real component.

The components are the programs the tests drive for real: the Oxigraph server, rapper (raptor2-utils),
Java (HermiT through owlready2) and Chromium (through Playwright). ``./scripts/test`` installs them all. A
finder that cannot find its component skips the test with a message naming it and how to install it; when
the environment variable ``CI`` is set (to anything non-empty) the test fails with that message instead, so
a green CI has run every test.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from genai_kg import load

CHROMIUM = "/usr/bin/chromium"


def missing(component: str, install: str):
    """Skip (or, with ``CI`` set, fail) the running test: ``component`` is not installed; ``install`` says how."""
    message = f"{component} is not installed: {install}"
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI is set, so a missing component fails instead of skipping)", pytrace=False)
    pytest.skip(f"{message} (skipped because CI is not set)")


def program(name: str) -> str | None:
    """The path of an executable: on PATH, else next to this Python (the venv's bin, where pip puts it)."""
    found = shutil.which(name)
    if found:
        return found
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.is_file() and os.access(beside, os.X_OK) else None


# -- the bundled graph -----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def bundled():
    """The bundled graph on the memory store, loaded once per session: read it, never change it."""
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
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        proc = subprocess.Popen(
            [oxigraph, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 20
            while True:
                try:
                    urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).read()
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        pytest.fail(f"oxigraph serve did not start on {base}", pytrace=False)
                    time.sleep(0.1)
            yield proc, f"{base}/query", f"{base}/update"
        finally:
            proc.kill()
            proc.wait(timeout=10)

    return serve


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
