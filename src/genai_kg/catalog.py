"""The catalogue of named SPARQL queries (``queries/*.rq``), term lookup, and safe parameter binding.

A query file starts with a comment header::

    # title: Which systems produce a modality?
    # description: Named systems whose output includes the modality, with their family and maker.
    # param: modality = gkg:Image ; the output modality (IRI, CURIE or label)
    # param: limit:integer = 10 ; at most this many rows

A parameter named ``modality`` binds the variable ``?modality`` through rdflib's ``initBindings``: values
are never spliced into the query text, so quotes, braces or ``#`` in a value stay data.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import DataError, ParameterError, QueryError, QueryNotFound
from .paths import QUERIES_DIR
from .sparql import bind_values

if TYPE_CHECKING:  # rdflib is imported where terms are made, so 'genai-kg queries' does not pay for it
    from rdflib import URIRef, Variable

__all__ = [
    "Param",
    "NamedQuery",
    "list_queries",
    "get_query",
    "parse_query_text",
    "resolve_term",
    "bind_params",
    "run_query",
]

_HEADER = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::(?P<kind>term|literal|integer|decimal))?"
    r"\s*(?:=\s*(?P<default>\"[^\"]*\"|\S+))?\s*(?:;\s*(?P<description>.*))?$"
)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_KIND_DATATYPES = {"integer": _XSD + "integer", "decimal": _XSD + "decimal"}
_TOKENS_TO_BLANK = re.compile(r"<[^<>\"{}|^`\\\s]*>|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|#[^\n]*")


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

    @property
    def form(self) -> str:
        """SELECT, ASK, CONSTRUCT or DESCRIBE, read from the text (for choosing an output format)."""
        # IRIs and strings first: a '#' inside <...#> or "..." does not start a comment
        body = _TOKENS_TO_BLANK.sub(" ", self.text)
        match = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", body, re.IGNORECASE)
        return match.group(1).upper() if match else "SELECT"

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "params": [p.as_dict() for p in self.params],
            "form": self.form,
        }


def parse_query_text(text: str, name: str, path: Path | None = None) -> NamedQuery:
    """Read a query's comment header; the SPARQL itself is left to rdflib's parser."""
    title, description, params = "", [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = _HEADER.match(line)
        if not match:
            continue
        key, value = match.groups()
        if key == "title":
            title = value
        elif key == "description":
            description.append(value)
        else:
            pm = _PARAM.match(value)
            if not pm:
                where = f"{path}: line {number}" if path else f"{name}: line {number}"
                raise QueryError(f"{where}: bad '# param:' header {value!r}")
            default = pm["default"]
            if default and len(default) >= 2 and default[0] == default[-1] == '"':
                default = default[1:-1]
            params.append(Param(pm["name"], pm["kind"] or "term", default, pm["description"] or ""))
    return NamedQuery(name, text, title, " ".join(description), tuple(params), path)


def _read(path: Path, name: str) -> NamedQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: byte {exc.start}: not valid UTF-8") from None
    except OSError as exc:
        raise DataError(f"{path}: {exc.strerror or exc}") from None
    return parse_query_text(text, name, path)


def list_queries(directory: Path | None = None) -> list[NamedQuery]:
    """Every named query in ``directory`` (the bundled ``queries/`` by default), sorted by name."""
    folder = directory or QUERIES_DIR
    return [_read(p, p.stem) for p in sorted(folder.glob("*.rq"), key=lambda p: p.stem)]


def get_query(name_or_path: str, directory: Path | None = None) -> NamedQuery:
    """Find a named query by name, or read a ``.rq`` file by path."""
    folder = directory or QUERIES_DIR
    if name_or_path.endswith(".rq") or "/" in name_or_path or "\\" in name_or_path:
        path = Path(name_or_path)
        if not path.is_file():
            raise QueryNotFound(f"{path}: no such query file")
        return _read(path, path.stem)
    if not _NAME.match(name_or_path):
        raise QueryNotFound(f"no named query {name_or_path!r}")
    path = folder / f"{name_or_path}.rq"
    if not path.is_file():
        names = [p.stem for p in folder.glob("*.rq")]
        close = difflib.get_close_matches(name_or_path, names, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; run 'genai-kg queries' for the list"
        raise QueryNotFound(f"no named query {name_or_path!r}{hint}")
    return _read(path, name_or_path)


def resolve_term(kg, text: str) -> URIRef:
    """Resolve an IRI (``<...>`` or absolute), a CURIE, a local name in gkg: or a label to a term.

    Raises KeyError with a one-line message when nothing, or more than one term, matches.
    """
    from rdflib import URIRef

    value = text.strip()
    if value.startswith("<") and value.endswith(">"):
        return URIRef(value[1:-1])
    if re.match(r"^[a-z][a-z0-9+.-]*://\S+$", value, re.IGNORECASE) or value.startswith("urn:"):
        return URIRef(value)
    graph = kg.graph
    prefix, sep, local = value.partition(":")
    if sep and " " not in value:
        namespaces = dict(graph.namespace_manager.namespaces())
        if prefix in namespaces:
            return URIRef(str(namespaces[prefix]) + local)
    matches = kg.labels_index().get(value.casefold(), [])
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        names = ", ".join(sorted(graph.namespace_manager.normalizeUri(m) for m in matches))
        raise KeyError(f"{text!r} is the label of several terms ({names}); give an IRI or CURIE")
    from .graph import GKG

    candidate = GKG[value]
    if " " not in value and (candidate, None, None) in graph:
        return candidate
    close = difflib.get_close_matches(value.casefold(), list(kg.labels_index()), n=3)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise KeyError(f"no term with IRI, CURIE or label {text!r}{hint}")


def _bind_value(kg, param: Param, value: str, query_name: str):
    from rdflib import Literal, URIRef

    if param.kind == "literal":
        return Literal(value)
    if param.kind in _KIND_DATATYPES:
        try:
            number = int(value) if param.kind == "integer" else float(value)
        except ValueError:
            raise ParameterError(f"--param {param.name}: {value!r} is not {param.kind!s}") from None
        return Literal(number, datatype=URIRef(_KIND_DATATYPES[param.kind]))
    try:
        return resolve_term(kg, value)
    except KeyError as exc:
        raise ParameterError(f"--param {param.name}: {exc.args[0]}") from None


def bind_params(kg, query: NamedQuery, values: Mapping[str, str]) -> dict[Variable, object]:
    """Turn ``--param`` strings into rdflib terms keyed by variable, checking names and required values.

    A query with no declared parameters (ad hoc SPARQL) binds any variable named: a value that names a
    term binds that term, anything else binds a plain string literal.
    """
    from rdflib import Literal, Variable

    declared = {p.name: p for p in query.params}
    bindings: dict[Variable, object] = {}
    if not declared:
        for key, value in values.items():
            if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", key):
                raise ParameterError(f"--param {key}: not a SPARQL variable name")
            try:
                bindings[Variable(key)] = resolve_term(kg, value)
            except KeyError:
                bindings[Variable(key)] = Literal(value)
        return bindings
    for key in values:
        if key not in declared:
            takes = ", ".join(declared) or "no parameters"
            raise ParameterError(f"--param {key}: query {query.name!r} has no such parameter (it takes {takes})")
    for name, param in declared.items():
        value = values.get(name, param.default)
        if value is None:
            raise ParameterError(f"--param {name}: required by query {query.name!r} ({param.description})")
        bindings[Variable(name)] = _bind_value(kg, param, value, query.name)
    return bindings


def _as_query(query: str) -> NamedQuery:
    """A name or ``.rq`` path is looked up in the catalogue; anything else is SPARQL text."""
    stripped = query.strip()
    if stripped.endswith(".rq") or _NAME.match(stripped):
        return get_query(stripped)
    return parse_query_text(query, "<sparql>")


def prepare(kg, query: NamedQuery):
    """Parse the SPARQL with rdflib, turning syntax errors into one line with line and column."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        return prepareQuery(query.text, initNs=dict(kg.graph.namespace_manager.namespaces()))
    except ParseException as exc:
        where = query.path or query.name
        _refuse_update(query.text, where)
        raise QueryError(
            f"{where}: SPARQL syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}"
        ) from None
    except RecursionError:
        raise QueryError(f"{query.path or query.name}: the query nests too deeply to parse") from None
    except Exception as exc:  # noqa: BLE001 - rdflib's algebra translation raises assorted errors
        where = query.path or query.name
        raise QueryError(f"{where}: cannot prepare query: {' '.join(str(exc).split())}") from None


