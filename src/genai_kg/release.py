"""Release artefacts, ODK style: the ontology in every syntax, full and base, its mappings and release notes.

A release folder holds ``genai-kg-full.*`` (the bundled modules merged in one document: the domain ontology
and the presentation module) and ``genai-kg-base.*`` (the domain module alone), each as RDF/XML (``.owl``),
OWL functional syntax (``.ofn``), Turtle (``.ttl``) and JSON-LD (``.jsonld``); the SSSOM mapping sets; and
``release-notes.md`` / ``.json``, the :mod:`genai_kg.diff` of the full graph against the prior release.
Every ontology header is stamped with the release: ``owl:versionIRI <ONTOLOGY/releases/VERSION>``,
``owl:versionInfo "VERSION"`` and ``owl:priorVersion`` the prior release's version IRI. The same VERSION of
the same graph gives the same bytes (the exports' stable blank-node labels and order).
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from .diff import Diff, diff_graphs
from .errors import DataError, ParameterError, clipped
from .export import serialize_graph
from .fileio import write_folder_atomic
from .paths import ONTOLOGY_DIR
from .vocab import OWL, RDF

__all__ = ["Release", "read_version", "write_release", "REPOSITORY"]

#: The repository whose ``ontology/`` folder ``git:REV`` reads (a checkout; absent from an installed wheel).
REPOSITORY = ONTOLOGY_DIR.parent
_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,63}")
#: artefact suffix -> the export format that writes it
SYNTAXES = {"owl": "xml", "ofn": "ofn", "ttl": "ttl", "jsonld": "json-ld"}


@dataclass(frozen=True)
class Release:
    """What :func:`write_release` wrote: the folder, its files and the notes' diff."""

    directory: Path
    files: list[Path]
    notes: Diff


def read_version(spec: str, *, argument: str = "old") -> Graph:
    """The graph a version names: ``git:REV`` (this repository's ``ontology/`` at that commit, the shapes
    left out), a release folder (its ``genai-kg-full.ttl``), an ``ontology/`` folder (its Turtle files but
    the shapes) or one RDF file."""
    if spec.startswith("git:"):
        return _from_git(spec[4:], argument=argument)
    path = Path(spec)
    try:  # an empty text is no version (Path("") is the current folder); a name too long is no file
        kind = "" if not spec else "dir" if path.is_dir() else "file" if path.is_file() else ""
    except (OSError, ValueError):
        kind = ""
    if kind == "dir":
        full = path / "genai-kg-full.ttl"
        files = [full] if full.is_file() else sorted(p for p in path.glob("*.ttl") if p.name != "shapes.ttl")
        if not files:
            raise DataError("holds neither genai-kg-full.ttl nor Turtle files of an ontology", path=path)
    elif kind == "file":
        files = [path]
    else:
        raise ParameterError(f"{clipped(spec)!r} is neither a file, a folder nor git:REV", argument=argument)
    from .graph import load

    return load(files, bundled=False, store="memory").graph


def _from_git(rev: str, *, argument: str) -> Graph:
    """This repository's ontology at commit ``rev`` (trusted: the project's own history)."""

    def git(*args: str) -> str:
        try:
            done = subprocess.run(["git", "-C", str(REPOSITORY), *args], capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ParameterError(f"git:{rev}: cannot run git ({exc})", argument=argument) from None
        if done.returncode != 0:
            message = (done.stderr.strip().splitlines() or ["failed"])[-1]
            raise ParameterError(f"git:{rev}: {message}", argument=argument)
        return done.stdout

    if rev.startswith("-") or not rev:
        raise ParameterError(f"git:{rev}: not a revision", argument=argument)
    names = [n for n in git("ls-tree", "--name-only", f"{rev}:ontology").split() if n.endswith(".ttl")]
    graph = Graph()
    for name in sorted(n for n in names if n != "shapes.ttl"):
        graph.parse(data=git("show", f"{rev}:ontology/{name}"), format="turtle")
    return graph


def _stamped(graph: Graph, version: str, prior: Graph | None) -> Graph:
    """A copy of ``graph`` whose ontology headers carry the release's version IRI, version and prior version."""
    out = Graph(bind_namespaces="none")
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace, override=True)
    ontologies = set(graph.subjects(RDF.type, OWL.Ontology))
    stamps = (OWL.versionIRI, OWL.versionInfo, OWL.priorVersion)
    out += (t for t in graph if not (t[0] in ontologies and t[1] in stamps))
    for onto in ontologies:
        iri = URIRef(f"{onto}/releases/{version}")
        before = prior.value(onto, OWL.versionIRI) if prior is not None else graph.value(onto, OWL.priorVersion)
        if before is None and prior is None:
            before = graph.value(onto, OWL.versionIRI)
        out.add((onto, OWL.versionIRI, iri))
        out.add((onto, OWL.versionInfo, Literal(version)))
        if before is not None and before != iri:
            out.add((onto, OWL.priorVersion, before))
    return out


def write_release(version: str, directory: str | Path, *, prior: str | None = None) -> Release:
    """Write the release ``version`` of the bundled ontology into ``directory`` (all files or none).

    ``prior`` names the release before (a release folder, a file or ``git:REV``); the release notes are the
    diff against it, and its version IRI becomes ``owl:priorVersion``. Without it, the notes list everything
    as added and the header's own ``owl:priorVersion`` is kept.
    """
    if not _VERSION.fullmatch(version):
        raise ParameterError(
            f"{version!r} is not a version: letters, digits, '.', '_' and '-' (e.g. 2026-12-07)", argument="version"
        )
    from .graph import load

    kg = load(store="memory")
    before = read_version(prior, argument="prior") if prior else None
    full = _stamped(kg._one_document(), version, before)
    base = _stamped(kg.domain_graph(), version, before)
    files: dict[str, str] = {}
    for name, graph in (("full", full), ("base", base)):
        for suffix, fmt in SYNTAXES.items():
            files[f"genai-kg-{name}.{suffix}"] = serialize_graph(graph, fmt)
    for mapping in sorted(ONTOLOGY_DIR.glob("mappings*.sssom.tsv")):
        files[mapping.name] = mapping.read_text(encoding="utf-8")
    notes = diff_graphs(before if before is not None else Graph(), full,
                        old_name=prior or "nothing (first release)", new_name=f"release {version}")
    files["release-notes.md"] = notes.to_markdown()
    files["release-notes.json"] = notes.to_json()
    written = write_folder_atomic(directory, files)
    return Release(Path(directory), written, notes)
