"""The named queries: every file has a header and runs, and every query answers what the sources say.

The expected answers are read off the three source documents (REVE Chat, PromptLayer, the untitled subset
article), with the source each claim must be cited to; none is a row count.
"""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from genai_kg.catalog import list_queries
from genai_kg.pipeline import bind_params
from genai_kg.vocab import GKG

QUERIES = list_queries()
NAMES = [q.name for q in QUERIES]
REVE, PROMPTLAYER, SUBSET = "gkg:ReveChatArticle", "gkg:PromptLayerArticle", "gkg:SubsetArticle"


def cell(kg, term) -> str:
    """A result term as tests write it: ``gkg:GPT-4`` for IRIs with a bound prefix, else its text."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        try:
            return kg.graph.namespace_manager.curie(term, generate=False)
        except (KeyError, ValueError):
            return str(term)
    return str(term)


def select(kg, name, **params) -> list[dict[str, str]]:
    result = kg.query(name, params)
    assert result.type == "SELECT"
    return [{str(v): cell(kg, row.get(v)) for v in result.vars} for row in result.bindings]


def column(rows, name) -> set[str]:
    return {r[name] for r in rows}


def pairs(rows, *names) -> set[tuple[str, ...]]:
    return {tuple(r[n] for n in names) for r in rows}


def items(text: str, separator: str) -> set[str]:
    """The members of a GROUP_CONCAT cell (whose order SPARQL leaves open)."""
    return {t for t in text.split(separator) if t}


def body(text: str) -> str:
    """The SPARQL without its comment lines (a '#' inside an IRI is not a comment)."""
    return re.sub(r"(?m)^\s*#.*$", "", text)


# -- every file --------------------------------------------------------------------------------------------


def test_there_are_at_least_25_named_queries():
    assert len(QUERIES) >= 25


@pytest.mark.parametrize("query", QUERIES, ids=NAMES)
def test_query_has_a_header(query):
    assert query.title, f"{query.name}: no '# title:'"
    assert query.description, f"{query.name}: no '# description:'"
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", query.name)


@pytest.mark.parametrize("query", QUERIES, ids=NAMES)
def test_declared_params_are_variables_of_the_query(query):
    sparql = body(query.text)
    for param in query.params:
        assert re.search(rf"[?$]{param.name}\b", sparql), f"{query.name}: ?{param.name} is not in the query"
        assert param.default is not None, f"{query.name}: parameter {param.name} has no default"
        assert param.description


@pytest.mark.parametrize("query", QUERIES, ids=NAMES)
def test_query_declares_its_prefixes(query):
    """Pasted into any SPARQL tool, the query must parse: every prefix it uses is declared in it."""
    sparql = body(query.text)
    declared = set(re.findall(r"(?im)^\s*PREFIX\s+([A-Za-z][\w.-]*)?:", sparql))
    without_iris_and_strings = re.sub(r"<[^>]*>|\"[^\"]*\"", " ", sparql)
    used = set(re.findall(r"(?<![\w?$])([A-Za-z][\w.-]*):[A-Za-z_]", without_iris_and_strings))
    assert used <= declared, f"{query.name}: undeclared prefixes {sorted(used - declared)}"


@pytest.mark.parametrize("query", QUERIES, ids=NAMES)
def test_query_hard_codes_no_individual(kg, query):
    """Defaults belong in '# param:' lines: the SPARQL names schema terms only, never an individual."""
    sparql = body(query.text)
    individuals = {
        s
        for s in kg.graph.subjects(RDF.type, OWL.NamedIndividual)
        if isinstance(s, URIRef) and str(s).startswith(str(GKG))
    }
    named = {GKG[local] for local in re.findall(r"\bgkg:([\w-]+)", sparql)}
    schema_only = named - individuals
    assert named == schema_only, f"{query.name}: hard-codes {sorted(named & individuals)}"


@pytest.mark.parametrize("query", QUERIES, ids=NAMES)
def test_query_runs_with_its_defaults_and_answers(kg, query):
    result = kg.query(query.name)
    if result.type == "ASK":
        assert result.askAnswer is True
    elif result.type in ("CONSTRUCT", "DESCRIBE"):
        assert len(result.graph) > 0
    else:
        assert list(result.bindings), f"{query.name}: no rows with the default parameters"


@pytest.fixture(scope="module")
def raw_oxigraph(kg):
    """The bundled graph in a bare pyoxigraph store, loaded once for every query below."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(kg.graph.serialize(format="nt").encode(), ox.RdfFormat.N_TRIPLES)
    return store


