"""Answers in a compact form: SPARQL 1.1 TSV rows of terms in N-Triples syntax, and their rdflib terms.

The sandbox hands every answer back in this form, whatever the engine: one text line per row, its terms
in N-Triples (Turtle) syntax separated by tabs, an empty cell for an unbound variable. It is what Oxigraph
writes natively (:meth:`pyoxigraph.QuerySolutions.serialize` to TSV), so rows flow from the engine to a
writer as text; rdflib terms are built only when a caller asks for them (:func:`to_result`).

>>> encode_term(None), parse_term('"a\\\\tb"@en'), parse_term("42")
('', ('literal', 'a\\tb', 'en', None), ('literal', '42', None, 'http://www.w3.org/2001/XMLSchema#integer'))
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .vocab import XSD, XSD_STRING

if TYPE_CHECKING:  # pragma: no cover
    from rdflib.query import Result

__all__ = [
    "Answer", "Stream", "stream_result", "encode_term", "encode_rows", "parse_term", "unescape", "to_rdflib",
    "to_result", "XSD_STRING",
]

_XSD = str(XSD)
_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_NEEDS_ESCAPE = re.compile(r'[\\"\n\r\t]')
_BARE_NUMBER = re.compile(r"^[+-]?(?:(\d+)|(\d*\.\d+)|((?:\d+\.?\d*|\.\d+)[eE][+-]?\d+))$")


@dataclass
class Answer:
    """An evaluated answer: ``kind`` (SELECT, ASK, CONSTRUCT), variable ``names`` and TSV ``chunks``.

    A CONSTRUCT or DESCRIBE answer has the names ``subject``, ``predicate``, ``object``; an ASK answer only
    ``boolean``. ``chunks`` hold whole lines (each ending in a newline); :meth:`lines` yields them one by one.
    """

    kind: str
    names: list[str] = field(default_factory=list)
    chunks: list[str] = field(default_factory=list)
    count: int = 0  #: rows in ``chunks``
    boolean: bool | None = None

    def lines(self) -> Iterator[str]:
        """Each row as its TSV line, without the newline."""
        for chunk in self.chunks:
            lines = chunk.split("\n")
            lines.pop()  # the empty string after the last newline
            yield from lines

    def rows(self) -> Iterator[tuple[str, ...]]:
        """Each row as a tuple of N-Triples term strings (``""`` where unbound)."""
        width = len(self.names)
        for line in self.lines():
            yield tuple(line.split("\t")) if width else ()


@dataclass
class Stream:
    """An answer as an engine produces it: ``pump(write)`` writes the rows' TSV lines (no header) as bytes.

    ``write`` returns the number of bytes taken (a file's ``write``); it raises to stop the engine, which is
    how the sandbox's row cap ends an evaluation early. An ASK answer has ``boolean`` and no pump.
    """

    kind: str
    names: list[str]
    boolean: bool | None = None
    pump: Callable[[Callable[[bytes], int]], None] | None = None


def stream_result(result) -> Stream:
    """An rdflib ``Result`` (or anything with its ``type``, ``vars``, ``graph``, ``askAnswer``) as a Stream."""
    if result.type == "ASK":
        return Stream("ASK", [], boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        rows: Any = result.graph
        names = ["subject", "predicate", "object"]
    else:
        variables = list(result.vars or [])
        names = [str(v) for v in variables]
        rows = result  # ResultRows, in the order of ``vars`` (rdflib leaves out rows with nothing bound)

    def pump(write: Callable[[bytes], int]) -> None:
        lines: list[str] = []
        for row in rows:
            lines.append("\t".join(map(encode_term, row)))
            if len(lines) >= 1024:
                write(("\n".join(lines) + "\n").encode("utf-8"))
                lines.clear()
        if lines:
            write(("\n".join(lines) + "\n").encode("utf-8"))

    return Stream(result.type, names, pump=pump)


def encode_term(term: Any) -> str:
    """An rdflib term in N-Triples syntax, as Oxigraph writes it (``""`` for None); never spans lines."""
    if term is None:
        return ""
    kind = type(term).__name__
    if kind == "URIRef":
        return f"<{term}>"
    if kind == "BNode":
        return f"_:{term}"
    text = str(term)
    if _NEEDS_ESCAPE.search(text):
        text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        text = text.replace("\t", "\\t")
    if term.language:
        return f'"{text}"@{term.language}'
    if term.datatype is not None and str(term.datatype) != XSD_STRING:
        return f'"{text}"^^<{term.datatype}>'
    return f'"{text}"'


def unescape(text: str) -> str:
    """A literal's lexical form from its N-Triples escapes (``\\t``, ``\\"``, ``\\u00e9`` ...)."""
    if "\\" not in text:
        return text

    def char(match: re.Match) -> str:
        if match[3] is not None:
            return _ESCAPES.get(match[3], match[3])
        return chr(int(match[1] or match[2], 16))

    return _ESCAPE.sub(char, text)


def parse_term(text: str) -> tuple[str, str, str | None, str | None] | None:
    """``(kind, value, language, datatype)`` of a term in N-Triples or Turtle's bare number and boolean
    syntax; kind is ``uri``, ``bnode`` or ``literal``; None for an empty cell (unbound)."""
    if not text:
        return None
    first = text[0]
    if first == "<":
        return ("uri", text[1:-1], None, None)
    if first == "_":
        return ("bnode", text[2:], None, None)
    if first == '"':
        end = text.rfind('"')
        value = unescape(text[1:end])
        rest = text[end + 1 :]
        if rest.startswith("@"):
            return ("literal", value, rest[1:], None)
        if rest.startswith("^^<"):
            datatype = rest[3:-1]
            return ("literal", value, None, None if datatype == XSD_STRING else datatype)
        return ("literal", value, None, None)
    if text in ("true", "false"):
        return ("literal", text, None, _XSD + "boolean")
    match = _BARE_NUMBER.match(text)
    if match is None:
        raise ValueError(f"not an RDF term in N-Triples syntax: {text[:80]!r}")
    kind = "integer" if match[1] else "decimal" if match[2] else "double"
    return ("literal", text, None, _XSD + kind)


def to_rdflib(text: str) -> Any:  # an rdflib term; None when unbound
    """The rdflib term for a cell (None when unbound); a plain literal has no datatype, as rdflib reads it."""
    parts = parse_term(text)
    if parts is None:
        return None
    from rdflib import BNode, Literal, URIRef

    kind, value, language, datatype = parts
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    return Literal(value, lang=language, datatype=URIRef(datatype) if datatype else None)


def to_result(answer: Answer) -> Result:
    """An rdflib ``Result`` over ``answer`` whose rows become rdflib terms only when read.

    The answer stays on the result as ``result.answer``, so writers can take the compact rows directly. A
    caller that replaces the rows (``result.bindings = ...``, as sorting list cells does) replaces
    ``result.answer`` with those rows encoded, so writers write the rows it set.
    """
    from rdflib import Graph, Variable

    kind = answer.kind
    result = _compact_result_class()(kind)
    if kind == "ASK":
        result.askAnswer = answer.boolean
    elif kind == "SELECT":
        names = [Variable(n) for n in answer.names]
        result.vars = names

        def bindings():
            for row in answer.rows():
                yield {v: to_rdflib(cell) for v, cell in zip(names, row, strict=True) if cell}

        result.bindings = bindings()
    else:
        graph = Graph()
        graph.addN((to_rdflib(s), to_rdflib(p), to_rdflib(o), graph) for s, p, o in answer.rows())
        result.graph = graph
    result.answer = answer
    return result


def encode_rows(names: list[str], bindings) -> Answer:
    """A SELECT answer in compact form from rdflib bindings (dicts keyed by ``Variable``)."""
    from rdflib import Variable

    keys = [Variable(n) for n in names]
    lines = ["\t".join(encode_term(b.get(k)) for k in keys) + "\n" for b in bindings]
    return Answer("SELECT", list(names), ["".join(lines)] if lines else [], len(lines))


@functools.cache
def _compact_result_class():
    from rdflib.query import Result

    class CompactResult(Result):
        """rdflib's ``Result`` that keeps the compact rows as ``answer`` until its rows are replaced."""

        answer: Answer | None = None

        @property
        def bindings(self):
            return Result.bindings.fget(self)  # type: ignore[attr-defined]

        @bindings.setter
        def bindings(self, value):
            if not isinstance(value, Iterator):  # rdflib would append a pending generator's rows to a list
                self._genbindings = None
            Result.bindings.fset(self, value)  # type: ignore[attr-defined]
            if self.answer is not None:  # the rows changed (list cells sorted, say): the compact form follows
                self.answer = encode_rows(self.answer.names, Result.bindings.fget(self))  # type: ignore[attr-defined]

    return CompactResult
