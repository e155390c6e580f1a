"""Whole-process CPU time of genai-kg beside what the engine itself costs, side by side in one run.

    python benchmarks/bench_speed.py [--repeat 3] [--baseline DIR] [--big 1000000] [--growth 100000,...,3000000]

Every figure is the median over ``--repeat`` runs of a process's user + system CPU (its forked query child
included, read from ``os.wait4``), with the peak resident memory beside it; ratios are what to read, the
machine being shared. Each command runs once first so that bytecode and the OS file cache are warm
(``PYTHONDONTWRITEBYTECODE`` is dropped for the children: an installed package has its bytecode).

1. Start-up: ``genai-kg query systems-by-output --param modality=image --format csv`` against a raw
   pyoxigraph script that loads the same Turtle and runs the same SPARQL (target <= 5x), on the default
   store and on ``--store oxigraph``; ``genai-kg --help`` (the console script's two lines) against
   ``python -c "import click"`` (target <= 1.3x), and ``python -m genai_kg --help`` beside it.
2. Big answers on ``--big`` generated triples with ``--store oxigraph``: ``SELECT ?s ?p ?o ... LIMIT
   500000 --format csv -o FILE`` against raw pyoxigraph loading, querying and writing CSV (target <= 3x); a
   query whose answer is 4x the row cap (the cap error, its cost and peak memory beside the LIMIT run).
3. Growth: a named query over 100k to 3M triples, and the exponent of CPU ~ triples^k fitted over them.

``--baseline DIR`` (a checkout of an older commit, e.g. ``git worktree add /tmp/base94 94edb9b``) runs the
same genai-kg commands from that checkout's ``src`` in the same run.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PY = sys.executable
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

RAW_QUERY = """
import glob, sys
import pyoxigraph as ox
bundled, query_file, out = sys.argv[1], sys.argv[2], sys.argv[3]
data = sys.argv[4:]
store = ox.Store()
for path in sorted(glob.glob(bundled + "/*.ttl")):
    if not path.endswith("shapes.ttl"):
        store.load(path=path, format=ox.RdfFormat.TURTLE)
for path in data:
    store.load(path=path, format=ox.RdfFormat.TURTLE)
text = open(query_file, encoding="utf-8").read() if query_file.endswith(".rq") else query_file
text = text.replace("WHERE {", "WHERE { VALUES ?modality { <https://w3id.org/genai-kg/Image> }", 1)
answer = store.query(text)
if out == "-":
    answer.serialize(sys.stdout.buffer, ox.QueryResultsFormat.CSV)
else:
    answer.serialize(out, ox.QueryResultsFormat.CSV)
