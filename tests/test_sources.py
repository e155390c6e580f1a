"""Sentence anchors (issue 21): the splitter, `genai-kg sources check` and `sources coverage` on the bundled graph
and the real documents, each kind of broken locator failing on its own, and the pattern on a user's own document.

The documents are read from ../shared/sources (the ``sources`` fixture: a skip without them, a failure in CI).
Fixtures that need a document use small made-up ones; no sentence of the real documents is written here.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import results_records
from rdflib.namespace import DCTERMS
from rdflib.namespace import SH as SHACL

from genai_kg import load
from genai_kg.cli import main
from genai_kg.errors import DataError
from genai_kg.sources import (
    BUNDLED_SET_ASIDE,
    check,
    coverage,
    read_documents,
    read_set_aside,
    split_sentences,
)
from genai_kg.sources.page import coverage_page

ROOT = Path(__file__).resolve().parents[1]
PREFIXES = """@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix gkg: <https://w3id.org/genai-kg/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/> .
"""


def run(*args: str, code: int = 0):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, (result.exit_code, result.stdout[-2000:], result.stderr[-3000:])
    return result


def sel(start: int, end: int) -> str:
    return (f'oa:hasSelector [ a oa:TextPositionSelector ; oa:start "{start}"^^xsd:nonNegativeInteger ;'
            f' oa:end "{end}"^^xsd:nonNegativeInteger ]')


# --- the splitter, on made-up text ---------------------------------------------------------------------------

MADE_UP = (
    "Widgets Explained\n"
    "\n"
    "    A widget is small. It spins, e.g. on a desk, vs. a gadget that rolls!  \n"
    "- Speed: Widgets turn fast. They \"hum.\" Then stop.\n"
    "• Colour: mostly blue\n"
    "Ask: why? Because.\n"
)


def test_splitter_lines_bullets_and_abbreviations():
    sentences = split_sentences(MADE_UP)
    texts = [MADE_UP[s.start : s.end] for s in sentences]
    assert texts == [
        "Widgets Explained",
        "A widget is small.",
        "It spins, e.g. on a desk, vs. a gadget that rolls!",
        "Speed: Widgets turn fast.",
        'They "hum."',
        "Then stop.",
        "Colour: mostly blue",
        "Ask: why?",
        "Because.",
    ]
    assert [s.number for s in sentences] == list(range(1, 10))
    assert [s.heading for s in sentences][:2] == [True, False]
    assert sentences[6].heading  # a list item without closing punctuation is still one sentence


def test_splitter_is_deterministic_and_never_overlaps(sources):
    for name, text in read_documents(sources).items():
        first, second = split_sentences(text), split_sentences(text)
        assert first == second
        for a, b in zip(first, first[1:], strict=False):
            assert a.end <= b.start, name
        for s in first:
            chunk = text[s.start : s.end]
            assert chunk == chunk.strip() and "\n" not in chunk, (name, s)


def test_read_documents_keeps_the_text_as_it_is(tmp_path):
    raw = "caf\u00e9 \u2014 r\u00e9sum\u00e9\r\nsecond line\n".encode()
    (tmp_path / "doc.txt").write_bytes(raw)
    docs = read_documents(tmp_path)
    assert docs == {"doc.txt": raw.decode("utf-8")}  # no newline or Unicode normalisation
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe")
    with pytest.raises(DataError, match="bad.txt.*not UTF-8"):
        read_documents(tmp_path)
    with pytest.raises(DataError, match="not a folder"):
        read_documents(tmp_path / "missing")


# --- the bundled graph against the real documents ------------------------------------------------------------


def test_check_passes_on_the_bundled_graph(sources):
    result = run("sources", "check", str(sources), "--format", "json")
    rows = results_records(result.stdout)
    assert len(rows) >= 700
    texts = read_documents(sources).values()
    for row in rows:
        assert any(text[int(row["start"]) : int(row["end"])] == row["text"] for text in texts), row
    assert result.stderr == ""


def test_every_citation_of_a_source_document_has_a_locator(sources):
    report = check(load().graph, sources)
    assert report.ok, report.problems[:5]
    from genai_kg.sources import citations

    graph = load().graph
    cites = citations(graph)
    assert len(cites) >= 700
    assert all(c.locators for c in cites)
    # and every source document on a claim's axiom has its nested citation (so its locators) above
    from rdflib.namespace import OWL, RDF

    from genai_kg.sources import source_documents

    documents, cited = set(source_documents(graph)), {(c.claim, c.document) for c in cites}
    bare = [(claim, d) for ax in graph.subjects(RDF.type, OWL.Axiom)
            for claim in [tuple(graph.value(ax, x) for x in (OWL.annotatedSource, OWL.annotatedProperty,
                                                              OWL.annotatedTarget))]
            for d in graph.objects(ax, DCTERMS.source) if d in documents and (claim, d) not in cited]
    assert bare == []


def test_coverage_accounts_for_every_sentence(sources, tmp_path):
    result = run("sources", "coverage", str(sources), "--html", str(tmp_path / "pages"))
    assert "358 of 358 sentences accounted for (100.0%)" in result.stderr
    pages = sorted(p.name for p in (tmp_path / "pages").iterdir())
    assert pages == ["000_513130e280630361.html", "001_f0c9a2455d250724.html", "002_286def345c9b6666.html"]
    page = (tmp_path / "pages" / pages[0]).read_text(encoding="utf-8")
    assert "<script" not in page and 'class="s c0"' not in page  # nothing unaccounted, nothing to run
    assert 'title="sentence 5: ' in page


def test_set_aside_lines_name_sentences_by_offsets_and_hash(sources):
    rows = read_set_aside(BUNDLED_SET_ASIDE)
    hashes = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sources.iterdir()}
    assert rows and all(row.sha256 == hashes[row.file] for row in rows)
    report = coverage(load().graph, sources, rows)
    assert report.ok, report.problems
    set_aside = [s for d in report.documents for s in d.sentences if s.set_aside]
    assert len(set_aside) == len(rows)
    assert {s.set_aside.reason for s in set_aside} == {
        "marketing-or-navigation", "rhetorical-or-question", "repeats", "out-of-scope",
    }


def test_no_sentence_of_the_documents_is_copied_into_the_project(sources):
    shipped = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "ontology").iterdir() if p.is_file())
    shipped += "".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_*.py"))
    for title in load().graph.objects(None, DCTERMS.title):  # a document's title is its metadata, not a quote
        shipped = shipped.replace(str(title), "")
    copied = []
    for text in read_documents(sources).values():
        for s in split_sentences(text):
            sentence = text[s.start : s.end]
            if not s.heading and len(sentence) >= 40 and sentence in shipped:  # a title may be dcterms:title
                copied.append(sentence[:40])
    assert copied == []


# --- each kind of broken anchor fails on its own -------------------------------------------------------------


def _claim(target: str, section: str, *selectors: str) -> str:
    return PREFIXES + f"""
