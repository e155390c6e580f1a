"""A deadline for work done in this process: describe, compare, docs, validate and the view's layout.

That work is Python walking an rdflib graph (pySHACL evaluates its SPARQL with rdflib's Python engine), so
a ``SIGALRM`` stops it between two bytecodes. The signal repeats every tenth of a second after the deadline
until the block ends, so that a library which swallows the first exception (``except Exception``) meets
the next one; and a block that ends after the deadline is reported as timed out all the same. Queries do
not use this: they run in the sandbox's forked child, which is killed at its deadline.

>>> with time_limit(5, where="compare"):
...     sum(range(10))
45
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

from ..errors import LimitExceeded, TimedOut
from . import limits as _limits

__all__ = ["time_limit", "TIMEOUT_REMEDY"]

#: The remedy for work that ran out of time (the same as for a query).
TIMEOUT_REMEDY = ("timeout", "to allow longer")
_REPEAT = 0.1


def _timed_out(where: str, seconds: float) -> LimitExceeded:
    return TimedOut(f"{where}: timed out after {seconds:g} s", remedy=TIMEOUT_REMEDY)


@contextlib.contextmanager
def time_limit(timeout: float | None = None, *, where: str) -> Iterator[None]:
    """Raise :class:`LimitExceeded` in the block once ``timeout`` seconds (default: the limits' timeout)
    have passed.

    Only the main thread can receive ``SIGALRM``; elsewhere (or on a platform without it) the block runs
    without a clock, bounded by the input limits alone.
    """
    seconds = _limits.current().timeout if timeout is None else timeout
    usable = (
        seconds
        and hasattr(signal, "SIGALRM")
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return
    fired = []

    def expire(signum, frame):
        fired.append(True)
        raise _timed_out(where, seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, _REPEAT)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if fired:  # the block swallowed the timeout and carried on: it still ran out of time
        raise _timed_out(where, seconds)
