"""A seeded synthetic knowledge graph shaped like the genai-kg vocabulary, for view tests and benchmarks.

``user_graph(n)`` is a user's graph in the project's own vocabulary (systems typed with the bundled families,
with makers, outputs and applications), to load with the bundled graph. ``synthetic_graph(n)`` returns an
rdflib Graph whose drawn node count (:func:`genai_kg.views.model.to_networkx`) is exactly ``n``: a few kind
classes carrying ``gkg:displayColour``/``gkg:displayShape``, a small family taxonomy (rdfs:subClassOf), and
individuals typed by those classes, linked by about two object-property edges each, with labels, definitions
and axiom-annotated sources.
"""

from __future__ import annotations

import random

from rdflib import BNode, Graph, Literal, Namespace
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

GKG = Namespace("https://w3id.org/genai-kg/")
EX = Namespace("https://example.org/synthetic/")

_KINDS = [
    ("Family", "#1f77b4", "box"),
    ("System", "#ff7f0e", "dot"),
    ("Modality", "#2ca02c", "diamond"),
    ("Application", "#d62728", "triangle"),
    ("Industry", "#9467bd", "square"),
    ("Organization", "#8c564b", "star"),
    ("Risk", "#e377c2", "hexagon"),
    ("Source", "#7f7f7f", "ellipse"),
]
_PROPERTIES = ["relatesTo", "produces", "developedBy", "usedIn", "hasRisk"]
HOSTILE_LABEL = '<img src=x onerror="window.__pwned=1">'
HOSTILE_DEFINITION = '<script>window.__pwned=2</script></script><b>bold</b> & "quotes" \u2028 end'


