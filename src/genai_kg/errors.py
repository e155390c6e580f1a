"""The exception tree: the library raises these, the CLI turns them into one-line messages and exit codes."""

__all__ = [
    "GenaiKgError",
    "DataError",
    "UnsupportedFormat",
    "QueryError",
    "QueryNotFound",
    "ParameterError",
    "UnsafeInput",
    "LimitExceeded",
    "EndpointError",
]


class GenaiKgError(Exception):
    """Base of every error the package raises on purpose; its message is one line meant for a user."""


class DataError(GenaiKgError):
    """A data file is missing, unreadable or malformed (the message names the file and, if known, the line)."""


class UnsupportedFormat(DataError):
    """A file extension or format name that no parser or serializer handles."""


class QueryError(GenaiKgError):
    """A SPARQL query that cannot be parsed or run."""


class QueryNotFound(QueryError):
    """No named query, and no .rq file, by that name."""


class ParameterError(QueryError):
    """A query parameter that is unknown, missing, or names no term."""


class UnsafeInput(QueryError):
    """Input that would reach the network or the file system, refused before any work is done."""


class LimitExceeded(GenaiKgError):
    """A bound on work was hit: a timeout, a result-row cap, a literal-size cap."""


class EndpointError(GenaiKgError):
    """A remote SPARQL endpoint could not be reached or gave an unusable answer."""
