"""Time loading and named queries through the CLI on each store, one process per step, with peak memory.

    python benchmarks/bench_stores.py --triples 600000
    python benchmarks/bench_stores.py --first-contact --sizes 1000000,10000000

``--first-contact`` (issue 24) times ``genai-kg query makers --data big.nt --store oxigraph:DIR`` at the
default settings on a new folder (first run: bulk load, settling, query) and again (warm: reuse, query; the
median of ``--repeat`` runs), beside a raw pyoxigraph script doing the same (bulk load + query; query only
on the loaded folder), and prints the ratios against the targets (first <= 1.3x raw, warm <= 1.2x raw, no
timeout). genai-kg's modules are compiled to bytecode first, as ``pip install`` does.

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


#: The raw engine, as a user's own script would drive it: bulk load then query (first), or query only (warm).
RAW = """
import sys, pyoxigraph as ox
store = ox.Store(sys.argv[1])
if sys.argv[3] == "first":
    store.bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_TRIPLES)
text = open(sys.argv[4], encoding="utf-8").read()
print(sum(1 for _ in store.query(text)))
"""
FIRST_TARGET, WARM_TARGET = 1.3, 1.2


def timed(command: list[str], timeout: float) -> tuple[float, float, int, str]:
    """(seconds, CPU seconds, exit code, last stderr line) of one process, killed after ``timeout`` (exit -1).

    CPU seconds count the process and the children it waited for (the guard's forked query), so they hold
    when a shared machine's load stretches wall-clock time.
    """
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                code = os.waitstatus_to_exitcode(status)
                break
            if time.perf_counter() > deadline:
                proc.kill()
                _, status, usage = os.wait4(proc.pid, 0)
                code = -1
                break
            time.sleep(0.05)
        proc.returncode = code  # reaped above
        seconds = time.perf_counter() - started
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").strip().splitlines()
    return seconds, usage.ru_utime + usage.ru_stime, code, lines[-1] if lines else ""


def ntriples(triples: int, seed: int, folder: Path) -> Path:
    """The synthetic graph of about ``triples`` triples as N-Triples (written once per size and seed)."""
    import pyoxigraph as ox

    ttl, nt = folder / f"synthetic-{triples}.ttl", folder / f"big-{triples}.nt"
    if not nt.exists():
        ttl.write_text(generate(triples, seed=seed), encoding="utf-8")
        ox.serialize(ox.parse(path=str(ttl), format=ox.RdfFormat.TURTLE), output=str(nt),
                     format=ox.RdfFormat.N_TRIPLES)
        ttl.unlink()
    return nt


def compile_bytecode() -> str:
    """Compile genai-kg's modules to bytecode, as ``pip install`` does, so that a checkout run with
    PYTHONDONTWRITEBYTECODE set (as on the project's machines) does not compile its ~80 modules in every
    process: measured at ~50 ms of a 0.7 s warm run, which an installed package never pays."""
    import compileall

    import genai_kg

    folder = Path(genai_kg.__file__).resolve().parent
    compileall.compile_dir(str(folder), quiet=1)
    return str(folder)


def first_contact(sizes: list[int], seed: int, limit: float, keep: Path | None, repeat: int = 3) -> int:
    """The first-run and warm-run table of issue 24, ours against the raw engine, as ratios.

    The first run is timed once (it loads); the warm run ``repeat`` times, ours and raw alternating, and
    the medians are compared (one warm run is a fraction of a second: a single sample on a shared machine
    varies by a third).
    """
    import statistics

    makers = Path(__file__).resolve().parents[1] / "queries" / "makers.rq"
    print(f"# bytecode of {compile_bytecode()} compiled first, as pip install does; warm: median of {repeat}")
    print(f"{'triples':>11} {'run':6} {'genai-kg s':>10} {'raw s':>8} {'ratio':>6} {'target':>6}"
          f" {'cpu s':>7} {'raw cpu':>7} {'cpu ratio':>9}  note")
    failed = False
    with tempfile.TemporaryDirectory(prefix="genai-kg-first-") as tmp:
        folder = keep or Path(tmp)
        for size in sizes:
            data = ntriples(size, seed, folder)
            ours_dir, raw_dir = Path(tmp) / f"ours-{size}", Path(tmp) / f"raw-{size}"
            ours = [sys.executable, "-m", "genai_kg", "query", "makers", "--data", str(data),
                    "--store", f"oxigraph:{ours_dir}", "--format", "csv"]  # default --timeout: 30 s
            for step, target in (("first", FIRST_TARGET), ("warm", WARM_TARGET)):
                raw_command = [sys.executable, "-c", RAW, str(raw_dir), str(data), step, str(makers)]
                runs = 1 if step == "first" else repeat
                samples = [(timed(ours, limit), timed(raw_command, limit)) for _ in range(runs)]
                mine = tuple(statistics.median(s[0][i] for s in samples) for i in (0, 1))
                raw = tuple(statistics.median(s[1][i] for s in samples) for i in (0, 1))
                codes = [s[0][2] for s in samples] + [s[1][2] for s in samples]
                ratio = mine[0] / raw[0]
                ok = not any(codes) and ratio <= target
                failed |= not ok
                bad = next((s[0] for s in samples if s[0][2] != 0), None)
                note = "" if bad is None else f"exit {bad[2]}: {bad[3]}"
                line = (f"{size:11,} {step:6} {mine[0]:10.2f} {raw[0]:8.2f} {ratio:6.2f} {target:6.1f}"
                        f" {mine[1]:7.2f} {raw[1]:7.2f} {mine[1] / raw[1]:9.2f}  {'ok' if ok else 'MISSED'} {note}")
                print(line.rstrip(), flush=True)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=600_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=900, help="seconds before a step is killed")
    parser.add_argument("--data", help="use this Turtle file instead of generating one")
    parser.add_argument("--first-contact", action="store_true", help="issue 24's first-run / warm-run table")
    parser.add_argument("--sizes", default="1000000,10000000", help="triples, comma-separated (--first-contact)")
    parser.add_argument("--keep", type=Path, help="keep the generated N-Triples files in this folder")
    parser.add_argument("--repeat", type=int, default=3, help="warm runs per side, median taken (--first-contact)")
    args = parser.parse_args(argv)
    if args.first_contact:
        return first_contact([int(n) for n in args.sizes.split(",")], args.seed, args.timeout, args.keep,
                             args.repeat)
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
