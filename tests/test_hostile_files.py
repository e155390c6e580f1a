"""Hostile files and folders (issue 19, items 2, 3, 5 and 9): someone else's Oxigraph database, devices and
FIFOs at ``-o``, non-regular inputs, and an engine's own output on stderr.

Devices are only ever ones the test makes itself in its temporary folder (``mknod``), never the machine's.
Making a device needs root: those cases run where the tests run as root (CI); elsewhere they skip, and with
``CI`` set they fail instead.
"""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from _hostile import QUICK, SOURCE, Run, refused
from conftest import missing

from genai_kg import load
from genai_kg.errors import DataError
from genai_kg.stores import MANIFEST_NAME, read_manifest

#: Start-up of ``python -m genai_kg`` with the bundled graph is ~1-2 s; a refused input adds little to it.
#: Old code read /dev/zero until memory ran out: the subprocess gets a cap so a regression cannot take the machine.
CAP = 3 * 1024**3


def _cap_memory() -> None:  # pragma: no cover - runs in the child before exec
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


def run(*args: str, cwd: Path, timeout: float = 60, env: dict | None = None, python: str | None = None) -> Run:
    """``python -m genai_kg ARGS`` (or ``python -c PYTHON ARGS``) in ``cwd``, bounded in time and memory."""
    start = time.monotonic()
    head = ["-c", python] if python else ["-m", "genai_kg"]
    proc = subprocess.run(
        [sys.executable, *head, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_cap_memory,
        env={**os.environ, "PYTHONWARNINGS": "ignore", "PYTHONPATH": SOURCE, **(env or {})},
    )
    return Run(proc.returncode, proc.stdout, proc.stderr, time.monotonic() - start)


def snapshot(folder: Path) -> dict[str, tuple]:
    """Every file under ``folder`` with its kind, size, modification time and content hash."""
    import hashlib

    seen = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if stat.S_ISREG(info.st_mode) else None
        seen[str(path.relative_to(folder))] = (stat.S_IFMT(info.st_mode), info.st_size, info.st_mtime_ns, digest)
    return seen


def root_only() -> None:
    if os.geteuid() != 0:
        missing("root (to make a device node with mknod)", "run the tests as root, as CI does")


def make_null(folder: Path) -> Path:
    """A character device like /dev/null (1, 3), made in the test's own folder."""
    root_only()
    node = folder / "null"
    os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    os.chmod(node, 0o666)
    return node


# -- 2: a store folder genai-kg did not make ------------------------------------------------------------
def _count(folder: Path) -> int:
    import pyoxigraph as ox

    return len(ox.Store.read_only(str(folder)))


def test_an_oxigraph_database_made_by_the_oxigraph_tool_is_refused_untouched(oxigraph, tmp_path):
    data = tmp_path / "theirs.nt"
    data.write_text("<http://example.org/a> <http://example.org/p> \"kept\" .\n", encoding="utf-8")
    db = tmp_path / "db"
    subprocess.run([oxigraph, "load", "--location", str(db), "--file", str(data)], check=True, capture_output=True)
    before = snapshot(db)
    refused(run("query", "makers", "--store", f"oxigraph:{db}", cwd=tmp_path), "did not make", str(db))
    with pytest.raises(DataError, match="did not make"):
        load(store=f"oxigraph:{db}")
    assert snapshot(db) == before
    assert _count(db) == 1


@pytest.mark.slow
def test_an_oxigraph_server_data_folder_is_refused_untouched(oxigraph_server, tmp_path):
    db = tmp_path / "served"
    with oxigraph_server(db) as (_proc, _query, update):
        body = urllib.parse.urlencode({"update": 'INSERT DATA { <http://e/a> <http://e/p> "theirs" }'}).encode()
        urllib.request.urlopen(urllib.request.Request(update, data=body), timeout=10).close()
    before = snapshot(db)
    refused(run("export", "--store", f"oxigraph:{db}", cwd=tmp_path), "did not make")
    assert snapshot(db) == before
    assert _count(db) == 1


def test_a_folder_of_user_files_with_one_named_current_is_refused_untouched(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("my notes", encoding="utf-8")
    (folder / "CURRENT").write_text("my current draft", encoding="utf-8")
    before = snapshot(folder)
    refused(run("query", "makers", "--store", f"oxigraph:{folder}", cwd=tmp_path), "not a genai-kg store")
    with pytest.raises(DataError, match="not a genai-kg store"):
        load(store=f"oxigraph:{folder}")
    assert snapshot(folder) == before  # no LOCK, no LOG, no manifest


def test_a_fifo_named_like_the_manifest_is_refused_not_waited_on(tmp_path):
    folder = tmp_path / "store"
    folder.mkdir()
    os.mkfifo(folder / MANIFEST_NAME)
    (folder / "CURRENT").write_text("x", encoding="utf-8")
    refused(run("query", "makers", "--store", f"oxigraph:{folder}", cwd=tmp_path), "not a genai-kg store")
    assert sorted(os.listdir(folder)) == ["CURRENT", MANIFEST_NAME]


def test_a_new_store_is_claimed_before_oxigraph_writes_so_an_interrupted_load_is_still_ours(tmp_path):
    from genai_kg.stores import open_graph

    folder = tmp_path / "store"
    graph = open_graph(f"oxigraph:{folder}")  # as if killed right after opening: Oxigraph's files, no load
    assert read_manifest(folder)["files"] is None
    graph.close()
    del graph
    kg = load(store=f"oxigraph:{folder}")
    assert len(kg) > 1000 and read_manifest(folder)["loads"] == 1


# -- 3: devices and FIFOs at -o ---------------------------------------------------------------------------
WRITERS = {
    "query": ["query", "makers", "--format", "csv"],
    "export": ["export", "--format", "nt"],
    "view": ["view"],
    "graph-export": ["export", "--graph-format", "graphml"],
}


@pytest.mark.parametrize("command", list(WRITERS), ids=list(WRITERS))
def test_output_into_a_character_device_writes_into_it_and_keeps_it(tmp_path, command):
    node = make_null(tmp_path)
    result = run(*WRITERS[command], "-o", str(node), cwd=tmp_path)
    assert result.code == 0, result.err
    info = os.lstat(node)
    assert stat.S_ISCHR(info.st_mode) and info.st_rdev == os.makedev(1, 3)
    assert stat.S_IMODE(info.st_mode) == 0o666
    assert sorted(os.listdir(tmp_path)) == ["null"]  # no temporary left beside it


def _drain(fifo: Path, box: dict) -> threading.Thread:
    """A reader on ``fifo`` in a thread (waiting in ``open`` for a writer); what it read lands in ``box``."""

    def read():
        with open(fifo, "rb") as fh:
            box["data"] = fh.read()

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


def test_output_into_a_fifo_feeds_its_reader_and_keeps_the_fifo(tmp_path):
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    box: dict = {}
    reader = _drain(fifo, box)
    time.sleep(0.2)  # the reader has the FIFO open when the command writes
    result = run(*WRITERS["query"], "-o", str(fifo), cwd=tmp_path)
    reader.join(30)
    assert result.code == 0, result.err
    assert box["data"].decode("utf-8").startswith("maker,makerLabel,systems,names")
    assert "OpenAI" in box["data"].decode("utf-8")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_output_into_a_fifo_without_reader_is_refused_and_kept(tmp_path):
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    refused(run(*WRITERS["query"], "-o", str(fifo), cwd=tmp_path), "no reader", str(fifo))
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(os.listdir(tmp_path)) == ["out.csv"]


def test_a_link_to_a_fifo_is_neither_written_through_nor_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "out.csv"
    link.symlink_to(fifo)
    refused(run(*WRITERS["query"], "-o", str(link), cwd=tmp_path), "link to a FIFO")
    assert link.is_symlink() and stat.S_ISFIFO(os.stat(link).st_mode)


def test_a_block_device_at_output_is_refused_untouched(tmp_path):
    root_only()
    node = tmp_path / "disk"
    os.mknod(node, 0o600 | stat.S_IFBLK, os.makedev(240, 7))  # a local-use major: no driver, nothing behind it
    refused(run(*WRITERS["query"], "-o", str(node), cwd=tmp_path), "block device")
    info = os.lstat(node)
    assert stat.S_ISBLK(info.st_mode) and info.st_rdev == os.makedev(240, 7)


def test_docs_into_a_folder_holding_a_fifo_is_refused_and_writes_nothing(tmp_path):
    folder = tmp_path / "site"
    folder.mkdir()
    os.mkfifo(folder / "index.html")
    refused(run("docs", "-o", str(folder), cwd=tmp_path), "FIFO")
    assert os.listdir(folder) == ["index.html"] and stat.S_ISFIFO(os.lstat(folder / "index.html").st_mode)


def test_fileio_writes_into_a_device_and_replaces_a_regular_file(tmp_path):
    from genai_kg.fileio import write_text_atomic

    node = make_null(tmp_path)
    write_text_atomic(node, "into the device")
    assert stat.S_ISCHR(os.lstat(node).st_mode)
    plain = tmp_path / "plain.txt"
    write_text_atomic(plain, "a file")
    assert plain.read_text(encoding="utf-8") == "a file"


# -- 5: inputs that are not regular files ----------------------------------------------------------------
@pytest.fixture
def zero(tmp_path) -> Path:
    link = tmp_path / "zero.nt"
    link.symlink_to("/dev/zero")  # reading the machine's /dev/zero is harmless; nothing here writes to it
    return link


@pytest.mark.parametrize("store", ["memory", "oxigraph", "auto"])
def test_data_linking_to_dev_zero_is_refused_at_once(tmp_path, zero, store):
    refused(run("stats", "--data", str(zero), "--store", store, cwd=tmp_path), "character device", "zero.nt")


def test_data_linking_to_dev_zero_is_refused_by_the_python_api(tmp_path, zero):
    script = (
        "import sys\nfrom genai_kg import load\nfrom genai_kg.errors import DataError\n"
        "try:\n    load([sys.argv[1]], store=sys.argv[2])\nexcept DataError as exc:\n    print(exc)\n"
    )
    for store in ("memory", "oxigraph"):
        result = run(str(zero), store, cwd=tmp_path, python=script)
        assert result.code == 0 and "character device" in result.out, (store, result.out, result.err)
        assert result.seconds < QUICK


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_data_that_is_a_fifo_is_refused_not_waited_on(tmp_path, store):
    fifo = tmp_path / "pipe.ttl"
    os.mkfifo(fifo)
    refused(run("stats", "--data", str(fifo), "--store", store, cwd=tmp_path), "FIFO", "pipe.ttl")


def _unblock(fifo: Path, seconds: float) -> threading.Thread:
    """After ``seconds``, open ``fifo`` for writing once and close it, so a reader stuck on it gets an end."""

    def poke():
        time.sleep(seconds)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
                return
            except OSError as exc:
                if exc.errno != errno.ENXIO:
                    return
                time.sleep(0.05)

    thread = threading.Thread(target=poke, daemon=True)
    thread.start()
    return thread


@pytest.mark.slow  # waits out a 10 s deadline
def test_the_python_api_refuses_a_fifo(tmp_path):
    fifo = tmp_path / "pipe.nt"
    os.mkfifo(fifo)
    poker = _unblock(fifo, 5)  # without the check, load would wait for a writer: this one sends nothing
    start = time.monotonic()
    with pytest.raises(DataError, match="FIFO"):
        load([fifo], store="oxigraph", bundled=False)
    assert time.monotonic() - start < 5
    poker.join(10)


def test_a_query_file_that_is_a_fifo_or_a_device_is_refused(tmp_path, zero):
    fifo = tmp_path / "mine.rq"
    os.mkfifo(fifo)
    refused(run("query", str(fifo), cwd=tmp_path), "FIFO", "mine.rq")
    endless = tmp_path / "endless.rq"
    endless.symlink_to("/dev/zero")
    refused(run("query", str(endless), cwd=tmp_path), "character device", "endless.rq")


def test_a_set_aside_file_that_is_a_fifo_or_a_device_is_refused(tmp_path, zero, sources):
    """``sources coverage --set-aside`` read its file with ``read_text``: a FIFO hung forever and a link to
    /dev/zero filled memory (an internal error at the cap)."""
    fifo = tmp_path / "aside.tsv"
    os.mkfifo(fifo)
    for path, kind in ((fifo, "FIFO"), (zero, "character device")):
        refused(run("sources", "coverage", str(sources), "--set-aside", str(path), cwd=tmp_path, timeout=30),
                kind, path.name)


def test_a_source_document_is_read_only_up_to_its_size(tmp_path):
    """The documents of ``--sources DIR`` go through the same reader as ``--data``: a regular file is read
    no further than its size when opened (a file under /proc says 0 bytes and then yields text; one that
    grows while it is read would feed on)."""
    import hashlib

    from genai_kg.sources import document_hashes, read_documents

    (tmp_path / "status.txt").symlink_to("/proc/self/status")
    assert os.stat(tmp_path / "status.txt").st_size == 0 and Path("/proc/self/status").read_bytes()
    assert read_documents(tmp_path) == {"status.txt": ""}
    assert document_hashes(tmp_path) == {"status.txt": hashlib.sha256(b"").hexdigest()}


def test_a_regular_file_is_read_only_up_to_its_size(tmp_path):
    from genai_kg.fileio import open_regular, read_regular

    path = tmp_path / "grows.nt"
    path.write_bytes(b"abc")
    with open_regular(path) as fh:
        with open(path, "ab") as more:
            more.write(b"def")  # it grows after it was opened
        assert fh.read() == b"abc"
    assert read_regular(path) == b"abcdef"


# -- 9: an engine's own output stays off the terminal ------------------------------------------------------
CAPPED_CLI = (
    "import sys\nfrom genai_kg.guard import limits\n"
    "limits.LIMITS = limits.Limits(max_memory=300 * 1024 * 1024)\n"
    "from genai_kg.cli import main\nmain(sys.argv[1:], prog_name='genai-kg')\n"
)


def test_a_rust_allocation_failure_in_the_child_is_one_line(tmp_path):
    binds = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(40))
    text = f'SELECT (STRLEN(?v40) AS ?n) WHERE {{ BIND("xxxxxxxxxxxxxxxx" AS ?v0) {binds} }}'
    result = run(
        "query", "--sparql", text, "--store", "oxigraph", cwd=tmp_path, python=CAPPED_CLI,
        env={"RUST_BACKTRACE": "1"},
    )
    refused(result, "memory", limit=60)
    assert "memory allocation of" in result.err  # what the engine said, inside the one line
    assert "backtrace" not in result.err




def test_a_fifo_given_to_a_store_in_use_leaves_the_store_as_it_was(tmp_path):
    data = tmp_path / "mine.nt"
    data.write_text('<https://example.org/a> <https://example.org/p> "mine" .\n', encoding="utf-8")
    store = tmp_path / "store"
    load([data], store=f"oxigraph:{store}").graph.close()
    fifo = tmp_path / "pipe.nt"
    os.mkfifo(fifo)
    refused(run("stats", "--data", str(data), "--data", str(fifo), "--store", f"oxigraph:{store}", cwd=tmp_path),
            "FIFO")
    manifest = read_manifest(store)
    assert manifest["loads"] == 1 and manifest["files"]  # refused before the store was touched
