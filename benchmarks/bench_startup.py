"""Start-up time of the command line beside the cost of importing rdflib.

Runs each command ``--repeat`` times in a fresh interpreter (so nothing is cached in-process) and prints
the median wall time and its ratio to ``python -c "import rdflib"``. ``--help`` should cost about as much
as a bare interpreter (rdflib is imported only by the commands that load the graph); ``query`` pays for
rdflib, parsing the bundled Turtle and the SPARQL engine.

Usage: python benchmarks/bench_startup.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

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
    results = {name: median_seconds(cmd, args.repeat) for name, cmd in COMMANDS.items()}
    rdflib_import = results[BASELINE]
    width = max(map(len, results))
    print(f"{'command'.ljust(width)}  median    x import rdflib   (median of {args.repeat} runs)")
    for name, seconds in results.items():
        print(f"{name.ljust(width)}  {seconds * 1000:6.0f} ms  {seconds / rdflib_import:6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
