"""``compare``: the Key Differences table is read from the graph's aspects and the families' own claims."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import results_records

from genai_kg import load
from genai_kg.compare import NOT_STATED, compare_families, format_comparison
from genai_kg.errors import ParameterError, UnsupportedFormat

# The rows of the "Key Differences" table in the REVE Chat article, in its order.
KEY_DIFFERENCES = [
    "Definition", "Primary Purpose", "Scope", "Core Technology", "Applications", "Input and Output",
    "Complexity", "Examples", "Training Dataset", "Strengths", "Limitations", "Industries Impacted",
    "Popularity in AI",
]
EXTRA_ASPECT = """@prefix gkg: <https://w3id.org/genai-kg/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
gkg:EvaluationAspect a gkg:ComparisonAspect ;
    rdfs:label "How output is judged"@en ;
    gkg:aspectOrder 14 ;
    gkg:aspectProperty gkg:evaluatedBy .
"""


@pytest.fixture(scope="module")
def genai_vs_llm(kg):
    return compare_families(kg, "generative AI", "large language model")


def row(table, aspect):
    return next(r for r in table["rows"] if r["aspect"] == aspect)


def test_rows_are_the_key_differences_in_order(genai_vs_llm):
    assert [r["aspect"] for r in genai_vs_llm["rows"]] == KEY_DIFFERENCES
    assert genai_vs_llm["columns"] == ["aspect", "generative AI", "large language model"]


@pytest.mark.parametrize(
    ("aspect", "genai", "llm"),
    [
        (
            "Core Technology",
            {"adversarial network architecture", "transformer architecture"},
            {"transformer architecture"},
        ),
        ("Examples", {"DALL-E", "Stable Diffusion", "Midjourney"}, {"GPT-4", "BERT", "Claude"}),
        ("Limitations", {"quality control", "deepfake"}, {"hallucination", "data bias"}),
        ("Industries Impacted", {"entertainment", "gaming"}, {"education", "legal services"}),
        ("Training Dataset", {"image collection", "audio recording"}, {"text corpus"}),
    ],
)
def test_cells_hold_each_familys_own_values(genai_vs_llm, aspect, genai, llm):
    cells = row(genai_vs_llm, aspect)
    assert genai <= set(cells["generative AI"].split("; "))
    assert llm <= set(cells["large language model"].split("; "))


def test_cells_are_not_inherited(genai_vs_llm):
    """A family's cell holds its own claims: LLMs do not inherit generative AI's images or deepfakes."""
    examples = row(genai_vs_llm, "Examples")["large language model"]
    assert "DALL-E" not in examples
    assert "deepfake" not in row(genai_vs_llm, "Limitations")["large language model"]


def test_input_and_output_names_both_properties(genai_vs_llm):
    llm = row(genai_vs_llm, "Input and Output")["large language model"]
    assert "accepts input: text" in llm
    assert "produces output:" in llm and "image" not in llm
    assert "image" in row(genai_vs_llm, "Input and Output")["generative AI"]


def test_definition_row_is_the_definition(kg, genai_vs_llm):
    from rdflib.namespace import SKOS

    from genai_kg.vocab import GKG

    assert row(genai_vs_llm, "Definition")["large language model"] == str(
        kg.graph.value(GKG.LargeLanguageModel, SKOS.definition)
    )


def test_gan_vs_diffusion_says_what_the_graph_cannot_fill(kg):
    table = compare_families(kg, "GAN", "diffusion model")
    assert table["columns"] == ["aspect", "generative adversarial network", "diffusion model"]
    # examples are the family's members: DALL-E 2 and 3 are diffusion models, the DALL-E line is not
    assert set(row(table, "Examples")["diffusion model"].split("; ")) == {"DALL-E 2", "DALL-E 3", "Stable Diffusion"}
    assert row(table, "Examples")["generative adversarial network"] == NOT_STATED  # no source names one
    assert "adversarial" in row(table, "Core Technology")["generative adversarial network"]


def test_a_users_aspect_becomes_a_row(tmp_path):
    extra = tmp_path / "aspect.ttl"
    extra.write_text(EXTRA_ASPECT, encoding="utf-8")
    table = compare_families(load([extra]), "generative AI", "LLM")
    assert table["rows"][-1]["aspect"] == "How output is judged"
    assert "realism" in table["rows"][-1]["generative AI"]
    assert "fluency" in table["rows"][-1]["large language model"]


@pytest.mark.parametrize(("a", "b", "which"), [("no such family", "LLM", "a"), ("LLM", "nonsense-xyz", "b")])
def test_unknown_family_names_the_argument(kg, a, b, which):
    with pytest.raises(ParameterError, match=rf"^{which}: "):
        compare_families(kg, a, b)


def test_a_term_that_is_not_a_family_is_refused(kg):
    with pytest.raises(ParameterError, match=r"^b: .*not a model family"):
        compare_families(kg, "LLM", "hallucination")


def test_same_family_twice_keeps_two_columns(kg):
    table = compare_families(kg, "LLM", "large language model")
    assert len(table["columns"]) == 3 and len(set(table["columns"])) == 3


def test_json_is_sparql_results_of_the_rows(genai_vs_llm):
    """JSON is the W3C SPARQL 1.1 results form, as any query's answer: the labels as variables, a space as _."""
    data = json.loads(format_comparison(genai_vs_llm, "json"))
    assert data["head"]["vars"] == ["aspect", "generative_AI", "large_language_model"]
    rows = results_records(json.dumps(data))
    assert [r["aspect"] for r in rows] == KEY_DIFFERENCES
    columns = genai_vs_llm["columns"]
    assert [list(r.values()) for r in rows] == [[row[c] for c in columns] for row in genai_vs_llm["rows"]]