@pytest.mark.parametrize("query", QUERIES, ids=NAMES)
def test_query_runs_unchanged_on_oxigraph(kg, raw_oxigraph, query):
    """Standard SPARQL 1.1: Oxigraph's engine parses the file as it is, and gives the same answer.

    The file is run first as pasted (no parameters), then with its defaults in a VALUES block.
    """
    import pyoxigraph as ox

    from genai_kg.sparql import bind_values

    store = raw_oxigraph
    pasted = store.query(query.text)
    if not isinstance(pasted, ox.QueryBoolean):
        list(pasted)
    answer = store.query(bind_values(query.text, bind_params(query, {}, kg.resolve_term)))
    result = kg.query(query.name)
    if result.type == "ASK":
        assert bool(answer) == result.askAnswer
    elif result.type in ("CONSTRUCT", "DESCRIBE"):
        theirs = [(str(t.subject), str(t.predicate), str(t.object)) for t in answer]
        ours = [tuple(x.n3() for x in t) for t in result.graph]
        assert len(theirs) == len(ours)
        assert {t for t in theirs if "_:" not in "".join(t)} == {t for t in ours if "_:" not in "".join(t)}
    else:
        assert len(list(answer)) == len(list(result.bindings))


# -- the answers, query by query -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("narrower", "broader", "expected"),
    [
        ("LLM", "generative AI", True),  # "every LLM is a generative AI model" (all three sources)
        ("generative AI", "LLM", False),  # "... but not every generative AI model is an LLM"
        ("LLM", "machine learning", True),  # generative AI is a subset of machine learning (REVE Chat)
        ("GAN", "artificial intelligence", True),
        ("diffusion model", "LLM", False),
    ],
)
def test_is_every_llm_generative_ai(kg, narrower, broader, expected):
    result = kg.query("is-every-llm-generative-ai", {"narrower": narrower, "broader": broader})
    assert result.askAnswer is expected


def test_subclass_chain_climbs_from_llm_to_ai(kg):
    rows = select(kg, "subclass-chain", family="LLM")
    chain = [(r["level"], r["ancestor"]) for r in rows]
    assert chain == [
        ("1", "gkg:GenerativeAI"),
        ("2", "gkg:MachineLearning"),
        ("3", "gkg:ArtificialIntelligence"),
    ]
    first = rows[0]
    assert first["below"] == "gkg:LargeLanguageModel"
    assert {"REVE Chat", "PromptLayer"} <= {s.split(" article")[0] for s in items(first["statedBy"], "; ")}


def test_subfamilies_of_generative_ai(kg):
    rows = select(kg, "subfamilies", family="generative AI")
    subfamilies = column(rows, "subfamily")
    assert {
        "gkg:LargeLanguageModel",
        "gkg:GenerativeAdversarialNetwork",
        "gkg:VariationalAutoencoder",
        "gkg:DiffusionModel",
    } <= subfamilies
    assert "gkg:MachineLearning" not in subfamilies and "gkg:GenerativeAI" not in subfamilies
    gan = next(r for r in rows if r["subfamily"] == "gkg:GenerativeAdversarialNetwork")
    assert "GAN" in items(gan["abbreviations"], ", ")


def test_families_lists_the_families_with_abbreviations(kg):
    rows = {r["family"]: r for r in select(kg, "families")}
    assert {"gkg:LargeLanguageModel", "gkg:GenerativeAI", "gkg:VariationalAutoencoder"} <= set(rows)
    assert "LLM" in items(rows["gkg:LargeLanguageModel"]["abbreviations"], ", ")
    assert "VAE" in items(rows["gkg:VariationalAutoencoder"]["abbreviations"], ", ")
    assert "generative AI" in items(rows["gkg:LargeLanguageModel"]["parents"], ", ")


def test_systems_by_family_counts_systems_typed_with_a_subclass(kg):
    llms = column(select(kg, "systems-by-family", family="LLM"), "system")
    assert {"gkg:GPT-4", "gkg:GPT-3", "gkg:BERT", "gkg:Claude", "gkg:PaLM", "gkg:T5"} <= llms
    assert "gkg:DALL-E" not in llms and "gkg:StableDiffusion" not in llms
    generative = column(select(kg, "systems-by-family", family="generative AI"), "system")
    assert {"gkg:GPT-4", "gkg:DALL-E", "gkg:StableDiffusion", "gkg:Midjourney"} <= generative


