"""Hostile data files through the command line: RDF/XML entities, JSON-LD contexts, huge literals and lines,
malformed files, and graphs shaped to make each command work for long (each bounded by --timeout).

Each case asserts the exit code, the one-line message, the time taken, that no file is left behind, that
the 127.0.0.1 listener was never contacted, and that no byte of a private file appears in any output
(helpers in tests/_hostile.py, fixtures in conftest.py).
"""

from __future__ import annotations

import json
import time

import pytest
import rdflib
from _hostile import (
    PREFIXES,
    QUICK,
    RDF_NS,
    STORES,
    billion_laughs,
    cli,
    leftovers,
    no_leak,
    refused,
    run,
    write,
)

from genai_kg import guard
from genai_kg.cliopts import EXIT_TIMEOUT
from genai_kg.errors import GenaiKgError


# -- RDF/XML: entities -----------------------------------------------------------------------------------
@pytest.mark.parametrize("store", STORES)
def test_billion_laughs_is_refused_quickly(work, store):
    (work / "lol.rdf").write_text(billion_laughs(), encoding="utf-8")
    result = run("stats", "--data", "lol.rdf", "--store", store, cwd=work)
    refused(result, "lol.rdf", "line", "entity bomb")
    assert leftovers(work, "lol.rdf") == []


def test_entity_bomb_declared_top_down_is_refused(work):
    (work / "lol.rdf").write_text(billion_laughs(reverse=True), encoding="utf-8")
    refused(run("stats", "--data", "lol.rdf", cwd=work), "lol.rdf", "entity bomb")


def test_the_470_byte_bomb_that_cost_minutes(work):
    """Five levels of ten (560 KB): rdflib's own parser took 0.6 s, six levels 86 s; refused at once here."""
    (work / "small.rdf").write_text(billion_laughs(levels=6), encoding="utf-8")
    result = run("stats", "--data", "small.rdf", cwd=work)
    refused(result, "entity bomb")


def test_external_entity_pointing_at_a_private_file(work):
    doc = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY x SYSTEM "{(work / "private.txt").as_uri()}"> ]>\n'
        f'<rdf:RDF {RDF_NS}><rdf:Description rdf:about="http://example.org/s"><ex:p>&x;</ex:p>'
        "</rdf:Description></rdf:RDF>\n"
    )
    (work / "xxe.rdf").write_text(doc, encoding="utf-8")
    for command in (["stats"], ["export", "--format", "nt"], ["query", "--sparql", "SELECT ?o WHERE { ?s ?p ?o }"]):
        result = run(*command, "--data", "xxe.rdf", cwd=work)
        refused(result, "xxe.rdf", "line 2", "external entity 'x'")
        no_leak(result)


def test_external_entity_pointing_at_the_network(work, listener):
    doc = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY x PUBLIC "-//x" "{listener.url}/x.xml"> ]>\n'
        f'<rdf:RDF {RDF_NS}><rdf:Description rdf:about="http://example.org/s"><ex:p>&x;</ex:p>'
        "</rdf:Description></rdf:RDF>\n"
    )
    (work / "xxe.rdf").write_text(doc, encoding="utf-8")
    refused(run("stats", "--data", "xxe.rdf", "--allow-remote", cwd=work), "external entity")
    assert listener.hits == []


def test_parameter_entities_are_refused(work):
    doc = (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY % p "x"> ]>\n'
        f'<rdf:RDF {RDF_NS}></rdf:RDF>\n'
    )
    (work / "pe.rdf").write_text(doc, encoding="utf-8")
    refused(run("stats", "--data", "pe.rdf", cwd=work), "parameter entity")


def test_owl_style_internal_entities_still_work(work):
    doc = (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n <!ENTITY xsd "http://www.w3.org/2001/XMLSchema#">\n'
        ' <!ENTITY ex "http://example.org/">\n]>\n'
        f'<rdf:RDF {RDF_NS}><rdf:Description rdf:about="&ex;thing">'
        '<ex:size rdf:datatype="&xsd;integer">42</ex:size><ex:note>two\nlines &amp; more</ex:note>'
        "</rdf:Description></rdf:RDF>\n"
    )
    (work / "owl.rdf").write_text(doc, encoding="utf-8")
    result = run(
        "query", "--data", "owl.rdf", "--format", "csv",
        "--sparql", "SELECT ?n WHERE { <http://example.org/thing> <http://example.org/size> ?n }", cwd=work,
    )
    assert result.code == 0, result.err
    assert result.out.splitlines() == ["n", "42"]


