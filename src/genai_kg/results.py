"""Query results as text: a terminal table, Markdown, CSV/TSV, and the W3C SPARQL 1.1 JSON and XML formats."""

from __future__ import annotations

from rdflib import BNode, URIRef

__all__ = ["RESULT_FORMATS", "format_result", "term_text", "markdown_table"]

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


def _table(names: list[str], rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        return markdown_table(names, rows)
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    widths = [min(w, 80) for w in widths]

    def line(cells):
        return "  ".join(c.replace("\n", " ")[:80].ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [line(names), line(["-" * w for w in widths])] + [line(r) for r in rows]
    return "\n".join(out) + f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})\n"


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


def format_result(result, fmt: str = "table", *, namespace_manager=None, graph_format: str = "turtle") -> str:
    """Render an rdflib Result: SELECT and ASK in ``fmt``; CONSTRUCT and DESCRIBE as RDF in ``graph_format``."""
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        from .export import serialize_graph

        graph = result.graph
        if namespace_manager is not None:  # a CONSTRUCT's new graph knows no prefixes: lend it the data's
            for prefix, namespace in namespace_manager.namespaces():
                graph.bind(prefix, namespace, override=False)
        return serialize_graph(graph, graph_format)
    if getattr(result, "answer", None) is not None and fmt in ("csv", "tsv", "json", "xml"):
        from .writers import format_answer  # compact rows from the sandbox, written without rdflib terms

        return format_answer(result.answer, fmt)
    if result.type == "ASK" and fmt in ("csv", "tsv"):  # the W3C CSV/TSV formats have no boolean form
        return ("true" if result.askAnswer else "false") + "\n"
    if fmt == "tsv":  # rdflib parses SPARQL TSV but has no serializer for it
        return _tsv(result)
    if fmt in ("json", "xml", "csv"):
        data = result.serialize(format=fmt)
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        return text if text.endswith("\n") else text + "\n"
    if result.type == "ASK":
        return ("true" if result.askAnswer else "false") + "\n"
    names = [str(v) for v in result.vars]
    rows = [[term_text(b.get(v), namespace_manager) for v in result.vars] for b in result.bindings]
    return _table(names, rows, markdown=(fmt == "md"))
