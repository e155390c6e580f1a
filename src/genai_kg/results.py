"""Query results as text: a terminal table, Markdown, CSV/TSV, and the W3C SPARQL 1.1 JSON and XML formats."""

from __future__ import annotations

import re

from rdflib import BNode, URIRef

__all__ = ["RESULT_FORMATS", "format_result", "term_text", "markdown_table", "text_table", "defuse_csv", "defuse_cell"]

RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml", "md")


def term_text(term, namespace_manager=None) -> str:
    """A term as a person reads it in a table: a CURIE where a prefix is bound, a literal's text."""
    if term is None:
        return ""
    if isinstance(term, URIRef) and namespace_manager is not None:
        try:
            return namespace_manager.curie(term, generate=False)
        except (KeyError, ValueError):
            return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def markdown_table(names: list[str], rows: list[list[str]]) -> str:
    """A GitHub-flavoured Markdown table; pipes escaped and line breaks folded so every row stays one line."""

    def esc(s: str) -> str:
        return s.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(esc(n) for n in names) + " |", "|" + "|".join("---" for _ in names) + "|"]
    lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")


def defuse_csv(text: str) -> str:
    r"""CSV ``text`` with every cell that a spreadsheet would run as a formula made inert (OWASP's advice).

    A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'`` (shown
    by no spreadsheet, read by all as "text"), unless the cell is a plain number such as ``-1.5``. Cells are
    re-quoted as needed. Pass ``raw_cells=True`` to :func:`format_result` for the cells as they are.

    >>> print(defuse_csv('label,n\n"=HYPERLINK(""http://x"")",-2\n@SUM(A1),+x\n'), end="")
    label,n
    "'=HYPERLINK(""http://x"")",-2
    '@SUM(A1),'+x
    """
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if "\r\n" in text else "\n")
    for row in csv.reader(io.StringIO(text, newline="")):
        writer.writerow(defuse_cell(cell) for cell in row)
    return out.getvalue()


def defuse_cell(cell: str) -> str:
    """One CSV cell made inert for spreadsheets, as :func:`defuse_csv` does to each."""
    return "'" + cell if cell.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(cell) else cell



def text_table(names: list[str], rows: list[list[str]], *, total: int | None = None, unit: str = "row") -> str:
    """A plain-text table with aligned columns (cells cut at 80 characters) and a count under it.

    ``total`` is the number of rows in all when ``rows`` holds only the first of them; ``unit`` names them.

    >>> print(text_table(["a", "b"], [["1", "x"]]), end="")
    a  b
    -  -
    1  x
    (1 row)
    """
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    widths = [min(w, 80) for w in widths]

    def line(cells):
        return "  ".join(c.replace("\n", " ")[:80].ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [line(names), line(["-" * w for w in widths])] + [line(r) for r in rows]
    count = len(rows) if total is None else total
    shown = f"showing {len(rows)} of " if count != len(rows) else ""
    return "\n".join(out) + f"\n({shown}{count:,} {unit}{'s' if count != 1 else ''})\n"


def _tsv(result) -> str:
    """SPARQL 1.1 TSV results: ``?var`` headers, terms in Turtle syntax (``<iri>``, ``"text"@en``), tabs escaped."""

    def cell(term) -> str:
        if term is None:
            return ""
        if isinstance(term, BNode):
            return f"_:{term}"
        return term.n3().replace("\t", "\\t")

    lines = ["\t".join(f"?{v}" for v in result.vars)]
    lines += ["\t".join(cell(row.get(v)) for v in result.vars) for row in result.bindings]
    return "\n".join(lines) + "\n"


def _refuse_xml_unfit(result) -> None:
    """SPARQL XML results cannot carry some characters (most control characters): refuse in one line."""
    from .errors import UnsupportedFormat
    from .guard.output import xml_unfit

    for row in result.bindings:
        for value in row.values():
            bad = xml_unfit(str(value))
            if bad is not None:
                raise UnsupportedFormat(
                    f"a value holds U+{ord(bad):04X}, which XML cannot carry; use json, csv or tsv", argument="format"
                )


def format_result(
    result, fmt: str = "table", *, namespace_manager=None, graph_format: str = "turtle", raw_cells: bool = False
) -> str:
    """Render a query's answer: SELECT and ASK in ``fmt``; CONSTRUCT and DESCRIBE as RDF in ``graph_format``.

    ``result`` is what :meth:`genai_kg.KnowledgeGraph.query` returns, or the rdflib ``Result`` it wraps. CSV
    cells that a spreadsheet would run as formulas are defused (:func:`defuse_csv`) unless ``raw_cells``.
    """
    result = getattr(result, "rdflib_result", result)  # a QueryResult: its rdflib Result
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        from .export import serialize_graph

        graph = result.graph
        if namespace_manager is not None:  # a CONSTRUCT's new graph knows no prefixes: lend it the data's
            for prefix, namespace in namespace_manager.namespaces():
                graph.bind(prefix, namespace, override=False)
        return serialize_graph(graph, graph_format)
    if getattr(result, "answer", None) is not None and fmt in ("csv", "tsv", "json", "xml"):
        from .writers import format_answer  # compact rows from the sandbox, written without rdflib terms

        return format_answer(result.answer, fmt, raw_cells=raw_cells)
    if result.type == "ASK" and fmt in ("csv", "tsv"):  # the W3C CSV/TSV formats have no boolean form
        return ("true" if result.askAnswer else "false") + "\n"
    if fmt == "tsv":  # rdflib parses SPARQL TSV but has no serializer for it
        return _tsv(result)
    if fmt == "xml":
        _refuse_xml_unfit(result)
    if fmt in ("json", "xml", "csv"):
        data = result.serialize(format=fmt)
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        if fmt == "csv" and not raw_cells:
            text = defuse_csv(text)
        return text if text.endswith("\n") else text + "\n"
    if result.type == "ASK":
        return ("true" if result.askAnswer else "false") + "\n"
    names = [str(v) for v in result.vars]
    rows = [[term_text(b.get(v), namespace_manager) for v in result.vars] for b in result.bindings]
    return markdown_table(names, rows) if fmt == "md" else text_table(names, rows)
