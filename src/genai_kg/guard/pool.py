"""Pre-forked guarded workers: the sandbox of :mod:`.sandbox`, paid for once per worker instead of per query.

Forking a process that holds a large store costs 45-100 ms (page tables), before any work; a server that
answers clicks cannot pay that on every query. A :class:`WorkerPool` forks a few workers when it starts.
Each is bounded once, as a per-query child is (the memory cap over its size at start, an empty network
namespace where the kernel allows, the audit hook on every thread), then evaluates jobs one at a time with a
fresh policy per job, streaming the answer in the same frames, checked against the row and literal caps as
it goes. The parent enforces the deadline: a worker that overruns is killed and replaced, as is one that
dies (the memory cap), was refused an operation, failed in an unexpected way, or has grown by a quarter of
its memory budget. When every worker is busy, the query is evaluated in a child forked for it
(:func:`.sandbox.run_bounded`), so a slow query never holds up another. Workers see the store as it was when
they were forked: only for read-only serving.
"""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
import queue
import signal
import tempfile
import threading
import time
import warnings
from collections.abc import Callable
from typing import Any

from .. import answer_form as _model
from ..errors import GenaiKgError, QueryError, UnsafeInput
from . import limits as _limits
from .audit import guard_process
from .limits import Limits
from .sandbox import (
    _answer,
    _Collected,
    _enter_child,
    _error,
    _failure,
    _Frames,
    _memory_budget,
    _no_answer,
    _read_frames,
    _timed_out,
    run_bounded,
)

__all__ = ["WorkerPool"]

#: A worker is replaced after this many jobs (whatever its memory says).
MAX_JOBS = 2000


class _Worker:
    def __init__(self, pid: int, request: int, answers: int, err):
        self.pid, self.request, self.answers, self.err = pid, request, answers, err
        self.ended = False

    def send(self, payload: bytes) -> None:
        view = memoryview(len(payload).to_bytes(8, "big") + payload)
        while view:
            view = view[os.write(self.request, view):]

    def end(self) -> int | None:
        """Kill the worker, close its pipes; its wait status (None when already ended)."""
        if self.ended:
            return None
        self.ended = True
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        status = None
        with contextlib.suppress(ChildProcessError):
            status = os.waitpid(self.pid, 0)[1]
        for fd in (self.request, self.answers):
            with contextlib.suppress(OSError):
                os.close(fd)
        return status


