"""The mappings to AIO and Wikidata: the SSSOM table beside the ontology says exactly what the Turtle says.

The AIO IRIs and labels below were read from AIO's released aio.obo (release 2024-11-11,
https://w3id.org/aio/releases/2024-11-11/aio.owl; berkeleybop/artificial-intelligence-ontology). The
2024-03-28 release spelled some IRIs with hyphens (Encoder-DecoderLLM); the 2024-11 release does not.
"""

import csv
from functools import lru_cache
from pathlib import Path

from conftest import ontology_graph
from rdflib import RDFS, URIRef

from genai_kg.vocab import GKG, SKOS

ONTOLOGY = Path(__file__).parents[1] / "ontology"
TSV = ONTOLOGY / "mappings.sssom.tsv"
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
    "AttentionLayer": "Attention Layer",
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


@lru_cache(maxsize=1)
def rows() -> list[dict]:
    lines = [ln for ln in TSV.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def test_sssom_header_and_columns():
    text = TSV.read_text(encoding="utf-8")
    for key in ("# curie_map:", "# mapping_set_id:", "# license:", "# mapping_set_version:"):
        assert key in text
    assert {"subject_id", "predicate_id", "object_id", "mapping_justification"} <= set(rows()[0])
    assert all(r["mapping_justification"] == "semapv:ManualMappingCuration" for r in rows())


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
        assert r["object_source_version"] == "https://w3id.org/aio/releases/2024-11-11/aio.owl"
    # every AIO term the issue names that AIO has is mapped
    mapped = {r["object_id"] for r in aio}
    for term in ("SupervisedLearning", "UnsupervisedLearning", "DataAugmentation", "AttentionLayer", "EncoderLLM",
                 "DecoderLLM", "EncoderDecoderLLM", "MultimodalLLM", "Bias", "BidirectionalTransformerLanguageModel"):
        assert f"aio:{term}" in mapped, term


def test_exact_matches_only_between_terms_of_the_same_kind():
    for r in rows():
        if r["predicate_id"] == "skos:exactMatch" and r["object_id"].startswith("aio:"):
            assert r["subject_type"] == r["object_type"] == "owl class", r
