"""The ``zyz`` command: the typer app (``app``), one module per sub-command, stderr messages.

The top layer: may import every other room. Importing this package registers every command: a new
command is a module here that registers itself on ``app`` (``@app.command()``, or ``app.add_typer`` for
a group of sub-commands) and is named in the import below. Nothing else is needed for ``main`` to run
it alone.
"""

from __future__ import annotations

import os
import sys

from zhuanyezhen.cli import batch, calc, explain, init, ledger, report, rules, schema, template, validate, whatif  # noqa: F401  (registers the commands)
from zhuanyezhen.cli.app import app


def _command_named(argv: list[str]) -> str | None:
    """The sub-command a command line asks for: its first word that is not an option.

    The top-level options (--debug, --quiet, --version, --help) take no value, so this is the word
    click will look up; if it is not a command, nothing is narrowed and click reports it as usual.
    """
    for word in argv:
        if word == "--":
            return None
        if not word.startswith("-"):
            return word
    return None


def _keep_only(name: str | None) -> None:
    """Leave on ``app`` just the command ``name``, when it is one, for this process.

    typer turns every registered command into a click command, options and all, before it parses
    the command line: with ten commands that is most of its start-up. A run needs only its own
    command; help, no command and unknown words keep them all, so listings and errors are unchanged.
    """
    if name is None:
        return
    from typer.main import get_command_name

    commands = [c for c in app.registered_commands
                if c.callback is not None and (c.name or get_command_name(c.callback.__name__)) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if commands or groups:
        app.registered_commands = commands
        app.registered_groups = groups


def main() -> None:
    # zyz uses no pydantic plugins, and looking for them scans every installed package's metadata on
    # each run. pydantic's documented switch, for this process (and its batch workers) only; a value
    # the user has set is kept, so PYDANTIC_DISABLE_PLUGINS= (empty) turns plugins back on.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    _keep_only(_command_named(sys.argv[1:]))
    app()
