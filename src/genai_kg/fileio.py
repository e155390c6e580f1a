"""Reading the user's files and writing output files, so that neither can hang, exhaust memory or harm.

Reading: only regular files are read (checked with ``fstat`` on the opened file, so a path swapped after a
check cannot slip through), and at most the size they had when opened: a path that is or links to
``/dev/zero`` or a FIFO is refused in one line instead of growing memory without bound or waiting forever.

Writing: every write goes to a new temporary file beside its target (created with ``O_EXCL``, so it never
follows a symlink someone planted) and is renamed over the target only on success. A rename replaces a
symlink at the target rather than writing through it. An existing file keeps its permissions (a 0600 file
stays 0600); a new one gets the process's umask, as a plain ``open`` would give it. A target that exists
and is not a regular file is never replaced: a character device or a FIFO (``-o /dev/null``, a named pipe)
is written into directly once the output is complete; a block device, a socket, or a link to a device other
than the process's own standard streams is refused.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from .errors import DataError, GenaiKgError

__all__ = [
    "atomic_path",
    "write_text_atomic",
    "write_bytes_atomic",
    "write_folder_atomic",
    "new_file_mode",
    "open_regular",
    "read_regular",
    "file_kind",
]


# -- reading ---------------------------------------------------------------------------------------------
def file_kind(mode: int) -> str:
    """What a file of ``st_mode`` is, in words (``a FIFO``, ``a character device``, ...).

    >>> file_kind(stat.S_IFIFO), file_kind(stat.S_IFREG)
    ('a FIFO', 'a regular file')
    """
    for test, name in (
        (stat.S_ISREG, "a regular file"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


class RegularFile(io.RawIOBase):
    """A regular file opened for reading that yields at most the bytes it held when opened (``size``)."""

    def __init__(self, fd: int, size: int):
        super().__init__()
        self._fd, self.size, self._left = fd, size, size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._left <= 0:
            return 0
        view = memoryview(buffer).cast("B")
        n = os.readv(self._fd, [view[: min(len(view), self._left)]])
        self._left -= n
        return n

    def fileno(self) -> int:
        return self._fd

    def close(self) -> None:
        if not self.closed:
            with contextlib.suppress(OSError):
                os.close(self._fd)
        super().close()


def open_regular(path: str | os.PathLike) -> RegularFile:
    """Open ``path`` for reading if it is a regular file (after following links); else one-line DataError.

    The file is opened without blocking (a FIFO would otherwise wait for a writer) and checked with
    ``fstat`` on what was opened. Reads stop at the size it had then, so a file that grows while it is read
    (or a device behind a path) cannot feed endless bytes.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise DataError("no such file", path=path) from None
    except IsADirectoryError:
        raise DataError("is a folder, not a file", path=path) from None
    except PermissionError:
        raise DataError("permission denied", path=path) from None
    except OSError as exc:
        raise DataError(f"cannot open: {exc.strerror or exc}", path=path) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = file_kind(info.st_mode)
            if kind == "a folder":
                raise DataError("is a folder, not a file", path=path)
            raise DataError(f"is {kind}, not a regular file; only regular files are read", path=path)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return RegularFile(fd, info.st_size)


def read_regular(path: str | os.PathLike) -> bytes:
    """The bytes of a regular file, at most as many as it held when opened (see :func:`open_regular`)."""
    with open_regular(path) as fh:
        chunks, left = [], fh.size
        while left > 0:
            chunk = fh.read(left)
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    return b"".join(chunks)


# -- writing ---------------------------------------------------------------------------------------------
#: Links to these may be written through: the process's own standard streams (``-o /dev/stdout``).
_OWN_STREAMS = ("/dev/stdout", "/dev/stderr")
_OWN_STREAM_FOLDERS = ("/dev/fd/", "/proc/self/fd/")


def _into_special(target: Path) -> bool:
    """True when ``target`` exists and is a character device or FIFO to write into directly (not to replace);
    GenaiKgError when it exists, is not a regular file, and must not be written at all."""
    try:
        info = os.lstat(target)
    except OSError:
        return False
    if stat.S_ISLNK(info.st_mode):
        try:
            info = os.stat(target)
        except OSError:
            return False  # a dangling link: replaced by the rename, as before
        if stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode):
            return False
        name = os.path.abspath(target)
        if name not in _OWN_STREAMS and not name.startswith(_OWN_STREAM_FOLDERS):
            raise GenaiKgError(
                f"cannot write: it is a link to {file_kind(info.st_mode)}; give that file's own path", path=target
            )
    if stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode):
        return True
    if stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode) or stat.S_ISLNK(info.st_mode):
        return False
    raise GenaiKgError(f"cannot write: it is {file_kind(info.st_mode)}, not a file; refused", path=target)


