"""Atomic writes: a failure leaves neither a partial file nor a changed old one."""

from __future__ import annotations

import pytest

from genai_kg.errors import GenaiKgError
from genai_kg.fileio import atomic_path, write_text_atomic


def test_write_replaces_the_file_whole(tmp_path):
    target = tmp_path / "out.ttl"
    target.write_text("old", encoding="utf-8")
    write_text_atomic(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


def test_failure_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "out.ttl"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("boom")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(GenaiKgError, match="does not exist"):
        write_text_atomic(tmp_path / "no" / "out.ttl", "x")
