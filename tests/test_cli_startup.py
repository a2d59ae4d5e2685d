"""What ``zyz`` does at start-up to run fast changes nothing a user sees.

``main`` builds only the command being run and turns pydantic plugins off for its own process; the
benchmark is ``benchmarks/startup.py`` (never a timed test).
"""

from __future__ import annotations

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
