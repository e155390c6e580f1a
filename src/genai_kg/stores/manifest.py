"""The manifest of an ``oxigraph:DIR`` store: which files (by path, size and modification time) it holds,
their prefixes, and how many times it was loaded. Any change to the files reloads them all.

The manifest is also genai-kg's claim on the folder: a store folder is used only if it is new, empty, or
holds this manifest, so that someone else's Oxigraph database (an ``oxigraph serve`` data folder) or a
folder of the user's files is refused untouched. The claim is written before Oxigraph creates its first
file, and a load in progress is recorded (``files: null``) rather than removed, so an interrupted load
still leaves a folder genai-kg recognises and reloads.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..errors import DataError, GenaiKgError
from ..fileio import read_regular, write_text_atomic

__all__ = [
    "MANIFEST_NAME",
    "MANIFEST_VERSION",
    "read_manifest",
    "write_manifest",
    "file_entry",
    "check_store_dir",
    "claim_store_dir",
]

#: The file in an ``oxigraph:DIR`` store that records what was loaded into it.
MANIFEST_NAME = "genai-kg-manifest.json"
MANIFEST_VERSION = 1
#: A manifest is a few lines per file; anything far larger is not ours.
_MANIFEST_MAX = 16 * 1024 * 1024


def file_entry(path: Path) -> dict:
    """What the manifest records of one file: its resolved path, size and modification time."""
    st = path.stat()
    return {"path": str(path.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def read_manifest(location: str | os.PathLike) -> dict | None:
    """The manifest of an ``oxigraph:DIR`` store (``files``, ``prefixes``, ``loads``), or None."""
    path = Path(location) / MANIFEST_NAME
    try:
        if path.stat().st_size > _MANIFEST_MAX:
            return None
        data = json.loads(read_regular(path))  # a regular file only: a FIFO here must not hang the run
    except (OSError, ValueError, GenaiKgError):
        return None
    return data if isinstance(data, dict) and data.get("version") == MANIFEST_VERSION else None


def write_manifest(location: Path, manifest: dict) -> None:
    """Write ``manifest`` into the store's folder at once (a reader sees the old one or the new one)."""
    text = json.dumps({"version": MANIFEST_VERSION, **manifest}, indent=1, sort_keys=True)
    write_text_atomic(location / MANIFEST_NAME, text)


def check_store_dir(location: Path) -> bool:
    """Whether ``location`` is a store of ours (True) or new or empty (False); else a one-line DataError.

    Only genai-kg's manifest makes a non-empty folder ours: an Oxigraph database someone else made, or any
    other files, are refused before anything is opened or written there.
    """
    if location.exists() and not location.is_dir():
        raise DataError(f"oxigraph:{location}: is a file, not a folder", argument="store")
    if not location.exists():
        return False
    try:
        names = os.listdir(location)
    except OSError as exc:
        raise DataError(f"oxigraph:{location}: cannot read the folder: {exc.strerror}", argument="store") from None
    if not names:
        return False
    if MANIFEST_NAME in names and read_manifest(location) is not None:
        return True
    if "CURRENT" in names and any(name.startswith("MANIFEST-") for name in names):  # RocksDB's own files
        reason = "holds an Oxigraph database genai-kg did not make (no genai-kg manifest); it is left as it is"
    else:
        reason = "is not empty and is not a genai-kg store (no genai-kg manifest)"
    raise DataError(f"oxigraph:{location}: {reason}; give a new or empty folder", argument="store")


def claim_store_dir(location: Path) -> None:
    """Make a new or empty folder ours before Oxigraph writes into it: a manifest that lists no files yet."""
    location.mkdir(parents=True, exist_ok=True)
    write_manifest(location, {"files": None, "prefixes": {}, "loads": 0})
