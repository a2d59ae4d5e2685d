"""Shared fixtures: the shipped policy, loaded once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from zhuanyezhen import Policy, load_policy

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
RULES = ROOT / "rules"


@pytest.fixture(scope="session", autouse=True)
def _policy_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The policy cache of the test run (and of the ``zyz`` processes it starts), not the user's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ZYZ_CACHE_DIR", str(tmp_path_factory.mktemp("zyz-cache")))
        yield


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load_policy()


# ``ledger_url``: a new ledger on SQLite and on PostgreSQL (see tests/ledger_backends.py)
from tests.ledger_backends import ledger_url  # noqa: E402, F401
