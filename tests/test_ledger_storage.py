"""The ledger's storage: migrations, append-only triggers, money as NUMERIC(14,2) ↔ Decimal,
and one chain per award — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from zhuanyezhen.errors import InputError
from zhuanyezhen.ledger import lines as ledger_lines
from zhuanyezhen.ledger import migrate
from zhuanyezhen.ledger.database import open_ledger
from zhuanyezhen.ledger.schema import batches, lines

NOW = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)
CODE = "91140322MA0H9N2G42"


def award(**changes: object) -> ledger_lines.NewAward:
    values: dict[str, object] = dict(
        credit_code=CODE, enterprise="阳泉盂耐新材料有限公司", county="盂县", town="耐火材料",
        policy_id="yangquan-2023-25", provision="laozihao_shanxi", subject="荣誉:山西老字号", tier=None,
        claim_year=2023, kind="exact", computed_amount=Decimal("50000.00"), beneficiary="本企业",
        department="市市场监管局")
    values.update(changes)
    return ledger_lines.NewAward(**values)  # type: ignore[arg-type]


def test_init_creates_the_schema_at_the_newest_version(ledger_url: str) -> None:
    ledger = open_ledger(ledger_url, must_exist=False)
    assert migrate.current(ledger) is None
    with pytest.raises(InputError, match="尚未建立"):
        migrate.check_current(ledger)
    assert migrate.upgrade(ledger) == (None, migrate.head())
    assert migrate.upgrade(ledger) == (migrate.head(), migrate.head())  # again: nothing to do
    migrate.check_current(ledger)
    ledger.close()


def test_sqlite_ledger_is_in_wal_mode(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ledger = open_ledger(str(tmp_path / "l.sqlite"), must_exist=False)
    migrate.upgrade(ledger)
    with ledger.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    ledger.close()


def test_a_missing_sqlite_file_is_not_created_by_reading(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match="台账文件不存在"):
        open_ledger(str(tmp_path / "nope.sqlite"))
    assert not (tmp_path / "nope.sqlite").exists()


@pytest.fixture
def ready(ledger_url: str):  # type: ignore[no-untyped-def]
    ledger = open_ledger(ledger_url, must_exist=False)
    migrate.upgrade(ledger)
    yield ledger
    ledger.close()


def test_money_round_trips_to_the_fen(ready) -> None:  # type: ignore[no-untyped-def]
    # The largest NUMERIC(14,2) value and a value with fen, exactly as Decimal.
    big, small = Decimal("999999999999.99"), Decimal("12345.67")
    ledger_lines.record_batch(ready, "import", [award(computed_amount=big), award(claim_year=2024, computed_amount=small)],
                              source_name="old.csv", sha256="a" * 64, policy_id=None, by="张三", now=NOW)
    with ready.engine.connect() as conn:
        got = [(r.computed_amount, r.approved_amount) for r in conn.execute(select(lines).order_by(lines.c.id))]
    assert got == [(big, big), (small, small)]
    assert all(isinstance(a, Decimal) for pair in got for a in pair)


@pytest.mark.parametrize("statement", [
    update(lines).values(approved_amount=Decimal("1.00")),
    update(lines).values(status="reversed"),
    update(lines).values(computed_amount=Decimal("0.00")),
    update(lines).values(note="改一下"),
    delete(lines),
    update(batches).values(recorded_by="李四"),
    delete(batches),
])
def test_the_database_refuses_to_change_or_delete_a_line(ready, statement) -> None:  # type: ignore[no-untyped-def]
    ledger_lines.record_batch(ready, "import", [award()], source_name="old.csv", sha256="b" * 64,
                              policy_id=None, by="张三", now=NOW)
    with pytest.raises(DBAPIError, match="append-only"), ready.engine.begin() as conn:
        conn.execute(statement)
    with ready.engine.connect() as conn:
        row = conn.execute(select(lines)).one()
    assert (row.status, row.approved_amount, row.note) == ("paid", Decimal("50000.00"), None)


def test_postgres_refuses_truncate(ready) -> None:  # type: ignore[no-untyped-def]
    if ready.backend != "postgresql":
        pytest.skip("TRUNCATE exists only on PostgreSQL")
    with pytest.raises(DBAPIError, match="append-only"), ready.engine.begin() as conn:
        conn.execute(text("TRUNCATE ledger_lines CASCADE"))


def _raw_line(**changes: object) -> dict[str, object]:
    values: dict[str, object] = dict(
        batch_id="B1", credit_code=CODE, enterprise="甲", policy_id="p", provision="gi_zone", subject="",
        claim_year=2024, kind="exact", computed_amount=Decimal("100000.00"), beneficiary="本企业",
        department="市市场监管局", status="proposed", recorded_by="x", recorded_at=NOW)
    values.update(changes)
    return values


def test_one_chain_per_award_and_each_line_followed_once(ready) -> None:  # type: ignore[no-untyped-def]
    with ready.engine.begin() as conn:
        conn.execute(insert(batches).values(id="B1", kind="propose", source_name="s", source_sha256="c" * 64,
                                            recorded_by="x", recorded_at=NOW))
        first = conn.execute(insert(lines).values(**_raw_line())).inserted_primary_key[0]
        conn.execute(insert(lines).values(**_raw_line(refers_to=first, status="approved",
                                                      approved_amount=Decimal("100000.00"))))
    # a second start of the same award (same code, provision, subject, year) is refused
    with pytest.raises(DBAPIError), ready.engine.begin() as conn:
        conn.execute(insert(lines).values(**_raw_line()))
    # a second line after the same line (two clerks approving it at once) is refused
    with pytest.raises(DBAPIError), ready.engine.begin() as conn:
        conn.execute(insert(lines).values(**_raw_line(refers_to=first, status="approved",
                                                      approved_amount=Decimal("90000.00"))))
    # an approved amount above the computed one is refused by the database itself
    with pytest.raises(DBAPIError), ready.engine.begin() as conn:
        conn.execute(insert(lines).values(**_raw_line(claim_year=2025, approved_amount=Decimal("100000.01"))))
    with ready.engine.connect() as conn:
        assert conn.execute(select(lines.c.status).order_by(lines.c.id)).scalars().all() == ["proposed", "approved"]


def test_the_migrations_build_exactly_the_tables_of_schema_py(ready) -> None:  # type: ignore[no-untyped-def]
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from zhuanyezhen.ledger.schema import metadata

    with ready.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