def synthetic_graph(n: int, *, seed: int = 7, hostile: bool = False, edges_per_node: int = 2) -> Graph:
    """A graph with exactly ``n`` drawn resources (``n`` >= 20)."""
    if n < 20:
        raise ValueError("n must be at least 20")
    rng = random.Random(seed)
    g = Graph()
    g.bind("gkg", GKG)
    g.bind("ex", EX)
    for prop in _PROPERTIES:
        g.add((EX[prop], RDF.type, OWL.ObjectProperty))
        g.add((EX[prop], RDFS.label, Literal(prop, lang="en")))
    kinds = []
    for name, colour, shape in _KINDS:
        cls = EX[name]
        kinds.append(cls)
        g.add((cls, RDF.type, OWL.Class))
        g.add((cls, RDFS.label, Literal(name, lang="en")))
        g.add((cls, GKG.displayColour, Literal(colour)))
        g.add((cls, GKG.displayShape, Literal(shape)))
    # A family taxonomy under the first kind: 12 classes in a tree.
    families = []
    for i in range(12):
        cls = EX[f"Family{i}"]
        families.append(cls)
        g.add((cls, RDF.type, OWL.Class))
        g.add((cls, RDF.type, kinds[0]))  # punned, as gkg families are typed gkg:ModelFamily
        g.add((cls, RDFS.label, Literal(f"Family {i}", lang="en")))
        g.add((cls, SKOS.definition, Literal(f"Synthetic model family number {i}.", lang="en")))
        g.add((cls, SKOS.altLabel, Literal(f"SF{i}", lang="en")))
        parent = kinds[0] if i < 3 else families[(i - 3) // 3]
        g.add((cls, RDFS.subClassOf, parent))
    source = EX["n0"]
    individuals = []
    count = n - len(kinds) - len(families)
    for i in range(count):
        node = EX[f"n{i}"]
        individuals.append(node)
        if i == 0:
            g.add((node, RDF.type, kinds[-1]))
            g.add((node, RDFS.label, Literal("Source 0", lang="en")))
            continue
        cls = rng.choice(families) if rng.random() < 0.3 else rng.choice(kinds[1:-1])
        g.add((node, RDF.type, cls))
        label = f"Node {i}"
        definition = f"Synthetic resource {i}, a {cls.split('/')[-1]}."
        if hostile and i == 1:
            label, definition = HOSTILE_LABEL, HOSTILE_DEFINITION
        g.add((node, RDFS.label, Literal(label, lang="en")))
        g.add((node, SKOS.definition, Literal(definition, lang="en")))
        g.add((node, DCTERMS.source, source))
    for i, node in enumerate(individuals[1:], start=1):
        for _ in range(edges_per_node):
            target = individuals[rng.randrange(1, len(individuals))]
            if target == node:
                continue
            prop = EX[rng.choice(_PROPERTIES)]
            g.add((node, prop, target))
            if i % 10 == 0:
                ax = BNode()
                g.add((ax, RDF.type, OWL.Axiom))
                g.add((ax, OWL.annotatedSource, node))
                g.add((ax, OWL.annotatedProperty, prop))
                g.add((ax, OWL.annotatedTarget, target))
                g.add((ax, DCTERMS.source, source))
    return g



#: Bundled families a synthetic system is typed with (most often the first), bundled modalities it produces.
_FAMILIES = ["LargeLanguageModel", "DiffusionModel", "GenerativeAdversarialNetwork", "VariationalAutoencoder",
             "ImageGenerationModel", "VideoGenerationModel", "AudioGenerationModel", "MultimodalModel",
             "TransformerModel", "TextGenerationModel"]
_MODALITIES = ["Text", "Image", "Audio", "Video", "Code", "Speech", "Music"]


def user_graph(n: int, *, seed: int = 11) -> Graph:
    """A user's graph of ``n`` new resources in the project's own vocabulary, to merge with the bundled one.

    About 1 in 20 resources is an organisation (``gkg:Organization``), 1 in 10 an application
    (``gkg:Application``) and the rest are named systems typed with bundled families
    (``gkg:LargeLanguageModel``, ...), each ``gkg:developedBy`` a maker, ``gkg:producesOutput`` a bundled
    modality and ``gkg:hasApplication`` two applications; every label is unique (``System 00042``).
    """
    rng = random.Random(seed)
    g = Graph()
    g.bind("gkg", GKG)
    g.bind("ex", EX)
    makers = [EX[f"org{i:05d}"] for i in range(max(1, n // 20))]
    apps = [EX[f"app{i:05d}"] for i in range(max(1, n // 10))]
    for i, org in enumerate(makers):
        g.add((org, RDF.type, GKG.Organization))
        g.add((org, RDFS.label, Literal(f"Lab {i:05d}", lang="en")))
    for i, app in enumerate(apps):
        g.add((app, RDF.type, GKG.Application))
        g.add((app, RDFS.label, Literal(f"Use case {i:05d}", lang="en")))
        g.add((app, SKOS.definition, Literal(f"Synthetic application number {i}.", lang="en")))
    for i in range(n - len(makers) - len(apps)):
        system = EX[f"sys{i:06d}"]
        family = _FAMILIES[0] if rng.random() < 0.4 else rng.choice(_FAMILIES)
        g.add((system, RDF.type, GKG[family]))
        g.add((system, RDFS.label, Literal(f"System {i:06d}", lang="en")))
        g.add((system, SKOS.altLabel, Literal(f"S{i}", lang="en")))
        g.add((system, GKG.developedBy, rng.choice(makers)))
        g.add((system, GKG.producesOutput, GKG[rng.choice(_MODALITIES)]))
        for app in rng.sample(apps, min(2, len(apps))):
            g.add((system, GKG.hasApplication, app))
    return g


def write_user_nt(n: int, path, *, seed: int = 11) -> None:
    """:func:`user_graph`'s triples written straight to an N-Triples file (the same rng draws, so the same
    graph), without building an rdflib graph: a million nodes in seconds rather than minutes."""
    rng = random.Random(seed)
    g, ex = str(GKG), str(EX)
    rdf_type, label = f"<{RDF.type}>", f"<{RDFS.label}>"
    makers = [f"<{ex}org{i:05d}>" for i in range(max(1, n // 20))]
    apps = [f"<{ex}app{i:05d}>" for i in range(max(1, n // 10))]
    with open(path, "w", encoding="utf-8") as out:
        w = out.write
        for i, org in enumerate(makers):
            w(f"{org} {rdf_type} <{g}Organization> .\n{org} {label} \"Lab {i:05d}\"@en .\n")
        for i, app in enumerate(apps):
            w(f"{app} {rdf_type} <{g}Application> .\n{app} {label} \"Use case {i:05d}\"@en .\n"
              f"{app} <{SKOS.definition}> \"Synthetic application number {i}.\"@en .\n")
        for i in range(n - len(makers) - len(apps)):
            system = f"<{ex}sys{i:06d}>"
            family = _FAMILIES[0] if rng.random() < 0.4 else rng.choice(_FAMILIES)
            w(f"{system} {rdf_type} <{g}{family}> .\n{system} {label} \"System {i:06d}\"@en .\n"
              f"{system} <{SKOS.altLabel}> \"S{i}\"@en .\n{system} <{g}developedBy> {rng.choice(makers)} .\n"
              f"{system} <{g}producesOutput> <{g}{rng.choice(_MODALITIES)}> .\n")
            for app in rng.sample(apps, min(2, len(apps))):
                w(f"{system} <{g}hasApplication> {app} .\n")


if __name__ == "__main__":  # pragma: no cover
    import sys

    print(synthetic_graph(int(sys.argv[1]) if len(sys.argv) > 1 else 200).serialize(format="turtle"))
