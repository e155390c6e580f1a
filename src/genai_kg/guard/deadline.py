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
import time
from collections.abc import Iterator

from ..errors import LimitExceeded, TimedOut
from . import limits as _limits

__all__ = ["time_limit", "TIMEOUT_REMEDY", "drawing_bound", "DRAWING_SECONDS_PER_MILLION"]

#: The remedy for work that ran out of time (the same as for a query).
TIMEOUT_REMEDY = ("timeout", "to allow longer")
_REPEAT = 0.1


def _timed_out(where: str, seconds: float) -> LimitExceeded:
    return TimedOut(f"{where}: timed out after {seconds:g} s", remedy=TIMEOUT_REMEDY)


#: Drawing a whole graph reads each triple a bounded number of times, so its default bound grows with the
#: graph: this many seconds per million triples (never less than the query timeout). About 3x what a
#: loaded 2-core machine needs, so only a runaway drawing meets it.
DRAWING_SECONDS_PER_MILLION = 30.0


def drawing_bound(triples: int, timeout: float | None = None) -> tuple[float, str]:
    """(seconds, what to call it) bounding the view's own work on a graph of ``triples``: ``timeout`` when the
    user gave one; else the query timeout, or :data:`DRAWING_SECONDS_PER_MILLION` per million triples when
    that is longer, named in the message so that nobody takes it for a query's timeout.

    >>> drawing_bound(2_000_000)
    (60.0, 'view: drawing 2,000,000 triples (its own bound, 30 s per million triples)')
    >>> drawing_bound(2_000_000, 5.0)
    (5.0, 'view')
    """
    if timeout is not None:
        return timeout, "view"
    floor = _limits.current().timeout
    own = DRAWING_SECONDS_PER_MILLION * triples / 1e6
    if not floor or own <= floor:
        return floor, "view"
    return float(round(own)), (f"view: drawing {triples:,} triples "
                        f"(its own bound, {DRAWING_SECONDS_PER_MILLION:g} s per million triples)")


@contextlib.contextmanager
def time_limit(timeout: float | None = None, *, where: str) -> Iterator[None]:
    """Raise :class:`LimitExceeded` in the block once ``timeout`` seconds (default: the limits' timeout)
    have passed.

    Only the main thread can receive ``SIGALRM``; elsewhere (or on a platform without it) the block runs
    without a clock, bounded by the input limits alone. Inside another ``time_limit`` whose deadline comes
    first, that one stays in charge; one that comes later is put back afterwards with the time it has left.
    """
    seconds = _limits.current().timeout if timeout is None else timeout
    usable = (
        seconds
        and hasattr(signal, "SIGALRM")
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    outer = signal.getitimer(signal.ITIMER_REAL) if usable else (0.0, 0.0)
    if not usable or 0 < outer[0] <= seconds:  # an enclosing deadline that comes first stays in charge
        yield
        return
    fired = []
    armed = [True]

    def expire(signum, frame):
        if not armed:  # the block has ended: an alarm already on its way is ignored while it is taken down
            return
        fired.append(True)
        raise _timed_out(where, seconds)

    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, expire)
    try:  # armed inside the try: an alarm that fires before the block starts still takes the timer down
        signal.setitimer(signal.ITIMER_REAL, seconds, _REPEAT)
        yield
    finally:
        armed.clear()
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer[0] > 0:  # an enclosing deadline, later than this one: it runs on with what it has left
            signal.setitimer(signal.ITIMER_REAL, max(outer[0] - (time.monotonic() - started), 0.001), outer[1])
    if fired:  # the block swallowed the timeout and carried on: it still ran out of time
        raise _timed_out(where, seconds)
