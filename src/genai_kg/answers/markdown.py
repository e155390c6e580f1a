"""A GitHub-flavoured Markdown table: every row one line, and no cell that a Markdown page would obey.

A cell's line breaks (CR, LF, U+2028, U+2029) fold into spaces, ``|`` is escaped, and ``<``, ``>`` and
``&`` are written as entities, so a label such as ``<img src=x onerror=...>`` shows as text and never
becomes HTML where the Markdown is rendered.

>>> markdown_table(["a"], [["x | <b>\\r\\ny"]])
'| a |\\n|---|\\n| x \\\\| &lt;b&gt; y |\\n'
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..answer_form import Answer
from .shown import shown_rows

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph
    from rdflib.namespace import NamespaceManager

__all__ = ["render", "markdown_table", "md_cell"]

_BREAKS = re.compile("\r\n|[\r\n\u2028\u2029\x0b\x0c\x85]")
_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "\\|"})


def md_cell(text: str) -> str:
    """One cell: breaks folded into spaces, ``|`` escaped, ``<``, ``>``, ``&`` as entities."""
    return _BREAKS.sub(" ", text).translate(_ENTITIES)


def markdown_table(names: list[str], rows: list[list[str]]) -> str:
    """A table of ``rows`` under the headers ``names``."""
    lines = ["| " + " | ".join(md_cell(n) for n in names) + " |", "|" + "|".join("---" for _ in names) + "|"]
    lines += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def render(
    answer: Answer, name: str = "md", *, prefixes: NamespaceManager | None = None, labels: Graph | None = None,
    **_options: Any,
) -> str:
    if answer.kind == "ask":
        return ("true" if answer.boolean else "false") + "\n"
    columns, rows, _unit = shown_rows(answer, prefixes=prefixes, labels=labels)
    return markdown_table(columns, rows)
