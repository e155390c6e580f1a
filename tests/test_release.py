"""Releases and diffs: the artefacts a release writes, and changes explained as a person reads them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from genai_kg.cli import main
from genai_kg.diff import diff_graphs
from genai_kg.release import REPOSITORY, read_version, write_release

OLD = """@prefix gkg: <https://w3id.org/genai-kg/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
gkg:A a owl:Class ; rdfs:label "a"@en ; rdfs:subClassOf gkg:Top .
gkg:B a owl:Class ; rdfs:label "b"@en ; rdfs:subClassOf gkg:Top .
gkg:Top a owl:Class ; rdfs:label "top"@en .
gkg:Mid a owl:Class ; rdfs:label "middle"@en ; rdfs:subClassOf gkg:Top .
gkg:X a gkg:A ; rdfs:label "x"@en ; gkg:uses gkg:B ; skos:closeMatch <https://w3id.org/aio/Thing> .
_:X_uses_B a owl:Axiom ; owl:annotatedSource gkg:X ; owl:annotatedProperty gkg:uses ; owl:annotatedTarget gkg:B ;
    dcterms:source gkg:Doc1 .
[] a owl:Annotation ; owl:annotatedSource _:X_uses_B ; owl:annotatedProperty dcterms:source ;
    owl:annotatedTarget gkg:Doc1 ; gkg:sourceSection "Intro" .
"""
NEW = (
    OLD.replace('rdfs:label "a"@en', 'rdfs:label "alpha"@en')  # renamed
    .replace('"b"@en ; rdfs:subClassOf gkg:Top', '"b"@en ; rdfs:subClassOf gkg:Mid')  # moved
    .replace("dcterms:source gkg:Doc1 .", "dcterms:source gkg:Doc1, gkg:Doc2 .")  # source added
    .replace('"Intro"', '"Methods"')  # anchor changed
    .replace("<https://w3id.org/aio/Thing>", "<https://w3id.org/aio/Other>")  # mapping changed
    + """gkg:X gkg:uses gkg:Top .
_:X_uses_Top a owl:Axiom ; owl:annotatedSource gkg:X ; owl:annotatedProperty gkg:uses ; owl:annotatedTarget gkg:Top ;
    dcterms:source gkg:Doc2 .
