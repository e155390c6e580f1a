"""The one form of an answer, whatever evaluated it: its kind, its variables, and rows of terms.

Every evaluation — rdflib's memory store, Oxigraph, a remote endpoint — hands its answer back as an
:class:`Answer`: ``kind`` is ``select``, ``ask`` or ``graph`` (CONSTRUCT and DESCRIBE), and each row is one
text line of terms in N-Triples syntax separated by tabs (an empty cell where a variable is unbound; a
graph's rows are its triples). That is what Oxigraph writes natively (SPARQL TSV), so rows flow from the
engine to a renderer as text; rdflib terms are built only when a caller asks for them (:func:`to_rdflib`).
:func:`ntriples` is the package's one writer of a term in N-Triples syntax.

>>> ntriples("literal", "a\\tb", "en"), parse_term('"a\\\\tb"@en'), parse_term("42")
('"a\\\\tb"@en', ('literal', 'a\\tb', 'en', None), ('literal', '42', None, 'http://www.w3.org/2001/XMLSchema#integer'))
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .lexical import VARNAME_RANGES, char_class, escape_string
from .vocab import XSD as _XSD_NS

if TYPE_CHECKING:  # pragma: no cover
    from rdflib.query import Result

__all__ = [
    "Answer", "Stream", "KINDS", "variable_name", "kind_of", "stream_result", "ntriples", "encode_term", "parse_term",
    "unescape", "to_rdflib", "to_rdflib_result", "from_bindings", "from_result", "batched_pump", "renamed_blank_nodes",
    "distinct_triples",
]

#: The three kinds of answer: rows (SELECT), a boolean (ASK), triples (CONSTRUCT and DESCRIBE).
KINDS = ("select", "ask", "graph")
XSD = str(_XSD_NS)
XSD_STRING = str(_XSD_NS.string)
TRIPLE_VARIABLES = ("subject", "predicate", "object")
_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_NOT_NAME = re.compile(char_class(VARNAME_RANGES, negate=True) + "+")  # SPARQL 1.1 [166] VARNAME
# ``\d+(?:\.\d*)?``, not ``\d+\.?\d*``: two adjacent digit runs make a failed match quadratic in the digits.
_BARE_NUMBER = re.compile(r"^[+-]?(?:(\d+)|(\d*\.\d+)|((?:\d+(?:\.\d*)?|\.\d+)[eE][+-]?\d+))$")


def variable_name(text: str) -> str:
    """``text`` as a SPARQL variable name: each run of characters a name cannot hold becomes ``_``.

    >>> variable_name("large language model"), variable_name("set_aside")
    ('large_language_model', 'set_aside')
    """
    return _NOT_NAME.sub("_", text).strip("_") or "value"


def kind_of(form: str) -> str:
    """The kind of answer a query form gives: ``SELECT`` -> ``select``, ``DESCRIBE`` -> ``graph``.

    >>> kind_of("CONSTRUCT"), kind_of("ask")
    ('graph', 'ask')
    """
    form = form.upper()
    return "graph" if form in ("CONSTRUCT", "DESCRIBE") else "ask" if form == "ASK" else "select"


@dataclass
class Answer:
    """An evaluated answer: ``kind`` (select, ask, graph), ``variables`` and the rows as TSV ``chunks``.

    A graph answer's variables are ``subject``, ``predicate``, ``object``; an ASK answer has none, only
    ``boolean``. ``chunks`` hold whole lines (each ending in a newline); :meth:`rows` yields them as tuples.
    ``form`` is the query form that asked (``DESCRIBE`` for a graph, say), for callers that show it.
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    chunks: list[str] = field(default_factory=list)
    count: int = 0  #: rows in ``chunks``
    boolean: bool | None = None
    form: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind not supported: {self.kind}")
        if not self.form:
            self.form = {"select": "SELECT", "ask": "ASK", "graph": "CONSTRUCT"}[self.kind]

    def lines(self) -> Iterator[str]:
        """Each row as its TSV line, without the newline."""
        for chunk in self.chunks:
            lines = chunk.split("\n")
            lines.pop()  # the empty string after the last newline
            yield from lines

    def rows(self) -> Iterator[tuple[str, ...]]:
        """Each row as a tuple of N-Triples term strings (``""`` where unbound)."""
        width = len(self.variables)
        for line in self.lines():
            yield tuple(line.split("\t")) if width else ()

    @classmethod
    def from_rows(cls, kind: str, variables: Iterable[str], rows: Iterable[Iterable[str]], **fields: Any) -> Answer:
        """An answer from rows of N-Triples term strings."""
        lines = ["\t".join(row) + "\n" for row in rows]
        return cls(kind, list(variables), ["".join(lines)] if lines else [], len(lines), **fields)

    @classmethod
    def from_values(cls, variables: Iterable[str], rows: Iterable[Iterable[Any]]) -> Answer:
        """A SELECT answer from rows of plain values, for a command's own table (counts, a catalogue).

        Each column is named by :func:`variable_name` (a SPARQL variable, as the results formats' ``head.vars``
        needs; a name taken twice gets its position appended); a string is a plain literal, an int an
        ``xsd:integer``, None unbound.

        >>> list(Answer.from_values(["kind", "n"], [["triples", 3], [None, 0]]).rows())
        [('"triples"', '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'), ('', '"0"^^<http://www.w3.org/2001/XMLSchema#integer>')]
        """

        def term(value: Any) -> str:
            if value is None:
                return ""
            if isinstance(value, bool):
                return ntriples("literal", str(value).lower(), None, XSD + "boolean")
            if isinstance(value, int):
                return ntriples("literal", str(value), None, XSD + "integer")
            return ntriples("literal", str(value))

        names: list[str] = []
        for text in variables:  # two columns whose names fold alike stay two variables
            name = variable_name(text)
            names.append(name if name not in names else f"{name}_{len(names) + 1}")
        return cls.from_rows("select", names, ([term(v) for v in row] for row in rows))


