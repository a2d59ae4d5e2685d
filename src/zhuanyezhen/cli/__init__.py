"""The ``zyz`` command: the typer app (``app``), one module per sub-command, stderr messages.

The top layer: may import every other room. Importing this package registers every command.
"""

from __future__ import annotations

from zhuanyezhen.cli import batch, calc, explain, init, ledger, report, rules, schema, template, validate, whatif  # noqa: F401  (registers the commands)
from zhuanyezhen.cli.app import app


def main() -> None:
    app()
