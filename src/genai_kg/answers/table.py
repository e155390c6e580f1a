"""A table a person reads in a terminal: as wide as the terminal (80 columns when it cannot say), long
cells wrapped inside their column, nothing cut, and the count of rows under it.

Drawn by rich (imported here, when a table is printed, never by ``--help``). Cells are text, never rich
markup (a label ``[bold]`` shows as typed), control characters are written as escapes, and a word longer
than its column folds onto the next line instead of being cut.
"""

from __future__ import annotations

import io
import shutil
from typing import TYPE_CHECKING, Any

from ..answer_form import Answer
from ..guard.output import escape_controls
from .shown import shown_rows

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph
    from rdflib.namespace import NamespaceManager

__all__ = ["render", "text_table", "terminal_width"]


def terminal_width() -> int:
    """The terminal's width (``COLUMNS`` first, as the shell sets it), 80 when there is none."""
    return shutil.get_terminal_size((80, 24)).columns


def text_table(
    names: list[str], rows: list[list[str]], *, total: int | None = None, unit: str = "row", width: int | None = None
) -> str:
    """``rows`` under the headers ``names``, fitted to ``width`` columns, and the count of rows.

    ``total`` is the number of rows in all when ``rows`` holds only the first of them; ``unit`` names them.

    >>> print(text_table(["a", "b"], [["1", "x"]], width=40), end="")
    a   b
    ─────
    1   x
    (1 row)
    """
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="", expand=False)
    for name in names:
        table.add_column(Text(escape_controls(name)), overflow="fold")
    for row in rows:
        table.add_row(*(Text(escape_controls(cell, keep="\n")) for cell in row))
    out = io.StringIO()
    console = Console(
        file=out, width=width or terminal_width(), color_system=None, force_terminal=False, highlight=False,
        markup=False, emoji=False, legacy_windows=False, no_color=True, force_jupyter=False,  # text, even in Jupyter
    )
    if names:
        console.print(table)
    lines = [line.rstrip() for line in out.getvalue().split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    count = len(rows) if total is None else total
    shown = f"showing {len(rows)} of " if count != len(rows) else ""
    return "\n".join(lines + [f"({shown}{count:,} {unit}{'s' if count != 1 else ''})"]) + "\n"


def render(
    answer: Answer, name: str = "table", *, prefixes: NamespaceManager | None = None, labels: Graph | None = None,
    width: int | None = None, **_options: Any,
) -> str:
    if answer.kind == "ask":
        return ("true" if answer.boolean else "false") + "\n"
    columns, rows, unit = shown_rows(answer, prefixes=prefixes, labels=labels)
    return text_table(columns, rows, unit=unit, width=width)
