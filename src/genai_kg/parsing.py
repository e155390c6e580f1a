"""Reading one RDF file into a graph, with the parser its extension names and the guard's bounds.

Every failure is one :class:`~genai_kg.errors.DataError` naming the file and, where the parser tells it,
the line.
"""

from __future__ import annotations

import os
from pathlib import Path

import rdflib
from rdflib import Graph

from . import formats
from .errors import DataError, GenaiKgError
from .formats import RdfFormat
from .guard import safe_parse  # the guard decides how untrusted files are read

__all__ = ["parse_file", "error_location"]


def error_location(exc: BaseException) -> tuple[int | None, str]:
    """A parser's exception as ``(line, reason)``, the line (1-based) where the parser tells it, else None."""
    lines = getattr(exc, "lines", None)  # rdflib's Turtle/N3 BadSyntax: 0-based line
    if isinstance(lines, int):
        return lines + 1, str(getattr(exc, "_why", None) or exc)
    get_line = getattr(exc, "getLineNumber", None)  # xml.sax SAXParseException
    if callable(get_line):
        return get_line(), str(getattr(exc, "getMessage", lambda: exc)())
    lineno = getattr(exc, "lineno", None)  # json.JSONDecodeError
    if isinstance(lineno, int):
        return lineno, str(getattr(exc, "msg", exc))
    if isinstance(exc, UnicodeDecodeError):
        return None, f"byte {exc.start}: not valid UTF-8"
    return None, " ".join(str(exc).split()) or type(exc).__name__


def check_readable(path: Path) -> None:
    """DataError unless ``path`` exists and is not a folder (early, for a clear message; reading itself
    accepts regular files only, see :func:`genai_kg.fileio.open_regular`)."""
    if not path.exists():
        raise DataError("no such file", path=path)
    if path.is_dir():
        raise DataError("is a folder, not an RDF file", path=path)


def parse_file(
    graph: Graph,
    path: str | os.PathLike,
    *,
    format: RdfFormat | str | None = None,
    allow_remote: bool = False,
) -> None:
    """Parse one RDF file into ``graph``; every failure becomes a one-line DataError naming the file.

    ``format`` is an :class:`~genai_kg.formats.RdfFormat` or a format name; by default the file's extension
    chooses it. Quad formats (TriG, N-Quads) are read into a Dataset first and their triples merged, so that
    a user's named graphs add to the one graph the package queries.
    """
    path = Path(path)
    if isinstance(format, str):
        format = formats.from_name(format)
    fmt = format or formats.from_extension(path)
    check_readable(path)
    try:
        if fmt.quads:
            dataset = rdflib.Dataset()
            safe_parse(dataset, path, fmt.name, allow_remote=allow_remote)
            for s, p, o, _ in dataset.quads((None, None, None, None)):
                graph.add((s, p, o))
        else:
            safe_parse(graph, path, fmt.name, allow_remote=allow_remote)
    except GenaiKgError:  # DataError, and the guard's UnsafeInput / LimitExceeded (they name the file)
        raise
    except PermissionError:
        raise DataError("permission denied", path=path) from None
    except Exception as exc:  # noqa: BLE001 - parsers raise anything; the user needs file and line
        line, reason = error_location(exc)
        raise DataError(reason, path=path, line=line) from exc
