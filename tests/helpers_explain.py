"""Helpers for the explain / near-miss / what-if / report tests: run the CLI, edit raw profile data."""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from zhuanyezhen.cli import app
from zhuanyezhen.engine.result import Result
from zhuanyezhen.files.documents import read_document

from .conftest import EXAMPLES

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


def run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def raw(path: Path) -> dict[str, Any]:
    data, _ = read_document(path)
    assert isinstance(data, dict)
    return data


def edited(data: dict[str, Any], changes: dict[str, str]) -> dict[str, Any]:
    """The raw YAML data with dotted paths set by hand, independently of ``whatif.apply_changes``."""
    out = copy.deepcopy(data)
    for path, value in changes.items():
        target: Any = out
        parts = path.split(".")
        for part in parts[:-1]:
            name, index = re.fullmatch(r"(\w+)(?:\[(\d+)\])?", part).groups()  # type: ignore[union-attr]
            target = target[name] if index is None else target[name][int(index)]
        target[parts[-1]] = value
    return out


def paid(result: Result, provision: str) -> Decimal:
    return sum((o.amount or Decimal(0) for o in result.outcomes
                if o.provision == provision and o.status == "paid"), Decimal(0))
