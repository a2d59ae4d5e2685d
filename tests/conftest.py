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