ex:Claim a owl:Axiom ; owl:annotatedSource gkg:GPT-4 ; owl:annotatedProperty gkg:producesOutput ;
    owl:annotatedTarget gkg:Text ; dcterms:source gkg:{target} .
[] a owl:Annotation ; owl:annotatedSource ex:Claim ; owl:annotatedProperty dcterms:source ;
    owl:annotatedTarget gkg:{target} ; gkg:sourceSection "{section}" ;
    {' ; '.join(selectors)} .
"""


def _sentence_in(sources, file: str, number: int):
    text = read_documents(sources)[file]
    return split_sentences(text)[number - 1]


@pytest.fixture()
def good_sentence(sources):
    """A sentence inside the untitled article's 'Output Formats' section, found by offsets from the graph."""
    graph = load().graph
    from genai_kg.sources import source_documents

    doc = next(d for d in source_documents(graph).values() if d.file == "002_286def345c9b6666.txt")
    span = doc.sections["Output Formats"][0]
    text = read_documents(sources)[doc.file]
    return next(s for s in split_sentences(text) if span.start < s.start and s.end <= span.end)


def test_a_good_user_claim_passes(sources, tmp_path, good_sentence):
    data = tmp_path / "ok.ttl"
    data.write_text(_claim("SubsetArticle", "Output Formats", sel(good_sentence.start, good_sentence.end)))
    run("sources", "check", str(sources), "--data", str(data), "--format", "csv")