"""
#: What the ``genai-kg`` console script that pip writes does (``python -m`` adds runpy's own imports).
CONSOLE_SCRIPT = "import sys; from genai_kg.cli import main; sys.exit(main())"
LIMIT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 500000"
OVER_CAP = "SELECT ?s ?p ?o ?k WHERE { ?s ?p ?o VALUES ?k { 1 2 3 4 } }"  # 4x the triples: 4x the cap at 1M


def measure(argv: list[str], repeat: int, env: dict | None = None) -> tuple[float, float, int]:
    """(median CPU seconds, peak MB, last exit code) of ``repeat`` runs after one warm-up run."""
    cpu, peak, code = [], 0.0, 0
    for i in range(repeat + 1):
        with tempfile.TemporaryFile() as err:
            proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, env=env)
            _, status, usage = os.wait4(proc.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        if i:
            cpu.append(usage.ru_utime + usage.ru_stime)
            peak = max(peak, usage.ru_maxrss / 1024)
    return statistics.median(cpu), peak, code


def env_for(checkout: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(checkout / "src")
    return env


def cli(*args: str) -> list[str]:
    return [PY, "-m", "genai_kg", *args]


def row(name: str, figures: tuple[float, float, int], base: float | None = None, note: str = "") -> float:
    cpu, peak, code = figures
    ratio = f"{cpu / base:6.2f}x" if base else "      "
    status = "" if code == 0 else f" (exit {code})"
    print(f"  {name:<64} {cpu:8.3f} s {ratio} {peak:8.0f} MB{status} {note}")
    return cpu


def startup(args, checkouts: dict[str, Path]) -> None:
    print("1. start-up (CPU s, ratio to the reference line above it, peak MB)")
    raw = row("raw pyoxigraph: load bundled Turtle, query, CSV",
              measure([PY, "-c", RAW_QUERY, str(REPO / "ontology"), str(REPO / "queries/systems-by-output.rq"), "-"],
                      args.repeat))
    for label, checkout in checkouts.items():
        for store in ("auto", "oxigraph"):
            row(f"{label}: query systems-by-output --format csv --store {store}", measure(
                cli("query", "systems-by-output", "--param", "modality=image", "--format", "csv", "--store", store),
                args.repeat, env_for(checkout)), raw, "(target <= 5x)" if label == "this" else "")
    click = row("python -c 'import click'", measure([PY, "-c", "import click"], args.repeat))
    for label, checkout in checkouts.items():
        row(f"{label}: genai-kg --help (what the console script runs)",
            measure([PY, "-c", CONSOLE_SCRIPT, "--help"], args.repeat, env_for(checkout)), click,
            "(target <= 1.3x)" if label == "this" else "")
        row(f"{label}: python -m genai_kg --help (runpy on top)", measure(cli("--help"), args.repeat,
                                                                         env_for(checkout)), click)


def big_answers(args, checkouts: dict[str, Path], work: Path) -> None:
    data = work / f"big{args.big}.ttl"
    data.write_text(generate(args.big, seed=1), encoding="utf-8")
    print(f"2. big answers on {args.big:,} generated triples, --store oxigraph")
    out = str(work / "out.csv")
    raw = row("raw pyoxigraph: load, LIMIT 500000, CSV to a file",
              measure([PY, "-c", RAW_QUERY, str(REPO / "ontology"), LIMIT, out, str(data)], args.repeat))
    for label, checkout in checkouts.items():
        env = env_for(checkout)
        limit = row(f"{label}: query --sparql '... LIMIT 500000' --format csv -o FILE", measure(
            cli("query", "--store", "oxigraph", "--data", str(data), "--sparql", LIMIT, "--format", "csv",
                "-o", out), args.repeat, env), raw, "(target <= 3x)" if label == "this" else "")
        row(f"{label}: an answer 4x the row cap (ends in the cap error)", measure(
            cli("query", "--store", "oxigraph", "--data", str(data), "--sparql", OVER_CAP, "--format", "csv",
                "-o", out, "--timeout", "300"), args.repeat, env), limit, "(vs this LIMIT 500000 line)")


def growth(args, checkouts: dict[str, Path], work: Path) -> None:
    sizes = [int(s) for s in args.growth.split(",") if s]
    print("3. growth: query systems-by-output --param modality=image --format csv -o FILE, --store oxigraph")
    for label, checkout in checkouts.items():
        points = []
        for size in sizes:
            data = work / f"growth{size}.ttl"
            if not data.exists():
                data.write_text(generate(size, seed=1), encoding="utf-8")
            figures = measure(cli("query", "--store", "oxigraph", "--data", str(data), "systems-by-output",
                                  "--param", "modality=image", "--format", "csv", "-o", str(work / "g.csv")),
                              args.repeat, env_for(checkout))
            row(f"{label}: {size:,} triples", figures)
            points.append((size, figures[0]))
        xs = [math.log(s) for s, _ in points]
        ys = [math.log(c) for _, c in points]
        mx, my = statistics.fmean(xs), statistics.fmean(ys)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
        print(f"  {label}: fitted exponent (CPU ~ triples^k): k = {slope:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per command after a warm-up (default 3)")
    parser.add_argument("--baseline", type=Path, help="an older checkout to run side by side")
    parser.add_argument("--big", type=int, default=1_000_000, help="triples for the big answers (0: skip)")
    parser.add_argument("--growth", default="100000,300000,1000000,3000000", help="sizes ('' to skip)")
    parser.add_argument("--only", choices=["startup", "big", "growth"], help="run one part")
    args = parser.parse_args(argv)
    checkouts = {"this": REPO}
    if args.baseline:
        checkouts["baseline"] = args.baseline.resolve()
    print(f"median of {args.repeat} runs; this = {REPO}" + (f", baseline = {args.baseline}" if args.baseline else ""))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.only in (None, "startup"):
            startup(args, checkouts)
        if args.big and args.only in (None, "big"):
            big_answers(args, checkouts, work)
        if args.growth and args.only in (None, "growth"):
            growth(args, {"this": REPO}, work)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
