"""One ``--format`` for every answer: each format x each kind of answer, read back by a real parser.

SELECT and ASK answers in the SPARQL results formats are read by rdflib's SPARQL JSON, XML and TSV parsers
and CSV by the csv module; CONSTRUCT and DESCRIBE answers in the RDF syntaxes are parsed by rdflib and
compared with the graph the query built (isomorphic: blank nodes differ between runs), JSON-LD with the
network refused; their subject/predicate/object rows are read back by the csv module and rdflib's TSV parser.
The same checks run on the command line's output and on ``QueryResult.serialize`` in Python.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter

import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.query import Result

from genai_kg.answer_form import from_result
from genai_kg.answers import FORMATS as ANSWER_FORMATS
from genai_kg.answers import ROW_FORMATS as RESULT_FORMATS
from genai_kg.answers.shown import graph_rows
from genai_kg.answers.table import text_table
from genai_kg.cli import main
from genai_kg.errors import UnsupportedFormat
from genai_kg.export import serialize_graph
from genai_kg.guard import guarded

#: One query of each kind, with its parameters: NAME, [--param KEY=VALUE ...].
QUERIES = {
    "SELECT": ("families", {}),
    "ASK": ("is-every-llm-generative-ai", {}),
    "CONSTRUCT": ("family-neighbourhood", {"family": "GAN"}),
    "DESCRIBE": ("describe-term", {"term": "GAN"}),
}
RDF_SYNTAXES = [name for name in ANSWER_FORMATS if name not in RESULT_FORMATS]  # ttl, nt, json-ld
#: How rdflib's parser names what each format writes for a graph.
RDF_PARSER = {"ttl": "turtle", "nt": "nt", "xml": "xml", "json-ld": "json-ld", "json": "json-ld"}
BLANK = re.compile(r"_:\w+")


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    """A wide terminal: table rows stay one line each, so rows can be compared line by line (the table's
    fit to narrow terminals is tested in test_hostile_answers.py)."""
    monkeypatch.setenv("COLUMNS", "1000")


@pytest.fixture(scope="module")
def answers(bundled_memory):
    """The four answers, computed in Python on the memory store: the references every output is read against."""
    return {kind: bundled_memory.query(name, params) for kind, (name, params) in QUERIES.items()}


def cli(kind: str, *args: str, code: int = 0):
    """The command line on its default store (Oxigraph), read against the memory store's answers in Python."""
    name, params = QUERIES[kind]
    bound = [a for key, value in params.items() for a in ("--param", f"{key}={value}")]
    result = CliRunner().invoke(main, ["query", name, *bound, *args])
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr, result.exception)
    return result


def parse_offline(text: str, fmt: str) -> Graph:
    """``text`` parsed by rdflib with the audit guard on: a fetch (a remote JSON-LD context) would be refused."""
    with guarded("parsing an answer", allow_remote=False):
        return Graph().parse(data=text, format=RDF_PARSER[fmt])


def graph_from_rows(rows) -> Graph:
    g = Graph()
    for s, p, o in rows:
        g.add((s, p, o))
    return g


def without_blanks(rows) -> Counter:
    """The rows that hold no blank node (whose labels differ between runs), counted."""
    return Counter(tuple(row) for row in rows if not any(cell.startswith("_:") for cell in row))


def markdown_rows(text: str) -> list[list[str]]:
    """The cells of a Markdown table written by answers.markdown (pipes escaped as ``\\|``)."""
    rows = []
    for line in text.splitlines():
        inner = line.strip()[2:-2]
        rows.append([cell.replace("\\|", "|") for cell in re.split(r"(?<!\\) \| ", inner)])
    return rows


