"""Progress on long work (reading big files, drawing big views): a bar on stderr in a terminal, a widget in
Jupyter, nothing when stderr goes to a file or a pipe unless the caller asks.

The bars are tqdm's (``tqdm.auto`` picks the Jupyter widget inside a kernel), imported only when a bar is
shown, so short work and ``import genai_kg`` never pay for them.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["PROGRESS_MIN_BYTES", "PROGRESS_MIN_TRIPLES", "wanted", "bar", "say", "CountingReader", "Bar"]

#: Files smaller than this (in all) load in about a second on either store: no bar unless asked.
PROGRESS_MIN_BYTES = 4_000_000
#: Whole-graph views of graphs smaller than this draw in about a second: no bar unless asked.
PROGRESS_MIN_TRIPLES = 50_000


def _interactive() -> bool:
    """True in a Jupyter kernel, or when stderr is a terminal (where a bar is read, not logged)."""
    if "ipykernel" in sys.modules:
        return True
    try:
        return bool(sys.stderr) and sys.stderr.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False


def wanted(progress: bool | None, size: int = 0, threshold: int = PROGRESS_MIN_BYTES) -> bool:
    """Whether to show a bar: ``progress`` when given (True/False), else for big work where someone watches.

    >>> wanted(True), wanted(False, 10**9), wanted(None, 10)
    (True, False, False)
    """
    if progress is not None:
        return bool(progress)
    return size >= threshold and _interactive()


def say(text: str, progress: bool | None = None) -> None:
    """One line on stderr about what loading did (a store filled, reused or reloaded, memory it will take).

    Said whether or not stderr is a terminal, since it explains time spent or saved; ``progress=False``
    (``--no-progress``) keeps it quiet.
    """
    if progress is False or not sys.stderr:
        return
    try:
        print(text, file=sys.stderr, flush=True)
    except (OSError, ValueError):  # a closed or broken stderr must not fail the load
        pass


class Bar:
    """A progress bar, or nothing: ``update``, ``step`` and ``note`` do nothing when the bar is off."""

    def __init__(self, bar: Any = None):
        self._bar = bar

    def __bool__(self) -> bool:
        return self._bar is not None

    def update(self, n: int) -> None:
        if self._bar is not None and n:
            self._bar.update(n)

    def note(self, text: str) -> None:
        """Say what is being done now (the bar's description)."""
        if self._bar is not None:
            self._bar.set_description_str(text, refresh=True)

    def detail(self, text: str) -> None:
        """A running detail after the bar (``120,000 triples``)."""
        if self._bar is not None:
            self._bar.set_postfix_str(text, refresh=False)


@contextmanager
def bar(enabled: bool, *, total: int | None, unit: str, desc: str) -> Iterator[Bar]:
    """A :class:`Bar` on stderr (a widget in Jupyter) for the ``with`` block, or a silent one."""
    if not enabled:
        yield Bar()
        return
    from tqdm.auto import tqdm

    scale = unit == "B"
    with tqdm(
        total=total, unit=unit, unit_scale=scale, unit_divisor=1024 if scale else 1000, desc=desc,
        file=sys.stderr, dynamic_ncols=True, mininterval=0.2, leave=True,
    ) as progress:
        yield Bar(progress)


class CountingReader(io.RawIOBase):
    """A binary file that reports the bytes read from ``file`` to a :class:`Bar`, for parsers that read files.

    Oxigraph's parsers read it in small chunks as they parse, so the count follows the parse.
    """

    def __init__(self, file: io.RawIOBase, progress: Bar):
        super().__init__()
        self._file = file  # an open binary file (genai_kg.fileio.open_regular), closed by close()
        self._progress = progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self._file.readinto(buffer) or 0
        self._progress.update(n)
        return n

    def close(self) -> None:
        self._file.close()
        super().close()