gkg:D a gkg:Disagreement ; rdfs:label "d"@en .
"""
)


@pytest.fixture
def versions(tmp_path):
    (tmp_path / "old.ttl").write_text(OLD, encoding="utf-8")
    (tmp_path / "new.ttl").write_text(NEW, encoding="utf-8")
    return tmp_path / "old.ttl", tmp_path / "new.ttl"


def test_diff_names_each_change_as_a_person_reads_it(versions):
    old, new = (read_version(str(p)) for p in versions)
    result = diff_graphs(old, new, old_name="old", new_name="new")
    assert result.unexplained == []
    assert result.explained() == result.triples_added + result.triples_removed > 0
    assert result.counts() == {
        "disagreement-added": 1, "renamed": 1, "moved": 1, "claim-added": 1, "source-changed": 1,
        "anchor-changed": 1, "mapping": 2,
    }
    text = result.to_markdown()
    assert "**alpha**: a -> alpha" in text and "from top to middle" in text
    doc = json.loads(result.to_json())
    assert doc["counts"]["claim-added"] == 1 and doc["triples"]["unexplained"] == 0
    assert {c["kind"] for c in doc["changes"]} == set(doc["counts"])


def test_diff_of_a_version_with_itself_is_empty(versions):
    old = read_version(str(versions[0]))
    again = read_version(str(versions[0]))  # new blank-node labels from the parser: still no change
    result = diff_graphs(old, again)
    assert (result.triples_added, result.triples_removed, result.changes) == (0, 0, [])
    assert "No changes." in result.to_markdown()


def ontology_commits() -> list[str]:
    if shutil.which("git") is None or not (REPOSITORY / ".git").exists():
        if os.environ.get("CI"):
            pytest.fail("git and the repository's history are needed in CI")
        pytest.skip("no git checkout")
    done = subprocess.run(["git", "-C", str(REPOSITORY), "log", "--format=%H", "-n", "12", "--", "ontology"],
                          capture_output=True, text=True, timeout=60)
    commits = done.stdout.split()[::-1]
    if len(commits) < 2:
        if os.environ.get("CI"):
            pytest.fail("the repository's history (two commits of ontology/ or more) is needed in CI")
        pytest.skip("the checkout's history holds fewer than two commits of ontology/")
    return commits


@pytest.mark.slow  # builds releases from the repository's history
def test_diff_explains_every_difference_in_the_repositorys_history():
    """Consecutive commits of ontology/, and the whole span: no triple-level difference is left unexplained."""
    commits = ontology_commits()
    graphs = {c: read_version(f"git:{c}") for c in commits}
    pairs = [*zip(commits, commits[1:], strict=False), (commits[0], commits[-1])]
    differing = 0
    for a, b in pairs:
        result = diff_graphs(graphs[a], graphs[b], old_name=a, new_name=b)
        assert result.unexplained == [], (a, b, result.unexplained[:5])
        assert result.explained() == result.triples_added + result.triples_removed
        differing += bool(result.changes)
    assert differing >= 2


@pytest.mark.slow  # builds releases from the repository's history
def test_release_writes_every_artefact_the_same_every_time(tmp_path):
    first = write_release("2026-12-07", tmp_path / "one")
    second = write_release("2026-12-07", tmp_path / "two")
    names = sorted(p.name for p in first.files)
    assert names == sorted(p.name for p in second.files)
    for kind in ("full", "base"):
        for suffix in ("owl", "ofn", "ttl", "jsonld"):
            assert f"genai-kg-{kind}.{suffix}" in names
    assert {"mappings.sssom.tsv", "mappings-wikidata.sssom.tsv", "release-notes.md", "release-notes.json"} <= set(names)
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    full = (tmp_path / "one" / "genai-kg-full.ttl").read_text(encoding="utf-8")
    assert "<https://w3id.org/genai-kg/ontology/releases/2026-12-07>" in full
    assert "gkg:ComparisonAspect" in full  # the presentation module is merged into the full release
    assert "gkg:ComparisonAspect" not in (tmp_path / "one" / "genai-kg-base.ttl").read_text(encoding="utf-8")


@pytest.mark.slow  # builds releases from the repository's history
def test_release_notes_are_the_diff_against_the_prior_release(tmp_path):
    write_release("2026-12-07", tmp_path / "prior")
    later = write_release("2026-12-08", tmp_path / "later", prior=str(tmp_path / "prior"))
    notes = json.loads((tmp_path / "later" / "release-notes.json").read_text(encoding="utf-8"))
    assert notes["counts"] == {"header": 6}  # only the stamp changed: version IRI, info, prior, in 2 headers
    assert notes["triples"]["unexplained"] == 0 and later.notes.unexplained == []
    full = (tmp_path / "later" / "genai-kg-full.ttl").read_text(encoding="utf-8")
    assert "owl:priorVersion <https://w3id.org/genai-kg/ontology/releases/2026-12-07>" in full


def test_cli_release_and_diff(tmp_path, versions):
    runner = CliRunner()
    done = runner.invoke(main, ["diff", str(versions[0]), str(versions[1]), "--format", "json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["counts"]["renamed"] == 1
    bad = runner.invoke(main, ["release", "no/slashes", "-o", str(tmp_path / "r")])
    assert bad.exit_code == 2 and "not a version" in bad.stderr and "Traceback" not in bad.output
    assert not (tmp_path / "r").exists()
    missing = runner.invoke(main, ["diff", str(tmp_path / "absent.ttl"), str(versions[1])])
    assert missing.exit_code == 2 and missing.stderr.count("\n") == 1


def test_changelog_names_the_release():
    text = (Path(__file__).parents[1] / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## 2026-12-07" in text
