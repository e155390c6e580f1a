"""Time loading and named queries through the CLI on each store, one process per step, with peak memory.

    python benchmarks/bench_stores.py --triples 600000

Generates a synthetic graph (benchmarks/generate.py), then for each store runs ``genai-kg query`` as a
subprocess (the whole process: start-up, loading the bundled graph and the file, the query, output) and
reads that child's peak resident memory from ``os.wait4``. ``oxigraph:DIR`` is run twice: cold (parses
into the on-disk store) and warm (reuses it). Prints a table, then time and memory ratios against memory.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

#: What each step runs: a trivial query (the cost is loading) and named queries of different shapes.
STEPS = [
    ("load", ["--sparql", "ASK { ?s ?p ?o }"]),
    ("makers", ["makers"]),  # GROUP BY + GROUP_CONCAT over every system
    ("systems-by-output", ["systems-by-output", "--param", "modality=gkg:Image"]),  # bound parameter, OPTIONALs
    ("subclass-chain", ["subclass-chain"]),  # property paths
]


def run(args: list[str], timeout: float) -> tuple[float, float, int, str]:
    """(seconds, peak MB, exit code, last stderr line) of one ``genai-kg`` process."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "-m", "genai_kg", *args], stdout=out, stderr=err)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                status = -1
                break
            time.sleep(0.01)
        seconds = time.perf_counter() - started
        proc.returncode = 0  # reaped by wait4 above
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").strip().splitlines()
        out.seek(0)
        rows = sum(1 for _ in out) - 1
    code = os.waitstatus_to_exitcode(status) if status != -1 else -1
    return seconds, usage.ru_maxrss / 1024, code, (lines[-1] if lines else f"{rows} rows")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=600_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=900, help="seconds before a step is killed")
    parser.add_argument("--data", help="use this Turtle file instead of generating one")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="genai-kg-bench-") as tmp:
        data = Path(args.data) if args.data else Path(tmp) / "synthetic.ttl"
        if not args.data:
            data.write_text(generate(args.triples, seed=args.seed), encoding="utf-8")
        size_mb = data.stat().st_size / 2**20
        print(f"# {data.name}: {size_mb:.1f} MB, about {args.triples:,} triples (seed {args.seed})")
        stores = [("memory", "memory"), ("oxigraph", "oxigraph"),
                  ("oxigraph:DIR cold", f"oxigraph:{tmp}/store"), ("oxigraph:DIR warm", f"oxigraph:{tmp}/store")]
        results: dict[str, dict[str, tuple]] = {}
        for label, store in stores:
            results[label] = {}
            for step, query in STEPS:
                if label == "oxigraph:DIR cold" and step != "load":
                    continue  # cold means: the first run, which parses into the store
                common = ["--data", str(data), "--store", store, "--format", "csv", "--timeout", str(args.timeout)]
                outcome = run(["query", *query, *common], args.timeout + 30)
                results[label][step] = outcome
                seconds, peak, code, note = outcome
                status = "" if code == 0 else f"  exit {code}: {note}"
                print(f"{label:18} {step:18} {seconds:8.2f} s {peak:8.0f} MB{status}", flush=True)
        print()
        print(f"{'step':18} {'memory s':>9} {'oxigraph s':>10} {'x faster':>8} {'disk warm s':>11} {'x faster':>8}"
              f" {'mem MB':>7} {'ox MB':>6} {'ox/mem':>6}")
        totals = {"memory": [0.0, 0.0], "oxigraph": [0.0, 0.0], "oxigraph:DIR warm": [0.0, 0.0]}
        killed = {"memory": False}
        for step, _ in STEPS:
            m, o, w = results["memory"][step], results["oxigraph"][step], results["oxigraph:DIR warm"][step]
            for key, value in (("memory", m), ("oxigraph", o), ("oxigraph:DIR warm", w)):
                totals[key][0] += value[0]
                totals[key][1] = max(totals[key][1], value[1])
            more = ">" if m[2] != 0 else ""  # memory stopped by --timeout: its time is a lower bound
            killed["memory"] |= bool(more)
            print(f"{step:18} {more + format(m[0], '.2f'):>9} {o[0]:10.2f} {more + format(m[0] / o[0], '.1f'):>8}"
                  f" {w[0]:11.2f} {more + format(m[0] / w[0], '.1f'):>8} {m[1]:7.0f} {o[1]:6.0f} {o[1] / m[1]:6.2f}")
        m, o, w = totals["memory"], totals["oxigraph"], totals["oxigraph:DIR warm"]
        more = ">" if killed["memory"] else ""
        print(f"{'all steps':18} {more + format(m[0], '.2f'):>9} {o[0]:10.2f} {more + format(m[0] / o[0], '.1f'):>8}"
              f" {w[0]:11.2f} {more + format(m[0] / w[0], '.1f'):>8} {m[1]:7.0f} {o[1]:6.0f} {o[1] / m[1]:6.2f}")
        cold = results["oxigraph:DIR cold"]["load"]
        print(f"oxigraph:DIR cold load (first run, parses into the store): {cold[0]:.2f} s, {cold[1]:.0f} MB")
        failed = [f"{s}/{t}" for s, r in results.items() for t, v in r.items() if v[2] != 0]
        if failed:
            print(f"failed or timed out: {', '.join(failed)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
