"""The Python API as a notebook user meets it: answers as tables and DataFrames, views inline, summaries,
errors in Python's words, progress on long loads, and an ``import genai_kg`` that stays light."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import results_records
from rdflib import Graph, Variable

import genai_kg
from genai_kg import QueryResult, View, load
from genai_kg.answers import render
from genai_kg.answers.result import HTML_ROWS, TEXT_ROWS
from genai_kg.errors import GenaiKgError, MissingDependency, ParameterError, TermNotFound

SRC = Path(genai_kg.__file__).resolve().parents[1]
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "my-models.ttl"
HOSTILE = '<script>alert("x")</script> & <b>bold</b>'
LAB = """PREFIX lab: <https://example.org/lab/>
SELECT ?model ?label ?released ?parameters ?openWeights WHERE {
  ?model rdfs:label ?label ; lab:released ?released ; lab:parameters ?parameters ; lab:openWeights ?openWeights .
} ORDER BY ?released"""


def run_python(code: str) -> subprocess.CompletedProcess:
    """``code`` in a fresh interpreter that imports this checkout's genai_kg."""
    env = {"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture(scope="module")
def mine():
    """The bundled graph plus examples/my-models.ttl (typed literals: a date, integers, booleans)."""
    return load([EXAMPLE])


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "hostile.ttl"
    path.write_text(
        '@prefix ex: <https://example.org/h/> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
        f"ex:Thing rdfs:label {HOSTILE!r} .\n".replace("'", '"""'),
        encoding="utf-8",
    )
    return load([path], bundled=False)


# -- query answers ---------------------------------------------------------------------------------------
def test_keyword_and_dict_parameters_give_the_same_rows(kg):
    by_dict = kg.query("systems-by-output", {"modality": "image"})
    by_keyword = kg.query("systems-by-output", modality="image")
    assert [r.asdict() for r in by_dict] == [r.asdict() for r in by_keyword]
    labels = [str(r.label) for r in by_keyword]
    assert {"DALL-E", "Midjourney", "Stable Diffusion"} <= set(labels) and labels == sorted(labels)
    assert "BERT" not in labels
    assert kg.query("systems-by-output", {"modality": "image"}, modality="image").bindings == by_dict.bindings


def test_a_parameter_given_twice_with_different_values_is_refused(kg):
    with pytest.raises(ParameterError, match=r"params\['modality'\]: given twice"):
        kg.query("systems-by-output", {"modality": "image"}, modality="text")


def test_rows_keep_rdflib_s_ways_and_name_their_columns(kg):
    result = kg.query("systems-by-output", modality="image")
    assert isinstance(result, QueryResult)
    assert result.vars == ["system", "label", "families", "makers", "statedBy"]
    assert all(type(v) is str for v in result.vars)
    on_oxigraph = load(store="oxigraph").query("systems-by-output", modality="image")  # another engine counts
    assert len(result) == len(on_oxigraph) == len({row.system for row in result}) >= 3 and bool(result)
    first = next(iter(result))
    assert first.label == first["label"] == first[1]
    binding = result.bindings[0]
    assert binding["label"] == binding[Variable("label")] == binding.get("label") and "label" in binding
    assert str(result.rdflib_result.vars[0]) == "system"  # the rdflib Result underneath


def test_repr_is_a_text_table_and_str_has_every_row(kg, monkeypatch):
    monkeypatch.setenv("COLUMNS", "1000")  # wide enough for one line per row (80 columns wrap long cells)
    result = kg.query("systems-by-output", modality="image")
    text = repr(result)
    assert text.splitlines()[0].split() == ["system", "label", "families", "makers", "statedBy"]
    assert "gkg:DALL-E" in text and text.endswith(f"({len(result)} rows)") and len(result) >= 3
    many = kg.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 45")
    assert repr(many).endswith(f"(showing {TEXT_ROWS} of 45 rows)")
    assert str(many).endswith("(45 rows)\n") and len(str(many).splitlines()) == 45 + 3


def test_html_table_escapes_every_value(hostile):
    result = hostile.query("SELECT ?thing ?label WHERE { ?thing rdfs:label ?label }")
    page = result._repr_html_()
    assert page.startswith("<table") and "<th>thing</th><th>label</th>" in page
    assert html.escape(HOSTILE) in page
    assert "<script" not in page and "<b>" not in page
    assert 'title="https://example.org/h/Thing"' in page


def test_long_html_tables_are_cut_with_a_note(kg):
    result = kg.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 130")
    page = result._repr_html_()
    assert page.count("<tr>") == HTML_ROWS + 1  # the header row and HTML_ROWS rows
    assert f"showing {HTML_ROWS} of 130 rows" in page


def test_to_dataframe_names_columns_and_types_values(mine):
    frame = mine.query(LAB).to_dataframe()
    assert list(frame.columns) == ["model", "label", "released", "parameters", "openWeights"]
    assert frame["model"].tolist() == ["https://w3id.org/genai-kg/MyImageModel", "https://w3id.org/genai-kg/MyTextModel"]
    assert str(frame["released"].dtype).startswith("datetime64")
    assert str(frame["parameters"].dtype) == "int64" and frame["parameters"].tolist() == [900_000_000, 7_000_000_000]
    assert str(frame["openWeights"].dtype) == "boolean" and frame["openWeights"].tolist() == [True, False]
    assert frame["label"].tolist() == ["My image model", "My text model"]


def test_to_dataframe_keeps_unbound_cells_missing(kg):
    frame = kg.query("statistics").to_dataframe()
    assert list(frame.columns) == kg.query("statistics").vars
    assert str(frame["year"].dtype) == "Int64" and frame["year"].isna().any()  # integers, some unbound
    assert str(frame["value"].dtype) == "float64"  # xsd:decimal


def test_ask_shows_as_its_answer(kg):
    yes = kg.query("is-every-llm-generative-ai")
    no = kg.query("ASK { gkg:LargeLanguageModel rdfs:subClassOf gkg:DiffusionModel }")
    assert bool(yes) is True and bool(no) is False
    assert repr(yes) == "true" and str(no) == "false\n"
    assert "<strong>true</strong>" in yes._repr_html_() and "<strong>false</strong>" in no._repr_html_()
    assert yes.askAnswer is True
    assert yes.to_dataframe()["answer"].tolist() == [True]


def test_construct_and_describe_show_labelled_triples(kg):
    described = kg.query("describe-term", term="Midjourney")
    assert described.type == "DESCRIBE" and len(described) == len(described.graph) > 5
    text = repr(described)
    assert text.splitlines()[0].split() == ["subject", "predicate", "object"]
    assert re.search(r"(?m)^Midjourney +produces output +image$", text)
    assert text.endswith(f"({len(described)} triples)")
    page = described._repr_html_()
    assert '<td title="https://w3id.org/genai-kg/producesOutput">produces output</td>' in page
    again = Graph().parse(data=described.serialize(format="turtle"), format="turtle")
    assert len(again) == len(described)
    frame = described.to_dataframe()
    assert list(frame.columns) == ["subject", "predicate", "object"] and len(frame) == len(described)


def test_serialize_writes_what_the_command_line_renders(kg):
    result = kg.query("systems-by-output", modality="image")
    nsm = kg.graph.namespace_manager
    for fmt in ("table", "csv", "tsv", "json", "md"):
        ours = render(result.answer, fmt, prefixes=nsm, labels=kg.graph)
        assert ours == result.serialize(format=fmt, encoding=None)


def test_to_dataframe_without_pandas_names_the_extra():
    proc = run_python(
        "import sys; sys.modules['pandas'] = None\n"
        "import genai_kg\n"
        "try:\n    genai_kg.load().query('makers').to_dataframe()\n"
        "except genai_kg.GenaiKgError as e:\n    print(type(e).__name__, isinstance(e, ImportError), e)\n"
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "MissingDependency True to_dataframe() needs pandas: pip install 'genai-kg[notebook]'"
    assert issubclass(MissingDependency, ImportError)


# -- views -------------------------------------------------------------------------------------------------
def test_view_is_a_self_contained_page_shown_in_an_iframe(kg, tmp_path):
    view = kg.view(focus="LLM", depth=1)
    assert isinstance(view, View) and view.title == "genai-kg: LLM" and view.nodes > 10 and view.edges > 10
    assert view.html.startswith("<!DOCTYPE html>") and "connect-src 'none'" in view.html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", view.html)  # nothing fetched
    frame = view._repr_html_()
    assert frame.startswith("<iframe") and frame.count("<") == 2  # the page is all inside srcdoc, escaped
    srcdoc = re.search(r'srcdoc="([^"]*)"', frame)[1]
    assert html.unescape(srcdoc) == view.html
    view.save(tmp_path / "llm.html")
    assert (tmp_path / "llm.html").read_text(encoding="utf-8") == view.html
    assert repr(view) == f"<View 'genai-kg: LLM': {view.nodes} nodes, {view.edges} edges>"


def test_view_of_everything_and_of_a_query(kg):
    everything = kg.view()
    image = kg.view(query="systems-by-output", params={"modality": "image"}, layout="force", title="image <makers>")
    assert everything.nodes > image.nodes > 4
    assert "<title>image &lt;makers&gt;</title>" in image.html


def test_views_render_view_works_after_a_bare_import():
    proc = run_python(
        "import genai_kg\nkg = genai_kg.load()\n"
        "print(type(genai_kg.views.render_view(kg.to_networkx(focus='LLM'))).__name__)\n"
        "print(hasattr(genai_kg, 'html'))"
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["View", "False"]


# -- the facade has what the docs promise -------------------------------------------------------------------
def test_the_facade_describes_compares_and_exports(kg, tmp_path):
    """kg.describe/compare/export answer as the command line does (the same functions below)."""
    from genai_kg.cli import main
    from genai_kg.describe import format_description

    runner = CliRunner()
    about = kg.describe("GPT-4")
    assert about["label"] == "GPT-4" and about["statements"]
    assert runner.invoke(main, ["describe", "GPT-4"]).stdout == format_description(about)
    table = kg.compare("GAN", "diffusion model")
    shown = results_records(runner.invoke(main, ["compare", "GAN", "diffusion model", "--format", "json"]).stdout)
    assert [list(r.values()) for r in shown] == [[row[c] for c in table["columns"]] for row in table["rows"]]
    with pytest.raises(TermNotFound, match=r"^term: "):
        kg.describe("no such term at all")
    written = kg.export(tmp_path / "kg.nt")
    assert written == tmp_path / "kg.nt" and len(Graph().parse(written, format="nt")) == len(kg.domain_graph())
    graphml = kg.export(tmp_path / "kg.graphml")
    assert graphml.read_text(encoding="utf-8").startswith("<?xml") and "graphml" in graphml.read_text(encoding="utf-8")


@pytest.mark.slow  # pySHACL over the whole graph
def test_the_facade_validates(kg):
    report = kg.validate()
    assert report.conforms and report.count == 0


def test_the_api_and_the_cli_answer_on_the_same_store_by_default():
    from genai_kg.cli import main

    assert load().store == "oxigraph"
    result = CliRunner().invoke(main, ["query", "--sparql", "SELECT ?o WHERE { gkg:GPT-4 a ?o }", "--format", "csv"])
    assert sorted(result.stdout.split()[1:]) == sorted(str(r.o) for r in load().query(
        "SELECT ?o WHERE { gkg:GPT-4 a ?o }"))


# -- the graph's summary -----------------------------------------------------------------------------------
def test_knowledge_graph_summary_names_counts_store_and_files(mine):
    text = repr(mine)
    assert text.startswith(f"<KnowledgeGraph: {len(mine):,} triples (")
    assert "on oxigraph; from the bundled ontology (3 files) + my-models.ttl>" in text
    page = mine._repr_html_()
    assert "oxigraph" in page and "my-models.ttl" in page and f"<td>{len(mine):,}</td>" in page


# -- importing stays light --------------------------------------------------------------------------------
def test_import_genai_kg_imports_neither_pandas_nor_ipython():
    proc = run_python(
        "import sys, genai_kg\n"
        "print(sorted(m for m in ('pandas', 'IPython', 'tqdm', 'rdflib') if m in sys.modules))\n"
        "genai_kg.load().query('makers')\n"
        "print(sorted(m for m in ('pandas', 'IPython', 'tqdm') if m in sys.modules))"
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["[]", "[]"]


# -- progress ----------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def big_file(tmp_path_factory):
    """About 4.5 MB of N-Triples (50,000 triples): past the size where loading shows progress."""
    path = tmp_path_factory.mktemp("big") / "big.nt"
    with path.open("w", encoding="utf-8") as out:
        for i in range(50_000):
            out.write(f'<https://example.org/s{i}> <https://example.org/p{i % 7}> "value {i} of a big file" .\n')
    return path


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
def test_load_shows_progress_when_asked(big_file, store, capsys):
    kg = load([big_file], store=store, bundled=False, progress=True)
    assert len(kg) == 50_000
    err = capsys.readouterr().err
    assert "reading big.nt" in err and "100%" in err and "loaded 1 file" in err
    if store == "memory":  # rdflib reads, then parses: the triples are counted as they arrive
        assert "50,000 triples" in err


def test_load_is_quiet_when_stderr_is_not_a_terminal(big_file, capsys):
    load([big_file], store="oxigraph", bundled=False)
    load([big_file], store="oxigraph", bundled=False, progress=False)
    assert capsys.readouterr().err == ""


def test_view_shows_what_it_is_doing_when_asked(kg, capsys):
    kg.view(focus="LLM", progress=True)
    err = capsys.readouterr().err
    assert "collecting nodes and edges" in err and re.search(r"drawing \d+ nodes, \d+ edges", err)


def test_cli_progress_flag(big_file):
    from genai_kg.cli import main

    runner = CliRunner()
    shown = runner.invoke(main, ["stats", "--data", str(big_file), "--progress"])
    quiet = runner.invoke(main, ["stats", "--data", str(big_file)])
    off = runner.invoke(main, ["stats", "--data", str(big_file), "--no-progress"])
    assert shown.exit_code == quiet.exit_code == off.exit_code == 0
    assert "reading big.nt" in shown.stderr and "100%" in shown.stderr
    assert quiet.stderr == off.stderr == ""
    assert shown.stdout == quiet.stdout


# -- errors in Python's words ------------------------------------------------------------------------------
def _errors(kg, tmp_path):
    """Every way into an error through the public API, as a caller would stumble into it."""
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix ex: <https://example.org/> .\nex:a ex:b .\n", encoding="utf-8")
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    return {
        "unknown extension": lambda: load([tmp_path / "data.xyz"]),
        "missing file": lambda: load([tmp_path / "missing.ttl"]),
        "bad syntax": lambda: load([broken]),
        "unknown store": lambda: load(store="sqlite"),
        "unknown query": lambda: kg.query("no-such-query"),
        "unknown parameter": lambda: kg.query("systems-by-output", colour="red"),
        "no such term": lambda: kg.query("systems-by-output", modality="smell"),
        "twice": lambda: kg.query("systems-by-output", {"modality": "image"}, modality="text"),
        "syntax error": lambda: kg.query("SELECT ?x WHERE {"),
        "update": lambda: kg.query("INSERT DATA { gkg:a gkg:b gkg:c }"),
        "service": lambda: kg.query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"),
        "from": lambda: kg.query("SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }"),
        "timeout": lambda: kg.query(heavy, timeout=0.2),
        "endpoint": lambda: kg.query("makers", endpoint="http://127.0.0.1:9/query", timeout=2),
        "term": lambda: kg.resolve_term("no such thing at all"),
        "layout": lambda: kg.view(layout="spiral"),
        "focus and query": lambda: kg.view(focus="LLM", query="makers"),
        "unknown focus": lambda: kg.view(focus="no such thing at all"),
        "params without query": lambda: kg.view(params={"modality": "image"}),
        "ask drawn": lambda: kg.view(query="is-every-llm-generative-ai"),
        "save": lambda: kg.view(focus="LLM").save(tmp_path / "no" / "such" / "folder.html"),
        "serialize": lambda: kg.serialize("docx"),
    }


def test_every_error_speaks_python_not_flags(kg, tmp_path):
    messages = {}
    for name, call in _errors(kg, tmp_path).items():
        with pytest.raises(GenaiKgError) as caught:
            call()
        messages[name] = str(caught.value)
    for name, message in messages.items():
        assert not re.search(r"(?<![\w-])--[a-z]", message), f"{name}: {message}"
        assert "\n" not in message, f"{name}: {message}"
    assert messages["no such term"].startswith("params['modality']: ")
    assert messages["unknown parameter"].startswith("params['colour']: ")
    assert "pass allow_remote=True" in messages["service"]
    assert "timeout=" in messages["timeout"]
    assert messages["layout"].startswith("layout: ") and messages["unknown focus"].startswith("focus: ")


def test_one_path_loads_as_itself_not_as_its_characters(mine):
    """load("mine.ttl") is the file, as load(["mine.ttl"]) is (a string was read as one path per character)."""
    for one in (str(EXAMPLE), EXAMPLE):
        kg = load(one)
        assert kg.files[-1] == Path(EXAMPLE) and len(kg) == len(mine)
