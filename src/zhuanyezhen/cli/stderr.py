"""Messages for people, on standard error, so that standard output holds only results."""

from __future__ import annotations

import sys

from zhuanyezhen.cli.app import is_quiet


def info(message: str) -> None:
    """A note a script does not need (``--quiet`` hides it)."""
    if not is_quiet():
        sys.stderr.write(f"{message}\n")


def warn(message: str) -> None:
    """Something that changes how the result must be read; shown even with ``--quiet``."""
    sys.stderr.write(f"注意:{message}\n")
