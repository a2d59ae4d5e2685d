"""The ``zyz`` entry point: the typer app with every command registered."""

from __future__ import annotations

from .app import app
from .commands import batch as _batch  # noqa: F401  (zyz batch, issue 4)
from .commands import calc  # noqa: F401  (registers the command)
from .commands import template as _template  # noqa: F401  (zyz template, issue 4)


def main() -> None:
    app()
