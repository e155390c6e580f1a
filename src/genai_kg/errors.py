"""The exception tree: the library raises these with structured fields; the CLI turns them into one-line
messages that name its flags, and exit codes.

A message is written in Python's words. Where an error concerns an argument of the API it says so in
``argument`` (``"store"``, ``"timeout"``, ``"params.modality"``), and where it points to a remedy the
remedy is an argument too (``remedy=("allow_remote", "to permit it")``), so that :meth:`GenaiKgError.format`
can spell both for a Python caller (``params['modality']``, ``pass allow_remote=True``) or for the command
line (``--param modality``, ``use --allow-remote``) without a second copy of the text.

>>> err = ParameterError("no term with IRI, CURIE or label 'xyz'", argument="params.modality")
>>> str(err)
"params['modality']: no term with IRI, CURIE or label 'xyz'"
>>> err.parameter
'modality'
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

__all__ = [
    "GenaiKgError",
    "DataError",
    "UnsupportedFormat",
    "QueryError",
    "QueryNotFound",
    "ParameterError",
    "TermNotFound",
    "UnsafeInput",
    "LimitExceeded",
    "TimedOut",
    "EndpointError",
    "EndpointLimitExceeded",
    "MissingDependency",
    "Spelling",
    "PYTHON",
    "clipped",
]


def clipped(text: str, limit: int = 60) -> str:
    """``text`` as a message may quote it: at most ``limit`` characters, and a mark saying how many more."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text) - limit:,} more characters)"


class Spelling:
    """How one audience spells API arguments and the remedies they lift: Python callers, or a command line.

    ``param`` spells a query parameter (``{name}`` stands for its name); ``names`` spells other arguments
    that are not written as they are in Python; ``remedies`` says what to do to use an argument.
    """

    def __init__(self, param: str, names: dict[str, str], remedies: dict[str, str], default: Callable[[str], str]):
        self.param, self.names, self.remedies, self.default = param, names, remedies, default

    def argument(self, argument: str) -> str:
        group, dot, name = argument.partition(".")
        if dot and group == "params":
            return self.param.format(name=name)
        return self.names.get(argument) or self.default(argument)

    def remedy(self, argument: str) -> str:
        return self.remedies.get(argument) or f"use {self.argument(argument)}"


#: The spelling of messages for Python callers (what ``str(error)`` gives).
PYTHON = Spelling(
    param="params[{name!r}]",
    names={},
    remedies={
        "allow_remote": "pass allow_remote=True",
        "timeout": "pass a larger timeout=",
        "list_queries": "see genai_kg.list_queries()",
        "store": "pass store='oxigraph'",
    },
    default=str,
)


class GenaiKgError(Exception):
    """Base of every error the package raises on purpose; its message is one line meant for a user.

    Parameters
    ----------
    reason : str
        What went wrong, without the place (file, line or argument), which the fields carry.
    argument : str, optional
        The API argument at fault: a keyword name, or ``params.NAME`` for a query parameter.
    path : str or PathLike, optional
        The file at fault; ``line`` the line in it and ``column`` the column (both 1-based) where known.
    remedy : (argument, purpose), optional
        An argument that would allow what was refused, and what it would do.
    """

    def __init__(
        self,
        reason: str,
        *,
        argument: str | None = None,
        path: str | os.PathLike | None = None,
        line: int | None = None,
        column: int | None = None,
        remedy: tuple[str, str] | None = None,
    ) -> None:
        self.reason = reason
        self.argument = argument
        self.path = os.fspath(path) if path is not None else None
        self.line = line
        self.column = column if line else None
        self.remedy = remedy
        super().__init__(self.format())

    @property
    def parameter(self) -> str | None:
        """The query parameter at fault (``modality`` for ``params.modality``), else None."""
        if self.argument and self.argument.startswith("params."):
            return self.argument.split(".", 1)[1]
        return None

    def format(self, spelling: Spelling = PYTHON) -> str:
        """The one-line message, with arguments spelled for Python callers or, given its spelling, the CLI."""
        where = None
        if self.path is not None:
            where = f"{self.path}: line {self.line}" if self.line else self.path
            if self.line and self.column:
                where += f", column {self.column}"
        elif self.argument:
            where = spelling.argument(self.argument)
        text = f"{where}: {self.reason}" if where else self.reason
        if self.remedy:
            argument, purpose = self.remedy
            text += f" ({spelling.remedy(argument)} {purpose})"
        return text

    def __str__(self) -> str:
        return self.format()


class DataError(GenaiKgError):
    """A data file is missing, unreadable or malformed (the message names the file and, if known, the line)."""


class UnsupportedFormat(DataError):
    """A file extension or format name that no parser or serializer handles."""


class QueryError(GenaiKgError):
    """A SPARQL query that cannot be parsed or run."""


class QueryNotFound(QueryError):
    """No named query, and no .rq file, by that name."""


class ParameterError(QueryError):
    """A query parameter (or another argument) that is unknown, missing, or names no term."""


class TermNotFound(ParameterError, LookupError):
    """No term, or more than one, has the IRI, CURIE or label asked for; ``text`` is what was asked."""

    def __init__(self, reason: str, *, text: str = "", matches: tuple = (), **fields: Any) -> None:
        self.text = text
        self.matches = tuple(matches)
        super().__init__(reason, **fields)


class UnsafeInput(QueryError):
    """Input that would reach the network or the file system, refused before any work is done."""


class LimitExceeded(GenaiKgError):
    """A bound on work was hit: a timeout, a result-row cap, a literal-size cap."""


class TimedOut(LimitExceeded):
    """The work did not finish within its ``timeout`` (the command line gives it an exit code of its own)."""


class EndpointError(GenaiKgError):
    """A remote SPARQL endpoint could not be reached or gave an unusable answer."""


class EndpointLimitExceeded(EndpointError, LimitExceeded):
    """An endpoint's answer went past a limit (rows, a literal's size): the endpoint's failure for the exit code,
    a limit for a caller that catches limits."""


class MissingDependency(GenaiKgError, ImportError):
    """An optional library a feature needs is not installed; the message names the extra that brings it."""
