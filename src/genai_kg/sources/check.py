"""Resolving every locator of a graph against the documents in a folder, and listing what does not hold."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph
from rdflib.namespace import OWL

from ..vocab import label
from .documents import document_hashes, read_documents
from .locators import Citation, Document, Locator, citations, source_documents
from .sentences import Sentence, split_sentences

__all__ = ["CheckReport", "check", "claim_text", "DocumentText"]


@dataclass
class DocumentText:
    """A document's text as read, its sentences and its boundaries (for locating offsets quickly)."""

    text: str
    sentences: list[Sentence]
    starts: dict[int, Sentence] = field(default_factory=dict)
    ends: dict[int, Sentence] = field(default_factory=dict)

    @classmethod
    def of(cls, text: str) -> DocumentText:
        sentences = split_sentences(text)
        return cls(text, sentences, {s.start: s for s in sentences}, {s.end: s for s in sentences})

    def covered(self, start: int, end: int) -> list[Sentence]:
        """The sentences that overlap ``[start, end)``."""
        first = bisect.bisect_right([s.end for s in self.sentences], start)
        out = []
        for sentence in self.sentences[first:]:
            if sentence.start >= end:
                break
            out.append(sentence)
        return out


@dataclass
class CheckReport:
    """``rows``: one per locator (claim, source, file, section, start, end, sentence numbers, text);
    ``problems``: one line per locator, section or document that does not hold; ``ok`` when there are none;
    ``missing``: the files of documents the graph names that are not in the folder (their locators are not
    checked, so that users can check their own documents without the bundled ones)."""

    rows: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # documents the graph names that the folder lacks

    @property
    def ok(self) -> bool:
        return not self.problems


def _term_text(graph: Graph, term) -> str:
    if term is None:
        return "?"
    if isinstance(term, BNode):  # a class axiom's restriction: "(property value)"
        prop, value = graph.value(term, OWL.onProperty), graph.value(term, OWL.hasValue)
        if prop is not None and value is not None:
            return f"({label(graph, prop)} {label(graph, value)})"
    return label(graph, term)


def claim_text(graph: Graph, claim: tuple) -> str:
    """A claim as its three labels (a restriction as its property and value), for messages and tables."""
    return " ".join(_term_text(graph, term) for term in claim)


def _resolve(doc: DocumentText, loc: Locator) -> str | None:
    """Why ``loc`` does not resolve to whole sentences of ``doc``, or None when it does."""
    if loc.start is None or loc.end is None:
        return "oa:start or oa:end missing or not an integer"
    if not 0 <= loc.start < loc.end <= len(doc.text):
        return f"does not resolve (document has {len(doc.text)} characters)"
    if loc.start not in doc.starts:
        return "starts inside a sentence"
    if loc.end not in doc.ends:
        return "ends inside a sentence"
    return None


def _inside(loc: Locator, spans: list[Locator]) -> bool:
    if loc.start is None or loc.end is None:
        return False
    start, end = loc.start, loc.end
    return any(s.start is not None and s.end is not None and s.start <= start and end <= s.end for s in spans)


def _check_document(doc: Document, hashes: dict[str, str], texts: dict[str, DocumentText], problems: list[str]) -> bool:
    """Hash and sections of one document; False when its file is absent (its locators are not resolved)."""
    if doc.file not in texts:
        return False
    if doc.sha256 is None:
        problems.append(f"{doc.file}: the document node has no gkg:sha256")
    elif doc.sha256.lower() != hashes[doc.file]:
        problems.append(f"{doc.file}: SHA-256 differs from gkg:sha256 (the document changed)")
    for name, spans in sorted(doc.sections.items()):
        for span in spans:
            reason = _resolve(texts[doc.file], span)
            if reason:
                problems.append(f"{doc.file}: section {name!r} {span.start}-{span.end}: {reason}")
    return True


def check(graph: Graph, directory: str | Path) -> CheckReport:
    """Resolve every locator on every citation of a source document in ``graph`` against ``directory``."""
    documents = source_documents(graph)
    raw = read_documents(directory)
    hashes = document_hashes(directory)
    texts = {name: DocumentText.of(text) for name, text in raw.items()}
    report = CheckReport()
    present = {}
    for node, doc in sorted(documents.items(), key=lambda kv: kv[1].file):
        present[node] = _check_document(doc, hashes, texts, report.problems)
        if not present[node]:
            report.missing.append(doc.file)
    if documents and not any(present.values()):
        report.problems.append("none of the documents the graph names (gkg:sourceFile) is in the folder")
    for cite in citations(graph, documents):
        doc = documents[cite.document]
        if not present[cite.document]:
            continue
        _check_citation(graph, cite, doc, texts[doc.file], report)
    return report


def _check_citation(graph: Graph, cite: Citation, doc: Document, text: DocumentText, report: CheckReport) -> None:
    claim = claim_text(graph, cite.claim)
    where = f"{doc.file}: {claim}"
    if not cite.locators:
        report.problems.append(f"{where}: no oa:hasSelector on the citation")
        return
    spans = []
    for name in cite.sections:
        if name not in doc.sections:
            report.problems.append(f"{where}: section {name!r} is not declared on the document (gkg:hasSection)")
        spans.extend(doc.sections.get(name, []))
    for loc in cite.locators:
        reason = _resolve(text, loc)
        if reason is None and cite.sections and not _inside(loc, spans):
            reason = f"falls outside section {', '.join(repr(s) for s in cite.sections)}"
        if reason or loc.start is None or loc.end is None:  # _resolve gives a reason for a missing end
            report.problems.append(f"{where}: {loc.start}-{loc.end}: {reason}")
            continue
        covered = text.covered(loc.start, loc.end)
        report.rows.append(
            {
                "claim": claim,
                "source": label(graph, cite.document),
                "file": doc.file,
                "section": ", ".join(cite.sections),
                "start": loc.start,
                "end": loc.end,
                "sentences": ", ".join(str(s.number) for s in covered),
                "text": text.text[loc.start : loc.end],
            }
        )
