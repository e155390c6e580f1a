"""Browsable HTML documentation of the ontology: an index with the class hierarchy, and one page per term.

A small generator of our own rather than pyLODE: pyLODE 3.4.1 writes one long page (not a page per term)
and does not import from an installed wheel (its ``version.py`` reads a ``pyproject.toml`` that is not
installed). Every page here is static HTML with inline CSS, no script, and relative links only, so the
folder opens offline from disk; IRIs outside the folder are shown as text, never fetched.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from html import escape
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .errors import GenaiKgError
from .fileio import write_folder_atomic
from .guard.deadline import time_limit
from .provenance import claim_sources
from .sources import claim_locators, documents_by_node
from .vocab import DCTERMS, OWL, RDF, RDFS, SKOS, label
from .vocab import GKG as GKG_NS

__all__ = ["write_docs", "documented_terms"]

GKG = str(GKG_NS)
_CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem 2rem;color:#222}
a{color:#0b5cad;text-decoration:none}a:hover{text-decoration:underline}
code{background:#f3f3f3;padding:0 .25em;border-radius:3px;word-break:break-all}
table{border-collapse:collapse;width:100%}td,th{border-top:1px solid #ddd;padding:.3em .5em;vertical-align:top;
text-align:left}th{width:14rem;font-weight:600}.src{color:#666;font-size:.9em}ul.tree{list-style:none;
padding-left:1.2em}nav{margin-bottom:1rem}.kind{color:#666}.loc{font-family:monospace}
blockquote{margin:.2em 0 .2em 1em;padding-left:.5em;border-left:3px solid #ccc;font-style:italic}
"""
_DEFINITION = SKOS.definition
#: The longest base of a page's file name (file systems refuse names over 255 bytes).
_NAME_LENGTH = 100


def documented_terms(graph: Graph) -> list[URIRef]:
    """The terms that get a page: IRIs in the gkg namespace that the graph describes (as subject)."""
    terms = {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(GKG) and str(s) != GKG}
    ontology_iris = set(graph.subjects(RDF.type, OWL.Ontology))
    return sorted(terms - ontology_iris, key=str)


def _file_names(terms: list[URIRef]) -> dict[URIRef, str]:
    """A file name per term: its local name in safe characters, at most 100 of them, unique ignoring case.

    Each base name keeps a counter, so that thousands of names that read alike (non-Latin local names all
    become ``___``) cost one step each, not a search through the ones before.
    """
    names: dict[URIRef, str] = {}
    used: set[str] = {"index"}
    counters: dict[str, int] = {}
    for term in terms:
        local = str(term)[len(GKG):]
        base = re.sub(r"[^A-Za-z0-9_.-]", "_", local)[:_NAME_LENGTH].strip(".") or "term"
        name = base
        while name.lower() in used:
            counters[base.lower()] = n = counters.get(base.lower(), 1) + 1
            name = f"{base}_{n}"
        used.add(name.lower())
        names[term] = f"{name}.html"
    return names


