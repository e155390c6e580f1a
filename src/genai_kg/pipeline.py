"""The one query pipeline, for local stores and endpoints alike: look up, bind, check what is evaluated,
and run within the guard's bounds.

On rdflib's own store the parameters travel as ``initBindings`` (terms, never text). On Oxigraph and on a
remote endpoint they are written into the text as a ``VALUES`` block by :func:`genai_kg.sparql.bind_values`;
the guard then checks *that* text, the one the engine evaluates, so no value can smuggle a keyword in.

Where Oxigraph evaluates, rdflib's SPARQL parser is not used (nor imported): the guard reads the bound
text with the package's own lexer (:mod:`genai_kg.sparql`) and with Oxigraph's parser (keywords renamed, see
:func:`genai_kg.guard.querycheck.check_oxigraph_parse`), Oxigraph parses it, and its syntax errors
are placed back in the text the user wrote. For a remote endpoint rdflib's algebra of the text as written
and as bound is checked too. Every path ends in the one answer form
(:class:`genai_kg.answer_form.Answer`), its list columns read whole (:mod:`genai_kg.answers.lists`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.term import Identifier

from .answer_form import Answer, Stream, distinct_triples, kind_of
from .answers.lists import join_lists
from .catalog import NamedQuery, Param, as_query
from .errors import ParameterError, QueryError, TermNotFound, TimedOut
from .guard import DEFAULT_TIMEOUT, check_algebra, check_query_text, refuse_update, run_bounded
from .guard.deadline import TIMEOUT_REMEDY, time_limit
from .guard.querycheck import check_oxigraph_parse, oxigraph_parses, rdflib_may_fetch
from .sparql import bind_values, declared_prefixes, query_form, term_n3, tokenize
from .stores import is_oxigraph, query_oxigraph, syntax_position
from .vocab import DEFAULT_GRAPH, XSD

if TYPE_CHECKING:  # pragma: no cover
    from rdflib.plugins.sparql.sparql import Query

    from .guard.pool import WorkerPool

__all__ = ["Remote", "bind_params", "prepare", "run_query", "query_pool"]

_KIND_DATATYPES = {"integer": XSD.integer, "decimal": XSD.decimal}
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
Resolver = Callable[[str], URIRef]


@dataclass(frozen=True)
class Remote:
    """A SPARQL 1.1 query endpoint to run on instead of the local graph."""

    url: str
    #: the named graph to query (sent as ``default-graph-uri``): by default the one ``push`` writes;
    #: ``None`` reads the endpoint's own default graph
    graph: str | None = DEFAULT_GRAPH
    credentials: Any = None


def _bind_value(param: Param, value: Any, resolve: Resolver) -> Identifier:
    if isinstance(value, (URIRef, Literal)):
        return value
    value = str(value)
    argument = f"params.{param.name}"
    if param.kind == "literal":
        return Literal(value)
    if param.kind in _KIND_DATATYPES:
        try:
            number = int(value) if param.kind == "integer" else float(value)
        except ValueError:
            raise ParameterError(f"{value!r} is not {param.kind!s}", argument=argument) from None
        return Literal(number, datatype=_KIND_DATATYPES[param.kind])
    try:
        return resolve(value)
    except TermNotFound as exc:
        raise TermNotFound(exc.reason, text=exc.text, matches=exc.matches, argument=argument) from None


def bind_params(query: NamedQuery, values: Mapping[str, Any], resolve: Resolver) -> dict[str, Identifier]:
    """Turn parameter values into rdflib terms keyed by variable, checking names and required values.

    A query with no declared parameters (ad hoc SPARQL) binds any variable named: a value that names a
    term binds that term, anything else binds a plain string literal.
    """
    declared = {p.name: p for p in query.params}
    bindings: dict[str, Identifier] = {}
    if not declared:
        for key, value in values.items():
            if not _VARIABLE.match(key):
                raise ParameterError("not a SPARQL variable name", argument=f"params.{key}")
            try:
                bindings[Variable(key)] = _bind_value(Param(key), value, resolve)
            except TermNotFound:
                bindings[Variable(key)] = Literal(str(value))
        return bindings
    for key in values:
        if key not in declared:
            takes = ", ".join(declared) or "no parameters"
            raise ParameterError(
                f"query {query.name!r} has no such parameter (it takes {takes})", argument=f"params.{key}"
            )
    for name, param in declared.items():
        value = values.get(name, param.default)
        if value is None:
            raise ParameterError(f"required by query {query.name!r} ({param.description})", argument=f"params.{name}")
        bindings[Variable(name)] = _bind_value(param, value, resolve)
    return bindings


def prepare(query: NamedQuery, namespaces: Mapping[str, Any]) -> Query:
    """Parse the SPARQL with rdflib, turning syntax errors into one line with line and column."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    where = query.path or query.name
    try:
        return prepareQuery(query.text, initNs=dict(namespaces))
    except ParseException as exc:
        raise QueryError(f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}", path=where) from None
    except RecursionError:
        raise QueryError("the query nests too deeply to parse", path=where) from None
    except Exception as exc:  # noqa: BLE001 - rdflib's algebra translation raises assorted errors
        raise QueryError(f"cannot prepare query: {' '.join(str(exc).split())}", path=where) from None


