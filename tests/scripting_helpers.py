"""Helpers for the scripting tests: run the installed ``zyz`` for real, in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from .conftest import ROOT


def zyz_command() -> list[str]:
    """The installed ``zyz`` console script (next to this Python first, then on PATH)."""
    beside = Path(sys.executable).with_name("zyz")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("zyz")
    assert found, "the zyz entry point is not installed (pip install -e .)"
    return [found]


def run_zyz(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None,
            cwd: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    full_env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    full_env.update(env or {})
    return subprocess.run([*zyz_command(), *args], input=stdin, capture_output=True, cwd=cwd,
                          env=full_env, timeout=120, check=False)


def no_float(text: str) -> float:
    raise AssertionError(f"a float in the JSON output: {text}")


def parse_json(raw: bytes) -> Any:
    """Parse output JSON, failing on any float: amounts must be strings."""
    return json.loads(raw.decode("utf-8"), parse_float=no_float)


def amount(value: str) -> Decimal:
    return Decimal(value)
