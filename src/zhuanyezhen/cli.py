"""The ``zyz`` entry point: the typer app with every command registered."""

from __future__ import annotations

from .app import app
from .commands import calc  # noqa: F401  (registers the command)
from .commands import explain as _explain  # noqa: F401  (registers the command)
from .commands import report as _report  # noqa: F401  (registers the command)
from .commands import whatif as _whatif  # noqa: F401  (registers the command)


def main() -> None:
    app()
