"""Cold-start time of ``zyz calc`` against importing its own dependencies, in the same run.

Usage (from the repository root, with the project installed in the active environment)::

    python benchmarks/startup.py [--runs 7] [--profile examples/refractory-leader.yaml] [--phases]
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

# Where the time goes, measured inside one fresh process (``--phases``).
PHASES = """
import io, os, sys, time
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")  # as zyz's entry point does
t = [time.perf_counter()]
import typer, pydantic, rich, yaml; t.append(time.perf_counter())
import zhuanyezhen.cli; t.append(time.perf_counter())
import pydantic.main; t.append(time.perf_counter())
import importlib.metadata; t.append(time.perf_counter())
import zhuanyezhen.policy.loader, zhuanyezhen.engine.calculation, zhuanyezhen.profile.loader
t.append(time.perf_counter())
from zhuanyezhen.policy.loader import load_policies
policy = next(iter(load_policies().values())); t.append(time.perf_counter())
from zhuanyezhen.profile.loader import load_profile; profile = load_profile(sys.argv[1]); t.append(time.perf_counter())
from zhuanyezhen.engine.calculation import calculate; result = calculate(profile, policy); t.append(time.perf_counter())
from zhuanyezhen.render.table import make_console, render_result; t.append(time.perf_counter())
render_result(result, make_console(io.StringIO())); t.append(time.perf_counter())
names = ["deps (typer, pydantic, rich, yaml)", "zyz command modules (typer app)",
         "pydantic.main (BaseModel machinery)", "importlib.metadata (pydantic plugins)",
         "zyz models and engine", "load rules (policy cache)", "load profile", "calculate",
         "import renderer (rich console, table)", "render"]
for name, a, b in zip(names, t, t[1:]):
    print(f"  {name:36s} {(b - a) * 1000:6.1f} ms")
"""


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
    if args.compare_src:
        other_wall, other_cpu = got["other"]
        print(f"other src: wall {ms(other_wall) * 1000:6.1f} ms  cpu {ms(other_cpu) * 1000:6.1f} ms   "
              f"zyz calc from {args.compare_src}  ({ms(other_wall) / ms(base_wall):.2f}x, "
              f"cpu {ms(other_cpu) / ms(base_cpu):.2f}x)")
    ratio = ms(calc_wall) / ms(base_wall)
    print(f"ratio:     wall {ratio:.2f}x  cpu {ms(calc_cpu) / ms(base_cpu):.2f}x  "
          f"(target <= 1.50x: {'met' if ratio <= 1.5 else 'not met'})")
    if args.phases:
        print("phases of one run (in-process, after interpreter start-up):")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        subprocess.run([sys.executable, "-c", PHASES, args.profile], cwd=ROOT, env=env, check=True)

if __name__ == "__main__":
    main()