@pytest.mark.parametrize(
    "kind, shift, message",
    [
        ("unresolvable", None, "does not resolve"),
        ("starts inside", (1, 0), "starts inside a sentence"),
        ("ends inside", (0, -1), "ends inside a sentence"),
        ("outside section", "section", "falls outside section 'Output Formats'"),
    ],
)
def test_a_broken_locator_fails(sources, tmp_path, good_sentence, kind, shift, message):
    start, end = good_sentence.start, good_sentence.end
    if shift is None:
        start, end = 10**6, 10**6 + 5
    elif shift == "section":
        first = _sentence_in(sources, "002_286def345c9b6666.txt", 1)
        start, end = first.start, first.end
    else:
        start, end = start + shift[0], end + shift[1]
    data = tmp_path / "broken.ttl"
    data.write_text(_claim("SubsetArticle", "Output Formats", sel(start, end)))
    result = run("sources", "check", str(sources), "--data", str(data), code=1)
    problems = result.stderr.strip().splitlines()
    assert problems[-1] == "1 problem"
    assert len(problems) == 2 and message in problems[0] and "GPT-4 produces output text" in problems[0], problems
    assert "Traceback" not in result.stderr


def test_an_undeclared_section_fails(sources, tmp_path, good_sentence):
    data = tmp_path / "section.ttl"
    data.write_text(_claim("SubsetArticle", "No Such Section", sel(good_sentence.start, good_sentence.end)))
    result = run("sources", "check", str(sources), "--data", str(data), code=1)
    assert "section 'No Such Section' is not declared" in result.stderr


def test_a_changed_document_fails(sources, tmp_path):
    copy = tmp_path / "docs"
    shutil.copytree(sources, copy)
    changed = copy / "001_f0c9a2455d250724.txt"
    changed.write_bytes(changed.read_bytes() + b"\n")  # same sentences, different bytes
    result = run("sources", "check", str(copy), code=1)
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "001_f0c9a2455d250724.txt: SHA-256 differs from gkg:sha256 (the document changed)"
    assert lines[-1] == "1 problem"
    result = run("sources", "coverage", str(copy), code=1)
    assert "001_f0c9a2455d250724.txt: SHA-256 differs" in result.stderr


def test_a_missing_document_is_named_and_an_empty_folder_fails(sources, tmp_path):
    copy = tmp_path / "docs"
    shutil.copytree(sources, copy)
    (copy / "002_286def345c9b6666.txt").unlink()
    result = run("sources", "check", str(copy), "--format", "csv")
    assert result.stderr == f"not in {copy}, so not checked: 002_286def345c9b6666.txt\n"
    assert "untitled article" not in result.stdout and "PromptLayer" in result.stdout
    (tmp_path / "empty").mkdir()
    result = run("sources", "check", str(tmp_path / "empty"), code=1)
    assert "none of the documents the graph names (gkg:sourceFile) is in the folder" in result.stderr


# --- a user's own document, anchored the same way ------------------------------------------------------------

USER_DOC = "Gizmos\nA gizmo makes pictures. It is <b>fast</b> & cheap.\nBuy one today!\n"


def _user_graph(tmp_path: Path, with_hash: bool = True, section_shift: int = 0) -> Path:
    folder = tmp_path / "mydocs"
    folder.mkdir()
    (folder / "gizmo.txt").write_text(USER_DOC, encoding="utf-8")
    digest = hashlib.sha256(USER_DOC.encode()).hexdigest()
    sentences = split_sentences(USER_DOC)
    second = sentences[1]
    sentences[0] = sentences[0]._replace(start=sentences[0].start + section_shift)
    data = tmp_path / "mine.ttl"
    data.write_text(PREFIXES + f"""
ex:GizmoNote a owl:NamedIndividual, gkg:SourceDocument ; rdfs:label "gizmo note"@en ;
    gkg:sourceFile "gizmo.txt" ; {'gkg:sha256 "' + digest + '" ;' if with_hash else ''}
    gkg:hasSection [ gkg:sourceSection "Gizmos" ; {sel(sentences[0].start, sentences[-1].end)} ] .
ex:Gizmo a owl:NamedIndividual, gkg:ImageGenerationModel ; rdfs:label "gizmo"@en .
ex:Ax a owl:Axiom ; owl:annotatedSource ex:Gizmo ; owl:annotatedProperty gkg:producesOutput ;
    owl:annotatedTarget gkg:Image ; dcterms:source ex:GizmoNote .
[] a owl:Annotation ; owl:annotatedSource ex:Ax ; owl:annotatedProperty dcterms:source ;
    owl:annotatedTarget ex:GizmoNote ; gkg:sourceSection "Gizmos" ; {sel(second.start, second.end)} .
""")
    return data


