"""What :meth:`genai_kg.KnowledgeGraph.query` and :meth:`~genai_kg.KnowledgeGraph.view` return: answers that
show themselves as tables (text in a REPL, HTML in Jupyter), convert to pandas, and views that show inline.

A :class:`QueryResult` holds the one answer form (:class:`~genai_kg.answer_form.Answer`) and offers what
rdflib's ``Result`` does: rows iterate as rdflib's (``row.label``, ``row["label"]``), ``.askAnswer`` and
``.graph`` work as before (rdflib terms are built when first read), and ``.serialize()`` writes the answer
with the renderer ``genai-kg query --format`` uses. pandas is optional (``pip install 'genai-kg[notebook]'``)
and imported only by :meth:`QueryResult.to_dataframe`.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import os
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, BinaryIO

from rdflib import BNode, Literal, URIRef, Variable

from ..answer_form import Answer, to_rdflib, to_rdflib_result
from ..errors import MissingDependency
from ..fileio import write_bytes_atomic
from . import render
from .rdf_syntax import to_graph
from .shown import cell_text, graph_rows
from .table import text_table

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph
    from rdflib.query import Result

__all__ = ["QueryResult", "HTML_ROWS", "TEXT_ROWS"]

#: Rows a notebook shows before it says how many more there are (``to_dataframe()`` has them all).
HTML_ROWS = 50
#: Rows ``repr()`` shows in a plain REPL (``print(result)`` shows them all).
TEXT_ROWS = 20
_NOTEBOOK_EXTRA = "pip install 'genai-kg[notebook]'"


class _Binding(dict):
    """A row of ``.bindings``: keyed by rdflib ``Variable`` as rdflib's are, and by the plain name too."""

    def __getitem__(self, key):
        return super().__getitem__(Variable(key) if type(key) is str else key)

    def get(self, key, default=None):
        return super().get(Variable(key) if type(key) is str else key, default)

    def __contains__(self, key) -> bool:
        return super().__contains__(Variable(key) if type(key) is str else key)


