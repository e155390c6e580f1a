"""A QC report from SHACL's results, ROBOT-report style: one row per finding with its severity.

The checks are the shapes in ``ontology/shapes.ttl`` (the ``Qc*`` shapes add ROBOT's report checks to the
graph's own constraints); this module only reads pySHACL's results graph and writes it as a table a person
reads or in any row format of the answer registry, and says whether a finding reaches the level that fails a run.
"""

from __future__ import annotations

from typing import NamedTuple

from rdflib import Graph

from .vocab import RDFS, SH, local_name, pick_label

__all__ = ["Finding", "LEVELS", "findings", "format_findings", "fails"]

#: Severity names, worst first, as ``--fail-on`` takes them (``none`` never fails).
LEVELS = ("violation", "warning", "info", "none")
_RANK = {"violation": 3, "warning": 2, "info": 1, "none": 99}


class Finding(NamedTuple):
    """One result: severity (``violation``/``warning``/``info``), rule (the shape), term, message."""

    severity: str
    rule: str
    term: str
    label: str
    message: str


def findings(report: Graph, data: Graph | None = None) -> list[Finding]:
    """Every result of a pySHACL results graph, worst first, then by rule and term."""
    rows = []
    for result in report.subjects(SH.resultSeverity, None):
        severity = local_name(str(report.value(result, SH.resultSeverity))).lower()
        shape = report.value(result, SH.sourceShape)
        term = report.value(result, SH.value) or report.value(result, SH.focusNode)
        label = ""
        if data is not None and term is not None:
            found = pick_label(data.objects(term, RDFS.label))
            label = str(found) if found is not None else ""
        message = str(report.value(result, SH.resultMessage) or "")
        rows.append(Finding(severity, local_name(str(shape)) if shape is not None else "", str(term or ""), label,
                            message))
    return sorted(set(rows), key=lambda f: (-_RANK.get(f.severity, 0), f.rule, f.term, f.message))


def fails(rows: list[Finding], level: str) -> bool:
    """Whether any finding is at ``level`` or worse."""
    return any(_RANK.get(f.severity, 0) >= _RANK[level] for f in rows)


def format_findings(rows: list[Finding], format: str = "table") -> str:
    """``table`` (aligned columns, for a person) or any other row format of the answer registry
    (:data:`genai_kg.answers.ROW_FORMATS`): one row per finding, its fields (severity, rule, term, label,
    message) the variables and plain literals, written by :func:`genai_kg.answers.render` as a query's answer
    (csv, tsv, json and xml are the W3C SPARQL 1.1 results formats)."""
    if format != "table":
        from .answer_form import Answer
        from .answers import ROW_FORMATS, render

        if format not in ROW_FORMATS:
            raise ValueError(f"format not supported: {format}")
        return render(Answer.from_values(Finding._fields, rows), format)
    shown = [(f.severity.upper(), f.rule, f.label or local_name(f.term), f.message) for f in rows]
    header = ("SEVERITY", "RULE", "TERM", "MESSAGE")
    widths = [max(len(r[i]) for r in [header, *shown]) for i in range(3)]
    return "".join(
        "  ".join(r[i].ljust(widths[i]) for i in range(3)) + "  " + r[3] + "\n" for r in [header, *shown]
    )