def test_check_and_coverage_take_every_row_format_of_the_registry(tmp_path):
    """sources check and coverage write their rows through the answer registry: every row format, the same
    variables in each, json the W3C SPARQL 1.1 results form."""
    from genai_kg.answers import ROW_FORMATS

    data = _user_graph(tmp_path)
    folder = tmp_path / "mydocs"
    for command, names, code in (("check", "claim", 0), ("coverage", "file", 1)):
        outputs = {f: run("sources", command, str(folder), "--data", str(data), "--format", f, code=code).stdout
                   for f in ROW_FORMATS}
        rows = results_records(outputs["json"])
        assert rows and all(names in r for r in rows)
        assert outputs["csv"].splitlines()[0].split(",")[0] == names
        assert outputs["tsv"].splitlines()[0].split("\t")[0] == f"?{names}"
        assert f'<variable name="{names}"/>' in outputs["xml"]
        assert outputs["md"].startswith(f"| {names} |") and outputs["table"].split()[0] == names


def test_a_users_own_document_is_checked_and_covered(tmp_path):
    data = _user_graph(tmp_path)
    folder = tmp_path / "mydocs"
    result = run("sources", "check", str(folder), "--data", str(data), "--format", "json")
    assert "so not checked: 000_513130e280630361.txt, 001_f0c9a2455d250724.txt" in result.stderr
    rows = results_records(result.stdout)
    assert [r["claim"] for r in rows] == ["gizmo produces output image"]
    assert rows[0]["sentences"] == "2"
    # four sentences, one anchored: coverage fails until the other three are set aside
    result = run("sources", "coverage", str(folder), "--data", str(data), code=1)
    assert "gizmo.txt: 4 sentences, 1 anchor claims, 0 set aside, 3 unaccounted" in result.stderr
    sentences = split_sentences(USER_DOC)
    digest = hashlib.sha256(USER_DOC.encode()).hexdigest()
    aside = tmp_path / "aside.tsv"
    lines = ["file\tsha256\tstart\tend\treason\tdetail"]
    lines.append(f"gizmo.txt\t{digest}\t{sentences[0].start}\t{sentences[0].end}\tmarketing-or-navigation\theading")
    lines.append(f"gizmo.txt\t{digest}\t{sentences[2].start}\t{sentences[2].end}\tout-of-scope\tprice, not a property")
    lines.append(f"gizmo.txt\t{digest}\t{sentences[3].start}\t{sentences[3].end}\tmarketing-or-navigation\tadvert")
    aside.write_text("\n".join(lines) + "\n")
    result = run("sources", "coverage", str(folder), "--data", str(data), "--set-aside", str(aside), "--html",
                 str(tmp_path / "pages"))
    assert "4 of 4 sentences accounted for (100.0%)" in result.stderr
    page = (tmp_path / "pages" / "gizmo.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;fast&lt;/b&gt; &amp; cheap" in page and "<b>" not in page
    assert "default-src 'none'" in page and "<script" not in page


def test_a_section_cut_inside_a_sentence_fails(tmp_path):
    """A document's declared section is checked like a locator: one that starts inside a sentence fails on
    its own (the claim's locator inside it is still whole)."""
    data = _user_graph(tmp_path, section_shift=2)
    result = run("sources", "check", str(tmp_path / "mydocs"), "--data", str(data), code=1)
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == "1 problem" and "gizmo.txt: section 'Gizmos' 2-" in lines[-2], lines
    assert "starts inside a sentence" in lines[-2]


def test_a_user_document_without_hash_fails(tmp_path):
    data = _user_graph(tmp_path, with_hash=False)
    result = run("sources", "check", str(tmp_path / "mydocs"), "--data", str(data), code=1)
    assert "gizmo.txt: the document node has no gkg:sha256" in result.stderr


def test_a_malformed_set_aside_file_is_one_line(tmp_path, sources):
    bad = tmp_path / "bad.tsv"
    bad.write_text("file\tsha256\tstart\tend\treason\tdetail\nx.txt\tab\t1\t2\tboring\t\n")
    with pytest.raises(DataError, match="line 2: reason 'boring' is not one of"):
        read_set_aside(bad)
    result = run("sources", "coverage", str(sources), "--set-aside", str(bad), code=2)
    assert result.stderr.count("\n") == 1 and "bad.tsv: line 2" in result.stderr


def test_coverage_page_escapes_and_shades(tmp_path):
    data = _user_graph(tmp_path)
    report = coverage(load([data]).graph, tmp_path / "mydocs")
    page = coverage_page(report.documents[0])
    assert page.count('class="s c0"') == 3 and page.count('class="s c1"') == 1
    assert "gizmo produces output image" in page
    # the legend says how many sentences wear each shade, so the page's state reads before any hover
    assert '<span class="c0">no claim, not set aside: 3</span>' in page
    assert '<span class="aside">set aside: 0</span><span class="c1">1 claim: 1</span>' in page


def _luminance(css: str) -> float:
    """WCAG relative luminance of an ``rgb(r, g, b)`` colour."""
    channels = [int(x) / 255 for x in css[css.index("(") + 1 : css.index(")")].split(",")[:3]]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.browser
def test_coverage_page_reads_at_first_sight(browser, sources, tmp_path):
    """In Chromium: a set-aside sentence is unshaded grey text, told apart from a shaded one; the claim-count
    shades step darker by a visible amount each (WCAG luminance, >= 0.1 apart) from the white page; every
    sentence's text keeps a 4.5:1 contrast on its shade; a sentence's claims are in its hover title."""
    run("sources", "coverage", str(sources), "--html", str(tmp_path / "pages"))
    page = browser.new_page()
    try:
        page.goto((tmp_path / "pages" / "001_f0c9a2455d250724.html").as_uri())
        styles = page.evaluate("""() => Object.fromEntries(['aside', 'c1', 'c2', 'c3', 'c4'].map(c => {
            const e = document.querySelector('pre .s.' + c), st = getComputedStyle(e);
            return [c, [st.backgroundColor, st.color, e.title]]; }))""")
    finally:
        page.close()
    assert styles["aside"][0] == "rgba(0, 0, 0, 0)" and _luminance(styles["aside"][1]) > 0.15
    ramp = [1.0] + [_luminance(styles[c][0]) for c in ("c1", "c2", "c3", "c4")]
    assert all(a - b >= 0.1 for a, b in zip(ramp, ramp[1:], strict=False)), ramp
    for c in ("c1", "c2", "c3", "c4"):
        back, fore = _luminance(styles[c][0]), _luminance(styles[c][1])
        assert (max(back, fore) + 0.05) / (min(back, fore) + 0.05) >= 4.5, (c, styles[c])
        assert styles[c][2].startswith("sentence ") and "claim" in styles[c][2].splitlines()[0]
    assert "set aside (" in styles["aside"][2]


# --- the shapes check the pattern ---------------------------------------------------------------------------


def test_shapes_catch_a_malformed_anchor(tmp_path):
    import pyshacl
    from rdflib import Graph

    data = Graph().parse(data=PREFIXES + f"""
ex:Doc gkg:sourceFile "doc.txt" ; gkg:sha256 "not-a-hash" ;
    gkg:hasSection [ oa:hasSelector [ a oa:TextPositionSelector ; oa:start 0 ; oa:end 9 ] ] .
ex:Ax a owl:Axiom ; owl:annotatedSource ex:A ; owl:annotatedProperty gkg:producesOutput ;
    owl:annotatedTarget gkg:Text ; dcterms:source ex:Doc .
ex:Cite a owl:Annotation ; owl:annotatedSource ex:Ax ; owl:annotatedProperty dcterms:source ;
    owl:annotatedTarget ex:Doc ; {sel(5, 5)} .
""", format="turtle")
    shapes = Graph().parse(ROOT / "ontology" / "shapes.ttl")
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes)
    assert not conforms
    messages = {str(m) for m in report.objects(None, SHACL.resultMessage)}
    assert any("exactly one gkg:sha256" in m for m in messages)  # not 64 hex digits
    assert any("A section (gkg:hasSection) needs exactly one gkg:sourceSection" in m for m in messages)
    assert any("needs a gkg:sourceSection and at least one oa:hasSelector" in m for m in messages)
    assert any("oa:end > oa:start" in m for m in messages)  # end == start


