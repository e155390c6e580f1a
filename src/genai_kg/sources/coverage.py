"""Which claims each sentence of each source document anchors, and whether every sentence is accounted for.

A sentence is accounted for when a locator overlaps it or the set-aside file names it (with a reason). A
set-aside line that names no sentence, or a sentence that also anchors a claim, is a problem, as is a
``repeats`` line whose repeated sentence anchors nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from .check import DocumentText, claim_text
from .documents import document_hashes, read_documents
from .locators import citations, source_documents
from .setaside import SetAside

__all__ = ["SentenceCoverage", "DocumentCoverage", "CoverageReport", "coverage"]


@dataclass
class SentenceCoverage:
    """One sentence: offsets, number, the claims anchored in it, and its set-aside line if any."""

    number: int
    start: int
    end: int
    claims: list[str] = field(default_factory=list)
    set_aside: SetAside | None = None
    repeats: int | None = None  # the number of the sentence a "repeats" line names

    @property
    def accounted(self) -> bool:
        return bool(self.claims) or self.set_aside is not None


@dataclass
class DocumentCoverage:
    """A document's sentences in order, with its file name, label and text."""

    file: str
    label: str
    text: str
    sentences: list[SentenceCoverage]

    @property
    def accounted(self) -> int:
        return sum(s.accounted for s in self.sentences)


@dataclass
class CoverageReport:
    """Per document coverage and the problems found (set-aside lines that do not hold, changed documents)."""

    documents: list[DocumentCoverage] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(d.sentences) for d in self.documents)

    @property
    def accounted(self) -> int:
        return sum(d.accounted for d in self.documents)

    @property
    def ok(self) -> bool:
        return not self.problems and self.accounted == self.total


def coverage(graph: Graph, directory: str | Path, set_aside: Sequence[SetAside] = ()) -> CoverageReport:
    """Split every document the graph names (by ``gkg:sourceFile``) that is in ``directory`` into sentences
    and attach to each the claims whose locators overlap it and its set-aside line."""
    from ..vocab import label

    documents = source_documents(graph)
    raw = read_documents(directory)
    hashes = document_hashes(directory)
    report = CoverageReport()
    by_file: dict[str, DocumentCoverage] = {}
    texts: dict[str, DocumentText] = {}
    for node, doc in sorted(documents.items(), key=lambda kv: kv[1].file):
        if doc.file not in raw:
            continue  # a document of another folder (check reports which are missing)
        if doc.sha256 is not None and doc.sha256.lower() != hashes[doc.file]:
            report.problems.append(f"{doc.file}: SHA-256 differs from gkg:sha256 (the document changed)")
        texts[doc.file] = DocumentText.of(raw[doc.file])
        sentences = [SentenceCoverage(s.number, s.start, s.end) for s in texts[doc.file].sentences]
        by_file[doc.file] = DocumentCoverage(doc.file, label(graph, node), raw[doc.file], sentences)
    for cite in citations(graph, documents):
        file = documents[cite.document].file
        if file not in by_file:
            continue
        claim = claim_text(graph, cite.claim)
        index = {s.number: s for s in by_file[file].sentences}
        for loc in cite.locators:
            if loc.start is None or loc.end is None:
                continue
            for sentence in texts[file].covered(loc.start, loc.end):
                claims = index[sentence.number].claims
                if claim not in claims:
                    claims.append(claim)
    _apply_set_aside(set_aside, by_file, texts, hashes, report)
    report.documents = [by_file[f] for f in sorted(by_file)]
    return report


def _apply_set_aside(rows, by_file, texts, hashes, report) -> None:
    for row in rows:
        where = f"{row.path}: line {row.line}"
        if row.file not in by_file:
            continue  # another folder's document
        if row.sha256 != hashes[row.file]:
            report.problems.append(f"{where}: {row.file} has changed since the line was written (SHA-256 differs)")
            continue
        text = texts[row.file]
        sentence = text.starts.get(row.start)
        if sentence is None or sentence.end != row.end:
            report.problems.append(f"{where}: {row.start}-{row.end} is not a sentence of {row.file}")
            continue
        entry = by_file[row.file].sentences[sentence.number - 1]
        if entry.set_aside is not None:
            report.problems.append(f"{where}: sentence {sentence.number} is set aside twice")
        if entry.claims:
            report.problems.append(f"{where}: sentence {sentence.number} anchors claims; it is not to be set aside")
        entry.set_aside = row
        if row.reason == "repeats":
            repeated = text.starts.get(int(row.detail))
            if repeated is None or repeated.number == sentence.number:
                report.problems.append(f"{where}: 'repeats' names no other sentence at offset {row.detail}")
            else:
                entry.repeats = repeated.number
                if not by_file[row.file].sentences[repeated.number - 1].claims:
                    report.problems.append(f"{where}: the repeated sentence {repeated.number} anchors no claim")
