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
_SPACES = re.compile(r"\s*")
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")
_ABBREVIATIONS = frozenset(
    {"e.g.", "i.e.", "etc.", "vs.", "Dr.", "Mr.", "Mrs.", "Ms.", "St.", "Inc.", "Ltd.", "cf.", "al."}
)
_LONGEST_ABBREVIATION = max(map(len, _ABBREVIATIONS))


def _word_char(ch: str) -> bool:
    """``\\w`` (letters, digits, underscore, as ``re`` reads them) or ``.``."""
    return ch.isalnum() or ch in "_."


def _last_word(line: str, end: int) -> str:
    """The run of word characters and dots ending at ``end`` (``[\\w.]+$`` up to ``end``), if no longer than
    an abbreviation; else "" . Read backwards from ``end``: a search from the line's start for each boundary
    was quadratic (a 60 KB line of ``A. A. ...`` took 30 s)."""
    start = end
    while start > 0 and end - start <= _LONGEST_ABBREVIATION and _word_char(line[start - 1]):
        start -= 1
    return line[start:end] if end - start <= _LONGEST_ABBREVIATION else ""


def _closed(line: str) -> bool:
    """Whether ``line`` ends with ``.``, ``!`` or ``?`` and then only closing quotes, brackets or other
    characters that are not word characters (the regex ``[.!?]["'”’)\\]]*\\W*$``, which a search made
    quadratic on a line of dots or ``!``): true when its trailing run of non-word characters holds one."""
    for ch in reversed(line):
        if ch.isalnum() or ch == "_":
            return False
        if ch in ".!?":
            return True
    return False


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
        if _last_word(stripped, end) in _ABBREVIATIONS:
            continue
        pieces.append((start, end))
        spaces = _SPACES.match(stripped, end)  # not stripped[end:].lstrip(): a copy per boundary
        start = spaces.end() if spaces else end
    pieces.append((start, len(stripped)))
    heading = len(pieces) == 1 and not _closed(stripped)
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