def check_rows_answer(kind: str, fmt: str, text: str, answer) -> None:
    """A SELECT or ASK answer written in ``fmt`` reads back, through a real parser, as ``answer``."""
    if kind == "ASK":
        if fmt in ("json", "xml"):
            assert Result.parse(io.StringIO(text), format=fmt).askAnswer is bool(answer)
        else:
            assert text == ("true\n" if answer else "false\n")
        return
    expected = Counter(tuple(row.get(v) for v in answer.vars) for row in answer.bindings)
    if fmt in ("json", "xml", "tsv"):
        parsed = Result.parse(io.StringIO(text), format=fmt)
        assert [str(v) for v in parsed.vars] == answer.vars
        assert Counter(tuple(b.get(v) for v in parsed.vars) for b in parsed.bindings) == expected
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == answer.vars
        assert Counter(map(tuple, rows[1:])) == Counter(
            tuple("" if term is None else str(term) for term in row) for row in expected.elements()
        )
    elif fmt == "md":
        rows = markdown_rows(text)
        assert rows[0] == answer.vars and set(rows[1][0]) == {"-", "|"} and len(rows) - 2 == len(answer)
    else:
        lines = text.splitlines()
        assert lines[0].split() == answer.vars and lines[-1] == f"({len(answer)} rows)"


def check_graph_answer(fmt: str, text: str, answer, data) -> None:
    """A CONSTRUCT or DESCRIBE answer written in ``fmt`` reads back, through a real parser, as its graph.

    ``data`` is the graph the reference answer came from: a blank node reads as what it says there."""
    graph = answer.graph
    if fmt in RDF_PARSER:
        parsed = parse_offline(text, fmt)
        assert isomorphic(parsed, graph), f"{fmt}: {len(parsed)} triples read back, {len(graph)} built"
        if fmt in ("json", "json-ld"):
            assert isinstance(json.loads(text)["@context"], dict)  # inline: nothing for a reader to fetch
        return
    if fmt == "tsv":  # SPARQL TSV results of ?subject ?predicate ?object: every term in N-Triples syntax
        parsed = Result.parse(io.StringIO(text), format="tsv")
        assert [str(v) for v in parsed.vars] == ["subject", "predicate", "object"]
        rows = [tuple(b[v] for v in parsed.vars) for b in parsed.bindings]
        assert len(rows) == len(graph) and isomorphic(graph_from_rows(rows), graph)
        return
    if fmt == "csv":  # IRIs in full, literals' text, blank nodes as _:id
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == ["subject", "predicate", "object"] and len(rows) - 1 == len(graph)
        expected = [[f"_:{t}" if isinstance(t, BNode) else str(t) for t in triple] for triple in graph]
        assert without_blanks(rows[1:]) == without_blanks(expected)
        return
    # table and md: the rows as print(result) shows them, IRIs by their labels
    _, shown = graph_rows(answer.answer, data)
    if fmt == "md":
        rows = markdown_rows(text)
        assert rows[0] == ["subject", "predicate", "object"] and len(rows) - 2 == len(graph)
        assert without_blanks(rows[2:]) == without_blanks([[c.replace("\n", " ") for c in r] for r in shown])
    else:
        assert text.splitlines()[-1] == f"({len(graph)} triples)"
        wide = text_table(answer.vars, shown, unit="triple", width=1000)

        def rows(table: str) -> list[str]:
            return sorted(" ".join(BLANK.sub("_:b", line).split()) for line in table.splitlines()[2:])

        assert rows(text) == rows(wide)


