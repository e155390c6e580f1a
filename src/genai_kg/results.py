"""Query results as text: a terminal table, Markdown, CSV/TSV, and the W3C SPARQL 1.1 JSON and XML formats;
a CONSTRUCT or DESCRIBE answer also in the RDF syntaxes, or as subject/predicate/object rows.

One ``format`` serves every answer: the same name means the same kind of output whatever the query's form
(``json`` is SPARQL JSON for rows and JSON-LD for a graph), and an RDF syntax asked of rows is refused.
"""

from __future__ import annotations

from rdflib import XSD, BNode, Literal, URIRef

from .errors import UnsupportedFormat
from .formats import ANSWER_FORMATS, RESULT_FORMATS, from_name, writable_names
from .guard.output import defuse_cell
from .vocab import label, local_name

__all__ = [
    "RESULT_FORMATS",
    "GRAPH_SYNTAXES",
    "ANSWER_FORMATS",
    "answer_format",
    "format_result",
    "format_graph",
    "triple_table",
    "term_text",
    "markdown_table",
    "text_table",
    "defuse_csv",
    "defuse_cell",
]

#: The RDF syntaxes a CONSTRUCT or DESCRIBE answer is written in besides RESULT_FORMATS (formats.py's names);
#: RESULT_FORMATS and ANSWER_FORMATS live in formats.py, and are this module's too.
GRAPH_SYNTAXES = tuple(writable_names())
_GRAPH_KINDS = ("CONSTRUCT", "DESCRIBE")
_TRIPLE_COLUMNS = ["subject", "predicate", "object"]


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


_ECHAR = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _tsv_cell(term) -> str:
    r"""A term as SPARQL 1.1 TSV results write it, in N-Triples syntax: one line, tabs and breaks escaped.

    >>> print(_tsv_cell(Literal("two\tlines\n", lang="en")), _tsv_cell(URIRef("http://e/a")))
    "two\tlines\n"@en <http://e/a>
    """
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        text = '"' + str(term).translate(_ECHAR) + '"'
        if term.language:
            return f"{text}@{term.language}"
        return f"{text}^^<{term.datatype}>" if term.datatype and term.datatype != XSD.string else text
    return term.n3()


def _tsv(result) -> str:
    """SPARQL 1.1 TSV results: ``?var`` headers, terms in Turtle syntax (``<iri>``, ``"text"@en``), tabs escaped."""
    lines = ["\t".join(f"?{v}" for v in result.vars)]
    lines += ["\t".join(_tsv_cell(row.get(v)) for v in result.vars) for row in result.bindings]
    return "\n".join(lines) + "\n"


def _refuse_xml_unfit(result) -> None:
    """SPARQL XML results cannot carry some characters (most control characters): refuse in one line."""
    from .errors import UnsupportedFormat
    from .guard.output import xml_unfit

    for row in result.bindings if result.type == "SELECT" else ():  # an ASK has no rows (rdflib: None)
        for value in row.values():
            bad = xml_unfit(str(value))
            if bad is not None:
                raise UnsupportedFormat(
                    f"a value holds U+{ord(bad):04X}, which XML cannot carry; use json, csv or tsv", argument="format"
                )


def format_result(
    result,
    fmt: str | None = None,
    *,
    namespace_manager=None,
    graph_format: str | None = None,
    raw_cells: bool = False,
    data=None,
) -> str:
    """Render a query's answer in ``fmt``, or in the answer's own format when None (a table; Turtle for a graph).

    SELECT and ASK take :data:`RESULT_FORMATS`; a CONSTRUCT or DESCRIBE takes those and the RDF syntaxes
    (:func:`format_graph`), and ``graph_format``, the older name for its format, wins when given. ``result``
    is what :meth:`genai_kg.KnowledgeGraph.query` returns, or the rdflib ``Result`` it wraps;
    ``namespace_manager`` writes IRIs as CURIEs, ``data`` (the graph queried) lends a graph's rows their
    labels. CSV cells that a spreadsheet would run as formulas are defused (:func:`defuse_csv`) unless
    ``raw_cells``. UnsupportedFormat (argument ``format``) for an RDF syntax asked of rows, or an unknown name.
    """
    result = getattr(result, "rdflib_result", result)  # a QueryResult: its rdflib Result
    if result.type in _GRAPH_KINDS:
        return format_graph(
            result.graph, graph_format or fmt, data=data, namespace_manager=namespace_manager, raw_cells=raw_cells
        )
    fmt = answer_format(result.type, fmt)
    if getattr(result, "answer", None) is not None and fmt in ("csv", "tsv", "json", "xml"):  # writers.COMPACT_FORMATS
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


# -- the one format rule, and graph answers ------------------------------------------------------------------
def answer_format(kind: str, fmt: str | None = None) -> str:
    """The format an answer of ``kind`` (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``) is written in.

    None is the answer's own: ``table`` for rows and ASK, ``ttl`` for a graph. A graph takes every name in
    :data:`ANSWER_FORMATS` and the other names of those RDF syntaxes (``turtle``, ``rdf``, ``jsonld``, ...);
    rows take :data:`RESULT_FORMATS`, and an RDF syntax asked of them is refused in one line.

    >>> answer_format("SELECT"), answer_format("DESCRIBE"), answer_format("CONSTRUCT", "json")
    ('table', 'ttl', 'json')
    >>> answer_format("ASK", "nt")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    genai_kg.errors.UnsupportedFormat: format: an ASK answer is true or false, not triples: 'nt' is an RDF ...
    """
    graph = kind in _GRAPH_KINDS
    if fmt is None:
        return "ttl" if graph else "table"
    name = fmt.strip().lower()
    if name in RESULT_FORMATS:
        return name
    try:
        syntax = from_name(name, writable=True)
    except UnsupportedFormat:
        choices = ANSWER_FORMATS if graph else RESULT_FORMATS
        raise UnsupportedFormat(
            f"unknown answer format {fmt!r}; use one of {', '.join(choices)}", argument="format"
        ) from None
    if not graph:
        what = "true or false" if kind == "ASK" else "rows"
        raise UnsupportedFormat(
            f"{'an' if kind == 'ASK' else 'a'} {kind} answer is {what}, not triples: {fmt!r} is an RDF syntax,"
            f" for CONSTRUCT and DESCRIBE answers; use one of {', '.join(RESULT_FORMATS)}",
            argument="format",
        )
    return name if name in GRAPH_SYNTAXES else syntax.name


