"""Start-up time of the command line beside the cost of importing rdflib.

Runs each command ``--repeat`` times in a fresh interpreter (so nothing is cached in-process) and prints
the median wall time and its ratio to ``python -c "import rdflib"``. ``--help`` should cost about as much
as a bare interpreter (rdflib is imported only by the commands that load the graph); ``query`` pays for
rdflib, parsing the bundled Turtle and the SPARQL engine.

The last two rows are the fixed cost of a warm ``query makers --store oxigraph:DIR`` (the bundled graph,
stored by the warm-up run and then reused) beside a raw pyoxigraph script answering the same query on the
same folder: what genai-kg adds to every reused run whatever the store's size (issue 24's warm target).
genai-kg's modules are compiled to bytecode first, as ``pip install`` does.

Usage: python benchmarks/bench_startup.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = sys.executable
COMMANDS = {
    "python -c pass": [PY, "-c", "pass"],
    "python -c 'import rdflib'": [PY, "-c", "import rdflib"],
    "genai-kg --help": [PY, "-m", "genai_kg", "--help"],
    "genai-kg --version": [PY, "-m", "genai_kg", "--version"],
    "genai-kg queries": [PY, "-m", "genai_kg", "queries"],
    "genai-kg query systems-by-output": [
        PY,
        "-m",
        "genai_kg",
        "query",
        "systems-by-output",
        "--param",
        "modality=image",
        "--format",
        "json",
    ],
}
BASELINE = "python -c 'import rdflib'"
MAKERS = Path(__file__).resolve().parents[1] / "queries" / "makers.rq"
#: The raw engine on the same folder, as a user's own script would query it.
RAW = """
import sys, pyoxigraph as ox
store = ox.Store.read_only(sys.argv[1])
print(sum(1 for _ in store.query(open(sys.argv[2], encoding="utf-8").read())))
"""


def reused_store_commands(folder: str) -> dict[str, list[str]]:
    """``query makers`` on a reused ``oxigraph:DIR`` and the raw pyoxigraph script on the same folder."""
    return {
        "genai-kg query makers (oxigraph:DIR, reused)": [
            PY, "-m", "genai_kg", "query", "makers", "--store", f"oxigraph:{folder}", "--format", "csv"],
        "raw pyoxigraph: makers on that folder": [PY, "-c", RAW, folder, str(MAKERS)],
    }


def median_seconds(argv: list[str], repeat: int) -> float:
    """Median wall time of ``repeat`` runs (after one warm-up run that fills the OS file cache)."""
    subprocess.run(argv, check=True, capture_output=True)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per command (default 7)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_stores import compile_bytecode

    compile_bytecode()
    with tempfile.TemporaryDirectory(prefix="genai-kg-startup-") as tmp:
        commands = {**COMMANDS, **reused_store_commands(str(Path(tmp) / "store"))}
        # the warm-up run of the first command stores the graph; the raw script's then reads it
        results = {name: median_seconds(cmd, args.repeat) for name, cmd in commands.items()}
    rdflib_import = results[BASELINE]
    width = max(map(len, results))
    print(f"{'command'.ljust(width)}  median    x import rdflib   (median of {args.repeat} runs)")
    for name, seconds in results.items():
        print(f"{name.ljust(width)}  {seconds * 1000:6.0f} ms  {seconds / rdflib_import:6.2f}")
    ours, raw = list(results.values())[-2:]
    print(f"reused oxigraph:DIR, genai-kg's fixed cost over the raw engine: {(ours - raw) * 1000:.0f} ms"
          f" ({ours / raw:.2f}x on the bundled graph)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
