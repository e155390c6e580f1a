"""The W3C SPARQL 1.1 CSV results format: IRIs in full, literals' text, ``_:id`` for blank nodes.

A graph answer is written as the rows of ``SELECT ?subject ?predicate ?object`` (sorted as tables show
them). Cells that a spreadsheet would run as formulas are defused (:func:`genai_kg.guard.output.defuse_cell`)
unless ``raw_cells``. An ASK answer is ``true`` or ``false`` (the CSV format has no boolean form).

>>> from genai_kg.answer_form import Answer
>>> answer = Answer.from_rows("select", ["s", "n"], [["<urn:x:a>", '"1, 2"@en'], ["_:b", ""]])
>>> render(answer, "csv").splitlines()
['s,n', 'urn:x:a,"1, 2"', '_:b0,']
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from ..answer_form import Answer, parse_term, renamed_blank_nodes
from ..guard.output import defuse_cell
from .shown import graph_rows

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

__all__ = ["render"]


def _value(cell: str) -> str:
    if not cell:
        return ""
    first = cell[0]
    if first == "<":
        return cell[1:-1]
    if first == "_":
        return cell
    parts = parse_term(cell)
    return parts[1] if parts else ""


def render(
    answer: Answer, name: str = "csv", *, labels: Graph | None = None, raw_cells: bool = False, **_options: Any
) -> str:
    if answer.kind == "ask":
        return ("true" if answer.boolean else "false") + "\n"
    answer = renamed_blank_nodes(answer)  # labels are the document's own: the same bytes from any engine
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    rows = graph_rows(answer, labels)[0] if answer.kind == "graph" else answer.rows()
    clean = (lambda cell: cell) if raw_cells else defuse_cell
    writer.writerow([clean(n) for n in answer.variables])
    for row in rows:
        writer.writerow([clean(_value(cell)) for cell in row])
    return out.getvalue()
