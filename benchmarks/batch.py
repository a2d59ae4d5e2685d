"""Benchmark: ``zyz batch`` against an OpenFisca peer and a plain csv.DictReader → csv.DictWriter passthrough.

Generates N synthetic enterprises (main CSV with Chinese headers, plus companion list files),
then runs, ``--repeat`` times, interleaved and in one process per run, the three programs over the
same files, and prints the median wall time, the peak RSS (largest single process, from wait4, and
the whole process tree: RSS summed over the process and its children, sampled from /proc every few
ms) and the ratios zyz/peer and zyz/passthrough. Not part of the test run.

The peer (benchmarks/openfisca_peer/) computes the same monetary provisions with openfisca-core; it
runs only if openfisca-core is importable (``pip install -e ".[bench]"``), else it is skipped.

    python benchmarks/batch.py --rows 100000 --jobs 2 --repeat 3
    python benchmarks/batch.py --rows 1000000 --jobs 2 --repeat 1
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from zhuanyezhen.batch.columns import LIST_BY_NAME, MAIN_COLUMNS
from zhuanyezhen.profile.credit_code import check_character
from zhuanyezhen.profile.places import COUNTIES, TOWNS

PASSTHROUGH = """
import csv, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as src, \\
        open(sys.argv[2], "w", encoding="utf-8-sig", newline="") as dst:
    reader = csv.DictReader(src)
    writer = csv.DictWriter(dst, fieldnames=reader.fieldnames)
    writer.writeheader()
    for row in reader:
        writer.writerow(row)
