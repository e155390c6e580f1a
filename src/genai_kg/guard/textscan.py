"""Reading a data file safely: a linear pre-scan of text formats, then the parser under the audit hook.

rdflib's text parsers are quadratic where a literal (or an N-Triples line) is very long, and its JSON-LD
parser fetches remote contexts; both are refused here, before rdflib sees the bytes. The bytes are read
before the guard is raised, so the parser itself may open nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

import json
import re
from pathlib import Path

from .. import formats, lexical
from ..errors import DataError, GenaiKgError, LimitExceeded, UnsafeInput
from ..fileio import read_regular
from ..urls import redact
from . import limits as _limits
from .audit import REMOTE_REMEDY, guarded
from .limits import Limits, line_of, size_text
from .rdfxml import parse_rdfxml

__all__ = ["safe_parse", "parse_answer", "check_text", "check_jsonld"]

#: rdflib's parsers that are quadratic in a triple-quoted (multi-line) literal.
_LONG_LITERAL_PARSERS = frozenset({"turtle", "n3", "trig"})
#: rdflib's parsers that re-scan their growing buffer for each line.
_LINE_PARSERS = frozenset({"nt", "nquads"})
#: What to try instead of rdflib's parser where it is quadratic.
_OXIGRAPH_REMEDY = ("store", "to read it in linear time")
#: Oxigraph's parser for each syntax, used only to say where a file goes wrong. N3 is not loaded through
#: Oxigraph (the registry says so), but its parser places an N3 syntax error well.
_LOCATING = {"n3": "N3"}
#: Python's JSON reader recurses once per level of nesting; what it says past its limit.
JSON_TOO_DEEP = "JSON nested deeper than about 1,000 levels; refused"

# Every string alternative ends in an optional quote, so that an unterminated string matches to the end of
# its line (or of the data) at once and never backtracks: the scan is linear in the data's length. Outside
# strings, IRIs and comments a backslash only ever starts a local name's escape (PN_LOCAL_ESC, the one
# definition the SPARQL lexer uses too): ``ex:a\#`` and ``ex:it\'s`` are names, where neither a comment nor
# a string starts.
_LITERAL_TOKENS = re.compile(
    rb"(?P<escape>" + lexical.PN_LOCAL_ESC.encode("ascii") + rb""")
    |(?P<comment>\#[^\n\r]*)
    |(?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
    |(?P<long_dq>\"\"\"(?:[^"\\]+|\\.|"(?!""))*(?P<long_dq_end>\"\"\")?)
    |(?P<long_sq>'''(?:[^'\\]+|\\.|'(?!''))*(?P<long_sq_end>''')?)
    |(?P<short_dq>"(?:[^"\\\n\r]+|\\.)*(?P<short_dq_end>")?)
    |(?P<short_sq>'(?:[^'\\\n\r]+|\\.)*(?P<short_sq_end>')?)""",
    re.VERBOSE | re.DOTALL,
)


def _check_line_lengths(path: Path | str, data: bytes, limits: Limits, remedy) -> None:
    """rdflib's line-based parsers re-scan their growing buffer: bound the line."""
    start, number = 0, 1
    while start < len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        if end - start > limits.max_long_literal:
            raise LimitExceeded(
                f"{size_text(end - start)} is longer than the {size_text(limits.max_long_literal)}"
                " limit of rdflib's N-Triples parser",
                path=path, line=number, remedy=remedy,
            )
        start, number = end + 1, number + 1


def check_text(
    path: Path | str, data: bytes, fmt: formats.RdfFormat, limits: Limits, *,
    remedy: tuple[str, str] | None = _OXIGRAPH_REMEDY,
) -> None:
    """UTF-8 with a line number, and no literal beyond the limits (scanned only when the file could hold one).

    ``remedy`` is what to suggest for a literal too long for rdflib's parser (None: nothing to suggest).
    """
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"byte {exc.start}: not valid UTF-8", path=path, line=line_of(data, exc.start)) from None
    long_cap = min(limits.max_long_literal, limits.max_literal) if fmt.name in _LONG_LITERAL_PARSERS \
        else limits.max_literal
    if fmt.name == "json-ld" or len(data) <= min(long_cap, limits.max_literal, limits.max_long_literal):
        return
    if fmt.name in _LINE_PARSERS:
        _check_line_lengths(path, data, limits, remedy)
    for match in _LITERAL_TOKENS.finditer(data):
        kind = match.lastgroup or ""
        if kind in ("escape", "comment", "iri"):
            continue
        size = match.end() - match.start()
        long = kind.startswith("long")
        cap = long_cap if long else limits.max_literal
        if size > cap:
            what = "a literal" if match[f"{kind}_end"] is not None else "an unterminated literal"
            raise LimitExceeded(
                f"{what} of {size_text(size)} is longer than the {size_text(cap)} limit",
                path=path, line=line_of(data, match.start()), remedy=remedy if long else None,
            )


