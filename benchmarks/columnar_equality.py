"""The columnar path against the row path (``engine.calculate_awards``, itself checked against
``calculate`` by tests/test_fast_paths.py), byte for byte, on a large generated sheet.

Generates N rows with ``tests/columnar_data.py`` (unknown facts, window edges, shared caps,
other-policy awards, history, several claim years, row-path-only cells, bad rows, orphans), runs
``zyz batch`` both ways in child processes (so each run's peak memory is its own), and compares
the result file, the rejected file and the summary byte for byte. Not part of the test run.

    python benchmarks/columnar_equality.py --rows 1000000
    python benchmarks/columnar_equality.py --rows 100000 --other-options
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from tests.columnar_data import generate  # noqa: E402

RUN = """
import resource, sys, time
from pathlib import Path
from zhuanyezhen.batch.runner import Options, run
folder, name, columns, assume = Path(sys.argv[1]), sys.argv[2], sys.argv[3] == "1", sys.argv[4:]
start = time.perf_counter()
counts = run(Options(input=folder / "towns.csv", output=folder / f"{name}.csv", summary=folder / f"{name}.s.csv",
                     assumptions=dict(a.split("=") for a in assume)), quiet=True, columns=columns)
print(f"{time.perf_counter() - start:.1f}", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
      counts.columnar, counts.line())
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--other-options", action="store_true", help="every interpretation at its other option")
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="zyz-equality-"))
    assume: list[str] = []
    if args.other_options:
        from zhuanyezhen.policy.loader import load_policies

        policy = next(iter(load_policies(None).values()))
        assume = [f"{n}={next(o for o in i.options if o != i.default)}" for n, i in policy.interpretations.items()]
    start = time.perf_counter()
    generate(folder, args.rows)
    print(f"generated {args.rows:,} rows in {time.perf_counter() - start:.0f} s in {folder}")
    for name, columns in (("columns", "1"), ("rows", "0")):
        done = subprocess.run([sys.executable, "-c", RUN, str(folder), name, columns, *assume],
                              capture_output=True, text=True, check=True, cwd=ROOT)
        wall, peak, in_columns, line = done.stdout.split(" ", 3)
        print(f"{name:8s} {float(wall):8.1f} s  peak {peak} MB  scored in columns {in_columns}  {line.strip()}")
    same = True
    for suffix in (".csv", ".rejected.csv", ".s.csv"):
        a, b = folder / f"columns{suffix}", folder / f"rows{suffix}"
        equal = a.read_bytes() == b.read_bytes()
        same &= equal
        print(f"{suffix:14s} {'identical' if equal else 'DIFFERENT'} ({a.stat().st_size:,} bytes)")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