# --- describe and docs show locators; the text only with --sources ---------------------------------------------


def test_describe_shows_locators_and_text_only_with_sources(sources):
    plain = json.loads(run("describe", "GPT-3", "--format", "json").stdout)
    typing = next(s for s in plain["statements"] if s["value"]["text"] == "large language model")
    reve = next(c for c in typing["sources"] if c["source"].endswith("ReveChatArticle"))
    assert reve["locators"] and all(set(loc) == {"start", "end"} for loc in reve["locators"])
    table = run("describe", "GPT-3").stdout
    assert "@" in table
    texts = read_documents(sources)
    quoted = json.loads(run("describe", "GPT-3", "--format", "json", "--sources", str(sources)).stdout)
    typing = next(s for s in quoted["statements"] if s["value"]["text"] == "large language model")
    reve = next(c for c in typing["sources"] if c["source"].endswith("ReveChatArticle"))
    for loc in reve["locators"]:
        assert loc["text"] == texts["000_513130e280630361.txt"][loc["start"] : loc["end"]]
    # nothing of the documents leaks without --sources
    first = reve["locators"][0]["text"]
    assert first not in table and first not in json.dumps(plain)


def test_docs_show_locators_and_quote_only_with_sources(sources, tmp_path):
    run("docs", "-o", str(tmp_path / "plain"))
    run("docs", "-o", str(tmp_path / "quoted"), "--sources", str(sources))
    plain = (tmp_path / "plain" / "GPT-3.html").read_text(encoding="utf-8")
    quoted = (tmp_path / "quoted" / "GPT-3.html").read_text(encoding="utf-8")
    assert 'class="loc">@' in plain and "<blockquote>" not in plain
    assert "<blockquote>" in quoted and "<script" not in quoted