def _with_prefixes(text: str, namespaces: Mapping[str, Any]) -> str:
    """Declare the prefixes the text uses without declaring (Oxigraph and endpoints know none of ours)."""
    declared = declared_prefixes(text)
    used = {t.text.split(":", 1)[0] for t in tokenize(text) if t.kind == "pname"}
    lines = [
        f"PREFIX {prefix}: {term_n3(URIRef(str(ns)))}"
        for prefix, ns in sorted(namespaces.items())
        if prefix and prefix in used and prefix not in declared
    ]
    return "\n".join([*lines, text]) if lines else text


def _syntax_error(exc: SyntaxError, written: str, evaluated: str, bound: str, where: str) -> QueryError:
    """Oxigraph's syntax error, placed in the text as written.

    ``evaluated`` is ``bound`` after prefix lines; ``bound`` is ``written`` with at most one ``VALUES``
    block inserted. A position inside the block points at where it was inserted.
    """
    line, column, reason = syntax_position(exc)
    if len(reason) > 200:
        reason = reason[:200].rstrip() + " ..."
    if line is None:
        return QueryError(f"SPARQL syntax error: {reason}", path=where)
    offset = sum(len(text) + 1 for text in evaluated.split("\n")[: line - 1]) + (column or 1) - 1
    offset -= len(evaluated) - len(bound)
    same = next((i for i, (a, b) in enumerate(zip(bound, written, strict=False)) if a != b), len(written))
    added = len(bound) - len(written)
    if offset >= same + added:
        offset -= added
    elif offset >= same:
        offset = same
    offset = max(0, min(offset, len(written)))
    line = written.count("\n", 0, offset) + 1
    column = offset - (written.rfind("\n", 0, offset) + 1) + 1
    return QueryError(f"SPARQL syntax error at line {line}, column {column}: {reason}", path=where)


def _rdflib_failure(exc: QueryError) -> QueryError:
    """rdflib's engine failing on a query it parsed (``NotBoundError`` for GROUP_CONCAT over a variable an
    OPTIONAL left unbound, ``TypeError`` for ORDER BY over an unbound value): its bugs, which Oxigraph does
    not share, so the error names the store that answers."""
    if type(exc) is not QueryError or exc.remedy is not None or ": cannot run query: " not in exc.reason:
        return exc
    reason = f"{exc.reason}; rdflib's engine (the memory store) fails on this query"
    return QueryError(reason, argument=exc.argument, path=exc.path, line=exc.line,
                      remedy=("store", "to run it on Oxigraph"))


def run_query(
    graph: Graph,
    query: str | NamedQuery,
    params: Mapping[str, Any] | None = None,
    *,
    resolve: Resolver,
    timeout: float | None = None,
    allow_remote: bool = False,
    remote: Remote | None = None,
    pool: Any = None,
) -> Answer:
    """Look up, bind, check and run a query on ``graph`` (or on ``remote``, with ``graph`` resolving terms).

    Returns the one answer form (:class:`~genai_kg.answer_form.Answer`), its ``# list:`` columns read
    whole and sorted (:mod:`genai_kg.answers.lists`). Everything that can take long runs in the guard's
    sandbox within one deadline of ``timeout`` seconds: rdflib's parse of the query (a huge ``VALUES``
    block), the evaluation, and an endpoint's answer as it is read; the row and literal caps hold throughout.
    ``pool`` (from :func:`query_pool` over this ``graph``) evaluates in pre-forked guarded workers instead of
    a child forked per query.
    """
    started = time.monotonic()
    named = query if isinstance(query, NamedQuery) else as_query(query)
    where = str(named.path or named.name)
    seconds = DEFAULT_TIMEOUT if timeout is None else timeout
    local_rdflib = remote is None and not is_oxigraph(graph)
    # Our own reading of the text in this process (the lexer's passes, resolving and binding parameters) is
    # linear but not free (11 MB of VALUES: 12 s): it is on the same clock, under SIGALRM. The clock in this
    # process stops before a child is forked or an endpoint called, which keep their own deadline.
    with time_limit(seconds, where=where):
        refuse_update(named.text, where)
        bindings = bind_params(named, params or {}, resolve)
        namespaces = dict(graph.namespace_manager.namespaces())
        form = query_form(named.text) or "SELECT"
        if local_rdflib:
            check_query_text(named.text, where=where, allow_remote=allow_remote)
        else:
            bound = bind_values(named.text, bindings)
            text = _with_prefixes(bound, namespaces)
            check_query_text(text, where=where, allow_remote=allow_remote)  # the text the engine evaluates

    def left() -> float:
        return seconds - (time.monotonic() - started)

    def bounded(evaluate: Callable[[], Any], job: tuple | None = None) -> Answer:
        if pool is not None and job is not None and pool.allow_remote == allow_remote:
            return pool.run(job, timeout=left(), where=where, said=seconds)
        return run_bounded(evaluate, timeout=left(), where=where, allow_remote=allow_remote, said=seconds)

    if local_rdflib:

        def evaluate():  # rdflib evaluates what it parsed; parsing a huge query takes time too
            return _evaluate_rdflib(graph, named, bindings, namespaces, where, allow_remote)

        import rdflib.plugins.sparql  # noqa: F401 - loaded once here, not in every forked child

        try:
            answer = bounded(evaluate, ("rdflib", named, bindings, namespaces, where, allow_remote))
        except QueryError as exc:
            raise _rdflib_failure(exc) from None
    elif remote is not None:
        def read(evaluate, job, *, timeout, where, said):  # the answer is read with allow_remote off
            if pool is not None and not pool.allow_remote:
                return pool.run(job, timeout=timeout, where=where, said=said)
            return run_bounded(evaluate, timeout=timeout, where=where, said=said)

        answer = _run_remote(named, text, namespaces, remote, bounded, left, where, allow_remote, seconds, read)
    else:
        # On Oxigraph the second check is Oxigraph's own parser (check_oxigraph_parse), run in the bounded
        # child: rdflib's parser reads some texts otherwise than Oxigraph (a comment ended by CR), and would
        # cost more than the rest of a small query.
        job = ("oxigraph", named.text, text, bound, namespaces, where, allow_remote)
        answer = bounded(lambda: _evaluate_oxigraph(graph, *job[1:]), job)
    answer.form = form if answer.kind == kind_of(form) else answer.form
    return join_lists(distinct_triples(answer), named.lists)


