"""What a query may do: refuse, before evaluation, a query that would fetch and any SPARQL Update.

Two independent checks for fetching (``SERVICE``, ``FROM`` / ``FROM NAMED``, ``LOAD``) on every store: the
package's lexer reads the text that is evaluated (:func:`check_query_text`, every store), and the engine's
own parser reads it too, so that one mistake in either does not open the network. Where rdflib evaluates
(the memory store, and endpoints, whose engine is unknown) that is rdflib's algebra (:func:`check_algebra`);
where Oxigraph evaluates it is Oxigraph's parser (:func:`check_oxigraph_parse`). ``allow_remote=True``
lifts them for users who want federation. Before an endpoint, rdflib's parse (pure Python, ~50 µs a
character) is needed only where its algebra could hold either: :func:`rdflib_may_fetch` says where.

>>> check_query_text("SELECT * WHERE { ?s ?p 'SERVICE' }")
>>> check_query_text("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", where="q.rq")
Traceback (most recent call last):
...
genai_kg.errors.UnsafeInput: q.rq: SERVICE would reach the network; refused (pass allow_remote=True to permit it)
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from .. import sparql
from ..errors import QueryError, UnsafeInput
from .audit import REMOTE_REMEDY

if TYPE_CHECKING:  # pragma: no cover
    from rdflib.plugins.sparql.sparql import Query

__all__ = ["check_query_text", "check_algebra", "check_oxigraph_parse", "refuse_update", "rdflib_may_fetch",
           "oxigraph_parses"]


def check_query_text(text: str, *, where: str = "query", allow_remote: bool = False) -> None:
    """Refuse ``text`` if it holds a character SPARQL's grammar does not allow outside strings, IRIs and
    comments, or uses SERVICE, FROM / FROM NAMED or LOAD as a keyword (escapes expanded too)."""
    word = None if allow_remote else sparql.fetching_keyword(text)
    if word is not None:
        raise UnsafeInput(f"{where}: {sparql.FETCHING[word]}; refused", remedy=REMOTE_REMEDY)
    bad = sparql.lexical_error(text)
    if bad is not None:
        raise QueryError(bad, path=where)


def _walk(node) -> Iterator:
    """Every algebra node below ``node`` (rdflib's CompValue trees, lists and dicts)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)


def check_algebra(prepared: Query, *, where: str = "query", allow_remote: bool = False) -> None:
    """Refuse a prepared rdflib query whose algebra holds a SERVICE pattern or a dataset clause (FROM)."""
    if allow_remote:
        return
    for node in _walk(prepared.algebra):
        name = getattr(node, "name", "")
        if name == "ServiceGraphPattern":
            raise UnsafeInput(
                f"{where}: SERVICE <{dict.get(node, 'term')}> would reach the network; refused", remedy=REMOTE_REMEDY
            )
        # CompValue.get returns the key itself when it is missing: read the plain dict.
        if name == "DatasetClause" or dict.get(node, "datasetClause"):
            raise UnsafeInput(f"{where}: {sparql.FETCHING['FROM']}; refused", remedy=REMOTE_REMEDY)


def rdflib_may_fetch(text: str) -> bool:
    """Whether rdflib's parser could read ``SERVICE`` or ``FROM`` as a keyword anywhere in ``text``; when
    not, its algebra holds no SERVICE pattern and no dataset clause, and :func:`check_algebra` would pass it.

    rdflib expands SPARQL's code point escapes first, then matches a keyword where the text's slice,
    upper-cased by ``str.upper()``, equals it (pyparsing's ``CaselessKeyword``, so ``ſervice`` is SERVICE).
    ``str.upper()`` maps each character on its own, so an upper-cased slice is part of the whole text
    upper-cased: a text whose expansion spells neither word, upper-cased or case-folded, holds neither
    keyword. Any doubt (an escape rdflib cannot expand) answers True.

    >>> rdflib_may_fetch("SELECT * WHERE { ?s ?p 'x' } LIMIT 5"), rdflib_may_fetch("SELECT * WHERE { ?s ?p ?from }")
    (False, True)
    """
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes

    try:
        read = expandUnicodeEscapes(text)
    except (ValueError, OverflowError):
        return True
    upper, folded = read.upper(), read.casefold()
    return any(word in upper or word.casefold() in folded for word in ("SERVICE", "FROM"))


def oxigraph_parses(text: str, prefixes: Mapping | None = None) -> bool:
    """Whether Oxigraph's parser accepts ``text`` (see :func:`_oxigraph_syntax_error`)."""
    return _oxigraph_syntax_error(text, {str(k): str(v) for k, v in (prefixes or {}).items()}) is None


def _oxigraph_syntax_error(text: str, prefixes: dict[str, str]) -> SyntaxError | None:
    """Oxigraph's syntax error in ``text``, or None where it parses. The text is put to an empty store, which
    parses it and evaluates lazily (an ASK is evaluated there, which is why callers run in the bounded child or
    worker); an evaluation error there is no syntax error."""
    import pyoxigraph as ox

    try:
        ox.Store().query(text, prefixes=prefixes)
    except SyntaxError as exc:
        return exc
    except Exception:  # noqa: BLE001 - parsed: an empty store's evaluation error is no syntax error
        return None
    return None


#: Every ASCII spelling of SERVICE and FROM, wherever it stands: Oxigraph reads keywords in ASCII case only,
#: and expands no ``\\u`` escape outside strings and IRIs (both measured).
_SPELLING = re.compile(r"SERVICE|FROM", re.IGNORECASE | re.ASCII)
_POSITION = re.compile(r"^error at (\d+):(\d+): ", re.DOTALL)


def _renamed(text: str) -> str:
    return _SPELLING.sub(lambda m: m[0] + "0", text)


def check_oxigraph_parse(
    text: str, prefixes: Mapping | None = None, *, where: str = "query", allow_remote: bool = False
) -> None:
    """The second check where Oxigraph evaluates, independent of our lexer: Oxigraph's own parser.

    pyoxigraph shows no algebra, so the question is put to its parser another way: every ASCII spelling of
    SERVICE and FROM in ``text`` (in names, strings, comments and IRIs alike) gets a ``0`` after it, which
    keeps a name, string, comment or IRI what it was but makes the keyword a syntax error (after SERVICE or
    FROM Oxigraph takes only white space, SILENT or NAMED, a variable, an IRI or a prefixed name, and none
    starts with a digit). If Oxigraph parses that text, it used neither as a keyword; if not, the query is
    not run, and Oxigraph's syntax error (placed back in ``text``) is raised as :class:`SyntaxError`, as
    the evaluation would raise it. The text is parsed on an empty store, lazily (an ASK is evaluated there,
    which is why this runs inside the bounded child). The one place a ``0`` does not fit is a language tag
    whose first subtag is spelled ``from…`` or ``service…`` (``"x"@from``): such a query is refused too.
    """
    if allow_remote or not _SPELLING.search(text):
        return
    renamed = {_renamed(str(k)): str(v) for k, v in (prefixes or {}).items()}
    error = _oxigraph_syntax_error(_renamed(text), renamed)
    if error is not None:
        raise _placed(error, text) from None


def _placed(exc: SyntaxError, text: str) -> SyntaxError:
    """Oxigraph's syntax error in the renamed text, with its line and column moved back into ``text``."""
    message = str(exc)
    match = _POSITION.match(message)
    if match is None:
        return SyntaxError(message)
    renamed = _renamed(text)
    line, column = int(match[1]), int(match[2])
    offset = sum(len(part) + 1 for part in renamed.split("\n")[: line - 1]) + column - 1
    shift = 0
    for count, spelled in enumerate(_SPELLING.finditer(text)):
        zero = spelled.end() + count  # where this match's ``0`` stands in the renamed text
        if offset < zero:
            break
        shift = count + (offset > zero)
    offset -= shift
    line, column = sparql.position(text, max(0, min(offset, len(text))))
    return SyntaxError(f"error at {line}:{column}: {message[match.end():]}")


def refuse_update(text: str, where: str) -> None:
    """SPARQL Update (INSERT, DELETE, LOAD, ...) is not a query: refuse it by name rather than as bad syntax."""
    word = sparql.update_keyword(text)
    if word is not None:
        raise UnsafeInput(f"{where}: SPARQL Update ({word}) is not run by genai-kg, which only reads; refused")