def _read_exactly(fd: int, size: int) -> bytes | None:
    parts, got = [], 0
    while got < size:
        chunk = os.read(fd, min(size - got, 1 << 20))
        if not chunk:
            return None
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def _vm_size_of(fd: int) -> int:
    for line in os.pread(fd, 1 << 16, 0).splitlines():
        if line.startswith(b"VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


def _work(request: int, answers: int, handler: Callable[[Any], Any], limits: Limits, allow_remote: bool) -> None:
    """The worker's life: bounded once, then one job per request until the parent closes the pipe; never returns."""
    code = 0
    try:
        status = os.open("/proc/self/status", os.O_RDONLY)  # read again after each job, the guard on
        _enter_child(limits, "query worker", allow_remote)
        grown_at = _vm_size_of(status) + _memory_budget(limits) // 4
        for jobs in range(1, MAX_JOBS + 1):
            head = _read_exactly(request, 8)
            if head is None:
                break
            body = _read_exactly(request, int.from_bytes(head, "big"))
            if body is None:
                break
            where, job = pickle.loads(body)
            policy = guard_process(where, allow_remote=allow_remote)  # threads the engine starts are guarded too
            frames = _Frames(answers)
            error: GenaiKgError | None = None
            retire = False
            try:
                _answer(functools.partial(handler, job), frames.send, limits, where, allow_remote)
            except BaseException as exc:  # noqa: BLE001 - every failure becomes a message for the parent
                error = _failure(exc, limits, where)
                # a refusal, memory, recursion, an engine's surprise: this worker is not trusted again
                retire = isinstance(exc, UnsafeInput) or not isinstance(exc, GenaiKgError)
            refusal = policy.refusal()
            if refusal is not None:
                error, retire = refusal, True
            retire = retire or jobs == MAX_JOBS or _vm_size_of(status) > grown_at
            if error is not None:
                frames.pending, frames.size = [], 0  # the error replaces any rows not yet sent
            if retire:  # said before the end, so the parent replaces this worker
                frames.send(b"X", None)
            frames.send(b"D", None) if error is None else frames.send(b"E", _error(error))
            if retire:
                break
    except BaseException:  # noqa: BLE001 - the worker must never return into the parent's code
        code = 1
    finally:
        os._exit(code)


class WorkerPool:
    """``size`` long-lived forked workers evaluating ``handler(job)`` under the guard and the limits.

    ``handler`` is called in a worker with a job sent from :meth:`run` (pickled) and returns what an
    ``evaluate`` of :func:`.sandbox.run_bounded` returns. The limits in force when the pool starts hold.
    """

    def __init__(self, handler: Callable[[Any], Any], *, size: int = 3, allow_remote: bool = False):
        self.handler, self.allow_remote = handler, allow_remote
        self.limits = _limits.current()
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self.closed = False
        for _ in range(size):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        request_r, request_w = os.pipe()
        answers_r, answers_w = os.pipe()
        err = tempfile.TemporaryFile()  # noqa: SIM115 - closed with the worker; its stderr, off the terminal
        with self._lock:
            others = [fd for w in self._workers for fd in (w.request, w.answers)]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)  # fork with threads: the worker only reads
                pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the worker
                for fd in (request_w, answers_r, *others):  # so a worker sees EOF when the parent goes
                    with contextlib.suppress(OSError):
                        os.close(fd)
                os.dup2(err.fileno(), 2)
                _work(request_r, answers_w, self.handler, self.limits, self.allow_remote)
            os.close(request_r)
            os.close(answers_w)
            worker = _Worker(pid, request_w, answers_r, err)
            self._workers.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> int | None:
        with self._lock:
            self._workers.discard(worker)
        return worker.end()

    def _replace(self, worker: _Worker) -> None:
        """End ``worker`` and fork its successor in the background (the answer does not wait for the fork)."""
        self._retire(worker)
        worker.err.close()
        if not self.closed:
            threading.Thread(target=self._add, name="genai-kg-pool-spawn", daemon=True).start()

    def _add(self) -> None:
        with contextlib.suppress(OSError):
            worker = self._spawn()
            if self.closed:
                self._retire(worker)
                worker.err.close()
            else:
                self._idle.put(worker)

    def run(self, job: Any, *, timeout: float, where: str, said: float | None = None) -> _model.Answer:
        """Evaluate ``job`` in an idle worker (or, with none idle, a child forked for it) within ``timeout``
        seconds; ``said`` is the timeout the message names. Raises as :func:`.sandbox.run_bounded` does."""
        named = timeout if said is None else said
        if timeout <= 0:
            raise _timed_out(where, named)
        deadline = time.monotonic() + timeout
        try:
            worker = self._idle.get_nowait()
            worker.send(pickle.dumps((where, job), protocol=pickle.HIGHEST_PROTOCOL))
        except (queue.Empty, OSError) as exc:  # all busy, or this one is gone: a child of its own
            if isinstance(exc, OSError):
                self._replace(worker)
            return run_bounded(lambda: self.handler(job), timeout=deadline - time.monotonic(), where=where,
                               allow_remote=self.allow_remote, said=named)
        healthy, retire = False, False
        collected = _Collected()
        try:
            for tag, payload in _read_frames(worker.answers, deadline, named, where):
                if tag == b"X":
                    retire = True
                    continue
                try:
                    collected.take(tag, payload)
                except GenaiKgError:  # the worker's error: it is ready for the next job unless it said otherwise
                    healthy = not retire
                    raise
                if collected.finished:
                    break
            healthy = collected.finished and not retire
            if not collected.finished:  # the worker died (the memory cap): say why, as for a forked child
                status = self._retire(worker)
                raise _no_answer(status, worker.err, self.limits, where)
            return collected.answer()
        except OSError as exc:  # the pipe from a worker that is gone
            raise QueryError(f"{where}: the query worker failed ({type(exc).__name__})") from None
        finally:
            if healthy:
                self._idle.put(worker)
            else:
                self._replace(worker)

    def close(self) -> None:
        """Stop every worker."""
        self.closed = True
        with self._lock:
            workers = list(self._workers)
        for worker in workers:
            self._retire(worker)
            worker.err.close()
