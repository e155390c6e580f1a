"""The manifest of an ``oxigraph:DIR`` store: which files (by path, size and modification time) it holds,
their prefixes, and how many times it was loaded. Any change to the files reloads them all."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..errors import DataError

__all__ = ["MANIFEST_NAME", "MANIFEST_VERSION", "read_manifest", "write_manifest", "file_entry", "check_store_dir"]

#: The file in an ``oxigraph:DIR`` store that records what was loaded into it.
MANIFEST_NAME = "genai-kg-manifest.json"
MANIFEST_VERSION = 1


def file_entry(path: Path) -> dict:
    """What the manifest records of one file: its resolved path, size and modification time."""
    st = path.stat()
    return {"path": str(path.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def read_manifest(location: str | os.PathLike) -> dict | None:
    """The manifest of an ``oxigraph:DIR`` store (``files``, ``prefixes``, ``loads``), or None."""
    try:
        data = json.loads((Path(location) / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("version") == MANIFEST_VERSION else None


def write_manifest(location: Path, manifest: dict) -> None:
    """Write ``manifest`` into the store's folder at once (a reader sees the old one or the new one)."""
    tmp = location / f".{MANIFEST_NAME}.tmp"
    tmp.write_text(json.dumps({"version": MANIFEST_VERSION, **manifest}, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, location / MANIFEST_NAME)


def check_store_dir(location: Path) -> None:
    """Refuse a path that is a file, or a non-empty folder that is not an Oxigraph store of ours."""
    if location.exists() and not location.is_dir():
        raise DataError(f"oxigraph:{location}: is a file, not a folder", argument="store")
    ours = (location / MANIFEST_NAME).exists() or (location / "CURRENT").exists()
    if location.is_dir() and not ours and any(location.iterdir()):
        raise DataError(
            f"oxigraph:{location}: folder is not empty and holds no Oxigraph store; give a new or empty folder",
            argument="store",
        )