def _triple_cell(term, answer, data) -> str:
    """A term of a graph answer as a person reads it: an IRI's label (from the data queried, else from the
    answer itself, which a CONSTRUCT may have given labels), a literal's text, a blank node by what it says."""
    if isinstance(term, BNode):  # what it says ("produces output: value image"), never its _:id
        from .views.readable import blank_text

        return blank_text(term, *(g for g in (answer, data) if g is not None))
    if not isinstance(term, URIRef):
        return term_text(term)
    found = label(data, term) if data is not None else None
    if found is None or found == local_name(str(term)):  # no label in the data: perhaps in the answer
        found = label(answer, term)
    return found


def triple_table(graph, *, data=None) -> tuple[list[list], list[list[str]]]:
    """A graph's triples as rows of terms, and beside them the text a person reads (labels for IRIs), both
    sorted by that text: the rows that ``print(result)``, Jupyter and ``format="table"`` show for a graph.

    >>> from rdflib import Graph
    >>> g = Graph().parse(data='<http://e/b> <http://e/p> "2" . <http://e/a> <http://e/p> "1" .', format="ttl")
    >>> triple_table(g)[1]
    [['a', 'p', '1'], ['b', 'p', '2']]
    """
    shown: dict = {}

    def show(term) -> str:
        if term not in shown:
            shown[term] = _triple_cell(term, graph, data)
        return shown[term]

    rows = sorted(([s, p, o] for s, p, o in graph), key=lambda row: [show(t) for t in row])
    return rows, [[show(t) for t in row] for row in rows]


def _triples_csv(rows: list[list], raw_cells: bool) -> str:
    """SPARQL 1.1 CSV results of ``?subject ?predicate ?object``: IRIs in full, literals' text, ``_:id``."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_TRIPLE_COLUMNS)
    writer.writerows([term_text(t) for t in row] for row in rows)
    return out.getvalue() if raw_cells else defuse_csv(out.getvalue())


def format_graph(graph, fmt: str | None = None, *, data=None, namespace_manager=None, raw_cells: bool = False) -> str:
    """A CONSTRUCT or DESCRIBE answer in ``fmt``: an RDF syntax, or its triples as subject/predicate/object rows.

    ``ttl`` (the default), ``nt``, ``xml`` and ``json-ld`` are the RDF syntaxes (as :func:`serialize_graph
    <genai_kg.export.serialize_graph>` writes them; ``json`` is JSON-LD too, its context inline so no reader
    fetches one). ``table`` and ``md`` show the rows as a person reads them, IRIs by their labels in ``data``
    or in the answer; ``csv`` writes IRIs in full and literals' text, ``tsv`` every term in N-Triples syntax,
    as the SPARQL 1.1 CSV and TSV results of ``SELECT ?subject ?predicate ?object`` would.
    ``namespace_manager`` lends its prefixes to the RDF syntaxes (a CONSTRUCT's new graph knows none).

    >>> from rdflib import Graph
    >>> g = Graph().parse(data='<http://e/a> <http://e/p> "x" .', format="turtle")
    >>> print(format_graph(g, "tsv").replace("\\t", " | "), end="")
    ?subject | ?predicate | ?object
    <http://e/a> | <http://e/p> | "x"
    """
    fmt = answer_format("CONSTRUCT", fmt)
    if fmt in ("table", "md", "csv", "tsv"):
        rows, shown = triple_table(graph, data=data)
        if fmt == "table":
            return text_table(_TRIPLE_COLUMNS, shown, unit="triple")
        if fmt == "md":
            return markdown_table(_TRIPLE_COLUMNS, shown)
        if fmt == "csv":
            return _triples_csv(rows, raw_cells)
        lines = ["\t".join(f"?{name}" for name in _TRIPLE_COLUMNS)]
        return "\n".join(lines + ["\t".join(_tsv_cell(t) for t in row) for row in rows]) + "\n"
    from .export import serialize_graph

    lent = list(namespace_manager.namespaces()) if namespace_manager is not None else []
    return serialize_graph(_with_used_prefixes(graph, lent), "json-ld" if fmt == "json" else fmt)


def _with_used_prefixes(graph, lent):
    """The answer with only the prefixes its IRIs use: its own, then those ``lent`` (a CONSTRUCT's new graph
    knows none), so a JSON-LD context or a Turtle header lists what the answer needs and not every prefix
    rdflib binds by default.

    >>> from rdflib import Graph, Namespace
    >>> g = Graph().parse(data='<http://e/a> <http://e/p> "x" .', format="turtle")
    >>> sorted(p for p, _ in _with_used_prefixes(g, [("e", Namespace("http://e/"))]).namespaces())
    ['e']
    """
    from rdflib import Graph, URIRef

    used = {str(term) for triple in graph for term in triple if isinstance(term, URIRef)}
    out = Graph(bind_namespaces="none")
    for triple in graph:
        out.add(triple)
    for prefix, namespace in [*graph.namespaces(), *lent]:
        if prefix and any(iri.startswith(str(namespace)) for iri in used):
            out.bind(prefix, namespace, override=False)
    return out
