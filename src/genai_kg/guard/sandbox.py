"""The sandbox that evaluates: a forked child with a deadline, a memory cap and no network.

On Linux a query is evaluated in a forked child (copy-on-write, ~10 ms) with an address-space limit and,
where the kernel allows, an empty network namespace; the parent kills it at the deadline. That stops
Oxigraph's native evaluation too, which SIGALRM cannot interrupt (measured: a 1 s alarm fired after a 21 s
native aggregate). Elsewhere the evaluation runs in-process under SIGALRM. Either way the answer is
checked against the row and literal limits and handed back as a plain rdflib ``Result``.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from ..errors import GenaiKgError, LimitExceeded, QueryError, UnsafeInput
from . import limits as _limits
from .audit import guard_process, guarded
from .limits import Limits, MiB, size_text

__all__ = ["run_bounded", "TIMEOUT_REMEDY"]

#: Set to ``1`` to skip the child's empty network namespace (as on kernels that allow none).
NO_NAMESPACE_ENV = "GENAI_KG_NO_NETWORK_NAMESPACE"
#: The remedy for a query that ran out of time.
TIMEOUT_REMEDY = ("timeout", "to allow longer")
_ERRORS = {"LimitExceeded": LimitExceeded, "UnsafeInput": UnsafeInput, "QueryError": QueryError}


# -- the answer as plain data ----------------------------------------------------------------------------
def _literal_check(term, limits: Limits, where: str) -> None:
    if term is not None and type(term).__name__ == "Literal" and len(term) > limits.max_literal:
        raise LimitExceeded(
            f"{where}: the answer holds a literal of {size_text(len(term))}, longer than the"
            f" {size_text(limits.max_literal)} limit"
        )


def _materialise(result, limits: Limits, where: str) -> tuple:
    """The answer as plain data (for the pipe from the child), checked against the row and literal caps."""
    too_many = f"{where}: more than {limits.max_rows:,} result rows; add a LIMIT"
    if result.type == "ASK":
        return ("ASK", bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        triples = []
        for triple in result.graph:
            for term in triple:
                _literal_check(term, limits, where)
            triples.append(triple)
            if len(triples) > limits.max_rows:
                raise LimitExceeded(too_many.replace("result rows", "triples"))
        return (result.type, triples)
    names = list(result.vars or [])
    rows = []
    for binding in result:
        row = tuple(binding.get(v) if hasattr(binding, "get") else binding[i] for i, v in enumerate(names))
        for term in row:
            _literal_check(term, limits, where)
        rows.append(row)
        if len(rows) > limits.max_rows:
            raise LimitExceeded(too_many)
    return ("SELECT", names, rows)


def _rebuild(payload: tuple):
    from rdflib import Graph
    from rdflib.query import Result

    kind = payload[0]
    result = Result(kind)
    if kind == "ASK":
        result.askAnswer = payload[1]
    elif kind in ("CONSTRUCT", "DESCRIBE"):
        graph = Graph()
        for triple in payload[1]:
            graph.add(triple)
        result.graph = graph
    else:
        names, rows = payload[1], payload[2]
        result.vars = names
        result.bindings = [{v: t for v, t in zip(names, row, strict=True) if t is not None} for row in rows]
    return result


def _evaluate(evaluate: Callable[[], Any], limits: Limits, where: str, allow_remote: bool) -> tuple:
    with guarded(where, allow_remote=allow_remote):
        return _materialise(evaluate(), limits, where)


def _timed_out(where: str, seconds: float) -> LimitExceeded:
    return LimitExceeded(f"{where}: timed out after {seconds:g} s", remedy=TIMEOUT_REMEDY)


def _memory_message(where: str, limits: Limits) -> str:
    return f"{where}: used more than {size_text(_memory_budget(limits))} of memory; refused"


# -- in process, under SIGALRM ---------------------------------------------------------------------------
@contextlib.contextmanager
def _deadline(seconds: float | None, where: str) -> Iterator[None]:
    """Raise LimitExceeded in this thread once ``seconds`` have passed (SIGALRM; main thread only)."""
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield
        return

    def expire(signum, frame):
        raise _timed_out(where, seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# -- in a forked child -----------------------------------------------------------------------------------
def _can_fork() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def _memory_budget(limits: Limits) -> int:
    if limits.max_memory is not None:
        return limits.max_memory
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        physical = 8 * 1024 * MiB
    return max(1024 * MiB, physical // 2)


def _vm_size() -> int:
    with open("/proc/self/status", "rb") as fh:
        for line in fh:
            if line.startswith(b"VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _isolate_network() -> None:
    """Best effort: move this (child) process into an empty network namespace, so that native code too
    (Oxigraph's HTTP client) has no network. Unprivileged user namespaces allow it on most Linux systems;
    where they do not, the explicit checks and the audit hook remain. ``GENAI_KG_NO_NETWORK_NAMESPACE=1``
    skips it, so tests can show that the other defences hold on kernels that give no namespace."""
    if os.environ.get(NO_NAMESPACE_ENV) == "1":
        return
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.unshare(0x10000000 | 0x40000000)  # CLONE_NEWUSER | CLONE_NEWNET


def _error(exc: GenaiKgError) -> tuple:
    """An error as plain data for the pipe: its class name and fields (a pickled exception loses them)."""
    fields = {"argument": exc.argument, "path": exc.path, "line": exc.line, "remedy": exc.remedy}
    return ("error", type(exc).__name__, exc.reason, fields)


def _child_answer(evaluate: Callable[[], Any], limits: Limits, where: str, allow_remote: bool) -> tuple:
    """Evaluate in the child under the hook and the limits; the answer, or the error, as plain data."""
    import faulthandler
    import gc

    gc.freeze()  # fewer copy-on-write faults: the collector need not visit the parent's objects
    faulthandler.disable()  # a native abort at the memory cap is reported by the parent, in one line
    with contextlib.suppress(Exception):
        import resource

        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = _vm_size() + _memory_budget(limits)
        if hard == resource.RLIM_INFINITY or cap < hard:
            resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    if not allow_remote:
        _isolate_network()
    policy = guard_process(where, allow_remote=allow_remote)  # threads the engine starts are guarded too
    try:
        message = ("ok", _evaluate(evaluate, limits, where, allow_remote))
    except MemoryError:
        message = _error(LimitExceeded(_memory_message(where, limits)))
    except GenaiKgError as exc:
        message = _error(exc)
    except RecursionError:
        message = _error(LimitExceeded(f"{where}: the query nests too deeply to evaluate"))
    except Exception as exc:  # noqa: BLE001 - an engine's error is a query that cannot be run
        detail = " ".join(str(exc).split())[:500] or "no detail"
        message = _error(QueryError(f"{where}: cannot run query: {type(exc).__name__}: {detail}"))
    refusal = policy.refusal()
    if refusal is not None:  # refused in a thread the engine started, whatever it then did
        message = _error(refusal)
    return message


def _child(wfd: int, evaluate: Callable[[], Any], limits: Limits, where: str, allow_remote: bool) -> None:
    """Evaluate in the forked child and write a pickled answer (or error) to ``wfd``; never returns."""
    code = 0
    try:
        message = _child_answer(evaluate, limits, where, allow_remote)
        try:
            data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            data = pickle.dumps(_error(LimitExceeded(_memory_message(where, limits))))
        view = memoryview(data)
        while view:
            view = view[os.write(wfd, view):]
    except BaseException:  # noqa: BLE001 - the child must never return into the parent's code
        code = 1
    finally:
        os._exit(code)


def _run_forked(evaluate: Callable[[], Any], seconds: float, limits: Limits, where: str, allow_remote: bool):
    import warnings

    rfd, wfd = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork with threads (3.12+): the child only reads
        pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(rfd)
        _child(wfd, evaluate, limits, where, allow_remote)
    os.close(wfd)
    chunks: list[bytes] = []
    status = None
    deadline = time.monotonic() + seconds
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _timed_out(where, seconds)
            ready, _, _ = select.select([rfd], [], [], remaining)
            if ready:
                chunk = os.read(rfd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(rfd)
        if status is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
    if not chunks:
        if os.WIFSIGNALED(status):
            raise LimitExceeded(
                f"{where}: evaluation was stopped by signal {os.WTERMSIG(status)}"
                f" (out of memory? the limit is {size_text(_memory_budget(limits))})"
            )
        raise QueryError(f"{where}: evaluation failed without an answer")
    message = pickle.loads(b"".join(chunks))
    if message[0] == "ok":
        return message[1]
    _, name, reason, fields = message
    raise _ERRORS.get(name, QueryError)(reason, **fields)


def run_bounded(
    evaluate: Callable[[], Any],
    *,
    timeout: float | None = None,
    where: str = "query",
    allow_remote: bool = False,
):
    """Call ``evaluate`` under the guard and the limits, and return its answer as a plain rdflib ``Result``.

    Parameters
    ----------
    evaluate : callable
        Takes no argument and returns an rdflib ``Result`` (or anything with ``.type``, ``.askAnswer``,
        ``.vars``, ``.graph`` and iteration over rows). It runs in a forked child on Linux.
    timeout : float, optional
        Seconds before the evaluation is stopped; :attr:`Limits.timeout` when None.
    where : str
        What is evaluated (a query name or file), leading every message.
    allow_remote : bool
        Let the evaluation reach the network (local files stay closed).

    Raises
    ------
    LimitExceeded
        At the deadline, the memory cap, or the row and literal caps.
    UnsafeInput
        If the evaluation tried to reach the network, open a file or start a process.
    QueryError
        If the engine failed.
    """
    limits = _limits.current()
    seconds = limits.timeout if timeout is None else timeout
    if _can_fork():
        payload = _run_forked(evaluate, seconds, limits, where, allow_remote)
    else:  # pragma: no cover - exercised on platforms without fork
        try:
            with _deadline(seconds, where):
                payload = _evaluate(evaluate, limits, where, allow_remote)
        except MemoryError:
            raise LimitExceeded(_memory_message(where, limits)) from None
    return _rebuild(payload)
