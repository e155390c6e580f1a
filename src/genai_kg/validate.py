"""Checking the graph, and a user's additions, against the SHACL shapes in ``ontology/shapes.ttl``."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph

from .paths import SHAPES_FILE

__all__ = ["ValidationReport", "validate"]


@dataclass(frozen=True)
class ValidationReport:
    """pySHACL's verdict: whether the data conforms, how many results, and the readable report."""

    conforms: bool
    count: int
    text: str
    graph: Graph


def validate(kg, shapes: Graph | None = None) -> ValidationReport:
    """Validate ``kg`` with pySHACL against the bundled shapes (or ``shapes``), with no inference.

    The ontology is in the data graph already, so ``rdfs:subClassOf`` targets reach users' subclasses.
    """
    import pyshacl
    from rdflib.namespace import SH

    if shapes is None:
        shapes = Graph().parse(SHAPES_FILE, format="turtle")
    conforms, report, text = pyshacl.validate(
        kg.graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    count = sum(1 for _ in report.subjects(SH.resultSeverity, SH.Violation))
    return ValidationReport(bool(conforms), count, text, report)
