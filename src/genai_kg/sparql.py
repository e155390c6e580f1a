"""The one SPARQL lexer: query form, keyword scan, declared prefixes, and binding values into text.

It follows the SPARQL 1.1 grammar's terminals closely enough to tell code from data: a comment runs from
``#`` to the end of the line (``\\r`` or ``\\n``), strings and their escapes are read as the grammar's four
string terminals, IRIs as ``IRIREF``, variables and prefixed names with Unicode letters. Everything that
asks "what does this query *do*" (the guard's refusals, the form that picks an output format, where a
``VALUES`` block goes) asks this module, so no two places disagree about where a string ends.

>>> query_form("PREFIX : <urn:x#> # SELECT in a comment\\nASK { ?s ?p 'SELECT' }")
'ASK'
>>> keywords("SELECT ?réservice WHERE { ?s <urn:SERVICE> 'FROM' }")
['SELECT', 'WHERE']
>>> bind_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": 'say "hi" }'})
'SELECT ?s WHERE { VALUES (?o) { ("say \\\\"hi\\\\" }") } ?s ?p ?o }'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from .errors import ParameterError, QueryError

__all__ = [
    "Token",
    "tokenize",
    "keywords",
    "query_form",
    "update_keyword",
    "fetching_keyword",
    "expand_codepoint_escapes",
    "declared_prefixes",
    "term_n3",
    "bind_values",
    "QUERY_FORMS",
    "UPDATE_WORDS",
    "FETCHING",
]

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
#: Words that only SPARQL Update uses at the top level.
UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})
#: Keywords that make a query fetch or read beyond the loaded graph, with what they would do.
FETCHING = {
    "SERVICE": "SERVICE would reach the network",
    "FROM": "FROM / FROM NAMED would read other graphs or files",
    "LOAD": "LOAD would fetch a document",
}

_NAME_CHAR = r"[\w\u00b7\u0300-\u036f\u203f\u2040-]"
_LOCAL_CHAR = r"(?:[\w\u00b7\u0300-\u036f\u203f\u2040:-]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
# Each string alternative ends in an optional quote, so an unterminated string matches to the end of its
# line (or of the text) at once instead of backtracking: the scan is linear in the text's length.
_LEXER = re.compile(
    rf"""(?P<ws>\s+)
    |(?P<comment>\#[^\r\n]*)
    |(?P<string>\"\"\"(?:[^"\\]+|\\.|"(?!""))*(?:\"\"\")?
        |'''(?:[^'\\]+|\\.|'(?!''))*(?:''')?
        |"(?:[^"\\\r\n]+|\\.)*"?
        |'(?:[^'\\\r\n]+|\\.)*'?)
    |(?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
    |(?P<var>[?$]{_NAME_CHAR}+)
    |(?P<pname>(?:[^\W\d_](?:[\w.\u00b7-]*[\w\u00b7-])?)?:(?:{_LOCAL_CHAR}(?:(?:{_LOCAL_CHAR}|\.)*{_LOCAL_CHAR})?)?)
    |(?P<word>[^\W\d]\w*)
    |(?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
    |(?P<open>\{{)|(?P<close>\}})
    |(?P<punct>.)""",
    re.VERBOSE | re.DOTALL,
)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_IRI_OK = re.compile(r'^[^<>"{}|^`\\\x00-\x20]*$')
_VARIABLE = re.compile(r"^[^\W\d]\w*$|^_\w*$|^\d\w*$")
_LANGUAGE = re.compile(r"^[A-Za-z]+(?:-[A-Za-z0-9]+)*$")


class Token(NamedTuple):
    kind: str  #: comment, string, iri, var, pname, word, number, open, close or punct
    text: str
    start: int
    end: int


def tokenize(text: str) -> Iterator[Token]:
    """The tokens of ``text``, white space left out; linear in its length."""
    for match in _LEXER.finditer(text):
        kind = match.lastgroup
        if kind != "ws":
            yield Token(kind, match.group(), match.start(), match.end())


def expand_codepoint_escapes(text: str) -> str:
    """``\\uXXXX`` and ``\\UXXXXXXXX`` replaced by their characters, as the SPARQL grammar reads a query
    before parsing it (rdflib does; a guard must see what any engine might see)."""

    def char(match: re.Match) -> str:
        code = int(match[1] or match[2], 16)
        return chr(code) if code < 0x110000 and not 0xD800 <= code <= 0xDFFF else ""

    return _CODEPOINT.sub(char, text)


def keywords(text: str) -> list[str]:
    """Upper-cased keywords: bare words outside comments, strings, IRIs, variables and prefixed names."""
    return [t.text.upper() for t in tokenize(text) if t.kind == "word"]


def _after_prologue(text: str) -> list[str]:
    words = keywords(text)
    return [w for w in words if w not in ("BASE", "PREFIX")]


def query_form(text: str) -> str | None:
    """SELECT, CONSTRUCT, DESCRIBE or ASK: the first query-form keyword; None if there is none."""
    for word in keywords(text):
        if word in QUERY_FORMS:
            return word
    return None


def update_keyword(text: str) -> str | None:
    """The SPARQL Update operation ``text`` starts with (INSERT, DELETE, LOAD, ...), else None."""
    words = _after_prologue(text)
    return words[0] if words and words[0] in UPDATE_WORDS else None


def fetching_keyword(text: str) -> str | None:
    """The first of SERVICE, FROM, LOAD that ``text`` uses as a keyword, before or after its codepoint
    escapes are expanded; None if it uses none."""
    words = set(keywords(text))
    if "\\" in text:
        words.update(keywords(expand_codepoint_escapes(text)))
    for word in FETCHING:
        if word in words:
            return word
    return None


def declared_prefixes(text: str) -> set[str]:
    """The prefixes ``text`` declares with ``PREFIX p: <...>`` (``""`` for the empty prefix)."""
    found: set[str] = set()
    tokens = list(tokenize(text))
    for i, token in enumerate(tokens[:-1]):
        if token.kind == "word" and token.text.upper() == "PREFIX" and tokens[i + 1].kind == "pname":
            name = tokens[i + 1].text
            if name.endswith(":") and name.count(":") == 1:
                found.add(name[:-1])
    return found


def _escape_string(text: str) -> str:
    """The body of a double-quoted SPARQL string: ``"`` and ``\\`` escaped, line breaks and other controls
    spelled as escapes. A ``'`` needs none there (and rdflib's parser refuses the legal ``\\'``)."""
    out = []
    for ch in text:
        if ch in "\\\"":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 or ch in "\u2028\u2029":
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


def term_n3(term: Any) -> str:
    """A term as SPARQL text, built from the term and checked, never from a user's string as typed.

    IRIs are checked against ``IRIREF``; a literal's every quote, backslash and control character is
    escaped; a language tag must be one. A plain ``str`` is a string literal. Raises ParameterError for a
    blank node (a VALUES block cannot name an existing one) or anything else that cannot be bound.
    """
    from rdflib import Literal, URIRef

    from .vocab import XSD_STRING  # with rdflib: `genai-kg queries` imports this module without either

    if type(term) is str:
        term = Literal(term)
    if isinstance(term, URIRef):
        if not _IRI_OK.match(str(term)):
            raise ParameterError(f"cannot bind {str(term)!r}: not a valid IRI")
        return f"<{term}>"
    if isinstance(term, Literal):
        escaped = _escape_string(str(term))
        if term.language:
            if not _LANGUAGE.match(term.language):
                raise ParameterError(f"cannot bind a literal with language tag {term.language!r}")
            return f'"{escaped}"@{term.language}'
        if term.datatype and str(term.datatype) != XSD_STRING:
            return f'"{escaped}"^^{term_n3(URIRef(term.datatype))}'
        return f'"{escaped}"'
    raise ParameterError(f"cannot bind {term!r}: only IRIs and literals can be bound")


def _where_group(text: str) -> int:
    """The offset just after the ``{`` that opens the query's WHERE group."""
    depth, opens, form, short_construct = 0, [], None, None
    for token in tokenize(text):
        kind = token.kind
        if form == "CONSTRUCT" and short_construct is None and kind in ("open", "word"):
            short_construct = kind == "word" and token.text.upper() == "WHERE"
        if kind == "open":
            if depth == 0:
                opens.append(token.end)
            depth += 1
        elif kind == "close":
            depth -= 1
        elif kind == "word" and depth == 0 and form is None and token.text.upper() in QUERY_FORMS:
            form = token.text.upper()
    if form is None or not opens:
        raise QueryError("cannot find the query's WHERE clause to bind parameters in")
    if form == "CONSTRUCT":
        if short_construct:  # CONSTRUCT WHERE { ... } holds triple patterns only: no VALUES there
            raise QueryError(
                "parameters cannot be bound in the short form CONSTRUCT WHERE { ... }; spell out the template"
            )
        if len(opens) < 2:
            raise QueryError("cannot find the CONSTRUCT query's WHERE clause")
        return opens[1]
    return opens[0]


def bind_values(text: str, bindings: Mapping[Any, Any]) -> str:
    """Return ``text`` with ``VALUES (?a ?b) { (t1 t2) }`` at the start of its WHERE group.

    The values are written by :func:`term_n3`; variable names must be SPARQL names. Joined at the start of
    the top-level group, the block restricts the whole pattern before grouping and aggregation, as rdflib's
    ``initBindings`` do. The result is text to check again (the guard checks what is evaluated).
    """
    if not bindings:
        return text
    names, values = [], []
    for key, term in bindings.items():
        name = str(key).lstrip("?$")
        if not _VARIABLE.match(name):
            raise ParameterError(f"cannot bind {str(key)!r}: not a SPARQL variable name")
        names.append(f"?{name}")
        values.append(term_n3(term))
    at = _where_group(text)
    block = f" VALUES ({' '.join(names)}) {{ ({' '.join(values)}) }}"
    return text[:at] + block + text[at:]
