"""Checking the graph, and a user's additions, against the SHACL shapes in ``ontology/shapes.ttl``: the
graph's constraints and ROBOT-report-style QC checks, each with its severity (:mod:`genai_kg.qc`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph

from .errors import LimitExceeded
from .guard.deadline import time_limit
from .paths import SHAPES_FILE
from .terms import TermGraph

__all__ = ["ValidationReport", "validate"]


@dataclass(frozen=True)
class ValidationReport:
    """pySHACL's verdict: whether the data conforms (no violation), how many violations, pySHACL's own text,
    its results graph, and every finding (violations, warnings, information) as QC rows."""

    conforms: bool
    count: int
    text: str
    graph: Graph
    findings: list = field(default_factory=list)


def validate(kg: TermGraph, shapes: Graph | None = None, *, timeout: float | None = None) -> ValidationReport:
    """Validate ``kg`` with pySHACL against the bundled shapes (or ``shapes``), with no inference.

    The ontology is in the data graph already, so ``rdfs:subClassOf`` targets reach users' subclasses.
    pySHACL runs the shapes' SPARQL constraints with rdflib's engine, in this process: the work stops with
    LimitExceeded after ``timeout`` seconds (the guard's default when None). pySHACL follows
    ``rdfs:subClassOf`` by recursion (one Python frame per level), so a hierarchy too deep for it is
    refused in one line rather than crashing.
    """
    import pyshacl

    from .vocab import SH

    if shapes is None:
        shapes = Graph().parse(SHAPES_FILE, format="turtle")
    try:
        with time_limit(timeout, where="validate"):
            conforms, report, text = pyshacl.validate(
                kg.graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
            )
    except RecursionError:
        raise LimitExceeded(
            "validate: the data nests too deeply for the SHACL validator, which follows rdfs:subClassOf"
            " by recursion (a class hierarchy of several hundred levels); refused"
        ) from None
    from .qc import findings

    count = sum(1 for _ in report.subjects(SH.resultSeverity, SH.Violation))
    return ValidationReport(bool(conforms), count, text, report, findings(report, kg.graph))
