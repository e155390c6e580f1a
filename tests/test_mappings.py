"""The mappings to AIO and Wikidata: the SSSOM table beside the ontology says exactly what the Turtle says.

The AIO IRIs and labels below were read from AIO's released aio.obo (release 2024-11-11,
https://w3id.org/aio/releases/2024-11-11/aio.owl; berkeleybop/artificial-intelligence-ontology). The
2024-03-28 release spelled some IRIs with hyphens (Encoder-DecoderLLM); the 2024-11 release does not.
"""

import csv
import os
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest
from conftest import missing, ontology_graph
from rdflib import RDFS, URIRef

from genai_kg.vocab import GKG, SKOS

ONTOLOGY = Path(__file__).parents[1] / "ontology"
TSV = ONTOLOGY / "mappings.sssom.tsv"
#: Every mapping set: AIO's (classes of one release) and Wikidata's (items, object_type rdfs resource).
MAPPING_SETS = sorted(ONTOLOGY.glob("mappings*.sssom.tsv"))
PREFIXES = {"gkg": str(GKG), "aio": "https://w3id.org/aio/", "wd": "http://www.wikidata.org/entity/",
            "skos": str(SKOS)}
MAPPING_PREDICATES = [SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch]

#: AIO terms checked against the release, with their labels there.
AIO_RELEASED = {
    "LargeLanguageModel": "Large Language Model",
    "GenerativeAdversarialNetwork": "Generative Adversarial Network",
    "VariationalAutoEncoder": "Variational Auto Encoder",
    "TransformerNetwork": "Transformer Network",
    "TransformerLanguageModel": "Transformer Language Model",
    "MultimodalLLM": "Multimodal LLM",
    "MachineLearningTask": "Machine Learning Task",
    "DialogueLLM": "Dialogue LLM",
    "SupervisedLearning": "Supervised Learning",
    "UnsupervisedLearning": "Unsupervised Learning",
    "DataAugmentation": "Data Augmentation",
    "MultiHeadAttentionLayer": "MultiHeadAttention Layer",
    "EncoderLLM": "Encoder LLM",
    "DecoderLLM": "Decoder LLM",
    "EncoderDecoderLLM": "Encoder-Decoder LLM",
    "Bias": "Bias",
    "BidirectionalTransformerLanguageModel": "Bidirectional Transformer Language Model",
    "ArtificialNeuralNetwork": "Artificial Neural Network",
}


def expand(curie: str) -> URIRef:
    prefix, local = curie.split(":", 1)
    return URIRef(PREFIXES[prefix] + local)


graph = ontology_graph


def read_rows(path: Path) -> list[dict]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


@lru_cache(maxsize=1)
def rows() -> list[dict]:
    """The rows of every mapping set."""
    return [row for path in MAPPING_SETS for row in read_rows(path)]


def sssom_command() -> str | None:
    found = shutil.which("sssom") or shutil.which("sssom", path=os.path.dirname(sys.executable))
    if found is None and os.environ.get("CI"):
        pytest.fail("the sssom command (pip install sssom) is needed in CI")
    return found


def test_two_mapping_sets_aio_and_wikidata():
    assert [p.name for p in MAPPING_SETS] == ["mappings-wikidata.sssom.tsv", "mappings.sssom.tsv"]
    assert {r["object_id"].split(":")[0] for r in read_rows(TSV)} == {"aio"}
    assert {r["object_id"].split(":")[0] for r in read_rows(ONTOLOGY / "mappings-wikidata.sssom.tsv")} == {"wd"}


@pytest.mark.slow  # the sssom toolkit's own validator over each mapping set
@pytest.mark.parametrize("path", MAPPING_SETS, ids=lambda p: p.name)
def test_sssom_validate_accepts_the_mapping_set(path):
    """The SSSOM reference implementation reads every row (none dropped as ill-formed) and validates."""
    command = sssom_command()
    if command is None:
        missing("sssom (the SSSOM toolkit)", "pip install sssom (in the test extras: pip install -e '.[test]')")
    done = subprocess.run([command, "validate", str(path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "not well-formed" not in done.stderr and "incorrect value" not in done.stderr, done.stderr[-2000:]


@pytest.mark.parametrize("path", MAPPING_SETS, ids=lambda p: p.name)
def test_sssom_header_and_columns(path):
    text = path.read_text(encoding="utf-8")
    for key in ("# curie_map:", "# mapping_set_id:", "# license:", "# mapping_set_version:", "# creator_id:"):
        assert key in text
    assert "contributors" not in text  # a creator is an agent with an id, not a project's name
    assert {"subject_id", "predicate_id", "object_id", "mapping_justification", "author_id", "mapping_date"} <= set(
        read_rows(path)[0]
    )


def test_every_mapping_is_justified_and_says_who_and_when():
    for r in rows():
        assert r["mapping_justification"].startswith("semapv:"), r
        assert r["author_id"] and r["mapping_date"], r
        if r["reviewer_id"]:  # a person checked it: who (reviewer_id) and when (mapping_date, the check's date)
            assert r["mapping_date"] >= "2026-12-07", r
    assert all(r["reviewer_id"] for r in rows() if r["object_id"].startswith("aio:"))  # all re-checked


def test_table_and_turtle_agree():
    g = graph()
    in_turtle = {
        (s, p, o)
        for p in MAPPING_PREDICATES
        for s, o in g.subject_objects(p)
        if not str(o).startswith(str(GKG))  # links between our own near-duplicates are not external mappings
    }
    in_table = {(expand(r["subject_id"]), expand(r["predicate_id"]), expand(r["object_id"])) for r in rows()}
    assert in_table == in_turtle
    for r in rows():
        assert r["subject_label"] == str(g.value(expand(r["subject_id"]), RDFS.label)), r["subject_id"]


def test_aio_mappings_use_released_iris_and_labels():
    aio = [r for r in rows() if r["object_id"].startswith("aio:")]
    assert len(aio) >= 15
    for r in aio:
        local = r["object_id"].split(":", 1)[1]
        assert AIO_RELEASED.get(local) == r["object_label"], r["object_id"]
    assert "# object_source_version: aiorelease:2024-11-11/aio.owl" in TSV.read_text(encoding="utf-8")
    # every AIO term the issue names that AIO has is mapped
    mapped = {r["object_id"] for r in aio}
    for term in ("SupervisedLearning", "UnsupervisedLearning", "DataAugmentation", "MultiHeadAttentionLayer",
                 "EncoderLLM", "DecoderLLM", "EncoderDecoderLLM", "MultimodalLLM", "Bias",
                 "BidirectionalTransformerLanguageModel"):
        assert f"aio:{term}" in mapped, term


def test_exact_matches_only_between_terms_of_the_same_kind():
    for r in rows():
        if r["predicate_id"] == "skos:exactMatch" and r["object_id"].startswith("aio:"):
            assert r["subject_type"] == r["object_type"] == "owl class", r


def test_self_attention_maps_to_the_multi_head_attention_layer():
    """AIO's own definition: its multi-head attention layer is self-attention when query, key and value are
    one sequence; its AttentionLayer is Luong-style attention, the weaker match the table used to give."""
    (row,) = [r for r in rows() if r["subject_id"] == "gkg:SelfAttention"]
    assert (row["predicate_id"], row["object_id"]) == ("skos:relatedMatch", "aio:MultiHeadAttentionLayer")