def _refuse_update(text: str, where) -> None:
    """SPARQL Update (INSERT, DELETE, LOAD, ...) is not a query: refuse it by name rather than as bad syntax."""
    from .errors import UnsafeInput
    from .guard import UPDATE_WORDS, bare_words

    words = [w for w in bare_words(text) if w not in ("BASE", "PREFIX")]
    if words and words[0] in UPDATE_WORDS:
        raise UnsafeInput(f"{where}: SPARQL Update ({words[0]}) is not run by genai-kg, which only reads; refused")


def run_query(kg, query: str | NamedQuery, params: Mapping[str, str], *, timeout=None, allow_remote=False):
    """Look up, check, bind and run a query on ``kg``; the guard bounds the work."""
    from . import guard

    named = query if isinstance(query, NamedQuery) else _as_query(query)
    bindings = bind_params(kg, named, params)
    prepared = prepare(kg, named)
    where = str(named.path or named.name)
    guard.check_query(prepared, allow_remote=allow_remote, where=where, text=named.text)
    from .stores import is_oxigraph  # rdflib and pyoxigraph: heavy, kept off 'genai-kg queries'

    if is_oxigraph(kg.graph):  # Oxigraph evaluates text: the parameters go into it as a VALUES block
        prepared, bindings = bind_values(named.text, bindings), {}
    return guard.run_bounded(
        kg, prepared, bindings, timeout=timeout, text=named.text, where=where, allow_remote=allow_remote
    )