def _evaluate_rdflib(graph, named, bindings, namespaces, where, allow_remote):
    prepared = prepare(named, namespaces)
    check_algebra(prepared, where=where, allow_remote=allow_remote)
    return graph.query(prepared, initBindings=bindings)


def _evaluate_oxigraph(graph, written, text, bound, namespaces, where, allow_remote):
    try:
        check_oxigraph_parse(text, namespaces, where=where, allow_remote=allow_remote)
        return query_oxigraph(graph, text)
    except SyntaxError as exc:
        raise _syntax_error(exc, written, text, bound, where) from None


def _check_remote(named, text, namespaces, where, allow_remote):
    """rdflib's algebra of the text as written and as bound, where it could hold SERVICE or FROM (or where
    Oxigraph's parser cannot read the text: rdflib's syntax error is then the one reported, as ever).
    Elsewhere rdflib's verdict is known without its parse, which costs ~50 µs a character (240 ms for the
    explorer's 5 kB summary)."""
    for written in dict.fromkeys((named.text, text)):
        if not allow_remote and not rdflib_may_fetch(written) and oxigraph_parses(written, namespaces):
            continue
        query = named if written == named.text else replace(named, text=written)
        check_algebra(prepare(query, namespaces), where=where, allow_remote=allow_remote)
    return Stream("ask", [], boolean=True)


def _evaluate_job(graph: Graph, job: tuple):
    """A pool worker's evaluation of a job from :func:`run_query`: the same steps as its forked child's."""
    kind, *args = job
    if kind == "oxigraph":
        return _evaluate_oxigraph(graph, *args)
    if kind == "rdflib":
        return _evaluate_rdflib(graph, *args)
    if kind == "read":  # an endpoint's answer (its URL, content type, bytes and kind)
        from .endpoint.client import read_answer  # imported before the workers forked (query_pool)

        return read_answer(*args)
    return _check_remote(*args)


def query_pool(graph: Graph, *, size: int = 3) -> WorkerPool:
    """A :class:`genai_kg.guard.pool.WorkerPool` evaluating :func:`run_query`'s work on ``graph`` as it is now
    (for a read-only server: the workers never see later changes)."""
    from functools import partial

    # rdflib's SPARQL parser (the memory store, and the second check before an endpoint) reads every installed
    # package's entry points when first imported: done here, before the workers fork and the guard goes up
    import pyoxigraph  # noqa: F401 - the second check before an endpoint parses with it too
    import rdflib.plugins.sparql  # noqa: F401

    from .endpoint import client  # noqa: F401 - the workers read endpoints' answers
    from .guard.pool import WorkerPool

    return WorkerPool(partial(_evaluate_job, graph), size=size)


def _run_remote(named, text, namespaces, remote, bounded, left, where, allow_remote, seconds, read) -> Answer:
    """An endpoint is any engine: rdflib's algebra of the text as written and as bound is a second wall
    (parsed in the sandbox, on the clock), then the text goes out with what is left of the deadline; the
    answer is read by ``read`` (the pool's workers, else a forked child)."""

    import rdflib.plugins.sparql  # noqa: F401 - its import reads installed packages' entry points: not in the guard

    args = (named, text, namespaces, where, allow_remote)
    bounded(lambda: _check_remote(*args), ("check", *args))
    from .endpoint import query_endpoint  # only a remote query pays for the HTTP client

    remaining = left()
    if remaining <= 0:
        raise TimedOut(f"{where}: timed out after {seconds:g} s", remedy=TIMEOUT_REMEDY)
    return query_endpoint(
        remote.url, text, graph=remote.graph, timeout=remaining, credentials=remote.credentials, said=seconds,
        bounded=read,
    )