# --- tests that need the documents: a skip with the reason, a failure with CI set ---------------------------


def test_no_test_reads_the_documents_past_the_sources_fixture():
    """The documents' folder is reached only through the ``sources`` fixture, so no test quietly does less
    (a test that checks the folder exists and goes on without it) when the folder is missing."""
    import re

    readers = [p.name for p in (ROOT / "tests").glob("*.py")
               if p.name != "conftest.py" and re.search(r"\bSOURCE[S]\b|shared\" */ *\"source[s]", p.read_text())]
    assert readers == []


@pytest.mark.parametrize("ci", ["", "1"])
def test_a_missing_sources_folder_skips_with_the_reason_or_fails_in_ci(tmp_path, ci):
    import os
    import subprocess
    import sys

    env = {**os.environ, "GENAI_KG_SOURCES": str(tmp_path / "missing"), "CI": ci}
    picked = ["tests/test_sources.py::test_splitter_is_deterministic_and_never_overlaps",
              "tests/test_citations.py::test_reve_table_rows_are_the_documents"]
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", *picked],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    out = result.stdout
    if ci:
        assert result.returncode == 1 and "2 errors" in out, out[-2000:]  # the fixture fails: never green
        assert "CI is set, so a missing component fails instead of skipping" in out
    else:
        assert result.returncode == 0 and "2 skipped" in out, out[-2000:]
        assert "the source documents (shared/sources beside the checkout) is not installed" in out
        assert "skipped because CI is not set" in out


