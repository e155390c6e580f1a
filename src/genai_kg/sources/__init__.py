"""The source documents that claims are anchored to (issue 21): read from a folder the user names.

A minimal stand-in for the ``sources`` package (its ``check`` and ``coverage`` are built on another branch):
only :func:`read_documents`, which the views call to show anchored sentences.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import DataError

__all__ = ["read_documents"]

#: Documents larger than this are refused (the three source documents are tens of kilobytes).
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024


def read_documents(directory: str | os.PathLike) -> dict[str, str]:
    """File name -> UTF-8 text of each ``*.txt`` document in ``directory`` (not recursive).

    Offsets of ``oa:TextPositionSelector`` count Unicode code points of this text, so it is read as is:
    no newline translation, no normalisation.
    """
    folder = Path(directory)
    if not folder.is_dir():
        raise DataError("not a folder of source documents", path=folder, argument="sources")
    found: dict[str, str] = {}
    for path in sorted(folder.glob("*.txt")):
        if not path.is_file():
            continue
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            raise DataError(f"larger than {MAX_DOCUMENT_BYTES:,} bytes", path=path, argument="sources")
        try:
            found[path.name] = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DataError(f"not UTF-8 text (byte {exc.start})", path=path, argument="sources") from exc
    return found