@dataclass
class Stream:
    """An answer as an engine produces it: ``pump(write)`` writes the rows' TSV lines (no header) as bytes.

    ``write`` returns the number of bytes taken (a file's ``write``); it raises to stop the engine, which is
    how the sandbox's row cap ends an evaluation early. An ASK answer has ``boolean`` and no pump.
    """

    kind: str
    variables: list[str]
    boolean: bool | None = None
    pump: Callable[[Callable[[bytes], int]], None] | None = None


def batched_pump(rows: Iterable[Iterable[str]]) -> Callable[[Callable[[bytes], int]], None]:
    """A pump that writes ``rows`` (tuples of N-Triples terms) 1,024 lines at a time."""

    def pump(write: Callable[[bytes], int]) -> None:
        lines: list[str] = []
        for row in rows:
            lines.append("\t".join(row))
            if len(lines) >= 1024:
                write(("\n".join(lines) + "\n").encode("utf-8"))
                lines.clear()
        if lines:
            write(("\n".join(lines) + "\n").encode("utf-8"))

    return pump


def stream_result(result: Any) -> Stream:  # an rdflib Result, or anything shaped like one
    """An rdflib ``Result`` (or anything with its ``type``, ``vars``, ``graph``, ``askAnswer``) as a Stream."""
    if result.type == "ASK":
        return Stream("ask", [], boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        triples: Any = result.graph
        return Stream("graph", list(TRIPLE_VARIABLES), pump=batched_pump(map(encode_term, t) for t in triples))
    names = [str(v) for v in result.vars or []]  # ResultRows come in the order of ``vars``
    return Stream("select", names, pump=batched_pump(map(encode_term, row) for row in result))


def ntriples(kind: str, value: str, language: str | None = None, datatype: str | None = None) -> str:
    """A term in N-Triples syntax from its parts (kind ``uri``, ``bnode`` or ``literal``); never spans lines."""
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    text = escape_string(value)  # the SPARQL writer's escapes too (lexical.escape_string)
    if language:
        return f'"{text}"@{language}'
    if datatype and datatype != XSD_STRING:
        return f'"{text}"^^<{datatype}>'
    return f'"{text}"'


def encode_term(term: Any) -> str:
    """An rdflib term in N-Triples syntax, as Oxigraph writes it (``""`` for None)."""
    if term is None:
        return ""
    kind = type(term).__name__
    if kind == "URIRef":
        return f"<{term}>"
    if kind == "BNode":
        return f"_:{term}"
    return ntriples("literal", str(term), term.language, str(term.datatype) if term.datatype is not None else None)


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
        return ("literal", text, None, XSD + "boolean")
    match = _BARE_NUMBER.match(text)
    if match is None:
        raise ValueError(f"not an RDF term in N-Triples syntax: {text[:80]!r}")
    kind = "integer" if match[1] else "decimal" if match[2] else "double"
    return ("literal", text, None, XSD + kind)


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


def from_bindings(variables: list[str], bindings: Iterable[Mapping[Any, Any]]) -> Answer:
    """A SELECT answer from rdflib bindings (dicts keyed by ``Variable``)."""
    from rdflib import Variable

    keys = [Variable(n) for n in variables]
    return Answer.from_rows("select", variables, ([encode_term(b.get(k)) for k in keys] for b in bindings))


def to_rdflib_result(answer: Answer) -> Result:
    """The answer as an rdflib ``Result`` (its terms built now), for code written against rdflib's API."""
    from rdflib import Graph, Variable
    from rdflib.query import Result

    result = Result("ASK" if answer.kind == "ask" else "SELECT" if answer.kind == "select" else "CONSTRUCT")
    if answer.kind == "ask":
        result.askAnswer = answer.boolean
    elif answer.kind == "graph":
        graph = Graph()
        graph.addN((to_rdflib(s), to_rdflib(p), to_rdflib(o), graph) for s, p, o in answer.rows())
        result.graph = graph
    else:
        names = [Variable(n) for n in answer.variables]
        result.vars = names
        result.bindings = [
            {v: to_rdflib(cell) for v, cell in zip(names, row, strict=True) if cell} for row in answer.rows()
        ]
    return result


def from_result(result: Result) -> Answer:
    """An rdflib ``Result`` as an Answer (in this process, unbounded: for results already in hand)."""
    stream = stream_result(result)
    chunks: list[str] = []
    if stream.pump is not None:
        def write(data: bytes) -> int:
            chunks.append(data.decode("utf-8"))
            return len(data)

        stream.pump(write)
    text = "".join(chunks)
    return Answer(stream.kind, stream.variables, [text] if text else [], text.count("\n"), stream.boolean,
                  form=result.type)


def renamed_blank_nodes(answer: Answer) -> Answer:
    """``answer`` with its blank nodes named ``b0``, ``b1``, ... in order of first appearance.

    A blank node's label belongs to the document it is written in (the W3C results formats say so), and
    each engine picks its own; named in order, the same answer writes the same bytes from any engine.

    >>> a = Answer.from_rows("select", ["x"], [["_:n93"], ["<urn:a>"], ["_:n93"], ["_:z"]])
    >>> list(renamed_blank_nodes(a).rows())
    [('_:b0',), ('<urn:a>',), ('_:b0',), ('_:b1',)]
    """
    if not any("_:" in chunk for chunk in answer.chunks):
        return answer
    names: dict[str, str] = {}

    def cell(text: str) -> str:
        return names.setdefault(text, f"_:b{len(names)}") if text.startswith("_:") else text

    rows = ([cell(c) for c in row] for row in answer.rows())
    return Answer.from_rows(answer.kind, answer.variables, rows, boolean=answer.boolean, form=answer.form)


def distinct_triples(answer: Answer) -> Answer:
    """A graph answer with each triple once (a graph is a set; an endpoint may send a triple twice)."""
    if answer.kind != "graph":
        return answer
    lines = list(dict.fromkeys(answer.lines()))
    if len(lines) == answer.count:
        return answer
    return Answer("graph", answer.variables, ["".join(line + "\n" for line in lines)] if lines else [], len(lines),
                  form=answer.form)
