"""The set-aside file: source sentences that anchor no claim, each with a reason from a fixed list.

A tab-separated file with the header ``file sha256 start end reason detail``; a sentence is named by its
document's file and SHA-256 and its offsets, never by its text. Reasons: ``marketing-or-navigation``,
``rhetorical-or-question``, ``repeats`` (detail: the start offset of the sentence it repeats, in the same
document) and ``out-of-scope`` (detail: why). Lines starting with ``#`` are comments.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from ..errors import DataError
from ..fileio import read_regular
from ..paths import ONTOLOGY_DIR

__all__ = ["REASONS", "SetAside", "read_set_aside", "BUNDLED_SET_ASIDE"]

REASONS = ("marketing-or-navigation", "rhetorical-or-question", "repeats", "out-of-scope")
HEADER = ("file", "sha256", "start", "end", "reason", "detail")
#: The project's own set-aside file, shipped and reviewed with the ontology.
BUNDLED_SET_ASIDE = ONTOLOGY_DIR / "set-aside.tsv"


class SetAside(NamedTuple):
    """One set-aside sentence: where it is, why, and the line of the file that says so."""

    file: str
    sha256: str
    start: int
    end: int
    reason: str
    detail: str
    path: str
    line: int


def read_set_aside(path: str | Path) -> list[SetAside]:
    """Read a set-aside file; a malformed line raises DataError naming the file and line."""
    path = Path(path)
    try:  # a regular file only, up to its size: a FIFO would hang, /dev/zero fill memory
        lines = read_regular(path).decode("utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise DataError(f"the set-aside file is not UTF-8 text (byte {exc.start})", path=path) from None
    rows: list[SetAside] = []
    header_seen = False
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if not header_seen:
            if tuple(cells) != HEADER:
                raise DataError(f"the header must be {' '.join(HEADER)} (tab-separated)", path=path, line=number)
            header_seen = True
            continue
        if len(cells) != len(HEADER):
            raise DataError(f"expected {len(HEADER)} tab-separated cells, found {len(cells)}", path=path, line=number)
        file, sha, start, end, reason, detail = cells
        if not (start.isdigit() and end.isdigit()):
            raise DataError("start and end must be non-negative integers", path=path, line=number)
        if reason not in REASONS:
            raise DataError(f"reason {reason!r} is not one of {', '.join(REASONS)}", path=path, line=number)
        if reason == "repeats" and not detail.isdigit():
            message = "a 'repeats' line names the start offset of the sentence it repeats"
            raise DataError(message, path=path, line=number)
        if reason == "out-of-scope" and not detail.strip():
            raise DataError("an 'out-of-scope' line says why in its detail", path=path, line=number)
        rows.append(SetAside(file, sha.lower(), int(start), int(end), reason, detail, str(path), number))
    return rows
