"""``compare``: the "Key Differences" table for two model families, built from the graph.

The rows are the ``gkg:ComparisonAspect`` individuals (``gkg:tableHeading``, else the label;
``gkg:aspectOrder``; one or more ``gkg:aspectProperty`` and ``gkg:aspectInverseProperty``), so an aspect a
user adds to the graph becomes a row without code changes. Each cell holds the labels of the family's own
values for the row's properties, and of the subjects that have a row's inverse property with the family as
value (``rdf:type`` for Examples: the family's members). No inheritance along ``rdfs:subClassOf``: a
family's cell says what the sources claim about that family. A cell the graph cannot fill says so.
"""

from __future__ import annotations

import textwrap
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from .answer_form import Answer
from .answers import ROW_FORMATS, render
from .errors import ParameterError, TermNotFound, UnsupportedFormat
from .guard.deadline import time_limit
from .terms import TermGraph
from .vocab import GKG, RDF, RDFS, language_rank

__all__ = ["compare_families", "format_comparison", "COMPARISON_FORMATS", "NOT_STATED"]

#: The answer registry's row formats: a comparison is rows, written as any query's answer.
COMPARISON_FORMATS = ROW_FORMATS
#: What a cell says when the graph states nothing for that family and aspect.
NOT_STATED = "— (not stated in the graph)"
_SEPARATOR = "; "


def _family(kg: TermGraph, text: str, which: str) -> URIRef:
    """Resolve ``text`` to a model family, or raise ParameterError naming the argument (a or b)."""
    try:
        iri = kg.resolve_term(text)
    except TermNotFound as exc:
        raise TermNotFound(exc.reason, text=exc.text, matches=exc.matches, argument=which) from None
    g = kg.graph
    if (iri, RDF.type, GKG.ModelFamily) in g or _reaches(g, iri, GKG.ArtificialIntelligence):
        return iri
    if (iri, None, None) not in g:
        raise ParameterError(f"the graph says nothing about {text!r}", argument=which)
    raise ParameterError(f"{text!r} ({kg.label(iri)}) is not a model family", argument=which)


