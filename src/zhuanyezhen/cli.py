"""The ``zyz`` entry point: the typer app with every command registered."""

from __future__ import annotations

from .app import app
from .commands import calc  # noqa: F401  (registers the command)
from .commands import batch, template  # noqa: F401  (batch scoring, issue 4)


def main() -> None:
    app()
