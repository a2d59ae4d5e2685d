"""Cold-start time of ``zyz calc`` against importing its own dependencies, in the same run.

Usage (from the repository root, with the project installed in the active environment)::

    python benchmarks/startup.py [--runs 7] [--profile examples/refractory-leader.yaml] [--phases] [--floor]
                                 [--compare-src ../other-checkout/src]

Each measurement is a fresh ``python`` subprocess, so every run pays interpreter start-up, imports,
rule loading, the calculation and the rendering, as a user does. The baseline is
``python -c "import typer, pydantic, rich, yaml"``. It prints the median of each and their ratio;
the target is a ratio of 1.5 or less. ``zyz calc`` is measured as users run it, with the per-user
policy cache filled by the first (uncounted) run, and once more with the cache off
(``ZYZ_NO_CACHE=1``: what the first run after a rules change costs). Not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = [sys.executable, "-c", "import typer, pydantic, rich, yaml"]
# The least any typer app with one option pays on top of the baseline (``--floor``): typer 0.29 turns
# each option's value through a pydantic TypeAdapter, which imports pydantic's model machinery
# (pydantic.main, .fields, .types, .json_schema) and, through pydantic's plugin look-up, importlib.metadata.
FLOOR = [sys.executable, "-c", "import typer, pydantic, rich, yaml\n"
         "app = typer.Typer()\n"
         "@app.command()\n"
         "def hello(name: str) -> None:\n"
         "    print(name)\n"
         "app()\n", "world"]

# Where the time goes, measured inside fresh processes (``--phases``), along the path ``zyz calc`` takes
# (cli.__init__.main, then cli.calc.calc). The pieces that several steps share (pydantic's model
# machinery, importlib.metadata, which pydantic's plugin look-up imports when it builds its first
# validator) are imported on their own first, so each row is what that step adds. Each phase prints
# its time and how many modules it imported; ``phases`` shows the minimum and median of several runs.
PHASES = """
import io, json, os, sys, time
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")  # as zyz's entry point does
profile_path = sys.argv[1]
rows = []
def phase(name, since=[time.perf_counter(), len(sys.modules)]):
    now = time.perf_counter()
    rows.append((name, (now - since[0]) * 1000, len(sys.modules) - since[1]))
    since[:] = [time.perf_counter(), len(sys.modules)]
import typer, pydantic, rich, yaml; phase("deps (typer, pydantic, rich, yaml)")
import zhuanyezhen.cli; phase("zyz command modules (typer app)")
import pydantic.main, pydantic.fields; phase("pydantic.main, .fields (model machinery)")
import importlib.metadata; phase("importlib.metadata (pydantic plugin look-up)")
from typer.main import get_command
from zhuanyezhen.cli import _keep_only
from zhuanyezhen.cli.app import app
_keep_only("calc")
group = get_command(app)
context = group.make_context("zyz", ["calc", profile_path])
command = group.get_command(context, "calc")
command.make_context("calc", [profile_path], parent=context); phase("typer: click command, parse options")
from zhuanyezhen.cli.policy_choice import select_policy; phase("zyz models, rule loader, policy choice")
from zhuanyezhen.engine.calculation import calculate; phase("engine")
from zhuanyezhen.profile.loader import load_profile
profile = load_profile(profile_path); phase("load profile (builds its validator)")
policy = select_policy(None, profile.claim_year, None).policy; phase("load rules (policy cache), choose policy")
result = calculate(profile, policy, {}); phase("calculate")
from zhuanyezhen.render.table import render_result; phase("import renderer (plain layout)")
render_result(result, io.StringIO(), policy.interpretations); phase("render")
rows.append(("imported", "importlib.metadata" in sys.modules, "rich.console" in sys.modules))
print(json.dumps(rows))
"""


def phases(profile: str, runs: int) -> None:
    """Print where one run spends its time: the minimum and median of ``runs`` fresh processes."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    got = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", PHASES, profile], cwd=ROOT, env=env, check=True,
                              stdout=subprocess.PIPE, text=True)
        got.append(json.loads(done.stdout))
    print(f"phases of a run, in-process after interpreter start-up ({runs} runs; min / median ms, modules):")
    for index, (name, _, count) in enumerate(got[0][:-1]):
        times = [rows[index][1] for rows in got]
        print(f"  {name:44s} {min(times):6.1f} {statistics.median(times):6.1f}  {count:4d}")
    totals = [sum(row[1] for row in rows[:-1]) for rows in got]
    print(f"  {'total':44s} {min(totals):6.1f} {statistics.median(totals):6.1f}")
    name, metadata, console = got[0][-1]
    print(f"  importlib.metadata imported: {metadata}; rich.console imported: {console}")