"""
ZYZ = "from zhuanyezhen.cli import main; main()"
BENCHMARKS = Path(__file__).resolve().parent
# issue 13's targets at 100,000 enterprises (2 cores, --jobs 1), and for the process tree's peak RSS
PASSTHROUGH_TARGET = 2.5
PEER_TARGET = 1.0
TREE_RSS_TARGET_MB = 100
SAMPLE_EVERY = 0.005  # seconds between two readings of the process tree's RSS
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def credit_code(n: int) -> str:
    body = "91140300" + "".join(ALPHABET[(n // 31 ** i) % 31] for i in range(9))
    return body + check_character(body)


def _csv_line(cells: list[object]) -> str:
    out = []
    for c in cells:
        text = "" if c is None else str(c)
        out.append('"' + text.replace('"', '""') + '"' if any(ch in text for ch in ',"\n') else text)
    return ",".join(out) + "\n"


def generate(folder: Path, rows: int, seed: int = 4) -> Path:
    """A main file with varied facts and list files with roughly 0.6 list rows per enterprise."""
    rng = random.Random(seed)
    main = folder / "towns.csv"
    lists = {name: (folder / f"towns.{name}.csv").open("w", encoding="utf-8-sig", newline="")
             for name in ("projects", "standards", "honours", "training_programmes", "premiums",
                          "other_policy_awards")}
    for name, handle in lists.items():
        handle.write(_csv_line([c.title for c in LIST_BY_NAME[name].columns]))
    with main.open("w", encoding="utf-8-sig", newline="") as out:
        out.write(_csv_line([c.title for c in MAIN_COLUMNS]))
        for n in range(rows):
            code = credit_code(n)
            revenue = rng.randrange(5_000_000, 1_200_000_000)
            before = int(revenue * rng.uniform(0.5, 1.1))
            rich = rng.random() < 0.5
            values = {
                "name": f"阳泉示例企业{n:07d}有限公司", "credit_code": code,
                "county": rng.choice(COUNTIES), "town": rng.choice((*TOWNS, "无")),
                "leading_industry": rng.choice(("是", "否", "")), "backbone": rng.choice(("是", "否", "")),
                "sci_tech_sme": rng.choice(("是", "否", "")), "size": rng.choice(("大型", "中型", "小型", "微型")),
                "claim_year": rng.choice((2023, 2024, 2025)),
                "revenue": revenue if rich else "", "highest_revenue_before": before if rich else "",
                "industry_revenue_rank": rng.randrange(1, 30) if rich else "",
                "market_rank": rng.randrange(1, 40) if rich else "",
                "market_rank_best_before": rng.choice(("从未进入", rng.randrange(1, 40))) if rich else "",
                "equipment_investment": rng.randrange(0, 3_000_000) if rich else "",
                "onjob_training.trainees": rng.randrange(5, 300) if rng.random() < 0.3 else "",
                "onjob_training.finished": f"2024-{rng.randrange(1, 13):02d}-15",
            }
            if values["onjob_training.trainees"] == "":
                values["onjob_training.finished"] = ""
            out.write(_csv_line([values.get(c.field, "") for c in MAIN_COLUMNS]))
            if rng.random() < 0.2:
                invest = rng.randrange(100_000, 50_000_000)
                lists["projects"].write(_csv_line([
                    code, f"改造项目{n}", rng.choice(("是", "否")), rng.choice(("是", "否")), "智能制造示范",
                    invest // 2, invest, "2024-06-30"]))
            if rng.random() < 0.1:
                lists["standards"].write(_csv_line([code, f"T/{n} 标准", rng.choice(("国家标准", "行业标准")),
                                                    rng.choice(("主导", "参与")), "2024-03-01"]))
            if rng.random() < 0.1:
                lists["honours"].write(_csv_line([code, rng.choice(("山西老字号", "国家级制造业单项冠军产品")),
                                                  "2024-05-20", ""]))
            if rng.random() < 0.05:
                lists["training_programmes"].write(_csv_line([
                    code, f"订单班{n}", "订单式", rng.randrange(10, 60), rng.randrange(5, 45), "85%",
                    rng.choice(("本企业", "阳泉职业技术学院")), "2024-07-15"]))
            if rng.random() < 0.05:
                lists["premiums"].write(_csv_line([code, f"新材料{n}", rng.randrange(10_000, 3_000_000), "是",
                                                   "2024-02-01"]))
            if rng.random() < 0.05:
                lists["other_policy_awards"].write(_csv_line([code, f"项目:改造项目{n}", "其他奖励办法",
                                                              rng.randrange(10_000, 3_000_000)]))
    for handle in lists.values():
        handle.close()
    return main


def _tree_rss_kb(pid: int) -> int:
    """RSS of a process and all its descendants, from /proc (Linux)."""
    total = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    stack.extend(int(c) for c in children.read().split())
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return total


def measure(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float, float]:
    """(wall s, peak RSS of the largest process MB, peak RSS of the process tree MB, CPU s)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
            done.wait(SAMPLE_EVERY)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    err = proc.stderr.read().decode() if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{argv[3:5]} failed ({proc.returncode}): {err}")
    if err.strip():
        print("   ", err.strip().splitlines()[-1])
    return wall, usage.ru_maxrss / 1024, peak[0] / 1024, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--folder", type=Path, help="keep the generated files here")
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="zyz-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    main_file = generate(folder, args.rows)
    size = sum(p.stat().st_size for p in folder.glob("towns*.csv"))
    print(f"generated {args.rows:,} enterprises in {time.perf_counter() - t0:.1f} s "
          f"({size / 1e6:.1f} MB with list files) in {folder}")
    peer = importlib.util.find_spec("openfisca_core") is not None
    if not peer:
        print("OpenFisca peer skipped: openfisca-core is not installed in this Python; install the bench extra "
              '(pip install -e ".[bench]") to time it')
    peer_env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(BENCHMARKS),
                                                                          os.environ.get("PYTHONPATH"))))}
    runs: dict[str, list[tuple[float, float, float, float]]] = {"passthrough": [], "zyz batch": []}
    if peer:
        runs["openfisca peer"] = []
    for _ in range(args.repeat):  # interleaved, so that a slow spell of the machine hits all three alike
        runs["passthrough"].append(measure([sys.executable, "-c", PASSTHROUGH, str(main_file),
                                            str(folder / "copy.csv")]))
        runs["zyz batch"].append(measure([sys.executable, "-c", ZYZ, "batch", str(main_file), "-o",
                                          str(folder / "scores.csv"), "--summary", str(folder / "summary.csv"),
                                          "--jobs", str(args.jobs)]))
        if peer:
            runs["openfisca peer"].append(measure([sys.executable, "-m", "openfisca_peer", str(main_file), "-o",
                                                   str(folder / "peer.csv")], env=peer_env))
    medians = {}
    for name, values in runs.items():
        wall = statistics.median(v[0] for v in values)
        largest = max(v[1] for v in values)
        tree = max(v[2] for v in values)
        cpu = statistics.median(v[3] for v in values)
        medians[name] = wall
        target = f" (target ≤ {TREE_RSS_TARGET_MB} MB)" if name == "zyz batch" else ""
        print(f"{name:14s} median wall {wall:8.2f} s  CPU {cpu:8.2f} s   peak RSS: largest process "
              f"{largest:6.1f} MB, process tree {tree:6.1f} MB{target}   ({args.repeat} runs)")
    ratio = medians["zyz batch"] / medians["passthrough"]
    print(f"ratio zyz batch / passthrough: {ratio:.2f}×  (target ≤ {PASSTHROUGH_TARGET}×), --jobs {args.jobs}, "
          f"{os.cpu_count()} CPUs, {args.rows / medians['zyz batch']:,.0f} enterprises/s")
    if peer:
        print(f"ratio zyz batch / openfisca peer: {medians['zyz batch'] / medians['openfisca peer']:.2f}×  "
              f"(target ≤ {PEER_TARGET}×; peer: {args.rows / medians['openfisca peer']:,.0f} enterprises/s, "
              "one process; "
              f"peer / passthrough {medians['openfisca peer'] / medians['passthrough']:.1f}×)")

if __name__ == "__main__":
    main()
