"""The bounded RDF/XML reader: rdflib's RDF/XML handler behind defusedxml, with entities bounded.

External and parameter entities are refused; internal entities (``&xsd;``, as OWL files use them) are
allowed but their expanded size and nesting are bounded, and character data is coalesced so that rdflib's
handler does linear, not quadratic, work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

import contextlib
import re
from pathlib import Path

from ..errors import LimitExceeded, UnsafeInput
from .limits import Limits, MiB, size_text

__all__ = ["parse_rdfxml"]


class _Coalescing:
    """A SAX content handler in front of rdflib's: hands it each text node whole, and counts what it sees.

    rdflib appends every ``characters`` call to a string held by an object, which copies the whole string
    each time (quadratic: a 5.6 MB entity expansion took 86 s). Joining the pieces first makes it linear.
    """

    def __init__(self, inner, reader, path: Path | str, limits: Limits, budget: int):
        self._inner, self._reader, self._path, self._limits = inner, reader, path, limits
        self._parts: list[str] = []
        self._size = 0
        self._total = 0
        self._budget = budget

    def _where(self) -> dict:
        line = self._reader.getLineNumber()
        return {"path": self._path, "line": line if isinstance(line, int) and line > 0 else None}

    def _flush(self) -> None:
        if self._parts:
            text = "".join(self._parts)
            self._parts, self._size = [], 0
            self._inner.characters(text)

    def _count(self, n: int) -> None:
        self._total += n
        if self._total > self._budget:
            raise LimitExceeded(f"entity expansion passed {size_text(self._budget)}; refused", **self._where())

    def characters(self, content: str) -> None:
        self._parts.append(content)
        self._size += len(content)
        self._count(len(content))
        if self._size > self._limits.max_literal:
            raise LimitExceeded(
                f"a text of more than {size_text(self._limits.max_literal)} is longer than the limit", **self._where()
            )

    def startElementNS(self, name, qname, attrs) -> None:  # noqa: N802 - SAX names
        self._flush()
        self._count(sum(len(v) for v in attrs.values()))
        self._inner.startElementNS(name, qname, attrs)

    def endElementNS(self, name, qname) -> None:  # noqa: N802
        self._flush()
        self._inner.endElementNS(name, qname)

    def __getattr__(self, name: str):
        method = getattr(self._inner, name)
        if not callable(method):
            return method

        def forward(*args):
            self._flush()
            return method(*args)

        return forward


def _reader_class():
    from defusedxml.expatreader import DefusedExpatParser

    class BoundedExpatParser(DefusedExpatParser):
        """defusedxml's reader with internal entities allowed but bounded, and no external ones at all."""

        def __init__(self, path: Path, limits: Limits):
            super().__init__(forbid_dtd=False, forbid_entities=False, forbid_external=True)
            self._path, self._limits = path, limits
            self._entities: dict[str, str] = {}

        def reset(self):
            super().reset()
            self._entities = {}
            self._parser.EntityDeclHandler = self._entity_decl
            self._parser.UnparsedEntityDeclHandler = self._unparsed_entity_decl
            self._parser.EndDoctypeDeclHandler = self._end_doctype

        def _where(self) -> dict:
            return {"path": self._path, "line": self.getLineNumber()}

        def _entity_decl(self, name, is_parameter_entity, value, base, sysid, pubid, notation_name):
            if sysid or pubid:
                ref = sysid or pubid
                raise UnsafeInput(f"external entity {name!r} ({ref}) refused", **self._where())
            if is_parameter_entity:
                raise UnsafeInput(f"parameter entity %{name}; refused (not needed by RDF/XML)", **self._where())
            if len(self._entities) >= 10_000:
                raise LimitExceeded("more than 10,000 entities; refused", **self._where())
            self._entities[name] = value or ""

        def _unparsed_entity_decl(self, name, base, sysid, pubid, notation_name):
            raise UnsafeInput(f"external entity {name!r} ({sysid or pubid}) refused", **self._where())

        def _end_doctype(self):
            sizes: dict[str, int] = {}
            limits = self._limits
            ref = re.compile(r"&([^;&#\s]+);")

            def expanded(name: str, depth: int, seen: tuple[str, ...]) -> int:
                if name in sizes:
                    return sizes[name]
                if name not in self._entities:
                    return len(name) + 2  # predefined (&lt;) or undefined: expat reports the latter
                if depth > limits.max_entity_depth or name in seen:
                    raise LimitExceeded(
                        f"entity {name!r} nests more than {limits.max_entity_depth} deep"
                        " (an entity bomb?); refused",
                        **self._where(),
                    )
                text = self._entities[name]
                total = len(text)
                for m in ref.finditer(text):
                    total += expanded(m[1], depth + 1, (*seen, name)) - len(m[0])
                    if total > limits.max_entity_size:
                        break
                if total > limits.max_entity_size:
                    raise LimitExceeded(
                        f"entity {name!r} expands to more than"
                        f" {size_text(limits.max_entity_size)} (an entity bomb?); refused",
                        **self._where(),
                    )
                sizes[name] = total
                return total

            for name in self._entities:
                expanded(name, 0, ())

    return BoundedExpatParser


def parse_rdfxml(graph: Graph, data: bytes, base: str, path: Path | str, limits: Limits) -> None:
    """rdflib's RDF/XML handler behind a bounded defusedxml reader (see :class:`_Coalescing`)."""
    from xml.sax import handler

    from rdflib.parser import create_input_source
    from rdflib.plugins.parsers.rdfxml import ErrorHandler, RDFXMLHandler

    source = create_input_source(data=data, publicID=base, format="xml")
    reader = _reader_class()(path, limits)
    with contextlib.suppress(AttributeError):
        reader.start_namespace_decl("xml", "http://www.w3.org/XML/1998/namespace")
    reader.setFeature(handler.feature_namespaces, 1)
    rdfxml = RDFXMLHandler(graph)
    rdfxml.setDocumentLocator(source)  # type: ignore[arg-type]  # as rdflib's own parser does
    reader.setContentHandler(_Coalescing(rdfxml, reader, path, limits, budget=16 * MiB + 10 * len(data)))
    reader.setErrorHandler(ErrorHandler())
    reader.parse(source)