def test_a_long_multi_line_xml_text_is_linear(work):
    """rdflib's handler copies the whole string per text chunk; the guard hands it each text node whole."""
    text = ("y" * 79 + "\n") * 50_000  # 4 MB in 50,000 lines
    doc = (f'<rdf:RDF {RDF_NS}><rdf:Description rdf:about="http://example.org/s"><ex:p>{text}</ex:p>'
           "</rdf:Description></rdf:RDF>\n")
    (work / "long.rdf").write_text(doc, encoding="utf-8")
    result = run("stats", "--data", "long.rdf", cwd=work)
    assert result.code == 0, result.err
    assert result.seconds < QUICK


# -- JSON-LD contexts ------------------------------------------------------------------------------------
@pytest.mark.parametrize("store", STORES)
def test_remote_jsonld_context_is_refused(work, listener, store):
    doc = {"@context": f"{listener.url}/ctx.jsonld", "@id": "http://example.org/s", "name": "x"}
    (work / "remote.jsonld").write_text(json.dumps(doc), encoding="utf-8")
    result = run("stats", "--data", "remote.jsonld", "--store", store, cwd=work)
    refused(result, "remote.jsonld", "@context", "would be fetched", "--allow-remote")
    assert listener.hits == []


def test_remote_jsonld_context_is_fetched_with_allow_remote(work, listener):
    doc = {"@context": f"{listener.url}/ctx.jsonld", "@id": "http://example.org/s", "name": "x"}
    (work / "remote.jsonld").write_text(json.dumps(doc), encoding="utf-8")
    result = run(
        "query", "--data", "remote.jsonld", "--allow-remote", "--format", "csv",
        "--sparql", "SELECT ?o WHERE { <http://example.org/s> <http://example.org/name> ?o }", cwd=work,
    )
    assert result.code == 0, result.err
    assert result.out.splitlines() == ["o", "x"]
    assert listener.hits == ["GET /ctx.jsonld"]


@pytest.mark.parametrize("allow", [False, True])
def test_jsonld_context_naming_a_local_file(work, allow):
    """Even with --allow-remote (network only), a context path to a private file is never read."""
    doc = {"@context": "private.txt", "@id": "http://example.org/s", "name": "x"}
    (work / "local.jsonld").write_text(json.dumps(doc), encoding="utf-8")
    result = run("stats", "--data", "local.jsonld", *(["--allow-remote"] if allow else []), cwd=work)
    refused(result, "local.jsonld", "private.txt", "only the files you name" if allow else "would be fetched")
    no_leak(result)


def test_jsonld_import_inside_a_context_is_refused(work, listener):
    doc = {"@context": {"@version": 1.1, "@import": f"{listener.url}/ctx.jsonld"}, "@id": "http://example.org/s"}
    (work / "imp.jsonld").write_text(json.dumps(doc), encoding="utf-8")
    refused(run("stats", "--data", "imp.jsonld", cwd=work), "@import")
    assert listener.hits == []


@pytest.mark.parametrize("store", ["memory", "auto"])
def test_twenty_megabyte_literal_is_refused(work, store):
    """rdflib's parsers meet the guard's 16 MiB cap; Oxigraph's (``auto`` for big files) its own 16 MiB buffer."""
    big = "x" * (20 * 1024 * 1024)
    (work / "big.ttl").write_text(f'<http://example.org/s> <http://example.org/p> "{big}" .\n', encoding="utf-8")
    result = run("stats", "--data", "big.ttl", "--store", store, cwd=work)
    refused(result, "big.ttl", *(["line 1", "20.0 MiB", "16.0 MiB limit"] if store == "memory" else ["too long"]))