@pytest.mark.parametrize("fmt", ANSWER_FORMATS)
@pytest.mark.parametrize("kind", list(QUERIES))
def test_every_format_for_every_answer_on_the_command_line(kind, fmt, answers, bundled_memory, tmp_path):
    answer = answers[kind]
    out = tmp_path / "answer.out"
    if kind in ("SELECT", "ASK") and fmt in RDF_SYNTAXES:
        refused = cli(kind, "--format", fmt, "-o", str(out), code=2)
        lines = refused.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in refused.stderr, refused.stderr
        assert lines[0].startswith("Error: --format: ") and f"{kind} answer" in lines[0]
        assert f"{fmt!r} is an RDF syntax" in lines[0] and "use one of table, csv, tsv, json, xml, md" in lines[0]
        assert refused.stdout == "" and not out.exists() and list(tmp_path.iterdir()) == []
        return
    text = cli(kind, "--format", fmt).stdout
    if kind in ("SELECT", "ASK"):
        check_rows_answer(kind, fmt, text, answer)
    else:
        check_graph_answer(fmt, text, answer, bundled_memory.graph)
    cli(kind, "--format", fmt, "-o", str(out))
    assert out.read_text(encoding="utf-8") == text or kind in ("CONSTRUCT", "DESCRIBE")  # blank nodes differ


@pytest.mark.parametrize("fmt", ANSWER_FORMATS)
@pytest.mark.parametrize("kind", list(QUERIES))
def test_every_format_for_every_answer_in_python(kind, fmt, answers, bundled_memory, tmp_path):
    answer = answers[kind]
    if kind in ("SELECT", "ASK") and fmt in RDF_SYNTAXES:
        with pytest.raises(UnsupportedFormat) as refused:
            answer.serialize(format=fmt)
        assert refused.value.argument == "format"
        assert str(refused.value).startswith(f"format: {'an' if kind == 'ASK' else 'a'} {kind} answer is ")
        return
    data = answer.serialize(format=fmt)
    assert isinstance(data, bytes)
    text = data.decode("utf-8")
    assert answer.serialize(format=fmt, encoding=None) == text
    if kind in ("SELECT", "ASK"):
        check_rows_answer(kind, fmt, text, answer)
    else:
        check_graph_answer(fmt, text, answer, bundled_memory.graph)
    path, stream = tmp_path / f"answer.{fmt}", io.BytesIO()
    assert answer.serialize(path, format=fmt) is None and answer.serialize(stream, format=fmt) is None
    if kind in ("SELECT", "ASK"):
        assert path.read_bytes() == stream.getvalue() == data


def test_graph_answers_default_to_turtle_and_rows_to_a_table(answers):
    construct = cli("CONSTRUCT").stdout
    check_graph_answer("ttl", construct, answers["CONSTRUCT"], None)
    assert "@prefix gkg: <https://w3id.org/genai-kg/>" in construct
    assert cli("SELECT").stdout.splitlines()[-1] == f"({len(answers['SELECT'])} rows)"


@pytest.mark.parametrize("fmt", ["ttl", "nt", "xml", "json-ld", "csv"])
def test_rdf_format_is_an_alias_of_format(fmt, answers, bundled_memory):
    text = cli("CONSTRUCT", "--rdf-format", fmt).stdout
    check_graph_answer(fmt, text, answers["CONSTRUCT"], bundled_memory.graph)
    both = cli("CONSTRUCT", "--rdf-format", fmt, "--format", fmt).stdout
    check_graph_answer(fmt, both, answers["CONSTRUCT"], bundled_memory.graph)


def test_rdf_format_on_rows_is_refused_naming_format(tmp_path):
    out = tmp_path / "rows.nt"
    refused = cli("SELECT", "--rdf-format", "nt", "-o", str(out), code=2)
    assert refused.stderr.strip().splitlines()[-1].startswith("Error: --format: a SELECT answer is rows, not triples")
    assert not out.exists()


@pytest.mark.parametrize("kind", ["SELECT", "CONSTRUCT"])
def test_format_and_rdf_format_that_disagree_are_a_usage_error(kind, tmp_path):
    out = tmp_path / "answer.out"
    refused = cli(kind, "--format", "csv", "--rdf-format", "nt", "-o", str(out), code=2)
    last = refused.stderr.strip().splitlines()[-1]
    assert last == "Error: --format csv and --rdf-format nt disagree; give one (--rdf-format is an alias of --format)"
    assert "Traceback" not in refused.stderr and refused.stdout == "" and not out.exists()