def timed(command: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one fresh process; ``VAR=value`` words lead."""
    # Bytecode is cached as in a normal installation (pip compiles on install; an editable
    # install writes __pycache__ on first run), even where the shell sets PYTHONDONTWRITEBYTECODE.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update({"NO_COLOR": "1", "COLUMNS": "200"})
    while command and "=" in command[0]:
        name, _, value = command[0].partition("=")
        env[name] = value
        command = command[1:]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def measure(commands: dict[str, list[str]], runs: int) -> dict[str, tuple[list[float], list[float]]]:
    """Run the commands in turn, ``runs`` rounds, so that machine noise falls on all alike."""
    for command in commands.values():
        timed(command)  # warm the file cache and write .pyc files; not counted
    out: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            wall, cpu = timed(command)
            out[name][0].append(wall)
            out[name][1].append(cpu)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--profile", default="examples/refractory-leader.yaml")
    parser.add_argument("--phases", action="store_true", help="also show where one run spends its time")
    parser.add_argument("--floor", action="store_true", help="also time a typer app with one str argument "
                        "(what typer's pydantic coercion alone costs over the baseline)")
    parser.add_argument("--compare-src", metavar="DIR", help="also time zyz calc with the zhuanyezhen package "
                        "from DIR (e.g. the src/ of another checkout, through PYTHONPATH), in the same rounds")
    args = parser.parse_args()
    script = Path(sys.executable).parent / "zyz"
    if not script.exists():
        found = shutil.which("zyz")
        if found is None:
            raise SystemExit("zyz is not installed in this environment: pip install -e .")
        script = Path(found)
    calc = [str(script), "calc", args.profile]
    commands = {"baseline": BASELINE, "calc": calc, "no cache": ["ZYZ_NO_CACHE=1", *calc]}
    if args.floor:
        commands["floor"] = FLOOR
    if args.compare_src:
        commands["other"] = [f"PYTHONPATH={Path(args.compare_src).resolve()}", *calc]
    got = measure(commands, args.runs)
    (base_wall, base_cpu), (calc_wall, calc_cpu) = got["baseline"], got["calc"]
    ms = statistics.median
    print(f"python:    {sys.version.split()[0]}; {args.runs} runs each, interleaved; median shown; "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"baseline:  wall {ms(base_wall) * 1000:6.1f} ms  cpu {ms(base_cpu) * 1000:6.1f} ms   "
          "python -c 'import typer, pydantic, rich, yaml'")
    print(f"zyz calc:  wall {ms(calc_wall) * 1000:6.1f} ms  cpu {ms(calc_cpu) * 1000:6.1f} ms   "
          f"zyz calc {args.profile}")
    cold_wall, cold_cpu = got["no cache"]
    print(f"no cache:  wall {ms(cold_wall) * 1000:6.1f} ms  cpu {ms(cold_cpu) * 1000:6.1f} ms   "
          f"ZYZ_NO_CACHE=1 zyz calc {args.profile}  ({ms(cold_wall) / ms(base_wall):.2f}x)")
    if args.floor:
        floor_wall, floor_cpu = got["floor"]
        print(f"floor:     wall {ms(floor_wall) * 1000:6.1f} ms  cpu {ms(floor_cpu) * 1000:6.1f} ms   "
              f"a typer app with one str argument  ({ms(floor_wall) / ms(base_wall):.2f}x, "
              f"cpu {ms(floor_cpu) / ms(base_cpu):.2f}x)")
    if args.compare_src:
        other_wall, other_cpu = got["other"]
        print(f"other src: wall {ms(other_wall) * 1000:6.1f} ms  cpu {ms(other_cpu) * 1000:6.1f} ms   "
              f"zyz calc from {args.compare_src}  ({ms(other_wall) / ms(base_wall):.2f}x, "
              f"cpu {ms(other_cpu) / ms(base_cpu):.2f}x)")
    ratio = ms(calc_wall) / ms(base_wall)
    print(f"ratio:     wall {ratio:.2f}x  cpu {ms(calc_cpu) / ms(base_cpu):.2f}x  "
          f"(target <= 1.50x: {'met' if ratio <= 1.5 else 'not met'})")
    if args.phases:
        phases(args.profile, args.runs)

if __name__ == "__main__":
    main()