def test_systems_by_maker(kg):
    openai = column(select(kg, "systems-by-maker", maker="OpenAI"), "system")
    assert {"gkg:GPT-3", "gkg:GPT-4", "gkg:DALL-E", "gkg:ChatGPT"} <= openai
    assert "gkg:Claude" not in openai and "gkg:BERT" not in openai
    google = column(select(kg, "systems-by-maker", maker="Google"), "system")
    assert {"gkg:BERT", "gkg:PaLM", "gkg:T5"} <= google


def test_makers(kg):
    rows = {r["maker"]: r for r in select(kg, "makers")}
    assert {"GPT-4", "DALL-E"} <= items(rows["gkg:OpenAI"]["names"], ", ")
    assert "Claude" in items(rows["gkg:Anthropic"]["names"], ", ")
    assert "Claude" not in items(rows["gkg:OpenAI"]["names"], ", ")


@pytest.mark.parametrize(
    ("modality", "present", "absent"),
    [
        ("image", {"DALL-E", "Stable Diffusion", "Midjourney"}, {"BERT", "GPT-4", "Claude"}),
        ("text", {"GPT-4", "Claude", "BERT"}, {"Stable Diffusion", "Midjourney"}),
        ("video", {"Synthesia"}, {"GPT-4", "DALL-E"}),
    ],
)
def test_systems_by_output(kg, modality, present, absent):
    rows = select(kg, "systems-by-output", modality=modality)
    labels = column(rows, "label")
    assert present <= labels
    assert not absent & labels


def test_systems_by_output_cites_the_sources(kg):
    rows = {r["label"]: r for r in select(kg, "systems-by-output", modality="image")}
    assert "PromptLayer article" in rows["Stable Diffusion"]["statedBy"]  # "DALL·E, Midjourney, and Stable ..."
    assert "OpenAI" in rows["DALL-E"]["makers"]


def test_systems_by_input_text_prompts(kg):
    rows = {r["label"]: r for r in select(kg, "systems-by-input", modality="text")}
    assert {"GPT-4", "DALL-E"} <= set(rows)  # DALL-E: "take a text description as input" (PromptLayer)
    assert "image" in items(rows["DALL-E"]["produces"], ", ")


def test_family_io_of_llms(kg):
    rows = pairs(select(kg, "family-io", family="LLM"), "direction", "modality", "source")
    assert ("input", "gkg:Text", REVE) in rows  # "Accepts text input and provides text-based output"
    assert ("output", "gkg:Text", REVE) in rows
    assert not {r for r in rows if r[1] in ("gkg:Image", "gkg:Video")}


def test_family_modalities(kg):
    rows = {r["family"]: r for r in select(kg, "family-modalities")}
    llm = rows["gkg:LargeLanguageModel"]
    assert items(llm["inputs"], ", ") == {"text"}  # "Accepts text input and provides text-based output"
    assert "text" in items(llm["outputs"], ", ") and "image" not in items(llm["outputs"], ", ")
    genai = rows["gkg:GenerativeAI"]
    assert {"text", "image", "audio", "video"} <= items(genai["outputs"], ", ")
    assert "image" in items(rows["gkg:GenerativeAdversarialNetwork"]["outputs"], ", ")


def test_families_by_output_image(kg):
    rows = select(kg, "families-by-output", modality="image")
    families = column(rows, "family")
    assert {"gkg:GenerativeAI", "gkg:GenerativeAdversarialNetwork", "gkg:VariationalAutoencoder"} <= families
    assert "gkg:LargeLanguageModel" not in families
    assert ("gkg:GenerativeAdversarialNetwork", PROMPTLAYER) in pairs(rows, "family", "source")


def test_weaknesses_of_llms_and_who_says_so(kg):
    rows = select(kg, "weaknesses", family="LLM")
    cited = pairs(rows, "weakness", "source")
    assert ("gkg:Hallucination", PROMPTLAYER) in cited
    assert ("gkg:DataBias", PROMPTLAYER) in cited
    assert ("gkg:DataBias", REVE) in cited  # "LLMs are criticized for biases embedded in their training data"
    assert ("gkg:Hallucination", "Strengths and Weaknesses") in pairs(rows, "weakness", "section")
    assert "gkg:Deepfake" not in column(rows, "weakness")


