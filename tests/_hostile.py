"""Shared helpers for the hostile-input tests (tests/test_hostile_*.py): how a command is run (in a subprocess
as a user's shell would, or in-process through CliRunner), what a refusal looks like, a 127.0.0.1 listener
that records every request, and the private file that must never leak. Fixtures built on them (``work``,
``listener``, ``small_limits``, ``hostile_big_file``) live in conftest.py.
"""

from __future__ import annotations

import dataclasses
import http.server
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from click.testing import CliRunner

import genai_kg
from genai_kg import guard
from genai_kg.cli import main
from genai_kg.cliopts import EXIT_BAD_INPUT

STORES = ["memory", "oxigraph"]
SECRET_TOKEN = "PRIVATE-7f3a9c-do-not-leak"
#: Start-up of ``python -m genai_kg`` with the bundled graph is ~1-2 s; a refused input adds little to it.
QUICK = 20.0

#: The package under test, for the commands run in a subprocess from another folder.
SOURCE = os.pathsep.join([str(Path(genai_kg.__file__).parents[1]), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
RDF_NS = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/"'
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


# -- running commands --------------------------------------------------------------------------------------------
@dataclasses.dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float

    @property
    def text(self) -> str:
        return self.out + self.err


def run(*args: str, cwd: Path, timeout: float = 60, env: dict | None = None) -> Run:
    """``python -m genai_kg ARGS`` in ``cwd``; bounded in time."""
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "genai_kg", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONWARNINGS": "ignore", "PYTHONPATH": SOURCE, **(env or {})},
    )
    return Run(proc.returncode, proc.stdout, proc.stderr, time.monotonic() - start)


def refused(result: Run, *fragments: str, limit: float = QUICK, code: int = EXIT_BAD_INPUT) -> None:
    """Exit ``code`` (2, bad input, unless told), one ``Error:`` line holding each fragment, no traceback,
    within ``limit`` seconds."""
    assert result.code == code, result.text
    assert "Traceback" not in result.text
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert result.seconds < limit, f"took {result.seconds:.1f} s"


class Listener:
    """An HTTP server on 127.0.0.1 that records every request; GET /ctx.jsonld answers a JSON-LD context."""

    def __init__(self):
        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self):
                hits.append(f"{self.command} {self.path}")
                if self.path.endswith("ctx.jsonld"):
                    body = json.dumps({"@context": {"name": "http://example.org/name"}}).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/ld+json")
                else:
                    body = b"no"
                    self.send_response(400)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.timeout = 1
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def no_leak(result: Run) -> None:
    assert SECRET_TOKEN not in result.text


def leftovers(folder: Path, *expected: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in {"private.txt", *expected})


def cli(*args: str):
    start = time.monotonic()
    result = CliRunner().invoke(main, list(args))
    return Run(result.exit_code, result.stdout, result.stderr, time.monotonic() - start)


NO_NAMESPACE = {guard.sandbox.NO_NAMESPACE_ENV: "1"}
PREFIXES = (
    "@prefix gkg: <https://w3id.org/genai-kg/> .\n@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def write_big_file(folder: Path) -> Path:
    """20,000 classes, 20,000 comparison aspects and 20,000 statements about one term: seconds of work for
    each command, so a short --timeout must stop it."""
    lines = [PREFIXES]
    lines += [f"gkg:K{i} a owl:Class ; rdfs:subClassOf gkg:LargeLanguageModel ; rdfs:label \"k {i}\" ."
              for i in range(20_000)]
    lines += [f"gkg:A{i} a gkg:ComparisonAspect ; gkg:aspectProperty gkg:p{i} ." for i in range(20_000)]
    lines += [f"gkg:Hub gkg:links gkg:K{i} ." for i in range(20_000)]
    return write(folder, "big.ttl", "\n".join(lines) + "\n")


def billion_laughs(levels: int = 9, reverse: bool = False) -> str:
    decls = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, levels + 1)
    ]
    if reverse:  # declared top-down, so that sizes are only known at the end of the DTD
        decls.reverse()
    body = f'<rdf:Description rdf:about="http://example.org/s"><ex:p>&l{levels};</ex:p></rdf:Description>'
    dtd = "\n".join(decls)
    return f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n{dtd}\n]>\n<rdf:RDF {RDF_NS}>{body}</rdf:RDF>\n'
