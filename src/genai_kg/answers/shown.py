"""Terms as a person reads them, shared by the table-like renderers: a CURIE where a prefix is bound, a
literal's text, a graph answer's IRIs by their labels (in the data queried, else in the answer)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..answer_form import Answer, parse_term, to_rdflib

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph
    from rdflib.namespace import NamespaceManager

__all__ = ["term_text", "cell_text", "shown_rows", "graph_rows"]


def term_text(term: Any, namespace_manager: NamespaceManager | None = None) -> str:
    """An rdflib term as a person reads it in a table: a CURIE where a prefix is bound, a literal's text."""
    if term is None:
        return ""
    kind = type(term).__name__
    if kind == "URIRef" and namespace_manager is not None:
        try:
            return namespace_manager.curie(term, generate=False)
        except (KeyError, ValueError):
            return str(term)
    if kind == "BNode":
        return f"_:{term}"
    return str(term)


def cell_text(cell: str, namespace_manager: NamespaceManager | None = None) -> str:
    """A cell (a term in N-Triples syntax) as :func:`term_text` shows it."""
    parts = parse_term(cell)
    if parts is None:
        return ""
    kind, value = parts[0], parts[1]
    if kind == "uri":
        return term_text(to_rdflib(cell), namespace_manager) if namespace_manager is not None else value
    return f"_:{value}" if kind == "bnode" else value


def graph_rows(answer: Answer, labels: Graph | None = None) -> tuple[list[tuple[str, ...]], list[list[str]]]:
    """A graph answer's triples and beside them the text a person reads (IRIs by their labels), both sorted
    by that text: the rows that ``table``, ``md``, ``csv`` and ``tsv`` write for a graph.

    An IRI's label comes from ``labels`` (the graph queried) by :func:`genai_kg.vocab.label`, else from the
    answer itself (a CONSTRUCT may build labels), else its local name.
    """
    from ..vocab import LABEL_PREDICATES, local_name, pick_label
    from ..vocab import label as label_in

    triples = list(answer.rows())
    own: dict[str, dict[str, list]] = {}
    predicates = {f"<{p}>": i for i, p in enumerate(LABEL_PREDICATES)}
    for s, p, o in triples:
        if p in predicates and o.startswith('"'):
            own.setdefault(s, {}).setdefault(p, []).append(to_rdflib(o))
    shown: dict[str, str] = {}
    answer_graph = None

    def show(cell: str) -> str:
        nonlocal answer_graph
        if cell in shown:
            return shown[cell]
        if cell.startswith("_:"):  # what it says ("produces output: value image"), never its _:id
            from ..readable import blank_text

            if answer_graph is None:
                from rdflib import Graph

                answer_graph = Graph()
                for triple in triples:
                    answer_graph.add(tuple(to_rdflib(c) for c in triple))
            text = blank_text(to_rdflib(cell), *(g for g in (answer_graph, labels) if g is not None))
        elif not cell.startswith("<"):
            text = cell_text(cell)
        else:
            iri = cell[1:-1]
            text = label_in(labels, to_rdflib(cell)) if labels is not None else local_name(iri)
            if text == local_name(iri):  # no label in the data: perhaps in the answer
                for predicate in predicates:
                    found = pick_label(own.get(cell, {}).get(predicate, ()))
                    if found is not None:
                        text = found
                        break
        shown[cell] = text
        return text

    keyed = sorted((tuple(show(c) for c in t), t) for t in triples)
    return [t for _, t in keyed], [list(k) for k, _ in keyed]


def shown_rows(
    answer: Answer, *, prefixes: NamespaceManager | None = None, labels: Graph | None = None
) -> tuple[list[str], list[list[str]], str]:
    """``(columns, rows as text, unit)`` of a SELECT or graph answer, as tables show them."""
    if answer.kind == "graph":
        return list(answer.variables), graph_rows(answer, labels)[1], "triple"
    return list(answer.variables), [[cell_text(c, prefixes) for c in row] for row in answer.rows()], "row"