@pytest.mark.parametrize(("store", "name"), [("memory", "big.ttl"), ("oxigraph", "big.ttl"), ("oxigraph", "big.nt")])
def test_a_twelve_megabyte_literal_loads(work, store, name):
    big = "x" * (12 * 1024 * 1024)
    (work / name).write_text(f'<http://example.org/s> <http://example.org/p> "{big}" .\n', encoding="utf-8")
    result = run("query", "--data", name, "--store", store, "--format", "csv", "--sparql",
                 "SELECT (STRLEN(?o) AS ?n) WHERE { <http://example.org/s> ?p ?o }", cwd=work)
    assert result.code == 0, result.err
    assert result.out.splitlines() == ["n", str(len(big))]
    assert result.seconds < QUICK


def test_long_n_triples_line_is_refused_by_rdflibs_parser(work):
    """rdflib's N-Triples parser is quadratic in line length (1 MiB: 9 s, 2 MiB: 39 s)."""
    big = "x" * (2 * 1024 * 1024)
    (work / "big.nt").write_text(f'<http://example.org/s> <http://example.org/p> "{big}" .\n', encoding="utf-8")
    refused(run("stats", "--data", "big.nt", "--store", "memory", cwd=work), "big.nt", "line 1", "--store oxigraph")


@pytest.mark.parametrize("store", ["memory", "auto"])
def test_long_multi_line_turtle_literal(work, store):
    """rdflib's Turtle parser takes time ~ lines x length inside a triple-quoted literal (2 MiB: 9 s): refused
    there with a hint; ``auto`` sends a file this big to Oxigraph's linear parser, which loads it."""
    text = ("y" * 79 + "\n") * 30_000
    (work / "long.ttl").write_text(f'<http://example.org/s> <http://example.org/p> """{text}""" .\n',
                                   encoding="utf-8")
    result = run("stats", "--data", "long.ttl", "--store", store, cwd=work)
    if store == "memory":
        refused(result, "long.ttl", "line 1", "262,144 bytes limit", "--store oxigraph")
    else:
        assert result.code == 0, result.err
        assert result.seconds < QUICK


UNTERMINATED_QUOTES = {"double": b'x\\"', "single": b"x\\'", "triple": b'"""x\\"', "mixed": b'\'"\\'}