class QueryResult:
    """A query's answer: SELECT rows, an ASK answer, or the graph a CONSTRUCT/DESCRIBE built.

    Parameters
    ----------
    answer : genai_kg.answer_form.Answer
        The evaluated answer, as every engine gives it.
    data : rdflib.Graph, optional
        The graph queried: its prefixes write IRIs as CURIEs, its labels name the terms of a CONSTRUCT.
    """

    def __init__(self, answer: Answer, data: Graph | None = None) -> None:
        self.answer = answer
        self._data = data
        self._nsm = data.namespace_manager if data is not None else None

    # -- what rdflib's Result offers --------------------------------------------------------------------
    @property
    def type(self) -> str:
        """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``."""
        return self.answer.form

    @property
    def vars(self) -> list[str]:
        """The column names, as strings (the SELECT's variables; subject/predicate/object for a graph)."""
        return list(self.answer.variables)

    @functools.cached_property
    def _terms(self) -> list[list[Any]]:
        """The rows (or a graph's triples, in its rows' order) as rdflib terms, None where unbound."""
        rows = graph_rows(self.answer, self._data)[0] if self.is_graph else self.answer.rows()
        cache: dict[str, Any] = {}

        def term(cell: str):
            if cell not in cache:
                cache[cell] = to_rdflib(cell)
            return cache[cell]

        return [[term(c) for c in row] for row in rows]

    @property
    def bindings(self) -> list[dict]:
        """The rows as dicts keyed by variable (a plain name works too); unbound variables are absent."""
        names = [Variable(n) for n in self.answer.variables] if self.type == "SELECT" else []
        return [_Binding({v: t for v, t in zip(names, row, strict=True) if t is not None}) for row in self._terms]

    @property
    def askAnswer(self) -> bool | None:  # noqa: N802 - rdflib's name, kept for existing callers
        return self.answer.boolean if self.answer.kind == "ask" else None

    @functools.cached_property
    def graph(self) -> Graph | None:
        """The rdflib Graph a CONSTRUCT or DESCRIBE built (None for SELECT and ASK)."""
        return to_graph(self.answer, self._nsm) if self.is_graph else None

    @functools.cached_property
    def rdflib_result(self) -> Result:
        """The answer as an rdflib ``Result``, for code written against rdflib."""
        return to_rdflib_result(self.answer)

    @property
    def is_graph(self) -> bool:
        return self.answer.kind == "graph"

    def serialize(
        self, destination: str | os.PathLike[str] | BinaryIO | None = None, encoding: str | None = "utf-8",
        format: str = "xml", *, raw_cells: bool = False,
    ) -> bytes | str | None:
        """The answer written in ``format``, as ``genai-kg query --format`` writes it.

        SELECT and ASK: ``table``, ``csv``, ``tsv``, ``json``, ``xml``, ``md`` (the middle four the W3C
        SPARQL 1.1 results formats). CONSTRUCT and DESCRIBE: the RDF syntaxes ``ttl``, ``nt``, ``xml`` and
        ``json-ld`` (other names of them too, such as ``turtle``; ``json`` is JSON-LD, its context inline),
        or ``table``, ``csv``, ``tsv``, ``md`` rows of subject, predicate and object. CSV cells that a
        spreadsheet would run are defused unless ``raw_cells``.

        As rdflib's ``Result.serialize``: bytes in ``encoding`` (text with ``encoding=None``); given a
        ``destination`` (a path, written atomically, or a binary file object) it writes there, returns None.

        Raises
        ------
        UnsupportedFormat
            For an RDF syntax asked of rows or of an ASK answer, or a name no writer knows (``argument``
            is ``"format"``).

        Examples
        --------
        >>> from rdflib import Graph
        >>> from genai_kg.answer_form import from_result
        >>> g = Graph().parse(data='<http://e/a> <http://e/p> "x" .', format="turtle")
        >>> answer = QueryResult(from_result(g.query("CONSTRUCT WHERE { ?s ?p ?o }")), g)
        >>> print(answer.serialize(format="nt", encoding=None), end="")
        <http://e/a> <http://e/p> "x" .
        >>> answer.serialize(format="csv")
        b'subject,predicate,object\\r\\nhttp://e/a,http://e/p,x\\r\\n'
        """
        text = render(self.answer, format, prefixes=self._nsm, labels=self._data, raw_cells=raw_cells)
        if destination is None:
            return text if encoding is None else text.encode(encoding)
        data = text.encode(encoding or "utf-8")
        if hasattr(destination, "write"):
            destination.write(data)
        else:
            write_bytes_atomic(destination, data)
        return None

    def __iter__(self) -> Iterator[Any]:
        if self.answer.kind == "ask":
            return iter((bool(self.answer.boolean),))
        if self.is_graph:
            return iter(tuple(row) for row in self._terms)
        return iter(self.rdflib_result)

    def __len__(self) -> int:
        return 1 if self.answer.kind == "ask" else self.answer.count

    def __bool__(self) -> bool:
        """An ASK's answer; for rows and graphs, whether there is any."""
        if self.answer.kind == "ask":
            return bool(self.answer.boolean)
        return self.answer.count > 0

    # -- as text and HTML -------------------------------------------------------------------------------
    def _cells(self, limit: int | None = None) -> tuple[list[list[Any]], list[list[str]]]:
        """The cells as rdflib terms (None where unbound), and the first ``limit`` rows as a person reads them:
        rows of a SELECT (IRIs as CURIEs), or a graph's triples sorted by what they show (IRIs by labels)."""
        if self.is_graph:
            return self._terms, graph_rows(self.answer, self._data)[1][:limit]
        rows = list(self.answer.rows())[:limit]
        return self._terms, [[cell_text(c, self._nsm) for c in row] for row in rows]

    def _answer(self) -> str:
        return "true" if self.answer.boolean else "false"

    def to_text(self, limit: int | None = None) -> str:
        """A plain-text table (the first ``limit`` rows, and how many there are), or ``true``/``false``."""
        if self.answer.kind == "ask":
            return self._answer() + "\n"
        _terms, shown = self._cells(limit)
        return text_table(self.vars, shown, total=len(self), unit="triple" if self.is_graph else "row")

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return self.to_text(TEXT_ROWS).rstrip("\n")

    def _repr_html_(self) -> str:
        """An HTML table for Jupyter: every value escaped, IRIs in full on hover, long answers cut with a note."""
        if self.answer.kind == "ask":
            return f"<p>ASK: <strong>{self._answer()}</strong></p>"
        terms, shown = self._cells(HTML_ROWS)

        def cell(term, text: str) -> str:
            text = html.escape(text)
            if isinstance(term, URIRef):
                return f'<td title="{html.escape(str(term), quote=True)}">{text}</td>'
            return f"<td>{text}</td>"

        head = "".join(f"<th>{html.escape(n)}</th>" for n in self.vars)
        body = "".join(
            "<tr>" + "".join(cell(t, text) for t, text in zip(row, texts, strict=True)) + "</tr>"
            for row, texts in zip(terms[:HTML_ROWS], shown, strict=True)
        )
        unit = "triple" if self.is_graph else "row"
        count = f"{len(terms):,} {unit}{'s' if len(terms) != 1 else ''}"
        if len(terms) > HTML_ROWS:
            count = f"showing {HTML_ROWS} of {count}; to_dataframe() or iterating gives them all"
        return (
            f'<table class="genai-kg-result"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
            f"<p><small>{count}</small></p>"
        )

    # -- as pandas ----------------------------------------------------------------------------------------
    def to_dataframe(self) -> Any:
        """The answer as a pandas DataFrame: a column per variable, IRIs as strings, typed literals typed.

        Integers become integer columns (``Int64`` where some rows are unbound), decimals and doubles
        floats, booleans ``boolean``, dates and date-times ``datetime64``; everything else text. A graph
        gives subject/predicate/object columns; an ASK one ``answer`` column.

        Raises
        ------
        MissingDependency
            When pandas is not installed (``pip install 'genai-kg[notebook]'``).
        """
        try:
            import pandas as pd
        except ImportError:
            raise MissingDependency(f"to_dataframe() needs pandas: {_NOTEBOOK_EXTRA}") from None
        if self.answer.kind == "ask":
            return pd.DataFrame({"answer": pd.array([bool(self.answer.boolean)], dtype="boolean")})
        terms = self._terms
        columns = {name: _column(pd, [_python(row[i]) for row in terms]) for i, name in enumerate(self.vars)}
        return pd.DataFrame(columns, columns=self.vars)


def _python(term) -> Any:
    """A term as the Python value a DataFrame holds: str for IRIs and text, numbers, bools and dates typed."""
    if term is None:
        return None
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, Decimal):
            return float(value)
        if isinstance(value, (bool, int, float, dt.date)):  # dt.datetime is a dt.date
            return value
    return str(term)


def _column(pd, values: list[Any]):
    """A pandas array for one column, typed when every bound value has the same kind."""
    present = [v for v in values if v is not None]
    kinds = {type(v) for v in present}
    if kinds == {bool}:
        return pd.array(values, dtype="boolean")
    if kinds == {int}:
        return pd.array(values, dtype="Int64" if len(present) < len(values) else "int64")
    if kinds and kinds <= {int, float}:
        return pd.array([float("nan") if v is None else float(v) for v in values], dtype="float64")
    if kinds and all(issubclass(k, dt.date) for k in kinds):
        try:
            return pd.to_datetime(pd.Series(values, dtype=object)).array
        except (ValueError, TypeError):  # mixed time zones: keep the values as they are
            pass
    if kinds <= {str}:
        return pd.array(values, dtype=object)
    return pd.array([None if v is None else str(v) for v in values], dtype=object)
