"""The W3C SPARQL 1.1 TSV results format: ``?var`` headers, every term in N-Triples (Turtle) syntax.

The rows are already in this form (:class:`~genai_kg.answer_form.Answer`), so they are written as they
are. A graph answer is written as the rows of ``SELECT ?subject ?predicate ?object``, sorted as tables
show them; an ASK answer is ``true`` or ``false``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..answer_form import Answer, renamed_blank_nodes
from .shown import graph_rows

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

__all__ = ["render"]


def render(answer: Answer, name: str = "tsv", *, labels: Graph | None = None, **_options: Any) -> str:
    if answer.kind == "ask":
        return ("true" if answer.boolean else "false") + "\n"
    answer = renamed_blank_nodes(answer)  # labels are the document's own: the same bytes from any engine
    head = "\t".join(f"?{n}" for n in answer.variables) + "\n"
    if answer.kind == "graph":
        return head + "".join("\t".join(row) + "\n" for row in graph_rows(answer, labels)[0])
    return head + "".join(answer.chunks)
