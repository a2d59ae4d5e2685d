"""The ``zyz`` entry point: the typer app with every command registered."""

from __future__ import annotations

from .app import app
from .commands import batch, calc, explain, init, report, rules, schema, template, validate, whatif  # noqa: F401  (registers the commands)


def main() -> None:
    app()
