"""The bounds on work that untrusted input may cause, kept in one place so tests and embedders can tighten them."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_TIMEOUT", "Limits", "LIMITS", "current", "size_text", "line_of", "available_memory"]

#: Seconds a query may run unless the user says otherwise.
DEFAULT_TIMEOUT = 30.0
MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Bounds on the work untrusted input may cause; generous, so that real data never meets them.

    Attributes
    ----------
    timeout : float
        Seconds a query may run when the caller gives no timeout.
    max_rows : int
        Result rows (or CONSTRUCT triples) a query may return.
    max_literal : int
        Characters in one literal, in a data file or in a query's answer.
    max_long_literal : int
        Where rdflib's parsers are quadratic, the most they are given: one triple-quoted (multi-line)
        Turtle/TriG/N3 literal (measured: 1 MiB in 80-column lines ~2 s, 2 MiB ~9 s) and one N-Triples or
        N-Quads line (256 KiB 0.4 s, 1 MiB 9 s, 2 MiB 39 s). Oxigraph's parsers are linear.
    max_memory : int or None
        Bytes of address space a forked query may add; None means half the physical memory.
    max_entity_size : int
        Characters an RDF/XML internal entity may expand to.
    max_entity_depth : int
        How deeply RDF/XML entities may refer to one another.
    """

    timeout: float = DEFAULT_TIMEOUT
    max_rows: int = 1_000_000
    max_literal: int = 16 * MiB
    max_long_literal: int = 256 * 1024
    max_memory: int | None = None
    max_entity_size: int = 64 * 1024
    max_entity_depth: int = 8


#: The limits in force; tests and embedding applications may replace it (``guard.limits.LIMITS = ...``).
LIMITS = Limits()


def current() -> Limits:
    """The limits in force now (read at each call, so that replacing :data:`LIMITS` takes effect)."""
    return LIMITS


def size_text(n: int) -> str:
    """A size as people read it: ``1.5 MiB`` from one MiB up, else ``1,200 bytes``.

    >>> size_text(1200), size_text(20 * MiB)
    ('1,200 bytes', '20.0 MiB')
    """
    return f"{n / MiB:.1f} MiB" if n >= MiB else f"{n:,} bytes"


def line_of(data: bytes, offset: int) -> int:
    """The 1-based line that byte ``offset`` of ``data`` is on."""
    return data.count(b"\n", 0, offset) + 1


def available_memory() -> int | None:
    """Bytes of memory the machine can give now without swapping (``MemAvailable`` in /proc/meminfo), lowered
    to this process's address-space limit when it has one; None where neither is known."""
    found = None
    try:
        with open("/proc/meminfo", "rb") as fh:
            for line in fh:
                if line.startswith(b"MemAvailable:"):
                    found = int(line.split()[1]) * 1024
                    break
    except (OSError, ValueError, IndexError):
        found = None
    try:
        import resource

        soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
        if soft != resource.RLIM_INFINITY:
            found = soft if found is None else min(found, soft)
    except (ImportError, OSError, ValueError):
        pass
    return found
