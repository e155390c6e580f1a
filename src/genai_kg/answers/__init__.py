"""Answers to queries: one module per output format, chosen here, over one internal form (:mod:`genai_kg.answer_form`).

Every evaluation — the memory store, Oxigraph, a remote endpoint — yields an :class:`~genai_kg.answer_form.Answer`
(kind ``select``, ``ask`` or ``graph``; variables; rows of terms or triples). :data:`RENDERERS` is the one
table of output formats: each names the module that writes SELECT and ASK answers in it and the module
that writes graph answers (``json`` is SPARQL JSON for rows and JSON-LD for a graph). The command line
builds ``--format``'s choices and help from this table, so it is plain data: reading it imports neither
rdflib nor any renderer, which load when first used (as networkx's ``readwrite`` and datasette's renderers).

>>> [r.name for r in RENDERERS][:6]
['table', 'csv', 'tsv', 'json', 'xml', 'md']
>>> format_name("graph", "turtle"), format_name("select")
('ttl', 'table')
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph
    from rdflib.namespace import NamespaceManager

    from ..answer_form import Answer

__all__ = [
    "Renderer", "RENDERERS", "ROW_FORMATS", "RECORD_FORMATS", "FORMATS", "format_name", "render", "format_help",
    "row_format_help",
    "Answer", "QueryResult", "View",
]


class Renderer(NamedTuple):
    """One output format: its name, the modules (in this package) that write each kind, and a summary."""

    name: str
    rows: str | None  #: module writing SELECT and ASK answers (None: not for them)
    graph: str | None  #: module writing CONSTRUCT and DESCRIBE answers
    summary: str


RENDERERS: tuple[Renderer, ...] = (
    Renderer("table", "table", "table", "a table sized to the terminal (the default for rows)"),
    Renderer("csv", "csv_results", "csv_results", "W3C SPARQL 1.1 CSV results"),
    Renderer("tsv", "tsv_results", "tsv_results", "W3C SPARQL 1.1 TSV results"),
    Renderer("json", "json_results", "rdf_syntax", "W3C SPARQL 1.1 JSON results; JSON-LD for a graph"),
    Renderer("xml", "xml_results", "rdf_syntax", "W3C SPARQL 1.1 XML results; RDF/XML for a graph"),
    Renderer("md", "markdown", "markdown", "a Markdown table"),
    Renderer("ttl", None, "rdf_syntax", "Turtle (the default for a graph)"),
    Renderer("nt", None, "rdf_syntax", "N-Triples"),
    Renderer("json-ld", None, "rdf_syntax", "JSON-LD, its context inline"),
)
_BY_NAME = {r.name: r for r in RENDERERS}
#: The names SELECT and ASK answers take; every name is a graph's.
ROW_FORMATS = tuple(r.name for r in RENDERERS if r.rows)
FORMATS = tuple(r.name for r in RENDERERS)
#: The names a nested record takes (``describe``'s statements, each with its sources): a person's text and
#: JSON. A record is not rows of terms, so the results formats (csv, tsv, xml, md) cannot carry it; its two
#: names are the registry's own, so ``--format json`` means JSON and ``table`` a person's text everywhere.
RECORD_FORMATS = ("table", "json")
_DEFAULT = {"select": "table", "ask": "table", "graph": "ttl"}


def format_help() -> str:
    """The formats in words, for ``--format``'s help: which names rows take and which graphs take."""
    rows = ", ".join(ROW_FORMATS)
    graphs = ", ".join(r.name for r in RENDERERS if not r.rows)
    return (
        f"SELECT/ASK: {rows} (csv, tsv, json, xml are the W3C SPARQL 1.1 results formats; table by default)."
        f" CONSTRUCT/DESCRIBE: {graphs} (ttl by default), json (JSON-LD), xml (RDF/XML), or table, csv, tsv,"
        " md rows of subject, predicate, object."
    )


def row_format_help() -> str:
    """``--format``'s help for a command whose output is rows (its own counts, lists or tables)."""
    results = ", ".join(r.name for r in RENDERERS if r.rows and r.summary.startswith("W3C SPARQL 1.1"))
    return f"{', '.join(ROW_FORMATS)}: {results} are the W3C SPARQL 1.1 results formats, md a Markdown table."


def format_name(kind: str, fmt: str | None = None) -> str:
    """The registry's name for ``fmt`` asked of a ``kind`` of answer (None: the kind's own default).

    A graph also takes the other names of its RDF syntaxes (``turtle``, ``rdf``, ``jsonld``, ...). An RDF
    syntax asked of rows, or a name no renderer knows, is :class:`~genai_kg.errors.UnsupportedFormat`
    (argument ``format``).
    """
    from ..errors import UnsupportedFormat

    if fmt is None:
        return _DEFAULT[kind]
    name = fmt.strip().lower()
    alias = name not in _BY_NAME
    if alias:
        from ..formats import from_name

        try:
            syntax = from_name(name, writable=True)
        except UnsupportedFormat:
            choices = ROW_FORMATS if kind != "graph" else FORMATS
            raise UnsupportedFormat(
                f"unknown answer format {fmt!r}; use one of {', '.join(choices)}", argument="format"
            ) from None
        name = next(n for n in syntax.names if n in _BY_NAME)  # turtle -> ttl, rdf/xml -> xml, ...
    if kind != "graph" and (alias or _BY_NAME[name].rows is None):
        form = "an ASK answer is true or false" if kind == "ask" else "a SELECT answer is rows"
        raise UnsupportedFormat(
            f"{form}, not triples: {fmt!r} is an RDF syntax, for CONSTRUCT and DESCRIBE answers;"
            f" use one of {', '.join(ROW_FORMATS)}",
            argument="format",
        )
    return name


def render(
    answer: Answer, fmt: str | None = None, *, prefixes: NamespaceManager | None = None, labels: Graph | None = None,
    raw_cells: bool = False,
) -> str:
    """``answer`` (an :class:`~genai_kg.answer_form.Answer`) written in ``fmt`` by the module the registry names.

    ``prefixes`` (an rdflib namespace manager) writes IRIs as CURIEs in tables and lends a graph's RDF
    syntaxes their prefixes; ``labels`` (the graph queried) names the IRIs of a graph answer's rows. CSV
    cells that a spreadsheet would run are defused unless ``raw_cells``.
    """
    name = format_name(answer.kind, fmt)
    renderer = _BY_NAME[name]
    module = import_module(f".{renderer.graph if answer.kind == 'graph' else renderer.rows}", __name__)
    return module.render(answer, name, prefixes=prefixes, labels=labels, raw_cells=raw_cells)


_LAZY = {"Answer": "..answer_form", "QueryResult": ".result", "View": ".result"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value
