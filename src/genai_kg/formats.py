"""The one registry of RDF formats that every reader, writer and HTTP client consults.

Modelled on pyoxigraph's ``RdfFormat``: a format knows its names, file extensions, media types, the names
rdflib and Oxigraph give it, whether it carries named graphs, and whether genai-kg writes it. The formats a
query's answer is written in (its ``QueryResultsFormat`` side) are :data:`genai_kg.answers.RENDERERS`.

>>> from_extension("data/my-systems.ttl").name
'turtle'
>>> from_name("json-ld").media_type, from_media_type("text/turtle; charset=utf-8").name
('application/ld+json', 'turtle')
"""

from __future__ import annotations

import os
from typing import NamedTuple

from .errors import UnsupportedFormat

__all__ = [
    "RdfFormat",
    "FORMATS",
    "from_extension",
    "from_name",
    "from_media_type",
    "writable_names",
    "extensions",
    "OWL_FORMATS",
    "EXPORT_FORMATS",
    "GRAPH_FORMATS",
    "CHANGE_REPORT_FORMATS",
]


class RdfFormat(NamedTuple):
    """One RDF syntax. ``name`` is rdflib's parser name; ``aliases`` are what users may type.

    A NamedTuple rather than a dataclass: ``--help`` reads this registry, and dataclasses costs it more
    than the rest of this module."""

    name: str
    label: str
    extensions: tuple[str, ...]
    media_types: tuple[str, ...]
    rdflib_serializer: str | None = None
    oxigraph: str | None = None  #: the pyoxigraph.RdfFormat attribute that parses it, if Oxigraph can
    quads: bool = False
    aliases: tuple[str, ...] = ()
    xml: bool = False

    @property
    def media_type(self) -> str:
        return self.media_types[0]

    @property
    def file_extension(self) -> str:
        return self.extensions[0]

    @property
    def writable(self) -> bool:
        return self.rdflib_serializer is not None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


FORMATS: tuple[RdfFormat, ...] = (
    RdfFormat("turtle", "Turtle", (".ttl", ".turtle"), ("text/turtle", "application/x-turtle"),
              "turtle", "TURTLE", aliases=("ttl",)),
    RdfFormat("nt", "N-Triples", (".nt", ".ntriples"), ("application/n-triples", "text/plain"),
              "nt", "N_TRIPLES", aliases=("ntriples", "n-triples")),
    RdfFormat("xml", "RDF/XML", (".rdf", ".owl", ".xml"), ("application/rdf+xml", "application/xml", "text/xml"),
              "xml", aliases=("rdf", "rdfxml", "rdf/xml", "pretty-xml"), xml=True),
    RdfFormat("json-ld", "JSON-LD", (".jsonld", ".json"), ("application/ld+json", "application/json"),
              "json-ld", aliases=("jsonld",)),
    RdfFormat("n3", "N3", (".n3",), ("text/n3",)),
    RdfFormat("trig", "TriG", (".trig",), ("application/trig",), oxigraph="TRIG", quads=True),
    RdfFormat("nquads", "N-Quads", (".nq",), ("application/n-quads",), oxigraph="N_QUADS", quads=True,
              aliases=("nq", "n-quads")),
)

_BY_NAME = {n: f for f in FORMATS for n in f.names}
_BY_EXTENSION = {e: f for f in FORMATS for e in f.extensions}
_BY_MEDIA_TYPE = {m: f for f in FORMATS for m in f.media_types}


def extensions() -> list[str]:
    """Every file extension a file may have to be read, sorted."""
    return sorted(_BY_EXTENSION)


def writable_names() -> list[str]:
    """The names users pick an output syntax by (``ttl``, ``nt``, ``xml``, ``json-ld``)."""
    return ["ttl", "nt", "xml", "json-ld"]



#: OWL syntaxes that are not RDF: ``export`` writes them through py-horned-owl (name -> its syntax name).
OWL_FORMATS = {"ofn": "ofn", "owx": "owx"}
#: What ``export --format`` takes: the RDF syntaxes, ``json`` (JSON-LD), and the OWL syntaxes.
EXPORT_FORMATS = (*writable_names(), "json", *OWL_FORMATS)
#: The drawn node/edge model's formats (``export --graph-format``, ``KnowledgeGraph.export``): not RDF.
GRAPH_FORMATS = ("graphml", "gexf", "cyjs")
#: What ``diff`` writes a change report as.
CHANGE_REPORT_FORMATS = ("md", "json")


def from_extension(path: str | os.PathLike) -> RdfFormat:
    """The format of ``path`` by its extension; UnsupportedFormat (naming the file) for any other."""
    suffix = os.path.splitext(os.fspath(path))[1].lower()
    suffix = "" if suffix == "." else suffix  # "file." has no extension, as pathlib says
    try:
        return _BY_EXTENSION[suffix]
    except KeyError:
        raise UnsupportedFormat(
            f"unknown RDF format {suffix or '(no extension)'!r}; use one of {', '.join(extensions())}", path=path
        ) from None


def from_name(name: str, *, argument: str = "format", writable: bool = False) -> RdfFormat:
    """The format called ``name`` (``ttl``, ``turtle``, ``xml``, ``json-ld``, ...); UnsupportedFormat else."""
    found = _BY_NAME.get(name.lower().strip())
    if found is None or (writable and not found.writable):
        choices = writable_names() if writable else sorted(_BY_NAME)
        raise UnsupportedFormat(f"unknown RDF format {name!r}; use one of {', '.join(choices)}", argument=argument)
    return found


def from_media_type(media_type: str) -> RdfFormat | None:
    """The format a ``Content-Type`` names (parameters ignored), or None."""
    return _BY_MEDIA_TYPE.get(media_type.split(";", 1)[0].strip().lower())