def test_weaknesses_of_generative_ai(kg):
    cited = pairs(select(kg, "weaknesses", family="generative AI"), "weakness", "source")
    assert ("gkg:QualityControl", PROMPTLAYER) in cited
    assert ("gkg:ComputationalCost", PROMPTLAYER) in cited
    assert ("gkg:Deepfake", REVE) in cited


def test_strengths(kg):
    llm = pairs(select(kg, "strengths", family="LLM"), "strength", "source")
    assert ("gkg:DeepLanguageUnderstanding", PROMPTLAYER) in llm
    assert ("gkg:Scalability", PROMPTLAYER) in llm
    genai = pairs(select(kg, "strengths", family="generative AI"), "strength", "source")
    assert ("gkg:CreativePotential", PROMPTLAYER) in genai
    assert ("gkg:Interactivity", PROMPTLAYER) in genai


def test_applications(kg):
    llm = pairs(select(kg, "applications", family="LLM"), "application", "source")
    assert ("gkg:Chatbot", PROMPTLAYER) in llm
    assert ("gkg:CodeGeneration", PROMPTLAYER) in llm
    assert ("gkg:Chatbot", SUBSET) in llm
    assert "gkg:MusicComposition" not in {a for a, _ in llm}
    genai = pairs(select(kg, "applications", family="generative AI"), "application", "source")
    assert ("gkg:MusicComposition", PROMPTLAYER) in genai
    assert ("gkg:DataAugmentation", SUBSET) in genai


def test_industries(kg):
    genai = column(select(kg, "industries", family="generative AI"), "industry")
    assert {"gkg:Entertainment", "gkg:Gaming", "gkg:Design", "gkg:Healthcare"} <= genai
    llm = pairs(select(kg, "industries", family="LLM"), "industry", "source")
    assert {("gkg:BFSI", REVE), ("gkg:Education", REVE), ("gkg:Legal", REVE)} <= llm
    assert "gkg:Gaming" not in {i for i, _ in llm}


def test_evaluation_criteria(kg):
    genai = pairs(select(kg, "evaluation-criteria", family="generative AI"), "criterion", "section")
    assert {("gkg:Realism", "Performance Metrics"), ("gkg:Creativity", "Performance Metrics")} <= genai
    llm = column(select(kg, "evaluation-criteria", family="LLM"), "criterion")
    assert {"gkg:Fluency", "gkg:TextualAccuracy", "gkg:ContextualRelevance"} <= llm
    assert "gkg:Realism" not in llm


def test_training_data(kg):
    llm = pairs(select(kg, "training-data", family="LLM"), "data", "source")
    assert ("gkg:TextCorpus", REVE) in llm and ("gkg:TextCorpus", PROMPTLAYER) in llm
    genai = column(select(kg, "training-data", family="generative AI"), "data")
    assert {"gkg:ImageCollection", "gkg:AudioRecording", "gkg:VideoData"} <= genai


def test_interaction_modes(kg):
    llm = pairs(select(kg, "interaction-modes", family="LLM"), "mode", "source")
    assert ("gkg:ConversationalInterface", PROMPTLAYER) in llm
    assert ("gkg:API", PROMPTLAYER) in llm


def test_techniques(kg):
    llm = pairs(select(kg, "techniques", family="LLM"), "technique", "source")
    assert ("gkg:NextTokenPrediction", PROMPTLAYER) in llm
    assert ("gkg:FineTuning", REVE) in llm
    gan = column(select(kg, "techniques", family="GAN"), "technique")
    assert "gkg:AdversarialTraining" in gan and "gkg:NextTokenPrediction" not in gan


def test_family_architectures(kg):
    llm = {r["architecture"]: r for r in select(kg, "family-architectures", family="LLM")}
    assert "self-attention" in items(llm["gkg:TransformerArchitecture"]["components"], ", ")
    gan = {r["architecture"]: r for r in select(kg, "family-architectures", family="GAN")}
    parts = items(gan["gkg:AdversarialNetworkArchitecture"]["components"], ", ")
    assert {"generator network", "discriminator network"} <= parts


def test_architectures_and_their_parts(kg):
    rows = select(kg, "architectures")
    parts = pairs(rows, "architecture", "component")
    assert ("gkg:AdversarialNetworkArchitecture", "gkg:GeneratorNetwork") in parts
    assert ("gkg:AdversarialNetworkArchitecture", "gkg:DiscriminatorNetwork") in parts
    assert ("gkg:TransformerArchitecture", "gkg:SelfAttention") in parts
    transformer = next(r for r in rows if r["architecture"] == "gkg:TransformerArchitecture")
    assert "large language model" in items(transformer["usedBy"], ", ")


