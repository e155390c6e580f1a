"""The audit hook: while untrusted input is parsed or queried, no socket, no other file, no process.

It is defence in depth behind the explicit checks: a refused operation raises PermissionError where it
happens, and a violation that a library swallows is still reported (as :class:`UnsafeInput`) after the
block. The hook is installed once and gated by a context variable, so outside :func:`guarded` blocks it
costs one lookup per audited event and refuses nothing.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import site
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UnsafeInput
from ..paths import ONTOLOGY_DIR, QUERIES_DIR
from ..urls import redact

__all__ = ["Policy", "guarded", "lifted", "active", "guard_process", "REMOTE_REMEDY"]

#: The remedy for a refusal that ``allow_remote=True`` would lift.
REMOTE_REMEDY = ("allow_remote", "to permit it")


@dataclass
class Policy:
    """What a guarded block may do, and what it tried and was refused (``(what, network)`` pairs)."""

    where: str
    network: bool
    violations: list[tuple[str, bool]] = field(default_factory=list)

    def refusal(self) -> UnsafeInput | None:
        """The error for the first refused operation, or None if nothing was refused."""
        if not self.violations:
            return None
        what, network = self.violations[0]
        return UnsafeInput(f"{self.where}: refused to {what}", remedy=REMOTE_REMEDY if network else None)


_ACTIVE: contextvars.ContextVar[Policy | None] = contextvars.ContextVar("genai_kg_guard", default=None)
#: Set only in a forked query child: there every thread is guarded (a context variable is per thread).
_PROCESS_POLICY: Policy | None = None
_HOOK_LOCK = threading.Lock()
_HOOK_INSTALLED = False
_NETWORK_EVENTS = frozenset(
    {
        "socket.connect",
        "socket.bind",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyaddr",
        "socket.getnameinfo",
        "socket.sendto",
        "socket.sendmsg",
        "urllib.Request",
        "http.client.connect",
        "ftplib.connect",
        "smtplib.connect",
        "imaplib.open",
        "poplib.connect",
        "nntplib.connect",
        "telnetlib.Telnet.open",
        "webbrowser.open",
    }
)
_PROCESS_EVENTS = frozenset(
    {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.startfile", "pty.spawn"}
)
_ROOTS: tuple[str, ...] | None = None
_DATA: tuple[str, ...] | None = None
_IMPORT_SUFFIXES = (".py", ".pyc", ".pyi", ".so", ".pyd", ".pth", ".zip", ".egg-link", ".typed")


def _folder(path) -> str:
    return os.path.join(os.path.abspath(path), "")


def _readable_roots() -> tuple[str, ...]:
    """Folders whose *modules* Python itself may open while guarded: the interpreter's library and packages."""
    global _ROOTS
    if _ROOTS is None:
        roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
        with contextlib.suppress(Exception):
            roots.update(site.getsitepackages())
        with contextlib.suppress(Exception):
            roots.add(site.getusersitepackages())
        _ROOTS = tuple(sorted(_folder(r) for r in roots if r))
    return _ROOTS


def _package_data() -> tuple[str, ...]:
    """Folders whose every file may be read while guarded: the package's own (its modules and page assets,
    the bundled ontology and queries)."""
    global _DATA
    if _DATA is None:
        package = Path(__file__).resolve().parent.parent
        _DATA = tuple(sorted({_folder(package), _folder(ONTOLOGY_DIR.resolve()), _folder(QUERIES_DIR.resolve())}))
    return _DATA


def _open_allowed(path, mode: str | None, flags: int) -> bool:
    """Python's own imports and the package's own data may be read; nothing else may be opened while guarded.

    Under Python's installation only modules are readable, never its other files: a JSON-LD ``@context`` or
    a ``FROM <file:...>`` naming ``/usr/lib/python3/…/some.json`` or a package's data is refused like any
    other file the user did not name.
    """
    if isinstance(path, int):
        return True  # an already-open descriptor
    try:
        name = os.path.abspath(os.fsdecode(path))
    except (TypeError, ValueError):
        return False
    writing = bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC)) or bool(
        mode and any(c in mode for c in "wax+")
    )
    if writing:  # only the import system's bytecode cache
        return f"{os.sep}__pycache__{os.sep}" in name and name.startswith(_readable_roots() + _package_data())
    if name.startswith(_package_data()):
        return True
    # Modules only, from Python's library and packages or another sys.path entry (the current folder under
    # ``python -m``): never data files.
    return name.endswith(_IMPORT_SUFFIXES) and (
        name.startswith(_readable_roots()) or any(name.startswith(_folder(p or ".")) for p in sys.path)
    )


def _audit(event: str, args: tuple) -> None:
    policy = _ACTIVE.get() or _PROCESS_POLICY
    if policy is None:
        return
    if event == "open":
        path, mode, flags = (tuple(args) + (None, None, 0))[:3]
        if _open_allowed(path, mode, flags or 0):
            return
        what = f"open {os.fsdecode(path) if isinstance(path, (str, bytes, os.PathLike)) else path!r}"
        policy.violations.append((f"{what} (only the files you name are read)", False))
    elif event in _NETWORK_EVENTS:
        if policy.network:
            return
        target = " ".join(str(a) for a in args[1:3] if a is not None) if event.startswith("socket.") else ""
        if event == "urllib.Request" and args:
            target = redact(str(args[0]))
        policy.violations.append((f"reach the network ({event} {target}".rstrip() + ")", True))
    elif event in _PROCESS_EVENTS:
        policy.violations.append((f"start a process ({event})", False))
    else:
        return
    raise PermissionError(f"genai-kg guard: refused to {policy.violations[-1][0]}")


def _install_hook() -> None:
    global _HOOK_INSTALLED
    if _HOOK_INSTALLED:
        return
    with _HOOK_LOCK:
        if not _HOOK_INSTALLED:
            _readable_roots()
            _package_data()
            sys.addaudithook(_audit)
            _HOOK_INSTALLED = True


@contextlib.contextmanager
def guarded(where: str, *, allow_remote: bool = False) -> Iterator[None]:
    """Run the block under the audit hook: no network (unless ``allow_remote``), no other files, no processes.

    A refused operation raises PermissionError where it happens; if the library under us swallows it, the
    block still ends in :class:`UnsafeInput` naming what was refused.
    """
    _install_hook()
    policy = Policy(where, network=allow_remote)
    token = _ACTIVE.set(policy)
    try:
        yield
    except BaseException as exc:
        refusal = policy.refusal()
        if refusal is not None:
            raise refusal from exc
        raise
    finally:
        _ACTIVE.reset(token)
    refusal = policy.refusal()
    if refusal is not None:
        raise refusal


@contextlib.contextmanager
def lifted() -> Iterator[None]:
    """Suspend the guard inside a guarded block (for trusted code of ours that must open its own files)."""
    token = _ACTIVE.set(None)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def guard_process(where: str, *, allow_remote: bool = False) -> Policy:
    """Guard every thread of this process from now on (only ever called in a forked child, which exits).

    Returns the policy, whose :meth:`Policy.refusal` tells what a thread the engine started tried to do.
    """
    global _PROCESS_POLICY
    _install_hook()
    _PROCESS_POLICY = Policy(where, network=allow_remote)
    return _PROCESS_POLICY


def active() -> Policy | None:
    """The policy guarding this thread, or None outside a guarded block."""
    return _ACTIVE.get()
