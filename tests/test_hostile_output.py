"""Output that cannot hurt: control characters escaped on a terminal, CSV defused for spreadsheets, files
written atomically with the right mode, recursive writers bounded, XML refusing what it cannot carry.

Each case asserts the exit code, the one-line message, the time taken, that no file is left behind, that
the 127.0.0.1 listener was never contacted, and that no byte of a private file appears in any output
(helpers in tests/_hostile.py, fixtures in conftest.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from _hostile import (
    PREFIXES,
    QUICK,
    SOURCE,
    leftovers,
    refused,
    run,
    write,
)

from genai_kg.cliopts import EXIT_TIMEOUT

# -- output that cannot hurt -----------------------------------------------------------------------------
HOSTILE_LABEL = "Evil\\u001B]0;pwned\\u0007\\u001B[2J\\u009B31m\\u202Eitxet"


def hostile_data(folder: Path) -> Path:
    return write(folder, "evil.ttl", PREFIXES + f'gkg:Evil a owl:Class ; rdfs:subClassOf gkg:LargeLanguageModel ;'
                 f' rdfs:label "{HOSTILE_LABEL}" ; rdfs:comment "=HYPERLINK(\\"http://x\\")" .\n')


def on_a_terminal(*args: str, cwd: Path) -> tuple[int, bytes]:
    """Run the command with stdout and stderr on a pseudo-terminal; return (exit code, what it showed)."""
    import pty

    controller, terminal = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "genai_kg", *args], cwd=cwd, stdout=terminal, stderr=terminal,
                            env={**os.environ, "PYTHONWARNINGS": "ignore", "PYTHONPATH": SOURCE})
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    return proc.wait(timeout=60), shown


EVIL_LABEL = "SELECT ?l WHERE { ?s rdfs:label ?l FILTER(STRSTARTS(?l, 'Evil')) }"


@pytest.mark.parametrize("command", [["describe", "gkg:Evil"], ["query", "--sparql", EVIL_LABEL]])
def test_control_characters_from_data_are_shown_escaped_on_a_terminal(work, command):
    hostile_data(work)
    code, shown = on_a_terminal(*command, "--data", "evil.ttl", cwd=work)
    assert code == 0, shown
    assert b"\x1b" not in shown and b"\x07" not in shown and b"\xc2\x9b" not in shown
    assert "\u202e".encode() not in shown
    assert b"Evil\\x1b]0;pwned\\x07" in shown


def test_a_pipe_gets_the_data_as_it_is(work):
    hostile_data(work)
    result = run("query", "--format", "json", "--data", "evil.ttl", "--sparql", EVIL_LABEL, cwd=work)
    assert result.code == 0, result.err
    assert json.loads(result.out)["results"]["bindings"][0]["l"]["value"].startswith("Evil\x1b]0;pwned\x07")


def test_control_characters_in_error_messages_are_always_escaped(work):
    result = run("describe", "\x1b]0;pwned\x07\x1b[2A", cwd=work)
    refused(result, "\\x1b]0;pwned\\x07")
    assert "\x1b" not in result.err and "\x07" not in result.err


def test_csv_cells_are_defused_for_spreadsheets(work):
    hostile_data(work)
    sparql = "SELECT ?c (-2 AS ?n) WHERE { ?s rdfs:comment ?c FILTER(STRSTARTS(?c, '=')) }"
    safe = run("query", "--format", "csv", "--data", "evil.ttl", "--sparql", sparql, cwd=work)
    assert safe.code == 0, safe.err
    assert safe.out.splitlines()[1] == '"\'=HYPERLINK(""http://x"")",-2'
    raw = run("query", "--format", "csv", "--raw-cells", "--data", "evil.ttl", "--sparql", sparql, cwd=work)
    assert raw.out.splitlines()[1] == '"=HYPERLINK(""http://x"")",-2'


def test_compare_csv_is_defused_too(work):
    write(work, "f.ttl", PREFIXES + '@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n'
          'gkg:LargeLanguageModel skos:definition "@SUM(1+1)*cmd"@en .\n')
    result = run("compare", "LLM", "generative AI", "--format", "csv", "--data", "f.ttl", cwd=work)
    assert result.code == 0, result.err
    assert "'@SUM(1+1)*cmd" in result.out
    assert ",@SUM" not in result.out and "\n@" not in result.out


def test_docs_never_writes_through_a_symlink_in_its_folder(work):
    victim = write(work, "victim.txt", "keep me\n")
    (work / "site").mkdir()
    (work / "site" / "index.html").symlink_to(victim)
    result = run("docs", "-o", "site", cwd=work)
    assert result.code == 0, result.err
    assert victim.read_text(encoding="utf-8") == "keep me\n"
    assert not (work / "site" / "index.html").is_symlink()
    assert [p.name for p in (work / "site").iterdir() if p.name.startswith(".")] == []


def test_a_failed_docs_leaves_nothing_behind(work, hostile_big_file):
    result = run("docs", "-o", "deep/er/site", "--data", str(hostile_big_file), "--store", "oxigraph",
                 "--timeout", "0.5", cwd=work)
    refused(result, "timed out", limit=QUICK * 2, code=EXIT_TIMEOUT)
    assert leftovers(work) == []


@pytest.mark.parametrize(("umask", "before", "after"), [(0o077, 0o600, 0o600), (0o077, None, 0o600),
                                                          (0o022, None, 0o644), (0o022, 0o640, 0o640)])
def test_output_keeps_a_files_mode_and_honours_the_umask(work, umask, before, after):
    out = work / "out.csv"
    if before is not None:
        out.write_text("old\n", encoding="utf-8")
        out.chmod(before)
    old = os.umask(umask)
    try:
        result = run("query", "families", "--format", "csv", "-o", "out.csv", cwd=work)
    finally:
        os.umask(old)
    assert result.code == 0, result.err
    assert out.stat().st_mode & 0o777 == after


@pytest.mark.parametrize("command", [["export", "--format", "xml"], ["query", "--rdf-format", "xml", "--sparql",
                                     "CONSTRUCT WHERE { <https://w3id.org/genai-kg/Bell> ?p ?o }"]])
def test_rdfxml_refuses_characters_xml_cannot_carry(work, command):
    write(work, "bell.ttl", PREFIXES + 'gkg:Bell rdfs:label "ding\\u0007dong" .\n')
    result = run(*command, "--data", "bell.ttl", "-o", "out.rdf", cwd=work)
    refused(result, "U+0007", "use ttl")
    assert leftovers(work, "bell.ttl") == []


# -- beyond the examples ---------------------------------------------------------------------------------
def nested_blank_nodes(depth: int) -> str:
    return "<http://e/s> <http://e/p> " + "[ <http://e/p> " * depth + '"x"' + " ]" * depth + " .\n"


@pytest.mark.parametrize("fmt", ["ttl", "json-ld"])
def test_deeply_nested_blank_nodes_in_recursive_writers(work, fmt):
    write(work, "deep.ttl", nested_blank_nodes(3000))
    result = run("export", "--format", fmt, "--data", "deep.ttl", "--store", "oxigraph", cwd=work)
    refused(result, "nest too deeply", "use nt")


def test_canonical_n_triples_of_a_blank_node_chain_is_bounded(work):
    """RDFC-1.0 took 19 s on a 400-long chain of blank nodes and crashed on 20,000: such graphs are written
    with sorted lines but arbitrary labels."""
    write(work, "deep.ttl", nested_blank_nodes(3000))
    result = run("export", "--format", "nt", "--data", "deep.ttl", "--store", "oxigraph", cwd=work)
    assert result.code == 0, result.err
    assert result.seconds < QUICK
    assert len([line for line in result.out.splitlines() if line.startswith("_:")]) >= 3000


def test_docs_with_long_and_look_alike_names(work):
    """A 300-character local name made a file name the file system refused (exit 3, half a folder); 3,000
    non-Latin names that all read ``___`` cost a quadratic search for free names."""
    lines = [PREFIXES, f"gkg:{'a' * 300} a owl:Class ."]
    lines += [f"gkg:{chr(0x3b1 + i % 20)}{chr(0x3b1 + i // 20 % 20)}{chr(0x3b1 + i // 400)} a owl:Class ."
              for i in range(3000)]
    write(work, "names.ttl", "\n".join(lines) + "\n")
    result = run("docs", "-o", "site", "--data", "names.ttl", cwd=work)
    assert result.code == 0, result.err
    assert result.seconds < QUICK
    assert max(len(p.name) for p in (work / "site").iterdir()) <= 120


def test_library_warnings_never_reach_stderr_raw(work):
    """rdflib warned "... does not look like a valid URI" with the value's control characters, over lines."""
    result = run("query", "--format", "csv", "--sparql", "SELECT * WHERE { ?s ?p ?x }",
                 "--param", "x=a\x1b[2J\r} SERVICE <http://127.0.0.1:9/v> { } #", cwd=work)
    assert result.code == 0, result.err
    assert result.err == ""
    assert sorted(result.out.strip().split(",")) == ["p", "s", "x"]


@pytest.mark.parametrize(
    "args",
    [
        ["export", "--graph-format", "graphml"],
        ["export", "--graph-format", "gexf"],
        ["query", "--sparql", "SELECT ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }", "--format",
         "xml"],
    ],
)
def test_xml_outputs_refuse_characters_xml_cannot_carry(tmp_path, args):
    """A label with U+0001 cannot be written as XML 1.0: one line naming the character, nothing written."""
    (tmp_path / "bell.ttl").write_text(
        '<https://example.org/x> <http://www.w3.org/2000/01/rdf-schema#label> "bell\\u0001ringer" .\n',
        encoding="utf-8",
    )
    out = tmp_path / "out.xml"
    refused(run(*args, "--data", "bell.ttl", "-o", str(out), cwd=tmp_path), "U+0001", "XML cannot carry")
    assert not out.exists()
