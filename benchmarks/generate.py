"""Write a synthetic graph shaped like genai-kg's data, of about N triples, deterministically from a seed.

Model families in a small rdfs:subClassOf tree; organisations; modalities; applications; and many systems,
each typed by a family, made by an organisation, with input and output modalities, uses, labels, a
definition, and an OWL axiom annotation (a blank node) citing a source for its output claim. Everything is
in the ``gkg:`` vocabulary, so the named queries find it.

    python benchmarks/generate.py --triples 600000 -o big.ttl --seed 1
"""

from __future__ import annotations

import argparse
import random
import sys

GKG = "https://w3id.org/genai-kg/"
SYN = "https://example.org/synthetic/"
_FAMILIES = [
    "LargeLanguageModel",
    "DiffusionModel",
    "GenerativeAdversarialNetwork",
    "VariationalAutoencoder",
    "TransformerModel",
    "MultimodalModel",
]
_MODALITIES = ["Text", "Image", "Audio", "Video", "Code", "Speech"]
#: Triples a system block writes (type, label, definition, maker, 2 inputs, 1 output, 2 uses, 6 for the axiom).
_PER_SYSTEM = 15


def _header() -> list[str]:
    return [
        f"@prefix gkg: <{GKG}> .",
        f"@prefix syn: <{SYN}> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "",
    ]


def generate(triples: int, *, seed: int = 1) -> str:
    """The Turtle text of a graph with about ``triples`` triples (within one system block)."""
    rng = random.Random(seed)
    lines = _header()
    systems = max(1, triples // _PER_SYSTEM)
    makers = max(5, systems // 50)
    families = max(6, systems // 500)
    applications = max(10, systems // 100)
    sources = max(3, systems // 1000)
    for i in range(families):
        base = _FAMILIES[i % len(_FAMILIES)]
        name = f"gkg:{base}" if i < len(_FAMILIES) else f"syn:Family{i}"
        parent = "gkg:GenerativeAI" if i < len(_FAMILIES) else f"gkg:{base}"
        lines.append(f'{name} a owl:Class, gkg:ModelFamily ; rdfs:subClassOf {parent} ; rdfs:label "family {i}"@en .')
    for i in range(makers):
        lines.append(f'syn:Org{i} a gkg:Organization ; rdfs:label "Organisation {i}"@en .')
    for i in range(applications):
        lines.append(f'syn:App{i} a gkg:Application ; rdfs:label "application {i}"@en .')
    for i in range(sources):
        lines.append(f'syn:Source{i} a gkg:SourceDocument ; rdfs:label "source {i}"@en .')
    for i in range(systems):
        family = rng.randrange(families)
        fam = f"gkg:{_FAMILIES[family]}" if family < len(_FAMILIES) else f"syn:Family{family}"
        inputs = rng.sample(_MODALITIES, 2)
        output = rng.choice(_MODALITIES)
        uses = rng.sample(range(applications), 2)
        lines.append(
            f'syn:System{i} a {fam} ; rdfs:label "System {i}"@en ;\n'
            f'  skos:definition "A synthetic system number {i}, made for benchmarks."@en ;\n'
            f"  gkg:developedBy syn:Org{rng.randrange(makers)} ;\n"
            f"  gkg:acceptsInput gkg:{inputs[0]}, gkg:{inputs[1]} ; gkg:producesOutput gkg:{output} ;\n"
            f"  gkg:hasApplication syn:App{uses[0]}, syn:App{uses[1]} .\n"
            f"[] a owl:Axiom ; owl:annotatedSource syn:System{i} ; owl:annotatedProperty gkg:producesOutput ;\n"
            f"  owl:annotatedTarget gkg:{output} ; dcterms:source syn:Source{rng.randrange(sources)} ;\n"
            f'  gkg:sourceSection "section {rng.randrange(20)}" .'
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=10_000, help="about this many triples (10^4 to 10^6)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", default="-", help="a .ttl file (default stdout)")
    args = parser.parse_args(argv)
    text = generate(args.triples, seed=args.seed)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