def test_examples_of_llms_with_their_sources(kg):
    rows = select(kg, "examples", family="LLM")
    cited = pairs(rows, "system", "source")
    assert ("gkg:BERT", REVE) in cited and ("gkg:BERT", PROMPTLAYER) in cited
    assert ("gkg:Claude", PROMPTLAYER) in cited
    assert ("gkg:PaLM", REVE) in cited
    assert "gkg:DALL-E" not in column(rows, "system")


def test_powered_by(kg):
    assert ("gkg:ChatGPT", "gkg:GPT-4") in pairs(select(kg, "powered-by"), "system", "engine")


def test_claims_by_source_promptlayer(kg):
    claims = pairs(select(kg, "claims-by-source", source="gkg:PromptLayerArticle"), "subject", "property", "object")
    assert ("gkg:LargeLanguageModel", "gkg:hasWeakness", "gkg:Hallucination") in claims
    assert ("gkg:LargeLanguageModel", "rdfs:subClassOf", "gkg:GenerativeAI") in claims
    # the 300-billion-word figure is REVE Chat's, not PromptLayer's
    assert not {c for c in claims if c[1] == "gkg:trainingSizeWords"}


def test_claims_about_llms(kg):
    rows = select(kg, "claims-about", term="LLM")
    claims = pairs(rows, "direction", "property", "other", "sourceLabel")
    assert ("->", "rdfs:subClassOf", "gkg:GenerativeAI", kg.label(GKG.SubsetArticle)) in claims
    assert ("<-", "rdf:type", "gkg:GPT-4", kg.label(GKG.PromptLayerArticle)) in claims


@pytest.mark.parametrize(
    ("subject", "property", "obj", "sources"),
    [
        ("LLM", "rdfs:subClassOf", "generative AI", {REVE, PROMPTLAYER, SUBSET}),
        ("LLM", "gkg:hasWeakness", "hallucination", {PROMPTLAYER}),
        ("generative AI", "rdfs:subClassOf", "LLM", set()),  # not asserted: no row at all
    ],
)
def test_claim_sources(kg, subject, property, obj, sources):
    rows = select(kg, "claim-sources", subject=subject, property=property, object=obj)
    assert column(rows, "source") == sources


def test_disagreements(kg):
    rows = {r["disagreement"]: r for r in select(kg, "disagreements")}
    bert = rows["gkg:BertAsTextGenerator"]  # REVE Chat and PromptLayer list BERT among text generators
    assert "BERT" in items(bert["about"], ", ")
    assert {kg.label(GKG.ReveChatArticle), kg.label(GKG.PromptLayerArticle)} <= items(bert["sources"], "; ")
    assert "encoder" in bert["positions"]
    text_only = rows["gkg:LlmTextOnlyTraining"]  # REVE Chat: "LLMs are trained on textual data only"
    assert "large language model" in items(text_only["about"], ", ")


def test_claim_notes_mark_the_loose_claims(kg):
    rows = select(kg, "claim-notes")
    noted = pairs(rows, "subject", "property", "object")
    assert ("gkg:BERT", "rdf:type", "gkg:LargeLanguageModel") in noted
    gpt3_size = [float(o) for s, p, o in noted if (s, p) == ("gkg:GPT-3", "gkg:trainingSizeWords")]
    assert gpt3_size == [300e9]  # "over 300 billion words": a lower bound, and the note says so


def test_curated_facts_are_not_the_sources(kg):
    claims = pairs(select(kg, "curated-facts"), "subject", "property", "object")
    assert ("gkg:BLOOM", "gkg:developedBy", "gkg:BigScience") in claims  # no source names BLOOM's maker
    assert ("gkg:LargeLanguageModel", "rdfs:subClassOf", "gkg:GenerativeAI") not in claims


def test_statistics_with_their_sources(kg):
    rows = {r["statistic"]: r for r in select(kg, "statistics")}
    by_reporter = {r["reporterLabel"]: r for r in rows.values() if r["reporterLabel"]}
    gartner = by_reporter["Gartner"]  # "by 2026, more than 80% of global enterprises will adopt generative AI"
    assert (float(gartner["value"]), gartner["year"]) == (0.8, "2026")
    assert gartner["aboutLabel"] == "generative AI"
    assert kg.label(GKG.ReveChatArticle) in items(gartner["quotedIn"], "; ")
    assert "20-30%" in by_reporter["Accenture"]["text"]
    gpt3 = next(r for r in rows.values() if r["aboutLabel"] == "GPT-3")
    assert float(gpt3["words"]) == 300e9 and "Training Data and Modalities" in gpt3["sections"]


