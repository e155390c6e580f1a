"""The sandbox that evaluates: a forked child with a deadline, a memory cap and no network.

On Linux a query is evaluated in a forked child (copy-on-write, ~10 ms) with an address-space limit and,
where the kernel allows, an empty network namespace; the parent kills it at the deadline. That stops
Oxigraph's native evaluation too, which SIGALRM cannot interrupt (measured: a 1 s alarm fired after a 21 s
native aggregate). Elsewhere the evaluation runs in-process under SIGALRM. Either way the answer comes back
in the one answer form (:mod:`genai_kg.answer_form`: TSV lines of N-Triples terms, streamed through the
pipe as the engine writes them), checked against the row and literal limits on the way: at the row cap the
evaluation stops, so an answer too big costs what the cap's rows cost, in time and in memory.
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

from .. import answer_form as _model
from .. import errors as _errors
from ..errors import GenaiKgError, LimitExceeded, QueryError, TimedOut
from . import limits as _limits
from .audit import guard_process, guarded
from .deadline import TIMEOUT_REMEDY, time_limit
from .limits import Limits, MiB, size_text

__all__ = ["run_bounded", "in_thread", "TIMEOUT_REMEDY"]

#: Set to ``1`` to skip the child's empty network namespace (as on kernels that allow none).
NO_NAMESPACE_ENV = "GENAI_KG_NO_NETWORK_NAMESPACE"


# -- the answer as compact rows ---------------------------------------------------------------------------
class _Sink:
    """Takes an engine's TSV bytes, enforcing the row and literal caps as they arrive, and passes them on.

    Raising here stops the engine where it is: an answer over the row cap costs the cap's rows, not the
    whole answer. Lines are checked for long literals only when one could be longer than the cap.
    """

    def __init__(self, emit: Callable[[bytes], Any], limits: Limits, where: str, kind: str):
        self.emit, self.limits, self.where = emit, limits, where
        self.rows = 0
        self.unit = "triples" if kind == "graph" else "result rows"
        self.tail: list[bytes] = []  # the unfinished last line
        self.tail_len = 0

    def write(self, data: bytes) -> int:
        self.rows += data.count(b"\n")
        if self.rows > self.limits.max_rows:
            raise LimitExceeded(f"{self.where}: more than {self.limits.max_rows:,} {self.unit}; add a LIMIT")
        cap = self.limits.max_literal
        cut = data.rfind(b"\n")
        if cut < 0:
            self.tail.append(data)
            self.tail_len += len(data)
        else:
            first = data.find(b"\n")
            if self.tail_len + first > cap:
                self._check_line(b"".join([*self.tail, data[:first]]))
            if cut - first > cap:
                for line in data[first + 1 : cut].split(b"\n"):
                    if len(line) > cap:
                        self._check_line(line)
            self.tail, self.tail_len = [data[cut + 1 :]], len(data) - cut - 1
        self.emit(data)
        return len(data)

    def _check_line(self, line: bytes) -> None:
        for cell in line.decode("utf-8", "replace").split("\t"):
            if len(cell) > self.limits.max_literal and cell.startswith('"'):
                parts = _model.parse_term(cell)
                size = len(parts[1]) if parts else 0
                if size > self.limits.max_literal:
                    raise LimitExceeded(
                        f"{self.where}: the answer holds a literal of {size_text(size)}, longer than the"
                        f" {size_text(self.limits.max_literal)} limit"
                    )


def _answer(evaluate: Callable[[], Any], send: Callable[[bytes, Any], None], limits: Limits, where: str,
            allow_remote: bool) -> None:
    """Evaluate under the hook and send the head, then the rows (frames ``R``) as the engine writes them."""
    with guarded(where, allow_remote=allow_remote):
        answer = evaluate()
        stream = answer if isinstance(answer, _model.Stream) else _model.stream_result(answer)
        send(b"H", (stream.kind, stream.variables, stream.boolean))
        if stream.pump is not None:
            sink = _Sink(lambda data: send(b"R", data), limits, where, stream.kind)
            stream.pump(sink.write)


def _timed_out(where: str, seconds: float) -> LimitExceeded:
    return TimedOut(f"{where}: timed out after {seconds:g} s", remedy=TIMEOUT_REMEDY)


def _memory_message(where: str, limits: Limits) -> str:
    return f"{where}: used more than {size_text(_memory_budget(limits))} of memory; refused"


# -- in process, under SIGALRM (guard.deadline) -------------------------------------------------------
def in_thread(work: Callable[[], Any]) -> Any:
    """Run ``work`` in a daemon thread and wait in short steps, so a SIGALRM deadline here can fire.

    Native engines (pyoxigraph) release the GIL while they evaluate: this thread keeps running Python, and
    a timeout raised here abandons the worker (it runs on to its end in the background) instead of waiting.
    """
    box: dict = {}

    def run():
        try:
            box["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=run, name="genai-kg-evaluation", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(0.02)
    if "error" in box:
        raise box["error"]
    return box.get("value")


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
    return (type(exc).__name__, exc.reason, fields)


def _failure(exc: BaseException, limits: Limits, where: str) -> GenaiKgError:
    """What an evaluation raised, as the one-line error the caller sees."""
    if isinstance(exc, GenaiKgError):
        return exc
    if isinstance(exc, MemoryError):
        return LimitExceeded(_memory_message(where, limits))
    if isinstance(exc, RecursionError):
        return LimitExceeded(f"{where}: the query nests too deeply to evaluate")
    detail = " ".join(str(exc).split())[:500] or "no detail"  # an engine's error: a query that cannot be run
    return QueryError(f"{where}: cannot run query: {type(exc).__name__}: {detail}")


def _enter_child(limits: Limits, where: str, allow_remote: bool):
    """Bound the forked child (memory cap, no network, the audit hook on every thread); return its policy."""
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
    return guard_process(where, allow_remote=allow_remote)  # threads the engine starts are guarded too


class _Frames:
    """Frames on the pipe: a tag (H head, R rows, D done, E error), an 8-byte length, the payload."""

    def __init__(self, fd: int):
        self.fd = fd
        self.pending: list[bytes] = []
        self.size = 0

    def send(self, tag: bytes, payload: Any) -> None:
        data = payload if tag == b"R" else pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        self.pending += [tag + len(data).to_bytes(8, "big"), data]
        self.size += len(data)
        if tag != b"R" or self.size >= _FLUSH_AT:
            self.flush()

    def flush(self) -> None:
        view = memoryview(b"".join(self.pending))
        self.pending, self.size = [], 0
        while view:
            view = view[os.write(self.fd, view):]


_FLUSH_AT = 1 << 20


def _child(wfd: int, evaluate: Callable[[], Any], limits: Limits, where: str, allow_remote: bool) -> None:
    """Evaluate in the forked child, streaming the answer (or an error) to ``wfd`` as frames; never returns."""
    code = 0
    try:
        policy = _enter_child(limits, where, allow_remote)
        frames = _Frames(wfd)
        error: GenaiKgError | None = None
        try:
            _answer(evaluate, frames.send, limits, where, allow_remote)
        except BaseException as exc:  # noqa: BLE001 - every failure becomes a message for the parent
            error = _failure(exc, limits, where)
        refusal = policy.refusal()
        if refusal is not None:  # refused in a thread the engine started, whatever it then did
            error = refusal
        if error is None:
            frames.send(b"D", None)
        else:
            frames.pending, frames.size = [], 0  # the error replaces any rows not yet sent
            frames.send(b"E", _error(error))
    except BaseException:  # noqa: BLE001 - the child must never return into the parent's code
        code = 1
    finally:
        os._exit(code)


def _read_frames(rfd: int, deadline: float, seconds: float, where: str) -> Iterator[tuple[bytes, bytes]]:
    """The child's frames as they arrive, until the pipe closes; LimitExceeded at the deadline."""
    buffer = bytearray()
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _timed_out(where, seconds)
        ready, _, _ = select.select([rfd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(rfd, 1 << 20)
        if not chunk:
            return
        buffer += chunk
        start = 0
        while len(buffer) - start >= 9:
            size = int.from_bytes(buffer[start + 1 : start + 9], "big")
            if len(buffer) - start - 9 < size:
                break
            yield bytes(buffer[start : start + 1]), bytes(buffer[start + 9 : start + 9 + size])
            start += 9 + size
        del buffer[:start]


def _engine_said(err) -> str:
    """What the child wrote to its stderr, in one line: Rust's abort on a failed allocation (the first
    line, before any backtrace), else the last line; read from the head and the tail only."""
    with contextlib.suppress(OSError):
        size = err.seek(0, os.SEEK_END)
        err.seek(0)
        head = err.read(4096).decode("utf-8", "replace").splitlines()
        for line in head:
            if line.startswith("memory allocation of "):
                return line.strip()
        err.seek(max(0, size - 4096))
        lines = [line for line in err.read().decode("utf-8", "replace").splitlines() if line.strip()]
        return " ".join(lines[-1].split())[:200] if lines else ""
    return ""


def _run_forked(evaluate: Callable[[], Any], seconds: float, limits: Limits, where: str, allow_remote: bool,
                said: float | None = None):
    """Evaluate in a forked child; ``said`` is the time limit the timeout message names (the user's)."""
    import tempfile
    import warnings

    rfd, wfd = os.pipe()
    err = tempfile.TemporaryFile()  # noqa: SIM115 - closed below; the child's stderr, kept off the terminal
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork with threads (3.12+): the child only reads
        pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(rfd)
        os.dup2(err.fileno(), 2)
        _child(wfd, evaluate, limits, where, allow_remote)
    os.close(wfd)
    with err:
        return _collect(pid, rfd, err, seconds, limits, where, seconds if said is None else said)


def _collect(pid: int, rfd: int, err, seconds: float, limits: Limits, where: str, named: float) -> _model.Answer:
    """Read the child's answer until it ends or the deadline passes; one line for any failure."""
    collected = _Collected()
    status = None
    try:
        for tag, payload in _read_frames(rfd, time.monotonic() + seconds, named, where):
            collected.take(tag, payload)
            if collected.finished:
                break
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(rfd)
        if status is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
    if not collected.finished:
        raise _no_answer(status, err, limits, where)
    return collected.answer()


def _no_answer(status: int | None, err, limits: Limits, where: str) -> GenaiKgError:
    """Why a child (or a pool's worker) ended without an answer, from its wait status and its stderr."""
    said = _engine_said(err)
    if said.startswith("memory allocation of "):  # Rust aborts when the memory cap refuses an allocation
        return LimitExceeded(f"{_memory_message(where, limits)} ({said})")
    if status is not None and os.WIFSIGNALED(status):
        return LimitExceeded(
            f"{where}: evaluation was stopped by signal {os.WTERMSIG(status)}"
            f" (out of memory? the limit is {size_text(_memory_budget(limits))})" + (f": {said}" if said else "")
        )
    return QueryError(f"{where}: evaluation failed without an answer" + (f" ({said})" if said else ""))


class _Collected:
    """The frames of one answer, put together: the head, the rows' bytes, and the end (or an error)."""

    def __init__(self):
        self.head: tuple | None = None
        self.parts: list[bytes] = []
        self.finished = False

    def take(self, tag: bytes, payload: Any) -> None:
        if tag == b"R":
            self.parts.append(payload)
            return
        value = pickle.loads(payload) if isinstance(payload, bytes) else payload
        if tag == b"H":
            self.head = value
        elif tag == b"E":
            name, reason, fields = value
            raise _rebuilt(name, reason, fields)
        elif tag == b"D":
            self.finished = True

    def answer(self) -> _model.Answer:
        if self.head is None:
            raise QueryError("evaluation gave rows without a head")
        kind, names, boolean = self.head
        text = b"".join(self.parts).decode("utf-8")
        self.parts = []
        return _model.Answer(kind, list(names), [text] if text else [], text.count("\n"), boolean)


def _rebuilt(name: str, reason: str, fields: dict) -> GenaiKgError:
    """The child's error as the parent raises it: the same class from :mod:`genai_kg.errors`, its fields."""
    cls = getattr(_errors, name, None)
    if not (isinstance(cls, type) and issubclass(cls, GenaiKgError)):
        cls = QueryError
    try:
        return cls(reason, **fields)
    except TypeError:  # a class with fields of its own (TermNotFound): the base keeps the message
        return QueryError(reason, **fields)


def run_bounded(
    evaluate: Callable[[], Any],
    *,
    timeout: float | None = None,
    where: str = "query",
    allow_remote: bool = False,
    said: float | None = None,
) -> _model.Answer:
    """Call ``evaluate`` under the guard and the limits, and return its answer as compact rows.

    Parameters
    ----------
    evaluate : callable
        Takes no argument and returns a :class:`genai_kg.answer_form.Stream` (an engine's answer, written as TSV
        lines) or an rdflib ``Result`` (anything with ``.type``, ``.askAnswer``, ``.vars``, ``.graph`` and
        iteration over rows). It runs in a forked child on Linux, and the rows come back as they are made.
    timeout : float, optional
        Seconds before the evaluation is stopped; :attr:`Limits.timeout` when None.
    where : str
        What is evaluated (a query name or file), leading every message.
    allow_remote : bool
        Let the evaluation reach the network (local files stay closed).
    said : float, optional
        The timeout to name when the deadline passes, when ``timeout`` is what is left of it.

    Returns
    -------
    genai_kg.answer_form.Answer
        The answer, its rows in N-Triples syntax.

    Raises
    ------
    LimitExceeded
        At the deadline, the memory cap, or the row and literal caps (the evaluation stops at the row cap).
    UnsafeInput
        If the evaluation tried to reach the network, open a file or start a process.
    QueryError
        If the engine failed.
    """
    limits = _limits.current()
    seconds = limits.timeout if timeout is None else timeout
    if seconds <= 0:
        raise _timed_out(where, seconds if said is None else said)
    if _can_fork():
        return _run_forked(evaluate, seconds, limits, where, allow_remote, said)
    collected = _Collected()  # pragma: no cover - exercised on platforms without fork
    frames: list[tuple[bytes, Any]] = []
    try:  # in a worker thread, so that the deadline fires even while a native engine works
        with time_limit(seconds, where=where):
            in_thread(lambda: _answer(evaluate, lambda tag, data: frames.append((tag, data)), limits, where,
                                      allow_remote))
        for tag, data in frames:
            collected.take(tag, data)
    except BaseException as exc:  # noqa: BLE001
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        if isinstance(exc, LimitExceeded) and exc.remedy == TIMEOUT_REMEDY and said is not None:
            raise _timed_out(where, said) from None
        raise _failure(exc, limits, where) from None
    collected.take(b"D", None)
    return collected.answer()
