"""Hostile text outside SPARQL (issue 19, items 6, 10, 12, 13, 14, 15): Turtle names that hide a literal from
the pre-scan, query headers that cost quadratic time, spoofing characters on a terminal, passwords in URLs,
local files behind --allow-remote, and option values that used to end in an internal error."""

from __future__ import annotations

import dataclasses
import re
import time

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


# -- 6: query headers are read in linear time, and their errors quote a bounded value ------------------------
@pytest.mark.parametrize("line", ["# param: x{s}y", "# param: x ={s}y", "# param: x = y{s};{s}z{s}!", "# title{s}:",
                                  "# list: a{s}={s}x", "#{s}param{s}: x{s}"])
def test_a_header_line_of_spaces_is_linear_and_the_error_is_short(tmp_path, line):
    """``# param: x`` and tens of thousands of spaces took 15-37 s in one ``re`` call before any deadline."""
    from genai_kg.catalog import MAX_HEADER_LINE, parse_query_text
    from genai_kg.errors import QueryError

    for spaces in (MAX_HEADER_LINE // 8, 60_000):
        text = line.format(s=" " * spaces) + "\nSELECT * WHERE { ?s ?p ?o }\n"
        start = time.perf_counter()
        try:
            parse_query_text(text, "q")
        except QueryError as exc:
            assert len(str(exc)) < 300, str(exc)
            assert spaces < MAX_HEADER_LINE or "characters" in str(exc)
        assert time.perf_counter() - start < 0.5
    path = tmp_path / "spaces.rq"
    path.write_text(line.format(s=" " * 60_000) + "\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    error = one_line_error(invoke("query", str(path)))
    assert "spaces.rq: line 1" in error and len(error) < 300


def test_a_long_bare_number_in_an_answer_cell_is_linear():
    from genai_kg.answer_form import parse_term

    start = time.perf_counter()
    with pytest.raises(ValueError):
        parse_term("1" * 50_000 + "x")
    assert time.perf_counter() - start < 0.5


def test_a_long_query_name_is_one_short_line():
    error = one_line_error(invoke("query", "x" * 5000))
    assert "more characters" in error and len(error) < 300


#: The sentence splitter's old patterns, as the reference for the linear code that replaced their searches.
OLD_LAST_WORD = re.compile(r"[\w.]+$")
OLD_CLOSED = re.compile(r"[.!?][\"'”’)\]]*\W*$")


@pytest.mark.parametrize("line", ["A. " * 20_000, "." * 20_000 + "a", "a" + "!" * 20_000 + "a", "e.g. " * 20_000])
def test_a_source_document_line_is_split_in_linear_time(line):
    """``sources check``/``coverage`` split every document the graph names (a ``--data`` file can name any):
    a search from the line's start per boundary made a 60 KB line of ``A. A. ...`` take 30 s, a line of
    dots 5 s; now each line is read a bounded number of times."""
    from genai_kg.sources import sentences

    start = time.perf_counter()
    pieces = sentences.split_sentences(line)
    assert time.perf_counter() - start < 2.0
    assert pieces and pieces[-1].end <= len(line)


def test_the_splitters_linear_reading_is_the_old_patterns():
    import random

    from genai_kg.sources import sentences

    rng = random.Random(19)
    alphabet = list(".!?)]\"'”’“‘( \t\u00a0Aaé1_e.g.vs.Mrs.\x1c")
    for _ in range(20_000):
        line = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        assert sentences._closed(line) == bool(OLD_CLOSED.search(line)), repr(line)
        for end in range(len(line) + 1):
            old = OLD_LAST_WORD.search(line, 0, end)
            expected = old.group() if old and len(old.group()) <= sentences._LONGEST_ABBREVIATION else ""
            assert sentences._last_word(line, end) == expected, (line, end)


# -- 10: what reaches a terminal shows spoofing characters instead of obeying them ---------------------------
SPOOFS = {"\u200e": "\\u200e", "\u200f": "\\u200f", "\u061c": "\\u061c", "\u200b": "\\u200b", "\u2028": "\\u2028",
          "\u2029": "\\u2029", "\ufeff": "\\ufeff", "\U000e0041": "\\U000e0041", "\u00ad": "\\xad",
          "\u2066": "\\u2066", "\x1b": "\\x1b"}


def test_every_format_and_line_separator_character_is_escaped():
    """Every code point of Unicode categories Cc, Cf, Zl and Zp (as this Python's Unicode tables have them)."""
    import unicodedata

    from genai_kg.guard.output import escape_controls

    unseen = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF
              and unicodedata.category(chr(c)) in ("Cc", "Cf", "Zl", "Zp")]
    assert len(unseen) > 200
    escaped = escape_controls("".join(unseen))
    assert escaped.isascii() and escaped.count("\\") == len(unseen)
    assert escape_controls("GPT-4 Ünïcödé 日本語 ‘quoted’") == "GPT-4 Ünïcödé 日本語 ‘quoted’"


def test_spoofing_characters_from_data_are_escaped_on_a_terminal(tmp_path):
    """Each spoofing character, in a label loaded from a file: as it is down a pipe, spelled out on a terminal,
    and never in an error message (one load for all of them)."""
    from genai_kg import cliopts

    path = tmp_path / "spoof.ttl"
    path.write_text("".join(f'<http://x/s{i}> <http://www.w3.org/2000/01/rdf-schema#label> "safe{char}tail" .\n'
                            for i, char in enumerate(SPOOFS)), encoding="utf-8")
    sparql_text = "SELECT ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(STRSTARTS(?l, 'safe')) }"
    args = ["query", "--store", "memory", "--data", str(path), "--format", "csv", "--sparql", sparql_text]
    piped = invoke(*args)
    assert piped.exit_code == 0
    assert all(f"safe{char}tail" in piped.stdout for char in SPOOFS), piped.stdout  # a pipe gets them as they are

    class Terminal:
        def isatty(self):
            return True

    for char, spelled in SPOOFS.items():
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(cliopts.sys, "stdout", Terminal())
            shown: list[str] = []
            patch.setattr(cliopts.click, "echo", lambda text, shown=shown, **kw: shown.append(text))
            cliopts.emit(f"safe{char}tail\n")
        assert shown == [f"safe{spelled}tail\n"], repr(char)
        error = one_line_error(invoke("query", "--sparql", f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT x{char}"))
        assert char not in error


def test_csv_line_ends_read_as_line_ends_on_a_terminal_and_a_lone_cr_is_spelled(monkeypatch):
    from genai_kg import cliopts

    class Terminal:
        def isatty(self):
            return True

    shown: list[str] = []
    monkeypatch.setattr(cliopts.sys, "stdout", Terminal())
    monkeypatch.setattr(cliopts.click, "echo", lambda text, **kw: shown.append(text))
    cliopts.emit("l\r\nsafe\rover\r\n")
    assert shown == ["l\nsafe\\rover\n"]


# -- 12: credentials never come in a URL, and never print from one -------------------------------------------
ENDPOINT_COMMANDS = [["query", "--sparql", "ASK {}", "--endpoint"],
                     ["push", "--update-endpoint", "http://127.0.0.1:9/u", "--endpoint"],
                     ["push", "--endpoint", "http://127.0.0.1:9/q", "--update-endpoint"],
                     ["view", "-o", "{tmp}/v.html", "--endpoint"],  # wrote the password into its page
                     ["serve", "--host", "256.0.0.1", "--port", "9", "--endpoint"]]  # served with it


@pytest.mark.parametrize("command", ENDPOINT_COMMANDS)
def test_a_password_in_an_endpoint_url_is_refused_and_never_printed(tmp_path, command):
    error = one_line_error(invoke(*[a.replace("{tmp}", str(tmp_path)) for a in command],
                                  "http://ann:s3cret-PW@127.0.0.1:9/sparql"))
    assert "s3cret-PW" not in error and "ann" not in error
    assert "GENAI_KG_ENDPOINT_USER" in error and "GENAI_KG_ENDPOINT_PASSWORD" in error
    assert list(tmp_path.iterdir()) == []


#: A password typed with a space, '/', '#' or '?' in it: the URL is malformed, and urllib read the authority
#: as ending early, so the redaction (and urllib's own reason, ``as 'se'``) showed it.
MALFORMED = ["http://ann:se cret-PW@127.0.0.1:9/q", "http://ann:se/cret-PW@127.0.0.1:9/q",
             "http://ann:se#cret-PW@127.0.0.1:9/q", "http://ann:se?cret-PW@127.0.0.1:9/q",
             "http://ann:se/cret-PW@127.0.0.1:99999/q", "http://ann:secret-PW@[::1"]


@pytest.mark.parametrize("url", MALFORMED)
@pytest.mark.parametrize("command", ENDPOINT_COMMANDS)
def test_a_password_in_a_malformed_endpoint_url_is_never_printed(tmp_path, command, url):
    error = one_line_error(invoke(*[a.replace("{tmp}", str(tmp_path)) for a in command], url))
    assert "cret" not in error and "ann" not in error and "'se'" not in error, error
    assert "--endpoint" in error or "--update-endpoint" in error
    assert list(tmp_path.iterdir()) == []


def test_urls_in_messages_are_redacted():
    from genai_kg.urls import redact

    assert redact("at http://a:b@h:1/p?q=x@y and ftp://u@f/") == "at http://***@h:1/p?q=x@y and ftp://***@f/"
    assert redact("no url, an @ and :// alone") == "no url, an @ and :// alone"
    start = time.perf_counter()
    redact("://" * 100_000 + "a" * 100_000)
    assert time.perf_counter() - start < 1


def test_a_jsonld_context_url_with_a_password_is_not_printed(tmp_path):
    import json

    path = tmp_path / "ctx.jsonld"
    path.write_text(json.dumps({"@context": "http://ann:s3cret-PW@127.0.0.1:9/c", "@id": "http://x/s"}))
    error = one_line_error(invoke("stats", "--store", "memory", "--data", str(path)))
    assert "s3cret-PW" not in error and "would be fetched" in error


# -- 13: --allow-remote opens no local file but the package's own and Python's modules -----------------------
def _python_data_file():
    """A file under Python's installation that is not a module (the kind the hook used to let through)."""
    import sys
    from pathlib import Path

    for root in (sys.prefix, sys.base_prefix):
        # pyvenv.cfg in a venv; else the first JSON file the walk meets (sorting all of them took minutes)
        found = next(iter(sorted(Path(root).glob("*.cfg"))), None) or next(Path(root).rglob("*.json"), None)
        if found is not None:
            return found
    pytest.fail("no data file under Python's installation")


def test_allow_remote_does_not_open_a_file_under_pythons_installation(tmp_path):
    import json

    import genai_kg
    from genai_kg.errors import UnsafeInput

    target = _python_data_file()
    path = tmp_path / "ctx.jsonld"
    path.write_text(json.dumps({"@context": target.as_uri(), "@id": "http://x/s", "http://x/p": "o"}))
    with pytest.raises(UnsafeInput, match="refused to open"):
        genai_kg.load([path], store="memory", allow_remote=True)
    error = one_line_error(invoke("stats", "--store", "memory", "--allow-remote", "--data", str(path)))
    assert "refused to open" in error and "only the files you name" in error


def test_the_guard_still_reads_modules_and_the_packages_own_data():
    from genai_kg.guard import audit
    from genai_kg.paths import ONTOLOGY_DIR

    with audit.guarded("test"):
        import importlib

        importlib.import_module("xml.dom.minidom")  # a module not imported yet: its .py and .pyc
        next(ONTOLOGY_DIR.glob("*.ttl")).read_bytes()


# -- 14: a bad option value is a usage error (exit 2, one line), never an internal error (exit 3) -----------
HOSTILE_VALUES = {
    "--timeout": ["nan", "inf", "-inf", "1e400", "1e300", "0", "-1", "x", ""],
    "--endpoint": ["http://[::1", "http://h:99999/", "http://h:port/", "file:///etc/passwd", "http://"],
    "--data": ["\x00", "a/\x00/b", "x" * 300, "/" + "y/" * 3000, ""],
    "--output": ["\x00", "x" * 300, ""],
}


@pytest.mark.parametrize(("option", "value"), [(o, v) for o, vs in HOSTILE_VALUES.items() for v in vs])
def test_hostile_option_values_are_usage_errors(option, value):
    """Each of these was an internal error (exit 3), or, for an empty path, ``docs -o ''`` writing into the
    current folder; ``tests/test_hostile_text.py``'s author also ran every option of every command with
    such values and found no other exit 3."""
    args = ["query", "--sparql", "ASK {}", option, value]
    error = one_line_error(invoke(*args))
    assert "internal error" not in error and option in error


#: Paths and versions of the commands outside ``cli.py``, which took click's plain Path: ``release -o ''`` wrote its
#: twelve files into the current folder, a name over 255 bytes was an internal error.
LONG = "x" * 300
OTHER_COMMANDS = [
    (["release", "2099-01-01", "-o", ""], "--output"),
    (["release", "2099-01-01", "-o", "{tmp}/r", "--prior", LONG], "--prior"),
    (["diff", LONG, "{tmp}"], "--old"),
    (["diff", "", "{tmp}"], "--old"),
    (["diff", "{tmp}", "{tmp}", "-o", ""], "--output"),
    (["sources", "check", ""], "directory"),
    (["sources", "check", LONG], "directory"),
    (["sources", "coverage", "{tmp}", "--html", ""], "--html"),
    (["sources", "coverage", "{tmp}", "--set-aside", ""], "--set-aside"),
]


@pytest.mark.parametrize(("args", "option"), OTHER_COMMANDS, ids=[" ".join(a)[:40] for a, _ in OTHER_COMMANDS])
def test_hostile_paths_of_the_other_commands_are_usage_errors(tmp_path, monkeypatch, args, option):
    monkeypatch.chdir(tmp_path)
    error = one_line_error(invoke(*[a.replace("{tmp}", str(tmp_path)) for a in args]))
    assert "internal error" not in error and option in error
    assert len(error) < 200
    assert list(tmp_path.iterdir()) == []  # nothing written, in the current folder or elsewhere


@pytest.mark.parametrize(("host", "flag", "says"), [("", "--host", "every interface"),
                                                    ("256.0.0.1", "--host", "not an address"),
                                                    ("10.255.255.1", "--host", "cannot listen"),
                                                    ("127.0.0.1", "--port", "in use")])
def test_serve_refuses_a_place_it_cannot_listen_on_in_one_line(tmp_path, host, flag, says):
    """An empty --host made uvicorn listen on every interface (0.0.0.0 and [::]); a bad host or a port in use
    was an internal error (exit 3) after the "serving" line. Run as a process with a deadline: a regression
    serves instead of ending."""
    import socket

    from _hostile import refused, run

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1] if flag == "--port" else 9)
        result = run("serve", "--host", host, "--port", port, "--workers", "0", cwd=tmp_path, timeout=60)
    refused(result, flag, says)


@pytest.mark.parametrize("args", [["view", "-o", "{tmp}/v.html", "--title", "\udcff"],
                                  ["query", "--sparql", "SELECT ('\udcff' AS ?x) WHERE {}", "--store", "memory"]])
def test_undecodable_argument_bytes_are_one_line_not_an_internal_error(tmp_path, args):
    """Bytes that are not UTF-8 in an argument reach Python as lone surrogates (``\\udcff``)."""
    error = one_line_error(invoke(*[a.replace("{tmp}", str(tmp_path)) for a in args]))
    assert "internal error" not in error and "surrogate" in error
    assert not (tmp_path / "v.html").exists()