class _Site:
    def __init__(self, graph: Graph, sources=None):
        self.g = graph
        self.texts = documents_by_node(graph, sources) if sources is not None else None
        self._labels: dict[URIRef, str] = {}
        self.terms = documented_terms(graph)
        self.files = _file_names(self.terms)
        self.nm = graph.namespace_manager
        self.sources = self._axiom_sources()

    # -- text ------------------------------------------------------------------------------------------
    def label(self, term) -> str:
        if not isinstance(term, URIRef):
            return "(anonymous)"
        found = self._labels.get(term)
        if found is None:
            found = self._labels[term] = label(self.g, term)
        return found

    def link(self, term) -> str:
        if isinstance(term, Literal):
            text = escape(str(term))
            if term.language:
                return f'{text} <span class="src">@{escape(term.language)}</span>'
            return text
        if isinstance(term, BNode):
            return "<i>(anonymous)</i>"
        if term in self.files:
            return f'<a href="{escape(self.files[term])}">{escape(self.label(term))}</a>'
        return f'<span title="{escape(str(term))}">{escape(self.label(term))}</span>'

    def _axiom_sources(self) -> dict[tuple, list[str]]:
        """(subject, property, object) → the sources (and sections) its claims cite, as HTML."""
        found: dict[tuple, list[str]] = {}
        locators = claim_locators(self.g)
        for triple, entries in claim_sources(self.g).items():
            texts = found.setdefault(triple, [])
            spans = locators.get(triple, {})
            for entry in entries:
                section = entry["section"]
                text = self.link(URIRef(entry["source"])) + (f" § {escape(section)}" if section is not None else "")
                here = sorted(spans.get(entry["source"], []))
                if here:
                    text += ' <span class="loc">@' + ", ".join(f"{a}–{b}" for a, b in here) + "</span>"
                    document = (self.texts or {}).get(entry["source"])
                    if document is not None:
                        text += "".join(f"<blockquote>{escape(document[a:b])}</blockquote>" for a, b in here)
                if text not in texts:
                    texts.append(text)
        return found

    def page(self, title: str, body: str) -> str:
        return (
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{escape(title)} — genai-kg</title><style>{_CSS}</style></head><body>"
            f'<nav><a href="index.html">genai-kg ontology</a></nav>{body}</body></html>\n'
        )

    # -- pages -----------------------------------------------------------------------------------------
    def classes(self) -> list[URIRef]:
        return sorted(
            {c for c in self.g.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
            | {c for c in self.g.subjects(RDF.type, RDFS.Class) if isinstance(c, URIRef)},
            key=lambda t: self.label(t).casefold(),
        )

    def tree(self) -> str:
        classes = set(self.classes())
        children: dict[Node, list[URIRef]] = defaultdict(list)
        has_parent = set()
        for c in classes:
            for parent in self.g.objects(c, RDFS.subClassOf):
                if parent in classes and parent != c:
                    children[parent].append(c)
                    has_parent.add(c)

        def by_label(nodes) -> list:
            return sorted(nodes, key=lambda t: (self.label(t).casefold(), str(t)))

        # A class hierarchy is a DAG, not a tree: each class is expanded once, where the walk first meets
        # it, and named with a pointer elsewhere, so the index is linear in the hierarchy's size (walking
        # every path grows 4x per two levels of diamonds). The walk is a loop: input sets the depth.
        out = ['<ul class="tree">']
        expanded: set = set()
        stack: list = [("node", r) for r in reversed(by_label(classes - has_parent))]
        while stack:
            action, node = stack.pop()
            if action == "close":
                out.append("</ul></li>")
                continue
            kids = children.get(node)
            if not kids or node in expanded:
                out.append(f"<li>{self.link(node)}" + (' <span class="kind">(see above)</span>' if kids else "")
                           + "</li>")
                continue
            expanded.add(node)
            out.append(f'<li>{self.link(node)}<ul class="tree">')
            stack.append(("close", None))
            stack.extend(("node", k) for k in reversed(by_label(kids)))
        out.append("</ul>")
        return "".join(out)

    def index(self) -> str:
        g = self.g
        header = next(iter(g.subjects(RDF.type, OWL.Ontology)), None)
        title = str(g.value(header, DCTERMS.title) or g.value(header, RDFS.label) or "genai-kg ontology") \
            if header is not None else "genai-kg ontology"
        about = g.value(header, DCTERMS.description) or g.value(header, RDFS.comment) if header else None
        parts = [f"<h1>{escape(title)}</h1>"]
        if about:
            parts.append(f"<p>{escape(str(about))}</p>")
        if header is not None:
            parts.append(f"<p>Ontology IRI <code>{escape(str(header))}</code></p>")
        parts.append("<h2>Class hierarchy</h2>" + self.tree())
        for kind, name in ((OWL.ObjectProperty, "Object properties"), (OWL.DatatypeProperty, "Datatype properties"),
                           (OWL.AnnotationProperty, "Annotation properties")):
            props = sorted((p for p in g.subjects(RDF.type, kind) if p in self.files), key=lambda t: self.label(t))
            if props:
                parts.append(f"<h2>{name}</h2><ul>" + "".join(f"<li>{self.link(p)}</li>" for p in props) + "</ul>")
        classes = set(self.classes())
        by_kind: dict[Node, list[URIRef]] = defaultdict(list)
        for term in self.terms:
            if term in classes or any(g.triples((term, RDF.type, k)) for k in
                                      (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)):
                continue
            kinds = [t for t in g.objects(term, RDF.type) if t in classes] or [OWL.NamedIndividual]
            for class_ in kinds:
                by_kind[class_].append(term)
        parts.append("<h2>Individuals by kind</h2>")
        for group in sorted(by_kind, key=lambda t: self.label(t).casefold()):
            members = sorted(by_kind[group], key=lambda t: self.label(t).casefold())
            parts.append(f"<h3>{self.link(group)}</h3><ul>"
                         + "".join(f"<li>{self.link(m)}</li>" for m in members) + "</ul>")
        return self.page(title, "".join(parts))

    def term_page(self, term: URIRef) -> str:
        g = self.g
        label = self.label(term)
        kinds = ", ".join(self.link(t) for t in sorted(g.objects(term, RDF.type), key=str))
        parts = [f"<h1>{escape(label)}</h1>", f"<p><code>{escape(str(term))}</code>"
                 + (f' <span class="kind">— {kinds}</span>' if kinds else "") + "</p>"]
        for definition in g.objects(term, _DEFINITION):
            parts.append(f"<p>{escape(str(definition))}</p>")
        for comment in g.objects(term, RDFS.comment):
            parts.append(f'<p class="src">{escape(str(comment))}</p>')
        rows = []
        skip = {RDFS.label, _DEFINITION, RDFS.comment, RDF.type}
        for p in sorted({p for p in g.predicates(term) if p not in skip}, key=lambda t: self.label(t).casefold()):
            values = []
            for o in sorted(g.objects(term, p), key=lambda t: self.label(t).casefold() if not
                            isinstance(t, Literal) else str(t)):
                cited = self.sources.get((term, p, o))
                values.append(self.link(o) + (f'<div class="src">source: {"; ".join(cited)}</div>' if cited else ""))
            rows.append(f"<tr><th>{self.link(p)}</th><td>{'<br>'.join(values)}</td></tr>")
        if rows:
            parts.append("<h2>Statements</h2><table>" + "".join(rows) + "</table>")
        subclasses = sorted((s for s in g.subjects(RDFS.subClassOf, term) if isinstance(s, URIRef)),
                            key=lambda t: self.label(t).casefold())
        if subclasses:
            parts.append("<h2>Subclasses</h2><ul>" + "".join(f"<li>{self.link(s)}</li>" for s in subclasses) + "</ul>")
        members = sorted((s for s in g.subjects(RDF.type, term) if isinstance(s, URIRef)),
                         key=lambda t: self.label(t).casefold())
        if members:
            parts.append("<h2>Instances</h2><ul>" + "".join(f"<li>{self.link(s)}</li>" for s in members) + "</ul>")
        incoming = sorted(
            {(s, p) for s, p in g.subject_predicates(term) if isinstance(s, URIRef) and p not in (RDF.type,
                                                                                              RDFS.subClassOf)},
            key=lambda sp: (self.label(sp[1]).casefold(), self.label(sp[0]).casefold()),
        )
        if incoming:
            parts.append("<h2>Referenced by</h2><ul>"
                         + "".join(f"<li>{self.link(s)} — {self.link(p)}</li>" for s, p in incoming) + "</ul>")
        return self.page(label, "".join(parts))


def write_docs(graph: Graph, directory: str | os.PathLike, *, timeout: float | None = None,
               sources: str | os.PathLike | None = None) -> list[Path]:
    """Write ``index.html`` and one page per term into ``directory`` (created if missing); return the paths.

    A cited source shows its locators (``@start–end``); the sentences they point at are quoted only when
    ``sources``, the source documents' folder, is given.

    Every page is built before the first is written, within ``timeout`` seconds (the guard's default when
    None); then all are written or none (:func:`genai_kg.fileio.write_folder_atomic`), never through a
    symlink inside the folder.

    Examples
    --------
    >>> import tempfile
    >>> g = Graph().parse(data='@prefix gkg: <https://w3id.org/genai-kg/> . '
    ...     '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . gkg:A rdfs:label "A <b>" .', format="turtle")
    >>> sorted(p.name for p in write_docs(g, tempfile.mkdtemp()))
    ['A.html', 'index.html']
    """
    folder = Path(directory)
    if folder.exists() and not folder.is_dir():
        raise GenaiKgError("cannot write documentation: it is a file", path=folder)
    with time_limit(timeout, where="docs"):
        site = _Site(graph, sources)
        pages = {"index.html": site.index()}
        pages.update((site.files[t], site.term_page(t)) for t in site.terms)
    return write_folder_atomic(folder, pages)