def test_csv_round_trips(genai_vs_llm):
    rows = list(csv.reader(io.StringIO(format_comparison(genai_vs_llm, "csv"))))
    assert rows[0] == ["aspect", "generative_AI", "large_language_model"]
    assert [r[0] for r in rows[1:]] == KEY_DIFFERENCES


def test_markdown_has_one_line_per_row(genai_vs_llm):
    lines = format_comparison(genai_vs_llm, "md").splitlines()
    assert lines[0] == "| aspect | generative_AI | large_language_model |"
    assert len(lines) == 2 + len(KEY_DIFFERENCES)


def test_table_wraps_long_cells(genai_vs_llm):
    text = format_comparison(genai_vs_llm, "table")
    assert text.splitlines()[0].split() == ["aspect", "generative", "AI", "large", "language", "model"]
    assert max(len(line) for line in text.splitlines()) <= 24 + 2 * (38 + 2)
    assert "Popularity in AI" in text


def test_unknown_format(genai_vs_llm):
    with pytest.raises(UnsupportedFormat):
        format_comparison(genai_vs_llm, "yaml")


def test_row_headings_come_from_the_graph_not_from_python_casing(kg, genai_vs_llm):
    """Each row's heading is its aspect's gkg:tableHeading; the aspect's label stays a lower-case noun."""
    from rdflib.namespace import RDF, RDFS

    from genai_kg.vocab import GKG

    g = kg.graph
    headings = {str(g.value(a, GKG.tableHeading)): str(g.value(a, RDFS.label))
                for a in g.subjects(RDF.type, GKG.ComparisonAspect)}
    assert headings["Popularity in AI"] == "popularity aspect"
    assert [r["aspect"] for r in genai_vs_llm["rows"]] == KEY_DIFFERENCES
    assert not {h for h in KEY_DIFFERENCES if h.istitle()} & set(headings.values())


USER_SYSTEM = """@prefix gkg: <https://w3id.org/genai-kg/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/> .
ex:MyGan a gkg:GenerativeAdversarialNetwork ; rdfs:label "my own GAN"@en .
"""


def test_examples_are_the_familys_members_and_the_products_given_as_examples(kg, tmp_path):
    """The Examples row reads rdf:type backwards (gkg:aspectInverseProperty), plus gkg:hasExample."""
    video = row(compare_families(kg, "video generation model", "LLM"), "Examples")["video generation model"]
    assert set(video.split("; ")) == {"Runway ML", "Synthesia"}  # products: hasExample, not members
    extra = tmp_path / "mine.ttl"
    extra.write_text(USER_SYSTEM, encoding="utf-8")
    table = compare_families(load([extra]), "GAN", "LLM")
    assert row(table, "Examples")["generative adversarial network"] == "my own GAN"
    assert "my own GAN" not in row(table, "Examples")["large language model"]


REGIONAL_ENGLISH = """@prefix gkg: <https://w3id.org/genai-kg/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
gkg:RegionalAspect a gkg:ComparisonAspect ;
    rdfs:label "Regional"@en ; gkg:tableHeading "Zzz heading"@de, "Regional heading"@en-GB ;
    gkg:aspectOrder 15 ;
    gkg:aspectProperty gkg:regionalNote .
gkg:GenerativeAI gkg:regionalNote "aaa German"@de, "a colour"@en-GB .
"""


def test_compare_ranks_languages_by_the_one_rule(tmp_path):
    """en-GB is English in compare as in every label (vocab.LANGUAGE_PREFERENCE): it wins over "de" in a
    heading and in a cell, whichever sorts first as text."""
    from genai_kg.vocab import language_rank, pick_label

    extra = tmp_path / "regional.ttl"
    extra.write_text(REGIONAL_ENGLISH, encoding="utf-8")
    kg = load([extra])
    table = kg.compare("generative AI", "LLM")
    assert table == compare_families(kg, "generative AI", "LLM")  # the facade and the function agree
    last = table["rows"][-1]
    assert last["aspect"] == "Regional heading" and last["generative AI"] == "a colour"
    assert language_rank("en-GB") == language_rank("en") < language_rank(None) < language_rank("de")
    regional = [o for o in kg.graph.objects(kg.resolve_term("gkg:RegionalAspect"), kg.resolve_term("gkg:tableHeading"))]
    assert pick_label(regional) == "Regional heading"
