"""The ledger tests run on both backends: a SQLite file, and the PostgreSQL server named by
``ZYZ_TEST_POSTGRES_URL`` (``.ci/run`` and ``scripts/pg-throwaway`` start a throwaway one).
PostgreSQL is skipped, loudly, only when that variable is absent."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_ENV = "ZYZ_TEST_POSTGRES_URL"
PG_MISSING = (f"!!! {PG_ENV} is not set: the ledger's PostgreSQL tests are SKIPPED. "
              "Run .ci/run, or eval \"$(scripts/pg-throwaway start)\" before pytest. !!!")


def reset_postgres(url: str) -> None:
    """An empty public schema (the triggers refuse DELETE, so the tables are dropped whole)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    engine = create_engine(make_url(url).set(drivername="postgresql+psycopg"))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """``--ledger`` for a new, empty ledger on each backend (not yet initialised)."""
    if request.param == "sqlite":
        yield str(tmp_path / "台账.sqlite")
        return
    url = os.environ.get(PG_ENV)
    if not url:
        warnings.warn(PG_MISSING, stacklevel=1)
        pytest.skip(PG_MISSING)
    reset_postgres(url)
    yield url
