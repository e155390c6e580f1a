"""Hostile text outside SPARQL (issue 19, items 6, 10, 12, 13, 14, 15): Turtle names that hide a literal from
the pre-scan, query headers that cost quadratic time, spoofing characters on a terminal, passwords in URLs,
local files behind --allow-remote, and option values that used to end in an internal error."""

from __future__ import annotations

import dataclasses

import pytest
import rdflib
from click.testing import CliRunner

from genai_kg import guard, lexical, sparql
from genai_kg.cli import main
from genai_kg.errors import LimitExceeded
from genai_kg.guard import textscan


@pytest.fixture
def small_limits(monkeypatch):
    def use(**changes):
        monkeypatch.setattr(guard.limits, "LIMITS", dataclasses.replace(guard.limits.LIMITS, **changes))

    return use


def invoke(*args: str, **kwargs):
    return CliRunner().invoke(main, list(args), **kwargs)


def one_line_error(result, code: int = 2) -> str:
    assert result.exit_code == code, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


# -- 15: the Turtle pre-scan reads local-name escapes as the grammar does -----------------------------------
BIG = "x" * 5000
ESCAPED_NAMES = ["ex:a\\#", "ex:it\\'s", "ex:b\\#c\\'d", "ex:brand™\\#"]


@pytest.mark.parametrize("name", ESCAPED_NAMES)
def test_a_literal_after_an_escaped_local_name_is_scanned(tmp_path, small_limits, name):
    """``ex:a\\#`` is one name (PN_LOCAL_ESC): the pre-scan used to read a comment from the ``#`` (or a
    string from the ``'`` of ``\\'``), and the literal after it, far above the cap, loaded; in plain sight the
    same literal is refused."""
    small_limits(max_literal=1000)
    path = tmp_path / "names.ttl"
    path.write_text(f'@prefix ex: <http://x/> .\nex:s ex:p {name} ; ex:q """start\n{BIG}""" .\n', encoding="utf-8")
    rdflib.Graph().parse(path, format="turtle")  # valid Turtle: rdflib reads the name and the literal
    with pytest.raises(LimitExceeded, match="line 2"):
        guard.safe_parse(rdflib.Graph(), path, "turtle")
    error = one_line_error(invoke("stats", "--store", "memory", "--data", str(path)))
    assert "names.ttl" in error and "limit" in error


def test_both_lexers_take_the_same_escapes_in_a_local_name():
    """For every ASCII character, ``\\<c>`` continues a SPARQL local name exactly when the Turtle pre-scan
    takes it as an escape (one definition, :data:`genai_kg.lexical.PN_LOCAL_ESC`)."""
    for code in range(0x21, 0x7F):
        char = chr(code)
        in_name = any(t.kind == "pname" and t.text == f"ex:a\\{char}b" for t in sparql.tokenize(f"ex:a\\{char}b"))
        first = next(textscan._LITERAL_TOKENS.finditer(f"\\{char}".encode()), None)
        by_scan = first is not None and first.lastgroup == "escape"
        assert in_name == by_scan == (char in lexical.PN_LOCAL_ESC_CHARS), char
