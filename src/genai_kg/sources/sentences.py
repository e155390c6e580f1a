"""Splitting a plain-text document into sentences, deterministically, with code-point offsets.

Written for web articles saved as text: every non-blank line is a block (a heading, a table cell, a list item
or a paragraph), so a table cell and a list item are sentences of their own; a list item's bullet (``•``,
``-``, ``*``, ``✅``) and the line's indentation are not part of its sentence; a block is split after ``.``,
``!`` or ``?`` (and any closing quote or bracket) followed by white space and a capital, a digit or an opening
quote, except after a known abbreviation (``e.g.``, ``vs.``). Trailing white space is never part of a sentence.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["Sentence", "split_sentences"]

_BULLET = re.compile(r"(?:[•*✅-]|\d+[.)])\s+")
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")
_CLOSED = re.compile(r"[.!?][\"'”’)\]]*\W*$")
_ABBREVIATIONS = frozenset(
    {"e.g.", "i.e.", "etc.", "vs.", "Dr.", "Mr.", "Mrs.", "Ms.", "St.", "Inc.", "Ltd.", "cf.", "al."}
)
_LAST_WORD = re.compile(r"[\w.]+$")


class Sentence(NamedTuple):
    """One sentence: ``text[start:end]`` (end exclusive), its 1-based ``number`` in the document, and
    whether it is a whole line without closing punctuation (``heading``: a title, heading or table cell)."""

    start: int
    end: int
    number: int
    heading: bool


def _spans(line: str, offset: int):
    """Yield (start, end, heading) for the sentences of one line starting at ``offset`` in the document."""
    stripped = line.rstrip()
    begin = len(line) - len(line.lstrip())
    bullet = _BULLET.match(stripped, begin)
    if bullet and bullet.end() < len(stripped):
        begin = bullet.end()
    if begin >= len(stripped):
        return
    pieces = []
    start = begin
    for match in _BOUNDARY.finditer(stripped, begin):
        end = match.end()
        word = _LAST_WORD.search(stripped, 0, end)
        if word and word.group() in _ABBREVIATIONS:
            continue
        pieces.append((start, end))
        start = end + len(stripped[end:]) - len(stripped[end:].lstrip())
    pieces.append((start, len(stripped)))
    heading = len(pieces) == 1 and not _CLOSED.search(stripped)
    for start, end in pieces:
        yield offset + start, offset + end, heading


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` in order; offsets are code points into ``text`` as given."""
    sentences: list[Sentence] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        content = line.rstrip("\r\n")
        for start, end, heading in _spans(content, offset):
            sentences.append(Sentence(start, end, len(sentences) + 1, heading))
        offset += len(line)
    return sentences
