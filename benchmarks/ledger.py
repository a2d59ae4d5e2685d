"""Benchmark: the award ledger on SQLite and PostgreSQL. Not part of the test run.

1. Recording 100,000 lines: ``zyz ledger import`` of a 100,000-row file of paid awards (read,
   checked, written in one transaction) into a new ledger; against a plain ``csv`` read of the
   same file as the baseline.
2. ``zyz batch --ledger`` against ``zyz batch`` on 100,000 enterprises (benchmarks/batch.py's
   generated sheet) with those 100,000 history lines in the ledger.

Each figure is the median of ``--repeat`` runs, each in its own process. PostgreSQL is measured
when ``--postgres URL`` (or ZYZ_BENCH_POSTGRES_URL) names a throwaway database: its public
schema is DROPPED and re-created for every import run.

    eval "$(scripts/pg-throwaway start)"
    python benchmarks/ledger.py --rows 100000 --jobs 2 --repeat 3 --postgres "$ZYZ_TEST_POSTGRES_URL"
    scripts/pg-throwaway stop
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch import ZYZ, _csv_line, credit_code, generate, measure  # noqa: E402

READ_CSV = """
import csv, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as src:
    for row in csv.reader(src):
        pass
"""
# (provision, tier, amount): one-time and tiered awards a county paid in 2023
HISTORY = [("laozihao_shanxi", "", "50000"), ("revenue_tier", "1亿", "100000"), ("gi_zone", "", "100000"),
           ("single_champion", "", "500000"), ("market_share", "前10", "100000"), ("rd_equipment", "", "45000")]


def history_file(folder: Path, rows: int, seed: int = 7) -> Path:
    """One paid 2023 award for each of the ``rows`` enterprises of the generated sheet."""
    rng = random.Random(seed)
    path = folder / "paid2023.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        out.write(_csv_line(["统一社会信用代码", "企业名称", "年度", "条款项目", "档位", "金额(元)"]))
        for n in range(rows):
            provision, tier, amount = rng.choice(HISTORY)
            out.write(_csv_line([credit_code(n), f"阳泉示例企业{n:07d}有限公司", 2023, provision, tier, amount]))
    return path


def reset(target: str, folder: Path) -> None:
    if target.startswith("postgresql"):
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from tests.ledger_backends import reset_postgres

        reset_postgres(target)
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(target + suffix).unlink(missing_ok=True)
    zyz = [sys.executable, "-c", ZYZ]
    measure([*zyz, "ledger", "init", "--ledger", target])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--postgres", default=os.environ.get("ZYZ_BENCH_POSTGRES_URL"),
                        help="a THROWAWAY PostgreSQL database (its schema is dropped)")
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--only", choices=("sqlite", "postgresql"), help="measure one backend only")
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="zyz-ledger-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    main_file = generate(folder, args.rows)
    paid = history_file(folder, args.rows)
    print(f"generated {args.rows:,} enterprises and {args.rows:,} history lines in {folder}")
    backends = [("sqlite", str(folder / "ledger.sqlite"))]
    if args.postgres:
        backends.append(("postgresql", args.postgres))
    else:
        print("!!! no --postgres URL: PostgreSQL is NOT measured")
    zyz = [sys.executable, "-c", ZYZ]
    batch = [*zyz, "batch", str(main_file), "-o", str(folder / "scores.csv"), "--summary",
             str(folder / "summary.csv"), "--jobs", str(args.jobs)]
    for name, target in backends:
        if args.only and name != args.only:
            continue
        runs: dict[str, list[float]] = {"csv read": [], "ledger import": [], "zyz batch": [],
                                        "zyz batch --ledger": []}
        for _ in range(args.repeat):
            reset(target, folder)
            runs["csv read"].append(measure([sys.executable, "-c", READ_CSV, str(paid)])[0])
            runs["ledger import"].append(measure([*zyz, "ledger", "import", str(paid), "--by", "bench",
                                                  "--ledger", target])[0])
        for _ in range(args.repeat):
            runs["zyz batch"].append(measure(batch)[0])
            runs["zyz batch --ledger"].append(measure([*batch, "--ledger", target])[0])
        med = {k: statistics.median(v) for k, v in runs.items()}
        print(f"[{name}] recording {args.rows:,} lines (zyz ledger import): {med['ledger import']:.2f} s "
              f"({args.rows / med['ledger import']:,.0f} lines/s; {med['ledger import'] / med['csv read']:.1f}× "
              f"a plain csv read of the file, {med['csv read']:.2f} s)")
        print(f"[{name}] zyz batch {med['zyz batch']:.2f} s; zyz batch --ledger {med['zyz batch --ledger']:.2f} s; "
              f"ratio {med['zyz batch --ledger'] / med['zyz batch']:.2f}×  (--jobs {args.jobs}, medians of "
              f"{args.repeat}, {os.cpu_count()} CPUs)")
    started = time.strftime("%Y-%m-%d %H:%M")
    print(f"done {started}")


if __name__ == "__main__":
    main()