def _document_sentences(sources) -> set[str]:
    """Every sentence of the documents long enough to be a quotation (a heading, a short cell or a document's
    title, which the graph keeps as its dcterms:title, is not)."""
    found = set()
    for text in read_documents(sources).values():
        for s in split_sentences(text):
            if not s.heading and s.end - s.start >= 40:
                found.add(text[s.start : s.end])
    return found - {str(t) for t in load().graph.objects(None, DCTERMS.title)}


def _quoted(sentences: set[str], outputs: dict[str, str]) -> dict[str, int]:
    import html as html_module

    return {name: n for name, out in outputs.items()
            if (n := sum(s in html_module.unescape(out) for s in sentences))}


@pytest.mark.slow  # every command that writes text (docs' 318 pages, exports in four syntaxes) over the whole graph
def test_without_sources_no_output_quotes_a_document(sources, tmp_path):
    """Issue 21 item 4: without --sources DIR no text of the documents goes into any output: the view, every
    docs page, describe (table and json) of the documents and of well-cited terms, the exports. With --sources
    the same view, docs and describe do quote them (so the search below finds what it looks for)."""
    sentences = _document_sentences(sources)
    terms = ["GPT-3", "LargeLanguageModel", "GenerativeAI", "ChatGPT", "ReveChatArticle", "SubsetArticle"]

    def outputs(*with_sources: str) -> dict[str, str]:
        folder = tmp_path / ("quoted" if with_sources else "plain")
        folder.mkdir()
        run("view", "-o", str(folder / "view.html"), *with_sources)
        run("docs", "-o", str(folder / "docs"), *with_sources)
        found = {"view": (folder / "view.html").read_text(encoding="utf-8")}
        found.update({f"docs/{p.name}": p.read_text(encoding="utf-8") for p in (folder / "docs").rglob("*.html")})
        for term in terms:
            for form in ("table", "json"):
                out = run("describe", term, "--format", form, *with_sources).stdout
                found[f"describe {term} {form}"] = json.dumps(json.loads(out), ensure_ascii=False) \
                    if form == "json" else out
        return found

    plain = outputs()
    for form in ("ttl", "json-ld", "nt", "xml"):
        plain[f"export {form}"] = run("export", "--format", form).stdout
    assert len(plain) > 300 and _quoted(sentences, plain) == {}
    quoted = _quoted(sentences, outputs("--sources", str(sources)))
    assert quoted.get("view") and quoted.get("docs/GPT-3.html") and quoted.get("describe GPT-3 json"), quoted


def test_the_vocabularys_anchor_example_is_the_bundled_graphs(sources):
    """ontology/VOCABULARY.md's Anchors example and walkthrough stay true: its section span and locator are
    those of the bundled graph, and `coverage --all --format csv` has the columns it names."""
    import re

    from rdflib.namespace import RDFS

    from genai_kg.sources import citations, source_documents
    from genai_kg.vocab import GKG

    text = (ROOT / "ontology" / "VOCABULARY.md").read_text(encoding="utf-8")
    block = text[text.index("## Anchors:") : text.index("## Terms")]
    section = re.findall(r'gkg:sourceSection "([^"]+)"', block)[0]
    (s0, e0), (s1, e1) = [(int(a), int(b)) for a, b in re.findall(r"oa:start (\d+) ; oa:end (\d+)", block)[:2]]
    graph = load().graph
    doc = source_documents(graph)[GKG.ReveChatArticle]
    assert [(x.start, x.end) for x in doc.sections[section]] == [(s0, e0)]  # the section it declares
    cite = next(c for c in citations(graph) if c.document == GKG.ReveChatArticle
                and c.claim == (GKG.LargeLanguageModel, RDFS.subClassOf, GKG.GenerativeAI))
    assert section in cite.sections and (s1, e1) in {(x.start, x.end) for x in cite.locators}
    assert "`file,sentence,start,end,claims,set_aside`" in block
    header = run("sources", "coverage", str(sources), "--all", "--format", "csv").stdout.splitlines()[0]
    assert header == "file,sentence,start,end,claims,set_aside"