def same_json_ld(a: str, b: str) -> bool:
    """Two JSON-LD documents with the same inline context and the same graph: the same stable N-Triples (fast,
    for the whole exported graph), else, for an answer of a few hundred triples, isomorphic (the stable labels
    number look-alike blank nodes arbitrarily)."""
    if json.loads(a)["@context"] != json.loads(b)["@context"]:
        return False
    one, two = parse_offline(a, "json-ld"), parse_offline(b, "json-ld")
    if serialize_graph(one, "nt") == serialize_graph(two, "nt"):
        return True
    return len(one) < 5_000 and isomorphic(one, two)


def test_json_of_a_graph_is_the_json_ld(answers):
    assert same_json_ld(cli("CONSTRUCT", "--format", "json").stdout, cli("CONSTRUCT", "--format", "json-ld").stdout)
    answer = answers["CONSTRUCT"]
    assert answer.serialize(format="json") == answer.serialize(format="json-ld")


def test_other_names_of_an_rdf_syntax_work_in_python(answers):
    answer = answers["CONSTRUCT"]
    for name, parser in (("turtle", "turtle"), ("ntriples", "nt"), ("rdf/xml", "xml"), ("jsonld", "json-ld")):
        assert isomorphic(Graph().parse(data=answer.serialize(format=name), format=parser), answer.graph), name
    with pytest.raises(UnsupportedFormat, match=r"^format: unknown answer format 'n3'; use one of table, .*json-ld$"):
        answer.serialize(format="n3")


def test_tsv_keeps_tabs_and_line_breaks_inside_one_cell():
    g = Graph()
    g.add((URIRef("http://e/a"), URIRef("http://e/p"), Literal('tab\there\nand "quoted"', lang="en")))
    from genai_kg.answers import QueryResult

    for query in ("CONSTRUCT WHERE { ?s ?p ?o }", "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"):
        text = QueryResult(from_result(g.query(query)), g).serialize(format="tsv", encoding=None)
        assert len(text.splitlines()) == 2
        parsed = Result.parse(io.StringIO(text), format="tsv")
        assert [tuple(b[v] for v in parsed.vars) for b in parsed.bindings] == list(g)


def test_export_takes_json_as_json_ld_too():
    runner = CliRunner()
    as_json = runner.invoke(main, ["export", "--format", "json"])
    assert as_json.exit_code == 0, as_json.stderr
    assert same_json_ld(as_json.stdout, runner.invoke(main, ["export", "--format", "json-ld"]).stdout)


@pytest.mark.parametrize("kind", ["CONSTRUCT", "DESCRIBE"])
@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_a_graph_answer_names_only_the_prefixes_it_uses(kind, store):
    """The JSON-LD context and the Turtle header list the prefixes the answer's IRIs use, not every prefix
    rdflib binds by default (brick, csvw, ...); the answer still reads back to the same triples."""
    name, params = QUERIES[kind]
    bound = [a for key, value in params.items() for a in ("--param", f"{key}={value}")]
    out = CliRunner().invoke(main, ["query", name, *bound, "--store", store, "--format", "json"])
    assert out.exit_code == 0, out.output
    context = json.loads(out.stdout)["@context"]
    graph = parse_offline(out.stdout, "json-ld")
    iris = {str(t) for triple in graph for t in triple if isinstance(t, URIRef)}
    assert context and "brick" not in context
    unused = [prefix for prefix, ns in context.items() if not any(iri.startswith(ns) for iri in iris)]
    assert not unused, f"prefixes no IRI of the answer uses: {unused}"
    turtle = CliRunner().invoke(main, ["query", name, *bound, "--store", store, "--format", "ttl"]).stdout
    declared = re.findall(r"^@prefix (\w*):", turtle, flags=re.M)
    assert set(declared) <= set(context) | {"xsd"}, declared
    assert isomorphic(Graph().parse(data=turtle, format="turtle"), graph)
