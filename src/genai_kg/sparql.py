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

import functools
import re
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from . import lexical
from .errors import ParameterError, QueryError

__all__ = [
    "Token",
    "tokenize",
    "keywords",
    "query_form",
    "update_keyword",
    "fetching_keyword",
    "lexical_error",
    "position",
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

# Every pattern below is built from the grammar's character classes (:mod:`genai_kg.lexical`). Each string
# alternative ends in an optional quote, so an unterminated string matches to the end of its line (or of the
# text) at once instead of backtracking; a run of name characters with no colon is taken whole (``run``) and
# split afterwards, so a failed prefixed name is never re-scanned from each of its characters: the scan is
# linear in the text's length.
_LEXER = re.compile(
    rf"""(?P<ws>[\x20\t\r\n]+)
    |(?P<comment>\#[^\r\n]*)
    |(?P<string>\"\"\"(?:[^"\\]+|\\.|"(?!""))*(?:\"\"\")?
        |'''(?:[^'\\]+|\\.|'(?!''))*(?:''')?
        |"(?:[^"\\\r\n]+|\\.)*"?
        |'(?:[^'\\\r\n]+|\\.)*'?)
    |(?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{{4}}|\\U[0-9A-Fa-f]{{8}})*>)
    |(?P<var>[?$]{lexical.VARNAME})
    |(?P<bnode>{lexical.BLANK_NODE_LABEL})
    |(?P<pname>{lexical.PNAME})
    |(?P<run>{lexical.PN_PREFIX})
    |(?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
    |(?P<langtag>{lexical.LANGTAG})
    |(?P<open>\{{)|(?P<close>\}})
    |(?P<punct>[()\[\];,.*=!<>&|+\-/^?])
    |(?P<bad>.)""",
    re.VERBOSE | re.DOTALL,
)
#: A run of name characters without a colon is only SPARQL as keywords (ASCII) and dots between them.
_RUN_PARTS = re.compile(r"(?P<word>[A-Za-z][A-Za-z0-9_]*)|(?P<number>[0-9]+)|(?P<punct>[.\-])|(?P<bad>.)", re.DOTALL)
#: Oxigraph matches a keyword as a prefix, with no word boundary after it (``trueSERVICE:x``,
#: ``SERVICEex:y``, ``ASKFROM:g`` are read as two tokens): a word or prefixed name whose first letters and
#: dots run into a fetching keyword is counted as that keyword.
_GLUED = re.compile(r"[A-Za-z.]*?(SERVICE|FROM|LOAD)", re.IGNORECASE | re.ASCII)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_IRI_OK = re.compile(r'^[^<>"{}|^`\\\x00-\x20]*$')
_VARIABLE = re.compile(rf"^{lexical.VARNAME}$")
_LANGUAGE = re.compile(r"^[A-Za-z]+(?:-[A-Za-z0-9]+)*$")


class Token(NamedTuple):
    #: comment, string, iri, var, bnode, pname, word, number, langtag, open, close, punct, or bad: a
    #: character SPARQL's grammar does not allow outside strings, IRIs and comments
    kind: str
    text: str
    start: int
    end: int


#: Texts up to this long keep their tokens for the next reader: one query is read by several checks in a row
#: (its form, update words, prefixes, fetching words, bad characters), each a full pass otherwise.
_KEPT_TEXT = 64 * 1024


def tokenize(text: str) -> Iterator[Token]:
    """The tokens of ``text``, white space left out; linear in its length."""
    return iter(_kept_tokens(text)) if len(text) <= _KEPT_TEXT else _scan(text)


@functools.lru_cache(maxsize=8)
def _kept_tokens(text: str) -> tuple[Token, ...]:
    return tuple(_scan(text))


def _scan(text: str) -> Iterator[Token]:
    for match in _LEXER.finditer(text):
        kind = match.lastgroup
        if kind == "ws":
            continue
        if kind != "run":
            yield Token(kind or "bad", match.group(), match.start(), match.end())
            continue
        at = match.start()
        for part in _RUN_PARTS.finditer(match.group()):
            yield Token(part.lastgroup or "bad", part.group(), at + part.start(), at + part.end())


def position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def lexical_error(text: str) -> str | None:
    """``line L, column C: ...`` for the first character SPARQL's grammar does not allow outside strings,
    IRIs and comments (a no-break space, a bidi mark, a stray backslash), else None.

    >>> lexical_error("SELECT * WHERE {\\n ?s ?p ?o\\u00a0}")
    'line 2, column 10: U+00A0 is not allowed in SPARQL outside strings, IRIs and comments'
    """
    for token in tokenize(text):
        if token.kind == "bad":
            line, column = position(text, token.start)
            return f"line {line}, column {column}: U+{ord(token.text):04X} is not allowed in SPARQL outside strings," \
                " IRIs and comments"
    return None


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


def _fetching_words(text: str) -> set[str]:
    """The fetching keywords among ``text``'s words and prefixed names, read as Oxigraph reads them."""
    found = set()
    for token in tokenize(text):
        if token.kind in ("word", "pname"):
            glued = _GLUED.match(token.text)
            if glued:
                found.add(glued[1].upper())
    return found


def fetching_keyword(text: str) -> str | None:
    """The first of SERVICE, FROM, LOAD that ``text`` uses as a keyword, before or after its codepoint
    escapes are expanded; None if it uses none.

    A word or prefixed name that starts with one (after letters and dots only: ``SERVICEex:y``,
    ``trueSERVICE:x``, ``FROMNAMED``) counts, because Oxigraph reads a keyword with no boundary after it.
    """
    words = _fetching_words(text)
    if "\\" in text:
        words |= _fetching_words(expand_codepoint_escapes(text))
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


def term_n3(term: Any) -> str:
    """A term as SPARQL text, built from the term and checked, never from a user's string as typed.

    IRIs are checked against ``IRIREF``; a literal's every quote, backslash and control character is
    escaped (:func:`genai_kg.lexical.escape_string`, the N-Triples writer's too: the grammars' escapes are the
    same; here every control is escaped, and ``'`` never, as rdflib's parser refuses the legal ``\'``); a
    language tag must be one. A plain ``str`` is a string literal. Raises ParameterError for a
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
        escaped = lexical.escape_string(str(term), controls=True)
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
