"""Reading the source documents: their text exactly as the files hold it, and each file's SHA-256."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

import hashlib
import os
from pathlib import Path

from ..errors import DataError
from ..fileio import read_regular

__all__ = ["read_documents", "document_hashes", "documents_by_node"]


def _files(directory) -> list[Path]:
    folder = Path(directory)
    if not folder.is_dir():
        raise DataError("not a folder of source documents", path=folder)
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def read_documents(directory: str | os.PathLike[str]) -> dict[str, str]:
    """Map each file name in ``directory`` to its text decoded as UTF-8, unchanged (no newline or Unicode
    normalisation), so that locators' code-point offsets index it directly."""
    documents = {}
    for path in _files(directory):
        try:
            documents[path.name] = read_regular(path).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DataError(f"not UTF-8 text (byte {exc.start})", path=path) from None
        except OSError as exc:
            raise DataError(f"cannot read: {exc.strerror}", path=path) from None
    return documents


def document_hashes(directory: str | os.PathLike[str]) -> dict[str, str]:
    """Map each file name in ``directory`` to the hex SHA-256 of its bytes (what ``gkg:sha256`` records)."""
    hashes = {}
    for path in _files(directory):
        try:
            hashes[path.name] = hashlib.sha256(read_regular(path)).hexdigest()
        except OSError as exc:
            raise DataError(f"cannot read: {exc.strerror}", path=path) from None
    return hashes


def documents_by_node(graph: Graph, directory: str | os.PathLike[str]) -> dict[str, str]:
    """{document IRI: text} for every document the graph names (``gkg:sourceFile``) that ``directory`` holds.

    A document whose file differs from its recorded ``gkg:sha256`` raises DataError: its offsets would point at
    the wrong text.
    """
    from .locators import source_documents

    texts = read_documents(directory)
    hashes = document_hashes(directory)
    found = {}
    for node, doc in source_documents(graph).items():
        if doc.file not in texts:
            continue
        if doc.sha256 is not None and doc.sha256.lower() != hashes[doc.file]:
            raise DataError(f"{doc.file} differs from its recorded gkg:sha256", path=directory)
        found[str(node)] = texts[doc.file]
    return found
