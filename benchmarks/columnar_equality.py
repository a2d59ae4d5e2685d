"""The columnar path against the row path (``engine.calculate_awards``, itself checked against
``calculate`` by tests/test_fast_paths.py), byte for byte, on a large generated sheet.

Generates N rows with ``tests/columnar_data.py`` (unknown facts, window edges, shared caps,
other-policy awards, history, several claim years, row-path-only cells, bad rows, orphans), runs
``zyz batch`` both ways in child processes (so each run's peak memory is its own), and compares
the result file, the rejected file and the summary byte for byte (streamed, so a million rows'
outputs are never held in memory). Not part of the test run. At 1,000,000 rows the row path alone
takes about 6 minutes at ~3,000 rows/s on one core; the files take ~1 GB of disk.

    python benchmarks/columnar_equality.py --rows 1000000
    python benchmarks/columnar_equality.py --rows 100000 --other-options
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
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
usage = resource.getrusage(resource.RUSAGE_SELF)
print(f"{time.perf_counter() - start:.1f}", f"{usage.ru_utime + usage.ru_stime:.1f}", usage.ru_maxrss // 1024,
      counts.columnar, counts.line())
"""


def _first_difference(a: Path, b: Path) -> str:
    """The first line where two files differ, read line by line (the files may be large)."""
    with a.open("rb") as left, b.open("rb") as right:
        for number, (x, y) in enumerate(zip(left, right, strict=False), start=1):
            if x != y:
                return f"line {number}: {x[:200]!r} != {y[:200]!r}"
    return "one file is a prefix of the other"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--other-options", action="store_true", help="every interpretation at its other option")
    parser.add_argument("--folder", type=Path, help="work here (and keep the files); else a temporary folder, removed")
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="zyz-equality-"))
    try:
        sys.exit(_compare(folder, args))
    finally:
        if args.folder is None:
            shutil.rmtree(folder, ignore_errors=True)


def _compare(folder: Path, args: argparse.Namespace) -> int:
    assume: list[str] = []
    if args.other_options:
        from zhuanyezhen.policy.loader import load_policies

        policy = next(iter(load_policies(None).values()))
        assume = [f"{n}={next(o for o in i.options if o != i.default)}" for n, i in policy.interpretations.items()]
    start = time.perf_counter()
    if not (folder / "towns.csv").exists():
        generate(folder, args.rows)
    size = sum(p.stat().st_size for p in folder.glob("towns*.csv"))
    print(f"{args.rows:,} rows ({size / 1e6:.0f} MB with list files) ready in {time.perf_counter() - start:.0f} s "
          f"in {folder}", flush=True)
    for name, columns in (("columns", "1"), ("rows", "0")):
        done = subprocess.run([sys.executable, "-c", RUN, str(folder), name, columns, *assume],
                              capture_output=True, text=True, cwd=ROOT)
        if done.returncode != 0:
            print(f"{name}: failed ({done.returncode})\n{done.stderr}")
            return 2
        wall, cpu, peak, in_columns, line = done.stdout.split(" ", 4)
        print(f"{name:8s} wall {float(wall):8.1f} s  CPU {float(cpu):8.1f} s  peak {peak} MB  "
              f"scored in columns {int(in_columns):,}  {line.strip()}", flush=True)
    same = True
    for suffix in (".csv", ".rejected.csv", ".s.csv"):
        a, b = folder / f"columns{suffix}", folder / f"rows{suffix}"
        equal = filecmp.cmp(a, b, shallow=False)
        same &= equal
        print(f"{suffix:14s} {'identical' if equal else 'DIFFERENT'} ({a.stat().st_size:,} bytes)")
        if not equal:
            print("   ", _first_difference(a, b))
    return 0 if same else 1


if __name__ == "__main__":
    main()
