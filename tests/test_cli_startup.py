"""What ``zyz`` does at start-up to run fast changes nothing a user sees.

``main`` builds only the command being run and turns pydantic plugins off for its own process; the
benchmark is ``benchmarks/startup.py`` (never a timed test).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from zhuanyezhen.cli import _command_named, app

from .conftest import EXAMPLES, ROOT

EXAMPLE = str(EXAMPLES / "refractory-leader.yaml")


def _zyz(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "zhuanyezhen", *args], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", env={**os.environ, "NO_COLOR": "1", **(env or {})})


@pytest.mark.parametrize(("argv", "named"), [
    (["calc", "a.yaml"], "calc"),
    (["--debug", "-q", "calc", "a.yaml"], "calc"),
    (["rules", "list"], "rules"),
    (["--help"], None),
    ([], None),
    (["--", "calc"], None),
    (["no-such-command"], "no-such-command"),
])
def test_the_command_named_is_the_first_word_that_is_not_an_option(argv: list[str], named: str | None) -> None:
    assert _command_named(argv) == named


def test_help_still_lists_every_command() -> None:
    done = _zyz("--help")
    assert done.returncode == 0
    names = [c.callback.__name__ for c in app.registered_commands if c.callback] + [
        str(g.name) for g in app.registered_groups]
    assert len(names) >= 10
    for name in names:
        assert f"  {name} " in done.stdout, name


def test_an_unknown_command_is_still_reported() -> None:
    done = _zyz("calcc", EXAMPLE)
    assert done.returncode == 2
    assert "没有命令“calcc”" in done.stderr  # click's usage error, in Chinese (cli/usage.py)


def test_a_command_group_still_runs_alone() -> None:
    done = _zyz("rules", "--help")
    assert done.returncode == 0
    assert "命令:" in done.stdout and "list" in done.stdout  # the group's help, in Chinese


_SHOW_ENV = """
import os, sys
from zhuanyezhen.cli import main
sys.argv = ["zyz", "calc", sys.argv[1], "-f", "json"]
try:
    main()
finally:
    sys.stderr.write("PLUGINS=" + repr(os.environ.get("PYDANTIC_DISABLE_PLUGINS")) + "\\n")
"""


@pytest.mark.parametrize(("given", "seen"), [(None, "'__all__'"), ("", "''"), ("logfire", "'logfire'")])
def test_pydantic_plugins_are_off_unless_the_user_says_otherwise(given: str | None, seen: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    if given is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = given
    done = subprocess.run([sys.executable, "-c", _SHOW_ENV, EXAMPLE], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", env=env)
    assert f"PLUGINS={seen}" in done.stderr
    assert done.stdout.startswith("{")


# What one ``zyz calc`` run has imported and which pydantic models it built validators for, said by
# the process itself after the command (stdout piped, so the plain layout is used).
_AFTER_CALC = """
import io, sys
from pydantic import BaseModel
from zhuanyezhen.cli import main
sys.argv = ["zyz", "calc", sys.argv[1]]
sys.stdout = io.StringIO()
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
def every(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from every(sub)
built = sorted(f"{m.__module__}.{m.__qualname__}" for m in every(BaseModel) if m.__pydantic_complete__)
sys.stderr.write("MODULES=" + " ".join(sorted(sys.modules)) + "\\n" + "BUILT=" + " ".join(built) + "\\n")
"""


def _after_calc(env: dict[str, str] | None = None) -> tuple[set[str], set[str]]:
    done = subprocess.run([sys.executable, "-c", _AFTER_CALC, EXAMPLE], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", env={**os.environ, **(env or {})})
    assert done.returncode == 0, done.stderr
    lines = dict(line.split("=", 1) for line in done.stderr.splitlines() if "=" in line)
    return set(lines["MODULES"].split()), set(lines["BUILT"].split())


def test_calc_imports_nothing_it_does_not_use() -> None:
    modules, _ = _after_calc()
    unused = {
        "rich.console",  # piped output is the plain layout
        "polars", "sqlalchemy", "alembic", "openpyxl", "jinja2",  # batch, the ledger, report
        "zhuanyezhen.batch", "zhuanyezhen.ledger",
        "zhuanyezhen.render.html", "zhuanyezhen.render.json_schema", "zhuanyezhen.render.explain",
        "zhuanyezhen.engine.explain", "zhuanyezhen.engine.near_miss", "zhuanyezhen.engine.whatif",
    }
    assert not unused & modules, sorted(unused & modules)


def test_calc_from_the_cache_builds_no_validator_for_rule_files() -> None:
    """A cache hit restores the policy as it was stored: no rule model's validator is built, only the
    profile's (which reads the user's file)."""
    _after_calc()  # fills the cache of this test run (conftest) if an earlier test has not
    _, built = _after_calc()
    assert not {name for name in built if name.startswith("zhuanyezhen.policy.")}, sorted(built)
    assert "zhuanyezhen.profile.model.Profile" in built


def test_the_startup_benchmark_phases_still_follow_calc() -> None:
    """``benchmarks/startup.py --phases`` calls zyz's own functions; a changed signature must fail here,
    not in the next benchmark run (its figures are never asserted)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("startup_benchmark", ROOT / "benchmarks" / "startup.py")
    assert spec is not None and spec.loader is not None
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    done = subprocess.run([sys.executable, "-c", benchmark.PHASES, EXAMPLE], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [row[0] for row in rows[:2]] == ["deps (typer, pydantic, rich, yaml)", "zyz command modules (typer app)"]
    assert rows[-1] == ["imported", True, False]  # plain layout: rich.console is never imported
