"""The cost of ``import genai_kg`` with and without the notebook extra (pandas) installed.

For each interpreter given (a venv with ``genai-kg[notebook]`` and one without pandas, say), runs
``python -c pass`` and ``python -c "import genai_kg"`` ``--repeat`` times in fresh processes and prints
the medians, the import's own cost (the difference) and the ratio of each to the first interpreter's.
The package imports pandas only inside ``to_dataframe()``, so the two should match.

Usage: python benchmarks/bench_import.py [--python PY]... [--repeat N] [--src DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROBE = (
    "import importlib.util, sys, genai_kg; "
    "print(importlib.util.find_spec('pandas') is not None, 'pandas' in sys.modules, 'IPython' in sys.modules)"
)


def median_seconds(cmd: list[str], repeat: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", action="append", help="An interpreter to measure (repeatable).")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--src", default=str(Path(__file__).resolve().parents[1] / "src"),
                        help="The genai_kg source to import (put first on PYTHONPATH).")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": args.src}
    rows = []
    for py in args.python or [sys.executable]:
        has, imported, ipython = subprocess.run(
            [py, "-c", PROBE], check=True, capture_output=True, text=True, env=env
        ).stdout.split()
        bare = median_seconds([py, "-c", "pass"], args.repeat, env)
        full = median_seconds([py, "-c", "import genai_kg"], args.repeat, env)
        rows.append((py, has == "True", imported == "True" or ipython == "True", bare, full))
    base = rows[0]
    print(f"{'interpreter':<45} {'pandas':>7} {'pulled':>7} {'python':>8} {'+import':>8} {'import':>8} {'ratio':>6}")
    for py, has, pulled, bare, full in rows:
        ratio = (full - bare) / (base[4] - base[3]) if base[4] > base[3] else float("nan")
        print(
            f"{py[-45:]:<45} {'yes' if has else 'no':>7} {'yes' if pulled else 'no':>7} "
            f"{bare * 1000:7.1f}ms {full * 1000:7.1f}ms {(full - bare) * 1000:7.1f}ms {ratio:6.2f}"
        )
    print("pulled: whether `import genai_kg` imported pandas or IPython; ratio: the import's own cost beside the first")


if __name__ == "__main__":
    main()