def _reaches(g: Graph, start: Node, goal: URIRef) -> bool:
    """Whether ``goal`` is ``start`` or one of its superclasses: each class visited once, in a loop (rdflib's
    ``transitive_objects`` recurses once per level, and a 3,000-long chain exhausts Python's stack)."""
    seen: set[Node] = {start}
    todo: list[Node] = [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        for parent in g.objects(node, RDFS.subClassOf):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return False


def _literal_rank(lit: Literal) -> int:
    """The package's one language preference (:func:`genai_kg.vocab.language_rank`)."""
    return language_rank(lit.language)


def _groups(g: Graph, family: URIRef, properties: list[URIRef], inverse: list[URIRef]) -> list[tuple[URIRef, list]]:
    """``(property, values)`` for the cell: an inverse property's values (its subjects with ``family`` as
    object) join a single forward property's values, or form their own group beside several."""
    groups: list[tuple[URIRef, list[Node]]] = [(prop, list(g.objects(family, prop))) for prop in properties]
    for prop in inverse:
        members: list[Node] = [s for s in g.subjects(prop, family) if isinstance(s, URIRef)]
        if len(groups) == 1:
            groups[0][1].extend(members)
        else:
            groups.append((prop, members))
    return groups


def _cell(kg: TermGraph, family: URIRef, properties: list[URIRef], inverse: list[URIRef] | None = None) -> str:
    """The labels of ``family``'s values for ``properties`` and of its subjects for ``inverse``; with several
    groups, each is named."""
    g = kg.graph
    parts = []
    groups = _groups(g, family, properties, list(inverse or ()))
    for prop, values in groups:
        literals = sorted((v for v in values if isinstance(v, Literal)), key=lambda v: (_literal_rank(v), str(v)))
        if literals and any(v.language for v in literals):
            best = _literal_rank(literals[0])
            literals = [v for v in literals if _literal_rank(v) == best]
        texts = [str(v) for v in literals]
        texts += sorted({kg.label(v) for v in values if isinstance(v, URIRef)}, key=str.casefold)
        if not texts:
            continue
        joined = _SEPARATOR.join(texts)
        parts.append(f"{kg.label(prop)}: {joined}" if len(groups) > 1 else joined)
    return " | ".join(parts) if parts else NOT_STATED


def _heading(kg: TermGraph, aspect: URIRef) -> str:
    """The row's ``gkg:tableHeading`` (English or untagged first), else the aspect's label."""
    literals = [h for h in kg.graph.objects(aspect, GKG.tableHeading) if isinstance(h, Literal)]
    return str(min(literals, key=lambda v: (_literal_rank(v), str(v)))) if literals else kg.label(aspect)


def _aspects(kg: TermGraph) -> list[tuple[str, list[URIRef], list[URIRef]]]:
    """``(heading, properties, inverse properties)`` per ComparisonAspect, by ``gkg:aspectOrder`` then heading."""
    g = kg.graph
    rows = []
    for aspect in {a for a in g.subjects(RDF.type, GKG.ComparisonAspect) if isinstance(a, URIRef)}:
        order = g.value(aspect, GKG.aspectOrder)
        try:
            rank = float(order.toPython()) if isinstance(order, Literal) else float("inf")
        except (TypeError, ValueError):
            rank = float("inf")
        props = sorted((p for p in g.objects(aspect, GKG.aspectProperty) if isinstance(p, URIRef)), key=str)
        inverse = sorted((p for p in g.objects(aspect, GKG.aspectInverseProperty) if isinstance(p, URIRef)), key=str)
        rows.append((rank, _heading(kg, aspect), props, inverse))
    rows.sort(key=lambda r: (r[0], r[1].casefold()))
    return [(heading, props, inverse) for _, heading, props, inverse in rows]


def compare_families(kg: TermGraph, a: str, b: str, *, timeout: float | None = None) -> dict[str, Any]:
    """Compare two model families aspect by aspect, from the graph's own statements.

    Parameters
    ----------
    kg : KnowledgeGraph
        The loaded graph (or anything with its ``graph``, ``resolve_term`` and ``label``:
        :class:`~genai_kg.terms.TermGraph`).
    a, b : str
        The families, by IRI, CURIE or label (``"LLM"``, ``gkg:DiffusionModel``, ``"generative AI"``).

    Returns
    -------
    dict
        ``{"families": [{"iri", "label"}, {"iri", "label"}], "columns": ["aspect", label A, label B],
        "rows": [{"aspect": ..., label A: ..., label B: ...}, ...]}``. A cell with no value in the graph
        reads ``NOT_STATED``.

    Raises
    ------
    ParameterError
        When A or B names no term, or a term that is not a model family; the message starts with the
        argument's name.
    LimitExceeded
        When the comparison takes longer than ``timeout`` seconds (the guard's default when None).
    """
    with time_limit(timeout, where="compare"):
        fa, fb = _family(kg, a, "a"), _family(kg, b, "b")
        label_a, label_b = kg.label(fa), kg.label(fb)
        if label_a.casefold() == label_b.casefold() or "aspect" in (label_a, label_b):
            label_a, label_b = f"{label_a} (A)", f"{label_b} (B)"
        rows = [
            {"aspect": heading, label_a: _cell(kg, fa, props, inverse), label_b: _cell(kg, fb, props, inverse)}
            for heading, props, inverse in _aspects(kg)
        ]
    return {
        "families": [{"iri": str(fa), "label": label_a}, {"iri": str(fb), "label": label_b}],
        "columns": ["aspect", label_a, label_b],
        "rows": rows,
    }


def _text_table(columns: list[str], rows: list[list[str]], width: int = 38) -> str:
    """A plain-text table whose long cells wrap inside their column."""
    widths = [min(width if i else 24, max([len(c)] + [len(r[i]) for r in rows])) for i, c in enumerate(columns)]

    def block(cells: list[str]) -> list[str]:
        wrapped = [textwrap.wrap(c, w) or [""] for c, w in zip(cells, widths, strict=True)]
        height = max(len(w) for w in wrapped)
        return [
            "  ".join((w[i] if i < len(w) else "").ljust(wd) for w, wd in zip(wrapped, widths, strict=True)).rstrip()
            for i in range(height)
        ]

    out = block(columns) + ["  ".join("-" * w for w in widths)]
    for row in rows:
        out += block(row)
    return "\n".join(out) + "\n"


def format_comparison(table: dict[str, Any], fmt: str = "table", *, raw_cells: bool = False) -> str:
    """Render :func:`compare_families`' result as ``table`` (cells wrapped for a person) or in any other row
    format of the answer registry (:data:`COMPARISON_FORMATS`).

    Those are rows of the aspect and each family's cell, written by :func:`genai_kg.answers.render` as any
    query's answer: csv, tsv, json and xml are the W3C SPARQL 1.1 results formats, whose variables are the
    column names with each run of characters a variable cannot hold as ``_`` (``large_language_model``). CSV
    cells that a spreadsheet would run as formulas are defused unless ``raw_cells``.
    """
    if fmt not in COMPARISON_FORMATS:
        known = ", ".join(COMPARISON_FORMATS)
        raise UnsupportedFormat(f"unknown comparison format {fmt!r}; use one of {known}", argument="format")
    columns = table["columns"]
    rows = [[row[c] for c in columns] for row in table["rows"]]
    if fmt == "table":
        return _text_table(columns, rows)
    return render(Answer.from_values(columns, rows), fmt, raw_cells=raw_cells)