def _copy_into_special(source: Path, target: Path) -> None:
    """Write ``source``'s bytes into the existing device or FIFO ``target``, without replacing it."""
    flags = os.O_WRONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(target, flags)  # no O_CREAT, no O_TRUNC: what is there stays there
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise GenaiKgError("cannot write: the FIFO has no reader", path=target) from None
        raise GenaiKgError(f"cannot write: {exc.strerror or exc}", path=target) from None
    with os.fdopen(fd, "wb") as out:
        info = os.fstat(fd)
        if not (stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode)):  # swapped since it was looked at
            raise GenaiKgError(f"cannot write: it became {file_kind(info.st_mode)}; refused", path=target)
        os.set_blocking(fd, True)
        with open(source, "rb") as data:
            shutil.copyfileobj(data, out, 1 << 20)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def new_file_mode() -> int:
    """The mode ``open(path, "w")`` would give a new file: 0666 less the process's umask."""
    return 0o666 & ~_umask()


def _mode_for(target: Path) -> int:
    """An existing regular file's permission bits; else those of a new file."""
    try:
        info = os.lstat(target)
    except OSError:
        return new_file_mode()
    return stat.S_IMODE(info.st_mode) if stat.S_ISREG(info.st_mode) else new_file_mode()


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it over ``path`` only if the block succeeds.

    The temporary file lives in the target's folder so that the final rename is atomic on POSIX. On any
    exception it is removed and an existing ``path`` is left untouched. The result keeps an existing
    file's permissions; a symlink at ``path`` is replaced, never written through. An existing character
    device or FIFO is written into (once the block succeeds), never replaced; other non-regular files are
    refused.
    """
    target = Path(path)
    if _into_special(target):  # a device or FIFO: the output is assembled aside, then written into it
        fd, tmp = tempfile.mkstemp(prefix="genai-kg.", suffix=".tmp")
        os.close(fd)
        tmp_path = Path(tmp)
        try:
            yield tmp_path
            _copy_into_special(tmp_path, target)
        finally:
            with contextlib.suppress(OSError):
                tmp_path.unlink()
        return
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise GenaiKgError(f"cannot write: folder {folder} does not exist", path=target)
    if target.is_dir() and not target.is_symlink():
        raise GenaiKgError("cannot write: it is a folder", path=target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:100]}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise GenaiKgError(f"cannot write: {exc.strerror}", path=target) from exc
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, _mode_for(target))
        os.replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise


def write_text_atomic(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_bytes_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def _missing_parents(folder: Path) -> list[Path]:
    missing = []
    for parent in folder.absolute().parents:
        if parent.exists():
            break
        missing.append(parent)
    return missing[::-1]


def write_folder_atomic(directory: str | os.PathLike, files: Mapping[str, str]) -> list[Path]:
    """Write ``files`` (name → UTF-8 text) into ``directory``, all of them or none; return their paths.

    A new folder is built under a temporary name beside it and renamed into place at the end. Into an
    existing folder every file is first written to a new temporary file there; only when all are written
    are they renamed over their names, so a symlink planted in the folder is replaced, not followed. On
    failure every temporary file (and any folder this call created) is removed.
    """
    folder = Path(directory)
    for name in files:
        if not name or os.sep in name or name in (".", "..") or (os.altsep and os.altsep in name):
            raise GenaiKgError(f"cannot write {name!r}: not a plain file name", path=folder)
    if folder.exists() and not folder.is_dir():
        raise GenaiKgError("cannot write: it is a file", path=folder)
    try:
        if folder.is_dir():
            return _into_existing(folder, files)
        return _into_new(folder, files)
    except OSError as exc:
        raise GenaiKgError(f"cannot write: {exc.strerror or exc}", path=folder) from None


def _into_existing(folder: Path, files: Mapping[str, str]) -> list[Path]:
    for name in files:
        target = folder / name
        with contextlib.suppress(FileNotFoundError):
            mode = os.lstat(target).st_mode
            if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):  # a folder, FIFO or device is never replaced
                raise GenaiKgError(f"cannot write: it is {file_kind(mode)}, not a file; refused", path=target)
    staged: list[tuple[Path, Path]] = []
    try:
        for name, text in files.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name[:100]}.", suffix=".tmp", dir=folder)
            staged.append((Path(tmp), folder / name))
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.chmod(tmp, _mode_for(folder / name))
    except BaseException:
        for staged_tmp, _ in staged:
            with contextlib.suppress(OSError):
                staged_tmp.unlink()
        raise
    for staged_tmp, target in staged:
        os.replace(staged_tmp, target)
    return [target for _, target in staged]


def _into_new(folder: Path, files: Mapping[str, str]) -> list[Path]:
    created = _missing_parents(folder)
    for parent in created:
        parent.mkdir()
    staging = None
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name[:100]}.", suffix=".tmp", dir=folder.absolute().parent))
        mode = new_file_mode()
        for name, text in files.items():
            path = staging / name
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), mode)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
        os.chmod(staging, 0o777 & ~_umask())  # mkdtemp made it 0700; a plain mkdir honours the umask
        os.rename(staging, folder)
        staging = None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
            for parent in reversed(created):
                with contextlib.suppress(OSError):
                    parent.rmdir()
    return [folder / name for name in files]