def check_jsonld(node: Any, path: Path, limits: Limits) -> None:
    """Refuse a JSON-LD document whose contexts are fetched (a URL or a path), and over-long strings."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key == "@context":
                    for ctx in value if isinstance(value, list) else [value]:
                        if isinstance(ctx, str):
                            raise UnsafeInput(
                                f"JSON-LD @context {redact(ctx)!r} would be fetched; refused",
                                path=path, remedy=REMOTE_REMEDY,
                            )
                elif key == "@import" and isinstance(value, str):
                    raise UnsafeInput(
                        f"JSON-LD @import {redact(value)!r} would be fetched; refused", path=path, remedy=REMOTE_REMEDY
                    )
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str) and len(item) > limits.max_literal:
            raise LimitExceeded(
                f"a string of {size_text(len(item))} is longer than the {size_text(limits.max_literal)} limit",
                path=path,
            )


def safe_parse(graph: Graph, path: Path, fmt: str | formats.RdfFormat, *, allow_remote: bool = False) -> None:
    """Parse ``path`` into ``graph`` as ``fmt``, reading only that file and bounding the parser's work.

    Parameters
    ----------
    graph : rdflib.Graph
        Where the triples go (a Dataset for quad formats).
    path : Path
        The file; only it is read.
    fmt : str or formats.RdfFormat
        The syntax, as an rdflib parser name (``turtle``, ``xml``, ...) or a registry entry.
    allow_remote : bool
        Let JSON-LD fetch remote contexts (the network only: other local files stay closed).
    """
    path = Path(path)
    if isinstance(fmt, str):
        fmt = formats.from_name(fmt)
    limits = _limits.current()
    data = read_regular(path)  # a regular file only, up to its size: no FIFO, no /dev/zero
    base = path.resolve().as_uri()
    if not fmt.xml:
        check_text(path, data, fmt, limits)
    if fmt.name == "json-ld":
        try:
            document = json.loads(data)
        except json.JSONDecodeError as exc:
            raise DataError(f"line {exc.lineno}, column {exc.colno}: {exc.msg}", path=path) from None
        except RecursionError:
            raise LimitExceeded(JSON_TOO_DEEP, path=path) from None
        if not allow_remote:
            check_jsonld(document, path, limits)
    try:
        with guarded(str(path), allow_remote=allow_remote):
            if fmt.xml:
                parse_rdfxml(graph, data, base, path, limits)
            else:
                graph.parse(data=data, format=fmt.name, publicID=base)
    except GenaiKgError:
        raise
    except Exception as exc:
        # rdflib's Turtle family sometimes fails without a line (an AssertionError for an unterminated
        # string): ask Oxigraph's parser, which reports line and column, where the file goes wrong.
        where = _locate(data, fmt, base) if not isinstance(getattr(exc, "lines", None), int) else None
        if where:
            raise DataError(where, path=path) from exc
        raise


def parse_answer(graph: Graph, data: bytes, fmt: formats.RdfFormat, source: str) -> None:
    """Parse an RDF answer from an endpoint into ``graph`` with the bounds a file gets: literals within the
    limits before rdflib's text parsers see it, RDF/XML through the bounded reader, the audit hook raised,
    and no more triples than :attr:`Limits.max_rows`."""
    limits = _limits.current()
    if not fmt.xml:
        check_text(source, data, fmt, limits, remedy=None)
    with guarded(source):
        if fmt.xml:
            parse_rdfxml(graph, data, source, source, limits)
        else:
            graph.parse(data=data, format=fmt.name, publicID=source)
    if len(graph) > limits.max_rows:
        raise LimitExceeded(f"more than {limits.max_rows:,} triples in the answer; add a LIMIT", path=source)


def _locate(data: bytes, fmt: formats.RdfFormat, base: str) -> str | None:
    """``line N, column M: reason`` from Oxigraph's parser for a file rdflib could not place, else None."""
    syntax = fmt.oxigraph or _LOCATING.get(fmt.name)
    if syntax is None:
        return None
    try:
        import pyoxigraph as ox

        for _ in ox.parse(data, format=getattr(ox.RdfFormat, syntax), base_iri=base):
            pass
    except SyntaxError as exc:
        reason = " ".join(str(exc).split())
        reason = re.sub(r"^Parser error at line \d+ (?:column \d+|between columns \d+ and \d+): ", "", reason)
        line = getattr(exc, "lineno", None)
        column = getattr(exc, "offset", None)
        if line:
            return f"line {line}, column {column}: {reason}" if column else f"line {line}: {reason}"
        return reason or None
    except Exception:  # noqa: BLE001 - only a better message is at stake
        return None
    return None
