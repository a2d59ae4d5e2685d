"""Shared fixtures: the shipped policy, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhuanyezhen import Policy, load_policy

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
RULES = ROOT / "rules"


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load_policy()


# ``ledger_url``: a new ledger on SQLite and on PostgreSQL (see tests/ledger_backends.py)
from tests.ledger_backends import ledger_url  # noqa: E402, F401