@pytest.mark.parametrize("kind", sorted(UNTERMINATED_QUOTES))
def test_a_line_of_unterminated_quotes_is_scanned_in_linear_time(work, kind):
    """Each quote starts a string that never ends on its line; a scan that backtracks took minutes on 300 KB."""
    body = UNTERMINATED_QUOTES[kind] * (300_000 // len(UNTERMINATED_QUOTES[kind]))
    (work / "quotes.ttl").write_bytes(b"<http://example.org/s> <http://example.org/p> " + body + b"\n")
    started = time.monotonic()
    with pytest.raises((GenaiKgError, SyntaxError)):  # rdflib's BadSyntax is a SyntaxError
        guard.safe_parse(rdflib.Graph(), work / "quotes.ttl", "turtle")
    assert time.monotonic() - started < 5
    refused(cli("stats", "--data", str(work / "quotes.ttl")), "quotes.ttl", "line 1", limit=10)


# -- clear errors ----------------------------------------------------------------------------------------
BAD_FILES = {
    "truncated.ttl": ('@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:d ex:e "unterminated', "line 3, column"),
    "garbage.ttl": ("this is not turtle at all\n", "line 1"),
    "bad-utf8.ttl": (b'<http://e/s> <http://e/p> "ok" .\n<http://e/s> <http://e/p> "\xff\xfe" .\n', "line 2"),
    "bad.nt": ("<http://e/s> <http://e/p> .\n", "bad.nt"),
    "bad.jsonld": ('{"@id": "http://e/s",\n "http://e/p": ', "line 2"),
    "bad.rdf": ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<oops></rdf:RDF>', "line 2"),
    "empty.rdf": ("", "bad.rdf"),
    "notes.docx": ("PK\x03\x04", "unknown RDF format '.docx'"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_malformed_files_give_one_line_with_file_and_line(work, name):
    content, fragment = BAD_FILES[name]
    path = work / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result = cli("stats", "--data", str(path))
    refused(result, name, fragment.replace("bad.rdf", name))


def test_invalid_utf8_names_the_byte(work):
    (work / "bad.ttl").write_bytes(b'<http://e/s> <http://e/p> "\xc3\x28" .\n')
    refused(cli("stats", "--data", str(work / "bad.ttl")), "line 1", "byte 27", "not valid UTF-8")


def test_missing_file(work):
    refused(cli("stats", "--data", str(work / "nope.ttl")), "nope.ttl", "no such file")


# -- every piece of work has a bound ---------------------------------------------------------------------
def diamonds(levels: int = 40) -> str:
    """Two classes per level, each a subclass of both classes of the level above: 2^levels paths, 82 classes."""
    lines = [PREFIXES] + [f"gkg:D{i} a owl:Class . gkg:E{i} a owl:Class ." for i in range(levels + 1)]
    lines += [f"gkg:{c}{i} rdfs:subClassOf gkg:D{i - 1}, gkg:E{i - 1} ." for i in range(1, levels + 1) for c in "DE"]
    return "\n".join(lines) + "\n"


def chain(length: int = 3000) -> str:
    """A subClassOf chain under generative AI's root, so that compare takes its end for a model family."""
    lines = [PREFIXES, "gkg:C0 a owl:Class ; rdfs:subClassOf gkg:ArtificialIntelligence ."]
    lines += [f"gkg:C{i} a owl:Class ; rdfs:subClassOf gkg:C{i - 1} ." for i in range(1, length)]
    return "\n".join(lines) + "\n"


def test_docs_of_forty_levels_of_diamonds(work):
    """Walking every path took until killed (the index grew 4x per two levels); each class is expanded once."""
    write(work, "diamond.ttl", diamonds())
    result = run("docs", "-o", "site", "--data", "diamond.ttl", cwd=work)
    assert result.code == 0, result.err
    assert result.seconds < QUICK
    index = (work / "site" / "index.html").read_text(encoding="utf-8")
    assert index.count('href="D39.html"') == 2  # under D38 and under E38, expanded under one of them
    assert len(index) < 200_000


@pytest.mark.slow  # a 3,000-level hierarchy through five commands
@pytest.mark.parametrize("command", [
    ["docs", "-o", "site"], ["compare", "gkg:C2999", "LLM"], ["describe", "gkg:C1500"],
    ["view", "-o", "view.html"], ["export", "--graph-format", "graphml"],
])
def test_a_three_thousand_long_subclass_chain(work, command):
    """rdflib's transitive walks recurse once per level: compare and docs ended in RecursionError (exit 3)."""
    write(work, "chain.ttl", chain())
    result = run(*command, "--data", "chain.ttl", cwd=work)
    assert result.code == 0, result.err
    assert result.seconds < QUICK * 2
    assert "Traceback" not in result.text


@pytest.mark.slow  # pySHACL over the whole graph and a deep hierarchy
def test_validate_refuses_a_hierarchy_too_deep_for_pyshacl_in_one_line(work):
    write(work, "chain.ttl", chain())
    refused(run("validate", "--data", "chain.ttl", cwd=work), "validate", "nests too deeply", limit=QUICK * 2)


@pytest.mark.slow  # each command waits out its deadline on a big file
@pytest.mark.parametrize("command", [
    ["validate"], ["describe", "gkg:Hub"], ["compare", "LLM", "generative AI"], ["docs", "-o", "site"],
    ["view", "-o", "view.html"],
])
def test_every_command_honours_timeout(work, hostile_big_file, command):
    result = run(*command, "--data", str(hostile_big_file), "--store", "oxigraph", "--timeout", "0.5", cwd=work)
    refused(result, "timed out after 0.5 s", "--timeout", limit=QUICK * 2, code=EXIT_TIMEOUT)
    assert leftovers(work) == []


def test_deeply_nested_jsonld_file_is_one_line(work):
    depth = 20_000
    write(work, "deep.jsonld", '{"@id": "http://e/s", "http://e/p": ' + '{"http://e/p": ' * depth + '"x"'
          + "}" * depth + "}")
    refused(run("stats", "--data", "deep.jsonld", cwd=work), "deep.jsonld", "nested deeper")
