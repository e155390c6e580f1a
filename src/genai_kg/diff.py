"""What changed between two versions of the ontology, as a person reads it (ROBOT ``diff``'s question).

Both graphs get content-derived blank-node labels first (:func:`genai_kg.export.stable_labels`), so a claim's
``owl:Axiom`` has the same name in both and a triple-level difference is a real one. Every added or removed
triple is then given to one change a person recognises — a term added or removed, a label changed, a class
moved in the hierarchy, a claim added or removed, a source or anchor of a claim changed, a disagreement
added, a mapping or synonym changed — and :attr:`Diff.unexplained` keeps any triple no rule claimed (none
on this repository's history: tests/test_release.py checks it).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef

from .export import stable_labels
from .vocab import DCTERMS, GKG, OWL, RDF, RDFS, SKOS, SYNONYM_PREDICATES, local_name, pick_label

__all__ = ["Change", "Diff", "diff_graphs", "KINDS"]

#: The kinds of change, in the order a report lists them, with their headings.
KINDS = {
    "header": "Ontology header changed",
    "term-added": "Terms added",
    "term-removed": "Terms removed",
    "disagreement-added": "Disagreements added",
    "disagreement-removed": "Disagreements removed",
    "renamed": "Terms renamed (label changed)",
    "moved": "Classes moved in the hierarchy",
    "class-axiom": "Class axioms changed",
    "claim-added": "Claims added",
    "claim-removed": "Claims removed",
    "source-changed": "Sources of a claim changed",
    "anchor-changed": "Anchors of a claim changed (section, note, evidence, locator)",
    "mapping": "Mappings changed",
    "synonym": "Synonyms changed",
    "definition": "Definitions changed",
    "annotation": "Other annotations changed",
    "statement": "Uncited statements changed",
    "disjointness": "Disjointness changed",
}
_MAPPINGS = {SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch}
_ANNOTATED = (OWL.annotatedSource, OWL.annotatedProperty, OWL.annotatedTarget)
#: The W3C Web Annotation property from a citation to its locator (an oa:TextPositionSelector).
_HAS_SELECTOR = URIRef("http://www.w3.org/ns/oa#hasSelector")


@dataclass
class Change:
    """One change as a person reads it: its kind, the term it is about, and the triples it explains."""

    kind: str
    subject: str
    label: str
    detail: str
    added: int = 0
    removed: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "subject": self.subject, "label": self.label, "detail": self.detail,
                "triples_added": self.added, "triples_removed": self.removed}


@dataclass
class Diff:
    """The changes from ``old`` to ``new``; ``triples_added``/``removed`` count the raw difference."""

    old: str
    new: str
    changes: list[Change] = field(default_factory=list)
    triples_added: int = 0
    triples_removed: int = 0
    unexplained: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counted: dict[str, int] = defaultdict(int)
        for change in self.changes:
            counted[change.kind] += 1
        return {kind: counted[kind] for kind in KINDS if counted[kind]}

    def explained(self) -> int:
        return sum(c.added + c.removed for c in self.changes)

    def to_json(self) -> str:
        return json.dumps({
            "old": self.old, "new": self.new, "counts": self.counts(),
            "triples": {"added": self.triples_added, "removed": self.triples_removed,
                        "explained": self.explained(), "unexplained": len(self.unexplained)},
            "changes": [c.as_dict() for c in self.changes], "unexplained": self.unexplained,
        }, indent=2, ensure_ascii=False) + "\n"

    def to_markdown(self) -> str:
        lines = [f"# Changes from {self.old} to {self.new}", ""]
        if not self.changes and not self.unexplained:
            return "\n".join([*lines, "No changes.", ""])
        lines += ["| change | count |", "| --- | ---: |"]
        lines += [f"| {KINDS[k]} | {n} |" for k, n in self.counts().items()]
        lines += ["", f"{self.triples_added} triples added and {self.triples_removed} removed; "
                  f"{self.explained()} explained by the changes below, {len(self.unexplained)} not.", ""]
        for kind, heading in KINDS.items():
            items = sorted((c for c in self.changes if c.kind == kind), key=lambda c: (c.label.casefold(), c.detail))
            if items:
                lines += [f"## {heading} ({len(items)})", ""]
                lines += [f"- **{_md(c.label)}**" + (f": {_md(c.detail)}" if c.detail else "") for c in items]
                lines.append("")
        if self.unexplained:
            lines += ["## Not explained", "", *(f"- `{t}`" for t in self.unexplained), ""]
        return "\n".join(lines)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _relabelled(graph: Graph) -> Graph:
    labels = stable_labels(graph)
    out = Graph()
    for s, p, o in graph:
        out.add((labels.get(s, s), p, labels.get(o, o)))
    return out


def diff_graphs(old: Graph, new: Graph, *, old_name: str = "old", new_name: str = "new") -> Diff:
    """The changes from ``old`` to ``new``, every triple-level difference given to one change."""
    old, new = _relabelled(old), _relabelled(new)
    removed, added = set(old) - set(new), set(new) - set(old)
    result = _Explainer(old, new).explain(added, removed)
    result.old, result.new = old_name, new_name
    result.triples_added, result.triples_removed = len(added), len(removed)
    return result


class _Explainer:
    def __init__(self, old: Graph, new: Graph):
        self.old, self.new = old, new
        self.changes: dict[tuple[str, str, str], Change] = {}
        self.rescoped: dict = {}

    # -- naming ----------------------------------------------------------------------------------
    def label(self, term) -> str:
        if isinstance(term, Literal):
            return str(term)
        if isinstance(term, BNode):
            return str(term)
        for graph in (self.new, self.old):
            found = pick_label(graph.objects(term, RDFS.label))
            if found is not None:
                return str(found)
        return local_name(str(term))

    def record(self, kind: str, subject, detail: str, *, added: bool) -> None:
        key = (kind, str(subject), detail)
        change = self.changes.get(key)
        if change is None:
            change = self.changes[key] = Change(kind, str(subject), self.label(subject), detail)
        if added:
            change.added += 1
        else:
            change.removed += 1

    # -- the rules -------------------------------------------------------------------------------
    def explain(self, added: set, removed: set) -> Diff:
        unexplained = []
        pairs = self._label_pairs(added, removed)
        moves = self._moves(added, removed)
        self.rescoped = self._rescoped(added, removed)
        for triples, is_added in ((added, True), (removed, False)):
            for triple in sorted(triples, key=lambda t: tuple(map(str, t))):
                if not self._explain(triple, is_added, pairs, moves):
                    unexplained.append(" ".join(t.n3() for t in triple))
        order = list(KINDS)
        changes = sorted(self.changes.values(), key=lambda c: (order.index(c.kind), c.label.casefold(), c.detail))
        return Diff("", "", changes, unexplained=unexplained)

    def _label_pairs(self, added, removed) -> dict:
        """subject -> (old label, new label) where a term's label changed."""
        before = {s: o for s, p, o in removed if p == RDFS.label and (s, None, None) in self.new}
        after = {s: o for s, p, o in added if p == RDFS.label and (s, None, None) in self.old}
        return {s: (before.get(s), after.get(s)) for s in set(before) | set(after)}

    @staticmethod
    def _rescoped(added, removed) -> dict:
        """(term, synonym text) -> (old properties, new properties) where a synonym changed its scope."""
        before: defaultdict[tuple, set] = defaultdict(set)
        after: defaultdict[tuple, set] = defaultdict(set)
        for triples, into in ((removed, before), (added, after)):
            for s, p, o in triples:
                if p in SYNONYM_PREDICATES:
                    into[(s, str(o))].add(local_name(str(p)))
        return {k: (sorted(before[k]), sorted(after[k])) for k in set(before) & set(after)}

    def _moves(self, added, removed) -> dict:
        before = defaultdict(set)
        after = defaultdict(set)
        for s, p, o in removed:
            if p == RDFS.subClassOf and isinstance(o, URIRef) and (s, None, None) in self.new:
                before[s].add(o)
        for s, p, o in added:
            if p == RDFS.subClassOf and isinstance(o, URIRef) and (s, None, None) in self.old:
                after[s].add(o)
        return {s: (sorted(before[s]), sorted(after[s])) for s in set(before) | set(after)}

    def _graph(self, is_added: bool) -> Graph:
        return self.new if is_added else self.old

    def _explain(self, triple, is_added: bool, pairs: dict, moves: dict) -> bool:
        s, p, o = triple
        graph = self._graph(is_added)
        other = self.old if is_added else self.new
        if isinstance(s, BNode):
            return self._explain_blank(triple, is_added)
        if (s, RDF.type, OWL.Ontology) in graph:
            self.record("header", s, local_name(str(p)), added=is_added)
            return True
        if (s, None, None) not in other:  # the whole term is new, or gone
            is_disagreement = (s, RDF.type, GKG.Disagreement) in graph
            kind = ("disagreement-" if is_disagreement else "term-") + ("added" if is_added else "removed")
            self.record(kind, s, self._kind_of(s, graph), added=is_added)
            return True
        if p == RDFS.label and s in pairs:
            old_label, new_label = pairs[s]
            self.record("renamed", s, f"{old_label!s} -> {new_label!s}", added=is_added)
            return True
        if p == RDFS.subClassOf and isinstance(o, URIRef) and s in moves:
            before, after = moves[s]
            old_parents = ", ".join(map(self.label, before)) or "(none)"
            detail = f"from {old_parents} to {', '.join(map(self.label, after)) or '(none)'}"
            self.record("moved", s, detail, added=is_added)
            return True
        cited = self._axiom_of(graph, triple) is not None or self._axiom_of(other, triple) is not None
        if cited and (s, p, o) not in other:
            verb = "claim-added" if is_added else "claim-removed"
            self.record(verb, s, f"{self.label(p)} {self.label(o)}", added=is_added)
            return True
        if p == RDFS.subClassOf and isinstance(o, BNode):
            self.record("class-axiom", s, "a restriction", added=is_added)
            return True
        if p in _MAPPINGS:
            self.record("mapping", s, f"{local_name(str(p))} {o}", added=is_added)
            return True
        if p in SYNONYM_PREDICATES and (s, str(o)) in self.rescoped:
            before, after = self.rescoped[(s, str(o))]
            self.record("synonym", s, f"\"{o}\" {', '.join(before)} -> {', '.join(after)}", added=is_added)
            return True
        if p in SYNONYM_PREDICATES:
            self.record("synonym", s, f"{'+' if is_added else '-'} {local_name(str(p))} \"{o}\"", added=is_added)
            return True
        if p == SKOS.definition:
            self.record("definition", s, "", added=is_added)
            return True
        annotation = (p, RDF.type, OWL.AnnotationProperty) in graph or p in (DCTERMS.source, RDFS.seeAlso, SKOS.note)
        if isinstance(o, Literal) or annotation:
            self.record("annotation", s, local_name(str(p)), added=is_added)
            return True
        if p == OWL.disjointWith:
            self.record("disjointness", s, self.label(o), added=is_added)
            return True
        self.record("statement", s, f"{self.label(p)} {self.label(o)}", added=is_added)
        return True

    def _kind_of(self, term, graph: Graph) -> str:
        kinds = sorted(self.label(t) for t in graph.objects(term, RDF.type) if t != OWL.NamedIndividual)
        return ", ".join(kinds)

    @staticmethod
    def _axiom_of(graph: Graph, triple):
        s, p, o = triple
        for ax in graph.subjects(OWL.annotatedSource, s):
            if (ax, OWL.annotatedProperty, p) in graph and (ax, OWL.annotatedTarget, o) in graph:
                return ax
        return None

    def _explain_blank(self, triple, is_added: bool) -> bool:
        s, p, o = triple
        graph = self._graph(is_added)
        other = self.old if is_added else self.new
        parts = [graph.value(s, q) for q in _ANNOTATED]
        if (s, RDF.type, OWL.Axiom) in graph or (all(parts) and not isinstance(parts[0], BNode)):
            claim = tuple(parts)
            if None in claim:
                return False
            whole = (s, None, None) not in other
            if whole:  # the axiom node comes or goes with its claim, or the claim lost or gained its citation
                stated = claim in (self.new if is_added else self.old)
                kind = ("claim-added" if is_added else "claim-removed") if stated else "source-changed"
                self.record(kind, claim[0], f"{self.label(claim[1])} {self.label(claim[2])}", added=is_added)
            elif p == DCTERMS.source:
                self.record("source-changed", claim[0], f"{self.label(claim[1])} {self.label(claim[2])}: "
                            f"{'+' if is_added else '-'} {self.label(o)}", added=is_added)
            else:
                self.record("anchor-changed", claim[0], f"{self.label(claim[1])} {self.label(claim[2])}: "
                            f"{local_name(str(p))}", added=is_added)
            return True
        if all(parts) and isinstance(parts[0], BNode):  # a nested annotation: one source's section, note, ...
            axiom = parts[0]
            claim = tuple(graph.value(axiom, q) for q in _ANNOTATED)
            if None in claim:
                claim = tuple(other.value(axiom, q) for q in _ANNOTATED)
            if None in claim:
                return False
            self.record("anchor-changed", claim[0], f"{self.label(claim[1])} {self.label(claim[2])}: "
                        f"{self.label(parts[2])}", added=is_added)
            return True
        for citation in graph.subjects(_HAS_SELECTOR, s):  # a locator of a citation: where a source says it
            cited = graph.value(citation, OWL.annotatedSource)
            claim = tuple(graph.value(cited, q) for q in _ANNOTATED) if cited is not None else (None,)
            if None in claim and cited is not None:
                claim = tuple(other.value(cited, q) for q in _ANNOTATED)
            if None not in claim:
                self.record("anchor-changed", claim[0], f"{self.label(claim[1])} {self.label(claim[2])}: "
                            f"locator {local_name(str(p))}", added=is_added)
                return True
        owner = self._owner(graph, s)
        if owner is None:
            if (s, RDF.type, OWL.AllDisjointClasses) in graph or p in (OWL.members, RDF.first, RDF.rest):
                self.record("disjointness", URIRef(str(OWL.AllDisjointClasses)), "the kinds' disjointness",
                            added=is_added)
                return True
            return False
        self.record("class-axiom", owner, "a restriction or list", added=is_added)
        return True

    @staticmethod
    def _owner(graph: Graph, node):
        """The IRI whose axiom a blank node is part of (through lists, nested restrictions and the axiom
        annotation that cites it), found breadth-first over the triples pointing at it."""
        seen, frontier = {node}, [node]
        while frontier:
            parents = [s for n in frontier for s in graph.subjects(None, n)]
            named = sorted(p for p in parents if isinstance(p, URIRef))
            if named:
                return named[0]
            frontier = [p for p in parents if p not in seen]
            seen.update(frontier)
        return None
