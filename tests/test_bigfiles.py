"""Big files at first contact (issue 24): an on-disk store says what it loaded, reused or reloaded and why;
loading is not on the query's clock; the memory store says what it will take, and refuses what cannot fit.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

import genai_kg
from genai_kg import load
from genai_kg.errors import DataError
from genai_kg.guard.limits import available_memory
from genai_kg.stores import read_manifest

SOURCE = os.pathsep.join([str(Path(genai_kg.__file__).parents[1]), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
MINE = """@prefix gkg: <https://w3id.org/genai-kg/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/mine/> .
ex:Model a gkg:LargeLanguageModel ; rdfs:label "my model"@en ; gkg:developedBy ex:Lab .
ex:Lab a gkg:Organization ; rdfs:label "My Lab"@en .
"""


def genai_kg_cli(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "genai_kg", *args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "PYTHONWARNINGS": "ignore", "PYTHONPATH": SOURCE},
    )


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def generate(triples: int) -> str:
    spec = importlib.util.spec_from_file_location("generate", Path(__file__).parents[1] / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate(triples, seed=1)


# -- what the first, second and changed runs say ----------------------------------------------------------
def test_first_run_stores_and_says_so_second_reuses_a_changed_file_reloads_with_its_reason(tmp_path):
    data = tmp_path / "mine.ttl"
    data.write_text(MINE, encoding="utf-8")
    store = tmp_path / "store"
    query = ["query", "makers", "--format", "csv", "--data", str(data), "--store", f"oxigraph:{store}"]

    first = genai_kg_cli(*query, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "My Lab" in first.stdout
    [said] = lines(first.stderr)
    stored = re.fullmatch(rf"oxigraph:{re.escape(str(store))}: stored ([\d,]+) triples of mine\.ttl \(with the bundled"
                          r" graph\) in [\d.]+ s; later runs reuse them", said)
    assert stored, said
    count = int(stored[1].replace(",", ""))
    assert count == read_manifest(store)["triples"] > 1000

    second = genai_kg_cli(*query, cwd=tmp_path)
    assert second.returncode == 0 and second.stdout == first.stdout
    assert lines(second.stderr) == [
        f"oxigraph:{store}: reusing {count:,} triples of mine.ttl (with the bundled graph) stored there"
        " (unchanged; not reloaded)"
    ]
    assert read_manifest(store)["loads"] == 1

    data.write_text(MINE + 'ex:Other a gkg:Organization ; rdfs:label "Other"@en .\n', encoding="utf-8")
    third = genai_kg_cli(*query, cwd=tmp_path)
    assert third.returncode == 0
    reload, stored_again = lines(third.stderr)
    assert reload == f"oxigraph:{store}: reloading, because mine.ttl changed size ({len(MINE):,} ->" \
        f" {data.stat().st_size:,} bytes)"
    assert f"stored {count + 2:,} triples" in stored_again
    assert read_manifest(store)["loads"] == 2

    info = data.stat()
    os.utime(data, ns=(info.st_atime_ns, info.st_mtime_ns + 5_000_000_000))  # same size, newer
    fourth = genai_kg_cli(*query, cwd=tmp_path)
    assert lines(fourth.stderr)[0] == f"oxigraph:{store}: reloading, because mine.ttl was modified since it was loaded"

    quiet = genai_kg_cli(*query, "--no-progress", cwd=tmp_path)
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_an_unchanged_store_is_reused_read_only_and_shared_with_readers_never_with_a_writer(tmp_path):
    """Reuse only reads: the store is opened read-only at once (not for writing first), so the folder is left
    as it was. Oxigraph calls reading a folder while another process writes it undefined behaviour, so a
    reader holds a shared lock: readers share the folder, a writer is kept out while one reads (a changed
    file says the folder is in use), and a reader is kept out while a writer holds it."""
    import gc

    import pyoxigraph as ox

    data = tmp_path / "mine.ttl"
    data.write_text(MINE, encoding="utf-8")
    store = tmp_path / "store"
    query = ["query", "makers", "--format", "csv", "--data", str(data), "--store", f"oxigraph:{store}"]
    assert genai_kg_cli(*query, cwd=tmp_path).returncode == 0
    in_use = f"Error: --store: oxigraph:{store}: in use by another process"

    def snapshot() -> dict:
        return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in store.iterdir()}

    before = snapshot()
    assert genai_kg_cli(*query, cwd=tmp_path).returncode == 0
    assert snapshot() == before  # reused: not a file of the folder written, renamed or added

    reader = load(data, store=f"oxigraph:{store}")  # this process reads the folder, reused
    try:
        shared = genai_kg_cli(*query, cwd=tmp_path)
        assert shared.returncode == 0, shared.stderr
        assert "My Lab" in shared.stdout and "reusing" in shared.stderr
        data.write_text(MINE + 'ex:Other a gkg:Organization ; rdfs:label "Other"@en .\n', encoding="utf-8")
        changed = genai_kg_cli(*query, cwd=tmp_path)
        assert changed.returncode == 2
        assert lines(changed.stderr)[-1] == in_use
        assert read_manifest(store)["loads"] == 1  # not reloaded under the reader
    finally:
        del reader
        gc.collect()

    data.write_text(MINE, encoding="utf-8")
    reloaded = genai_kg_cli(*query, cwd=tmp_path)  # the reader is gone: the writer may load again
    assert reloaded.returncode == 0, reloaded.stderr
    assert read_manifest(store)["loads"] == 2
    holder = ox.Store(str(store))  # this process holds RocksDB's lock on the folder, for writing
    try:
        unchanged = genai_kg_cli(*query, cwd=tmp_path)
        assert unchanged.returncode == 2  # not read while it may be written
        assert lines(unchanged.stderr)[-1] == in_use
    finally:
        del holder


def test_an_interrupted_load_is_reloaded_with_its_reason(tmp_path):
    data = tmp_path / "mine.ttl"
    data.write_text(MINE, encoding="utf-8")
    store = tmp_path / "store"
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <https://example.org/> .\nex:a ex:b .\n", encoding="utf-8")
    with pytest.raises(DataError):
        load([data, bad], store=f"oxigraph:{store}")  # fails half-way: nothing recorded as loaded
    result = genai_kg_cli("stats", "--data", str(data), "--store", f"oxigraph:{store}", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert lines(result.stderr)[0] == f"oxigraph:{store}: reloading, because its last load did not finish"


# -- loading is not on the query's clock ---------------------------------------------------------------------
def test_a_load_longer_than_the_timeout_is_not_counted_against_the_query(tmp_path):
    data = tmp_path / "big.ttl"
    data.write_text(generate(300_000), encoding="utf-8")
    store = tmp_path / "store"
    timeout = 1
    start = time.monotonic()
    result = genai_kg_cli(
        "query", "--sparql", "ASK { ?s a <https://w3id.org/genai-kg/Organization> }", "--timeout", str(timeout),
        "--data", str(data), "--store", f"oxigraph:{store}", cwd=tmp_path,
    )
    took = time.monotonic() - start
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "true"
    loaded = re.search(r"stored ([\d,]+) triples of big\.ttl .* in ([\d.]+) s", result.stderr)
    assert loaded, result.stderr
    assert int(loaded[1].replace(",", "")) > 300_000
    assert float(loaded[2]) > timeout and took > timeout  # the load alone outlasted the query's timeout


# -- the memory store says what it will take ----------------------------------------------------------------
def _sparse(path: Path, size: int) -> Path:
    """A file of ``size`` bytes that takes no disk: a byte that is not UTF-8, then a hole."""
    with open(path, "wb") as fh:
        fh.write(b"\xff\n")
        fh.truncate(size)
    return path


def test_memory_store_refuses_a_file_the_machine_clearly_cannot_hold(tmp_path):
    have = available_memory()
    assert have, "MemAvailable is read from /proc/meminfo"
    big = _sparse(tmp_path / "big.nt", have)  # N-Triples: about 120 bytes a triple, 400 bytes each in memory
    result = genai_kg_cli("stats", "--data", str(big), "--store", "memory", cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    [said] = lines(result.stderr)
    assert said.startswith("Error: --store: big.nt (with the bundled graph) will take roughly ")
    assert "GB of memory in the memory store, and" in said
    assert said.endswith("GB is available; refused (the oxigraph:DIR store keeps the triples on disk and does not"
                         " need it)")
    with pytest.raises(DataError, match="GB is available; refused"):
        load([big], store="memory")


def test_memory_store_says_what_a_big_file_will_take_before_loading(tmp_path):
    big = _sparse(tmp_path / "big.nt", 100 * 1024 * 1024)
    result = genai_kg_cli("stats", "--data", str(big), "--store", "memory", cwd=tmp_path, timeout=120)
    note, error = lines(result.stderr)
    assert re.fullmatch(
        r"big\.nt \(with the bundled graph\) will take roughly 0\.3 GB of memory in the memory store \([\d.]+ GB"
        r" available\); the oxigraph:DIR store keeps the triples on disk and does not need it", note
    ), note
    assert error.startswith("Error: ") and "big.nt" in error  # then loading it fails: the file is not RDF
