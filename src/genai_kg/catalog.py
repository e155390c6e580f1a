"""The catalogue of named SPARQL queries (``queries/*.rq``): names, titles and declared parameters.

A query file starts with a comment header::

    # title: Which systems produce a modality?
    # description: Named systems whose output includes the modality, with their family and maker.
    # param: modality = gkg:Image ; the output modality (IRI, CURIE or label)
    # param: limit:integer = 10 ; at most this many rows
    # list: makers = ", "

A parameter named ``modality`` binds the variable ``?modality``; :mod:`genai_kg.pipeline` binds and runs.
A ``# list:`` line says that column ``?makers`` gathers its items ``ENCODE_FOR_URI``-encoded and joined by a
space, to be shown joined with ``", "``: :mod:`genai_kg.answers.lists` reads each item whole and sorts them,
so every engine gives the same text and no item holding the separator is cut.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DataError, QueryError, QueryNotFound, clipped
from .fileio import read_regular
from .paths import QUERIES_DIR
from .sparql import query_form

__all__ = ["Param", "NamedQuery", "list_queries", "get_query", "parse_query_text", "as_query"]

# Every pattern here is matched at the start of text already stripped, and none holds two adjacent runs that
# could share characters (``\s*(...)?\s*``), so each match is linear in the line: a header line of tens of
# thousands of spaces once took 15-37 s in one native ``re`` call, which no deadline can stop.
_HEADER = re.compile(r"(title|description|param|list)[ \t]*:")
_PARAM_NAME = re.compile(r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::(?P<kind>term|literal|integer|decimal))?")
_DEFAULT = re.compile(r"[^\s;]+")
_LIST = re.compile(r'(?P<name>[A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*"(?P<separator>[^"]+)"')
#: A header line longer than this is refused (no title or description needs more).
MAX_HEADER_LINE = 2000
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class Param:
    """One declared query parameter: binds ``?name``; ``kind`` says how a value is read."""

    name: str
    kind: str = "term"
    default: str | None = None
    description: str = ""

    def as_dict(self) -> dict:
        return {"name": self.name, "kind": self.kind, "default": self.default, "description": self.description}


@dataclass(frozen=True)
class NamedQuery:
    """A query with its header: what the catalogue lists and what ``query`` runs."""

    name: str
    text: str
    title: str = ""
    description: str = ""
    params: tuple[Param, ...] = field(default_factory=tuple)
    path: Path | None = None
    #: the columns that are concatenated lists, each with its separator (``# list:`` lines)
    lists: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    @property
    def form(self) -> str:
        """SELECT, ASK, CONSTRUCT or DESCRIBE, read from the text (for choosing an output format)."""
        return query_form(self.text) or "SELECT"

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "params": [p.as_dict() for p in self.params],
            "form": self.form,
        }


def _param(value: str) -> Param | None:
    """``name[:kind] [= default] [; description]`` as a Param, or None if the value is not one."""
    match = _PARAM_NAME.match(value)
    if match is None:
        return None
    rest, default = value[match.end():].lstrip(), None
    if rest.startswith("="):
        rest = rest[1:].lstrip()
        if rest.startswith('"'):
            end = rest.find('"', 1)
            if end < 0:
                return None
            default, rest = rest[1:end], rest[end + 1:]
        else:
            token = _DEFAULT.match(rest)
            if token is None:
                return None
            default, rest = token[0], rest[token.end():]
        rest = rest.lstrip()
    if rest and not rest.startswith(";"):
        return None
    return Param(match["name"], match["kind"] or "term", default, rest[1:].strip())


def parse_query_text(text: str, name: str, path: Path | None = None) -> NamedQuery:
    """Read a query's comment header; the SPARQL itself is left to rdflib's parser."""
    title, description, params, lists = "", [], [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        if len(line) > MAX_HEADER_LINE:
            raise QueryError(
                f"header line of {len(line):,} characters (at most {MAX_HEADER_LINE:,}): {clipped(line)!r}",
                path=path or name, line=number,
            )
        body = line[1:].strip()
        match = _HEADER.match(body)
        if not match:
            continue
        key, value = match[1], body[match.end():].strip()
        if key == "title":
            title = value
        elif key == "description":
            description.append(value)
        elif key == "list":
            lm = _LIST.fullmatch(value)
            if not lm:
                raise QueryError(f"bad '# list:' header {clipped(value)!r}", path=path or name, line=number)
            lists.append((lm["name"], lm["separator"]))
        else:
            param = _param(value)
            if param is None:
                raise QueryError(f"bad '# param:' header {clipped(value)!r}", path=path or name, line=number)
            params.append(param)
    return NamedQuery(name, text, title, " ".join(description), tuple(params), path, tuple(lists))


def _read(path: Path, name: str) -> NamedQuery:
    try:
        text = read_regular(path).decode("utf-8")  # a regular file only: no FIFO, no device
    except UnicodeDecodeError as exc:
        raise DataError(f"byte {exc.start}: not valid UTF-8", path=path) from None
    except OSError as exc:
        raise DataError(str(exc.strerror or exc), path=path) from None
    return parse_query_text(text, name, path)


def list_queries(directory: Path | None = None) -> list[NamedQuery]:
    """Every named query in ``directory`` (the bundled ``queries/`` by default), sorted by name."""
    folder = directory or QUERIES_DIR
    return [_read(p, p.stem) for p in sorted(folder.glob("*.rq"), key=lambda p: p.stem)]


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a file; False for a name the system cannot take (too long, a NUL byte)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _exists(path: Path) -> bool:
    """Whether anything is at ``path`` (a FIFO too, which reading then refuses by its kind)."""
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def get_query(name_or_path: str, directory: Path | None = None) -> NamedQuery:
    """Find a named query by name, or read a ``.rq`` file by path."""
    folder = directory or QUERIES_DIR
    if name_or_path.endswith(".rq") or "/" in name_or_path or "\\" in name_or_path:
        path = Path(name_or_path)
        if not _exists(path):
            raise QueryNotFound("no such query file", path=clipped(name_or_path, 200))
        return _read(path, path.stem)  # a regular file only: a FIFO or a device is refused by its kind
    if not _NAME.match(name_or_path):
        raise QueryNotFound(f"no named query {clipped(name_or_path)!r}")
    path = folder / f"{name_or_path}.rq"
    if not _is_file(path):
        names = [p.stem for p in folder.glob("*.rq")]
        close = difflib.get_close_matches(name_or_path, names, n=3)
        if close:
            raise QueryNotFound(f"no named query {clipped(name_or_path)!r}; did you mean {', '.join(close)}?")
        raise QueryNotFound(f"no named query {clipped(name_or_path)!r}", remedy=("list_queries", "for the list"))
    return _read(path, name_or_path)


def as_query(query: str) -> NamedQuery:
    """A name or ``.rq`` path is looked up in the catalogue; anything else is SPARQL text."""
    stripped = query.strip()
    if stripped.endswith(".rq") or _NAME.match(stripped):
        return get_query(stripped)
    return parse_query_text(query, "<sparql>")