def test_training_sizes_gpt3_cited_to_reve_chat(kg):
    rows = select(kg, "training-sizes")
    gpt3 = [r for r in rows if r["system"] == "gkg:GPT-3"]
    assert [(float(r["words"]), r["source"]) for r in gpt3] == [(300e9, REVE)]


def test_family_differences_llm_vs_generative_ai(kg):
    rows = select(kg, "family-differences", a="LLM", b="generative AI")
    found = pairs(rows, "onlyIn", "value")
    assert ("generative AI", "gkg:Image") in found  # only generative AI takes and makes images
    assert ("large language model", "gkg:Hallucination") in found
    assert ("generative AI", "gkg:Deepfake") in found
    assert not {f for f in found if f[1] == "gkg:Text"}  # both take and produce text: not a difference


def test_family_differences_of_a_family_with_itself_are_empty(kg):
    assert select(kg, "family-differences", a="GAN", b="GAN") == []


def test_shared_traits(kg):
    shared = pairs(select(kg, "shared-traits", a="LLM", b="generative AI"), "property", "value")
    assert ("gkg:producesOutput", "gkg:Text") in shared
    assert ("gkg:producesOutput", "gkg:Image") not in shared


def test_family_neighbourhood_is_a_graph_with_provenance(kg):
    result = kg.query("family-neighbourhood", {"family": "LLM"})
    g: Graph = result.graph
    assert (GKG.LargeLanguageModel, GKG.hasWeakness, GKG.Hallucination) in g
    assert (GKG.LargeLanguageModel, RDFS.subClassOf, GKG.GenerativeAI) in g
    assert (GKG["GPT-4"], RDF.type, GKG.LargeLanguageModel) in g
    assert (GKG.Hallucination, RDFS.label, Literal("hallucination", lang="en")) in g
    cited = {
        g.value(ax, DCTERMS.source)
        for ax in g.subjects(OWL.annotatedTarget, GKG.Hallucination)
        if (ax, OWL.annotatedProperty, GKG.hasWeakness) in g
    }
    assert GKG.PromptLayerArticle in cited
    assert (GKG["DALL-E"], None, None) not in g  # an image model: not one step from LLMs


def test_describe_term(kg):
    g = kg.query("describe-term", {"term": "LLM"}).graph
    assert (GKG.LargeLanguageModel, RDFS.subClassOf, GKG.GenerativeAI) in g
    assert (GKG.LargeLanguageModel, GKG.hasWeakness, GKG.Hallucination) in g
    assert not set(g.subjects(RDF.type, GKG.SourceDocument))


def test_sources(kg):
    rows = {r["source"]: r for r in select(kg, "sources")}
    assert {REVE, PROMPTLAYER, SUBSET, "gkg:Curation"} <= set(rows)
    assert rows[REVE]["file"].startswith("000_") and rows[PROMPTLAYER]["file"].startswith("001_")
    assert rows["gkg:Curation"]["kind"] == "gkg:CuratedSource"
    assert all(int(r["claims"]) > 0 for r in rows.values())


def test_comparison_aspects_follow_the_key_differences_table(kg):
    rows = select(kg, "comparison-aspects")
    headings = list(dict.fromkeys(r["heading"] for r in rows))
    assert headings == [
        "Definition", "Primary Purpose", "Scope", "Core Technology", "Applications", "Input and Output",
        "Complexity", "Examples", "Training Dataset", "Strengths", "Limitations", "Industries Impacted",
        "Popularity in AI",
    ]
    assert all(r["label"] == r["label"].lower() for r in rows)  # labels are common nouns; headings are for tables
    io = pairs(rows, "heading", "property")
    assert {("Input and Output", "gkg:acceptsInput"), ("Input and Output", "gkg:producesOutput")} <= io


# -- every query has an answer test above ------------------------------------------------------------------


def test_every_named_query_has_an_answer_test():
    tested = {
        name.replace("test_", "", 1).replace("_", "-")
        for name in globals()
        if name.startswith("test_")
    }
    with open(__file__, encoding="utf-8") as handle:
        spelled = "\n".join(handle.read().split("# -- the answers")[1:])
    missing = [n for n in NAMES if f'"{n}"' not in spelled and n not in tested]
    assert not missing, f"named queries without an answer test: {missing}"
